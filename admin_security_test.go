package mocks3_test

import (
	"bytes"
	"encoding/xml"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/mocks3/mocks3"
	"github.com/mocks3/mocks3/internal/cmdserver"
)

// loseWriteRule is what a hostile page posted in the report: every later
// PutObject is acknowledged and lost.
const loseWriteRule = `{"name": "evil", "service": "storage", "action": {"type": "lose_write"}}`

// sendTo sends a request to base+path with the given Host (the URL's when
// empty) and headers, through client, and returns the status and body.
func sendTo(t *testing.T, client *http.Client, base, method, path, host string, header map[string]string, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body == "" {
		req.Body, req.ContentLength = http.NoBody, 0
	}
	if host != "" {
		req.Host = host
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, b := doRequest(t, client, req)
	return resp.StatusCode, string(b)
}

func send(t *testing.T, srv *mocks3.Server, method, path, host string, header map[string]string, body string) (int, string) {
	t.Helper()
	return sendTo(t, srv.HTTPClient(), srv.URL, method, path, host, header, body)
}

func serverHostPort(t *testing.T, srv *mocks3.Server) (host, port string) {
	t.Helper()
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	return u.Hostname(), u.Port()
}

// TestAdminRefusesWebPages sends the admin API what a web page can send
// cross-origin without a CORS preflight, and what it can send after DNS
// rebinding, and checks that none of it adds a rule; curl's and the SDK
// tests' requests still do.
func TestAdminRefusesWebPages(t *testing.T) {
	srv := mocks3.New(t)
	_, port := serverHostPort(t, srv)
	self := srv.URL // the server's own origin
	tests := []struct {
		name       string
		host       string
		header     map[string]string
		wantStatus int
		wantInBody string
	}{
		{"text/plain from another site", "", map[string]string{"Content-Type": "text/plain", "Origin": "https://evil.example"},
			http.StatusForbidden, "cross-origin"},
		{"text/plain without Origin", "", map[string]string{"Content-Type": "text/plain;charset=UTF-8"},
			http.StatusUnsupportedMediaType, "application/json"},
		{"form body", "", map[string]string{"Content-Type": "application/x-www-form-urlencoded"},
			http.StatusUnsupportedMediaType, "application/json"},
		{"no Content-Type", "", nil, http.StatusUnsupportedMediaType, "application/json"},
		{"JSON from another site", "", map[string]string{"Content-Type": "application/json", "Origin": "https://evil.example"},
			http.StatusForbidden, "evil.example"},
		{"JSON from a sandboxed page", "", map[string]string{"Content-Type": "application/json", "Origin": "null"},
			http.StatusForbidden, "cross-origin"},
		{"JSON from another local port", "", map[string]string{"Content-Type": "application/json", "Origin": "http://127.0.0.1:1"},
			http.StatusForbidden, "cross-origin"},
		{"DNS rebinding", "rebind.evil.example:" + port, map[string]string{"Content-Type": "application/json"},
			http.StatusBadRequest, "<Code>InvalidRequest</Code>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := send(t, srv, "POST", "/_mocks3/api/v1/rules", tt.host, tt.header, loseWriteRule)
			if status != tt.wantStatus || !strings.Contains(body, tt.wantInBody) {
				t.Errorf("POST /_mocks3/api/v1/rules = %d %s, want %d containing %q", status, body, tt.wantStatus, tt.wantInBody)
			}
			if n := len(srv.Faults().Rules()); n != 0 {
				t.Fatalf("%d rules after a refused request, want 0", n)
			}
		})
	}
	// Bodiless POSTs change state too (stats/reset, rules/{id}/disable).
	status, _ := send(t, srv, "POST", "/_mocks3/api/v1/stats/reset", "", map[string]string{"Origin": "https://evil.example"}, "")
	if status != http.StatusForbidden {
		t.Errorf("cross-origin POST /_mocks3/api/v1/stats/reset = %d, want 403", status)
	}

	// What curl, the seed README and same-origin pages send is served.
	for _, origin := range []string{"", self} {
		h := map[string]string{"Content-Type": "application/json; charset=utf-8"}
		if origin != "" {
			h["Origin"] = origin
		}
		if status, body := send(t, srv, "POST", "/_mocks3/api/v1/rules", "", h, seedREADMEErrorRule); status != http.StatusCreated {
			t.Errorf("POST /_mocks3/api/v1/rules with Origin %q = %d %s, want 201", origin, status, body)
		}
	}
	if status, body := send(t, srv, "POST", "/_mocks3/api/v1/rules", "localhost:"+port,
		map[string]string{"Content-Type": "application/json", "Origin": "http://localhost:" + port}, seedREADMEDelayRule); status != http.StatusCreated {
		t.Errorf("POST /_mocks3/api/v1/rules to localhost = %d %s, want 201", status, body)
	}
	if n := len(srv.Faults().Rules()); n != 3 {
		t.Errorf("%d rules, want 3", n)
	}
}

