package mocks3_test

// POST Object under WithAuth: the form's signature, SigV4 or (when
// allowed) SigV2, computed here by hand as a browser's server-side signer
// computes it.

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"testing"
	"time"

	"github.com/mocks3/mocks3"
	"github.com/mocks3/mocks3/s3api"
)

const (
	postAccessKey = "AKIDPOSTOWNER"
	postSecret    = "post-owner-secret"
	otherAccess   = "AKIDPOSTOTHER"
	otherSecret   = "post-other-secret"
)

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

// signPostV4 is the SigV4 signature of a policy field: the hex HMAC of the
// base64 text under the day's signing key.
func signPostV4(secret, day, region, policy string) string {
	k := hmacSHA256([]byte("AWS4"+secret), day)
	k = hmacSHA256(k, region)
	k = hmacSHA256(k, "s3")
	k = hmacSHA256(k, "aws4_request")
	return hex.EncodeToString(hmacSHA256(k, policy))
}

func signPostV2(secret, policy string) string {
	m := hmac.New(sha1.New, []byte(secret))
	m.Write([]byte(policy))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// signedFields returns a form's fields with its key, a policy covering
// them, and a SigV4 signature by accessKey/secret at now.
func signedFields(t *testing.T, now time.Time, accessKey, secret, region, key string) []field {
	t.Helper()
	day := now.UTC().Format("20060102")
	cred := accessKey + "/" + day + "/" + region + "/s3/aws4_request"
	date := now.UTC().Format("20060102T150405Z")
	policy := encodePolicy(t, now.Add(time.Hour),
		map[string]string{"bucket": testBucket}, map[string]string{"key": key},
		map[string]string{"x-amz-algorithm": "AWS4-HMAC-SHA256"}, map[string]string{"x-amz-credential": cred},
		map[string]string{"x-amz-date": date})
	return []field{
		{"key", key}, {"x-amz-algorithm", "AWS4-HMAC-SHA256"}, {"x-amz-credential", cred}, {"x-amz-date", date},
		{"policy", policy}, {"x-amz-signature", signPostV4(secret, day, region, policy)},
	}
}

// set replaces (or, with drop, removes) a field.
func set(fields []field, name, value string, drop bool) []field {
	var out []field
	for _, f := range fields {
		if f.name != name {
			out = append(out, f)
		} else if !drop {
			out = append(out, field{name, value})
		}
	}
	return out
}

func newAuthServer(t *testing.T, now time.Time, opts ...mocks3.Option) *mocks3.Server {
	return mocks3.New(t, append([]mocks3.Option{mocks3.WithAuth(), mocks3.WithCredentials(postAccessKey, postSecret),
		mocks3.WithUser("other", otherAccess, otherSecret), mocks3.WithBucket(testBucket),
		mocks3.WithClock(func() time.Time { return now })}, opts...)...)
}

func TestPostObjectSigned(t *testing.T) {
	// Near the real time: the SDK client reading back signs with it.
	now := time.Now().UTC().Truncate(time.Second)
	srv := newAuthServer(t, now)
	resp, body := postForm(t, srv, "/"+testBucket, signedFields(t, now, postAccessKey, postSecret, "us-east-1", "signed"), postFile{data: []byte("signed body")})
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("signed POST = %d %s, want 204", resp.StatusCode, body)
	}
	if _, got := mustGet(t, srv.Client(), testBucket, "signed"); string(got) != "signed body" {
		t.Errorf("GetObject(signed) = %q, want the uploaded bytes", got)
	}
}

