package mocks3_test

// Bucket configurations stored and served back:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketWebsite.html,
// API_PutBucketLifecycleConfiguration.html, API_PutBucketEncryption.html,
// API_PutBucketLogging.html, API_PutBucketRequestPayment.html,
// API_PutBucketAccelerateConfiguration.html, API_PutPublicAccessBlock.html
// and the Get and Delete operations beside them.

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/mocks3/mocks3"
)

// TestBucketConfigurations puts each configuration, reads it back, and,
// where S3 has a delete, deletes it and reads what a bucket without one
// answers.
func TestBucketConfigurations(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		_, c := startBucket(t, newServer, mocks3.WithBucket("logs-bucket"))
		ctx, b := t.Context(), aws.String(testBucket)
		tests := []struct {
			name    string
			before  func() error // the read before any put; nil error means a default answer
			code    string       // before's error code, "" for a default
			put     func() error
			check   func() error // reads back and returns an error describing a mismatch
			del     func() error
			missing string // the read's error after del
		}{
			{
				name:   "website",
				before: callErr(ctx, c.GetBucketWebsite, &s3.GetBucketWebsiteInput{Bucket: b}),
				code:   "NoSuchWebsiteConfiguration",
				put: callErr(ctx, c.PutBucketWebsite, &s3.PutBucketWebsiteInput{Bucket: b, WebsiteConfiguration: &types.WebsiteConfiguration{
					IndexDocument: &types.IndexDocument{Suffix: aws.String("index.html")},
					ErrorDocument: &types.ErrorDocument{Key: aws.String("404.html")},
					RoutingRules: []types.RoutingRule{{Condition: &types.Condition{KeyPrefixEquals: aws.String("docs/")},
						Redirect: &types.Redirect{ReplaceKeyPrefixWith: aws.String("documents/"), HttpRedirectCode: aws.String("301")}}},
				}}),
				check: readCheck(ctx, c.GetBucketWebsite, &s3.GetBucketWebsiteInput{Bucket: b}, func(out *s3.GetBucketWebsiteOutput) bool {
					return aws.ToString(out.IndexDocument.Suffix) == "index.html" && aws.ToString(out.ErrorDocument.Key) == "404.html" &&
						len(out.RoutingRules) == 1 && aws.ToString(out.RoutingRules[0].Redirect.ReplaceKeyPrefixWith) == "documents/"
				}),
				del:     callErr(ctx, c.DeleteBucketWebsite, &s3.DeleteBucketWebsiteInput{Bucket: b}),
				missing: "NoSuchWebsiteConfiguration",
			},
			{
				name:   "lifecycle",
				before: callErr(ctx, c.GetBucketLifecycleConfiguration, &s3.GetBucketLifecycleConfigurationInput{Bucket: b}),
				code:   "NoSuchLifecycleConfiguration",
				put: callErr(ctx, c.PutBucketLifecycleConfiguration, &s3.PutBucketLifecycleConfigurationInput{Bucket: b,
					LifecycleConfiguration: &types.BucketLifecycleConfiguration{Rules: []types.LifecycleRule{
						{ID: aws.String("logs"), Status: types.ExpirationStatusEnabled, Filter: &types.LifecycleRuleFilter{Prefix: aws.String("logs/")},
							Expiration: &types.LifecycleExpiration{Days: aws.Int32(30)}},
						{Status: types.ExpirationStatusEnabled, Filter: &types.LifecycleRuleFilter{},
							AbortIncompleteMultipartUpload: &types.AbortIncompleteMultipartUpload{DaysAfterInitiation: aws.Int32(7)}},
					}}}),
				check: readCheck(ctx, c.GetBucketLifecycleConfiguration, &s3.GetBucketLifecycleConfigurationInput{Bucket: b}, func(out *s3.GetBucketLifecycleConfigurationOutput) bool {
					return len(out.Rules) == 2 && aws.ToString(out.Rules[0].ID) == "logs" && aws.ToInt32(out.Rules[0].Expiration.Days) == 30 &&
						len(aws.ToString(out.Rules[1].ID)) == 48 && aws.ToInt32(out.Rules[1].AbortIncompleteMultipartUpload.DaysAfterInitiation) == 7
				}),
				del:     callErr(ctx, c.DeleteBucketLifecycle, &s3.DeleteBucketLifecycleInput{Bucket: b}),
				missing: "NoSuchLifecycleConfiguration",
			},
			{
				name: "encryption",
				before: readCheck(ctx, c.GetBucketEncryption, &s3.GetBucketEncryptionInput{Bucket: b}, func(out *s3.GetBucketEncryptionOutput) bool {
					return out.ServerSideEncryptionConfiguration.Rules[0].ApplyServerSideEncryptionByDefault.SSEAlgorithm == types.ServerSideEncryptionAes256
				}),
				put: callErr(ctx, c.PutBucketEncryption, &s3.PutBucketEncryptionInput{Bucket: b, ServerSideEncryptionConfiguration: &types.ServerSideEncryptionConfiguration{
					Rules: []types.ServerSideEncryptionRule{{ApplyServerSideEncryptionByDefault: &types.ServerSideEncryptionByDefault{
						SSEAlgorithm: types.ServerSideEncryptionAwsKms, KMSMasterKeyID: aws.String("arn:aws:kms:us-east-1:111122223333:key/k")},
						BucketKeyEnabled: aws.Bool(true)}}}}),
				check: readCheck(ctx, c.GetBucketEncryption, &s3.GetBucketEncryptionInput{Bucket: b}, func(out *s3.GetBucketEncryptionOutput) bool {
					r := out.ServerSideEncryptionConfiguration.Rules[0]
					return r.ApplyServerSideEncryptionByDefault.SSEAlgorithm == types.ServerSideEncryptionAwsKms && aws.ToBool(r.BucketKeyEnabled) &&
						strings.HasSuffix(aws.ToString(r.ApplyServerSideEncryptionByDefault.KMSMasterKeyID), "key/k")
				}),
				del: callErr(ctx, c.DeleteBucketEncryption, &s3.DeleteBucketEncryptionInput{Bucket: b}),
			},
			{
				name:   "logging",
				before: readCheck(ctx, c.GetBucketLogging, &s3.GetBucketLoggingInput{Bucket: b}, func(out *s3.GetBucketLoggingOutput) bool { return out.LoggingEnabled == nil }),
				put: callErr(ctx, c.PutBucketLogging, &s3.PutBucketLoggingInput{Bucket: b, BucketLoggingStatus: &types.BucketLoggingStatus{
					LoggingEnabled: &types.LoggingEnabled{TargetBucket: aws.String("logs-bucket"), TargetPrefix: aws.String("access/")}}}),
				check: readCheck(ctx, c.GetBucketLogging, &s3.GetBucketLoggingInput{Bucket: b}, func(out *s3.GetBucketLoggingOutput) bool {
					return out.LoggingEnabled != nil && aws.ToString(out.LoggingEnabled.TargetBucket) == "logs-bucket" &&
						aws.ToString(out.LoggingEnabled.TargetPrefix) == "access/"
				}),
			},
			{
				name:   "request payment",
				before: readCheck(ctx, c.GetBucketRequestPayment, &s3.GetBucketRequestPaymentInput{Bucket: b}, func(out *s3.GetBucketRequestPaymentOutput) bool { return out.Payer == types.PayerBucketOwner }),
				put: callErr(ctx, c.PutBucketRequestPayment, &s3.PutBucketRequestPaymentInput{Bucket: b,
					RequestPaymentConfiguration: &types.RequestPaymentConfiguration{Payer: types.PayerRequester}}),
				check: readCheck(ctx, c.GetBucketRequestPayment, &s3.GetBucketRequestPaymentInput{Bucket: b}, func(out *s3.GetBucketRequestPaymentOutput) bool { return out.Payer == types.PayerRequester }),
			},
			{
				name:   "accelerate",
				before: readCheck(ctx, c.GetBucketAccelerateConfiguration, &s3.GetBucketAccelerateConfigurationInput{Bucket: b}, func(out *s3.GetBucketAccelerateConfigurationOutput) bool { return out.Status == "" }),
				put: callErr(ctx, c.PutBucketAccelerateConfiguration, &s3.PutBucketAccelerateConfigurationInput{Bucket: b,
					AccelerateConfiguration: &types.AccelerateConfiguration{Status: types.BucketAccelerateStatusEnabled}}),
				check: readCheck(ctx, c.GetBucketAccelerateConfiguration, &s3.GetBucketAccelerateConfigurationInput{Bucket: b}, func(out *s3.GetBucketAccelerateConfigurationOutput) bool {
					return out.Status == types.BucketAccelerateStatusEnabled
				}),
			},
			{
				name:   "public access block",
				before: callErr(ctx, c.GetPublicAccessBlock, &s3.GetPublicAccessBlockInput{Bucket: b}),
				code:   "NoSuchPublicAccessBlockConfiguration",
				put: callErr(ctx, c.PutPublicAccessBlock, &s3.PutPublicAccessBlockInput{Bucket: b, PublicAccessBlockConfiguration: &types.PublicAccessBlockConfiguration{
					BlockPublicAcls: aws.Bool(true), RestrictPublicBuckets: aws.Bool(true)}}),
				check: readCheck(ctx, c.GetPublicAccessBlock, &s3.GetPublicAccessBlockInput{Bucket: b}, func(out *s3.GetPublicAccessBlockOutput) bool {
					p := out.PublicAccessBlockConfiguration
					return aws.ToBool(p.BlockPublicAcls) && !aws.ToBool(p.IgnorePublicAcls) && !aws.ToBool(p.BlockPublicPolicy) && aws.ToBool(p.RestrictPublicBuckets)
				}),
				del:     callErr(ctx, c.DeletePublicAccessBlock, &s3.DeletePublicAccessBlockInput{Bucket: b}),
				missing: "NoSuchPublicAccessBlockConfiguration",
			},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := tt.before()
				if tt.code != "" {
					checkErr(t, "read before put", err, tt.code, 404)
				} else if err != nil {
					t.Errorf("read before put = %v, want the default", err)
				}
				if err := tt.put(); err != nil {
					t.Fatalf("put: %v", err)
				}
				if err := tt.check(); err != nil {
					t.Errorf("read back: %v", err)
				}
				if tt.del == nil {
					return
				}
				if err := tt.del(); err != nil {
					t.Fatalf("delete: %v", err)
				}
				err = tt.before()
				if tt.missing != "" {
					checkErr(t, "read after delete", err, tt.missing, 404)
				} else if err != nil {
					t.Errorf("read after delete = %v, want the default", err)
				}
			})
		}
	})
}

