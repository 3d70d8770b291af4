// aws-chunked request bodies, as S3 clients send them with
// Content-Encoding: aws-chunked:
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html

package gateway

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// errMalformedChunk wraps every framing error in an aws-chunked body.
var errMalformedChunk = errors.New("malformed aws-chunked body")

// errIncompleteBody is the framing error for a body that ends before its
// final chunk and trailer section. It wraps errMalformedChunk, so a handler
// that tells the two apart must test for errIncompleteBody first.
var errIncompleteBody = fmt.Errorf("%w: body ended early", errMalformedChunk)

const (
	// chunkLineMax bounds one chunk-size line ("hex-size;ext=val\r\n") and
	// one trailer line. A signed header is about 90 bytes.
	chunkLineMax = 4 << 10
	// chunkTrailerMax bounds the whole trailer section.
	chunkTrailerMax = 16 << 10
	// chunkSignatureLen is the length of a SigV4 chunk-signature (hex
	// HMAC-SHA256); chunkSignatureV4aLen that of a padded SigV4a one.
	chunkSignatureLen    = 64
	chunkSignatureV4aLen = 144
)

type chunkState uint8

const (
	chunkStateHeader  chunkState = iota // expecting a chunk-size line
	chunkStateData                      // inside chunk data; remaining > 0
	chunkStateDataEnd                   // expecting the CRLF after chunk data
	chunkStateTrailer                   // after the final chunk: trailer lines
)

// chunkedReader decodes an aws-chunked body, signed
// ("hex-size;chunk-signature=<64 hex>\r\n") or unsigned ("hex-size\r\n").
// Signatures are verified when verify is set. After the final zero-size
// chunk it reads the trailer section ("name:value" lines, then an empty
// line), which Trailer serves once Read has returned io.EOF.
//
// Errors are sticky. Framing errors wrap errMalformedChunk (errIncompleteBody
// for a premature end); errors of the underlying reader are returned as they
// are.
type chunkedReader struct {
	br        *bufio.Reader
	state     chunkState
	remaining int64 // data bytes left in the current chunk
	err       error // sticky; io.EOF once the body is fully decoded

	trailers     map[string]string // lower-case name → value
	trailerBytes int               // bytes of the trailer section so far
	lastBlank    bool              // the last trailer-section line was empty

	// verify, if set, checks the chunk and trailer signatures as the body
	// is decoded; its errors end the body before io.EOF, so nothing
	// unverified is ever committed.
	verify chunkVerifier
}

// chunkVerifier checks the signatures of a signed aws-chunked body
// (*sigv4.ChunkVerifier): BeginChunk at each chunk header, Write with the
// chunk's data, EndChunk after it, Trailer per trailer, EndTrailers last.
type chunkVerifier interface {
	BeginChunk(signature string) error
	Write(p []byte) (int, error)
	EndChunk() error
	Trailer(name, value string)
	EndTrailers(signature string) error
}

// trailerSignature is the trailer that signs the trailer section.
const trailerSignature = "x-amz-trailer-signature"

func newChunkedReader(r io.Reader) *chunkedReader {
	return &chunkedReader{br: bufio.NewReaderSize(r, chunkLineMax)}
}

// Trailer returns the value of the trailer name (any case), or "" if it was
// absent or the body has not been read to io.EOF.
func (cr *chunkedReader) Trailer(name string) string {
	if cr.err != io.EOF {
		return ""
	}
	return cr.trailers[strings.ToLower(name)]
}

