package peertest

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"go/token"
	"hash/crc32"
	"hash/crc64"
	"io"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
	smithymiddleware "github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/google/go-cmp/cmp"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"go.uber.org/goleak"

	"github.com/mocks3/mocks3"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// result is what one request produced, in the terms the two servers are
// compared in.
type result struct {
	Status int    // HTTP status code; 0 if no response arrived
	Code   string // S3 error code ("" on success), or the client's error
	Out    any    // the SDK's parsed output on success
}

// getResult is a GetObject output with its body read.
type getResult struct {
	*s3.GetObjectOutput
	Body    string // the body, or a digest of a large one
	ReadErr string // the error reading the body ended with, if any
}

// outcome turns an SDK call's return values into a result.
func outcome[T any](out *T, err error) result {
	if err != nil {
		return errResult(err)
	}
	md := reflect.ValueOf(out).Elem().FieldByName("ResultMetadata").Interface().(smithymiddleware.Metadata)
	status := 0
	if resp, ok := awsmiddleware.GetRawResponse(md).(*smithyhttp.Response); ok {
		status = resp.StatusCode
	}
	return result{Status: status, Out: out}
}

func errResult(err error) result {
	var r result
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) {
		r.Status = re.HTTPStatusCode()
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		r.Code = ae.ErrorCode()
	} else {
		r.Code = err.Error()
	}
	return r
}

// getOutcome is outcome for GetObject: it reads and closes the body.
func getOutcome(out *s3.GetObjectOutput, err error) result {
	r := outcome(out, err)
	if err != nil {
		return r
	}
	data, rerr := io.ReadAll(out.Body)
	out.Body.Close()
	out.Body = nil
	g := getResult{GetObjectOutput: out, Body: summary(data)}
	if rerr != nil {
		g.ReadErr = rerr.Error()
	}
	r.Out = g
	return r
}

// summary is data itself when short, or its length and SHA-256.
func summary(data []byte) string {
	if len(data) <= 64 {
		return string(data)
	}
	return fmt.Sprintf("%d bytes, sha256 %x", len(data), sha256.Sum256(data))
}

// crc32Of is data's CRC32 as the x-amz-checksum-crc32 header spells it.
func crc32Of(data []byte) *string {
	return aws.String(base64.StdEncoding.EncodeToString(binary.BigEndian.AppendUint32(nil, crc32.ChecksumIEEE(data))))
}

// crc64NVMEOf is the base64 CRC64NVME of data, S3's default checksum.
func crc64NVMEOf(data []byte) *string {
	sum := crc64.Checksum(data, crc64.MakeTable(0x9a6c9329ac4bc9b5))
	return aws.String(base64.StdEncoding.EncodeToString(binary.BigEndian.AppendUint64(nil, sum)))
}

// etagOf is the ETag of a single PUT of data: its quoted MD5.
func etagOf(data []byte) *string {
	return aws.String(fmt.Sprintf("%q", fmt.Sprintf("%x", md5.Sum(data))))
}

// multipartETag is S3's ETag of a multipart object: the MD5 of the parts'
// binary MD5s, a dash and the part count.
func multipartETag(parts ...[]byte) *string {
	var all []byte
	for _, p := range parts {
		s := md5.Sum(p)
		all = append(all, s[:]...)
	}
	return aws.String(fmt.Sprintf(`"%x-%d"`, md5.Sum(all), len(parts)))
}

