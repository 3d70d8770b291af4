package metadatatest

import (
	"fmt"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/metadata"
	"github.com/mocks3/mocks3/internal/suitetest"
)

func (s suite) testObjects(t suitetest.T) {
	t.Run("PutGet", func(t suitetest.T) {
		st := s.openWithBucket(t)
		keys := append(append([]string{}, suitetest.SortedKeys...), oddKeys...)
		for _, k := range keys {
			replaced, err := st.PutObject(t.Context(), testBucket, fullObject(k), metadata.Condition{})
			suitetest.CheckErr(t, fmt.Sprintf("PutObject(%q)", k), err, nil)
			if replaced != nil {
				t.Errorf("PutObject(%q) of a new key replaced %+v, want nil", k, *replaced)
			}
		}
		for _, k := range keys {
			got, err := st.GetObject(t.Context(), testBucket, k)
			if suitetest.CheckErr(t, fmt.Sprintf("GetObject(%q)", k), err, nil) {
				checkDiff(t, fmt.Sprintf("GetObject(%q)", k), fullObject(k), got)
			}
		}
	})

	// Records come back as stored, nil and empty maps and slices included.
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
				st := s.openWithBucket(t)
				mustPut(t, st, testBucket, tt.obj)
				got, err := st.GetObject(t.Context(), testBucket, tt.obj.Key)
				if suitetest.CheckErr(t, "GetObject", err, nil) {
					checkDiff(t, "GetObject", tt.obj, got)
				}
				list, err := st.ListObjects(t.Context(), testBucket, "", 10)
				if suitetest.CheckErr(t, "ListObjects", err, nil) {
					checkDiff(t, "ListObjects", []backend.Object{tt.obj}, list)
				}
				replaced, err := st.PutObject(t.Context(), testBucket, backend.Object{Key: tt.obj.Key}, metadata.Condition{})
				if suitetest.CheckErr(t, "PutObject(replace)", err, nil) {
					checkDiff(t, "PutObject(replace) replaced", &tt.obj, replaced)
				}
				mustPut(t, st, testBucket, tt.obj)
				deleted, err := st.DeleteObject(t.Context(), testBucket, tt.obj.Key)
				if suitetest.CheckErr(t, "DeleteObject", err, nil) {
					checkDiff(t, "DeleteObject", tt.obj, deleted)
				}
			})
		}
	})

	t.Run("Replace", func(t suitetest.T) {
		st := s.openWithBucket(t)
		v1 := fullObject("k")
		v2 := backend.Object{Key: "k", Size: 3, ETag: `"v2"`, LastModified: suitetest.T0, Metadata: map[string]string{"v": "2"}}
		mustPut(t, st, testBucket, v1)
		replaced, err := st.PutObject(t.Context(), testBucket, v2, metadata.Condition{})
		suitetest.CheckErr(t, "PutObject(v2)", err, nil)
		checkDiff(t, "PutObject(v2) replaced", &v1, replaced)
		got, err := st.GetObject(t.Context(), testBucket, "k")
		if suitetest.CheckErr(t, "GetObject", err, nil) {
			checkDiff(t, "GetObject after replace", v2, got)
		}
	})

	t.Run("GetMissing", func(t suitetest.T) {
		st := s.openWithBucket(t)
		mustPut(t, st, testBucket, fullObject("a"))
		for _, k := range []string{"b", "A", "a/", "a ", ""} {
			_, err := st.GetObject(t.Context(), testBucket, k)
			suitetest.CheckErr(t, fmt.Sprintf("GetObject(%q)", k), err, backend.ErrObjectNotFound)
		}
	})

	t.Run("Delete", func(t suitetest.T) {
		st := s.openWithBucket(t)
		mustPut(t, st, testBucket, fullObject("k"))
		mustPut(t, st, testBucket, fullObject("other"))
		got, err := st.DeleteObject(t.Context(), testBucket, "k")
		if suitetest.CheckErr(t, "DeleteObject", err, nil) {
			checkDiff(t, "DeleteObject", fullObject("k"), got)
		}
		_, err = st.GetObject(t.Context(), testBucket, "k")
		suitetest.CheckErr(t, "GetObject(deleted)", err, backend.ErrObjectNotFound)
		_, err = st.DeleteObject(t.Context(), testBucket, "k")
		suitetest.CheckErr(t, "DeleteObject(deleted)", err, backend.ErrObjectNotFound)
		if _, err := st.GetObject(t.Context(), testBucket, "other"); err != nil {
			t.Errorf("GetObject(other) = %v after deleting another key", err)
		}
	})

	t.Run("BucketsAreSeparate", func(t suitetest.T) {
		st := s.openWithBucket(t)
		mustCreateBucket(t, st, "other")
		mustPut(t, st, testBucket, fullObject("k"))
		_, err := st.GetObject(t.Context(), "other", "k")
		suitetest.CheckErr(t, "GetObject(other bucket)", err, backend.ErrObjectNotFound)
		v := backend.Object{Key: "k", ETag: `"other"`}
		mustPut(t, st, "other", v)
		got, err := st.GetObject(t.Context(), testBucket, "k")
		if suitetest.CheckErr(t, "GetObject", err, nil) {
			checkDiff(t, "GetObject after a put to another bucket", fullObject("k"), got)
		}
	})

	t.Run("Copies", func(t suitetest.T) {
		st := s.openWithBucket(t)
		in := fullObject("k")
		mustPut(t, st, testBucket, in)
		mutate(&in)
		got, _ := st.GetObject(t.Context(), testBucket, "k")
		mutate(&got)
		list, _ := st.ListObjects(t.Context(), testBucket, "", 10)
		for i := range list {
			mutate(&list[i])
		}
		got, err := st.GetObject(t.Context(), testBucket, "k")
		if suitetest.CheckErr(t, "GetObject", err, nil) {
			checkDiff(t, "GetObject after mutating values passed in and returned", fullObject("k"), got)
		}
	})
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
	}
}

