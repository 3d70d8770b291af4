package sigv4

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mocks3/mocks3/internal/s3err"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/minio/minio-go/v7/pkg/signer"

	"github.com/mocks3/mocks3/s3api"
)

// TestSDKHeaderSigned: requests signed by aws-sdk-go-v2's signer verify,
// and the body reads back whole.
func TestSDKHeaderSigned(t *testing.T) {
	tests := []struct {
		name, method, target string
		body                 []byte
		header               map[string]string
	}{
		{"get", "GET", "/bkt/key", nil, nil},
		{"put with body", "PUT", "/bkt/dir/key.txt", []byte("hello, world"), map[string]string{"Content-Type": "text/plain", "X-Amz-Meta-Color": "  blue   green "}},
		{"escaped key", "PUT", "/bkt/a%20b/%E2%82%AC%2B~.txt", []byte("x"), nil},
		{"query", "GET", "/bkt?list-type=2&prefix=a%20b%2Fc&delimiter=%2F&max-keys=10", nil, nil},
		{"empty query value", "GET", "/bkt?versioning", nil, nil},
		{"repeated header", "GET", "/bkt/k", nil, map[string]string{"X-Amz-Meta-A": "1"}},
		{"service", "GET", "/", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now := testTime
			req := clientRequest(t, tt.method, tt.target, tt.body)
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			sdkSign(t, req, tt.body, "", testSecret, now)
			res, got, err := verify(newVerifier(&now), serverRequest(t, req))
			if err != nil {
				t.Fatalf("Verify = %v, want success", err)
			}
			if res.AccessKey != testAccessKey {
				t.Errorf("AccessKey = %q, want %q", res.AccessKey, testAccessKey)
			}
			if string(got) != string(tt.body) {
				t.Errorf("body = %q, want %q", got, tt.body)
			}
		})
	}
}

// TestUnsignedPayload: UNSIGNED-PAYLOAD and the unsigned trailer variant
// leave the body alone.
func TestUnsignedPayload(t *testing.T) {
	for _, payload := range []string{"UNSIGNED-PAYLOAD", "STREAMING-UNSIGNED-PAYLOAD-TRAILER"} {
		t.Run(payload, func(t *testing.T) {
			now := testTime
			req := clientRequest(t, "PUT", "/bkt/k", []byte("anything"))
			sdkSign(t, req, nil, payload, testSecret, now)
			res, _, err := verify(newVerifier(&now), serverRequest(t, req))
			if err != nil || res.Chunks != nil {
				t.Fatalf("Verify = %+v, %v; want success without chunk verifier", res, err)
			}
		})
	}
}

// TestTamper: changing anything a signature covers after signing fails
// with the code S3 gives.
func TestTamper(t *testing.T) {
	body := []byte("the body")
	tests := []struct {
		name   string
		secret string
		tamper func(r *http.Request)
		at     time.Duration // signing time relative to the server's clock
		want   s3api.ErrorCode
	}{
		{"signed header", testSecret, func(r *http.Request) { r.Header.Set("X-Amz-Meta-Color", "red") }, 0, s3err.SignatureDoesNotMatch},
		{"content type", testSecret, func(r *http.Request) { r.Header.Set("Content-Type", "text/html") }, 0, s3err.SignatureDoesNotMatch},
		{"host", testSecret, func(r *http.Request) { r.Host = "evil.example" }, 0, s3err.SignatureDoesNotMatch},
		{"method", testSecret, func(r *http.Request) { r.Method = "POST" }, 0, s3err.SignatureDoesNotMatch},
		{"path", testSecret, func(r *http.Request) { r.RequestURI = "/bkt/other"; r.URL.Path = "/bkt/other" }, 0, s3err.SignatureDoesNotMatch},
		{"query", testSecret, func(r *http.Request) { r.URL.RawQuery = "acl"; r.RequestURI += "?acl" }, 0, s3err.SignatureDoesNotMatch},
		{"body", testSecret, func(r *http.Request) { r.Body = http.NoBody; r.Body = readCloser("the bodY") }, 0, s3err.XAmzContentSHA256Mismatch},
		{"payload hash", testSecret, func(r *http.Request) { r.Header.Set("X-Amz-Content-Sha256", sha256Hex([]byte("x"))) }, 0, s3err.SignatureDoesNotMatch},
		{"date", testSecret, func(r *http.Request) { r.Header.Set("X-Amz-Date", "20261205T120001Z") }, 0, s3err.SignatureDoesNotMatch},
		{"date other day", testSecret, func(r *http.Request) { r.Header.Set("X-Amz-Date", "20261206T000100Z") }, 11*time.Hour + 59*time.Minute, s3err.AuthorizationHeaderMalformed},
		{"scope region", testSecret, func(r *http.Request) { replaceAuth(r, "/us-east-1/", "/eu-west-1/") }, 0, s3err.AuthorizationHeaderMalformed},
		{"scope service", testSecret, func(r *http.Request) { replaceAuth(r, "/s3/", "/s4/") }, 0, s3err.AuthorizationHeaderMalformed},
		{"scope date", testSecret, func(r *http.Request) { replaceAuth(r, "/20261205/", "/20261204/") }, 0, s3err.AuthorizationHeaderMalformed},
		{"signed headers", testSecret, func(r *http.Request) { replaceAuth(r, "SignedHeaders=", "SignedHeaders=content-length;") }, 0, s3err.SignatureDoesNotMatch},
		{"access key", testSecret, func(r *http.Request) { replaceAuth(r, testAccessKey, "AKIDOTHER") }, 0, s3err.InvalidAccessKeyID},
		{"secret", "not-the-secret", func(r *http.Request) {}, 0, s3err.SignatureDoesNotMatch},
		{"unsigned x-amz header", testSecret, func(r *http.Request) { r.Header.Set("X-Amz-Acl", "public-read") }, 0, s3err.AccessDenied},
		{"too old", testSecret, func(r *http.Request) {}, -16 * time.Minute, s3err.RequestTimeTooSkewed},
		{"too new", testSecret, func(r *http.Request) {}, 16 * time.Minute, s3err.RequestTimeTooSkewed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now := testTime
			req := clientRequest(t, "PUT", "/bkt/key", body)
			req.Header.Set("Content-Type", "text/plain")
			req.Header.Set("X-Amz-Meta-Color", "blue")
			sdkSign(t, req, body, "", tt.secret, now.Add(tt.at))
			if tt.at > time.Hour {
				now = now.Add(tt.at) // a signature made near midnight, on the server's day
			}
			sr := serverRequest(t, req)
			tt.tamper(sr)
			_, _, err := verify(newVerifier(&now), sr)
			checkCode(t, err, tt.want, "")
		})
	}
}

