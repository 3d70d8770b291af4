package mocks3_test

// The in-memory transport (WithInMemoryTransport): the SDK over it, its
// address, its shutdown, and whole fault tests inside testing/synctest
// bubbles, where a 30 s delay costs no wall time.

import (
	"bytes"
	"context"
	"crypto/md5"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/s3/manager"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
	"go.uber.org/goleak"

	"github.com/mocks3/mocks3"
	"github.com/mocks3/mocks3/faults"
	"github.com/mocks3/mocks3/internal/cmdserver"
)

const inMemBucket = "in-memory"

func TestInMemoryTransportSDK(t *testing.T) {
	tests := []struct {
		name    string
		opts    []mocks3.Option
		wantURL string
	}{
		{"http", nil, "http://mocks3.test"},
		{"https", []mocks3.Option{mocks3.WithTLS()}, "https://mocks3.test"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := mocks3.New(t, append([]mocks3.Option{mocks3.WithInMemoryTransport(), mocks3.WithBucket(inMemBucket)}, tt.opts...)...)
			if srv.URL != tt.wantURL {
				t.Errorf("URL = %q, want %q", srv.URL, tt.wantURL)
			}
			ctx := t.Context()
			c := srv.Client()

			data := testData(1<<20, 7)
			if _, err := c.PutObject(ctx, &s3.PutObjectInput{
				Bucket: aws.String(inMemBucket), Key: aws.String("a/1MiB"), Body: bytes.NewReader(data),
			}); err != nil {
				t.Fatalf("PutObject(a/1MiB): %v", err)
			}

			out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(inMemBucket), Key: aws.String("a/1MiB")})
			if err != nil {
				t.Fatalf("GetObject(a/1MiB): %v", err)
			}
			// Read in small steps: the body streams through the pipe.
			h := md5.New()
			n, err := io.CopyBuffer(h, out.Body, make([]byte, 1000))
			out.Body.Close()
			if err != nil {
				t.Fatalf("GetObject(a/1MiB) body: %v", err)
			}
			if n != int64(len(data)) || !bytes.Equal(h.Sum(nil), md5Sum(data)) {
				t.Errorf("GetObject(a/1MiB) = %d bytes with another MD5, want %d bytes as put", n, len(data))
			}

			big := testData(11<<20, 7) // parts of 5, 5 and 1 MiB
			up, err := manager.NewUploader(c).Upload(ctx, &s3.PutObjectInput{
				Bucket: aws.String(inMemBucket), Key: aws.String("b/multipart"), Body: bytes.NewReader(big),
			})
			if err != nil {
				t.Fatalf("Upload(b/multipart): %v", err)
			}
			if up.ETag == nil || !strings.HasSuffix(*up.ETag, `-3"`) {
				t.Errorf("Upload(b/multipart) ETag = %v, want a 3-part ETag", aws.ToString(up.ETag))
			}
			srv.CheckObject(t, inMemBucket, "b/multipart", big)

			list, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(inMemBucket)})
			if err != nil {
				t.Fatalf("ListObjectsV2: %v", err)
			}
			var keys []string
			for _, o := range list.Contents {
				keys = append(keys, aws.ToString(o.Key))
			}
			if got, want := strings.Join(keys, ","), "a/1MiB,b/multipart"; got != want {
				t.Errorf("ListObjectsV2 keys = %s, want %s", got, want)
			}

			// Virtual-hosted style reaches the server too.
			vc := srv.Client(func(o *s3.Options) { o.UsePathStyle = false })
			if _, err := vc.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(inMemBucket), Key: aws.String("a/1MiB")}); err != nil {
				t.Errorf("HeadObject(a/1MiB) in virtual-hosted style: %v", err)
			}
		})
	}
}

func md5Sum(b []byte) []byte {
	s := md5.Sum(b)
	return s[:]
}

