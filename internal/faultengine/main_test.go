package faultengine

import (
	"strings"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// The two rule bodies of the seed README's curl examples, verbatim.
const (
	seedErrorRule = `{
    "name": "Storage Random Error",
    "description": "10% chance of 500 error",
    "service": "storage-service",
    "enabled": true,
    "conditions": [
      {
        "type": "probability",
        "value": 0.1
      }
    ],
    "action": {
      "type": "http_error",
      "http_code": 500,
      "message": "Internal server error injected"
    }
  }`
	seedDelayRule = `{
    "name": "Metadata Delay",
    "description": "Add 2s delay to metadata operations",
    "service": "metadata-service",
    "enabled": true,
    "conditions": [
      {
        "type": "probability",
        "value": 0.2
      }
    ],
    "action": {
      "type": "delay",
      "delay": "2s"
    }
  }`
)

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
