package examples_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/mocks3/mocks3"
	"github.com/mocks3/mocks3/faults"
)

// TestTimeoutWithoutWaiting runs server and client in a synctest bubble over
// the in-memory transport: a 30 s delay fault against a 5 s client timeout
// takes 5 s of the bubble's fake time and almost no real time.
func TestTimeoutWithoutWaiting(t *testing.T) {
	wallStart := time.Now()
	synctest.Test(t, func(t *testing.T) {
		srv := mocks3.New(t, mocks3.WithInMemoryTransport(), mocks3.WithObject("bkt", "k", []byte("v")),
			mocks3.WithFaults(faults.Rule{Operation: "GetObject", Action: faults.Delay(30 * time.Second)}))
		client := srv.Client()

		start := time.Now() // fake time inside the bubble
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		defer cancel()
		_, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("bkt"), Key: aws.String("k")})
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("GetObject = %v, want context.DeadlineExceeded", err)
		}
		if got := time.Since(start); got != 5*time.Second {
			t.Errorf("GetObject gave up after %v of fake time, want 5s", got)
		}
	})
	// Exactly 5 s of fake time already proves the bubble; the wall time is
	// for the reader.
	t.Logf("5s of fake time took %v of wall time", time.Since(wallStart))
}
