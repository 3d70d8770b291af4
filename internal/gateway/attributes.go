// Object settings a write asks for besides content headers and metadata:
// x-amz-storage-class and x-amz-website-redirect-location, from
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html and
// API_CopyObject.html; and x-amz-expected-bucket-owner, from
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-owner-condition.html

package gateway

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/mocks3/mocks3/internal/s3err"
	"github.com/mocks3/mocks3/internal/s3op"

	"github.com/mocks3/mocks3/backend"
)

// objectAttrs are a write's storage class ("" for STANDARD) and website
// redirect location ("" for none).
type objectAttrs struct {
	storageClass string
	redirect     string
}

// parseObjectAttrs reads the storage class and website redirect location a
// write asks for.
func parseObjectAttrs(h http.Header) (objectAttrs, error) {
	var a objectAttrs
	if sc := h.Get("x-amz-storage-class"); sc != "" {
		if !validStorageClass(sc) {
			return a, newError(s3err.InvalidStorageClass, extra("StorageClassRequested", sc))
		}
		if sc != "STANDARD" {
			a.storageClass = sc
		}
	}
	if rd := h.Get("x-amz-website-redirect-location"); rd != "" {
		if !utf8.ValidString(rd) || !(strings.HasPrefix(rd, "/") || strings.HasPrefix(rd, "http://") || strings.HasPrefix(rd, "https://")) {
			return a, newError(s3err.InvalidRedirectLocation)
		}
		a.redirect = rd
	}
	return a, nil
}

func (a objectAttrs) apply(o *backend.Object) {
	o.StorageClass, o.WebsiteRedirect = a.storageClass, a.redirect
}

// storageClassOf is the storage class listings show for a stored one.
func storageClassOf(sc string) string {
	if sc == "" {
		return "STANDARD"
	}
	return sc
}

// writeObjectAttrs sets the GET and HEAD headers of obj's attributes. S3
// sends x-amz-storage-class only for classes other than STANDARD.
func writeObjectAttrs(hdr http.Header, obj *backend.Object) {
	if obj.StorageClass != "" {
		hdr["x-amz-storage-class"] = []string{obj.StorageClass}
	}
	if obj.WebsiteRedirect != "" {
		hdr["x-amz-website-redirect-location"] = []string{obj.WebsiteRedirect}
	}
}

// checkExpectedOwner answers AccessDenied when x-amz-expected-bucket-owner,
// or x-amz-source-expected-bucket-owner on a copy, names an account other
// than the bucket's owner: the one account, or with authentication the
// identity that created it. A bucket that does not exist
// has no owner: the operation then answers NoSuchBucket itself.
func (h *Handler) checkExpectedOwner(ctx context.Context, r *http.Request, req *request) error {
	if req.bucket == "" || req.op == s3op.CreateBucket {
		return nil
	}
	check := func(header, bucket string) error {
		v := r.Header.Get(header)
		if v == "" || h.auth == nil && v == defaultOwner.ID {
			return nil
		}
		b, err := h.store.Records().GetBucket(ctx, bucket)
		if errors.Is(err, backend.ErrBucketNotFound) || err == nil && v == h.bucketOwnerID(b) {
			return nil
		}
		return newError(s3err.AccessDenied)
	}
	if err := check("x-amz-expected-bucket-owner", req.bucket); err != nil {
		return err
	}
	if src := r.Header.Get("x-amz-copy-source"); src != "" {
		if cs, err := parseCopySource(src); err == nil {
			return check("x-amz-source-expected-bucket-owner", cs.bucket)
		}
	}
	return nil
}
