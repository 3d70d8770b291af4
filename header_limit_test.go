package mocks3_test

// S3 refuses a request header section over 8 KB with an XML
// RequestHeaderSectionTooLarge. Go's server refuses headers over its
// MaxHeaderBytes itself, in plain text: mocks3 sets that far higher, so
// that clients get S3's answer.

import (
	"encoding/xml"
	"net/http"
	"strings"
	"testing"

	"github.com/mocks3/mocks3"
)

func TestLargeHeaderSection(t *testing.T) {
	tests := []struct {
		name       string
		size       int
		wantStatus int
		wantCode   string // "" for Go's plain-text answer
	}{
		{"9 KB", 9 << 10, 400, "RequestHeaderSectionTooLarge"},
		{"2 MiB", 2 << 20, 400, "RequestHeaderSectionTooLarge"},
		// Past 8 MiB Go answers before any handler: documented in doc.go.
		{"9 MiB", 9 << 20, 431, ""},
	}
	srv := mocks3.New(t, mocks3.WithObject(testBucket, "obj", []byte("data")))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{"X-Padding": {strings.Repeat("p", tt.size)}}
			resp, body := rawRequest(t, srv, "PUT", "/"+testBucket+"/padded", h, []byte("x"))
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("PUT with a %s header = %d, want %d", tt.name, resp.StatusCode, tt.wantStatus)
			}
			if tt.wantCode == "" {
				return
			}
			var e s3ErrorBody
			if err := xml.Unmarshal(body, &e); err != nil || e.Code != tt.wantCode {
				t.Errorf("PUT with a %s header: body %.200q (%v), want %s", tt.name, body, err, tt.wantCode)
			}
		})
	}
	srv.CheckNoObject(t, testBucket, "padded")
}
