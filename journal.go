package mocks3

import (
	"slices"
	"sync"

	"github.com/mocks3/mocks3/faults"
	"github.com/mocks3/mocks3/s3api"
)

// maxJournal bounds the request journal; the oldest records go first.
const maxJournal = 100_000

type journal struct {
	mu      sync.Mutex // guards records
	records []s3api.Record
}

func (j *journal) add(r s3api.Record) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if len(j.records) == maxJournal {
		j.records = slices.Delete(j.records, 0, maxJournal/10)
	}
	j.records = append(j.records, r)
}

func (s *Server) record(r s3api.Record) {
	s.journal.add(r)
	s.faults.Record(faults.Gateway, string(r.Operation), len(r.Faults) > 0, r.Status == 0 || r.Status >= 400)
}

// Requests returns the request journal: every S3 request the server served,
// oldest first, with its operation, status, size, duration, SDK attempt
// number and the fault rules that triggered for it. Tests use it to assert
// what a client did ("it retried three times").
func (s *Server) Requests() []s3api.Record {
	s.journal.mu.Lock()
	defer s.journal.mu.Unlock()
	return slices.Clone(s.journal.records)
}

// ResetRequests empties the request journal.
func (s *Server) ResetRequests() {
	s.journal.mu.Lock()
	defer s.journal.mu.Unlock()
	s.journal.records = nil
}

// Faults returns the server's fault engine, to add, remove and inspect rules
// while the server runs.
func (s *Server) Faults() *faults.Engine { return s.faults }
