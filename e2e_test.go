package mocks3_test

// End-to-end tests: the real aws-sdk-go-v2 client, with its defaults, against
// every {memory, disk} × {http, https} server. Over https the SDK sends
// aws-chunked bodies with CRC32 trailers; over http, plain bodies with a
// CRC32 header.

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/tls"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"hash/crc64"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/feature/s3/manager"
	"github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"go.uber.org/goleak"

	"github.com/mocks3/mocks3"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const testBucket = "test-bucket"

// newServerFunc starts a server in the mode under test.
type newServerFunc = func(t *testing.T, opts ...mocks3.Option) *mocks3.Server

// forEachMode runs fn once per backend (memory, disk) and protocol (http,
// https). newServer starts a server in that mode; opts come after the
// mode's own options.
func forEachMode(t *testing.T, fn func(t *testing.T, newServer func(t *testing.T, opts ...mocks3.Option) *mocks3.Server)) {
	t.Helper()
	modes := []struct {
		name  string
		proto string
		opts  func(t *testing.T) []mocks3.Option
	}{
		{"memory/http", "http", func(*testing.T) []mocks3.Option { return nil }},
		{"memory/https", "https", func(*testing.T) []mocks3.Option { return []mocks3.Option{mocks3.WithTLS()} }},
		{"disk/http", "http", func(t *testing.T) []mocks3.Option { return []mocks3.Option{mocks3.WithDir(t.TempDir())} }},
		{"disk/https", "https", func(t *testing.T) []mocks3.Option {
			return []mocks3.Option{mocks3.WithDir(t.TempDir()), mocks3.WithTLS()}
		}},
		// Stack mode: every role is an HTTP service behind the gateway.
		{"stack/http", "http", func(*testing.T) []mocks3.Option { return []mocks3.Option{mocks3.WithStack()} }},
		{"stack/https", "https", func(*testing.T) []mocks3.Option {
			return []mocks3.Option{mocks3.WithStack(), mocks3.WithStorageNodes(2), mocks3.WithTLS()}
		}},
	}
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			fn(t, func(t *testing.T, opts ...mocks3.Option) *mocks3.Server {
				t.Helper()
				srv := mocks3.New(t, append(m.opts(t), opts...)...)
				if !strings.HasPrefix(srv.URL, m.proto+"://") {
					t.Fatalf("server URL = %q, want a %s URL", srv.URL, m.proto)
				}
				return srv
			})
		})
	}
}

// checkErr fails t unless err is an S3 error with the given code (any code
// if code is "") and HTTP status.
func checkErr(t *testing.T, call string, err error, code string, status int) {
	t.Helper()
	if err == nil {
		t.Errorf("%s = nil error, want %s (%d)", call, code, status)
		return
	}
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Errorf("%s = %v, want an API error %s (%d)", call, err, code, status)
		return
	}
	if code != "" && ae.ErrorCode() != code {
		t.Errorf("%s error code = %q (%v), want %q", call, ae.ErrorCode(), err, code)
	}
	var re *awshttp.ResponseError
	if !errors.As(err, &re) {
		t.Errorf("%s = %v, want an HTTP response error", call, err)
		return
	}
	if re.HTTPStatusCode() != status {
		t.Errorf("%s status = %d (%v), want %d", call, re.HTTPStatusCode(), err, status)
	}
	if re.ServiceRequestID() == "" {
		t.Errorf("%s error has no request ID", call)
	}
}

// testData returns n deterministic pseudo-random bytes.
func testData(n int, seed uint64) []byte {
	b := make([]byte, n)
	rand.NewChaCha8([32]byte{byte(seed), byte(seed >> 8)}).Read(b)
	return b
}

func md5Hex(b []byte) string {
	s := md5.Sum(b)
	return hex.EncodeToString(s[:])
}

// etagOf is S3's ETag for a single PUT of b: the quoted MD5 hex.
func etagOf(b []byte) string { return `"` + md5Hex(b) + `"` }

// multipartETag is S3's ETag for an object assembled from parts: the MD5 of
// the parts' binary MD5s, then "-N".
func multipartETag(parts ...[]byte) string {
	var cat []byte
	for _, p := range parts {
		s := md5.Sum(p)
		cat = append(cat, s[:]...)
	}
	return fmt.Sprintf(`"%s-%d"`, md5Hex(cat), len(parts))
}

func newHash(alg types.ChecksumAlgorithm) hash.Hash {
	switch alg {
	case types.ChecksumAlgorithmCrc32:
		return crc32.NewIEEE()
	case types.ChecksumAlgorithmCrc32c:
		return crc32.New(crc32.MakeTable(crc32.Castagnoli))
	case types.ChecksumAlgorithmCrc64nvme:
		return crc64.New(crc64.MakeTable(0x9a6c9329ac4bc9b5))
	case types.ChecksumAlgorithmSha1:
		return sha1.New()
	case types.ChecksumAlgorithmSha256:
		return sha256.New()
	}
	panic("unknown checksum algorithm " + alg)
}

func rawSum(alg types.ChecksumAlgorithm, b []byte) []byte {
	h := newHash(alg)
	h.Write(b)
	return h.Sum(nil)
}

// checksumOf is the base64 checksum of b, as S3 sends it.
func checksumOf(alg types.ChecksumAlgorithm, b []byte) string {
	return base64.StdEncoding.EncodeToString(rawSum(alg, b))
}

// compositeOf is the checksum of a multipart object of COMPOSITE type: the
// checksum of the parts' binary checksums, then "-N".
func compositeOf(alg types.ChecksumAlgorithm, parts ...[]byte) string {
	var cat []byte
	for _, p := range parts {
		cat = append(cat, rawSum(alg, p)...)
	}
	return fmt.Sprintf("%s-%d", checksumOf(alg, cat), len(parts))
}

// checksums are the checksum fields of a response, for comparison.
type checksums struct {
	CRC32, CRC32C, CRC64NVME, SHA1, SHA256 string
	Type                                   types.ChecksumType
}

func checksumsWith(alg types.ChecksumAlgorithm, value string, typ types.ChecksumType) checksums {
	var c checksums
	switch alg {
	case types.ChecksumAlgorithmCrc32:
		c.CRC32 = value
	case types.ChecksumAlgorithmCrc32c:
		c.CRC32C = value
	case types.ChecksumAlgorithmCrc64nvme:
		c.CRC64NVME = value
	case types.ChecksumAlgorithmSha1:
		c.SHA1 = value
	case types.ChecksumAlgorithmSha256:
		c.SHA256 = value
	}
	c.Type = typ
	return c
}

func checksumsOf(crc32, crc32c, crc64nvme, sha1, sha256 *string, typ types.ChecksumType) checksums {
	return checksums{aws.ToString(crc32), aws.ToString(crc32c), aws.ToString(crc64nvme), aws.ToString(sha1), aws.ToString(sha256), typ}
}

func putChecksums(o *s3.PutObjectOutput) checksums {
	return checksumsOf(o.ChecksumCRC32, o.ChecksumCRC32C, o.ChecksumCRC64NVME, o.ChecksumSHA1, o.ChecksumSHA256, o.ChecksumType)
}

func getChecksums(o *s3.GetObjectOutput) checksums {
	return checksumsOf(o.ChecksumCRC32, o.ChecksumCRC32C, o.ChecksumCRC64NVME, o.ChecksumSHA1, o.ChecksumSHA256, o.ChecksumType)
}

func headChecksums(o *s3.HeadObjectOutput) checksums {
	return checksumsOf(o.ChecksumCRC32, o.ChecksumCRC32C, o.ChecksumCRC64NVME, o.ChecksumSHA1, o.ChecksumSHA256, o.ChecksumType)
}

func partChecksums(o *s3.UploadPartOutput) checksums {
	return checksumsOf(o.ChecksumCRC32, o.ChecksumCRC32C, o.ChecksumCRC64NVME, o.ChecksumSHA1, o.ChecksumSHA256, "")
}

func completeChecksums(o *s3.CompleteMultipartUploadOutput) checksums {
	return checksumsOf(o.ChecksumCRC32, o.ChecksumCRC32C, o.ChecksumCRC64NVME, o.ChecksumSHA1, o.ChecksumSHA256, o.ChecksumType)
}

func mustCreateBucket(t *testing.T, c *s3.Client, bucket string) {
	t.Helper()
	if _, err := c.CreateBucket(t.Context(), &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
		t.Fatalf("CreateBucket(%q) = %v, want success", bucket, err)
	}
}

func mustPut(t *testing.T, c *s3.Client, bucket, key string, body []byte, opts ...func(*s3.PutObjectInput)) *s3.PutObjectOutput {
	t.Helper()
	in := &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: bytes.NewReader(body)}
	for _, o := range opts {
		o(in)
	}
	out, err := c.PutObject(t.Context(), in)
	if err != nil {
		t.Fatalf("PutObject(%q) = %v, want success", key, err)
	}
	return out
}

// mustGet gets an object and reads its body (which makes the SDK validate
// any checksum that came back).
func mustGet(t *testing.T, c *s3.Client, bucket, key string, opts ...func(*s3.GetObjectInput)) (*s3.GetObjectOutput, []byte) {
	t.Helper()
	in := &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)}
	for _, o := range opts {
		o(in)
	}
	out, err := c.GetObject(t.Context(), in)
	if err != nil {
		t.Fatalf("GetObject(%q) = %v, want success", key, err)
	}
	defer out.Body.Close()
	body, err := io.ReadAll(out.Body)
	if err != nil {
		t.Fatalf("GetObject(%q) body: %v", key, err)
	}
	return out, body
}

// getErr gets an object, reading the whole body, and returns the error.
func getErr(ctx context.Context, c *s3.Client, in *s3.GetObjectInput) error {
	out, err := c.GetObject(ctx, in)
	if err != nil {
		return err
	}
	defer out.Body.Close()
	_, err = io.ReadAll(out.Body)
	return err
}

func withHTTPClient(hc s3.HTTPClient) func(*s3.Options) {
	return func(o *s3.Options) { o.HTTPClient = hc }
}

// recorder is an s3.HTTPClient that remembers the last exchange: the
// request as sent, the response status, and the response header names as
// they arrived on the wire. Go's client canonicalises header names
// (x-amz-meta-foo becomes X-Amz-Meta-Foo), so the names are read from the
// connection's bytes.
type recorder struct {
	client *http.Client

	mu   sync.Mutex   // guards the fields below
	wire bytes.Buffer // bytes read from connections since the exchange began
	last exchange
	sent []exchange // every request, without response details
}

type exchange struct {
	method, host, path, query string
	reqHeader                 http.Header
	status                    int
	header                    http.Header // canonicalised
	rawNames                  []string    // response header names as sent
}

// newRecorder returns a recorder for srv.
func newRecorder(t *testing.T, srv *mocks3.Server) *recorder {
	t.Helper()
	return newResolvingRecorder(t, srv, nil, "")
}

// newResolvingRecorder returns a recorder whose dialer maps host names
// through resolve and which, if serverName is set, verifies the server's
// certificate against that name.
func newResolvingRecorder(t *testing.T, srv *mocks3.Server, resolve func(host string) (string, error), serverName string) *recorder {
	t.Helper()
	base, ok := srv.HTTPClient().Transport.(*http.Transport)
	if !ok {
		t.Fatalf("HTTPClient().Transport is %T, want *http.Transport", srv.HTTPClient().Transport)
	}
	tr := base.Clone()
	tr.DisableKeepAlives = true // one connection per request: the wire holds one response
	rec := &recorder{}
	var d net.Dialer
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, port, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		if resolve != nil {
			if host, err = resolve(host); err != nil {
				return nil, err
			}
		}
		return d.DialContext(ctx, network, net.JoinHostPort(host, port))
	}
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return &wireConn{Conn: c, rec: rec}, nil
	}
	if cfg := tr.TLSClientConfig; cfg != nil {
		tr.DialTLSContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := dial(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			cfg := cfg.Clone()
			cfg.ServerName = serverName
			if cfg.ServerName == "" {
				cfg.ServerName, _, _ = net.SplitHostPort(addr)
			}
			tc := tls.Client(c, cfg)
			if err := tc.HandshakeContext(ctx); err != nil {
				c.Close()
				return nil, err
			}
			return &wireConn{Conn: tc, rec: rec}, nil
		}
	}
	t.Cleanup(tr.CloseIdleConnections)
	rec.client = &http.Client{Transport: tr}
	return rec
}

// Do implements s3.HTTPClient.
func (r *recorder) Do(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.wire.Reset()
	r.last = exchange{method: req.Method, host: req.URL.Host, path: req.URL.EscapedPath(), query: req.URL.RawQuery, reqHeader: req.Header.Clone()}
	r.sent = append(r.sent, r.last)
	r.mu.Unlock()
	resp, err := r.client.Do(req)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	r.last.status = resp.StatusCode
	r.last.header = resp.Header.Clone()
	r.last.rawNames = headerNames(r.wire.Bytes())
	r.mu.Unlock()
	return resp, nil
}

// Last returns the last exchange. Only sequential requests make sense of it.
func (r *recorder) Last() exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.last
}

// Sent returns the requests sent so far and forgets them.
func (r *recorder) Sent() []exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	sent := r.sent
	r.sent = nil
	return sent
}

// headerNames returns the header names of the final (non-1xx) response
// head in wire.
func headerNames(wire []byte) []string {
	for {
		head, rest, ok := bytes.Cut(wire, []byte("\r\n\r\n"))
		if !ok {
			return nil
		}
		lines := strings.Split(string(head), "\r\n")
		if strings.HasPrefix(lines[0], "HTTP/1.1 1") {
			wire = rest
			continue
		}
		var names []string
		for _, l := range lines[1:] {
			if name, _, ok := strings.Cut(l, ":"); ok {
				names = append(names, name)
			}
		}
		return names
	}
}

// wireConn copies what it reads to its recorder.
type wireConn struct {
	net.Conn
	rec *recorder
}

func (c *wireConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.rec.mu.Lock()
	c.rec.wire.Write(p[:n])
	c.rec.mu.Unlock()
	return n, err
}

// rawRequest sends an unsigned request straight to srv (signatures are not
// verified) and returns the response with its body read.
func rawRequest(t *testing.T, srv *mocks3.Server, method, path string, header http.Header, body []byte) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, srv.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := srv.HTTPClient().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading body: %v", method, path, err)
	}
	return resp, b
}

// s3ErrorBody is an S3 XML error response.
type s3ErrorBody struct {
	XMLName    xml.Name `xml:"Error"`
	Code       string
	Message    string
	Resource   string
	RequestID  string `xml:"RequestId"`
	Key        string
	BucketName string
}

// copySource URL-encodes bucket/key for x-amz-copy-source.
func copySource(bucket, key string) string {
	segs := strings.Split(key, "/")
	for i, s := range segs {
		segs[i] = strings.ReplaceAll(url.PathEscape(s), "+", "%2B")
	}
	return bucket + "/" + strings.Join(segs, "/")
}

