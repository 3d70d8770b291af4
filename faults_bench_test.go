package mocks3_test

import (
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/mocks3/mocks3"
	"github.com/mocks3/mocks3/faults"
)

// BenchmarkFaultOverhead measures a 1 KiB GetObject with 0, 10 and 100 rules
// that never match it, over the in-memory transport (no TCP, so the
// engine's share shows most) and over HTTP. Compare the ns/op of the three
// rule counts in one run.
func BenchmarkFaultOverhead(b *testing.B) {
	for _, n := range []int{0, 10, 100} {
		b.Run(fmt.Sprintf("rules=%d", n), func(b *testing.B) {
			var rules []faults.Rule
			for i := range n {
				// Alternate shapes so the walk cannot stop at the first check.
				r := faults.Rule{Operation: "PutObject", Action: faults.ErrorCode("InternalError")}
				if i%2 == 1 {
					r = faults.Rule{Bucket: fmt.Sprintf("other-%d", i), Action: faults.ErrorCode("SlowDown")}
				}
				rules = append(rules, r)
			}
			for _, via := range []struct {
				name string
				opts []mocks3.Option
			}{{"memory", []mocks3.Option{mocks3.WithInMemoryTransport()}}, {"http", nil}} {
				b.Run("via="+via.name, func(b *testing.B) {
					srv := mocks3.New(b, append(via.opts, mocks3.WithObject("bkt", "k", make([]byte, 1024)), mocks3.WithFaults(rules...))...)
					c := srv.HTTPClient()
					b.ReportAllocs()
					for b.Loop() {
						resp, err := c.Get(srv.URL + "/bkt/k")
						if err != nil {
							b.Fatal(err)
						}
						io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
						if resp.StatusCode != http.StatusOK {
							b.Fatalf("status %d", resp.StatusCode)
						}
					}
				})
			}
		})
	}
}
