package mocks3_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/mocks3/mocks3"
)

// A server outside a test, as in TestMain or a program: NewServer, then
// Close when done.
func ExampleNewServer() {
	srv, err := mocks3.NewServer(mocks3.WithBucket("docs"))
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	ctx := context.Background()
	client := srv.Client()
	_, err = client.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String("docs"), Key: aws.String("hello.txt"), Body: strings.NewReader("Hello, mocks3!"),
	})
	if err != nil {
		log.Fatal(err)
	}

	out, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("docs"), Key: aws.String("hello.txt")})
	if err != nil {
		log.Fatal(err)
	}
	defer out.Body.Close()
	body, err := io.ReadAll(out.Body)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s %s\n", body, aws.ToString(out.ETag))
	// Output: Hello, mocks3! "9bc9e25da1a15f39cd2c683afc5e982a"
}

// Client is an *s3.Client for the server with the SDK's defaults; listing
// pages through keys in UTF-8 byte order.
func ExampleServer_Client() {
	srv, err := mocks3.NewServer(
		mocks3.WithObject("photos", "2024/b.jpg", []byte("b")),
		mocks3.WithObject("photos", "2024/a.jpg", []byte("a")),
		mocks3.WithObject("photos", "2023/c.jpg", []byte("c")),
	)
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	p := s3.NewListObjectsV2Paginator(srv.Client(), &s3.ListObjectsV2Input{
		Bucket: aws.String("photos"), MaxKeys: aws.Int32(2),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			log.Fatal(err)
		}
		for _, o := range page.Contents {
			fmt.Println(aws.ToString(o.Key), aws.ToInt64(o.Size))
		}
	}
	// Output:
	// 2023/c.jpg 1
	// 2024/a.jpg 1
	// 2024/b.jpg 1
}

// WithTLS serves HTTPS; the client trusts the server's test certificate.
func ExampleWithTLS() {
	srv, err := mocks3.NewServer(mocks3.WithTLS(), mocks3.WithBucket("secure"))
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	ctx := context.Background()
	client := srv.Client()
	if _, err := client.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String("secure"), Key: aws.String("k"), Body: strings.NewReader("over TLS"),
	}); err != nil {
		log.Fatal(err)
	}
	data, err := srv.GetObject("secure", "k")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(strings.HasPrefix(srv.URL, "https://"), string(data))
	// Output: true over TLS
}

// WithClock makes LastModified deterministic.
func ExampleWithClock() {
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	srv, err := mocks3.NewServer(mocks3.WithClock(func() time.Time { return now }), mocks3.WithObject("clocked", "k", []byte("x")))
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	out, err := srv.Client().HeadObject(context.Background(), &s3.HeadObjectInput{Bucket: aws.String("clocked"), Key: aws.String("k")})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(out.LastModified.Format(time.RFC3339))
	// Output: 2025-01-02T03:04:05Z
}

// Server.PutObject and Server.Keys seed and inspect without a client.
func ExampleServer_Keys() {
	srv, err := mocks3.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	for _, k := range []string{"logs/2", "logs/1", "data"} {
		if err := srv.PutObject("bucket", k, []byte(k)); err != nil {
			log.Fatal(err)
		}
	}
	keys, err := srv.Keys("bucket", "logs/")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(keys)
	// Output: [logs/1 logs/2]
}
