// Package storagetest is a contract suite for storage.Store
// implementations, in the manner of backend/backendtest.
//
// Each Store's tests call Run once:
//
//	func TestLocal(t *testing.T) {
//		storagetest.Run(t, func(t *testing.T) storage.Store { return storage.NewLocal(memory.New()) })
//	}
//
// The suite checks what the gateway relies on: writes of any size with
// right, wrong or missing size hints; reads at any offset with the
// io.ReaderAt contract; sequential 32 KiB reads (the gateway's copy loop)
// across multi-MiB blobs; deletes, also while a blob is open; not-found
// errors; failed and cancelled writes leaving nothing; concurrent reads.
package storagetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"testing/iotest"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/storage"
)

const mib = 1 << 20

// copyBuf is the read size of the gateway's copy loop.
const copyBuf = 32 << 10

// testingT is the part of *testing.T the suite uses, so that the suite's own
// tests can record what it reports against broken stores.
type testingT interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
	Context() context.Context
	Run(name string, f func(t testingT)) bool
}

type realT struct{ *testing.T }

func (r realT) Run(name string, f func(t testingT)) bool {
	return r.T.Run(name, func(t *testing.T) { f(realT{t}) })
}

// Run tests the stores newStore returns. It calls newStore once per subtest
// for a new, empty store; newStore registers any cleanup with t.
func Run(t *testing.T, newStore func(t *testing.T) storage.Store) {
	t.Helper()
	run(realT{t}, func(t testingT) storage.Store { return newStore(t.(realT).T) })
}

func run(t testingT, newStore func(t testingT) storage.Store) {
	t.Run("WriteRead", func(t testingT) { testWriteRead(t, newStore(t)) })
	t.Run("SequentialReads", func(t testingT) { testSequentialReads(t, newStore(t)) })
	t.Run("DistinctIDs", func(t testingT) { testDistinctIDs(t, newStore(t)) })
	t.Run("Delete", func(t testingT) { testDelete(t, newStore(t)) })
	t.Run("DeleteWhileOpen", func(t testingT) { testDeleteWhileOpen(t, newStore(t)) })
	t.Run("NotFound", func(t testingT) { testNotFound(t, newStore(t)) })
	t.Run("FailedReader", func(t testingT) { testFailedReader(t, newStore(t)) })
	t.Run("Cancelled", func(t testingT) { testCancelled(t, newStore(t)) })
	t.Run("Close", func(t testingT) { testClose(t, newStore(t)) })
	t.Run("ConcurrentReads", func(t testingT) { testConcurrentReads(t, newStore(t)) })
	t.Run("LargeStream", func(t testingT) { testLargeStream(t, newStore(t)) })
}

// content returns n pseudo-random bytes determined by seed.
func content(seed uint64, n int) []byte {
	b := make([]byte, n)
	_, _ = stream(seed).Read(b)
	return b
}

// stream returns an endless pseudo-random byte stream determined by seed;
// content(seed, n) is its first n bytes.
func stream(seed uint64) io.Reader {
	var s [32]byte
	s[0], s[1] = byte(seed), byte(seed>>8)
	return rand.NewChaCha8(s)
}

func checkErr(t testingT, call string, err, want error) bool {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: err = %v, want %v", call, err, want)
		return false
	}
	return true
}

func mustWrite(t testingT, s storage.Store, data []byte) backend.BlobID {
	t.Helper()
	id, n, err := s.Write(t.Context(), bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("Write(%d bytes) = %v", len(data), err)
	}
	if n != int64(len(data)) {
		t.Fatalf("Write(%d bytes) stored %d", len(data), n)
	}
	return id
}

func mustOpen(t testingT, s storage.Store, id backend.BlobID) backend.Blob {
	t.Helper()
	bl, err := s.Open(t.Context(), id)
	if err != nil {
		t.Fatalf("Open(%q) = %v", id, err)
	}
	return bl
}

