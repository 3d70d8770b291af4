package gateway

import (
	"fmt"

	"github.com/mocks3/mocks3/internal/objects"
	"github.com/mocks3/mocks3/s3api"
)

// errorf builds an S3 error with a specific message.
func errorf(code s3api.ErrorCode, format string, args ...any) *s3api.Error {
	return &s3api.Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// newError builds an S3 error with the code's message and extra elements.
func newError(code s3api.ErrorCode, elems ...s3api.ExtraElement) *s3api.Error {
	return &s3api.Error{Code: code, Extra: elems}
}

// extra is an additional element of an error body, such as BucketName.
func extra(name, value string) s3api.ExtraElement {
	return s3api.ExtraElement{Name: name, Value: value}
}

// s3Error maps role errors to S3 errors naming the resource.
func s3Error(err error, bucket, key string) error { return objects.S3Error(err, bucket, key) }
