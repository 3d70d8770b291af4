package backendtest

import (
	"bytes"
	"context"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/suitetest"
)

// call is one method call that returns only its error.
type call struct {
	name string
	call func() error
}

// recordCalls returns one call of every Records method; those on one
// bucket's contents name bucket. The arguments succeed on the state
// populateRecords gives testBucket.
func recordCalls(ctx context.Context, b backend.Records, bucket string) []call {
	return []call{
		{"CreateBucket", func() error { return b.CreateBucket(ctx, backend.Bucket{Name: "new"}) }},
		{"GetBucket", func() error { _, err := b.GetBucket(ctx, bucket); return err }},
		{"ListBuckets", func() error { _, err := b.ListBuckets(ctx); return err }},
		{"DeleteBucket", func() error { return b.DeleteBucket(ctx, "empty") }},
		{"GetObject", func() error { _, err := b.GetObject(ctx, bucket, "k", ""); return err }},
		{"PutObject", func() error {
			_, err := b.PutObject(ctx, bucket, fullObject("k2"), backend.Condition{})
			return err
		}},
		{"DeleteObject", func() error { _, err := b.DeleteObject(ctx, bucket, "k", ""); return err }},
		{"ListObjects", func() error { _, err := b.ListObjects(ctx, bucket, "", 10); return err }},
		{"CreateUpload", func() error { return b.CreateUpload(ctx, suitetest.FullUpload(bucket, "k", "u2", suitetest.T0)) }},
		{"GetUpload", func() error { _, err := b.GetUpload(ctx, bucket, "k", "u"); return err }},
		{"PutPart", func() error { _, err := b.PutPart(ctx, bucket, "k", "u", suitetest.FullPart(1, "b")); return err }},
		{"DeleteUpload", func() error { _, err := b.DeleteUpload(ctx, bucket, "k", "u"); return err }},
		{"CompleteUpload", func() error {
			_, _, err := b.CompleteUpload(ctx, bucket, "c", completed("k3", suitetest.FullPart(1, "c1")), backend.Condition{})
			return err
		}},
		{"ListUploads", func() error { _, err := b.ListUploads(ctx, bucket); return err }},
		{"UpdateBucket", func() error { return b.UpdateBucket(ctx, backend.Bucket{Name: bucket, Versioning: "Enabled"}) }},
		{"UpdateObject", func() error {
			legal := false // fullObject has a legal hold
			_, err := b.UpdateObject(ctx, bucket, "k", "", backend.ObjectUpdate{LegalHold: &legal})
			return err
		}},
		{"ListVersions", func() error { _, err := b.ListVersions(ctx, bucket, "", "", 10); return err }},
		{"PutBucketConfig", func() error { return b.PutBucketConfig(ctx, bucket, "cors", []byte("new")) }},
		{"GetBucketConfig", func() error { _, err := b.GetBucketConfig(ctx, bucket, "tagging"); return err }},
		{"DeleteBucketConfig", func() error { return b.DeleteBucketConfig(ctx, bucket, "tagging") }},
	}
}

// blobCalls returns one call of every Blobs method.
func blobCalls(ctx context.Context, b backend.Blobs) []call {
	return []call{
		{"WriteBlob", func() error { _, _, err := b.WriteBlob(ctx, bytes.NewReader([]byte("x")), 1); return err }},
		{"OpenBlob", func() error { _, err := b.OpenBlob(ctx, "x"); return err }},
		{"DeleteBlob", func() error { return b.DeleteBlob(ctx, "x") }},
	}
}

// populateRecords gives b the state that lets every call in recordCalls succeed.
func populateRecords(t suitetest.T, b backend.Records) {
	t.Helper()
	mustCreateBucket(t, b, testBucket)
	mustCreateBucket(t, b, "empty")
	mustPut(t, b, testBucket, fullObject("k"))
	mustCreateUpload(t, b, suitetest.FullUpload(testBucket, "k", "u", suitetest.T0))
	c := suitetest.FullUpload(testBucket, "k3", "c", suitetest.T0)
	mustCreateUpload(t, b, c)
	mustPutPart(t, b, c, suitetest.FullPart(1, "c1"))
	if err := b.PutBucketConfig(t.Context(), testBucket, "tagging", []byte("doc")); err != nil {
		t.Fatalf("PutBucketConfig = %v", err)
	}
}

func (s suite) testRecordsContext(t suitetest.T) {
	b := s.records(t)
	populateRecords(t, b)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	for _, c := range recordCalls(ctx, b, testBucket) {
		suitetest.CheckErr(t, c.name+"(cancelled context)", c.call(), context.Canceled)
	}
	// Nothing happened.
	if _, err := b.GetObject(t.Context(), testBucket, "k", ""); err != nil {
		t.Errorf("GetObject = %v after calls with a cancelled context", err)
	}
	if _, err := b.GetBucket(t.Context(), "empty"); err != nil {
		t.Errorf("GetBucket = %v after calls with a cancelled context", err)
	}
	if got, err := b.GetBucket(t.Context(), testBucket); err != nil || got.Versioning != "" {
		t.Errorf("GetBucket = %+v, %v after calls with a cancelled context, want Versioning unchanged", got, err)
	}
	if o, err := b.GetObject(t.Context(), testBucket, "k", ""); err != nil || !o.LegalHold {
		t.Errorf("GetObject = %+v, %v after calls with a cancelled context, want LegalHold unchanged", o, err)
	}
	if doc, err := b.GetBucketConfig(t.Context(), testBucket, "tagging"); err != nil || string(doc) != "doc" {
		t.Errorf("GetBucketConfig = %q, %v after calls with a cancelled context, want the document kept", doc, err)
	}
}

func (s suite) testBlobsContext(t suitetest.T) {
	b := s.blobs(t)
	id := mustWriteBlob(t, b, []byte("kept"))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	for _, c := range append(blobCalls(ctx, b), call{"DeleteBlob(existing)", func() error { return b.DeleteBlob(ctx, id) }}) {
		suitetest.CheckErr(t, c.name+"(cancelled context)", c.call(), context.Canceled)
	}
	checkBlob(t, b, id, []byte("kept"))
}

func (s suite) testClose(t suitetest.T) {
	b := s.newBackend(t)
	populateRecords(t, b)
	want := suitetest.Content(1, 3000)
	id, bl := mustWriteOpen(t, b, want)
	defer bl.Close()

	suitetest.CheckErr(t, "Close", b.Close(), nil)
	for _, c := range append(recordCalls(t.Context(), b, testBucket), blobCalls(t.Context(), b)...) {
		suitetest.CheckErr(t, c.name+" after Close", c.call(), backend.ErrClosed)
	}
	suitetest.CheckErr(t, "second Close", b.Close(), nil)
	checkOpenBlob(t, bl, id, want)
}
