package mocks3_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/mocks3/mocks3"
	"github.com/mocks3/mocks3/faults"
)

// TestGatewayFaults proves each gateway action end to end through the SDK
// with its defaults: what the client sees and how many attempts it made.
func TestGatewayFaults(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789"), 10000) // 100 kB
	tests := []struct {
		name         string
		rule         faults.Rule
		op           func(ctx context.Context, c *s3.Client) error
		wantCode     string // "" for success
		wantStatus   int
		wantAttempts int
		wantErrText  string
	}{
		{"slowdown twice then success", faults.Rule{Operation: "PutObject", Times: 2, Action: faults.ErrorCode("SlowDown")},
			func(ctx context.Context, c *s3.Client) error { return putBody(ctx, c, "bkt", "k", data) }, "", 0, 3, ""},
		{"slowdown always exhausts retries", faults.Rule{Operation: "PutObject", Action: faults.ErrorCode("SlowDown")},
			func(ctx context.Context, c *s3.Client) error { return putBody(ctx, c, "bkt", "k", data) }, "SlowDown", 503, 3, ""},
		{"internal error once", faults.Rule{Operation: "GetObject", Times: 1, Action: faults.ErrorCode("InternalError")},
			func(ctx context.Context, c *s3.Client) error { _, err := getBody(ctx, c, "bkt", "seed"); return err }, "", 0, 2, ""},
		{"access denied is not retried", faults.Rule{Operation: "GetObject", Action: faults.ErrorCode("AccessDenied")},
			func(ctx context.Context, c *s3.Client) error { _, err := getBody(ctx, c, "bkt", "seed"); return err }, "AccessDenied", 403, 1, ""},
		{"no such key", faults.Rule{Operation: "HeadObject", Action: faults.ErrorCode("NoSuchKey")},
			func(ctx context.Context, c *s3.Client) error {
				_, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("bkt"), Key: aws.String("seed")})
				return err
			}, "NotFound", 404, 1, ""},
		{"request timeout is retried", faults.Rule{Operation: "PutObject", Times: 1, Action: faults.ErrorCode("RequestTimeout")},
			func(ctx context.Context, c *s3.Client) error { return putBody(ctx, c, "bkt", "k", data) }, "", 0, 2, ""},
		{"service unavailable", faults.Rule{Operation: "ListObjectsV2", Action: faults.ErrorCode("ServiceUnavailable")},
			func(ctx context.Context, c *s3.Client) error {
				_, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("bkt")})
				return err
			}, "ServiceUnavailable", 503, 3, ""},
		{"custom error with body", faults.Rule{Operation: "GetObject", Action: faults.Action{Kind: "http_error", Status: 409,
			Body: "<Error><Code>OperationAborted</Code><Message>busy</Message></Error>"}},
			func(ctx context.Context, c *s3.Client) error { _, err := getBody(ctx, c, "bkt", "seed"); return err }, "OperationAborted", 409, 1, ""},
		{"first attempt only, by attempt number", faults.Rule{Operation: "GetObject", Attempt: 1, Action: faults.ErrorCode("InternalError")},
			func(ctx context.Context, c *s3.Client) error { _, err := getBody(ctx, c, "bkt", "seed"); return err }, "", 0, 2, ""},
		{"connection closed before response is retried", faults.Rule{Operation: "GetObject", Times: 1, Action: faults.CloseConnection()},
			func(ctx context.Context, c *s3.Client) error { _, err := getBody(ctx, c, "bkt", "seed"); return err }, "", 0, 2, ""},
		{"connection reset is retried", faults.Rule{Operation: "GetObject", Times: 2, Action: faults.ResetConnection()},
			func(ctx context.Context, c *s3.Client) error { _, err := getBody(ctx, c, "bkt", "seed"); return err }, "", 0, 3, ""},
		{"truncated body fails the read", faults.Rule{Operation: "GetObject", Action: faults.TruncateBody(1000)},
			func(ctx context.Context, c *s3.Client) error { _, err := getBody(ctx, c, "bkt", "seed"); return err }, "", 0, 1, "EOF"},
		{"corrupted body fails checksum validation", faults.Rule{Operation: "GetObject", Action: faults.CorruptBody(10)},
			func(ctx context.Context, c *s3.Client) error { _, err := getBody(ctx, c, "bkt", "seed"); return err }, "", 0, 1, "checksum"},
		{"delay then success", faults.Rule{Operation: "GetObject", Action: faults.Delay(30 * time.Millisecond)},
			func(ctx context.Context, c *s3.Client) error { _, err := getBody(ctx, c, "bkt", "seed"); return err }, "", 0, 1, ""},
		{"slow close", faults.Rule{Operation: "GetObject", Action: faults.SlowClose(20 * time.Millisecond)},
			func(ctx context.Context, c *s3.Client) error {
				start := time.Now()
				if _, err := getBody(ctx, c, "bkt", "seed"); err != nil {
					return err
				}
				if d := time.Since(start); d < 20*time.Millisecond {
					return fmt.Errorf("the response ended after %v, want the 20ms slow close", d)
				}
				return nil
			}, "", 0, 1, ""},
		{"slow body", faults.Rule{Operation: "GetObject", Action: faults.SlowBody(2_000_000)},
			func(ctx context.Context, c *s3.Client) error { _, err := getBody(ctx, c, "bkt", "seed"); return err }, "", 0, 1, ""},
		{"hang until the client gives up", faults.Rule{Operation: "GetObject", Action: faults.Hang()},
			func(ctx context.Context, c *s3.Client) error {
				ctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
				defer cancel()
				_, err := getBody(ctx, c, "bkt", "seed")
				return err
			}, "", 0, 1, "deadline exceeded"},
	}
	srv := mocks3.New(t)
	client := srv.Client()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := t.Context()
			if err := srv.PutObject("bkt", "seed", data); err != nil {
				t.Fatal(err)
			}
			// The seed object carries a CRC32 so that GETs validate it.
			_, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bkt"), Key: aws.String("seed"),
				Body: bytes.NewReader(data), ChecksumAlgorithm: types.ChecksumAlgorithmCrc32})
			if err != nil {
				t.Fatal(err)
			}
			srv.ResetRequests()
			h := srv.Faults().AddT(t, tt.rule)[0]
			err = tt.op(ctx, client)
			switch {
			case tt.wantErrText != "":
				if err == nil || !strings.Contains(err.Error(), tt.wantErrText) {
					t.Errorf("err = %v, want one mentioning %q", err, tt.wantErrText)
				}
			case tt.wantCode == "":
				if err != nil {
					t.Errorf("err = %v, want success after retries", err)
				}
			default:
				if apiCode(err) != tt.wantCode || httpStatus(err) != tt.wantStatus {
					t.Errorf("err = %v (code %q, status %d), want %s %d", err, apiCode(err), httpStatus(err), tt.wantCode, tt.wantStatus)
				}
			}
			// A hung request is journalled once the server sees the client go.
			n := 0
			for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
				n, _ = attempts(srv, tt.rule.Operation)
				if n >= tt.wantAttempts || time.Now().After(deadline) {
					break
				}
			}
			if n != tt.wantAttempts {
				t.Errorf("%s attempts = %d, want %d; journal %+v", tt.rule.Operation, n, tt.wantAttempts, srv.Requests())
			}
			if h.Hits() == 0 {
				t.Errorf("rule never triggered")
			}
		})
	}
	if n := len(srv.Faults().Rules()); n != 0 {
		t.Errorf("%d rules left after the subtests, want 0", n)
	}
}

