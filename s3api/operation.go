// Operation identification: which S3 API action a request calls, following
// the request syntax of each action in
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_Operations_Amazon_Simple_Storage_Service.html

package s3api

import (
	"net/http"
	"net/url"
	"slices"
)

// Operation is an S3 API action name as AWS and the SDKs spell it
// ("PutObject", "ListObjectsV2"). The router, the fault matcher and the
// request journal all use it.
type Operation string

// The operations mocks3 implements.
const (
	OpListBuckets             Operation = "ListBuckets"
	OpCreateBucket            Operation = "CreateBucket"
	OpHeadBucket              Operation = "HeadBucket"
	OpDeleteBucket            Operation = "DeleteBucket"
	OpGetBucketLocation       Operation = "GetBucketLocation"
	OpListObjects             Operation = "ListObjects"
	OpListObjectsV2           Operation = "ListObjectsV2"
	OpDeleteObjects           Operation = "DeleteObjects"
	OpPutObject               Operation = "PutObject"
	OpGetObject               Operation = "GetObject"
	OpHeadObject              Operation = "HeadObject"
	OpDeleteObject            Operation = "DeleteObject"
	OpCopyObject              Operation = "CopyObject"
	OpCreateMultipartUpload   Operation = "CreateMultipartUpload"
	OpUploadPart              Operation = "UploadPart"
	OpUploadPartCopy          Operation = "UploadPartCopy"
	OpCompleteMultipartUpload Operation = "CompleteMultipartUpload"
	OpAbortMultipartUpload    Operation = "AbortMultipartUpload"
	OpListParts               Operation = "ListParts"
	OpListMultipartUploads    Operation = "ListMultipartUploads"

	// Reads of bucket and object configuration mocks3 never holds: they
	// answer as S3 does for a bucket or object that has none.
	OpGetBucketVersioning Operation = "GetBucketVersioning"
	OpGetBucketPolicy     Operation = "GetBucketPolicy"
	OpGetBucketTagging    Operation = "GetBucketTagging"
	OpGetBucketCors       Operation = "GetBucketCors"
	OpGetBucketLifecycle  Operation = "GetBucketLifecycleConfiguration"
	OpGetObjectTagging    Operation = "GetObjectTagging"

	// OpUnknown is a request no S3 action matches.
	OpUnknown Operation = "Unknown"
)

// operations lists the operations mocks3 implements; a test checks it
// against the route table.
var operations = []Operation{
	OpAbortMultipartUpload, OpCompleteMultipartUpload, OpCopyObject, OpCreateBucket,
	OpCreateMultipartUpload, OpDeleteBucket, OpDeleteObject, OpDeleteObjects,
	OpGetBucketCors, OpGetBucketLifecycle, OpGetBucketLocation, OpGetBucketPolicy,
	OpGetBucketTagging, OpGetBucketVersioning, OpGetObject, OpGetObjectTagging,
	OpHeadBucket, OpHeadObject, OpListBuckets, OpListMultipartUploads, OpListObjects,
	OpListObjectsV2, OpListParts, OpPutObject, OpUploadPart, OpUploadPartCopy,
}

