package mocks3_test

// Multipart uploads:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPart.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_AbortMultipartUpload.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListParts.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListMultipartUploads.html

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/google/go-cmp/cmp"

	"github.com/mocks3/mocks3"
	"github.com/mocks3/mocks3/faults"
	"github.com/mocks3/mocks3/s3api"
)

// mustCreateUpload creates an upload of key in testBucket, of checksum
// algorithm alg if not "", and returns its ID.
func mustCreateUpload(t *testing.T, c *s3.Client, key string, alg types.ChecksumAlgorithm) *string {
	t.Helper()
	created, err := c.CreateMultipartUpload(t.Context(), &s3.CreateMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String(key),
		ChecksumAlgorithm: alg})
	if err != nil {
		t.Fatalf("CreateMultipartUpload(%s, %s) = %v", key, alg, err)
	}
	return created.UploadId
}

// mustStartUpload creates an upload of key in testBucket and uploads its
// part 1, returning the upload's ID and the part's answer.
func mustStartUpload(t *testing.T, c *s3.Client, key string, data []byte) (*string, *s3.UploadPartOutput) {
	t.Helper()
	id := mustCreateUpload(t, c, key, "")
	part, err := c.UploadPart(t.Context(), &s3.UploadPartInput{Bucket: aws.String(testBucket), Key: aws.String(key),
		UploadId: id, PartNumber: aws.Int32(1), Body: bytes.NewReader(data)})
	if err != nil {
		t.Fatalf("UploadPart = %v", err)
	}
	return id, part
}

