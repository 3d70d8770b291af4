package backendtest

import (
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/suitetest"
)

// state is what a backend is expected to hold, for RunPersistent.
type state struct {
	buckets []backend.Bucket            // sorted
	objects map[string][]backend.Object // by bucket, sorted by key
	uploads map[string][]backend.Upload // by bucket, sorted, with parts
	blobs   map[backend.BlobID][]byte   // live blobs
	gone    map[backend.BlobID]bool     // every blob ID ever deleted
}

// reopener returns a function that closes the backend it opened last, if
// any, and opens one on the same new directory; the last one is closed when
// t ends.
func reopener(t suitetest.T, open func(t suitetest.T, dir string) backend.Backend) func() backend.Backend {
	dir := t.TempDir()
	var cur backend.Backend
	t.Cleanup(func() {
		if cur != nil {
			cur.Close()
		}
	})
	return func() backend.Backend {
		t.Helper()
		if cur != nil {
			if err := cur.Close(); err != nil {
				t.Fatalf("Close = %v", err)
			}
		}
		cur = open(t, dir)
		if cur == nil {
			t.Fatalf("open returned nil")
		}
		return cur
	}
}

func runPersistent(t suitetest.T, open func(t suitetest.T, dir string) backend.Backend) {
	t.Helper()
	t.Run("Reopen", func(t suitetest.T) {
		reopen := reopener(t, open)
		b := reopen()
		want := populate(t, b)
		checkState(t, "before Close", b, want)

		b = reopen()
		checkState(t, "after reopening", b, want)
		mutateMore(t, b, want)
		checkState(t, "after more changes", b, want)

		b = reopen()
		checkState(t, "after reopening twice", b, want)
		b = reopen()
		checkState(t, "after reopening without changes", b, want)
	})

	t.Run("Versions", func(t suitetest.T) {
		runPersistentVersions(t, reopener(t, open))
	})

	t.Run("Empty", func(t suitetest.T) {
		dir := t.TempDir()
		b := open(t, dir)
		if err := b.Close(); err != nil {
			t.Fatalf("Close = %v", err)
		}
		b = open(t, dir)
		t.Cleanup(func() { b.Close() })
		checkState(t, "reopened empty backend", b, &state{})
	})
}

// populate writes a bit of everything, including changes that replace or
// delete earlier ones, and returns the expected state.
func populate(t suitetest.T, b backend.Backend) *state {
	t.Helper()
	ctx := t.Context()
	want := &state{
		objects: map[string][]backend.Object{},
		uploads: map[string][]backend.Upload{},
		blobs:   map[backend.BlobID][]byte{},
		gone:    map[backend.BlobID]bool{},
	}

	alpha := backend.Bucket{Name: "alpha", Region: "us-east-1", Created: suitetest.T0}
	beta := backend.Bucket{Name: "beta", Region: "eu-central-1", Created: suitetest.T0.Add(time.Hour)}
	for _, bk := range []backend.Bucket{beta, alpha, {Name: "gone", Created: suitetest.T0}} {
		if err := b.CreateBucket(ctx, bk); err != nil {
			t.Fatalf("CreateBucket(%q) = %v", bk.Name, err)
		}
	}
	if err := b.DeleteBucket(ctx, "gone"); err != nil {
		t.Fatalf("DeleteBucket = %v", err)
	}
	want.buckets = []backend.Bucket{alpha, beta}

	keys := append(append([]string{}, oddKeys...), suitetest.SortedKeys...)
	for _, k := range keys {
		mustPut(t, b, "alpha", fullObject(k))
	}
	v2 := backend.Object{Key: "a", Size: 2, ETag: `"v2"`, LastModified: suitetest.T0, Metadata: map[string]string{}}
	mustPut(t, b, "alpha", v2)
	if _, err := b.DeleteObject(ctx, "alpha", "b", ""); err != nil {
		t.Fatalf("DeleteObject = %v", err)
	}
	want.objects["alpha"] = sortedObjects(keys, func(k string) (backend.Object, bool) {
		switch k {
		case "a":
			return v2, true
		case "b":
			return backend.Object{}, false
		}
		return fullObject(k), true
	})
	mustPut(t, b, "beta", backend.Object{Key: "only"})
	want.objects["beta"] = []backend.Object{{Key: "only"}}

	// A completed upload stays completed: its object there, the upload gone.
	u4 := suitetest.FullUpload("alpha", "k-done", "id4", suitetest.T0)
	mustCreateUpload(t, b, u4)
	mustPutPart(t, b, u4, suitetest.FullPart(1, "done-1"))
	mustPutPart(t, b, u4, suitetest.FullPart(2, "done-2"))
	done := completed("k-done", suitetest.FullPart(1, "done-1"))
	if _, _, err := b.CompleteUpload(ctx, "alpha", "id4", done, backend.Condition{}); err != nil {
		t.Fatalf("CompleteUpload = %v", err)
	}
	want.objects["alpha"] = append(want.objects["alpha"], done)
	slices.SortFunc(want.objects["alpha"], func(a, b backend.Object) int { return strings.Compare(a.Key, b.Key) })

	u1 := suitetest.FullUpload("alpha", "k1", "id1", suitetest.T0)
	u2 := suitetest.FullUpload("alpha", "k0", "id2", suitetest.T0)
	u3 := suitetest.FullUpload("alpha", "k1", "id3", suitetest.T0)
	for _, u := range []backend.Upload{u1, u2, u3} {
		mustCreateUpload(t, b, u)
	}
	mustPutPart(t, b, u1, suitetest.FullPart(2, "old"))
	mustPutPart(t, b, u1, suitetest.FullPart(1, "b"))
	mustPutPart(t, b, u1, suitetest.FullPart(2, "new"))
	mustPutPart(t, b, u3, suitetest.FullPart(1, "b"))
	if _, err := b.DeleteUpload(ctx, "alpha", "k1", "id3"); err != nil {
		t.Fatalf("DeleteUpload = %v", err)
	}
	u1.Parts = []backend.Part{suitetest.FullPart(1, "b"), suitetest.FullPart(2, "new")}
	want.uploads["alpha"] = []backend.Upload{u2, u1}

	for i, n := range []int{0, 10, mib + 3, 5} {
		data := suitetest.Content(uint64(100+i), n)
		id := mustWriteBlob(t, b, data)
		want.blobs[id] = data
	}
	deleted := mustWriteBlob(t, b, suitetest.Content(99, 7))
	if err := b.DeleteBlob(ctx, deleted); err != nil {
		t.Fatalf("DeleteBlob = %v", err)
	}
	want.gone[deleted] = true
	return want
}

