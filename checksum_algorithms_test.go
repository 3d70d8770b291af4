package mocks3_test

// The ten checksum algorithms of today's SDK, the default CRC64NVME of
// objects written without a checksum, and the InvalidRequest errors of
// checksum headers that contradict each other:
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_Checksum.html

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/mocks3/mocks3"
)

// setChecksum sets the Checksum<ALG> field of an SDK input or part struct.
func setChecksum(in any, alg types.ChecksumAlgorithm, value string) {
	reflect.ValueOf(in).Elem().FieldByName("Checksum" + string(alg)).Set(reflect.ValueOf(aws.String(value)))
}

// checkErrMessage is checkErr that also checks the error's message.
func checkErrMessage(t *testing.T, call string, err error, code string, status int, msg string) {
	t.Helper()
	checkErr(t, call, err, code, status)
	var ae smithy.APIError
	if errors.As(err, &ae) && ae.ErrorMessage() != msg {
		t.Errorf("%s message = %q, want %q", call, ae.ErrorMessage(), msg)
	}
}

// whenRequired makes a client send checksums only where S3 requires them,
// as clients configured so (and older SDKs) do.
func whenRequired(o *s3.Options) {
	o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
}

func TestChecksumAlgorithmsPutObject(t *testing.T) {
	if len(sdkAlgorithms) < 10 {
		t.Fatalf("the SDK knows %d checksum algorithms, want at least 10", len(sdkAlgorithms))
	}
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		srv, c := startBucket(t, newServer)
		ctx := t.Context()
		body := testData(3000, 31)
		for _, alg := range sdkAlgorithms {
			t.Run(string(alg), func(t *testing.T) {
				key := "alg-" + string(alg)
				// The SDK computes only some algorithms: a precomputed value
				// works for all, and the SDK then sends no checksum of its own.
				in := &s3.PutObjectInput{Bucket: aws.String(testBucket), Key: aws.String(key), Body: bytes.NewReader(body)}
				setChecksum(in, alg, checksumOf(alg, body))
				put, err := c.PutObject(ctx, in)
				if err != nil {
					t.Fatalf("PutObject(%s) = %v", alg, err)
				}
				want := checksumsWith(alg, checksumOf(alg, body), types.ChecksumTypeFullObject)
				if diff := cmp.Diff(want, checksumsOf(put)); diff != "" {
					t.Errorf("PutObject(%s) checksums mismatch (-want +got):\n%s", alg, diff)
				}
				checkReadChecksums(t, c, key, body, want)
				list, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(testBucket), Prefix: aws.String(key)})
				if err != nil {
					t.Fatal(err)
				}
				if len(list.Contents) != 1 || !slices.Equal(list.Contents[0].ChecksumAlgorithm, []types.ChecksumAlgorithm{alg}) ||
					list.Contents[0].ChecksumType != types.ChecksumTypeFullObject {
					t.Errorf("ListObjectsV2(%s) = %+v, want ChecksumAlgorithm [%s], FULL_OBJECT", key, list.Contents, alg)
				}

				bad := &s3.PutObjectInput{Bucket: aws.String(testBucket), Key: aws.String("bad-" + key), Body: bytes.NewReader(body)}
				setChecksum(bad, alg, checksumOf(alg, []byte("other bytes")))
				_, err = c.PutObject(ctx, bad)
				checkErrMessage(t, fmt.Sprintf("PutObject(wrong %s)", alg), err, "BadDigest", 400,
					fmt.Sprintf("The %s you specified did not match the calculated checksum.", alg))
				srv.CheckNoObject(t, testBucket, "bad-"+key)
			})
		}
	})
}

func TestChecksumAlgorithmsMultipart(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		const minPart = 1024
		_, c := startBucket(t, newServer, mocks3.WithMinPartSize(minPart))
		ctx := t.Context()
		parts := [][]byte{testData(minPart, 41), testData(minPart+5, 42), testData(9, 43)}
		for _, alg := range sdkAlgorithms {
			t.Run(string(alg), func(t *testing.T) {
				key := "mp-" + string(alg)
				up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String(key), ChecksumAlgorithm: alg})
				if err != nil {
					t.Fatalf("CreateMultipartUpload(%s) = %v", alg, err)
				}
				wantType := types.ChecksumTypeComposite
				if alg == types.ChecksumAlgorithmCrc64nvme {
					wantType = types.ChecksumTypeFullObject
				}
				if up.ChecksumAlgorithm != alg || up.ChecksumType != wantType {
					t.Errorf("CreateMultipartUpload(%s) = %s %s, want %s %s", alg, up.ChecksumAlgorithm, up.ChecksumType, alg, wantType)
				}
				var completed []types.CompletedPart
				for i, p := range parts {
					in := &s3.UploadPartInput{Bucket: aws.String(testBucket), Key: aws.String(key), UploadId: up.UploadId,
						PartNumber: aws.Int32(int32(i + 1)), Body: bytes.NewReader(p)}
					setChecksum(in, alg, checksumOf(alg, p))
					out, err := c.UploadPart(ctx, in)
					if err != nil {
						t.Fatalf("UploadPart(%s, %d) = %v", alg, i+1, err)
					}
					if diff := cmp.Diff(checksumsWith(alg, checksumOf(alg, p), ""), checksumsOf(out)); diff != "" {
						t.Errorf("UploadPart(%s, %d) checksums mismatch (-want +got):\n%s", alg, i+1, diff)
					}
					cp := types.CompletedPart{PartNumber: aws.Int32(int32(i + 1)), ETag: out.ETag}
					setChecksum(&cp, alg, checksumOf(alg, p))
					completed = append(completed, cp)
				}
				completeChecked(t, c, key, up.UploadId, alg, wantType, parts, completed)
			})
		}
	})
}

