package objects

import (
	"testing"
	"time"

	"github.com/mocks3/mocks3/backend"
)

func TestCheckRetentionChange(t *testing.T) {
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	gov := func(d time.Duration) backend.Retention { return backend.Retention{Mode: Governance, Until: now.Add(d)} }
	comp := func(d time.Duration) backend.Retention { return backend.Retention{Mode: Compliance, Until: now.Add(d)} }
	tests := []struct {
		name      string
		cur, next backend.Retention
		bypass    bool
		allowed   bool
	}{
		{"none to any", backend.Retention{}, comp(time.Hour), false, true},
		{"expired compliance to none", comp(-time.Second), backend.Retention{}, false, true},
		{"compliance ending now", comp(0), backend.Retention{}, false, true},
		{"extend governance", gov(time.Hour), gov(2 * time.Hour), false, true},
		{"same governance", gov(time.Hour), gov(time.Hour), false, true},
		{"shorten governance", gov(time.Hour), gov(time.Minute), false, false},
		{"shorten governance, bypass", gov(time.Hour), gov(time.Minute), true, true},
		{"remove governance", gov(time.Hour), backend.Retention{}, false, false},
		{"remove governance, bypass", gov(time.Hour), backend.Retention{}, true, true},
		{"governance to compliance", gov(time.Hour), comp(2 * time.Hour), false, false},
		{"governance to compliance, bypass", gov(time.Hour), comp(2 * time.Hour), true, true},
		{"extend compliance", comp(time.Hour), comp(2 * time.Hour), false, true},
		{"shorten compliance, bypass", comp(time.Hour), comp(time.Minute), true, false},
		{"compliance to governance, bypass", comp(time.Hour), gov(2 * time.Hour), true, false},
		{"remove compliance, bypass", comp(time.Hour), backend.Retention{}, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckRetentionChange(tt.cur, tt.next, now, tt.bypass)
			if (err == nil) != tt.allowed {
				t.Errorf("CheckRetentionChange(%+v, %+v, bypass %v) = %v, want allowed %v", tt.cur, tt.next, tt.bypass, err, tt.allowed)
			}
		})
	}
}

func TestCheckRemovable(t *testing.T) {
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		obj     backend.Object
		bypass  bool
		allowed bool
	}{
		{"unlocked", backend.Object{}, false, true},
		{"legal hold", backend.Object{LegalHold: true}, true, false},
		{"governance", backend.Object{Retention: backend.Retention{Mode: Governance, Until: now.Add(time.Hour)}}, false, false},
		{"governance, bypass", backend.Object{Retention: backend.Retention{Mode: Governance, Until: now.Add(time.Hour)}}, true, true},
		{"compliance, bypass", backend.Object{Retention: backend.Retention{Mode: Compliance, Until: now.Add(time.Hour)}}, true, false},
		{"compliance expired", backend.Object{Retention: backend.Retention{Mode: Compliance, Until: now.Add(-time.Hour)}}, false, true},
		{"delete marker", backend.Object{DeleteMarker: true, LegalHold: true}, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckRemovable(tt.obj, now, tt.bypass)
			if (err == nil) != tt.allowed {
				t.Errorf("CheckRemovable(%+v, bypass %v) = %v, want allowed %v", tt.obj, tt.bypass, err, tt.allowed)
			}
		})
	}
}
