// Replicas: the seed's write-all / read-best storage nodes. A write goes to
// every node at once; a read comes from the first node that answers; a
// node that missed a write gets the blob later through the queue.

package storage

import (
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"sync"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/queue"
)

// Node is one storage node of a Replicated store.
type Node struct {
	Name  string // such as "storage-1"; unique within a Replicated
	Blobs backend.Blobs
}

// Replicated is a backend.Blobs over several nodes that each keep a copy of every
// blob. Write sends the bytes to every node concurrently and succeeds if
// one node stores them; Open reads from the first node, in order, that
// opens the blob, and a read that fails on one node continues on the next.
// A node that missed a write is repaired by a queue.TypeReplicate task
// (see Replicate).
//
// The blob IDs Replicated hands out are its own: each encodes the IDs the
// nodes gave their copies when it was written, so a new Replicated over the
// same nodes (after a restart) still finds every blob. What happens later
// is kept in memory only: after a restart, copies made by Replicate are
// orphans (reads use the original copies), and an ID deleted while a node
// failed to delete its copy could read that copy again — no object refers
// to such an ID any more.
type Replicated struct {
	nodes []Node
	q     queue.Queue

	mu    sync.Mutex                          // guards blobs and gone
	blobs map[backend.BlobID][]backend.BlobID // per node, in node order; "" where the node has no copy
	// gone holds deleted blobs that some node could not delete, so their
	// IDs do not decode back to life.
	gone map[backend.BlobID]bool
}

// encodeID makes the blob ID that carries the nodes' IDs of its copies.
func encodeID(ids []backend.BlobID) backend.BlobID {
	b, _ := json.Marshal(ids)
	return backend.BlobID("r" + base64.RawURLEncoding.EncodeToString(b))
}

// lookupLocked returns the nodes' IDs of blob id, decoding them from the ID
// when this Replicated has not seen it (a blob written before a restart).
func (r *Replicated) lookupLocked(id backend.BlobID) ([]backend.BlobID, bool) {
	if ids, ok := r.blobs[id]; ok {
		return ids, true
	}
	if r.gone[id] {
		return nil, false
	}
	rest, ok := strings.CutPrefix(string(id), "r")
	if !ok {
		return nil, false
	}
	b, err := base64.RawURLEncoding.DecodeString(rest)
	var ids []backend.BlobID
	if err != nil || json.Unmarshal(b, &ids) != nil || len(ids) != len(r.nodes) {
		return nil, false
	}
	r.blobs[id] = ids
	return ids, true
}

var _ backend.Blobs = (*Replicated)(nil)

// replicateTask is the payload of a queue.TypeReplicate task.
type replicateTask struct {
	ID   backend.BlobID `json:"id"`   // the Replicated blob ID
	Node string         `json:"node"` // the node to copy it to
}

// NewReplicated returns a backend.Blobs keeping every blob on each of nodes. When a
// write misses a node, it enqueues a queue.TypeReplicate task on q (if q is
// not nil), which Replicate runs. NewReplicated panics if nodes is empty,
// or if a node has no Blobs or shares its name with another.
func NewReplicated(nodes []Node, q queue.Queue) *Replicated {
	if len(nodes) == 0 {
		panic("storage: NewReplicated with no nodes")
	}
	seen := make(map[string]bool, len(nodes))
	for _, n := range nodes {
		if n.Blobs == nil {
			panic(fmt.Sprintf("storage: NewReplicated: node %q has no Blobs", n.Name))
		}
		if seen[n.Name] {
			panic(fmt.Sprintf("storage: NewReplicated: two nodes named %q", n.Name))
		}
		seen[n.Name] = true
	}
	return &Replicated{
		nodes: append([]Node(nil), nodes...),
		q:     q,
		blobs: make(map[backend.BlobID][]backend.BlobID),
		gone:  make(map[backend.BlobID]bool),
	}
}

// Nodes returns the nodes' names, in order.
func (r *Replicated) Nodes() []string {
	names := make([]string, len(r.nodes))
	for i, n := range r.nodes {
		names[i] = n.Name
	}
	return names
}

