package gateway

import (
	"context"
	"io"
	"unicode/utf8"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/faulttrace"
	"github.com/mocks3/mocks3/s3api"
)

// CreateBucket creates a bucket without a request, for seeding. An existing
// bucket is not an error.
func (h *Handler) CreateBucket(ctx context.Context, name string) error {
	ctx = faulttrace.Bypass(ctx)
	if !ValidBucketName(name) {
		return invalidBucketName(name)
	}
	err := h.store.meta.CreateBucket(ctx, backend.Bucket{Name: name, Region: h.cfg.Region, Created: h.now()})
	if err != nil && !isBucketExists(err) {
		return s3Error(err, name, "")
	}
	return nil
}

func isBucketExists(err error) bool {
	e, ok := s3Error(err, "", "").(*s3api.Error)
	return ok && e.Code == s3api.ErrBucketAlreadyOwnedByYou
}

// PutObject stores an object without a request, as a plain PUT of body
// with the given Content-Type would.
func (h *Handler) PutObject(ctx context.Context, bucket, key string, body io.Reader, contentType string) (backend.Object, error) {
	ctx = faulttrace.Bypass(ctx)
	if _, err := h.store.meta.GetBucket(ctx, bucket); err != nil {
		return backend.Object{}, s3Error(err, bucket, "")
	}
	switch {
	case key == "":
		return backend.Object{}, errorf(s3api.ErrInvalidArgument, "Object key must not be empty.")
	case len(key) > 1024:
		return backend.Object{}, newError(s3api.ErrKeyTooLong)
	case !utf8.ValidString(key):
		return backend.Object{}, errorf(s3api.ErrInvalidURI, "Object keys must be valid UTF-8.")
	}
	hasher := newObjectHasher("")
	id, n, err := h.store.data.WriteBlob(ctx, io.TeeReader(body, hasher), -1)
	if err != nil {
		return backend.Object{}, err
	}
	s := stored{blob: id, size: n, md5: hasher.md5Sum()}
	obj := s.object(key, h.now(), backend.Headers{ContentType: contentType}, nil)
	if _, err := h.store.commit(ctx, bucket, obj, backend.Condition{}, true); err != nil {
		return backend.Object{}, s3Error(err, bucket, key)
	}
	return obj, nil
}

// GetObject returns an object's record and bytes without a request.
func (h *Handler) GetObject(ctx context.Context, bucket, key string) (backend.Object, []byte, error) {
	ctx = faulttrace.Bypass(ctx)
	obj, rd, err := h.store.open(ctx, bucket, key)
	if err != nil {
		return backend.Object{}, nil, s3Error(err, bucket, key)
	}
	defer rd.Close()
	data, err := io.ReadAll(io.NewSectionReader(rd, 0, obj.Size))
	return obj, data, err
}

// Keys returns the keys in bucket that start with prefix, in listing order.
func (h *Handler) Keys(ctx context.Context, bucket, prefix string) ([]string, error) {
	ctx = faulttrace.Bypass(ctx)
	var keys []string
	in := listInput{prefix: prefix, max: 1000}
	for {
		out, err := h.store.list(ctx, bucket, in)
		if err != nil {
			return nil, s3Error(err, bucket, "")
		}
		for _, o := range out.objects {
			keys = append(keys, o.Key)
		}
		if !out.truncated {
			return keys, nil
		}
		in.after = out.last
	}
}
