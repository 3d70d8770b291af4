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
// Decoding is strict: an unknown field, a value of the wrong type or out of
// range is an error naming the field's path ("conditions[0].value: …").

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mocks3/mocks3/s3api"
)

// ParseRule parses one rule in the seed's JSON format:
//
//	name, description   strings
//	service             "gateway" (default), "metadata", "storage", "queue",
//	                    "third-party", or the seed's "storage-service", …
//	operation           S3 operation ("PutObject", exactly as AWS spells
//	                    it) or, on a role service, one of the role's
//	                    operations ("Write"), as role_operation
//	role_operation      the role's operation ("Write", "Read", "GetObject");
//	                    see RoleOp
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
// The action types are the Kind values: http_error, delay, timeout (hang),
// network_error (reset), disconnect, truncate, corruption, slow_body,
// slow_close, storage_error, database_error, lose_write, corrupt_stored,
// stale_read. delay and max_delay are a Go duration ("2s", "150ms") or a
// number of milliseconds.
//
// The schedule's start and end are RFC 3339 times, days are weekday names
// ("monday" or "mon"), the hours a window [from_hour, to_hour) that may
// cross midnight, timezone an IANA name (default UTC).
func ParseRule(data []byte) (Rule, error) {
	r, _, err := parseRuleDoc(data)
	return r, err
}

// ParseRules parses rules in the seed's JSON format (see ParseRule): a
// single rule object, an array of them, or {"rules": [...]}, the shape
// GET /api/v1/rules answers with.
func ParseRules(data []byte) ([]Rule, error) {
	rules, _, err := parseRulesDoc(data)
	return rules, err
}

// UnmarshalJSON parses a rule in the seed's JSON format, as ParseRule does.
func (r *Rule) UnmarshalJSON(data []byte) error {
	rule, _, err := parseRule("", data)
	if err != nil {
		return err
	}
	*r = rule
	return nil
}

// MarshalJSON writes the rule in the seed's JSON format; ParseRule reads it
// back to an equal rule.
func (r Rule) MarshalJSON() ([]byte, error) {
	w, err := r.toJSON()
	if err != nil {
		return nil, err
	}
	return json.Marshal(w)
}

// MarshalJSON writes the rule in the seed's JSON format with its ID and
// counters: "id", "hits" (triggers) and "matches".
func (ri RuleInfo) MarshalJSON() ([]byte, error) {
	w, err := ri.Rule.toJSON()
	if err != nil {
		return nil, err
	}
	w.ID = ri.ID
	w.Hits, w.Matches = &ri.Triggers, &ri.Matches
	return json.Marshal(w)
}

