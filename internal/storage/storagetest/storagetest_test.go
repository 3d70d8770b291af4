package storagetest

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/backend/memory"
	"github.com/mocks3/mocks3/internal/storage"
	"github.com/mocks3/mocks3/internal/suitetest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// runSuite runs the group of the suite named only (all if empty) against
// stores made by wrap over a memory backend, and returns the failures.
func runSuite(t *testing.T, only string, wrap func(storage.Store) storage.Store) []string {
	var backends []*memory.Backend
	failures := suitetest.Record(t, only, func(t suitetest.T) {
		run(t, func(suitetest.T) storage.Store {
			b := memory.New()
			backends = append(backends, b)
			return wrap(storage.NewLocal(b))
		})
	})
	for _, b := range backends {
		b.Close()
	}
	return failures
}

func TestSuitePassesLocal(t *testing.T) {
	if failures := runSuite(t, "", func(s storage.Store) storage.Store { return s }); len(failures) > 0 {
		t.Errorf("suite failed a correct store:\n%s", strings.Join(failures, "\n"))
	}
}

// TestSuiteCatches feeds the suite stores with one defect each and checks
// that the group meant to catch it reports it.
func TestSuiteCatches(t *testing.T) {
	tests := []struct {
		name  string
		wrap  func(storage.Store) storage.Store
		group string
	}{
		{"SwallowsReadError", func(s storage.Store) storage.Store { return swallowsReadError{s} }, "FailedReader"},
		{"ShortReadNoEOF", func(s storage.Store) storage.Store {
			return blobWrap{s, func(b backend.Blob) backend.Blob { return noEOF{b} }}
		}, "WriteRead"},
		{"DropsLastByte", func(s storage.Store) storage.Store {
			return blobWrap{s, func(b backend.Blob) backend.Blob { return dropsLast{b} }}
		}, "SequentialReads"},
		{"DeleteIsNoop", func(s storage.Store) storage.Store { return deleteNoop{s} }, "Delete"},
		{"DeleteBreaksOpen", func(s storage.Store) storage.Store { return &deleteBreaksOpen{Store: s} }, "DeleteWhileOpen"},
		{"NotFoundIsOther", func(s storage.Store) storage.Store { return notFoundIsOther{s} }, "NotFound"},
		{"IgnoresContext", func(s storage.Store) storage.Store { return ignoresContext{s} }, "Cancelled"},
		{"ReadAfterClose", func(s storage.Store) storage.Store {
			return blobWrap{s, func(b backend.Blob) backend.Blob { return noClose{b} }}
		}, "Close"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if failures := runSuite(t, tt.group, tt.wrap); len(failures) == 0 {
				t.Errorf("suite group %s passed a store that %s", tt.group, tt.name)
			}
		})
	}
}

// eofOnError turns read errors into a clean end.
type eofOnError struct{ r io.Reader }

func (e eofOnError) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil {
		err = io.EOF
	}
	return n, err
}

type swallowsReadError struct{ storage.Store }

func (s swallowsReadError) Write(ctx context.Context, r io.Reader, hint int64) (backend.BlobID, int64, error) {
	return s.Store.Write(ctx, eofOnError{r}, hint)
}

// blobWrap wraps the blobs a store opens.
type blobWrap struct {
	storage.Store
	wrap func(backend.Blob) backend.Blob
}

func (w blobWrap) Open(ctx context.Context, id backend.BlobID) (backend.Blob, error) {
	b, err := w.Store.Open(ctx, id)
	if err != nil {
		return nil, err
	}
	return w.wrap(b), nil
}

type noEOF struct{ backend.Blob }

func (n noEOF) ReadAt(p []byte, off int64) (int, error) {
	k, err := n.Blob.ReadAt(p, off)
	if err == io.EOF {
		err = nil
	}
	return k, err
}

// dropsLast hides the blob's last byte from reads, keeping Size.
type dropsLast struct{ backend.Blob }

func (d dropsLast) ReadAt(p []byte, off int64) (int, error) {
	end := d.Size() - 1
	if off >= end {
		return 0, io.EOF
	}
	if int64(len(p)) > end-off {
		n, _ := d.Blob.ReadAt(p[:end-off], off)
		return n, io.EOF
	}
	return d.Blob.ReadAt(p, off)
}

type noClose struct{ backend.Blob }

func (noClose) Close() error { return nil }

type deleteNoop struct{ storage.Store }

func (deleteNoop) Delete(context.Context, backend.BlobID) error { return nil }

// deleteBreaksOpen reads a blob by opening it again on every read.
type deleteBreaksOpen struct{ storage.Store }

type reopening struct {
	s    storage.Store
	id   backend.BlobID
	size int64
}

func (d *deleteBreaksOpen) Open(ctx context.Context, id backend.BlobID) (backend.Blob, error) {
	b, err := d.Store.Open(ctx, id)
	if err != nil {
		return nil, err
	}
	defer b.Close()
	return reopening{d.Store, id, b.Size()}, nil
}

func (r reopening) ReadAt(p []byte, off int64) (int, error) {
	b, err := r.s.Open(context.Background(), r.id)
	if err != nil {
		return 0, err
	}
	defer b.Close()
	return b.ReadAt(p, off)
}

func (r reopening) Size() int64  { return r.size }
func (r reopening) Close() error { return nil }

type notFoundIsOther struct{ storage.Store }

func (n notFoundIsOther) Open(ctx context.Context, id backend.BlobID) (backend.Blob, error) {
	b, err := n.Store.Open(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("open failed: %v", err) // %v: the cause is lost
	}
	return b, nil
}

type ignoresContext struct{ storage.Store }

func (i ignoresContext) Write(_ context.Context, r io.Reader, hint int64) (backend.BlobID, int64, error) {
	return i.Store.Write(context.Background(), r, hint)
}
