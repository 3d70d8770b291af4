package queuetest

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/mocks3/mocks3/internal/queue"
	"github.com/mocks3/mocks3/internal/suitetest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// runSuite runs the subtest of the suite named only (all of them if only
// is empty) against queues made by wrap(queue.NewLocal(nil)) and returns
// the failures.
func runSuite(t *testing.T, only string, wrap func(*queue.Local) queue.Queue) []string {
	return suitetest.Record(t, only, func(t suitetest.T) {
		run(t, func(t suitetest.T) queue.Queue {
			l := queue.NewLocal(nil)
			t.Cleanup(l.Close)
			return wrap(l)
		})
	})
}

func TestSuitePassesLocal(t *testing.T) {
	if failures := runSuite(t, "", func(l *queue.Local) queue.Queue { return l }); len(failures) > 0 {
		t.Errorf("suite failed a correct queue:\n%s", strings.Join(failures, "\n"))
	}
}

// TestSuiteSkipsRelease checks that a queue that is not a queue.Releaser
// skips the Release subtest rather than failing it.
func TestSuiteSkipsRelease(t *testing.T) {
	notReleaser := func(l *queue.Local) queue.Queue { return struct{ queue.Queue }{l} }
	if failures := runSuite(t, "Release", notReleaser); len(failures) > 0 {
		t.Errorf("suite failed a queue without Release:\n%s", strings.Join(failures, "\n"))
	}
}

// TestSuiteCatches feeds the suite queues with one defect each and checks
// that the subtest meant to catch it fails.
func TestSuiteCatches(t *testing.T) {
	tests := []struct {
		name    string
		wrap    func(*queue.Local) queue.Queue
		subtest string
	}{
		{"LIFO", func(l *queue.Local) queue.Queue { return lifo{l} }, "FIFO"},
		{"PayloadNotCopied", func(l *queue.Local) queue.Queue { return &payloadNotCopied{Local: l} }, "PayloadIsCopied"},
		{"DequeueIgnoresContext", func(l *queue.Local) queue.Queue { return dequeueIgnoresContext{l} }, "DequeueContextEnds"},
		{"AckDoesNothing", func(l *queue.Local) queue.Queue { return ackDoesNothing{l} }, "Ack"},
		{"NackNeverDeadLetters", func(l *queue.Local) queue.Queue { return &nackNeverDeadLetters{Local: l} }, "NackRetriesThenDeadLetters"},
		{"WaitIdleReturnsAtOnce", func(l *queue.Local) queue.Queue { return waitIdleAtOnce{l} }, "WaitIdleBlocksUntilAcked"},
		{"WaitIdleIgnoresContext", func(l *queue.Local) queue.Queue { return waitIdleIgnoresContext{l} }, "WaitIdleContextEnds"},
		{"StatsDropRetries", func(l *queue.Local) queue.Queue { return statsDropRetries{l} }, "Stats"},
		{"ReleaseCountsAttempt", func(l *queue.Local) queue.Queue { return releaseCountsAttempt{l} }, "Release"},
		{"NackLosesTask", func(l *queue.Local) queue.Queue { return nackLosesTask{l} }, "Concurrent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			failures := runSuite(t, tt.subtest, tt.wrap)
			if len(failures) == 0 {
				t.Errorf("suite subtest %s passed a queue with defect %s", tt.subtest, tt.name)
			}
		})
	}
}

// lifo leases the newest queued task: it leases every task queued now and
// releases all but the last, in reverse, so that the rest keep their order.
type lifo struct{ *queue.Local }

func (q lifo) Dequeue(ctx context.Context) (queue.Task, error) {
	task, err := q.Local.Dequeue(ctx)
	if err != nil {
		return task, err
	}
	var held []queue.Task
	for {
		short, cancel := context.WithTimeout(ctx, 10*time.Millisecond)
		next, err := q.Local.Dequeue(short)
		cancel()
		if err != nil {
			break
		}
		held = append(held, task)
		task = next
	}
	for i := len(held) - 1; i >= 0; i-- {
		if err := q.Local.Release(ctx, held[i].ID); err != nil {
			return queue.Task{}, err
		}
	}
	return task, nil
}

