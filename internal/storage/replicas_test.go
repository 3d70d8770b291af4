package storage_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/queue"
	"github.com/mocks3/mocks3/internal/storage"
	"github.com/mocks3/mocks3/internal/suitetest"
)

var errDown = errors.New("node down")

// flakyNode is a storage node that a test can take down: its calls, and
// the reads of blobs it opened, then fail. It counts the copies it holds.
type flakyNode struct {
	backend.Blobs
	down       atomic.Bool
	failWrites atomic.Int64 // > 0: writes fail after reading this many bytes

	mu     sync.Mutex
	copies map[backend.BlobID]bool // guarded by mu
}

func newFlaky(s backend.Blobs) *flakyNode {
	return &flakyNode{Blobs: s, copies: map[backend.BlobID]bool{}}
}

func (n *flakyNode) WriteBlob(ctx context.Context, r io.Reader, hint int64) (backend.BlobID, int64, error) {
	if n.down.Load() {
		return "", 0, errDown
	}
	if k := n.failWrites.Load(); k > 0 {
		r = io.MultiReader(io.LimitReader(r, k), iotest.ErrReader(errDown))
	}
	id, size, err := n.Blobs.WriteBlob(ctx, r, hint)
	if err == nil {
		n.mu.Lock()
		n.copies[id] = true
		n.mu.Unlock()
	}
	return id, size, err
}

func (n *flakyNode) OpenBlob(ctx context.Context, id backend.BlobID) (backend.Blob, error) {
	if n.down.Load() {
		return nil, errDown
	}
	b, err := n.Blobs.OpenBlob(ctx, id)
	if err != nil {
		return nil, err
	}
	return flakyBlob{b, n}, nil
}

func (n *flakyNode) DeleteBlob(ctx context.Context, id backend.BlobID) error {
	if n.down.Load() {
		return errDown
	}
	err := n.Blobs.DeleteBlob(ctx, id)
	if err == nil {
		n.mu.Lock()
		delete(n.copies, id)
		n.mu.Unlock()
	}
	return err
}

func (n *flakyNode) count() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return len(n.copies)
}

type flakyBlob struct {
	backend.Blob
	n *flakyNode
}

func (b flakyBlob) ReadAt(p []byte, off int64) (int, error) {
	if b.n.down.Load() {
		return 0, errDown
	}
	return b.Blob.ReadAt(p, off)
}

// fakeQueue records the tasks enqueued on it.
type fakeQueue struct {
	mu    sync.Mutex
	tasks []queue.Task // guarded by mu
}

func (q *fakeQueue) Enqueue(_ context.Context, taskType string, payload []byte) (string, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	id := fmt.Sprint(len(q.tasks) + 1)
	q.tasks = append(q.tasks, queue.Task{ID: id, Type: taskType, Payload: payload})
	return id, nil
}

// take returns the tasks enqueued since the last call, as {type, node} with
// their payloads decoded.
func (q *fakeQueue) take(t *testing.T) []replicateTask {
	t.Helper()
	q.mu.Lock()
	defer q.mu.Unlock()
	var out []replicateTask
	for _, task := range q.tasks {
		var p replicateTask
		if err := json.Unmarshal(task.Payload, &p); err != nil {
			t.Fatalf("task payload %q: %v", task.Payload, err)
		}
		p.Type, p.Raw = task.Type, task.Payload
		out = append(out, p)
	}
	q.tasks = nil
	return out
}

var errNotImplemented = errors.New("fakeQueue: not implemented")

func (q *fakeQueue) Dequeue(context.Context) (queue.Task, error) {
	return queue.Task{}, errNotImplemented
}
func (q *fakeQueue) Ack(context.Context, string) error          { return errNotImplemented }
func (q *fakeQueue) Nack(context.Context, string, string) error { return errNotImplemented }
func (q *fakeQueue) WaitIdle(context.Context) error             { return errNotImplemented }
func (q *fakeQueue) Stats(context.Context) (queue.Stats, error) {
	return queue.Stats{}, errNotImplemented
}
func (q *fakeQueue) DeadLetters(context.Context) ([]queue.Task, error) { return nil, errNotImplemented }

