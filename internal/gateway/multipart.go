// Multipart uploads:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html,
// API_UploadPart.html, API_CompleteMultipartUpload.html,
// API_AbortMultipartUpload.html, API_ListParts.html,
// API_ListMultipartUploads.html; checksums from
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html

package gateway

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/mocks3/mocks3/internal/objects"
	"github.com/mocks3/mocks3/internal/s3err"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/etag"
)

const maxParts = 10000

type initiateResult struct {
	XMLName  xml.Name `xml:"InitiateMultipartUploadResult"`
	Xmlns    string   `xml:"xmlns,attr"`
	Bucket   string
	Key      string
	UploadID string `xml:"UploadId"`
}

func (h *Handler) createMultipartUpload(w http.ResponseWriter, r *http.Request, req *request) error {
	ctx := r.Context()
	_, lock, err := h.writeBucket(ctx, r, req)
	if err != nil {
		return err
	}
	hd, meta, attrs, err := parseWriteHeaders(r.Header)
	if err != nil {
		return err
	}
	alg, err := requestedAlgorithm(r.Header.Get("x-amz-checksum-algorithm"), "")
	if err != nil {
		return err
	}
	ctype := strings.ToUpper(r.Header.Get("x-amz-checksum-type"))
	switch {
	case alg == "" && ctype != "":
		return errorf(s3err.InvalidRequest, "The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.")
	case alg == "":
	case ctype == "":
		ctype = alg.defaultType()
	case ctype != checksumFullObject && ctype != checksumComposite:
		return errorf(s3err.InvalidRequest, "Value for x-amz-checksum-type header is invalid.")
	case !alg.allowsType(ctype):
		return errorf(s3err.InvalidRequest, "The %s checksum type cannot be used with the %s checksum algorithm.", ctype, alg)
	}
	ex, err := h.writeExtras(ctx, r, req.bucket)
	if err != nil {
		return err
	}
	up := backend.Upload{
		Bucket: req.bucket, Key: req.key, Initiated: h.now(),
		Headers: hd, Metadata: meta, ChecksumAlgorithm: string(alg), ChecksumType: ctype,
		StorageClass: attrs.storageClass, WebsiteRedirect: attrs.redirect,
		Tags: ex.tags, ACL: ex.acl,
		Retention: lock.retention, LegalHold: lock.legalHold, SSE: ex.sse,
	}
	// A directory reopened with WithSeed sees the same IDs again: draw on.
	for attempt := 1; ; attempt++ {
		up.ID = h.randomID(24, false)
		err = h.store.Records().CreateUpload(ctx, up)
		if errors.Is(err, backend.ErrUploadExists) && attempt < 100 {
			continue
		}
		if err != nil {
			return s3Error(err, req.bucket, req.key)
		}
		break
	}
	setSSEHeaders(w.Header(), up.SSE)
	if alg != "" {
		w.Header()["x-amz-checksum-algorithm"] = []string{string(alg)}
		w.Header()["x-amz-checksum-type"] = []string{ctype}
	}
	setAbortDate(w.Header(), h.lifecycleOf(ctx, req.bucket), &up)
	writeXML(w, http.StatusOK, initiateResult{Xmlns: s3Namespace, Bucket: req.bucket, Key: req.key, UploadID: up.ID})
	return nil
}

// partTarget checks the upload and part number of UploadPart(Copy) before
// any body is read.
func (h *Handler) partTarget(r *http.Request, req *request) (backend.Upload, int, error) {
	q := r.URL.Query()
	n, err := strconv.Atoi(q.Get("partNumber"))
	if err != nil || n < 1 || n > maxParts {
		return backend.Upload{}, 0, errorf(s3err.InvalidArgument, "Part number must be an integer between 1 and 10000, inclusive")
	}
	up, err := h.store.Records().GetUpload(r.Context(), req.bucket, req.key, q.Get("uploadId"))
	if err != nil {
		return backend.Upload{}, 0, s3Error(err, req.bucket, req.key)
	}
	return up, n, nil
}

// savePart records a stored part, reclaiming the part it replaces.
func (h *Handler) savePart(ctx context.Context, req *request, number int, s stored) (backend.Part, error) {
	part := backend.Part{Number: number, Size: s.size, ETag: s.etag(), Checksum: s.checksum, LastModified: h.now(), Blob: s.blob}
	if part.Checksum.Type != "" {
		part.Checksum.Type = ""
	}
	if err := h.store.PutPart(ctx, req.bucket, req.key, req.uploadID, part); err != nil {
		return backend.Part{}, s3Error(err, req.bucket, req.key)
	}
	return part, nil
}

