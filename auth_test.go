package mocks3_test

// Authentication end to end (WithAuth): the SDK's header signing, its
// presign client, its streaming uploads over https and minio-go's
// chunk signatures, all verified; wrong keys and expired URLs refused.

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/minio/minio-go/v7"
	miniocreds "github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/mocks3/mocks3"
)

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// TestAuthSDK: with WithAuth, Client's signed requests work over http
// (payload SHA-256) and https (aws-chunked,
// STREAMING-UNSIGNED-PAYLOAD-TRAILER with a trailing CRC32), and
// a client with a wrong secret, an unknown key or no signature is refused
// with S3's codes.
func TestAuthSDK(t *testing.T) {
	for _, proto := range []string{"http", "https"} {
		t.Run(proto, func(t *testing.T) {
			opts := []mocks3.Option{mocks3.WithAuth(), mocks3.WithCredentials("AKIDALICE", "alice-secret")}
			if proto == "https" {
				opts = append(opts, mocks3.WithTLS())
			}
			srv := mocks3.New(t, opts...)
			rec := newRecorder(t, srv)
			c := srv.Client(withHTTPClient(rec))
			mustCreateBucket(t, c, testBucket)
			data := testData(300<<10, 7)
			mustPut(t, c, testBucket, "k", data)
			srv.CheckObject(t, testBucket, "k", data)
			wantPayload := "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
			if proto == "http" {
				wantPayload = sha256Hex(data)
			}
			if got := rec.Last().reqHeader.Get("X-Amz-Content-Sha256"); got != wantPayload {
				t.Errorf("PutObject sent x-amz-content-sha256 %q, want %q", got, wantPayload)
			}
			if _, got := mustGet(t, c, testBucket, "k"); !bytes.Equal(got, data) {
				t.Errorf("GetObject = %d bytes, want the %d put", len(got), len(data))
			}

			wrong := s3.NewFromConfig(srv.AWSConfig(), func(o *s3.Options) {
				o.UsePathStyle = true
				o.Credentials = credentials.NewStaticCredentialsProvider("AKIDALICE", "not-the-secret", "")
			})
			_, err := wrong.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String(testBucket), Key: aws.String("k")})
			checkErr(t, "GetObject(wrong secret)", err, "SignatureDoesNotMatch", 403)
			_, err = wrong.PutObject(t.Context(), &s3.PutObjectInput{Bucket: aws.String(testBucket), Key: aws.String("k2"), Body: bytes.NewReader(data)})
			checkErr(t, "PutObject(wrong secret)", err, "SignatureDoesNotMatch", 403)
			srv.CheckNoObject(t, testBucket, "k2")

			unknown := s3.NewFromConfig(srv.AWSConfig(), func(o *s3.Options) {
				o.UsePathStyle = true
				o.Credentials = credentials.NewStaticCredentialsProvider("AKIDNOBODY", "x", "")
			})
			_, err = unknown.ListBuckets(t.Context(), &s3.ListBucketsInput{})
			checkErr(t, "ListBuckets(unknown key)", err, "InvalidAccessKeyId", 403)

			resp, err := srv.HTTPClient().Get(srv.URL + "/" + testBucket + "/k")
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 403 || !strings.Contains(string(body), "<Code>AccessDenied</Code>") {
				t.Errorf("unsigned GET = %d %s, want 403 AccessDenied", resp.StatusCode, body)
			}
		})
	}
}

