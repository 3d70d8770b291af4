package mocks3_test

// Storage class, website redirect location and the expected bucket owner:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-owner-condition.html

import (
	"bytes"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/mocks3/mocks3"
)

// objectAttrs are the storage class and redirect location a HEAD reports.
type objectAttrs struct {
	class    types.StorageClass
	redirect string
}

func headAttrs(t *testing.T, c *s3.Client, key string) objectAttrs {
	t.Helper()
	head, err := c.HeadObject(t.Context(), &s3.HeadObjectInput{Bucket: aws.String(testBucket), Key: aws.String(key)})
	if err != nil {
		t.Fatalf("HeadObject(%s) = %v", key, err)
	}
	return objectAttrs{head.StorageClass, aws.ToString(head.WebsiteRedirectLocation)}
}

func listedClass(t *testing.T, c *s3.Client, key string) types.ObjectStorageClass {
	t.Helper()
	out, err := c.ListObjectsV2(t.Context(), &s3.ListObjectsV2Input{Bucket: aws.String(testBucket), Prefix: aws.String(key)})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Contents) != 1 {
		t.Fatalf("ListObjectsV2(%s) = %d objects, want 1", key, len(out.Contents))
	}
	return out.Contents[0].StorageClass
}

func TestStorageClassAndRedirect(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		const minPart = 1024
		srv, c := startBucket(t, newServer, mocks3.WithMinPartSize(minPart))
		ctx := t.Context()
		body := testData(100, 71)

		tests := []struct {
			name      string
			class     types.StorageClass
			redirect  string
			want      objectAttrs
			wantClass types.ObjectStorageClass
		}{
			{"default", "", "", objectAttrs{}, "STANDARD"},
			{"STANDARD is not reported", types.StorageClassStandard, "", objectAttrs{}, "STANDARD"},
			{"GLACIER_IR", types.StorageClassGlacierIr, "", objectAttrs{class: types.StorageClassGlacierIr}, "GLACIER_IR"},
			{"redirect in bucket", types.StorageClassStandardIa, "/other/page.html",
				objectAttrs{types.StorageClassStandardIa, "/other/page.html"}, "STANDARD_IA"},
			{"redirect elsewhere", "", "https://example.com/x?y=1", objectAttrs{redirect: "https://example.com/x?y=1"}, "STANDARD"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				key := "attrs-" + tt.name
				mustPut(t, c, testBucket, key, body, func(in *s3.PutObjectInput) {
					in.StorageClass = tt.class
					if tt.redirect != "" {
						in.WebsiteRedirectLocation = aws.String(tt.redirect)
					}
				})
				if got := headAttrs(t, c, key); got != tt.want {
					t.Errorf("HeadObject(%s) = %+v, want %+v", key, got, tt.want)
				}
				get, _ := mustGet(t, c, testBucket, key)
				if got := (objectAttrs{get.StorageClass, aws.ToString(get.WebsiteRedirectLocation)}); got != tt.want {
					t.Errorf("GetObject(%s) = %+v, want %+v", key, got, tt.want)
				}
				if got := listedClass(t, c, key); got != tt.wantClass {
					t.Errorf("ListObjectsV2(%s) StorageClass = %q, want %q", key, got, tt.wantClass)
				}
			})
		}

		t.Run("invalid", func(t *testing.T) {
			_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(testBucket), Key: aws.String("bad-class"), Body: bytes.NewReader(body),
				StorageClass: "FROZEN"})
			checkErr(t, "PutObject(storage class FROZEN)", err, "InvalidStorageClass", 400)
			for _, loc := range []string{"example.com/x", "ftp://example.com/x", "other.html"} {
				_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(testBucket), Key: aws.String("bad-redirect"), Body: bytes.NewReader(body),
					WebsiteRedirectLocation: aws.String(loc)})
				checkErrMessage(t, "PutObject(redirect "+loc+")", err, "InvalidRedirectLocation", 400,
					"The website redirect location must have a prefix of 'http://' or 'https://' or '/'.")
			}
			_, err = c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String("bad-mp"),
				WebsiteRedirectLocation: aws.String("nowhere")})
			checkErr(t, "CreateMultipartUpload(redirect nowhere)", err, "InvalidRedirectLocation", 400)
			srv.CheckNoObject(t, testBucket, "bad-class")
			srv.CheckNoObject(t, testBucket, "bad-redirect")
		})

		t.Run("copy", func(t *testing.T) {
			mustPut(t, c, testBucket, "copy-src", body, func(in *s3.PutObjectInput) {
				in.StorageClass = types.StorageClassOnezoneIa
				in.WebsiteRedirectLocation = aws.String("/elsewhere")
			})
			copyTo := func(key string, opt func(*s3.CopyObjectInput)) {
				t.Helper()
				in := &s3.CopyObjectInput{Bucket: aws.String(testBucket), Key: aws.String(key), CopySource: aws.String(testBucket + "/copy-src")}
				if opt != nil {
					opt(in)
				}
				if _, err := c.CopyObject(ctx, in); err != nil {
					t.Fatalf("CopyObject(%s) = %v", key, err)
				}
			}
			// Neither is copied: the copy has what the request names.
			copyTo("copy-plain", nil)
			if got := headAttrs(t, c, "copy-plain"); got != (objectAttrs{}) {
				t.Errorf("HeadObject(copy-plain) = %+v, want STANDARD without redirect", got)
			}
			copyTo("copy-named", func(in *s3.CopyObjectInput) {
				in.StorageClass = types.StorageClassIntelligentTiering
				in.WebsiteRedirectLocation = aws.String("http://example.com/")
			})
			if got, want := headAttrs(t, c, "copy-named"), (objectAttrs{types.StorageClassIntelligentTiering, "http://example.com/"}); got != want {
				t.Errorf("HeadObject(copy-named) = %+v, want %+v", got, want)
			}
			// A copy onto itself that changes only the redirect is allowed.
			_, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String(testBucket), Key: aws.String("copy-src"),
				CopySource: aws.String(testBucket + "/copy-src"), WebsiteRedirectLocation: aws.String("/new")})
			if err != nil {
				t.Fatalf("CopyObject(onto itself, new redirect) = %v", err)
			}
			if got, want := headAttrs(t, c, "copy-src"), (objectAttrs{redirect: "/new"}); got != want {
				t.Errorf("HeadObject(copy-src) after self-copy = %+v, want %+v", got, want)
			}
			_, err = c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String(testBucket), Key: aws.String("copy-bad"),
				CopySource: aws.String(testBucket + "/copy-src"), StorageClass: "FROZEN"})
			checkErr(t, "CopyObject(storage class FROZEN)", err, "InvalidStorageClass", 400)
		})

		t.Run("multipart", func(t *testing.T) {
			key := "mp-attrs"
			up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String(key),
				StorageClass: types.StorageClassGlacierIr, WebsiteRedirectLocation: aws.String("/mp")})
			if err != nil {
				t.Fatal(err)
			}
			uploads, err := c.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String(testBucket), Prefix: aws.String(key)})
			if err != nil {
				t.Fatal(err)
			}
			if len(uploads.Uploads) != 1 || uploads.Uploads[0].StorageClass != types.StorageClassGlacierIr {
				t.Errorf("ListMultipartUploads() = %+v, want one GLACIER_IR upload", uploads.Uploads)
			}
			part, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String(testBucket), Key: aws.String(key), UploadId: up.UploadId,
				PartNumber: aws.Int32(1), Body: bytes.NewReader(body)})
			if err != nil {
				t.Fatal(err)
			}
			lp, err := c.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String(testBucket), Key: aws.String(key), UploadId: up.UploadId})
			if err != nil {
				t.Fatal(err)
			}
			if lp.StorageClass != types.StorageClassGlacierIr {
				t.Errorf("ListParts() StorageClass = %q, want GLACIER_IR", lp.StorageClass)
			}
			_, err = c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String(key), UploadId: up.UploadId,
				MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{{PartNumber: aws.Int32(1), ETag: part.ETag, ChecksumCRC32: part.ChecksumCRC32}}}})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := headAttrs(t, c, key), (objectAttrs{types.StorageClassGlacierIr, "/mp"}); got != want {
				t.Errorf("HeadObject(%s) = %+v, want %+v", key, got, want)
			}
		})
	})
}

