package sigv4

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/mocks3/mocks3/internal/s3err"

	"github.com/mocks3/mocks3/s3api"
)

// Two independent vectors: the example of AWS's "Example: Browser-Based
// Upload using HTTP POST (Using AWS Signature Version 4)", and the fields
// botocore's generate_presigned_post makes for the same credentials.
const (
	awsPostPolicy    = "eyAiZXhwaXJhdGlvbiI6ICIyMDE1LTEyLTMwVDEyOjAwOjAwLjAwMFoiLA0KICAiY29uZGl0aW9ucyI6IFsNCiAgICB7ImJ1Y2tldCI6ICJzaWd2NGV4YW1wbGVidWNrZXQifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRrZXkiLCAidXNlci91c2VyMS8iXSwNCiAgICB7ImFjbCI6ICJwdWJsaWMtcmVhZCJ9LA0KICAgIHsic3VjY2Vzc19hY3Rpb25fcmVkaXJlY3QiOiAiaHR0cDovL3NpZ3Y0ZXhhbXBsZWJ1Y2tldC5zMy5hbWF6b25hd3MuY29tL3N1Y2Nlc3NmdWxfdXBsb2FkLmh0bWwifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRDb250ZW50LVR5cGUiLCAiaW1hZ2UvIl0sDQogICAgeyJ4LWFtei1tZXRhLXV1aWQiOiAiMTQzNjUxMjM2NTEyNzQifSwNCiAgICB7IngtYW16LXNlcnZlci1zaWRlLWVuY3J5cHRpb24iOiAiQUVTMjU2In0sDQogICAgWyJzdGFydHMtd2l0aCIsICIkeC1hbXotbWV0YS10YWciLCAiIl0sDQoNCiAgICB7IngtYW16LWNyZWRlbnRpYWwiOiAiQUtJQUlPU0ZPRE5ON0VYQU1QTEUvMjAxNTEyMjkvdXMtZWFzdC0xL3MzL2F3czRfcmVxdWVzdCJ9LA0KICAgIHsieC1hbXotYWxnb3JpdGhtIjogIkFXUzQtSE1BQy1TSEEyNTYifSwNCiAgICB7IngtYW16LWRhdGUiOiAiMjAxNTEyMjlUMDAwMDAwWiIgfQ0KICBdDQp9"
	awsPostSignature = "8afdbf4008c03f22c2cd3cdb72e4afbb1f6a588f3255ac628749a66d7f09699e"
	botoPostPolicy   = "eyJleHBpcmF0aW9uIjogIjIwMTUtMTItMjlUMDE6MDA6MDBaIiwgImNvbmRpdGlvbnMiOiBbeyJidWNrZXQiOiAic2lndjRleGFtcGxlYnVja2V0In0sIHsia2V5IjogInVzZXIvdXNlcjEvcGhvdG8uanBnIn0sIHsieC1hbXotYWxnb3JpdGhtIjogIkFXUzQtSE1BQy1TSEEyNTYifSwgeyJ4LWFtei1jcmVkZW50aWFsIjogIkFLSUFJT1NGT0ROTjdFWEFNUExFLzIwMTUxMjI5L3VzLWVhc3QtMS9zMy9hd3M0X3JlcXVlc3QifSwgeyJ4LWFtei1kYXRlIjogIjIwMTUxMjI5VDAwMDAwMFoifV19"
	botoPostSigature = "3364624b39010d9b06f5d9b8c9a18a6e478d261c048159c92f2fd6fa885f14e6"
	exampleKey       = "AKIAIOSFODNN7EXAMPLE"
	exampleSecret    = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
)

func postVerifier(allowV2 bool) *Verifier {
	return &Verifier{AllowV2: allowV2, Secret: func(ak string) (string, bool) {
		if ak == exampleKey {
			return exampleSecret, true
		}
		return "", false
	}}
}

// fieldsOf looks fields up in any case, as a form is read.
func fieldsOf(m map[string]string) func(string) (string, bool) {
	return func(name string) (string, bool) {
		for k, v := range m {
			if strings.EqualFold(k, name) {
				return v, true
			}
		}
		return "", false
	}
}

func v4Form(policy, signature string) map[string]string {
	return map[string]string{
		"X-Amz-Algorithm": "AWS4-HMAC-SHA256", "X-Amz-Credential": exampleKey + "/20151229/us-east-1/s3/aws4_request",
		"X-Amz-Date": "20151229T000000Z", "Policy": policy, "X-Amz-Signature": signature,
	}
}

func TestVerifyPOSTVectors(t *testing.T) {
	for name, f := range map[string]map[string]string{
		"AWS example": v4Form(awsPostPolicy, awsPostSignature),
		"botocore":    v4Form(botoPostPolicy, botoPostSigature),
	} {
		ak, err := postVerifier(false).VerifyPOST(fieldsOf(f))
		if err != nil || ak != exampleKey {
			t.Errorf("VerifyPOST(%s) = %q, %v; want %s", name, ak, err, exampleKey)
		}
	}
}

