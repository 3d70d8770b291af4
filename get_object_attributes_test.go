package mocks3_test

// GetObjectAttributes:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectAttributes.html

import (
	"bytes"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/google/go-cmp/cmp"

	"github.com/mocks3/mocks3"
)

// attributes is what GetObjectAttributes answered, in comparable form.
type attributes struct {
	ETag         string
	Checksum     checksums
	HasChecksum  bool
	StorageClass types.StorageClass
	ObjectSize   int64
	Parts        *partsPage
}

type partsPage struct {
	Count, MaxParts    int32
	Marker, NextMarker string
	Truncated          bool
	Numbers            []int32
	Sizes              []int64
	CRC32s             []string
}

func toAttributes(o *s3.GetObjectAttributesOutput) attributes {
	a := attributes{ETag: aws.ToString(o.ETag), StorageClass: o.StorageClass, ObjectSize: aws.ToInt64(o.ObjectSize)}
	if c := o.Checksum; c != nil {
		a.HasChecksum = true
		a.Checksum = checksumsOf(c)
	}
	if p := o.ObjectParts; p != nil {
		a.Parts = &partsPage{Count: aws.ToInt32(p.TotalPartsCount), MaxParts: aws.ToInt32(p.MaxParts),
			Marker: aws.ToString(p.PartNumberMarker), NextMarker: aws.ToString(p.NextPartNumberMarker),
			Truncated: aws.ToBool(p.IsTruncated)}
		for _, part := range p.Parts {
			a.Parts.Numbers = append(a.Parts.Numbers, aws.ToInt32(part.PartNumber))
			a.Parts.Sizes = append(a.Parts.Sizes, aws.ToInt64(part.Size))
			a.Parts.CRC32s = append(a.Parts.CRC32s, aws.ToString(part.ChecksumCRC32))
		}
	}
	return a
}

var allAttributes = []types.ObjectAttributes{types.ObjectAttributesEtag, types.ObjectAttributesChecksum,
	types.ObjectAttributesObjectParts, types.ObjectAttributesStorageClass, types.ObjectAttributesObjectSize}

// uploadParts completes a multipart upload of parts under key, with a
// CRC32 per part when alg is set, and returns the object's ETag.
func uploadParts(t *testing.T, c *s3.Client, key string, alg types.ChecksumAlgorithm, parts ...[]byte) {
	t.Helper()
	ctx := t.Context()
	up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String(key),
		ChecksumAlgorithm: alg})
	if err != nil {
		t.Fatalf("CreateMultipartUpload(%s) = %v", key, err)
	}
	var done []types.CompletedPart
	for i, p := range parts {
		n := aws.Int32(int32(i + 1))
		out, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String(testBucket), Key: aws.String(key),
			UploadId: up.UploadId, PartNumber: n, Body: bytes.NewReader(p), ChecksumAlgorithm: alg})
		if err != nil {
			t.Fatalf("UploadPart(%s, %d) = %v", key, i+1, err)
		}
		cp := types.CompletedPart{PartNumber: n, ETag: out.ETag}
		if alg != "" {
			cp.ChecksumCRC32 = out.ChecksumCRC32
		}
		done = append(done, cp)
	}
	if _, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String(key),
		UploadId: up.UploadId, MultipartUpload: &types.CompletedMultipartUpload{Parts: done}}); err != nil {
		t.Fatalf("CompleteMultipartUpload(%s) = %v", key, err)
	}
}

func TestGetObjectAttributes(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) { testGetObjectAttributes(t, newServer) })
}

