package mocks3_test

// Event notifications:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketNotificationConfiguration.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketNotificationConfiguration.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/stretchr/testify/require"

	"github.com/mocks3/mocks3"
	"github.com/mocks3/mocks3/faults"
	"github.com/mocks3/mocks3/internal/queue"
	"github.com/mocks3/mocks3/s3api"
)

const (
	queueARN = "arn:aws:sqs:us-east-1:123456789012:uploads"
	topicARN = "arn:aws:sns:us-east-1:123456789012:removals"
	funcARN  = "arn:aws:lambda:us-east-1:123456789012:function:thumbnail"
)

func putNotification(t *testing.T, c *s3.Client, cfg *types.NotificationConfiguration) error {
	t.Helper()
	_, err := c.PutBucketNotificationConfiguration(t.Context(), &s3.PutBucketNotificationConfigurationInput{
		Bucket: aws.String(testBucket), NotificationConfiguration: cfg})
	return err
}

func keyFilter(rules ...string) *types.NotificationConfigurationFilter {
	f := &types.NotificationConfigurationFilter{Key: &types.S3KeyFilter{}}
	for i := 0; i+1 < len(rules); i += 2 {
		f.Key.FilterRules = append(f.Key.FilterRules, types.FilterRule{Name: types.FilterRuleName(rules[i]), Value: aws.String(rules[i+1])})
	}
	return f
}

func TestNotificationConfiguration(t *testing.T) {
	_, c := startBucket(t, embedded)
	ctx := t.Context()
	get := func() *s3.GetBucketNotificationConfigurationOutput {
		t.Helper()
		out, err := c.GetBucketNotificationConfiguration(ctx, &s3.GetBucketNotificationConfigurationInput{Bucket: aws.String(testBucket)})
		if err != nil {
			t.Fatalf("GetBucketNotificationConfiguration() = %v", err)
		}
		return out
	}
	ignore := cmpopts.IgnoreUnexported(s3.GetBucketNotificationConfigurationOutput{}, types.QueueConfiguration{},
		types.TopicConfiguration{}, types.LambdaFunctionConfiguration{}, types.NotificationConfigurationFilter{},
		types.S3KeyFilter{}, types.FilterRule{})
	ignore = cmp.Options{ignore, cmpopts.IgnoreFields(s3.GetBucketNotificationConfigurationOutput{}, "ResultMetadata")}

	if diff := cmp.Diff(&s3.GetBucketNotificationConfigurationOutput{}, get(), ignore); diff != "" {
		t.Errorf("GetBucketNotificationConfiguration() before any Put (-want +got):\n%s", diff)
	}
	cfg := &types.NotificationConfiguration{
		QueueConfigurations: []types.QueueConfiguration{{Id: aws.String("uploads"), QueueArn: aws.String(queueARN),
			Events: []types.Event{types.EventS3ObjectCreated}, Filter: keyFilter("prefix", "in/", "suffix", ".jpg")}},
		TopicConfigurations: []types.TopicConfiguration{{Id: aws.String("removals"), TopicArn: aws.String(topicARN),
			Events: []types.Event{types.EventS3ObjectRemovedDelete, types.EventS3ObjectRemovedDeleteMarkerCreated}}},
		LambdaFunctionConfigurations: []types.LambdaFunctionConfiguration{{Id: aws.String("thumbs"), LambdaFunctionArn: aws.String(funcARN),
			Events: []types.Event{types.EventS3ObjectCreatedPut}, Filter: keyFilter("Prefix", "thumbs/")}},
	}
	if err := putNotification(t, c, cfg); err != nil {
		t.Fatalf("PutBucketNotificationConfiguration() = %v", err)
	}
	// S3 answers the filter rule names capitalised.
	want := &s3.GetBucketNotificationConfigurationOutput{
		QueueConfigurations:          cfg.QueueConfigurations,
		TopicConfigurations:          cfg.TopicConfigurations,
		LambdaFunctionConfigurations: cfg.LambdaFunctionConfigurations,
	}
	want.QueueConfigurations[0].Filter = keyFilter("Prefix", "in/", "Suffix", ".jpg")
	if diff := cmp.Diff(want, get(), ignore); diff != "" {
		t.Errorf("GetBucketNotificationConfiguration() (-want +got):\n%s", diff)
	}

	// A configuration without an Id gets one.
	if err := putNotification(t, c, &types.NotificationConfiguration{QueueConfigurations: []types.QueueConfiguration{
		{QueueArn: aws.String(queueARN), Events: []types.Event{types.EventS3ObjectCreated}}}}); err != nil {
		t.Fatalf("PutBucketNotificationConfiguration(no Id) = %v", err)
	}
	if got := get().QueueConfigurations; len(got) != 1 || aws.ToString(got[0].Id) == "" {
		t.Errorf("GetBucketNotificationConfiguration() queues = %+v, want one with an Id", got)
	}

	// An empty configuration turns notifications off.
	if err := putNotification(t, c, &types.NotificationConfiguration{}); err != nil {
		t.Fatalf("PutBucketNotificationConfiguration(empty) = %v", err)
	}
	if diff := cmp.Diff(&s3.GetBucketNotificationConfigurationOutput{}, get(), ignore); diff != "" {
		t.Errorf("GetBucketNotificationConfiguration() after an empty Put (-want +got):\n%s", diff)
	}
}

