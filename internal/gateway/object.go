// Object operations:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html,
// API_GetObject.html, API_HeadObject.html, API_DeleteObject.html,
// API_DeleteObjects.html

package gateway

import (
	"context"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/mocks3/mocks3/internal/faulttrace"
	"github.com/mocks3/mocks3/internal/s3err"
	"github.com/mocks3/mocks3/internal/s3op"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/objects"
	"github.com/mocks3/mocks3/s3api"
)

// maxUserMetadata is S3's limit on the size of user metadata.
const maxUserMetadata = 2 << 10

// parseWriteHeaders reads what a write's headers set on the new object:
// its content headers and user metadata, then its attributes.
func parseWriteHeaders(h http.Header) (backend.Headers, map[string]string, objectAttrs, error) {
	hd, meta, err := parseObjectHeaders(h)
	if err != nil {
		return hd, meta, objectAttrs{}, err
	}
	attrs, err := parseObjectAttrs(h)
	return hd, meta, attrs, err
}

// parseObjectHeaders reads the content headers and user metadata of a write.
func parseObjectHeaders(h http.Header) (backend.Headers, map[string]string, error) {
	hd := backend.Headers{
		ContentType:        h.Get("Content-Type"),
		ContentEncoding:    stripAWSChunked(h.Get("Content-Encoding")),
		ContentDisposition: h.Get("Content-Disposition"),
		ContentLanguage:    h.Get("Content-Language"),
		CacheControl:       h.Get("Cache-Control"),
		Expires:            h.Get("Expires"),
	}
	for _, v := range []string{hd.ContentType, hd.ContentEncoding, hd.ContentDisposition, hd.ContentLanguage, hd.CacheControl, hd.Expires} {
		if !utf8.ValidString(v) {
			return hd, nil, errorf(s3err.InvalidArgument, "Header values must be valid UTF-8.")
		}
	}
	if hd.ContentType == "" {
		hd.ContentType = defaultContentType
	}
	var meta map[string]string
	size := 0
	for k, vs := range h {
		name, ok := cutPrefixFold(k, "x-amz-meta-")
		if !ok {
			continue
		}
		if meta == nil {
			meta = make(map[string]string)
		}
		name = strings.ToLower(name)
		v := strings.Join(vs, ",")
		if !utf8.ValidString(v) || !utf8.ValidString(name) {
			return hd, nil, errorf(s3err.InvalidArgument, "User metadata must be valid UTF-8.")
		}
		meta[name] = v
		size += len(name) + len(v)
	}
	if size > maxUserMetadata {
		return hd, nil, newError(s3err.MetadataTooLarge, extra("Size", strconv.Itoa(size)), extra("MaxSizeAllowed", strconv.Itoa(maxUserMetadata)))
	}
	return hd, meta, nil
}

func validStorageClass(s string) bool {
	switch s {
	case "STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING",
		"GLACIER", "DEEP_ARCHIVE", "OUTPOSTS", "GLACIER_IR", "SNOW", "EXPRESS_ONEZONE":
		return true
	}
	return false
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) < len(prefix) || !strings.EqualFold(s[:len(prefix)], prefix) {
		return "", false
	}
	return s[len(prefix):], true
}

// stripAWSChunked removes the aws-chunked coding, which describes the
// transfer and is never stored.
func stripAWSChunked(v string) string {
	if !strings.Contains(v, "aws-chunked") {
		return v
	}
	var keep []string
	for _, c := range strings.Split(v, ",") {
		if c = strings.TrimSpace(c); c != "" && c != "aws-chunked" {
			keep = append(keep, c)
		}
	}
	return strings.Join(keep, ", ")
}

// stored is a body written to storage, with its digests.
type stored struct {
	blob     backend.BlobID
	size     int64
	md5      []byte
	checksum backend.Checksum // stored with the object or part
	sent     backend.Checksum // the one the request carried, verified
}

