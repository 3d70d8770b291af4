package mocks3_test

// Single-object writes, reads and deletes:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObject.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/mocks3/mocks3"
)

// objectKeys are keys that need escaping in a URL or XML.
var objectKeys = []string{
	"plain",
	"dir/sub/file.txt",
	"with space",
	"plus+sign",
	"percent%2Fencoded",
	"ünïcödé/日本語",
	"emoji😀",
	"question?mark",
	"hash#tag",
	"amp&lt;semi;colon=eq",
	"~tilde",
	"double//slash",
	"trailing/",
	"quote\"'",
}

func TestObjects(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		srv := newServer(t, mocks3.WithBucket(testBucket))
		rec := newRecorder(t, srv)
		c := srv.Client(withHTTPClient(rec))
		ctx := t.Context()

		for _, key := range objectKeys {
			t.Run("key="+key, func(t *testing.T) {
				body := []byte("the body of " + key)
				put := mustPut(t, c, testBucket, key, body)
				if got, want := aws.ToString(put.ETag), etagOf(body); got != want {
					t.Errorf("PutObject(%q).ETag = %s, want %s", key, got, want)
				}
				srv.CheckObject(t, testBucket, key, body)

				get, got := mustGet(t, c, testBucket, key)
				if !bytes.Equal(got, body) {
					t.Errorf("GetObject(%q) body = %q, want %q", key, got, body)
				}
				if got, want := aws.ToString(get.ETag), etagOf(body); got != want {
					t.Errorf("GetObject(%q).ETag = %s, want %s", key, got, want)
				}
				if got := aws.ToInt64(get.ContentLength); got != int64(len(body)) {
					t.Errorf("GetObject(%q).ContentLength = %d, want %d", key, got, len(body))
				}
				if get.LastModified == nil || time.Since(*get.LastModified) > time.Hour {
					t.Errorf("GetObject(%q).LastModified = %v, want about now", key, get.LastModified)
				}

				head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(testBucket), Key: aws.String(key)})
				if err != nil {
					t.Fatalf("HeadObject(%q) = %v", key, err)
				}
				if aws.ToString(head.ETag) != etagOf(body) || aws.ToInt64(head.ContentLength) != int64(len(body)) {
					t.Errorf("HeadObject(%q) = ETag %s, length %d; want %s, %d", key, aws.ToString(head.ETag), aws.ToInt64(head.ContentLength), etagOf(body), len(body))
				}
				if got, want := aws.ToString(head.AcceptRanges), "bytes"; got != want {
					t.Errorf("HeadObject(%q).AcceptRanges = %q, want %q", key, got, want)
				}
			})
		}

		t.Run("keys", func(t *testing.T) {
			want := slices.Clone(objectKeys)
			slices.Sort(want)
			got, err := srv.Keys(testBucket, "")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Keys() mismatch (-want +got):\n%s", diff)
			}
		})

		t.Run("empty object", func(t *testing.T) {
			put := mustPut(t, c, testBucket, "empty", nil)
			if got, want := aws.ToString(put.ETag), `"d41d8cd98f00b204e9800998ecf8427e"`; got != want {
				t.Errorf("PutObject(empty).ETag = %s, want %s", got, want)
			}
			get, body := mustGet(t, c, testBucket, "empty")
			if len(body) != 0 || aws.ToInt64(get.ContentLength) != 0 {
				t.Errorf("GetObject(empty) = %d bytes, length %d; want none", len(body), aws.ToInt64(get.ContentLength))
			}
		})

		t.Run("overwrite", func(t *testing.T) {
			mustPut(t, c, testBucket, "over", []byte("first"))
			mustPut(t, c, testBucket, "over", []byte("second, longer"))
			_, body := mustGet(t, c, testBucket, "over")
			if string(body) != "second, longer" {
				t.Errorf("GetObject(over) = %q, want the second write", body)
			}
		})

		t.Run("default content type", func(t *testing.T) {
			// The SDK always sends a Content-Type; S3's default applies to
			// writes without one.
			resp, body := rawRequest(t, srv, "PUT", "/"+testBucket+"/untyped", nil, []byte("x"))
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("PUT without Content-Type = %d %s, want 200", resp.StatusCode, body)
			}
			head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(testBucket), Key: aws.String("untyped")})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := aws.ToString(head.ContentType), "binary/octet-stream"; got != want {
				t.Errorf("HeadObject(untyped).ContentType = %q, want %q", got, want)
			}
		})

		t.Run("DeleteObject", func(t *testing.T) {
			mustPut(t, c, testBucket, "doomed", []byte("x"))
			for i := range 2 { // idempotent
				_, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(testBucket), Key: aws.String("doomed")})
				if err != nil {
					t.Fatalf("DeleteObject(doomed) #%d = %v, want success", i+1, err)
				}
				if got := rec.Last().status; got != http.StatusNoContent {
					t.Errorf("DeleteObject(doomed) #%d status = %d, want 204", i+1, got)
				}
			}
			srv.CheckNoObject(t, testBucket, "doomed")
		})

		checkErrCases(t, []errCase{
			{"GetObject missing key", getErr(ctx, c, &s3.GetObjectInput{Bucket: aws.String(testBucket), Key: aws.String("doomed")}), "NoSuchKey", 404},
			{"HeadObject missing key", errOf(c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(testBucket), Key: aws.String("doomed")})), "NotFound", 404},
			{"GetObject missing bucket", getErr(ctx, c, &s3.GetObjectInput{Bucket: aws.String("no-such-bucket"), Key: aws.String("k")}), "NoSuchBucket", 404},
			{"PutObject missing bucket", errOf(c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("no-such-bucket"), Key: aws.String("k"), Body: strings.NewReader("x")})), "NoSuchBucket", 404},
			{"DeleteObject missing bucket", errOf(c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("no-such-bucket"), Key: aws.String("k")})), "NoSuchBucket", 404},
			{"ListObjectsV2 missing bucket", errOf(c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("no-such-bucket")})), "NoSuchBucket", 404},
		})
	})
}