func replaceAuth(r *http.Request, old, new string) {
	r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), old, new, 1))
}

type stringReadCloser struct{ *strings.Reader }

func (stringReadCloser) Close() error { return nil }

func readCloser(s string) stringReadCloser { return stringReadCloser{strings.NewReader(s)} }

// TestSignatureMismatchBody: SignatureDoesNotMatch names what the server
// signed, so a user can diff it against their signer's.
func TestSignatureMismatchBody(t *testing.T) {
	now := testTime
	req := clientRequest(t, "GET", "/bkt/key?x-id=GetObject", nil)
	sdkSign(t, req, nil, "", "wrong", now)
	_, _, err := verify(newVerifier(&now), serverRequest(t, req))
	e := checkCode(t, err, s3err.SignatureDoesNotMatch,
		"The request signature we calculated does not match the signature you provided. Check your key and signing method.")
	canonical := extraValue(e, "CanonicalRequest")
	wantCanonical := "GET\n/bkt/key\nx-id=GetObject\nhost:" + testHost + "\nx-amz-content-sha256:" + emptySHA256 +
		"\nx-amz-date:20261205T120000Z\n\nhost;x-amz-content-sha256;x-amz-date\n" + emptySHA256
	if canonical != wantCanonical {
		t.Errorf("CanonicalRequest = %q, want %q", canonical, wantCanonical)
	}
	toSign := extraValue(e, "StringToSign")
	if want := "AWS4-HMAC-SHA256\n20261205T120000Z\n20261205/us-east-1/s3/aws4_request\n" + hexSHA256([]byte(wantCanonical)); toSign != want {
		t.Errorf("StringToSign = %q, want %q", toSign, want)
	}
	if got, want := extraValue(e, "StringToSignBytes"), hexBytes(toSign); got != want || !strings.HasPrefix(got, "41 57 53 34 2d") {
		t.Errorf("StringToSignBytes = %q, want %q", got, want)
	}
	if got := extraValue(e, "CanonicalRequestBytes"); !strings.HasPrefix(got, "47 45 54 0a") {
		t.Errorf("CanonicalRequestBytes = %q, want the bytes of GET\\n...", got)
	}
	if got := extraValue(e, "AWSAccessKeyId"); got != testAccessKey {
		t.Errorf("AWSAccessKeyId = %q", got)
	}
	if got := extraValue(e, "SignatureProvided"); len(got) != 64 {
		t.Errorf("SignatureProvided = %q, want the client's signature", got)
	}
}

