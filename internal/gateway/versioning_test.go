package gateway

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// TestNewVersionIDs: the IDs mocks3 makes are the IDs it accepts, and
// never "null".
func TestNewVersionIDs(t *testing.T) {
	h := New(Config{Seed: 1})
	seen := map[string]bool{}
	for range 1000 {
		id := h.newVersionID()
		if !validVersionID(id) || id == "null" {
			t.Fatalf("newVersionID() = %q, which validVersionID refuses", id)
		}
		if seen[id] {
			t.Fatalf("newVersionID() repeated %q", id)
		}
		seen[id] = true
	}
}

func TestValidVersionID(t *testing.T) {
	tests := []struct {
		id   string
		want bool
	}{
		{"null", true},
		{strings.Repeat("a", 32), true},
		{"0123456789ABCDEFGHIJKLMNOPQR._yz", true},
		{"", false},
		{"NULL", false},
		{"v1", false},
		{strings.Repeat("a", 31), false},
		{strings.Repeat("a", 33), false},
		{strings.Repeat("a", 31) + "/", false},
		{strings.Repeat("a", 31) + "+", false},
	}
	for _, tt := range tests {
		if got := validVersionID(tt.id); got != tt.want {
			t.Errorf("validVersionID(%q) = %v, want %v", tt.id, got, tt.want)
		}
	}
}

func FuzzPutBucketVersioningBody(f *testing.F) {
	f.Add([]byte(`<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>`))
	f.Add([]byte(`<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>Suspended</Status><MfaDelete>Disabled</MfaDelete></VersioningConfiguration>`))
	f.Add([]byte(`<VersioningConfiguration><MfaDelete>Enabled</MfaDelete></VersioningConfiguration>`))
	f.Add([]byte(`<VersioningConfiguration>`))
	f.Add([]byte(``))
	h := newTestHandler(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		w := serve(h, "PUT", "/bkt?versioning", body)
		checkClientError(t, w, body)
		got := serve(h, "GET", "/bkt?versioning", nil).Body.String()
		if w.Code == 200 && !strings.Contains(got, "<Status>Enabled</Status>") && !strings.Contains(got, "<Status>Suspended</Status>") {
			t.Fatalf("body %q was accepted, and GetBucketVersioning says %s", body, got)
		}
	})
}

// FuzzVersionParameters sends arbitrary version IDs and listing markers
// wherever a request carries one.
func FuzzVersionParameters(f *testing.F) {
	f.Add("null", "k")
	f.Add(strings.Repeat("a", 32), "k")
	f.Add("", "")
	f.Add("%zz", "a/b")
	h := newTestHandler(f)
	serve(h, "PUT", "/bkt?versioning", []byte(`<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>`))
	f.Fuzz(func(t *testing.T, version, key string) {
		v := url.QueryEscape(version)
		for _, target := range []string{
			"/bkt/k?versionId=" + v,
			"/bkt?versions&key-marker=" + url.QueryEscape(key) + "&version-id-marker=" + v,
		} {
			checkClientError(t, serve(h, "GET", target, nil), []byte(target))
		}
		r := httptest.NewRequest("PUT", "/bkt/copy", nil)
		r.Header.Set("x-amz-copy-source", "bkt/"+url.PathEscape(key)+"?versionId="+v)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		checkClientError(t, w, []byte(r.Header.Get("x-amz-copy-source")))
		checkClientError(t, serve(h, "DELETE", "/bkt/k?versionId="+v, nil), []byte(version))
	})
}

// TestObjectLockKeepsVersioning: a bucket with object lock keeps
// versioning enabled, as S3 requires.
func TestObjectLockKeepsVersioning(t *testing.T) {
	h := newTestHandler(t)
	ctx := t.Context()
	b, err := h.store.Records().GetBucket(ctx, "bkt")
	if err != nil {
		t.Fatal(err)
	}
	b.Versioning, b.ObjectLock = "Enabled", true
	if err := h.store.Records().UpdateBucket(ctx, b); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		status   string
		wantCode int
		want     string
	}{
		{"Suspended", 409, "<Code>InvalidBucketState</Code>"},
		{"Enabled", 200, ""},
	}
	for _, tt := range tests {
		w := serve(h, "PUT", "/bkt?versioning", []byte("<VersioningConfiguration><Status>"+tt.status+"</Status></VersioningConfiguration>"))
		if w.Code != tt.wantCode || !strings.Contains(w.Body.String(), tt.want) {
			t.Errorf("PutBucketVersioning(%s) = %d %s, want %d %s", tt.status, w.Code, w.Body, tt.wantCode, tt.want)
		}
	}
	if got := serve(h, "GET", "/bkt?versioning", nil).Body.String(); !strings.Contains(got, "<Status>Enabled</Status>") {
		t.Errorf("GetBucketVersioning = %s, want Enabled", got)
	}
}
