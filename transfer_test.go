package mocks3_test

// The SDK's upload and download managers (feature/s3/manager and
// feature/s3/transfermanager), which drive multipart uploads, ranged and
// partNumber downloads:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPart.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html (Range, partNumber)

import (
	"bytes"
	"fmt"
	"io"
	"net/url"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/s3/manager"
	"github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/google/go-cmp/cmp"

	"github.com/mocks3/mocks3"
)

func TestManager(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		srv, c := startBucket(t, newServer)
		ctx := t.Context()
		const partSize = 5 << 20
		data := testData(12<<20, 31)
		parts := [][]byte{data[:partSize], data[partSize : 2*partSize], data[2*partSize:]}

		up := manager.NewUploader(c, func(u *manager.Uploader) { u.PartSize = partSize })
		res, err := up.Upload(ctx, &s3.PutObjectInput{Bucket: aws.String(testBucket), Key: aws.String("big"), Body: bytes.NewReader(data)})
		if err != nil {
			t.Fatalf("Upload() = %v", err)
		}
		if got, want := aws.ToString(res.ETag), multipartETag(parts...); got != want {
			t.Errorf("Upload().ETag = %s, want %s", got, want)
		}
		srv.CheckObject(t, testBucket, "big", data)

		// The manager asks for CRC32 and sends each part's checksum on
		// completion: the object gets a composite CRC32.
		head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(testBucket), Key: aws.String("big"), ChecksumMode: types.ChecksumModeEnabled})
		if err != nil {
			t.Fatal(err)
		}
		want := checksumsWith(types.ChecksumAlgorithmCrc32, compositeOf(types.ChecksumAlgorithmCrc32, parts...), types.ChecksumTypeComposite)
		if diff := cmp.Diff(want, checksumsOf(head)); diff != "" {
			t.Errorf("HeadObject() after Upload() checksums mismatch (-want +got):\n%s", diff)
		}
		if got := aws.ToInt64(head.ContentLength); got != int64(len(data)) {
			t.Errorf("HeadObject().ContentLength = %d, want %d", got, len(data))
		}

		small := []byte("below the part size")
		if _, err := up.Upload(ctx, &s3.PutObjectInput{Bucket: aws.String(testBucket), Key: aws.String("small"), Body: bytes.NewReader(small)}); err != nil {
			t.Fatalf("Upload(small) = %v", err)
		}
		srv.CheckObject(t, testBucket, "small", small)

		// The downloader reads by range, 5 MiB at a time, concurrently.
		down := manager.NewDownloader(c, func(d *manager.Downloader) { d.PartSize = partSize })
		for _, key := range []string{"big", "small"} {
			want, err := srv.GetObject(testBucket, key)
			if err != nil {
				t.Fatal(err)
			}
			buf := manager.NewWriteAtBuffer(make([]byte, 0, len(want))) // sized, or every write reallocates it
			n, err := down.Download(ctx, buf, &s3.GetObjectInput{Bucket: aws.String(testBucket), Key: aws.String(key)})
			if err != nil {
				t.Fatalf("Download(%q) = %v", key, err)
			}
			if n != int64(len(want)) || !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("Download(%q) = %d bytes, want the %d uploaded", key, n, len(want))
			}
		}
	})
}

func TestTransferManager(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		const partSize = 64 << 10
		srv := newServer(t, mocks3.WithBucket(testBucket), mocks3.WithMinPartSize(partSize))
		rec := newRecorder(t, srv)
		c := srv.Client(withHTTPClient(rec))
		ctx := t.Context()
		tm := transfermanager.New(c, func(o *transfermanager.Options) {
			o.PartSizeBytes = partSize
			o.MultipartUploadThreshold = partSize
			o.Concurrency = 3
		})
		data := testData(4*partSize+1234, 41)
		var parts [][]byte
		for rest := data; len(rest) > 0; {
			n := min(partSize, len(rest))
			parts, rest = append(parts, rest[:n]), rest[n:]
		}

		tests := []struct {
			name      string
			data      []byte
			wantETag  string
			wantParts int
		}{
			{"multipart", data, multipartETag(parts...), len(parts)},
			{"single", data[:1000], etagOf(data[:1000]), 1},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				up, err := tm.UploadObject(ctx, &transfermanager.UploadObjectInput{Bucket: aws.String(testBucket), Key: aws.String(tt.name), Body: bytes.NewReader(tt.data)})
				if err != nil {
					t.Fatalf("UploadObject(%q) = %v", tt.name, err)
				}
				if got := aws.ToString(up.ETag); got != tt.wantETag {
					t.Errorf("UploadObject(%q).ETag = %s, want %s", tt.name, got, tt.wantETag)
				}
				srv.CheckObject(t, testBucket, tt.name, tt.data)

				// DownloadObject reads part 1, then the other parts by number
				// with If-Match.
				rec.Sent()
				buf := manager.NewWriteAtBuffer(make([]byte, 0, len(tt.data))) // sized, or every write reallocates it
				down, err := tm.DownloadObject(ctx, &transfermanager.DownloadObjectInput{Bucket: aws.String(testBucket), Key: aws.String(tt.name), WriterAt: buf})
				if err != nil {
					t.Fatalf("DownloadObject(%q) = %v", tt.name, err)
				}
				var gotParts []string
				for _, ex := range rec.Sent() {
					q, _ := url.ParseQuery(ex.query)
					n := q.Get("partNumber")
					gotParts = append(gotParts, n)
					if ifMatch := ex.reqHeader.Get("If-Match"); n != "1" && ifMatch != tt.wantETag {
						t.Errorf("DownloadObject(%q) GET part %s with If-Match %q, want %s", tt.name, n, ifMatch, tt.wantETag)
					}
				}
				slices.Sort(gotParts)
				var wantParts []string
				for i := range tt.wantParts {
					wantParts = append(wantParts, fmt.Sprint(i+1))
				}
				if diff := cmp.Diff(wantParts, gotParts); diff != "" {
					t.Errorf("DownloadObject(%q) part requests mismatch (-want +got):\n%s", tt.name, diff)
				}
				if !bytes.Equal(buf.Bytes(), tt.data) {
					t.Errorf("DownloadObject(%q) = %d bytes, want the %d uploaded", tt.name, len(buf.Bytes()), len(tt.data))
				}
				if got := aws.ToInt64(down.ContentLength); got != int64(len(tt.data)) {
					t.Errorf("DownloadObject(%q).ContentLength = %d, want %d", tt.name, got, len(tt.data))
				}

				get, err := tm.GetObject(ctx, &transfermanager.GetObjectInput{Bucket: aws.String(testBucket), Key: aws.String(tt.name)})
				if err != nil {
					t.Fatalf("GetObject(%q) = %v", tt.name, err)
				}
				got, err := io.ReadAll(get.Body)
				if err != nil {
					t.Fatalf("GetObject(%q) body: %v", tt.name, err)
				}
				if !bytes.Equal(got, tt.data) {
					t.Errorf("GetObject(%q) = %d bytes, want the %d uploaded", tt.name, len(got), len(tt.data))
				}
			})
		}
	})
}