func TestExpectedBucketOwner(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		srv, c := startBucket(t, newServer, mocks3.WithObject(testBucket, "k", []byte("data")))
		ctx := t.Context()
		buckets, err := c.ListBuckets(ctx, &s3.ListBucketsInput{})
		if err != nil {
			t.Fatal(err)
		}
		owner := aws.ToString(buckets.Owner.ID)
		if owner == "" {
			t.Fatal("ListBuckets() reports no owner")
		}
		const other = "111122223333"

		// The owner ListBuckets reports is accepted everywhere.
		if _, err := c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(testBucket), ExpectedBucketOwner: aws.String(owner)}); err != nil {
			t.Errorf("HeadBucket(expected owner %s) = %v", owner, err)
		}
		if _, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(testBucket), Key: aws.String("k"), ExpectedBucketOwner: aws.String(owner)}); err != nil {
			t.Errorf("GetObject(expected owner %s) = %v", owner, err)
		}
		mustPut(t, c, testBucket, "mine", []byte("x"), func(in *s3.PutObjectInput) { in.ExpectedBucketOwner = aws.String(owner) })

		_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(testBucket), Key: aws.String("theirs"), Body: bytes.NewReader([]byte("x")),
			ExpectedBucketOwner: aws.String(other)})
		checkErrMessage(t, "PutObject(expected owner "+other+")", err, "AccessDenied", 403, "Access Denied")
		srv.CheckNoObject(t, testBucket, "theirs")
		_, err = c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(testBucket), ExpectedBucketOwner: aws.String(other)})
		checkErr(t, "ListObjectsV2(expected owner "+other+")", err, "AccessDenied", 403)
		_, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(testBucket), Key: aws.String("k"), ExpectedBucketOwner: aws.String(other)})
		if httpStatus(err) != 403 {
			t.Errorf("HeadObject(expected owner %s) = %v, want 403", other, err)
		}
		_, err = c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String(testBucket), Key: aws.String("copy"), CopySource: aws.String(testBucket + "/k"),
			ExpectedSourceBucketOwner: aws.String(other)})
		checkErr(t, "CopyObject(expected source owner "+other+")", err, "AccessDenied", 403)
		srv.CheckNoObject(t, testBucket, "copy")
		// A bucket that does not exist has no owner to mismatch.
		_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("no-such-bucket"), Key: aws.String("k"), ExpectedBucketOwner: aws.String(other)})
		checkErr(t, "GetObject(missing bucket, expected owner "+other+")", err, "NoSuchBucket", 404)
	})
}
