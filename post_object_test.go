package mocks3_test

// POST Object: browser-form uploads, sent as a browser sends them (a plain
// multipart/form-data request), read back through the SDK client.

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/mocks3/mocks3"
	"github.com/mocks3/mocks3/faults"
	"github.com/mocks3/mocks3/s3api"
)

// postFile is the file part of a form; a nil name sends no filename.
type postFile struct {
	name *string
	data []byte
}

func named(name string, data []byte) postFile { return postFile{name: &name, data: data} }

// field is a form field; fields keep their order, as a browser sends them.
type field struct{ name, value string }

// postForm POSTs fields, the file, then after (which S3 ignores) to path as
// multipart/form-data, and returns the response without following a
// redirect, its body read.
func postForm(t *testing.T, srv *mocks3.Server, path string, fields []field, file postFile, after ...field) (*http.Response, []byte) {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for _, f := range fields {
		w.WriteField(f.name, f.value)
	}
	h := textproto.MIMEHeader{}
	cd := `form-data; name="file"`
	if file.name != nil {
		cd += `; filename="` + *file.name + `"`
	}
	h.Set("Content-Disposition", cd)
	h.Set("Content-Type", "application/x-test") // not what S3 stores
	pw, err := w.CreatePart(h)
	if err != nil {
		t.Fatal(err)
	}
	pw.Write(file.data)
	for _, f := range after {
		w.WriteField(f.name, f.value)
	}
	w.Close()
	return postRaw(t, srv, path, w.FormDataContentType(), body.Bytes())
}

func postRaw(t *testing.T, srv *mocks3.Server, path, contentType string, body []byte) (*http.Response, []byte) {
	t.Helper()
	return postHost(t, srv, "", path, contentType, body)
}

// postHost is postRaw with the Host header set to host, if not empty.
func postHost(t *testing.T, srv *mocks3.Server, host, path, contentType string, body []byte) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if host != "" {
		req.Host = host
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	hc := *srv.HTTPClient()
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return doRequest(t, &hc, req)
}

// encodePolicy returns the policy field for a document expiring at exp.
func encodePolicy(t *testing.T, exp time.Time, conditions ...any) string {
	t.Helper()
	doc, err := json.Marshal(map[string]any{"expiration": exp.UTC().Format("2006-01-02T15:04:05.000Z"), "conditions": conditions})
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(doc)
}

// postError is an S3 error body with the extra elements POST errors carry.
type postError struct {
	Code, Message                          string
	ArgumentName, ArgumentValue, Condition string
	Extra                                  []struct {
		XMLName xml.Name
		Value   string `xml:",chardata"`
	} `xml:",any"`
}

func (e postError) get(name string) string {
	for _, x := range e.Extra {
		if x.XMLName.Local == name {
			return x.Value
		}
	}
	return ""
}

// wantPostError checks that resp is the S3 error code with message msg
// (unless empty) and the extra elements given as name, value pairs.
func wantPostError(t *testing.T, resp *http.Response, body []byte, code s3api.ErrorCode, msg string, extras ...string) {
	t.Helper()
	if resp.StatusCode != code.Status() {
		t.Errorf("status = %d, want %d (%s): %s", resp.StatusCode, code.Status(), code, body)
	}
	var e postError
	if err := xml.Unmarshal(body, &e); err != nil {
		t.Fatalf("error body %q: %v", body, err)
	}
	if e.Code != string(code) || (msg != "" && e.Message != msg) {
		t.Errorf("error = %s %q, want %s %q", e.Code, e.Message, code, msg)
	}
	for i := 0; i+1 < len(extras); i += 2 {
		got := e.get(extras[i])
		switch extras[i] {
		case "ArgumentName":
			got = e.ArgumentName
		case "ArgumentValue":
			got = e.ArgumentValue
		case "Condition":
			got = e.Condition
		}
		if got != extras[i+1] {
			t.Errorf("error element %s = %q, want %q", extras[i], got, extras[i+1])
		}
	}
}

