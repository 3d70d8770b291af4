// Package backend defines where mocks3 keeps bucket records, object records,
// multipart upload state and object bytes: two contracts, Records and Blobs,
// which the metadata and storage roles implement over any transport, and
// Backend, which keeps both in one place.
//
// Implementations store and retrieve; they do not implement S3 semantics.
// Pagination, delimiters, conditionals, ranges and multipart ETags live above
// them, once. Package backendtest holds the one conformance suite every
// implementation must pass; backend/memory and backend/disk are the two
// shipped Backends.
package backend

import (
	"context"
	"errors"
	"io"
	"time"
)

// Errors a Backend reports. Callers match them with errors.Is.
var (
	// ErrBucketExists is returned by CreateBucket for a name already in use.
	ErrBucketExists = errors.New("backend: bucket already exists")
	// ErrBucketNotFound is returned by every bucket, object and upload
	// method when the named bucket does not exist.
	ErrBucketNotFound = errors.New("backend: bucket not found")
	// ErrBucketNotEmpty is returned by DeleteBucket.
	ErrBucketNotEmpty = errors.New("backend: bucket not empty")
	// ErrObjectNotFound is returned for a key with no record.
	ErrObjectNotFound = errors.New("backend: object not found")
	// ErrVersionNotFound is returned for a version ID the key does not
	// hold, when the key holds other versions.
	ErrVersionNotFound = errors.New("backend: object version not found")
	// ErrConfigNotFound is returned by GetBucketConfig for a kind of
	// configuration the bucket does not have.
	ErrConfigNotFound = errors.New("backend: bucket configuration not found")
	// ErrUploadExists is returned by CreateUpload when the bucket already
	// holds an upload with the same key and ID.
	ErrUploadExists = errors.New("backend: multipart upload already exists")
	// ErrUploadNotFound is returned for an unknown {key, upload ID} pair.
	ErrUploadNotFound = errors.New("backend: multipart upload not found")
	// ErrUploadChanged is returned by CompleteUpload when a part of the
	// object is no longer the upload's part of that number: it was uploaded
	// again after the caller read the upload.
	ErrUploadChanged = errors.New("backend: multipart upload changed")
	// ErrBlobNotFound is returned for an unknown, deleted or malformed BlobID.
	ErrBlobNotFound = errors.New("backend: blob not found")
	// ErrPreconditionFailed is returned by a write whose Condition does not
	// hold.
	ErrPreconditionFailed = errors.New("backend: precondition failed")
	// ErrClosed is returned by every method called after Close.
	ErrClosed = errors.New("backend: closed")
	// ErrInsufficientStorage is returned by WriteBlob when the backend has
	// no room for the blob, such as a memory backend at its limit.
	ErrInsufficientStorage = errors.New("backend: insufficient storage")
)

// Bucket is a bucket record.
type Bucket struct {
	Name    string
	Region  string
	Created time.Time
	// Owner is the owning account's canonical ID, as the S3 layer names it.
	Owner string
	// Versioning is the bucket's versioning state: "" (never enabled),
	// "Enabled" or "Suspended". Backends store it; the S3 layer chooses
	// version IDs accordingly.
	Versioning string
	// ObjectLock reports whether the bucket was created with object lock.
	ObjectLock bool
}

// NullVersion names the null version where a version ID selects one
// (GetObject, DeleteObject, UpdateObject, ListVersions' marker), as S3
// names it on the wire. Records store the null version's VersionID as "";
// no generated version ID may be "null".
const NullVersion = "null"

// Retention is an object version's object lock retention; the zero value
// means none.
type Retention struct {
	Mode  string    // GOVERNANCE or COMPLIANCE
	Until time.Time // retain-until date
}

// BlobID names a stored byte sequence. Backends choose the format; callers
// treat it as opaque. A backend never hands out the same BlobID twice, even
// after the blob is deleted (persistent backends: across reopening too), so a
// stale ID can only miss, never read another blob.
type BlobID string

