package mocks3

import (
	"slices"
	"sync"

	"github.com/mocks3/mocks3/faults"
	"github.com/mocks3/mocks3/s3api"
)

// maxJournal bounds the request journal; the oldest records go first.
const maxJournal = 100_000

// journal keeps the latest maxJournal records in a ring.
type journal struct {
	mu      sync.Mutex // guards records and next
	records []s3api.Record
	next    int // where the next record goes once the ring is full
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
	for _, fn := range s.cfg.observers {
		fn(r)
	}
	s.faults.Record(faults.Gateway, string(r.Operation), len(r.Faults) > 0, r.Status == 0 || r.Status >= 400)
}

// Requests returns the request journal: every S3 request the server served,
// oldest first, with its operation, status, size, duration, SDK attempt
// number and the fault rules that triggered for it. Tests use it to assert
// what a client did ("it retried three times").
func (s *Server) Requests() []s3api.Record {
	return s.journal.snapshot()
}

// ResetRequests empties the request journal.
func (s *Server) ResetRequests() {
	s.journal.mu.Lock()
	defer s.journal.mu.Unlock()
	s.journal.records, s.journal.next = nil, 0
}

// Faults returns the server's fault engine, to add, remove and inspect rules
// while the server runs.
func (s *Server) Faults() *faults.Engine { return s.faults }
