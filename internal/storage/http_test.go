package storage_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/storage"
	"github.com/mocks3/mocks3/internal/suitetest"
)

func content(seed uint64, n int) []byte {
	b := make([]byte, n)
	_, _ = rand.NewChaCha8([32]byte{byte(seed), byte(seed >> 8)}).Read(b)
	return b
}

// readAll reads bl whole the way the gateway does.
func readAll(t *testing.T, bl backend.Blob) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := io.CopyBuffer(onlyWriter{&buf}, io.NewSectionReader(bl, 0, bl.Size()), make([]byte, 32<<10)); err != nil {
		t.Fatalf("reading the blob: %v", err)
	}
	return buf.Bytes()
}

// TestHandlerProtocol speaks to the handler as curl would.
func TestHandlerProtocol(t *testing.T) {
	srv := httptest.NewServer(storage.NewHandler(suitetest.Memory(t)))
	t.Cleanup(srv.Close)
	hc := srv.Client()
	do := func(method, path string, body io.Reader, h ...string) (*http.Response, string) {
		t.Helper()
		req, err := http.NewRequestWithContext(t.Context(), method, srv.URL+path, body)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i+1 < len(h); i += 2 {
			req.Header.Set(h[i], h[i+1])
		}
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatalf("%s %s: reading the body: %v", method, path, err)
		}
		return resp, string(b)
	}

	resp, body := do("PUT", "/v1/blobs", strings.NewReader("hello, world")) // with Content-Length
	var put struct {
		ID   string `json:"id"`
		Size int64  `json:"size"`
	}
	if resp.StatusCode != http.StatusCreated || json.Unmarshal([]byte(body), &put) != nil || put.ID == "" || put.Size != 12 {
		t.Fatalf("PUT /v1/blobs = %s %q; want 201 with an ID and size 12", resp.Status, body)
	}
	blob := "/v1/blobs/" + put.ID

	tests := []struct {
		name, method, path string
		reqBody            io.Reader
		header             []string
		status             int
		body               string
		wantHeader         map[string]string
	}{
		{"Get", "GET", blob, nil, nil, 200, "hello, world", map[string]string{"Content-Length": "12", "Accept-Ranges": "bytes"}},
		{"Range", "GET", blob, nil, []string{"Range", "bytes=2-5"}, 206, "llo,", map[string]string{"Content-Length": "4", "Content-Range": "bytes 2-5/12"}},
		{"RangeOpen", "GET", blob, nil, []string{"Range", "bytes=7-"}, 206, "world", map[string]string{"Content-Range": "bytes 7-11/12"}},
		{"RangeSuffix", "GET", blob, nil, []string{"Range", "bytes=-3"}, 206, "rld", map[string]string{"Content-Range": "bytes 9-11/12"}},
		{"RangeBeyond", "GET", blob, nil, []string{"Range", "bytes=12-"}, 416, "", map[string]string{"Content-Range": "bytes */12"}},
		{"Head", "HEAD", blob, nil, nil, 200, "", map[string]string{"Content-Length": "12"}},
		{"Missing", "GET", "/v1/blobs/nope", nil, nil, 404, `{"code":"NoSuchBlob","message":"backend: blob not found"}` + "\n", nil},
		{"Health", "GET", "/health", nil, nil, 200, `{"status":"healthy","service":"storage"}` + "\n", map[string]string{"Content-Type": "application/json"}},
		{"Delete", "DELETE", blob, nil, nil, 204, "", nil},
		{"Deleted", "GET", blob, nil, nil, 404, `{"code":"NoSuchBlob","message":"backend: blob not found"}` + "\n", nil},
		{"DeleteDeleted", "DELETE", blob, nil, nil, 404, `{"code":"NoSuchBlob","message":"backend: blob not found"}` + "\n", nil},
		{"BadHint", "PUT", "/v1/blobs", io.NopCloser(strings.NewReader("x")), []string{"Mocks3-Size-Hint", "-5"}, 400, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := do(tt.method, tt.path, tt.reqBody, tt.header...)
			if resp.StatusCode != tt.status {
				t.Errorf("%s %s = %s %q, want status %d", tt.method, tt.path, resp.Status, body, tt.status)
			}
			if tt.status < 400 || tt.body != "" {
				if body != tt.body {
					t.Errorf("%s %s body = %q, want %q", tt.method, tt.path, body, tt.body)
				}
			}
			for k, v := range tt.wantHeader {
				if got := resp.Header.Get(k); got != v {
					t.Errorf("%s %s: %s = %q, want %q", tt.method, tt.path, k, got, v)
				}
			}
		})
	}
}

