package objects

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/mocks3/mocks3/internal/s3err"

	"github.com/google/go-cmp/cmp"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/backend/memory"
	"github.com/mocks3/mocks3/internal/queue"
	"github.com/mocks3/mocks3/internal/thirdparty"
	"github.com/mocks3/mocks3/s3api"
)

// newStore returns a Store over a fresh memory backend holding bucket
// "bkt", and the backend.
func newStore(t *testing.T, cfg Config) (*Store, *memory.Backend) {
	t.Helper()
	b := memory.New()
	t.Cleanup(func() { b.Close() })
	cfg.Metadata, cfg.Storage = b, b
	s := New(cfg)
	if err := s.EnsureBucket(t.Context(), "bkt"); err != nil {
		t.Fatal(err)
	}
	return s, b
}

func seed(t *testing.T, s *Store, key, data string) backend.Object {
	t.Helper()
	obj, err := s.SeedObject(t.Context(), "bkt", key, strings.NewReader(data), "")
	if err != nil {
		t.Fatalf("SeedObject(%q) = %v", key, err)
	}
	return obj
}

// blobExists reports whether id is still stored.
func blobExists(t *testing.T, b backend.Blobs, id backend.BlobID) bool {
	t.Helper()
	bl, err := b.OpenBlob(t.Context(), id)
	if errors.Is(err, backend.ErrBlobNotFound) {
		return false
	}
	if err != nil {
		t.Fatal(err)
	}
	bl.Close()
	return true
}

func TestPutReclaimsReplacedBytes(t *testing.T) {
	s, b := newStore(t, Config{})
	old := seed(t, s, "k", "one")
	seed(t, s, "k", "two")
	if blobExists(t, b, old.Parts[0].Blob) {
		t.Errorf("the replaced object's blob %s is still stored", old.Parts[0].Blob)
	}
	_, data, err := s.ReadObject(t.Context(), "bkt", "k")
	if err != nil || string(data) != "two" {
		t.Errorf("ReadObject(k) = %q, %v, want \"two\"", data, err)
	}
}

func TestPutFailureLeavesNothing(t *testing.T) {
	tests := []struct {
		name          string
		cond          backend.Condition
		wantCondition string
	}{
		{"if-match on missing key", backend.Condition{IfMatch: `"nope"`}, ""},
		{"if-none-match on existing key", backend.Condition{IfNoneMatch: true}, "If-None-Match"},
		{"if-match on another etag", backend.Condition{IfMatch: `"nope"`}, "If-Match"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, b := newStore(t, Config{})
			if i > 0 {
				seed(t, s, "k", "current")
			}
			obj, err := s.write(t.Context(), "k", strings.NewReader("new"), 3, backend.Headers{}, nil)
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.Put(t.Context(), "bkt", obj, tt.cond)
			if err == nil {
				t.Fatal("Put succeeded, want an error")
			}
			if tt.wantCondition != "" {
				var e *s3err.Error
				want := []s3err.ExtraElement{{Name: "Condition", Value: tt.wantCondition}}
				if !errors.As(err, &e) || e.Code != s3err.PreconditionFailed || !cmp.Equal(e.Extra, want) {
					t.Errorf("Put = %v, want PreconditionFailed naming %s", err, tt.wantCondition)
				}
			}
			if blobExists(t, b, obj.Parts[0].Blob) {
				t.Errorf("the failed write's blob is still stored")
			}
		})
	}
}

