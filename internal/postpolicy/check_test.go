package postpolicy

import (
	"strings"
	"testing"
	"time"

	"github.com/mocks3/mocks3/internal/s3err"

	"github.com/mocks3/mocks3/s3api"
)

var (
	checkNow = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	later    = `"2030-01-01T00:00:01Z"`
)

func policyWith(t *testing.T, conditions string) *Policy {
	t.Helper()
	p, err := Parse(encode(`{"expiration": ` + later + `, "conditions": [` + conditions + `]}`))
	if err != nil {
		t.Fatalf("Parse(%s) = %v", conditions, err)
	}
	return p
}

func TestCheck(t *testing.T) {
	const only = `{"bucket": "b"}, ["starts-with", "$key", ""]`
	const base = only + ", "
	tests := []struct {
		name       string
		conditions string
		fields     []Field // key=k is added first
		bucket     string  // default "b"
		wantCode   s3api.ErrorCode
		wantMsg    string
	}{
		{name: "eq holds", conditions: base + `{"acl": "private"}`, fields: []Field{{"acl", "private"}}},
		{name: "eq in a list fails", conditions: base + `["eq", "$acl", "x"]`, fields: []Field{{"acl", "private"}},
			wantCode: s3err.AccessDenied, wantMsg: `Invalid according to Policy: Policy Condition failed: ["eq", "$acl", "x"]`},
		{name: "object condition quoted as eq", conditions: base + `{"Acl": "x"}`, fields: []Field{{"acl", "private"}},
			wantCode: s3err.AccessDenied, wantMsg: `Invalid according to Policy: Policy Condition failed: ["eq", "$Acl", "x"]`},
		{name: "values are case-sensitive", conditions: base + `{"acl": "Private"}`, fields: []Field{{"acl", "private"}},
			wantCode: s3err.AccessDenied},
		{name: "names are not", conditions: `{"BUCKET": "b"}, ["StArTs-WiTh", "$KeY", "k"], {"content-TYPE": "text/css"}`,
			fields: []Field{{"Content-Type", "text/css"}}},
		{name: "eq on an absent field", conditions: base + `{"acl": "x"}`,
			wantCode: s3err.AccessDenied, wantMsg: `Invalid according to Policy: Policy Condition failed: ["eq", "$acl", "x"]`},
		{name: "starts-with empty on an absent field", conditions: base + `["starts-with", "$Content-Type", ""]`,
			wantCode: s3err.AccessDenied, wantMsg: `Invalid according to Policy: Policy Condition failed: ["starts-with", "$Content-Type", ""]`},
		{name: "starts-with empty takes anything", conditions: base + `["starts-with", "$x-amz-meta-a", ""]`, fields: []Field{{"x-amz-meta-a", "zz"}}},
		{name: "eq without $", conditions: base + `["eq", "acl", "private"]`, fields: []Field{{"acl", "private"}},
			wantCode: s3err.AccessDenied, wantMsg: `Invalid according to Policy: Policy Condition failed: ["eq", "acl", "private"]`},
		{name: "another bucket", conditions: `{"bucket": "other"}, ["starts-with", "$key", ""]`,
			wantCode: s3err.AccessDenied, wantMsg: `Invalid according to Policy: Policy Condition failed: ["eq", "$bucket", "other"]`},
		{name: "a bucket field does not change the bucket", conditions: `{"bucket": "other"}, ["starts-with", "$key", ""]`,
			fields: []Field{{"bucket", "other"}}, wantCode: s3err.AccessDenied},
		{name: "content types each start with the prefix", conditions: base + `["starts-with", "$Content-Type", "image/"]`,
			fields: []Field{{"Content-Type", "image/png, image/gif"}}},
		{name: "a content type without it", conditions: base + `["starts-with", "$Content-Type", "image/"]`,
			fields: []Field{{"Content-Type", "image/png,text/html"}}, wantCode: s3err.AccessDenied},
		{name: "quotes escaped in the message", conditions: base + `["eq", "$Content-Disposition", "filename=\"a.png\""]`,
			wantCode: s3err.AccessDenied, wantMsg: `Invalid according to Policy: Policy Condition failed: ["eq", "$Content-Disposition", "filename=\"a.png\""]`},
		{name: "a field without a condition", conditions: only, fields: []Field{{"Expires", "0"}},
			wantCode: s3err.AccessDenied, wantMsg: "Invalid according to Policy: Extra input fields: Expires"},
		{name: "a bucket field without a condition", conditions: `["starts-with", "$key", ""]`, fields: []Field{{"bucket", "b"}},
			wantCode: s3err.AccessDenied, wantMsg: "Invalid according to Policy: Extra input fields: bucket"},
		{name: "a key without a condition", conditions: `{"bucket": "b"}`,
			wantCode: s3err.AccessDenied, wantMsg: "Invalid according to Policy: Extra input fields: key"},
		{name: "x-amz-date needs one", conditions: only, fields: []Field{{"x-amz-date", "20300101T000000Z"}},
			wantCode: s3err.AccessDenied, wantMsg: "Invalid according to Policy: Extra input fields: x-amz-date"},
		{name: "exempt fields", conditions: only, fields: []Field{{"X-Ignore-Me", "1"}, {"Policy", "p"},
			{"X-Amz-Signature", "s"}, {"Signature", "s"}, {"AWSAccessKeyId", "a"}}},
		{name: "a range bound that is not a number", conditions: base + `["content-length-range", "test", "10"]`,
			wantCode: s3err.AccessDenied, wantMsg: `Invalid according to Policy: Policy Condition failed: ["content-length-range", "test", "10"]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := policyWith(t, tt.conditions)
			form := &Form{Fields: append([]Field{{"key", "k"}}, tt.fields...)}
			bucket := tt.bucket
			if bucket == "" {
				bucket = "b"
			}
			err := p.Check(form, bucket, checkNow)
			if tt.wantCode == "" {
				if err != nil {
					t.Errorf("Check() = %v, want nil", err)
				}
				return
			}
			wantError(t, err, tt.wantCode, tt.wantMsg)
		})
	}
}

func TestCheckExpiration(t *testing.T) {
	p := policyWith(t, `{"bucket": "b"}`)
	form := &Form{}
	if err := p.Check(form, "b", checkNow); err != nil {
		t.Errorf("Check() a second before expiration = %v, want nil", err)
	}
	for _, now := range []time.Time{checkNow.Add(time.Second), checkNow.Add(time.Hour)} {
		wantError(t, p.Check(form, "b", now), s3err.AccessDenied, "Invalid according to Policy: Policy expired.")
	}
}

func TestCheckSize(t *testing.T) {
	p := policyWith(t, `["content-length-range", 5, 10]`)
	for _, n := range []int64{5, 7, 10} {
		if err := p.CheckSize(n); err != nil {
			t.Errorf("CheckSize(%d) = %v, want nil", n, err)
		}
	}
	err := p.CheckSize(4)
	wantError(t, err, s3err.EntityTooSmall, "Your proposed upload is smaller than the minimum allowed size")
	if got := err.(*s3err.Error).Extra; len(got) != 2 || got[0].Value != "4" || got[1].Name != "MinSizeAllowed" || got[1].Value != "5" {
		t.Errorf("EntityTooSmall extra = %v, want ProposedSize 4, MinSizeAllowed 5", got)
	}
	err = p.CheckSize(11)
	wantError(t, err, s3err.EntityTooLarge, "Your proposed upload exceeds the maximum allowed size")
	if got := err.(*s3err.Error).Extra; len(got) != 2 || got[0].Value != "11" || got[1].Name != "MaxSizeAllowed" || got[1].Value != "10" {
		t.Errorf("EntityTooLarge extra = %v, want ProposedSize 11, MaxSizeAllowed 10", got)
	}
	if got := p.MaxSize(); got != 10 {
		t.Errorf("MaxSize() = %d, want 10", got)
	}
	if got := policyWith(t, `{"bucket": "b"}`).MaxSize(); got != -1 {
		t.Errorf("MaxSize() without a range = %d, want -1", got)
	}
	var none *Policy
	if none.CheckSize(1<<40) != nil || none.MaxSize() != -1 {
		t.Error("a nil policy limits the size")
	}
}

func TestQuoteKeepsHTML(t *testing.T) {
	if got := quote("<a&b>"); !strings.Contains(got, "<a&b>") {
		t.Errorf("quote(<a&b>) = %s, want the characters kept", got)
	}
}
