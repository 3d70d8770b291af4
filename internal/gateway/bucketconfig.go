// Bucket configuration documents, stored whole in the records role and
// served back in their canonical form:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketTagging.html,
// API_PutBucketCors.html, API_PutBucketWebsite.html,
// API_PutBucketLifecycleConfiguration.html, API_PutBucketEncryption.html,
// API_PutBucketLogging.html, API_PutBucketRequestPayment.html,
// API_PutBucketAccelerateConfiguration.html,
// API_PutBucketOwnershipControls.html, API_PutPublicAccessBlock.html,
// API_PutBucketPolicy.html, API_GetBucketPolicyStatus.html and the Get and
// Delete operations beside them.

package gateway

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"

	"github.com/mocks3/mocks3/internal/s3err"
	"github.com/mocks3/mocks3/internal/s3op"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/bucketconfig"
	"github.com/mocks3/mocks3/s3api"
)

// configDoc describes one kind of bucket configuration.
type configDoc struct {
	// kind names the document in the records role.
	kind string
	// parse validates a PUT body and returns the document to store.
	parse func(h *Handler, r *http.Request, req *request, body []byte) ([]byte, error)
	// missing is what a GET answers when the bucket has none: an S3
	// error code, or else the document fallback returns.
	missing  s3api.ErrorCode
	fallback func() []byte
	// putStatus is the status of a successful PUT.
	putStatus int
	// json marks a JSON document (the policy).
	json bool
}

// kindOwnership is read by objectOwnership, which knows its defaults.
const kindOwnership = "ownershipControls"

