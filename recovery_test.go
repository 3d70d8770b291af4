package mocks3_test

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/mocks3/mocks3"
	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/backend/disk"
)

// TestRestartDeletesOrphanBlobs: blobs no record uses (what a crash between
// writing bytes and committing them leaves) are deleted when a server opens
// the directory again; objects and open uploads keep theirs.
func TestRestartDeletesOrphanBlobs(t *testing.T) {
	for _, nodes := range []int{1, 2} {
		t.Run(map[int]string{1: "one node", 2: "two nodes"}[nodes], func(t *testing.T) {
			dir := t.TempDir()
			opts := []mocks3.Option{mocks3.WithDir(dir), mocks3.WithBucket(testBucket), mocks3.WithStorageNodes(nodes)}
			srv, err := mocks3.NewServer(opts...)
			if err != nil {
				t.Fatalf("NewServer = %v", err)
			}
			c := srv.Client()
			ctx := t.Context()
			mustPut(t, c, testBucket, "kept", []byte("object bytes"))
			uploadID, part := mustStartUpload(t, c, "mp", []byte("part bytes"))
			srv.Close()

			// Orphans, as a crash leaves them, in the directory of every node.
			nodeDirs := []string{dir}
			if nodes == 2 {
				nodeDirs = append(nodeDirs, filepath.Join(dir, "nodes", "2"))
			}
			orphans := make(map[string]backend.BlobID)
			for _, nd := range nodeDirs {
				orphans[nd] = writeOrphan(t, nd)
			}

			var log strings.Builder
			srv, err = mocks3.NewServer(append(opts, mocks3.WithLogger(slog.New(slog.NewTextHandler(&log, nil))))...)
			if err != nil {
				t.Fatalf("NewServer (restart) = %v", err)
			}
			c = srv.Client()
			if _, got := mustGet(t, c, testBucket, "kept"); string(got) != "object bytes" {
				t.Errorf("GetObject(kept) = %q after the sweep", got)
			}
			_, err = c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String("mp"),
				UploadId: uploadID, MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{
					{PartNumber: aws.Int32(1), ETag: part.ETag, ChecksumCRC32: part.ChecksumCRC32}}}})
			if err != nil {
				t.Fatalf("CompleteMultipartUpload of an upload opened before the restart = %v", err)
			}
			if _, got := mustGet(t, c, testBucket, "mp"); string(got) != "part bytes" {
				t.Errorf("GetObject(mp) = %q after the sweep", got)
			}
			srv.Close()
			if want := "count=" + map[int]string{1: "1", 2: "2"}[nodes]; !strings.Contains(log.String(), "orphan blobs deleted") || !strings.Contains(log.String(), want) {
				t.Errorf("log = %q, want a line saying orphan blobs deleted, %s", log.String(), want)
			}
			for nd, id := range orphans {
				d, err := disk.Open(nd)
				if err != nil {
					t.Fatalf("disk.Open(%s) = %v", nd, err)
				}
				_, err = d.OpenBlob(context.Background(), id)
				d.Close()
				if !errors.Is(err, backend.ErrBlobNotFound) {
					t.Errorf("OpenBlob(orphan in %s) = %v after a restart, want ErrBlobNotFound", nd, err)
				}
			}
		})
	}
}

// writeOrphan writes a blob no record uses into the disk backend at dir.
func writeOrphan(t *testing.T, dir string) backend.BlobID {
	t.Helper()
	d, err := disk.Open(dir)
	if err != nil {
		t.Fatalf("disk.Open(%s) = %v", dir, err)
	}
	defer d.Close()
	id, _, err := d.WriteBlob(context.Background(), strings.NewReader("orphaned"), 8)
	if err != nil {
		t.Fatalf("WriteBlob = %v", err)
	}
	return id
}