func TestNotificationConfigurationErrors(t *testing.T) {
	_, c := startBucket(t, embedded)
	queueCfg := func(arn string, events []types.Event, f *types.NotificationConfigurationFilter) types.QueueConfiguration {
		return types.QueueConfiguration{QueueArn: aws.String(arn), Events: events, Filter: f}
	}
	created := []types.Event{types.EventS3ObjectCreated}
	tests := []struct {
		name   string
		bucket string
		cfg    types.NotificationConfiguration
		code   string
		status int
	}{
		{name: "unknown event", cfg: types.NotificationConfiguration{QueueConfigurations: []types.QueueConfiguration{
			queueCfg(queueARN, []types.Event{"s3:ObjectCreated:Paste"}, nil)}}, code: "InvalidArgument", status: 400},
		{name: "event without prefix", cfg: types.NotificationConfiguration{QueueConfigurations: []types.QueueConfiguration{
			queueCfg(queueARN, []types.Event{"ObjectCreated:Put"}, nil)}}, code: "InvalidArgument", status: 400},
		{name: "bad filter rule name", cfg: types.NotificationConfiguration{QueueConfigurations: []types.QueueConfiguration{
			queueCfg(queueARN, created, keyFilter("infix", "a"))}}, code: "InvalidArgument", status: 400},
		{name: "two prefix rules", cfg: types.NotificationConfiguration{QueueConfigurations: []types.QueueConfiguration{
			queueCfg(queueARN, created, keyFilter("prefix", "a", "Prefix", "b"))}}, code: "InvalidArgument", status: 400},
		{name: "overlapping configurations", cfg: types.NotificationConfiguration{QueueConfigurations: []types.QueueConfiguration{
			queueCfg(queueARN, created, keyFilter("prefix", "in/")),
			queueCfg(queueARN+"2", []types.Event{types.EventS3ObjectCreatedPut}, keyFilter("prefix", "in/sub/"))}},
			code: "InvalidArgument", status: 400},
		{name: "topic ARN in a queue configuration", cfg: types.NotificationConfiguration{QueueConfigurations: []types.QueueConfiguration{
			queueCfg(topicARN, created, nil)}}, code: "InvalidArgument", status: 400},
		{name: "not an ARN", cfg: types.NotificationConfiguration{TopicConfigurations: []types.TopicConfiguration{
			{TopicArn: aws.String("http://example.com/hook"), Events: created}}}, code: "InvalidArgument", status: 400},
		{name: "missing bucket", bucket: "no-such-bucket", cfg: types.NotificationConfiguration{}, code: "NoSuchBucket", status: 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := testBucket
			if tt.bucket != "" {
				b = tt.bucket
			}
			_, err := c.PutBucketNotificationConfiguration(t.Context(), &s3.PutBucketNotificationConfigurationInput{
				Bucket: aws.String(b), NotificationConfiguration: &tt.cfg})
			checkErr(t, "PutBucketNotificationConfiguration("+tt.name+")", err, tt.code, tt.status)
		})
	}
	// Non-overlapping prefixes may share events.
	err := putNotification(t, c, &types.NotificationConfiguration{QueueConfigurations: []types.QueueConfiguration{
		queueCfg(queueARN, created, keyFilter("prefix", "a/")), queueCfg(queueARN, created, keyFilter("prefix", "b/"))}})
	if err != nil {
		t.Errorf("PutBucketNotificationConfiguration(disjoint prefixes) = %v", err)
	}
	_, err = c.GetBucketNotificationConfiguration(t.Context(), &s3.GetBucketNotificationConfigurationInput{Bucket: aws.String("no-such-bucket")})
	checkErr(t, "GetBucketNotificationConfiguration(no-such-bucket)", err, "NoSuchBucket", 404)
}