// parseRuleDoc parses a document holding one rule, returning also the "id"
// it names, if any.
func parseRuleDoc(data []byte) (Rule, string, error) {
	if err := checkJSON(data); err != nil {
		return Rule{}, "", err
	}
	return parseRule("", data)
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
	if firstByte(raw) != '[' {
		return nil, pathErr(path, "want an array of rules")
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
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

// checkJSON reports malformed JSON with the byte offset where it breaks.
func checkJSON(data []byte) error {
	if json.Valid(data) {
		return nil
	}
	var v any
	err := json.Unmarshal(data, &v)
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("invalid JSON at byte %d: %v", se.Offset, err)
	}
	return fmt.Errorf("invalid JSON: %v", err)
}

var (
	ruleFields      = []string{"id", "name", "description", "service", "operation", "role_operation", "enabled", "priority", "max_triggers", "conditions", "action", "schedule", "hits", "matches"}
	conditionFields = []string{"type", "operator", "field", "value"}
	actionFields    = []string{"type", "http_code", "code", "message", "headers", "body", "delay", "max_delay", "before_body", "bytes", "bytes_per_second"}
	scheduleFields  = []string{"start", "end", "days", "from_hour", "to_hour", "timezone"}
	timeFields      = []string{"start", "end"}
)

func parseRule(path string, raw json.RawMessage) (Rule, string, error) {
	var r Rule
	o, err := newObject(path, raw, ruleFields)
	if err != nil {
		return r, "", err
	}
	var id, service, operation, roleOp string
	var hits, matches int
	enabled := true
	err = errors.Join(
		o.get("id", &id, "a string"),
		o.get("hits", &hits, "an integer"),
		o.get("matches", &matches, "an integer"),
		o.get("name", &r.Name, "a string"),
		o.get("description", &r.Description, "a string"),
		o.get("service", &service, "a string"),
		o.get("operation", &operation, "a string"),
		o.get("role_operation", &roleOp, "a string"),
		o.get("enabled", &enabled, "true or false"),
		o.get("priority", &r.Priority, "an integer"),
		o.get("max_triggers", &r.MaxTriggers, "an integer ≥ 0"),
	)
	if err != nil {
		return r, "", firstErr(err)
	}
	r.Disabled = !enabled
	r.Operation, r.RoleOp = s3api.Operation(operation), RoleOp(roleOp)
	if r.Service, err = ParseService(service); err != nil {
		return r, "", pathErr(join(path, "service"), "%v", err)
	}
	if r.MaxTriggers < 0 {
		return r, "", pathErr(join(path, "max_triggers"), "want an integer ≥ 0, not %d", r.MaxTriggers)
	}
	if raw, ok := o.raw("schedule"); ok {
		if r.Schedule, err = parseSchedule(join(path, "schedule"), raw); err != nil {
			return r, "", err
		}
	}
	if raw, ok := o.raw("conditions"); ok {
		cpath := join(path, "conditions")
		var conds []json.RawMessage
		if firstByte(raw) != '[' || json.Unmarshal(raw, &conds) != nil {
			return r, "", pathErr(cpath, "want an array of conditions")
		}
		seen := map[string]bool{}
		for i, c := range conds {
			if err := parseCondition(index(cpath, i), c, &r, seen); err != nil {
				return r, "", err
			}
		}
	}
	araw, ok := o.raw("action")
	if !ok {
		return r, "", pathErr(join(path, "action"), "missing: a rule needs an action")
	}
	if r.Action, err = parseAction(join(path, "action"), araw); err != nil {
		return r, "", err
	}
	// The engine's own checks, such as which actions a service allows.
	if err := r.validate(); err != nil {
		if path != "" {
			return r, "", fmt.Errorf("%s.%v", path, err)
		}
		return r, "", err
	}
	return r, id, nil
}

// matchOps are the operators of the string conditions.
var matchOps = []string{"glob", "equals", "prefix", "suffix", "contains", "exists"}

func parseCondition(path string, raw json.RawMessage, r *Rule, seen map[string]bool) error {
	o, err := newObject(path, raw, conditionFields)
	if err != nil {
		return err
	}
	var typ, op, field string
	if err := firstErr(errors.Join(o.get("type", &typ, "a string"), o.get("operator", &op, "a string"), o.get("field", &field, "a string"))); err != nil {
		return err
	}
	value, hasValue := o.raw("value")
	opPath, valuePath, fieldPath := join(path, "operator"), join(path, "value"), join(path, "field")
	badOp := func(want ...string) error {
		if op == "regex" || op == "matches" {
			return pathErr(opPath, "%q is not supported: use glob (* any run, ? one character) or one of %s", op, strings.Join(want, ", "))
		}
		return pathErr(opPath, "unsupported operator %q for %s (want %s)", op, typ, strings.Join(want, ", "))
	}
	switch typ {
	case "header", "param":
		if field == "" {
			return pathErr(fieldPath, "missing: a %s condition names the %s", typ, map[string]string{"header": "header", "param": "query parameter"}[typ])
		}
		if typ == "header" && !validToken(field) {
			return pathErr(fieldPath, "%q is not a valid header name", field)
		}
	case "":
		return pathErr(join(path, "type"), "missing (want probability, count, header, param, user_agent, ip, time, method, bucket, key, node or attempt)")
	default:
		if field != "" {
			return pathErr(fieldPath, "a %s condition takes no field", typ)
		}
	}
	// once rejects a second condition setting the same thing.
	once := func(key string) error {
		if seen[key] {
			return pathErr(path, "a second %s condition; combine them into one", strings.ReplaceAll(key, "\x00", " "))
		}
		seen[key] = true
		return nil
	}
	switch typ {
	case "probability":
		if op != "" {
			return badOp("no operator")
		}
		var p float64
		if !hasValue || json.Unmarshal(value, &p) != nil || p < 0 || p > 1 {
			return pathErr(valuePath, "probability must be a number between 0 and 1")
		}
		if p == 0 {
			return pathErr(valuePath, `probability 0 never triggers: set "enabled": false instead`)
		}
		if err := once(typ); err != nil {
			return err
		}
		r.Probability = p
	case "count":
		if op == "" {
			op = "first"
		}
		dst := map[string]*int{"first": &r.Times, "after": &r.After, "every": &r.EveryNth}[op]
		if dst == nil {
			return badOp("first", "after", "every")
		}
		n, err := positiveInt(valuePath, value, hasValue)
		if err != nil {
			return err
		}
		if err := once(typ + "\x00" + op); err != nil {
			return err
		}
		*dst = n
	case "attempt":
		dst := map[string]*int{"": &r.Attempt, "equals": &r.Attempt, "at_most": &r.AttemptAtMost}[op]
		if dst == nil {
			return badOp("equals", "at_most")
		}
		n, err := positiveInt(valuePath, value, hasValue)
		if err != nil {
			return err
		}
		if op == "" {
			op = "equals"
		}
		if err := once(typ + "\x00" + op); err != nil {
			return err
		}
		*dst = n
	case "header", "param", "user_agent", "bucket", "key", "node":
		ops := matchOps
		if typ != "header" && typ != "param" {
			ops = ops[:len(ops)-1] // without exists: these are always present
		}
		if op != "" && !slices.Contains(ops, op) {
			return badOp(ops...)
		}
		pattern, err := parseMatch(valuePath, op, value, hasValue)
		if err != nil {
			return err
		}
		switch typ {
		case "header":
			if err := once("header\x00" + strings.ToLower(field)); err != nil {
				return err
			}
			if r.Header == nil {
				r.Header = map[string]string{}
			}
			r.Header[field] = pattern
		case "param":
			if err := once("param\x00" + field); err != nil {
				return err
			}
			if r.Query == nil {
				r.Query = map[string]string{}
			}
			r.Query[field] = pattern
		default:
			if err := once(typ); err != nil {
				return err
			}
			*map[string]*string{"user_agent": &r.UserAgent, "bucket": &r.Bucket, "key": &r.Key, "node": &r.Node}[typ] = pattern
		}
	case "method":
		if op != "" && op != "equals" {
			return badOp("equals")
		}
		var m string
		if !hasValue || json.Unmarshal(value, &m) != nil || !validToken(m) {
			return pathErr(valuePath, "want an HTTP method such as \"PUT\"")
		}
		if err := once(typ); err != nil {
			return err
		}
		r.Method = strings.ToUpper(m)
	case "ip":
		if op != "" && op != "equals" && op != "in" {
			return badOp("equals", "in")
		}
		var s string
		if !hasValue || json.Unmarshal(value, &s) != nil {
			return pathErr(valuePath, "want an IP address or a CIDR such as \"10.0.0.0/8\"")
		}
		if _, err := parseIPMatcher(s); err != nil {
			return pathErr(valuePath, "want an IP address or a CIDR such as \"10.0.0.0/8\": %v", err)
		}
		if err := once(typ); err != nil {
			return err
		}
		r.ClientIP = s
	case "time":
		return parseTimeCondition(path, op, value, hasValue, r, badOp)
	default:
		return pathErr(join(path, "type"), "unknown condition type %q (want probability, count, header, param, user_agent, ip, time, method, bucket, key, node or attempt)", typ)
	}
	return nil
}

// parseTimeCondition sets the rule's schedule start and end from a time
// condition.
func parseTimeCondition(path, op string, value json.RawMessage, hasValue bool, r *Rule, badOp func(...string) error) error {
	valuePath := join(path, "value")
	var start, end time.Time
	switch op {
	case "", "between":
		if !hasValue {
			return pathErr(valuePath, `want {"start": RFC 3339 time, "end": RFC 3339 time}`)
		}
		o, err := newObject(valuePath, value, timeFields)
		if err != nil {
			return err
		}
		if start, err = o.time("start"); err != nil {
			return err
		}
		if end, err = o.time("end"); err != nil {
			return err
		}
		if start.IsZero() && end.IsZero() {
			return pathErr(valuePath, "want a start, an end or both")
		}
	case "after", "before":
		var s string
		if !hasValue || json.Unmarshal(value, &s) != nil {
			return pathErr(valuePath, "want an RFC 3339 time such as \"2026-01-02T15:04:05Z\"")
		}
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return pathErr(valuePath, "want an RFC 3339 time such as \"2026-01-02T15:04:05Z\": %v", err)
		}
		if op == "after" {
			start = t
		} else {
			end = t
		}
	default:
		return badOp("between", "after", "before")
	}
	if r.Schedule == nil {
		r.Schedule = &Schedule{}
	}
	s := r.Schedule
	if !start.IsZero() {
		if !s.Start.IsZero() {
			return pathErr(path, "a second start time (schedule.start or another time condition)")
		}
		s.Start = start
	}
	if !end.IsZero() {
		if !s.End.IsZero() {
			return pathErr(path, "a second end time (schedule.end or another time condition)")
		}
		s.End = end
	}
	if !s.Start.IsZero() && !s.End.IsZero() && !s.Start.Before(s.End) {
		return pathErr(valuePath, "the window ends (%v) before it starts (%v)", s.End.Format(time.RFC3339), s.Start.Format(time.RFC3339))
	}
	return nil
}

