package mocks3_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/google/go-cmp/cmp"

	"github.com/mocks3/mocks3"
	"github.com/mocks3/mocks3/backend/memory"
	"github.com/mocks3/mocks3/internal/cmdserver"
	"github.com/mocks3/mocks3/internal/serverext"
)

// TestWithBucketNameRule: a bucket name S3 would refuse fails New with the
// naming rule, not only "not valid".
func TestWithBucketNameRule(t *testing.T) {
	srv, err := mocks3.NewServer(mocks3.WithBucket("b"))
	if err == nil {
		srv.Close()
		t.Fatal(`NewServer(WithBucket("b")) = nil error, want InvalidBucketName`)
	}
	for _, want := range []string{`WithBucket("b")`, "InvalidBucketName", `"b" has 1 character`, "3 to 63 characters", "bucketnamingrules"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("NewServer(WithBucket(%q)) = %v, want it to say %q", "b", err, want)
		}
	}
}

// TestInvalidOptions: an invalid option value fails NewServer with a
// message naming the option.
func TestInvalidOptions(t *testing.T) {
	tests := []struct {
		opt  mocks3.Option
		want string
	}{
		{mocks3.WithFS(nil), "WithFS: nil file system"},
		{mocks3.WithBackend(nil), "WithBackend: nil backend"},
		{mocks3.WithDir(""), "WithDir: empty directory"},
		{mocks3.WithRegion(""), "WithRegion: empty region"},
		{mocks3.WithCredentials("", "secret"), "WithCredentials: empty key"},
		{mocks3.WithCredentials("key", ""), "WithCredentials: empty key"},
		{mocks3.WithUser("", "key", "secret"), "WithUser: empty name or key"},
		{mocks3.WithClock(nil), "WithClock: nil clock"},
		{mocks3.WithMinPartSize(0), "WithMinPartSize: 0 is not positive"},
		{cmdserver.Addr(""), "Addr: empty address"},
		{cmdserver.BaseDomain(""), "BaseDomain: empty domain"},
		{cmdserver.StackEndpoints(serverext.StackEndpoints{Metadata: "http://m"}), "StackEndpoints: metadata, storage and queue endpoints are required"},
		{mocks3.WithStorageNodes(17), "WithStorageNodes: 17 nodes, want 1 to 16"},
		{mocks3.WithThirdParty(nil), "WithThirdParty: nil origin"},
		{mocks3.WithEvents(nil), "WithEvents: nil function"},
		{mocks3.WithWebhook("", "http://h"), "WithWebhook: empty ARN"},
		{cmdserver.AdminToken("two words"), "AdminToken: empty token, or one with spaces"},
		{cmdserver.MemoryLimit(-1), "MemoryLimit: -1 is negative"},
		{cmdserver.ConnLimits(serverext.ConnLimits{MaxConns: -1}), "ConnLimits: negative limit"},
	}
	for _, tt := range tests {
		srv, err := mocks3.NewServer(tt.opt)
		if err == nil {
			srv.Close()
			t.Errorf("NewServer(%s) = nil error, want %q", tt.want, tt.want)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("NewServer() = %q, want %q", err, tt.want)
		}
	}
}

// TestMemoryLimit fills a server's memory budget through the SDK: the write
// that does not fit gets 507 XMinioStorageFull before its body is read,
// nothing of it is stored, and deleting an object makes room again.
func TestMemoryLimit(t *testing.T) {
	for _, mode := range []struct {
		name string
		opts []mocks3.Option
		// whether the refusal comes before the gateway reads the body: in
		// stack mode and with several nodes, the gateway streams it to the
		// storage services, which refuse before allocating anything.
		bodyUnread bool
	}{
		{"embedded", nil, true},
		{"stack", []mocks3.Option{mocks3.WithStack()}, false},
		{"two nodes", []mocks3.Option{mocks3.WithStorageNodes(2)}, false},
	} {
		t.Run(mode.name, func(t *testing.T) {
			srv := mocks3.New(t, append(mode.opts, mocks3.WithBucket("bkt"), cmdserver.MemoryLimit(1<<20))...)
			client := srv.Client()
			put := func(key string, n int) error {
				_, err := client.PutObject(t.Context(), &s3.PutObjectInput{Bucket: aws.String("bkt"), Key: aws.String(key),
					Body: bytes.NewReader(testData(n, 1))})
				return err
			}
			if err := put("a", 600<<10); err != nil {
				t.Fatalf("PutObject(a, 600 KiB) under a 1 MiB limit = %v", err)
			}
			srv.ResetRequests()
			err := put("b", 600<<10)
			checkErr(t, "PutObject(b, 600 KiB) past the limit", err, "XMinioStorageFull", http.StatusInsufficientStorage)
			if err != nil && !strings.Contains(err.Error(), "memory limit") {
				t.Errorf("PutObject past the limit: %v, want a message naming the memory limit", err)
			}
			recs := srv.Requests()
			if len(recs) != 1 || recs[0].Operation != "PutObject" {
				t.Errorf("journal = %+v, want one PutObject, not retried", recs)
			} else if mode.bodyUnread && recs[0].BytesIn != 0 {
				t.Errorf("the refused PutObject read %d body bytes, want 0", recs[0].BytesIn)
			}
			if _, err := client.HeadObject(t.Context(), &s3.HeadObjectInput{Bucket: aws.String("bkt"), Key: aws.String("b")}); err == nil {
				t.Errorf("HeadObject(b) = found, want nothing stored")
			}
			if _, err := client.DeleteObject(t.Context(), &s3.DeleteObjectInput{Bucket: aws.String("bkt"), Key: aws.String("a")}); err != nil {
				t.Fatal(err)
			}
			if err := srv.WaitIdle(t.Context()); err != nil {
				t.Fatal(err)
			}
			if err := put("b", 600<<10); err != nil {
				t.Errorf("PutObject(b) after deleting a = %v, want success", err)
			}
			srv.CheckObject(t, "bkt", "b", testData(600<<10, 1))
		})
	}
}