func TestMultipartUpload(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		const minPart = 1024
		srv := newServer(t, mocks3.WithBucket(testBucket), mocks3.WithMinPartSize(minPart))
		rec := newRecorder(t, srv)
		c := srv.Client(withHTTPClient(rec))
		ctx := t.Context()
		parts := [][]byte{testData(minPart, 1), testData(minPart+7, 2), testData(100, 3)}
		whole := bytes.Join(parts, nil)
		key := "dir/multi part ü"

		up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String(key),
			ContentType: aws.String("text/plain"), Metadata: map[string]string{"origin": "multipart"}})
		if err != nil {
			t.Fatalf("CreateMultipartUpload() = %v", err)
		}
		if aws.ToString(up.UploadId) == "" || aws.ToString(up.Key) != key || aws.ToString(up.Bucket) != testBucket {
			t.Fatalf("CreateMultipartUpload() = upload %q for %s/%q, want an ID for %s/%q", aws.ToString(up.UploadId), aws.ToString(up.Bucket), aws.ToString(up.Key), testBucket, key)
		}
		uploadPart := func(t *testing.T, n int32, data []byte) string {
			t.Helper()
			out, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String(testBucket), Key: aws.String(key),
				UploadId: up.UploadId, PartNumber: aws.Int32(n), Body: bytes.NewReader(data)})
			if err != nil {
				t.Fatalf("UploadPart(%d) = %v", n, err)
			}
			if got := aws.ToString(out.ETag); got != etagOf(data) {
				t.Errorf("UploadPart(%d).ETag = %s, want %s", n, got, etagOf(data))
			}
			return aws.ToString(out.ETag)
		}
		uploadPart(t, 2, []byte("replaced below")) // a part uploaded again replaces the first
		var completed []types.CompletedPart
		for i, p := range parts {
			completed = append(completed, types.CompletedPart{PartNumber: aws.Int32(int32(i + 1)), ETag: aws.String(uploadPart(t, int32(i+1), p))})
		}

		t.Run("ListParts", func(t *testing.T) {
			out, err := c.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String(testBucket), Key: aws.String(key), UploadId: up.UploadId})
			if err != nil {
				t.Fatalf("ListParts() = %v", err)
			}
			type part struct {
				Number int32
				ETag   string
				Size   int64
			}
			var got, want []part
			for _, p := range out.Parts {
				got = append(got, part{aws.ToInt32(p.PartNumber), aws.ToString(p.ETag), aws.ToInt64(p.Size)})
			}
			for i, p := range parts {
				want = append(want, part{int32(i + 1), etagOf(p), int64(len(p))})
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("ListParts() mismatch (-want +got):\n%s", diff)
			}
			paged, err := c.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String(testBucket), Key: aws.String(key), UploadId: up.UploadId,
				MaxParts: aws.Int32(1), PartNumberMarker: aws.String("1")})
			if err != nil {
				t.Fatalf("ListParts(max 1 after 1) = %v", err)
			}
			if len(paged.Parts) != 1 || aws.ToInt32(paged.Parts[0].PartNumber) != 2 || !aws.ToBool(paged.IsTruncated) || aws.ToString(paged.NextPartNumberMarker) != "2" {
				t.Errorf("ListParts(max 1 after 1) = %d parts, truncated %v, next %q; want part 2, truncated, next 2",
					len(paged.Parts), aws.ToBool(paged.IsTruncated), aws.ToString(paged.NextPartNumberMarker))
			}
		})

		t.Run("ListMultipartUploads", func(t *testing.T) {
			other, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String("another")})
			if err != nil {
				t.Fatal(err)
			}
			defer c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String("another"), UploadId: other.UploadId})
			tests := []struct {
				prefix string
				want   []string
			}{
				{"", []string{"another " + aws.ToString(other.UploadId), key + " " + aws.ToString(up.UploadId)}},
				{"dir/", []string{key + " " + aws.ToString(up.UploadId)}},
				{"none", nil},
			}
			for _, tt := range tests {
				out, err := c.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String(testBucket), Prefix: aws.String(tt.prefix)})
				if err != nil {
					t.Fatalf("ListMultipartUploads(%q) = %v", tt.prefix, err)
				}
				var got []string
				for _, u := range out.Uploads {
					got = append(got, aws.ToString(u.Key)+" "+aws.ToString(u.UploadId))
					if u.Initiated == nil {
						t.Errorf("ListMultipartUploads(%q): upload %q has no Initiated time", tt.prefix, aws.ToString(u.Key))
					}
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("ListMultipartUploads(%q) mismatch (-want +got):\n%s", tt.prefix, diff)
				}
			}
		})

		t.Run("CompleteMultipartUpload", func(t *testing.T) {
			srv.CheckNoObject(t, testBucket, key)
			out, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String(key),
				UploadId: up.UploadId, MultipartUpload: &types.CompletedMultipartUpload{Parts: completed}})
			if err != nil {
				t.Fatalf("CompleteMultipartUpload() = %v", err)
			}
			wantETag := multipartETag(parts...)
			if got := aws.ToString(out.ETag); got != wantETag {
				t.Errorf("CompleteMultipartUpload().ETag = %s, want %s", got, wantETag)
			}
			srv.CheckObject(t, testBucket, key, whole)
			get, body := mustGet(t, c, testBucket, key)
			if !bytes.Equal(body, whole) {
				t.Errorf("GetObject() = %d bytes, want the %d uploaded", len(body), len(whole))
			}
			if aws.ToString(get.ETag) != wantETag || aws.ToString(get.ContentType) != "text/plain" || get.Metadata["origin"] != "multipart" {
				t.Errorf("GetObject() = ETag %s, type %q, metadata %v; want %s, text/plain and the upload's metadata",
					aws.ToString(get.ETag), aws.ToString(get.ContentType), get.Metadata, wantETag)
			}

			_, err = c.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String(testBucket), Key: aws.String(key), UploadId: up.UploadId})
			checkErr(t, "ListParts() after complete", err, "NoSuchUpload", 404)
			list, err := c.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String(testBucket)})
			if err != nil {
				t.Fatal(err)
			}
			if len(list.Uploads) != 0 {
				t.Errorf("ListMultipartUploads() after complete = %d uploads, want none", len(list.Uploads))
			}
		})

		t.Run("part reads", func(t *testing.T) {
			var start int
			for i, p := range parts {
				n := int32(i + 1)
				rng := fmt.Sprintf("bytes %d-%d/%d", start, start+len(p)-1, len(whole))
				start += len(p)
				get, body := mustGet(t, c, testBucket, key, func(in *s3.GetObjectInput) { in.PartNumber = aws.Int32(n) })
				if got := rec.Last().status; got != http.StatusPartialContent {
					t.Errorf("GetObject(part %d) status = %d, want 206", n, got)
				}
				if !bytes.Equal(body, p) {
					t.Errorf("GetObject(part %d) = %d bytes, want part %d's %d", n, len(body), n, len(p))
				}
				if got := aws.ToInt32(get.PartsCount); got != int32(len(parts)) {
					t.Errorf("GetObject(part %d).PartsCount = %d, want %d", n, got, len(parts))
				}
				if got := aws.ToString(get.ContentRange); got != rng {
					t.Errorf("GetObject(part %d).ContentRange = %q, want %q", n, got, rng)
				}
				head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(testBucket), Key: aws.String(key), PartNumber: aws.Int32(n)})
				if err != nil {
					t.Fatalf("HeadObject(part %d) = %v", n, err)
				}
				if aws.ToInt32(head.PartsCount) != int32(len(parts)) || aws.ToInt64(head.ContentLength) != int64(len(p)) || aws.ToString(head.ContentRange) != rng {
					t.Errorf("HeadObject(part %d) = parts %d, length %d, range %q; want %d, %d, %q", n,
						aws.ToInt32(head.PartsCount), aws.ToInt64(head.ContentLength), aws.ToString(head.ContentRange), len(parts), len(p), rng)
				}
			}
			err := getErr(ctx, c, &s3.GetObjectInput{Bucket: aws.String(testBucket), Key: aws.String(key), PartNumber: aws.Int32(4)})
			checkErr(t, "GetObject(part 4 of 3)", err, "InvalidPartNumber", 416)
			_, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(testBucket), Key: aws.String(key), PartNumber: aws.Int32(4)})
			checkErr(t, "HeadObject(part 4 of 3)", err, "", 416)

			// A single-part object has one part, the whole object.
			single := []byte("single part object")
			mustPut(t, c, testBucket, "single", single)
			get, body := mustGet(t, c, testBucket, "single", func(in *s3.GetObjectInput) { in.PartNumber = aws.Int32(1) })
			if !bytes.Equal(body, single) {
				t.Errorf("GetObject(single, part 1) = %q, want %q", body, single)
			}
			if get.PartsCount != nil && aws.ToInt32(get.PartsCount) != 1 {
				t.Errorf("GetObject(single, part 1).PartsCount = %d, want none or 1", aws.ToInt32(get.PartsCount))
			}
			err = getErr(ctx, c, &s3.GetObjectInput{Bucket: aws.String(testBucket), Key: aws.String("single"), PartNumber: aws.Int32(2)})
			checkErr(t, "GetObject(single, part 2)", err, "InvalidPartNumber", 416)
		})
	})
}

