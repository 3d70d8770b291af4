package gateway

import (
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"hash/crc32"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/mocks3/mocks3/backend/memory"
	"github.com/mocks3/mocks3/internal/objects"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// goldenServer is a handler with a fixed clock and fixed ID seed, so the
// same requests give the same bytes.
type goldenServer struct {
	t *testing.T
	h *Handler
}

func newGoldenServer(t *testing.T) *goldenServer {
	t.Helper()
	b := memory.New()
	t.Cleanup(func() { b.Close() })
	now := func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 678e6, time.UTC) }
	store := objects.New(objects.Config{Metadata: b, Storage: b, Now: now})
	return &goldenServer{t: t, h: New(Config{Objects: store, Now: now, Seed: 7, MinPartSize: 1})}
}

// serve serves one request; hdr holds header names and values in turn.
func (g *goldenServer) serve(method, target, body string, hdr ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	g.h.ServeHTTP(w, r)
	return w
}

// must serves a setup request, which must succeed.
func (g *goldenServer) must(method, target, body string, hdr ...string) *httptest.ResponseRecorder {
	g.t.Helper()
	w := g.serve(method, target, body, hdr...)
	if w.Code >= 300 {
		g.t.Fatalf("setup %s %s = %d %s", method, target, w.Code, w.Body)
	}
	return w
}

// upload starts a multipart upload of key and returns its ID.
func (g *goldenServer) upload(bucket, key string) string {
	g.t.Helper()
	var res struct{ UploadId string }
	if err := xml.Unmarshal(g.must("POST", "/"+bucket+"/"+key+"?uploads", "").Body.Bytes(), &res); err != nil {
		g.t.Fatal(err)
	}
	return res.UploadId
}

// objects creates bucket and puts each key with its name as the body.
func (g *goldenServer) objects(bucket string, keys ...string) {
	g.t.Helper()
	g.must("PUT", "/"+bucket, "")
	for _, k := range keys {
		g.must("PUT", "/"+bucket+"/"+k, k)
	}
}

// twoParts uploads two parts of bkt/big, "hello world" and "hello", which
// completeTwoParts names, and returns the upload ID.
func (g *goldenServer) twoParts() string {
	g.t.Helper()
	id := g.upload("bkt", "big")
	g.must("PUT", "/bkt/big?partNumber=1&uploadId="+id, "hello world")
	g.must("PUT", "/bkt/big?partNumber=2&uploadId="+id, "hello")
	return id
}

const completeTwoParts = `<CompleteMultipartUpload>` +
	`<Part><PartNumber>1</PartNumber><ETag>"5eb63bbbe01eeed093cb22bb8f5acdc3"</ETag></Part>` +
	`<Part><PartNumber>2</PartNumber><ETag>"5d41402abc4b2a76b9719d911017c592"</ETag></Part>` +
	`</CompleteMultipartUpload>`

// noBucket marks a golden case that creates no bucket "bkt".
var noBucket = []string(nil)

