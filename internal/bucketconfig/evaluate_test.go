package bucketconfig

import (
	"net/netip"
	"testing"
)

const (
	bobARN     = "arn:aws:iam::222222222222:user/bob"
	bobAccount = "222222222222"
)

var (
	anonGet = Requester{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/pub/a", Anonymous: true}
	bobList = Requester{Action: "s3:ListBucket", Resource: "arn:aws:s3:::b", ARN: bobARN, Account: bobAccount,
		CanonicalID: "bobcanon", Keys: map[string][]string{"s3:prefix": {"docs/"}}, SourceIP: netip.MustParseAddr("10.1.2.3")}
)

func TestPolicyEvaluate(t *testing.T) {
	stmt := func(s string) string {
		return `{"Version":"2012-10-17","Statement":[` + s + `]}`
	}
	allowAnonPub := `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/pub/*"}`
	tests := []struct {
		name   string
		policy string
		req    Requester
		want   Decision
	}{
		{"principal star, prefix matches", stmt(allowAnonPub), anonGet, Allowed},
		{"principal star, other prefix", stmt(allowAnonPub), Requester{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/priv/a", Anonymous: true}, NoDecision},
		{"action wildcard", stmt(`{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:Get*","Resource":"arn:aws:s3:::b/*"}`), anonGet, Allowed},
		{"action not matched", stmt(`{"Effect":"Allow","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*"}`), anonGet, NoDecision},
		{"NotAction", stmt(`{"Effect":"Allow","Principal":"*","NotAction":"s3:PutObject","Resource":"arn:aws:s3:::b/*"}`), anonGet, Allowed},
		{"user ARN", stmt(`{"Effect":"Allow","Principal":{"AWS":"` + bobARN + `"},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::b"}`), bobList, Allowed},
		{"account root", stmt(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::b"}`), bobList, Allowed},
		{"account ID", stmt(`{"Effect":"Allow","Principal":{"AWS":"222222222222"},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::b"}`), bobList, Allowed},
		{"canonical user", stmt(`{"Effect":"Allow","Principal":{"CanonicalUser":"bobcanon"},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::b"}`), bobList, Allowed},
		{"other user", stmt(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::333333333333:user/carol"},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::b"}`), bobList, NoDecision},
		{"user ARN is not anonymous", stmt(`{"Effect":"Allow","Principal":{"AWS":"` + bobARN + `"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}`), anonGet, NoDecision},
		{"bucket resource is not object", stmt(`{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b"}`), anonGet, NoDecision},
		{"deny beats allow", stmt(allowAnonPub + `,{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/pub/a"}`), anonGet, Denied},
		{"deny alone", stmt(`{"Effect":"Deny","Principal":"*","Action":"*","Resource":"arn:aws:s3:::b/*"}`), anonGet, Denied},
		{"NotPrincipal deny spares bob", stmt(`{"Effect":"Deny","NotPrincipal":{"AWS":"` + bobARN + `"},"Action":"*","Resource":"arn:aws:s3:::b"}`), bobList, NoDecision},
		{"SecureTransport false denies http", stmt(`{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}`), anonGet, Denied},
		{"SecureTransport false spares https", stmt(`{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}`),
			Requester{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/x", Anonymous: true, SecureTransport: true}, NoDecision},
		{"SourceIp in block", stmt(`{"Effect":"Allow","Principal":"*","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b","Condition":{"IpAddress":{"aws:SourceIp":["10.0.0.0/8"]}}}`), bobList, Allowed},
		{"SourceIp outside block", stmt(`{"Effect":"Allow","Principal":"*","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b","Condition":{"IpAddress":{"aws:SourceIp":"192.168.0.0/16"}}}`), bobList, NoDecision},
		{"NotIpAddress", stmt(`{"Effect":"Allow","Principal":"*","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b","Condition":{"NotIpAddress":{"aws:SourceIp":"192.168.0.0/16"}}}`), bobList, Allowed},
		{"s3:prefix like", stmt(`{"Effect":"Allow","Principal":"*","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b","Condition":{"StringLike":{"s3:prefix":"docs/*"}}}`), bobList, Allowed},
		{"s3:prefix equals other", stmt(`{"Effect":"Allow","Principal":"*","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b","Condition":{"StringEquals":{"s3:prefix":"img/"}}}`), bobList, NoDecision},
		{"unknown key does not apply", stmt(`{"Effect":"Deny","Principal":"*","Action":"*","Resource":"arn:aws:s3:::b","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-1"}}}`), bobList, NoDecision},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParsePolicy([]byte(tt.policy), "b")
			if err != nil {
				t.Fatalf("ParsePolicy: %v", err)
			}
			if got := p.Evaluate(tt.req, true); got != tt.want {
				t.Errorf("Evaluate = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestPolicyEvaluateRestricted: without public allows, Allow statements
// count for nothing but Deny still does.
func TestPolicyEvaluateRestricted(t *testing.T) {
	p, err := ParsePolicy([]byte(`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},
		{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/secret"}]}`), "b")
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Evaluate(anonGet, false); got != NoDecision {
		t.Errorf("restricted allow = %v, want NoDecision", got)
	}
	secret := anonGet
	secret.Resource = "arn:aws:s3:::b/secret"
	if got := p.Evaluate(secret, false); got != Denied {
		t.Errorf("restricted deny = %v, want Denied", got)
	}
}

func TestACLAllows(t *testing.T) {
	owner := Owner{ID: "ownercanon"}
	canned := func(name string) *ACL {
		a, err := CannedACL(name, owner, owner, true)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	bob := Requester{CanonicalID: "bobcanon"}
	anon := Requester{Anonymous: true}
	bobGrant := &ACL{Owner: owner, Grants: []Grant{{Grantee: Grantee{Type: GranteeCanonicalUser, ID: "bobcanon"}, Permission: "WRITE"}}}
	tests := []struct {
		name         string
		acl          *ACL
		perm         string
		req          Requester
		ignorePublic bool
		want         bool
	}{
		{"private anonymous", canned("private"), "READ", anon, false, false},
		{"private owner", canned("private"), "WRITE", Requester{CanonicalID: "ownercanon"}, false, true},
		{"public-read anonymous read", canned("public-read"), "READ", anon, false, true},
		{"public-read anonymous write", canned("public-read"), "WRITE", anon, false, false},
		{"public-read-write anonymous write", canned("public-read-write"), "WRITE", anon, false, true},
		{"public-read ignored", canned("public-read"), "READ", anon, true, false},
		{"authenticated-read anonymous", canned("authenticated-read"), "READ", anon, false, false},
		{"authenticated-read bob", canned("authenticated-read"), "READ", bob, false, true},
		{"authenticated-read ignored", canned("authenticated-read"), "READ", bob, true, false},
		{"user grant", bobGrant, "WRITE", bob, true, true},
		{"user grant other perm", bobGrant, "READ", bob, false, false},
		{"user grant anonymous", bobGrant, "WRITE", anon, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.acl.Allows(tt.perm, tt.req, tt.ignorePublic); got != tt.want {
				t.Errorf("Allows(%s) = %v, want %v", tt.perm, got, tt.want)
			}
		})
	}
}
