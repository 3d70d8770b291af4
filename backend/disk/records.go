package disk

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/backend/internal/index"
)

// records persists bucket, object and upload records as small JSON files:
//
//	buckets/<h(name)>/bucket.json
//	buckets/<h(name)>/objects/<h(key)>.json
//	buckets/<h(name)>/configs/<h(kind)>.json
//	buckets/<h(name)>/uploads/<h(key, id)>/upload.json
//	buckets/<h(name)>/uploads/<h(key, id)>/part-<n>.json
//
// where h is hex SHA-256, so that no name or key is ever used as a path.
// An object file holds all of a key's versions (keyFile), so that a write
// that adds, replaces or removes versions is one atomic rename; layout 1
// files hold a single Object, the key's null version.
// Every file and every new directory is first built under tmp and renamed
// into place, and removed trees are renamed into tmp before deletion, so a
// crash leaves either the old or the new state plus debris in tmp, which
// Open deletes.
type records struct {
	buckets string
	tmp     string

	// mu guards trash.
	mu sync.Mutex
	// trash holds directories removeTree moved aside, for emptyTrash to
	// delete once the index lock is released: an upload may hold
	// thousands of part files.
	trash []string
}

var _ index.Persister = (*records)(nil)

func hashHex(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		// Length-prefixed, so ("ab", "c") and ("a", "bc") differ.
		h.Write(strconv.AppendInt(nil, int64(len(p)), 10))
		h.Write([]byte{':'})
		h.Write([]byte(p))
	}
	return hex.EncodeToString(h.Sum(nil))
}

func (r *records) bucketDir(name string) string {
	return filepath.Join(r.buckets, hashHex(name))
}

func objectFile(key string) string { return hashHex(key) + ".json" }

func (r *records) uploadDir(u *backend.Upload) string {
	return filepath.Join(r.bucketDir(u.Bucket), "uploads", hashHex(u.Key, u.ID))
}

func partFile(n int) string { return "part-" + strconv.Itoa(n) + ".json" }

// writeFile writes data to dir/name atomically.
func (r *records) writeFile(dir, name string, data []byte) error {
	f, err := os.CreateTemp(r.tmp, "rec-*")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), filepath.Join(dir, name))
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("disk: writing record: %w", err)
	}
	return nil
}

// newDir returns a fresh directory under tmp, to fill and then install.
func (r *records) newDir(fill func(dir string) error) (string, error) {
	dir, err := os.MkdirTemp(r.tmp, "dir-*")
	if err != nil {
		return "", err
	}
	if err := fill(dir); err != nil {
		os.RemoveAll(dir)
		return "", err
	}
	return dir, nil
}

// install renames the prepared directory src to dst.
func install(src, dst string) error {
	if err := os.Rename(src, dst); err != nil {
		os.RemoveAll(src)
		return fmt.Errorf("disk: installing record: %w", err)
	}
	return nil
}

// removeTree removes dir by renaming it into tmp: the rename is the atomic
// step. Deleting the files is left to emptyTrash, and can fail or be
// interrupted harmlessly since Open empties tmp.
func (r *records) removeTree(dir string) error {
	trash, err := os.MkdirTemp(r.tmp, "del-*")
	if err != nil {
		return err
	}
	if err := os.Rename(dir, filepath.Join(trash, "x")); err != nil {
		os.Remove(trash)
		return fmt.Errorf("disk: removing record: %w", err)
	}
	r.mu.Lock()
	r.trash = append(r.trash, trash)
	r.mu.Unlock()
	return nil
}

// emptyTrash deletes what removeTree moved aside.
func (r *records) emptyTrash() {
	r.mu.Lock()
	trash := r.trash
	r.trash = nil
	r.mu.Unlock()
	for _, dir := range trash {
		os.RemoveAll(dir)
	}
}

// encode returns the JSON of v, which check must accept.
func encode[T any](v *T, check func(*T) error) ([]byte, error) {
	if err := check(v); err != nil {
		return nil, err
	}
	return json.Marshal(v)
}

func checkBucket(b *backend.Bucket) error {
	return checkUTF8(b.Name, b.Region, b.Owner, b.Versioning)
}

func (r *records) CreateBucket(b *backend.Bucket) error {
	data, err := encode(b, checkBucket)
	if err != nil {
		return err
	}
	dir, err := r.newDir(func(dir string) error {
		for _, sub := range []string{"objects", "uploads", "configs"} {
			if err := os.Mkdir(filepath.Join(dir, sub), 0o755); err != nil {
				return err
			}
		}
		return os.WriteFile(filepath.Join(dir, "bucket.json"), data, 0o644)
	})
	if err != nil {
		return fmt.Errorf("disk: creating bucket: %w", err)
	}
	return install(dir, r.bucketDir(b.Name))
}

func (r *records) DeleteBucket(name string) error {
	return r.removeTree(r.bucketDir(name))
}

// keyFile is an object file: every version of Key, newest first.
type keyFile struct {
	Key      string           `json:"key"`
	Versions []backend.Object `json:"versions"`
}

// configFile is a bucket configuration file.
type configFile struct {
	Kind string `json:"kind"`
	Doc  []byte `json:"doc"`
}

