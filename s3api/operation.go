// Operation names, as AWS spells the S3 API actions in
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_Operations_Amazon_Simple_Storage_Service.html

package s3api

import "slices"

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
	OpPostObject              Operation = "PostObject"
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

	// Versioning.
	OpPutBucketVersioning Operation = "PutBucketVersioning"
	OpListObjectVersions  Operation = "ListObjectVersions"

	// Object lock:
	// https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html
	OpPutObjectLockConfiguration Operation = "PutObjectLockConfiguration"
	OpGetObjectLockConfiguration Operation = "GetObjectLockConfiguration"
	OpPutObjectRetention         Operation = "PutObjectRetention"
	OpGetObjectRetention         Operation = "GetObjectRetention"
	OpPutObjectLegalHold         Operation = "PutObjectLegalHold"
	OpGetObjectLegalHold         Operation = "GetObjectLegalHold"

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
	OpListObjectsV2, OpListParts, OpPostObject, OpPutObject, OpUploadPart, OpUploadPartCopy,
	// Versioning.
	OpPutBucketVersioning, OpListObjectVersions,
	// Object lock.
	OpGetObjectLegalHold, OpGetObjectLockConfiguration, OpGetObjectRetention,
	OpPutObjectLegalHold, OpPutObjectLockConfiguration, OpPutObjectRetention,
}

// Operations returns the operations mocks3 implements, sorted by name: the
// names a fault rule's Operation accepts.
func Operations() []Operation {
	return slices.Sorted(slices.Values(slices.Concat(operations, configOperations, notifyOperations)))
}
