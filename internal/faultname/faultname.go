// Package faultname is the fault engine's vocabulary as the code that
// implements it names it: the role operations. The public faults package
// takes them as plain strings in a rule ("Write", "GetObject") and checks
// them against these lists, as it checks S3 operation names against
// s3api.Operations. The constants are untyped, so they convert to the faults
// package's string types.
package faultname

import "slices"

// The role operations, by service.
const (
	// Storage: object bytes.
	StorageWrite  = "Write"
	StorageRead   = "Read"
	StorageDelete = "Delete"

	// Metadata: buckets, object records and multipart uploads. An S3 write
	// ends in the call that makes the object visible: MetadataPutObject
	// (PutObject, CopyObject) or MetadataCompleteUpload.
	MetadataCreateBucket   = "CreateBucket"
	MetadataGetBucket      = "GetBucket"
	MetadataListBuckets    = "ListBuckets"
	MetadataDeleteBucket   = "DeleteBucket"
	MetadataGetObject      = "GetObject"
	MetadataPutObject      = "PutObject"
	MetadataDeleteObject   = "DeleteObject"
	MetadataListObjects    = "ListObjects"
	MetadataCreateUpload   = "CreateUpload"
	MetadataCompleteUpload = "CompleteUpload"
	MetadataGetUpload      = "GetUpload"
	MetadataPutPart        = "PutPart"
	MetadataDeleteUpload   = "DeleteUpload"
	MetadataListUploads    = "ListUploads"

	// Queue: asynchronous tasks (backfill, cleanup, replication).
	QueueEnqueue = "Enqueue"

	// Third-party: the fallback origin.
	ThirdPartyFetch = "Fetch"
)

// RoleOps returns the operations of a service's role ("storage",
// "metadata", "queue", "third-party"); the gateway has none.
func RoleOps(service string) []string {
	switch service {
	case "storage":
		return []string{StorageWrite, StorageRead, StorageDelete}
	case "metadata":
		return []string{MetadataCreateBucket, MetadataGetBucket, MetadataListBuckets, MetadataDeleteBucket,
			MetadataGetObject, MetadataPutObject, MetadataDeleteObject, MetadataListObjects,
			MetadataCreateUpload, MetadataCompleteUpload, MetadataGetUpload, MetadataPutPart, MetadataDeleteUpload, MetadataListUploads}
	case "queue":
		return []string{QueueEnqueue}
	case "third-party":
		return []string{ThirdPartyFetch}
	}
	return nil
}

// IsRoleOp reports whether op is an operation of service's role.
func IsRoleOp(service, op string) bool { return slices.Contains(RoleOps(service), op) }
