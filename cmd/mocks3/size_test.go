package main

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestParseSize(t *testing.T) {
	tests := []struct {
		in      string
		want    int64
		wantErr string
	}{
		{"0", 0, ""},
		{"1048576", 1 << 20, ""},
		{"512MiB", 512 << 20, ""},
		{"512mib", 512 << 20, ""},
		{"2G", 2 << 30, ""},
		{"2 GiB", 2 << 30, ""},
		{"1.5GiB", 3 << 29, ""},
		{"1GB", 1e9, ""},
		{"1.073741824e+09", 1 << 30, ""}, // a JSON number from -config
		{"8EiB", 0, "invalid size"},
		{"9000000TiB", 0, "too large"},
		{"-1", 0, "out of range"},
		{"-1GiB", 0, "invalid size"},
		{"", 0, "invalid size"},
		{"GiB", 0, "invalid size"},
		{"1..2MiB", 0, "not a number"},
		{"Inf", 0, "invalid size"},
		{"NaN", 0, "invalid size"},
		{"0x10", 0, "invalid size"},
	}
	for _, tt := range tests {
		got, err := parseSize(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("parseSize(%q) = %d, %v; want an error containing %q", tt.in, got, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
}

// FuzzParseSize: any input gives a size that is not negative, or an error,
// never a panic; formatSize's output reads back exactly.
func FuzzParseSize(f *testing.F) {
	for _, s := range []string{"0", "512MiB", "1.5GiB", "2 G", "1e3", "-1", "9223372036854775807", "1tb"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := parseSize(s)
		if err != nil {
			return
		}
		if n < 0 {
			t.Fatalf("parseSize(%q) = %d, negative", s, n)
		}
		if back, err := parseSize(formatSize(n)); err != nil || back != n {
			t.Fatalf("parseSize(formatSize(%d) = %q) = %d, %v", n, formatSize(n), back, err)
		}
	})
}

// TestMemoryLimitFlag checks that -memory-limit reaches the server: a PUT
// beyond it gets 507 XMinioStorageFull, and the log says the limit.
func TestMemoryLimitFlag(t *testing.T) {
	base, log := serve(t, "-memory-limit", "64KiB", "-bucket", "bkt")
	client := &http.Client{}
	defer client.CloseIdleConnections()
	put := func(key string, n int) (int, string) {
		req, err := http.NewRequest("PUT", base+"/bkt/"+key, bytes.NewReader(make([]byte, n)))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if status, body := put("a", 40<<10); status != http.StatusOK {
		t.Fatalf("PUT 40 KiB under a 64 KiB limit = %d %s", status, body)
	}
	if status, body := put("b", 40<<10); status != http.StatusInsufficientStorage || !strings.Contains(body, "<Code>XMinioStorageFull</Code>") {
		t.Errorf("PUT 40 KiB more = %d %s, want 507 XMinioStorageFull", status, body)
	}
	if !strings.Contains(log.String(), "memory-limit=64KiB") {
		t.Errorf("log does not state the memory limit:\n%s", log.String())
	}
}
