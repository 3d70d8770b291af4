package sigv4

import (
	"net/url"
	"strings"
	"testing"

	"github.com/mocks3/mocks3/internal/s3err"

	"github.com/google/go-cmp/cmp"

	"github.com/mocks3/mocks3/s3api"
)

const (
	goodCredential = testAccessKey + "/20261205/us-east-1/s3/aws4_request"
	goodSignature  = "0000000000000000000000000000000000000000000000000000000000000000"
	goodDate       = "20261205T120000Z"
)

func authHeader(credential, signedHeaders, signature string) string {
	return "AWS4-HMAC-SHA256 Credential=" + credential + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature
}

// TestHeaderErrors: one case per way an Authorization header is refused,
// with S3's code, message and extra elements.
func TestHeaderErrors(t *testing.T) {
	good := authHeader(goodCredential, "host;x-amz-content-sha256;x-amz-date", goodSignature)
	tests := []struct {
		name   string
		header map[string]string // "" deletes
		target string
		code   s3api.ErrorCode
		msg    string
		extra  []s3err.ExtraElement // checked when not nil
	}{
		{name: "no space", header: map[string]string{"Authorization": "AWS4-HMAC-SHA256"},
			code: s3err.InvalidArgument, msg: msgNoSpace,
			extra: []s3err.ExtraElement{el("ArgumentName", "Authorization"), el("ArgumentValue", "AWS4-HMAC-SHA256")}},
		{name: "unknown scheme", header: map[string]string{"Authorization": "Bearer abc"},
			code: s3err.InvalidArgument, msg: "Unsupported Authorization Type",
			extra: []s3err.ExtraElement{el("ArgumentName", "Authorization"), el("ArgumentValue", "Bearer abc")}},
		{name: "sha512", header: map[string]string{"Authorization": strings.Replace(good, "SHA256", "SHA512", 1)},
			code: s3err.InvalidArgument, msg: "Unsupported Authorization Type"},
		{name: "sigv4a", header: map[string]string{"Authorization": strings.Replace(good, "AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256", 1)},
			code: s3err.InvalidRequest, msg: "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256."},
		{name: "sigv2 not allowed", header: map[string]string{"Authorization": "AWS " + testAccessKey + ":c2lnbmF0dXJl"},
			code: s3err.InvalidRequest, msg: msgMechanism},
		{name: "header and query", target: "/bkt/k?X-Amz-Algorithm=AWS4-HMAC-SHA256",
			code: s3err.InvalidArgument, msg: msgOneMechanism},
		{name: "no date", header: map[string]string{"X-Amz-Date": ""},
			code: s3err.AccessDenied, msg: "AWS authentication requires a valid Date or x-amz-date header"},
		{name: "bad date", header: map[string]string{"X-Amz-Date": "2026-12-05T12:00:00Z"},
			code: s3err.AccessDenied, msg: "AWS authentication requires a valid Date or x-amz-date header"},
		{name: "skewed", header: map[string]string{"X-Amz-Date": "20261205T121501Z"},
			code: s3err.RequestTimeTooSkewed, msg: "The difference between the request time and the current time is too large.",
			extra: []s3err.ExtraElement{el("RequestTime", "20261205T121501Z"), el("ServerTime", "2026-12-05T12:00:00Z"), el("MaxAllowedSkewMilliseconds", "900000")}},
		{name: "missing signature", header: map[string]string{"Authorization": "AWS4-HMAC-SHA256 Credential=" + goodCredential + ", SignedHeaders=host"},
			code: s3err.AuthorizationHeaderMalformed,
			msg:  "The authorization header is malformed; the authorization header requires three components: Credential, SignedHeaders, and Signature."},
		{name: "unknown component", header: map[string]string{"Authorization": good + ", Extra=1"},
			code: s3err.AuthorizationHeaderMalformed, msg: msgHeaderMalformed + msgComponents},
		{name: "credential parts", header: map[string]string{"Authorization": authHeader(testAccessKey+"/20261205/us-east-1/s3", "host", goodSignature)},
			code: s3err.AuthorizationHeaderMalformed,
			msg:  `The authorization header is malformed; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`},
		{name: "empty region", header: map[string]string{"Authorization": authHeader(testAccessKey+"/20261205//s3/aws4_request", "host", goodSignature)},
			code: s3err.AuthorizationHeaderMalformed,
			msg:  "The authorization header is malformed; a non-empty region must be provided in the credential."},
		{name: "wrong region", header: map[string]string{"Authorization": authHeader(testAccessKey+"/20261205/eu-west-1/s3/aws4_request", "host", goodSignature)},
			code:  s3err.AuthorizationHeaderMalformed,
			msg:   "The authorization header is malformed; the region 'eu-west-1' is wrong; expecting 'us-east-1'",
			extra: []s3err.ExtraElement{el("Region", "us-east-1")}},
		{name: "wrong service", header: map[string]string{"Authorization": authHeader(testAccessKey+"/20261205/us-east-1/s4/aws4_request", "host", goodSignature)},
			code: s3err.AuthorizationHeaderMalformed,
			msg:  `The authorization header is malformed; incorrect service "s4". This endpoint belongs to "s3".`},
		{name: "wrong terminal", header: map[string]string{"Authorization": authHeader(testAccessKey+"/20261205/us-east-1/s3/aws5_request", "host", goodSignature)},
			code: s3err.AuthorizationHeaderMalformed,
			msg:  `The authorization header is malformed; incorrect terminal "aws5_request". This endpoint uses "aws4_request".`},
		{name: "empty access key", header: map[string]string{"Authorization": authHeader("/20261205/us-east-1/s3/aws4_request", "host", goodSignature)},
			code: s3err.AuthorizationHeaderMalformed,
			msg:  "The authorization header is malformed; a non-empty Access Key (AKID) must be provided in the credential."},
		{name: "credential date", header: map[string]string{"Authorization": authHeader(testAccessKey+"/20261204/us-east-1/s3/aws4_request", "host", goodSignature)},
			code: s3err.AuthorizationHeaderMalformed,
			msg:  "The authorization header is malformed; Invalid credential date. Date is not the same as X-Amz-Date."},
		{name: "unknown key", header: map[string]string{"Authorization": authHeader("NOBODY/20261205/us-east-1/s3/aws4_request", "host", goodSignature)},
			code: s3err.InvalidAccessKeyID, msg: "The AWS Access Key Id you provided does not exist in our records.",
			extra: []s3err.ExtraElement{el("AWSAccessKeyId", "NOBODY")}},
		{name: "session token", header: map[string]string{"X-Amz-Security-Token": "FwoGZXIvYXdz"},
			code: s3err.InvalidToken, msg: "The provided token is malformed or otherwise invalid.",
			extra: []s3err.ExtraElement{el("Token-0", "FwoGZXIvYXdz")}},
		{name: "no content sha256", header: map[string]string{"X-Amz-Content-Sha256": ""},
			code: s3err.InvalidRequest, msg: "Missing required header for this request: x-amz-content-sha256"},
		{name: "bad content sha256", header: map[string]string{"X-Amz-Content-Sha256": "abc"},
			code: s3err.InvalidArgument, msg: msgBadSHA256,
			extra: []s3err.ExtraElement{el("ArgumentName", "x-amz-content-sha256"), el("ArgumentValue", "abc")}},
		{name: "sigv4a streaming", header: map[string]string{"X-Amz-Content-Sha256": "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD"},
			code: s3err.InvalidRequest, msg: msgMechanism},
		{name: "bad signature", code: s3err.SignatureDoesNotMatch,
			msg: "The request signature we calculated does not match the signature you provided. Check your key and signing method."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now := testTime
			target := tt.target
			if target == "" {
				target = "/bkt/k"
			}
			r := serverRequest(t, clientRequest(t, "GET", target, nil))
			r.Header.Set("Authorization", good)
			r.Header.Set("X-Amz-Date", goodDate)
			r.Header.Set("X-Amz-Content-Sha256", emptySHA256)
			for k, v := range tt.header {
				if v == "" {
					r.Header.Del(k)
				} else {
					r.Header.Set(k, v)
				}
			}
			checkRefusal(t, now, r, tt.code, tt.msg, tt.extra)
		})
	}
}

