package queue

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Handler runs one task. A nil error Acks the task; any other error Nacks
// it with err.Error() as the reason.
type Handler func(ctx context.Context, t Task) error

// Worker runs tasks from a queue on a fixed number of goroutines.
type Worker struct {
	q        Queue
	handlers map[string]Handler
	n        int

	mu      sync.Mutex // guards cancel, started, stopped
	cancel  context.CancelFunc
	started bool
	stopped bool
	wg      sync.WaitGroup
}

// settleTimeout bounds one Ack, Nack or Release, which runs on a context
// of its own (see settle), so that Stop cannot hang on an unreachable
// queue.
const settleTimeout = 5 * time.Second

// Error backoff: a queue call that fails (say, an unreachable queue
// service) is made again after a pause that doubles up to a limit, so a
// worker never spins.
const (
	minBackoff = 10 * time.Millisecond
	maxBackoff = time.Second
)

// NewWorker returns a Worker that runs tasks from q on n goroutines
// (at least one), choosing the handler by task type. handlers is copied.
func NewWorker(q Queue, handlers map[string]Handler, n int) *Worker {
	if n < 1 {
		n = 1
	}
	hs := make(map[string]Handler, len(handlers))
	for typ, h := range handlers {
		hs[typ] = h
	}
	return &Worker{q: q, handlers: hs, n: n}
}

// Start starts the worker's goroutines. They run until ctx ends, the queue
// is closed, or Stop is called. Start panics if called twice; after Stop it
// does nothing.
func (w *Worker) Start(ctx context.Context) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.started {
		panic("queue: Worker started twice")
	}
	w.started = true
	if w.stopped {
		return
	}
	ctx, w.cancel = context.WithCancel(ctx)
	w.wg.Add(w.n)
	for range w.n {
		go func() {
			defer w.wg.Done()
			w.loop(ctx)
		}()
	}
}

// Stop cancels the worker's context and waits for its goroutines. A task
// whose handler fails because of the cancellation is given back to the
// queue (Release, if the queue offers it) rather than Nacked. Stop is
// idempotent.
func (w *Worker) Stop() {
	w.mu.Lock()
	w.stopped = true
	cancel := w.cancel
	w.mu.Unlock()
	if cancel != nil {
		cancel()
	}
	w.wg.Wait()
}

func (w *Worker) loop(ctx context.Context) {
	backoff := minBackoff
	for {
		t, err := w.q.Dequeue(ctx)
		switch {
		case err == nil:
			backoff = minBackoff
			w.run(ctx, t)
		case ctx.Err() != nil || errors.Is(err, ErrClosed):
			return
		default:
			timer := time.NewTimer(backoff)
			select {
			case <-ctx.Done():
				timer.Stop()
				return
			case <-timer.C:
			}
			backoff = min(2*backoff, maxBackoff)
		}
	}
}

// handle runs t's handler; a panic becomes an error, so one bad task
// cannot take the process down.
func (w *Worker) handle(ctx context.Context, t Task) (err error) {
	h, ok := w.handlers[t.Type]
	if !ok {
		return fmt.Errorf("queue: no handler for task type %q", t.Type)
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("queue: %s handler panicked: %v", t.Type, p)
		}
	}()
	return h(ctx, t)
}

// run runs t's handler and settles its lease.
func (w *Worker) run(ctx context.Context, t Task) {
	err := w.handle(ctx, t)
	switch {
	case err == nil:
		w.settle(ctx, func(sctx context.Context) error { return w.q.Ack(sctx, t.ID) })
	case ctx.Err() != nil:
		if r, ok := w.q.(Releaser); ok {
			w.settle(ctx, func(sctx context.Context) error { return r.Release(sctx, t.ID) })
		} else {
			w.settle(ctx, func(sctx context.Context) error { return w.q.Nack(sctx, t.ID, err.Error()) })
		}
	default:
		// Hold the lease for a while before giving the task back, so
		// that a task waiting for something to recover (a storage node
		// that is down) gets its attempts spread over time rather than
		// spent at once. The task still counts as pending meanwhile.
		if t.Attempts < MaxAttempts {
			timer := time.NewTimer(RetryDelay(t.Attempts))
			select {
			case <-ctx.Done():
			case <-timer.C:
			}
			timer.Stop()
		}
		w.settle(ctx, func(sctx context.Context) error { return w.q.Nack(sctx, t.ID, err.Error()) })
	}
}

// RetryDelay is how long a failed task waits before its next attempt:
// 25 ms after the first, doubling, so five attempts span about 0.4 s.
func RetryDelay(attempt int) time.Duration {
	return 25 * time.Millisecond << min(max(attempt-1, 0), 10)
}

// settle makes an Ack, Nack or Release, retrying it after a pause while it
// fails (a fault rule on the queue, a queue service that is briefly
// unreachable): a lease left behind would keep WaitIdle waiting. Once ctx
// has ended it makes one last try, on a context of its own so that the
// lease is still settled when the worker stops.
func (w *Worker) settle(ctx context.Context, call func(context.Context) error) {
	backoff := minBackoff
	for {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), settleTimeout)
		err := call(sctx)
		cancel()
		if err == nil || errors.Is(err, ErrNoTask) || errors.Is(err, ErrClosed) || ctx.Err() != nil {
			return
		}
		timer := time.NewTimer(backoff)
		select {
		case <-ctx.Done():
			timer.Stop()
		case <-timer.C:
		}
		backoff = min(2*backoff, maxBackoff)
	}
}
