// Object tagging: https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectTagging.html,
// API_GetObjectTagging.html, API_DeleteObjectTagging.html, and the
// x-amz-tagging, x-amz-tagging-directive and x-amz-tagging-count headers of
// API_PutObject.html, API_CopyObject.html, API_CreateMultipartUpload.html
// and API_GetObject.html.

package gateway

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/mocks3/mocks3/internal/s3err"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/bucketconfig"
)

// versionOf reads a request's versionId: "" for the current version.
func versionOf(r *http.Request) string { return r.URL.Query().Get("versionId") }

// objectVersion returns the version of an object a subresource request
// (?tagging, ?acl) addresses. A delete marker has no subresources: without
// a version ID the key reads as absent, with one the method is not allowed.
func (h *Handler) objectVersion(ctx context.Context, req *request, versionID string) (backend.Object, error) {
	obj, err := h.store.Records().GetObject(ctx, req.bucket, req.key, versionID)
	switch {
	case errors.Is(err, backend.ErrVersionNotFound):
		return obj, newError(s3err.NoSuchVersion, extra("Key", req.key), extra("VersionId", versionID))
	case err != nil:
		return obj, s3Error(err, req.bucket, req.key)
	case obj.DeleteMarker && versionID == "":
		return obj, newError(s3err.NoSuchKey, extra("Key", req.key))
	case obj.DeleteMarker:
		return obj, newError(s3err.MethodNotAllowed, extra("Method", "GET"), extra("ResourceType", "DeleteMarker"))
	}
	return obj, nil
}

// setVersionHeader names the version a response is about, when the
// object has version IDs.
func setVersionHeader(hdr http.Header, obj backend.Object) {
	if obj.VersionID != "" {
		hdr["x-amz-version-id"] = []string{obj.VersionID}
	}
}

func (h *Handler) putObjectTagging(w http.ResponseWriter, r *http.Request, req *request) error {
	ctx := r.Context()
	ver := versionOf(r)
	if _, err := h.objectVersion(ctx, req, ver); err != nil {
		return err
	}
	body, err := readSmallBody(r, bucketconfig.MaxDocumentSize)
	if err != nil {
		return err
	}
	tags, err := bucketconfig.ParseObjectTagging(body)
	if err != nil {
		return err
	}
	return h.updateTags(w, r, req, ver, tags, http.StatusOK)
}

func (h *Handler) deleteObjectTagging(w http.ResponseWriter, r *http.Request, req *request) error {
	ver := versionOf(r)
	if _, err := h.objectVersion(r.Context(), req, ver); err != nil {
		return err
	}
	return h.updateTags(w, r, req, ver, nil, http.StatusNoContent)
}

func (h *Handler) updateTags(w http.ResponseWriter, r *http.Request, req *request, ver string, tags map[string]string, status int) error {
	obj, err := h.store.Records().UpdateObject(r.Context(), req.bucket, req.key, ver, backend.ObjectUpdate{Tags: &tags})
	if errors.Is(err, backend.ErrVersionNotFound) {
		return newError(s3err.NoSuchVersion, extra("Key", req.key), extra("VersionId", ver))
	}
	if err != nil {
		return s3Error(err, req.bucket, req.key)
	}
	setVersionHeader(w.Header(), obj)
	w.WriteHeader(status)
	return nil
}

func (h *Handler) getObjectTagging(w http.ResponseWriter, r *http.Request, req *request) error {
	obj, err := h.objectVersion(r.Context(), req, versionOf(r))
	if err != nil {
		return err
	}
	setVersionHeader(w.Header(), obj)
	writeDoc(w, "application/xml", bucketconfig.EncodeTagging(obj.Tags))
	return nil
}

// requestTags reads the tags a write sets: the x-amz-tagging header, or
// the x-amz-tagging query parameter of a presigned URL, where SDK
// presigners put it. ok is false when the request sets none.
func requestTags(r *http.Request) (tags map[string]string, ok bool, err error) {
	v, ok := r.Header["X-Amz-Tagging"]
	if !ok {
		v, ok = r.URL.Query()["x-amz-tagging"]
	}
	if !ok {
		return nil, false, nil
	}
	if len(v) > 1 {
		return nil, false, errorf(s3err.InvalidArgument, "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.")
	}
	tags, err = bucketconfig.ParseTaggingHeader(v[0])
	if len(tags) == 0 {
		tags = nil
	}
	return tags, true, err
}

// copyTags decides a copy's tags by x-amz-tagging-directive: the source's
// (COPY, the default) or the request's (REPLACE).
func copyTags(r *http.Request, src map[string]string) (map[string]string, error) {
	tags, _, err := requestTags(r)
	if err != nil {
		return nil, err
	}
	switch d := r.Header.Get("x-amz-tagging-directive"); d {
	case "", "COPY":
		return src, nil
	case "REPLACE":
		return tags, nil
	default:
		return nil, invalidArgument("Unknown tagging directive.", "x-amz-tagging-directive", d)
	}
}

// setTaggingCount adds x-amz-tagging-count to a GET or HEAD of a tagged
// object.
func setTaggingCount(hdr http.Header, obj backend.Object) {
	if len(obj.Tags) > 0 {
		hdr["x-amz-tagging-count"] = []string{strconv.Itoa(len(obj.Tags))}
	}
}

// invalidArgument is InvalidArgument naming the argument at fault.
func invalidArgument(msg, name, value string) *s3err.Error {
	return &s3err.Error{Code: s3err.InvalidArgument, Message: msg,
		Extra: []s3err.ExtraElement{extra("ArgumentName", name), extra("ArgumentValue", value)}}
}
