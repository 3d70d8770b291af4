package main

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestExposureFlags checks that -admin-token closes the admin API and that
// -domain adds a host name the server answers to.
func TestExposureFlags(t *testing.T) {
	base, _ := serve(t, "-admin-token", "tok", "-domain", "s3.internal,other.internal", "-bucket", "bkt")
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{}
	defer client.CloseIdleConnections()
	do := func(method, path, host string, header map[string]string, body string) int {
		t.Helper()
		req, err := http.NewRequest(method, base+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if host != "" {
			req.Host = host
		}
		for k, v := range header {
			req.Header.Set(k, v)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	rule := `{"name": "x", "operation": "DeleteBucket", "action": {"type": "http_error", "http_code": 500}}`
	tests := []struct {
		name, method, path, host string
		header                   map[string]string
		body                     string
		want                     int
	}{
		{"rule without the token", "POST", "/_mocks3/api/v1/rules", "", map[string]string{"Content-Type": "application/json"}, rule, 401},
		{"rule with the token", "POST", "/_mocks3/api/v1/rules", "", map[string]string{"Content-Type": "application/json", "Authorization": "Bearer tok"}, rule, 201},
		{"health without the token", "GET", "/_mocks3/health", "", nil, "", 200},
		{"foreign host", "GET", "/bkt/", "evil.example:" + u.Port(), nil, "", 400},
		{"a -domain name", "GET", "/bkt/", "s3.internal:" + u.Port(), nil, "", 200},
		{"virtual-hosted under a -domain name", "GET", "/", "bkt.other.internal", nil, "", 200},
	}
	for _, tt := range tests {
		if got := do(tt.method, tt.path, tt.host, tt.header, tt.body); got != tt.want {
			t.Errorf("%s: %s %s (Host %q) = %d, want %d", tt.name, tt.method, tt.path, tt.host, got, tt.want)
		}
	}
}
