// Operation identification: which S3 API action a request calls, following
// the request syntax of each action in
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_Operations_Amazon_Simple_Storage_Service.html

package gateway

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/mocks3/mocks3/internal/s3err"
	"github.com/mocks3/mocks3/internal/s3op"

	"github.com/mocks3/mocks3/s3api"
)

// target says what a request addresses.
type target uint8

const (
	onService target = iota // no bucket
	onBucket
	onObject
	// onNoBucket is a key without a bucket: a path-style request whose
	// first segment is empty, such as "PUT //etc/passwd". No route
	// matches it.
	onNoBucket
)

// route maps a method, a target and a subresource (a query key that names
// what the request acts on; "" for none) to an operation. Extra conditions
// (a header or a second query key) refine a few routes.
type route struct {
	method      string
	on          target
	subresource string
	op          s3api.Operation
	// when, if set, must hold for the route to apply.
	when func(r *http.Request, q url.Values) bool
	// serve is the operation's handler.
	serve handlerFunc
}

// hasHeader matches a request carrying the header, even empty: an empty
// x-amz-copy-source is a copy with a bad source, not a PUT of the body.
func hasHeader(name string) func(*http.Request, url.Values) bool {
	return func(r *http.Request, _ url.Values) bool { return len(r.Header.Values(name)) > 0 }
}

func hasQuery(key string) func(*http.Request, url.Values) bool {
	return func(_ *http.Request, q url.Values) bool { return q.Has(key) }
}

// routes is the route table; the first match wins, and the more specific
// route of a pair comes first.
var routes = slices.Concat([]route{
	{http.MethodGet, onService, "", s3op.ListBuckets, nil, (*Handler).listBuckets},

	{http.MethodPut, onBucket, "", s3op.CreateBucket, nil, (*Handler).createBucket},
	{http.MethodHead, onBucket, "", s3op.HeadBucket, nil, (*Handler).headBucket},
	{http.MethodDelete, onBucket, "", s3op.DeleteBucket, nil, (*Handler).deleteBucket},
	{http.MethodGet, onBucket, "location", s3op.GetBucketLocation, nil, (*Handler).getBucketLocation},
	{http.MethodGet, onBucket, "uploads", s3op.ListMultipartUploads, nil, (*Handler).listMultipartUploads},
	{http.MethodGet, onBucket, "", s3op.ListObjectsV2, func(_ *http.Request, q url.Values) bool { return q.Get("list-type") == "2" }, (*Handler).listObjectsV2},
	{http.MethodGet, onBucket, "", s3op.ListObjects, nil, (*Handler).listObjectsV1},
	{http.MethodPost, onBucket, "delete", s3op.DeleteObjects, nil, (*Handler).deleteObjects},
	{http.MethodPost, onBucket, "", s3op.PostObject, nil, (*Handler).postObject},
	// Versioning.
	{http.MethodGet, onBucket, "versioning", s3op.GetBucketVersioning, nil, (*Handler).getBucketVersioning},
	{http.MethodPut, onBucket, "versioning", s3op.PutBucketVersioning, nil, (*Handler).putBucketVersioning},
	{http.MethodGet, onBucket, "versions", s3op.ListObjectVersions, nil, (*Handler).listObjectVersions},

	{http.MethodPut, onObject, "", s3op.UploadPartCopy, func(r *http.Request, q url.Values) bool {
		return q.Has("uploadId") && hasHeader("x-amz-copy-source")(r, q)
	}, (*Handler).uploadPartCopy},
	{http.MethodPut, onObject, "", s3op.UploadPart, hasQuery("uploadId"), (*Handler).uploadPart},
	{http.MethodPut, onObject, "", s3op.CopyObject, hasHeader("x-amz-copy-source"), (*Handler).copyObject},
	{http.MethodPut, onObject, "", s3op.PutObject, nil, (*Handler).putObject},
	{http.MethodGet, onObject, "", s3op.ListParts, hasQuery("uploadId"), (*Handler).listParts},
	{http.MethodGet, onObject, "", s3op.GetObject, nil, (*Handler).getObject},
	{http.MethodHead, onObject, "", s3op.HeadObject, nil, (*Handler).getObject},
	{http.MethodDelete, onObject, "", s3op.AbortMultipartUpload, hasQuery("uploadId"), (*Handler).abortMultipartUpload},
	{http.MethodDelete, onObject, "", s3op.DeleteObject, nil, (*Handler).deleteObject},
	{http.MethodPost, onObject, "uploads", s3op.CreateMultipartUpload, nil, (*Handler).createMultipartUpload},
	{http.MethodPost, onObject, "", s3op.CompleteMultipartUpload, hasQuery("uploadId"), (*Handler).completeMultipartUpload},
}, configRoutes, notifyRoutes, lockRoutes)

