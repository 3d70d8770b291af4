package metadatatest

import (
	"fmt"
	"slices"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/metadata"
	"github.com/mocks3/mocks3/internal/suitetest"
)

func (s suite) testList(t suitetest.T) {
	// listBucket returns a store whose testBucket holds suitetest.SortedKeys, written
	// in a scrambled order.
	listBucket := func(t suitetest.T) metadata.Store {
		t.Helper()
		st := s.openWithBucket(t)
		n := len(suitetest.SortedKeys)
		for i := range n {
			mustPut(t, st, testBucket, fullObject(suitetest.SortedKeys[(i*7+3)%n]))
		}
		return st
	}

	t.Run("Order", func(t suitetest.T) {
		st := listBucket(t)
		got, err := st.ListObjects(t.Context(), testBucket, "", 1000)
		suitetest.CheckErr(t, "ListObjects", err, nil)
		want := make([]backend.Object, len(suitetest.SortedKeys))
		for i, k := range suitetest.SortedKeys {
			want[i] = fullObject(k)
		}
		checkDiff(t, "ListObjects", want, got)
	})

	t.Run("From", func(t suitetest.T) {
		st := listBucket(t)
		tests := []struct {
			from  string
			first int // index in suitetest.SortedKeys of the first key listed
		}{
			{"", 0},
			{"0", 0},
			{"A", 1},
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
			got, err := st.ListObjects(t.Context(), testBucket, tt.from, 1000)
			call := fmt.Sprintf("ListObjects(from %q)", tt.from)
			suitetest.CheckErr(t, call, err, nil)
			checkKeys(t, call, suitetest.SortedKeys[tt.first:], got)
		}
	})

	t.Run("Limit", func(t suitetest.T) {
		st := listBucket(t)
		n := len(suitetest.SortedKeys)
		tests := []struct{ limit, want int }{
			{1, 1}, {3, 3}, {n - 1, n - 1}, {n, n}, {n + 5, n}, {0, 0}, {-1, 0},
		}
		for _, tt := range tests {
			got, err := st.ListObjects(t.Context(), testBucket, "", tt.limit)
			call := fmt.Sprintf("ListObjects(limit %d)", tt.limit)
			suitetest.CheckErr(t, call, err, nil)
			checkKeys(t, call, suitetest.SortedKeys[:tt.want], got)
		}
		got, err := st.ListObjects(t.Context(), testBucket, "a/", 2)
		suitetest.CheckErr(t, "ListObjects(from a/, limit 2)", err, nil)
		checkKeys(t, "ListObjects(from a/, limit 2)", []string{"a/", "a/b"}, got)
	})

	t.Run("Pages", func(t suitetest.T) {
		st := listBucket(t)
		var all []string
		from := ""
		for page := 0; ; page++ {
			if page > len(suitetest.SortedKeys) {
				t.Fatalf("paging with limit 3 did not end after %d pages", page)
			}
			got, err := st.ListObjects(t.Context(), testBucket, from, 3)
			if err != nil {
				t.Fatalf("ListObjects(from %q, limit 3) = %v", from, err)
			}
			for _, o := range got {
				all = append(all, o.Key)
			}
			if len(got) < 3 {
				break
			}
			from = got[len(got)-1].Key + "\x00"
		}
		checkDiff(t, "keys listed by pages of 3", suitetest.SortedKeys, all)
	})

	t.Run("AfterDelete", func(t suitetest.T) {
		st := listBucket(t)
		deleted := []string{"a", "a/b", "😀"}
		for _, k := range deleted {
			if _, err := st.DeleteObject(t.Context(), testBucket, k); err != nil {
				t.Fatalf("DeleteObject(%q) = %v", k, err)
			}
		}
		want := slices.DeleteFunc(slices.Clone(suitetest.SortedKeys), func(k string) bool { return slices.Contains(deleted, k) })
		got, err := st.ListObjects(t.Context(), testBucket, "", 1000)
		suitetest.CheckErr(t, "ListObjects", err, nil)
		checkKeys(t, "ListObjects after deletes", want, got)
	})

	t.Run("Empty", func(t suitetest.T) {
		st := s.openWithBucket(t)
		got, err := st.ListObjects(t.Context(), testBucket, "", 1000)
		suitetest.CheckErr(t, "ListObjects(empty bucket)", err, nil)
		checkKeys(t, "ListObjects(empty bucket)", nil, got)
	})

	t.Run("OtherBucket", func(t suitetest.T) {
		st := listBucket(t)
		mustCreateBucket(t, st, "other")
		mustPut(t, st, "other", fullObject("a0"))
		got, err := st.ListObjects(t.Context(), "other", "", 1000)
		suitetest.CheckErr(t, "ListObjects(other)", err, nil)
		checkKeys(t, "ListObjects(other)", []string{"a0"}, got)
	})
}
