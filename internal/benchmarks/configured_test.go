package benchmarks

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/mocks3/mocks3"
)

// configuredTargets compare a bare bucket with one carrying every bucket
// configuration the hot path consults (lifecycle expiration, notification,
// CORS, policy, default encryption, tags), so the ratio of the two is what
// those lookups cost a request. Authentication stays off, as in New's
// default: the policy is stored and parsed but, as S3 does for the owner,
// not what decides.
var configuredTargets = []target{
	{"mocks3", func(b *testing.B, _ *floor) *s3.Client {
		return mocks3.New(b, mocks3.WithBucket(bucket)).Client()
	}},
	{"mocks3-configured", func(b *testing.B, _ *floor) *s3.Client {
		// A sink, so that each PUT's event is built, queued and delivered.
		srv := mocks3.New(b, mocks3.WithBucket(bucket), mocks3.WithEvents(func(mocks3.Event) {}))
		c := srv.Client()
		configure(b, c)
		return c
	}},
	{"floor", func(b *testing.B, f *floor) *s3.Client { return startFloor(b, f, false) }},
}

// configure gives bucket one of each configuration a GET or PUT consults.
func configure(b *testing.B, c *s3.Client) {
	b.Helper()
	ctx := b.Context()
	bk := aws.String(bucket)
	calls := []struct {
		name string
		do   func() error
	}{
		{"PutBucketLifecycleConfiguration", func() error {
			_, err := c.PutBucketLifecycleConfiguration(ctx, &s3.PutBucketLifecycleConfigurationInput{Bucket: bk,
				LifecycleConfiguration: &types.BucketLifecycleConfiguration{Rules: []types.LifecycleRule{{
					ID: aws.String("expire"), Status: types.ExpirationStatusEnabled,
					Filter:     &types.LifecycleRuleFilter{Prefix: aws.String("")},
					Expiration: &types.LifecycleExpiration{Days: aws.Int32(365)},
				}}}})
			return err
		}},
		{"PutBucketNotificationConfiguration", func() error {
			_, err := c.PutBucketNotificationConfiguration(ctx, &s3.PutBucketNotificationConfigurationInput{Bucket: bk,
				NotificationConfiguration: &types.NotificationConfiguration{QueueConfigurations: []types.QueueConfiguration{{
					QueueArn: aws.String("arn:aws:sqs:us-east-1:123456789012:bench"),
					Events:   []types.Event{"s3:ObjectCreated:*"},
				}}}})
			return err
		}},
		{"PutBucketCors", func() error {
			_, err := c.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: bk, CORSConfiguration: &types.CORSConfiguration{
				CORSRules: []types.CORSRule{{AllowedMethods: []string{"GET", "PUT"}, AllowedOrigins: []string{"https://*.example.com"}}}}})
			return err
		}},
		{"PutBucketPolicy", func() error {
			_, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: bk, Policy: aws.String(`{"Version":"2012-10-17","Statement":[
				{"Effect":"Deny","Principal":"*","Action":"s3:DeleteBucket","Resource":"arn:aws:s3:::` + bucket + `"}]}`)})
			return err
		}},
		{"PutBucketEncryption", func() error {
			_, err := c.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: bk,
				ServerSideEncryptionConfiguration: &types.ServerSideEncryptionConfiguration{Rules: []types.ServerSideEncryptionRule{{
					ApplyServerSideEncryptionByDefault: &types.ServerSideEncryptionByDefault{SSEAlgorithm: types.ServerSideEncryptionAes256},
				}}}})
			return err
		}},
		{"PutBucketTagging", func() error {
			_, err := c.PutBucketTagging(ctx, &s3.PutBucketTaggingInput{Bucket: bk,
				Tagging: &types.Tagging{TagSet: []types.Tag{{Key: aws.String("team"), Value: aws.String("bench")}}}})
			return err
		}},
	}
	for _, call := range calls {
		if err := call.do(); err != nil {
			b.Fatalf("%s: %v", call.name, err)
		}
	}
}

// BenchmarkConfiguredPut1KiB and BenchmarkConfiguredGet1KiB measure what
// bucket configurations add to a request: ratios.sh prints the configured
// bucket's time as a multiple of the bare bucket's, measured in the same run.
func BenchmarkConfiguredPut1KiB(b *testing.B) { benchPut(b, kiB, configuredTargets) }
func BenchmarkConfiguredGet1KiB(b *testing.B) { benchGetTargets(b, kiB, configuredTargets) }
