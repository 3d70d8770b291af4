package backendtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing/iotest"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/suitetest"
)

const mib = 1 << 20

// mustWriteBlob stores data and returns its ID.
func mustWriteBlob(t suitetest.T, b backend.Blobs, data []byte) backend.BlobID {
	t.Helper()
	id, n, err := b.WriteBlob(t.Context(), bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("WriteBlob(%d bytes) = %v", len(data), err)
	}
	if n != int64(len(data)) {
		t.Fatalf("WriteBlob(%d bytes) stored %d", len(data), n)
	}
	return id
}

// checkBlob reports an error unless blob id holds want.
func checkBlob(t suitetest.T, b backend.Blobs, id backend.BlobID, want []byte) {
	t.Helper()
	bl, err := b.OpenBlob(t.Context(), id)
	if err != nil {
		t.Errorf("OpenBlob(%q) = %v", id, err)
		return
	}
	defer bl.Close()
	checkOpenBlob(t, bl, id, want)
}

func checkOpenBlob(t suitetest.T, bl backend.Blob, id backend.BlobID, want []byte) {
	t.Helper()
	if bl.Size() != int64(len(want)) {
		t.Errorf("blob %q: Size() = %d, want %d", id, bl.Size(), len(want))
	}
	got := make([]byte, len(want))
	n, err := bl.ReadAt(got, 0)
	if n != len(want) || (err != nil && err != io.EOF) {
		t.Errorf("blob %q: ReadAt(%d bytes, 0) = %d, %v; want %d, nil", id, len(want), n, err, len(want))
	} else if !bytes.Equal(got, want) {
		t.Errorf("blob %q: ReadAt(%d bytes, 0) read different bytes than written", id, len(want))
	}
}

