// Access by ACLs, bucket policies and the public access block under
// WithAuth: what an unsigned request or another identity may do.

package mocks3_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/mocks3/mocks3"
)

// newAccessServer starts a server with authentication on and two users,
// alice (Client) and bob.
func newAccessServer(t *testing.T, opts ...mocks3.Option) (srv *mocks3.Server, alice, bob *s3.Client) {
	t.Helper()
	srv = mocks3.New(t, append([]mocks3.Option{mocks3.WithAuth(),
		mocks3.WithUser("alice", "AKIDALICE", "alice-secret"), mocks3.WithUser("bob", "AKIDBOB", "bob-secret")}, opts...)...)
	return srv, srv.Client(), srv.ClientFor("bob")
}

// anonStatus sends an unsigned request and returns its status and body.
func anonStatus(t *testing.T, srv *mocks3.Server, method, path, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, b := doRequest(t, http.DefaultClient, req)
	return resp.StatusCode, string(b)
}

func checkAnon(t *testing.T, srv *mocks3.Server, method, path string, want int) {
	t.Helper()
	if got, body := anonStatus(t, srv, method, path, "x"); got != want {
		t.Errorf("anonymous %s %s = %d %s, want %d", method, path, got, body, want)
	}
}

func putPolicy(t *testing.T, c *s3.Client, bucket, policy string) {
	t.Helper()
	if _, err := c.PutBucketPolicy(t.Context(), &s3.PutBucketPolicyInput{Bucket: aws.String(bucket), Policy: aws.String(policy)}); err != nil {
		t.Fatalf("PutBucketPolicy: %v", err)
	}
}

func putPAB(t *testing.T, c *s3.Client, bucket string, cfg types.PublicAccessBlockConfiguration) {
	t.Helper()
	if _, err := c.PutPublicAccessBlock(t.Context(), &s3.PutPublicAccessBlockInput{Bucket: aws.String(bucket),
		PublicAccessBlockConfiguration: &cfg}); err != nil {
		t.Fatalf("PutPublicAccessBlock: %v", err)
	}
}

// mustSeedBucket creates bucket as c's identity and puts objects (key →
// body) in it.
func mustSeedBucket(t *testing.T, c *s3.Client, bucket string, objects map[string]string) {
	t.Helper()
	mustCreateBucket(t, c, bucket)
	for k, v := range objects {
		mustPut(t, c, bucket, k, []byte(v))
	}
}

func createACLBucket(t *testing.T, c *s3.Client, bucket string) {
	t.Helper()
	if _, err := c.CreateBucket(t.Context(), &s3.CreateBucketInput{Bucket: aws.String(bucket),
		ObjectOwnership: types.ObjectOwnershipObjectWriter}); err != nil {
		t.Fatalf("CreateBucket: %v", err)
	}
}

// TestAccessDefaults: with nothing granting access, an unsigned request
// is AccessDenied on a bucket, its objects and the bucket list.
func TestAccessDefaults(t *testing.T) {
	srv, alice, _ := newAccessServer(t)
	mustSeedBucket(t, alice, "private", map[string]string{"k": "v"})
	checkAnon(t, srv, "GET", "/private/k", 403)
	checkAnon(t, srv, "GET", "/private?list-type=2", 403)
	checkAnon(t, srv, "PUT", "/private/new", 403)
	checkAnon(t, srv, "GET", "/", 403)
	checkAnon(t, srv, "PUT", "/anon-bucket", 403)
	srv.CheckNoObject(t, "private", "new")
}

