// The storage role over HTTP: a handler serving a backend.Blobs, and a client that
// is one, so that the gateway reaches a storage node the same way
// whether it runs in-process or as its own service (stack mode).
//
//	PUT    /v1/blobs       body = the bytes   → 201 {"id": "...", "size": N}
//	GET    /v1/blobs/{id}  Range supported    → 200 or 206, the bytes
//	HEAD   /v1/blobs/{id}                     → 200, Content-Length
//	DELETE /v1/blobs/{id}                     → 204
//	GET    /health                            → 200 {"status":"healthy","service":"storage"}
//
// Errors are JSON {"code": "...", "message": "..."} with an HTTP status;
// the client turns them back into errors (see RemoteError).

package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/rpc"
)

// protocol is the service's error envelope (see package rpc).
var protocol = &rpc.Protocol{
	Service: "storage",
	Sentinels: []rpc.Sentinel{
		{Err: backend.ErrBlobNotFound, Status: http.StatusNotFound, Code: "NoSuchBlob"},
		{Err: backend.ErrClosed, Status: http.StatusServiceUnavailable, Code: "StoreClosed"},
		{Err: backend.ErrInsufficientStorage, Status: http.StatusInsufficientStorage, Code: "StorageFull"},
	},
}

// codeBadHint answers a malformed size hint header.
const codeBadHint = "InvalidRequest"

// sizeHintHeader carries Write's size hint. The client always streams the
// body chunked, because a size hint may be wrong (it comes from client
// input) and a wrong Content-Length would fail the transfer, where a wrong
// hint must not fail the write. The handler also honours a real
// Content-Length, as curl sends.
const sizeHintHeader = "Mocks3-Size-Hint"

// NewHandler serves s over HTTP (see the routes above). Blobs are streamed
// both ways: a PUT body goes to s.Write as it arrives, and a GET reads the
// blob as it sends it, so neither side holds a whole blob in memory.
func NewHandler(s backend.Blobs) http.Handler {
	h := &handler{s: s}
	mux := http.NewServeMux()
	mux.HandleFunc("PUT /v1/blobs", h.write)
	// {id...}: a lone {id} misroutes an ID of "/" (escaped %2F).
	mux.HandleFunc("GET /v1/blobs/{id...}", h.read) // HEAD too
	mux.HandleFunc("DELETE /v1/blobs/{id...}", h.delete)
	mux.HandleFunc("GET /health", protocol.Health)
	return mux
}

type handler struct{ s backend.Blobs }

// writeResult is the PUT response.
type writeResult struct {
	ID   backend.BlobID `json:"id"`
	Size int64          `json:"size"`
}

func (h *handler) write(w http.ResponseWriter, r *http.Request) {
	hint := r.ContentLength
	if v := r.Header.Get(sizeHintHeader); hint < 0 && v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			rpc.WriteCode(w, http.StatusBadRequest, codeBadHint, "storage: invalid "+sizeHintHeader+" header")
			return
		}
		hint = n
	}
	id, n, err := h.s.WriteBlob(r.Context(), r.Body, hint)
	if err != nil {
		protocol.WriteError(w, r, err)
		return
	}
	rpc.WriteJSON(w, http.StatusCreated, writeResult{id, n})
}

func (h *handler) read(w http.ResponseWriter, r *http.Request) {
	b, err := h.s.OpenBlob(r.Context(), backend.BlobID(r.PathValue("id")))
	if err != nil {
		protocol.WriteError(w, r, err)
		return
	}
	defer b.Close()
	w.Header().Set("Content-Type", "application/octet-stream") // no sniffing
	// ServeContent answers Range (206 with Content-Range, 416), HEAD and
	// Content-Length, and streams the section it sends.
	http.ServeContent(w, r, "", time.Time{}, io.NewSectionReader(b, 0, b.Size()))
}

