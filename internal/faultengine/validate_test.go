package faultengine

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/mocks3/mocks3/faults"
)

// TestNegativeAttemptAtMost: a negative count is refused, naming the field.
func TestNegativeAttemptAtMost(t *testing.T) {
	_, err := New(Config{}).Add(faults.Rule{AttemptAtMost: -1, Action: faults.ErrorCode("InternalError")})
	if err == nil || !strings.Contains(err.Error(), "attempt_at_most: -1 is negative") {
		t.Errorf("Add(AttemptAtMost: -1) = %v, want an error naming attempt_at_most", err)
	}
}

// fatalTB records what AddT reports instead of failing the test.
type fatalTB struct {
	testing.TB
	mu       sync.Mutex
	fatal    string
	cleanups []func()
}

func (f *fatalTB) Helper() {}

func (f *fatalTB) Fatalf(format string, args ...any) {
	f.mu.Lock()
	f.fatal = fmt.Sprintf(format, args...)
	f.mu.Unlock()
	runtime.Goexit()
}

func (f *fatalTB) Cleanup(fn func()) { f.cleanups = append(f.cleanups, fn) }

// TestAddTRejectsUnknownOperation: AddT fails the test on a name that
// would never match, listing the valid ones.
func TestAddTRejectsUnknownOperation(t *testing.T) {
	e := New(Config{})
	tb := &fatalTB{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		e.AddT(tb, faults.Rule{Operation: "getobject", Action: faults.ErrorCode("InternalError")})
	}()
	<-done
	if !strings.Contains(tb.fatal, `did you mean "GetObject"?`) || !strings.Contains(tb.fatal, "HeadBucket, HeadObject") {
		t.Errorf("AddT(Operation: getobject) failed the test with %q, want the valid names", tb.fatal)
	}
	if n := len(e.Rules()); n != 0 {
		t.Errorf("%d rules after a refused AddT, want 0", n)
	}
}
