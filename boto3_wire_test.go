package mocks3_test

// boto3's versioning and tagging calls replayed byte for byte: what
// botocore put on the wire for put/get_bucket_versioning,
// list_object_versions, put/get/delete_object_tagging,
// put/get/delete_bucket_tagging and delete_objects with versions, recorded
// through a proxy in front of mocks3 (authentication off, so the
// Authorization, X-Amz-Date, User-Agent and invocation-ID headers are left
// out). Two generations are kept: botocore 1.43 (boto3 1.43, the aws CLI
// 1.45), which sends a CRC32 with every body, and botocore 1.29 (Debian 12's
// python3-boto3 1.26), which sends Content-MD5 where S3 requires one.

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/mocks3/mocks3"
)

// wireStep is one recorded request and what its answer must hold.
type wireStep struct {
	name, method string
	// target is the path and query; {v1}, {v2} and {marker} stand for the
	// version IDs the server handed out, in target and body alike.
	target string
	header map[string]string
	body   string
	status int
	want   []string       // substrings of the response body
	count  map[string]int // substring -> times it must appear
	// saveVersion names the response's x-amz-version-id for later steps.
	saveVersion string
}

const (
	emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	s3NS        = `xmlns="http://s3.amazonaws.com/doc/2006-03-01/"`
)

