package examples_test

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"go.uber.org/goleak"

	"github.com/mocks3/mocks3"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestQuickStart is the ten-line test from the README.
func TestQuickStart(t *testing.T) {
	srv := mocks3.New(t, mocks3.WithBucket("photos"))
	client := srv.Client()
	_, err := client.PutObject(t.Context(), &s3.PutObjectInput{
		Bucket: aws.String("photos"), Key: aws.String("a.jpg"), Body: strings.NewReader("data"),
	})
	if err != nil {
		t.Fatal(err)
	}
	srv.CheckObject(t, "photos", "a.jpg", []byte("data"))
}

// Example shows a server started outside a test, as in TestMain.
func Example() {
	srv, err := mocks3.NewServer(mocks3.WithObject("docs", "hello.txt", []byte("Hello MockS3!")))
	if err != nil {
		panic(err)
	}
	defer srv.Close()

	out, err := srv.Client().GetObject(context.Background(), &s3.GetObjectInput{
		Bucket: aws.String("docs"), Key: aws.String("hello.txt"),
	})
	if err != nil {
		panic(err)
	}
	defer out.Body.Close()
	body, _ := io.ReadAll(out.Body)
	fmt.Println(string(body), aws.ToString(out.ETag))
	// Output: Hello MockS3! "3462cf0c3939cee8e9896998ecc67cda"
}
