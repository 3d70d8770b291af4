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
			{"GetBucketPolicy", func() error {
				_, err := c.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: b})
				return err
			}, "NoSuchBucketPolicy", 404},
			{"GetBucketTagging", func() error {
				_, err := c.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: b})
				return err
			}, "NoSuchTagSet", 404},
			{"GetBucketCors", func() error {
				_, err := c.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: b})
				return err
			}, "NoSuchCORSConfiguration", 404},
			{"GetBucketLifecycleConfiguration", func() error {
				_, err := c.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: b})
				return err
			}, "NoSuchLifecycleConfiguration", 404},
			{"GetBucketVersioning on a missing bucket", func() error {
				_, err := c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: aws.String("no-such-bucket")})
				return err
			}, "NoSuchBucket", 404},
			{"GetObjectTagging on a missing key", func() error {
				_, err := c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: b, Key: aws.String("nope")})
				return err
			}, "NoSuchKey", 404},
		})
	})
}
