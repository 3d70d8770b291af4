package mocks3_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/mocks3/mocks3"
	"github.com/mocks3/mocks3/internal/seedrules"
)

// The rule bodies of the seed README's two curl examples, verbatim.
var seedREADMEErrorRule, seedREADMEDelayRule = seedrules.StorageRandomError(), seedrules.MetadataDelay()

// adminCall sends a request to the server's admin API (path under
// /_mocks3) and decodes the JSON answer into out, if not nil.
func adminCall(t *testing.T, srv *mocks3.Server, method, path, body string, wantStatus int, out any) {
	t.Helper()
	var header http.Header
	if body != "" {
		header = http.Header{"Content-Type": {"application/json"}}
	}
	resp, data := rawRequest(t, srv, method, "/_mocks3"+path, header, []byte(body))
	if resp.StatusCode != wantStatus {
		t.Fatalf("%s %s = %d %s, want %d", method, path, resp.StatusCode, data, wantStatus)
	}
	if ct := resp.Header.Get("Content-Type"); len(data) > 0 && ct != "application/json" {
		t.Errorf("%s %s: Content-Type %q, want application/json", method, path, ct)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("%s %s: %v in %s", method, path, err, data)
		}
	}
}

type adminRule struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Service string `json:"service"`
	Enabled bool   `json:"enabled"`
	Hits    int    `json:"hits"`
}

type adminCounts struct{ Requests, Faults, Errors int }

type adminStats struct {
	Total  adminCounts
	ByRule map[string]struct {
		Name              string
		Matches, Triggers int
	} `json:"by_rule"`
	ByService   map[string]adminCounts `json:"by_service"`
	ByOperation map[string]adminCounts `json:"by_operation"`
}

type adminEvent struct {
	RuleID    string `json:"rule_id"`
	RuleName  string `json:"rule_name"`
	Service   string `json:"service"`
	Operation string `json:"operation"`
	Bucket    string `json:"bucket"`
	Key       string `json:"key"`
	Action    string `json:"action"`
	RequestID string `json:"request_id"`
}

// TestAdminSeedREADMEExamples runs the seed README's fault curl examples
// verbatim against the S3 port's /_mocks3/ prefix.
func TestAdminSeedREADMEExamples(t *testing.T) {
	srv := mocks3.New(t)
	var added []adminRule
	for _, body := range []string{seedREADMEErrorRule, seedREADMEDelayRule} {
		var r adminRule
		adminCall(t, srv, "POST", "/api/v1/rules", body, http.StatusCreated, &r)
		if r.ID == "" || !r.Enabled {
			t.Errorf("POST /api/v1/rules = %+v, want an enabled rule with an id", r)
		}
		added = append(added, r)
	}
	var list struct{ Rules []adminRule }
	adminCall(t, srv, "GET", "/api/v1/rules", "", http.StatusOK, &list)
	want := []adminRule{
		{ID: added[0].ID, Name: "Storage Random Error", Service: "storage", Enabled: true},
		{ID: added[1].ID, Name: "Metadata Delay", Service: "metadata", Enabled: true},
	}
	if len(list.Rules) != 2 || list.Rules[0] != want[0] || list.Rules[1] != want[1] {
		t.Errorf("GET /api/v1/rules = %+v, want %+v", list.Rules, want)
	}
	if n := len(srv.Faults().Rules()); n != 2 {
		t.Errorf("srv.Faults().Rules(): %d rules, want 2", n)
	}
	var stats adminStats
	adminCall(t, srv, "GET", "/api/v1/stats", "", http.StatusOK, &stats)
	if len(stats.ByRule) != 2 || stats.ByRule[added[0].ID].Name != "Storage Random Error" {
		t.Errorf("GET /api/v1/stats by_rule = %+v, want both rules", stats.ByRule)
	}
	var events struct{ Events []adminEvent }
	adminCall(t, srv, "GET", "/api/v1/events", "", http.StatusOK, &events)
	if events.Events == nil || len(events.Events) != 0 {
		t.Errorf("GET /api/v1/events = %+v, want an empty list", events.Events)
	}
	var health struct{ Status string }
	adminCall(t, srv, "GET", "/health", "", http.StatusOK, &health)
	if health.Status != "healthy" {
		t.Errorf("GET /health status = %q, want healthy", health.Status)
	}
	var apiErr struct{ Error string }
	adminCall(t, srv, "POST", "/api/v1/rules", `{"action": {"type": "delay", "delay": "soon"}}`, http.StatusBadRequest, &apiErr)
	if !strings.HasPrefix(apiErr.Error, "action.delay:") {
		t.Errorf("a bad rule's error = %q, want one naming action.delay", apiErr.Error)
	}
}

