// Package metadata is the metadata role: buckets, object records, the sorted
// listing index and multipart upload state. The role is a backend.Records;
// this package serves one over HTTP (NewHandler) and calls such a service
// (Client), for stack mode.
package metadata

import "errors"

// ErrWriteLost is returned by a metadata role that acknowledges a write but
// drops it, as a lost-write fault does: the caller reports success and
// reclaims the write's bytes.
var ErrWriteLost = errors.New("metadata: write acknowledged but lost")