// TestQueryErrors: one case per way a presigned query string is refused.
func TestQueryErrors(t *testing.T) {
	good := url.Values{
		"X-Amz-Algorithm":     {"AWS4-HMAC-SHA256"},
		"X-Amz-Credential":    {goodCredential},
		"X-Amz-Date":          {goodDate},
		"X-Amz-Expires":       {"3600"},
		"X-Amz-SignedHeaders": {"host"},
		"X-Amz-Signature":     {goodSignature},
	}
	tests := []struct {
		name  string
		set   map[string]string // "" deletes
		now   string            // server time, default goodDate
		code  s3api.ErrorCode
		msg   string
		extra []s3err.ExtraElement
	}{
		{name: "algorithm", set: map[string]string{"X-Amz-Algorithm": "AWS4-HMAC-SHA1"},
			code: s3err.AuthorizationQueryParametersError, msg: `X-Amz-Algorithm only supports "AWS4-HMAC-SHA256 and AWS4-ECDSA-P256-SHA256"`},
		{name: "sigv4a", set: map[string]string{"X-Amz-Algorithm": "AWS4-ECDSA-P256-SHA256"},
			code: s3err.InvalidRequest, msg: msgMechanism},
		{name: "with sigv2", set: map[string]string{"Signature": "abc"},
			code: s3err.InvalidArgument, msg: msgOneMechanism, extra: []s3err.ExtraElement{el("ArgumentName", "Authorization")}},
		{name: "missing credential", set: map[string]string{"X-Amz-Credential": ""},
			code: s3err.AuthorizationQueryParametersError,
			msg:  "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters."},
		{name: "missing expires", set: map[string]string{"X-Amz-Expires": ""},
			code: s3err.AuthorizationQueryParametersError, msg: msgQueryParams},
		{name: "date format", set: map[string]string{"X-Amz-Date": "20261205"},
			code: s3err.AuthorizationQueryParametersError, msg: `X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`},
		{name: "expires not a number", set: map[string]string{"X-Amz-Expires": "1h"},
			code: s3err.AuthorizationQueryParametersError, msg: "X-Amz-Expires should be a number"},
		{name: "expires negative", set: map[string]string{"X-Amz-Expires": "-1"},
			code: s3err.AuthorizationQueryParametersError, msg: "X-Amz-Expires must be non-negative"},
		{name: "expires over a week", set: map[string]string{"X-Amz-Expires": "604801"},
			code: s3err.AuthorizationQueryParametersError,
			msg:  "X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds"},
		{name: "expired", now: "20261205T130001Z", code: s3err.AccessDenied, msg: "Request has expired",
			extra: []s3err.ExtraElement{el("X-Amz-Expires", "3600"), el("Expires", "2026-12-05T13:00:00Z"), el("ServerTime", "2026-12-05T13:00:01Z")}},
		{name: "not yet valid", now: "20261205T114459Z", code: s3err.AccessDenied, msg: "Request is not yet valid"},
		{name: "wrong region", set: map[string]string{"X-Amz-Credential": testAccessKey + "/20261205/eu-west-1/s3/aws4_request"},
			code:  s3err.AuthorizationQueryParametersError,
			msg:   "Error parsing the X-Amz-Credential parameter; the region 'eu-west-1' is wrong; expecting 'us-east-1'",
			extra: []s3err.ExtraElement{el("Region", "us-east-1")}},
		{name: "wrong service", set: map[string]string{"X-Amz-Credential": testAccessKey + "/20261205/us-east-1/sts/aws4_request"},
			code: s3err.AuthorizationQueryParametersError,
			msg:  `Error parsing the X-Amz-Credential parameter; incorrect service "sts". This endpoint belongs to "s3".`},
		{name: "wrong terminal", set: map[string]string{"X-Amz-Credential": testAccessKey + "/20261205/us-east-1/s3/aws4"},
			code: s3err.AuthorizationQueryParametersError,
			msg:  `Error parsing the X-Amz-Credential parameter; incorrect terminal "aws4". This endpoint uses "aws4_request".`},
		{name: "credential shape", set: map[string]string{"X-Amz-Credential": testAccessKey},
			code: s3err.AuthorizationQueryParametersError, msg: msgQueryCredential + msgCredentialShape},
		{name: "empty access key", set: map[string]string{"X-Amz-Credential": "/20261205/us-east-1/s3/aws4_request"},
			code: s3err.AuthorizationQueryParametersError,
			msg:  msgQueryCredential + "a non-empty Access Key (AKID) must be provided in the credential."},
		{name: "credential date", set: map[string]string{"X-Amz-Credential": testAccessKey + "/20261204/us-east-1/s3/aws4_request"},
			code: s3err.AuthorizationQueryParametersError,
			msg:  `Invalid credential date "20261204". This date is not the same as X-Amz-Date: "20261205".`},
		{name: "unknown key", set: map[string]string{"X-Amz-Credential": "NOBODY/20261205/us-east-1/s3/aws4_request"},
			code: s3err.InvalidAccessKeyID, extra: []s3err.ExtraElement{el("AWSAccessKeyId", "NOBODY")}},
		{name: "session token", set: map[string]string{"X-Amz-Security-Token": "tok"},
			code: s3err.InvalidToken, extra: []s3err.ExtraElement{el("Token-0", "tok")}},
		{name: "bad signature", code: s3err.SignatureDoesNotMatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now := testTime
			if tt.now != "" {
				now, _ = parseAmzDate(tt.now)
			}
			q := url.Values{}
			for k, v := range good {
				q[k] = v
			}
			for k, v := range tt.set {
				if v == "" {
					q.Del(k)
				} else {
					q.Set(k, v)
				}
			}
			r := serverRequest(t, clientRequest(t, "GET", "/bkt/k?"+q.Encode(), nil))
			checkRefusal(t, now, r, tt.code, tt.msg, tt.extra)
		})
	}
}

