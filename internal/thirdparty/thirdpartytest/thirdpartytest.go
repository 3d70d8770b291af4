// Package thirdpartytest is a contract suite for thirdparty.Origin
// implementations, in the manner of internal/metadata/metadatatest: each
// origin, and the HTTP transport, calls Run once.
//
//	func TestFuncOrigin(t *testing.T) {
//		thirdpartytest.Run(t, func(t *testing.T, seed thirdpartytest.Seed) thirdparty.Origin {
//			return thirdparty.FuncOrigin(...)
//		}, thirdpartytest.BytesOnly())
//	}
//
// Each subtest asks newOrigin for an origin serving a set of objects (the
// seed) and checks: a present object comes back with exactly its bytes,
// its Size (or -1), content type and metadata; a missing key or bucket is
// thirdparty.ErrNotFound (with errors.Is); keys with spaces, unicode, '+',
// '%', '?', '#', "//" and "."/".." segments reach their own object and no
// other; an empty object is an object, not a miss; a 2 MiB object streams
// whole; a cancelled context makes Fetch fail with context.Canceled; and
// concurrent fetches (run it with -race) each get their own object.
//
// Content types and metadata are compared exactly (nil and empty metadata
// alike mean none), unless an Option says what the origin cannot carry:
// BytesOnly for an origin without attributes (FuncOrigin, and anything in
// front of one), DefaultContentType for one that gives objects stored
// without a content type a default (S3).
package thirdpartytest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"sync"
	"testing"

	"github.com/mocks3/mocks3/internal/suitetest"
	"github.com/mocks3/mocks3/internal/thirdparty"
)

// Key names an object: its bucket and key.
type Key struct {
	Bucket, Key string
}

func (k Key) String() string { return fmt.Sprintf("%q/%q", k.Bucket, k.Key) }

// Object is an object the origin under test must serve.
type Object struct {
	Data        []byte
	ContentType string            // "" for none
	Metadata    map[string]string // lower-case keys, without x-amz-meta-; nil for none
}

// Seed is the set of objects an origin serves: everything else is missing.
type Seed map[Key]Object

// Option adjusts what the suite expects of an origin.
type Option func(*config)

type config struct {
	bytesOnly   bool
	defaultType string
}

// BytesOnly is for origins that carry only an object's bytes (such as
// thirdparty.FuncOrigin): the suite then expects no content type and no
// metadata at all, rather than the seed's.
func BytesOnly() Option { return func(c *config) { c.bytesOnly = true } }

// DefaultContentType is for origins that give an object stored without a
// content type a default one (such as S3's "application/octet-stream"):
// the suite then expects ct where the seed has none.
func DefaultContentType(ct string) Option { return func(c *config) { c.defaultType = ct } }

// Run tests the origins newOrigin returns. It calls newOrigin once per
// subtest with the objects the origin must serve; newOrigin registers
// whatever cleanup the origin needs with the t it is given.
func Run(t *testing.T, newOrigin func(t *testing.T, seed Seed) thirdparty.Origin, opts ...Option) {
	t.Helper()
	run(suitetest.Adapt(t), func(t suitetest.T, seed Seed) thirdparty.Origin {
		return newOrigin(suitetest.Testing(t), seed)
	}, opts...)
}

// suite holds what every subtest needs.
type suite struct {
	newOrigin func(t suitetest.T, seed Seed) thirdparty.Origin
	config
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
		{"Fetch", s.testFetch},
		{"NotFound", s.testNotFound},
		{"Keys", s.testKeys},
		{"Empty", s.testEmpty},
		{"Large", s.testLarge},
		{"Context", s.testContext},
		{"Concurrency", s.testConcurrency},
	}
}

func run(t suitetest.T, newOrigin func(t suitetest.T, seed Seed) thirdparty.Origin, opts ...Option) {
	t.Helper()
	s := suite{newOrigin: newOrigin}
	for _, o := range opts {
		o(&s.config)
	}
	for _, g := range s.groups() {
		t.Run(g.name, g.f)
	}
}

// open returns an origin serving seed.
func (s suite) open(t suitetest.T, seed Seed) thirdparty.Origin {
	t.Helper()
	o := s.newOrigin(t, seed)
	if o == nil {
		t.Fatalf("newOrigin returned nil")
	}
	return o
}

const bucket = "src"

