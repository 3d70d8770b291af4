// Owners in listings and ACLs under WithAuth: what another identity reads
// names the bucket's owner, never the caller.

package mocks3_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// TestAuthzListingOwner: alice reads bob's bucket, which his policy opens
// to her; every Owner (and Initiator) names bob, and the canned ACLs of
// his bucket grant him, not her.
func TestAuthzListingOwner(t *testing.T) {
	srv, alice, bob := newAccessServer(t)
	ctx := t.Context()
	createACLBucket(t, bob, "bobs")
	if _, err := bob.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String("bobs"),
		VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusEnabled}}); err != nil {
		t.Fatal(err)
	}
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
		{"ListObjects", func() ([]*types.Owner, error) {
			out, err := alice.ListObjects(ctx, &s3.ListObjectsInput{Bucket: b})
			if err != nil {
				return nil, err
			}
			return []*types.Owner{out.Contents[0].Owner}, nil
		}},
		{"ListObjectsV2 FetchOwner", func() ([]*types.Owner, error) {
			out, err := alice.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: b, FetchOwner: aws.Bool(true)})
			if err != nil {
				return nil, err
			}
			return []*types.Owner{out.Contents[0].Owner}, nil
		}},
		{"ListObjectVersions", func() ([]*types.Owner, error) {
			out, err := alice.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: b})
			if err != nil {
				return nil, err
			}
			return []*types.Owner{out.Versions[0].Owner}, nil
		}},
		{"ListMultipartUploads", func() ([]*types.Owner, error) {
			out, err := alice.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: b})
			if err != nil {
				return nil, err
			}
			u := out.Uploads[0]
			return []*types.Owner{u.Owner, {ID: u.Initiator.ID, DisplayName: u.Initiator.DisplayName}}, nil
		}},
		{"ListParts", func() ([]*types.Owner, error) {
			out, err := alice.ListParts(ctx, &s3.ListPartsInput{Bucket: b, Key: aws.String("mp"), UploadId: up.UploadId})
			if err != nil {
				return nil, err
			}
			return []*types.Owner{out.Owner, {ID: out.Initiator.ID, DisplayName: out.Initiator.DisplayName}}, nil
		}},
		{"GetBucketAcl", func() ([]*types.Owner, error) {
			out, err := alice.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: b})
			if err != nil {
				return nil, err
			}
			return []*types.Owner{out.Owner, granteeOwner(out.Grants, types.PermissionFullControl)}, nil
		}},
		{"GetObjectAcl", func() ([]*types.Owner, error) {
			out, err := alice.GetObjectAcl(ctx, &s3.GetObjectAclInput{Bucket: b, Key: aws.String("k")})
			if err != nil {
				return nil, err
			}
			return []*types.Owner{out.Owner, granteeOwner(out.Grants, types.PermissionFullControl)}, nil
		}},
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
