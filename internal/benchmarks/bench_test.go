package benchmarks

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/base64"
	"encoding/binary"
	"flag"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"go.uber.org/goleak"

	"github.com/mocks3/mocks3"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

const (
	kiB    = 1 << 10
	miB    = 1 << 20
	bucket = "bench"
	key    = "object"
)

// floor is the do-nothing server: it drains each request body and answers
// with a canned response that the SDK accepts for the operation.
type floor struct {
	object []byte // the body of every GetObject; its length for HeadObject
	size   int64  // if object is nil: the size of a patternReader body to answer
	list   []byte // the body of every ListObjectsV2

	// crc32 is object's CRC32 as x-amz-checksum-crc32 spells it. The floor
	// sends it when asked (x-amz-checksum-mode: ENABLED), as S3 and mocks3
	// do, so that the client validates the body against all three servers.
	crc32 string
}

// newFloor returns a floor that answers GetObject with object.
func newFloor(object []byte) *floor {
	sum := crc32.ChecksumIEEE(object)
	return &floor{object: object, crc32: base64.StdEncoding.EncodeToString(binary.BigEndian.AppendUint32(nil, sum))}
}

const floorETag = `"d41d8cd98f00b204e9800998ecf8427e"`

func (f *floor) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	io.Copy(io.Discard, r.Body)
	h := w.Header()
	switch {
	case r.Method == http.MethodGet && r.URL.Query().Get("list-type") == "2":
		h.Set("Content-Type", "application/xml")
		h.Set("Content-Length", strconv.Itoa(len(f.list)))
		w.Write(f.list)
	case r.Method == http.MethodGet || r.Method == http.MethodHead:
		size := int64(len(f.object))
		if f.object == nil {
			size = f.size
		}
		h.Set("Content-Type", "binary/octet-stream")
		h.Set("Content-Length", strconv.FormatInt(size, 10))
		h.Set("ETag", floorETag)
		h.Set("Last-Modified", "Wed, 01 Jan 2025 00:00:00 GMT")
		h.Set("Accept-Ranges", "bytes")
		if f.crc32 != "" && r.Header.Get("x-amz-checksum-mode") == "ENABLED" {
			h.Set("x-amz-checksum-crc32", f.crc32)
			h.Set("x-amz-checksum-type", "FULL_OBJECT")
		}
		switch {
		case r.Method == http.MethodHead:
		case f.object != nil:
			w.Write(f.object)
		default:
			io.Copy(w, &patternReader{size: size})
		}
	default: // PutObject, DeleteObject and anything else
		h.Set("ETag", floorETag)
		w.WriteHeader(http.StatusOK)
	}
}

// clientFor returns a client for the server at url with the settings of
// mocks3's own client (Server.AWSConfig plus path-style addressing).
func clientFor(b *testing.B, url string, hc *http.Client, optFns ...func(*s3.Options)) *s3.Client {
	b.Helper()
	ref, err := mocks3.NewServer()
	if err != nil {
		b.Fatal(err)
	}
	cfg := ref.AWSConfig()
	ref.Close()
	cfg.BaseEndpoint = aws.String(url)
	cfg.HTTPClient = hc
	return s3.NewFromConfig(cfg, append([]func(*s3.Options){func(o *s3.Options) { o.UsePathStyle = true }}, optFns...)...)
}

func startFloor(b *testing.B, f *floor, tls bool) *s3.Client {
	b.Helper()
	ts := httptest.NewUnstartedServer(f)
	if tls {
		ts.StartTLS()
	} else {
		ts.Start()
	}
	b.Cleanup(ts.Close)
	return clientFor(b, ts.URL, ts.Client())
}

// startGofakes3 serves gofakes3 with the s3mem backend and a bucket.
func startGofakes3(b *testing.B, tls bool, optFns ...func(*s3.Options)) (*s3.Client, *s3mem.Backend) {
	b.Helper()
	be := s3mem.New()
	if err := be.CreateBucket(bucket); err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(gofakes3.New(be).Server())
	if tls {
		ts.StartTLS()
	} else {
		ts.Start()
	}
	b.Cleanup(ts.Close)
	return clientFor(b, ts.URL, ts.Client(), optFns...), be
}

// A target starts one of the compared servers for a sub-benchmark and
// returns a client for it. f is what the floor answers.
type target struct {
	name  string
	start func(b *testing.B, f *floor) *s3.Client
}

// plainTargets are the three servers over plain HTTP.
var plainTargets = []target{
	{"mocks3", func(b *testing.B, _ *floor) *s3.Client {
		return mocks3.New(b, mocks3.WithBucket(bucket)).Client()
	}},
	{"gofakes3", func(b *testing.B, _ *floor) *s3.Client {
		c, _ := startGofakes3(b, false)
		return c
	}},
	{"floor", func(b *testing.B, f *floor) *s3.Client { return startFloor(b, f, false) }},
}