func TestPostObjectUpload(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		srv := newServer(t, mocks3.WithBucket(testBucket))
		data := testData(300<<10, 9)
		sum := checksumOf(types.ChecksumAlgorithmSha256, data)
		policy := encodePolicy(t, time.Now().Add(time.Hour),
			map[string]string{"bucket": testBucket},
			[]string{"starts-with", "$key", "uploads/"},
			[]string{"starts-with", "$Content-Type", "image/"},
			map[string]string{"Cache-Control": "max-age=60"},
			[]string{"eq", "$x-amz-meta-color", "green"},
			map[string]string{"x-amz-checksum-sha256": sum},
			[]any{"content-length-range", 1, 1 << 20},
		)
		resp, body := postForm(t, srv, "/"+testBucket, []field{
			{"key", "uploads/${filename}"}, {"Content-Type", "image/png"}, {"Cache-Control", "max-age=60"},
			{"x-amz-meta-color", "green"}, {"x-amz-checksum-sha256", sum}, {"policy", policy},
			{"x-ignore-submit", "Upload"},
		}, named(`C:\photos\cat.png`, data), field{"acl", "ignored after the file"})
		if resp.StatusCode != http.StatusNoContent || len(body) != 0 {
			t.Fatalf("POST = %d %q, want 204 and no body", resp.StatusCode, body)
		}
		if got := resp.Header.Get("ETag"); got != etagOf(data) {
			t.Errorf("ETag = %s, want %s", got, etagOf(data))
		}
		if got, want := resp.Header.Get("Location"), srv.URL+"/"+testBucket+"/uploads%2Fcat.png"; got != want {
			t.Errorf("Location = %s, want %s", got, want)
		}

		out, got := mustGet(t, srv.Client(), testBucket, "uploads/cat.png", func(in *s3.GetObjectInput) {
			in.ChecksumMode = types.ChecksumModeEnabled
		})
		if !bytes.Equal(got, data) {
			t.Errorf("GetObject body = %d bytes, want the %d uploaded", len(got), len(data))
		}
		if aws.ToString(out.ContentType) != "image/png" || aws.ToString(out.CacheControl) != "max-age=60" ||
			out.Metadata["color"] != "green" || aws.ToString(out.ChecksumSHA256) != sum || aws.ToString(out.ETag) != etagOf(data) {
			t.Errorf("GetObject = type %q, cache %q, meta %v, sha256 %q, etag %q; want image/png, max-age=60, color=green, %s, %s",
				aws.ToString(out.ContentType), aws.ToString(out.CacheControl), out.Metadata, aws.ToString(out.ChecksumSHA256),
				aws.ToString(out.ETag), sum, etagOf(data))
		}
		if err := srv.WaitRequests(t.Context()); err != nil {
			t.Fatal(err)
		}
		records := srv.Requests()
		found := false
		for _, r := range records {
			if r.Operation == "PostObject" && r.Key == "uploads/cat.png" && r.Status == http.StatusNoContent {
				found = true
			}
		}
		if !found {
			t.Errorf("no PostObject record of uploads/cat.png with 204 in %+v", records)
		}
	})
}

func TestPostObjectWithoutPolicy(t *testing.T) {
	srv := mocks3.New(t, mocks3.WithBucket(testBucket))
	// Without authentication a form needs no policy; its fields are stored.
	resp, body := postForm(t, srv, "/"+testBucket, []field{{"KEY", "plain"}, {"x-amz-meta-Mixed-Case", "v"}}, postFile{data: []byte("abc")})
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("POST = %d %s, want 204", resp.StatusCode, body)
	}
	out, got := mustGet(t, srv.Client(), testBucket, "plain")
	if string(got) != "abc" || aws.ToString(out.ContentType) != "binary/octet-stream" || out.Metadata["mixed-case"] != "v" {
		t.Errorf("GetObject = %q, type %q, meta %v; want abc, binary/octet-stream, mixed-case=v", got, aws.ToString(out.ContentType), out.Metadata)
	}
}

