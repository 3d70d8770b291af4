package gateway

import (
	"fmt"

	"github.com/mocks3/mocks3/internal/objects"
	"github.com/mocks3/mocks3/internal/s3err"
	"github.com/mocks3/mocks3/s3api"
)

// errorf builds an S3 error with a specific message.
func errorf(code s3api.ErrorCode, format string, args ...any) *s3err.Error {
	return &s3err.Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// newError builds an S3 error with the code's message and extra elements.
func newError(code s3api.ErrorCode, elems ...s3err.ExtraElement) *s3err.Error {
	return &s3err.Error{Code: code, Extra: elems}
}

// extra is an additional element of an error body, such as BucketName.
func extra(name, value string) s3err.ExtraElement {
	return s3err.ExtraElement{Name: name, Value: value}
}

// s3Error maps role errors to S3 errors naming the resource.
func s3Error(err error, bucket, key string) error { return objects.S3Error(err, bucket, key) }
