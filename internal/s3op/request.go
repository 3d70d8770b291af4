package s3op

import (
	"net/http"

	"github.com/mocks3/mocks3/s3api"
)

// Request is an S3 request as the router identifies it: what a fault rule
// matches and what the layers below know of the request they work for.
type Request struct {
	Operation s3api.Operation
	Bucket    string
	Key       string
	ID        string // x-amz-request-id
	// Attempt is the SDK's attempt number (amz-sdk-request: attempt=N),
	// 0 if absent.
	Attempt int
	// Method, Header and RawQuery are the HTTP request's, so that a rule
	// on a role service can match the S3 request a role call serves by
	// them (its access key, user agent...). Header is read, never changed.
	Method   string
	Header   http.Header
	RawQuery string
}