// checkBlob reports an error unless blob id holds want.
func checkBlob(t testingT, s storage.Store, id backend.BlobID, want []byte) {
	t.Helper()
	bl, err := s.Open(t.Context(), id)
	if err != nil {
		t.Errorf("Open(%q) = %v", id, err)
		return
	}
	defer bl.Close()
	checkSection(t, bl, 0, int64(len(want)), want)
}

// checkSection reads [off, off+n) of bl the way the gateway does, through
// an io.SectionReader in copyBuf reads, and compares it with want[off:].
func checkSection(t testingT, bl backend.Blob, off, n int64, want []byte) {
	t.Helper()
	if bl.Size() != int64(len(want)) {
		t.Errorf("Size() = %d, want %d", bl.Size(), len(want))
		return
	}
	var got bytes.Buffer
	k, err := io.CopyBuffer(onlyWriter{&got}, io.NewSectionReader(bl, off, n), make([]byte, copyBuf))
	if err != nil || k != n {
		t.Errorf("copying bytes [%d, %d) of %d = %d, %v; want %d, nil", off, off+n, len(want), k, err, n)
		return
	}
	if !bytes.Equal(got.Bytes(), want[off:off+n]) {
		t.Errorf("bytes [%d, %d) of %d differ from those written", off, off+n, len(want))
	}
}

// onlyWriter hides a writer's ReadFrom, so that io.CopyBuffer uses the
// buffer it is given.
type onlyWriter struct{ w io.Writer }

func (o onlyWriter) Write(p []byte) (int, error) { return o.w.Write(p) }

// checkReadAt reads bl at offsets around the ends and MiB boundaries,
// checking the io.ReaderAt contract: a short read returns io.EOF.
func checkReadAt(t testingT, bl backend.Blob, want []byte) {
	t.Helper()
	size := int64(len(want))
	offs := []int64{0, 1, size / 2, mib - 1, mib, mib + 1, 2*mib - 3, size - 1, size, size + 1, size + mib}
	for _, off := range offs {
		if off < 0 {
			continue
		}
		for _, l := range []int64{1, 7, 4096, mib + 2} {
			buf := make([]byte, l)
			n, err := bl.ReadAt(buf, off)
			wantN := max(0, min(l, size-off))
			call := fmt.Sprintf("ReadAt(%d bytes, %d) of %d", l, off, size)
			switch {
			case int64(n) != wantN:
				t.Errorf("%s: n = %d, want %d (err %v)", call, n, wantN, err)
			case wantN < l && err != io.EOF:
				t.Errorf("%s: err = %v, want io.EOF", call, err)
			case wantN == l && err != nil && err != io.EOF:
				t.Errorf("%s: err = %v, want nil", call, err)
			case n > 0 && !bytes.Equal(buf[:n], want[off:off+int64(n)]):
				t.Errorf("%s read the wrong bytes", call)
			}
		}
	}
	if n, err := bl.ReadAt(make([]byte, 1), -1); err == nil {
		t.Errorf("ReadAt(1 byte, -1) = %d, nil; want an error", n)
	}
}

func testWriteRead(t testingT, s storage.Store) {
	big := 3*mib + 17
	tests := []struct {
		name string
		size int
		hint int64
		half bool // the reader returns short reads
	}{
		{"Empty", 0, 0, false},
		{"EmptyNoHint", 0, -1, false},
		{"OneByte", 1, 1, false},
		{"Small", 100, 100, false},
		{"SmallNoHint", 100, -1, true},
		{"SmallHintLow", 100, 50, false},
		{"SmallHintHigh", 100, 1000, false},
		{"SmallHintHuge", 100, 1 << 40, false},
		{"CopyBuffer", copyBuf, copyBuf, false},
		{"CopyBufferPlusOne", copyBuf + 1, copyBuf + 1, false},
		{"Chunk", mib, mib, false},
		{"Big", big, int64(big), false},
		{"BigNoHint", big, -1, true},
		{"BigHintLow", big, mib, false},
		{"BigHintHigh", big, 4 * mib, false},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t testingT) {
			want := content(uint64(i), tt.size)
			var r io.Reader = bytes.NewReader(want)
			if tt.half {
				r = iotest.HalfReader(r)
			}
			id, n, err := s.Write(t.Context(), r, tt.hint)
			if err != nil {
				t.Fatalf("Write(%d bytes, hint %d) = %v", tt.size, tt.hint, err)
			}
			if n != int64(tt.size) {
				t.Errorf("Write(%d bytes, hint %d) stored %d", tt.size, tt.hint, n)
			}
			bl := mustOpen(t, s, id)
			defer bl.Close()
			checkSection(t, bl, 0, int64(tt.size), want)
			checkReadAt(t, bl, want)
			if tt.size <= 1000 {
				if err := iotest.TestReader(io.NewSectionReader(bl, 0, bl.Size()), want); err != nil {
					t.Errorf("iotest.TestReader over the blob: %v", err)
				}
			}
		})
	}
}

