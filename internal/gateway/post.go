// Browser-form uploads, POST Object:
// https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html and
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingHTTPPOST.html.
// The form and its policy are package postpolicy's; this is the upload.

package gateway

import (
	"context"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/mocks3/mocks3/internal/s3err"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/bucketconfig"
	"github.com/mocks3/mocks3/internal/postpolicy"
)

// postResponse is the body of a 201 answer. S3 sends it without a
// namespace.
type postResponse struct {
	XMLName  xml.Name `xml:"PostResponse"`
	Location string
	Bucket   string
	Key      string
	ETag     string
}

func (h *Handler) postObject(w http.ResponseWriter, r *http.Request, req *request) error {
	ctx := r.Context()
	b, err := h.bucket(ctx, req.bucket)
	if err != nil {
		return err
	}
	form, err := postpolicy.ReadForm(r.Header.Get("Content-Type"), r.Body)
	if err != nil {
		return err
	}
	key, err := postKey(form)
	if err != nil {
		return err
	}
	req.key = key // for the request journal
	if h.auth != nil {
		if err := h.authenticatePost(r, form, req); err != nil {
			return err
		}
	}
	var policy *postpolicy.Policy
	if enc, ok := form.Get("policy"); ok && enc != "" {
		if policy, err = postpolicy.Parse(enc); err != nil {
			return err
		}
		if err := policy.Check(form, req.bucket, h.cfg.Now()); err != nil {
			return err
		}
	}
	hdr := formHeaders(form)
	hd, meta, attrs, err := parseWriteHeaders(hdr)
	if err != nil {
		return err
	}
	ex, err := h.postExtras(ctx, form, hdr, r.TLS != nil, req.bucket)
	if err != nil {
		return err
	}
	if ex.lock, err = h.lockForWrite(ctx, hdr, b); err != nil {
		return err
	}
	ex.attrs = attrs
	alg, sum, err := postChecksum(hdr)
	if err != nil {
		return err
	}
	s, err := h.storePostFile(ctx, form.File, policy, alg)
	if err != nil {
		return err
	}
	if sum != "" && sum != s.sent.Value {
		h.store.DiscardBlob(ctx, s.blob)
		return errorf(s3err.BadDigest, "The %s you specified did not match the calculated checksum.", alg)
	}
	obj, err := h.commitNew(ctx, w, b, req, s, hd, meta, ex, backend.Condition{})
	if err != nil {
		return err
	}
	writePostResponse(w, form, h.postLocation(r, req.bucket, key), req.bucket, key, obj)
	return nil
}

// postKey returns the form's key, which must come before the file.
func postKey(form *postpolicy.Form) (string, error) {
	key, ok := form.Get("key")
	switch {
	case !ok:
		return "", invalidArgument("Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.", "key", "")
	case key == "":
		return "", invalidArgument("User key must have a length greater than 0.", "key", "")
	case !utf8.ValidString(key):
		return "", errorf(s3err.InvalidURI, "Object keys must be valid UTF-8.")
	case len(key) > 1024:
		return "", newError(s3err.KeyTooLong, extra("Size", strconv.Itoa(len(key))), extra("MaxSizeAllowed", "1024"))
	}
	return key, nil
}

// formHeaders returns the fields that stand for PutObject's headers, as
// headers: content headers, metadata, storage class, website redirect and
// checksums. The
// first of a repeated field wins, as it does for the conditions.
func formHeaders(form *postpolicy.Form) http.Header {
	hdr := http.Header{}
	for _, f := range form.Fields {
		lower := strings.ToLower(f.Name)
		switch lower {
		case "content-type", "cache-control", "content-disposition", "content-encoding",
			"content-language", "expires", "x-amz-storage-class", "x-amz-website-redirect-location":
		default:
			if !strings.HasPrefix(lower, "x-amz-meta-") && !strings.HasPrefix(lower, "x-amz-checksum-") &&
				!strings.HasPrefix(lower, hdrSSE) {
				continue
			}
		}
		k := textproto.CanonicalMIMEHeaderKey(lower)
		if _, dup := hdr[k]; !dup {
			hdr[k] = []string{f.Value}
		}
	}
	return hdr
}

// postExtras reads the tags (a Tagging document in the tagging field), the
// ACL (the acl and x-amz-grant-* fields) and the encryption (in hdr, the
// form's headers) a form sets.
func (h *Handler) postExtras(ctx context.Context, form *postpolicy.Form, hdr http.Header, secure bool, bucket string) (writeExtras, error) {
	var ex writeExtras
	if doc, ok := form.Get("tagging"); ok {
		tags, err := bucketconfig.ParseObjectTagging([]byte(doc))
		if err != nil {
			return ex, err
		}
		if len(tags) > 0 {
			ex.tags = tags
		}
	}
	aclHeader := http.Header{}
	for _, f := range form.Fields {
		lower := strings.ToLower(f.Name)
		if lower == "acl" {
			lower = "x-amz-acl"
		}
		if k := textproto.CanonicalMIMEHeaderKey(lower); (lower == "x-amz-acl" || strings.HasPrefix(lower, "x-amz-grant-")) && aclHeader[k] == nil {
			aclHeader[k] = []string{f.Value}
		}
	}
	// The ACL fields read as PutObject's headers.
	acl, err := h.requestObjectACL(ctx, &http.Request{Header: aclHeader}, bucket)
	if err != nil {
		return ex, err
	}
	ex.acl = acl
	ex.sse, err = h.writeSSE(ctx, hdr, secure, bucket)
	return ex, err
}