func TestBuckets(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		srv := newServer(t)
		c := srv.Client()
		ctx := t.Context()

		creates := []struct {
			name       string
			bucket     string
			location   types.BucketLocationConstraint
			wantCode   string
			wantStatus int
		}{
			{name: "default region", bucket: "alpha"},
			{name: "location constraint", bucket: "beta", location: "eu-west-1"},
			{name: "dots and hyphens", bucket: "gamma.delta-1"},
			// us-east-1's documented legacy: re-creating your own bucket is 200.
			{name: "again", bucket: "alpha"},
			{name: "again with location", bucket: "beta", location: "eu-west-1", wantCode: "BucketAlreadyOwnedByYou", wantStatus: 409},
			{name: "explicit us-east-1", bucket: "epsilon", location: "us-east-1", wantCode: "InvalidLocationConstraint", wantStatus: 400},
			{name: "bad location", bucket: "epsilon", location: "Not A Region", wantCode: "InvalidLocationConstraint", wantStatus: 400},
			{name: "upper case", bucket: "Alpha", wantCode: "InvalidBucketName", wantStatus: 400},
			{name: "underscore", bucket: "al_pha", wantCode: "InvalidBucketName", wantStatus: 400},
			{name: "too short", bucket: "ab", wantCode: "InvalidBucketName", wantStatus: 400},
			{name: "too long", bucket: strings.Repeat("a", 64), wantCode: "InvalidBucketName", wantStatus: 400},
			{name: "ip address", bucket: "192.168.1.1", wantCode: "InvalidBucketName", wantStatus: 400},
			{name: "leading hyphen", bucket: "-alpha", wantCode: "InvalidBucketName", wantStatus: 400},
			{name: "trailing dot", bucket: "alpha.", wantCode: "InvalidBucketName", wantStatus: 400},
			{name: "double dot", bucket: "al..pha", wantCode: "InvalidBucketName", wantStatus: 400},
			{name: "xn-- prefix", bucket: "xn--alpha", wantCode: "InvalidBucketName", wantStatus: 400},
		}
		for _, tt := range creates {
			t.Run("CreateBucket/"+tt.name, func(t *testing.T) {
				in := &s3.CreateBucketInput{Bucket: aws.String(tt.bucket)}
				if tt.location != "" {
					in.CreateBucketConfiguration = &types.CreateBucketConfiguration{LocationConstraint: tt.location}
				}
				_, err := c.CreateBucket(ctx, in)
				call := fmt.Sprintf("CreateBucket(%q, %q)", tt.bucket, tt.location)
				if tt.wantCode == "" {
					if err != nil {
						t.Errorf("%s = %v, want success", call, err)
					}
					return
				}
				checkErr(t, call, err, tt.wantCode, tt.wantStatus)
			})
		}

		type bucket struct{ Name, Region string }
		listBuckets := func(t *testing.T) []bucket {
			t.Helper()
			out, err := c.ListBuckets(ctx, &s3.ListBucketsInput{})
			if err != nil {
				t.Fatalf("ListBuckets() = %v", err)
			}
			var got []bucket
			for _, b := range out.Buckets {
				if b.CreationDate == nil || b.CreationDate.IsZero() {
					t.Errorf("ListBuckets(): bucket %q has no CreationDate", aws.ToString(b.Name))
				}
				got = append(got, bucket{aws.ToString(b.Name), aws.ToString(b.BucketRegion)})
			}
			return got
		}
		t.Run("ListBuckets", func(t *testing.T) {
			want := []bucket{{"alpha", "us-east-1"}, {"beta", "eu-west-1"}, {"gamma.delta-1", "us-east-1"}}
			if diff := cmp.Diff(want, listBuckets(t)); diff != "" {
				t.Errorf("ListBuckets() mismatch (-want +got):\n%s", diff)
			}
		})

		heads := []struct {
			bucket     string
			wantRegion string
			wantStatus int
		}{
			{"alpha", "us-east-1", 200},
			{"beta", "eu-west-1", 200},
			{"missing", "", 404},
		}
		for _, tt := range heads {
			t.Run("HeadBucket/"+tt.bucket, func(t *testing.T) {
				out, err := c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(tt.bucket)})
				if tt.wantStatus != 200 {
					checkErr(t, fmt.Sprintf("HeadBucket(%q)", tt.bucket), err, "NotFound", tt.wantStatus)
					return
				}
				if err != nil {
					t.Fatalf("HeadBucket(%q) = %v, want success", tt.bucket, err)
				}
				if got := aws.ToString(out.BucketRegion); got != tt.wantRegion {
					t.Errorf("HeadBucket(%q).BucketRegion = %q, want %q", tt.bucket, got, tt.wantRegion)
				}
			})
		}

		locations := []struct {
			bucket   string
			want     types.BucketLocationConstraint
			wantCode string
		}{
			{"alpha", "", ""}, // us-east-1 reports an empty constraint
			{"beta", "eu-west-1", ""},
			{"missing", "", "NoSuchBucket"},
		}
		for _, tt := range locations {
			t.Run("GetBucketLocation/"+tt.bucket, func(t *testing.T) {
				out, err := c.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String(tt.bucket)})
				if tt.wantCode != "" {
					checkErr(t, fmt.Sprintf("GetBucketLocation(%q)", tt.bucket), err, tt.wantCode, 404)
					return
				}
				if err != nil {
					t.Fatalf("GetBucketLocation(%q) = %v", tt.bucket, err)
				}
				if out.LocationConstraint != tt.want {
					t.Errorf("GetBucketLocation(%q) = %q, want %q", tt.bucket, out.LocationConstraint, tt.want)
				}
			})
		}

		t.Run("DeleteBucket", func(t *testing.T) {
			mustPut(t, c, "alpha", "obj", []byte("x"))
			_, err := c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("alpha")})
			checkErr(t, "DeleteBucket(alpha) with an object", err, "BucketNotEmpty", 409)

			// Uploads in progress do not keep a bucket alive: S3 discards
			// them, and test suites' teardowns rely on it.
			up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("beta"), Key: aws.String("pending")})
			if err != nil {
				t.Fatalf("CreateMultipartUpload() = %v", err)
			}
			if _, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("beta"), Key: aws.String("pending"), UploadId: up.UploadId,
				PartNumber: aws.Int32(1), Body: strings.NewReader("part")}); err != nil {
				t.Fatalf("UploadPart() = %v", err)
			}
			// A refused delete leaves the bucket's uploads alone.
			if _, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("alpha"), Key: aws.String("kept")}); err != nil {
				t.Fatalf("CreateMultipartUpload() = %v", err)
			}
			_, err = c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("alpha")})
			checkErr(t, "DeleteBucket(alpha) with an object and an upload", err, "BucketNotEmpty", 409)
			if ups, err := c.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String("alpha")}); err != nil || len(ups.Uploads) != 1 {
				t.Errorf("ListMultipartUploads(alpha) after a refused DeleteBucket = %v, %v; want the upload kept", ups, err)
			}
			if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("alpha"), Key: aws.String("obj")}); err != nil {
				t.Fatalf("DeleteObject() = %v", err)
			}
			for _, b := range []string{"alpha", "beta"} {
				if _, err := c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(b)}); err != nil {
					t.Errorf("DeleteBucket(%q) = %v, want success", b, err)
				}
				_, err = c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(b)})
				checkErr(t, fmt.Sprintf("HeadBucket(%q) after delete", b), err, "NotFound", 404)
				_, err = c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(b)})
				checkErr(t, fmt.Sprintf("DeleteBucket(%q) again", b), err, "NoSuchBucket", 404)
			}
			_, err = c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String("beta"), Key: aws.String("pending"), UploadId: up.UploadId})
			checkErr(t, "AbortMultipartUpload of an upload its bucket's deletion discarded", err, "NoSuchBucket", 404)
			want := []bucket{{"gamma.delta-1", "us-east-1"}}
			if diff := cmp.Diff(want, listBuckets(t)); diff != "" {
				t.Errorf("ListBuckets() after deletes mismatch (-want +got):\n%s", diff)
			}
		})
	})
}

// objectKeys are keys that need escaping in a URL or XML.
var objectKeys = []string{
	"plain",
	"dir/sub/file.txt",
	"with space",
	"plus+sign",
	"percent%2Fencoded",
	"ünïcödé/日本語",
	"emoji😀",
	"question?mark",
	"hash#tag",
	"amp&lt;semi;colon=eq",
	"~tilde",
	"double//slash",
	"trailing/",
	"quote\"'",
}

func TestObjects(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		srv := newServer(t, mocks3.WithBucket(testBucket))
		rec := newRecorder(t, srv)
		c := srv.Client(withHTTPClient(rec))
		ctx := t.Context()

		for _, key := range objectKeys {
			t.Run("key="+key, func(t *testing.T) {
				body := []byte("the body of " + key)
				put := mustPut(t, c, testBucket, key, body)
				if got, want := aws.ToString(put.ETag), etagOf(body); got != want {
					t.Errorf("PutObject(%q).ETag = %s, want %s", key, got, want)
				}
				srv.CheckObject(t, testBucket, key, body)

				get, got := mustGet(t, c, testBucket, key)
				if !bytes.Equal(got, body) {
					t.Errorf("GetObject(%q) body = %q, want %q", key, got, body)
				}
				if got, want := aws.ToString(get.ETag), etagOf(body); got != want {
					t.Errorf("GetObject(%q).ETag = %s, want %s", key, got, want)
				}
				if got := aws.ToInt64(get.ContentLength); got != int64(len(body)) {
					t.Errorf("GetObject(%q).ContentLength = %d, want %d", key, got, len(body))
				}
				if get.LastModified == nil || time.Since(*get.LastModified) > time.Hour {
					t.Errorf("GetObject(%q).LastModified = %v, want about now", key, get.LastModified)
				}

				head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(testBucket), Key: aws.String(key)})
				if err != nil {
					t.Fatalf("HeadObject(%q) = %v", key, err)
				}
				if aws.ToString(head.ETag) != etagOf(body) || aws.ToInt64(head.ContentLength) != int64(len(body)) {
					t.Errorf("HeadObject(%q) = ETag %s, length %d; want %s, %d", key, aws.ToString(head.ETag), aws.ToInt64(head.ContentLength), etagOf(body), len(body))
				}
				if got, want := aws.ToString(head.AcceptRanges), "bytes"; got != want {
					t.Errorf("HeadObject(%q).AcceptRanges = %q, want %q", key, got, want)
				}
			})
		}

		t.Run("keys", func(t *testing.T) {
			want := slices.Clone(objectKeys)
			slices.Sort(want)
			got, err := srv.Keys(testBucket, "")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Keys() mismatch (-want +got):\n%s", diff)
			}
		})

		t.Run("empty object", func(t *testing.T) {
			put := mustPut(t, c, testBucket, "empty", nil)
			if got, want := aws.ToString(put.ETag), `"d41d8cd98f00b204e9800998ecf8427e"`; got != want {
				t.Errorf("PutObject(empty).ETag = %s, want %s", got, want)
			}
			get, body := mustGet(t, c, testBucket, "empty")
			if len(body) != 0 || aws.ToInt64(get.ContentLength) != 0 {
				t.Errorf("GetObject(empty) = %d bytes, length %d; want none", len(body), aws.ToInt64(get.ContentLength))
			}
		})

		t.Run("overwrite", func(t *testing.T) {
			mustPut(t, c, testBucket, "over", []byte("first"))
			mustPut(t, c, testBucket, "over", []byte("second, longer"))
			_, body := mustGet(t, c, testBucket, "over")
			if string(body) != "second, longer" {
				t.Errorf("GetObject(over) = %q, want the second write", body)
			}
		})

		t.Run("default content type", func(t *testing.T) {
			// The SDK always sends a Content-Type; S3's default applies to
			// writes without one.
			resp, body := rawRequest(t, srv, "PUT", "/"+testBucket+"/untyped", nil, []byte("x"))
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("PUT without Content-Type = %d %s, want 200", resp.StatusCode, body)
			}
			head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(testBucket), Key: aws.String("untyped")})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := aws.ToString(head.ContentType), "binary/octet-stream"; got != want {
				t.Errorf("HeadObject(untyped).ContentType = %q, want %q", got, want)
			}
		})

		t.Run("DeleteObject", func(t *testing.T) {
			mustPut(t, c, testBucket, "doomed", []byte("x"))
			for i := range 2 { // idempotent
				_, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(testBucket), Key: aws.String("doomed")})
				if err != nil {
					t.Fatalf("DeleteObject(doomed) #%d = %v, want success", i+1, err)
				}
				if got := rec.Last().status; got != http.StatusNoContent {
					t.Errorf("DeleteObject(doomed) #%d status = %d, want 204", i+1, got)
				}
			}
			srv.CheckNoObject(t, testBucket, "doomed")
		})

		missing := []struct {
			name       string
			call       func() error
			wantCode   string
			wantStatus int
		}{
			{"GetObject missing key", func() error {
				return getErr(ctx, c, &s3.GetObjectInput{Bucket: aws.String(testBucket), Key: aws.String("doomed")})
			}, "NoSuchKey", 404},
			{"HeadObject missing key", func() error {
				_, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(testBucket), Key: aws.String("doomed")})
				return err
			}, "NotFound", 404},
			{"GetObject missing bucket", func() error {
				return getErr(ctx, c, &s3.GetObjectInput{Bucket: aws.String("no-such-bucket"), Key: aws.String("k")})
			}, "NoSuchBucket", 404},
			{"PutObject missing bucket", func() error {
				_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("no-such-bucket"), Key: aws.String("k"), Body: strings.NewReader("x")})
				return err
			}, "NoSuchBucket", 404},
			{"DeleteObject missing bucket", func() error {
				_, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("no-such-bucket"), Key: aws.String("k")})
				return err
			}, "NoSuchBucket", 404},
			{"ListObjectsV2 missing bucket", func() error {
				_, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("no-such-bucket")})
				return err
			}, "NoSuchBucket", 404},
		}
		for _, tt := range missing {
			t.Run(tt.name, func(t *testing.T) {
				checkErr(t, tt.name, tt.call(), tt.wantCode, tt.wantStatus)
			})
		}
	})
}

func TestDeleteObjects(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		srv := newServer(t, mocks3.WithBucket(testBucket))
		c := srv.Client()
		for _, k := range []string{"a", "b", "c", "d", "e f"} {
			if err := srv.PutObject(testBucket, k, []byte(k)); err != nil {
				t.Fatal(err)
			}
		}
		tests := []struct {
			name        string
			quiet       bool
			objects     []types.ObjectIdentifier
			wantDeleted []string
			wantErrors  []string // key: code
			wantKeys    []string // left afterwards
		}{
			{
				name: "verbose",
				objects: []types.ObjectIdentifier{
					{Key: aws.String("a")},
					{Key: aws.String("missing")},
					{Key: aws.String("b"), VersionId: aws.String("not-a-version")},
					{Key: aws.String("e f")},
				},
				wantDeleted: []string{"a", "e f", "missing"},
				wantErrors:  []string{"b: InvalidArgument"},
				wantKeys:    []string{"b", "c", "d"},
			},
			{
				name:       "quiet",
				quiet:      true,
				objects:    []types.ObjectIdentifier{{Key: aws.String("c")}, {Key: aws.String("d")}, {Key: aws.String("missing")}, {Key: aws.String(strings.Repeat("k", 1025))}},
				wantErrors: []string{strings.Repeat("k", 1025) + ": KeyTooLongError"},
				wantKeys:   []string{"b"},
			},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				out, err := c.DeleteObjects(t.Context(), &s3.DeleteObjectsInput{
					Bucket: aws.String(testBucket),
					Delete: &types.Delete{Objects: tt.objects, Quiet: aws.Bool(tt.quiet)},
				})
				if err != nil {
					t.Fatalf("DeleteObjects() = %v", err)
				}
				var deleted, errs []string
				for _, d := range out.Deleted {
					deleted = append(deleted, aws.ToString(d.Key))
				}
				for _, e := range out.Errors {
					errs = append(errs, aws.ToString(e.Key)+": "+aws.ToString(e.Code))
					if aws.ToString(e.Message) == "" {
						t.Errorf("DeleteObjects() error for %q has no message", aws.ToString(e.Key))
					}
				}
				slices.Sort(deleted)
				if diff := cmp.Diff(tt.wantDeleted, deleted, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("DeleteObjects() Deleted mismatch (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(tt.wantErrors, errs, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("DeleteObjects() Errors mismatch (-want +got):\n%s", diff)
				}
				keys, err := srv.Keys(testBucket, "")
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tt.wantKeys, keys); diff != "" {
					t.Errorf("keys after DeleteObjects() mismatch (-want +got):\n%s", diff)
				}
			})
		}
	})
}

