package gateway

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/google/go-cmp/cmp"

	"github.com/mocks3/mocks3/internal/suitetest"
)

// Chunk signatures as clients send them (these are from the AWS
// sigv4-streaming examples); the reader does not verify them.
const (
	sig1 = "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648"
	sig2 = "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497"
	sig3 = "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9"
	sig4 = "63bddb248ad2590c92712055f51b8e78ab024eead08276b24f010b0efd74843f"
)

// awsChunked frames data as clients do: chunks of chunkSize bytes with
// unsigned ("hex\r\n") or signed ("hex;chunk-signature=...\r\n") headers,
// the final zero-size chunk, then trailer, the raw trailer section.
func awsChunked(data []byte, chunkSize int, signed bool, trailer string) string {
	var b strings.Builder
	header := func(n int) {
		b.WriteString(strconv.FormatInt(int64(n), 16))
		if signed {
			b.WriteString(";chunk-signature=" + sig1)
		}
		b.WriteString("\r\n")
	}
	for len(data) > 0 {
		n := min(chunkSize, len(data))
		header(n)
		b.Write(data[:n])
		b.WriteString("\r\n")
		data = data[n:]
	}
	header(0)
	b.WriteString(trailer)
	return b.String()
}

type validChunkedBody struct {
	name     string
	body     string
	want     string
	trailers map[string]string
}