// payload returns n bytes that do not compress to nothing.
func payload(n int) []byte {
	p := make([]byte, n)
	for i := range p {
		p[i] = byte(i*7 + i>>11)
	}
	return p
}

func BenchmarkStartClose(b *testing.B) {
	b.Run("mocks3", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			srv, err := mocks3.NewServer()
			if err != nil {
				b.Fatal(err)
			}
			srv.Close()
		}
	})
	b.Run("gofakes3", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			httptest.NewServer(gofakes3.New(s3mem.New()).Server()).Close()
		}
	})
	b.Run("floor", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			httptest.NewServer(&floor{}).Close()
		}
	})
}

func benchPut(b *testing.B, size int, targets []target) {
	data := payload(size)
	for _, tg := range targets {
		b.Run(tg.name, func(b *testing.B) {
			c := tg.start(b, &floor{})
			ctx := b.Context()
			body := bytes.NewReader(data)
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				body.Reset(data)
				if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: body}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// seed stores data under key through c, as a user's PUT would.
func seed(b *testing.B, c *s3.Client, data []byte) {
	b.Helper()
	if _, err := c.PutObject(b.Context(), &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: bytes.NewReader(data)}); err != nil {
		b.Fatal(err)
	}
}

// benchStored runs bench on every target, each holding size bytes under
// key.
func benchStored(b *testing.B, size int, targets []target, bench func(b *testing.B, c *s3.Client)) {
	data := payload(size)
	for _, tg := range targets {
		b.Run(tg.name, func(b *testing.B) {
			c := tg.start(b, newFloor(data))
			seed(b, c, data)
			b.ReportAllocs()
			bench(b, c)
		})
	}
}

func benchGet(b *testing.B, size int) { benchGetTargets(b, size, plainTargets) }

func benchGetTargets(b *testing.B, size int, targets []target) {
	benchStored(b, size, targets, func(b *testing.B, c *s3.Client) {
		ctx := b.Context()
		b.SetBytes(int64(size))
		for b.Loop() {
			out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
			if err != nil {
				b.Fatal(err)
			}
			n, err := io.Copy(io.Discard, out.Body)
			out.Body.Close()
			if err != nil || n != int64(size) {
				b.Fatalf("GetObject body: %d bytes, %v; want %d bytes", n, err, size)
			}
		}
	})
}

func BenchmarkPut1KiB(b *testing.B)  { benchPut(b, kiB, plainTargets) }
func BenchmarkGet1KiB(b *testing.B)  { benchGet(b, kiB) }
func BenchmarkPut1MiB(b *testing.B)  { benchPut(b, miB, plainTargets) }
func BenchmarkGet1MiB(b *testing.B)  { benchGet(b, miB) }
func BenchmarkPut64MiB(b *testing.B) { benchPut(b, 64*miB, plainTargets) }
func BenchmarkGet64MiB(b *testing.B) { benchGet(b, 64*miB) }

func BenchmarkHead1KiB(b *testing.B) {
	benchStored(b, kiB, plainTargets, func(b *testing.B, c *s3.Client) {
		ctx := b.Context()
		for b.Loop() {
			out, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
			if err != nil {
				b.Fatal(err)
			}
			if aws.ToInt64(out.ContentLength) != kiB {
				b.Fatalf("HeadObject ContentLength = %d, want %d", aws.ToInt64(out.ContentLength), kiB)
			}
		}
	})
}

// BenchmarkPut1MiBTLS takes the SDK's https path: there it sends
// aws-chunked bodies with a trailing CRC32 (x-amz-trailer) to mocks3 and
// the floor. gofakes3 does not decode aws-chunked bodies with trailers (it
// stores the chunk framing as object bytes), so its client computes
// checksums only when required (RequestChecksumCalculationWhenRequired)
// and sends plain bodies: gofakes3 is measured doing less work here.
func BenchmarkPut1MiBTLS(b *testing.B) {
	benchPut(b, miB, []target{
		{"mocks3", func(b *testing.B, _ *floor) *s3.Client {
			return mocks3.New(b, mocks3.WithBucket(bucket), mocks3.WithTLS()).Client()
		}},
		{"gofakes3", func(b *testing.B, _ *floor) *s3.Client {
			c, _ := startGofakes3(b, true, func(o *s3.Options) {
				o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
			})
			return c
		}},
		{"floor", func(b *testing.B, f *floor) *s3.Client { return startFloor(b, f, true) }},
	})
}

// listKey is the i-th key of a listing benchmark. With 100,000 keys, the
// prefix "obj099" matches the last 1%.
func listKey(i int) string { return fmt.Sprintf("obj%06d", i) }

// listFloorXML is a first page of 1000 keys from start, shaped as S3 (and
// mocks3) write it, for the floor to answer.
func listFloorXML(prefix string, start int) []byte {
	var sb strings.Builder
	sb.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	sb.WriteString(`<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">`)
	fmt.Fprintf(&sb, "<Name>%s</Name><Prefix>%s</Prefix><KeyCount>1000</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>true</IsTruncated>", bucket, prefix)
	etag := fmt.Sprintf("&#34;%x&#34;", md5.Sum([]byte("x")))
	for i := start; i < start+1000; i++ {
		fmt.Fprintf(&sb, "<Contents><Key>%s</Key><LastModified>2025-01-01T00:00:00.000Z</LastModified><ETag>%s</ETag><Size>1</Size><StorageClass>STANDARD</StorageClass></Contents>", listKey(i), etag)
	}
	fmt.Fprintf(&sb, "<NextContinuationToken>%s</NextContinuationToken></ListBucketResult>", listKey(start+999))
	return []byte(sb.String())
}

// BenchmarkListObjectsV2 lists the first page of 1000 keys from buckets of
// 10,000 and 100,000 keys, and from 100,000 keys with a prefix that
// matches the last 1% of them. Keys are seeded without requests: through
// Server.PutObject for mocks3 and the s3mem backend for gofakes3.
func BenchmarkListObjectsV2(b *testing.B) {
	cases := []struct {
		name   string
		keys   int
		prefix string
		first  int // the index of the first key listed
	}{
		{"10k", 10_000, "", 0},
		{"100k", 100_000, "", 0},
		{"100k-prefix", 100_000, "obj099", 99_000},
	}
	// Seeded servers, shared by the cases with the same number of keys.
	type seeded struct{ mocks3, gofakes3 *s3.Client }
	servers := map[int]*seeded{}
	get := func(n int) *seeded {
		if s, ok := servers[n]; ok {
			return s
		}
		srv, err := mocks3.NewServer(mocks3.WithBucket(bucket))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(srv.Close)
		gc, be := startGofakes3(b, false)
		data := []byte("x")
		for i := range n {
			if err := srv.PutObject(bucket, listKey(i), data); err != nil {
				b.Fatal(err)
			}
			if _, err := be.PutObject(bucket, listKey(i), map[string]string{}, bytes.NewReader(data), int64(len(data)), nil); err != nil {
				b.Fatal(err)
			}
		}
		s := &seeded{srv.Client(), gc}
		servers[n] = s
		return s
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			for _, name := range []string{"mocks3", "gofakes3", "floor"} {
				b.Run(name, func(b *testing.B) {
					var c *s3.Client
					switch name {
					case "mocks3":
						c = get(tc.keys).mocks3
					case "gofakes3":
						c = get(tc.keys).gofakes3
					default:
						c = startFloor(b, &floor{list: listFloorXML(tc.prefix, tc.first)}, false)
					}
					ctx := b.Context()
					in := &s3.ListObjectsV2Input{Bucket: aws.String(bucket), MaxKeys: aws.Int32(1000)}
					if tc.prefix != "" {
						in.Prefix = aws.String(tc.prefix)
					}
					b.ReportAllocs()
					for b.Loop() {
						out, err := c.ListObjectsV2(ctx, in)
						if err != nil {
							b.Fatal(err)
						}
						if len(out.Contents) != 1000 || aws.ToString(out.Contents[0].Key) != listKey(tc.first) {
							b.Fatalf("ListObjectsV2 listed %d keys from %q, want 1000 from %q", len(out.Contents), aws.ToString(out.Contents[0].Key), listKey(tc.first))
						}
					}
				})
			}
		})
	}
}

