package queue

import (
	"context"
	"strconv"
	"sync"
	"time"
)

// Local is an in-memory Queue. Its zero value is not usable; call NewLocal.
//
// Tasks are leased in FIFO order; a Nacked task goes to the back of the
// queue. A lease lasts until Ack, Nack or Release: there is no visibility
// timeout, so a worker that dies holding a lease keeps WaitIdle waiting
// (workers in this package always settle their leases).
//
// Waiters (Dequeue, WaitIdle) block on a channel that is closed and
// replaced on every change of state, so they wake without polling and
// give up as soon as their context ends.
type Local struct {
	now func() time.Time

	mu      sync.Mutex // guards every field below
	changed chan struct{}
	closed  bool
	nextID  uint64
	queued  []*Task          // FIFO; queued[0] is leased next
	leased  map[string]*Task // by ID
	dead    []Task
	stats   map[string]*TypeStats
}

var (
	_ Queue    = (*Local)(nil)
	_ Releaser = (*Local)(nil)
)

// NewLocal returns an empty in-memory queue that stamps tasks with now
// (time.Now if nil).
func NewLocal(now func() time.Time) *Local {
	if now == nil {
		now = time.Now
	}
	return &Local{
		now:     now,
		changed: make(chan struct{}),
		leased:  make(map[string]*Task),
		stats:   make(map[string]*TypeStats),
	}
}

// broadcast wakes every waiter. l.mu must be held.
func (l *Local) broadcast() {
	close(l.changed)
	l.changed = make(chan struct{})
}

// typeStats returns the counters of taskType. l.mu must be held.
func (l *Local) typeStats(taskType string) *TypeStats {
	s := l.stats[taskType]
	if s == nil {
		s = new(TypeStats)
		l.stats[taskType] = s
	}
	return s
}

// Enqueue implements Queue.
func (l *Local) Enqueue(ctx context.Context, taskType string, payload []byte) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	created := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return "", ErrClosed
	}
	l.nextID++
	t := &Task{
		ID:      strconv.FormatUint(l.nextID, 10),
		Type:    taskType,
		Payload: clone(payload),
		Created: created,
	}
	l.queued = append(l.queued, t)
	s := l.typeStats(taskType)
	s.Enqueued++
	s.Pending++
	l.broadcast()
	return t.ID, nil
}

// Dequeue implements Queue. The leased task's Attempts counts this
// attempt: it is 1 the first time a task is handed out.
func (l *Local) Dequeue(ctx context.Context) (Task, error) {
	l.mu.Lock()
	for {
		if l.closed {
			l.mu.Unlock()
			return Task{}, ErrClosed
		}
		// A caller whose context has ended must not take a lease it
		// will never settle.
		if err := ctx.Err(); err != nil {
			l.mu.Unlock()
			return Task{}, err
		}
		if len(l.queued) > 0 {
			t := l.queued[0]
			l.queued[0] = nil
			l.queued = l.queued[1:]
			if len(l.queued) == 0 {
				l.queued = nil // let the backing array go
			}
			t.Attempts++
			l.leased[t.ID] = t
			out := t.snapshot()
			l.mu.Unlock()
			return out, nil
		}
		l.waitLocked(ctx)
	}
}

// waitLocked releases l.mu until the queue changes or ctx ends, then takes
// it again. l.mu must be held.
func (l *Local) waitLocked(ctx context.Context) {
	ch := l.changed
	l.mu.Unlock()
	select {
	case <-ch:
	case <-ctx.Done():
	}
	l.mu.Lock()
}

// settle removes the leased task id and, under l.mu, lets then decide
// where it goes; waiters are woken.
func (l *Local) settle(id string, then func(t *Task)) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return ErrClosed
	}
	t, ok := l.leased[id]
	if !ok {
		return ErrNoTask
	}
	delete(l.leased, id)
	then(t)
	l.broadcast()
	return nil
}

// Ack implements Queue.
func (l *Local) Ack(ctx context.Context, id string) error {
	return l.settle(id, func(t *Task) {
		s := l.typeStats(t.Type)
		s.Succeeded++
		s.Pending--
	})
}

// Nack implements Queue.
func (l *Local) Nack(ctx context.Context, id string, reason string) error {
	return l.settle(id, func(t *Task) {
		t.LastError = reason
		s := l.typeStats(t.Type)
		if t.Attempts >= MaxAttempts {
			l.dead = append(l.dead, *t)
			s.Dead++
			s.Pending--
		} else {
			l.queued = append(l.queued, t)
			s.Retried++
		}
	})
}

// Release implements Releaser: the leased task goes back to the front of
// the queue and the attempt is not counted.
func (l *Local) Release(ctx context.Context, id string) error {
	return l.settle(id, func(t *Task) {
		t.Attempts--
		l.queued = append([]*Task{t}, l.queued...)
	})
}

// WaitIdle implements Queue.
func (l *Local) WaitIdle(ctx context.Context) error {
	l.mu.Lock()
	for {
		if l.closed {
			l.mu.Unlock()
			return ErrClosed
		}
		if len(l.queued) == 0 && len(l.leased) == 0 {
			l.mu.Unlock()
			return nil
		}
		if err := ctx.Err(); err != nil {
			l.mu.Unlock()
			return err
		}
		l.waitLocked(ctx)
	}
}

// Stats implements Queue. It keeps working after Close.
func (l *Local) Stats(ctx context.Context) (Stats, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	st := Stats{ByType: make(map[string]TypeStats, len(l.stats))}
	for typ, s := range l.stats {
		st.ByType[typ] = *s
	}
	return st, nil
}

// DeadLetters implements Queue: the dead-lettered tasks, oldest first. It
// keeps working after Close.
func (l *Local) DeadLetters(ctx context.Context) ([]Task, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]Task, len(l.dead))
	for i := range l.dead {
		out[i] = l.dead[i].snapshot()
	}
	return out, nil
}

// Close closes the queue: every waiting Dequeue and WaitIdle returns
// ErrClosed at once, and so do later calls other than Stats and
// DeadLetters. Close is idempotent.
func (l *Local) Close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return
	}
	l.closed = true
	l.broadcast()
}

// snapshot returns t with its own Payload.
func (t *Task) snapshot() Task {
	c := *t
	c.Payload = clone(t.Payload)
	return c
}

func clone(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append([]byte{}, b...)
}