func TestCopyObject(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		srv := newServer(t, mocks3.WithBucket(testBucket, "other-bucket"))
		c := srv.Client()
		ctx := t.Context()
		const oddKey = "dir/a b ü+日本?#%.txt"
		srcBody := []byte("source body")
		for _, k := range []string{"src.txt", oddKey, "self.txt"} {
			mustPut(t, c, testBucket, k, srcBody, func(in *s3.PutObjectInput) {
				in.ContentType = aws.String("text/plain")
				in.Metadata = map[string]string{"color": "red"}
			})
		}

		tests := []struct {
			name       string
			src        string // bucket/key, unencoded
			dstBucket  string
			dst        string
			in         s3.CopyObjectInput // directive, metadata, conditions
			wantMeta   map[string]string
			wantCT     string
			wantCode   string
			wantStatus int
		}{
			{name: "default directive copies metadata", src: testBucket + "/src.txt", dst: "copy1.txt",
				wantMeta: map[string]string{"color": "red"}, wantCT: "text/plain"},
			{name: "COPY ignores new metadata", src: testBucket + "/src.txt", dst: "copy2.txt",
				in:       s3.CopyObjectInput{MetadataDirective: types.MetadataDirectiveCopy, Metadata: map[string]string{"size": "xl"}, ContentType: aws.String("application/json")},
				wantMeta: map[string]string{"color": "red"}, wantCT: "text/plain"},
			{name: "REPLACE", src: testBucket + "/src.txt", dst: "copy3.txt",
				in:       s3.CopyObjectInput{MetadataDirective: types.MetadataDirectiveReplace, Metadata: map[string]string{"size": "xl"}, ContentType: aws.String("application/json")},
				wantMeta: map[string]string{"size": "xl"}, wantCT: "application/json"},
			{name: "encoded source key", src: testBucket + "/" + oddKey, dst: "dir/copy of ü.txt",
				wantMeta: map[string]string{"color": "red"}, wantCT: "text/plain"},
			{name: "to an encoded key", src: testBucket + "/src.txt", dst: oddKey + ".copy",
				wantMeta: map[string]string{"color": "red"}, wantCT: "text/plain"},
			{name: "other bucket", src: testBucket + "/src.txt", dstBucket: "other-bucket", dst: "copy.txt",
				wantMeta: map[string]string{"color": "red"}, wantCT: "text/plain"},
			{name: "source if-match", src: testBucket + "/src.txt", dst: "copy4.txt",
				in:       s3.CopyObjectInput{CopySourceIfMatch: aws.String(etagOf(srcBody))},
				wantMeta: map[string]string{"color": "red"}, wantCT: "text/plain"},
			{name: "source if-match fails", src: testBucket + "/src.txt", dst: "copy5.txt",
				in:       s3.CopyObjectInput{CopySourceIfMatch: aws.String(`"0123"`)},
				wantCode: "PreconditionFailed", wantStatus: 412},
			{name: "source if-none-match fails", src: testBucket + "/src.txt", dst: "copy6.txt",
				in:       s3.CopyObjectInput{CopySourceIfNoneMatch: aws.String(etagOf(srcBody))},
				wantCode: "PreconditionFailed", wantStatus: 412},
			{name: "self copy needs REPLACE", src: testBucket + "/self.txt", dst: "self.txt",
				wantCode: "InvalidRequest", wantStatus: 400},
			{name: "self copy with COPY", src: testBucket + "/self.txt", dst: "self.txt",
				in:       s3.CopyObjectInput{MetadataDirective: types.MetadataDirectiveCopy},
				wantCode: "InvalidRequest", wantStatus: 400},
			{name: "self copy with REPLACE", src: testBucket + "/self.txt", dst: "self.txt",
				in:       s3.CopyObjectInput{MetadataDirective: types.MetadataDirectiveReplace, Metadata: map[string]string{"color": "green"}},
				wantMeta: map[string]string{"color": "green"}, wantCT: "binary/octet-stream"},
			{name: "missing source key", src: testBucket + "/nope.txt", dst: "copy7.txt",
				wantCode: "NoSuchKey", wantStatus: 404},
			{name: "missing source bucket", src: "no-such-bucket/src.txt", dst: "copy8.txt",
				wantCode: "NoSuchBucket", wantStatus: 404},
			{name: "missing destination bucket", src: testBucket + "/src.txt", dstBucket: "no-such-bucket", dst: "copy9.txt",
				wantCode: "NoSuchBucket", wantStatus: 404},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				srcBucket, srcKey, _ := strings.Cut(tt.src, "/")
				dstBucket := tt.dstBucket
				if dstBucket == "" {
					dstBucket = testBucket
				}
				in := tt.in
				in.Bucket, in.Key, in.CopySource = aws.String(dstBucket), aws.String(tt.dst), aws.String(copySource(srcBucket, srcKey))
				out, err := c.CopyObject(ctx, &in)
				call := fmt.Sprintf("CopyObject(%q → %s/%q)", tt.src, dstBucket, tt.dst)
				if tt.wantCode != "" {
					checkErr(t, call, err, tt.wantCode, tt.wantStatus)
					if tt.src != dstBucket+"/"+tt.dst {
						srv.CheckNoObject(t, dstBucket, tt.dst)
					}
					return
				}
				if err != nil {
					t.Fatalf("%s = %v, want success", call, err)
				}
				if got, want := aws.ToString(out.CopyObjectResult.ETag), etagOf(srcBody); got != want {
					t.Errorf("%s ETag = %s, want %s", call, got, want)
				}
				if out.CopyObjectResult.LastModified == nil {
					t.Errorf("%s has no LastModified", call)
				}
				get, body := mustGet(t, c, dstBucket, tt.dst)
				if !bytes.Equal(body, srcBody) {
					t.Errorf("GetObject(%q) after copy = %q, want %q", tt.dst, body, srcBody)
				}
				if diff := cmp.Diff(tt.wantMeta, get.Metadata); diff != "" {
					t.Errorf("GetObject(%q) metadata mismatch (-want +got):\n%s", tt.dst, diff)
				}
				if got := aws.ToString(get.ContentType); got != tt.wantCT {
					t.Errorf("GetObject(%q).ContentType = %q, want %q", tt.dst, got, tt.wantCT)
				}
			})
		}
	})
}

// listKeys are the keys of the listing tests, in UTF-8 byte order: U+FF61
// sorts before U+1F600 here, after it in UTF-16 order.
var listKeys = []string{
	"a", "a/b", "a/c/d", "a/c/e", "b", "b/x", "c d", "c+d", "c/",
	"z", "é", "日本/語", "\uff61", "\U0001F600",
}

func TestListObjectsV2(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		var opts []mocks3.Option
		// Seed in reverse so that order comes from the server, not from insertion.
		for _, k := range slices.Backward(listKeys) {
			opts = append(opts, mocks3.WithObject(testBucket, k, []byte(k)))
		}
		srv := newServer(t, opts...)
		c := srv.Client()
		ctx := t.Context()

		tests := []struct {
			name          string
			in            s3.ListObjectsV2Input
			wantKeys      []string
			wantPrefixes  []string
			wantTruncated bool
		}{
			{name: "all", wantKeys: listKeys},
			{name: "prefix", in: s3.ListObjectsV2Input{Prefix: aws.String("a/")},
				wantKeys: []string{"a/b", "a/c/d", "a/c/e"}},
			{name: "prefix without match", in: s3.ListObjectsV2Input{Prefix: aws.String("nope")}},
			{name: "delimiter", in: s3.ListObjectsV2Input{Delimiter: aws.String("/")},
				wantKeys:     []string{"a", "b", "c d", "c+d", "z", "é", "\uff61", "\U0001F600"},
				wantPrefixes: []string{"a/", "b/", "c/", "日本/"}},
			{name: "prefix and delimiter", in: s3.ListObjectsV2Input{Prefix: aws.String("a/"), Delimiter: aws.String("/")},
				wantKeys: []string{"a/b"}, wantPrefixes: []string{"a/c/"}},
			{name: "other delimiter", in: s3.ListObjectsV2Input{Delimiter: aws.String("b")},
				wantKeys:     []string{"a", "a/c/d", "a/c/e", "c d", "c+d", "c/", "z", "é", "日本/語", "\uff61", "\U0001F600"},
				wantPrefixes: []string{"a/b", "b"}},
			{name: "max-keys", in: s3.ListObjectsV2Input{MaxKeys: aws.Int32(3)},
				wantKeys: []string{"a", "a/b", "a/c/d"}, wantTruncated: true},
			{name: "max-keys counts prefixes", in: s3.ListObjectsV2Input{MaxKeys: aws.Int32(3), Delimiter: aws.String("/")},
				wantKeys: []string{"a", "b"}, wantPrefixes: []string{"a/"}, wantTruncated: true},
			{name: "max-keys over 1000", in: s3.ListObjectsV2Input{MaxKeys: aws.Int32(5000)}, wantKeys: listKeys},
			{name: "start-after", in: s3.ListObjectsV2Input{StartAfter: aws.String("b/x")},
				wantKeys: []string{"c d", "c+d", "c/", "z", "é", "日本/語", "\uff61", "\U0001F600"}},
			{name: "start-after absent key", in: s3.ListObjectsV2Input{StartAfter: aws.String("c")},
				wantKeys: []string{"c d", "c+d", "c/", "z", "é", "日本/語", "\uff61", "\U0001F600"}},
			{name: "start-after inside a common prefix", in: s3.ListObjectsV2Input{Prefix: aws.String("a/"), Delimiter: aws.String("/"), StartAfter: aws.String("a/c")},
				wantPrefixes: []string{"a/c/"}},
			{name: "start-after past the end", in: s3.ListObjectsV2Input{StartAfter: aws.String("\U0001F600")}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				in := tt.in
				in.Bucket = aws.String(testBucket)
				out, err := c.ListObjectsV2(ctx, &in)
				if err != nil {
					t.Fatalf("ListObjectsV2() = %v", err)
				}
				keys, prefixes := v2Names(out)
				if diff := cmp.Diff(tt.wantKeys, keys, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("ListObjectsV2() keys mismatch (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(tt.wantPrefixes, prefixes, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("ListObjectsV2() common prefixes mismatch (-want +got):\n%s", diff)
				}
				if got := aws.ToBool(out.IsTruncated); got != tt.wantTruncated {
					t.Errorf("ListObjectsV2().IsTruncated = %v, want %v", got, tt.wantTruncated)
				}
				if got, want := aws.ToInt32(out.KeyCount), int32(len(tt.wantKeys)+len(tt.wantPrefixes)); got != want {
					t.Errorf("ListObjectsV2().KeyCount = %d, want %d", got, want)
				}
				if got := aws.ToString(out.NextContinuationToken) != ""; got != tt.wantTruncated {
					t.Errorf("ListObjectsV2().NextContinuationToken = %q, want one only when truncated", aws.ToString(out.NextContinuationToken))
				}
				if got, want := aws.ToString(out.Prefix), aws.ToString(tt.in.Prefix); got != want {
					t.Errorf("ListObjectsV2().Prefix = %q, want %q", got, want)
				}
				if got, want := aws.ToString(out.StartAfter), aws.ToString(tt.in.StartAfter); got != want {
					t.Errorf("ListObjectsV2().StartAfter = %q, want %q", got, want)
				}
				for _, o := range out.Contents {
					if k := aws.ToString(o.Key); aws.ToString(o.ETag) != etagOf([]byte(k)) || aws.ToInt64(o.Size) != int64(len(k)) || o.LastModified == nil {
						t.Errorf("ListObjectsV2() entry %q = ETag %s, size %d; want %s, %d", k, aws.ToString(o.ETag), aws.ToInt64(o.Size), etagOf([]byte(k)), len(k))
					}
				}
			})
		}

		// Paging through everything with a small page, with and without a
		// delimiter, visits every entry once, in order.
		pages := []struct {
			name      string
			delimiter string
			want      []string
		}{
			{"keys", "", listKeys},
			{"keys and prefixes", "/", []string{"a", "a/", "b", "b/", "c d", "c+d", "c/", "z", "é", "日本/", "\uff61", "\U0001F600"}},
		}
		for _, tt := range pages {
			for _, size := range []int32{1, 2, 5} {
				t.Run(fmt.Sprintf("paging %s by %d", tt.name, size), func(t *testing.T) {
					in := &s3.ListObjectsV2Input{Bucket: aws.String(testBucket), MaxKeys: aws.Int32(size)}
					if tt.delimiter != "" {
						in.Delimiter = aws.String(tt.delimiter)
					}
					p := s3.NewListObjectsV2Paginator(c, in)
					var got []string
					n := 0
					for p.HasMorePages() {
						if n++; n > 100 {
							t.Fatal("ListObjectsV2 paging does not end")
						}
						out, err := p.NextPage(ctx)
						if err != nil {
							t.Fatalf("ListObjectsV2() page %d = %v", n, err)
						}
						keys, prefixes := v2Names(out)
						if kc := aws.ToInt32(out.KeyCount); kc != int32(len(keys)+len(prefixes)) || kc > size {
							t.Errorf("page %d KeyCount = %d with %d entries, want the entries, at most %d", n, kc, len(keys)+len(prefixes), size)
						}
						page := append(keys, prefixes...)
						slices.Sort(page)
						got = append(got, page...)
					}
					if diff := cmp.Diff(tt.want, got); diff != "" {
						t.Errorf("ListObjectsV2() pages mismatch (-want +got):\n%s", diff)
					}
					if wantPages := (len(tt.want) + int(size) - 1) / int(size); n != wantPages && n != wantPages+1 {
						t.Errorf("ListObjectsV2() took %d pages, want %d", n, wantPages)
					}
				})
			}
		}

		t.Run("bad continuation token", func(t *testing.T) {
			_, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(testBucket), ContinuationToken: aws.String("!!not a token!!")})
			checkErr(t, "ListObjectsV2(bad token)", err, "InvalidArgument", 400)
		})
	})
}

func v2Names(out *s3.ListObjectsV2Output) (keys, prefixes []string) {
	for _, o := range out.Contents {
		keys = append(keys, aws.ToString(o.Key))
	}
	for _, p := range out.CommonPrefixes {
		prefixes = append(prefixes, aws.ToString(p.Prefix))
	}
	return keys, prefixes
}

func TestListObjectsV1(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		var opts []mocks3.Option
		for _, k := range listKeys {
			opts = append(opts, mocks3.WithObject(testBucket, k, []byte(k)))
		}
		srv := newServer(t, opts...)
		c := srv.Client()
		ctx := t.Context()

		t.Run("single page", func(t *testing.T) {
			out, err := c.ListObjects(ctx, &s3.ListObjectsInput{Bucket: aws.String(testBucket), Prefix: aws.String("a/"), Delimiter: aws.String("/"), Marker: aws.String("a/a")})
			if err != nil {
				t.Fatalf("ListObjects() = %v", err)
			}
			var keys, prefixes []string
			for _, o := range out.Contents {
				keys = append(keys, aws.ToString(o.Key))
				if o.Owner == nil {
					t.Errorf("ListObjects() entry %q has no Owner", aws.ToString(o.Key))
				}
			}
			for _, p := range out.CommonPrefixes {
				prefixes = append(prefixes, aws.ToString(p.Prefix))
			}
			if diff := cmp.Diff([]string{"a/b"}, keys); diff != "" {
				t.Errorf("ListObjects() keys mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{"a/c/"}, prefixes); diff != "" {
				t.Errorf("ListObjects() prefixes mismatch (-want +got):\n%s", diff)
			}
			if got := aws.ToString(out.Marker); got != "a/a" {
				t.Errorf("ListObjects().Marker = %q, want %q", got, "a/a")
			}
		})

		tests := []struct {
			name      string
			delimiter string
			want      []string
		}{
			{"keys", "", listKeys},
			{"keys and prefixes", "/", []string{"a", "a/", "b", "b/", "c d", "c+d", "c/", "z", "é", "日本/", "\uff61", "\U0001F600"}},
		}
		for _, tt := range tests {
			t.Run("paging "+tt.name, func(t *testing.T) {
				var got []string
				marker := ""
				for page := 1; ; page++ {
					if page > 100 {
						t.Fatal("ListObjects paging does not end")
					}
					in := &s3.ListObjectsInput{Bucket: aws.String(testBucket), MaxKeys: aws.Int32(2), Marker: aws.String(marker)}
					if tt.delimiter != "" {
						in.Delimiter = aws.String(tt.delimiter)
					}
					out, err := c.ListObjects(ctx, in)
					if err != nil {
						t.Fatalf("ListObjects(marker %q) = %v", marker, err)
					}
					var entries []string
					for _, o := range out.Contents {
						entries = append(entries, aws.ToString(o.Key))
					}
					for _, p := range out.CommonPrefixes {
						entries = append(entries, aws.ToString(p.Prefix))
					}
					slices.Sort(entries)
					got = append(got, entries...)
					if !aws.ToBool(out.IsTruncated) {
						break
					}
					// S3 sends NextMarker only with a delimiter; without one,
					// the next marker is the last key.
					next := aws.ToString(out.NextMarker)
					switch {
					case tt.delimiter == "" && out.NextMarker != nil:
						t.Errorf("ListObjects(marker %q).NextMarker = %q, want none without a delimiter", marker, next)
					case tt.delimiter != "" && next != entries[len(entries)-1]:
						t.Errorf("ListObjects(marker %q).NextMarker = %q, want the last entry %q", marker, next, entries[len(entries)-1])
					}
					marker = entries[len(entries)-1]
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("ListObjects() pages mismatch (-want +got):\n%s", diff)
				}
			})
		}
	})
}

