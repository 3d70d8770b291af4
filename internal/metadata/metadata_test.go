package metadata_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/backend/backendtest"
	"github.com/mocks3/mocks3/internal/metadata"
	"github.com/mocks3/mocks3/internal/suitetest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// serve serves s over HTTP until t ends and returns a client for it.
func serve(t testing.TB, s backend.Records) *metadata.Client {
	return suitetest.Serve(t, metadata.NewHandler(s), metadata.NewClient)
}

// TestClient runs the records contract's suite over HTTP: the role's
// service and client must carry every record, condition and error whole.
func TestClient(t *testing.T) {
	backendtest.RunRecords(t, func(t *testing.T) backend.Records { return serve(t, suitetest.Memory(t)) })
}

// errStore fails every call with err.
type errStore struct {
	backend.Records
	err error
}

func (s errStore) GetObject(context.Context, string, string, string) (backend.Object, error) {
	return backend.Object{}, s.err
}

func TestClientErrors(t *testing.T) {
	tests := []struct {
		name       string
		err        error  // what the served store returns
		want       error  // a sentinel errors.Is must match; nil: a *RemoteError
		wantStatus int    // the handler's status
		wantCode   string // the protocol's code
	}{
		{"BucketNotFound", backend.ErrBucketNotFound, backend.ErrBucketNotFound, 404, "BucketNotFound"},
		{"ObjectNotFound", backend.ErrObjectNotFound, backend.ErrObjectNotFound, 404, "ObjectNotFound"},
		{"UploadNotFound", backend.ErrUploadNotFound, backend.ErrUploadNotFound, 404, "UploadNotFound"},
		{"VersionNotFound", backend.ErrVersionNotFound, backend.ErrVersionNotFound, 404, "VersionNotFound"},
		{"ConfigNotFound", backend.ErrConfigNotFound, backend.ErrConfigNotFound, 404, "ConfigNotFound"},
		{"BucketExists", backend.ErrBucketExists, backend.ErrBucketExists, 409, "BucketExists"},
		{"BucketNotEmpty", backend.ErrBucketNotEmpty, backend.ErrBucketNotEmpty, 409, "BucketNotEmpty"},
		{"UploadExists", backend.ErrUploadExists, backend.ErrUploadExists, 409, "UploadExists"},
		{"PreconditionFailed", backend.ErrPreconditionFailed, backend.ErrPreconditionFailed, 412, "PreconditionFailed"},
		{"WriteLost", metadata.ErrWriteLost, metadata.ErrWriteLost, 500, "WriteLost"},
		{"Closed", backend.ErrClosed, backend.ErrClosed, 503, "Closed"},
		{"Wrapped", fmt.Errorf("layer: %w", backend.ErrObjectNotFound), backend.ErrObjectNotFound, 404, "ObjectNotFound"},
		{"Other", errors.New("SlowDown: Please reduce your request rate."), nil, 500, "InternalError"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := errStore{suitetest.Memory(t), tt.err}
			c := serve(t, s)
			_, err := c.GetObject(t.Context(), "b", "k", "")
			if tt.want != nil {
				if !errors.Is(err, tt.want) {
					t.Errorf("GetObject() = %v, want %v", err, tt.want)
				}
			} else {
				var re *metadata.RemoteError
				if !errors.As(err, &re) {
					t.Fatalf("GetObject() = %#v, want a *metadata.RemoteError", err)
				}
				want := &metadata.RemoteError{Status: tt.wantStatus, Code: tt.wantCode, Message: tt.err.Error()}
				if d := cmp.Diff(want, re); d != "" {
					t.Errorf("GetObject() error mismatch (-want +got):\n%s", d)
				}
				if err.Error() != tt.err.Error() {
					t.Errorf("GetObject() error message = %q, want %q", err.Error(), tt.err.Error())
				}
			}

			// The wire: status and code.
			rec := httptest.NewRecorder()
			req := httptest.NewRequest("POST", "/v1/GetObject", strings.NewReader(`{"bucket":"b","key":"k"}`))
			metadata.NewHandler(s).ServeHTTP(rec, req)
			var body struct{ Code, Message string }
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Fatalf("error body %q: %v", rec.Body, err)
			}
			if rec.Code != tt.wantStatus || body.Code != tt.wantCode || body.Message != tt.err.Error() {
				t.Errorf("POST /v1/GetObject = %d %+v, want %d {Code:%s Message:%s}", rec.Code, body, tt.wantStatus, tt.wantCode, tt.err)
			}
		})
	}
}

