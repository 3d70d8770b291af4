package thirdparty_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/mocks3/mocks3"
	"github.com/mocks3/mocks3/internal/thirdparty"
	"github.com/mocks3/mocks3/internal/thirdparty/thirdpartytest"
)

// The contract suite, once per origin and once over the HTTP transport.

// seedFunc returns a FuncOrigin function serving seed's bytes.
func seedFunc(seed thirdpartytest.Seed) func(ctx context.Context, bucket, key string) ([]byte, error) {
	return func(ctx context.Context, bucket, key string) ([]byte, error) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		obj, ok := seed[thirdpartytest.Key{Bucket: bucket, Key: key}]
		if !ok {
			return nil, fmt.Errorf("%w: %s/%s", thirdparty.ErrNotFound, bucket, key)
		}
		return obj.Data, nil
	}
}

func TestContractFuncOrigin(t *testing.T) {
	thirdpartytest.Run(t, func(t *testing.T, seed thirdpartytest.Seed) thirdparty.Origin {
		return thirdparty.FuncOrigin(seedFunc(seed))
	}, thirdpartytest.BytesOnly())
}

func TestContractCounting(t *testing.T) {
	thirdpartytest.Run(t, func(t *testing.T, seed thirdpartytest.Seed) thirdparty.Origin {
		return thirdparty.NewCounting(thirdparty.FuncOrigin(seedFunc(seed)))
	}, thirdpartytest.BytesOnly())
}

// seedServer serves seed at /{bucket}/{key}, with the object's
// Content-Type, Content-Length and X-Amz-Meta-* headers.
func seedServer(seed thirdpartytest.Seed) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		bucket, key, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
		obj, ok := seed[thirdpartytest.Key{Bucket: bucket, Key: key}]
		if !ok {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		if obj.ContentType != "" {
			h.Set("Content-Type", obj.ContentType)
		} else {
			h["Content-Type"] = nil
		}
		h.Set("Content-Length", strconv.Itoa(len(obj.Data)))
		for k, v := range obj.Metadata {
			h.Set("X-Amz-Meta-"+k, v)
		}
		w.Write(obj.Data)
	})
}

func TestContractHTTPOrigin(t *testing.T) {
	thirdpartytest.Run(t, func(t *testing.T, seed thirdpartytest.Seed) thirdparty.Origin {
		srv := httptest.NewServer(seedServer(seed))
		t.Cleanup(srv.Close)
		return thirdparty.HTTPOrigin(srv.URL+"/", srv.Client())
	})
}

// TestContractHTTPTransport runs the suite through the third-party
// service's HTTP API: NewClient over NewHandler(FuncOrigin).
func TestContractHTTPTransport(t *testing.T) {
	thirdpartytest.Run(t, func(t *testing.T, seed thirdpartytest.Seed) thirdparty.Origin {
		srv := httptest.NewServer(thirdparty.NewHandler(thirdparty.FuncOrigin(seedFunc(seed)), nil))
		t.Cleanup(srv.Close)
		return thirdparty.NewClient(srv.URL+"/", srv.Client())
	}, thirdpartytest.BytesOnly())
}

// TestContractHTTPTransportAttributes runs the suite through the HTTP API
// over an origin that has content types and metadata, which the transport
// must carry too: HTTPOrigin over seedServer.
func TestContractHTTPTransportAttributes(t *testing.T) {
	thirdpartytest.Run(t, func(t *testing.T, seed thirdpartytest.Seed) thirdparty.Origin {
		origin := httptest.NewServer(seedServer(seed))
		t.Cleanup(origin.Close)
		srv := httptest.NewServer(thirdparty.NewHandler(thirdparty.HTTPOrigin(origin.URL, origin.Client()), nil))
		t.Cleanup(srv.Close)
		return thirdparty.NewClient(srv.URL, srv.Client())
	})
}

func TestContractS3Origin(t *testing.T) {
	thirdpartytest.Run(t, func(t *testing.T, seed thirdpartytest.Seed) thirdparty.Origin {
		var buckets []string
		for k := range seed {
			if !slices.Contains(buckets, k.Bucket) {
				buckets = append(buckets, k.Bucket)
			}
		}
		srv := mocks3.New(t, mocks3.WithBucket(buckets...))
		client := srv.Client()
		for k, obj := range seed {
			in := &s3.PutObjectInput{
				Bucket:   aws.String(k.Bucket),
				Key:      aws.String(k.Key),
				Body:     bytes.NewReader(obj.Data),
				Metadata: obj.Metadata,
			}
			if obj.ContentType != "" {
				in.ContentType = aws.String(obj.ContentType)
			}
			if _, err := client.PutObject(t.Context(), in); err != nil {
				t.Fatalf("seeding s3://%s/%s: %v", k.Bucket, k.Key, err)
			}
		}
		return thirdparty.S3Origin(client)
	}, thirdpartytest.DefaultContentType("application/octet-stream"))
}