// parseMatch turns a string operator and its value into a glob.
func parseMatch(path, op string, value json.RawMessage, hasValue bool) (string, error) {
	if op == "exists" {
		if hasValue {
			return "", pathErr(path, "exists takes no value")
		}
		return "*", nil
	}
	var v string
	if !hasValue || json.Unmarshal(value, &v) != nil {
		return "", pathErr(path, "want a string")
	}
	if v == "" {
		return "", pathErr(path, "want a non-empty string (exists tests presence)")
	}
	switch op {
	case "", "glob":
		if !validGlob(v) {
			return "", pathErr(path, "bad glob %q", v)
		}
		return v, nil
	case "equals":
		return escapeGlob(v), nil
	case "prefix":
		return escapeGlob(v) + "*", nil
	case "suffix":
		return "*" + escapeGlob(v), nil
	default: // contains
		return "*" + escapeGlob(v) + "*", nil
	}
}

func positiveInt(path string, value json.RawMessage, hasValue bool) (int, error) {
	var n int
	if !hasValue || json.Unmarshal(value, &n) != nil || n < 1 {
		return 0, pathErr(path, "want an integer ≥ 1")
	}
	return n, nil
}

// kinds are the action types, in the order error messages list them.
var kinds = []Kind{KindError, KindDelay, KindHang, KindReset, KindClose, KindTruncate, KindCorrupt, KindSlowBody,
	KindSlowClose, KindFailWrite, KindDatabaseError, KindLoseWrite, KindCorruptStored, KindStaleRead}