// testSequentialReads reads one open multi-MiB blob as the gateway serves
// GETs of it: whole, by ranges, and again after seeking back.
func testSequentialReads(t testingT, s storage.Store) {
	want := content(3, 5*mib+3)
	size := int64(len(want))
	id := mustWrite(t, s, want)
	bl := mustOpen(t, s, id)
	defer bl.Close()
	sections := []struct{ off, n int64 }{
		{0, size},
		{mib + 5, 2*mib + 7}, // a ranged GET
		{0, mib},             // back to the start
		{mib, mib},           // continuing where the last one ended
		{size - copyBuf - 1, copyBuf + 1},
		{size - 1, 1},
		{3 * mib, size - 3*mib}, // a seek back, to the end
		{0, 0},
	}
	for _, sec := range sections {
		checkSection(t, bl, sec.off, sec.n, want)
	}
	// Two readers interleaving on the same blob.
	var a, b bytes.Buffer
	ra, rb := io.NewSectionReader(bl, 0, size), io.NewSectionReader(bl, mib, size-mib)
	buf := make([]byte, copyBuf)
	for done := false; !done; {
		done = true
		for _, x := range []struct {
			r *io.SectionReader
			w *bytes.Buffer
		}{{ra, &a}, {rb, &b}} {
			n, err := x.r.Read(buf)
			x.w.Write(buf[:n])
			if err == nil {
				done = false
			} else if err != io.EOF {
				t.Fatalf("interleaved sequential reads: %v", err)
			}
		}
	}
	if !bytes.Equal(a.Bytes(), want) || !bytes.Equal(b.Bytes(), want[mib:]) {
		t.Errorf("interleaved sequential reads read different bytes than written")
	}
}

func testDistinctIDs(t testingT, s storage.Store) {
	ids := map[backend.BlobID]int{}
	for i := range 10 {
		id := mustWrite(t, s, content(uint64(i), 100+i))
		if j, ok := ids[id]; ok {
			t.Errorf("Write #%d returned ID %q, like Write #%d", i, id, j)
		}
		ids[id] = i
	}
	for id, i := range ids {
		checkBlob(t, s, id, content(uint64(i), 100+i))
	}
}

func testDelete(t testingT, s storage.Store) {
	id := mustWrite(t, s, content(1, 1000))
	other := mustWrite(t, s, content(2, 200*1024))
	checkErr(t, "Delete", s.Delete(t.Context(), id), nil)
	_, err := s.Open(t.Context(), id)
	checkErr(t, "Open(deleted)", err, backend.ErrBlobNotFound)
	checkErr(t, "Delete(deleted)", s.Delete(t.Context(), id), backend.ErrBlobNotFound)
	checkBlob(t, s, other, content(2, 200*1024))
	next := mustWrite(t, s, content(3, 10))
	if next == id || next == other {
		t.Errorf("Write after Delete reused ID %q", next)
	}
	checkErr(t, "Delete(big)", s.Delete(t.Context(), other), nil)
	_, err = s.Open(t.Context(), other)
	checkErr(t, "Open(deleted)", err, backend.ErrBlobNotFound)
}