// Seeding and configuration options reached through their users' path: the
// option, then what a client or the direct API sees.

func TestWithFS(t *testing.T) {
	srv := mocks3.New(t, mocks3.WithFS(fstest.MapFS{
		"photos/a.jpg":          {Data: []byte("A")},
		"photos/2024/b.jpg":     {Data: []byte("B")},
		"empty-bucket/.keep":    {Data: nil},
		"docs/readme/notes.txt": {Data: []byte("notes")},
	}))
	keys, err := srv.Keys("photos", "")
	if err != nil {
		t.Fatalf("Keys(photos) = %v", err)
	}
	if diff := cmp.Diff([]string{"2024/b.jpg", "a.jpg"}, keys); diff != "" {
		t.Errorf("Keys(photos) mismatch (-want +got):\n%s", diff)
	}
	srv.CheckObject(t, "docs", "readme/notes.txt", []byte("notes"))
	if _, err := srv.Client().HeadBucket(t.Context(), &s3.HeadBucketInput{Bucket: aws.String("empty-bucket")}); err != nil {
		t.Errorf("HeadBucket(empty-bucket) = %v, want the directory's bucket", err)
	}
}

// TestWithBackend: the server keeps data in the backend it is given and
// leaves closing it to its owner, so a second server sees the first's data.
func TestWithBackend(t *testing.T) {
	b := memory.New()
	t.Cleanup(func() { b.Close() })
	first := mocks3.New(t, mocks3.WithBackend(b))
	if err := first.CreateBucket("shared"); err != nil {
		t.Fatalf("CreateBucket = %v", err)
	}
	if err := first.CreateBucket("shared"); err != nil {
		t.Errorf("CreateBucket(existing) = %v, want nil", err)
	}
	mustPut(t, first.Client(), "shared", "k", []byte("v"))
	first.Close()

	second := mocks3.New(t, mocks3.WithBackend(b))
	second.CheckObject(t, "shared", "k", []byte("v"))
}

func TestWithCredentials(t *testing.T) {
	srv := mocks3.New(t, mocks3.WithCredentials("AKIDEXAMPLE", "secret"))
	creds, err := srv.AWSConfig().Credentials.Retrieve(context.Background())
	if err != nil {
		t.Fatalf("Retrieve = %v", err)
	}
	if creds.AccessKeyID != "AKIDEXAMPLE" || creds.SecretAccessKey != "secret" {
		t.Errorf("AWSConfig credentials = %q/%q, want AKIDEXAMPLE/secret", creds.AccessKeyID, creds.SecretAccessKey)
	}
	if _, err := mocks3.NewServer(mocks3.WithCredentials("", "x")); err == nil {
		t.Errorf("NewServer(WithCredentials(\"\", x)) = nil error, want one naming the option")
	}
}

// TestThirdPartyS3: a miss is answered from another S3 endpoint and
// backfilled.
func TestThirdPartyS3(t *testing.T) {
	origin := mocks3.New(t, mocks3.WithObject("bkt", "remote", []byte("from the origin")))
	srv := mocks3.New(t, mocks3.WithBucket("bkt"), mocks3.WithThirdParty(mocks3.ThirdPartyS3(origin.Client())))
	if _, got := mustGet(t, srv.Client(), "bkt", "remote"); string(got) != "from the origin" {
		t.Errorf("GetObject(remote) = %q, want the origin's bytes", got)
	}
	if err := srv.WaitIdle(t.Context()); err != nil {
		t.Fatalf("WaitIdle = %v", err)
	}
	origin.Close() // the backfilled copy no longer needs it
	srv.CheckObject(t, "bkt", "remote", []byte("from the origin"))
}