func parseAction(path string, raw json.RawMessage) (Action, error) {
	var a Action
	o, err := newObject(path, raw, actionFields)
	if err != nil {
		return a, err
	}
	var typ, code string
	err = errors.Join(
		o.get("type", &typ, "a string"),
		o.get("http_code", &a.Status, "an integer"),
		o.get("code", &code, "a string"),
		o.get("message", &a.Message, "a string"),
		o.get("headers", &a.Header, "an object of strings"),
		o.get("body", &a.Body, "a string"),
		o.get("before_body", &a.BeforeBody, "true or false"),
		o.get("bytes", &a.Bytes, "an integer ≥ 0"),
		o.get("bytes_per_second", &a.BytesPerSecond, "an integer ≥ 1"),
	)
	if err != nil {
		return a, firstErr(err)
	}
	a.Kind = Kind(typ)
	if typ == "" {
		return a, pathErr(join(path, "type"), "missing (want %s)", kindList())
	}
	if !slices.Contains(kinds, a.Kind) {
		return a, pathErr(join(path, "type"), "unknown action type %q (want %s)", typ, kindList())
	}
	if a.Status != 0 && (a.Status < 300 || a.Status > 599) {
		return a, pathErr(join(path, "http_code"), "%d is not an error status (want 300-599)", a.Status)
	}
	if code != "" && !validCode(code) {
		return a, pathErr(join(path, "code"), "%q is not an S3 error code such as \"SlowDown\"", code)
	}
	a.Code = s3api.ErrorCode(code)
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
	if a.Delay, err = o.duration("delay"); err != nil {
		return a, err
	}
	if a.MaxDelay, err = o.duration("max_delay"); err != nil {
		return a, err
	}
	if a.MaxDelay != 0 && a.MaxDelay < a.Delay {
		return a, pathErr(join(path, "max_delay"), "%v is less than delay %v", a.MaxDelay, a.Delay)
	}
	if (a.Kind == KindDelay || a.Kind == KindSlowClose) && a.Delay == 0 && a.MaxDelay == 0 {
		return a, pathErr(join(path, "delay"), "missing: %s needs a positive delay such as \"2s\"", a.Kind)
	}
	if a.Bytes < 0 {
		return a, pathErr(join(path, "bytes"), "want an integer ≥ 0")
	}
	if a.BytesPerSecond < 0 || a.Kind == KindSlowBody && a.BytesPerSecond == 0 {
		return a, pathErr(join(path, "bytes_per_second"), "want an integer ≥ 1")
	}
	return a, nil
}