// testDeleteWhileOpen checks that a blob being read in order (as a GET
// streams it) stays readable when it is deleted: an overwrite deletes the
// replaced object's blobs while GETs may still stream them.
func testDeleteWhileOpen(t testingT, s storage.Store) {
	for _, size := range []int{1000, 2*mib + 5} {
		want := content(1, size)
		id := mustWrite(t, s, want)
		bl := mustOpen(t, s, id)
		checkErr(t, "Delete(open)", s.Delete(t.Context(), id), nil)
		checkSection(t, bl, 0, int64(size), want)
		checkErr(t, "Blob.Close", bl.Close(), nil)
	}
}

func testNotFound(t testingT, s storage.Store) {
	ids := []backend.BlobID{"", "0", "1", "nope", ".", "..", "../../etc/passwd", "/", "/etc/passwd",
		"blobs", ".tmp", "a/b", "a?b", "a#b", "%2F", "\x00", " ", backend.BlobID(strings.Repeat("f", 300)),
		"00000000-0000000000000000", "r1"}
	for _, id := range ids {
		_, err := s.Open(t.Context(), id)
		checkErr(t, fmt.Sprintf("Open(%q)", id), err, backend.ErrBlobNotFound)
		checkErr(t, fmt.Sprintf("Delete(%q)", id), s.Delete(t.Context(), id), backend.ErrBlobNotFound)
	}
}

// failingReader yields n zero bytes, then err.
type failingReader struct {
	n   int
	err error
}

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, r.err
	}
	k := min(len(p), r.n)
	clear(p[:k])
	r.n -= k
	return k, nil
}

func testFailedReader(t testingT, s storage.Store) {
	errRead := errors.New("storagetest: read failed")
	for _, n := range []int{0, 10, 3*mib + 1} {
		for _, hint := range []int64{-1, int64(n), 4 * mib} {
			id, _, err := s.Write(t.Context(), &failingReader{n: n, err: errRead}, hint)
			call := fmt.Sprintf("Write(fails after %d bytes, hint %d)", n, hint)
			checkErr(t, call, err, errRead)
			if id != "" {
				t.Errorf("%s returned ID %q, want none", call, id)
			}
		}
	}
}

// cancellingReader cancels its context on the first Read.
type cancellingReader struct {
	r      io.Reader
	cancel context.CancelFunc
}

func (c *cancellingReader) Read(p []byte) (int, error) {
	c.cancel()
	return c.r.Read(p)
}

func testCancelled(t testingT, s storage.Store) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	id, _, err := s.Write(ctx, bytes.NewReader(content(1, 10)), 10)
	checkErr(t, "Write(cancelled context)", err, context.Canceled)
	if id != "" {
		t.Errorf("Write(cancelled context) returned ID %q, want none", id)
	}
	_, err = s.Open(ctx, "1")
	checkErr(t, "Open(cancelled context)", err, context.Canceled)

	// Cancelled while reading: the reader never fails, so only the context
	// can stop the write.
	ctx, cancel = context.WithCancel(t.Context())
	defer cancel()
	r := &cancellingReader{r: bytes.NewReader(make([]byte, 8*mib)), cancel: cancel}
	id, _, err = s.Write(ctx, r, -1)
	checkErr(t, "Write(context cancelled during the read)", err, context.Canceled)
	if id != "" {
		t.Errorf("Write(context cancelled during the read) returned ID %q, want none", id)
	}

	// A blob's reads end with the context it was opened with.
	want := content(2, 3*mib)
	id = mustWrite(t, s, want)
	ctx, cancel = context.WithCancel(t.Context())
	bl, err := s.Open(ctx, id)
	if err != nil {
		t.Fatalf("Open = %v", err)
	}
	defer bl.Close()
	buf := make([]byte, copyBuf)
	if _, err := bl.ReadAt(buf, 0); err != nil {
		t.Fatalf("ReadAt(%d bytes, 0) = %v", len(buf), err)
	}
	cancel()
	for off := int64(copyBuf); off < int64(len(want)); off += copyBuf {
		if _, err := bl.ReadAt(buf, off); err != nil {
			checkErr(t, "ReadAt after its context ended", err, context.Canceled)
			return
		}
	}
	// A store may have the whole blob at hand already; then reads succeed.
}

