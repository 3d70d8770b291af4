package faults

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/mocks3/mocks3/internal/seedrules"
)

// The two rule bodies of the seed README's curl examples, verbatim.
var seedErrorRule, seedDelayRule = seedrules.StorageRandomError(), seedrules.MetadataDelay()

// ruleCmp compares rules: times by instant, zones by name.
var ruleCmp = cmp.Comparer(func(a, b *time.Location) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.String() == b.String()
})

func TestParseRuleSeedExamples(t *testing.T) {
	tests := []struct {
		name string
		json string
		want Rule
	}{
		{"random error", seedErrorRule, Rule{Name: "Storage Random Error", Description: "10% chance of 500 error",
			Service: "storage", Probability: 0.1,
			Action: Action{Kind: "http_error", Status: 500, Message: "Internal server error injected"}}},
		{"delay", seedDelayRule, Rule{Name: "Metadata Delay", Description: "Add 2s delay to metadata operations",
			Service: "metadata", Probability: 0.2, Action: Action{Kind: "delay", Delay: 2 * time.Second}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseOne([]byte(tt.json))
			if err != nil {
				t.Fatalf("ParseRules = %v", err)
			}
			if diff := cmp.Diff(tt.want, got, ruleCmp); diff != "" {
				t.Errorf("ParseRules (-want +got):\n%s", diff)
			}
		})
	}
}

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