// replicateTask is a decoded queue.TypeReplicate task.
type replicateTask struct {
	Type string         `json:"-"`
	Raw  []byte         `json:"-"`
	ID   backend.BlobID `json:"id"`
	Node string         `json:"node"`
}

// cluster is a Replicated store over three flaky in-memory nodes.
type cluster struct {
	*storage.Replicated
	nodes []*flakyNode
	q     *fakeQueue
}

func newCluster(t *testing.T) *cluster {
	c := &cluster{q: &fakeQueue{}}
	var nodes []storage.Node
	for i := range 3 {
		n := newFlaky(suitetest.Memory(t))
		c.nodes = append(c.nodes, n)
		nodes = append(nodes, storage.Node{Name: fmt.Sprintf("storage-%d", i+1), Blobs: n})
	}
	c.Replicated = storage.NewReplicated(nodes, c.q)
	return c
}

// set takes the nodes down (false) or up (true).
func (c *cluster) set(up ...bool) {
	for i, u := range up {
		c.nodes[i].down.Store(!u)
	}
}

func (c *cluster) counts() []int {
	var n []int
	for _, node := range c.nodes {
		n = append(n, node.count())
	}
	return n
}

func (c *cluster) checkCounts(t *testing.T, want ...int) {
	t.Helper()
	if diff := cmp.Diff(want, c.counts()); diff != "" {
		t.Errorf("copies per node mismatch (-want +got):\n%s", diff)
	}
}

func (c *cluster) write(t *testing.T, data []byte) backend.BlobID {
	t.Helper()
	id, n, err := c.WriteBlob(t.Context(), bytes.NewReader(data), int64(len(data)))
	if err != nil || n != int64(len(data)) {
		t.Fatalf("Write(%d bytes) = %d, %v", len(data), n, err)
	}
	return id
}

// check reports an error unless blob id reads as want.
func (c *cluster) check(t *testing.T, id backend.BlobID, want []byte) {
	t.Helper()
	bl, err := c.OpenBlob(t.Context(), id)
	if err != nil {
		t.Errorf("Open(%q) = %v", id, err)
		return
	}
	defer bl.Close()
	if got := readAll(t, bl); !bytes.Equal(got, want) {
		t.Errorf("Open(%q) read other bytes than written", id)
	}
}

const up, down = true, false

func TestReplicatedNodes(t *testing.T) {
	c := newCluster(t)
	if diff := cmp.Diff([]string{"storage-1", "storage-2", "storage-3"}, c.Nodes()); diff != "" {
		t.Errorf("Nodes() mismatch (-want +got):\n%s", diff)
	}
}

func TestNewReplicatedPanics(t *testing.T) {
	s := suitetest.Memory(t)
	tests := []struct {
		name  string
		nodes []storage.Node
	}{
		{"NoNodes", nil},
		{"NoStore", []storage.Node{{"storage-1", nil}}},
		{"SameName", []storage.Node{{"storage-1", s}, {"storage-1", s}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("NewReplicated(%v) did not panic", tt.nodes)
				}
			}()
			storage.NewReplicated(tt.nodes, nil)
		})
	}
}

// TestReplicatedReadFallback takes nodes down one after the other: reads
// come from the first node still up.
func TestReplicatedReadFallback(t *testing.T) {
	c := newCluster(t)
	want := content(1, mib+5)
	id := c.write(t, want)
	c.checkCounts(t, 1, 1, 1)
	if got := c.q.take(t); len(got) != 0 {
		t.Errorf("a write to every node enqueued %v", got)
	}
	for _, state := range [][]bool{{down, up, up}, {down, down, up}, {up, down, down}, {down, up, down}} {
		c.set(state...)
		c.check(t, id, want)
	}
	c.set(down, down, down)
	_, err := c.OpenBlob(t.Context(), id)
	if !errors.Is(err, errDown) || errors.Is(err, backend.ErrBlobNotFound) {
		t.Errorf("Open with every node down = %v, want the nodes' errors", err)
	}
}

