package backendtest

import (
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/backend/internal/condition"
	"github.com/mocks3/mocks3/backend/memory"
	"github.com/mocks3/mocks3/internal/suitetest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// runSuite runs the group of the suite named only against backends made by
// wrap(memory.New()) and returns the failures.
func runSuite(t *testing.T, only string, wrap func(backend.Backend) backend.Backend) []string {
	return suitetest.Record(t, only, func(t suitetest.T) {
		run(t, func(suitetest.T) backend.Backend { return wrap(memory.New()) })
	})
}

func TestSuitePassesMemory(t *testing.T) {
	if failures := runSuite(t, "", func(b backend.Backend) backend.Backend { return b }); len(failures) > 0 {
		t.Errorf("suite failed a correct backend:\n%s", strings.Join(failures, "\n"))
	}
}

// TestSuiteCatches feeds the suite backends with one defect each and checks
// that the suite reports it in the subtest meant to catch it.
func TestSuiteCatches(t *testing.T) {
	tests := []struct {
		name string
		wrap func(backend.Backend) backend.Backend
		want string // the subtest that must fail
	}{
		{"UnsortedBuckets", func(b backend.Backend) backend.Backend { return unsortedBuckets{b} }, "Buckets/ListSorted"},
		{"DeleteNonEmptyBucket", func(b backend.Backend) backend.Backend { return forceDelete{b} }, "Buckets/DeleteNotEmpty"},
		{"WrongNotFound", func(b backend.Backend) backend.Backend { return wrongNotFound{b} }, "Objects/GetMissing"},
		{"TruncatedTimes", func(b backend.Backend) backend.Backend { return truncTimes{b} }, "Objects/PutGet"},
		{"NoReplaced", func(b backend.Backend) backend.Backend { return noReplaced{b} }, "Objects/Replace"},
		{"IgnoresCondition", func(b backend.Backend) backend.Backend { return ignoresCond{b} }, "Objects/Condition"},
		{"SharedMetadata", func(b backend.Backend) backend.Backend { return newShared(b, false) }, "Objects/Copies/GetObject"},
		{"SharedParts", func(b backend.Backend) backend.Backend { return newShared(b, true) }, "Objects/Copies/GetObject"},
		{"KeepsInput", func(b backend.Backend) backend.Backend { return newKeepsInput(b) }, "Objects/Copies/Input"},
		{"UnsortedList", func(b backend.Backend) backend.Backend { return unsortedList{b} }, "List/Order"},
		{"ExclusiveFrom", func(b backend.Backend) backend.Backend { return exclusiveFrom{b} }, "List/From"},
		{"IgnoresLimit", func(b backend.Backend) backend.Backend { return ignoresLimit{b} }, "List/Limit"},
		{"UnsortedParts", func(b backend.Backend) backend.Backend { return unsortedParts{b} }, "Uploads/PutPart"},
		{"CompleteInTwoSteps", func(b backend.Backend) backend.Backend { return completeInTwoSteps{b} }, "Uploads/CompleteRefused"},
		{"CompleteKeepsUpload", func(b backend.Backend) backend.Backend { return completeKeepsUpload{b} }, "Uploads/Complete"},
		{"UploadsByID", func(b backend.Backend) backend.Backend { return uploadsByID{b} }, "Uploads/List"},
		{"SwallowsReadError", func(b backend.Backend) backend.Backend { return swallowsReadError{b} }, "Blobs/FailedReader"},
		{"DeleteBreaksOpen", func(b backend.Backend) backend.Backend { return deleteBreaksOpen{b} }, "Blobs/DeleteWhileOpen"},
		{"ShortReadNoEOF", func(b backend.Backend) backend.Backend { return shortReadNoEOF{b} }, "Blobs/WriteRead"},
		{"DropsLastByte", func(b backend.Backend) backend.Backend {
			return blobWrap{b, func(bl backend.Blob) backend.Blob { return dropsLast{bl} }}
		}, "Blobs/SequentialReads"},
		{"ReadAfterClose", func(b backend.Backend) backend.Backend {
			return blobWrap{b, func(bl backend.Blob) backend.Blob { return noClose{bl} }}
		}, "Blobs/CloseBlob"},
		{"IgnoresVersionID", func(b backend.Backend) backend.Backend { return ignoresVersionID{b} }, "Versions/EnabledAccumulate"},
		{"ListsDeleteMarkers", func(b backend.Backend) backend.Backend { return listsMarkers{b} }, "Versions/DeleteMarkers"},
		{"NoIsLatest", func(b backend.Backend) backend.Backend { return noIsLatest{b} }, "Versions/NullReplace"},
		{"InclusiveVersionMarker", func(b backend.Backend) backend.Backend { return inclusiveVersionMarker{b} }, "Versions/ListVersionsPaging"},
		{"UpdateMovesVersion", func(b backend.Backend) backend.Backend { return updateMovesVersion{b} }, "UpdateObject/Fields"},
		{"IgnoresUpdateBucket", func(b backend.Backend) backend.Backend { return ignoresUpdateBucket{b} }, "Buckets/Update"},
		{"ConfigsOutliveBucket", func(b backend.Backend) backend.Backend { return newOwnConfigs(b) }, "BucketConfigs/DeletedWithBucket"},
		{"RacyCondition", func(b backend.Backend) backend.Backend { return racyCond{b} }, "Concurrency/Counter"},
		{"IgnoresContext", func(b backend.Backend) backend.Backend { return ignoresContext{b} }, "Context"},
		{"IgnoresClose", func(b backend.Backend) backend.Backend { return ignoresClose{b} }, "Close"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			group, _, _ := strings.Cut(tt.want, "/")
			failures := runSuite(t, group, tt.wrap)
			caught := slices.ContainsFunc(failures, func(f string) bool {
				return strings.HasPrefix(f, "/"+tt.want+":") || strings.HasPrefix(f, "/"+tt.want+"/")
			})
			if !caught {
				t.Errorf("suite did not fail %s; failures:\n%s", tt.want, strings.Join(failures, "\n"))
			}
			if testing.Verbose() && len(failures) > 0 {
				t.Logf("first failure: %s", failures[0])
			}
		})
	}
}

