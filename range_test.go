package mocks3_test

// Range reads:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html (Range, RFC 9110 section 14)
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html

import (
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/mocks3/mocks3"
)

func TestRanges(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		srv := newServer(t, mocks3.WithObject(testBucket, "digits", []byte("0123456789")), mocks3.WithObject(testBucket, "empty", nil))
		rec := newRecorder(t, srv)
		c := srv.Client(withHTTPClient(rec))
		ctx := t.Context()

		tests := []struct {
			name      string
			key       string
			rng       string
			wantBody  string
			wantRange string
		}{
			{name: "first bytes", key: "digits", rng: "bytes=0-4", wantBody: "01234", wantRange: "bytes 0-4/10"},
			{name: "middle", key: "digits", rng: "bytes=3-6", wantBody: "3456", wantRange: "bytes 3-6/10"},
			{name: "one byte", key: "digits", rng: "bytes=9-9", wantBody: "9", wantRange: "bytes 9-9/10"},
			{name: "open end", key: "digits", rng: "bytes=5-", wantBody: "56789", wantRange: "bytes 5-9/10"},
			{name: "suffix", key: "digits", rng: "bytes=-3", wantBody: "789", wantRange: "bytes 7-9/10"},
			{name: "suffix longer than object", key: "digits", rng: "bytes=-20", wantBody: "0123456789", wantRange: "bytes 0-9/10"},
			{name: "end past size", key: "digits", rng: "bytes=8-100", wantBody: "89", wantRange: "bytes 8-9/10"},
			{name: "start at size", key: "digits", rng: "bytes=10-20"},
			{name: "start past size", key: "digits", rng: "bytes=11-"},
			{name: "empty object", key: "empty", rng: "bytes=0-"},
		}
		for _, tt := range tests {
			t.Run("GetObject/"+tt.name, func(t *testing.T) {
				in := &s3.GetObjectInput{Bucket: aws.String(testBucket), Key: aws.String(tt.key), Range: aws.String(tt.rng)}
				if tt.wantBody == "" {
					checkErr(t, fmt.Sprintf("GetObject(%s)", tt.rng), getErr(ctx, c, in), "InvalidRange", 416)
					return
				}
				out, err := c.GetObject(ctx, in)
				if err != nil {
					t.Fatalf("GetObject(%s) = %v", tt.rng, err)
				}
				body, err := io.ReadAll(out.Body)
				out.Body.Close()
				if err != nil {
					t.Fatalf("GetObject(%s) body: %v", tt.rng, err)
				}
				if got := rec.Last().status; got != http.StatusPartialContent {
					t.Errorf("GetObject(%s) status = %d, want 206", tt.rng, got)
				}
				if string(body) != tt.wantBody {
					t.Errorf("GetObject(%s) body = %q, want %q", tt.rng, body, tt.wantBody)
				}
				if got := aws.ToString(out.ContentRange); got != tt.wantRange {
					t.Errorf("GetObject(%s).ContentRange = %q, want %q", tt.rng, got, tt.wantRange)
				}
				if got := aws.ToInt64(out.ContentLength); got != int64(len(tt.wantBody)) {
					t.Errorf("GetObject(%s).ContentLength = %d, want %d", tt.rng, got, len(tt.wantBody))
				}
			})
			t.Run("HeadObject/"+tt.name, func(t *testing.T) {
				out, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(testBucket), Key: aws.String(tt.key), Range: aws.String(tt.rng)})
				if tt.wantBody == "" {
					checkErr(t, fmt.Sprintf("HeadObject(%s)", tt.rng), err, "", 416)
					return
				}
				if err != nil {
					t.Fatalf("HeadObject(%s) = %v", tt.rng, err)
				}
				if got := rec.Last().status; got != http.StatusPartialContent {
					t.Errorf("HeadObject(%s) status = %d, want 206", tt.rng, got)
				}
				if got := aws.ToString(out.ContentRange); got != tt.wantRange {
					t.Errorf("HeadObject(%s).ContentRange = %q, want %q", tt.rng, got, tt.wantRange)
				}
				if got := aws.ToInt64(out.ContentLength); got != int64(len(tt.wantBody)) {
					t.Errorf("HeadObject(%s).ContentLength = %d, want %d", tt.rng, got, len(tt.wantBody))
				}
			})
		}
	})
}
