// The third-party origin: a GET or HEAD that misses locally is answered from
// the origin, which objects.Store.FromOrigin fetches and backfills.

package gateway

import (
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/mocks3/mocks3/internal/s3err"

	"github.com/mocks3/mocks3/internal/thirdparty"
)

// serveFromOrigin answers a GET or HEAD of a missing object from the
// origin. It reports false when the origin has no such object either.
func (h *Handler) serveFromOrigin(w http.ResponseWriter, r *http.Request, req *request) (bool, error) {
	ctx := r.Context()
	o, err := h.store.FromOrigin(ctx, req.bucket, req.key)
	if errors.Is(err, thirdparty.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		if isS3Error(err) {
			return true, err
		}
		return true, errorf(s3err.ServiceUnavailable, "The third-party origin failed: %v", err)
	}
	defer o.Body.Close()

	hdr := w.Header()
	ctype := o.ContentType
	if ctype == "" {
		ctype = defaultContentType
	}
	hdr.Set("Content-Type", ctype)
	hdr.Set("Last-Modified", h.now().Format(http.TimeFormat))
	for k, v := range o.Metadata {
		hdr["x-amz-meta-"+k] = []string{v}
	}
	status, start, length := http.StatusOK, int64(0), o.Size
	if rh := r.Header.Get("Range"); rh != "" && o.Size >= 0 {
		rg, ok, err := parseRange(rh, o.Size)
		if err != nil {
			return true, newError(s3err.InvalidRange)
		}
		if ok {
			status, start, length = http.StatusPartialContent, rg.start, rg.length
			hdr.Set("Content-Range", rg.contentRange(o.Size))
		}
	}
	if length >= 0 {
		hdr.Set("Content-Length", strconv.FormatInt(length, 10))
	}
	hdr.Set("Accept-Ranges", "bytes")
	w.WriteHeader(status)
	if r.Method == http.MethodHead {
		return true, nil
	}
	if _, err := io.CopyN(io.Discard, o.Body, start); err != nil {
		return true, err
	}
	body := io.Reader(o.Body)
	if length >= 0 {
		body = io.LimitReader(o.Body, length)
	}
	_, err = io.Copy(w, body)
	return true, err
}
