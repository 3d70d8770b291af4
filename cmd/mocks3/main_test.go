package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	if dir := os.Getenv(crashChildEnv); dir != "" {
		os.Exit(serveCrashChild(dir)) // a server for TestCrashRecovery to kill
	}
	if os.Getenv("MOCKS3_RUN_MAIN") == "1" { // the command itself, for tests that need a process of its own
		main()
		return
	}
	goleak.VerifyTestMain(m)
}

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

// serve runs the command with args until the test ends and returns the
// server's URL.
func serve(t *testing.T, args ...string) (url string, log *strings.Builder) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	urls := make(chan string, 1)
	done := make(chan error, 1)
	log = &strings.Builder{}
	go func() {
		done <- run(ctx, append([]string{"-addr", "127.0.0.1:0"}, args...), &syncWriter{w: log}, func(u string) { urls <- u })
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run returned %v after shutdown, want nil", err)
		}
	})
	select {
	case url = <-urls:
	case err := <-done:
		done <- nil
		t.Fatalf("run(%q) = %v", args, err)
	}
	return url, log
}

// TestFaultsFlag loads the seed README's rules from JSON and from YAML and
// finds them on the fault REST API.
func TestFaultsFlag(t *testing.T) {
	type rule struct {
		ID, Name, Service string
		Enabled           bool
		Conditions        []map[string]any
		Action            map[string]any
	}
	want := []rule{
		{ID: "rule-1", Name: "Storage Random Error", Service: "storage", Enabled: true,
			Conditions: []map[string]any{{"type": "probability", "value": 0.1}},
			Action:     map[string]any{"type": "http_error", "http_code": 500.0, "message": "Internal server error injected"}},
		{ID: "rule-2", Name: "Metadata Delay", Service: "metadata", Enabled: true,
			Conditions: []map[string]any{{"type": "probability", "value": 0.2}},
			Action:     map[string]any{"type": "delay", "delay": "2s"}},
	}
	for _, file := range []string{"seed-examples.json", "seed-examples.yaml"} {
		t.Run(file, func(t *testing.T) {
			url, log := serve(t, "-faults", filepath.Join("..", "..", "testdata", "faults", file))
			client := &http.Client{}
			defer client.CloseIdleConnections()
			resp, err := client.Get(url + "/_mocks3/api/v1/rules")
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var got struct{ Rules []rule }
			if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
				t.Fatalf("GET /_mocks3/api/v1/rules: %v", err)
			}
			if diff := cmp.Diff(want, got.Rules); diff != "" {
				t.Errorf("GET /_mocks3/api/v1/rules (-want +got):\n%s", diff)
			}
			if !strings.Contains(log.String(), "rules=2") {
				t.Errorf("log does not report 2 rules loaded:\n%s", log.String())
			}
		})
	}
}

func TestFaultsFlagErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name, file, want string
	}{
		{"missing file", filepath.Join(dir, "none.json"), "-faults: open"},
		{"bad JSON field", write("bad.json", `[{"action": {"type": "delay", "delay": "soon"}}]`), "[0].action.delay: want a duration"},
		{"bad YAML field", write("bad.yml", "rules:\n  - action: {type: http_error}\n    conditions: [{type: probability, value: 3}]\n"),
			"rules[0].conditions[0].value: probability must be a number between 0 and 1"},
		{"unknown YAML field", write("unknown.yaml", "name: x\nacton: {type: timeout}\n"), "acton: unknown field"},
		{"YAML syntax", write("syntax.yaml", "rules: [\n"), "-faults " + filepath.Join(dir, "syntax.yaml") + ": yaml:"},
		{"empty YAML", write("empty.yaml", ""), "no rules"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := run(context.Background(), []string{"-addr", "127.0.0.1:0", "-faults", tt.file}, io.Discard, nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("run(-faults %s) = %v, want an error containing %q", tt.file, err, tt.want)
			}
		})
	}
}
