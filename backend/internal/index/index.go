// Package index is the sorted in-memory record store shared by the memory and
// disk backends, so that ordering, copying, locking and error rules are
// written once. It holds bucket, object and upload records; blobs are each
// backend's own business.
package index

import (
	"bytes"
	"cmp"
	"context"
	"maps"
	"slices"
	"sync"

	"github.com/google/btree"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/backend/internal/condition"
)

// Persister makes record changes durable. Store calls it with its lock held,
// after validating a change and before applying it to the index, so an error
// leaves the index unchanged and records on disk change in the same order as
// in memory. Arguments are borrowed for the duration of the call.
type Persister interface {
	CreateBucket(b *backend.Bucket) error
	UpdateBucket(b *backend.Bucket) error
	// DeleteBucket removes the bucket with its configurations.
	DeleteBucket(name string) error
	// PutKey stores the whole version list of key, newest first, as one
	// durable step; an empty list removes the key. The records must not
	// be modified.
	PutKey(bucket, key string, versions []*backend.Object) error
	CreateUpload(u *backend.Upload) error
	PutPart(u *backend.Upload, p *backend.Part) error
	DeleteUpload(u *backend.Upload) error
	// CompleteUpload stores key's versions, as PutKey, and removes u as
	// one durable step.
	CompleteUpload(u *backend.Upload, bucket, key string, versions []*backend.Object) error
	// PutBucketConfig stores a bucket configuration, replacing any of the
	// same kind; DeleteBucketConfig removes one that exists.
	PutBucketConfig(bucket, kind string, doc []byte) error
	DeleteBucketConfig(bucket, kind string) error
}

// noPersister is the Persister of a Store that keeps nothing.
type noPersister struct{}

func (noPersister) CreateBucket(*backend.Bucket) error             { return nil }
func (noPersister) UpdateBucket(*backend.Bucket) error             { return nil }
func (noPersister) DeleteBucket(string) error                      { return nil }
func (noPersister) PutKey(string, string, []*backend.Object) error { return nil }
func (noPersister) CreateUpload(*backend.Upload) error             { return nil }
func (noPersister) PutPart(*backend.Upload, *backend.Part) error   { return nil }
func (noPersister) DeleteUpload(*backend.Upload) error             { return nil }
func (noPersister) PutBucketConfig(string, string, []byte) error   { return nil }
func (noPersister) DeleteBucketConfig(string, string) error        { return nil }
func (noPersister) CompleteUpload(*backend.Upload, string, string, []*backend.Object) error {
	return nil
}

// degree of the B-trees: wide nodes keep them shallow and cache-friendly.
const degree = 32

// Store holds the records of one backend. All methods are safe for
// concurrent use. Its exported methods are exactly the records half of
// backend.Backend, so a backend embeds it to implement that half; loading
// from storage goes through the package's Restore functions instead, which
// keeps them out of the backends' method sets.
type Store struct {
	p Persister

	// mu guards closed, buckets and every record reachable from buckets.
	// Writers hold it across Persister calls (see Persister).
	mu      sync.RWMutex
	closed  bool
	buckets *btree.BTreeG[*bucket]
}

type bucket struct {
	rec     backend.Bucket
	objects *btree.BTreeG[*entry]  // by key
	configs map[string][]byte      // by kind
	uploads *btree.BTreeG[*upload] // by key, then initiation time, then ID
	byID    map[uploadKey]*upload
}

// entry is a key with its versions, newest first; an entry in the index
// always has at least one.
type entry struct {
	key      string
	versions []*backend.Object
}

type uploadKey struct{ key, id string }

type upload struct {
	rec   backend.Upload // Parts is always nil
	parts map[int]backend.Part
}

// New returns an empty Store that reports changes to p, which may be nil.
func New(p Persister) *Store {
	if p == nil {
		p = noPersister{}
	}
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
		objects: btree.NewG(degree, func(a, b *entry) bool {
			return a.key < b.key
		}),
		configs: make(map[string][]byte),
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
	o.Tags = maps.Clone(o.Tags)
	o.ACL = slices.Clone(o.ACL)
	return o
}