// TestV2QueryErrors: the SigV2 query string's own refusals.
func TestV2QueryErrors(t *testing.T) {
	tests := []struct {
		name, query string
		code        s3api.ErrorCode
		msg         string
	}{
		{"no expires", "AWSAccessKeyId=" + testAccessKey + "&Signature=abc", s3err.AccessDenied,
			"Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters"},
		{"no key", "Expires=1893456000&Signature=abc", s3err.AccessDenied, msgV2Query},
		{"bad expires", "AWSAccessKeyId=" + testAccessKey + "&Expires=2147483648&Signature=abc", s3err.AccessDenied,
			"Invalid date (should be seconds since epoch): 2147483648"},
		{"expired", "AWSAccessKeyId=" + testAccessKey + "&Expires=1000&Signature=abc", s3err.AccessDenied, "Request has expired"},
		{"unknown key", "AWSAccessKeyId=NOBODY&Expires=2147483647&Signature=abc", s3err.InvalidAccessKeyID, ""},
		{"bad signature", "AWSAccessKeyId=" + testAccessKey + "&Expires=2147483647&Signature=abc", s3err.SignatureDoesNotMatch, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now := testTime
			v := newVerifier(&now)
			v.AllowV2 = true
			_, err := v.Verify(serverRequest(t, clientRequest(t, "GET", "/bkt/k?"+tt.query, nil)))
			checkCode(t, err, tt.code, tt.msg)
		})
	}
}