// Checksum is an S3 additional checksum as it appears on the wire.
type Checksum struct {
	Algorithm string // as in x-amz-checksum-algorithm (CRC32, SHA256, XXHASH3…); empty if none
	Value     string // base64, with a "-N" suffix for composite multipart values
	Type      string // FULL_OBJECT or COMPOSITE
}

// Part is one stored segment of an object, or one uploaded multipart part.
type Part struct {
	Number       int
	Size         int64
	ETag         string // quoted
	Checksum     Checksum
	LastModified time.Time
	Blob         BlobID
}

// Headers are the content headers S3 stores with an object and returns on GET.
type Headers struct {
	ContentType        string
	ContentEncoding    string
	ContentDisposition string
	ContentLanguage    string
	CacheControl       string
	Expires            string
}

// Object is an object record. Its bytes are the concatenation of its Parts'
// blobs, in order.
type Object struct {
	Key          string
	Size         int64
	ETag         string // quoted
	LastModified time.Time
	Headers      Headers
	// Metadata holds user metadata with lower-case keys, without the
	// "x-amz-meta-" prefix.
	Metadata  map[string]string
	Checksum  Checksum
	Parts     []Part
	Multipart bool // created by CompleteMultipartUpload; PartsCount is len(Parts)
	// UploadID is the multipart upload the object was completed from, so
	// that a retried CompleteMultipartUpload finds its result; empty for
	// objects not made by CompleteMultipartUpload.
	UploadID string

	// VersionID is the version's ID; "" is the null version (see
	// NullVersion).
	VersionID string
	// DeleteMarker marks a delete marker: a version with no bytes that
	// hides the versions below it.
	DeleteMarker bool
	// Tags are the object's tags; nil means none.
	Tags map[string]string
	// ACL is the version's access control document, opaque to backends:
	// the S3 layer owns its format. nil means none was set.
	ACL []byte
	// Retention and LegalHold are the version's object lock state.
	Retention Retention
	LegalHold bool
	// IsLatest is set by ListVersions on each key's current version and is
	// false everywhere else; backends ignore it on writes.
	IsLatest bool

	StorageClass    string // x-amz-storage-class; empty for STANDARD
	WebsiteRedirect string // x-amz-website-redirect-location; empty if none
	// SSE is the server-side encryption the version was written with.
	SSE SSE
}

// SSE is the server-side encryption S3 reports for an object. mocks3 keeps
// bytes in the clear: these are only the attributes S3 echoes and checks.
type SSE struct {
	Algorithm string // x-amz-server-side-encryption: AES256, aws:kms, aws:kms:dsse; empty for SSE-C
	KMSKeyID  string
	Context   string // base64 JSON, as sent
	BucketKey bool
	// CustomerKeyMD5 is the base64 MD5 of an SSE-C key (never the key);
	// non-empty means SSE-C with AES256.
	CustomerKeyMD5 string
}

// ObjectUpdate changes the mutable fields of one object version in place
// (UpdateObject); a nil field leaves its value unchanged.
type ObjectUpdate struct {
	Tags      *map[string]string `json:"tags,omitempty"` // a pointer to an empty or nil map removes every tag (Tags becomes nil)
	ACL       *[]byte            `json:"acl,omitempty"`  // a pointer to an empty or nil slice removes the ACL (ACL becomes nil)
	Retention *Retention         `json:"retention,omitempty"`
	LegalHold *bool              `json:"legal_hold,omitempty"`
}

// Upload is a multipart upload in progress.
type Upload struct {
	Bucket    string
	Key       string
	ID        string
	Initiated time.Time
	Headers   Headers
	Metadata  map[string]string
	// ChecksumAlgorithm and ChecksumType are what CreateMultipartUpload asked for.
	ChecksumAlgorithm string
	ChecksumType      string
	// StorageClass and WebsiteRedirect are the object's to be.
	StorageClass    string
	WebsiteRedirect string
	// Tags and ACL are what CreateMultipartUpload set for the object
	// (x-amz-tagging, x-amz-acl...); nil means none.
	Tags map[string]string
	ACL  []byte
	// Retention and LegalHold are the object lock state the completed
	// object gets, decided when the upload was created.
	Retention Retention
	LegalHold bool
	// SSE is the encryption the completed object gets.
	SSE SSE
	// Parts is filled by GetUpload, DeleteUpload and CompleteUpload, sorted
	// by Number;
	// ListUploads leaves it nil.
	Parts []Part
}