// cmpOpts compare two servers' results. They leave out what differs between
// any two servers or any two runs: request metadata, timestamps, upload IDs,
// the host in a Location, and the value (not the presence) of opaque
// continuation tokens and owners.
var cmpOpts = cmp.Options{
	cmp.FilterPath(func(p cmp.Path) bool {
		sf, ok := p.Last().(cmp.StructField)
		return ok && !token.IsExported(sf.Name())
	}, cmp.Ignore()),
	cmp.FilterPath(fieldNamed("ResultMetadata", "LastModified", "CreationDate", "Initiated", "UploadId", "Location"), cmp.Ignore()),
	cmp.FilterPath(fieldNamed("ContinuationToken", "NextContinuationToken", "NextUploadIdMarker"), cmp.Comparer(func(a, b *string) bool {
		return (a == nil) == (b == nil)
	})),
	cmp.FilterPath(fieldNamed("Owner"), cmp.Comparer(func(a, b *types.Owner) bool { return (a == nil) == (b == nil) })),
	cmp.FilterPath(fieldNamed("Initiator"), cmp.Comparer(func(a, b *types.Initiator) bool { return (a == nil) == (b == nil) })),
	// gofakes3 reports no encryption; S3 reports SSE-S3 (AES256) on every
	// object written without other encryption, since January 2023.
	cmp.FilterPath(fieldNamed("ServerSideEncryption"), cmp.Comparer(func(a, b types.ServerSideEncryption) bool {
		return a == b || a+b == types.ServerSideEncryptionAes256
	})),
}

func fieldNamed(names ...string) func(cmp.Path) bool {
	return func(p cmp.Path) bool {
		sf, ok := p.Last().(cmp.StructField)
		if !ok {
			return false
		}
		for _, n := range names {
			if sf.Name() == n {
				return true
			}
		}
		return false
	}
}

// state is what a sequence of steps carries from one request to the next
// on one server.
type state struct {
	uploads map[string]string // upload name → upload ID
	token   *string           // the last NextContinuationToken
	marker  *string           // the last NextMarker
}

// listPage is a step listing one page of in, a ListObjectsV2Input or a
// ListObjectsInput: the first, keeping where the next page starts (the
// NextContinuationToken; the NextMarker, or without a delimiter the last
// key, as S3 documents), or with next the page from there.
func listPage(in any, next bool) func(context.Context, *s3.Client, *state) result {
	return func(ctx context.Context, c *s3.Client, st *state) result {
		var r result
		var delimited bool
		switch in := in.(type) {
		case s3.ListObjectsV2Input:
			if next {
				in.ContinuationToken = st.token
			}
			r = outcome(c.ListObjectsV2(ctx, &in))
		case s3.ListObjectsInput:
			if next {
				in.Marker = st.marker
			}
			delimited = in.Delimiter != nil
			r = outcome(c.ListObjects(ctx, &in))
		}
		if next {
			return r
		}
		switch out := r.Out.(type) {
		case *s3.ListObjectsV2Output:
			st.token = out.NextContinuationToken
		case *s3.ListObjectsOutput:
			st.marker = out.NextMarker
			if st.marker == nil && !delimited && len(out.Contents) > 0 {
				st.marker = out.Contents[len(out.Contents)-1].Key
			}
		}
		return r
	}
}

type step struct {
	name string
	do   func(ctx context.Context, c *s3.Client, st *state) result
}

const bucket = "peer-bucket"

var (
	hello    = []byte("hello, world")
	bigPart  = bytes.Repeat([]byte("0123456789abcdef"), 5<<20/16) // 5 MiB, S3's smallest non-last part
	tailPart = []byte("the last part may be small")
)

var listKeys = []string{"a.txt", "dir/one", "dir/sub/two", "dir/three", "with space", "z"}

