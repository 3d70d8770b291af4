package mocks3_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/mocks3/mocks3"
	"github.com/mocks3/mocks3/faults"
	"github.com/mocks3/mocks3/s3api"
)

// TestFaultTraceReplicatedWrites has a rule fire on every storage node of
// a replicated write. The nodes are written concurrently, so the request's
// fault trace is filled from several goroutines at once: run with -race.
// Each PUT's journal record names the rule once per node.
func TestFaultTraceReplicatedWrites(t *testing.T) {
	const nodes, puts = 2, 8
	srv := mocks3.New(t, mocks3.WithBucket("bkt"), mocks3.WithStorageNodes(nodes))
	srv.Faults().AddT(t,
		faults.Rule{Name: "slow-write", Service: faults.Storage, RoleOp: faults.StorageWrite, Action: faults.Delay(0)},
		faults.Rule{Name: "slow-gateway", Operation: s3api.OpPutObject, Action: faults.Delay(0)},
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

	var n int
	for _, rec := range srv.Requests() {
		if rec.Operation != s3api.OpPutObject {
			continue
		}
		n++
		got := slices.Clone(rec.Faults)
		slices.Sort(got)
		want := []string{"rule-1", "rule-1", "rule-2"}
		if !slices.Equal(got, want) {
			t.Errorf("PutObject(%s) journal faults = %q, want %q (the storage rule once per node, the gateway rule once)", rec.Key, got, want)
		}
	}
	if n != puts {
		t.Errorf("journal has %d PutObject records, want %d", n, puts)
	}
}
