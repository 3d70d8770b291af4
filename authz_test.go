// Copies and multi-object deletes by identities other than the bucket
// owner, under WithAuth: a copy needs s3:GetObject (s3:GetObjectVersion)
// on its source and s3:PutObject on its destination; DeleteObjects is
// decided key by key.

package mocks3_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	smithy "github.com/aws/smithy-go"
	smithyauth "github.com/aws/smithy-go/auth"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/stretchr/testify/require"

	"github.com/mocks3/mocks3"
	"github.com/mocks3/mocks3/faults"
)

// anonClient is a client that sends unsigned requests.
func anonClient(srv *mocks3.Server) *s3.Client {
	return srv.Client(func(o *s3.Options) { o.Credentials = aws.AnonymousCredentials{} })
}

// allowStatement is a policy granting principal (a JSON value) actions on
// resource.
func allowStatement(principal, actions, resource string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":` + principal +
		`,"Action":` + actions + `,"Resource":"` + resource + `"}]}`
}

// setPolicy puts policy on bucket, or deletes the bucket's policy when it
// is "".
func setPolicy(t *testing.T, c *s3.Client, bucket, policy string) {
	t.Helper()
	if policy != "" {
		putPolicy(t, c, bucket, policy)
		return
	}
	if _, err := c.DeleteBucketPolicy(t.Context(), &s3.DeleteBucketPolicyInput{Bucket: aws.String(bucket)}); err != nil {
		t.Fatalf("DeleteBucketPolicy(%s): %v", bucket, err)
	}
}

