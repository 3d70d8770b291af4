// Package backendtest is the conformance suite for the records and blobs
// contracts of package backend, in the manner of testing/fstest.TestFS. It
// runs against every implementation and every transport: memory, disk, and
// the metadata and storage roles over HTTP.
//
// A Backend's own tests call Run once:
//
//	func TestConformance(t *testing.T) {
//		backendtest.Run(t, func(t *testing.T) backend.Backend { return memory.New() })
//	}
//
// and a persistent backend also calls RunPersistent. An implementation of
// only one contract calls RunRecords or RunBlobs. The suite checks the
// contracts documented on backend.Records and backend.Blobs: error values,
// ordering, copies, conditions, blob semantics and safety under concurrent
// use (run it with -race).
package backendtest

import (
	"testing"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/suitetest"
)

// Run tests the backends newBackend returns against both contracts and
// Close. It calls newBackend once per subtest for a new, empty backend, and
// closes that backend when the subtest ends (so Close must be idempotent if
// newBackend also registers it).
func Run(t *testing.T, newBackend func(t *testing.T) backend.Backend) {
	t.Helper()
	run(suitetest.Adapt(t), func(t suitetest.T) backend.Backend {
		return newBackend(suitetest.Testing(t))
	})
}

// RunRecords tests the backend.Records newRecords returns, once per subtest
// for a new, empty one; newRecords registers any cleanup with t.
func RunRecords(t *testing.T, newRecords func(t *testing.T) backend.Records) {
	t.Helper()
	s := suite{newRecords: func(t suitetest.T) backend.Records { return newRecords(suitetest.Testing(t)) }}
	s.runRecords(suitetest.Adapt(t))
}

// RunBlobs tests the backend.Blobs newBlobs returns, once per subtest for a
// new, empty one; newBlobs registers any cleanup with t.
func RunBlobs(t *testing.T, newBlobs func(t *testing.T) backend.Blobs) {
	t.Helper()
	s := suite{newBlobs: func(t suitetest.T) backend.Blobs { return newBlobs(suitetest.Testing(t)) }}
	s.runBlobs(suitetest.Adapt(t))
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

// suite holds what every subtest needs: a constructor for each contract
// under test.
type suite struct {
	newRecords func(t suitetest.T) backend.Records
	newBlobs   func(t suitetest.T) backend.Blobs
	newBackend func(t suitetest.T) backend.Backend // for Close
}

func run(t suitetest.T, newBackend func(t suitetest.T) backend.Backend) {
	t.Helper()
	open := func(t suitetest.T) backend.Backend {
		t.Helper()
		b := newBackend(t)
		if b == nil {
			t.Fatalf("newBackend returned nil")
		}
		t.Cleanup(func() { b.Close() })
		return b
	}
	s := suite{
		newRecords: func(t suitetest.T) backend.Records { return open(t) },
		newBlobs:   func(t suitetest.T) backend.Blobs { return open(t) },
		newBackend: open,
	}
	s.runRecords(t)
	s.runBlobs(t)
	t.Run("Close", s.testClose)
}

func (s suite) runRecords(t suitetest.T) {
	t.Run("Buckets", s.testBuckets)
	t.Run("Objects", s.testObjects)
	t.Run("List", s.testList)
	t.Run("Uploads", s.testUploads)
	t.Run("Versions", s.testVersions)
	t.Run("UpdateObject", s.testUpdateObject)
	t.Run("BucketConfigs", s.testBucketConfigs)
	t.Run("Concurrency", s.testConcurrency)
	t.Run("Context", s.testRecordsContext)
}

func (s suite) runBlobs(t suitetest.T) {
	t.Run("Blobs", s.testBlobs)
	t.Run("BlobsConcurrency", s.testBlobsConcurrency)
	t.Run("BlobsContext", s.testBlobsContext)
}

// records returns a new, empty Records.
func (s suite) records(t suitetest.T) backend.Records {
	t.Helper()
	return made(t, "newRecords", s.newRecords)
}

// blobs returns a new, empty Blobs.
func (s suite) blobs(t suitetest.T) backend.Blobs {
	t.Helper()
	return made(t, "newBlobs", s.newBlobs)
}

// made returns what newFn makes, failing t if that is nil.
func made[T any](t suitetest.T, name string, newFn func(suitetest.T) T) T {
	t.Helper()
	v := newFn(t)
	if any(v) == nil {
		t.Fatalf("%s returned nil", name)
	}
	return v
}

// testBucket is the bucket recordsWithBucket creates.
const testBucket = "bucket"

// recordsWithBucket returns new Records holding one empty bucket,
// testBucket.
func (s suite) recordsWithBucket(t suitetest.T) backend.Records {
	t.Helper()
	b := s.records(t)
	mustCreateBucket(t, b, testBucket)
	return b
}

func mustCreateBucket(t suitetest.T, b backend.Records, name string) {
	t.Helper()
	if err := b.CreateBucket(t.Context(), backend.Bucket{Name: name, Region: "us-east-1", Created: suitetest.T0}); err != nil {
		t.Fatalf("CreateBucket(%q) = %v, want nil", name, err)
	}
}

func mustPut(t suitetest.T, b backend.Records, bucket string, o backend.Object) {
	t.Helper()
	if _, err := b.PutObject(t.Context(), bucket, o, backend.Condition{}); err != nil {
		t.Fatalf("PutObject(%q, %q) = %v, want nil", bucket, o.Key, err)
	}
}

func mustCreateUpload(t suitetest.T, b backend.Records, u backend.Upload) {
	t.Helper()
	if err := b.CreateUpload(t.Context(), u); err != nil {
		t.Fatalf("CreateUpload(%q, %q) = %v, want nil", u.Key, u.ID, err)
	}
}

func mustPutPart(t suitetest.T, b backend.Records, u backend.Upload, p backend.Part) {
	t.Helper()
	if _, err := b.PutPart(t.Context(), u.Bucket, u.Key, u.ID, p); err != nil {
		t.Fatalf("PutPart(%q, %q, %d) = %v, want nil", u.Key, u.ID, p.Number, err)
	}
}
