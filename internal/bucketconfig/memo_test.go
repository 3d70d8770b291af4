package bucketconfig

import (
	"errors"
	"testing"
)

func TestMemo(t *testing.T) {
	calls := 0
	m := NewMemo(func(doc []byte) (string, error) {
		calls++
		if string(doc) == "bad" {
			return "", errors.New("bad document")
		}
		return "parsed " + string(doc), nil
	})
	steps := []struct {
		bucket, doc string
		want        string
		wantErr     bool
		wantCalls   int
	}{
		{"a", "one", "parsed one", false, 1},
		{"a", "one", "parsed one", false, 1}, // the same bytes: no parse
		{"b", "one", "parsed one", false, 2}, // another bucket's own entry
		{"a", "two", "parsed two", false, 3}, // changed bytes: parsed again
		{"a", "bad", "", true, 4},
		{"a", "bad", "", true, 4}, // the error is remembered too
		{"a", "two", "parsed two", false, 5},
	}
	for i, s := range steps {
		doc := []byte(s.doc)
		got, err := m.Parse(s.bucket, doc)
		doc[0] = 'X' // the memo keeps its own copy of the bytes
		if got != s.want || (err != nil) != s.wantErr || calls != s.wantCalls {
			t.Fatalf("step %d: Parse(%q, %q) = %q, %v after %d parses; want %q, error %v after %d",
				i, s.bucket, s.doc, got, err, calls, s.want, s.wantErr, s.wantCalls)
		}
	}
}

func TestMemoBounded(t *testing.T) {
	m := NewMemo(func(doc []byte) ([]byte, error) { return doc, nil })
	for i := range memoBuckets + 10 {
		m.Parse(string(rune(i)), []byte("d"))
	}
	if n := len(m.m); n > memoBuckets {
		t.Fatalf("memo holds %d buckets, want at most %d", n, memoBuckets)
	}
}