func TestMultipartErrors(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		const minPart = 1024
		srv, c := startBucket(t, newServer, mocks3.WithMinPartSize(minPart))
		ctx := t.Context()
		big1, big2, small := testData(minPart, 1), testData(minPart, 2), testData(10, 3)

		// start creates an upload for key with the given parts and returns its
		// ID and the parts' ETags.
		start := func(t *testing.T, key string, parts ...[]byte) (*string, []string) {
			t.Helper()
			up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String(key)})
			if err != nil {
				t.Fatalf("CreateMultipartUpload(%q) = %v", key, err)
			}
			var etags []string
			for i, p := range parts {
				out, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String(testBucket), Key: aws.String(key),
					UploadId: up.UploadId, PartNumber: aws.Int32(int32(i + 1)), Body: bytes.NewReader(p)})
				if err != nil {
					t.Fatalf("UploadPart(%q, %d) = %v", key, i+1, err)
				}
				etags = append(etags, aws.ToString(out.ETag))
			}
			return up.UploadId, etags
		}
		part := func(n int32, etag string) types.CompletedPart {
			return types.CompletedPart{PartNumber: aws.Int32(n), ETag: aws.String(etag)}
		}

		tests := []struct {
			name       string
			uploaded   [][]byte
			complete   func(etags []string) []types.CompletedPart
			uploadID   string // overrides the real one
			wantCode   string
			wantStatus int
		}{
			{"missing part", [][]byte{big1, big2}, func(e []string) []types.CompletedPart { return []types.CompletedPart{part(1, e[0]), part(9, e[1])} },
				"", "InvalidPart", 400},
			{"wrong ETag", [][]byte{big1, big2}, func(e []string) []types.CompletedPart { return []types.CompletedPart{part(1, e[1]), part(2, e[1])} },
				"", "InvalidPart", 400},
			{"out of order", [][]byte{big1, big2}, func(e []string) []types.CompletedPart { return []types.CompletedPart{part(2, e[1]), part(1, e[0])} },
				"", "InvalidPartOrder", 400},
			{"repeated part", [][]byte{big1, big2}, func(e []string) []types.CompletedPart { return []types.CompletedPart{part(1, e[0]), part(1, e[0])} },
				"", "InvalidPartOrder", 400},
			{"small part before the last", [][]byte{small, big2}, func(e []string) []types.CompletedPart { return []types.CompletedPart{part(1, e[0]), part(2, e[1])} },
				"", "EntityTooSmall", 400},
			{"no parts", [][]byte{big1}, func(e []string) []types.CompletedPart { return []types.CompletedPart{} },
				"", "MalformedXML", 400},
			{"unknown upload", [][]byte{big1}, func(e []string) []types.CompletedPart { return []types.CompletedPart{part(1, e[0])} },
				"no-such-upload", "NoSuchUpload", 404},
		}
		for i, tt := range tests {
			t.Run("CompleteMultipartUpload/"+tt.name, func(t *testing.T) {
				key := fmt.Sprintf("bad-%d", i)
				id, etags := start(t, key, tt.uploaded...)
				if tt.uploadID != "" {
					id = aws.String(tt.uploadID)
				}
				_, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String(key),
					UploadId: id, MultipartUpload: &types.CompletedMultipartUpload{Parts: tt.complete(etags)}})
				checkErr(t, "CompleteMultipartUpload()", err, tt.wantCode, tt.wantStatus)
				srv.CheckNoObject(t, testBucket, key)
			})
		}

		t.Run("small last part is fine", func(t *testing.T) {
			id, etags := start(t, "good", big1, small)
			out, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String("good"),
				UploadId: id, MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{part(1, etags[0]), part(2, etags[1])}}})
			if err != nil {
				t.Fatalf("CompleteMultipartUpload() = %v", err)
			}
			if got, want := aws.ToString(out.ETag), multipartETag(big1, small); got != want {
				t.Errorf("CompleteMultipartUpload().ETag = %s, want %s", got, want)
			}
		})

		t.Run("subset of parts", func(t *testing.T) {
			id, etags := start(t, "subset", big1, big2, small)
			_, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String("subset"),
				UploadId: id, MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{part(1, etags[0]), part(3, etags[2])}}})
			if err != nil {
				t.Fatalf("CompleteMultipartUpload(parts 1, 3) = %v", err)
			}
			srv.CheckObject(t, testBucket, "subset", append(slices.Clone(big1), small...))
		})

		t.Run("AbortMultipartUpload", func(t *testing.T) {
			id, _ := start(t, "aborted", big1)
			if _, err := c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String("aborted"), UploadId: id}); err != nil {
				t.Fatalf("AbortMultipartUpload() = %v", err)
			}
			_, err := c.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String(testBucket), Key: aws.String("aborted"), UploadId: id})
			checkErr(t, "ListParts() after abort", err, "NoSuchUpload", 404)
			_, err = c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String(testBucket), Key: aws.String("aborted"), UploadId: id,
				PartNumber: aws.Int32(2), Body: bytes.NewReader(big2)})
			checkErr(t, "UploadPart() after abort", err, "NoSuchUpload", 404)
			_, err = c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String("aborted"), UploadId: id})
			checkErr(t, "AbortMultipartUpload() again", err, "NoSuchUpload", 404)
			srv.CheckNoObject(t, testBucket, "aborted")
		})

		t.Run("bad part numbers", func(t *testing.T) {
			id, _ := start(t, "numbers")
			for _, n := range []int32{0, 10001} {
				_, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String(testBucket), Key: aws.String("numbers"), UploadId: id,
					PartNumber: aws.Int32(n), Body: bytes.NewReader(small)})
				checkErr(t, fmt.Sprintf("UploadPart(part %d)", n), err, "InvalidArgument", 400)
			}
		})

		t.Run("CreateMultipartUpload missing bucket", func(t *testing.T) {
			_, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("no-such-bucket"), Key: aws.String("k")})
			checkErr(t, "CreateMultipartUpload(no-such-bucket)", err, "NoSuchBucket", 404)
		})
	})
}