func TestPostObjectPolicyViolations(t *testing.T) {
	now := time.Date(2030, 5, 6, 7, 8, 9, 0, time.UTC)
	data := []byte("0123456789")
	tests := []struct {
		name       string
		expiration time.Time // default an hour after now
		conditions []any     // in addition to bucket and key
		fields     []field   // in addition to key
		bucket     string    // the bucket condition; default testBucket
		code       s3api.ErrorCode
		msg        string
		extras     []string
	}{
		{name: "expired", expiration: now.Add(-time.Second),
			code: "AccessDenied", msg: "Invalid according to Policy: Policy expired."},
		{name: "expires now", expiration: now,
			code: "AccessDenied", msg: "Invalid according to Policy: Policy expired."},
		{name: "eq fails", conditions: []any{[]string{"eq", "$acl", "private"}}, fields: []field{{"acl", "public-read"}},
			code: "AccessDenied", msg: `Invalid according to Policy: Policy Condition failed: ["eq", "$acl", "private"]`},
		{name: "starts-with fails", conditions: []any{[]string{"starts-with", "$Content-Type", "image/"}}, fields: []field{{"Content-Type", "text/html"}},
			code: "AccessDenied", msg: `Invalid according to Policy: Policy Condition failed: ["starts-with", "$Content-Type", "image/"]`},
		{name: "a condition on a field the form lacks", conditions: []any{map[string]string{"x-amz-meta-owner": "me"}},
			code: "AccessDenied", msg: `Invalid according to Policy: Policy Condition failed: ["eq", "$x-amz-meta-owner", "me"]`},
		{name: "another bucket", bucket: "other-bucket",
			code: "AccessDenied", msg: `Invalid according to Policy: Policy Condition failed: ["eq", "$bucket", "other-bucket"]`},
		{name: "a field no condition names", fields: []field{{"x-amz-meta-note", "hi"}},
			code: "AccessDenied", msg: "Invalid according to Policy: Extra input fields: x-amz-meta-note"},
		{name: "too large", conditions: []any{[]any{"content-length-range", 0, 9}},
			code: "EntityTooLarge", msg: "Your proposed upload exceeds the maximum allowed size", extras: []string{"ProposedSize", "10", "MaxSizeAllowed", "9"}},
		{name: "too small", conditions: []any{[]any{"content-length-range", "11", "20"}},
			code: "EntityTooSmall", msg: "Your proposed upload is smaller than the minimum allowed size", extras: []string{"ProposedSize", "10", "MinSizeAllowed", "11"}},
		{name: "a range bound that is not a number", conditions: []any{[]any{"content-length-range", "ten", 20}},
			code: "AccessDenied", msg: `Invalid according to Policy: Policy Condition failed: ["content-length-range", "ten", 20]`},
		{name: "a malformed condition", conditions: []any{map[string]string{}},
			code: "InvalidPolicyDocument", msg: "Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have exactly one property specified."},
		{name: "a checksum of other bytes", conditions: []any{[]string{"starts-with", "$x-amz-checksum-crc32", ""}},
			fields: []field{{"x-amz-checksum-crc32", checksumOf(types.ChecksumAlgorithmCrc32, []byte("other"))}},
			code:   "BadDigest", msg: "The CRC32 you specified did not match the calculated checksum."},
	}
	srv := mocks3.New(t, mocks3.WithBucket(testBucket), mocks3.WithClock(func() time.Time { return now }))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			exp := tt.expiration
			if exp.IsZero() {
				exp = now.Add(time.Hour)
			}
			bucket := tt.bucket
			if bucket == "" {
				bucket = testBucket
			}
			conds := append([]any{map[string]string{"bucket": bucket}, []string{"starts-with", "$key", "k/"}}, tt.conditions...)
			fields := append([]field{{"key", "k/" + tt.name}}, tt.fields...)
			fields = append(fields, field{"policy", encodePolicy(t, exp, conds...)})
			resp, body := postForm(t, srv, "/"+testBucket, fields, named("f.txt", data))
			wantPostError(t, resp, body, tt.code, tt.msg, tt.extras...)
			_, err := srv.Client().HeadObject(t.Context(), &s3.HeadObjectInput{Bucket: aws.String(testBucket), Key: aws.String("k/" + tt.name)})
			checkErr(t, "HeadObject after a refused POST", err, "NotFound", http.StatusNotFound)
		})
	}
}

