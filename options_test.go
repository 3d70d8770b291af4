package mocks3_test

import (
	"strings"
	"testing"

	"github.com/mocks3/mocks3"
	"github.com/mocks3/mocks3/internal/cmdserver"
	"github.com/mocks3/mocks3/internal/serverext"
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

// TestInvalidOptions: an invalid option value fails NewServer with a
// message naming the option.
func TestInvalidOptions(t *testing.T) {
	tests := []struct {
		opt  mocks3.Option
		want string
	}{
		{mocks3.WithFS(nil), "WithFS: nil file system"},
		{mocks3.WithBackend(nil), "WithBackend: nil backend"},
		{mocks3.WithDir(""), "WithDir: empty directory"},
		{mocks3.WithRegion(""), "WithRegion: empty region"},
		{mocks3.WithCredentials("", "secret"), "WithCredentials: empty key"},
		{mocks3.WithCredentials("key", ""), "WithCredentials: empty key"},
		{mocks3.WithUser("", "key", "secret"), "WithUser: empty name or key"},
		{mocks3.WithClock(nil), "WithClock: nil clock"},
		{mocks3.WithMinPartSize(0), "WithMinPartSize: 0 is not positive"},
		{cmdserver.Addr(""), "Addr: empty address"},
		{cmdserver.BaseDomain(""), "BaseDomain: empty domain"},
		{cmdserver.StackEndpoints(serverext.StackEndpoints{Metadata: "http://m"}), "StackEndpoints: metadata, storage and queue endpoints are required"},
		{mocks3.WithStorageNodes(17), "WithStorageNodes: 17 nodes, want 1 to 16"},
		{mocks3.WithThirdParty(nil), "WithThirdParty: nil origin"},
		{mocks3.WithEvents(nil), "WithEvents: nil function"},
		{mocks3.WithWebhook("", "http://h"), "WithWebhook: empty ARN"},
		{cmdserver.AdminToken("two words"), "AdminToken: empty token, or one with spaces"},
		{cmdserver.MemoryLimit(-1), "MemoryLimit: -1 is negative"},
	}
	for _, tt := range tests {
		srv, err := mocks3.NewServer(tt.opt)
		if err == nil {
			srv.Close()
			t.Errorf("NewServer(%s) = nil error, want %q", tt.want, tt.want)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("NewServer() = %q, want %q", err, tt.want)
		}
	}
}
