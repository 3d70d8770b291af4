package mocks3

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"strings"
	"time"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/faults"
	"github.com/mocks3/mocks3/internal/serverext"
)

// An Option configures a Server. Options are applied after the defaults, in
// order; an invalid value makes New and NewServer fail, naming the option.
type Option interface {
	apply(*config) error
}

type optionFunc func(*config) error

func (f optionFunc) apply(c *config) error { return f(c) }

// setting is an option that cannot be invalid.
type setting func(*config)

func (f setting) apply(c *config) error { f(c); return nil }

// validated is an option that fails with the formatted message if invalid,
// and else sets what set sets.
func validated(invalid bool, set func(*config), format string, args ...any) Option {
	return optionFunc(func(c *config) error {
		if invalid {
			return fmt.Errorf(format, args...)
		}
		set(c)
		return nil
	})
}

type seedObject struct {
	bucket, key string
	data        []byte
}

type config struct {
	region      string
	accessKey   string
	secretKey   string
	credentials bool   // WithCredentials was given
	users       []user // WithUser, in order
	auth        bool   // WithAuth
	sigV2       bool   // WithSignatureV2
	buckets     []string
	objects     []seedObject
	fsys        []fs.FS
	backend     backend.Backend
	dir         string
	clock       func() time.Time
	logger      *slog.Logger
	minPartSize int64
	tls         bool
	inMemory    bool
	seed        uint64
	seeded      bool // WithSeed was given
	rules       []faults.Rule

	stack        bool
	storageNodes int
	origin       Origin
	eventFuncs   []func(Event)
	webhooks     map[string]string // destination ARN → URL
	// ext holds what only the binary sets (internal/cmdserver's options).
	ext serverext.Settings
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
	return setting(func(c *config) { c.buckets = append(c.buckets, names...) })
}

// WithObject stores an object when the server starts, creating its bucket
// if needed.
func WithObject(bucket, key string, data []byte) Option {
	return setting(func(c *config) { c.objects = append(c.objects, seedObject{bucket, key, append([]byte(nil), data...)}) })
}

// WithFS seeds the server from fsys: each top-level directory is a bucket,
// and each file below it an object whose key is its path within the
// directory. fstest.MapFS, embed.FS and os.DirFS all fit.
func WithFS(fsys fs.FS) Option {
	return validated(fsys == nil, func(c *config) { c.fsys = append(c.fsys, fsys) }, "WithFS: nil file system")
}

// WithBackend keeps data in b. The server does not close b: its owner does.
func WithBackend(b backend.Backend) Option {
	return validated(b == nil, func(c *config) { c.backend = b }, "WithBackend: nil backend")
}

// WithDir keeps data in dir with the disk backend, so that a later server
// on the same dir sees it. dir must be missing, empty, or one mocks3
// created: New refuses any other, rather than touch files it does not own.
func WithDir(dir string) Option {
	return validated(dir == "", func(c *config) { c.dir = dir }, "WithDir: empty directory")
}

// WithRegion sets the server's region (default us-east-1).
func WithRegion(region string) Option {
	return validated(region == "", func(c *config) { c.region = region }, "WithRegion: empty region")
}

// WithCredentials sets the keys Client and AWSConfig sign with (default
// "test"/"test"). With WithAuth they are the first identity, named by its
// access key, ahead of any WithUser; without it signatures are not
// verified.
func WithCredentials(accessKey, secretKey string) Option {
	return validated(accessKey == "" || secretKey == "", func(c *config) {
		c.accessKey, c.secretKey, c.credentials = accessKey, secretKey, true
	}, "WithCredentials: empty key")
}

// user is an identity given with WithUser.
type user struct{ name, accessKey, secretKey string }

// WithUser adds an identity requests may be signed as; give it once per
// user. Client signs as the first identity: WithCredentials' if given,
// else the first WithUser (and the default "test"/"test" keys are then not
// an identity). ClientFor signs as any of them by name. Each identity owns
// the buckets it creates. Signatures are verified only with WithAuth.
func WithUser(name, accessKey, secretKey string) Option {
	return optionFunc(func(c *config) error {
		if name == "" || accessKey == "" || secretKey == "" {
			return errors.New("WithUser: empty name or key")
		}
		c.users = append(c.users, user{name, accessKey, secretKey})
		return nil
	})
}

// WithAuth makes the server verify every S3 request's AWS Signature
// Version 4, as S3 does: in the Authorization header, in a presigned URL
// (X-Amz-Expires against the server's clock, see WithClock), and chunk by
// chunk for streaming uploads. Requests must be signed by an identity of
// WithCredentials or WithUser; an unsigned request is AccessDenied. The
// admin API (/_mocks3/) is not affected. Off by default: any request is
// served, signed or not.
func WithAuth() Option {
	return setting(func(c *config) { c.auth = true })
}

// WithSignatureV2 also accepts AWS Signature Version 2 (header and
// presigned query), which s3cmd and older boto use, and which the aws
// CLI's "s3 presign" and boto3's generate_presigned_url produce unless
// configured for s3v4; otherwise such requests are refused as S3 refuses
// them for buckets without V2. It matters only with WithAuth.
func WithSignatureV2() Option {
	return setting(func(c *config) { c.sigV2 = true })
}