func TestInMemoryTransportAddress(t *testing.T) {
	srv := mocks3.New(t, mocks3.WithInMemoryTransport(), mocks3.WithObject(inMemBucket, "k", []byte("v")))
	hc := srv.HTTPClient()

	resp, err := hc.Get(srv.URL + "/" + inMemBucket + "/k")
	if err != nil {
		t.Fatalf("GET %s: %v", srv.URL, err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || string(body) != "v" {
		t.Errorf("GET k = %d %q, want 200 \"v\"", resp.StatusCode, body)
	}

	// Another host is not found, as in DNS, and the SDK would not retry.
	_, err = hc.Get("http://example.com/")
	var dnsErr *net.DNSError
	if !errors.As(err, &dnsErr) || !dnsErr.IsNotFound {
		t.Errorf("GET http://example.com/ = %v, want a not-found DNS error", err)
	}

	srv.Close()
	_, err = hc.Get(srv.URL)
	if err == nil || !strings.Contains(err.Error(), "connection refused") {
		t.Errorf("GET after Close = %v, want connection refused", err)
	}
}

func TestInMemoryTransportWithAddr(t *testing.T) {
	srv, err := mocks3.NewServer(cmdserver.Addr("127.0.0.1:0"), mocks3.WithInMemoryTransport())
	if err == nil {
		srv.Close()
		t.Fatal("NewServer(Addr, WithInMemoryTransport) succeeded, want an error")
	}
	for _, name := range []string{"WithInMemoryTransport", "Addr"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("NewServer(Addr, WithInMemoryTransport) = %q, want it to name %s", err, name)
		}
	}
}

// TestInMemoryTransportCloseLeaksNothing closes a server with requests in
// flight, hanging and mid-body, and with idle connections.
func TestInMemoryTransportCloseLeaksNothing(t *testing.T) {
	for _, tls := range []bool{false, true} {
		t.Run(fmt.Sprintf("tls=%v", tls), func(t *testing.T) {
			before := goleak.IgnoreCurrent()
			opts := []mocks3.Option{mocks3.WithInMemoryTransport(), mocks3.WithObject(inMemBucket, "k", testData(1<<20, 7))}
			if tls {
				opts = append(opts, mocks3.WithTLS())
			}
			srv, err := mocks3.NewServer(opts...)
			if err != nil {
				t.Fatal(err)
			}
			c := srv.Client()
			ctx := context.Background()
			if _, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(inMemBucket), Key: aws.String("k")}); err != nil {
				t.Fatal(err) // leaves an idle connection
			}
			hang, err := srv.Faults().Add(faults.Rule{Operation: "ListObjectsV2", Action: faults.Hang()})
			if err != nil {
				t.Fatal(err)
			}
			hung := make(chan error, 1)
			go func() {
				_, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(inMemBucket)})
				hung <- err
			}()
			for hang.Hits() == 0 { // outside a bubble, nothing says when it arrives
				time.Sleep(time.Millisecond)
			}
			// A download half read when Close starts ends when its reader
			// finishes: Close waits for requests in flight.
			out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(inMemBucket), Key: aws.String("k")})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := io.ReadFull(out.Body, make([]byte, 1000)); err != nil {
				t.Fatal(err)
			}
			closed := make(chan struct{})
			go func() {
				srv.Close()
				close(closed)
			}()
			n, err := io.Copy(io.Discard, out.Body)
			out.Body.Close()
			if err != nil || n != 1<<20-1000 {
				t.Errorf("rest of the body during Close = %d bytes, %v; want %d bytes", n, err, 1<<20-1000)
			}
			<-closed
			// Whether the hung call fails is the fault engine's business;
			// here it is enough that it returns.
			t.Logf("ListObjectsV2 hanging at Close returned %v", <-hung)
			goleak.VerifyNone(t, before)
		})
	}
}