// goldenCases are the response shapes the gateway writes. Each case runs
// on a fresh server where bucket "bkt" holds keys (each key's body is its
// name) unless keys is noBucket; setup, if set, arranges more and returns
// what replaces {id} in target. The body of the one request the case then
// serves is compared with testdata/golden/<name>.xml.
var goldenCases = []struct {
	name                 string
	status               int
	keys                 []string
	setup                func(g *goldenServer) string
	method, target, body string
	hdr                  []string
}{
	{name: "ListBuckets", status: 200, keys: []string{}, setup: func(g *goldenServer) string { g.objects("beta"); return "" },
		method: "GET", target: "/"},
	{name: "ListObjects", status: 200, keys: someKeys, method: "GET", target: "/bkt"},
	{name: "ListObjectsDelimiterTruncated", status: 200, keys: someKeys, method: "GET", target: "/bkt?delimiter=/&max-keys=2&marker=0"},
	{name: "ListObjectsEncodingURL", status: 200, keys: []string{"sp%20ace", "caf%C3%A9"}, method: "GET", target: "/bkt?encoding-type=url"},
	{name: "ListObjectsV2", status: 200, keys: someKeys, method: "GET", target: "/bkt?list-type=2&fetch-owner=true"},
	{name: "ListObjectsV2DelimiterTruncated", status: 200, keys: someKeys, method: "GET", target: "/bkt?list-type=2&delimiter=/&max-keys=2&prefix="},
	{name: "ListObjectsV2Empty", status: 200, keys: []string{}, method: "GET", target: "/bkt?list-type=2&start-after=m"},
	{name: "CreateMultipartUpload", status: 200, keys: []string{}, method: "POST", target: "/bkt/big?uploads"},
	{name: "CompleteMultipartUpload", status: 200, keys: []string{}, setup: (*goldenServer).twoParts,
		method: "POST", target: "/bkt/big?uploadId={id}", body: completeTwoParts},
	{name: "ListParts", status: 200, keys: []string{}, setup: (*goldenServer).twoParts,
		method: "GET", target: "/bkt/big?uploadId={id}&max-parts=1"},
	{name: "ListMultipartUploads", status: 200, keys: []string{}, setup: func(g *goldenServer) string {
		for _, k := range []string{"a/one", "a/two", "b"} {
			g.upload("bkt", k)
		}
		return ""
	}, method: "GET", target: "/bkt?uploads&delimiter=/"},
	{name: "CopyObject", status: 200, keys: []string{"src"}, method: "PUT", target: "/bkt/dst", hdr: []string{"x-amz-copy-source", "/bkt/src"}},
	{name: "UploadPartCopy", status: 200, keys: []string{"src"}, setup: func(g *goldenServer) string { return g.upload("bkt", "big") },
		method: "PUT", target: "/bkt/big?partNumber=1&uploadId={id}",
		hdr: []string{"x-amz-copy-source", "bkt/src", "x-amz-copy-source-range", "bytes=0-1"}},
	// Object lock.
	{name: "GetObjectLockConfiguration", status: 200, keys: noBucket, setup: func(g *goldenServer) string {
		g.lockBucket()
		g.must("PUT", "/lck?object-lock", `<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled>`+
			`<Rule><DefaultRetention><Mode>GOVERNANCE</Mode><Days>30</Days></DefaultRetention></Rule></ObjectLockConfiguration>`)
		return ""
	}, method: "GET", target: "/lck?object-lock"},
	{name: "GetObjectLockConfigurationNoRule", status: 200, keys: noBucket, setup: (*goldenServer).lockBucket,
		method: "GET", target: "/lck?object-lock"},
	{name: "GetObjectRetention", status: 200, keys: noBucket, setup: func(g *goldenServer) string {
		g.lockBucket()
		g.must("PUT", "/lck/k", "k")
		g.must("PUT", "/lck/k?retention", `<Retention><Mode>COMPLIANCE</Mode><RetainUntilDate>2027-01-02T03:04:05Z</RetainUntilDate></Retention>`)
		return ""
	}, method: "GET", target: "/lck/k?retention"},
	{name: "GetObjectLegalHold", status: 200, keys: noBucket, setup: func(g *goldenServer) string {
		g.lockBucket()
		g.must("PUT", "/lck/k", "k")
		g.must("PUT", "/lck/k?legal-hold", `<LegalHold><Status>ON</Status></LegalHold>`)
		return ""
	}, method: "GET", target: "/lck/k?legal-hold"},
	{name: "ErrorObjectLockConfigurationNotFound", status: 404, keys: []string{}, method: "GET", target: "/bkt?object-lock"},
	{name: "ErrorNoSuchObjectLockConfiguration", status: 400, keys: noBucket, setup: func(g *goldenServer) string {
		g.lockBucket()
		g.must("PUT", "/lck/k", "k")
		return ""
	}, method: "GET", target: "/lck/k?retention"},
	{name: "ErrorObjectLocked", status: 403, keys: noBucket, setup: func(g *goldenServer) string {
		g.lockBucket()
		id := g.must("PUT", "/lck/k", "k").Header()["x-amz-version-id"][0]
		g.must("PUT", "/lck/k?legal-hold", `<LegalHold><Status>ON</Status></LegalHold>`)
		return id
	}, method: "DELETE", target: "/lck/k?versionId={id}"},
	{name: "DeleteObjects", status: 200, keys: []string{"a", "b"}, method: "POST", target: "/bkt?delete",
		body: `<Delete><Object><Key>a</Key></Object><Object><Key>missing</Key></Object>` +
			`<Object><Key></Key></Object><Object><Key>b</Key><VersionId>v1</VersionId></Object></Delete>`},
	{name: "DeleteObjectsQuiet", status: 200, keys: []string{"a"}, method: "POST", target: "/bkt?delete",
		body: `<Delete><Quiet>true</Quiet><Object><Key>a</Key></Object></Delete>`},
	{name: "GetBucketLocation", status: 200, keys: []string{}, method: "GET", target: "/bkt?location"},
	{name: "GetBucketLocationEU", status: 200, keys: noBucket, setup: func(g *goldenServer) string {
		g.must("PUT", "/eu-bkt", `<CreateBucketConfiguration><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>`)
		return ""
	}, method: "GET", target: "/eu-bkt?location"},
	{name: "GetBucketVersioning", status: 200, keys: []string{}, method: "GET", target: "/bkt?versioning"},
	{name: "GetObjectTagging", status: 200, keys: []string{"k"}, method: "GET", target: "/bkt/k?tagging"},
	{name: "GetObjectAttributes", status: 200, keys: []string{"k"}, method: "GET", target: "/bkt/k?attributes",
		hdr: []string{"x-amz-object-attributes", "ETag,Checksum,ObjectParts,StorageClass,ObjectSize"}},
	{name: "GetObjectAttributesParts", status: 200, keys: []string{}, setup: func(g *goldenServer) string {
		g.must("POST", "/bkt/big?uploadId="+g.twoParts(), completeTwoParts)
		return ""
	}, method: "GET", target: "/bkt/big?attributes",
		hdr: []string{"x-amz-object-attributes", "ObjectParts,ObjectSize", "x-amz-max-parts", "1"}},
	{name: "GetBucketNotificationConfigurationEmpty", status: 200, keys: []string{}, method: "GET", target: "/bkt?notification"},
	{name: "GetBucketNotificationConfiguration", status: 200, keys: []string{}, setup: func(g *goldenServer) string {
		g.must("PUT", "/bkt?notification", `<NotificationConfiguration>`+
			`<QueueConfiguration><Id>uploads</Id><Queue>arn:aws:sqs:us-east-1:123456789012:uploads</Queue>`+
			`<Event>s3:ObjectCreated:*</Event><Filter><S3Key><FilterRule><Name>prefix</Name><Value>in/</Value></FilterRule>`+
			`<FilterRule><Name>suffix</Name><Value>.jpg</Value></FilterRule></S3Key></Filter></QueueConfiguration>`+
			`<TopicConfiguration><Topic>arn:aws:sns:us-east-1:123456789012:gone</Topic>`+
			`<Event>s3:ObjectRemoved:*</Event></TopicConfiguration>`+
			`<CloudFunctionConfiguration><Id>fn</Id><CloudFunction>arn:aws:lambda:us-east-1:123456789012:function:f</CloudFunction>`+
			`<Event>s3:ObjectCreated:Put</Event><Filter><S3Key><FilterRule><Name>Prefix</Name><Value>out/</Value></FilterRule></S3Key></Filter>`+
			`</CloudFunctionConfiguration></NotificationConfiguration>`)
		return ""
	}, method: "GET", target: "/bkt?notification"},
	{name: "GetObjectAttributesCompositeParts", status: 200, keys: []string{}, setup: func(g *goldenServer) string {
		var res struct{ UploadId string }
		body := g.must("POST", "/bkt/big?uploads", "", "x-amz-checksum-algorithm", "CRC32", "x-amz-storage-class", "STANDARD_IA").Body.Bytes()
		if err := xml.Unmarshal(body, &res); err != nil {
			g.t.Fatal(err)
		}
		complete := "<CompleteMultipartUpload>"
		for i, p := range []string{"hello world", "hello"} {
			sum := base64.StdEncoding.EncodeToString(binary.BigEndian.AppendUint32(nil, crc32.ChecksumIEEE([]byte(p))))
			g.must("PUT", fmt.Sprintf("/bkt/big?partNumber=%d&uploadId=%s", i+1, res.UploadId), p, "x-amz-checksum-crc32", sum)
			complete += fmt.Sprintf(`<Part><PartNumber>%d</PartNumber><ETag>"%x"</ETag><ChecksumCRC32>%s</ChecksumCRC32></Part>`,
				i+1, md5.Sum([]byte(p)), sum)
		}
		g.must("POST", "/bkt/big?uploadId="+res.UploadId, complete+"</CompleteMultipartUpload>")
		return ""
	}, method: "GET", target: "/bkt/big?attributes",
		hdr: []string{"x-amz-object-attributes", "Checksum,ObjectParts,StorageClass", "x-amz-part-number-marker", "1"}},
	{name: "ErrorNoSuchBucket", status: 404, keys: noBucket, method: "GET", target: "/missing?list-type=2"},
	{name: "ErrorNoSuchKey", status: 404, keys: []string{}, method: "GET", target: "/bkt/missing"},
	{name: "ErrorInvalidPart", status: 400, keys: []string{}, setup: func(g *goldenServer) string {
		id := g.upload("bkt", "big")
		g.must("PUT", "/bkt/big?partNumber=1&uploadId="+id, "other")
		return id
	}, method: "POST", target: "/bkt/big?uploadId={id}", body: completeTwoParts},
	{name: "ErrorNoSuchUpload", status: 404, keys: []string{}, method: "GET", target: "/bkt/k?uploadId=nope"},
	{name: "ErrorBucketNotEmpty", status: 409, keys: []string{"k"}, method: "DELETE", target: "/bkt"},
	{name: "ErrorInvalidBucketName", status: 400, keys: noBucket, method: "PUT", target: "/Bad_Name"},
	{name: "ErrorMalformedXML", status: 400, keys: []string{}, method: "POST", target: "/bkt?delete", body: "<Delete>"},
	{name: "ErrorPreconditionFailed", status: 412, keys: []string{"k"}, method: "PUT", target: "/bkt/k", body: "new",
		hdr: []string{"If-None-Match", "*"}},
	{name: "ErrorNotImplemented", status: 501, keys: []string{}, method: "PUT", target: "/bkt?replication"},
	{name: "ErrorKeyTooLong", status: 400, keys: []string{}, method: "PUT", target: "/bkt/" + strings.Repeat("k", 1025), body: "x"},

	// Bucket and object configuration documents.
	{name: "GetObjectTaggingTags", status: 200, keys: []string{}, setup: func(g *goldenServer) string {
		g.must("PUT", "/bkt/k", "k", "x-amz-tagging", "b=2&a=1")
		return ""
	}, method: "GET", target: "/bkt/k?tagging"},
	{name: "GetBucketTagging", status: 200, keys: []string{}, setup: func(g *goldenServer) string {
		g.must("PUT", "/bkt?tagging", `<Tagging><TagSet><Tag><Key>team</Key><Value>storage</Value></Tag></TagSet></Tagging>`)
		return ""
	}, method: "GET", target: "/bkt?tagging"},
	{name: "GetBucketCors", status: 200, keys: []string{}, setup: func(g *goldenServer) string {
		g.must("PUT", "/bkt?cors", `<CORSConfiguration><CORSRule><AllowedOrigin>https://*.example</AllowedOrigin>`+
			`<AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod><AllowedHeader>*</AllowedHeader>`+
			`<ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>600</MaxAgeSeconds></CORSRule></CORSConfiguration>`)
		return ""
	}, method: "GET", target: "/bkt?cors"},
	{name: "GetBucketWebsite", status: 200, keys: []string{}, setup: func(g *goldenServer) string {
		g.must("PUT", "/bkt?website", `<WebsiteConfiguration><IndexDocument><Suffix>index.html</Suffix></IndexDocument>`+
			`<ErrorDocument><Key>404.html</Key></ErrorDocument><RoutingRules><RoutingRule><Condition><KeyPrefixEquals>docs/</KeyPrefixEquals>`+
			`</Condition><Redirect><ReplaceKeyPrefixWith>documents/</ReplaceKeyPrefixWith></Redirect></RoutingRule></RoutingRules></WebsiteConfiguration>`)
		return ""
	}, method: "GET", target: "/bkt?website"},
	{name: "GetBucketLifecycleConfiguration", status: 200, keys: []string{}, setup: func(g *goldenServer) string {
		g.must("PUT", "/bkt?lifecycle", `<LifecycleConfiguration><Rule><Filter><Prefix>logs/</Prefix></Filter><Status>Enabled</Status>`+
			`<Expiration><Days>30</Days></Expiration></Rule></LifecycleConfiguration>`)
		return ""
	}, method: "GET", target: "/bkt?lifecycle"},
	{name: "GetBucketEncryptionDefault", status: 200, keys: []string{}, method: "GET", target: "/bkt?encryption"},
	{name: "GetBucketLoggingEmpty", status: 200, keys: []string{}, method: "GET", target: "/bkt?logging"},
	{name: "GetBucketRequestPayment", status: 200, keys: []string{}, method: "GET", target: "/bkt?requestPayment"},
	{name: "GetBucketAccelerateConfiguration", status: 200, keys: []string{}, method: "GET", target: "/bkt?accelerate"},
	{name: "GetBucketOwnershipControls", status: 200, keys: []string{}, method: "GET", target: "/bkt?ownershipControls"},
	{name: "GetPublicAccessBlock", status: 200, keys: []string{}, setup: func(g *goldenServer) string {
		g.must("PUT", "/bkt?publicAccessBlock", `<PublicAccessBlockConfiguration><BlockPublicAcls>true</BlockPublicAcls></PublicAccessBlockConfiguration>`)
		return ""
	}, method: "GET", target: "/bkt?publicAccessBlock"},
	// No ACL cases: indentXML cannot re-encode the grantee's xsi:type
	// attribute faithfully; bucketconfig's TestACLEncode checks those bytes.
	{name: "GetBucketPolicyStatus", status: 200, keys: []string{}, setup: func(g *goldenServer) string {
		g.must("PUT", "/bkt?policy", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*"}]}`)
		return ""
	}, method: "GET", target: "/bkt?policyStatus"},
	{name: "ErrorNoSuchTagSet", status: 404, keys: []string{}, method: "GET", target: "/bkt?tagging"},
	{name: "ErrorInvalidTag", status: 400, keys: []string{"k"}, method: "PUT", target: "/bkt/k?tagging",
		body: `<Tagging><TagSet><Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>a</Key><Value>2</Value></Tag></TagSet></Tagging>`},
	{name: "ErrorCORSNotAllowed", status: 403, keys: []string{}, setup: func(g *goldenServer) string {
		g.must("PUT", "/bkt?cors", `<CORSConfiguration><CORSRule><AllowedOrigin>https://app.example</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>`)
		return ""
	}, method: "OPTIONS", target: "/bkt/k", hdr: []string{"Origin", "https://app.example", "Access-Control-Request-Method", "PUT"}},
	{name: "ErrorMalformedPolicy", status: 400, keys: []string{}, method: "PUT", target: "/bkt?policy", body: `{"Version":"2012-10-17"}`},
	// Versioning.
	{name: "GetBucketVersioningEnabled", status: 200, keys: []string{}, setup: (*goldenServer).versioned,
		method: "GET", target: "/bkt?versioning"},
	{name: "ListObjectVersions", status: 200, keys: []string{"a", "dir/b"}, setup: (*goldenServer).versionHistory,
		method: "GET", target: "/bkt?versions"},
	{name: "ListObjectVersionsDelimiterTruncated", status: 200, keys: []string{"a", "dir/b", "dir/c", "z"}, setup: (*goldenServer).versionHistory,
		method: "GET", target: "/bkt?versions&delimiter=/&max-keys=3&encoding-type=url"},
	{name: "ListObjectVersionsNeverVersioned", status: 200, keys: []string{"a"}, method: "GET", target: "/bkt?versions"},
	{name: "DeleteObjectsVersions", status: 200, keys: []string{"a"}, setup: func(g *goldenServer) string {
		g.versioned()
		g.must("PUT", "/bkt/a", "a2")
		return ""
	}, method: "POST", target: "/bkt?delete",
		body: `<Delete><Object><Key>a</Key></Object><Object><Key>a</Key><VersionId>null</VersionId></Object></Delete>`},
	{name: "ErrorNoSuchVersion", status: 404, keys: []string{"k"}, method: "GET", target: "/bkt/k?versionId=" + strings.Repeat("V", 32)},
	{name: "ErrorMethodNotAllowedDeleteMarker", status: 405, keys: []string{}, setup: func(g *goldenServer) string {
		g.versioned()
		return g.must("DELETE", "/bkt/k", "").Header()["x-amz-version-id"][0]
	}, method: "GET", target: "/bkt/k?versionId={id}"},
	{name: "ErrorIllegalVersioningConfiguration", status: 400, keys: []string{}, method: "PUT", target: "/bkt?versioning",
		body: `<VersioningConfiguration><Status>Disabled</Status></VersioningConfiguration>`},
}

// versioned enables versioning on bucket "bkt".
func (g *goldenServer) versioned() string {
	g.t.Helper()
	g.must("PUT", "/bkt?versioning", `<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>`)
	return ""
}

// versionHistory enables versioning on "bkt", whose "a" is a null version,
// then writes a second version of "a" and hides "dir/b" under a delete
// marker.
func (g *goldenServer) versionHistory() string {
	g.t.Helper()
	g.versioned()
	g.must("PUT", "/bkt/a", "a2")
	g.must("DELETE", "/bkt/dir/b", "")
	return ""
}

// lockBucket creates bucket "lck" with object lock.
func (g *goldenServer) lockBucket() string {
	g.t.Helper()
	g.must("PUT", "/lck", "", "x-amz-bucket-object-lock-enabled", "true")
	return ""
}

// someKeys make a listing with a common prefix.
var someKeys = []string{"a.txt", "dir/b.txt", "dir/c.txt", "z"}

// serveGolden runs golden case i on a fresh server.
func serveGolden(t *testing.T, i int) *httptest.ResponseRecorder {
	t.Helper()
	tt := goldenCases[i]
	g := newGoldenServer(t)
	if tt.keys != nil {
		g.objects("bkt", tt.keys...)
	}
	var id string
	if tt.setup != nil {
		id = tt.setup(g)
	}
	return g.serve(tt.method, strings.ReplaceAll(tt.target, "{id}", id), tt.body, tt.hdr...)
}

// TestGolden checks each response body the gateway writes against its
// golden file; go test -run Golden -update rewrites them.
func TestGolden(t *testing.T) {
	for i, tt := range goldenCases {
		t.Run(tt.name, func(t *testing.T) {
			w := serveGolden(t, i)
			if w.Code != tt.status {
				t.Errorf("status = %d, want %d; body:\n%s", w.Code, tt.status, w.Body)
			}
			if ct := w.Header().Get("Content-Type"); ct != "application/xml" {
				t.Errorf("Content-Type = %q, want application/xml", ct)
			}
			got, err := indentXML(w.Body.Bytes())
			if err != nil {
				t.Fatalf("body is not well-formed XML: %v\n%s", err, w.Body)
			}
			path := filepath.Join("testdata", "golden", tt.name+".xml")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -run Golden -update to create it)", err)
			}
			lines := func(s string) []string { return strings.Split(s, "\n") }
			if diff := cmp.Diff(lines(string(want)), lines(got)); diff != "" {
				t.Errorf("%s body mismatch (-want +got):\n%s", tt.name, diff)
			}
		})
	}
}