func TestSlowDownRetryHint(t *testing.T) {
	srv := mocks3.New(t, mocks3.WithBucket("bkt"), mocks3.WithFaults(faults.Rule{Operation: "PutObject", Action: faults.ErrorCode("SlowDown")}))
	req, _ := http.NewRequest("PUT", srv.URL+"/bkt/k", strings.NewReader("x"))
	resp, err := srv.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 503 || resp.Header.Get("x-amz-retry-after") == "" || resp.Header.Get("Retry-After") == "" ||
		!strings.Contains(string(body), "<Code>SlowDown</Code>") || resp.Header.Get("x-amz-request-id") == "" {
		t.Errorf("SlowDown response = %d %v %s, want 503 with retry hints, request id and an XML SlowDown", resp.StatusCode, resp.Header, body)
	}
}

// TestRoleFaults proves the role-boundary actions through the SDK.
func TestRoleFaults(t *testing.T) {
	ctx := t.Context()
	t.Run("metadata delay slows every call", func(t *testing.T) {
		srv := mocks3.New(t, mocks3.WithObject("bkt", "k", []byte("v")))
		srv.Faults().AddT(t, faults.Rule{Service: "metadata-service", Action: faults.Delay(20 * time.Millisecond)})
		start := time.Now()
		if _, err := getBody(ctx, srv.Client(), "bkt", "k"); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d < 20*time.Millisecond {
			t.Errorf("GetObject took %v, want at least the 20ms metadata delay", d)
		}
	})
	t.Run("storage write failure leaves nothing", func(t *testing.T) {
		srv := mocks3.New(t, mocks3.WithBucket("bkt"))
		srv.Faults().AddT(t, faults.Rule{Service: "storage", Operation: "Write", Action: faults.FailWrite()})
		err := putBody(ctx, srv.Client(), "bkt", "k", []byte("v"))
		if httpStatus(err) != 500 || apiCode(err) != "InternalError" {
			t.Errorf("PutObject = %v, want 500 InternalError", err)
		}
		srv.CheckNoObject(t, "bkt", "k")
	})
	t.Run("lost write is acknowledged but invisible", func(t *testing.T) {
		srv := mocks3.New(t, mocks3.WithObject("bkt", "k", []byte("old")))
		h := srv.Faults().AddT(t, faults.Rule{Service: "storage", Operation: "PutObject", Times: 1, Action: faults.LoseWrite()})[0]
		if err := putBody(ctx, srv.Client(), "bkt", "k", []byte("new")); err != nil {
			t.Fatalf("PutObject = %v, want an acknowledged write", err)
		}
		if h.Hits() != 1 {
			t.Errorf("lose_write hits = %d, want 1", h.Hits())
		}
		srv.CheckObject(t, "bkt", "k", []byte("old"))
	})
	t.Run("corrupted stored bytes fail checksum validation", func(t *testing.T) {
		srv := mocks3.New(t, mocks3.WithBucket("bkt"))
		srv.Faults().AddT(t, faults.Rule{Service: "storage", Operation: "Write", Times: 1, Action: faults.CorruptStored()})
		c := srv.Client()
		_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bkt"), Key: aws.String("k"),
			Body: strings.NewReader("important"), ChecksumAlgorithm: types.ChecksumAlgorithmCrc32})
		if err != nil {
			t.Fatal(err)
		}
		_, err = getBody(ctx, c, "bkt", "k")
		if err == nil || !strings.Contains(err.Error(), "checksum") {
			t.Errorf("GetObject of a corrupted object = %v, want a checksum mismatch", err)
		}
	})
	t.Run("stale read serves the previous version", func(t *testing.T) {
		srv := mocks3.New(t, mocks3.WithObject("bkt", "k", []byte("v1")))
		c := srv.Client()
		if err := putBody(ctx, c, "bkt", "k", []byte("v2")); err != nil {
			t.Fatal(err)
		}
		h, err := srv.Faults().Add(faults.Rule{Service: "storage", Operation: "GetObject", Action: faults.StaleRead()})
		if err != nil {
			t.Fatal(err)
		}
		if got, err := getBody(ctx, c, "bkt", "k"); err != nil || string(got) != "v1" {
			t.Errorf("stale GetObject = %q, %v, want v1", got, err)
		}
		h.Remove()
		if got, err := getBody(ctx, c, "bkt", "k"); err != nil || string(got) != "v2" {
			t.Errorf("GetObject = %q, %v, want v2", got, err)
		}
	})
	t.Run("queue failure makes cleanup run at once", func(t *testing.T) {
		srv := mocks3.New(t, mocks3.WithObject("bkt", "k", []byte("v1")))
		h := srv.Faults().AddT(t, faults.Rule{Service: "queue", Operation: "Enqueue", Action: faults.ErrorCode("InternalError")})[0]
		if err := putBody(ctx, srv.Client(), "bkt", "k", []byte("v2")); err != nil {
			t.Fatalf("PutObject with the queue failing = %v, want success", err)
		}
		if h.Hits() != 1 {
			t.Errorf("queue rule hits = %d, want 1 (the overwrite's cleanup)", h.Hits())
		}
		st, err := srv.RoleStats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n := st.Tasks["cleanup"].Enqueued; n != 0 {
			t.Errorf("%d cleanup tasks queued, want 0: the failed enqueue ran it at once", n)
		}
		srv.CheckObject(t, "bkt", "k", []byte("v2"))
	})
	t.Run("metadata error surfaces as its S3 error", func(t *testing.T) {
		srv := mocks3.New(t, mocks3.WithBucket("bkt"))
		srv.Faults().AddT(t, faults.Rule{Service: "metadata", Operation: "ListObjects", Action: faults.ErrorCode("AccessDenied")})
		_, err := srv.Client().ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("bkt")})
		if apiCode(err) != "AccessDenied" {
			t.Errorf("ListObjectsV2 = %v, want AccessDenied", err)
		}
		st := srv.Faults().Stats()
		if st.ByService["metadata"].Faults == 0 || st.ByOperation["ListObjectsV2"].Errors == 0 {
			t.Errorf("stats = %+v, want metadata faults and ListObjectsV2 errors counted", st)
		}
	})
}

