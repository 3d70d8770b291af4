package mocks3_test

// Checksums on single and multipart uploads:
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/mocks3/mocks3"
)

var checksumAlgorithms = []types.ChecksumAlgorithm{
	types.ChecksumAlgorithmCrc32,
	types.ChecksumAlgorithmCrc32c,
	types.ChecksumAlgorithmCrc64nvme,
	types.ChecksumAlgorithmSha1,
	types.ChecksumAlgorithmSha256,
}

// checkReadChecksums checks that GetObject and HeadObject in checksum
// mode answer want for key, and GetObject its body.
func checkReadChecksums(t *testing.T, c *s3.Client, key string, body []byte, want checksums) {
	t.Helper()
	get, got := mustGet(t, c, testBucket, key, func(in *s3.GetObjectInput) { in.ChecksumMode = types.ChecksumModeEnabled })
	if !bytes.Equal(got, body) {
		t.Errorf("GetObject(%s) body differs", key)
	}
	if diff := cmp.Diff(want, checksumsOf(get)); diff != "" {
		t.Errorf("GetObject(%s) checksums mismatch (-want +got):\n%s", key, diff)
	}
	head, err := c.HeadObject(t.Context(), &s3.HeadObjectInput{Bucket: aws.String(testBucket), Key: aws.String(key), ChecksumMode: types.ChecksumModeEnabled})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, checksumsOf(head)); diff != "" {
		t.Errorf("HeadObject(%s, checksum mode) checksums mismatch (-want +got):\n%s", key, diff)
	}
}

func TestChecksums(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		srv, c := startBucket(t, newServer)
		ctx := t.Context()
		body := testData(1000, 11)

		for _, alg := range checksumAlgorithms {
			t.Run(string(alg), func(t *testing.T) {
				key := "sum-" + string(alg)
				want := checksumsWith(alg, checksumOf(alg, body), types.ChecksumTypeFullObject)
				put := mustPut(t, c, testBucket, key, body, func(in *s3.PutObjectInput) { in.ChecksumAlgorithm = alg })
				if diff := cmp.Diff(want, checksumsOf(put)); diff != "" {
					t.Errorf("PutObject(%s) checksums mismatch (-want +got):\n%s", alg, diff)
				}
				checkReadChecksums(t, c, key, body, want)
				head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(testBucket), Key: aws.String(key)})
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(checksums{}, checksumsOf(head)); diff != "" {
					t.Errorf("HeadObject(%s) without checksum mode: checksums mismatch (-want +got):\n%s", alg, diff)
				}

				// A range is not the whole object: no whole-object checksum,
				// or the SDK fails validating it.
				get, got := mustGet(t, c, testBucket, key, func(in *s3.GetObjectInput) {
					in.ChecksumMode = types.ChecksumModeEnabled
					in.Range = aws.String("bytes=10-99")
				})
				if !bytes.Equal(got, body[10:100]) {
					t.Errorf("GetObject(%s, bytes=10-99) body differs", key)
				}
				if diff := cmp.Diff(checksums{}, checksumsOf(get), cmpopts.IgnoreFields(checksums{}, "Type")); diff != "" {
					t.Errorf("GetObject(%s, bytes=10-99) checksums mismatch (-want +got):\n%s", alg, diff)
				}

				wrong := checksumOf(alg, []byte("something else"))
				in := &s3.PutObjectInput{Bucket: aws.String(testBucket), Key: aws.String("bad-" + key), Body: bytes.NewReader(body), ChecksumAlgorithm: alg}
				switch alg {
				case types.ChecksumAlgorithmCrc32:
					in.ChecksumCRC32 = aws.String(wrong)
				case types.ChecksumAlgorithmCrc32c:
					in.ChecksumCRC32C = aws.String(wrong)
				case types.ChecksumAlgorithmCrc64nvme:
					in.ChecksumCRC64NVME = aws.String(wrong)
				case types.ChecksumAlgorithmSha1:
					in.ChecksumSHA1 = aws.String(wrong)
				case types.ChecksumAlgorithmSha256:
					in.ChecksumSHA256 = aws.String(wrong)
				}
				_, err = c.PutObject(ctx, in)
				checkErr(t, fmt.Sprintf("PutObject(wrong %s)", alg), err, "BadDigest", 400)
				srv.CheckNoObject(t, testBucket, "bad-"+key)
			})
		}

		t.Run("default CRC32", func(t *testing.T) {
			// The SDK sends a CRC32 unless told otherwise; S3 keeps it.
			mustPut(t, c, testBucket, "default", body)
			head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(testBucket), Key: aws.String("default"), ChecksumMode: types.ChecksumModeEnabled})
			if err != nil {
				t.Fatal(err)
			}
			want := checksumsWith(types.ChecksumAlgorithmCrc32, checksumOf(types.ChecksumAlgorithmCrc32, body), types.ChecksumTypeFullObject)
			if diff := cmp.Diff(want, checksumsOf(head)); diff != "" {
				t.Errorf("HeadObject(default) checksums mismatch (-want +got):\n%s", diff)
			}
		})
	})
}

