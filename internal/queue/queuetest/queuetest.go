// Package queuetest is the queue role's contract: one suite that every
// queue.Queue implementation (in-process, over HTTP) must pass.
package queuetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/mocks3/mocks3/internal/queue"
	"github.com/mocks3/mocks3/internal/suitetest"
)

// blocked is how long the suite waits to decide that a call is blocked. It
// can only make a broken queue pass, never a correct one fail.
const blocked = 50 * time.Millisecond

// Run runs the contract suite. newQueue returns a new, empty queue for one
// subtest and arranges (with t.Cleanup) for it to be closed.
func Run(t *testing.T, newQueue func(t *testing.T) queue.Queue) {
	t.Helper()
	run(suitetest.Adapt(t), func(t suitetest.T) queue.Queue { return newQueue(suitetest.Testing(t)) })
}

// run is Run against a suitetest.T, so that the suite's own tests can
// record what it reports against broken queues (see queuetest_test.go).
func run(t suitetest.T, newQueue func(t suitetest.T) queue.Queue) {
	t.Helper()
	tests := []struct {
		name string
		fn   func(t suitetest.T, q queue.Queue)
	}{
		{"FIFO", testFIFO},
		{"PayloadIsCopied", testPayloadIsCopied},
		{"DequeueBlocksUntilEnqueue", testDequeueBlocksUntilEnqueue},
		{"DequeueContextEnds", testDequeueContextEnds},
		{"Ack", testAck},
		{"NackRetriesThenDeadLetters", testNackRetriesThenDeadLetters},
		{"WaitIdleBlocksUntilAcked", testWaitIdleBlocksUntilAcked},
		{"WaitIdleContextEnds", testWaitIdleContextEnds},
		{"Stats", testStats},
		{"Release", testRelease},
		{"Concurrent", testConcurrent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t suitetest.T) {
			tt.fn(t, newQueue(t))
		})
	}
}

func enqueue(t suitetest.T, q queue.Queue, typ, payload string) string {
	t.Helper()
	id, err := q.Enqueue(t.Context(), typ, []byte(payload))
	if err != nil {
		t.Fatalf("Enqueue(%q) = %v", typ, err)
	}
	if id == "" {
		t.Fatalf("Enqueue(%q) returned an empty ID", typ)
	}
	return id
}

func dequeue(t suitetest.T, q queue.Queue) queue.Task {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	task, err := q.Dequeue(ctx)
	if err != nil {
		t.Fatalf("Dequeue() = %v", err)
	}
	return task
}

// wantEmpty checks that Dequeue finds nothing to lease.
func wantEmpty(t suitetest.T, q queue.Queue) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), blocked)
	defer cancel()
	if task, err := q.Dequeue(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Dequeue() on an empty queue = %+v, %v; want context.DeadlineExceeded", task, err)
	}
}

// waitIdle calls WaitIdle with a bound, so that a queue that never goes
// idle fails the subtest rather than hanging it.
func waitIdle(t suitetest.T, q queue.Queue) error {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	return q.WaitIdle(ctx)
}

func stats(t suitetest.T, q queue.Queue) map[string]queue.TypeStats {
	t.Helper()
	st, err := q.Stats(t.Context())
	if err != nil {
		t.Fatalf("Stats() = %v", err)
	}
	return st.ByType
}

func testFIFO(t suitetest.T, q queue.Queue) {
	var ids []string
	for i := range 3 {
		ids = append(ids, enqueue(t, q, fmt.Sprintf("type%d", i), fmt.Sprintf(`{"n":%d}`, i)))
	}
	if ids[0] == ids[1] || ids[1] == ids[2] || ids[0] == ids[2] {
		t.Fatalf("Enqueue IDs = %q, want distinct", ids)
	}
	for i := range 3 {
		got := dequeue(t, q)
		want := queue.Task{ID: ids[i], Type: fmt.Sprintf("type%d", i), Payload: []byte(fmt.Sprintf(`{"n":%d}`, i)), Attempts: 1}
		if got.Created.IsZero() {
			t.Errorf("Dequeue() #%d Created is zero, want the enqueue time", i)
		}
		got.Created = time.Time{}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Dequeue() #%d mismatch (-want +got):\n%s", i, diff)
		}
	}
	wantEmpty(t, q)
}

