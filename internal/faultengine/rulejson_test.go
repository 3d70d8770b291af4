package faultengine

import (
	"encoding/json"
	"testing"

	"github.com/mocks3/mocks3/faults"
	"github.com/mocks3/mocks3/internal/seedrules"
)

// TestRuleJSON: the REST API shows a rule in the seed's format with its ID
// first and its counters last, and ParseRules reads that back.
func TestRuleJSON(t *testing.T) {
	rules, err := faults.ParseRules([]byte(seedrules.StorageRandomError()))
	if err != nil || len(rules) != 1 {
		t.Fatalf("ParseRules(the seed's example) = %d rules, %v; want one", len(rules), err)
	}
	r := rules[0]
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
			if _, err := faults.ParseRules(got); err != nil {
				t.Errorf("ParseRules of the API's output = %v", err)
			}
		})
	}
}

// TestStatsJSON: the REST API's stats keep the seed's ErrorStats shape, a
// rule's entry holding its name and counters only.
func TestStatsJSON(t *testing.T) {
	st := faults.Stats{
		Total:       faults.Counts{Requests: 3, Faults: 1, Errors: 1},
		ByRule:      map[string]faults.RuleInfo{"rule-1": {ID: "rule-1", Rule: faults.Rule{Name: "slow", Action: faults.Hang()}, Matches: 2, Triggers: 1}},
		ByService:   map[faults.Service]faults.Counts{"gateway": {Requests: 3}},
		ByOperation: map[string]faults.Counts{},
	}
	got, err := json.Marshal(statsToJSON(st))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"total":{"requests":3,"faults":1,"errors":1},"roles":{"requests":0,"faults":0,"errors":0},` +
		`"by_rule":{"rule-1":{"name":"slow","matches":2,"triggers":1}},"by_service":{"gateway":{"requests":3,"faults":0,"errors":0}},"by_operation":{}}`
	if string(got) != want {
		t.Errorf("stats JSON =\n%s\nwant\n%s", got, want)
	}
}
