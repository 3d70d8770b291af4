package thirdparty

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// The third-party service's HTTP API (stack mode):
//
//	GET  /v1/objects/{bucket}/{key...}  → 200 and the object's bytes, streamed, with
//	                                      Content-Type, Content-Length (if known) and X-Amz-Meta-*;
//	                                      404 NotFound; 502 FetchError with the origin's error
//	HEAD /v1/objects/{bucket}/{key...}  → the same headers, no body
//	GET  /v1/stats                      → 200 Stats
//	GET  /health                        → 200 {"status":"healthy","service":"third-party"}
//
// Errors are {"code","message"}. The bucket and each key segment are
// path-escaped; the object path is split by hand, not by ServeMux, which
// would clean keys such as "a//b" or "../x" into other keys.

const objectsPrefix = "/v1/objects/"

const (
	codeNotFound   = "NotFound"
	codeFetchError = "FetchError"
	codeBadRequest = "BadRequest"
)

type errorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// NewHandler returns the third-party service's HTTP handler, fetching from
// o and reporting stats() (zero if stats is nil) at /v1/stats.
//
// If the origin's body fails mid-stream, the handler aborts the response
// (panic(http.ErrAbortHandler), which http.Server recovers), so the client
// sees a broken body rather than a short object.
func NewHandler(o Origin, stats func() Stats) http.Handler {
	if stats == nil {
		stats = func() Stats { return Stats{} }
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/stats", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, stats())
	})
	mux.HandleFunc("GET /health", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "healthy", "service": "third-party"})
	})
	return &handler{o: o, mux: mux}
}

type handler struct {
	o   Origin
	mux *http.ServeMux
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.EscapedPath()
	if !strings.HasPrefix(p, objectsPrefix) {
		h.mux.ServeHTTP(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeError(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "thirdparty: objects are read with GET or HEAD")
		return
	}
	bucket, key, ok := splitObjectPath(p[len(objectsPrefix):])
	if !ok {
		writeError(w, http.StatusBadRequest, codeBadRequest, "thirdparty: want /v1/objects/{bucket}/{key}")
		return
	}
	obj, err := h.o.Fetch(r.Context(), bucket, key)
	switch {
	case err == nil:
	case errors.Is(err, ErrNotFound):
		writeError(w, http.StatusNotFound, codeNotFound, err.Error())
		return
	default:
		writeError(w, http.StatusBadGateway, codeFetchError, err.Error())
		return
	}
	defer obj.Body.Close()
	hdr := w.Header()
	if obj.ContentType != "" {
		hdr.Set("Content-Type", obj.ContentType)
	} else {
		// Don't let net/http sniff one: the origin gave none.
		hdr["Content-Type"] = nil
	}
	if obj.Size >= 0 {
		hdr.Set("Content-Length", strconv.FormatInt(obj.Size, 10))
	}
	for k, v := range obj.Metadata {
		hdr.Set(metaPrefix+k, v)
	}
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	n, err := io.Copy(w, obj.Body)
	if err != nil || obj.Size >= 0 && n != obj.Size {
		panic(http.ErrAbortHandler)
	}
}

// splitObjectPath splits an escaped "{bucket}/{key}" and unescapes both.
func splitObjectPath(p string) (bucket, key string, ok bool) {
	i := strings.IndexByte(p, '/')
	if i <= 0 || i == len(p)-1 {
		return "", "", false
	}
	bucket, err := url.PathUnescape(p[:i])
	if err != nil {
		return "", "", false
	}
	key, err = url.PathUnescape(p[i+1:])
	if err != nil {
		return "", "", false
	}
	return bucket, key, true
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, errorBody{Code: code, Message: msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		body, _ = json.Marshal(errorBody{Code: "InternalError", Message: err.Error()})
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

// Client is an Origin that fetches through a third-party service over
// HTTP, streaming the object's body. A fetch error at the service's origin
// comes back as a *StatusError with status 502 and the origin's message.
type Client struct {
	base string
	hc   *http.Client
}

var _ Origin = (*Client)(nil)

// NewClient returns a Client for the third-party service at baseURL (such
// as "http://127.0.0.1:8084"), using hc (http.DefaultClient if nil).
func NewClient(baseURL string, hc *http.Client) *Client {
	if hc == nil {
		hc = http.DefaultClient
	}
	return &Client{base: strings.TrimRight(baseURL, "/"), hc: hc}
}

// Fetch implements Origin.
func (c *Client) Fetch(ctx context.Context, bucket, key string) (Object, error) {
	return fetchHTTP(ctx, c.hc, c.base+objectsPrefix+url.PathEscape(bucket)+"/"+escapeKey(key), decodeError)
}

// Stats returns the service's counters.
func (c *Client) Stats(ctx context.Context) (Stats, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/v1/stats", nil)
	if err != nil {
		return Stats{}, fmt.Errorf("thirdparty: %w", err)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return Stats{}, ctx.Err()
		}
		return Stats{}, fmt.Errorf("thirdparty: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return Stats{}, decodeError(resp)
	}
	var st Stats
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		return Stats{}, fmt.Errorf("thirdparty: decoding stats: %w", err)
	}
	return st, nil
}

// decodeError turns the service's error answer into a *StatusError.
func decodeError(resp *http.Response) error {
	b, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	var eb errorBody
	if json.Unmarshal(b, &eb) != nil || eb.Message == "" {
		eb.Message = strings.TrimSpace(resp.Status + ": " + string(b))
	}
	return &StatusError{StatusCode: resp.StatusCode, Message: eb.Message}
}
