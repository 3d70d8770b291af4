package faultengine

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mocks3/mocks3/internal/faultname"
)

// call sends a request to h and returns the status and the decoded JSON
// body (nil if there is none).
func call(t *testing.T, h http.Handler, method, path, body string) (int, map[string]any, http.Header) {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Body.Len() == 0 {
		return rec.Code, nil, rec.Header()
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("%s %s: Content-Type %q, want application/json", method, path, ct)
	}
	var v map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("%s %s: body %q is not a JSON object: %v", method, path, rec.Body, err)
	}
	return rec.Code, v, rec.Header()
}

func mustCall(t *testing.T, h http.Handler, method, path, body string, want int) map[string]any {
	t.Helper()
	status, v, _ := call(t, h, method, path, body)
	if status != want {
		t.Fatalf("%s %s = %d %v, want %d", method, path, status, v, want)
	}
	return v
}

// TestAPISeedREADMEExamples posts the seed README's two rules verbatim,
// then reads rules, stats and events as its curl examples do.
func TestAPISeedREADMEExamples(t *testing.T) {
	e := New(Config{Seed: 1})
	h := e.APIHandler()
	var ids []string
	for _, body := range []string{seedErrorRule, seedDelayRule} {
		v := mustCall(t, h, "POST", "/api/v1/rules", body, http.StatusCreated)
		id, _ := v["id"].(string)
		if id == "" || v["enabled"] != true || v["hits"] != 0.0 {
			t.Errorf("POST /api/v1/rules = %v, want the rule with an id, enabled, 0 hits", v)
		}
		ids = append(ids, id)
	}
	list := mustCall(t, h, "GET", "/api/v1/rules", "", http.StatusOK)
	rules, _ := list["rules"].([]any)
	if len(rules) != 2 {
		t.Fatalf("GET /api/v1/rules = %v, want 2 rules", list)
	}
	first := rules[0].(map[string]any)
	if first["id"] != ids[0] || first["name"] != "Storage Random Error" || first["service"] != "storage" {
		t.Errorf("first rule = %v, want the storage error rule %s", first, ids[0])
	}
	wantAction := map[string]any{"type": "http_error", "http_code": 500.0, "message": "Internal server error injected"}
	if diff := cmp.Diff(wantAction, first["action"]); diff != "" {
		t.Errorf("first rule's action (-want +got):\n%s", diff)
	}

	// 200 storage calls: about 10% fail.
	failed := 0
	for range 200 {
		if _, err := e.Role(context.Background(), Call{Service: faultname.Storage, Op: "Write", Bucket: "bkt", Key: "k"}); err != nil {
			failed++
		}
	}
	if failed < 5 || failed > 40 {
		t.Errorf("%d of 200 storage calls failed, want about 20", failed)
	}
	stats := mustCall(t, h, "GET", "/api/v1/stats", "", http.StatusOK)
	byRule := stats["by_rule"].(map[string]any)
	if got := byRule[ids[0]].(map[string]any)["triggers"]; got != float64(failed) {
		t.Errorf("stats by_rule[%s].triggers = %v, want %d", ids[0], got, failed)
	}
	storage := stats["by_service"].(map[string]any)["storage"].(map[string]any)
	if storage["requests"] != 200.0 || storage["errors"] != float64(failed) {
		t.Errorf("stats by_service.storage = %v, want 200 requests, %d errors", storage, failed)
	}
	events := mustCall(t, h, "GET", "/api/v1/events", "", http.StatusOK)["events"].([]any)
	if len(events) != failed {
		t.Fatalf("GET /api/v1/events: %d events, want %d", len(events), failed)
	}
	ev := events[0].(map[string]any)
	if ev["rule_id"] != ids[0] || ev["rule_name"] != "Storage Random Error" || ev["service"] != "storage" ||
		ev["operation"] != "Write" || ev["action"] != "http_error" || ev["bucket"] != "bkt" {
		t.Errorf("event = %v, want the storage rule's http_error on Write bkt", ev)
	}
}

