package faults

// The seed's JSON rule format, as its README posts it to /api/v1/rules:
//
//	{
//	  "name": "Storage Random Error",
//	  "description": "10% chance of 500 error",
//	  "service": "storage-service",
//	  "enabled": true,
//	  "conditions": [{"type": "probability", "value": 0.1}],
//	  "action": {"type": "http_error", "http_code": 500, "message": "Internal server error injected"}
//	}
//
// A document decodes strictly (see decodeObject) into the wire structs
// below, which then become a Rule: the conditions through the table in
// json_conditions.go, the action and schedule here. Every error names the
// field's path ("conditions[0].value: …").

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/mocks3/mocks3/internal/faultname"
	"github.com/mocks3/mocks3/s3api"
)

// ParseRules parses rules in the seed's JSON format: a single rule object,
// an array of them, or {"rules": [...]}, the shape GET /api/v1/rules
// answers with. A rule object has these fields:
//
//	name, description   strings
//	service             "gateway" (default), "metadata", "storage", "queue",
//	                    "third-party", or the seed's "storage-service", …
//	operation           S3 operation ("PutObject", exactly as AWS spells
//	                    it) or, on a role service, one of the role's
//	                    operations ("Write"), as role_operation
//	role_operation      the role's operation ("Write", "Read", "GetObject");
//	                    see Rule.RoleOp
//	enabled             default true
//	priority            integer; higher first
//	max_triggers        integer ≥ 0; 0 means no cap
//	conditions          [{type, operator, field, value}], all must hold
//	action              {type, http_code, code, message, headers, body,
//	                    delay, max_delay, before_body, bytes, bytes_per_second}
//	schedule            {start, end, days, from_hour, to_hour, timezone}
//	id, hits, matches   written by the API; ignored when read
//
// The condition types (operator "" means the first one listed):
//
//	type         field   operator                    value
//	probability  -       -                           number in (0, 1]
//	count        -       first | after | every       integer ≥ 1 (Times, After, EveryNth)
//	header       name    glob | equals | prefix |    string (none for exists)
//	                     suffix | contains | exists
//	param        name    as header                   string (a query parameter)
//	user_agent   -       as header, without exists   string
//	bucket, key  -       as user_agent               string
//	node         -       as user_agent               string (a storage node, "storage-2")
//	access_key   -       as user_agent               string (the access key ID the request is signed with)
//	method       -       equals                      HTTP method
//	ip           -       equals | in                 IP or CIDR
//	attempt      -       equals | at_most            integer ≥ 1 (the SDK's attempt number)
//	time         -       between | after | before    {"start", "end"} RFC 3339 (either may
//	                                                 be absent); a string for after/before
//
// glob is the rules' own matching: * matches any run of characters ("/"
// included), ? one, [a-z] a class, \ escapes; a value without those matches
// exactly. A time condition sets the schedule's start and end.
//
// The action types are those of Action.Kind: http_error, delay, timeout (hang),
// network_error (reset), disconnect, truncate, corruption, slow_body,
// slow_close, storage_error, database_error, lose_write, corrupt_stored,
// stale_read. delay and max_delay are a Go duration ("2s", "150ms") or a
// number of milliseconds.
//
// The schedule's start and end are RFC 3339 times, days are weekday names
// ("monday" or "mon"), the hours a window [from_hour, to_hour) that may
// cross midnight, timezone an IANA name (default UTC).
func ParseRules(data []byte) ([]Rule, error) {
	rules, _, err := parseRulesDoc(data)
	return rules, err
}

// UnmarshalJSON parses one rule in the seed's JSON format (see ParseRules).
func (r *Rule) UnmarshalJSON(data []byte) error {
	rule, _, err := parseRule("", data)
	if err != nil {
		return err
	}
	*r = rule
	return nil
}

// MarshalJSON writes the rule in the seed's JSON format; ParseRules reads
// it back to an equal rule.
func (r Rule) MarshalJSON() ([]byte, error) {
	w, err := r.toJSON()
	if err != nil {
		return nil, err
	}
	return json.Marshal(w)
}