func (r *records) UpdateBucket(b *backend.Bucket) error {
	data, err := encode(b, checkBucket)
	if err != nil {
		return err
	}
	return r.writeFile(r.bucketDir(b.Name), "bucket.json", data)
}

func (r *records) PutKey(bucket, key string, versions []*backend.Object) error {
	if len(versions) == 0 {
		err := os.Remove(filepath.Join(r.bucketDir(bucket), "objects", objectFile(key)))
		if err != nil {
			return fmt.Errorf("disk: removing record: %w", err)
		}
		return nil
	}
	f := keyFile{Key: key, Versions: make([]backend.Object, len(versions))}
	for i, o := range versions {
		if err := checkObject(o); err != nil {
			return err
		}
		f.Versions[i] = *o
	}
	data, err := json.Marshal(&f)
	if err != nil {
		return err
	}
	return r.writeFile(filepath.Join(r.bucketDir(bucket), "objects"), objectFile(key), data)
}

func (r *records) PutBucketConfig(bucket, kind string, doc []byte) error {
	if err := checkUTF8(kind); err != nil {
		return err
	}
	data, err := json.Marshal(configFile{Kind: kind, Doc: doc})
	if err != nil {
		return err
	}
	// Buckets of layout 1 have no configs directory; an empty one left by
	// a crash is harmless.
	dir := filepath.Join(r.bucketDir(bucket), "configs")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("disk: writing record: %w", err)
	}
	return r.writeFile(dir, objectFile(kind), data)
}

func (r *records) DeleteBucketConfig(bucket, kind string) error {
	if err := os.Remove(filepath.Join(r.bucketDir(bucket), "configs", objectFile(kind))); err != nil {
		return fmt.Errorf("disk: removing record: %w", err)
	}
	return nil
}

func (r *records) CreateUpload(u *backend.Upload) error {
	data, err := encode(u, checkUpload)
	if err != nil {
		return err
	}
	dir, err := r.newDir(func(dir string) error {
		return os.WriteFile(filepath.Join(dir, "upload.json"), data, 0o644)
	})
	if err != nil {
		return fmt.Errorf("disk: creating upload: %w", err)
	}
	return install(dir, r.uploadDir(u))
}

func (r *records) PutPart(u *backend.Upload, p *backend.Part) error {
	data, err := encode(p, checkPart)
	if err != nil {
		return err
	}
	return r.writeFile(r.uploadDir(u), partFile(p.Number), data)
}

func (r *records) DeleteUpload(u *backend.Upload) error {
	return r.removeTree(r.uploadDir(u))
}

// CompleteUpload writes the key's versions, then removes the upload. A
// crash between the two leaves an upload whose parts the new version
// already uses; loadUpload recognises it and finishes the removal.
func (r *records) CompleteUpload(u *backend.Upload, bucket, key string, versions []*backend.Object) error {
	if err := r.PutKey(bucket, key, versions); err != nil {
		return err
	}
	return r.removeTree(r.uploadDir(u))
}

// errNotUTF8 explains a refused record: JSON would silently replace invalid
// bytes with U+FFFD, and the record would come back different after Open.
var errNotUTF8 = errors.New("disk: record holds a string that is not valid UTF-8")

func checkUTF8(ss ...string) error {
	for _, s := range ss {
		if !utf8.ValidString(s) {
			return fmt.Errorf("%w: %q", errNotUTF8, s)
		}
	}
	return nil
}

func checkHeaders(h *backend.Headers) error {
	return checkUTF8(h.ContentType, h.ContentEncoding, h.ContentDisposition,
		h.ContentLanguage, h.CacheControl, h.Expires)
}

func checkMetadata(m map[string]string) error {
	for k, v := range m {
		if err := checkUTF8(k, v); err != nil {
			return err
		}
	}
	return nil
}

func checkChecksum(c *backend.Checksum) error {
	return checkUTF8(c.Algorithm, c.Value, c.Type)
}

func checkPart(p *backend.Part) error {
	if err := checkUTF8(p.ETag, string(p.Blob)); err != nil {
		return err
	}
	return checkChecksum(&p.Checksum)
}

func checkSSE(e *backend.SSE) error {
	return checkUTF8(e.Algorithm, e.KMSKeyID, e.Context, e.CustomerKeyMD5)
}

func checkObject(o *backend.Object) error {
	if err := checkUTF8(o.Key, o.ETag, o.UploadID, o.VersionID, o.Retention.Mode); err != nil {
		return err
	}
	if err := checkSSE(&o.SSE); err != nil {
		return err
	}
	if err := checkMetadata(o.Tags); err != nil {
		return err
	}
	if err := checkHeaders(&o.Headers); err != nil {
		return err
	}
	if err := checkMetadata(o.Metadata); err != nil {
		return err
	}
	if err := checkChecksum(&o.Checksum); err != nil {
		return err
	}
	for i := range o.Parts {
		if err := checkPart(&o.Parts[i]); err != nil {
			return err
		}
	}
	return nil
}

