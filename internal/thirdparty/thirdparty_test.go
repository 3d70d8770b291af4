package thirdparty_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/iotest"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"

	"github.com/mocks3/mocks3"
	"github.com/mocks3/mocks3/internal/thirdparty"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// fetched is what a test compares: an Object with its body read.
type fetched struct {
	Body        string
	Size        int64
	ContentType string
	Metadata    map[string]string
}

// fetch fetches bucket/key from o and reads the whole body.
func fetch(t *testing.T, o thirdparty.Origin, bucket, key string) (fetched, error) {
	t.Helper()
	obj, err := o.Fetch(t.Context(), bucket, key)
	if err != nil {
		return fetched{}, err
	}
	defer obj.Body.Close()
	b, err := io.ReadAll(obj.Body)
	if err != nil {
		return fetched{}, err
	}
	return fetched{Body: string(b), Size: obj.Size, ContentType: obj.ContentType, Metadata: obj.Metadata}, nil
}

// originServer serves objects at /{bucket}/{key} (escaped path, so keys
// with any bytes round-trip) and records the escaped paths it was asked.
type originServer struct {
	objects map[string]string // "bucket/key" → body

	mu    sync.Mutex // guards paths
	paths []string
}

func (o *originServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	o.mu.Lock()
	o.paths = append(o.paths, r.URL.EscapedPath())
	o.mu.Unlock()
	switch r.URL.Path {
	case "/b/fail":
		http.Error(w, "origin on fire", http.StatusServiceUnavailable)
		return
	case "/b/chunked":
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusOK)
		io.WriteString(w, "no ")
		http.NewResponseController(w).Flush()
		io.WriteString(w, "length")
		return
	}
	body, ok := o.objects[strings.TrimPrefix(r.URL.Path, "/")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/plain")
	w.Header().Set("X-Amz-Meta-Color", "blue")
	w.Header().Set("x-amz-meta-Owner-Name", "Ann")
	w.Header().Set("X-Other", "ignored")
	io.WriteString(w, body)
}

func TestHTTPOrigin(t *testing.T) {
	os := &originServer{objects: map[string]string{
		"b/a.txt":           "hello",
		"b/dir/sub dir/f%1": "spaces and percent",
		"b/a//b":            "double slash",
		"b/../up":           "dot dot",
		"b/ü?#;+":           "odd bytes",
	}}
	srv := httptest.NewServer(os)
	defer srv.Close()
	o := thirdparty.HTTPOrigin(srv.URL+"/", srv.Client())

	md := map[string]string{"color": "blue", "owner-name": "Ann"}
	tests := []struct {
		key      string
		wantPath string
		want     fetched
		wantErr  error
	}{
		{"a.txt", "/b/a.txt", fetched{"hello", 5, "text/plain", md}, nil},
		{"dir/sub dir/f%1", "/b/dir/sub%20dir/f%251", fetched{"spaces and percent", 18, "text/plain", md}, nil},
		{"a//b", "/b/a//b", fetched{"double slash", 12, "text/plain", md}, nil},
		{"../up", "/b/%2E%2E/up", fetched{"dot dot", 7, "text/plain", md}, nil},
		{"ü?#;+", "/b/%C3%BC%3F%23%3B+", fetched{"odd bytes", 9, "text/plain", md}, nil},
		{"chunked", "/b/chunked", fetched{"no length", -1, "text/plain", nil}, nil},
		{"missing", "/b/missing", fetched{}, thirdparty.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			os.mu.Lock()
			os.paths = nil
			os.mu.Unlock()
			got, err := fetch(t, o, "b", tt.key)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Fetch(b, %q) error = %v, want %v", tt.key, err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Fetch(b, %q) mismatch (-want +got):\n%s", tt.key, diff)
			}
			os.mu.Lock()
			defer os.mu.Unlock()
			if diff := cmp.Diff([]string{tt.wantPath}, os.paths); diff != "" {
				t.Errorf("origin request paths mismatch (-want +got):\n%s", diff)
			}
		})
	}

	t.Run("StatusError", func(t *testing.T) {
		_, err := o.Fetch(t.Context(), "b", "fail")
		var se *thirdparty.StatusError
		if !errors.As(err, &se) || se.StatusCode != http.StatusServiceUnavailable || !strings.Contains(se.Message, "origin on fire") {
			t.Errorf("Fetch(b, fail) = %v, want a *StatusError 503 with the origin's message", err)
		}
		if errors.Is(err, thirdparty.ErrNotFound) {
			t.Errorf("Fetch(b, fail) = %v, must not be ErrNotFound", err)
		}
	})
	t.Run("ContextCancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if _, err := o.Fetch(ctx, "b", "a.txt"); !errors.Is(err, context.Canceled) {
			t.Errorf("Fetch(cancelled) = %v, want context.Canceled", err)
		}
	})
	t.Run("Unreachable", func(t *testing.T) {
		dead := httptest.NewServer(http.NotFoundHandler())
		dead.Close()
		_, err := thirdparty.HTTPOrigin(dead.URL, nil).Fetch(t.Context(), "b", "k")
		if err == nil || errors.Is(err, thirdparty.ErrNotFound) {
			t.Errorf("Fetch from a closed server = %v, want a fetch error", err)
		}
	})
}

