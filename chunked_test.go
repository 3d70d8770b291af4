package mocks3_test

// aws-chunked request bodies, signed and unsigned, with trailers:
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/mocks3/mocks3"
)

// TestAWSChunkedTrailer sends aws-chunked bodies by hand, as clients other
// than the Go SDK do: unsigned with a trailer, and signed chunks.
func TestAWSChunkedTrailer(t *testing.T) {
	data := []byte("hello, chunked world")
	crc := checksumOf(types.ChecksumAlgorithmCrc32, data)
	unsigned := func(trailer string) string {
		return fmt.Sprintf("%x\r\n%s\r\n0\r\nx-amz-checksum-crc32:%s\r\n\r\n", len(data), data, trailer)
	}
	fakeSig := strings.Repeat("0", 64)
	signed := fmt.Sprintf("%x;chunk-signature=%s\r\n%s\r\n%x;chunk-signature=%s\r\n%s\r\n0;chunk-signature=%s\r\n\r\n",
		5, fakeSig, data[:5], len(data)-5, fakeSig, data[5:], fakeSig)
	tests := []struct {
		name     string
		header   http.Header
		body     string
		wantCode string // "" for success
	}{
		{"unsigned trailer", http.Header{
			"X-Amz-Content-Sha256": {"STREAMING-UNSIGNED-PAYLOAD-TRAILER"}, "Content-Encoding": {"aws-chunked"},
			"X-Amz-Trailer": {"x-amz-checksum-crc32"}, "X-Amz-Decoded-Content-Length": {fmt.Sprint(len(data))},
		}, unsigned(crc), ""},
		{"unsigned wrong trailer", http.Header{
			"X-Amz-Content-Sha256": {"STREAMING-UNSIGNED-PAYLOAD-TRAILER"}, "Content-Encoding": {"aws-chunked"},
			"X-Amz-Trailer": {"x-amz-checksum-crc32"}, "X-Amz-Decoded-Content-Length": {fmt.Sprint(len(data))},
		}, unsigned(checksumOf(types.ChecksumAlgorithmCrc32, []byte("other"))), "BadDigest"},
		{"signed chunks", http.Header{
			"X-Amz-Content-Sha256": {"STREAMING-AWS4-HMAC-SHA256-PAYLOAD"}, "Content-Encoding": {"aws-chunked"},
			"X-Amz-Decoded-Content-Length": {fmt.Sprint(len(data))},
		}, signed, ""},
		{"decoded length too long", http.Header{
			"X-Amz-Content-Sha256": {"STREAMING-AWS4-HMAC-SHA256-PAYLOAD"}, "Content-Encoding": {"aws-chunked"},
			"X-Amz-Decoded-Content-Length": {fmt.Sprint(len(data) + 1)},
		}, signed, "IncompleteBody"},
	}
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		srv := newServer(t, mocks3.WithBucket(testBucket))
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				key := fmt.Sprintf("chunked-%d", i)
				resp, body := rawRequest(t, srv, "PUT", "/"+testBucket+"/"+key, tt.header, []byte(tt.body))
				if tt.wantCode == "" {
					if resp.StatusCode != 200 {
						t.Fatalf("PUT %s = %d %s, want 200", tt.name, resp.StatusCode, body)
					}
					if got := resp.Header.Get("ETag"); got != etagOf(data) {
						t.Errorf("PUT %s ETag = %s, want %s", tt.name, got, etagOf(data))
					}
					srv.CheckObject(t, testBucket, key, data)
					return
				}
				var e s3ErrorBody
				if err := xml.Unmarshal(body, &e); err != nil || e.Code != tt.wantCode || resp.StatusCode != 400 {
					t.Errorf("PUT %s = %d %s, want 400 %s", tt.name, resp.StatusCode, body, tt.wantCode)
				}
				srv.CheckNoObject(t, testBucket, key)
			})
		}
	})
}