// Copies returns the node IDs of blob id, in node order ("" where a node
// has no copy), or false if there is no such blob.
func (r *Replicated) Copies(id backend.BlobID) ([]backend.BlobID, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	ids, ok := r.lookupLocked(id)
	return append([]backend.BlobID(nil), ids...), ok
}

// nodeWrite is one node's part of a Write.
type nodeWrite struct {
	pw      *io.PipeWriter
	dropped bool // the node stopped reading
	id      backend.BlobID
	n       int64
	err     error
}

// errNodeDone ends the tee to a node whose Write returned before reading
// everything.
var errNodeDone = errors.New("storage: node stopped reading")

// WriteBlob implements backend.Blobs: it streams r to every node at once, and
// succeeds if at least one node stores all of it. A node that fails is left
// without a copy (and a replicate task is enqueued for it); if every node
// fails, nothing is stored and the nodes' errors are returned.
func (r *Replicated) WriteBlob(ctx context.Context, src io.Reader, sizeHint int64) (backend.BlobID, int64, error) {
	if err := ctx.Err(); err != nil {
		return "", 0, err
	}
	ws := make([]*nodeWrite, len(r.nodes))
	var wg sync.WaitGroup
	for i, node := range r.nodes {
		pr, pw := io.Pipe()
		w := &nodeWrite{pw: pw}
		ws[i] = w
		wg.Go(func() {
			w.id, w.n, w.err = node.Blobs.WriteBlob(ctx, pr, sizeHint)
			// Unblocks the tee if the node stopped before the end.
			pr.CloseWithError(cmp.Or(w.err, errNodeDone))
		})
	}

	// Tee src to the nodes still reading. A pipe write returns once the
	// node has taken the bytes, so the nodes advance together and no more
	// than one buffer is held.
	buf := make([]byte, 32<<10)
	var total int64
	var srcErr error
	for live := len(ws); live > 0; {
		n, err := src.Read(buf)
		if n > 0 {
			total += int64(n)
			for _, w := range ws {
				if !w.dropped {
					if _, werr := w.pw.Write(buf[:n]); werr != nil {
						w.dropped = true
						live--
					}
				}
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			srcErr = fmt.Errorf("storage: reading blob: %w", err)
			break
		}
	}
	for _, w := range ws {
		if srcErr != nil {
			w.pw.CloseWithError(srcErr)
		} else {
			w.pw.Close()
		}
	}
	wg.Wait()

	ids := make([]backend.BlobID, len(ws))
	var errs []error
	stored := 0
	for i, w := range ws {
		ok := w.err == nil && !w.dropped && srcErr == nil && w.n == total && w.id != ""
		if ok {
			ids[i] = w.id
			stored++
			continue
		}
		if w.err == nil && w.id != "" {
			// The node claims a blob it cannot have stored whole.
			_ = r.nodes[i].Blobs.DeleteBlob(context.WithoutCancel(ctx), w.id)
		}
		err := w.err
		if err == nil {
			err = fmt.Errorf("stored %d of %d bytes", w.n, total)
		}
		errs = append(errs, fmt.Errorf("node %s: %w", r.nodes[i].Name, err))
	}
	if srcErr != nil {
		return "", 0, srcErr
	}
	if stored == 0 {
		if err := ctx.Err(); err != nil {
			return "", 0, err
		}
		return "", 0, fmt.Errorf("storage: write failed on every node: %w", errors.Join(errs...))
	}

	id := encodeID(ids)
	r.mu.Lock()
	r.blobs[id] = ids
	r.mu.Unlock()

	if stored < len(ws) && r.q != nil {
		ctx := context.WithoutCancel(ctx)
		for i, nid := range ids {
			if nid == "" {
				payload, _ := json.Marshal(replicateTask{id, r.nodes[i].Name})
				// Best effort: the write is acknowledged on the other
				// nodes, and a lost task only leaves fewer copies.
				_, _ = r.q.Enqueue(ctx, queue.TypeReplicate, payload)
			}
		}
	}
	return id, total, nil
}

// open opens the first copy of a blob, in node order, that opens, skipping
// node skip (-1 for none). It returns the index of the node it used.
func (r *Replicated) open(ctx context.Context, id backend.BlobID, ids []backend.BlobID, from, skip int) (backend.Blob, int, error) {
	var errs []error
	for i := from; i < len(ids); i++ {
		if ids[i] == "" || i == skip {
			continue
		}
		b, err := r.nodes[i].Blobs.OpenBlob(ctx, ids[i])
		if err == nil {
			return b, i, nil
		}
		if cerr := ctx.Err(); cerr != nil {
			return nil, -1, cerr
		}
		errs = append(errs, fmt.Errorf("node %s: %w", r.nodes[i].Name, err))
	}
	if len(errs) == 0 {
		return nil, -1, fmt.Errorf("storage: open %q: no node has a copy: %w", id, backend.ErrBlobNotFound)
	}
	return nil, -1, fmt.Errorf("storage: open %q: %w", id, errors.Join(errs...))
}

// OpenBlob implements backend.Blobs: it opens the blob on the first node, in order,
// that opens it. Reads that fail on that node continue on the next one
// that opens the blob.
func (r *Replicated) OpenBlob(ctx context.Context, id backend.BlobID) (backend.Blob, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ids, ok := r.Copies(id)
	if !ok {
		return nil, fmt.Errorf("storage: open %q: %w", id, backend.ErrBlobNotFound)
	}
	b, i, err := r.open(ctx, id, ids, 0, -1)
	if err != nil {
		return nil, err
	}
	return &replicaBlob{r: r, ctx: ctx, id: id, ids: ids, size: b.Size(), cur: b, node: i}, nil
}

// replicaBlob reads a blob from one node and moves to the next when a read
// fails.
type replicaBlob struct {
	r    *Replicated
	ctx  context.Context
	id   backend.BlobID
	ids  []backend.BlobID
	size int64

	mu     sync.Mutex // guards cur, node and closed
	cur    backend.Blob
	node   int // index of cur's node
	closed bool
}

// ReadAt implements io.ReaderAt.
func (b *replicaBlob) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errNegativeOffset
	}
	n := 0
	for {
		b.mu.Lock()
		cur, node, closed := b.cur, b.node, b.closed
		b.mu.Unlock()
		if closed {
			return n, fs.ErrClosed
		}
		m, err := cur.ReadAt(p[n:], off+int64(n))
		n += m
		if err == nil || err == io.EOF || b.ctx.Err() != nil {
			return n, err
		}
		if !b.failover(node) {
			return n, err
		}
	}
}

