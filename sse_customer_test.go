package mocks3_test

// SSE-C: customer-provided keys, checked on write, required on read, and
// refused over plain http.

import (
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/mocks3/mocks3"
)

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
