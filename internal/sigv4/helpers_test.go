package sigv4

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/google/go-cmp/cmp"

	"github.com/mocks3/mocks3/internal/s3err"
	"github.com/mocks3/mocks3/s3api"
)

const (
	testAccessKey = "AKIDEXAMPLE"
	testSecret    = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
	testRegion    = "us-east-1"
	testHost      = "127.0.0.1:9000"
)

// testTime is when the tests' requests are signed and verified.
var testTime = time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)

// newVerifier returns a verifier knowing the test identity, whose clock
// reads *now.
func newVerifier(now *time.Time) *Verifier {
	return &Verifier{
		Region: testRegion,
		Now:    func() time.Time { return *now },
		Secret: func(ak string) (string, bool) {
			if ak == testAccessKey {
				return testSecret, true
			}
			return "", false
		},
	}
}

// clientRequest returns a request as a client would build it.
func clientRequest(t *testing.T, method, target string, body []byte) *http.Request {
	t.Helper()
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, "http://"+testHost+target, r)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// sdkSign signs req as aws-sdk-go-v2's S3 client does, with the SHA-256 of
// body as the payload hash unless payload is given.
func sdkSign(t *testing.T, req *http.Request, body []byte, payload, secret string, at time.Time) {
	t.Helper()
	if payload == "" {
		payload = sha256Hex(body)
	}
	req.Header.Set("X-Amz-Content-Sha256", payload)
	creds := aws.Credentials{AccessKeyID: testAccessKey, SecretAccessKey: secret}
	err := v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true }).
		SignHTTP(context.Background(), creds, req, payload, "s3", testRegion, at)
	if err != nil {
		t.Fatal(err)
	}
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// serverRequest turns a client request into the request a server handler
// gets: the request-target on the wire, the Host header promoted.
func serverRequest(t *testing.T, cr *http.Request) *http.Request {
	t.Helper()
	var body io.Reader
	if cr.Body != nil {
		b, err := io.ReadAll(cr.Body)
		if err != nil {
			t.Fatal(err)
		}
		body = bytes.NewReader(b)
	}
	sr := httptest.NewRequest(cr.Method, cr.URL.RequestURI(), body)
	sr.Host = cr.URL.Host
	if cr.Host != "" {
		sr.Host = cr.Host
	}
	sr.Header = cr.Header.Clone()
	sr.ContentLength = cr.ContentLength
	if body == nil {
		sr.Body = http.NoBody
	}
	return sr
}

// verify verifies r and reads its body to the end, as a handler would.
func verify(v *Verifier, r *http.Request) (Result, []byte, error) {
	res, err := v.Verify(r)
	if err != nil {
		return res, nil, err
	}
	b, err := io.ReadAll(r.Body)
	return res, b, err
}

// checkCode fails unless err is an S3 error with code (and, if msg is
// not empty, that message).
func checkCode(t *testing.T, err error, code s3api.ErrorCode, msg string) *s3err.Error {
	t.Helper()
	var e *s3err.Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v, want S3 error %s", err, code)
	}
	if e.Code != code {
		t.Fatalf("code = %s (%s), want %s", e.Code, e.Message, code)
	}
	if msg != "" && e.Message != msg {
		t.Errorf("message = %q, want %q", e.Message, msg)
	}
	return e
}

// checkRefusal verifies r at now and fails unless it is refused with
// code, msg (see checkCode) and, when extra is not nil, those extra
// elements.
func checkRefusal(t *testing.T, now time.Time, r *http.Request, code s3api.ErrorCode, msg string, extra []s3err.ExtraElement) {
	t.Helper()
	_, err := newVerifier(&now).Verify(r)
	e := checkCode(t, err, code, msg)
	if extra != nil {
		if diff := cmp.Diff(extra, e.Extra); diff != "" {
			t.Errorf("extra elements (-want +got):\n%s", diff)
		}
	}
}

// extraValue returns the value of the extra element name of e, or "".
func extraValue(e *s3err.Error, name string) string {
	for _, x := range e.Extra {
		if x.Name == name {
			return x.Value
		}
	}
	return ""
}