// stubStore is a Store whose methods are given.
type stubStore struct {
	write  func(ctx context.Context, r io.Reader, hint int64) (backend.BlobID, int64, error)
	open   func(ctx context.Context, id backend.BlobID) (backend.Blob, error)
	delete func(ctx context.Context, id backend.BlobID) error
}

func (s stubStore) WriteBlob(ctx context.Context, r io.Reader, hint int64) (backend.BlobID, int64, error) {
	return s.write(ctx, r, hint)
}
func (s stubStore) OpenBlob(ctx context.Context, id backend.BlobID) (backend.Blob, error) {
	return s.open(ctx, id)
}
func (s stubStore) DeleteBlob(ctx context.Context, id backend.BlobID) error { return s.delete(ctx, id) }

// failing returns a store whose every call fails with err.
func failing(err error) stubStore {
	return stubStore{
		write:  func(context.Context, io.Reader, int64) (backend.BlobID, int64, error) { return "", 0, err },
		open:   func(context.Context, backend.BlobID) (backend.Blob, error) { return nil, err },
		delete: func(context.Context, backend.BlobID) error { return err },
	}
}

func TestClientErrors(t *testing.T) {
	onFire := errors.New("disk on fire")
	tests := []struct {
		name string
		err  error // what the service's Store returns
		is   error // what errors.Is must match on the client, if anything
		want storage.RemoteError
	}{
		{"NotFound", fmt.Errorf("node 2: %w", backend.ErrBlobNotFound), backend.ErrBlobNotFound,
			storage.RemoteError{Status: 404, Code: "NoSuchBlob", Message: "node 2: backend: blob not found"}},
		{"Closed", backend.ErrClosed, backend.ErrClosed,
			storage.RemoteError{Status: 503, Code: "StoreClosed", Message: "backend: closed"}},
		{"Other", onFire, nil,
			storage.RemoteError{Status: 500, Code: "InternalError", Message: "disk on fire"}},
		{"Remote", &storage.RemoteError{Status: 502, Code: "Upstream", Message: "node down"}, nil,
			storage.RemoteError{Status: 502, Code: "Upstream", Message: "node down"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := serve(t, failing(tt.err))
			_, _, werr := c.WriteBlob(t.Context(), strings.NewReader("x"), 1)
			_, oerr := c.OpenBlob(t.Context(), "id")
			derr := c.DeleteBlob(t.Context(), "id")
			for call, err := range map[string]error{"Write": werr, "Open": oerr, "Delete": derr} {
				var re *storage.RemoteError
				if !errors.As(err, &re) {
					t.Errorf("%s: err = %#v, want a *RemoteError", call, err)
					continue
				}
				if diff := cmp.Diff(tt.want, *re); diff != "" {
					t.Errorf("%s: RemoteError mismatch (-want +got):\n%s", call, diff)
				}
				if err.Error() != tt.err.Error() {
					t.Errorf("%s: err = %q, want the service's message %q", call, err, tt.err)
				}
				if tt.is != nil && !errors.Is(err, tt.is) {
					t.Errorf("%s: err = %v, want errors.Is(err, %v)", call, err, tt.is)
				}
				if tt.is == nil && (errors.Is(err, backend.ErrBlobNotFound) || errors.Is(err, backend.ErrClosed)) {
					t.Errorf("%s: err = %v matches a backend error", call, err)
				}
			}
		})
	}
}

// TestClientForeignError checks errors from something that is not a
// storage service, such as a proxy.
func TestClientForeignError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "upstream down", http.StatusBadGateway)
	}))
	t.Cleanup(srv.Close)
	_, err := storage.NewClient(srv.URL+"/", srv.Client()).OpenBlob(t.Context(), "1")
	want := &storage.RemoteError{Status: 502, Message: "upstream down"}
	var re *storage.RemoteError
	if !errors.As(err, &re) {
		t.Fatalf("Open = %v, want a *RemoteError", err)
	}
	if diff := cmp.Diff(want, re); diff != "" {
		t.Errorf("Open error mismatch (-want +got):\n%s", diff)
	}
}

// counter counts a service's requests and connections.
type counter struct {
	mu    sync.Mutex
	reqs  map[string]int // "GET", "GET range", "PUT"…
	conns int
}

func (c *counter) get(k string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.reqs[k]
}

func (c *counter) connections() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.conns
}

func serveCounting(t *testing.T, s backend.Blobs) (*storage.Client, *counter) {
	c := &counter{reqs: map[string]int{}}
	h := storage.NewHandler(s)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		k := r.Method
		if r.Header.Get("Range") != "" {
			k += " range"
		}
		c.mu.Lock()
		c.reqs[k]++
		c.mu.Unlock()
		h.ServeHTTP(w, r)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			c.mu.Lock()
			c.conns++
			c.mu.Unlock()
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return storage.NewClient(srv.URL, srv.Client()), c
}