func testPayloadIsCopied(t suitetest.T, q queue.Queue) {
	payload := []byte("abc")
	if _, err := q.Enqueue(t.Context(), "copy", payload); err != nil {
		t.Fatalf("Enqueue() = %v", err)
	}
	payload[0] = 'X'
	got := dequeue(t, q)
	if string(got.Payload) != "abc" {
		t.Errorf("Dequeue().Payload = %q after the caller changed its slice, want %q", got.Payload, "abc")
	}
}

func testDequeueBlocksUntilEnqueue(t suitetest.T, q queue.Queue) {
	type result struct {
		task queue.Task
		err  error
	}
	done := make(chan result, 1)
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	go func() {
		task, err := q.Dequeue(ctx)
		done <- result{task, err}
	}()
	select {
	case r := <-done:
		t.Fatalf("Dequeue() on an empty queue returned %+v, %v; want it to block", r.task, r.err)
	case <-time.After(blocked):
	}
	id := enqueue(t, q, "wake", "x")
	r := <-done
	if r.err != nil {
		t.Fatalf("blocked Dequeue() = %v after Enqueue, want the task", r.err)
	}
	if r.task.ID != id {
		t.Errorf("blocked Dequeue().ID = %q, want %q", r.task.ID, id)
	}
}

func testDequeueContextEnds(t suitetest.T, q queue.Queue) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := q.Dequeue(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Dequeue(cancelled ctx) = %v, want context.Canceled", err)
	}

	ctx, cancel = context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, err := q.Dequeue(ctx)
		done <- err
	}()
	time.Sleep(blocked) // let it block
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Dequeue() cancelled while blocked = %v, want context.Canceled", err)
	}

	// A cancelled Dequeue must not have taken a lease: a later task is
	// still handed out and the queue can go idle.
	id := enqueue(t, q, "after", "")
	if got := dequeue(t, q); got.ID != id {
		t.Errorf("Dequeue().ID = %q, want %q", got.ID, id)
	}
}

func testAck(t suitetest.T, q queue.Queue) {
	id := enqueue(t, q, "ack", "")
	if err := q.Ack(t.Context(), id); !errors.Is(err, queue.ErrNoTask) {
		t.Errorf("Ack(queued, not leased) = %v, want ErrNoTask", err)
	}
	task := dequeue(t, q)
	if err := q.Ack(t.Context(), task.ID); err != nil {
		t.Fatalf("Ack(%q) = %v", task.ID, err)
	}
	if err := q.Ack(t.Context(), task.ID); !errors.Is(err, queue.ErrNoTask) {
		t.Errorf("second Ack(%q) = %v, want ErrNoTask", task.ID, err)
	}
	if err := q.Nack(t.Context(), task.ID, "late"); !errors.Is(err, queue.ErrNoTask) {
		t.Errorf("Nack(acked %q) = %v, want ErrNoTask", task.ID, err)
	}
	if err := q.Ack(t.Context(), "no-such-id/../x"); !errors.Is(err, queue.ErrNoTask) {
		t.Errorf("Ack(unknown) = %v, want ErrNoTask", err)
	}
	wantEmpty(t, q)
	if err := waitIdle(t, q); err != nil {
		t.Errorf("WaitIdle() after Ack = %v", err)
	}
	dead, err := q.DeadLetters(t.Context())
	if err != nil || len(dead) != 0 {
		t.Errorf("DeadLetters() = %+v, %v; want none", dead, err)
	}
}

