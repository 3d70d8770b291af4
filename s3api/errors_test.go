package s3api

import (
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
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

func TestWriteError(t *testing.T) {
	tests := []struct {
		name       string
		method     string
		err        error
		wantStatus int
		wantCode   ErrorCode
		wantBody   bool
	}{
		{"s3 error", "GET", newError("NoSuchKey", ExtraElement{"Key", "k"}), 404, "NoSuchKey", true},
		{"wrapped", "PUT", fmt.Errorf("ctx: %w", newError("BadDigest")), 400, "BadDigest", true},
		{"plain error", "GET", errors.New("boom"), 500, "InternalError", true},
		{"head has no body", "HEAD", newError("NoSuchKey"), 404, "", false},
		{"not modified has no body", "GET", newError("NotModified"), 304, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(tt.method, "/b/k", nil)
			w := httptest.NewRecorder()
			w.Header().Set("x-amz-request-id", "REQ1")
			WriteError(w, r, tt.err)
			if w.Code != tt.wantStatus {
				t.Errorf("status = %d, want %d", w.Code, tt.wantStatus)
			}
			if !tt.wantBody {
				if w.Body.Len() != 0 {
					t.Errorf("body = %q, want none", w.Body)
				}
				return
			}
			var body struct {
				Code      ErrorCode
				Message   string
				Resource  string
				RequestID string `xml:"RequestId"`
				Key       string
			}
			if err := xml.Unmarshal(w.Body.Bytes(), &body); err != nil {
				t.Fatalf("body %q: %v", w.Body, err)
			}
			if body.Code != tt.wantCode || body.Message == "" || body.Resource != "/b/k" || body.RequestID != "REQ1" {
				t.Errorf("body = %+v, want code %s with message, resource and request id", body, tt.wantCode)
			}
		})
	}
}
