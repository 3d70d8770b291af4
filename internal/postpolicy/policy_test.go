package postpolicy

import (
	"encoding/base64"
	"errors"
	"testing"
	"time"

	"github.com/mocks3/mocks3/internal/s3err"

	"github.com/mocks3/mocks3/s3api"
)

func encode(doc string) string { return base64.StdEncoding.EncodeToString([]byte(doc)) }

// wantError checks that err is an S3 error with code and, if msg is not
// empty, message msg.
func wantError(t *testing.T, err error, code s3api.ErrorCode, msg string) {
	t.Helper()
	var e *s3err.Error
	if !errors.As(err, &e) {
		t.Fatalf("error = %v, want %s", err, code)
	}
	got := e.Message
	if got == "" {
		got = e.Code.Message()
	}
	if e.Code != code || (msg != "" && got != msg) {
		t.Errorf("error = %s %q, want %s %q", e.Code, got, code, msg)
	}
}

func TestParseInvalid(t *testing.T) {
	const exp = `"expiration": "2030-01-01T00:00:00Z"`
	tests := []struct {
		name    string
		encoded string // used as is when set
		doc     string
		want    string
	}{
		{"not base64", "{policy}", "", "Invalid JSON."},
		{"not JSON", "", "expiration", "Invalid JSON."},
		{"not an object", "", "[]", "Invalid JSON."},
		{"empty", "", "", "Invalid JSON."},
		{"two documents", "", `{` + exp + `, "conditions": []} {}`, "Invalid JSON."},
		{"stray closing brace", "", `{` + exp + `, "conditions": []}}`, "Invalid JSON."},
		{"stray closing bracket", "", `{` + exp + `, "conditions": []}]`, "Invalid JSON."},
		{"stray bracket after the conditions", "", `{` + exp + `, "conditions": [] ]}`, "Invalid JSON."},
		{"unknown member", "", `{"Version": "2012-10-17", ` + exp + `, "conditions": []}`, "Unexpected: 'version'"},
		{"EXPIRATION", "", `{"EXPIRATION": "2030-01-01T00:00:00Z", "conditions": []}`, "Unexpected: 'expiration'"},
		{"no expiration", "", `{"conditions": []}`, "Policy missing expiration."},
		{"expiration with an offset", "", `{"expiration": "2030-01-01T00:00:00+00:00", "conditions": []}`, "Invalid 'expiration' value: '2030-01-01T00:00:00+00:00'"},
		{"expiration with a space", "", `{"expiration": "2030-01-01 00:00:00", "conditions": []}`, "Invalid 'expiration' value: '2030-01-01 00:00:00'"},
		{"February 30", "", `{"expiration": "2030-02-30T00:00:00Z", "conditions": []}`, "Invalid 'expiration' value: '2030-02-30T00:00:00Z'"},
		{"expiration a number", "", `{"expiration": 1, "conditions": []}`, "Invalid 'expiration' value: '1'"},
		{"no conditions", "", `{` + exp + `}`, "Policy missing conditions."},
		{"conditions an object", "", `{` + exp + `, "conditions": {}}`, "Invalid 'conditions' value: must be a List."},
		{"empty object condition", "", `{` + exp + `, "conditions": [{}]}`, "Invalid Simple-Condition: Simple-Conditions must have exactly one property specified."},
		{"two properties", "", `{` + exp + `, "conditions": [{"acl": "a", "key": "k"}]}`, "Invalid Simple-Condition: Simple-Conditions must have exactly one property specified."},
		{"number value", "", `{` + exp + `, "conditions": [{"Content-Length": 6199034}]}`, "Invalid Simple-Condition: value must be a string."},
		{"null value", "", `{` + exp + `, "conditions": [{"success_action_redirect": null}]}`, "Invalid JSON."},
		{"string condition", "", `{` + exp + `, "conditions": ["bucket"]}`, "Invalid condition test: must be a List or Object."},
		{"empty list", "", `{` + exp + `, "conditions": [[]]}`, "Invalid Condition: missing operation identifier."},
		{"eq without a value", "", `{` + exp + `, "conditions": [["eq", "$key"]]}`, "Invalid eq: wrong number of arguments."},
		{"unknown operation", "", `{` + exp + `, "conditions": [["ends-with", "$key", "x"]]}`, "Invalid Condition: unknown operation 'ends-with'."},
		{"eq with a number", "", `{` + exp + `, "conditions": [["eq", "$key", 1]]}`, "Invalid JSON."},
		{"range without a maximum", "", `{` + exp + `, "conditions": [["content-length-range", 0]]}`, "Invalid content-length-range: wrong number of arguments."},
		{"negative range", "", `{` + exp + `, "conditions": [["content-length-range", -1, 0]]}`, "Invalid content-length-range: sizes must not be negative."},
		{"fractional range", "", `{` + exp + `, "conditions": [["content-length-range", 0, 512.0]]}`, "Invalid JSON."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			enc := tt.encoded
			if enc == "" {
				enc = encode(tt.doc)
			}
			p, err := Parse(enc)
			if err == nil {
				t.Fatalf("Parse(%s) = %+v, want an error", tt.doc, p)
			}
			wantError(t, err, s3err.InvalidPolicyDocument, "Invalid Policy: "+tt.want)
		})
	}
}

