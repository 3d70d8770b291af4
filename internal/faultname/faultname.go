// Package faultname is the fault engine's vocabulary as the code that
// implements it names it: services, role operations and action types. The
// public faults package takes them as plain strings in a rule ("storage",
// "Write", "http_error") and checks them against these lists, as it checks
// S3 operation names against s3api.Operations. The constants are untyped,
// so they convert to the faults package's string types.
package faultname

import (
	"fmt"
	"slices"
	"strings"
)

// The services: the S3 API itself (the gateway) and the roles behind it.
const (
	Gateway    = "gateway"
	Metadata   = "metadata"
	Storage    = "storage"
	Queue      = "queue"
	ThirdParty = "third-party"
)

// ParseService returns the service a name means, accepting our names, the
// seed's ("storage-service") and "" for the gateway.
func ParseService(s string) (string, error) {
	n := strings.ToLower(strings.TrimSpace(s))
	n = strings.TrimSuffix(n, "-service")
	switch n {
	case "", "gateway", "s3", "api", "nginx-gateway":
		return Gateway, nil
	case "metadata":
		return Metadata, nil
	case Storage:
		return Storage, nil
	case "queue":
		return Queue, nil
	case "third-party", "thirdparty", "third_party":
		return ThirdParty, nil
	}
	return "", fmt.Errorf("unknown service %q (want gateway, metadata, storage, queue or third-party)", s)
}

// The action types (faults.Action.Kind), the seed's names where it has one.
const (
	KindError     = "http_error"
	KindDelay     = "delay"
	KindHang      = "timeout"
	KindClose     = "disconnect"
	KindReset     = "network_error"
	KindTruncate  = "truncate"
	KindCorrupt   = "corruption"
	KindSlowBody  = "slow_body"
	KindSlowClose = "slow_close"

	// Role calls only.
	KindFailWrite     = "storage_error"
	KindDatabaseError = "database_error"
	KindLoseWrite     = "lose_write"
	KindCorruptStored = "corrupt_stored"
	KindStaleRead     = "stale_read"
)

// Kinds returns the action types, in the order the docs list them.
func Kinds() []string {
	return []string{KindError, KindDelay, KindHang, KindReset, KindClose, KindTruncate, KindCorrupt, KindSlowBody,
		KindSlowClose, KindFailWrite, KindDatabaseError, KindLoseWrite, KindCorruptStored, KindStaleRead}
}

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
	case Storage:
		return []string{StorageWrite, StorageRead, StorageDelete}
	case Metadata:
		return []string{MetadataCreateBucket, MetadataGetBucket, MetadataListBuckets, MetadataDeleteBucket,
			MetadataGetObject, MetadataPutObject, MetadataDeleteObject, MetadataListObjects,
			MetadataCreateUpload, MetadataCompleteUpload, MetadataGetUpload, MetadataPutPart, MetadataDeleteUpload, MetadataListUploads}
	case Queue:
		return []string{QueueEnqueue}
	case ThirdParty:
		return []string{ThirdPartyFetch}
	}
	return nil
}

// IsRoleOp reports whether op is an operation of service's role.
func IsRoleOp(service, op string) bool { return slices.Contains(RoleOps(service), op) }
