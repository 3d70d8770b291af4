package metadatatest

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/backend/memory"
	"github.com/mocks3/mocks3/internal/metadata"
	"github.com/mocks3/mocks3/internal/suitetest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// runSuite runs the group of the suite named only against stores made by
// wrap(metadata.NewLocal(memory.New())) and returns the failures.
func runSuite(t *testing.T, only string, wrap func(metadata.Store) metadata.Store) []string {
	return suitetest.Record(t, only, func(t suitetest.T) {
		run(t, func(t suitetest.T) metadata.Store {
			b := memory.New()
			t.Cleanup(func() { b.Close() })
			return wrap(metadata.NewLocal(b))
		})
	})
}

func TestSuitePassesLocal(t *testing.T) {
	if failures := runSuite(t, "", func(s metadata.Store) metadata.Store { return s }); len(failures) > 0 {
		t.Errorf("suite failed a correct store:\n%s", strings.Join(failures, "\n"))
	}
}

// TestSuiteCatches feeds the suite stores with one defect each and checks
// that the group meant to catch it fails.
func TestSuiteCatches(t *testing.T) {
	tests := []struct {
		name  string
		wrap  func(metadata.Store) metadata.Store
		group string
	}{
		{"IgnoresCondition", func(s metadata.Store) metadata.Store { return ignoresCondition{s} }, "Conditions"},
		{"NonAtomicCondition", func(s metadata.Store) metadata.Store { return nonAtomicCondition{s} }, "Concurrency"},
		{"EmptyMetadataBecomesNil", func(s metadata.Store) metadata.Store { return emptyToNil{s} }, "Objects"},
		{"TruncatesTime", func(s metadata.Store) metadata.Store { return truncatesTime{s} }, "Objects"},
		{"UnsortedList", func(s metadata.Store) metadata.Store { return unsortedList{s} }, "List"},
		{"OpaqueBucketErrors", func(s metadata.Store) metadata.Store { return opaqueErrors{s} }, "Buckets"},
		{"OpaqueMissingBucket", func(s metadata.Store) metadata.Store { return opaqueErrors{s} }, "MissingBucket"},
		{"IgnoresContext", func(s metadata.Store) metadata.Store { return ignoresContext{s} }, "Context"},
		{"DropsUploadMetadata", func(s metadata.Store) metadata.Store { return dropsUploadMetadata{s} }, "Uploads"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			failures := runSuite(t, tt.group, tt.wrap)
			if len(failures) == 0 {
				t.Errorf("suite group %s passed a store that %s", tt.group, tt.name)
			}
		})
	}
}

type ignoresCondition struct{ metadata.Store }

func (s ignoresCondition) PutObject(ctx context.Context, bucket string, obj backend.Object, _ metadata.Condition) (*backend.Object, error) {
	return s.Store.PutObject(ctx, bucket, obj, metadata.Condition{})
}

// nonAtomicCondition checks the condition, then writes: another writer can
// slip in between.
type nonAtomicCondition struct{ metadata.Store }

func (s nonAtomicCondition) PutObject(ctx context.Context, bucket string, obj backend.Object, cond metadata.Condition) (*backend.Object, error) {
	var cur *backend.Object
	o, err := s.Store.GetObject(ctx, bucket, obj.Key)
	switch {
	case err == nil:
		cur = &o
	case !errors.Is(err, backend.ErrObjectNotFound):
		return nil, err
	}
	if err := cond.Check(cur); err != nil {
		return nil, err
	}
	time.Sleep(10 * time.Millisecond)
	return s.Store.PutObject(ctx, bucket, obj, metadata.Condition{})
}

type emptyToNil struct{ metadata.Store }

func (s emptyToNil) GetObject(ctx context.Context, bucket, key string) (backend.Object, error) {
	o, err := s.Store.GetObject(ctx, bucket, key)
	if len(o.Metadata) == 0 {
		o.Metadata = nil
	}
	return o, err
}

type truncatesTime struct{ metadata.Store }

func (s truncatesTime) GetObject(ctx context.Context, bucket, key string) (backend.Object, error) {
	o, err := s.Store.GetObject(ctx, bucket, key)
	o.LastModified = o.LastModified.Truncate(time.Second)
	return o, err
}

type unsortedList struct{ metadata.Store }

func (s unsortedList) ListObjects(ctx context.Context, bucket, from string, limit int) ([]backend.Object, error) {
	os, err := s.Store.ListObjects(ctx, bucket, from, limit)
	slices.Reverse(os)
	return os, err
}

// opaqueErrors replaces bucket errors with others of the same message, as
// a transport that does not map errors back would.
type opaqueErrors struct{ metadata.Store }

func opaque(err error) error {
	if err == nil {
		return nil
	}
	return errors.New(err.Error())
}

func (s opaqueErrors) CreateBucket(ctx context.Context, b backend.Bucket) error {
	return opaque(s.Store.CreateBucket(ctx, b))
}

func (s opaqueErrors) GetBucket(ctx context.Context, name string) (backend.Bucket, error) {
	b, err := s.Store.GetBucket(ctx, name)
	return b, opaque(err)
}

func (s opaqueErrors) ListObjects(ctx context.Context, bucket, from string, limit int) ([]backend.Object, error) {
	os, err := s.Store.ListObjects(ctx, bucket, from, limit)
	return os, opaque(err)
}

type ignoresContext struct{ metadata.Store }

func (s ignoresContext) GetObject(_ context.Context, bucket, key string) (backend.Object, error) {
	return s.Store.GetObject(context.Background(), bucket, key)
}

type dropsUploadMetadata struct{ metadata.Store }

func (s dropsUploadMetadata) GetUpload(ctx context.Context, bucket, key, id string) (backend.Upload, error) {
	u, err := s.Store.GetUpload(ctx, bucket, key, id)
	u.Metadata = nil
	return u, err
}
