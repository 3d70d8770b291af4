package backendtest

import (
	"fmt"
	"slices"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/suitetest"
)

func (s suite) testList(t suitetest.T) {
	// listBucket returns a backend whose testBucket holds suitetest.SortedKeys,
	// written in a scrambled order.
	listBucket := func(t suitetest.T) backend.Records {
		t.Helper()
		b := s.recordsWithBucket(t)
		n := len(suitetest.SortedKeys)
		for i := range n {
			mustPut(t, b, testBucket, fullObject(suitetest.SortedKeys[(i*7+3)%n]))
		}
		return b
	}

	t.Run("Order", func(t suitetest.T) {
		b := listBucket(t)
		got, err := b.ListObjects(t.Context(), testBucket, "", 1000)
		suitetest.CheckErr(t, "ListObjects", err, nil)
		check(t, "ListObjects keys", keysOf(got), suitetest.SortedKeys, normStrings)
		want := make([]backend.Object, len(suitetest.SortedKeys))
		for i, k := range suitetest.SortedKeys {
			want[i] = fullObject(k)
		}
		check(t, "ListObjects", got, want, normObjects)
	})

	t.Run("From", func(t suitetest.T) {
		b := listBucket(t)
		tests := []struct {
			from  string
			first int // index in suitetest.SortedKeys of the first key listed
		}{
			{"", 0},
			{"0", 0},
			{"A", 1},
			{"C", 2},
			{"a", 2},
			{"a/", 6},
			{"a/a", 7},
			{"a/b", 7},
			{"a/b\x00", 8},
			{"b", 10},
			{"ü", 13},
			{"😀", len(suitetest.SortedKeys) - 1},
			{"😀\x00", len(suitetest.SortedKeys)},
			{"\U0010FFFF", len(suitetest.SortedKeys)},
		}
		for _, tt := range tests {
			got, err := b.ListObjects(t.Context(), testBucket, tt.from, 1000)
			call := fmt.Sprintf("ListObjects(from %q)", tt.from)
			suitetest.CheckErr(t, call, err, nil)
			check(t, call+" keys", keysOf(got), suitetest.SortedKeys[tt.first:], normStrings)
		}
	})

	t.Run("Limit", func(t suitetest.T) {
		b := listBucket(t)
		n := len(suitetest.SortedKeys)
		tests := []struct{ limit, want int }{
			{1, 1}, {3, 3}, {n - 1, n - 1}, {n, n}, {n + 5, n}, {0, 0}, {-1, 0},
		}
		for _, tt := range tests {
			got, err := b.ListObjects(t.Context(), testBucket, "", tt.limit)
			call := fmt.Sprintf("ListObjects(limit %d)", tt.limit)
			suitetest.CheckErr(t, call, err, nil)
			check(t, call+" keys", keysOf(got), suitetest.SortedKeys[:tt.want], normStrings)
		}
		got, err := b.ListObjects(t.Context(), testBucket, "a/", 2)
		suitetest.CheckErr(t, "ListObjects(from a/, limit 2)", err, nil)
		check(t, "ListObjects(from a/, limit 2) keys", keysOf(got), []string{"a/", "a/b"}, normStrings)
	})

	t.Run("Pages", func(t suitetest.T) {
		b := listBucket(t)
		var all []string
		from := ""
		for page := 0; ; page++ {
			if page > len(suitetest.SortedKeys) {
				t.Fatalf("paging with limit 3 did not end after %d pages", page)
			}
			got, err := b.ListObjects(t.Context(), testBucket, from, 3)
			if err != nil {
				t.Fatalf("ListObjects(from %q, limit 3) = %v", from, err)
			}
			all = append(all, keysOf(got)...)
			if len(got) < 3 {
				break
			}
			from = got[len(got)-1].Key + "\x00"
		}
		check(t, "keys listed by pages of 3", all, suitetest.SortedKeys, normStrings)
	})

	t.Run("AfterDelete", func(t suitetest.T) {
		b := listBucket(t)
		for _, k := range []string{"a", "a/b", "😀"} {
			if _, err := b.DeleteObject(t.Context(), testBucket, k, ""); err != nil {
				t.Fatalf("DeleteObject(%q) = %v", k, err)
			}
		}
		want := slices.DeleteFunc(slices.Clone(suitetest.SortedKeys), func(k string) bool {
			return k == "a" || k == "a/b" || k == "😀"
		})
		got, err := b.ListObjects(t.Context(), testBucket, "", 1000)
		suitetest.CheckErr(t, "ListObjects", err, nil)
		check(t, "ListObjects keys after deletes", keysOf(got), want, normStrings)
	})

	t.Run("Empty", func(t suitetest.T) {
		b := s.recordsWithBucket(t)
		got, err := b.ListObjects(t.Context(), testBucket, "", 1000)
		suitetest.CheckErr(t, "ListObjects(empty bucket)", err, nil)
		check(t, "ListObjects(empty bucket)", got, nil, normObjects)
	})

	t.Run("MissingBucket", func(t suitetest.T) {
		b := s.recordsWithBucket(t)
		_, err := b.ListObjects(t.Context(), "missing", "", 1000)
		suitetest.CheckErr(t, "ListObjects(missing bucket)", err, backend.ErrBucketNotFound)
	})

	t.Run("OtherBucket", func(t suitetest.T) {
		b := listBucket(t)
		mustCreateBucket(t, b, "other")
		mustPut(t, b, "other", fullObject("a0"))
		got, err := b.ListObjects(t.Context(), "other", "", 1000)
		suitetest.CheckErr(t, "ListObjects(other)", err, nil)
		check(t, "ListObjects(other) keys", keysOf(got), []string{"a0"}, normStrings)
	})
}

func normStrings(s []string) []string { return normSlice(s, func(s string) string { return s }) }
