// Object attributes and event notification operations, as AWS names them in
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_Operations_Amazon_Simple_Storage_Service.html

package s3api

// The object attributes and notification operations mocks3 implements.
const (
	OpGetObjectAttributes                Operation = "GetObjectAttributes"
	OpPutBucketNotificationConfiguration Operation = "PutBucketNotificationConfiguration"
	OpGetBucketNotificationConfiguration Operation = "GetBucketNotificationConfiguration"
)

// notifyOperations lists the operations above; Operations merges them with
// the others.
var notifyOperations = []Operation{
	OpGetBucketNotificationConfiguration, OpGetObjectAttributes, OpPutBucketNotificationConfiguration,
}
