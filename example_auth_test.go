package mocks3_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/mocks3/mocks3"
)

// With WithAuth the server verifies signatures as S3 does: a second user
// is denied the first user's bucket, and a presigned URL expires when the
// server's clock passes its X-Amz-Expires, without sleeping.
func ExampleWithAuth() {
	var now atomic.Int64
	now.Store(time.Now().UnixNano())
	srv, err := mocks3.NewServer(mocks3.WithAuth(), mocks3.WithBucket("private"),
		mocks3.WithClock(func() time.Time { return time.Unix(0, now.Load()) }),
		mocks3.WithUser("alice", "AKIDALICE", "alice-secret"),
		mocks3.WithUser("bob", "AKIDBOB", "bob-secret"))
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	ctx := context.Background()

	// Client signs as the first identity, alice, who owns "private".
	_, err = srv.ClientFor("bob").ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("private")})
	var ae smithy.APIError
	if errors.As(err, &ae) {
		fmt.Println("bob:", ae.ErrorCode())
	}

	req, err := s3.NewPresignClient(srv.Client()).PresignGetObject(ctx,
		&s3.GetObjectInput{Bucket: aws.String("private"), Key: aws.String("k")}, s3.WithPresignExpires(time.Hour))
	if err != nil {
		log.Fatal(err)
	}
	get := func() int {
		resp, err := srv.HTTPClient().Get(req.URL)
		if err != nil {
			log.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	fmt.Println("presigned:", get()) // signed and fresh: the object is missing
	now.Add(int64(2 * time.Hour))
	fmt.Println("two hours later:", get())
	// Output:
	// bob: AccessDenied
	// presigned: 404
	// two hours later: 403
}
