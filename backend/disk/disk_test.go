package disk_test

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/backend/backendtest"
	"github.com/mocks3/mocks3/backend/disk"
	"github.com/mocks3/mocks3/backend/internal/benchutil"
	"github.com/mocks3/mocks3/internal/suitetest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func open(tb testing.TB, dir string) *disk.Backend {
	tb.Helper()
	d, err := disk.Open(dir)
	if err != nil {
		tb.Fatalf("Open(%s) = %v", dir, err)
	}
	return d
}

func TestConformance(t *testing.T) {
	backendtest.Run(t, func(t *testing.T) backend.Backend { return open(t, t.TempDir()) })
}

func TestPersistence(t *testing.T) {
	backendtest.RunPersistent(t, func(t *testing.T, dir string) backend.Backend { return open(t, dir) })
}

// files returns the regular files under dir, relative to it.
func files(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			rel, _ := filepath.Rel(dir, path)
			out = append(out, rel)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestOpenRemovesLeftovers(t *testing.T) {
	dir := t.TempDir()
	d := open(t, dir)
	d.Close()
	leftover := filepath.Join(dir, "tmp", "blob-123")
	if err := os.WriteFile(leftover, []byte("partial"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "tmp", "del-1", "x", "objects"), 0o755); err != nil {
		t.Fatal(err)
	}
	d = open(t, dir)
	defer d.Close()
	if got := files(t, filepath.Join(dir, "tmp")); len(got) != 0 {
		t.Errorf("files in tmp after Open = %q, want none", got)
	}
}

// TestDeletesLeaveNoTrash checks that removed buckets and uploads are
// deleted from disk, not only moved aside.
func TestDeletesLeaveNoTrash(t *testing.T) {
	dir := t.TempDir()
	d := open(t, dir)
	defer d.Close()
	ctx := t.Context()
	u := backend.Upload{Bucket: "b", Key: "k", ID: "u"}
	if err := d.CreateBucket(ctx, backend.Bucket{Name: "b"}); err != nil {
		t.Fatal(err)
	}
	if err := d.CreateUpload(ctx, u); err != nil {
		t.Fatal(err)
	}
	for n := 1; n <= 20; n++ {
		if _, err := d.PutPart(ctx, "b", "k", "u", backend.Part{Number: n}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := d.DeleteUpload(ctx, "b", "k", "u"); err != nil {
		t.Fatal(err)
	}
	if err := d.DeleteBucket(ctx, "b"); err != nil {
		t.Fatal(err)
	}
	for _, sub := range []string{"tmp", "buckets"} {
		entries, err := os.ReadDir(filepath.Join(dir, sub))
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 0 {
			t.Errorf("%s holds %d entries after deleting everything, want none", sub, len(entries))
		}
	}
}

// TestFailedWriteLeavesNothing checks what the conformance suite cannot see
// from outside: no partial blob file anywhere.
func TestFailedWriteLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	d := open(t, dir)
	defer d.Close()
	before := files(t, dir)
	errRead := errors.New("read failed")
	r := suitetest.FailAfter(3*benchutil.MiB, errRead)
	if _, _, err := d.WriteBlob(t.Context(), r, -1); !errors.Is(err, errRead) {
		t.Fatalf("WriteBlob(failing reader) = %v, want %v", err, errRead)
	}
	if after := files(t, dir); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("files after a failed WriteBlob = %q, want %q", after, before)
	}
}

// TestKeysNeverPaths checks that names and keys never reach the file system
// as paths: every file lives at a fixed depth under a hashed name.
func TestKeysNeverPaths(t *testing.T) {
	dir := t.TempDir()
	d := open(t, dir)
	defer d.Close()
	ctx := t.Context()
	name := "../../escape"
	if err := d.CreateBucket(ctx, backend.Bucket{Name: name}); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"../../../x", "/abs", "a/b/c", strings.Repeat("é", 512)} {
		if _, err := d.PutObject(ctx, name, backend.Object{Key: k}, backend.Condition{}); err != nil {
			t.Fatalf("PutObject(%q) = %v", k, err)
		}
	}
	parent := filepath.Dir(dir)
	entries, err := os.ReadDir(parent)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("%s holds %d entries, want only the backend's directory", parent, len(entries))
	}
	for _, f := range files(t, dir) {
		if strings.Contains(f, "escape") || strings.Contains(f, "abs") {
			t.Errorf("file %q uses a name or key as a path", f)
		}
	}
}

func TestOpenRefusesForeignDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "precious.txt"), []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	if d, err := disk.Open(dir); err == nil {
		d.Close()
		t.Fatalf("Open(non-empty foreign dir) = nil error, want a refusal")
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "precious.txt")); !bytes.Equal(data, []byte("keep me")) {
		t.Errorf("Open changed a file it does not own")
	}
}

// TestWriteBlobHeap checks that blobs stream to disk: the heap stays flat
// whatever the size.
func TestWriteBlobHeap(t *testing.T) {
	d := open(t, t.TempDir())
	defer d.Close()
	const n, limit = 64 * benchutil.MiB, 8 * benchutil.MiB
	if got := benchutil.PeakHeap(t, d, n, n); got > limit {
		t.Errorf("peak heap writing %d MiB = %.1f MiB, want at most %d MiB",
			n/benchutil.MiB, float64(got)/benchutil.MiB, limit/benchutil.MiB)
	}
}

func BenchmarkWriteBlob(b *testing.B) {
	for _, n := range []int64{benchutil.MiB, 64 * benchutil.MiB} {
		b.Run(fmt.Sprintf("%dMiB", n/benchutil.MiB), func(b *testing.B) {
			d := open(b, b.TempDir())
			defer d.Close()
			benchutil.WriteBlob(b, d, n)
		})
	}
}

func BenchmarkWriteBlobPeakHeap(b *testing.B) {
	d := open(b, b.TempDir())
	defer d.Close()
	benchutil.BenchPeakHeap(b, d, 256*benchutil.MiB, 32*benchutil.MiB)
}

func BenchmarkListObjects(b *testing.B) {
	d := open(b, b.TempDir())
	defer d.Close()
	benchutil.ListObjects(b, d, 100_000)
}

// A crash inside CompleteUpload, after the object's record was written and
// before the upload was removed, leaves both on disk. Open finishes the
// step: an upload whose part the object uses is gone, so aborting it cannot
// delete the object's bytes. Other uploads of the key stay.
func TestOpenFinishesInterruptedComplete(t *testing.T) {
	dir := t.TempDir()
	d := open(t, dir)
	ctx := t.Context()
	if err := d.CreateBucket(ctx, backend.Bucket{Name: "b"}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"done", "open"} {
		if err := d.CreateUpload(ctx, backend.Upload{Bucket: "b", Key: "k", ID: id}); err != nil {
			t.Fatal(err)
		}
		if _, err := d.PutPart(ctx, "b", "k", id, backend.Part{Number: 1, Size: 1, ETag: `"e"`, Blob: backend.BlobID("blob-" + id)}); err != nil {
			t.Fatal(err)
		}
	}
	// What CompleteUpload writes first; the crash comes before the rest.
	obj := backend.Object{Key: "k", Size: 1, ETag: `"x-1"`, Multipart: true,
		Parts: []backend.Part{{Number: 1, Size: 1, ETag: `"e"`, Blob: "blob-done"}}}
	if _, err := d.PutObject(ctx, "b", obj, backend.Condition{}); err != nil {
		t.Fatal(err)
	}
	d.Close()

	d = open(t, dir)
	defer d.Close()
	if _, err := d.GetUpload(ctx, "b", "k", "done"); !errors.Is(err, backend.ErrUploadNotFound) {
		t.Errorf("GetUpload(completed before the crash) = %v, want ErrUploadNotFound", err)
	}
	if _, err := d.GetUpload(ctx, "b", "k", "open"); err != nil {
		t.Errorf("GetUpload(still open) = %v, want it kept", err)
	}
	if got, err := d.GetObject(ctx, "b", "k", ""); err != nil || got.ETag != obj.ETag {
		t.Errorf("GetObject = %+v, %v; want the completed object", got, err)
	}
	d.Close()
	// The removal was itself durable.
	d = open(t, dir)
	defer d.Close()
	if ups, err := d.ListUploads(ctx, "b"); err != nil || len(ups) != 1 || ups[0].ID != "open" {
		t.Errorf("ListUploads after another reopen = %+v, %v; want only the open upload", ups, err)
	}
}
