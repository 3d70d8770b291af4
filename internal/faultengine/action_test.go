package faultengine

import (
	"net/http"
	"testing"

	"github.com/mocks3/mocks3/internal/faultname"
	"github.com/mocks3/mocks3/internal/s3err"

	"github.com/mocks3/mocks3/faults"
	"github.com/mocks3/mocks3/s3api"
)

// TestHTTPErrorCode: an error action given only a status answers with the
// S3 code that comes with it, or one spelt from the status text.
func TestHTTPErrorCode(t *testing.T) {
	tests := []struct {
		status int
		want   s3api.ErrorCode
	}{
		{http.StatusInternalServerError, s3err.InternalError},
		{http.StatusServiceUnavailable, s3err.ServiceUnavailable},
		{http.StatusNotFound, s3err.NoSuchKey},
		{http.StatusMethodNotAllowed, s3err.MethodNotAllowed},
		{http.StatusRequestedRangeNotSatisfiable, s3err.InvalidRange},
		{http.StatusTeapot, "ImATeapot"},
		{http.StatusBadGateway, "BadGateway"},
		{http.StatusGatewayTimeout, "GatewayTimeout"},
		{http.StatusUnprocessableEntity, "UnprocessableEntity"},
		{450, s3err.InvalidRequest}, // no status text
		{599, s3err.InternalError},
	}
	for _, tt := range tests {
		status, e := s3Error(faults.HTTPError(tt.status, "m"))
		if status != tt.status || e.Code != tt.want || e.Message != "m" {
			t.Errorf("HTTPError(%d) answers %d %s %q, want %d %s %q", tt.status, status, e.Code, e.Message, tt.status, tt.want, "m")
		}
	}
	// A code given with the status is kept.
	if status, e := s3Error(faults.Action{Kind: faultname.KindError, Status: 418, Code: "Teapot"}); status != 418 || e.Code != "Teapot" {
		t.Errorf("Action{Status: 418, Code: Teapot} answers %d %s, want 418 Teapot", status, e.Code)
	}
}
