package mocks3

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"path"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/backend/disk"
	"github.com/mocks3/mocks3/backend/memory"
	"github.com/mocks3/mocks3/internal/faultengine"
	"github.com/mocks3/mocks3/internal/faulttrace"
	"github.com/mocks3/mocks3/internal/gateway"
	"github.com/mocks3/mocks3/internal/objects"
	"github.com/mocks3/mocks3/internal/serverext"
)

// Server is a running S3-compatible server.
type Server struct {
	// URL is the server's base URL, such as "http://127.0.0.1:54321", or
	// "http://mocks3.test" with WithInMemoryTransport.
	URL string

	cfg     config
	ts      *httptest.Server
	pipe    *pipeListener // with WithInMemoryTransport
	client  *http.Client
	handler *gateway.Handler
	objects *objects.Store // the direct API and the queue's tasks go here
	top     http.Handler   // handler plus the admin API
	backend backend.Backend
	// nodeBackends are the storage nodes' backends, node 0 first; empty
	// when the only node is backend.
	nodeBackends []backend.Backend
	closers      []func() // run by Close, last first
	roles        *roles
	cancel       context.CancelFunc
	faults       *faultengine.Engine
	faultsAPI    *Faults // faults, as Faults hands it out
	journal      journal
	identities   []gateway.Identity // Client signs as the first

	closeOnce sync.Once
}

// New starts a Server for the duration of a test: it is closed when tb and
// its subtests finish. A setup failure fails the test.
func New(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	s, err := NewServer(opts...)
	if err != nil {
		tb.Fatalf("mocks3: %v", err)
	}
	tb.Cleanup(s.Close)
	return s
}

// NewServer starts a Server. The caller must Close it. Use it in TestMain,
// examples and programs; tests use New.
func NewServer(opts ...Option) (*Server, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	ids, err := identities(&cfg)
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, identities: ids}
	ok := false
	defer func() {
		if !ok {
			s.shutdown()
		}
	}()
	if err := s.openBackend(); err != nil {
		return nil, err
	}
	s.faults = faultengine.New(faultengine.Config{Seed: cfg.seed, Now: cfg.clock})
	s.faultsAPI = &Faults{s.faults}
	if _, err := s.faults.Replace(cfg.rules...); err != nil {
		return nil, fmt.Errorf("WithFaults: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	roles, err := s.startRoles()
	if err != nil {
		return nil, err
	}
	s.roles = roles
	if err := s.sweepOrphans(ctx); err != nil {
		return nil, err
	}
	s.objects = objects.New(objects.Config{
		Metadata:   roles.meta,
		Storage:    roles.data,
		Queue:      roles.queue,
		ThirdParty: roles.origin,
		Region:     cfg.region,
		Now:        cfg.clock,
		Deliver:    s.newDeliverer().deliver,
	})
	s.handler = gateway.New(gateway.Config{
		Objects:     s.objects,
		Intercept:   s.faults.Intercept,
		OnRequest:   s.record,
		Region:      cfg.region,
		Now:         cfg.clock,
		MinPartSize: cfg.minPartSize,
		BaseDomains: baseDomains(cfg),
		Logger:      cfg.logger,
		Seed:        idSeed(cfg),
		Context:     ctx,
		Auth:        authConfig(&cfg, ids),
	})
	s.startWorker(ctx, roles)
	if err := s.seed(bypass(ctx)); err != nil {
		return nil, err
	}
	if err := s.serve(ctx); err != nil {
		return nil, err
	}
	ok = true
	return s, nil
}

// newConfig applies opts to the defaults and checks the result.
func newConfig(opts []Option) (config, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		// The binary's own options travel with the public ones; they only
		// set cfg.ext.
		if x, ok := o.(serverext.Option); ok {
			if err := x.ApplySettings(&cfg.ext); err != nil {
				return cfg, err
			}
			continue
		}
		if err := o.apply(&cfg); err != nil {
			return cfg, err
		}
	}
	if len(cfg.ext.StackAddrs) > 0 {
		cfg.stack = true
	}
	return cfg, cfg.check()
}

// openBackend sets s.backend: WithBackend's, a disk directory's or a fresh
// memory backend. Close closes the ones it opened.
func (s *Server) openBackend() error {
	switch {
	case s.cfg.backend != nil:
		s.backend = s.cfg.backend
	case s.cfg.dir != "":
		b, err := disk.Open(s.cfg.dir)
		if err != nil {
			return fmt.Errorf("WithDir: %w", err)
		}
		s.backend = b
		s.onClose(func() { b.Close() })
	default:
		b := memory.NewWithLimit(s.cfg.ext.MemoryLimit)
		s.backend = b
		s.onClose(func() { b.Close() })
	}
	return nil
}

// serve starts the HTTP server for s.top on its listener: a TCP port, the
// binary's Addr, or the in-memory pipe; requests carry ctx.
func (s *Server) serve(ctx context.Context) error {
	s.top = s.topHandler()
	if s.cfg.inMemory {
		// A literal rather than NewUnstartedServer, which would open a TCP
		// listener only to have it replaced.
		s.pipe = newPipeListener(inMemoryHost)
		s.ts = &httptest.Server{Listener: s.pipe, Config: &http.Server{Handler: s.top}}
	} else {
		s.ts = httptest.NewUnstartedServer(s.top)
	}
	s.ts.Config.BaseContext = func(net.Listener) context.Context { return ctx }
	if s.cfg.ext.Addr != "" {
		l, err := listen(s.cfg.ext.Addr)
		if err != nil {
			s.ts.Listener.Close()
			s.ts = nil
			return fmt.Errorf("Addr: %w", err)
		}
		s.ts.Listener.Close()
		s.ts.Listener = l
	}
	s.applyLimits()
	if s.cfg.tls {
		s.ts.StartTLS()
	} else {
		s.ts.Start()
	}
	s.URL = s.ts.URL
	s.client = s.ts.Client()
	if s.pipe != nil {
		s.client = s.pipe.client(s.ts.Certificate())
	}
	return nil
}

