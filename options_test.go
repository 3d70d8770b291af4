package mocks3_test

import (
	"strings"
	"testing"

	"github.com/mocks3/mocks3"
)

// TestWithBucketNameRule: a bucket name S3 would refuse fails New with the
// naming rule, not only "not valid".
func TestWithBucketNameRule(t *testing.T) {
	srv, err := mocks3.NewServer(mocks3.WithBucket("b"))
	if err == nil {
		srv.Close()
		t.Fatal(`NewServer(WithBucket("b")) = nil error, want InvalidBucketName`)
	}
	for _, want := range []string{`WithBucket("b")`, "InvalidBucketName", `"b" has 1 character`, "3 to 63 characters", "bucketnamingrules"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("NewServer(WithBucket(%q)) = %v, want it to say %q", "b", err, want)
		}
	}
}