// postChecksum returns the checksum algorithm of the upload and the value
// the form gives for it ("" if it only names the algorithm, in
// x-amz-checksum-algorithm).
func postChecksum(hdr http.Header) (checksumAlgorithm, string, error) {
	alg, value, err := requestChecksum(hdr)
	if err != nil {
		return "", "", errorf(s3err.InvalidRequest, "%v", err)
	}
	if name := hdr.Get("x-amz-checksum-algorithm"); name != "" {
		named, ok := parseChecksumAlgorithm(name)
		switch {
		case !ok:
			return "", "", errorf(s3err.InvalidRequest, "Checksum algorithm %s is not supported.", name)
		case alg != "" && named != alg:
			return "", "", errorf(s3err.InvalidRequest, "Value for x-amz-checksum-algorithm header is invalid.")
		}
		alg = named
	}
	return alg, value, nil
}

// errOverLimit stops the write of a file larger than it may be.
var errOverLimit = errors.New("gateway: file over its size limit")

// limitedFile reads a file part and fails once it has yielded more than
// limit bytes.
type limitedFile struct {
	r     io.Reader
	n     int64
	limit int64
}

func (f *limitedFile) Read(p []byte) (int, error) {
	if f.n > f.limit {
		return 0, errOverLimit
	}
	if rest := f.limit + 1 - f.n; int64(len(p)) > rest {
		p = p[:rest]
	}
	n, err := f.r.Read(p)
	f.n += int64(n)
	if f.n > f.limit {
		return n, errOverLimit
	}
	return n, err
}

// storePostFile streams the file into storage, hashing it once (with the
// checksum of algorithm alg the form sent, if any, and the one kept), and
// checks its size against the policy and S3's limit. Nothing stays stored
// when it fails.
func (h *Handler) storePostFile(ctx context.Context, file io.Reader, policy *postpolicy.Policy, alg checksumAlgorithm) (stored, error) {
	limit := h.maxPutSize
	if m := policy.MaxSize(); m >= 0 && m < limit {
		limit = m
	}
	lf := &limitedFile{r: file, limit: limit}
	keep := alg
	if keep == "" {
		keep = defaultChecksum
	}
	s, err := h.writeHashed(ctx, lf, -1, alg, keep)
	if errors.Is(err, errOverLimit) {
		// S3 reports the whole size: count what is left, up to its own
		// limit.
		rest, _ := io.Copy(io.Discard, io.LimitReader(file, h.maxPutSize))
		return stored{}, tooLarge(lf.n+rest, limit)
	}
	if err != nil {
		return stored{}, s3Error(err, "", "")
	}
	if err := policy.CheckSize(s.size); err != nil {
		h.store.DiscardBlob(ctx, s.blob)
		return stored{}, err
	}
	return s, nil
}

// postLocation is the URL of an object in the addressing style of r, the
// key escaped as S3 escapes it after a POST (a slash as %2F, unlike the
// Location of CompleteMultipartUpload).
func (h *Handler) postLocation(r *http.Request, bucket, key string) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if h.hostBucket(r) != "" {
		return scheme + "://" + r.Host + "/" + url.PathEscape(key)
	}
	return scheme + "://" + r.Host + "/" + bucket + "/" + url.PathEscape(key)
}

// writePostResponse answers a stored upload: a 303 to success_action_redirect
// (or the older redirect) when it is an http or https URL, else the
// success_action_status of the form, 200, 201 with a PostResponse, or 204.
func writePostResponse(w http.ResponseWriter, form *postpolicy.Form, location, bucket, key string, obj backend.Object) {
	hdr := w.Header()
	setETag(hdr, obj.ETag)
	setChecksumHeaders(hdr, obj.Checksum)
	redirect, ok := form.Get("success_action_redirect")
	if !ok {
		redirect, _ = form.Get("redirect")
	}
	if u, err := url.Parse(redirect); err == nil && u.Host != "" && (strings.EqualFold(u.Scheme, "http") || strings.EqualFold(u.Scheme, "https")) {
		sep := "?"
		if strings.Contains(redirect, "?") {
			sep = "&"
		}
		q := "bucket=" + url.QueryEscape(bucket) + "&key=" + url.QueryEscape(key) + "&etag=" + url.QueryEscape(obj.ETag)
		hdr["Location"] = []string{redirect + sep + q}
		w.WriteHeader(http.StatusSeeOther)
		return
	}
	hdr["Location"] = []string{location}
	status, _ := form.Get("success_action_status")
	switch status {
	case "200":
		w.WriteHeader(http.StatusOK)
	case "201":
		writeXML(w, http.StatusCreated, postResponse{Location: location, Bucket: bucket, Key: key, ETag: obj.ETag})
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}

// authenticatePost verifies the signature of a form, if it has one, and
// that its signer (or an anonymous caller) may write to the bucket.
func (h *Handler) authenticatePost(r *http.Request, form *postpolicy.Form, req *request) error {
	accessKey, err := h.auth.verifier.VerifyPOST(form.Get)
	if err != nil {
		return err
	}
	// An unsigned form is anonymous: the bucket's policy or ACL may let
	// it write.
	req.user = h.auth.byKey[accessKey]
	if accessKey != "" {
		version := "AWS"
		if _, v4 := form.Get("X-Amz-Algorithm"); v4 {
			version = "AWS4-HMAC-SHA256"
		}
		r = withPostSignature(r, version)
	}
	return h.authorize(r.Context(), r, req)
}