// cloneUpload returns a deep copy of u.
func cloneUpload(u backend.Upload) backend.Upload {
	u.Metadata = maps.Clone(u.Metadata)
	u.Parts = slices.Clone(u.Parts)
	u.Tags = maps.Clone(u.Tags)
	u.ACL = slices.Clone(u.ACL)
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

// absentLocked reports backend.ErrBucketExists if the bucket exists, or
// why it cannot be created; s.mu must be held.
func (s *Store) absentLocked(name string) error {
	switch _, err := s.bucketLocked(name); err {
	case nil:
		return backend.ErrBucketExists
	case backend.ErrBucketNotFound:
		return nil
	default:
		return err
	}
}

// lockBucket checks ctx, locks s (for writing if write) and returns the
// named bucket; the caller then calls s.unlock(write). On error s is left
// unlocked.
func (s *Store) lockBucket(ctx context.Context, name string, write bool) (*bucket, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if write {
		s.mu.Lock()
	} else {
		s.mu.RLock()
	}
	b, err := s.bucketLocked(name)
	if err != nil {
		s.unlock(write)
		return nil, err
	}
	return b, nil
}

// unlock releases what lockBucket or lockUpload took.
func (s *Store) unlock(write bool) {
	if write {
		s.mu.Unlock()
	} else {
		s.mu.RUnlock()
	}
}

// CreateBucket implements backend.Backend.
func (s *Store) CreateBucket(ctx context.Context, rec backend.Bucket) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.absentLocked(rec.Name); err != nil {
		return err
	}
	if err := s.p.CreateBucket(&rec); err != nil {
		return err
	}
	s.buckets.ReplaceOrInsert(newBucket(rec))
	return nil
}

// GetBucket implements backend.Backend.
func (s *Store) GetBucket(ctx context.Context, name string) (backend.Bucket, error) {
	b, err := s.lockBucket(ctx, name, false)
	if err != nil {
		return backend.Bucket{}, err
	}
	defer s.unlock(false)
	return b.rec, nil
}

// UpdateBucket implements backend.Backend.
func (s *Store) UpdateBucket(ctx context.Context, rec backend.Bucket) error {
	b, err := s.lockBucket(ctx, rec.Name, true)
	if err != nil {
		return err
	}
	defer s.unlock(true)
	n := b.rec
	n.Versioning = rec.Versioning
	n.ObjectLock = rec.ObjectLock
	if err := s.p.UpdateBucket(&n); err != nil {
		return err
	}
	b.rec = n
	return nil
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
	b, err := s.lockBucket(ctx, name, true)
	if err != nil {
		return err
	}
	defer s.unlock(true)
	if b.objects.Len() > 0 || b.uploads.Len() > 0 {
		return backend.ErrBucketNotEmpty
	}
	if err := s.p.DeleteBucket(name); err != nil {
		return err
	}
	s.buckets.Delete(b)
	return nil
}

// findVersion returns the index of the version with ID id ("" for the null
// version) in e, or -1.
func (e *entry) findVersion(id string) int {
	return slices.IndexFunc(e.versions, func(o *backend.Object) bool { return o.VersionID == id })
}

// nullID maps backend.NullVersion to the null version's stored ID "".
func nullID(id string) string {
	if id == backend.NullVersion {
		return ""
	}
	return id
}

// versionLocked finds a version of key: versionID "" is the current one;
// s.mu must be held.
func (b *bucket) versionLocked(key, versionID string) (*entry, int, error) {
	e, ok := b.objects.Get(&entry{key: key})
	if !ok {
		return nil, 0, backend.ErrObjectNotFound
	}
	if versionID == "" {
		return e, 0, nil
	}
	i := e.findVersion(nullID(versionID))
	if i < 0 {
		return nil, 0, backend.ErrVersionNotFound
	}
	return e, i, nil
}

// setVersions makes versions the key's list, removing the key when empty.
// The slice is never modified afterwards: writers build a new one, so a
// list handed to the Persister stays as it was.
func (b *bucket) setVersions(key string, versions []*backend.Object) {
	if len(versions) == 0 {
		b.objects.Delete(&entry{key: key})
		return
	}
	b.objects.ReplaceOrInsert(&entry{key: key, versions: versions})
}

// lockVersion is lockBucket for a version of key (see versionLocked).
func (s *Store) lockVersion(ctx context.Context, bucket, key, versionID string, write bool) (*bucket, *entry, int, error) {
	b, err := s.lockBucket(ctx, bucket, write)
	if err != nil {
		return nil, nil, 0, err
	}
	e, i, err := b.versionLocked(key, versionID)
	if err != nil {
		s.unlock(write)
		return nil, nil, 0, err
	}
	return b, e, i, nil
}