func testNackRetriesThenDeadLetters(t suitetest.T, q queue.Queue) {
	id := enqueue(t, q, "flaky", "p")
	for attempt := 1; attempt <= queue.MaxAttempts; attempt++ {
		task := dequeue(t, q)
		if task.ID != id || task.Attempts != attempt {
			t.Fatalf("Dequeue() = ID %q, Attempts %d; want %q, %d", task.ID, task.Attempts, id, attempt)
		}
		if attempt > 1 && task.LastError != fmt.Sprintf("boom %d", attempt-1) {
			t.Errorf("Dequeue().LastError = %q, want %q", task.LastError, fmt.Sprintf("boom %d", attempt-1))
		}
		if err := q.Nack(t.Context(), task.ID, fmt.Sprintf("boom %d", attempt)); err != nil {
			t.Fatalf("Nack(%q) = %v", task.ID, err)
		}
	}
	wantEmpty(t, q)
	if err := waitIdle(t, q); err != nil {
		t.Errorf("WaitIdle() with only dead letters = %v", err)
	}
	dead, err := q.DeadLetters(t.Context())
	if err != nil {
		t.Fatalf("DeadLetters() = %v", err)
	}
	if len(dead) != 1 {
		t.Fatalf("DeadLetters() = %+v, want one task", dead)
	}
	got := dead[0]
	got.Created = time.Time{}
	want := queue.Task{ID: id, Type: "flaky", Payload: []byte("p"), Attempts: queue.MaxAttempts, LastError: fmt.Sprintf("boom %d", queue.MaxAttempts)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("DeadLetters()[0] mismatch (-want +got):\n%s", diff)
	}
	wantStats := map[string]queue.TypeStats{"flaky": {Enqueued: 1, Retried: queue.MaxAttempts - 1, Dead: 1}}
	if diff := cmp.Diff(wantStats, stats(t, q)); diff != "" {
		t.Errorf("Stats().ByType mismatch (-want +got):\n%s", diff)
	}
}

func testWaitIdleBlocksUntilAcked(t suitetest.T, q queue.Queue) {
	if err := waitIdle(t, q); err != nil {
		t.Fatalf("WaitIdle() on an empty queue = %v", err)
	}
	enqueue(t, q, "idle", "")
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- q.WaitIdle(ctx) }()
	select {
	case err := <-done:
		t.Fatalf("WaitIdle() with a queued task returned %v, want it to block", err)
	case <-time.After(blocked):
	}
	task := dequeue(t, q)
	select {
	case err := <-done:
		t.Fatalf("WaitIdle() with a leased task returned %v, want it to block", err)
	case <-time.After(blocked):
	}
	if err := q.Ack(t.Context(), task.ID); err != nil {
		t.Fatalf("Ack() = %v", err)
	}
	if err := <-done; err != nil {
		t.Errorf("WaitIdle() after Ack = %v, want nil", err)
	}
}

func testWaitIdleContextEnds(t suitetest.T, q queue.Queue) {
	enqueue(t, q, "busy", "")
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- q.WaitIdle(ctx) }()
	time.Sleep(blocked)
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("WaitIdle() cancelled = %v, want context.Canceled", err)
	}
	ctx, cancel = context.WithTimeout(t.Context(), blocked)
	defer cancel()
	if err := q.WaitIdle(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("WaitIdle() past its deadline = %v, want context.DeadlineExceeded", err)
	}
}

func testStats(t suitetest.T, q queue.Queue) {
	if got := stats(t, q); len(got) != 0 {
		t.Errorf("Stats().ByType of a new queue = %v, want empty", got)
	}
	enqueue(t, q, queue.TypeBackfill, "1")
	enqueue(t, q, queue.TypeBackfill, "2")
	enqueue(t, q, queue.TypeCleanup, "3")
	a := dequeue(t, q) // backfill 1
	b := dequeue(t, q) // backfill 2
	if err := q.Ack(t.Context(), a.ID); err != nil {
		t.Fatalf("Ack(%q) = %v", a.ID, err)
	}
	if err := q.Nack(t.Context(), b.ID, "retry me"); err != nil {
		t.Fatalf("Nack(%q) = %v", b.ID, err)
	}
	want := map[string]queue.TypeStats{
		queue.TypeBackfill: {Enqueued: 2, Succeeded: 1, Retried: 1, Pending: 1},
		queue.TypeCleanup:  {Enqueued: 1, Pending: 1},
	}
	if diff := cmp.Diff(want, stats(t, q)); diff != "" {
		t.Errorf("Stats().ByType mismatch (-want +got):\n%s", diff)
	}
}

