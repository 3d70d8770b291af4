// Object orchestration: the one place that turns S3 writes and reads into
// calls on the metadata and storage roles, keeping a failed write invisible
// and reclaiming the bytes of replaced objects.

package gateway

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/metadata"
	"github.com/mocks3/mocks3/s3api"
)

type objectStore struct {
	meta backend.Records
	data backend.Blobs
	now  func() time.Time
	// cleanup reclaims blobs no object references any more.
	cleanup func(ctx context.Context, ids []backend.BlobID)
}

// commit stores obj, whose blobs are already written. On failure obj's blobs
// are deleted if the write owns them, so nothing of a failed write stays
// behind; on success the blobs of the record it replaced that obj no longer
// uses are deleted.
func (s *objectStore) commit(ctx context.Context, bucket string, obj backend.Object, cond backend.Condition, owned bool) (*backend.Object, error) {
	replaced, err := s.meta.PutObject(ctx, bucket, obj, cond)
	if errors.Is(err, metadata.ErrWriteLost) {
		if owned {
			s.deleteBlobs(ctx, obj.Parts, nil)
		}
		return nil, nil
	}
	if err != nil {
		if owned {
			s.deleteBlobs(ctx, obj.Parts, nil)
		}
		return nil, conditionError(err, cond)
	}
	if replaced != nil {
		s.deleteBlobs(ctx, replaced.Parts, obj.Parts)
	}
	return replaced, nil
}

// complete stores a multipart upload's object and removes the upload in one
// step, then reclaims the bytes of the replaced record and of the upload's
// parts that obj leaves out. Until that step, Abort and UploadPart may still
// delete part bytes; after it, they find no upload.
func (s *objectStore) complete(ctx context.Context, bucket, id string, obj backend.Object, cond backend.Condition) error {
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
	return nil
}

// discardUploads aborts the bucket's multipart uploads if it holds no
// object, so that DeleteBucket can delete it; with objects it does nothing
// and DeleteBucket answers BucketNotEmpty.
func (s *objectStore) discardUploads(ctx context.Context, bucket string) error {
	objs, err := s.meta.ListObjects(ctx, bucket, "", 1)
	if err != nil || len(objs) > 0 {
		return err
	}
	ups, err := s.meta.ListUploads(ctx, bucket)
	if err != nil {
		return err
	}
	for _, u := range ups {
		done, err := s.meta.DeleteUpload(ctx, bucket, u.Key, u.ID)
		if errors.Is(err, backend.ErrUploadNotFound) {
			continue // completed or aborted meanwhile
		}
		if err != nil {
			return err
		}
		s.deleteBlobs(ctx, done.Parts, nil)
	}
	return nil
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
	return newError(s3api.ErrPreconditionFailed, extra("Condition", failed))
}

// deleteBlobs reclaims the blobs of parts that keep does not reference.
// Failures leave orphans, not broken objects, so they are not reported.
func (s *objectStore) deleteBlobs(ctx context.Context, parts, keep []backend.Part) {
	var ids []backend.BlobID
	for _, p := range parts {
		if p.Blob != "" && !referenced(keep, p.Blob) {
			ids = append(ids, p.Blob)
		}
	}
	if len(ids) > 0 {
		s.cleanup(ctx, ids)
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

// open returns an object's record and a reader over its bytes. A blob can
// vanish between reading the record and opening it when a concurrent write
// replaces the object; reading the record again then sees the new one.
func (s *objectStore) open(ctx context.Context, bucket, key string) (backend.Object, *objectReader, error) {
	for attempt := 0; ; attempt++ {
		obj, err := s.meta.GetObject(ctx, bucket, key, "")
		if err != nil {
			return backend.Object{}, nil, err
		}
		rd, err := s.openParts(ctx, obj.Parts)
		if errors.Is(err, backend.ErrBlobNotFound) && attempt < 3 {
			continue
		}
		if err != nil {
			return backend.Object{}, nil, err
		}
		return obj, rd, nil
	}
}

func (s *objectStore) openParts(ctx context.Context, parts []backend.Part) (*objectReader, error) {
	rd := &objectReader{}
	for _, p := range parts {
		if p.Size == 0 {
			continue
		}
		b, err := s.data.OpenBlob(ctx, p.Blob)
		if err != nil {
			rd.Close()
			return nil, err
		}
		rd.blobs = append(rd.blobs, b)
		rd.offsets = append(rd.offsets, rd.size)
		rd.size += p.Size
	}
	return rd, nil
}

// objectReader reads an object's bytes across the blobs of its parts.
type objectReader struct {
	blobs   []backend.Blob
	offsets []int64 // start of each blob within the object
	size    int64
}

// ReadAt implements io.ReaderAt.
func (o *objectReader) ReadAt(p []byte, off int64) (int, error) {
	if off >= o.size {
		return 0, io.EOF
	}
	n := 0
	for i, b := range o.blobs {
		end := o.offsets[i] + b.Size()
		if off >= end {
			continue
		}
		for len(p) > 0 && off < end {
			want := p
			if rem := end - off; int64(len(want)) > rem {
				want = want[:rem]
			}
			m, err := b.ReadAt(want, off-o.offsets[i])
			n += m
			off += int64(m)
			p = p[m:]
			if err != nil && !(errors.Is(err, io.EOF) && m == len(want)) {
				if errors.Is(err, io.EOF) {
					err = io.ErrUnexpectedEOF
				}
				return n, err
			}
		}
		if len(p) == 0 {
			return n, nil
		}
	}
	if off >= o.size {
		return n, io.EOF
	}
	return n, nil
}

// Close closes every blob.
func (o *objectReader) Close() error {
	var errs []error
	for _, b := range o.blobs {
		errs = append(errs, b.Close())
	}
	return errors.Join(errs...)
}

// s3Error maps role errors to S3 errors naming the resource.
func s3Error(err error, bucket, key string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, backend.ErrBucketNotFound):
		return newError(s3api.ErrNoSuchBucket, extra("BucketName", bucket))
	case errors.Is(err, backend.ErrObjectNotFound):
		return newError(s3api.ErrNoSuchKey, extra("Key", key))
	case errors.Is(err, backend.ErrUploadNotFound):
		return newError(s3api.ErrNoSuchUpload)
	case errors.Is(err, backend.ErrUploadChanged):
		// Parts kept being uploaded again while Complete assembled them.
		return newError(s3api.ErrInvalidPart)
	case errors.Is(err, backend.ErrBucketNotEmpty):
		return newError(s3api.ErrBucketNotEmpty, extra("BucketName", bucket))
	case errors.Is(err, backend.ErrBucketExists):
		return newError(s3api.ErrBucketAlreadyOwnedByYou, extra("BucketName", bucket))
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return newError(s3api.ErrRequestTimeout)
	case errors.Is(err, backend.ErrInsufficientStorage):
		return newError(s3api.ErrStorageFull)
	}
	return err
}

// delete removes an object and its bytes; deleting a missing key succeeds,
// as in S3.
func (s *objectStore) delete(ctx context.Context, bucket, key string) error {
	old, err := s.meta.DeleteObject(ctx, bucket, key, "")
	if errors.Is(err, backend.ErrObjectNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	s.deleteBlobs(ctx, old.Parts, nil)
	return nil
}
