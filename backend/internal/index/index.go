// Package index is the sorted in-memory record store shared by the memory and
// disk backends, so that ordering, copying, locking and error rules are
// written once. It holds bucket, object and upload records; blobs are each
// backend's own business.
package index

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"sync"

	"github.com/google/btree"

	"github.com/mocks3/mocks3/backend"
)

// Persister makes record changes durable. Store calls it with its lock held,
// after validating a change and before applying it to the index, so an error
// leaves the index unchanged and records on disk change in the same order as
// in memory. Arguments are borrowed for the duration of the call.
type Persister interface {
	CreateBucket(b *backend.Bucket) error
	DeleteBucket(name string) error
	PutObject(bucket string, o *backend.Object) error
	DeleteObject(bucket, key string) error
	CreateUpload(u *backend.Upload) error
	PutPart(u *backend.Upload, p *backend.Part) error
	DeleteUpload(u *backend.Upload) error
	// CompleteUpload stores o and removes u as one durable step.
	CompleteUpload(u *backend.Upload, bucket string, o *backend.Object) error
}

// degree of the B-trees: wide nodes keep them shallow and cache-friendly.
const degree = 32

// Store holds the records of one backend. All methods are safe for
// concurrent use.
type Store struct {
	p Persister // nil: nothing to persist

	// mu guards closed, buckets and every record reachable from buckets.
	// Writers hold it across Persister calls (see Persister).
	mu      sync.RWMutex
	closed  bool
	buckets *btree.BTreeG[*bucket]
}

type bucket struct {
	rec     backend.Bucket
	objects *btree.BTreeG[*backend.Object] // by key
	uploads *btree.BTreeG[*upload]         // by key, then initiation time, then ID
	byID    map[uploadKey]*upload
}

type uploadKey struct{ key, id string }

type upload struct {
	rec   backend.Upload // Parts is always nil
	parts map[int]backend.Part
}

// New returns an empty Store that reports changes to p, which may be nil.
func New(p Persister) *Store {
	return &Store{
		p: p,
		buckets: btree.NewG(degree, func(a, b *bucket) bool {
			return a.rec.Name < b.rec.Name
		}),
	}
}

func newBucket(rec backend.Bucket) *bucket {
	return &bucket{
		rec: rec,
		objects: btree.NewG(degree, func(a, b *backend.Object) bool {
			return a.Key < b.Key
		}),
		uploads: btree.NewG(degree, func(a, b *upload) bool {
			return compareUploads(&a.rec, &b.rec) < 0
		}),
		byID: make(map[uploadKey]*upload),
	}
}

func compareUploads(a, b *backend.Upload) int {
	if c := cmp.Compare(a.Key, b.Key); c != 0 {
		return c
	}
	if c := a.Initiated.Compare(b.Initiated); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

// cloneObject returns a deep copy of o; nil and empty maps and slices keep
// their distinction.
func cloneObject(o backend.Object) backend.Object {
	o.Metadata = maps.Clone(o.Metadata)
	o.Parts = slices.Clone(o.Parts)
	return o
}

// cloneUpload returns a deep copy of u.
func cloneUpload(u backend.Upload) backend.Upload {
	u.Metadata = maps.Clone(u.Metadata)
	u.Parts = slices.Clone(u.Parts)
	return u
}

// Close makes every later call fail with backend.ErrClosed and drops the
// records so their memory can be reclaimed.
func (s *Store) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	s.buckets = nil
}

// bucketLocked returns the named bucket; s.mu must be held.
func (s *Store) bucketLocked(name string) (*bucket, error) {
	if s.closed {
		return nil, backend.ErrClosed
	}
	b, ok := s.buckets.Get(&bucket{rec: backend.Bucket{Name: name}})
	if !ok {
		return nil, backend.ErrBucketNotFound
	}
	return b, nil
}

// CreateBucket implements backend.Backend.
func (s *Store) CreateBucket(ctx context.Context, rec backend.Bucket) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.bucketLocked(rec.Name); err != backend.ErrBucketNotFound {
		if err == nil {
			return backend.ErrBucketExists
		}
		return err
	}
	if s.p != nil {
		if err := s.p.CreateBucket(&rec); err != nil {
			return err
		}
	}
	s.buckets.ReplaceOrInsert(newBucket(rec))
	return nil
}

