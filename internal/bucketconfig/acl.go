// ACLs: https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketAcl.html,
// API_PutObjectAcl.html, API_AccessControlPolicy.html, API_Grant.html,
// API_Grantee.html; canned ACLs from
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html.

package bucketconfig

import (
	"encoding/xml"
	"net/http"
	"slices"
	"strings"

	"github.com/mocks3/mocks3/internal/s3err"
)

// The grantee types and group URIs of S3's ACLs.
const (
	GranteeCanonicalUser = "CanonicalUser"
	GranteeEmail         = "AmazonCustomerByEmail"
	GranteeGroup         = "Group"

	AllUsers           = "http://acs.amazonaws.com/groups/global/AllUsers"
	AuthenticatedUsers = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
	LogDelivery        = "http://acs.amazonaws.com/groups/s3/LogDelivery"

	xsiNamespace = "http://www.w3.org/2001/XMLSchema-instance"
	// execReadID is the canonical user aws-exec-read grants READ to, so
	// that EC2 can read AMI bundles.
	execReadID = "6aa5a366c34c1cbe25dc49211496e913e0351eb0e8c37aa3477e40942ec6b97c"
	maxGrants  = 100
)

var permissions = []string{"FULL_CONTROL", "WRITE", "WRITE_ACP", "READ", "READ_ACP"}

var groups = []string{AllUsers, AuthenticatedUsers, LogDelivery}

// Owner is a canonical user that owns a bucket or an object.
type Owner struct {
	ID          string
	DisplayName string
}

// Grantee is who a grant is for: a canonical user (ID), an account by
// e-mail (EmailAddress) or a group (URI).
type Grantee struct {
	Type         string
	ID           string
	DisplayName  string
	EmailAddress string
	URI          string
}

// Grant gives a grantee one permission.
type Grant struct {
	Grantee    Grantee
	Permission string
}

// ACL is an access control list and the owner it belongs to.
type ACL struct {
	Owner  Owner
	Grants []Grant
	// Canned is the canned ACL it was made from, "" for grants given
	// one by one.
	Canned string
}

func ownerGrant(o Owner, perm string) Grant {
	return Grant{Grantee: Grantee{Type: GranteeCanonicalUser, ID: o.ID, DisplayName: o.DisplayName}, Permission: perm}
}

func groupGrant(uri, perm string) Grant {
	return Grant{Grantee: Grantee{Type: GranteeGroup, URI: uri}, Permission: perm}
}

// CannedACL returns the grants of a canned ACL (x-amz-acl) for a resource
// owned by owner in a bucket owned by bucketOwner; forBucket says the ACL
// is a bucket's, where the bucket-owner-* ACLs are ignored as S3 ignores
// them, and log-delivery-write applies.
func CannedACL(name string, owner, bucketOwner Owner, forBucket bool) (*ACL, error) {
	a := &ACL{Owner: owner, Canned: name, Grants: []Grant{ownerGrant(owner, "FULL_CONTROL")}}
	switch name {
	case "private":
	case "public-read":
		a.Grants = append(a.Grants, groupGrant(AllUsers, "READ"))
	case "public-read-write":
		a.Grants = append(a.Grants, groupGrant(AllUsers, "READ"), groupGrant(AllUsers, "WRITE"))
	case "authenticated-read":
		a.Grants = append(a.Grants, groupGrant(AuthenticatedUsers, "READ"))
	case "aws-exec-read":
		a.Grants = append(a.Grants, Grant{Grantee: Grantee{Type: GranteeCanonicalUser, ID: execReadID}, Permission: "READ"})
	case "bucket-owner-read", "bucket-owner-full-control":
		if forBucket || bucketOwner.ID == owner.ID {
			break
		}
		perm := "READ"
		if name == "bucket-owner-full-control" {
			perm = "FULL_CONTROL"
		}
		a.Grants = append(a.Grants, ownerGrant(bucketOwner, perm))
	case "log-delivery-write":
		if !forBucket {
			return nil, invalidArgument("", "x-amz-acl", name)
		}
		a.Grants = append(a.Grants, groupGrant(LogDelivery, "WRITE"), groupGrant(LogDelivery, "READ_ACP"))
	default:
		return nil, invalidArgument("", "x-amz-acl", name)
	}
	return a, nil
}

