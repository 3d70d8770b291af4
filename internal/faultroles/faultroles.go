// Package faultroles puts the fault engine at the boundaries of the roles
// (metadata, storage, queue, third-party): each role call first asks the engine, which
// may delay it, fail it, or ask the role to lose, corrupt or go back on
// data.
package faultroles

import (
	"context"
	"io"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/faults"
	"github.com/mocks3/mocks3/internal/faultengine"
	"github.com/mocks3/mocks3/internal/faultname"
	"github.com/mocks3/mocks3/internal/faulttrace"
	"github.com/mocks3/mocks3/internal/metadata"
	"github.com/mocks3/mocks3/internal/queue"
	"github.com/mocks3/mocks3/internal/thirdparty"
)

// Metadata wraps a metadata role with the engine's metadata rules, and
// applies storage rules that lose writes or serve stale reads: both choose
// which record readers see, which only the metadata role can do. For stale
// reads it keeps each object's previous version, and so wraps data, the
// storage role, to keep that version's bytes: use the storage it returns,
// and call release when the roles close (before data does) to delete the
// bytes it kept. With keepAlways false (a server under a memory limit,
// which must free overwritten bytes at once) it keeps them only while a
// stale-read rule exists.
func Metadata(s backend.Records, data backend.Blobs, e *faultengine.Engine, keepAlways bool) (_ backend.Records, _ backend.Blobs, release func()) {
	h := newHistory(data)
	return &faultyMetadata{Records: s, e: e, h: h, keepAlways: keepAlways}, keptBlobs{Blobs: data, h: h}, h.close
}

type faultyMetadata struct {
	backend.Records
	e          *faultengine.Engine
	h          *history
	keepAlways bool
}

// remember keeps obj, which a write replaced or a delete removed, as the
// previous version of bucket/key.
func (m *faultyMetadata) remember(ctx context.Context, bucket, key string, obj backend.Object) {
	if m.keepAlways || m.e.HasAction(faultname.KindStaleRead) {
		m.h.keep(ctx, bucket, key, obj)
		return
	}
	m.h.forget(ctx, bucket, key)
}

func (m *faultyMetadata) role(ctx context.Context, op string, bucket, key string) (faultengine.RoleEffect, error) {
	if faulttrace.Bypassed(ctx) {
		return faultengine.RoleEffect{}, nil
	}
	return m.e.Role(ctx, faultengine.Call{Service: faultname.Metadata, Op: op, Bucket: bucket, Key: key, Also: []faults.Service{faultname.Storage}})
}

func (m *faultyMetadata) CreateBucket(ctx context.Context, b backend.Bucket) error {
	if _, err := m.role(ctx, faultname.MetadataCreateBucket, b.Name, ""); err != nil {
		return err
	}
	return m.Records.CreateBucket(ctx, b)
}

func (m *faultyMetadata) GetBucket(ctx context.Context, name string) (backend.Bucket, error) {
	if _, err := m.role(ctx, faultname.MetadataGetBucket, name, ""); err != nil {
		return backend.Bucket{}, err
	}
	return m.Records.GetBucket(ctx, name)
}

func (m *faultyMetadata) ListBuckets(ctx context.Context) ([]backend.Bucket, error) {
	if _, err := m.role(ctx, faultname.MetadataListBuckets, "", ""); err != nil {
		return nil, err
	}
	return m.Records.ListBuckets(ctx)
}

func (m *faultyMetadata) DeleteBucket(ctx context.Context, name string) error {
	if _, err := m.role(ctx, faultname.MetadataDeleteBucket, name, ""); err != nil {
		return err
	}
	if err := m.Records.DeleteBucket(ctx, name); err != nil {
		return err
	}
	m.h.forgetBucket(ctx, name)
	return nil
}

func (m *faultyMetadata) GetObject(ctx context.Context, bucket, key, versionID string) (backend.Object, error) {
	eff, err := m.role(ctx, faultname.MetadataGetObject, bucket, key)
	if err != nil {
		return backend.Object{}, err
	}
	if eff.StaleRead {
		prev, ok := m.h.previous(bucket, key)
		if !ok {
			return backend.Object{}, backend.ErrObjectNotFound
		}
		return prev, nil
	}
	return m.Records.GetObject(ctx, bucket, key, versionID)
}

