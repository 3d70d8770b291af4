// Package suitetest is the scaffolding the contract suites share
// (backend/backendtest, internal/queue/queuetest,
// internal/thirdparty/thirdpartytest): the part of *testing.T a suite runs
// against, the adapter from *testing.T, a recording T for the suites' own
// tests, and helpers every suite uses.
package suitetest

import (
	"context"
	"testing"
)

// T is the part of *testing.T the suites use. A suite runs against it
// rather than *testing.T so that its own tests can record the failures it
// reports against deliberately broken implementations without failing
// themselves (see Record).
type T interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
	Skipf(format string, args ...any)
	Cleanup(f func())
	TempDir() string
	Context() context.Context
	Run(name string, f func(t T)) bool
}

// Adapt returns t as a T.
func Adapt(t *testing.T) T { return realT{t} }

// Testing returns the *testing.T that t adapts. It panics unless t came
// from Adapt (or a subtest of one).
func Testing(t T) *testing.T { return t.(realT).T }

// realT adapts *testing.T to T.
type realT struct{ *testing.T }

func (r realT) Run(name string, f func(t T)) bool {
	return r.T.Run(name, func(t *testing.T) { f(realT{t}) })
}