// GetBucket implements backend.Backend.
func (s *Store) GetBucket(ctx context.Context, name string) (backend.Bucket, error) {
	if err := ctx.Err(); err != nil {
		return backend.Bucket{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	b, err := s.bucketLocked(name)
	if err != nil {
		return backend.Bucket{}, err
	}
	return b.rec, nil
}

// ListBuckets implements backend.Backend.
func (s *Store) ListBuckets(ctx context.Context) ([]backend.Bucket, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return nil, backend.ErrClosed
	}
	out := make([]backend.Bucket, 0, s.buckets.Len())
	s.buckets.Ascend(func(b *bucket) bool {
		out = append(out, b.rec)
		return true
	})
	return out, nil
}

// DeleteBucket implements backend.Backend.
func (s *Store) DeleteBucket(ctx context.Context, name string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	b, err := s.bucketLocked(name)
	if err != nil {
		return err
	}
	if b.objects.Len() > 0 || b.uploads.Len() > 0 {
		return backend.ErrBucketNotEmpty
	}
	if s.p != nil {
		if err := s.p.DeleteBucket(name); err != nil {
			return err
		}
	}
	s.buckets.Delete(b)
	return nil
}

// GetObject implements backend.Backend.
func (s *Store) GetObject(ctx context.Context, bucket, key string) (backend.Object, error) {
	if err := ctx.Err(); err != nil {
		return backend.Object{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	b, err := s.bucketLocked(bucket)
	if err != nil {
		return backend.Object{}, err
	}
	o, ok := b.objects.Get(&backend.Object{Key: key})
	if !ok {
		return backend.Object{}, backend.ErrObjectNotFound
	}
	return cloneObject(*o), nil
}

// PutObject implements backend.Backend.
func (s *Store) PutObject(ctx context.Context, bucket string, obj backend.Object, cond backend.Condition) (*backend.Object, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	stored := cloneObject(obj)
	s.mu.Lock()
	defer s.mu.Unlock()
	b, err := s.bucketLocked(bucket)
	if err != nil {
		return nil, err
	}
	old, _ := b.objects.Get(&stored)
	if err := cond.Check(old); err != nil {
		return nil, err
	}
	if s.p != nil {
		if err := s.p.PutObject(bucket, &stored); err != nil {
			return nil, err
		}
	}
	// old is no longer reachable from the store, so it can be handed out.
	old, _ = b.objects.ReplaceOrInsert(&stored)
	return old, nil
}

// DeleteObject implements backend.Backend.
func (s *Store) DeleteObject(ctx context.Context, bucket, key string) (backend.Object, error) {
	if err := ctx.Err(); err != nil {
		return backend.Object{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	b, err := s.bucketLocked(bucket)
	if err != nil {
		return backend.Object{}, err
	}
	probe := &backend.Object{Key: key}
	if !b.objects.Has(probe) {
		return backend.Object{}, backend.ErrObjectNotFound
	}
	if s.p != nil {
		if err := s.p.DeleteObject(bucket, key); err != nil {
			return backend.Object{}, err
		}
	}
	o, _ := b.objects.Delete(probe)
	return *o, nil
}

// ListObjects implements backend.Backend.
func (s *Store) ListObjects(ctx context.Context, bucket, from string, limit int) ([]backend.Object, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	b, err := s.bucketLocked(bucket)
	if err != nil {
		return nil, err
	}
	if limit <= 0 {
		return []backend.Object{}, nil
	}
	out := make([]backend.Object, 0, min(limit, b.objects.Len()))
	b.objects.AscendGreaterOrEqual(&backend.Object{Key: from}, func(o *backend.Object) bool {
		out = append(out, cloneObject(*o))
		return len(out) < limit
	})
	return out, nil
}

// CreateUpload implements backend.Backend.
func (s *Store) CreateUpload(ctx context.Context, u backend.Upload) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	u = cloneUpload(u)
	u.Parts = nil
	s.mu.Lock()
	defer s.mu.Unlock()
	b, err := s.bucketLocked(u.Bucket)
	if err != nil {
		return err
	}
	k := uploadKey{u.Key, u.ID}
	if _, ok := b.byID[k]; ok {
		return backend.ErrUploadExists
	}
	if s.p != nil {
		if err := s.p.CreateUpload(&u); err != nil {
			return err
		}
	}
	up := &upload{rec: u, parts: make(map[int]backend.Part)}
	b.byID[k] = up
	b.uploads.ReplaceOrInsert(up)
	return nil
}

// uploadLocked returns an upload; s.mu must be held.
func (s *Store) uploadLocked(bucket, key, id string) (*bucket, *upload, error) {
	b, err := s.bucketLocked(bucket)
	if err != nil {
		return nil, nil, err
	}
	up, ok := b.byID[uploadKey{key, id}]
	if !ok {
		return nil, nil, backend.ErrUploadNotFound
	}
	return b, up, nil
}

// withParts returns a copy of up's record with its parts sorted by number.
func (up *upload) withParts() backend.Upload {
	u := cloneUpload(up.rec)
	u.Parts = slices.SortedFunc(maps.Values(up.parts), func(a, b backend.Part) int {
		return cmp.Compare(a.Number, b.Number)
	})
	return u
}

// GetUpload implements backend.Backend.
func (s *Store) GetUpload(ctx context.Context, bucket, key, id string) (backend.Upload, error) {
	if err := ctx.Err(); err != nil {
		return backend.Upload{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, up, err := s.uploadLocked(bucket, key, id)
	if err != nil {
		return backend.Upload{}, err
	}
	return up.withParts(), nil
}

// PutPart implements backend.Backend.
func (s *Store) PutPart(ctx context.Context, bucket, key, id string, p backend.Part) (*backend.Part, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, up, err := s.uploadLocked(bucket, key, id)
	if err != nil {
		return nil, err
	}
	if s.p != nil {
		if err := s.p.PutPart(&up.rec, &p); err != nil {
			return nil, err
		}
	}
	old, ok := up.parts[p.Number]
	up.parts[p.Number] = p
	if !ok {
		return nil, nil
	}
	return &old, nil
}

// DeleteUpload implements backend.Backend.
func (s *Store) DeleteUpload(ctx context.Context, bucket, key, id string) (backend.Upload, error) {
	if err := ctx.Err(); err != nil {
		return backend.Upload{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	b, up, err := s.uploadLocked(bucket, key, id)
	if err != nil {
		return backend.Upload{}, err
	}
	if s.p != nil {
		if err := s.p.DeleteUpload(&up.rec); err != nil {
			return backend.Upload{}, err
		}
	}
	delete(b.byID, uploadKey{key, id})
	b.uploads.Delete(up)
	return up.withParts(), nil
}

// CompleteUpload implements backend.Backend.
func (s *Store) CompleteUpload(ctx context.Context, bucket, id string, obj backend.Object, cond backend.Condition) (*backend.Object, backend.Upload, error) {
	if err := ctx.Err(); err != nil {
		return nil, backend.Upload{}, err
	}
	stored := cloneObject(obj)
	s.mu.Lock()
	defer s.mu.Unlock()
	b, up, err := s.uploadLocked(bucket, obj.Key, id)
	if err != nil {
		return nil, backend.Upload{}, err
	}
	old, _ := b.objects.Get(&stored)
	if err := cond.Check(old); err != nil {
		return nil, backend.Upload{}, err
	}
	for _, p := range obj.Parts {
		if cur, ok := up.parts[p.Number]; !ok || cur.Blob != p.Blob {
			return nil, backend.Upload{}, backend.ErrUploadChanged
		}
	}
	if s.p != nil {
		if err := s.p.CompleteUpload(&up.rec, bucket, &stored); err != nil {
			return nil, backend.Upload{}, err
		}
	}
	delete(b.byID, uploadKey{obj.Key, id})
	b.uploads.Delete(up)
	old, _ = b.objects.ReplaceOrInsert(&stored)
	return old, up.withParts(), nil
}

// ListUploads implements backend.Backend.
func (s *Store) ListUploads(ctx context.Context, bucket string) ([]backend.Upload, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	b, err := s.bucketLocked(bucket)
	if err != nil {
		return nil, err
	}
	out := make([]backend.Upload, 0, b.uploads.Len())
	b.uploads.Ascend(func(up *upload) bool {
		out = append(out, cloneUpload(up.rec))
		return true
	})
	return out, nil
}

// RestoreBucket adds a bucket record loaded from storage, without calling
// the Persister.
func (s *Store) RestoreBucket(rec backend.Bucket) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.bucketLocked(rec.Name); err != backend.ErrBucketNotFound {
		if err == nil {
			return backend.ErrBucketExists
		}
		return err
	}
	s.buckets.ReplaceOrInsert(newBucket(rec))
	return nil
}

// RestoreObject adds an object record loaded from storage, without calling
// the Persister. The bucket must have been restored first.
func (s *Store) RestoreObject(bucket string, o backend.Object) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, err := s.bucketLocked(bucket)
	if err != nil {
		return err
	}
	o = cloneObject(o)
	b.objects.ReplaceOrInsert(&o)
	return nil
}

// RestoreUpload adds an upload and its parts loaded from storage, without
// calling the Persister. The bucket must have been restored first.
func (s *Store) RestoreUpload(u backend.Upload) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, err := s.bucketLocked(u.Bucket)
	if err != nil {
		return err
	}
	k := uploadKey{u.Key, u.ID}
	if _, ok := b.byID[k]; ok {
		return backend.ErrUploadExists
	}
	up := &upload{rec: cloneUpload(u), parts: make(map[int]backend.Part, len(u.Parts))}
	up.rec.Parts = nil
	for _, p := range u.Parts {
		up.parts[p.Number] = p
	}
	b.byID[k] = up
	b.uploads.ReplaceOrInsert(up)
	return nil
}