func TestPostObjectExpiresOnServerClock(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	srv := mocks3.New(t, mocks3.WithBucket(testBucket), mocks3.WithClock(func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return now
	}))
	policy := encodePolicy(t, now.Add(time.Minute), map[string]string{"bucket": testBucket}, map[string]string{"key": "k"})
	fields := []field{{"key", "k"}, {"policy", policy}}
	if resp, body := postForm(t, srv, "/"+testBucket, fields, postFile{data: []byte("x")}); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("POST before expiration = %d %s, want 204", resp.StatusCode, body)
	}
	mu.Lock()
	now = now.Add(2 * time.Minute)
	mu.Unlock()
	resp, body := postForm(t, srv, "/"+testBucket, fields, postFile{data: []byte("x")})
	wantPostError(t, resp, body, "AccessDenied", "Invalid according to Policy: Policy expired.")
}

func TestPostObjectResponses(t *testing.T) {
	data := []byte("abc")
	etag := etagOf(data)
	tests := []struct {
		name     string
		fields   []field
		status   int
		redirect string // the expected Location of a 303, before its query
		document bool   // a PostResponse body
	}{
		{name: "default", status: http.StatusNoContent},
		{name: "status 200", fields: []field{{"success_action_status", "200"}}, status: http.StatusOK},
		{name: "status 201", fields: []field{{"success_action_status", "201"}}, status: http.StatusCreated, document: true},
		{name: "status 204", fields: []field{{"success_action_status", "204"}}, status: http.StatusNoContent},
		{name: "a status S3 does not have", fields: []field{{"success_action_status", "404"}}, status: http.StatusNoContent},
		{name: "redirect", fields: []field{{"success_action_redirect", "https://example.com/done"}}, status: http.StatusSeeOther,
			redirect: "https://example.com/done?"},
		{name: "redirect with a query", fields: []field{{"success_action_redirect", "http://example.com/?a=b"}}, status: http.StatusSeeOther,
			redirect: "http://example.com/?a=b&"},
		{name: "the old redirect field", fields: []field{{"redirect", "http://example.com/old"}, {"success_action_status", "201"}},
			status: http.StatusSeeOther, redirect: "http://example.com/old?"},
		{name: "a relative redirect", fields: []field{{"success_action_redirect", "/done"}, {"success_action_status", "201"}},
			status: http.StatusCreated, document: true},
		{name: "a redirect that is not HTTP", fields: []field{{"success_action_redirect", "ftp://example.com/"}}, status: http.StatusNoContent},
	}
	srv := mocks3.New(t, mocks3.WithBucket(testBucket))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key := "dir/" + tt.name
			resp, body := postForm(t, srv, "/"+testBucket, append([]field{{"key", key}}, tt.fields...), postFile{data: data})
			if resp.StatusCode != tt.status {
				t.Fatalf("POST = %d %s, want %d", resp.StatusCode, body, tt.status)
			}
			if got := resp.Header.Get("ETag"); got != etag {
				t.Errorf("ETag = %s, want %s", got, etag)
			}
			location := srv.URL + "/" + testBucket + "/" + url.PathEscape(key)
			if tt.redirect != "" {
				location = tt.redirect + "bucket=" + testBucket + "&key=" + url.QueryEscape(key) + "&etag=%22" + md5Hex(data) + "%22"
			}
			if got := resp.Header.Get("Location"); got != location {
				t.Errorf("Location = %s, want %s", got, location)
			}
			if !tt.document {
				if len(body) != 0 {
					t.Errorf("body = %q, want none", body)
				}
				return
			}
			var doc struct {
				XMLName                     xml.Name `xml:"PostResponse"`
				Location, Bucket, Key, ETag string
			}
			if err := xml.Unmarshal(body, &doc); err != nil {
				t.Fatalf("201 body %q: %v", body, err)
			}
			if doc.Location != location || doc.Bucket != testBucket || doc.Key != key || doc.ETag != etag {
				t.Errorf("PostResponse = %+v, want %s %s %s %s", doc, location, testBucket, key, etag)
			}
			if got := resp.Header.Get("Content-Type"); got != "application/xml" {
				t.Errorf("Content-Type = %s, want application/xml", got)
			}
		})
	}
}

