package faultmatch

import (
	"net/http"
	"net/url"
	"testing"
)

func TestGlob(t *testing.T) {
	tests := []struct {
		pattern, s string
		want       bool
	}{
		{"", "anything", true},
		{"*", "", true},
		{"photos", "photos", true},
		{"photos", "photo", false},
		{"a/*", "a/b/c.jpg", true}, // * crosses "/"
		{"*.jpg", "a/b/c.jpg", true},
		{"a/?", "a/bc", false},
		{"[ab]*", "b/x", true},
		{`a\*`, "a*", true},
		{`a\*`, "ab", false},
	}
	for _, tt := range tests {
		if got := Glob(tt.pattern, tt.s); got != tt.want {
			t.Errorf("Glob(%q, %q) = %v, want %v", tt.pattern, tt.s, got, tt.want)
		}
	}
	if ValidGlob("[a") || !ValidGlob("a/[bc]?*") {
		t.Errorf(`ValidGlob("[a"), ValidGlob("a/[bc]?*") = %v, %v, want false, true`, ValidGlob("[a"), ValidGlob("a/[bc]?*"))
	}
}

func TestIP(t *testing.T) {
	tests := []struct {
		match, remoteAddr string
		want              bool
	}{
		{"10.0.0.0/8", "10.1.2.3:5555", true},
		{"10.0.0.0/8", "11.1.2.3:5555", false},
		{"127.0.0.1", "127.0.0.1:80", true},
		{"127.0.0.1", "[::ffff:127.0.0.1]:80", true}, // a mapped IPv4 address is the IPv4 one
		{"::1", "[::1]:80", true},
		{"::1", "127.0.0.1", false},
	}
	for _, tt := range tests {
		p, err := ParseIP(tt.match)
		if err != nil {
			t.Fatalf("ParseIP(%q) = %v", tt.match, err)
		}
		a, ok := ClientIP(tt.remoteAddr)
		if got := ok && p.Contains(a); got != tt.want {
			t.Errorf("%s contains %s = %v, want %v", tt.match, tt.remoteAddr, got, tt.want)
		}
	}
	if _, err := ParseIP("10.0.0.0/33"); err == nil {
		t.Errorf("ParseIP(10.0.0.0/33) = nil, want an error")
	}
	if _, ok := ClientIP("pipe"); ok {
		t.Errorf("ClientIP(pipe) ok, want not an IP")
	}
}

func TestAccessKey(t *testing.T) {
	for _, tt := range []struct {
		name, auth, query, want string
	}{
		{"sigv4 header", "AWS4-HMAC-SHA256 Credential=AKIDA/20261205/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00", "", "AKIDA"},
		{"sigv2 header", "AWS AKIDB:c2lnbmF0dXJl", "", "AKIDB"},
		{"sigv4 presigned", "", "X-Amz-Credential=AKIDC%2F20261205%2Fus-east-1%2Fs3%2Faws4_request", "AKIDC"},
		{"sigv2 presigned", "", "AWSAccessKeyId=AKIDD&Signature=x", "AKIDD"},
		{"unsigned", "", "list-type=2", ""},
		{"bearer", "Bearer token", "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.auth != "" {
				h.Set("Authorization", tt.auth)
			}
			q, _ := url.ParseQuery(tt.query)
			if got := AccessKey(h, q); got != tt.want {
				t.Errorf("AccessKey = %q, want %q", got, tt.want)
			}
		})
	}
}
