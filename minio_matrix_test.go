package mocks3_test

// minio-go through the real-client matrix's operations, with
// authentication off and then on (WithAuth and a WithUser key pair): make
// bucket, small and multipart uploads, read back, list, copy, a presigned
// GET fetched with plain net/http, versioning with a delete marker, object
// and bucket tagging (its own calls, which the AWS SDK tests do not send),
// DeleteObjects and remove bucket; and, with auth on, a wrong secret and an
// unknown key refused with S3's codes.

import (
	"bytes"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
	"github.com/minio/minio-go/v7/pkg/tags"

	"github.com/mocks3/mocks3"
)

func minioWithKeys(t *testing.T, srv *mocks3.Server, accessKey, secretKey string) *minio.Client {
	t.Helper()
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	mc, err := minio.New(u.Host, &minio.Options{
		Creds: credentials.NewStaticV4(accessKey, secretKey, ""), Secure: u.Scheme == "https",
		Transport: srv.HTTPClient().Transport, Region: srv.AWSConfig().Region, BucketLookup: minio.BucketLookupPath,
	})
	if err != nil {
		t.Fatalf("minio.New() = %v", err)
	}
	return mc
}

func TestMinioMatrix(t *testing.T) {
	const ak, sk = "AKIAMINIOMATRIX", "minio/matrix+secret"
	for _, auth := range []bool{false, true} {
		t.Run(map[bool]string{false: "auth=off", true: "auth=on"}[auth], func(t *testing.T) {
			opts := []mocks3.Option{mocks3.WithUser("matrix", ak, sk)}
			if auth {
				opts = append(opts, mocks3.WithAuth())
			}
			srv := mocks3.New(t, opts...)
			mc := minioWithKeys(t, srv, ak, sk)
			ctx := t.Context()
			const bucket = "minio-matrix"
			small, big := []byte("hello from minio-go\n"), testData(20<<20, 8)

			if err := mc.MakeBucket(ctx, bucket, minio.MakeBucketOptions{Region: srv.AWSConfig().Region}); err != nil {
				t.Fatalf("MakeBucket() = %v", err)
			}
			if auth {
				for _, tt := range []struct{ ak, sk, code string }{
					{ak, "not-the-secret", "SignatureDoesNotMatch"},
					{"AKIAUNKNOWNEXAMPLE", sk, "InvalidAccessKeyId"},
				} {
					_, err := minioWithKeys(t, srv, tt.ak, tt.sk).StatObject(ctx, bucket, "any", minio.StatObjectOptions{})
					if e := minio.ToErrorResponse(err); e.StatusCode != http.StatusForbidden {
						t.Errorf("StatObject signed with %s/%s = %v, want 403 (%s)", tt.ak, tt.sk, err, tt.code)
					}
					_, err = minioWithKeys(t, srv, tt.ak, tt.sk).GetBucketTagging(ctx, bucket)
					if e := minio.ToErrorResponse(err); e.Code != tt.code || e.StatusCode != http.StatusForbidden {
						t.Errorf("GetBucketTagging signed with %s/%s = %v, want 403 %s", tt.ak, tt.sk, err, tt.code)
					}
				}
			}

			objTags, _ := tags.MapToObjectTags(map[string]string{"team": "storage", "env": "test"})
			for key, data := range map[string][]byte{"small.txt": small, "big.bin": big} {
				info, err := mc.PutObject(ctx, bucket, key, bytes.NewReader(data), int64(len(data)), minio.PutObjectOptions{UserTags: objTags.ToMap()})
				if err != nil {
					t.Fatalf("PutObject(%s) = %v", key, err)
				}
				if multipart := strings.Contains(info.ETag, "-"); multipart != (len(data) > 16<<20) {
					t.Errorf("PutObject(%s, %d bytes) ETag %s: multipart = %v", key, len(data), info.ETag, multipart)
				}
				if got := readMinio(t, mc, bucket, key, minio.GetObjectOptions{}); !bytes.Equal(got, data) {
					t.Errorf("GetObject(%s) = %d bytes, want %d as uploaded", key, len(got), len(data))
				}
			}
			var keys []string
			for o := range mc.ListObjects(ctx, bucket, minio.ListObjectsOptions{Recursive: true}) {
				if o.Err != nil {
					t.Fatalf("ListObjects() = %v", o.Err)
				}
				keys = append(keys, o.Key)
			}
			if want := []string{"big.bin", "small.txt"}; !slices.Equal(keys, want) {
				t.Errorf("ListObjects() = %q, want %q", keys, want)
			}
			if _, err := mc.CopyObject(ctx, minio.CopyDestOptions{Bucket: bucket, Object: "copy.txt"}, minio.CopySrcOptions{Bucket: bucket, Object: "small.txt"}); err != nil {
				t.Fatalf("CopyObject() = %v", err)
			}
			srv.CheckObject(t, bucket, "copy.txt", small)

			u, err := mc.PresignedGetObject(ctx, bucket, "small.txt", 10*time.Minute, nil)
			if err != nil {
				t.Fatalf("PresignedGetObject() = %v", err)
			}
			resp, err := srv.HTTPClient().Get(u.String())
			if err != nil {
				t.Fatalf("GET presigned: %v", err)
			}
			got, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || !bytes.Equal(got, small) {
				t.Errorf("GET %s = %d %q, want 200 %q", u, resp.StatusCode, got, small)
			}

			// Tagging: set by x-amz-tagging on PUT, replaced, read, removed;
			// the bucket's set, read and removed.
			gotTags, err := mc.GetObjectTagging(ctx, bucket, "small.txt", minio.GetObjectTaggingOptions{})
			if err != nil || !maps.Equal(gotTags.ToMap(), objTags.ToMap()) {
				t.Errorf("GetObjectTagging(tags of the PUT) = %v, %v; want %v", gotTags, err, objTags)
			}
			newTags, _ := tags.MapToObjectTags(map[string]string{"stage": "replaced"})
			if err := mc.PutObjectTagging(ctx, bucket, "small.txt", newTags, minio.PutObjectTaggingOptions{}); err != nil {
				t.Fatalf("PutObjectTagging() = %v", err)
			}
			if gotTags, err = mc.GetObjectTagging(ctx, bucket, "small.txt", minio.GetObjectTaggingOptions{}); err != nil || !maps.Equal(gotTags.ToMap(), newTags.ToMap()) {
				t.Errorf("GetObjectTagging() = %v, %v; want %v", gotTags, err, newTags)
			}
			if err := mc.RemoveObjectTagging(ctx, bucket, "small.txt", minio.RemoveObjectTaggingOptions{}); err != nil {
				t.Fatalf("RemoveObjectTagging() = %v", err)
			}
			if gotTags, err = mc.GetObjectTagging(ctx, bucket, "small.txt", minio.GetObjectTaggingOptions{}); err != nil || len(gotTags.ToMap()) != 0 {
				t.Errorf("GetObjectTagging(removed) = %v, %v; want no tags", gotTags, err)
			}
			bucketTags, _ := tags.MapToBucketTags(map[string]string{"cost-center": "42"})
			if err := mc.SetBucketTagging(ctx, bucket, bucketTags); err != nil {
				t.Fatalf("SetBucketTagging() = %v", err)
			}
			if gotTags, err := mc.GetBucketTagging(ctx, bucket); err != nil || !maps.Equal(gotTags.ToMap(), bucketTags.ToMap()) {
				t.Errorf("GetBucketTagging() = %v, %v; want %v", gotTags, err, bucketTags)
			}
			if err := mc.RemoveBucketTagging(ctx, bucket); err != nil {
				t.Fatalf("RemoveBucketTagging() = %v", err)
			}
			if _, err := mc.GetBucketTagging(ctx, bucket); minio.ToErrorResponse(err).Code != "NoSuchTagSet" {
				t.Errorf("GetBucketTagging(removed) = %v, want NoSuchTagSet", err)
			}

			// Versioning: a second write and a delete leave two versions and
			// a delete marker; tags apply per version.
			if err := mc.EnableVersioning(ctx, bucket); err != nil {
				t.Fatalf("EnableVersioning() = %v", err)
			}
			v1, err := mc.PutObject(ctx, bucket, "v.txt", strings.NewReader("one"), 3, minio.PutObjectOptions{})
			if err != nil {
				t.Fatalf("PutObject(v.txt) = %v", err)
			}
			if _, err := mc.PutObject(ctx, bucket, "v.txt", strings.NewReader("two"), 3, minio.PutObjectOptions{}); err != nil {
				t.Fatalf("PutObject(v.txt again) = %v", err)
			}
			if err := mc.PutObjectTagging(ctx, bucket, "v.txt", newTags, minio.PutObjectTaggingOptions{VersionID: v1.VersionID}); err != nil {
				t.Errorf("PutObjectTagging(version %s) = %v", v1.VersionID, err)
			}
			if gotTags, err := mc.GetObjectTagging(ctx, bucket, "v.txt", minio.GetObjectTaggingOptions{VersionID: v1.VersionID}); err != nil || !maps.Equal(gotTags.ToMap(), newTags.ToMap()) {
				t.Errorf("GetObjectTagging(version %s) = %v, %v; want %v", v1.VersionID, gotTags, err, newTags)
			}
			if err := mc.RemoveObject(ctx, bucket, "v.txt", minio.RemoveObjectOptions{}); err != nil {
				t.Fatalf("RemoveObject(v.txt) = %v", err)
			}
			var versions, markers int
			for o := range mc.ListObjects(ctx, bucket, minio.ListObjectsOptions{WithVersions: true, Recursive: true, Prefix: "v.txt"}) {
				if o.Err != nil {
					t.Fatalf("ListObjects(WithVersions) = %v", o.Err)
				}
				if o.IsDeleteMarker {
					markers++
				} else {
					versions++
				}
			}
			if versions != 2 || markers != 1 {
				t.Errorf("ListObjects(WithVersions) = %d versions, %d delete markers; want 2 and 1", versions, markers)
			}

			// DeleteObjects of every version, then remove the bucket.
			objs := make(chan minio.ObjectInfo)
			go func() {
				defer close(objs)
				for o := range mc.ListObjects(ctx, bucket, minio.ListObjectsOptions{WithVersions: true, Recursive: true}) {
					objs <- o
				}
			}()
			for r := range mc.RemoveObjectsWithResult(ctx, bucket, objs, minio.RemoveObjectsOptions{}) {
				if r.Err != nil {
					t.Errorf("RemoveObjects(%s, %s) = %v", r.ObjectName, r.ObjectVersionID, r.Err)
				}
			}
			if err := mc.RemoveBucket(ctx, bucket); err != nil {
				t.Errorf("RemoveBucket() = %v", err)
			}
		})
	}
}