// parseRulesDoc parses a document of rules; single reports whether it was
// one rule object rather than a list.
func parseRulesDoc(data []byte) (rules []Rule, single bool, err error) {
	if err := checkJSON(data); err != nil {
		return nil, false, err
	}
	switch firstByte(data) {
	case '[':
		rules, err := parseRuleList("", data)
		return rules, false, err
	case '{':
		var m map[string]json.RawMessage
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, false, fmt.Errorf("want an object: %v", err)
		}
		if raw, ok := m["rules"]; ok {
			for _, k := range sortedKeys(m) {
				if k != "rules" {
					return nil, false, fmt.Errorf("%s: unknown field (a rule list has only \"rules\")", k)
				}
			}
			rules, err := parseRuleList("rules", raw)
			return rules, false, err
		}
		r, _, err := parseRule("", data)
		if err != nil {
			return nil, true, err
		}
		return []Rule{r}, true, nil
	}
	return nil, false, errors.New(`want a rule object, an array of rules or {"rules": [...]}`)
}

func parseRuleList(path string, raw json.RawMessage) ([]Rule, error) {
	var items []json.RawMessage
	if firstByte(raw) != '[' || json.Unmarshal(raw, &items) != nil {
		return nil, pathErr(path, "want an array of rules")
	}
	rules := make([]Rule, 0, len(items))
	for i, item := range items {
		r, _, err := parseRule(index(path, i), item)
		if err != nil {
			return nil, err
		}
		rules = append(rules, r)
	}
	return rules, nil
}

// ruleJSON and the types below are the wire form: what ParseRules decodes
// (strictly, by decodeObject: json names the field, want says what a
// value of the wrong type should have been) and MarshalJSON writes.
type ruleJSON struct {
	ID          string          `json:"id,omitempty" want:"a string"`
	Name        string          `json:"name,omitempty" want:"a string"`
	Description string          `json:"description,omitempty" want:"a string"`
	Service     Service         `json:"service" want:"a string"`
	Operation   string          `json:"operation,omitempty" want:"a string"`
	RoleOp      string          `json:"role_operation,omitempty" want:"a string"`
	Enabled     *bool           `json:"enabled" want:"true or false"`
	Priority    int             `json:"priority" want:"an integer"`
	MaxTriggers int             `json:"max_triggers,omitempty" want:"an integer ≥ 0"`
	Conditions  []conditionJSON `json:"conditions,omitempty" want:"an array of conditions"`
	Action      *actionJSON     `json:"action"`
	Schedule    *scheduleJSON   `json:"schedule,omitempty"`
	Hits        *int            `json:"hits,omitempty" want:"an integer"`
	Matches     *int            `json:"matches,omitempty" want:"an integer"`
}

type conditionJSON struct {
	Type     string          `json:"type" want:"a string"`
	Operator string          `json:"operator,omitempty" want:"a string"`
	Field    string          `json:"field,omitempty" want:"a string"`
	Value    json.RawMessage `json:"value,omitempty"` // its type depends on Type
}

type actionJSON struct {
	Type           string            `json:"type" want:"a string"`
	HTTPCode       int               `json:"http_code,omitempty" want:"an integer"`
	Code           s3api.ErrorCode   `json:"code,omitempty" want:"a string"`
	Message        string            `json:"message,omitempty" want:"a string"`
	Headers        map[string]string `json:"headers,omitempty" want:"an object of strings"`
	Body           string            `json:"body,omitempty" want:"a string"`
	Delay          json.RawMessage   `json:"delay,omitempty"` // a duration string or milliseconds
	MaxDelay       json.RawMessage   `json:"max_delay,omitempty"`
	BeforeBody     bool              `json:"before_body,omitempty" want:"true or false"`
	Bytes          int64             `json:"bytes,omitempty" want:"an integer ≥ 0"`
	BytesPerSecond int64             `json:"bytes_per_second,omitempty" want:"an integer ≥ 1"`
}