// configRoutes are the bucket and object configuration operations; see
// configDocs for the documents the generic handlers serve.
var configRoutes = []route{
	{http.MethodPut, onBucket, "tagging", s3op.PutBucketTagging, nil, (*Handler).putBucketConfig},
	{http.MethodGet, onBucket, "tagging", s3op.GetBucketTagging, nil, (*Handler).getBucketConfig},
	{http.MethodDelete, onBucket, "tagging", s3op.DeleteBucketTagging, nil, (*Handler).deleteBucketConfig},
	{http.MethodPut, onBucket, "cors", s3op.PutBucketCors, nil, (*Handler).putBucketConfig},
	{http.MethodGet, onBucket, "cors", s3op.GetBucketCors, nil, (*Handler).getBucketConfig},
	{http.MethodDelete, onBucket, "cors", s3op.DeleteBucketCors, nil, (*Handler).deleteBucketConfig},
	{http.MethodPut, onBucket, "website", s3op.PutBucketWebsite, nil, (*Handler).putBucketConfig},
	{http.MethodGet, onBucket, "website", s3op.GetBucketWebsite, nil, (*Handler).getBucketConfig},
	{http.MethodDelete, onBucket, "website", s3op.DeleteBucketWebsite, nil, (*Handler).deleteBucketConfig},
	{http.MethodPut, onBucket, "lifecycle", s3op.PutBucketLifecycle, nil, (*Handler).putBucketConfig},
	{http.MethodGet, onBucket, "lifecycle", s3op.GetBucketLifecycle, nil, (*Handler).getBucketConfig},
	{http.MethodDelete, onBucket, "lifecycle", s3op.DeleteBucketLifecycle, nil, (*Handler).deleteBucketConfig},
	{http.MethodPut, onBucket, "encryption", s3op.PutBucketEncryption, nil, (*Handler).putBucketConfig},
	{http.MethodGet, onBucket, "encryption", s3op.GetBucketEncryption, nil, (*Handler).getBucketConfig},
	{http.MethodDelete, onBucket, "encryption", s3op.DeleteBucketEncryption, nil, (*Handler).deleteBucketConfig},
	{http.MethodPut, onBucket, "logging", s3op.PutBucketLogging, nil, (*Handler).putBucketConfig},
	{http.MethodGet, onBucket, "logging", s3op.GetBucketLogging, nil, (*Handler).getBucketConfig},
	{http.MethodPut, onBucket, "requestPayment", s3op.PutBucketRequestPayment, nil, (*Handler).putBucketConfig},
	{http.MethodGet, onBucket, "requestPayment", s3op.GetBucketRequestPayment, nil, (*Handler).getBucketConfig},
	{http.MethodPut, onBucket, "accelerate", s3op.PutBucketAccelerate, nil, (*Handler).putBucketConfig},
	{http.MethodGet, onBucket, "accelerate", s3op.GetBucketAccelerate, nil, (*Handler).getBucketConfig},
	{http.MethodPut, onBucket, "publicAccessBlock", s3op.PutPublicAccessBlock, nil, (*Handler).putBucketConfig},
	{http.MethodGet, onBucket, "publicAccessBlock", s3op.GetPublicAccessBlock, nil, (*Handler).getBucketConfig},
	{http.MethodDelete, onBucket, "publicAccessBlock", s3op.DeletePublicAccessBlock, nil, (*Handler).deleteBucketConfig},
	{http.MethodPut, onBucket, "policy", s3op.PutBucketPolicy, nil, (*Handler).putBucketConfig},
	{http.MethodGet, onBucket, "policy", s3op.GetBucketPolicy, nil, (*Handler).getBucketConfig},
	{http.MethodDelete, onBucket, "policy", s3op.DeleteBucketPolicy, nil, (*Handler).deleteBucketConfig},
	{http.MethodGet, onBucket, "policyStatus", s3op.GetBucketPolicyStatus, nil, (*Handler).getBucketPolicyStatus},
	{http.MethodPut, onBucket, "ownershipControls", s3op.PutBucketOwnershipControls, nil, (*Handler).putBucketConfig},
	{http.MethodGet, onBucket, "ownershipControls", s3op.GetBucketOwnershipControls, nil, (*Handler).getOwnershipControls},
	{http.MethodDelete, onBucket, "ownershipControls", s3op.DeleteBucketOwnershipControls, nil, (*Handler).deleteOwnershipControls},
	{http.MethodPut, onBucket, "acl", s3op.PutBucketAcl, nil, (*Handler).putBucketACL},
	{http.MethodGet, onBucket, "acl", s3op.GetBucketAcl, nil, (*Handler).getBucketACL},
	{http.MethodOptions, onBucket, "", s3op.OptionsObject, nil, (*Handler).preflight},

	{http.MethodPut, onObject, "tagging", s3op.PutObjectTagging, nil, (*Handler).putObjectTagging},
	{http.MethodGet, onObject, "tagging", s3op.GetObjectTagging, nil, (*Handler).getObjectTagging},
	{http.MethodDelete, onObject, "tagging", s3op.DeleteObjectTagging, nil, (*Handler).deleteObjectTagging},
	{http.MethodPut, onObject, "acl", s3op.PutObjectAcl, nil, (*Handler).putObjectACL},
	{http.MethodGet, onObject, "acl", s3op.GetObjectAcl, nil, (*Handler).getObjectACL},
	{http.MethodOptions, onObject, "", s3op.OptionsObject, nil, (*Handler).preflight},
}