// patternReader yields size bytes of a repeating pattern without holding
// them, and seeks, as the SDK needs of a PutObject body over plain HTTP.
type patternReader struct {
	size, off int64
}

var pattern = payload(64 * kiB)

func (r *patternReader) Read(p []byte) (int, error) {
	if r.off >= r.size {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), r.size-r.off)]
	n := 0
	for n < len(p) {
		n += copy(p[n:], pattern[(r.off+int64(n))%int64(len(pattern)):])
	}
	r.off += int64(n)
	return n, nil
}

func (r *patternReader) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += r.off
	case io.SeekEnd:
		offset += r.size
	}
	if offset < 0 {
		return r.off, fmt.Errorf("patternReader: negative offset %d", offset)
	}
	r.off = offset
	return offset, nil
}

// heapSampler records the peak of the heap's object bytes (HeapAlloc)
// while it runs, reading runtime/metrics, which does not stop the world.
type heapSampler struct {
	stop chan struct{}
	wg   sync.WaitGroup
	peak atomic.Uint64
}

const heapObjects = "/memory/classes/heap/objects:bytes"

func heapNow(s []metrics.Sample) uint64 {
	metrics.Read(s)
	return s[0].Value.Uint64()
}

func startHeapSampler() *heapSampler {
	h := &heapSampler{stop: make(chan struct{})}
	h.wg.Go(func() {
		s := []metrics.Sample{{Name: heapObjects}}
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			if v := heapNow(s); v > h.peak.Load() {
				h.peak.Store(v)
			}
			select {
			case <-h.stop:
				return
			case <-t.C:
			}
		}
	})
	return h
}