// Read reads decoded chunk data. It blocks on the underlying reader only
// while it has nothing to return: framing that is not yet buffered is left
// for the next call.
func (cr *chunkedReader) Read(p []byte) (n int, err error) {
	for cr.err == nil && n < len(p) {
		switch cr.state {
		case chunkStateData:
			if n > 0 && cr.br.Buffered() == 0 {
				return n, nil
			}
			q := p[n:]
			if int64(len(q)) > cr.remaining {
				q = q[:cr.remaining]
			}
			// With an empty buffer and a large q, bufio reads straight
			// into q.
			m, rerr := cr.br.Read(q)
			if cr.verify != nil {
				cr.verify.Write(q[:m])
			}
			n += m
			cr.remaining -= int64(m)
			if cr.remaining == 0 {
				cr.state = chunkStateDataEnd
			}
			if rerr != nil {
				cr.err = cr.eof(rerr, "in chunk data")
			} else if m == 0 {
				return n, nil // no progress; don't spin on the source
			}
		case chunkStateDataEnd:
			if n > 0 && cr.br.Buffered() < 2 {
				return n, nil
			}
			cr.err = cr.readDataEnd()
		case chunkStateHeader:
			if n > 0 && !cr.lineBuffered() {
				return n, nil
			}
			cr.err = cr.readHeader()
		case chunkStateTrailer:
			if n > 0 && !cr.lineBuffered() {
				return n, nil
			}
			cr.err = cr.readTrailerLine()
		}
	}
	return n, cr.err
}

// eof turns an end of input inside the body into errIncompleteBody.
func (cr *chunkedReader) eof(err error, where string) error {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return fmt.Errorf("%w %s", errIncompleteBody, where)
	}
	return err
}

func (cr *chunkedReader) lineBuffered() bool {
	b, _ := cr.br.Peek(cr.br.Buffered())
	return bytes.IndexByte(b, '\n') >= 0
}

// readLine returns the next line without its terminator. Lines end in CRLF;
// bare LF is accepted only when lf is set. A final partial line is returned
// with io.EOF.
func (cr *chunkedReader) readLine(lf bool) ([]byte, error) {
	line, err := cr.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull || len(line) > chunkLineMax {
		return nil, fmt.Errorf("%w: line longer than %d bytes", errMalformedChunk, chunkLineMax)
	}
	if err != nil {
		return line, err
	}
	line = line[:len(line)-1]
	if len(line) > 0 && line[len(line)-1] == '\r' {
		line = line[:len(line)-1]
	} else if !lf {
		return nil, fmt.Errorf("%w: line not terminated by CRLF", errMalformedChunk)
	}
	return line, nil
}

func (cr *chunkedReader) readDataEnd() error {
	crlf, err := cr.br.Peek(2)
	if len(crlf) > 0 && crlf[0] != '\r' || len(crlf) > 1 && crlf[1] != '\n' {
		return fmt.Errorf("%w: chunk data not followed by CRLF", errMalformedChunk)
	}
	if err != nil {
		return cr.eof(err, "after chunk data")
	}
	cr.br.Discard(2)
	cr.state = chunkStateHeader
	if cr.verify != nil {
		return cr.verify.EndChunk()
	}
	return nil
}

// readHeader parses "hex-size[;name=value]...". The only extension S3
// defines is chunk-signature; others are ignored, as RFC 9112 §7.1.1 asks.
func (cr *chunkedReader) readHeader() error {
	line, err := cr.readLine(false)
	if err != nil {
		return cr.eof(err, "in chunk header")
	}
	size, ext, _ := bytes.Cut(line, []byte{';'})
	n, err := parseChunkSize(size)
	if err != nil {
		return err
	}
	if err := checkChunkExtensions(ext); err != nil {
		return err
	}
	if cr.verify != nil {
		if err := cr.verify.BeginChunk(chunkSignature(ext)); err != nil {
			return err
		}
	}
	if n == 0 {
		cr.state = chunkStateTrailer
		if cr.verify != nil {
			return cr.verify.EndChunk()
		}
		return nil
	}
	cr.remaining = n
	cr.state = chunkStateData
	return nil
}

func parseChunkSize(b []byte) (int64, error) {
	if len(b) == 0 {
		return 0, fmt.Errorf("%w: empty chunk size", errMalformedChunk)
	}
	var n int64
	for _, c := range b {
		var d byte
		switch {
		case '0' <= c && c <= '9':
			d = c - '0'
		case 'a' <= c && c <= 'f':
			d = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, fmt.Errorf("%w: invalid chunk size %q", errMalformedChunk, b)
		}
		if n > (1<<63-1)>>4 {
			return 0, fmt.Errorf("%w: chunk size %q overflows", errMalformedChunk, b)
		}
		n = n<<4 | int64(d)
	}
	return n, nil
}