func TestS3Origin(t *testing.T) {
	srv := mocks3.New(t,
		mocks3.WithObject("src", "dir/obj.bin", []byte("from s3")),
		mocks3.WithBucket("empty"),
	)
	o := thirdparty.S3Origin(srv.Client())

	got, err := fetch(t, o, "src", "dir/obj.bin")
	if err != nil {
		t.Fatalf("Fetch(src, dir/obj.bin) = %v", err)
	}
	if got.Body != "from s3" || got.Size != int64(len("from s3")) {
		t.Errorf("Fetch(src, dir/obj.bin) = %+v, want body %q of size %d", got, "from s3", len("from s3"))
	}

	tests := []struct{ name, bucket, key string }{
		{"NoSuchKey", "src", "nope"},
		{"NoSuchBucket", "absent", "k"},
		{"EmptyBucket", "empty", "k"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := o.Fetch(t.Context(), tt.bucket, tt.key); !errors.Is(err, thirdparty.ErrNotFound) {
				t.Errorf("Fetch(%s, %s) = %v, want ErrNotFound", tt.bucket, tt.key, err)
			}
		})
	}
}

func TestS3OriginMetadata(t *testing.T) {
	srv := mocks3.New(t, mocks3.WithBucket("src"))
	client := srv.Client()
	_, err := client.PutObject(t.Context(), &s3.PutObjectInput{
		Bucket:      aws.String("src"),
		Key:         aws.String("m"),
		Body:        strings.NewReader("meta"),
		ContentType: aws.String("text/x-test"),
		Metadata:    map[string]string{"Color": "blue"},
	})
	if err != nil {
		t.Fatalf("PutObject() = %v", err)
	}
	got, err := fetch(t, thirdparty.S3Origin(client), "src", "m")
	if err != nil {
		t.Fatalf("Fetch(src, m) = %v", err)
	}
	want := fetched{Body: "meta", Size: 4, ContentType: "text/x-test", Metadata: map[string]string{"color": "blue"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Fetch(src, m) mismatch (-want +got):\n%s", diff)
	}
}

func TestFuncOrigin(t *testing.T) {
	boom := errors.New("boom")
	o := thirdparty.FuncOrigin(func(ctx context.Context, bucket, key string) ([]byte, error) {
		switch key {
		case "hit":
			return []byte(bucket + "/" + key), nil
		case "empty":
			return nil, nil
		case "boom":
			return nil, boom
		}
		return nil, thirdparty.ErrNotFound
	})
	tests := []struct {
		key     string
		want    fetched
		wantErr error
	}{
		{"hit", fetched{Body: "b/hit", Size: 5}, nil},
		{"empty", fetched{Body: "", Size: 0}, nil},
		{"boom", fetched{}, boom},
		{"miss", fetched{}, thirdparty.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			got, err := fetch(t, o, "b", tt.key)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Fetch(b, %q) error = %v, want %v", tt.key, err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Fetch(b, %q) mismatch (-want +got):\n%s", tt.key, diff)
			}
		})
	}
}