func TestPostObjectSignatureErrors(t *testing.T) {
	now := time.Date(2030, 3, 4, 5, 6, 7, 0, time.UTC)
	good := func() []field { return signedFields(t, now, postAccessKey, postSecret, "us-east-1", "k") }
	v2 := func(secret string) []field {
		policy := encodePolicy(t, now.Add(time.Hour), map[string]string{"bucket": testBucket}, map[string]string{"key": "k"})
		return []field{{"key", "k"}, {"AWSAccessKeyId", postAccessKey}, {"policy", policy}, {"signature", signPostV2(secret, policy)}}
	}
	tests := []struct {
		name   string
		fields []field
		sigV2  bool
		code   s3api.ErrorCode
		msg    string
		extras []string
	}{
		{name: "no signature fields", fields: []field{{"key", "k"}}, code: "AccessDenied", msg: "Access Denied"},
		{name: "a policy without a signature", fields: set(set(set(set(good(), "x-amz-signature", "", true), "x-amz-algorithm", "", true),
			"x-amz-credential", "", true), "x-amz-date", "", true), code: "AccessDenied"},
		{name: "no x-amz-signature", fields: set(good(), "x-amz-signature", "", true), code: "InvalidArgument",
			msg:    "Bucket POST must contain a field named 'X-Amz-Signature'.  If it is specified, please check the order of the fields.",
			extras: []string{"ArgumentName", "X-Amz-Signature", "ArgumentValue", ""}},
		{name: "no policy", fields: set(good(), "policy", "", true), code: "InvalidArgument", extras: []string{"ArgumentName", "policy"}},
		{name: "the wrong secret", fields: signedFields(t, now, postAccessKey, "not-the-secret", "us-east-1", "k"),
			code: "SignatureDoesNotMatch", extras: []string{"AWSAccessKeyId", postAccessKey}},
		{name: "a tampered policy", fields: set(good(), "policy", encodePolicy(t, now.Add(time.Hour), map[string]string{"key": "k"}), false),
			code: "SignatureDoesNotMatch"},
		{name: "an unknown access key", fields: signedFields(t, now, "AKIDUNKNOWN", postSecret, "us-east-1", "k"),
			code: "InvalidAccessKeyId", extras: []string{"AWSAccessKeyId", "AKIDUNKNOWN"}},
		{name: "another region", fields: signedFields(t, now, postAccessKey, postSecret, "eu-west-1", "k"),
			code: "InvalidArgument", msg: "the region 'eu-west-1' is wrong; expecting 'us-east-1'", extras: []string{"Region", "us-east-1"}},
		{name: "another user's bucket", fields: signedFields(t, now, otherAccess, otherSecret, "us-east-1", "k"), code: "AccessDenied"},
		{name: "SigV2 not allowed", fields: v2(postSecret), code: "InvalidRequest",
			msg: "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256."},
		{name: "SigV2 with the wrong secret", fields: v2("nope"), sigV2: true, code: "SignatureDoesNotMatch"},
		{name: "a signed form that breaks its policy", fields: append(good(), field{"x-amz-meta-extra", "1"}),
			code: "AccessDenied", msg: "Invalid according to Policy: Extra input fields: x-amz-meta-extra"},
	}
	plain, withV2 := newAuthServer(t, now), newAuthServer(t, now, mocks3.WithSignatureV2())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := plain
			if tt.sigV2 {
				srv = withV2
			}
			resp, body := postForm(t, srv, "/"+testBucket, tt.fields, postFile{data: []byte("x")})
			wantPostError(t, resp, body, tt.code, tt.msg, tt.extras...)
		})
	}
	if keys, err := plain.Keys(testBucket, ""); err != nil || len(keys) != 0 {
		t.Errorf("Keys() = %v, %v; want nothing stored", keys, err)
	}
}

func TestPostObjectSignatureV2(t *testing.T) {
	now := time.Now().UTC().Truncate(time.Second)
	srv := newAuthServer(t, now, mocks3.WithSignatureV2())
	policy := encodePolicy(t, now.Add(time.Hour), map[string]string{"bucket": testBucket}, []string{"starts-with", "$key", ""})
	fields := []field{{"key", "v2"}, {"AWSAccessKeyId", postAccessKey}, {"policy", policy}, {"signature", signPostV2(postSecret, policy)}}
	if resp, body := postForm(t, srv, "/"+testBucket, fields, postFile{data: []byte("v2")}); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("SigV2 POST = %d %s, want 204", resp.StatusCode, body)
	}
	if _, got := mustGet(t, srv.Client(), testBucket, "v2"); string(got) != "v2" {
		t.Errorf("GetObject(v2) = %q, want v2", got)
	}
}
