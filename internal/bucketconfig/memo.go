package bucketconfig

import (
	"bytes"
	"sync"
)

// memoBuckets bounds a Memo: past it, the memo starts again empty, so the
// documents of deleted buckets cannot pile up.
const memoBuckets = 4096

// A Memo keeps the last parse of each bucket's document of one kind, so a
// request that consults a configuration pays a byte comparison instead of
// an XML decode. A document changed in any way, by this process or by
// another gateway of a stack, differs in its bytes and is parsed again.
// The values it returns are shared: callers must not modify them.
type Memo[T any] struct {
	parse func([]byte) (T, error)

	mu sync.Mutex
	m  map[string]memoEntry[T]
}

type memoEntry[T any] struct {
	doc []byte
	v   T
	err error
}

// NewMemo returns a Memo that parses with parse.
func NewMemo[T any](parse func([]byte) (T, error)) *Memo[T] {
	return &Memo[T]{parse: parse, m: make(map[string]memoEntry[T])}
}

// Parse returns parse(doc), from the memo when bucket's last document was
// doc byte for byte.
func (m *Memo[T]) Parse(bucket string, doc []byte) (T, error) {
	m.mu.Lock()
	e, ok := m.m[bucket]
	m.mu.Unlock()
	if ok && bytes.Equal(e.doc, doc) {
		return e.v, e.err
	}
	v, err := m.parse(doc)
	m.mu.Lock()
	if len(m.m) >= memoBuckets {
		clear(m.m)
	}
	m.m[bucket] = memoEntry[T]{doc: bytes.Clone(doc), v: v, err: err}
	m.mu.Unlock()
	return v, err
}