func testClose(t testingT, s storage.Store) {
	for _, size := range []int{10, 2 * mib} {
		id := mustWrite(t, s, content(1, size))
		bl := mustOpen(t, s, id)
		if _, err := bl.ReadAt(make([]byte, copyBuf), 0); err != nil && err != io.EOF {
			t.Fatalf("ReadAt = %v", err)
		}
		checkErr(t, "Close", bl.Close(), nil)
		if n, err := bl.ReadAt(make([]byte, 10), 0); err == nil {
			t.Errorf("ReadAt after Close = %d, nil; want an error", n)
		}
		_ = bl.Close() // must not panic
		checkBlob(t, s, id, content(1, size))
	}
}

func testConcurrentReads(t testingT, s storage.Store) {
	want := content(7, 2*mib+3)
	id := mustWrite(t, s, want)
	bl := mustOpen(t, s, id)
	defer bl.Close()
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			buf := make([]byte, 64<<10+g)
			for off := int64(g * 1000); off < int64(len(want)); off += int64(len(buf)) * 3 {
				n, err := bl.ReadAt(buf, off)
				end := min(off+int64(len(buf)), int64(len(want)))
				if n != int(end-off) || (err != nil && err != io.EOF) || !bytes.Equal(buf[:n], want[off:end]) {
					t.Errorf("concurrent ReadAt(%d bytes, %d) = %d, %v, or wrong bytes", len(buf), off, n, err)
					return
				}
			}
		})
	}
	// Concurrent sequential readers, each through its own blob and the
	// same one.
	for g := range 4 {
		wg.Go(func() {
			b := bl
			if g%2 == 1 {
				var err error
				if b, err = s.Open(t.Context(), id); err != nil {
					t.Errorf("concurrent Open = %v", err)
					return
				}
				defer b.Close()
			}
			h := newCompare(want)
			if _, err := io.CopyBuffer(h, io.NewSectionReader(b, 0, int64(len(want))), make([]byte, copyBuf)); err != nil || !h.ok() {
				t.Errorf("concurrent sequential read: %v, or wrong bytes", err)
			}
		})
	}
	wg.Wait()
}

// compare is a writer checking that it is written want.
type compare struct {
	want []byte
	off  int
	bad  bool
}

func newCompare(want []byte) *compare { return &compare{want: want} }

func (c *compare) Write(p []byte) (int, error) {
	if c.off+len(p) > len(c.want) || !bytes.Equal(p, c.want[c.off:c.off+len(p)]) {
		c.bad = true
	}
	c.off += len(p)
	return len(p), nil
}

func (c *compare) ok() bool { return !c.bad && c.off == len(c.want) }

// testLargeStream writes a blob from a reader that generates it, without a
// size hint, and reads it back sequentially, comparing it with the
// generator's output: no copy of the whole blob exists outside the store.
func testLargeStream(t testingT, s storage.Store) {
	const size = 24 * mib
	id, n, err := s.Write(t.Context(), io.LimitReader(stream(9), size), -1)
	if err != nil || n != size {
		t.Fatalf("Write(%d generated bytes) = %d, %v", size, n, err)
	}
	bl := mustOpen(t, s, id)
	defer bl.Close()
	if bl.Size() != size {
		t.Fatalf("Size() = %d, want %d", bl.Size(), size)
	}
	gen := io.LimitReader(stream(9), size)
	buf, want := make([]byte, copyBuf), make([]byte, copyBuf)
	sr := io.NewSectionReader(bl, 0, size)
	for off := 0; off < size; off += copyBuf {
		if _, err := io.ReadFull(sr, buf); err != nil {
			t.Fatalf("reading at %d: %v", off, err)
		}
		_, _ = io.ReadFull(gen, want)
		if !bytes.Equal(buf, want) {
			t.Fatalf("bytes at %d differ from those written", off)
		}
	}
	if n, err := sr.Read(buf); n != 0 || err != io.EOF {
		t.Errorf("Read at the end = %d, %v; want 0, io.EOF", n, err)
	}
	checkErr(t, "Delete", s.Delete(t.Context(), id), nil)
}