// grantHeaders maps the x-amz-grant-* headers to the permission each
// grants.
var grantHeaders = []struct{ header, permission string }{
	{"x-amz-grant-full-control", "FULL_CONTROL"},
	{"x-amz-grant-read", "READ"},
	{"x-amz-grant-read-acp", "READ_ACP"},
	{"x-amz-grant-write", "WRITE"},
	{"x-amz-grant-write-acp", "WRITE_ACP"},
}

// ACLHeadersSent reports whether h sets an ACL (x-amz-acl or an
// x-amz-grant-* header), so that a write without one need not look up
// the owner ACLFromHeaders wants.
func ACLHeadersSent(h http.Header) bool {
	if len(h.Values("x-amz-acl")) > 0 {
		return true
	}
	for _, gh := range grantHeaders {
		if len(h.Values(gh.header)) > 0 {
			return true
		}
	}
	return false
}

// ACLFromHeaders reads the ACL a request sets in its headers: x-amz-acl
// or the x-amz-grant-* headers, not both. It returns nil when the request
// sets none.
func ACLFromHeaders(h http.Header, owner, bucketOwner Owner, forBucket bool) (*ACL, error) {
	canned := h.Get("x-amz-acl")
	var grants []Grant
	for _, gh := range grantHeaders {
		for _, v := range h.Values(gh.header) {
			gs, err := parseGrantHeader(gh.header, v, gh.permission)
			if err != nil {
				return nil, err
			}
			grants = append(grants, gs...)
		}
	}
	switch {
	case canned != "" && len(grants) > 0:
		return nil, errorf(s3err.InvalidRequest, "Specifying both Canned ACLs and Header Grants is not allowed")
	case canned != "":
		return CannedACL(canned, owner, bucketOwner, forBucket)
	case len(grants) > 0:
		if len(grants) > maxGrants {
			return nil, newError(s3err.MalformedACLError)
		}
		return &ACL{Owner: owner, Grants: grants}, nil
	}
	return nil, nil
}

// parseGrantHeader reads one x-amz-grant-* value: comma-separated
// type=value pairs, the value quoted or bare, the type id, uri or
// emailAddress.
func parseGrantHeader(name, v, perm string) ([]Grant, error) {
	var grants []Grant
	for item := range strings.SplitSeq(v, ",") {
		item = strings.TrimSpace(item)
		typ, val, ok := strings.Cut(item, "=")
		val = strings.TrimSpace(val)
		if len(val) >= 2 && val[0] == '"' && val[len(val)-1] == '"' {
			val = val[1 : len(val)-1]
		}
		if !ok || val == "" || strings.ContainsRune(val, '"') {
			return nil, invalidArgument("", name, v)
		}
		g := Grant{Permission: perm}
		switch strings.ToLower(strings.TrimSpace(typ)) {
		case "id":
			g.Grantee = Grantee{Type: GranteeCanonicalUser, ID: val}
		case "uri":
			if !slices.Contains(groups, val) {
				return nil, invalidArgument("Invalid group uri", "uri", val)
			}
			g.Grantee = Grantee{Type: GranteeGroup, URI: val}
		case "emailaddress":
			g.Grantee = Grantee{Type: GranteeEmail, EmailAddress: val}
		default:
			return nil, invalidArgument("", name, v)
		}
		grants = append(grants, g)
	}
	return grants, nil
}

type aclXML struct {
	XMLName xml.Name `xml:"AccessControlPolicy"`
	rootXML
	Owner  *ownerXML  `xml:"Owner"`
	Grants *grantsXML `xml:"AccessControlList"`
}

type ownerXML struct {
	ID          string `xml:"ID"`
	DisplayName string `xml:"DisplayName,omitempty"`
	strictXML
}

type grantsXML struct {
	Grants []grantXML `xml:"Grant"`
	strictXML
}

type grantXML struct {
	Grantee    *granteeXML `xml:"Grantee"`
	Permission string      `xml:"Permission"`
	strictXML
}

// granteeXML is read with its xsi:type attribute in any namespace, and
// written with the xsi prefix declared, as S3 writes it.
type granteeXML struct {
	XMLNSXSI     string `xml:"xmlns:xsi,attr,omitempty"`
	Type         string `xml:"type,attr"`
	ID           string `xml:"ID,omitempty"`
	DisplayName  string `xml:"DisplayName,omitempty"`
	EmailAddress string `xml:"EmailAddress,omitempty"`
	URI          string `xml:"URI,omitempty"`
	strictXML
}