func checkUpload(u *backend.Upload) error {
	if err := checkUTF8(u.Bucket, u.Key, u.ID, u.ChecksumAlgorithm, u.ChecksumType, u.Retention.Mode); err != nil {
		return err
	}
	if err := checkSSE(&u.SSE); err != nil {
		return err
	}
	if err := checkHeaders(&u.Headers); err != nil {
		return err
	}
	if err := checkMetadata(u.Tags); err != nil {
		return err
	}
	return checkMetadata(u.Metadata)
}

// readJSON decodes the file at path into v.
func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("disk: %s: %w", path, err)
	}
	return nil
}

// readKeyFile reads an object file of either layout.
func readKeyFile(path string) (keyFile, error) {
	var f struct {
		keyFile
		backend.Object // layout 1: the null version alone
	}
	if err := readJSON(path, &f); err != nil {
		return keyFile{}, err
	}
	if f.Versions == nil {
		return keyFile{Key: f.Object.Key, Versions: []backend.Object{f.Object}}, nil
	}
	if len(f.Versions) == 0 {
		return keyFile{}, fmt.Errorf("disk: %s: object %q has no versions", path, f.keyFile.Key)
	}
	for _, v := range f.Versions {
		if v.Key != f.keyFile.Key {
			return keyFile{}, fmt.Errorf("disk: %s: object %q holds a version of %q", path, f.keyFile.Key, v.Key)
		}
	}
	return f.keyFile, nil
}

// load reads every record into idx.
func (r *records) load(idx *index.Store) error {
	return eachEntry(r.buckets, false, func(path, _ string) error { return r.loadBucket(idx, path) })
}

// eachEntry calls fn with the path and name of each entry of dir, in name
// order; if missingOK, a missing dir has none.
func eachEntry(dir string, missingOK bool, fn func(path, name string) error) error {
	entries, err := os.ReadDir(dir)
	if err != nil && !(missingOK && isNotExist(err)) {
		return err
	}
	for _, e := range entries {
		if err := fn(filepath.Join(dir, e.Name()), e.Name()); err != nil {
			return err
		}
	}
	return nil
}

func (r *records) loadBucket(idx *index.Store, dir string) error {
	var b backend.Bucket
	if err := readJSON(filepath.Join(dir, "bucket.json"), &b); err != nil {
		return err
	}
	if hashHex(b.Name) != filepath.Base(dir) {
		return fmt.Errorf("disk: %s: bucket %q stored under the wrong name", dir, b.Name)
	}
	if err := index.RestoreBucket(idx, b); err != nil {
		return err
	}
	err := eachEntry(filepath.Join(dir, "objects"), false, func(path, name string) error {
		f, err := readKeyFile(path)
		if err != nil {
			return err
		}
		if objectFile(f.Key) != name {
			return fmt.Errorf("disk: %s: object %q stored under the wrong name", path, f.Key)
		}
		return index.RestoreKey(idx, b.Name, f.Key, f.Versions)
	})
	if err != nil {
		return err
	}
	// Layout 1 buckets have no configs directory.
	err = eachEntry(filepath.Join(dir, "configs"), true, func(path, name string) error {
		var f configFile
		if err := readJSON(path, &f); err != nil {
			return err
		}
		if objectFile(f.Kind) != name {
			return fmt.Errorf("disk: %s: configuration %q stored under the wrong name", path, f.Kind)
		}
		return index.RestoreBucketConfig(idx, b.Name, f.Kind, f.Doc)
	})
	if err != nil {
		return err
	}
	return eachEntry(filepath.Join(dir, "uploads"), false, func(path, _ string) error { return r.loadUpload(idx, path) })
}

func (r *records) loadUpload(idx *index.Store, dir string) error {
	var u backend.Upload
	if err := readJSON(filepath.Join(dir, "upload.json"), &u); err != nil {
		return err
	}
	if r.uploadDir(&u) != dir {
		return fmt.Errorf("disk: %s: upload %q stored under the wrong name", dir, u.ID)
	}
	u.Parts = nil
	err := eachEntry(dir, false, func(path, name string) error {
		if !strings.HasPrefix(name, "part-") {
			return nil
		}
		var p backend.Part
		if err := readJSON(path, &p); err != nil {
			return err
		}
		if partFile(p.Number) != name {
			return fmt.Errorf("disk: %s: part %d stored under the wrong name", path, p.Number)
		}
		u.Parts = append(u.Parts, p)
		return nil
	})
	if err != nil {
		return err
	}
	if r.completed(idx, &u) {
		return r.removeTree(dir)
	}
	return index.RestoreUpload(idx, u)
}

// completed reports whether the object under u's key uses one of u's part
// blobs: blob IDs are never reused, so only a CompleteUpload of u can have
// put it there, and a crash stopped it before it removed u.
func (r *records) completed(idx *index.Store, u *backend.Upload) bool {
	o, err := idx.GetObject(context.Background(), u.Bucket, u.Key, "")
	if err != nil {
		return false
	}
	for _, p := range u.Parts {
		for _, op := range o.Parts {
			if p.Blob != "" && p.Blob == op.Blob {
				return true
			}
		}
	}
	return false
}

// isNotExist reports whether err means a missing file.
func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }
