package main

import (
	"context"
	"io"
	"testing"

	"github.com/mocks3/mocks3/internal/badinput"
)

// TestBadInputCorpus replays testdata/badinput against the standalone
// server, with the flags' production-like connection limits in force.
func TestBadInputCorpus(t *testing.T) {
	cases, err := badinput.Load("../../testdata/badinput")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	urls := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "-addr", "127.0.0.1:0", "-bucket", "bkt", "-dir", t.TempDir()}, io.Discard, func(u string) { urls <- u })
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	}()
	select {
	case u := <-urls:
		badinput.Run(t, u, nil, cases)
	case err := <-done:
		t.Fatalf("run: %v", err)
	}
}
