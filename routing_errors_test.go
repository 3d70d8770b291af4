package mocks3_test

// What a request no operation serves gets: 405 MethodNotAllowed for a
// method S3 does not allow on a resource it defines, 400 for a query that
// names several subresources, and 501 only for what S3 does not define:
// https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html

import (
	"context"
	"encoding/xml"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/mocks3/mocks3"
)

// methodErrorBody is an S3 MethodNotAllowed error body.
type methodErrorBody struct {
	Code, Message, Method, ResourceType string
}

func TestRoutingErrors(t *testing.T) {
	tests := []struct {
		name         string
		method, path string
		wantStatus   int
		wantCode     string
		wantType     string // ResourceType of a 405
	}{
		{"POST on an object", "POST", "/" + testBucket + "/obj", 405, "MethodNotAllowed", "OBJECT"},
		{"PATCH on an object", "PATCH", "/" + testBucket + "/obj", 405, "MethodNotAllowed", "OBJECT"},
		{"POST on a bucket, not a form", "POST", "/" + testBucket, 412, "PreconditionFailed", ""}, // a POST Object that is not multipart/form-data
		{"PUT on the service", "PUT", "/", 405, "MethodNotAllowed", "SERVICE"},
		{"GET ?delete", "GET", "/" + testBucket + "?delete", 405, "MethodNotAllowed", "DELETE"},
		{"DELETE ?location", "DELETE", "/" + testBucket + "?location", 405, "MethodNotAllowed", "LOCATION"},
		{"two subresources", "GET", "/" + testBucket + "?location&uploads", 400, "InvalidRequest", ""},
		{"unknown subresource", "GET", "/" + testBucket + "?fancy", 501, "NotImplemented", ""},
	}
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		srv := newServer(t, mocks3.WithObject(testBucket, "obj", []byte("data")))
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				resp, body := rawRequest(t, srv, tt.method, tt.path, nil, nil)
				if resp.StatusCode != tt.wantStatus {
					t.Errorf("%s %s status = %d, want %d", tt.method, tt.path, resp.StatusCode, tt.wantStatus)
				}
				var e methodErrorBody
				if err := xml.Unmarshal(body, &e); err != nil {
					t.Fatalf("%s %s body %q: %v", tt.method, tt.path, body, err)
				}
				if e.Code != tt.wantCode || e.Message == "" {
					t.Errorf("%s %s error = %+v, want code %s and a message", tt.method, tt.path, e, tt.wantCode)
				}
				if tt.wantType != "" && (e.Method != tt.method || e.ResourceType != tt.wantType) {
					t.Errorf("%s %s error = %+v, want Method %s, ResourceType %s", tt.method, tt.path, e, tt.method, tt.wantType)
				}
			})
		}
		srv.CheckObject(t, testBucket, "obj", []byte("data"))

		t.Run("SDK sees MethodNotAllowed", func(t *testing.T) {
			// GetObject sent as POST: the SDK parses the 405 as S3's error.
			c := srv.Client(func(o *s3.Options) {
				o.APIOptions = append(o.APIOptions, func(st *middleware.Stack) error {
					return st.Finalize.Add(middleware.FinalizeMiddlewareFunc("post", func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
						if req, ok := in.Request.(*smithyhttp.Request); ok {
							req.Method = http.MethodPost
						}
						return next.HandleFinalize(ctx, in)
					}), middleware.After)
				})
			})
			_, err := c.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String(testBucket), Key: aws.String("obj")})
			checkErr(t, "GetObject sent as POST", err, "MethodNotAllowed", 405)
		})
	})
}