// failover replaces the blob of node failed with a copy on a later node. It
// reports whether the caller should read again: false if no other node
// opens the blob.
func (b *replicaBlob) failover(failed int) bool {
	b.mu.Lock()
	moved := b.node != failed // another reader already moved on
	b.mu.Unlock()
	if moved {
		return true
	}
	next, i, err := b.r.open(b.ctx, b.id, b.ids, failed+1, -1)
	if err != nil {
		return false
	}
	if next.Size() != b.size {
		next.Close()
		return false
	}
	b.mu.Lock()
	old := b.cur
	swap := !b.closed && b.node == failed
	if swap {
		b.cur, b.node = next, i
	}
	b.mu.Unlock()
	if swap {
		old.Close()
	} else {
		next.Close()
	}
	return true
}

// Size implements backend.Blob.
func (b *replicaBlob) Size() int64 { return b.size }

// Close implements backend.Blob.
func (b *replicaBlob) Close() error {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return fs.ErrClosed
	}
	b.closed = true
	cur := b.cur
	b.mu.Unlock()
	return cur.Close()
}

// DeleteBlob implements backend.Blobs: it deletes every node's copy. The blob is gone
// once Delete returns, even if some nodes failed to delete their copy (which
// is then orphaned); if every node failed, the blob stays and the errors are
// returned.
func (r *Replicated) DeleteBlob(ctx context.Context, id backend.BlobID) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r.mu.Lock()
	ids, ok := r.lookupLocked(id)
	delete(r.blobs, id)
	r.mu.Unlock()
	if !ok {
		return fmt.Errorf("storage: delete %q: %w", id, backend.ErrBlobNotFound)
	}
	var errs []error
	tried, missing := 0, 0
	for i, nid := range ids {
		if nid == "" {
			continue
		}
		tried++
		err := r.nodes[i].Blobs.DeleteBlob(ctx, nid)
		switch {
		case errors.Is(err, backend.ErrBlobNotFound):
			missing++
		case err != nil:
			errs = append(errs, fmt.Errorf("node %s: %w", r.nodes[i].Name, err))
		}
	}
	if tried > 0 && missing == tried {
		// No node had it: an ID decoded from a blob deleted before.
		return fmt.Errorf("storage: delete %q: %w", id, backend.ErrBlobNotFound)
	}
	if tried > 0 && len(errs) == tried {
		// Every copy is still there: keep the blob, unless a Replicate
		// recorded a copy meanwhile (then the two are merged).
		r.mu.Lock()
		if cur, ok := r.blobs[id]; ok {
			for i := range cur {
				cur[i] = cmp.Or(cur[i], ids[i])
			}
		} else {
			r.blobs[id] = ids
		}
		r.mu.Unlock()
		return fmt.Errorf("storage: delete %q failed on every node: %w", id, errors.Join(errs...))
	}
	if len(errs) > 0 {
		r.mu.Lock()
		r.gone[id] = true
		r.mu.Unlock()
	}
	return nil
}

