// Package storage is the storage role: object bytes, streamed.
//
// Local keeps them in a backend; NewHandler serves any Store over HTTP and
// Client is a Store calling such a service (stack mode); Replicated keeps a
// copy on each of several nodes, writing to all and reading from the first
// that answers. Package storagetest holds the contract every Store passes.
package storage

import (
	"context"
	"io"

	"github.com/mocks3/mocks3/backend"
)

// Store is the storage role's interface.
type Store interface {
	// Write stores everything r yields; see backend.Backend.WriteBlob.
	// It stops reading r before it returns, and a failed or cancelled
	// write leaves no blob.
	Write(ctx context.Context, r io.Reader, sizeHint int64) (backend.BlobID, int64, error)
	// Open opens a blob (backend.ErrBlobNotFound if there is none). Reads
	// in ascending order from offset 0, as the gateway streams a GET, see
	// the blob's bytes even if it is deleted meanwhile.
	Open(ctx context.Context, id backend.BlobID) (backend.Blob, error)
	// Delete deletes a blob (backend.ErrBlobNotFound if there is none).
	Delete(ctx context.Context, id backend.BlobID) error
}

// Local is the in-process storage role over a backend.
type Local struct{ b backend.Backend }

var _ Store = Local{}

// NewLocal returns the in-process storage role keeping bytes in b.
func NewLocal(b backend.Backend) Local { return Local{b} }

// Write implements Store.
func (l Local) Write(ctx context.Context, r io.Reader, sizeHint int64) (backend.BlobID, int64, error) {
	return l.b.WriteBlob(ctx, r, sizeHint)
}

// Open implements Store.
func (l Local) Open(ctx context.Context, id backend.BlobID) (backend.Blob, error) {
	return l.b.OpenBlob(ctx, id)
}

// Delete implements Store.
func (l Local) Delete(ctx context.Context, id backend.BlobID) error { return l.b.DeleteBlob(ctx, id) }