// TestClientReadsSequentially checks that reads in order continue one
// response, that only a seek starts a new one, and that connections are
// reused.
func TestClientReadsSequentially(t *testing.T) {
	c, n := serveCounting(t, suitetest.Memory(t))
	want := content(1, 4*mib+3)
	id, _, err := c.WriteBlob(t.Context(), bytes.NewReader(want), int64(len(want)))
	if err != nil {
		t.Fatal(err)
	}
	small, _, err := c.WriteBlob(t.Context(), bytes.NewReader(want[:1000]), 1000)
	if err != nil {
		t.Fatal(err)
	}

	for range 3 {
		bl, err := c.OpenBlob(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		if got := readAll(t, bl); !bytes.Equal(got, want) {
			t.Fatalf("read different bytes than written")
		}
		bl.Close()
		bl, err = c.OpenBlob(t.Context(), small)
		if err != nil {
			t.Fatal(err)
		}
		bl.Close() // unread
	}
	if got := n.get("GET"); got != 6 {
		t.Errorf("3 whole reads and 3 opens: %d GETs, want 6", got)
	}
	if got := n.get("GET range"); got != 0 {
		t.Errorf("whole reads: %d ranged GETs, want 0", got)
	}
	if got := n.connections(); got != 1 {
		t.Errorf("2 PUTs, whole reads and opens used %d connections, want 1", got)
	}

	bl, err := c.OpenBlob(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	defer bl.Close()
	reads := []struct {
		off, n int64
		ranged int // ranged GETs so far
	}{
		{0, mib, 0},
		{mib + 100<<10, mib, 0},    // a short skip forward: the same response
		{3 * mib, 1000, 1},         // a seek forward
		{3*mib + 1000, mib / 2, 1}, // continuing
		{10, 10, 2},                // a seek back
		{20, 50 << 10, 2},
	}
	for _, r := range reads {
		got := make([]byte, r.n)
		if _, err := io.ReadFull(io.NewSectionReader(bl, r.off, r.n), got); err != nil || !bytes.Equal(got, want[r.off:r.off+r.n]) {
			t.Fatalf("reading [%d, %d): %v, or wrong bytes", r.off, r.off+r.n, err)
		}
		if got := n.get("GET range"); got != r.ranged {
			t.Errorf("after reading [%d, %d): %d ranged GETs, want %d", r.off, r.off+r.n, got, r.ranged)
		}
	}
}

// closeSignal is a Store whose blobs report their Close.
type closeSignal struct {
	backend.Blobs
	closed chan struct{}
}

type signalBlob struct {
	backend.Blob
	closed chan struct{}
}

func (s closeSignal) OpenBlob(ctx context.Context, id backend.BlobID) (backend.Blob, error) {
	b, err := s.Blobs.OpenBlob(ctx, id)
	if err != nil {
		return nil, err
	}
	return signalBlob{b, s.closed}, nil
}

func (b signalBlob) Close() error {
	b.closed <- struct{}{}
	return b.Blob.Close()
}

// TestClientCloseEndsResponse checks that closing a blob read halfway
// ends the service's response, which closes the blob on the service.
func TestClientCloseEndsResponse(t *testing.T) {
	s := closeSignal{suitetest.Memory(t), make(chan struct{}, 1)}
	c := serve(t, s)
	id, _, err := c.WriteBlob(t.Context(), bytes.NewReader(content(1, 8*mib)), 8*mib)
	if err != nil {
		t.Fatal(err)
	}
	bl, err := c.OpenBlob(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bl.ReadAt(make([]byte, 32<<10), 0); err != nil {
		t.Fatal(err)
	}
	if err := bl.Close(); err != nil {
		t.Fatalf("Close = %v", err)
	}
	select {
	case <-s.closed:
	case <-time.After(10 * time.Second):
		t.Fatal("the service still serves the blob 10s after the client closed it")
	}
}

// hanging returns a store whose calls block until their context ends,
// after telling entered.
func hanging(entered chan<- string) stubStore {
	wait := func(ctx context.Context, op string) error {
		entered <- op
		<-ctx.Done()
		return ctx.Err()
	}
	return stubStore{
		write: func(ctx context.Context, r io.Reader, _ int64) (backend.BlobID, int64, error) {
			// net/http notices a client going away only once the
			// request body is read.
			if _, err := io.Copy(io.Discard, r); err != nil {
				return "", 0, err
			}
			return "", 0, wait(ctx, "Write")
		},
		open: func(ctx context.Context, id backend.BlobID) (backend.Blob, error) {
			return nil, wait(ctx, "Open")
		},
		delete: func(ctx context.Context, id backend.BlobID) error { return wait(ctx, "Delete") },
	}
}

func TestClientCancel(t *testing.T) {
	entered := make(chan string)
	c := serve(t, hanging(entered))
	calls := map[string]func(ctx context.Context) error{
		"Write": func(ctx context.Context) error {
			_, _, err := c.WriteBlob(ctx, strings.NewReader("abc"), 3)
			return err
		},
		"Open": func(ctx context.Context) error {
			_, err := c.OpenBlob(ctx, "1")
			return err
		},
		"Delete": func(ctx context.Context) error { return c.DeleteBlob(ctx, "1") },
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			var wg sync.WaitGroup
			wg.Go(func() {
				<-entered // the service is handling the call
				cancel()
			})
			err := call(ctx)
			wg.Wait()
			if !errors.Is(err, context.Canceled) {
				t.Errorf("%s with its context cancelled = %v, want context.Canceled", name, err)
			}
		})
	}
}

// mapStore keeps blobs in a map under IDs it is given.
type mapStore struct {
	mu    sync.Mutex
	ids   []backend.BlobID // the IDs Write hands out, in order
	blobs map[backend.BlobID][]byte
}

type bytesBlob struct{ *bytes.Reader }

func (bytesBlob) Close() error { return nil }

func (m *mapStore) WriteBlob(ctx context.Context, r io.Reader, _ int64) (backend.BlobID, int64, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return "", 0, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	id := m.ids[0]
	m.ids = m.ids[1:]
	m.blobs[id] = b
	return id, int64(len(b)), nil
}

func (m *mapStore) OpenBlob(ctx context.Context, id backend.BlobID) (backend.Blob, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.blobs[id]
	if !ok {
		return nil, backend.ErrBlobNotFound
	}
	return bytesBlob{bytes.NewReader(b)}, nil
}

func (m *mapStore) DeleteBlob(ctx context.Context, id backend.BlobID) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.blobs[id]; !ok {
		return backend.ErrBlobNotFound
	}
	delete(m.blobs, id)
	return nil
}

