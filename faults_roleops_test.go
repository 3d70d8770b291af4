package mocks3_test

import (
	"bytes"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/mocks3/mocks3"
	"github.com/mocks3/mocks3/faults"
)

// TestLoseWriteOnComplete: a lost write on CompleteMultipartUpload is
// acknowledged and never visible, whether the rule names the S3 operation
// or the metadata call that stores the object.
func TestLoseWriteOnComplete(t *testing.T) {
	for _, rule := range []faults.Rule{
		{Service: "storage", Operation: "CompleteMultipartUpload", Action: faults.LoseWrite()},
		{Service: "storage", RoleOp: "Write", Action: faults.LoseWrite()},
		{Service: "metadata", RoleOp: "CompleteUpload", Action: faults.LoseWrite()},
	} {
		t.Run(string(rule.Service)+"/"+string(rule.Operation)+string(rule.RoleOp), func(t *testing.T) {
			ctx := t.Context()
			srv := mocks3.New(t, mocks3.WithBucket("bkt"), mocks3.WithMinPartSize(1))
			c := srv.Client()
			up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("bkt"), Key: aws.String("k")})
			if err != nil {
				t.Fatal(err)
			}
			part, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("bkt"), Key: aws.String("k"), UploadId: up.UploadId,
				PartNumber: aws.Int32(1), Body: bytes.NewReader([]byte("part"))})
			if err != nil {
				t.Fatal(err)
			}
			h := srv.Faults().AddT(t, rule)[0]
			_, err = c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("bkt"), Key: aws.String("k"), UploadId: up.UploadId,
				MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{{PartNumber: aws.Int32(1), ETag: part.ETag}}}})
			if err != nil {
				t.Fatalf("CompleteMultipartUpload = %v, want an acknowledged write", err)
			}
			if h.Hits() != 1 {
				t.Errorf("lose_write hits = %d, want 1", h.Hits())
			}
			srv.CheckNoObject(t, "bkt", "k")
		})
	}
}
