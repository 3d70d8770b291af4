package faultengine

import (
	"net/http"
	"strings"

	"github.com/mocks3/mocks3/internal/faultname"
	"github.com/mocks3/mocks3/internal/s3err"

	"github.com/mocks3/mocks3/faults"
	"github.com/mocks3/mocks3/s3api"
)

// terminal reports whether the action answers the request itself, ending
// rule evaluation.
func terminal(a faults.Action) bool {
	switch a.Kind {
	case faultname.KindError, faultname.KindHang, faultname.KindClose, faultname.KindReset, faultname.KindFailWrite, faultname.KindDatabaseError:
		return true
	}
	return false
}

// codeForStatus picks the S3 error code that usually comes with status.
// A status no S3 error has gets a code spelt from its status text (418 is
// "ImATeapot", 502 "BadGateway"), so the code a client reads still says
// what the status does.
func codeForStatus(status int) s3api.ErrorCode {
	switch status {
	case http.StatusInternalServerError:
		return s3err.InternalError
	case http.StatusServiceUnavailable:
		return s3err.ServiceUnavailable
	case http.StatusForbidden:
		return s3err.AccessDenied
	case http.StatusNotFound:
		return s3err.NoSuchKey
	case http.StatusBadRequest:
		return s3err.InvalidRequest
	case http.StatusConflict:
		return s3err.ConditionalRequestConflict
	case http.StatusPreconditionFailed:
		return s3err.PreconditionFailed
	case http.StatusTooManyRequests:
		return s3err.SlowDown
	case http.StatusNotImplemented:
		return s3err.NotImplemented
	case http.StatusMethodNotAllowed:
		return s3err.MethodNotAllowed
	case http.StatusLengthRequired:
		return s3err.MissingContentLength
	case http.StatusRequestedRangeNotSatisfiable:
		return s3err.InvalidRange
	case http.StatusNotModified:
		return s3err.NotModified
	}
	var code strings.Builder
	for _, word := range strings.Fields(http.StatusText(status)) {
		word = strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, word)
		if word != "" {
			code.WriteString(strings.ToUpper(word[:1]) + word[1:])
		}
	}
	if code.Len() > 0 {
		return s3api.ErrorCode(code.String())
	}
	if status < 500 {
		return s3err.InvalidRequest
	}
	return s3err.InternalError
}

// s3Error returns the S3 error an error action answers with.
func s3Error(a faults.Action) (status int, e *s3err.Error) {
	code, status := a.Code, a.Status
	switch {
	case code == "" && status == 0:
		code, status = s3err.InternalError, http.StatusInternalServerError
	case code == "":
		code = codeForStatus(status)
	case status == 0:
		status = code.Status()
	}
	return status, &s3err.Error{Code: code, Message: a.Message}
}
