package backendtest

import (
	"bytes"
	"context"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/suitetest"
)

// calls returns one call of every Backend method except Close, each
// returning only its error.
func calls(ctx context.Context, b backend.Backend) []struct {
	name string
	call func() error
} {
	return []struct {
		name string
		call func() error
	}{
		{"CreateBucket", func() error { return b.CreateBucket(ctx, backend.Bucket{Name: "new"}) }},
		{"GetBucket", func() error { _, err := b.GetBucket(ctx, testBucket); return err }},
		{"ListBuckets", func() error { _, err := b.ListBuckets(ctx); return err }},
		{"DeleteBucket", func() error { return b.DeleteBucket(ctx, "empty") }},
		{"GetObject", func() error { _, err := b.GetObject(ctx, testBucket, "k"); return err }},
		{"PutObject", func() error { _, err := b.PutObject(ctx, testBucket, fullObject("k2"), nil); return err }},
		{"DeleteObject", func() error { _, err := b.DeleteObject(ctx, testBucket, "k"); return err }},
		{"ListObjects", func() error { _, err := b.ListObjects(ctx, testBucket, "", 10); return err }},
		{"CreateUpload", func() error { return b.CreateUpload(ctx, suitetest.FullUpload(testBucket, "k", "u2", suitetest.T0)) }},
		{"GetUpload", func() error { _, err := b.GetUpload(ctx, testBucket, "k", "u"); return err }},
		{"PutPart", func() error { _, err := b.PutPart(ctx, testBucket, "k", "u", suitetest.FullPart(1, "b")); return err }},
		{"DeleteUpload", func() error { _, err := b.DeleteUpload(ctx, testBucket, "k", "u"); return err }},
		{"CompleteUpload", func() error {
			_, _, err := b.CompleteUpload(ctx, testBucket, "c", completed("k3", suitetest.FullPart(1, "c1")), nil)
			return err
		}},
		{"ListUploads", func() error { _, err := b.ListUploads(ctx, testBucket); return err }},
		{"WriteBlob", func() error { _, _, err := b.WriteBlob(ctx, bytes.NewReader([]byte("x")), 1); return err }},
		{"OpenBlob", func() error { _, err := b.OpenBlob(ctx, "x"); return err }},
		{"DeleteBlob", func() error { return b.DeleteBlob(ctx, "x") }},
	}
}

// populated returns a backend whose state lets every call in calls succeed.
func (s suite) populated(t suitetest.T) backend.Backend {
	t.Helper()
	b := s.openWithBucket(t)
	mustCreateBucket(t, b, "empty")
	mustPut(t, b, testBucket, fullObject("k"))
	mustCreateUpload(t, b, suitetest.FullUpload(testBucket, "k", "u", suitetest.T0))
	c := suitetest.FullUpload(testBucket, "k3", "c", suitetest.T0)
	mustCreateUpload(t, b, c)
	mustPutPart(t, b, c, suitetest.FullPart(1, "c1"))
	return b
}

func (s suite) testContext(t suitetest.T) {
	b := s.populated(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	for _, c := range calls(ctx, b) {
		suitetest.CheckErr(t, c.name+"(cancelled context)", c.call(), context.Canceled)
	}
	// Nothing happened.
	if _, err := b.GetObject(t.Context(), testBucket, "k"); err != nil {
		t.Errorf("GetObject = %v after calls with a cancelled context", err)
	}
	if _, err := b.GetBucket(t.Context(), "empty"); err != nil {
		t.Errorf("GetBucket = %v after calls with a cancelled context", err)
	}
}

func (s suite) testClose(t suitetest.T) {
	b := s.populated(t)
	want := suitetest.Content(1, 3000)
	id := mustWriteBlob(t, b, want)
	bl, err := b.OpenBlob(t.Context(), id)
	if err != nil {
		t.Fatalf("OpenBlob = %v", err)
	}
	defer bl.Close()

	suitetest.CheckErr(t, "Close", b.Close(), nil)
	for _, c := range calls(t.Context(), b) {
		suitetest.CheckErr(t, c.name+" after Close", c.call(), backend.ErrClosed)
	}
	suitetest.CheckErr(t, "second Close", b.Close(), nil)
	checkOpenBlob(t, bl, id, want)
}
