package mocks3_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/mocks3/mocks3/faults"
)

// TestCompleteRetriedAfterLostResponse: when the response to a Complete
// that committed is lost, the client's retry answers 200 with the same
// ETag, as S3 does, instead of NoSuchUpload for an object that exists. A
// retry naming other parts is not the same Complete.
func TestCompleteRetriedAfterLostResponse(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		srv, c := startBucket(t, newServer)
		ctx := t.Context()
		uploadID, part := mustStartUpload(t, c, "dir/k", []byte("data"))
		complete := func(c *s3.Client, etag *string) (*s3.CompleteMultipartUploadOutput, error) {
			return c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{
				Bucket: aws.String(testBucket), Key: aws.String("dir/k"), UploadId: uploadID,
				MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{{PartNumber: aws.Int32(1), ETag: etag}}},
			})
		}

		// The commit happens; the client gets a cut-off body.
		srv.Faults().AddT(t, faults.Rule{Operation: "CompleteMultipartUpload", Times: 1, Action: faults.TruncateBody(0)})
		if _, err := complete(srv.Client(func(o *s3.Options) { o.RetryMaxAttempts = 1 }), part.ETag); err == nil {
			t.Fatalf("CompleteMultipartUpload with its response cut off succeeded, want an error for the test to mean anything")
		}
		head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(testBucket), Key: aws.String("dir/k")})
		if err != nil {
			t.Fatalf("HeadObject after the first Complete = %v", err)
		}

		out, err := complete(c, part.ETag)
		if err != nil {
			t.Fatalf("CompleteMultipartUpload retried = %v, want the first one's result", err)
		}
		if aws.ToString(out.ETag) != aws.ToString(head.ETag) {
			t.Errorf("retried Complete ETag = %s, want %s", aws.ToString(out.ETag), aws.ToString(head.ETag))
		}
		if loc := aws.ToString(out.Location); loc != srv.URL+"/"+testBucket+"/dir/k" {
			t.Errorf("Location = %q, want the object's absolute URL %q", loc, srv.URL+"/"+testBucket+"/dir/k")
		}
		_, err = complete(c, aws.String(`"`+strings.Repeat("0", 32)+`"`))
		checkErr(t, "CompleteMultipartUpload(other parts) after completion", err, "NoSuchUpload", 404)
	})
}