// TestAuthzCopy: CopyObject and UploadPartCopy by alice (who owns src and
// dst), bob (who owns bobs) and an anonymous caller, under the bucket
// policies of the source and destination buckets.
func TestAuthzCopy(t *testing.T) {
	srv, alice, bob := newAccessServer(t)
	anon := anonClient(srv)
	ctx := t.Context()
	for _, b := range []string{"src", "dst"} {
		mustCreateBucket(t, alice, b)
	}
	mustCreateBucket(t, bob, "bobs")
	setVersioning(t, alice, "src", types.BucketVersioningStatusEnabled)
	v1 := aws.ToString(mustPut(t, alice, "src", "k", []byte("one")).VersionId)
	mustPut(t, alice, "src", "k", []byte("two"))
	mustPut(t, bob, "bobs", "b", []byte("bob's"))

	bobARN := `{"AWS":"` + srv.UserARN("bob") + `"}`
	aliceARN := `{"AWS":"` + srv.UserARN("alice") + `"}`
	clients := map[string]*s3.Client{"alice": alice, "bob": bob, "anonymous": anon}
	owners := map[string]*s3.Client{"src": alice, "dst": alice, "bobs": bob}
	tests := []struct {
		name     string
		caller   string
		source   string // bucket/key[?versionId=…]
		dst      string
		policies map[string]string // bucket policies; the others are deleted
		want     string            // "" for success, else the error code (403)
		wantBody string
	}{
		{name: "bob, private source", caller: "bob", source: "src/k", dst: "bobs", want: "AccessDenied"},
		{name: "bob, source readable by policy", caller: "bob", source: "src/k", dst: "bobs",
			policies: map[string]string{"src": allowStatement(bobARN, `"s3:GetObject"`, "arn:aws:s3:::src/*")}, wantBody: "two"},
		{name: "bob, policy on another prefix", caller: "bob", source: "src/k", dst: "bobs",
			policies: map[string]string{"src": allowStatement(bobARN, `"s3:GetObject"`, "arn:aws:s3:::src/other/*")}, want: "AccessDenied"},
		{name: "bob, version without s3:GetObjectVersion", caller: "bob", source: "src/k?versionId=" + v1, dst: "bobs",
			policies: map[string]string{"src": allowStatement(bobARN, `"s3:GetObject"`, "arn:aws:s3:::src/*")}, want: "AccessDenied"},
		{name: "bob, version with s3:GetObjectVersion", caller: "bob", source: "src/k?versionId=" + v1, dst: "bobs",
			policies: map[string]string{"src": allowStatement(bobARN, `"s3:GetObjectVersion"`, "arn:aws:s3:::src/*")}, wantBody: "one"},
		{name: "bob, into alice's bucket without s3:PutObject", caller: "bob", source: "bobs/b", dst: "dst", want: "AccessDenied"},
		{name: "bob, into alice's bucket with s3:PutObject", caller: "bob", source: "bobs/b", dst: "dst",
			policies: map[string]string{"dst": allowStatement(bobARN, `"s3:PutObject"`, "arn:aws:s3:::dst/*")}, wantBody: "bob's"},
		{name: "bob, readable source but no s3:PutObject", caller: "bob", source: "src/k", dst: "dst",
			policies: map[string]string{"src": allowStatement(bobARN, `"s3:GetObject"`, "arn:aws:s3:::src/*")}, want: "AccessDenied"},
		{name: "alice, from bob's private bucket into hers", caller: "alice", source: "bobs/b", dst: "dst", want: "AccessDenied"},
		{name: "alice, from bob's bucket readable by policy", caller: "alice", source: "bobs/b", dst: "dst",
			policies: map[string]string{"bobs": allowStatement(aliceARN, `"s3:GetObject"`, "arn:aws:s3:::bobs/*")}, wantBody: "bob's"},
		{name: "alice, source read denied to her", caller: "alice", source: "src/k", dst: "dst",
			policies: map[string]string{"src": strings.Replace(allowStatement(`"*"`, `"s3:GetObject"`, "arn:aws:s3:::src/*"), "Allow", "Deny", 1)}, want: "AccessDenied"},
		{name: "anonymous, public source and destination", caller: "anonymous", source: "src/k", dst: "dst",
			policies: map[string]string{"src": allowStatement(`"*"`, `"s3:GetObject"`, "arn:aws:s3:::src/*"),
				"dst": allowStatement(`"*"`, `"s3:PutObject"`, "arn:aws:s3:::dst/*")}, wantBody: "two"},
		{name: "anonymous, public destination only", caller: "anonymous", source: "src/k", dst: "dst",
			policies: map[string]string{"dst": allowStatement(`"*"`, `"s3:PutObject"`, "arn:aws:s3:::dst/*")}, want: "AccessDenied"},
	}
	for i, tt := range tests {
		for _, op := range []string{"CopyObject", "UploadPartCopy"} {
			t.Run(op+"/"+tt.name, func(t *testing.T) {
				for b, c := range owners {
					setPolicy(t, c, b, tt.policies[b])
				}
				key := "copy-" + string(rune('a'+i)) + "-" + op
				srcBucket, srcKey, _ := strings.Cut(tt.source, "/")
				srcKey, version, _ := strings.Cut(srcKey, "?")
				source := copySource(srcBucket, srcKey)
				if version != "" {
					source += "?" + version
				}
				c := clients[tt.caller]
				var err error
				if op == "CopyObject" {
					_, err = c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String(tt.dst), Key: aws.String(key), CopySource: aws.String(source)})
				} else {
					up, cerr := owners[tt.dst].CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(tt.dst), Key: aws.String(key)})
					if cerr != nil {
						t.Fatal(cerr)
					}
					var part *s3.UploadPartCopyOutput
					part, err = c.UploadPartCopy(ctx, &s3.UploadPartCopyInput{Bucket: aws.String(tt.dst), Key: aws.String(key),
						UploadId: up.UploadId, PartNumber: aws.Int32(1), CopySource: aws.String(source)})
					if err == nil {
						_, err = owners[tt.dst].CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String(tt.dst),
							Key: aws.String(key), UploadId: up.UploadId, MultipartUpload: &types.CompletedMultipartUpload{
								Parts: []types.CompletedPart{{PartNumber: aws.Int32(1), ETag: part.CopyPartResult.ETag}}}})
					}
				}
				call := op + "(" + tt.caller + ", " + tt.source + " → " + tt.dst + ")"
				if tt.want != "" {
					checkErr(t, call, err, tt.want, 403)
					srv.CheckNoObject(t, tt.dst, key)
					return
				}
				if err != nil {
					t.Fatalf("%s = %v, want success", call, err)
				}
				srv.CheckObject(t, tt.dst, key, []byte(tt.wantBody))
			})
		}
	}
}

// TestAuthzDeleteObjects: each key of a DeleteObjects is an
// s3:DeleteObject (s3:DeleteObjectVersion with a version ID) of its own;
// a refused key is an AccessDenied entry of the result (200) while the
// allowed ones are deleted.
func TestAuthzDeleteObjects(t *testing.T) {
	srv, alice, bob := newAccessServer(t)
	anon := anonClient(srv)
	ctx := t.Context()
	mustCreateBucket(t, alice, "del")
	setVersioning(t, alice, "del", types.BucketVersioningStatusEnabled)
	bobARN := `{"AWS":"` + srv.UserARN("bob") + `"}`
	tests := []struct {
		name        string
		client      *s3.Client
		policy      string
		keys        []string // "key" or "key?v" for the version just written
		wantDeleted []string
		wantDenied  []string
	}{
		{name: "bob, no grant", client: bob, keys: []string{"a/1", "b/1"}, wantDenied: []string{"a/1", "b/1"}},
		{name: "anonymous, no grant", client: anon, keys: []string{"a/1"}, wantDenied: []string{"a/1"}},
		{name: "bob, grant on a/", client: bob, policy: allowStatement(bobARN, `"s3:DeleteObject"`, "arn:aws:s3:::del/a/*"),
			keys: []string{"a/1", "b/1", "a/2"}, wantDeleted: []string{"a/1", "a/2"}, wantDenied: []string{"b/1"}},
		{name: "bob, version without s3:DeleteObjectVersion", client: bob, policy: allowStatement(bobARN, `"s3:DeleteObject"`, "arn:aws:s3:::del/*"),
			keys: []string{"a/1?v", "b/1"}, wantDeleted: []string{"b/1"}, wantDenied: []string{"a/1"}},
		{name: "bob, version with s3:DeleteObjectVersion", client: bob, policy: allowStatement(bobARN, `"s3:DeleteObjectVersion"`, "arn:aws:s3:::del/*"),
			keys: []string{"a/1?v", "b/1"}, wantDeleted: []string{"a/1"}, wantDenied: []string{"b/1"}},
		{name: "anonymous, public delete", client: anon, policy: allowStatement(`"*"`, `"s3:DeleteObject"`, "arn:aws:s3:::del/b/*"),
			keys: []string{"a/1", "b/1"}, wantDeleted: []string{"b/1"}, wantDenied: []string{"a/1"}},
		{name: "owner, key denied by policy", client: alice,
			policy: strings.Replace(allowStatement(`"*"`, `"s3:DeleteObject"`, "arn:aws:s3:::del/a/*"), "Allow", "Deny", 1),
			keys:   []string{"a/1", "b/1"}, wantDeleted: []string{"b/1"}, wantDenied: []string{"a/1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			setPolicy(t, alice, "del", tt.policy)
			var ids []types.ObjectIdentifier
			versions := map[string]string{}
			for _, k := range tt.keys {
				key, withVersion := strings.CutSuffix(k, "?v")
				v := aws.ToString(mustPut(t, alice, "del", key, []byte(key)).VersionId)
				id := types.ObjectIdentifier{Key: aws.String(key)}
				if withVersion {
					id.VersionId = aws.String(v)
				}
				versions[key] = v
				ids = append(ids, id)
			}
			out, err := tt.client.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("del"), Delete: &types.Delete{Objects: ids}})
			if err != nil {
				t.Fatalf("DeleteObjects = %v, want 200 with per-key results", err)
			}
			deleted, denied := deleteResults(t, out)
			var wantDenied []string
			for _, k := range tt.wantDenied {
				wantDenied = append(wantDenied, k+": AccessDenied")
			}
			if strings.Join(deleted, ",") != strings.Join(tt.wantDeleted, ",") || strings.Join(denied, ",") != strings.Join(wantDenied, ",") {
				t.Errorf("DeleteObjects = deleted %q, denied %q; want deleted %q, denied %q", deleted, denied, tt.wantDeleted, wantDenied)
			}
			for _, e := range out.Errors {
				if aws.ToString(e.Message) != "Access Denied" {
					t.Errorf("DeleteObjects error message for %s = %q, want %q", aws.ToString(e.Key), aws.ToString(e.Message), "Access Denied")
				}
			}
			for _, k := range tt.wantDenied {
				// The refused key's version is still there.
				if _, err := alice.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("del"), Key: aws.String(k),
					VersionId: aws.String(versions[k])}); err != nil {
					t.Errorf("HeadObject(%s, version %s) after a refused delete = %v", k, versions[k], err)
				}
			}
		})
	}
}

// Owners in listings and ACLs under WithAuth: what another identity reads
// names the bucket's owner, never the caller.

// TestAuthzListingOwner: alice reads bob's bucket, which his policy opens
// to her; every Owner (and Initiator) names bob, and the canned ACLs of
// his bucket grant him, not her.
func TestAuthzListingOwner(t *testing.T) {
	srv, alice, bob := newAccessServer(t)
	ctx := t.Context()
	createACLBucket(t, bob, "bobs")
	setVersioning(t, bob, "bobs", types.BucketVersioningStatusEnabled)
	mustPut(t, bob, "bobs", "k", []byte("v"), func(in *s3.PutObjectInput) { in.ACL = types.ObjectCannedACLPublicRead })
	up, err := bob.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("bobs"), Key: aws.String("mp")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bob.PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: aws.String("bobs"), ACL: types.BucketCannedACLPublicRead}); err != nil {
		t.Fatal(err)
	}
	putPolicy(t, bob, "bobs", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"`+srv.UserARN("alice")+`"},
		"Action":["s3:ListBucket","s3:ListBucketVersions","s3:ListBucketMultipartUploads","s3:ListMultipartUploadParts",
		"s3:GetBucketAcl","s3:GetObjectAcl"],"Resource":["arn:aws:s3:::bobs","arn:aws:s3:::bobs/*"]}]}`)
	bobID, aliceID := ownerID(t, bob), ownerID(t, alice)
	if bobID == aliceID {
		t.Fatalf("alice and bob have the same canonical ID %s", bobID)
	}

	b := aws.String("bobs")
	tests := []struct {
		name   string
		owners func() ([]*types.Owner, error)
	}{
		{"ListObjects", readWith(ctx, alice.ListObjects, &s3.ListObjectsInput{Bucket: b}, func(out *s3.ListObjectsOutput) []*types.Owner {
			return []*types.Owner{out.Contents[0].Owner}
		})},
		{"ListObjectsV2 FetchOwner", readWith(ctx, alice.ListObjectsV2, &s3.ListObjectsV2Input{Bucket: b, FetchOwner: aws.Bool(true)}, func(out *s3.ListObjectsV2Output) []*types.Owner {
			return []*types.Owner{out.Contents[0].Owner}
		})},
		{"ListObjectVersions", readWith(ctx, alice.ListObjectVersions, &s3.ListObjectVersionsInput{Bucket: b}, func(out *s3.ListObjectVersionsOutput) []*types.Owner {
			return []*types.Owner{out.Versions[0].Owner}
		})},
		{"ListMultipartUploads", readWith(ctx, alice.ListMultipartUploads, &s3.ListMultipartUploadsInput{Bucket: b}, func(out *s3.ListMultipartUploadsOutput) []*types.Owner {
			u := out.Uploads[0]
			return []*types.Owner{u.Owner, {ID: u.Initiator.ID, DisplayName: u.Initiator.DisplayName}}
		})},
		{"ListParts", readWith(ctx, alice.ListParts, &s3.ListPartsInput{Bucket: b, Key: aws.String("mp"), UploadId: up.UploadId}, func(out *s3.ListPartsOutput) []*types.Owner {
			return []*types.Owner{out.Owner, {ID: out.Initiator.ID, DisplayName: out.Initiator.DisplayName}}
		})},
		{"GetBucketAcl", readWith(ctx, alice.GetBucketAcl, &s3.GetBucketAclInput{Bucket: b}, func(out *s3.GetBucketAclOutput) []*types.Owner {
			return []*types.Owner{out.Owner, granteeOwner(out.Grants, types.PermissionFullControl)}
		})},
		{"GetObjectAcl", readWith(ctx, alice.GetObjectAcl, &s3.GetObjectAclInput{Bucket: b, Key: aws.String("k")}, func(out *s3.GetObjectAclOutput) []*types.Owner {
			return []*types.Owner{out.Owner, granteeOwner(out.Grants, types.PermissionFullControl)}
		})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			owners, err := tt.owners()
			if err != nil {
				t.Fatalf("%s(alice, bob's bucket) = %v", tt.name, err)
			}
			for i, o := range owners {
				if o == nil {
					t.Errorf("%s(alice, bob's bucket) owner %d missing, want bob", tt.name, i)
				} else if id, name := aws.ToString(o.ID), aws.ToString(o.DisplayName); id != bobID || name != "bob" {
					t.Errorf("%s(alice, bob's bucket) owner %d = %s (%s), want bob (%s)", tt.name, i, name, id, bobID)
				}
			}
		})
	}

	// The FULL_CONTROL of bob's canned ACLs is his: it gives alice
	// nothing beyond the public grants.
	_, err = alice.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("alice"), Body: strings.NewReader("a")})
	checkErr(t, "PutObject(alice, bob's public-read bucket)", err, "AccessDenied", 403)
	_, err = alice.PutObjectAcl(ctx, &s3.PutObjectAclInput{Bucket: b, Key: aws.String("k"), ACL: types.ObjectCannedACLPrivate})
	checkErr(t, "PutObjectAcl(alice, bob's object)", err, "AccessDenied", 403)
	srv.CheckNoObject(t, "bobs", "alice")

	// An ACL body naming another owner is refused; naming bob, accepted.
	acl := func(ownerID string) *types.AccessControlPolicy {
		return &types.AccessControlPolicy{Owner: &types.Owner{ID: aws.String(ownerID)}, Grants: []types.Grant{{
			Grantee:    &types.Grantee{Type: types.TypeCanonicalUser, ID: aws.String(ownerID)},
			Permission: types.PermissionFullControl}}}
	}
	_, err = bob.PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: b, AccessControlPolicy: acl(aliceID)})
	checkErr(t, "PutBucketAcl(bob, owner alice)", err, "AccessDenied", 403)
	if _, err := bob.PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: b, AccessControlPolicy: acl(bobID)}); err != nil {
		t.Errorf("PutBucketAcl(bob, owner bob) = %v, want success", err)
	}
}

// granteeOwner returns the canonical user granted perm, as an Owner.
func granteeOwner(grants []types.Grant, perm types.Permission) *types.Owner {
	for _, g := range grants {
		if g.Permission == perm && g.Grantee != nil && g.Grantee.Type == types.TypeCanonicalUser {
			return &types.Owner{ID: g.Grantee.ID, DisplayName: g.Grantee.DisplayName}
		}
	}
	return nil
}

// A missing object under WithAuth: a caller allowed to read it learns
// that it is missing (404) only when it may also list the bucket;
// otherwise it is AccessDenied, as for a key it may not read.

func TestAuthzMissingObject(t *testing.T) {
	srv, alice, bob := newAccessServer(t)
	anon := anonClient(srv)
	ctx := t.Context()
	mustCreateBucket(t, alice, "miss")
	mustPut(t, alice, "miss", "public/there", []byte("x"))
	mustCreateBucket(t, bob, "bobs")
	bobP := `{"AWS":"` + srv.UserARN("bob") + `"}`
	readOnly := allowStatement(bobP, `"s3:GetObject"`, "arn:aws:s3:::miss/*")
	readAndList := `{"Version":"2012-10-17","Statement":[` +
		`{"Effect":"Allow","Principal":` + bobP + `,"Action":"s3:GetObject","Resource":"arn:aws:s3:::miss/*"},` +
		`{"Effect":"Allow","Principal":` + bobP + `,"Action":"s3:ListBucket","Resource":"arn:aws:s3:::miss"}]}`
	listPublic := `{"Version":"2012-10-17","Statement":[` +
		`{"Effect":"Allow","Principal":` + bobP + `,"Action":"s3:GetObject","Resource":"arn:aws:s3:::miss/*"},` +
		`{"Effect":"Allow","Principal":` + bobP + `,"Action":"s3:ListBucket","Resource":"arn:aws:s3:::miss","Condition":{"StringLike":{"s3:prefix":"public/*"}}}]}`
	anonRead := allowStatement(`"*"`, `"s3:GetObject"`, "arn:aws:s3:::miss/*")
	tests := []struct {
		name       string
		policy     string
		client     *s3.Client
		key        string
		wantCode   string // "" for success
		wantStatus int
	}{
		{"read only, present", readOnly, bob, "public/there", "", 200},
		{"read only, missing", readOnly, bob, "public/missing", "AccessDenied", 403},
		{"read and list, missing", readAndList, bob, "public/missing", "NoSuchKey", 404},
		{"list under public/, missing there", listPublic, bob, "public/missing", "NoSuchKey", 404},
		{"list under public/, missing elsewhere", listPublic, bob, "private/missing", "AccessDenied", 403},
		{"anonymous read, missing", anonRead, anon, "public/missing", "AccessDenied", 403},
		{"anonymous read, present", anonRead, anon, "public/there", "", 200},
		{"owner, missing", "", alice, "public/missing", "NoSuchKey", 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			setPolicy(t, alice, "miss", tt.policy)
			out, err := tt.client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("miss"), Key: aws.String(tt.key)})
			_, herr := tt.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("miss"), Key: aws.String(tt.key)})
			// A copy's source is read the same way.
			_, cerr := bob.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("bobs"), Key: aws.String("copy"),
				CopySource: aws.String("miss/" + tt.key)})
			if tt.wantCode == "" {
				if err != nil || herr != nil || tt.client == bob && cerr != nil {
					t.Fatalf("GetObject, HeadObject, CopyObject(%s) = %v, %v, %v; want success", tt.key, err, herr, cerr)
				}
				out.Body.Close()
				return
			}
			checkErr(t, "GetObject("+tt.key+")", err, tt.wantCode, tt.wantStatus)
			// HEAD has no body: the SDK reports the status alone.
			checkErr(t, "HeadObject("+tt.key+")", herr, "", tt.wantStatus)
			if tt.client == bob {
				checkErr(t, "CopyObject(source "+tt.key+")", cerr, tt.wantCode, tt.wantStatus)
			}
		})
	}
}

// SigV4a (AWS4-ECDSA-P256-SHA256) is not enabled here: every form of it
// is answered as S3 answers a signing mechanism it does not take.

// sigV4aMessage is S3's message for a signing mechanism it does not take
// (recorded responses quote it for SigV2 in V4-only regions).
const sigV4aMessage = "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256."

// sigV4aOnly makes the SDK sign with SigV4a, as it does for a
// Multi-Region Access Point.
type sigV4aOnly struct{}

func (sigV4aOnly) ResolveAuthSchemes(_ context.Context, p *s3.AuthResolverParameters) ([]*smithyauth.Option, error) {
	var props smithy.Properties
	smithyhttp.SetSigV4ASigningName(&props, "s3")
	smithyhttp.SetSigV4ASigningRegions(&props, []string{"*"})
	return []*smithyauth.Option{{SchemeID: smithyauth.SchemeIDSigV4A, SignerProperties: props}}, nil
}

func TestAuthSigV4a(t *testing.T) {
	srv := mocks3.New(t, mocks3.WithAuth(), mocks3.WithBucket(testBucket))
	ctx := t.Context()
	mustPut(t, srv.Client(), testBucket, "k", []byte("v"))
	rec := newRecorder(t, srv)
	v4a := srv.Client(withHTTPClient(rec), func(o *s3.Options) { o.AuthSchemeResolver = sigV4aOnly{} })

	_, err := v4a.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(testBucket), Key: aws.String("k")})
	checkErr(t, "GetObject(SigV4a header)", err, "InvalidRequest", 400)
	if err == nil || !strings.Contains(err.Error(), sigV4aMessage) {
		t.Errorf("GetObject(SigV4a header) = %v, want the message %q", err, sigV4aMessage)
	}
	if got := rec.Last().reqHeader.Get("Authorization"); !strings.HasPrefix(got, "AWS4-ECDSA-P256-SHA256 ") {
		t.Fatalf("the SDK signed with %q, want SigV4a", got)
	}
	_, err = v4a.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(testBucket), Key: aws.String("new"), Body: strings.NewReader("x")})
	checkErr(t, "PutObject(SigV4a header)", err, "InvalidRequest", 400)
	srv.CheckNoObject(t, testBucket, "new")

	// A presigned URL whose algorithm is SigV4a's, with its region set.
	ps, err := s3.NewPresignClient(srv.Client()).PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(testBucket), Key: aws.String("k")})
	if err != nil {
		t.Fatal(err)
	}
	u := strings.Replace(ps.URL, "X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256", 1) + "&X-Amz-Region-Set=*"
	if u == ps.URL+"&X-Amz-Region-Set=*" {
		t.Fatalf("presigned URL %s has no X-Amz-Algorithm to replace", ps.URL)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 400 || !strings.Contains(string(body), "<Code>InvalidRequest</Code>") ||
		!strings.Contains(string(body), "<Message>"+sigV4aMessage+"</Message>") {
		t.Errorf("GET presigned with SigV4a = %d %s, want 400 InvalidRequest %q", resp.StatusCode, body, sigV4aMessage)
	}
}

// A failed metadata read during authorization refuses the request with the
// failure; it never lets the request through unchecked.
func TestAuthzFailedReadRefuses(t *testing.T) {
	srv, alice, bob := newAccessServer(t)
	createACLBucket(t, alice, "private")
	mustPut(t, alice, "private", "k", []byte("secret"))
	mustPut(t, alice, "private", "other", []byte("secret"))
	for _, tt := range []struct {
		name   string
		client *s3.Client
		roleOp string
	}{
		{"anonymous, bucket read fails", anonClient(srv), "GetBucket"},
		{"bob, bucket read fails", bob, "GetBucket"},
		{"anonymous, object read fails", anonClient(srv), "GetObject"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := srv.Faults().AddT(t, faults.Rule{Service: "metadata", RoleOp: tt.roleOp, Times: 1, Action: faults.ErrorCode("InternalError")})[0]
			out, err := tt.client.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String("private"), Key: aws.String("k")},
				func(o *s3.Options) { o.RetryMaxAttempts = 1 })
			if err == nil {
				out.Body.Close()
				t.Fatalf("GetObject(private/k) with the %s read failing = success, want a refusal", tt.roleOp)
			}
			require.Equal(t, 1, h.Hits(), "the metadata fault never fired")
			checkErr(t, "GetObject(private/k)", err, "InternalError", 500)
		})
	}
}
