package s3err

import (
	"encoding/xml"
	"errors"
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/aws/smithy-go"
	"github.com/mocks3/mocks3/s3api"
)

func TestWriteError(t *testing.T) {
	tests := []struct {
		name       string
		method     string
		err        error
		wantStatus int
		wantCode   s3api.ErrorCode
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
				Code      s3api.ErrorCode
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

// TestErrorIsAPIError: an *Error reads as the SDK client's errors do.
func TestErrorIsAPIError(t *testing.T) {
	tests := []struct {
		err       error
		wantCode  string
		wantFault smithy.ErrorFault
	}{
		{newError("NoSuchKey"), "NoSuchKey", smithy.FaultClient},
		{fmt.Errorf("wrapped: %w", newError("SlowDown")), "SlowDown", smithy.FaultServer},
		{&Error{Code: "Mine", Status: 409, Message: "m"}, "Mine", smithy.FaultClient},
	}
	for _, tt := range tests {
		var ae smithy.APIError
		if !errors.As(tt.err, &ae) || ae.ErrorCode() != tt.wantCode || ae.ErrorFault() != tt.wantFault || ae.ErrorMessage() == "" {
			t.Errorf("errors.As(%v, smithy.APIError) = %v, want code %s, fault %v and a message", tt.err, ae, tt.wantCode, tt.wantFault)
		}
	}
}