func TestListEncodingTypeURL(t *testing.T) {
	// Keys XML 1.0 cannot carry, and keys URL encoding changes.
	oddKeys := []string{"a b", "amp&<lt>", "c+d", "cr\rreturn", "ctl\x01char", "percent%41", "tab\there", "ü/ñ", "ü/ö"}
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		var opts []mocks3.Option
		for _, k := range oddKeys {
			opts = append(opts, mocks3.WithObject(testBucket, k, []byte(k)))
		}
		srv := newServer(t, opts...)
		c := srv.Client()
		ctx := t.Context()
		decode := func(t *testing.T, s string) string {
			t.Helper()
			d, err := url.QueryUnescape(s)
			if err != nil {
				t.Errorf("%q is not URL-encoded: %v", s, err)
			}
			return d
		}

		tests := []struct {
			name                 string
			prefix, delimiter    string
			wantKeys, wantPrefix []string
		}{
			{name: "all", wantKeys: oddKeys},
			{name: "delimiter", delimiter: "/", wantKeys: oddKeys[:7], wantPrefix: []string{"ü/"}},
			{name: "prefix", prefix: "ü/", wantKeys: []string{"ü/ñ", "ü/ö"}},
			{name: "control character prefix", prefix: "ctl\x01", wantKeys: []string{"ctl\x01char"}},
		}
		for _, tt := range tests {
			t.Run("ListObjectsV2/"+tt.name, func(t *testing.T) {
				in := &s3.ListObjectsV2Input{Bucket: aws.String(testBucket), EncodingType: types.EncodingTypeUrl}
				if tt.prefix != "" {
					in.Prefix = aws.String(tt.prefix)
				}
				if tt.delimiter != "" {
					in.Delimiter = aws.String(tt.delimiter)
				}
				out, err := c.ListObjectsV2(ctx, in)
				if err != nil {
					t.Fatalf("ListObjectsV2(encoding-type=url) = %v", err)
				}
				if out.EncodingType != types.EncodingTypeUrl {
					t.Errorf("ListObjectsV2().EncodingType = %q, want url", out.EncodingType)
				}
				keys, prefixes := v2Names(out)
				var decKeys, decPrefixes []string
				for _, k := range keys {
					if strings.ContainsAny(k, " \r\t\x01") {
						t.Errorf("ListObjectsV2() key %q is not URL-encoded", k)
					}
					decKeys = append(decKeys, decode(t, k))
				}
				for _, p := range prefixes {
					decPrefixes = append(decPrefixes, decode(t, p))
				}
				if diff := cmp.Diff(tt.wantKeys, decKeys, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("ListObjectsV2() decoded keys mismatch (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(tt.wantPrefix, decPrefixes, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("ListObjectsV2() decoded prefixes mismatch (-want +got):\n%s", diff)
				}
				if got := decode(t, aws.ToString(out.Prefix)); got != tt.prefix {
					t.Errorf("ListObjectsV2().Prefix decodes to %q, want %q", got, tt.prefix)
				}
			})
		}

		t.Run("ListObjects", func(t *testing.T) {
			out, err := c.ListObjects(ctx, &s3.ListObjectsInput{Bucket: aws.String(testBucket), EncodingType: types.EncodingTypeUrl, Marker: aws.String("c+d")})
			if err != nil {
				t.Fatalf("ListObjects(encoding-type=url) = %v", err)
			}
			var got []string
			for _, o := range out.Contents {
				got = append(got, decode(t, aws.ToString(o.Key)))
			}
			if diff := cmp.Diff(oddKeys[3:], got); diff != "" {
				t.Errorf("ListObjects() decoded keys mismatch (-want +got):\n%s", diff)
			}
		})

		t.Run("without encoding XML escapes", func(t *testing.T) {
			out, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(testBucket), Prefix: aws.String("amp")})
			if err != nil {
				t.Fatal(err)
			}
			keys, _ := v2Names(out)
			if diff := cmp.Diff([]string{"amp&<lt>"}, keys); diff != "" {
				t.Errorf("ListObjectsV2(prefix amp) mismatch (-want +got):\n%s", diff)
			}
		})

		t.Run("bad encoding type", func(t *testing.T) {
			_, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(testBucket), EncodingType: "base64"})
			checkErr(t, "ListObjectsV2(encoding-type=base64)", err, "InvalidArgument", 400)
		})
	})
}

func TestRanges(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		srv := newServer(t, mocks3.WithObject(testBucket, "digits", []byte("0123456789")), mocks3.WithObject(testBucket, "empty", nil))
		rec := newRecorder(t, srv)
		c := srv.Client(withHTTPClient(rec))
		ctx := t.Context()

		tests := []struct {
			name      string
			key       string
			rng       string
			wantBody  string
			wantRange string
		}{
			{name: "first bytes", key: "digits", rng: "bytes=0-4", wantBody: "01234", wantRange: "bytes 0-4/10"},
			{name: "middle", key: "digits", rng: "bytes=3-6", wantBody: "3456", wantRange: "bytes 3-6/10"},
			{name: "one byte", key: "digits", rng: "bytes=9-9", wantBody: "9", wantRange: "bytes 9-9/10"},
			{name: "open end", key: "digits", rng: "bytes=5-", wantBody: "56789", wantRange: "bytes 5-9/10"},
			{name: "suffix", key: "digits", rng: "bytes=-3", wantBody: "789", wantRange: "bytes 7-9/10"},
			{name: "suffix longer than object", key: "digits", rng: "bytes=-20", wantBody: "0123456789", wantRange: "bytes 0-9/10"},
			{name: "end past size", key: "digits", rng: "bytes=8-100", wantBody: "89", wantRange: "bytes 8-9/10"},
			{name: "start at size", key: "digits", rng: "bytes=10-20"},
			{name: "start past size", key: "digits", rng: "bytes=11-"},
			{name: "empty object", key: "empty", rng: "bytes=0-"},
		}
		for _, tt := range tests {
			t.Run("GetObject/"+tt.name, func(t *testing.T) {
				in := &s3.GetObjectInput{Bucket: aws.String(testBucket), Key: aws.String(tt.key), Range: aws.String(tt.rng)}
				if tt.wantBody == "" {
					checkErr(t, fmt.Sprintf("GetObject(%s)", tt.rng), getErr(ctx, c, in), "InvalidRange", 416)
					return
				}
				out, err := c.GetObject(ctx, in)
				if err != nil {
					t.Fatalf("GetObject(%s) = %v", tt.rng, err)
				}
				body, err := io.ReadAll(out.Body)
				out.Body.Close()
				if err != nil {
					t.Fatalf("GetObject(%s) body: %v", tt.rng, err)
				}
				if got := rec.Last().status; got != http.StatusPartialContent {
					t.Errorf("GetObject(%s) status = %d, want 206", tt.rng, got)
				}
				if string(body) != tt.wantBody {
					t.Errorf("GetObject(%s) body = %q, want %q", tt.rng, body, tt.wantBody)
				}
				if got := aws.ToString(out.ContentRange); got != tt.wantRange {
					t.Errorf("GetObject(%s).ContentRange = %q, want %q", tt.rng, got, tt.wantRange)
				}
				if got := aws.ToInt64(out.ContentLength); got != int64(len(tt.wantBody)) {
					t.Errorf("GetObject(%s).ContentLength = %d, want %d", tt.rng, got, len(tt.wantBody))
				}
			})
			t.Run("HeadObject/"+tt.name, func(t *testing.T) {
				out, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(testBucket), Key: aws.String(tt.key), Range: aws.String(tt.rng)})
				if tt.wantBody == "" {
					checkErr(t, fmt.Sprintf("HeadObject(%s)", tt.rng), err, "", 416)
					return
				}
				if err != nil {
					t.Fatalf("HeadObject(%s) = %v", tt.rng, err)
				}
				if got := rec.Last().status; got != http.StatusPartialContent {
					t.Errorf("HeadObject(%s) status = %d, want 206", tt.rng, got)
				}
				if got := aws.ToString(out.ContentRange); got != tt.wantRange {
					t.Errorf("HeadObject(%s).ContentRange = %q, want %q", tt.rng, got, tt.wantRange)
				}
				if got := aws.ToInt64(out.ContentLength); got != int64(len(tt.wantBody)) {
					t.Errorf("HeadObject(%s).ContentLength = %d, want %d", tt.rng, got, len(tt.wantBody))
				}
			})
		}
	})
}

type conditions struct {
	ifMatch, ifNoneMatch               string
	ifModifiedSince, ifUnmodifiedSince time.Time
}

func (cd conditions) String() string {
	var hs []string
	for _, h := range []struct {
		name, v string
		t       time.Time
	}{{"If-Match", cd.ifMatch, time.Time{}}, {"If-None-Match", cd.ifNoneMatch, time.Time{}},
		{"If-Modified-Since", "", cd.ifModifiedSince}, {"If-Unmodified-Since", "", cd.ifUnmodifiedSince}} {
		switch {
		case h.v != "":
			hs = append(hs, h.name+": "+h.v)
		case !h.t.IsZero():
			hs = append(hs, h.name+": "+h.t.Format(http.TimeFormat))
		}
	}
	return strings.Join(hs, ", ")
}

func (cd conditions) get(in *s3.GetObjectInput) {
	if cd.ifMatch != "" {
		in.IfMatch = aws.String(cd.ifMatch)
	}
	if cd.ifNoneMatch != "" {
		in.IfNoneMatch = aws.String(cd.ifNoneMatch)
	}
	if !cd.ifModifiedSince.IsZero() {
		in.IfModifiedSince = aws.Time(cd.ifModifiedSince)
	}
	if !cd.ifUnmodifiedSince.IsZero() {
		in.IfUnmodifiedSince = aws.Time(cd.ifUnmodifiedSince)
	}
}

func (cd conditions) head(in *s3.HeadObjectInput) {
	var g s3.GetObjectInput
	cd.get(&g)
	in.IfMatch, in.IfNoneMatch, in.IfModifiedSince, in.IfUnmodifiedSince = g.IfMatch, g.IfNoneMatch, g.IfModifiedSince, g.IfUnmodifiedSince
}

func TestConditionalReads(t *testing.T) {
	modified := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	before, after := modified.Add(-time.Hour), modified.Add(time.Hour)
	body := []byte("conditional body")
	etag := etagOf(body)
	const other = `"0123456789abcdef0123456789abcdef"`
	tests := []struct {
		name       string
		cond       conditions
		wantStatus int
	}{
		{"if-match", conditions{ifMatch: etag}, 200},
		{"if-match unquoted", conditions{ifMatch: strings.Trim(etag, `"`)}, 200},
		{"if-match list", conditions{ifMatch: other + ", " + etag}, 200},
		{"if-match star", conditions{ifMatch: "*"}, 200},
		{"if-match other", conditions{ifMatch: other}, 412},
		{"if-none-match", conditions{ifNoneMatch: etag}, 304},
		{"if-none-match star", conditions{ifNoneMatch: "*"}, 304},
		{"if-none-match other", conditions{ifNoneMatch: other}, 200},
		{"if-modified-since before", conditions{ifModifiedSince: before}, 200},
		{"if-modified-since same time", conditions{ifModifiedSince: modified}, 304},
		{"if-modified-since after", conditions{ifModifiedSince: after}, 304},
		{"if-unmodified-since before", conditions{ifUnmodifiedSince: before}, 412},
		{"if-unmodified-since same time", conditions{ifUnmodifiedSince: modified}, 200},
		{"if-unmodified-since after", conditions{ifUnmodifiedSince: after}, 200},
		{"if-match wins over if-unmodified-since", conditions{ifMatch: etag, ifUnmodifiedSince: before}, 200},
		{"if-none-match wins over if-modified-since", conditions{ifNoneMatch: other, ifModifiedSince: after}, 200},
		{"if-none-match and if-modified-since", conditions{ifNoneMatch: etag, ifModifiedSince: before}, 304},
		{"if-match fails before if-none-match", conditions{ifMatch: other, ifNoneMatch: etag}, 412},
	}
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		srv := newServer(t, mocks3.WithClock(func() time.Time { return modified.Add(123 * time.Millisecond) }),
			mocks3.WithObject(testBucket, "obj", body))
		c := srv.Client()
		ctx := t.Context()
		for _, tt := range tests {
			t.Run("GetObject/"+tt.name, func(t *testing.T) {
				in := &s3.GetObjectInput{Bucket: aws.String(testBucket), Key: aws.String("obj")}
				tt.cond.get(in)
				out, err := c.GetObject(ctx, in)
				switch tt.wantStatus {
				case 200:
					if err != nil {
						t.Fatalf("GetObject(%v) = %v, want success", tt.cond, err)
					}
					got, err := io.ReadAll(out.Body)
					out.Body.Close()
					if err != nil || !bytes.Equal(got, body) {
						t.Errorf("GetObject(%v) body = %q, %v; want %q", tt.cond, got, err, body)
					}
					if !out.LastModified.Equal(modified) {
						t.Errorf("GetObject().LastModified = %v, want %v", out.LastModified, modified)
					}
				case 304:
					checkErr(t, fmt.Sprintf("GetObject(%v)", tt.cond), err, "NotModified", 304)
					var re *awshttp.ResponseError
					if errors.As(err, &re) && re.Response.Header.Get("ETag") != etag {
						t.Errorf("GetObject(%v) 304 ETag = %q, want %q", tt.cond, re.Response.Header.Get("ETag"), etag)
					}
				case 412:
					checkErr(t, fmt.Sprintf("GetObject(%v)", tt.cond), err, "PreconditionFailed", 412)
				}
			})
			t.Run("HeadObject/"+tt.name, func(t *testing.T) {
				in := &s3.HeadObjectInput{Bucket: aws.String(testBucket), Key: aws.String("obj")}
				tt.cond.head(in)
				out, err := c.HeadObject(ctx, in)
				if tt.wantStatus == 200 {
					if err != nil {
						t.Fatalf("HeadObject(%v) = %v, want success", tt.cond, err)
					}
					if aws.ToString(out.ETag) != etag {
						t.Errorf("HeadObject(%v).ETag = %s, want %s", tt.cond, aws.ToString(out.ETag), etag)
					}
					return
				}
				checkErr(t, fmt.Sprintf("HeadObject(%v)", tt.cond), err, "", tt.wantStatus)
			})
		}
	})
}

