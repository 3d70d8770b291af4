// Package objects is object orchestration: what an S3 operation on objects
// means in terms of the metadata and storage roles. It is the one place
// that turns writes into role calls, keeps a failed write invisible and
// reclaims the bytes of replaced and deleted objects, and it runs the
// queue's backfill and cleanup tasks. The gateway (HTTP and XML), the
// queue worker and the root package's direct API all call it.
package objects

import (
	"context"
	"encoding/hex"
	"errors"
	"io"
	"sync"
	"time"

	"github.com/mocks3/mocks3/internal/bucketconfig"
	"github.com/mocks3/mocks3/internal/s3err"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/metadata"
	"github.com/mocks3/mocks3/internal/notify"
	"github.com/mocks3/mocks3/internal/queue"
	"github.com/mocks3/mocks3/internal/thirdparty"
	"github.com/mocks3/mocks3/s3api"
)

// Config configures a Store.
type Config struct {
	Metadata backend.Records
	Storage  backend.Blobs
	// Queue, if set, runs backfills and the cleanup of replaced bytes
	// asynchronously (its worker calls RunTask); without one they run at
	// once.
	Queue queue.Queue
	// ThirdParty, if set, is the origin of objects missing locally.
	ThirdParty thirdparty.Origin
	// Region is the region of buckets created by CreateBucket; default
	// us-east-1.
	Region string
	// Now is the clock for LastModified and creation times; default
	// time.Now.
	Now func() time.Time
	// Deliver, if set, delivers the event notifications the queue's
	// notify tasks carry; without it they are dropped.
	Deliver func(ctx context.Context, d notify.Delivery) error
}

// Store carries out S3 operations on objects over the roles.
type Store struct {
	meta   backend.Records
	data   backend.Blobs
	queue  queue.Queue
	origin thirdparty.Origin
	region string
	clock  func() time.Time
	// deliverFn is Config.Deliver.
	deliverFn func(ctx context.Context, d notify.Delivery) error
	// notifications keeps the parsed notification configurations that
	// every write and delete consults.
	notifications *bucketconfig.Memo[notify.Configuration]

	mu sync.Mutex // guards orphans, cleanupQueued and seq
	// orphans are blobs waiting for the queued cleanup task, which takes
	// them all: one task per burst of overwrites, not one per overwrite.
	orphans       []backend.BlobID
	cleanupQueued bool
	seq           uint64 // the last event sequencer

	// lockMu serialises changes to object lock state, each a read, a
	// check and an update.
	lockMu sync.Mutex
}

// New returns a Store for cfg.
func New(cfg Config) *Store {
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Store{meta: cfg.Metadata, data: cfg.Storage, queue: cfg.Queue, origin: cfg.ThirdParty,
		region: cfg.Region, clock: cfg.Now, deliverFn: cfg.Deliver, notifications: bucketconfig.NewMemo(notify.Parse)}
}

// Records returns the metadata role, for what needs no orchestration:
// reading and listing buckets and uploads, creating buckets and uploads.
// Object records are read through Head, Open and List.
func (s *Store) Records() backend.Records { return s.meta }

// now returns the clock's time at the precision S3 keeps.
func (s *Store) now() time.Time { return s.clock().UTC().Truncate(time.Millisecond) }

// WriteBlob stores everything r yields as a new blob, which becomes visible
// only through a record passed to Put, PutPart or Complete; a blob the
// caller gives up on goes to DiscardBlob. size is -1 if unknown.
func (s *Store) WriteBlob(ctx context.Context, r io.Reader, size int64) (backend.BlobID, int64, error) {
	return s.data.WriteBlob(ctx, r, size)
}

// DiscardBlob deletes a blob no record references, even if ctx is
// cancelled: the request that wrote it may be ending.
func (s *Store) DiscardBlob(ctx context.Context, id backend.BlobID) {
	_ = s.data.DeleteBlob(context.WithoutCancel(ctx), id)
}

