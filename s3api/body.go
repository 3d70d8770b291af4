// Request bodies: plain, or aws-chunked as described in
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html

package s3api

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// maxPutSize is the largest object a single PUT may carry.
const maxPutSize = 5 << 30

// payload is a request body with its framing removed.
type payload struct {
	r       io.Reader
	chunked *chunkedReader
	size    int64 // declared decoded size, or -1 when unknown
	n       int64 // bytes read so far
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
// arrives, never used to allocate.
func openPayload(r *http.Request) (*payload, error) {
	if isChunked(r) {
		p := &payload{size: -1}
		if v := r.Header.Get("x-amz-decoded-content-length"); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 {
				return nil, errorf(ErrInvalidArgument, "x-amz-decoded-content-length is invalid")
			}
			p.size = n
		}
		p.chunked = newChunkedReader(r.Body)
		p.r = p.chunked
		return p, nil
	}
	if r.ContentLength < 0 {
		return nil, newError(ErrMissingContentLength)
	}
	return &payload{r: r.Body, size: r.ContentLength}, nil
}

// Read implements io.Reader, failing with IncompleteBody or EntityTooLarge
// when the body does not have the declared length.
func (p *payload) Read(b []byte) (int, error) {
	if p.size >= 0 && p.n > p.size {
		return 0, newError(ErrIncompleteBody)
	}
	n, err := p.r.Read(b)
	p.n += int64(n)
	switch {
	case p.size >= 0 && p.n > p.size:
		return n, errorf(ErrIncompleteBody, "The request body is longer than the declared length.")
	case err == io.EOF && p.size >= 0 && p.n < p.size:
		return n, newError(ErrIncompleteBody)
	case err == nil || err == io.EOF:
		return n, err
	case errors.Is(err, errIncompleteBody), errors.Is(err, io.ErrUnexpectedEOF):
		return n, newError(ErrIncompleteBody)
	case errors.Is(err, errMalformedChunk):
		return n, errorf(ErrInvalidRequest, "The aws-chunked body is malformed: %v", err)
	}
	var maxErr *http.MaxBytesError
	if errors.As(err, &maxErr) {
		return n, newError(ErrEntityTooLarge)
	}
	return n, err
}

// trailer returns a trailing header of an aws-chunked body, after EOF.
func (p *payload) trailer(name string) string {
	if p.chunked == nil {
		return ""
	}
	return p.chunked.Trailer(name)
}

// readSmallBody reads a request body that must be small, such as an XML
// document.
func readSmallBody(r *http.Request, limit int64) ([]byte, error) {
	p, err := openPayload(r)
	if err != nil {
		if r.ContentLength < 0 && !isChunked(r) {
			p = &payload{r: r.Body, size: -1}
		} else {
			return nil, err
		}
	}
	b, err := io.ReadAll(io.LimitReader(p, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, errorf(ErrMalformedXML, "The XML document is larger than %d bytes.", limit)
	}
	return b, nil
}
