package thirdparty

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzSplitObjectPath checks that whatever splits gives a bucket and a key
// that escape back to a path splitting the same way.
func FuzzSplitObjectPath(f *testing.F) {
	for _, s := range []string{"bkt/key", "bkt/a%2Fb", "bkt/", "/key", "b%zz/k", "bkt/a//b", "bkt/%2E%2E"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		bucket, key, ok := splitObjectPath(p)
		if !ok {
			return
		}
		if bucket == "" || key == "" {
			t.Fatalf("splitObjectPath(%q) = %q, %q, true: want both non-empty", p, bucket, key)
		}
		again := url.PathEscape(bucket) + "/" + strings.ReplaceAll(url.PathEscape(key), "%2F", "/")
		b2, k2, ok2 := splitObjectPath(again)
		if !ok2 || b2 != bucket || k2 != key {
			t.Fatalf("splitObjectPath(%q) = %q, %q; escaped back as %q it splits to %q, %q, %v", p, bucket, key, again, b2, k2, ok2)
		}
	})
}
