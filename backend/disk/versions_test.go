package disk_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/mocks3/mocks3/backend"
)

// TestOpensLayout1 checks that a directory written before versions existed
// (layout 1: one Object per key file) still opens, its objects as null
// versions, and is then marked as layout 2.
func TestOpensLayout1(t *testing.T) {
	dir := t.TempDir()
	ctx := t.Context()
	d := open(t, dir)
	if err := d.CreateBucket(ctx, backend.Bucket{Name: "b", Region: "us-east-1"}); err != nil {
		t.Fatal(err)
	}
	obj := backend.Object{Key: "k", Size: 3, ETag: `"old"`, LastModified: time.Date(2024, 1, 2, 3, 4, 5, 6, time.UTC),
		Metadata: map[string]string{"a": "1"}}
	if _, err := d.PutObject(ctx, "b", obj, backend.Condition{}); err != nil {
		t.Fatal(err)
	}
	d.Close()

	// Rewrite the directory as layout 1 wrote it.
	files, err := filepath.Glob(filepath.Join(dir, "buckets", "*", "objects", "*.json"))
	if err != nil || len(files) != 1 {
		t.Fatalf("object files = %v, %v; want one", files, err)
	}
	old := map[string]any{"Key": "k", "Size": 3, "ETag": `"old"`, "LastModified": obj.LastModified,
		"Headers": backend.Headers{}, "Metadata": obj.Metadata, "Checksum": backend.Checksum{},
		"Parts": nil, "Multipart": false, "UploadID": ""}
	writeJSON(t, files[0], old)
	writeJSON(t, filepath.Join(dir, "state.json"), map[string]any{"format": 1, "epoch": 1})
	configs, _ := filepath.Glob(filepath.Join(dir, "buckets", "*", "configs"))
	for _, c := range configs {
		os.Remove(c) // layout 1 buckets had none
	}

	d = open(t, dir)
	defer d.Close()
	for _, id := range []string{"", backend.NullVersion} {
		got, err := d.GetObject(ctx, "b", "k", id)
		if err != nil || got.ETag != `"old"` || got.VersionID != "" || got.Metadata["a"] != "1" {
			t.Errorf("GetObject(k, %q) from layout 1 = %+v, %v; want the null version", id, got, err)
		}
	}
	vs, err := d.ListVersions(ctx, "b", "", "", 10)
	if err != nil || len(vs) != 1 || !vs[0].IsLatest || vs[0].VersionID != "" {
		t.Errorf("ListVersions from layout 1 = %+v, %v; want the one null version, latest", vs, err)
	}
	// New writes work on an old bucket, configurations included.
	if _, err := d.PutObject(ctx, "b", backend.Object{Key: "k", VersionID: "v1", ETag: `"new"`}, backend.Condition{}); err != nil {
		t.Fatalf("PutObject(new version) = %v", err)
	}
	if err := d.PutBucketConfig(ctx, "b", "cors", []byte("c")); err != nil {
		t.Fatalf("PutBucketConfig on a layout 1 bucket = %v", err)
	}
	var st struct{ Format int }
	data, err := os.ReadFile(filepath.Join(dir, "state.json"))
	if err != nil || json.Unmarshal(data, &st) != nil || st.Format != 2 {
		t.Errorf("state.json after opening layout 1 = %s, %v; want format 2", data, err)
	}
	d.Close()
	d = open(t, dir)
	defer d.Close()
	vs, err = d.ListVersions(ctx, "b", "", "", 10)
	if err != nil || len(vs) != 2 || vs[0].ETag != `"new"` || vs[1].ETag != `"old"` {
		t.Errorf("ListVersions after reopening = %+v, %v; want the new version above the old null one", vs, err)
	}
	if doc, err := d.GetBucketConfig(ctx, "b", "cors"); err != nil || string(doc) != "c" {
		t.Errorf("GetBucketConfig after reopening = %q, %v; want \"c\"", doc, err)
	}
}

func writeJSON(t *testing.T, path string, v any) {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestRefusesInvalidUTF8: a record with a string that is not UTF-8, in a
// key, version, tag, lock, bucket or configuration field, is refused.
func TestRefusesInvalidUTF8(t *testing.T) {
	d := open(t, t.TempDir())
	defer d.Close()
	ctx := t.Context()
	if err := d.CreateBucket(ctx, backend.Bucket{Name: "b"}); err != nil {
		t.Fatal(err)
	}
	if err := d.CreateBucket(ctx, backend.Bucket{Name: "c", Owner: "bad\xff"}); err == nil {
		t.Errorf("CreateBucket(owner not UTF-8) = nil error, want a refusal")
	}
	puts := []struct {
		name string
		obj  backend.Object
	}{
		{"key", backend.Object{Key: "bad\xff"}},
		{"VersionID", backend.Object{Key: "k", VersionID: "bad\xff"}},
		{"TagKey", backend.Object{Key: "k", Tags: map[string]string{"bad\xff": "v"}}},
		{"TagValue", backend.Object{Key: "k", Tags: map[string]string{"k": "bad\xff"}}},
		{"RetentionMode", backend.Object{Key: "k", Retention: backend.Retention{Mode: "bad\xff"}}},
		{"KMSKeyID", backend.Object{Key: "k", SSE: backend.SSE{Algorithm: "aws:kms", KMSKeyID: "key-\xff"}}},
	}
	for _, tt := range puts {
		if _, err := d.PutObject(ctx, "b", tt.obj, backend.Condition{}); err == nil {
			t.Errorf("PutObject(%s not UTF-8) = nil error, want a refusal", tt.name)
		}
	}
	for _, key := range []string{"bad\xff", "k"} {
		if _, err := d.GetObject(ctx, "b", key, ""); !errors.Is(err, backend.ErrObjectNotFound) {
			t.Errorf("GetObject(%q) after refused PutObjects = %v, want ErrObjectNotFound", key, err)
		}
	}
	if _, err := d.PutObject(ctx, "b", backend.Object{Key: "k"}, backend.Condition{}); err != nil {
		t.Fatal(err)
	}
	bad := map[string]string{"k": "bad\xff"}
	if _, err := d.UpdateObject(ctx, "b", "k", "", backend.ObjectUpdate{Tags: &bad}); err == nil {
		t.Errorf("UpdateObject(tags not UTF-8) = nil error, want a refusal")
	}
	if o, err := d.GetObject(ctx, "b", "k", ""); err != nil || o.Tags != nil {
		t.Errorf("GetObject after a refused UpdateObject = %+v, %v; want no tags", o, err)
	}
	if err := d.UpdateBucket(ctx, backend.Bucket{Name: "b", Versioning: "bad\xff"}); err == nil {
		t.Errorf("UpdateBucket(versioning not UTF-8) = nil error, want a refusal")
	}
	if err := d.PutBucketConfig(ctx, "b", "bad\xff", []byte("x")); err == nil {
		t.Errorf("PutBucketConfig(kind not UTF-8) = nil error, want a refusal")
	}
	// A document is bytes: any bytes are kept.
	if err := d.PutBucketConfig(ctx, "b", "policy", []byte("\xff\x00")); err != nil {
		t.Errorf("PutBucketConfig(binary document) = %v, want nil", err)
	}
}
