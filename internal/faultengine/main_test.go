package faultengine

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/mocks3/mocks3/internal/seedrules"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// The two rule bodies of the seed README's curl examples, verbatim.
var seedErrorRule, seedDelayRule = seedrules.StorageRandomError(), seedrules.MetadataDelay()
