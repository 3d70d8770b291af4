// Versioning:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketVersioning.html,
// API_GetBucketVersioning.html, API_ListObjectVersions.html; version IDs on
// object operations follow
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/versioning-workflows.html

package gateway

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/mocks3/mocks3/internal/s3err"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/objects"
)

// versionIDLen and versionIDChars shape the version IDs mocks3 makes: like
// S3's, 32 URL-safe characters, never "null".
const (
	versionIDLen   = 32
	versionIDChars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz._"
)

// newVersionID returns a fresh version ID from the handler's seeded source.
func (h *Handler) newVersionID() string {
	b := make([]byte, versionIDLen)
	h.mu.Lock()
	for i := range b {
		b[i] = versionIDChars[h.rng.IntN(len(versionIDChars))]
	}
	h.mu.Unlock()
	return string(b)
}

// versionFor returns the version ID a write to key in bucket b gets: one
// the key does not hold yet when versioning is enabled, else the null
// version. A directory reopened with WithSeed sees the same IDs again, and
// a repeated ID would replace the version that has it: draw on.
func (h *Handler) versionFor(ctx context.Context, b backend.Bucket, key string) (string, error) {
	if b.Versioning != objects.VersioningEnabled {
		return "", nil
	}
	for attempt := 1; ; attempt++ {
		id := h.newVersionID()
		_, err := h.store.HeadVersion(ctx, b.Name, key, id)
		if errors.Is(err, backend.ErrVersionNotFound) || errors.Is(err, backend.ErrObjectNotFound) {
			return id, nil
		}
		if err != nil {
			return "", s3Error(err, b.Name, key)
		}
		if attempt == 100 {
			return "", fmt.Errorf("no fresh version ID for %s/%s after %d attempts", b.Name, key, attempt)
		}
	}
}

// validVersionID reports whether v could name a version: "null" or an ID
// shaped as mocks3 makes them. S3 refuses other strings as malformed
// rather than answering that no such version exists.
func validVersionID(v string) bool {
	if v == backend.NullVersion {
		return true
	}
	if len(v) != versionIDLen {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '.' || c == '_') {
			return false
		}
	}
	return true
}

// versionParam reads the versionId query parameter of an object request:
// "" if absent.
func versionParam(q url.Values) (string, error) {
	if !q.Has("versionId") {
		return "", nil
	}
	v := q.Get("versionId")
	if v == "" {
		return "", errorf(s3err.InvalidArgument, "Version id cannot be the empty string")
	}
	if !validVersionID(v) {
		return "", invalidVersionID(v)
	}
	return v, nil
}

// invalidVersionID is S3's answer to a malformed version ID.
func invalidVersionID(v string) error {
	return &s3err.Error{Code: s3err.InvalidArgument, Message: "Invalid version id specified",
		Extra: []s3err.ExtraElement{extra("ArgumentName", "versionId"), extra("ArgumentValue", v)}}
}

// versionError maps a role error for a read of version versionID ("" the
// current one) to S3's: a version asked for by ID that is missing is
// NoSuchVersion, even when the key has no versions at all.
func versionError(err error, bucket, key, versionID string) error {
	if versionID != "" && (errors.Is(err, backend.ErrVersionNotFound) || errors.Is(err, backend.ErrObjectNotFound)) {
		return newError(s3err.NoSuchVersion, extra("Key", key), extra("VersionId", versionID))
	}
	return s3Error(err, bucket, key)
}

// setVersionID sets x-amz-version-id for a version with ID id in a bucket
// whose objects carry version IDs (named is true when the request named
// the version or the bucket is versioned); unversioned objects get none.
func setVersionID(h http.Header, id string, named bool) {
	if id != "" || named {
		h["x-amz-version-id"] = []string{objects.VersionName(id)}
	}
}

// deleteMarkerError answers a read that found a delete marker: 404
// NoSuchKey for the current version, 405 MethodNotAllowed when the
// request named the marker by its version ID; both say what they found in
// x-amz-delete-marker and x-amz-version-id, as S3 does.
func deleteMarkerError(w http.ResponseWriter, r *http.Request, obj *backend.Object, named bool) error {
	hdr := w.Header()
	hdr["x-amz-delete-marker"] = []string{"true"}
	hdr["x-amz-version-id"] = []string{objects.VersionName(obj.VersionID)}
	if named {
		return newError(s3err.MethodNotAllowed, extra("Method", r.Method), extra("ResourceType", "DeleteMarker"))
	}
	return newError(s3err.NoSuchKey, extra("Key", obj.Key))
}

type versioningConfiguration struct {
	XMLName xml.Name `xml:"VersioningConfiguration"`
	Xmlns   string   `xml:"xmlns,attr,omitempty"`
	Status  string   `xml:",omitempty"`
	// MfaDelete is the element's name on the wire (the SDKs' field is
	// MFADelete).
	MfaDelete string `xml:",omitempty"`
}

func (h *Handler) getBucketVersioning(w http.ResponseWriter, r *http.Request, req *request) error {
	b, err := h.bucket(r.Context(), req.bucket)
	if err != nil {
		return err
	}
	writeXML(w, http.StatusOK, versioningConfiguration{Xmlns: s3Namespace, Status: b.Versioning})
	return nil
}