func TestConditionalWrites(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		srv := newServer(t, mocks3.WithBucket(testBucket), mocks3.WithMinPartSize(1))
		c := srv.Client()
		ctx := t.Context()
		old := []byte("old contents")
		const stale = `"0123456789abcdef0123456789abcdef"`

		tests := []struct {
			name        string
			exists      bool
			ifMatch     string // "current" for the existing object's ETag
			ifNoneMatch string
			wantCode    string
			wantStatus  int
		}{
			{name: "if-none-match star on a new key", ifNoneMatch: "*"},
			{name: "if-none-match star on an existing key", exists: true, ifNoneMatch: "*", wantCode: "PreconditionFailed", wantStatus: 412},
			{name: "if-match current", exists: true, ifMatch: "current"},
			{name: "if-match stale", exists: true, ifMatch: stale, wantCode: "PreconditionFailed", wantStatus: 412},
			{name: "if-match star on an existing key", exists: true, ifMatch: "*"},
			{name: "if-match on a new key", ifMatch: stale, wantCode: "NoSuchKey", wantStatus: 404},
		}
		for _, op := range []string{"PutObject", "CompleteMultipartUpload"} {
			for i, tt := range tests {
				t.Run(op+"/"+tt.name, func(t *testing.T) {
					key := fmt.Sprintf("%s-%d", op, i)
					if tt.exists {
						if err := srv.PutObject(testBucket, key, old); err != nil {
							t.Fatal(err)
						}
					}
					ifMatch := tt.ifMatch
					if ifMatch == "current" {
						ifMatch = etagOf(old)
					}
					var im, inm *string
					if ifMatch != "" {
						im = aws.String(ifMatch)
					}
					if tt.ifNoneMatch != "" {
						inm = aws.String(tt.ifNoneMatch)
					}
					body := []byte("new contents")
					var err error
					if op == "PutObject" {
						_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(testBucket), Key: aws.String(key),
							Body: bytes.NewReader(body), IfMatch: im, IfNoneMatch: inm})
					} else {
						up, cerr := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String(key)})
						if cerr != nil {
							t.Fatal(cerr)
						}
						part, perr := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String(testBucket), Key: aws.String(key),
							UploadId: up.UploadId, PartNumber: aws.Int32(1), Body: bytes.NewReader(body)})
						if perr != nil {
							t.Fatal(perr)
						}
						_, err = c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String(key),
							UploadId: up.UploadId, IfMatch: im, IfNoneMatch: inm,
							MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{{ETag: part.ETag, PartNumber: aws.Int32(1)}}}})
					}
					call := fmt.Sprintf("%s(If-Match %q, If-None-Match %q)", op, ifMatch, tt.ifNoneMatch)
					if tt.wantCode != "" {
						checkErr(t, call, err, tt.wantCode, tt.wantStatus)
						if tt.exists {
							srv.CheckObject(t, testBucket, key, old)
						} else {
							srv.CheckNoObject(t, testBucket, key)
						}
						return
					}
					if err != nil {
						t.Fatalf("%s = %v, want success", call, err)
					}
					srv.CheckObject(t, testBucket, key, body)
				})
			}
		}
	})
}

type objectHeaders struct {
	ContentType, ContentEncoding, ContentDisposition, ContentLanguage, CacheControl, Expires string
	Metadata                                                                                 map[string]string
}

func TestObjectHeaders(t *testing.T) {
	expires := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	body := []byte("# Title\n")
	want := objectHeaders{
		ContentType:        "text/markdown; charset=utf-8",
		ContentEncoding:    "gzip",
		ContentDisposition: `attachment; filename="a b.md"`,
		ContentLanguage:    "en-GB",
		CacheControl:       "max-age=60, private",
		Expires:            expires.Format(http.TimeFormat),
		Metadata:           map[string]string{"color": "Blue", "multi-word-key": "two words", "upper": "X"},
	}
	wantRaw := []string{"x-amz-meta-color", "x-amz-meta-multi-word-key", "x-amz-meta-upper"}
	rawMeta := func(names []string) []string {
		var got []string
		for _, n := range names {
			if strings.HasPrefix(strings.ToLower(n), "x-amz-meta-") {
				got = append(got, n)
			}
		}
		slices.Sort(got)
		return got
	}

	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		srv := newServer(t, mocks3.WithBucket(testBucket))
		rec := newRecorder(t, srv)
		c := srv.Client(withHTTPClient(rec))
		ctx := t.Context()
		mustPut(t, c, testBucket, "doc.md", body, func(in *s3.PutObjectInput) {
			in.ContentType = aws.String(want.ContentType)
			in.ContentEncoding = aws.String(want.ContentEncoding)
			in.ContentDisposition = aws.String(want.ContentDisposition)
			in.ContentLanguage = aws.String(want.ContentLanguage)
			in.CacheControl = aws.String(want.CacheControl)
			in.Expires = aws.Time(expires)
			in.Metadata = map[string]string{"Color": "Blue", "multi-word-key": "two words", "UPPER": "X"}
		})

		t.Run("GetObject", func(t *testing.T) {
			out, got := mustGet(t, c, testBucket, "doc.md")
			if !bytes.Equal(got, body) {
				t.Errorf("GetObject() body = %q, want %q", got, body)
			}
			gotHeaders := objectHeaders{aws.ToString(out.ContentType), aws.ToString(out.ContentEncoding), aws.ToString(out.ContentDisposition),
				aws.ToString(out.ContentLanguage), aws.ToString(out.CacheControl), aws.ToString(out.ExpiresString), out.Metadata}
			if diff := cmp.Diff(want, gotHeaders); diff != "" {
				t.Errorf("GetObject() headers mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(wantRaw, rawMeta(rec.Last().rawNames)); diff != "" {
				t.Errorf("GetObject() metadata header names on the wire mismatch (-want +got):\n%s", diff)
			}
		})
		t.Run("HeadObject", func(t *testing.T) {
			out, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(testBucket), Key: aws.String("doc.md")})
			if err != nil {
				t.Fatal(err)
			}
			gotHeaders := objectHeaders{aws.ToString(out.ContentType), aws.ToString(out.ContentEncoding), aws.ToString(out.ContentDisposition),
				aws.ToString(out.ContentLanguage), aws.ToString(out.CacheControl), aws.ToString(out.ExpiresString), out.Metadata}
			if diff := cmp.Diff(want, gotHeaders); diff != "" {
				t.Errorf("HeadObject() headers mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(wantRaw, rawMeta(rec.Last().rawNames)); diff != "" {
				t.Errorf("HeadObject() metadata header names on the wire mismatch (-want +got):\n%s", diff)
			}
			if got := aws.ToInt64(out.ContentLength); got != int64(len(body)) {
				t.Errorf("HeadObject().ContentLength = %d, want %d", got, len(body))
			}
		})
		t.Run("response overrides", func(t *testing.T) {
			overrideExpires := time.Date(2031, 2, 3, 4, 5, 6, 0, time.UTC)
			out, _ := mustGet(t, c, testBucket, "doc.md", func(in *s3.GetObjectInput) {
				in.ResponseContentType = aws.String("application/x-override")
				in.ResponseContentEncoding = aws.String("identity")
				in.ResponseContentDisposition = aws.String("inline")
				in.ResponseContentLanguage = aws.String("fr")
				in.ResponseCacheControl = aws.String("no-store")
				in.ResponseExpires = aws.Time(overrideExpires)
			})
			wantOver := objectHeaders{"application/x-override", "identity", "inline", "fr", "no-store", overrideExpires.Format(http.TimeFormat), want.Metadata}
			gotHeaders := objectHeaders{aws.ToString(out.ContentType), aws.ToString(out.ContentEncoding), aws.ToString(out.ContentDisposition),
				aws.ToString(out.ContentLanguage), aws.ToString(out.CacheControl), aws.ToString(out.ExpiresString), out.Metadata}
			if diff := cmp.Diff(wantOver, gotHeaders); diff != "" {
				t.Errorf("GetObject(response-*) headers mismatch (-want +got):\n%s", diff)
			}
			// Overrides change the response, not the object.
			head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(testBucket), Key: aws.String("doc.md")})
			if err != nil {
				t.Fatal(err)
			}
			if got := aws.ToString(head.ContentType); got != want.ContentType {
				t.Errorf("HeadObject().ContentType after overrides = %q, want %q", got, want.ContentType)
			}
		})
		t.Run("too much metadata", func(t *testing.T) {
			_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(testBucket), Key: aws.String("big-meta"),
				Body: strings.NewReader("x"), Metadata: map[string]string{"big": strings.Repeat("m", 3000)}})
			checkErr(t, "PutObject(3000 bytes of metadata)", err, "MetadataTooLarge", 400)
			srv.CheckNoObject(t, testBucket, "big-meta")
		})

		md5b64 := func(b []byte) string {
			s := md5.Sum(b)
			return base64.StdEncoding.EncodeToString(s[:])
		}
		mds := []struct {
			name       string
			contentMD5 string
			wantCode   string
		}{
			{"correct", md5b64(body), ""},
			{"wrong", md5b64([]byte("something else")), "BadDigest"},
			{"not base64", "not*base64!", "InvalidDigest"},
			{"wrong length", base64.StdEncoding.EncodeToString([]byte("short")), "InvalidDigest"},
		}
		for i, tt := range mds {
			t.Run("Content-MD5 "+tt.name, func(t *testing.T) {
				key := fmt.Sprintf("md5-%d", i)
				out, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(testBucket), Key: aws.String(key),
					Body: bytes.NewReader(body), ContentMD5: aws.String(tt.contentMD5)})
				if tt.wantCode != "" {
					checkErr(t, fmt.Sprintf("PutObject(Content-MD5 %q)", tt.contentMD5), err, tt.wantCode, 400)
					srv.CheckNoObject(t, testBucket, key)
					return
				}
				if err != nil {
					t.Fatalf("PutObject(Content-MD5 %q) = %v, want success", tt.contentMD5, err)
				}
				if got := aws.ToString(out.ETag); got != etagOf(body) {
					t.Errorf("PutObject().ETag = %s, want %s", got, etagOf(body))
				}
				srv.CheckObject(t, testBucket, key, body)
			})
		}
	})
}

func TestMultipartUpload(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		const minPart = 1024
		srv := newServer(t, mocks3.WithBucket(testBucket), mocks3.WithMinPartSize(minPart))
		rec := newRecorder(t, srv)
		c := srv.Client(withHTTPClient(rec))
		ctx := t.Context()
		parts := [][]byte{testData(minPart, 1), testData(minPart+7, 2), testData(100, 3)}
		whole := bytes.Join(parts, nil)
		key := "dir/multi part ü"

		up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String(key),
			ContentType: aws.String("text/plain"), Metadata: map[string]string{"origin": "multipart"}})
		if err != nil {
			t.Fatalf("CreateMultipartUpload() = %v", err)
		}
		if aws.ToString(up.UploadId) == "" || aws.ToString(up.Key) != key || aws.ToString(up.Bucket) != testBucket {
			t.Fatalf("CreateMultipartUpload() = upload %q for %s/%q, want an ID for %s/%q", aws.ToString(up.UploadId), aws.ToString(up.Bucket), aws.ToString(up.Key), testBucket, key)
		}
		uploadPart := func(t *testing.T, n int32, data []byte) string {
			t.Helper()
			out, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String(testBucket), Key: aws.String(key),
				UploadId: up.UploadId, PartNumber: aws.Int32(n), Body: bytes.NewReader(data)})
			if err != nil {
				t.Fatalf("UploadPart(%d) = %v", n, err)
			}
			if got := aws.ToString(out.ETag); got != etagOf(data) {
				t.Errorf("UploadPart(%d).ETag = %s, want %s", n, got, etagOf(data))
			}
			return aws.ToString(out.ETag)
		}
		uploadPart(t, 2, []byte("replaced below")) // a part uploaded again replaces the first
		var completed []types.CompletedPart
		for i, p := range parts {
			completed = append(completed, types.CompletedPart{PartNumber: aws.Int32(int32(i + 1)), ETag: aws.String(uploadPart(t, int32(i+1), p))})
		}

		t.Run("ListParts", func(t *testing.T) {
			out, err := c.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String(testBucket), Key: aws.String(key), UploadId: up.UploadId})
			if err != nil {
				t.Fatalf("ListParts() = %v", err)
			}
			type part struct {
				Number int32
				ETag   string
				Size   int64
			}
			var got, want []part
			for _, p := range out.Parts {
				got = append(got, part{aws.ToInt32(p.PartNumber), aws.ToString(p.ETag), aws.ToInt64(p.Size)})
			}
			for i, p := range parts {
				want = append(want, part{int32(i + 1), etagOf(p), int64(len(p))})
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("ListParts() mismatch (-want +got):\n%s", diff)
			}
			paged, err := c.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String(testBucket), Key: aws.String(key), UploadId: up.UploadId,
				MaxParts: aws.Int32(1), PartNumberMarker: aws.String("1")})
			if err != nil {
				t.Fatalf("ListParts(max 1 after 1) = %v", err)
			}
			if len(paged.Parts) != 1 || aws.ToInt32(paged.Parts[0].PartNumber) != 2 || !aws.ToBool(paged.IsTruncated) || aws.ToString(paged.NextPartNumberMarker) != "2" {
				t.Errorf("ListParts(max 1 after 1) = %d parts, truncated %v, next %q; want part 2, truncated, next 2",
					len(paged.Parts), aws.ToBool(paged.IsTruncated), aws.ToString(paged.NextPartNumberMarker))
			}
		})

		t.Run("ListMultipartUploads", func(t *testing.T) {
			other, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String("another")})
			if err != nil {
				t.Fatal(err)
			}
			defer c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String("another"), UploadId: other.UploadId})
			tests := []struct {
				prefix string
				want   []string
			}{
				{"", []string{"another " + aws.ToString(other.UploadId), key + " " + aws.ToString(up.UploadId)}},
				{"dir/", []string{key + " " + aws.ToString(up.UploadId)}},
				{"none", nil},
			}
			for _, tt := range tests {
				out, err := c.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String(testBucket), Prefix: aws.String(tt.prefix)})
				if err != nil {
					t.Fatalf("ListMultipartUploads(%q) = %v", tt.prefix, err)
				}
				var got []string
				for _, u := range out.Uploads {
					got = append(got, aws.ToString(u.Key)+" "+aws.ToString(u.UploadId))
					if u.Initiated == nil {
						t.Errorf("ListMultipartUploads(%q): upload %q has no Initiated time", tt.prefix, aws.ToString(u.Key))
					}
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("ListMultipartUploads(%q) mismatch (-want +got):\n%s", tt.prefix, diff)
				}
			}
		})

		t.Run("CompleteMultipartUpload", func(t *testing.T) {
			srv.CheckNoObject(t, testBucket, key)
			out, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String(key),
				UploadId: up.UploadId, MultipartUpload: &types.CompletedMultipartUpload{Parts: completed}})
			if err != nil {
				t.Fatalf("CompleteMultipartUpload() = %v", err)
			}
			wantETag := multipartETag(parts...)
			if got := aws.ToString(out.ETag); got != wantETag {
				t.Errorf("CompleteMultipartUpload().ETag = %s, want %s", got, wantETag)
			}
			srv.CheckObject(t, testBucket, key, whole)
			get, body := mustGet(t, c, testBucket, key)
			if !bytes.Equal(body, whole) {
				t.Errorf("GetObject() = %d bytes, want the %d uploaded", len(body), len(whole))
			}
			if aws.ToString(get.ETag) != wantETag || aws.ToString(get.ContentType) != "text/plain" || get.Metadata["origin"] != "multipart" {
				t.Errorf("GetObject() = ETag %s, type %q, metadata %v; want %s, text/plain and the upload's metadata",
					aws.ToString(get.ETag), aws.ToString(get.ContentType), get.Metadata, wantETag)
			}

			_, err = c.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String(testBucket), Key: aws.String(key), UploadId: up.UploadId})
			checkErr(t, "ListParts() after complete", err, "NoSuchUpload", 404)
			list, err := c.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String(testBucket)})
			if err != nil {
				t.Fatal(err)
			}
			if len(list.Uploads) != 0 {
				t.Errorf("ListMultipartUploads() after complete = %d uploads, want none", len(list.Uploads))
			}
		})

		t.Run("part reads", func(t *testing.T) {
			var start int
			for i, p := range parts {
				n := int32(i + 1)
				rng := fmt.Sprintf("bytes %d-%d/%d", start, start+len(p)-1, len(whole))
				start += len(p)
				get, body := mustGet(t, c, testBucket, key, func(in *s3.GetObjectInput) { in.PartNumber = aws.Int32(n) })
				if got := rec.Last().status; got != http.StatusPartialContent {
					t.Errorf("GetObject(part %d) status = %d, want 206", n, got)
				}
				if !bytes.Equal(body, p) {
					t.Errorf("GetObject(part %d) = %d bytes, want part %d's %d", n, len(body), n, len(p))
				}
				if got := aws.ToInt32(get.PartsCount); got != int32(len(parts)) {
					t.Errorf("GetObject(part %d).PartsCount = %d, want %d", n, got, len(parts))
				}
				if got := aws.ToString(get.ContentRange); got != rng {
					t.Errorf("GetObject(part %d).ContentRange = %q, want %q", n, got, rng)
				}
				head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(testBucket), Key: aws.String(key), PartNumber: aws.Int32(n)})
				if err != nil {
					t.Fatalf("HeadObject(part %d) = %v", n, err)
				}
				if aws.ToInt32(head.PartsCount) != int32(len(parts)) || aws.ToInt64(head.ContentLength) != int64(len(p)) || aws.ToString(head.ContentRange) != rng {
					t.Errorf("HeadObject(part %d) = parts %d, length %d, range %q; want %d, %d, %q", n,
						aws.ToInt32(head.PartsCount), aws.ToInt64(head.ContentLength), aws.ToString(head.ContentRange), len(parts), len(p), rng)
				}
			}
			err := getErr(ctx, c, &s3.GetObjectInput{Bucket: aws.String(testBucket), Key: aws.String(key), PartNumber: aws.Int32(4)})
			checkErr(t, "GetObject(part 4 of 3)", err, "InvalidPartNumber", 416)
			_, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(testBucket), Key: aws.String(key), PartNumber: aws.Int32(4)})
			checkErr(t, "HeadObject(part 4 of 3)", err, "", 416)

			// A single-part object has one part, the whole object.
			single := []byte("single part object")
			mustPut(t, c, testBucket, "single", single)
			get, body := mustGet(t, c, testBucket, "single", func(in *s3.GetObjectInput) { in.PartNumber = aws.Int32(1) })
			if !bytes.Equal(body, single) {
				t.Errorf("GetObject(single, part 1) = %q, want %q", body, single)
			}
			if get.PartsCount != nil && aws.ToInt32(get.PartsCount) != 1 {
				t.Errorf("GetObject(single, part 1).PartsCount = %d, want none or 1", aws.ToInt32(get.PartsCount))
			}
			err = getErr(ctx, c, &s3.GetObjectInput{Bucket: aws.String(testBucket), Key: aws.String("single"), PartNumber: aws.Int32(2)})
			checkErr(t, "GetObject(single, part 2)", err, "InvalidPartNumber", 416)
		})
	})
}

