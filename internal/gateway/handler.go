// Package gateway serves the Amazon S3 REST API
// (https://docs.aws.amazon.com/AmazonS3/latest/API/Welcome.html): routing,
// request parsing and validation, aws-chunked bodies, checksums, XML
// responses and S3 error codes. What an operation does to the roles is
// package objects' business.
package gateway

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/mocks3/mocks3/internal/bucketconfig"
	"github.com/mocks3/mocks3/internal/s3err"
	"github.com/mocks3/mocks3/internal/s3op"

	"github.com/mocks3/mocks3/internal/faulttrace"
	"github.com/mocks3/mocks3/internal/objects"
	"github.com/mocks3/mocks3/internal/s3xml"
	"github.com/mocks3/mocks3/s3api"
)

// Config configures a Handler.
type Config struct {
	// Objects carries out the operations on buckets and objects.
	Objects *objects.Store
	// Region is the region buckets are created in and GetBucketLocation
	// reports; default us-east-1.
	Region string
	// Now is the clock for LastModified and upload initiation times;
	// default time.Now.
	Now func() time.Time
	// MinPartSize is the smallest size of a multipart part other than the
	// last; default 5 MiB, as in S3.
	MinPartSize int64
	// BaseDomains are the host names under which "bucket.<domain>" names a
	// bucket (virtual-hosted-style addressing). "localhost" is always one.
	BaseDomains []string
	// Logger, if set, gets one line per request.
	Logger *slog.Logger
	// Seed makes request and upload IDs repeatable.
	Seed uint64
	// Intercept, if set, serves every request in place of the handler,
	// once the request is identified and has its ID; it calls serve to let
	// the request through. The fault engine is an Intercept.
	Intercept func(w http.ResponseWriter, r *http.Request, req *s3op.Request, serve http.HandlerFunc)
	// OnRequest, if set, gets a Record of every finished request.
	OnRequest func(s3api.Record)
	// Context, if set, is the server's lifetime: work that must outlive a
	// client that hangs up (committing a CompleteMultipartUpload) stops
	// only when it ends.
	Context context.Context
	// Auth, if set, requires every S3 request to be signed by one of its
	// identities.
	Auth *AuthConfig
}

// Handler is an http.Handler serving the S3 API.
type Handler struct {
	cfg   Config
	store *objects.Store
	auth  *auth // nil when requests are not authenticated
	// maxPutSize is the largest body a PUT or UploadPart may carry:
	// maxPutSize, or less in tests.
	maxPutSize int64
	// lifecycles and encryptions keep the parsed configurations the hot
	// path consults on every GET and PUT.
	lifecycles  *bucketconfig.Memo[*bucketconfig.Lifecycle]
	encryptions *bucketconfig.Memo[*bucketconfig.Encryption]

	mu  sync.Mutex // guards rng
	rng *rand.Rand
}

// New returns a Handler for cfg.
func New(cfg Config) *Handler {
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MinPartSize <= 0 {
		cfg.MinPartSize = 5 << 20
	}
	cfg.BaseDomains = append([]string{"localhost"}, cfg.BaseDomains...)
	h := &Handler{cfg: cfg, rng: rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x6d6f636b733321))}
	h.maxPutSize = maxPutSize
	h.lifecycles = bucketconfig.NewMemo(func(doc []byte) (*bucketconfig.Lifecycle, error) { return bucketconfig.ParseLifecycle(doc, nil) })
	h.encryptions = bucketconfig.NewMemo(bucketconfig.ParseEncryption)
	h.store = cfg.Objects
	h.auth = newAuth(h, cfg.Auth)
	return h
}

// detach returns a context for work that must not stop when the client
// hangs up: it keeps ctx's values and ends only with the server.
func (h *Handler) detach(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	if h.cfg.Context == nil {
		return ctx, cancel
	}
	stop := context.AfterFunc(h.cfg.Context, cancel)
	return ctx, func() {
		stop()
		cancel()
	}
}

// now returns the configured clock's time at the precision S3 keeps.
func (h *Handler) now() time.Time { return h.cfg.Now().UTC().Truncate(time.Millisecond) }

// randomID returns n random bytes from the handler's seeded source, hex encoded.
func (h *Handler) randomID(n int, upper bool) string {
	const lower, up = "0123456789abcdef", "0123456789ABCDEF"
	digits := lower
	if upper {
		digits = up
	}
	b := make([]byte, 2*n)
	h.mu.Lock()
	for i := range b {
		b[i] = digits[h.rng.IntN(16)]
	}
	h.mu.Unlock()
	return string(b)
}