func TestParseRuleFields(t *testing.T) {
	errAction := Action{Kind: "http_error"}
	start := time.Date(2026, 1, 2, 15, 4, 5, 0, time.UTC)
	end := time.Date(2026, 1, 3, 0, 0, 0, 0, time.FixedZone("", 8*3600))
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		json string
		want Rule
	}{
		{"defaults", rule(""), Rule{Service: "gateway", Action: errAction}},
		{"disabled, priority, max triggers, operation",
			rule(`"enabled": false, "priority": 7, "max_triggers": 3, "operation": "PutObject", "service": "s3"`),
			Rule{Service: "gateway", Disabled: true, Priority: 7, MaxTriggers: 3, Operation: "PutObject", Action: errAction}},
		{"null is absent", rule(`"enabled": null, "name": null, "conditions": null, "schedule": null`), Rule{Service: "gateway", Action: errAction}},
		{"probability 1", cond(`{"type": "probability", "value": 1}`), Rule{Service: "gateway", Probability: 1, Action: errAction}},
		{"count", cond(`{"type": "count", "operator": "after", "value": 2}`, `{"type": "count", "operator": "first", "value": 3}`,
			`{"type": "count", "operator": "every", "value": 4}`),
			Rule{Service: "gateway", After: 2, Times: 3, EveryNth: 4, Action: errAction}},
		{"header operators", cond(
			`{"type": "header", "field": "X-Glob", "value": "a*"}`,
			`{"type": "header", "field": "X-Equals", "operator": "equals", "value": "a*b?"}`,
			`{"type": "header", "field": "X-Prefix", "operator": "prefix", "value": "p"}`,
			`{"type": "header", "field": "X-Suffix", "operator": "suffix", "value": "s"}`,
			`{"type": "header", "field": "X-Contains", "operator": "contains", "value": "c"}`,
			`{"type": "header", "field": "X-Exists", "operator": "exists"}`),
			Rule{Service: "gateway", Header: map[string]string{"X-Glob": "a*", "X-Equals": `a\*b\?`, "X-Prefix": "p*",
				"X-Suffix": "*s", "X-Contains": "*c*", "X-Exists": "*"}, Action: errAction}},
		{"param", cond(`{"type": "param", "field": "uploadId", "operator": "exists"}`),
			Rule{Service: "gateway", Query: map[string]string{"uploadId": "*"}, Action: errAction}},
		{"ours", cond(`{"type": "method", "value": "put"}`, `{"type": "bucket", "value": "ph*"}`,
			`{"type": "key", "operator": "prefix", "value": "a/"}`, `{"type": "user_agent", "operator": "contains", "value": "aws-sdk-go"}`,
			`{"type": "attempt", "value": 1}`, `{"type": "attempt", "operator": "at_most", "value": 2}`),
			Rule{Service: "gateway", Method: "PUT", Bucket: "ph*", Key: "a/*", UserAgent: "*aws-sdk-go*", Attempt: 1, AttemptAtMost: 2, Action: errAction}},
		{"ip", cond(`{"type": "ip", "operator": "in", "value": "10.0.0.0/8"}`), Rule{Service: "gateway", ClientIP: "10.0.0.0/8", Action: errAction}},
		{"time between", cond(`{"type": "time", "operator": "between", "value": {"start": "2026-01-02T15:04:05Z", "end": "2026-01-03T00:00:00+08:00"}}`),
			Rule{Service: "gateway", Schedule: &Schedule{Start: start, End: end}, Action: errAction}},
		{"time after and schedule", `{"conditions": [{"type": "time", "operator": "after", "value": "2026-01-02T15:04:05Z"}],
			"schedule": {"days": ["monday", "Fri"], "from_hour": 9, "to_hour": 17, "timezone": "Europe/Paris"},
			"action": {"type": "http_error"}}`,
			Rule{Service: "gateway", Schedule: &Schedule{Start: start, Days: []time.Weekday{time.Monday, time.Friday},
				FromHour: 9, ToHour: 17, Location: paris}, Action: errAction}},
		{"slowdown with headers",
			`{"action": {"type": "http_error", "code": "SlowDown", "http_code": 503, "headers": {"x-amz-retry-after": "10"}, "body": "<Error/>", "message": "m"}}`,
			Rule{Service: "gateway", Action: Action{Kind: "http_error", Code: "SlowDown", Status: 503,
				Header: map[string]string{"x-amz-retry-after": "10"}, Body: "<Error/>", Message: "m"}}},
		{"delay in milliseconds with jitter", `{"action": {"type": "delay", "delay": 1.5, "max_delay": "20ms", "before_body": true}}`,
			Rule{Service: "gateway", Action: Action{Kind: "delay", Delay: 1500 * time.Microsecond, MaxDelay: 20 * time.Millisecond, BeforeBody: true}}},
		{"slow body", `{"action": {"type": "slow_body", "bytes_per_second": 1000}}`, Rule{Service: "gateway", Action: SlowBody(1000)}},
		{"truncate", `{"action": {"type": "truncate", "bytes": 10}}`, Rule{Service: "gateway", Action: TruncateBody(10)}},
		{"storage data fault", `{"service": "storage", "action": {"type": "corrupt_stored"}}`, Rule{Service: "storage", Action: CorruptStored()}},
		{"api output is accepted", `{"id": "rule-9", "hits": 3, "matches": 4, "action": {"type": "timeout"}}`, Rule{Service: "gateway", Action: Hang()}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseOne([]byte(tt.json))
			if err != nil {
				t.Fatalf("parseOne(%s) = %v", tt.json, err)
			}
			if diff := cmp.Diff(tt.want, got, ruleCmp); diff != "" {
				t.Errorf("parseOne(%s) (-want +got):\n%s", tt.json, diff)
			}
			roundTrip(t, got)
		})
	}
}

// roundTrip checks that r marshals to JSON that parses back to r.
func roundTrip(t *testing.T, r Rule) {
	t.Helper()
	data, err := json.Marshal(r)
	if err != nil {
		t.Fatalf("json.Marshal(%+v) = %v", r, err)
	}
	back, err := parseOne(data)
	if err != nil {
		t.Fatalf("parseOne(json.Marshal(rule)) = %v\n%s", err, data)
	}
	if diff := cmp.Diff(r, back, ruleCmp); diff != "" {
		t.Errorf("parseOne(%s) (-want +got):\n%s", data, diff)
	}
}

