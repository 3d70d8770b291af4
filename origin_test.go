package mocks3_test

import (
	"context"
	"fmt"
	"io"
	"io/fs"
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