// TestFaultsUnblockOnClose shows hangs and slow bodies in flight when the
// server closes end at once, leaving no goroutine (goleak checks).
func TestFaultsUnblockOnClose(t *testing.T) {
	srv, err := mocks3.NewServer(mocks3.WithObject("bkt", "k", bytes.Repeat([]byte("x"), 1<<20)),
		mocks3.WithFaults(
			faults.Rule{Operation: "GetObject", Action: faults.SlowBody(1024)},
			faults.Rule{Operation: "HeadObject", Action: faults.Hang()},
		))
	if err != nil {
		t.Fatal(err)
	}
	c := srv.Client(func(o *s3.Options) { o.RetryMaxAttempts = 1 })
	done := make(chan error, 2)
	go func() { _, err := getBody(context.Background(), c, "bkt", "k"); done <- err }()
	go func() {
		_, err := c.HeadObject(context.Background(), &s3.HeadObjectInput{Bucket: aws.String("bkt"), Key: aws.String("k")})
		done <- err
	}()
	for len(srv.Faults().Events()) < 2 {
		time.Sleep(time.Millisecond)
	}
	start := time.Now()
	srv.Close()
	for range 2 {
		if err := <-done; err == nil {
			t.Errorf("a request in flight at Close succeeded, want an error")
		}
	}
	if d := time.Since(start); d > 30*time.Second { // the slow body alone would take 17 minutes
		t.Errorf("Close took %v with faults in flight, want it prompt", d)
	}
}

