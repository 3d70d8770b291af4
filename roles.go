package mocks3

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/backend/disk"
	"github.com/mocks3/mocks3/backend/memory"
	"github.com/mocks3/mocks3/internal/faultroles"
	"github.com/mocks3/mocks3/internal/metadata"
	"github.com/mocks3/mocks3/internal/queue"
	"github.com/mocks3/mocks3/internal/serverext"
	"github.com/mocks3/mocks3/internal/storage"
	"github.com/mocks3/mocks3/internal/thirdparty"
)

// Origin is a third-party origin: where a GET or HEAD that misses locally
// is answered from. Build one with ThirdPartyURL, ThirdPartyS3 or
// ThirdPartyFunc, or implement it.
type Origin interface {
	// Fetch returns the object at bucket/key, an error wrapping
	// fs.ErrNotExist if the origin has none (the GET then answers
	// NoSuchKey), or another error for a failed fetch (the GET then fails
	// with 503 ServiceUnavailable).
	Fetch(ctx context.Context, bucket, key string) (OriginObject, error)
}

// OriginObject is an object an Origin returns; the server closes Body.
type OriginObject struct {
	Body        io.ReadCloser
	Size        int64 // -1 if unknown
	ContentType string
	// Metadata holds user metadata with lower-case keys, without the
	// "x-amz-meta-" prefix.
	Metadata map[string]string
}

// ThirdPartyURL fetches missing objects from baseURL/bucket/key.
func ThirdPartyURL(baseURL string) Origin { return builtinOrigin{thirdparty.HTTPOrigin(baseURL, nil)} }

// ThirdPartyS3 fetches missing objects from another S3 endpoint through
// client, with its own endpoint and credentials.
func ThirdPartyS3(client *s3.Client) Origin { return builtinOrigin{thirdparty.S3Origin(client)} }

// ThirdPartyFunc fetches missing objects from fetch, which returns an error
// wrapping fs.ErrNotExist for objects it does not have.
func ThirdPartyFunc(fetch func(ctx context.Context, bucket, key string) ([]byte, error)) Origin {
	return builtinOrigin{thirdparty.FuncOrigin(func(ctx context.Context, bucket, key string) ([]byte, error) {
		data, err := fetch(ctx, bucket, key)
		return data, toRoleErr(err)
	})}
}

// toRoleErr makes a user origin's miss, any fs.ErrNotExist, the
// third-party role's ErrNotFound (itself an fs.ErrNotExist, so the way
// back needs no translation).
func toRoleErr(err error) error {
	if errors.Is(err, fs.ErrNotExist) && !errors.Is(err, thirdparty.ErrNotFound) {
		return fmt.Errorf("%w: %w", thirdparty.ErrNotFound, err)
	}
	return err
}

// builtinOrigin is an Origin of the third-party role's own.
type builtinOrigin struct{ o thirdparty.Origin }

func (b builtinOrigin) Fetch(ctx context.Context, bucket, key string) (OriginObject, error) {
	obj, err := b.o.Fetch(ctx, bucket, key)
	return OriginObject(obj), err
}

// userOrigin is a user's Origin as the third-party role sees it.
type userOrigin struct{ o Origin }

func (u userOrigin) Fetch(ctx context.Context, bucket, key string) (thirdparty.Object, error) {
	obj, err := u.o.Fetch(ctx, bucket, key)
	return thirdparty.Object(obj), toRoleErr(err)
}

// roleOrigin returns o as the third-party role's origin (nil for none).
func roleOrigin(o Origin) thirdparty.Origin {
	switch o := o.(type) {
	case nil:
		return nil
	case builtinOrigin:
		return o.o
	default:
		return userOrigin{o}
	}
}

// StackInfo tells where the role services of a stack-mode server listen.
type StackInfo struct {
	Metadata   string
	Storage    []string
	Queue      string
	ThirdParty string // "" without a third-party origin
	Faults     string // the fault REST API, like the seed's mock-error service
}

// roles are the role implementations a server's gateway talks to.
type roles struct {
	meta    backend.Records
	data    backend.Blobs
	queue   queue.Queue
	origin  thirdparty.Origin // nil without a third-party origin
	counted *thirdparty.Counting
	replica *storage.Replicated // with several storage nodes
	stack   StackInfo
}

// serveRole serves one role over HTTP in stack mode. The fault service is
// guarded as the admin API is; the others refuse browsers.
func (s *Server) serveRole(name string, h http.Handler, addr string) (string, error) {
	if s.cfg.ext.ServiceWrapper != nil {
		h = s.cfg.ext.ServiceWrapper(name, h)
	}
	if name == faultService {
		h = s.guardAdmin(h)
	} else {
		h = serverext.RefuseBrowsers(h)
	}
	ts := httptest.NewUnstartedServer(h)
	if addr != "" {
		l, err := listen(addr)
		if err != nil {
			return "", fmt.Errorf("%s service: %w", name, err)
		}
		ts.Listener.Close()
		ts.Listener = l
	}
	ts.Start()
	s.onClose(ts.Close)
	return ts.URL, nil
}