func TestVerifyPOSTErrors(t *testing.T) {
	with := func(change map[string]string, drop ...string) map[string]string {
		f := v4Form(awsPostPolicy, awsPostSignature)
		for k, v := range change {
			f[k] = v
		}
		for _, k := range drop {
			delete(f, k)
		}
		return f
	}
	v2 := func(sig string) map[string]string {
		return map[string]string{"AWSAccessKeyId": exampleKey, "policy": awsPostPolicy, "signature": sig}
	}
	tests := []struct {
		name    string
		form    map[string]string
		allowV2 bool
		code    s3api.ErrorCode
		msg     string
		extra   []string
	}{
		{name: "no signature", form: with(nil, "X-Amz-Signature"), code: s3err.InvalidArgument,
			msg:   "Bucket POST must contain a field named 'X-Amz-Signature'.  If it is specified, please check the order of the fields.",
			extra: []string{"ArgumentName", "X-Amz-Signature", "ArgumentValue", ""}},
		{name: "no algorithm nor credential", form: with(nil, "X-Amz-Algorithm", "X-Amz-Credential"), code: s3err.InvalidArgument,
			extra: []string{"ArgumentName", "X-Amz-Algorithm"}},
		{name: "no policy", form: with(nil, "Policy"), code: s3err.InvalidArgument, extra: []string{"ArgumentName", "policy"}},
		{name: "another region", form: with(map[string]string{"X-Amz-Credential": exampleKey + "/20151229/eu-west-1/s3/aws4_request"}),
			code: s3err.InvalidArgument, msg: "the region 'eu-west-1' is wrong; expecting 'us-east-1'",
			extra: []string{"ArgumentName", "X-Amz-Credential", "Region", "us-east-1"}},
		{name: "an empty access key", form: with(map[string]string{"X-Amz-Credential": "/20151229/us-east-1/s3/aws4_request"}),
			code: s3err.InvalidArgument, msg: "a non-empty Access Key (AKID) must be provided in the credential."},
		{name: "a malformed date", form: with(map[string]string{"X-Amz-Date": "2015-12-29T00:00:00Z"}),
			code: s3err.InvalidArgument, msg: "X-Amz-Date must be formated via ISO8601 Long format", extra: []string{"ArgumentValue", "2015-12-29T00:00:00Z"}},
		{name: "another algorithm", form: with(map[string]string{"X-Amz-Algorithm": "AWS4-HMAC-SHA1"}), code: s3err.InvalidArgument},
		{name: "SigV4a", form: with(map[string]string{"X-Amz-Algorithm": "AWS4-ECDSA-P256-SHA256"}), code: s3err.InvalidRequest},
		{name: "an unknown key", form: with(map[string]string{"X-Amz-Credential": "AKIAUNKNOWN/20151229/us-east-1/s3/aws4_request"}),
			code: s3err.InvalidAccessKeyID, extra: []string{"AWSAccessKeyId", "AKIAUNKNOWN"}},
		{name: "a session token", form: with(map[string]string{"X-Amz-Security-Token": "tok"}), code: s3err.InvalidToken},
		{name: "another policy", form: with(map[string]string{"Policy": botoPostPolicy}), code: s3err.SignatureDoesNotMatch,
			extra: []string{"AWSAccessKeyId", exampleKey, "StringToSign", botoPostPolicy, "SignatureProvided", awsPostSignature,
				"StringToSignBytes", hexBytes(botoPostPolicy)}},
		{name: "SigV2 not allowed", form: v2("x"), code: s3err.InvalidRequest, msg: msgMechanism},
		{name: "SigV2 without the key", form: map[string]string{"policy": "p", "signature": "s"}, allowV2: true,
			code: s3err.InvalidArgument, extra: []string{"ArgumentName", "AWSAccessKeyId"}},
		{name: "SigV2 wrong signature", form: v2("c2lnbmF0dXJl"), allowV2: true, code: s3err.SignatureDoesNotMatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ak, err := postVerifier(tt.allowV2).VerifyPOST(fieldsOf(tt.form))
			var e *s3err.Error
			if !errors.As(err, &e) {
				t.Fatalf("VerifyPOST() = %q, %v; want %s", ak, err, tt.code)
			}
			if e.Code != tt.code || (tt.msg != "" && e.Message != tt.msg) {
				t.Errorf("VerifyPOST() = %s %q, want %s %q", e.Code, e.Message, tt.code, tt.msg)
			}
			for i := 0; i+1 < len(tt.extra); i += 2 {
				found := false
				for _, x := range e.Extra {
					if x.Name == tt.extra[i] {
						found = true
						if x.Value != tt.extra[i+1] {
							t.Errorf("%s = %q, want %q", x.Name, x.Value, tt.extra[i+1])
						}
					}
				}
				if !found {
					t.Errorf("no %s in %v", tt.extra[i], e.Extra)
				}
			}
		})
	}
}

func TestVerifyPOSTV2AndAnonymous(t *testing.T) {
	ak, err := postVerifier(false).VerifyPOST(fieldsOf(map[string]string{"key": "k", "policy": awsPostPolicy}))
	if err != nil || ak != "" {
		t.Errorf("VerifyPOST(no signature fields) = %q, %v; want anonymous", ak, err)
	}
	// base64(HMAC-SHA1(secret, policy)) computed independently.
	sig := v2Sig(exampleSecret, awsPostPolicy)
	ak, err = postVerifier(true).VerifyPOST(fieldsOf(map[string]string{"awsaccesskeyid": exampleKey, "Policy": awsPostPolicy, "SIGNATURE": sig}))
	if err != nil || ak != exampleKey {
		t.Errorf("VerifyPOST(SigV2) = %q, %v; want %s", ak, err, exampleKey)
	}
}

func v2Sig(secret, policy string) string {
	m := hmac.New(sha1.New, []byte(secret))
	m.Write([]byte(policy))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}