// Condition is a conditional write, a value rather than code so that it can
// travel to a remote records service. The zero Condition always holds.
type Condition struct {
	IfNoneMatch bool   `json:"if_none_match,omitempty"` // the key must not exist
	IfMatch     string `json:"if_match,omitempty"`      // the current ETag must match; "*" any
}

// Blob is an open stored byte sequence. Reads of a Blob see the bytes that
// were written, even if the blob is deleted while open.
type Blob interface {
	io.ReaderAt
	io.Closer
	Size() int64
}

// Records is the records contract: buckets, object records, the sorted
// listing and multipart upload state. The metadata role is a Records, over
// any transport. All methods are safe for concurrent use. Returned values
// are copies: mutating them never changes the store, and neither does
// mutating a value after passing it in. Strings in records (names, keys,
// metadata) are valid UTF-8; the S3 layer validates them, and a persistent
// implementation may refuse others.
//
// Methods return ctx.Err() if ctx is already done. Object and upload
// methods on a missing bucket fail with ErrBucketNotFound.
type Records interface {
	CreateBucket(ctx context.Context, b Bucket) error // ErrBucketExists
	GetBucket(ctx context.Context, name string) (Bucket, error)
	// ListBuckets returns all buckets sorted by name.
	ListBuckets(ctx context.Context) ([]Bucket, error)
	// UpdateBucket rewrites the mutable fields of the bucket named b.Name
	// (Versioning and ObjectLock) from b; its other fields are ignored.
	UpdateBucket(ctx context.Context, b Bucket) error
	// DeleteBucket fails with ErrBucketNotEmpty while the bucket holds
	// object versions (delete markers included) or uploads. It deletes the
	// bucket's configurations.
	DeleteBucket(ctx context.Context, name string) error

	// A key holds an ordered list of versions, newest first; the newest is
	// the key's current version, which may be a delete marker.

	// GetObject returns a version of key: versionID "" is the current
	// version (a delete marker included: the S3 layer decides), NullVersion
	// the null version. A key with no versions fails with
	// ErrObjectNotFound, a version the key does not hold with
	// ErrVersionNotFound.
	GetObject(ctx context.Context, bucket, key, versionID string) (Object, error)
	// PutObject stores obj as the newest version of obj.Key atomically if
	// cond holds, checked against the current version (a delete marker
	// counts as absent) while writes to the key are serialised. A version
	// with obj.VersionID that the key already holds (notably the null
	// version "") is removed from the list and returned as replaced (nil
	// if none): unversioned and suspended buckets replace the null
	// version, enabled buckets, where the caller picks fresh IDs,
	// accumulate versions. Callers delete the replaced record's blobs
	// that obj no longer references. Delete markers are PutObject calls
	// with DeleteMarker set.
	PutObject(ctx context.Context, bucket string, obj Object, cond Condition) (replaced *Object, err error)
	// DeleteObject removes exactly one version ("" or NullVersion: the null
	// version) and returns it; ErrObjectNotFound if the key has no
	// versions, ErrVersionNotFound if it lacks that one. The next version,
	// if any, becomes current. Callers delete its blobs.
	DeleteObject(ctx context.Context, bucket, key, versionID string) (Object, error)
	// UpdateObject applies u to one version in place, without moving it in
	// the list (versionID as for GetObject), and returns the updated
	// record.
	UpdateObject(ctx context.Context, bucket, key, versionID string, u ObjectUpdate) (Object, error)
	// ListObjects returns up to limit current versions that are not delete
	// markers, with key >= from, in ascending byte order of key; limit <= 0
	// returns none. Its cost depends on limit plus the keys whose current
	// version is a delete marker that it skips, not on the number of
	// objects in the bucket.
	ListObjects(ctx context.Context, bucket, from string, limit int) ([]Object, error)
	// ListVersions returns up to limit versions, delete markers included,
	// by key ascending, then newest first, with IsLatest set on each key's
	// current version. It starts strictly after the version
	// (fromKey, fromVersionID) when fromVersionID != "" (NullVersion for
	// the null version; if fromKey lacks that version, at the next key),
	// and at key >= fromKey otherwise. Its cost depends on limit, not on
	// the size of the bucket.
	ListVersions(ctx context.Context, bucket, fromKey, fromVersionID string, limit int) ([]Object, error)

	// Bucket configurations are documents the S3 layer owns (tagging,
	// CORS, policy...), stored per bucket under a short kind name such as
	// "tagging", "cors" or "policy".

	// PutBucketConfig stores doc as the bucket's configuration of kind,
	// replacing any.
	PutBucketConfig(ctx context.Context, bucket, kind string, doc []byte) error
	// GetBucketConfig returns the bucket's configuration of kind
	// (ErrConfigNotFound if none).
	GetBucketConfig(ctx context.Context, bucket, kind string) ([]byte, error)
	// DeleteBucketConfig removes the bucket's configuration of kind; it is
	// not an error if there is none, as S3's deletes are idempotent.
	DeleteBucketConfig(ctx context.Context, bucket, kind string) error

	// CreateUpload stores a new upload; u.Parts is ignored. A second upload
	// with the same key and ID fails with ErrUploadExists.
	CreateUpload(ctx context.Context, u Upload) error
	GetUpload(ctx context.Context, bucket, key, id string) (Upload, error)
	// PutPart records a part of an upload and returns the part it replaced
	// (nil if none).
	PutPart(ctx context.Context, bucket, key, id string, p Part) (replaced *Part, err error)
	// DeleteUpload removes the upload and returns it with its parts.
	DeleteUpload(ctx context.Context, bucket, key, id string) (Upload, error)
	// CompleteUpload stores obj as a new version of the upload's key, by
	// PutObject's version rules, and removes the
	// upload, as one atomic and durable step, so an object never shares its
	// bytes with an upload that can still be aborted or overwritten. Each of
	// obj.Parts must be the upload's current part of the same Number and
	// Blob (ErrUploadChanged otherwise); cond is checked as by PutObject. It
	// returns the record obj replaced (nil if none) and the removed upload
	// with its parts; callers delete the blobs that obj does not reference.
	// On any error nothing changes.
	CompleteUpload(ctx context.Context, bucket, id string, obj Object, cond Condition) (replaced *Object, done Upload, err error)
	// ListUploads returns the bucket's uploads sorted by key, then by
	// initiation time, then by ID.
	ListUploads(ctx context.Context, bucket string) ([]Upload, error)
}

