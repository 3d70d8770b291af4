package mocks3_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/mocks3/mocks3"
	"github.com/mocks3/mocks3/faults"
)

// BenchmarkFaultOverhead measures a 1 KiB GetObject through the server's
// handler (no network, so the engine's share is visible) with 0, 10 and 100
// rules that never match it. Compare the ns/op of the three in one run.
func BenchmarkFaultOverhead(b *testing.B) {
	for _, n := range []int{0, 10, 100} {
		b.Run(fmt.Sprintf("rules=%d", n), func(b *testing.B) {
			var rules []faults.Rule
			for i := range n {
				// Alternate shapes so the walk cannot stop at the first check.
				r := faults.Rule{Operation: "PutObject", Action: faults.InternalError()}
				if i%2 == 1 {
					r = faults.Rule{Bucket: fmt.Sprintf("other-%d", i), Action: faults.SlowDown()}
				}
				rules = append(rules, r)
			}
			srv := mocks3.New(b, mocks3.WithObject("bkt", "k", make([]byte, 1024)), mocks3.WithFaults(rules...))
			h := srv.Handler()
			req := httptest.NewRequest(http.MethodGet, "/bkt/k", nil)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("status %d", w.Code)
				}
			}
		})
	}
}
