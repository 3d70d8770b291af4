// ACLs and object ownership:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketAcl.html,
// API_GetBucketAcl.html, API_PutObjectAcl.html, API_GetObjectAcl.html,
// API_PutBucketOwnershipControls.html, API_GetBucketOwnershipControls.html,
// API_DeleteBucketOwnershipControls.html; what BucketOwnerEnforced refuses:
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-ownership-error-responses.html.

package gateway

import (
	"bytes"
	"context"
	"net/http"
	"strings"

	"github.com/mocks3/mocks3/internal/s3err"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/bucketconfig"
)

// aclOwner is the owner of bucket in its ACLs: the bucket's owner, who
// also owns its objects (see bucketOwner).
func (h *Handler) aclOwner(ctx context.Context, bucket string) (bucketconfig.Owner, error) {
	o, err := h.bucketOwner(ctx, bucket)
	return bucketconfig.Owner{ID: o.ID, DisplayName: o.DisplayName}, err
}

// ownerFullControl is the ACL S3 reports when ACLs are disabled, and the
// default (private) ACL otherwise.
func ownerFullControl(o bucketconfig.Owner) []byte {
	a, _ := bucketconfig.CannedACL("private", o, o, true)
	return a.Encode()
}

// objectOwnership returns the bucket's Object Ownership setting. A bucket
// never configured has BucketOwnerEnforced, S3's default for new buckets
// since April 2023; after DeleteBucketOwnershipControls it has none ("").
func (h *Handler) objectOwnership(ctx context.Context, bucket string) (string, error) {
	doc, err := h.bucketConfig(ctx, bucket, kindOwnership)
	switch {
	case err != nil:
		return "", err
	case doc == nil:
		return bucketconfig.BucketOwnerEnforced, nil
	case len(doc) == 0 || bytes.Equal(doc, noOwnershipControls):
		return "", nil
	}
	return bucketconfig.ParseOwnershipControls(doc)
}

// aclToStore refuses an ACL the bucket does not take: any but bucket
// owner full control when ACLs are disabled, a public one when public ACLs
// are blocked. It returns the ACL encoded for the record, or nil when ACLs
// are disabled: then no ACL is stored.
func (h *Handler) aclToStore(ctx context.Context, bucket string, a *bucketconfig.ACL) ([]byte, error) {
	own, err := h.objectOwnership(ctx, bucket)
	if err != nil {
		return nil, err
	}
	if own == bucketconfig.BucketOwnerEnforced {
		o, err := h.aclOwner(ctx, bucket)
		if err != nil {
			return nil, err
		}
		if !a.BucketOwnerFullControl(o.ID) {
			return nil, newError(s3err.AccessControlListNotSupported)
		}
		return nil, nil
	}
	if a.Public() {
		pab, err := h.publicAccessBlock(ctx, bucket)
		if err != nil {
			return nil, err
		}
		if pab.BlockPublicAcls {
			return nil, newError(s3err.AccessDenied)
		}
	}
	return a.Encode(), nil
}

// requestObjectACL reads the ACL a PutObject, CopyObject or
// CreateMultipartUpload sets in its headers, encoded for the record; nil
// when it sets none or ACLs are disabled.
func (h *Handler) requestObjectACL(ctx context.Context, r *http.Request, bucket string) ([]byte, error) {
	if !bucketconfig.ACLHeadersSent(r.Header) {
		return nil, nil
	}
	o, err := h.aclOwner(ctx, bucket)
	if err != nil {
		return nil, err
	}
	a, err := bucketconfig.ACLFromHeaders(r.Header, o, o, false)
	if err != nil || a == nil {
		return nil, err
	}
	if a.Canned == "private" {
		// S3 takes private from the owner's account when ACLs are disabled:
		// it grants the writer full control, what S3 reports anyway. rclone
		// and others send it on every upload and copy.
		own, err := h.objectOwnership(ctx, bucket)
		if err != nil || own == bucketconfig.BucketOwnerEnforced {
			return nil, err
		}
	}
	return h.aclToStore(ctx, bucket, a)
}

// putACLDoc reads PutBucketAcl's or PutObjectAcl's ACL and returns it as
// aclToStore does.
func (h *Handler) putACLDoc(r *http.Request, bucket string, forBucket bool) ([]byte, error) {
	o, err := h.aclOwner(r.Context(), bucket)
	if err != nil {
		return nil, err
	}
	a, err := requestACL(r, o, forBucket)
	if err != nil {
		return nil, err
	}
	return h.aclToStore(r.Context(), bucket, a)
}

// requestACL reads PutBucketAcl's or PutObjectAcl's ACL on a resource of
// owner o: from the headers or from the body, not both.
func requestACL(r *http.Request, o bucketconfig.Owner, forBucket bool) (*bucketconfig.ACL, error) {
	fromHeaders, err := bucketconfig.ACLFromHeaders(r.Header, o, o, forBucket)
	if err != nil {
		return nil, err
	}
	body, err := readSmallBody(r, bucketconfig.MaxDocumentSize)
	if err != nil {
		return nil, err
	}
	hasBody := len(bytes.TrimSpace(body)) > 0
	switch {
	case fromHeaders != nil && hasBody:
		return nil, errorf(s3err.InvalidRequest, "Specifying both an access control policy in the request body and access control headers is not allowed")
	case fromHeaders != nil:
		return fromHeaders, nil
	case !hasBody:
		return nil, newError(s3err.MalformedACLError)
	}
	a, err := bucketconfig.ParseACL(body)
	if err != nil {
		return nil, err
	}
	if a.Owner.ID != "" && a.Owner.ID != o.ID {
		return nil, newError(s3err.AccessDenied)
	}
	a.Owner = o
	return a, nil
}

