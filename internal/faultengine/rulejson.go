package faultengine

import (
	"bytes"
	"encoding/json"
	"strconv"

	"github.com/mocks3/mocks3/faults"
)

// ruleJSON is a rule as the REST API shows it: the seed's JSON format
// (faults.Rule's MarshalJSON) with "id" first and the counters "hits"
// (triggers) and "matches" last, so that ParseRule reads it back.
type ruleJSON faults.RuleInfo

func (ri ruleJSON) MarshalJSON() ([]byte, error) {
	rule, err := json.Marshal(ri.Rule)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteByte('{')
	if ri.ID != "" {
		id, _ := json.Marshal(ri.ID) // a string: cannot fail
		b.WriteString(`"id":`)
		b.Write(id)
		b.WriteByte(',')
	}
	b.Write(rule[1 : len(rule)-1]) // never empty: service, enabled, priority and action are always there
	b.WriteString(`,"hits":` + strconv.Itoa(ri.Triggers) + `,"matches":` + strconv.Itoa(ri.Matches) + `}`)
	return b.Bytes(), nil
}

// rulesJSON is the REST API's form of a list of rules.
func rulesJSON(infos []faults.RuleInfo) map[string][]ruleJSON {
	out := make([]ruleJSON, len(infos))
	for i, ri := range infos {
		out[i] = ruleJSON(ri)
	}
	return map[string][]ruleJSON{"rules": out}
}

// statsJSON is faults.Stats as the REST API shows it, in the shape of the
// seed's ErrorStats.
type statsJSON struct {
	Total       faults.Counts                    `json:"total"`
	Roles       faults.Counts                    `json:"roles"`
	ByRule      map[string]ruleCountsJSON        `json:"by_rule"`
	ByService   map[faults.Service]faults.Counts `json:"by_service"`
	ByOperation map[string]faults.Counts         `json:"by_operation"`
}

type ruleCountsJSON struct {
	Name     string `json:"name"`
	Matches  int    `json:"matches"`
	Triggers int    `json:"triggers"`
}

func statsToJSON(s faults.Stats) statsJSON {
	out := statsJSON{Total: s.Total, Roles: s.Roles, ByService: s.ByService, ByOperation: s.ByOperation,
		ByRule: make(map[string]ruleCountsJSON, len(s.ByRule))}
	for id, ri := range s.ByRule {
		out.ByRule[id] = ruleCountsJSON{Name: ri.Rule.Name, Matches: ri.Matches, Triggers: ri.Triggers}
	}
	return out
}
