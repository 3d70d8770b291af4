package metadata

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/mocks3/mocks3/backend"
)

// maxRequestBody bounds a request body. A record with 10,000 parts and 2 KB
// of user metadata is about 3 MB.
const maxRequestBody = 32 << 20

// maxErrorBody bounds how much of an error response the client reads.
const maxErrorBody = 64 << 10

// Method names, which are also the endpoints' last path element.
const (
	mCreateBucket   = "CreateBucket"
	mGetBucket      = "GetBucket"
	mListBuckets    = "ListBuckets"
	mDeleteBucket   = "DeleteBucket"
	mGetObject      = "GetObject"
	mPutObject      = "PutObject"
	mDeleteObject   = "DeleteObject"
	mListObjects    = "ListObjects"
	mCreateUpload   = "CreateUpload"
	mGetUpload      = "GetUpload"
	mPutPart        = "PutPart"
	mDeleteUpload   = "DeleteUpload"
	mCompleteUpload = "CompleteUpload"
	mListUploads    = "ListUploads"
)

// request holds the arguments of any Records method; each method reads the
// fields it takes.
type request struct {
	Bucket       string            `json:"bucket,omitempty"` // bucket name, or GetBucket/DeleteBucket's name
	Key          string            `json:"key,omitempty"`
	ID           string            `json:"id,omitempty"`
	From         string            `json:"from,omitempty"`
	Limit        int               `json:"limit,omitempty"`
	Condition    backend.Condition `json:"condition,omitzero"`
	BucketRecord *backend.Bucket   `json:"bucket_record,omitempty"` // CreateBucket
	Object       *backend.Object   `json:"object,omitempty"`        // PutObject, CompleteUpload
	Upload       *backend.Upload   `json:"upload,omitempty"`        // CreateUpload
	Part         *backend.Part     `json:"part,omitempty"`          // PutPart
}

// errorBody is the JSON body of an error response.
type errorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Error codes of the wire protocol that are not sentinels.
const (
	codeInternal   = "InternalError"
	codeBadRequest = "BadRequest"
	codeNoMethod   = "UnknownMethod"
)

// errorTable maps the errors that cross the wire as themselves to a status
// and a code. Statuses follow S3's (NoSuchBucket, NoSuchKey and NoSuchUpload
// are all 404): the code, not the status, tells sentinels apart.
var errorTable = [...]struct {
	err    error
	status int
	code   string
}{
	{backend.ErrBucketNotFound, http.StatusNotFound, "BucketNotFound"},
	{backend.ErrObjectNotFound, http.StatusNotFound, "ObjectNotFound"},
	{backend.ErrUploadNotFound, http.StatusNotFound, "UploadNotFound"},
	{backend.ErrBucketExists, http.StatusConflict, "BucketExists"},
	{backend.ErrBucketNotEmpty, http.StatusConflict, "BucketNotEmpty"},
	{backend.ErrUploadExists, http.StatusConflict, "UploadExists"},
	{backend.ErrUploadChanged, http.StatusConflict, "UploadChanged"},
	{backend.ErrPreconditionFailed, http.StatusPreconditionFailed, "PreconditionFailed"},
	{ErrWriteLost, http.StatusInternalServerError, "WriteLost"},
	{backend.ErrClosed, http.StatusServiceUnavailable, "Closed"},
}

// RemoteError is an error reported by a metadata service that is not one of
// the sentinel errors the protocol carries: its message is the remote
// error's message, unchanged.
type RemoteError struct {
	Status  int    // HTTP status of the response
	Code    string // "InternalError" for a Records error; empty if the body was not the protocol's
	Message string
}

func (e *RemoteError) Error() string {
	if e.Message != "" {
		return e.Message
	}
	return fmt.Sprintf("metadata: remote service returned %d %s", e.Status, http.StatusText(e.Status))
}

// health is the body of GET /health.
type health struct {
	Status  string `json:"status"`
	Service string `json:"service"`
}

