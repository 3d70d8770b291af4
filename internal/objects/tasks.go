// The queue's tasks: backfilling objects served from the third-party
// origin, and reclaiming the bytes of replaced and deleted objects.

package objects

import (
	"context"
	"crypto/md5"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/mocks3/mocks3/internal/s3err"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/crc64nvme"
	"github.com/mocks3/mocks3/internal/queue"
	"github.com/mocks3/mocks3/internal/thirdparty"
)

type backfillTask struct {
	Bucket string `json:"bucket"`
	Key    string `json:"key"`
}

// FromOrigin fetches an object missing locally from the third-party origin
// and schedules its backfill. It returns thirdparty.ErrNotFound when there
// is no origin or the origin has no such object either; the caller closes
// the object's Body.
func (s *Store) FromOrigin(ctx context.Context, bucket, key string) (thirdparty.Object, error) {
	if s.origin == nil {
		return thirdparty.Object{}, thirdparty.ErrNotFound
	}
	o, err := s.origin.Fetch(ctx, bucket, key)
	if err != nil {
		return thirdparty.Object{}, err
	}
	s.enqueue(ctx, queue.TypeBackfill, backfillTask{Bucket: bucket, Key: key})
	return o, nil
}

// HasOrigin reports whether a third-party origin is configured.
func (s *Store) HasOrigin() bool { return s.origin != nil }

// enqueue adds a task, or runs it at once when there is no queue. A task
// that cannot be queued is run at once too, so no work is lost.
func (s *Store) enqueue(ctx context.Context, taskType string, payload any) {
	b, err := json.Marshal(payload)
	if err != nil {
		return
	}
	ctx = context.WithoutCancel(ctx)
	if s.queue != nil {
		if _, err := s.queue.Enqueue(ctx, taskType, b); err == nil {
			return
		}
	}
	_ = s.RunTask(ctx, queue.Task{Type: taskType, Payload: b})
}

// RunTask runs one of the store's queue tasks: backfill, cleanup and
// notification delivery.
func (s *Store) RunTask(ctx context.Context, t queue.Task) error {
	switch t.Type {
	case queue.TypeBackfill:
		return s.backfill(ctx, t.Payload)
	case queue.TypeCleanup:
		return s.cleanup(ctx, t.Payload)
	case queue.TypeNotify:
		return s.deliver(ctx, t.Payload)
	}
	return fmt.Errorf("objects: unknown task type %q", t.Type)
}

// backfill stores an object fetched from the origin, unless a local write
// got there first.
func (s *Store) backfill(ctx context.Context, payload []byte) error {
	var t backfillTask
	if err := json.Unmarshal(payload, &t); err != nil {
		return fmt.Errorf("backfill: bad payload: %w", err)
	}
	if s.origin == nil {
		return nil
	}
	o, err := s.origin.Fetch(ctx, t.Bucket, t.Key)
	if errors.Is(err, thirdparty.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("backfill %s/%s: %w", t.Bucket, t.Key, err)
	}
	defer o.Body.Close()
	obj, err := s.write(ctx, t.Key, o.Body, o.Size, backend.Headers{ContentType: o.ContentType}, o.Metadata)
	if err != nil {
		return fmt.Errorf("backfill %s/%s: %w", t.Bucket, t.Key, err)
	}
	_, err = s.Put(ctx, t.Bucket, obj, backend.Condition{IfNoneMatch: true})
	var e *s3err.Error
	if errors.As(err, &e) && e.Code == s3err.PreconditionFailed {
		return nil // written locally meanwhile: the local object wins
	}
	return err
}

// write stores body as the single blob of a new object record, which it
// returns: the record for Put. The object gets S3's default checksum, a
// full-object CRC64NVME.
func (s *Store) write(ctx context.Context, key string, body io.Reader, size int64, hd backend.Headers, meta map[string]string) (backend.Object, error) {
	hash, crc := md5.New(), crc64nvme.New()
	id, n, err := s.data.WriteBlob(ctx, io.TeeReader(body, io.MultiWriter(hash, crc)), size)
	if err != nil {
		return backend.Object{}, err
	}
	sum := backend.Checksum{Algorithm: "CRC64NVME", Value: base64.StdEncoding.EncodeToString(crc.Sum(nil)), Type: "FULL_OBJECT"}
	return SinglePart(key, Written{Blob: id, Size: n, MD5: hash.Sum(nil), Checksum: sum}, s.now(), hd, meta), nil
}

// scheduleCleanup adds blobs no object references any more to the batch the
// next cleanup task deletes, queueing that task if none is queued.
func (s *Store) scheduleCleanup(ctx context.Context, ids []backend.BlobID) {
	s.mu.Lock()
	s.orphans = append(s.orphans, ids...)
	queued := s.cleanupQueued
	s.cleanupQueued = true
	s.mu.Unlock()
	if !queued {
		s.enqueue(ctx, queue.TypeCleanup, nil)
	}
}

// cleanup deletes the blobs a task lists, or, for a task without a list, the
// batch scheduleCleanup gathered.
func (s *Store) cleanup(ctx context.Context, payload []byte) error {
	var ids []backend.BlobID
	if err := json.Unmarshal(payload, &ids); err != nil {
		return fmt.Errorf("cleanup: bad payload: %w", err)
	}
	if ids == nil {
		s.mu.Lock()
		ids, s.orphans, s.cleanupQueued = s.orphans, nil, false
		s.mu.Unlock()
	}
	var errs []error
	for _, id := range ids {
		if err := s.data.DeleteBlob(ctx, id); err != nil && !errors.Is(err, backend.ErrBlobNotFound) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
