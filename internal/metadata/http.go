package metadata

import (
	"context"
	"fmt"
	"net/http"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/rpc"
)

// maxRequestBody bounds a request body. A record with 10,000 parts and 2 KB
// of user metadata is about 3 MB.
const maxRequestBody = 32 << 20

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

	mUpdateBucket       = "UpdateBucket"
	mUpdateObject       = "UpdateObject"
	mListVersions       = "ListVersions"
	mPutBucketConfig    = "PutBucketConfig"
	mGetBucketConfig    = "GetBucketConfig"
	mDeleteBucketConfig = "DeleteBucketConfig"
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

	VersionID     string                `json:"version_id,omitempty"`      // GetObject, DeleteObject, UpdateObject
	FromVersionID string                `json:"from_version_id,omitempty"` // ListVersions
	Update        *backend.ObjectUpdate `json:"update,omitempty"`          // UpdateObject
	Kind          string                `json:"kind,omitempty"`            // bucket configurations
	Doc           []byte                `json:"doc,omitempty"`             // PutBucketConfig
}

// Codes of the wire protocol that are not sentinels.
const codeNoMethod = "UnknownMethod"

// protocol is the service's wire protocol. Statuses follow S3's
// (NoSuchBucket, NoSuchKey and NoSuchUpload are all 404): the code, not the
// status, tells sentinels apart.
var protocol = &rpc.Protocol{
	Service: "metadata",
	Sentinels: []rpc.Sentinel{
		{Err: backend.ErrBucketNotFound, Status: http.StatusNotFound, Code: "BucketNotFound"},
		{Err: backend.ErrObjectNotFound, Status: http.StatusNotFound, Code: "ObjectNotFound"},
		{Err: backend.ErrUploadNotFound, Status: http.StatusNotFound, Code: "UploadNotFound"},
		{Err: backend.ErrVersionNotFound, Status: http.StatusNotFound, Code: "VersionNotFound"},
		{Err: backend.ErrConfigNotFound, Status: http.StatusNotFound, Code: "ConfigNotFound"},
		{Err: backend.ErrBucketExists, Status: http.StatusConflict, Code: "BucketExists"},
		{Err: backend.ErrBucketNotEmpty, Status: http.StatusConflict, Code: "BucketNotEmpty"},
		{Err: backend.ErrUploadExists, Status: http.StatusConflict, Code: "UploadExists"},
		{Err: backend.ErrUploadChanged, Status: http.StatusConflict, Code: "UploadChanged"},
		{Err: backend.ErrPreconditionFailed, Status: http.StatusPreconditionFailed, Code: "PreconditionFailed"},
		{Err: ErrWriteLost, Status: http.StatusInternalServerError, Code: "WriteLost"},
		{Err: backend.ErrClosed, Status: http.StatusServiceUnavailable, Code: "Closed"},
	},
}

// RemoteError is an error reported by a metadata service that is not one
// of the sentinel errors the protocol carries: its message is the remote
// error's message, unchanged.
type RemoteError = rpc.RemoteError

// NewHandler returns an HTTP handler serving s, the metadata role's
// service in stack mode; Client is its client.
//
// Every Records method is one endpoint, POST /v1/<Method> (POST
// /v1/GetObject, POST /v1/PutObject…), whose JSON request body holds the
// arguments: "bucket" (the bucket name, also GetBucket's and DeleteBucket's
// name), "key", "id", "from", "limit", "condition" (PutObject),
// "bucket_record" (CreateBucket, UpdateBucket), "object" (PutObject,
// CompleteUpload), "upload" (CreateUpload), "part" (PutPart), "version_id"
// (GetObject, DeleteObject, UpdateObject), "from_version_id"
// (ListVersions, whose "from" is the key), "update" (UpdateObject), "kind"
// and "doc" (bucket configurations; "doc" is base64). Keys travel in the
// body, never in the path, so any key needs no escaping. Responses:
//
//   - 200 with the method's result as JSON: a backend record (field names
//     as in Go), a list, or for PutObject and PutPart the replaced record
//     or null;
//   - 204 with no body for methods that return only an error;
//   - an error status with {"code": "...", "message": "..."}: 404
//     BucketNotFound, ObjectNotFound, UploadNotFound, VersionNotFound,
//     ConfigNotFound; 409 BucketExists,
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
	mux.HandleFunc("GET /health", protocol.Health)
	mux.HandleFunc("GET /v1/stats", h.stats)
	mux.HandleFunc("POST /v1/{method}", h.call)
	return mux
}