// notifyRoutes are GetObjectAttributes and the notification configuration.
var notifyRoutes = []route{
	{http.MethodGet, onObject, "attributes", s3op.GetObjectAttributes, nil, (*Handler).getObjectAttributes},
	{http.MethodPut, onBucket, "notification", s3op.PutBucketNotificationConfiguration, nil, (*Handler).putBucketNotification},
	{http.MethodGet, onBucket, "notification", s3op.GetBucketNotificationConfiguration, nil, (*Handler).getBucketNotification},
}

// unsupported names the S3 actions behind subresources mocks3 recognises
// but does not implement, so a 501 can say which operation was asked for.
var unsupported = map[string]map[string]s3api.Operation{
	"GET": {
		"b:analytics":           "GetBucketAnalyticsConfiguration",
		"b:intelligent-tiering": "GetBucketIntelligentTieringConfiguration",
		"b:inventory":           "GetBucketInventoryConfiguration",
		"b:metrics":             "GetBucketMetricsConfiguration",
		"b:replication":         "GetBucketReplication",
		"o:torrent":             "GetObjectTorrent",
	},
	"PUT": {
		"b:analytics":           "PutBucketAnalyticsConfiguration",
		"b:intelligent-tiering": "PutBucketIntelligentTieringConfiguration",
		"b:inventory":           "PutBucketInventoryConfiguration",
		"b:metrics":             "PutBucketMetricsConfiguration",
		"b:replication":         "PutBucketReplication",
	},
	"DELETE": {
		"b:analytics":           "DeleteBucketAnalyticsConfiguration",
		"b:intelligent-tiering": "DeleteBucketIntelligentTieringConfiguration",
		"b:inventory":           "DeleteBucketInventoryConfiguration",
		"b:metrics":             "DeleteBucketMetricsConfiguration",
		"b:replication":         "DeleteBucketReplication",
	},
	"POST": {
		"o:restore": "RestoreObject",
		"o:select":  "SelectObjectContent",
	},
}

// plainParams are query keys that parameterise an operation rather than
// name a subresource.
var plainParams = map[string]bool{
	"list-type": true, "prefix": true, "delimiter": true, "max-keys": true, "marker": true,
	"start-after": true, "continuation-token": true, "encoding-type": true, "fetch-owner": true,
	"partNumber": true, "uploadId": true, "versionId": true, "max-parts": true,
	"part-number-marker": true, "key-marker": true, "version-id-marker": true, "upload-id-marker": true, "max-uploads": true,
	"x-id": true, "optional-object-attributes": true, "expected-bucket-owner": true,
	"response-content-type": true, "response-content-language": true, "response-expires": true,
	"response-cache-control": true, "response-content-disposition": true, "response-content-encoding": true,
	"X-Amz-Algorithm": true, "X-Amz-Credential": true, "X-Amz-Date": true, "X-Amz-Expires": true,
	"X-Amz-SignedHeaders": true, "X-Amz-Signature": true, "X-Amz-Security-Token": true,
	"X-Amz-Content-Sha256": true, "AWSAccessKeyId": true, "Signature": true, "Expires": true,
}

