// Reads of configuration mocks3 never holds, answered as S3 answers for a
// bucket or object that has none:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketVersioning.html,
// API_GetBucketPolicy.html, API_GetBucketTagging.html, API_GetBucketCors.html,
// API_GetBucketLifecycleConfiguration.html, API_GetObjectTagging.html.
// Clients such as rclone and s3cmd ask for them before they start.

package gateway

import (
	"encoding/xml"
	"net/http"

	"github.com/mocks3/mocks3/s3api"
)

type versioningConfiguration struct {
	XMLName xml.Name `xml:"VersioningConfiguration"`
	Xmlns   string   `xml:"xmlns,attr"`
}

type tagging struct {
	XMLName xml.Name `xml:"Tagging"`
	Xmlns   string   `xml:"xmlns,attr"`
	TagSet  struct{} `xml:"TagSet"`
}

// getBucketConfig serves the bucket configuration reads: versioning was
// never enabled (an empty configuration), and the others are not set.
func (h *Handler) getBucketConfig(w http.ResponseWriter, r *http.Request, req *request) error {
	if _, err := h.store.Records().GetBucket(r.Context(), req.bucket); err != nil {
		return s3Error(err, req.bucket, "")
	}
	name := extra("BucketName", req.bucket)
	switch req.op {
	case s3api.OpGetBucketVersioning:
		writeXML(w, http.StatusOK, versioningConfiguration{Xmlns: s3Namespace})
		return nil
	case s3api.OpGetBucketPolicy:
		return newError(s3api.ErrNoSuchBucketPolicy, name)
	case s3api.OpGetBucketTagging:
		return newError(s3api.ErrNoSuchTagSet, name)
	case s3api.OpGetBucketCors:
		return newError(s3api.ErrNoSuchCORSConfiguration, name)
	}
	return newError(s3api.ErrNoSuchLifecycleConfiguration, name)
}

// getObjectTagging answers an existing object's empty tag set.
func (h *Handler) getObjectTagging(w http.ResponseWriter, r *http.Request, req *request) error {
	if _, err := h.store.Head(r.Context(), req.bucket, req.key); err != nil {
		return s3Error(err, req.bucket, req.key)
	}
	writeXML(w, http.StatusOK, tagging{Xmlns: s3Namespace})
	return nil
}