// steps is the sequence of requests both servers answer. Its names key
// knownDifferences.
var steps = []step{
	{"ListBuckets/empty", func(ctx context.Context, c *s3.Client, _ *state) result {
		return outcome(c.ListBuckets(ctx, &s3.ListBucketsInput{}))
	}},
	{"CreateBucket", func(ctx context.Context, c *s3.Client, _ *state) result {
		return createBucket(ctx, c, bucket)
	}},
	{"CreateBucket/again", func(ctx context.Context, c *s3.Client, _ *state) result {
		return createBucket(ctx, c, bucket)
	}},
	{"CreateBucket/invalid name", func(ctx context.Context, c *s3.Client, _ *state) result {
		return createBucket(ctx, c, "ab")
	}},
	{"CreateBucket/second", func(ctx context.Context, c *s3.Client, _ *state) result {
		return createBucket(ctx, c, "peer-empty")
	}},
	{"ListBuckets", func(ctx context.Context, c *s3.Client, _ *state) result {
		return outcome(c.ListBuckets(ctx, &s3.ListBucketsInput{}))
	}},
	{"HeadBucket", func(ctx context.Context, c *s3.Client, _ *state) result {
		return outcome(c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(bucket)}))
	}},
	{"HeadBucket/missing", func(ctx context.Context, c *s3.Client, _ *state) result {
		return outcome(c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("peer-missing")}))
	}},
	{"GetBucketLocation", func(ctx context.Context, c *s3.Client, _ *state) result {
		return outcome(c.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String(bucket)}))
	}},

	{"PutObject", func(ctx context.Context, c *s3.Client, _ *state) result {
		return outcome(c.PutObject(ctx, &s3.PutObjectInput{
			Bucket: aws.String(bucket), Key: aws.String("hello.txt"), Body: bytes.NewReader(hello),
			ContentType: aws.String("text/plain"), Metadata: map[string]string{"color": "blue"},
		}))
	}},
	{"PutObject/missing bucket", func(ctx context.Context, c *s3.Client, _ *state) result {
		return outcome(c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("peer-missing"), Key: aws.String("k"), Body: bytes.NewReader(hello)}))
	}},
	{"PutObject/bad Content-MD5", func(ctx context.Context, c *s3.Client, _ *state) result {
		sum := md5.Sum([]byte("something else"))
		return outcome(c.PutObject(ctx, &s3.PutObjectInput{
			Bucket: aws.String(bucket), Key: aws.String("bad-md5"), Body: bytes.NewReader(hello),
			ContentMD5: aws.String(base64.StdEncoding.EncodeToString(sum[:])),
		}))
	}},
	{"GetObject", func(ctx context.Context, c *s3.Client, _ *state) result {
		return getOutcome(c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("hello.txt")}))
	}},
	{"GetObject/range a-b", func(ctx context.Context, c *s3.Client, _ *state) result {
		return getOutcome(c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("hello.txt"), Range: aws.String("bytes=0-4")}))
	}},
	{"GetObject/range a-", func(ctx context.Context, c *s3.Client, _ *state) result {
		return getOutcome(c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("hello.txt"), Range: aws.String("bytes=7-")}))
	}},
	{"GetObject/range -n", func(ctx context.Context, c *s3.Client, _ *state) result {
		return getOutcome(c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("hello.txt"), Range: aws.String("bytes=-5")}))
	}},
	{"GetObject/range unsatisfiable", func(ctx context.Context, c *s3.Client, _ *state) result {
		return getOutcome(c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("hello.txt"), Range: aws.String("bytes=100-200")}))
	}},
	{"GetObject/If-None-Match", func(ctx context.Context, c *s3.Client, _ *state) result {
		return getOutcome(c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("hello.txt"), IfNoneMatch: etagOf(hello)}))
	}},
	{"GetObject/If-Match mismatch", func(ctx context.Context, c *s3.Client, _ *state) result {
		return getOutcome(c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("hello.txt"), IfMatch: aws.String(`"0123"`)}))
	}},
	{"GetObject/missing key", func(ctx context.Context, c *s3.Client, _ *state) result {
		return getOutcome(c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("missing")}))
	}},
	{"GetObject/missing bucket", func(ctx context.Context, c *s3.Client, _ *state) result {
		return getOutcome(c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("peer-missing"), Key: aws.String("k")}))
	}},
	{"HeadObject", func(ctx context.Context, c *s3.Client, _ *state) result {
		return outcome(c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String("hello.txt")}))
	}},
	{"HeadObject/range", func(ctx context.Context, c *s3.Client, _ *state) result {
		return outcome(c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String("hello.txt"), Range: aws.String("bytes=0-4")}))
	}},
	{"HeadObject/missing key", func(ctx context.Context, c *s3.Client, _ *state) result {
		return outcome(c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String("missing")}))
	}},

	{"CopyObject", func(ctx context.Context, c *s3.Client, _ *state) result {
		return outcome(c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String(bucket), Key: aws.String("copy.txt"), CopySource: aws.String(bucket + "/hello.txt")}))
	}},
	{"CopyObject/HeadObject", func(ctx context.Context, c *s3.Client, _ *state) result {
		return outcome(c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String("copy.txt")}))
	}},
	{"CopyObject/REPLACE", func(ctx context.Context, c *s3.Client, _ *state) result {
		return outcome(c.CopyObject(ctx, &s3.CopyObjectInput{
			Bucket: aws.String(bucket), Key: aws.String("replaced.txt"), CopySource: aws.String(bucket + "/hello.txt"),
			MetadataDirective: types.MetadataDirectiveReplace, Metadata: map[string]string{"shape": "round"},
			ContentType: aws.String("application/x-new"),
		}))
	}},
	{"CopyObject/REPLACE/HeadObject", func(ctx context.Context, c *s3.Client, _ *state) result {
		return outcome(c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String("replaced.txt")}))
	}},
	{"CopyObject/onto itself", func(ctx context.Context, c *s3.Client, _ *state) result {
		return outcome(c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String(bucket), Key: aws.String("hello.txt"), CopySource: aws.String(bucket + "/hello.txt")}))
	}},
	{"CopyObject/missing source", func(ctx context.Context, c *s3.Client, _ *state) result {
		return outcome(c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String(bucket), Key: aws.String("x"), CopySource: aws.String(bucket + "/missing")}))
	}},

	{"PutObject/listing keys", func(ctx context.Context, c *s3.Client, _ *state) result {
		if r := createBucket(ctx, c, "peer-list"); r.Code != "" {
			return r
		}
		for _, k := range listKeys {
			if r := outcome(c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("peer-list"), Key: aws.String(k), Body: strings.NewReader(k)})); r.Code != "" {
				return r
			}
		}
		return result{}
	}},
	{"ListObjectsV2", func(ctx context.Context, c *s3.Client, _ *state) result {
		return outcome(c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("peer-list")}))
	}},
	{"ListObjectsV2/prefix", func(ctx context.Context, c *s3.Client, _ *state) result {
		return outcome(c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("peer-list"), Prefix: aws.String("dir/")}))
	}},
	{"ListObjectsV2/delimiter", func(ctx context.Context, c *s3.Client, _ *state) result {
		return outcome(c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("peer-list"), Delimiter: aws.String("/")}))
	}},
	{"ListObjectsV2/prefix and delimiter", func(ctx context.Context, c *s3.Client, _ *state) result {
		return outcome(c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("peer-list"), Prefix: aws.String("dir/"), Delimiter: aws.String("/")}))
	}},
	{"ListObjectsV2/page 1", listPage(s3.ListObjectsV2Input{Bucket: aws.String("peer-list"), MaxKeys: aws.Int32(4)}, false)},
	{"ListObjectsV2/page 2", listPage(s3.ListObjectsV2Input{Bucket: aws.String("peer-list"), MaxKeys: aws.Int32(4)}, true)},
	{"ListObjectsV2/start-after", func(ctx context.Context, c *s3.Client, _ *state) result {
		return outcome(c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("peer-list"), StartAfter: aws.String("dir/sub/two")}))
	}},
	{"ListObjectsV2/delimiter paged", listPage(s3.ListObjectsV2Input{Bucket: aws.String("peer-list"), Delimiter: aws.String("/"), MaxKeys: aws.Int32(2)}, false)},
	{"ListObjectsV2/delimiter page 2", listPage(s3.ListObjectsV2Input{Bucket: aws.String("peer-list"), Delimiter: aws.String("/"), MaxKeys: aws.Int32(2)}, true)},
	{"ListObjectsV2/encoding-type url", func(ctx context.Context, c *s3.Client, _ *state) result {
		return outcome(c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("peer-list"), Prefix: aws.String("with"), EncodingType: types.EncodingTypeUrl}))
	}},
	{"ListObjectsV2/missing bucket", func(ctx context.Context, c *s3.Client, _ *state) result {
		return outcome(c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("peer-missing")}))
	}},
	{"ListObjects", func(ctx context.Context, c *s3.Client, _ *state) result {
		return outcome(c.ListObjects(ctx, &s3.ListObjectsInput{Bucket: aws.String("peer-list")}))
	}},
	{"ListObjects/page 1", listPage(s3.ListObjectsInput{Bucket: aws.String("peer-list"), MaxKeys: aws.Int32(2)}, false)},
	{"ListObjects/page 2", listPage(s3.ListObjectsInput{Bucket: aws.String("peer-list"), MaxKeys: aws.Int32(2)}, true)},
	{"ListObjects/delimiter paged", listPage(s3.ListObjectsInput{Bucket: aws.String("peer-list"), Delimiter: aws.String("/"), MaxKeys: aws.Int32(2)}, false)},
	{"ListObjects/delimiter page 2", listPage(s3.ListObjectsInput{Bucket: aws.String("peer-list"), Delimiter: aws.String("/"), MaxKeys: aws.Int32(2)}, true)},

	{"DeleteObject", func(ctx context.Context, c *s3.Client, _ *state) result {
		return outcome(c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String("copy.txt")}))
	}},
	{"DeleteObject/missing key", func(ctx context.Context, c *s3.Client, _ *state) result {
		return outcome(c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String("copy.txt")}))
	}},
	{"DeleteObject/missing bucket", func(ctx context.Context, c *s3.Client, _ *state) result {
		return outcome(c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("peer-missing"), Key: aws.String("k")}))
	}},
	{"DeleteObjects", func(ctx context.Context, c *s3.Client, _ *state) result {
		return outcome(c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("peer-list"), Delete: &types.Delete{
			Objects: []types.ObjectIdentifier{{Key: aws.String("a.txt")}, {Key: aws.String("never-there")}, {Key: aws.String("dir/one")}},
		}}))
	}},
	{"DeleteObjects/quiet", func(ctx context.Context, c *s3.Client, _ *state) result {
		return outcome(c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("peer-list"), Delete: &types.Delete{
			Objects: []types.ObjectIdentifier{{Key: aws.String("z")}}, Quiet: aws.Bool(true),
		}}))
	}},
	{"DeleteObjects/ListObjectsV2", func(ctx context.Context, c *s3.Client, _ *state) result {
		return outcome(c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("peer-list")}))
	}},

	{"CreateMultipartUpload", func(ctx context.Context, c *s3.Client, st *state) result {
		return createUpload(ctx, c, st, "mp", "multi")
	}},
	{"UploadPart/1", func(ctx context.Context, c *s3.Client, st *state) result {
		return uploadPart(ctx, c, st, "mp", "multi", 1, bigPart)
	}},
	{"UploadPart/2", func(ctx context.Context, c *s3.Client, st *state) result {
		return uploadPart(ctx, c, st, "mp", "multi", 2, tailPart)
	}},
	{"UploadPart/missing upload", func(ctx context.Context, c *s3.Client, st *state) result {
		return outcome(c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String(bucket), Key: aws.String("multi"),
			UploadId: aws.String("no-such-upload"), PartNumber: aws.Int32(1), Body: bytes.NewReader(hello)}))
	}},
	{"ListParts", func(ctx context.Context, c *s3.Client, st *state) result {
		return outcome(c.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String(bucket), Key: aws.String("multi"), UploadId: aws.String(st.uploads["mp"])}))
	}},
	{"ListMultipartUploads", func(ctx context.Context, c *s3.Client, st *state) result {
		return outcome(c.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String(bucket)}))
	}},
	{"CompleteMultipartUpload/wrong ETag", func(ctx context.Context, c *s3.Client, st *state) result {
		return complete(ctx, c, st, "mp", "multi", []types.CompletedPart{
			{PartNumber: aws.Int32(1), ETag: etagOf(tailPart)}, {PartNumber: aws.Int32(2), ETag: etagOf(tailPart)},
		})
	}},
	{"CompleteMultipartUpload", func(ctx context.Context, c *s3.Client, st *state) result {
		return complete(ctx, c, st, "mp", "multi", []types.CompletedPart{
			{PartNumber: aws.Int32(1), ETag: etagOf(bigPart)}, {PartNumber: aws.Int32(2), ETag: etagOf(tailPart)},
		})
	}},
	{"CompleteMultipartUpload/GetObject", func(ctx context.Context, c *s3.Client, _ *state) result {
		return getOutcome(c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("multi")}))
	}},
	{"CompleteMultipartUpload/HeadObject", func(ctx context.Context, c *s3.Client, _ *state) result {
		return outcome(c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String("multi")}))
	}},
	{"CompleteMultipartUpload/ListParts after", func(ctx context.Context, c *s3.Client, st *state) result {
		return outcome(c.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String(bucket), Key: aws.String("multi"), UploadId: aws.String(st.uploads["mp"])}))
	}},
	{"CompleteMultipartUpload/part order", func(ctx context.Context, c *s3.Client, st *state) result {
		if r := uploadParts(ctx, c, st, "order", "order", bigPart, tailPart); r.Code != "" {
			return r
		}
		return complete(ctx, c, st, "order", "order", []types.CompletedPart{
			{PartNumber: aws.Int32(2), ETag: etagOf(tailPart)}, {PartNumber: aws.Int32(1), ETag: etagOf(bigPart)},
		})
	}},
	{"CompleteMultipartUpload/part too small", func(ctx context.Context, c *s3.Client, st *state) result {
		if r := uploadParts(ctx, c, st, "small", "small", hello, tailPart); r.Code != "" {
			return r
		}
		return complete(ctx, c, st, "small", "small", []types.CompletedPart{
			{PartNumber: aws.Int32(1), ETag: etagOf(hello)}, {PartNumber: aws.Int32(2), ETag: etagOf(tailPart)},
		})
	}},
	{"AbortMultipartUpload", func(ctx context.Context, c *s3.Client, st *state) result {
		if r := createUpload(ctx, c, st, "abort", "aborted"); r.Code != "" {
			return r
		}
		return outcome(c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String("aborted"), UploadId: aws.String(st.uploads["abort"])}))
	}},
	{"AbortMultipartUpload/ListParts after", func(ctx context.Context, c *s3.Client, st *state) result {
		return outcome(c.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String(bucket), Key: aws.String("aborted"), UploadId: aws.String(st.uploads["abort"])}))
	}},
	{"AbortMultipartUpload/missing upload", func(ctx context.Context, c *s3.Client, st *state) result {
		return outcome(c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String("aborted"), UploadId: aws.String("no-such-upload")}))
	}},

	{"DeleteBucket/not empty", func(ctx context.Context, c *s3.Client, _ *state) result {
		return outcome(c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(bucket)}))
	}},
	{"DeleteBucket", func(ctx context.Context, c *s3.Client, _ *state) result {
		return outcome(c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("peer-empty")}))
	}},
	{"DeleteBucket/HeadBucket after", func(ctx context.Context, c *s3.Client, _ *state) result {
		return outcome(c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("peer-empty")}))
	}},
	{"DeleteBucket/missing", func(ctx context.Context, c *s3.Client, _ *state) result {
		return outcome(c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("peer-empty")}))
	}},
}