// configDocs maps each configuration operation to its document.
var configDocs = func() map[s3api.Operation]*configDoc {
	m := map[s3api.Operation]*configDoc{}
	add := func(d *configDoc, ops ...s3api.Operation) {
		if d.putStatus == 0 {
			d.putStatus = http.StatusOK
		}
		for _, op := range ops {
			m[op] = d
		}
	}
	add(&configDoc{kind: "tagging", missing: s3err.NoSuchTagSet, putStatus: http.StatusNoContent,
		parse: canonical(bucketconfig.ParseBucketTagging, bucketconfig.EncodeTagging),
	}, s3op.PutBucketTagging, s3op.GetBucketTagging, s3op.DeleteBucketTagging)
	add(&configDoc{kind: "cors", missing: s3err.NoSuchCORSConfiguration,
		parse: canonical(bucketconfig.ParseCORS, (*bucketconfig.CORS).Encode),
	}, s3op.PutBucketCors, s3op.GetBucketCors, s3op.DeleteBucketCors)
	add(&configDoc{kind: "website", missing: s3err.NoSuchWebsiteConfiguration,
		parse: canonical(bucketconfig.ParseWebsite, (*bucketconfig.Website).Encode),
	}, s3op.PutBucketWebsite, s3op.GetBucketWebsite, s3op.DeleteBucketWebsite)
	add(&configDoc{kind: "lifecycle", missing: s3err.NoSuchLifecycleConfiguration,
		parse: func(h *Handler, _ *http.Request, _ *request, b []byte) ([]byte, error) {
			c, err := bucketconfig.ParseLifecycle(b, h.ruleID)
			if err != nil {
				return nil, err
			}
			return c.Encode(), nil
		}}, s3op.PutBucketLifecycle, s3op.GetBucketLifecycle, s3op.DeleteBucketLifecycle)
	add(&configDoc{kind: "encryption", missing: s3err.SSEConfigurationNotFound,
		parse: canonical(bucketconfig.ParseEncryption, (*bucketconfig.Encryption).Encode),
		// Every bucket encrypts with SSE-S3 unless told otherwise (since
		// January 2023).
		fallback: func() []byte { return bucketconfig.DefaultEncryption().Encode() },
	}, s3op.PutBucketEncryption, s3op.GetBucketEncryption, s3op.DeleteBucketEncryption)
	add(&configDoc{kind: "logging",
		parse: func(h *Handler, r *http.Request, _ *request, b []byte) ([]byte, error) {
			l, err := bucketconfig.ParseLogging(b)
			if err != nil || l == nil {
				return bucketconfig.EncodeLogging(nil), err
			}
			if _, err := h.store.Records().GetBucket(r.Context(), l.TargetBucket); errors.Is(err, backend.ErrBucketNotFound) {
				return nil, newError(s3err.InvalidTargetBucketForLogging, extra("TargetBucket", l.TargetBucket))
			} else if err != nil {
				return nil, err
			}
			return bucketconfig.EncodeLogging(l), nil
		},
		fallback: func() []byte { return bucketconfig.EncodeLogging(nil) },
	}, s3op.PutBucketLogging, s3op.GetBucketLogging)
	add(&configDoc{kind: "requestPayment",
		parse: func(_ *Handler, _ *http.Request, _ *request, b []byte) ([]byte, error) {
			p, err := bucketconfig.ParseRequestPayment(b)
			return bucketconfig.EncodeRequestPayment(p), err
		},
		fallback: func() []byte { return bucketconfig.EncodeRequestPayment("BucketOwner") },
	}, s3op.PutBucketRequestPayment, s3op.GetBucketRequestPayment)
	add(&configDoc{kind: "accelerate",
		parse: func(_ *Handler, _ *http.Request, req *request, b []byte) ([]byte, error) {
			if err := bucketconfig.CheckAccelerateBucket(req.bucket); err != nil {
				return nil, err
			}
			s, err := bucketconfig.ParseAccelerate(b)
			return bucketconfig.EncodeAccelerate(s), err
		},
		fallback: func() []byte { return bucketconfig.EncodeAccelerate("") },
	}, s3op.PutBucketAccelerate, s3op.GetBucketAccelerate)
	add(&configDoc{kind: "publicAccessBlock", missing: s3err.NoSuchPublicAccessBlock,
		parse: canonical(bucketconfig.ParsePublicAccessBlock, (*bucketconfig.PublicAccessBlock).Encode),
	}, s3op.PutPublicAccessBlock, s3op.GetPublicAccessBlock, s3op.DeletePublicAccessBlock)
	add(&configDoc{kind: kindOwnership,
		parse: canonical(bucketconfig.ParseOwnershipControls, bucketconfig.EncodeOwnershipControls),
	}, s3op.PutBucketOwnershipControls)
	add(&configDoc{kind: "policy", missing: s3err.NoSuchBucketPolicy, putStatus: http.StatusNoContent, json: true,
		parse: func(h *Handler, r *http.Request, req *request, b []byte) ([]byte, error) {
			p, err := bucketconfig.ParsePolicy(b, req.bucket)
			if err != nil {
				return nil, err
			}
			if p.IsPublic() {
				pab, err := h.publicAccessBlock(r.Context(), req.bucket)
				if err != nil {
					return nil, err
				}
				if pab.BlockPublicPolicy {
					return nil, newError(s3err.AccessDenied)
				}
			}
			return b, nil // served back as sent
		}}, s3op.PutBucketPolicy, s3op.GetBucketPolicy, s3op.DeleteBucketPolicy)
	return m
}()

// canonical is the parse of a document stored in the canonical form its
// encoder writes.
func canonical[T any](parse func([]byte) (T, error), encode func(T) []byte) func(*Handler, *http.Request, *request, []byte) ([]byte, error) {
	return func(_ *Handler, _ *http.Request, _ *request, b []byte) ([]byte, error) {
		v, err := parse(b)
		if err != nil {
			return nil, err
		}
		return encode(v), nil
	}
}

// bucketConfig returns a bucket's configuration of kind, nil if it has
// none; it fails with NoSuchBucket for a missing bucket.
func (h *Handler) bucketConfig(ctx context.Context, bucket, kind string) ([]byte, error) {
	doc, err := h.store.Records().GetBucketConfig(ctx, bucket, kind)
	if errors.Is(err, backend.ErrConfigNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, s3Error(err, bucket, "")
	}
	return doc, nil
}