// GetObject implements backend.Backend.
func (s *Store) GetObject(ctx context.Context, bucket, key, versionID string) (backend.Object, error) {
	_, e, i, err := s.lockVersion(ctx, bucket, key, versionID, false)
	if err != nil {
		return backend.Object{}, err
	}
	defer s.unlock(false)
	return cloneObject(*e.versions[i]), nil
}

// put computes the key's new version list with stored on top, checking
// cond against the current version; s.mu must be held.
func (b *bucket) put(stored *backend.Object, cond backend.Condition) (versions []*backend.Object, replaced *backend.Object, err error) {
	var cur *backend.Object
	versions = []*backend.Object{stored}
	if e, ok := b.objects.Get(&entry{key: stored.Key}); ok {
		if !e.versions[0].DeleteMarker {
			cur = e.versions[0]
		}
		for _, v := range e.versions {
			if v.VersionID == stored.VersionID {
				replaced = v
				continue
			}
			versions = append(versions, v)
		}
	}
	if err := condition.Check(cond, cur); err != nil {
		return nil, nil, err
	}
	return versions, replaced, nil
}

// newVersion returns the record to store for obj.
func newVersion(obj backend.Object) *backend.Object {
	stored := cloneObject(obj)
	stored.VersionID = nullID(stored.VersionID)
	stored.IsLatest = false
	return &stored
}

// PutObject implements backend.Backend.
func (s *Store) PutObject(ctx context.Context, bucket string, obj backend.Object, cond backend.Condition) (*backend.Object, error) {
	stored := newVersion(obj)
	b, err := s.lockBucket(ctx, bucket, true)
	if err != nil {
		return nil, err
	}
	defer s.unlock(true)
	versions, replaced, err := b.put(stored, cond)
	if err != nil {
		return nil, err
	}
	if err := s.p.PutKey(bucket, stored.Key, versions); err != nil {
		return nil, err
	}
	// replaced is no longer reachable from the store, so it can be handed
	// out.
	b.setVersions(stored.Key, versions)
	return replaced, nil
}

// DeleteObject implements backend.Backend.
func (s *Store) DeleteObject(ctx context.Context, bucket, key, versionID string) (backend.Object, error) {
	if versionID == "" {
		versionID = backend.NullVersion
	}
	b, e, i, err := s.lockVersion(ctx, bucket, key, versionID, true)
	if err != nil {
		return backend.Object{}, err
	}
	defer s.unlock(true)
	versions := slices.Delete(slices.Clone(e.versions), i, i+1)
	if err := s.p.PutKey(bucket, key, versions); err != nil {
		return backend.Object{}, err
	}
	b.setVersions(key, versions)
	return *e.versions[i], nil
}

// UpdateObject implements backend.Backend.
func (s *Store) UpdateObject(ctx context.Context, bucket, key, versionID string, u backend.ObjectUpdate) (backend.Object, error) {
	b, e, i, err := s.lockVersion(ctx, bucket, key, versionID, true)
	if err != nil {
		return backend.Object{}, err
	}
	defer s.unlock(true)
	n := cloneObject(*e.versions[i])
	if u.Tags != nil {
		n.Tags = nil
		if len(*u.Tags) > 0 {
			n.Tags = maps.Clone(*u.Tags)
		}
	}
	if u.ACL != nil {
		n.ACL = nil
		if len(*u.ACL) > 0 {
			n.ACL = slices.Clone(*u.ACL)
		}
	}
	if u.Retention != nil {
		n.Retention = *u.Retention
	}
	if u.LegalHold != nil {
		n.LegalHold = *u.LegalHold
	}
	versions := slices.Clone(e.versions)
	versions[i] = &n
	if err := s.p.PutKey(bucket, key, versions); err != nil {
		return backend.Object{}, err
	}
	b.setVersions(key, versions)
	return cloneObject(n), nil
}

