package faultengine

import (
	"net/http"
	"strings"

	"github.com/mocks3/mocks3/faults"
	"github.com/mocks3/mocks3/s3api"
)

// terminal reports whether the action answers the request itself, ending
// rule evaluation.
func terminal(a faults.Action) bool {
	switch a.Kind {
	case faults.KindError, faults.KindHang, faults.KindClose, faults.KindReset, faults.KindFailWrite, faults.KindDatabaseError:
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
		return s3api.ErrInternalError
	case http.StatusServiceUnavailable:
		return s3api.ErrServiceUnavailable
	case http.StatusForbidden:
		return s3api.ErrAccessDenied
	case http.StatusNotFound:
		return s3api.ErrNoSuchKey
	case http.StatusBadRequest:
		return s3api.ErrInvalidRequest
	case http.StatusConflict:
		return s3api.ErrConditionalRequestConflict
	case http.StatusPreconditionFailed:
		return s3api.ErrPreconditionFailed
	case http.StatusTooManyRequests:
		return s3api.ErrSlowDown
	case http.StatusNotImplemented:
		return s3api.ErrNotImplemented
	case http.StatusMethodNotAllowed:
		return s3api.ErrMethodNotAllowed
	case http.StatusLengthRequired:
		return s3api.ErrMissingContentLength
	case http.StatusRequestedRangeNotSatisfiable:
		return s3api.ErrInvalidRange
	case http.StatusNotModified:
		return s3api.ErrNotModified
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
		return s3api.ErrInvalidRequest
	}
	return s3api.ErrInternalError
}

// s3Error returns the S3 error an error action answers with.
func s3Error(a faults.Action) (status int, e *s3api.Error) {
	code, status := a.Code, a.Status
	switch {
	case code == "" && status == 0:
		code, status = s3api.ErrInternalError, http.StatusInternalServerError
	case code == "":
		code = codeForStatus(status)
	case status == 0:
		status = code.Status()
	}
	return status, &s3api.Error{Code: code, Message: a.Message}
}