func validChunkedBodies() []validChunkedBody {
	big := suitetest.Content(1, 64<<10*3+123)
	return []validChunkedBody{
		{
			name:     "SDK single chunk with CRC32 trailer",
			body:     "d\r\nHello MockS3!\r\n0\r\nx-amz-checksum-crc32:i4HiUA==\r\n\r\n",
			want:     "Hello MockS3!",
			trailers: map[string]string{"x-amz-checksum-crc32": "i4HiUA=="},
		},
		{
			name: "no trailer section",
			body: "d\r\nHello MockS3!\r\n0\r\n\r\n",
			want: "Hello MockS3!",
		},
		{
			name:     "empty payload with trailer",
			body:     "0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n",
			want:     "",
			trailers: map[string]string{"x-amz-checksum-crc32": "AAAAAA=="},
		},
		{
			name: "empty payload without trailer",
			body: "0\r\n\r\n",
			want: "",
		},
		{
			name: "signed chunks without trailer",
			body: "d;chunk-signature=" + sig1 + "\r\nHello MockS3!\r\n" +
				"0;chunk-signature=" + sig2 + "\r\n\r\n",
			want: "Hello MockS3!",
		},
		{
			name: "signed chunks with signed trailer",
			body: "6;chunk-signature=" + sig1 + "\r\nHello \r\n" +
				"7;chunk-signature=" + sig2 + "\r\nMockS3!\r\n" +
				"0;chunk-signature=" + sig3 + "\r\n" +
				"x-amz-checksum-crc32c:TxDXTg==\r\n" +
				"x-amz-trailer-signature:" + sig4 + "\r\n\r\n",
			want: "Hello MockS3!",
			trailers: map[string]string{
				"x-amz-checksum-crc32c":   "TxDXTg==",
				"x-amz-trailer-signature": sig4,
			},
		},
		{
			// minio-go's StreamingReader ends trailers with a bare LF.
			name: "minio-go signed trailer",
			body: "d;chunk-signature=" + sig1 + "\r\nHello MockS3!\r\n" +
				"0;chunk-signature=" + sig2 + "\r\n" +
				"x-amz-checksum-crc32c:TxDXTg==\n\r\n" +
				"x-amz-trailer-signature:" + sig3 + "\r\n\r\n",
			want: "Hello MockS3!",
			trailers: map[string]string{
				"x-amz-checksum-crc32c":   "TxDXTg==",
				"x-amz-trailer-signature": sig3,
			},
		},
		{
			// minio-go's StreamingUSReader (anonymous uploads).
			name:     "minio-go unsigned trailer",
			body:     "d\r\nHello MockS3!\r\n0\r\nx-amz-checksum-crc32c:TxDXTg==\n\r\n\r\n",
			want:     "Hello MockS3!",
			trailers: map[string]string{"x-amz-checksum-crc32c": "TxDXTg=="},
		},
		{
			// The end of a body minio-go v7.2.1 sent (signed, over http).
			name: "minio-go signed trailer as captured",
			body: "3;chunk-signature=" + sig1 + "\r\nabc\r\n" +
				"0;chunk-signature=8084d91a90d43ebcc34f403804b5e6501dafece63e6aa8656b29b617248c8923\r\n" +
				"x-amz-checksum-crc32c:mWX2aA==\n\r\n" +
				"x-amz-trailer-signature:4dcff04a7c1cc00a42e24ef6eb21d54195f4eaf0149f069be2c16d89718b0694\r\n\r\n",
			want: "abc",
			trailers: map[string]string{
				"x-amz-checksum-crc32c":   "mWX2aA==",
				"x-amz-trailer-signature": "4dcff04a7c1cc00a42e24ef6eb21d54195f4eaf0149f069be2c16d89718b0694",
			},
		},
		{
			// The end of a body minio-go v7.2.1 sent (anonymous).
			name:     "minio-go unsigned trailer as captured",
			body:     "3\r\nabc\r\n0\r\nx-amz-checksum-crc32c:mWX2aA==\n\r\n\r\n",
			want:     "abc",
			trailers: map[string]string{"x-amz-checksum-crc32c": "mWX2aA=="},
		},
		{
			name:     "upper-case hex and leading zeros",
			body:     "000D\r\nHello MockS3!\r\n00\r\n\r\n",
			want:     "Hello MockS3!",
			trailers: nil,
		},
		{
			name:     "trailer name case and value whitespace",
			body:     "d\r\nHello MockS3!\r\n0\r\nX-Amz-Checksum-CRC32: \ti4HiUA== \r\n\r\n",
			want:     "Hello MockS3!",
			trailers: map[string]string{"x-amz-checksum-crc32": "i4HiUA=="},
		},
		{
			name: "unknown and valueless chunk extensions",
			body: "d;foo=bar;chunk-signature=" + sig1 + ";baz\r\nHello MockS3!\r\n0;x=y\r\n\r\n",
			want: "Hello MockS3!",
		},
		{
			name: "SigV4a signature padded with '*'",
			body: "d;chunk-signature=" + sig1 + strings.Repeat("*", 80) + "\r\nHello MockS3!\r\n0\r\n\r\n",
			want: "Hello MockS3!",
		},
		{
			name:     "64 KiB unsigned chunks",
			body:     awsChunked(big, 64<<10, false, "x-amz-checksum-crc32:AAAAAA==\r\n\r\n"),
			want:     string(big),
			trailers: map[string]string{"x-amz-checksum-crc32": "AAAAAA=="},
		},
		{
			name: "64 KiB signed chunks",
			body: awsChunked(big, 64<<10, true, "\r\n"),
			want: string(big),
		},
		{
			name: "many small chunks",
			body: awsChunked(big[:5000], 7, false, "\r\n"),
			want: string(big[:5000]),
		},
	}
}

func TestChunkedReader(t *testing.T) {
	sources := []struct {
		name string
		wrap func(io.Reader) io.Reader
	}{
		{"whole", func(r io.Reader) io.Reader { return r }},
		{"one byte", iotest.OneByteReader},
		{"half", iotest.HalfReader},
		{"data with EOF", iotest.DataErrReader},
	}
	for _, tt := range validChunkedBodies() {
		for _, src := range sources {
			t.Run(tt.name+"/"+src.name, func(t *testing.T) {
				cr := newChunkedReader(src.wrap(strings.NewReader(tt.body)))
				got, err := io.ReadAll(cr)
				if err != nil {
					t.Fatalf("ReadAll(newChunkedReader(%.60q)) error = %v", tt.body, err)
				}
				if string(got) != tt.want {
					t.Errorf("ReadAll(newChunkedReader(%.60q)) = %.60q (%d bytes), want %.60q (%d bytes)",
						tt.body, got, len(got), tt.want, len(tt.want))
				}
				if diff := cmp.Diff(tt.trailers, cr.trailers); diff != "" {
					t.Errorf("trailers of %.60q (-want +got):\n%s", tt.body, diff)
				}
				for name, want := range tt.trailers {
					if got := cr.Trailer(strings.ToUpper(name)); got != want {
						t.Errorf("Trailer(%q) = %q, want %q", strings.ToUpper(name), got, want)
					}
				}
				if got := cr.Trailer("x-amz-absent"); got != "" {
					t.Errorf("Trailer(%q) = %q, want \"\"", "x-amz-absent", got)
				}
			})
		}
		t.Run(tt.name+"/iotest", func(t *testing.T) {
			if err := iotest.TestReader(newChunkedReader(strings.NewReader(tt.body)), []byte(tt.want)); err != nil {
				t.Error(err)
			}
		})
	}
}