type scheduleJSON struct {
	Start    string   `json:"start,omitempty" want:"an RFC 3339 time such as \"2026-01-02T15:04:05Z\""`
	End      string   `json:"end,omitempty" want:"an RFC 3339 time such as \"2026-01-02T15:04:05Z\""`
	Days     []string `json:"days,omitempty" want:"an array of weekday names"`
	FromHour int      `json:"from_hour,omitempty" want:"an hour 0-23"`
	ToHour   int      `json:"to_hour,omitempty" want:"an hour 0-24"`
	Timezone string   `json:"timezone,omitempty" want:"a time zone name such as \"Europe/Paris\""`
}

// parseRule decodes one rule at path and checks it as Add does.
func parseRule(path string, raw json.RawMessage) (Rule, string, error) {
	var w ruleJSON
	if err := decodeObject(path, raw, &w); err != nil {
		return Rule{}, "", err
	}
	r := Rule{Name: w.Name, Description: w.Description, Operation: s3api.Operation(w.Operation),
		RoleOp: w.RoleOp, Priority: w.Priority, MaxTriggers: w.MaxTriggers}
	r.Disabled = w.Enabled != nil && !*w.Enabled
	svc, err := faultname.ParseService(string(w.Service))
	r.Service = Service(svc)
	if err != nil {
		return r, "", pathErr(join(path, "service"), "%v", err)
	}
	if r.MaxTriggers < 0 {
		return r, "", pathErr(join(path, "max_triggers"), "want an integer ≥ 0, not %d", r.MaxTriggers)
	}
	if w.Schedule != nil {
		if r.Schedule, err = parseSchedule(join(path, "schedule"), w.Schedule); err != nil {
			return r, "", err
		}
	}
	seen := map[string]bool{}
	for i, c := range w.Conditions {
		if err := parseCondition(index(join(path, "conditions"), i), c, &r, seen); err != nil {
			return r, "", err
		}
	}
	if w.Action == nil {
		return r, "", pathErr(join(path, "action"), "missing: a rule needs an action")
	}
	if r.Action, err = parseAction(join(path, "action"), w.Action); err != nil {
		return r, "", err
	}
	// The engine's own checks, such as which actions a service allows.
	if err := r.validate(); err != nil {
		if path != "" {
			return r, "", fmt.Errorf("%s.%v", path, err)
		}
		return r, "", err
	}
	return r, w.ID, nil
}

func parseAction(path string, w *actionJSON) (Action, error) {
	a := Action{Kind: w.Type, Status: w.HTTPCode, Code: w.Code, Message: w.Message, Header: w.Headers,
		Body: w.Body, BeforeBody: w.BeforeBody, Bytes: w.Bytes, BytesPerSecond: w.BytesPerSecond}
	if a.Kind == "" {
		return a, pathErr(join(path, "type"), "missing (want %s)", kindList())
	}
	if !slices.Contains(faultname.Kinds(), a.Kind) {
		return a, pathErr(join(path, "type"), "unknown action type %q (want %s)", a.Kind, kindList())
	}
	if a.Status != 0 && (a.Status < 300 || a.Status > 599) {
		return a, pathErr(join(path, "http_code"), "%d is not an error status (want 300-599)", a.Status)
	}
	if a.Code != "" && !validCode(string(a.Code)) {
		return a, pathErr(join(path, "code"), "%q is not an S3 error code such as \"SlowDown\"", a.Code)
	}
	if a.Status == 0 && a.Code != "" && a.Code.Message() == "" {
		// A code of the rule's own, outside S3's table: it has always
		// answered 500, which the Go API asks to be said.
		a.Status = a.Code.Status()
	}
	for _, k := range sortedKeys(a.Header) {
		if !validToken(k) {
			return a, pathErr(join(path, "headers"), "%q is not a valid header name", k)
		}
		if strings.ContainsAny(a.Header[k], "\r\n\x00") {
			return a, pathErr(join(path, "headers", k), "a header value cannot hold CR, LF or NUL")
		}
	}
	if len(a.Header) == 0 {
		a.Header = nil
	}
	var err error
	if a.Delay, err = parseDuration(join(path, "delay"), w.Delay); err != nil {
		return a, err
	}
	if a.MaxDelay, err = parseDuration(join(path, "max_delay"), w.MaxDelay); err != nil {
		return a, err
	}
	if a.MaxDelay != 0 && a.MaxDelay < a.Delay {
		return a, pathErr(join(path, "max_delay"), "%v is less than delay %v", a.MaxDelay, a.Delay)
	}
	if (a.Kind == faultname.KindDelay || a.Kind == faultname.KindSlowClose) && a.Delay == 0 && a.MaxDelay == 0 {
		return a, pathErr(join(path, "delay"), "missing: %s needs a positive delay such as \"2s\"", a.Kind)
	}
	if a.Bytes < 0 {
		return a, pathErr(join(path, "bytes"), "want an integer ≥ 0")
	}
	if a.BytesPerSecond < 0 || a.Kind == faultname.KindSlowBody && a.BytesPerSecond == 0 {
		return a, pathErr(join(path, "bytes_per_second"), "want an integer ≥ 1")
	}
	return a, nil
}