// TestAdminRulesReachSDK adds rules over the REST API and checks that the
// SDK sees them, retrying as it does, and that stats and events say so.
func TestAdminRulesReachSDK(t *testing.T) {
	srv := mocks3.New(t, mocks3.WithBucket("bkt"))
	client := srv.Client()
	put := func(t *testing.T) error {
		t.Helper()
		_, err := client.PutObject(t.Context(), &s3.PutObjectInput{Bucket: aws.String("bkt"), Key: aws.String("k"),
			Body: bytes.NewReader([]byte("data"))})
		return err
	}
	tests := []struct {
		name       string
		rule       string
		wantCode   string
		wantStatus int
		wantEvent  adminEvent // without the rule ID and request ID
		// the service and operation whose stats count the failures
		service, operation string
	}{
		{"seed's storage error at probability 1",
			strings.Replace(seedREADMEErrorRule, `"value": 0.1`, `"value": 1.0`, 1),
			"InternalError", 500,
			adminEvent{RuleName: "Storage Random Error", Service: "storage", Operation: "Write", Bucket: "bkt", Key: "k", Action: "http_error"},
			"storage", "storage:Write"},
		{"SlowDown on every PutObject",
			`{"name": "throttle", "operation": "PutObject", "action": {"type": "http_error", "code": "SlowDown"}}`,
			"SlowDown", 503,
			adminEvent{RuleName: "throttle", Service: "gateway", Operation: "PutObject", Bucket: "bkt", Key: "k", Action: "http_error"},
			"gateway", "PutObject"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv.ResetRequests()
			adminCall(t, srv, "POST", "/api/v1/stats/reset", "", http.StatusOK, nil)
			var r adminRule
			adminCall(t, srv, "POST", "/api/v1/rules", tt.rule, http.StatusCreated, &r)
			defer adminCall(t, srv, "DELETE", "/api/v1/rules/"+r.ID, "", http.StatusNoContent, nil)

			err := put(t)
			if apiCode(err) != tt.wantCode || httpStatus(err) != tt.wantStatus {
				t.Errorf("PutObject = %v (code %q, status %d), want %s %d", err, apiCode(err), httpStatus(err), tt.wantCode, tt.wantStatus)
			}
			// The SDK's standard retryer makes 3 attempts.
			var ids []string
			for i, rec := range srv.Requests() {
				if rec.Operation != "PutObject" || rec.Status != tt.wantStatus || rec.Attempt != i+1 {
					t.Errorf("journal[%d]: %s %d attempt %d, want PutObject %d attempt %d", i, rec.Operation, rec.Status, rec.Attempt, tt.wantStatus, i+1)
				}
				ids = append(ids, rec.RequestID)
			}
			if len(ids) != 3 {
				t.Fatalf("journal: %d requests, want 3 PutObject attempts", len(ids))
			}

			var stats adminStats
			adminCall(t, srv, "GET", "/api/v1/stats", "", http.StatusOK, &stats)
			if got := stats.ByRule[r.ID].Triggers; got != 3 {
				t.Errorf("stats by_rule[%s].triggers = %d, want 3", r.ID, got)
			}
			if got := stats.ByOperation[tt.operation]; got.Faults != 3 || got.Errors != 3 {
				t.Errorf("stats by_operation[%s] = %+v, want 3 faults, 3 errors", tt.operation, got)
			}
			if got := stats.ByService[tt.service]; got.Errors != 3 {
				t.Errorf("stats by_service[%s] = %+v, want 3 errors", tt.service, got)
			}
			if got := stats.ByService["gateway"]; got.Requests != 3 || got.Errors != 3 {
				t.Errorf("stats by_service[gateway] = %+v, want 3 requests, 3 errors", got)
			}

			var events struct{ Events []adminEvent }
			adminCall(t, srv, "GET", "/api/v1/events", "", http.StatusOK, &events)
			if len(events.Events) != 3 {
				t.Fatalf("GET /api/v1/events = %+v, want 3 events", events.Events)
			}
			for i, ev := range events.Events {
				if ev.RuleID != r.ID || ev.RequestID != ids[i] {
					t.Errorf("event %d = %+v, want rule %s, request %s", i, ev, r.ID, ids[i])
				}
				ev.RuleID, ev.RequestID = "", ""
				if ev != tt.wantEvent {
					t.Errorf("event %d = %+v, want %+v", i, ev, tt.wantEvent)
				}
			}
			var got adminRule
			adminCall(t, srv, "GET", "/api/v1/rules/"+r.ID, "", http.StatusOK, &got)
			if got.Hits != 3 {
				t.Errorf("GET rule: hits %d, want 3", got.Hits)
			}

			// Disabled, the rule lets the SDK through.
			adminCall(t, srv, "POST", "/api/v1/rules/"+r.ID+"/disable", "", http.StatusOK, nil)
			if err := put(t); err != nil {
				t.Errorf("PutObject with the rule disabled = %v, want success", err)
			}
		})
	}
	srv.CheckObject(t, "bkt", "k", []byte("data"))
	if n := len(srv.Faults().Rules()); n != 0 {
		t.Errorf("%d rules left, want 0", n)
	}
}

