package faults

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mocks3/mocks3/internal/faultname"
	"github.com/mocks3/mocks3/s3api"
)

// TestOperationNamesChecked rejects operation names that would never
// match, naming the field and the valid names, in Go and in JSON.
func TestOperationNamesChecked(t *testing.T) {
	tests := []struct {
		name string
		rule Rule
		want []string // in the error
	}{
		{"misspelt", Rule{Operation: "PutObjekt"}, []string{`operation: unknown operation "PutObjekt"`, "ListObjectsV2, ListParts"}},
		{"miscased", Rule{Operation: "getobject"}, []string{`did you mean "GetObject"?`, "AbortMultipartUpload, "}},
		{"role op on the gateway", Rule{Operation: "Write"}, []string{`unknown operation "Write"`}},
		{"another role's op", Rule{Service: "storage", Operation: "Enqueue"}, []string{`unknown operation "Enqueue"`, "Write, Read, Delete"}},
		{"role_operation on the gateway", Rule{RoleOp: "Write"}, []string{`role_operation: "Write": the gateway has no role operations`}},
		{"role_operation of another role", Rule{Service: "metadata", RoleOp: "Write"}, []string{`role_operation: "Write" is not an operation of the metadata role`, "CreateBucket, GetBucket"}},
		{"role_operation miscased", Rule{Service: "storage", RoleOp: "write"}, []string{`did you mean "Write"?`}},
		{"role op in both fields", Rule{Service: "storage", RoleOp: "Read", Operation: "Write"}, []string{`operation: "Write" is not an S3 operation; with role_operation set`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.rule
			r.Action = ErrorCode("InternalError")
			err := r.Validate()
			if err == nil {
				t.Fatalf("Validate(%+v) = nil, want an error", tt.rule)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Validate(%+v) = %v, want it to say %q", tt.rule, err, w)
				}
			}
			data, jerr := r.toJSON()
			if jerr != nil {
				t.Fatal(jerr)
			}
			doc := `{"service": "` + string(data.Service) + `", "operation": "` + data.Operation + `", "role_operation": "` + data.RoleOp + `", "action": {"type": "http_error"}}`
			if _, err := parseOne([]byte(doc)); err == nil || !strings.Contains(err.Error(), tt.want[0]) {
				t.Errorf("parseOne(%s) = %v, want an error saying %q", doc, err, tt.want[0])
			}
		})
	}
	// Every implemented S3 operation and every role operation is accepted.
	for _, op := range s3api.Operations() {
		if err := (Rule{Operation: op, Action: ErrorCode("InternalError")}).Validate(); err != nil {
			t.Errorf("Validate(Operation: %s) = %v", op, err)
		}
	}
	for _, svc := range []Service{"storage", "metadata", "queue", "third-party"} {
		for _, op := range faultname.RoleOps(string(svc)) {
			if err := (Rule{Service: svc, RoleOp: op, Action: ErrorCode("InternalError")}).Validate(); err != nil {
				t.Errorf("Validate(Service: %s, RoleOp: %s) = %v", svc, op, err)
			}
		}
	}
}

func TestRoleOpJSON(t *testing.T) {
	got, err := parseOne([]byte(`{"service": "storage-service", "role_operation": "Read", "operation": "GetObject", "action": {"type": "http_error"}}`))
	if err != nil {
		t.Fatal(err)
	}
	want := Rule{Service: "storage", RoleOp: "Read", Operation: "GetObject", Action: Action{Kind: "http_error"}}
	if diff := cmp.Diff(want, got, ruleCmp); diff != "" {
		t.Errorf("ParseRules (-want +got):\n%s", diff)
	}
	roundTrip(t, want)
}
