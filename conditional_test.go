package mocks3_test

// Conditional reads and writes:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html (If-Match, If-None-Match, If-Modified-Since,
// If-Unmodified-Since)
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html and https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html
// (If-None-Match, If-Match), https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/mocks3/mocks3"
)

type conditions struct {
	ifMatch, ifNoneMatch               string
	ifModifiedSince, ifUnmodifiedSince time.Time
}

func (cd conditions) String() string {
	var hs []string
	for _, h := range []struct {
		name, v string
		t       time.Time
	}{{"If-Match", cd.ifMatch, time.Time{}}, {"If-None-Match", cd.ifNoneMatch, time.Time{}},
		{"If-Modified-Since", "", cd.ifModifiedSince}, {"If-Unmodified-Since", "", cd.ifUnmodifiedSince}} {
		switch {
		case h.v != "":
			hs = append(hs, h.name+": "+h.v)
		case !h.t.IsZero():
			hs = append(hs, h.name+": "+h.t.Format(http.TimeFormat))
		}
	}
	return strings.Join(hs, ", ")
}

func (cd conditions) get(in *s3.GetObjectInput) {
	if cd.ifMatch != "" {
		in.IfMatch = aws.String(cd.ifMatch)
	}
	if cd.ifNoneMatch != "" {
		in.IfNoneMatch = aws.String(cd.ifNoneMatch)
	}
	if !cd.ifModifiedSince.IsZero() {
		in.IfModifiedSince = aws.Time(cd.ifModifiedSince)
	}
	if !cd.ifUnmodifiedSince.IsZero() {
		in.IfUnmodifiedSince = aws.Time(cd.ifUnmodifiedSince)
	}
}

func (cd conditions) head(in *s3.HeadObjectInput) {
	var g s3.GetObjectInput
	cd.get(&g)
	in.IfMatch, in.IfNoneMatch, in.IfModifiedSince, in.IfUnmodifiedSince = g.IfMatch, g.IfNoneMatch, g.IfModifiedSince, g.IfUnmodifiedSince
}

func TestConditionalReads(t *testing.T) {
	modified := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	before, after := modified.Add(-time.Hour), modified.Add(time.Hour)
	body := []byte("conditional body")
	etag := etagOf(body)
	const other = `"0123456789abcdef0123456789abcdef"`
	tests := []struct {
		name       string
		cond       conditions
		wantStatus int
	}{
		{"if-match", conditions{ifMatch: etag}, 200},
		{"if-match unquoted", conditions{ifMatch: strings.Trim(etag, `"`)}, 200},
		{"if-match list", conditions{ifMatch: other + ", " + etag}, 200},
		{"if-match star", conditions{ifMatch: "*"}, 200},
		{"if-match other", conditions{ifMatch: other}, 412},
		{"if-none-match", conditions{ifNoneMatch: etag}, 304},
		{"if-none-match star", conditions{ifNoneMatch: "*"}, 304},
		{"if-none-match other", conditions{ifNoneMatch: other}, 200},
		{"if-modified-since before", conditions{ifModifiedSince: before}, 200},
		{"if-modified-since same time", conditions{ifModifiedSince: modified}, 304},
		{"if-modified-since after", conditions{ifModifiedSince: after}, 304},
		{"if-unmodified-since before", conditions{ifUnmodifiedSince: before}, 412},
		{"if-unmodified-since same time", conditions{ifUnmodifiedSince: modified}, 200},
		{"if-unmodified-since after", conditions{ifUnmodifiedSince: after}, 200},
		{"if-match wins over if-unmodified-since", conditions{ifMatch: etag, ifUnmodifiedSince: before}, 200},
		{"if-none-match wins over if-modified-since", conditions{ifNoneMatch: other, ifModifiedSince: after}, 200},
		{"if-none-match and if-modified-since", conditions{ifNoneMatch: etag, ifModifiedSince: before}, 304},
		{"if-match fails before if-none-match", conditions{ifMatch: other, ifNoneMatch: etag}, 412},
	}
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		srv := newServer(t, mocks3.WithClock(func() time.Time { return modified.Add(123 * time.Millisecond) }),
			mocks3.WithObject(testBucket, "obj", body))
		c := srv.Client()
		ctx := t.Context()
		for _, tt := range tests {
			t.Run("GetObject/"+tt.name, func(t *testing.T) {
				in := &s3.GetObjectInput{Bucket: aws.String(testBucket), Key: aws.String("obj")}
				tt.cond.get(in)
				out, err := c.GetObject(ctx, in)
				switch tt.wantStatus {
				case 200:
					if err != nil {
						t.Fatalf("GetObject(%v) = %v, want success", tt.cond, err)
					}
					got, err := io.ReadAll(out.Body)
					out.Body.Close()
					if err != nil || !bytes.Equal(got, body) {
						t.Errorf("GetObject(%v) body = %q, %v; want %q", tt.cond, got, err, body)
					}
					if !out.LastModified.Equal(modified) {
						t.Errorf("GetObject().LastModified = %v, want %v", out.LastModified, modified)
					}
				case 304:
					checkErr(t, fmt.Sprintf("GetObject(%v)", tt.cond), err, "NotModified", 304)
					var re *awshttp.ResponseError
					if errors.As(err, &re) && re.Response.Header.Get("ETag") != etag {
						t.Errorf("GetObject(%v) 304 ETag = %q, want %q", tt.cond, re.Response.Header.Get("ETag"), etag)
					}
				case 412:
					checkErr(t, fmt.Sprintf("GetObject(%v)", tt.cond), err, "PreconditionFailed", 412)
				}
			})
			t.Run("HeadObject/"+tt.name, func(t *testing.T) {
				in := &s3.HeadObjectInput{Bucket: aws.String(testBucket), Key: aws.String("obj")}
				tt.cond.head(in)
				out, err := c.HeadObject(ctx, in)
				if tt.wantStatus == 200 {
					if err != nil {
						t.Fatalf("HeadObject(%v) = %v, want success", tt.cond, err)
					}
					if aws.ToString(out.ETag) != etag {
						t.Errorf("HeadObject(%v).ETag = %s, want %s", tt.cond, aws.ToString(out.ETag), etag)
					}
					return
				}
				checkErr(t, fmt.Sprintf("HeadObject(%v)", tt.cond), err, "", tt.wantStatus)
			})
		}
	})
}

