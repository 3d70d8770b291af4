package mocks3_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/mocks3/mocks3"
	"github.com/mocks3/mocks3/faults"
	"github.com/mocks3/mocks3/s3api"
)

// The fault API as a test author meets it: each test here is a surprise a
// first use of the engine ran into.

// TestStaleReadAddedAfterWrites: data arranged first, then the fault
// injected, which is the natural order of a test.
func TestStaleReadAddedAfterWrites(t *testing.T) {
	ctx := t.Context()
	for _, rule := range []faults.Rule{
		{Service: "storage", Operation: "GetObject", Action: faults.StaleRead()},
		{Service: "storage", RoleOp: "Read", Action: faults.StaleRead()},
		{Service: "metadata", RoleOp: "GetObject", Action: faults.StaleRead()},
	} {
		t.Run(string(rule.Service)+"/"+string(rule.Operation)+string(rule.RoleOp), func(t *testing.T) {
			srv := mocks3.New(t, mocks3.WithObject("bkt", "k", []byte("v1")), mocks3.WithObject("bkt", "new", []byte("n1")))
			c := srv.Client()
			if err := putBody(ctx, c, "bkt", "k", []byte("v2")); err != nil {
				t.Fatal(err)
			}
			if err := srv.WaitIdle(ctx); err != nil { // the old bytes' cleanup has run
				t.Fatal(err)
			}
			h := srv.Faults().AddT(t, rule)[0]
			if got, err := getBody(ctx, c, "bkt", "k"); err != nil || string(got) != "v1" {
				t.Errorf("stale GetObject(k) = %q, %v; want v1, the version before the last write", got, err)
			}
			// An object written once has no previous version.
			if _, err := getBody(ctx, c, "bkt", "new"); apiCode(err) != "NoSuchKey" {
				t.Errorf("stale GetObject(new) = %v, want NoSuchKey", err)
			}
			if h.Hits() != 2 {
				t.Errorf("stale_read hits = %d, want 2", h.Hits())
			}
			h.Remove()
			if got, err := getBody(ctx, c, "bkt", "k"); err != nil || string(got) != "v2" {
				t.Errorf("GetObject(k) without the rule = %q, %v; want v2", got, err)
			}
		})
	}
}

// TestStaleReadAfterDelete: a deleted object reads back, stale, as it was.
func TestStaleReadAfterDelete(t *testing.T) {
	ctx := t.Context()
	srv := mocks3.New(t, mocks3.WithObject("bkt", "k", []byte("v1")))
	c := srv.Client()
	if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("bkt"), Key: aws.String("k")}); err != nil {
		t.Fatal(err)
	}
	checkStaleRead(t, srv, c, "v1")
}

// TestStaleReadKeepsOneVersion: the previous version is kept, the one
// before it is not (its bytes are deleted as usual).
func TestStaleReadKeepsOneVersion(t *testing.T) {
	ctx := t.Context()
	srv := mocks3.New(t, mocks3.WithBucket("bkt"))
	c := srv.Client()
	for _, v := range []string{"v1", "v2", "v3"} {
		if err := putBody(ctx, c, "bkt", "k", []byte(v)); err != nil {
			t.Fatal(err)
		}
	}
	checkStaleRead(t, srv, c, "v2")
}

// checkStaleRead waits until the queue is idle (old bytes deleted), adds a
// storage StaleRead rule, and checks that bkt/k then reads want.
func checkStaleRead(t *testing.T, srv *mocks3.Server, c *s3.Client, want string) {
	t.Helper()
	if err := srv.WaitIdle(t.Context()); err != nil {
		t.Fatal(err)
	}
	srv.Faults().AddT(t, faults.Rule{Service: "storage", Operation: "GetObject", Action: faults.StaleRead()})
	if got, err := getBody(t.Context(), c, "bkt", "k"); err != nil || string(got) != want {
		t.Errorf("stale GetObject(k) = %q, %v; want %s", got, err, want)
	}
}

// TestHitsAfterAddTRemoved: a handle keeps its rule's final counts after
// the rule is gone, so a test can assert them after a subtest ended.
func TestHitsAfterAddTRemoved(t *testing.T) {
	srv := mocks3.New(t, mocks3.WithObject("bkt", "k", []byte("v")))
	var h *mocks3.FaultHandle
	t.Run("fault", func(t *testing.T) {
		h = srv.Faults().AddT(t, faults.Rule{Operation: "GetObject", Times: 1, Action: faults.ErrorCode("InternalError")})[0]
		if _, err := getBody(t.Context(), srv.Client(), "bkt", "k"); err != nil { // retried once
			t.Fatal(err)
		}
	})
	if n := len(srv.Faults().Rules()); n != 0 {
		t.Fatalf("%d rules after the subtest, want AddT's rule removed", n)
	}
	if h.Hits() != 1 || h.Matches() != 2 {
		t.Errorf("removed rule: Hits() = %d, Matches() = %d; want 1 and 2", h.Hits(), h.Matches())
	}
}

