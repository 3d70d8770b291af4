package thirdparty

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/mocks3/mocks3/internal/rpc"
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

// codeFetchError answers an origin's failure, with 502.
const codeFetchError = "FetchError"

// protocol is the service's error envelope (see package rpc); the service
// is named as in the seed.
var protocol = &rpc.Protocol{
	Service:   "third-party",
	Sentinels: []rpc.Sentinel{{Err: ErrNotFound, Status: http.StatusNotFound, Code: "NotFound"}},
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
		rpc.WriteJSON(w, http.StatusOK, stats())
	})
	mux.HandleFunc("GET /health", protocol.Health)
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
		rpc.WriteCode(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "thirdparty: objects are read with GET or HEAD")
		return
	}
	bucket, key, ok := splitObjectPath(p[len(objectsPrefix):])
	if !ok {
		rpc.WriteCode(w, http.StatusBadRequest, rpc.CodeBadRequest, "thirdparty: want /v1/objects/{bucket}/{key}")
		return
	}
	obj, err := h.o.Fetch(r.Context(), bucket, key)
	if err != nil {
		if !errors.Is(err, ErrNotFound) {
			err = &rpc.RemoteError{Status: http.StatusBadGateway, Code: codeFetchError, Message: err.Error()}
		}
		protocol.WriteError(w, r, err)
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

// Client is an Origin that fetches through a third-party service over
// HTTP, streaming the object's body. A fetch error at the service's origin
// comes back as a *StatusError with status 502 and the origin's message.
type Client struct{ rpc *rpc.Client }

var _ Origin = (*Client)(nil)

// NewClient returns a Client for the third-party service at baseURL (such
// as "http://127.0.0.1:8084"), using hc (http.DefaultClient if nil).
func NewClient(baseURL string, hc *http.Client) *Client {
	return &Client{protocol.NewClient(baseURL, hc)}
}

// Fetch implements Origin.
func (c *Client) Fetch(ctx context.Context, bucket, key string) (Object, error) {
	u := c.rpc.URL(objectsPrefix + url.PathEscape(bucket) + "/" + escapeKey(key))
	return fetchHTTP(ctx, c.rpc.HTTPClient(), u, func(resp *http.Response) error {
		return statusError(protocol.DecodeError(resp))
	})
}

// Stats returns the service's counters.
func (c *Client) Stats(ctx context.Context) (Stats, error) {
	var st Stats
	if err := c.rpc.Call(ctx, "Stats", http.MethodGet, "/v1/stats", nil, &st); err != nil {
		return Stats{}, statusError(err)
	}
	return st, nil
}

// statusError turns the service's error answer into a *StatusError, as an
// HTTP origin's.
func statusError(err error) error {
	var re *rpc.RemoteError
	if errors.Is(err, ErrNotFound) || !errors.As(err, &re) {
		return err
	}
	msg := re.Message
	if re.Code == "" || msg == "" {
		// A foreign answer: say its status, as for an HTTP origin.
		msg = fmt.Sprintf("%d %s", re.Status, http.StatusText(re.Status))
		if re.Message != "" {
			msg += ": " + re.Message
		}
	}
	return &StatusError{StatusCode: re.Status, Message: msg}
}
