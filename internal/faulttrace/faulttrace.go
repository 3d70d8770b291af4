// Package faulttrace carries what the fault layers need to know of the S3
// request they act for: the request as the router identified it, whether
// faults are bypassed (seeding and inspection), and the rules that fire
// while it is served, from the layers that apply them up to the request
// journal. As with net/http/httptrace, the trace travels in the request's
// context and belongs to that request alone: the layers below only add to
// it, and it is safe for the goroutines the request starts (a replicated
// write calls its storage nodes at once, each of which may fire a rule).
package faulttrace

import (
	"context"
	"slices"
	"sync"

	"github.com/mocks3/mocks3/internal/s3op"
)

// trace is the rules fired for one request, in the order they fired.
type trace struct {
	req *s3op.Request
	// remoteAddr is the client's address (http.Request.RemoteAddr), for
	// the event messages the request's writes make.
	remoteAddr string

	mu    sync.Mutex // guards fired
	fired []string
}

type (
	key       struct{}
	bypassKey struct{}
)

// Start returns ctx with a new, empty trace for req; the request that owns
// ctx reads it back with Fired when it ends.
func Start(ctx context.Context, req *s3op.Request) context.Context {
	return context.WithValue(ctx, key{}, &trace{req: req})
}

// Request returns the S3 request ctx serves, or nil.
func Request(ctx context.Context) *s3op.Request {
	t, _ := ctx.Value(key{}).(*trace)
	if t == nil {
		return nil
	}
	return t.req
}

// SetRemoteAddr records the client's address (http.Request.RemoteAddr)
// in the trace of ctx, if any. Call it before the request is served.
func SetRemoteAddr(ctx context.Context, addr string) {
	if t, _ := ctx.Value(key{}).(*trace); t != nil {
		t.remoteAddr = addr
	}
}

// RemoteAddr returns the address SetRemoteAddr recorded, or "".
func RemoteAddr(ctx context.Context) string {
	if t, _ := ctx.Value(key{}).(*trace); t != nil {
		return t.remoteAddr
	}
	return ""
}

// Bypass marks ctx so that the fault engine leaves the role calls made
// under it alone: seeding and inspection must not trip test faults.
func Bypass(ctx context.Context) context.Context {
	return context.WithValue(ctx, bypassKey{}, true)
}

// Bypassed reports whether ctx was marked by Bypass.
func Bypassed(ctx context.Context) bool { return ctx.Value(bypassKey{}) != nil }

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