// list returns up to limit records that add appends for each key from from
// on, in order, with the bucket read-locked.
func (s *Store) list(ctx context.Context, bucket, from string, limit int, add func(out []backend.Object, e *entry) []backend.Object) ([]backend.Object, error) {
	b, err := s.lockBucket(ctx, bucket, false)
	if err != nil {
		return nil, err
	}
	defer s.unlock(false)
	if limit <= 0 {
		return []backend.Object{}, nil
	}
	out := make([]backend.Object, 0, min(limit, b.objects.Len()))
	b.objects.AscendGreaterOrEqual(&entry{key: from}, func(e *entry) bool {
		out = add(out, e)
		return len(out) < limit
	})
	return out, nil
}

// ListObjects implements backend.Backend.
func (s *Store) ListObjects(ctx context.Context, bucket, from string, limit int) ([]backend.Object, error) {
	return s.list(ctx, bucket, from, limit, func(out []backend.Object, e *entry) []backend.Object {
		if e.versions[0].DeleteMarker {
			return out
		}
		return append(out, cloneObject(*e.versions[0]))
	})
}

// ListVersions implements backend.Backend.
func (s *Store) ListVersions(ctx context.Context, bucket, fromKey, fromVersionID string, limit int) ([]backend.Object, error) {
	return s.list(ctx, bucket, fromKey, limit, func(out []backend.Object, e *entry) []backend.Object {
		first := 0
		if e.key == fromKey && fromVersionID != "" {
			i := e.findVersion(nullID(fromVersionID))
			if i < 0 {
				return out // the marker's version is gone: next key
			}
			first = i + 1
		}
		for i := first; i < len(e.versions) && len(out) < limit; i++ {
			o := cloneObject(*e.versions[i])
			o.IsLatest = i == 0
			out = append(out, o)
		}
		return out
	})
}

// PutBucketConfig implements backend.Backend.
func (s *Store) PutBucketConfig(ctx context.Context, bucket, kind string, doc []byte) error {
	doc = bytes.Clone(doc)
	if doc == nil {
		doc = []byte{}
	}
	b, err := s.lockBucket(ctx, bucket, true)
	if err != nil {
		return err
	}
	defer s.unlock(true)
	if err := s.p.PutBucketConfig(bucket, kind, doc); err != nil {
		return err
	}
	b.configs[kind] = doc
	return nil
}

// GetBucketConfig implements backend.Backend.
func (s *Store) GetBucketConfig(ctx context.Context, bucket, kind string) ([]byte, error) {
	b, err := s.lockBucket(ctx, bucket, false)
	if err != nil {
		return nil, err
	}
	defer s.unlock(false)
	doc, ok := b.configs[kind]
	if !ok {
		return nil, backend.ErrConfigNotFound
	}
	return bytes.Clone(doc), nil
}

// DeleteBucketConfig implements backend.Backend.
func (s *Store) DeleteBucketConfig(ctx context.Context, bucket, kind string) error {
	b, err := s.lockBucket(ctx, bucket, true)
	if err != nil {
		return err
	}
	defer s.unlock(true)
	if _, ok := b.configs[kind]; !ok {
		return nil
	}
	if err := s.p.DeleteBucketConfig(bucket, kind); err != nil {
		return err
	}
	delete(b.configs, kind)
	return nil
}

// CreateUpload implements backend.Backend.
func (s *Store) CreateUpload(ctx context.Context, u backend.Upload) error {
	u = cloneUpload(u)
	u.Parts = nil
	b, err := s.lockBucket(ctx, u.Bucket, true)
	if err != nil {
		return err
	}
	defer s.unlock(true)
	return b.addUpload(u, s.p.CreateUpload)
}

// addUpload adds u with its parts to b, refusing an upload b holds;
// persist, if not nil, stores u first.
func (b *bucket) addUpload(u backend.Upload, persist func(*backend.Upload) error) error {
	k := uploadKey{u.Key, u.ID}
	if _, ok := b.byID[k]; ok {
		return backend.ErrUploadExists
	}
	if persist != nil {
		if err := persist(&u); err != nil {
			return err
		}
	}
	up := &upload{rec: u, parts: make(map[int]backend.Part, len(u.Parts))}
	for _, p := range u.Parts {
		up.parts[p.Number] = p
	}
	up.rec.Parts = nil
	b.byID[k] = up
	b.uploads.ReplaceOrInsert(up)
	return nil
}