type handler struct{ s backend.Records }

func (h *handler) stats(w http.ResponseWriter, r *http.Request) {
	st, err := ComputeStats(r.Context(), h.s)
	if err != nil {
		protocol.WriteError(w, r, err)
		return
	}
	rpc.WriteJSON(w, http.StatusOK, st)
}

func (h *handler) call(w http.ResponseWriter, r *http.Request) {
	method := r.PathValue("method")
	var req request
	if !protocol.ReadJSON(w, r, &req, maxRequestBody) {
		return
	}
	res, err := dispatch(r.Context(), h.s, method, &req)
	switch {
	case err != nil:
		protocol.WriteError(w, r, err)
	case res == nil:
		w.WriteHeader(http.StatusNoContent)
	default:
		rpc.WriteJSON(w, http.StatusOK, res)
	}
}

// required names, for each method that has one, the request field it
// cannot do without.
var required = map[string]struct {
	field   string
	present func(*request) bool
}{
	mCreateBucket:   {"bucket_record", func(r *request) bool { return r.BucketRecord != nil }},
	mUpdateBucket:   {"bucket_record", func(r *request) bool { return r.BucketRecord != nil }},
	mPutObject:      {"object", func(r *request) bool { return r.Object != nil }},
	mUpdateObject:   {"update", func(r *request) bool { return r.Update != nil }},
	mCreateUpload:   {"upload", func(r *request) bool { return r.Upload != nil }},
	mPutPart:        {"part", func(r *request) bool { return r.Part != nil }},
	mCompleteUpload: {"object", func(r *request) bool { return r.Object != nil }},
}

// dispatch calls method on s. It returns a nil result for methods that
// return only an error; PutObject and PutPart return a typed pointer, which
// is never a nil interface.
func dispatch(ctx context.Context, s backend.Records, method string, r *request) (any, error) {
	if need, ok := required[method]; ok && !need.present(r) {
		return nil, &rpc.RemoteError{Status: http.StatusBadRequest, Code: rpc.CodeBadRequest,
			Message: fmt.Sprintf("metadata: %s needs %q", method, need.field)}
	}
	switch method {
	case mCreateBucket:
		return nil, s.CreateBucket(ctx, *r.BucketRecord)
	case mGetBucket:
		return result(s.GetBucket(ctx, r.Bucket))
	case mListBuckets:
		return result(s.ListBuckets(ctx))
	case mDeleteBucket:
		return nil, s.DeleteBucket(ctx, r.Bucket)
	case mUpdateBucket:
		return nil, s.UpdateBucket(ctx, *r.BucketRecord)
	case mGetObject:
		return result(s.GetObject(ctx, r.Bucket, r.Key, r.VersionID))
	case mPutObject:
		return result(s.PutObject(ctx, r.Bucket, *r.Object, r.Condition))
	case mDeleteObject:
		return result(s.DeleteObject(ctx, r.Bucket, r.Key, r.VersionID))
	case mUpdateObject:
		return result(s.UpdateObject(ctx, r.Bucket, r.Key, r.VersionID, *r.Update))
	case mListVersions:
		return result(s.ListVersions(ctx, r.Bucket, r.From, r.FromVersionID, r.Limit))
	case mPutBucketConfig:
		return nil, s.PutBucketConfig(ctx, r.Bucket, r.Kind, r.Doc)
	case mGetBucketConfig:
		return result(s.GetBucketConfig(ctx, r.Bucket, r.Kind))
	case mDeleteBucketConfig:
		return nil, s.DeleteBucketConfig(ctx, r.Bucket, r.Kind)
	case mListObjects:
		return result(s.ListObjects(ctx, r.Bucket, r.From, r.Limit))
	case mCreateUpload:
		return nil, s.CreateUpload(ctx, *r.Upload)
	case mGetUpload:
		return result(s.GetUpload(ctx, r.Bucket, r.Key, r.ID))
	case mPutPart:
		return result(s.PutPart(ctx, r.Bucket, r.Key, r.ID, *r.Part))
	case mDeleteUpload:
		return result(s.DeleteUpload(ctx, r.Bucket, r.Key, r.ID))
	case mCompleteUpload:
		replaced, done, err := s.CompleteUpload(ctx, r.Bucket, r.ID, *r.Object, r.Condition)
		return result(completion{replaced, done}, err)
	case mListUploads:
		return result(s.ListUploads(ctx, r.Bucket))
	}
	return nil, &rpc.RemoteError{Status: http.StatusNotFound, Code: codeNoMethod,
		Message: fmt.Sprintf("metadata: unknown method %q", method)}
}