// region is where both servers claim to be. It is not us-east-1, where S3
// keeps legacy behaviour (CreateBucket of a bucket you own succeeds there).
const region = "eu-west-1"

func createBucket(ctx context.Context, c *s3.Client, name string) result {
	return outcome(c.CreateBucket(ctx, &s3.CreateBucketInput{
		Bucket:                    aws.String(name),
		CreateBucketConfiguration: &types.CreateBucketConfiguration{LocationConstraint: types.BucketLocationConstraint(region)},
	}))
}

func createUpload(ctx context.Context, c *s3.Client, st *state, name, key string) result {
	out, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err == nil {
		st.uploads[name] = aws.ToString(out.UploadId)
	}
	return outcome(out, err)
}

func uploadPart(ctx context.Context, c *s3.Client, st *state, name, key string, n int32, data []byte) result {
	return outcome(c.UploadPart(ctx, &s3.UploadPartInput{
		Bucket: aws.String(bucket), Key: aws.String(key), UploadId: aws.String(st.uploads[name]),
		PartNumber: aws.Int32(n), Body: bytes.NewReader(data),
	}))
}

// uploadParts creates an upload and uploads parts as parts 1, 2, …,
// stopping at the first failure.
func uploadParts(ctx context.Context, c *s3.Client, st *state, name, key string, parts ...[]byte) result {
	r := createUpload(ctx, c, st, name, key)
	for i, data := range parts {
		if r.Code != "" {
			break
		}
		r = uploadPart(ctx, c, st, name, key, int32(i+1), data)
	}
	return r
}

