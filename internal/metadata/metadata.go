// Package metadata is the metadata role: buckets, object records, the sorted
// listing index and multipart upload state.
package metadata

import (
	"context"
	"errors"

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
	PutObject(ctx context.Context, bucket string, obj backend.Object, cond backend.PutCondition) (*backend.Object, error)
	DeleteObject(ctx context.Context, bucket, key string) (backend.Object, error)
	ListObjects(ctx context.Context, bucket, from string, limit int) ([]backend.Object, error)

	CreateUpload(ctx context.Context, u backend.Upload) error
	GetUpload(ctx context.Context, bucket, key, id string) (backend.Upload, error)
	PutPart(ctx context.Context, bucket, key, id string, p backend.Part) (*backend.Part, error)
	DeleteUpload(ctx context.Context, bucket, key, id string) (backend.Upload, error)
	ListUploads(ctx context.Context, bucket string) ([]backend.Upload, error)
}

// Local is the in-process metadata role over a backend.
type Local struct{ backend.Backend }

var _ Store = Local{}

// NewLocal returns the in-process metadata role keeping its records in b.
func NewLocal(b backend.Backend) Local { return Local{b} }

// ErrWriteLost is returned by a metadata role that acknowledges a write but
// drops it, as a lost-write fault does: the caller reports success and
// reclaims the write's bytes.
var ErrWriteLost = errors.New("metadata: write acknowledged but lost")
