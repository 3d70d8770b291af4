package mocks3_test

// Server-side encryption attributes (SSE-S3, SSE-KMS, bucket default
// encryption): accepted, validated, stored and echoed as S3 does. mocks3
// keeps bytes in the clear; only the attributes are S3's.

import (
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"encoding/xml"
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

// SSE-C: customer-provided keys, checked on write, required on read, and
// refused over plain http.

// customerKey is an SSE-C key as the SDK's inputs take it: base64 key and
// base64 MD5 of the raw key.
type customerKey struct{ key, md5 string }

func newCustomerKey(fill byte) customerKey {
	raw := bytes.Repeat([]byte{fill}, 32)
	sum := md5.Sum(raw)
	return customerKey{base64.StdEncoding.EncodeToString(raw), base64.StdEncoding.EncodeToString(sum[:])}
}

// sseCModes are the TLS modes SSE-C runs in.
func sseCModes(t *testing.T) map[string][]mocks3.Option {
	return map[string][]mocks3.Option{
		"memory/https": {mocks3.WithTLS()},
		"disk/https":   {mocks3.WithTLS(), mocks3.WithDir(t.TempDir())},
		"stack/https":  {mocks3.WithTLS(), mocks3.WithStack()},
	}
}

func TestSSECustomerKeyPut(t *testing.T) {
	good, other := newCustomerKey(1), newCustomerKey(2)
	short := base64.StdEncoding.EncodeToString(make([]byte, 16))
	cases := []struct {
		name          string
		alg, key, sum string
		sse           types.ServerSideEncryption
		code          string
		status        int
	}{
		{name: "valid", alg: "AES256", key: good.key, sum: good.md5},
		{name: "MD5 mismatch", alg: "AES256", key: good.key, sum: other.md5, code: "InvalidArgument", status: http.StatusBadRequest},
		{name: "MD5 missing", alg: "AES256", key: good.key, code: "InvalidArgument", status: http.StatusBadRequest},
		{name: "short key", alg: "AES256", key: short, sum: good.md5, code: "InvalidArgument", status: http.StatusBadRequest},
		{name: "key not base64", alg: "AES256", key: "%%%", sum: good.md5, code: "InvalidArgument", status: http.StatusBadRequest},
		{name: "key missing", alg: "AES256", sum: good.md5, code: "InvalidArgument", status: http.StatusBadRequest},
		{name: "unknown algorithm", alg: "AES128", key: good.key, sum: good.md5, code: "InvalidArgument", status: http.StatusBadRequest},
		{name: "with SSE-S3", alg: "AES256", key: good.key, sum: good.md5, sse: types.ServerSideEncryptionAes256, code: "InvalidArgument", status: http.StatusBadRequest},
	}
	for mode, opts := range sseCModes(t) {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			srv := mocks3.New(t, append(opts, mocks3.WithBucket(testBucket))...)
			c := srv.Client()
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					in := &s3.PutObjectInput{Bucket: aws.String(testBucket), Key: aws.String(tc.name), Body: strings.NewReader("secret"),
						ServerSideEncryption: tc.sse}
					if tc.alg != "" {
						in.SSECustomerAlgorithm = aws.String(tc.alg)
					}
					if tc.key != "" {
						in.SSECustomerKey = aws.String(tc.key)
					}
					if tc.sum != "" {
						in.SSECustomerKeyMD5 = aws.String(tc.sum)
					}
					out, err := c.PutObject(t.Context(), in)
					if tc.code != "" {
						checkErr(t, "PutObject", err, tc.code, tc.status)
						return
					}
					if err != nil {
						t.Fatalf("PutObject = %v", err)
					}
					if aws.ToString(out.SSECustomerAlgorithm) != "AES256" || aws.ToString(out.SSECustomerKeyMD5) != good.md5 || out.ServerSideEncryption != "" {
						t.Errorf("PutObject SSE-C echo = %q %q (SSE %q), want AES256 %q and no SSE",
							aws.ToString(out.SSECustomerAlgorithm), aws.ToString(out.SSECustomerKeyMD5), out.ServerSideEncryption, good.md5)
					}
				})
			}
		})
	}
}

