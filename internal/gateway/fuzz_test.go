package gateway

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mocks3/mocks3/backend/memory"
	"github.com/mocks3/mocks3/internal/objects"
)

// newTestHandler returns a handler over a fresh memory backend with one
// bucket, "bkt", holding one object, "k".
func newTestHandler(tb testing.TB) *Handler {
	tb.Helper()
	b := memory.New()
	tb.Cleanup(func() { b.Close() })
	store := objects.New(objects.Config{Metadata: b, Storage: b})
	h := New(Config{Objects: store, MinPartSize: 1})
	ctx := context.Background()
	if err := store.EnsureBucket(ctx, "bkt"); err != nil {
		tb.Fatal(err)
	}
	if _, err := store.SeedObject(ctx, "bkt", "k", strings.NewReader("data"), ""); err != nil {
		tb.Fatal(err)
	}
	return h
}

func serve(h http.Handler, method, target string, body []byte) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, bytes.NewReader(body))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// checkClientError fails unless a malformed body got a 2xx or a 4xx, never a
// 5xx.
func checkClientError(t *testing.T, w *httptest.ResponseRecorder, body []byte) {
	t.Helper()
	if w.Code >= 500 {
		t.Fatalf("body %q: status %d, want < 500; response %s", body, w.Code, w.Body)
	}
}

func FuzzDeleteObjectsBody(f *testing.F) {
	f.Add([]byte(`<Delete><Object><Key>k</Key></Object></Delete>`))
	f.Add([]byte(`<Delete><Quiet>true</Quiet><Object><Key>k</Key><VersionId>null</VersionId></Object><Object><Key></Key></Object></Delete>`))
	f.Add([]byte(`<Delete><Object><Key>` + strings.Repeat("x", 1100) + `</Key></Object></Delete>`))
	f.Add([]byte(`<Delete>`))
	f.Add([]byte(``))
	h := newTestHandler(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		checkClientError(t, serve(h, "POST", "/bkt?delete", body), body)
	})
}

func FuzzCompleteMultipartBody(f *testing.F) {
	f.Add([]byte(`<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"x"</ETag></Part></CompleteMultipartUpload>`))
	f.Add([]byte(`<CompleteMultipartUpload><Part><PartNumber>2</PartNumber><ETag>e</ETag><ChecksumCRC32>AAAAAA==</ChecksumCRC32></Part><Part><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>`))
	f.Add([]byte(`<CompleteMultipartUpload/>`))
	f.Add([]byte(`not xml`))
	h := newTestHandler(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		w := serve(h, "POST", "/bkt/up?uploads", nil)
		id := between(w.Body.String(), "<UploadId>", "</UploadId>")
		if id == "" {
			t.Fatalf("CreateMultipartUpload: %d %s", w.Code, w.Body)
		}
		serve(h, "PUT", "/bkt/up?partNumber=1&uploadId="+id, []byte("part one"))
		serve(h, "PUT", "/bkt/up?partNumber=2&uploadId="+id, []byte("part two"))
		checkClientError(t, serve(h, "POST", "/bkt/up?uploadId="+id, body), body)
	})
}

func FuzzCreateBucketBody(f *testing.F) {
	f.Add([]byte(`<CreateBucketConfiguration><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>`))
	f.Add([]byte(`<CreateBucketConfiguration><LocationConstraint>us-east-1</LocationConstraint></CreateBucketConfiguration>`))
	f.Add([]byte(`<CreateBucketConfiguration>`))
	h := newTestHandler(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		w := serve(h, "PUT", "/fuzz-bucket", body)
		checkClientError(t, w, body)
		serve(h, "DELETE", "/fuzz-bucket", nil)
	})
}

func between(s, start, end string) string {
	_, after, ok := strings.Cut(s, start)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(after, end)
	return v
}
