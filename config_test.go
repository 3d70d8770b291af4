package mocks3_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/mocks3/mocks3"
)

// TestEmptyConfigurationReads: configuration a bucket or object does not
// have reads as S3 answers for it, which clients such as rclone and s3cmd
// ask for before they start.
func TestEmptyConfigurationReads(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		srv := newServer(t, mocks3.WithObject("conf-bucket", "obj", []byte("x")))
		c := srv.Client()
		ctx := t.Context()
		b := aws.String("conf-bucket")

		v, err := c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: b})
		if err != nil || v.Status != "" || v.MFADelete != "" {
			t.Errorf("GetBucketVersioning = %+v, %v; want an empty configuration (never versioned)", v, err)
		}
		tags, err := c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: b, Key: aws.String("obj")})
		if err != nil || len(tags.TagSet) != 0 {
			t.Errorf("GetObjectTagging = %+v, %v; want an empty tag set", tags, err)
		}
		checkErrCases(t, []errCase{
			{"GetBucketPolicy", errOf(c.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: b})), "NoSuchBucketPolicy", 404},
			{"GetBucketTagging", errOf(c.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: b})), "NoSuchTagSet", 404},
			{"GetBucketCors", errOf(c.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: b})), "NoSuchCORSConfiguration", 404},
			{"GetBucketLifecycleConfiguration", errOf(c.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: b})), "NoSuchLifecycleConfiguration", 404},
			{"GetBucketVersioning on a missing bucket", errOf(c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: aws.String("no-such-bucket")})), "NoSuchBucket", 404},
			{"GetObjectTagging on a missing key", errOf(c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: b, Key: aws.String("nope")})), "NoSuchKey", 404},
		})
	})
}
