// The request context a bucket policy's conditions read: S3's condition
// keys (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html#amazons3-policy-keys,
// https://docs.aws.amazon.com/AmazonS3/latest/API/bucket-policy-s3-sigv4-conditions.html)
// and the global keys of
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html.

package gateway

import (
	"context"
	"crypto/tls"
	"net/http"
	"net/url"
	"strings"

	"github.com/mocks3/mocks3/internal/bucketconfig"
	"github.com/mocks3/mocks3/internal/s3op"
	"github.com/mocks3/mocks3/s3api"
)

// headerKeys are the condition keys that are a request header's value,
// by header name.
var headerKeys = map[string]string{
	"x-amz-acl":                                       "s3:x-amz-acl",
	"x-amz-metadata-directive":                        "s3:x-amz-metadata-directive",
	"x-amz-grant-read":                                "s3:x-amz-grant-read",
	"x-amz-grant-write":                               "s3:x-amz-grant-write",
	"x-amz-grant-read-acp":                            "s3:x-amz-grant-read-acp",
	"x-amz-grant-write-acp":                           "s3:x-amz-grant-write-acp",
	"x-amz-grant-full-control":                        "s3:x-amz-grant-full-control",
	"x-amz-storage-class":                             "s3:x-amz-storage-class",
	"x-amz-website-redirect-location":                 "s3:x-amz-website-redirect-location",
	"x-amz-content-sha256":                            "s3:x-amz-content-sha256",
	"x-amz-object-ownership":                          "s3:x-amz-object-ownership",
	"x-amz-object-lock-mode":                          "s3:object-lock-mode",
	"x-amz-object-lock-retain-until-date":             "s3:object-lock-retain-until-date",
	"x-amz-object-lock-legal-hold":                    "s3:object-lock-legal-hold",
	hdrSSE:                                            "s3:x-amz-server-side-encryption",
	"x-amz-server-side-encryption-aws-kms-key-id":     "s3:x-amz-server-side-encryption-aws-kms-key-id",
	"x-amz-server-side-encryption-customer-algorithm": "s3:x-amz-server-side-encryption-customer-algorithm",
	"referer":    "aws:referer",
	"user-agent": "aws:useragent",
}

// existingTagOps are the operations s3:ExistingObjectTag/<key> applies
// to: reads of an object, of its tags and of its ACL, and changes of the
// last two; not writes or deletes of the object.
var existingTagOps = map[s3api.Operation]bool{
	s3op.GetObject: true, s3op.HeadObject: true, s3op.GetObjectAttributes: true,
	s3op.GetObjectAcl: true, s3op.PutObjectAcl: true,
	s3op.GetObjectTagging: true, s3op.PutObjectTagging: true, s3op.DeleteObjectTagging: true,
}

// tlsVersions are s3:TlsVersion's values.
var tlsVersions = map[uint16]string{tls.VersionTLS10: "1.0", tls.VersionTLS11: "1.1", tls.VersionTLS12: "1.2", tls.VersionTLS13: "1.3"}

type postSignatureKey struct{}

// withPostSignature records a form upload's signature version
// ("AWS4-HMAC-SHA256" or "AWS") for s3:signatureversion.
func withPostSignature(r *http.Request, version string) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), postSignatureKey{}, version))
}

// conditionKeys fills rq's request context from r, a request of user on
// t.
func (h *Handler) conditionKeys(rq *bucketconfig.Requester, r *http.Request, user Identity, t subject) {
	keys := map[string][]string{}
	for name, vs := range r.Header {
		if k, ok := headerKeys[strings.ToLower(name)]; ok && len(vs) > 0 {
			keys[k] = vs[:1]
		}
	}
	if v := r.Header.Get("x-amz-copy-source"); v != "" {
		// Matched as "bucket/key", without the leading slash.
		if dec, err := url.PathUnescape(v); err == nil {
			v = dec
		}
		keys["s3:x-amz-copy-source"] = []string{strings.TrimPrefix(v, "/")}
	}
	// The header's tags, or a presigned URL's; a PutObjectTagging body's
	// are not read here.
	if tags, _, err := requestTags(r); err == nil {
		for k, tv := range tags {
			keys["s3:requestobjecttag/"+k] = []string{tv}
			keys["s3:requestobjecttagkeys"] = append(keys["s3:requestobjecttagkeys"], k)
		}
	}
	q := r.URL.Query()
	switch t.op {
	case s3op.ListObjects, s3op.ListObjectsV2, s3op.ListObjectVersions, s3op.ListMultipartUploads:
		// s3:prefix is present, if empty, on every listing. A read of a
		// missing object asks whether its key may be listed
		// (mayLearnMissing): its prefix is the key.
		prefix := q.Get("prefix")
		if t.key != "" {
			prefix = t.key
		}
		keys["s3:prefix"] = []string{prefix}
		if t.op == s3op.ListMultipartUploads {
			break
		}
		for _, p := range []string{"delimiter", "max-keys"} {
			if q.Has(p) {
				keys["s3:"+p] = []string{q.Get(p)}
			}
		}
	}
	if t.versionID != "" {
		keys["s3:versionid"] = []string{t.versionID}
	}
	if r.TLS != nil {
		keys["s3:tlsversion"] = []string{tlsVersions[r.TLS.Version]}
	}
	if user.AccessKey != "" {
		version, authType := signatureOf(r)
		keys["s3:signatureversion"], keys["s3:authtype"] = []string{version}, []string{authType}
		rq.Name = user.Name
	}
	rq.Keys = keys
	rq.Now = h.cfg.Now()
	if existingTagOps[t.op] {
		rq.ExistingTags = h.existingTags(r.Context(), t)
	}
}

// signatureOf returns s3:signatureversion and s3:authType of a signed
// request.
func signatureOf(r *http.Request) (version, authType string) {
	if v, ok := r.Context().Value(postSignatureKey{}).(string); ok {
		return v, "POST"
	}
	if authz := r.Header.Get("Authorization"); authz != "" {
		if strings.HasPrefix(authz, "AWS ") {
			return "AWS", "REST-HEADER"
		}
		return "AWS4-HMAC-SHA256", "REST-HEADER"
	}
	if r.URL.Query().Has("X-Amz-Algorithm") {
		return "AWS4-HMAC-SHA256", "REST-QUERY-STRING"
	}
	return "AWS", "REST-QUERY-STRING"
}

// existingTags returns a function that reads the tags of the object t
// names, once: nil when it has none or does not exist.
func (h *Handler) existingTags(ctx context.Context, t subject) func() map[string]string {
	var (
		tags map[string]string
		read bool
	)
	return func() map[string]string {
		if !read {
			read = true
			if obj, err := h.store.Records().GetObject(ctx, t.bucket, t.key, t.versionID); err == nil && !obj.DeleteMarker {
				tags = obj.Tags
			}
		}
		return tags
	}
}
