// Copies: https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html
// and API_UploadPartCopy.html

package gateway

import (
	"context"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/mocks3/mocks3/internal/s3err"
	"github.com/mocks3/mocks3/internal/s3op"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/objects"
)

// copySource is what x-amz-copy-source names.
type copySource struct {
	bucket, key string
	versionID   string // "" for the current version
}

// parseCopySource reads x-amz-copy-source: "[/]bucket/key[?versionId=v]",
// URL-encoded.
func parseCopySource(v string) (copySource, error) {
	if v == "" {
		// S3's answer to an empty x-amz-copy-source (versitygw#1388
		// quotes it).
		return copySource{}, errorf(s3err.InvalidArgument, "Invalid copy source bucket name")
	}
	bad := errorf(s3err.InvalidArgument, "Copy Source must mention the source bucket and key: sourcebucket/sourcekey")
	var src copySource
	if i := strings.Index(v, "?"); i >= 0 {
		q, perr := url.ParseQuery(v[i+1:])
		if perr != nil {
			return copySource{}, bad
		}
		if q.Has("versionId") {
			if src.versionID = q.Get("versionId"); !validVersionID(src.versionID) {
				return copySource{}, invalidVersionID(src.versionID)
			}
		}
		v = v[:i]
	}
	dec, perr := url.PathUnescape(v)
	if perr != nil {
		return copySource{}, bad
	}
	bucket, key, ok := strings.Cut(strings.TrimPrefix(dec, "/"), "/")
	if !ok || bucket == "" || key == "" || !utf8.ValidString(key) {
		return copySource{}, bad
	}
	if len(key) > 1024 {
		return copySource{}, newError(s3err.KeyTooLong)
	}
	src.bucket, src.key = bucket, key
	return src, nil
}

// copyData copies length bytes at start of an open source into a new blob,
// hashing them once; the copy's checksum is of algorithm alg, or the default
// one.
func (h *Handler) copyData(ctx context.Context, rd io.ReaderAt, start, length int64, alg checksumAlgorithm) (stored, error) {
	if alg == "" {
		alg = defaultChecksum
	}
	s, err := h.writeHashed(ctx, io.NewSectionReader(rd, start, length), length, "", alg)
	if err != nil {
		return stored{}, s3Error(err, "", "")
	}
	return s, nil
}

// openCopySource opens the source of a copy and checks its conditions. A
// delete marker is no source: as the current version it is a missing key;
// named by its version ID, S3 refuses it as InvalidRequest.
func (h *Handler) openCopySource(w http.ResponseWriter, r *http.Request, req *request) (backend.Object, *objects.Reader, copySource, error) {
	src, err := parseCopySource(r.Header.Get("x-amz-copy-source"))
	if err != nil {
		return backend.Object{}, nil, src, err
	}
	if h.auth != nil {
		// S3 needs s3:GetObject (s3:GetObjectVersion) on the source, of
		// whoever copies, the destination's owner included.
		read := subject{op: s3op.GetObject, bucket: src.bucket, key: src.key, versionID: src.versionID}
		if err := h.authorizeOn(r.Context(), r, req.user, read); err != nil {
			return backend.Object{}, nil, src, err
		}
	}
	obj, rd, err := h.store.OpenVersion(r.Context(), src.bucket, src.key, src.versionID)
	if err != nil {
		return backend.Object{}, nil, src, versionError(err, src.bucket, src.key, src.versionID)
	}
	if obj.DeleteMarker {
		rd.Close()
		if src.versionID != "" {
			return backend.Object{}, nil, src, errorf(s3err.InvalidRequest, "The source of a copy request may not specifically refer to a delete marker by version id.")
		}
		return backend.Object{}, nil, src, newError(s3err.NoSuchKey, extra("Key", src.key))
	}
	if err := checkReadConditions(r.Header, "x-amz-copy-source-", &obj); err != nil {
		rd.Close()
		return backend.Object{}, nil, src, err
	}
	if err := checkCustomerKey(r, copySourcePfx, &obj); err != nil {
		rd.Close()
		return backend.Object{}, nil, src, err
	}
	if obj.VersionID != "" || src.versionID != "" {
		w.Header()["x-amz-copy-source-version-id"] = []string{objects.VersionName(obj.VersionID)}
	}
	return obj, rd, src, nil
}

// copyResult is the body of CopyObject (CopyObjectResult) and of
// UploadPartCopy (CopyPartResult), which hold the same elements.
type copyResult struct {
	XMLName      xml.Name
	Xmlns        string `xml:"xmlns,attr"`
	ETag         string
	LastModified string
	ChecksumType string `xml:",omitempty"`
	checksumXML
}