// TestClientForeignErrors checks responses that are not the protocol's, as
// a proxy or a fault on the HTTP hop would send them.
func TestClientForeignErrors(t *testing.T) {
	tests := []struct {
		name string
		h    http.HandlerFunc
		want *metadata.RemoteError
	}{
		{"PlainText", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "upstream down", http.StatusBadGateway)
		}, &metadata.RemoteError{Status: 502, Message: "upstream down"}},
		{"XML", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, "<Error><Code>SlowDown</Code></Error>")
		}, &metadata.RemoteError{Status: 503, Message: "<Error><Code>SlowDown</Code></Error>"}},
		{"Empty", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusTeapot)
		}, &metadata.RemoteError{Status: 418}},
		{"UnknownCode", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusTooManyRequests)
			io.WriteString(w, `{"code":"SlowDown","message":"Please reduce your request rate."}`)
		}, &metadata.RemoteError{Status: 429, Code: "SlowDown", Message: "Please reduce your request rate."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.h)
			defer srv.Close()
			_, err := metadata.NewClient(srv.URL, srv.Client()).GetBucket(t.Context(), "b")
			var re *metadata.RemoteError
			if !errors.As(err, &re) {
				t.Fatalf("GetBucket() = %#v, want a *metadata.RemoteError", err)
			}
			if d := cmp.Diff(tt.want, re); d != "" {
				t.Errorf("GetBucket() error mismatch (-want +got):\n%s", d)
			}
		})
	}
}

func TestHandlerBadRequests(t *testing.T) {
	h := metadata.NewHandler(suitetest.Memory(t))
	tests := []struct {
		method, path, body string
		wantStatus         int
		wantCode           string
	}{
		{"POST", "/v1/GetObject", `{`, 400, "BadRequest"},
		{"POST", "/v1/GetObject", `{"bucket": 1}`, 400, "BadRequest"},
		{"POST", "/v1/PutObject", `{"bucket":"b"}`, 400, "BadRequest"},
		{"POST", "/v1/PutPart", `{"bucket":"b"}`, 400, "BadRequest"},
		{"POST", "/v1/CreateUpload", `{}`, 400, "BadRequest"},
		{"POST", "/v1/CreateBucket", `{}`, 400, "BadRequest"},
		{"POST", "/v1/UpdateBucket", `{}`, 400, "BadRequest"},
		{"POST", "/v1/UpdateObject", `{"bucket":"b","key":"k"}`, 400, "BadRequest"},
		{"POST", "/v1/CompleteUpload", `{"bucket":"b","id":"u"}`, 400, "BadRequest"},
		{"POST", "/v1/NoSuchMethod", `{}`, 404, "UnknownMethod"},
	}
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.path, strings.NewReader(tt.body)))
		var body struct{ Code string }
		json.Unmarshal(rec.Body.Bytes(), &body)
		if rec.Code != tt.wantStatus || body.Code != tt.wantCode {
			t.Errorf("%s %s %s = %d %q, want %d %q", tt.method, tt.path, tt.body, rec.Code, body.Code, tt.wantStatus, tt.wantCode)
		}
	}
	for _, tt := range []struct{ method, path string }{{"GET", "/v1/GetObject"}, {"POST", "/health"}} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.path, nil))
		if rec.Code != http.StatusMethodNotAllowed {
			t.Errorf("%s %s = %d, want %d", tt.method, tt.path, rec.Code, http.StatusMethodNotAllowed)
		}
	}
}

