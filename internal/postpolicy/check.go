package postpolicy

import (
	"strconv"
	"strings"
	"time"

	"github.com/mocks3/mocks3/internal/s3err"
)

func violation(msg string) *s3err.Error {
	return &s3err.Error{Code: s3err.AccessDenied, Message: "Invalid according to Policy: " + msg}
}

// Check checks form, posted to bucket at now, against the policy: its
// expiration, each eq and starts-with condition in order, then that every
// field of the form but the exempt ones is named by a condition. The size
// of the file is CheckSize's to check, once it is known.
func (p *Policy) Check(form *Form, bucket string, now time.Time) error {
	if !now.Before(p.Expiration) {
		return violation("Policy expired.")
	}
	covered := make(map[string]bool, len(p.Conditions))
	for _, c := range p.Conditions {
		name, ok := strings.CutPrefix(c.Field, "$")
		name = strings.ToLower(name)
		var value string
		var present bool
		switch {
		case !ok:
		case name == "bucket":
			// The bucket is the one posted to, whatever a field says.
			value, present = bucket, true
		default:
			value, present = form.Get(name)
		}
		if !present || !c.holds(name, value) {
			return violation("Policy Condition failed: " + c.text)
		}
		covered[name] = true
	}
	if p.Range != nil {
		if _, _, ok := p.Range.Bounds(); !ok {
			return violation("Policy Condition failed: " + p.Range.text)
		}
	}
	for _, f := range form.Fields {
		lower := strings.ToLower(f.Name)
		if !covered[lower] && !exempt(lower) {
			return violation("Extra input fields: " + f.Name)
		}
	}
	return nil
}

func (c Condition) holds(name, value string) bool {
	if c.Op == "eq" {
		return value == c.Value
	}
	if name == "content-type" {
		// A list of types: each must start with the prefix.
		for v := range strings.SplitSeq(value, ",") {
			if !strings.HasPrefix(strings.TrimSpace(v), c.Value) {
				return false
			}
		}
		return true
	}
	return strings.HasPrefix(value, c.Value)
}

// exempt reports whether a field (lower case) needs no condition: the
// file, the policy and its signature, and what the form author marks with
// x-ignore-.
func exempt(lower string) bool {
	switch lower {
	case "file", "policy", "x-amz-signature", "signature", "awsaccesskeyid":
		return true
	}
	return strings.HasPrefix(lower, "x-ignore-")
}

// MaxSize returns the largest file the policy allows, or -1 for no limit.
func (p *Policy) MaxSize() int64 {
	if p == nil || p.Range == nil {
		return -1
	}
	_, hi, ok := p.Range.Bounds()
	if !ok {
		return -1
	}
	return hi
}

// CheckSize checks a file of n bytes against content-length-range, whose
// bounds are inclusive.
func (p *Policy) CheckSize(n int64) error {
	if p == nil || p.Range == nil {
		return nil
	}
	lo, hi, ok := p.Range.Bounds()
	switch {
	case !ok:
		return violation("Policy Condition failed: " + p.Range.text)
	case n > hi:
		return tooLarge(n, hi)
	case n < lo:
		return &s3err.Error{Code: s3err.EntityTooSmall, Message: "Your proposed upload is smaller than the minimum allowed size",
			Extra: []s3err.ExtraElement{{Name: "ProposedSize", Value: strconv.FormatInt(n, 10)}, {Name: "MinSizeAllowed", Value: strconv.FormatInt(lo, 10)}}}
	}
	return nil
}

// tooLarge is S3's EntityTooLarge for a file of n bytes over limit.
func tooLarge(n, limit int64) *s3err.Error {
	return &s3err.Error{Code: s3err.EntityTooLarge, Message: "Your proposed upload exceeds the maximum allowed size",
		Extra: []s3err.ExtraElement{{Name: "ProposedSize", Value: strconv.FormatInt(n, 10)}, {Name: "MaxSizeAllowed", Value: strconv.FormatInt(limit, 10)}}}
}
