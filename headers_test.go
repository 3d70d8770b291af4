package mocks3_test

// Object headers: content headers and user metadata as stored and returned:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingMetadata.html

import (
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/google/go-cmp/cmp"

	"github.com/mocks3/mocks3"
)

type objectHeaders struct {
	ContentType, ContentEncoding, ContentDisposition, ContentLanguage, CacheControl, Expires string
	Metadata                                                                                 map[string]string
}

func TestObjectHeaders(t *testing.T) {
	expires := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	body := []byte("# Title\n")
	want := objectHeaders{
		ContentType:        "text/markdown; charset=utf-8",
		ContentEncoding:    "gzip",
		ContentDisposition: `attachment; filename="a b.md"`,
		ContentLanguage:    "en-GB",
		CacheControl:       "max-age=60, private",
		Expires:            expires.Format(http.TimeFormat),
		Metadata:           map[string]string{"color": "Blue", "multi-word-key": "two words", "upper": "X"},
	}
	wantRaw := []string{"x-amz-meta-color", "x-amz-meta-multi-word-key", "x-amz-meta-upper"}
	rawMeta := func(names []string) []string {
		var got []string
		for _, n := range names {
			if strings.HasPrefix(strings.ToLower(n), "x-amz-meta-") {
				got = append(got, n)
			}
		}
		slices.Sort(got)
		return got
	}
	// checkHeaders compares an answer's headers, and the metadata header
	// names the last response sent, with what was stored.
	checkHeaders := func(t *testing.T, op string, rec *recorder, got objectHeaders) {
		t.Helper()
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s() headers mismatch (-want +got):\n%s", op, diff)
		}
		if diff := cmp.Diff(wantRaw, rawMeta(rec.Last().rawNames)); diff != "" {
			t.Errorf("%s() metadata header names on the wire mismatch (-want +got):\n%s", op, diff)
		}
	}

	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		srv := newServer(t, mocks3.WithBucket(testBucket))
		rec := newRecorder(t, srv)
		c := srv.Client(withHTTPClient(rec))
		ctx := t.Context()
		mustPut(t, c, testBucket, "doc.md", body, func(in *s3.PutObjectInput) {
			in.ContentType = aws.String(want.ContentType)
			in.ContentEncoding = aws.String(want.ContentEncoding)
			in.ContentDisposition = aws.String(want.ContentDisposition)
			in.ContentLanguage = aws.String(want.ContentLanguage)
			in.CacheControl = aws.String(want.CacheControl)
			in.Expires = aws.Time(expires)
			in.Metadata = map[string]string{"Color": "Blue", "multi-word-key": "two words", "UPPER": "X"}
		})

		t.Run("GetObject", func(t *testing.T) {
			out, got := mustGet(t, c, testBucket, "doc.md")
			if !bytes.Equal(got, body) {
				t.Errorf("GetObject() body = %q, want %q", got, body)
			}
			checkHeaders(t, "GetObject", rec, objectHeaders{aws.ToString(out.ContentType), aws.ToString(out.ContentEncoding), aws.ToString(out.ContentDisposition),
				aws.ToString(out.ContentLanguage), aws.ToString(out.CacheControl), aws.ToString(out.ExpiresString), out.Metadata})
		})
		t.Run("HeadObject", func(t *testing.T) {
			out, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(testBucket), Key: aws.String("doc.md")})
			if err != nil {
				t.Fatal(err)
			}
			checkHeaders(t, "HeadObject", rec, objectHeaders{aws.ToString(out.ContentType), aws.ToString(out.ContentEncoding), aws.ToString(out.ContentDisposition),
				aws.ToString(out.ContentLanguage), aws.ToString(out.CacheControl), aws.ToString(out.ExpiresString), out.Metadata})
			if got := aws.ToInt64(out.ContentLength); got != int64(len(body)) {
				t.Errorf("HeadObject().ContentLength = %d, want %d", got, len(body))
			}
		})
		t.Run("response overrides", func(t *testing.T) {
			overrideExpires := time.Date(2031, 2, 3, 4, 5, 6, 0, time.UTC)
			out, _ := mustGet(t, c, testBucket, "doc.md", func(in *s3.GetObjectInput) {
				in.ResponseContentType = aws.String("application/x-override")
				in.ResponseContentEncoding = aws.String("identity")
				in.ResponseContentDisposition = aws.String("inline")
				in.ResponseContentLanguage = aws.String("fr")
				in.ResponseCacheControl = aws.String("no-store")
				in.ResponseExpires = aws.Time(overrideExpires)
			})
			wantOver := objectHeaders{"application/x-override", "identity", "inline", "fr", "no-store", overrideExpires.Format(http.TimeFormat), want.Metadata}
			gotHeaders := objectHeaders{aws.ToString(out.ContentType), aws.ToString(out.ContentEncoding), aws.ToString(out.ContentDisposition),
				aws.ToString(out.ContentLanguage), aws.ToString(out.CacheControl), aws.ToString(out.ExpiresString), out.Metadata}
			if diff := cmp.Diff(wantOver, gotHeaders); diff != "" {
				t.Errorf("GetObject(response-*) headers mismatch (-want +got):\n%s", diff)
			}
			// Overrides change the response, not the object.
			head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(testBucket), Key: aws.String("doc.md")})
			if err != nil {
				t.Fatal(err)
			}
			if got := aws.ToString(head.ContentType); got != want.ContentType {
				t.Errorf("HeadObject().ContentType after overrides = %q, want %q", got, want.ContentType)
			}
		})
		t.Run("too much metadata", func(t *testing.T) {
			_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(testBucket), Key: aws.String("big-meta"),
				Body: strings.NewReader("x"), Metadata: map[string]string{"big": strings.Repeat("m", 3000)}})
			checkErr(t, "PutObject(3000 bytes of metadata)", err, "MetadataTooLarge", 400)
			srv.CheckNoObject(t, testBucket, "big-meta")
		})

		md5b64 := func(b []byte) string {
			s := md5.Sum(b)
			return base64.StdEncoding.EncodeToString(s[:])
		}
		mds := []struct {
			name       string
			contentMD5 string
			wantCode   string
		}{
			{"correct", md5b64(body), ""},
			{"wrong", md5b64([]byte("something else")), "BadDigest"},
			{"not base64", "not*base64!", "InvalidDigest"},
			{"wrong length", base64.StdEncoding.EncodeToString([]byte("short")), "InvalidDigest"},
		}
		for i, tt := range mds {
			t.Run("Content-MD5 "+tt.name, func(t *testing.T) {
				key := fmt.Sprintf("md5-%d", i)
				out, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(testBucket), Key: aws.String(key),
					Body: bytes.NewReader(body), ContentMD5: aws.String(tt.contentMD5)})
				if tt.wantCode != "" {
					checkErr(t, fmt.Sprintf("PutObject(Content-MD5 %q)", tt.contentMD5), err, tt.wantCode, 400)
					srv.CheckNoObject(t, testBucket, key)
					return
				}
				if err != nil {
					t.Fatalf("PutObject(Content-MD5 %q) = %v, want success", tt.contentMD5, err)
				}
				if got := aws.ToString(out.ETag); got != etagOf(body) {
					t.Errorf("PutObject().ETag = %s, want %s", got, etagOf(body))
				}
				srv.CheckObject(t, testBucket, key, body)
			})
		}
	})
}

