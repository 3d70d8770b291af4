package gateway

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mocks3/mocks3/internal/s3err"
	"github.com/mocks3/mocks3/internal/s3op"

	"github.com/mocks3/mocks3/s3api"
)

func TestUnrouted(t *testing.T) {
	tests := []struct {
		method, target string
		wantCode       s3api.ErrorCode
		wantType       string // ResourceType of a 405
	}{
		{"POST", "/b/k", s3err.MethodNotAllowed, "OBJECT"},
		{"PATCH", "/b/k", s3err.MethodNotAllowed, "OBJECT"},
		{"TRACE", "/b/k", s3err.MethodNotAllowed, "OBJECT"}, // OPTIONS is a CORS preflight
		{"PATCH", "/b", s3err.MethodNotAllowed, "BUCKET"},   // POST /b is PostObject
		{"PUT", "/", s3err.MethodNotAllowed, "SERVICE"},
		{"GET", "/b?delete", s3err.MethodNotAllowed, "DELETE"},
		{"DELETE", "/b?location", s3err.MethodNotAllowed, "LOCATION"},
		{"POST", "/b/k?tagging", s3err.MethodNotAllowed, "TAGGING"},
		{"GET", "/b?location&uploads", s3err.InvalidRequest, ""},
		{"PUT", "/b/k?acl&tagging", s3err.InvalidRequest, ""},
		{"GET", "/b?fancy", s3err.NotImplemented, ""},
		{"PUT", "/b/k?nonsense", s3err.NotImplemented, ""},
		{"GET", "/b/k?location", s3err.NotImplemented, ""}, // a bucket subresource on an object
	}
	h := New(Config{})
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.target, func(t *testing.T) {
			r := httptest.NewRequest(tt.method, tt.target, nil)
			if op := h.Identify(r).Operation; op != s3op.Unknown {
				t.Fatalf("Identify(%s %s) = %s, want OpUnknown", tt.method, tt.target, op)
			}
			bucket, key := h.split(r)
			err := unrouted(r, r.URL.Query(), targetOf(bucket, key))
			var e *s3err.Error
			if !errors.As(err, &e) || e.Code != tt.wantCode {
				t.Fatalf("unrouted(%s %s) = %v, want %s", tt.method, tt.target, err, tt.wantCode)
			}
			if tt.wantType == "" {
				return
			}
			want := []s3err.ExtraElement{{Name: "Method", Value: tt.method}, {Name: "ResourceType", Value: tt.wantType}}
			if len(e.Extra) != 2 || e.Extra[0] != want[0] || e.Extra[1] != want[1] {
				t.Errorf("unrouted(%s %s) extra = %v, want %v", tt.method, tt.target, e.Extra, want)
			}
		})
	}
}

// TestIdentifyManySubresources: several subresources give OpUnknown
// whatever the map order, never one of them by chance.
func TestIdentifyManySubresources(t *testing.T) {
	h := New(Config{})
	for range 20 {
		r := httptest.NewRequest("GET", "/b?acl&location&versioning&uploads", nil)
		if op := h.Identify(r).Operation; op != s3op.Unknown {
			t.Fatalf("Identify(GET ?acl&location&versioning&uploads) = %s, want OpUnknown", op)
		}
	}
}

// FuzzRouting: any method and query on a bucket or object is routed to an
// operation, or explained by unrouted with an S3 error of status 400, 405 or
// 501; never a panic.
func FuzzRouting(f *testing.F) {
	f.Add("POST", "/b/k", "")
	f.Add("GET", "/b", "location&uploads")
	f.Add("DELETE", "/b", "location")
	f.Add("PUT", "/b/k", "tagging=&acl")
	f.Add("GET", "/b/k", "fancy&partNumber=2")
	h := New(Config{})
	f.Fuzz(func(t *testing.T, method, path, query string) {
		if method == "" || !strings.HasPrefix(path, "/") {
			return
		}
		r, err := http.NewRequest(method, "http://localhost"+path, nil)
		if err != nil {
			return
		}
		r.URL.RawQuery = query
		if h.Identify(r).Operation != s3op.Unknown {
			return
		}
		bucket, key := h.split(r)
		var e *s3err.Error
		if err := unrouted(r, r.URL.Query(), targetOf(bucket, key)); !errors.As(err, &e) {
			t.Fatalf("unrouted(%s %s?%s) = %v, want an S3 error", method, path, query, err)
		}
		switch e.Code.Status() {
		case http.StatusBadRequest, http.StatusMethodNotAllowed, http.StatusNotImplemented:
		default:
			t.Fatalf("unrouted(%s %s?%s) = %s, want 400, 405 or 501", method, path, query, e.Code)
		}
	})
}