func (s stored) etag() string { return `"` + hex.EncodeToString(s.md5) + `"` }

// object is the record of a single-part object whose bytes are s.
func (s stored) object(key string, now time.Time, hd backend.Headers, meta map[string]string) backend.Object {
	w := objects.Written{Blob: s.blob, Size: s.size, MD5: s.md5, Checksum: s.checksum}
	return objects.SinglePart(key, w, now, hd, meta)
}

// defaultContentType is what S3 stores for an object written without one.
const defaultContentType = objects.DefaultContentType

// checksumAlgorithmOf returns the algorithm of the checksum a write
// carries, as a header or announced as a trailer, or "" if it carries none.
// x-amz-sdk-checksum-algorithm must name that same algorithm.
func checksumAlgorithmOf(r *http.Request) (checksumAlgorithm, error) {
	alg, _, err := requestChecksum(r.Header)
	if err != nil {
		return "", errorf(s3err.InvalidRequest, "%v", err)
	}
	if t := r.Header.Get("x-amz-trailer"); t != "" && alg == "" {
		name, ok := cutPrefixFold(strings.TrimSpace(t), "x-amz-checksum-")
		a, known := parseChecksumAlgorithm(name)
		if !ok || !known {
			return "", errorf(s3err.InvalidRequest, "The value specified in the x-amz-trailer header is not supported")
		}
		alg = a
	}
	if v := r.Header.Get("x-amz-sdk-checksum-algorithm"); v != "" {
		a, ok := parseChecksumAlgorithm(v)
		switch {
		case ok && alg == "":
			return "", errorf(s3err.InvalidRequest, "x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.")
		case !ok || a != alg:
			return "", errorf(s3err.InvalidRequest, "Value for x-amz-sdk-checksum-algorithm header is invalid.")
		}
	}
	return alg, nil
}

// storeBody streams a request body into storage, hashing it once, and
// checks it against Content-MD5 and the checksum the client sent, of
// algorithm sent ("" if none). The stored checksum is of algorithm keep.
// Nothing stays stored when it fails.
func (h *Handler) storeBody(ctx context.Context, r *http.Request, sent, keep checksumAlgorithm) (stored, error) {
	wantMD5, err := contentMD5(r.Header)
	if err != nil {
		return stored{}, err
	}
	p, err := openPayload(r)
	if err != nil {
		return stored{}, err
	}
	if p.size > h.maxPutSize {
		return stored{}, tooLarge(p.size, h.maxPutSize)
	}
	p.limit = h.maxPutSize
	s, err := h.writeHashed(ctx, p, p.size, sent, keep)
	if err != nil {
		return stored{}, s3Error(err, "", "")
	}
	if err := verifyBody(r, p, s, wantMD5); err != nil {
		h.store.DiscardBlob(ctx, s.blob)
		return stored{}, err
	}
	return s, nil
}

// writeHashed stores src (size bytes, -1 if unknown) as a new blob and
// hashes it on the way, once: MD5, the checksum kept with the object
// (keep) and the one whose value the client sent (sent, if any).
func (h *Handler) writeHashed(ctx context.Context, src io.Reader, size int64, sent, keep checksumAlgorithm) (stored, error) {
	hasher := newObjectHasher(sent, keep)
	id, n, err := h.store.WriteBlob(ctx, io.TeeReader(src, hasher), size)
	if err != nil {
		return stored{}, err
	}
	return stored{blob: id, size: n, md5: hasher.md5Sum(), checksum: hasher.fullObject(keep), sent: hasher.fullObject(sent)}, nil
}

func contentMD5(h http.Header) ([]byte, error) {
	v, ok := h["Content-Md5"]
	if !ok {
		return nil, nil
	}
	sum, err := base64.StdEncoding.DecodeString(strings.Join(v, ""))
	if err != nil || len(sum) != md5.Size {
		return nil, newError(s3err.InvalidDigest, extra("Content-MD5", strings.Join(v, "")))
	}
	return sum, nil
}

