package faults

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestDecodeObjectStrict(t *testing.T) {
	tests := []struct {
		name, json, want string
	}{
		{"misspelt field", rule(`"operaton": "PutObject"`), `operaton: unknown field (want id, name, description, service, operation, role_operation,`},
		{"case differs", rule(`"Action": {"type": "timeout"}`), "Action: unknown field"},
		{"nested in a slice", cond(`{"type": "probability", "value": 0.5}`, `{"type": "count", "vaule": 1}`), "conditions[1].vaule: unknown field (want type, operator, field, value)"},
		{"nested in an object", `{"action": {"type": "timeout"}, "schedule": {"from": 1}}`, "schedule.from: unknown field (want start, end, days, from_hour, to_hour, timezone)"},
		{"in a time window", cond(`{"type": "time", "value": {"start": "2026-01-02T00:00:00Z", "stop": "x"}}`), "conditions[0].value.stop: unknown field (want start, end)"},
		{"wrong type says what it wants", rule(`"role_operation": ["Write"]`), "role_operation: want a string"},
		{"hours", rule(`"schedule": {"to_hour": "5"}`), "schedule.to_hour: want an hour 0-24"},
		{"element not an object", rule(`"conditions": [[]]`), "conditions[0]: want an object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseOne([]byte(tt.json))
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("parseOne(%s) = %v, want an error starting %q", tt.json, err, tt.want)
			}
		})
	}
}

// TestDecodeObjectNullIsAbsent: null leaves every kind of field at its
// zero value, as if the key were not there.
func TestDecodeObjectNullIsAbsent(t *testing.T) {
	var w ruleJSON
	doc := `{"id": null, "enabled": null, "priority": null, "conditions": null, "action": null, "schedule": null, "hits": null}`
	if err := decodeObject("", json.RawMessage(doc), &w); err != nil {
		t.Fatalf("decodeObject(%s) = %v", doc, err)
	}
	if !reflect.ValueOf(w).IsZero() {
		t.Errorf("decodeObject(%s) = %+v, want the zero value", doc, w)
	}
}

// TestWireFieldsSayWhatTheyWant: every wire field decoded as a plain value
// has a want tag, so that no type error reads "want " and nothing more.
func TestWireFieldsSayWhatTheyWant(t *testing.T) {
	raw := reflect.TypeFor[json.RawMessage]()
	for _, typ := range []reflect.Type{reflect.TypeFor[ruleJSON](), reflect.TypeFor[conditionJSON](),
		reflect.TypeFor[actionJSON](), reflect.TypeFor[scheduleJSON](), reflect.TypeFor[timeWindowJSON]()} {
		for _, f := range wireFields(typ) {
			ft := typ.Field(f.index).Type
			if ft == raw || ft.Kind() == reflect.Pointer && ft.Elem().Kind() == reflect.Struct {
				continue // parsed later, or an object with its own fields
			}
			if f.want == "" {
				t.Errorf("%s.%s: no want tag", typ.Name(), f.name)
			}
		}
	}
}

// TestConditionTable: the condition types the messages list are the ones
// the table parses, and each parses the example the docs give.
func TestConditionTable(t *testing.T) {
	var names []string
	for name := range conditionKinds {
		names = append(names, name)
	}
	if !slices.Equal(sortedKeys(conditionKinds), slices.Sorted(slices.Values(conditionTypes))) {
		t.Errorf("conditionTypes = %v, conditionKinds has %v", conditionTypes, names)
	}
	examples := map[string]string{
		"probability": `{"type": "probability", "value": 0.5}`,
		"count":       `{"type": "count", "value": 2}`,
		"header":      `{"type": "header", "field": "X-A", "value": "a*"}`,
		"param":       `{"type": "param", "field": "uploadId", "operator": "exists"}`,
		"user_agent":  `{"type": "user_agent", "operator": "contains", "value": "boto"}`,
		"ip":          `{"type": "ip", "value": "10.0.0.1"}`,
		"time":        `{"type": "time", "operator": "after", "value": "2026-01-02T15:04:05Z"}`,
		"method":      `{"type": "method", "value": "PUT"}`,
		"bucket":      `{"type": "bucket", "value": "b"}`,
		"key":         `{"type": "key", "operator": "suffix", "value": ".jpg"}`,
		"node":        `{"type": "node", "value": "storage-2"}`,
		"access_key":  `{"type": "access_key", "value": "AKIDREADER"}`,
		"attempt":     `{"type": "attempt", "operator": "at_most", "value": 2}`,
	}
	for _, typ := range conditionTypes {
		ex, ok := examples[typ]
		if !ok {
			t.Errorf("no example for condition type %s", typ)
			continue
		}
		r, err := parseOne([]byte(cond(ex)))
		if err != nil {
			t.Errorf("parseOne(%s) = %v", ex, err)
			continue
		}
		if reflect.DeepEqual(r, Rule{Service: "gateway", Action: Action{Kind: "http_error"}}) {
			t.Errorf("parseOne(%s) set nothing", ex)
		}
		roundTrip(t, r)
	}
}
