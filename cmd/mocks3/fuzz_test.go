package main

import (
	"encoding/json"
	"testing"

	"github.com/mocks3/mocks3/faults"
)

// FuzzYAMLRules feeds arbitrary YAML through the -faults path: it must never
// panic, and what converts must be valid JSON for the one rule parser.
func FuzzYAMLRules(f *testing.F) {
	f.Add([]byte("name: x\nservice: storage-service\naction:\n  type: http_error\n  http_code: 500\n"))
	f.Add([]byte("- name: a\n  action: {type: delay, delay: 2s}\n"))
	f.Add([]byte("? [a]\n: b\n"))
	f.Add([]byte(".nan"))
	f.Fuzz(func(t *testing.T, data []byte) {
		js, err := yamlToJSON(data)
		if err != nil {
			return
		}
		if !json.Valid(js) {
			t.Fatalf("yamlToJSON(%q) = %q, not JSON", data, js)
		}
		_, _ = faults.ParseRules(js)
	})
}