func verifyBody(r *http.Request, p *payload, s stored, wantMD5 []byte) error {
	if wantMD5 != nil && string(wantMD5) != string(s.md5) {
		return newError(s3err.BadDigest, extra("ExpectedDigest", hex.EncodeToString(wantMD5)),
			extra("CalculatedDigest", base64.StdEncoding.EncodeToString(s.md5)))
	}
	if s.sent.Algorithm == "" {
		return nil
	}
	alg := checksumAlgorithm(s.sent.Algorithm)
	want := r.Header.Get(alg.header())
	if want == "" {
		want = p.trailer(alg.header())
		if want == "" && r.Header.Get("x-amz-trailer") != "" {
			return errorf(s3err.InvalidRequest, "The request is missing the trailing %s checksum.", alg.header())
		}
	}
	if want != "" && want != s.sent.Value {
		return errorf(s3err.BadDigest, "The %s you specified did not match the calculated checksum.", alg)
	}
	return nil
}

func (h *Handler) putObject(w http.ResponseWriter, r *http.Request, req *request) error {
	ctx := r.Context()
	b, lock, err := h.writeBucket(ctx, r, req)
	if err != nil {
		return err
	}
	if err := checkLockIntegrity(r, lock); err != nil {
		return err
	}
	hd, meta, attrs, err := parseWriteHeaders(r.Header)
	if err != nil {
		return err
	}
	ex, err := h.writeExtras(ctx, r, req.bucket)
	if err != nil {
		return err
	}
	ex.attrs, ex.lock = attrs, lock
	cond, err := writeCondition(r)
	if err != nil {
		return err
	}
	alg, err := checksumAlgorithmOf(r)
	if err != nil {
		return err
	}
	keep := alg
	if keep == "" {
		keep = defaultChecksum
	}
	s, err := h.storeBody(ctx, r, alg, keep)
	if err != nil {
		return err
	}
	obj, err := h.commitNew(ctx, w, b, req, s, hd, meta, ex, cond)
	if err != nil {
		return err
	}
	setETag(w.Header(), obj.ETag)
	setChecksumHeaders(w.Header(), obj.Checksum)
	setExpiration(w.Header(), h.lifecycleOf(ctx, req.bucket), &obj)
	w.WriteHeader(http.StatusOK)
	return nil
}

func setChecksumHeaders(h http.Header, c backend.Checksum) {
	if c.Algorithm == "" {
		return
	}
	h[checksumAlgorithm(c.Algorithm).header()] = []string{c.Value}
	if c.Type != "" {
		h["x-amz-checksum-type"] = []string{c.Type}
	}
}

