package mocks3_test

// The preconfigured client and virtual-hosted-style addressing:
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHosting.html

import (
	"bytes"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/mocks3/mocks3"
	"github.com/mocks3/mocks3/internal/cmdserver"
)

func TestHermeticClient(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		home := t.TempDir()
		for k, v := range map[string]string{
			"HOME":                             home,
			"AWS_PROFILE":                      "nonexistent",
			"AWS_REGION":                       "eu-west-9",
			"AWS_DEFAULT_REGION":               "eu-west-9",
			"AWS_CA_BUNDLE":                    "/nonexistent",
			"AWS_ENDPOINT_URL":                 "http://127.0.0.1:1",
			"AWS_ENDPOINT_URL_S3":              "http://127.0.0.1:1",
			"AWS_ACCESS_KEY_ID":                "AKIDAMBIENT",
			"AWS_SECRET_ACCESS_KEY":            "ambient",
			"AWS_CONFIG_FILE":                  home + "/nonexistent/config",
			"AWS_SHARED_CREDENTIALS_FILE":      home + "/nonexistent/credentials",
			"AWS_REQUEST_CHECKSUM_CALCULATION": "when_required",
			"AWS_RESPONSE_CHECKSUM_VALIDATION": "when_required",
			"AWS_USE_FIPS_ENDPOINT":            "true",
			"AWS_USE_DUALSTACK_ENDPOINT":       "true",
			"AWS_MAX_ATTEMPTS":                 "1",
		} {
			t.Setenv(k, v)
		}
		srv := newServer(t, mocks3.WithBucket(testBucket))
		rec := newRecorder(t, srv)
		for _, client := range []struct {
			name string
			c    *s3.Client
		}{
			{"Client", srv.Client(withHTTPClient(rec))},
			{"AWSConfig", s3.NewFromConfig(srv.AWSConfig(), func(o *s3.Options) { o.UsePathStyle = true; o.HTTPClient = rec })},
		} {
			t.Run(client.name, func(t *testing.T) {
				c := client.c
				o := c.Options()
				if o.Region != "us-east-1" || aws.ToString(o.BaseEndpoint) != srv.URL {
					t.Errorf("client region %q, endpoint %q; want us-east-1, %q", o.Region, aws.ToString(o.BaseEndpoint), srv.URL)
				}
				if o.RequestChecksumCalculation != aws.RequestChecksumCalculationWhenSupported || o.ResponseChecksumValidation != aws.ResponseChecksumValidationWhenSupported {
					t.Errorf("client checksums %v/%v, want WhenSupported for both", o.RequestChecksumCalculation, o.ResponseChecksumValidation)
				}
				creds, err := o.Credentials.Retrieve(t.Context())
				if err != nil || creds.AccessKeyID != "test" {
					t.Errorf("client credentials = %q, %v; want the server's", creds.AccessKeyID, err)
				}
				body := []byte("hermetic " + client.name)
				mustPut(t, c, testBucket, client.name, body)
				// The checksum went up as a header (http) or a trailer (https).
				h := rec.Last().reqHeader
				if h.Get("X-Amz-Checksum-Crc32") == "" && h.Get("X-Amz-Trailer") != "x-amz-checksum-crc32" {
					t.Errorf("PutObject sent no CRC32 (headers %v), want one as the SDK's defaults send", h)
				}
				_, got := mustGet(t, c, testBucket, client.name)
				if !bytes.Equal(got, body) {
					t.Errorf("GetObject() = %q, want %q", got, body)
				}
				if _, err := c.ListBuckets(t.Context(), &s3.ListBucketsInput{}); err != nil {
					t.Errorf("ListBuckets() = %v", err)
				}
			})
		}
	}, sequential("t.Setenv changes the whole process's environment"))
}

func TestVirtualHostedStyle(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		tests := []struct {
			name   string
			domain string
			opts   []mocks3.Option
		}{
			{"localhost", "localhost", nil},
			// The test certificate names example.com and *.example.com.
			{"base domain", "example.com", []mocks3.Option{cmdserver.BaseDomain("example.com")}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				srv := newServer(t, tt.opts...)
				u, err := url.Parse(srv.URL)
				if err != nil {
					t.Fatal(err)
				}
				resolve := func(host string) (string, error) {
					if host == tt.domain || strings.HasSuffix(host, "."+tt.domain) {
						return u.Hostname(), nil // the server's own address
					}
					return "", fmt.Errorf("unexpected host %q", host)
				}
				serverName := ""
				if tt.domain == "localhost" {
					serverName = "example.com" // the certificate does not name localhost
				}
				rec := newResolvingRecorder(t, srv, resolve, serverName)
				endpoint := u.Scheme + "://" + tt.domain + ":" + u.Port()
				c := srv.Client(func(o *s3.Options) {
					o.UsePathStyle = false
					o.BaseEndpoint = aws.String(endpoint)
					o.HTTPClient = rec
				})
				ctx := t.Context()
				wantHost := "vhost." + tt.domain + ":" + u.Port()
				checkSent := func(t *testing.T, call, wantPath string) {
					t.Helper()
					if got := rec.Last(); got.host != wantHost || got.path != wantPath {
						t.Errorf("%s sent to %s%s, want %s%s", call, got.host, got.path, wantHost, wantPath)
					}
				}

				mustCreateBucket(t, c, "vhost")
				checkSent(t, "CreateBucket", "/")
				body := []byte("virtual")
				mustPut(t, c, "vhost", "dir/a b.txt", body)
				checkSent(t, "PutObject", "/dir/a%20b.txt")
				srv.CheckObject(t, "vhost", "dir/a b.txt", body)
				_, got := mustGet(t, c, "vhost", "dir/a b.txt")
				if !bytes.Equal(got, body) {
					t.Errorf("GetObject() = %q, want %q", got, body)
				}
				out, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("vhost")})
				if err != nil {
					t.Fatalf("ListObjectsV2() = %v", err)
				}
				checkSent(t, "ListObjectsV2", "/")
				if keys, _ := v2Names(out); !slices.Equal(keys, []string{"dir/a b.txt"}) {
					t.Errorf("ListObjectsV2() = %q, want [dir/a b.txt]", keys)
				}
				if _, err := c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("vhost")}); err != nil {
					t.Errorf("HeadBucket() = %v", err)
				}
				if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("vhost"), Key: aws.String("dir/a b.txt")}); err != nil {
					t.Errorf("DeleteObject() = %v", err)
				}
				srv.CheckNoObject(t, "vhost", "dir/a b.txt")
				// Path style still works on the same server.
				if _, err := srv.Client().HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("vhost")}); err != nil {
					t.Errorf("path-style HeadBucket() = %v", err)
				}
			})
		}
	})
}
