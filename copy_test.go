package mocks3_test

// Server-side copies:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPartCopy.html

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/google/go-cmp/cmp"

	"github.com/mocks3/mocks3"
)

func TestCopyObject(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		srv, c := startBucket(t, newServer, mocks3.WithBucket("other-bucket"))
		ctx := t.Context()
		const oddKey = "dir/a b ü+日本?#%.txt"
		srcBody := []byte("source body")
		for _, k := range []string{"src.txt", oddKey, "self.txt"} {
			mustPut(t, c, testBucket, k, srcBody, func(in *s3.PutObjectInput) {
				in.ContentType = aws.String("text/plain")
				in.Metadata = map[string]string{"color": "red"}
			})
		}

		tests := []struct {
			name       string
			src        string // bucket/key, unencoded
			dstBucket  string
			dst        string
			in         s3.CopyObjectInput // directive, metadata, conditions
			wantMeta   map[string]string
			wantCT     string
			wantCode   string
			wantStatus int
		}{
			{name: "default directive copies metadata", src: testBucket + "/src.txt", dst: "copy1.txt",
				wantMeta: map[string]string{"color": "red"}, wantCT: "text/plain"},
			{name: "COPY ignores new metadata", src: testBucket + "/src.txt", dst: "copy2.txt",
				in:       s3.CopyObjectInput{MetadataDirective: types.MetadataDirectiveCopy, Metadata: map[string]string{"size": "xl"}, ContentType: aws.String("application/json")},
				wantMeta: map[string]string{"color": "red"}, wantCT: "text/plain"},
			{name: "REPLACE", src: testBucket + "/src.txt", dst: "copy3.txt",
				in:       s3.CopyObjectInput{MetadataDirective: types.MetadataDirectiveReplace, Metadata: map[string]string{"size": "xl"}, ContentType: aws.String("application/json")},
				wantMeta: map[string]string{"size": "xl"}, wantCT: "application/json"},
			{name: "encoded source key", src: testBucket + "/" + oddKey, dst: "dir/copy of ü.txt",
				wantMeta: map[string]string{"color": "red"}, wantCT: "text/plain"},
			{name: "to an encoded key", src: testBucket + "/src.txt", dst: oddKey + ".copy",
				wantMeta: map[string]string{"color": "red"}, wantCT: "text/plain"},
			{name: "other bucket", src: testBucket + "/src.txt", dstBucket: "other-bucket", dst: "copy.txt",
				wantMeta: map[string]string{"color": "red"}, wantCT: "text/plain"},
			{name: "source if-match", src: testBucket + "/src.txt", dst: "copy4.txt",
				in:       s3.CopyObjectInput{CopySourceIfMatch: aws.String(etagOf(srcBody))},
				wantMeta: map[string]string{"color": "red"}, wantCT: "text/plain"},
			{name: "source if-match fails", src: testBucket + "/src.txt", dst: "copy5.txt",
				in:       s3.CopyObjectInput{CopySourceIfMatch: aws.String(`"0123"`)},
				wantCode: "PreconditionFailed", wantStatus: 412},
			{name: "source if-none-match fails", src: testBucket + "/src.txt", dst: "copy6.txt",
				in:       s3.CopyObjectInput{CopySourceIfNoneMatch: aws.String(etagOf(srcBody))},
				wantCode: "PreconditionFailed", wantStatus: 412},
			{name: "self copy needs REPLACE", src: testBucket + "/self.txt", dst: "self.txt",
				wantCode: "InvalidRequest", wantStatus: 400},
			{name: "self copy with COPY", src: testBucket + "/self.txt", dst: "self.txt",
				in:       s3.CopyObjectInput{MetadataDirective: types.MetadataDirectiveCopy},
				wantCode: "InvalidRequest", wantStatus: 400},
			{name: "self copy with REPLACE", src: testBucket + "/self.txt", dst: "self.txt",
				in:       s3.CopyObjectInput{MetadataDirective: types.MetadataDirectiveReplace, Metadata: map[string]string{"color": "green"}},
				wantMeta: map[string]string{"color": "green"}, wantCT: "binary/octet-stream"},
			{name: "missing source key", src: testBucket + "/nope.txt", dst: "copy7.txt",
				wantCode: "NoSuchKey", wantStatus: 404},
			{name: "missing source bucket", src: "no-such-bucket/src.txt", dst: "copy8.txt",
				wantCode: "NoSuchBucket", wantStatus: 404},
			{name: "missing destination bucket", src: testBucket + "/src.txt", dstBucket: "no-such-bucket", dst: "copy9.txt",
				wantCode: "NoSuchBucket", wantStatus: 404},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				srcBucket, srcKey, _ := strings.Cut(tt.src, "/")
				dstBucket := tt.dstBucket
				if dstBucket == "" {
					dstBucket = testBucket
				}
				in := tt.in
				in.Bucket, in.Key, in.CopySource = aws.String(dstBucket), aws.String(tt.dst), aws.String(copySource(srcBucket, srcKey))
				out, err := c.CopyObject(ctx, &in)
				call := fmt.Sprintf("CopyObject(%q → %s/%q)", tt.src, dstBucket, tt.dst)
				if tt.wantCode != "" {
					checkErr(t, call, err, tt.wantCode, tt.wantStatus)
					if tt.src != dstBucket+"/"+tt.dst {
						srv.CheckNoObject(t, dstBucket, tt.dst)
					}
					return
				}
				if err != nil {
					t.Fatalf("%s = %v, want success", call, err)
				}
				if got, want := aws.ToString(out.CopyObjectResult.ETag), etagOf(srcBody); got != want {
					t.Errorf("%s ETag = %s, want %s", call, got, want)
				}
				if out.CopyObjectResult.LastModified == nil {
					t.Errorf("%s has no LastModified", call)
				}
				get, body := mustGet(t, c, dstBucket, tt.dst)
				if !bytes.Equal(body, srcBody) {
					t.Errorf("GetObject(%q) after copy = %q, want %q", tt.dst, body, srcBody)
				}
				if diff := cmp.Diff(tt.wantMeta, get.Metadata); diff != "" {
					t.Errorf("GetObject(%q) metadata mismatch (-want +got):\n%s", tt.dst, diff)
				}
				if got := aws.ToString(get.ContentType); got != tt.wantCT {
					t.Errorf("GetObject(%q).ContentType = %q, want %q", tt.dst, got, tt.wantCT)
				}
			})
		}
	})
}

