package gateway

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/mocks3/mocks3/internal/s3op"

	"github.com/mocks3/mocks3/s3api"
)

func TestIdentify(t *testing.T) {
	tests := []struct {
		method, target string
		header         map[string]string
		want           s3api.Operation
	}{
		{"GET", "/", nil, s3op.ListBuckets},
		{"PUT", "/b", nil, s3op.CreateBucket},
		{"PUT", "/b/", nil, s3op.CreateBucket},
		{"HEAD", "/b", nil, s3op.HeadBucket},
		{"DELETE", "/b", nil, s3op.DeleteBucket},
		{"GET", "/b?location", nil, s3op.GetBucketLocation},
		{"GET", "/b", nil, s3op.ListObjects},
		{"GET", "/b?list-type=2&prefix=a", nil, s3op.ListObjectsV2},
		{"GET", "/b?uploads", nil, s3op.ListMultipartUploads},
		{"POST", "/b?delete", nil, s3op.DeleteObjects},
		{"POST", "/b?delete=", nil, s3op.DeleteObjects},
		{"POST", "/b", nil, s3op.PostObject},
		{"PUT", "/b/k", nil, s3op.PutObject},
		{"PUT", "/b/k?x-id=PutObject", nil, s3op.PutObject},
		{"PUT", "/b/k", map[string]string{"x-amz-copy-source": "/a/b"}, s3op.CopyObject},
		{"PUT", "/b/k?partNumber=1&uploadId=u", nil, s3op.UploadPart},
		{"PUT", "/b/k?partNumber=1&uploadId=u", map[string]string{"x-amz-copy-source": "/a/b"}, s3op.UploadPartCopy},
		{"GET", "/b/k", nil, s3op.GetObject},
		{"GET", "/b/k?partNumber=2", nil, s3op.GetObject},
		{"GET", "/b/k?response-content-type=x", nil, s3op.GetObject},
		{"GET", "/b/k?uploadId=u", nil, s3op.ListParts},
		{"HEAD", "/b/k", nil, s3op.HeadObject},
		{"DELETE", "/b/k", nil, s3op.DeleteObject},
		{"DELETE", "/b/k?uploadId=u", nil, s3op.AbortMultipartUpload},
		{"POST", "/b/k?uploads", nil, s3op.CreateMultipartUpload},
		{"POST", "/b/k?uploadId=u", nil, s3op.CompleteMultipartUpload},
		{"PUT", "/b/k?tagging", nil, "PutObjectTagging"},
		{"GET", "/b?versioning", nil, "GetBucketVersioning"},
		{"GET", "/b?versions", nil, "ListObjectVersions"},
		{"PUT", "/b?policy", nil, "PutBucketPolicy"},
		{"POST", "/b/k?select&select-type=2", nil, "SelectObjectContent"},
		{"OPTIONS", "/b/k", nil, s3op.OptionsObject},
		{"OPTIONS", "/b", nil, s3op.OptionsObject},
		{"OPTIONS", "/b/k?uploads", nil, s3op.OptionsObject},
		{"OPTIONS", "/b?delete", nil, s3op.OptionsObject},
		{"OPTIONS", "/", nil, s3op.Unknown},
		{"GET", "/b/k?tagging&versionId=v", nil, s3op.GetObjectTagging},
		{"DELETE", "/b?tagging", nil, s3op.DeleteBucketTagging},
		{"PUT", "/b/k?acl", nil, s3op.PutObjectAcl},
		{"GET", "/b?policyStatus", nil, s3op.GetBucketPolicyStatus},
		{"DELETE", "/b?ownershipControls", nil, s3op.DeleteBucketOwnershipControls},
		{"PUT", "/b/k?x-amz-tagging=a%3D1", nil, s3op.PutObject},
		{"DELETE", "/b?logging", nil, s3op.Unknown},
		{"PUT", "/b?object-lock", nil, s3op.PutObjectLockConfiguration},
		{"GET", "/b?object-lock", nil, s3op.GetObjectLockConfiguration},
		{"PUT", "/b/k?retention&versionId=v", nil, s3op.PutObjectRetention},
		{"GET", "/b/k?retention", nil, s3op.GetObjectRetention},
		{"PUT", "/b/k?legal-hold", nil, s3op.PutObjectLegalHold},
		{"GET", "/b/k?legal-hold", nil, s3op.GetObjectLegalHold},
		{"DELETE", "/b?object-lock", nil, s3op.Unknown},
		{"PUT", "/b/k?nonsense", nil, s3op.Unknown},
		{"PATCH", "/b/k", nil, s3op.Unknown},
		{"POST", "/b/k", nil, s3op.Unknown},
		{"PUT", "/", nil, s3op.Unknown},
		{"GET", "/b/k?unknown-param=1", nil, s3op.GetObject},
		// An empty copy source is still a copy (and a bad one), not a PUT.
		{"PUT", "/b/k", map[string]string{"x-amz-copy-source": ""}, s3op.CopyObject},
		{"PUT", "/b/k?partNumber=1&uploadId=u", map[string]string{"x-amz-copy-source": ""}, s3op.UploadPartCopy},
		// A key with no bucket addresses nothing.
		{"PUT", "//etc/passwd", nil, s3op.Unknown},
		{"GET", "//etc/passwd", nil, s3op.Unknown},
		{"PUT", "//etc/passwd?acl", nil, s3op.Unknown},
		{"GET", "//", nil, s3op.ListBuckets},
	}
	h := New(Config{})
	for _, tt := range tests {
		r := httptest.NewRequest(tt.method, tt.target, nil)
		for k, v := range tt.header {
			r.Header.Set(k, v)
		}
		if got := h.Identify(r).Operation; got != tt.want {
			t.Errorf("Identify(%s %s %v) = %q, want %q", tt.method, tt.target, tt.header, got, tt.want)
		}
	}
}

