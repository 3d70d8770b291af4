package faults

import "slices"

// RoleOp is an operation of a role: a call the S3 layer makes to the
// metadata, storage, queue or third-party role while it serves a request.
// A rule's RoleOp matches it, as its Operation matches the S3 operation
// the call serves; events and Stats.ByOperation ("storage:Write") name it.
type RoleOp string

// The role operations, by service.
const (
	// Storage: object bytes.
	StorageWrite  RoleOp = "Write"
	StorageRead   RoleOp = "Read"
	StorageDelete RoleOp = "Delete"

	// Metadata: buckets, object records and multipart uploads. An S3 write
	// ends in the call that makes the object visible: MetadataPutObject
	// (PutObject, CopyObject) or MetadataCompleteUpload.
	MetadataCreateBucket RoleOp = "CreateBucket"
	MetadataGetBucket    RoleOp = "GetBucket"
	MetadataListBuckets  RoleOp = "ListBuckets"
	MetadataDeleteBucket RoleOp = "DeleteBucket"
	MetadataGetObject    RoleOp = "GetObject"
	MetadataPutObject    RoleOp = "PutObject"
	MetadataDeleteObject RoleOp = "DeleteObject"
	MetadataListObjects  RoleOp = "ListObjects"
	MetadataCreateUpload RoleOp = "CreateUpload"
	// MetadataCompleteUpload stores a multipart object and ends its upload.
	MetadataCompleteUpload RoleOp = "CompleteUpload"
	MetadataGetUpload      RoleOp = "GetUpload"
	MetadataPutPart        RoleOp = "PutPart"
	MetadataDeleteUpload   RoleOp = "DeleteUpload"
	MetadataListUploads    RoleOp = "ListUploads"

	// Queue: asynchronous tasks (backfill, cleanup, replication).
	QueueEnqueue RoleOp = "Enqueue"

	// Third-party: the fallback origin.
	ThirdPartyFetch RoleOp = "Fetch"
)

// roleOps lists each role's operations.
var roleOps = map[Service][]RoleOp{
	Storage: {StorageWrite, StorageRead, StorageDelete},
	Metadata: {MetadataCreateBucket, MetadataGetBucket, MetadataListBuckets, MetadataDeleteBucket,
		MetadataGetObject, MetadataPutObject, MetadataDeleteObject, MetadataListObjects,
		MetadataCreateUpload, MetadataCompleteUpload, MetadataGetUpload, MetadataPutPart, MetadataDeleteUpload, MetadataListUploads},
	Queue:      {QueueEnqueue},
	ThirdParty: {ThirdPartyFetch},
}

// isRoleOp reports whether op is an operation of service's role.
func isRoleOp(service Service, op RoleOp) bool {
	return slices.Contains(roleOps[service], op)
}

// RoleOps returns the operations of a service's role, those a rule on
// that service may name in RoleOp; the gateway has none.
func RoleOps(s Service) []RoleOp {
	return slices.Clone(roleOps[s])
}