// completeChecked checks the checksums ListParts answers for the parts of
// the upload of key, completes it with completed, and checks that
// CompleteMultipartUpload and HeadObject (checksum mode) answer the
// object's checksum of type typ, which it returns.
func completeChecked(t *testing.T, c *s3.Client, key string, uploadID *string, alg types.ChecksumAlgorithm, typ types.ChecksumType,
	parts [][]byte, completed []types.CompletedPart) checksums {
	t.Helper()
	ctx := t.Context()
	lp, err := c.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String(testBucket), Key: aws.String(key), UploadId: uploadID})
	if err != nil {
		t.Fatal(err)
	}
	if lp.ChecksumAlgorithm != alg || lp.ChecksumType != typ || len(lp.Parts) != len(parts) {
		t.Fatalf("ListParts() = %s %s, %d parts, want %s %s, %d parts", lp.ChecksumAlgorithm, lp.ChecksumType, len(lp.Parts), alg, typ, len(parts))
	}
	for i, p := range lp.Parts {
		if diff := cmp.Diff(checksumsWith(alg, checksumOf(alg, parts[i]), ""), checksumsOf(p)); diff != "" {
			t.Errorf("ListParts() part %d checksums mismatch (-want +got):\n%s", i+1, diff)
		}
	}
	out, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String(key),
		UploadId: uploadID, MultipartUpload: &types.CompletedMultipartUpload{Parts: completed}})
	if err != nil {
		t.Fatalf("CompleteMultipartUpload(%s) = %v", alg, err)
	}
	wantValue := compositeOf(alg, parts...)
	if typ == types.ChecksumTypeFullObject {
		wantValue = checksumOf(alg, bytes.Join(parts, nil))
	}
	want := checksumsWith(alg, wantValue, typ)
	if diff := cmp.Diff(want, checksumsOf(out)); diff != "" {
		t.Errorf("CompleteMultipartUpload(%s) checksums mismatch (-want +got):\n%s", alg, diff)
	}
	head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(testBucket), Key: aws.String(key), ChecksumMode: types.ChecksumModeEnabled})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, checksumsOf(head)); diff != "" {
		t.Errorf("HeadObject(%s) checksums mismatch (-want +got):\n%s", alg, diff)
	}
	return want
}

