package gateway

import (
	"context"
	"net/http"

	"github.com/mocks3/mocks3/backend"
)

// writeExtras are what a PutObject, CopyObject or CreateMultipartUpload
// sets on the new object besides its bytes and headers: its tags and its
// ACL.
type writeExtras struct {
	tags map[string]string
	acl  []byte
}

func (e writeExtras) apply(obj *backend.Object) {
	obj.Tags, obj.ACL = e.tags, e.acl
}

// writeExtras reads the tags and ACL a write to bucket sets.
func (h *Handler) writeExtras(ctx context.Context, r *http.Request, bucket string) (writeExtras, error) {
	tags, _, err := requestTags(r)
	if err != nil {
		return writeExtras{}, err
	}
	acl, err := h.requestObjectACL(ctx, r, bucket)
	return writeExtras{tags: tags, acl: acl}, err
}

// copyExtras reads the tags and ACL of a copy of src: the tags by the
// tagging directive, the ACL from the request (S3 never copies an ACL).
func (h *Handler) copyExtras(ctx context.Context, r *http.Request, bucket string, src backend.Object) (writeExtras, error) {
	tags, err := copyTags(r, src.Tags)
	if err != nil {
		return writeExtras{}, err
	}
	acl, err := h.requestObjectACL(ctx, r, bucket)
	return writeExtras{tags: tags, acl: acl}, err
}
