package metadata_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/mocks3/mocks3/backend/memory"
	"github.com/mocks3/mocks3/internal/metadata"
)

// FuzzHandler sends arbitrary bodies to every method of the metadata
// service: bad input must get a 4xx, never a panic or a 5xx.
func FuzzHandler(f *testing.F) {
	methods := []string{"CreateBucket", "GetBucket", "ListBuckets", "DeleteBucket", "GetObject", "PutObject",
		"DeleteObject", "ListObjects", "CreateUpload", "GetUpload", "PutPart", "DeleteUpload", "ListUploads", "Nope",
		"UpdateBucket", "UpdateObject", "ListVersions", "PutBucketConfig", "GetBucketConfig", "DeleteBucketConfig"}
	f.Add(uint8(0), []byte(`{"bucket_record":{"Name":"bkt"}}`))
	f.Add(uint8(5), []byte(`{"bucket":"bkt","object":{"Key":"k","Size":-1,"Parts":[{"Number":1}]},"condition":{"if_match":"*"}}`))
	f.Add(uint8(7), []byte(`{"bucket":"bkt","from":"","limit":-5}`))
	f.Add(uint8(10), []byte(`{"bucket":"bkt","key":"k","id":"u","part":{"Number":-3}}`))
	f.Add(uint8(14), []byte(`{"bucket_record":{"Name":"bkt","Versioning":"Enabled","ObjectLock":true}}`))
	f.Add(uint8(15), []byte(`{"bucket":"bkt","key":"k","version_id":"null","update":{"tags":null,"acl":"","retention":{"Mode":"X"},"legal_hold":true}}`))
	f.Add(uint8(16), []byte(`{"bucket":"bkt","from":"k","from_version_id":"v","limit":3}`))
	f.Add(uint8(17), []byte(`{"bucket":"bkt","kind":"cors","doc":"bm90IGJhc2U2NA=="}`))
	f.Add(uint8(17), []byte(`{"bucket":"bkt","kind":"cors","doc":"!!"}`))
	f.Add(uint8(3), []byte(`not json`))
	f.Add(uint8(4), []byte(`{"bucket":1}`))
	b := memory.New()
	f.Cleanup(func() { b.Close() })
	h := metadata.NewHandler(b)
	f.Fuzz(func(t *testing.T, m uint8, body []byte) {
		method := methods[int(m)%len(methods)]
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/v1/"+method, bytes.NewReader(body)))
		if w.Code >= 500 {
			t.Fatalf("POST /v1/%s %q = %d %s, want < 500", method, body, w.Code, w.Body)
		}
	})
}
