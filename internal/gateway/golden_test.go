package gateway

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
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

const completeTwoParts = `<CompleteMultipartUpload>` +
	`<Part><PartNumber>1</PartNumber><ETag>"5eb63bbbe01eeed093cb22bb8f5acdc3"</ETag></Part>` +
	`<Part><PartNumber>2</PartNumber><ETag>"5d41402abc4b2a76b9719d911017c592"</ETag></Part>` +
	`</CompleteMultipartUpload>`

// goldenCases are the response shapes the gateway writes; each arranges
// its state on a fresh server, then serves the request whose body is
// compared with testdata/golden/<name>.xml.
var goldenCases = []struct {
	name   string
	status int
	serve  func(g *goldenServer) *httptest.ResponseRecorder
}{
	{"ListBuckets", 200, func(g *goldenServer) *httptest.ResponseRecorder {
		g.objects("alpha")
		g.objects("beta")
		return g.serve("GET", "/", "")
	}},
	{"ListObjects", 200, func(g *goldenServer) *httptest.ResponseRecorder {
		g.objects("bkt", "a.txt", "dir/b.txt", "dir/c.txt", "z")
		return g.serve("GET", "/bkt", "")
	}},
	{"ListObjectsDelimiterTruncated", 200, func(g *goldenServer) *httptest.ResponseRecorder {
		g.objects("bkt", "a.txt", "dir/b.txt", "dir/c.txt", "z")
		return g.serve("GET", "/bkt?delimiter=/&max-keys=2&marker=0", "")
	}},
	{"ListObjectsEncodingURL", 200, func(g *goldenServer) *httptest.ResponseRecorder {
		g.objects("bkt", "sp%20ace", "caf%C3%A9")
		return g.serve("GET", "/bkt?encoding-type=url", "")
	}},
	{"ListObjectsV2", 200, func(g *goldenServer) *httptest.ResponseRecorder {
		g.objects("bkt", "a.txt", "dir/b.txt", "dir/c.txt", "z")
		return g.serve("GET", "/bkt?list-type=2&fetch-owner=true", "")
	}},
	{"ListObjectsV2DelimiterTruncated", 200, func(g *goldenServer) *httptest.ResponseRecorder {
		g.objects("bkt", "a.txt", "dir/b.txt", "dir/c.txt", "z")
		return g.serve("GET", "/bkt?list-type=2&delimiter=/&max-keys=2&prefix=", "")
	}},
	{"ListObjectsV2Empty", 200, func(g *goldenServer) *httptest.ResponseRecorder {
		g.objects("bkt")
		return g.serve("GET", "/bkt?list-type=2&start-after=m", "")
	}},
	{"CreateMultipartUpload", 200, func(g *goldenServer) *httptest.ResponseRecorder {
		g.objects("bkt")
		return g.serve("POST", "/bkt/big?uploads", "")
	}},
	{"CompleteMultipartUpload", 200, func(g *goldenServer) *httptest.ResponseRecorder {
		g.objects("bkt")
		id := g.upload("bkt", "big")
		g.must("PUT", "/bkt/big?partNumber=1&uploadId="+id, "hello world")
		g.must("PUT", "/bkt/big?partNumber=2&uploadId="+id, "hello")
		return g.serve("POST", "/bkt/big?uploadId="+id, completeTwoParts)
	}},
	{"ListParts", 200, func(g *goldenServer) *httptest.ResponseRecorder {
		g.objects("bkt")
		id := g.upload("bkt", "big")
		g.must("PUT", "/bkt/big?partNumber=1&uploadId="+id, "hello world")
		g.must("PUT", "/bkt/big?partNumber=2&uploadId="+id, "hello")
		return g.serve("GET", "/bkt/big?uploadId="+id+"&max-parts=1", "")
	}},
	{"ListMultipartUploads", 200, func(g *goldenServer) *httptest.ResponseRecorder {
		g.objects("bkt")
		g.upload("bkt", "a/one")
		g.upload("bkt", "a/two")
		g.upload("bkt", "b")
		return g.serve("GET", "/bkt?uploads&delimiter=/", "")
	}},
	{"CopyObject", 200, func(g *goldenServer) *httptest.ResponseRecorder {
		g.objects("bkt", "src")
		return g.serve("PUT", "/bkt/dst", "", "x-amz-copy-source", "/bkt/src")
	}},
	{"UploadPartCopy", 200, func(g *goldenServer) *httptest.ResponseRecorder {
		g.objects("bkt", "src")
		id := g.upload("bkt", "big")
		return g.serve("PUT", "/bkt/big?partNumber=1&uploadId="+id, "",
			"x-amz-copy-source", "bkt/src", "x-amz-copy-source-range", "bytes=0-1")
	}},
	{"DeleteObjects", 200, func(g *goldenServer) *httptest.ResponseRecorder {
		g.objects("bkt", "a", "b")
		return g.serve("POST", "/bkt?delete", `<Delete><Object><Key>a</Key></Object><Object><Key>missing</Key></Object>`+
			`<Object><Key></Key></Object><Object><Key>b</Key><VersionId>v1</VersionId></Object></Delete>`)
	}},
	{"DeleteObjectsQuiet", 200, func(g *goldenServer) *httptest.ResponseRecorder {
		g.objects("bkt", "a")
		return g.serve("POST", "/bkt?delete", `<Delete><Quiet>true</Quiet><Object><Key>a</Key></Object></Delete>`)
	}},
	{"GetBucketLocation", 200, func(g *goldenServer) *httptest.ResponseRecorder {
		g.objects("bkt")
		return g.serve("GET", "/bkt?location", "")
	}},
	{"GetBucketLocationEU", 200, func(g *goldenServer) *httptest.ResponseRecorder {
		g.must("PUT", "/eu-bkt", `<CreateBucketConfiguration><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>`)
		return g.serve("GET", "/eu-bkt?location", "")
	}},
	{"GetBucketVersioning", 200, func(g *goldenServer) *httptest.ResponseRecorder {
		g.objects("bkt")
		return g.serve("GET", "/bkt?versioning", "")
	}},
	{"GetObjectTagging", 200, func(g *goldenServer) *httptest.ResponseRecorder {
		g.objects("bkt", "k")
		return g.serve("GET", "/bkt/k?tagging", "")
	}},
	{"ErrorNoSuchBucket", 404, func(g *goldenServer) *httptest.ResponseRecorder {
		return g.serve("GET", "/missing?list-type=2", "")
	}},
	{"ErrorNoSuchKey", 404, func(g *goldenServer) *httptest.ResponseRecorder {
		g.objects("bkt")
		return g.serve("GET", "/bkt/missing", "")
	}},
	{"ErrorInvalidPart", 400, func(g *goldenServer) *httptest.ResponseRecorder {
		g.objects("bkt")
		id := g.upload("bkt", "big")
		g.must("PUT", "/bkt/big?partNumber=1&uploadId="+id, "other")
		return g.serve("POST", "/bkt/big?uploadId="+id, completeTwoParts)
	}},
	{"ErrorNoSuchUpload", 404, func(g *goldenServer) *httptest.ResponseRecorder {
		g.objects("bkt")
		return g.serve("GET", "/bkt/k?uploadId=nope", "")
	}},
	{"ErrorBucketNotEmpty", 409, func(g *goldenServer) *httptest.ResponseRecorder {
		g.objects("bkt", "k")
		return g.serve("DELETE", "/bkt", "")
	}},
	{"ErrorInvalidBucketName", 400, func(g *goldenServer) *httptest.ResponseRecorder {
		return g.serve("PUT", "/Bad_Name", "")
	}},
	{"ErrorMalformedXML", 400, func(g *goldenServer) *httptest.ResponseRecorder {
		g.objects("bkt")
		return g.serve("POST", "/bkt?delete", "<Delete>")
	}},
	{"ErrorPreconditionFailed", 412, func(g *goldenServer) *httptest.ResponseRecorder {
		g.objects("bkt", "k")
		return g.serve("PUT", "/bkt/k", "new", "If-None-Match", "*")
	}},
	{"ErrorNotImplemented", 501, func(g *goldenServer) *httptest.ResponseRecorder {
		g.objects("bkt")
		return g.serve("PUT", "/bkt?notification", "")
	}},
	{"ErrorKeyTooLong", 400, func(g *goldenServer) *httptest.ResponseRecorder {
		g.objects("bkt")
		return g.serve("PUT", "/bkt/"+strings.Repeat("k", 1025), "x")
	}},
}

// TestGolden checks each response body the gateway writes against its
// golden file; go test -run Golden -update rewrites them.
func TestGolden(t *testing.T) {
	for _, tt := range goldenCases {
		t.Run(tt.name, func(t *testing.T) {
			w := tt.serve(newGoldenServer(t))
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
	for _, tt := range goldenCases {
		a := tt.serve(newGoldenServer(t)).Body.String()
		b := tt.serve(newGoldenServer(t)).Body.String()
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