func TestPostObjectMalformed(t *testing.T) {
	form := func(fields ...field) (string, []byte) {
		var b bytes.Buffer
		w := multipart.NewWriter(&b)
		for _, f := range fields {
			if f.name == "file" {
				fw, _ := w.CreateFormFile("file", "f.txt")
				io.WriteString(fw, f.value)
				continue
			}
			w.WriteField(f.name, f.value)
		}
		w.Close()
		return w.FormDataContentType(), b.Bytes()
	}
	okType, okBody := form(field{"key", "k"}, field{"file", "x"})
	tests := []struct {
		name        string
		path        string // default the bucket
		contentType string
		body        []byte
		code        s3api.ErrorCode
		msg         string
		extras      []string
	}{
		{name: "url-encoded", contentType: "application/x-www-form-urlencoded", body: []byte("key=k&file=x"),
			code: "PreconditionFailed", msg: "At least one of the pre-conditions you specified did not hold",
			extras: []string{"Condition", "Bucket POST must be of the enclosure-type multipart/form-data"}},
		{name: "no content type", body: okBody, code: "PreconditionFailed"},
		{name: "no boundary", contentType: "multipart/form-data", body: okBody,
			code: "MalformedPOSTRequest", msg: "The body of your POST request is not well-formed multipart/form-data."},
		{name: "not multipart", contentType: okType, body: []byte("key=k"), code: "MalformedPOSTRequest"},
		{name: "no file", code: "InvalidArgument", msg: "POST requires exactly one file upload per request.",
			extras: []string{"ArgumentName", "file", "ArgumentValue", "0"}},
		{name: "no key", code: "InvalidArgument",
			msg:    "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.",
			extras: []string{"ArgumentName", "key", "ArgumentValue", ""}},
		{name: "key after the file", code: "InvalidArgument", extras: []string{"ArgumentName", "key"}},
		{name: "empty key", code: "InvalidArgument", msg: "User key must have a length greater than 0."},
		{name: "long key", code: "KeyTooLongError", extras: []string{"Size", "1025", "MaxSizeAllowed", "1024"}},
		{name: "fields over 20 KB", code: "MaxPostPreDataLengthExceeded", extras: []string{"MaxPostPreDataLengthBytes", "20480"}},
		{name: "no such bucket", path: "/no-such-bucket", contentType: okType, body: okBody, code: "NoSuchBucket"},
		{name: "a policy that is not JSON", code: "InvalidPolicyDocument", msg: "Invalid Policy: Invalid JSON."},
	}
	bodies := map[string][]field{
		"no file":                   {{"key", "k"}},
		"no key":                    {{"file", "x"}},
		"key after the file":        {{"file", "x"}, {"key", "k"}},
		"empty key":                 {{"key", ""}, {"file", "x"}},
		"long key":                  {{"key", strings.Repeat("k", 1025)}, {"file", "x"}},
		"fields over 20 KB":         {{"key", "k"}, {"x-ignore-pad", strings.Repeat("p", 20<<10)}, {"file", "x"}},
		"a policy that is not JSON": {{"key", "k"}, {"policy", base64.StdEncoding.EncodeToString([]byte("{expiration"))}, {"file", "x"}},
	}
	srv := mocks3.New(t, mocks3.WithBucket(testBucket))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ct, body := tt.contentType, tt.body
			if fields, ok := bodies[tt.name]; ok {
				ct, body = form(fields...)
			}
			path := tt.path
			if path == "" {
				path = "/" + testBucket
			}
			resp, b := postRaw(t, srv, path, ct, body)
			wantPostError(t, resp, b, tt.code, tt.msg, tt.extras...)
		})
	}
	keys, err := srv.Keys(testBucket, "")
	if err != nil || len(keys) != 0 {
		t.Errorf("Keys() = %v, %v; want none stored", keys, err)
	}
}

