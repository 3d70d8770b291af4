package suitetest

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"testing"

	"github.com/mocks3/mocks3/backend/memory"
)

// CheckErr reports an error unless errors.Is(err, want); want nil means
// success. call describes the call, as in `GetObject("k")`.
func CheckErr(t T, call string, err, want error) bool {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: err = %v, want %v", call, err, want)
		return false
	}
	return true
}

// Content returns n deterministic pseudo-random bytes, different per seed,
// so that a read at a wrong offset cannot match.
func Content(seed uint64, n int) []byte {
	b := make([]byte, n)
	_, _ = Stream(seed).Read(b)
	return b
}

// Stream returns an endless pseudo-random byte stream determined by seed;
// Content(seed, n) is its first n bytes.
func Stream(seed uint64) io.Reader {
	var s [32]byte
	s[0], s[1] = byte(seed), byte(seed>>8)
	return rand.NewChaCha8(s)
}

// FailAfter returns a reader that yields n zero bytes, then err.
func FailAfter(n int, err error) io.Reader { return &failingReader{n: n, err: err} }

type failingReader struct {
	n   int
	err error
}

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, r.err
	}
	k := min(len(p), r.n)
	clear(p[:k])
	r.n -= k
	return k, nil
}

// CancelOnRead returns a reader that calls cancel on every Read, then reads
// from r: a write from it can only be stopped by its context.
func CancelOnRead(r io.Reader, cancel context.CancelFunc) io.Reader {
	return &cancellingReader{r: r, cancel: cancel}
}

type cancellingReader struct {
	r      io.Reader
	cancel context.CancelFunc
}

func (c *cancellingReader) Read(p []byte) (int, error) {
	c.cancel()
	return c.r.Read(p)
}

// Memory returns a new memory backend, closed when t ends: the in-process
// role the metadata and storage services are tested over.
func Memory(t testing.TB) *memory.Backend {
	b := memory.New()
	t.Cleanup(func() { b.Close() })
	return b
}

// Serve serves h on a test server until t ends and returns the client
// newClient makes for it: how a role's tests reach its service.
func Serve[C any](t testing.TB, h http.Handler, newClient func(baseURL string, hc *http.Client) C) C {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return newClient(srv.URL, srv.Client())
}

// EnvCount returns the positive integer in the environment variable name,
// or def when it is unset: how a long test lets CI ask for more rounds.
func EnvCount(t testing.TB, name string, def int) int {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		t.Fatalf("%s=%q: want a positive integer", name, v)
	}
	return n
}