// TestDefaultChecksum: S3 gives every object written without a checksum a
// full-object CRC64NVME, multipart objects included.
func TestDefaultChecksum(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		const minPart = 1024
		srv := newServer(t, mocks3.WithBucket(testBucket), mocks3.WithMinPartSize(minPart))
		plain := srv.Client(whenRequired)
		c := srv.Client()
		ctx := t.Context()
		body := testData(2500, 51)
		crc := types.ChecksumAlgorithmCrc64nvme
		want := checksumsWith(crc, checksumOf(crc, body), types.ChecksumTypeFullObject)

		t.Run("PutObject", func(t *testing.T) {
			put := mustPut(t, plain, testBucket, "plain", body)
			if diff := cmp.Diff(want, checksumsOf(put)); diff != "" {
				t.Errorf("PutObject() checksums mismatch (-want +got):\n%s", diff)
			}
			get, got := mustGet(t, c, testBucket, "plain", func(in *s3.GetObjectInput) { in.ChecksumMode = types.ChecksumModeEnabled })
			if !bytes.Equal(got, body) {
				t.Errorf("GetObject(plain) body differs")
			}
			if diff := cmp.Diff(want, checksumsOf(get)); diff != "" {
				t.Errorf("GetObject(plain) checksums mismatch (-want +got):\n%s", diff)
			}
			list, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(testBucket), Prefix: aws.String("plain")})
			if err != nil {
				t.Fatal(err)
			}
			if len(list.Contents) != 1 || !slices.Equal(list.Contents[0].ChecksumAlgorithm, []types.ChecksumAlgorithm{crc}) {
				t.Errorf("ListObjectsV2(plain) = %+v, want ChecksumAlgorithm [CRC64NVME]", list.Contents)
			}
		})

		t.Run("seeded and backfilled", func(t *testing.T) {
			if err := srv.PutObject(testBucket, "seeded", body); err != nil {
				t.Fatal(err)
			}
			origin := newServer(t, mocks3.WithObject(testBucket, "far", body))
			local := newServer(t, mocks3.WithBucket(testBucket), mocks3.WithThirdParty(mocks3.ThirdPartyS3(origin.Client())))
			if _, got := mustGet(t, local.Client(), testBucket, "far"); !bytes.Equal(got, body) {
				t.Fatalf("GetObject(far) through the origin: body differs")
			}
			if err := local.WaitIdle(ctx); err != nil {
				t.Fatal(err)
			}
			for _, tc := range []struct {
				srv *mocks3.Server
				key string
			}{{srv, "seeded"}, {origin, "far"}, {local, "far"}} {
				head, err := tc.srv.Client().HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(testBucket), Key: aws.String(tc.key),
					ChecksumMode: types.ChecksumModeEnabled})
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(want, checksumsOf(head)); diff != "" {
					t.Errorf("HeadObject(%s) checksums mismatch (-want +got):\n%s", tc.key, diff)
				}
			}
		})

		t.Run("CopyObject", func(t *testing.T) {
			mustPut(t, plain, testBucket, "copy-src", body)
			out, err := plain.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String(testBucket), Key: aws.String("copy-dst"),
				CopySource: aws.String(testBucket + "/copy-src")})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, checksumsOf(out.CopyObjectResult)); diff != "" {
				t.Errorf("CopyObject() checksums mismatch (-want +got):\n%s", diff)
			}
		})

		parts := [][]byte{testData(minPart, 52), testData(minPart+7, 53), testData(11, 54)}
		whole := bytes.Join(parts, nil)
		for _, tc := range []struct {
			name string
			c    *s3.Client
		}{{"multipart plain", plain}, {"multipart SDK default CRC32 parts", c}} {
			t.Run(tc.name, func(t *testing.T) {
				key := "mp-" + tc.name
				up, err := tc.c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String(key)})
				if err != nil {
					t.Fatal(err)
				}
				if up.ChecksumAlgorithm != "" || up.ChecksumType != "" {
					t.Errorf("CreateMultipartUpload() = %q %q, want no algorithm or type", up.ChecksumAlgorithm, up.ChecksumType)
				}
				var completed []types.CompletedPart
				for i, p := range parts {
					out, err := tc.c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String(testBucket), Key: aws.String(key), UploadId: up.UploadId,
						PartNumber: aws.Int32(int32(i + 1)), Body: bytes.NewReader(p)})
					if err != nil {
						t.Fatalf("UploadPart(%d) = %v", i+1, err)
					}
					completed = append(completed, types.CompletedPart{PartNumber: aws.Int32(int32(i + 1)), ETag: out.ETag})
				}
				lp, err := tc.c.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String(testBucket), Key: aws.String(key), UploadId: up.UploadId})
				if err != nil {
					t.Fatal(err)
				}
				for i, p := range lp.Parts {
					if got, want := aws.ToString(p.ChecksumCRC64NVME), checksumOf(crc, parts[i]); got != want {
						t.Errorf("ListParts() part %d ChecksumCRC64NVME = %q, want %q", i+1, got, want)
					}
				}
				out, err := tc.c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String(key),
					UploadId: up.UploadId, MultipartUpload: &types.CompletedMultipartUpload{Parts: completed}})
				if err != nil {
					t.Fatal(err)
				}
				wantMP := checksumsWith(crc, checksumOf(crc, whole), types.ChecksumTypeFullObject)
				if diff := cmp.Diff(wantMP, checksumsOf(out)); diff != "" {
					t.Errorf("CompleteMultipartUpload() checksums mismatch (-want +got):\n%s", diff)
				}
				// The SDK validates the full-object CRC64NVME as it reads.
				get, got := mustGet(t, c, testBucket, key, func(in *s3.GetObjectInput) { in.ChecksumMode = types.ChecksumModeEnabled })
				if !bytes.Equal(got, whole) {
					t.Errorf("GetObject(%s) body differs", key)
				}
				if diff := cmp.Diff(wantMP, checksumsOf(get)); diff != "" {
					t.Errorf("GetObject(%s) checksums mismatch (-want +got):\n%s", key, diff)
				}
			})
		}
	})
}