func TestMultipartChecksums(t *testing.T) {
	tests := []struct {
		name     string
		alg      types.ChecksumAlgorithm
		typ      types.ChecksumType // asked for; "" leaves the default
		wantType types.ChecksumType
	}{
		{"CRC32 default composite", types.ChecksumAlgorithmCrc32, "", types.ChecksumTypeComposite},
		{"CRC32 full object", types.ChecksumAlgorithmCrc32, types.ChecksumTypeFullObject, types.ChecksumTypeFullObject},
		{"CRC32C composite", types.ChecksumAlgorithmCrc32c, types.ChecksumTypeComposite, types.ChecksumTypeComposite},
		{"CRC32C full object", types.ChecksumAlgorithmCrc32c, types.ChecksumTypeFullObject, types.ChecksumTypeFullObject},
		{"CRC64NVME default full object", types.ChecksumAlgorithmCrc64nvme, "", types.ChecksumTypeFullObject},
		{"SHA1 composite", types.ChecksumAlgorithmSha1, "", types.ChecksumTypeComposite},
		{"SHA256 composite", types.ChecksumAlgorithmSha256, types.ChecksumTypeComposite, types.ChecksumTypeComposite},
	}
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		const minPart = 1024
		_, c := startBucket(t, newServer, mocks3.WithMinPartSize(minPart))
		ctx := t.Context()
		parts := [][]byte{testData(minPart, 21), testData(minPart+3, 22), testData(17, 23)}
		whole := bytes.Join(parts, nil)

		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				key := fmt.Sprintf("mp-%d", i)
				up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String(key),
					ChecksumAlgorithm: tt.alg, ChecksumType: tt.typ})
				if err != nil {
					t.Fatalf("CreateMultipartUpload(%s, %s) = %v", tt.alg, tt.typ, err)
				}
				if up.ChecksumAlgorithm != tt.alg || up.ChecksumType != tt.wantType {
					t.Errorf("CreateMultipartUpload() = %s %s, want %s %s", up.ChecksumAlgorithm, up.ChecksumType, tt.alg, tt.wantType)
				}
				var completed []types.CompletedPart
				for j, p := range parts {
					out, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String(testBucket), Key: aws.String(key), UploadId: up.UploadId,
						PartNumber: aws.Int32(int32(j + 1)), Body: bytes.NewReader(p), ChecksumAlgorithm: tt.alg})
					if err != nil {
						t.Fatalf("UploadPart(%d) = %v", j+1, err)
					}
					want := checksumsWith(tt.alg, checksumOf(tt.alg, p), "")
					if diff := cmp.Diff(want, checksumsOf(out)); diff != "" {
						t.Errorf("UploadPart(%d) checksums mismatch (-want +got):\n%s", j+1, diff)
					}
					completed = append(completed, types.CompletedPart{PartNumber: aws.Int32(int32(j + 1)), ETag: out.ETag,
						ChecksumCRC32: out.ChecksumCRC32, ChecksumCRC32C: out.ChecksumCRC32C, ChecksumCRC64NVME: out.ChecksumCRC64NVME,
						ChecksumSHA1: out.ChecksumSHA1, ChecksumSHA256: out.ChecksumSHA256})
				}

				want := completeChecked(t, c, key, up.UploadId, tt.alg, tt.wantType, parts, completed)
				// The SDK validates a full-object checksum and skips a composite one.
				get, body := mustGet(t, c, testBucket, key, func(in *s3.GetObjectInput) { in.ChecksumMode = types.ChecksumModeEnabled })
				if !bytes.Equal(body, whole) {
					t.Errorf("GetObject() body differs")
				}
				if diff := cmp.Diff(want, checksumsOf(get)); diff != "" {
					t.Errorf("GetObject() checksums mismatch (-want +got):\n%s", diff)
				}
				// A part read carries the part's checksum when the object's is
				// composite, and none otherwise; the SDK validates what it gets.
				get, body = mustGet(t, c, testBucket, key, func(in *s3.GetObjectInput) {
					in.ChecksumMode = types.ChecksumModeEnabled
					in.PartNumber = aws.Int32(2)
				})
				if !bytes.Equal(body, parts[1]) {
					t.Errorf("GetObject(part 2) body differs")
				}
				wantPart := checksums{}
				if tt.wantType == types.ChecksumTypeComposite {
					wantPart = checksumsWith(tt.alg, checksumOf(tt.alg, parts[1]), "")
				}
				if diff := cmp.Diff(wantPart, checksumsOf(get), cmpopts.IgnoreFields(checksums{}, "Type")); diff != "" {
					t.Errorf("GetObject(part 2) checksums mismatch (-want +got):\n%s", diff)
				}
				get, _ = mustGet(t, c, testBucket, key, func(in *s3.GetObjectInput) {
					in.ChecksumMode = types.ChecksumModeEnabled
					in.Range = aws.String("bytes=0-9")
				})
				if diff := cmp.Diff(checksums{}, checksumsOf(get), cmpopts.IgnoreFields(checksums{}, "Type")); diff != "" {
					t.Errorf("GetObject(bytes=0-9) checksums mismatch (-want +got):\n%s", diff)
				}
			})
		}

		t.Run("part with another algorithm", func(t *testing.T) {
			uploadID := mustCreateUpload(t, c, "mixed", types.ChecksumAlgorithmSha256)
			_, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String(testBucket), Key: aws.String("mixed"), UploadId: uploadID,
				PartNumber: aws.Int32(1), Body: bytes.NewReader(parts[0]), ChecksumAlgorithm: types.ChecksumAlgorithmCrc32})
			checkErr(t, "UploadPart(CRC32 into a SHA256 upload)", err, "InvalidRequest", 400)
		})

		t.Run("wrong part checksum", func(t *testing.T) {
			uploadID := mustCreateUpload(t, c, "wrong", types.ChecksumAlgorithmCrc32c)
			_, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String(testBucket), Key: aws.String("wrong"), UploadId: uploadID,
				PartNumber: aws.Int32(1), Body: bytes.NewReader(parts[0]), ChecksumAlgorithm: types.ChecksumAlgorithmCrc32c,
				ChecksumCRC32C: aws.String(checksumOf(types.ChecksumAlgorithmCrc32c, parts[1]))})
			checkErr(t, "UploadPart(wrong CRC32C)", err, "BadDigest", 400)
			lp, err := c.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String(testBucket), Key: aws.String("wrong"), UploadId: uploadID})
			if err != nil {
				t.Fatal(err)
			}
			if len(lp.Parts) != 0 {
				t.Errorf("ListParts() after a bad part = %d parts, want none", len(lp.Parts))
			}
		})
	})
}

