// Bucket policy conditions under WithAuth, through the SDK: each
// condition key S3 documents for bucket policies, with the operators
// that read it.

package mocks3_test

import (
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/minio/minio-go/v7"
	miniocreds "github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/mocks3/mocks3"
)

// condPolicy is a policy of one statement on bucket b and its objects.
func condPolicy(effect, principal, action, cond string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"` + effect + `","Principal":` + principal +
		`,"Action":` + action + `,"Resource":["arn:aws:s3:::` + testBucket + `","arn:aws:s3:::` + testBucket +
		`/*"],"Condition":` + cond + `}]}`
}

// sendHeader makes a client send header: value on every request.
func sendHeader(header, value string) func(*s3.Options) {
	return func(o *s3.Options) { o.APIOptions = append(o.APIOptions, smithyhttp.AddHeaderValue(header, value)) }
}

// TestPolicyConditions: each row puts a policy on the bucket, then makes
// one request that the condition lets through ("" code) or refuses.
func TestPolicyConditions(t *testing.T) {
	// The server's clock runs 10 minutes ahead of the SDK's, within the
	// skew S3 allows: a condition on the time holds on the server's.
	serverNow := time.Now().UTC().Truncate(time.Second).Add(10 * time.Minute)
	clock := newMovableClock(serverNow)
	srv, alice, bob := newAccessServer(t, mocks3.WithClock(clock.now))
	anon := anonClient(srv)
	ctx := t.Context()
	b := aws.String(testBucket)
	mustCreateBucket(t, alice, testBucket)
	setVersioning(t, alice, testBucket, types.BucketVersioningStatusEnabled)
	v1 := aws.ToString(mustPut(t, alice, testBucket, "k", []byte("one"), func(in *s3.PutObjectInput) { in.Tagging = aws.String("Class=public") }).VersionId)
	mustPut(t, alice, testBucket, "k", []byte("two"), func(in *s3.PutObjectInput) { in.Tagging = aws.String("Class=public") })
	mustPut(t, alice, testBucket, "priv", []byte("p"), func(in *s3.PutObjectInput) { in.Tagging = aws.String("Class=private") })
	mustPut(t, alice, testBucket, "home/bob/f", []byte("b"))
	mustPut(t, alice, testBucket, "home/alice/f", []byte("a"))
	homes := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",
		"Resource":"arn:aws:s3:::` + testBucket + `/home/${aws:username}/*"}]}`

	bobP := `{"AWS":"` + srv.UserARN("bob") + `"}`
	get := func(c *s3.Client, key string, opts ...func(*s3.Options)) func() error {
		return func() error {
			out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: aws.String(key)}, opts...)
			if err == nil {
				out.Body.Close()
			}
			return err
		}
	}
	getVersion := func(c *s3.Client, v string) func() error {
		return func() error {
			out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: aws.String("k"), VersionId: aws.String(v)})
			if err == nil {
				out.Body.Close()
			}
			return err
		}
	}
	put := func(c *s3.Client, key string, set func(*s3.PutObjectInput), opts ...func(*s3.Options)) func() error {
		return func() error {
			in := &s3.PutObjectInput{Bucket: b, Key: aws.String(key), Body: strings.NewReader("x")}
			if set != nil {
				set(in)
			}
			_, err := c.PutObject(ctx, in, opts...)
			return err
		}
	}
	list := func(c *s3.Client, set func(*s3.ListObjectsV2Input)) func() error {
		return func() error {
			in := &s3.ListObjectsV2Input{Bucket: b}
			if set != nil {
				set(in)
			}
			_, err := c.ListObjectsV2(ctx, in)
			return err
		}
	}
	presignedGet := func(c *s3.Client) func() error {
		return func() error {
			ps, err := s3.NewPresignClient(c).PresignGetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: aws.String("k")})
			if err != nil {
				return err
			}
			return httpGetStatus(t, srv, ps.URL, 200)
		}
	}
	presignedPut := func(c *s3.Client, key, tags string) func() error {
		return func() error {
			ps, err := s3.NewPresignClient(c).PresignPutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String(key), Tagging: aws.String(tags)})
			if err != nil {
				return err
			}
			req, err := http.NewRequestWithContext(ctx, http.MethodPut, ps.URL, strings.NewReader("x"))
			if err != nil {
				return err
			}
			for k, vs := range ps.SignedHeader {
				if !strings.EqualFold(k, "Host") {
					req.Header[k] = vs
				}
			}
			return sendStatus(srv, req, 200)
		}
	}
	// queryTaggedPut presigns a PUT whose tags are in its query, as other
	// presigners put them.
	queryTaggedPut := func(key, tags string) func() error {
		return func() error {
			u := srv.URL + "/" + testBucket + "/" + key + "?X-Amz-Expires=900&x-amz-tagging=" + url.QueryEscape(tags)
			req, err := http.NewRequestWithContext(ctx, http.MethodPut, u, nil)
			if err != nil {
				return err
			}
			signed, _, err := v4.NewSigner().PresignHTTP(ctx, aws.Credentials{AccessKeyID: "AKIDBOB", SecretAccessKey: "bob-secret"},
				req, "UNSIGNED-PAYLOAD", "s3", srv.AWSConfig().Region, clock.now())
			if err != nil {
				return err
			}
			req, err = http.NewRequestWithContext(ctx, http.MethodPut, signed, strings.NewReader("x"))
			if err != nil {
				return err
			}
			return sendStatus(srv, req, 200)
		}
	}
	withACL := func(in *s3.PutObjectInput) { in.ACL = types.ObjectCannedACLPublicRead }
	withSSE := func(in *s3.PutObjectInput) { in.ServerSideEncryption = types.ServerSideEncryptionAes256 }
	withTags := func(tags string) func(*s3.PutObjectInput) {
		return func(in *s3.PutObjectInput) { in.Tagging = aws.String(tags) }
	}
	date := func(d time.Duration) string { return serverNow.Add(d).Format(time.RFC3339) }
	epoch := func(d time.Duration) string { return strconv.FormatInt(serverNow.Add(d).Unix(), 10) }

	tests := []struct {
		name   string
		policy string
		call   func() error
		want   string // "" for success, else the code of a 403
	}{
		{"SecureTransport false denies http", condPolicy("Deny", `"*"`, `"s3:*"`, `{"Bool":{"aws:SecureTransport":"false"}}`), get(alice, "k"), "AccessDenied"},
		{"SecureTransport true allows only https", condPolicy("Allow", bobP, `"s3:GetObject"`, `{"Bool":{"aws:SecureTransport":true}}`), get(bob, "k"), "AccessDenied"},
		{"SourceIp in block", condPolicy("Allow", bobP, `"s3:GetObject"`, `{"IpAddress":{"aws:SourceIp":"127.0.0.0/8"}}`), get(bob, "k"), ""},
		{"SourceIp v6 and v4 blocks", condPolicy("Allow", bobP, `"s3:GetObject"`, `{"IpAddress":{"aws:SourceIp":["::1/128","127.0.0.1/32"]}}`), get(bob, "k"), ""},
		{"SourceIp outside block", condPolicy("Allow", bobP, `"s3:GetObject"`, `{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`), get(bob, "k"), "AccessDenied"},
		{"SourceIp v6 only", condPolicy("Allow", bobP, `"s3:GetObject"`, `{"IpAddress":{"aws:SourceIp":"::1/128"}}`), get(bob, "k"), "AccessDenied"},
		{"NotIpAddress deny, inside the block", condPolicy("Deny", `"*"`, `"s3:*"`, `{"NotIpAddress":{"aws:SourceIp":"127.0.0.0/8"}}`), get(alice, "k"), ""},
		{"NotIpAddress deny, outside the block", condPolicy("Deny", `"*"`, `"s3:*"`, `{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`), get(alice, "k"), "AccessDenied"},
		{"Referer like", condPolicy("Allow", `"*"`, `"s3:GetObject"`, `{"StringLike":{"aws:Referer":"https://www.example.com/*"}}`),
			get(anon, "k", sendHeader("Referer", "https://www.example.com/page")), ""},
		{"Referer other site", condPolicy("Allow", `"*"`, `"s3:GetObject"`, `{"StringLike":{"aws:Referer":"https://www.example.com/*"}}`),
			get(anon, "k", sendHeader("Referer", "https://evil.example/")), "AccessDenied"},
		{"Referer absent", condPolicy("Allow", `"*"`, `"s3:GetObject"`, `{"StringLike":{"aws:Referer":"https://www.example.com/*"}}`), get(anon, "k"), "AccessDenied"},
		{"UserAgent like", condPolicy("Allow", bobP, `"s3:GetObject"`, `{"StringLike":{"aws:UserAgent":"*aws-sdk-go-v2*"}}`), get(bob, "k"), ""},
		{"UserAgent not like", condPolicy("Deny", `"*"`, `"s3:*"`, `{"StringNotLike":{"aws:UserAgent":"curl/*"}}`), get(alice, "k"), "AccessDenied"},
		{"PrincipalArn like, bob", condPolicy("Allow", `"*"`, `"s3:GetObject"`, `{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:user/bob"}}`), get(bob, "k"), ""},
		{"PrincipalArn like, anonymous", condPolicy("Allow", `"*"`, `"s3:GetObject"`, `{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:user/bob"}}`), get(anon, "k"), "AccessDenied"},
		{"PrincipalArn equals", condPolicy("Allow", `"*"`, `"s3:GetObject"`, `{"ArnEquals":{"aws:PrincipalArn":"`+srv.UserARN("bob")+`"}}`), get(bob, "k"), ""},
		{"username", condPolicy("Allow", `"*"`, `"s3:GetObject"`, `{"StringEquals":{"aws:username":"bob"}}`), get(bob, "k"), ""},
		{"username other", condPolicy("Allow", `"*"`, `"s3:GetObject"`, `{"StringEquals":{"aws:username":"carol"}}`), get(bob, "k"), "AccessDenied"},
		{"CurrentTime after, server's clock", condPolicy("Allow", bobP, `"s3:GetObject"`, `{"DateGreaterThan":{"aws:CurrentTime":"`+date(-5*time.Minute)+`"}}`), get(bob, "k"), ""},
		{"CurrentTime before", condPolicy("Allow", bobP, `"s3:GetObject"`, `{"DateLessThan":{"aws:CurrentTime":"`+date(-5*time.Minute)+`"}}`), get(bob, "k"), "AccessDenied"},
		{"EpochTime numeric", condPolicy("Allow", bobP, `"s3:GetObject"`, `{"NumericLessThan":{"aws:EpochTime":`+epoch(time.Minute)+`}}`), get(bob, "k"), ""},
		{"EpochTime date", condPolicy("Allow", bobP, `"s3:GetObject"`, `{"DateGreaterThanEquals":{"aws:EpochTime":"`+epoch(time.Second)+`"}}`), get(bob, "k"), "AccessDenied"},
		{"prefix", condPolicy("Allow", bobP, `"s3:ListBucket"`, `{"StringEquals":{"s3:prefix":"docs/"}}`),
			list(bob, func(in *s3.ListObjectsV2Input) { in.Prefix = aws.String("docs/") }), ""},
		{"prefix other", condPolicy("Allow", bobP, `"s3:ListBucket"`, `{"StringEquals":{"s3:prefix":"docs/"}}`), list(bob, nil), "AccessDenied"},
		{"delimiter", condPolicy("Allow", bobP, `"s3:ListBucket"`, `{"StringEquals":{"s3:delimiter":"/"}}`),
			list(bob, func(in *s3.ListObjectsV2Input) { in.Delimiter = aws.String("/") }), ""},
		{"delimiter absent", condPolicy("Allow", bobP, `"s3:ListBucket"`, `{"StringEquals":{"s3:delimiter":"/"}}`), list(bob, nil), "AccessDenied"},
		{"max-keys", condPolicy("Allow", bobP, `"s3:ListBucket"`, `{"NumericLessThanEquals":{"s3:max-keys":"100"}}`),
			list(bob, func(in *s3.ListObjectsV2Input) { in.MaxKeys = aws.Int32(50) }), ""},
		{"max-keys too many", condPolicy("Allow", bobP, `"s3:ListBucket"`, `{"NumericLessThanEquals":{"s3:max-keys":100}}`),
			list(bob, func(in *s3.ListObjectsV2Input) { in.MaxKeys = aws.Int32(500) }), "AccessDenied"},
		{"x-amz-acl public denied", condPolicy("Deny", `"*"`, `"s3:PutObject"`, `{"StringLike":{"s3:x-amz-acl":"public*"}}`), put(alice, "acl", withACL), "AccessDenied"},
		{"x-amz-acl absent", condPolicy("Deny", `"*"`, `"s3:PutObject"`, `{"StringLike":{"s3:x-amz-acl":"public*"}}`), put(alice, "acl", nil), ""},
		{"sse required, absent", condPolicy("Deny", `"*"`, `"s3:PutObject"`, `{"StringNotEquals":{"s3:x-amz-server-side-encryption":"AES256"}}`), put(alice, "sse", nil), "AccessDenied"},
		{"sse required, sent", condPolicy("Deny", `"*"`, `"s3:PutObject"`, `{"StringNotEquals":{"s3:x-amz-server-side-encryption":"AES256"}}`), put(alice, "sse", withSSE), ""},
		{"sse Null", condPolicy("Deny", `"*"`, `"s3:PutObject"`, `{"Null":{"s3:x-amz-server-side-encryption":"true"}}`), put(alice, "sse", nil), "AccessDenied"},
		{"IfExists, absent", condPolicy("Allow", bobP, `"s3:PutObject"`, `{"StringEqualsIfExists":{"s3:x-amz-acl":"private"}}`), put(bob, "ie", nil), ""},
		{"IfExists, other value", condPolicy("Allow", bobP, `"s3:PutObject"`, `{"StringEqualsIfExists":{"s3:x-amz-acl":"private"}}`), put(bob, "ie", withACL), "AccessDenied"},
		{"ExistingObjectTag", condPolicy("Allow", bobP, `"s3:GetObject"`, `{"StringEquals":{"s3:ExistingObjectTag/Class":"public"}}`), get(bob, "k"), ""},
		{"ExistingObjectTag other", condPolicy("Allow", bobP, `"s3:GetObject"`, `{"StringEquals":{"s3:ExistingObjectTag/Class":"public"}}`), get(bob, "priv"), "AccessDenied"},
		{"RequestObjectTag", condPolicy("Allow", bobP, `"s3:PutObject"`, `{"StringEquals":{"s3:RequestObjectTag/Team":"blue"}}`), put(bob, "t", withTags("Team=blue")), ""},
		{"RequestObjectTag other", condPolicy("Allow", bobP, `"s3:PutObject"`, `{"StringEquals":{"s3:RequestObjectTag/Team":"blue"}}`), put(bob, "t", withTags("Team=red")), "AccessDenied"},
		{"RequestObjectTag, presigned", condPolicy("Allow", bobP, `"s3:PutObject"`, `{"StringEquals":{"s3:RequestObjectTag/Team":"blue"}}`),
			presignedPut(bob, "tp", "Team=blue"), ""},
		{"RequestObjectTag other, presigned", condPolicy("Allow", bobP, `"s3:PutObject"`, `{"StringEquals":{"s3:RequestObjectTag/Team":"blue"}}`),
			presignedPut(bob, "tp", "Team=red"), "AccessDenied"},
		{"RequestObjectTag, presigned query", condPolicy("Allow", bobP, `"s3:PutObject"`, `{"StringEquals":{"s3:RequestObjectTag/Team":"blue"}}`),
			queryTaggedPut("tq", "Team=blue"), ""},
		{"RequestObjectTagKeys ForAllValues", condPolicy("Allow", bobP, `"s3:PutObject"`, `{"ForAllValues:StringEquals":{"s3:RequestObjectTagKeys":["Team"]}}`),
			put(bob, "t", withTags("Team=blue&Other=1")), "AccessDenied"},
		{"RequestObjectTagKeys ForAnyValue", condPolicy("Allow", bobP, `"s3:PutObject"`, `{"ForAnyValue:StringEquals":{"s3:RequestObjectTagKeys":["Team"]}}`),
			put(bob, "t", withTags("Team=blue&Other=1")), ""},
		{"VersionId", condPolicy("Allow", bobP, `"s3:GetObjectVersion"`, `{"StringEquals":{"s3:VersionId":"`+v1+`"}}`), getVersion(bob, v1), ""},
		{"VersionId other", condPolicy("Allow", bobP, `"s3:GetObjectVersion"`, `{"StringNotEquals":{"s3:VersionId":"`+v1+`"}}`), getVersion(bob, v1), "AccessDenied"},
		{"signatureversion", condPolicy("Allow", bobP, `"s3:GetObject"`, `{"StringEquals":{"s3:signatureversion":"AWS4-HMAC-SHA256"}}`), get(bob, "k"), ""},
		{"signatureversion V2 only", condPolicy("Allow", bobP, `"s3:GetObject"`, `{"StringEquals":{"s3:signatureversion":"AWS"}}`), get(bob, "k"), "AccessDenied"},
		{"authType header", condPolicy("Allow", bobP, `"s3:GetObject"`, `{"StringEquals":{"s3:authType":"REST-HEADER"}}`), get(bob, "k"), ""},
		{"authType query refuses header", condPolicy("Allow", bobP, `"s3:GetObject"`, `{"StringEquals":{"s3:authType":"REST-QUERY-STRING"}}`), get(bob, "k"), "AccessDenied"},
		{"authType query, presigned", condPolicy("Allow", bobP, `"s3:GetObject"`, `{"StringEquals":{"s3:authType":"REST-QUERY-STRING"}}`), presignedGet(bob), ""},
		{"authType header refuses presigned", condPolicy("Deny", `"*"`, `"s3:GetObject"`, `{"StringNotEquals":{"s3:authType":"REST-HEADER"}}`), presignedGet(alice), "AccessDenied"},
		{"content-sha256 of this body", condPolicy("Deny", `"*"`, `"s3:PutObject"`, `{"StringEquals":{"s3:x-amz-content-sha256":"`+sha256Hex([]byte("x"))+`"}}`),
			put(alice, "u", nil), "AccessDenied"},
		{"content-sha256 of another body", condPolicy("Deny", `"*"`, `"s3:PutObject"`, `{"StringEquals":{"s3:x-amz-content-sha256":"`+sha256Hex([]byte("x"))+`"}}`),
			put(alice, "u", func(in *s3.PutObjectInput) { in.Body = strings.NewReader("y") }), ""},
		{"TlsVersion absent over http", condPolicy("Allow", bobP, `"s3:GetObject"`, `{"NumericGreaterThanEquals":{"s3:TlsVersion":"1.2"}}`), get(bob, "k"), "AccessDenied"},
		{"unknown aws key never matches", condPolicy("Allow", bobP, `"s3:GetObject"`, `{"StringEquals":{"aws:PrincipalOrgID":"o-1"}}`), get(bob, "k"), "AccessDenied"},
		{"policy variable, own home", homes, get(bob, "home/bob/f"), ""},
		{"policy variable, another's home", homes, get(bob, "home/alice/f"), "AccessDenied"},
		{"policy variable, anonymous", homes, get(anon, "home/bob/f"), "AccessDenied"},
		{"two conditions, both hold", condPolicy("Allow", bobP, `"s3:GetObject"`, `{"StringEquals":{"aws:username":"bob"},"IpAddress":{"aws:SourceIp":"127.0.0.1"}}`), get(bob, "k"), ""},
		{"two conditions, one fails", condPolicy("Allow", bobP, `"s3:GetObject"`, `{"StringEquals":{"aws:username":"bob"},"IpAddress":{"aws:SourceIp":"10.0.0.1"}}`), get(bob, "k"), "AccessDenied"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			putPolicy(t, alice, testBucket, tt.policy)
			err := tt.call()
			if tt.want == "" {
				if err != nil {
					t.Errorf("request = %v, want success", err)
				}
				return
			}
			if strings.Contains(tt.name, "presigned") {
				if err == nil || !strings.Contains(err.Error(), "403") {
					t.Errorf("presigned request = %v, want 403", err)
				}
				return
			}
			checkErr(t, "request", err, tt.want, 403)
		})
	}

	// A form upload is s3:authType POST.
	putPolicy(t, alice, testBucket, condPolicy("Allow", bobP, `"s3:PutObject"`, `{"StringEquals":{"s3:authType":"POST"}}`))
	resp, body := postForm(t, srv, "/"+testBucket, signedFields(t, clock.now(), "AKIDBOB", "bob-secret", srv.AWSConfig().Region, "form"), postFile{data: []byte("f")})
	if resp.StatusCode != http.StatusNoContent {
		t.Errorf("POST(bob, authType POST) = %d %s, want 204", resp.StatusCode, body)
	}
	srv.CheckObject(t, testBucket, "form", []byte("f"))
	checkErr(t, "PutObject(bob, authType POST)", put(bob, "form2", nil)(), "AccessDenied", 403)
}

