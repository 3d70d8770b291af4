package mocks3_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/mocks3/mocks3"
)

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
