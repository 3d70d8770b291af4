package mocks3_test

import (
	"context"
	"errors"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/mocks3/mocks3"
)

// TestOriginMissIsErrNotExist: the built-in origins report a miss as an
// error wrapping fs.ErrNotExist, the error a user's Origin returns, so that
// one origin can wrap another.
func TestOriginMissIsErrNotExist(t *testing.T) {
	empty := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(empty.Close)
	tests := []struct {
		name   string
		origin mocks3.Origin
	}{
		{"ThirdPartyFunc", mocks3.ThirdPartyFunc(func(context.Context, string, string) ([]byte, error) { return nil, fs.ErrNotExist })},
		{"ThirdPartyURL", mocks3.ThirdPartyURL(empty.URL)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.origin.Fetch(t.Context(), "bkt", "absent")
			if !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("Fetch(absent) = %v, want an error wrapping fs.ErrNotExist", err)
			}
		})
	}
	failing := mocks3.ThirdPartyFunc(func(context.Context, string, string) ([]byte, error) { return nil, errors.New("boom") })
	if _, err := failing.Fetch(t.Context(), "bkt", "k"); err == nil || errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Fetch of a failing origin = %v, want a failure that is not a miss", err)
	}
}
