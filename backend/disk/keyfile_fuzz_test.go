package disk

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzReadKeyFile feeds arbitrary object files of either layout to
// readKeyFile: a damaged file must be an error, never a panic, a key
// without versions or a version of another key.
func FuzzReadKeyFile(f *testing.F) {
	f.Add([]byte(`{"key":"k","versions":[{"Key":"k","VersionID":"v1"},{"Key":"k","DeleteMarker":true}]}`))
	f.Add([]byte(`{"Key":"k","Size":3,"ETag":"\"e\"","Metadata":{"a":"1"}}`))
	f.Add([]byte(`{"key":"k","versions":[]}`))
	f.Add([]byte(`{"key":"k","versions":[{"Key":"other"}]}`))
	f.Add([]byte(`{"key":"k","versions":null}`))
	f.Add([]byte(`{"Key":1}`))
	f.Add([]byte(`not json`))
	path := filepath.Join(f.TempDir(), "k.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		kf, err := readKeyFile(path)
		if err != nil {
			return
		}
		if len(kf.Versions) == 0 {
			t.Fatalf("readKeyFile(%q) = a key without versions, nil error", data)
		}
		for _, v := range kf.Versions {
			if v.Key != kf.Key {
				t.Fatalf("readKeyFile(%q) = key %q holding a version of %q, nil error", data, kf.Key, v.Key)
			}
		}
	})
}