func complete(ctx context.Context, c *s3.Client, st *state, name, key string, parts []types.CompletedPart) result {
	return outcome(c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{
		Bucket: aws.String(bucket), Key: aws.String(key), UploadId: aws.String(st.uploads[name]),
		MultipartUpload: &types.CompletedMultipartUpload{Parts: parts},
	}))
}

// A difference is a step where mocks3 and gofakes3 answer differently.
// want is what mocks3 answers, as the S3 API reference documents.
type difference struct {
	reason string
	want   result
}

// noClientRetries makes each step one request, so a 5xx is seen as it is.
func noClientRetries(o *s3.Options) { o.RetryMaxAttempts = 1 }

// startGofakes3 serves gofakes3 with its s3mem backend and returns a client
// with the settings of srv's own (srv.AWSConfig) pointed at it.
func startGofakes3(t *testing.T, srv *mocks3.Server) *s3.Client {
	t.Helper()
	ts := httptest.NewServer(gofakes3.New(s3mem.New()).Server())
	t.Cleanup(ts.Close)
	cfg := srv.AWSConfig()
	cfg.BaseEndpoint = aws.String(ts.URL)
	cfg.HTTPClient = ts.Client()
	return s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }, noClientRetries)
}

// run sends steps to c in order and returns the results.
func run(t *testing.T, c *s3.Client) []result {
	t.Helper()
	st := &state{uploads: map[string]string{}}
	results := make([]result, len(steps))
	for i, s := range steps {
		results[i] = s.do(t.Context(), c, st)
	}
	return results
}

func TestAgainstGofakes3(t *testing.T) {
	srv := mocks3.New(t, mocks3.WithRegion(region))
	got := run(t, srv.Client(noClientRetries))
	peer := run(t, startGofakes3(t, srv))

	seen := map[string]bool{}
	for i, s := range steps {
		if seen[s.name] {
			t.Fatalf("step %q appears twice", s.name)
		}
		seen[s.name] = true
		t.Run(s.name, func(t *testing.T) {
			diff := cmp.Diff(got[i], peer[i], cmpOpts)
			known, isKnown := knownDifferences[s.name]
			if !isKnown {
				if diff != "" {
					t.Errorf("mocks3 and gofakes3 differ (-mocks3 +gofakes3):\n%s", diff)
				}
				return
			}
			if diff == "" {
				t.Errorf("gofakes3 now answers as mocks3 does; remove the known difference %q", known.reason)
			}
			if d := cmp.Diff(known.want, got[i], cmpOpts); d != "" {
				t.Errorf("mocks3 does not answer as S3 documents (%s) (-want +got):\n%s", known.reason, d)
			}
		})
	}
	for name := range knownDifferences {
		if !seen[name] {
			t.Errorf("knownDifferences names %q, which is no step", name)
		}
	}
}
