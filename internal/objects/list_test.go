package objects

import (
	"context"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mocks3/mocks3/backend/memory"
)

// naiveList is the reference: every key and common prefix after `after`,
// computed over the whole key set.
func naiveList(keys []string, prefix, delim, after string) (entries []string) {
	seen := map[string]bool{}
	sort.Strings(keys)
	for _, k := range keys {
		if !strings.HasPrefix(k, prefix) {
			continue
		}
		e := k
		if delim != "" {
			if i := strings.Index(k[len(prefix):], delim); i >= 0 {
				e = k[:len(prefix)+i+len(delim)]
			}
		}
		if e <= after || seen[e] {
			continue
		}
		seen[e] = true
		entries = append(entries, e)
	}
	return entries
}

func TestListPagingMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"a", "b", "/", "-", "é", "\U0010FFFF", "a/"}
	b := memory.New()
	t.Cleanup(func() { b.Close() })
	s := New(Config{Metadata: b, Storage: b})
	ctx := context.Background()
	if err := s.EnsureBucket(ctx, "list-bucket"); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for range 200 {
		var sb strings.Builder
		for range 1 + rng.IntN(6) {
			sb.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		k := sb.String()
		if slices.Contains(keys, k) {
			continue
		}
		keys = append(keys, k)
		if _, err := s.SeedObject(ctx, "list-bucket", k, strings.NewReader(k), ""); err != nil {
			t.Fatal(err)
		}
	}
	for _, prefix := range []string{"", "a", "a/", "b/a", "é"} {
		for _, delim := range []string{"", "/", "a/", "-"} {
			for _, max := range []int{1, 2, 7, 1000} {
				want := naiveList(keys, prefix, delim, "")
				var got []string
				in := ListInput{Prefix: prefix, Delimiter: delim, Max: max}
				for page := 0; ; page++ {
					if page > len(keys)+1 {
						t.Fatalf("list(%q, %q, max %d) does not terminate", prefix, delim, max)
					}
					out, err := s.List(ctx, "list-bucket", in)
					if err != nil {
						t.Fatal(err)
					}
					if n := len(out.Objects) + len(out.Prefixes); n > max || (out.Truncated && n == 0) {
						t.Fatalf("list(%q, %q, max %d) page %d has %d entries, truncated %v", prefix, delim, max, page, n, out.Truncated)
					}
					var pageEntries []string
					for _, o := range out.Objects {
						pageEntries = append(pageEntries, o.Key)
					}
					pageEntries = append(pageEntries, out.Prefixes...)
					sort.Strings(pageEntries)
					got = append(got, pageEntries...)
					if !out.Truncated {
						break
					}
					in.After = out.Last
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("list(prefix %q, delimiter %q, max %d) mismatch (-want +got):\n%s", prefix, delim, max, diff)
				}
			}
		}
	}
}

func TestSuccessor(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a/", "a0"},
		{"a\xff", "b"},
		{"\xff\xff", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := successor(tt.in); got != tt.want {
			t.Errorf("successor(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCommonPrefix(t *testing.T) {
	tests := []struct {
		key, prefix, delimiter string
		want                   string
		wantOK                 bool
	}{
		{"a/b/c", "", "/", "a/", true},
		{"a/b/c", "a/", "/", "a/b/", true},
		{"a/b", "a/", "/", "", false},
		{"a/b", "", "", "", false},
		{"photos--2026--x", "photos", "--", "photos--", true},
		{"p/x", "p/", "x", "p/x", true},
	}
	for _, tt := range tests {
		if got, ok := CommonPrefix(tt.key, tt.prefix, tt.delimiter); got != tt.want || ok != tt.wantOK {
			t.Errorf("CommonPrefix(%q, %q, %q) = %q, %v, want %q, %v", tt.key, tt.prefix, tt.delimiter, got, ok, tt.want, tt.wantOK)
		}
	}
}