// TestClientIDs checks that any ID a service hands out works in URLs.
func TestClientIDs(t *testing.T) {
	ids := []backend.BlobID{"a/b", "/", "//", "..", ".", "../x", "a b", "%2F", "%", "?x=1", "#f", "ü", "a;b", "\x00", "x/../y"}
	c := serve(t, &mapStore{ids: ids, blobs: map[backend.BlobID][]byte{}})
	for i, want := range ids {
		data := content(uint64(i), 100)
		id, _, err := c.WriteBlob(t.Context(), bytes.NewReader(data), 100)
		if err != nil || id != want {
			t.Errorf("Write = %q, %v; want %q", id, err, want)
			continue
		}
		bl, err := c.OpenBlob(t.Context(), id)
		if err != nil {
			t.Errorf("Open(%q) = %v", id, err)
			continue
		}
		if got := readAll(t, bl); !bytes.Equal(got, data) {
			t.Errorf("Open(%q) read other bytes", id)
		}
		bl.Close()
		if err := c.DeleteBlob(t.Context(), id); err != nil {
			t.Errorf("Delete(%q) = %v", id, err)
		}
		if _, err := c.OpenBlob(t.Context(), id); !errors.Is(err, backend.ErrBlobNotFound) {
			t.Errorf("Open(%q) after Delete = %v, want ErrBlobNotFound", id, err)
		}
	}
}

// watchedReader fails the test if it is read after done is set.
type watchedReader struct {
	t    *testing.T
	r    io.Reader
	done atomic.Bool
}

func (w *watchedReader) Read(p []byte) (int, error) {
	if w.done.Load() {
		w.t.Error("the caller's reader was read after Write returned")
	}
	return w.r.Read(p)
}

// TestClientWriteRefused checks a write the service refuses before reading
// the body: Write fails, and the caller's reader is left alone after.
func TestClientWriteRefused(t *testing.T) {
	c := serve(t, failing(errors.New("disk full")))
	for range 3 {
		r := &watchedReader{t: t, r: io.LimitReader(rand.NewChaCha8([32]byte{}), 16*mib)}
		id, _, err := c.WriteBlob(t.Context(), r, -1)
		r.done.Store(true)
		if err == nil || id != "" {
			t.Errorf("Write to a refusing service = %q, %v; want an error", id, err)
		}
	}
}