// identify returns the operation r asks for and its handler (nil when
// mocks3 does not implement it). An unrecognised subresource, or several
// at once, gives OpUnknown or the name of an unimplemented action, never a
// data operation: a PUT ?tagging must not overwrite the object.
func identify(r *http.Request, q url.Values, on target) (s3api.Operation, handlerFunc) {
	if on == onNoBucket {
		return s3op.Unknown, nil
	}
	if r.Method == http.MethodOptions && on != onService {
		// A browser's preflight carries the URL of the request it asks
		// about, subresources and all (POST ?uploads, PUT ?tagging).
		return s3op.OptionsObject, (*Handler).preflight
	}
	sub, n, unknown := subresource(q, on)
	if unknown || n > 1 {
		return s3op.Unknown, nil
	}
	for _, rt := range routes {
		if rt.method != r.Method || rt.on != on || rt.subresource != sub {
			continue
		}
		if rt.when == nil || rt.when(r, q) {
			return rt.op, rt.serve
		}
	}
	if name, ok := unsupported[r.Method][targetPrefix(on)+sub]; ok && sub != "" {
		return name, nil // a subresource with a method mocks3 does not implement
	}
	return s3op.Unknown, nil
}

// subresource returns the subresource q names on a target of kind on ("" for
// none), how many distinct subresources it names, and whether it names one
// S3 does not define. A query key that is neither a parameter nor a known
// subresource is an unknown subresource when it has no value, and an
// ignored parameter (as S3 ignores it) when it has one.
func subresource(q url.Values, on target) (sub string, n int, unknown bool) {
	for k := range q {
		switch {
		case plainParams[k]:
		case knownSubresource(on, k):
			if n == 0 || k < sub { // the same one whatever the map order
				sub = k
			}
			n++
		case q.Get(k) == "":
			unknown = true
		}
	}
	return sub, n, unknown
}

// knownSubresource reports whether S3 defines subresource k on a target of
// kind on, for any method: mocks3 routes it or names it as unsupported.
func knownSubresource(on target, k string) bool {
	for _, rt := range routes {
		if rt.on == on && rt.subresource == k {
			return true
		}
	}
	for _, ops := range unsupported {
		if _, ok := ops[targetPrefix(on)+k]; ok {
			return true
		}
	}
	return false
}

// unrouted is the error for a request identify found no operation for: 400
// for several subresources at once, 405 MethodNotAllowed for a resource S3
// defines with a method it does not serve there (POST on an object without
// a query), and 501 for what remains (an unknown subresource).
func unrouted(r *http.Request, q url.Values, on target) error {
	sub, n, unknown := subresource(q, on)
	switch {
	case unknown || on == onNoBucket:
	case n > 1:
		var subs []string
		for k := range q {
			if knownSubresource(on, k) {
				subs = append(subs, k)
			}
		}
		slices.Sort(subs)
		return errorf(s3err.InvalidRequest, "A request can address one subresource; this one names %s.", strings.Join(subs, ", "))
	case resourceDefined(on, sub):
		typ := strings.ToUpper(sub)
		if typ == "" {
			typ = [...]string{onService: "SERVICE", onBucket: "BUCKET", onObject: "OBJECT"}[on]
		}
		return newError(s3err.MethodNotAllowed, extra("Method", r.Method), extra("ResourceType", typ))
	}
	return errorf(s3err.NotImplemented, "The requested operation (%s %s) is not implemented.", r.Method, r.URL.RequestURI())
}

// resourceDefined reports whether some method serves subresource sub ("" for
// the resource itself) of a target of kind on.
func resourceDefined(on target, sub string) bool {
	if sub != "" {
		return knownSubresource(on, sub)
	}
	for _, rt := range routes {
		if rt.on == on && rt.subresource == "" {
			return true
		}
	}
	return false
}

func targetPrefix(on target) string {
	if on == onObject {
		return "o:"
	}
	return "b:"
}
