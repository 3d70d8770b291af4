// Access evaluation: how a bucket policy and ACLs decide a request, after
// "How Amazon S3 authorizes a request"
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/how-s3-evaluates-access-control.html),
// the IAM condition operators
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html)
// and the ACL permission mapping
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#permissions).

package bucketconfig

import (
	"net/netip"
	"slices"
	"strings"
	"time"
)

// Requester is what access evaluation knows of a request and its signer.
type Requester struct {
	// Action is the S3 action, such as "s3:GetObject".
	Action string
	// Resource is the ARN acted on: arn:aws:s3:::bucket or
	// arn:aws:s3:::bucket/key.
	Resource string
	// Anonymous is true for a request without a signature; ARN, Account
	// and CanonicalID are then empty.
	Anonymous   bool
	ARN         string // arn:aws:iam::<account>:user/<name>
	Account     string // 12-digit account ID
	CanonicalID string
	// SecureTransport is aws:SecureTransport: the request came over TLS.
	SecureTransport bool
	// SourceIP is aws:SourceIp; the zero Addr when unknown.
	SourceIP netip.Addr
	// Name is aws:username, the signer's user name.
	Name string
	// Now is the server's time: aws:CurrentTime and aws:EpochTime, absent
	// when zero.
	Now time.Time
	// Keys holds the request's other condition keys by lower-case name
	// (a tag key after "/" keeps its case): aws:Referer, aws:UserAgent,
	// s3:prefix (present, if empty, on listings), s3:x-amz-acl, s3:authType,
	// s3:RequestObjectTag/<key>...
	Keys map[string][]string
	// ExistingTags, if set, returns the tags of the object acted on, for
	// s3:ExistingObjectTag/<key>; called only when a condition asks.
	ExistingTags func() map[string]string

	variables bool // policy variables are expanded (Evaluate sets it)
}

// resourceMatch matches a Resource pattern, its variables expanded; one
// naming a key the request lacks matches nothing.
func (r Requester) resourceMatch(pattern string) bool {
	p, ok := r.expand(pattern)
	return ok && wildcardFullMatch(p, r.Resource)
}

// expand replaces the policy variables of s ("${aws:username}",
// "${s3:prefix, 'default'}", "${$}") with r's values; ok is false when
// one names a key r lacks, or one with several values, and has no
// default.
func (r Requester) expand(s string) (string, bool) {
	if !r.variables || !strings.Contains(s, "${") {
		return s, true
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "${")
		j := strings.IndexByte(s[max(i, 0):], '}')
		if i < 0 || j < 0 {
			b.WriteString(s)
			return b.String(), true
		}
		b.WriteString(s[:i])
		name := s[i+2 : i+j]
		s = s[i+j+1:]
		if name == "*" || name == "?" || name == "$" {
			b.WriteString(name)
			continue
		}
		key, def, hasDef := strings.Cut(name, ",")
		if vals, ok := r.lookup(strings.TrimSpace(key)); ok && len(vals) == 1 {
			b.WriteString(vals[0])
			continue
		}
		def = strings.TrimSpace(def)
		if !hasDef || len(def) < 2 || def[0] != '\'' || def[len(def)-1] != '\'' {
			return "", false
		}
		b.WriteString(def[1 : len(def)-1])
	}
}

// Decision is what a policy says of a request.
type Decision int

// The decisions: no statement applies, an Allow applies, a Deny applies.
const (
	NoDecision Decision = iota
	Allowed
	Denied
)

// Evaluate returns Denied when a Deny statement applies to r, else
// Allowed when an Allow does, else NoDecision: an explicit Deny wins.
// A condition key the request does not have (any key mocks3 does not
// evaluate among them) matches nothing, as IAM's rules for an absent key
// say. allowPublic false ignores the Allow statements
// (RestrictPublicBuckets for a requester of another account).
func (p *Policy) Evaluate(r Requester, allowPublic bool) Decision {
	d := NoDecision
	// Policy variables exist only in the 2012-10-17 language; under the
	// default 2008-10-17, "${aws:username}" is literal text.
	if p.Version == "2012-10-17" {
		r.variables = true
	}
	for _, s := range p.Statements {
		if !s.applies(r) {
			continue
		}
		if s.Effect == "Deny" {
			return Denied
		}
		if allowPublic {
			d = Allowed
		}
	}
	return d
}

func (s Statement) applies(r Requester) bool {
	switch {
	case s.Principal.set() && !s.Principal.matches(r):
		return false
	case s.NotPrincipal.set() && s.NotPrincipal.matches(r):
		return false
	case s.Action != nil && !slices.ContainsFunc(s.Action, func(a string) bool { return actionMatch(a, r.Action) }):
		return false
	case s.NotAction != nil && slices.ContainsFunc(s.NotAction, func(a string) bool { return actionMatch(a, r.Action) }):
		return false
	case s.Resource != nil && !slices.ContainsFunc(s.Resource, r.resourceMatch):
		return false
	case s.NotResource != nil && slices.ContainsFunc(s.NotResource, r.resourceMatch):
		return false
	}
	for _, c := range s.conds {
		if !c.holds(r) {
			return false
		}
	}
	return true
}

// matches reports whether the principal names r's signer: "*" names
// everyone, anonymous included; an AWS value names an account (its ID or
// its root ARN) or a user ARN; a CanonicalUser value a canonical ID.
func (p Principal) matches(r Requester) bool {
	if p.everyone() {
		return true
	}
	if r.Anonymous {
		return false
	}
	for _, v := range p.Kinds["AWS"] {
		if v == r.ARN || v == r.Account || v == "arn:aws:iam::"+r.Account+":root" {
			return true
		}
	}
	return slices.Contains(p.Kinds["CanonicalUser"], r.CanonicalID)
}

// actionMatch matches an action pattern ("s3:Get*") case-insensitively,
// as IAM does.
func actionMatch(pattern, action string) bool {
	return wildcardFullMatch(strings.ToLower(pattern), strings.ToLower(action))
}

// inPrefix reports whether ip is in a CIDR block or equals an address.
func inPrefix(v string, ip netip.Addr) bool {
	ip = ip.Unmap()
	if p, err := netip.ParsePrefix(v); err == nil {
		return p.Contains(ip)
	}
	a, err := netip.ParseAddr(v)
	return err == nil && a.Unmap() == ip
}

// Allows reports whether a grants perm (READ, WRITE, READ_ACP,
// WRITE_ACP) to r, directly or through FULL_CONTROL: to its canonical
// ID, to all users, or to authenticated users when r is signed.
// ignorePublic skips the grants to those two groups (IgnorePublicAcls).
func (a *ACL) Allows(perm string, r Requester, ignorePublic bool) bool {
	return slices.ContainsFunc(a.Grants, func(g Grant) bool {
		if g.Permission != perm && g.Permission != "FULL_CONTROL" {
			return false
		}
		switch g.Grantee.Type {
		case GranteeCanonicalUser:
			return !r.Anonymous && g.Grantee.ID == r.CanonicalID
		case GranteeGroup:
			switch g.Grantee.URI {
			case AllUsers:
				return !ignorePublic
			case AuthenticatedUsers:
				return !ignorePublic && !r.Anonymous
			}
		}
		return false
	})
}