// DefaultContentType is what S3 stores for an object written without one.
const DefaultContentType = "binary/octet-stream"

// Written describes bytes written to one blob.
type Written struct {
	Blob     backend.BlobID
	Size     int64
	MD5      []byte
	Checksum backend.Checksum
}

// ETag is the quoted hex MD5 of the bytes.
func (w Written) ETag() string { return `"` + hex.EncodeToString(w.MD5) + `"` }

// SinglePart returns the record of a single-part object whose bytes are w.
func SinglePart(key string, w Written, now time.Time, hd backend.Headers, meta map[string]string) backend.Object {
	if hd.ContentType == "" {
		hd.ContentType = DefaultContentType
	}
	return backend.Object{
		Key: key, Size: w.Size, ETag: w.ETag(), LastModified: now,
		Headers: hd, Metadata: meta, Checksum: w.Checksum,
		Parts: []backend.Part{{Number: 1, Size: w.Size, ETag: w.ETag(), Checksum: w.Checksum, Blob: w.Blob}},
	}
}

// Put stores obj, whose blobs are already written, if cond holds, and
// returns the record it replaced, if any. On failure obj's blobs are
// deleted, so nothing of a failed write stays behind; on success the blobs
// of the replaced record that obj no longer uses are reclaimed.
func (s *Store) Put(ctx context.Context, bucket string, obj backend.Object, cond backend.Condition) (*backend.Object, error) {
	replaced, err := s.meta.PutObject(ctx, bucket, obj, cond)
	if errors.Is(err, metadata.ErrWriteLost) {
		s.deleteBlobs(ctx, obj.Parts, nil)
		return nil, nil
	}
	if err != nil {
		s.deleteBlobs(ctx, obj.Parts, nil)
		return nil, conditionError(err, cond)
	}
	if replaced != nil {
		s.deleteBlobs(ctx, replaced.Parts, obj.Parts)
	}
	s.emit(ctx, bucket, obj)
	return replaced, nil
}

// PutPart records a part of upload id whose blob is already written,
// reclaiming the part it replaces; on failure the part's blob is deleted.
func (s *Store) PutPart(ctx context.Context, bucket, key, id string, part backend.Part) error {
	old, err := s.meta.PutPart(ctx, bucket, key, id, part)
	if err != nil {
		s.DiscardBlob(ctx, part.Blob)
		return err
	}
	if old != nil && old.Blob != part.Blob {
		s.DiscardBlob(ctx, old.Blob)
	}
	return nil
}

// Complete stores a multipart upload's object and removes the upload in one
// step, then reclaims the bytes of the replaced record and of the upload's
// parts that obj leaves out. Until that step, Abort and PutPart may still
// delete part bytes; after it, they find no upload.
func (s *Store) Complete(ctx context.Context, bucket, id string, obj backend.Object, cond backend.Condition) error {
	replaced, done, err := s.meta.CompleteUpload(ctx, bucket, id, obj, cond)
	if errors.Is(err, metadata.ErrWriteLost) {
		s.deleteBlobs(ctx, done.Parts, nil)
		return nil
	}
	if err != nil {
		return conditionError(err, cond)
	}
	s.deleteBlobs(ctx, done.Parts, obj.Parts)
	if replaced != nil {
		s.deleteBlobs(ctx, replaced.Parts, obj.Parts)
	}
	s.emit(ctx, bucket, obj)
	return nil
}

// Abort removes multipart upload id and reclaims its parts' bytes.
func (s *Store) Abort(ctx context.Context, bucket, key, id string) error {
	up, err := s.meta.DeleteUpload(ctx, bucket, key, id)
	if err != nil {
		return err
	}
	s.deleteBlobs(ctx, up.Parts, nil)
	return nil
}

