// Package faultengine is the fault engine behind mocks3's Faults: it holds
// the rules of the faults package, decides for each S3 request (Intercept,
// the gateway's hook) and each role call (Role, called by the role
// wrappers of internal/faultroles) which of them trigger, and applies
// their actions; it counts and logs what happened (Record, Stats, Events)
// and serves the seed's fault REST API (APIHandler). The root package's
// Faults type is the part a test author uses.
package faultengine

import (
	"cmp"
	"errors"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mocks3/mocks3/faults"
	"github.com/mocks3/mocks3/internal/faultmatch"
	"github.com/mocks3/mocks3/internal/faultname"
	"github.com/mocks3/mocks3/s3api"
)

// ErrNoRule is returned for an unknown rule ID (the REST API's 404).
var ErrNoRule = errors.New("faults: no such rule")

// maxEvents bounds the event log; older events are dropped first.
const maxEvents = 10000

// Engine holds fault rules and decides, for each request and role call,
// which of them trigger. It is safe for concurrent use while requests are
// in flight.
type Engine struct {
	now func() time.Time

	// active is the number of rules, read without the lock so that a
	// server with no rules pays nothing.
	active atomic.Int64

	// index holds the rules that can match a call, in evaluation order:
	// per service, per operation (rules that name no operation are listed
	// under ""), so a call walks few rules however many there are. It is
	// replaced whole on every change and read without the lock, so calls
	// no rule can match never take the lock.
	index atomic.Pointer[ruleIndex]

	// stats maps a statKey to its *counters.
	stats sync.Map

	mu      sync.Mutex // guards the fields below
	rules   []*entry   // by descending priority, then by seq
	seq     int
	rng     *rand.Rand
	events  []faults.Event
	nextEvt int64
}

type entry struct {
	id   string
	seq  int
	rule faults.Rule
	// op and roleOp are the operations the rule matches (see ops).
	op       s3api.Operation
	roleOp   string
	matches  int
	triggers int
}

// info is en as the public API reports it, read under the engine's lock.
func (en *entry) info() faults.RuleInfo {
	return faults.RuleInfo{ID: en.id, Rule: en.rule, Matches: en.matches, Triggers: en.triggers}
}

// set gives en the rule r.
func (en *entry) set(r faults.Rule) {
	en.rule = r
	en.op, en.roleOp = ops(&r)
}

type statKey struct {
	service   faults.Service
	operation string
}

// Config configures an Engine.
type Config struct {
	// Seed seeds the source of probabilities and jitter, so a run repeats.
	Seed uint64
	// Now is the clock for schedules and event times; default time.Now.
	Now func() time.Time
}

// New returns an Engine with no rules.
func New(cfg Config) *Engine {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Engine{
		now: cfg.Now,
		rng: rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x666175_6c7473)),
	}
}

// Handle refers to a rule added to an Engine. Its counters stay readable
// after the rule is removed (by Remove, Replace or the end of AddT's test)
// and then keep their final values.
type Handle struct {
	e  *Engine
	id string
	en *entry
}

// ID returns the rule's ID, as the REST API shows it.
func (h *Handle) ID() string { return h.id }

// Hits returns how many times the rule has triggered.
func (h *Handle) Hits() int {
	h.e.mu.Lock()
	defer h.e.mu.Unlock()
	return h.en.triggers
}

// Matches returns how many requests the rule matched, triggered or not.
func (h *Handle) Matches() int {
	h.e.mu.Lock()
	defer h.e.mu.Unlock()
	return h.en.matches
}

// Remove removes the rule.
func (h *Handle) Remove() { h.e.Remove(h.id) }

// Add adds a rule and returns its handle. An invalid rule is an error that
// names the offending field.
func (e *Engine) Add(r faults.Rule) (*Handle, error) {
	r, err := checked(r)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.addLocked(r, ""), nil
}