// Replicate runs a queue.TypeReplicate task: it copies a blob to the node
// that missed it, from a node that has it, and records the copy. It returns
// nil if there is nothing left to do (the node has a copy, or the blob was
// deleted), and an error, for the queue to retry, if the copy failed.
func (r *Replicated) Replicate(ctx context.Context, payload []byte) error {
	var task replicateTask
	if err := json.Unmarshal(payload, &task); err != nil {
		return fmt.Errorf("storage: replicate: bad payload: %w", err)
	}
	target := -1
	for i, n := range r.nodes {
		if n.Name == task.Node {
			target = i
		}
	}
	if target < 0 {
		return fmt.Errorf("storage: replicate %q: no node named %q", task.ID, task.Node)
	}
	ids, ok := r.Copies(task.ID)
	if !ok || ids[target] != "" {
		return nil
	}
	src, _, err := r.open(ctx, task.ID, ids, 0, target)
	if notFoundAnywhere(err) {
		return nil // deleted meanwhile
	}
	if err != nil {
		return fmt.Errorf("storage: replicate: %w", err)
	}
	defer src.Close()
	node := r.nodes[target]
	nid, n, err := node.Blobs.WriteBlob(ctx, io.NewSectionReader(src, 0, src.Size()), src.Size())
	if err != nil {
		return fmt.Errorf("storage: replicate %q to %s: %w", task.ID, node.Name, err)
	}
	if n != src.Size() {
		_ = node.Blobs.DeleteBlob(context.WithoutCancel(ctx), nid)
		return fmt.Errorf("storage: replicate %q to %s: stored %d of %d bytes", task.ID, node.Name, n, src.Size())
	}
	r.mu.Lock()
	cur, ok := r.lookupLocked(task.ID)
	record := ok && cur[target] == ""
	if record {
		cur[target] = nid
	}
	r.mu.Unlock()
	if !record {
		// Deleted, or copied by another task, meanwhile.
		_ = node.Blobs.DeleteBlob(context.WithoutCancel(ctx), nid)
	}
	return nil
}

// notFoundAnywhere reports whether err says, for every node it gathers, that
// the blob does not exist.
func notFoundAnywhere(err error) bool {
	if err == nil {
		return false
	}
	for {
		switch e := err.(type) {
		case interface{ Unwrap() []error }:
			for _, sub := range e.Unwrap() {
				if !notFoundAnywhere(sub) {
					return false
				}
			}
			return true
		case interface{ Unwrap() error }:
			err = e.Unwrap()
		default:
			return err == backend.ErrBlobNotFound
		}
	}
}
