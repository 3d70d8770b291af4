package mocks3_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"github.com/mocks3/mocks3"
	"github.com/mocks3/mocks3/faults"
)

// A server outside a test, as in TestMain or a program: NewServer, then
// Close when done.
func ExampleNewServer() {
	srv, err := mocks3.NewServer(mocks3.WithBucket("docs"))
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	ctx := context.Background()
	client := srv.Client()
	_, err = client.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String("docs"), Key: aws.String("hello.txt"), Body: strings.NewReader("Hello, mocks3!"),
	})
	if err != nil {
		log.Fatal(err)
	}

	out, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("docs"), Key: aws.String("hello.txt")})
	if err != nil {
		log.Fatal(err)
	}
	defer out.Body.Close()
	body, err := io.ReadAll(out.Body)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s %s\n", body, aws.ToString(out.ETag))
	// Output: Hello, mocks3! "9bc9e25da1a15f39cd2c683afc5e982a"
}

// Client is an *s3.Client for the server with the SDK's defaults; listing
// pages through keys in UTF-8 byte order.
func ExampleServer_Client() {
	srv, err := mocks3.NewServer(
		mocks3.WithObject("photos", "2024/b.jpg", []byte("b")),
		mocks3.WithObject("photos", "2024/a.jpg", []byte("a")),
		mocks3.WithObject("photos", "2023/c.jpg", []byte("c")),
	)
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	p := s3.NewListObjectsV2Paginator(srv.Client(), &s3.ListObjectsV2Input{
		Bucket: aws.String("photos"), MaxKeys: aws.Int32(2),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			log.Fatal(err)
		}
		for _, o := range page.Contents {
			fmt.Println(aws.ToString(o.Key), aws.ToInt64(o.Size))
		}
	}
	// Output:
	// 2023/c.jpg 1
	// 2024/a.jpg 1
	// 2024/b.jpg 1
}

// WithTLS serves HTTPS; the client trusts the server's test certificate.
func ExampleWithTLS() {
	srv, err := mocks3.NewServer(mocks3.WithTLS(), mocks3.WithBucket("secure"))
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	ctx := context.Background()
	client := srv.Client()
	if _, err := client.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String("secure"), Key: aws.String("k"), Body: strings.NewReader("over TLS"),
	}); err != nil {
		log.Fatal(err)
	}
	data, err := srv.GetObject("secure", "k")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(strings.HasPrefix(srv.URL, "https://"), string(data))
	// Output: true over TLS
}

// WithClock makes LastModified deterministic.
func ExampleWithClock() {
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	srv, err := mocks3.NewServer(mocks3.WithClock(func() time.Time { return now }), mocks3.WithObject("clocked", "k", []byte("x")))
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	out, err := srv.Client().HeadObject(context.Background(), &s3.HeadObjectInput{Bucket: aws.String("clocked"), Key: aws.String("k")})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(out.LastModified.Format(time.RFC3339))
	// Output: 2025-01-02T03:04:05Z
}

// Server.PutObject and Server.Keys seed and inspect without a client.
func ExampleServer_Keys() {
	srv, err := mocks3.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	for _, k := range []string{"logs/2", "logs/1", "data"} {
		if err := srv.PutObject("bucket", k, []byte(k)); err != nil {
			log.Fatal(err)
		}
	}
	keys, err := srv.Keys("bucket", "logs/")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(keys)
	// Output: [logs/1 logs/2]
}

// exampleT stands in for the *testing.T that a test would pass to New,
// CheckObject or Faults().AddT: examples get none. It runs cleanups when
// the "test" ends and prints failures, so that the Output line catches them.
type exampleT struct {
	testing.TB // not called by mocks3 beyond the methods below
	cleanups   []func()
}

func (t *exampleT) Helper()          {}
func (t *exampleT) Cleanup(f func()) { t.cleanups = append(t.cleanups, f) }
func (t *exampleT) Errorf(format string, args ...any) {
	fmt.Printf("FAIL: "+format+"\n", args...)
}
func (t *exampleT) Fatalf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }

// end runs the cleanups, last registered first, as the testing package does
// when a test ends.
func (t *exampleT) end() {
	for i := len(t.cleanups) - 1; i >= 0; i-- {
		t.cleanups[i]()
	}
}

// New is for tests: it fails the test if the server cannot start and closes
// the server when the test ends. Here t is a stand-in; in a test, pass the
// test's t.
func ExampleNew() {
	t := &exampleT{}
	defer t.end()

	srv := mocks3.New(t, mocks3.WithBucket("photos")) // closed when the test ends
	client := srv.Client()                            // *s3.Client, SDK defaults on
	_, err := client.PutObject(context.Background(), &s3.PutObjectInput{
		Bucket: aws.String("photos"), Key: aws.String("a.jpg"), Body: strings.NewReader("data"),
	})
	if err != nil {
		t.Fatalf("PutObject: %v", err)
	}
	srv.CheckObject(t, "photos", "a.jpg", []byte("data")) // reports through t.Errorf

	keys, err := srv.Keys("photos", "")
	fmt.Println(keys, err)
	// Output: [a.jpg] <nil>
}

// WithStack runs the roles as HTTP services behind the S3 gateway, like the
// original MockS3 stack; S3 behaves as in the embedded mode, and Stack tells
// where each service listens.
func ExampleWithStack() {
	srv, err := mocks3.NewServer(mocks3.WithStack(), mocks3.WithStorageNodes(2), mocks3.WithBucket("stacked"))
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	if _, err := srv.Client().PutObject(context.Background(), &s3.PutObjectInput{
		Bucket: aws.String("stacked"), Key: aws.String("k"), Body: strings.NewReader("through the services"),
	}); err != nil {
		log.Fatal(err)
	}
	data, err := srv.GetObject("stacked", "k")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(data))

	st := srv.Stack()
	services := []struct{ name, url string }{
		{"metadata", st.Metadata}, {"storage-1", st.Storage[0]}, {"storage-2", st.Storage[1]}, {"queue", st.Queue},
	}
	for _, svc := range services {
		resp, err := srv.HTTPClient().Get(svc.url + "/health")
		if err != nil {
			log.Fatal(err)
		}
		resp.Body.Close()
		fmt.Println(svc.name, resp.Status)
	}
	// Output:
	// through the services
	// metadata 200 OK
	// storage-1 200 OK
	// storage-2 200 OK
	// queue 200 OK
}

// WithInMemoryTransport serves the server's own clients through in-memory
// connections: no port is opened. Its use is testing/synctest: started with
// New inside a bubble, server and client follow the bubble's fake clock, as
// TestTimeoutWithoutWaiting in the examples directory shows with a 30 s
// delay fault against a 5 s client timeout.
func ExampleWithInMemoryTransport() {
	srv, err := mocks3.NewServer(mocks3.WithInMemoryTransport(), mocks3.WithObject("bkt", "k", []byte("no socket involved")))
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	out, err := srv.Client().GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String("bkt"), Key: aws.String("k")})
	if err != nil {
		log.Fatal(err)
	}
	body, err := io.ReadAll(out.Body)
	out.Body.Close()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(srv.URL, string(body))
	// Output: http://mocks3.test no socket involved
}