type invalidChunkedBody struct {
	name string
	body string
	want error // errIncompleteBody or errMalformedChunk
}

func invalidChunkedBodies() []invalidChunkedBody {
	return []invalidChunkedBody{
		{"empty body", "", errIncompleteBody},
		{"end in chunk size", "d", errIncompleteBody},
		{"end in chunk data", "d\r\nHello", errIncompleteBody},
		{"end before data CRLF", "d\r\nHello MockS3!", errIncompleteBody},
		{"end in data CRLF", "d\r\nHello MockS3!\r", errIncompleteBody},
		{"no final chunk", "d\r\nHello MockS3!\r\n", errIncompleteBody},
		{"end after final chunk", "d\r\nHello MockS3!\r\n0\r\n", errIncompleteBody},
		{"end in trailer", "0\r\nx-amz-checksum-crc32:AAAA", errIncompleteBody},
		{"no empty line after trailer", "0\r\nx-amz-checksum-crc32:AAAAAA==\r\n", errIncompleteBody},
		{"end in signed header", "d;chunk-signature=" + sig1[:10], errIncompleteBody},
		{"data longer than size", "d\r\nHello MockS3!!\r\n0\r\n\r\n", errMalformedChunk},
		{"data shorter than size", "e\r\nHello MockS3!\r\n0\r\n\r\n", errMalformedChunk},
		{"bare LF after size", "d\nHello MockS3!\r\n0\r\n\r\n", errMalformedChunk},
		{"bare LF after final size", "d\r\nHello MockS3!\r\n0\n\r\n", errMalformedChunk},
		{"bare CR after size", "d\rHello MockS3!\r\n0\r\n\r\n", errMalformedChunk},
		{"empty size", "\r\nHello\r\n0\r\n\r\n", errMalformedChunk},
		{"non-hex size", "z\r\n", errMalformedChunk},
		{"negative size", "-1\r\n", errMalformedChunk},
		{"space before size", " d\r\nHello MockS3!\r\n0\r\n\r\n", errMalformedChunk},
		{"space after size", "d \r\nHello MockS3!\r\n0\r\n\r\n", errMalformedChunk},
		{"size 2^63", "8000000000000000\r\n", errMalformedChunk},
		{"size 2^64", "10000000000000000\r\n", errMalformedChunk},
		{"size line too long", "d;x=" + strings.Repeat("y", chunkLineMax) + "\r\nHello MockS3!\r\n0\r\n\r\n", errMalformedChunk},
		{"empty extension", "d;\r\nHello MockS3!\r\n0\r\n\r\n", errMalformedChunk},
		{"extension without name", "d;=x\r\nHello MockS3!\r\n0\r\n\r\n", errMalformedChunk},
		{"short signature", "d;chunk-signature=abc\r\nHello MockS3!\r\n0\r\n\r\n", errMalformedChunk},
		{"upper-case signature", "d;chunk-signature=" + strings.ToUpper(sig1) + "\r\nHello MockS3!\r\n0\r\n\r\n", errMalformedChunk},
		{"long signature", "d;chunk-signature=" + sig1 + "0\r\nHello MockS3!\r\n0\r\n\r\n", errMalformedChunk},
		{"empty signature", "d;chunk-signature=\r\nHello MockS3!\r\n0\r\n\r\n", errMalformedChunk},
		{"trailer without colon", "0\r\nx-amz-checksum-crc32\r\n\r\n", errMalformedChunk},
		{"trailer without name", "0\r\n:AAAAAA==\r\n\r\n", errMalformedChunk},
		{"trailer name with space", "0\r\nx-amz checksum:AAAAAA==\r\n\r\n", errMalformedChunk},
		{"trailer value with control", "0\r\nx-amz-checksum-crc32:AA\x00AAA==\r\n\r\n", errMalformedChunk},
		{"duplicate trailer", "0\r\nx-amz-checksum-crc32:AAAAAA==\r\nX-Amz-Checksum-Crc32:AAAAAA==\r\n\r\n", errMalformedChunk},
		{"trailer section too long", "0\r\n" + strings.Repeat("x-amz-meta-a:"+strings.Repeat("b", 1000)+"\r\n\r\n", 17), errMalformedChunk},
		{"trailer line too long", "0\r\nx-amz-meta-a:" + strings.Repeat("b", chunkLineMax) + "\r\n\r\n", errMalformedChunk},
		{"chunk after final chunk", "0\r\n\r\n5\r\nhello\r\n0\r\n\r\n", errMalformedChunk},
	}
}

