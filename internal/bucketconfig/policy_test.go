package bucketconfig

import (
	"strings"
	"testing"

	"github.com/mocks3/mocks3/internal/s3err"
)

// stmt is a valid statement with some elements replaced.
func stmt(extra string) string {
	fields := map[string]string{
		"Effect": `"Allow"`, "Principal": `"*"`, "Action": `"s3:GetObject"`, "Resource": `"arn:aws:s3:::b/*"`,
	}
	for kv := range strings.SplitSeq(extra, ";") {
		if kv == "" {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		if v == "" {
			delete(fields, k)
		} else {
			fields[k] = v
		}
	}
	var parts []string
	for k, v := range fields {
		parts = append(parts, `"`+k+`":`+v)
	}
	return "{" + strings.Join(parts, ",") + "}"
}

func policyDoc(stmts ...string) string {
	return `{"Version":"2012-10-17","Statement":[` + strings.Join(stmts, ",") + `]}`
}

func TestParsePolicy(t *testing.T) {
	tests := []struct {
		name    string
		doc     string
		wantMsg string // "" for a valid policy
	}{
		{"valid", policyDoc(stmt("")), ""},
		{"single statement object", `{"Version":"2012-10-17","Statement":` + stmt("") + `}`, ""},
		{"no version", `{"Statement":[` + stmt("") + `]}`, ""},
		{"principal map", policyDoc(stmt(`Principal={"AWS":["arn:aws:iam::111122223333:root","*"]}`)), ""},
		{"bucket action on bucket", policyDoc(stmt(`Action="s3:ListBucket";Resource="arn:aws:s3:::b"`)), ""},
		{"wildcard action", policyDoc(stmt(`Action="s3:*";Resource="arn:aws:s3:::b"`)), ""},
		{"not action", policyDoc(stmt(`Action=;NotAction=["s3:DeleteObject"]`)), ""},
		{"condition", policyDoc(stmt(`Condition={"Bool":{"aws:SecureTransport":"false"}}`)), ""},
		{"bucket wildcard resource", policyDoc(stmt(`Resource="arn:aws:s3:::b*"`)), ""},
		{"not json", `Version: 2012`, "Policies must be valid JSON and the first byte must be '{'"},
		{"array", `[]`, "first byte must be '{'"},
		{"truncated", `{"Statement":[`, "first byte must be '{'"},
		{"no statement", `{"Version":"2012-10-17"}`, "Missing required field Statement"},
		{"empty statement", policyDoc(), "Statement is empty"},
		{"bad version", `{"Version":"2020-01-01","Statement":[` + stmt("") + `]}`, "valid version string"},
		{"unknown top field", `{"Statement":[` + stmt("") + `],"Foo":1}`, "Unknown field Foo"},
		{"no effect", policyDoc(stmt("Effect=")), "Missing required field Effect"},
		{"bad effect", policyDoc(stmt(`Effect="Maybe"`)), "Invalid effect"},
		{"no principal", policyDoc(stmt("Principal=")), "Missing required field Principal"},
		{"bad principal", policyDoc(stmt(`Principal="bob"`)), "Invalid principal in policy"},
		{"bad principal kind", policyDoc(stmt(`Principal={"Robot":"x"}`)), "Invalid principal in policy"},
		{"no action", policyDoc(stmt("Action=")), "Missing required field Action"},
		{"no resource", policyDoc(stmt("Resource=")), "Missing required field Resource"},
		{"foreign action", policyDoc(stmt(`Action="ec2:RunInstances"`)), "Policy has invalid action"},
		{"other bucket", policyDoc(stmt(`Resource="arn:aws:s3:::other/*"`)), "Policy has invalid resource"},
		{"not an arn", policyDoc(stmt(`Resource="b/*"`)), "Policy has invalid resource"},
		{"object action on bucket", policyDoc(stmt(`Resource="arn:aws:s3:::b"`)), "Action does not apply to any resource(s) in statement"},
		{"bucket action on objects", policyDoc(stmt(`Action="s3:ListBucket"`)), "Action does not apply to any resource(s) in statement"},
		{"unknown statement field", policyDoc(stmt(`Foo="x"`)), "Unknown field Foo"},
		{"duplicate sid", policyDoc(stmt(`Sid="a"`), stmt(`Sid="a"`)), "must be unique"},
		{"empty action list", policyDoc(stmt(`Action=[]`)), "Action must be"},
		{"too large", `{"Statement":[` + stmt("") + `],"Id":"` + strings.Repeat("x", MaxPolicySize) + `"}`, "maximum allowed document size"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParsePolicy([]byte(tt.doc), "b")
			if tt.wantMsg == "" {
				checkErr(t, err, "", "")
				return
			}
			checkErr(t, err, s3err.MalformedPolicy, tt.wantMsg)
		})
	}
}