// sdkPresign presigns req as the SDK's presign client does.
func sdkPresign(t *testing.T, method, target string, expires time.Duration, at time.Time, header http.Header) *http.Request {
	t.Helper()
	req := clientRequest(t, method, target, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	q := req.URL.Query()
	q.Set("X-Amz-Expires", formatSeconds(expires))
	req.URL.RawQuery = q.Encode()
	creds := aws.Credentials{AccessKeyID: testAccessKey, SecretAccessKey: testSecret}
	u, hdr, err := v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true }).
		PresignHTTP(context.Background(), creds, req, "UNSIGNED-PAYLOAD", "s3", testRegion, at)
	if err != nil {
		t.Fatal(err)
	}
	out, err := http.NewRequest(method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		if k != "Host" {
			out.Header[k] = v
		}
	}
	return out
}

func formatSeconds(d time.Duration) string { return strconv.FormatInt(int64(d/time.Second), 10) }

func TestSDKPresigned(t *testing.T) {
	tests := []struct {
		name    string
		method  string
		expires time.Duration
		elapsed time.Duration
		want    s3api.ErrorCode // "" for success
	}{
		{"get fresh", "GET", time.Hour, 0, ""},
		{"put fresh", "PUT", time.Hour, 0, ""},
		{"get just before expiry", "GET", time.Hour, time.Hour, ""},
		{"get expired", "GET", time.Hour, time.Hour + time.Second, s3err.AccessDenied},
		{"week", "GET", 7 * 24 * time.Hour, 6 * 24 * time.Hour, ""},
		{"over a week", "GET", 7*24*time.Hour + time.Second, 0, s3err.AuthorizationQueryParametersError},
		{"not yet valid", "GET", time.Hour, -16 * time.Minute, s3err.AccessDenied},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			signed := testTime
			req := sdkPresign(t, tt.method, "/bkt/some%20key", tt.expires, signed, nil)
			now := signed.Add(tt.elapsed)
			_, _, err := verify(newVerifier(&now), serverRequest(t, req))
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Verify = %v, want success", err)
				}
				return
			}
			checkCode(t, err, tt.want, "")
		})
	}
}