// fakeDisk is a persistent backend in memory: reopening a dir returns the
// state the previous backend for it left behind.
type fakeDisk struct {
	// mu guards dirs.
	mu   sync.Mutex
	dirs map[string]*memory.Backend

	loseBlobs bool // defect: blobs do not survive reopening
}

// keepOpen leaves the shared state alive on Close.
type keepOpen struct{ backend.Backend }

func (keepOpen) Close() error { return nil }

// losesBlobs reads and writes blobs in a store of its own.
type losesBlobs struct {
	backend.Backend
	blobs backend.Backend
}

func (l losesBlobs) WriteBlob(ctx context.Context, r io.Reader, n int64) (backend.BlobID, int64, error) {
	return l.blobs.WriteBlob(ctx, r, n)
}
func (l losesBlobs) OpenBlob(ctx context.Context, id backend.BlobID) (backend.Blob, error) {
	return l.blobs.OpenBlob(ctx, id)
}
func (l losesBlobs) DeleteBlob(ctx context.Context, id backend.BlobID) error {
	return l.blobs.DeleteBlob(ctx, id)
}

func (f *fakeDisk) open(_ suitetest.T, dir string) backend.Backend {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, ok := f.dirs[dir]
	if !ok {
		m = memory.New()
		f.dirs[dir] = m
	}
	if f.loseBlobs {
		return keepOpen{losesBlobs{m, memory.New()}}
	}
	return keepOpen{m}
}

func runPersistentSuite(t *testing.T, open func(t suitetest.T, dir string) backend.Backend) []string {
	return suitetest.Record(t, "", func(t suitetest.T) { runPersistent(t, open) })
}