// Blobs is the blobs contract: object bytes, streamed. The storage role is
// a Blobs, over any transport. All methods are safe for concurrent use and
// return ctx.Err() if ctx is already done.
type Blobs interface {
	// WriteBlob stores everything r yields as a new blob. sizeHint is the
	// expected length, or -1; it is a hint from client input, so
	// implementations must not trust it for unbounded allocation. It stops
	// reading r before it returns and when ctx is cancelled. A backend with
	// limited room fails with ErrInsufficientStorage, at once for a hint
	// beyond its room, or when bytes arrive that have none. A failed read
	// leaves no blob behind and its error is returned wrapped, so
	// errors.Is still matches it.
	WriteBlob(ctx context.Context, r io.Reader, sizeHint int64) (BlobID, int64, error)
	// OpenBlob opens a blob (ErrBlobNotFound if there is none).
	OpenBlob(ctx context.Context, id BlobID) (Blob, error)
	// DeleteBlob deletes a blob (ErrBlobNotFound if there is none).
	DeleteBlob(ctx context.Context, id BlobID) error
}

// Backend keeps both records and blobs in one place, as backend/memory and
// backend/disk do.
type Backend interface {
	Records
	Blobs
	// Close releases resources; later calls return ErrClosed, and calling
	// Close again is a no-op. Blobs already open stay readable until closed.
	// Everything acknowledged before Close is durable for persistent
	// backends.
	Close() error
}
