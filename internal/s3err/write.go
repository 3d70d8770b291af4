// Writing S3 error responses, as
// https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
// describes them.

package s3err

import (
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"

	"github.com/aws/smithy-go"

	"github.com/mocks3/mocks3/internal/s3xml"
	"github.com/mocks3/mocks3/s3api"
)

// Error is an S3 error a handler answers with.
type Error struct {
	Code    s3api.ErrorCode
	Message string // defaults to Code.Message()
	// Status, if set, overrides the code's usual status.
	Status int
	// Extra holds additional elements of the XML body, such as BucketName
	// or Key, in the order given.
	Extra []ExtraElement
}

// ExtraElement is one additional element of an S3 error body.
type ExtraElement struct{ Name, Value string }

func (e *Error) Error() string {
	return fmt.Sprintf("%s: %s", e.Code, e.message())
}

// ErrorCode, ErrorMessage and ErrorFault make an *Error a smithy.APIError,
// as the SDK client's errors are: what the direct API (Server.GetObject…)
// returns reads in a test as what the client would have reported.
func (e *Error) ErrorCode() string    { return string(e.Code) }
func (e *Error) ErrorMessage() string { return e.message() }
func (e *Error) ErrorFault() smithy.ErrorFault {
	if e.status() >= 500 {
		return smithy.FaultServer
	}
	return smithy.FaultClient
}

// status is the response's status: Status when set, else the code's.
func (e *Error) status() int {
	if e.Status != 0 {
		return e.Status
	}
	return e.Code.Status()
}

func (e *Error) message() string {
	if e.Message != "" {
		return e.Message
	}
	return e.Code.Message()
}

func newError(code s3api.ErrorCode, extra ...ExtraElement) *Error {
	return &Error{Code: code, Extra: extra}
}

type errorBody struct {
	XMLName   xml.Name `xml:"Error"`
	Code      s3api.ErrorCode
	Message   string
	Extra     []extraXML
	Resource  string `xml:",omitempty"`
	RequestID string `xml:"RequestId"`
	HostID    string `xml:"HostId"`
}

type extraXML struct {
	XMLName xml.Name
	Value   string `xml:",chardata"`
}

// WriteError writes err as an S3 error response for r. Errors that are not
// an *Error become InternalError. HEAD responses carry no body, as in S3.
func WriteError(w http.ResponseWriter, r *http.Request, err error) {
	var e *Error
	if !errors.As(err, &e) {
		e = newError("InternalError")
	}
	status := e.status()
	h := w.Header()
	h.Del("Content-Length")
	if status == http.StatusNotModified {
		// A 304 keeps the validators, as S3's does.
		w.WriteHeader(status)
		return
	}
	delete(h, "ETag")
	h.Del("Last-Modified")
	if r.Method == http.MethodHead {
		w.WriteHeader(status)
		return
	}
	body := errorBody{
		Code:      e.Code,
		Message:   e.message(),
		Resource:  r.URL.Path,
		RequestID: rawHeader(h, "x-amz-request-id"),
		HostID:    rawHeader(h, "x-amz-id-2"),
	}
	for _, x := range e.Extra {
		body.Extra = append(body.Extra, extraXML{XMLName: xml.Name{Local: x.Name}, Value: x.Value})
	}
	s3xml.Write(w, status, body)
}

// rawHeader reads a header that may have been set with S3's lower-case
// spelling, which http.Header.Get does not find.
func rawHeader(h http.Header, name string) string {
	if v, ok := h[name]; ok && len(v) > 0 {
		return v[0]
	}
	return h.Get(name)
}
