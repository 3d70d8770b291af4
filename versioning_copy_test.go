package mocks3_test

// Copies from a version and version IDs of copies and multipart uploads:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html,
// API_UploadPartCopy.html, API_CompleteMultipartUpload.html

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/mocks3/mocks3"
)

func TestCopyObjectFromVersion(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		_, c := startBucket(t, newServer, mocks3.WithBucket("plain"))
		ctx := t.Context()
		mustPut(t, c, testBucket, "k", []byte("null one"))
		setVersioning(t, c, testBucket, types.BucketVersioningStatusEnabled)
		v1 := versionOf(mustPut(t, c, testBucket, "k", []byte("one")).VersionId)
		v2 := versionOf(mustPut(t, c, testBucket, "k", []byte("two")).VersionId)
		del, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(testBucket), Key: aws.String("gone")})
		if err != nil {
			t.Fatal(err)
		}
		marker := versionOf(del.VersionId)

		tests := []struct {
			name       string
			source     string // bucket/key[?versionId=...]
			dstBucket  string
			dst        string
			want       string
			wantSrcVer string // x-amz-copy-source-version-id
			wantDstVer bool   // a version ID for the copy
			wantCode   string
			wantStatus int
		}{
			{name: "a version", source: testBucket + "/k?versionId=" + v1, dst: "copy", want: "one", wantSrcVer: v1, wantDstVer: true},
			{name: "the null version", source: testBucket + "/k?versionId=null", dst: "copy-null", want: "null one", wantSrcVer: "null", wantDstVer: true},
			{name: "the current version", source: testBucket + "/k", dst: "copy-current", want: "two", wantSrcVer: v2, wantDstVer: true},
			{name: "restoring a version onto its key", source: testBucket + "/k?versionId=" + v1, dst: "k", want: "one", wantSrcVer: v1, wantDstVer: true},
			{name: "into an unversioned bucket", source: testBucket + "/k?versionId=" + v1, dstBucket: "plain", dst: "copy", want: "one", wantSrcVer: v1},
			{name: "a delete marker by ID", source: testBucket + "/gone?versionId=" + marker, dst: "x", wantCode: "InvalidRequest", wantStatus: 400},
			{name: "a key whose current version is a delete marker", source: testBucket + "/gone", dst: "x", wantCode: "NoSuchKey", wantStatus: 404},
			{name: "an unknown version", source: testBucket + "/k?versionId=" + strings.Repeat("0", 32), dst: "x", wantCode: "NoSuchVersion", wantStatus: 404},
			{name: "a malformed version", source: testBucket + "/k?versionId=one", dst: "x", wantCode: "InvalidArgument", wantStatus: 400},
			{name: "an empty version", source: testBucket + "/k?versionId=", dst: "x", wantCode: "InvalidArgument", wantStatus: 400},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				bucket := testBucket
				if tt.dstBucket != "" {
					bucket = tt.dstBucket
				}
				out, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String(bucket), Key: aws.String(tt.dst), CopySource: aws.String(tt.source)})
				if tt.wantCode != "" {
					checkErr(t, "CopyObject", err, tt.wantCode, tt.wantStatus)
					return
				}
				if err != nil {
					t.Fatalf("CopyObject(%s) = %v", tt.source, err)
				}
				if got := aws.ToString(out.CopySourceVersionId); got != tt.wantSrcVer {
					t.Errorf("CopySourceVersionId = %q, want %q", got, tt.wantSrcVer)
				}
				dstVer := aws.ToString(out.VersionId)
				if (dstVer != "") != tt.wantDstVer || dstVer == v1 {
					t.Errorf("CopyObject VersionId = %q, want a new one: %v", dstVer, tt.wantDstVer)
				}
				out2, body := mustGet(t, c, bucket, tt.dst)
				if string(body) != tt.want || aws.ToString(out2.VersionId) != dstVer {
					t.Errorf("GetObject(copy) = %q, version %q; want %q, version %q", body, aws.ToString(out2.VersionId), tt.want, dstVer)
				}
			})
		}
	})
}

func TestMultipartVersions(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		_, c := startVersioned(t, newServer)
		ctx := t.Context()
		v1 := versionOf(mustPut(t, c, testBucket, "src", []byte("first source")).VersionId)
		mustPut(t, c, testBucket, "src", []byte("second source"))
		old := versionOf(mustPut(t, c, testBucket, "big", []byte("before the upload")).VersionId)

		up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String("big")})
		if err != nil {
			t.Fatal(err)
		}
		pc, err := c.UploadPartCopy(ctx, &s3.UploadPartCopyInput{Bucket: aws.String(testBucket), Key: aws.String("big"), UploadId: up.UploadId,
			PartNumber: aws.Int32(1), CopySource: aws.String(testBucket + "/src?versionId=" + v1)})
		if err != nil {
			t.Fatalf("UploadPartCopy(version) = %v", err)
		}
		if got := aws.ToString(pc.CopySourceVersionId); got != v1 {
			t.Errorf("UploadPartCopy CopySourceVersionId = %q, want %q", got, v1)
		}
		_, err = c.UploadPartCopy(ctx, &s3.UploadPartCopyInput{Bucket: aws.String(testBucket), Key: aws.String("big"), UploadId: up.UploadId,
			PartNumber: aws.Int32(2), CopySource: aws.String(testBucket + "/src?versionId=" + strings.Repeat("1", 32))})
		checkErr(t, "UploadPartCopy(unknown version)", err, "NoSuchVersion", 404)

		done, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String("big"), UploadId: up.UploadId,
			MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{{PartNumber: aws.Int32(1), ETag: pc.CopyPartResult.ETag}}}})
		if err != nil {
			t.Fatalf("CompleteMultipartUpload = %v", err)
		}
		ver := versionOf(done.VersionId)
		if ver == "" || ver == old {
			t.Fatalf("CompleteMultipartUpload VersionId = %q, want a new version", ver)
		}
		for v, want := range map[string]string{ver: "first source", old: "before the upload"} {
			if _, body := mustGet(t, c, testBucket, "big", func(g *s3.GetObjectInput) { g.VersionId = aws.String(v) }); string(body) != want {
				t.Errorf("GetObject(big, %s) = %q, want %q", v, body, want)
			}
		}
	})
}
