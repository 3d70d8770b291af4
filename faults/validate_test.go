package faults

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCountWithoutOperator: the docs say an absent operator is the first
// one listed, "first" for count.
func TestCountWithoutOperator(t *testing.T) {
	got, err := parseOne([]byte(cond(`{"type": "count", "value": 2}`)))
	if err != nil {
		t.Fatalf("parseOne(count without operator) = %v", err)
	}
	if diff := cmp.Diff(Rule{Service: "gateway", Times: 2, Action: Action{Kind: "http_error"}}, got, ruleCmp); diff != "" {
		t.Errorf("parseOne(count without operator) (-want +got):\n%s", diff)
	}
}

// TestNegativeAttemptAtMost: a negative count is refused, naming the field.
func TestNegativeAttemptAtMost(t *testing.T) {
	err := Rule{AttemptAtMost: -1, Action: ErrorCode("InternalError")}.Validate()
	if err == nil || !strings.Contains(err.Error(), "attempt_at_most: -1 is negative") {
		t.Errorf("Validate(AttemptAtMost: -1) = %v, want an error naming attempt_at_most", err)
	}
}

// TestServiceAndKindStrings: services and action types are plain strings,
// checked against the engine's lists, so a misspelt one is refused with
// the valid names instead of never matching.
func TestServiceAndKindStrings(t *testing.T) {
	tests := []struct {
		name string
		rule Rule
		want string // "" for valid
	}{
		{"our name", Rule{Service: "third-party", Action: Delay(0)}, ""},
		{"seed's name, any case", Rule{Service: "Storage-Service", Action: LoseWrite()}, ""},
		{"unknown service", Rule{Service: "billing", Action: Delay(0)}, "want gateway, metadata, storage, queue or third-party"},
		{"action literal", Rule{Action: Action{Kind: "timeout"}}, ""},
		{"unknown action", Rule{Action: Action{Kind: "http-error"}}, `type: unknown action "http-error"`},
		{"data action on the gateway", Rule{Action: Action{Kind: "stale_read"}}, "use it on the storage or metadata service"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.rule.Validate()
			if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
				t.Errorf("Validate(%+v) = %v, want %q", tt.rule, err, tt.want)
			}
		})
	}
}

// TestErrorCode: ErrorCode takes the codes of S3's error table with their
// status (SlowDown with its retry hint), and a misspelt one is refused when
// the rule is checked instead of answering 500 with a code no client knows.
// A JSON rule's code of its own still answers 500, now said in http_code.
func TestErrorCode(t *testing.T) {
	slow := ErrorCode("SlowDown")
	if slow.Status != 503 || slow.Header["x-amz-retry-after"] == "" || slow.Header["Retry-After"] == "" {
		t.Errorf("ErrorCode(SlowDown) = %+v, want 503 with x-amz-retry-after and Retry-After", slow)
	}
	if a := ErrorCode("NoSuchKey"); a.Status != 404 || a.Header != nil {
		t.Errorf("ErrorCode(NoSuchKey) = %+v, want 404 without headers", a)
	}
	err := Rule{Action: ErrorCode("SlowDwn")}.Validate()
	if err == nil || !strings.Contains(err.Error(), `code: "SlowDwn" is not in S3's error table`) {
		t.Errorf("Validate(ErrorCode(SlowDwn)) = %v, want an error naming the code", err)
	}
	if err := (Rule{Action: Action{Kind: "http_error", Status: 409, Code: "Mine"}}).Validate(); err != nil {
		t.Errorf("Validate(a code of its own with a status) = %v", err)
	}
	r, err := parseOne([]byte(`{"action": {"type": "http_error", "code": "Mine"}}`))
	if err != nil || r.Action.Status != 500 {
		t.Errorf("parseOne(code of its own) = %+v, %v, want status 500", r.Action, err)
	}
}
