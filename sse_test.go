package mocks3_test

// Server-side encryption attributes (SSE-S3, SSE-KMS, bucket default
// encryption): accepted, validated, stored and echoed as S3 does. mocks3
// keeps bytes in the clear; only the attributes are S3's.

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/mocks3/mocks3"
)

// sseWant is the encryption a response should report.
type sseWant struct {
	alg       types.ServerSideEncryption
	keyID     string
	context   string
	bucketKey bool
}

func checkSSE(t *testing.T, call string, alg types.ServerSideEncryption, keyID, context *string, bucketKey *bool, want sseWant) {
	t.Helper()
	if alg != want.alg || aws.ToString(keyID) != want.keyID || aws.ToBool(bucketKey) != want.bucketKey {
		t.Errorf("%s encryption = %q key %q bucket key %v, want %q key %q bucket key %v",
			call, alg, aws.ToString(keyID), aws.ToBool(bucketKey), want.alg, want.keyID, want.bucketKey)
	}
	if context != nil && aws.ToString(context) != want.context {
		t.Errorf("%s encryption context = %q, want %q", call, aws.ToString(context), want.context)
	}
}

// checkStoredSSE checks what HeadObject and GetObject report for key.
func checkStoredSSE(t *testing.T, c *s3.Client, bucket, key string, want sseWant) {
	t.Helper()
	head, err := c.HeadObject(t.Context(), &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		t.Fatalf("HeadObject(%q) = %v", key, err)
	}
	checkSSE(t, "HeadObject", head.ServerSideEncryption, head.SSEKMSKeyId, nil, head.BucketKeyEnabled, want)
	get, _ := mustGet(t, c, bucket, key)
	checkSSE(t, "GetObject", get.ServerSideEncryption, get.SSEKMSKeyId, nil, get.BucketKeyEnabled, want)
}

func TestSSEPutObject(t *testing.T) {
	const keyARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	ctxJSON := base64.StdEncoding.EncodeToString([]byte(`{"team":"storage"}`))
	cases := []struct {
		name   string
		in     func(*s3.PutObjectInput)
		want   sseWant
		code   string
		status int
	}{
		{name: "no header is SSE-S3", in: func(*s3.PutObjectInput) {}, want: sseWant{alg: types.ServerSideEncryptionAes256}},
		{name: "AES256", in: func(in *s3.PutObjectInput) { in.ServerSideEncryption = types.ServerSideEncryptionAes256 },
			want: sseWant{alg: types.ServerSideEncryptionAes256}},
		{name: "aws:kms with key, context and bucket key", in: func(in *s3.PutObjectInput) {
			in.ServerSideEncryption = types.ServerSideEncryptionAwsKms
			in.SSEKMSKeyId, in.SSEKMSEncryptionContext, in.BucketKeyEnabled = aws.String(keyARN), aws.String(ctxJSON), aws.Bool(true)
		}, want: sseWant{alg: types.ServerSideEncryptionAwsKms, keyID: keyARN, context: ctxJSON, bucketKey: true}},
		{name: "aws:kms:dsse", in: func(in *s3.PutObjectInput) {
			in.ServerSideEncryption = types.ServerSideEncryptionAwsKmsDsse
			in.SSEKMSKeyId = aws.String(keyARN)
		}, want: sseWant{alg: types.ServerSideEncryptionAwsKmsDsse, keyID: keyARN}},
		{name: "bucket key without kms is not reported", in: func(in *s3.PutObjectInput) {
			in.ServerSideEncryption = types.ServerSideEncryptionAes256
			in.BucketKeyEnabled = aws.Bool(true)
		}, want: sseWant{alg: types.ServerSideEncryptionAes256}},
		{name: "unknown algorithm", in: func(in *s3.PutObjectInput) { in.ServerSideEncryption = "DES" },
			code: "InvalidArgument", status: http.StatusBadRequest},
		{name: "kms key with AES256", in: func(in *s3.PutObjectInput) {
			in.ServerSideEncryption = types.ServerSideEncryptionAes256
			in.SSEKMSKeyId = aws.String(keyARN)
		}, code: "InvalidArgument", status: http.StatusBadRequest},
		{name: "kms key without algorithm", in: func(in *s3.PutObjectInput) { in.SSEKMSKeyId = aws.String(keyARN) },
			code: "InvalidArgument", status: http.StatusBadRequest},
		{name: "context with AES256", in: func(in *s3.PutObjectInput) {
			in.ServerSideEncryption = types.ServerSideEncryptionAes256
			in.SSEKMSEncryptionContext = aws.String(ctxJSON)
		}, code: "InvalidArgument", status: http.StatusBadRequest},
		{name: "context not base64 JSON", in: func(in *s3.PutObjectInput) {
			in.ServerSideEncryption = types.ServerSideEncryptionAwsKms
			in.SSEKMSEncryptionContext = aws.String(base64.StdEncoding.EncodeToString([]byte("not json")))
		}, code: "InvalidArgument", status: http.StatusBadRequest},
	}
	forEachMode(t, func(t *testing.T, newServer func(t *testing.T, opts ...mocks3.Option) *mocks3.Server) {
		_, c := startBucket(t, newServer)
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				in := &s3.PutObjectInput{Bucket: aws.String(testBucket), Key: aws.String(tc.name), Body: http.NoBody}
				tc.in(in)
				out, err := c.PutObject(t.Context(), in)
				if tc.code != "" {
					checkErr(t, "PutObject", err, tc.code, tc.status)
					if _, err := c.HeadObject(t.Context(), &s3.HeadObjectInput{Bucket: aws.String(testBucket), Key: aws.String(tc.name)}); err == nil {
						t.Errorf("HeadObject after a refused PutObject = nil error, want NotFound")
					}
					return
				}
				if err != nil {
					t.Fatalf("PutObject = %v", err)
				}
				checkSSE(t, "PutObject", out.ServerSideEncryption, out.SSEKMSKeyId, out.SSEKMSEncryptionContext, out.BucketKeyEnabled, tc.want)
				checkStoredSSE(t, c, testBucket, tc.name, tc.want)
			})
		}
	})
}

