package bucketconfig

import (
	"net/netip"
	"testing"
	"time"

	"github.com/mocks3/mocks3/internal/s3err"
)

// condReq is a signed GetObject with every kind of condition key.
func condReq() Requester {
	return Requester{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k", ARN: bobARN, Account: bobAccount, Name: "bob",
		CanonicalID: "bobcanon", SourceIP: netip.MustParseAddr("10.1.2.3"), SecureTransport: true,
		Now: time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC),
		Keys: map[string][]string{
			"aws:referer": {"https://www.example.com/page"}, "aws:useragent": {"aws-sdk-go-v2/1.0"},
			"s3:x-amz-acl": {"public-read"}, "s3:authtype": {"REST-HEADER"}, "s3:signatureversion": {"AWS4-HMAC-SHA256"},
			"s3:max-keys": {"50"}, "s3:tlsversion": {"1.3"},
			"s3:requestobjecttag/Team": {"blue"}, "s3:requestobjecttagkeys": {"Team", "env"},
		},
		ExistingTags: func() map[string]string { return map[string]string{"Class": "public"} },
	}
}

// TestConditionOperators: each operator, qualifier and key against
// condReq, as the only condition of an Allow.
func TestConditionOperators(t *testing.T) {
	ipv6 := condReq()
	ipv6.SourceIP = netip.MustParseAddr("2001:db8::1")
	anon := Requester{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k", Anonymous: true}
	tests := []struct {
		cond string
		req  *Requester // condReq when nil
		want bool
	}{
		{`{"Bool":{"aws:SecureTransport":"true"}}`, nil, true},
		{`{"Bool":{"aws:SecureTransport":false}}`, nil, false},
		{`{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`, nil, true},
		{`{"IpAddress":{"aws:SourceIp":["192.168.0.0/16","10.1.2.3"]}}`, nil, true},
		{`{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`, nil, false},
		{`{"IpAddress":{"aws:SourceIp":"2001:db8::/32"}}`, &ipv6, true},
		{`{"IpAddress":{"aws:SourceIp":"2001:db9::/32"}}`, &ipv6, false},
		{`{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`, &ipv6, true},
		{`{"StringLike":{"aws:Referer":"https://www.example.com/*"}}`, nil, true},
		{`{"StringLike":{"aws:Referer":"https://evil.example/*"}}`, nil, false},
		{`{"StringNotLike":{"aws:UserAgent":"curl/*"}}`, nil, true},
		{`{"StringLike":{"aws:UserAgent":"aws-sdk-go-v2/?.?"}}`, nil, true},
		{`{"StringEquals":{"aws:username":"bob"}}`, nil, true},
		{`{"StringEquals":{"aws:username":"bob"}}`, &anon, false},
		{`{"StringNotEquals":{"aws:username":"bob"}}`, &anon, true},
		{`{"StringEqualsIgnoreCase":{"aws:username":"BOB"}}`, nil, true},
		{`{"StringNotEqualsIgnoreCase":{"aws:username":"BOB"}}`, nil, false},
		{`{"ArnEquals":{"aws:PrincipalArn":"` + bobARN + `"}}`, nil, true},
		{`{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:user/b*"}}`, nil, true},
		{`{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*"}}`, nil, false},
		{`{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:user/carol"}}`, nil, true},
		{`{"ArnEquals":{"aws:PrincipalArn":"` + bobARN + `"}}`, &anon, false},
		{`{"StringEquals":{"aws:PrincipalType":"Anonymous"}}`, &anon, true},
		{`{"DateGreaterThan":{"aws:CurrentTime":"2026-01-01T00:00:00Z"}}`, nil, true},
		{`{"DateLessThan":{"aws:CurrentTime":"2026-01-01"}}`, nil, false},
		{`{"DateLessThanEquals":{"aws:CurrentTime":"2026-06-01T12:00:00Z"}}`, nil, true},
		{`{"DateEquals":{"aws:CurrentTime":1780315200}}`, nil, true},
		{`{"DateNotEquals":{"aws:CurrentTime":"2026-06-01T12:00:00Z"}}`, nil, false},
		{`{"DateGreaterThanEquals":{"aws:EpochTime":"2026-06-01T12:00:00+00:00"}}`, nil, true},
		{`{"NumericLessThan":{"aws:EpochTime":1780315201}}`, nil, true},
		{`{"NumericGreaterThan":{"aws:EpochTime":"1780315200"}}`, nil, false},
		{`{"NumericLessThanEquals":{"s3:max-keys":"50"}}`, nil, true},
		{`{"NumericGreaterThanEquals":{"s3:max-keys":51}}`, nil, false},
		{`{"NumericEquals":{"s3:max-keys":"50.0"}}`, nil, true},
		{`{"NumericNotEquals":{"s3:max-keys":"50"}}`, nil, false},
		{`{"NumericLessThan":{"s3:TlsVersion":1.2}}`, nil, false},
		{`{"NumericGreaterThanEquals":{"s3:TlsVersion":"1.2"}}`, nil, true},
		{`{"StringEquals":{"s3:x-amz-acl":["private","public-read"]}}`, nil, true},
		{`{"StringNotEquals":{"s3:x-amz-acl":["private","public-read"]}}`, nil, false},
		{`{"StringEquals":{"s3:authType":"REST-QUERY-STRING"}}`, nil, false},
		{`{"StringEquals":{"s3:signatureversion":"AWS4-HMAC-SHA256"}}`, nil, true},
		{`{"StringEquals":{"s3:ExistingObjectTag/Class":"public"}}`, nil, true},
		{`{"StringEquals":{"s3:existingobjecttag/class":"public"}}`, nil, false}, // the tag key keeps its case
		{`{"StringEquals":{"s3:RequestObjectTag/Team":"blue"}}`, nil, true},
		{`{"ForAllValues:StringEquals":{"s3:RequestObjectTagKeys":["Team","env","owner"]}}`, nil, true},
		{`{"ForAllValues:StringEquals":{"s3:RequestObjectTagKeys":["Team"]}}`, nil, false},
		{`{"ForAllValues:StringEquals":{"s3:RequestObjectTagKeys":["Team"]}}`, &anon, true}, // absent: true
		{`{"ForAnyValue:StringEquals":{"s3:RequestObjectTagKeys":["env"]}}`, nil, true},
		{`{"ForAnyValue:StringEquals":{"s3:RequestObjectTagKeys":["env"]}}`, &anon, false},
		{`{"ForAnyValue:StringNotEquals":{"s3:RequestObjectTagKeys":["Team"]}}`, nil, true},
		{`{"ForAllValues:StringNotLike":{"s3:RequestObjectTagKeys":["T*"]}}`, nil, false},
		{`{"StringEqualsIfExists":{"s3:x-amz-server-side-encryption":"AES256"}}`, nil, true},
		{`{"StringEquals":{"s3:x-amz-server-side-encryption":"AES256"}}`, nil, false},
		{`{"StringNotEquals":{"s3:x-amz-server-side-encryption":"AES256"}}`, nil, true},
		{`{"StringEqualsIfExists":{"s3:x-amz-acl":"private"}}`, nil, false},
		{`{"Null":{"s3:x-amz-server-side-encryption":"true"}}`, nil, true},
		{`{"Null":{"s3:x-amz-acl":"true"}}`, nil, false},
		{`{"Null":{"s3:x-amz-acl":false}}`, nil, true},
		{`{"StringEquals":{"aws:PrincipalOrgID":"o-1"}}`, nil, false}, // a key mocks3 does not know is absent
		{`{"Bool":{"aws:SecureTransport":"true"},"StringEquals":{"aws:username":"carol"}}`, nil, false},
		{`{"BinaryEquals":{"aws:username":"Ym9i"}}`, nil, false},
	}
	for _, tt := range tests {
		req := condReq()
		if tt.req != nil {
			req = *tt.req
		}
		name := tt.cond
		if tt.req == &anon {
			name += " anonymous"
		} else if tt.req == &ipv6 {
			name += " ipv6"
		}
		t.Run(name, func(t *testing.T) {
			p, err := ParsePolicy([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*",
				"Resource":"arn:aws:s3:::b/*","Condition":`+tt.cond+`}]}`), "b")
			if err != nil {
				t.Fatalf("ParsePolicy: %v", err)
			}
			if got := p.Evaluate(req, true) == Allowed; got != tt.want {
				t.Errorf("condition holds = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestConditionMalformed: PutBucketPolicy's answer to an operator, key or
// value it cannot take.
func TestConditionMalformed(t *testing.T) {
	tests := []struct {
		cond string
		msg  string
	}{
		{`{"StringEqualz":{"aws:username":"bob"}}`, "Invalid Condition type : StringEqualz"},
		{`{"stringequals":{"aws:username":"bob"}}`, "Invalid Condition type : stringequals"},
		{`{"ForSomeValues:StringEquals":{"aws:username":"bob"}}`, "Invalid Condition type : ForSomeValues:StringEquals"},
		{`{"NullIfExists":{"aws:username":"true"}}`, "Invalid Condition type : NullIfExists"},
		{`{"StringEquals":{"s3:VersionStatus":"Enabled"}}`, "Policy has an invalid condition key"},
		{`{"StringEquals":{"s3:ExistingObjectTag/":"x"}}`, "Policy has an invalid condition key"},
		{`{"StringEquals":{"nokey":"x"}}`, "Policy has an invalid condition key"},
		{`{"IpAddress":{"aws:SourceIp":"10.0.0.300/8"}}`, "Invalid IP address in Conditions"},
		{`{"StringEquals":{"aws:SourceIp":"not-an-ip"}}`, "Invalid IP address in Conditions"},
		{`{"NotIpAddress":{"aws:SourceIp":["::1","fe80::/1000"]}}`, "Invalid IP address in Conditions"},
		{`{"NumericLessThan":{"s3:max-keys":"ten"}}`, `Invalid Condition value for NumericLessThan: "ten"`},
		{`{"DateGreaterThan":{"aws:CurrentTime":"yesterday"}}`, `Invalid Condition value for DateGreaterThan: "yesterday"`},
		{`{"Bool":{"aws:SecureTransport":"yes"}}`, `Invalid Condition value for Bool: "yes"`},
		{`{"Null":{"s3:x-amz-acl":"maybe"}}`, `Invalid Condition value for Null: "maybe"`},
		{`{"BinaryEquals":{"aws:username":"!!"}}`, `Invalid Condition value for BinaryEquals: "!!"`},
		{`{"StringEquals":{"aws:username":{"a":1}}}`, `Invalid Condition value for StringEquals: {"a":1}`},
		{`{"StringEquals":{"aws:username":[]}}`, `Invalid Condition value for StringEquals: []`},
		{`{"StringEquals":"bob"}`, "Invalid Condition block"},
		{`{"StringEquals":{"aws:username":null}}`, `Invalid Condition value for StringEquals: null`},
		{`{"NumericLessThan":{"s3:max-keys":"NaN"}}`, `Invalid Condition value for NumericLessThan: "NaN"`},
		{`{"NumericLessThan":{"s3:max-keys":"Inf"}}`, `Invalid Condition value for NumericLessThan: "Inf"`},
	}
	for _, tt := range tests {
		t.Run(tt.cond, func(t *testing.T) {
			_, err := ParsePolicy([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*",
				"Resource":"arn:aws:s3:::b/*","Condition":`+tt.cond+`}]}`), "b")
			e, ok := err.(*s3err.Error)
			if !ok || e.Code != s3err.MalformedPolicy || e.Message != tt.msg {
				t.Errorf("ParsePolicy = %v, want MalformedPolicy %q", err, tt.msg)
			}
		})
	}
}