func TestMultipartErrors(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		const minPart = 1024
		srv := newServer(t, mocks3.WithBucket(testBucket), mocks3.WithMinPartSize(minPart))
		c := srv.Client()
		ctx := t.Context()
		big1, big2, small := testData(minPart, 1), testData(minPart, 2), testData(10, 3)

		// start creates an upload for key with the given parts and returns its
		// ID and the parts' ETags.
		start := func(t *testing.T, key string, parts ...[]byte) (*string, []string) {
			t.Helper()
			up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String(key)})
			if err != nil {
				t.Fatalf("CreateMultipartUpload(%q) = %v", key, err)
			}
			var etags []string
			for i, p := range parts {
				out, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String(testBucket), Key: aws.String(key),
					UploadId: up.UploadId, PartNumber: aws.Int32(int32(i + 1)), Body: bytes.NewReader(p)})
				if err != nil {
					t.Fatalf("UploadPart(%q, %d) = %v", key, i+1, err)
				}
				etags = append(etags, aws.ToString(out.ETag))
			}
			return up.UploadId, etags
		}
		part := func(n int32, etag string) types.CompletedPart {
			return types.CompletedPart{PartNumber: aws.Int32(n), ETag: aws.String(etag)}
		}

		tests := []struct {
			name       string
			uploaded   [][]byte
			complete   func(etags []string) []types.CompletedPart
			uploadID   string // overrides the real one
			wantCode   string
			wantStatus int
		}{
			{"missing part", [][]byte{big1, big2}, func(e []string) []types.CompletedPart { return []types.CompletedPart{part(1, e[0]), part(9, e[1])} },
				"", "InvalidPart", 400},
			{"wrong ETag", [][]byte{big1, big2}, func(e []string) []types.CompletedPart { return []types.CompletedPart{part(1, e[1]), part(2, e[1])} },
				"", "InvalidPart", 400},
			{"out of order", [][]byte{big1, big2}, func(e []string) []types.CompletedPart { return []types.CompletedPart{part(2, e[1]), part(1, e[0])} },
				"", "InvalidPartOrder", 400},
			{"repeated part", [][]byte{big1, big2}, func(e []string) []types.CompletedPart { return []types.CompletedPart{part(1, e[0]), part(1, e[0])} },
				"", "InvalidPartOrder", 400},
			{"small part before the last", [][]byte{small, big2}, func(e []string) []types.CompletedPart { return []types.CompletedPart{part(1, e[0]), part(2, e[1])} },
				"", "EntityTooSmall", 400},
			{"no parts", [][]byte{big1}, func(e []string) []types.CompletedPart { return []types.CompletedPart{} },
				"", "MalformedXML", 400},
			{"unknown upload", [][]byte{big1}, func(e []string) []types.CompletedPart { return []types.CompletedPart{part(1, e[0])} },
				"no-such-upload", "NoSuchUpload", 404},
		}
		for i, tt := range tests {
			t.Run("CompleteMultipartUpload/"+tt.name, func(t *testing.T) {
				key := fmt.Sprintf("bad-%d", i)
				id, etags := start(t, key, tt.uploaded...)
				if tt.uploadID != "" {
					id = aws.String(tt.uploadID)
				}
				_, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String(key),
					UploadId: id, MultipartUpload: &types.CompletedMultipartUpload{Parts: tt.complete(etags)}})
				checkErr(t, "CompleteMultipartUpload()", err, tt.wantCode, tt.wantStatus)
				srv.CheckNoObject(t, testBucket, key)
			})
		}

		t.Run("small last part is fine", func(t *testing.T) {
			id, etags := start(t, "good", big1, small)
			out, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String("good"),
				UploadId: id, MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{part(1, etags[0]), part(2, etags[1])}}})
			if err != nil {
				t.Fatalf("CompleteMultipartUpload() = %v", err)
			}
			if got, want := aws.ToString(out.ETag), multipartETag(big1, small); got != want {
				t.Errorf("CompleteMultipartUpload().ETag = %s, want %s", got, want)
			}
		})

		t.Run("subset of parts", func(t *testing.T) {
			id, etags := start(t, "subset", big1, big2, small)
			_, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String("subset"),
				UploadId: id, MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{part(1, etags[0]), part(3, etags[2])}}})
			if err != nil {
				t.Fatalf("CompleteMultipartUpload(parts 1, 3) = %v", err)
			}
			srv.CheckObject(t, testBucket, "subset", append(slices.Clone(big1), small...))
		})

		t.Run("AbortMultipartUpload", func(t *testing.T) {
			id, _ := start(t, "aborted", big1)
			if _, err := c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String("aborted"), UploadId: id}); err != nil {
				t.Fatalf("AbortMultipartUpload() = %v", err)
			}
			_, err := c.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String(testBucket), Key: aws.String("aborted"), UploadId: id})
			checkErr(t, "ListParts() after abort", err, "NoSuchUpload", 404)
			_, err = c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String(testBucket), Key: aws.String("aborted"), UploadId: id,
				PartNumber: aws.Int32(2), Body: bytes.NewReader(big2)})
			checkErr(t, "UploadPart() after abort", err, "NoSuchUpload", 404)
			_, err = c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String("aborted"), UploadId: id})
			checkErr(t, "AbortMultipartUpload() again", err, "NoSuchUpload", 404)
			srv.CheckNoObject(t, testBucket, "aborted")
		})

		t.Run("bad part numbers", func(t *testing.T) {
			id, _ := start(t, "numbers")
			for _, n := range []int32{0, 10001} {
				_, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String(testBucket), Key: aws.String("numbers"), UploadId: id,
					PartNumber: aws.Int32(n), Body: bytes.NewReader(small)})
				checkErr(t, fmt.Sprintf("UploadPart(part %d)", n), err, "InvalidArgument", 400)
			}
		})

		t.Run("CreateMultipartUpload missing bucket", func(t *testing.T) {
			_, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("no-such-bucket"), Key: aws.String("k")})
			checkErr(t, "CreateMultipartUpload(no-such-bucket)", err, "NoSuchBucket", 404)
		})
	})
}

func TestUploadPartCopy(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		const minPart = 1024
		src := testData(3000, 7)
		srv := newServer(t, mocks3.WithMinPartSize(minPart), mocks3.WithObject(testBucket, "src ü", src))
		c := srv.Client()
		ctx := t.Context()
		up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String("assembled")})
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name     string
			part     int32
			rng      string
			want     []byte
			wantCode string
		}{
			{name: "first range", part: 1, rng: "bytes=0-1023", want: src[:1024]},
			{name: "second range", part: 2, rng: "bytes=1024-2999", want: src[1024:]},
			{name: "whole object", part: 3, want: src},
			{name: "range past the end", part: 4, rng: "bytes=0-3000", wantCode: "InvalidArgument"},
			{name: "open range", part: 4, rng: "bytes=10-", wantCode: "InvalidArgument"},
			{name: "suffix range", part: 4, rng: "bytes=-10", wantCode: "InvalidArgument"},
			{name: "not a range", part: 4, rng: "0-10", wantCode: "InvalidArgument"},
		}
		var completed []types.CompletedPart
		var want []byte
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				in := &s3.UploadPartCopyInput{Bucket: aws.String(testBucket), Key: aws.String("assembled"), UploadId: up.UploadId,
					PartNumber: aws.Int32(tt.part), CopySource: aws.String(copySource(testBucket, "src ü"))}
				if tt.rng != "" {
					in.CopySourceRange = aws.String(tt.rng)
				}
				out, err := c.UploadPartCopy(ctx, in)
				if tt.wantCode != "" {
					checkErr(t, fmt.Sprintf("UploadPartCopy(%q)", tt.rng), err, tt.wantCode, 400)
					return
				}
				if err != nil {
					t.Fatalf("UploadPartCopy(%q) = %v", tt.rng, err)
				}
				if got := aws.ToString(out.CopyPartResult.ETag); got != etagOf(tt.want) {
					t.Errorf("UploadPartCopy(%q).ETag = %s, want %s", tt.rng, got, etagOf(tt.want))
				}
				completed = append(completed, types.CompletedPart{PartNumber: aws.Int32(tt.part), ETag: out.CopyPartResult.ETag})
				want = append(want, tt.want...)
			})
		}
		t.Run("missing source", func(t *testing.T) {
			_, err := c.UploadPartCopy(ctx, &s3.UploadPartCopyInput{Bucket: aws.String(testBucket), Key: aws.String("assembled"), UploadId: up.UploadId,
				PartNumber: aws.Int32(5), CopySource: aws.String(copySource(testBucket, "nope"))})
			checkErr(t, "UploadPartCopy(missing source)", err, "NoSuchKey", 404)
		})
		t.Run("complete", func(t *testing.T) {
			if len(completed) != 3 {
				t.Fatalf("%d parts copied, want 3", len(completed))
			}
			out, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String("assembled"),
				UploadId: up.UploadId, MultipartUpload: &types.CompletedMultipartUpload{Parts: completed}})
			if err != nil {
				t.Fatalf("CompleteMultipartUpload() = %v", err)
			}
			if got, wantETag := aws.ToString(out.ETag), multipartETag(src[:1024], src[1024:], src); got != wantETag {
				t.Errorf("CompleteMultipartUpload().ETag = %s, want %s", got, wantETag)
			}
			srv.CheckObject(t, testBucket, "assembled", want)
		})
	})
}

var checksumAlgorithms = []types.ChecksumAlgorithm{
	types.ChecksumAlgorithmCrc32,
	types.ChecksumAlgorithmCrc32c,
	types.ChecksumAlgorithmCrc64nvme,
	types.ChecksumAlgorithmSha1,
	types.ChecksumAlgorithmSha256,
}

func TestChecksums(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		srv := newServer(t, mocks3.WithBucket(testBucket))
		c := srv.Client()
		ctx := t.Context()
		body := testData(1000, 11)

		for _, alg := range checksumAlgorithms {
			t.Run(string(alg), func(t *testing.T) {
				key := "sum-" + string(alg)
				want := checksumsWith(alg, checksumOf(alg, body), types.ChecksumTypeFullObject)
				put := mustPut(t, c, testBucket, key, body, func(in *s3.PutObjectInput) { in.ChecksumAlgorithm = alg })
				if diff := cmp.Diff(want, putChecksums(put)); diff != "" {
					t.Errorf("PutObject(%s) checksums mismatch (-want +got):\n%s", alg, diff)
				}
				get, got := mustGet(t, c, testBucket, key, func(in *s3.GetObjectInput) { in.ChecksumMode = types.ChecksumModeEnabled })
				if !bytes.Equal(got, body) {
					t.Errorf("GetObject(%s) body differs", key)
				}
				if diff := cmp.Diff(want, getChecksums(get)); diff != "" {
					t.Errorf("GetObject(%s) checksums mismatch (-want +got):\n%s", alg, diff)
				}
				head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(testBucket), Key: aws.String(key), ChecksumMode: types.ChecksumModeEnabled})
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(want, headChecksums(head)); diff != "" {
					t.Errorf("HeadObject(%s, checksum mode) checksums mismatch (-want +got):\n%s", alg, diff)
				}
				head, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(testBucket), Key: aws.String(key)})
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(checksums{}, headChecksums(head)); diff != "" {
					t.Errorf("HeadObject(%s) without checksum mode: checksums mismatch (-want +got):\n%s", alg, diff)
				}

				// A range is not the whole object: no whole-object checksum,
				// or the SDK fails validating it.
				get, got = mustGet(t, c, testBucket, key, func(in *s3.GetObjectInput) {
					in.ChecksumMode = types.ChecksumModeEnabled
					in.Range = aws.String("bytes=10-99")
				})
				if !bytes.Equal(got, body[10:100]) {
					t.Errorf("GetObject(%s, bytes=10-99) body differs", key)
				}
				if diff := cmp.Diff(checksums{}, getChecksums(get), cmpopts.IgnoreFields(checksums{}, "Type")); diff != "" {
					t.Errorf("GetObject(%s, bytes=10-99) checksums mismatch (-want +got):\n%s", alg, diff)
				}

				wrong := checksumOf(alg, []byte("something else"))
				in := &s3.PutObjectInput{Bucket: aws.String(testBucket), Key: aws.String("bad-" + key), Body: bytes.NewReader(body), ChecksumAlgorithm: alg}
				switch alg {
				case types.ChecksumAlgorithmCrc32:
					in.ChecksumCRC32 = aws.String(wrong)
				case types.ChecksumAlgorithmCrc32c:
					in.ChecksumCRC32C = aws.String(wrong)
				case types.ChecksumAlgorithmCrc64nvme:
					in.ChecksumCRC64NVME = aws.String(wrong)
				case types.ChecksumAlgorithmSha1:
					in.ChecksumSHA1 = aws.String(wrong)
				case types.ChecksumAlgorithmSha256:
					in.ChecksumSHA256 = aws.String(wrong)
				}
				_, err = c.PutObject(ctx, in)
				checkErr(t, fmt.Sprintf("PutObject(wrong %s)", alg), err, "BadDigest", 400)
				srv.CheckNoObject(t, testBucket, "bad-"+key)
			})
		}

		t.Run("default CRC32", func(t *testing.T) {
			// The SDK sends a CRC32 unless told otherwise; S3 keeps it.
			mustPut(t, c, testBucket, "default", body)
			head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(testBucket), Key: aws.String("default"), ChecksumMode: types.ChecksumModeEnabled})
			if err != nil {
				t.Fatal(err)
			}
			want := checksumsWith(types.ChecksumAlgorithmCrc32, checksumOf(types.ChecksumAlgorithmCrc32, body), types.ChecksumTypeFullObject)
			if diff := cmp.Diff(want, headChecksums(head)); diff != "" {
				t.Errorf("HeadObject(default) checksums mismatch (-want +got):\n%s", diff)
			}
		})
	})
}

