package faultengine

import (
	"encoding/json"
	"testing"

	"github.com/mocks3/mocks3/faults"
	"github.com/mocks3/mocks3/internal/seedrules"
)

// TestRuleJSON: the REST API shows a rule in the seed's format with its ID
// first and its counters last, and ParseRule reads that back.
func TestRuleJSON(t *testing.T) {
	r, err := faults.ParseRule([]byte(seedrules.StorageRandomError()))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		info faults.RuleInfo
		want string
	}{
		{"seed's example", faults.RuleInfo{ID: "rule-1", Rule: r, Matches: 5, Triggers: 2},
			`{"id":"rule-1","name":"Storage Random Error","description":"10% chance of 500 error","service":"storage",` +
				`"enabled":true,"priority":0,"conditions":[{"type":"probability","value":0.1}],` +
				`"action":{"type":"http_error","http_code":500,"message":"Internal server error injected"},"hits":2,"matches":5}`},
		{"no ID", faults.RuleInfo{Rule: faults.Rule{Action: faults.Hang()}},
			`{"service":"gateway","enabled":true,"priority":0,"action":{"type":"timeout"},"hits":0,"matches":0}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := json.Marshal(ruleJSON(tt.info))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("json.Marshal(ruleJSON) =\n%s\nwant\n%s", got, tt.want)
			}
			if _, err := faults.ParseRule(got); err != nil {
				t.Errorf("ParseRule of the API's output = %v", err)
			}
		})
	}
}