// result boxes a Records result, dropping it on error.
func result[T any](v T, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return v, nil
}

// Client is a backend.Records served by a metadata service over HTTP (NewHandler).
// Sentinel errors come back as themselves (errors.Is works); other errors
// as a *RemoteError; transport failures, including ctx ending, as the
// http.Client's error wrapped (errors.Is(err, context.Canceled) works).
// A call whose context ends after the request was sent may or may not have
// taken effect, as with any remote call. A Client is safe for concurrent
// use.
type Client struct{ rpc *rpc.Client }

var _ backend.Records = (*Client)(nil)

// NewClient returns a Client for the metadata service at baseURL (such as
// "http://127.0.0.1:8081"), calling it with hc, or http.DefaultClient if hc
// is nil.
func NewClient(baseURL string, hc *http.Client) *Client {
	return &Client{protocol.NewClient(baseURL, hc)}
}

// call calls a Records method on the service.
func (c *Client) call(ctx context.Context, method string, req *request, out any) error {
	return c.rpc.Call(ctx, method, http.MethodPost, "/v1/"+method, req, out)
}

// callFor calls a Records method that has a result: T, or T's zero value
// with the error.
func callFor[T any](ctx context.Context, c *Client, method string, req *request) (T, error) {
	var out T
	if err := c.call(ctx, method, req, &out); err != nil {
		var zero T
		return zero, err
	}
	return out, nil
}

// CreateBucket implements backend.Records.
func (c *Client) CreateBucket(ctx context.Context, b backend.Bucket) error {
	return c.call(ctx, mCreateBucket, &request{BucketRecord: &b}, nil)
}

// GetBucket implements backend.Records.
func (c *Client) GetBucket(ctx context.Context, name string) (backend.Bucket, error) {
	return callFor[backend.Bucket](ctx, c, mGetBucket, &request{Bucket: name})
}

// ListBuckets implements backend.Records.
func (c *Client) ListBuckets(ctx context.Context) ([]backend.Bucket, error) {
	return callFor[[]backend.Bucket](ctx, c, mListBuckets, &request{})
}

// DeleteBucket implements backend.Records.
func (c *Client) DeleteBucket(ctx context.Context, name string) error {
	return c.call(ctx, mDeleteBucket, &request{Bucket: name}, nil)
}

// UpdateBucket implements backend.Records.
func (c *Client) UpdateBucket(ctx context.Context, b backend.Bucket) error {
	return c.call(ctx, mUpdateBucket, &request{BucketRecord: &b}, nil)
}

// GetObject implements backend.Records.
func (c *Client) GetObject(ctx context.Context, bucket, key, versionID string) (backend.Object, error) {
	return callFor[backend.Object](ctx, c, mGetObject, &request{Bucket: bucket, Key: key, VersionID: versionID})
}

// PutObject implements backend.Records.
func (c *Client) PutObject(ctx context.Context, bucket string, obj backend.Object, cond backend.Condition) (*backend.Object, error) {
	return callFor[*backend.Object](ctx, c, mPutObject, &request{Bucket: bucket, Object: &obj, Condition: cond})
}