// TestAuthPresigned: URLs from the SDK's presign client work with a plain
// http.Client until the server's clock passes their expiry; then
// AccessDenied "Request has expired", without the test sleeping.
func TestAuthPresigned(t *testing.T) {
	clock := newMovableClock(time.Now())
	srv := mocks3.New(t, mocks3.WithAuth(), mocks3.WithClock(clock.now), mocks3.WithBucket(testBucket))
	presign := s3.NewPresignClient(srv.Client())
	ctx := t.Context()
	put, err := presign.PresignPutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(testBucket), Key: aws.String("p k")},
		s3.WithPresignExpires(10*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	get, err := presign.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(testBucket), Key: aws.String("p k")},
		s3.WithPresignExpires(10*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	do := func(method, url string, body []byte) (int, string) {
		t.Helper()
		req, err := http.NewRequest(method, url, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if body == nil {
			req.Body = http.NoBody
		}
		resp, b := doRequest(t, srv.HTTPClient(), req)
		return resp.StatusCode, string(b)
	}
	if code, body := do(put.Method, put.URL, []byte("presigned")); code != 200 {
		t.Fatalf("presigned PUT = %d %s, want 200", code, body)
	}
	if code, body := do(get.Method, get.URL, nil); code != 200 || body != "presigned" {
		t.Fatalf("presigned GET = %d %q, want 200 %q", code, body, "presigned")
	}
	clock.advance(11 * time.Minute)
	for _, p := range []struct{ method, url string }{{put.Method, put.URL}, {get.Method, get.URL}} {
		code, body := do(p.method, p.url, []byte("late"))
		if code != 403 || !strings.Contains(body, "<Code>AccessDenied</Code><Message>Request has expired</Message>") {
			t.Errorf("presigned %s after expiry = %d %s, want 403 Request has expired", p.method, code, body)
		}
	}
	srv.CheckObject(t, testBucket, "p k", []byte("presigned"))
}

// TestAuthMinio: minio-go signs every chunk over http, with and without a
// signed trailer; both verify, and a wrong secret is refused.
func TestAuthMinio(t *testing.T) {
	srv := mocks3.New(t, mocks3.WithAuth(), mocks3.WithBucket(testBucket))
	data := testData(200<<10, 9)
	for _, trailer := range []bool{false, true} {
		mc := newMinio(t, srv, trailer)
		opts := minio.PutObjectOptions{}
		if trailer {
			opts.Checksum = minio.ChecksumCRC32C
		}
		if _, err := mc.PutObject(t.Context(), testBucket, "m", bytes.NewReader(data), int64(len(data)), opts); err != nil {
			t.Fatalf("PutObject(trailer %v) = %v", trailer, err)
		}
		srv.CheckObject(t, testBucket, "m", data)
		if got := readMinio(t, mc, testBucket, "m", minio.GetObjectOptions{}); !bytes.Equal(got, data) {
			t.Errorf("GetObject = %d bytes, want %d", len(got), len(data))
		}
	}
}

// TestAuthUsers: each identity owns the buckets it creates; another
// identity is AccessDenied on them, sees only its own in ListBuckets and
// cannot take the name (BucketAlreadyExists). Seeded buckets are the first
// identity's.
func TestAuthUsers(t *testing.T) {
	srv, alice, bob := newAccessServer(t, mocks3.WithBucket("seeded"))
	ctx := t.Context()
	mustCreateBucket(t, alice, "alice-bucket")
	mustPut(t, alice, "alice-bucket", "secret.txt", []byte("alice's"))
	mustCreateBucket(t, bob, "bob-bucket")

	_, err := bob.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("alice-bucket"), Key: aws.String("secret.txt")})
	checkErr(t, "GetObject(bob, alice's bucket)", err, "AccessDenied", 403)
	_, err = bob.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("alice-bucket"), Key: aws.String("x"), Body: strings.NewReader("bob's")})
	checkErr(t, "PutObject(bob, alice's bucket)", err, "AccessDenied", 403)
	_, err = bob.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("seeded")})
	checkErr(t, "ListObjectsV2(bob, seeded bucket)", err, "AccessDenied", 403)
	_, err = bob.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("alice-bucket")})
	checkErr(t, "DeleteBucket(bob, alice's bucket)", err, "AccessDenied", 403)
	_, err = bob.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("alice-bucket")})
	checkErr(t, "CreateBucket(bob, alice's name)", err, "BucketAlreadyExists", 409)
	srv.CheckNoObject(t, "alice-bucket", "x")
	srv.CheckObject(t, "alice-bucket", "secret.txt", []byte("alice's"))
	if _, err := alice.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("alice-bucket")}); err != nil {
		t.Errorf("CreateBucket(alice, her own again) = %v, want success (us-east-1)", err)
	}

	// x-amz-expected-bucket-owner is the owner ListBuckets reports.
	bobID, aliceID := ownerID(t, bob), ownerID(t, alice)
	if _, err := bob.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("bob-bucket"), ExpectedBucketOwner: aws.String(bobID)}); err != nil {
		t.Errorf("ListObjectsV2(bob, expected owner bob) = %v, want success", err)
	}
	_, err = bob.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("bob-bucket"), ExpectedBucketOwner: aws.String(aliceID)})
	checkErr(t, "ListObjectsV2(bob, expected owner alice)", err, "AccessDenied", 403)

	// Listings name the owner: the identity, under the owner-only default.
	mustPut(t, bob, "bob-bucket", "o", []byte("bob's"))
	lo, err := bob.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("bob-bucket"), FetchOwner: aws.Bool(true)})
	if err != nil || len(lo.Contents) != 1 || lo.Contents[0].Owner == nil || aws.ToString(lo.Contents[0].Owner.DisplayName) != "bob" {
		t.Errorf("ListObjectsV2(bob, fetch-owner) = %+v, %v; want one object owned by bob", lo, err)
	}
	if _, err := bob.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("bob-bucket"), Key: aws.String("mp")}); err != nil {
		t.Fatal(err)
	}
	lu, err := bob.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String("bob-bucket")})
	if err != nil || len(lu.Uploads) != 1 || aws.ToString(lu.Uploads[0].Initiator.DisplayName) != "bob" {
		t.Errorf("ListMultipartUploads(bob) = %+v, %v; want one upload initiated by bob", lu, err)
	}

	for _, tt := range []struct {
		name   string
		client *s3.Client
		want   []string
	}{{"alice", alice, []string{"alice-bucket", "seeded"}}, {"bob", bob, []string{"bob-bucket"}}} {
		out, err := tt.client.ListBuckets(ctx, &s3.ListBucketsInput{})
		if err != nil {
			t.Fatalf("ListBuckets(%s) = %v", tt.name, err)
		}
		var got []string
		for _, b := range out.Buckets {
			got = append(got, aws.ToString(b.Name))
		}
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("ListBuckets(%s) = %q, want %q", tt.name, got, tt.want)
		}
		if aws.ToString(out.Owner.DisplayName) != tt.name || len(aws.ToString(out.Owner.ID)) != 64 {
			t.Errorf("ListBuckets(%s) owner = %q/%q, want the user and a canonical ID", tt.name,
				aws.ToString(out.Owner.DisplayName), aws.ToString(out.Owner.ID))
		}
	}
}

