package mocks3_test

// Error responses and operations mocks3 does not implement:
// https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html

import (
	"context"
	"encoding/xml"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/mocks3/mocks3"
)

func TestUnsupportedOperations(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		body := []byte("keep me")
		srv, c := startBucket(t, newServer, mocks3.WithObject(testBucket, "obj", body))
		ctx, b, k := t.Context(), aws.String(testBucket), aws.String("obj")

		tests := []struct {
			op   string
			call func() error
		}{
			{"GetBucketReplication", callErr(ctx, c.GetBucketReplication, &s3.GetBucketReplicationInput{Bucket: b})},
			{"GetBucketAnalyticsConfiguration", callErr(ctx, c.GetBucketAnalyticsConfiguration, &s3.GetBucketAnalyticsConfigurationInput{Bucket: b, Id: aws.String("a")})},
			{"DeleteBucketMetricsConfiguration", callErr(ctx, c.DeleteBucketMetricsConfiguration, &s3.DeleteBucketMetricsConfigurationInput{Bucket: b, Id: aws.String("m")})},
		}
		for _, tt := range tests {
			t.Run(tt.op, func(t *testing.T) {
				err := tt.call()
				checkErr(t, tt.op+"()", err, "NotImplemented", 501)
				var ae smithy.APIError
				if errors.As(err, &ae) && !strings.Contains(ae.ErrorMessage(), tt.op) {
					t.Errorf("%s() error message = %q, want it to name %s", tt.op, ae.ErrorMessage(), tt.op)
				}
			})
		}
		// None of them touched the object (gofakes3 lets PUT ?tagging
		// overwrite it).
		srv.CheckObject(t, testBucket, "obj", body)
		head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: k})
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToString(head.ETag) != etagOf(body) {
			t.Errorf("HeadObject().ETag = %s after unsupported operations, want %s", aws.ToString(head.ETag), etagOf(body))
		}
	})
}

