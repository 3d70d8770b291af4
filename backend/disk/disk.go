// Package disk is a backend.Backend that keeps records and blobs in files
// under one directory, so that state survives a restart of the process.
//
// Records are small JSON files, loaded at Open into the same sorted index the
// memory backend uses, so listing never touches the disk. Blobs are files,
// streamed in and out and never held in memory. Every file appears by
// renaming a complete temporary file, so a crash never leaves a partial
// record or blob visible; Open deletes the leftovers.
//
// Files are not fsynced: acknowledged writes survive the process exiting or
// crashing, not the machine losing power. For a test fake, fsync's cost on
// every request buys nothing.
//
// Under dir: state.json (layout version, open count), blobs/ (one file per
// blob), buckets/ (one JSON file per bucket, object key with all its
// versions, bucket configuration, upload and part, under hashed names) and
// tmp/. A write to a key rewrites the key's file, so it costs the size of
// all its versions' records. One Backend at a time may use a directory. Blobs
// rely on POSIX unlink semantics to stay readable when deleted while open.
package disk

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/backend/internal/index"
)

var _ backend.Backend = (*Backend)(nil)

// copyBufferSize is the buffer used to stream a blob to its file: large
// enough for few syscalls, small enough that concurrent uploads cost little.
const copyBufferSize = 256 << 10

// format is the layout version recorded in state.json. Layout 1 stored one
// object per key file; Open reads it and records layout 2, so that an older
// mocks3 refuses the directory rather than misreading versioned files.
const format = 2

// recordIndex is embedded under an unexported name: its methods implement the
// records half of backend.Backend without exposing the internal type.
type recordIndex = index.Store

// Backend is an on-disk backend.Backend. The zero value is not usable; call
// Open. Besides the methods listed here it has every record method of
// backend.Records, from the sorted index it shares with the memory backend,
// which writes each change to disk before applying it. PutObject refuses
// records holding strings that are not valid UTF-8, which JSON cannot store
// faithfully.
type Backend struct {
	*recordIndex
	rec   *records
	blobs string // directory of blob files
	tmp   string // temporary files, on the same file system as the rest

	// Blob IDs are "<epoch>-<n>": the epoch grows at every Open, so IDs are
	// never reused, even for blobs deleted before a restart.
	epoch  uint32
	lastID atomic.Uint64

	bufs sync.Pool // of *[]byte, copyBufferSize long

	closed atomic.Bool
}

// state is the contents of state.json.
type state struct {
	Format int    `json:"format"`
	Epoch  uint32 `json:"epoch"`
}

// Open opens the backend stored in dir, creating it if dir is missing or
// empty. It refuses a non-empty directory it did not create, since it would
// otherwise delete files there.
func Open(dir string) (*Backend, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("disk: %w", err)
	}
	st, fresh, err := readState(dir)
	if err != nil {
		return nil, err
	}
	if fresh {
		// Claim the directory before anything else appears in it, so that
		// an Open killed half-way leaves a directory that is still ours.
		if err := createState(dir); err != nil {
			return nil, err
		}
	}
	d := &Backend{
		blobs: filepath.Join(dir, "blobs"),
		tmp:   filepath.Join(dir, "tmp"),
		epoch: st.Epoch + 1,
	}
	d.bufs.New = func() any {
		b := make([]byte, copyBufferSize)
		return &b
	}
	if err := os.RemoveAll(d.tmp); err != nil {
		return nil, fmt.Errorf("disk: removing leftovers: %w", err)
	}
	if err := os.Mkdir(d.tmp, 0o755); err != nil {
		return nil, fmt.Errorf("disk: %w", err)
	}
	data, err := json.Marshal(state{Format: format, Epoch: d.epoch})
	if err != nil {
		return nil, err
	}
	rec := &records{buckets: filepath.Join(dir, "buckets"), tmp: d.tmp}
	if err := rec.writeFile(dir, "state.json", data); err != nil {
		return nil, err
	}
	for _, sub := range []string{d.blobs, rec.buckets} {
		if err := os.MkdirAll(sub, 0o755); err != nil {
			return nil, fmt.Errorf("disk: %w", err)
		}
	}
	d.rec = rec
	d.recordIndex = index.New(rec)
	if err := rec.load(d.recordIndex); err != nil {
		return nil, fmt.Errorf("disk: loading %s: %w", dir, err)
	}
	rec.emptyTrash()
	return d, nil
}

// stateTmp is where a fresh directory's state.json is written before it is
// renamed into place.
const stateTmp = "state.json.tmp"

// readState reads dir/state.json. A directory without one is fresh if it is
// empty, or holds only stateTmp left by an Open that was interrupted;
// anything else (a tmp/ included) may be someone's files, and is refused.
func readState(dir string) (st state, fresh bool, err error) {
	err = readJSON(filepath.Join(dir, "state.json"), &st)
	switch {
	case err == nil:
		if st.Format != 1 && st.Format != format {
			return st, false, fmt.Errorf("disk: %s: unknown layout version %d", dir, st.Format)
		}
		return st, false, nil
	case !isNotExist(err):
		return st, false, err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return st, false, fmt.Errorf("disk: %w", err)
	}
	for _, e := range entries {
		if e.Name() != stateTmp || !e.Type().IsRegular() {
			return st, false, fmt.Errorf("disk: %s is not empty and holds no mocks3 state", dir)
		}
	}
	return st, true, nil
}

// createState writes the state.json of a fresh directory (epoch 0; Open
// then bumps it as for any directory).
func createState(dir string) error {
	data, err := json.Marshal(state{Format: format})
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, stateTmp)
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return fmt.Errorf("disk: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, "state.json")); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("disk: %w", err)
	}
	return nil
}

