// Payload signing: x-amz-content-sha256 values, the SHA-256 of a body, and
// the chunk and trailer signatures of a streaming body
// (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html,
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html).

package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"
	"net/http"
	"strings"

	"github.com/mocks3/mocks3/internal/s3err"
)

// The x-amz-content-sha256 values that are not a hash.
const (
	unsignedPayload          = "UNSIGNED-PAYLOAD"
	streamingUnsignedTrailer = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
	streamingPayload         = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
	streamingPayloadTrailer  = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"
	streamingV4a             = "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD"
	streamingV4aTrailer      = "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER"
)

// checkPayloadHash accepts the values S3 takes in x-amz-content-sha256.
func checkPayloadHash(v string) error {
	switch v {
	case unsignedPayload, streamingUnsignedTrailer, streamingPayload, streamingPayloadTrailer:
		return nil
	case streamingV4a, streamingV4aTrailer:
		// Chunks signed with SigV4a go with a SigV4a seed signature,
		// which is not taken here.
		return authError(s3err.InvalidRequest, msgMechanism)
	}
	if isSHA256Hex(v) {
		return nil
	}
	return invalidArgument(msgBadSHA256, "x-amz-content-sha256", v)
}

func isSHA256Hex(v string) bool {
	if len(v) != 2*sha256.Size {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// armSHA256 makes r's body fail at EOF unless its SHA-256 is want. A body
// known to be empty is checked at once.
func armSHA256(r *http.Request, want string) error {
	want = strings.ToLower(want)
	if r.Body == nil || r.Body == http.NoBody || r.ContentLength == 0 {
		if want != emptySHA256 {
			return sha256Mismatch(want, emptySHA256)
		}
		return nil
	}
	r.Body = &sha256Reader{ReadCloser: r.Body, h: sha256.New(), want: want}
	return nil
}

// sha256Reader hashes a body as it is read and fails at its end with
// XAmzContentSHA256Mismatch if the hash is not the one the client signed.
// Nothing is buffered: the caller must not commit what it read before EOF.
type sha256Reader struct {
	io.ReadCloser
	h    hash.Hash
	want string
	err  error // sticky
}

func (s *sha256Reader) Read(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	n, err := s.ReadCloser.Read(p)
	s.h.Write(p[:n])
	if err == io.EOF {
		if got := hex.EncodeToString(s.h.Sum(nil)); got != s.want {
			err = sha256Mismatch(s.want, got)
		}
	}
	if err != nil {
		s.err = err
	}
	return n, err
}

// ChunkVerifier checks the signatures of a body sent as
// STREAMING-AWS4-HMAC-SHA256-PAYLOAD (each chunk) or
// STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER (each chunk, then the
// trailer section). An aws-chunked decoder drives it: BeginChunk at each
// chunk header, Write with the chunk's data, EndChunk after it (also for
// the final empty chunk), Trailer for each trailer, and EndTrailers at the
// end of the body. Errors are SignatureDoesNotMatch; a decoder must stop
// at the first one, before the body's end.
type ChunkVerifier struct {
	key     []byte
	amzDate string
	scope   string
	prev    string // the previous signature: the seed signature first
	trailer bool   // a signed trailer section ends the body
	h       hash.Hash
	sig     string // the signature the current chunk's header carries
	inChunk bool

	trailers []byte // "name:value\n" for each trailer, as signed
}

func newChunkVerifier(key []byte, amzDate, scope, seed string, trailer bool) *ChunkVerifier {
	return &ChunkVerifier{key: key, amzDate: amzDate, scope: scope, prev: seed, trailer: trailer, h: sha256.New()}
}

// BeginChunk starts a chunk whose header carries signature ("" when the
// header has no chunk-signature).
func (c *ChunkVerifier) BeginChunk(signature string) error {
	if signature == "" {
		return authError(s3err.SignatureDoesNotMatch, s3err.SignatureDoesNotMatch.Message())
	}
	c.h.Reset()
	c.sig, c.inChunk = signature, true
	return nil
}

// Write hashes chunk data. It never fails.
func (c *ChunkVerifier) Write(p []byte) (int, error) { return c.h.Write(p) }

// EndChunk checks the signature of the chunk just read.
func (c *ChunkVerifier) EndChunk() error {
	if !c.inChunk {
		return authError(s3err.SignatureDoesNotMatch, s3err.SignatureDoesNotMatch.Message())
	}
	c.inChunk = false
	toSign := "AWS4-HMAC-SHA256-PAYLOAD\n" + c.amzDate + "\n" + c.scope + "\n" + c.prev + "\n" +
		emptySHA256 + "\n" + hex.EncodeToString(c.h.Sum(nil))
	return c.check(toSign, c.sig)
}

// Trailer records one trailer of the trailer section, in the order sent;
// x-amz-trailer-signature is not one of them.
func (c *ChunkVerifier) Trailer(name, value string) {
	c.trailers = append(c.trailers, strings.ToLower(name)...)
	c.trailers = append(c.trailers, ':')
	c.trailers = append(c.trailers, value...)
	c.trailers = append(c.trailers, '\n')
}

// EndTrailers checks the trailer signature, when the body has one.
func (c *ChunkVerifier) EndTrailers(signature string) error {
	if !c.trailer {
		return nil
	}
	if signature == "" {
		return authError(s3err.SignatureDoesNotMatch, s3err.SignatureDoesNotMatch.Message())
	}
	toSign := "AWS4-HMAC-SHA256-TRAILER\n" + c.amzDate + "\n" + c.scope + "\n" + c.prev + "\n" + hexSHA256(c.trailers)
	return c.check(toSign, signature)
}

func (c *ChunkVerifier) check(toSign, provided string) error {
	want := hex.EncodeToString(hmacSHA256(c.key, toSign))
	if !hmac.Equal([]byte(want), []byte(provided)) {
		return chunkMismatch(toSign, provided)
	}
	c.prev = want
	return nil
}