func TestErrorResponses(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		srv := newServer(t, mocks3.WithObject(testBucket, "obj", []byte("data")))
		rec := newRecorder(t, srv)
		c := srv.Client(withHTTPClient(rec))
		ctx := t.Context()

		t.Run("request ID on success", func(t *testing.T) {
			mustGet(t, c, testBucket, "obj")
			if got := rec.Last().header.Get("X-Amz-Request-Id"); got == "" {
				t.Errorf("GetObject() response has no x-amz-request-id")
			}
		})

		raw := []struct {
			name       string
			method     string
			path       string
			header     http.Header
			body       string
			wantStatus int
			wantCode   string
		}{
			{"missing key", "GET", "/" + testBucket + "/missing", nil, "", 404, "NoSuchKey"},
			{"missing bucket", "GET", "/no-such-bucket?list-type=2", nil, "", 404, "NoSuchBucket"},
			{"max-keys not a number", "GET", "/" + testBucket + "?list-type=2&max-keys=abc", nil, "", 400, "InvalidArgument"},
			{"max-keys negative v1", "GET", "/" + testBucket + "?max-keys=-1", nil, "", 400, "InvalidArgument"},
			{"malformed delete", "POST", "/" + testBucket + "?delete", nil, "<Delete><Object><Key>obj", 400, "MalformedXML"},
			{"malformed complete", "POST", "/" + testBucket + "/obj?uploadId=x", nil, "not xml", 400, "MalformedXML"},
			{"malformed create bucket", "PUT", "/new-bucket", nil, "<CreateBucketConfiguration><LocationConstraint>", 400, "MalformedXML"},
			{"unknown subresource", "GET", "/" + testBucket + "?fancy", nil, "", 501, "NotImplemented"},
			{"PUT ?legal-hold without object lock", "PUT", "/" + testBucket + "/obj?legal-hold", nil, "<LegalHold><Status>ON</Status></LegalHold>", 400, "InvalidRequest"},
			{"PUT ?replication", "PUT", "/" + testBucket + "?replication", nil, "<ReplicationConfiguration/>", 501, "NotImplemented"},
			{"unknown method", "PATCH", "/" + testBucket + "/obj", nil, "x", 405, "MethodNotAllowed"},
			{"long key", "GET", "/" + testBucket + "/" + strings.Repeat("k", 1025), nil, "", 400, "KeyTooLongError"},
			{"bad version", "GET", "/" + testBucket + "/obj?versionId=v2", nil, "", 400, "InvalidArgument"},
		}
		for _, tt := range raw {
			t.Run("raw "+tt.name, func(t *testing.T) {
				resp, body := rawRequest(t, srv, tt.method, tt.path, tt.header, []byte(tt.body))
				if resp.StatusCode != tt.wantStatus {
					t.Errorf("%s %s status = %d, want %d", tt.method, tt.path, resp.StatusCode, tt.wantStatus)
				}
				reqID := resp.Header.Get("X-Amz-Request-Id")
				if reqID == "" {
					t.Errorf("%s %s has no x-amz-request-id", tt.method, tt.path)
				}
				if ct := resp.Header.Get("Content-Type"); ct != "application/xml" {
					t.Errorf("%s %s Content-Type = %q, want application/xml", tt.method, tt.path, ct)
				}
				var e s3ErrorBody
				if err := xml.Unmarshal(body, &e); err != nil {
					t.Fatalf("%s %s body %q: %v", tt.method, tt.path, body, err)
				}
				if e.Code != tt.wantCode || e.Message == "" || e.RequestID != reqID {
					t.Errorf("%s %s error = %+v, want code %s, a message and request ID %q", tt.method, tt.path, e, tt.wantCode, reqID)
				}
			})
		}
		srv.CheckObject(t, testBucket, "obj", []byte("data"))

		t.Run("raw HEAD error has no body", func(t *testing.T) {
			resp, body := rawRequest(t, srv, "HEAD", "/"+testBucket+"/missing", nil, nil)
			if resp.StatusCode != 404 || len(body) != 0 || resp.Header.Get("X-Amz-Request-Id") == "" {
				t.Errorf("HEAD missing = %d with %d body bytes, request ID %q; want 404, no body, an ID", resp.StatusCode, len(body), resp.Header.Get("X-Amz-Request-Id"))
			}
		})

		sdk := []struct {
			name   string
			call   func() error
			code   string
			status int
		}{
			{"PutObject key of 1025 bytes", callErr(ctx, c.PutObject, &s3.PutObjectInput{Bucket: aws.String(testBucket), Key: aws.String(strings.Repeat("k", 1025)), Body: strings.NewReader("x")}), "KeyTooLongError", 400},
			{"GetObject key of 1025 bytes", func() error {
				return getErr(ctx, c, &s3.GetObjectInput{Bucket: aws.String(testBucket), Key: aws.String(strings.Repeat("ü", 513))})
			}, "KeyTooLongError", 400},
			{"CreateMultipartUpload key of 1025 bytes", callErr(ctx, c.CreateMultipartUpload, &s3.CreateMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String(strings.Repeat("k", 1025))}), "KeyTooLongError", 400},
			{"ListObjectsV2 max-keys -1", callErr(ctx, c.ListObjectsV2, &s3.ListObjectsV2Input{Bucket: aws.String(testBucket), MaxKeys: aws.Int32(-1)}), "InvalidArgument", 400},
			{"ListObjects max-keys -5", callErr(ctx, c.ListObjects, &s3.ListObjectsInput{Bucket: aws.String(testBucket), MaxKeys: aws.Int32(-5)}), "InvalidArgument", 400},
			{"ListMultipartUploads max-uploads -1", callErr(ctx, c.ListMultipartUploads, &s3.ListMultipartUploadsInput{Bucket: aws.String(testBucket), MaxUploads: aws.Int32(-1)}), "InvalidArgument", 400},
		}
		for _, tt := range sdk {
			t.Run(tt.name, func(t *testing.T) {
				checkErr(t, tt.name, tt.call(), tt.code, tt.status)
				if got := rec.Last().header.Get("X-Amz-Request-Id"); got == "" {
					t.Errorf("%s response has no x-amz-request-id", tt.name)
				}
			})
		}

		t.Run("key of 1024 bytes", func(t *testing.T) {
			key := strings.Repeat("k", 1024)
			mustPut(t, c, testBucket, key, []byte("x"))
			srv.CheckObject(t, testBucket, key, []byte("x"))
		})
	})
}

// What a request no operation serves gets: 405 MethodNotAllowed for a
// method S3 does not allow on a resource it defines, 400 for a query that
// names several subresources, and 501 only for what S3 does not define:
// https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html

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