func TestDeleteObjects(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		srv, c := startBucket(t, newServer)
		for _, k := range []string{"a", "b", "c", "d", "e f"} {
			if err := srv.PutObject(testBucket, k, []byte(k)); err != nil {
				t.Fatal(err)
			}
		}
		tests := []struct {
			name        string
			quiet       bool
			objects     []types.ObjectIdentifier
			wantDeleted []string
			wantErrors  []string // key: code
			wantKeys    []string // left afterwards
		}{
			{
				name: "verbose",
				objects: []types.ObjectIdentifier{
					{Key: aws.String("a")},
					{Key: aws.String("missing")},
					{Key: aws.String("b"), VersionId: aws.String("not-a-version")},
					{Key: aws.String("e f")},
				},
				wantDeleted: []string{"a", "e f", "missing"},
				wantErrors:  []string{"b: InvalidArgument"},
				wantKeys:    []string{"b", "c", "d"},
			},
			{
				name:       "quiet",
				quiet:      true,
				objects:    []types.ObjectIdentifier{{Key: aws.String("c")}, {Key: aws.String("d")}, {Key: aws.String("missing")}, {Key: aws.String(strings.Repeat("k", 1025))}},
				wantErrors: []string{strings.Repeat("k", 1025) + ": KeyTooLongError"},
				wantKeys:   []string{"b"},
			},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				out, err := c.DeleteObjects(t.Context(), &s3.DeleteObjectsInput{
					Bucket: aws.String(testBucket),
					Delete: &types.Delete{Objects: tt.objects, Quiet: aws.Bool(tt.quiet)},
				})
				if err != nil {
					t.Fatalf("DeleteObjects() = %v", err)
				}
				deleted, errs := deleteResults(t, out)
				slices.Sort(deleted)
				if diff := cmp.Diff(tt.wantDeleted, deleted, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("DeleteObjects() Deleted mismatch (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(tt.wantErrors, errs, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("DeleteObjects() Errors mismatch (-want +got):\n%s", diff)
				}
				keys, err := srv.Keys(testBucket, "")
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tt.wantKeys, keys); diff != "" {
					t.Errorf("keys after DeleteObjects() mismatch (-want +got):\n%s", diff)
				}
			})
		}
	})
}

// Range reads:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html (Range, RFC 9110 section 14)
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html

