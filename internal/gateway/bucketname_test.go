package gateway

import (
	"strings"
	"testing"
)

// TestBucketNameProblem: every name S3 refuses gets a reason naming the
// rule it breaks, and the names S3 accepts get none.
func TestBucketNameProblem(t *testing.T) {
	tests := []struct{ name, want string }{
		{"b", "1 character"},
		{strings.Repeat("a", 64), "64 character"},
		{"Photos", "upper-case"},
		{"my_bucket", `character '_'`},
		{"-abc", "begins or ends"},
		{"abc.", "begins or ends"},
		{"a..b", "dot next to"},
		{"a.-b", "dot next to"},
		{"192.168.5.4", "IP address"},
		{"xn--abc", "reserved prefix"},
		{"abc-s3alias", "reserved suffix"},
		{"ééé", "character"},
	}
	for _, tt := range tests {
		got := bucketNameProblem(tt.name)
		if !strings.Contains(got, tt.want) || ValidBucketName(tt.name) {
			t.Errorf("bucketNameProblem(%q) = %q, ValidBucketName = %v; want a reason with %q and false", tt.name, got, ValidBucketName(tt.name), tt.want)
		}
	}
	for _, name := range []string{"abc", "my-bucket.2026", strings.Repeat("a", 63), "a-b.c"} {
		if got := bucketNameProblem(name); got != "" || !ValidBucketName(name) {
			t.Errorf("bucketNameProblem(%q) = %q, ValidBucketName = %v; want none and true", name, got, ValidBucketName(name))
		}
	}
}