// S3 refuses a request header section over 8 KB with an XML
// RequestHeaderSectionTooLarge. Go's server refuses headers over its
// MaxHeaderBytes itself, in plain text: mocks3 sets that far higher, so
// that clients get S3's answer.

func TestLargeHeaderSection(t *testing.T) {
	tests := []struct {
		name       string
		size       int
		wantStatus int
		wantCode   string // "" for Go's plain-text answer
	}{
		{"9 KB", 9 << 10, 400, "RequestHeaderSectionTooLarge"},
		{"2 MiB", 2 << 20, 400, "RequestHeaderSectionTooLarge"},
		// Past 8 MiB Go answers before any handler: documented in doc.go.
		{"9 MiB", 9 << 20, 431, ""},
	}
	srv := mocks3.New(t, mocks3.WithObject(testBucket, "obj", []byte("data")))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{"X-Padding": {strings.Repeat("p", tt.size)}}
			resp, body := rawRequest(t, srv, "PUT", "/"+testBucket+"/padded", h, []byte("x"))
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("PUT with a %s header = %d, want %d", tt.name, resp.StatusCode, tt.wantStatus)
			}
			if tt.wantCode == "" {
				return
			}
			var e s3ErrorBody
			if err := xml.Unmarshal(body, &e); err != nil || e.Code != tt.wantCode {
				t.Errorf("PUT with a %s header: body %.200q (%v), want %s", tt.name, body, err, tt.wantCode)
			}
		})
	}
	srv.CheckNoObject(t, testBucket, "padded")
}
