package mocks3_test

// The main flows through a second real client, minio-go, which signs
// differently from the AWS SDK: over http it streams bodies as signed
// aws-chunked (STREAMING-AWS4-HMAC-SHA256-PAYLOAD); with TrailingHeaders and
// a checksum it sends signed chunks with a signed trailer over http
// (STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER) and unsigned ones over https
// (STREAMING-UNSIGNED-PAYLOAD-TRAILER).

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

	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/google/go-cmp/cmp"
	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
	"github.com/minio/minio-go/v7/pkg/tags"

	"github.com/mocks3/mocks3"
)

// newMinio returns a minio-go client for srv.
func newMinio(t *testing.T, srv *mocks3.Server, trailingHeaders bool) *minio.Client {
	t.Helper()
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	mc, err := minio.New(u.Host, &minio.Options{
		Creds:           credentials.NewStaticV4("test", "test", ""),
		Secure:          u.Scheme == "https",
		Transport:       srv.HTTPClient().Transport,
		Region:          srv.AWSConfig().Region,
		BucketLookup:    minio.BucketLookupPath,
		TrailingHeaders: trailingHeaders,
	})
	if err != nil {
		t.Fatalf("minio.New() = %v", err)
	}
	return mc
}

func readMinio(t *testing.T, mc *minio.Client, bucket, key string, opts minio.GetObjectOptions) []byte {
	t.Helper()
	obj, err := mc.GetObject(t.Context(), bucket, key, opts)
	if err != nil {
		t.Fatalf("GetObject(%q) = %v", key, err)
	}
	defer obj.Close()
	b, err := io.ReadAll(obj)
	if err != nil {
		t.Fatalf("GetObject(%q) body: %v", key, err)
	}
	return b
}