// httpGetStatus GETs url with the server's HTTP client and returns an
// error naming the status unless it is want.
func httpGetStatus(t *testing.T, srv *mocks3.Server, url string, want int) error {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	return sendStatus(srv, req, want)
}

// sendStatus sends req with the server's HTTP client and returns an error
// naming the status unless it is want.
func sendStatus(srv *mocks3.Server, req *http.Request, want int) error {
	resp, err := srv.HTTPClient().Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		return &statusError{resp.StatusCode, string(body)}
	}
	return nil
}

type statusError struct {
	status int
	body   string
}

func (e *statusError) Error() string { return strconv.Itoa(e.status) + " " + e.body }

// TestPolicyConditionsTLS: over https, aws:SecureTransport is true and
// s3:TlsVersion the connection's version.
func TestPolicyConditionsTLS(t *testing.T) {
	srv := mocks3.New(t, mocks3.WithAuth(), mocks3.WithTLS(), mocks3.WithBucket(testBucket))
	c := srv.Client()
	mustPut(t, c, testBucket, "k", []byte("v"))
	tests := []struct {
		cond string
		want string
	}{
		{`{"Bool":{"aws:SecureTransport":"false"}}`, ""},
		{`{"Bool":{"aws:SecureTransport":"true"}}`, "AccessDenied"},
		{`{"NumericLessThan":{"s3:TlsVersion":1.2}}`, ""},
		{`{"NumericGreaterThanEquals":{"s3:TlsVersion":"1.2"}}`, "AccessDenied"},
		{`{"Null":{"s3:TlsVersion":"false"}}`, "AccessDenied"},
	}
	for _, tt := range tests {
		t.Run(tt.cond, func(t *testing.T) {
			putPolicy(t, c, testBucket, condPolicy("Deny", `"*"`, `"s3:GetObject"`, tt.cond))
			_, err := c.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String(testBucket), Key: aws.String("k")})
			if tt.want == "" {
				if err != nil {
					t.Errorf("GetObject = %v, want success", err)
				}
				return
			}
			checkErr(t, "GetObject", err, tt.want, 403)
		})
	}
}