func testGetObjectAttributes(t *testing.T, newServer newServerFunc) {
	const minPart = 1024
	_, c := startBucket(t, newServer, mocks3.WithMinPartSize(minPart))
	small := testData(100, 1)
	mustPut(t, c, testBucket, "small", small)
	mustPut(t, c, testBucket, "cold", small, func(in *s3.PutObjectInput) { in.StorageClass = types.StorageClassStandardIa })
	parts := [][]byte{testData(minPart, 2), testData(minPart+3, 3), testData(10, 4)}
	uploadParts(t, c, "composite", types.ChecksumAlgorithmCrc32, parts...)
	uploadParts(t, c, "plain", "", parts...)
	total := int64(len(parts[0]) + len(parts[1]) + len(parts[2]))
	multiETag := multipartETag(parts...)
	crcs := []string{checksumOf(types.ChecksumAlgorithmCrc32, parts[0]), checksumOf(types.ChecksumAlgorithmCrc32, parts[1]),
		checksumOf(types.ChecksumAlgorithmCrc32, parts[2])}
	composite := compositeOf(types.ChecksumAlgorithmCrc32, parts...)

	tests := []struct {
		name     string
		key      string
		attrs    []types.ObjectAttributes
		maxParts *int32
		marker   *string
		want     attributes
	}{
		{name: "single part, all", key: "small", attrs: allAttributes, want: attributes{
			ETag: md5Hex(small), HasChecksum: true,
			Checksum:     checksumsWith(types.ChecksumAlgorithmCrc32, checksumOf(types.ChecksumAlgorithmCrc32, small), types.ChecksumTypeFullObject),
			StorageClass: types.StorageClassStandard, ObjectSize: int64(len(small))}},
		{name: "storage class", key: "cold", attrs: []types.ObjectAttributes{types.ObjectAttributesStorageClass},
			want: attributes{StorageClass: types.StorageClassStandardIa}},
		{name: "size only", key: "small", attrs: []types.ObjectAttributes{types.ObjectAttributesObjectSize},
			want: attributes{ObjectSize: int64(len(small))}},
		{name: "composite parts", key: "composite", attrs: allAttributes, want: attributes{
			ETag: multiETag[1 : len(multiETag)-1], HasChecksum: true,
			Checksum:     checksumsWith(types.ChecksumAlgorithmCrc32, composite, types.ChecksumTypeComposite),
			StorageClass: types.StorageClassStandard, ObjectSize: total,
			Parts: &partsPage{Count: 3, MaxParts: 1000, Marker: "0", NextMarker: "3", Numbers: []int32{1, 2, 3},
				Sizes: []int64{int64(len(parts[0])), int64(len(parts[1])), int64(len(parts[2]))}, CRC32s: crcs}}},
		{name: "first page", key: "composite", attrs: []types.ObjectAttributes{types.ObjectAttributesObjectParts}, maxParts: aws.Int32(2),
			want: attributes{Parts: &partsPage{Count: 3, MaxParts: 2, Marker: "0", NextMarker: "2", Truncated: true, Numbers: []int32{1, 2},
				Sizes: []int64{int64(len(parts[0])), int64(len(parts[1]))}, CRC32s: crcs[:2]}}},
		{name: "second page", key: "composite", attrs: []types.ObjectAttributes{types.ObjectAttributesObjectParts},
			maxParts: aws.Int32(2), marker: aws.String("2"),
			want: attributes{Parts: &partsPage{Count: 3, MaxParts: 2, Marker: "2", NextMarker: "3", Numbers: []int32{3},
				Sizes: []int64{int64(len(parts[2]))}, CRC32s: crcs[2:]}}},
		{name: "past the last part", key: "composite", attrs: []types.ObjectAttributes{types.ObjectAttributesObjectParts},
			marker: aws.String("3"), want: attributes{Parts: &partsPage{Count: 3, MaxParts: 1000, Marker: "3", NextMarker: "0"}}},
		// Without per-part checksums S3 gives the count, not the parts.
		{name: "parts without checksums", key: "plain", attrs: []types.ObjectAttributes{types.ObjectAttributesObjectParts},
			want: attributes{Parts: &partsPage{Count: 3, MaxParts: 1000, Marker: "0", NextMarker: "3"}}},
		{name: "single part has no parts", key: "small", attrs: []types.ObjectAttributes{types.ObjectAttributesObjectParts}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := c.GetObjectAttributes(t.Context(), &s3.GetObjectAttributesInput{Bucket: aws.String(testBucket),
				Key: aws.String(tt.key), ObjectAttributes: tt.attrs, MaxParts: tt.maxParts, PartNumberMarker: tt.marker})
			if err != nil {
				t.Fatalf("GetObjectAttributes(%s) = %v", tt.key, err)
			}
			if diff := cmp.Diff(tt.want, toAttributes(out)); diff != "" {
				t.Errorf("GetObjectAttributes(%s) (-want +got):\n%s", tt.key, diff)
			}
			if out.LastModified == nil || out.LastModified.IsZero() {
				t.Errorf("GetObjectAttributes(%s) LastModified is not set", tt.key)
			}
		})
	}
}