func TestMultipartChecksums(t *testing.T) {
	tests := []struct {
		name     string
		alg      types.ChecksumAlgorithm
		typ      types.ChecksumType // asked for; "" leaves the default
		wantType types.ChecksumType
	}{
		{"CRC32 default composite", types.ChecksumAlgorithmCrc32, "", types.ChecksumTypeComposite},
		{"CRC32 full object", types.ChecksumAlgorithmCrc32, types.ChecksumTypeFullObject, types.ChecksumTypeFullObject},
		{"CRC32C composite", types.ChecksumAlgorithmCrc32c, types.ChecksumTypeComposite, types.ChecksumTypeComposite},
		{"CRC32C full object", types.ChecksumAlgorithmCrc32c, types.ChecksumTypeFullObject, types.ChecksumTypeFullObject},
		{"CRC64NVME default full object", types.ChecksumAlgorithmCrc64nvme, "", types.ChecksumTypeFullObject},
		{"SHA1 composite", types.ChecksumAlgorithmSha1, "", types.ChecksumTypeComposite},
		{"SHA256 composite", types.ChecksumAlgorithmSha256, types.ChecksumTypeComposite, types.ChecksumTypeComposite},
	}
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		const minPart = 1024
		srv := newServer(t, mocks3.WithBucket(testBucket), mocks3.WithMinPartSize(minPart))
		c := srv.Client()
		ctx := t.Context()
		parts := [][]byte{testData(minPart, 21), testData(minPart+3, 22), testData(17, 23)}
		whole := bytes.Join(parts, nil)

		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				key := fmt.Sprintf("mp-%d", i)
				up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String(key),
					ChecksumAlgorithm: tt.alg, ChecksumType: tt.typ})
				if err != nil {
					t.Fatalf("CreateMultipartUpload(%s, %s) = %v", tt.alg, tt.typ, err)
				}
				if up.ChecksumAlgorithm != tt.alg || up.ChecksumType != tt.wantType {
					t.Errorf("CreateMultipartUpload() = %s %s, want %s %s", up.ChecksumAlgorithm, up.ChecksumType, tt.alg, tt.wantType)
				}
				var completed []types.CompletedPart
				for j, p := range parts {
					out, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String(testBucket), Key: aws.String(key), UploadId: up.UploadId,
						PartNumber: aws.Int32(int32(j + 1)), Body: bytes.NewReader(p), ChecksumAlgorithm: tt.alg})
					if err != nil {
						t.Fatalf("UploadPart(%d) = %v", j+1, err)
					}
					want := checksumsWith(tt.alg, checksumOf(tt.alg, p), "")
					if diff := cmp.Diff(want, partChecksums(out)); diff != "" {
						t.Errorf("UploadPart(%d) checksums mismatch (-want +got):\n%s", j+1, diff)
					}
					completed = append(completed, types.CompletedPart{PartNumber: aws.Int32(int32(j + 1)), ETag: out.ETag,
						ChecksumCRC32: out.ChecksumCRC32, ChecksumCRC32C: out.ChecksumCRC32C, ChecksumCRC64NVME: out.ChecksumCRC64NVME,
						ChecksumSHA1: out.ChecksumSHA1, ChecksumSHA256: out.ChecksumSHA256})
				}

				lp, err := c.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String(testBucket), Key: aws.String(key), UploadId: up.UploadId})
				if err != nil {
					t.Fatal(err)
				}
				for j, p := range lp.Parts {
					got := checksumsOf(p.ChecksumCRC32, p.ChecksumCRC32C, p.ChecksumCRC64NVME, p.ChecksumSHA1, p.ChecksumSHA256, "")
					if diff := cmp.Diff(checksumsWith(tt.alg, checksumOf(tt.alg, parts[j]), ""), got); diff != "" {
						t.Errorf("ListParts() part %d checksums mismatch (-want +got):\n%s", j+1, diff)
					}
				}

				wantValue := compositeOf(tt.alg, parts...)
				if tt.wantType == types.ChecksumTypeFullObject {
					wantValue = checksumOf(tt.alg, whole)
				}
				want := checksumsWith(tt.alg, wantValue, tt.wantType)
				out, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String(key),
					UploadId: up.UploadId, MultipartUpload: &types.CompletedMultipartUpload{Parts: completed}})
				if err != nil {
					t.Fatalf("CompleteMultipartUpload() = %v", err)
				}
				if diff := cmp.Diff(want, completeChecksums(out)); diff != "" {
					t.Errorf("CompleteMultipartUpload() checksums mismatch (-want +got):\n%s", diff)
				}
				head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(testBucket), Key: aws.String(key), ChecksumMode: types.ChecksumModeEnabled})
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(want, headChecksums(head)); diff != "" {
					t.Errorf("HeadObject() checksums mismatch (-want +got):\n%s", diff)
				}
				// The SDK validates a full-object checksum and skips a composite one.
				get, body := mustGet(t, c, testBucket, key, func(in *s3.GetObjectInput) { in.ChecksumMode = types.ChecksumModeEnabled })
				if !bytes.Equal(body, whole) {
					t.Errorf("GetObject() body differs")
				}
				if diff := cmp.Diff(want, getChecksums(get)); diff != "" {
					t.Errorf("GetObject() checksums mismatch (-want +got):\n%s", diff)
				}
				// A part read carries the part's checksum when the object's is
				// composite, and none otherwise; the SDK validates what it gets.
				get, body = mustGet(t, c, testBucket, key, func(in *s3.GetObjectInput) {
					in.ChecksumMode = types.ChecksumModeEnabled
					in.PartNumber = aws.Int32(2)
				})
				if !bytes.Equal(body, parts[1]) {
					t.Errorf("GetObject(part 2) body differs")
				}
				wantPart := checksums{}
				if tt.wantType == types.ChecksumTypeComposite {
					wantPart = checksumsWith(tt.alg, checksumOf(tt.alg, parts[1]), "")
				}
				if diff := cmp.Diff(wantPart, getChecksums(get), cmpopts.IgnoreFields(checksums{}, "Type")); diff != "" {
					t.Errorf("GetObject(part 2) checksums mismatch (-want +got):\n%s", diff)
				}
				get, _ = mustGet(t, c, testBucket, key, func(in *s3.GetObjectInput) {
					in.ChecksumMode = types.ChecksumModeEnabled
					in.Range = aws.String("bytes=0-9")
				})
				if diff := cmp.Diff(checksums{}, getChecksums(get), cmpopts.IgnoreFields(checksums{}, "Type")); diff != "" {
					t.Errorf("GetObject(bytes=0-9) checksums mismatch (-want +got):\n%s", diff)
				}
			})
		}

		t.Run("part with another algorithm", func(t *testing.T) {
			up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String("mixed"),
				ChecksumAlgorithm: types.ChecksumAlgorithmSha256})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String(testBucket), Key: aws.String("mixed"), UploadId: up.UploadId,
				PartNumber: aws.Int32(1), Body: bytes.NewReader(parts[0]), ChecksumAlgorithm: types.ChecksumAlgorithmCrc32})
			checkErr(t, "UploadPart(CRC32 into a SHA256 upload)", err, "InvalidRequest", 400)
		})

		t.Run("wrong part checksum", func(t *testing.T) {
			up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String("wrong"),
				ChecksumAlgorithm: types.ChecksumAlgorithmCrc32c})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String(testBucket), Key: aws.String("wrong"), UploadId: up.UploadId,
				PartNumber: aws.Int32(1), Body: bytes.NewReader(parts[0]), ChecksumAlgorithm: types.ChecksumAlgorithmCrc32c,
				ChecksumCRC32C: aws.String(checksumOf(types.ChecksumAlgorithmCrc32c, parts[1]))})
			checkErr(t, "UploadPart(wrong CRC32C)", err, "BadDigest", 400)
			lp, err := c.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String(testBucket), Key: aws.String("wrong"), UploadId: up.UploadId})
			if err != nil {
				t.Fatal(err)
			}
			if len(lp.Parts) != 0 {
				t.Errorf("ListParts() after a bad part = %d parts, want none", len(lp.Parts))
			}
		})
	})
}

func TestManager(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		srv := newServer(t, mocks3.WithBucket(testBucket))
		c := srv.Client()
		ctx := t.Context()
		const partSize = 5 << 20
		data := testData(12<<20, 31)
		parts := [][]byte{data[:partSize], data[partSize : 2*partSize], data[2*partSize:]}

		up := manager.NewUploader(c, func(u *manager.Uploader) { u.PartSize = partSize })
		res, err := up.Upload(ctx, &s3.PutObjectInput{Bucket: aws.String(testBucket), Key: aws.String("big"), Body: bytes.NewReader(data)})
		if err != nil {
			t.Fatalf("Upload() = %v", err)
		}
		if got, want := aws.ToString(res.ETag), multipartETag(parts...); got != want {
			t.Errorf("Upload().ETag = %s, want %s", got, want)
		}
		srv.CheckObject(t, testBucket, "big", data)

		// The manager asks for CRC32 and sends each part's checksum on
		// completion: the object gets a composite CRC32.
		head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(testBucket), Key: aws.String("big"), ChecksumMode: types.ChecksumModeEnabled})
		if err != nil {
			t.Fatal(err)
		}
		want := checksumsWith(types.ChecksumAlgorithmCrc32, compositeOf(types.ChecksumAlgorithmCrc32, parts...), types.ChecksumTypeComposite)
		if diff := cmp.Diff(want, headChecksums(head)); diff != "" {
			t.Errorf("HeadObject() after Upload() checksums mismatch (-want +got):\n%s", diff)
		}
		if got := aws.ToInt64(head.ContentLength); got != int64(len(data)) {
			t.Errorf("HeadObject().ContentLength = %d, want %d", got, len(data))
		}

		small := []byte("below the part size")
		if _, err := up.Upload(ctx, &s3.PutObjectInput{Bucket: aws.String(testBucket), Key: aws.String("small"), Body: bytes.NewReader(small)}); err != nil {
			t.Fatalf("Upload(small) = %v", err)
		}
		srv.CheckObject(t, testBucket, "small", small)

		// The downloader reads by range, 5 MiB at a time, concurrently.
		down := manager.NewDownloader(c, func(d *manager.Downloader) { d.PartSize = partSize })
		for _, key := range []string{"big", "small"} {
			want, err := srv.GetObject(testBucket, key)
			if err != nil {
				t.Fatal(err)
			}
			buf := manager.NewWriteAtBuffer(make([]byte, 0, len(want))) // sized, or every write reallocates it
			n, err := down.Download(ctx, buf, &s3.GetObjectInput{Bucket: aws.String(testBucket), Key: aws.String(key)})
			if err != nil {
				t.Fatalf("Download(%q) = %v", key, err)
			}
			if n != int64(len(want)) || !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("Download(%q) = %d bytes, want the %d uploaded", key, n, len(want))
			}
		}
	})
}

func TestTransferManager(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		const partSize = 64 << 10
		srv := newServer(t, mocks3.WithBucket(testBucket), mocks3.WithMinPartSize(partSize))
		rec := newRecorder(t, srv)
		c := srv.Client(withHTTPClient(rec))
		ctx := t.Context()
		tm := transfermanager.New(c, func(o *transfermanager.Options) {
			o.PartSizeBytes = partSize
			o.MultipartUploadThreshold = partSize
			o.Concurrency = 3
		})
		data := testData(4*partSize+1234, 41)
		var parts [][]byte
		for rest := data; len(rest) > 0; {
			n := min(partSize, len(rest))
			parts, rest = append(parts, rest[:n]), rest[n:]
		}

		tests := []struct {
			name      string
			data      []byte
			wantETag  string
			wantParts int
		}{
			{"multipart", data, multipartETag(parts...), len(parts)},
			{"single", data[:1000], etagOf(data[:1000]), 1},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				up, err := tm.UploadObject(ctx, &transfermanager.UploadObjectInput{Bucket: aws.String(testBucket), Key: aws.String(tt.name), Body: bytes.NewReader(tt.data)})
				if err != nil {
					t.Fatalf("UploadObject(%q) = %v", tt.name, err)
				}
				if got := aws.ToString(up.ETag); got != tt.wantETag {
					t.Errorf("UploadObject(%q).ETag = %s, want %s", tt.name, got, tt.wantETag)
				}
				srv.CheckObject(t, testBucket, tt.name, tt.data)

				// DownloadObject reads part 1, then the other parts by number
				// with If-Match.
				rec.Sent()
				buf := manager.NewWriteAtBuffer(make([]byte, 0, len(tt.data))) // sized, or every write reallocates it
				down, err := tm.DownloadObject(ctx, &transfermanager.DownloadObjectInput{Bucket: aws.String(testBucket), Key: aws.String(tt.name), WriterAt: buf})
				if err != nil {
					t.Fatalf("DownloadObject(%q) = %v", tt.name, err)
				}
				var gotParts []string
				for _, ex := range rec.Sent() {
					q, _ := url.ParseQuery(ex.query)
					n := q.Get("partNumber")
					gotParts = append(gotParts, n)
					if ifMatch := ex.reqHeader.Get("If-Match"); n != "1" && ifMatch != tt.wantETag {
						t.Errorf("DownloadObject(%q) GET part %s with If-Match %q, want %s", tt.name, n, ifMatch, tt.wantETag)
					}
				}
				slices.Sort(gotParts)
				var wantParts []string
				for i := range tt.wantParts {
					wantParts = append(wantParts, fmt.Sprint(i+1))
				}
				if diff := cmp.Diff(wantParts, gotParts); diff != "" {
					t.Errorf("DownloadObject(%q) part requests mismatch (-want +got):\n%s", tt.name, diff)
				}
				if !bytes.Equal(buf.Bytes(), tt.data) {
					t.Errorf("DownloadObject(%q) = %d bytes, want the %d uploaded", tt.name, len(buf.Bytes()), len(tt.data))
				}
				if got := aws.ToInt64(down.ContentLength); got != int64(len(tt.data)) {
					t.Errorf("DownloadObject(%q).ContentLength = %d, want %d", tt.name, got, len(tt.data))
				}

				get, err := tm.GetObject(ctx, &transfermanager.GetObjectInput{Bucket: aws.String(testBucket), Key: aws.String(tt.name)})
				if err != nil {
					t.Fatalf("GetObject(%q) = %v", tt.name, err)
				}
				got, err := io.ReadAll(get.Body)
				if err != nil {
					t.Fatalf("GetObject(%q) body: %v", tt.name, err)
				}
				if !bytes.Equal(got, tt.data) {
					t.Errorf("GetObject(%q) = %d bytes, want the %d uploaded", tt.name, len(got), len(tt.data))
				}
			})
		}
	})
}