func TestUploadPartCopy(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		const minPart = 1024
		src := testData(3000, 7)
		srv := newServer(t, mocks3.WithMinPartSize(minPart), mocks3.WithObject(testBucket, "src ü", src))
		c := srv.Client()
		ctx := t.Context()
		up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String("assembled")})
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name     string
			part     int32
			rng      string
			want     []byte
			wantCode string
		}{
			{name: "first range", part: 1, rng: "bytes=0-1023", want: src[:1024]},
			{name: "second range", part: 2, rng: "bytes=1024-2999", want: src[1024:]},
			{name: "whole object", part: 3, want: src},
			{name: "range past the end", part: 4, rng: "bytes=0-3000", wantCode: "InvalidArgument"},
			{name: "open range", part: 4, rng: "bytes=10-", wantCode: "InvalidArgument"},
			{name: "suffix range", part: 4, rng: "bytes=-10", wantCode: "InvalidArgument"},
			{name: "not a range", part: 4, rng: "0-10", wantCode: "InvalidArgument"},
		}
		var completed []types.CompletedPart
		var want []byte
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				in := &s3.UploadPartCopyInput{Bucket: aws.String(testBucket), Key: aws.String("assembled"), UploadId: up.UploadId,
					PartNumber: aws.Int32(tt.part), CopySource: aws.String(copySource(testBucket, "src ü"))}
				if tt.rng != "" {
					in.CopySourceRange = aws.String(tt.rng)
				}
				out, err := c.UploadPartCopy(ctx, in)
				if tt.wantCode != "" {
					checkErr(t, fmt.Sprintf("UploadPartCopy(%q)", tt.rng), err, tt.wantCode, 400)
					return
				}
				if err != nil {
					t.Fatalf("UploadPartCopy(%q) = %v", tt.rng, err)
				}
				if got := aws.ToString(out.CopyPartResult.ETag); got != etagOf(tt.want) {
					t.Errorf("UploadPartCopy(%q).ETag = %s, want %s", tt.rng, got, etagOf(tt.want))
				}
				completed = append(completed, types.CompletedPart{PartNumber: aws.Int32(tt.part), ETag: out.CopyPartResult.ETag})
				want = append(want, tt.want...)
			})
		}
		t.Run("missing source", func(t *testing.T) {
			_, err := c.UploadPartCopy(ctx, &s3.UploadPartCopyInput{Bucket: aws.String(testBucket), Key: aws.String("assembled"), UploadId: up.UploadId,
				PartNumber: aws.Int32(5), CopySource: aws.String(copySource(testBucket, "nope"))})
			checkErr(t, "UploadPartCopy(missing source)", err, "NoSuchKey", 404)
		})
		t.Run("complete", func(t *testing.T) {
			if len(completed) != 3 {
				t.Fatalf("%d parts copied, want 3", len(completed))
			}
			out, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String("assembled"),
				UploadId: up.UploadId, MultipartUpload: &types.CompletedMultipartUpload{Parts: completed}})
			if err != nil {
				t.Fatalf("CompleteMultipartUpload() = %v", err)
			}
			if got, wantETag := aws.ToString(out.ETag), multipartETag(src[:1024], src[1024:], src); got != wantETag {
				t.Errorf("CompleteMultipartUpload().ETag = %s, want %s", got, wantETag)
			}
			srv.CheckObject(t, testBucket, "assembled", want)
		})
	})
}