// request is a parsed S3 request.
type request struct {
	op       s3api.Operation
	serve    handlerFunc // the operation's handler; nil if not implemented
	bucket   string
	key      string
	id       string
	uploadID string
	user     Identity // who signed the request, when requests are authenticated
}

// Identify returns the operation, bucket and key r addresses, without
// serving it. Middleware such as the fault engine uses it.
func (h *Handler) Identify(r *http.Request) s3op.Request {
	bucket, key := h.split(r)
	op, _ := identify(r, r.URL.Query(), targetOf(bucket, key))
	return s3op.Request{Operation: op, Bucket: bucket, Key: key}
}

func targetOf(bucket, key string) target {
	switch {
	case bucket == "" && key != "":
		return onNoBucket
	case bucket == "":
		return onService
	case key == "":
		return onBucket
	}
	return onObject
}

// split finds the bucket and key, in virtual-hosted or path style.
func (h *Handler) split(r *http.Request) (bucket, key string) {
	path := strings.TrimPrefix(r.URL.Path, "/")
	if b := h.hostBucket(r); b != "" {
		return b, path
	}
	bucket, key, _ = strings.Cut(path, "/")
	return bucket, key
}

// hostBucket returns the bucket a virtual-hosted-style request names in its
// host, or "" for a path-style request.
func (h *Handler) hostBucket(r *http.Request) string {
	host := r.Host
	if hh, _, err := net.SplitHostPort(host); err == nil {
		host = hh
	}
	host = strings.ToLower(host)
	for _, d := range h.cfg.BaseDomains {
		if b, ok := strings.CutSuffix(host, "."+d); ok && b != "" {
			return b
		}
	}
	return ""
}

type handlerFunc func(h *Handler, w http.ResponseWriter, r *http.Request, req *request) error

// ServeHTTP serves one S3 request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	req := &request{id: h.randomID(8, true)}
	req.bucket, req.key = h.split(r)
	q := r.URL.Query()
	req.op, req.serve = identify(r, q, targetOf(req.bucket, req.key))
	req.uploadID = q.Get("uploadId")

	hdr := w.Header()
	hdr["x-amz-request-id"] = []string{req.id}
	hdr["x-amz-id-2"] = []string{req.id}
	hdr["Server"] = []string{"AmazonS3"}
	rw := &statusWriter{ResponseWriter: w}
	pub := &s3op.Request{Operation: req.op, Bucket: req.bucket, Key: req.key, ID: req.id, Attempt: sdkAttempt(r.Header),
		Method: r.Method, Header: r.Header, RawQuery: r.URL.RawQuery}
	var body *bodyCounter
	if r.Body != nil && r.Body != http.NoBody {
		body = &bodyCounter{ReadCloser: r.Body}
		r.Body = body
	}
	r = r.WithContext(faulttrace.Start(r.Context(), pub))
	faulttrace.SetRemoteAddr(r.Context(), r.RemoteAddr)
	defer func() {
		// Runs also when a fault aborts the response with a panic.
		if h.cfg.OnRequest == nil && h.cfg.Logger == nil {
			return
		}
		rec := s3api.Record{Time: start, Operation: req.op, Method: r.Method, Bucket: req.bucket, Key: req.key,
			Status: rw.code, Duration: time.Since(start), BytesOut: rw.n, RequestID: req.id,
			Attempt: pub.Attempt, Faults: faulttrace.Fired(r.Context())}
		if rw.wroteHeader && rw.code == 0 {
			rec.Status = http.StatusOK
		}
		if body != nil {
			rec.BytesIn = body.n
		}
		if h.cfg.OnRequest != nil {
			h.cfg.OnRequest(rec)
		}
		if h.cfg.Logger != nil {
			h.cfg.Logger.Info("request", "method", r.Method, "op", string(req.op), "bucket", req.bucket,
				"key", req.key, "status", rec.Status, "bytes", rw.n, "dur", rec.Duration, "id", req.id)
		}
	}()

	serve := func(w http.ResponseWriter, r *http.Request) {
		err := h.serve(w, r, req)
		if err == nil {
			return
		}
		if !isS3Error(err) && h.cfg.Logger != nil {
			h.cfg.Logger.Error("internal error", "op", req.op, "bucket", req.bucket, "key", req.key, "err", err)
		}
		if !rw.wroteHeader {
			s3err.WriteError(w, r, err)
		}
	}
	if h.cfg.Intercept != nil {
		h.cfg.Intercept(rw, r, pub, serve)
		return
	}
	serve(rw, r)
}