func TestChunkedReaderErrors(t *testing.T) {
	for _, tt := range invalidChunkedBodies() {
		t.Run(tt.name, func(t *testing.T) {
			cr := newChunkedReader(strings.NewReader(tt.body))
			_, err := io.ReadAll(cr)
			if !errors.Is(err, tt.want) {
				t.Fatalf("ReadAll(newChunkedReader(%.60q)) error = %v, want %v", tt.body, err, tt.want)
			}
			if tt.want == errMalformedChunk && errors.Is(err, errIncompleteBody) {
				t.Errorf("ReadAll(newChunkedReader(%.60q)) error = %v, want not %v", tt.body, err, errIncompleteBody)
			}
			if n, again := cr.Read(make([]byte, 10)); n != 0 || again != err {
				t.Errorf("Read after error = %d, %v, want 0, %v", n, again, err)
			}
			if got := cr.Trailer("x-amz-checksum-crc32"); got != "" {
				t.Errorf("Trailer after error = %q, want \"\"", got)
			}
		})
	}
}

func TestChunkedReaderTrailerBeforeEOF(t *testing.T) {
	body := "d\r\nHello MockS3!\r\n0\r\nx-amz-checksum-crc32:i4HiUA==\r\n\r\n"
	cr := newChunkedReader(strings.NewReader(body))
	buf := make([]byte, len("Hello MockS3!"))
	if _, err := io.ReadFull(cr, buf); err != nil {
		t.Fatalf("ReadFull: %v", err)
	}
	if got := cr.Trailer("x-amz-checksum-crc32"); got != "" {
		t.Errorf("Trailer before EOF = %q, want \"\"", got)
	}
	if n, err := cr.Read(buf); n != 0 || err != io.EOF {
		t.Fatalf("Read at end = %d, %v, want 0, EOF", n, err)
	}
	if got, want := cr.Trailer("x-amz-checksum-crc32"), "i4HiUA=="; got != want {
		t.Errorf("Trailer after EOF = %q, want %q", got, want)
	}
}

func TestChunkedReaderSourceError(t *testing.T) {
	boom := errors.New("connection reset")
	src := io.MultiReader(strings.NewReader("d\r\nHello"), iotest.ErrReader(boom))
	got, err := io.ReadAll(newChunkedReader(src))
	if !errors.Is(err, boom) || errors.Is(err, errMalformedChunk) {
		t.Errorf("ReadAll = %q, %v, want %v unwrapped", got, err, boom)
	}
	if string(got) != "Hello" {
		t.Errorf("ReadAll = %q, want %q before the error", got, "Hello")
	}
}

// countingReader counts the reads made of it.
type countingReader struct {
	r     io.Reader
	reads int
}

func (c *countingReader) Read(p []byte) (int, error) {
	c.reads++
	return c.r.Read(p)
}

