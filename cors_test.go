package mocks3_test

// CORS: https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketCors.html,
// API_GetBucketCors.html, API_DeleteBucketCors.html and the preflight
// OPTIONS request, RESTOPTIONSobject.html.

import (
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/google/go-cmp/cmp"

	"github.com/mocks3/mocks3"
)

var browserRules = []types.CORSRule{
	{
		ID:             aws.String("app"),
		AllowedOrigins: []string{"https://app.example"},
		AllowedMethods: []string{"GET", "PUT"},
		AllowedHeaders: []string{"x-amz-*", "Content-Type"},
		ExposeHeaders:  []string{"ETag"},
		MaxAgeSeconds:  aws.Int32(3000),
	},
	{AllowedOrigins: []string{"http://*.example.org"}, AllowedMethods: []string{"GET"}},
	{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"HEAD"}},
}

func TestBucketCors(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		_, c := startBucket(t, newServer)
		ctx, b := t.Context(), aws.String(testBucket)
		_, err := c.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: b})
		checkErr(t, "GetBucketCors before any", err, "NoSuchCORSConfiguration", 404)

		if _, err := c.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: b, CORSConfiguration: &types.CORSConfiguration{CORSRules: browserRules}}); err != nil {
			t.Fatalf("PutBucketCors: %v", err)
		}
		out, err := c.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: b})
		if err != nil {
			t.Fatalf("GetBucketCors: %v", err)
		}
		if diff := cmp.Diff(browserRules, out.CORSRules, cmp.Comparer(func(a, b *int32) bool { return aws.ToInt32(a) == aws.ToInt32(b) }),
			cmp.Comparer(func(a, b *string) bool { return aws.ToString(a) == aws.ToString(b) }), cmp.AllowUnexported(types.CORSRule{})); diff != "" {
			t.Errorf("GetBucketCors (-want +got):\n%s", diff)
		}
		if _, err := c.DeleteBucketCors(ctx, &s3.DeleteBucketCorsInput{Bucket: b}); err != nil {
			t.Fatalf("DeleteBucketCors: %v", err)
		}
		_, err = c.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: b})
		checkErr(t, "GetBucketCors after delete", err, "NoSuchCORSConfiguration", 404)
		// Deleting again is not an error.
		if _, err := c.DeleteBucketCors(ctx, &s3.DeleteBucketCorsInput{Bucket: b}); err != nil {
			t.Errorf("second DeleteBucketCors: %v", err)
		}
	})
}

func TestBucketCorsErrors(t *testing.T) {
	srv, c := startBucket(t, embedded)
	ctx := t.Context()
	put := func(bucket string, rules ...types.CORSRule) error {
		_, err := c.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: aws.String(bucket), CORSConfiguration: &types.CORSConfiguration{CORSRules: rules}})
		return err
	}
	tests := []struct {
		name   string
		err    error
		code   string
		status int
		msg    string
	}{
		{"bad method", put(testBucket, types.CORSRule{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"PATCH"}}),
			"InvalidRequest", 400, "Found unsupported HTTP method in CORS config. Unsupported method is PATCH"},
		{"two wildcards", put(testBucket, types.CORSRule{AllowedOrigins: []string{"*.a.*"}, AllowedMethods: []string{"GET"}}),
			"InvalidRequest", 400, "can not have more than one wildcard"},
		{"expose wildcard", put(testBucket, types.CORSRule{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}, ExposeHeaders: []string{"*"}}),
			"InvalidRequest", 400, "ExposeHeader"},
		{"missing bucket", put("no-such-bucket", types.CORSRule{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET"}}), "NoSuchBucket", 404, ""},
	}
	for _, tt := range tests {
		checkErr(t, tt.name, tt.err, tt.code, tt.status)
		if tt.msg != "" && (tt.err == nil || !strings.Contains(tt.err.Error(), tt.msg)) {
			t.Errorf("%s = %v, want the message %q", tt.name, tt.err, tt.msg)
		}
	}
	// The SDK refuses to send a configuration without rules; S3 answers
	// MalformedXML.
	resp, body := rawRequest(t, srv, http.MethodPut, "/"+testBucket+"?cors", nil, []byte(`<CORSConfiguration></CORSConfiguration>`))
	if resp.StatusCode != 400 || !strings.Contains(string(body), "<Code>MalformedXML</Code>") {
		t.Errorf("PUT ?cors without rules = %d %s, want 400 MalformedXML", resp.StatusCode, body)
	}
	_, err := c.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String(testBucket)})
	checkErr(t, "GetBucketCors after refused puts", err, "NoSuchCORSConfiguration", 404)
}