// testConditions checks PutObject's Condition: whether the write happens,
// its error, what it reports replaced, and what is stored afterwards.
func (s suite) testConditions(t suitetest.T) {
	cur := fullObject("k") // ETag "etag-1"
	next := backend.Object{Key: "k", Size: 2, ETag: `"etag-2"`, LastModified: suitetest.T0, Metadata: map[string]string{"v": "2"}}
	tests := []struct {
		name    string
		current *backend.Object // stored before the write; nil: absent
		cond    metadata.Condition
		wantErr error
	}{
		{"None/Absent", nil, metadata.Condition{}, nil},
		{"None/Present", &cur, metadata.Condition{}, nil},
		{"IfNoneMatch/Absent", nil, metadata.Condition{IfNoneMatch: true}, nil},
		{"IfNoneMatch/Present", &cur, metadata.Condition{IfNoneMatch: true}, metadata.ErrPreconditionFailed},
		{"IfMatch/Absent", nil, metadata.Condition{IfMatch: `"etag-1"`}, backend.ErrObjectNotFound},
		{"IfMatchAny/Absent", nil, metadata.Condition{IfMatch: "*"}, backend.ErrObjectNotFound},
		{"IfMatch/Mismatch", &cur, metadata.Condition{IfMatch: `"etag-2"`}, metadata.ErrPreconditionFailed},
		{"IfMatch/Match", &cur, metadata.Condition{IfMatch: `"etag-1"`}, nil},
		{"IfMatch/Unquoted", &cur, metadata.Condition{IfMatch: `etag-1`}, nil},
		{"IfMatch/List", &cur, metadata.Condition{IfMatch: `"x", "etag-1"`}, nil},
		{"IfMatch/ListMismatch", &cur, metadata.Condition{IfMatch: `"x", "y"`}, metadata.ErrPreconditionFailed},
		{"IfMatchAny/Present", &cur, metadata.Condition{IfMatch: "*"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t suitetest.T) {
			st := s.openWithBucket(t)
			if tt.current != nil {
				mustPut(t, st, testBucket, *tt.current)
			}
			call := fmt.Sprintf("PutObject(%+v)", tt.cond)
			replaced, err := st.PutObject(t.Context(), testBucket, next, tt.cond)
			suitetest.CheckErr(t, call, err, tt.wantErr)

			wantStored := tt.current
			if tt.wantErr == nil {
				checkDiff(t, call+" replaced", tt.current, replaced)
				wantStored = &next
			} else if replaced != nil {
				t.Errorf("%s = %+v, %v; want nil replaced on error", call, *replaced, err)
			}
			got, err := st.GetObject(t.Context(), testBucket, "k")
			if wantStored == nil {
				suitetest.CheckErr(t, "GetObject after "+call, err, backend.ErrObjectNotFound)
			} else if suitetest.CheckErr(t, "GetObject after "+call, err, nil) {
				checkDiff(t, "GetObject after "+call, *wantStored, got)
			}
		})
	}

	t.Run("MissingBucket", func(t suitetest.T) {
		st := s.open(t)
		for _, cond := range []metadata.Condition{{IfNoneMatch: true}, {IfMatch: "*"}} {
			_, err := st.PutObject(t.Context(), "missing", next, cond)
			suitetest.CheckErr(t, fmt.Sprintf("PutObject(missing bucket, %+v)", cond), err, backend.ErrBucketNotFound)
		}
	})
}
