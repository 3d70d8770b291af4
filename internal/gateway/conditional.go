// Conditional requests: reads follow
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html (RFC 9110
// §13.2.2 evaluation order); writes follow
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html

package gateway

import (
	"net/http"
	"time"

	"github.com/mocks3/mocks3/internal/s3err"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/etag"
)

func parseHTTPTime(s string) (time.Time, bool) {
	t, err := http.ParseTime(s)
	return t, err == nil
}

// checkReadConditions evaluates the four conditional headers of a GET or
// HEAD against obj. prefix is "" for GetObject and "x-amz-copy-source-" for
// the copy-source conditions of a copy, which fail with 412 where a read
// would answer 304.
func checkReadConditions(h http.Header, prefix string, obj *backend.Object) error {
	lastMod := obj.LastModified.Truncate(time.Second)
	notModified := s3err.NotModified
	if prefix != "" {
		notModified = s3err.PreconditionFailed
	}
	im, inm := h.Get(prefix+"If-Match"), h.Get(prefix+"If-None-Match")
	if im != "" {
		if !etag.Matches(im, obj.ETag) {
			return newError(s3err.PreconditionFailed, extra("Condition", "If-Match"))
		}
	} else if v := h.Get(prefix + "If-Unmodified-Since"); v != "" {
		if t, ok := parseHTTPTime(v); ok && lastMod.After(t) {
			return newError(s3err.PreconditionFailed, extra("Condition", "If-Unmodified-Since"))
		}
	}
	if inm != "" {
		if etag.Matches(inm, obj.ETag) {
			return newError(notModified)
		}
	} else if v := h.Get(prefix + "If-Modified-Since"); v != "" {
		if t, ok := parseHTTPTime(v); ok && !lastMod.After(t) {
			return newError(notModified)
		}
	}
	return nil
}

// writeCondition returns the condition of a conditional write (If-None-Match:
// * or If-Match).
func writeCondition(r *http.Request) (backend.Condition, error) {
	im, inm := r.Header.Get("If-Match"), r.Header.Get("If-None-Match")
	if inm != "" && inm != "*" {
		return backend.Condition{}, errorf(s3err.NotImplemented, "If-None-Match on writes only supports the value *.")
	}
	return backend.Condition{IfNoneMatch: inm == "*", IfMatch: im}, nil
}
