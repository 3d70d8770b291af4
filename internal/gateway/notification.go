// Bucket notification configuration:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketNotificationConfiguration.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketNotificationConfiguration.html

package gateway

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/notify"
)

// maxNotificationBody bounds a configuration document; S3 allows 100
// configurations of a few hundred bytes each.
const maxNotificationBody = 1 << 20

func (h *Handler) putBucketNotification(w http.ResponseWriter, r *http.Request, req *request) error {
	ctx := r.Context()
	body, err := readSmallBody(r, maxNotificationBody)
	if err != nil {
		return err
	}
	if _, err := h.bucket(ctx, req.bucket); err != nil {
		return err
	}
	cfg, err := notify.Parse(body)
	if err != nil {
		return err
	}
	// An empty configuration turns notifications off.
	if cfg.Empty() {
		err = h.store.Records().DeleteBucketConfig(ctx, req.bucket, notify.Kind)
	} else {
		err = h.store.Records().PutBucketConfig(ctx, req.bucket, notify.Kind, cfg.Marshal())
	}
	if err != nil {
		return s3Error(err, req.bucket, "")
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

// getBucketNotification answers the stored configuration, or an empty one:
// S3 has no "not found" error for this configuration.
func (h *Handler) getBucketNotification(w http.ResponseWriter, r *http.Request, req *request) error {
	ctx := r.Context()
	if _, err := h.bucket(ctx, req.bucket); err != nil {
		return err
	}
	var cfg notify.Configuration
	doc, err := h.store.Records().GetBucketConfig(ctx, req.bucket, notify.Kind)
	switch {
	case errors.Is(err, backend.ErrConfigNotFound):
	case err != nil:
		return s3Error(err, req.bucket, "")
	default:
		// Stored only once valid: a document that no longer parses is
		// damaged, an internal error.
		if cfg, err = notify.Parse(doc); err != nil {
			return fmt.Errorf("stored notification configuration of %s: %w", req.bucket, err)
		}
	}
	cfg.Xmlns = s3Namespace
	writeXML(w, http.StatusOK, cfg)
	return nil
}
