package main

// The crash test: the standalone server on a disk directory, killed with
// SIGKILL at random moments of a write loop (PUT, DELETE, multipart Complete
// and Abort), then restarted. After each crash: no acknowledged write lost,
// no object torn (every body is exactly one that was written), no upload
// whose abort hurts an object, and no blob that no record uses.
//
// CI runs a few rounds; MOCKS3_CRASH_ROUNDS=40 runs a long one.

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/backend/disk"
	"github.com/mocks3/mocks3/internal/suitetest"
)

// crashChildEnv makes the test binary serve instead of testing: it holds the
// directory to serve.
const crashChildEnv = "MOCKS3_CRASH_CHILD_DIR"

// serveCrashChild runs the server on dir and prints its URL on stdout.
func serveCrashChild(dir string) int {
	err := run(context.Background(), []string{"serve", "-addr", "127.0.0.1:0", "-dir", dir, "-bucket", crashBucket},
		io.Discard, func(u string) { fmt.Println(u) })
	fmt.Fprintln(os.Stderr, "mocks3:", err)
	return 2
}

const crashBucket = "crash"

// crashServer is one server process.
type crashServer struct {
	cmd    *exec.Cmd
	client *s3.Client
}

func startCrashServer(t *testing.T, dir string) *crashServer {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+dir)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting the server: %v", err)
	}
	url, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("the server did not start: %v", err)
	}
	client := s3.New(s3.Options{
		BaseEndpoint: aws.String(strings.TrimSpace(url)), UsePathStyle: true, Region: "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider("test", "test", ""),
		RetryMaxAttempts: 1, // an answer is the server's, not a retry's
	})
	return &crashServer{cmd: cmd, client: client}
}

// kill ends the server with SIGKILL: nothing it buffered or deferred runs.
func (s *crashServer) kill() {
	s.cmd.Process.Signal(syscall.SIGKILL)
	s.cmd.Wait()
}

// version is one write to a key: the bytes of content(key, n), or a delete.
type version struct {
	n       int
	deleted bool
}

// keyHistory is what a worker did to one key.
type keyHistory struct {
	acked     *version  // the last acknowledged write
	attempted []version // writes since then, acknowledged or not
}

func content(key string, n int) []byte {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s/%d", key, n)
	rng := rand.New(rand.NewPCG(h.Sum64(), 1))
	size := rng.IntN(200 << 10)
	if rng.IntN(8) == 0 {
		size = 1<<20 + rng.IntN(1<<20) // several buffers' worth of streaming
	}
	b := make([]byte, size)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

func TestCrashRecovery(t *testing.T) {
	rounds := suitetest.EnvCount(t, "MOCKS3_CRASH_ROUNDS", 3)
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	const workers, keysEach = 4, 4
	hist := make([]map[string]*keyHistory, workers) // one map per worker: no sharing
	for w := range hist {
		hist[w] = make(map[string]*keyHistory)
		for k := range keysEach {
			hist[w][fmt.Sprintf("w%d/k%d", w, k)] = &keyHistory{}
		}
	}
	next := 0 // version numbers, unique across rounds
	acks := 0
	for round := range rounds {
		srv := startCrashServer(t, dir)
		ctx, stop := context.WithCancel(t.Context())
		var wg sync.WaitGroup
		var mu sync.Mutex // guards acks
		for w := range workers {
			base := next + w*100000
			wg.Go(func() {
				n := acksOf(ctx, srv.client, hist[w], base, uint64(round*workers+w))
				mu.Lock()
				acks += n
				mu.Unlock()
			})
		}
		next += workers * 100000
		time.Sleep(time.Duration(100+rng.IntN(400)) * time.Millisecond)
		srv.kill()
		stop()
		wg.Wait()

		// A restart sweeps orphans; reads only, then another crash.
		srv = startCrashServer(t, dir)
		verifyObjects(t, srv.client, hist, round, "after the crash")
		srv.kill()
		checkNoOrphans(t, dir, round)

		// Aborting every leftover upload must not hurt an object.
		srv = startCrashServer(t, dir)
		ups, err := srv.client.ListMultipartUploads(t.Context(), &s3.ListMultipartUploadsInput{Bucket: aws.String(crashBucket)})
		if err != nil {
			srv.kill()
			t.Fatalf("round %d: ListMultipartUploads = %v", round, err)
		}
		for _, u := range ups.Uploads {
			if _, err := srv.client.AbortMultipartUpload(t.Context(), &s3.AbortMultipartUploadInput{
				Bucket: aws.String(crashBucket), Key: u.Key, UploadId: u.UploadId}); err != nil {
				t.Errorf("round %d: AbortMultipartUpload(%s) = %v", round, aws.ToString(u.Key), err)
			}
		}
		verifyObjects(t, srv.client, hist, round, fmt.Sprintf("after aborting %d leftover uploads", len(ups.Uploads)))
		srv.kill()
		if t.Failed() {
			return
		}
	}
	t.Logf("%d rounds, %d acknowledged writes, none lost or torn", rounds, acks)
}

// acksOf writes to the worker's keys until the server dies or ctx ends,
// recording every attempt, and returns how many writes were acknowledged.
func acksOf(ctx context.Context, c *s3.Client, keys map[string]*keyHistory, n int, seed uint64) int {
	rng := rand.New(rand.NewPCG(seed, 3))
	names := make([]string, 0, len(keys))
	for k := range keys {
		names = append(names, k)
	}
	acked := 0
	for ctx.Err() == nil {
		key := names[rng.IntN(len(names))]
		h := keys[key]
		n++
		v := version{n: n}
		var err error
		switch op := rng.IntN(10); {
		case op < 5:
			h.attempted = append(h.attempted, v)
			_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(crashBucket), Key: aws.String(key),
				Body: bytes.NewReader(content(key, n))})
		case op < 6:
			v.deleted = true
			h.attempted = append(h.attempted, v)
			_, err = c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(crashBucket), Key: aws.String(key)})
		default:
			var committed bool
			committed, err = multipart(ctx, c, key, content(key, n), rng.IntN(3) == 0, func() {
				h.attempted = append(h.attempted, v)
			})
			if err == nil && !committed {
				continue // aborted: not a write
			}
		}
		if err != nil {
			if isServerGone(err) {
				return acked
			}
			continue // an S3 error: the write did not happen, but it stays attempted
		}
		h.acked, h.attempted = &v, nil
		acked++
	}
	return acked
}

