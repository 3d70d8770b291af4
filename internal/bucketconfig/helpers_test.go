package bucketconfig

import (
	"errors"
	"strings"
	"testing"

	"github.com/mocks3/mocks3/s3api"
)

// checkErr fails unless err is nil when code is "", or an *s3api.Error
// with code whose message contains msg.
func checkErr(t *testing.T, err error, code s3api.ErrorCode, msg string) {
	t.Helper()
	if code == "" {
		if err != nil {
			t.Fatalf("err = %v, want nil", err)
		}
		return
	}
	var e *s3api.Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v, want %s", err, code)
	}
	if e.Code != code || !strings.Contains(e.Error(), msg) {
		t.Fatalf("err = %v, want %s containing %q", err, code, msg)
	}
}