// mismatch reports an answer a check did not expect.

func TestBucketConfigurationErrors(t *testing.T) {
	srv, c := startBucket(t, embedded, mocks3.WithBucket("dotted.bucket"))
	ctx, b := t.Context(), aws.String(testBucket)
	checkErrCases(t, []errCase{
		{"website without index", errOf(c.PutBucketWebsite(ctx, &s3.PutBucketWebsiteInput{Bucket: b, WebsiteConfiguration: &types.WebsiteConfiguration{
			ErrorDocument: &types.ErrorDocument{Key: aws.String("e.html")}}})), "InvalidArgument", 400},
		{"lifecycle date not at midnight", errOf(c.PutBucketLifecycleConfiguration(ctx, &s3.PutBucketLifecycleConfigurationInput{Bucket: b,
			LifecycleConfiguration: &types.BucketLifecycleConfiguration{Rules: []types.LifecycleRule{{Status: types.ExpirationStatusEnabled,
				Filter: &types.LifecycleRuleFilter{}, Expiration: &types.LifecycleExpiration{Date: aws.Time(time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC))}}}}})), "InvalidArgument", 400},
		{"lifecycle expiration days 0", errOf(c.PutBucketLifecycleConfiguration(ctx, &s3.PutBucketLifecycleConfigurationInput{Bucket: b,
			LifecycleConfiguration: &types.BucketLifecycleConfiguration{Rules: []types.LifecycleRule{{Status: types.ExpirationStatusEnabled,
				Filter: &types.LifecycleRuleFilter{}, Expiration: &types.LifecycleExpiration{Days: aws.Int32(0)}}}}})), "InvalidArgument", 400},
		{"lifecycle rule without action", errOf(c.PutBucketLifecycleConfiguration(ctx, &s3.PutBucketLifecycleConfigurationInput{Bucket: b,
			LifecycleConfiguration: &types.BucketLifecycleConfiguration{Rules: []types.LifecycleRule{{Status: types.ExpirationStatusEnabled,
				Filter: &types.LifecycleRuleFilter{}}}}})), "InvalidRequest", 400},
		{"encryption algorithm", errOf(c.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: b, ServerSideEncryptionConfiguration: &types.ServerSideEncryptionConfiguration{
			Rules: []types.ServerSideEncryptionRule{{ApplyServerSideEncryptionByDefault: &types.ServerSideEncryptionByDefault{SSEAlgorithm: "ROT13"}}}}})), "MalformedXML", 400},
		{"logging to a missing bucket", errOf(c.PutBucketLogging(ctx, &s3.PutBucketLoggingInput{Bucket: b, BucketLoggingStatus: &types.BucketLoggingStatus{
			LoggingEnabled: &types.LoggingEnabled{TargetBucket: aws.String("no-such-bucket"), TargetPrefix: aws.String("p/")}}})), "InvalidTargetBucketForLogging", 400},
		{"request payment payer", errOf(c.PutBucketRequestPayment(ctx, &s3.PutBucketRequestPaymentInput{Bucket: b,
			RequestPaymentConfiguration: &types.RequestPaymentConfiguration{Payer: "Nobody"}})), "MalformedXML", 400},
		{"accelerate a dotted bucket", errOf(c.PutBucketAccelerateConfiguration(ctx, &s3.PutBucketAccelerateConfigurationInput{Bucket: aws.String("dotted.bucket"),
			AccelerateConfiguration: &types.AccelerateConfiguration{Status: types.BucketAccelerateStatusEnabled}})), "InvalidRequest", 400},
		{"missing bucket", errOf(c.GetBucketWebsite(ctx, &s3.GetBucketWebsiteInput{Bucket: aws.String("no-such-bucket")})), "NoSuchBucket", 404},
	})
	// Unknown elements are refused, as S3 validates against its schema.
	resp, body := rawRequest(t, srv, http.MethodPut, "/"+testBucket+"?website", nil,
		[]byte(`<WebsiteConfiguration><IndexDocument><Suffix>i.html</Suffix></IndexDocument><Fancy/></WebsiteConfiguration>`))
	if resp.StatusCode != 400 || !strings.Contains(string(body), "<Code>MalformedXML</Code>") {
		t.Errorf("PUT ?website with an unknown element = %d %s, want 400 MalformedXML", resp.StatusCode, body)
	}
}

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