// testOrigin is a FuncOrigin with a hit, a miss and a failure.
func testOrigin() thirdparty.Origin {
	return thirdparty.FuncOrigin(func(ctx context.Context, bucket, key string) ([]byte, error) {
		switch key {
		case "fail":
			return nil, errors.New("origin on fire")
		case "missing":
			return nil, thirdparty.ErrNotFound
		}
		return []byte("data:" + bucket + "/" + key), nil
	})
}

func TestCounting(t *testing.T) {
	c := thirdparty.NewCounting(testOrigin())
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			for _, key := range []string{"a", "b", "missing", "fail"} {
				if obj, err := c.Fetch(context.Background(), "b", key); err == nil {
					obj.Body.Close()
				}
			}
		})
	}
	wg.Wait()
	if diff := cmp.Diff(thirdparty.Stats{Hits: 20, Misses: 10, FetchErrors: 10}, c.Stats()); diff != "" {
		t.Errorf("Stats() mismatch (-want +got):\n%s", diff)
	}
}

// objectOrigin serves fixed Objects by key, to control every field.
type objectOrigin map[string]func() thirdparty.Object

func (o objectOrigin) Fetch(ctx context.Context, bucket, key string) (thirdparty.Object, error) {
	f, ok := o[key]
	if !ok {
		return thirdparty.Object{}, thirdparty.ErrNotFound
	}
	return f(), nil
}

// serve runs NewHandler(o) on a test server and returns a Client for it.
func serve(t *testing.T, o thirdparty.Origin, stats func() thirdparty.Stats) (*thirdparty.Client, *httptest.Server) {
	srv := httptest.NewServer(thirdparty.NewHandler(o, stats))
	t.Cleanup(srv.Close)
	return thirdparty.NewClient(srv.URL+"/", srv.Client()), srv
}

func TestClient(t *testing.T) {
	counting := thirdparty.NewCounting(testOrigin())
	c, _ := serve(t, counting, counting.Stats)

	tests := []struct {
		key  string
		want fetched
	}{
		{"plain", fetched{Body: "data:b/plain", Size: 12}},
		{"a//b", fetched{Body: "data:b/a//b", Size: 11}},
		{"../x/./y", fetched{Body: "data:b/../x/./y", Size: 15}},
		{"sp ace/%41/ü?#", fetched{Body: "data:b/sp ace/%41/ü?#", Size: 22}},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			got, err := fetch(t, c, "b", tt.key)
			if err != nil {
				t.Fatalf("Fetch(b, %q) = %v", tt.key, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Fetch(b, %q) mismatch (-want +got):\n%s", tt.key, diff)
			}
		})
	}

	if _, err := c.Fetch(t.Context(), "b", "missing"); !errors.Is(err, thirdparty.ErrNotFound) {
		t.Errorf("Fetch(b, missing) = %v, want ErrNotFound", err)
	}
	_, err := c.Fetch(t.Context(), "b", "fail")
	var se *thirdparty.StatusError
	if !errors.As(err, &se) || se.StatusCode != http.StatusBadGateway || !strings.Contains(se.Message, "origin on fire") {
		t.Errorf("Fetch(b, fail) = %v, want a *StatusError 502 carrying the origin's message", err)
	}

	st, err := c.Stats(t.Context())
	if err != nil {
		t.Fatalf("Stats() = %v", err)
	}
	if diff := cmp.Diff(thirdparty.Stats{Hits: int64(len(tests)), Misses: 1, FetchErrors: 1}, st); diff != "" {
		t.Errorf("Stats() mismatch (-want +got):\n%s", diff)
	}

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := c.Fetch(ctx, "b", "plain"); !errors.Is(err, context.Canceled) {
		t.Errorf("Fetch(cancelled) = %v, want context.Canceled", err)
	}
	if _, err := c.Stats(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Stats(cancelled) = %v, want context.Canceled", err)
	}
}