func TestSplitVirtualHost(t *testing.T) {
	h := New(Config{BaseDomains: []string{"s3.test"}})
	tests := []struct{ host, path, bucket, key string }{
		{"127.0.0.1:9000", "/b/k/x", "b", "k/x"},
		{"photos.localhost:9000", "/a/b.jpg", "photos", "a/b.jpg"},
		{"photos.s3.test", "/k", "photos", "k"},
		{"my.dotted.bucket.s3.test", "/", "my.dotted.bucket", ""},
		{"localhost:9000", "/b/", "b", ""},
		{"localhost", "/", "", ""},
	}
	for _, tt := range tests {
		r := httptest.NewRequest(http.MethodGet, tt.path, nil)
		r.Host = tt.host
		got := h.Identify(r)
		if got.Bucket != tt.bucket || got.Key != tt.key {
			t.Errorf("Identify(Host %s, %s) = %q, %q, want %q, %q", tt.host, tt.path, got.Bucket, got.Key, tt.bucket, tt.key)
		}
	}
}

// TestOperationsListsEveryRoute keeps Operations, which fault rules are
// checked against, in step with the route table.
func TestOperationsListsEveryRoute(t *testing.T) {
	ops := s3api.Operations()
	if !slices.IsSorted(ops) {
		t.Errorf("s3api.Operations() = %q, want it sorted", ops)
	}
	for _, rt := range routes {
		if !slices.Contains(ops, rt.op) {
			t.Errorf("s3api.Operations() lacks %s, which the route table serves", rt.op)
		}
	}
	if n := len(slices.Compact(slices.Clone(ops))); n != len(ops) {
		t.Errorf("s3api.Operations() = %q, want no duplicates", ops)
	}
}

// TestUnsupportedAreNotImplemented: the 501 table names only operations
// without a route, so an operation that gains one leaves it.
func TestUnsupportedAreNotImplemented(t *testing.T) {
	implemented := map[s3api.Operation]bool{}
	for _, op := range s3api.Operations() {
		implemented[op] = true
	}
	for method, subs := range unsupported {
		for sub, op := range subs {
			if implemented[op] {
				t.Errorf("unsupported[%s][%s] = %s, which is implemented", method, sub, op)
			}
		}
	}
}
