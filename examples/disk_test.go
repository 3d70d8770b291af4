package examples_test

import (
	"testing"

	"github.com/mocks3/mocks3"
)

// TestDiskBacked shows data surviving a server restart on the same
// directory.
func TestDiskBacked(t *testing.T) {
	dir := t.TempDir()

	first := mocks3.New(t, mocks3.WithDir(dir))
	if err := first.PutObject("state", "checkpoint.json", []byte(`{"step":41}`)); err != nil {
		t.Fatal(err)
	}
	first.Close()

	second := mocks3.New(t, mocks3.WithDir(dir))
	second.CheckObject(t, "state", "checkpoint.json", []byte(`{"step":41}`))
}
