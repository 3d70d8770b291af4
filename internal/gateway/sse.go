package gateway

import (
	"context"
	"crypto/md5"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/bucketconfig"
	"github.com/mocks3/mocks3/internal/s3err"
)

// Server-side encryption headers, from
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/serv-side-encryption.html.
const (
	hdrSSE          = "x-amz-server-side-encryption"
	hdrSSEKeyID     = "x-amz-server-side-encryption-aws-kms-key-id"
	hdrSSEContext   = "x-amz-server-side-encryption-context"
	hdrSSEBucketKey = "x-amz-server-side-encryption-bucket-key-enabled"
	hdrSSECAlg      = "x-amz-server-side-encryption-customer-algorithm"
	hdrSSECKey      = "x-amz-server-side-encryption-customer-key"
	hdrSSECKeyMD5   = "x-amz-server-side-encryption-customer-key-MD5"
	copySourcePfx   = "x-amz-copy-source-"
)

// requestSSE reads the encryption a write asks for; the zero SSE when it
// names none, so that the bucket default applies.
func requestSSE(h http.Header, secure bool) (backend.SSE, error) {
	var sse backend.SSE
	md5sum, err := customerKey(h, secure, "")
	if err != nil {
		return sse, err
	}
	sse.CustomerKeyMD5 = md5sum
	alg := h.Get(hdrSSE)
	switch alg {
	case "", "AES256", "aws:kms", "aws:kms:dsse":
	default:
		return sse, invalidArgument("The encryption method specified is not supported", hdrSSE, alg)
	}
	if alg != "" && md5sum != "" {
		return sse, invalidArgument("Server Side Encryption with Customer provided key is incompatible with the encryption method specified", hdrSSE, alg)
	}
	kms := strings.HasPrefix(alg, "aws:kms")
	for _, name := range []string{hdrSSEKeyID, hdrSSEContext} {
		if _, ok := h[http.CanonicalHeaderKey(name)]; ok && !kms {
			return sse, invalidArgument("Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms", name, h.Get(name))
		}
	}
	sse.Algorithm, sse.KMSKeyID, sse.Context = alg, h.Get(hdrSSEKeyID), h.Get(hdrSSEContext)
	if !utf8.ValidString(sse.KMSKeyID) {
		return sse, errorf(s3err.InvalidArgument, "Header values must be valid UTF-8.")
	}
	if sse.Context != "" && !validSSEContext(sse.Context) {
		return sse, invalidArgument("The header 'x-amz-server-side-encryption-context' shall be Base64-encoded UTF-8 string holding JSON which represents a string-string map", hdrSSEContext, sse.Context)
	}
	switch v := h.Get(hdrSSEBucketKey); strings.ToLower(v) {
	case "":
	case "true":
		sse.BucketKey = kms
	case "false":
	default:
		return sse, invalidArgument("Invalid value for header x-amz-server-side-encryption-bucket-key-enabled", hdrSSEBucketKey, v)
	}
	return sse, nil
}

func validSSEContext(v string) bool {
	b, err := base64.StdEncoding.DecodeString(v)
	if err != nil {
		return false
	}
	var m map[string]string
	return json.Unmarshal(b, &m) == nil && m != nil
}