// WithClock sets the clock that stamps LastModified and upload times, so
// tests can make them deterministic. With WithAuth it also decides when a
// presigned URL expires and whether a request's time is too skewed, so a
// test moves it instead of sleeping.
func WithClock(now func() time.Time) Option {
	return validated(now == nil, func(c *config) { c.clock = now }, "WithClock: nil clock")
}

// WithLogger logs one line per request to l. Logging is off by default.
func WithLogger(l *slog.Logger) Option {
	return setting(func(c *config) { c.logger = l })
}

// WithMinPartSize sets the smallest size of a multipart part other than the
// last (S3: 5 MiB), so multipart tests can use small parts.
func WithMinPartSize(n int64) Option {
	return validated(n < 1, func(c *config) { c.minPartSize = n }, "WithMinPartSize: %d is not positive", n)
}

// WithTLS serves HTTPS with a test certificate that Client, HTTPClient and
// AWSConfig trust. Over HTTPS the AWS SDK sends aws-chunked bodies with
// trailing checksums, as it does against S3.
func WithTLS() Option {
	return setting(func(c *config) { c.tls = true })
}

// WithInMemoryTransport connects the server and its clients without TCP:
// nothing listens on a port, and each connection that Client, HTTPClient
// and AWSConfig open is an in-memory pair whose other end the server
// serves. Requests and bodies stream as over TCP, through buffers of a
// socket's size; URL is then
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
// or Close waits for it.
func WithInMemoryTransport() Option {
	return setting(func(c *config) { c.inMemory = true })
}

// check reports options that conflict with each other.
func (c *config) check() error {
	if c.inMemory && c.ext.Addr != "" {
		return errors.New("WithInMemoryTransport and Addr: an in-memory server listens on no address")
	}
	if c.inMemory && (c.stack || c.ext.Endpoints != nil) {
		return errors.New("WithInMemoryTransport and WithStack: the stack's services talk over TCP")
	}
	if c.stack && c.ext.Endpoints != nil {
		return errors.New("WithStack and StackEndpoints: start the services or front existing ones, not both")
	}
	return nil
}

// WithSeed seeds the source of request and upload IDs and of fault
// probabilities and jitter, so that runs repeat exactly. Without it, IDs
// come from a random seed, so they never repeat across restarts on one
// WithDir directory.
func WithSeed(seed uint64) Option {
	return setting(func(c *config) { c.seed, c.seeded = seed, true })
}

// WithFaults starts the server with fault rules in place; Faults adds and
// removes rules later.
func WithFaults(rules ...faults.Rule) Option {
	return setting(func(c *config) { c.rules = append(c.rules, rules...) })
}

// WithStack runs each role (metadata, storage, queue, third-party) as its own
// HTTP service on its own listener, like the original MockS3 stack; the S3
// gateway reaches them over HTTP. S3 behaviour is the same as embedded.
// Stack tells their URLs.
func WithStack() Option {
	return setting(func(c *config) { c.stack = true })
}

// WithStorageNodes keeps object bytes on n storage nodes: writes go to every
// healthy node, reads come from the first healthy one, and a node that
// missed a write is caught up through the queue. A fault rule with Node
// "storage-2" takes that node down.
func WithStorageNodes(n int) Option {
	return validated(n < 1 || n > 16, func(c *config) { c.storageNodes = n }, "WithStorageNodes: %d nodes, want 1 to 16", n)
}

// WithThirdParty answers GETs and HEADs of missing objects from origin and
// backfills them through the queue; WaitIdle waits for the backfill.
func WithThirdParty(origin Origin) Option {
	return validated(origin == nil, func(c *config) { c.origin = origin }, "WithThirdParty: nil origin")
}

// WithEvents calls fn with every event notification the server delivers:
// for each write that a bucket's notification configuration selects
// (PutBucketNotificationConfiguration), once per selecting configuration,
// after its webhook (WithWebhook), if any, has accepted it. fn runs on a
// queue worker, not on the request's goroutine: call Server.WaitIdle
// before asserting on what fn saw. fn must return (Close waits for it),
// and a panic in fn fails the delivery, which is retried. Two workers
// deliver, so events may arrive out of order; Event.Sequencer orders the
// events of one key.
func WithEvents(fn func(Event)) Option {
	return validated(fn == nil, func(c *config) { c.eventFuncs = append(c.eventFuncs, fn) }, "WithEvents: nil function")
}

// WithWebhook POSTs the event messages meant for the destination arn (the
// Queue, Topic or CloudFunction ARN of a notification configuration, such
// as "arn:aws:sqs:us-east-1:123456789012:uploads") to url, as JSON in S3's
// event message format. A delivery that fails (a transport error or a
// status other than 2xx) is retried by the queue with growing pauses, up
// to five attempts, then dead-lettered; RoleStats().Tasks["notify"]
// counts them.
func WithWebhook(arn, url string) Option {
	return optionFunc(func(c *config) error {
		if arn == "" {
			return errors.New("WithWebhook: empty ARN")
		}
		if !strings.HasPrefix(url, "http://") && !strings.HasPrefix(url, "https://") {
			return fmt.Errorf("WithWebhook(%q): URL %q is not http:// or https://", arn, url)
		}
		if c.webhooks == nil {
			c.webhooks = map[string]string{}
		}
		c.webhooks[arn] = url
		return nil
	})
}
