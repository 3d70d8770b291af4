package suitetest

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"testing"
)

// Record runs suite against a T that records failures instead of failing
// outer, and returns them, each as "path: message" with path the subtest's
// as in "/Group/Subtest". If only is not empty, Run at the root runs only
// the top-level subtest of that name. Each subtest runs in a goroutine of
// its own, Fatalf ends it as testing.T's does, and when it ends its
// context is cancelled and its cleanups run, last first. Skipf ends it
// too, recording nothing. TempDir is outer's.
func Record(outer testing.TB, only string, suite func(t T)) []string {
	rep := &report{}
	root := newRecorder(outer, "", rep)
	root.only = only
	suite(root)
	root.finish()
	return rep.failures
}

// recorder is the T Record runs a suite against.
type recorder struct {
	outer testing.TB
	path  string // "/Group/Subtest"
	rep   *report
	only  string // at the root: run only this top-level group, if set

	ctx    context.Context
	cancel context.CancelFunc

	// mu guards failed and cleanups.
	mu       sync.Mutex
	failed   bool
	cleanups []func()
}

// report collects the failures of one run of a suite.
type report struct {
	mu       sync.Mutex // guards failures
	failures []string   // "path: message"
}

func newRecorder(outer testing.TB, path string, rep *report) *recorder {
	ctx, cancel := context.WithCancel(context.Background())
	return &recorder{outer: outer, path: path, rep: rep, ctx: ctx, cancel: cancel}
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	r.failed = true
	r.mu.Unlock()
	r.rep.mu.Lock()
	r.rep.failures = append(r.rep.failures, r.path+": "+fmt.Sprintf(format, args...))
	r.rep.mu.Unlock()
}

func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	runtime.Goexit() // like testing.T: ends the subtest's goroutine
}

// Skipf ends the subtest like Fatalf without failing it: a skip is not a
// failure, so it is not recorded.
func (r *recorder) Skipf(format string, args ...any) {
	runtime.Goexit()
}

func (r *recorder) Cleanup(f func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.cleanups = append(r.cleanups, f)
}

func (r *recorder) TempDir() string          { return r.outer.TempDir() }
func (r *recorder) Context() context.Context { return r.ctx }

func (r *recorder) hasFailed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.failed
}

func (r *recorder) Run(name string, f func(t T)) bool {
	if r.path == "" && r.only != "" && name != r.only {
		return true
	}
	child := newRecorder(r.outer, r.path+"/"+name, r.rep)
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer child.finish()
		f(child)
	}()
	<-done
	failed := child.hasFailed()
	if failed {
		r.mu.Lock()
		r.failed = true
		r.mu.Unlock()
	}
	return !failed
}

// finish cancels the context and runs cleanups, last first, as testing does.
func (r *recorder) finish() {
	r.cancel()
	r.mu.Lock()
	cleanups := r.cleanups
	r.mu.Unlock()
	for _, f := range slices.Backward(cleanups) {
		f()
	}
}