// granteeOut is granteeXML as written: encoding/xml cannot write a
// prefixed attribute from a field that also reads it.
type granteeOut struct {
	XMLNSXSI     string `xml:"xmlns:xsi,attr"`
	Type         string `xml:"xsi:type,attr"`
	ID           string `xml:"ID,omitempty"`
	DisplayName  string `xml:"DisplayName,omitempty"`
	EmailAddress string `xml:"EmailAddress,omitempty"`
	URI          string `xml:"URI,omitempty"`
}

// ParseACL reads PutBucketAcl's and PutObjectAcl's AccessControlPolicy
// document.
func ParseACL(body []byte) (*ACL, error) {
	var doc aclXML
	if err := decodeXML(body, &doc); err != nil {
		return nil, newError(s3err.MalformedACLError)
	}
	a := &ACL{}
	if doc.Owner != nil {
		a.Owner = Owner{ID: doc.Owner.ID, DisplayName: doc.Owner.DisplayName}
	}
	if doc.Grants == nil {
		return a, nil
	}
	if len(doc.Grants.Grants) > maxGrants {
		return nil, newError(s3err.MalformedACLError)
	}
	for _, g := range doc.Grants.Grants {
		if g.Grantee == nil || !slices.Contains(permissions, g.Permission) {
			return nil, newError(s3err.MalformedACLError)
		}
		ge := Grantee{Type: g.Grantee.Type, DisplayName: g.Grantee.DisplayName}
		switch g.Grantee.Type {
		case GranteeCanonicalUser:
			ge.ID = g.Grantee.ID
			if ge.ID == "" {
				return nil, newError(s3err.MalformedACLError)
			}
		case GranteeEmail:
			ge.EmailAddress = g.Grantee.EmailAddress
			if ge.EmailAddress == "" {
				return nil, newError(s3err.MalformedACLError)
			}
		case GranteeGroup:
			ge.URI, ge.DisplayName = g.Grantee.URI, ""
			if !slices.Contains(groups, ge.URI) {
				return nil, invalidArgument("Invalid group uri", "uri", ge.URI)
			}
		default:
			return nil, newError(s3err.MalformedACLError)
		}
		a.Grants = append(a.Grants, Grant{Grantee: ge, Permission: g.Permission})
	}
	return a, nil
}

type aclOut struct {
	XMLName xml.Name `xml:"AccessControlPolicy"`
	rootXML
	Owner  ownerXML   `xml:"Owner"`
	Grants []grantOut `xml:"AccessControlList>Grant"`
}

type grantOut struct {
	Grantee    granteeOut
	Permission string
}

// Encode writes a as an AccessControlPolicy document.
func (a *ACL) Encode() []byte {
	doc := aclOut{Owner: ownerXML{ID: a.Owner.ID, DisplayName: a.Owner.DisplayName}, Grants: []grantOut{}}
	for _, g := range a.Grants {
		doc.Grants = append(doc.Grants, grantOut{Permission: g.Permission, Grantee: granteeOut{
			XMLNSXSI: xsiNamespace, Type: g.Grantee.Type, ID: g.Grantee.ID, DisplayName: g.Grantee.DisplayName,
			EmailAddress: g.Grantee.EmailAddress, URI: g.Grantee.URI}})
	}
	return encodeXML(&doc)
}

// BucketOwnerFullControl reports whether a is an ACL a bucket with the
// BucketOwnerEnforced setting accepts: the bucket-owner-full-control
// canned ACL, or grants that give only the bucket owner full control.
func (a *ACL) BucketOwnerFullControl(bucketOwnerID string) bool {
	if a.Canned != "" {
		return a.Canned == "bucket-owner-full-control"
	}
	for _, g := range a.Grants {
		if g.Grantee.Type != GranteeCanonicalUser || g.Grantee.ID != bucketOwnerID || g.Permission != "FULL_CONTROL" {
			return false
		}
	}
	return len(a.Grants) > 0
}

// Public reports whether a grants anything to everyone or to every
// authenticated AWS user: what BlockPublicAcls refuses.
func (a *ACL) Public() bool {
	return slices.ContainsFunc(a.Grants, func(g Grant) bool {
		return g.Grantee.Type == GranteeGroup && (g.Grantee.URI == AllUsers || g.Grantee.URI == AuthenticatedUsers)
	})
}