func TestPostObjectVirtualHosted(t *testing.T) {
	srv := mocks3.New(t, mocks3.WithBucket(testBucket))
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	host := testBucket + ".localhost:" + u.Port()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	w.WriteField("key", "a/b c")
	w.WriteField("success_action_status", "201")
	fw, _ := w.CreateFormFile("file", "f")
	io.WriteString(fw, "vhost")
	w.Close()
	resp, body := postHost(t, srv, host, "/", w.FormDataContentType(), b.Bytes())
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST / on %s = %d %s, want 201", host, resp.StatusCode, body)
	}
	if got, want := resp.Header.Get("Location"), "http://"+host+"/a%2Fb%20c"; got != want {
		t.Errorf("Location = %s, want %s", got, want)
	}
	if _, got := mustGet(t, srv.Client(), testBucket, "a/b c"); string(got) != "vhost" {
		t.Errorf("GetObject(a/b c) = %q, want vhost", got)
	}
}

func TestPostObjectProperties(t *testing.T) {
	data := []byte("content")
	sha := checksumOf(types.ChecksumAlgorithmSha256, data)
	crc := checksumOf(types.ChecksumAlgorithmCrc32, data)
	tests := []struct {
		name   string
		fields []field
		want   func(t *testing.T, out *s3.HeadObjectOutput)
		code   s3api.ErrorCode // the error, if the upload fails
	}{
		{name: "content headers", fields: []field{{"Content-Type", "text/plain"}, {"Content-Disposition", "attachment"},
			{"Content-Encoding", "identity"}, {"Content-Language", "en"}, {"Expires", "Wed, 21 Oct 2037 07:28:00 GMT"}},
			want: func(t *testing.T, out *s3.HeadObjectOutput) {
				if aws.ToString(out.ContentType) != "text/plain" || aws.ToString(out.ContentDisposition) != "attachment" ||
					aws.ToString(out.ContentEncoding) != "identity" || aws.ToString(out.ContentLanguage) != "en" ||
					aws.ToString(out.ExpiresString) != "Wed, 21 Oct 2037 07:28:00 GMT" {
					t.Errorf("HeadObject = %q %q %q %q %q", aws.ToString(out.ContentType), aws.ToString(out.ContentDisposition),
						aws.ToString(out.ContentEncoding), aws.ToString(out.ContentLanguage), aws.ToString(out.ExpiresString))
				}
			}},
		{name: "a checksum", fields: []field{{"x-amz-checksum-sha256", sha}}, want: func(t *testing.T, out *s3.HeadObjectOutput) {
			if got := aws.ToString(out.ChecksumSHA256); got != sha {
				t.Errorf("ChecksumSHA256 = %q, want %q", got, sha)
			}
		}},
		{name: "an algorithm alone", fields: []field{{"x-amz-checksum-algorithm", "crc32"}}, want: func(t *testing.T, out *s3.HeadObjectOutput) {
			if got := aws.ToString(out.ChecksumCRC32); got != crc {
				t.Errorf("ChecksumCRC32 = %q, want %q", got, crc)
			}
		}},
		{name: "an algorithm with its checksum", fields: []field{{"x-amz-checksum-algorithm", "CRC32"}, {"x-amz-checksum-crc32", crc}},
			want: func(t *testing.T, out *s3.HeadObjectOutput) {
				if got := aws.ToString(out.ChecksumCRC32); got != crc {
					t.Errorf("ChecksumCRC32 = %q, want %q", got, crc)
				}
			}},
		{name: "no checksum: the default CRC64NVME", want: func(t *testing.T, out *s3.HeadObjectOutput) {
			if got, want := aws.ToString(out.ChecksumCRC64NVME), checksumOf(types.ChecksumAlgorithmCrc64nvme, data); got != want {
				t.Errorf("ChecksumCRC64NVME = %q, want %q", got, want)
			}
		}},
		{name: "storage class and website redirect", fields: []field{{"x-amz-storage-class", "STANDARD_IA"}, {"x-amz-website-redirect-location", "/other"}},
			want: func(t *testing.T, out *s3.HeadObjectOutput) {
				if out.StorageClass != types.StorageClassStandardIa || aws.ToString(out.WebsiteRedirectLocation) != "/other" {
					t.Errorf("HeadObject = class %q, redirect %q; want STANDARD_IA, /other", out.StorageClass, aws.ToString(out.WebsiteRedirectLocation))
				}
			}},
		{name: "a relative website redirect", fields: []field{{"x-amz-website-redirect-location", "other"}}, code: "InvalidRedirectLocation"},
		{name: "tags and a canned ACL", fields: []field{{"tagging", "<Tagging><TagSet><Tag><Key>a</Key><Value>1</Value></Tag></TagSet></Tagging>"},
			{"acl", "bucket-owner-full-control"}}, want: func(t *testing.T, out *s3.HeadObjectOutput) {
			if aws.ToInt32(out.TagCount) != 1 {
				t.Errorf("TagCount = %d, want 1", aws.ToInt32(out.TagCount))
			}
		}},
		{name: "tagging that is not XML", fields: []field{{"tagging", "a=1"}}, code: "MalformedXML"},
		{name: "an ACL S3 does not have", fields: []field{{"acl", "public"}}, code: "InvalidArgument"},
		{name: "an ACL the bucket's ownership refuses", fields: []field{{"acl", "public-read"}}, code: "AccessControlListNotSupported"},
		{name: "two checksums", fields: []field{{"x-amz-checksum-sha256", sha}, {"x-amz-checksum-crc32", crc}}, code: "InvalidRequest"},
		{name: "a checksum that is not a digest", fields: []field{{"x-amz-checksum-sha256", "sailorjerry"}}, code: "InvalidRequest"},
		{name: "another algorithm than the checksum's", fields: []field{{"x-amz-checksum-algorithm", "SHA1"}, {"x-amz-checksum-crc32", crc}},
			code: "InvalidRequest"},
		{name: "an unknown algorithm", fields: []field{{"x-amz-checksum-algorithm", "MD4"}}, code: "InvalidRequest"},
		{name: "an unknown storage class", fields: []field{{"x-amz-storage-class", "COLD"}}, code: "InvalidStorageClass"},
		{name: "metadata over 2 KB", fields: []field{{"x-amz-meta-large", strings.Repeat("m", 2048)}}, code: "MetadataTooLarge"},
	}
	srv := mocks3.New(t, mocks3.WithBucket(testBucket))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key := "p/" + tt.name
			resp, body := postForm(t, srv, "/"+testBucket, append([]field{{"key", key}}, tt.fields...), postFile{data: data})
			head, err := srv.Client().HeadObject(t.Context(), &s3.HeadObjectInput{Bucket: aws.String(testBucket), Key: aws.String(key),
				ChecksumMode: types.ChecksumModeEnabled})
			if tt.code != "" {
				wantPostError(t, resp, body, tt.code, "")
				checkErr(t, "HeadObject after a refused POST", err, "NotFound", http.StatusNotFound)
				return
			}
			if resp.StatusCode != http.StatusNoContent {
				t.Fatalf("POST = %d %s, want 204", resp.StatusCode, body)
			}
			if err != nil {
				t.Fatalf("HeadObject(%s) = %v", key, err)
			}
			tt.want(t, head)
		})
	}
}

