package mocks3_test

// Helpers shared by the end-to-end tests: the mode matrix, S3 error checks,
// seeding, expected ETags and checksums, and an HTTP client that records
// what went over the wire.
//
// The end-to-end tests use the real aws-sdk-go-v2 client, with its
// defaults, against every mode forEachMode lists. Over https the SDK sends
// aws-chunked bodies with CRC32 trailers; over http, plain bodies with a
// CRC32 header.

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
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
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
	"github.com/cespare/xxhash/v2"
	"github.com/zeebo/xxh3"
	"go.uber.org/goleak"

	"github.com/mocks3/mocks3"
	"github.com/mocks3/mocks3/s3api"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const testBucket = "test-bucket"

// newServerFunc starts a server in the mode under test.
type newServerFunc = func(t *testing.T, opts ...mocks3.Option) *mocks3.Server

// forEachMode runs fn once per mode, in parallel subtests: backend (memory,
// disk) × protocol (http, https) × roles (embedded, stack), and the
// in-memory transport over http and https. newServer starts a server in
// that mode; opts come after the mode's own options. fn runs in parallel
// with the other modes, so it must not write variables it shares with them.
// A test whose modes cannot run in parallel says why with a modeOption.
func forEachMode(t *testing.T, fn func(t *testing.T, newServer func(t *testing.T, opts ...mocks3.Option) *mocks3.Server), mopts ...modeOption) {
	t.Helper()
	var mo modeOptions
	for _, o := range mopts {
		o(&mo)
	}
	modes := []struct {
		name     string
		proto    string
		inMemory bool
		opts     func(t *testing.T) []mocks3.Option
	}{
		{"memory/http", "http", false, func(*testing.T) []mocks3.Option { return nil }},
		{"memory/https", "https", false, func(*testing.T) []mocks3.Option { return []mocks3.Option{mocks3.WithTLS()} }},
		{"disk/http", "http", false, func(t *testing.T) []mocks3.Option { return []mocks3.Option{mocks3.WithDir(t.TempDir())} }},
		{"disk/https", "https", false, func(t *testing.T) []mocks3.Option {
			return []mocks3.Option{mocks3.WithDir(t.TempDir()), mocks3.WithTLS()}
		}},
		// Stack mode: every role is an HTTP service behind the gateway.
		{"stack/http", "http", false, func(*testing.T) []mocks3.Option { return []mocks3.Option{mocks3.WithStack()} }},
		{"stack/https", "https", false, func(*testing.T) []mocks3.Option {
			return []mocks3.Option{mocks3.WithStack(), mocks3.WithStorageNodes(2), mocks3.WithTLS()}
		}},
		// The in-memory transport: no TCP, the client dials in-memory pairs.
		{"pipe/memory/http", "http", true, func(*testing.T) []mocks3.Option {
			return []mocks3.Option{mocks3.WithInMemoryTransport()}
		}},
		{"pipe/disk/https", "https", true, func(t *testing.T) []mocks3.Option {
			return []mocks3.Option{mocks3.WithInMemoryTransport(), mocks3.WithDir(t.TempDir()), mocks3.WithTLS()}
		}},
	}
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			if mo.sequential == "" {
				// Before fn starts a server: -parallel (GOMAXPROCS by
				// default) bounds how many servers run at once.
				t.Parallel()
			}
			fn(t, func(t *testing.T, opts ...mocks3.Option) *mocks3.Server {
				t.Helper()
				srv := mocks3.New(t, append(m.opts(t), opts...)...)
				want := m.proto + "://"
				if m.inMemory {
					want += "mocks3.test"
				}
				if !strings.HasPrefix(srv.URL, want) {
					t.Fatalf("server URL = %q, want a %s URL", srv.URL, want)
				}
				return srv
			})
		})
	}
}

// A serverMode names a way to run the server and gives its options.
type serverMode struct {
	name string
	opts func(t *testing.T) []mocks3.Option
}

// backendModes and roleModes are the backends and the ways to run the
// roles, for the tests that run in each of one kind but not in the rest of
// forEachMode's modes.
var (
	backendModes = []serverMode{
		{"memory", func(*testing.T) []mocks3.Option { return nil }},
		{"disk", func(t *testing.T) []mocks3.Option { return []mocks3.Option{mocks3.WithDir(t.TempDir())} }},
	}
	roleModes = []serverMode{
		{"embedded", func(*testing.T) []mocks3.Option { return nil }},
		{"stack", func(*testing.T) []mocks3.Option { return []mocks3.Option{mocks3.WithStack()} }},
	}
)

// modeOptions say how a test's modes run, and why they differ from the
// default.
type modeOptions struct {
	sequential string // why the modes cannot run in parallel
}

// A modeOption changes how forEachMode runs a test, saying why.
type modeOption func(*modeOptions)