// multipart uploads data as a one-part upload, then aborts it or completes
// it; attempt is called just before Complete is sent.
func multipart(ctx context.Context, c *s3.Client, key string, data []byte, abort bool, attempt func()) (bool, error) {
	up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(crashBucket), Key: aws.String(key)})
	if err != nil {
		return false, err
	}
	part, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String(crashBucket), Key: aws.String(key),
		UploadId: up.UploadId, PartNumber: aws.Int32(1), Body: bytes.NewReader(data)})
	if err != nil {
		return false, err
	}
	if abort {
		_, err = c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String(crashBucket), Key: aws.String(key), UploadId: up.UploadId})
		return false, err
	}
	attempt()
	_, err = c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String(crashBucket), Key: aws.String(key),
		UploadId: up.UploadId, MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{{PartNumber: aws.Int32(1), ETag: part.ETag}}}})
	return err == nil, err
}

// isServerGone reports whether err is a transport failure rather than an
// answer from the server.
func isServerGone(err error) bool {
	var ae smithy.APIError
	return !errors.As(err, &ae)
}

// verifyObjects checks every key: its body is the last acknowledged version
// or one attempted after it, byte for byte, and a missing key had a delete
// (or nothing acknowledged) among those.
func verifyObjects(t *testing.T, c *s3.Client, hist []map[string]*keyHistory, round int, when string) {
	t.Helper()
	for _, keys := range hist {
		for key, h := range keys {
			allowed := h.attempted
			if h.acked != nil {
				allowed = append([]version{*h.acked}, h.attempted...)
			} else {
				allowed = append([]version{{deleted: true}}, h.attempted...) // never written
			}
			out, err := c.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String(crashBucket), Key: aws.String(key)})
			if err != nil {
				var nsk *types.NoSuchKey
				if !errors.As(err, &nsk) {
					t.Errorf("round %d, %s: GetObject(%s) = %v", round, when, key, err)
					continue
				}
				if !hasDelete(allowed) {
					t.Errorf("round %d, %s: GetObject(%s) = NoSuchKey, but its acknowledged version %d was never deleted", round, when, key, h.acked.n)
				}
				continue
			}
			body, err := io.ReadAll(out.Body)
			out.Body.Close()
			if err != nil {
				t.Errorf("round %d, %s: reading %s: %v", round, when, key, err)
				continue
			}
			if !matchesOne(key, body, allowed) {
				t.Errorf("round %d, %s: %s holds %d bytes that are no version written since the last acknowledged one (%+v, then %d attempts)",
					round, when, key, len(body), h.acked, len(h.attempted))
			}
		}
	}
}

func hasDelete(vs []version) bool {
	for _, v := range vs {
		if v.deleted {
			return true
		}
	}
	return false
}

func matchesOne(key string, body []byte, vs []version) bool {
	for _, v := range vs {
		if !v.deleted && bytes.Equal(body, content(key, v.n)) {
			return true
		}
	}
	return false
}

// checkNoOrphans reports blob files in dir that no object or upload uses:
// the restart before it must have swept them.
func checkNoOrphans(t *testing.T, dir string, round int) {
	t.Helper()
	d, err := disk.Open(dir)
	if err != nil {
		t.Fatalf("round %d: disk.Open = %v", round, err)
	}
	defer d.Close()
	used := map[backend.BlobID]bool{}
	ctx := t.Context()
	objs, err := d.ListObjects(ctx, crashBucket, "", 1<<20)
	if err != nil {
		t.Fatalf("round %d: ListObjects = %v", round, err)
	}
	for _, o := range objs {
		for _, p := range o.Parts {
			used[p.Blob] = true
		}
	}
	ups, err := d.ListUploads(ctx, crashBucket)
	if err != nil {
		t.Fatalf("round %d: ListUploads = %v", round, err)
	}
	for _, u := range ups {
		full, err := d.GetUpload(ctx, crashBucket, u.Key, u.ID)
		if err != nil {
			t.Fatalf("round %d: GetUpload = %v", round, err)
		}
		for _, p := range full.Parts {
			used[p.Blob] = true
		}
	}
	files, err := os.ReadDir(filepath.Join(dir, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	orphans := 0
	for _, f := range files {
		if !used[backend.BlobID(f.Name())] {
			orphans++
		}
	}
	if orphans > 0 {
		t.Errorf("round %d: %d blob files that no record uses after a restart, want 0 (%d in use)", round, orphans, len(used))
	}
}
