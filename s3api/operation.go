// Operation names, as AWS spells the S3 API actions in
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_Operations_Amazon_Simple_Storage_Service.html

package s3api

import "slices"

// Operation is an S3 API action name as AWS and the SDKs spell it
// ("PutObject", "ListObjectsV2"). The router, the fault matcher and the
// request journal all use it.
type Operation string

// operations lists the operations mocks3 implements; a test checks it
// against the route table. The module's internal code names them through
// constants; a test author writes the names, which a fault rule validates.
var operations = []Operation{
	"AbortMultipartUpload", "CompleteMultipartUpload", "CopyObject", "CreateBucket",
	"CreateMultipartUpload", "DeleteBucket", "DeleteObject", "DeleteObjects",
	"GetBucketCors", "GetBucketLifecycleConfiguration", "GetBucketLocation", "GetBucketPolicy",
	"GetBucketTagging", "GetBucketVersioning", "GetObject", "GetObjectTagging",
	"HeadBucket", "HeadObject", "ListBuckets", "ListMultipartUploads", "ListObjects",
	"ListObjectsV2", "ListParts", "PostObject", "PutObject", "UploadPart", "UploadPartCopy",
	// Versioning.
	"PutBucketVersioning", "ListObjectVersions",
	// Object lock.
	"GetObjectLegalHold", "GetObjectLockConfiguration", "GetObjectRetention",
	"PutObjectLegalHold", "PutObjectLockConfiguration", "PutObjectRetention",
	// Bucket and object configuration.
	"PutBucketTagging", "DeleteBucketTagging", "PutObjectTagging", "DeleteObjectTagging",
	"PutBucketCors", "DeleteBucketCors", "PutBucketWebsite", "GetBucketWebsite", "DeleteBucketWebsite",
	"PutBucketLifecycleConfiguration", "DeleteBucketLifecycle", "PutBucketEncryption", "GetBucketEncryption",
	"DeleteBucketEncryption", "PutBucketLogging", "GetBucketLogging", "PutBucketRequestPayment",
	"GetBucketRequestPayment", "PutBucketAccelerateConfiguration", "GetBucketAccelerateConfiguration", "PutBucketOwnershipControls",
	"GetBucketOwnershipControls", "DeleteBucketOwnershipControls", "PutPublicAccessBlock",
	"GetPublicAccessBlock", "DeletePublicAccessBlock", "PutBucketAcl", "GetBucketAcl", "PutObjectAcl",
	"GetObjectAcl", "PutBucketPolicy", "DeleteBucketPolicy", "GetBucketPolicyStatus", "OptionsObject",
	// Attributes and event notifications.
	"GetBucketNotificationConfiguration", "GetObjectAttributes", "PutBucketNotificationConfiguration",
}

// Operations returns the operations mocks3 implements, sorted by name: the
// names a fault rule's Operation accepts.
func Operations() []Operation {
	return slices.Sorted(slices.Values(operations))
}