// Delete removes an object and its bytes; deleting a missing key succeeds,
// as in S3.
func (s *Store) Delete(ctx context.Context, bucket, key string) error {
	old, err := s.meta.DeleteObject(ctx, bucket, key, "")
	if errors.Is(err, backend.ErrObjectNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	s.deleteBlobs(ctx, old.Parts, nil)
	s.emit(ctx, bucket, backend.Object{Key: key, VersionID: old.VersionID})
	return nil
}

// DeleteBucket deletes an empty bucket. Incomplete multipart uploads do not
// keep it from being empty: S3 discards them.
func (s *Store) DeleteBucket(ctx context.Context, bucket string) error {
	if err := s.discardUploads(ctx, bucket); err != nil {
		return err
	}
	return s.meta.DeleteBucket(ctx, bucket)
}

// discardUploads aborts the bucket's multipart uploads if it holds no
// object version (delete markers count); otherwise it does nothing and
// DeleteBucket finds the bucket not empty.
func (s *Store) discardUploads(ctx context.Context, bucket string) error {
	objs, err := s.meta.ListVersions(ctx, bucket, "", "", 1)
	if err != nil || len(objs) > 0 {
		return err
	}
	ups, err := s.meta.ListUploads(ctx, bucket)
	if err != nil {
		return err
	}
	for _, u := range ups {
		err := s.Abort(ctx, bucket, u.Key, u.ID)
		if err != nil && !errors.Is(err, backend.ErrUploadNotFound) { // completed or aborted meanwhile
			return err
		}
	}
	return nil
}

// deleteBlobs reclaims the blobs of parts that keep does not reference.
// Failures leave orphans, not broken objects, so they are not reported.
func (s *Store) deleteBlobs(ctx context.Context, parts, keep []backend.Part) {
	var ids []backend.BlobID
	for _, p := range parts {
		if p.Blob != "" && !referenced(keep, p.Blob) {
			ids = append(ids, p.Blob)
		}
	}
	if len(ids) > 0 {
		s.scheduleCleanup(ctx, ids)
	}
}

func referenced(parts []backend.Part, id backend.BlobID) bool {
	for _, p := range parts {
		if p.Blob == id {
			return true
		}
	}
	return false
}

// conditionError maps a failed write condition to S3's error naming it.
func conditionError(err error, cond backend.Condition) error {
	if !errors.Is(err, backend.ErrPreconditionFailed) {
		return err
	}
	failed := "If-Match"
	if cond.IfNoneMatch {
		failed = "If-None-Match"
	}
	return newError(s3err.PreconditionFailed, "Condition", failed)
}

// newError builds an S3 error with the code's message and, if given, one
// extra element.
func newError(code s3api.ErrorCode, extra ...string) *s3err.Error {
	e := &s3err.Error{Code: code}
	if len(extra) == 2 {
		e.Extra = []s3err.ExtraElement{{Name: extra[0], Value: extra[1]}}
	}
	return e
}

// S3Error maps role errors to S3 errors naming the resource; other errors
// are returned as they are.
func S3Error(err error, bucket, key string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, backend.ErrBucketNotFound):
		return newError(s3err.NoSuchBucket, "BucketName", bucket)
	case errors.Is(err, backend.ErrObjectNotFound):
		return newError(s3err.NoSuchKey, "Key", key)
	case errors.Is(err, backend.ErrUploadNotFound):
		return newError(s3err.NoSuchUpload)
	case errors.Is(err, backend.ErrUploadChanged):
		// Parts kept being uploaded again while Complete assembled them.
		return newError(s3err.InvalidPart)
	case errors.Is(err, backend.ErrBucketNotEmpty):
		return newError(s3err.BucketNotEmpty, "BucketName", bucket)
	case errors.Is(err, backend.ErrBucketExists):
		return newError(s3err.BucketAlreadyOwnedByYou, "BucketName", bucket)
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return newError(s3err.RequestTimeout)
	case errors.Is(err, backend.ErrInsufficientStorage):
		return newError(s3err.StorageFull)
	}
	return err
}
