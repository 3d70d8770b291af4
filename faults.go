package mocks3

import (
	"testing"

	"github.com/mocks3/mocks3/faults"
	"github.com/mocks3/mocks3/internal/faultengine"
)

// Faults holds a server's fault rules (see the faults package) and what
// they did: it decides, for each S3 request and each call to a role behind
// it, which rules trigger. Rules can change while requests are in flight.
// The same rules are reachable over the seed's REST API under /_mocks3/.
type Faults struct{ e *faultengine.Engine }

// FaultHandle refers to a rule added to a server's Faults. Its counters
// stay readable after the rule is removed (by Remove, Replace or the end of
// AddT's test) and then keep their final values.
type FaultHandle struct{ h *faultengine.Handle }

// ID returns the rule's ID, as the REST API, events, Stats.ByRule and the
// request journal name it.
func (h *FaultHandle) ID() string { return h.h.ID() }

// Hits returns how many times the rule has triggered.
func (h *FaultHandle) Hits() int { return h.h.Hits() }

// Matches returns how many requests the rule matched, triggered or not.
func (h *FaultHandle) Matches() int { return h.h.Matches() }

// Remove removes the rule.
func (h *FaultHandle) Remove() { h.h.Remove() }

func handles(hs []*faultengine.Handle) []*FaultHandle {
	out := make([]*FaultHandle, len(hs))
	for i, h := range hs {
		out[i] = &FaultHandle{h}
	}
	return out
}

// Add adds a rule and returns its handle. An invalid rule is an error that
// names the offending field (see faults.Rule.Validate). To change a rule,
// remove it and add the new one.
func (f *Faults) Add(r faults.Rule) (*FaultHandle, error) {
	h, err := f.e.Add(r)
	if err != nil {
		return nil, err
	}
	return &FaultHandle{h}, nil
}

// AddT adds rules for the rest of a test: they are removed when tb (a test
// or subtest) ends, so table rows don't leak into each other. An invalid
// rule fails the test.
func (f *Faults) AddT(tb testing.TB, rules ...faults.Rule) []*FaultHandle {
	tb.Helper()
	return handles(f.e.AddT(tb, rules...))
}

// Replace removes every rule and adds rules, atomically: no request sees a
// mix of old and new. It validates all rules first.
func (f *Faults) Replace(rules ...faults.Rule) ([]*FaultHandle, error) {
	hs, err := f.e.Replace(rules...)
	if err != nil {
		return nil, err
	}
	return handles(hs), nil
}

// Rules returns the rules in evaluation order.
func (f *Faults) Rules() []faults.RuleInfo { return f.e.Rules() }

// Stats returns a snapshot of the counters.
func (f *Faults) Stats() faults.Stats { return f.e.Stats() }

// Events returns the logged triggers, oldest first.
func (f *Faults) Events() []faults.Event { return f.e.Events() }