// eventLog collects the events a server delivers.
type eventLog struct {
	mu     sync.Mutex // guards events
	events []mocks3.Event
}

func (l *eventLog) add(e mocks3.Event) {
	l.mu.Lock()
	l.events = append(l.events, e)
	l.mu.Unlock()
}

// sorted returns the events in the order of their sequencers.
func (l *eventLog) sorted() []mocks3.Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := slices.Clone(l.events)
	slices.SortFunc(out, func(a, b mocks3.Event) int { return strings.Compare(a.Sequencer, b.Sequencer) })
	return out
}

func TestNotificationEvents(t *testing.T) {
	for _, mode := range roleModes {
		t.Run(mode.name, func(t *testing.T) {
			t.Parallel()
			testNotificationEvents(t, mode.opts(t)...)
		})
	}
}

func testNotificationEvents(t *testing.T, opts ...mocks3.Option) {
	const minPart = 1024
	var log eventLog
	srv, c := startBucket(t, embedded, append(opts, mocks3.WithMinPartSize(minPart), mocks3.WithEvents(log.add))...)
	ctx := t.Context()
	if err := putNotification(t, c, &types.NotificationConfiguration{
		QueueConfigurations: []types.QueueConfiguration{{Id: aws.String("created"), QueueArn: aws.String(queueARN),
			Events: []types.Event{types.EventS3ObjectCreated}, Filter: keyFilter("prefix", "in/", "suffix", ".txt")}},
		TopicConfigurations: []types.TopicConfiguration{{Id: aws.String("removed"), TopicArn: aws.String(topicARN),
			Events: []types.Event{types.EventS3ObjectRemoved}}},
	}); err != nil {
		t.Fatalf("PutBucketNotificationConfiguration() = %v", err)
	}
	body := testData(100, 7)
	mustPut(t, c, testBucket, "in/a b.txt", body)
	mustPut(t, c, testBucket, "in/a.bin", body)  // suffix does not match
	mustPut(t, c, testBucket, "out/b.txt", body) // prefix does not match
	// A failed write makes no event.
	_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(testBucket), Key: aws.String("in/a b.txt"),
		Body: bytes.NewReader([]byte("other")), IfNoneMatch: aws.String("*")})
	checkErr(t, "PutObject(If-None-Match)", err, "PreconditionFailed", 412)
	if _, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String(testBucket), Key: aws.String("in/copy.txt"),
		CopySource: aws.String(copySource(testBucket, "in/a b.txt"))}); err != nil {
		t.Fatalf("CopyObject() = %v", err)
	}
	parts := [][]byte{testData(minPart, 8), testData(10, 9)}
	uploadParts(t, c, "in/multi.txt", "", parts...)
	if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(testBucket), Key: aws.String("out/b.txt")}); err != nil {
		t.Fatalf("DeleteObject() = %v", err)
	}
	if _, err := c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String(testBucket), Delete: &types.Delete{
		Objects: []types.ObjectIdentifier{{Key: aws.String("in/a.bin")}, {Key: aws.String("never-existed")}}}}); err != nil {
		t.Fatalf("DeleteObjects() = %v", err)
	}
	// Seeding through the direct API is no S3 request: no event.
	if err := srv.PutObject(testBucket, "in/seeded.txt", body); err != nil {
		t.Fatal(err)
	}
	if err := srv.WaitIdle(ctx); err != nil {
		t.Fatal(err)
	}

	type event struct {
		Name, Key, ETag, ConfigurationID, Destination string
		Size                                          int64
	}
	want := []event{
		{"ObjectCreated:Put", "in/a b.txt", md5Hex(body), "created", queueARN, int64(len(body))},
		{"ObjectCreated:Copy", "in/copy.txt", md5Hex(body), "created", queueARN, int64(len(body))},
		{"ObjectCreated:CompleteMultipartUpload", "in/multi.txt", strings.Trim(multipartETag(parts...), `"`), "created", queueARN,
			int64(len(parts[0]) + len(parts[1]))},
		{"ObjectRemoved:Delete", "out/b.txt", "", "removed", topicARN, 0},
		{"ObjectRemoved:Delete", "in/a.bin", "", "removed", topicARN, 0},
	}
	evs := log.sorted()
	var got []event
	for _, e := range evs {
		got = append(got, event{e.Name, e.Key, e.ETag, e.ConfigurationID, e.Destination, e.Size})
		if e.Bucket != testBucket || e.Time.IsZero() || len(e.Sequencer) != 16 {
			t.Errorf("event %s %s: Bucket %q, Time %v, Sequencer %q", e.Name, e.Key, e.Bucket, e.Time, e.Sequencer)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("events (-want +got):\n%s", diff)
	}

	// The message is S3's event structure, the key URL-encoded.
	var msg struct {
		Records []struct {
			EventVersion, EventSource, AWSRegion, EventName string
			S3                                              struct {
				S3SchemaVersion, ConfigurationID string
				Bucket                           struct{ Name, ARN string }
				Object                           struct {
					Key, ETag, Sequencer string
					Size                 int64
				}
			}
			ResponseElements  map[string]string
			RequestParameters map[string]string
		}
	}
	if err := json.Unmarshal(evs[0].Message, &msg); err != nil || len(msg.Records) != 1 {
		t.Fatalf("message %s: %v, want one record", evs[0].Message, err)
	}
	r := msg.Records[0]
	if r.EventVersion != "2.1" || r.EventSource != "aws:s3" || r.AWSRegion != "us-east-1" || r.EventName != "ObjectCreated:Put" ||
		r.S3.S3SchemaVersion != "1.0" || r.S3.ConfigurationID != "created" || r.S3.Bucket.Name != testBucket ||
		r.S3.Bucket.ARN != "arn:aws:s3:::"+testBucket || r.S3.Object.Key != "in/a+b.txt" || r.S3.Object.ETag != md5Hex(body) ||
		r.S3.Object.Size != int64(len(body)) || r.S3.Object.Sequencer != evs[0].Sequencer || r.ResponseElements["x-amz-request-id"] == "" ||
		r.RequestParameters["sourceIPAddress"] != "127.0.0.1" {
		t.Errorf("message = %s", evs[0].Message)
	}
	if strings.Contains(string(evs[3].Message), `"size"`) || strings.Contains(string(evs[3].Message), `"eTag"`) {
		t.Errorf("removal message = %s, want no size or eTag", evs[3].Message)
	}
}