func TestCorsPreflight(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		srv, c := startBucket(t, newServer, mocks3.WithObject(testBucket, "photo.jpg", []byte("jpeg")))
		ctx := t.Context()

		// Without rules, a preflight is refused.
		resp, body := rawRequest(t, srv, http.MethodOptions, "/"+testBucket+"/photo.jpg",
			http.Header{"Origin": {"https://app.example"}, "Access-Control-Request-Method": {"PUT"}}, nil)
		if resp.StatusCode != 403 || !strings.Contains(string(body), "CORSResponse: CORS is not enabled for this bucket.") {
			t.Errorf("preflight without rules = %d %s, want 403 CORS is not enabled", resp.StatusCode, body)
		}
		if _, err := c.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: aws.String(testBucket),
			CORSConfiguration: &types.CORSConfiguration{CORSRules: browserRules}}); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name       string
			path       string
			header     http.Header
			wantStatus int
			wantHeader map[string]string // "" means absent
			wantInBody string
		}{
			{"allowed upload", "/" + testBucket + "/new.jpg",
				http.Header{"Origin": {"https://app.example"}, "Access-Control-Request-Method": {"PUT"},
					"Access-Control-Request-Headers": {"content-type,x-amz-checksum-crc32"}},
				200, map[string]string{
					"Access-Control-Allow-Origin": "https://app.example", "Access-Control-Allow-Methods": "GET, PUT",
					"Access-Control-Allow-Headers": "content-type, x-amz-checksum-crc32", "Access-Control-Expose-Headers": "ETag",
					"Access-Control-Max-Age": "3000", "Access-Control-Allow-Credentials": "true",
					"Vary": "Origin, Access-Control-Request-Headers, Access-Control-Request-Method",
				}, ""},
			{"subresource in the URL", "/" + testBucket + "/big.bin?uploads",
				http.Header{"Origin": {"https://app.example"}, "Access-Control-Request-Method": {"PUT"}},
				200, map[string]string{"Access-Control-Allow-Origin": "https://app.example"}, ""},
			{"wildcard origin", "/" + testBucket,
				http.Header{"Origin": {"http://www.example.org"}, "Access-Control-Request-Method": {"GET"}},
				200, map[string]string{"Access-Control-Allow-Origin": "http://www.example.org", "Access-Control-Allow-Methods": "GET",
					"Access-Control-Max-Age": "", "Access-Control-Allow-Headers": ""}, ""},
			{"star origin", "/" + testBucket + "/photo.jpg",
				http.Header{"Origin": {"http://anyone:1234"}, "Access-Control-Request-Method": {"HEAD"}},
				200, map[string]string{"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Credentials": ""}, ""},
			{"header not allowed", "/" + testBucket + "/photo.jpg",
				http.Header{"Origin": {"https://app.example"}, "Access-Control-Request-Method": {"PUT"}, "Access-Control-Request-Headers": {"authorization"}},
				403, map[string]string{"Access-Control-Allow-Origin": ""}, "<Code>AccessForbidden</Code>"},
			{"method not allowed", "/" + testBucket + "/photo.jpg",
				http.Header{"Origin": {"https://app.example"}, "Access-Control-Request-Method": {"DELETE"}},
				403, nil, "<Method>DELETE</Method><ResourceType>OBJECT</ResourceType>"},
			{"scheme differs", "/" + testBucket + "/photo.jpg",
				http.Header{"Origin": {"http://app.example"}, "Access-Control-Request-Method": {"GET"}},
				403, nil, "This CORS request is not allowed."},
			{"no origin", "/" + testBucket + "/photo.jpg",
				http.Header{"Access-Control-Request-Method": {"GET"}},
				400, nil, "Insufficient information. Origin request header needed."},
			{"no bucket", "/no-such-bucket/x",
				http.Header{"Origin": {"https://app.example"}, "Access-Control-Request-Method": {"GET"}},
				403, nil, "CORSResponse: Bucket not found"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				resp, body := rawRequest(t, srv, http.MethodOptions, tt.path, tt.header, nil)
				if resp.StatusCode != tt.wantStatus {
					t.Fatalf("OPTIONS %s = %d %s, want %d", tt.path, resp.StatusCode, body, tt.wantStatus)
				}
				for k, want := range tt.wantHeader {
					if got := resp.Header.Get(k); got != want {
						t.Errorf("%s = %q, want %q", k, got, want)
					}
				}
				if !strings.Contains(string(body), tt.wantInBody) {
					t.Errorf("body = %s, want it to contain %s", body, tt.wantInBody)
				}
			})
		}

		// An actual request gets the CORS headers too; a request no rule
		// allows is served without them.
		resp, body = rawRequest(t, srv, http.MethodGet, "/"+testBucket+"/photo.jpg", http.Header{"Origin": {"https://app.example"}}, nil)
		if resp.StatusCode != 200 || string(body) != "jpeg" || resp.Header.Get("Access-Control-Allow-Origin") != "https://app.example" ||
			resp.Header.Get("Access-Control-Expose-Headers") != "ETag" {
			t.Errorf("GET with Origin = %d %v, want 200 with CORS headers", resp.StatusCode, resp.Header)
		}
		resp, _ = rawRequest(t, srv, http.MethodGet, "/"+testBucket+"/missing", http.Header{"Origin": {"https://app.example"}}, nil)
		if resp.StatusCode != 404 || resp.Header.Get("Access-Control-Allow-Origin") != "https://app.example" {
			t.Errorf("GET of a missing key with Origin = %d %v, want 404 with CORS headers", resp.StatusCode, resp.Header)
		}
		resp, _ = rawRequest(t, srv, http.MethodDelete, "/"+testBucket+"/photo.jpg", http.Header{"Origin": {"https://app.example"}}, nil)
		if resp.Header.Get("Access-Control-Allow-Origin") != "" || resp.Header.Get("Vary") != "" {
			t.Errorf("DELETE no rule allows = %v, want no CORS headers", resp.Header)
		}
		resp, _ = rawRequest(t, srv, http.MethodGet, "/"+testBucket+"/photo.jpg", nil, nil)
		if resp.Header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("GET without Origin has CORS headers: %v", resp.Header)
		}
	})
}

