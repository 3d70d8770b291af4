// Package backendtest is a conformance suite for backend.Backend
// implementations, in the manner of testing/fstest.TestFS.
//
// A backend's own tests call Run once:
//
//	func TestConformance(t *testing.T) {
//		backendtest.Run(t, func(t *testing.T) backend.Backend { return memory.New() })
//	}
//
// and a persistent backend also calls RunPersistent. The suite checks the
// contract documented on backend.Backend: error values, ordering, copies,
// blob semantics and safety under concurrent use (run it with -race).
package backendtest

import (
	"testing"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/suitetest"
)

// Run tests the backends newBackend returns. It calls newBackend once per
// subtest for a new, empty backend, and closes that backend when the
// subtest ends (so Close must be idempotent if newBackend also registers
// it).
func Run(t *testing.T, newBackend func(t *testing.T) backend.Backend) {
	t.Helper()
	run(suitetest.Adapt(t), func(t suitetest.T) backend.Backend {
		return newBackend(suitetest.Testing(t))
	})
}

// RunPersistent tests that a persistent backend keeps every acknowledged
// change across Close and reopening. open returns the backend stored in
// dir, creating it if dir is empty; RunPersistent calls it several times on
// the same dir, always after closing the previous backend.
func RunPersistent(t *testing.T, open func(t *testing.T, dir string) backend.Backend) {
	t.Helper()
	runPersistent(suitetest.Adapt(t), func(t suitetest.T, dir string) backend.Backend {
		return open(suitetest.Testing(t), dir)
	})
}

// suite holds what every subtest needs.
type suite struct {
	newBackend func(t suitetest.T) backend.Backend
}

func run(t suitetest.T, newBackend func(t suitetest.T) backend.Backend) {
	t.Helper()
	s := suite{newBackend: newBackend}
	t.Run("Buckets", s.testBuckets)
	t.Run("Objects", s.testObjects)
	t.Run("List", s.testList)
	t.Run("Uploads", s.testUploads)
	t.Run("Blobs", s.testBlobs)
	t.Run("Concurrency", s.testConcurrency)
	t.Run("Context", s.testContext)
	t.Run("Close", s.testClose)
}

// open returns a new backend that is closed when t ends.
func (s suite) open(t suitetest.T) backend.Backend {
	t.Helper()
	b := s.newBackend(t)
	if b == nil {
		t.Fatalf("newBackend returned nil")
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// testBucket is the bucket openWithBucket creates.
const testBucket = "bucket"

// openWithBucket returns a new backend holding one empty bucket, testBucket.
func (s suite) openWithBucket(t suitetest.T) backend.Backend {
	t.Helper()
	b := s.open(t)
	mustCreateBucket(t, b, testBucket)
	return b
}

func mustCreateBucket(t suitetest.T, b backend.Backend, name string) {
	t.Helper()
	if err := b.CreateBucket(t.Context(), backend.Bucket{Name: name, Region: "us-east-1", Created: suitetest.T0}); err != nil {
		t.Fatalf("CreateBucket(%q) = %v, want nil", name, err)
	}
}

func mustPut(t suitetest.T, b backend.Backend, bucket string, o backend.Object) {
	t.Helper()
	if _, err := b.PutObject(t.Context(), bucket, o, nil); err != nil {
		t.Fatalf("PutObject(%q, %q) = %v, want nil", bucket, o.Key, err)
	}
}

func mustCreateUpload(t suitetest.T, b backend.Backend, u backend.Upload) {
	t.Helper()
	if err := b.CreateUpload(t.Context(), u); err != nil {
		t.Fatalf("CreateUpload(%q, %q) = %v, want nil", u.Key, u.ID, err)
	}
}

func mustPutPart(t suitetest.T, b backend.Backend, u backend.Upload, p backend.Part) {
	t.Helper()
	if _, err := b.PutPart(t.Context(), u.Bucket, u.Key, u.ID, p); err != nil {
		t.Fatalf("PutPart(%q, %q, %d) = %v, want nil", u.Key, u.ID, p.Number, err)
	}
}