func kindList() string {
	s := make([]string, len(kinds))
	for i, k := range kinds {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}

var weekdays = []string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}

func parseSchedule(path string, raw json.RawMessage) (*Schedule, error) {
	o, err := newObject(path, raw, scheduleFields)
	if err != nil {
		return nil, err
	}
	s := &Schedule{}
	var days []string
	var tz string
	if err := firstErr(errors.Join(
		o.get("days", &days, "an array of weekday names"),
		o.get("from_hour", &s.FromHour, "an hour 0-23"),
		o.get("to_hour", &s.ToHour, "an hour 0-24"),
		o.get("timezone", &tz, "a time zone name such as \"Europe/Paris\""),
	)); err != nil {
		return nil, err
	}
	if s.Start, err = o.time("start"); err != nil {
		return nil, err
	}
	if s.End, err = o.time("end"); err != nil {
		return nil, err
	}
	if !s.Start.IsZero() && !s.End.IsZero() && !s.Start.Before(s.End) {
		return nil, pathErr(join(path, "end"), "%s is not after start %s", s.End.Format(time.RFC3339), s.Start.Format(time.RFC3339))
	}
	for i, d := range days {
		n := slices.IndexFunc(weekdays, func(w string) bool {
			l := strings.ToLower(d)
			return l == w || l == w[:3]
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
	if tz != "" {
		if s.Location, err = time.LoadLocation(tz); err != nil {
			return nil, pathErr(join(path, "timezone"), "unknown time zone %q", tz)
		}
	}
	return s, nil
}

// object is a JSON object being decoded, with the path that names it in
// error messages.
type object struct {
	path string
	m    map[string]json.RawMessage
}

// newObject decodes raw as an object whose keys must all be known. Keys
// match exactly: "Name" is not "name".
func newObject(path string, raw json.RawMessage, known []string) (object, error) {
	var m map[string]json.RawMessage
	if firstByte(raw) != '{' || json.Unmarshal(raw, &m) != nil {
		if path == "" {
			return object{}, errors.New("want a JSON object")
		}
		return object{}, pathErr(path, "want an object")
	}
	for _, k := range sortedKeys(m) {
		if !slices.Contains(known, k) {
			return object{}, pathErr(join(path, k), "unknown field (want %s)", strings.Join(known, ", "))
		}
	}
	return object{path: path, m: m}, nil
}

// raw returns a field's value; null counts as absent.
func (o object) raw(name string) (json.RawMessage, bool) {
	v, ok := o.m[name]
	if !ok || string(bytes.TrimSpace(v)) == "null" {
		return nil, false
	}
	return v, true
}

// get decodes a field into dst, if present; want says what it should be.
func (o object) get(name string, dst any, want string) error {
	raw, ok := o.raw(name)
	if !ok {
		return nil
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		return pathErr(join(o.path, name), "want %s", want)
	}
	return nil
}

// time decodes an RFC 3339 time field; absent is the zero time.
func (o object) time(name string) (time.Time, error) {
	var s string
	if err := o.get(name, &s, "an RFC 3339 time such as \"2026-01-02T15:04:05Z\""); err != nil || s == "" {
		return time.Time{}, err
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, pathErr(join(o.path, name), "want an RFC 3339 time such as \"2026-01-02T15:04:05Z\": %v", err)
	}
	return t, nil
}

// duration decodes a Go duration string or a number of milliseconds.
func (o object) duration(name string) (time.Duration, error) {
	raw, ok := o.raw(name)
	if !ok {
		return 0, nil
	}
	path := join(o.path, name)
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

// toJSON is the rule in the seed's format; see ParseRule.
func (r Rule) toJSON() (ruleJSON, error) {
	svc := r.Service
	if svc == "" {
		svc = Gateway
	}
	w := ruleJSON{Name: r.Name, Description: r.Description, Service: svc, Operation: string(r.Operation),
		RoleOp: string(r.RoleOp), Enabled: !r.Disabled, Priority: r.Priority, MaxTriggers: r.MaxTriggers}
	cond := func(typ, op, field string, value any) {
		if value == "" {
			value = nil // exists
		}
		w.Conditions = append(w.Conditions, conditionJSON{Type: typ, Operator: op, Field: field, Value: value})
	}
	if r.Probability != 0 {
		cond("probability", "", "", r.Probability)
	}
	for _, c := range []struct {
		op string
		n  int
	}{{"after", r.After}, {"first", r.Times}, {"every", r.EveryNth}} {
		if c.n != 0 {
			cond("count", c.op, "", c.n)
		}
	}
	if r.Attempt != 0 {
		cond("attempt", "equals", "", r.Attempt)
	}
	if r.AttemptAtMost != 0 {
		cond("attempt", "at_most", "", r.AttemptAtMost)
	}
	if r.Method != "" {
		cond("method", "equals", "", r.Method)
	}
	for _, c := range []struct{ typ, pattern string }{{"bucket", r.Bucket}, {"key", r.Key}, {"user_agent", r.UserAgent}, {"node", r.Node}} {
		if c.pattern != "" {
			op, v := describeGlob(c.pattern, false)
			cond(c.typ, op, "", v)
		}
	}
	if r.ClientIP != "" {
		op := "equals"
		if strings.Contains(r.ClientIP, "/") {
			op = "in"
		}
		cond("ip", op, "", r.ClientIP)
	}
	for _, c := range []struct {
		typ string
		m   map[string]string
	}{{"header", r.Header}, {"param", r.Query}} {
		for _, name := range sortedKeys(c.m) {
			op, v := describeGlob(c.m[name], true)
			cond(c.typ, op, name, v)
		}
	}
	a := r.Action
	w.Action = actionJSON{Type: a.Kind, HTTPCode: a.Status, Code: a.Code, Message: a.Message, Headers: a.Header,
		Body: a.Body, BeforeBody: a.BeforeBody, Bytes: a.Bytes, BytesPerSecond: a.BytesPerSecond}
	if a.Delay != 0 {
		w.Action.Delay = a.Delay.String()
	}
	if a.MaxDelay != 0 {
		w.Action.MaxDelay = a.MaxDelay.String()
	}
	if s := r.Schedule; s != nil {
		sj := &scheduleJSON{FromHour: s.FromHour, ToHour: s.ToHour}
		for _, t := range []struct {
			t   time.Time
			dst *string
		}{{s.Start, &sj.Start}, {s.End, &sj.End}} {
			if !t.t.IsZero() {
				if y := t.t.Year(); y < 0 || y > 9999 {
					return w, fmt.Errorf("faults: schedule time %v cannot be written as RFC 3339", t.t)
				}
				*t.dst = t.t.Format(time.RFC3339Nano)
			}
		}
		for _, d := range s.Days {
			if d < time.Sunday || d > time.Saturday {
				return w, fmt.Errorf("faults: schedule day %d is not a weekday", d)
			}
			sj.Days = append(sj.Days, weekdays[d])
		}
		if s.Location != nil {
			sj.Timezone = s.Location.String()
		}
		w.Schedule = sj
	}
	return w, nil
}

// ruleJSON and the types below are the wire form MarshalJSON writes.
type ruleJSON struct {
	ID          string          `json:"id,omitempty"`
	Name        string          `json:"name,omitempty"`
	Description string          `json:"description,omitempty"`
	Service     Service         `json:"service"`
	Operation   string          `json:"operation,omitempty"`
	RoleOp      string          `json:"role_operation,omitempty"`
	Enabled     bool            `json:"enabled"`
	Priority    int             `json:"priority"`
	MaxTriggers int             `json:"max_triggers,omitempty"`
	Conditions  []conditionJSON `json:"conditions,omitempty"`
	Action      actionJSON      `json:"action"`
	Schedule    *scheduleJSON   `json:"schedule,omitempty"`
	Hits        *int            `json:"hits,omitempty"`
	Matches     *int            `json:"matches,omitempty"`
}

type conditionJSON struct {
	Type     string `json:"type"`
	Operator string `json:"operator,omitempty"`
	Field    string `json:"field,omitempty"`
	Value    any    `json:"value,omitempty"`
}

type actionJSON struct {
	Type           Kind              `json:"type"`
	HTTPCode       int               `json:"http_code,omitempty"`
	Code           s3api.ErrorCode   `json:"code,omitempty"`
	Message        string            `json:"message,omitempty"`
	Headers        map[string]string `json:"headers,omitempty"`
	Body           string            `json:"body,omitempty"`
	Delay          string            `json:"delay,omitempty"`
	MaxDelay       string            `json:"max_delay,omitempty"`
	BeforeBody     bool              `json:"before_body,omitempty"`
	Bytes          int64             `json:"bytes,omitempty"`
	BytesPerSecond int64             `json:"bytes_per_second,omitempty"`
}

type scheduleJSON struct {
	Start    string   `json:"start,omitempty"`
	End      string   `json:"end,omitempty"`
	Days     []string `json:"days,omitempty"`
	FromHour int      `json:"from_hour,omitempty"`
	ToHour   int      `json:"to_hour,omitempty"`
	Timezone string   `json:"timezone,omitempty"`
}

// escapeGlob quotes s so that the glob matches only s.
func escapeGlob(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if strings.IndexByte(`\*?[`, c) >= 0 {
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
	return b.String()
}

// literal returns the string a glob matches exactly, if it matches only
// one and escapeGlob gives it back.
func literal(pattern string) (string, bool) {
	var b strings.Builder
	esc := false
	for _, c := range []byte(pattern) {
		switch {
		case esc:
			esc = false
		case c == '\\':
			esc = true
			continue
		case strings.IndexByte("*?[", c) >= 0:
			return "", false
		}
		b.WriteByte(c)
	}
	s := b.String()
	return s, !esc && s != "" && escapeGlob(s) == pattern
}

// describeGlob picks the plainest operator that ParseRule turns back into
// pattern.
func describeGlob(pattern string, allowExists bool) (op, value string) {
	if pattern == "*" && allowExists {
		return "exists", ""
	}
	if v, ok := literal(pattern); ok {
		return "equals", v
	}
	n := len(pattern)
	if n >= 3 && pattern[0] == '*' && pattern[n-1] == '*' {
		if v, ok := literal(pattern[1 : n-1]); ok {
			return "contains", v
		}
	}
	if n >= 2 && pattern[n-1] == '*' {
		if v, ok := literal(pattern[:n-1]); ok {
			return "prefix", v
		}
	}
	if n >= 2 && pattern[0] == '*' {
		if v, ok := literal(pattern[1:]); ok {
			return "suffix", v
		}
	}
	return "glob", pattern
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

func pathErr(path, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if path == "" {
		return errors.New(msg)
	}
	return errors.New(path + ": " + msg)
}

// firstErr returns the first of the errors errors.Join joined.
func firstErr(err error) error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()[0]
	}
	return err
}

func join(path string, names ...string) string {
	for _, n := range names {
		if path != "" {
			path += "."
		}
		path += n
	}
	return path
}

func index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

func firstByte(data []byte) byte {
	data = bytes.TrimLeft(data, " \t\r\n")
	if len(data) == 0 {
		return 0
	}
	return data[0]
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