// boto3WireSteps are the recorded calls in order;
// checksum headers valued "{crc32}", "{sha256}" or "{md5}" are those of a
// body holding version IDs, computed as botocore computes them.
func boto3WireSteps(md5Generation bool) []wireStep {
	bodyHeaders := func(crc, sha, md5sum string) map[string]string {
		if md5Generation {
			return map[string]string{"Content-MD5": md5sum, "X-Amz-Content-Sha256": sha}
		}
		return map[string]string{"X-Amz-Checksum-Crc32": crc, "X-Amz-Content-Sha256": sha, "X-Amz-Sdk-Checksum-Algorithm": "CRC32"}
	}
	noBody := map[string]string{"X-Amz-Content-Sha256": emptySHA256}
	versioning := func(status string) string {
		return `<VersioningConfiguration ` + s3NS + `><Status>` + status + `</Status></VersioningConfiguration>`
	}
	tagging := `<Tagging ` + s3NS + `><TagSet><Tag><Key>k1</Key><Value>v1</Value></Tag><Tag><Key>k2</Key><Value>v 2</Value></Tag></TagSet></Tagging>`
	bucketTagging := `<Tagging ` + s3NS + `><TagSet><Tag><Key>team</Key><Value>storage</Value></Tag></TagSet></Tagging>`
	put := func(name, body, crc, sha, md5sum string) wireStep {
		h := bodyHeaders(crc, sha, md5sum)
		h["Expect"] = "100-continue"
		return wireStep{name: "put_object " + body, method: "PUT", target: "/wire-bucket/a.txt", header: h, body: body, status: 200, saveVersion: name}
	}
	return []wireStep{
		{name: "create_bucket", method: "PUT", target: "/wire-bucket", header: noBody, status: 200},
		{name: "put_bucket_versioning Enabled", method: "PUT", target: "/wire-bucket?versioning",
			header: bodyHeaders("C8vlPQ==", "482d4e510b5cdcf0bbf3a044e82832dc711f4f28757a6c06eb21758282a73ef7", "QQFYoy/mRYV9PGZUfFi0Bw=="),
			body:   versioning("Enabled"), status: 200},
		{name: "get_bucket_versioning", method: "GET", target: "/wire-bucket?versioning", header: noBody, status: 200,
			want: []string{"<Status>Enabled</Status>"}},
		put("v1", "one", "emyG8Q==", "7692c3ad3540bb803c020b3aee66cd8887123234ea0c6e7143c0add73ff431ed", "+XxdKZQb+xsv2rCHSQargg=="),
		put("v2", "two", "EcqKZg==", "3fc4ccfe745870e2c0d99f71f30ff0656c8dedd41cc1d7d3d376b0dbe685e2f3", "uKn3Fdu2T9XFbneDxoIKYQ=="),
		{name: "delete_object", method: "DELETE", target: "/wire-bucket/a.txt", header: noBody, status: 204, saveVersion: "marker"},
		{name: "list_object_versions", method: "GET", target: "/wire-bucket?versions&encoding-type=url", header: noBody, status: 200,
			want: []string{"<EncodingType>url</EncodingType>", "<IsTruncated>false</IsTruncated>",
				"<DeleteMarker><Key>a.txt</Key><VersionId>{marker}</VersionId><IsLatest>true</IsLatest>",
				"<Version><Key>a.txt</Key><VersionId>{v2}</VersionId><IsLatest>false</IsLatest>",
				"<Version><Key>a.txt</Key><VersionId>{v1}</VersionId><IsLatest>false</IsLatest>"},
			count: map[string]int{"<Version>": 2, "<DeleteMarker>": 1}},
		{name: "list_object_versions after a version marker", method: "GET",
			target: "/wire-bucket?versions&prefix=a&key-marker=a.txt&version-id-marker={v2}&max-keys=1&encoding-type=url", header: noBody, status: 200,
			want:  []string{"<KeyMarker>a.txt</KeyMarker>", "<VersionIdMarker>{v2}</VersionIdMarker>", "<MaxKeys>1</MaxKeys>", "<VersionId>{v1}</VersionId>"},
			count: map[string]int{"<Version>": 1, "<DeleteMarker>": 0}},
		{name: "put_object_tagging of a version", method: "PUT", target: "/wire-bucket/a.txt?tagging&versionId={v1}",
			header: bodyHeaders("32KTCw==", "ecd8eb08c16e9956707b61a110cb7a9f08c84066ec13baa963b801a79a5744be", "fhx0BHLPAPaETKvlwLuAwA=="),
			body:   tagging, status: 200},
		{name: "get_object_tagging of a version", method: "GET", target: "/wire-bucket/a.txt?tagging&versionId={v1}", header: noBody, status: 200,
			want: []string{"<TagSet><Tag><Key>k1</Key><Value>v1</Value></Tag><Tag><Key>k2</Key><Value>v 2</Value></Tag></TagSet>"}},
		{name: "delete_object_tagging of a version", method: "DELETE", target: "/wire-bucket/a.txt?tagging&versionId={v1}", header: noBody, status: 204},
		{name: "get_object_tagging after the delete", method: "GET", target: "/wire-bucket/a.txt?tagging&versionId={v1}", header: noBody, status: 200,
			count: map[string]int{"<Tag>": 0}},
		{name: "put_bucket_tagging", method: "PUT", target: "/wire-bucket?tagging",
			header: bodyHeaders("L3C0qw==", "fdafa1664951e0844f1bcff66d6589bd3c922f0396dda407ec8fedee5f44688e", "FHvgEqWnwx8BYbDb/UMn6Q=="),
			body:   bucketTagging, status: 204},
		{name: "get_bucket_tagging", method: "GET", target: "/wire-bucket?tagging", header: noBody, status: 200,
			want: []string{"<TagSet><Tag><Key>team</Key><Value>storage</Value></Tag></TagSet>"}},
		{name: "delete_bucket_tagging", method: "DELETE", target: "/wire-bucket?tagging", header: noBody, status: 204},
		{name: "get_bucket_tagging after the delete", method: "GET", target: "/wire-bucket?tagging", header: noBody, status: 404,
			want: []string{"<Code>NoSuchTagSet</Code>"}},
		{name: "delete_objects with versions", method: "POST", target: "/wire-bucket?delete",
			header: bodyHeaders("{crc32}", "{sha256}", "{md5}"),
			body: `<Delete ` + s3NS + `><Object><Key>a.txt</Key><VersionId>{v1}</VersionId></Object><Object><Key>a.txt</Key><VersionId>{v2}</VersionId></Object>` +
				`<Object><Key>a.txt</Key><VersionId>{marker}</VersionId></Object><Quiet>false</Quiet></Delete>`,
			status: 200,
			want: []string{"<Deleted><Key>a.txt</Key><VersionId>{v1}</VersionId></Deleted>", "<Deleted><Key>a.txt</Key><VersionId>{v2}</VersionId></Deleted>",
				"<Deleted><Key>a.txt</Key><VersionId>{marker}</VersionId><DeleteMarker>true</DeleteMarker><DeleteMarkerVersionId>{marker}</DeleteMarkerVersionId></Deleted>"},
			count: map[string]int{"<Error>": 0}},
		{name: "list_object_versions of the emptied bucket", method: "GET", target: "/wire-bucket?versions&encoding-type=url", header: noBody, status: 200,
			count: map[string]int{"<Version>": 0, "<DeleteMarker>": 0}},
		{name: "put_bucket_versioning Suspended", method: "PUT", target: "/wire-bucket?versioning",
			header: bodyHeaders("gZ/csg==", "d7f1d7ed35d188f6a89d394cc2055f5910c14a3abccf41e808e7f7327d21e129", "orZUUp7E9srl53Od8p1glA=="),
			body:   versioning("Suspended"), status: 200},
		{name: "get_bucket_versioning Suspended", method: "GET", target: "/wire-bucket?versioning", header: noBody, status: 200,
			want: []string{"<Status>Suspended</Status>"}},
	}
}