func kindList() string {
	return strings.Join(faultname.Kinds(), ", ")
}

var weekdays = []string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}

func parseSchedule(path string, w *scheduleJSON) (*Schedule, error) {
	s := &Schedule{FromHour: w.FromHour, ToHour: w.ToHour}
	var err error
	if s.Start, err = parseTime(join(path, "start"), w.Start); err != nil {
		return nil, err
	}
	if s.End, err = parseTime(join(path, "end"), w.End); err != nil {
		return nil, err
	}
	if !s.Start.IsZero() && !s.End.IsZero() && !s.Start.Before(s.End) {
		return nil, pathErr(join(path, "end"), "%s is not after start %s", s.End.Format(time.RFC3339), s.Start.Format(time.RFC3339))
	}
	for i, d := range w.Days {
		n := slices.IndexFunc(weekdays, func(wd string) bool {
			l := strings.ToLower(d)
			return l == wd || l == wd[:3]
		})
		if n < 0 {
			return nil, pathErr(index(join(path, "days"), i), "unknown day %q (want monday … sunday, or mon … sun)", d)
		}
		s.Days = append(s.Days, time.Weekday(n))
	}
	if s.FromHour < 0 || s.FromHour > 23 {
		return nil, pathErr(join(path, "from_hour"), "%d is not an hour 0-23", s.FromHour)
	}
	if s.ToHour < 0 || s.ToHour > 24 {
		return nil, pathErr(join(path, "to_hour"), "%d is not an hour 0-24", s.ToHour)
	}
	if w.Timezone != "" {
		if s.Location, err = time.LoadLocation(w.Timezone); err != nil {
			return nil, pathErr(join(path, "timezone"), "unknown time zone %q", w.Timezone)
		}
	}
	return s, nil
}

// parseTime parses an RFC 3339 time; "" is the zero time.
func parseTime(path, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, pathErr(path, "want an RFC 3339 time such as \"2026-01-02T15:04:05Z\": %v", err)
	}
	return t, nil
}

// parseDuration parses a Go duration string or a number of milliseconds;
// absent is 0.
func parseDuration(path string, raw json.RawMessage) (time.Duration, error) {
	if len(raw) == 0 || isNull(raw) {
		return 0, nil
	}
	const want = "want a duration such as \"2s\" or \"150ms\", or a number of milliseconds"
	var d time.Duration
	var s string
	var ms float64
	switch {
	case json.Unmarshal(raw, &s) == nil:
		var err error
		if d, err = time.ParseDuration(s); err != nil {
			return 0, pathErr(path, "%s: %v", want, err)
		}
	case json.Unmarshal(raw, &ms) == nil:
		ns := math.Round(ms * float64(time.Millisecond))
		if ns >= math.MaxInt64 || ns < 0 {
			return 0, pathErr(path, "%s ≥ 0 and within Go's range", want)
		}
		d = time.Duration(ns)
	default:
		return 0, pathErr(path, "%s", want)
	}
	if d < 0 {
		return 0, pathErr(path, "%v is negative", d)
	}
	return d, nil
}

func validToken(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return true
}

func validCode(s string) bool {
	for i, c := range []byte(s) {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && (c >= '0' && c <= '9' || c == '.')) {
			return false
		}
	}
	return s != ""
}