func TestHealth(t *testing.T) {
	srv := httptest.NewServer(metadata.NewHandler(suitetest.Memory(t)))
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL + "/health")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if got, want := strings.TrimSpace(string(body)), `{"status":"healthy","service":"metadata"}`; resp.StatusCode != 200 || got != want {
		t.Errorf("GET /health = %d %s, want 200 %s", resp.StatusCode, got, want)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("GET /health Content-Type = %q, want application/json", ct)
	}
	if err := metadata.NewClient(srv.URL, srv.Client()).Health(t.Context()); err != nil {
		t.Errorf("Health() = %v, want nil", err)
	}
}

func TestStats(t *testing.T) {
	local := suitetest.Memory(t)
	ctx := t.Context()
	for _, b := range []string{"photos", "logs", "empty"} {
		if err := local.CreateBucket(ctx, backend.Bucket{Name: b}); err != nil {
			t.Fatal(err)
		}
	}
	put := func(bucket, key, contentType string, size int64) {
		t.Helper()
		o := backend.Object{Key: key, Size: size, Headers: backend.Headers{ContentType: contentType}}
		if _, err := local.PutObject(ctx, bucket, o, backend.Condition{}); err != nil {
			t.Fatal(err)
		}
	}
	// More than one page of 1000 in photos.
	for i := range 2500 {
		put("photos", fmt.Sprintf("img/%05d.jpg", i), "image/jpeg", 100)
	}
	put("photos", "img/a.png", "image/png", 7)
	put("logs", "a.log", "text/plain; charset=utf-8", 10)
	put("logs", "b.log", "Text/Plain", 20)
	put("logs", "raw", "", 5)
	put("logs", "img/00000.jpg", "image/jpeg", 1) // same key as in photos
	// An upload in progress is not an object.
	if err := local.CreateUpload(ctx, backend.Upload{Bucket: "logs", Key: "big", ID: "u"}); err != nil {
		t.Fatal(err)
	}

	want := metadata.Stats{
		Buckets: 3,
		Objects: 2505,
		Bytes:   250_000 + 7 + 10 + 20 + 5 + 1,
		ByBucket: map[string]metadata.BucketStats{
			"photos": {Objects: 2501, Bytes: 250_007},
			"logs":   {Objects: 4, Bytes: 36},
			"empty":  {},
		},
		ByContentType: map[string]metadata.ContentTypeStats{
			"image/jpeg": {Objects: 2501, Bytes: 250_001},
			"image/png":  {Objects: 1, Bytes: 7},
			"text/plain": {Objects: 2, Bytes: 30},
			"":           {Objects: 1, Bytes: 5},
		},
	}
	got, err := metadata.ComputeStats(ctx, local)
	if err != nil {
		t.Fatalf("ComputeStats() = %v", err)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("ComputeStats() mismatch (-want +got):\n%s", d)
	}
	got, err = serve(t, local).Stats(ctx)
	if err != nil {
		t.Fatalf("Client.Stats() = %v", err)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Client.Stats() mismatch (-want +got):\n%s", d)
	}

	empty, err := serve(t, suitetest.Memory(t)).Stats(ctx)
	if err != nil {
		t.Fatalf("Client.Stats() of an empty store = %v", err)
	}
	wantEmpty := metadata.Stats{ByBucket: map[string]metadata.BucketStats{}, ByContentType: map[string]metadata.ContentTypeStats{}}
	if d := cmp.Diff(wantEmpty, empty); d != "" {
		t.Errorf("Client.Stats() of an empty store mismatch (-want +got):\n%s", d)
	}
}

// TestStatsError checks that a failing store's error reaches the stats
// caller, locally and over HTTP.
func TestStatsError(t *testing.T) {
	s := listFails{suitetest.Memory(t)}
	if err := s.CreateBucket(t.Context(), backend.Bucket{Name: "b"}); err != nil {
		t.Fatal(err)
	}
	if _, err := metadata.ComputeStats(t.Context(), s); !errors.Is(err, errListFails) {
		t.Errorf("ComputeStats() = %v, want %v", err, errListFails)
	}
	_, err := serve(t, s).Stats(t.Context())
	var re *metadata.RemoteError
	if !errors.As(err, &re) || re.Status != 500 || re.Message != errListFails.Error() {
		t.Errorf("Client.Stats() = %#v, want a *RemoteError 500 %q", err, errListFails)
	}
}

