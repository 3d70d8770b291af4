// Package metadatatest is a contract suite for metadata.Store
// implementations, in the manner of backend/backendtest: the in-process
// role and the HTTP client both call Run once.
//
//	func TestLocal(t *testing.T) {
//		metadatatest.Run(t, func(t *testing.T) metadata.Store { return metadata.NewLocal(memory.New()) })
//	}
//
// The suite checks every Store method: error sentinels (with errors.Is),
// write conditions, sorted listing with from and limit, multipart uploads
// and parts, cancelled contexts, atomic conditional writes under concurrent
// use (run it with -race), and that records come back exactly as they were
// stored. Records are compared with go-cmp, so times by instant (Equal);
// nil and empty maps and slices inside a record are told apart, because a
// Store returns what was stored and a transport must carry it faithfully.
// Only what the Store computes itself is left open: an empty list result,
// and the Parts of an upload that has none, may be nil or empty.
package metadatatest

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/metadata"
	"github.com/mocks3/mocks3/internal/suitetest"
)

// Run tests the stores newStore returns. It calls newStore once per subtest
// for a new, empty store; newStore registers whatever cleanup the store
// needs with the t it is given.
func Run(t *testing.T, newStore func(t *testing.T) metadata.Store) {
	t.Helper()
	run(suitetest.Adapt(t), func(t suitetest.T) metadata.Store { return newStore(suitetest.Testing(t)) })
}

// suite holds what every subtest needs.
type suite struct {
	newStore func(t suitetest.T) metadata.Store
}

// groups are the suite's top-level subtests, in order.
func (s suite) groups() []struct {
	name string
	f    func(t suitetest.T)
} {
	return []struct {
		name string
		f    func(t suitetest.T)
	}{
		{"Buckets", s.testBuckets},
		{"Objects", s.testObjects},
		{"Conditions", s.testConditions},
		{"List", s.testList},
		{"Uploads", s.testUploads},
		{"MissingBucket", s.testMissingBucket},
		{"Context", s.testContext},
		{"Concurrency", s.testConcurrency},
	}
}

func run(t suitetest.T, newStore func(t suitetest.T) metadata.Store) {
	t.Helper()
	s := suite{newStore: newStore}
	for _, g := range s.groups() {
		t.Run(g.name, g.f)
	}
}

// open returns a new, empty store.
func (s suite) open(t suitetest.T) metadata.Store {
	t.Helper()
	st := s.newStore(t)
	if st == nil {
		t.Fatalf("newStore returned nil")
	}
	return st
}

// testBucket is the bucket openWithBucket creates.
const testBucket = "bucket"

// openWithBucket returns a new store holding one empty bucket, testBucket.
func (s suite) openWithBucket(t suitetest.T) metadata.Store {
	t.Helper()
	st := s.open(t)
	mustCreateBucket(t, st, testBucket)
	return st
}

func mustCreateBucket(t suitetest.T, st metadata.Store, name string) {
	t.Helper()
	if err := st.CreateBucket(t.Context(), backend.Bucket{Name: name, Region: "us-east-1", Created: suitetest.T0}); err != nil {
		t.Fatalf("CreateBucket(%q) = %v, want nil", name, err)
	}
}

func mustPut(t suitetest.T, st metadata.Store, bucket string, o backend.Object) {
	t.Helper()
	if _, err := st.PutObject(t.Context(), bucket, o, metadata.Condition{}); err != nil {
		t.Fatalf("PutObject(%q, %q) = %v, want nil", bucket, o.Key, err)
	}
}

func mustCreateUpload(t suitetest.T, st metadata.Store, u backend.Upload) {
	t.Helper()
	if err := st.CreateUpload(t.Context(), u); err != nil {
		t.Fatalf("CreateUpload(%q, %q) = %v, want nil", u.Key, u.ID, err)
	}
}

func mustPutPart(t suitetest.T, st metadata.Store, u backend.Upload, p backend.Part) {
	t.Helper()
	if _, err := st.PutPart(t.Context(), u.Bucket, u.Key, u.ID, p); err != nil {
		t.Fatalf("PutPart(%q, %q, %d) = %v, want nil", u.Key, u.ID, p.Number, err)
	}
}

// oddKeys are keys that a transport putting keys in URLs or paths, or
// trimming them, would mangle.
var oddKeys = []string{
	"..", "../x", "/", "//", "/leading", "trailing/", ".", "a\\b", "%2F", "%",
	"?x=1", "#frag", "a b\tc\nd", " padded ", `"quoted"`, "<&>", "\x00nul",
	"\u2028", "日本語/ファイル", strings.Repeat("k", 1024),
}

func fullObject(key string) backend.Object {
	return backend.Object{
		Key:          key,
		Size:         11,
		ETag:         `"etag-1"`,
		LastModified: suitetest.T0,
		Headers: backend.Headers{
			ContentType:        "text/plain; charset=utf-8",
			ContentEncoding:    "gzip",
			ContentDisposition: `attachment; filename="x.txt"`,
			ContentLanguage:    "en",
			CacheControl:       "no-cache",
			Expires:            "Wed, 21 Oct 2015 07:28:00 GMT",
		},
		Metadata: map[string]string{"a": "1", "long-name": "two words", "utf8": "é", "empty": ""},
		Checksum: backend.Checksum{Algorithm: "CRC32", Value: "AAAAAA==-2", Type: "COMPOSITE"},
		Parts: []backend.Part{
			suitetest.FullPart(1, "blob-1"),
			suitetest.FullPart(2, "blob-2"),
		},
		Multipart: true,
		UploadID:  "upload-1",
	}
}

// checkDiff reports an error unless got equals want exactly (go-cmp: times
// by instant, nil and empty maps and slices told apart).
func checkDiff[T any](t suitetest.T, call string, want, got T) bool {
	t.Helper()
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", call, d)
		return false
	}
	return true
}

// checkUpload is checkDiff for an upload returned by GetUpload or
// DeleteUpload, whose Parts the store fills: with no parts, nil and empty
// are both right.
func checkUpload(t suitetest.T, call string, want, got backend.Upload) bool {
	t.Helper()
	if len(want.Parts) == 0 && len(got.Parts) == 0 {
		want.Parts, got.Parts = nil, nil
	}
	return checkDiff(t, call, want, got)
}

// checkKeys reports an error unless the records' keys are want, in order.
// An empty result may be nil or empty.
func checkKeys(t suitetest.T, call string, want []string, got []backend.Object) bool {
	t.Helper()
	keys := make([]string, len(got))
	for i, o := range got {
		keys[i] = o.Key
	}
	if len(want) == 0 && len(keys) == 0 {
		return true
	}
	return checkDiff(t, call+" keys", want, keys)
}