// getObject serves GetObject and HeadObject.
func (h *Handler) getObject(w http.ResponseWriter, r *http.Request, req *request) error {
	ctx := r.Context()
	q := r.URL.Query()
	versionID, err := versionParam(q)
	if err != nil {
		return err
	}
	partNumber := 0
	if v := q.Get("partNumber"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 10000 {
			return errorf(s3err.InvalidArgument, "Part number must be an integer between 1 and 10000, inclusive")
		}
		if r.Header.Get("Range") != "" {
			return errorf(s3err.InvalidRequest, "Cannot specify both Range header and partNumber query parameter")
		}
		partNumber = n
	}
	lc := h.lifecycleOf(ctx, req.bucket)
	if versionID != "" {
		if err := h.expireKey(ctx, lc, req.bucket, req.key, versionID); err != nil {
			return err
		}
	}
	obj, rd, err := h.readVersion(ctx, r.Method, req, versionID)
	if versionID == "" && err == nil {
		gone, xerr := h.expireRead(ctx, lc, req.bucket, req.key, &obj)
		if (xerr != nil || gone) && rd != nil {
			rd.Close()
		}
		if xerr != nil {
			return xerr
		}
		if gone {
			obj, rd, err = h.readVersion(faulttrace.Bypass(ctx), r.Method, req, "")
		}
	}
	if errors.Is(err, backend.ErrObjectNotFound) && h.store.HasOrigin() && partNumber == 0 && versionID == "" {
		if served, err := h.serveFromOrigin(w, r, req); served || err != nil {
			return err
		}
	}
	if err != nil {
		return versionError(err, req.bucket, req.key, versionID)
	}
	if rd != nil {
		defer rd.Close()
	}
	if obj.DeleteMarker {
		return deleteMarkerError(w, r, &obj, versionID != "")
	}
	if err := checkCustomerKey(r, "", &obj); err != nil {
		return err
	}
	hdr := w.Header()
	setVersionID(hdr, obj.VersionID, versionID != "")
	setSSEHeaders(hdr, obj.SSE)
	setETag(hdr, obj.ETag)
	hdr.Set("Last-Modified", obj.LastModified.UTC().Format(http.TimeFormat))
	setTaggingCount(hdr, obj)
	if versionID == "" {
		setExpiration(hdr, lc, &obj)
	}
	if err := checkReadConditions(r.Header, "", &obj); err != nil {
		return err
	}

	sp, err := servedSpan(r, hdr, &obj, partNumber)
	if err != nil {
		return err
	}
	writeObjectHeaders(hdr, &obj, q)
	writeObjectAttrs(hdr, &obj)
	writeLockHeaders(hdr, &obj)
	if strings.EqualFold(r.Header.Get("x-amz-checksum-mode"), "ENABLED") {
		setChecksumHeaders(hdr, sp.checksum)
	}
	hdr.Set("Content-Length", strconv.FormatInt(sp.length, 10))
	w.WriteHeader(sp.status)
	if rd == nil || sp.length == 0 {
		return nil
	}
	buf := copyBuffers.Get().(*[]byte)
	defer copyBuffers.Put(buf)
	_, err = io.CopyBuffer(writerOnly{w}, io.NewSectionReader(rd, sp.start, sp.length), *buf)
	return err
}

// span is the bytes of an object a GET serves, with the response's status
// and the checksum that still describes them (none for a range).
type span struct {
	start, length int64
	status        int
	checksum      backend.Checksum
}

// servedSpan chooses the span of obj a GET serves: a part (partNumber),
// the Range header's bytes or all of it; it sets Content-Range and
// x-amz-mp-parts-count in hdr.
func servedSpan(r *http.Request, hdr http.Header, obj *backend.Object, partNumber int) (span, error) {
	sp := span{length: obj.Size, status: http.StatusOK, checksum: obj.Checksum}
	switch {
	case partNumber > 0:
		if partNumber > len(obj.Parts) || (!obj.Multipart && partNumber > 1) {
			return sp, errorf(s3err.InvalidPartNumber, "The requested partnumber is not satisfiable")
		}
		for _, p := range obj.Parts[:partNumber-1] {
			sp.start += p.Size
		}
		part := obj.Parts[partNumber-1]
		sp.length = part.Size
		if obj.Multipart {
			hdr.Set("x-amz-mp-parts-count", strconv.Itoa(len(obj.Parts)))
			sp.checksum = backend.Checksum{}
			if obj.Checksum.Type == "COMPOSITE" {
				sp.checksum = part.Checksum
			}
		}
		sp.status = http.StatusPartialContent
		hdr.Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", sp.start, sp.start+sp.length-1, obj.Size))
		if sp.length == 0 {
			hdr.Del("Content-Range")
			sp.status = http.StatusOK
		}
	case r.Header.Get("Range") != "":
		rg, ok, err := parseRange(r.Header.Get("Range"), obj.Size)
		if err != nil {
			return sp, newError(s3err.InvalidRange, extra("RangeRequested", r.Header.Get("Range")), extra("ActualObjectSize", strconv.FormatInt(obj.Size, 10)))
		}
		if ok {
			sp.start, sp.length = rg.start, rg.length
			sp.status = http.StatusPartialContent
			hdr.Set("Content-Range", rg.contentRange(obj.Size))
			sp.checksum = backend.Checksum{}
		}
	}
	return sp, nil
}

