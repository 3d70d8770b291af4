package faults

import "github.com/mocks3/mocks3/internal/faultname"

// RoleOp is an operation of a role: a call the S3 layer makes to the
// metadata, storage, queue or third-party role while it serves a request.
// A rule's RoleOp matches it, as its Operation matches the S3 operation
// the call serves; events and Stats.ByOperation ("storage:Write") name it.
// The operations, by role (RoleOps lists them):
//
//	storage      Write, Read, Delete
//	metadata     CreateBucket, GetBucket, ListBuckets, DeleteBucket,
//	             GetObject, PutObject, DeleteObject, ListObjects,
//	             CreateUpload, CompleteUpload, GetUpload, PutPart,
//	             DeleteUpload, ListUploads
//	queue        Enqueue
//	third-party  Fetch
//
// An S3 write ends in the metadata call that makes the object visible:
// PutObject (for PutObject and CopyObject) or CompleteUpload.
type RoleOp string

// isRoleOp reports whether op is an operation of service's role.
func isRoleOp(service Service, op RoleOp) bool {
	return faultname.IsRoleOp(string(service), string(op))
}

// RoleOps returns the operations of a service's role, those a rule on
// that service may name in RoleOp; the gateway has none.
func RoleOps(s Service) []RoleOp {
	var ops []RoleOp
	for _, op := range faultname.RoleOps(string(s)) {
		ops = append(ops, RoleOp(op))
	}
	return ops
}