// FuzzPolicyCondition: any Condition block either parses, and then
// evaluates against any request without a panic, or is MalformedPolicy.
func FuzzPolicyCondition(f *testing.F) {
	for _, c := range []string{`{"StringLike":{"aws:Referer":"a*"}}`, `{"ForAllValues:NumericLessThanIfExists":{"s3:max-keys":[1,"2.5"]}}`,
		`{"IpAddress":{"aws:SourceIp":"::/0"}}`, `{"DateLessThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}`,
		`{"Null":{"s3:ExistingObjectTag/a":true}}`, `{"ArnLike":{"aws:PrincipalArn":"arn:*:*:*:*:*"}}`} {
		f.Add(c, "v", "10.0.0.1")
	}
	f.Fuzz(func(t *testing.T, cond, value, ip string) {
		doc := `{"Statement":[{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":` + cond + `}]}`
		p, err := ParsePolicy([]byte(doc), "b")
		if err != nil {
			if e, ok := err.(*s3err.Error); !ok || e.Code != s3err.MalformedPolicy {
				t.Fatalf("ParsePolicy = %v, want MalformedPolicy", err)
			}
			return
		}
		r := condReq()
		r.SourceIP, _ = netip.ParseAddr(ip)
		for k := range r.Keys {
			r.Keys[k] = []string{value}
		}
		r.ExistingTags = func() map[string]string { return map[string]string{value: value} }
		d := p.Evaluate(r, true)
		if d == Allowed {
			t.Fatalf("a Deny-only policy allowed: %s", doc)
		}
	})
}

