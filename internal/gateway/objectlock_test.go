package gateway

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/mocks3/mocks3/internal/s3err"

	"github.com/mocks3/mocks3/s3api"
)

func TestParseLockConfiguration(t *testing.T) {
	tests := []struct {
		name string
		body string
		want s3api.ErrorCode // "" for success
	}{
		{"enabled only", `<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled></ObjectLockConfiguration>`, ""},
		{"days", rule(`<Mode>GOVERNANCE</Mode><Days>1</Days>`), ""},
		{"years", rule(`<Mode>COMPLIANCE</Mode><Years>100</Years>`), ""},
		{"not enabled", `<ObjectLockConfiguration><ObjectLockEnabled>Disabled</ObjectLockEnabled></ObjectLockConfiguration>`, s3err.MalformedXML},
		{"no enabled", `<ObjectLockConfiguration></ObjectLockConfiguration>`, s3err.MalformedXML},
		{"not XML", `<ObjectLockConfiguration>`, s3err.MalformedXML},
		{"rule without retention", `<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule></Rule></ObjectLockConfiguration>`, s3err.MalformedXML},
		{"no mode", rule(`<Days>1</Days>`), s3err.MalformedXML},
		{"bad mode", rule(`<Mode>governance</Mode><Days>1</Days>`), s3err.MalformedXML},
		{"no period", rule(`<Mode>GOVERNANCE</Mode>`), s3err.MalformedXML},
		{"days and years", rule(`<Mode>GOVERNANCE</Mode><Days>1</Days><Years>1</Years>`), s3err.MalformedXML},
		{"days not a number", rule(`<Mode>GOVERNANCE</Mode><Days>x</Days>`), s3err.MalformedXML},
		{"zero days", rule(`<Mode>GOVERNANCE</Mode><Days>0</Days>`), s3err.InvalidArgument},
		{"negative years", rule(`<Mode>GOVERNANCE</Mode><Years>-1</Years>`), s3err.InvalidArgument},
		{"too many days", rule(`<Mode>GOVERNANCE</Mode><Days>36501</Days>`), s3err.InvalidArgument},
		{"too many years", rule(`<Mode>GOVERNANCE</Mode><Years>101</Years>`), s3err.InvalidArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseLockConfiguration([]byte(tt.body))
			if got := codeOf(err); got != tt.want {
				t.Errorf("parseLockConfiguration(%s) = %v, want code %q", tt.body, err, tt.want)
			}
		})
	}
}

func rule(retention string) string {
	return `<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention>` +
		retention + `</DefaultRetention></Rule></ObjectLockConfiguration>`
}

func codeOf(err error) s3api.ErrorCode {
	var e *s3err.Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err != nil {
		return "not an S3 error"
	}
	return ""
}

func TestParseLockHeaders(t *testing.T) {
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name             string
		mode, date, hold string
		want             s3api.ErrorCode
		wantHold         bool
	}{
		{"none", "", "", "", "", false},
		{"retention", "GOVERNANCE", "2030-01-02T00:00:00Z", "", "", false},
		{"fractional date", "COMPLIANCE", "2030-01-01T00:00:00.5Z", "", "", false},
		{"offset date in the past", "COMPLIANCE", "2030-01-01T00:30:00+01:00", "", s3err.InvalidArgument, false},
		{"hold on", "", "", "ON", "", true},
		{"hold off", "", "", "OFF", "", false},
		{"mode only", "GOVERNANCE", "", "", s3err.InvalidArgument, false},
		{"date only", "", "2030-01-02T00:00:00Z", "", s3err.InvalidArgument, false},
		{"bad mode", "Governance", "2030-01-02T00:00:00Z", "", s3err.InvalidArgument, false},
		{"past date", "COMPLIANCE", "2029-12-31T23:59:59Z", "", s3err.InvalidArgument, false},
		{"now", "COMPLIANCE", "2030-01-01T00:00:00Z", "", s3err.InvalidArgument, false},
		{"bad date", "COMPLIANCE", "tomorrow", "", s3err.InvalidArgument, false},
		{"bad hold", "", "", "on", s3err.InvalidArgument, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for k, v := range map[string]string{"x-amz-object-lock-mode": tt.mode,
				"x-amz-object-lock-retain-until-date": tt.date, "x-amz-object-lock-legal-hold": tt.hold} {
				if v != "" {
					h.Set(k, v)
				}
			}
			l, err := parseLockHeaders(h, now)
			if got := codeOf(err); got != tt.want {
				t.Fatalf("parseLockHeaders(%v) = %v, want code %q", h, err, tt.want)
			}
			if err == nil && l.legalHold != tt.wantHold {
				t.Errorf("parseLockHeaders(%v) legal hold = %v, want %v", h, l.legalHold, tt.wantHold)
			}
			if err == nil && tt.mode != "" && (l.retention.Mode != tt.mode || !l.retention.Until.After(now)) {
				t.Errorf("parseLockHeaders(%v) retention = %+v, want %s after %v", h, l.retention, tt.mode, now)
			}
		})
	}
}

// FuzzObjectLockBodies sends arbitrary bodies to the three lock operations
// that take one: each answers 2xx or 4xx, never 5xx.
func FuzzObjectLockBodies(f *testing.F) {
	f.Add(uint8(0), []byte(rule(`<Mode>GOVERNANCE</Mode><Days>1</Days>`)))
	f.Add(uint8(1), []byte(`<Retention><Mode>COMPLIANCE</Mode><RetainUntilDate>2099-01-01T00:00:00Z</RetainUntilDate></Retention>`))
	f.Add(uint8(1), []byte(`<Retention></Retention>`))
	f.Add(uint8(2), []byte(`<LegalHold><Status>ON</Status></LegalHold>`))
	f.Add(uint8(0), []byte(rule(`<Mode>GOVERNANCE</Mode><Years>99999999999999999999</Years>`)))
	targets := []string{"/lck?object-lock", "/lck/k?retention", "/lck/k?legal-hold"}
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		h := newTestHandler(t)
		r := httptest.NewRequest("PUT", "/lck", nil)
		r.Header.Set("x-amz-bucket-object-lock-enabled", "true")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusOK || serve(h, "PUT", "/lck/k", []byte("x")).Code != http.StatusOK {
			t.Fatalf("setup failed: %d %s", w.Code, w.Body)
		}
		checkClientError(t, serve(h, "PUT", targets[int(which)%len(targets)], body), body)
	})
}
