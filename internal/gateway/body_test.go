package gateway

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/mocks3/mocks3/internal/s3err"
)

// awsChunkedHeader returns the headers of an unsigned aws-chunked PUT,
// with x-amz-decoded-content-length set to decoded unless it is "-".
func awsChunkedHeader(decoded string) http.Header {
	h := http.Header{
		"Content-Encoding":     {"aws-chunked"},
		"X-Amz-Content-Sha256": {"STREAMING-UNSIGNED-PAYLOAD-TRAILER"},
	}
	if decoded != "-" {
		h.Set("X-Amz-Decoded-Content-Length", decoded)
	}
	return h
}

// errorCode returns the S3 error code of a response body, or "".
func errorCode(t *testing.T, w *httptest.ResponseRecorder) string {
	t.Helper()
	var e struct{ Code string }
	if err := xml.Unmarshal(w.Body.Bytes(), &e); err != nil {
		t.Fatalf("response %d %q is not an S3 error: %v", w.Code, w.Body, err)
	}
	return e.Code
}

// bodyCase is a PUT body with the lengths it claims; the handler must
// judge by what arrives, not by the claims.
type bodyCase struct {
	name          string
	header        http.Header
	contentLength int64 // -1: unknown
	body          io.Reader
	wantStatus    int
	wantCode      string
}

func runBodyCases(t *testing.T, h *Handler, tests []bodyCase) {
	t.Helper()
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key := fmt.Sprintf("obj-%d", i)
			r := httptest.NewRequest("PUT", "/bkt/"+key, tt.body)
			r.ContentLength = tt.contentLength
			for k, v := range tt.header {
				r.Header[k] = v
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tt.wantStatus || errorCode(t, w) != tt.wantCode {
				t.Errorf("PUT %s = %d %s, want %d %s", tt.name, w.Code, w.Body, tt.wantStatus, tt.wantCode)
			}
			if _, _, err := h.store.ReadObject(t.Context(), "bkt", key); err == nil {
				t.Errorf("PUT %s was refused but stored an object", tt.name)
			}
		})
	}
}

// TestAWSChunkedNeedsDecodedLength checks that an aws-chunked body must
// declare its decoded length, as S3 requires (411 MissingContentLength):
// without it the size cap could not be checked before the upload.
func TestAWSChunkedNeedsDecodedLength(t *testing.T) {
	body := "5\r\nhello\r\n0\r\n\r\n"
	tests := []bodyCase{
		{"no x-amz-decoded-content-length", awsChunkedHeader("-"), int64(len(body)), strings.NewReader(body), 411, "MissingContentLength"},
		{"no lengths at all", awsChunkedHeader("-"), -1, strings.NewReader(body), 411, "MissingContentLength"},
		{"not a number", awsChunkedHeader("abc"), int64(len(body)), strings.NewReader(body), 411, "MissingContentLength"},
		{"negative", awsChunkedHeader("-5"), int64(len(body)), strings.NewReader(body), 411, "MissingContentLength"},
		{"empty", awsChunkedHeader(""), int64(len(body)), strings.NewReader(body), 411, "MissingContentLength"},
	}
	runBodyCases(t, newTestHandler(t), tests)
}

// TestPutSizeCap checks the size cap of PUT and UploadPart bodies, with a
// small cap: declared sizes over it are refused up front, and a body that
// grows past it while streaming is refused when it does, whatever its
// headers claimed. Nothing is stored either way.
func TestPutSizeCap(t *testing.T) {
	h := newTestHandler(t)
	h.maxPutSize = 100
	big := strings.Repeat("x", 150)
	chunked := func(data string) string { return fmt.Sprintf("%x\r\n%s\r\n0\r\n\r\n", len(data), data) }
	tests := []bodyCase{
		{"plain over the cap", nil, 101, strings.NewReader(big[:101]), 400, "EntityTooLarge"},
		{"aws-chunked declaring over the cap", awsChunkedHeader("101"), int64(len(chunked(big[:101]))), strings.NewReader(chunked(big[:101])), 400, "EntityTooLarge"},
		// Through Handler() mounted in a user's server, nothing stops a
		// body from carrying more than its Content-Length.
		{"plain body longer than its Content-Length", nil, 50, strings.NewReader(big), 400, "EntityTooLarge"},
		{"aws-chunked body longer than declared", awsChunkedHeader("50"), int64(len(chunked(big))), strings.NewReader(chunked(big)), 400, "EntityTooLarge"},
		// Read a byte at a time, the body passes its declared length
		// first.
		{"aws-chunked one byte at a time", awsChunkedHeader("50"), int64(len(chunked(big))), iotest.OneByteReader(strings.NewReader(chunked(big))), 400, "IncompleteBody"},
		{"within the cap but longer than declared", awsChunkedHeader("50"), int64(len(chunked(big[:60]))), strings.NewReader(chunked(big[:60])), 400, "IncompleteBody"},
	}
	runBodyCases(t, h, tests)

	t.Run("at the cap", func(t *testing.T) {
		r := httptest.NewRequest("PUT", "/bkt/at-cap", strings.NewReader(chunked(big[:100])))
		for k, v := range awsChunkedHeader("100") {
			r.Header[k] = v
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != 200 {
			t.Errorf("PUT of exactly the cap = %d %s, want 200", w.Code, w.Body)
		}
	})
}

// TestPutLyingLengthAllocates checks that a body claiming the largest size
// allowed but sending a few bytes is refused without allocating anything
// like the claimed size.
func TestPutLyingLengthAllocates(t *testing.T) {
	h := newTestHandler(t)
	claim := strconv.FormatInt(maxPutSize, 10)
	tests := []bodyCase{
		{"plain", nil, maxPutSize, strings.NewReader("only a few bytes"), 400, "IncompleteBody"},
		{"aws-chunked", awsChunkedHeader(claim), 1 << 40, strings.NewReader("10\r\nonly a few bytes\r\n0\r\n\r\n"), 400, "IncompleteBody"},
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	runBodyCases(t, h, tests)
	runtime.ReadMemStats(&after)
	if got := after.TotalAlloc - before.TotalAlloc; got > 64<<20 {
		t.Errorf("refusing two bodies that claim %s bytes allocated %d bytes, want far less", claim, got)
	}
}

// TestPayloadLimit checks the cap on a body of unknown size, read in
// pieces of any size: it fails once past the limit, never before.
func TestPayloadLimit(t *testing.T) {
	for _, n := range []int{100, 101, 150} {
		for _, oneByte := range []bool{false, true} {
			var r io.Reader = strings.NewReader(strings.Repeat("x", n))
			if oneByte {
				r = iotest.OneByteReader(r)
			}
			p := &payload{r: r, size: -1, limit: 100}
			got, err := io.ReadAll(p)
			var e *s3err.Error
			switch {
			case n <= 100 && (err != nil || len(got) != n):
				t.Errorf("reading %d bytes (one at a time: %v) under a limit of 100 = %d bytes, %v; want all, no error", n, oneByte, len(got), err)
			case n > 100 && (!errors.As(err, &e) || e.Code != s3err.EntityTooLarge):
				t.Errorf("reading %d bytes (one at a time: %v) under a limit of 100: error %v, want EntityTooLarge", n, oneByte, err)
			case n > 100 && oneByte && len(got) > 101:
				t.Errorf("reading %d bytes one at a time under a limit of 100 went on to %d bytes", n, len(got))
			}
		}
	}
}