// NewHandler returns an HTTP handler serving s, the metadata role's
// service in stack mode; Client is its client.
//
// Every Records method is one endpoint, POST /v1/<Method> (POST
// /v1/GetObject, POST /v1/PutObject…), whose JSON request body holds the
// arguments: "bucket" (the bucket name, also GetBucket's and DeleteBucket's
// name), "key", "id", "from", "limit", "condition" (PutObject),
// "bucket_record" (CreateBucket), "object" (PutObject, CompleteUpload), "upload"
// (CreateUpload), "part" (PutPart). Keys travel in the body, never in the
// path, so any key needs no escaping. Responses:
//
//   - 200 with the method's result as JSON: a backend record (field names
//     as in Go), a list, or for PutObject and PutPart the replaced record
//     or null;
//   - 204 with no body for methods that return only an error;
//   - an error status with {"code": "...", "message": "..."}: 404
//     BucketNotFound, ObjectNotFound, UploadNotFound; 409 BucketExists,
//     BucketNotEmpty, UploadExists; 412 PreconditionFailed; 500 WriteLost;
//     503 Closed (backend.ErrClosed); 400 BadRequest (malformed body); 404
//     UnknownMethod; 500 InternalError for any other error, with its
//     message.
//
// Besides: GET /health → 200 {"status":"healthy","service":"metadata"},
// and GET /v1/stats → 200 with Stats as JSON (ComputeStats).
//
// Records round-trip exactly: JSON keeps nil and empty maps and slices
// apart (null versus {} or []), and times keep their instant to the
// nanosecond and their UTC offset (not their zone name or monotonic
// reading). Strings must be valid UTF-8, as backend.Backend requires.
//
// Each call runs with the request's context, so a client that gives up
// cancels it.
func NewHandler(s backend.Records) http.Handler {
	h := &handler{s: s}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /health", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, health{Status: "healthy", Service: "metadata"})
	})
	mux.HandleFunc("GET /v1/stats", h.stats)
	mux.HandleFunc("POST /v1/{method}", h.call)
	return mux
}

type handler struct{ s backend.Records }

func (h *handler) stats(w http.ResponseWriter, r *http.Request) {
	st, err := ComputeStats(r.Context(), h.s)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, st)
}

func (h *handler) call(w http.ResponseWriter, r *http.Request) {
	method := r.PathValue("method")
	var req request
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxRequestBody))
	if err := dec.Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, errorBody{codeBadRequest, "metadata: " + method + ": bad request body: " + err.Error()})
		return
	}
	res, err := dispatch(r.Context(), h.s, method, &req)
	switch {
	case err != nil:
		writeError(w, err)
	case res == nil:
		w.WriteHeader(http.StatusNoContent)
	default:
		writeJSON(w, http.StatusOK, res)
	}
}

// errBadRequest and errNoMethod are dispatch's own errors.
var (
	errBadRequest = errors.New("bad request")
	errNoMethod   = errors.New("unknown method")
)

// dispatch calls method on s. It returns a nil result for methods that
// return only an error; PutObject and PutPart return a typed pointer, which
// is never a nil interface.
func dispatch(ctx context.Context, s backend.Records, method string, r *request) (any, error) {
	missing := func(field string) error {
		return fmt.Errorf("%w: metadata: %s needs %q", errBadRequest, method, field)
	}
	switch method {
	case mCreateBucket:
		if r.BucketRecord == nil {
			return nil, missing("bucket_record")
		}
		return nil, s.CreateBucket(ctx, *r.BucketRecord)
	case mGetBucket:
		return result(s.GetBucket(ctx, r.Bucket))
	case mListBuckets:
		return result(s.ListBuckets(ctx))
	case mDeleteBucket:
		return nil, s.DeleteBucket(ctx, r.Bucket)
	case mGetObject:
		return result(s.GetObject(ctx, r.Bucket, r.Key))
	case mPutObject:
		if r.Object == nil {
			return nil, missing("object")
		}
		return result(s.PutObject(ctx, r.Bucket, *r.Object, r.Condition))
	case mDeleteObject:
		return result(s.DeleteObject(ctx, r.Bucket, r.Key))
	case mListObjects:
		return result(s.ListObjects(ctx, r.Bucket, r.From, r.Limit))
	case mCreateUpload:
		if r.Upload == nil {
			return nil, missing("upload")
		}
		return nil, s.CreateUpload(ctx, *r.Upload)
	case mGetUpload:
		return result(s.GetUpload(ctx, r.Bucket, r.Key, r.ID))
	case mPutPart:
		if r.Part == nil {
			return nil, missing("part")
		}
		return result(s.PutPart(ctx, r.Bucket, r.Key, r.ID, *r.Part))
	case mDeleteUpload:
		return result(s.DeleteUpload(ctx, r.Bucket, r.Key, r.ID))
	case mCompleteUpload:
		if r.Object == nil {
			return nil, missing("object")
		}
		replaced, done, err := s.CompleteUpload(ctx, r.Bucket, r.ID, *r.Object, r.Condition)
		return result(completion{replaced, done}, err)
	case mListUploads:
		return result(s.ListUploads(ctx, r.Bucket))
	}
	return nil, fmt.Errorf("%w: metadata: %q", errNoMethod, method)
}