func TestPersistentSuite(t *testing.T) {
	t.Run("Passes", func(t *testing.T) {
		f := &fakeDisk{dirs: map[string]*memory.Backend{}}
		if failures := runPersistentSuite(t, f.open); len(failures) > 0 {
			t.Errorf("RunPersistent failed a correct backend:\n%s", strings.Join(failures, "\n"))
		}
	})
	t.Run("CatchesAmnesia", func(t *testing.T) {
		failures := runPersistentSuite(t, func(suitetest.T, string) backend.Backend { return memory.New() })
		if len(failures) == 0 {
			t.Errorf("RunPersistent passed a backend that forgets everything on reopening")
		}
	})
	t.Run("CatchesLostBlobs", func(t *testing.T) {
		f := &fakeDisk{dirs: map[string]*memory.Backend{}, loseBlobs: true}
		failures := runPersistentSuite(t, f.open)
		if !slices.ContainsFunc(failures, func(f string) bool { return strings.Contains(f, "OpenBlob") }) {
			t.Errorf("RunPersistent did not report lost blobs; failures:\n%s", strings.Join(failures, "\n"))
		}
	})
}

// The broken backends. Each wraps a correct one and breaks one rule.

type unsortedBuckets struct{ backend.Backend }

func (u unsortedBuckets) ListBuckets(ctx context.Context) ([]backend.Bucket, error) {
	bs, err := u.Backend.ListBuckets(ctx)
	slices.Reverse(bs)
	return bs, err
}

type forceDelete struct{ backend.Backend }

func (f forceDelete) DeleteBucket(ctx context.Context, name string) error {
	if err := f.Backend.DeleteBucket(ctx, name); !errors.Is(err, backend.ErrBucketNotEmpty) {
		return err
	}
	return nil // pretends
}

type wrongNotFound struct{ backend.Backend }

func (w wrongNotFound) GetObject(ctx context.Context, bucket, key, versionID string) (backend.Object, error) {
	o, err := w.Backend.GetObject(ctx, bucket, key, versionID)
	if errors.Is(err, backend.ErrObjectNotFound) {
		err = errors.New("no such key")
	}
	return o, err
}

type truncTimes struct{ backend.Backend }

func (tr truncTimes) PutObject(ctx context.Context, bucket string, o backend.Object, cond backend.Condition) (*backend.Object, error) {
	o.LastModified = o.LastModified.Truncate(time.Second)
	return tr.Backend.PutObject(ctx, bucket, o, cond)
}

type noReplaced struct{ backend.Backend }

func (n noReplaced) PutObject(ctx context.Context, bucket string, o backend.Object, cond backend.Condition) (*backend.Object, error) {
	_, err := n.Backend.PutObject(ctx, bucket, o, cond)
	return nil, err
}

// completeInTwoSteps stores the object without checking the upload's parts,
// then deletes the upload: an Abort or part upload in between destroys the
// object's bytes.
type completeInTwoSteps struct{ backend.Backend }

func (c completeInTwoSteps) CompleteUpload(ctx context.Context, bucket, id string, o backend.Object, cond backend.Condition) (*backend.Object, backend.Upload, error) {
	replaced, err := c.Backend.PutObject(ctx, bucket, o, cond)
	if err != nil {
		return nil, backend.Upload{}, err
	}
	done, err := c.Backend.DeleteUpload(ctx, bucket, o.Key, id)
	return replaced, done, err
}

type completeKeepsUpload struct{ backend.Backend }

func (c completeKeepsUpload) CompleteUpload(ctx context.Context, bucket, id string, o backend.Object, cond backend.Condition) (*backend.Object, backend.Upload, error) {
	up, err := c.Backend.GetUpload(ctx, bucket, o.Key, id)
	if err != nil {
		return nil, backend.Upload{}, err
	}
	replaced, err := c.Backend.PutObject(ctx, bucket, o, cond)
	return replaced, up, err
}

type ignoresCond struct{ backend.Backend }

func (i ignoresCond) PutObject(ctx context.Context, bucket string, o backend.Object, _ backend.Condition) (*backend.Object, error) {
	return i.Backend.PutObject(ctx, bucket, o, backend.Condition{})
}

