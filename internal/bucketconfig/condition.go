// Policy conditions: the IAM condition operators
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html),
// set qualifiers
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html)
// and S3's condition keys
// (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html#amazons3-policy-keys).

package bucketconfig

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"math"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"
)

// opKind is the type of value an operator compares.
type opKind int

const (
	kindString opKind = iota
	kindNumeric
	kindDate
	kindBool
	kindBinary
	kindIP
	kindARN
	kindNull
)

// operator is a base condition operator: the kind of its values, whether
// it is negated, and how one policy value matches one request value.
type operator struct {
	kind    opKind
	negated bool
	match   func(policy, request string) bool
}

func numericOp(cmp func(a, b float64) bool) func(p, v string) bool {
	return func(p, v string) bool {
		a, errA := strconv.ParseFloat(v, 64)
		b, errB := strconv.ParseFloat(p, 64)
		return errA == nil && errB == nil && cmp(a, b)
	}
}

func dateOp(cmp func(a, b time.Time) bool) func(p, v string) bool {
	return func(p, v string) bool {
		a, okA := parseConditionDate(v)
		b, okB := parseConditionDate(p)
		return okA && okB && cmp(a, b)
	}
}

var (
	stringEq  = func(p, v string) bool { return p == v }
	stringEqI = func(p, v string) bool { return strings.EqualFold(p, v) }
	numEq     = numericOp(func(a, b float64) bool { return a == b })
	dateEq    = dateOp(func(a, b time.Time) bool { return a.Equal(b) })
)

// operators are the base operators by name; the matches of the negated
// ones are those of their positive forms, inverted by the evaluator.
var operators = map[string]operator{
	"StringEquals":              {kindString, false, stringEq},
	"StringNotEquals":           {kindString, true, stringEq},
	"StringEqualsIgnoreCase":    {kindString, false, stringEqI},
	"StringNotEqualsIgnoreCase": {kindString, true, stringEqI},
	"StringLike":                {kindString, false, wildcardFullMatch},
	"StringNotLike":             {kindString, true, wildcardFullMatch},
	"NumericEquals":             {kindNumeric, false, numEq},
	"NumericNotEquals":          {kindNumeric, true, numEq},
	"NumericLessThan":           {kindNumeric, false, numericOp(func(a, b float64) bool { return a < b })},
	"NumericLessThanEquals":     {kindNumeric, false, numericOp(func(a, b float64) bool { return a <= b })},
	"NumericGreaterThan":        {kindNumeric, false, numericOp(func(a, b float64) bool { return a > b })},
	"NumericGreaterThanEquals":  {kindNumeric, false, numericOp(func(a, b float64) bool { return a >= b })},
	"DateEquals":                {kindDate, false, dateEq},
	"DateNotEquals":             {kindDate, true, dateEq},
	"DateLessThan":              {kindDate, false, dateOp(time.Time.Before)},
	"DateLessThanEquals":        {kindDate, false, dateOp(func(a, b time.Time) bool { return !a.After(b) })},
	"DateGreaterThan":           {kindDate, false, dateOp(time.Time.After)},
	"DateGreaterThanEquals":     {kindDate, false, dateOp(func(a, b time.Time) bool { return !a.Before(b) })},
	"Bool":                      {kindBool, false, stringEqI},
	"BinaryEquals":              {kindBinary, false, stringEq},
	"IpAddress":                 {kindIP, false, ipMatch},
	"NotIpAddress":              {kindIP, true, ipMatch},
	"ArnEquals":                 {kindARN, false, arnMatch},
	"ArnLike":                   {kindARN, false, arnMatch},
	"ArnNotEquals":              {kindARN, true, arnMatch},
	"ArnNotLike":                {kindARN, true, arnMatch},
	"Null":                      {kind: kindNull},
}

// condition is one operator applied to one key of a statement's
// Condition block.
type condition struct {
	op        operator
	forAll    bool // ForAllValues:
	forAny    bool // ForAnyValue:
	ifExists  bool // ...IfExists
	key       string
	values    []string
	qualified string // the operator as written, for messages
}

// parseOperator splits "ForAnyValue:StringLikeIfExists" into its parts.
// Operator names are case-sensitive, as IAM's are.
func parseOperator(name string) (c condition, ok bool) {
	c.qualified = name
	base := name
	if rest, found := strings.CutPrefix(base, "ForAllValues:"); found {
		base, c.forAll = rest, true
	} else if rest, found := strings.CutPrefix(base, "ForAnyValue:"); found {
		base, c.forAny = rest, true
	}
	if rest, found := strings.CutSuffix(base, "IfExists"); found && rest != "Null" {
		base, c.ifExists = rest, true
	}
	c.op, ok = operators[base]
	return c, ok
}

