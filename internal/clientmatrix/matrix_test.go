//go:build clientmatrix

package clientmatrix

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"go.uber.org/goleak"

	"github.com/mocks3/mocks3"
	"github.com/mocks3/mocks3/internal/cmdserver"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// The identity the matrix signs as when authentication is on.
const (
	accessKey = "AKIAMATRIXEXAMPLE"
	secretKey = "matrix/secret+key"
)

// commandTimeout bounds one client command; a hang fails the test instead
// of the whole run.
const commandTimeout = 3 * time.Minute

// target is a running mocks3 the clients talk to.
type target struct {
	url string
	// auth: signatures are verified, with accessKey/secretKey.
	auth bool
	// sigV2: Signature Version 2 is accepted too.
	sigV2 bool
	// defaults: clients keep their default signing configuration (the
	// binary run); otherwise they are configured for SigV4 throughout,
	// presigned URLs included.
	defaults bool
	// caFile, for an https URL, holds the server's certificate in PEM, for
	// the clients to trust.
	caFile string
}

// startServer starts an in-process server on a loopback port, over https
// with useTLS.
func startServer(t *testing.T, auth, useTLS bool) *target {
	t.Helper()
	opts := []mocks3.Option{cmdserver.Addr("127.0.0.1:0")}
	if auth {
		opts = append(opts, mocks3.WithAuth(), mocks3.WithUser("matrix", accessKey, secretKey))
	}
	if useTLS {
		opts = append(opts, mocks3.WithTLS())
	}
	srv, err := mocks3.NewServer(opts...)
	if err != nil {
		t.Fatalf("mocks3.NewServer() = %v", err)
	}
	t.Cleanup(srv.Close)
	tg := &target{url: srv.URL, auth: auth}
	if useTLS {
		tg.caFile = serverCertificate(t, srv.URL)
	}
	return tg
}

