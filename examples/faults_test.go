package examples_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/s3/manager"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"github.com/mocks3/mocks3"
	"github.com/mocks3/mocks3/faults"
)

// upload is the code under test: a multipart upload through the SDK's
// upload manager.
func upload(ctx context.Context, c *s3.Client, bucket, key string, data []byte) error {
	up := manager.NewUploader(c, func(u *manager.Uploader) { u.PartSize = 5 << 20 })
	_, err := up.Upload(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: bytes.NewReader(data)})
	return err
}

// TestUploaderUnderFaults is a table of failures, one row each, asserting
// how the uploader behaves: it survives what the SDK retries and reports
// the rest, and never leaves a partial object behind.
func TestUploaderUnderFaults(t *testing.T) {
	data := bytes.Repeat([]byte("mocks3!"), 12<<20/7) // three parts
	tests := []struct {
		name     string
		rule     faults.Rule
		wantErr  string // S3 error code, or "" for success
		wantPuts int    // UploadPart attempts the server saw
	}{
		{"no fault", faults.Rule{Operation: "GetObject", Action: faults.ErrorCode("InternalError")}, "", 3},
		{"a part throttled twice", faults.Rule{Operation: "UploadPart", Times: 2, Action: faults.ErrorCode("SlowDown")}, "", 5},
		{"a part's connection reset once", faults.Rule{Operation: "UploadPart", Times: 1, Action: faults.ResetConnection()}, "", 4},
		{"every part fails", faults.Rule{Operation: "UploadPart", Action: faults.ErrorCode("InternalError")}, "InternalError", -1},
		{"completion denied", faults.Rule{Operation: "CompleteMultipartUpload", Action: faults.ErrorCode("AccessDenied")}, "AccessDenied", 3},
		{"storage down for writes", faults.Rule{Service: "storage", Operation: "Write", Action: faults.ErrorCode("ServiceUnavailable")}, "ServiceUnavailable", -1},
	}
	srv := mocks3.New(t, mocks3.WithBucket("uploads"))
	client := srv.Client()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv.ResetRequests()
			srv.Faults().AddT(t, tt.rule)
			key := strings.ReplaceAll(tt.name, " ", "-")
			err := upload(t.Context(), client, "uploads", key, data)

			var ae smithy.APIError
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("upload = %v, want success", err)
			case tt.wantErr != "" && (!errors.As(err, &ae) || ae.ErrorCode() != tt.wantErr):
				t.Fatalf("upload = %v, want %s", err, tt.wantErr)
			}
			if tt.wantErr == "" {
				srv.CheckObject(t, "uploads", key, data)
			} else {
				srv.CheckNoObject(t, "uploads", key)
			}
			puts := 0
			for _, r := range srv.Requests() {
				if r.Operation == "UploadPart" {
					puts++
				}
			}
			if tt.wantPuts >= 0 && puts != tt.wantPuts {
				t.Errorf("UploadPart attempts = %d, want %d", puts, tt.wantPuts)
			}
		})
	}
}

// TestRetryAfterSlowDown: two SlowDowns, then success, and the journal shows
// the three attempts the SDK made.
func TestRetryAfterSlowDown(t *testing.T) {
	srv := mocks3.New(t, mocks3.WithBucket("bkt"),
		mocks3.WithFaults(faults.Rule{Operation: "PutObject", Times: 2, Action: faults.ErrorCode("SlowDown")}))
	_, err := srv.Client().PutObject(t.Context(), &s3.PutObjectInput{
		Bucket: aws.String("bkt"), Key: aws.String("k"), Body: strings.NewReader("hello"),
	})
	if err != nil {
		t.Fatalf("PutObject = %v, want success on the third attempt", err)
	}
	var got []string
	for _, r := range srv.Requests() {
		got = append(got, fmt.Sprintf("attempt %d: %d", r.Attempt, r.Status))
	}
	want := []string{"attempt 1: 503", "attempt 2: 503", "attempt 3: 200"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("journal = %v, want %v", got, want)
	}
}

// TestTruncatedDownloadIsCaught: a download cut short fails in the client
// instead of handing back a short file.
func TestTruncatedDownloadIsCaught(t *testing.T) {
	srv := mocks3.New(t, mocks3.WithBucket("bkt"),
		mocks3.WithFaults(faults.Rule{Operation: "GetObject", Action: faults.TruncateBody(4096)}))
	client := srv.Client()
	data := bytes.Repeat([]byte("x"), 64<<10)
	_, err := client.PutObject(t.Context(), &s3.PutObjectInput{Bucket: aws.String("bkt"), Key: aws.String("k"),
		Body: bytes.NewReader(data), ChecksumAlgorithm: types.ChecksumAlgorithmCrc32})
	if err != nil {
		t.Fatal(err)
	}
	out, err := client.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String("bkt"), Key: aws.String("k")})
	if err != nil {
		t.Fatal(err)
	}
	defer out.Body.Close()
	got, err := io.ReadAll(out.Body)
	if err == nil {
		t.Fatalf("read %d of %d bytes without an error, want the truncation reported", len(got), len(data))
	}
}

// TestSeededSoakRepeats runs a probabilistic soak twice with the same seed
// and gets the same failures in the same places.
func TestSeededSoakRepeats(t *testing.T) {
	soak := func() []string {
		srv := mocks3.New(t, mocks3.WithBucket("bkt"), mocks3.WithSeed(42),
			mocks3.WithFaults(faults.Rule{Probability: 0.2, Action: faults.ErrorCode("InternalError")}))
		client := srv.Client(func(o *s3.Options) { o.RetryMaxAttempts = 1 })
		var outcome []string
		for i := range 50 {
			_, err := client.PutObject(t.Context(), &s3.PutObjectInput{Bucket: aws.String("bkt"),
				Key: aws.String(fmt.Sprint(i)), Body: strings.NewReader("v")})
			outcome = append(outcome, fmt.Sprint(err == nil))
		}
		return outcome
	}
	first, second := soak(), soak()
	if fmt.Sprint(first) != fmt.Sprint(second) {
		t.Errorf("two runs with seed 42 differ:\n%v\n%v", first, second)
	}
	failed := strings.Count(fmt.Sprint(first), "false")
	if failed == 0 || failed == 50 {
		t.Errorf("%d of 50 requests failed, want some but not all", failed)
	}
}

// TestDelayFaultNeedsTime is the wall-clock version of the synctest example:
// a delay longer than the client's timeout makes the call time out.
func TestDelayFaultNeedsTime(t *testing.T) {
	srv := mocks3.New(t, mocks3.WithObject("bkt", "k", []byte("v")),
		mocks3.WithFaults(faults.Rule{Operation: "GetObject", Action: faults.Delay(time.Second)}))
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	_, err := srv.Client().GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("bkt"), Key: aws.String("k")})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("GetObject = %v, want context.DeadlineExceeded", err)
	}
}
