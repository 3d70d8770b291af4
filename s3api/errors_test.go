package s3api

import (
	"net/http"
	"testing"
)

func TestErrorTable(t *testing.T) {
	for code, info := range errorTable {
		if info.status < 300 || info.status > 599 {
			t.Errorf("%s: status %d is not an error status", code, info.status)
		}
		if info.message == "" {
			t.Errorf("%s: no message", code)
		}
		if code.Status() != info.status || code.Message() != info.message {
			t.Errorf("%s: Status/Message disagree with the table", code)
		}
	}
	if got := ErrorCode("Bogus").Status(); got != http.StatusInternalServerError {
		t.Errorf("unknown code status = %d, want 500", got)
	}
}