// serverCertificate writes the certificate srv presents to a PEM file:
// the test server's own, which the clients are then told to trust.
func serverCertificate(t *testing.T, serverURL string) string {
	t.Helper()
	u, err := url.Parse(serverURL)
	if err != nil {
		t.Fatal(err)
	}
	// Only to read the certificate; every client then verifies it.
	conn, err := tls.Dial("tcp", u.Host, &tls.Config{InsecureSkipVerify: true})
	if err != nil {
		t.Fatalf("TLS dial %s: %v", u.Host, err)
	}
	defer conn.Close()
	var pemCerts []byte
	for _, c := range conn.ConnectionState().PeerCertificates {
		pemCerts = append(pemCerts, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	name := filepath.Join(t.TempDir(), "mocks3.pem")
	if err := os.WriteFile(name, pemCerts, 0o600); err != nil {
		t.Fatal(err)
	}
	return name
}

// startBinary builds cmd/mocks3 and serves with args; the URL comes from
// its "mocks3 listening" log line.
func startBinary(t *testing.T, args ...string) *target {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("go not on PATH: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "mocks3")
	if out, err := exec.CommandContext(t.Context(), goTool, "build", "-o", bin, "github.com/mocks3/mocks3/cmd/mocks3").CombinedOutput(); err != nil {
		t.Fatalf("go build cmd/mocks3: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, append([]string{"serve", "-addr", "127.0.0.1:0"}, args...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	var log bytes.Buffer
	urls := make(chan string, 1)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		// Drained to the end, or the server would block writing its log.
		defer io.Copy(io.Discard, stderr)
		sc := bufio.NewScanner(stderr)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			line := sc.Text()
			log.WriteString(line + "\n")
			if strings.Contains(line, `msg="mocks3 listening"`) {
				for f := range strings.FieldsSeq(line) {
					if u, ok := strings.CutPrefix(f, "url="); ok {
						urls <- u
					}
				}
			}
		}
		close(urls)
	}()
	stop := func() {
		cmd.Process.Signal(syscall.SIGTERM)
		wg.Wait()
		if err := cmd.Wait(); err != nil {
			t.Errorf("mocks3 %v exited with %v; log:\n%s", args, err, log.String())
		}
	}
	select {
	case u, ok := <-urls:
		if !ok {
			stop()
			t.Fatalf("mocks3 %v exited before listening; log:\n%s", args, log.String())
		}
		t.Cleanup(stop)
		return &target{url: u, auth: slices.Contains(args, "-auth"), sigV2: slices.Contains(args, "-sigv2"), defaults: true}
	case <-time.After(time.Minute):
		stop()
		t.Fatalf("mocks3 %v did not listen within a minute", args)
	}
	return nil
}

// need returns the path of a client command, failing (never skipping) with
// how to install it when it is missing.
func need(t *testing.T, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s is not installed: run `bash .ci/clients`, or `apt-get install -y --no-install-recommends %s`", name, pkg)
	}
	return unshim(p)
}

// unshim resolves a pyenv shim to the program it runs: the shim costs a
// process tree and a second or so on every call.
func unshim(p string) string {
	if !strings.Contains(p, "/.pyenv/shims/") {
		return p
	}
	out, err := exec.Command("pyenv", "which", filepath.Base(p)).Output()
	if err != nil {
		return p
	}
	return strings.TrimSpace(string(out))
}

// cleanEnv is the environment of a client command: a throwaway HOME and
// none of the machine's AWS_* variables or client configuration.
func cleanEnv(home string, extra ...string) []string {
	env := []string{"HOME=" + home, "TMPDIR=" + home, "LANG=C.UTF-8", "PATH=" + os.Getenv("PATH")}
	for _, k := range []string{"PYENV_ROOT", "PYENV_VERSION"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return append(env, extra...)
}

// run runs a client command; its error carries the command's output, where
// clients print S3's error code.
func run(t *testing.T, env []string, name string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), commandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.String(), fmt.Errorf("%s %s: %v\n%s%s", filepath.Base(name), strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String(), nil
}

// version is one entry of ListObjectVersions as a client reports it.
type version struct {
	Key    string `json:"key"`
	ID     string `json:"id"`
	Marker bool   `json:"marker"`
}

// driver is one client's commands for the matrix's operations. A nil
// operation is one the client has no command for.
type driver struct {
	mb, rb        func(bucket string) error
	put, get      func(bucket, key, file string) error
	ls            func(bucket string) ([]string, error)
	cp            func(bucket, src, dst string) error
	presign       func(bucket, key string) (string, error)
	versioning    func(bucket string) error
	versions      func(bucket string) ([]version, error)
	rm            func(bucket, key string) error
	putTags       func(bucket, key string, tags map[string]string) error
	getTags       func(bucket, key string) (map[string]string, error)
	deleteObjects func(bucket string, keys []string) error
	// presignV2Only: the client presigns with SigV2 whatever its
	// configuration (s3cmd signurl).
	presignV2Only bool
	// versionsByName: the client lists old versions under names of its own
	// and hides delete markers (rclone --s3-versions).
	versionsByName bool
}

// newDriverFunc builds a client's driver for tg, signing with the given
// keys, its configuration in a throwaway directory.
type newDriverFunc func(t *testing.T, tg *target, accessKey, secretKey string) *driver

// clients are the real clients the matrix drives, each through its driver.
var clients = []struct {
	name      string
	newDriver newDriverFunc
}{
	{"aws", newAWSCLI},
	{"boto3", newBoto3},
	{"s3cmd", newS3cmd},
	{"rclone", newRclone},
	{"jssdk", newJSSDK},
}

// TestClients runs the matrix for every client, the clients in parallel.
func TestClients(t *testing.T) {
	for _, c := range clients {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			testClient(t, c.newDriver)
		})
	}
}

// testClient runs the matrix for one client against an in-process server
// with authentication off, then on with SigV4 only (the client configured
// for SigV4 throughout), then on over https, where clients stream bodies
// differently (aws-chunked with trailing checksums). TestBinary covers
// -auth with -sigv2 and the clients' default signing.
func testClient(t *testing.T, newDriver newDriverFunc) {
	f := writeFiles(t)
	for _, m := range []struct {
		name        string
		auth, https bool
	}{{"auth=off", false, false}, {"auth=on", true, false}, {"auth=on,https", true, true}} {
		t.Run(m.name, func(t *testing.T) {
			runMatrix(t, startServer(t, m.auth, m.https), "matrix", newDriver, f)
		})
	}
}

// files is the matrix's data: a small object and one above every
// client's multipart threshold (8 MiB for the aws CLI and boto3, 15 MiB for
// s3cmd, rclone's as configured).
type files struct{ small, big string }

func writeFiles(t *testing.T) files {
	t.Helper()
	dir := t.TempDir()
	f := files{small: filepath.Join(dir, "small.txt"), big: filepath.Join(dir, "big.bin")}
	big := make([]byte, 20<<20)
	r := rand.NewChaCha8([32]byte{'m', 'x'})
	r.Read(big)
	if err := os.WriteFile(f.small, []byte("hello from the real-client matrix\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(f.big, big, 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

// runMatrix runs every operation the client has against tg, uploading f,
// each a subtest named by the operation, and checks the result through
// aws-sdk-go-v2.
func runMatrix(t *testing.T, tg *target, bucket string, newDriver newDriverFunc, f files) {
	d := newDriver(t, tg, accessKey, secretKey)
	sdk := sdkClient(t, tg)
	ctx := t.Context()
	small, big := mustRead(t, f.small), mustRead(t, f.big)
	const smallKey, bigKey, copyKey = "dir/small.txt", "big.bin", "copy/small.txt"

	t.Run("mb", func(t *testing.T) {
		if err := d.mb(bucket); err != nil {
			t.Fatal(err)
		}
		if _, err := sdk.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: &bucket}); err != nil {
			t.Errorf("HeadBucket(%s) after the client's make-bucket = %v", bucket, err)
		}
	})
	if tg.auth {
		t.Run("wrong-secret", func(t *testing.T) {
			_, err := newDriver(t, tg, accessKey, "not-the-secret").ls(bucket)
			if err == nil || !strings.Contains(err.Error(), "SignatureDoesNotMatch") {
				t.Errorf("list with a wrong secret = %v, want SignatureDoesNotMatch", err)
			}
			_, err = newDriver(t, tg, "AKIAUNKNOWNEXAMPLE", secretKey).ls(bucket)
			if err == nil || !strings.Contains(err.Error(), "InvalidAccessKeyId") {
				t.Errorf("list with an unknown access key = %v, want InvalidAccessKeyId", err)
			}
		})
	}
	t.Run("put-small", func(t *testing.T) {
		if err := d.put(bucket, smallKey, f.small); err != nil {
			t.Fatal(err)
		}
		checkObject(t, sdk, bucket, smallKey, small)
	})
	t.Run("put-multipart", func(t *testing.T) {
		if err := d.put(bucket, bigKey, f.big); err != nil {
			t.Fatal(err)
		}
		checkObject(t, sdk, bucket, bigKey, big)
		h, err := sdk.HeadObject(ctx, &s3.HeadObjectInput{Bucket: &bucket, Key: aws.String(bigKey)})
		if err != nil {
			t.Fatalf("HeadObject(%s) = %v", bigKey, err)
		}
		if etag := aws.ToString(h.ETag); !strings.Contains(etag, "-") {
			t.Errorf("ETag of the 20 MiB upload = %s, want a multipart ETag (the client did not use multipart)", etag)
		}
	})
	t.Run("get", func(t *testing.T) {
		for key, want := range map[string][]byte{smallKey: small, bigKey: big} {
			out := filepath.Join(t.TempDir(), "got")
			if err := d.get(bucket, key, out); err != nil {
				t.Fatal(err)
			}
			if got := mustRead(t, out); !bytes.Equal(got, want) {
				t.Errorf("get %s: %d bytes (sha256 %x), want %d bytes (sha256 %x)", key, len(got), sha256.Sum256(got), len(want), sha256.Sum256(want))
			}
		}
	})
	t.Run("list", func(t *testing.T) {
		keys, err := d.ls(bucket)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(keys)
		if want := []string{bigKey, smallKey}; !slices.Equal(keys, want) {
			t.Errorf("list = %q, want %q", keys, want)
		}
	})
	t.Run("copy", func(t *testing.T) {
		if err := d.cp(bucket, smallKey, copyKey); err != nil {
			t.Fatal(err)
		}
		checkObject(t, sdk, bucket, copyKey, small)
	})
	t.Run("presign", func(t *testing.T) {
		u, err := d.presign(bucket, smallKey)
		if err != nil {
			t.Fatal(err)
		}
		u = strings.TrimSpace(u)
		if rest, ok := strings.CutPrefix(u, "http://"); ok && tg.caFile != "" {
			u = "https://" + rest // s3cmd signurl writes http:// whatever use_https says
		}
		status, body := httpGet(t, tg, u)
		if d.presignV2Only && tg.auth && !tg.sigV2 {
			// Without WithSignatureV2 a V2 presigned URL is refused as S3
			// refuses it where only SigV4 is supported.
			if status != http.StatusBadRequest || !bytes.Contains(body, []byte("<Code>InvalidRequest</Code>")) {
				t.Errorf("GET of a SigV2 presigned URL without WithSignatureV2 = %d %s, want 400 InvalidRequest", status, body)
			}
			return
		}
		if status != http.StatusOK || !bytes.Equal(body, small) {
			t.Errorf("GET %s = %d %q, want 200 %q", u, status, body, small)
		}
	})
	if d.putTags != nil {
		t.Run("tagging", func(t *testing.T) {
			want := map[string]string{"project": "mocks3", "client": "matrix"}
			if err := d.putTags(bucket, smallKey, want); err != nil {
				t.Fatal(err)
			}
			got, err := d.getTags(bucket, smallKey)
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(got, want) {
				t.Errorf("tags = %v, want %v", got, want)
			}
			out, err := sdk.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: &bucket, Key: aws.String(smallKey)})
			if err != nil || len(out.TagSet) != len(want) {
				t.Errorf("GetObjectTagging() = %v, %v; want %d tags", out, err, len(want))
			}
		})
	} else {
		t.Log("tagging: the client has no object tagging command")
	}
	t.Run("delete-objects", func(t *testing.T) {
		if err := d.deleteObjects(bucket, []string{copyKey, bigKey}); err != nil {
			t.Fatal(err)
		}
		keys := listKeys(t, sdk, bucket)
		if want := []string{smallKey}; !slices.Equal(keys, want) {
			t.Errorf("keys after deleting %s and %s = %q, want %q", copyKey, bigKey, keys, want)
		}
	})
	if d.versioning != nil {
		t.Run("versioning", func(t *testing.T) { testVersioning(t, d, sdk, bucket+"-versions") })
	} else {
		t.Log("versioning: the client has no versioning command")
	}
	t.Run("rb", func(t *testing.T) {
		if err := d.rb(bucket); err != nil {
			t.Fatal(err)
		}
		if _, err := sdk.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: &bucket}); err == nil {
			t.Errorf("HeadBucket(%s) after the client removed it = nil, want NotFound", bucket)
		}
	})
}