func TestChunkedReaderLargeReadsPassThrough(t *testing.T) {
	data := suitetest.Content(2, 1<<20)
	src := &countingReader{r: strings.NewReader(awsChunked(data, len(data), false, "\r\n"))}
	got, err := io.ReadAll(io.LimitReader(newChunkedReader(src), 1<<30)) // hide WriterTo
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("ReadAll = %d bytes, %v, want %d bytes", len(got), err, len(data))
	}
	// io.ReadAll reads into ever larger buffers; reads straight into them
	// take a few dozen source reads, buffering 4 KiB at a time 256.
	if src.reads > 64 {
		t.Errorf("decoding a 1 MiB chunk made %d source reads, want at most 64", src.reads)
	}
}

func TestChunkedReaderAllocsDoNotGrowWithChunks(t *testing.T) {
	data := suitetest.Content(3, 256<<10)
	allocs := func(chunkSize int) float64 {
		body := awsChunked(data, chunkSize, true, "x-amz-checksum-crc32:AAAAAA==\r\n\r\n")
		buf := make([]byte, 32<<10)
		return testing.AllocsPerRun(20, func() {
			cr := newChunkedReader(strings.NewReader(body))
			for {
				if _, err := cr.Read(buf); err != nil {
					if err != io.EOF {
						t.Fatal(err)
					}
					return
				}
			}
		})
	}
	one, many := allocs(len(data)), allocs(1<<10)
	if many > one {
		t.Errorf("allocations decoding 256 chunks = %v, one chunk = %v; want no per-chunk allocation", many, one)
	}
}

// TestChunkedReaderSDK decodes what the AWS SDK's own aws-chunked encoder
// sends: PutObject over TLS with a trailing checksum, in one chunk when the
// length is known and in 64 KiB chunks when it is not. The SDK computes the
// trailing checksum, so this also checks newHash against the SDK.
func TestChunkedReaderSDK(t *testing.T) {
	data := suitetest.Content(4, 200<<10+17)

	type result struct {
		header  http.Header
		raw     []byte
		body    []byte
		trailer string
		err     error
	}
	results := make(chan result, 1)
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var raw bytes.Buffer
		cr := newChunkedReader(io.TeeReader(r.Body, &raw))
		body, err := io.ReadAll(cr)
		results <- result{
			header:  r.Header.Clone(),
			raw:     raw.Bytes(),
			body:    body,
			trailer: cr.Trailer(r.Header.Get("X-Amz-Trailer")),
			err:     err,
		}
	}))
	t.Cleanup(srv.Close)

	client := s3.New(s3.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(srv.URL),
		UsePathStyle: true,
		HTTPClient:   srv.Client(),
		Credentials: aws.CredentialsProviderFunc(func(ctx context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "AKID", SecretAccessKey: "SECRET"}, nil
		}),
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenSupported,
		Retryer:                    aws.NopRetryer{},
	})

	tests := []struct {
		name       string
		alg        types.ChecksumAlgorithm
		want       checksumAlgorithm
		unseekable bool
	}{
		{name: "default CRC32", want: checksumCRC32},
		{name: "CRC32C", alg: types.ChecksumAlgorithmCrc32c, want: checksumCRC32C},
		{name: "CRC64NVME", alg: types.ChecksumAlgorithmCrc64nvme, want: checksumCRC64NVME},
		{name: "SHA1", alg: types.ChecksumAlgorithmSha1, want: checksumSHA1},
		{name: "SHA256", alg: types.ChecksumAlgorithmSha256, want: checksumSHA256},
		{name: "unseekable CRC32", want: checksumCRC32, unseekable: true},
		{name: "unseekable CRC64NVME", alg: types.ChecksumAlgorithmCrc64nvme, want: checksumCRC64NVME, unseekable: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body io.Reader = bytes.NewReader(data)
			if tt.unseekable {
				body = struct{ io.Reader }{body}
			}
			_, err := client.PutObject(t.Context(), &s3.PutObjectInput{
				Bucket:            aws.String("bucket"),
				Key:               aws.String("key"),
				Body:              body,
				ChecksumAlgorithm: tt.alg,
			})
			if err != nil {
				t.Fatalf("PutObject: %v", err)
			}
			got := <-results
			if got.err != nil {
				t.Fatalf("decoding the SDK's body: %v", got.err)
			}
			if !bytes.Equal(got.body, data) {
				t.Errorf("decoded %d bytes, want the %d sent", len(got.body), len(data))
			}
			if ce := got.header.Get("Content-Encoding"); !strings.Contains(ce, "aws-chunked") {
				t.Errorf("Content-Encoding = %q, want aws-chunked", ce)
			}
			if name := got.header.Get("X-Amz-Trailer"); name != tt.want.header() {
				t.Errorf("X-Amz-Trailer = %q, want %q", name, tt.want.header())
			}
			h := tt.want.newHash()
			h.Write(data)
			if want := encodeChecksum(h.Sum(nil)); got.trailer != want {
				t.Errorf("trailer %s = %q, want %q computed by newHash", tt.want.header(), got.trailer, want)
			}
			firstChunk := fmt.Sprintf("%x\r\n", len(data))
			if tt.unseekable {
				firstChunk = "10000\r\n"
			}
			if !bytes.HasPrefix(got.raw, []byte(firstChunk)) {
				t.Errorf("raw body starts %.20q, want %q", got.raw, firstChunk)
			}
		})
	}
}

