package backendtest

import (
	"errors"
	"fmt"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/suitetest"
)

var errAbort = errors.New("backendtest: condition failed")

func (s suite) testObjects(t suitetest.T) {
	t.Run("PutGet", func(t suitetest.T) {
		b := s.openWithBucket(t)
		keys := append(append([]string{}, suitetest.SortedKeys...), oddKeys...)
		for _, k := range keys {
			replaced, err := b.PutObject(t.Context(), testBucket, fullObject(k), nil)
			suitetest.CheckErr(t, fmt.Sprintf("PutObject(%q)", k), err, nil)
			if replaced != nil {
				t.Errorf("PutObject(%q) of a new key replaced %+v, want nil", k, *replaced)
			}
		}
		for _, k := range keys {
			got, err := b.GetObject(t.Context(), testBucket, k)
			if suitetest.CheckErr(t, fmt.Sprintf("GetObject(%q)", k), err, nil) {
				check(t, fmt.Sprintf("GetObject(%q)", k), got, fullObject(k), normObject)
			}
		}
	})

	t.Run("MinimalRecord", func(t suitetest.T) {
		b := s.openWithBucket(t)
		want := backend.Object{Key: "empty"}
		mustPut(t, b, testBucket, want)
		got, err := b.GetObject(t.Context(), testBucket, want.Key)
		suitetest.CheckErr(t, "GetObject", err, nil)
		check(t, "GetObject", got, want, normObject)
	})

	t.Run("Replace", func(t suitetest.T) {
		b := s.openWithBucket(t)
		v1 := fullObject("k")
		v2 := backend.Object{Key: "k", Size: 3, ETag: `"v2"`, LastModified: suitetest.T0, Metadata: map[string]string{"v": "2"}}
		mustPut(t, b, testBucket, v1)
		replaced, err := b.PutObject(t.Context(), testBucket, v2, nil)
		suitetest.CheckErr(t, "PutObject(v2)", err, nil)
		if replaced == nil {
			t.Errorf("PutObject(v2) replaced nil, want v1")
		} else {
			check(t, "PutObject(v2) replaced", *replaced, v1, normObject)
		}
		got, err := b.GetObject(t.Context(), testBucket, "k")
		suitetest.CheckErr(t, "GetObject", err, nil)
		check(t, "GetObject after replace", got, v2, normObject)
	})

	t.Run("GetMissing", func(t suitetest.T) {
		b := s.openWithBucket(t)
		mustPut(t, b, testBucket, fullObject("a"))
		for _, k := range []string{"b", "A", "a/", ""} {
			_, err := b.GetObject(t.Context(), testBucket, k)
			suitetest.CheckErr(t, fmt.Sprintf("GetObject(%q)", k), err, backend.ErrObjectNotFound)
		}
	})

	t.Run("ConditionSeesCurrent", func(t suitetest.T) {
		b := s.openWithBucket(t)
		calls := 0
		_, err := b.PutObject(t.Context(), testBucket, fullObject("k"), func(cur *backend.Object) error {
			calls++
			if cur != nil {
				t.Errorf("PutCondition for a new key got %+v, want nil", *cur)
			}
			return nil
		})
		suitetest.CheckErr(t, "PutObject", err, nil)
		v2 := fullObject("k")
		v2.ETag = `"v2"`
		_, err = b.PutObject(t.Context(), testBucket, v2, func(cur *backend.Object) error {
			calls++
			if cur == nil {
				t.Errorf("PutCondition for an existing key got nil, want the current record")
			} else {
				check(t, "PutCondition argument", *cur, fullObject("k"), normObject)
			}
			return nil
		})
		suitetest.CheckErr(t, "PutObject", err, nil)
		if calls != 2 {
			t.Errorf("PutCondition called %d times by 2 PutObject calls, want 2", calls)
		}
	})

	t.Run("ConditionAborts", func(t suitetest.T) {
		b := s.openWithBucket(t)
		abort := func(*backend.Object) error { return errAbort }

		replaced, err := b.PutObject(t.Context(), testBucket, fullObject("new"), abort)
		suitetest.CheckErr(t, "PutObject(new, failing condition)", err, errAbort)
		if replaced != nil {
			t.Errorf("PutObject(new, failing condition) replaced %+v, want nil", *replaced)
		}
		_, err = b.GetObject(t.Context(), testBucket, "new")
		suitetest.CheckErr(t, "GetObject after an aborted create", err, backend.ErrObjectNotFound)

		mustPut(t, b, testBucket, fullObject("k"))
		v2 := fullObject("k")
		v2.ETag = `"v2"`
		_, err = b.PutObject(t.Context(), testBucket, v2, abort)
		suitetest.CheckErr(t, "PutObject(existing, failing condition)", err, errAbort)
		got, err := b.GetObject(t.Context(), testBucket, "k")
		suitetest.CheckErr(t, "GetObject", err, nil)
		check(t, "GetObject after an aborted replace", got, fullObject("k"), normObject)
	})

	t.Run("Delete", func(t suitetest.T) {
		b := s.openWithBucket(t)
		mustPut(t, b, testBucket, fullObject("k"))
		mustPut(t, b, testBucket, fullObject("other"))
		got, err := b.DeleteObject(t.Context(), testBucket, "k")
		suitetest.CheckErr(t, "DeleteObject", err, nil)
		check(t, "DeleteObject", got, fullObject("k"), normObject)
		_, err = b.GetObject(t.Context(), testBucket, "k")
		suitetest.CheckErr(t, "GetObject(deleted)", err, backend.ErrObjectNotFound)
		_, err = b.DeleteObject(t.Context(), testBucket, "k")
		suitetest.CheckErr(t, "DeleteObject(deleted)", err, backend.ErrObjectNotFound)
		if _, err := b.GetObject(t.Context(), testBucket, "other"); err != nil {
			t.Errorf("GetObject(other) = %v after deleting another key", err)
		}
	})

	t.Run("BucketsAreSeparate", func(t suitetest.T) {
		b := s.openWithBucket(t)
		mustCreateBucket(t, b, "other")
		mustPut(t, b, testBucket, fullObject("k"))
		_, err := b.GetObject(t.Context(), "other", "k")
		suitetest.CheckErr(t, "GetObject(other bucket)", err, backend.ErrObjectNotFound)
		v := backend.Object{Key: "k", ETag: `"other"`}
		mustPut(t, b, "other", v)
		got, err := b.GetObject(t.Context(), testBucket, "k")
		suitetest.CheckErr(t, "GetObject", err, nil)
		check(t, "GetObject after a put to another bucket", got, fullObject("k"), normObject)
	})

	t.Run("Copies", s.testObjectCopies)
}

