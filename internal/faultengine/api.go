package faultengine

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/mocks3/mocks3/faults"
)

// maxRuleBody bounds a rule request body.
const maxRuleBody = 1 << 20

// APIHandler serves the seed's fault REST API for e. Rules are in the JSON
// format of ParseRules; every answer is JSON, errors as {"error": "…"} with
// 400 for a bad request (naming the offending field), 404 for an unknown
// rule or path and 405 for a method a path does not allow.
//
//	POST   /api/v1/rules               add a rule (201 and the rule with its id),
//	                                   or several: [...] or {"rules": [...]}
//	GET    /api/v1/rules               {"rules": [...]} in evaluation order,
//	                                   each with id, hits and matches
//	GET    /api/v1/rules/{id}          one rule
//	PUT    /api/v1/rules/{id}          replace a rule, keeping its counters
//	DELETE /api/v1/rules/{id}          remove a rule (204)
//	POST   /api/v1/rules/{id}/enable   enable a rule
//	POST   /api/v1/rules/{id}/disable  disable a rule
//	GET    /api/v1/stats               Stats
//	POST   /api/v1/stats/reset         zero the counters, clear the events
//	GET    /api/v1/events[?limit=N]    {"events": [...]}, oldest first; the
//	                                   last N with limit
//	GET    /health                     {"status": "healthy", …}
//
// mocks3 serves it on the S3 port under /_mocks3/.
func (e *Engine) APIHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/rules", e.apiListRules)
	mux.HandleFunc("POST /api/v1/rules", e.apiAddRules)
	mux.HandleFunc("GET /api/v1/rules/{id}", e.apiGetRule)
	mux.HandleFunc("PUT /api/v1/rules/{id}", e.apiPutRule)
	mux.HandleFunc("DELETE /api/v1/rules/{id}", e.apiDeleteRule)
	mux.HandleFunc("POST /api/v1/rules/{id}/enable", e.apiSetEnabled(true))
	mux.HandleFunc("POST /api/v1/rules/{id}/disable", e.apiSetEnabled(false))
	mux.HandleFunc("GET /api/v1/stats", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, statsToJSON(e.Stats()))
	})
	mux.HandleFunc("POST /api/v1/stats/reset", func(w http.ResponseWriter, r *http.Request) {
		e.ResetStats()
		writeJSON(w, http.StatusOK, map[string]string{"status": "reset"})
	})
	mux.HandleFunc("GET /api/v1/events", e.apiEvents)
	mux.HandleFunc("GET /health", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{
			"status": "healthy", "service": "mocks3-faults", "rules": e.active.Load(), "timestamp": e.now(),
		})
	})
	return jsonErrors{mux}
}

// jsonErrors answers what the mux itself rejects (no such path, method not
// allowed) in JSON, keeping the mux's status and Allow header.
type jsonErrors struct{ mux *http.ServeMux }

func (j jsonErrors) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if _, pattern := j.mux.Handler(r); pattern != "" {
		j.mux.ServeHTTP(w, r)
		return
	}
	rec := &statusRecorder{header: http.Header{}, status: http.StatusNotFound}
	j.mux.ServeHTTP(rec, r)
	if allow := rec.header.Get("Allow"); allow != "" {
		w.Header().Set("Allow", allow)
	}
	msg := fmt.Sprintf("no such endpoint: %s %s", r.Method, r.URL.Path)
	if rec.status == http.StatusMethodNotAllowed {
		msg = fmt.Sprintf("method %s not allowed on %s (allowed: %s)", r.Method, r.URL.Path, rec.header.Get("Allow"))
	}
	writeError(w, rec.status, msg)
}

// statusRecorder keeps a response's status and headers and drops its body.
type statusRecorder struct {
	header http.Header
	status int
}

func (s *statusRecorder) Header() http.Header         { return s.header }
func (s *statusRecorder) Write(p []byte) (int, error) { return len(p), nil }
func (s *statusRecorder) WriteHeader(status int)      { s.status = status }

func (e *Engine) apiListRules(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, rulesJSON(e.Rules()))
}