// PutObject loses the write when a rule says so, and keeps the replaced
// record for stale reads.
func (m *faultyMetadata) PutObject(ctx context.Context, bucket string, obj backend.Object, cond backend.Condition) (*backend.Object, error) {
	eff, err := m.role(ctx, faultname.MetadataPutObject, bucket, obj.Key)
	if err != nil {
		return nil, err
	}
	if eff.LoseWrite {
		return nil, metadata.ErrWriteLost
	}
	replaced, err := m.Records.PutObject(ctx, bucket, obj, cond)
	if err == nil && replaced != nil {
		m.remember(ctx, bucket, obj.Key, *replaced)
	}
	return replaced, err
}

func (m *faultyMetadata) DeleteObject(ctx context.Context, bucket, key, versionID string) (backend.Object, error) {
	eff, err := m.role(ctx, faultname.MetadataDeleteObject, bucket, key)
	if err != nil {
		return backend.Object{}, err
	}
	if eff.LoseWrite {
		return backend.Object{}, backend.ErrObjectNotFound // deleting nothing succeeds silently
	}
	deleted, err := m.Records.DeleteObject(ctx, bucket, key, versionID)
	if err == nil {
		m.remember(ctx, bucket, key, deleted)
	}
	return deleted, err
}

func (m *faultyMetadata) ListObjects(ctx context.Context, bucket, from string, limit int) ([]backend.Object, error) {
	if _, err := m.role(ctx, faultname.MetadataListObjects, bucket, ""); err != nil {
		return nil, err
	}
	return m.Records.ListObjects(ctx, bucket, from, limit)
}

func (m *faultyMetadata) CreateUpload(ctx context.Context, u backend.Upload) error {
	if _, err := m.role(ctx, faultname.MetadataCreateUpload, u.Bucket, u.Key); err != nil {
		return err
	}
	return m.Records.CreateUpload(ctx, u)
}

// CompleteUpload loses the write as PutObject does: the upload is gone and
// the object was never stored.
func (m *faultyMetadata) CompleteUpload(ctx context.Context, bucket, id string, obj backend.Object, cond backend.Condition) (*backend.Object, backend.Upload, error) {
	eff, err := m.role(ctx, faultname.MetadataCompleteUpload, bucket, obj.Key)
	if err != nil {
		return nil, backend.Upload{}, err
	}
	if eff.LoseWrite {
		done, err := m.Records.DeleteUpload(ctx, bucket, obj.Key, id)
		if err != nil {
			return nil, backend.Upload{}, err
		}
		return nil, done, metadata.ErrWriteLost
	}
	replaced, done, err := m.Records.CompleteUpload(ctx, bucket, id, obj, cond)
	if err == nil && replaced != nil {
		m.remember(ctx, bucket, obj.Key, *replaced)
	}
	return replaced, done, err
}

func (m *faultyMetadata) GetUpload(ctx context.Context, bucket, key, id string) (backend.Upload, error) {
	if _, err := m.role(ctx, faultname.MetadataGetUpload, bucket, key); err != nil {
		return backend.Upload{}, err
	}
	return m.Records.GetUpload(ctx, bucket, key, id)
}

func (m *faultyMetadata) PutPart(ctx context.Context, bucket, key, id string, p backend.Part) (*backend.Part, error) {
	if _, err := m.role(ctx, faultname.MetadataPutPart, bucket, key); err != nil {
		return nil, err
	}
	return m.Records.PutPart(ctx, bucket, key, id, p)
}

func (m *faultyMetadata) DeleteUpload(ctx context.Context, bucket, key, id string) (backend.Upload, error) {
	if _, err := m.role(ctx, faultname.MetadataDeleteUpload, bucket, key); err != nil {
		return backend.Upload{}, err
	}
	return m.Records.DeleteUpload(ctx, bucket, key, id)
}