func (h *Handler) uploadPart(w http.ResponseWriter, r *http.Request, req *request) error {
	up, number, err := h.partTarget(r, req)
	if err != nil {
		return err
	}
	if err := checkPartKey(r, up); err != nil {
		return err
	}
	alg, err := checksumAlgorithmOf(r)
	if err != nil {
		return err
	}
	// A part of an upload without an algorithm keeps the default checksum,
	// which Complete combines into the object's.
	upAlg, keep := checksumAlgorithm(up.ChecksumAlgorithm), checksumAlgorithm(up.ChecksumAlgorithm)
	switch {
	case upAlg == "":
		keep = defaultChecksum
	case alg == "" && up.ChecksumType == checksumFullObject:
		// The parts of a FULL_OBJECT upload need not carry checksums.
	case alg != upAlg:
		actual := "null"
		if alg != "" {
			actual = strings.ToLower(string(alg))
		}
		return errorf(s3err.InvalidRequest, "Checksum Type mismatch occurred, expected checksum Type: %s, actual checksum Type: %s",
			strings.ToLower(up.ChecksumAlgorithm), actual)
	}
	s, err := h.storeBody(r.Context(), r, alg, keep)
	if err != nil {
		return err
	}
	part, err := h.savePart(r.Context(), req, number, s)
	if err != nil {
		return err
	}
	setETag(w.Header(), part.ETag)
	setSSEHeaders(w.Header(), up.SSE)
	echo := s.sent
	if echo.Algorithm == "" && upAlg != "" {
		echo = part.Checksum
	}
	if echo.Algorithm != "" {
		w.Header()[checksumAlgorithm(echo.Algorithm).header()] = []string{echo.Value}
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

type completeRequest struct {
	XMLName xml.Name `xml:"CompleteMultipartUpload"`
	Parts   []struct {
		PartNumber int
		ETag       string
		checksumXML
	} `xml:"Part"`
}

func (c *completeRequest) wellFormed() bool { return len(c.Parts) > 0 && len(c.Parts) <= maxParts }

type completeResult struct {
	XMLName  xml.Name `xml:"CompleteMultipartUploadResult"`
	Xmlns    string   `xml:"xmlns,attr"`
	Location string
	Bucket   string
	Key      string
	ETag     string
	checksumXML
	ChecksumType string `xml:",omitempty"`
}

func (h *Handler) completeMultipartUpload(w http.ResponseWriter, r *http.Request, req *request) error {
	ctx := r.Context()
	uploadID := r.URL.Query().Get("uploadId")
	cond, err := writeCondition(r)
	if err != nil {
		return err
	}
	// Not readXML: Complete's checksum header is the whole object's.
	body, err := readUncheckedBody(r, 4<<20)
	if err != nil {
		return err
	}
	var cr completeRequest
	if err := decodeXML(body, &cr); err != nil {
		return err
	}
	b, err := h.bucket(ctx, req.bucket)
	if err != nil {
		return err
	}
	versionID, err := h.versionFor(ctx, b, req.key)
	if err != nil {
		return err
	}
	// Once the commit starts it finishes, whether or not the client waits.
	commitCtx, cancel := h.detach(ctx)
	defer cancel()
	var obj backend.Object
	for attempt := 1; ; attempt++ {
		up, err := h.store.Records().GetUpload(ctx, req.bucket, req.key, uploadID)
		if errors.Is(err, backend.ErrUploadNotFound) {
			// A client whose Complete response was lost retries it.
			if done, ok := h.completedBefore(ctx, req, uploadID, cr); ok {
				obj = done
				break
			}
		}
		if err != nil {
			return s3Error(err, req.bucket, req.key)
		}
		if obj, err = h.assemble(up, cr); err != nil {
			return err
		}
		if err := checkCompleteChecksum(r.Header, up, obj.Checksum); err != nil {
			return err
		}
		obj.VersionID = versionID
		// A part uploaded again since GetUpload makes the commit fail
		// with ErrUploadChanged; assembling anew checks its ETag.
		err = h.store.Complete(commitCtx, req.bucket, uploadID, obj, cond)
		if errors.Is(err, backend.ErrUploadChanged) && attempt < 3 {
			continue
		}
		if err != nil {
			return s3Error(err, req.bucket, req.key)
		}
		break
	}
	setVersionID(w.Header(), obj.VersionID, b.Versioning != "")
	setSSEHeaders(w.Header(), obj.SSE)
	res := completeResult{Xmlns: s3Namespace, Location: h.objectURL(r, req.bucket, req.key), Bucket: req.bucket,
		Key: req.key, ETag: obj.ETag, checksumXML: toChecksumXML(obj.Checksum), ChecksumType: obj.Checksum.Type}
	writeXML(w, http.StatusOK, res)
	return nil
}

// checkCompleteChecksum checks the checksum type and the object checksum a
// CompleteMultipartUpload may assert in its headers against the upload's
// and the one computed from the parts.
func checkCompleteChecksum(hd http.Header, up backend.Upload, sum backend.Checksum) error {
	if t := hd.Get("x-amz-checksum-type"); t != "" {
		want := up.ChecksumType
		if want == "" {
			want = checksumFullObject // the default checksum's
		}
		if !strings.EqualFold(t, want) {
			return errorf(s3err.InvalidRequest, "The upload was created using the %s checksum mode. The complete request must use the same checksum mode.", want)
		}
	}
	if sum.Algorithm == "" {
		return nil
	}
	alg := checksumAlgorithm(sum.Algorithm)
	got := hd.Get(alg.header())
	if got == "" {
		return nil
	}
	// A composite value may come with or without its "-N".
	trim := func(v string) string {
		if i := strings.IndexByte(v, '-'); i >= 0 {
			return v[:i]
		}
		return v
	}
	if trim(got) != trim(sum.Value) {
		return errorf(s3err.BadDigest, "The %s you specified did not match the calculated checksum.", alg)
	}
	return nil
}

// completedBefore returns the object that upload id became, if a Complete
// with the same parts made it and it is still the key's current object.
func (h *Handler) completedBefore(ctx context.Context, req *request, id string, cr completeRequest) (backend.Object, bool) {
	cur, err := h.store.Head(ctx, req.bucket, req.key)
	if err != nil || cur.UploadID != id || len(cur.Parts) != len(cr.Parts) {
		return backend.Object{}, false
	}
	for i, p := range cr.Parts {
		if p.PartNumber != cur.Parts[i].Number || !etag.Matches(p.ETag, cur.Parts[i].ETag) {
			return backend.Object{}, false
		}
	}
	return cur, true
}

// objectURL is the absolute URL of an object, in the addressing style of r.
func (h *Handler) objectURL(r *http.Request, bucket, key string) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	u := url.URL{Scheme: scheme, Host: r.Host, Path: "/" + bucket + "/" + key}
	if h.hostBucket(r) != "" {
		u.Path = "/" + key
	}
	return u.String()
}

// assemble checks a completion request against the uploaded parts and builds
// the object record: ETag md5-of-part-md5s-N, and the upload's checksum.
func (h *Handler) assemble(up backend.Upload, cr completeRequest) (backend.Object, error) {
	byNumber := make(map[int]backend.Part, len(up.Parts))
	for _, p := range up.Parts {
		byNumber[p.Number] = p
	}
	alg, ctype := checksumAlgorithm(up.ChecksumAlgorithm), up.ChecksumType
	// An upload without an algorithm gets the default checksum, combined
	// from its parts' when they all have one.
	implicit := alg == ""
	if implicit {
		alg, ctype = defaultChecksum, checksumFullObject
	}
	digests := md5.New()
	obj := backend.Object{Key: up.Key, LastModified: h.now(), Headers: up.Headers, Metadata: up.Metadata, Multipart: true, UploadID: up.ID,
		StorageClass: up.StorageClass, WebsiteRedirect: up.WebsiteRedirect, Tags: up.Tags, ACL: up.ACL, SSE: up.SSE,
		Retention: up.Retention, LegalHold: up.LegalHold}
	var sums []string
	var crcParts []crcPart
	for i, cp := range cr.Parts {
		if i > 0 && cp.PartNumber <= cr.Parts[i-1].PartNumber {
			return obj, newError(s3err.InvalidPartOrder)
		}
		p, ok := byNumber[cp.PartNumber]
		if !ok || !etag.Matches(cp.ETag, p.ETag) {
			return obj, newError(s3err.InvalidPart, extra("PartNumber", strconv.Itoa(cp.PartNumber)), extra("ETag", cp.ETag))
		}
		if !implicit {
			want := cp.get(alg)
			if want != "" && want != p.Checksum.Value {
				return obj, errorf(s3err.InvalidPart, "The %s you specified for part %d did not match what was uploaded.", alg.header(), cp.PartNumber)
			}
			if want == "" && ctype == checksumComposite {
				return obj, errorf(s3err.InvalidRequest, "The upload was created using a %s checksum. The complete request must include the checksum for each part. It was missing for part %d in the request.",
					strings.ToLower(string(alg)), cp.PartNumber)
			}
		}
		switch {
		case p.Checksum.Value != "" && p.Checksum.Algorithm == string(alg):
			sums = append(sums, p.Checksum.Value)
			crcParts = append(crcParts, crcPart{sum: p.Checksum.Value, size: p.Size})
		case implicit:
			alg = "" // a part stored before parts had a default checksum
		default:
			return obj, errorf(s3err.InvalidRequest, "Part %d has no %s checksum.", cp.PartNumber, alg)
		}
		raw, err := hex.DecodeString(strings.Trim(p.ETag, `"`))
		if err != nil {
			return obj, fmt.Errorf("part %d has a malformed ETag %q", p.Number, p.ETag)
		}
		digests.Write(raw)
		obj.Parts = append(obj.Parts, p)
		obj.Size += p.Size
	}
	for i, p := range obj.Parts[:len(obj.Parts)-1] {
		if p.Size < h.cfg.MinPartSize {
			return obj, newError(s3err.EntityTooSmall, extra("ProposedSize", strconv.FormatInt(p.Size, 10)),
				extra("MinSizeAllowed", strconv.FormatInt(h.cfg.MinPartSize, 10)),
				extra("PartNumber", strconv.Itoa(cr.Parts[i].PartNumber)))
		}
	}
	obj.ETag = fmt.Sprintf(`"%s-%d"`, hex.EncodeToString(digests.Sum(nil)), len(obj.Parts))
	if alg != "" {
		var (
			v   string
			err error
		)
		if ctype == checksumFullObject {
			v, err = combineFullObjectCRC(alg, crcParts)
		} else {
			v, err = compositeChecksum(alg, sums)
		}
		if err != nil {
			return obj, errorf(s3err.InvalidRequest, "%v", err)
		}
		obj.Checksum = backend.Checksum{Algorithm: string(alg), Value: v, Type: ctype}
	}
	return obj, nil
}

func (h *Handler) abortMultipartUpload(w http.ResponseWriter, r *http.Request, req *request) error {
	ctx := r.Context()
	if err := h.store.Abort(ctx, req.bucket, req.key, r.URL.Query().Get("uploadId")); err != nil {
		return s3Error(err, req.bucket, req.key)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type partXML struct {
	PartNumber   int
	LastModified string
	ETag         string
	Size         int64
	checksumXML
}

type listPartsResult struct {
	XMLName              xml.Name `xml:"ListPartsResult"`
	Xmlns                string   `xml:"xmlns,attr"`
	Bucket               string
	Key                  string
	UploadID             string `xml:"UploadId"`
	Initiator            owner
	Owner                owner
	StorageClass         string
	PartNumberMarker     int
	NextPartNumberMarker int
	MaxParts             int
	IsTruncated          bool
	ChecksumAlgorithm    string    `xml:",omitempty"`
	ChecksumType         string    `xml:",omitempty"`
	Parts                []partXML `xml:"Part"`
}

func (h *Handler) listParts(w http.ResponseWriter, r *http.Request, req *request) error {
	q := r.URL.Query()
	maxP, err := parseMaxKeys(q, "max-parts")
	if err != nil {
		return err
	}
	marker := 0
	if v := q.Get("part-number-marker"); v != "" {
		if marker, err = strconv.Atoi(v); err != nil || marker < 0 {
			return errorf(s3err.InvalidArgument, "Provided part-number-marker not an integer or within integer range")
		}
	}
	up, err := h.store.Records().GetUpload(r.Context(), req.bucket, req.key, q.Get("uploadId"))
	if err != nil {
		return s3Error(err, req.bucket, req.key)
	}
	o, err := h.bucketOwner(r.Context(), req.bucket)
	if err != nil {
		return err
	}
	res := listPartsResult{Xmlns: s3Namespace, Bucket: req.bucket, Key: req.key, UploadID: up.ID,
		Initiator: o, Owner: o, StorageClass: storageClassOf(up.StorageClass), PartNumberMarker: marker,
		MaxParts: maxP, ChecksumAlgorithm: up.ChecksumAlgorithm, ChecksumType: up.ChecksumType}
	for _, p := range up.Parts {
		if p.Number <= marker {
			continue
		}
		if len(res.Parts) == maxP {
			res.IsTruncated = true
			break
		}
		res.Parts = append(res.Parts, partXML{PartNumber: p.Number, LastModified: formatTime(p.LastModified),
			ETag: p.ETag, Size: p.Size, checksumXML: toChecksumXML(p.Checksum)})
		res.NextPartNumberMarker = p.Number
	}
	writeXML(w, http.StatusOK, res)
	return nil
}

type uploadXML struct {
	Key               string
	UploadID          string `xml:"UploadId"`
	Initiator         owner
	Owner             owner
	StorageClass      string
	Initiated         string
	ChecksumAlgorithm string `xml:",omitempty"`
	ChecksumType      string `xml:",omitempty"`
}

type listUploadsResult struct {
	XMLName            xml.Name `xml:"ListMultipartUploadsResult"`
	Xmlns              string   `xml:"xmlns,attr"`
	Bucket             string
	KeyMarker          string
	UploadIDMarker     string `xml:"UploadIdMarker"`
	NextKeyMarker      string
	NextUploadIDMarker string `xml:"NextUploadIdMarker"`
	Delimiter          string `xml:",omitempty"`
	Prefix             string
	EncodingType       string `xml:",omitempty"`
	MaxUploads         int
	IsTruncated        bool
	Uploads            []uploadXML    `xml:"Upload"`
	CommonPrefixes     []commonPrefix `xml:"CommonPrefixes"`
}

func (h *Handler) listMultipartUploads(w http.ResponseWriter, r *http.Request, req *request) error {
	q := r.URL.Query()
	in, enc, err := listParams(q)
	if err != nil {
		return err
	}
	if in.Max, err = parseMaxKeys(q, "max-uploads"); err != nil {
		return err
	}
	keyMarker, idMarker := q.Get("key-marker"), q.Get("upload-id-marker")
	uploads, err := h.store.Records().ListUploads(r.Context(), req.bucket)
	if err != nil {
		return s3Error(err, req.bucket, "")
	}
	o, err := h.bucketOwner(r.Context(), req.bucket)
	if err != nil {
		return err
	}
	res := listUploadsResult{Xmlns: s3Namespace, Bucket: req.bucket, KeyMarker: encodeKey(enc, keyMarker),
		UploadIDMarker: idMarker, Prefix: encodeKey(enc, in.Prefix), Delimiter: encodeKey(enc, in.Delimiter), MaxUploads: in.Max}
	if enc {
		res.EncodingType = "url"
	}
	full := func() bool { return len(res.Uploads)+len(res.CommonPrefixes) >= in.Max }
	for _, u := range uploads {
		if !strings.HasPrefix(u.Key, in.Prefix) {
			continue
		}
		if keyMarker != "" && (u.Key < keyMarker || (u.Key == keyMarker && (idMarker == "" || u.ID <= idMarker))) {
			continue
		}
		if cp, ok := objects.CommonPrefix(u.Key, in.Prefix, in.Delimiter); ok {
			if slices.ContainsFunc(res.CommonPrefixes, func(c commonPrefix) bool { return c.Prefix == encodeKey(enc, cp) }) {
				continue
			}
			if full() {
				res.IsTruncated = true
				break
			}
			res.CommonPrefixes = append(res.CommonPrefixes, commonPrefix{encodeKey(enc, cp)})
			continue
		}
		if full() {
			res.IsTruncated = true
			break
		}
		res.Uploads = append(res.Uploads, uploadXML{Key: encodeKey(enc, u.Key), UploadID: u.ID, Initiator: o,
			Owner: o, StorageClass: storageClassOf(u.StorageClass), Initiated: formatTime(u.Initiated),
			ChecksumAlgorithm: u.ChecksumAlgorithm, ChecksumType: u.ChecksumType})
		res.NextKeyMarker, res.NextUploadIDMarker = encodeKey(enc, u.Key), u.ID
	}
	writeXML(w, http.StatusOK, res)
	return nil
}