// sortedObjects returns the records rec gives for keys, in key order.
func sortedObjects(keys []string, rec func(string) (backend.Object, bool)) []backend.Object {
	sorted := slices.Sorted(slices.Values(keys))
	var out []backend.Object
	for _, k := range sorted {
		if o, ok := rec(k); ok {
			out = append(out, o)
		}
	}
	return out
}

// mutateMore makes changes to a reopened backend and updates want.
func mutateMore(t suitetest.T, b backend.Backend, want *state) {
	t.Helper()
	ctx := t.Context()

	// New blob IDs must not repeat any handed out before reopening.
	for i := range 3 {
		data := suitetest.Content(uint64(200+i), 1000)
		id := mustWriteBlob(t, b, data)
		if _, ok := want.blobs[id]; ok || want.gone[id] {
			t.Errorf("WriteBlob after reopening returned %q, an ID handed out before", id)
		}
		want.blobs[id] = data
	}
	for id := range want.gone {
		suitetest.CheckErr(t, "DeleteBlob(deleted before reopening)", b.DeleteBlob(ctx, id), backend.ErrBlobNotFound)
	}
	id := slices.Sorted(maps.Keys(want.blobs))[0]
	suitetest.CheckErr(t, "DeleteBlob", b.DeleteBlob(ctx, id), nil)
	delete(want.blobs, id)
	want.gone[id] = true

	// A bucket deleted before reopening is gone for good.
	mustCreateBucket(t, b, "gone")
	want.buckets = append(want.buckets, backend.Bucket{Name: "gone", Region: "us-east-1", Created: suitetest.T0})
	want.objects["gone"] = nil
	suitetest.CheckErr(t, "DeleteBucket(beta)", b.DeleteBucket(ctx, "beta"), backend.ErrBucketNotEmpty)
	if _, err := b.DeleteObject(ctx, "beta", "only", ""); err != nil {
		t.Fatalf("DeleteObject = %v", err)
	}
	suitetest.CheckErr(t, "DeleteBucket(beta)", b.DeleteBucket(ctx, "beta"), nil)
	want.buckets = []backend.Bucket{want.buckets[0], want.buckets[2]}
	delete(want.objects, "beta")

	v3 := fullObject("a")
	v3.ETag = `"v3"`
	replaced, err := b.PutObject(ctx, "alpha", v3, backend.Condition{})
	suitetest.CheckErr(t, "PutObject", err, nil)
	if replaced == nil || replaced.ETag != `"v2"` {
		t.Errorf("PutObject after reopening replaced %+v, want the record written before", replaced)
	}
	for i, o := range want.objects["alpha"] {
		if o.Key == "a" {
			want.objects["alpha"][i] = v3
		}
	}

	ups := want.uploads["alpha"]
	mustPutPart(t, b, ups[0], suitetest.FullPart(7, "b7"))
	ups[0].Parts = append(ups[0].Parts, suitetest.FullPart(7, "b7"))
	if _, err := b.DeleteUpload(ctx, "alpha", ups[1].Key, ups[1].ID); err != nil {
		t.Fatalf("DeleteUpload = %v", err)
	}
	want.uploads["alpha"] = ups[:1]
}

// checkState reports every difference between b and want.
func checkState(t suitetest.T, when string, b backend.Backend, want *state) {
	t.Helper()
	ctx := t.Context()
	buckets, err := b.ListBuckets(ctx)
	suitetest.CheckErr(t, "ListBuckets "+when, err, nil)
	check(t, "ListBuckets "+when, buckets, want.buckets, normBuckets)
	for _, bk := range want.buckets {
		objs, err := b.ListObjects(ctx, bk.Name, "", 1<<20)
		suitetest.CheckErr(t, "ListObjects "+when, err, nil)
		check(t, "ListObjects("+bk.Name+") "+when, objs, want.objects[bk.Name], normObjects)

		ups, err := b.ListUploads(ctx, bk.Name)
		suitetest.CheckErr(t, "ListUploads "+when, err, nil)
		wantUps := make([]backend.Upload, len(want.uploads[bk.Name]))
		for i, u := range want.uploads[bk.Name] {
			u.Parts = nil
			wantUps[i] = u
		}
		check(t, "ListUploads("+bk.Name+") "+when, ups, wantUps, normUploads)
		for _, u := range want.uploads[bk.Name] {
			got, err := b.GetUpload(ctx, u.Bucket, u.Key, u.ID)
			suitetest.CheckErr(t, "GetUpload "+when, err, nil)
			check(t, "GetUpload("+u.Key+", "+u.ID+") "+when, got, u, normUpload)
		}
	}
	for id, data := range want.blobs {
		checkBlob(t, b, id, data)
	}
	for id := range want.gone {
		_, err := b.OpenBlob(ctx, id)
		suitetest.CheckErr(t, "OpenBlob(deleted) "+when, err, backend.ErrBlobNotFound)
	}
}