// TestJournalNamesRulesByID: the journal, the events and the stats name a
// rule the same way, by its ID, named rule or not.
func TestJournalNamesRulesByID(t *testing.T) {
	srv := mocks3.New(t, mocks3.WithObject("bkt", "k", []byte("v")))
	h := srv.Faults().AddT(t, faults.Rule{Name: "flaky", Operation: "GetObject", Times: 1, Action: faults.ErrorCode("InternalError")})[0]
	if _, err := getBody(t.Context(), srv.Client(), "bkt", "k"); err != nil {
		t.Fatal(err)
	}
	var journal []string
	for _, r := range srv.Requests() {
		journal = append(journal, r.Faults...)
	}
	evs := srv.Faults().Events()
	if len(evs) != 1 || !slices.Equal(journal, []string{h.ID()}) || evs[0].RuleID != h.ID() {
		t.Errorf("journal faults %q, events %+v; want both to name rule %s", journal, evs, h.ID())
	}
	if _, ok := srv.Faults().Stats().ByRule[h.ID()]; !ok {
		t.Errorf("Stats().ByRule has no %s", h.ID())
	}
}

// TestStatsTotalCountsS3Requests: Total counts S3 requests; role calls are
// counted apart, in Roles.
func TestStatsTotalCountsS3Requests(t *testing.T) {
	srv := mocks3.New(t, mocks3.WithObject("bkt", "k", []byte("v")))
	srv.Faults().AddT(t, faults.Rule{Service: "metadata", Action: faults.Delay(0)})
	for range 3 {
		if _, err := getBody(t.Context(), srv.Client(), "bkt", "k"); err != nil {
			t.Fatal(err)
		}
	}
	st := srv.Faults().Stats()
	if st.Total != st.ByService["gateway"] || st.Total.Requests != 3 || st.Total.Faults != 3 {
		t.Errorf("Stats().Total = %+v, want the gateway's %+v: 3 requests, 3 with a fault", st.Total, st.ByService["gateway"])
	}
	var roles faults.Counts
	for svc, c := range st.ByService {
		if svc != "gateway" {
			roles.Requests, roles.Faults, roles.Errors = roles.Requests+c.Requests, roles.Faults+c.Faults, roles.Errors+c.Errors
		}
	}
	if st.Roles != roles || st.ByService["metadata"].Faults < 3 {
		t.Errorf("Stats().Roles = %+v, want the role calls %+v, at least 3 of them faulted", st.Roles, roles)
	}
}

// TestHTTPErrorCodeThroughSDK: an error given by status alone reaches the
// client with a code that says what the status does.
func TestHTTPErrorCodeThroughSDK(t *testing.T) {
	srv := mocks3.New(t, mocks3.WithObject("bkt", "k", []byte("v")),
		mocks3.WithFaults(faults.Rule{Operation: "GetObject", Action: faults.HTTPError(418, "short and stout")}))
	_, err := getBody(t.Context(), srv.Client(), "bkt", "k")
	if httpStatus(err) != 418 || apiCode(err) != "ImATeapot" || !strings.Contains(err.Error(), "short and stout") {
		t.Errorf("GetObject = %v, want 418 ImATeapot with the rule's message", err)
	}
}

// TestUnknownOperationRejected: a misspelt or miscased operation name
// would never match; WithFaults refuses it, listing the valid names.
func TestUnknownOperationRejected(t *testing.T) {
	for _, op := range []s3api.Operation{"PutObjekt", "getobject"} {
		srv, err := mocks3.NewServer(mocks3.WithFaults(faults.Rule{Operation: op, Action: faults.ErrorCode("InternalError")}))
		if err == nil {
			srv.Close()
			t.Errorf("NewServer(WithFaults(Operation: %q)) = nil error, want it refused", op)
			continue
		}
		if !strings.Contains(err.Error(), "WithFaults") || !strings.Contains(err.Error(), "HeadBucket, HeadObject") {
			t.Errorf("NewServer(WithFaults(Operation: %q)) = %v, want WithFaults and the valid names", op, err)
		}
	}
}

// TestWaitRequestsJournalsDroppedRequests: a request the server drops or
// holds ends for the client before the server has journaled it;
// WaitRequests waits for that.
func TestWaitRequestsJournalsDroppedRequests(t *testing.T) {
	tests := []struct {
		name   string
		action faults.Action
	}{
		{"hang", faults.Hang()},
		{"reset", faults.ResetConnection()},
		{"close", faults.CloseConnection()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := mocks3.New(t, mocks3.WithObject("bkt", "k", []byte("v")))
			h := srv.Faults().AddT(t, faults.Rule{Operation: "GetObject", Action: tt.action})[0]
			c := srv.Client(func(o *s3.Options) { o.RetryMaxAttempts = 1 })
			ctx, cancel := context.WithCancel(t.Context())
			if tt.action.Kind == "timeout" {
				// Give up once the server holds the request: a timeout
				// could end, on a loaded machine, before it arrived.
				go func() {
					for h.Hits() == 0 && ctx.Err() == nil {
						time.Sleep(time.Millisecond)
					}
					cancel()
				}()
			}
			_, err := getBody(ctx, c, "bkt", "k")
			cancel()
			if err == nil {
				t.Fatal("GetObject succeeded, want the fault")
			}
			if err := srv.WaitRequests(t.Context()); err != nil {
				t.Fatal(err)
			}
			recs := srv.Requests()
			if len(recs) != 1 || recs[0].Status != 0 || !slices.Equal(recs[0].Faults, []string{h.ID()}) {
				t.Errorf("journal after WaitRequests = %+v, want the dropped GetObject (status 0, fault %s)", recs, h.ID())
			}
		})
	}
}

