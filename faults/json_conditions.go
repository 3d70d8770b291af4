package faults

import (
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/mocks3/mocks3/internal/faultmatch"
)

// conditionKind is how one condition type of the JSON format is read.
type conditionKind struct {
	// field says what the condition's field names, for the types that
	// take one ("header"); the others refuse a field.
	field string
	// ops are the operators, the first being what an absent operator
	// means; a type without operators refuses one.
	ops []string
	// parse sets on r what the condition says.
	parse func(c *condition, r *Rule) error
}

// conditionTypes lists the condition types in the order messages name
// them; conditionKinds has one entry for each.
var conditionTypes = []string{"probability", "count", "header", "param", "user_agent", "ip", "time", "method", "bucket", "key", "node", "access_key", "attempt"}

// matchOps are the operators of the string conditions; exists only for
// headers and query parameters, which may be absent.
var matchOps = []string{"glob", "equals", "prefix", "suffix", "contains", "exists"}

var conditionKinds = map[string]conditionKind{
	"probability": {parse: parseProbability},
	"count": {ops: []string{"first", "after", "every"}, parse: parseCounter(func(r *Rule) map[string]*int {
		return map[string]*int{"first": &r.Times, "after": &r.After, "every": &r.EveryNth}
	})},
	"attempt": {ops: []string{"equals", "at_most"}, parse: parseCounter(func(r *Rule) map[string]*int {
		return map[string]*int{"equals": &r.Attempt, "at_most": &r.AttemptAtMost}
	})},
	"header":     {field: "header", ops: matchOps, parse: parseHeader},
	"param":      {field: "query parameter", ops: matchOps, parse: parseParam},
	"user_agent": {ops: matchOps[:5], parse: parsePattern(func(r *Rule) *string { return &r.UserAgent })},
	"bucket":     {ops: matchOps[:5], parse: parsePattern(func(r *Rule) *string { return &r.Bucket })},
	"key":        {ops: matchOps[:5], parse: parsePattern(func(r *Rule) *string { return &r.Key })},
	"node":       {ops: matchOps[:5], parse: parsePattern(func(r *Rule) *string { return &r.Node })},
	"access_key": {ops: matchOps[:5], parse: parsePattern(func(r *Rule) *string { return &r.AccessKey })},
	"method":     {ops: []string{"equals"}, parse: parseMethod},
	"ip":         {ops: []string{"equals", "in"}, parse: parseIP},
	"time":       {ops: []string{"between", "after", "before"}, parse: parseTimeCondition},
}

// condition is one condition being parsed.
type condition struct {
	path, typ, op, field string
	value                json.RawMessage // nil when absent
	// seen holds what the rule's earlier conditions set, so that a second
	// condition setting the same thing is refused rather than ignored.
	seen map[string]bool
}

func parseCondition(path string, w conditionJSON, r *Rule, seen map[string]bool) error {
	c := &condition{path: path, typ: w.Type, op: w.Operator, field: w.Field, seen: seen}
	if len(w.Value) > 0 && !isNull(w.Value) {
		c.value = w.Value
	}
	kind, ok := conditionKinds[c.typ]
	switch {
	case c.typ == "":
		return pathErr(join(path, "type"), "missing (want %s)", typeList())
	case !ok:
		return pathErr(join(path, "type"), "unknown condition type %q (want %s)", c.typ, typeList())
	case kind.field != "" && c.field == "":
		return pathErr(join(path, "field"), "missing: a %s condition names the %s", c.typ, kind.field)
	case kind.field == "" && c.field != "":
		return pathErr(join(path, "field"), "a %s condition takes no field", c.typ)
	}
	if c.op == "" && len(kind.ops) > 0 {
		c.op = kind.ops[0]
	}
	if c.op != "" && !slices.Contains(kind.ops, c.op) {
		want := strings.Join(kind.ops, ", ")
		if want == "" {
			want = "no operator"
		}
		if c.op == "regex" || c.op == "matches" {
			return pathErr(join(path, "operator"), "%q is not supported: use glob (* any run, ? one character) or one of %s", c.op, want)
		}
		return pathErr(join(path, "operator"), "unsupported operator %q for %s (want %s)", c.op, c.typ, want)
	}
	return kind.parse(c, r)
}

func typeList() string {
	n := len(conditionTypes)
	return strings.Join(conditionTypes[:n-1], ", ") + " or " + conditionTypes[n-1]
}

// once claims what for this condition, refusing a second condition that
// sets it.
func (c *condition) once(what string) error {
	if c.seen[what] {
		return pathErr(c.path, "a second %s condition; combine them into one", what)
	}
	c.seen[what] = true
	return nil
}

func (c *condition) valueErr(format string, args ...any) error {
	return pathErr(join(c.path, "value"), format, args...)
}

// decode decodes the value into dst, reporting false if it is absent or
// of another type.
func (c *condition) decode(dst any) bool {
	return c.value != nil && json.Unmarshal(c.value, dst) == nil
}

func (c *condition) positiveInt() (int, error) {
	var n int
	if !c.decode(&n) || n < 1 {
		return 0, c.valueErr("want an integer ≥ 1")
	}
	return n, nil
}

func parseProbability(c *condition, r *Rule) error {
	var p float64
	if !c.decode(&p) || p < 0 || p > 1 {
		return c.valueErr("probability must be a number between 0 and 1")
	}
	if p == 0 {
		return c.valueErr(`probability 0 never triggers: set "enabled": false instead`)
	}
	if err := c.once(c.typ); err != nil {
		return err
	}
	r.Probability = p
	return nil
}

