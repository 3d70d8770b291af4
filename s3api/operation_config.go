// Bucket and object configuration operations, as AWS names them in
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_Operations_Amazon_Simple_Storage_Service.html

package s3api

// The configuration operations mocks3 implements: tagging, CORS, website,
// lifecycle, encryption, logging, request payment, accelerate, ownership
// controls, public access block, ACLs and policies.
const (
	OpPutBucketTagging              Operation = "PutBucketTagging"
	OpDeleteBucketTagging           Operation = "DeleteBucketTagging"
	OpPutObjectTagging              Operation = "PutObjectTagging"
	OpDeleteObjectTagging           Operation = "DeleteObjectTagging"
	OpPutBucketCors                 Operation = "PutBucketCors"
	OpDeleteBucketCors              Operation = "DeleteBucketCors"
	OpPutBucketWebsite              Operation = "PutBucketWebsite"
	OpGetBucketWebsite              Operation = "GetBucketWebsite"
	OpDeleteBucketWebsite           Operation = "DeleteBucketWebsite"
	OpPutBucketLifecycle            Operation = "PutBucketLifecycleConfiguration"
	OpDeleteBucketLifecycle         Operation = "DeleteBucketLifecycle"
	OpPutBucketEncryption           Operation = "PutBucketEncryption"
	OpGetBucketEncryption           Operation = "GetBucketEncryption"
	OpDeleteBucketEncryption        Operation = "DeleteBucketEncryption"
	OpPutBucketLogging              Operation = "PutBucketLogging"
	OpGetBucketLogging              Operation = "GetBucketLogging"
	OpPutBucketRequestPayment       Operation = "PutBucketRequestPayment"
	OpGetBucketRequestPayment       Operation = "GetBucketRequestPayment"
	OpPutBucketAccelerate           Operation = "PutBucketAccelerateConfiguration"
	OpGetBucketAccelerate           Operation = "GetBucketAccelerateConfiguration"
	OpPutBucketOwnershipControls    Operation = "PutBucketOwnershipControls"
	OpGetBucketOwnershipControls    Operation = "GetBucketOwnershipControls"
	OpDeleteBucketOwnershipControls Operation = "DeleteBucketOwnershipControls"
	OpPutPublicAccessBlock          Operation = "PutPublicAccessBlock"
	OpGetPublicAccessBlock          Operation = "GetPublicAccessBlock"
	OpDeletePublicAccessBlock       Operation = "DeletePublicAccessBlock"
	OpPutBucketAcl                  Operation = "PutBucketAcl"
	OpGetBucketAcl                  Operation = "GetBucketAcl"
	OpPutObjectAcl                  Operation = "PutObjectAcl"
	OpGetObjectAcl                  Operation = "GetObjectAcl"
	OpPutBucketPolicy               Operation = "PutBucketPolicy"
	OpDeleteBucketPolicy            Operation = "DeleteBucketPolicy"
	OpGetBucketPolicyStatus         Operation = "GetBucketPolicyStatus"
	// OpOptionsObject is a browser's CORS preflight request (the
	// "OPTIONS object" of the API reference), on a bucket or an object.
	OpOptionsObject Operation = "OptionsObject"
)

// configOperations lists the operations above; Operations merges them
// with the others.
var configOperations = []Operation{
	OpPutBucketTagging, OpDeleteBucketTagging, OpPutObjectTagging, OpDeleteObjectTagging,
	OpPutBucketCors, OpDeleteBucketCors, OpPutBucketWebsite, OpGetBucketWebsite, OpDeleteBucketWebsite,
	OpPutBucketLifecycle, OpDeleteBucketLifecycle, OpPutBucketEncryption, OpGetBucketEncryption,
	OpDeleteBucketEncryption, OpPutBucketLogging, OpGetBucketLogging, OpPutBucketRequestPayment,
	OpGetBucketRequestPayment, OpPutBucketAccelerate, OpGetBucketAccelerate, OpPutBucketOwnershipControls,
	OpGetBucketOwnershipControls, OpDeleteBucketOwnershipControls, OpPutPublicAccessBlock,
	OpGetPublicAccessBlock, OpDeletePublicAccessBlock, OpPutBucketAcl, OpGetBucketAcl, OpPutObjectAcl,
	OpGetObjectAcl, OpPutBucketPolicy, OpDeleteBucketPolicy, OpGetBucketPolicyStatus, OpOptionsObject,
}