// nodeBackend returns the backend of storage node i (0-based): node 0
// shares the server's backend; the others live in memory, or with WithDir
// under dir/nodes/N.
func (s *Server) nodeBackend(i int) (backend.Backend, error) {
	if i == 0 {
		s.nodeBackends = append(s.nodeBackends, s.backend)
		return s.backend, nil
	}
	var b backend.Backend = memory.NewWithLimit(s.cfg.ext.MemoryLimit)
	if s.cfg.dir != "" {
		d, err := disk.Open(filepath.Join(s.cfg.dir, "nodes", strconv.Itoa(i+1)))
		if err != nil {
			return nil, fmt.Errorf("storage node %d: %w", i+1, err)
		}
		b = d
	}
	s.onClose(func() { b.Close() })
	s.nodeBackends = append(s.nodeBackends, b)
	return b, nil
}

// startRoles builds the roles, in process or, in stack mode, as HTTP
// services the gateway reaches through clients.
func (s *Server) startRoles() (*roles, error) {
	cfg := &s.cfg
	r := &roles{}
	// One transport for every role client: enough idle connections for
	// concurrent requests, and none left behind after Close.
	tr := &http.Transport{Proxy: nil, MaxIdleConns: 256, MaxIdleConnsPerHost: 64, IdleConnTimeout: 90 * time.Second}
	s.onClose(tr.CloseIdleConnections)
	hc := &http.Client{Transport: tr}
	q := queue.NewLocal(cfg.clock)
	s.onClose(q.Close)
	origin := roleOrigin(cfg.origin)
	nodes := max(cfg.storageNodes, 1)

	switch {
	case cfg.ext.Endpoints != nil:
		ep := cfg.ext.Endpoints
		r.meta = metadata.NewClient(ep.Metadata, hc)
		var ns []storage.Node
		for i, u := range ep.Storage {
			ns = append(ns, storage.Node{Name: nodeName(i), Blobs: storage.NewClient(u, hc)})
		}
		r.queue = queue.NewClient(ep.Queue, hc)
		if ep.ThirdParty != "" {
			origin = thirdparty.NewClient(ep.ThirdParty, hc)
		}
		r.data = s.replicate(r, ns)
		r.stack = StackInfo{Metadata: ep.Metadata, Storage: ep.Storage, Queue: ep.Queue, ThirdParty: ep.ThirdParty}

	case cfg.stack:
		addr := func(i int) string {
			if i < len(cfg.ext.StackAddrs) {
				return cfg.ext.StackAddrs[i]
			}
			return ""
		}
		var err error
		if r.stack.Metadata, err = s.serveRole("metadata", metadata.NewHandler(s.backend), addr(0)); err != nil {
			return nil, err
		}
		r.meta = metadata.NewClient(r.stack.Metadata, hc)
		var ns []storage.Node
		for i := range nodes {
			b, err := s.nodeBackend(i)
			if err != nil {
				return nil, err
			}
			a := ""
			if i == 0 {
				a = addr(1)
			}
			u, err := s.serveRole(nodeName(i), storage.NewHandler(b), a)
			if err != nil {
				return nil, err
			}
			r.stack.Storage = append(r.stack.Storage, u)
			ns = append(ns, storage.Node{Name: nodeName(i), Blobs: storage.NewClient(u, hc)})
		}
		if r.stack.Queue, err = s.serveRole("queue", queue.NewHandler(q), addr(2)); err != nil {
			return nil, err
		}
		r.queue = queue.NewClient(r.stack.Queue, hc)
		if origin != nil {
			c := thirdparty.NewCounting(origin)
			r.counted = c
			if r.stack.ThirdParty, err = s.serveRole("third-party", thirdparty.NewHandler(c, c.Stats), addr(3)); err != nil {
				return nil, err
			}
			origin = thirdparty.NewClient(r.stack.ThirdParty, hc)
		}
		if r.stack.Faults, err = s.serveRole(faultService, s.faults.APIHandler(), addr(4)); err != nil {
			return nil, err
		}
		r.data = s.replicate(r, ns)

	default:
		r.meta = s.backend
		r.queue = q
		var ns []storage.Node
		for i := range nodes {
			b, err := s.nodeBackend(i)
			if err != nil {
				return nil, err
			}
			ns = append(ns, storage.Node{Name: nodeName(i), Blobs: b})
		}
		r.data = s.replicate(r, ns)
	}

	if origin != nil {
		if r.counted == nil {
			r.counted = thirdparty.NewCounting(origin)
			origin = r.counted
		}
		r.origin = faultroles.ThirdParty(origin, s.faults)
	}
	var release func()
	r.meta, r.data, release = faultroles.Metadata(r.meta, r.data, s.faults, s.cfg.ext.MemoryLimit == 0)
	s.onClose(release)
	r.queue = faultroles.Queue(r.queue, s.faults)
	return r, nil
}