// parseCounter parses a positive integer into the field of r that the
// condition's operator names in fields(r).
func parseCounter(fields func(r *Rule) map[string]*int) func(c *condition, r *Rule) error {
	return func(c *condition, r *Rule) error {
		n, err := c.positiveInt()
		if err != nil {
			return err
		}
		if err := c.once(c.typ + " " + c.op); err != nil {
			return err
		}
		*fields(r)[c.op] = n
		return nil
	}
}

func parseHeader(c *condition, r *Rule) error {
	if !validToken(c.field) {
		return pathErr(join(c.path, "field"), "%q is not a valid header name", c.field)
	}
	pattern, err := c.pattern()
	if err != nil {
		return err
	}
	if err := c.once("header " + strings.ToLower(c.field)); err != nil {
		return err
	}
	if r.Header == nil {
		r.Header = map[string]string{}
	}
	r.Header[c.field] = pattern
	return nil
}

func parseParam(c *condition, r *Rule) error {
	pattern, err := c.pattern()
	if err != nil {
		return err
	}
	if err := c.once("param " + c.field); err != nil {
		return err
	}
	if r.Query == nil {
		r.Query = map[string]string{}
	}
	r.Query[c.field] = pattern
	return nil
}

// parsePattern reads a string condition into the rule's field that dst
// selects.
func parsePattern(dst func(*Rule) *string) func(*condition, *Rule) error {
	return func(c *condition, r *Rule) error {
		pattern, err := c.pattern()
		if err != nil {
			return err
		}
		if err := c.once(c.typ); err != nil {
			return err
		}
		*dst(r) = pattern
		return nil
	}
}

// pattern turns a string operator and its value into a glob.
func (c *condition) pattern() (string, error) {
	if c.op == "exists" {
		if c.value != nil {
			return "", c.valueErr("exists takes no value")
		}
		return "*", nil
	}
	var v string
	if !c.decode(&v) {
		return "", c.valueErr("want a string")
	}
	if v == "" {
		return "", c.valueErr("want a non-empty string (exists tests presence)")
	}
	switch c.op {
	case "glob":
		if !faultmatch.ValidGlob(v) {
			return "", c.valueErr("bad glob %q", v)
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

func parseMethod(c *condition, r *Rule) error {
	var m string
	if !c.decode(&m) || !validToken(m) {
		return c.valueErr("want an HTTP method such as \"PUT\"")
	}
	if err := c.once(c.typ); err != nil {
		return err
	}
	r.Method = strings.ToUpper(m)
	return nil
}

func parseIP(c *condition, r *Rule) error {
	var s string
	if !c.decode(&s) {
		return c.valueErr("want an IP address or a CIDR such as \"10.0.0.0/8\"")
	}
	if _, err := faultmatch.ParseIP(s); err != nil {
		return c.valueErr("want an IP address or a CIDR such as \"10.0.0.0/8\": %v", err)
	}
	if err := c.once(c.typ); err != nil {
		return err
	}
	r.ClientIP = s
	return nil
}

// timeWindowJSON is the value of a "between" time condition.
type timeWindowJSON struct {
	Start string `json:"start" want:"an RFC 3339 time such as \"2026-01-02T15:04:05Z\""`
	End   string `json:"end" want:"an RFC 3339 time such as \"2026-01-02T15:04:05Z\""`
}

// parseTimeCondition sets the rule's schedule start and end.
func parseTimeCondition(c *condition, r *Rule) error {
	valuePath := join(c.path, "value")
	var start, end time.Time
	var err error
	switch c.op {
	case "between":
		if c.value == nil {
			return c.valueErr(`want {"start": RFC 3339 time, "end": RFC 3339 time}`)
		}
		var w timeWindowJSON
		if err := decodeObject(valuePath, c.value, &w); err != nil {
			return err
		}
		if start, err = parseTime(join(valuePath, "start"), w.Start); err != nil {
			return err
		}
		if end, err = parseTime(join(valuePath, "end"), w.End); err != nil {
			return err
		}
		if start.IsZero() && end.IsZero() {
			return c.valueErr("want a start, an end or both")
		}
	default: // after, before
		var s string
		if !c.decode(&s) {
			return c.valueErr("want an RFC 3339 time such as \"2026-01-02T15:04:05Z\"")
		}
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return c.valueErr("want an RFC 3339 time such as \"2026-01-02T15:04:05Z\": %v", err)
		}
		if c.op == "after" {
			start = t
		} else {
			end = t
		}
	}
	if r.Schedule == nil {
		r.Schedule = &Schedule{}
	}
	s := r.Schedule
	if !start.IsZero() {
		if !s.Start.IsZero() {
			return pathErr(c.path, "a second start time (schedule.start or another time condition)")
		}
		s.Start = start
	}
	if !end.IsZero() {
		if !s.End.IsZero() {
			return pathErr(c.path, "a second end time (schedule.end or another time condition)")
		}
		s.End = end
	}
	if !s.Start.IsZero() && !s.End.IsZero() && !s.Start.Before(s.End) {
		return c.valueErr("the window ends (%v) before it starts (%v)", s.End.Format(time.RFC3339), s.Start.Format(time.RFC3339))
	}
	return nil
}