// racyCond checks the condition, then writes: not serialised.
type racyCond struct{ backend.Backend }

func (r racyCond) PutObject(ctx context.Context, bucket string, o backend.Object, cond backend.Condition) (*backend.Object, error) {
	if cond != (backend.Condition{}) {
		var cur *backend.Object
		if c, err := r.Backend.GetObject(ctx, bucket, o.Key, ""); err == nil {
			cur = &c
		}
		if err := condition.Check(cond, cur); err != nil {
			return nil, err
		}
		time.Sleep(time.Millisecond) // widen the window others write in
	}
	return r.Backend.PutObject(ctx, bucket, o, backend.Condition{})
}

// shared hands out the same Metadata map (or Parts slice) on every
// GetObject of a key, as a backend returning its stored record would.
type shared struct {
	backend.Backend
	parts bool

	// mu guards meta and partsOf.
	mu      sync.Mutex
	meta    map[string]map[string]string
	partsOf map[string][]backend.Part
}

func newShared(b backend.Backend, parts bool) *shared {
	return &shared{Backend: b, parts: parts, meta: map[string]map[string]string{}, partsOf: map[string][]backend.Part{}}
}

func (s *shared) GetObject(ctx context.Context, bucket, key, versionID string) (backend.Object, error) {
	o, err := s.Backend.GetObject(ctx, bucket, key, versionID)
	if err != nil {
		return o, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	k := bucket + "/" + key
	if s.parts {
		if p, ok := s.partsOf[k]; ok {
			o.Parts = p
		} else {
			s.partsOf[k] = o.Parts
		}
		return o, nil
	}
	if m, ok := s.meta[k]; ok {
		o.Metadata = m
	} else {
		s.meta[k] = o.Metadata
	}
	return o, nil
}

// keepsInput keeps the caller's Metadata map instead of a copy.
type keepsInput struct {
	backend.Backend

	// mu guards meta.
	mu   sync.Mutex
	meta map[string]map[string]string
}

func newKeepsInput(b backend.Backend) *keepsInput {
	return &keepsInput{Backend: b, meta: map[string]map[string]string{}}
}

func (k *keepsInput) PutObject(ctx context.Context, bucket string, o backend.Object, cond backend.Condition) (*backend.Object, error) {
	r, err := k.Backend.PutObject(ctx, bucket, o, cond)
	if err == nil {
		k.mu.Lock()
		k.meta[bucket+"/"+o.Key] = o.Metadata
		k.mu.Unlock()
	}
	return r, err
}

func (k *keepsInput) GetObject(ctx context.Context, bucket, key, versionID string) (backend.Object, error) {
	o, err := k.Backend.GetObject(ctx, bucket, key, versionID)
	k.mu.Lock()
	if m, ok := k.meta[bucket+"/"+key]; ok && err == nil {
		o.Metadata = m
	}
	k.mu.Unlock()
	return o, err
}

type unsortedList struct{ backend.Backend }

func (u unsortedList) ListObjects(ctx context.Context, bucket, from string, limit int) ([]backend.Object, error) {
	os, err := u.Backend.ListObjects(ctx, bucket, from, limit)
	if len(os) > 2 {
		os[1], os[2] = os[2], os[1]
	}
	return os, err
}

type exclusiveFrom struct{ backend.Backend }

func (e exclusiveFrom) ListObjects(ctx context.Context, bucket, from string, limit int) ([]backend.Object, error) {
	os, err := e.Backend.ListObjects(ctx, bucket, from, limit+1)
	if len(os) > 0 && os[0].Key == from {
		os = os[1:]
	}
	if len(os) > limit {
		os = os[:max(limit, 0)]
	}
	return os, err
}

type ignoresLimit struct{ backend.Backend }

func (i ignoresLimit) ListObjects(ctx context.Context, bucket, from string, _ int) ([]backend.Object, error) {
	return i.Backend.ListObjects(ctx, bucket, from, 1<<30)
}

type unsortedParts struct{ backend.Backend }

func (u unsortedParts) GetUpload(ctx context.Context, bucket, key, id string) (backend.Upload, error) {
	up, err := u.Backend.GetUpload(ctx, bucket, key, id)
	slices.Reverse(up.Parts)
	return up, err
}

type uploadsByID struct{ backend.Backend }

func (u uploadsByID) ListUploads(ctx context.Context, bucket string) ([]backend.Upload, error) {
	us, err := u.Backend.ListUploads(ctx, bucket)
	slices.SortFunc(us, func(a, b backend.Upload) int { return strings.Compare(a.ID, b.ID) })
	return us, err
}

type swallowsReadError struct{ backend.Backend }

type eofOnError struct{ r io.Reader }

func (e eofOnError) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil {
		err = io.EOF
	}
	return n, err
}