// TestAccessBucketACL: a public-read bucket ACL lets anyone list the
// bucket but not read its objects; public-read-write adds writes;
// IgnorePublicAcls and BucketOwnerEnforced turn the grants off.
func TestAccessBucketACL(t *testing.T) {
	srv, alice, bob := newAccessServer(t)
	ctx := t.Context()
	createACLBucket(t, alice, "acl")
	mustPut(t, alice, "acl", "k", []byte("v"))
	if _, err := alice.PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: aws.String("acl"), ACL: types.BucketCannedACLPublicRead}); err != nil {
		t.Fatal(err)
	}
	checkAnon(t, srv, "GET", "/acl?list-type=2", 200)
	checkAnon(t, srv, "HEAD", "/acl", 200)
	checkAnon(t, srv, "GET", "/acl?versions", 200)
	checkAnon(t, srv, "GET", "/acl/k", 403)
	checkAnon(t, srv, "PUT", "/acl/anon", 403)
	if _, err := bob.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("acl")}); err != nil {
		t.Errorf("ListObjectsV2(bob, public-read) = %v, want success", err)
	}
	_, err := bob.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("acl"), Key: aws.String("bob"), Body: strings.NewReader("b")})
	checkErr(t, "PutObject(bob, public-read)", err, "AccessDenied", 403)

	if _, err := alice.PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: aws.String("acl"), ACL: types.BucketCannedACLPublicReadWrite}); err != nil {
		t.Fatal(err)
	}
	checkAnon(t, srv, "PUT", "/acl/anon", 200)
	srv.CheckObject(t, "acl", "anon", []byte("x"))
	if _, err := bob.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("acl"), Key: aws.String("bob"), Body: strings.NewReader("b")}); err != nil {
		t.Errorf("PutObject(bob, public-read-write) = %v, want success", err)
	}
	checkAnon(t, srv, "DELETE", "/acl/anon", 204)
	srv.CheckNoObject(t, "acl", "anon")
	_, err = bob.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("acl")})
	checkErr(t, "DeleteBucket(bob, public-read-write)", err, "AccessDenied", 403)

	putPAB(t, alice, "acl", types.PublicAccessBlockConfiguration{IgnorePublicAcls: aws.Bool(true)})
	checkAnon(t, srv, "GET", "/acl?list-type=2", 403)
	checkAnon(t, srv, "PUT", "/acl/anon", 403)
	if _, err := alice.DeletePublicAccessBlock(ctx, &s3.DeletePublicAccessBlockInput{Bucket: aws.String("acl")}); err != nil {
		t.Fatal(err)
	}
	checkAnon(t, srv, "GET", "/acl?list-type=2", 200)

	if _, err := alice.PutBucketOwnershipControls(ctx, &s3.PutBucketOwnershipControlsInput{Bucket: aws.String("acl"),
		OwnershipControls: &types.OwnershipControls{Rules: []types.OwnershipControlsRule{{ObjectOwnership: types.ObjectOwnershipBucketOwnerEnforced}}}}); err != nil {
		t.Fatal(err)
	}
	checkAnon(t, srv, "GET", "/acl?list-type=2", 403)
}

// TestAccessObjectACL: a public-read object ACL lets anyone read that
// object, and only that one; IgnorePublicAcls turns it off.
func TestAccessObjectACL(t *testing.T) {
	srv, alice, bob := newAccessServer(t)
	ctx := t.Context()
	createACLBucket(t, alice, "objacl")
	mustPut(t, alice, "objacl", "pub", []byte("public"), func(in *s3.PutObjectInput) { in.ACL = types.ObjectCannedACLPublicRead })
	mustPut(t, alice, "objacl", "priv", []byte("private"))
	if code, body := anonStatus(t, srv, "GET", "/objacl/pub", ""); code != 200 || body != "public" {
		t.Errorf("anonymous GET public object = %d %q, want 200 %q", code, body, "public")
	}
	checkAnon(t, srv, "HEAD", "/objacl/pub", 200)
	checkAnon(t, srv, "GET", "/objacl/priv", 403)
	checkAnon(t, srv, "GET", "/objacl/missing", 403)
	checkAnon(t, srv, "PUT", "/objacl/pub", 403)
	checkAnon(t, srv, "GET", "/objacl?list-type=2", 403)
	if _, body := mustGet(t, bob, "objacl", "pub"); string(body) != "public" {
		t.Errorf("GetObject(bob, public object) = %q", body)
	}
	_, err := bob.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("objacl"), Key: aws.String("priv")})
	checkErr(t, "GetObject(bob, private object)", err, "AccessDenied", 403)

	putPAB(t, alice, "objacl", types.PublicAccessBlockConfiguration{IgnorePublicAcls: aws.Bool(true)})
	checkAnon(t, srv, "GET", "/objacl/pub", 403)
	mustGet(t, alice, "objacl", "pub")
}

// TestAccessPolicyAnonymousPrefix: a policy granting everyone GetObject
// on a prefix opens that prefix to unsigned requests, nothing else;
// RestrictPublicBuckets keeps it to the owner's account.
func TestAccessPolicyAnonymousPrefix(t *testing.T) {
	srv, alice, bob := newAccessServer(t)
	ctx := t.Context()
	mustSeedBucket(t, alice, "site", map[string]string{"public/index.html": "hello", "private/key": "secret"})
	putPolicy(t, alice, "site", `{"Version":"2012-10-17","Statement":[{"Sid":"PublicRead","Effect":"Allow",
		"Principal":"*","Action":["s3:GetObject"],"Resource":"arn:aws:s3:::site/public/*"}]}`)
	if code, body := anonStatus(t, srv, "GET", "/site/public/index.html", ""); code != 200 || body != "hello" {
		t.Errorf("anonymous GET public/index.html = %d %q, want 200 hello", code, body)
	}
	checkAnon(t, srv, "GET", "/site/private/key", 403)
	checkAnon(t, srv, "PUT", "/site/public/new", 403)
	checkAnon(t, srv, "GET", "/site?list-type=2", 403)
	mustGet(t, bob, "site", "public/index.html")

	putPAB(t, alice, "site", types.PublicAccessBlockConfiguration{RestrictPublicBuckets: aws.Bool(true)})
	checkAnon(t, srv, "GET", "/site/public/index.html", 403)
	_, err := bob.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("site"), Key: aws.String("public/index.html")})
	checkErr(t, "GetObject(bob, restricted public policy)", err, "AccessDenied", 403)
	mustGet(t, alice, "site", "public/index.html")
}

