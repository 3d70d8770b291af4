package faultengine

import (
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/mocks3/mocks3/internal/seedrules"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// The two rule bodies of the seed README's curl examples, verbatim.
var seedErrorRule, seedDelayRule = seedrules.StorageRandomError(), seedrules.MetadataDelay()

// rule wraps conditions and fields into a gateway rule with an error
// action.
func rule(fields string) string {
	if fields != "" {
		fields += ", "
	}
	return `{` + fields + `"action": {"type": "http_error"}}`
}

func cond(conds ...string) string {
	return rule(`"conditions": [` + strings.Join(conds, ", ") + `]`)
}
