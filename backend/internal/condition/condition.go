// Package condition checks a backend.Condition against a record, for the
// backends of this module.
package condition

import (
	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/etag"
)

// Check tests c against the current record (nil if none): it returns
// backend.ErrPreconditionFailed, or backend.ErrObjectNotFound for IfMatch on
// a missing key.
func Check(c backend.Condition, cur *backend.Object) error {
	if c.IfNoneMatch && cur != nil {
		return backend.ErrPreconditionFailed
	}
	if c.IfMatch != "" {
		if cur == nil {
			return backend.ErrObjectNotFound
		}
		if !etag.Matches(c.IfMatch, cur.ETag) {
			return backend.ErrPreconditionFailed
		}
	}
	return nil
}