// checkChunkExtensions validates the text after the first ';' of a chunk
// header: name[=value] pairs separated by ';', with a well-formed
// chunk-signature if one is present. Quoted values are not supported; no S3
// client sends them.
func checkChunkExtensions(ext []byte) error {
	if ext == nil {
		return nil
	}
	for more := true; more; {
		var e []byte
		e, ext, more = bytes.Cut(ext, []byte{';'})
		name, value, hasValue := bytes.Cut(e, []byte{'='})
		if !isChunkToken(name) || hasValue && !isChunkToken(value) {
			return fmt.Errorf("%w: invalid chunk extension %q", errMalformedChunk, e)
		}
		if string(name) == "chunk-signature" && !isChunkSignature(value) {
			return fmt.Errorf("%w: invalid chunk-signature %q", errMalformedChunk, value)
		}
	}
	return nil
}

// chunkSignature returns the value of the chunk-signature extension of a
// checked extension list, or "".
func chunkSignature(ext []byte) string {
	for more := true; more; {
		var e []byte
		e, ext, more = bytes.Cut(ext, []byte{';'})
		if name, value, ok := bytes.Cut(e, []byte{'='}); ok && string(name) == "chunk-signature" {
			return string(value)
		}
	}
	return ""
}

// isChunkSignature accepts a SigV4 signature (64 lower-case hex digits) and
// a SigV4a one (hex DER padded with '*' to 144 bytes).
func isChunkSignature(b []byte) bool {
	if len(b) != chunkSignatureLen && len(b) != chunkSignatureV4aLen {
		return false
	}
	hex := bytes.TrimRight(b, "*")
	if len(hex) == 0 || len(hex) < len(b) && len(b) != chunkSignatureV4aLen {
		return false
	}
	for _, c := range hex {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// readTrailerLine reads one line of the trailer section. The section is
// "name:value" lines and ends with an empty line at the end of the body.
// Lines may end in a bare LF and empty lines may come between trailers,
// because minio-go writes "name:value\n\r\n" and, when signing,
// "name:value\n\r\nx-amz-trailer-signature:...\r\n\r\n".
func (cr *chunkedReader) readTrailerLine() error {
	line, err := cr.readLine(true)
	if err == io.EOF && len(line) == 0 && cr.lastBlank {
		if cr.verify != nil {
			if err := cr.verify.EndTrailers(cr.trailers[trailerSignature]); err != nil {
				return err
			}
		}
		return io.EOF // the whole body is decoded
	}
	if err != nil {
		return cr.eof(err, "in trailer section")
	}
	cr.trailerBytes += len(line) + 2
	if cr.trailerBytes > chunkTrailerMax {
		return fmt.Errorf("%w: trailer section longer than %d bytes", errMalformedChunk, chunkTrailerMax)
	}
	cr.lastBlank = len(line) == 0
	if cr.lastBlank {
		return nil
	}
	name, value, ok := bytes.Cut(line, []byte{':'})
	if !ok || len(name) == 0 || !isChunkToken(name) {
		return fmt.Errorf("%w: invalid trailer %q", errMalformedChunk, line)
	}
	value = bytes.Trim(value, " \t")
	for _, c := range value {
		if c < ' ' && c != '\t' || c == 0x7f {
			return fmt.Errorf("%w: invalid trailer %q", errMalformedChunk, line)
		}
	}
	key := strings.ToLower(string(name))
	if _, dup := cr.trailers[key]; dup {
		return fmt.Errorf("%w: duplicate trailer %q", errMalformedChunk, key)
	}
	if cr.trailers == nil {
		cr.trailers = make(map[string]string, 2)
	}
	cr.trailers[key] = string(value)
	if cr.verify != nil && key != trailerSignature {
		cr.verify.Trailer(key, string(value))
	}
	return nil
}

// isChunkToken reports whether b is an RFC 9110 token.
func isChunkToken(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}