func (h *Handler) putBucketVersioning(w http.ResponseWriter, r *http.Request, req *request) error {
	ctx := r.Context()
	var conf versioningConfiguration
	if err := readXML(r, 64<<10, &conf); err != nil {
		return err
	}
	switch conf.MfaDelete {
	case "", "Disabled":
	case "Enabled":
		// mocks3 has no MFA devices: S3's answer to a request without a
		// valid x-amz-mfa.
		return &s3err.Error{Code: s3err.AccessDenied, Message: "Mfa Authentication must be used for this request"}
	default:
		return newError(s3err.IllegalVersioningConfiguration)
	}
	if conf.Status != objects.VersioningEnabled && conf.Status != objects.VersioningSuspended {
		return newError(s3err.IllegalVersioningConfiguration)
	}
	b, err := h.bucket(ctx, req.bucket)
	if err != nil {
		return err
	}
	if b.ObjectLock && conf.Status != objects.VersioningEnabled {
		return errorf(s3err.InvalidBucketState, "An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.")
	}
	b.Versioning = conf.Status
	if err := h.store.Records().UpdateBucket(ctx, b); err != nil {
		return s3Error(err, req.bucket, "")
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

// versionXML is a Version or a DeleteMarker element of ListVersionsResult;
// XMLName says which, so that the two kinds stay in listing order.
type versionXML struct {
	XMLName           xml.Name
	Key               string
	VersionID         string `xml:"VersionId"`
	IsLatest          bool
	LastModified      string
	ETag              string `xml:",omitempty"`
	Size              *int64 `xml:",omitempty"`
	ChecksumAlgorithm string `xml:",omitempty"`
	ChecksumType      string `xml:",omitempty"`
	Owner             owner
	StorageClass      string `xml:",omitempty"`
}

type listVersionsResult struct {
	XMLName             xml.Name `xml:"ListVersionsResult"`
	Xmlns               string   `xml:"xmlns,attr"`
	Name                string
	Prefix              string
	KeyMarker           string
	VersionIDMarker     string `xml:"VersionIdMarker"`
	NextKeyMarker       string `xml:",omitempty"`
	NextVersionIDMarker string `xml:"NextVersionIdMarker,omitempty"`
	MaxKeys             int
	Delimiter           string `xml:",omitempty"`
	EncodingType        string `xml:",omitempty"`
	IsTruncated         bool
	Versions            []versionXML
	CommonPrefixes      []commonPrefix `xml:"CommonPrefixes"`
}

func (h *Handler) listObjectVersions(w http.ResponseWriter, r *http.Request, req *request) error {
	q := r.URL.Query()
	base, enc, err := listParams(q)
	if err != nil {
		return err
	}
	in := objects.VersionListInput{Prefix: base.Prefix, Delimiter: base.Delimiter, Max: base.Max,
		KeyMarker: q.Get("key-marker"), VersionIDMarker: q.Get("version-id-marker")}
	if in.VersionIDMarker != "" {
		if in.KeyMarker == "" {
			return errorf(s3err.InvalidArgument, "A version-id marker cannot be specified without a key marker.")
		}
		if !validVersionID(in.VersionIDMarker) {
			return invalidVersionID(in.VersionIDMarker)
		}
	}
	lc := h.lifecycleOf(r.Context(), req.bucket)
	var page objects.VersionPage
	for {
		if page, err = h.store.ListVersions(r.Context(), req.bucket, in); err != nil {
			return s3Error(err, req.bucket, "")
		}
		expired, err := h.expireListed(r.Context(), lc, req.bucket, page.Versions, true)
		for i := range page.Versions {
			if err != nil || (i > 0 && page.Versions[i].Key == page.Versions[i-1].Key) {
				continue
			}
			var gone bool
			gone, err = h.expireVersions(r.Context(), lc, req.bucket, page.Versions[i].Key)
			expired = expired || gone
		}
		if err != nil {
			return s3Error(err, req.bucket, "")
		}
		if !expired {
			break
		}
	}
	bo, err := h.bucketOwner(r.Context(), req.bucket)
	if err != nil {
		return err
	}
	res := listVersionsResult{Xmlns: s3Namespace, Name: req.bucket, Prefix: encodeKey(enc, in.Prefix),
		KeyMarker: encodeKey(enc, in.KeyMarker), VersionIDMarker: in.VersionIDMarker, MaxKeys: in.Max,
		Delimiter: encodeKey(enc, in.Delimiter), IsTruncated: page.Truncated}
	if enc {
		res.EncodingType = "url"
	}
	if page.Truncated {
		res.NextKeyMarker = encodeKey(enc, page.NextKeyMarker)
		res.NextVersionIDMarker = page.NextVersionIDMarker
	}
	for i := range page.Versions {
		o := &page.Versions[i]
		v := versionXML{XMLName: xml.Name{Local: "Version"}, Key: encodeKey(enc, o.Key),
			VersionID: objects.VersionName(o.VersionID), IsLatest: o.IsLatest,
			LastModified: formatTime(o.LastModified), Owner: bo}
		if o.DeleteMarker {
			v.XMLName.Local = "DeleteMarker"
		} else {
			size := o.Size
			v.ETag, v.Size, v.StorageClass = o.ETag, &size, "STANDARD"
			v.ChecksumAlgorithm, v.ChecksumType = o.Checksum.Algorithm, o.Checksum.Type
		}
		res.Versions = append(res.Versions, v)
	}
	for _, p := range page.Prefixes {
		res.CommonPrefixes = append(res.CommonPrefixes, commonPrefix{encodeKey(enc, p)})
	}
	writeXML(w, http.StatusOK, res)
	return nil
}