// payloadNotCopied hands out the caller's own payload slice.
type payloadNotCopied struct {
	*queue.Local
	mu       sync.Mutex // guards payloads
	payloads map[string][]byte
}

func (q *payloadNotCopied) Enqueue(ctx context.Context, taskType string, payload []byte) (string, error) {
	id, err := q.Local.Enqueue(ctx, taskType, payload)
	if err == nil {
		q.mu.Lock()
		if q.payloads == nil {
			q.payloads = map[string][]byte{}
		}
		q.payloads[id] = payload
		q.mu.Unlock()
	}
	return id, err
}

func (q *payloadNotCopied) Dequeue(ctx context.Context) (queue.Task, error) {
	task, err := q.Local.Dequeue(ctx)
	if err == nil {
		q.mu.Lock()
		task.Payload = q.payloads[task.ID]
		q.mu.Unlock()
	}
	return task, err
}

// dequeueIgnoresContext waits on a timer of its own instead of ctx. The
// timer keeps it from hanging the suite.
type dequeueIgnoresContext struct{ *queue.Local }

func (q dequeueIgnoresContext) Dequeue(ctx context.Context) (queue.Task, error) {
	own, cancel := context.WithTimeout(context.WithoutCancel(ctx), 200*time.Millisecond)
	defer cancel()
	return q.Local.Dequeue(own)
}

// ackDoesNothing reports success but leaves the task leased.
type ackDoesNothing struct{ *queue.Local }

func (ackDoesNothing) Ack(context.Context, string) error { return nil }

// nackNeverDeadLetters requeues a task on its last attempt instead of
// dead-lettering it.
type nackNeverDeadLetters struct {
	*queue.Local
	mu       sync.Mutex // guards attempts
	attempts map[string]int
}

func (q *nackNeverDeadLetters) Dequeue(ctx context.Context) (queue.Task, error) {
	task, err := q.Local.Dequeue(ctx)
	if err == nil {
		q.mu.Lock()
		if q.attempts == nil {
			q.attempts = map[string]int{}
		}
		q.attempts[task.ID] = task.Attempts
		q.mu.Unlock()
	}
	return task, err
}

func (q *nackNeverDeadLetters) Nack(ctx context.Context, id, reason string) error {
	q.mu.Lock()
	last := q.attempts[id] >= queue.MaxAttempts
	q.mu.Unlock()
	if last {
		return q.Local.Release(ctx, id)
	}
	return q.Local.Nack(ctx, id, reason)
}

// waitIdleAtOnce does not wait.
type waitIdleAtOnce struct{ *queue.Local }

func (waitIdleAtOnce) WaitIdle(ctx context.Context) error { return ctx.Err() }

// waitIdleIgnoresContext waits on a timer of its own instead of ctx, and
// then reports success.
type waitIdleIgnoresContext struct{ *queue.Local }

func (q waitIdleIgnoresContext) WaitIdle(ctx context.Context) error {
	own, cancel := context.WithTimeout(context.WithoutCancel(ctx), 200*time.Millisecond)
	defer cancel()
	if err := q.Local.WaitIdle(own); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}

// statsDropRetries does not count retries.
type statsDropRetries struct{ *queue.Local }

func (q statsDropRetries) Stats(ctx context.Context) (queue.Stats, error) {
	st, err := q.Local.Stats(ctx)
	for typ, s := range st.ByType {
		s.Retried = 0
		st.ByType[typ] = s
	}
	return st, err
}

// releaseCountsAttempt releases by Nacking: the task goes to the back and
// the attempt counts.
type releaseCountsAttempt struct{ *queue.Local }

func (q releaseCountsAttempt) Release(ctx context.Context, id string) error {
	return q.Local.Nack(ctx, id, "released")
}

// nackLosesTask acks a task on its first failure instead of retrying it.
type nackLosesTask struct{ *queue.Local }

func (q nackLosesTask) Nack(ctx context.Context, id, _ string) error {
	return q.Local.Ack(ctx, id)
}