// fetch fetches k from o with ctx and reads the whole body. It reports
// (with Errorf, so it is safe off the test's goroutine) a success without
// a body, and returns the body's read error, if any, as err.
func fetch(t suitetest.T, ctx context.Context, o thirdparty.Origin, k Key) (thirdparty.Object, []byte, error) {
	t.Helper()
	obj, err := o.Fetch(ctx, k.Bucket, k.Key)
	if err != nil {
		return obj, nil, err
	}
	if obj.Body == nil {
		t.Errorf("Fetch(%v): nil Body with a nil error", k)
		return obj, nil, errors.New("nil body")
	}
	defer obj.Body.Close()
	b, err := io.ReadAll(obj.Body)
	if err != nil {
		return obj, b, fmt.Errorf("reading the body: %w", err)
	}
	return obj, b, nil
}

// check fetches k from o and reports every way the answer differs from
// want. It is safe off the test's goroutine.
func (s suite) check(t suitetest.T, ctx context.Context, o thirdparty.Origin, k Key, want Object) {
	t.Helper()
	obj, got, err := fetch(t, ctx, o, k)
	if err != nil {
		t.Errorf("Fetch(%v): %v", k, err)
		return
	}
	if !bytes.Equal(got, want.Data) {
		t.Errorf("Fetch(%v): body is %s, want %s", k, describe(got), describe(want.Data))
	}
	if obj.Size != -1 && obj.Size != int64(len(want.Data)) {
		t.Errorf("Fetch(%v): Size = %d, want %d or -1", k, obj.Size, len(want.Data))
	}
	wantCT, wantMD := want.ContentType, want.Metadata
	if s.bytesOnly {
		wantCT, wantMD = "", nil
	}
	if wantCT == "" {
		wantCT = s.defaultType
	}
	if obj.ContentType != wantCT {
		t.Errorf("Fetch(%v): ContentType = %q, want %q", k, obj.ContentType, wantCT)
	}
	// nil and empty metadata are the same: no metadata.
	if !maps.Equal(obj.Metadata, wantMD) {
		t.Errorf("Fetch(%v): Metadata = %v, want %v", k, obj.Metadata, wantMD)
	}
}

// describe shows a body briefly: short ones whole, long ones by length
// and their start.
func describe(b []byte) string {
	if len(b) <= 64 {
		return fmt.Sprintf("%q", b)
	}
	return fmt.Sprintf("%d bytes starting %q", len(b), b[:32])
}

// checkNotFound checks that fetching k fails with ErrNotFound.
func checkNotFound(t suitetest.T, ctx context.Context, o thirdparty.Origin, k Key) {
	t.Helper()
	obj, err := o.Fetch(ctx, k.Bucket, k.Key)
	if err == nil && obj.Body != nil {
		obj.Body.Close()
	}
	suitetest.CheckErr(t, fmt.Sprintf("Fetch(%v)", k), err, thirdparty.ErrNotFound)
}

// attributed are objects with different content types and metadata.
func attributed() Seed {
	return Seed{
		{bucket, "plain.txt"}: {Data: []byte("hello, origin\n"), ContentType: "text/plain; charset=utf-8",
			Metadata: map[string]string{"owner": "alice", "x-tag": "one two"}},
		{bucket, "dir/img.png"}: {Data: suitetest.Content(1, 1000), ContentType: "image/png",
			Metadata: map[string]string{"width": "10"}},
		{bucket, "bare"}:       {Data: []byte("no type, no metadata")},
		{"other", "plain.txt"}: {Data: []byte("same key, other bucket"), ContentType: "application/octet-stream"},
	}
}

// testFetch checks that each object comes back whole with its attributes.
func (s suite) testFetch(t suitetest.T) {
	seed := attributed()
	o := s.open(t, seed)
	for k, want := range seed {
		s.check(t, t.Context(), o, k, want)
	}
	// A second fetch of the same object gets it again.
	k := Key{bucket, "plain.txt"}
	s.check(t, t.Context(), o, k, seed[k])
}

// testNotFound checks that missing objects are ErrNotFound, including keys
// close to present ones and a missing bucket.
func (s suite) testNotFound(t suitetest.T) {
	o := s.open(t, Seed{
		{bucket, "a"}:     {Data: []byte("a")},
		{bucket, "dir/b"}: {Data: []byte("b")},
	})
	for _, k := range []Key{
		{bucket, "missing"},
		{bucket, "A"},      // case matters
		{bucket, "a/"},     // not a prefix match
		{bucket, "dir"},    // nor a directory
		{bucket, "dir/"},   //
		{bucket, "dir/b/"}, //
		{bucket, "dir/b/c"},
		{"nosuchbucket", "a"},
	} {
		checkNotFound(t, t.Context(), o, k)
	}
	// The present ones are still there.
	s.check(t, t.Context(), o, Key{bucket, "a"}, Object{Data: []byte("a")})
}