func TestUnsupportedOperations(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		body := []byte("keep me")
		srv := newServer(t, mocks3.WithObject(testBucket, "obj", body))
		c := srv.Client()
		ctx := t.Context()
		b, k := aws.String(testBucket), aws.String("obj")
		tagging := &types.Tagging{TagSet: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}}

		tests := []struct {
			op   string
			call func() error
		}{
			{"PutObjectTagging", func() error {
				_, err := c.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: b, Key: k, Tagging: tagging})
				return err
			}},
			{"GetObjectRetention", func() error {
				_, err := c.GetObjectRetention(ctx, &s3.GetObjectRetentionInput{Bucket: b, Key: k})
				return err
			}},
			{"DeleteObjectTagging", func() error {
				_, err := c.DeleteObjectTagging(ctx, &s3.DeleteObjectTaggingInput{Bucket: b, Key: k})
				return err
			}},
			{"GetObjectAcl", func() error {
				_, err := c.GetObjectAcl(ctx, &s3.GetObjectAclInput{Bucket: b, Key: k})
				return err
			}},
			{"PutObjectAcl", func() error {
				_, err := c.PutObjectAcl(ctx, &s3.PutObjectAclInput{Bucket: b, Key: k, ACL: types.ObjectCannedACLPrivate})
				return err
			}},
			{"GetObjectAttributes", func() error {
				_, err := c.GetObjectAttributes(ctx, &s3.GetObjectAttributesInput{Bucket: b, Key: k, ObjectAttributes: []types.ObjectAttributes{types.ObjectAttributesEtag}})
				return err
			}},
			{"GetBucketAcl", func() error {
				_, err := c.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: b})
				return err
			}},
			{"PutBucketVersioning", func() error {
				_, err := c.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: b,
					VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusEnabled}})
				return err
			}},
			{"ListObjectVersions", func() error {
				_, err := c.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: b})
				return err
			}},
			{"PutBucketPolicy", func() error {
				_, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: b, Policy: aws.String("{}")})
				return err
			}},
			{"PutBucketTagging", func() error {
				_, err := c.PutBucketTagging(ctx, &s3.PutBucketTaggingInput{Bucket: b, Tagging: tagging})
				return err
			}},
			{"GetBucketWebsite", func() error {
				_, err := c.GetBucketWebsite(ctx, &s3.GetBucketWebsiteInput{Bucket: b})
				return err
			}},
			{"DeleteBucketLifecycle", func() error {
				_, err := c.DeleteBucketLifecycle(ctx, &s3.DeleteBucketLifecycleInput{Bucket: b})
				return err
			}},
		}
		for _, tt := range tests {
			t.Run(tt.op, func(t *testing.T) {
				err := tt.call()
				checkErr(t, tt.op+"()", err, "NotImplemented", 501)
				var ae smithy.APIError
				if errors.As(err, &ae) && !strings.Contains(ae.ErrorMessage(), tt.op) {
					t.Errorf("%s() error message = %q, want it to name %s", tt.op, ae.ErrorMessage(), tt.op)
				}
			})
		}
		// None of them touched the object (gofakes3 lets PUT ?tagging
		// overwrite it).
		srv.CheckObject(t, testBucket, "obj", body)
		head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: k})
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToString(head.ETag) != etagOf(body) {
			t.Errorf("HeadObject().ETag = %s after unsupported operations, want %s", aws.ToString(head.ETag), etagOf(body))
		}
	})
}

func TestErrorResponses(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		srv := newServer(t, mocks3.WithObject(testBucket, "obj", []byte("data")))
		rec := newRecorder(t, srv)
		c := srv.Client(withHTTPClient(rec))
		ctx := t.Context()

		t.Run("request ID on success", func(t *testing.T) {
			mustGet(t, c, testBucket, "obj")
			if got := rec.Last().header.Get("X-Amz-Request-Id"); got == "" {
				t.Errorf("GetObject() response has no x-amz-request-id")
			}
		})

		raw := []struct {
			name       string
			method     string
			path       string
			header     http.Header
			body       string
			wantStatus int
			wantCode   string
		}{
			{"missing key", "GET", "/" + testBucket + "/missing", nil, "", 404, "NoSuchKey"},
			{"missing bucket", "GET", "/no-such-bucket?list-type=2", nil, "", 404, "NoSuchBucket"},
			{"max-keys not a number", "GET", "/" + testBucket + "?list-type=2&max-keys=abc", nil, "", 400, "InvalidArgument"},
			{"max-keys negative v1", "GET", "/" + testBucket + "?max-keys=-1", nil, "", 400, "InvalidArgument"},
			{"malformed delete", "POST", "/" + testBucket + "?delete", nil, "<Delete><Object><Key>obj", 400, "MalformedXML"},
			{"malformed complete", "POST", "/" + testBucket + "/obj?uploadId=x", nil, "not xml", 400, "MalformedXML"},
			{"malformed create bucket", "PUT", "/new-bucket", nil, "<CreateBucketConfiguration><LocationConstraint>", 400, "MalformedXML"},
			{"unknown subresource", "GET", "/" + testBucket + "?fancy", nil, "", 501, "NotImplemented"},
			{"PUT ?tagging", "PUT", "/" + testBucket + "/obj?tagging", nil, "<Tagging><TagSet></TagSet></Tagging>", 501, "NotImplemented"},
			{"unknown method", "PATCH", "/" + testBucket + "/obj", nil, "x", 501, "NotImplemented"},
			{"long key", "GET", "/" + testBucket + "/" + strings.Repeat("k", 1025), nil, "", 400, "KeyTooLongError"},
			{"bad version", "GET", "/" + testBucket + "/obj?versionId=v2", nil, "", 400, "InvalidArgument"},
		}
		for _, tt := range raw {
			t.Run("raw "+tt.name, func(t *testing.T) {
				resp, body := rawRequest(t, srv, tt.method, tt.path, tt.header, []byte(tt.body))
				if resp.StatusCode != tt.wantStatus {
					t.Errorf("%s %s status = %d, want %d", tt.method, tt.path, resp.StatusCode, tt.wantStatus)
				}
				reqID := resp.Header.Get("X-Amz-Request-Id")
				if reqID == "" {
					t.Errorf("%s %s has no x-amz-request-id", tt.method, tt.path)
				}
				if ct := resp.Header.Get("Content-Type"); ct != "application/xml" {
					t.Errorf("%s %s Content-Type = %q, want application/xml", tt.method, tt.path, ct)
				}
				var e s3ErrorBody
				if err := xml.Unmarshal(body, &e); err != nil {
					t.Fatalf("%s %s body %q: %v", tt.method, tt.path, body, err)
				}
				if e.Code != tt.wantCode || e.Message == "" || e.RequestID != reqID {
					t.Errorf("%s %s error = %+v, want code %s, a message and request ID %q", tt.method, tt.path, e, tt.wantCode, reqID)
				}
			})
		}
		srv.CheckObject(t, testBucket, "obj", []byte("data"))

		t.Run("raw HEAD error has no body", func(t *testing.T) {
			resp, body := rawRequest(t, srv, "HEAD", "/"+testBucket+"/missing", nil, nil)
			if resp.StatusCode != 404 || len(body) != 0 || resp.Header.Get("X-Amz-Request-Id") == "" {
				t.Errorf("HEAD missing = %d with %d body bytes, request ID %q; want 404, no body, an ID", resp.StatusCode, len(body), resp.Header.Get("X-Amz-Request-Id"))
			}
		})

		sdk := []struct {
			name       string
			call       func() error
			wantCode   string
			wantStatus int
		}{
			{"PutObject key of 1025 bytes", func() error {
				_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(testBucket), Key: aws.String(strings.Repeat("k", 1025)), Body: strings.NewReader("x")})
				return err
			}, "KeyTooLongError", 400},
			{"GetObject key of 1025 bytes", func() error {
				return getErr(ctx, c, &s3.GetObjectInput{Bucket: aws.String(testBucket), Key: aws.String(strings.Repeat("ü", 513))})
			}, "KeyTooLongError", 400},
			{"CreateMultipartUpload key of 1025 bytes", func() error {
				_, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String(strings.Repeat("k", 1025))})
				return err
			}, "KeyTooLongError", 400},
			{"ListObjectsV2 max-keys -1", func() error {
				_, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(testBucket), MaxKeys: aws.Int32(-1)})
				return err
			}, "InvalidArgument", 400},
			{"ListObjects max-keys -5", func() error {
				_, err := c.ListObjects(ctx, &s3.ListObjectsInput{Bucket: aws.String(testBucket), MaxKeys: aws.Int32(-5)})
				return err
			}, "InvalidArgument", 400},
			{"ListMultipartUploads max-uploads -1", func() error {
				_, err := c.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String(testBucket), MaxUploads: aws.Int32(-1)})
				return err
			}, "InvalidArgument", 400},
		}
		for _, tt := range sdk {
			t.Run(tt.name, func(t *testing.T) {
				checkErr(t, tt.name, tt.call(), tt.wantCode, tt.wantStatus)
				if got := rec.Last().header.Get("X-Amz-Request-Id"); got == "" {
					t.Errorf("%s response has no x-amz-request-id", tt.name)
				}
			})
		}

		t.Run("key of 1024 bytes", func(t *testing.T) {
			key := strings.Repeat("k", 1024)
			mustPut(t, c, testBucket, key, []byte("x"))
			srv.CheckObject(t, testBucket, key, []byte("x"))
		})
	})
}

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

func TestHermeticClient(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		home := t.TempDir()
		for k, v := range map[string]string{
			"HOME":                             home,
			"AWS_PROFILE":                      "nonexistent",
			"AWS_REGION":                       "eu-west-9",
			"AWS_DEFAULT_REGION":               "eu-west-9",
			"AWS_CA_BUNDLE":                    "/nonexistent",
			"AWS_ENDPOINT_URL":                 "http://127.0.0.1:1",
			"AWS_ENDPOINT_URL_S3":              "http://127.0.0.1:1",
			"AWS_ACCESS_KEY_ID":                "AKIDAMBIENT",
			"AWS_SECRET_ACCESS_KEY":            "ambient",
			"AWS_CONFIG_FILE":                  home + "/nonexistent/config",
			"AWS_SHARED_CREDENTIALS_FILE":      home + "/nonexistent/credentials",
			"AWS_REQUEST_CHECKSUM_CALCULATION": "when_required",
			"AWS_RESPONSE_CHECKSUM_VALIDATION": "when_required",
			"AWS_USE_FIPS_ENDPOINT":            "true",
			"AWS_USE_DUALSTACK_ENDPOINT":       "true",
			"AWS_MAX_ATTEMPTS":                 "1",
		} {
			t.Setenv(k, v)
		}
		srv := newServer(t, mocks3.WithBucket(testBucket))
		rec := newRecorder(t, srv)
		for _, client := range []struct {
			name string
			c    *s3.Client
		}{
			{"Client", srv.Client(withHTTPClient(rec))},
			{"AWSConfig", s3.NewFromConfig(srv.AWSConfig(), func(o *s3.Options) { o.UsePathStyle = true; o.HTTPClient = rec })},
		} {
			t.Run(client.name, func(t *testing.T) {
				c := client.c
				o := c.Options()
				if o.Region != "us-east-1" || aws.ToString(o.BaseEndpoint) != srv.URL {
					t.Errorf("client region %q, endpoint %q; want us-east-1, %q", o.Region, aws.ToString(o.BaseEndpoint), srv.URL)
				}
				if o.RequestChecksumCalculation != aws.RequestChecksumCalculationWhenSupported || o.ResponseChecksumValidation != aws.ResponseChecksumValidationWhenSupported {
					t.Errorf("client checksums %v/%v, want WhenSupported for both", o.RequestChecksumCalculation, o.ResponseChecksumValidation)
				}
				creds, err := o.Credentials.Retrieve(t.Context())
				if err != nil || creds.AccessKeyID != "test" {
					t.Errorf("client credentials = %q, %v; want the server's", creds.AccessKeyID, err)
				}
				body := []byte("hermetic " + client.name)
				mustPut(t, c, testBucket, client.name, body)
				// The checksum went up as a header (http) or a trailer (https).
				h := rec.Last().reqHeader
				if h.Get("X-Amz-Checksum-Crc32") == "" && h.Get("X-Amz-Trailer") != "x-amz-checksum-crc32" {
					t.Errorf("PutObject sent no CRC32 (headers %v), want one as the SDK's defaults send", h)
				}
				_, got := mustGet(t, c, testBucket, client.name)
				if !bytes.Equal(got, body) {
					t.Errorf("GetObject() = %q, want %q", got, body)
				}
				if _, err := c.ListBuckets(t.Context(), &s3.ListBucketsInput{}); err != nil {
					t.Errorf("ListBuckets() = %v", err)
				}
			})
		}
	})
}

func TestVirtualHostedStyle(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		tests := []struct {
			name   string
			domain string
			opts   []mocks3.Option
		}{
			{"localhost", "localhost", nil},
			// The test certificate names example.com and *.example.com.
			{"base domain", "example.com", []mocks3.Option{mocks3.WithBaseDomain("example.com")}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				srv := newServer(t, tt.opts...)
				u, err := url.Parse(srv.URL)
				if err != nil {
					t.Fatal(err)
				}
				resolve := func(host string) (string, error) {
					if host == tt.domain || strings.HasSuffix(host, "."+tt.domain) {
						return "127.0.0.1", nil
					}
					return "", fmt.Errorf("unexpected host %q", host)
				}
				serverName := ""
				if tt.domain == "localhost" {
					serverName = "example.com" // the certificate does not name localhost
				}
				rec := newResolvingRecorder(t, srv, resolve, serverName)
				endpoint := u.Scheme + "://" + tt.domain + ":" + u.Port()
				c := srv.Client(func(o *s3.Options) {
					o.UsePathStyle = false
					o.BaseEndpoint = aws.String(endpoint)
					o.HTTPClient = rec
				})
				ctx := t.Context()
				wantHost := "vhost." + tt.domain + ":" + u.Port()
				checkSent := func(t *testing.T, call, wantPath string) {
					t.Helper()
					if got := rec.Last(); got.host != wantHost || got.path != wantPath {
						t.Errorf("%s sent to %s%s, want %s%s", call, got.host, got.path, wantHost, wantPath)
					}
				}

				mustCreateBucket(t, c, "vhost")
				checkSent(t, "CreateBucket", "/")
				body := []byte("virtual")
				mustPut(t, c, "vhost", "dir/a b.txt", body)
				checkSent(t, "PutObject", "/dir/a%20b.txt")
				srv.CheckObject(t, "vhost", "dir/a b.txt", body)
				_, got := mustGet(t, c, "vhost", "dir/a b.txt")
				if !bytes.Equal(got, body) {
					t.Errorf("GetObject() = %q, want %q", got, body)
				}
				out, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("vhost")})
				if err != nil {
					t.Fatalf("ListObjectsV2() = %v", err)
				}
				checkSent(t, "ListObjectsV2", "/")
				if keys, _ := v2Names(out); !slices.Equal(keys, []string{"dir/a b.txt"}) {
					t.Errorf("ListObjectsV2() = %q, want [dir/a b.txt]", keys)
				}
				if _, err := c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("vhost")}); err != nil {
					t.Errorf("HeadBucket() = %v", err)
				}
				if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("vhost"), Key: aws.String("dir/a b.txt")}); err != nil {
					t.Errorf("DeleteObject() = %v", err)
				}
				srv.CheckNoObject(t, "vhost", "dir/a b.txt")
				// Path style still works on the same server.
				if _, err := srv.Client().HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("vhost")}); err != nil {
					t.Errorf("path-style HeadBucket() = %v", err)
				}
			})
		}
	})
}
