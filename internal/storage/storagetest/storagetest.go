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
	"strings"
	"sync"
	"testing"
	"testing/iotest"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/storage"
	"github.com/mocks3/mocks3/internal/suitetest"
)

const mib = 1 << 20

// copyBuf is the read size of the gateway's copy loop.
const copyBuf = 32 << 10

// Run tests the stores newStore returns. It calls newStore once per subtest
// for a new, empty store; newStore registers any cleanup with t.
func Run(t *testing.T, newStore func(t *testing.T) storage.Store) {
	t.Helper()
	run(suitetest.Adapt(t), func(t suitetest.T) storage.Store { return newStore(suitetest.Testing(t)) })
}

func run(t suitetest.T, newStore func(t suitetest.T) storage.Store) {
	t.Run("WriteRead", func(t suitetest.T) { testWriteRead(t, newStore(t)) })
	t.Run("SequentialReads", func(t suitetest.T) { testSequentialReads(t, newStore(t)) })
	t.Run("DistinctIDs", func(t suitetest.T) { testDistinctIDs(t, newStore(t)) })
	t.Run("Delete", func(t suitetest.T) { testDelete(t, newStore(t)) })
	t.Run("DeleteWhileOpen", func(t suitetest.T) { testDeleteWhileOpen(t, newStore(t)) })
	t.Run("NotFound", func(t suitetest.T) { testNotFound(t, newStore(t)) })
	t.Run("FailedReader", func(t suitetest.T) { testFailedReader(t, newStore(t)) })
	t.Run("Cancelled", func(t suitetest.T) { testCancelled(t, newStore(t)) })
	t.Run("Close", func(t suitetest.T) { testClose(t, newStore(t)) })
	t.Run("ConcurrentReads", func(t suitetest.T) { testConcurrentReads(t, newStore(t)) })
	t.Run("LargeStream", func(t suitetest.T) { testLargeStream(t, newStore(t)) })
}

