// The direct API: seeding and inspection without a request, for the root
// package. Fault rules never apply to it.

package objects

import (
	"context"
	"io"
	"unicode/utf8"

	"github.com/mocks3/mocks3/internal/s3err"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/faulttrace"
)

// EnsureBucket creates a bucket whose name the caller has checked, in the
// configured region. An existing bucket is not an error.
func (s *Store) EnsureBucket(ctx context.Context, name string) error {
	ctx = faulttrace.Bypass(ctx)
	err := s.meta.CreateBucket(ctx, backend.Bucket{Name: name, Region: s.region, Created: s.now()})
	if err != nil && !isBucketExists(err) {
		return S3Error(err, name, "")
	}
	return nil
}

func isBucketExists(err error) bool {
	e, ok := S3Error(err, "", "").(*s3err.Error)
	return ok && e.Code == s3err.BucketAlreadyOwnedByYou
}

// SeedObject stores an object as a plain PUT of body with the given
// Content-Type would.
func (s *Store) SeedObject(ctx context.Context, bucket, key string, body io.Reader, contentType string) (backend.Object, error) {
	ctx = faulttrace.Bypass(ctx)
	if _, err := s.meta.GetBucket(ctx, bucket); err != nil {
		return backend.Object{}, S3Error(err, bucket, "")
	}
	switch {
	case key == "":
		return backend.Object{}, &s3err.Error{Code: s3err.InvalidArgument, Message: "Object key must not be empty."}
	case len(key) > 1024:
		return backend.Object{}, newError(s3err.KeyTooLong)
	case !utf8.ValidString(key):
		return backend.Object{}, &s3err.Error{Code: s3err.InvalidURI, Message: "Object keys must be valid UTF-8."}
	}
	obj, err := s.write(ctx, key, body, -1, backend.Headers{ContentType: contentType}, nil)
	if err != nil {
		return backend.Object{}, err
	}
	if _, err := s.Put(ctx, bucket, obj, backend.Condition{}); err != nil {
		return backend.Object{}, S3Error(err, bucket, key)
	}
	return obj, nil
}

// ReadObject returns an object's record and bytes.
func (s *Store) ReadObject(ctx context.Context, bucket, key string) (backend.Object, []byte, error) {
	ctx = faulttrace.Bypass(ctx)
	obj, rd, err := s.Open(ctx, bucket, key)
	if err != nil {
		return backend.Object{}, nil, S3Error(err, bucket, key)
	}
	defer rd.Close()
	if obj.DeleteMarker {
		return backend.Object{}, nil, S3Error(backend.ErrObjectNotFound, bucket, key)
	}
	data, err := io.ReadAll(io.NewSectionReader(rd, 0, obj.Size))
	return obj, data, err
}

// Keys returns the keys in bucket that start with prefix, in listing order.
func (s *Store) Keys(ctx context.Context, bucket, prefix string) ([]string, error) {
	ctx = faulttrace.Bypass(ctx)
	var keys []string
	in := ListInput{Prefix: prefix, Max: 1000}
	for {
		out, err := s.List(ctx, bucket, in)
		if err != nil {
			return nil, S3Error(err, bucket, "")
		}
		for _, o := range out.Objects {
			keys = append(keys, o.Key)
		}
		if !out.Truncated {
			return keys, nil
		}
		in.After = out.Last
	}
}