// Operations returns the operations mocks3 implements, sorted by name: the
// names a fault rule's Operation accepts.
func Operations() []Operation { return slices.Clone(operations) }

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
	op          Operation
	// when, if set, must hold for the route to apply.
	when func(r *http.Request, q url.Values) bool
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
var routes = []route{
	{http.MethodGet, onService, "", OpListBuckets, nil},

	{http.MethodPut, onBucket, "", OpCreateBucket, nil},
	{http.MethodHead, onBucket, "", OpHeadBucket, nil},
	{http.MethodDelete, onBucket, "", OpDeleteBucket, nil},
	{http.MethodGet, onBucket, "location", OpGetBucketLocation, nil},
	{http.MethodGet, onBucket, "uploads", OpListMultipartUploads, nil},
	{http.MethodGet, onBucket, "", OpListObjectsV2, func(_ *http.Request, q url.Values) bool { return q.Get("list-type") == "2" }},
	{http.MethodGet, onBucket, "", OpListObjects, nil},
	{http.MethodPost, onBucket, "delete", OpDeleteObjects, nil},
	{http.MethodGet, onBucket, "versioning", OpGetBucketVersioning, nil},
	{http.MethodGet, onBucket, "policy", OpGetBucketPolicy, nil},
	{http.MethodGet, onBucket, "tagging", OpGetBucketTagging, nil},
	{http.MethodGet, onBucket, "cors", OpGetBucketCors, nil},
	{http.MethodGet, onBucket, "lifecycle", OpGetBucketLifecycle, nil},

	{http.MethodPut, onObject, "", OpUploadPartCopy, func(r *http.Request, q url.Values) bool {
		return q.Has("uploadId") && hasHeader("x-amz-copy-source")(r, q)
	}},
	{http.MethodPut, onObject, "", OpUploadPart, hasQuery("uploadId")},
	{http.MethodPut, onObject, "", OpCopyObject, hasHeader("x-amz-copy-source")},
	{http.MethodPut, onObject, "", OpPutObject, nil},
	{http.MethodGet, onObject, "tagging", OpGetObjectTagging, nil},
	{http.MethodGet, onObject, "", OpListParts, hasQuery("uploadId")},
	{http.MethodGet, onObject, "", OpGetObject, nil},
	{http.MethodHead, onObject, "", OpHeadObject, nil},
	{http.MethodDelete, onObject, "", OpAbortMultipartUpload, hasQuery("uploadId")},
	{http.MethodDelete, onObject, "", OpDeleteObject, nil},
	{http.MethodPost, onObject, "uploads", OpCreateMultipartUpload, nil},
	{http.MethodPost, onObject, "", OpCompleteMultipartUpload, hasQuery("uploadId")},
}

// unsupported names the S3 actions behind subresources mocks3 recognises
// but does not implement, so a 501 can say which operation was asked for.
var unsupported = map[string]map[string]Operation{
	"GET": {
		"b:acl": "GetBucketAcl", "b:analytics": "GetBucketAnalyticsConfiguration",
		"b:encryption": "GetBucketEncryption", "b:intelligent-tiering": "GetBucketIntelligentTieringConfiguration",
		"b:inventory": "GetBucketInventoryConfiguration",
		"b:logging":   "GetBucketLogging", "b:metrics": "GetBucketMetricsConfiguration",
		"b:notification": "GetBucketNotificationConfiguration", "b:object-lock": "GetObjectLockConfiguration",
		"b:ownershipControls": "GetBucketOwnershipControls",
		"b:policyStatus":      "GetBucketPolicyStatus", "b:publicAccessBlock": "GetPublicAccessBlock",
		"b:replication": "GetBucketReplication", "b:requestPayment": "GetBucketRequestPayment",
		"b:versions": "ListObjectVersions",
		"b:website":  "GetBucketWebsite", "b:accelerate": "GetBucketAccelerateConfiguration",
		"o:acl": "GetObjectAcl", "o:attributes": "GetObjectAttributes", "o:legal-hold": "GetObjectLegalHold",
		"o:retention": "GetObjectRetention", "o:torrent": "GetObjectTorrent",
	},
	"PUT": {
		"b:acl": "PutBucketAcl", "b:analytics": "PutBucketAnalyticsConfiguration", "b:cors": "PutBucketCors",
		"b:encryption": "PutBucketEncryption", "b:intelligent-tiering": "PutBucketIntelligentTieringConfiguration",
		"b:inventory": "PutBucketInventoryConfiguration", "b:lifecycle": "PutBucketLifecycleConfiguration",
		"b:logging": "PutBucketLogging", "b:metrics": "PutBucketMetricsConfiguration",
		"b:notification": "PutBucketNotificationConfiguration", "b:object-lock": "PutObjectLockConfiguration",
		"b:ownershipControls": "PutBucketOwnershipControls", "b:policy": "PutBucketPolicy",
		"b:publicAccessBlock": "PutPublicAccessBlock", "b:replication": "PutBucketReplication",
		"b:requestPayment": "PutBucketRequestPayment", "b:tagging": "PutBucketTagging",
		"b:versioning": "PutBucketVersioning", "b:website": "PutBucketWebsite",
		"b:accelerate": "PutBucketAccelerateConfiguration",
		"o:acl":        "PutObjectAcl", "o:legal-hold": "PutObjectLegalHold", "o:retention": "PutObjectRetention",
		"o:tagging": "PutObjectTagging",
	},
	"DELETE": {
		"b:analytics": "DeleteBucketAnalyticsConfiguration", "b:cors": "DeleteBucketCors",
		"b:encryption": "DeleteBucketEncryption", "b:intelligent-tiering": "DeleteBucketIntelligentTieringConfiguration",
		"b:inventory": "DeleteBucketInventoryConfiguration", "b:lifecycle": "DeleteBucketLifecycle",
		"b:metrics": "DeleteBucketMetricsConfiguration", "b:ownershipControls": "DeleteBucketOwnershipControls",
		"b:policy": "DeleteBucketPolicy", "b:publicAccessBlock": "DeletePublicAccessBlock",
		"b:replication": "DeleteBucketReplication", "b:tagging": "DeleteBucketTagging",
		"b:website": "DeleteBucketWebsite", "o:tagging": "DeleteObjectTagging",
	},
	"POST": {
		"o:restore": "RestoreObject", "o:select": "SelectObjectContent",
	},
}