func TestBoto3Wire(t *testing.T) {
	for _, gen := range []struct {
		name string
		md5  bool
	}{{"botocore-1.43", false}, {"botocore-1.29", true}} {
		t.Run(gen.name, func(t *testing.T) {
			forEachMode(t, func(t *testing.T, newServer newServerFunc) {
				replayWire(t, newServer(t), boto3WireSteps(gen.md5))
			})
		})
	}
}

// replayWire sends steps in order with plain net/http and checks each
// answer; a failed step stops the replay, as later ones depend on it.
func replayWire(t *testing.T, srv *mocks3.Server, steps []wireStep) {
	t.Helper()
	ids := map[string]string{}
	subst := func(s string) string {
		for name, id := range ids {
			s = strings.ReplaceAll(s, "{"+name+"}", id)
		}
		return s
	}
	client, base := srv.HTTPClient(), srv.URL
	for _, st := range steps {
		body := subst(st.body)
		req, err := http.NewRequestWithContext(t.Context(), st.method, base+subst(st.target), strings.NewReader(body))
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		for k, v := range st.header {
			switch v {
			case "{crc32}":
				v = checksumOf(types.ChecksumAlgorithmCrc32, []byte(body))
			case "{sha256}":
				v = sha256Hex([]byte(body))
			case "{md5}":
				v = checksumOf(types.ChecksumAlgorithmMd5, []byte(body))
			}
			req.Header.Set(k, v)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s: %s %s: %v", st.name, st.method, req.URL, err)
		}
		got, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatalf("%s: reading the answer: %v", st.name, err)
		}
		if resp.StatusCode != st.status {
			t.Fatalf("%s: %s %s = %d %s, want %d", st.name, st.method, req.URL, resp.StatusCode, got, st.status)
		}
		for _, w := range st.want {
			if w = subst(w); !strings.Contains(string(got), w) {
				t.Errorf("%s: answer %s\nlacks %s", st.name, got, w)
			}
		}
		for s, n := range st.count {
			if c := strings.Count(string(got), s); c != n {
				t.Errorf("%s: answer has %s %d times, want %d:\n%s", st.name, s, c, n, got)
			}
		}
		if st.saveVersion != "" {
			if ids[st.saveVersion] = resp.Header.Get("X-Amz-Version-Id"); ids[st.saveVersion] == "" {
				t.Fatalf("%s: no x-amz-version-id in the answer", st.name)
			}
		}
	}
}