// The example policy of AWS's "Example: Browser-Based Upload using HTTP
// POST (Using AWS Signature Version 4)", as the page encodes it.
const awsExamplePolicy = "eyAiZXhwaXJhdGlvbiI6ICIyMDE1LTEyLTMwVDEyOjAwOjAwLjAwMFoiLA0KICAiY29uZGl0aW9ucyI6IFsNCiAgICB7ImJ1Y2tldCI6ICJzaWd2NGV4YW1wbGVidWNrZXQifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRrZXkiLCAidXNlci91c2VyMS8iXSwNCiAgICB7ImFjbCI6ICJwdWJsaWMtcmVhZCJ9LA0KICAgIHsic3VjY2Vzc19hY3Rpb25fcmVkaXJlY3QiOiAiaHR0cDovL3NpZ3Y0ZXhhbXBsZWJ1Y2tldC5zMy5hbWF6b25hd3MuY29tL3N1Y2Nlc3NmdWxfdXBsb2FkLmh0bWwifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRDb250ZW50LVR5cGUiLCAiaW1hZ2UvIl0sDQogICAgeyJ4LWFtei1tZXRhLXV1aWQiOiAiMTQzNjUxMjM2NTEyNzQifSwNCiAgICB7IngtYW16LXNlcnZlci1zaWRlLWVuY3J5cHRpb24iOiAiQUVTMjU2In0sDQogICAgWyJzdGFydHMtd2l0aCIsICIkeC1hbXotbWV0YS10YWciLCAiIl0sDQoNCiAgICB7IngtYW16LWNyZWRlbnRpYWwiOiAiQUtJQUlPU0ZPRE5ON0VYQU1QTEUvMjAxNTEyMjkvdXMtZWFzdC0xL3MzL2F3czRfcmVxdWVzdCJ9LA0KICAgIHsieC1hbXotYWxnb3JpdGhtIjogIkFXUzQtSE1BQy1TSEEyNTYifSwNCiAgICB7IngtYW16LWRhdGUiOiAiMjAxNTEyMjlUMDAwMDAwWiIgfQ0KICBdDQp9"

func TestParseAWSExample(t *testing.T) {
	p, err := Parse(awsExamplePolicy)
	if err != nil {
		t.Fatalf("Parse(AWS example) = %v", err)
	}
	if want := time.Date(2015, 12, 30, 12, 0, 0, 0, time.UTC); !p.Expiration.Equal(want) {
		t.Errorf("Expiration = %v, want %v", p.Expiration, want)
	}
	if len(p.Conditions) != 11 || p.Range != nil {
		t.Fatalf("Conditions = %d, Range = %v; want 11 and none", len(p.Conditions), p.Range)
	}
	if c := p.Conditions[1]; c.Op != "starts-with" || c.Field != "$key" || c.Value != "user/user1/" {
		t.Errorf("Conditions[1] = %+v, want starts-with $key user/user1/", c)
	}
	form := &Form{Fields: []Field{
		{"key", "user/user1/photo.jpg"}, {"acl", "public-read"},
		{"success_action_redirect", "http://sigv4examplebucket.s3.amazonaws.com/successful_upload.html"},
		{"Content-Type", "image/jpeg"}, {"x-amz-meta-uuid", "14365123651274"},
		{"x-amz-server-side-encryption", "AES256"},
		{"X-Amz-Credential", "AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/s3/aws4_request"},
		{"X-Amz-Algorithm", "AWS4-HMAC-SHA256"}, {"X-Amz-Date", "20151229T000000Z"},
		{"x-amz-meta-tag", ""}, {"Policy", awsExamplePolicy},
		{"X-Amz-Signature", "8afdbf4008c03f22c2cd3cdb72e4afbb1f6a588f3255ac628749a66d7f09699e"},
	}}
	if err := p.Check(form, "sigv4examplebucket", time.Date(2015, 12, 29, 12, 0, 0, 0, time.UTC)); err != nil {
		t.Errorf("Check(AWS example form) = %v", err)
	}
}

func TestParseWrappedBase64(t *testing.T) {
	doc := encode(`{"expiration": "2030-01-01T00:00:00.000Z", "conditions": [["content-length-range", "5", 10]]}`)
	p, err := Parse(doc[:20] + "\n" + doc[20:] + "\r\n")
	if err != nil {
		t.Fatalf("Parse(base64 in lines) = %v", err)
	}
	if lo, hi, ok := p.Range.Bounds(); !ok || lo != 5 || hi != 10 {
		t.Errorf("Range.Bounds() = %d, %d, %v; want 5, 10, true", lo, hi, ok)
	}
}