// TestAuthSignatureV2: minio-go signing with Signature Version 2 is served
// with WithSignatureV2 and refused as S3 refuses it without.
func TestAuthSignatureV2(t *testing.T) {
	for _, allow := range []bool{true, false} {
		opts := []mocks3.Option{mocks3.WithAuth(), mocks3.WithBucket(testBucket)}
		if allow {
			opts = append(opts, mocks3.WithSignatureV2())
		}
		srv := mocks3.New(t, opts...)
		u, err := url.Parse(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		mc, err := minio.New(u.Host, &minio.Options{Creds: miniocreds.NewStaticV2("test", "test", ""),
			Transport: srv.HTTPClient().Transport, Region: srv.AWSConfig().Region, BucketLookup: minio.BucketLookupPath})
		if err != nil {
			t.Fatal(err)
		}
		_, err = mc.PutObject(t.Context(), testBucket, "v2 key", strings.NewReader("v2"), 2, minio.PutObjectOptions{})
		if !allow {
			if resp := minio.ToErrorResponse(err); resp.Code != "InvalidRequest" || resp.StatusCode != 400 {
				t.Errorf("PutObject(SigV2, not allowed) = %v, want 400 InvalidRequest", err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("PutObject(SigV2) = %v", err)
		}
		if got := readMinio(t, mc, testBucket, "v2 key", minio.GetObjectOptions{}); string(got) != "v2" {
			t.Errorf("GetObject(SigV2) = %q, want %q", got, "v2")
		}
	}
}

// TestAuthOptions: identities must be complete and distinct; ClientFor
// names an existing one.
func TestAuthOptions(t *testing.T) {
	for name, opts := range map[string][]mocks3.Option{
		"empty name":        {mocks3.WithUser("", "AK", "SK")},
		"empty secret":      {mocks3.WithUser("u", "AK", "")},
		"same name":         {mocks3.WithUser("u", "AK1", "SK"), mocks3.WithUser("u", "AK2", "SK")},
		"same key":          {mocks3.WithUser("u", "AK", "SK"), mocks3.WithUser("v", "AK", "SK")},
		"credentials' key":  {mocks3.WithCredentials("AK", "SK"), mocks3.WithUser("u", "AK", "SK2")},
		"credentials' name": {mocks3.WithCredentials("AK", "SK"), mocks3.WithUser("AK", "AK2", "SK2")},
	} {
		if srv, err := mocks3.NewServer(opts...); err == nil {
			srv.Close()
			t.Errorf("NewServer(%s) = nil error, want one", name)
		}
	}
	srv := mocks3.New(t, mocks3.WithUser("u", "AK", "SK"))
	defer func() {
		if recover() == nil {
			t.Errorf("ClientFor(unknown) did not panic")
		}
	}()
	srv.ClientFor("nobody")
}

// ownerID is the canonical ID ListBuckets reports as c's owner.
func ownerID(t *testing.T, c *s3.Client) string {
	t.Helper()
	out, err := c.ListBuckets(t.Context(), &s3.ListBucketsInput{})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.Owner.ID)
}