// TestWaitRequestsHonoursContext: WaitRequests gives up with its context
// while a request is held.
func TestWaitRequestsHonoursContext(t *testing.T) {
	srv := mocks3.New(t, mocks3.WithObject("bkt", "k", []byte("v")))
	srv.Faults().AddT(t, faults.Rule{Operation: "GetObject", Action: faults.Hang()})
	done := make(chan struct{})
	go func() {
		defer close(done)
		getBody(context.Background(), srv.Client(func(o *s3.Options) { o.RetryMaxAttempts = 1 }), "bkt", "k")
	}()
	for len(srv.Faults().Events()) == 0 { // the request is held
		time.Sleep(time.Millisecond)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := srv.WaitRequests(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("WaitRequests(cancelled) = %v while a request hangs, want context.Canceled", err)
	}
	srv.Close() // ends the hang
	<-done
}

// TestReplaceWithNoRules: Replace() with nothing to add removes every rule,
// so the old ones stop firing.
func TestReplaceWithNoRules(t *testing.T) {
	srv := mocks3.New(t, mocks3.WithBucket("bkt"))
	srv.Faults().AddT(t, faults.Rule{Operation: "ListObjectsV2", Action: faults.ErrorCode("SlowDown")})
	_, err := srv.Client().ListObjectsV2(t.Context(), &s3.ListObjectsV2Input{Bucket: aws.String("bkt")})
	checkErr(t, "ListObjectsV2 with the rule", err, "SlowDown", 503)
	if _, err := srv.Faults().Replace(); err != nil {
		t.Fatalf("Replace() = %v", err)
	}
	if _, err := srv.Client().ListObjectsV2(t.Context(), &s3.ListObjectsV2Input{Bucket: aws.String("bkt")}); err != nil {
		t.Errorf("ListObjectsV2 after Replace() = %v, want no rule left to fire", err)
	}
}

// TestFaultForOneUser: a rule with AccessKey faults one user's requests,
// signed in a header or presigned, and leaves the other user's alone.
func TestFaultForOneUser(t *testing.T) {
	srv, _, bob := newAccessServer(t, mocks3.WithBucket("shared"))
	srv.Faults().AddT(t, faults.Rule{Operation: "ListObjectsV2", AccessKey: "AKIDBOB", Action: faults.ErrorCode("SlowDown")})
	mustCreateBucket(t, bob, "bobs")
	_, err := srv.Client().ListObjectsV2(t.Context(), &s3.ListObjectsV2Input{Bucket: aws.String("shared")})
	if err != nil {
		t.Errorf("ListObjectsV2 as alice = %v, want no fault", err)
	}
	_, err = bob.ListObjectsV2(t.Context(), &s3.ListObjectsV2Input{Bucket: aws.String("bobs")})
	checkErr(t, "ListObjectsV2 as bob", err, "SlowDown", 503)

	srv.Faults().AddT(t, faults.Rule{Operation: "GetObject", AccessKey: "AKIDALICE", Action: faults.ErrorCode("NoSuchKey")})
	require.NoError(t, srv.PutObject("shared", "k", []byte("v")))
	req, err := s3.NewPresignClient(srv.Client()).PresignGetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String("shared"), Key: aws.String("k")})
	require.NoError(t, err)
	resp, err := srv.HTTPClient().Get(req.URL)
	require.NoError(t, err)
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("presigned GET as alice = %d, want 404 from the rule", resp.StatusCode)
	}
}

// A rule on a role service matches the S3 request a role call serves by
// that request's own attributes: its access key here.
func TestRoleRuleMatchesRequest(t *testing.T) {
	srv, alice, bob := newAccessServer(t)
	mustCreateBucket(t, alice, "alices")
	mustCreateBucket(t, bob, "bobs")
	h := srv.Faults().AddT(t, faults.Rule{Service: "metadata", RoleOp: "PutObject", AccessKey: "AKIDBOB", UserAgent: "*aws-sdk-go-v2*",
		Action: faults.ErrorCode("InternalError")})[0]
	mustPut(t, alice, "alices", "k", []byte("v"))
	_, err := bob.PutObject(t.Context(), &s3.PutObjectInput{Bucket: aws.String("bobs"), Key: aws.String("k"), Body: strings.NewReader("v")},
		func(o *s3.Options) { o.RetryMaxAttempts = 1 })
	checkErr(t, "PutObject(bob) with bob's metadata writes failing", err, "InternalError", 500)
	if h.Hits() != 1 {
		t.Errorf("rule hits = %d, want 1 (bob's write only)", h.Hits())
	}
}