// AddT adds rules for the rest of a test: they are removed when tb (a test
// or subtest) ends, so table rows don't leak into each other. An invalid
// rule fails the test.
func (e *Engine) AddT(tb testing.TB, rules ...faults.Rule) []*Handle {
	tb.Helper()
	var hs []*Handle
	for _, r := range rules {
		h, err := e.Add(r)
		if err != nil {
			tb.Fatalf("%v", err)
		}
		tb.Cleanup(h.Remove)
		hs = append(hs, h)
	}
	return hs
}

func (e *Engine) addLocked(r faults.Rule, id string) *Handle {
	e.seq++
	if id == "" {
		id = "rule-" + strconv.Itoa(e.seq)
	}
	en := &entry{id: id, seq: e.seq}
	en.set(r)
	i, _ := slices.BinarySearchFunc(e.rules, en, compareEntries)
	e.rules = slices.Insert(e.rules, i, en)
	e.reindexLocked()
	return &Handle{e: e, id: id, en: en}
}

// ruleIndex lists rules by service, then by operation ("" for rules that
// name none), in evaluation order.
type ruleIndex map[faults.Service]map[string][]*entry

// reindexLocked rebuilds the index after a change to rules.
func (e *Engine) reindexLocked() {
	idx := make(ruleIndex)
	for _, en := range e.rules {
		byOp := idx[en.rule.Service]
		if byOp == nil {
			byOp = make(map[string][]*entry)
			idx[en.rule.Service] = byOp
		}
		key := indexKey(en.op, en.roleOp)
		byOp[key] = append(byOp[key], en)
	}
	e.index.Store(&idx)
	e.active.Store(int64(len(e.rules)))
}

// indexKey is where the index lists a rule: under its role operation if
// it names one (the narrower match), else under its S3 operation. Role
// operations are prefixed, as "ListObjects" is both.
func indexKey(op s3api.Operation, roleOp string) string {
	if roleOp != "" {
		return "role:" + string(roleOp)
	}
	return string(op)
}

// candidates returns, in evaluation order, the rules that may match req:
// those naming its operation or its role operation, and those naming none.
func (e *Engine) candidates(req *Request) []*entry {
	idx := e.index.Load()
	if idx == nil {
		return nil
	}
	byOp := (*idx)[req.Service]
	if byOp == nil {
		return nil
	}
	lists := [][]*entry{byOp[""], byOp[string(req.Operation)]}
	if req.RoleOp != "" {
		lists = append(lists, byOp[indexKey("", req.RoleOp)])
	}
	n, only := 0, -1
	for i, l := range lists {
		if len(l) > 0 {
			n++
			only = i
		}
	}
	switch n {
	case 0:
		return nil
	case 1:
		return lists[only]
	}
	var out []*entry
	for _, l := range lists {
		out = append(out, l...)
	}
	slices.SortFunc(out, compareEntries)
	return out
}

func compareEntries(a, b *entry) int {
	if c := cmp.Compare(b.rule.Priority, a.rule.Priority); c != 0 {
		return c
	}
	return cmp.Compare(a.seq, b.seq)
}

func (e *Engine) find(id string) *entry {
	for _, en := range e.rules {
		if en.id == id {
			return en
		}
	}
	return nil
}

// Remove removes a rule by ID; removing an unknown ID is not an error.
func (e *Engine) Remove(id string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.rules = slices.DeleteFunc(e.rules, func(en *entry) bool { return en.id == id })
	e.reindexLocked()
}

// SetEnabled enables or disables a rule by ID.
func (e *Engine) SetEnabled(id string, enabled bool) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	en := e.find(id)
	if en == nil {
		return ErrNoRule
	}
	en.rule.Disabled = !enabled
	return nil
}

// Update replaces the rule with the given ID, keeping its counters.
func (e *Engine) Update(id string, r faults.Rule) error {
	r, err := checked(r)
	if err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	en := e.find(id)
	if en == nil {
		return ErrNoRule
	}
	en.set(r)
	slices.SortStableFunc(e.rules, compareEntries)
	e.reindexLocked()
	return nil
}