func (s swallowsReadError) WriteBlob(ctx context.Context, r io.Reader, n int64) (backend.BlobID, int64, error) {
	return s.Backend.WriteBlob(ctx, eofOnError{r}, n)
}

// deleteBreaksOpen's blobs stop reading once deleted, as a backend that
// reopens a file per read would.
type deleteBreaksOpen struct{ backend.Backend }

type fragileBlob struct {
	backend.Blob
	b  backend.Backend
	id backend.BlobID
}

func (f fragileBlob) ReadAt(p []byte, off int64) (int, error) {
	bl, err := f.b.OpenBlob(context.Background(), f.id)
	if err != nil {
		return 0, err
	}
	defer bl.Close()
	return bl.ReadAt(p, off)
}

func (d deleteBreaksOpen) OpenBlob(ctx context.Context, id backend.BlobID) (backend.Blob, error) {
	bl, err := d.Backend.OpenBlob(ctx, id)
	if err != nil {
		return nil, err
	}
	return fragileBlob{bl, d.Backend, id}, nil
}

type shortReadNoEOF struct{ backend.Backend }

type noEOF struct{ backend.Blob }

func (n noEOF) ReadAt(p []byte, off int64) (int, error) {
	k, err := n.Blob.ReadAt(p, off)
	if err == io.EOF {
		err = nil
	}
	return k, err
}

func (s shortReadNoEOF) OpenBlob(ctx context.Context, id backend.BlobID) (backend.Blob, error) {
	bl, err := s.Backend.OpenBlob(ctx, id)
	if err != nil {
		return nil, err
	}
	return noEOF{bl}, nil
}

// ignoresContext replaces every context with a live one.
type ignoresContext struct{ backend.Backend }

func (i ignoresContext) GetObject(_ context.Context, bucket, key, versionID string) (backend.Object, error) {
	return i.Backend.GetObject(context.Background(), bucket, key, versionID)
}

// ignoresClose keeps working after Close.
type ignoresClose struct{ backend.Backend }

func (ignoresClose) Close() error { return nil }

// blobWrap wraps every blob it opens.
type blobWrap struct {
	backend.Backend
	wrap func(backend.Blob) backend.Blob
}

func (w blobWrap) OpenBlob(ctx context.Context, id backend.BlobID) (backend.Blob, error) {
	b, err := w.Backend.OpenBlob(ctx, id)
	if err != nil {
		return nil, err
	}
	return w.wrap(b), nil
}

// dropsLast hides the blob's last byte from reads, keeping Size.
type dropsLast struct{ backend.Blob }

func (d dropsLast) ReadAt(p []byte, off int64) (int, error) {
	end := d.Size() - 1
	if off >= end {
		return 0, io.EOF
	}
	if int64(len(p)) > end-off {
		n, _ := d.Blob.ReadAt(p[:end-off], off)
		return n, io.EOF
	}
	return d.Blob.ReadAt(p, off)
}

// noClose keeps a blob readable after Close.
type noClose struct{ backend.Blob }

func (noClose) Close() error { return nil }