func TestPostObjectFaultRule(t *testing.T) {
	srv := mocks3.New(t, mocks3.WithBucket(testBucket))
	srv.Faults().AddT(t, faults.Rule{Operation: "PostObject", Times: 1, Action: faults.ErrorCode("SlowDown")})
	fields := []field{{"key", "k"}}
	resp, body := postForm(t, srv, "/"+testBucket, fields, postFile{data: []byte("x")})
	wantPostError(t, resp, body, "SlowDown", "")
	if resp, body := postForm(t, srv, "/"+testBucket, fields, postFile{data: []byte("x")}); resp.StatusCode != http.StatusNoContent {
		t.Errorf("POST after the fault = %d %s, want 204", resp.StatusCode, body)
	}
}

func TestPostObjectNotification(t *testing.T) {
	var log eventLog
	srv := mocks3.New(t, mocks3.WithBucket(testBucket), mocks3.WithEvents(log.add))
	if err := putNotification(t, srv.Client(), &types.NotificationConfiguration{QueueConfigurations: []types.QueueConfiguration{
		{QueueArn: aws.String(queueARN), Events: []types.Event{types.EventS3ObjectCreated}}}}); err != nil {
		t.Fatalf("PutBucketNotificationConfiguration() = %v", err)
	}
	data := []byte("posted")
	if resp, body := postForm(t, srv, "/"+testBucket, []field{{"key", "form/upload"}}, postFile{data: data}); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("POST = %d %s, want 204", resp.StatusCode, body)
	}
	if err := srv.WaitIdle(t.Context()); err != nil {
		t.Fatal(err)
	}
	evs := log.sorted()
	if len(evs) != 1 || evs[0].Name != "ObjectCreated:Post" || evs[0].Key != "form/upload" || evs[0].Size != int64(len(data)) {
		t.Errorf("events = %+v, want one ObjectCreated:Post of form/upload, %d bytes", evs, len(data))
	}
}

