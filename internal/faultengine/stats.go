package faultengine

import (
	"slices"
	"sync/atomic"
	"time"

	"github.com/mocks3/mocks3/faults"
	"github.com/mocks3/mocks3/internal/faultname"
)

func (e *Engine) recordEventLocked(now time.Time, req *Request, f fired) {
	e.nextEvt++
	op := string(req.Operation)
	if req.RoleOp != "" {
		op = string(req.RoleOp)
	}
	ev := faults.Event{Seq: e.nextEvt, Time: now, RuleID: f.id, RuleName: f.name, Service: req.Service,
		Operation: op, Bucket: req.Bucket, Key: req.Key, Action: f.action.Kind, RequestID: req.RequestID}
	if len(e.events) == maxEvents {
		e.events = slices.Delete(e.events, 0, maxEvents/10)
	}
	e.events = append(e.events, ev)
}

// Record counts a finished request or role call: whether a fault triggered
// for it and whether it ended in an error (status 400 and up, a dropped
// connection, or a failed role call). It takes no lock once an operation
// has been seen.
func (e *Engine) Record(service faults.Service, operation string, faulted, failed bool) {
	for _, k := range [2]statKey{{service, ""}, {service, operation}} {
		c, ok := e.stats.Load(k)
		if !ok {
			c, _ = e.stats.LoadOrStore(k, new(counters))
		}
		c.(*counters).add(faulted, failed)
	}
}

// counters are Counts updated atomically.
type counters struct{ requests, faults, errors atomic.Int64 }

func (c *counters) add(faulted, failed bool) {
	c.requests.Add(1)
	if faulted {
		c.faults.Add(1)
	}
	if failed {
		c.errors.Add(1)
	}
}

func (c *counters) snapshot() faults.Counts {
	return faults.Counts{Requests: c.requests.Load(), Faults: c.faults.Load(), Errors: c.errors.Load()}
}

// Stats returns a snapshot of the counters.
func (e *Engine) Stats() faults.Stats {
	e.mu.Lock()
	defer e.mu.Unlock()
	s := faults.Stats{ByRule: map[string]faults.RuleInfo{}, ByService: map[faults.Service]faults.Counts{}, ByOperation: map[string]faults.Counts{}}
	for _, en := range e.rules {
		s.ByRule[en.id] = en.info()
	}
	e.stats.Range(func(key, value any) bool {
		k, c := key.(statKey), value.(*counters).snapshot()
		if k.operation == "" {
			s.ByService[k.service] = c
			sum := &s.Roles
			if k.service == faultname.Gateway {
				sum = &s.Total
			}
			sum.Requests += c.Requests
			sum.Faults += c.Faults
			sum.Errors += c.Errors
			return true
		}
		name := k.operation
		if k.service != faultname.Gateway {
			name = string(k.service) + ":" + name
		}
		s.ByOperation[name] = c
		return true
	})
	return s
}

// ResetStats zeroes every counter, the rules' included, and clears the
// event log.
func (e *Engine) ResetStats() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.stats.Clear()
	e.events = nil
	for _, en := range e.rules {
		en.matches, en.triggers = 0, 0
	}
}

// Events returns the logged triggers, oldest first.
func (e *Engine) Events() []faults.Event {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.events)
}
