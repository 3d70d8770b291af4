package faults

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCountWithoutOperator: the docs say an absent operator is the first
// one listed, "first" for count.
func TestCountWithoutOperator(t *testing.T) {
	got, err := ParseRule([]byte(cond(`{"type": "count", "value": 2}`)))
	if err != nil {
		t.Fatalf("ParseRule(count without operator) = %v", err)
	}
	if diff := cmp.Diff(Rule{Service: Gateway, Times: 2, Action: Action{Kind: KindError}}, got, ruleCmp); diff != "" {
		t.Errorf("ParseRule(count without operator) (-want +got):\n%s", diff)
	}
}

// TestNegativeAttemptAtMost: a negative count is refused, naming the field.
func TestNegativeAttemptAtMost(t *testing.T) {
	err := Rule{AttemptAtMost: -1, Action: InternalError()}.Validate()
	if err == nil || !strings.Contains(err.Error(), "attempt_at_most: -1 is negative") {
		t.Errorf("Validate(AttemptAtMost: -1) = %v, want an error naming attempt_at_most", err)
	}
}