// WithEvents hands the server's event notifications to a function: here,
// those of a configuration that selects the uploads under "in/". The
// queue delivers them once the write has committed; WaitIdle waits for it.
func ExampleWithEvents() {
	events := make(chan mocks3.Event, 10)
	srv, err := mocks3.NewServer(mocks3.WithBucket("photos"),
		mocks3.WithEvents(func(e mocks3.Event) { events <- e }))
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	ctx := context.Background()
	client := srv.Client()
	_, err = client.PutBucketNotificationConfiguration(ctx, &s3.PutBucketNotificationConfigurationInput{
		Bucket: aws.String("photos"),
		NotificationConfiguration: &types.NotificationConfiguration{
			QueueConfigurations: []types.QueueConfiguration{{
				Id:       aws.String("uploads"),
				QueueArn: aws.String("arn:aws:sqs:us-east-1:123456789012:uploads"),
				Events:   []types.Event{types.EventS3ObjectCreated},
				Filter: &types.NotificationConfigurationFilter{Key: &types.S3KeyFilter{FilterRules: []types.FilterRule{
					{Name: types.FilterRuleNamePrefix, Value: aws.String("in/")},
				}}},
			}},
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, key := range []string{"in/cat.jpg", "out/dog.jpg"} {
		_, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("photos"), Key: aws.String(key), Body: strings.NewReader("img")})
		if err != nil {
			log.Fatal(err)
		}
	}
	if err := srv.WaitIdle(ctx); err != nil {
		log.Fatal(err)
	}
	for len(events) > 0 {
		e := <-events
		fmt.Println(e.Name, e.Key, e.Size, e.ConfigurationID)
	}
	// Output: ObjectCreated:Put in/cat.jpg 3 uploads
}

// AddT adds a rule for the rest of a test or subtest. Here the SDK's retries
// absorb two throttled attempts, the request journal shows them, and the
// rule is gone once the test ends. t is a stand-in; in a test, pass the
// test's (or subtest's) t.
func ExampleFaults_AddT() {
	srv, err := mocks3.NewServer(mocks3.WithBucket("photos"))
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	t := &exampleT{}
	srv.Faults().AddT(t, faults.Rule{Name: "throttle twice", Operation: "PutObject", Times: 2, Action: faults.ErrorCode("SlowDown")})

	_, err = srv.Client().PutObject(context.Background(), &s3.PutObjectInput{
		Bucket: aws.String("photos"), Key: aws.String("a.jpg"), Body: strings.NewReader("data"),
	})
	fmt.Println("PutObject:", err)
	for _, r := range srv.Requests() {
		fmt.Println(r.Operation, "attempt", r.Attempt, r.Status)
	}
	fmt.Println("triggers:", srv.Faults().Stats().Total.Faults)

	t.end()
	fmt.Println("rules after the test:", len(srv.Faults().Rules()))
	// Output:
	// PutObject: <nil>
	// PutObject attempt 1 503
	// PutObject attempt 2 503
	// PutObject attempt 3 200
	// triggers: 2
	// rules after the test: 0
}

// With WithAuth the server verifies signatures as S3 does: a second user
// is denied the first user's bucket, and a presigned URL expires when the
// server's clock passes its X-Amz-Expires, without sleeping.
func ExampleWithAuth() {
	var now atomic.Int64
	now.Store(time.Now().UnixNano())
	srv, err := mocks3.NewServer(mocks3.WithAuth(), mocks3.WithBucket("private"),
		mocks3.WithClock(func() time.Time { return time.Unix(0, now.Load()) }),
		mocks3.WithUser("alice", "AKIDALICE", "alice-secret"),
		mocks3.WithUser("bob", "AKIDBOB", "bob-secret"))
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	ctx := context.Background()

	// Client signs as the first identity, alice, who owns "private".
	_, err = srv.ClientFor("bob").ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("private")})
	var ae smithy.APIError
	if errors.As(err, &ae) {
		fmt.Println("bob:", ae.ErrorCode())
	}

	req, err := s3.NewPresignClient(srv.Client()).PresignGetObject(ctx,
		&s3.GetObjectInput{Bucket: aws.String("private"), Key: aws.String("k")}, s3.WithPresignExpires(time.Hour))
	if err != nil {
		log.Fatal(err)
	}
	get := func() int {
		resp, err := srv.HTTPClient().Get(req.URL)
		if err != nil {
			log.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	fmt.Println("presigned:", get()) // signed and fresh: the object is missing
	now.Add(int64(2 * time.Hour))
	fmt.Println("two hours later:", get())
	// Output:
	// bob: AccessDenied
	// presigned: 404
	// two hours later: 403
}
