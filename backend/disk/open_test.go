package disk_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/mocks3/mocks3/backend/disk"
)

// TestOpenRefusesForeignTmp checks that a directory holding only a tmp/
// folder mocks3 did not create is refused, not adopted: Open empties tmp,
// which would delete the user's files.
func TestOpenRefusesForeignTmp(t *testing.T) {
	tests := []struct {
		name string
		file string // under dir
	}{
		{"file in tmp", filepath.Join("tmp", "user-file")},
		{"nested file in tmp", filepath.Join("tmp", "sub", "notes.txt")},
		{"empty tmp", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.Mkdir(filepath.Join(dir, "tmp"), 0o755); err != nil {
				t.Fatal(err)
			}
			if tt.file != "" {
				path := filepath.Join(dir, tt.file)
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte("keep me"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if d, err := disk.Open(dir); err == nil {
				d.Close()
				t.Fatalf("Open(dir with only %s) = nil error, want a refusal", filepath.Join(dir, "tmp"))
			}
			if tt.file != "" {
				if data, err := os.ReadFile(filepath.Join(dir, tt.file)); err != nil || !bytes.Equal(data, []byte("keep me")) {
					t.Errorf("after a refused Open, %s = %q, %v; want it untouched", tt.file, data, err)
				}
			}
			if _, err := os.Stat(filepath.Join(dir, "state.json")); err == nil {
				t.Errorf("a refused Open wrote state.json")
			}
		})
	}
}

// TestOpenInterruptedCreate checks that a directory left by an Open killed
// while creating it (only the half-written state file) opens again.
func TestOpenInterruptedCreate(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "state.json.tmp"), []byte(`{"for`), 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := disk.Open(dir)
	if err != nil {
		t.Fatalf("Open(dir with only state.json.tmp) = %v, want success", err)
	}
	d.Close()
	if _, err := os.Stat(filepath.Join(dir, "state.json.tmp")); !os.IsNotExist(err) {
		t.Errorf("state.json.tmp still there after Open (%v)", err)
	}
	d = open(t, dir) // and again, now that it holds state
	d.Close()
}
