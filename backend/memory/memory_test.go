package memory_test

import (
	"fmt"
	"testing"

	"go.uber.org/goleak"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/backend/backendtest"
	"github.com/mocks3/mocks3/backend/internal/benchutil"
	"github.com/mocks3/mocks3/backend/memory"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func TestConformance(t *testing.T) {
	backendtest.Run(t, func(*testing.T) backend.Backend { return memory.New() })
}

// TestWriteBlobHeap checks that storing a blob costs about its size in heap,
// whatever the hint: chunks, not a doubling buffer.
func TestWriteBlobHeap(t *testing.T) {
	const n = 32 * benchutil.MiB
	tests := []struct {
		name string
		hint int64
	}{
		{"ExactHint", n},
		{"NoHint", -1},
		{"LowHint", benchutil.MiB},
		{"HugeHint", 1 << 40},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := memory.New()
			defer m.Close()
			// 1.1x, plus slack for the runtime's own bookkeeping.
			limit := int64(n*11/10 + benchutil.MiB)
			if got := benchutil.PeakHeap(t, m, n, tt.hint); got > limit {
				t.Errorf("peak heap writing %d MiB with hint %d = %.1f MiB, want at most %.1f MiB",
					n/benchutil.MiB, tt.hint, float64(got)/benchutil.MiB, float64(limit)/benchutil.MiB)
			}
		})
	}
}

func BenchmarkWriteBlob(b *testing.B) {
	for _, n := range []int64{benchutil.MiB, 64 * benchutil.MiB} {
		b.Run(fmt.Sprintf("%dMiB", n/benchutil.MiB), func(b *testing.B) {
			m := memory.New()
			defer m.Close()
			benchutil.WriteBlob(b, m, n)
		})
	}
}

func BenchmarkWriteBlobPeakHeap(b *testing.B) {
	const n = 256 * benchutil.MiB
	m := memory.New()
	defer m.Close()
	benchutil.BenchPeakHeap(b, m, n, n*11/10)
}

func BenchmarkListObjects(b *testing.B) {
	m := memory.New()
	defer m.Close()
	benchutil.ListObjects(b, m, 100_000)
}
