package memory_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/backend/backendtest"
	"github.com/mocks3/mocks3/backend/memory"
)

// A limit above every size hint the suite sends changes nothing it checks,
// and runs the accounting through every write and delete.
func TestConformanceWithLimit(t *testing.T) {
	backendtest.Run(t, func(*testing.T) backend.Backend { return memory.NewWithLimit(1 << 41) })
}

// countingReader yields n zero bytes and counts what was read.
type countingReader struct{ n, read int64 }

func (r *countingReader) Read(p []byte) (int, error) {
	if r.read >= r.n {
		return 0, io.EOF
	}
	k := int(min(int64(len(p)), r.n-r.read))
	clear(p[:k])
	r.read += int64(k)
	return k, nil
}

// TestWriteBlobLimit checks that a write beyond the limit fails with
// ErrInsufficientStorage without reading (known size) or without reading
// much more than the limit (unknown or wrong size), and leaves the count
// as it was.
func TestWriteBlobLimit(t *testing.T) {
	const limit = 4 << 20
	ctx := context.Background()
	tests := []struct {
		name     string
		size     int64
		hint     int64
		maxRead  int64 // most bytes the refused write may read
		wantFail bool
	}{
		{"fits, known size", 3 << 20, 3 << 20, 3 << 20, false},
		{"too big, known size", 5 << 20, 5 << 20, 0, true},
		{"fits, unknown size", 3 << 20, -1, 3 << 20, false},
		{"too big, unknown size", 64 << 20, -1, limit + 1<<20, true},
		{"too big, size understated", 64 << 20, 1 << 20, limit + 1<<20, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := memory.NewWithLimit(limit)
			defer m.Close()
			if _, _, err := m.WriteBlob(ctx, bytes.NewReader(make([]byte, 512<<10)), 512<<10); err != nil {
				t.Fatal(err)
			}
			before := m.Used()
			r := &countingReader{n: tt.size}
			id, n, err := m.WriteBlob(ctx, r, tt.hint)
			if tt.wantFail {
				if !errors.Is(err, backend.ErrInsufficientStorage) {
					t.Fatalf("WriteBlob(%d bytes, hint %d) = %q, %d, %v; want ErrInsufficientStorage", tt.size, tt.hint, id, n, err)
				}
				if got := m.Used(); got != before {
					t.Errorf("Used() after a refused write = %d, want %d", got, before)
				}
			} else if err != nil || n != tt.size {
				t.Fatalf("WriteBlob(%d bytes, hint %d) = %d, %v; want %d bytes stored", tt.size, tt.hint, n, err, tt.size)
			} else if got := m.Used(); got != before+tt.size {
				t.Errorf("Used() = %d, want %d", got, before+tt.size)
			}
			if r.read > tt.maxRead {
				t.Errorf("WriteBlob read %d bytes, want at most %d", r.read, tt.maxRead)
			}
		})
	}
}

// TestDeleteBlobFreesLimit fills the backend, deletes a blob and writes
// again.
func TestDeleteBlobFreesLimit(t *testing.T) {
	ctx := context.Background()
	m := memory.NewWithLimit(2 << 20)
	defer m.Close()
	id, _, err := m.WriteBlob(ctx, &countingReader{n: 2 << 20}, 2<<20)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := m.WriteBlob(ctx, &countingReader{n: 1}, 1); !errors.Is(err, backend.ErrInsufficientStorage) {
		t.Fatalf("WriteBlob into a full backend = %v, want ErrInsufficientStorage", err)
	}
	open, err := m.OpenBlob(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	defer open.Close()
	if err := m.DeleteBlob(ctx, id); err != nil {
		t.Fatal(err)
	}
	if got := m.Used(); got != 0 {
		t.Errorf("Used() after DeleteBlob = %d, want 0", got)
	}
	if _, _, err := m.WriteBlob(ctx, &countingReader{n: 2 << 20}, -1); err != nil {
		t.Errorf("WriteBlob after DeleteBlob = %v, want success", err)
	}
}