// testRelease runs only for queues that implement queue.Releaser.
func testRelease(t suitetest.T, q queue.Queue) {
	rel, ok := q.(queue.Releaser)
	if !ok {
		t.Skipf("not a queue.Releaser")
	}
	first := enqueue(t, q, "rel", "1")
	second := enqueue(t, q, "rel", "2")
	task := dequeue(t, q)
	if err := rel.Release(t.Context(), task.ID); err != nil {
		t.Fatalf("Release(%q) = %v", task.ID, err)
	}
	if err := rel.Release(t.Context(), task.ID); !errors.Is(err, queue.ErrNoTask) {
		t.Errorf("second Release(%q) = %v, want ErrNoTask", task.ID, err)
	}
	// Released to the front, the attempt uncounted.
	again := dequeue(t, q)
	if again.ID != first || again.Attempts != 1 {
		t.Errorf("Dequeue() after Release = ID %q, Attempts %d; want %q, 1", again.ID, again.Attempts, first)
	}
	if next := dequeue(t, q); next.ID != second {
		t.Errorf("Dequeue() = %q, want %q", next.ID, second)
	}
	want := map[string]queue.TypeStats{"rel": {Enqueued: 2, Pending: 2}}
	if diff := cmp.Diff(want, stats(t, q)); diff != "" {
		t.Errorf("Stats().ByType mismatch (-want +got):\n%s", diff)
	}
}

// testConcurrent has producers and consumers race; every task must be
// handed out exactly once and the queue must go idle.
func testConcurrent(t suitetest.T, q queue.Queue) {
	const producers, consumers, perProducer = 4, 4, 25
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()

	var (
		mu   sync.Mutex // guards seen
		seen = map[string]int{}
	)
	consumeCtx, stopConsumers := context.WithCancel(ctx)
	var consumersWG sync.WaitGroup
	for range consumers {
		consumersWG.Add(1)
		go func() {
			defer consumersWG.Done()
			for {
				task, err := q.Dequeue(consumeCtx)
				if err != nil {
					return
				}
				mu.Lock()
				seen[task.ID]++
				n := seen[task.ID]
				mu.Unlock()
				// Fail every task once, to mix retries in.
				if n == 1 {
					err = q.Nack(ctx, task.ID, "first try")
				} else {
					err = q.Ack(ctx, task.ID)
				}
				if err != nil {
					t.Errorf("settling %s: %v", task.ID, err)
				}
			}
		}()
	}
	var producersWG sync.WaitGroup
	for p := range producers {
		producersWG.Add(1)
		go func() {
			defer producersWG.Done()
			for i := range perProducer {
				if _, err := q.Enqueue(ctx, "c", fmt.Appendf(nil, "%d/%d", p, i)); err != nil {
					t.Errorf("Enqueue() = %v", err)
					return
				}
			}
		}()
	}
	producersWG.Wait()
	err := q.WaitIdle(ctx)
	stopConsumers()
	consumersWG.Wait()
	if err != nil {
		t.Fatalf("WaitIdle() = %v", err)
	}
	if len(seen) != producers*perProducer {
		t.Errorf("%d distinct tasks dequeued, want %d", len(seen), producers*perProducer)
	}
	for id, n := range seen {
		if n != 2 {
			t.Errorf("task %s dequeued %d times, want 2", id, n)
		}
	}
	want := map[string]queue.TypeStats{"c": {Enqueued: producers * perProducer, Succeeded: producers * perProducer, Retried: producers * perProducer}}
	if diff := cmp.Diff(want, stats(t, q)); diff != "" {
		t.Errorf("Stats().ByType mismatch (-want +got):\n%s", diff)
	}
}
