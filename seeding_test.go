package mocks3_test

// Seeding and configuration options reached through their users' path: the
// option, then what a client or the direct API sees.

import (
	"context"
	"testing"
	"testing/fstest"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/google/go-cmp/cmp"

	"github.com/mocks3/mocks3"
	"github.com/mocks3/mocks3/backend/memory"
)

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