func TestMinio(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		srv := newServer(t, mocks3.WithMinPartSize(5<<20))
		mc := newMinio(t, srv, false)
		ctx := t.Context()
		const bucket = "minio-bucket"

		if err := mc.MakeBucket(ctx, bucket, minio.MakeBucketOptions{Region: srv.AWSConfig().Region}); err != nil {
			t.Fatalf("MakeBucket() = %v", err)
		}
		// In us-east-1 S3 lets the owner re-create a bucket (legacy 200).
		if err := mc.MakeBucket(ctx, bucket, minio.MakeBucketOptions{Region: srv.AWSConfig().Region}); err != nil {
			t.Errorf("MakeBucket() again in us-east-1 = %v, want success", err)
		}
		for _, tt := range []struct {
			bucket string
			want   bool
		}{{bucket, true}, {"no-such-bucket", false}} {
			if ok, err := mc.BucketExists(ctx, tt.bucket); ok != tt.want || err != nil {
				t.Errorf("BucketExists(%q) = %v, %v; want %v, nil", tt.bucket, ok, err, tt.want)
			}
		}

		puts := []struct {
			name     string
			key      string
			data     []byte
			partSize uint64
			trailer  bool
			wantETag string // without quotes, as minio-go reports it
		}{
			{name: "small", key: "dir/small.txt", data: []byte("hello, minio")},
			{name: "small with trailing checksum", key: "dir/trailer.txt", data: []byte("hello, trailer"), trailer: true},
			{name: "multipart", key: "big ü.bin", data: testData(17<<20, 51), partSize: 5 << 20},
		}
		for _, tt := range puts {
			t.Run("PutObject/"+tt.name, func(t *testing.T) {
				c := mc
				opts := minio.PutObjectOptions{
					ContentType:  "application/x-test",
					UserMetadata: map[string]string{"color": "red"},
					PartSize:     tt.partSize,
				}
				if tt.trailer {
					c = newMinio(t, srv, true)
					opts.Checksum = minio.ChecksumCRC32C
				}
				info, err := c.PutObject(ctx, bucket, tt.key, bytes.NewReader(tt.data), int64(len(tt.data)), opts)
				if err != nil {
					t.Fatalf("PutObject(%q) = %v", tt.key, err)
				}
				wantETag := md5Hex(tt.data)
				if tt.partSize > 0 {
					var parts [][]byte
					for rest := tt.data; len(rest) > 0; {
						n := min(int(tt.partSize), len(rest))
						parts, rest = append(parts, rest[:n]), rest[n:]
					}
					wantETag = strings.Trim(multipartETag(parts...), `"`)
				}
				if info.ETag != wantETag || info.Size != int64(len(tt.data)) {
					t.Errorf("PutObject(%q) = ETag %s, size %d; want %s, %d", tt.key, info.ETag, info.Size, wantETag, len(tt.data))
				}
				srv.CheckObject(t, bucket, tt.key, tt.data)

				if got := readMinio(t, mc, bucket, tt.key, minio.GetObjectOptions{}); !bytes.Equal(got, tt.data) {
					t.Errorf("GetObject(%q) = %d bytes, want the %d put", tt.key, len(got), len(tt.data))
				}
				st, err := mc.StatObject(ctx, bucket, tt.key, minio.StatObjectOptions{})
				if err != nil {
					t.Fatalf("StatObject(%q) = %v", tt.key, err)
				}
				if st.Size != int64(len(tt.data)) || st.ETag != wantETag || st.ContentType != "application/x-test" || st.UserMetadata["Color"] != "red" {
					t.Errorf("StatObject(%q) = size %d, ETag %s, type %q, metadata %v; want %d, %s, application/x-test, color=red",
						tt.key, st.Size, st.ETag, st.ContentType, st.UserMetadata, len(tt.data), wantETag)
				}
				if tt.trailer {
					var so minio.StatObjectOptions
					so.Set("x-amz-checksum-mode", "ENABLED")
					st, err := mc.StatObject(ctx, bucket, tt.key, so)
					if want := checksumOf(types.ChecksumAlgorithmCrc32c, tt.data); err != nil || st.ChecksumCRC32C != want {
						t.Errorf("StatObject(%q, checksum mode) = CRC32C %q, %v; want %q from the trailer", tt.key, st.ChecksumCRC32C, err, want)
					}
				}
			})
		}

		t.Run("GetObject range", func(t *testing.T) {
			var opts minio.GetObjectOptions
			if err := opts.SetRange(2, 5); err != nil {
				t.Fatal(err)
			}
			if got := readMinio(t, mc, bucket, "dir/small.txt", opts); string(got) != "llo," {
				t.Errorf("GetObject(dir/small.txt, 2-5) = %q, want %q", got, "llo,")
			}
		})

		listKeys := func(t *testing.T, opts minio.ListObjectsOptions) []string {
			t.Helper()
			var keys []string
			for o := range mc.ListObjects(ctx, bucket, opts) {
				if o.Err != nil {
					t.Fatalf("ListObjects(%+v) = %v", opts, o.Err)
				}
				keys = append(keys, o.Key)
			}
			return keys
		}
		lists := []struct {
			name string
			opts minio.ListObjectsOptions
			want []string
		}{
			{"prefix", minio.ListObjectsOptions{Prefix: "dir/", Recursive: true}, []string{"dir/small.txt", "dir/trailer.txt"}},
			{"top level", minio.ListObjectsOptions{}, []string{"big ü.bin", "dir/"}},
			{"v1", minio.ListObjectsOptions{Recursive: true, UseV1: true}, []string{"big ü.bin", "dir/small.txt", "dir/trailer.txt"}},
			{"paged", minio.ListObjectsOptions{Recursive: true, MaxKeys: 1}, []string{"big ü.bin", "dir/small.txt", "dir/trailer.txt"}},
		}
		for _, tt := range lists {
			t.Run("ListObjects/"+tt.name, func(t *testing.T) {
				if diff := cmp.Diff(tt.want, listKeys(t, tt.opts)); diff != "" {
					t.Errorf("ListObjects(%+v) mismatch (-want +got):\n%s", tt.opts, diff)
				}
			})
		}

		t.Run("CopyObject", func(t *testing.T) {
			info, err := mc.CopyObject(ctx, minio.CopyDestOptions{Bucket: bucket, Object: "copy of small"},
				minio.CopySrcOptions{Bucket: bucket, Object: "dir/small.txt"})
			if err != nil {
				t.Fatalf("CopyObject() = %v", err)
			}
			if info.ETag != md5Hex([]byte("hello, minio")) {
				t.Errorf("CopyObject().ETag = %s, want %s", info.ETag, md5Hex([]byte("hello, minio")))
			}
			if got := readMinio(t, mc, bucket, "copy of small", minio.GetObjectOptions{}); string(got) != "hello, minio" {
				t.Errorf("GetObject(copy of small) = %q, want %q", got, "hello, minio")
			}
		})

		t.Run("RemoveObject", func(t *testing.T) {
			if err := mc.RemoveObject(ctx, bucket, "copy of small", minio.RemoveObjectOptions{}); err != nil {
				t.Fatalf("RemoveObject() = %v", err)
			}
			_, err := mc.StatObject(ctx, bucket, "copy of small", minio.StatObjectOptions{})
			if code := minio.ToErrorResponse(err).Code; code != "NoSuchKey" {
				t.Errorf("StatObject() after RemoveObject() = %v, want NoSuchKey", err)
			}
			if err := mc.RemoveObject(ctx, bucket, "copy of small", minio.RemoveObjectOptions{}); err != nil {
				t.Errorf("RemoveObject() again = %v, want success", err)
			}
		})

		t.Run("RemoveObjects", func(t *testing.T) {
			ch := make(chan minio.ObjectInfo, 3)
			for _, k := range []string{"dir/small.txt", "dir/trailer.txt", "never existed"} {
				ch <- minio.ObjectInfo{Key: k}
			}
			close(ch)
			for e := range mc.RemoveObjects(ctx, bucket, ch, minio.RemoveObjectsOptions{}) {
				t.Errorf("RemoveObjects(): %s: %v", e.ObjectName, e.Err)
			}
			got := listKeys(t, minio.ListObjectsOptions{Recursive: true})
			if !slices.Equal(got, []string{"big ü.bin"}) {
				t.Errorf("ListObjects() after RemoveObjects() = %q, want [big ü.bin]", got)
			}
		})

		t.Run("RemoveBucket", func(t *testing.T) {
			err := mc.RemoveBucket(ctx, bucket)
			if code := minio.ToErrorResponse(err).Code; code != "BucketNotEmpty" {
				t.Errorf("RemoveBucket() of a full bucket = %v, want BucketNotEmpty", err)
			}
			if err := mc.RemoveObject(ctx, bucket, "big ü.bin", minio.RemoveObjectOptions{}); err != nil {
				t.Fatal(err)
			}
			if err := mc.RemoveBucket(ctx, bucket); err != nil {
				t.Errorf("RemoveBucket() = %v", err)
			}
		})
	})
}

// minio-go through the real-client matrix's operations, with
// authentication off and then on (WithAuth and a WithUser key pair): make
// bucket, small and multipart uploads, read back, list, copy, a presigned
// GET fetched with plain net/http, versioning with a delete marker, object
// and bucket tagging (its own calls, which the AWS SDK tests do not send),
// DeleteObjects and remove bucket; and, with auth on, a wrong secret and an
// unknown key refused with S3's codes.

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
