package mocks3_test

// Single-object writes, reads and deletes:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObject.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html

import (
	"bytes"
	"net/http"
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
