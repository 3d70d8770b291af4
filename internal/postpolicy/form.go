package postpolicy

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"strconv"
	"strings"

	"github.com/mocks3/mocks3/internal/s3err"
)

// MaxFieldBytes is how much the fields before the file may hold, names
// and values together: S3's 20 KB.
const MaxFieldBytes = 20 << 10

// Field is a form field before the file, its name as sent.
type Field struct {
	Name, Value string
}

// Form is a POST Object form read up to its file part. Fields after the
// file are never read: S3 ignores them.
type Form struct {
	// Fields are the fields before the file, in order, with ${filename}
	// replaced when the file part names a file.
	Fields []Field
	// File is the file part's content, to be read once.
	File io.Reader
	// FileName is the file's name without its directories ("" if the part
	// gives none), and HasFileName whether the part gives one at all.
	FileName    string
	HasFileName bool
}

// Get returns the first field named name, in any case.
func (f *Form) Get(name string) (string, bool) {
	for _, fd := range f.Fields {
		if strings.EqualFold(fd.Name, name) {
			return fd.Value, true
		}
	}
	return "", false
}

// MalformedPOST is S3's error for a body that is not multipart/form-data.
func MalformedPOST() *s3err.Error {
	return &s3err.Error{Code: s3err.MalformedPOSTRequest}
}

// ReadForm reads a POST Object request body of the given Content-Type up to
// the start of its file part. The file's bytes stay in the body, for the
// caller to stream from Form.File.
func ReadForm(contentType string, body io.Reader) (*Form, error) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || !strings.EqualFold(mt, "multipart/form-data") {
		return nil, &s3err.Error{Code: s3err.PreconditionFailed,
			Extra: []s3err.ExtraElement{{Name: "Condition", Value: "Bucket POST must be of the enclosure-type multipart/form-data"}}}
	}
	boundary := params["boundary"]
	if boundary == "" {
		return nil, MalformedPOST()
	}
	mr := multipart.NewReader(body, boundary)
	form := &Form{}
	size := 0
	for {
		part, err := mr.NextPart()
		if err == io.EOF { // the closing boundary, and no file before it
			return nil, &s3err.Error{Code: s3err.InvalidArgument, Message: "POST requires exactly one file upload per request.",
				Extra: []s3err.ExtraElement{{Name: "ArgumentName", Value: "file"}, {Name: "ArgumentValue", Value: "0"}}}
		}
		if err != nil {
			return nil, MalformedPOST()
		}
		name := part.FormName()
		if strings.EqualFold(name, "file") {
			form.FileName, form.HasFileName = fileName(part)
			form.File = &partReader{part: part}
			if form.HasFileName {
				for i := range form.Fields {
					form.Fields[i].Value = strings.ReplaceAll(form.Fields[i].Value, "${filename}", form.FileName)
				}
			}
			return form, nil
		}
		size += len(name)
		limit := MaxFieldBytes - size
		value, err := io.ReadAll(io.LimitReader(part, int64(limit)+1))
		if err != nil {
			return nil, MalformedPOST()
		}
		size += len(value)
		if size > MaxFieldBytes {
			return nil, &s3err.Error{Code: s3err.MaxPostPreDataLengthExceeded,
				Extra: []s3err.ExtraElement{{Name: "MaxPostPreDataLengthBytes", Value: strconv.Itoa(MaxFieldBytes)}}}
		}
		if name == "" {
			continue // not a form-data part: nothing a condition could name
		}
		form.Fields = append(form.Fields, Field{Name: name, Value: string(value)})
	}
}

// fileName returns the file part's file name after its last slash or
// backslash (browsers may send a path), and whether it has one at all.
func fileName(part *multipart.Part) (string, bool) {
	_, params, err := mime.ParseMediaType(part.Header.Get("Content-Disposition"))
	if err != nil {
		return "", false
	}
	name, ok := params["filename"]
	if !ok {
		return "", false
	}
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	return name, true
}

// partReader reads the file part, reporting a body that ends before the
// part's closing boundary as malformed.
type partReader struct {
	part *multipart.Part
}

func (p *partReader) Read(b []byte) (int, error) {
	n, err := p.part.Read(b)
	if err != nil && err != io.EOF {
		var s3err *s3err.Error
		if !errors.As(err, &s3err) {
			err = MalformedPOST()
		}
	}
	return n, err
}
