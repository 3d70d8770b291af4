package gateway

import (
	"crypto/tls"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mocks3/mocks3/internal/s3err"
	"github.com/mocks3/mocks3/s3api"
)

func sseRequest(hdr map[string]string) *http.Request {
	r := httptest.NewRequest("PUT", "/bkt/key", nil)
	r.TLS = &tls.ConnectionState{}
	for k, v := range hdr {
		r.Header.Set(k, v)
	}
	return r
}

// The bucket key header is a boolean the SDK cannot send wrong.
func TestRequestSSEBucketKeyValue(t *testing.T) {
	for _, tc := range []struct {
		value string
		want  bool
		code  s3api.ErrorCode
	}{
		{"true", true, ""}, {"TRUE", true, ""}, {"false", false, ""}, {"yes", false, s3err.InvalidArgument},
	} {
		sse, err := requestSSE(sseRequest(map[string]string{hdrSSE: "aws:kms", hdrSSEBucketKey: tc.value}).Header, true)
		var ae *s3err.Error
		switch {
		case tc.code != "" && (!errors.As(err, &ae) || ae.Code != tc.code):
			t.Errorf("bucket key %q: error %v, want %s", tc.value, err, tc.code)
		case tc.code == "" && (err != nil || sse.BucketKey != tc.want):
			t.Errorf("bucket key %q = %v, %v; want %v", tc.value, sse.BucketKey, err, tc.want)
		}
	}
}

// FuzzRequestSSE checks that any SSE header set gives either a client
// error or attributes S3 could have stored.
func FuzzRequestSSE(f *testing.F) {
	f.Add("aws:kms", "arn:aws:kms:k", "eyJhIjoiYiJ9", "true", "", "", "")
	f.Add("AES256", "", "", "", "", "", "")
	f.Add("", "", "", "", "AES256", "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=", "x")
	f.Add("DES", "k", "%%", "maybe", "AES128", "short", "")
	f.Fuzz(func(t *testing.T, alg, keyID, context, bucketKey, cAlg, cKey, cMD5 string) {
		r := sseRequest(nil)
		for name, v := range map[string]string{hdrSSE: alg, hdrSSEKeyID: keyID, hdrSSEContext: context, hdrSSEBucketKey: bucketKey,
			hdrSSECAlg: cAlg, hdrSSECKey: cKey, hdrSSECKeyMD5: cMD5} {
			if v != "" {
				r.Header[http.CanonicalHeaderKey(name)] = []string{v}
			}
		}
		sse, err := requestSSE(r.Header, true)
		if err != nil {
			var ae *s3err.Error
			if !errors.As(err, &ae) || (ae.Code != s3err.InvalidArgument && ae.Code != s3err.InvalidRequest) {
				t.Fatalf("requestSSE = %v, want InvalidArgument or InvalidRequest", err)
			}
			return
		}
		kms := strings.HasPrefix(sse.Algorithm, "aws:kms")
		if (sse.KMSKeyID != "" || sse.Context != "" || sse.BucketKey) && !kms {
			t.Fatalf("requestSSE = %+v: KMS attributes without aws:kms", sse)
		}
		if sse.CustomerKeyMD5 != "" && sse.Algorithm != "" {
			t.Fatalf("requestSSE = %+v: SSE-C with another algorithm", sse)
		}
		if cKey != "" && sse.CustomerKeyMD5 != cMD5 {
			t.Fatalf("requestSSE accepted key MD5 %q, stored %q", cMD5, sse.CustomerKeyMD5)
		}
	})
}