func TestSSECustomerKeyRead(t *testing.T) {
	good, other := newCustomerKey(1), newCustomerKey(2)
	withKey := func(k customerKey) func(*s3.GetObjectInput) {
		return func(in *s3.GetObjectInput) {
			in.SSECustomerAlgorithm, in.SSECustomerKey, in.SSECustomerKeyMD5 = aws.String("AES256"), aws.String(k.key), aws.String(k.md5)
		}
	}
	for mode, opts := range sseCModes(t) {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			srv := mocks3.New(t, append(opts, mocks3.WithBucket(testBucket))...)
			c := srv.Client()
			mustPut(t, c, testBucket, "secret", []byte("payload"), func(in *s3.PutObjectInput) {
				in.SSECustomerAlgorithm, in.SSECustomerKey, in.SSECustomerKeyMD5 = aws.String("AES256"), aws.String(good.key), aws.String(good.md5)
			})
			mustPut(t, c, testBucket, "plain", []byte("payload"))

			cases := []struct {
				name, key string
				opt       func(*s3.GetObjectInput)
				code      string
				status    int
			}{
				{"right key", "secret", withKey(good), "", http.StatusOK},
				{"no key", "secret", func(*s3.GetObjectInput) {}, "InvalidRequest", http.StatusBadRequest},
				{"wrong key", "secret", withKey(other), "AccessDenied", http.StatusForbidden},
				{"key for a plain object", "plain", withKey(good), "InvalidRequest", http.StatusBadRequest},
			}
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					in := &s3.GetObjectInput{Bucket: aws.String(testBucket), Key: aws.String(tc.key)}
					tc.opt(in)
					err := getErr(t.Context(), c, in)
					hin := &s3.HeadObjectInput{Bucket: aws.String(testBucket), Key: aws.String(tc.key),
						SSECustomerAlgorithm: in.SSECustomerAlgorithm, SSECustomerKey: in.SSECustomerKey, SSECustomerKeyMD5: in.SSECustomerKeyMD5}
					head, herr := c.HeadObject(t.Context(), hin)
					if tc.code != "" {
						checkErr(t, "GetObject", err, tc.code, tc.status)
						checkErr(t, "HeadObject", herr, "", tc.status)
						return
					}
					if err != nil || herr != nil {
						t.Fatalf("GetObject = %v, HeadObject = %v", err, herr)
					}
					if aws.ToString(head.SSECustomerKeyMD5) != good.md5 || aws.ToString(head.SSECustomerAlgorithm) != "AES256" {
						t.Errorf("HeadObject SSE-C = %q %q, want AES256 %q", aws.ToString(head.SSECustomerAlgorithm), aws.ToString(head.SSECustomerKeyMD5), good.md5)
					}
					out, body := mustGet(t, c, testBucket, tc.key, tc.opt)
					if string(body) != "payload" || aws.ToString(out.SSECustomerKeyMD5) != good.md5 {
						t.Errorf("GetObject = %q key MD5 %q, want %q %q", body, aws.ToString(out.SSECustomerKeyMD5), "payload", good.md5)
					}
				})
			}

			// A copy of an SSE-C source needs the source's key.
			copyIn := func(k *customerKey) *s3.CopyObjectInput {
				in := &s3.CopyObjectInput{Bucket: aws.String(testBucket), Key: aws.String("copy"), CopySource: aws.String(copySource(testBucket, "secret"))}
				if k != nil {
					in.CopySourceSSECustomerAlgorithm, in.CopySourceSSECustomerKey, in.CopySourceSSECustomerKeyMD5 = aws.String("AES256"), aws.String(k.key), aws.String(k.md5)
				}
				return in
			}
			_, err := c.CopyObject(t.Context(), copyIn(nil))
			checkErr(t, "CopyObject without the source key", err, "InvalidRequest", http.StatusBadRequest)
			_, err = c.CopyObject(t.Context(), copyIn(&other))
			checkErr(t, "CopyObject with a wrong source key", err, "AccessDenied", http.StatusForbidden)
			in := copyIn(&good)
			in.SSECustomerAlgorithm, in.SSECustomerKey, in.SSECustomerKeyMD5 = aws.String("AES256"), aws.String(other.key), aws.String(other.md5)
			cp, err := c.CopyObject(t.Context(), in)
			if err != nil {
				t.Fatalf("CopyObject with the source key = %v", err)
			}
			if aws.ToString(cp.SSECustomerKeyMD5) != other.md5 {
				t.Errorf("CopyObject key MD5 = %q, want the destination's %q", aws.ToString(cp.SSECustomerKeyMD5), other.md5)
			}
			if _, body := mustGet(t, c, testBucket, "copy", withKey(other)); string(body) != "payload" {
				t.Errorf("copy = %q, want %q", body, "payload")
			}
		})
	}
}

