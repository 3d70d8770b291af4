// The answers S3 documents for the comparison's steps, and the known
// differences of gofakes3, with their reasons.

package peertest

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// Reasons shared by several steps.
const (
	reasonListed = "gofakes3 lists objects without StorageClass, ChecksumAlgorithm and ChecksumType; S3 lists all three (ListObjectsV2, Object)"
	reasonListV1 = "gofakes3 lists objects without Owner, StorageClass and checksum fields; ListObjects (v1) returns each object's Owner"
	reasonHead   = "gofakes3 replays the x-amz-checksum-crc32 request header on HEAD and sends x-amz-version-id in an unversioned bucket; S3 sends checksums only with x-amz-checksum-mode: ENABLED, and no version ID unless versioning was enabled"
	reasonRange  = "gofakes3 returns the whole object's CRC32 on a 206, so the SDK fails the read (checksum did not match); S3 returns no whole-object checksum for a range"
	reasonCopy   = "gofakes3 omits the checksum and its type from CopyObjectResult and sends version IDs in an unversioned bucket; S3 returns the copy's checksum, its type and no version ID"
	reasonDelete = "gofakes3 sends x-amz-delete-marker: false in an unversioned bucket; S3 sends it only where versioning made a delete marker"
	reasonPart   = "gofakes3 does not echo the part's x-amz-checksum-crc32; S3 does, and the SDK's uploaders copy it into CompleteMultipartUpload"
	reasonMPU    = "gofakes3 stores a completed multipart upload as one plain object: GET and HEAD give the MD5 of the whole body as ETag and no stored type; S3 keeps the multipart ETag (md5-of-part-md5s-N) and binary/octet-stream"
)

// Objects in the listing bucket hold their own key as data.
func listed(keys ...string) []types.Object {
	var objs []types.Object
	for _, k := range keys {
		objs = append(objs, types.Object{
			Key: aws.String(k), ETag: etagOf([]byte(k)), Size: aws.Int64(int64(len(k))),
			StorageClass:      types.ObjectStorageClassStandard,
			ChecksumAlgorithm: []types.ChecksumAlgorithm{types.ChecksumAlgorithmCrc32},
			ChecksumType:      types.ChecksumTypeFullObject,
		})
	}
	return objs
}

// listedV1 is listed as ListObjects (v1) gives it, with owners.
func listedV1(keys ...string) []types.Object {
	objs := listed(keys...)
	for i := range objs {
		objs[i].Owner = &types.Owner{}
	}
	return objs
}

func prefixes(ps ...string) []types.CommonPrefix {
	var out []types.CommonPrefix
	for _, p := range ps {
		out = append(out, types.CommonPrefix{Prefix: aws.String(p)})
	}
	return out
}

func ok(out any) result { return result{Status: 200, Out: out} }

// listV2 is a ListObjectsV2 answer from the listing bucket; fill sets what
// differs from the defaults.
func listV2(fill func(*s3.ListObjectsV2Output), keys ...string) result {
	out := &s3.ListObjectsV2Output{
		Name: aws.String("peer-list"), Prefix: aws.String(""), MaxKeys: aws.Int32(1000),
		IsTruncated: aws.Bool(false), Contents: listed(keys...),
	}
	if fill != nil {
		fill(out)
	}
	out.KeyCount = aws.Int32(int32(len(out.Contents) + len(out.CommonPrefixes)))
	return ok(out)
}

func listV1(fill func(*s3.ListObjectsOutput), keys ...string) result {
	out := &s3.ListObjectsOutput{
		Name: aws.String("peer-list"), Prefix: aws.String(""), Marker: aws.String(""), MaxKeys: aws.Int32(1000),
		IsTruncated: aws.Bool(false), Contents: listedV1(keys...),
	}
	if fill != nil {
		fill(out)
	}
	return ok(out)
}

// helloGot is a GetObject or HeadObject of hello.txt; fill adjusts it.
func helloGot(fill func(*s3.GetObjectOutput)) *s3.GetObjectOutput {
	out := &s3.GetObjectOutput{
		AcceptRanges: aws.String("bytes"), ContentLength: aws.Int64(int64(len(hello))),
		ContentType: aws.String("text/plain"), ETag: etagOf(hello), Metadata: map[string]string{"color": "blue"},
	}
	if fill != nil {
		fill(out)
	}
	return out
}

func helloRange(first, last int) result {
	return result{Status: 206, Out: getResult{
		GetObjectOutput: helloGot(func(o *s3.GetObjectOutput) {
			o.ContentLength = aws.Int64(int64(last - first + 1))
			o.ContentRange = aws.String(fmt.Sprintf("bytes %d-%d/%d", first, last, len(hello)))
		}),
		Body: string(hello[first : last+1]),
	}}
}