// ignoresVersionID stores every version as the null version.
type ignoresVersionID struct{ backend.Backend }

func (i ignoresVersionID) PutObject(ctx context.Context, bucket string, o backend.Object, cond backend.Condition) (*backend.Object, error) {
	o.VersionID = ""
	return i.Backend.PutObject(ctx, bucket, o, cond)
}

// listsMarkers lists current versions, delete markers included.
type listsMarkers struct{ backend.Backend }

func (l listsMarkers) ListObjects(ctx context.Context, bucket, from string, limit int) ([]backend.Object, error) {
	vs, err := l.Backend.ListVersions(ctx, bucket, from, "", 1<<20)
	var out []backend.Object
	for _, v := range vs {
		if v.IsLatest && len(out) < limit {
			v.IsLatest = false
			out = append(out, v)
		}
	}
	return out, err
}

// noIsLatest never sets IsLatest.
type noIsLatest struct{ backend.Backend }

func (n noIsLatest) ListVersions(ctx context.Context, bucket, fromKey, fromVersionID string, limit int) ([]backend.Object, error) {
	vs, err := n.Backend.ListVersions(ctx, bucket, fromKey, fromVersionID, limit)
	for i := range vs {
		vs[i].IsLatest = false
	}
	return vs, err
}

// inclusiveVersionMarker starts at the marker's key, ignoring its version.
type inclusiveVersionMarker struct{ backend.Backend }

func (m inclusiveVersionMarker) ListVersions(ctx context.Context, bucket, fromKey, _ string, limit int) ([]backend.Object, error) {
	return m.Backend.ListVersions(ctx, bucket, fromKey, "", limit)
}

// updateMovesVersion updates a version by putting it again, on top.
type updateMovesVersion struct{ backend.Backend }

func (u updateMovesVersion) UpdateObject(ctx context.Context, bucket, key, versionID string, up backend.ObjectUpdate) (backend.Object, error) {
	o, err := u.Backend.GetObject(ctx, bucket, key, versionID)
	if err != nil {
		return o, err
	}
	if up.Tags != nil {
		o.Tags = *up.Tags
	}
	if up.ACL != nil {
		o.ACL = *up.ACL
	}
	if up.Retention != nil {
		o.Retention = *up.Retention
	}
	if up.LegalHold != nil {
		o.LegalHold = *up.LegalHold
	}
	_, err = u.Backend.PutObject(ctx, bucket, o, backend.Condition{})
	return o, err
}

// ignoresUpdateBucket keeps bucket records as created.
type ignoresUpdateBucket struct{ backend.Backend }

func (ignoresUpdateBucket) UpdateBucket(context.Context, backend.Bucket) error { return nil }

// ownConfigs keeps bucket configurations beside the backend, so they
// survive the bucket.
type ownConfigs struct {
	backend.Backend

	// mu guards docs.
	mu   sync.Mutex
	docs map[string][]byte
}

func newOwnConfigs(b backend.Backend) *ownConfigs {
	return &ownConfigs{Backend: b, docs: map[string][]byte{}}
}

func (o *ownConfigs) PutBucketConfig(ctx context.Context, bucket, kind string, doc []byte) error {
	if err := o.Backend.PutBucketConfig(ctx, bucket, kind, doc); err != nil {
		return err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.docs[bucket+"/"+kind] = slices.Clone(doc)
	return nil
}

func (o *ownConfigs) GetBucketConfig(ctx context.Context, bucket, kind string) ([]byte, error) {
	if _, err := o.Backend.GetBucket(ctx, bucket); err != nil {
		return nil, err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	doc, ok := o.docs[bucket+"/"+kind]
	if !ok {
		return nil, backend.ErrConfigNotFound
	}
	return slices.Clone(doc), nil
}

func (o *ownConfigs) DeleteBucketConfig(ctx context.Context, bucket, kind string) error {
	if err := o.Backend.DeleteBucketConfig(ctx, bucket, kind); err != nil {
		return err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	delete(o.docs, bucket+"/"+kind)
	return nil
}
