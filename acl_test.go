package mocks3_test

// ACLs, object ownership and bucket policies:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketAcl.html,
// API_PutObjectAcl.html, API_PutBucketOwnershipControls.html,
// API_PutBucketPolicy.html, API_GetBucketPolicyStatus.html.

import (
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/mocks3/mocks3"
)

const allUsers = "http://acs.amazonaws.com/groups/global/AllUsers"

// grantsOf summarises grants as "PERMISSION:grantee".
func grantsOf(grants []types.Grant) []string {
	var out []string
	for _, g := range grants {
		who := aws.ToString(g.Grantee.ID)
		if g.Grantee.URI != nil {
			who = aws.ToString(g.Grantee.URI)
		}
		out = append(out, string(g.Permission)+":"+who)
	}
	return out
}

func TestObjectOwnershipEnforcedByDefault(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		_, c := startBucket(t, newServer, mocks3.WithObject(testBucket, "obj", []byte("x")))
		ctx, b, k := t.Context(), aws.String(testBucket), aws.String("obj")

		oc, err := c.GetBucketOwnershipControls(ctx, &s3.GetBucketOwnershipControlsInput{Bucket: b})
		if err != nil || len(oc.OwnershipControls.Rules) != 1 || oc.OwnershipControls.Rules[0].ObjectOwnership != types.ObjectOwnershipBucketOwnerEnforced {
			t.Fatalf("GetBucketOwnershipControls of a new bucket = %+v, %v; want BucketOwnerEnforced", oc, err)
		}
		// Reads show the owner's full control; writes of ACLs are refused,
		// but bucket-owner-full-control is accepted.
		acl, err := c.GetObjectAcl(ctx, &s3.GetObjectAclInput{Bucket: b, Key: k})
		if err != nil || len(acl.Grants) != 1 || acl.Grants[0].Permission != types.PermissionFullControl || aws.ToString(acl.Owner.ID) == "" {
			t.Errorf("GetObjectAcl = %+v, %v; want the owner's FULL_CONTROL", acl, err)
		}
		_, err = c.PutObjectAcl(ctx, &s3.PutObjectAclInput{Bucket: b, Key: k, ACL: types.ObjectCannedACLPublicRead})
		checkErr(t, "PutObjectAcl(public-read)", err, "AccessControlListNotSupported", 400)
		_, err = c.PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: b, ACL: types.BucketCannedACLPrivate})
		checkErr(t, "PutBucketAcl(private)", err, "AccessControlListNotSupported", 400)
		_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("p"), Body: strings.NewReader("x"), ACL: types.ObjectCannedACLPublicRead})
		checkErr(t, "PutObject(public-read)", err, "AccessControlListNotSupported", 400)
		mustPut(t, c, testBucket, "p", []byte("x"), func(in *s3.PutObjectInput) { in.ACL = types.ObjectCannedACLBucketOwnerFullControl })
	})
}

