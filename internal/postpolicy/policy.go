// Package postpolicy reads browser-form uploads (POST Object) and checks
// them against their POST policy, as
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html
// and https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html
// describe them.
//
// Errors are *s3err.Error values with the codes and messages S3 answers
// with on the wire (recorded responses), which differ from the error table
// of the documentation: a failed condition is 403 AccessDenied, not 400
// InvalidPolicyDocument.
package postpolicy

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/mocks3/mocks3/internal/s3err"
)

// Policy is a decoded POST policy document.
type Policy struct {
	// Expiration is the instant from which the policy no longer holds.
	Expiration time.Time
	// Conditions are the eq and starts-with conditions, in the policy's
	// order, object conditions ({"acl": "private"}) as eq.
	Conditions []Condition
	// Range is the content-length-range condition, if the policy has one.
	Range *Range
}

// Condition is an eq or starts-with condition.
type Condition struct {
	// Op is "eq" or "starts-with", lower case.
	Op string
	// Field is the field as the policy spells it, "$" included ("$key").
	Field string
	// Value is what the field must equal or start with.
	Value string
	// text is how S3 quotes the condition when it fails.
	text string
}

// Range is a content-length-range condition. Its bounds are kept as
// written: a bound that is a string but not a number fails the condition
// (403), where a negative number makes the document invalid (400).
type Range struct {
	min, max json.Number
	text     string
}

// expirationLayout is the one form S3 reads: UTC, with a literal Z.
// Fractional seconds are accepted by time.Parse without being in the
// layout.
const expirationLayout = "2006-01-02T15:04:05Z"

func invalidPolicy(msg string) *s3err.Error {
	return &s3err.Error{Code: s3err.InvalidPolicyDocument, Message: "Invalid Policy: " + msg}
}

var errInvalidJSON = invalidPolicy("Invalid JSON.")

// Parse decodes a policy field: base64 of a JSON document with exactly
// the members expiration and conditions.
func Parse(encoded string) (*Policy, error) {
	// Some encoders wrap base64 in lines; S3 reads through them.
	encoded = strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' || r == ' ' || r == '\t' {
			return -1
		}
		return r
	}, encoded)
	doc, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		return nil, errInvalidJSON
	}
	var top map[string]json.RawMessage
	if err := decodeStrict(doc, &top); err != nil || top == nil {
		return nil, errInvalidJSON
	}
	for name := range top {
		if name != "expiration" && name != "conditions" {
			// S3 names the member lower-cased, in single quotes.
			return nil, invalidPolicy(fmt.Sprintf("Unexpected: '%s'", strings.ToLower(name)))
		}
	}
	p := &Policy{}
	rawExp, ok := top["expiration"]
	if !ok {
		return nil, invalidPolicy("Policy missing expiration.")
	}
	var exp string
	if err := json.Unmarshal(rawExp, &exp); err != nil {
		return nil, invalidPolicy(fmt.Sprintf("Invalid 'expiration' value: '%s'", compact(rawExp)))
	}
	if p.Expiration, err = time.Parse(expirationLayout, exp); err != nil {
		return nil, invalidPolicy(fmt.Sprintf("Invalid 'expiration' value: '%s'", exp))
	}
	rawConds, ok := top["conditions"]
	if !ok {
		return nil, invalidPolicy("Policy missing conditions.")
	}
	var conds []json.RawMessage
	if err := decodeStrict(rawConds, &conds); err != nil || conds == nil {
		return nil, invalidPolicy("Invalid 'conditions' value: must be a List.")
	}
	for _, c := range conds {
		if err := p.addCondition(c); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// decodeStrict decodes b into v with numbers kept as written and nothing
// after the value.
func decodeStrict(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	if err := d.Decode(v); err != nil {
		return err
	}
	// Anything but the end of input after the value, a stray '}' or ']'
	// too (a syntax error to Token), is data after the document.
	if _, err := d.Token(); err != io.EOF {
		return fmt.Errorf("data after the document")
	}
	return nil
}

func compact(raw json.RawMessage) string {
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return string(raw)
	}
	return b.String()
}

