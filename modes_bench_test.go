package mocks3_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/mocks3/mocks3"
)

// BenchmarkModes compares a 1 KiB PutObject and GetObject through the SDK in
// embedded mode and in stack mode, where the gateway reaches each role over
// HTTP. Compare the two modes' ns/op in one run.
func BenchmarkModes(b *testing.B) {
	data := make([]byte, 1024)
	for _, mode := range []struct {
		name string
		opts []mocks3.Option
	}{
		{"embedded", nil},
		{"stack", []mocks3.Option{mocks3.WithStack()}},
	} {
		srv := mocks3.New(b, append(mode.opts, mocks3.WithObject("bkt", "k", data))...)
		client := srv.Client()
		b.Run(mode.name+"/put", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_, err := client.PutObject(b.Context(), &s3.PutObjectInput{Bucket: aws.String("bkt"), Key: aws.String("p"), Body: bytes.NewReader(data)})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(mode.name+"/get", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				out, err := client.GetObject(b.Context(), &s3.GetObjectInput{Bucket: aws.String("bkt"), Key: aws.String("k")})
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, out.Body)
				out.Body.Close()
			}
		})
	}
}
