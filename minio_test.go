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
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/google/go-cmp/cmp"
	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

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
