package queue_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"

	"github.com/mocks3/mocks3/internal/queue"
	"github.com/mocks3/mocks3/internal/queue/queuetest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func newLocal(t *testing.T) *queue.Local {
	q := queue.NewLocal(nil)
	t.Cleanup(q.Close)
	return q
}

// serve runs NewHandler(q) on a test server and returns a Client for it.
// Cleanups run last-in first-out: q is closed first, so long-polls end
// before the server waits for its requests.
func serve(t *testing.T, q queue.Queue) *queue.Client {
	srv := httptest.NewServer(queue.NewHandler(q))
	t.Cleanup(srv.Close)
	if l, ok := q.(*queue.Local); ok {
		t.Cleanup(l.Close)
	}
	return queue.NewClient(srv.URL+"/", srv.Client())
}

func TestLocal(t *testing.T) {
	queuetest.Run(t, func(t *testing.T) queue.Queue { return newLocal(t) })
}

func TestClient(t *testing.T) {
	queuetest.Run(t, func(t *testing.T) queue.Queue { return serve(t, queue.NewLocal(nil)) })
}

func TestLocalClock(t *testing.T) {
	at := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	q := queue.NewLocal(func() time.Time { return at })
	defer q.Close()
	if _, err := q.Enqueue(t.Context(), "t", nil); err != nil {
		t.Fatal(err)
	}
	task, err := q.Dequeue(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if !task.Created.Equal(at) {
		t.Errorf("Dequeue().Created = %v, want %v", task.Created, at)
	}
	if task.ID != "1" {
		t.Errorf("first task ID = %q, want %q (a per-queue counter)", task.ID, "1")
	}
}

func TestLocalIDsPerQueue(t *testing.T) {
	a, b := newLocal(t), newLocal(t)
	idA, _ := a.Enqueue(t.Context(), "t", nil)
	idB, _ := b.Enqueue(t.Context(), "t", nil)
	if idA != idB {
		t.Errorf("first IDs of two queues = %q, %q; want equal (no shared state)", idA, idB)
	}
}

// TestClose checks that Close wakes every waiter with ErrClosed, in process
// and over HTTP.
func TestClose(t *testing.T) {
	tests := []struct {
		name string
		wrap func(t *testing.T, l *queue.Local) queue.Queue
	}{
		{"Local", func(t *testing.T, l *queue.Local) queue.Queue { return l }},
		{"Client", func(t *testing.T, l *queue.Local) queue.Queue { return serve(t, l) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := queue.NewLocal(nil)
			q := tt.wrap(t, l)
			id, err := q.Enqueue(t.Context(), "t", nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := q.Dequeue(t.Context()); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
			defer cancel()
			var wg sync.WaitGroup
			errs := make([]error, 4)
			for i := range errs {
				wg.Go(func() {
					if i%2 == 0 {
						_, errs[i] = q.Dequeue(ctx)
					} else {
						errs[i] = q.WaitIdle(ctx)
					}
				})
			}
			time.Sleep(50 * time.Millisecond) // let them block
			l.Close()
			l.Close() // idempotent
			wg.Wait()
			for i, err := range errs {
				if !errors.Is(err, queue.ErrClosed) {
					t.Errorf("waiter %d = %v, want ErrClosed", i, err)
				}
			}
			if _, err := q.Enqueue(t.Context(), "t", nil); !errors.Is(err, queue.ErrClosed) {
				t.Errorf("Enqueue() after Close = %v, want ErrClosed", err)
			}
			if err := q.Ack(t.Context(), id); !errors.Is(err, queue.ErrClosed) {
				t.Errorf("Ack() after Close = %v, want ErrClosed", err)
			}
			st, err := q.Stats(t.Context())
			if err != nil {
				t.Fatalf("Stats() after Close = %v", err)
			}
			if diff := cmp.Diff(map[string]queue.TypeStats{"t": {Enqueued: 1, Pending: 1}}, st.ByType); diff != "" {
				t.Errorf("Stats().ByType after Close mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// failing is a queue whose every call fails with err.
type failing struct{ err error }

func (f failing) Enqueue(context.Context, string, []byte) (string, error) { return "", f.err }
func (f failing) Dequeue(context.Context) (queue.Task, error)             { return queue.Task{}, f.err }
func (f failing) Ack(context.Context, string) error                       { return f.err }
func (f failing) Nack(context.Context, string, string) error              { return f.err }
func (f failing) WaitIdle(context.Context) error                          { return f.err }
func (f failing) Stats(context.Context) (queue.Stats, error)              { return queue.Stats{}, f.err }
func (f failing) DeadLetters(context.Context) ([]queue.Task, error)       { return nil, f.err }

func TestClientErrors(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want error
	}{
		{"NoTask", fmt.Errorf("wrapped: %w", queue.ErrNoTask), queue.ErrNoTask},
		{"Closed", queue.ErrClosed, queue.ErrClosed},
		{"Other", errors.New("disk on fire"), &queue.RemoteError{Status: http.StatusInternalServerError, Code: "InternalError", Message: "disk on fire"}},
		{"Remote", &queue.RemoteError{Status: 507, Code: "Full", Message: "no room"}, &queue.RemoteError{Status: 507, Code: "Full", Message: "no room"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := serve(t, failing{tt.err})
			calls := map[string]func() error{
				"Enqueue":     func() error { _, err := c.Enqueue(t.Context(), "t", nil); return err },
				"Dequeue":     func() error { _, err := c.Dequeue(t.Context()); return err },
				"Ack":         func() error { return c.Ack(t.Context(), "1") },
				"Nack":        func() error { return c.Nack(t.Context(), "1", "r") },
				"WaitIdle":    func() error { return c.WaitIdle(t.Context()) },
				"Stats":       func() error { _, err := c.Stats(t.Context()); return err },
				"DeadLetters": func() error { _, err := c.DeadLetters(t.Context()); return err },
			}
			for name, call := range calls {
				err := call()
				if re, ok := tt.want.(*queue.RemoteError); ok {
					var got *queue.RemoteError
					if !errors.As(err, &got) {
						t.Errorf("%s() = %v, want a *RemoteError", name, err)
						continue
					}
					if diff := cmp.Diff(re, got); diff != "" {
						t.Errorf("%s() error mismatch (-want +got):\n%s", name, diff)
					}
					continue
				}
				if !errors.Is(err, tt.want) || err.Error() != tt.err.Error() {
					t.Errorf("%s() = %v, want %v with the service's message %q", name, err, tt.want, tt.err)
				}
			}
			// Release is not offered by this queue.
			var re *queue.RemoteError
			if err := c.Release(t.Context(), "1"); !errors.As(err, &re) || re.Status != http.StatusNotImplemented {
				t.Errorf("Release() on a queue without it = %v, want a 501 *RemoteError", err)
			}
		})
	}
}

func TestHandlerBadRequests(t *testing.T) {
	srv := httptest.NewServer(queue.NewHandler(newLocal(t)))
	defer srv.Close()
	tests := []struct {
		name, method, path, body string
		status                   int
		code                     string
	}{
		{"BadJSON", "POST", "/v1/tasks", "{", http.StatusBadRequest, "BadRequest"},
		{"NoType", "POST", "/v1/tasks", `{"payload":"eA=="}`, http.StatusBadRequest, "BadRequest"},
		{"BadPayload", "POST", "/v1/tasks", `{"type":"t","payload":"not base64!"}`, http.StatusBadRequest, "BadRequest"},
		{"NackBadJSON", "POST", "/v1/tasks/1/nack", "[", http.StatusBadRequest, "BadRequest"},
		{"AckUnknown", "POST", "/v1/tasks/99/ack", "", http.StatusNotFound, "NoSuchTask"},
		{"WrongMethod", "GET", "/v1/tasks", "", http.StatusMethodNotAllowed, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequestWithContext(t.Context(), tt.method, srv.URL+tt.path, strings.NewReader(tt.body))
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != tt.status {
				t.Errorf("%s %s = %d, want %d", tt.method, tt.path, resp.StatusCode, tt.status)
			}
			if tt.code == "" {
				return
			}
			var body struct{ Code, Message string }
			if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
				t.Fatalf("decoding error body: %v", err)
			}
			if body.Code != tt.code || body.Message == "" {
				t.Errorf("error body = %+v, want code %q and a message", body, tt.code)
			}
		})
	}
}

func TestHealth(t *testing.T) {
	srv := httptest.NewServer(queue.NewHandler(newLocal(t)))
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL + "/health")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var got map[string]string
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("GET /health body %q: %v", b, err)
	}
	if diff := cmp.Diff(map[string]string{"status": "healthy", "service": "queue"}, got); diff != "" {
		t.Errorf("GET /health mismatch (-want +got):\n%s", diff)
	}
}

// leaseThenCancel leases a task and then ends the request's context, as
// when a long-poll's caller goes away just as a task arrives.
type leaseThenCancel struct {
	*queue.Local
	cancel context.CancelFunc
}

func (q leaseThenCancel) Dequeue(ctx context.Context) (queue.Task, error) {
	t, err := q.Local.Dequeue(ctx)
	q.cancel()
	return t, err
}

func TestHandlerReleasesAbandonedLease(t *testing.T) {
	l := newLocal(t)
	id, _ := l.Enqueue(t.Context(), "t", nil)
	ctx, cancel := context.WithCancel(t.Context())
	h := queue.NewHandler(leaseThenCancel{l, cancel})
	req := httptest.NewRequestWithContext(ctx, "POST", "/v1/dequeue", nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Body.Len() != 0 {
		t.Errorf("abandoned dequeue wrote %d %q, want nothing", rec.Code, rec.Body)
	}
	task, err := l.Dequeue(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if task.ID != id || task.Attempts != 1 {
		t.Errorf("Dequeue() after an abandoned lease = ID %q, Attempts %d; want %q, 1", task.ID, task.Attempts, id)
	}
}

// recorder is a set of handlers that record what they ran.
type recorder struct {
	mu  sync.Mutex // guards ran
	ran []string
}

func (r *recorder) add(s string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ran = append(r.ran, s)
}

func (r *recorder) got() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.ran...)
}

func TestWorker(t *testing.T) {
	transports := []struct {
		name string
		new  func(t *testing.T) queue.Queue
	}{
		{"Local", func(t *testing.T) queue.Queue { return newLocal(t) }},
		{"Client", func(t *testing.T) queue.Queue { return serve(t, queue.NewLocal(nil)) }},
	}
	for _, tr := range transports {
		t.Run(tr.name, func(t *testing.T) {
			q := tr.new(t)
			var rec recorder
			w := queue.NewWorker(q, map[string]queue.Handler{
				"ok": func(ctx context.Context, task queue.Task) error {
					rec.add("ok:" + string(task.Payload))
					return nil
				},
				"fail": func(ctx context.Context, task queue.Task) error {
					rec.add(fmt.Sprintf("fail:%d", task.Attempts))
					return fmt.Errorf("attempt %d failed", task.Attempts)
				},
				"flaky": func(ctx context.Context, task queue.Task) error {
					rec.add(fmt.Sprintf("flaky:%d", task.Attempts))
					if task.Attempts < 3 {
						return errors.New("not yet")
					}
					return nil
				},
				"panic": func(ctx context.Context, task queue.Task) error {
					panic("kaboom")
				},
			}, 3)
			w.Start(t.Context())
			defer w.Stop()

			for _, typ := range []string{"ok", "fail", "flaky", "mystery", "panic"} {
				if _, err := q.Enqueue(t.Context(), typ, []byte(typ)); err != nil {
					t.Fatal(err)
				}
			}
			if err := q.WaitIdle(t.Context()); err != nil {
				t.Fatalf("WaitIdle() = %v", err)
			}

			counts := map[string]int{}
			for _, s := range rec.got() {
				counts[s]++
			}
			wantRan := map[string]int{"ok:ok": 1, "flaky:1": 1, "flaky:2": 1, "flaky:3": 1}
			for i := 1; i <= queue.MaxAttempts; i++ {
				wantRan[fmt.Sprintf("fail:%d", i)] = 1
			}
			if diff := cmp.Diff(wantRan, counts); diff != "" {
				t.Errorf("handlers ran mismatch (-want +got):\n%s", diff)
			}

			dead, err := q.DeadLetters(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			gotDead := map[string]string{}
			for _, d := range dead {
				gotDead[d.Type] = d.LastError
			}
			wantDead := map[string]string{
				"fail":    fmt.Sprintf("attempt %d failed", queue.MaxAttempts),
				"mystery": `queue: no handler for task type "mystery"`,
				"panic":   "queue: panic handler panicked: kaboom",
			}
			if diff := cmp.Diff(wantDead, gotDead); diff != "" {
				t.Errorf("dead letters' LastError mismatch (-want +got):\n%s", diff)
			}

			st, err := q.Stats(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			m := int64(queue.MaxAttempts)
			wantStats := map[string]queue.TypeStats{
				"ok":      {Enqueued: 1, Succeeded: 1},
				"fail":    {Enqueued: 1, Retried: m - 1, Dead: 1},
				"flaky":   {Enqueued: 1, Retried: 2, Succeeded: 1},
				"mystery": {Enqueued: 1, Retried: m - 1, Dead: 1},
				"panic":   {Enqueued: 1, Retried: m - 1, Dead: 1},
			}
			if diff := cmp.Diff(wantStats, st.ByType); diff != "" {
				t.Errorf("Stats().ByType mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestWorkerStopReleases checks that Stop interrupts a running handler,
// waits for it, and gives its task back uncounted rather than Nacking it.
func TestWorkerStopReleases(t *testing.T) {
	q := newLocal(t)
	started := make(chan struct{})
	w := queue.NewWorker(q, map[string]queue.Handler{
		"slow": func(ctx context.Context, task queue.Task) error {
			close(started)
			<-ctx.Done()
			return ctx.Err()
		},
	}, 2)
	w.Start(t.Context())
	id, _ := q.Enqueue(t.Context(), "slow", nil)
	<-started
	w.Stop()
	w.Stop() // idempotent

	task, err := q.Dequeue(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if task.ID != id || task.Attempts != 1 || task.LastError != "" {
		t.Errorf("Dequeue() after Stop = %+v; want task %q at attempt 1 with no error", task, id)
	}
	st, _ := q.Stats(t.Context())
	if diff := cmp.Diff(map[string]queue.TypeStats{"slow": {Enqueued: 1, Pending: 1}}, st.ByType); diff != "" {
		t.Errorf("Stats().ByType mismatch (-want +got):\n%s", diff)
	}
}

func TestWorkerEndsWhenQueueCloses(t *testing.T) {
	q := queue.NewLocal(nil)
	w := queue.NewWorker(q, nil, 4)
	w.Start(context.Background())
	q.Close()
	done := make(chan struct{})
	go func() {
		w.Stop()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Stop() did not return after the queue closed")
	}
}

func TestWorkerStopBeforeStart(t *testing.T) {
	w := queue.NewWorker(newLocal(t), nil, 1)
	w.Stop()
	w.Start(t.Context()) // does nothing after Stop
	w.Stop()
}

// TestWorkerBacksOffOnErrors checks that a failing queue does not make
// the worker spin.
func TestWorkerBacksOffOnErrors(t *testing.T) {
	var (
		mu    sync.Mutex // guards calls
		calls int
	)
	q := countingFailing{failing: failing{errors.New("unreachable")}, onDequeue: func() {
		mu.Lock()
		calls++
		mu.Unlock()
	}}
	w := queue.NewWorker(q, nil, 1)
	w.Start(t.Context())
	time.Sleep(100 * time.Millisecond)
	w.Stop()
	mu.Lock()
	defer mu.Unlock()
	// Pauses of 10, 20, 40, 80 ms: about four calls in 100 ms, not thousands.
	if calls > 10 {
		t.Errorf("Dequeue called %d times in 100ms against a failing queue, want a few", calls)
	}
}

type countingFailing struct {
	failing
	onDequeue func()
}

func (c countingFailing) Dequeue(ctx context.Context) (queue.Task, error) {
	c.onDequeue()
	return c.failing.Dequeue(ctx)
}

// failFirstAcks is a queue whose first n Acks fail, as under a fault rule.
type failFirstAcks struct {
	*queue.Local

	mu sync.Mutex // guards n
	n  int
}

func (q *failFirstAcks) Ack(ctx context.Context, id string) error {
	q.mu.Lock()
	fail := q.n > 0
	q.n--
	q.mu.Unlock()
	if fail {
		return errors.New("injected Ack failure")
	}
	return q.Local.Ack(ctx, id)
}

// TestWorkerRetriesFailedAck checks that a lease whose Ack fails is not
// left behind (WaitIdle would never return).
func TestWorkerRetriesFailedAck(t *testing.T) {
	q := &failFirstAcks{Local: newLocal(t), n: 2}
	runs := 0
	w := queue.NewWorker(q, map[string]queue.Handler{
		"t": func(ctx context.Context, task queue.Task) error { runs++; return nil },
	}, 1)
	w.Start(t.Context())
	defer w.Stop()
	if _, err := q.Enqueue(t.Context(), "t", nil); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if err := q.WaitIdle(ctx); err != nil {
		t.Fatalf("WaitIdle() = %v", err)
	}
	st, _ := q.Stats(t.Context())
	if diff := cmp.Diff(map[string]queue.TypeStats{"t": {Enqueued: 1, Succeeded: 1}}, st.ByType); diff != "" {
		t.Errorf("Stats().ByType mismatch (-want +got):\n%s", diff)
	}
	if runs != 1 {
		t.Errorf("handler ran %d times, want 1 (the Ack is retried, not the task)", runs)
	}
}