// sdkAttempt returns the attempt number the AWS SDKs send in the
// amz-sdk-request header (attempt=N; max=M), or 0.
func sdkAttempt(h http.Header) int {
	v := h.Get("amz-sdk-request")
	i := strings.Index(v, "attempt=")
	if i < 0 {
		return 0
	}
	v = v[i+len("attempt="):]
	if j := strings.IndexByte(v, ';'); j >= 0 {
		v = v[:j]
	}
	n, _ := strconv.Atoi(strings.TrimSpace(v))
	return n
}

// bodyCounter counts the request body bytes the handler reads.
type bodyCounter struct {
	io.ReadCloser
	n int64
}

func (c *bodyCounter) Read(p []byte) (int, error) {
	n, err := c.ReadCloser.Read(p)
	c.n += int64(n)
	return n, err
}

func (h *Handler) serve(w http.ResponseWriter, r *http.Request, req *request) error {
	if headerSectionSize(r) > maxHeaderSection {
		return newError(s3err.RequestHeaderSectionTooLarge, extra("MaxSizeAllowed", strconv.Itoa(maxHeaderSection)))
	}
	// A form upload carries its signature in its fields: postObject
	// verifies it.
	if h.auth != nil && req.op != s3op.PostObject {
		var err error
		if r, req.user, err = h.authenticate(r); err != nil {
			return err
		}
		if err := h.authorize(r.Context(), r, req); err != nil {
			return err
		}
	}
	if req.bucket == "" && req.key != "" {
		return newError(s3err.InvalidBucketName, extra("BucketName", ""))
	}
	fn := req.serve
	if fn == nil {
		if req.op == s3op.Unknown {
			return unrouted(r, r.URL.Query(), targetOf(req.bucket, req.key))
		}
		return errorf(s3err.NotImplemented, "mocks3 does not implement the %s operation.", req.op)
	}
	if req.bucket != "" {
		if err := checkBucketName(req.bucket, req.op == s3op.CreateBucket); err != nil {
			return err
		}
	}
	if !utf8.ValidString(req.key) {
		return errorf(s3err.InvalidURI, "Object keys must be valid UTF-8.")
	}
	if len(req.key) > 1024 {
		return newError(s3err.KeyTooLong, extra("Size", fmt.Sprint(len(req.key))), extra("MaxSizeAllowed", "1024"))
	}
	h.setCORSHeaders(w, r, req)
	if err := h.checkExpectedOwner(r.Context(), r, req); err != nil {
		return err
	}
	return fn(h, w, r, req)
}

// maxHeaderSection is S3's limit on the size of a request's header
// section. Go's server refuses only headers over http.Server.MaxHeaderBytes
// (1 MB by default), with a plain-text 431 no handler can change; between
// the two, S3's XML error is ours to send.
const maxHeaderSection = 8 << 10

// headerSectionSize is the size of r's header fields as sent ("Name:
// value\r\n"), Host included.
func headerSectionSize(r *http.Request) int {
	n := len("Host: \r\n") + len(r.Host)
	for k, vs := range r.Header {
		for _, v := range vs {
			n += len(k) + len(v) + 4
		}
	}
	return n
}

func isS3Error(err error) bool {
	var e *s3err.Error
	return errors.As(err, &e)
}

// statusWriter records what was written, for the request log and so that a
// handler error after the header went out is not written twice.
type statusWriter struct {
	http.ResponseWriter
	code        int
	wroteHeader bool
	n           int64
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wroteHeader {
		w.code, w.wroteHeader = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	w.wroteHeader = true
	n, err := w.ResponseWriter.Write(p)
	w.n += int64(n)
	return n, err
}

func (w *statusWriter) ReadFrom(r io.Reader) (int64, error) {
	w.wroteHeader = true
	buf := copyBuffers.Get().(*[]byte)
	defer copyBuffers.Put(buf)
	// Hide the ResponseWriter's own ReadFrom: it would allocate a buffer
	// per response and write the headers in a call of their own.
	n, err := io.CopyBuffer(writerOnly{w.ResponseWriter}, r, *buf)
	w.n += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// writeXML writes v as an XML response body with status.
func writeXML(w http.ResponseWriter, status int, v any) { s3xml.Write(w, status, v) }

// writerOnly hides every method but Write.
type writerOnly struct{ io.Writer }