func TestGetObjectAttributesVersion(t *testing.T) {
	_, c := startBucket(t, embedded)
	body := testData(10, 5)
	mustPut(t, c, testBucket, "k", body)
	// An object written while versioning was never enabled is the null
	// version.
	out, err := c.GetObjectAttributes(t.Context(), &s3.GetObjectAttributesInput{Bucket: aws.String(testBucket), Key: aws.String("k"),
		VersionId: aws.String("null"), ObjectAttributes: []types.ObjectAttributes{types.ObjectAttributesEtag}})
	if err != nil {
		t.Fatalf("GetObjectAttributes(k, null) = %v", err)
	}
	if got := aws.ToString(out.ETag); got != md5Hex(body) {
		t.Errorf("GetObjectAttributes(k, null) ETag = %q, want %q", got, md5Hex(body))
	}
	if out.VersionId != nil {
		t.Errorf("GetObjectAttributes(k, null) VersionId = %q, want none", *out.VersionId)
	}
}

func TestGetObjectAttributesErrors(t *testing.T) {
	_, c := startBucket(t, embedded, mocks3.WithObject(testBucket, "k", []byte("data")))
	etag := []types.ObjectAttributes{types.ObjectAttributesEtag}
	tests := []struct {
		name   string
		in     s3.GetObjectAttributesInput
		code   string
		status int
	}{
		{"unknown attribute", s3.GetObjectAttributesInput{Key: aws.String("k"),
			ObjectAttributes: []types.ObjectAttributes{types.ObjectAttributesEtag, "Colour"}}, "InvalidArgument", 400},
		{"no attribute", s3.GetObjectAttributesInput{Key: aws.String("k"), ObjectAttributes: []types.ObjectAttributes{}}, "InvalidRequest", 400},
		{"negative max-parts", s3.GetObjectAttributesInput{Key: aws.String("k"), ObjectAttributes: etag, MaxParts: aws.Int32(-1)}, "InvalidArgument", 400},
		{"bad part-number-marker", s3.GetObjectAttributesInput{Key: aws.String("k"), ObjectAttributes: etag, PartNumberMarker: aws.String("x")}, "InvalidArgument", 400},
		{"missing key", s3.GetObjectAttributesInput{Key: aws.String("missing"), ObjectAttributes: etag}, "NoSuchKey", 404},
		{"missing version", s3.GetObjectAttributesInput{Key: aws.String("k"), VersionId: aws.String("3HL4kqtJlcpXroDTDmJ"), ObjectAttributes: etag}, "NoSuchVersion", 404},
		{"missing bucket", s3.GetObjectAttributesInput{Bucket: aws.String("no-such-bucket"), Key: aws.String("k"), ObjectAttributes: etag}, "NoSuchBucket", 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			if in.Bucket == nil {
				in.Bucket = aws.String(testBucket)
			}
			_, err := c.GetObjectAttributes(t.Context(), &in)
			checkErr(t, "GetObjectAttributes("+tt.name+")", err, tt.code, tt.status)
		})
	}
}
