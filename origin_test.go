package mocks3_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/require"

	"github.com/mocks3/mocks3"
)

// catalog is an Origin a test author writes: a map, with the origin's
// content type and metadata.
type catalog map[string]string

func (c catalog) Fetch(_ context.Context, bucket, key string) (mocks3.OriginObject, error) {
	body, ok := c[bucket+"/"+key]
	if !ok {
		return mocks3.OriginObject{}, fmt.Errorf("catalog has no %s/%s: %w", bucket, key, fs.ErrNotExist)
	}
	return mocks3.OriginObject{
		Body:        io.NopCloser(strings.NewReader(body)),
		Size:        int64(len(body)),
		ContentType: "text/plain",
		Metadata:    map[string]string{"source": "catalog"},
	}, nil
}

// TestUserOrigin serves objects from an Origin implemented outside the
// package, in every mode: missing objects come from it with their content
// type and metadata, and what it lacks is NoSuchKey.
func TestUserOrigin(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer func(*testing.T, ...mocks3.Option) *mocks3.Server) {
		srv := newServer(t, mocks3.WithBucket("bkt"), mocks3.WithThirdParty(catalog{"bkt/hello": "from the catalog"}))
		out, err := srv.Client().GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String("bkt"), Key: aws.String("hello")})
		require.NoError(t, err)
		body, err := io.ReadAll(out.Body)
		out.Body.Close()
		require.NoError(t, err)
		if string(body) != "from the catalog" || aws.ToString(out.ContentType) != "text/plain" || out.Metadata["source"] != "catalog" {
			t.Errorf("GET hello = %q, %q, %v; want the catalog's object", body, aws.ToString(out.ContentType), out.Metadata)
		}
		_, err = srv.Client().GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String("bkt"), Key: aws.String("absent")})
		checkErr(t, "GET absent", err, "NoSuchKey", 404)
	})
}

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