func (h *Handler) putBucketConfig(w http.ResponseWriter, r *http.Request, req *request) error {
	d := configDocs[req.op]
	ctx := r.Context()
	if _, err := h.bucket(ctx, req.bucket); err != nil {
		return err
	}
	body, err := readSmallBody(r, bucketconfig.MaxDocumentSize)
	if err != nil {
		return err
	}
	doc, err := d.parse(h, r, req, body)
	if err != nil {
		return err
	}
	if err := h.store.Records().PutBucketConfig(ctx, req.bucket, d.kind, doc); err != nil {
		return s3Error(err, req.bucket, "")
	}
	w.WriteHeader(d.putStatus)
	return nil
}

func (h *Handler) getBucketConfig(w http.ResponseWriter, r *http.Request, req *request) error {
	d := configDocs[req.op]
	doc, err := h.bucketConfig(r.Context(), req.bucket, d.kind)
	if err != nil {
		return err
	}
	if doc == nil {
		if d.fallback == nil {
			return newError(d.missing, extra("BucketName", req.bucket))
		}
		doc = d.fallback()
	}
	ct := "application/xml"
	if d.json {
		ct = "application/json"
	}
	writeDoc(w, ct, doc)
	return nil
}

func (h *Handler) deleteBucketConfig(w http.ResponseWriter, r *http.Request, req *request) error {
	d := configDocs[req.op]
	ctx := r.Context()
	if _, err := h.bucket(ctx, req.bucket); err != nil {
		return err
	}
	if err := h.store.Records().DeleteBucketConfig(ctx, req.bucket, d.kind); err != nil {
		return s3Error(err, req.bucket, "")
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// writeDoc answers 200 with a stored document.
func writeDoc(w http.ResponseWriter, contentType string, doc []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(doc)))
	w.WriteHeader(http.StatusOK)
	w.Write(doc)
}

// ruleID names a lifecycle rule sent without an ID, as S3 does: base64 of
// a random UUID-shaped string, from the handler's seeded source.
func (h *Handler) ruleID() string {
	hex := h.randomID(16, false)
	u := hex[:8] + "-" + hex[8:12] + "-4" + hex[13:16] + "-" + hex[16:20] + "-" + hex[20:]
	return base64.StdEncoding.EncodeToString([]byte(u))
}

// publicAccessBlock returns the bucket's public access block settings;
// all off when it has none.
func (h *Handler) publicAccessBlock(ctx context.Context, bucket string) (*bucketconfig.PublicAccessBlock, error) {
	doc, err := h.bucketConfig(ctx, bucket, "publicAccessBlock")
	if err != nil || doc == nil {
		return &bucketconfig.PublicAccessBlock{}, err
	}
	return bucketconfig.ParsePublicAccessBlock(doc)
}

// getBucketPolicyStatus says whether the bucket's policy makes it public.
func (h *Handler) getBucketPolicyStatus(w http.ResponseWriter, r *http.Request, req *request) error {
	doc, err := h.bucketConfig(r.Context(), req.bucket, "policy")
	if err != nil {
		return err
	}
	if doc == nil {
		return newError(s3err.NoSuchBucketPolicy, extra("BucketName", req.bucket))
	}
	p, err := bucketconfig.ParsePolicy(doc, req.bucket)
	if err != nil {
		return err
	}
	writeDoc(w, "application/xml", bucketconfig.EncodePolicyStatus(p.IsPublic()))
	return nil
}

// createBucketConfig validates what a CreateBucket sets besides the bucket
// itself (tags, object ownership, ACL) and returns the function that
// stores it once the bucket exists.
func (h *Handler) createBucketConfig(r *http.Request, req *request, tags []bucketconfig.Tag) (func() error, error) {
	bucket := req.bucket
	var tagDoc []byte
	if len(tags) > 0 {
		m, err := bucketconfig.CheckBucketTags(tags)
		if err != nil {
			return nil, err
		}
		tagDoc = bucketconfig.EncodeTagging(m)
	}
	ctx := r.Context()
	o := h.ownerXML(req)
	applyACL, err := h.createBucketACL(ctx, r, bucket, bucketconfig.Owner{ID: o.ID, DisplayName: o.DisplayName})
	if err != nil {
		return nil, err
	}
	return func() error {
		if tagDoc != nil {
			if err := h.store.Records().PutBucketConfig(ctx, bucket, "tagging", tagDoc); err != nil {
				return err
			}
		}
		return applyACL()
	}, nil
}