// mutate changes every reference-typed field of o in place.
func mutate(o *backend.Object) {
	for k := range o.Metadata {
		o.Metadata[k] = "mutated"
	}
	if o.Metadata != nil {
		o.Metadata["added"] = "mutated"
	}
	for i := range o.Parts {
		o.Parts[i].ETag = "mutated"
		o.Parts[i].Blob = "mutated"
	}
}

func (s suite) testObjectCopies(t suitetest.T) {
	ctx := t.Context()
	want := fullObject("k")
	stored := func(t suitetest.T, b backend.Backend, after string) {
		t.Helper()
		got, err := b.GetObject(ctx, testBucket, "k")
		if suitetest.CheckErr(t, "GetObject", err, nil) {
			check(t, "GetObject after mutating the value "+after, got, want, normObject)
		}
	}

	t.Run("Input", func(t suitetest.T) {
		b := s.openWithBucket(t)
		in := fullObject("k")
		mustPut(t, b, testBucket, in)
		mutate(&in)
		stored(t, b, "passed to PutObject")
	})
	t.Run("GetObject", func(t suitetest.T) {
		b := s.openWithBucket(t)
		mustPut(t, b, testBucket, fullObject("k"))
		got, _ := b.GetObject(ctx, testBucket, "k")
		mutate(&got)
		stored(t, b, "GetObject returned")
	})
	t.Run("ListObjects", func(t suitetest.T) {
		b := s.openWithBucket(t)
		mustPut(t, b, testBucket, fullObject("k"))
		got, _ := b.ListObjects(ctx, testBucket, "", 10)
		for i := range got {
			mutate(&got[i])
		}
		stored(t, b, "ListObjects returned")
	})
	t.Run("PutCondition", func(t suitetest.T) {
		b := s.openWithBucket(t)
		mustPut(t, b, testBucket, fullObject("k"))
		_, _ = b.PutObject(ctx, testBucket, fullObject("k"), func(cur *backend.Object) error {
			if cur != nil {
				mutate(cur)
			}
			return errAbort
		})
		stored(t, b, "PutCondition received")
	})
	t.Run("Replaced", func(t suitetest.T) {
		b := s.openWithBucket(t)
		mustPut(t, b, testBucket, fullObject("k"))
		// Replace with an equal record, then mutate what came back.
		replaced, _ := b.PutObject(ctx, testBucket, fullObject("k"), nil)
		if replaced != nil {
			mutate(replaced)
		}
		stored(t, b, "PutObject returned as replaced")
	})
}
