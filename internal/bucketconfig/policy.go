// Bucket policies: https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html,
// the IAM JSON policy grammar
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html)
// and "The meaning of public"
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status).

package bucketconfig

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"slices"
	"strings"

	"github.com/mocks3/mocks3/internal/s3err"
)

// MaxPolicySize is S3's limit on a bucket policy, in bytes.
const MaxPolicySize = 20 << 10

// Policy is a validated bucket policy.
type Policy struct {
	Version    string
	ID         string
	Statements []Statement
}

// Statement is one statement of a policy. The lists hold the values as
// given; a single string is a list of one.
type Statement struct {
	Sid          string
	Effect       string // Allow or Deny
	Principal    Principal
	NotPrincipal Principal
	Action       []string
	NotAction    []string
	Resource     []string
	NotResource  []string
	conds        []condition // the Condition block, parsed
}

// Principal is a statement's principal: "*" (Any), or values by kind
// ("AWS", "Service", "CanonicalUser", "Federated").
type Principal struct {
	Any   bool
	Kinds map[string][]string
}

func malformedPolicy(format string, args ...any) *s3err.Error {
	return errorf(s3err.MalformedPolicy, format, args...)
}

// ParsePolicy reads and validates PutBucketPolicy's document for bucket;
// each fault is MalformedPolicy naming what is wrong, in S3's words.
func ParsePolicy(doc []byte, bucket string) (*Policy, error) { return parsePolicy(doc, &bucket) }

// ParseStoredPolicy reads a policy PutBucketPolicy accepted, for
// evaluation: as ParsePolicy, without checking that its resources name
// the bucket, so that one parse serves whatever bucket holds it.
func ParseStoredPolicy(doc []byte) (*Policy, error) { return parsePolicy(doc, nil) }

