// Package metadata is the metadata role: buckets, object records, the sorted
// listing index and multipart upload state.
package metadata

import (
	"context"
	"errors"
	"strings"

	"github.com/mocks3/mocks3/backend"
)

// Store is the metadata role's interface. Its errors are the backend's
// sentinel errors.
type Store interface {
	CreateBucket(ctx context.Context, b backend.Bucket) error
	GetBucket(ctx context.Context, name string) (backend.Bucket, error)
	ListBuckets(ctx context.Context) ([]backend.Bucket, error)
	DeleteBucket(ctx context.Context, name string) error

	GetObject(ctx context.Context, bucket, key string) (backend.Object, error)
	// PutObject stores obj if cond holds (ErrPreconditionFailed, or
	// backend.ErrObjectNotFound for IfMatch on a missing key) and returns
	// the record it replaced.
	PutObject(ctx context.Context, bucket string, obj backend.Object, cond Condition) (*backend.Object, error)
	DeleteObject(ctx context.Context, bucket, key string) (backend.Object, error)
	ListObjects(ctx context.Context, bucket, from string, limit int) ([]backend.Object, error)

	CreateUpload(ctx context.Context, u backend.Upload) error
	GetUpload(ctx context.Context, bucket, key, id string) (backend.Upload, error)
	PutPart(ctx context.Context, bucket, key, id string, p backend.Part) (*backend.Part, error)
	DeleteUpload(ctx context.Context, bucket, key, id string) (backend.Upload, error)
	// CompleteUpload stores obj and removes the upload in one step; see
	// backend.Backend.CompleteUpload. cond is checked as by PutObject.
	CompleteUpload(ctx context.Context, bucket, id string, obj backend.Object, cond Condition) (*backend.Object, backend.Upload, error)
	ListUploads(ctx context.Context, bucket string) ([]backend.Upload, error)
}

// Condition is a conditional write, declared rather than coded so that it
// can travel to a remote metadata service.
type Condition struct {
	IfNoneMatch bool   `json:"if_none_match,omitempty"` // the key must not exist
	IfMatch     string `json:"if_match,omitempty"`      // the current ETag must match
}

// ErrPreconditionFailed is returned when a Condition does not hold.
var ErrPreconditionFailed = errors.New("metadata: precondition failed")

// Check tests c against the current record (nil if none).
func (c Condition) Check(cur *backend.Object) error {
	if c.IfNoneMatch && cur != nil {
		return ErrPreconditionFailed
	}
	if c.IfMatch != "" {
		if cur == nil {
			return backend.ErrObjectNotFound
		}
		if !ETagMatches(c.IfMatch, cur.ETag) {
			return ErrPreconditionFailed
		}
	}
	return nil
}

// ETagMatches reports whether an If-Match style list names etag; "*"
// matches any.
func ETagMatches(list, etag string) bool {
	for _, v := range strings.Split(list, ",") {
		v = strings.TrimPrefix(strings.TrimSpace(v), "W/")
		if v == "*" || strings.Trim(v, `"`) == strings.Trim(etag, `"`) {
			return true
		}
	}
	return false
}

// Local is the in-process metadata role over a backend.
type Local struct{ backend.Backend }

var _ Store = Local{}

// NewLocal returns the in-process metadata role keeping its records in b.
func NewLocal(b backend.Backend) Local { return Local{b} }

// PutObject implements Store.
func (l Local) PutObject(ctx context.Context, bucket string, obj backend.Object, cond Condition) (*backend.Object, error) {
	return l.Backend.PutObject(ctx, bucket, obj, cond.callback())
}

// CompleteUpload implements Store.
func (l Local) CompleteUpload(ctx context.Context, bucket, id string, obj backend.Object, cond Condition) (*backend.Object, backend.Upload, error) {
	return l.Backend.CompleteUpload(ctx, bucket, id, obj, cond.callback())
}

// callback returns c as a backend.PutCondition, nil for none.
func (c Condition) callback() backend.PutCondition {
	if c == (Condition{}) {
		return nil
	}
	return c.Check
}

// ErrWriteLost is returned by a metadata role that acknowledges a write but
// drops it, as a lost-write fault does: the caller reports success and
// reclaims the write's bytes.
var ErrWriteLost = errors.New("metadata: write acknowledged but lost")
