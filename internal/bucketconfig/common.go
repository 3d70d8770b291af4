package bucketconfig

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"

	"github.com/mocks3/mocks3/internal/s3err"

	"github.com/mocks3/mocks3/s3api"
)

// Namespace is S3's XML namespace, declared on the root of every document
// Encode writes.
const Namespace = "http://s3.amazonaws.com/doc/2006-03-01/"

// MaxDocumentSize bounds the request bodies the parsers accept: room for
// a lifecycle configuration's 1,000 rules. S3 documents no limit but
// CORS's 64 KB.
const MaxDocumentSize = 1 << 20

// unknownXML catches child elements a document does not define: S3
// validates against its schema, so an element it does not know is
// MalformedXML, not silently dropped.
type unknownXML struct {
	XMLName xml.Name
}

// strictXML is embedded in every element the parsers read, to catch the
// children it does not define.
type strictXML struct {
	Unknown []unknownXML `xml:",any"`
}

// rootXML is embedded in every document's root element: the namespace,
// read as sent and written as S3's by encodeXML, and strictXML.
type rootXML struct {
	Xmlns string `xml:"xmlns,attr,omitempty"`
	strictXML
}

func (r *rootXML) setNamespace() { r.Xmlns = Namespace }

// document is a pointer to a root element.
type document interface{ setNamespace() }

func errorf(code s3api.ErrorCode, format string, args ...any) *s3err.Error {
	return &s3err.Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

func newError(code s3api.ErrorCode, extra ...s3err.ExtraElement) *s3err.Error {
	return &s3err.Error{Code: code, Extra: extra}
}

func malformedXML() *s3err.Error { return newError(s3err.MalformedXML) }

// invalidArgument is InvalidArgument naming the argument, as S3 writes it.
func invalidArgument(msg, name, value string) *s3err.Error {
	return &s3err.Error{Code: s3err.InvalidArgument, Message: msg, Extra: []s3err.ExtraElement{
		{Name: "ArgumentName", Value: name}, {Name: "ArgumentValue", Value: value}}}
}

// decodeXML decodes body into v, whose root element name its XMLName
// field fixes; the namespace may be S3's or none, as clients send both.
// A body that is not one well-formed document, or holds an element v
// does not define, is MalformedXML.
func decodeXML(body []byte, v any) error {
	if len(body) > MaxDocumentSize {
		return malformedXML()
	}
	d := xml.NewDecoder(bytes.NewReader(body))
	if err := d.Decode(v); err != nil {
		return malformedXML()
	}
	// Only white space, comments and processing instructions may follow.
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return malformedXML()
		}
		switch t := tok.(type) {
		case xml.CharData:
			if len(bytes.TrimSpace(t)) != 0 {
				return malformedXML()
			}
		case xml.Comment, xml.ProcInst:
		default:
			return malformedXML()
		}
	}
	if hasUnknown(reflect.ValueOf(v)) {
		return malformedXML()
	}
	return nil
}

var unknownType = reflect.TypeFor[[]unknownXML]()

// hasUnknown reports whether any []unknownXML field reachable from v
// caught an element.
func hasUnknown(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer:
		return !v.IsNil() && hasUnknown(v.Elem())
	case reflect.Slice:
		if v.Type() == unknownType {
			return v.Len() > 0
		}
		for i := range v.Len() {
			if hasUnknown(v.Index(i)) {
				return true
			}
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if hasUnknown(v.Field(i)) {
				return true
			}
		}
	}
	return false
}

// encodeXML writes doc in S3's namespace with the XML declaration, as
// S3's responses carry it.
func encodeXML(doc document) []byte {
	doc.setNamespace()
	b, err := xml.Marshal(doc)
	if err != nil {
		// The types marshalled here are fixed structs of strings, so
		// this is a bug, not bad input.
		panic("bucketconfig: " + err.Error())
	}
	return append([]byte(xml.Header), b...)
}

// parseBool reads an XML Schema boolean.
func parseBool(s string) (bool, bool) {
	switch strings.TrimSpace(s) {
	case "true", "1":
		return true, true
	case "false", "0":
		return false, true
	}
	return false, false
}

// parseInt reads an XML Schema integer: optional sign, decimal digits,
// surrounding white space collapsed.
func parseInt(s string) (int64, bool) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	return n, err == nil
}
