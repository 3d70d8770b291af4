package examples_test

import (
	"bytes"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/s3/manager"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/mocks3/mocks3"
)

// TestMultipartUpload uploads 12 MiB with the SDK's upload manager in 5 MiB
// parts and downloads it again in ranges.
func TestMultipartUpload(t *testing.T) {
	srv := mocks3.New(t, mocks3.WithBucket("backups"))
	client := srv.Client()
	data := bytes.Repeat([]byte("0123456789abcdef"), 12<<20/16)

	up := manager.NewUploader(client, func(u *manager.Uploader) { u.PartSize = 5 << 20 })
	res, err := up.Upload(t.Context(), &s3.PutObjectInput{
		Bucket: aws.String("backups"), Key: aws.String("db.dump"), Body: bytes.NewReader(data),
	})
	if err != nil {
		t.Fatalf("Upload: %v", err)
	}
	if want := `-3"`; !bytes.HasSuffix([]byte(aws.ToString(res.ETag)), []byte(want)) {
		t.Errorf("Upload ETag = %s, want a 3-part multipart ETag", aws.ToString(res.ETag))
	}

	buf := manager.NewWriteAtBuffer(make([]byte, 0, len(data)))
	down := manager.NewDownloader(client, func(d *manager.Downloader) { d.PartSize = 5 << 20 })
	n, err := down.Download(t.Context(), buf, &s3.GetObjectInput{Bucket: aws.String("backups"), Key: aws.String("db.dump")})
	if err != nil {
		t.Fatalf("Download: %v", err)
	}
	if n != int64(len(data)) || !bytes.Equal(buf.Bytes(), data) {
		t.Errorf("Download = %d bytes, want the %d uploaded", n, len(data))
	}
}
