package faults

import (
	"slices"
	"sync/atomic"
	"time"
)

// Counts are requests, triggered faults and error responses.
type Counts struct {
	Requests int64 `json:"requests"`
	Faults   int64 `json:"faults"`
	Errors   int64 `json:"errors"`
}

// Stats is a snapshot of the engine's counters, in the shape of the seed's
// ErrorStats: totals, per rule, per service and per operation.
//
// Total counts S3 requests (the gateway service); Roles counts the role
// calls made while serving them, which are many per request (a GET reads
// the bucket, the record and the bytes). A request counts as faulted when
// any rule fired for it, at the gateway or in one of its role calls.
// ByRule is keyed by rule ID, as events and the request journal name rules.
type Stats struct {
	Total       Counts                `json:"total"`
	Roles       Counts                `json:"roles"`
	ByRule      map[string]RuleCounts `json:"by_rule"`
	ByService   map[Service]Counts    `json:"by_service"`
	ByOperation map[string]Counts     `json:"by_operation"`
}

// RuleCounts are one rule's counters.
type RuleCounts struct {
	Name     string `json:"name"`
	Matches  int    `json:"matches"`
	Triggers int    `json:"triggers"`
}

// Event records one trigger.
type Event struct {
	Seq       int64     `json:"seq"`
	Time      time.Time `json:"timestamp"`
	RuleID    string    `json:"rule_id"`
	RuleName  string    `json:"rule_name"`
	Service   Service   `json:"service"`
	Operation string    `json:"operation"`
	Bucket    string    `json:"bucket,omitempty"`
	Key       string    `json:"key,omitempty"`
	Action    Kind      `json:"action"`
	RequestID string    `json:"request_id,omitempty"`
}

func (e *Engine) recordEventLocked(now time.Time, req *Request, f fired) {
	e.nextEvt++
	op := string(req.Operation)
	if req.RoleOp != "" {
		op = string(req.RoleOp)
	}
	ev := Event{Seq: e.nextEvt, Time: now, RuleID: f.id, RuleName: f.name, Service: req.Service,
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
func (e *Engine) Record(service Service, operation string, faulted, failed bool) {
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

func (c *counters) snapshot() Counts {
	return Counts{Requests: c.requests.Load(), Faults: c.faults.Load(), Errors: c.errors.Load()}
}

// Stats returns a snapshot of the counters.
func (e *Engine) Stats() Stats {
	e.mu.Lock()
	defer e.mu.Unlock()
	s := Stats{ByRule: map[string]RuleCounts{}, ByService: map[Service]Counts{}, ByOperation: map[string]Counts{}}
	for _, en := range e.rules {
		s.ByRule[en.id] = RuleCounts{Name: en.rule.Name, Matches: en.matches, Triggers: en.triggers}
	}
	e.stats.Range(func(key, value any) bool {
		k, c := key.(statKey), value.(*counters).snapshot()
		if k.operation == "" {
			s.ByService[k.service] = c
			sum := &s.Roles
			if k.service == Gateway {
				sum = &s.Total
			}
			sum.Requests += c.Requests
			sum.Faults += c.Faults
			sum.Errors += c.Errors
			return true
		}
		name := k.operation
		if k.service != Gateway {
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
func (e *Engine) Events() []Event {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.events)
}
