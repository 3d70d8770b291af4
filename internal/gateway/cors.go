// CORS: the preflight OPTIONS request
// (https://docs.aws.amazon.com/AmazonS3/latest/API/RESTOPTIONSobject.html)
// and the CORS headers of actual requests, evaluated against the bucket's
// rules as https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html
// describes.

package gateway

import (
	"errors"
	"net/http"

	"github.com/mocks3/mocks3/internal/s3op"

	"github.com/mocks3/mocks3/internal/s3err"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/bucketconfig"
)

// bucketCORS returns the bucket's CORS rules, nil if it has none.
func (h *Handler) bucketCORS(r *http.Request, bucket string) (*bucketconfig.CORS, error) {
	doc, err := h.store.Records().GetBucketConfig(r.Context(), bucket, "cors")
	if errors.Is(err, backend.ErrConfigNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return bucketconfig.ParseCORS(doc)
}

// corsRequest is what r asks of the rules: Access-Control-Request-Method
// decides the method when sent, on actual requests too, as S3 does.
func corsRequest(r *http.Request) bucketconfig.CORSRequest {
	method := r.Header.Get("Access-Control-Request-Method")
	if method == "" && r.Method != http.MethodOptions {
		method = r.Method
	}
	return bucketconfig.CORSRequest{Origin: r.Header.Get("Origin"), Method: method,
		Headers: bucketconfig.SplitHeaderList(r.Header.Get("Access-Control-Request-Headers"))}
}

func setCORS(hdr http.Header, c bucketconfig.CORSHeaders) {
	for _, f := range []struct{ name, value string }{
		{"Access-Control-Allow-Origin", c.AllowOrigin},
		{"Access-Control-Allow-Methods", c.AllowMethods},
		{"Access-Control-Allow-Headers", c.AllowHeaders},
		{"Access-Control-Expose-Headers", c.ExposeHeaders},
		{"Access-Control-Max-Age", c.MaxAge},
		{"Access-Control-Allow-Credentials", c.AllowCredentials},
		{"Vary", c.Vary},
	} {
		if f.value != "" {
			hdr.Set(f.name, f.value)
		}
	}
}

// preflight answers a browser's OPTIONS request: 200 with the CORS
// headers of the first rule that allows the request, else 403.
func (h *Handler) preflight(w http.ResponseWriter, r *http.Request, req *request) error {
	if r.Header.Get("Origin") == "" {
		return bucketconfig.ErrPreflightNoOrigin()
	}
	cr := corsRequest(r)
	method := cr.Method
	if method == "" {
		method = http.MethodOptions
	}
	c, err := h.bucketCORS(r, req.bucket)
	if errors.Is(err, backend.ErrBucketNotFound) {
		return &s3err.Error{Code: s3err.AccessForbidden, Message: "CORSResponse: Bucket not found",
			Extra: []s3err.ExtraElement{extra("Method", method), extra("ResourceType", "BUCKET")}}
	}
	if err != nil {
		return err
	}
	if c == nil {
		return bucketconfig.ErrCORSNotEnabled(method, "BUCKET")
	}
	match, ok := c.Match(cr)
	if !ok {
		resource := "BUCKET"
		if req.key != "" {
			resource = "OBJECT"
		}
		return bucketconfig.ErrCORSNotAllowed(method, resource)
	}
	setCORS(w.Header(), match)
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(http.StatusOK)
	return nil
}

// setCORSHeaders adds the CORS headers to an actual cross-origin request's
// response, errors included, when a rule allows it. S3 refuses only
// preflights: a request no rule allows is served without CORS headers.
func (h *Handler) setCORSHeaders(w http.ResponseWriter, r *http.Request, req *request) {
	if req.bucket == "" || req.op == s3op.OptionsObject || r.Header.Get("Origin") == "" {
		return
	}
	c, err := h.bucketCORS(r, req.bucket)
	if err != nil || c == nil {
		return
	}
	if match, ok := c.Match(corsRequest(r)); ok {
		setCORS(w.Header(), match)
	}
}

// CORSAllows reports whether the CORS rules of the bucket r addresses
// allow r, a cross-origin request: what lets a browser's POST through the
// server's cross-origin guard, as it would reach S3.
func (h *Handler) CORSAllows(r *http.Request) bool {
	bucket, _ := h.split(r)
	if bucket == "" || r.Header.Get("Origin") == "" {
		return false
	}
	c, err := h.bucketCORS(r, bucket)
	if err != nil || c == nil {
		return false
	}
	_, ok := c.Match(corsRequest(r))
	return ok
}