// TestPolicyConditionsMalformed: PutBucketPolicy refuses an unknown
// operator, an S3 key S3 does not define and a value the operator cannot
// compare, MalformedPolicy naming it; any aws: key is accepted.
func TestPolicyConditionsMalformed(t *testing.T) {
	srv := mocks3.New(t, mocks3.WithAuth(), mocks3.WithBucket(testBucket))
	c := srv.Client()
	tests := []struct {
		cond string
		msg  string // "" when accepted
	}{
		{`{"StringEqualz":{"aws:username":"bob"}}`, "Invalid Condition type : StringEqualz"},
		{`{"ForEachValue:StringEquals":{"aws:username":"bob"}}`, "Invalid Condition type : ForEachValue:StringEquals"},
		{`{"StringEquals":{"s3:VersionStatus":"Enabled"}}`, "Policy has an invalid condition key"},
		{`{"IpAddress":{"aws:SourceIp":"10.0.0.256"}}`, "Invalid IP address in Conditions"},
		{`{"NumericLessThan":{"s3:max-keys":"many"}}`, `Invalid Condition value for NumericLessThan: "many"`},
		{`{"DateLessThan":{"aws:CurrentTime":"tomorrow"}}`, `Invalid Condition value for DateLessThan: "tomorrow"`},
		{`{"Bool":{"aws:SecureTransport":"maybe"}}`, `Invalid Condition value for Bool: "maybe"`},
		{`{"StringEquals":{"aws:SomeFutureKey":"x"}}`, ""},
		{`{"ForAnyValue:StringLikeIfExists":{"s3:RequestObjectTagKeys":["a*"]}}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.cond, func(t *testing.T) {
			_, err := c.PutBucketPolicy(t.Context(), &s3.PutBucketPolicyInput{Bucket: aws.String(testBucket),
				Policy: aws.String(condPolicy("Deny", `"*"`, `"s3:GetObject"`, tt.cond))})
			if tt.msg == "" {
				if err != nil {
					t.Errorf("PutBucketPolicy = %v, want success", err)
				}
				return
			}
			checkErr(t, "PutBucketPolicy", err, "MalformedPolicy", 400)
			if err != nil && !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("PutBucketPolicy = %v, want the message %q", err, tt.msg)
			}
		})
	}
}

// TestPolicyConditionsSigV2: s3:signatureversion is "AWS" for Signature
// Version 2 (minio-go's V2 signer), "AWS4-HMAC-SHA256" for version 4.
func TestPolicyConditionsSigV2(t *testing.T) {
	srv := mocks3.New(t, mocks3.WithAuth(), mocks3.WithSignatureV2(), mocks3.WithBucket(testBucket))
	c := srv.Client()
	mustPut(t, c, testBucket, "k", []byte("v"))
	putPolicy(t, c, testBucket, condPolicy("Deny", `"*"`, `"s3:GetObject"`, `{"StringEquals":{"s3:signatureversion":"AWS"}}`))
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name  string
		creds *miniocreds.Credentials
		want  int
	}{
		{"V2", miniocreds.NewStaticV2("test", "test", ""), 403},
		{"V4", miniocreds.NewStaticV4("test", "test", ""), 200},
	} {
		mc, err := minio.New(u.Host, &minio.Options{Creds: tt.creds, Transport: srv.HTTPClient().Transport,
			Region: srv.AWSConfig().Region, BucketLookup: minio.BucketLookupPath})
		if err != nil {
			t.Fatal(err)
		}
		_, err = mc.StatObject(t.Context(), testBucket, "k", minio.StatObjectOptions{})
		if got := minio.ToErrorResponse(err).StatusCode; err != nil && got != tt.want || err == nil && tt.want != 200 {
			t.Errorf("StatObject(%s) = %v (%d), want %d", tt.name, err, got, tt.want)
		}
	}
}
