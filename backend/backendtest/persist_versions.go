package backendtest

import (
	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/suitetest"
)

// versionState is what runPersistentVersions expects a backend to hold in
// testBucket.
type versionState struct {
	bucket   backend.Bucket
	versions []backend.Object // as ListVersions returns them
	configs  map[string]string
	gone     []string // kinds of configuration that must be absent
}

// runPersistentVersions checks that versions, delete markers, in-place
// updates, bucket fields and bucket configurations survive reopening.
func runPersistentVersions(t suitetest.T, reopen func() backend.Backend) {
	t.Helper()
	ctx := t.Context()
	b := reopen()
	bk := backend.Bucket{Name: testBucket, Region: "eu-west-1", Created: suitetest.T0, Owner: "owner-id", ObjectLock: true}
	if err := b.CreateBucket(ctx, bk); err != nil {
		t.Fatalf("CreateBucket = %v", err)
	}
	if err := b.UpdateBucket(ctx, backend.Bucket{Name: testBucket, Versioning: "Enabled", ObjectLock: true}); err != nil {
		t.Fatalf("UpdateBucket = %v", err)
	}
	bk.Versioning = "Enabled"

	full := fullObject("a")
	full.VersionID = "a1"
	n1, n2 := version("b", ""), version("b", "")
	n2.ETag = `"n2"`
	mustVersions(t, b, full, version("a", "a2"), marker("a", "a3"), n1, version("b", "b1"), n2, marker("c", "c1"))
	if _, err := b.DeleteObject(ctx, testBucket, "a", "a2"); err != nil {
		t.Fatalf("DeleteObject = %v", err)
	}
	var noTags map[string]string
	updated, err := b.UpdateObject(ctx, testBucket, "a", "a1", backend.ObjectUpdate{Tags: &noTags, Retention: &backend.Retention{}})
	if err != nil {
		t.Fatalf("UpdateObject = %v", err)
	}
	for kind, doc := range map[string]string{"cors": "<CORSConfiguration/>", "policy": "{}", "tagging": "t"} {
		if err := b.PutBucketConfig(ctx, testBucket, kind, []byte(doc)); err != nil {
			t.Fatalf("PutBucketConfig = %v", err)
		}
	}
	if err := b.DeleteBucketConfig(ctx, testBucket, "tagging"); err != nil {
		t.Fatalf("DeleteBucketConfig = %v", err)
	}
	// A configuration deleted with its bucket stays deleted.
	mustCreateBucket(t, b, "gone")
	if err := b.PutBucketConfig(ctx, "gone", "cors", []byte("x")); err != nil {
		t.Fatalf("PutBucketConfig = %v", err)
	}
	if err := b.DeleteBucket(ctx, "gone"); err != nil {
		t.Fatalf("DeleteBucket = %v", err)
	}

	want := &versionState{
		bucket: bk,
		versions: []backend.Object{
			latest(marker("a", "a3")), updated,
			latest(n2), version("b", "b1"),
			latest(marker("c", "c1")),
		},
		configs: map[string]string{"cors": "<CORSConfiguration/>", "policy": "{}"},
		gone:    []string{"tagging"},
	}
	checkVersionState(t, "before Close", b, want)
	b = reopen()
	checkVersionState(t, "after reopening", b, want)
	mustCreateBucket(t, b, "gone")
	_, err = b.GetBucketConfig(ctx, "gone", "cors")
	suitetest.CheckErr(t, "GetBucketConfig(bucket deleted before reopening, recreated)", err, backend.ErrConfigNotFound)

	// More changes on the reopened backend: a suspended write replaces the
	// null version, a marker is deleted, a configuration replaced.
	if err := b.UpdateBucket(ctx, backend.Bucket{Name: testBucket, Versioning: "Suspended", ObjectLock: true}); err != nil {
		t.Fatalf("UpdateBucket = %v", err)
	}
	want.bucket.Versioning = "Suspended"
	n3 := version("b", "")
	n3.ETag = `"n3"`
	replaced, err := b.PutObject(ctx, testBucket, n3, backend.Condition{})
	suitetest.CheckErr(t, "PutObject(null) after reopening", err, nil)
	if replaced == nil || replaced.ETag != n2.ETag {
		t.Errorf("PutObject(null) after reopening replaced %+v, want %s", replaced, n2.ETag)
	}
	if _, err := b.DeleteObject(ctx, testBucket, "a", "a3"); err != nil {
		t.Fatalf("DeleteObject(marker) = %v", err)
	}
	if err := b.PutBucketConfig(ctx, testBucket, "cors", []byte("new")); err != nil {
		t.Fatalf("PutBucketConfig = %v", err)
	}
	want.versions = []backend.Object{latest(updated), latest(n3), version("b", "b1"), latest(marker("c", "c1"))}
	want.configs["cors"] = "new"
	checkVersionState(t, "after more changes", b, want)
	b = reopen()
	checkVersionState(t, "after reopening twice", b, want)
}

func checkVersionState(t suitetest.T, when string, b backend.Backend, want *versionState) {
	t.Helper()
	ctx := t.Context()
	got, err := b.GetBucket(ctx, testBucket)
	suitetest.CheckErr(t, "GetBucket "+when, err, nil)
	check(t, "GetBucket "+when, got, want.bucket, normBucket)
	checkVersions(t, b, when, want.versions)
	for kind, doc := range want.configs {
		got, err := b.GetBucketConfig(ctx, testBucket, kind)
		suitetest.CheckErr(t, "GetBucketConfig("+kind+") "+when, err, nil)
		if string(got) != doc {
			t.Errorf("GetBucketConfig(%s) %s = %q, want %q", kind, when, got, doc)
		}
	}
	for _, kind := range want.gone {
		_, err := b.GetBucketConfig(ctx, testBucket, kind)
		suitetest.CheckErr(t, "GetBucketConfig("+kind+") "+when, err, backend.ErrConfigNotFound)
	}
}
