package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// start runs the binary's run in the background and returns its URL; the
// run ends when the test does.
func start(t *testing.T, args ...string) (string, *strings.Builder) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	urls := make(chan string, 1)
	done := make(chan error, 1)
	log := &strings.Builder{}
	go func() { done <- run(ctx, args, &syncWriter{w: log}, func(u string) { urls <- u }) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run(%q) after shutdown = %v", args, err)
		}
	})
	select {
	case u := <-urls:
		return u, log
	case err := <-done:
		t.Fatalf("run(%q) = %v", args, err)
	}
	return "", nil
}

func do(t *testing.T, method, url, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestStackMode(t *testing.T) {
	defer http.DefaultClient.CloseIdleConnections()
	any := "127.0.0.1:0"
	u, log := start(t, "stack", "-addr", any, "-metadata-addr", any, "-storage-addr", any, "-queue-addr", any,
		"-third-party-addr", any, "-faults-addr", any, "-nodes", "2", "-bucket", "stacked", "-third-party", "http://127.0.0.1:1")
	if code, _ := do(t, "PUT", u+"/stacked/k", "through the stack"); code != 200 {
		t.Fatalf("PUT = %d, want 200", code)
	}
	if code, body := do(t, "GET", u+"/stacked/k", ""); code != 200 || body != "through the stack" {
		t.Errorf("GET = %d %q, want the object", code, body)
	}
	if code, body := do(t, "GET", u+"/_mocks3/metrics", ""); code != 200 ||
		!strings.Contains(body, `mocks3_requests_total{operation="PutObject",status="200"} 1`) {
		t.Errorf("metrics = %d, want a PutObject count:\n%.2000s", code, body)
	}
	if !strings.Contains(log.String(), "metadata=http://127.0.0.1:") {
		t.Errorf("the log does not say where the services listen:\n%s", log)
	}
}

// TestServicesBehindGateway runs each role as its own service, as
// "mocks3 service" does, and a gateway in front of them.
func TestServicesBehindGateway(t *testing.T) {
	defer http.DefaultClient.CloseIdleConnections()
	meta, _ := start(t, "service", "metadata")
	data, _ := start(t, "service", "storage", "-dir", t.TempDir())
	q, _ := start(t, "service", "queue")
	for name, u := range map[string]string{"metadata": meta, "storage": data, "queue": q} {
		if code, body := do(t, "GET", u+"/health", ""); code != 200 || !strings.Contains(body, "healthy") {
			t.Errorf("%s /health = %d %q", name, code, body)
		}
		if code, body := do(t, "GET", u+"/metrics", ""); code != 200 || !strings.Contains(body, "mocks3_service_requests_total") {
			t.Errorf("%s /metrics = %d, want service metrics", name, code)
		}
	}
	gw, _ := start(t, "serve", "-addr", "127.0.0.1:0", "-metadata-url", meta, "-storage-url", data, "-queue-url", q)
	if code, body := do(t, "PUT", gw+"/remote-bucket/", ""); code != 200 {
		t.Fatalf("PUT bucket = %d %s", code, body)
	}
	if code, _ := do(t, "PUT", gw+"/remote-bucket/k", "v"); code != 200 {
		t.Fatalf("PUT object = %d", code)
	}
	if code, body := do(t, "GET", gw+"/remote-bucket/k", ""); code != 200 || body != "v" {
		t.Errorf("GET = %d %q, want v", code, body)
	}
	if err := run(context.Background(), []string{"service"}, io.Discard, nil); err == nil {
		t.Errorf("service without a name = nil, want an error")
	}
	if err := run(context.Background(), []string{"service", "nope"}, io.Discard, nil); err == nil {
		t.Errorf("service nope = nil, want an error")
	}
}

func TestConfigFile(t *testing.T) {
	defer http.DefaultClient.CloseIdleConnections()
	dir := t.TempDir()
	conf := filepath.Join(dir, "mocks3.json")
	os.WriteFile(conf, []byte(`{"bucket": ["from-config", "second"], "nodes": 2, "region": "eu-west-1", "addr": "127.0.0.1:1"}`), 0o600)
	// -addr on the command line wins over the file's.
	u, _ := start(t, "-config", conf, "-addr", "127.0.0.1:0")
	code, body := do(t, "GET", u+"/", "")
	if code != 200 || !strings.Contains(body, "<Name>from-config</Name>") || !strings.Contains(body, "<Name>second</Name>") ||
		!strings.Contains(body, "eu-west-1") {
		t.Errorf("ListBuckets = %d %s, want the config's buckets in eu-west-1", code, body)
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"no-such-flag": 1}`), 0o600)
	if err := run(context.Background(), []string{"-config", bad}, io.Discard, nil); err == nil || !strings.Contains(err.Error(), "no-such-flag") {
		t.Errorf("run with an unknown setting = %v, want an error naming it", err)
	}
}
