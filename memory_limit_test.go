package mocks3_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/mocks3/mocks3"
	"github.com/mocks3/mocks3/internal/cmdserver"
)

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

func TestMemoryLimitInvalid(t *testing.T) {
	if _, err := mocks3.NewServer(cmdserver.MemoryLimit(-1)); err == nil || !strings.Contains(err.Error(), "MemoryLimit") {
		t.Errorf("NewServer(MemoryLimit(-1)) = %v, want an error naming the option", err)
	}
}
