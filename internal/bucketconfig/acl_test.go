package bucketconfig

import (
	"net/http"
	"strings"
	"testing"

	"github.com/mocks3/mocks3/internal/s3err"

	"github.com/google/go-cmp/cmp"
	"github.com/mocks3/mocks3/s3api"
)

var (
	alice = Owner{ID: strings.Repeat("a", 64), DisplayName: "alice"}
	bob   = Owner{ID: strings.Repeat("b", 64)}
)

func TestCannedACL(t *testing.T) {
	owner := ownerGrant(alice, "FULL_CONTROL")
	tests := []struct {
		name      string
		forBucket bool
		bucketOwn Owner
		want      []Grant
		wantCode  s3api.ErrorCode
	}{
		{"private", false, alice, []Grant{owner}, ""},
		{"public-read", false, alice, []Grant{owner, groupGrant(AllUsers, "READ")}, ""},
		{"public-read-write", true, alice, []Grant{owner, groupGrant(AllUsers, "READ"), groupGrant(AllUsers, "WRITE")}, ""},
		{"authenticated-read", false, alice, []Grant{owner, groupGrant(AuthenticatedUsers, "READ")}, ""},
		{"bucket-owner-read", false, bob, []Grant{owner, ownerGrant(bob, "READ")}, ""},
		{"bucket-owner-full-control", false, bob, []Grant{owner, ownerGrant(bob, "FULL_CONTROL")}, ""},
		{"bucket-owner-full-control", false, alice, []Grant{owner}, ""},
		{"bucket-owner-read", true, bob, []Grant{owner}, ""},
		{"log-delivery-write", true, alice, []Grant{owner, groupGrant(LogDelivery, "WRITE"), groupGrant(LogDelivery, "READ_ACP")}, ""},
		{"log-delivery-write", false, alice, nil, s3err.InvalidArgument},
		{"public-ready", true, alice, nil, s3err.InvalidArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CannedACL(tt.name, alice, tt.bucketOwn, tt.forBucket)
			checkErr(t, err, tt.wantCode, "")
			if err != nil {
				return
			}
			if diff := cmp.Diff(tt.want, got.Grants); diff != "" {
				t.Errorf("CannedACL(%s) grants (-want +got):\n%s", tt.name, diff)
			}
		})
	}
}

func TestACLFromHeaders(t *testing.T) {
	tests := []struct {
		name     string
		header   http.Header
		want     []Grant
		wantNil  bool
		wantCode s3api.ErrorCode
		wantMsg  string
	}{
		{"none", http.Header{}, nil, true, "", ""},
		{"canned", http.Header{"X-Amz-Acl": {"public-read"}}, []Grant{ownerGrant(alice, "FULL_CONTROL"), groupGrant(AllUsers, "READ")}, false, "", ""},
		{"grants", http.Header{
			"X-Amz-Grant-Write": {`uri="http://acs.amazonaws.com/groups/s3/LogDelivery", id="111122223333"`},
			"X-Amz-Grant-Read":  {`emailAddress="xyz@example.com"`},
		}, []Grant{
			{Grantee{Type: GranteeEmail, EmailAddress: "xyz@example.com"}, "READ"},
			{Grantee{Type: GranteeGroup, URI: LogDelivery}, "WRITE"},
			{Grantee{Type: GranteeCanonicalUser, ID: "111122223333"}, "WRITE"},
		}, false, "", ""},
		{"bare value", http.Header{"X-Amz-Grant-Full-Control": {"id=" + bob.ID}}, []Grant{{Grantee{Type: GranteeCanonicalUser, ID: bob.ID}, "FULL_CONTROL"}}, false, "", ""},
		{"both", http.Header{"X-Amz-Acl": {"private"}, "X-Amz-Grant-Read": {"id=x"}}, nil, false, s3err.InvalidRequest,
			"Specifying both Canned ACLs and Header Grants is not allowed"},
		{"bad type", http.Header{"X-Amz-Grant-Read": {`user="x"`}}, nil, false, s3err.InvalidArgument, ""},
		{"no value", http.Header{"X-Amz-Grant-Read": {`id=""`}}, nil, false, s3err.InvalidArgument, ""},
		{"unknown group", http.Header{"X-Amz-Grant-Read": {`uri="http://example.com/everyone"`}}, nil, false, s3err.InvalidArgument, "group"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if sent := ACLHeadersSent(tt.header); sent == tt.wantNil {
				t.Errorf("ACLHeadersSent = %v, want %v", sent, !tt.wantNil)
			}
			got, err := ACLFromHeaders(tt.header, alice, alice, true)
			checkErr(t, err, tt.wantCode, tt.wantMsg)
			if err != nil {
				return
			}
			if tt.wantNil {
				if got != nil {
					t.Fatalf("ACLFromHeaders = %+v, want nil", got)
				}
				return
			}
			if diff := cmp.Diff(tt.want, got.Grants); diff != "" {
				t.Errorf("grants (-want +got):\n%s", diff)
			}
		})
	}
}

