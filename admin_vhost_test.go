package mocks3_test

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// TestAdminPrefixVirtualHosted checks that with virtual-hosted-style
// addressing a key under "_mocks3/" is an object like any other: only a
// path-style request to the reserved prefix reaches the admin API.
func TestAdminPrefixVirtualHosted(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		srv := newServer(t)
		u, err := url.Parse(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		resolve := func(host string) (string, error) {
			if host == "localhost" || strings.HasSuffix(host, ".localhost") {
				return u.Hostname(), nil // the server's own address
			}
			return "", fmt.Errorf("unexpected host %q", host)
		}
		// The test certificate names example.com, not localhost.
		rec := newResolvingRecorder(t, srv, resolve, "example.com")
		c := srv.Client(func(o *s3.Options) {
			o.UsePathStyle = false
			o.BaseEndpoint = aws.String(u.Scheme + "://localhost:" + u.Port())
			o.HTTPClient = rec
		})
		mustCreateBucket(t, c, "bkt")
		for _, key := range []string{"_mocks3/api/v1/rules", "_mocks3", "_mocks3/health"} {
			body := []byte("object at " + key)
			mustPut(t, c, "bkt", key, body)
			if got := rec.Last(); got.host != "bkt.localhost:"+u.Port() || got.path != "/"+key {
				t.Errorf("PutObject(bkt, %s) sent to %s%s, want virtual-hosted bkt.localhost", key, got.host, got.path)
			}
			srv.CheckObject(t, "bkt", key, body)
			if _, got := mustGet(t, c, "bkt", key); !bytes.Equal(got, body) {
				t.Errorf("GetObject(bkt, %s) = %q, want %q", key, got, body)
			}
		}
		out, err := c.ListObjectsV2(t.Context(), &s3.ListObjectsV2Input{Bucket: aws.String("bkt")})
		if err != nil {
			t.Fatalf("ListObjectsV2(bkt) = %v", err)
		}
		if keys, _ := v2Names(out); len(keys) != 3 {
			t.Errorf("ListObjectsV2(bkt) = %q, want the 3 keys under _mocks3", keys)
		}

		// The admin API still answers a path-style request.
		resp, body := rawRequest(t, srv, "GET", "/_mocks3/api/v1/rules", nil, nil)
		if resp.StatusCode != 200 || !strings.Contains(string(body), `"rules"`) {
			t.Errorf("GET /_mocks3/api/v1/rules = %d %.60q, want 200 and the rule list", resp.StatusCode, body)
		}
	})
}
