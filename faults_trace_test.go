package mocks3_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/mocks3/mocks3"
	"github.com/mocks3/mocks3/faults"
)

// TestFaultTraceReplicatedWrites has a rule fire on every storage node of
// a replicated write. The nodes are written concurrently, so the request's
// fault trace is filled from several goroutines at once: run with -race.
// Each PUT's journal record names the rule once per node.
func TestFaultTraceReplicatedWrites(t *testing.T) {
	const puts = 8
	for _, tt := range []struct {
		name  string
		nodes int
		opts  []mocks3.Option
	}{
		{"embedded/2 nodes", 2, nil},
		{"embedded/3 nodes", 3, nil},
		{"stack/2 nodes", 2, []mocks3.Option{mocks3.WithStack()}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := mocks3.New(t, append(tt.opts, mocks3.WithBucket("bkt"), mocks3.WithStorageNodes(tt.nodes))...)
			hs := srv.Faults().AddT(t,
				faults.Rule{Name: "slow-write", Service: "storage", RoleOp: "Write", Action: faults.Delay(0)},
				faults.Rule{Name: "slow-gateway", Operation: "PutObject", Action: faults.Delay(0)},
			)
			c := srv.Client()
			var wg sync.WaitGroup
			for i := range puts {
				wg.Go(func() {
					if err := putBody(t.Context(), c, "bkt", fmt.Sprintf("k%d", i), []byte("v")); err != nil {
						t.Errorf("PutObject(k%d) = %v", i, err)
					}
				})
			}
			wg.Wait()

			// The gateway rule fires first, then the storage rule once per node.
			want := append([]string{hs[1].ID()}, slices.Repeat([]string{hs[0].ID()}, tt.nodes)...)
			var n int
			for _, rec := range srv.Requests() {
				if rec.Operation != "PutObject" {
					continue
				}
				n++
				if !slices.Equal(rec.Faults, want) {
					t.Errorf("PutObject(%s) journal faults = %q, want %q", rec.Key, rec.Faults, want)
				}
			}
			if n != puts {
				t.Errorf("journal has %d PutObject records, want %d", n, puts)
			}
		})
	}
}