// flakyHook is a webhook that fails its first n calls with 500.
type flakyHook struct {
	mu     sync.Mutex // guards fail and bodies
	fail   int
	bodies [][]byte
}

func (h *flakyHook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.bodies = append(h.bodies, b)
	if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	if h.fail > 0 {
		h.fail--
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *flakyHook) calls() [][]byte {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.bodies)
}

func TestNotificationWebhook(t *testing.T) {
	tests := []struct {
		name         string
		fail         int
		wantCalls    int
		wantStats    mocks3.TaskStats
		wantDelivery bool
	}{
		{name: "at once", fail: 0, wantCalls: 1, wantStats: mocks3.TaskStats{Enqueued: 1, Succeeded: 1}, wantDelivery: true},
		{name: "fails twice", fail: 2, wantCalls: 3, wantStats: mocks3.TaskStats{Enqueued: 1, Succeeded: 1, Retried: 2}, wantDelivery: true},
		{name: "always fails", fail: 1 << 30, wantCalls: queue.MaxAttempts,
			wantStats: mocks3.TaskStats{Enqueued: 1, Retried: queue.MaxAttempts - 1, Dead: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			hook := &flakyHook{fail: tt.fail}
			ts := httptest.NewServer(hook)
			t.Cleanup(ts.Close)
			var log eventLog
			srv, c := startBucket(t, embedded, mocks3.WithWebhook(queueARN, ts.URL+"/hook"), mocks3.WithEvents(log.add))
			if err := putNotification(t, c, &types.NotificationConfiguration{QueueConfigurations: []types.QueueConfiguration{
				{QueueArn: aws.String(queueARN), Events: []types.Event{types.EventS3ObjectCreatedPut}}}}); err != nil {
				t.Fatalf("PutBucketNotificationConfiguration() = %v", err)
			}
			mustPut(t, c, testBucket, "k", []byte("data"))
			if err := srv.WaitIdle(t.Context()); err != nil {
				t.Fatal(err)
			}
			calls := hook.calls()
			if len(calls) != tt.wantCalls {
				t.Errorf("webhook calls = %d, want %d", len(calls), tt.wantCalls)
			}
			for i, b := range calls {
				if !bytes.Equal(b, calls[0]) {
					t.Errorf("webhook call %d body = %s, want the first call's %s", i+1, b, calls[0])
				}
			}
			st, err := srv.RoleStats(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.wantStats, st.Tasks[queue.TypeNotify]); diff != "" {
				t.Errorf("queue stats of notify tasks (-want +got):\n%s", diff)
			}
			evs := log.sorted()
			if tt.wantDelivery {
				if len(evs) != 1 || !bytes.Equal(evs[0].Message, calls[0]) {
					t.Errorf("WithEvents saw %d events, want 1 with the webhook's message", len(evs))
				}
			} else if len(evs) != 0 {
				t.Errorf("WithEvents saw %d events of an undelivered message, want 0", len(evs))
			}
		})
	}
}