func TestDeleteBucket(t *testing.T) {
	s, b := newStore(t, Config{})
	ctx := t.Context()
	up := backend.Upload{Bucket: "bkt", Key: "big", ID: "u1", Initiated: time.Unix(0, 0)}
	if err := s.Records().CreateUpload(ctx, up); err != nil {
		t.Fatal(err)
	}
	id, n, err := s.WriteBlob(ctx, strings.NewReader("part"), 4)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.PutPart(ctx, "bkt", "big", "u1", backend.Part{Number: 1, Size: n, ETag: `"x"`, Blob: id}); err != nil {
		t.Fatal(err)
	}
	seed(t, s, "k", "data")
	if err := s.DeleteBucket(ctx, "bkt"); !errors.Is(err, backend.ErrBucketNotEmpty) {
		t.Fatalf("DeleteBucket with an object = %v, want ErrBucketNotEmpty", err)
	}
	if !blobExists(t, b, id) {
		t.Fatal("DeleteBucket of a non-empty bucket discarded an upload's part")
	}
	if err := s.Delete(ctx, "bkt", "k"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteBucket(ctx, "bkt"); err != nil {
		t.Fatalf("DeleteBucket with only an upload = %v, want success (S3 discards uploads)", err)
	}
	if blobExists(t, b, id) {
		t.Error("the discarded upload's part is still stored")
	}
}

func TestDeleteMissingKeySucceeds(t *testing.T) {
	s, _ := newStore(t, Config{})
	if err := s.Delete(t.Context(), "bkt", "missing"); err != nil {
		t.Errorf("Delete(missing) = %v, want nil", err)
	}
}

// recordingQueue queues tasks for the test to run.
type recordingQueue struct {
	queue.Queue
	tasks []queue.Task
}

func (q *recordingQueue) Enqueue(_ context.Context, typ string, payload []byte) (string, error) {
	q.tasks = append(q.tasks, queue.Task{Type: typ, Payload: payload})
	return "", nil
}

// TestCleanupBatches checks that a burst of overwrites queues one cleanup
// task, which reclaims every replaced blob.
func TestCleanupBatches(t *testing.T) {
	q := &recordingQueue{}
	s, b := newStore(t, Config{Queue: q})
	var replaced []backend.BlobID
	for i := range 5 {
		replaced = append(replaced, seed(t, s, "k", strings.Repeat("x", i)).Parts[0].Blob)
	}
	replaced = replaced[:4]
	if len(q.tasks) != 1 || q.tasks[0].Type != queue.TypeCleanup {
		t.Fatalf("queued %v, want one cleanup task", q.tasks)
	}
	for _, id := range replaced {
		if !blobExists(t, b, id) {
			t.Fatalf("blob %s deleted before the cleanup task ran", id)
		}
	}
	if err := s.RunTask(t.Context(), q.tasks[0]); err != nil {
		t.Fatal(err)
	}
	for _, id := range replaced {
		if blobExists(t, b, id) {
			t.Errorf("blob %s survived the cleanup task", id)
		}
	}
	seed(t, s, "k", "again")
	if len(q.tasks) != 2 {
		t.Errorf("after the task ran, an overwrite queued %d tasks in all, want 2", len(q.tasks))
	}
}

func TestRunTaskUnknownType(t *testing.T) {
	s, _ := newStore(t, Config{})
	if err := s.RunTask(t.Context(), queue.Task{Type: "nope"}); err == nil {
		t.Error("RunTask(unknown type) = nil, want an error")
	}
}

type origin map[string]string

func (o origin) Fetch(_ context.Context, bucket, key string) (thirdparty.Object, error) {
	data, ok := o[bucket+"/"+key]
	if !ok {
		return thirdparty.Object{}, thirdparty.ErrNotFound
	}
	return thirdparty.Object{Body: io.NopCloser(strings.NewReader(data)), Size: int64(len(data)), ContentType: "text/plain"}, nil
}

func TestFromOriginBackfills(t *testing.T) {
	q := &recordingQueue{}
	s, _ := newStore(t, Config{Queue: q, ThirdParty: origin{"bkt/remote": "from origin", "bkt/local": "stale"}})
	ctx := t.Context()
	if _, err := s.FromOrigin(ctx, "bkt", "none"); !errors.Is(err, thirdparty.ErrNotFound) {
		t.Fatalf("FromOrigin(none) = %v, want ErrNotFound", err)
	}
	for _, key := range []string{"remote", "local"} {
		o, err := s.FromOrigin(ctx, "bkt", key)
		if err != nil {
			t.Fatalf("FromOrigin(%s) = %v", key, err)
		}
		o.Body.Close()
	}
	seed(t, s, "local", "written locally")
	if len(q.tasks) != 2 {
		t.Fatalf("queued %d tasks, want 2 backfills", len(q.tasks))
	}
	for _, task := range q.tasks {
		if err := s.RunTask(ctx, task); err != nil {
			t.Fatalf("RunTask(%s %s) = %v", task.Type, task.Payload, err)
		}
	}
	for key, want := range map[string]string{"remote": "from origin", "local": "written locally"} {
		_, got, err := s.ReadObject(ctx, "bkt", key)
		if err != nil || string(got) != want {
			t.Errorf("ReadObject(%s) = %q, %v, want %q", key, got, err, want)
		}
	}
}

func TestFromOriginWithoutOrigin(t *testing.T) {
	s, _ := newStore(t, Config{})
	if s.HasOrigin() {
		t.Error("HasOrigin() = true without an origin")
	}
	if _, err := s.FromOrigin(t.Context(), "bkt", "k"); !errors.Is(err, thirdparty.ErrNotFound) {
		t.Errorf("FromOrigin = %v, want ErrNotFound", err)
	}
}

func TestSeedObjectRejectsBadKeys(t *testing.T) {
	s, _ := newStore(t, Config{})
	tests := []struct {
		name, bucket, key string
		want              s3api.ErrorCode
	}{
		{"empty key", "bkt", "", s3err.InvalidArgument},
		{"long key", "bkt", strings.Repeat("k", 1025), s3err.KeyTooLong},
		{"invalid UTF-8", "bkt", "\xff", s3err.InvalidURI},
		{"missing bucket", "nobucket", "k", s3err.NoSuchBucket},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.SeedObject(t.Context(), tt.bucket, tt.key, strings.NewReader("x"), "")
			var e *s3err.Error
			if !errors.As(err, &e) || e.Code != tt.want {
				t.Errorf("SeedObject(%q, %.20q) = %v, want %s", tt.bucket, tt.key, err, tt.want)
			}
		})
	}
}

func TestHead(t *testing.T) {
	s, _ := newStore(t, Config{})
	want := seed(t, s, "k", "data")
	got, err := s.Head(t.Context(), "bkt", "k")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Head(k) mismatch (-want +got):\n%s", diff)
	}
	if _, err := s.Head(t.Context(), "bkt", "missing"); !errors.Is(err, backend.ErrObjectNotFound) {
		t.Errorf("Head(missing) = %v, want ErrObjectNotFound", err)
	}
}
