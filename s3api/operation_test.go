package s3api

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
)

func TestIdentify(t *testing.T) {
	tests := []struct {
		method, target string
		header         map[string]string
		want           Operation
	}{
		{"GET", "/", nil, OpListBuckets},
		{"PUT", "/b", nil, OpCreateBucket},
		{"PUT", "/b/", nil, OpCreateBucket},
		{"HEAD", "/b", nil, OpHeadBucket},
		{"DELETE", "/b", nil, OpDeleteBucket},
		{"GET", "/b?location", nil, OpGetBucketLocation},
		{"GET", "/b", nil, OpListObjects},
		{"GET", "/b?list-type=2&prefix=a", nil, OpListObjectsV2},
		{"GET", "/b?uploads", nil, OpListMultipartUploads},
		{"POST", "/b?delete", nil, OpDeleteObjects},
		{"POST", "/b?delete=", nil, OpDeleteObjects},
		{"PUT", "/b/k", nil, OpPutObject},
		{"PUT", "/b/k?x-id=PutObject", nil, OpPutObject},
		{"PUT", "/b/k", map[string]string{"x-amz-copy-source": "/a/b"}, OpCopyObject},
		{"PUT", "/b/k?partNumber=1&uploadId=u", nil, OpUploadPart},
		{"PUT", "/b/k?partNumber=1&uploadId=u", map[string]string{"x-amz-copy-source": "/a/b"}, OpUploadPartCopy},
		{"GET", "/b/k", nil, OpGetObject},
		{"GET", "/b/k?partNumber=2", nil, OpGetObject},
		{"GET", "/b/k?response-content-type=x", nil, OpGetObject},
		{"GET", "/b/k?uploadId=u", nil, OpListParts},
		{"HEAD", "/b/k", nil, OpHeadObject},
		{"DELETE", "/b/k", nil, OpDeleteObject},
		{"DELETE", "/b/k?uploadId=u", nil, OpAbortMultipartUpload},
		{"POST", "/b/k?uploads", nil, OpCreateMultipartUpload},
		{"POST", "/b/k?uploadId=u", nil, OpCompleteMultipartUpload},
		{"PUT", "/b/k?tagging", nil, "PutObjectTagging"},
		{"GET", "/b?versioning", nil, "GetBucketVersioning"},
		{"GET", "/b?versions", nil, "ListObjectVersions"},
		{"PUT", "/b?policy", nil, "PutBucketPolicy"},
		{"POST", "/b/k?select&select-type=2", nil, "SelectObjectContent"},
		{"PUT", "/b/k?nonsense", nil, OpUnknown},
		{"PATCH", "/b/k", nil, OpUnknown},
		{"POST", "/b/k", nil, OpUnknown},
		{"PUT", "/", nil, OpUnknown},
		{"GET", "/b/k?unknown-param=1", nil, OpGetObject},
		// An empty copy source is still a copy (and a bad one), not a PUT.
		{"PUT", "/b/k", map[string]string{"x-amz-copy-source": ""}, OpCopyObject},
		{"PUT", "/b/k?partNumber=1&uploadId=u", map[string]string{"x-amz-copy-source": ""}, OpUploadPartCopy},
		// A key with no bucket addresses nothing.
		{"PUT", "//etc/passwd", nil, OpUnknown},
		{"GET", "//etc/passwd", nil, OpUnknown},
		{"PUT", "//etc/passwd?acl", nil, OpUnknown},
		{"GET", "//", nil, OpListBuckets},
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
	ops := Operations()
	if !slices.IsSorted(ops) {
		t.Errorf("Operations() = %q, want it sorted", ops)
	}
	for _, rt := range routes {
		if !slices.Contains(ops, rt.op) {
			t.Errorf("Operations() lacks %s, which the route table serves", rt.op)
		}
	}
	if n := len(slices.Compact(slices.Clone(ops))); n != len(ops) {
		t.Errorf("Operations() = %q, want no duplicates", ops)
	}
}
