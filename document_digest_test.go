package mocks3_test

import (
	"crypto/md5"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"

	"github.com/mocks3/mocks3"
)

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
	md5Of := func(s string) string { sum := md5.Sum([]byte(s)); return base64.StdEncoding.EncodeToString(sum[:]) }
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