// TestCorsAllowsCrossOriginPost: the server refuses a page's cross-origin
// POST (TestCrossOriginPostRefused) unless the bucket's CORS rules allow
// it, as S3 would; a browser's multipart upload ends with such a POST.
func TestCorsAllowsCrossOriginPost(t *testing.T) {
	srv := mocks3.New(t, mocks3.WithObject(testBucket, "a", []byte("1")), mocks3.WithObject(testBucket, "b", []byte("2")))
	if _, err := srv.Client().PutBucketCors(t.Context(), &s3.PutBucketCorsInput{Bucket: aws.String(testBucket),
		CORSConfiguration: &types.CORSConfiguration{CORSRules: []types.CORSRule{
			{AllowedOrigins: []string{"https://app.example"}, AllowedMethods: []string{"POST"}}}}}); err != nil {
		t.Fatal(err)
	}
	del := func(origin, key string) (*http.Response, []byte) {
		return rawRequest(t, srv, http.MethodPost, "/"+testBucket+"?delete",
			http.Header{"Origin": {origin}, "Content-Type": {"text/plain"}}, []byte(`<Delete><Object><Key>`+key+`</Key></Object></Delete>`))
	}
	if resp, body := del("https://evil.example", "a"); resp.StatusCode != 403 || !strings.Contains(string(body), "Cross-origin POST refused") {
		t.Errorf("POST from an origin the rules do not allow = %d %s, want 403", resp.StatusCode, body)
	}
	srv.CheckObject(t, testBucket, "a", []byte("1"))
	resp, body := del("https://app.example", "b")
	if resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") != "https://app.example" {
		t.Errorf("POST from an allowed origin = %d %s, want 200 with CORS headers", resp.StatusCode, body)
	}
	if keys, err := srv.Keys(testBucket, ""); err != nil || len(keys) != 1 || keys[0] != "a" {
		t.Errorf("keys after the allowed DeleteObjects = %v, %v; want [a]", keys, err)
	}
}