func (p *Policy) addCondition(raw json.RawMessage) error {
	switch firstByte(raw) {
	case '{':
		var m map[string]json.RawMessage
		if err := decodeStrict(raw, &m); err != nil {
			return errInvalidJSON
		}
		if len(m) != 1 {
			return invalidPolicy("Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.")
		}
		for name, v := range m {
			if firstByte(v) == 'n' { // null
				return errInvalidJSON
			}
			var s string
			if err := json.Unmarshal(v, &s); err != nil {
				return invalidPolicy("Invalid Simple-Condition: value must be a string.")
			}
			// S3 quotes an object condition as the eq it stands for.
			p.Conditions = append(p.Conditions, newCondition("eq", "$"+name, s))
		}
		return nil
	case '[':
		var items []json.RawMessage
		if err := decodeStrict(raw, &items); err != nil {
			return errInvalidJSON
		}
		if len(items) == 0 {
			return invalidPolicy("Invalid Condition: missing operation identifier.")
		}
		var op string
		if err := json.Unmarshal(items[0], &op); err != nil {
			return errInvalidJSON
		}
		switch lower := strings.ToLower(op); lower {
		case "eq", "starts-with":
			if len(items) != 3 {
				return invalidPolicy(fmt.Sprintf("Invalid %s: wrong number of arguments.", op))
			}
			var field, value string
			if json.Unmarshal(items[1], &field) != nil || json.Unmarshal(items[2], &value) != nil {
				return errInvalidJSON
			}
			p.Conditions = append(p.Conditions, newCondition(lower, field, value))
			return nil
		case "content-length-range":
			if len(items) != 3 {
				return invalidPolicy(fmt.Sprintf("Invalid %s: wrong number of arguments.", op))
			}
			r := &Range{text: quoteItems(op, items[1:])}
			for i, dst := range []*json.Number{&r.min, &r.max} {
				n, err := rangeBound(items[1+i])
				if err != nil {
					return err
				}
				*dst = n
			}
			p.Range = r
			return nil
		default:
			return invalidPolicy(fmt.Sprintf("Invalid Condition: unknown operation '%s'.", op))
		}
	}
	return invalidPolicy("Invalid condition test: must be a List or Object.")
}

// rangeBound reads a bound of content-length-range: an integer, or a
// string (checked only when the form is).
func rangeBound(raw json.RawMessage) (json.Number, error) {
	switch firstByte(raw) {
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", errInvalidJSON
		}
		return json.Number(s), nil
	case '-':
		if _, err := strconv.ParseInt(string(raw), 10, 64); err == nil {
			return "", invalidPolicy("Invalid content-length-range: sizes must not be negative.")
		}
	}
	// A fraction or an exponent is not a size: S3 calls it invalid JSON.
	if _, err := strconv.ParseInt(string(raw), 10, 64); err != nil {
		return "", errInvalidJSON
	}
	return json.Number(raw), nil
}

func firstByte(raw json.RawMessage) byte {
	b := bytes.TrimLeft(raw, " \t\r\n")
	if len(b) == 0 {
		return 0
	}
	return b[0]
}

func newCondition(op, field, value string) Condition {
	return Condition{Op: op, Field: field, Value: value, text: "[" + quote(op) + ", " + quote(field) + ", " + quote(value) + "]"}
}

// quoteItems renders a list condition as S3 quotes it: JSON values
// separated by ", ".
func quoteItems(op string, rest []json.RawMessage) string {
	parts := []string{quote(op)}
	for _, r := range rest {
		parts = append(parts, compact(r))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// quote is s as a JSON string, without the HTML escaping of json.Marshal.
func quote(s string) string {
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	_ = e.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}

// Bounds returns the range's bounds, or ok false when one is not a number
// (the condition then fails).
func (r *Range) Bounds() (minSize, maxSize int64, ok bool) {
	lo, err1 := strconv.ParseInt(strings.TrimSpace(r.min.String()), 10, 64)
	hi, err2 := strconv.ParseInt(strings.TrimSpace(r.max.String()), 10, 64)
	if err1 != nil || err2 != nil || lo < 0 || hi < 0 {
		return 0, 0, false
	}
	return lo, hi, true
}