func TestConditionalWrites(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		srv, c := startBucket(t, newServer, mocks3.WithMinPartSize(1))
		ctx := t.Context()
		old := []byte("old contents")
		const stale = `"0123456789abcdef0123456789abcdef"`

		tests := []struct {
			name        string
			exists      bool
			ifMatch     string // "current" for the existing object's ETag
			ifNoneMatch string
			wantCode    string
			wantStatus  int
		}{
			{name: "if-none-match star on a new key", ifNoneMatch: "*"},
			{name: "if-none-match star on an existing key", exists: true, ifNoneMatch: "*", wantCode: "PreconditionFailed", wantStatus: 412},
			{name: "if-match current", exists: true, ifMatch: "current"},
			{name: "if-match stale", exists: true, ifMatch: stale, wantCode: "PreconditionFailed", wantStatus: 412},
			{name: "if-match star on an existing key", exists: true, ifMatch: "*"},
			{name: "if-match on a new key", ifMatch: stale, wantCode: "NoSuchKey", wantStatus: 404},
		}
		for _, op := range []string{"PutObject", "CompleteMultipartUpload"} {
			for i, tt := range tests {
				t.Run(op+"/"+tt.name, func(t *testing.T) {
					key := fmt.Sprintf("%s-%d", op, i)
					if tt.exists {
						if err := srv.PutObject(testBucket, key, old); err != nil {
							t.Fatal(err)
						}
					}
					ifMatch := tt.ifMatch
					if ifMatch == "current" {
						ifMatch = etagOf(old)
					}
					var im, inm *string
					if ifMatch != "" {
						im = aws.String(ifMatch)
					}
					if tt.ifNoneMatch != "" {
						inm = aws.String(tt.ifNoneMatch)
					}
					body := []byte("new contents")
					var err error
					if op == "PutObject" {
						_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(testBucket), Key: aws.String(key),
							Body: bytes.NewReader(body), IfMatch: im, IfNoneMatch: inm})
					} else {
						up, cerr := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String(key)})
						if cerr != nil {
							t.Fatal(cerr)
						}
						part, perr := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String(testBucket), Key: aws.String(key),
							UploadId: up.UploadId, PartNumber: aws.Int32(1), Body: bytes.NewReader(body)})
						if perr != nil {
							t.Fatal(perr)
						}
						_, err = c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String(key),
							UploadId: up.UploadId, IfMatch: im, IfNoneMatch: inm,
							MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{{ETag: part.ETag, PartNumber: aws.Int32(1)}}}})
					}
					call := fmt.Sprintf("%s(If-Match %q, If-None-Match %q)", op, ifMatch, tt.ifNoneMatch)
					if tt.wantCode != "" {
						checkErr(t, call, err, tt.wantCode, tt.wantStatus)
						if tt.exists {
							srv.CheckObject(t, testBucket, key, old)
						} else {
							srv.CheckNoObject(t, testBucket, key)
						}
						return
					}
					if err != nil {
						t.Fatalf("%s = %v, want success", call, err)
					}
					srv.CheckObject(t, testBucket, key, body)
				})
			}
		}
	})
}
