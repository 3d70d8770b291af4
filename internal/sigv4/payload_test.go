package sigv4

import (
	"bytes"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/mocks3/mocks3/internal/s3err"
)

// awsStreamingExample is the example of the S3 API Reference's
// "Signature Calculations for the Authorization Header: Transferring
// Payload in Multiple Chunks": 65 KiB of 'a' in chunks of 64 KiB and 1 KiB.
var awsStreamingExample = struct {
	secret, amzDate, scope, seed string
	chunks                       [][]byte
	signatures                   []string
}{
	secret:  "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
	amzDate: "20130524T000000Z",
	scope:   "20130524/us-east-1/s3/aws4_request",
	seed:    "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9",
	chunks:  [][]byte{bytes.Repeat([]byte("a"), 65536), bytes.Repeat([]byte("a"), 1024), nil},
	signatures: []string{
		"ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
		"0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
		"b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9",
	},
}

func exampleVerifier() *ChunkVerifier {
	ex := awsStreamingExample
	return newChunkVerifier(signingKey(ex.secret, "20130524", "us-east-1", "s3"), ex.amzDate, ex.scope, ex.seed, false)
}

// TestChunkVerifierAWSExample: the chunk signatures of AWS's own example
// verify, chained from the seed signature.
func TestChunkVerifierAWSExample(t *testing.T) {
	ex := awsStreamingExample
	c := exampleVerifier()
	for i, chunk := range ex.chunks {
		if err := c.BeginChunk(ex.signatures[i]); err != nil {
			t.Fatal(err)
		}
		c.Write(chunk)
		if err := c.EndChunk(); err != nil {
			t.Fatalf("chunk %d: EndChunk = %v, want success", i, err)
		}
	}
	if err := c.EndTrailers(""); err != nil {
		t.Fatalf("EndTrailers = %v", err)
	}
}

// TestChunkVerifierRefuses: a changed byte, a reordered chunk or a missing
// signature is SignatureDoesNotMatch.
func TestChunkVerifierRefuses(t *testing.T) {
	ex := awsStreamingExample
	tests := []struct {
		name string
		run  func(c *ChunkVerifier) error
	}{
		{"changed data", func(c *ChunkVerifier) error {
			c.BeginChunk(ex.signatures[0])
			c.Write(bytes.Repeat([]byte("b"), 65536))
			return c.EndChunk()
		}},
		{"second chunk first", func(c *ChunkVerifier) error {
			c.BeginChunk(ex.signatures[1])
			c.Write(ex.chunks[1])
			return c.EndChunk()
		}},
		{"no signature", func(c *ChunkVerifier) error { return c.BeginChunk("") }},
		{"end without begin", func(c *ChunkVerifier) error { return c.EndChunk() }},
		{"trailer without signature", func(c *ChunkVerifier) error {
			c.trailer = true
			c.Trailer("x-amz-checksum-crc32", "AAAAAA==")
			return c.EndTrailers("")
		}},
		{"trailer with wrong signature", func(c *ChunkVerifier) error {
			c.trailer = true
			c.Trailer("x-amz-checksum-crc32", "AAAAAA==")
			return c.EndTrailers(ex.seed)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkCode(t, tt.run(exampleVerifier()), s3err.SignatureDoesNotMatch, "")
		})
	}
}

// TestStreamingSeedAWSExample: the seed request of the same example
// verifies, and its chunks verify through the verifier Verify returns.
func TestStreamingSeedAWSExample(t *testing.T) {
	ex := awsStreamingExample
	r := httptest.NewRequest("PUT", "/examplebucket/chunkObject.txt", nil)
	r.Host = "s3.amazonaws.com"
	r.ContentLength = 66824
	for k, v := range map[string]string{
		"X-Amz-Date": ex.amzDate, "X-Amz-Storage-Class": "REDUCED_REDUNDANCY", "Content-Encoding": "aws-chunked",
		"X-Amz-Content-Sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "X-Amz-Decoded-Content-Length": "66560",
		"Content-Length": "66824",
		"Authorization": "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request," +
			"SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;" +
			"x-amz-decoded-content-length;x-amz-storage-class,Signature=" + ex.seed,
	} {
		r.Header.Set(k, v)
	}
	v := &Verifier{
		Now:    func() time.Time { return time.Date(2013, 5, 24, 0, 5, 0, 0, time.UTC) },
		Secret: func(string) (string, bool) { return ex.secret, true },
	}
	res, err := v.Verify(r)
	if err != nil {
		t.Fatalf("Verify = %v, want success", err)
	}
	if res.Chunks == nil || res.Chunks.trailer {
		t.Fatalf("Chunks = %+v, want a verifier without trailer", res.Chunks)
	}
	for i, chunk := range ex.chunks {
		res.Chunks.BeginChunk(ex.signatures[i])
		res.Chunks.Write(chunk)
		if err := res.Chunks.EndChunk(); err != nil {
			t.Fatalf("chunk %d: %v", i, err)
		}
	}
}
