// Package memory is a backend.Backend that keeps everything in memory.
//
// Records live in a sorted index per bucket, so a page of ListObjects costs
// O(log n + limit), plus the keys hidden by delete markers it skips. Blobs are stored as lists of chunks of at most 1 MiB,
// never concatenated, so storing an object costs about its size in heap;
// NewWithLimit caps the bytes held.
package memory

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"sync"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/backend/internal/index"
)

var _ backend.Backend = (*Backend)(nil)

// recordIndex is embedded under an unexported name: its methods implement the
// records half of backend.Backend without exposing the internal type.
type recordIndex = index.Store

// Backend is an in-memory backend.Backend. The zero value is not usable;
// call New. Besides the methods listed here it has every record method of
// backend.Records (buckets, objects, uploads, bucket configurations), from
// the sorted index it shares with the disk backend.
type Backend struct {
	*recordIndex
	limit int64 // most blob bytes held at once; 0 for no limit

	// mu guards closed, blobs, lastID and used.
	mu     sync.Mutex
	closed bool
	blobs  map[backend.BlobID]*blobData
	lastID uint64
	used   int64 // bytes of stored blobs, plus those reserved by writes in progress
}

// New returns an empty Backend with no limit on the bytes it holds.
func New() *Backend { return NewWithLimit(0) }

// NewWithLimit returns an empty Backend that holds at most limit bytes of
// blobs (0 for no limit): a WriteBlob that would go beyond it fails with
// backend.ErrInsufficientStorage: before reading anything when sizeHint
// says the blob does not fit, and otherwise as soon as a byte arrives that
// has no room, without allocating beyond the limit. DeleteBlob gives the blob's bytes back at once, even if
// handles still hold them open. Records are not counted: they cost a few
// hundred bytes per object.
func NewWithLimit(limit int64) *Backend {
	return &Backend{
		recordIndex: index.New(nil),
		limit:       max(limit, 0),
		blobs:       make(map[backend.BlobID]*blobData),
	}
}

// Used returns the bytes of blobs stored, as counted against the limit,
// including those reserved by writes in progress.
func (m *Backend) Used() int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.used
}

// reserve counts n more bytes against the limit.
func (m *Backend) reserve(n int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.limit > 0 && n > m.limit-m.used {
		return fmt.Errorf("memory: %d more bytes would exceed the limit of %d bytes (%d in use): %w",
			n, m.limit, m.used, backend.ErrInsufficientStorage)
	}
	m.used += n
	return nil
}

// release gives back n reserved bytes.
func (m *Backend) release(n int64) {
	m.mu.Lock()
	m.used -= n
	m.mu.Unlock()
}

func (m *Backend) isClosed() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.closed
}

// WriteBlob implements backend.Backend. It reads r without holding any lock,
// so slow uploads don't block each other.
func (m *Backend) WriteBlob(ctx context.Context, r io.Reader, sizeHint int64) (backend.BlobID, int64, error) {
	if err := ctx.Err(); err != nil {
		return "", 0, err
	}
	if m.isClosed() {
		return "", 0, backend.ErrClosed
	}
	// With a limit, a known size is reserved before anything is read, and
	// chunks beyond it as they are allocated, shrunk to the room left.
	var reserved, allocated int64
	if m.limit > 0 && sizeHint > 0 {
		if err := m.reserve(sizeHint); err != nil {
			return "", 0, err
		}
		reserved = sizeHint
	}
	grow := func(want int) int {
		if m.limit == 0 {
			return want
		}
		m.mu.Lock()
		defer m.mu.Unlock()
		n := min(int64(want), max(reserved-allocated+m.limit-m.used, 0))
		allocated += n
		if allocated > reserved {
			m.used += allocated - reserved
			reserved = allocated
		}
		return int(n)
	}
	full := func() error {
		m.mu.Lock()
		defer m.mu.Unlock()
		return fmt.Errorf("memory: the blob does not fit in the limit of %d bytes (%d in use): %w",
			m.limit, m.used, backend.ErrInsufficientStorage)
	}
	d, err := readBlob(ctx, r, sizeHint, grow, full)
	if err != nil {
		m.release(reserved)
		return "", 0, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return "", 0, backend.ErrClosed
	}
	m.used += d.size - reserved // what is kept, not what was reserved
	m.lastID++
	id := backend.BlobID(strconv.FormatUint(m.lastID, 10))
	m.blobs[id] = d
	return id, d.size, nil
}

// OpenBlob implements backend.Backend.
func (m *Backend) OpenBlob(ctx context.Context, id backend.BlobID) (backend.Blob, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil, backend.ErrClosed
	}
	d, ok := m.blobs[id]
	if !ok {
		return nil, backend.ErrBlobNotFound
	}
	return &blob{d: d}, nil
}

// DeleteBlob implements backend.Backend. Open handles keep the bytes alive.
func (m *Backend) DeleteBlob(ctx context.Context, id backend.BlobID) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return backend.ErrClosed
	}
	d, ok := m.blobs[id]
	if !ok {
		return backend.ErrBlobNotFound
	}
	m.used -= d.size
	delete(m.blobs, id)
	return nil
}

// Close implements backend.Backend. It drops every record and blob not held
// open, so a closed Backend costs no memory.
func (m *Backend) Close() error {
	m.recordIndex.Close()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.closed = true
	m.blobs = nil
	m.used = 0
	return nil
}