// TestPresignedExpiredBody: S3 names the expiry and its own time.
func TestPresignedExpiredBody(t *testing.T) {
	req := sdkPresign(t, "GET", "/bkt/k", 10*time.Minute, testTime, nil)
	now := testTime.Add(11 * time.Minute)
	_, _, err := verify(newVerifier(&now), serverRequest(t, req))
	e := checkCode(t, err, s3err.AccessDenied, "Request has expired")
	for name, want := range map[string]string{"X-Amz-Expires": "600", "Expires": "2026-12-05T12:10:00Z", "ServerTime": "2026-12-05T12:11:00Z"} {
		if got := extraValue(e, name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
}

// TestPresignedTamper: the query is signed, and so are hoisted headers.
func TestPresignedTamper(t *testing.T) {
	tests := []struct {
		name   string
		tamper func(q url.Values)
		want   s3api.ErrorCode
	}{
		{"signature", func(q url.Values) { q.Set("X-Amz-Signature", strings.Repeat("0", 64)) }, s3err.SignatureDoesNotMatch},
		{"expires", func(q url.Values) { q.Set("X-Amz-Expires", "3601") }, s3err.SignatureDoesNotMatch},
		{"added parameter", func(q url.Values) { q.Set("response-content-type", "text/html") }, s3err.SignatureDoesNotMatch},
		{"credential", func(q url.Values) { q.Set("X-Amz-Credential", "NOBODY/20261205/us-east-1/s3/aws4_request") }, s3err.InvalidAccessKeyID},
		{"token", func(q url.Values) { q.Set("X-Amz-Security-Token", "FwoGZXIvYXdzEJr") }, s3err.InvalidToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := sdkPresign(t, "GET", "/bkt/k", time.Hour, testTime, nil)
			q := req.URL.Query()
			tt.tamper(q)
			req.URL.RawQuery = q.Encode()
			now := testTime
			_, _, err := verify(newVerifier(&now), serverRequest(t, req))
			checkCode(t, err, tt.want, "")
		})
	}
}

// TestMinioSigned: minio-go's signers (V4 header, V4 presign, V2 header,
// V2 presign) produce requests the verifier accepts.
func TestMinioSigned(t *testing.T) {
	body := []byte("minio body")
	tests := []struct {
		name string
		sign func(r *http.Request) *http.Request
	}{
		{"v4 header", func(r *http.Request) *http.Request {
			r.Header.Set("X-Amz-Content-Sha256", sha256Hex(body))
			return signer.SignV4(*r, testAccessKey, testSecret, "", testRegion)
		}},
		{"v4 presign", func(r *http.Request) *http.Request {
			return signer.PreSignV4(*r, testAccessKey, testSecret, "", testRegion, 3600)
		}},
		{"v2 header", func(r *http.Request) *http.Request {
			r.Header.Set("Date", time.Now().UTC().Format(http.TimeFormat))
			return signer.SignV2(*r, testAccessKey, testSecret, false)
		}},
		{"v2 presign", func(r *http.Request) *http.Request {
			return signer.PreSignV2(*r, testAccessKey, testSecret, 3600, false)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// minio-go signs with the wall clock.
			now := time.Now()
			req := clientRequest(t, "PUT", "/bkt/a%20key?uploads", body)
			req = tt.sign(req)
			v := newVerifier(&now)
			v.AllowV2 = true
			res, got, err := verify(v, serverRequest(t, req))
			if err != nil {
				t.Fatalf("Verify = %v, want success", err)
			}
			if res.AccessKey != testAccessKey || string(got) != string(body) {
				t.Errorf("Verify = %q, body %q; want %q, %q", res.AccessKey, got, testAccessKey, body)
			}
		})
	}
}

// TestV2Disabled: without AllowV2, SigV2 is refused as S3 refuses it
// where it was never offered.
func TestV2Disabled(t *testing.T) {
	now := time.Now()
	for _, presign := range []bool{false, true} {
		req := clientRequest(t, "GET", "/bkt/k", nil)
		if presign {
			req = signer.PreSignV2(*req, testAccessKey, testSecret, 3600, false)
		} else {
			req.Header.Set("Date", now.UTC().Format(http.TimeFormat))
			req = signer.SignV2(*req, testAccessKey, testSecret, false)
		}
		_, _, err := verify(newVerifier(&now), serverRequest(t, req))
		checkCode(t, err, s3err.InvalidRequest, msgMechanism)
	}
}

// TestV2Tamper: SigV2 covers the method, the date, x-amz-* headers, the
// resource and its sub-resources.
func TestV2Tamper(t *testing.T) {
	tests := []struct {
		name   string
		tamper func(r *http.Request)
		want   s3api.ErrorCode
	}{
		{"x-amz header", func(r *http.Request) { r.Header.Set("X-Amz-Meta-A", "2") }, s3err.SignatureDoesNotMatch},
		{"sub-resource", func(r *http.Request) { r.URL.RawQuery = "acl"; r.RequestURI += "?acl" }, s3err.SignatureDoesNotMatch},
		{"path", func(r *http.Request) { r.RequestURI = "/bkt/j" }, s3err.SignatureDoesNotMatch},
		{"date", func(r *http.Request) { r.Header.Set("Date", testTime.Add(time.Minute).Format(http.TimeFormat)) }, s3err.SignatureDoesNotMatch},
		{"skew", func(r *http.Request) { r.Header.Set("Date", testTime.Add(time.Hour).Format(http.TimeFormat)) }, s3err.RequestTimeTooSkewed},
		{"no date", func(r *http.Request) { r.Header.Del("Date") }, s3err.AccessDenied},
		{"key", func(r *http.Request) { r.Header.Set("Authorization", "AWS NOBODY:abc=") }, s3err.InvalidAccessKeyID},
		{"malformed", func(r *http.Request) { r.Header.Set("Authorization", "AWS "+testAccessKey) }, s3err.InvalidArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now := testTime
			req := clientRequest(t, "GET", "/bkt/k", nil)
			req.Header.Set("Date", testTime.Format(http.TimeFormat))
			req.Header.Set("X-Amz-Meta-A", "1")
			req = signer.SignV2(*req, testAccessKey, testSecret, false)
			sr := serverRequest(t, req)
			tt.tamper(sr)
			v := newVerifier(&now)
			v.AllowV2 = true
			_, _, err := verify(v, sr)
			checkCode(t, err, tt.want, "")
		})
	}
}

// TestV2VirtualHost: SigV2 signs /bucket/key even when the bucket is in
// the host.
func TestV2VirtualHost(t *testing.T) {
	now := time.Now()
	req, err := http.NewRequest("GET", "http://bkt.localhost:9000/k", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Date", now.UTC().Format(http.TimeFormat))
	req = signer.SignV2(*req, testAccessKey, testSecret, true)
	v := newVerifier(&now)
	v.AllowV2 = true
	v.HostBucket = func(r *http.Request) string { b, _, _ := strings.Cut(r.Host, "."); return b }
	if _, _, err := verify(v, serverRequest(t, req)); err != nil {
		t.Fatalf("Verify = %v, want success", err)
	}
}

// TestAnonymous: a request with no signature at all is anonymous; the
// caller decides what that may do.
func TestAnonymous(t *testing.T) {
	now := testTime
	for _, target := range []string{"/bkt/k", "/bkt/k?AWSAccessKeyId=x", "/bkt/k?X-Amz-Signature=x"} {
		res, err := newVerifier(&now).Verify(serverRequest(t, clientRequest(t, "GET", target, nil)))
		if err != nil || res.AccessKey != "" {
			t.Errorf("Verify(%s) = %+v, %v; want anonymous", target, res, err)
		}
	}
}
