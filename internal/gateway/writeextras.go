package gateway

import (
	"context"
	"net/http"

	"github.com/mocks3/mocks3/backend"
)

// writeExtras are what a PutObject, CopyObject, PostObject or
// CreateMultipartUpload sets on the new object besides its bytes and
// headers: its tags, ACL and encryption, read together, and its storage
// class, redirect and lock, which the handler reads before them.
type writeExtras struct {
	tags  map[string]string
	acl   []byte
	sse   backend.SSE
	attrs objectAttrs
	lock  writeLock
}

func (e writeExtras) apply(obj *backend.Object) {
	obj.Tags, obj.ACL, obj.SSE = e.tags, e.acl, e.sse
	e.attrs.apply(obj)
	obj.Retention, obj.LegalHold = e.lock.retention, e.lock.legalHold
}

// writeExtras reads the tags, ACL and encryption a write to bucket sets.
func (h *Handler) writeExtras(ctx context.Context, r *http.Request, bucket string) (writeExtras, error) {
	tags, _, err := requestTags(r)
	if err != nil {
		return writeExtras{}, err
	}
	return h.aclAndSSE(ctx, r, bucket, tags)
}

// copyExtras reads the tags, ACL and encryption of a copy of src: the
// tags by the tagging directive, the ACL from the request (S3 never copies
// an ACL).
func (h *Handler) copyExtras(ctx context.Context, r *http.Request, bucket string, src backend.Object) (writeExtras, error) {
	tags, err := copyTags(r, src.Tags)
	if err != nil {
		return writeExtras{}, err
	}
	return h.aclAndSSE(ctx, r, bucket, tags)
}

func (h *Handler) aclAndSSE(ctx context.Context, r *http.Request, bucket string, tags map[string]string) (writeExtras, error) {
	acl, err := h.requestObjectACL(ctx, r, bucket)
	if err != nil {
		return writeExtras{}, err
	}
	sse, err := h.writeSSE(ctx, r.Header, r.TLS != nil, bucket)
	return writeExtras{tags: tags, acl: acl, sse: sse}, err
}