func TestSSECustomerKeyMultipart(t *testing.T) {
	good, other := newCustomerKey(1), newCustomerKey(2)
	for mode, opts := range sseCModes(t) {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			srv := mocks3.New(t, append(opts, mocks3.WithBucket(testBucket))...)
			c := srv.Client()
			cr, err := c.CreateMultipartUpload(t.Context(), &s3.CreateMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String("mpu"),
				SSECustomerAlgorithm: aws.String("AES256"), SSECustomerKey: aws.String(good.key), SSECustomerKeyMD5: aws.String(good.md5)})
			if err != nil {
				t.Fatalf("CreateMultipartUpload = %v", err)
			}
			if aws.ToString(cr.SSECustomerKeyMD5) != good.md5 {
				t.Errorf("CreateMultipartUpload key MD5 = %q, want %q", aws.ToString(cr.SSECustomerKeyMD5), good.md5)
			}
			part := func(k *customerKey) (*s3.UploadPartOutput, error) {
				in := &s3.UploadPartInput{Bucket: aws.String(testBucket), Key: aws.String("mpu"), UploadId: cr.UploadId,
					PartNumber: aws.Int32(1), Body: strings.NewReader("part")}
				if k != nil {
					in.SSECustomerAlgorithm, in.SSECustomerKey, in.SSECustomerKeyMD5 = aws.String("AES256"), aws.String(k.key), aws.String(k.md5)
				}
				return c.UploadPart(t.Context(), in)
			}
			_, err = part(nil)
			checkErr(t, "UploadPart without the key", err, "InvalidRequest", http.StatusBadRequest)
			_, err = part(&other)
			checkErr(t, "UploadPart with another key", err, "InvalidArgument", http.StatusBadRequest)
			p, err := part(&good)
			if err != nil {
				t.Fatalf("UploadPart = %v", err)
			}
			if _, err := c.CompleteMultipartUpload(t.Context(), &s3.CompleteMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String("mpu"),
				UploadId: cr.UploadId, MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{
					{PartNumber: aws.Int32(1), ETag: p.ETag, ChecksumCRC32: p.ChecksumCRC32}}}}); err != nil {
				t.Fatalf("CompleteMultipartUpload = %v", err)
			}
			err = getErr(t.Context(), c, &s3.GetObjectInput{Bucket: aws.String(testBucket), Key: aws.String("mpu")})
			checkErr(t, "GetObject without the key", err, "InvalidRequest", http.StatusBadRequest)
			_, body := mustGet(t, c, testBucket, "mpu", func(in *s3.GetObjectInput) {
				in.SSECustomerAlgorithm, in.SSECustomerKey, in.SSECustomerKeyMD5 = aws.String("AES256"), aws.String(good.key), aws.String(good.md5)
			})
			if string(body) != "part" {
				t.Errorf("GetObject = %q, want %q", body, "part")
			}
		})
	}
}

// Over plain http S3 refuses SSE-C before it looks at the key.
func TestSSECustomerKeyNeedsTLS(t *testing.T) {
	good := newCustomerKey(1)
	_, c := startBucket(t, embedded)
	_, err := c.PutObject(t.Context(), &s3.PutObjectInput{Bucket: aws.String(testBucket), Key: aws.String("k"), Body: strings.NewReader("x"),
		SSECustomerAlgorithm: aws.String("AES256"), SSECustomerKey: aws.String(good.key), SSECustomerKeyMD5: aws.String(good.md5)})
	checkErr(t, "PutObject with SSE-C over http", err, "InvalidRequest", http.StatusBadRequest)
	if err != nil && !strings.Contains(err.Error(), "must be made over a secure connection") {
		t.Errorf("PutObject with SSE-C over http = %v, want the secure connection message", err)
	}
	if _, err := c.HeadObject(t.Context(), &s3.HeadObjectInput{Bucket: aws.String(testBucket), Key: aws.String("k")}); err == nil {
		t.Errorf("HeadObject after a refused PutObject = nil error, want NotFound")
	}
}

// A KMS key ID that is not UTF-8 is refused before anything is stored: the
// disk backend's JSON could not keep it byte for byte.
func TestSSEKeyIDNotUTF8(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		srv, _ := startBucket(t, newServer)
		resp, body := rawRequest(t, srv, http.MethodPut, "/"+testBucket+"/k", http.Header{
			"X-Amz-Server-Side-Encryption":                {"aws:kms"},
			"X-Amz-Server-Side-Encryption-Aws-Kms-Key-Id": {"key-\xff"},
		}, []byte("x"))
		var e s3ErrorBody
		if err := xml.Unmarshal(body, &e); err != nil || resp.StatusCode != http.StatusBadRequest || e.Code != "InvalidArgument" {
			t.Errorf("PUT with a KMS key ID not UTF-8 = %d %s (%v), want 400 InvalidArgument", resp.StatusCode, e.Code, err)
		}
		srv.CheckNoObject(t, testBucket, "k")
	})
}