func listen(addr string) (net.Listener, error) { return net.Listen("tcp", addr) }

// idSeed returns the seed of request and upload IDs: WithSeed's, or a random
// one, so that IDs never repeat across restarts on one directory.
func idSeed(cfg config) uint64 {
	if cfg.seeded {
		return cfg.seed
	}
	return rand.Uint64()
}

func bypass(ctx context.Context) context.Context { return faulttrace.Bypass(ctx) }

// onClose registers f to run at Close, after the gateway has stopped, in
// the reverse order of registration.
func (s *Server) onClose(f func()) { s.closers = append(s.closers, f) }

// shutdown stops everything NewServer started: the server's context first,
// so that hangs and delays end at once, then the gateway (waiting for
// requests in flight), then the queue worker, the role services and the
// backends.
func (s *Server) shutdown() {
	if s.cancel != nil {
		s.cancel()
	}
	if s.ts != nil {
		s.ts.Close()
	}
	if s.client != nil {
		s.client.CloseIdleConnections()
	}
	for i := len(s.closers) - 1; i >= 0; i-- {
		s.closers[i]()
	}
}

func baseDomains(cfg config) []string {
	if cfg.inMemory {
		return append([]string{inMemoryHost}, cfg.ext.BaseDomains...)
	}
	return cfg.ext.BaseDomains
}

func (s *Server) seed(ctx context.Context) error {
	for _, b := range s.cfg.buckets {
		if err := s.createBucket(ctx, b); err != nil {
			return fmt.Errorf("WithBucket(%q): %w", b, err)
		}
	}
	for _, o := range s.cfg.objects {
		if err := s.createBucket(ctx, o.bucket); err != nil {
			return fmt.Errorf("WithObject(%q, %q): %w", o.bucket, o.key, err)
		}
		if _, err := s.objects.SeedObject(ctx, o.bucket, o.key, bytes.NewReader(o.data), ""); err != nil {
			return fmt.Errorf("WithObject(%q, %q): %w", o.bucket, o.key, err)
		}
	}
	for _, fsys := range s.cfg.fsys {
		if err := s.seedFS(ctx, fsys); err != nil {
			return fmt.Errorf("WithFS: %w", err)
		}
	}
	return nil
}

func (s *Server) seedFS(ctx context.Context, fsys fs.FS) error {
	return fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == "." {
			return err
		}
		bucket, key, nested := strings.Cut(p, "/")
		if !nested {
			if !d.IsDir() {
				return nil // files at the top level belong to no bucket
			}
			return s.createBucket(ctx, bucket)
		}
		if d.IsDir() {
			return nil
		}
		f, err := fsys.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		_, err = s.objects.SeedObject(ctx, bucket, key, f, mimeType(path.Ext(key)))
		return err
	})
}

func mimeType(ext string) string {
	switch ext {
	case ".txt":
		return "text/plain; charset=utf-8"
	case ".json":
		return "application/json"
	case ".html":
		return "text/html; charset=utf-8"
	}
	return ""
}

// Close shuts the server down, waiting for requests in flight. It cancels
// the server's context first, so requests blocked on it end at once. Close
// may be called more than once.
func (s *Server) Close() { s.closeOnce.Do(s.shutdown) }

// HTTPClient returns an HTTP client for the server; with WithTLS it trusts
// the server's certificate. With WithInMemoryTransport it is the only way
// to reach the server.
func (s *Server) HTTPClient() *http.Client { return s.client }

// AWSConfig returns an aws.Config for the server: its endpoint, region and
// static credentials, the HTTP client from HTTPClient, and checksum
// calculation and validation "when supported", as config.LoadDefaultConfig
// gives. It reads no AWS_* environment variable and no ~/.aws file, so the
// machine it runs on cannot change it.
//
// Its retryer is the SDK's standard one (3 attempts, the same retryable
// errors) with two changes for tests: backoff is a few milliseconds rather
// than up to 20 seconds, and there is no retry token budget, so tests that
// inject many failures through one client never see "retry quota exceeded".
func (s *Server) AWSConfig() aws.Config {
	return aws.Config{
		Region:                     s.cfg.region,
		Credentials:                credentials.NewStaticCredentialsProvider(s.identities[0].AccessKey, s.identities[0].SecretKey, ""),
		HTTPClient:                 s.HTTPClient(),
		BaseEndpoint:               aws.String(s.URL),
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenSupported,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenSupported,
		Retryer: func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.RateLimiter = ratelimit.None
				o.Backoff = testBackoff{}
			})
		},
	}
}

// testBackoff waits attempt milliseconds: enough to order retries, too
// little to slow a test.
type testBackoff struct{}

func (testBackoff) BackoffDelay(attempt int, _ error) (time.Duration, error) {
	return time.Duration(attempt) * time.Millisecond, nil
}

// Client returns an S3 client for the server, built from AWSConfig with
// path-style addressing. optFns adjust it further.
func (s *Server) Client(optFns ...func(*s3.Options)) *s3.Client {
	fns := append([]func(*s3.Options){func(o *s3.Options) { o.UsePathStyle = true }}, optFns...)
	return s3.NewFromConfig(s.AWSConfig(), fns...)
}