func mustWrite(t suitetest.T, s storage.Store, data []byte) backend.BlobID {
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

func mustOpen(t suitetest.T, s storage.Store, id backend.BlobID) backend.Blob {
	t.Helper()
	bl, err := s.Open(t.Context(), id)
	if err != nil {
		t.Fatalf("Open(%q) = %v", id, err)
	}
	return bl
}

// checkBlob reports an error unless blob id holds want.
func checkBlob(t suitetest.T, s storage.Store, id backend.BlobID, want []byte) {
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
func checkSection(t suitetest.T, bl backend.Blob, off, n int64, want []byte) {
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
func checkReadAt(t suitetest.T, bl backend.Blob, want []byte) {
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

func testWriteRead(t suitetest.T, s storage.Store) {
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
		t.Run(tt.name, func(t suitetest.T) {
			want := suitetest.Content(uint64(i), tt.size)
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
func testSequentialReads(t suitetest.T, s storage.Store) {
	want := suitetest.Content(3, 5*mib+3)
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

func testDistinctIDs(t suitetest.T, s storage.Store) {
	ids := map[backend.BlobID]int{}
	for i := range 10 {
		id := mustWrite(t, s, suitetest.Content(uint64(i), 100+i))
		if j, ok := ids[id]; ok {
			t.Errorf("Write #%d returned ID %q, like Write #%d", i, id, j)
		}
		ids[id] = i
	}
	for id, i := range ids {
		checkBlob(t, s, id, suitetest.Content(uint64(i), 100+i))
	}
}

func testDelete(t suitetest.T, s storage.Store) {
	id := mustWrite(t, s, suitetest.Content(1, 1000))
	other := mustWrite(t, s, suitetest.Content(2, 200*1024))
	suitetest.CheckErr(t, "Delete", s.Delete(t.Context(), id), nil)
	_, err := s.Open(t.Context(), id)
	suitetest.CheckErr(t, "Open(deleted)", err, backend.ErrBlobNotFound)
	suitetest.CheckErr(t, "Delete(deleted)", s.Delete(t.Context(), id), backend.ErrBlobNotFound)
	checkBlob(t, s, other, suitetest.Content(2, 200*1024))
	next := mustWrite(t, s, suitetest.Content(3, 10))
	if next == id || next == other {
		t.Errorf("Write after Delete reused ID %q", next)
	}
	suitetest.CheckErr(t, "Delete(big)", s.Delete(t.Context(), other), nil)
	_, err = s.Open(t.Context(), other)
	suitetest.CheckErr(t, "Open(deleted)", err, backend.ErrBlobNotFound)
}

// testDeleteWhileOpen checks that a blob being read in order (as a GET
// streams it) stays readable when it is deleted: an overwrite deletes the
// replaced object's blobs while GETs may still stream them.
func testDeleteWhileOpen(t suitetest.T, s storage.Store) {
	for _, size := range []int{1000, 2*mib + 5} {
		want := suitetest.Content(1, size)
		id := mustWrite(t, s, want)
		bl := mustOpen(t, s, id)
		suitetest.CheckErr(t, "Delete(open)", s.Delete(t.Context(), id), nil)
		checkSection(t, bl, 0, int64(size), want)
		suitetest.CheckErr(t, "Blob.Close", bl.Close(), nil)
	}
}

func testNotFound(t suitetest.T, s storage.Store) {
	ids := []backend.BlobID{"", "0", "1", "nope", ".", "..", "../../etc/passwd", "/", "/etc/passwd",
		"blobs", ".tmp", "a/b", "a?b", "a#b", "%2F", "\x00", " ", backend.BlobID(strings.Repeat("f", 300)),
		"00000000-0000000000000000", "r1"}
	for _, id := range ids {
		_, err := s.Open(t.Context(), id)
		suitetest.CheckErr(t, fmt.Sprintf("Open(%q)", id), err, backend.ErrBlobNotFound)
		suitetest.CheckErr(t, fmt.Sprintf("Delete(%q)", id), s.Delete(t.Context(), id), backend.ErrBlobNotFound)
	}
}

func testFailedReader(t suitetest.T, s storage.Store) {
	errRead := errors.New("storagetest: read failed")
	for _, n := range []int{0, 10, 3*mib + 1} {
		for _, hint := range []int64{-1, int64(n), 4 * mib} {
			id, _, err := s.Write(t.Context(), suitetest.FailAfter(n, errRead), hint)
			call := fmt.Sprintf("Write(fails after %d bytes, hint %d)", n, hint)
			suitetest.CheckErr(t, call, err, errRead)
			if id != "" {
				t.Errorf("%s returned ID %q, want none", call, id)
			}
		}
	}
}

func testCancelled(t suitetest.T, s storage.Store) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	id, _, err := s.Write(ctx, bytes.NewReader(suitetest.Content(1, 10)), 10)
	suitetest.CheckErr(t, "Write(cancelled context)", err, context.Canceled)
	if id != "" {
		t.Errorf("Write(cancelled context) returned ID %q, want none", id)
	}
	_, err = s.Open(ctx, "1")
	suitetest.CheckErr(t, "Open(cancelled context)", err, context.Canceled)

	// Cancelled while reading: the reader never fails, so only the context
	// can stop the write.
	ctx, cancel = context.WithCancel(t.Context())
	defer cancel()
	r := suitetest.CancelOnRead(bytes.NewReader(make([]byte, 8*mib)), cancel)
	id, _, err = s.Write(ctx, r, -1)
	suitetest.CheckErr(t, "Write(context cancelled during the read)", err, context.Canceled)
	if id != "" {
		t.Errorf("Write(context cancelled during the read) returned ID %q, want none", id)
	}

	// A blob's reads end with the context it was opened with.
	want := suitetest.Content(2, 3*mib)
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
			suitetest.CheckErr(t, "ReadAt after its context ended", err, context.Canceled)
			return
		}
	}
	// A store may have the whole blob at hand already; then reads succeed.
}

func testClose(t suitetest.T, s storage.Store) {
	for _, size := range []int{10, 2 * mib} {
		id := mustWrite(t, s, suitetest.Content(1, size))
		bl := mustOpen(t, s, id)
		if _, err := bl.ReadAt(make([]byte, copyBuf), 0); err != nil && err != io.EOF {
			t.Fatalf("ReadAt = %v", err)
		}
		suitetest.CheckErr(t, "Close", bl.Close(), nil)
		if n, err := bl.ReadAt(make([]byte, 10), 0); err == nil {
			t.Errorf("ReadAt after Close = %d, nil; want an error", n)
		}
		_ = bl.Close() // must not panic
		checkBlob(t, s, id, suitetest.Content(1, size))
	}
}

func testConcurrentReads(t suitetest.T, s storage.Store) {
	want := suitetest.Content(7, 2*mib+3)
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
func testLargeStream(t suitetest.T, s storage.Store) {
	const size = 24 * mib
	id, n, err := s.Write(t.Context(), io.LimitReader(suitetest.Stream(9), size), -1)
	if err != nil || n != size {
		t.Fatalf("Write(%d generated bytes) = %d, %v", size, n, err)
	}
	bl := mustOpen(t, s, id)
	defer bl.Close()
	if bl.Size() != size {
		t.Fatalf("Size() = %d, want %d", bl.Size(), size)
	}
	gen := io.LimitReader(suitetest.Stream(9), size)
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
	suitetest.CheckErr(t, "Delete", s.Delete(t.Context(), id), nil)
}