// DeleteBucket implements backend.Backend.
func (d *Backend) DeleteBucket(ctx context.Context, name string) error {
	defer d.rec.emptyTrash()
	return d.recordIndex.DeleteBucket(ctx, name)
}

// DeleteUpload implements backend.Backend.
func (d *Backend) DeleteUpload(ctx context.Context, bucket, key, id string) (backend.Upload, error) {
	defer d.rec.emptyTrash() // outside the index lock
	return d.recordIndex.DeleteUpload(ctx, bucket, key, id)
}

// CompleteUpload implements backend.Backend.
func (d *Backend) CompleteUpload(ctx context.Context, bucket, id string, obj backend.Object, cond backend.Condition) (*backend.Object, backend.Upload, error) {
	defer d.rec.emptyTrash() // outside the index lock
	return d.recordIndex.CompleteUpload(ctx, bucket, id, obj, cond)
}

// ctxReader stops a copy when ctx is cancelled. As a plain struct it also
// hides any WriterTo of the source, so io.CopyBuffer uses our buffer.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// writerOnly hides *os.File's ReaderFrom, whose generic fallback would
// allocate its own small buffer.
type writerOnly struct{ io.Writer }

// WriteBlob implements backend.Backend. The bytes go straight to a file;
// sizeHint is not used.
func (d *Backend) WriteBlob(ctx context.Context, r io.Reader, sizeHint int64) (backend.BlobID, int64, error) {
	if err := ctx.Err(); err != nil {
		return "", 0, err
	}
	if d.closed.Load() {
		return "", 0, backend.ErrClosed
	}
	f, err := os.CreateTemp(d.tmp, "blob-*")
	if err != nil {
		return "", 0, fmt.Errorf("disk: writing blob: %w", err)
	}
	bufp := d.bufs.Get().(*[]byte)
	n, err := io.CopyBuffer(writerOnly{f}, ctxReader{ctx, r}, *bufp)
	d.bufs.Put(bufp)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && d.closed.Load() {
		err = backend.ErrClosed
	}
	id := backend.BlobID(fmt.Sprintf("%08x-%016x", d.epoch, d.lastID.Add(1)))
	if err == nil {
		err = os.Rename(f.Name(), filepath.Join(d.blobs, string(id)))
	}
	if err != nil {
		os.Remove(f.Name())
		return "", 0, fmt.Errorf("disk: writing blob: %w", err)
	}
	return id, n, nil
}

// blobPath returns the file of id, or "" if id is not one this backend
// could have made, so that no caller-supplied string becomes a path.
func (d *Backend) blobPath(id backend.BlobID) string {
	const n = len("00000000-0000000000000000")
	if len(id) != n {
		return ""
	}
	for i := range n {
		c := id[i]
		switch {
		case i == 8:
			if c != '-' {
				return ""
			}
		case '0' <= c && c <= '9', 'a' <= c && c <= 'f':
		default:
			return ""
		}
	}
	return filepath.Join(d.blobs, string(id))
}

// blob is an open blob file. ReadAt uses pread, so concurrent reads are
// safe, and an unlinked file stays readable until closed.
type blob struct {
	f    *os.File
	size int64
}

// ReadAt implements io.ReaderAt.
func (b *blob) ReadAt(p []byte, off int64) (int, error) { return b.f.ReadAt(p, off) }

// Size returns the blob's length.
func (b *blob) Size() int64 { return b.size }

// Close closes the file.
func (b *blob) Close() error { return b.f.Close() }

// OpenBlob implements backend.Backend.
func (d *Backend) OpenBlob(ctx context.Context, id backend.BlobID) (backend.Blob, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if d.closed.Load() {
		return nil, backend.ErrClosed
	}
	path := d.blobPath(id)
	if path == "" {
		return nil, backend.ErrBlobNotFound
	}
	f, err := os.Open(path)
	if isNotExist(err) {
		return nil, backend.ErrBlobNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("disk: %w", err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("disk: %w", err)
	}
	return &blob{f: f, size: fi.Size()}, nil
}

// DeleteBlob implements backend.Backend. Open handles stay readable.
func (d *Backend) DeleteBlob(ctx context.Context, id backend.BlobID) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d.closed.Load() {
		return backend.ErrClosed
	}
	path := d.blobPath(id)
	if path == "" {
		return backend.ErrBlobNotFound
	}
	err := os.Remove(path)
	if isNotExist(err) {
		return backend.ErrBlobNotFound
	}
	if err != nil {
		return fmt.Errorf("disk: %w", err)
	}
	return nil
}

// SweepBlobs deletes every blob that keep rejects and returns how many it
// deleted. A crash between writing a blob and committing the record that
// uses it, or before a replaced blob's deletion, leaves such orphans; the
// records that say which blobs are in use may live in another backend, so
// the caller decides. Blobs written while it runs may be deleted too: call
// it before serving.
func (d *Backend) SweepBlobs(ctx context.Context, keep func(backend.BlobID) bool) (int, error) {
	if d.closed.Load() {
		return 0, backend.ErrClosed
	}
	entries, err := os.ReadDir(d.blobs)
	if err != nil {
		return 0, fmt.Errorf("disk: %w", err)
	}
	n := 0
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		id := backend.BlobID(e.Name())
		if d.blobPath(id) == "" || keep(id) {
			continue
		}
		if err := os.Remove(filepath.Join(d.blobs, e.Name())); err != nil && !isNotExist(err) {
			return n, fmt.Errorf("disk: %w", err)
		}
		n++
	}
	return n, nil
}

// Close implements backend.Backend. Nothing is buffered, so it only makes
// later calls fail.
func (d *Backend) Close() error {
	d.closed.Store(true)
	d.recordIndex.Close()
	return nil
}