func TestClientHeadersAndStreaming(t *testing.T) {
	// Large enough that net/http cannot buffer it and add a Content-Length;
	// HTML, so a sniffed Content-Type would show.
	unsized := "<html>" + strings.Repeat("x", 64<<10)
	o := objectOrigin{
		"full": func() thirdparty.Object {
			return thirdparty.Object{
				Body:        io.NopCloser(strings.NewReader("0123456789")),
				Size:        10,
				ContentType: "application/x-test",
				Metadata:    map[string]string{"color": "blue", "owner-name": "Ann"},
			}
		},
		"unsized": func() thirdparty.Object {
			return thirdparty.Object{Body: io.NopCloser(strings.NewReader(unsized)), Size: -1}
		},
		"broken-sized": func() thirdparty.Object {
			return thirdparty.Object{Body: io.NopCloser(io.MultiReader(strings.NewReader("01234"), iotest.ErrReader(errors.New("disk gone")))), Size: 10}
		},
		"broken-unsized": func() thirdparty.Object {
			return thirdparty.Object{Body: io.NopCloser(io.MultiReader(strings.NewReader("01234"), iotest.ErrReader(errors.New("disk gone")))), Size: -1}
		},
		"short": func() thirdparty.Object {
			return thirdparty.Object{Body: io.NopCloser(strings.NewReader("01234")), Size: 10}
		},
	}
	c, srv := serve(t, o, nil)

	got, err := fetch(t, c, "b", "full")
	if err != nil {
		t.Fatal(err)
	}
	want := fetched{Body: "0123456789", Size: 10, ContentType: "application/x-test", Metadata: map[string]string{"color": "blue", "owner-name": "Ann"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Fetch(b, full) mismatch (-want +got):\n%s", diff)
	}

	got, err = fetch(t, c, "b", "unsized")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(fetched{Body: unsized, Size: -1}, got); diff != "" {
		t.Errorf("Fetch(b, unsized) mismatch (-want +got):\n%s", diff)
	}

	for _, key := range []string{"broken-sized", "broken-unsized", "short"} {
		if got, err := fetch(t, c, "b", key); err == nil {
			t.Errorf("Fetch(b, %s) read %+v without error, want the broken body reported", key, got)
		}
	}

	// HEAD gives the headers and no body.
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodHead, srv.URL+"/v1/objects/b/full", nil)
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.ContentLength != 10 || resp.Header.Get("X-Amz-Meta-Color") != "blue" {
		t.Errorf("HEAD full = %d, length %d, headers %v", resp.StatusCode, resp.ContentLength, resp.Header)
	}

	// Stats with no stats function are zero.
	st, err := c.Stats(t.Context())
	if err != nil || st != (thirdparty.Stats{}) {
		t.Errorf("Stats() with nil stats func = %+v, %v; want zero", st, err)
	}
}

func TestHandlerRequests(t *testing.T) {
	_, srv := serve(t, testOrigin(), nil)
	tests := []struct {
		method, path string
		status       int
		code         string
	}{
		{"GET", "/v1/objects/b", http.StatusBadRequest, "BadRequest"},
		{"GET", "/v1/objects/b/", http.StatusBadRequest, "BadRequest"},
		{"GET", "/v1/objects//k", http.StatusBadRequest, "BadRequest"},
		{"PUT", "/v1/objects/b/k", http.StatusMethodNotAllowed, "MethodNotAllowed"},
		{"GET", "/v1/objects/b/missing", http.StatusNotFound, "NotFound"},
		{"GET", "/v1/objects/b/fail", http.StatusBadGateway, "FetchError"},
		{"GET", "/elsewhere", http.StatusNotFound, ""},
	}
	for _, tt := range tests {
		t.Run(tt.method+tt.path, func(t *testing.T) {
			req, _ := http.NewRequestWithContext(t.Context(), tt.method, srv.URL+tt.path, nil)
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != tt.status {
				t.Errorf("%s %s = %d, want %d", tt.method, tt.path, resp.StatusCode, tt.status)
			}
			if tt.code == "" {
				return
			}
			var body struct{ Code, Message string }
			if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
				t.Fatalf("decoding error body: %v", err)
			}
			if body.Code != tt.code || body.Message == "" {
				t.Errorf("error body = %+v, want code %q and a message", body, tt.code)
			}
		})
	}
}

func TestHealth(t *testing.T) {
	_, srv := serve(t, testOrigin(), nil)
	resp, err := srv.Client().Get(srv.URL + "/health")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got map[string]string
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]string{"status": "healthy", "service": "third-party"}, got); diff != "" {
		t.Errorf("GET /health mismatch (-want +got):\n%s", diff)
	}
}
