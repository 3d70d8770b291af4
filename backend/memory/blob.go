package memory

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"sync/atomic"
)

const (
	// maxChunk bounds every allocation, so a lying size hint cannot make us
	// allocate more than 1 MiB ahead of the bytes actually received.
	maxChunk = 1 << 20
	// minChunk starts the growth used when there is no (correct) hint.
	minChunk = 512 // also the probe size, so a probe's bytes fit one chunk
)

// blobData is an immutable byte sequence held as chunks. Chunks are never
// concatenated: a 256 MiB blob costs 256 MiB, not the 2x of a doubling
// buffer plus a final copy.
type blobData struct {
	chunks  [][]byte
	offsets []int64 // offsets[i] is the blob offset of chunks[i][0]
	size    int64
}

func (d *blobData) add(c []byte) {
	if len(c) == 0 {
		return
	}
	d.chunks = append(d.chunks, c)
	d.offsets = append(d.offsets, d.size)
	d.size += int64(len(c))
}

// nextChunk returns the capacity of the chunk to fill after total bytes, or
// 0 if hint says the reader should be at EOF. Without a (correct) hint each
// chunk matches the total so far, so the slack stays under half the blob
// and under one chunk.
func nextChunk(total, hint int64) int {
	switch {
	case hint > total:
		return int(min(hint-total, maxChunk))
	case hint == total:
		return 0
	default:
		return int(min(max(total, minChunk), maxChunk))
	}
}

// readBlob reads r to EOF into chunks sized by hint (see nextChunk). Before
// allocating a chunk it asks grow for its capacity; grow may grant less, or
// nothing, and when nothing is left for bytes that keep coming readBlob
// fails with full's error.
func readBlob(ctx context.Context, r io.Reader, hint int64, grow func(int) int, full func() error) (*blobData, error) {
	d := &blobData{}
	var cur []byte // the chunk being filled
	var probe []byte
	for {
		if len(cur) == cap(cur) {
			d.add(cur)
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			size := nextChunk(d.size, hint)
			if size > 0 {
				size = grow(size)
			}
			if size > 0 {
				cur = make([]byte, 0, size)
			} else {
				// The hint says we are done, or there is no room left:
				// confirm EOF without allocating a chunk that would
				// probably stay empty.
				if probe == nil {
					probe = make([]byte, minChunk)
				}
				n, err := r.Read(probe)
				cur = nil
				if n > 0 {
					hint = -1 // wrong hint: grow from here
					size := grow(nextChunk(d.size, hint))
					if size < n {
						return nil, full()
					}
					cur = make([]byte, n, size)
					copy(cur, probe[:n])
				}
				if err == io.EOF {
					break
				}
				if err != nil {
					return nil, fmt.Errorf("memory: reading blob: %w", err)
				}
				continue
			}
		}
		n, err := r.Read(cur[len(cur):cap(cur)])
		cur = cur[:len(cur)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("memory: reading blob: %w", err)
		}
	}
	d.add(cur)
	d.compact()
	return d, nil
}

// compact copies a small blob that grew without a correct hint into one
// exact allocation, so that many small objects don't each keep the slack of
// their growth chunks. Above maxChunk the slack is at most one chunk and
// copying would double the peak.
func (d *blobData) compact() {
	if d.size >= maxChunk || len(d.chunks) == 0 ||
		(len(d.chunks) == 1 && cap(d.chunks[0]) == len(d.chunks[0])) {
		return
	}
	buf := make([]byte, 0, d.size)
	for _, c := range d.chunks {
		buf = append(buf, c...)
	}
	d.chunks = [][]byte{buf}
	d.offsets = []int64{0}
}

var errNegativeOffset = errors.New("memory: negative offset")

func (d *blobData) readAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errNegativeOffset
	}
	if off >= d.size {
		return 0, io.EOF
	}
	i, found := slices.BinarySearch(d.offsets, off)
	if !found {
		i--
	}
	n := 0
	for ; n < len(p) && i < len(d.chunks); i++ {
		k := copy(p[n:], d.chunks[i][off+int64(n)-d.offsets[i]:])
		n += k
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// blob is an open handle; blobData stays reachable through it after the
// blob is deleted, which is what keeps open readers working.
type blob struct {
	d      *blobData
	closed atomic.Bool
}

// ReadAt implements io.ReaderAt.
func (b *blob) ReadAt(p []byte, off int64) (int, error) {
	if b.closed.Load() {
		return 0, fs.ErrClosed
	}
	return b.d.readAt(p, off)
}

// Size returns the blob's length.
func (b *blob) Size() int64 { return b.d.size }

// Close releases the handle.
func (b *blob) Close() error {
	if b.closed.Swap(true) {
		return fs.ErrClosed
	}
	return nil
}