// faultService is the stack's fault API service, named as the seed's.
const faultService = "mock-error"

func nodeName(i int) string { return "storage-" + strconv.Itoa(i+1) }

// replicate puts the fault engine in front of each storage node, so a rule
// naming a node can take it down, and spreads data over the nodes when
// there are several.
func (s *Server) replicate(r *roles, nodes []storage.Node) backend.Blobs {
	for i := range nodes {
		nodes[i].Blobs = faultroles.StorageNode(nodes[i].Blobs, nodes[i].Name, s.faults)
	}
	if len(nodes) == 1 {
		return nodes[0].Blobs
	}
	r.replica = storage.NewReplicated(nodes, r.queue)
	return r.replica
}

// startWorker runs the queue's tasks until the server closes.
func (s *Server) startWorker(ctx context.Context, r *roles) {
	handlers := map[string]queue.Handler{
		queue.TypeBackfill: s.objects.RunTask,
		queue.TypeCleanup:  s.objects.RunTask,
		queue.TypeNotify:   s.objects.RunTask,
	}
	if r.replica != nil {
		handlers[queue.TypeReplicate] = func(ctx context.Context, t queue.Task) error { return r.replica.Replicate(ctx, t.Payload) }
	}
	w := queue.NewWorker(r.queue, handlers, 2)
	w.Start(ctx)
	s.onClose(w.Stop)
}

// WaitIdle waits until the queue has no task queued or running: backfills
// from the third-party origin, cleanup of replaced bytes, replication to
// storage nodes, event notifications. Tests call it before asserting on asynchronous effects.
func (s *Server) WaitIdle(ctx context.Context) error { return s.roles.queue.WaitIdle(ctx) }

// Stack tells where the role services listen in stack mode; it is zero in
// embedded mode.
func (s *Server) Stack() StackInfo { return s.roles.stack }

// RoleStats are the roles' own counters: what the metadata role holds,
// the queue's tasks and the third-party origin's answers.
type RoleStats struct {
	Buckets int
	Objects int64
	Bytes   int64 // sum of the objects' sizes
	// ByBucket has an entry for every bucket, empty ones included.
	ByBucket map[string]Usage
	// ByContentType is keyed by media type: lower case, without parameters
	// ("text/plain; charset=utf-8" counts as "text/plain"); objects stored
	// without a Content-Type count under "".
	ByContentType map[string]Usage
	// Tasks count the queue's tasks by type ("replicate", "cleanup",
	// "backfill", "notify" for event notification deliveries, ...).
	Tasks map[string]TaskStats
	// OriginHits, OriginMisses and OriginFetchErrors count the third-party
	// origin's answers.
	OriginHits, OriginMisses, OriginFetchErrors int64
}

// Usage is a number of objects and the sum of their sizes.
type Usage struct {
	Objects int64
	Bytes   int64
}

// TaskStats count the tasks of one type.
type TaskStats struct {
	Enqueued  int64
	Succeeded int64
	Retried   int64
	Dead      int64
	Pending   int64 // queued or leased now
}

// RoleStats returns the metadata role's object and byte counts, the
// queue's task counters and the third-party origin's hits and misses.
func (s *Server) RoleStats(ctx context.Context) (RoleStats, error) {
	var st RoleStats
	ctx = bypass(ctx)
	meta, err := metadata.ComputeStats(ctx, s.roles.meta)
	if err != nil {
		return st, err
	}
	st = RoleStats{Buckets: meta.Buckets, Objects: meta.Objects, Bytes: meta.Bytes,
		ByBucket: make(map[string]Usage, len(meta.ByBucket)), ByContentType: make(map[string]Usage, len(meta.ByContentType))}
	for b, u := range meta.ByBucket {
		st.ByBucket[b] = Usage(u)
	}
	for ct, u := range meta.ByContentType {
		st.ByContentType[ct] = Usage(u)
	}
	q, err := s.roles.queue.Stats(ctx)
	if err != nil {
		return st, err
	}
	st.Tasks = make(map[string]TaskStats, len(q.ByType))
	for typ, ts := range q.ByType {
		st.Tasks[typ] = TaskStats(ts)
	}
	if s.roles.counted != nil {
		o := s.roles.counted.Stats()
		st.OriginHits, st.OriginMisses, st.OriginFetchErrors = o.Hits, o.Misses, o.FetchErrors
	}
	return st, nil
}