func TestParseRuleErrorsNameTheField(t *testing.T) {
	tests := []struct {
		name, json, want string
	}{
		{"not JSON", `{"name": `, "invalid JSON at byte"},
		{"not an object", `"x"`, "want a rule object"},
		{"unknown field", rule(`"nmae": "x"`), "nmae: unknown field"},
		{"field names are exact", rule(`"Name": "x"`), "Name: unknown field"},
		{"wrong type", rule(`"name": 3`), "name: want a string"},
		{"enabled", rule(`"enabled": "yes"`), "enabled: want true or false"},
		{"priority", rule(`"priority": 1.5`), "priority: want an integer"},
		{"max triggers", rule(`"max_triggers": -1`), "max_triggers: want an integer ≥ 0"},
		{"service", rule(`"service": "billing-service"`), "service: unknown service"},
		{"no action", `{"name": "x"}`, "action: missing"},
		{"action type", `{"action": {"type": "explode"}}`, `action.type: unknown action type "explode"`},
		{"action unknown field", `{"action": {"type": "delay", "delay": "1s", "jitter": 2}}`, "action.jitter: unknown field"},
		{"http code", `{"action": {"type": "http_error", "http_code": 200}}`, "action.http_code: 200 is not an error status"},
		{"code", `{"action": {"type": "http_error", "code": "Slow Down"}}`, "action.code:"},
		{"header name", `{"action": {"type": "http_error", "headers": {"a b": "c"}}}`, "action.headers:"},
		{"header value", `{"action": {"type": "http_error", "headers": {"x": "a\r\nb"}}}`, "action.headers.x:"},
		{"headers type", `{"action": {"type": "http_error", "headers": {"x": 1}}}`, "action.headers: want an object of strings"},
		{"delay missing", `{"action": {"type": "delay"}}`, "action.delay: missing"},
		{"delay unit", `{"action": {"type": "delay", "delay": "2"}}`, "action.delay: want a duration"},
		{"delay negative", `{"action": {"type": "delay", "delay": -5}}`, "action.delay:"},
		{"delay type", `{"action": {"type": "delay", "delay": true}}`, "action.delay: want a duration"},
		{"max delay", `{"action": {"type": "delay", "delay": "2s", "max_delay": "1s"}}`, "action.max_delay:"},
		{"slow body rate", `{"action": {"type": "slow_body"}}`, "action.bytes_per_second:"},
		{"bytes", `{"action": {"type": "truncate", "bytes": -1}}`, "action.bytes:"},
		{"connection fault on a role", `{"service": "storage", "action": {"type": "disconnect"}}`, "action"},
		{"conditions type", rule(`"conditions": {}`), "conditions: want an array"},
		{"condition unknown field", cond(`{"type": "probability", "value": 0.5, "negate": true}`), "conditions[0].negate: unknown field"},
		{"condition type", cond(`{"type": "probability", "value": 0.5}`, `{"type": "weather"}`), `conditions[1].type: unknown condition type "weather"`},
		{"condition type missing", cond(`{"value": 1}`), "conditions[0].type: missing"},
		{"probability range", cond(`{"type": "probability", "value": 1.5}`), "conditions[0].value: probability must be a number between 0 and 1"},
		{"probability type", cond(`{"type": "probability", "value": "0.5"}`), "conditions[0].value: probability must be a number between 0 and 1"},
		{"probability zero", cond(`{"type": "probability", "value": 0}`), "conditions[0].value: probability 0 never triggers"},
		{"probability twice", cond(`{"type": "probability", "value": 0.5}`, `{"type": "probability", "value": 0.5}`), "conditions[1]: a second probability condition"},
		{"count operator", cond(`{"type": "count", "operator": "last", "value": 2}`), `conditions[0].operator: unsupported operator "last" for count`},
		{"count value", cond(`{"type": "count", "operator": "first", "value": 0}`), "conditions[0].value: want an integer ≥ 1"},
		{"count value type", cond(`{"type": "count", "operator": "first", "value": 1.5}`), "conditions[0].value: want an integer ≥ 1"},
		{"header field", cond(`{"type": "header", "value": "x"}`), "conditions[0].field: missing"},
		{"header regex", cond(`{"type": "header", "field": "x", "operator": "regex", "value": "^a.*"}`), `conditions[0].operator: "regex" is not supported`},
		{"header same name twice", cond(`{"type": "header", "field": "x-a", "value": "1"}`, `{"type": "header", "field": "X-A", "value": "2"}`), "conditions[1]: a second header"},
		{"exists with value", cond(`{"type": "header", "field": "x", "operator": "exists", "value": "v"}`), "conditions[0].value: exists takes no value"},
		{"exists on key", cond(`{"type": "key", "operator": "exists"}`), `conditions[0].operator: unsupported operator "exists" for key`},
		{"empty value", cond(`{"type": "key", "operator": "equals", "value": ""}`), "conditions[0].value: want a non-empty string"},
		{"bad glob", cond(`{"type": "param", "field": "p", "value": "[a"}`), `conditions[0].value: bad glob "[a"`},
		{"field on probability", cond(`{"type": "probability", "field": "x", "value": 0.5}`), "conditions[0].field: a probability condition takes no field"},
		{"ip", cond(`{"type": "ip", "value": "10.0.0.0/33"}`), "conditions[0].value: want an IP address or a CIDR"},
		{"method", cond(`{"type": "method", "value": "P UT"}`), "conditions[0].value: want an HTTP method"},
		{"attempt", cond(`{"type": "attempt", "operator": "at_least", "value": 2}`), "conditions[0].operator: unsupported operator"},
		{"time value", cond(`{"type": "time", "value": {"start": "yesterday"}}`), "conditions[0].value.start: want an RFC 3339 time"},
		{"time empty", cond(`{"type": "time", "value": {}}`), "conditions[0].value: want a start, an end or both"},
		{"time order", cond(`{"type": "time", "value": {"start": "2026-01-02T00:00:00Z", "end": "2026-01-01T00:00:00Z"}}`), "conditions[0].value: the window ends"},
		{"time and schedule", `{"schedule": {"start": "2026-01-01T00:00:00Z"}, "conditions": [{"type": "time", "operator": "after", "value": "2026-01-02T00:00:00Z"}], "action": {"type": "http_error"}}`,
			"conditions[0]: a second start time"},
		{"schedule day", rule(`"schedule": {"days": ["monday", "funday"]}`), `schedule.days[1]: unknown day "funday"`},
		{"schedule hour", rule(`"schedule": {"from_hour": 24}`), "schedule.from_hour: 24 is not an hour"},
		{"schedule zone", rule(`"schedule": {"timezone": "Mars/Olympus"}`), `schedule.timezone: unknown time zone "Mars/Olympus"`},
		{"schedule field", rule(`"schedule": {"weekdays": ["monday"]}`), "schedule.weekdays: unknown field"},
		{"schedule order", rule(`"schedule": {"start": "2026-01-02T00:00:00Z", "end": "2026-01-01T00:00:00Z"}`), "schedule.end:"},
		{"trailing data", rule("") + "{}", "invalid JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseOne([]byte(tt.json))
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) && !strings.Contains(err.Error(), tt.want) {
				t.Errorf("parseOne(%s) = %v, want an error starting %q", tt.json, err, tt.want)
			}
		})
	}
}