func BenchmarkChunkedReader(b *testing.B) {
	data := suitetest.Content(5, 1<<20)
	for _, signed := range []bool{false, true} {
		body := awsChunked(data, 64<<10, signed, "x-amz-checksum-crc32:AAAAAA==\r\n\r\n")
		b.Run(fmt.Sprintf("64KiB chunks signed=%v", signed), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			buf := make([]byte, 32<<10)
			src := strings.NewReader(body)
			for b.Loop() {
				src.Reset(body)
				cr := newChunkedReader(src)
				for {
					_, err := cr.Read(buf)
					if err == io.EOF {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

func FuzzChunkedReader(f *testing.F) {
	for _, tt := range validChunkedBodies() {
		if len(tt.body) < 4096 {
			f.Add([]byte(tt.body), uint16(7))
		}
	}
	for _, tt := range invalidChunkedBodies() {
		if len(tt.body) < 4096 {
			f.Add([]byte(tt.body), uint16(1))
		}
	}
	f.Fuzz(func(t *testing.T, body []byte, bufSize uint16) {
		cr := newChunkedReader(bytes.NewReader(body))
		buf := make([]byte, int(bufSize)%9000+1)
		var out []byte
		for reads := 0; ; reads++ {
			// Each Read returns data or an error, and data never exceeds
			// the input, so this bounds the reads of a decoder that
			// makes progress.
			if reads > len(body)+1 {
				t.Fatalf("%d reads of a %d-byte body without an end", reads, len(body))
			}
			n, err := cr.Read(buf)
			if n < 0 || n > len(buf) {
				t.Fatalf("Read = %d, want 0..%d", n, len(buf))
			}
			out = append(out, buf[:n]...)
			if len(out) > len(body) {
				t.Fatalf("decoded %d bytes from a %d-byte body", len(out), len(body))
			}
			if err == io.EOF {
				break
			}
			if err != nil {
				if !errors.Is(err, errMalformedChunk) {
					t.Fatalf("Read error = %v, want one wrapping %v", err, errMalformedChunk)
				}
				if n, again := cr.Read(buf); n != 0 || again != err {
					t.Fatalf("Read after error = %d, %v, want 0, %v", n, again, err)
				}
				return
			}
			if n == 0 {
				t.Fatal("Read = 0, nil")
			}
		}
		// What decoded re-encodes to the same data and trailers.
		var trailer strings.Builder
		for k, v := range cr.trailers {
			trailer.WriteString(k + ":" + v + "\r\n")
		}
		trailer.WriteString("\r\n")
		again := newChunkedReader(strings.NewReader(awsChunked(out, 1000, true, trailer.String())))
		got, err := io.ReadAll(again)
		if err != nil || !bytes.Equal(got, out) {
			t.Fatalf("re-decoding = %q, %v, want %q", got, err, out)
		}
		if diff := cmp.Diff(cr.trailers, again.trailers); diff != "" {
			t.Fatalf("re-decoded trailers (-want +got):\n%s", diff)
		}
	})
}