// sequential runs the modes one after another, for a test that changes
// process-wide state; why says what.
func sequential(why string) modeOption {
	return func(o *modeOptions) { o.sequential = why }
}

// startBucket starts a server holding testBucket with newServer (opts
// come after that bucket's), and returns it with its client: where the
// tests of one bucket begin.
func startBucket(t *testing.T, newServer newServerFunc, opts ...mocks3.Option) (*mocks3.Server, *s3.Client) {
	t.Helper()
	srv := newServer(t, append([]mocks3.Option{mocks3.WithBucket(testBucket)}, opts...)...)
	return srv, srv.Client()
}

// embedded starts a server in the default mode: a newServerFunc for tests
// that run in one mode only.
func embedded(t *testing.T, opts ...mocks3.Option) *mocks3.Server { return mocks3.New(t, opts...) }

// An errCase is a call's error and the S3 error it must be.
type errCase struct {
	name   string
	err    error
	code   string
	status int
}

// checkErrCases checks each case's error with checkErr, in a subtest.
func checkErrCases(t *testing.T, tests []errCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkErr(t, tt.name, tt.err, tt.code, tt.status)
		})
	}
}

// errOf returns an SDK call's error, so that a table holds the outcome of
// a call in one line.
func errOf[T any](_ T, err error) error { return err }

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

// callErr binds an SDK operation to its input, for tables of calls whose
// result is only their error. GetObject needs getErr, which closes the body.
func callErr[In, Out any](ctx context.Context, op func(context.Context, *In, ...func(*s3.Options)) (*Out, error), in *In) func() error {
	return func() error {
		_, err := op(ctx, in)
		return err
	}
}

// readWith binds an SDK read to its input and to what the test takes from
// its answer.
func readWith[In, Out, V any](ctx context.Context, op func(context.Context, *In, ...func(*s3.Options)) (*Out, error), in *In, pick func(*Out) V) func() (V, error) {
	return func() (V, error) {
		out, err := op(ctx, in)
		if err != nil {
			var zero V
			return zero, err
		}
		return pick(out), nil
	}
}

// readCheck binds an SDK read to its input and a check of its answer: the
// func returns the call's error, or a mismatch when ok refuses the answer.
func readCheck[In, Out any](ctx context.Context, op func(context.Context, *In, ...func(*s3.Options)) (*Out, error), in *In, ok func(*Out) bool) func() error {
	return func() error {
		out, err := op(ctx, in)
		if err == nil && !ok(out) {
			return mismatch(out)
		}
		return err
	}
}

func mismatch(v any) error { return fmt.Errorf("unexpected answer: %+v", v) }