func (m *faultyMetadata) ListUploads(ctx context.Context, bucket string) ([]backend.Upload, error) {
	if _, err := m.role(ctx, faultname.MetadataListUploads, bucket, ""); err != nil {
		return nil, err
	}
	return m.Records.ListUploads(ctx, bucket)
}

// StorageNode wraps one storage node, so that rules can match it by name.
func StorageNode(s backend.Blobs, node string, e *faultengine.Engine) backend.Blobs {
	return &faultyStorage{Blobs: s, e: e, node: node}
}

type faultyStorage struct {
	backend.Blobs
	e    *faultengine.Engine
	node string
}

func (s *faultyStorage) role(ctx context.Context, op string) (faultengine.RoleEffect, error) {
	if faulttrace.Bypassed(ctx) {
		return faultengine.RoleEffect{}, nil
	}
	return s.e.Role(ctx, faultengine.Call{Service: faultname.Storage, Op: op, Node: s.node})
}

func (s *faultyStorage) WriteBlob(ctx context.Context, r io.Reader, sizeHint int64) (backend.BlobID, int64, error) {
	eff, err := s.role(ctx, faultname.StorageWrite)
	if err != nil {
		return "", 0, err
	}
	if eff.CorruptStored {
		r = &flipReader{r: r}
	}
	return s.Blobs.WriteBlob(ctx, r, sizeHint)
}

func (s *faultyStorage) OpenBlob(ctx context.Context, id backend.BlobID) (backend.Blob, error) {
	if _, err := s.role(ctx, faultname.StorageRead); err != nil {
		return nil, err
	}
	return s.Blobs.OpenBlob(ctx, id)
}

func (s *faultyStorage) DeleteBlob(ctx context.Context, id backend.BlobID) error {
	if _, err := s.role(ctx, faultname.StorageDelete); err != nil {
		return err
	}
	return s.Blobs.DeleteBlob(ctx, id)
}

// flipReader flips the low bit of the first byte and of every 4096th byte
// after it: the stored bytes differ from what was hashed.
type flipReader struct {
	r   io.Reader
	off int64
}

func (f *flipReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	for i := 0; i < n; i++ {
		if (f.off+int64(i))%4096 == 0 {
			p[i] ^= 1
		}
	}
	f.off += int64(n)
	return n, err
}

// ThirdParty wraps a third-party origin with the engine's third-party rules.
func ThirdParty(o thirdparty.Origin, e *faultengine.Engine) thirdparty.Origin {
	return &faultyOrigin{o: o, e: e}
}

type faultyOrigin struct {
	o thirdparty.Origin
	e *faultengine.Engine
}

func (f *faultyOrigin) Fetch(ctx context.Context, bucket, key string) (thirdparty.Object, error) {
	if !faulttrace.Bypassed(ctx) {
		if _, err := f.e.Role(ctx, faultengine.Call{Service: faultname.ThirdParty, Op: faultname.ThirdPartyFetch, Bucket: bucket, Key: key}); err != nil {
			return thirdparty.Object{}, err
		}
	}
	return f.o.Fetch(ctx, bucket, key)
}

// Queue wraps the queue role with the engine's queue rules: a failed
// Enqueue makes the gateway run the task at once, a failed Dequeue, Ack or
// Nack delays the worker's progress.
func Queue(q queue.Queue, e *faultengine.Engine) queue.Queue {
	return &faultyQueue{Queue: q, e: e}
}

type faultyQueue struct {
	queue.Queue
	e *faultengine.Engine
}

func (f *faultyQueue) Enqueue(ctx context.Context, taskType string, payload []byte) (string, error) {
	if _, err := f.e.Role(ctx, faultengine.Call{Service: faultname.Queue, Op: faultname.QueueEnqueue}); err != nil {
		return "", err
	}
	return f.Queue.Enqueue(ctx, taskType, payload)
}

// Release passes through to queues that can hand a lease back without
// counting an attempt, so wrapping does not cost a task its retries.
func (f *faultyQueue) Release(ctx context.Context, id string) error {
	if r, ok := f.Queue.(queue.Releaser); ok {
		return r.Release(ctx, id)
	}
	return f.Queue.Nack(ctx, id, "released")
}
