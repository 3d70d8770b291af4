// SigV4a (AWS4-ECDSA-P256-SHA256) is not enabled here: every form of it
// is answered as S3 answers a signing mechanism it does not take.

package mocks3_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	smithy "github.com/aws/smithy-go"
	smithyauth "github.com/aws/smithy-go/auth"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/mocks3/mocks3"
)

// sigV4aMessage is S3's message for a signing mechanism it does not take
// (recorded responses quote it for SigV2 in V4-only regions).
const sigV4aMessage = "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256."

// sigV4aOnly makes the SDK sign with SigV4a, as it does for a
// Multi-Region Access Point.
type sigV4aOnly struct{}

func (sigV4aOnly) ResolveAuthSchemes(_ context.Context, p *s3.AuthResolverParameters) ([]*smithyauth.Option, error) {
	var props smithy.Properties
	smithyhttp.SetSigV4ASigningName(&props, "s3")
	smithyhttp.SetSigV4ASigningRegions(&props, []string{"*"})
	return []*smithyauth.Option{{SchemeID: smithyauth.SchemeIDSigV4A, SignerProperties: props}}, nil
}

func TestAuthSigV4a(t *testing.T) {
	srv := mocks3.New(t, mocks3.WithAuth(), mocks3.WithBucket(testBucket))
	ctx := t.Context()
	mustPut(t, srv.Client(), testBucket, "k", []byte("v"))
	rec := newRecorder(t, srv)
	v4a := srv.Client(withHTTPClient(rec), func(o *s3.Options) { o.AuthSchemeResolver = sigV4aOnly{} })

	_, err := v4a.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(testBucket), Key: aws.String("k")})
	checkErr(t, "GetObject(SigV4a header)", err, "InvalidRequest", 400)
	if err == nil || !strings.Contains(err.Error(), sigV4aMessage) {
		t.Errorf("GetObject(SigV4a header) = %v, want the message %q", err, sigV4aMessage)
	}
	if got := rec.Last().reqHeader.Get("Authorization"); !strings.HasPrefix(got, "AWS4-ECDSA-P256-SHA256 ") {
		t.Fatalf("the SDK signed with %q, want SigV4a", got)
	}
	_, err = v4a.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(testBucket), Key: aws.String("new"), Body: strings.NewReader("x")})
	checkErr(t, "PutObject(SigV4a header)", err, "InvalidRequest", 400)
	srv.CheckNoObject(t, testBucket, "new")

	// A presigned URL whose algorithm is SigV4a's, with its region set.
	ps, err := s3.NewPresignClient(srv.Client()).PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(testBucket), Key: aws.String("k")})
	if err != nil {
		t.Fatal(err)
	}
	u := strings.Replace(ps.URL, "X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256", 1) + "&X-Amz-Region-Set=*"
	if u == ps.URL+"&X-Amz-Region-Set=*" {
		t.Fatalf("presigned URL %s has no X-Amz-Algorithm to replace", ps.URL)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 400 || !strings.Contains(string(body), "<Code>InvalidRequest</Code>") ||
		!strings.Contains(string(body), "<Message>"+sigV4aMessage+"</Message>") {
		t.Errorf("GET presigned with SigV4a = %d %s, want 400 InvalidRequest %q", resp.StatusCode, body, sigV4aMessage)
	}
}