// Stop stops sampling and returns the peak.
func (h *heapSampler) Stop() uint64 {
	close(h.stop)
	h.wg.Wait()
	return h.peak.Load()
}

// putGet uploads size bytes from a patternReader and downloads them to
// io.Discard, then deletes the object so the next round starts empty.
func putGet(ctx context.Context, c *s3.Client, size int64) error {
	_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: &patternReader{size: size}})
	if err != nil {
		return fmt.Errorf("PutObject: %w", err)
	}
	out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		return fmt.Errorf("GetObject: %w", err)
	}
	n, err := io.Copy(io.Discard, out.Body)
	out.Body.Close()
	if err != nil || n != size {
		return fmt.Errorf("GetObject body: %d bytes, %v; want %d bytes", n, err, size)
	}
	if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)}); err != nil {
		return fmt.Errorf("DeleteObject: %w", err)
	}
	return nil
}

// measurePeak runs op and returns the peak heap above what was live before
// it. The collector runs at GOGC=10 meanwhile, so that the peak follows
// live memory rather than the pacer's headroom (at the default GOGC=100 a
// heap holding 256 MiB may grow to 512 MiB of mostly garbage before a
// collection).
func measurePeak(op func()) uint64 {
	defer debug.SetGCPercent(debug.SetGCPercent(10))
	runtime.GC()
	base := heapNow([]metrics.Sample{{Name: heapObjects}})
	h := startHeapSampler()
	op()
	peak := h.Stop()
	if peak < base {
		return 0
	}
	return peak - base
}

// explicitlySelected reports whether -bench names this benchmark, rather
// than matching it with a pattern such as ".".
func explicitlySelected(name string) bool {
	f := flag.Lookup("test.bench")
	return f != nil && strings.Contains(f.Value.String(), name)
}

// BenchmarkPutGet256MiB uploads and downloads 256 MiB and reports the peak
// heap of the server side, in MiB, as peak-heap-MiB: the peak heap during
// the operation less the peak of the same operation against the floor,
// which measures what the client (the SDK, the HTTP transport, the
// collector's slack) costs in the shared process. raw-peak-MiB is the peak
// before that subtraction. The body comes from a generator, not a slice.
// It runs only when -bench names PutGet256MiB.
func BenchmarkPutGet256MiB(b *testing.B) {
	if !explicitlySelected("PutGet256MiB") {
		b.Skip("heavy: runs only with -bench PutGet256MiB")
	}
	const size = 256 * miB
	floorClient := startFloor(b, &floor{size: size}, false)
	var clientPeak uint64
	var err error
	clientPeak = measurePeak(func() { err = putGet(b.Context(), floorClient, size) })
	if err != nil {
		b.Fatal(err)
	}
	targets := []target{
		{"mocks3", func(b *testing.B, _ *floor) *s3.Client {
			return mocks3.New(b, mocks3.WithBucket(bucket)).Client()
		}},
		{"mocks3-disk", func(b *testing.B, _ *floor) *s3.Client {
			return mocks3.New(b, mocks3.WithBucket(bucket), mocks3.WithDir(b.TempDir())).Client()
		}},
		{"gofakes3", func(b *testing.B, _ *floor) *s3.Client {
			c, _ := startGofakes3(b, false)
			return c
		}},
		{"floor", func(*testing.B, *floor) *s3.Client { return floorClient }},
	}
	for _, tg := range targets {
		b.Run(tg.name, func(b *testing.B) {
			c := tg.start(b, nil)
			ctx := b.Context()
			b.SetBytes(2 * size)
			b.ReportAllocs()
			var peak uint64
			for b.Loop() {
				var err error
				peak = max(peak, measurePeak(func() { err = putGet(ctx, c, size) }))
				if err != nil {
					b.Fatal(err)
				}
			}
			server := int64(peak) - int64(clientPeak)
			b.ReportMetric(float64(max(server, 0))/miB, "peak-heap-MiB")
			b.ReportMetric(float64(peak)/miB, "raw-peak-MiB")
		})
	}
}
