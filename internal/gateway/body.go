// Request bodies: plain, or aws-chunked as described in
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html

package gateway

import (
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/mocks3/mocks3/internal/s3err"
)

// maxPutSize is the largest object a single PUT or part may carry.
const maxPutSize = 5 << 30

// payload is a request body with its framing removed.
type payload struct {
	r       io.Reader
	chunked *chunkedReader
	size    int64 // declared decoded size, or -1 when unknown
	n       int64 // bytes read so far
	// limit, if positive, is the most bytes the body may carry, whatever
	// its headers say: beyond it Read fails with EntityTooLarge.
	limit int64
}

func isChunked(r *http.Request) bool {
	if strings.HasPrefix(r.Header.Get("x-amz-content-sha256"), "STREAMING-") {
		return true
	}
	for _, v := range strings.Split(r.Header.Get("Content-Encoding"), ",") {
		if strings.TrimSpace(v) == "aws-chunked" {
			return true
		}
	}
	return false
}

// openPayload returns r's body ready to read. Sizes come from
// x-amz-decoded-content-length or Content-Length and are checked against what
// arrives, never used to allocate. An aws-chunked body must declare its
// decoded size, as S3 requires: without it (or with a value that is not a
// size) the answer is 411 MissingContentLength.
func openPayload(r *http.Request) (*payload, error) {
	if isChunked(r) {
		n, err := strconv.ParseInt(r.Header.Get("x-amz-decoded-content-length"), 10, 64)
		if err != nil || n < 0 {
			return nil, newError(s3err.MissingContentLength)
		}
		p := &payload{size: n}
		p.chunked = newChunkedReader(r.Body)
		p.chunked.verify = chunkVerifierFrom(r.Context())
		p.r = p.chunked
		return p, nil
	}
	if r.ContentLength < 0 {
		return nil, newError(s3err.MissingContentLength)
	}
	return &payload{r: r.Body, size: r.ContentLength}, nil
}

// tooLarge is the EntityTooLarge error for a body of size bytes (-1 if
// unknown) over limit.
func tooLarge(size, limit int64) *s3err.Error {
	if size < 0 {
		return newError(s3err.EntityTooLarge, extra("MaxSizeAllowed", strconv.FormatInt(limit, 10)))
	}
	return newError(s3err.EntityTooLarge, extra("ProposedSize", strconv.FormatInt(size, 10)), extra("MaxSizeAllowed", strconv.FormatInt(limit, 10)))
}

// Read implements io.Reader, failing with IncompleteBody or EntityTooLarge
// when the body does not have the declared length or exceeds the limit,
// and with an S3 error for every other failure to read the body: a body
// that cannot be read is the client's fault, never an internal error.
func (p *payload) Read(b []byte) (int, error) {
	if p.limit > 0 && p.n > p.limit {
		return 0, tooLarge(-1, p.limit)
	}
	if p.size >= 0 && p.n > p.size {
		return 0, newError(s3err.IncompleteBody)
	}
	n, err := p.r.Read(b)
	p.n += int64(n)
	switch {
	case p.limit > 0 && p.n > p.limit:
		return n, tooLarge(-1, p.limit)
	case p.size >= 0 && p.n > p.size:
		return n, errorf(s3err.IncompleteBody, "The request body is longer than the declared length.")
	case err == io.EOF && p.size >= 0 && p.n < p.size:
		return n, newError(s3err.IncompleteBody)
	case err == nil || err == io.EOF:
		return n, err
	case errors.Is(err, errIncompleteBody), errors.Is(err, io.ErrUnexpectedEOF):
		return n, newError(s3err.IncompleteBody)
	case errors.Is(err, errMalformedChunk):
		return n, errorf(s3err.InvalidRequest, "The aws-chunked body is malformed: %v", err)
	}
	var maxErr *http.MaxBytesError
	var s3Err *s3err.Error
	switch {
	case errors.As(err, &maxErr):
		return n, tooLarge(-1, maxErr.Limit)
	case errors.As(err, &s3Err):
		return n, err
	}
	// What is left are errors of the HTTP framing (a malformed
	// Transfer-Encoding: chunked body) or of the connection.
	return n, errorf(s3err.InvalidRequest, "The request body could not be read: %v", err)
}

// trailer returns a trailing header of an aws-chunked body, after EOF.
func (p *payload) trailer(name string) string {
	if p.chunked == nil {
		return ""
	}
	return p.chunked.Trailer(name)
}

// readSmallBody reads a request body that must be small, such as an XML
// document, and checks it against the Content-MD5 or x-amz-checksum-*
// header it came with: S3 answers BadDigest rather than apply a document
// damaged in transit.
func readSmallBody(r *http.Request, limit int64) ([]byte, error) {
	b, p, err := readDocument(r, limit)
	if err != nil {
		return nil, err
	}
	wantMD5, err := contentMD5(r.Header)
	if err != nil {
		return nil, err
	}
	alg, _, err := requestChecksum(r.Header)
	if err != nil {
		return nil, errorf(s3err.InvalidRequest, "%v", err)
	}
	h := newObjectHasher(alg)
	h.Write(b)
	if err := verifyBody(r, p, stored{md5: h.md5Sum(), sent: h.fullObject(alg)}, wantMD5); err != nil {
		return nil, err
	}
	return b, nil
}

// readUncheckedBody is readSmallBody without the digest checks, for
// CompleteMultipartUpload, whose checksum header is the whole object's.
func readUncheckedBody(r *http.Request, limit int64) ([]byte, error) {
	b, _, err := readDocument(r, limit)
	return b, err
}

// readDocument reads a body of at most limit bytes and returns it with the
// payload it came through (for its trailers).
func readDocument(r *http.Request, limit int64) ([]byte, *payload, error) {
	p, err := openPayload(r)
	if err != nil {
		if r.ContentLength < 0 && !isChunked(r) {
			p = &payload{r: r.Body, size: -1}
		} else {
			return nil, nil, err
		}
	}
	if p.size > limit {
		return nil, nil, errorf(s3err.MalformedXML, "The XML document is larger than %d bytes.", limit)
	}
	b, err := io.ReadAll(io.LimitReader(p, limit+1))
	var e *s3err.Error
	if errors.As(err, &e) && e.Code == s3err.InvalidRequest {
		// A body too malformed to read holds no well-formed document.
		return nil, nil, newError(s3err.MalformedXML)
	}
	if err != nil {
		return nil, nil, err
	}
	if int64(len(b)) > limit {
		return nil, nil, errorf(s3err.MalformedXML, "The XML document is larger than %d bytes.", limit)
	}
	return b, p, nil
}

// readXML reads a small XML request body into v; a body that does not
// decode is MalformedXML.
func readXML(r *http.Request, limit int64, v any) error {
	body, err := readSmallBody(r, limit)
	if err != nil {
		return err
	}
	return decodeXML(body, v)
}

// wellFormed is implemented by request documents with rules beyond their
// XML shape (a bounded list, an enumerated value): a document that breaks
// them is MalformedXML too.
type wellFormed interface{ wellFormed() bool }

func decodeXML(body []byte, v any) error {
	if err := xml.Unmarshal(body, v); err != nil {
		return newError(s3err.MalformedXML)
	}
	if wf, ok := v.(wellFormed); ok && !wf.wellFormed() {
		return newError(s3err.MalformedXML)
	}
	return nil
}