// TestForeignHostRefused reads an object as a page that rebound its own
// name to the server's address would, and checks the S3 error; the names
// the server serves still work.
func TestForeignHostRefused(t *testing.T) {
	srv := mocks3.New(t, mocks3.WithObject("bkt", "secret", []byte("s3cr3t")), cmdserver.BaseDomain("s3.internal"))
	_, port := serverHostPort(t, srv)
	tests := []struct {
		host       string
		path       string
		wantStatus int
	}{
		{"rebind.evil.example:" + port, "/bkt/secret", http.StatusBadRequest},
		{"bkt.evil.example:" + port, "/secret", http.StatusBadRequest},
		{"localhost.evil.example:" + port, "/bkt/secret", http.StatusBadRequest},
		{"s3.internal.evil.example", "/bkt/secret", http.StatusBadRequest},
		{"127.0.0.1:" + port, "/bkt/secret", http.StatusOK},
		{"[::1]:" + port, "/bkt/secret", http.StatusOK},
		{"localhost:" + port, "/bkt/secret", http.StatusOK},
		{"LOCALHOST.:" + port, "/bkt/secret", http.StatusOK},
		{"bkt.localhost:" + port, "/secret", http.StatusOK},
		{"s3.internal", "/bkt/secret", http.StatusOK},
		{"bkt.s3.internal:" + port, "/secret", http.StatusOK},
	}
	for _, tt := range tests {
		status, body := send(t, srv, "GET", tt.path, tt.host, nil, "")
		if status != tt.wantStatus {
			t.Errorf("GET %s with Host %s = %d %s, want %d", tt.path, tt.host, status, body, tt.wantStatus)
			continue
		}
		if status == http.StatusOK {
			if body != "s3cr3t" {
				t.Errorf("GET %s with Host %s = %q, want the object", tt.path, tt.host, body)
			}
			continue
		}
		var e s3ErrorBody
		if err := xml.Unmarshal([]byte(body), &e); err != nil || e.Code != "InvalidRequest" ||
			!strings.Contains(e.Message, "-domain") || strings.Contains(body, "s3cr3t") {
			t.Errorf("GET %s with Host %s = %s, want an InvalidRequest error naming -domain", tt.path, tt.host, body)
		}
	}
	// A HEAD answer has no body: the status alone must say it.
	if status, _ := send(t, srv, "HEAD", "/bkt/secret", "rebind.evil.example", nil, ""); status != http.StatusBadRequest {
		t.Errorf("HEAD with a foreign Host = %d, want 400", status)
	}
}

// TestCrossOriginPostRefused: DeleteObjects is a POST, which a page may send
// to another origin without a preflight.
func TestCrossOriginPostRefused(t *testing.T) {
	srv := mocks3.New(t, mocks3.WithObject("bkt", "k", []byte("v")))
	del := `<Delete><Object><Key>k</Key></Object></Delete>`
	status, body := send(t, srv, "POST", "/bkt?delete", "", map[string]string{"Content-Type": "text/plain", "Origin": "https://evil.example"}, del)
	if status != http.StatusForbidden || !strings.Contains(body, "<Code>AccessDenied</Code>") {
		t.Errorf("cross-origin DeleteObjects = %d %s, want 403 AccessDenied", status, body)
	}
	srv.CheckObject(t, "bkt", "k", []byte("v"))
	// The SDK sends no Origin.
	_, err := srv.Client().DeleteObject(t.Context(), &s3.DeleteObjectInput{Bucket: aws.String("bkt"), Key: aws.String("k")})
	if err != nil {
		t.Errorf("DeleteObject through the SDK = %v", err)
	}
}