func TestSSEBucketDefault(t *testing.T) {
	const keyARN = "arn:aws:kms:us-east-1:123456789012:key/default"
	forEachMode(t, func(t *testing.T, newServer func(t *testing.T, opts ...mocks3.Option) *mocks3.Server) {
		_, c := startBucket(t, newServer)
		_, err := c.PutBucketEncryption(t.Context(), &s3.PutBucketEncryptionInput{Bucket: aws.String(testBucket),
			ServerSideEncryptionConfiguration: &types.ServerSideEncryptionConfiguration{Rules: []types.ServerSideEncryptionRule{{
				ApplyServerSideEncryptionByDefault: &types.ServerSideEncryptionByDefault{
					SSEAlgorithm: types.ServerSideEncryptionAwsKms, KMSMasterKeyID: aws.String(keyARN)},
				BucketKeyEnabled: aws.Bool(true),
			}}}})
		if err != nil {
			t.Fatalf("PutBucketEncryption = %v", err)
		}
		kms := sseWant{alg: types.ServerSideEncryptionAwsKms, keyID: keyARN, bucketKey: true}
		out := mustPut(t, c, testBucket, "default", []byte("x"))
		checkSSE(t, "PutObject", out.ServerSideEncryption, out.SSEKMSKeyId, nil, out.BucketKeyEnabled, kms)
		checkStoredSSE(t, c, testBucket, "default", kms)

		// A header overrides the default.
		out = mustPut(t, c, testBucket, "explicit", []byte("x"), func(in *s3.PutObjectInput) {
			in.ServerSideEncryption = types.ServerSideEncryptionAes256
		})
		aes := sseWant{alg: types.ServerSideEncryptionAes256}
		checkSSE(t, "PutObject", out.ServerSideEncryption, out.SSEKMSKeyId, nil, out.BucketKeyEnabled, aes)
		checkStoredSSE(t, c, testBucket, "explicit", aes)

		// Without the bucket's default, S3 falls back to SSE-S3.
		if _, err := c.DeleteBucketEncryption(t.Context(), &s3.DeleteBucketEncryptionInput{Bucket: aws.String(testBucket)}); err != nil {
			t.Fatalf("DeleteBucketEncryption = %v", err)
		}
		mustPut(t, c, testBucket, "after", []byte("x"))
		checkStoredSSE(t, c, testBucket, "after", aes)
		// Objects keep the encryption they were written with.
		checkStoredSSE(t, c, testBucket, "default", kms)
	})
}