// readVersion reads a version's record, and for a GET also opens its bytes.
func (h *Handler) readVersion(ctx context.Context, method string, req *request, versionID string) (backend.Object, *objects.Reader, error) {
	if method == http.MethodHead {
		obj, err := h.store.HeadVersion(ctx, req.bucket, req.key, versionID)
		return obj, nil, err
	}
	return h.store.OpenVersion(ctx, req.bucket, req.key, versionID)
}

// copyBuffers holds buffers for streaming bodies to writers that cannot
// read from a reader themselves.
var copyBuffers = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

// writeObjectHeaders sets the stored headers of obj, with GetObject's
// response-* query overrides.
func writeObjectHeaders(hdr http.Header, obj *backend.Object, q map[string][]string) {
	set := func(name, stored, override string) {
		v := stored
		if o, ok := q[override]; ok && len(o) > 0 {
			v = o[0]
		}
		if v != "" {
			hdr.Set(name, v)
		}
	}
	set("Content-Type", obj.Headers.ContentType, "response-content-type")
	set("Content-Encoding", obj.Headers.ContentEncoding, "response-content-encoding")
	set("Content-Disposition", obj.Headers.ContentDisposition, "response-content-disposition")
	set("Content-Language", obj.Headers.ContentLanguage, "response-content-language")
	set("Cache-Control", obj.Headers.CacheControl, "response-cache-control")
	set("Expires", obj.Headers.Expires, "response-expires")
	hdr.Set("Accept-Ranges", "bytes")
	for k, v := range obj.Metadata {
		hdr["x-amz-meta-"+k] = []string{v}
	}
}

