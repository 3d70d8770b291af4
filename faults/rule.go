// Package faults makes mocks3 fail the way S3 and networks fail in
// production: throttling, server errors, latency, hangs, dropped and reset
// connections, truncated, corrupted or slow bodies, and lost, corrupted or
// stale data — deterministically, so a test can then assert what the code
// under test did.
//
// A Rule is a match (which requests), conditions (when) and an Action
// (what happens). Rules are plain structs, so tables of scenarios read well:
//
//	srv.Faults().Add(faults.Rule{Operation: "PutObject", Times: 2, Action: faults.ErrorCode("SlowDown")})
//
// # Evaluation order
//
// For each request (or role call) the engine walks the enabled rules of the
// request's service by descending Priority, then in the order they were
// added. A rule whose match and conditions hold triggers. Actions that only
// shape the response (Delay, SlowBody, TruncateBody, CorruptBody, …) let the
// walk go on, so a delay and an error can combine; the first action that
// answers the request itself (an error, a hang, a dropped connection) ends
// the walk. Rules after it see nothing: their counters do not move.
package faults

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/mocks3/mocks3/internal/faultmatch"
	"github.com/mocks3/mocks3/internal/faultname"
	"github.com/mocks3/mocks3/s3api"
)

// Service names where a rule acts: "gateway", the S3 API itself ("" means
// it too), or one of the roles behind it: "metadata", "storage", "queue" or
// "third-party". The seed's names ("storage-service", "metadata-service",
// …) are accepted too, and any case.
type Service string

// Rule says which requests fail, when, and how. The zero value of every
// match field matches everything; the zero value of every condition lets
// every match trigger.
type Rule struct {
	Name        string
	Description string

	// Service is where the rule acts; "" is the gateway (the S3 API).
	Service Service
	// Operation matches the S3 operation ("PutObject"); on a role
	// service, the role calls made while serving it. It must be one of
	// s3api.Operations, spelt exactly.
	Operation s3api.Operation
	// RoleOp matches one operation of the rule's role: a call the S3
	// layer makes to the metadata, storage, queue or third-party role
	// while it serves a request. Events and Stats.ByOperation name it
	// ("storage:Write"). The operations, by role:
	//
	//	storage      Write, Read, Delete
	//	metadata     CreateBucket, GetBucket, ListBuckets, DeleteBucket,
	//	             GetObject, PutObject, DeleteObject, ListObjects,
	//	             CreateUpload, CompleteUpload, GetUpload, PutPart,
	//	             DeleteUpload, ListUploads
	//	queue        Enqueue
	//	third-party  Fetch
	//
	// An S3 write ends in the metadata call that makes the object visible:
	// PutObject (for PutObject and CopyObject) or CompleteUpload. As in the
	// seed's JSON, where "operation" names both, an Operation that names
	// one of the role's operations ("Write" on the storage service) means
	// that role operation. A storage rule that loses writes or serves
	// stale reads acts in the metadata call that applies it, and there
	// still matches "Write" or "Read".
	RoleOp string

	// Method, Header, Query, Attempt, AccessKey, UserAgent and ClientIP
	// match the S3 request; on a role service, the S3 request the role
	// call serves.
	Method string // HTTP method
	Bucket string // glob: * matches any run of characters, ? one
	Key    string // glob, as Bucket; * also crosses "/"
	// Header and Query match request headers and query parameters: name →
	// glob of the value ("*" requires presence).
	Header map[string]string
	Query  map[string]string
	// Attempt matches the SDK's attempt number from the amz-sdk-request
	// header (attempt=N), so "fail the first two attempts of every call" is
	// Attempt: 1 and another rule with Attempt: 2; AttemptAtMost fails every
	// attempt up to N. Both are ≥ 0; 0 matches any attempt.
	Attempt       int
	AttemptAtMost int
	// AccessKey is a glob on the access key ID the request is signed
	// with (its Authorization header or presigned query), so that a rule
	// can fault one user of a WithUser server; unsigned requests have "".
	AccessKey string
	UserAgent string // glob on User-Agent
	ClientIP  string // an IP or a CIDR
	// Node matches the storage node a storage call goes to ("storage-2",
	// glob), so a rule can take one node down while reads fall back to
	// the others.
	Node string

	// Probability triggers a match with this chance, drawn from the
	// engine's seeded source; 0 means always.
	Probability float64
	// After skips the first After matches.
	After int
	// Times triggers on the next Times matches after those skipped, then
	// no more; 0 means no limit.
	Times int
	// EveryNth triggers on every Nth match (counted after After).
	EveryNth int
	// MaxTriggers caps the number of triggers; 0 means no cap.
	MaxTriggers int
	// Schedule restricts the rule to a time window.
	Schedule *Schedule
	// Disabled rules are kept but never match.
	Disabled bool
	// Priority orders rules: higher first; equal priorities keep the order
	// rules were added in.
	Priority int

	Action Action
}