// TestCompleteRetriedAfterLostResponse: when the response to a Complete
// that committed is lost, the client's retry answers 200 with the same
// ETag, as S3 does, instead of NoSuchUpload for an object that exists. A
// retry naming other parts is not the same Complete.
func TestCompleteRetriedAfterLostResponse(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		srv, c := startBucket(t, newServer)
		ctx := t.Context()
		uploadID, part := mustStartUpload(t, c, "dir/k", []byte("data"))
		complete := func(c *s3.Client, etag *string) (*s3.CompleteMultipartUploadOutput, error) {
			return c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{
				Bucket: aws.String(testBucket), Key: aws.String("dir/k"), UploadId: uploadID,
				MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{{PartNumber: aws.Int32(1), ETag: etag}}},
			})
		}

		// The commit happens; the client gets a cut-off body.
		srv.Faults().AddT(t, faults.Rule{Operation: "CompleteMultipartUpload", Times: 1, Action: faults.TruncateBody(0)})
		if _, err := complete(srv.Client(func(o *s3.Options) { o.RetryMaxAttempts = 1 }), part.ETag); err == nil {
			t.Fatalf("CompleteMultipartUpload with its response cut off succeeded, want an error for the test to mean anything")
		}
		head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(testBucket), Key: aws.String("dir/k")})
		if err != nil {
			t.Fatalf("HeadObject after the first Complete = %v", err)
		}

		out, err := complete(c, part.ETag)
		if err != nil {
			t.Fatalf("CompleteMultipartUpload retried = %v, want the first one's result", err)
		}
		if aws.ToString(out.ETag) != aws.ToString(head.ETag) {
			t.Errorf("retried Complete ETag = %s, want %s", aws.ToString(out.ETag), aws.ToString(head.ETag))
		}
		if loc := aws.ToString(out.Location); loc != srv.URL+"/"+testBucket+"/dir/k" {
			t.Errorf("Location = %q, want the object's absolute URL %q", loc, srv.URL+"/"+testBucket+"/dir/k")
		}
		_, err = complete(c, aws.String(`"`+strings.Repeat("0", 32)+`"`))
		checkErr(t, "CompleteMultipartUpload(other parts) after completion", err, "NoSuchUpload", 404)
	})
}