func (s suite) testBlobs(t suitetest.T) {
	t.Run("SequentialReads", func(t suitetest.T) { testSequentialReads(t, s.blobs(t)) })
	t.Run("LargeStream", func(t suitetest.T) { testLargeStream(t, s.blobs(t)) })
	t.Run("CloseBlob", func(t suitetest.T) { testCloseBlob(t, s.blobs(t)) })
	t.Run("WriteRead", func(t suitetest.T) {
		b := s.blobs(t)
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
				id, n, err := b.WriteBlob(t.Context(), r, tt.hint)
				if err != nil {
					t.Fatalf("WriteBlob(%d bytes, hint %d) = %v", tt.size, tt.hint, err)
				}
				if n != int64(tt.size) {
					t.Errorf("WriteBlob(%d bytes, hint %d) stored %d", tt.size, tt.hint, n)
				}
				bl := mustOpenBlob(t, b, id)
				defer bl.Close()
				checkOpenBlob(t, bl, id, want)
				checkReadAt(t, bl, want)
				// TestReader makes tiny reads and prints whole contents.
				if tt.size <= 1000 {
					if err := iotest.TestReader(io.NewSectionReader(bl, 0, bl.Size()), want); err != nil {
						t.Errorf("iotest.TestReader over the blob: %v", err)
					}
				}
			})
		}
	})

	t.Run("DistinctIDs", func(t suitetest.T) {
		b := s.blobs(t)
		ids := map[backend.BlobID]int{}
		for i := range 10 {
			id := mustWriteBlob(t, b, suitetest.Content(uint64(i), 100+i))
			if j, ok := ids[id]; ok {
				t.Errorf("WriteBlob #%d returned ID %q, like WriteBlob #%d", i, id, j)
			}
			ids[id] = i
		}
		for id, i := range ids {
			checkBlob(t, b, id, suitetest.Content(uint64(i), 100+i))
		}
	})

	t.Run("Delete", func(t suitetest.T) {
		b := s.blobs(t)
		id := mustWriteBlob(t, b, suitetest.Content(1, 1000))
		other := mustWriteBlob(t, b, suitetest.Content(2, 1000))
		suitetest.CheckErr(t, "DeleteBlob", b.DeleteBlob(t.Context(), id), nil)
		_, err := b.OpenBlob(t.Context(), id)
		suitetest.CheckErr(t, "OpenBlob(deleted)", err, backend.ErrBlobNotFound)
		suitetest.CheckErr(t, "DeleteBlob(deleted)", b.DeleteBlob(t.Context(), id), backend.ErrBlobNotFound)
		checkBlob(t, b, other, suitetest.Content(2, 1000))
		next := mustWriteBlob(t, b, suitetest.Content(3, 10))
		if next == id || next == other {
			t.Errorf("WriteBlob after DeleteBlob reused ID %q", next)
		}
	})

	t.Run("DeleteWhileOpen", func(t suitetest.T) {
		b := s.blobs(t)
		want := suitetest.Content(1, 2*mib+5)
		id, bl := mustWriteOpen(t, b, want)
		suitetest.CheckErr(t, "DeleteBlob(open)", b.DeleteBlob(t.Context(), id), nil)
		checkOpenBlob(t, bl, id, want)
		suitetest.CheckErr(t, "Blob.Close", bl.Close(), nil)
	})

	t.Run("NotFound", func(t suitetest.T) {
		b := s.blobs(t)
		ids := []backend.BlobID{"", "0", "1", "nope", "..", "../../etc/passwd", "/", "/etc/passwd",
			"blobs", ".tmp", "a/b", "\x00", backend.BlobID(strings.Repeat("f", 300)), "00000000-0000000000000000"}
		for _, id := range ids {
			_, err := b.OpenBlob(t.Context(), id)
			suitetest.CheckErr(t, fmt.Sprintf("OpenBlob(%q)", id), err, backend.ErrBlobNotFound)
			suitetest.CheckErr(t, fmt.Sprintf("DeleteBlob(%q)", id), b.DeleteBlob(t.Context(), id), backend.ErrBlobNotFound)
		}
	})

	t.Run("FailedReader", func(t suitetest.T) {
		b := s.blobs(t)
		errRead := errors.New("backendtest: read failed")
		for _, n := range []int{0, 10, 3*mib + 1} {
			for _, hint := range []int64{-1, int64(n), 4 * mib} {
				id, _, err := b.WriteBlob(t.Context(), suitetest.FailAfter(n, errRead), hint)
				call := fmt.Sprintf("WriteBlob(fails after %d bytes, hint %d)", n, hint)
				suitetest.CheckErr(t, call, err, errRead)
				if id != "" {
					t.Errorf("%s returned ID %q, want none", call, id)
				}
			}
		}
	})

	t.Run("Cancelled", func(t suitetest.T) {
		b := s.blobs(t)
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		id, _, err := b.WriteBlob(ctx, bytes.NewReader(suitetest.Content(1, 10)), 10)
		suitetest.CheckErr(t, "WriteBlob(cancelled context)", err, context.Canceled)
		if id != "" {
			t.Errorf("WriteBlob(cancelled context) returned ID %q, want none", id)
		}

		// Cancelled while reading: the reader never fails, so only the
		// context can stop the write.
		ctx, cancel = context.WithCancel(t.Context())
		defer cancel()
		r := suitetest.CancelOnRead(bytes.NewReader(make([]byte, 8*mib)), cancel)
		id, _, err = b.WriteBlob(ctx, r, -1)
		suitetest.CheckErr(t, "WriteBlob(context cancelled during the read)", err, context.Canceled)
		if id != "" {
			t.Errorf("WriteBlob(context cancelled during the read) returned ID %q, want none", id)
		}
	})

	t.Run("ConcurrentReads", func(t suitetest.T) {
		b := s.blobs(t)
		want := suitetest.Content(7, 2*mib+3)
		_, bl := mustWriteOpen(t, b, want)
		defer bl.Close()
		parallel(8, func(g int) {
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
	})
}

// checkReadAt reads bl at offsets around chunk boundaries and both ends,
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
			if int64(n) != wantN {
				t.Errorf("%s: n = %d, want %d", call, n, wantN)
				continue
			}
			if wantN < l && err != io.EOF {
				t.Errorf("%s: err = %v, want io.EOF", call, err)
			}
			if wantN == l && err != nil && err != io.EOF {
				t.Errorf("%s: err = %v, want nil", call, err)
			}
			if n > 0 && !bytes.Equal(buf[:n], want[off:off+int64(n)]) {
				t.Errorf("%s read the wrong bytes", call)
			}
		}
	}
	if n, err := bl.ReadAt(make([]byte, 1), -1); err == nil {
		t.Errorf("ReadAt(1 byte, -1) = %d, nil; want an error", n)
	}
}

func byteReader(b []byte) io.Reader { return bytes.NewReader(b) }

// copyBuf is the read size of the gateway's copy loop.
const copyBuf = 32 << 10

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

func testSequentialReads(t suitetest.T, s backend.Blobs) {
	want := suitetest.Content(3, 5*mib+3)
	size := int64(len(want))
	_, bl := mustWriteOpen(t, s, want)
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

func testLargeStream(t suitetest.T, s backend.Blobs) {
	const size = 24 * mib
	id, n, err := s.WriteBlob(t.Context(), io.LimitReader(suitetest.Stream(9), size), -1)
	if err != nil || n != size {
		t.Fatalf("Write(%d generated bytes) = %d, %v", size, n, err)
	}
	bl := mustOpenBlob(t, s, id)
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
	suitetest.CheckErr(t, "Delete", s.DeleteBlob(t.Context(), id), nil)
}

func testCloseBlob(t suitetest.T, s backend.Blobs) {
	for _, size := range []int{10, 2 * mib} {
		id, bl := mustWriteOpen(t, s, suitetest.Content(1, size))
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

// mustWriteOpen writes data as a new blob and opens it.
func mustWriteOpen(t suitetest.T, s backend.Blobs, data []byte) (backend.BlobID, backend.Blob) {
	t.Helper()
	id := mustWriteBlob(t, s, data)
	return id, mustOpenBlob(t, s, id)
}

func mustOpenBlob(t suitetest.T, s backend.Blobs, id backend.BlobID) backend.Blob {
	t.Helper()
	bl, err := s.OpenBlob(t.Context(), id)
	if err != nil {
		t.Fatalf("OpenBlob(%q) = %v", id, err)
	}
	return bl
}
