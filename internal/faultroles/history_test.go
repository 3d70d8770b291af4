package faultroles

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/backend/memory"
	"github.com/mocks3/mocks3/faults"
	"github.com/mocks3/mocks3/internal/faultengine"
)

// deletes is a storage role that records its deletes.
type deletes struct {
	backend.Blobs
	mu  sync.Mutex
	ids []backend.BlobID
}

func (d *deletes) DeleteBlob(ctx context.Context, id backend.BlobID) error {
	d.mu.Lock()
	d.ids = append(d.ids, id)
	d.mu.Unlock()
	return d.Blobs.DeleteBlob(ctx, id)
}

func (d *deletes) deleted() []backend.BlobID {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.ids)
}

// putVersion writes v as a new version of bkt/k and does what the gateway
// does with the one it replaced: delete its bytes.
func putVersion(t *testing.T, meta backend.Records, data backend.Blobs, v string) backend.BlobID {
	t.Helper()
	ctx := t.Context()
	id, n, err := data.WriteBlob(ctx, strings.NewReader(v), int64(len(v)))
	if err != nil {
		t.Fatal(err)
	}
	replaced, err := meta.PutObject(ctx, "bkt", backend.Object{Key: "k", Size: n, ETag: `"` + v + `"`, Parts: []backend.Part{{Number: 1, Size: n, Blob: id}}}, backend.Condition{})
	if err != nil {
		t.Fatal(err)
	}
	if replaced != nil {
		if err := data.DeleteBlob(ctx, replaced.Parts[0].Blob); err != nil {
			t.Fatal(err)
		}
	}
	return id
}

// keptFixture is these tests' fixture: a memory backend behind Metadata,
// whose storage deletes are recorded, holding bucket bkt.
type keptFixture struct {
	t       *testing.T
	b       *memory.Backend
	raw     *deletes
	e       *faultengine.Engine
	meta    backend.Records
	data    backend.Blobs
	release func()
}

func newKept(t *testing.T, keepAlways bool) *keptFixture {
	t.Helper()
	f := &keptFixture{t: t, b: memory.New(), e: faultengine.New(faultengine.Config{})}
	f.raw = &deletes{Blobs: f.b}
	f.meta, f.data, f.release = Metadata(f.b, f.raw, f.e, keepAlways)
	if err := f.meta.CreateBucket(t.Context(), backend.Bucket{Name: "bkt"}); err != nil {
		t.Fatal(err)
	}
	return f
}

// put writes v as the next version of bkt/k (see putVersion).
func (f *keptFixture) put(v string) backend.BlobID { return putVersion(f.t, f.meta, f.data, v) }

// TestPreviousVersionKept: each object's previous version, and its bytes,
// stay for stale reads until a newer version takes its place; then its
// bytes go as the cleanup asked.
func TestPreviousVersionKept(t *testing.T) {
	ctx := context.Background()
	f := newKept(t, true)
	v1 := f.put("v1")
	v2 := f.put("v2")
	if got := f.raw.deleted(); len(got) != 0 {
		t.Errorf("after one overwrite, storage deleted %q, want v1's bytes kept", got)
	}
	if _, err := f.e.Add(faults.Rule{Service: "storage", Action: faults.StaleRead()}); err != nil {
		t.Fatal(err)
	}
	obj, err := f.meta.GetObject(ctx, "bkt", "k", "")
	if err != nil || obj.ETag != `"v1"` {
		t.Fatalf("stale GetObject = %+v, %v; want v1", obj, err)
	}
	if _, err := f.data.OpenBlob(ctx, obj.Parts[0].Blob); err != nil {
		t.Errorf("OpenBlob(v1's bytes) = %v, want them kept", err)
	}
	f.put("v3")
	if got := f.raw.deleted(); !slices.Equal(got, []backend.BlobID{v1}) {
		t.Errorf("after a second overwrite, storage deleted %q, want v1's bytes %q", got, v1)
	}
	if obj, err := f.meta.GetObject(ctx, "bkt", "k", ""); err != nil || obj.ETag != `"v2"` {
		t.Errorf("stale GetObject = %+v, %v; want v2", obj, err)
	}

	// A deleted object is the previous version too; a deleted bucket
	// keeps none, and their bytes go.
	deleted, err := f.meta.DeleteObject(ctx, "bkt", "k", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.data.DeleteBlob(ctx, deleted.Parts[0].Blob); err != nil {
		t.Fatal(err)
	}
	if obj, err := f.meta.GetObject(ctx, "bkt", "k", ""); err != nil || obj.ETag != `"v3"` {
		t.Errorf("stale GetObject after DeleteObject = %+v, %v; want v3", obj, err)
	}
	if err := f.meta.DeleteBucket(ctx, "bkt"); err != nil {
		t.Fatal(err)
	}
	if got, want := f.raw.deleted(), []backend.BlobID{v1, v2, deleted.Parts[0].Blob}; !slices.Equal(got, want) {
		t.Errorf("after DeleteBucket, storage deleted %q, want every version's bytes %q", got, want)
	}
}

// TestReleaseDeletesKeptBytes: closing deletes the bytes kept for stale
// reads, so a directory keeps no blob that no record uses.
func TestReleaseDeletesKeptBytes(t *testing.T) {
	ctx := context.Background()
	f := newKept(t, true)
	ids := []backend.BlobID{f.put("v1"), f.put("v2")}
	if got := f.raw.deleted(); len(got) != 0 {
		t.Fatalf("storage deleted %q before release, want v1's bytes kept", got)
	}
	f.release()
	if got := f.raw.deleted(); !slices.Equal(got, ids[:1]) {
		t.Errorf("after release, storage deleted %q, want v1's bytes %q", got, ids[:1])
	}
	if _, err := f.b.OpenBlob(ctx, ids[0]); err == nil {
		t.Errorf("v1's bytes still stored after release")
	}
}

// TestKeepOnlyWhileArmed: a server under a memory limit frees overwritten
// bytes at once, keeping previous versions only while a stale-read rule
// exists, and lets go of them once it is gone.
func TestKeepOnlyWhileArmed(t *testing.T) {
	ctx := context.Background()
	f := newKept(t, false)
	v1 := f.put("v1")
	v2 := f.put("v2")
	if got := f.raw.deleted(); !slices.Equal(got, []backend.BlobID{v1}) {
		t.Errorf("unarmed overwrite deleted %q, want v1's bytes %q at once", got, v1)
	}
	h, err := f.e.Add(faults.Rule{Service: "storage", Action: faults.StaleRead()})
	if err != nil {
		t.Fatal(err)
	}
	f.put("v3")
	if obj, err := f.meta.GetObject(ctx, "bkt", "k", ""); err != nil || obj.ETag != `"v2"` {
		t.Errorf("armed stale GetObject = %+v, %v; want v2", obj, err)
	}
	h.Remove()
	f.put("v4")
	if got, want := f.raw.deleted(), []backend.BlobID{v1, v2}; !slices.Equal(got[:min(len(got), 2)], want) || len(got) != 3 {
		t.Errorf("after the rule went, storage deleted %q, want v1, v2 and v3's bytes", got)
	}
}