// parseConditions reads a statement's Condition block: each operator
// known, each S3 key one S3 defines, each value of the operator's type.
// A value may be a string, a number or a boolean, or a list of them.
func parseConditions(raw json.RawMessage) ([]condition, error) {
	var block map[string]map[string]json.RawMessage
	if json.Unmarshal(raw, &block) != nil {
		return nil, malformedPolicy("Invalid Condition block")
	}
	var conds []condition
	for name, keys := range block {
		c, ok := parseOperator(name)
		if !ok {
			return nil, malformedPolicy("Invalid Condition type : %s", name)
		}
		for key, rawVals := range keys {
			if !validConditionKey(key) {
				return nil, malformedPolicy("Policy has an invalid condition key")
			}
			vals, ok := conditionValues(rawVals)
			if !ok {
				return nil, malformedPolicy("Invalid Condition value for %s: %s", name, rawVals)
			}
			if err := checkConditionValues(c, key, vals); err != nil {
				return nil, err
			}
			c := c
			c.key, c.values = key, vals
			conds = append(conds, c)
		}
	}
	// Map order is random: sort so that evaluation is repeatable.
	slices.SortFunc(conds, func(a, b condition) int {
		return strings.Compare(a.qualified+"\x00"+a.key, b.qualified+"\x00"+b.key)
	})
	return conds, nil
}

// conditionValues reads a condition value or list of values: strings,
// numbers and booleans ("Quotation marks are optional for numeric and
// Boolean values").
func conditionValues(raw json.RawMessage) ([]string, bool) {
	raw = bytes.TrimSpace(raw)
	var items []json.RawMessage
	if len(raw) > 0 && raw[0] == '[' {
		if json.Unmarshal(raw, &items) != nil || len(items) == 0 {
			return nil, false
		}
	} else {
		items = []json.RawMessage{raw}
	}
	vals := make([]string, 0, len(items))
	for _, it := range items {
		var s string
		if bytes.Equal(bytes.TrimSpace(it), []byte("null")) {
			return nil, false
		}
		if json.Unmarshal(it, &s) == nil {
			vals = append(vals, s)
			continue
		}
		var n json.Number
		if json.Unmarshal(it, &n) == nil {
			vals = append(vals, n.String())
			continue
		}
		var b bool
		if json.Unmarshal(it, &b) != nil {
			return nil, false
		}
		vals = append(vals, strconv.FormatBool(b))
	}
	return vals, true
}

// checkConditionValues refuses a value its operator cannot compare, and
// any aws:SourceIp value that is not an address or CIDR block.
func checkConditionValues(c condition, key string, vals []string) error {
	for _, v := range vals {
		ok := true
		switch c.op.kind {
		case kindNumeric:
			f, err := strconv.ParseFloat(v, 64)
			ok = err == nil && !math.IsNaN(f) && !math.IsInf(f, 0)
		case kindDate:
			_, ok = parseConditionDate(v)
		case kindBool, kindNull:
			ok = strings.EqualFold(v, "true") || strings.EqualFold(v, "false")
		case kindBinary:
			_, err := base64.StdEncoding.DecodeString(v)
			ok = err == nil
		case kindIP:
			ok = validIP(v)
		}
		if strings.EqualFold(key, "aws:SourceIp") && !validIP(v) || c.op.kind == kindIP && !ok {
			return malformedPolicy("Invalid IP address in Conditions")
		}
		if !ok {
			return malformedPolicy("Invalid Condition value for %s: %s", c.qualified, strconv.Quote(v))
		}
	}
	return nil
}

func validIP(v string) bool {
	if _, err := netip.ParsePrefix(v); err == nil {
		return true
	}
	_, err := netip.ParseAddr(v)
	return err == nil
}

