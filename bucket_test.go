package mocks3_test

// Bucket operations:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucket.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadBucket.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/google/go-cmp/cmp"
)

func TestBuckets(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		srv := newServer(t)
		c := srv.Client()
		ctx := t.Context()

		creates := []struct {
			name       string
			bucket     string
			location   types.BucketLocationConstraint
			wantCode   string
			wantStatus int
		}{
			{name: "default region", bucket: "alpha"},
			{name: "location constraint", bucket: "beta", location: "eu-west-1"},
			{name: "dots and hyphens", bucket: "gamma.delta-1"},
			// us-east-1's documented legacy: re-creating your own bucket is 200.
			{name: "again", bucket: "alpha"},
			{name: "again with location", bucket: "beta", location: "eu-west-1", wantCode: "BucketAlreadyOwnedByYou", wantStatus: 409},
			{name: "explicit us-east-1", bucket: "epsilon", location: "us-east-1", wantCode: "InvalidLocationConstraint", wantStatus: 400},
			{name: "bad location", bucket: "epsilon", location: "Not A Region", wantCode: "InvalidLocationConstraint", wantStatus: 400},
			{name: "upper case", bucket: "Alpha", wantCode: "InvalidBucketName", wantStatus: 400},
			{name: "underscore", bucket: "al_pha", wantCode: "InvalidBucketName", wantStatus: 400},
			{name: "too short", bucket: "ab", wantCode: "InvalidBucketName", wantStatus: 400},
			{name: "too long", bucket: strings.Repeat("a", 64), wantCode: "InvalidBucketName", wantStatus: 400},
			{name: "ip address", bucket: "192.168.1.1", wantCode: "InvalidBucketName", wantStatus: 400},
			{name: "leading hyphen", bucket: "-alpha", wantCode: "InvalidBucketName", wantStatus: 400},
			{name: "trailing dot", bucket: "alpha.", wantCode: "InvalidBucketName", wantStatus: 400},
			{name: "double dot", bucket: "al..pha", wantCode: "InvalidBucketName", wantStatus: 400},
			{name: "xn-- prefix", bucket: "xn--alpha", wantCode: "InvalidBucketName", wantStatus: 400},
		}
		for _, tt := range creates {
			t.Run("CreateBucket/"+tt.name, func(t *testing.T) {
				in := &s3.CreateBucketInput{Bucket: aws.String(tt.bucket)}
				if tt.location != "" {
					in.CreateBucketConfiguration = &types.CreateBucketConfiguration{LocationConstraint: tt.location}
				}
				_, err := c.CreateBucket(ctx, in)
				call := fmt.Sprintf("CreateBucket(%q, %q)", tt.bucket, tt.location)
				if tt.wantCode == "" {
					if err != nil {
						t.Errorf("%s = %v, want success", call, err)
					}
					return
				}
				checkErr(t, call, err, tt.wantCode, tt.wantStatus)
			})
		}

		type bucket struct{ Name, Region string }
		listBuckets := func(t *testing.T) []bucket {
			t.Helper()
			out, err := c.ListBuckets(ctx, &s3.ListBucketsInput{})
			if err != nil {
				t.Fatalf("ListBuckets() = %v", err)
			}
			var got []bucket
			for _, b := range out.Buckets {
				if b.CreationDate == nil || b.CreationDate.IsZero() {
					t.Errorf("ListBuckets(): bucket %q has no CreationDate", aws.ToString(b.Name))
				}
				got = append(got, bucket{aws.ToString(b.Name), aws.ToString(b.BucketRegion)})
			}
			return got
		}
		t.Run("ListBuckets", func(t *testing.T) {
			want := []bucket{{"alpha", "us-east-1"}, {"beta", "eu-west-1"}, {"gamma.delta-1", "us-east-1"}}
			if diff := cmp.Diff(want, listBuckets(t)); diff != "" {
				t.Errorf("ListBuckets() mismatch (-want +got):\n%s", diff)
			}
		})

		heads := []struct {
			bucket     string
			wantRegion string
			wantStatus int
		}{
			{"alpha", "us-east-1", 200},
			{"beta", "eu-west-1", 200},
			{"missing", "", 404},
		}
		for _, tt := range heads {
			t.Run("HeadBucket/"+tt.bucket, func(t *testing.T) {
				out, err := c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(tt.bucket)})
				if tt.wantStatus != 200 {
					checkErr(t, fmt.Sprintf("HeadBucket(%q)", tt.bucket), err, "NotFound", tt.wantStatus)
					return
				}
				if err != nil {
					t.Fatalf("HeadBucket(%q) = %v, want success", tt.bucket, err)
				}
				if got := aws.ToString(out.BucketRegion); got != tt.wantRegion {
					t.Errorf("HeadBucket(%q).BucketRegion = %q, want %q", tt.bucket, got, tt.wantRegion)
				}
			})
		}

		locations := []struct {
			bucket   string
			want     types.BucketLocationConstraint
			wantCode string
		}{
			{"alpha", "", ""}, // us-east-1 reports an empty constraint
			{"beta", "eu-west-1", ""},
			{"missing", "", "NoSuchBucket"},
		}
		for _, tt := range locations {
			t.Run("GetBucketLocation/"+tt.bucket, func(t *testing.T) {
				out, err := c.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String(tt.bucket)})
				if tt.wantCode != "" {
					checkErr(t, fmt.Sprintf("GetBucketLocation(%q)", tt.bucket), err, tt.wantCode, 404)
					return
				}
				if err != nil {
					t.Fatalf("GetBucketLocation(%q) = %v", tt.bucket, err)
				}
				if out.LocationConstraint != tt.want {
					t.Errorf("GetBucketLocation(%q) = %q, want %q", tt.bucket, out.LocationConstraint, tt.want)
				}
			})
		}

		t.Run("DeleteBucket", func(t *testing.T) {
			mustPut(t, c, "alpha", "obj", []byte("x"))
			_, err := c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("alpha")})
			checkErr(t, "DeleteBucket(alpha) with an object", err, "BucketNotEmpty", 409)

			// Uploads in progress do not keep a bucket alive: S3 discards
			// them, and test suites' teardowns rely on it.
			up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("beta"), Key: aws.String("pending")})
			if err != nil {
				t.Fatalf("CreateMultipartUpload() = %v", err)
			}
			if _, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("beta"), Key: aws.String("pending"), UploadId: up.UploadId,
				PartNumber: aws.Int32(1), Body: strings.NewReader("part")}); err != nil {
				t.Fatalf("UploadPart() = %v", err)
			}
			// A refused delete leaves the bucket's uploads alone.
			if _, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("alpha"), Key: aws.String("kept")}); err != nil {
				t.Fatalf("CreateMultipartUpload() = %v", err)
			}
			_, err = c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("alpha")})
			checkErr(t, "DeleteBucket(alpha) with an object and an upload", err, "BucketNotEmpty", 409)
			if ups, err := c.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String("alpha")}); err != nil || len(ups.Uploads) != 1 {
				t.Errorf("ListMultipartUploads(alpha) after a refused DeleteBucket = %v, %v; want the upload kept", ups, err)
			}
			if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("alpha"), Key: aws.String("obj")}); err != nil {
				t.Fatalf("DeleteObject() = %v", err)
			}
			for _, b := range []string{"alpha", "beta"} {
				if _, err := c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(b)}); err != nil {
					t.Errorf("DeleteBucket(%q) = %v, want success", b, err)
				}
				_, err = c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(b)})
				checkErr(t, fmt.Sprintf("HeadBucket(%q) after delete", b), err, "NotFound", 404)
				_, err = c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(b)})
				checkErr(t, fmt.Sprintf("DeleteBucket(%q) again", b), err, "NoSuchBucket", 404)
			}
			_, err = c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String("beta"), Key: aws.String("pending"), UploadId: up.UploadId})
			checkErr(t, "AbortMultipartUpload of an upload its bucket's deletion discarded", err, "NoSuchBucket", 404)
			want := []bucket{{"gamma.delta-1", "us-east-1"}}
			if diff := cmp.Diff(want, listBuckets(t)); diff != "" {
				t.Errorf("ListBuckets() after deletes mismatch (-want +got):\n%s", diff)
			}
		})
	})
}