func TestPolicyIsPublic(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want bool
	}{
		{"star principal", policyDoc(stmt("")), true},
		{"aws star", policyDoc(stmt(`Principal={"AWS":"*"}`)), true},
		{"account principal", policyDoc(stmt(`Principal={"AWS":"arn:aws:iam::111122223333:root"}`)), false},
		{"deny", policyDoc(stmt(`Effect="Deny"`)), false},
		{"source ip", policyDoc(stmt(`Condition={"IpAddress":{"aws:SourceIp":"192.0.2.0/24"}}`)), false},
		{"any ip", policyDoc(stmt(`Condition={"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}`)), true},
		{"source vpce", policyDoc(stmt(`Condition={"StringEquals":{"aws:SourceVpce":["vpce-1"]}}`)), false},
		{"secure transport only", policyDoc(stmt(`Condition={"Bool":{"aws:SecureTransport":"true"}}`)), true},
		{"wildcard account", policyDoc(stmt(`Condition={"StringLike":{"aws:PrincipalAccount":"*"}}`)), true},
		// Negated, IfExists and ForAnyValue: forms restrict nobody.
		{"not vpce", policyDoc(stmt(`Condition={"StringNotEquals":{"aws:SourceVpce":"vpce-1"}}`)), true},
		{"vpce if exists", policyDoc(stmt(`Condition={"StringEqualsIfExists":{"aws:SourceVpce":"vpce-1"}}`)), true},
		{"any value vpce", policyDoc(stmt(`Condition={"ForAnyValue:StringEquals":{"aws:SourceVpce":"vpce-1"}}`)), true},
		{"all values vpce", policyDoc(stmt(`Condition={"ForAllValues:StringEquals":{"aws:SourceVpce":"vpce-1"}}`)), false},
		{"not ip", policyDoc(stmt(`Condition={"NotIpAddress":{"aws:SourceIp":"192.0.2.0/24"}}`)), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParsePolicy([]byte(tt.doc), "b")
			if err != nil {
				t.Fatal(err)
			}
			if got := p.IsPublic(); got != tt.want {
				t.Errorf("IsPublic() = %v, want %v", got, tt.want)
			}
		})
	}
	if got := string(EncodePolicyStatus(true)); !strings.Contains(got, "<PolicyStatus xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><IsPublic>true</IsPublic></PolicyStatus>") {
		t.Errorf("EncodePolicyStatus = %s", got)
	}
}

func TestWildcardFullMatch(t *testing.T) {
	tests := []struct {
		pattern, s string
		want       bool
	}{
		{"b", "b", true}, {"b*", "bucket", true}, {"*", "", true}, {"b?c", "bxc", true}, {"b?c", "bc", false},
		{"*a*b*", "xxaxxbxx", true}, {"*a*b", "ab_", false}, {"", "x", false},
		{strings.Repeat("*a", 30) + "b", strings.Repeat("a", 60), false},
	}
	for _, tt := range tests {
		if got := wildcardFullMatch(tt.pattern, tt.s); got != tt.want {
			t.Errorf("wildcardFullMatch(%q, %q) = %v, want %v", tt.pattern, tt.s, got, tt.want)
		}
	}
}