func (h *handler) delete(w http.ResponseWriter, r *http.Request) {
	if err := h.s.DeleteBlob(r.Context(), backend.BlobID(r.PathValue("id"))); err != nil {
		protocol.WriteError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// RemoteError is an error a storage service answered that is not a
// sentinel; backend.ErrBlobNotFound, backend.ErrClosed and
// backend.ErrInsufficientStorage come back as errors that errors.Is matches
// and that errors.As finds as a *RemoteError too. Its Error is the message the service's backend.Blobs
// returned.
type RemoteError = rpc.RemoteError

// Client is a backend.Blobs served by a storage service over HTTP (NewHandler).
// It is safe for concurrent use.
type Client struct{ rpc *rpc.Client }

var _ backend.Blobs = (*Client)(nil)

// NewClient returns a backend.Blobs that calls the storage service at baseURL
// (such as "http://127.0.0.1:8082") with hc, or http.DefaultClient if hc is
// nil. A Client opens one connection per blob being read or written, so hc's
// transport should keep enough idle connections per host for the expected
// concurrency.
func NewClient(baseURL string, hc *http.Client) *Client {
	return &Client{protocol.NewClient(baseURL, hc)}
}

// blobURL returns the URL of blob id. An ID made only of dots is escaped so
// that no one cleans it into another path.
func (c *Client) blobURL(id backend.BlobID) string {
	esc := url.PathEscape(string(id))
	if strings.Trim(esc, ".") == "" {
		esc = strings.ReplaceAll(esc, ".", "%2E")
	}
	return c.rpc.URL("/v1/blobs/" + esc)
}

// callError reports a failed round trip, as ctx's error when ctx ended.
func (c *Client) callError(ctx context.Context, op string, id backend.BlobID, err error) error {
	if id != "" {
		op = fmt.Sprintf("%s %q", op, id)
	}
	return c.rpc.Err(ctx, op, err)
}

// WriteBlob implements backend.Blobs. It streams r as a chunked request body, so it
// never holds more of r than the HTTP transport's buffers; it stops reading
// r before it returns. If ctx ends after the service stored the blob but
// before the answer arrives, the service keeps an orphaned blob, as with
// any remote store.
func (c *Client) WriteBlob(ctx context.Context, r io.Reader, sizeHint int64) (backend.BlobID, int64, error) {
	if err := ctx.Err(); err != nil {
		return "", 0, err
	}
	body := &bodyReader{r: r}
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, c.rpc.URL("/v1/blobs"), io.NopCloser(body))
	if err != nil {
		return "", 0, fmt.Errorf("storage: write: %w", err)
	}
	req.ContentLength = -1 // chunked; see sizeHintHeader
	if sizeHint >= 0 {
		req.Header.Set(sizeHintHeader, strconv.FormatInt(sizeHint, 10))
	}
	resp, err := c.rpc.HTTPClient().Do(req)
	// The transport may still be reading the body when Do returns (when
	// the service answers early); r is the caller's again only after this.
	sent, readErr := body.detach()
	if readErr != nil {
		if resp != nil {
			resp.Body.Close()
		}
		return "", 0, fmt.Errorf("storage: reading blob: %w", readErr)
	}
	if err != nil {
		return "", 0, c.callError(ctx, "write", "", err)
	}
	if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusOK {
		return "", 0, protocol.DecodeError(resp)
	}
	var res writeResult
	err = json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&res)
	closeBody(resp.Body, 0)
	if err != nil {
		return "", 0, c.callError(ctx, "write: decoding the answer", "", err)
	}
	if res.ID == "" || res.Size != sent {
		if res.ID != "" {
			_ = c.DeleteBlob(context.WithoutCancel(ctx), res.ID)
		}
		return "", 0, fmt.Errorf("storage: write: service stored %d bytes as %q, sent %d", res.Size, res.ID, sent)
	}
	return res.ID, res.Size, nil
}

// bodyReader is Write's request body: it counts what it reads, keeps the
// first read error (so Write reports it, not the transport's version of
// it), and stops reading the caller's reader once detached.
type bodyReader struct {
	// mu guards every field, and is held during a Read so that detach
	// waits for a read in progress.
	mu   sync.Mutex
	r    io.Reader // nil once detached
	n    int64
	err  error
	done bool
}

var errDetached = errors.New("storage: request body read after the write ended")