func TestParseRules(t *testing.T) {
	tests := []struct {
		name      string
		json      string
		wantNames []string
		wantErr   string
	}{
		{"one object", seedErrorRule, []string{"Storage Random Error"}, ""},
		{"array", "[" + seedErrorRule + ", " + seedDelayRule + "]", []string{"Storage Random Error", "Metadata Delay"}, ""},
		{"wrapper", `{"rules": [` + seedDelayRule + `]}`, []string{"Metadata Delay"}, ""},
		{"empty array", `[]`, []string{}, ""},
		{"error in array names the index", "[" + seedErrorRule + `, {"action": {"type": "nope"}}]`, nil, "[1].action.type: unknown action type"},
		{"error in wrapper names the path", `{"rules": [{"action": {"type": "delay", "delay": "x"}}]}`, nil, "rules[0].action.delay:"},
		{"wrapper with extra field", `{"rules": [], "count": 0}`, nil, "count: unknown field"},
		{"wrapper not a list", `{"rules": {}}`, nil, "rules: want an array of rules"},
		{"scalar", `42`, nil, "want a rule object, an array of rules"},
		{"array of scalars", `[1]`, nil, "[0]: want an object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rules, err := ParseRules([]byte(tt.json))
			if tt.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
					t.Errorf("ParseRules = %v, want an error starting %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseRules = %v", err)
			}
			names := []string{}
			for _, r := range rules {
				names = append(names, r.Name)
			}
			if diff := cmp.Diff(tt.wantNames, names); diff != "" {
				t.Errorf("ParseRules names (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMarshalRule(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	full := Rule{
		Name: "everything", Description: "d", Service: "gateway", Operation: "GetObject", Method: "GET",
		Bucket: "b*", Key: `a\*b`, Header: map[string]string{"X-A": "*", "X-B": "*mid*", "X-C": "p*", "X-D": "*s", "X-E": "[ab]?"},
		Query: map[string]string{"partNumber": "2"}, Attempt: 1, AttemptAtMost: 3, UserAgent: "*sdk*", ClientIP: "::1",
		Probability: 0.25, After: 1, Times: 2, EveryNth: 3, MaxTriggers: 4, Disabled: true, Priority: -2,
		Schedule: &Schedule{Start: time.Date(2026, 1, 1, 0, 0, 0, 5, time.UTC), Days: []time.Weekday{time.Sunday, time.Saturday},
			FromHour: 22, ToHour: 2, Location: paris},
		Action: Action{Kind: "delay", Delay: 1500 * time.Microsecond, MaxDelay: time.Hour + time.Nanosecond, BeforeBody: true},
	}
	roundTrip(t, full)
	roundTrip(t, Rule{Service: "gateway", Action: ErrorCode("SlowDown")})
	roundTrip(t, Rule{Service: "storage", Operation: "Write", Action: FailWrite()})
}

func TestRuleUnmarshalJSONIsStrict(t *testing.T) {
	var cfg struct{ Rules []Rule }
	err := json.Unmarshal([]byte(`{"Rules": [{"action": {"type": "delay", "delay": "1s", "extra": 1}}]}`), &cfg)
	if err == nil || !strings.Contains(err.Error(), "action.extra: unknown field") {
		t.Errorf("json.Unmarshal = %v, want an unknown field error for action.extra", err)
	}
	if err := json.Unmarshal([]byte(`{"Rules": [`+seedDelayRule+`]}`), &cfg); err != nil || cfg.Rules[0].Action.Delay != 2*time.Second {
		t.Errorf("json.Unmarshal = %v, %+v, want the seed's delay rule", err, cfg.Rules)
	}
}

func FuzzParseRules(f *testing.F) {
	for _, s := range []string{
		seedErrorRule, seedDelayRule, "[" + seedErrorRule + "]", `{"rules": [` + seedDelayRule + `]}`,
		cond(`{"type": "header", "field": "X-A", "operator": "contains", "value": "a*b"}`, `{"type": "count", "operator": "every", "value": 2}`),
		cond(`{"type": "key", "operator": "suffix", "value": ".jpg"}`, `{"type": "ip", "value": "10.0.0.0/8"}`, `{"type": "attempt", "value": 1}`),
		cond(`{"type": "time", "value": {"start": "2026-01-02T15:04:05.5+02:00"}}`, `{"type": "param", "field": "p", "value": "[a-c]\\*"}`),
		`{"schedule": {"days": ["mon"], "from_hour": 3, "timezone": "UTC"}, "action": {"type": "slow_close", "delay": 12.25}}`,
		`{"service": "metadata-service", "operation": "Get", "action": {"type": "stale_read"}}`,
		`{"action": {"type": "http_error", "code": "SlowDown", "headers": {"Retry-After": "1"}}}`,
		`{"action": {"type": "delay", "max_delay": "3ms"}}`,
		`{"id": null, "enabled": false, "conditions": [{"type": "time", "value": {"end": "2030-01-01T00:00:00Z"}}], "action": {"type": "timeout"}, "hits": 2}`,
		`[{"action": {"type": "lose_write"}, "service": "storage", "role_operation": "Write", "operation": "PutObject"}, {"action": null}]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rules, err := ParseRules(data)
		if err != nil {
			return
		}
		for _, r := range rules {
			roundTrip(t, r)
		}
		out, err := json.Marshal(rules)
		if err != nil {
			t.Fatalf("json.Marshal(rules) = %v", err)
		}
		back, err := ParseRules(out)
		if err != nil {
			t.Fatalf("ParseRules(%s) = %v", out, err)
		}
		if diff := cmp.Diff(rules, back, ruleCmp); diff != "" {
			t.Errorf("ParseRules(%s) (-want +got):\n%s", out, diff)
		}
	})
}