func (e *Engine) apiAddRules(w http.ResponseWriter, r *http.Request) {
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	rules, err := faults.ParseRules(body)
	single := singleRule(body)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	infos := make([]faults.RuleInfo, 0, len(rules))
	for i, rule := range rules {
		h, err := e.Add(rule)
		if err != nil { // ParseRules validated the rules: not expected
			for _, in := range infos {
				e.Remove(in.ID)
			}
			writeError(w, http.StatusBadRequest, fmt.Sprintf("rule %d: %v", i, err))
			return
		}
		info, err := e.Rule(h.ID())
		if err != nil { // removed at once by another client
			info = faults.RuleInfo{ID: h.ID(), Rule: rule}
		}
		infos = append(infos, info)
	}
	if single {
		writeJSON(w, http.StatusCreated, ruleJSON(infos[0]))
		return
	}
	writeJSON(w, http.StatusCreated, rulesJSON(infos))
}

func (e *Engine) apiGetRule(w http.ResponseWriter, r *http.Request) {
	info, err := e.Rule(r.PathValue("id"))
	if err != nil {
		writeRuleError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ruleJSON(info))
}

func (e *Engine) apiPutRule(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if _, err := e.Rule(id); err != nil {
		writeRuleError(w, r, err)
		return
	}
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	var rule faults.Rule
	rules, err := faults.ParseRules(body)
	switch {
	case err == nil && !singleRule(body):
		// The id checked below is the document's own: a list's rules are
		// not this URL's rule.
		err = fmt.Errorf("a rule update takes one rule object, not a list")
	case err == nil:
		rule = rules[0]
	}
	if bodyID := ruleID(body); err == nil && bodyID != "" && bodyID != id {
		err = fmt.Errorf("id: %q is not the rule this URL names (%q)", bodyID, id)
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if err := e.Update(id, rule); err != nil {
		writeRuleError(w, r, err)
		return
	}
	e.apiGetRule(w, r)
}

func (e *Engine) apiDeleteRule(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if _, err := e.Rule(id); err != nil {
		writeRuleError(w, r, err)
		return
	}
	e.Remove(id)
	w.WriteHeader(http.StatusNoContent)
}

func (e *Engine) apiSetEnabled(enabled bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := e.SetEnabled(r.PathValue("id"), enabled); err != nil {
			writeRuleError(w, r, err)
			return
		}
		e.apiGetRule(w, r)
	}
}

func (e *Engine) apiEvents(w http.ResponseWriter, r *http.Request) {
	events := e.Events()
	if s := r.URL.Query().Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("limit: %q is not an integer ≥ 0", s))
			return
		}
		events = events[max(len(events)-n, 0):]
	}
	if events == nil {
		events = []faults.Event{}
	}
	writeJSON(w, http.StatusOK, map[string][]faults.Event{"events": events})
}

// readBody reads a request body of at most maxRuleBody bytes, answering
// the error itself if it cannot.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRuleBody))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body over %d bytes", maxRuleBody))
		return nil, false
	case err != nil:
		writeError(w, http.StatusBadRequest, fmt.Sprintf("reading the request body: %v", err))
		return nil, false
	case len(bytes.TrimSpace(body)) == 0:
		writeError(w, http.StatusBadRequest, "empty body: want a rule in JSON")
		return nil, false
	}
	return body, true
}

func writeRuleError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, ErrNoRule) {
		writeError(w, http.StatusNotFound, fmt.Sprintf("no rule with id %q", r.PathValue("id")))
		return
	}
	writeError(w, http.StatusBadRequest, strings.TrimPrefix(err.Error(), "faults: "))
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

// writeJSON writes v indented, for people reading curl output.
func writeJSON(w http.ResponseWriter, status int, v any) {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		status = http.StatusInternalServerError
		data, _ = json.Marshal(map[string]string{"error": err.Error()})
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)+1))
	w.WriteHeader(status)
	w.Write(append(data, '\n'))
}

// singleRule reports whether a document ParseRules accepted is one rule
// object rather than a list, which the API answers in kind.
func singleRule(body []byte) bool {
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil {
		return false // an array
	}
	_, list := m["rules"]
	return !list
}

// ruleID returns the "id" of a rule document ParseRules accepted, if any.
// ParseRules has refused keys spelt otherwise ("ID"), which encoding/json
// would take for it.
func ruleID(body []byte) string {
	var doc struct {
		ID string `json:"id"`
	}
	json.Unmarshal(body, &doc)
	return doc.ID
}
