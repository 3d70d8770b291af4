package mocks3_test

import (
	"context"
	"encoding/json"
	"io/fs"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/mocks3/mocks3"
	"github.com/mocks3/mocks3/faults"
	"github.com/mocks3/mocks3/internal/cmdserver"
	"github.com/mocks3/mocks3/internal/serverext"
)

func TestStackServicesAnswerHealth(t *testing.T) {
	srv := mocks3.New(t, mocks3.WithStack(), mocks3.WithStorageNodes(2),
		mocks3.WithThirdParty(mocks3.ThirdPartyFunc(func(context.Context, string, string) ([]byte, error) {
			return nil, fs.ErrNotExist
		})))
	st := srv.Stack()
	services := map[string]string{"metadata": st.Metadata, "queue": st.Queue, "third-party": st.ThirdParty, "mock-error": st.Faults}
	for i, u := range st.Storage {
		services["storage-"+string(rune('1'+i))] = u
	}
	if len(st.Storage) != 2 {
		t.Errorf("Stack().Storage = %v, want 2 nodes", st.Storage)
	}
	for name, u := range services {
		if u == "" {
			t.Errorf("Stack() has no URL for %s", name)
			continue
		}
		resp, err := http.Get(u + "/health")
		if err != nil {
			t.Errorf("%s /health: %v", name, err)
			continue
		}
		var body map[string]any
		json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if resp.StatusCode != 200 || body["status"] != "healthy" {
			t.Errorf("%s /health = %d %v, want 200 healthy", name, resp.StatusCode, body)
		}
	}
	http.DefaultClient.CloseIdleConnections()
	if st := mocks3.New(t).Stack(); st.Metadata != "" || len(st.Storage) != 0 {
		t.Errorf("an embedded server reports stack services")
	}
}

// TestStorageNodeDiesMidRun takes a storage node down while a client works
// against a stack-mode server: reads and writes go on, and once the node is
// back the queue catches it up.
func TestStorageNodeDiesMidRun(t *testing.T) {
	for _, stack := range []bool{false, true} {
		name := "embedded"
		opts := []mocks3.Option{mocks3.WithStorageNodes(3), mocks3.WithBucket("bkt")}
		if stack {
			name = "stack"
			opts = append(opts, mocks3.WithStack())
		}
		t.Run(name, func(t *testing.T) {
			ctx := t.Context()
			srv := mocks3.New(t, opts...)
			c := srv.Client()
			if err := putBody(ctx, c, "bkt", "before", []byte("written before")); err != nil {
				t.Fatal(err)
			}
			down := srv.Faults().AddT(t, faults.Rule{Service: "storage", Node: "storage-1", Action: faults.ErrorCode("ServiceUnavailable")})[0]
			if got, err := getBody(ctx, c, "bkt", "before"); err != nil || string(got) != "written before" {
				t.Errorf("GetObject with storage-1 down = %q, %v; want the object from another node", got, err)
			}
			if err := putBody(ctx, c, "bkt", "during", []byte("written during")); err != nil {
				t.Errorf("PutObject with storage-1 down = %v, want success on the other nodes", err)
			}
			if down.Hits() == 0 {
				t.Errorf("the node-down rule never triggered")
			}
			down.Remove()
			if err := srv.WaitIdle(ctx); err != nil {
				t.Fatal(err)
			}
			// Now only storage-1 is up: it must have been caught up.
			srv.Faults().AddT(t, faults.Rule{Service: "storage", Node: "storage-[23]", Action: faults.ErrorCode("ServiceUnavailable")})
			if got, err := getBody(ctx, c, "bkt", "during"); err != nil || string(got) != "written during" {
				t.Errorf("GetObject from the recovered node = %q, %v; want the object written while it was down", got, err)
			}
			st, err := srv.RoleStats(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if st.Tasks["replicate"].Succeeded == 0 {
				t.Errorf("queue stats %+v show no replication", st.Tasks)
			}
			if st.Objects != 2 {
				t.Errorf("metadata stats count %d objects, want 2", st.Objects)
			}
		})
	}
}

func TestStackEndpointsFrontRemoteServices(t *testing.T) {
	services := mocks3.New(t, mocks3.WithStack())
	st := services.Stack()
	gw := mocks3.New(t, cmdserver.StackEndpoints(serverext.StackEndpoints{Metadata: st.Metadata, Storage: st.Storage, Queue: st.Queue}))
	ctx := t.Context()
	c := gw.Client()
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("shared")}); err != nil {
		t.Fatal(err)
	}
	if err := putBody(ctx, c, "shared", "k", []byte("through the gateway")); err != nil {
		t.Fatal(err)
	}
	// The services' own gateway sees what the other gateway wrote.
	services.CheckObject(t, "shared", "k", []byte("through the gateway"))
	if _, err := mocks3.NewServer(mocks3.WithStack(), mocks3.WithInMemoryTransport()); err == nil ||
		!strings.Contains(err.Error(), "WithInMemoryTransport and WithStack") {
		t.Errorf("NewServer(WithStack, WithInMemoryTransport) = %v, want an error naming both", err)
	}
	if _, err := mocks3.NewServer(cmdserver.StackEndpoints(serverext.StackEndpoints{Metadata: st.Metadata})); err == nil ||
		!strings.Contains(err.Error(), "StackEndpoints") {
		t.Errorf("NewServer with incomplete endpoints = %v, want an error naming StackEndpoints", err)
	}
}

// TestStorageNodesSurviveRestart: with the disk backend, objects spread over
// several nodes are all there after a restart on the same directory, and a
// node that is down after the restart does not stop reads.
func TestStorageNodesSurviveRestart(t *testing.T) {
	for _, stack := range []bool{false, true} {
		t.Run(map[bool]string{false: "embedded", true: "stack"}[stack], func(t *testing.T) {
			dir := t.TempDir()
			opts := []mocks3.Option{mocks3.WithDir(dir), mocks3.WithStorageNodes(3)}
			if stack {
				opts = append(opts, mocks3.WithStack())
			}
			first := mocks3.New(t, opts...)
			for i, v := range []string{"one", "two", "three"} {
				if err := first.PutObject("bkt", "k"+string(rune('0'+i)), []byte(v)); err != nil {
					t.Fatal(err)
				}
			}
			if err := first.PutObject("bkt", "k0", []byte("one again")); err != nil { // an overwrite
				t.Fatal(err)
			}
			if err := first.WaitIdle(t.Context()); err != nil {
				t.Fatal(err)
			}
			first.Close()

			second := mocks3.New(t, opts...)
			second.Faults().AddT(t, faults.Rule{Service: "storage", Node: "storage-1", Action: faults.ErrorCode("ServiceUnavailable")})
			for i, v := range []string{"one again", "two", "three"} {
				if got, err := getBody(t.Context(), second.Client(), "bkt", "k"+string(rune('0'+i))); err != nil || string(got) != v {
					t.Errorf("after restart, GetObject(k%d) with storage-1 down = %q, %v; want %q", i, got, err, v)
				}
			}
		})
	}
}
