package mocks3

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"time"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/faults"
)

// An Option configures a Server. Options are applied after the defaults, in
// order; an invalid value makes New and NewServer fail, naming the option.
type Option interface {
	apply(*config) error
}

type optionFunc func(*config) error

func (f optionFunc) apply(c *config) error { return f(c) }

type seedObject struct {
	bucket, key string
	data        []byte
}

type config struct {
	region      string
	accessKey   string
	secretKey   string
	buckets     []string
	objects     []seedObject
	fsys        []fs.FS
	backend     backend.Backend
	dir         string
	clock       func() time.Time
	logger      *slog.Logger
	minPartSize int64
	tls         bool
	addr        string
	inMemory    bool
	baseDomains []string
	seed        uint64
	rules       []faults.Rule
}

func defaultConfig() config {
	return config{
		region:      "us-east-1",
		accessKey:   "test",
		secretKey:   "test",
		minPartSize: 5 << 20,
		clock:       time.Now,
	}
}

// WithBucket creates the named buckets when the server starts.
func WithBucket(names ...string) Option {
	return optionFunc(func(c *config) error {
		c.buckets = append(c.buckets, names...)
		return nil
	})
}

// WithObject stores an object when the server starts, creating its bucket
// if needed.
func WithObject(bucket, key string, data []byte) Option {
	return optionFunc(func(c *config) error {
		c.objects = append(c.objects, seedObject{bucket, key, append([]byte(nil), data...)})
		return nil
	})
}

// WithFS seeds the server from fsys: each top-level directory is a bucket,
// and each file below it an object whose key is its path within the
// directory. fstest.MapFS, embed.FS and os.DirFS all fit.
func WithFS(fsys fs.FS) Option {
	return optionFunc(func(c *config) error {
		if fsys == nil {
			return errors.New("WithFS: nil file system")
		}
		c.fsys = append(c.fsys, fsys)
		return nil
	})
}

// WithBackend keeps data in b. The server does not close b: its owner does.
func WithBackend(b backend.Backend) Option {
	return optionFunc(func(c *config) error {
		if b == nil {
			return errors.New("WithBackend: nil backend")
		}
		c.backend = b
		return nil
	})
}

// WithDir keeps data in dir with the disk backend, so that a later server
// on the same dir sees it.
func WithDir(dir string) Option {
	return optionFunc(func(c *config) error {
		if dir == "" {
			return errors.New("WithDir: empty directory")
		}
		c.dir = dir
		return nil
	})
}

// WithRegion sets the server's region (default us-east-1).
func WithRegion(region string) Option {
	return optionFunc(func(c *config) error {
		if region == "" {
			return errors.New("WithRegion: empty region")
		}
		c.region = region
		return nil
	})
}

// WithCredentials sets the keys Client and AWSConfig sign with (default
// "test"/"test"). Signatures are not verified.
func WithCredentials(accessKey, secretKey string) Option {
	return optionFunc(func(c *config) error {
		if accessKey == "" || secretKey == "" {
			return errors.New("WithCredentials: empty key")
		}
		c.accessKey, c.secretKey = accessKey, secretKey
		return nil
	})
}

// WithClock sets the clock that stamps LastModified and upload times, so
// tests can make them deterministic.
func WithClock(now func() time.Time) Option {
	return optionFunc(func(c *config) error {
		if now == nil {
			return errors.New("WithClock: nil clock")
		}
		c.clock = now
		return nil
	})
}

// WithLogger logs one line per request to l. Logging is off by default.
func WithLogger(l *slog.Logger) Option {
	return optionFunc(func(c *config) error {
		c.logger = l
		return nil
	})
}

// WithMinPartSize sets the smallest size of a multipart part other than the
// last (S3: 5 MiB), so multipart tests can use small parts.
func WithMinPartSize(n int64) Option {
	return optionFunc(func(c *config) error {
		if n < 1 {
			return fmt.Errorf("WithMinPartSize: %d is not positive", n)
		}
		c.minPartSize = n
		return nil
	})
}

// WithTLS serves HTTPS with a test certificate that Client, HTTPClient and
// AWSConfig trust. Over HTTPS the AWS SDK sends aws-chunked bodies with
// trailing checksums, as it does against S3.
func WithTLS() Option {
	return optionFunc(func(c *config) error {
		c.tls = true
		return nil
	})
}

// WithInMemoryTransport connects the server and its clients without TCP:
// nothing listens on a port, and each connection that Client, HTTPClient
// and AWSConfig open is one end of a net.Pipe whose other end the server
// serves. Requests and bodies stream as over TCP; URL is then
// "http://mocks3.test" ("https://mocks3.test" with WithTLS). Names under
// .test never resolve, so only the server's own clients reach it (and its
// subdomains, for virtual-hosted-style requests).
//
// Nothing then waits on the operating system, so a server started inside a
// testing/synctest bubble runs entirely inside it: delays, client timeouts
// and the SDK's retry backoff follow the bubble's fake clock and take no
// wall time. Start the server in the bubble, with New and the bubble's T,
// which also closes it there; a server started outside a bubble cannot be
// used from inside one.
//
// A pipe buffers nothing: the server cannot finish writing a response the
// client does not read, so close every response body before the test ends,
// or Close waits for it. WithInMemoryTransport cannot be combined with
// WithAddr.
func WithInMemoryTransport() Option {
	return optionFunc(func(c *config) error {
		c.inMemory = true
		return nil
	})
}

// WithAddr listens on addr (such as "127.0.0.1:8080") instead of a random
// loopback port.
func WithAddr(addr string) Option {
	return optionFunc(func(c *config) error {
		if addr == "" {
			return errors.New("WithAddr: empty address")
		}
		c.addr = addr
		return nil
	})
}

// check reports options that conflict with each other.
func (c *config) check() error {
	if c.inMemory && c.addr != "" {
		return errors.New("WithInMemoryTransport and WithAddr: an in-memory server listens on no address")
	}
	return nil
}

// WithBaseDomain adds a domain under which "bucket.<domain>" addresses a
// bucket in virtual-hosted style; "localhost" always does.
func WithBaseDomain(domain string) Option {
	return optionFunc(func(c *config) error {
		if domain == "" {
			return errors.New("WithBaseDomain: empty domain")
		}
		c.baseDomains = append(c.baseDomains, domain)
		return nil
	})
}

// WithSeed seeds the source of request and upload IDs and of fault
// probabilities and jitter, so that runs repeat exactly.
func WithSeed(seed uint64) Option {
	return optionFunc(func(c *config) error {
		c.seed = seed
		return nil
	})
}

// WithFaults starts the server with fault rules in place; Faults adds and
// removes rules later.
func WithFaults(rules ...faults.Rule) Option {
	return optionFunc(func(c *config) error {
		c.rules = append(c.rules, rules...)
		return nil
	})
}