func (h *Handler) putBucketACL(w http.ResponseWriter, r *http.Request, req *request) error {
	ctx := r.Context()
	if _, err := h.bucket(ctx, req.bucket); err != nil {
		return err
	}
	doc, err := h.putACLDoc(r, req.bucket, true)
	if err != nil {
		return err
	}
	if doc != nil {
		if err := h.store.Records().PutBucketConfig(ctx, req.bucket, "acl", doc); err != nil {
			return s3Error(err, req.bucket, "")
		}
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

func (h *Handler) getBucketACL(w http.ResponseWriter, r *http.Request, req *request) error {
	ctx := r.Context()
	own, err := h.objectOwnership(ctx, req.bucket)
	if err != nil {
		return err
	}
	o, err := h.aclOwner(ctx, req.bucket)
	if err != nil {
		return err
	}
	doc := ownerFullControl(o)
	if own != bucketconfig.BucketOwnerEnforced {
		stored, err := h.bucketConfig(ctx, req.bucket, "acl")
		if err != nil {
			return err
		}
		if stored != nil {
			doc = stored
		}
	}
	writeDoc(w, "application/xml", doc)
	return nil
}

func (h *Handler) putObjectACL(w http.ResponseWriter, r *http.Request, req *request) error {
	ctx := r.Context()
	ver := versionOf(r)
	if _, err := h.objectVersion(ctx, req, ver); err != nil {
		return err
	}
	doc, err := h.putACLDoc(r, req.bucket, false)
	if err != nil {
		return err
	}
	obj, err := h.store.Records().UpdateObject(ctx, req.bucket, req.key, ver, backend.ObjectUpdate{ACL: &doc})
	if err != nil {
		return s3Error(err, req.bucket, req.key)
	}
	setVersionHeader(w.Header(), obj)
	w.WriteHeader(http.StatusOK)
	return nil
}

func (h *Handler) getObjectACL(w http.ResponseWriter, r *http.Request, req *request) error {
	ctx := r.Context()
	obj, err := h.objectVersion(ctx, req, versionOf(r))
	if err != nil {
		return err
	}
	own, err := h.objectOwnership(ctx, req.bucket)
	if err != nil {
		return err
	}
	doc := obj.ACL
	if own == bucketconfig.BucketOwnerEnforced || doc == nil {
		o, err := h.aclOwner(ctx, req.bucket)
		if err != nil {
			return err
		}
		doc = ownerFullControl(o)
	}
	setVersionHeader(w.Header(), obj)
	writeDoc(w, "application/xml", doc)
	return nil
}

func (h *Handler) getOwnershipControls(w http.ResponseWriter, r *http.Request, req *request) error {
	own, err := h.objectOwnership(r.Context(), req.bucket)
	if err != nil {
		return err
	}
	if own == "" {
		return newError(s3err.OwnershipControlsNotFound, extra("BucketName", req.bucket))
	}
	writeDoc(w, "application/xml", bucketconfig.EncodeOwnershipControls(own))
	return nil
}

// noOwnershipControls is what DeleteBucketOwnershipControls stores: a
// bucket without controls differs from one never configured, which has
// S3's default. A marker rather than an empty document, which a transport
// could turn into none.
var noOwnershipControls = []byte("none")

// deleteOwnershipControls removes the bucket's ownership controls.
func (h *Handler) deleteOwnershipControls(w http.ResponseWriter, r *http.Request, req *request) error {
	ctx := r.Context()
	if _, err := h.bucket(ctx, req.bucket); err != nil {
		return err
	}
	if err := h.store.Records().PutBucketConfig(ctx, req.bucket, kindOwnership, noOwnershipControls); err != nil {
		return s3Error(err, req.bucket, "")
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// createBucketACL applies CreateBucket's x-amz-object-ownership and ACL
// headers to the new bucket of owner o. With BucketOwnerEnforced (the
// default), an ACL that grants anyone but the owner is refused.
func (h *Handler) createBucketACL(ctx context.Context, r *http.Request, bucket string, o bucketconfig.Owner) (func() error, error) {
	own := r.Header.Get("x-amz-object-ownership")
	if own != "" {
		if err := bucketconfig.CheckObjectOwnership(own); err != nil {
			return nil, err
		}
	}
	a, err := bucketconfig.ACLFromHeaders(r.Header, o, o, true)
	if err != nil {
		return nil, err
	}
	enforced := own == "" || own == bucketconfig.BucketOwnerEnforced
	if a != nil && enforced && !a.BucketOwnerFullControl(o.ID) && !strings.EqualFold(a.Canned, "private") {
		return nil, newError(s3err.InvalidBucketAclWithObjectOwnership)
	}
	// Applied once the bucket exists.
	return func() error {
		if own != "" {
			if err := h.store.Records().PutBucketConfig(ctx, bucket, kindOwnership, bucketconfig.EncodeOwnershipControls(own)); err != nil {
				return err
			}
		}
		if a != nil && !enforced {
			return h.store.Records().PutBucketConfig(ctx, bucket, "acl", a.Encode())
		}
		return nil
	}, nil
}