// TestPolicyVariables: under Version 2012-10-17, ${key} in a Resource or
// a string condition is the request's value of key; a key the request
// lacks matches nothing (so a negated operator holds); under 2008-10-17
// it is literal text.
func TestPolicyVariables(t *testing.T) {
	bobGet := func(key string) Requester {
		r := condReq()
		r.Resource = "arn:aws:s3:::b/" + key
		return r
	}
	anon := Requester{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/home/bob/x", Anonymous: true}
	bobList := Requester{Action: "s3:ListBucket", Resource: "arn:aws:s3:::b", ARN: bobARN, Account: bobAccount, Name: "bob",
		Keys: map[string][]string{"s3:prefix": {"home/bob/docs/"}}}
	homeResource := `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/home/${aws:username}/*"}`
	tests := []struct {
		name, version, stmt string
		req                 Requester
		want                Decision
	}{
		{"resource, own home", "2012-10-17", homeResource, bobGet("home/bob/x"), Allowed},
		{"resource, another home", "2012-10-17", homeResource, bobGet("home/alice/x"), NoDecision},
		{"resource, anonymous", "2012-10-17", homeResource, anon, NoDecision},
		{"resource, 2008 is literal", "2008-10-17", homeResource, bobGet("home/bob/x"), NoDecision},
		{"resource, 2008 literal match", "2008-10-17", homeResource, bobGet("home/${aws:username}/x"), Allowed},
		{"condition prefix", "2012-10-17", `{"Effect":"Allow","Principal":"*","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b",
			"Condition":{"StringLike":{"s3:prefix":"home/${aws:username}/*"}}}`, bobList, Allowed},
		{"negated, variable absent", "2012-10-17", `{"Effect":"Deny","Principal":"*","Action":"*","Resource":"arn:aws:s3:::b/*",
			"Condition":{"StringNotEquals":{"aws:Referer":"${aws:username}"}}}`, anon, Denied},
		{"default value", "2012-10-17", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/home/${aws:username, 'nobody'}/*"}`,
			Requester{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/home/nobody/x", Anonymous: true}, Allowed},
		{"literal dollar", "2012-10-17", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${$}x"}`,
			Requester{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/$x", Anonymous: true}, Allowed},
		{"unclosed variable is text", "2012-10-17", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:username"}`,
			Requester{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/${aws:username", Anonymous: true}, Allowed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParsePolicy([]byte(`{"Version":"`+tt.version+`","Statement":[`+tt.stmt+`]}`), "b")
			if err != nil {
				t.Fatalf("ParsePolicy: %v", err)
			}
			if got := p.Evaluate(tt.req, true); got != tt.want {
				t.Errorf("Evaluate = %v, want %v", got, tt.want)
			}
		})
	}
}

// benchPolicy is a policy of the size tests write: a few statements with
// conditions.
const benchPolicy = `{"Version":"2012-10-17","Statement":[
	{"Sid":"TLS","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}},
	{"Sid":"Homes","Effect":"Allow","Principal":"*","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::b/home/${aws:username}/*"},
	{"Sid":"List","Effect":"Allow","Principal":{"AWS":"` + bobARN + `"},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::b","Condition":{"StringLike":{"s3:prefix":["home/${aws:username}/*",""]},"IpAddress":{"aws:SourceIp":["10.0.0.0/8","::1"]}}}]}`

// BenchmarkPolicy compares parsing a stored policy, as every request did
// before the gateway kept parsed policies, with evaluating it.
func BenchmarkPolicy(b *testing.B) {
	r := condReq()
	r.Resource = "arn:aws:s3:::b/home/bob/x"
	b.Run("parse", func(b *testing.B) {
		for b.Loop() {
			if _, err := ParseStoredPolicy([]byte(benchPolicy)); err != nil {
				b.Fatal(err)
			}
		}
	})
	p, err := ParseStoredPolicy([]byte(benchPolicy))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("evaluate", func(b *testing.B) {
		for b.Loop() {
			if p.Evaluate(r, true) != Allowed {
				b.Fatal("not allowed")
			}
		}
	})
}