func (b *bodyReader) Read(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.done {
		return 0, errDetached
	}
	n, err := b.r.Read(p)
	b.n += int64(n)
	if err != nil && err != io.EOF && b.err == nil {
		b.err = err
	}
	return n, err
}

// detach stops further reads and returns the number of bytes read and the
// first read error.
func (b *bodyReader) detach() (int64, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.done, b.r = true, nil
	return b.n, b.err
}

// OpenBlob implements backend.Blobs. It starts a GET of the whole blob: a blob of up
// to smallBlob bytes is read at once; a larger one is read from that
// response as the caller reads it in order, and only a read elsewhere (a
// seek) starts a new, ranged request. The service keeps the blob open
// while a response streams it, so reads in ascending order from offset 0
// see the blob's bytes even if it is deleted meanwhile; a seek after the
// blob was deleted fails with backend.ErrBlobNotFound.
//
// The blob's reads use ctx: they fail once ctx ends.
func (c *Client) OpenBlob(ctx context.Context, id backend.BlobID) (backend.Blob, error) {
	if id == "" {
		return nil, fmt.Errorf("storage: open %q: %w", id, backend.ErrBlobNotFound)
	}
	resp, err := c.get(ctx, id, -1)
	if err != nil {
		return nil, err
	}
	b := &remoteBlob{c: c, ctx: ctx, id: id, size: resp.ContentLength}
	if b.size < 0 {
		if b.size, err = c.head(ctx, id); err != nil {
			resp.Body.Close()
			return nil, err
		}
	}
	if b.size <= smallBlob {
		b.data = make([]byte, b.size)
		_, err := io.ReadFull(resp.Body, b.data)
		closeBody(resp.Body, 0)
		if err != nil {
			return nil, c.callError(ctx, "read", id, err)
		}
		return b, nil
	}
	b.idle = &stream{body: resp.Body, end: b.size}
	return b, nil
}

// smallBlob is the size up to which Open reads a blob whole, so that the
// connection goes back to the pool at once.
const smallBlob = 64 << 10

// get starts a GET of blob id, from off to the end (off >= 0), or whole
// (off < 0).
func (c *Client) get(ctx context.Context, id backend.BlobID, off int64) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.blobURL(id), nil)
	if err != nil {
		return nil, fmt.Errorf("storage: read %q: %w", id, err)
	}
	want := http.StatusOK
	if off >= 0 {
		req.Header.Set("Range", fmt.Sprintf("bytes=%d-", off))
		want = http.StatusPartialContent
	}
	resp, err := c.rpc.HTTPClient().Do(req)
	if err != nil {
		return nil, c.callError(ctx, "read", id, err)
	}
	if resp.StatusCode != want {
		if resp.StatusCode < 300 {
			resp.Body.Close()
			return nil, fmt.Errorf("storage: read %q from %d: unexpected %s", id, off, resp.Status)
		}
		return nil, protocol.DecodeError(resp)
	}
	if off >= 0 && !strings.HasPrefix(resp.Header.Get("Content-Range"), fmt.Sprintf("bytes %d-", off)) {
		resp.Body.Close()
		return nil, fmt.Errorf("storage: read %q from %d: answered Content-Range %q", id, off, resp.Header.Get("Content-Range"))
	}
	return resp, nil
}

// head returns the size of blob id.
func (c *Client) head(ctx context.Context, id backend.BlobID) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, c.blobURL(id), nil)
	if err != nil {
		return 0, fmt.Errorf("storage: stat %q: %w", id, err)
	}
	resp, err := c.rpc.HTTPClient().Do(req)
	if err != nil {
		return 0, c.callError(ctx, "stat", id, err)
	}
	if resp.StatusCode != http.StatusOK {
		return 0, protocol.DecodeError(resp)
	}
	resp.Body.Close()
	if resp.ContentLength < 0 {
		return 0, fmt.Errorf("storage: stat %q: no Content-Length", id)
	}
	return resp.ContentLength, nil
}

