package backendtest

import (
	"fmt"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/suitetest"
)

func (s suite) testObjects(t suitetest.T) {
	t.Run("PutGet", func(t suitetest.T) {
		b := s.recordsWithBucket(t)
		keys := append(append([]string{}, suitetest.SortedKeys...), oddKeys...)
		for _, k := range keys {
			replaced, err := b.PutObject(t.Context(), testBucket, fullObject(k), backend.Condition{})
			suitetest.CheckErr(t, fmt.Sprintf("PutObject(%q)", k), err, nil)
			if replaced != nil {
				t.Errorf("PutObject(%q) of a new key replaced %+v, want nil", k, *replaced)
			}
		}
		for _, k := range keys {
			got, err := b.GetObject(t.Context(), testBucket, k, "")
			if suitetest.CheckErr(t, fmt.Sprintf("GetObject(%q)", k), err, nil) {
				check(t, fmt.Sprintf("GetObject(%q)", k), got, fullObject(k), normObject)
			}
		}
	})

	t.Run("MinimalRecord", func(t suitetest.T) {
		b := s.recordsWithBucket(t)
		want := backend.Object{Key: "empty"}
		mustPut(t, b, testBucket, want)
		got, err := b.GetObject(t.Context(), testBucket, want.Key, "")
		suitetest.CheckErr(t, "GetObject", err, nil)
		check(t, "GetObject", got, want, normObject)
	})

	t.Run("Replace", func(t suitetest.T) {
		b := s.recordsWithBucket(t)
		v1 := fullObject("k")
		v2 := backend.Object{Key: "k", Size: 3, ETag: `"v2"`, LastModified: suitetest.T0, Metadata: map[string]string{"v": "2"}}
		mustPut(t, b, testBucket, v1)
		replaced, err := b.PutObject(t.Context(), testBucket, v2, backend.Condition{})
		suitetest.CheckErr(t, "PutObject(v2)", err, nil)
		if replaced == nil {
			t.Errorf("PutObject(v2) replaced nil, want v1")
		} else {
			check(t, "PutObject(v2) replaced", *replaced, v1, normObject)
		}
		got, err := b.GetObject(t.Context(), testBucket, "k", "")
		suitetest.CheckErr(t, "GetObject", err, nil)
		check(t, "GetObject after replace", got, v2, normObject)
	})

	// RoundTrip: records with unusual values come back as they went in,
	// through every method that returns them (a transport must not lose a
	// zero part, a huge size or a time's instant).
	t.Run("RoundTrip", func(t suitetest.T) {
		tests := []struct {
			name string
			obj  backend.Object
		}{
			{"Minimal", backend.Object{Key: "k"}},
			{"EmptyNotNil", backend.Object{Key: "k", Metadata: map[string]string{}, Parts: []backend.Part{}}},
			{"UTC", backend.Object{Key: "k", LastModified: suitetest.T0.UTC(), Size: 1 << 40}},
			{"Full", fullObject("k")},
			{"ZeroPart", backend.Object{Key: "k", Parts: []backend.Part{{}}}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t suitetest.T) {
				b := s.recordsWithBucket(t)
				mustPut(t, b, testBucket, tt.obj)
				got, err := b.GetObject(t.Context(), testBucket, tt.obj.Key, "")
				suitetest.CheckErr(t, "GetObject", err, nil)
				check(t, "GetObject", got, tt.obj, normObject)
				list, err := b.ListObjects(t.Context(), testBucket, "", 10)
				suitetest.CheckErr(t, "ListObjects", err, nil)
				check(t, "ListObjects", list, []backend.Object{tt.obj}, normObjects)
				replaced, err := b.PutObject(t.Context(), testBucket, backend.Object{Key: tt.obj.Key}, backend.Condition{})
				suitetest.CheckErr(t, "PutObject(replace)", err, nil)
				if replaced == nil {
					t.Errorf("PutObject(replace) replaced nil")
				} else {
					check(t, "PutObject(replace) replaced", *replaced, tt.obj, normObject)
				}
				mustPut(t, b, testBucket, tt.obj)
				deleted, err := b.DeleteObject(t.Context(), testBucket, tt.obj.Key, "")
				suitetest.CheckErr(t, "DeleteObject", err, nil)
				check(t, "DeleteObject", deleted, tt.obj, normObject)
			})
		}
	})

	t.Run("GetMissing", func(t suitetest.T) {
		b := s.recordsWithBucket(t)
		mustPut(t, b, testBucket, fullObject("a"))
		for _, k := range []string{"b", "A", "a/", ""} {
			_, err := b.GetObject(t.Context(), testBucket, k, "")
			suitetest.CheckErr(t, fmt.Sprintf("GetObject(%q)", k), err, backend.ErrObjectNotFound)
		}
	})

	// Conditions are checked against the record the write replaces.
	t.Run("Condition", func(t suitetest.T) {
		b := s.recordsWithBucket(t)
		v2 := fullObject("k")
		v2.ETag = `"v2"`
		tests := []struct {
			name   string
			exists bool // a record "k" with ETag "etag-1" exists
			cond   backend.Condition
			want   error
		}{
			{"IfNoneMatch, new key", false, backend.Condition{IfNoneMatch: true}, nil},
			{"IfNoneMatch, existing key", true, backend.Condition{IfNoneMatch: true}, backend.ErrPreconditionFailed},
			{"IfMatch, current ETag", true, backend.Condition{IfMatch: `"etag-1"`}, nil},
			{"IfMatch, unquoted in a list", true, backend.Condition{IfMatch: `"x", etag-1`}, nil},
			{"IfMatch, any", true, backend.Condition{IfMatch: "*"}, nil},
			{"IfMatch, other ETag", true, backend.Condition{IfMatch: `"v0"`}, backend.ErrPreconditionFailed},
			{"IfMatch, missing key", false, backend.Condition{IfMatch: "*"}, backend.ErrObjectNotFound},
		}
		for _, tt := range tests {
			b.DeleteObject(t.Context(), testBucket, "k", "")
			var before *backend.Object
			if tt.exists {
				o := fullObject("k")
				mustPut(t, b, testBucket, o)
				before = &o
			}
			replaced, err := b.PutObject(t.Context(), testBucket, v2, tt.cond)
			suitetest.CheckErr(t, "PutObject("+tt.name+")", err, tt.want)
			got, gerr := b.GetObject(t.Context(), testBucket, "k", "")
			switch {
			case tt.want == nil:
				if tt.exists && replaced == nil {
					t.Errorf("PutObject(%s) replaced nil, want the previous record", tt.name)
				}
				check(t, "GetObject after PutObject("+tt.name+")", got, v2, normObject)
			case before != nil:
				if replaced != nil {
					t.Errorf("PutObject(%s) failed but replaced %+v", tt.name, *replaced)
				}
				check(t, "GetObject after a refused PutObject("+tt.name+")", got, *before, normObject)
			default:
				suitetest.CheckErr(t, "GetObject after a refused create", gerr, backend.ErrObjectNotFound)
			}
		}
	})

	t.Run("Delete", func(t suitetest.T) {
		b := s.recordsWithBucket(t)
		mustPut(t, b, testBucket, fullObject("k"))
		mustPut(t, b, testBucket, fullObject("other"))
		got, err := b.DeleteObject(t.Context(), testBucket, "k", "")
		suitetest.CheckErr(t, "DeleteObject", err, nil)
		check(t, "DeleteObject", got, fullObject("k"), normObject)
		_, err = b.GetObject(t.Context(), testBucket, "k", "")
		suitetest.CheckErr(t, "GetObject(deleted)", err, backend.ErrObjectNotFound)
		_, err = b.DeleteObject(t.Context(), testBucket, "k", "")
		suitetest.CheckErr(t, "DeleteObject(deleted)", err, backend.ErrObjectNotFound)
		if _, err := b.GetObject(t.Context(), testBucket, "other", ""); err != nil {
			t.Errorf("GetObject(other) = %v after deleting another key", err)
		}
	})

	t.Run("BucketsAreSeparate", func(t suitetest.T) {
		b := s.recordsWithBucket(t)
		mustCreateBucket(t, b, "other")
		mustPut(t, b, testBucket, fullObject("k"))
		_, err := b.GetObject(t.Context(), "other", "k", "")
		suitetest.CheckErr(t, "GetObject(other bucket)", err, backend.ErrObjectNotFound)
		v := backend.Object{Key: "k", ETag: `"other"`}
		mustPut(t, b, "other", v)
		got, err := b.GetObject(t.Context(), testBucket, "k", "")
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
	stored := func(t suitetest.T, b backend.Records, after string) {
		t.Helper()
		got, err := b.GetObject(ctx, testBucket, "k", "")
		if suitetest.CheckErr(t, "GetObject", err, nil) {
			check(t, "GetObject after mutating the value "+after, got, want, normObject)
		}
	}

	t.Run("Input", func(t suitetest.T) {
		b := s.recordsWithBucket(t)
		in := fullObject("k")
		mustPut(t, b, testBucket, in)
		mutate(&in)
		stored(t, b, "passed to PutObject")
	})
	t.Run("GetObject", func(t suitetest.T) {
		b := s.recordsWithBucket(t)
		mustPut(t, b, testBucket, fullObject("k"))
		got, _ := b.GetObject(ctx, testBucket, "k", "")
		mutate(&got)
		stored(t, b, "GetObject returned")
	})
	t.Run("ListObjects", func(t suitetest.T) {
		b := s.recordsWithBucket(t)
		mustPut(t, b, testBucket, fullObject("k"))
		got, _ := b.ListObjects(ctx, testBucket, "", 10)
		for i := range got {
			mutate(&got[i])
		}
		stored(t, b, "ListObjects returned")
	})
	t.Run("Replaced", func(t suitetest.T) {
		b := s.recordsWithBucket(t)
		mustPut(t, b, testBucket, fullObject("k"))
		// Replace with an equal record, then mutate what came back.
		replaced, _ := b.PutObject(ctx, testBucket, fullObject("k"), backend.Condition{})
		if replaced != nil {
			mutate(replaced)
		}
		stored(t, b, "PutObject returned as replaced")
	})
}
