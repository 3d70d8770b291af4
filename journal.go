package mocks3

import (
	"context"
	"slices"
	"sync"

	"github.com/mocks3/mocks3/s3api"
)

// maxJournal bounds the request journal; the oldest records go first.
const maxJournal = 100_000

// journal keeps the latest maxJournal records in a ring, and counts the
// requests still being served, whose records are yet to come.
type journal struct {
	mu      sync.Mutex // guards records and next
	records []s3api.Record
	next    int // where the next record goes once the ring is full

	flightMu sync.Mutex // guards inFlight and idle
	inFlight int
	idle     chan struct{} // closed when inFlight falls to 0
}

// begin counts a request in flight until its end.
func (j *journal) begin() {
	j.flightMu.Lock()
	defer j.flightMu.Unlock()
	if j.inFlight == 0 {
		j.idle = make(chan struct{})
	}
	j.inFlight++
}

// end counts a request served; its record, if any, is in the journal.
func (j *journal) end() {
	j.flightMu.Lock()
	defer j.flightMu.Unlock()
	j.inFlight--
	if j.inFlight == 0 {
		close(j.idle)
	}
}

// wait waits until no request is in flight.
func (j *journal) wait(ctx context.Context) error {
	j.flightMu.Lock()
	idle := j.idle
	n := j.inFlight
	j.flightMu.Unlock()
	if n == 0 {
		return nil
	}
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (j *journal) add(r s3api.Record) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if len(j.records) < maxJournal {
		j.records = append(j.records, r)
		return
	}
	j.records[j.next] = r
	j.next = (j.next + 1) % maxJournal
}

// snapshot returns the records oldest first.
func (j *journal) snapshot() []s3api.Record {
	j.mu.Lock()
	defer j.mu.Unlock()
	return append(slices.Clone(j.records[j.next:]), j.records[:j.next]...)
}

func (s *Server) record(r s3api.Record) {
	s.journal.add(r)
	for _, fn := range s.cfg.ext.Observers {
		fn(r)
	}
	s.faults.Record("gateway", string(r.Operation), len(r.Faults) > 0, r.Status == 0 || r.Status >= 400)
}

// Requests returns the request journal: every S3 request the server served,
// oldest first, with its operation, status, size, duration, SDK attempt
// number and the IDs of the fault rules that triggered for it. Tests use it
// to assert what a client did ("it retried three times").
func (s *Server) Requests() []s3api.Record {
	return s.journal.snapshot()
}

// WaitRequests waits until no S3 request is being served, or until ctx
// ends, and returns ctx's error then. A request the server drops or holds
// (a CloseConnection, ResetConnection or Hang fault) ends for the client
// before the server has finished with it, so call WaitRequests before
// reading Requests after such a fault. While a Hang holds a request whose
// client has not given up, WaitRequests waits with it.
func (s *Server) WaitRequests(ctx context.Context) error {
	return s.journal.wait(ctx)
}

// ResetRequests empties the request journal.
func (s *Server) ResetRequests() {
	s.journal.mu.Lock()
	defer s.journal.mu.Unlock()
	s.journal.records, s.journal.next = nil, 0
}

// Faults returns the server's fault rules, to add, remove and inspect them
// while the server runs.
func (s *Server) Faults() *Faults { return s.faultsAPI }