func TestNotificationOptions(t *testing.T) {
	tests := []struct {
		name string
		opt  mocks3.Option
	}{
		{"nil events function", mocks3.WithEvents(nil)},
		{"webhook without ARN", mocks3.WithWebhook("", "http://127.0.0.1:1/")},
		{"webhook not http", mocks3.WithWebhook(queueARN, "ftp://example.com/")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, err := mocks3.NewServer(tt.opt)
			if err == nil {
				srv.Close()
				t.Fatalf("NewServer(%s) = nil error, want one", tt.name)
			}
		})
	}
}

// A fault rule names the new operations, and a failed configuration write
// leaves the old one in place.
func TestNotificationFaults(t *testing.T) {
	srv, c := startBucket(t, embedded, mocks3.WithObject(testBucket, "k", []byte("data")))
	var rules []*mocks3.FaultHandle
	for _, op := range []string{"PutBucketNotificationConfiguration", "GetBucketNotificationConfiguration", "GetObjectAttributes"} {
		h, err := srv.Faults().Add(faults.Rule{Operation: s3api.Operation(op), Action: faults.ErrorCode("AccessDenied")})
		if err != nil {
			t.Fatalf("Faults().Add(%s) = %v", op, err)
		}
		rules = append(rules, h)
	}
	err := putNotification(t, c, &types.NotificationConfiguration{QueueConfigurations: []types.QueueConfiguration{
		{QueueArn: aws.String(queueARN), Events: []types.Event{types.EventS3ObjectCreated}}}})
	checkErr(t, "PutBucketNotificationConfiguration()", err, "AccessDenied", 403)
	_, err = c.GetBucketNotificationConfiguration(t.Context(), &s3.GetBucketNotificationConfigurationInput{Bucket: aws.String(testBucket)})
	checkErr(t, "GetBucketNotificationConfiguration()", err, "AccessDenied", 403)
	_, err = c.GetObjectAttributes(t.Context(), &s3.GetObjectAttributesInput{Bucket: aws.String(testBucket), Key: aws.String("k"),
		ObjectAttributes: []types.ObjectAttributes{types.ObjectAttributesEtag}})
	checkErr(t, "GetObjectAttributes()", err, "AccessDenied", 403)

	for _, h := range rules {
		h.Remove()
	}
	out, err := c.GetBucketNotificationConfiguration(t.Context(), &s3.GetBucketNotificationConfigurationInput{Bucket: aws.String(testBucket)})
	if err != nil {
		t.Fatalf("GetBucketNotificationConfiguration() after the rules are gone = %v", err)
	}
	if len(out.QueueConfigurations) != 0 {
		t.Errorf("GetBucketNotificationConfiguration() after a refused Put = %d queues, want none", len(out.QueueConfigurations))
	}
}

