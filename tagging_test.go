package mocks3_test

// Object and bucket tagging:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectTagging.html,
// API_GetObjectTagging.html, API_DeleteObjectTagging.html,
// API_PutBucketTagging.html, API_GetBucketTagging.html,
// API_DeleteBucketTagging.html and the x-amz-tagging headers.

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/mocks3/mocks3"
	"github.com/mocks3/mocks3/faults"
	"github.com/mocks3/mocks3/s3api"
)

func tagSet(kv ...string) []types.Tag {
	var tags []types.Tag
	for i := 0; i+1 < len(kv); i += 2 {
		tags = append(tags, types.Tag{Key: aws.String(kv[i]), Value: aws.String(kv[i+1])})
	}
	return tags
}

func tagMap(tags []types.Tag) map[string]string {
	m := map[string]string{}
	for _, t := range tags {
		m[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return m
}

func numberedTags(n int) []types.Tag {
	var kv []string
	for i := range n {
		kv = append(kv, fmt.Sprint("k", i), "v")
	}
	return tagSet(kv...)
}

func TestObjectTagging(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		srv, c := startBucket(t, newServer, mocks3.WithObject(testBucket, "obj", []byte("data")))
		ctx, b, k := t.Context(), aws.String(testBucket), aws.String("obj")

		get := func() map[string]string {
			t.Helper()
			out, err := c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: b, Key: k})
			if err != nil {
				t.Fatalf("GetObjectTagging: %v", err)
			}
			return tagMap(out.TagSet)
		}
		if got := get(); len(got) != 0 {
			t.Errorf("GetObjectTagging of an untagged object = %v, want an empty set", got)
		}
		if _, err := c.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: b, Key: k,
			Tagging: &types.Tagging{TagSet: tagSet("project", "blue", "tier", "")}}); err != nil {
			t.Fatalf("PutObjectTagging: %v", err)
		}
		if diff := cmp.Diff(map[string]string{"project": "blue", "tier": ""}, get()); diff != "" {
			t.Errorf("GetObjectTagging (-want +got):\n%s", diff)
		}
		head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: k})
		if err != nil || aws.ToInt32(head.TagCount) != 2 {
			t.Errorf("HeadObject().TagCount = %v, %v; want 2", head.TagCount, err)
		}
		out, _ := mustGet(t, c, testBucket, "obj")
		if aws.ToInt32(out.TagCount) != 2 {
			t.Errorf("GetObject().TagCount = %d, want 2", aws.ToInt32(out.TagCount))
		}
		// A PUT replaces the whole set.
		if _, err := c.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: b, Key: k,
			Tagging: &types.Tagging{TagSet: tagSet("only", "one")}}); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(map[string]string{"only": "one"}, get()); diff != "" {
			t.Errorf("after a second PutObjectTagging (-want +got):\n%s", diff)
		}
		if _, err := c.DeleteObjectTagging(ctx, &s3.DeleteObjectTaggingInput{Bucket: b, Key: k}); err != nil {
			t.Fatalf("DeleteObjectTagging: %v", err)
		}
		if got := get(); len(got) != 0 {
			t.Errorf("GetObjectTagging after delete = %v, want none", got)
		}
		head, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: k})
		if err != nil || head.TagCount != nil {
			t.Errorf("HeadObject().TagCount after delete = %v, %v; want absent", head.TagCount, err)
		}
		// Tagging touches neither the bytes nor the ETag.
		srv.CheckObject(t, testBucket, "obj", []byte("data"))
	})
}

