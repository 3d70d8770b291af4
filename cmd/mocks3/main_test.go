package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestSeedREADMECurlExamples runs the seed README's curl examples, in order,
// against the standalone server.
func TestSeedREADMECurlExamples(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	urls := make(chan string, 1)
	done := make(chan error, 1)
	var log strings.Builder
	go func() {
		done <- run(ctx, []string{"serve", "-addr", "127.0.0.1:0", "-bucket", "seeded"}, &syncWriter{w: &log}, func(u string) { urls <- u })
	}()
	var base string
	select {
	case base = <-urls:
	case err := <-done:
		t.Fatalf("run: %v", err)
	}
	client := &http.Client{}
	defer client.CloseIdleConnections()

	steps := []struct {
		method, path, body, ctype string
		wantStatus                int
		wantBody                  string
	}{
		{"PUT", "/test-bucket/", "", "", 200, ""},
		{"PUT", "/test-bucket/test.txt", "Hello MockS3!", "text/plain", 200, ""},
		{"GET", "/test-bucket/test.txt", "", "", 200, "Hello MockS3!"},
		{"GET", "/test-bucket/", "", "", 200, "<Key>test.txt</Key>"},
		{"HEAD", "/test-bucket/test.txt", "", "", 200, ""},
		{"DELETE", "/test-bucket/test.txt", "", "", 204, ""},
		{"GET", "/test-bucket/test.txt", "", "", 404, "<Code>NoSuchKey</Code>"},
		{"GET", "/", "", "", 200, "<Name>seeded</Name>"},
	}
	for _, s := range steps {
		req, err := http.NewRequest(s.method, base+s.path, strings.NewReader(s.body))
		if err != nil {
			t.Fatal(err)
		}
		if s.ctype != "" {
			req.Header.Set("Content-Type", s.ctype)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", s.method, s.path, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != s.wantStatus || !strings.Contains(string(body), s.wantBody) {
			t.Errorf("%s %s = %d %q, want %d containing %q", s.method, s.path, resp.StatusCode, body, s.wantStatus, s.wantBody)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("run returned %v after shutdown, want nil", err)
	}
	if !strings.Contains(log.String(), "op=PutObject") {
		t.Errorf("log has no request line for PutObject:\n%s", log.String())
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-nope"}, {"serve", "extra"}, {"-addr", "256.0.0.1:99999"}} {
		if err := run(context.Background(), args, io.Discard, nil); err == nil {
			t.Errorf("run(%q) = nil, want an error", args)
		}
	}
}
