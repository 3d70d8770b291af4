package faults

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mocks3/mocks3/s3api"
)

// roleCall is a role call made while serving an S3 operation.
func roleCall(svc Service, op RoleOp, s3op s3api.Operation) *Request {
	return &Request{Service: svc, RoleOp: op, Operation: s3op}
}

// TestRoleOpMatch shows role operations matched by RoleOp alone and S3
// operations by Operation alone, with the seed's "operation": "Write" read
// as the role operation.
func TestRoleOpMatch(t *testing.T) {
	tests := []struct {
		name string
		rule Rule
		req  *Request
		want bool
	}{
		{"role op", Rule{Service: Storage, RoleOp: StorageWrite}, roleCall(Storage, StorageWrite, s3api.OpPutObject), true},
		{"other role op", Rule{Service: Storage, RoleOp: StorageWrite}, roleCall(Storage, StorageRead, s3api.OpGetObject), false},
		{"role op and s3 op", Rule{Service: Storage, RoleOp: StorageWrite, Operation: s3api.OpCopyObject}, roleCall(Storage, StorageWrite, s3api.OpPutObject), false},
		{"role op and s3 op match", Rule{Service: Storage, RoleOp: StorageWrite, Operation: s3api.OpCopyObject}, roleCall(Storage, StorageWrite, s3api.OpCopyObject), true},
		{"s3 op matches every role call for it", Rule{Service: Metadata, Operation: s3api.OpListObjectsV2}, roleCall(Metadata, MetadataGetBucket, s3api.OpListObjectsV2), true},
		{"seed form names the role op", Rule{Service: Storage, Operation: "Write"}, roleCall(Storage, StorageWrite, s3api.OpPutObject), true},
		// "ListObjects" is an S3 operation and a metadata one: on the
		// metadata service it is the metadata call, whatever S3 request it serves.
		{"shared name is the role op", Rule{Service: Metadata, Operation: "ListObjects"}, roleCall(Metadata, MetadataListObjects, s3api.OpListObjectsV2), true},
		{"shared name is not the s3 op", Rule{Service: Metadata, Operation: "ListObjects"}, roleCall(Metadata, MetadataGetBucket, s3api.OpListObjects), false},
		{"role name on the gateway is the s3 op", Rule{Operation: "PutObject"}, &Request{Service: Gateway, Operation: s3api.OpPutObject}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.rule
			r.Action = InternalError()
			if err := r.validate(); err != nil {
				t.Fatal(err)
			}
			if got := r.matches(tt.req); got != tt.want {
				t.Errorf("%+v matches %+v = %v, want %v", tt.rule, *tt.req, got, tt.want)
			}
			// The engine's index must agree with matches.
			e := NewEngine(Config{})
			mustAdd(t, e, r)
			if got := len(e.evaluate(tt.req, nil)) > 0; got != tt.want {
				t.Errorf("engine triggers %+v for %+v = %v, want %v", tt.rule, *tt.req, got, tt.want)
			}
		})
	}
}

// TestOperationNamesChecked rejects operation names that would never
// match, naming the field and the valid names, in Go and in JSON.
func TestOperationNamesChecked(t *testing.T) {
	tests := []struct {
		name string
		rule Rule
		want []string // in the error
	}{
		{"misspelt", Rule{Operation: "PutObjekt"}, []string{`operation: unknown operation "PutObjekt"`, "PutObject, UploadPart"}},
		{"miscased", Rule{Operation: "getobject"}, []string{`did you mean "GetObject"?`, "AbortMultipartUpload, "}},
		{"role op on the gateway", Rule{Operation: "Write"}, []string{`unknown operation "Write"`}},
		{"another role's op", Rule{Service: Storage, Operation: "Enqueue"}, []string{`unknown operation "Enqueue"`, "Write, Read, Delete"}},
		{"role_operation on the gateway", Rule{RoleOp: StorageWrite}, []string{`role_operation: "Write": the gateway has no role operations`}},
		{"role_operation of another role", Rule{Service: Metadata, RoleOp: StorageWrite}, []string{`role_operation: "Write" is not an operation of the metadata role`, "CreateBucket, GetBucket"}},
		{"role_operation miscased", Rule{Service: Storage, RoleOp: "write"}, []string{`did you mean "Write"?`}},
		{"role op in both fields", Rule{Service: Storage, RoleOp: StorageRead, Operation: "Write"}, []string{`operation: "Write" is not an S3 operation; with role_operation set`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.rule
			r.Action = InternalError()
			_, err := NewEngine(Config{}).Add(r)
			if err == nil {
				t.Fatalf("Add(%+v) = nil, want an error", tt.rule)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Add(%+v) = %v, want it to say %q", tt.rule, err, w)
				}
			}
			data, jerr := r.toJSON()
			if jerr != nil {
				t.Fatal(jerr)
			}
			doc := `{"service": "` + string(data.Service) + `", "operation": "` + data.Operation + `", "role_operation": "` + data.RoleOp + `", "action": {"type": "http_error"}}`
			if _, err := ParseRule([]byte(doc)); err == nil || !strings.Contains(err.Error(), tt.want[0]) {
				t.Errorf("ParseRule(%s) = %v, want an error saying %q", doc, err, tt.want[0])
			}
		})
	}
	// Every implemented S3 operation and every role operation is accepted.
	for _, op := range s3api.Operations() {
		if _, err := NewEngine(Config{}).Add(Rule{Operation: op, Action: InternalError()}); err != nil {
			t.Errorf("Add(Operation: %s) = %v", op, err)
		}
	}
	for svc, ops := range roleOps {
		for _, op := range ops {
			if _, err := NewEngine(Config{}).Add(Rule{Service: svc, RoleOp: op, Action: InternalError()}); err != nil {
				t.Errorf("Add(Service: %s, RoleOp: %s) = %v", svc, op, err)
			}
		}
	}
}

func TestRoleOpJSON(t *testing.T) {
	got, err := ParseRule([]byte(`{"service": "storage-service", "role_operation": "Read", "operation": "GetObject", "action": {"type": "http_error"}}`))
	if err != nil {
		t.Fatal(err)
	}
	want := Rule{Service: Storage, RoleOp: StorageRead, Operation: s3api.OpGetObject, Action: Action{Kind: KindError}}
	if diff := cmp.Diff(want, got, ruleCmp); diff != "" {
		t.Errorf("ParseRule (-want +got):\n%s", diff)
	}
	roundTrip(t, want)
}

// TestStorageReadServesStaleReads shows a storage stale_read rule on the
// StorageRead operation applied where it can be, in the metadata read.
func TestStorageReadServesStaleReads(t *testing.T) {
	e := NewEngine(Config{})
	h := mustAdd(t, e, Rule{Service: Storage, RoleOp: StorageRead, Action: StaleRead()})
	eff, err := e.Role(context.Background(), Call{Service: Metadata, Op: MetadataGetObject, Bucket: "b", Key: "k", Also: []Service{Storage}})
	if err != nil || !eff.StaleRead {
		t.Errorf("Role(metadata GetObject) = %+v, %v, want a stale read", eff, err)
	}
	if h.Hits() != 1 {
		t.Errorf("hits = %d, want 1", h.Hits())
	}
	if evs := e.Events(); len(evs) != 1 || evs[0].Service != Storage || evs[0].Operation != string(StorageRead) {
		t.Errorf("events = %+v, want one storage Read event", evs)
	}
}