func TestObjectTaggingErrors(t *testing.T) {
	srv, c := startBucket(t, embedded, mocks3.WithObject(testBucket, "obj", []byte("data")))
	ctx, b, k := t.Context(), aws.String(testBucket), aws.String("obj")
	put := func(key string, tags []types.Tag) error {
		_, err := c.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: b, Key: aws.String(key), Tagging: &types.Tagging{TagSet: tags}})
		return err
	}
	require.NoError(t, put("obj", numberedTags(10)), "ten tags")
	checkErrCases(t, []errCase{
		{"eleven tags", put("obj", numberedTags(11)), "BadRequest", 400},
		{"duplicate keys", put("obj", tagSet("a", "1", "a", "2")), "InvalidTag", 400},
		{"key of 129", put("obj", tagSet(strings.Repeat("k", 129), "v")), "InvalidTag", 400},
		{"value of 257", put("obj", tagSet("k", strings.Repeat("v", 257))), "InvalidTag", 400},
		{"empty key", put("obj", tagSet("", "v")), "InvalidTag", 400},
		{"aws prefix", put("obj", tagSet("aws:k", "v")), "InvalidTag", 400},
		{"missing key", put("nope", tagSet("a", "1")), "NoSuchKey", 404},
		{"missing bucket", errOf(c.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: aws.String("no-such-bucket"), Key: k, Tagging: &types.Tagging{TagSet: tagSet("a", "1")}})), "NoSuchBucket", 404},
		{"get missing key", errOf(c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: b, Key: aws.String("nope")})), "NoSuchKey", 404},
		{"delete missing key", errOf(c.DeleteObjectTagging(ctx, &s3.DeleteObjectTaggingInput{Bucket: b, Key: aws.String("nope")})), "NoSuchKey", 404},
		{"unknown version", errOf(c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: b, Key: k, VersionId: aws.String("3HL4kqtJlcpXroDTDmJ-rmSpXd3dIbrHY")})), "NoSuchVersion", 404},
	})
	// The null version is the object of an unversioned bucket.
	out, err := c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: b, Key: k, VersionId: aws.String("null")})
	if err != nil || len(out.TagSet) != 10 {
		t.Errorf("GetObjectTagging(versionId=null) = %v, %v; want the 10 tags", out, err)
	}

	// A malformed document is MalformedXML.
	resp, body := rawRequest(t, srv, http.MethodPut, "/"+testBucket+"/obj?tagging", nil, []byte("<Tagging><TagSet><Tag><Key>a</Key></Tag></TagSet></Tagging>"))
	if resp.StatusCode != 400 || !strings.Contains(string(body), "<Code>MalformedXML</Code>") {
		t.Errorf("PUT ?tagging with a tag without Value = %d %s, want 400 MalformedXML", resp.StatusCode, body)
	}
}

func TestTaggingHeader(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		_, c := startBucket(t, newServer)
		ctx, b := t.Context(), aws.String(testBucket)
		tagsOf := func(key string) map[string]string {
			t.Helper()
			out, err := c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: b, Key: aws.String(key)})
			if err != nil {
				t.Fatalf("GetObjectTagging(%s): %v", key, err)
			}
			return tagMap(out.TagSet)
		}
		mustPut(t, c, testBucket, "src", []byte("x"), func(in *s3.PutObjectInput) { in.Tagging = aws.String("a=1&b=two%20words&empty") })
		want := map[string]string{"a": "1", "b": "two words", "empty": ""}
		if diff := cmp.Diff(want, tagsOf("src")); diff != "" {
			t.Errorf("PutObject with x-amz-tagging (-want +got):\n%s", diff)
		}

		// CopyObject copies the tags by default and replaces them with
		// REPLACE.
		if _, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: b, Key: aws.String("copy"), CopySource: aws.String(testBucket + "/src")}); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, tagsOf("copy")); diff != "" {
			t.Errorf("CopyObject (COPY) tags (-want +got):\n%s", diff)
		}
		if _, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: b, Key: aws.String("replaced"), CopySource: aws.String(testBucket + "/src"),
			TaggingDirective: types.TaggingDirectiveReplace, Tagging: aws.String("new=yes")}); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(map[string]string{"new": "yes"}, tagsOf("replaced")); diff != "" {
			t.Errorf("CopyObject (REPLACE) tags (-want +got):\n%s", diff)
		}
		if _, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: b, Key: aws.String("cleared"), CopySource: aws.String(testBucket + "/src"),
			TaggingDirective: types.TaggingDirectiveReplace}); err != nil {
			t.Fatal(err)
		}
		if got := tagsOf("cleared"); len(got) != 0 {
			t.Errorf("CopyObject (REPLACE) without tags = %v, want none", got)
		}
		// A plain overwrite clears the tags, as S3 does.
		mustPut(t, c, testBucket, "src", []byte("y"))
		if got := tagsOf("src"); len(got) != 0 {
			t.Errorf("tags after an overwrite = %v, want none", got)
		}
	})
}

