package postpolicy

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/textproto"
	"strings"
	"testing"

	"github.com/mocks3/mocks3/internal/s3err"

	"github.com/mocks3/mocks3/s3api"
)

const boundary = "post-object-test"

const formType = "multipart/form-data; boundary=" + boundary

// part is one part of a test form; file marks a part with a filename
// parameter.
type part struct {
	name, value string
	file        *string
}

func filename(s string) *string { return &s }

func buildForm(t testing.TB, parts []part, closed bool) []byte {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	if err := w.SetBoundary(boundary); err != nil {
		t.Fatal(err)
	}
	for _, p := range parts {
		h := textproto.MIMEHeader{}
		cd := `form-data; name="` + p.name + `"`
		if p.file != nil {
			cd += `; filename="` + *p.file + `"`
		}
		h.Set("Content-Disposition", cd)
		pw, err := w.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(pw, p.value)
	}
	if closed {
		w.Close()
	}
	return b.Bytes()
}

func TestReadForm(t *testing.T) {
	body := buildForm(t, []part{
		{name: "Key", value: "in/${filename}"},
		{name: "x-amz-meta-names", value: "${filename},${filename}"},
		{name: "FILE", value: "content", file: filename(`C:\Users\me\report.pdf`)},
		{name: "acl", value: "after the file"},
	}, true)
	form, err := ReadForm(formType, bytes.NewReader(body))
	if err != nil {
		t.Fatalf("ReadForm() = %v", err)
	}
	if !form.HasFileName || form.FileName != "report.pdf" {
		t.Errorf("FileName = %q, %v; want report.pdf, true", form.FileName, form.HasFileName)
	}
	if key, _ := form.Get("key"); key != "in/report.pdf" {
		t.Errorf(`Get("key") = %q, want in/report.pdf`, key)
	}
	if names, _ := form.Get("X-Amz-Meta-Names"); names != "report.pdf,report.pdf" {
		t.Errorf("x-amz-meta-names = %q, want report.pdf,report.pdf", names)
	}
	if _, ok := form.Get("acl"); ok {
		t.Error("a field after the file was read")
	}
	content, err := io.ReadAll(form.File)
	if err != nil || string(content) != "content" {
		t.Errorf("file = %q, %v; want content", content, err)
	}
}

func TestReadFormFileName(t *testing.T) {
	tests := []struct {
		name    string
		file    *string
		wantKey string
	}{
		{"a path with slashes", filename("a/b/c.txt"), "k/c.txt"},
		{"an empty name", filename(""), "k/"},
		{"no filename parameter: kept literally", nil, "k/${filename}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := buildForm(t, []part{{name: "key", value: "k/${filename}"}, {name: "file", value: "x", file: tt.file}}, true)
			form, err := ReadForm(formType, bytes.NewReader(body))
			if err != nil {
				t.Fatalf("ReadForm() = %v", err)
			}
			if key, _ := form.Get("key"); key != tt.wantKey {
				t.Errorf("key = %q, want %q", key, tt.wantKey)
			}
		})
	}
}

func TestReadFormErrors(t *testing.T) {
	ok := buildForm(t, []part{{name: "key", value: "k"}, {name: "file", value: "x"}}, true)
	tests := []struct {
		name        string
		contentType string
		body        []byte
		wantCode    s3api.ErrorCode
		wantMsg     string
	}{
		{"url-encoded", "application/x-www-form-urlencoded", []byte("key=k"), s3err.PreconditionFailed, ""},
		{"multipart/mixed", "multipart/mixed; boundary=" + boundary, ok, s3err.PreconditionFailed, ""},
		{"no content type", "", ok, s3err.PreconditionFailed, ""},
		{"no boundary", "multipart/form-data", ok, s3err.MalformedPOSTRequest, "The body of your POST request is not well-formed multipart/form-data."},
		{"not multipart", formType, []byte("key=k&file=x"), s3err.MalformedPOSTRequest, ""},
		{"empty body", formType, nil, s3err.MalformedPOSTRequest, ""},
		{"not closed before the file", formType, buildForm(t, []part{{name: "key", value: "k"}}, false), s3err.MalformedPOSTRequest, ""},
		{"no file", formType, buildForm(t, []part{{name: "key", value: "k"}}, true), s3err.InvalidArgument, "POST requires exactly one file upload per request."},
		{"fields over 20 KB", formType, buildForm(t, []part{{name: "x-ignore-a", value: strings.Repeat("a", MaxFieldBytes)}, {name: "file", value: "x"}}, true),
			s3err.MaxPostPreDataLengthExceeded, "Your POST request fields preceeding the upload file was too large."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form, err := ReadForm(tt.contentType, bytes.NewReader(tt.body))
			if err == nil {
				t.Fatalf("ReadForm() = %+v, want %s", form, tt.wantCode)
			}
			wantError(t, err, tt.wantCode, tt.wantMsg)
			if tt.wantCode.Status() != err.(*s3err.Error).Code.Status() {
				t.Errorf("status = %d", err.(*s3err.Error).Code.Status())
			}
		})
	}
}

func TestReadFormTruncatedFile(t *testing.T) {
	body := buildForm(t, []part{{name: "key", value: "k"}, {name: "file", value: strings.Repeat("x", 100)}}, false)
	form, err := ReadForm(formType, bytes.NewReader(body[:len(body)-10]))
	if err != nil {
		t.Fatalf("ReadForm() = %v", err)
	}
	_, err = io.ReadAll(form.File)
	wantError(t, err, s3err.MalformedPOSTRequest, "")
}

func TestReadFormStreamsTheFile(t *testing.T) {
	// A file larger than any buffer: ReadForm must return before it has
	// read it, and the caller streams it.
	big := strings.Repeat("0123456789", 1<<16)
	body := buildForm(t, []part{{name: "key", value: "k"}, {name: "file", value: big}}, true)
	r := &countingReader{r: bytes.NewReader(body)}
	form, err := ReadForm(formType, r)
	if err != nil {
		t.Fatalf("ReadForm() = %v", err)
	}
	if r.n >= int64(len(big)) {
		t.Errorf("ReadForm read %d bytes of a %d-byte body before returning", r.n, len(body))
	}
	n, err := io.Copy(io.Discard, form.File)
	if err != nil || n != int64(len(big)) {
		t.Errorf("file = %d bytes, %v; want %d", n, err, len(big))
	}
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