func TestAPIRuleLifecycle(t *testing.T) {
	e := New(Config{})
	h := e.APIHandler()
	v := mustCall(t, h, "POST", "/api/v1/rules", `{"name": "a", "operation": "PutObject", "action": {"type": "http_error", "code": "SlowDown"}}`, http.StatusCreated)
	id := v["id"].(string)
	e.evaluate(put("bkt", "k"), nil)

	if v := mustCall(t, h, "GET", "/api/v1/rules/"+id, "", http.StatusOK); v["name"] != "a" || v["hits"] != 1.0 || v["matches"] != 1.0 {
		t.Errorf("GET rule = %v, want a with 1 hit and 1 match", v)
	}
	// PUT takes what GET gave, edited: the id and counters are ignored, the counters kept.
	v = mustCall(t, h, "PUT", "/api/v1/rules/"+id, `{"id": "`+id+`", "hits": 9, "name": "b", "operation": "GetObject", "action": {"type": "timeout"}}`, http.StatusOK)
	if v["name"] != "b" || v["operation"] != "GetObject" || v["hits"] != 1.0 || v["id"] != id {
		t.Errorf("PUT rule = %v, want b on GetObject keeping 1 hit", v)
	}
	if v := mustCall(t, h, "POST", "/api/v1/rules/"+id+"/disable", "", http.StatusOK); v["enabled"] != false {
		t.Errorf("disable = %v, want enabled false", v)
	}
	if info, _ := e.Rule(id); !info.Rule.Disabled {
		t.Errorf("rule still enabled in the engine after disable")
	}
	if v := mustCall(t, h, "POST", "/api/v1/rules/"+id+"/enable", "", http.StatusOK); v["enabled"] != true {
		t.Errorf("enable = %v, want enabled true", v)
	}
	if status, body, _ := call(t, h, "DELETE", "/api/v1/rules/"+id, ""); status != http.StatusNoContent || body != nil {
		t.Errorf("DELETE = %d %v, want 204 and no body", status, body)
	}
	mustCall(t, h, "GET", "/api/v1/rules/"+id, "", http.StatusNotFound)
	if n := len(e.Rules()); n != 0 {
		t.Errorf("%d rules after DELETE, want 0", n)
	}
	if v := mustCall(t, h, "GET", "/api/v1/rules", "", http.StatusOK); len(v["rules"].([]any)) != 0 {
		t.Errorf("GET /api/v1/rules = %v, want an empty list", v)
	}
}

func TestAPIBulkAdd(t *testing.T) {
	e := New(Config{})
	h := e.APIHandler()
	v := mustCall(t, h, "POST", "/api/v1/rules", "["+seedErrorRule+","+seedDelayRule+"]", http.StatusCreated)
	if rules := v["rules"].([]any); len(rules) != 2 || rules[1].(map[string]any)["name"] != "Metadata Delay" {
		t.Errorf("bulk POST = %v, want both rules", v)
	}
	_, v, _ = call(t, h, "POST", "/api/v1/rules", `{"rules": [`+seedErrorRule+`, {"action": {"type": "nope"}}]}`)
	if msg, _ := v["error"].(string); !strings.HasPrefix(msg, "rules[1].action.type:") {
		t.Errorf("bulk POST with a bad rule = %v, want an error naming rules[1].action.type", v)
	}
	if n := len(e.Rules()); n != 2 {
		t.Errorf("%d rules after a rejected bulk POST, want the 2 from before", n)
	}
}

