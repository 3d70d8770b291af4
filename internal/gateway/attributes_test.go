package gateway

import (
	"errors"
	"net/http"
	"testing"

	"github.com/mocks3/mocks3/internal/s3err"

	"github.com/mocks3/mocks3/s3api"
)

func TestParseObjectAttrs(t *testing.T) {
	tests := []struct {
		name     string
		header   http.Header
		want     objectAttrs
		wantCode s3api.ErrorCode
	}{
		{"none", http.Header{}, objectAttrs{}, ""},
		{"STANDARD stored as none", http.Header{"X-Amz-Storage-Class": {"STANDARD"}}, objectAttrs{}, ""},
		{"GLACIER", http.Header{"X-Amz-Storage-Class": {"GLACIER"}}, objectAttrs{storageClass: "GLACIER"}, ""},
		{"lower-case class", http.Header{"X-Amz-Storage-Class": {"glacier"}}, objectAttrs{}, s3err.InvalidStorageClass},
		{"unknown class", http.Header{"X-Amz-Storage-Class": {"FROZEN"}}, objectAttrs{}, s3err.InvalidStorageClass},
		{"path", http.Header{"X-Amz-Website-Redirect-Location": {"/a/b.html"}}, objectAttrs{redirect: "/a/b.html"}, ""},
		{"http", http.Header{"X-Amz-Website-Redirect-Location": {"http://example.com"}}, objectAttrs{redirect: "http://example.com"}, ""},
		{"https", http.Header{"X-Amz-Website-Redirect-Location": {"https://example.com/x"}}, objectAttrs{redirect: "https://example.com/x"}, ""},
		{"relative", http.Header{"X-Amz-Website-Redirect-Location": {"a.html"}}, objectAttrs{}, s3err.InvalidRedirectLocation},
		{"other scheme", http.Header{"X-Amz-Website-Redirect-Location": {"ftp://example.com"}}, objectAttrs{}, s3err.InvalidRedirectLocation},
		{"upper-case scheme", http.Header{"X-Amz-Website-Redirect-Location": {"HTTP://example.com"}}, objectAttrs{}, s3err.InvalidRedirectLocation},
		{"not UTF-8", http.Header{"X-Amz-Website-Redirect-Location": {"/\xff"}}, objectAttrs{}, s3err.InvalidRedirectLocation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseObjectAttrs(tt.header)
			if tt.wantCode != "" {
				var e *s3err.Error
				if !errors.As(err, &e) || e.Code != tt.wantCode {
					t.Fatalf("parseObjectAttrs(%v) = %+v, %v, want %s", tt.header, got, err, tt.wantCode)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("parseObjectAttrs(%v) = %+v, %v, want %+v, nil", tt.header, got, err, tt.want)
			}
		})
	}
}

// FuzzObjectAttrs: any storage class and redirect header gives attributes
// that are valid to store, or a client error.
func FuzzObjectAttrs(f *testing.F) {
	f.Add("GLACIER_IR", "/x")
	f.Add("STANDARD", "https://example.com")
	f.Add("", "nowhere")
	f.Add("x", "/\xff")
	f.Fuzz(func(t *testing.T, class, redirect string) {
		h := http.Header{"X-Amz-Storage-Class": {class}, "X-Amz-Website-Redirect-Location": {redirect}}
		a, err := parseObjectAttrs(h)
		if err != nil {
			var e *s3err.Error
			if !errors.As(err, &e) || e.Code.Status() != http.StatusBadRequest {
				t.Fatalf("parseObjectAttrs(%q, %q) = %v, want a 400", class, redirect, err)
			}
			return
		}
		if a.storageClass != "" && (!validStorageClass(a.storageClass) || a.storageClass == "STANDARD") {
			t.Fatalf("parseObjectAttrs(%q, %q) stores class %q", class, redirect, a.storageClass)
		}
		if a.redirect != redirect && redirect != "" {
			t.Fatalf("parseObjectAttrs(%q, %q) stores redirect %q", class, redirect, a.redirect)
		}
	})
}