// TestSHA256Mismatch: a body that is not what x-amz-content-sha256 says
// fails at EOF, naming both hashes; an empty body fails at once.
func TestSHA256Mismatch(t *testing.T) {
	now := testTime
	req := clientRequest(t, "PUT", "/bkt/k", []byte("abc"))
	sdkSign(t, req, []byte("abd"), "", testSecret, now)
	sr := serverRequest(t, req)
	_, _, err := verify(newVerifier(&now), sr)
	e := checkCode(t, err, s3err.XAmzContentSHA256Mismatch, "The provided 'x-amz-content-sha256' header does not match what was computed.")
	if diff := cmp.Diff([]s3err.ExtraElement{
		el("ClientComputedContentSHA256", sha256Hex([]byte("abd"))),
		el("S3ComputedContentSHA256", sha256Hex([]byte("abc"))),
	}, e.Extra); diff != "" {
		t.Errorf("extra (-want +got):\n%s", diff)
	}

	get := clientRequest(t, "GET", "/bkt/k", nil)
	sdkSign(t, get, []byte("x"), "", testSecret, now)
	_, err = newVerifier(&now).Verify(serverRequest(t, get))
	checkCode(t, err, s3err.XAmzContentSHA256Mismatch, "")
}

// TestUnsignedHeaders: x-amz-* headers outside SignedHeaders are named.
func TestUnsignedHeaders(t *testing.T) {
	now := testTime
	req := clientRequest(t, "GET", "/bkt/k", nil)
	sdkSign(t, req, nil, "", testSecret, now)
	sr := serverRequest(t, req)
	sr.Header.Set("X-Amz-Acl", "public-read")
	sr.Header.Set("X-Amz-Meta-B", "1")
	_, err := newVerifier(&now).Verify(sr)
	e := checkCode(t, err, s3err.AccessDenied, "There were headers present in the request which were not signed")
	if got := extraValue(e, "HeadersNotSigned"); got != "x-amz-acl, x-amz-meta-b" {
		t.Errorf("HeadersNotSigned = %q", got)
	}
}
