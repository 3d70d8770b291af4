// Package queue is the queue role: asynchronous tasks (third-party
// backfill, cleanup of orphaned bytes, replication to a recovered storage
// node) with retries and a dead-letter list.
//
// The queue stores tasks; workers lease them with Dequeue, run them, and
// Ack or Nack. A Nacked task is retried until MaxAttempts, then moved to the
// dead-letter list. Idle reports when nothing is queued or leased, so tests
// can wait for asynchronous work to finish.
package queue

import (
	"context"
	"errors"
	"time"
)

// Task types mocks3 uses.
const (
	TypeBackfill  = "backfill"  // store an object fetched from the third-party origin
	TypeCleanup   = "cleanup"   // delete bytes no object references any more
	TypeReplicate = "replicate" // copy a blob to a storage node that missed it
	TypeNotify    = "notify"    // deliver an event notification to its destination
)

// Task is a unit of asynchronous work.
type Task struct {
	ID        string    `json:"id"`
	Type      string    `json:"type"`
	Payload   []byte    `json:"payload"` // JSON, owned by the task type
	Attempts  int       `json:"attempts"`
	LastError string    `json:"last_error,omitempty"`
	Created   time.Time `json:"created"`
}

// TypeStats are one task type's counters.
type TypeStats struct {
	Enqueued  int64 `json:"enqueued"`
	Succeeded int64 `json:"succeeded"`
	Retried   int64 `json:"retried"`
	Dead      int64 `json:"dead"`
	Pending   int64 `json:"pending"` // queued or leased now
}

// Stats are the queue's counters per task type.
type Stats struct {
	ByType map[string]TypeStats `json:"by_type"`
}

// ErrClosed is returned by a closed queue.
var ErrClosed = errors.New("queue: closed")

// ErrNoTask is returned by Ack and Nack for a task that is not leased.
var ErrNoTask = errors.New("queue: no such leased task")

// Queue is the queue role's interface.
type Queue interface {
	// Enqueue adds a task (its ID, Attempts and Created are assigned) and
	// returns its ID.
	Enqueue(ctx context.Context, taskType string, payload []byte) (string, error)
	// Dequeue leases the oldest queued task, waiting until one is queued
	// or ctx ends (then it returns ctx.Err()).
	Dequeue(ctx context.Context) (Task, error)
	// Ack marks a leased task done.
	Ack(ctx context.Context, id string) error
	// Nack reports a leased task failed: it is queued again, or moved to
	// the dead-letter list once it has had MaxAttempts attempts.
	Nack(ctx context.Context, id string, reason string) error
	// WaitIdle waits until no task is queued or leased, or ctx ends.
	WaitIdle(ctx context.Context) error
	Stats(ctx context.Context) (Stats, error)
	DeadLetters(ctx context.Context) ([]Task, error)
}

// MaxAttempts is how many times a task runs before it is dead-lettered.
const MaxAttempts = 5

// Releaser is implemented by queues that can hand a leased task back
// without counting the attempt: a worker that is stopped, or a long-poll
// whose caller went away after the lease was taken, gives the task back
// for someone else rather than burning one of its MaxAttempts. Local and
// Client implement it; callers find it by type assertion.
type Releaser interface {
	// Release puts the leased task id back at the front of the queue,
	// with the attempt it was leased for uncounted.
	Release(ctx context.Context, id string) error
}