func TestChecksumRequestErrors(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		const minPart = 1024
		srv, c := startBucket(t, newServer, mocks3.WithMinPartSize(minPart))
		plain := srv.Client(whenRequired)
		ctx := t.Context()
		body := testData(1500, 61)
		sha256 := types.ChecksumAlgorithmSha256

		t.Run("algorithm header disagrees with checksum", func(t *testing.T) {
			in := &s3.PutObjectInput{Bucket: aws.String(testBucket), Key: aws.String("disagree"), Body: bytes.NewReader(body),
				ChecksumAlgorithm: types.ChecksumAlgorithmCrc32, ChecksumSHA256: aws.String(checksumOf(sha256, body))}
			_, err := c.PutObject(ctx, in)
			checkErrMessage(t, "PutObject(CRC32 algorithm, SHA256 value)", err, "InvalidRequest", 400,
				"Value for x-amz-sdk-checksum-algorithm header is invalid.")
			srv.CheckNoObject(t, testBucket, "disagree")
		})

		t.Run("algorithm header without checksum", func(t *testing.T) {
			resp, b := rawRequest(t, srv, http.MethodPut, "/"+testBucket+"/nosum", http.Header{"X-Amz-Sdk-Checksum-Algorithm": {"CRC32"}}, body)
			if resp.StatusCode != 400 || !bytes.Contains(b, []byte("<Code>InvalidRequest</Code>")) ||
				!bytes.Contains(b, []byte("x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.")) {
				t.Errorf("PUT with x-amz-sdk-checksum-algorithm only = %d %s, want 400 InvalidRequest", resp.StatusCode, b)
			}
		})

		t.Run("several checksums", func(t *testing.T) {
			in := &s3.PutObjectInput{Bucket: aws.String(testBucket), Key: aws.String("several"), Body: bytes.NewReader(body),
				ChecksumCRC32: aws.String(checksumOf(types.ChecksumAlgorithmCrc32, body)), ChecksumXXHASH3: aws.String(checksumOf(types.ChecksumAlgorithmXxhash3, body))}
			_, err := c.PutObject(ctx, in)
			checkErrMessage(t, "PutObject(CRC32 and XXHASH3)", err, "InvalidRequest", 400,
				"Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.")
		})

		t.Run("checksum type the algorithm cannot have", func(t *testing.T) {
			for _, tc := range []struct {
				alg types.ChecksumAlgorithm
				typ types.ChecksumType
			}{
				{sha256, types.ChecksumTypeFullObject},
				{types.ChecksumAlgorithmXxhash128, types.ChecksumTypeFullObject},
				{types.ChecksumAlgorithmMd5, types.ChecksumTypeFullObject},
				{types.ChecksumAlgorithmCrc64nvme, types.ChecksumTypeComposite},
			} {
				_, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String("type"),
					ChecksumAlgorithm: tc.alg, ChecksumType: tc.typ})
				checkErrMessage(t, fmt.Sprintf("CreateMultipartUpload(%s, %s)", tc.alg, tc.typ), err, "InvalidRequest", 400,
					fmt.Sprintf("The %s checksum type cannot be used with the %s checksum algorithm.", tc.typ, tc.alg))
			}
		})

		t.Run("part without the upload's checksum", func(t *testing.T) {
			up, err := plain.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String("nopartsum"), ChecksumAlgorithm: sha256})
			if err != nil {
				t.Fatal(err)
			}
			_, err = plain.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String(testBucket), Key: aws.String("nopartsum"), UploadId: up.UploadId,
				PartNumber: aws.Int32(1), Body: bytes.NewReader(body)})
			checkErrMessage(t, "UploadPart(no checksum, SHA256 upload)", err, "InvalidRequest", 400,
				"Checksum Type mismatch occurred, expected checksum Type: sha256, actual checksum Type: null")

			// A FULL_OBJECT upload computes what its parts leave out.
			crc := types.ChecksumAlgorithmCrc32c
			up, err = plain.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String("full"),
				ChecksumAlgorithm: crc, ChecksumType: types.ChecksumTypeFullObject})
			if err != nil {
				t.Fatal(err)
			}
			out, err := plain.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String(testBucket), Key: aws.String("full"), UploadId: up.UploadId,
				PartNumber: aws.Int32(1), Body: bytes.NewReader(body)})
			if err != nil {
				t.Fatalf("UploadPart(no checksum, FULL_OBJECT upload) = %v", err)
			}
			if got, want := aws.ToString(out.ChecksumCRC32C), checksumOf(crc, body); got != want {
				t.Errorf("UploadPart() ChecksumCRC32C = %q, want %q", got, want)
			}
			complete := func(in *s3.CompleteMultipartUploadInput) error {
				in.Bucket, in.Key, in.UploadId = aws.String(testBucket), aws.String("full"), up.UploadId
				in.MultipartUpload = &types.CompletedMultipartUpload{Parts: []types.CompletedPart{{PartNumber: aws.Int32(1), ETag: out.ETag}}}
				_, err := plain.CompleteMultipartUpload(ctx, in)
				return err
			}
			err = complete(&s3.CompleteMultipartUploadInput{ChecksumType: types.ChecksumTypeComposite})
			checkErrMessage(t, "CompleteMultipartUpload(COMPOSITE for a FULL_OBJECT upload)", err, "InvalidRequest", 400,
				"The upload was created using the FULL_OBJECT checksum mode. The complete request must use the same checksum mode.")
			err = complete(&s3.CompleteMultipartUploadInput{ChecksumCRC32C: aws.String(checksumOf(crc, []byte("not the object")))})
			checkErrMessage(t, "CompleteMultipartUpload(wrong full-object CRC32C)", err, "BadDigest", 400,
				"The CRC32C you specified did not match the calculated checksum.")
			if err := complete(&s3.CompleteMultipartUploadInput{ChecksumType: types.ChecksumTypeFullObject, ChecksumCRC32C: aws.String(checksumOf(crc, body))}); err != nil {
				t.Errorf("CompleteMultipartUpload(right full-object CRC32C) = %v", err)
			}
		})

		t.Run("complete without the parts' checksums", func(t *testing.T) {
			up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String("nocompletesum"), ChecksumAlgorithm: sha256})
			if err != nil {
				t.Fatal(err)
			}
			out, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String(testBucket), Key: aws.String("nocompletesum"), UploadId: up.UploadId,
				PartNumber: aws.Int32(1), Body: bytes.NewReader(body), ChecksumAlgorithm: sha256})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String("nocompletesum"), UploadId: up.UploadId,
				MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{{PartNumber: aws.Int32(1), ETag: out.ETag}}}})
			checkErrMessage(t, "CompleteMultipartUpload(no part checksum, COMPOSITE SHA256)", err, "InvalidRequest", 400,
				"The upload was created using a sha256 checksum. The complete request must include the checksum for each part. It was missing for part 1 in the request.")
		})
	})
}
