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
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/metadata"
)

// testingT is the part of *testing.T the suite uses, so that the suite's
// own tests can run it against broken stores and record what it reports.
type testingT interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
	Cleanup(f func())
	Context() context.Context
	Run(name string, f func(t testingT)) bool
}

// realT adapts *testing.T to testingT.
type realT struct{ *testing.T }

func (r realT) Run(name string, f func(t testingT)) bool {
	return r.T.Run(name, func(t *testing.T) { f(realT{t}) })
}

// Run tests the stores newStore returns. It calls newStore once per subtest
// for a new, empty store; newStore registers whatever cleanup the store
// needs with the t it is given.
func Run(t *testing.T, newStore func(t *testing.T) metadata.Store) {
	t.Helper()
	run(realT{t}, func(t testingT) metadata.Store { return newStore(t.(realT).T) })
}

// suite holds what every subtest needs.
type suite struct {
	newStore func(t testingT) metadata.Store
}

// groups are the suite's top-level subtests, in order.
func (s suite) groups() []struct {
	name string
	f    func(t testingT)
} {
	return []struct {
		name string
		f    func(t testingT)
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

func run(t testingT, newStore func(t testingT) metadata.Store) {
	t.Helper()
	s := suite{newStore: newStore}
	for _, g := range s.groups() {
		t.Run(g.name, g.f)
	}
}

// open returns a new, empty store.
func (s suite) open(t testingT) metadata.Store {
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
func (s suite) openWithBucket(t testingT) metadata.Store {
	t.Helper()
	st := s.open(t)
	mustCreateBucket(t, st, testBucket)
	return st
}

func mustCreateBucket(t testingT, st metadata.Store, name string) {
	t.Helper()
	if err := st.CreateBucket(t.Context(), backend.Bucket{Name: name, Region: "us-east-1", Created: t0}); err != nil {
		t.Fatalf("CreateBucket(%q) = %v, want nil", name, err)
	}
}

func mustPut(t testingT, st metadata.Store, bucket string, o backend.Object) {
	t.Helper()
	if _, err := st.PutObject(t.Context(), bucket, o, metadata.Condition{}); err != nil {
		t.Fatalf("PutObject(%q, %q) = %v, want nil", bucket, o.Key, err)
	}
}

func mustCreateUpload(t testingT, st metadata.Store, u backend.Upload) {
	t.Helper()
	if err := st.CreateUpload(t.Context(), u); err != nil {
		t.Fatalf("CreateUpload(%q, %q) = %v, want nil", u.Key, u.ID, err)
	}
}

func mustPutPart(t testingT, st metadata.Store, u backend.Upload, p backend.Part) {
	t.Helper()
	if _, err := st.PutPart(t.Context(), u.Bucket, u.Key, u.ID, p); err != nil {
		t.Fatalf("PutPart(%q, %q, %d) = %v, want nil", u.Key, u.ID, p.Number, err)
	}
}

// t0 is a fixed time with nanoseconds and a non-UTC zone, so that a store
// or transport that truncates or shifts instants is caught.
var t0 = time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.FixedZone("UTC+2", 2*60*60))

// sortedKeys are object keys in ascending byte order, chosen where byte
// order differs from other plausible orders.
var sortedKeys = []string{
	"0", "B", "a", "a b", "a-", "a.", "a/", "a/b", "a0", "a\x7f", "b",
	"~", "é", "ü", "日本", "～", "😀",
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
		LastModified: t0,
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
			fullPart(1, "blob-1"),
			fullPart(2, "blob-2"),
		},
		Multipart: true,
	}
}

func fullPart(n int, blob backend.BlobID) backend.Part {
	return backend.Part{
		Number:       n,
		Size:         int64(n) * 5,
		ETag:         fmt.Sprintf(`"part-%d"`, n),
		Checksum:     backend.Checksum{Algorithm: "SHA256", Value: "qqqq", Type: "FULL_OBJECT"},
		LastModified: t0.Add(time.Duration(n) * time.Second),
		Blob:         blob,
	}
}

func fullUpload(bucket, key, id string, initiated time.Time) backend.Upload {
	return backend.Upload{
		Bucket:            bucket,
		Key:               key,
		ID:                id,
		Initiated:         initiated,
		Headers:           backend.Headers{ContentType: "image/png", CacheControl: "max-age=60"},
		Metadata:          map[string]string{"owner": "me"},
		ChecksumAlgorithm: "CRC32C",
		ChecksumType:      "COMPOSITE",
	}
}

// checkErr reports an error unless errors.Is(err, want); want nil means
// success. call describes the call, as in `GetObject("k")`.
func checkErr(t testingT, call string, err, want error) bool {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: err = %v, want %v", call, err, want)
		return false
	}
	return true
}

// checkDiff reports an error unless got equals want exactly (go-cmp: times
// by instant, nil and empty maps and slices told apart).
func checkDiff[T any](t testingT, call string, want, got T) bool {
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
func checkUpload(t testingT, call string, want, got backend.Upload) bool {
	t.Helper()
	if len(want.Parts) == 0 && len(got.Parts) == 0 {
		want.Parts, got.Parts = nil, nil
	}
	return checkDiff(t, call, want, got)
}

// checkKeys reports an error unless the records' keys are want, in order.
// An empty result may be nil or empty.
func checkKeys(t testingT, call string, want []string, got []backend.Object) bool {
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