// TestReplicatedFailoverMidRead takes the node being read down halfway
// through a read: the read goes on from the next node.
func TestReplicatedFailoverMidRead(t *testing.T) {
	c := newCluster(t)
	want := content(2, 2*mib)
	id := c.write(t, want)
	bl, err := c.OpenBlob(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	defer bl.Close()
	got := make([]byte, len(want))
	half := mib
	if _, err := bl.ReadAt(got[:half], 0); err != nil {
		t.Fatal(err)
	}
	c.set(down, up, up)
	if n, err := bl.ReadAt(got[half:], int64(half)); err != nil || n != len(want)-half {
		t.Fatalf("ReadAt after the node went down = %d, %v", n, err)
	}
	c.set(down, down, up)
	if n, err := bl.ReadAt(got[:half], 0); err != nil || n != half {
		t.Fatalf("ReadAt after the second node went down = %d, %v", n, err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("read other bytes than written")
	}
	c.set(down, down, down)
	if _, err := bl.ReadAt(got[:10], 0); !errors.Is(err, errDown) {
		t.Errorf("ReadAt with every node down = %v, want errDown", err)
	}
}

// TestReplicatedNodeMissesWrite checks write-all with a node down, and the
// repair of that node through the replicate task.
func TestReplicatedNodeMissesWrite(t *testing.T) {
	tests := []struct {
		name  string
		fault func(c *cluster)
	}{
		{"Down", func(c *cluster) { c.set(up, down, up) }},
		{"FailsMidWrite", func(c *cluster) { c.nodes[1].failWrites.Store(100 << 10) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCluster(t)
			tt.fault(c)
			want := content(3, mib+7)
			id := c.write(t, want)
			c.checkCounts(t, 1, 0, 1)
			tasks := c.q.take(t)
			wantTasks := []replicateTask{{Type: queue.TypeReplicate, ID: id, Node: "storage-2"}}
			if diff := cmp.Diff(wantTasks, tasks, cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Raw" }, cmp.Ignore())); diff != "" {
				t.Fatalf("tasks mismatch (-want +got):\n%s", diff)
			}

			// Back up, storage-2 has no copy to serve.
			c.nodes[1].failWrites.Store(0)
			c.set(down, up, down)
			if _, err := c.OpenBlob(t.Context(), id); err == nil {
				t.Fatalf("Open from a node that missed the write succeeded")
			}
			// A failed repair (no source up) is an error, for the queue
			// to retry.
			if err := c.Replicate(t.Context(), tasks[0].Raw); err == nil {
				t.Errorf("Replicate with no source node up = nil, want an error")
			}
			c.set(up, up, down)
			if err := c.Replicate(t.Context(), tasks[0].Raw); err != nil {
				t.Fatalf("Replicate = %v", err)
			}
			c.checkCounts(t, 1, 1, 1)
			c.set(down, up, down)
			c.check(t, id, want)
			// Replicating again changes nothing.
			c.set(up, up, up)
			if err := c.Replicate(t.Context(), tasks[0].Raw); err != nil {
				t.Errorf("Replicate again = %v", err)
			}
			c.checkCounts(t, 1, 1, 1)
			if err := c.DeleteBlob(t.Context(), id); err != nil {
				t.Errorf("Delete = %v", err)
			}
			c.checkCounts(t, 0, 0, 0)
		})
	}
}

func TestReplicatedWriteFailsEverywhere(t *testing.T) {
	errRead := errors.New("read failed")
	tests := []struct {
		name  string
		fault func(c *cluster)
		r     io.Reader
		want  error
	}{
		{"AllDown", func(c *cluster) { c.set(down, down, down) }, bytes.NewReader(content(1, mib)), errDown},
		{"AllFailMidWrite", func(c *cluster) {
			for i, n := range c.nodes {
				n.failWrites.Store(int64(i+1) * 100 << 10)
			}
		}, bytes.NewReader(content(1, mib)), errDown},
		{"OneDownReaderFails", func(c *cluster) { c.set(up, down, up) },
			io.MultiReader(bytes.NewReader(content(1, mib)), iotest.ErrReader(errRead)), errRead},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCluster(t)
			tt.fault(c)
			id, _, err := c.WriteBlob(t.Context(), tt.r, -1)
			if !errors.Is(err, tt.want) || id != "" {
				t.Errorf("Write = %q, %v; want no ID and %v", id, err, tt.want)
			}
			c.checkCounts(t, 0, 0, 0)
			if got := c.q.take(t); len(got) != 0 {
				t.Errorf("a failed write enqueued %v", got)
			}
		})
	}
}