var errListFails = errors.New("list failed")

type listFails struct{ backend.Records }

func (listFails) ListObjects(context.Context, string, string, int) ([]backend.Object, error) {
	return nil, errListFails
}

// blockingStore's GetObject blocks until its context ends.
type blockingStore struct {
	backend.Records
	started chan struct{}
}

func (s blockingStore) GetObject(ctx context.Context, bucket, key, _ string) (backend.Object, error) {
	s.started <- struct{}{}
	<-ctx.Done()
	return backend.Object{}, ctx.Err()
}

// TestClientCancel checks that cancelling a call's context aborts the HTTP
// call at once, and cancels the call on the service too.
func TestClientCancel(t *testing.T) {
	s := blockingStore{suitetest.Memory(t), make(chan struct{}, 1)}
	c := serve(t, s)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, err := c.GetObject(ctx, "b", "k", "")
		done <- err
	}()
	<-s.started
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("GetObject() after cancel = %v, want %v", err, context.Canceled)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("GetObject() did not return within 10s of its context being cancelled")
	}
	// The handler's call ended too: otherwise closing the server (cleanup)
	// would wait for it forever, and goleak would report it.
}

func TestClientDeadline(t *testing.T) {
	s := blockingStore{suitetest.Memory(t), make(chan struct{}, 1)}
	c := serve(t, s)
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if _, err := c.GetObject(ctx, "b", "k", ""); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("GetObject() with a deadline = %v, want %v", err, context.DeadlineExceeded)
	}
}

func TestClientUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	_, err := metadata.NewClient(url, nil).GetBucket(t.Context(), "b")
	if err == nil || !strings.Contains(err.Error(), "metadata: GetBucket") {
		t.Errorf("GetBucket() on a closed server = %v, want a transport error naming the call", err)
	}
}

// BenchmarkGetObject compares one GetObject in process with one over HTTP
// (loopback TCP, keep-alive).
func BenchmarkGetObject(b *testing.B) {
	local := suitetest.Memory(b)
	ctx := context.Background()
	if err := local.CreateBucket(ctx, backend.Bucket{Name: "b"}); err != nil {
		b.Fatal(err)
	}
	obj := backend.Object{
		Key: "photos/2024/a.jpg", Size: 12345, ETag: `"0123456789abcdef0123456789abcdef"`,
		LastModified: time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC),
		Headers:      backend.Headers{ContentType: "image/jpeg"},
		Metadata:     map[string]string{"owner": "me"},
		Parts:        []backend.Part{{Number: 1, Size: 12345, ETag: `"0123456789abcdef0123456789abcdef"`, Blob: "blob-1"}},
	}
	if _, err := local.PutObject(ctx, "b", obj, backend.Condition{}); err != nil {
		b.Fatal(err)
	}
	for _, bm := range []struct {
		name string
		s    backend.Records
	}{
		{"Local", local},
		{"Client", serve(b, local)},
	} {
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := bm.s.GetObject(ctx, "b", obj.Key, ""); err != nil {
					b.Fatal(err)
				}
			}
		})
	}

	// NetHTTP is the floor Client stands on: a POST of the same request
	// body answered with the same response body, with no Store and no
	// JSON work.
	b.Run("NetHTTP", func(b *testing.B) {
		resp, err := json.Marshal(obj)
		if err != nil {
			b.Fatal(err)
		}
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body)
			w.Header().Set("Content-Type", "application/json")
			w.Write(resp)
		}))
		defer srv.Close()
		hc := srv.Client()
		reqBody := `{"bucket":"b","key":"` + obj.Key + `"}`
		b.ReportAllocs()
		for b.Loop() {
			req, _ := http.NewRequestWithContext(ctx, "POST", srv.URL+"/v1/GetObject", strings.NewReader(reqBody))
			req.Header.Set("Content-Type", "application/json")
			r, err := hc.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, r.Body)
			r.Body.Close()
		}
	})
}