// plainParams are query keys that parameterise an operation rather than
// name a subresource.
var plainParams = map[string]bool{
	"list-type": true, "prefix": true, "delimiter": true, "max-keys": true, "marker": true,
	"start-after": true, "continuation-token": true, "encoding-type": true, "fetch-owner": true,
	"partNumber": true, "uploadId": true, "versionId": true, "max-parts": true,
	"part-number-marker": true, "key-marker": true, "upload-id-marker": true, "max-uploads": true,
	"x-id": true, "optional-object-attributes": true, "expected-bucket-owner": true,
	"response-content-type": true, "response-content-language": true, "response-expires": true,
	"response-cache-control": true, "response-content-disposition": true, "response-content-encoding": true,
	"X-Amz-Algorithm": true, "X-Amz-Credential": true, "X-Amz-Date": true, "X-Amz-Expires": true,
	"X-Amz-SignedHeaders": true, "X-Amz-Signature": true, "X-Amz-Security-Token": true,
	"X-Amz-Content-Sha256": true, "AWSAccessKeyId": true, "Signature": true, "Expires": true,
}

// identify returns the operation r asks for. An unrecognised subresource
// gives OpUnknown or the name of an unimplemented action, never a data
// operation: a PUT ?tagging must not overwrite the object.
func identify(r *http.Request, q url.Values, on target) Operation {
	if on == onNoBucket {
		return OpUnknown
	}
	sub := ""
	for k := range q {
		if plainParams[k] {
			continue
		}
		known := false
		for _, rt := range routes {
			if rt.subresource == k {
				known = true
				break
			}
		}
		if !known {
			if name, ok := unsupported[r.Method][targetPrefix(on)+k]; ok {
				return name
			}
			if q.Get(k) == "" {
				return OpUnknown // an unknown subresource
			}
			continue // an unknown parameter with a value: ignored, as S3 does
		}
		sub = k
	}
	for _, rt := range routes {
		if rt.method != r.Method || rt.on != on || rt.subresource != sub {
			continue
		}
		if rt.when == nil || rt.when(r, q) {
			return rt.op
		}
	}
	if name, ok := unsupported[r.Method][targetPrefix(on)+sub]; ok && sub != "" {
		return name // e.g. PUT ?versioning, where only GET is implemented
	}
	return OpUnknown
}

func targetPrefix(on target) string {
	if on == onObject {
		return "o:"
	}
	return "b:"
}