func helloHead(fill func(*s3.HeadObjectOutput)) *s3.HeadObjectOutput {
	out := &s3.HeadObjectOutput{
		AcceptRanges: aws.String("bytes"), ContentLength: aws.Int64(int64(len(hello))),
		ContentType: aws.String("text/plain"), ETag: etagOf(hello), Metadata: map[string]string{"color": "blue"},
	}
	if fill != nil {
		fill(out)
	}
	return out
}

func failed(status int, code string) result { return result{Status: status, Code: code} }

var multipartBody = append(append([]byte(nil), bigPart...), tailPart...)

// knownDifferences lists the steps where gofakes3 answers differently from
// mocks3: why, and what mocks3 answers, as the S3 API reference documents.
// DIFFERENCES.md says the same in prose.
var knownDifferences = map[string]difference{
	"CreateBucket/again": {
		"gofakes3 answers BucketAlreadyExists (a bucket someone else owns); S3 answers BucketAlreadyOwnedByYou to the owner (outside us-east-1)",
		failed(409, "BucketAlreadyOwnedByYou"),
	},
	"ListBuckets": {
		"gofakes3 lists buckets without BucketRegion; S3 lists each bucket's region",
		ok(&s3.ListBucketsOutput{Owner: &types.Owner{}, Buckets: []types.Bucket{
			{Name: aws.String(bucket), BucketRegion: aws.String(region)},
			{Name: aws.String("peer-empty"), BucketRegion: aws.String(region)},
		}}),
	},
	"HeadBucket": {
		"gofakes3 sends no x-amz-bucket-region; S3 always does on HeadBucket",
		ok(&s3.HeadBucketOutput{BucketRegion: aws.String(region)}),
	},
	"GetBucketLocation": {
		"gofakes3 always answers an empty LocationConstraint (us-east-1); S3 answers the region the bucket was created in",
		ok(&s3.GetBucketLocationOutput{LocationConstraint: types.BucketLocationConstraint(region)}),
	},
	"PutObject": {
		"gofakes3 does not return the checksum the SDK sent (x-amz-checksum-crc32) nor x-amz-checksum-type; S3 returns both",
		ok(&s3.PutObjectOutput{ETag: etagOf(hello), ChecksumCRC32: crc32Of(hello), ChecksumType: types.ChecksumTypeFullObject}),
	},
	"GetObject": {
		"gofakes3 returns the CRC32 (a replayed request header) without x-amz-checksum-type; S3 returns FULL_OBJECT with it",
		ok(getResult{GetObjectOutput: helloGot(func(o *s3.GetObjectOutput) {
			o.ChecksumCRC32, o.ChecksumType = crc32Of(hello), types.ChecksumTypeFullObject
		}), Body: string(hello)}),
	},
	"GetObject/range a-b": {reasonRange, helloRange(0, 4)},
	"GetObject/range a-":  {reasonRange, helloRange(7, len(hello)-1)},
	"GetObject/range -n":  {reasonRange, helloRange(len(hello)-5, len(hello)-1)},
	"GetObject/If-None-Match": {
		"gofakes3 sends the object's x-amz-checksum-crc32 on a bodiless 304, so the SDK fails (checksum did not match) instead of reporting NotModified; S3 sends no checksum on a 304",
		failed(304, "NotModified"),
	},
	"GetObject/If-Match mismatch": {
		"gofakes3 ignores If-Match on GET; S3 answers 412 PreconditionFailed when the ETag differs",
		failed(412, "PreconditionFailed"),
	},
	"HeadObject": {reasonHead, ok(helloHead(nil))},
	"HeadObject/range": {reasonHead, result{Status: 206, Out: helloHead(func(o *s3.HeadObjectOutput) {
		o.ContentLength, o.ContentRange = aws.Int64(5), aws.String(fmt.Sprintf("bytes 0-4/%d", len(hello)))
	})}},
	"CopyObject": {reasonCopy, ok(&s3.CopyObjectOutput{CopyObjectResult: &types.CopyObjectResult{
		ETag: etagOf(hello), ChecksumCRC32: crc32Of(hello), ChecksumType: types.ChecksumTypeFullObject,
	}})},
	"CopyObject/HeadObject": {reasonHead, ok(helloHead(nil))},
	"CopyObject/REPLACE": {reasonCopy, ok(&s3.CopyObjectOutput{CopyObjectResult: &types.CopyObjectResult{
		ETag: etagOf(hello), ChecksumCRC32: crc32Of(hello), ChecksumType: types.ChecksumTypeFullObject,
	}})},
	"CopyObject/REPLACE/HeadObject": {
		"gofakes3 merges the source's metadata into a copy made with MetadataDirective REPLACE; S3 keeps only the metadata the request gives",
		ok(helloHead(func(o *s3.HeadObjectOutput) {
			o.Metadata, o.ContentType = map[string]string{"shape": "round"}, aws.String("application/x-new")
		})),
	},
	"CopyObject/onto itself": {
		"gofakes3 copies an object onto itself unchanged; S3 rejects that with 400 InvalidRequest unless something (such as MetadataDirective REPLACE) changes",
		failed(400, "InvalidRequest"),
	},

	"ListObjectsV2":           {reasonListed, listV2(nil, listKeys...)},
	"ListObjectsV2/prefix":    {reasonListed, listV2(func(o *s3.ListObjectsV2Output) { o.Prefix = aws.String("dir/") }, "dir/one", "dir/sub/two", "dir/three")},
	"ListObjectsV2/delimiter": {reasonListed, listV2(func(o *s3.ListObjectsV2Output) { o.Delimiter, o.CommonPrefixes = aws.String("/"), prefixes("dir/") }, "a.txt", "with space", "z")},
	"ListObjectsV2/prefix and delimiter": {reasonListed, listV2(func(o *s3.ListObjectsV2Output) {
		o.Prefix, o.Delimiter, o.CommonPrefixes = aws.String("dir/"), aws.String("/"), prefixes("dir/sub/")
	}, "dir/one", "dir/three")},
	"ListObjectsV2/page 1": {reasonListed, listV2(func(o *s3.ListObjectsV2Output) {
		o.MaxKeys, o.IsTruncated, o.NextContinuationToken = aws.Int32(4), aws.Bool(true), aws.String("")
	}, "a.txt", "dir/one", "dir/sub/two", "dir/three")},
	"ListObjectsV2/page 2": {reasonListed, listV2(func(o *s3.ListObjectsV2Output) {
		o.MaxKeys, o.ContinuationToken = aws.Int32(4), aws.String("")
	}, "with space", "z")},
	"ListObjectsV2/start-after": {reasonListed, listV2(func(o *s3.ListObjectsV2Output) { o.StartAfter = aws.String("dir/sub/two") }, "dir/three", "with space", "z")},
	"ListObjectsV2/delimiter paged": {reasonListed, listV2(func(o *s3.ListObjectsV2Output) {
		o.Delimiter, o.CommonPrefixes, o.MaxKeys = aws.String("/"), prefixes("dir/"), aws.Int32(2)
		o.IsTruncated, o.NextContinuationToken = aws.Bool(true), aws.String("")
	}, "a.txt")},
	"ListObjectsV2/delimiter page 2": {
		"gofakes3 resumes after the first key under a CommonPrefix, so the next page repeats it (dir/); S3 never repeats a CommonPrefix across pages",
		listV2(func(o *s3.ListObjectsV2Output) {
			o.Delimiter, o.MaxKeys, o.ContinuationToken = aws.String("/"), aws.Int32(2), aws.String("")
		}, "with space", "z"),
	},
	"ListObjectsV2/encoding-type url": {
		"gofakes3 ignores encoding-type=url; S3 URL-encodes keys and says EncodingType url",
		listV2(func(o *s3.ListObjectsV2Output) {
			o.Prefix, o.EncodingType = aws.String("with"), types.EncodingTypeUrl
			o.Contents[0].Key = aws.String("with%20space")
		}, "with space"),
	},
	"ListObjects":        {reasonListV1, listV1(nil, listKeys...)},
	"ListObjects/page 1": {reasonListV1, listV1(func(o *s3.ListObjectsOutput) { o.MaxKeys, o.IsTruncated = aws.Int32(2), aws.Bool(true) }, "a.txt", "dir/one")},
	"ListObjects/page 2": {reasonListV1, listV1(func(o *s3.ListObjectsOutput) {
		o.MaxKeys, o.IsTruncated, o.Marker = aws.Int32(2), aws.Bool(true), aws.String("dir/one")
	}, "dir/sub/two", "dir/three")},
	"ListObjects/delimiter paged": {
		"gofakes3 answers NextMarker dir/one, a key inside the CommonPrefix it returned; S3 answers the CommonPrefix itself (dir/)",
		listV1(func(o *s3.ListObjectsOutput) {
			o.Delimiter, o.CommonPrefixes, o.MaxKeys = aws.String("/"), prefixes("dir/"), aws.Int32(2)
			o.IsTruncated, o.NextMarker = aws.Bool(true), aws.String("dir/")
		}, "a.txt"),
	},
	"ListObjects/delimiter page 2": {
		"gofakes3's page after a CommonPrefix repeats it (dir/) and is truncated again; S3 never repeats a CommonPrefix across pages",
		listV1(func(o *s3.ListObjectsOutput) {
			o.Delimiter, o.MaxKeys, o.Marker = aws.String("/"), aws.Int32(2), aws.String("dir/")
		}, "with space", "z"),
	},
	"DeleteObjects/ListObjectsV2": {reasonListed, listV2(nil, "dir/sub/two", "dir/three", "with space")},

	"DeleteObject":             {reasonDelete, result{Status: 204, Out: &s3.DeleteObjectOutput{}}},
	"DeleteObject/missing key": {reasonDelete, result{Status: 204, Out: &s3.DeleteObjectOutput{}}},

	"UploadPart/1": {reasonPart, ok(&s3.UploadPartOutput{ETag: etagOf(bigPart), ChecksumCRC32: crc32Of(bigPart)})},
	"UploadPart/2": {reasonPart, ok(&s3.UploadPartOutput{ETag: etagOf(tailPart), ChecksumCRC32: crc32Of(tailPart)})},
	"ListParts": {
		"gofakes3 answers NextPartNumberMarker 0 and omits Initiator, Owner and the parts' checksums; S3 gives the last part listed, both owners and each part's checksum: the default CRC64NVME, the upload having been created without an algorithm (API_Part)",
		ok(&s3.ListPartsOutput{
			Bucket: aws.String(bucket), Key: aws.String("multi"), MaxParts: aws.Int32(1000), IsTruncated: aws.Bool(false),
			PartNumberMarker: aws.String("0"), NextPartNumberMarker: aws.String("2"),
			Initiator: &types.Initiator{}, Owner: &types.Owner{}, StorageClass: types.StorageClassStandard,
			Parts: []types.Part{
				{PartNumber: aws.Int32(1), ETag: etagOf(bigPart), Size: aws.Int64(int64(len(bigPart))), ChecksumCRC64NVME: crc64NVMEOf(bigPart)},
				{PartNumber: aws.Int32(2), ETag: etagOf(tailPart), Size: aws.Int64(int64(len(tailPart))), ChecksumCRC64NVME: crc64NVMEOf(tailPart)},
			},
		}),
	},
	"ListMultipartUploads": {
		"gofakes3 omits KeyMarker, UploadIdMarker, NextKeyMarker, NextUploadIdMarker, Prefix and each upload's Initiator and Owner; S3 returns them",
		ok(&s3.ListMultipartUploadsOutput{
			Bucket: aws.String(bucket), KeyMarker: aws.String(""), UploadIdMarker: aws.String(""), Prefix: aws.String(""),
			NextKeyMarker: aws.String("multi"), NextUploadIdMarker: aws.String(""), MaxUploads: aws.Int32(1000), IsTruncated: aws.Bool(false),
			Uploads: []types.MultipartUpload{{
				Key: aws.String("multi"), StorageClass: types.StorageClassStandard, Initiator: &types.Initiator{}, Owner: &types.Owner{},
			}},
		}),
	},
	"CompleteMultipartUpload": {
		"gofakes3 gives a multipart object no checksum; S3 gives an upload created without a checksum algorithm its default, a full-object CRC64NVME",
		ok(&s3.CompleteMultipartUploadOutput{Bucket: aws.String(bucket), Key: aws.String("multi"), ETag: multipartETag(bigPart, tailPart),
			ChecksumCRC64NVME: crc64NVMEOf(multipartBody), ChecksumType: types.ChecksumTypeFullObject}),
	},
	"CompleteMultipartUpload/GetObject": {reasonMPU + "; and S3's default CRC64NVME", ok(getResult{GetObjectOutput: &s3.GetObjectOutput{
		AcceptRanges: aws.String("bytes"), ContentLength: aws.Int64(int64(len(multipartBody))),
		ContentType: aws.String("binary/octet-stream"), ETag: multipartETag(bigPart, tailPart),
		ChecksumCRC64NVME: crc64NVMEOf(multipartBody), ChecksumType: types.ChecksumTypeFullObject,
	}, Body: summary(multipartBody)})},
	"CompleteMultipartUpload/HeadObject": {reasonMPU, ok(&s3.HeadObjectOutput{
		AcceptRanges: aws.String("bytes"), ContentLength: aws.Int64(int64(len(multipartBody))),
		ContentType: aws.String("binary/octet-stream"), ETag: multipartETag(bigPart, tailPart),
	})},
	"CompleteMultipartUpload/part order": {
		"gofakes3 sorts the part list before checking its order, so it assembles parts 2,1; S3 answers 400 InvalidPartOrder",
		failed(400, "InvalidPartOrder"),
	},
	"CompleteMultipartUpload/part too small": {
		"gofakes3 accepts a 12-byte part that is not the last; S3 answers 400 EntityTooSmall (parts other than the last must be at least 5 MiB)",
		failed(400, "EntityTooSmall"),
	},
}