// TestLoseWriteOnComplete: a lost write on CompleteMultipartUpload is
// acknowledged and never visible, whether the rule names the S3 operation
// or the metadata call that stores the object.
func TestLoseWriteOnComplete(t *testing.T) {
	for _, rule := range []faults.Rule{
		{Service: "storage", Operation: "CompleteMultipartUpload", Action: faults.LoseWrite()},
		{Service: "storage", RoleOp: "Write", Action: faults.LoseWrite()},
		{Service: "metadata", RoleOp: "CompleteUpload", Action: faults.LoseWrite()},
	} {
		t.Run(string(rule.Service)+"/"+string(rule.Operation)+string(rule.RoleOp), func(t *testing.T) {
			ctx := t.Context()
			srv := mocks3.New(t, mocks3.WithBucket("bkt"), mocks3.WithMinPartSize(1))
			c := srv.Client()
			up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("bkt"), Key: aws.String("k")})
			if err != nil {
				t.Fatal(err)
			}
			part, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("bkt"), Key: aws.String("k"), UploadId: up.UploadId,
				PartNumber: aws.Int32(1), Body: bytes.NewReader([]byte("part"))})
			if err != nil {
				t.Fatal(err)
			}
			h := srv.Faults().AddT(t, rule)[0]
			_, err = c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("bkt"), Key: aws.String("k"), UploadId: up.UploadId,
				MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{{PartNumber: aws.Int32(1), ETag: part.ETag}}}})
			if err != nil {
				t.Fatalf("CompleteMultipartUpload = %v, want an acknowledged write", err)
			}
			if h.Hits() != 1 {
				t.Errorf("lose_write hits = %d, want 1", h.Hits())
			}
			srv.CheckNoObject(t, "bkt", "k")
		})
	}
}

// TestFaultTraceReplicatedWrites has a rule fire on every storage node of
// a replicated write. The nodes are written concurrently, so the request's
// fault trace is filled from several goroutines at once: run with -race.
// Each PUT's journal record names the rule once per node.
func TestFaultTraceReplicatedWrites(t *testing.T) {
	const puts = 8
	for _, tt := range []struct {
		name  string
		nodes int
		opts  []mocks3.Option
	}{
		{"embedded/2 nodes", 2, nil},
		{"embedded/3 nodes", 3, nil},
		{"stack/2 nodes", 2, []mocks3.Option{mocks3.WithStack()}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := mocks3.New(t, append(tt.opts, mocks3.WithBucket("bkt"), mocks3.WithStorageNodes(tt.nodes))...)
			hs := srv.Faults().AddT(t,
				faults.Rule{Name: "slow-write", Service: "storage", RoleOp: "Write", Action: faults.Delay(0)},
				faults.Rule{Name: "slow-gateway", Operation: "PutObject", Action: faults.Delay(0)},
			)
			c := srv.Client()
			var wg sync.WaitGroup
			for i := range puts {
				wg.Go(func() {
					if err := putBody(t.Context(), c, "bkt", fmt.Sprintf("k%d", i), []byte("v")); err != nil {
						t.Errorf("PutObject(k%d) = %v", i, err)
					}
				})
			}
			wg.Wait()

			// The gateway rule fires first, then the storage rule once per node.
			want := append([]string{hs[1].ID()}, slices.Repeat([]string{hs[0].ID()}, tt.nodes)...)
			var n int
			for _, rec := range srv.Requests() {
				if rec.Operation != "PutObject" {
					continue
				}
				n++
				if !slices.Equal(rec.Faults, want) {
					t.Errorf("PutObject(%s) journal faults = %q, want %q", rec.Key, rec.Faults, want)
				}
			}
			if n != puts {
				t.Errorf("journal has %d PutObject records, want %d", n, puts)
			}
		})
	}
}