// Schedule is a window of time in which a rule is active, as in the seed's
// schedule: between Start and End (either may be zero), on Days (empty: every
// day), during hours [FromHour, ToHour) (both zero: all day), in Location
// (nil: UTC). Times come from the server's clock.
type Schedule struct {
	Start, End       time.Time
	Days             []time.Weekday
	FromHour, ToHour int
	Location         *time.Location
}

// Validate reports whether the engine accepts r, as srv.Faults().Add
// checks it: an invalid rule is an error that names the offending field.
func (r Rule) Validate() error {
	if err := r.validate(); err != nil {
		return invalid(r, err)
	}
	return nil
}

// invalid is the error for a rule validate refused, naming the rule if it
// has a name.
func invalid(r Rule, err error) error {
	if r.Name == "" {
		return fmt.Errorf("faults: invalid rule: %w", err)
	}
	return fmt.Errorf("faults: rule %q: %w", r.Name, err)
}

// validate checks a rule and fills defaults, naming the bad field.
func (r *Rule) validate() error {
	svc, err := faultname.ParseService(string(r.Service))
	if err != nil {
		return fmt.Errorf("service: %v", err)
	}
	r.Service = Service(svc)
	if r.Probability < 0 || r.Probability > 1 {
		return fmt.Errorf("probability: %v is not within [0, 1]", r.Probability)
	}
	if err := r.validateOps(); err != nil {
		return err
	}
	for name, v := range map[string]int{"after": r.After, "times": r.Times, "every_nth": r.EveryNth, "max_triggers": r.MaxTriggers, "attempt": r.Attempt, "attempt_at_most": r.AttemptAtMost} {
		if v < 0 {
			return fmt.Errorf("%s: %d is negative", name, v)
		}
	}
	if r.ClientIP != "" {
		if _, err := faultmatch.ParseIP(r.ClientIP); err != nil {
			return fmt.Errorf("client_ip: %v", err)
		}
	}
	patterns := []struct{ field, glob string }{{"bucket", r.Bucket}, {"key", r.Key}, {"user_agent", r.UserAgent}, {"node", r.Node}, {"access_key", r.AccessKey}}
	for name, g := range r.Header {
		patterns = append(patterns, struct{ field, glob string }{"header " + name, g})
	}
	for name, g := range r.Query {
		patterns = append(patterns, struct{ field, glob string }{"param " + name, g})
	}
	for _, p := range patterns {
		if !faultmatch.ValidGlob(p.glob) {
			return fmt.Errorf("%s: %q is not a valid pattern", p.field, p.glob)
		}
	}
	if s := r.Schedule; s != nil && (s.FromHour < 0 || s.FromHour > 23 || s.ToHour < 0 || s.ToHour > 24) {
		return fmt.Errorf("schedule: hours %d-%d out of range", s.FromHour, s.ToHour)
	}
	if err := r.Action.validate(r.Service); err != nil {
		return fmt.Errorf("action: %v", err)
	}
	return nil
}

// validateOps checks that Operation and RoleOp name operations that exist,
// spelt exactly: a misspelt name would never match.
func (r *Rule) validateOps() error {
	if op := r.Operation; op != "" && !slices.Contains(s3api.Operations(), op) &&
		!faultname.IsRoleOp(string(r.Service), string(op)) {
		var valid []string
		for _, o := range s3api.Operations() {
			valid = append(valid, string(o))
		}
		valid = append(valid, faultname.RoleOps(string(r.Service))...)
		return fmt.Errorf("operation: unknown operation %q%s (want one of %s)", op, didYouMean(string(op), valid), strings.Join(valid, ", "))
	}
	if r.RoleOp != "" && r.Operation != "" && !slices.Contains(s3api.Operations(), r.Operation) {
		return fmt.Errorf("operation: %q is not an S3 operation; with role_operation set, operation names the S3 operation the call serves", r.Operation)
	}
	if op := r.RoleOp; op != "" && !faultname.IsRoleOp(string(r.Service), op) {
		if r.Service == faultname.Gateway {
			return fmt.Errorf("role_operation: %q: the gateway has no role operations; set the service to the role the operation belongs to", op)
		}
		valid := faultname.RoleOps(string(r.Service))
		return fmt.Errorf("role_operation: %q is not an operation of the %s role%s (want one of %s)", op, r.Service, didYouMean(string(op), valid), strings.Join(valid, ", "))
	}
	return nil
}

// didYouMean suggests the valid name that s misspells by case only.
func didYouMean(s string, valid []string) string {
	for _, v := range valid {
		if strings.EqualFold(s, v) {
			return fmt.Sprintf("; did you mean %q?", v)
		}
	}
	return ""
}
