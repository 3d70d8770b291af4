package faultengine

import (
	"context"
	"testing"

	"github.com/mocks3/mocks3/internal/faultname"
	"github.com/mocks3/mocks3/internal/s3op"

	"github.com/mocks3/mocks3/faults"
	"github.com/mocks3/mocks3/s3api"
)

// roleCall is a role call made while serving an S3 operation.
func roleCall(svc faults.Service, op string, s3op s3api.Operation) *Request {
	return &Request{Service: svc, RoleOp: op, Operation: s3op}
}

// TestRoleOpMatch shows role operations matched by RoleOp alone and S3
// operations by Operation alone, with the seed's "operation": "Write" read
// as the role operation.
func TestRoleOpMatch(t *testing.T) {
	tests := []struct {
		name string
		rule faults.Rule
		req  *Request
		want bool
	}{
		{"role op", faults.Rule{Service: faultname.Storage, RoleOp: faultname.StorageWrite}, roleCall(faultname.Storage, faultname.StorageWrite, s3op.PutObject), true},
		{"other role op", faults.Rule{Service: faultname.Storage, RoleOp: faultname.StorageWrite}, roleCall(faultname.Storage, faultname.StorageRead, s3op.GetObject), false},
		{"role op and s3 op", faults.Rule{Service: faultname.Storage, RoleOp: faultname.StorageWrite, Operation: s3op.CopyObject}, roleCall(faultname.Storage, faultname.StorageWrite, s3op.PutObject), false},
		{"role op and s3 op match", faults.Rule{Service: faultname.Storage, RoleOp: faultname.StorageWrite, Operation: s3op.CopyObject}, roleCall(faultname.Storage, faultname.StorageWrite, s3op.CopyObject), true},
		{"s3 op matches every role call for it", faults.Rule{Service: faultname.Metadata, Operation: s3op.ListObjectsV2}, roleCall(faultname.Metadata, faultname.MetadataGetBucket, s3op.ListObjectsV2), true},
		{"seed form names the role op", faults.Rule{Service: faultname.Storage, Operation: "Write"}, roleCall(faultname.Storage, faultname.StorageWrite, s3op.PutObject), true},
		// "ListObjects" is an S3 operation and a metadata one: on the
		// metadata service it is the metadata call, whatever S3 request it serves.
		{"shared name is the role op", faults.Rule{Service: faultname.Metadata, Operation: "ListObjects"}, roleCall(faultname.Metadata, faultname.MetadataListObjects, s3op.ListObjectsV2), true},
		{"shared name is not the s3 op", faults.Rule{Service: faultname.Metadata, Operation: "ListObjects"}, roleCall(faultname.Metadata, faultname.MetadataGetBucket, s3op.ListObjects), false},
		{"role name on the gateway is the s3 op", faults.Rule{Operation: "PutObject"}, &Request{Service: faultname.Gateway, Operation: s3op.PutObject}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.rule
			r.Action = faults.ErrorCode("InternalError")
			if got := ruleMatches(t, r, tt.req); got != tt.want {
				t.Errorf("%+v matches %+v = %v, want %v", tt.rule, *tt.req, got, tt.want)
			}
			// The engine's index must agree with matches.
			e := New(Config{})
			mustAdd(t, e, r)
			if got := len(e.evaluate(tt.req, nil)) > 0; got != tt.want {
				t.Errorf("engine triggers %+v for %+v = %v, want %v", tt.rule, *tt.req, got, tt.want)
			}
		})
	}
}

// TestStorageReadServesStaleReads shows a storage stale_read rule on the
// storage "Read" operation applied where it can be, in the metadata read.
func TestStorageReadServesStaleReads(t *testing.T) {
	e := New(Config{})
	h := mustAdd(t, e, faults.Rule{Service: faultname.Storage, RoleOp: faultname.StorageRead, Action: faults.StaleRead()})
	eff, err := e.Role(context.Background(), Call{Service: faultname.Metadata, Op: faultname.MetadataGetObject, Bucket: "b", Key: "k", Also: []faults.Service{faultname.Storage}})
	if err != nil || !eff.StaleRead {
		t.Errorf("Role(metadata GetObject) = %+v, %v, want a stale read", eff, err)
	}
	if h.Hits() != 1 {
		t.Errorf("hits = %d, want 1", h.Hits())
	}
	if evs := e.Events(); len(evs) != 1 || evs[0].Service != faultname.Storage || evs[0].Operation != string(faultname.StorageRead) {
		t.Errorf("events = %+v, want one storage Read event", evs)
	}
}