// A CompleteMultipartUpload whose response is lost, sent again by its
// client, makes one event, not two: the second finds the object committed.
func TestNotificationCompleteRetried(t *testing.T) {
	var log eventLog
	srv, c := startBucket(t, embedded, mocks3.WithEvents(log.add))
	ctx := t.Context()
	if err := putNotification(t, c, &types.NotificationConfiguration{QueueConfigurations: []types.QueueConfiguration{
		{QueueArn: aws.String(queueARN), Events: []types.Event{types.EventS3ObjectCreated}}}}); err != nil {
		t.Fatalf("PutBucketNotificationConfiguration() = %v", err)
	}
	up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String("big")})
	if err != nil {
		t.Fatal(err)
	}
	part, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String(testBucket), Key: aws.String("big"),
		UploadId: up.UploadId, PartNumber: aws.Int32(1), Body: bytes.NewReader([]byte("data"))})
	if err != nil {
		t.Fatal(err)
	}
	complete := callErr(ctx, c.CompleteMultipartUpload, &s3.CompleteMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String("big"),
		UploadId: up.UploadId, MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{{PartNumber: aws.Int32(1), ETag: part.ETag}}}})
	srv.Faults().AddT(t, faults.Rule{Operation: "CompleteMultipartUpload", Times: 1, Action: faults.TruncateBody(0)})
	if err := complete(); err == nil {
		t.Fatal("CompleteMultipartUpload with its response cut off succeeded, want an error for the test to mean anything")
	}
	if err := complete(); err != nil {
		t.Fatalf("CompleteMultipartUpload sent again = %v", err)
	}
	if err := srv.WaitIdle(ctx); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range log.sorted() {
		names = append(names, e.Name+" "+e.Key)
	}
	if diff := cmp.Diff([]string{"ObjectCreated:CompleteMultipartUpload big"}, names); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

// The configuration is kept with the bucket: a server restarted on the same
// directory still has it.
func TestNotificationConfigurationPersists(t *testing.T) {
	dir := t.TempDir()
	srv := mocks3.New(t, mocks3.WithDir(dir), mocks3.WithBucket(testBucket))
	if err := putNotification(t, srv.Client(), &types.NotificationConfiguration{TopicConfigurations: []types.TopicConfiguration{
		{Id: aws.String("kept"), TopicArn: aws.String(topicARN), Events: []types.Event{types.EventS3ObjectRemoved}}}}); err != nil {
		t.Fatalf("PutBucketNotificationConfiguration() = %v", err)
	}
	srv.Close()
	srv = mocks3.New(t, mocks3.WithDir(dir))
	out, err := srv.Client().GetBucketNotificationConfiguration(t.Context(), &s3.GetBucketNotificationConfigurationInput{Bucket: aws.String(testBucket)})
	if err != nil {
		t.Fatalf("GetBucketNotificationConfiguration() after a restart = %v", err)
	}
	if len(out.TopicConfigurations) != 1 || aws.ToString(out.TopicConfigurations[0].Id) != "kept" {
		t.Errorf("GetBucketNotificationConfiguration() after a restart = %+v, want the topic configuration kept", out.TopicConfigurations)
	}
}

// TestNotificationVersionEvents: in a versioned bucket a plain DELETE makes
// a delete marker (ObjectRemoved:DeleteMarkerCreated) and a DELETE by
// versionId removes that version (ObjectRemoved:Delete), each naming the
// version.
func TestNotificationVersionEvents(t *testing.T) {
	var log eventLog
	srv, c := startVersioned(t, embedded, mocks3.WithEvents(log.add))
	ctx := t.Context()
	require.NoError(t, putNotification(t, c, &types.NotificationConfiguration{
		QueueConfigurations: []types.QueueConfiguration{{Id: aws.String("removed"), QueueArn: aws.String(queueARN),
			Events: []types.Event{types.EventS3ObjectRemoved}}},
	}))
	put := mustPut(t, c, testBucket, "k", []byte("v1"))
	del, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(testBucket), Key: aws.String("k")})
	require.NoError(t, err)
	_, err = c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(testBucket), Key: aws.String("k"), VersionId: put.VersionId})
	require.NoError(t, err)
	require.NoError(t, srv.WaitIdle(ctx))

	type event struct{ Name, Key, VersionID string }
	want := []event{
		{"ObjectRemoved:DeleteMarkerCreated", "k", aws.ToString(del.VersionId)},
		{"ObjectRemoved:Delete", "k", aws.ToString(put.VersionId)},
	}
	var got []event
	for _, e := range log.sorted() {
		got = append(got, event{e.Name, e.Key, e.VersionID})
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}