// TestGoldenFilesHaveCases keeps testdata/golden free of files no case
// checks any more.
func TestGoldenFilesHaveCases(t *testing.T) {
	names := map[string]bool{}
	for _, tt := range goldenCases {
		if names[tt.name] {
			t.Errorf("two golden cases are named %s", tt.name)
		}
		names[tt.name] = true
	}
	files, err := filepath.Glob(filepath.Join("testdata", "golden", "*"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if name, ok := strings.CutSuffix(filepath.Base(f), ".xml"); !ok || !names[name] {
			t.Errorf("%s belongs to no golden case", f)
		}
	}
}

// TestGoldenRepeatable checks the premise of the golden files: the same
// requests on a fresh server give the same bytes.
func TestGoldenRepeatable(t *testing.T) {
	for i, tt := range goldenCases {
		a := serveGolden(t, i).Body.String()
		b := serveGolden(t, i).Body.String()
		if a != b {
			t.Errorf("%s differs between two runs:\n%s\n%s", tt.name, a, b)
		}
	}
}

// indentXML re-indents a compact XML body, one element per line, so that a
// golden diff shows the element that changed. Character data is kept,
// escaped as encoding/xml escapes it on the wire.
func indentXML(body []byte) (string, error) {
	if !bytes.HasPrefix(body, []byte(xml.Header)) {
		return "", errors.New("no XML declaration")
	}
	dec := xml.NewDecoder(bytes.NewReader(body[len(xml.Header):]))
	var out strings.Builder
	out.WriteString(xml.Header)
	enc := xml.NewEncoder(&out)
	enc.Indent("", "  ")
	for {
		tok, err := dec.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", err
		}
		if err := enc.EncodeToken(xml.CopyToken(tok)); err != nil {
			return "", err
		}
	}
	if err := enc.Flush(); err != nil {
		return "", err
	}
	return out.String() + "\n", nil
}
