package mocks3_test

import (
	"net/http"
	"testing"

	"github.com/mocks3/mocks3"
	"github.com/mocks3/mocks3/internal/badinput"
)

// TestBadInputCorpus replays testdata/badinput against the embedded server,
// over http and https, in memory and on disk; cmd/mocks3 replays it against
// the standalone server.
func TestBadInputCorpus(t *testing.T) {
	cases, err := badinput.Load("testdata/badinput")
	if err != nil {
		t.Fatal(err)
	}
	modes := []struct {
		name string
		opts []mocks3.Option
	}{
		{"memory/http", nil},
		{"disk/https", []mocks3.Option{mocks3.WithDir(t.TempDir()), mocks3.WithTLS()}},
	}
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			srv := mocks3.New(t, append(m.opts, mocks3.WithBucket("bkt"))...)
			badinput.Run(t, srv.URL, srv.HTTPClient().Transport.(*http.Transport).TLSClientConfig, cases)
		})
	}
}