// TestSynctestInMemory runs servers and SDK clients inside synctest bubbles:
// sleeps, timeouts, delay faults and retries follow the bubble's fake
// clock. Each bubble fails if any goroutine outlives it, so passing also
// shows that the server's t.Cleanup(Close) ran inside the bubble and left
// nothing behind.
func TestSynctestInMemory(t *testing.T) {
	wallStart := time.Now()
	var faked time.Duration // fake time elapsed in all bubbles
	var mu sync.Mutex
	addFaked := func(d time.Duration) {
		mu.Lock()
		faked += d
		mu.Unlock()
	}

	t.Run("sleep", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			start := time.Now()
			defer func() { addFaked(time.Since(start)) }()
			srv := mocks3.New(t, mocks3.WithInMemoryTransport(), mocks3.WithBucket(inMemBucket))
			c := srv.Client()
			ctx := t.Context()
			if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(inMemBucket), Key: aws.String("k"), Body: strings.NewReader("v")}); err != nil {
				t.Fatalf("PutObject: %v", err)
			}
			time.Sleep(30 * time.Second)
			if got := time.Since(start); got != 30*time.Second {
				t.Errorf("fake time after Sleep(30s) = %v, want 30s", got)
			}
			out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(inMemBucket), Key: aws.String("k")})
			if err != nil {
				t.Fatalf("GetObject: %v", err)
			}
			defer out.Body.Close()
			if want := start.Truncate(time.Second); !out.LastModified.Equal(want) {
				t.Errorf("LastModified = %v, want the bubble's start %v", out.LastModified, want)
			}
			list, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(inMemBucket)})
			if err != nil || len(list.Contents) != 1 {
				t.Errorf("ListObjectsV2 = %v, %v; want one object", list, err)
			}
		})
	})

	// A client timeout against an upload the server is reading: over
	// https the SDK streams the body (aws-chunked), and the body stalls
	// half way.
	t.Run("stalled upload", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			start := time.Now()
			defer func() { addFaked(time.Since(start)) }()
			srv := mocks3.New(t, mocks3.WithInMemoryTransport(), mocks3.WithTLS(), mocks3.WithBucket(inMemBucket))
			ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
			defer cancel()
			body := &stallingReader{ctx: ctx, first: testData(64<<10, 7), stalled: make(chan struct{})}
			_, err := srv.Client().PutObject(ctx, &s3.PutObjectInput{
				Bucket: aws.String(inMemBucket), Key: aws.String("stalled"),
				Body: body, ContentLength: aws.Int64(128 << 10),
			})
			// When the deadline cuts the body short, the server's 400
			// IncompleteBody may reach the client before its own deadline
			// error does; which one wins is up to the scheduler.
			var ae smithy.APIError
			if !errors.Is(err, context.DeadlineExceeded) && !(errors.As(err, &ae) && ae.ErrorCode() == "IncompleteBody") {
				t.Errorf("PutObject with a stalled body = %v, want context.DeadlineExceeded or IncompleteBody", err)
			}
			if got := time.Since(start); got != 5*time.Second {
				t.Errorf("PutObject with a stalled body took %v of fake time, want 5s", got)
			}
			select {
			case <-body.stalled:
			default:
				t.Error("the body was never read to its stall")
			}
			srv.CheckNoObject(t, inMemBucket, "stalled")
		})
	})

	t.Run("delay fault", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			start := time.Now()
			defer func() { addFaked(time.Since(start)) }()
			srv := mocks3.New(t, mocks3.WithInMemoryTransport(), mocks3.WithObject(inMemBucket, "k", []byte("v")))
			srv.Faults().AddT(t, faults.Rule{Operation: "GetObject", Action: faults.Delay(30 * time.Second)})
			c := srv.Client()
			get := func(ctx context.Context) error {
				out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(inMemBucket), Key: aws.String("k")})
				if err == nil {
					out.Body.Close()
				}
				return err
			}

			ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
			defer cancel()
			err := get(ctx)
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("GetObject with a 5s timeout against a 30s delay = %v, want context.DeadlineExceeded", err)
			}
			if got := time.Since(start); got != 5*time.Second {
				t.Errorf("GetObject with a 5s timeout took %v of fake time, want 5s", got)
			}

			mid := time.Now()
			if err := get(t.Context()); err != nil {
				t.Errorf("GetObject without timeout against a 30s delay = %v", err)
			}
			if got := time.Since(mid); got != 30*time.Second {
				t.Errorf("GetObject against a 30s delay took %v of fake time, want 30s", got)
			}
		})
	})

	t.Run("retries", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			start := time.Now()
			defer func() { addFaked(time.Since(start)) }()
			srv := mocks3.New(t, mocks3.WithInMemoryTransport(), mocks3.WithObject(inMemBucket, "k", []byte("v")))
			h := srv.Faults().AddT(t, faults.Rule{Operation: "GetObject", Times: 2, Action: faults.ErrorCode("SlowDown")})[0]
			out, err := srv.Client().GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String(inMemBucket), Key: aws.String("k")})
			if err != nil {
				t.Fatalf("GetObject after two SlowDowns = %v, want success on the third attempt", err)
			}
			out.Body.Close()
			if h.Hits() != 2 {
				t.Errorf("SlowDown rule hits = %d, want 2", h.Hits())
			}
			t.Logf("three attempts with backoff took %v of fake time", time.Since(start))
		})
	})

	t.Run("close with a hang in flight", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			srv := mocks3.New(t, mocks3.WithInMemoryTransport(), mocks3.WithBucket(inMemBucket))
			srv.Faults().AddT(t, faults.Rule{Operation: "ListObjectsV2", Action: faults.Hang()})
			errc := make(chan error, 1)
			go func() {
				_, err := srv.Client().ListObjectsV2(context.Background(), &s3.ListObjectsV2Input{Bucket: aws.String(inMemBucket)})
				errc <- err
			}()
			synctest.Wait() // the request hangs in the server
			select {
			case err := <-errc:
				t.Fatalf("ListObjectsV2 returned %v before Close, want it to hang", err)
			default:
			}
			srv.Close()
			t.Logf("ListObjectsV2 hanging at Close returned %v", <-errc)
		})
	})

	wall := time.Since(wallStart)
	t.Logf("%v of fake time in %v of wall time", faked, wall)
	// A generous bound: sleeping for real would take the full 70 s.
	if wall > 20*time.Second {
		t.Errorf("bubbles took %v of wall time for %v of fake time, want far less", wall, faked)
	}
}