func TestACLs(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		_, c := startBucket(t, newServer, mocks3.WithObject(testBucket, "obj", []byte("x")))
		ctx, b, k := t.Context(), aws.String(testBucket), aws.String("obj")
		if _, err := c.PutBucketOwnershipControls(ctx, &s3.PutBucketOwnershipControlsInput{Bucket: b,
			OwnershipControls: &types.OwnershipControls{Rules: []types.OwnershipControlsRule{{ObjectOwnership: types.ObjectOwnershipObjectWriter}}}}); err != nil {
			t.Fatalf("PutBucketOwnershipControls: %v", err)
		}
		acl, err := c.GetObjectAcl(ctx, &s3.GetObjectAclInput{Bucket: b, Key: k})
		if err != nil || len(acl.Grants) != 1 {
			t.Fatalf("GetObjectAcl of an object without ACL = %+v, %v; want private", acl, err)
		}
		owner := aws.ToString(acl.Owner.ID)

		if _, err := c.PutObjectAcl(ctx, &s3.PutObjectAclInput{Bucket: b, Key: k, ACL: types.ObjectCannedACLPublicRead}); err != nil {
			t.Fatalf("PutObjectAcl(public-read): %v", err)
		}
		acl, err = c.GetObjectAcl(ctx, &s3.GetObjectAclInput{Bucket: b, Key: k})
		if got, want := strings.Join(grantsOf(acl.Grants), " "), "FULL_CONTROL:"+owner+" READ:"+allUsers; err != nil || got != want {
			t.Errorf("GetObjectAcl after public-read = %q, %v; want %q", got, err, want)
		}
		// A policy in the body, with the grantee types S3 takes.
		policy := &types.AccessControlPolicy{Owner: &types.Owner{ID: aws.String(owner)}, Grants: []types.Grant{
			{Grantee: &types.Grantee{Type: types.TypeCanonicalUser, ID: aws.String(owner)}, Permission: types.PermissionFullControl},
			{Grantee: &types.Grantee{Type: types.TypeGroup, URI: aws.String("http://acs.amazonaws.com/groups/s3/LogDelivery")}, Permission: types.PermissionWrite},
		}}
		if _, err := c.PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: b, AccessControlPolicy: policy}); err != nil {
			t.Fatalf("PutBucketAcl(policy): %v", err)
		}
		bacl, err := c.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: b})
		if got, want := strings.Join(grantsOf(bacl.Grants), " "), "FULL_CONTROL:"+owner+" WRITE:http://acs.amazonaws.com/groups/s3/LogDelivery"; err != nil || got != want {
			t.Errorf("GetBucketAcl = %q, %v; want %q", got, err, want)
		}
		// Grant headers on a write are stored with the object.
		mustPut(t, c, testBucket, "granted", []byte("x"), func(in *s3.PutObjectInput) { in.GrantRead = aws.String(`uri="` + allUsers + `"`) })
		acl, err = c.GetObjectAcl(ctx, &s3.GetObjectAclInput{Bucket: b, Key: aws.String("granted")})
		if got, want := strings.Join(grantsOf(acl.Grants), " "), "READ:"+allUsers; err != nil || got != want {
			t.Errorf("GetObjectAcl of a PutObject with x-amz-grant-read = %q, %v; want %q", got, err, want)
		}

		// Blocking public ACLs refuses them.
		if _, err := c.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: b,
			PublicAccessBlockConfiguration: &types.PublicAccessBlockConfiguration{BlockPublicAcls: aws.Bool(true)}}); err != nil {
			t.Fatal(err)
		}
		_, err = c.PutObjectAcl(ctx, &s3.PutObjectAclInput{Bucket: b, Key: k, ACL: types.ObjectCannedACLPublicReadWrite})
		checkErr(t, "PutObjectAcl(public) with BlockPublicAcls", err, "AccessDenied", 403)

		// After DeleteBucketOwnershipControls the bucket has none.
		if _, err := c.DeleteBucketOwnershipControls(ctx, &s3.DeleteBucketOwnershipControlsInput{Bucket: b}); err != nil {
			t.Fatal(err)
		}
		_, err = c.GetBucketOwnershipControls(ctx, &s3.GetBucketOwnershipControlsInput{Bucket: b})
		checkErr(t, "GetBucketOwnershipControls after delete", err, "OwnershipControlsNotFoundError", 404)
	})
}

