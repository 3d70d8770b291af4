package metadatatest

import (
	"fmt"
	"slices"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/metadata"
)

func (s suite) testList(t testingT) {
	// listBucket returns a store whose testBucket holds sortedKeys, written
	// in a scrambled order.
	listBucket := func(t testingT) metadata.Store {
		t.Helper()
		st := s.openWithBucket(t)
		n := len(sortedKeys)
		for i := range n {
			mustPut(t, st, testBucket, fullObject(sortedKeys[(i*7+3)%n]))
		}
		return st
	}

	t.Run("Order", func(t testingT) {
		st := listBucket(t)
		got, err := st.ListObjects(t.Context(), testBucket, "", 1000)
		checkErr(t, "ListObjects", err, nil)
		want := make([]backend.Object, len(sortedKeys))
		for i, k := range sortedKeys {
			want[i] = fullObject(k)
		}
		checkDiff(t, "ListObjects", want, got)
	})

	t.Run("From", func(t testingT) {
		st := listBucket(t)
		tests := []struct {
			from  string
			first int // index in sortedKeys of the first key listed
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
			{"😀", len(sortedKeys) - 1},
			{"😀\x00", len(sortedKeys)},
			{"\U0010FFFF", len(sortedKeys)},
		}
		for _, tt := range tests {
			got, err := st.ListObjects(t.Context(), testBucket, tt.from, 1000)
			call := fmt.Sprintf("ListObjects(from %q)", tt.from)
			checkErr(t, call, err, nil)
			checkKeys(t, call, sortedKeys[tt.first:], got)
		}
	})

	t.Run("Limit", func(t testingT) {
		st := listBucket(t)
		n := len(sortedKeys)
		tests := []struct{ limit, want int }{
			{1, 1}, {3, 3}, {n - 1, n - 1}, {n, n}, {n + 5, n}, {0, 0}, {-1, 0},
		}
		for _, tt := range tests {
			got, err := st.ListObjects(t.Context(), testBucket, "", tt.limit)
			call := fmt.Sprintf("ListObjects(limit %d)", tt.limit)
			checkErr(t, call, err, nil)
			checkKeys(t, call, sortedKeys[:tt.want], got)
		}
		got, err := st.ListObjects(t.Context(), testBucket, "a/", 2)
		checkErr(t, "ListObjects(from a/, limit 2)", err, nil)
		checkKeys(t, "ListObjects(from a/, limit 2)", []string{"a/", "a/b"}, got)
	})

	t.Run("Pages", func(t testingT) {
		st := listBucket(t)
		var all []string
		from := ""
		for page := 0; ; page++ {
			if page > len(sortedKeys) {
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
		checkDiff(t, "keys listed by pages of 3", sortedKeys, all)
	})

	t.Run("AfterDelete", func(t testingT) {
		st := listBucket(t)
		deleted := []string{"a", "a/b", "😀"}
		for _, k := range deleted {
			if _, err := st.DeleteObject(t.Context(), testBucket, k); err != nil {
				t.Fatalf("DeleteObject(%q) = %v", k, err)
			}
		}
		want := slices.DeleteFunc(slices.Clone(sortedKeys), func(k string) bool { return slices.Contains(deleted, k) })
		got, err := st.ListObjects(t.Context(), testBucket, "", 1000)
		checkErr(t, "ListObjects", err, nil)
		checkKeys(t, "ListObjects after deletes", want, got)
	})

	t.Run("Empty", func(t testingT) {
		st := s.openWithBucket(t)
		got, err := st.ListObjects(t.Context(), testBucket, "", 1000)
		checkErr(t, "ListObjects(empty bucket)", err, nil)
		checkKeys(t, "ListObjects(empty bucket)", nil, got)
	})

	t.Run("OtherBucket", func(t testingT) {
		st := listBucket(t)
		mustCreateBucket(t, st, "other")
		mustPut(t, st, "other", fullObject("a0"))
		got, err := st.ListObjects(t.Context(), "other", "", 1000)
		checkErr(t, "ListObjects(other)", err, nil)
		checkKeys(t, "ListObjects(other)", []string{"a0"}, got)
	})
}
