package objects

import (
	"strings"
	"testing"

	"github.com/mocks3/mocks3/backend"
)

// putVersion stores data as a new version of key with the given ID.
func putVersion(t *testing.T, s *Store, key, id, data string) backend.Object {
	t.Helper()
	obj, err := s.write(t.Context(), key, strings.NewReader(data), int64(len(data)), backend.Headers{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	obj.VersionID = id
	if _, err := s.Put(t.Context(), "bkt", obj, backend.Condition{}); err != nil {
		t.Fatalf("Put(%s, %s) = %v", key, id, err)
	}
	return obj
}

// TestVersionBytes: a version's bytes stay while the version does, and
// go with it; a suspended bucket's delete frees the null version it
// replaces, an enabled bucket's keeps every version.
func TestVersionBytes(t *testing.T) {
	s, b := newStore(t, Config{})
	ctx := t.Context()
	null := seed(t, s, "k", "null")
	v1 := putVersion(t, s, "k", "v1", "one")
	v2 := putVersion(t, s, "k", "v2", "two")

	d, err := s.DeleteVersion(ctx, "bkt", DeleteInput{Key: "k", Versioning: VersioningEnabled, MarkerID: "m1"})
	if err != nil || d != (Deleted{VersionID: "m1", DeleteMarker: true}) {
		t.Fatalf("DeleteVersion(enabled) = %+v, %v; want marker m1", d, err)
	}
	for _, o := range []backend.Object{null, v1, v2} {
		if !blobExists(t, b, o.Parts[0].Blob) {
			t.Errorf("version %q lost its bytes to a delete marker", o.VersionID)
		}
	}

	d, err = s.DeleteVersion(ctx, "bkt", DeleteInput{Key: "k", VersionID: "v1"})
	if err != nil || d != (Deleted{VersionID: "v1"}) {
		t.Fatalf("DeleteVersion(v1) = %+v, %v", d, err)
	}
	if blobExists(t, b, v1.Parts[0].Blob) || !blobExists(t, b, v2.Parts[0].Blob) {
		t.Errorf("after deleting v1: v1 bytes kept %v, v2 bytes kept %v; want false, true",
			blobExists(t, b, v1.Parts[0].Blob), blobExists(t, b, v2.Parts[0].Blob))
	}

	d, err = s.DeleteVersion(ctx, "bkt", DeleteInput{Key: "k", Versioning: VersioningSuspended})
	if err != nil || d != (Deleted{VersionID: backend.NullVersion, DeleteMarker: true}) {
		t.Fatalf("DeleteVersion(suspended) = %+v, %v; want a null marker", d, err)
	}
	if blobExists(t, b, null.Parts[0].Blob) {
		t.Error("the null version's bytes survived the null delete marker that replaced it")
	}

	d, err = s.DeleteVersion(ctx, "bkt", DeleteInput{Key: "k", VersionID: "m1"})
	if err != nil || d != (Deleted{VersionID: "m1", DeleteMarker: true}) {
		t.Errorf("DeleteVersion(marker m1) = %+v, %v; want the marker named", d, err)
	}
	d, err = s.DeleteVersion(ctx, "bkt", DeleteInput{Key: "k", VersionID: "gone"})
	if err != nil || d != (Deleted{VersionID: "gone"}) {
		t.Errorf("DeleteVersion(unknown version) = %+v, %v; want success", d, err)
	}
	d, err = s.DeleteVersion(ctx, "bkt", DeleteInput{Key: "missing", VersionID: "x"})
	if err != nil || d != (Deleted{VersionID: "x"}) {
		t.Errorf("DeleteVersion(missing key) = %+v, %v; want success", d, err)
	}
}

// TestDeleteBucketKeepsUploadsWhileVersionsRemain: a bucket whose only
// remnants are delete markers is not empty, so its uploads must survive the
// refused DeleteBucket.
func TestDeleteBucketKeepsUploadsWhileVersionsRemain(t *testing.T) {
	s, _ := newStore(t, Config{})
	ctx := t.Context()
	if _, err := s.DeleteVersion(ctx, "bkt", DeleteInput{Key: "k", Versioning: VersioningEnabled, MarkerID: "m"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Records().CreateUpload(ctx, backend.Upload{Bucket: "bkt", Key: "up", ID: "u1"}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteBucket(ctx, "bkt"); err == nil {
		t.Fatal("DeleteBucket with a delete marker left = nil, want not empty")
	}
	if _, err := s.Records().GetUpload(ctx, "bkt", "up", "u1"); err != nil {
		t.Errorf("GetUpload after a refused DeleteBucket = %v, want the upload kept", err)
	}
}