func TestAPIStatsAndEvents(t *testing.T) {
	e := New(Config{})
	h := e.APIHandler()
	id := mustCall(t, h, "POST", "/api/v1/rules", `{"name": "twice", "conditions": [{"type": "count", "operator": "first", "value": 2}], "action": {"type": "http_error", "http_code": 503}}`, http.StatusCreated)["id"].(string)
	for range 3 {
		fs := e.evaluate(put("bkt", "k"), nil)
		e.Record(faultname.Gateway, "PutObject", len(fs) > 0, len(fs) > 0)
	}
	stats := mustCall(t, h, "GET", "/api/v1/stats", "", http.StatusOK)
	want := map[string]any{"requests": 3.0, "faults": 2.0, "errors": 2.0}
	if diff := cmp.Diff(want, stats["total"]); diff != "" {
		t.Errorf("stats total (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, stats["by_operation"].(map[string]any)["PutObject"]); diff != "" {
		t.Errorf("stats by_operation.PutObject (-want +got):\n%s", diff)
	}
	if got := stats["by_rule"].(map[string]any)[id]; !cmp.Equal(got, map[string]any{"name": "twice", "matches": 3.0, "triggers": 2.0}) {
		t.Errorf("stats by_rule[%s] = %v, want 3 matches, 2 triggers", id, got)
	}
	if evs := mustCall(t, h, "GET", "/api/v1/events", "", http.StatusOK)["events"].([]any); len(evs) != 2 {
		t.Errorf("events = %v, want 2", evs)
	}
	evs := mustCall(t, h, "GET", "/api/v1/events?limit=1", "", http.StatusOK)["events"].([]any)
	if len(evs) != 1 || evs[0].(map[string]any)["seq"] != 2.0 {
		t.Errorf("events?limit=1 = %v, want the last event", evs)
	}
	mustCall(t, h, "POST", "/api/v1/stats/reset", "", http.StatusOK)
	stats = mustCall(t, h, "GET", "/api/v1/stats", "", http.StatusOK)
	if diff := cmp.Diff(map[string]any{"requests": 0.0, "faults": 0.0, "errors": 0.0}, stats["total"]); diff != "" {
		t.Errorf("stats total after reset (-want +got):\n%s", diff)
	}
	if evs := mustCall(t, h, "GET", "/api/v1/events", "", http.StatusOK)["events"].([]any); len(evs) != 0 {
		t.Errorf("events after reset = %v, want none", evs)
	}
}

func TestAPIHealth(t *testing.T) {
	e := New(Config{})
	v := mustCall(t, e.APIHandler(), "GET", "/health", "", http.StatusOK)
	if v["status"] != "healthy" || v["rules"] != 0.0 {
		t.Errorf("GET /health = %v, want healthy with 0 rules", v)
	}
}

func TestAPIErrors(t *testing.T) {
	e := New(Config{})
	h := e.APIHandler()
	id := mustCall(t, h, "POST", "/api/v1/rules", seedErrorRule, http.StatusCreated)["id"].(string)
	tests := []struct {
		name, method, path, body string
		wantStatus               int
		wantErr                  string // prefix of the error message
		wantAllow                string
	}{
		{"bad JSON", "POST", "/api/v1/rules", `{"name": "x",}`, 400, "invalid JSON at byte", ""},
		{"bad field", "POST", "/api/v1/rules", `{"conditions": [{"type": "probability", "value": 2}], "action": {"type": "http_error"}}`, 400, "conditions[0].value: probability must be a number between 0 and 1", ""},
		{"unknown field", "POST", "/api/v1/rules", `{"actions": [], "action": {"type": "http_error"}}`, 400, "actions: unknown field", ""},
		{"empty body", "POST", "/api/v1/rules", "", 400, "empty body", ""},
		{"body too big", "POST", "/api/v1/rules", `{"name": "` + strings.Repeat("x", maxRuleBody) + `"}`, 413, "request body over", ""},
		{"get unknown", "GET", "/api/v1/rules/nope", "", 404, `no rule with id "nope"`, ""},
		{"put unknown", "PUT", "/api/v1/rules/nope", seedErrorRule, 404, `no rule with id "nope"`, ""},
		{"delete unknown", "DELETE", "/api/v1/rules/nope", "", 404, `no rule with id "nope"`, ""},
		{"enable unknown", "POST", "/api/v1/rules/nope/enable", "", 404, `no rule with id "nope"`, ""},
		{"disable unknown", "POST", "/api/v1/rules/nope/disable", "", 404, `no rule with id "nope"`, ""},
		{"put bad rule", "PUT", "/api/v1/rules/" + id, `{"action": {"type": "delay"}}`, 400, "action.delay: missing", ""},
		{"put other id", "PUT", "/api/v1/rules/" + id, `{"id": "rule-99", "action": {"type": "timeout"}}`, 400, `id: "rule-99" is not the rule`, ""},
		{"put a list", "PUT", "/api/v1/rules/" + id, `[{"id": "rule-99", "action": {"type": "timeout"}}]`, 400, "a rule update takes one rule object, not a list", ""},
		{"put a rules document", "PUT", "/api/v1/rules/" + id, `{"rules": [{"action": {"type": "timeout"}}]}`, 400, "a rule update takes one rule object, not a list", ""},
		{"events limit", "GET", "/api/v1/events?limit=x", "", 400, "limit:", ""},
		{"method on stats", "DELETE", "/api/v1/stats", "", 405, "method DELETE not allowed", "GET, HEAD"},
		{"method on rules", "PATCH", "/api/v1/rules", "", 405, "method PATCH not allowed", "GET, HEAD, POST"},
		{"method on enable", "GET", "/api/v1/rules/" + id + "/enable", "", 405, "method GET not allowed", "POST"},
		{"unknown path", "GET", "/api/v2/rules", "", 404, "no such endpoint: GET /api/v2/rules", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, v, hdr := call(t, h, tt.method, tt.path, tt.body)
			msg, _ := v["error"].(string)
			if status != tt.wantStatus || !strings.HasPrefix(msg, tt.wantErr) {
				t.Errorf("%s %s = %d %v, want %d with an error starting %q", tt.method, tt.path, status, v, tt.wantStatus, tt.wantErr)
			}
			if got := hdr.Get("Allow"); got != tt.wantAllow {
				t.Errorf("%s %s: Allow = %q, want %q", tt.method, tt.path, got, tt.wantAllow)
			}
		})
	}
	if info, _ := e.Rule(id); info.Rule.Name != "Storage Random Error" {
		t.Errorf("a rejected PUT changed the rule: %+v", info.Rule)
	}
}
