package sigv4

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/mocks3/mocks3/internal/s3err"
)

// FuzzParseAuthorization: the header parser never panics, what it accepts
// survives a round trip, and Verify answers any header with an S3 error.
func FuzzParseAuthorization(f *testing.F) {
	f.Add("Credential=" + goodCredential + ", SignedHeaders=host;x-amz-date, Signature=" + goodSignature)
	f.Add("Credential=a/b/c/d/e,SignedHeaders=host,Signature=x")
	f.Add("SignedHeaders=host, Signature=x, Credential=" + goodCredential)
	f.Add("Credential=,SignedHeaders=,Signature=")
	f.Add("Credential=a=b, SignedHeaders=host;;, Signature=x")
	f.Fuzz(func(t *testing.T, s string) {
		a, ok := parseAuthorization(s)
		if ok {
			again, ok := parseAuthorization("Credential=" + a.Credential + ",SignedHeaders=" + a.SignedHeaders + ",Signature=" + a.Signature)
			if !ok || again != a {
				t.Fatalf("round trip of %q = %+v, %v; want %+v", s, again, ok, a)
			}
		}
		now := testTime
		r, err := http.NewRequest("GET", "http://"+testHost+"/bkt/k", nil)
		if err != nil {
			t.Fatal(err)
		}
		r.Header.Set("Authorization", "AWS4-HMAC-SHA256 "+s)
		r.Header.Set("X-Amz-Date", goodDate)
		r.Header.Set("X-Amz-Content-Sha256", emptySHA256)
		_, err = newVerifier(&now).Verify(r)
		var e *s3err.Error
		if !errors.As(err, &e) {
			t.Fatalf("Verify(%q) = %v, want an S3 error", s, err)
		}
	})
}

// FuzzCanonicalRequest: for any key, query and header value the SDK
// signs, the verifier builds the same canonical request and accepts the
// signature; and canonical queries are stable under re-canonicalizing.
func FuzzCanonicalRequest(f *testing.F) {
	f.Add("a b/c+d", "prefix", "a b+c&d=e", "x-amz-meta-k", " v  w ")
	f.Add("€/%", "list-type", "2", "x-amz-meta-a", "")
	f.Add("k", "", "", "content-type", "text/plain")
	f.Add("k~._-", "response-content-disposition", "attachment; filename=\"a b.txt\"", "x-amz-meta-z", "\t1\t")
	f.Fuzz(func(t *testing.T, key, qname, qvalue, hname, hvalue string) {
		q, err := canonicalQuery(qname+"="+qvalue, "")
		if err == nil {
			if again, err := canonicalQuery(q, ""); err != nil || again != q {
				t.Fatalf("canonicalQuery(%q) = %q, then %q, %v; want stable", qname+"="+qvalue, q, again, err)
			}
		}
		u := &url.URL{Scheme: "http", Host: testHost, Path: "/bkt/" + key}
		if qname != "" {
			u.RawQuery = url.Values{qname: {qvalue}}.Encode()
		}
		req, err := http.NewRequest("GET", u.String(), nil)
		if err != nil || req.URL.EscapedPath() != u.EscapedPath() {
			return // not a request a client can send
		}
		if hname = strings.ToLower(hname); hname != "" {
			if !validHeader(hname, hvalue) {
				return
			}
			req.Header.Set(hname, hvalue)
		}
		now := testTime
		sdkSign(t, req, nil, "", testSecret, now)
		if _, _, err := verify(newVerifier(&now), serverRequest(t, req)); err != nil {
			t.Fatalf("Verify(key %q, query %q, header %q: %q) = %v", key, u.RawQuery, hname, hvalue, err)
		}
	})
}

// validHeader reports whether a client could send the header: a token
// name, a value without control characters, not one the client or
// server manages itself.
func validHeader(name, value string) bool {
	switch name {
	case "host", "content-length", "transfer-encoding", "authorization", "connection", "expect", "user-agent",
		"x-amz-date", "x-amz-content-sha256", "x-amz-security-token", "te", "trailer", "upgrade", "keep-alive":
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	for i := 0; i < len(value); i++ {
		if c := value[i]; c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}
