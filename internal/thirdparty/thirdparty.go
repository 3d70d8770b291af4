// Package thirdparty is the third-party role: a fallback origin consulted
// when a GET or HEAD misses, like the seed's third-party service.
package thirdparty

import (
	"context"
	"fmt"
	"io"
	"io/fs"
)

// ErrNotFound is returned by an origin that does not have the object. It
// is an fs.ErrNotExist, the miss of the public Origin API.
var ErrNotFound = fmt.Errorf("thirdparty: object not found at the origin: %w", fs.ErrNotExist)

// Object is an object fetched from an origin. The caller closes Body.
type Object struct {
	Body        io.ReadCloser
	Size        int64 // -1 if unknown
	ContentType string
	Metadata    map[string]string // lower-case keys, without x-amz-meta-
}

// Origin is the third-party role's interface.
type Origin interface {
	// Fetch returns the object at bucket/key, ErrNotFound, or another
	// error for a failed fetch.
	Fetch(ctx context.Context, bucket, key string) (Object, error)
}

// Stats are the role's counters.
type Stats struct {
	Hits        int64 `json:"hits"`
	Misses      int64 `json:"misses"`
	FetchErrors int64 `json:"fetch_errors"`
}