// stallingReader yields first, then blocks until ctx is done.
type stallingReader struct {
	ctx     context.Context
	first   []byte
	stalled chan struct{} // closed when the reader blocks
	once    sync.Once
}

func (r *stallingReader) Read(p []byte) (int, error) {
	if len(r.first) > 0 {
		n := copy(p, r.first)
		r.first = r.first[n:]
		return n, nil
	}
	r.once.Do(func() { close(r.stalled) })
	<-r.ctx.Done()
	return 0, r.ctx.Err()
}

// BenchmarkTransport compares a 1 KiB GetObject through the SDK over the
// in-memory transport and over TCP loopback.
func BenchmarkTransport(b *testing.B) {
	benchGet1KiB(b, func(srv *mocks3.Server) func(context.Context) (io.ReadCloser, error) {
		c := srv.Client()
		in := &s3.GetObjectInput{Bucket: aws.String(inMemBucket), Key: aws.String("k")}
		return func(ctx context.Context) (io.ReadCloser, error) {
			out, err := c.GetObject(ctx, in)
			if err != nil {
				return nil, err
			}
			return out.Body, nil
		}
	})
}

// BenchmarkTransportHTTP is BenchmarkTransport without the SDK: plain GETs
// through HTTPClient, so the transport's share shows.
func BenchmarkTransportHTTP(b *testing.B) {
	benchGet1KiB(b, func(srv *mocks3.Server) func(context.Context) (io.ReadCloser, error) {
		hc := srv.HTTPClient()
		url := srv.URL + "/" + inMemBucket + "/k"
		return func(context.Context) (io.ReadCloser, error) {
			resp, err := hc.Get(url)
			if err != nil {
				return nil, err
			}
			return resp.Body, nil
		}
	})
}

// benchGet1KiB measures the GETs of a 1 KiB object that newGet's function
// makes, over the in-memory transport and over TCP loopback.
func benchGet1KiB(b *testing.B, newGet func(*mocks3.Server) func(context.Context) (io.ReadCloser, error)) {
	for _, tt := range []struct {
		name string
		opts []mocks3.Option
	}{
		{"pipe", []mocks3.Option{mocks3.WithInMemoryTransport()}},
		{"tcp", nil},
	} {
		b.Run(tt.name, func(b *testing.B) {
			srv := mocks3.New(b, append(tt.opts, mocks3.WithObject(inMemBucket, "k", testData(1<<10, 7)))...)
			get := newGet(srv)
			ctx := b.Context()
			b.ReportAllocs()
			for b.Loop() {
				body, err := get(ctx)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := io.Copy(io.Discard, body); err != nil {
					b.Fatal(err)
				}
				body.Close()
			}
		})
	}
}