const aclBody = `<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Owner><ID>OWNER</ID></Owner>
  <AccessControlList>
    <Grant>
      <Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>OWNER</ID><DisplayName>me</DisplayName></Grantee>
      <Permission>FULL_CONTROL</Permission>
    </Grant>
    <Grant>
      <Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group"><URI xmlns="">http://acs.amazonaws.com/groups/global/AllUsers</URI></Grantee>
      <Permission xmlns="">READ</Permission>
    </Grant>
  </AccessControlList>
</AccessControlPolicy>`

func TestParseACL(t *testing.T) {
	tests := []struct {
		name     string
		body     string
		wantCode s3api.ErrorCode
	}{
		{"sample", aclBody, ""},
		{"no list", `<AccessControlPolicy><Owner><ID>x</ID></Owner></AccessControlPolicy>`, ""},
		{"bad permission", strings.Replace(aclBody, "FULL_CONTROL", "ALL", 1), s3err.MalformedACLError},
		{"bad type", strings.Replace(aclBody, `xsi:type="CanonicalUser"`, `xsi:type="Robot"`, 1), s3err.MalformedACLError},
		{"no type", strings.Replace(aclBody, `xsi:type="CanonicalUser"`, ``, 1), s3err.MalformedACLError},
		{"user without id", strings.Replace(aclBody, `<ID>OWNER</ID><DisplayName>`, `<DisplayName>`, 1), s3err.MalformedACLError},
		{"unknown group", strings.Replace(aclBody, "global/AllUsers", "global/Everyone", 1), s3err.InvalidArgument},
		{"no grantee", `<AccessControlPolicy><AccessControlList><Grant><Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>`, s3err.MalformedACLError},
		{"not xml", `private`, s3err.MalformedACLError},
		{"101 grants", `<AccessControlPolicy><AccessControlList>` + strings.Repeat(`<Grant><Grantee xsi:type="CanonicalUser" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><ID>a</ID></Grantee><Permission>READ</Permission></Grant>`, 101) + `</AccessControlList></AccessControlPolicy>`, s3err.MalformedACLError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkParse(t, tt.body, tt.wantCode, "", ParseACL, (*ACL).Encode)
		})
	}
}

func TestACLEncode(t *testing.T) {
	a, err := CannedACL("public-read", alice, alice, true)
	if err != nil {
		t.Fatal(err)
	}
	got := string(a.Encode())
	for _, want := range []string{
		`<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>` + alice.ID + `</ID><DisplayName>alice</DisplayName></Owner>`,
		`<Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>` + alice.ID + `</ID>`,
		`<Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group"><URI>` + AllUsers + `</URI></Grantee><Permission>READ</Permission>`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("Encode() = %s\nwant it to contain %s", got, want)
		}
	}
}

func TestBucketOwnerFullControl(t *testing.T) {
	full, _ := CannedACL("bucket-owner-full-control", alice, alice, false)
	private, _ := CannedACL("private", alice, alice, false)
	byGrant := &ACL{Grants: []Grant{ownerGrant(alice, "FULL_CONTROL")}}
	other := &ACL{Grants: []Grant{ownerGrant(alice, "FULL_CONTROL"), groupGrant(AllUsers, "READ")}}
	tests := []struct {
		name string
		acl  *ACL
		want bool
	}{
		{"canned bucket-owner-full-control", full, true},
		{"canned private", private, false},
		{"grant to the owner", byGrant, true},
		{"grant to everyone", other, false},
		{"no grants", &ACL{}, false},
	}
	for _, tt := range tests {
		if got := tt.acl.BucketOwnerFullControl(alice.ID); got != tt.want {
			t.Errorf("%s: BucketOwnerFullControl = %v, want %v", tt.name, got, tt.want)
		}
	}
	if !other.Public() || byGrant.Public() {
		t.Error("Public() wrong")
	}
}