func TestSSECopyAndMultipart(t *testing.T) {
	const keyARN = "arn:aws:kms:us-east-1:123456789012:key/mpu"
	kms := sseWant{alg: types.ServerSideEncryptionAwsKms, keyID: keyARN}
	aes := sseWant{alg: types.ServerSideEncryptionAes256}
	forEachMode(t, func(t *testing.T, newServer func(t *testing.T, opts ...mocks3.Option) *mocks3.Server) {
		_, c := startBucket(t, newServer)
		mustPut(t, c, testBucket, "src", []byte("data"), func(in *s3.PutObjectInput) {
			in.ServerSideEncryption, in.SSEKMSKeyId = types.ServerSideEncryptionAwsKms, aws.String(keyARN)
		})

		// A copy gets the encryption its request names, not the source's.
		cp, err := c.CopyObject(t.Context(), &s3.CopyObjectInput{Bucket: aws.String(testBucket), Key: aws.String("plain-copy"),
			CopySource: aws.String(copySource(testBucket, "src"))})
		if err != nil {
			t.Fatalf("CopyObject = %v", err)
		}
		checkSSE(t, "CopyObject", cp.ServerSideEncryption, cp.SSEKMSKeyId, nil, cp.BucketKeyEnabled, aes)
		checkStoredSSE(t, c, testBucket, "plain-copy", aes)
		cp, err = c.CopyObject(t.Context(), &s3.CopyObjectInput{Bucket: aws.String(testBucket), Key: aws.String("kms-copy"),
			CopySource: aws.String(copySource(testBucket, "src")), ServerSideEncryption: types.ServerSideEncryptionAwsKms, SSEKMSKeyId: aws.String(keyARN)})
		if err != nil {
			t.Fatalf("CopyObject = %v", err)
		}
		checkSSE(t, "CopyObject", cp.ServerSideEncryption, cp.SSEKMSKeyId, nil, cp.BucketKeyEnabled, kms)
		checkStoredSSE(t, c, testBucket, "kms-copy", kms)
		// Changing only the encryption makes a copy onto itself legal.
		if _, err := c.CopyObject(t.Context(), &s3.CopyObjectInput{Bucket: aws.String(testBucket), Key: aws.String("src"),
			CopySource: aws.String(copySource(testBucket, "src")), ServerSideEncryption: types.ServerSideEncryptionAes256}); err != nil {
			t.Fatalf("CopyObject onto itself with a new encryption = %v", err)
		}
		checkStoredSSE(t, c, testBucket, "src", aes)
		_, err = c.CopyObject(t.Context(), &s3.CopyObjectInput{Bucket: aws.String(testBucket), Key: aws.String("bad-copy"),
			CopySource: aws.String(copySource(testBucket, "src")), ServerSideEncryption: "rot13"})
		checkErr(t, "CopyObject with an unknown algorithm", err, "InvalidArgument", http.StatusBadRequest)

		_, err = c.CreateMultipartUpload(t.Context(), &s3.CreateMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String("mpu"),
			ServerSideEncryption: types.ServerSideEncryptionAes256, SSEKMSKeyId: aws.String(keyARN)})
		checkErr(t, "CreateMultipartUpload with a KMS key and AES256", err, "InvalidArgument", http.StatusBadRequest)
		cr, err := c.CreateMultipartUpload(t.Context(), &s3.CreateMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String("mpu"),
			ServerSideEncryption: types.ServerSideEncryptionAwsKms, SSEKMSKeyId: aws.String(keyARN)})
		if err != nil {
			t.Fatalf("CreateMultipartUpload = %v", err)
		}
		checkSSE(t, "CreateMultipartUpload", cr.ServerSideEncryption, cr.SSEKMSKeyId, nil, cr.BucketKeyEnabled, kms)
		part, err := c.UploadPart(t.Context(), &s3.UploadPartInput{Bucket: aws.String(testBucket), Key: aws.String("mpu"),
			UploadId: cr.UploadId, PartNumber: aws.Int32(1), Body: strings.NewReader("part")})
		if err != nil {
			t.Fatalf("UploadPart = %v", err)
		}
		checkSSE(t, "UploadPart", part.ServerSideEncryption, part.SSEKMSKeyId, nil, part.BucketKeyEnabled, kms)
		done, err := c.CompleteMultipartUpload(t.Context(), &s3.CompleteMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String("mpu"),
			UploadId: cr.UploadId, MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{
				{PartNumber: aws.Int32(1), ETag: part.ETag, ChecksumCRC32: part.ChecksumCRC32}}}})
		if err != nil {
			t.Fatalf("CompleteMultipartUpload = %v", err)
		}
		checkSSE(t, "CompleteMultipartUpload", done.ServerSideEncryption, done.SSEKMSKeyId, nil, done.BucketKeyEnabled, kms)
		checkStoredSSE(t, c, testBucket, "mpu", kms)
	})
}

// PostObject takes the encryption headers as form fields.
func TestSSEPostObject(t *testing.T) {
	const keyARN = "arn:aws:kms:us-east-1:123456789012:key/post"
	srv := mocks3.New(t, mocks3.WithBucket(testBucket))
	resp, body := postForm(t, srv, "/"+testBucket, []field{{"key", "kms"}, {"x-amz-server-side-encryption", "aws:kms"},
		{"x-amz-server-side-encryption-aws-kms-key-id", keyARN}}, postFile{data: []byte("abc")})
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("POST = %d %s, want 204", resp.StatusCode, body)
	}
	if got := resp.Header.Get("x-amz-server-side-encryption"); got != "aws:kms" {
		t.Errorf("POST x-amz-server-side-encryption = %q, want aws:kms", got)
	}
	checkStoredSSE(t, srv.Client(), testBucket, "kms", sseWant{alg: types.ServerSideEncryptionAwsKms, keyID: keyARN})

	resp, body = postForm(t, srv, "/"+testBucket, []field{{"key", "bad"}, {"x-amz-server-side-encryption", "DES"}}, postFile{data: []byte("abc")})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "<Code>InvalidArgument</Code>") {
		t.Errorf("POST with an unknown algorithm = %d %s, want 400 InvalidArgument", resp.StatusCode, body)
	}
}
