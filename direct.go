package mocks3

import (
	"bytes"
	"context"
	"testing"

	"github.com/mocks3/mocks3/internal/gateway"
)

// CreateBucket creates a bucket directly, without a client. An existing
// bucket is not an error.
func (s *Server) CreateBucket(name string) error {
	return s.createBucket(context.Background(), name)
}

// createBucket creates a bucket with a name S3 accepts; an existing bucket
// is not an error.
func (s *Server) createBucket(ctx context.Context, name string) error {
	if err := gateway.CheckNewBucketName(name); err != nil {
		return err
	}
	return s.objects.EnsureBucket(ctx, name)
}

// PutObject stores an object directly, as a plain PUT would, creating the
// bucket if needed.
func (s *Server) PutObject(bucket, key string, data []byte) error {
	ctx := context.Background()
	if err := s.createBucket(ctx, bucket); err != nil {
		return err
	}
	_, err := s.objects.SeedObject(ctx, bucket, key, bytes.NewReader(data), "")
	return err
}

// GetObject returns an object's bytes directly. A missing bucket or key
// gives an error that is a smithy.APIError, as the client's errors are,
// with code NoSuchBucket or NoSuchKey.
func (s *Server) GetObject(bucket, key string) ([]byte, error) {
	_, data, err := s.objects.ReadObject(context.Background(), bucket, key)
	return data, err
}

// Keys returns the keys in bucket that start with prefix, in the order
// S3 lists them.
func (s *Server) Keys(bucket, prefix string) ([]string, error) {
	return s.objects.Keys(context.Background(), bucket, prefix)
}

// CheckObject fails tb unless bucket/key holds exactly want.
func (s *Server) CheckObject(tb testing.TB, bucket, key string, want []byte) {
	tb.Helper()
	got, err := s.GetObject(bucket, key)
	if err != nil {
		tb.Errorf("mocks3: object %s/%s: %v", bucket, key, err)
		return
	}
	if !bytes.Equal(got, want) {
		tb.Errorf("mocks3: object %s/%s holds %d bytes %.64q, want %d bytes %.64q", bucket, key, len(got), got, len(want), want)
	}
}

// CheckNoObject fails tb if bucket/key exists.
func (s *Server) CheckNoObject(tb testing.TB, bucket, key string) {
	tb.Helper()
	if _, err := s.GetObject(bucket, key); err == nil {
		tb.Errorf("mocks3: object %s/%s exists, want none", bucket, key)
	}
}
