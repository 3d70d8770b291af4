package gateway

import (
	"errors"
	"net/http/httptest"
	"testing"

	"github.com/mocks3/mocks3/s3api"
)

func TestUnrouted(t *testing.T) {
	tests := []struct {
		method, target string
		wantCode       s3api.ErrorCode
		wantType       string // ResourceType of a 405
	}{
		{"POST", "/b/k", s3api.ErrMethodNotAllowed, "OBJECT"},
		{"PATCH", "/b/k", s3api.ErrMethodNotAllowed, "OBJECT"},
		{"OPTIONS", "/b/k", s3api.ErrMethodNotAllowed, "OBJECT"},
		{"POST", "/b", s3api.ErrMethodNotAllowed, "BUCKET"},
		{"PUT", "/", s3api.ErrMethodNotAllowed, "SERVICE"},
		{"GET", "/b?delete", s3api.ErrMethodNotAllowed, "DELETE"},
		{"DELETE", "/b?location", s3api.ErrMethodNotAllowed, "LOCATION"},
		{"POST", "/b/k?tagging", s3api.ErrMethodNotAllowed, "TAGGING"},
		{"GET", "/b?location&uploads", s3api.ErrInvalidRequest, ""},
		{"PUT", "/b/k?acl&tagging", s3api.ErrInvalidRequest, ""},
		{"GET", "/b?fancy", s3api.ErrNotImplemented, ""},
		{"PUT", "/b/k?nonsense", s3api.ErrNotImplemented, ""},
		{"GET", "/b/k?location", s3api.ErrNotImplemented, ""}, // a bucket subresource on an object
	}
	h := New(Config{})
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.target, func(t *testing.T) {
			r := httptest.NewRequest(tt.method, tt.target, nil)
			if op := h.Identify(r).Operation; op != s3api.OpUnknown {
				t.Fatalf("Identify(%s %s) = %s, want OpUnknown", tt.method, tt.target, op)
			}
			bucket, key := h.split(r)
			err := unrouted(r, r.URL.Query(), targetOf(bucket, key))
			var e *s3api.Error
			if !errors.As(err, &e) || e.Code != tt.wantCode {
				t.Fatalf("unrouted(%s %s) = %v, want %s", tt.method, tt.target, err, tt.wantCode)
			}
			if tt.wantType == "" {
				return
			}
			want := []s3api.ExtraElement{{Name: "Method", Value: tt.method}, {Name: "ResourceType", Value: tt.wantType}}
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
		if op := h.Identify(r).Operation; op != s3api.OpUnknown {
			t.Fatalf("Identify(GET ?acl&location&versioning&uploads) = %s, want OpUnknown", op)
		}
	}
}