// Races on one multipart upload: whichever of Complete and Abort (or a
// re-upload of a part) wins, an object that Complete acknowledged must stay
// readable. Before the upload's lifecycle was serialised, Abort or the part
// overwrite deleted the bytes the committed record pointed to, and every GET
// answered 500.

func TestMultipartLifecycleRaces(t *testing.T) {
	rivals := []struct {
		name string
		// rival runs against Complete on the same upload.
		rival func(ctx context.Context, c *s3.Client, key, id string) error
	}{
		{"abort", func(ctx context.Context, c *s3.Client, key, id string) error {
			_, err := c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{
				Bucket: aws.String(testBucket), Key: aws.String(key), UploadId: aws.String(id)})
			return err
		}},
		{"upload same part", func(ctx context.Context, c *s3.Client, key, id string) error {
			_, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String(testBucket), Key: aws.String(key),
				UploadId: aws.String(id), PartNumber: aws.Int32(1), Body: bytes.NewReader([]byte("other bytes"))})
			return err
		}},
	}
	const attempts = 150
	for _, m := range backendModes {
		for _, rv := range rivals {
			t.Run(m.name+"/"+rv.name, func(t *testing.T) {
				srv := mocks3.New(t, append(m.opts(t), mocks3.WithBucket(testBucket))...)
				c := srv.Client()
				ctx := t.Context()
				for i := range attempts {
					key := "race"
					data := []byte("complete wins " + string(rune('a'+i%26)))
					uploadID, part := mustStartUpload(t, c, key, data)
					var (
						wg                    sync.WaitGroup
						completeErr, rivalErr error
					)
					wg.Go(func() {
						_, completeErr = c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{
							Bucket: aws.String(testBucket), Key: aws.String(key), UploadId: uploadID,
							MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{
								{PartNumber: aws.Int32(1), ETag: part.ETag, ChecksumCRC32: part.ChecksumCRC32}}},
						})
					})
					wg.Go(func() { rivalErr = rv.rival(ctx, c, key, *uploadID) })
					wg.Wait()
					if rivalErr != nil && apiCode(rivalErr) != "NoSuchUpload" {
						t.Fatalf("attempt %d: %s = %v, want success or NoSuchUpload", i, rv.name, rivalErr)
					}
					if completeErr != nil {
						if apiCode(completeErr) != "NoSuchUpload" && apiCode(completeErr) != "InvalidPart" {
							t.Fatalf("attempt %d: CompleteMultipartUpload = %v, want success, NoSuchUpload or InvalidPart", i, completeErr)
						}
						continue
					}
					got, err := getBody(ctx, c, testBucket, key)
					if err != nil {
						t.Fatalf("attempt %d: GetObject after an acknowledged Complete (%s raced it) = %v", i, rv.name, err)
					}
					if !bytes.Equal(got, data) {
						t.Fatalf("attempt %d: GetObject = %q, want %q", i, got, data)
					}
					if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(testBucket), Key: aws.String(key)}); err != nil {
						t.Fatalf("DeleteObject = %v", err)
					}
				}
			})
		}
	}
}