// testVersioning: versioning on, two writes and a delete of one key, then
// the client's version listing shows two versions and a delete marker.
func testVersioning(t *testing.T, d *driver, sdk *s3.Client, bucket string) {
	const key = "versioned.txt"
	if err := d.mb(bucket); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { emptyAndRemove(t, sdk, bucket) })
	if err := d.versioning(bucket); err != nil {
		t.Fatal(err)
	}
	v, err := sdk.GetBucketVersioning(t.Context(), &s3.GetBucketVersioningInput{Bucket: &bucket})
	if err != nil || v.Status != types.BucketVersioningStatusEnabled {
		t.Fatalf("GetBucketVersioning() = %v, %v; want Enabled", v, err)
	}
	// Two contents: rclone skips an upload of what is already there.
	for i := range 2 {
		file := filepath.Join(t.TempDir(), "v.txt")
		if err := os.WriteFile(file, fmt.Appendf(nil, "version %d\n", i+1), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := d.put(bucket, key, file); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.rm(bucket, key); err != nil {
		t.Fatal(err)
	}
	got, err := d.versions(bucket)
	if err != nil {
		t.Fatal(err)
	}
	var versions, markers int
	ids := map[string]bool{}
	for _, v := range got {
		if (!d.versionsByName && (v.Key != key || v.ID == "null")) || v.ID == "" || ids[v.ID] {
			t.Errorf("version %+v: want key %s and a fresh version ID", v, key)
		}
		ids[v.ID] = true
		if v.Marker {
			markers++
		} else {
			versions++
		}
	}
	wantMarkers := 1
	if d.versionsByName {
		wantMarkers = 0
	}
	if versions != 2 || markers != wantMarkers {
		t.Errorf("versions listed = %+v; want 2 versions and %d delete marker(s)", got, wantMarkers)
	}
	if keys := listKeys(t, sdk, bucket); len(keys) != 0 {
		t.Errorf("current keys after the delete = %q, want none (a delete marker)", keys)
	}
}

// sdkClient is aws-sdk-go-v2 for tg, to check what a client did.
func sdkClient(t *testing.T, tg *target) *s3.Client {
	tr := &http.Transport{TLSClientConfig: tlsConfig(t, tg)}
	t.Cleanup(tr.CloseIdleConnections)
	return s3.New(s3.Options{
		BaseEndpoint: aws.String(tg.url),
		Region:       "us-east-1",
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider(accessKey, secretKey, ""),
		HTTPClient:   &http.Client{Transport: tr},
	})
}

func checkObject(t *testing.T, sdk *s3.Client, bucket, key string, want []byte) {
	t.Helper()
	out, err := sdk.GetObject(t.Context(), &s3.GetObjectInput{Bucket: &bucket, Key: &key})
	if err != nil {
		t.Errorf("GetObject(%s/%s) = %v", bucket, key, err)
		return
	}
	defer out.Body.Close()
	got, err := io.ReadAll(out.Body)
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("GetObject(%s/%s) = %d bytes, %v; want %d bytes as uploaded", bucket, key, len(got), err, len(want))
	}
}

