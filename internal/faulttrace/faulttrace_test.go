package faulttrace

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/mocks3/mocks3/internal/s3op"
)

func TestTrace(t *testing.T) {
	Add(context.Background(), "rule-0") // no trace: ignored, no panic
	if got := Fired(context.Background()); got != nil {
		t.Errorf("Fired(no trace) = %q, want nil", got)
	}

	req := &s3op.Request{Operation: s3op.PutObject, Attempt: 2}
	ctx := Start(context.Background(), req)
	if Request(ctx) != req || Request(context.Background()) != nil {
		t.Errorf("Request does not return the request Start was given")
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() { Add(ctx, "rule-1") })
	}
	wg.Wait()
	got := Fired(ctx)
	if want := slices.Repeat([]string{"rule-1"}, 8); !slices.Equal(got, want) {
		t.Errorf("Fired = %q, want %q", got, want)
	}
	got[0] = "changed"
	if Fired(ctx)[0] != "rule-1" {
		t.Errorf("Fired returned the trace's own slice, want a copy")
	}

	// A new trace below does not see or change the outer one.
	inner := Start(ctx, nil)
	Add(inner, "rule-2")
	if n := len(Fired(ctx)); n != 8 {
		t.Errorf("outer trace has %d rules after an inner Add, want 8", n)
	}
}

func TestBypass(t *testing.T) {
	if Bypassed(context.Background()) {
		t.Errorf("Bypassed(Background) = true")
	}
	if !Bypassed(Bypass(context.Background())) {
		t.Errorf("Bypassed(Bypass(ctx)) = false")
	}
}

func TestRemoteAddr(t *testing.T) {
	if got := RemoteAddr(context.Background()); got != "" {
		t.Errorf("RemoteAddr(no trace) = %q, want \"\"", got)
	}
	SetRemoteAddr(context.Background(), "192.0.2.1:1") // no trace: nothing to do, no panic
	ctx := Start(context.Background(), &s3op.Request{})
	SetRemoteAddr(ctx, "192.0.2.1:1")
	if got := RemoteAddr(ctx); got != "192.0.2.1:1" {
		t.Errorf("RemoteAddr() = %q, want 192.0.2.1:1", got)
	}
}