// TestAdminPrefixVirtualHosted checks that with virtual-hosted-style
// addressing a key under "_mocks3/" is an object like any other: only a
// path-style request to the reserved prefix reaches the admin API.
func TestAdminPrefixVirtualHosted(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		srv := newServer(t)
		u, err := url.Parse(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		resolve := func(host string) (string, error) {
			if host == "localhost" || strings.HasSuffix(host, ".localhost") {
				return u.Hostname(), nil // the server's own address
			}
			return "", fmt.Errorf("unexpected host %q", host)
		}
		// The test certificate names example.com, not localhost.
		rec := newResolvingRecorder(t, srv, resolve, "example.com")
		c := srv.Client(func(o *s3.Options) {
			o.UsePathStyle = false
			o.BaseEndpoint = aws.String(u.Scheme + "://localhost:" + u.Port())
			o.HTTPClient = rec
		})
		mustCreateBucket(t, c, "bkt")
		for _, key := range []string{"_mocks3/api/v1/rules", "_mocks3", "_mocks3/health"} {
			body := []byte("object at " + key)
			mustPut(t, c, "bkt", key, body)
			if got := rec.Last(); got.host != "bkt.localhost:"+u.Port() || got.path != "/"+key {
				t.Errorf("PutObject(bkt, %s) sent to %s%s, want virtual-hosted bkt.localhost", key, got.host, got.path)
			}
			srv.CheckObject(t, "bkt", key, body)
			if _, got := mustGet(t, c, "bkt", key); !bytes.Equal(got, body) {
				t.Errorf("GetObject(bkt, %s) = %q, want %q", key, got, body)
			}
		}
		out, err := c.ListObjectsV2(t.Context(), &s3.ListObjectsV2Input{Bucket: aws.String("bkt")})
		if err != nil {
			t.Fatalf("ListObjectsV2(bkt) = %v", err)
		}
		if keys, _ := v2Names(out); len(keys) != 3 {
			t.Errorf("ListObjectsV2(bkt) = %q, want the 3 keys under _mocks3", keys)
		}

		// The admin API still answers a path-style request.
		resp, body := rawRequest(t, srv, "GET", "/_mocks3/api/v1/rules", nil, nil)
		if resp.StatusCode != 200 || !strings.Contains(string(body), `"rules"`) {
			t.Errorf("GET /_mocks3/api/v1/rules = %d %.60q, want 200 and the rule list", resp.StatusCode, body)
		}
	})
}