func TestRanges(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		srv := newServer(t, mocks3.WithObject(testBucket, "digits", []byte("0123456789")), mocks3.WithObject(testBucket, "empty", nil))
		rec := newRecorder(t, srv)
		c := srv.Client(withHTTPClient(rec))
		ctx := t.Context()

		tests := []struct {
			name      string
			key       string
			rng       string
			wantBody  string
			wantRange string
		}{
			{name: "first bytes", key: "digits", rng: "bytes=0-4", wantBody: "01234", wantRange: "bytes 0-4/10"},
			{name: "middle", key: "digits", rng: "bytes=3-6", wantBody: "3456", wantRange: "bytes 3-6/10"},
			{name: "one byte", key: "digits", rng: "bytes=9-9", wantBody: "9", wantRange: "bytes 9-9/10"},
			{name: "open end", key: "digits", rng: "bytes=5-", wantBody: "56789", wantRange: "bytes 5-9/10"},
			{name: "suffix", key: "digits", rng: "bytes=-3", wantBody: "789", wantRange: "bytes 7-9/10"},
			{name: "suffix longer than object", key: "digits", rng: "bytes=-20", wantBody: "0123456789", wantRange: "bytes 0-9/10"},
			{name: "end past size", key: "digits", rng: "bytes=8-100", wantBody: "89", wantRange: "bytes 8-9/10"},
			{name: "start at size", key: "digits", rng: "bytes=10-20"},
			{name: "start past size", key: "digits", rng: "bytes=11-"},
			{name: "empty object", key: "empty", rng: "bytes=0-"},
		}
		for _, tt := range tests {
			t.Run("GetObject/"+tt.name, func(t *testing.T) {
				in := &s3.GetObjectInput{Bucket: aws.String(testBucket), Key: aws.String(tt.key), Range: aws.String(tt.rng)}
				if tt.wantBody == "" {
					checkErr(t, fmt.Sprintf("GetObject(%s)", tt.rng), getErr(ctx, c, in), "InvalidRange", 416)
					return
				}
				out, err := c.GetObject(ctx, in)
				if err != nil {
					t.Fatalf("GetObject(%s) = %v", tt.rng, err)
				}
				body, err := io.ReadAll(out.Body)
				out.Body.Close()
				if err != nil {
					t.Fatalf("GetObject(%s) body: %v", tt.rng, err)
				}
				if got := rec.Last().status; got != http.StatusPartialContent {
					t.Errorf("GetObject(%s) status = %d, want 206", tt.rng, got)
				}
				if string(body) != tt.wantBody {
					t.Errorf("GetObject(%s) body = %q, want %q", tt.rng, body, tt.wantBody)
				}
				if got := aws.ToString(out.ContentRange); got != tt.wantRange {
					t.Errorf("GetObject(%s).ContentRange = %q, want %q", tt.rng, got, tt.wantRange)
				}
				if got := aws.ToInt64(out.ContentLength); got != int64(len(tt.wantBody)) {
					t.Errorf("GetObject(%s).ContentLength = %d, want %d", tt.rng, got, len(tt.wantBody))
				}
			})
			t.Run("HeadObject/"+tt.name, func(t *testing.T) {
				out, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(testBucket), Key: aws.String(tt.key), Range: aws.String(tt.rng)})
				if tt.wantBody == "" {
					checkErr(t, fmt.Sprintf("HeadObject(%s)", tt.rng), err, "", 416)
					return
				}
				if err != nil {
					t.Fatalf("HeadObject(%s) = %v", tt.rng, err)
				}
				if got := rec.Last().status; got != http.StatusPartialContent {
					t.Errorf("HeadObject(%s) status = %d, want 206", tt.rng, got)
				}
				if got := aws.ToString(out.ContentRange); got != tt.wantRange {
					t.Errorf("HeadObject(%s).ContentRange = %q, want %q", tt.rng, got, tt.wantRange)
				}
				if got := aws.ToInt64(out.ContentLength); got != int64(len(tt.wantBody)) {
					t.Errorf("HeadObject(%s).ContentLength = %d, want %d", tt.rng, got, len(tt.wantBody))
				}
			})
		}
	})
}

// TestAbortedPutLeavesPreviousObject cuts a PUT off mid-body and checks that
// the object it would have replaced is intact, in both backends.
func TestAbortedPutLeavesPreviousObject(t *testing.T) {
	bodies := []struct {
		name    string
		headers string
	}{
		{"plain", "Content-Length: 1000\r\n"},
		{"aws-chunked", "Content-Length: 1000\r\nContent-Encoding: aws-chunked\r\nx-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER\r\nx-amz-decoded-content-length: 900\r\n"},
	}
	for _, b := range backendModes {
		for _, body := range bodies {
			t.Run(b.name+"/"+body.name, func(t *testing.T) {
				srv := mocks3.New(t, append(b.opts(t), mocks3.WithObject("bkt", "k", []byte("old")))...)
				u, _ := url.Parse(srv.URL)
				conn, err := net.Dial("tcp", u.Host)
				if err != nil {
					t.Fatal(err)
				}
				partial := "384\r\n" + string(make([]byte, 100))
				fmt.Fprintf(conn, "PUT /bkt/k HTTP/1.1\r\nHost: %s\r\n%s\r\n%s", u.Host, body.headers, partial)
				conn.(*net.TCPConn).CloseWrite()
				conn.SetReadDeadline(time.Now().Add(5 * time.Second))
				buf := make([]byte, 4096)
				n, _ := conn.Read(buf) // the server answers 400 or just closes
				conn.Close()
				if n > 0 && string(buf[9:12]) == "200" {
					t.Errorf("truncated PUT answered %q, want an error", buf[:n])
				}
				srv.CheckObject(t, "bkt", "k", []byte("old"))
			})
		}
	}
}

// TestFailedDigestLeavesNothing checks that a PUT rejected for a bad
// Content-MD5 leaves no object behind.
func TestFailedDigestLeavesNothing(t *testing.T) {
	srv := mocks3.New(t, mocks3.WithBucket("bkt"))
	u, _ := url.Parse(srv.URL)
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "PUT /bkt/k HTTP/1.1\r\nHost: %s\r\nContent-Length: 5\r\nContent-MD5: 1B2M2Y8AsgTpgAmY7PhCfg==\r\nConnection: close\r\n\r\nhello", u.Host)
	buf := make([]byte, 4096)
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	n, _ := conn.Read(buf)
	if got := string(buf[:n]); len(got) < 12 || got[9:12] != "400" {
		t.Errorf("PUT with wrong Content-MD5 answered %q, want 400 BadDigest", got)
	}
	srv.CheckNoObject(t, "bkt", "k")
}