// parseConditionDate reads a date as IAM does: a W3C ISO 8601 form or
// seconds since the epoch.
func parseConditionDate(v string) (time.Time, bool) {
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return time.Unix(n, 0).UTC(), true
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00", "2006-01-02", "2006-01", "2006"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// ipMatch reports whether address v is in the block (or is the address)
// p.
func ipMatch(p, v string) bool {
	ip, err := netip.ParseAddr(v)
	if err != nil {
		return false
	}
	return inPrefix(p, ip)
}

// arnMatch compares ARNs component by component, each with wildcards,
// so that a "*" never spans a colon.
func arnMatch(p, v string) bool {
	pp, vv := strings.SplitN(p, ":", 6), strings.SplitN(v, ":", 6)
	if len(pp) != 6 || len(vv) != 6 {
		return false
	}
	for i := range pp {
		if !wildcardFullMatch(pp[i], vv[i]) {
			return false
		}
	}
	return true
}

// s3ConditionKeys are the condition keys S3 defines, lower-case; those
// ending in "/" take a tag key after it. PutBucketPolicy refuses any other
// s3: key; it accepts any aws: key, as S3 does.
var s3ConditionKeys = []string{
	"s3:prefix", "s3:delimiter", "s3:max-keys", "s3:x-amz-acl", "s3:x-amz-copy-source",
	"s3:x-amz-metadata-directive", "s3:x-amz-grant-read", "s3:x-amz-grant-write",
	"s3:x-amz-grant-read-acp", "s3:x-amz-grant-write-acp", "s3:x-amz-grant-full-control",
	"s3:x-amz-storage-class", "s3:x-amz-server-side-encryption",
	"s3:x-amz-server-side-encryption-aws-kms-key-id", "s3:x-amz-server-side-encryption-customer-algorithm",
	"s3:x-amz-website-redirect-location", "s3:x-amz-content-sha256", "s3:x-amz-object-ownership",
	"s3:existingobjecttag/", "s3:requestobjecttag/", "s3:requestobjecttagkeys", "s3:versionid",
	"s3:signatureversion", "s3:authtype", "s3:signatureage", "s3:tlsversion", "s3:if-match",
	"s3:if-none-match", "s3:objectcreationoperation", "s3:resourceaccount", "s3:locationconstraint",
	"s3:object-lock-mode", "s3:object-lock-retain-until-date", "s3:object-lock-remaining-retention-days",
	"s3:object-lock-legal-hold", "s3:dataaccesspointarn", "s3:dataaccesspointaccount",
	"s3:accesspointnetworkorigin", "s3:accessgrantsinstancearn", "s3:buckettag/",
	"s3:existingjoboperation", "s3:existingjobpriority", "s3:requestjoboperation", "s3:requestjobpriority",
	"s3:jobsuspendedcause", "s3:inventoryaccessibleoptionalfields",
}

// validConditionKey accepts every aws: key and the keys of s3ConditionKeys.
func validConditionKey(key string) bool {
	svc, _, ok := strings.Cut(key, ":")
	if !ok {
		return false
	}
	if strings.EqualFold(svc, "aws") {
		return true
	}
	lower := strings.ToLower(key)
	return slices.ContainsFunc(s3ConditionKeys, func(k string) bool {
		if pfx, tagged := strings.CutSuffix(k, "/"); tagged {
			rest, ok := strings.CutPrefix(lower, pfx+"/")
			return ok && rest != ""
		}
		return lower == k
	})
}

// holds evaluates c against r, after IAM's rules: a key absent from the
// request matches nothing, which makes a negated operator true, an
// ...IfExists operator true and ForAllValues true; Null tests presence.
func (c condition) holds(r Requester) bool {
	have, present := r.lookup(c.key)
	if c.op.kind == kindNull {
		return slices.ContainsFunc(c.values, func(v string) bool { return strings.EqualFold(v, "true") != present })
	}
	if !present {
		return c.ifExists || c.forAll || (c.op.negated && !c.forAny)
	}
	values := c.values
	if r.variables && (c.op.kind == kindString || c.op.kind == kindARN) {
		// A value whose variable the request lacks matches nothing.
		values = make([]string, 0, len(c.values))
		for _, p := range c.values {
			if e, ok := r.expand(p); ok {
				values = append(values, e)
			}
		}
	}
	// matches reports whether one request value meets the operator.
	matches := func(v string) bool {
		m := slices.ContainsFunc(values, func(p string) bool { return c.op.match(p, v) })
		return m != c.op.negated
	}
	if c.forAll || c.op.negated && !c.forAny {
		// Every request value meets it: for a negated operator, no
		// request value matches a policy value.
		return !slices.ContainsFunc(have, func(v string) bool { return !matches(v) })
	}
	return slices.ContainsFunc(have, matches)
}

// lookup returns the values of condition key key in r's request context,
// and whether the request has it. Key names are case-insensitive; the tag
// key after "s3:ExistingObjectTag/" or "s3:RequestObjectTag/" is not.
func (r Requester) lookup(key string) ([]string, bool) {
	name, tag, tagged := strings.Cut(key, "/")
	name = strings.ToLower(name)
	if tagged {
		switch name {
		case "s3:existingobjecttag":
			if r.ExistingTags == nil {
				return nil, false
			}
			v, ok := r.ExistingTags()[tag]
			return []string{v}, ok
		}
		v, ok := r.Keys[name+"/"+tag]
		return v, ok
	}
	one := func(v string) ([]string, bool) { return []string{v}, true }
	switch name {
	case "aws:securetransport":
		return one(strconv.FormatBool(r.SecureTransport))
	case "aws:sourceip":
		if r.SourceIP.IsValid() {
			return one(r.SourceIP.Unmap().String())
		}
	case "aws:currenttime":
		if !r.Now.IsZero() {
			return one(r.Now.UTC().Format(time.RFC3339))
		}
	case "aws:epochtime":
		if !r.Now.IsZero() {
			return one(strconv.FormatInt(r.Now.Unix(), 10))
		}
	case "aws:principaltype":
		if r.Anonymous {
			return one("Anonymous")
		}
		return one("User")
	case "aws:principalarn":
		if !r.Anonymous {
			return one(r.ARN)
		}
	case "aws:principalaccount":
		if !r.Anonymous {
			return one(r.Account)
		}
	case "aws:username":
		if !r.Anonymous && r.Name != "" {
			return one(r.Name)
		}
	default:
		v, ok := r.Keys[name]
		return v, ok && len(v) > 0
	}
	return nil, false
}
