package mocks3_test

// Races on one multipart upload: whichever of Complete and Abort (or a
// re-upload of a part) wins, an object that Complete acknowledged must stay
// readable. Before the upload's lifecycle was serialised, Abort or the part
// overwrite deleted the bytes the committed record pointed to, and every GET
// answered 500.

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/mocks3/mocks3"
	"github.com/mocks3/mocks3/faults"
	"github.com/mocks3/mocks3/s3api"
)

func TestMultipartLifecycleRaces(t *testing.T) {
	rivals := []struct {
		name string
		// rival runs against Complete on the same upload.
		rival func(ctx context.Context, c *s3.Client, key, id string) error
	}{
		{"abort", func(ctx context.Context, c *s3.Client, key, id string) error {
			_, err := c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{
				Bucket: aws.String(testBucket), Key: aws.String(key), UploadId: aws.String(id)})
			return err
		}},
		{"upload same part", func(ctx context.Context, c *s3.Client, key, id string) error {
			_, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String(testBucket), Key: aws.String(key),
				UploadId: aws.String(id), PartNumber: aws.Int32(1), Body: bytes.NewReader([]byte("other bytes"))})
			return err
		}},
	}
	const attempts = 150
	for _, m := range backendModes {
		for _, rv := range rivals {
			t.Run(m.name+"/"+rv.name, func(t *testing.T) {
				srv := mocks3.New(t, append(m.opts(t), mocks3.WithBucket(testBucket))...)
				c := srv.Client()
				ctx := t.Context()
				for i := range attempts {
					key := "race"
					data := []byte("complete wins " + string(rune('a'+i%26)))
					uploadID, part := mustStartUpload(t, c, key, data)
					var (
						wg                    sync.WaitGroup
						completeErr, rivalErr error
					)
					wg.Go(func() {
						_, completeErr = c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{
							Bucket: aws.String(testBucket), Key: aws.String(key), UploadId: uploadID,
							MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{
								{PartNumber: aws.Int32(1), ETag: part.ETag, ChecksumCRC32: part.ChecksumCRC32}}},
						})
					})
					wg.Go(func() { rivalErr = rv.rival(ctx, c, key, *uploadID) })
					wg.Wait()
					if rivalErr != nil && apiCode(rivalErr) != "NoSuchUpload" {
						t.Fatalf("attempt %d: %s = %v, want success or NoSuchUpload", i, rv.name, rivalErr)
					}
					if completeErr != nil {
						if apiCode(completeErr) != "NoSuchUpload" && apiCode(completeErr) != "InvalidPart" {
							t.Fatalf("attempt %d: CompleteMultipartUpload = %v, want success, NoSuchUpload or InvalidPart", i, completeErr)
						}
						continue
					}
					got, err := getBody(ctx, c, testBucket, key)
					if err != nil {
						t.Fatalf("attempt %d: GetObject after an acknowledged Complete (%s raced it) = %v", i, rv.name, err)
					}
					if !bytes.Equal(got, data) {
						t.Fatalf("attempt %d: GetObject = %q, want %q", i, got, data)
					}
					if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(testBucket), Key: aws.String(key)}); err != nil {
						t.Fatalf("DeleteObject = %v", err)
					}
				}
			})
		}
	}
}

// TestCompleteSurvivesClientHangUp: a client that gives up while Complete
// commits (the SDK's upload manager then aborts the upload) must find the
// upload either completed and gone, or untouched, never an upload whose
// abort deletes the bytes of an acknowledged object. The metadata role is
// slowed at both steps Complete could take, inside a synctest bubble so the
// 30 s delays cost no wall time.
func TestCompleteSurvivesClientHangUp(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		slow := func(op s3api.Operation) faults.Rule {
			return faults.Rule{Service: "metadata", Operation: op, Action: faults.Delay(30 * time.Second)}
		}
		srv, c := startBucket(t, embedded, mocks3.WithInMemoryTransport())
		ctx := t.Context()
		data := []byte("acknowledged bytes")
		uploadID, part := mustStartUpload(t, c, "k", data)
		srv.Faults().AddT(t, slow("CompleteUpload"))
		srv.Faults().AddT(t, slow("DeleteUpload"))

		short, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		_, err := c.CompleteMultipartUpload(short, &s3.CompleteMultipartUploadInput{
			Bucket: aws.String(testBucket), Key: aws.String("k"), UploadId: uploadID,
			MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{
				{PartNumber: aws.Int32(1), ETag: part.ETag, ChecksumCRC32: part.ChecksumCRC32}}},
		})
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("CompleteMultipartUpload = %v, want the client to give up", err)
		}
		time.Sleep(time.Minute) // fake time: the server finishes what it started
		synctest.Wait()

		ups, err := c.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String(testBucket)})
		if err != nil {
			t.Fatalf("ListMultipartUploads = %v", err)
		}
		if len(ups.Uploads) != 0 {
			t.Errorf("ListMultipartUploads = %d uploads after the commit, want none", len(ups.Uploads))
		}
		_, err = c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String("k"), UploadId: uploadID})
		if apiCode(err) != "NoSuchUpload" {
			t.Errorf("AbortMultipartUpload after the commit = %v, want NoSuchUpload", err)
		}
		got, err := getBody(ctx, c, testBucket, "k")
		if err != nil || !bytes.Equal(got, data) {
			t.Errorf("GetObject = %q, %v; want %q", got, err, data)
		}
	})
}

// TestUploadIDsUniqueAcrossRestarts: a server reopening a directory that
// still holds an open upload creates new uploads without colliding with it,
// whether or not WithSeed makes its IDs repeat.
func TestUploadIDsUniqueAcrossRestarts(t *testing.T) {
	for _, seeded := range []bool{false, true} {
		t.Run(map[bool]string{false: "random", true: "seeded"}[seeded], func(t *testing.T) {
			dir := t.TempDir()
			opts := []mocks3.Option{mocks3.WithDir(dir), mocks3.WithBucket(testBucket)}
			if seeded {
				opts = append(opts, mocks3.WithSeed(7))
			}
			ids := map[string]bool{}
			for restart := range 3 {
				srv, err := mocks3.NewServer(opts...)
				if err != nil {
					t.Fatalf("NewServer (restart %d) = %v", restart, err)
				}
				// No retries: a retried 500 would draw a new ID and hide the collision.
				noRetry := func(o *s3.Options) { o.RetryMaxAttempts = 1 }
				out, err := srv.Client(noRetry).CreateMultipartUpload(t.Context(), &s3.CreateMultipartUploadInput{
					Bucket: aws.String(testBucket), Key: aws.String("k")})
				srv.Close()
				if err != nil {
					t.Fatalf("CreateMultipartUpload after restart %d = %v, want success", restart, err)
				}
				if ids[*out.UploadId] {
					t.Fatalf("restart %d: upload ID %s repeats an open upload's", restart, *out.UploadId)
				}
				ids[*out.UploadId] = true
			}
		})
	}
}