// TestDocumentDigest: S3 checks the body of every request against the
// Content-MD5 or x-amz-checksum-* header it carries, XML documents
// included (boto3 before 1.36 sends Content-MD5 with tagging, versioning
// and DeleteObjects; later ones a CRC32): a mismatch is 400 BadDigest and
// nothing is applied.
func TestDocumentDigest(t *testing.T) {
	srv := mocks3.New(t, mocks3.WithObject(testBucket, "k", []byte("x")))
	const (
		tagging    = `<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet><Tag><Key>team</Key><Value>storage</Value></Tag></TagSet></Tagging>`
		versioning = `<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>Enabled</Status></VersioningConfiguration>`
		del        = `<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Object><Key>k</Key></Object><Quiet>false</Quiet></Delete>`
	)
	md5Of := func(s string) string { return checksumOf(types.ChecksumAlgorithmMd5, []byte(s)) }
	tests := []struct {
		name, method, target, body string
		header                     map[string]string
		check                      string // a GET that must show nothing applied
		unchanged                  string // what it must not contain
	}{
		{"PutBucketTagging, Content-MD5", "PUT", "?tagging", tagging, map[string]string{"Content-MD5": md5Of("other")}, "?tagging", "storage"},
		{"PutBucketTagging, CRC32", "PUT", "?tagging", tagging, map[string]string{"x-amz-checksum-crc32": "AAAAAA=="}, "?tagging", "storage"},
		{"PutObjectTagging, Content-MD5", "PUT", "/k?tagging", tagging, map[string]string{"Content-MD5": md5Of("other")}, "/k?tagging", "storage"},
		{"PutBucketVersioning, CRC32", "PUT", "?versioning", versioning, map[string]string{"x-amz-checksum-crc32": "AAAAAA=="}, "?versioning", "Enabled"},
		{"DeleteObjects, Content-MD5", "POST", "?delete", del, map[string]string{"Content-MD5": md5Of("other")}, "", ""},
		{"DeleteObjects, CRC32", "POST", "?delete", del, map[string]string{"x-amz-checksum-crc32": "AAAAAA=="}, "", ""},
	}
	do := func(method, target, body string, header map[string]string) (int, string) {
		t.Helper()
		h := http.Header{}
		for k, v := range header {
			h.Set(k, v)
		}
		resp, b := rawRequest(t, srv, method, "/"+testBucket+target, h, []byte(body))
		return resp.StatusCode, string(b)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := do(tt.method, tt.target, tt.body, tt.header)
			if status != http.StatusBadRequest || !strings.Contains(body, "<Code>BadDigest</Code>") {
				t.Errorf("%s %s with a wrong digest = %d %s, want 400 BadDigest", tt.method, tt.target, status, body)
			}
			if _, md5 := tt.header["Content-MD5"]; md5 && !strings.Contains(body, "<CalculatedDigest>") {
				t.Errorf("%s %s with a wrong Content-MD5 = %s, want ExpectedDigest and CalculatedDigest as PutObject's", tt.method, tt.target, body)
			}
			if tt.check != "" {
				if _, got := do("GET", tt.check, "", nil); strings.Contains(got, tt.unchanged) {
					t.Errorf("GET %s after the refused request = %s, want it not applied", tt.check, got)
				}
			}
			srv.CheckObject(t, testBucket, "k", []byte("x"))
		})
	}
	// The right digests are taken.
	if status, body := do("PUT", "?tagging", tagging, map[string]string{"Content-MD5": md5Of(tagging)}); status != http.StatusNoContent {
		t.Errorf("PutBucketTagging with its Content-MD5 = %d %s, want 204", status, body)
	}
}