func TestReplicatedDelete(t *testing.T) {
	c := newCluster(t)
	want := content(4, 1000)

	id := c.write(t, want)
	c.set(up, down, up)
	if err := c.DeleteBlob(t.Context(), id); err != nil {
		t.Errorf("Delete with a node down = %v", err)
	}
	c.set(up, up, up)
	if _, err := c.OpenBlob(t.Context(), id); !errors.Is(err, backend.ErrBlobNotFound) {
		t.Errorf("Open after Delete = %v, want ErrBlobNotFound", err)
	}
	c.checkCounts(t, 0, 1, 0) // orphaned on the node that was down

	id = c.write(t, want)
	c.set(down, down, down)
	if err := c.DeleteBlob(t.Context(), id); !errors.Is(err, errDown) {
		t.Errorf("Delete with every node down = %v, want errDown", err)
	}
	c.set(up, up, up)
	c.check(t, id, want) // a failed Delete keeps the blob
	if err := c.DeleteBlob(t.Context(), id); err != nil {
		t.Errorf("Delete = %v", err)
	}
	c.checkCounts(t, 0, 1, 0)
}

func TestReplicateAfterDelete(t *testing.T) {
	c := newCluster(t)
	c.set(up, down, up)
	id := c.write(t, content(5, 1000))
	tasks := c.q.take(t)
	if len(tasks) != 1 {
		t.Fatalf("tasks = %v, want one", tasks)
	}
	if err := c.DeleteBlob(t.Context(), id); err != nil {
		t.Fatal(err)
	}
	c.set(up, up, up)
	if err := c.Replicate(t.Context(), tasks[0].Raw); err != nil {
		t.Errorf("Replicate of a deleted blob = %v, want nil (nothing to do)", err)
	}
	c.checkCounts(t, 0, 0, 0)
}

func TestReplicateBadTask(t *testing.T) {
	c := newCluster(t)
	for _, payload := range []string{`{`, `{"id":"r1","node":"storage-9"}`} {
		if err := c.Replicate(t.Context(), []byte(payload)); err == nil {
			t.Errorf("Replicate(%s) = nil, want an error", payload)
		}
	}
}

// TestReplicatedServices runs the replicas as storage services, and stops
// one for good: reads keep working, writes go to the others.
func TestReplicatedServices(t *testing.T) {
	var nodes []storage.Node
	var servers []*httptest.Server
	for i := range 3 {
		srv := httptest.NewServer(storage.NewHandler(suitetest.Memory(t)))
		t.Cleanup(srv.Close)
		servers = append(servers, srv)
		nodes = append(nodes, storage.Node{Name: fmt.Sprintf("storage-%d", i+1), Blobs: storage.NewClient(srv.URL, srv.Client())})
	}
	q := &fakeQueue{}
	r := storage.NewReplicated(nodes, q)
	want := content(6, 3*mib)
	id, _, err := r.WriteBlob(t.Context(), bytes.NewReader(want), int64(len(want)))
	if err != nil {
		t.Fatal(err)
	}
	bl, err := r.OpenBlob(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	defer bl.Close()
	got := make([]byte, len(want))
	if _, err := bl.ReadAt(got[:mib], 0); err != nil {
		t.Fatal(err)
	}

	servers[0].CloseClientConnections()
	servers[0].Close()

	// The open blob fails over, new reads skip the dead node.
	if _, err := bl.ReadAt(got[mib:], mib); err != nil {
		t.Fatalf("ReadAt after storage-1 stopped = %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("read other bytes than written")
	}
	bl2, err := r.OpenBlob(t.Context(), id)
	if err != nil {
		t.Fatalf("Open after storage-1 stopped = %v", err)
	}
	if !bytes.Equal(readAll(t, bl2), want) {
		t.Errorf("read other bytes than written")
	}
	bl2.Close()

	id2, _, err := r.WriteBlob(t.Context(), bytes.NewReader(want), -1)
	if err != nil {
		t.Fatalf("Write after storage-1 stopped = %v", err)
	}
	tasks := q.take(t)
	if len(tasks) != 1 || tasks[0].ID != id2 || tasks[0].Node != "storage-1" {
		t.Errorf("tasks = %+v, want one for %s on storage-1", tasks, id2)
	}
}