func (h *Handler) copyObject(w http.ResponseWriter, r *http.Request, req *request) error {
	ctx := r.Context()
	directive := r.Header.Get("x-amz-metadata-directive")
	if directive != "" && directive != "COPY" && directive != "REPLACE" {
		return errorf(s3err.InvalidArgument, "Unknown metadata directive.")
	}
	b, lock, err := h.writeBucket(ctx, r, req)
	if err != nil {
		return err
	}
	src, rd, from, err := h.openCopySource(w, r, req)
	if err != nil {
		return err
	}
	defer rd.Close()
	// Copying a version named by its ID onto its own key restores it.
	if from.bucket == req.bucket && from.key == req.key && from.versionID == "" && directive != "REPLACE" &&
		r.Header.Get("x-amz-storage-class") == "" && r.Header.Get("x-amz-checksum-algorithm") == "" &&
		r.Header.Get("x-amz-website-redirect-location") == "" && r.Header.Get(hdrSSE) == "" && r.Header.Get(hdrSSECAlg) == "" {
		return errorf(s3err.InvalidRequest, "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.")
	}
	// The headers are checked whatever the directive. Neither the storage
	// class nor the redirect location is copied: the copy has the ones the
	// request names.
	hd, meta, attrs, err := parseWriteHeaders(r.Header)
	if err != nil {
		return err
	}
	if directive != "REPLACE" {
		hd, meta = src.Headers, src.Metadata
	}
	alg, err := requestedAlgorithm(r.Header.Get("x-amz-checksum-algorithm"), src.Checksum.Algorithm)
	if err != nil {
		return err
	}
	cond, err := writeCondition(r)
	if err != nil {
		return err
	}
	ex, err := h.copyExtras(ctx, r, req.bucket, src)
	if err != nil {
		return err
	}
	ex.attrs, ex.lock = attrs, lock
	s, err := h.copyData(ctx, rd, 0, src.Size, alg)
	if err != nil {
		return err
	}
	obj, err := h.commitNew(ctx, w, b, req, s, hd, meta, ex, cond)
	if err != nil {
		return err
	}
	writeXML(w, http.StatusOK, copyResult{XMLName: xml.Name{Local: "CopyObjectResult"}, Xmlns: s3Namespace, ETag: obj.ETag,
		LastModified: formatTime(obj.LastModified), ChecksumType: obj.Checksum.Type, checksumXML: toChecksumXML(obj.Checksum)})
	return nil
}

// requestedAlgorithm validates an x-amz-checksum-algorithm value, falling
// back to def.
func requestedAlgorithm(v, def string) (checksumAlgorithm, error) {
	if v == "" {
		v = def
	}
	if v == "" {
		return "", nil
	}
	a, ok := parseChecksumAlgorithm(v)
	if !ok {
		return "", errorf(s3err.InvalidRequest, "Checksum algorithm %s is not supported.", v)
	}
	return a, nil
}

func (h *Handler) uploadPartCopy(w http.ResponseWriter, r *http.Request, req *request) error {
	ctx := r.Context()
	up, number, err := h.partTarget(r, req)
	if err != nil {
		return err
	}
	if err := checkPartKey(r, up); err != nil {
		return err
	}
	src, rd, _, err := h.openCopySource(w, r, req)
	if err != nil {
		return err
	}
	defer rd.Close()
	start, length := int64(0), src.Size
	if v := r.Header.Get("x-amz-copy-source-range"); v != "" {
		// Unlike a GET Range, the range must be bytes=first-last and lie
		// within the source: S3 does not clamp it.
		spec, isBytes := strings.CutPrefix(v, "bytes=")
		first, last, _ := strings.Cut(spec, "-")
		a, errA := strconv.ParseUint(first, 10, 63)
		b, errB := strconv.ParseUint(last, 10, 63)
		if !isBytes || errA != nil || errB != nil || b < a {
			return errorf(s3err.InvalidArgument, "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy")
		}
		if int64(b) >= src.Size {
			return errorf(s3err.InvalidArgument, "Range specified is not valid for source object of size: %d", src.Size)
		}
		start, length = int64(a), int64(b-a+1)
	}
	alg, err := requestedAlgorithm("", up.ChecksumAlgorithm)
	if err != nil {
		return err
	}
	s, err := h.copyData(ctx, rd, start, length, alg)
	if err != nil {
		return err
	}
	part, err := h.savePart(ctx, req, number, s)
	if err != nil {
		return err
	}
	writeXML(w, http.StatusOK, copyResult{XMLName: xml.Name{Local: "CopyPartResult"}, Xmlns: s3Namespace, ETag: part.ETag,
		LastModified: formatTime(part.LastModified), checksumXML: toChecksumXML(part.Checksum)})
	return nil
}
