package metadatatest

import (
	"fmt"
	"time"

	"github.com/mocks3/mocks3/backend"
)

func (s suite) testUploads(t testingT) {
	t.Run("CreateGet", func(t testingT) {
		st := s.openWithBucket(t)
		u := fullUpload(testBucket, "k", "id-1", t0)
		in := u
		in.Parts = []backend.Part{fullPart(1, "ignored")} // CreateUpload ignores Parts
		checkErr(t, "CreateUpload", st.CreateUpload(t.Context(), in), nil)
		got, err := st.GetUpload(t.Context(), testBucket, "k", "id-1")
		if checkErr(t, "GetUpload", err, nil) {
			checkUpload(t, "GetUpload", u, got)
		}
		if _, err := st.GetObject(t.Context(), testBucket, "k"); err == nil {
			t.Errorf("GetObject(k) = nil error: CreateUpload created an object")
		}
	})

	t.Run("RoundTrip", func(t testingT) {
		tests := []struct {
			name string
			u    backend.Upload
		}{
			{"Minimal", backend.Upload{Bucket: testBucket, Key: "k", ID: "u"}},
			{"EmptyMetadata", backend.Upload{Bucket: testBucket, Key: "k", ID: "u", Metadata: map[string]string{}}},
			{"Full", fullUpload(testBucket, "k", "u", t0)},
			{"OddKey", fullUpload(testBucket, "a b\n%2F/..", "id with/slash", t0.UTC())},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t testingT) {
				st := s.openWithBucket(t)
				mustCreateUpload(t, st, tt.u)
				got, err := st.GetUpload(t.Context(), testBucket, tt.u.Key, tt.u.ID)
				if checkErr(t, "GetUpload", err, nil) {
					checkUpload(t, "GetUpload", tt.u, got)
				}
				list, err := st.ListUploads(t.Context(), testBucket)
				if checkErr(t, "ListUploads", err, nil) {
					checkDiff(t, "ListUploads", []backend.Upload{tt.u}, list)
				}
				p := backend.Part{Number: 1}
				mustPutPart(t, st, tt.u, p)
				want := tt.u
				want.Parts = []backend.Part{p}
				got, err = st.DeleteUpload(t.Context(), testBucket, tt.u.Key, tt.u.ID)
				if checkErr(t, "DeleteUpload", err, nil) {
					checkUpload(t, "DeleteUpload", want, got)
				}
			})
		}
	})

	t.Run("CreateExists", func(t testingT) {
		st := s.openWithBucket(t)
		u := fullUpload(testBucket, "k", "id-1", t0)
		mustCreateUpload(t, st, u)
		mustPutPart(t, st, u, fullPart(1, "b1"))
		again := fullUpload(testBucket, "k", "id-1", t0.Add(time.Hour))
		checkErr(t, "CreateUpload(existing)", st.CreateUpload(t.Context(), again), backend.ErrUploadExists)
		got, err := st.GetUpload(t.Context(), testBucket, "k", "id-1")
		u.Parts = []backend.Part{fullPart(1, "b1")}
		if checkErr(t, "GetUpload", err, nil) {
			checkUpload(t, "GetUpload after a failed CreateUpload", u, got)
		}
		// The same ID under another key is another upload.
		checkErr(t, "CreateUpload(same ID, other key)",
			st.CreateUpload(t.Context(), fullUpload(testBucket, "k2", "id-1", t0)), nil)
	})

	t.Run("GetMissing", func(t testingT) {
		st := s.openWithBucket(t)
		mustCreateUpload(t, st, fullUpload(testBucket, "k", "id-1", t0))
		tests := []struct{ key, id string }{{"k", "id-2"}, {"k2", "id-1"}, {"", ""}, {"k", ""}}
		for _, tt := range tests {
			_, err := st.GetUpload(t.Context(), testBucket, tt.key, tt.id)
			checkErr(t, fmt.Sprintf("GetUpload(%q, %q)", tt.key, tt.id), err, backend.ErrUploadNotFound)
		}
	})

	t.Run("PutPart", func(t testingT) {
		st := s.openWithBucket(t)
		u := fullUpload(testBucket, "k", "id-1", t0)
		mustCreateUpload(t, st, u)
		for _, n := range []int{3, 1, 10000, 2} {
			replaced, err := st.PutPart(t.Context(), testBucket, "k", "id-1", fullPart(n, "b"))
			checkErr(t, fmt.Sprintf("PutPart(%d)", n), err, nil)
			if replaced != nil {
				t.Errorf("PutPart(%d) of a new part replaced %+v, want nil", n, *replaced)
			}
		}
		p2 := fullPart(2, "b-new")
		p2.ETag = `"new"`
		replaced, err := st.PutPart(t.Context(), testBucket, "k", "id-1", p2)
		checkErr(t, "PutPart(2 again)", err, nil)
		want2 := fullPart(2, "b")
		checkDiff(t, "PutPart(2 again) replaced", &want2, replaced)
		got, err := st.GetUpload(t.Context(), testBucket, "k", "id-1")
		if checkErr(t, "GetUpload", err, nil) {
			want := []backend.Part{fullPart(1, "b"), p2, fullPart(3, "b"), fullPart(10000, "b")}
			checkDiff(t, "GetUpload parts", want, got.Parts)
		}
	})

	t.Run("PutPartMissing", func(t testingT) {
		st := s.openWithBucket(t)
		mustCreateUpload(t, st, fullUpload(testBucket, "k", "id-1", t0))
		_, err := st.PutPart(t.Context(), testBucket, "k", "id-2", fullPart(1, "b"))
		checkErr(t, "PutPart(missing upload)", err, backend.ErrUploadNotFound)
		_, err = st.PutPart(t.Context(), testBucket, "other", "id-1", fullPart(1, "b"))
		checkErr(t, "PutPart(upload ID under another key)", err, backend.ErrUploadNotFound)
	})

	t.Run("Delete", func(t testingT) {
		st := s.openWithBucket(t)
		u := fullUpload(testBucket, "k", "id-1", t0)
		mustCreateUpload(t, st, u)
		mustCreateUpload(t, st, fullUpload(testBucket, "k", "id-2", t0))
		for _, n := range []int{2, 1} {
			mustPutPart(t, st, u, fullPart(n, "b"))
		}
		got, err := st.DeleteUpload(t.Context(), testBucket, "k", "id-1")
		u.Parts = []backend.Part{fullPart(1, "b"), fullPart(2, "b")}
		if checkErr(t, "DeleteUpload", err, nil) {
			checkUpload(t, "DeleteUpload", u, got)
		}
		_, err = st.GetUpload(t.Context(), testBucket, "k", "id-1")
		checkErr(t, "GetUpload(deleted)", err, backend.ErrUploadNotFound)
		_, err = st.DeleteUpload(t.Context(), testBucket, "k", "id-1")
		checkErr(t, "DeleteUpload(deleted)", err, backend.ErrUploadNotFound)
		_, err = st.PutPart(t.Context(), testBucket, "k", "id-1", fullPart(3, "b"))
		checkErr(t, "PutPart(deleted upload)", err, backend.ErrUploadNotFound)
		if _, err := st.GetUpload(t.Context(), testBucket, "k", "id-2"); err != nil {
			t.Errorf("GetUpload(id-2) = %v after deleting id-1", err)
		}
	})

	t.Run("List", func(t testingT) {
		st := s.openWithBucket(t)
		t1, t2 := t0.Add(time.Second), t0.Add(time.Nanosecond)
		// In the order ListUploads must return: key, then initiation, then
		// ID. ListUploads leaves Parts nil.
		want := []backend.Upload{
			fullUpload(testBucket, "a", "z", t0),
			fullUpload(testBucket, "a", "a", t2),
			fullUpload(testBucket, "a", "b", t2),
			fullUpload(testBucket, "a", "0", t1),
			fullUpload(testBucket, "a/", "y", t0),
			fullUpload(testBucket, "b", "x", t0),
			fullUpload(testBucket, "é", "w", t0),
		}
		for _, i := range []int{5, 2, 0, 6, 3, 1, 4} {
			mustCreateUpload(t, st, want[i])
			mustPutPart(t, st, want[i], fullPart(1, "b"))
		}
		mustCreateBucket(t, st, "other")
		mustCreateUpload(t, st, fullUpload("other", "a", "other", t0))
		got, err := st.ListUploads(t.Context(), testBucket)
		if checkErr(t, "ListUploads", err, nil) {
			checkDiff(t, "ListUploads", want, got)
		}

		mustCreateBucket(t, st, "empty")
		got, err = st.ListUploads(t.Context(), "empty")
		checkErr(t, "ListUploads(no uploads)", err, nil)
		if len(got) != 0 {
			t.Errorf("ListUploads(no uploads) = %+v, want none", got)
		}
	})
}
