package faults

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/mocks3/mocks3/internal/faultname"
)

// toJSON is the rule in the seed's format; see ParseRules.
func (r Rule) toJSON() (ruleJSON, error) {
	svc := r.Service
	if svc == "" {
		svc = faultname.Gateway
	}
	enabled := !r.Disabled
	w := ruleJSON{Name: r.Name, Description: r.Description, Service: svc, Operation: string(r.Operation),
		RoleOp: string(r.RoleOp), Enabled: &enabled, Priority: r.Priority, MaxTriggers: r.MaxTriggers}
	cond := func(typ, op, field string, value any) {
		var raw json.RawMessage
		if value != "" { // "" is exists, which takes no value
			raw, _ = json.Marshal(value) // strings and numbers: cannot fail
		}
		w.Conditions = append(w.Conditions, conditionJSON{Type: typ, Operator: op, Field: field, Value: raw})
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
	for _, c := range []struct{ typ, pattern string }{{"bucket", r.Bucket}, {"key", r.Key}, {"user_agent", r.UserAgent}, {"node", r.Node}, {"access_key", r.AccessKey}} {
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
	w.Action = &actionJSON{Type: a.Kind, HTTPCode: a.Status, Code: a.Code, Message: a.Message, Headers: a.Header,
		Body: a.Body, BeforeBody: a.BeforeBody, Bytes: a.Bytes, BytesPerSecond: a.BytesPerSecond}
	if a.Delay != 0 {
		w.Action.Delay = durationJSON(a.Delay)
	}
	if a.MaxDelay != 0 {
		w.Action.MaxDelay = durationJSON(a.MaxDelay)
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

// durationJSON writes d as a Go duration string, which parseDuration
// reads back exactly.
func durationJSON(d time.Duration) json.RawMessage {
	return json.RawMessage(strconv.Quote(d.String()))
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

// describeGlob picks the plainest operator that ParseRules turns back into
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