// parsePolicy parses doc; bucket, if not nil, is the bucket its resources
// must name.
func parsePolicy(doc []byte, bucket *string) (*Policy, error) {
	if len(doc) > MaxPolicySize {
		return nil, malformedPolicy("Policy exceeds the maximum allowed document size.")
	}
	trimmed := bytes.TrimSpace(doc)
	if len(trimmed) == 0 || trimmed[0] != '{' || !json.Valid(trimmed) {
		return nil, newError(s3err.MalformedPolicy)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(trimmed, &top); err != nil {
		return nil, newError(s3err.MalformedPolicy)
	}
	p := &Policy{}
	for k, v := range top {
		switch k {
		case "Version":
			if json.Unmarshal(v, &p.Version) != nil || (p.Version != "2012-10-17" && p.Version != "2008-10-17") {
				return nil, malformedPolicy("The policy must contain a valid version string")
			}
		case "Id":
			if json.Unmarshal(v, &p.ID) != nil {
				return nil, malformedPolicy("Policy has an invalid Id")
			}
		case "Statement":
		default:
			return nil, malformedPolicy("Unknown field %s", k)
		}
	}
	raw, ok := top["Statement"]
	if !ok {
		return nil, malformedPolicy("Missing required field Statement")
	}
	var stmts []json.RawMessage
	if bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{")) {
		stmts = []json.RawMessage{raw}
	} else if json.Unmarshal(raw, &stmts) != nil {
		return nil, malformedPolicy("Statement must be an object or an array of objects")
	}
	if len(stmts) == 0 {
		return nil, malformedPolicy("Could not parse the policy: Statement is empty!")
	}
	sids := map[string]bool{}
	for _, raw := range stmts {
		s, err := parseStatement(raw, bucket)
		if err != nil {
			return nil, err
		}
		if s.Sid != "" {
			if sids[s.Sid] {
				return nil, malformedPolicy("Statement IDs (SID) in a single policy must be unique")
			}
			sids[s.Sid] = true
		}
		p.Statements = append(p.Statements, s)
	}
	return p, nil
}

func parseStatement(raw json.RawMessage, bucket *string) (Statement, error) {
	var s Statement
	var fields map[string]json.RawMessage
	if json.Unmarshal(raw, &fields) != nil {
		return s, malformedPolicy("Statement must be an object")
	}
	for k, v := range fields {
		var err error
		switch k {
		case "Sid":
			if json.Unmarshal(v, &s.Sid) != nil {
				err = malformedPolicy("Sid must be a string")
			}
		case "Effect":
			if json.Unmarshal(v, &s.Effect) != nil || (s.Effect != "Allow" && s.Effect != "Deny") {
				err = malformedPolicy("Invalid effect: %s", v)
			}
		case "Principal":
			s.Principal, err = parsePrincipal(v)
		case "NotPrincipal":
			s.NotPrincipal, err = parsePrincipal(v)
		case "Action":
			s.Action, err = stringList(v, "Action")
		case "NotAction":
			s.NotAction, err = stringList(v, "NotAction")
		case "Resource":
			s.Resource, err = stringList(v, "Resource")
		case "NotResource":
			s.NotResource, err = stringList(v, "NotResource")
		case "Condition":
			s.conds, err = parseConditions(v)
		default:
			err = malformedPolicy("Unknown field %s", k)
		}
		if err != nil {
			return s, err
		}
	}
	switch {
	case s.Effect == "":
		return s, malformedPolicy("Missing required field Effect")
	case !s.Principal.set() && !s.NotPrincipal.set():
		return s, malformedPolicy("Missing required field Principal")
	case s.Action == nil && s.NotAction == nil:
		return s, malformedPolicy("Missing required field Action")
	case s.Resource == nil && s.NotResource == nil:
		return s, malformedPolicy("Missing required field Resource")
	}
	for _, a := range slices.Concat(s.Action, s.NotAction) {
		if !validAction(a) {
			return s, malformedPolicy("Policy has invalid action")
		}
	}
	resources := slices.Concat(s.Resource, s.NotResource)
	for _, r := range resources {
		if bucket != nil && !validResource(r, *bucket) {
			return s, malformedPolicy("Policy has invalid resource")
		}
	}
	if s.Action != nil && s.Resource != nil && !actionsApply(s.Action, s.Resource) {
		return s, malformedPolicy("Action does not apply to any resource(s) in statement")
	}
	return s, nil
}

func (p Principal) set() bool { return p.Any || len(p.Kinds) > 0 }

var principalKinds = []string{"AWS", "Service", "CanonicalUser", "Federated"}

func parsePrincipal(v json.RawMessage) (Principal, error) {
	var s string
	if json.Unmarshal(v, &s) == nil {
		if s != "*" {
			return Principal{}, malformedPolicy("Invalid principal in policy")
		}
		return Principal{Any: true}, nil
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(v, &m) != nil || len(m) == 0 {
		return Principal{}, malformedPolicy("Invalid principal in policy")
	}
	p := Principal{Kinds: map[string][]string{}}
	for k, raw := range m {
		vals, err := stringList(raw, "Principal")
		if err != nil || !slices.Contains(principalKinds, k) || len(vals) == 0 {
			return Principal{}, malformedPolicy("Invalid principal in policy")
		}
		for _, val := range vals {
			if val == "" {
				return Principal{}, malformedPolicy("Invalid principal in policy")
			}
		}
		p.Kinds[k] = vals
	}
	return p, nil
}

// stringList reads a string or a non-empty array of strings.
func stringList(v json.RawMessage, field string) ([]string, error) {
	var s string
	if json.Unmarshal(v, &s) == nil {
		return []string{s}, nil
	}
	var l []string
	if json.Unmarshal(v, &l) != nil || len(l) == 0 {
		return nil, malformedPolicy("%s must be a string or a non-empty array of strings", field)
	}
	return l, nil
}

// validAction accepts "*" and "s3:Name", the name possibly with
// wildcards; S3 refuses actions of other services in a bucket policy.
func validAction(a string) bool {
	if a == "*" {
		return true
	}
	svc, name, ok := strings.Cut(a, ":")
	return ok && strings.EqualFold(svc, "s3") && name != ""
}

// validResource accepts this bucket's ARN and ARNs of its objects.
func validResource(r, bucket string) bool {
	if r == "*" {
		return true
	}
	rest, ok := strings.CutPrefix(r, "arn:aws:s3:::")
	if !ok {
		return false
	}
	b, _, _ := strings.Cut(rest, "/")
	return wildcardFullMatch(b, bucket)
}

// wildcardFullMatch matches s against a pattern of any number of "*"
// (any run) and "?" (one character), as IAM's string and ARN patterns; it
// backtracks only to the last "*", so it runs in O(len(pattern)·len(s)).
func wildcardFullMatch(pattern, s string) bool {
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == s[i]):
			p++
			i++
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// objectActions are the common S3 actions on objects; the rest of the
// named actions act on buckets. An action with a wildcard may act on both.
var objectActions = []string{
	"abortmultipartupload", "deleteobject", "deleteobjecttagging", "deleteobjectversion",
	"deleteobjectversiontagging", "getobject", "getobjectacl", "getobjectattributes",
	"getobjectlegalhold", "getobjectretention", "getobjecttagging", "getobjectversion",
	"getobjectversionacl", "getobjectversionattributes", "getobjectversiontagging",
	"listmultipartuploadparts", "putobject", "putobjectacl", "putobjectlegalhold",
	"putobjectretention", "putobjecttagging", "putobjectversionacl", "putobjectversiontagging",
	"restoreobject", "bypassgovernanceretention",
}

// actionsApply reports whether some action of the statement can act on
// some of its resources: an object action needs an object ARN ("b/key"),
// a bucket action a bucket ARN.
func actionsApply(actions, resources []string) bool {
	objRes, bucketRes := false, false
	for _, r := range resources {
		switch {
		case r == "*":
			objRes, bucketRes = true, true
		case strings.Contains(r, "/"):
			objRes = true
		default:
			bucketRes = true
			if strings.ContainsAny(strings.TrimPrefix(r, "arn:aws:s3:::"), "*?") {
				objRes = true // "arn:aws:s3:::b*" also names "b/key"
			}
		}
	}
	for _, a := range actions {
		_, name, _ := strings.Cut(a, ":")
		name = strings.ToLower(name)
		switch {
		case a == "*" || strings.ContainsAny(name, "*?"):
			return true
		case slices.Contains(objectActions, name):
			if objRes {
				return true
			}
		default:
			if bucketRes {
				return true
			}
		}
	}
	return false
}

// nonPublicKeys are the condition keys that, given fixed values, make an
// Allow to everyone non-public in S3's sense.
var nonPublicKeys = []string{
	"aws:sourcearn", "aws:sourcevpc", "aws:sourcevpce", "aws:sourceaccount", "aws:sourceowner",
	"aws:principalaccount", "aws:principalarn", "aws:principalorgid", "aws:userid",
	"s3:dataaccesspointarn", "s3:dataaccesspointaccount", "aws:sourceip",
}

// IsPublic reports whether p grants access to everyone, as
// GetBucketPolicyStatus reports it: an Allow statement whose principal
// is "*" (or an AWS "*"), unless a condition pins it to fixed accounts,
// networks or ARNs.
func (p *Policy) IsPublic() bool {
	for _, s := range p.Statements {
		if s.Effect != "Allow" || !s.Principal.everyone() {
			continue
		}
		if !s.restricted() {
			return true
		}
	}
	return false
}

func (p Principal) everyone() bool {
	return p.Any || slices.Contains(p.Kinds["AWS"], "*") || slices.Contains(p.Kinds["CanonicalUser"], "*")
}

func (s Statement) restricted() bool {
	for _, c := range s.conds {
		if c.forAny || c.ifExists || c.op.negated || !slices.Contains(nonPublicKeys, strings.ToLower(c.key)) {
			continue
		}
		fixed := !slices.ContainsFunc(c.values, func(v string) bool {
			return strings.ContainsAny(v, "*?") || strings.Contains(v, "${") || v == "0.0.0.0/0" || v == "::/0"
		})
		if fixed {
			return true
		}
	}
	return false
}

type policyStatusXML struct {
	XMLName xml.Name `xml:"PolicyStatus"`
	rootXML
	IsPublic bool `xml:"IsPublic"`
}

// EncodePolicyStatus writes GetBucketPolicyStatus's PolicyStatus document.
func EncodePolicyStatus(public bool) []byte {
	return encodeXML(&policyStatusXML{IsPublic: public})
}