// TestAccessPolicyUser: a policy naming bob's ARN grants him ListBucket,
// under its s3:prefix condition, and nothing more.
func TestAccessPolicyUser(t *testing.T) {
	srv, alice, bob := newAccessServer(t)
	ctx := t.Context()
	mustSeedBucket(t, alice, "shared", map[string]string{"docs/a": "a", "other/b": "b"})
	putPolicy(t, alice, "shared", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
		"Principal":{"AWS":"`+srv.UserARN("bob")+`"},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::shared",
		"Condition":{"StringLike":{"s3:prefix":"docs/*"}}}]}`)
	out, err := bob.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("shared"), Prefix: aws.String("docs/")})
	if err != nil || len(out.Contents) != 1 || aws.ToString(out.Contents[0].Key) != "docs/a" {
		t.Errorf("ListObjectsV2(bob, docs/) = %+v, %v; want docs/a", out, err)
	}
	_, err = bob.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("shared"), Prefix: aws.String("other/")})
	checkErr(t, "ListObjectsV2(bob, other/)", err, "AccessDenied", 403)
	_, err = bob.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("shared"), Key: aws.String("docs/a")})
	checkErr(t, "GetObject(bob)", err, "AccessDenied", 403)
	_, err = bob.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("shared"), Policy: aws.String(`{}`)})
	checkErr(t, "PutBucketPolicy(bob)", err, "AccessDenied", 403)
	checkAnon(t, srv, "GET", "/shared?list-type=2&prefix=docs/", 403)
}

// TestAccessPolicyDeny: an explicit Deny beats an Allow, for the owner
// too, who may still replace the policy.
func TestAccessPolicyDeny(t *testing.T) {
	srv, alice, _ := newAccessServer(t)
	ctx := t.Context()
	mustSeedBucket(t, alice, "guarded", map[string]string{"open": "o", "secret/x": "s"})
	putPolicy(t, alice, "guarded", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Principal":"*","Action":"s3:Get*","Resource":"arn:aws:s3:::guarded/*"},
		{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::guarded/secret/*"}]}`)
	checkAnon(t, srv, "GET", "/guarded/open", 200)
	checkAnon(t, srv, "GET", "/guarded/secret/x", 403)
	_, err := alice.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("guarded"), Key: aws.String("secret/x")})
	checkErr(t, "GetObject(owner, denied)", err, "AccessDenied", 403)

	// aws:SecureTransport: this server speaks plain HTTP.
	putPolicy(t, alice, "guarded", `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*",
		"Resource":["arn:aws:s3:::guarded","arn:aws:s3:::guarded/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`)
	_, err = alice.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("guarded")})
	checkErr(t, "ListObjectsV2(owner, http, TLS required)", err, "AccessDenied", 403)
	if _, err := alice.DeleteBucketPolicy(ctx, &s3.DeleteBucketPolicyInput{Bucket: aws.String("guarded")}); err != nil {
		t.Fatalf("DeleteBucketPolicy(owner) = %v, want success", err)
	}
	mustGet(t, alice, "guarded", "secret/x")
}

// TestAccessPostAnonymous: an unsigned form upload is refused on a
// private bucket and accepted where the policy lets everyone PutObject.
func TestAccessPostAnonymous(t *testing.T) {
	srv, alice, _ := newAccessServer(t)
	mustCreateBucket(t, alice, "drop")
	resp, body := postForm(t, srv, "/drop", []field{{"key", "uploads/a"}}, postFile{data: []byte("anon")})
	wantPostError(t, resp, body, "AccessDenied", "")
	putPolicy(t, alice, "drop", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*",
		"Action":"s3:PutObject","Resource":"arn:aws:s3:::drop/uploads/*"}]}`)
	resp, body = postForm(t, srv, "/drop", []field{{"key", "uploads/a"}}, postFile{data: []byte("anon")})
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("anonymous POST uploads/a = %d %s, want 204", resp.StatusCode, body)
	}
	srv.CheckObject(t, "drop", "uploads/a", []byte("anon"))
	resp, body = postForm(t, srv, "/drop", []field{{"key", "other"}}, postFile{data: []byte("anon")})
	wantPostError(t, resp, body, "AccessDenied", "")
	srv.CheckNoObject(t, "drop", "other")
}
