package metadatatest

import (
	"fmt"
	"time"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/metadata"
	"github.com/mocks3/mocks3/internal/suitetest"
)

func (s suite) testUploads(t suitetest.T) {
	t.Run("CreateGet", func(t suitetest.T) {
		st := s.openWithBucket(t)
		u := suitetest.FullUpload(testBucket, "k", "id-1", suitetest.T0)
		in := u
		in.Parts = []backend.Part{suitetest.FullPart(1, "ignored")} // CreateUpload ignores Parts
		suitetest.CheckErr(t, "CreateUpload", st.CreateUpload(t.Context(), in), nil)
		got, err := st.GetUpload(t.Context(), testBucket, "k", "id-1")
		if suitetest.CheckErr(t, "GetUpload", err, nil) {
			checkUpload(t, "GetUpload", u, got)
		}
		if _, err := st.GetObject(t.Context(), testBucket, "k"); err == nil {
			t.Errorf("GetObject(k) = nil error: CreateUpload created an object")
		}
	})

	t.Run("RoundTrip", func(t suitetest.T) {
		tests := []struct {
			name string
			u    backend.Upload
		}{
			{"Minimal", backend.Upload{Bucket: testBucket, Key: "k", ID: "u"}},
			{"EmptyMetadata", backend.Upload{Bucket: testBucket, Key: "k", ID: "u", Metadata: map[string]string{}}},
			{"Full", suitetest.FullUpload(testBucket, "k", "u", suitetest.T0)},
			{"OddKey", suitetest.FullUpload(testBucket, "a b\n%2F/..", "id with/slash", suitetest.T0.UTC())},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t suitetest.T) {
				st := s.openWithBucket(t)
				mustCreateUpload(t, st, tt.u)
				got, err := st.GetUpload(t.Context(), testBucket, tt.u.Key, tt.u.ID)
				if suitetest.CheckErr(t, "GetUpload", err, nil) {
					checkUpload(t, "GetUpload", tt.u, got)
				}
				list, err := st.ListUploads(t.Context(), testBucket)
				if suitetest.CheckErr(t, "ListUploads", err, nil) {
					checkDiff(t, "ListUploads", []backend.Upload{tt.u}, list)
				}
				p := backend.Part{Number: 1}
				mustPutPart(t, st, tt.u, p)
				want := tt.u
				want.Parts = []backend.Part{p}
				got, err = st.DeleteUpload(t.Context(), testBucket, tt.u.Key, tt.u.ID)
				if suitetest.CheckErr(t, "DeleteUpload", err, nil) {
					checkUpload(t, "DeleteUpload", want, got)
				}
			})
		}
	})

	t.Run("CreateExists", func(t suitetest.T) {
		st := s.openWithBucket(t)
		u := suitetest.FullUpload(testBucket, "k", "id-1", suitetest.T0)
		mustCreateUpload(t, st, u)
		mustPutPart(t, st, u, suitetest.FullPart(1, "b1"))
		again := suitetest.FullUpload(testBucket, "k", "id-1", suitetest.T0.Add(time.Hour))
		suitetest.CheckErr(t, "CreateUpload(existing)", st.CreateUpload(t.Context(), again), backend.ErrUploadExists)
		got, err := st.GetUpload(t.Context(), testBucket, "k", "id-1")
		u.Parts = []backend.Part{suitetest.FullPart(1, "b1")}
		if suitetest.CheckErr(t, "GetUpload", err, nil) {
			checkUpload(t, "GetUpload after a failed CreateUpload", u, got)
		}
		// The same ID under another key is another upload.
		suitetest.CheckErr(t, "CreateUpload(same ID, other key)",
			st.CreateUpload(t.Context(), suitetest.FullUpload(testBucket, "k2", "id-1", suitetest.T0)), nil)
	})

	t.Run("GetMissing", func(t suitetest.T) {
		st := s.openWithBucket(t)
		mustCreateUpload(t, st, suitetest.FullUpload(testBucket, "k", "id-1", suitetest.T0))
		tests := []struct{ key, id string }{{"k", "id-2"}, {"k2", "id-1"}, {"", ""}, {"k", ""}}
		for _, tt := range tests {
			_, err := st.GetUpload(t.Context(), testBucket, tt.key, tt.id)
			suitetest.CheckErr(t, fmt.Sprintf("GetUpload(%q, %q)", tt.key, tt.id), err, backend.ErrUploadNotFound)
		}
	})

	t.Run("PutPart", func(t suitetest.T) {
		st := s.openWithBucket(t)
		u := suitetest.FullUpload(testBucket, "k", "id-1", suitetest.T0)
		mustCreateUpload(t, st, u)
		for _, n := range []int{3, 1, 10000, 2} {
			replaced, err := st.PutPart(t.Context(), testBucket, "k", "id-1", suitetest.FullPart(n, "b"))
			suitetest.CheckErr(t, fmt.Sprintf("PutPart(%d)", n), err, nil)
			if replaced != nil {
				t.Errorf("PutPart(%d) of a new part replaced %+v, want nil", n, *replaced)
			}
		}
		p2 := suitetest.FullPart(2, "b-new")
		p2.ETag = `"new"`
		replaced, err := st.PutPart(t.Context(), testBucket, "k", "id-1", p2)
		suitetest.CheckErr(t, "PutPart(2 again)", err, nil)
		want2 := suitetest.FullPart(2, "b")
		checkDiff(t, "PutPart(2 again) replaced", &want2, replaced)
		got, err := st.GetUpload(t.Context(), testBucket, "k", "id-1")
		if suitetest.CheckErr(t, "GetUpload", err, nil) {
			want := []backend.Part{suitetest.FullPart(1, "b"), p2, suitetest.FullPart(3, "b"), suitetest.FullPart(10000, "b")}
			checkDiff(t, "GetUpload parts", want, got.Parts)
		}
	})

	t.Run("PutPartMissing", func(t suitetest.T) {
		st := s.openWithBucket(t)
		mustCreateUpload(t, st, suitetest.FullUpload(testBucket, "k", "id-1", suitetest.T0))
		_, err := st.PutPart(t.Context(), testBucket, "k", "id-2", suitetest.FullPart(1, "b"))
		suitetest.CheckErr(t, "PutPart(missing upload)", err, backend.ErrUploadNotFound)
		_, err = st.PutPart(t.Context(), testBucket, "other", "id-1", suitetest.FullPart(1, "b"))
		suitetest.CheckErr(t, "PutPart(upload ID under another key)", err, backend.ErrUploadNotFound)
	})

	t.Run("Delete", func(t suitetest.T) {
		st := s.openWithBucket(t)
		u := suitetest.FullUpload(testBucket, "k", "id-1", suitetest.T0)
		mustCreateUpload(t, st, u)
		mustCreateUpload(t, st, suitetest.FullUpload(testBucket, "k", "id-2", suitetest.T0))
		for _, n := range []int{2, 1} {
			mustPutPart(t, st, u, suitetest.FullPart(n, "b"))
		}
		got, err := st.DeleteUpload(t.Context(), testBucket, "k", "id-1")
		u.Parts = []backend.Part{suitetest.FullPart(1, "b"), suitetest.FullPart(2, "b")}
		if suitetest.CheckErr(t, "DeleteUpload", err, nil) {
			checkUpload(t, "DeleteUpload", u, got)
		}
		_, err = st.GetUpload(t.Context(), testBucket, "k", "id-1")
		suitetest.CheckErr(t, "GetUpload(deleted)", err, backend.ErrUploadNotFound)
		_, err = st.DeleteUpload(t.Context(), testBucket, "k", "id-1")
		suitetest.CheckErr(t, "DeleteUpload(deleted)", err, backend.ErrUploadNotFound)
		_, err = st.PutPart(t.Context(), testBucket, "k", "id-1", suitetest.FullPart(3, "b"))
		suitetest.CheckErr(t, "PutPart(deleted upload)", err, backend.ErrUploadNotFound)
		if _, err := st.GetUpload(t.Context(), testBucket, "k", "id-2"); err != nil {
			t.Errorf("GetUpload(id-2) = %v after deleting id-1", err)
		}
	})

	t.Run("List", func(t suitetest.T) {
		st := s.openWithBucket(t)
		t1, t2 := suitetest.T0.Add(time.Second), suitetest.T0.Add(time.Nanosecond)
		// In the order ListUploads must return: key, then initiation, then
		// ID. ListUploads leaves Parts nil.
		want := []backend.Upload{
			suitetest.FullUpload(testBucket, "a", "z", suitetest.T0),
			suitetest.FullUpload(testBucket, "a", "a", t2),
			suitetest.FullUpload(testBucket, "a", "b", t2),
			suitetest.FullUpload(testBucket, "a", "0", t1),
			suitetest.FullUpload(testBucket, "a/", "y", suitetest.T0),
			suitetest.FullUpload(testBucket, "b", "x", suitetest.T0),
			suitetest.FullUpload(testBucket, "é", "w", suitetest.T0),
		}
		for _, i := range []int{5, 2, 0, 6, 3, 1, 4} {
			mustCreateUpload(t, st, want[i])
			mustPutPart(t, st, want[i], suitetest.FullPart(1, "b"))
		}
		mustCreateBucket(t, st, "other")
		mustCreateUpload(t, st, suitetest.FullUpload("other", "a", "other", suitetest.T0))
		got, err := st.ListUploads(t.Context(), testBucket)
		if suitetest.CheckErr(t, "ListUploads", err, nil) {
			checkDiff(t, "ListUploads", want, got)
		}

		mustCreateBucket(t, st, "empty")
		got, err = st.ListUploads(t.Context(), "empty")
		suitetest.CheckErr(t, "ListUploads(no uploads)", err, nil)
		if len(got) != 0 {
			t.Errorf("ListUploads(no uploads) = %+v, want none", got)
		}
	})

	// CompleteUpload travels whole: the record, the condition as a value,
	// the removed upload with its parts, and the sentinel errors.
	t.Run("Complete", func(t suitetest.T) {
		st := s.openWithBucket(t)
		u := suitetest.FullUpload(testBucket, "k", "id-1", suitetest.T0)
		mustCreateUpload(t, st, u)
		mustPutPart(t, st, u, suitetest.FullPart(1, "b1"))
		mustPutPart(t, st, u, suitetest.FullPart(2, "b2"))
		old := fullObject("k")
		mustPut(t, st, testBucket, old)
		obj := fullObject("k")
		obj.ETag = `"done-1"`
		obj.Parts = []backend.Part{suitetest.FullPart(1, "b1")}

		_, _, err := st.CompleteUpload(t.Context(), testBucket, "id-1", obj, metadata.Condition{IfNoneMatch: true})
		suitetest.CheckErr(t, "CompleteUpload(IfNoneMatch on an existing key)", err, metadata.ErrPreconditionFailed)
		stale := obj
		stale.Parts = []backend.Part{suitetest.FullPart(1, "b-old")}
		_, _, err = st.CompleteUpload(t.Context(), testBucket, "id-1", stale, metadata.Condition{})
		suitetest.CheckErr(t, "CompleteUpload(a part uploaded again)", err, backend.ErrUploadChanged)

		replaced, done, err := st.CompleteUpload(t.Context(), testBucket, "id-1", obj, metadata.Condition{IfMatch: old.ETag})
		if suitetest.CheckErr(t, "CompleteUpload", err, nil) {
			checkDiff(t, "CompleteUpload replaced", &old, replaced)
			u.Parts = []backend.Part{suitetest.FullPart(1, "b1"), suitetest.FullPart(2, "b2")}
			checkUpload(t, "CompleteUpload upload", u, done)
		}
		got, err := st.GetObject(t.Context(), testBucket, "k")
		if suitetest.CheckErr(t, "GetObject", err, nil) {
			checkDiff(t, "GetObject after CompleteUpload", obj, got)
		}
		_, err = st.GetUpload(t.Context(), testBucket, "k", "id-1")
		suitetest.CheckErr(t, "GetUpload(completed)", err, backend.ErrUploadNotFound)
		_, _, err = st.CompleteUpload(t.Context(), testBucket, "id-1", obj, metadata.Condition{})
		suitetest.CheckErr(t, "CompleteUpload(completed)", err, backend.ErrUploadNotFound)
	})
}