func TestACLErrors(t *testing.T) {
	srv, c := startBucket(t, embedded, mocks3.WithObject(testBucket, "obj", []byte("x")))
	ctx, b, k := t.Context(), aws.String(testBucket), aws.String("obj")
	if _, err := c.PutBucketOwnershipControls(ctx, &s3.PutBucketOwnershipControlsInput{Bucket: b,
		OwnershipControls: &types.OwnershipControls{Rules: []types.OwnershipControlsRule{{ObjectOwnership: types.ObjectOwnershipBucketOwnerPreferred}}}}); err != nil {
		t.Fatal(err)
	}
	checkErrCases(t, []errCase{
		{"canned and grants", errOf(c.PutObjectAcl(ctx, &s3.PutObjectAclInput{Bucket: b, Key: k, ACL: types.ObjectCannedACLPrivate, GrantRead: aws.String(`uri="` + allUsers + `"`)})), "InvalidRequest", 400},
		{"unknown canned ACL", errOf(c.PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: b, ACL: "public-ready"})), "InvalidArgument", 400},
		{"bad grant header", errOf(c.PutObjectAcl(ctx, &s3.PutObjectAclInput{Bucket: b, Key: k, GrantRead: aws.String(`robot="x"`)})), "InvalidArgument", 400},
		{"unknown group", errOf(c.PutObjectAcl(ctx, &s3.PutObjectAclInput{Bucket: b, Key: k, GrantRead: aws.String(`uri="http://example.com/all"`)})), "InvalidArgument", 400},
		{"missing key", errOf(c.GetObjectAcl(ctx, &s3.GetObjectAclInput{Bucket: b, Key: aws.String("nope")})), "NoSuchKey", 404},
		{"missing bucket", errOf(c.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: aws.String("no-such-bucket")})), "NoSuchBucket", 404},
		{"bad ownership", errOf(c.PutBucketOwnershipControls(ctx, &s3.PutBucketOwnershipControlsInput{Bucket: b,
			OwnershipControls: &types.OwnershipControls{Rules: []types.OwnershipControlsRule{{ObjectOwnership: "Everyone"}}}})), "MalformedXML", 400},
		{"create bucket with a public ACL", errOf(c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("public-bucket"), ACL: types.BucketCannedACLPublicRead})), "InvalidBucketAclWithObjectOwnership", 400},
	})
	for _, body := range []string{"not xml", `<AccessControlPolicy><AccessControlList><Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>x</ID></Grantee><Permission>ALL</Permission></Grant></AccessControlList></AccessControlPolicy>`} {
		resp, rb := rawRequest(t, srv, http.MethodPut, "/"+testBucket+"?acl", nil, []byte(body))
		if resp.StatusCode != 400 || !strings.Contains(string(rb), "<Code>MalformedACLError</Code>") {
			t.Errorf("PUT ?acl %q = %d %s, want 400 MalformedACLError", body, resp.StatusCode, rb)
		}
	}
	// A bucket created with ObjectWriter ownership and a canned ACL has it.
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("writer-bucket"), ACL: types.BucketCannedACLPublicRead,
		ObjectOwnership: types.ObjectOwnershipObjectWriter}); err != nil {
		t.Fatalf("CreateBucket(ObjectWriter, public-read): %v", err)
	}
	acl, err := c.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: aws.String("writer-bucket")})
	if err != nil || len(acl.Grants) != 2 {
		t.Errorf("GetBucketAcl of a bucket created public-read = %+v, %v; want 2 grants", acl, err)
	}
}

const publicPolicy = `{"Version":"2012-10-17","Statement":[{"Sid":"PublicRead","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::test-bucket/*"}]}`

func TestBucketPolicy(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		_, c := startBucket(t, newServer)
		ctx, b := t.Context(), aws.String(testBucket)
		_, err := c.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: b})
		checkErr(t, "GetBucketPolicy before any", err, "NoSuchBucketPolicy", 404)
		_, err = c.GetBucketPolicyStatus(ctx, &s3.GetBucketPolicyStatusInput{Bucket: b})
		checkErr(t, "GetBucketPolicyStatus before any", err, "NoSuchBucketPolicy", 404)

		if _, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: b, Policy: aws.String(publicPolicy)}); err != nil {
			t.Fatalf("PutBucketPolicy: %v", err)
		}
		got, err := c.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: b})
		if err != nil || aws.ToString(got.Policy) != publicPolicy {
			t.Errorf("GetBucketPolicy = %q, %v; want the policy as sent", aws.ToString(got.Policy), err)
		}
		st, err := c.GetBucketPolicyStatus(ctx, &s3.GetBucketPolicyStatusInput{Bucket: b})
		if err != nil || !aws.ToBool(st.PolicyStatus.IsPublic) {
			t.Errorf("GetBucketPolicyStatus = %+v, %v; want public", st, err)
		}
		private := strings.Replace(publicPolicy, `"Principal":"*"`, `"Principal":{"AWS":"arn:aws:iam::111122223333:root"}`, 1)
		if _, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: b, Policy: aws.String(private)}); err != nil {
			t.Fatal(err)
		}
		st, err = c.GetBucketPolicyStatus(ctx, &s3.GetBucketPolicyStatusInput{Bucket: b})
		if err != nil || aws.ToBool(st.PolicyStatus.IsPublic) {
			t.Errorf("GetBucketPolicyStatus of an account-only policy = %+v, %v; want not public", st, err)
		}
		if _, err := c.DeleteBucketPolicy(ctx, &s3.DeleteBucketPolicyInput{Bucket: b}); err != nil {
			t.Fatalf("DeleteBucketPolicy: %v", err)
		}
		_, err = c.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: b})
		checkErr(t, "GetBucketPolicy after delete", err, "NoSuchBucketPolicy", 404)
	})
}

