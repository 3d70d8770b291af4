// GetBucketVersioning, answered as S3 answers for a bucket never
// versioned: https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketVersioning.html.
// Clients such as rclone and s3cmd ask for it before they start.

package gateway

import (
	"encoding/xml"
	"net/http"
)

type versioningConfiguration struct {
	XMLName xml.Name `xml:"VersioningConfiguration"`
	Xmlns   string   `xml:"xmlns,attr"`
}

// getBucketVersioning answers the empty configuration of a bucket whose
// versioning was never enabled.
func (h *Handler) getBucketVersioning(w http.ResponseWriter, r *http.Request, req *request) error {
	if _, err := h.store.Records().GetBucket(r.Context(), req.bucket); err != nil {
		return s3Error(err, req.bucket, "")
	}
	writeXML(w, http.StatusOK, versioningConfiguration{Xmlns: s3Namespace})
	return nil
}