// TestAdminToken checks that the AdminToken option closes the admin API, and only
// it, to requests without the token.
func TestAdminToken(t *testing.T) {
	srv := mocks3.New(t, cmdserver.AdminToken("s3cret-token"), mocks3.WithBucket("bkt"))
	json := map[string]string{"Content-Type": "application/json"}
	with := func(auth string) map[string]string {
		return map[string]string{"Content-Type": "application/json", "Authorization": auth}
	}
	for _, h := range []map[string]string{json, with("Bearer wrong"), with("s3cret-token"), with("Basic czNjcmV0LXRva2Vu")} {
		if status, body := send(t, srv, "POST", "/_mocks3/api/v1/rules", "", h, loseWriteRule); status != http.StatusUnauthorized {
			t.Errorf("POST rule with Authorization %q = %d %s, want 401", h["Authorization"], status, body)
		}
		if status, _ := send(t, srv, "GET", "/_mocks3/api/v1/rules", "", h, ""); status != http.StatusUnauthorized {
			t.Errorf("GET rules with Authorization %q = %d, want 401", h["Authorization"], status)
		}
	}
	if n := len(srv.Faults().Rules()); n != 0 {
		t.Fatalf("%d rules added without the token, want 0", n)
	}
	if status, body := send(t, srv, "POST", "/_mocks3/api/v1/rules", "", with("Bearer s3cret-token"), seedREADMEErrorRule); status != http.StatusCreated {
		t.Errorf("POST rule with the token = %d %s, want 201", status, body)
	}
	if status, _ := send(t, srv, "GET", "/_mocks3/health", "", nil, ""); status != http.StatusOK {
		t.Errorf("GET /_mocks3/health without the token = %d, want 200", status)
	}
	if _, err := srv.Client().PutObject(t.Context(), &s3.PutObjectInput{Bucket: aws.String("bkt"), Key: aws.String("k"),
		Body: bytes.NewReader([]byte("v"))}); err != nil {
		t.Errorf("PutObject with an admin token set = %v, want success", err)
	}
	if _, err := mocks3.NewServer(cmdserver.AdminToken("")); err == nil || !strings.Contains(err.Error(), "AdminToken") {
		t.Errorf("NewServer(AdminToken(\"\")) = %v, want an error naming the option", err)
	}
}

// TestStackFaultServiceRefusesWebPages: in stack mode the fault API also
// listens on its own port, like the seed's mock-error service.
func TestStackFaultServiceRefusesWebPages(t *testing.T) {
	srv := mocks3.New(t, mocks3.WithStack(), cmdserver.AdminToken("tok"))
	faultsURL := srv.Stack().Faults
	client := &http.Client{}
	t.Cleanup(client.CloseIdleConnections)
	u, _ := url.Parse(faultsURL)
	_, port, _ := net.SplitHostPort(u.Host)
	auth := "Bearer tok"
	tests := []struct {
		name       string
		host       string
		header     map[string]string
		wantStatus int
	}{
		{"text/plain", "", map[string]string{"Content-Type": "text/plain", "Authorization": auth}, http.StatusUnsupportedMediaType},
		{"foreign Origin", "", map[string]string{"Content-Type": "application/json", "Origin": "https://evil.example", "Authorization": auth}, http.StatusForbidden},
		{"DNS rebinding", "evil.example:" + port, map[string]string{"Content-Type": "application/json", "Authorization": auth}, http.StatusBadRequest},
		{"no token", "", map[string]string{"Content-Type": "application/json"}, http.StatusUnauthorized},
		{"curl with the token", "", map[string]string{"Content-Type": "application/json", "Authorization": auth}, http.StatusCreated},
	}
	for _, tt := range tests {
		status, body := sendTo(t, client, faultsURL, "POST", "/api/v1/rules", tt.host, tt.header, loseWriteRule)
		if status != tt.wantStatus {
			t.Errorf("%s: POST %s/api/v1/rules = %d %s, want %d", tt.name, faultsURL, status, body, tt.wantStatus)
		}
	}
	if n := len(srv.Faults().Rules()); n != 1 {
		t.Errorf("%d rules, want the 1 added with the token", n)
	}
	// The role services are only for the gateway.
	status, _ := sendTo(t, client, srv.Stack().Metadata, "GET", "/health", "", map[string]string{"Origin": "https://evil.example"}, "")
	if status != http.StatusForbidden {
		t.Errorf("metadata service with an Origin = %d, want 403", status)
	}
}