// DeleteObject implements backend.Records.
func (c *Client) DeleteObject(ctx context.Context, bucket, key, versionID string) (backend.Object, error) {
	return callFor[backend.Object](ctx, c, mDeleteObject, &request{Bucket: bucket, Key: key, VersionID: versionID})
}

// UpdateObject implements backend.Records.
func (c *Client) UpdateObject(ctx context.Context, bucket, key, versionID string, u backend.ObjectUpdate) (backend.Object, error) {
	// JSON turns a pointer to nil into a nil pointer ("unchanged"): send
	// "remove" as a pointer to an empty value, which backends treat alike.
	if u.Tags != nil && *u.Tags == nil {
		u.Tags = &map[string]string{}
	}
	if u.ACL != nil && *u.ACL == nil {
		u.ACL = &[]byte{}
	}
	return callFor[backend.Object](ctx, c, mUpdateObject, &request{Bucket: bucket, Key: key, VersionID: versionID, Update: &u})
}

// ListVersions implements backend.Records.
func (c *Client) ListVersions(ctx context.Context, bucket, fromKey, fromVersionID string, limit int) ([]backend.Object, error) {
	req := &request{Bucket: bucket, From: fromKey, FromVersionID: fromVersionID, Limit: limit}
	return callFor[[]backend.Object](ctx, c, mListVersions, req)
}

// PutBucketConfig implements backend.Records.
func (c *Client) PutBucketConfig(ctx context.Context, bucket, kind string, doc []byte) error {
	return c.call(ctx, mPutBucketConfig, &request{Bucket: bucket, Kind: kind, Doc: doc}, nil)
}

// GetBucketConfig implements backend.Records.
func (c *Client) GetBucketConfig(ctx context.Context, bucket, kind string) ([]byte, error) {
	var doc []byte
	if err := c.call(ctx, mGetBucketConfig, &request{Bucket: bucket, Kind: kind}, &doc); err != nil {
		return nil, err
	}
	if doc == nil {
		doc = []byte{}
	}
	return doc, nil
}

// DeleteBucketConfig implements backend.Records.
func (c *Client) DeleteBucketConfig(ctx context.Context, bucket, kind string) error {
	return c.call(ctx, mDeleteBucketConfig, &request{Bucket: bucket, Kind: kind}, nil)
}

// ListObjects implements backend.Records.
func (c *Client) ListObjects(ctx context.Context, bucket, from string, limit int) ([]backend.Object, error) {
	return callFor[[]backend.Object](ctx, c, mListObjects, &request{Bucket: bucket, From: from, Limit: limit})
}

// CreateUpload implements backend.Records.
func (c *Client) CreateUpload(ctx context.Context, u backend.Upload) error {
	return c.call(ctx, mCreateUpload, &request{Upload: &u}, nil)
}

// GetUpload implements backend.Records.
func (c *Client) GetUpload(ctx context.Context, bucket, key, id string) (backend.Upload, error) {
	return callFor[backend.Upload](ctx, c, mGetUpload, &request{Bucket: bucket, Key: key, ID: id})
}

// PutPart implements backend.Records.
func (c *Client) PutPart(ctx context.Context, bucket, key, id string, p backend.Part) (*backend.Part, error) {
	return callFor[*backend.Part](ctx, c, mPutPart, &request{Bucket: bucket, Key: key, ID: id, Part: &p})
}

// DeleteUpload implements backend.Records.
func (c *Client) DeleteUpload(ctx context.Context, bucket, key, id string) (backend.Upload, error) {
	return callFor[backend.Upload](ctx, c, mDeleteUpload, &request{Bucket: bucket, Key: key, ID: id})
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
	return callFor[[]backend.Upload](ctx, c, mListUploads, &request{Bucket: bucket})
}

// Stats returns the service's statistics (GET /v1/stats; see ComputeStats).
func (c *Client) Stats(ctx context.Context) (Stats, error) {
	var st Stats
	if err := c.rpc.Call(ctx, "Stats", http.MethodGet, "/v1/stats", nil, &st); err != nil {
		return Stats{}, err
	}
	return st, nil
}

// Health reports whether the service answers GET /health with 200.
func (c *Client) Health(ctx context.Context) error { return c.rpc.Health(ctx) }
