package cmdserver_test

import (
	"context"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/mocks3/mocks3/internal/s3op"

	"go.uber.org/goleak"

	"github.com/mocks3/mocks3"
	"github.com/mocks3/mocks3/internal/cmdserver"
	"github.com/mocks3/mocks3/s3api"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestObserverAndAdminHandler: the binary's options reach NewServer among
// the public ones.
func TestObserverAndAdminHandler(t *testing.T) {
	var mu sync.Mutex
	var ops []s3api.Operation
	observe := func(r s3api.Record) {
		mu.Lock()
		defer mu.Unlock()
		ops = append(ops, r.Operation)
	}
	metrics := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "requests 1\n") })
	srv := mocks3.New(t, cmdserver.Observer(observe), cmdserver.AdminHandler("metrics", metrics))

	if _, err := srv.Client().ListBuckets(context.Background(), nil); err != nil {
		t.Fatalf("ListBuckets = %v", err)
	}
	mu.Lock()
	got := slices.Clone(ops)
	mu.Unlock()
	if !slices.Equal(got, []s3api.Operation{s3op.ListBuckets}) {
		t.Errorf("observed operations = %v, want [ListBuckets]", got)
	}

	resp, err := srv.HTTPClient().Get(srv.URL + "/_mocks3/metrics/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || string(body) != "requests 1\n" {
		t.Errorf("GET /_mocks3/metrics/ = %d %q, want 200 from the admin handler", resp.StatusCode, body)
	}
}

func TestStackAddrsAndServiceWrapper(t *testing.T) {
	var mu sync.Mutex
	var wrapped []string
	wrap := func(service string, h http.Handler) http.Handler {
		mu.Lock()
		defer mu.Unlock()
		wrapped = append(wrapped, service)
		return h
	}
	srv := mocks3.New(t, cmdserver.StackAddrs("127.0.0.1:0", "", "", "", ""), cmdserver.ServiceWrapper(wrap))
	st := srv.Stack()
	if !strings.HasPrefix(st.Metadata, "http://127.0.0.1:") || len(st.Storage) != 1 || st.Queue == "" || st.Faults == "" {
		t.Errorf("Stack() = %+v, want the roles served (StackAddrs implies stack mode)", st)
	}
	mu.Lock()
	defer mu.Unlock()
	slices.Sort(wrapped)
	if want := []string{"metadata", "mock-error", "queue", "storage-1"}; !slices.Equal(wrapped, want) {
		t.Errorf("wrapped services = %v, want %v", wrapped, want)
	}
}

func TestOptionErrors(t *testing.T) {
	tests := []struct {
		name string
		opt  mocks3.Option
		want string
	}{
		{"too many stack addresses", cmdserver.StackAddrs("", "", "", "", "", ""), "StackAddrs: 6 addresses"},
		{"admin route over the API", cmdserver.AdminHandler("api", http.NotFoundHandler()), `AdminHandler: bad name "api"`},
		{"admin route with a slash", cmdserver.AdminHandler("a/b", http.NotFoundHandler()), `AdminHandler: bad name "a/b"`},
		{"nil observer", cmdserver.Observer(nil), "Observer: nil function"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, err := mocks3.NewServer(tt.opt)
			if err == nil {
				srv.Close()
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("NewServer = %v, want an error saying %q", err, tt.want)
			}
		})
	}
}

func TestRoleService(t *testing.T) {
	h, release, err := cmdserver.RoleService("metadata", "", "")
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	req, _ := http.NewRequest("GET", "/health", nil)
	req.Header.Set("Origin", "http://evil.example")
	rec := &recorder{header: http.Header{}}
	h.ServeHTTP(rec, req)
	if rec.status != http.StatusForbidden {
		t.Errorf("GET /health with an Origin = %d, want 403: role services refuse browsers", rec.status)
	}
	for _, tt := range []struct{ name, origin, want string }{
		{"billing", "", `unknown role "billing"`},
		{"third-party", "", "needs an origin URL"},
	} {
		if _, _, err := cmdserver.RoleService(tt.name, "", tt.origin); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("RoleService(%q) = %v, want an error saying %q", tt.name, err, tt.want)
		}
	}
}

type recorder struct {
	header http.Header
	status int
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) Write(p []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return len(p), nil
}
func (r *recorder) WriteHeader(status int) { r.status = status }