// result boxes a Records result, dropping it on error.
func result[T any](v T, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return v, nil
}

// writeError writes err as the protocol's error response.
func writeError(w http.ResponseWriter, err error) {
	for _, e := range errorTable {
		if errors.Is(err, e.err) {
			writeJSON(w, e.status, errorBody{e.code, err.Error()})
			return
		}
	}
	switch {
	case errors.Is(err, errBadRequest):
		writeJSON(w, http.StatusBadRequest, errorBody{codeBadRequest, err.Error()})
	case errors.Is(err, errNoMethod):
		writeJSON(w, http.StatusNotFound, errorBody{codeNoMethod, err.Error()})
	default:
		writeJSON(w, http.StatusInternalServerError, errorBody{codeInternal, err.Error()})
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		body, _ = json.Marshal(errorBody{codeInternal, "metadata: encoding the response: " + err.Error()})
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

// Client is a backend.Records served by a metadata service over HTTP (NewHandler).
// Sentinel errors come back as themselves (errors.Is works); other errors
// as a *RemoteError; transport failures, including ctx ending, as the
// http.Client's error wrapped (errors.Is(err, context.Canceled) works).
// A call whose context ends after the request was sent may or may not have
// taken effect, as with any remote call. A Client is safe for concurrent
// use.
type Client struct {
	base string
	hc   *http.Client
}

var _ backend.Records = (*Client)(nil)

// NewClient returns a Client for the metadata service at baseURL (such as
// "http://127.0.0.1:8081"), calling it with hc, or http.DefaultClient if hc
// is nil.
func NewClient(baseURL string, hc *http.Client) *Client {
	if hc == nil {
		hc = http.DefaultClient
	}
	return &Client{base: strings.TrimSuffix(baseURL, "/"), hc: hc}
}

// do sends an HTTP request and decodes a 200 response's body into out (if
// non-nil); any other response becomes an error.
func (c *Client) do(ctx context.Context, httpMethod, path, name string, body []byte, out any) error {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, httpMethod, c.base+path, rd)
	if err != nil {
		return fmt.Errorf("metadata: %s: %w", name, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return fmt.Errorf("metadata: %s: %w", name, err)
	}
	defer func() {
		// Drain a little so the connection can be reused.
		io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBody))
		resp.Body.Close()
	}()
	switch resp.StatusCode {
	case http.StatusOK:
		if out == nil {
			return nil
		}
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			return fmt.Errorf("metadata: %s: decoding the response: %w", name, err)
		}
		return nil
	case http.StatusNoContent:
		return nil
	}
	return decodeError(resp)
}

// decodeError turns an error response into the sentinel it names or a
// *RemoteError.
func decodeError(resp *http.Response) error {
	data, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	var eb errorBody
	if json.Unmarshal(data, &eb) != nil || eb.Code == "" {
		msg := strings.TrimSpace(string(data))
		return &RemoteError{Status: resp.StatusCode, Message: msg}
	}
	for _, e := range errorTable {
		if eb.Code == e.code {
			return e.err
		}
	}
	return &RemoteError{Status: resp.StatusCode, Code: eb.Code, Message: eb.Message}
}

// call calls a Records method on the service.
func (c *Client) call(ctx context.Context, method string, req *request, out any) error {
	body, err := json.Marshal(req)
	if err != nil {
		return fmt.Errorf("metadata: %s: encoding the request: %w", method, err)
	}
	return c.do(ctx, http.MethodPost, "/v1/"+method, method, body, out)
}

// CreateBucket implements backend.Records.
func (c *Client) CreateBucket(ctx context.Context, b backend.Bucket) error {
	return c.call(ctx, mCreateBucket, &request{BucketRecord: &b}, nil)
}

// GetBucket implements backend.Records.
func (c *Client) GetBucket(ctx context.Context, name string) (backend.Bucket, error) {
	var b backend.Bucket
	if err := c.call(ctx, mGetBucket, &request{Bucket: name}, &b); err != nil {
		return backend.Bucket{}, err
	}
	return b, nil
}

// ListBuckets implements backend.Records.
func (c *Client) ListBuckets(ctx context.Context) ([]backend.Bucket, error) {
	var bs []backend.Bucket
	if err := c.call(ctx, mListBuckets, &request{}, &bs); err != nil {
		return nil, err
	}
	return bs, nil
}