func (h *Handler) deleteObject(w http.ResponseWriter, r *http.Request, req *request) error {
	ctx := r.Context()
	versionID, err := versionParam(r.URL.Query())
	if err != nil {
		return err
	}
	b, err := h.bucket(ctx, req.bucket)
	if err != nil {
		return err
	}
	d, err := h.deleteOne(r, b, req.key, versionID)
	if err != nil {
		return err
	}
	if d.VersionID != "" {
		w.Header()["x-amz-version-id"] = []string{d.VersionID}
	}
	if d.DeleteMarker {
		w.Header()["x-amz-delete-marker"] = []string{"true"}
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// deleteOne deletes one object or version of bucket b, as DeleteObject and
// each entry of DeleteObjects do.
func (h *Handler) deleteOne(r *http.Request, b backend.Bucket, key, versionID string) (objects.Deleted, error) {
	if err := h.checkDeletable(r.Context(), r, b, key, versionID); err != nil {
		return objects.Deleted{}, err
	}
	in := objects.DeleteInput{Key: key, VersionID: versionID, Versioning: b.Versioning}
	if versionID == "" {
		var err error
		if in.MarkerID, err = h.versionFor(r.Context(), b, key); err != nil {
			return objects.Deleted{}, err
		}
	}
	d, err := h.store.DeleteVersion(r.Context(), b.Name, in)
	return d, s3Error(err, b.Name, key)
}

type deleteRequest struct {
	XMLName xml.Name `xml:"Delete"`
	Quiet   bool
	Objects []struct {
		Key       string
		VersionID string `xml:"VersionId"`
	} `xml:"Object"`
}

func (d *deleteRequest) wellFormed() bool {
	return len(d.Objects) > 0 && len(d.Objects) <= maxDeleteKeys
}

type deleteResult struct {
	XMLName xml.Name      `xml:"DeleteResult"`
	Xmlns   string        `xml:"xmlns,attr"`
	Deleted []deletedXML  `xml:"Deleted"`
	Errors  []deleteError `xml:"Error"`
}

type deletedXML struct {
	Key                   string
	VersionID             string `xml:"VersionId,omitempty"`
	DeleteMarker          bool   `xml:",omitempty"`
	DeleteMarkerVersionID string `xml:"DeleteMarkerVersionId,omitempty"`
}

type deleteError struct {
	Key       string
	VersionID string `xml:"VersionId,omitempty"`
	Code      s3api.ErrorCode
	Message   string
}

// deletedEntry is the Deleted element for a deletion of key (versionID as
// requested) that did done: a version removed is named by VersionId, a
// delete marker created or removed by DeleteMarkerVersionId.
func deletedEntry(key, versionID string, done objects.Deleted) deletedXML {
	e := deletedXML{Key: key, VersionID: versionID, DeleteMarker: done.DeleteMarker}
	if done.DeleteMarker {
		e.DeleteMarkerVersionID = done.VersionID
	}
	return e
}

const maxDeleteKeys = 1000

func (h *Handler) deleteObjects(w http.ResponseWriter, r *http.Request, req *request) error {
	ctx := r.Context()
	var d deleteRequest
	if err := readXML(r, 2<<20, &d); err != nil {
		return err
	}
	b, err := h.bucket(ctx, req.bucket)
	if err != nil {
		return err
	}
	res := deleteResult{Xmlns: s3Namespace}
	for _, o := range d.Objects {
		var (
			done objects.Deleted
			err  error
		)
		switch {
		case o.Key == "":
			err = errorf(s3err.InvalidArgument, "Object key must not be empty")
		case len(o.Key) > 1024:
			err = newError(s3err.KeyTooLong)
		case o.VersionID != "" && !validVersionID(o.VersionID):
			err = errorf(s3err.InvalidArgument, "Invalid version id specified")
		case h.auth != nil:
			// Each key is an s3:DeleteObject (s3:DeleteObjectVersion) of
			// its own: a refused one is reported, the others deleted.
			del := subject{op: s3op.DeleteObject, bucket: req.bucket, key: o.Key, versionID: o.VersionID}
			if err = h.authorizeOn(ctx, r, req.user, del); err != nil {
				break
			}
			fallthrough
		default:
			done, err = h.deleteOne(r, b, o.Key, o.VersionID)
		}
		if err != nil {
			e, ok := err.(*s3err.Error)
			if !ok {
				e = newError(s3err.InternalError)
			}
			msg := e.Message
			if msg == "" {
				msg = e.Code.Message()
			}
			res.Errors = append(res.Errors, deleteError{Key: o.Key, VersionID: o.VersionID, Code: e.Code, Message: msg})
			continue
		}
		if !d.Quiet {
			res.Deleted = append(res.Deleted, deletedEntry(o.Key, o.VersionID, done))
		}
	}
	writeXML(w, http.StatusOK, res)
	return nil
}

// setETag spells the header as S3 does; http.Header.Set would send "Etag".
func setETag(h http.Header, etag string) { h["ETag"] = []string{etag} }

// commitNew stores the object whose bytes a PUT or copy just wrote as the
// key's next version, and sets the version and encryption headers. The
// blob is discarded if no version ID can be drawn; a failed Put discards
// it itself.
func (h *Handler) commitNew(ctx context.Context, w http.ResponseWriter, b backend.Bucket, req *request,
	s stored, hd backend.Headers, meta map[string]string, ex writeExtras, cond backend.Condition) (backend.Object, error) {
	obj := s.object(req.key, h.now(), hd, meta)
	ex.apply(&obj)
	var err error
	if obj.VersionID, err = h.versionFor(ctx, b, req.key); err != nil {
		h.store.DiscardBlob(ctx, s.blob)
		return obj, err
	}
	if _, err := h.store.Put(ctx, req.bucket, obj, cond); err != nil {
		return obj, s3Error(err, req.bucket, req.key)
	}
	setVersionID(w.Header(), obj.VersionID, b.Versioning != "")
	setSSEHeaders(w.Header(), obj.SSE)
	return obj, nil
}