// Replace removes every rule and adds rules, atomically: no request sees a
// mix of old and new. It validates all rules first.
func (e *Engine) Replace(rules ...faults.Rule) ([]*Handle, error) {
	rules = slices.Clone(rules)
	for i := range rules {
		var err error
		if rules[i], err = checked(rules[i]); err != nil {
			return nil, err
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.rules = nil
	e.reindexLocked() // with no rules to add, nothing else rebuilds the index
	hs := make([]*Handle, len(rules))
	for i, r := range rules {
		hs[i] = e.addLocked(r, "")
	}
	return hs, nil
}

// Rules returns the rules in evaluation order.
func (e *Engine) Rules() []faults.RuleInfo {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]faults.RuleInfo, len(e.rules))
	for i, en := range e.rules {
		out[i] = en.info()
	}
	return out
}

// Rule returns one rule by ID.
func (e *Engine) Rule(id string) (faults.RuleInfo, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	en := e.find(id)
	if en == nil {
		return faults.RuleInfo{}, ErrNoRule
	}
	return en.info(), nil
}

// Request is what a rule is matched against: an S3 request at the gateway,
// or a role call made while serving one.
type Request struct {
	Service   faults.Service
	Operation s3api.Operation // the S3 operation
	RoleOp    string          // the role's operation, for role calls
	Method    string
	Bucket    string
	Key       string
	Header    http.Header
	// Query holds the query parameters; when nil, they are parsed from
	// RawQuery the first time a rule asks.
	Query    url.Values
	RawQuery string
	// RemoteAddr is the client's address, host:port.
	RemoteAddr string
	// Node is the storage node a storage call goes to.
	Node      string
	RequestID string
	// Attempt is the SDK's attempt number of the S3 request, 0 if unknown.
	Attempt int
}

// query returns the query parameters, parsed from RawQuery the first
// time a rule asks.
func (req *Request) query() url.Values {
	if req.Query == nil {
		req.Query, _ = url.ParseQuery(req.RawQuery)
	}
	return req.Query
}

// fired is a triggered rule, with any random choice already drawn.
type fired struct {
	id, name string
	action   faults.Action
	delay    time.Duration
}

func matches(en *entry, req *Request) bool {
	r := &en.rule
	if r.Disabled || r.Service != req.Service {
		return false
	}
	if en.op != "" && en.op != req.Operation || en.roleOp != "" && en.roleOp != req.RoleOp {
		return false
	}
	if r.Method != "" && !strings.EqualFold(r.Method, req.Method) {
		return false
	}
	if !faultmatch.Glob(r.Bucket, req.Bucket) || (r.Key != "" && !faultmatch.Glob(r.Key, req.Key)) || !faultmatch.Glob(r.Node, req.Node) {
		return false
	}
	if r.Attempt != 0 || r.AttemptAtMost != 0 {
		n := req.Attempt
		if r.Attempt != 0 && n != r.Attempt || r.AttemptAtMost != 0 && (n == 0 || n > r.AttemptAtMost) {
			return false
		}
	}
	if r.UserAgent != "" && !faultmatch.Glob(r.UserAgent, req.Header.Get("User-Agent")) {
		return false
	}
	if r.AccessKey != "" && !faultmatch.Glob(r.AccessKey, faultmatch.AccessKey(req.Header, req.query())) {
		return false
	}
	for name, pattern := range r.Header {
		v, ok := req.Header[http.CanonicalHeaderKey(name)]
		if !ok {
			v, ok = req.Header[name]
		}
		if !ok || !faultmatch.Glob(pattern, strings.Join(v, ",")) {
			return false
		}
	}
	for name, pattern := range r.Query {
		if q := req.query(); !q.Has(name) || !faultmatch.Glob(pattern, q.Get(name)) {
			return false
		}
	}
	if r.ClientIP != "" {
		p, _ := faultmatch.ParseIP(r.ClientIP)
		a, ok := faultmatch.ClientIP(req.RemoteAddr)
		if !ok || !p.Contains(a) {
			return false
		}
	}
	return true
}