// lockUpload is lockBucket for an upload of the bucket.
func (s *Store) lockUpload(ctx context.Context, bucket, key, id string, write bool) (*bucket, *upload, error) {
	b, err := s.lockBucket(ctx, bucket, write)
	if err != nil {
		return nil, nil, err
	}
	up, ok := b.byID[uploadKey{key, id}]
	if !ok {
		s.unlock(write)
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
	_, up, err := s.lockUpload(ctx, bucket, key, id, false)
	if err != nil {
		return backend.Upload{}, err
	}
	defer s.unlock(false)
	return up.withParts(), nil
}

// PutPart implements backend.Backend.
func (s *Store) PutPart(ctx context.Context, bucket, key, id string, p backend.Part) (*backend.Part, error) {
	_, up, err := s.lockUpload(ctx, bucket, key, id, true)
	if err != nil {
		return nil, err
	}
	defer s.unlock(true)
	if err := s.p.PutPart(&up.rec, &p); err != nil {
		return nil, err
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
	b, up, err := s.lockUpload(ctx, bucket, key, id, true)
	if err != nil {
		return backend.Upload{}, err
	}
	defer s.unlock(true)
	if err := s.p.DeleteUpload(&up.rec); err != nil {
		return backend.Upload{}, err
	}
	delete(b.byID, uploadKey{key, id})
	b.uploads.Delete(up)
	return up.withParts(), nil
}

// CompleteUpload implements backend.Backend.
func (s *Store) CompleteUpload(ctx context.Context, bucket, id string, obj backend.Object, cond backend.Condition) (*backend.Object, backend.Upload, error) {
	stored := newVersion(obj)
	b, up, err := s.lockUpload(ctx, bucket, obj.Key, id, true)
	if err != nil {
		return nil, backend.Upload{}, err
	}
	defer s.unlock(true)
	versions, replaced, err := b.put(stored, cond)
	if err != nil {
		return nil, backend.Upload{}, err
	}
	for _, p := range obj.Parts {
		if cur, ok := up.parts[p.Number]; !ok || cur.Blob != p.Blob {
			return nil, backend.Upload{}, backend.ErrUploadChanged
		}
	}
	if err := s.p.CompleteUpload(&up.rec, bucket, stored.Key, versions); err != nil {
		return nil, backend.Upload{}, err
	}
	delete(b.byID, uploadKey{obj.Key, id})
	b.uploads.Delete(up)
	b.setVersions(stored.Key, versions)
	return replaced, up.withParts(), nil
}

// ListUploads implements backend.Backend.
func (s *Store) ListUploads(ctx context.Context, bucket string) ([]backend.Upload, error) {
	b, err := s.lockBucket(ctx, bucket, false)
	if err != nil {
		return nil, err
	}
	defer s.unlock(false)
	out := make([]backend.Upload, 0, b.uploads.Len())
	b.uploads.Ascend(func(up *upload) bool {
		out = append(out, cloneUpload(up.rec))
		return true
	})
	return out, nil
}

// RestoreBucket adds a bucket record loaded from storage, without calling
// the Persister.
func RestoreBucket(s *Store, rec backend.Bucket) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.absentLocked(rec.Name); err != nil {
		return err
	}
	s.buckets.ReplaceOrInsert(newBucket(rec))
	return nil
}

// RestoreKey adds the versions of a key loaded from storage, newest first,
// without calling the Persister. The bucket must have been restored first.
func RestoreKey(s *Store, bucket, key string, versions []backend.Object) error {
	b, err := s.lockBucket(context.Background(), bucket, true)
	if err != nil {
		return err
	}
	defer s.unlock(true)
	list := make([]*backend.Object, len(versions))
	for i, v := range versions {
		list[i] = newVersion(v)
	}
	b.setVersions(key, list)
	return nil
}

// RestoreBucketConfig adds a bucket configuration loaded from storage,
// without calling the Persister.
func RestoreBucketConfig(s *Store, bucket, kind string, doc []byte) error {
	b, err := s.lockBucket(context.Background(), bucket, true)
	if err != nil {
		return err
	}
	defer s.unlock(true)
	b.configs[kind] = bytes.Clone(doc)
	return nil
}

// RestoreUpload adds an upload and its parts loaded from storage, without
// calling the Persister. The bucket must have been restored first.
func RestoreUpload(s *Store, u backend.Upload) error {
	b, err := s.lockBucket(context.Background(), u.Bucket, true)
	if err != nil {
		return err
	}
	defer s.unlock(true)
	return b.addUpload(cloneUpload(u), nil)
}
