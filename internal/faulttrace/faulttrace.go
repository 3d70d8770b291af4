// Package faulttrace carries the fault rules that fire while one S3
// request is served, from the layers that apply them up to the request
// journal. As with net/http/httptrace, the trace travels in the request's
// context and belongs to that request alone: the layers below only add to
// it, and it is safe for the goroutines the request starts (a replicated
// write calls its storage nodes at once, each of which may fire a rule).
package faulttrace

import (
	"context"
	"slices"
	"sync"
)

// trace is the rules fired for one request, in the order they fired.
type trace struct {
	mu    sync.Mutex // guards fired
	fired []string
}

type key struct{}

// Start returns ctx with a new, empty trace; the request that owns ctx
// reads it back with Fired when it ends.
func Start(ctx context.Context) context.Context {
	return context.WithValue(ctx, key{}, new(trace))
}

// Add records that rule fired for the request ctx serves. Without a trace
// in ctx (a call made outside any S3 request) it does nothing.
func Add(ctx context.Context, rule string) {
	t, _ := ctx.Value(key{}).(*trace)
	if t == nil {
		return
	}
	t.mu.Lock()
	t.fired = append(t.fired, rule)
	t.mu.Unlock()
}

// Fired returns a copy of the rules fired so far for the request ctx
// serves, or nil.
func Fired(ctx context.Context) []string {
	t, _ := ctx.Value(key{}).(*trace)
	if t == nil {
		return nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return slices.Clone(t.fired)
}