func TestTaggingHeaderErrors(t *testing.T) {
	_, c := startBucket(t, embedded, mocks3.WithObject(testBucket, "src", []byte("x")))
	ctx, b := t.Context(), aws.String(testBucket)
	tests := []struct {
		name    string
		tagging string
		code    string
	}{
		{"duplicate keys", "a=1&a=2", "InvalidArgument"},
		{"bad encoding", "a=%zz", "InvalidArgument"},
		{"not query form", "TagSet=[{Key=string,Value=string}]", "InvalidArgument"},
		{"bad character", "a%3B=1", "InvalidTag"},
		{"eleven tags", "a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9&j=10&k=11", "BadRequest"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("k"), Body: strings.NewReader("x"), Tagging: aws.String(tt.tagging)})
			checkErr(t, "PutObject", err, tt.code, 400)
			_, err = c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: b, Key: aws.String("k"), CopySource: aws.String(testBucket + "/src"),
				TaggingDirective: types.TaggingDirectiveReplace, Tagging: aws.String(tt.tagging)})
			checkErr(t, "CopyObject", err, tt.code, 400)
		})
	}
	_, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: b, Key: aws.String("k"), CopySource: aws.String(testBucket + "/src"), TaggingDirective: "MOVE"})
	checkErr(t, "CopyObject(directive MOVE)", err, "InvalidArgument", 400)
	// Nothing was written.
	if _, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: aws.String("k")}); err == nil {
		t.Error("a refused write left an object behind")
	}
}

func TestBucketTagging(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		_, c := startBucket(t, newServer)
		ctx, b := t.Context(), aws.String(testBucket)
		_, err := c.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: b})
		checkErr(t, "GetBucketTagging before any", err, "NoSuchTagSet", 404)

		if _, err := c.PutBucketTagging(ctx, &s3.PutBucketTaggingInput{Bucket: b, Tagging: &types.Tagging{TagSet: numberedTags(50)}}); err != nil {
			t.Fatalf("PutBucketTagging(50 tags): %v", err)
		}
		out, err := c.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: b})
		if err != nil || len(out.TagSet) != 50 {
			t.Fatalf("GetBucketTagging = %d tags, %v; want 50", len(out.TagSet), err)
		}
		if _, err := c.DeleteBucketTagging(ctx, &s3.DeleteBucketTaggingInput{Bucket: b}); err != nil {
			t.Fatalf("DeleteBucketTagging: %v", err)
		}
		_, err = c.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: b})
		checkErr(t, "GetBucketTagging after delete", err, "NoSuchTagSet", 404)

		// CreateBucket with tags.
		if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("tagged-bucket"),
			CreateBucketConfiguration: &types.CreateBucketConfiguration{Tags: tagSet("team", "storage")}}); err != nil {
			t.Fatalf("CreateBucket with tags: %v", err)
		}
		out, err = c.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: aws.String("tagged-bucket")})
		if err != nil || !cmp.Equal(map[string]string{"team": "storage"}, tagMap(out.TagSet)) {
			t.Errorf("GetBucketTagging of a bucket created with tags = %v, %v", out, err)
		}
	})
}

func TestBucketTaggingErrors(t *testing.T) {
	_, c := startBucket(t, embedded)
	ctx := t.Context()
	put := func(bucket string, tags []types.Tag) error {
		_, err := c.PutBucketTagging(ctx, &s3.PutBucketTaggingInput{Bucket: aws.String(bucket), Tagging: &types.Tagging{TagSet: tags}})
		return err
	}
	checkErrCases(t, []errCase{
		{"51 tags", put(testBucket, numberedTags(51)), "BadRequest", 400},
		{"duplicate keys", put(testBucket, tagSet("a", "1", "a", "1")), "InvalidTag", 400},
		{"bad key", put(testBucket, tagSet("a<b", "1")), "InvalidTag", 400},
		{"missing bucket", put("no-such-bucket", tagSet("a", "1")), "NoSuchBucket", 404},
		{"create with duplicate tags", errOf(c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("dup-tags"),
			CreateBucketConfiguration: &types.CreateBucketConfiguration{Tags: tagSet("a", "1", "a", "2")}})), "InvalidTag", 400},
	})
	if _, err := c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("dup-tags")}); err == nil {
		t.Error("CreateBucket with bad tags created the bucket")
	}
	_, err := c.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: aws.String(testBucket)})
	checkErr(t, "GetBucketTagging after refused puts", err, "NoSuchTagSet", 404)
}

