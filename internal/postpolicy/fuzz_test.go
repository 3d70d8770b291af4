package postpolicy

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/mocks3/mocks3/internal/s3err"
)

// FuzzParse feeds policy documents to Parse and Check: every outcome is a
// policy or an S3 error, never a panic, and a parsed policy checks any
// form without one.
func FuzzParse(f *testing.F) {
	for _, doc := range []string{
		`{"expiration": "2030-01-01T00:00:00Z", "conditions": [{"bucket": "b"}, ["starts-with", "$key", ""], ["content-length-range", 0, 10]]}`,
		`{"expiration": "2030-01-01T00:00:00.000Z", "conditions": [["eq", "$acl", "private"], ["content-length-range", "1", "x"]]}`,
		`{"expiration": 1, "conditions": {}}`,
		`{"conditions": [[], {}, "x", ["EQ", 1, 2], ["content-length-range", -1, 0.5]]}`,
		`[]`, `null`, ``,
	} {
		f.Add(encode(doc))
	}
	f.Add(awsExamplePolicy)
	f.Add("{policy}")
	f.Fuzz(func(t *testing.T, encoded string) {
		p, err := Parse(encoded)
		if err != nil {
			var e *s3err.Error
			if !errors.As(err, &e) || e.Code != s3err.InvalidPolicyDocument {
				t.Fatalf("Parse() = %v, want InvalidPolicyDocument", err)
			}
			return
		}
		form := &Form{Fields: []Field{{"key", "k"}, {"Content-Type", "a,b"}, {"acl", "private"}}}
		for _, err := range []error{p.Check(form, "b", time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)), p.CheckSize(5)} {
			var e *s3err.Error
			if err != nil && !errors.As(err, &e) {
				t.Fatalf("Check() = %v, want an S3 error", err)
			}
		}
	})
}

// FuzzReadForm feeds bodies to ReadForm: it answers with a form or an S3
// error, never a panic, keeps to the 20 KB before the file, and reading
// the file ends.
func FuzzReadForm(f *testing.F) {
	f.Add([]byte(buildForm(f, []part{{name: "key", value: "k/${filename}"}, {name: "file", value: "x", file: filename("a.txt")}}, true)))
	f.Add([]byte(buildForm(f, []part{{name: "key", value: "k"}}, false)))
	f.Add([]byte("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc\r\n--" + boundary + "--\r\n"))
	f.Add([]byte("--" + boundary + "\r\n\r\n\r\n--" + boundary + "--"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, body []byte) {
		form, err := ReadForm(formType, bytes.NewReader(body))
		if err != nil {
			var e *s3err.Error
			if !errors.As(err, &e) {
				t.Fatalf("ReadForm() = %v, want an S3 error", err)
			}
			return
		}
		size := 0
		for _, fd := range form.Fields {
			size += len(fd.Name) + len(fd.Value)
		}
		// ${filename} may lengthen values; without it the limit holds.
		if !form.HasFileName && size > MaxFieldBytes {
			t.Fatalf("fields of %d bytes accepted", size)
		}
		if _, err := io.Copy(io.Discard, form.File); err != nil {
			var e *s3err.Error
			if !errors.As(err, &e) {
				t.Fatalf("reading the file = %v, want an S3 error", err)
			}
		}
	})
}