// deleteResults returns the keys a DeleteObjects response reports deleted
// and "key: Code" for each key it refused, in the response's order. A
// refusal without a message is an error of t.
func deleteResults(t *testing.T, out *s3.DeleteObjectsOutput) (deleted, refused []string) {
	t.Helper()
	for _, d := range out.Deleted {
		deleted = append(deleted, aws.ToString(d.Key))
	}
	for _, e := range out.Errors {
		refused = append(refused, aws.ToString(e.Key)+": "+aws.ToString(e.Code))
		if aws.ToString(e.Message) == "" {
			t.Errorf("DeleteObjects error for %q has no message", aws.ToString(e.Key))
		}
	}
	return deleted, refused
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

// newHashes makes the hash of each checksum algorithm.
var newHashes = map[types.ChecksumAlgorithm]func() hash.Hash{
	types.ChecksumAlgorithmCrc32:     func() hash.Hash { return crc32.NewIEEE() },
	types.ChecksumAlgorithmCrc32c:    func() hash.Hash { return crc32.New(crc32.MakeTable(crc32.Castagnoli)) },
	types.ChecksumAlgorithmCrc64nvme: func() hash.Hash { return crc64.New(crc64.MakeTable(0x9a6c9329ac4bc9b5)) },
	types.ChecksumAlgorithmSha1:      sha1.New,
	types.ChecksumAlgorithmSha256:    sha256.New,
	types.ChecksumAlgorithmSha512:    sha512.New,
	types.ChecksumAlgorithmMd5:       md5.New,
	types.ChecksumAlgorithmXxhash64:  func() hash.Hash { return xxhash.New() },
	types.ChecksumAlgorithmXxhash3:   func() hash.Hash { return xxh3.New() },
	types.ChecksumAlgorithmXxhash128: func() hash.Hash { return &xxh128Hash{xxh3.New()} },
}

func newHash(alg types.ChecksumAlgorithm) hash.Hash {
	h, ok := newHashes[alg]
	if !ok {
		panic("unknown checksum algorithm " + alg)
	}
	return h()
}

// xxh128Hash is XXH3-128 with its digest in canonical (big-endian) order.
type xxh128Hash struct{ *xxh3.Hasher }

func (h *xxh128Hash) Size() int { return 16 }
func (h *xxh128Hash) Sum(b []byte) []byte {
	s := h.Sum128().Bytes()
	return append(b, s[:]...)
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

// checksums are the checksum fields of every algorithm the SDK knows,
// named as the algorithms are, and the checksum type: what a response, a
// part or an attribute says, for comparison.
type checksums struct {
	CRC32, CRC32C, CRC64NVME, SHA1, SHA256, SHA512, MD5, XXHASH64, XXHASH3, XXHASH128 string
	Type                                                                              types.ChecksumType
}

// sdkAlgorithms is every algorithm of the SDK's ChecksumAlgorithm enum.
var sdkAlgorithms = types.ChecksumAlgorithm("").Values()

func checksumsWith(alg types.ChecksumAlgorithm, value string, typ types.ChecksumType) checksums {
	c := checksums{Type: typ}
	reflect.ValueOf(&c).Elem().FieldByName(string(alg)).SetString(value)
	return c
}

// checksumsOf reads the Checksum<ALG> and ChecksumType fields of an SDK
// output, part or checksum struct.
func checksumsOf(out any) checksums {
	v := reflect.Indirect(reflect.ValueOf(out))
	var c checksums
	cv := reflect.ValueOf(&c).Elem()
	for _, a := range sdkAlgorithms {
		if f := v.FieldByName("Checksum" + string(a)); f.IsValid() {
			cv.FieldByName(string(a)).SetString(aws.ToString(f.Interface().(*string)))
		}
	}
	if f := v.FieldByName("ChecksumType"); f.IsValid() {
		c.Type = f.Interface().(types.ChecksumType)
	}
	return c
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
	return out, readBody(t, fmt.Sprintf("GetObject(%q)", key), out.Body)
}

// readBody reads and closes body, failing t if the read fails; what names
// the request.
func readBody(t *testing.T, what string, body io.ReadCloser) []byte {
	t.Helper()
	defer body.Close()
	b, err := io.ReadAll(body)
	if err != nil {
		t.Fatalf("%s: reading body: %v", what, err)
	}
	return b
}

// doRequest sends req with hc and returns the response with its body read.
func doRequest(t *testing.T, hc *http.Client, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	what := req.Method + " " + req.URL.RequestURI()
	if req.Host != "" {
		what += " (Host " + req.Host + ")"
	}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return resp, readBody(t, what, resp.Body)
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
// through resolve (to the host of srv.URL, which the in-memory transport
// also dials) and which, if serverName is set, verifies the server's
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
	dialServer := base.DialContext // the in-memory transport's, or nil for TCP
	if dialServer == nil {
		dialServer = (&net.Dialer{}).DialContext
	}
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
		return dialServer(ctx, network, net.JoinHostPort(host, port))
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
			if serverName != "" {
				cfg.ServerName = serverName
			}
			if cfg.ServerName == "" {
				cfg.ServerName, _, _ = net.SplitHostPort(addr)
			}
			tc := tls.Client(c, cfg)
			if err := tc.HandshakeContext(ctx); err != nil {
				c.Close()
				return nil, err
			}
			return &wireConn{Conn: tc, rec: rec, raw: c}, nil
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
	raw net.Conn // under a TLS Conn, or nil
}

// Close closes the connection under TLS without a close_notify alert: the
// server closes its end after each response too, and over the in-memory
// transport's unbuffered pipe the two alerts would wait for each other
// until tls.Conn's 5-second write deadline.
func (c *wireConn) Close() error {
	if c.raw != nil {
		return c.raw.Close()
	}
	return c.Conn.Close()
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
	return doRequest(t, srv.HTTPClient(), req)
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

func v2Names(out *s3.ListObjectsV2Output) (keys, prefixes []string) {
	for _, o := range out.Contents {
		keys = append(keys, aws.ToString(o.Key))
	}
	for _, p := range out.CommonPrefixes {
		prefixes = append(prefixes, aws.ToString(p.Prefix))
	}
	return keys, prefixes
}

func getBody(ctx context.Context, c *s3.Client, bucket, key string) ([]byte, error) {
	out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		return nil, err
	}
	defer out.Body.Close()
	return io.ReadAll(out.Body)
}

func putBody(ctx context.Context, c *s3.Client, bucket, key string, data []byte) error {
	_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: bytes.NewReader(data)})
	return err
}

func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func httpStatus(err error) int {
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

// attempts counts journal entries for an operation.
func attempts(srv *mocks3.Server, op s3api.Operation) (n int, statuses []int) {
	for _, r := range srv.Requests() {
		if r.Operation == op {
			n++
			statuses = append(statuses, r.Status)
		}
	}
	return n, statuses
}