func TestBucketPolicyErrors(t *testing.T) {
	_, c := startBucket(t, embedded)
	ctx, b := t.Context(), aws.String(testBucket)
	tests := []struct {
		name   string
		policy string
		msg    string
	}{
		{"not json", "allow everyone", "Policies must be valid JSON and the first byte must be '{'"},
		{"no statement", `{"Version":"2012-10-17"}`, "Missing required field Statement"},
		{"no principal", strings.Replace(publicPolicy, `"Principal":"*",`, "", 1), "Missing required field Principal"},
		{"bad effect", strings.Replace(publicPolicy, `"Allow"`, `"Permit"`, 1), "Invalid effect"},
		{"other service", strings.Replace(publicPolicy, `"s3:GetObject"`, `"ec2:RunInstances"`, 1), "Policy has invalid action"},
		{"other bucket", strings.Replace(publicPolicy, "test-bucket/*", "other-bucket/*", 1), "Policy has invalid resource"},
		{"action on the wrong resource", strings.Replace(publicPolicy, "test-bucket/*", "test-bucket", 1), "Action does not apply to any resource(s) in statement"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: b, Policy: aws.String(tt.policy)})
			checkErr(t, "PutBucketPolicy", err, "MalformedPolicy", 400)
			if err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("PutBucketPolicy = %v, want the message %q", err, tt.msg)
			}
		})
	}
	// BlockPublicPolicy refuses a public policy.
	if _, err := c.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: b,
		PublicAccessBlockConfiguration: &types.PublicAccessBlockConfiguration{BlockPublicPolicy: aws.Bool(true)}}); err != nil {
		t.Fatal(err)
	}
	_, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: b, Policy: aws.String(publicPolicy)})
	checkErr(t, "PutBucketPolicy(public) with BlockPublicPolicy", err, "AccessDenied", 403)
	_, err = c.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: b})
	checkErr(t, "GetBucketPolicy after refused puts", err, "NoSuchBucketPolicy", 404)
}

// TestPrivateACLOnEnforcedBucket: rclone (acl = private by default) and
// other clients send x-amz-acl: private on every upload and copy. S3 takes
// it from the bucket owner's account on a bucket whose ACLs are disabled
// (BucketOwnerEnforced, the default): private grants the writer, the
// owner, full control, the ACL S3 reports there anyway. Only a cross-account
// writer is refused (rclone issue 6413); setting an ACL afterwards still is.
func TestPrivateACLOnEnforcedBucket(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		srv := newServer(t, mocks3.WithObject(testBucket, "src", []byte("x")))
		c := srv.Client()
		ctx := t.Context()
		b := aws.String(testBucket)
		private := types.ObjectCannedACLPrivate

		mustPut(t, c, testBucket, "put", []byte("x"), func(in *s3.PutObjectInput) { in.ACL = private })
		if _, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: b, Key: aws.String("copy"), CopySource: aws.String(testBucket + "/src"), ACL: private}); err != nil {
			t.Errorf("CopyObject(ACL private) = %v, want success", err)
		}
		mpu, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: b, Key: aws.String("mpu"), ACL: private})
		if err != nil {
			t.Errorf("CreateMultipartUpload(ACL private) = %v, want success", err)
		} else {
			c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: b, Key: aws.String("mpu"), UploadId: mpu.UploadId})
		}
		for _, key := range []string{"put", "copy"} {
			acl, err := c.GetObjectAcl(ctx, &s3.GetObjectAclInput{Bucket: b, Key: aws.String(key)})
			if err != nil || len(acl.Grants) != 1 || acl.Grants[0].Permission != types.PermissionFullControl {
				t.Errorf("GetObjectAcl(%s) = %+v, %v; want the owner's FULL_CONTROL", key, acl, err)
			}
		}

		_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("p"), Body: strings.NewReader("x"), ACL: types.ObjectCannedACLAuthenticatedRead})
		checkErr(t, "PutObject(authenticated-read)", err, "AccessControlListNotSupported", 400)
		_, err = c.PutObjectAcl(ctx, &s3.PutObjectAclInput{Bucket: b, Key: aws.String("put"), ACL: private})
		checkErr(t, "PutObjectAcl(private)", err, "AccessControlListNotSupported", 400)
	})
}