// evaluate returns the actions that trigger for req, in order; see the
// package documentation for the walk. A non-nil only limits the walk to
// rules whose action it accepts.
func (e *Engine) evaluate(req *Request, only func(string) bool) []fired {
	if e.active.Load() == 0 {
		return nil
	}
	cands := e.candidates(req)
	if len(cands) == 0 {
		return nil
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	var (
		now    time.Time // read from the clock only when needed
		hasNow bool
		out    []fired
	)
	clock := func() time.Time {
		if !hasNow {
			now, hasNow = e.now(), true
		}
		return now
	}
	for _, en := range cands {
		r := &en.rule
		if only != nil && !only(r.Action.Kind) || !matches(en, req) || r.Schedule != nil && !active(r.Schedule, clock()) {
			continue
		}
		en.matches++
		n := en.matches - r.After // position among counted matches
		switch {
		case n <= 0:
			continue
		case r.Times > 0 && n > r.Times:
			continue
		case r.EveryNth > 1 && n%r.EveryNth != 0:
			continue
		case r.MaxTriggers > 0 && en.triggers >= r.MaxTriggers:
			continue
		case r.Probability > 0 && r.Probability < 1 && e.rng.Float64() >= r.Probability:
			continue
		}
		en.triggers++
		f := fired{id: en.id, name: r.Name, action: r.Action, delay: r.Action.Delay}
		if a := r.Action; a.MaxDelay > a.Delay {
			f.delay = a.Delay + time.Duration(e.rng.Int64N(int64(a.MaxDelay-a.Delay)+1))
		}
		out = append(out, f)
		e.recordEventLocked(clock(), req, f)
		if terminal(r.Action) {
			break
		}
	}
	return out
}

// HasAction reports whether any rule, enabled or not, has an action of
// kind k.
func (e *Engine) HasAction(k string) bool {
	if e.active.Load() == 0 {
		return false
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, en := range e.rules {
		if en.rule.Action.Kind == k {
			return true
		}
	}
	return false
}

// checked validates r as the faults package does and fills its defaults.
func checked(r faults.Rule) (faults.Rule, error) {
	if err := r.Validate(); err != nil {
		return r, err
	}
	svc, _ := faultname.ParseService(string(r.Service)) // valid: Validate parsed it
	r.Service = faults.Service(svc)
	return r, nil
}

// ops returns the S3 operation and the role operation r matches, reading
// an Operation that names one of the role's operations as that role
// operation (the seed's JSON has one field for both).
func ops(r *faults.Rule) (s3api.Operation, string) {
	if r.Operation != "" && r.RoleOp == "" && faultname.IsRoleOp(string(r.Service), string(r.Operation)) {
		return "", string(r.Operation)
	}
	return r.Operation, r.RoleOp
}

// active reports whether the schedule s lets a rule act at now.
func active(s *faults.Schedule, now time.Time) bool {
	if s == nil {
		return true
	}
	if !s.Start.IsZero() && now.Before(s.Start) || !s.End.IsZero() && !now.Before(s.End) {
		return false
	}
	loc := s.Location
	if loc == nil {
		loc = time.UTC
	}
	local := now.In(loc)
	if len(s.Days) > 0 && !slices.Contains(s.Days, local.Weekday()) {
		return false
	}
	if s.FromHour != 0 || s.ToHour != 0 {
		h := local.Hour()
		if s.FromHour <= s.ToHour {
			return h >= s.FromHour && h < s.ToHour
		}
		return h >= s.FromHour || h < s.ToHour // a window across midnight
	}
	return true
}
