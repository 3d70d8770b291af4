package suitetest

import (
	"testing"

	"go.uber.org/goleak"
)

// The recorder runs each subtest on a goroutine of its own.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
