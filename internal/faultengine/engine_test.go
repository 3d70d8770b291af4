package faultengine

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mocks3/mocks3/internal/faultname"
	"github.com/mocks3/mocks3/internal/s3op"

	"github.com/google/go-cmp/cmp"

	"github.com/mocks3/mocks3/faults"
)

func put(bucket, key string) *Request {
	return &Request{Service: faultname.Gateway, Operation: s3op.PutObject, Method: "PUT", Bucket: bucket, Key: key,
		Header: http.Header{}, Query: url.Values{}, RemoteAddr: "127.0.0.1:5555"}
}

// triggers returns, for n identical requests, which ones triggered rule 0.
func triggers(t *testing.T, e *Engine, n int, mk func() *Request) []int {
	t.Helper()
	var got []int
	for i := 1; i <= n; i++ {
		if len(e.evaluate(mk(), nil)) > 0 {
			got = append(got, i)
		}
	}
	return got
}

func TestConditions(t *testing.T) {
	tests := []struct {
		name string
		rule faults.Rule
		want []int // which of 8 requests trigger
	}{
		{"always", faults.Rule{Action: faults.ErrorCode("InternalError")}, []int{1, 2, 3, 4, 5, 6, 7, 8}},
		{"times", faults.Rule{Times: 2, Action: faults.ErrorCode("InternalError")}, []int{1, 2}},
		{"after", faults.Rule{After: 5, Action: faults.ErrorCode("InternalError")}, []int{6, 7, 8}},
		{"after and times", faults.Rule{After: 2, Times: 3, Action: faults.ErrorCode("InternalError")}, []int{3, 4, 5}},
		{"every nth", faults.Rule{EveryNth: 3, Action: faults.ErrorCode("InternalError")}, []int{3, 6}},
		{"max triggers", faults.Rule{EveryNth: 2, MaxTriggers: 3, Action: faults.ErrorCode("InternalError")}, []int{2, 4, 6}},
		{"disabled", faults.Rule{Disabled: true, Action: faults.ErrorCode("InternalError")}, nil},
		{"schedule in the past", faults.Rule{Schedule: &faults.Schedule{End: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)}, Action: faults.ErrorCode("InternalError")}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := New(Config{})
			if _, err := e.Add(tt.rule); err != nil {
				t.Fatal(err)
			}
			got := triggers(t, e, 8, func() *Request { return put("bkt", "k") })
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("triggers (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMatch(t *testing.T) {
	tests := []struct {
		name string
		rule faults.Rule
		req  func() *Request
		want bool
	}{
		{"operation", faults.Rule{Operation: s3op.GetObject}, func() *Request { return put("bkt", "k") }, false},
		{"operation matches", faults.Rule{Operation: s3op.PutObject}, func() *Request { return put("bkt", "k") }, true},
		{"bucket glob", faults.Rule{Bucket: "ph*"}, func() *Request { return put("photos", "k") }, true},
		{"key glob crosses slash", faults.Rule{Key: "a/*.jpg"}, func() *Request { return put("bkt", "a/b/c.jpg") }, true},
		{"key glob no match", faults.Rule{Key: "a/*.jpg"}, func() *Request { return put("bkt", "a/b/c.png") }, false},
		{"method", faults.Rule{Method: "get"}, func() *Request { return put("bkt", "k") }, false},
		{"service", faults.Rule{Service: faultname.Storage}, func() *Request { return put("bkt", "k") }, false},
		{"header", faults.Rule{Header: map[string]string{"x-test": "y*"}}, func() *Request {
			r := put("bkt", "k")
			r.Header.Set("X-Test", "yes")
			return r
		}, true},
		{"header missing", faults.Rule{Header: map[string]string{"x-test": "*"}}, func() *Request { return put("bkt", "k") }, false},
		{"query", faults.Rule{Query: map[string]string{"uploadId": "*"}}, func() *Request {
			r := put("bkt", "k")
			r.Query.Set("uploadId", "u1")
			return r
		}, true},
		{"attempt", faults.Rule{Attempt: 2}, func() *Request {
			r := put("bkt", "k")
			r.Attempt = 2 // from amz-sdk-request: attempt=2; max=3
			return r
		}, true},
		{"attempt at most", faults.Rule{AttemptAtMost: 2}, func() *Request {
			r := put("bkt", "k")
			r.Attempt = 3
			return r
		}, false},
		{"user agent", faults.Rule{UserAgent: "*aws-sdk-go-v2*"}, func() *Request {
			r := put("bkt", "k")
			r.Header.Set("User-Agent", "aws-sdk-go-v2/1.48.0 os/linux")
			return r
		}, true},
		{"cidr", faults.Rule{ClientIP: "127.0.0.0/8"}, func() *Request { return put("bkt", "k") }, true},
		{"ip", faults.Rule{ClientIP: "10.1.2.3"}, func() *Request { return put("bkt", "k") }, false},
		{"role op", faults.Rule{Service: faultname.Storage, Operation: "Write"}, func() *Request {
			return &Request{Service: faultname.Storage, RoleOp: "Write", Operation: s3op.PutObject}
		}, true},
		{"role rule by s3 op", faults.Rule{Service: faultname.Storage, Operation: s3op.PutObject}, func() *Request {
			return &Request{Service: faultname.Storage, RoleOp: "Write", Operation: s3op.PutObject}
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.rule
			r.Action = faults.ErrorCode("InternalError")
			if got := ruleMatches(t, r, tt.req()); got != tt.want {
				t.Errorf("matches = %v, want %v", got, tt.want)
			}
		})
	}
}

// ruleMatches reports whether the valid rule r matches req.
func ruleMatches(t *testing.T, r faults.Rule, req *Request) bool {
	t.Helper()
	r, err := checked(r)
	if err != nil {
		t.Fatal(err)
	}
	var en entry
	en.set(r)
	return matches(&en, req)
}

func TestPriorityAndTerminal(t *testing.T) {
	e := New(Config{})
	mustAdd(t, e, faults.Rule{Name: "delay", Action: faults.Delay(time.Millisecond)})
	mustAdd(t, e, faults.Rule{Name: "low error", Action: faults.ErrorCode("InternalError")})
	mustAdd(t, e, faults.Rule{Name: "high error", Priority: 10, Action: faults.ErrorCode("SlowDown")})
	mustAdd(t, e, faults.Rule{Name: "after terminal", Action: faults.Delay(time.Second)})
	var got []string
	for _, f := range e.evaluate(put("bkt", "k"), nil) {
		got = append(got, f.name)
	}
	if diff := cmp.Diff([]string{"high error"}, got); diff != "" {
		t.Errorf("fired (-want +got):\n%s", diff)
	}
	e2 := New(Config{})
	mustAdd(t, e2, faults.Rule{Name: "delay", Action: faults.Delay(time.Millisecond)})
	mustAdd(t, e2, faults.Rule{Name: "error", Action: faults.ErrorCode("InternalError")})
	mustAdd(t, e2, faults.Rule{Name: "unreached", Action: faults.ErrorCode("InternalError")})
	got = nil
	for _, f := range e2.evaluate(put("bkt", "k"), nil) {
		got = append(got, f.name)
	}
	if diff := cmp.Diff([]string{"delay", "error"}, got); diff != "" {
		t.Errorf("fired (-want +got):\n%s", diff)
	}
	if info := e2.Rules(); info[2].Matches != 0 {
		t.Errorf("rule after a terminal one matched %d times, want 0", info[2].Matches)
	}
}

func mustAdd(t *testing.T, e *Engine, r faults.Rule) *Handle {
	t.Helper()
	h, err := e.Add(r)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestProbabilityRepeatsWithSeed(t *testing.T) {
	run := func(seed uint64) []int {
		e := New(Config{Seed: seed})
		mustAdd(t, e, faults.Rule{Probability: 0.3, Action: faults.Jitter(time.Millisecond, 5*time.Millisecond)})
		return triggers(t, e, 200, func() *Request { return put("bkt", "k") })
	}
	a, b, c := run(7), run(7), run(8)
	if !slices.Equal(a, b) {
		t.Errorf("seed 7 gave different triggers on two runs")
	}
	if slices.Equal(a, c) {
		t.Errorf("seeds 7 and 8 gave the same triggers")
	}
	if n := len(a); n < 35 || n > 85 {
		t.Errorf("probability 0.3 triggered %d of 200, want about 60", n)
	}
}

func TestJitterWithinRange(t *testing.T) {
	e := New(Config{Seed: 1})
	mustAdd(t, e, faults.Rule{Action: faults.Jitter(10*time.Millisecond, 20*time.Millisecond)})
	seen := map[time.Duration]bool{}
	for range 100 {
		f := e.evaluate(put("bkt", "k"), nil)
		d := f[0].delay
		if d < 10*time.Millisecond || d > 20*time.Millisecond {
			t.Fatalf("jitter delay %v outside [10ms, 20ms]", d)
		}
		seen[d] = true
	}
	if len(seen) < 10 {
		t.Errorf("jitter produced %d distinct delays in 100 draws, want many", len(seen))
	}
}

func TestValidateNamesField(t *testing.T) {
	tests := []struct {
		rule faults.Rule
		want string
	}{
		{faults.Rule{Service: "nope", Action: faults.ErrorCode("InternalError")}, "service"},
		{faults.Rule{Probability: 2, Action: faults.ErrorCode("InternalError")}, "probability"},
		{faults.Rule{Times: -1, Action: faults.ErrorCode("InternalError")}, "times"},
		{faults.Rule{ClientIP: "not-an-ip", Action: faults.ErrorCode("InternalError")}, "client_ip"},
		{faults.Rule{}, "action: type"},
		{faults.Rule{Action: faults.Action{Kind: "explode"}}, "action: type"},
		{faults.Rule{Service: faultname.Storage, Action: faults.TruncateBody(3)}, "action"},
		{faults.Rule{Action: faults.LoseWrite()}, "action"},
		{faults.Rule{Action: faults.HTTPError(200, "ok")}, "http_code"},
		{faults.Rule{Header: map[string]string{"x-a": "[a"}, Action: faults.ErrorCode("InternalError")}, "header x-a"},
		{faults.Rule{Query: map[string]string{"uploadId": "[a"}, Action: faults.ErrorCode("InternalError")}, "param uploadId"},
		{faults.Rule{Key: "[", Action: faults.ErrorCode("InternalError")}, "key"},
	}
	e := New(Config{})
	for _, tt := range tests {
		_, err := e.Add(tt.rule)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Add(%+v) = %v, want an error naming %q", tt.rule, err, tt.want)
		}
	}
}

func TestEngineLifecycle(t *testing.T) {
	e := New(Config{})
	h := mustAdd(t, e, faults.Rule{Name: "a", Action: faults.ErrorCode("InternalError")})
	e.evaluate(put("bkt", "k"), nil)
	if h.Hits() != 1 || h.Matches() != 1 {
		t.Errorf("Hits, Matches = %d, %d, want 1, 1", h.Hits(), h.Matches())
	}
	if err := e.SetEnabled(h.ID(), false); err != nil {
		t.Fatal(err)
	}
	e.evaluate(put("bkt", "k"), nil)
	if h.Hits() != 1 {
		t.Errorf("disabled rule hit: Hits = %d, want 1", h.Hits())
	}
	if len(e.Events()) != 1 || e.Events()[0].RuleName != "a" {
		t.Errorf("Events = %+v, want one event for rule a", e.Events())
	}
	e.ResetStats()
	if h.Hits() != 0 || len(e.Events()) != 0 {
		t.Errorf("after ResetStats: Hits %d, %d events, want 0, 0", h.Hits(), len(e.Events()))
	}
	h.Remove()
	if len(e.Rules()) != 0 || e.SetEnabled(h.ID(), true) != ErrNoRule {
		t.Errorf("rule still present after Remove")
	}
	if _, err := e.Replace(faults.Rule{Action: faults.ErrorCode("SlowDown")}, faults.Rule{Action: faults.Hang()}); err != nil || len(e.Rules()) != 2 {
		t.Errorf("Replace = %v, %d rules, want nil, 2", err, len(e.Rules()))
	}
	if _, err := e.Replace(faults.Rule{Action: faults.ErrorCode("SlowDown")}, faults.Rule{}); err == nil || len(e.Rules()) != 2 {
		t.Errorf("Replace with an invalid rule = %v and %d rules, want an error and the old 2 rules", err, len(e.Rules()))
	}
}

func TestAddTRemovesAtEnd(t *testing.T) {
	e := New(Config{})
	t.Run("sub", func(t *testing.T) {
		e.AddT(t, faults.Rule{Action: faults.ErrorCode("SlowDown")})
		if len(e.Rules()) != 1 {
			t.Fatalf("AddT: %d rules, want 1", len(e.Rules()))
		}
	})
	if len(e.Rules()) != 0 {
		t.Errorf("after the subtest: %d rules, want 0", len(e.Rules()))
	}
}

func TestScheduleHours(t *testing.T) {
	s := &faults.Schedule{FromHour: 22, ToHour: 2, Days: []time.Weekday{time.Friday}}
	fri := time.Date(2026, 11, 27, 23, 0, 0, 0, time.UTC) // a Friday
	if !active(s, fri) || active(s, fri.Add(4*time.Hour)) || active(s, fri.Add(-2*time.Hour)) {
		t.Errorf("schedule 22-2 on Fridays: wrong activity around %v", fri)
	}
}

// TestConcurrentChanges changes rules while requests are evaluated; the race
// detector checks the locking.
func TestConcurrentChanges(t *testing.T) {
	e := New(Config{Seed: 3})
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				e.evaluate(put("bkt", "k"), nil)
				e.Record(faultname.Gateway, "PutObject", false, false)
			}
		}()
	}
	for i := range 200 {
		h := mustAdd(t, e, faults.Rule{Probability: 0.5, Operation: s3op.PutObject, Action: faults.Delay(0)})
		if i%3 == 0 {
			e.SetEnabled(h.ID(), false)
		}
		if i%2 == 0 {
			h.Remove()
		}
		_ = e.Stats()
		_ = e.Events()
	}
	close(stop)
	wg.Wait()
	if n := len(e.Rules()); n != 100 {
		t.Errorf("%d rules left, want 100", n)
	}
}