// DeleteBucket implements backend.Records.
func (c *Client) DeleteBucket(ctx context.Context, name string) error {
	return c.call(ctx, mDeleteBucket, &request{Bucket: name}, nil)
}

// GetObject implements backend.Records.
func (c *Client) GetObject(ctx context.Context, bucket, key string) (backend.Object, error) {
	var o backend.Object
	if err := c.call(ctx, mGetObject, &request{Bucket: bucket, Key: key}, &o); err != nil {
		return backend.Object{}, err
	}
	return o, nil
}

// PutObject implements backend.Records.
func (c *Client) PutObject(ctx context.Context, bucket string, obj backend.Object, cond backend.Condition) (*backend.Object, error) {
	var replaced *backend.Object
	if err := c.call(ctx, mPutObject, &request{Bucket: bucket, Object: &obj, Condition: cond}, &replaced); err != nil {
		return nil, err
	}
	return replaced, nil
}

// DeleteObject implements backend.Records.
func (c *Client) DeleteObject(ctx context.Context, bucket, key string) (backend.Object, error) {
	var o backend.Object
	if err := c.call(ctx, mDeleteObject, &request{Bucket: bucket, Key: key}, &o); err != nil {
		return backend.Object{}, err
	}
	return o, nil
}

// ListObjects implements backend.Records.
func (c *Client) ListObjects(ctx context.Context, bucket, from string, limit int) ([]backend.Object, error) {
	var os []backend.Object
	if err := c.call(ctx, mListObjects, &request{Bucket: bucket, From: from, Limit: limit}, &os); err != nil {
		return nil, err
	}
	return os, nil
}

// CreateUpload implements backend.Records.
func (c *Client) CreateUpload(ctx context.Context, u backend.Upload) error {
	return c.call(ctx, mCreateUpload, &request{Upload: &u}, nil)
}

// GetUpload implements backend.Records.
func (c *Client) GetUpload(ctx context.Context, bucket, key, id string) (backend.Upload, error) {
	var u backend.Upload
	if err := c.call(ctx, mGetUpload, &request{Bucket: bucket, Key: key, ID: id}, &u); err != nil {
		return backend.Upload{}, err
	}
	return u, nil
}

// PutPart implements backend.Records.
func (c *Client) PutPart(ctx context.Context, bucket, key, id string, p backend.Part) (*backend.Part, error) {
	var replaced *backend.Part
	if err := c.call(ctx, mPutPart, &request{Bucket: bucket, Key: key, ID: id, Part: &p}, &replaced); err != nil {
		return nil, err
	}
	return replaced, nil
}

// DeleteUpload implements backend.Records.
func (c *Client) DeleteUpload(ctx context.Context, bucket, key, id string) (backend.Upload, error) {
	var u backend.Upload
	if err := c.call(ctx, mDeleteUpload, &request{Bucket: bucket, Key: key, ID: id}, &u); err != nil {
		return backend.Upload{}, err
	}
	return u, nil
}

// completion is CompleteUpload's result on the wire.
type completion struct {
	Replaced *backend.Object `json:"replaced"`
	Upload   backend.Upload  `json:"upload"`
}

// CompleteUpload implements backend.Records.
func (c *Client) CompleteUpload(ctx context.Context, bucket, id string, obj backend.Object, cond backend.Condition) (*backend.Object, backend.Upload, error) {
	var res completion
	if err := c.call(ctx, mCompleteUpload, &request{Bucket: bucket, ID: id, Object: &obj, Condition: cond}, &res); err != nil {
		return nil, backend.Upload{}, err
	}
	return res.Replaced, res.Upload, nil
}

// ListUploads implements backend.Records.
func (c *Client) ListUploads(ctx context.Context, bucket string) ([]backend.Upload, error) {
	var us []backend.Upload
	if err := c.call(ctx, mListUploads, &request{Bucket: bucket}, &us); err != nil {
		return nil, err
	}
	return us, nil
}

// Stats returns the service's statistics (GET /v1/stats; see ComputeStats).
func (c *Client) Stats(ctx context.Context) (Stats, error) {
	var st Stats
	if err := c.do(ctx, http.MethodGet, "/v1/stats", "Stats", nil, &st); err != nil {
		return Stats{}, err
	}
	return st, nil
}

// Health reports whether the service answers GET /health with 200.
func (c *Client) Health(ctx context.Context) error {
	var h health
	if err := c.do(ctx, http.MethodGet, "/health", "Health", nil, &h); err != nil {
		return err
	}
	if h.Status != "healthy" {
		return fmt.Errorf("metadata: Health: status %q", h.Status)
	}
	return nil
}
