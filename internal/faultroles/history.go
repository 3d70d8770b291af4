package faultroles

import (
	"context"
	"sync"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/faulttrace"
)

// history keeps each object's previous version, the record an overwrite
// replaced or a delete removed, so that a stale-read rule serves it
// whenever the rule is added: tests arrange data first and inject faults
// after. The version's bytes must outlive the cleanup its replacement
// scheduled, so keptBlobs puts off deleting a blob a kept version uses
// until a newer version takes that version's place, or the server closes.
// One version per key is kept.
type history struct {
	data backend.Blobs // deletes what keptBlobs put off

	mu       sync.Mutex // guards the fields below
	prev     map[objectRef]backend.Object
	pinned   map[backend.BlobID]int  // blobs of kept versions, by use
	deferred map[backend.BlobID]bool // deletes asked for while pinned
}

type objectRef struct{ bucket, key string }

func newHistory(data backend.Blobs) *history {
	return &history{data: data, prev: map[objectRef]backend.Object{},
		pinned: map[backend.BlobID]int{}, deferred: map[backend.BlobID]bool{}}
}

// previous returns the kept version of bucket/key.
func (h *history) previous(bucket, key string) (backend.Object, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	obj, ok := h.prev[objectRef{bucket, key}]
	return obj, ok
}

// keep makes obj the kept version of bucket/key, in place of the one
// before, whose put-off deletes it then carries out.
func (h *history) keep(ctx context.Context, bucket, key string, obj backend.Object) {
	h.mu.Lock()
	ref := objectRef{bucket, key}
	old, had := h.prev[ref]
	h.prev[ref] = obj
	for _, p := range obj.Parts {
		h.pinned[p.Blob]++
	}
	var release []backend.BlobID
	if had {
		release = h.unpinLocked(old)
	}
	h.mu.Unlock()
	h.delete(ctx, release)
}

// forget drops the kept version of bucket/key, carrying out its put-off
// deletes.
func (h *history) forget(ctx context.Context, bucket, key string) {
	h.mu.Lock()
	ref := objectRef{bucket, key}
	old, had := h.prev[ref]
	delete(h.prev, ref)
	var release []backend.BlobID
	if had {
		release = h.unpinLocked(old)
	}
	h.mu.Unlock()
	h.delete(ctx, release)
}

// forgetBucket drops the kept versions of a deleted bucket.
func (h *history) forgetBucket(ctx context.Context, bucket string) {
	h.mu.Lock()
	var release []backend.BlobID
	for ref, obj := range h.prev {
		if ref.bucket == bucket {
			delete(h.prev, ref)
			release = append(release, h.unpinLocked(obj)...)
		}
	}
	h.mu.Unlock()
	h.delete(ctx, release)
}

// close drops every kept version and carries out the deletes put off for
// them, so that a server on a directory leaves no blob behind that no
// record uses.
func (h *history) close() {
	h.mu.Lock()
	var due []backend.BlobID
	for id := range h.deferred {
		due = append(due, id)
	}
	clear(h.prev)
	clear(h.pinned)
	clear(h.deferred)
	h.mu.Unlock()
	h.delete(context.Background(), due)
}

// unpinLocked releases obj's blobs and returns those whose delete was put
// off and is now due.
func (h *history) unpinLocked(obj backend.Object) []backend.BlobID {
	var due []backend.BlobID
	for _, p := range obj.Parts {
		if h.pinned[p.Blob]--; h.pinned[p.Blob] > 0 {
			continue
		}
		delete(h.pinned, p.Blob)
		if h.deferred[p.Blob] {
			delete(h.deferred, p.Blob)
			due = append(due, p.Blob)
		}
	}
	return due
}

// putOff reports whether id belongs to a kept version, and if so notes
// that its delete is due when the version goes.
func (h *history) putOff(id backend.BlobID) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.pinned[id] == 0 {
		return false
	}
	h.deferred[id] = true
	return true
}

// delete carries out put-off deletes, as the cleanup that asked for them
// would have: outside the faults, and whatever happens to the request
// that let them go. A failure leaves an orphan blob, as a failed cleanup
// does.
func (h *history) delete(ctx context.Context, ids []backend.BlobID) {
	ctx = faulttrace.Bypass(context.WithoutCancel(ctx))
	for _, id := range ids {
		h.data.DeleteBlob(ctx, id)
	}
}

// keptBlobs is the storage role with deletes of kept versions' blobs put
// off.
type keptBlobs struct {
	backend.Blobs
	h *history
}

func (k keptBlobs) DeleteBlob(ctx context.Context, id backend.BlobID) error {
	if k.h.putOff(id) {
		return nil
	}
	return k.Blobs.DeleteBlob(ctx, id)
}