// DeleteBlob implements backend.Blobs.
func (c *Client) DeleteBlob(ctx context.Context, id backend.BlobID) error {
	if id == "" {
		return fmt.Errorf("storage: delete %q: %w", id, backend.ErrBlobNotFound)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodDelete, c.blobURL(id), nil)
	if err != nil {
		return fmt.Errorf("storage: delete %q: %w", id, err)
	}
	resp, err := c.rpc.HTTPClient().Do(req)
	if err != nil {
		return c.callError(ctx, "delete", id, err)
	}
	if resp.StatusCode/100 != 2 {
		return protocol.DecodeError(resp)
	}
	closeBody(resp.Body, 0)
	return nil
}

// remoteBlob is a blob read from a storage service.
type remoteBlob struct {
	c    *Client
	ctx  context.Context
	id   backend.BlobID
	size int64
	data []byte // the whole blob, if it is small; immutable

	mu     sync.Mutex // guards idle and closed
	idle   *stream    // an open response no ReadAt is using
	closed bool
}

// stream is an open GET response positioned at off.
type stream struct {
	body io.ReadCloser
	off  int64
	end  int64 // the offset where the response ends
}

// maxSkip is how far ahead of an open response a read may start and still
// use it, discarding the gap, rather than start a new request.
const maxSkip = 256 << 10

// close closes the response. A nearly finished one is read to its end
// first, so that its connection can serve another request.
func (s *stream) close() { closeBody(s.body, s.end-s.off) }

func closeBody(body io.ReadCloser, rest int64) {
	if rest <= smallBlob {
		_, _ = io.Copy(io.Discard, io.LimitReader(body, smallBlob+1))
	}
	body.Close()
}

var errNegativeOffset = errors.New("storage: negative offset")

// ReadAt implements io.ReaderAt. Reads in ascending order continue one
// response; concurrent reads each use their own.
func (b *remoteBlob) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errNegativeOffset
	}
	b.mu.Lock()
	closed := b.closed
	b.mu.Unlock()
	if closed {
		return 0, fs.ErrClosed
	}
	if off >= b.size {
		return 0, io.EOF
	}
	var eof error
	if rest := b.size - off; int64(len(p)) > rest {
		p, eof = p[:rest], io.EOF
	}
	if b.data != nil {
		return copy(p, b.data[off:]), eof
	}
	if len(p) == 0 {
		return 0, nil
	}
	s, err := b.streamAt(off)
	if err != nil {
		return 0, err
	}
	n, err := io.ReadFull(s.body, p)
	s.off += int64(n)
	if err != nil {
		s.body.Close()
		if err == io.EOF {
			err = io.ErrUnexpectedEOF // the service sent less than it announced
		}
		return n, b.c.callError(b.ctx, "read", b.id, err)
	}
	b.release(s)
	return n, eof
}

// streamAt returns a response positioned at off: the idle one if it is at
// or a little before off, or a new one.
func (b *remoteBlob) streamAt(off int64) (*stream, error) {
	b.mu.Lock()
	s := b.idle
	b.idle = nil
	b.mu.Unlock()
	if s != nil {
		if gap := off - s.off; gap >= 0 && gap <= maxSkip {
			n, err := io.CopyN(io.Discard, s.body, gap)
			s.off += n
			if err == nil {
				return s, nil
			}
		}
		s.close()
	}
	resp, err := b.c.get(b.ctx, b.id, off)
	if err != nil {
		return nil, err
	}
	return &stream{body: resp.Body, off: off, end: b.size}, nil
}

// release keeps s for the next read, unless another one is kept already or
// the blob was closed.
func (b *remoteBlob) release(s *stream) {
	b.mu.Lock()
	keep := !b.closed && b.idle == nil
	if keep {
		b.idle = s
	}
	b.mu.Unlock()
	if !keep {
		s.close()
	}
}

// Size implements backend.Blob.
func (b *remoteBlob) Size() int64 { return b.size }

// Close implements backend.Blob: it closes the open response, if any.
func (b *remoteBlob) Close() error {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return fs.ErrClosed
	}
	b.closed = true
	s := b.idle
	b.idle = nil
	b.mu.Unlock()
	if s != nil {
		s.close()
	}
	return nil
}