func listKeys(t *testing.T, sdk *s3.Client, bucket string) []string {
	t.Helper()
	out, err := sdk.ListObjectsV2(t.Context(), &s3.ListObjectsV2Input{Bucket: &bucket})
	if err != nil {
		t.Fatalf("ListObjectsV2(%s) = %v", bucket, err)
	}
	var keys []string
	for _, o := range out.Contents {
		keys = append(keys, aws.ToString(o.Key))
	}
	slices.Sort(keys)
	return keys
}

// emptyAndRemove deletes every version of bucket, then the bucket.
func emptyAndRemove(t *testing.T, sdk *s3.Client, bucket string) {
	ctx := context.WithoutCancel(t.Context())
	out, err := sdk.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: &bucket})
	if err != nil {
		t.Errorf("ListObjectVersions(%s) = %v", bucket, err)
		return
	}
	for _, v := range out.Versions {
		sdk.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: &bucket, Key: v.Key, VersionId: v.VersionId})
	}
	for _, m := range out.DeleteMarkers {
		sdk.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: &bucket, Key: m.Key, VersionId: m.VersionId})
	}
	if _, err := sdk.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: &bucket}); err != nil {
		t.Errorf("DeleteBucket(%s) = %v", bucket, err)
	}
}

func httpGet(t *testing.T, tg *target, u string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, u, nil)
	if err != nil {
		t.Fatalf("presigned URL %q: %v", u, err)
	}
	tr := &http.Transport{TLSClientConfig: tlsConfig(t, tg)}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: reading the body: %v", u, err)
	}
	return resp.StatusCode, body
}

// tlsConfig trusts tg's certificate; nil for http.
func tlsConfig(t *testing.T, tg *target) *tls.Config {
	t.Helper()
	if tg.caFile == "" {
		return nil
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(mustRead(t, tg.caFile)) {
		t.Fatalf("no certificate in %s", tg.caFile)
	}
	return &tls.Config{RootCAs: pool}
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