// customerKey checks the SSE-C headers under prefix ("" or
// "x-amz-copy-source-") and returns the key's base64 MD5, "" if none.
func customerKey(h http.Header, secure bool, prefix string) (string, error) {
	// The copy source's headers are x-amz-copy-source-server-side-...
	nameAlg, nameKey, nameMD5 := hdrSSECAlg, hdrSSECKey, hdrSSECKeyMD5
	if prefix != "" {
		trim := func(n string) string { return prefix + strings.TrimPrefix(n, "x-amz-") }
		nameAlg, nameKey, nameMD5 = trim(nameAlg), trim(nameKey), trim(nameMD5)
	}
	alg, key, sum := h.Get(nameAlg), h.Get(nameKey), h.Get(nameMD5)
	if alg == "" && key == "" && sum == "" {
		return "", nil
	}
	if !secure {
		return "", errorf(s3err.InvalidRequest, "Requests specifying Server Side Encryption with Customer provided keys must be made over a secure connection.")
	}
	if alg != "AES256" {
		return "", invalidArgument("Requests specifying Server Side Encryption with Customer provided keys must provide a valid encryption algorithm.", nameAlg, alg)
	}
	if key == "" {
		return "", invalidArgument("Requests specifying Server Side Encryption with Customer provided keys must provide an appropriate secret key.", nameKey, "")
	}
	raw, err := base64.StdEncoding.DecodeString(key)
	if err != nil || len(raw) != 32 {
		return "", invalidArgument("The secret key was invalid for the specified algorithm.", nameKey, "")
	}
	if sum == "" {
		return "", invalidArgument("Requests specifying Server Side Encryption with Customer provided keys must provide the client calculated MD5 of the secret key.", nameMD5, "")
	}
	got := md5.Sum(raw)
	want := base64.StdEncoding.EncodeToString(got[:])
	if subtle.ConstantTimeCompare([]byte(want), []byte(sum)) != 1 {
		return "", invalidArgument("The calculated MD5 hash of the key did not match the hash that was provided.", nameMD5, "")
	}
	return want, nil
}

// checkCustomerKey checks that a read of obj (GetObject, HeadObject, the
// source of a copy) carries the SSE-C key obj was written with.
func checkCustomerKey(r *http.Request, prefix string, obj *backend.Object) error {
	sum, err := customerKey(r.Header, r.TLS != nil, prefix)
	if err != nil {
		return err
	}
	switch {
	case obj.SSE.CustomerKeyMD5 == "" && sum != "":
		return errorf(s3err.InvalidRequest, "The encryption parameters are not applicable to this object.")
	case obj.SSE.CustomerKeyMD5 != "" && sum == "":
		return errorf(s3err.InvalidRequest, "The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.")
	case sum != obj.SSE.CustomerKeyMD5:
		return newError(s3err.AccessDenied)
	}
	return nil
}

// checkPartKey checks that an UploadPart carries the SSE-C key of its
// upload, as S3 requires.
func checkPartKey(r *http.Request, up backend.Upload) error {
	sum, err := customerKey(r.Header, r.TLS != nil, "")
	if err != nil {
		return err
	}
	switch {
	case up.SSE.CustomerKeyMD5 != "" && sum == "":
		return errorf(s3err.InvalidRequest, "The multipart upload initiate requested encryption. Subsequent part requests must include the appropriate encryption parameters.")
	case sum != up.SSE.CustomerKeyMD5:
		return errorf(s3err.InvalidArgument, "The provided encryption parameters did not match the ones used originally.")
	}
	return nil
}

// writeSSE reads a write's encryption, falling back to the bucket's
// default encryption, and to SSE-S3 as S3 applies to every object since
// January 2023.
func (h *Handler) writeSSE(ctx context.Context, hdr http.Header, secure bool, bucket string) (backend.SSE, error) {
	sse, err := requestSSE(hdr, secure)
	if err != nil || sse.Algorithm != "" || sse.CustomerKeyMD5 != "" {
		return sse, err
	}
	doc, err := h.bucketConfig(ctx, bucket, "encryption")
	if err != nil {
		return sse, err
	}
	def := bucketconfig.DefaultEncryption()
	if doc != nil {
		if d, err := h.encryptions.Parse(bucket, doc); err == nil {
			def = d
		}
	}
	sse.Algorithm, sse.KMSKeyID = def.Algorithm, def.KMSMasterKeyID
	sse.BucketKey = def.BucketKey != nil && *def.BucketKey && strings.HasPrefix(def.Algorithm, "aws:kms")
	return sse, nil
}

// setSSEHeaders echoes an object's encryption as S3's responses do.
func setSSEHeaders(hdr http.Header, sse backend.SSE) {
	set := func(name, v string) {
		if v != "" {
			hdr[name] = []string{v}
		}
	}
	set(hdrSSE, sse.Algorithm)
	set(hdrSSEKeyID, sse.KMSKeyID)
	set(hdrSSEContext, sse.Context)
	if sse.BucketKey {
		set(hdrSSEBucketKey, "true")
	}
	if sse.CustomerKeyMD5 != "" {
		set(hdrSSECAlg, "AES256")
		set(hdrSSECKeyMD5, sse.CustomerKeyMD5)
	}
}
