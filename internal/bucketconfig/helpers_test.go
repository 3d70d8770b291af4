package bucketconfig

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mocks3/mocks3/internal/s3err"
	"github.com/mocks3/mocks3/s3api"
)

// xmlDoc is a document with root element root in S3's namespace.
func xmlDoc(root string, children ...string) string {
	return `<` + root + ` xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` + strings.Join(children, "") + `</` + root + `>`
}

// parseCase is a document given to a parser and what the parser must
// answer (see checkErr).
type parseCase struct {
	name     string
	body     string
	wantCode s3api.ErrorCode
	wantMsg  string
}

// checkParse parses body, fails unless the outcome is the one code and
// msg describe (see checkErr), and checks that a document that parses
// comes back the same from its encoding.
func checkParse[T any](t *testing.T, body string, code s3api.ErrorCode, msg string, parse func([]byte) (T, error), encode func(T) []byte) {
	t.Helper()
	v, err := parse([]byte(body))
	checkErr(t, err, code, msg)
	if err != nil {
		return
	}
	again, err := parse(encode(v))
	if err != nil {
		t.Fatalf("parsing the encoding = %v\n%s", err, encode(v))
	}
	if diff := cmp.Diff(v, again); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

// fuzzParse parses body and fails unless it is accepted, or refused with
// an S3 client error (checkFuzzErr); an accepted document's encoding must
// be canonical: parsed again, it encodes to the same bytes.
func fuzzParse[T any](t *testing.T, body []byte, parse func([]byte) (T, error), encode func(T) []byte) (T, bool) {
	t.Helper()
	v, err := parse(body)
	checkFuzzErr(t, err)
	if err != nil {
		return v, false
	}
	doc := encode(v)
	again, err := parse(doc)
	if err != nil {
		t.Fatalf("parsing the encoded document %s: %v", doc, err)
	}
	if docAgain := encode(again); !bytes.Equal(doc, docAgain) {
		t.Fatalf("encoding is not canonical:\n%s\n%s", doc, docAgain)
	}
	return v, true
}

// checkErr fails unless err is nil when code is "", or an *s3err.Error
// with code whose message contains msg.
func checkErr(t *testing.T, err error, code s3api.ErrorCode, msg string) {
	t.Helper()
	if code == "" {
		if err != nil {
			t.Fatalf("err = %v, want nil", err)
		}
		return
	}
	var e *s3err.Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v, want %s", err, code)
	}
	if e.Code != code || !strings.Contains(e.Error(), msg) {
		t.Fatalf("err = %v, want %s containing %q", err, code, msg)
	}
}