// OddKeys are keys that an escaping, unescaping or path-cleaning mistake
// turns into other keys, each of them paired with the key it would most
// likely become.
var OddKeys = []string{
	"with space", "with+plus", "with%percent", "pre%2Fescaped", "50%25",
	"q?x=1", "hash#frag", "semi;colon", "amp&eq=", "quote\"'", "tilde~",
	"日本語/ファイル", "é", "😀", "tab\there",
	"a//b", "a/b", "//lead", "lead", "trail/", "trail//",
	"../up", "up", "a/../b", "b", "a/./b", "./c", "c", "a/..", "a/.", "..x", ".",
}

// testKeys checks that odd keys each reach their own object.
func (s suite) testKeys(t suitetest.T) {
	seed := Seed{}
	for i, key := range OddKeys {
		seed[Key{bucket, key}] = Object{
			Data:     []byte(fmt.Sprintf("object %d: %s", i, key)),
			Metadata: map[string]string{"n": fmt.Sprint(i)},
		}
	}
	o := s.open(t, seed)
	for _, key := range OddKeys {
		k := Key{bucket, key}
		s.check(t, t.Context(), o, k, seed[k])
	}
	for _, key := range []string{"with%20space", "with plus", "with space ", "日本語", "a/b/", "../b"} {
		checkNotFound(t, t.Context(), o, Key{bucket, key})
	}
}

// testEmpty checks that an empty object is an object, not a miss.
func (s suite) testEmpty(t suitetest.T) {
	seed := Seed{
		{bucket, "empty"}:      {Data: []byte{}, ContentType: "text/plain", Metadata: map[string]string{"empty": "yes"}},
		{bucket, "empty-bare"}: {Data: []byte{}},
	}
	o := s.open(t, seed)
	for k, want := range seed {
		s.check(t, t.Context(), o, k, want)
	}
}

// LargeSize is the size of the object testLarge streams.
const LargeSize = 2 << 20

// testLarge checks that a large object comes back whole, read in small
// pieces.
func (s suite) testLarge(t suitetest.T) {
	want := Object{Data: suitetest.Content(2, LargeSize), ContentType: "application/octet-stream",
		Metadata: map[string]string{"size": "2MiB"}}
	k := Key{bucket, "large.bin"}
	o := s.open(t, Seed{k: want})
	s.check(t, t.Context(), o, k, want)

	// Read it again 1000 bytes at a time: a body that breaks when read in
	// pieces is caught too.
	obj, err := o.Fetch(t.Context(), k.Bucket, k.Key)
	if err != nil {
		t.Fatalf("Fetch(%v): %v", k, err)
	}
	defer obj.Body.Close()
	var got bytes.Buffer
	buf := make([]byte, 1000)
	for {
		n, err := obj.Body.Read(buf)
		got.Write(buf[:n])
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("Fetch(%v): reading the body after %d bytes: %v", k, got.Len(), err)
		}
	}
	if !bytes.Equal(got.Bytes(), want.Data) {
		t.Errorf("Fetch(%v) read in pieces: body is %s, want %s", k, describe(got.Bytes()), describe(want.Data))
	}
}

// testContext checks that Fetch with a cancelled context fails with the
// context's error, for present and missing objects alike, and that the
// origin still works afterwards.
func (s suite) testContext(t suitetest.T) {
	k := Key{bucket, "k"}
	want := Object{Data: []byte("v")}
	o := s.open(t, Seed{k: want})

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	for _, c := range []Key{k, {bucket, "missing"}} {
		obj, err := o.Fetch(ctx, c.Bucket, c.Key)
		if err == nil && obj.Body != nil {
			obj.Body.Close()
		}
		suitetest.CheckErr(t, fmt.Sprintf("Fetch(%v) with a cancelled context", c), err, context.Canceled)
	}
	s.check(t, t.Context(), o, k, want)
}

// testConcurrency fetches several objects, present and missing, large and
// small, from many goroutines at once.
func (s suite) testConcurrency(t suitetest.T) {
	seed := attributed()
	seed[Key{bucket, "large.bin"}] = Object{Data: suitetest.Content(3, 256<<10), ContentType: "application/octet-stream"}
	for i := range 8 {
		seed[Key{bucket, fmt.Sprintf("n/%d", i)}] = Object{Data: suitetest.Content(uint64(10+i), 1000+i),
			Metadata: map[string]string{"i": fmt.Sprint(i)}}
	}
	keys := make([]Key, 0, len(seed))
	for k := range seed {
		keys = append(keys, k)
	}
	o := s.open(t, seed)

	const workers = 8
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range 3 * len(keys) {
				if i%7 == w%7 {
					checkNotFound(t, t.Context(), o, Key{bucket, fmt.Sprintf("missing/%d/%d", w, i)})
					continue
				}
				k := keys[(w+i)%len(keys)]
				s.check(t, t.Context(), o, k, seed[k])
			}
		})
	}
	wg.Wait()
}