// TestConfigurationFaults: fault rules name the new operations, in every
// mode, and the SDK's retry gets the write through.
func TestConfigurationFaults(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		srv, c := startBucket(t, newServer, mocks3.WithObject(testBucket, "obj", []byte("x")))
		ctx := t.Context()
		for _, op := range []s3api.Operation{"PutObjectTagging", "PutBucketCors"} {
			srv.Faults().AddT(t, faults.Rule{Operation: op, Times: 1, Action: faults.ErrorCode("InternalError")})
		}
		if _, err := c.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: aws.String(testBucket), Key: aws.String("obj"),
			Tagging: &types.Tagging{TagSet: tagSet("a", "1")}}); err != nil {
			t.Fatalf("PutObjectTagging after one fault: %v", err)
		}
		if _, err := c.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: aws.String(testBucket),
			CORSConfiguration: &types.CORSConfiguration{CORSRules: browserRules}}); err != nil {
			t.Fatalf("PutBucketCors after one fault: %v", err)
		}
		for _, op := range []s3api.Operation{"PutObjectTagging", "PutBucketCors"} {
			if n, statuses := attempts(srv, op); n != 2 || statuses[0] != 500 || statuses[1] != 200 {
				t.Errorf("%s attempts = %d %v, want a 500 then a 200", op, n, statuses)
			}
		}
	})
}

// TestMultipartTagging: CreateMultipartUpload's x-amz-tagging is the
// completed object's tag set.
func TestMultipartTagging(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		_, c := startBucket(t, newServer)
		ctx, b, k := t.Context(), aws.String(testBucket), aws.String("big")
		up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: b, Key: k, Tagging: aws.String("stage=raw&owner=ingest")})
		if err != nil {
			t.Fatalf("CreateMultipartUpload: %v", err)
		}
		part, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: b, Key: k, UploadId: up.UploadId, PartNumber: aws.Int32(1), Body: strings.NewReader("only part")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: b, Key: k, UploadId: up.UploadId,
			MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{{PartNumber: aws.Int32(1), ETag: part.ETag, ChecksumCRC32: part.ChecksumCRC32}}}}); err != nil {
			t.Fatalf("CompleteMultipartUpload: %v", err)
		}
		out, err := c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: b, Key: k})
		if err != nil || !cmp.Equal(map[string]string{"stage": "raw", "owner": "ingest"}, tagMap(out.TagSet)) {
			t.Errorf("GetObjectTagging of the completed object = %v, %v", out, err)
		}
		_, err = c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: b, Key: k, Tagging: aws.String("a=1&a=2")})
		checkErr(t, "CreateMultipartUpload(duplicate tags)", err, "InvalidArgument", 400)
	})
}

// TestTaggingPresigned: a presigned PutObject carries its tags as the
// signed x-amz-tagging header (the Go SDK) or, where a presigner hoists
// x-amz-* headers into the URL (the JavaScript SDK), as a query parameter.
func TestTaggingPresigned(t *testing.T) {
	srv, c := startBucket(t, embedded)
	ctx := t.Context()
	tagsOf := func(key string) map[string]string {
		t.Helper()
		out, err := c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String(testBucket), Key: aws.String(key)})
		if err != nil {
			t.Fatalf("GetObjectTagging(%s): %v", key, err)
		}
		return tagMap(out.TagSet)
	}
	pre, err := s3.NewPresignClient(c).PresignPutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(testBucket), Key: aws.String("signed"), Tagging: aws.String("a=1")})
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequestWithContext(ctx, pre.Method, pre.URL, strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	req.Header = pre.SignedHeader.Clone()
	resp, err := srv.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || !cmp.Equal(map[string]string{"a": "1"}, tagsOf("signed")) {
		t.Errorf("presigned PutObject = %d, tags %v; want 200 and a=1", resp.StatusCode, tagsOf("signed"))
	}
	resp2, body := rawRequest(t, srv, http.MethodPut, "/"+testBucket+"/hoisted?x-amz-tagging=b%3D2%26c%3D3", nil, []byte("x"))
	if resp2.StatusCode != 200 || !cmp.Equal(map[string]string{"b": "2", "c": "3"}, tagsOf("hoisted")) {
		t.Errorf("PutObject with x-amz-tagging in the query = %d %s, tags %v; want 200 and b=2, c=3", resp2.StatusCode, body, tagsOf("hoisted"))
	}
}
