// Package benchutil holds the tests and benchmarks that the memory and disk
// backends share beyond the conformance suite: write cost, peak heap while
// writing, and listing cost.
package benchutil

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"testing"

	"github.com/mocks3/mocks3/backend"
)

// MiB is a mebibyte.
const MiB = 1 << 20

// reader yields n bytes of a fixed pattern without holding them, so that
// the heap measured is the backend's alone. Every sampleEvery bytes it calls
// sample.
type reader struct {
	n, off      int64
	pattern     [4096]byte
	sample      func()
	sampleEvery int64
}

func newReader(n int64, sample func()) *reader {
	r := &reader{n: n, sample: sample, sampleEvery: 8 * MiB}
	for i := range r.pattern {
		r.pattern[i] = byte(i*7 + i>>8)
	}
	return r
}

func (r *reader) Read(p []byte) (int, error) {
	if r.off >= r.n {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), r.n-r.off)]
	for i := 0; i < len(p); {
		i += copy(p[i:], r.pattern[(r.off+int64(i))%int64(len(r.pattern)):])
	}
	before := r.off
	r.off += int64(len(p))
	if r.sample != nil && before/r.sampleEvery != r.off/r.sampleEvery {
		r.sample()
	}
	return len(p), nil
}

// WriteBlob benchmarks writing an n-byte blob with an exact size hint,
// deleting it after each iteration.
func WriteBlob(b *testing.B, be backend.Backend, n int64) {
	ctx := context.Background()
	b.SetBytes(n)
	b.ReportAllocs()
	for b.Loop() {
		id, _, err := be.WriteBlob(ctx, newReader(n, nil), n)
		if err != nil {
			b.Fatal(err)
		}
		if err := be.DeleteBlob(ctx, id); err != nil {
			b.Fatal(err)
		}
	}
}

// PeakHeap writes an n-byte blob with sizeHint and returns the largest
// growth of the in-use heap seen during the write and just after it, in
// bytes.
func PeakHeap(tb testing.TB, be backend.Backend, n, sizeHint int64) int64 {
	tb.Helper()
	ctx := context.Background()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base, peak := ms.HeapInuse, ms.HeapInuse
	sample := func() {
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapInuse)
	}
	id, got, err := be.WriteBlob(ctx, newReader(n, sample), sizeHint)
	if err != nil {
		tb.Fatalf("WriteBlob(%d bytes) = %v", n, err)
	}
	sample()
	if got != n {
		tb.Fatalf("WriteBlob(%d bytes) stored %d", n, got)
	}
	if err := be.DeleteBlob(ctx, id); err != nil {
		tb.Fatalf("DeleteBlob = %v", err)
	}
	if peak < base {
		return 0
	}
	return int64(peak - base)
}

// BenchPeakHeap benchmarks PeakHeap for n bytes with an exact hint and
// reports the peak as peak-heap-MiB; it fails if the peak exceeds limit.
func BenchPeakHeap(b *testing.B, be backend.Backend, n, limit int64) {
	b.SetBytes(n)
	var worst int64
	for b.Loop() {
		worst = max(worst, PeakHeap(b, be, n, n))
	}
	b.ReportMetric(float64(worst)/MiB, "peak-heap-MiB")
	if worst > limit {
		b.Errorf("peak heap while writing %d MiB = %.1f MiB, want at most %.1f MiB",
			n/MiB, float64(worst)/MiB, float64(limit)/MiB)
	}
}

// ListObjects benchmarks listing the first 1000 of n objects.
func ListObjects(b *testing.B, be backend.Backend, n int) {
	ctx := context.Background()
	if err := be.CreateBucket(ctx, backend.Bucket{Name: "bench"}); err != nil {
		b.Fatal(err)
	}
	for i := range n {
		o := backend.Object{Key: fmt.Sprintf("dir/%08d", i*7919%n), Size: 1, ETag: `"x"`}
		if _, err := be.PutObject(ctx, "bench", o, backend.Condition{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		objs, err := be.ListObjects(ctx, "bench", "dir/0005", 1000)
		if err != nil {
			b.Fatal(err)
		}
		if len(objs) != 1000 {
			b.Fatalf("ListObjects returned %d records, want 1000", len(objs))
		}
	}
}