// TestCompleteSurvivesClientHangUp: a client that gives up while Complete
// commits (the SDK's upload manager then aborts the upload) must find the
// upload either completed and gone, or untouched, never an upload whose
// abort deletes the bytes of an acknowledged object. The metadata role is
// slowed at both steps Complete could take, inside a synctest bubble so the
// 30 s delays cost no wall time.
func TestCompleteSurvivesClientHangUp(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		slow := func(op s3api.Operation) faults.Rule {
			return faults.Rule{Service: "metadata", Operation: op, Action: faults.Delay(30 * time.Second)}
		}
		srv, c := startBucket(t, embedded, mocks3.WithInMemoryTransport())
		ctx := t.Context()
		data := []byte("acknowledged bytes")
		uploadID, part := mustStartUpload(t, c, "k", data)
		srv.Faults().AddT(t, slow("CompleteUpload"))
		srv.Faults().AddT(t, slow("DeleteUpload"))

		short, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		_, err := c.CompleteMultipartUpload(short, &s3.CompleteMultipartUploadInput{
			Bucket: aws.String(testBucket), Key: aws.String("k"), UploadId: uploadID,
			MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{
				{PartNumber: aws.Int32(1), ETag: part.ETag, ChecksumCRC32: part.ChecksumCRC32}}},
		})
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("CompleteMultipartUpload = %v, want the client to give up", err)
		}
		time.Sleep(time.Minute) // fake time: the server finishes what it started
		synctest.Wait()

		ups, err := c.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String(testBucket)})
		if err != nil {
			t.Fatalf("ListMultipartUploads = %v", err)
		}
		if len(ups.Uploads) != 0 {
			t.Errorf("ListMultipartUploads = %d uploads after the commit, want none", len(ups.Uploads))
		}
		_, err = c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String("k"), UploadId: uploadID})
		if apiCode(err) != "NoSuchUpload" {
			t.Errorf("AbortMultipartUpload after the commit = %v, want NoSuchUpload", err)
		}
		got, err := getBody(ctx, c, testBucket, "k")
		if err != nil || !bytes.Equal(got, data) {
			t.Errorf("GetObject = %q, %v; want %q", got, err, data)
		}
	})
}

// TestUploadIDsUniqueAcrossRestarts: a server reopening a directory that
// still holds an open upload creates new uploads without colliding with it,
// whether or not WithSeed makes its IDs repeat.
func TestUploadIDsUniqueAcrossRestarts(t *testing.T) {
	for _, seeded := range []bool{false, true} {
		t.Run(map[bool]string{false: "random", true: "seeded"}[seeded], func(t *testing.T) {
			dir := t.TempDir()
			opts := []mocks3.Option{mocks3.WithDir(dir), mocks3.WithBucket(testBucket)}
			if seeded {
				opts = append(opts, mocks3.WithSeed(7))
			}
			ids := map[string]bool{}
			for restart := range 3 {
				srv, err := mocks3.NewServer(opts...)
				if err != nil {
					t.Fatalf("NewServer (restart %d) = %v", restart, err)
				}
				// No retries: a retried 500 would draw a new ID and hide the collision.
				noRetry := func(o *s3.Options) { o.RetryMaxAttempts = 1 }
				out, err := srv.Client(noRetry).CreateMultipartUpload(t.Context(), &s3.CreateMultipartUploadInput{
					Bucket: aws.String(testBucket), Key: aws.String("k")})
				srv.Close()
				if err != nil {
					t.Fatalf("CreateMultipartUpload after restart %d = %v, want success", restart, err)
				}
				if ids[*out.UploadId] {
					t.Fatalf("restart %d: upload ID %s repeats an open upload's", restart, *out.UploadId)
				}
				ids[*out.UploadId] = true
			}
		})
	}
}
