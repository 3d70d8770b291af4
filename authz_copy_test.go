// Copies and multi-object deletes by identities other than the bucket
// owner, under WithAuth: a copy needs s3:GetObject (s3:GetObjectVersion)
// on its source and s3:PutObject on its destination; DeleteObjects is
// decided key by key.

package mocks3_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/mocks3/mocks3"
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
	if _, err := alice.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String("src"),
		VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusEnabled}}); err != nil {
		t.Fatal(err)
	}
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
	if _, err := alice.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String("del"),
		VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusEnabled}}); err != nil {
		t.Fatal(err)
	}
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