func TestPostObjectVersioned(t *testing.T) {
	srv, c := startVersioned(t, embedded)
	var ids []string
	for _, body := range []string{"one", "two"} {
		resp, b := postForm(t, srv, "/"+testBucket, []field{{"key", "v"}}, postFile{data: []byte(body)})
		if resp.StatusCode != http.StatusNoContent || resp.Header.Get("x-amz-version-id") == "" {
			t.Fatalf("POST = %d %s, version %q; want 204 with a version ID", resp.StatusCode, b, resp.Header.Get("x-amz-version-id"))
		}
		ids = append(ids, resp.Header.Get("x-amz-version-id"))
	}
	out, err := c.ListObjectVersions(t.Context(), &s3.ListObjectVersionsInput{Bucket: aws.String(testBucket)})
	if err != nil {
		t.Fatalf("ListObjectVersions() = %v", err)
	}
	if len(out.Versions) != 2 || ids[0] == ids[1] {
		t.Errorf("versions = %d, IDs %v; want two distinct versions kept", len(out.Versions), ids)
	}
	if _, got := mustGet(t, c, testBucket, "v", func(in *s3.GetObjectInput) { in.VersionId = aws.String(ids[0]) }); string(got) != "one" {
		t.Errorf("GetObject(first version) = %q, want one", got)
	}
}
