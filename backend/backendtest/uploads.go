package backendtest

import (
	"fmt"
	"time"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/suitetest"
)

func (s suite) testUploads(t suitetest.T) {
	t.Run("CreateGet", func(t suitetest.T) {
		b := s.recordsWithBucket(t)
		u := suitetest.FullUpload(testBucket, "k", "id-1", suitetest.T0)
		in := u
		in.Parts = []backend.Part{suitetest.FullPart(1, "ignored")} // CreateUpload ignores Parts
		suitetest.CheckErr(t, "CreateUpload", b.CreateUpload(t.Context(), in), nil)
		got, err := b.GetUpload(t.Context(), testBucket, "k", "id-1")
		suitetest.CheckErr(t, "GetUpload", err, nil)
		check(t, "GetUpload", got, u, normUpload)
		if _, err := b.GetObject(t.Context(), testBucket, "k", ""); err == nil {
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
				b := s.recordsWithBucket(t)
				mustCreateUpload(t, b, tt.u)
				got, err := b.GetUpload(t.Context(), testBucket, tt.u.Key, tt.u.ID)
				suitetest.CheckErr(t, "GetUpload", err, nil)
				check(t, "GetUpload", got, tt.u, normUpload)
				list, err := b.ListUploads(t.Context(), testBucket)
				suitetest.CheckErr(t, "ListUploads", err, nil)
				check(t, "ListUploads", list, []backend.Upload{tt.u}, normUploads)
				p := backend.Part{Number: 1}
				mustPutPart(t, b, tt.u, p)
				want := tt.u
				want.Parts = []backend.Part{p}
				got, err = b.DeleteUpload(t.Context(), testBucket, tt.u.Key, tt.u.ID)
				suitetest.CheckErr(t, "DeleteUpload", err, nil)
				check(t, "DeleteUpload", got, want, normUpload)
			})
		}
	})

	t.Run("CreateExists", func(t suitetest.T) {
		b := s.recordsWithBucket(t)
		u := suitetest.FullUpload(testBucket, "k", "id-1", suitetest.T0)
		mustCreateUpload(t, b, u)
		mustPutPart(t, b, u, suitetest.FullPart(1, "b1"))
		again := suitetest.FullUpload(testBucket, "k", "id-1", suitetest.T0.Add(time.Hour))
		suitetest.CheckErr(t, "CreateUpload(existing)", b.CreateUpload(t.Context(), again), backend.ErrUploadExists)
		got, err := b.GetUpload(t.Context(), testBucket, "k", "id-1")
		suitetest.CheckErr(t, "GetUpload", err, nil)
		u.Parts = []backend.Part{suitetest.FullPart(1, "b1")}
		check(t, "GetUpload after a failed CreateUpload", got, u, normUpload)
		// The same ID under another key is another upload.
		suitetest.CheckErr(t, "CreateUpload(same ID, other key)",
			b.CreateUpload(t.Context(), suitetest.FullUpload(testBucket, "k2", "id-1", suitetest.T0)), nil)
	})

	t.Run("GetMissing", func(t suitetest.T) {
		b := s.recordsWithBucket(t)
		mustCreateUpload(t, b, suitetest.FullUpload(testBucket, "k", "id-1", suitetest.T0))
		tests := []struct{ key, id string }{{"k", "id-2"}, {"k2", "id-1"}, {"", ""}}
		for _, tt := range tests {
			_, err := b.GetUpload(t.Context(), testBucket, tt.key, tt.id)
			suitetest.CheckErr(t, fmt.Sprintf("GetUpload(%q, %q)", tt.key, tt.id), err, backend.ErrUploadNotFound)
		}
	})
	s.testUploadParts(t)
}

// testUploadParts runs the Uploads subtests of parts, deletes, listings
// and completes.
func (s suite) testUploadParts(t suitetest.T) {
	t.Run("PutPart", func(t suitetest.T) {
		b := s.recordsWithBucket(t)
		u := suitetest.FullUpload(testBucket, "k", "id-1", suitetest.T0)
		mustCreateUpload(t, b, u)
		for _, n := range []int{3, 1, 10000, 2} {
			replaced, err := b.PutPart(t.Context(), testBucket, "k", "id-1", suitetest.FullPart(n, "b"))
			suitetest.CheckErr(t, fmt.Sprintf("PutPart(%d)", n), err, nil)
			if replaced != nil {
				t.Errorf("PutPart(%d) of a new part replaced %+v, want nil", n, *replaced)
			}
		}
		p2 := suitetest.FullPart(2, "b-new")
		p2.ETag = `"new"`
		replaced, err := b.PutPart(t.Context(), testBucket, "k", "id-1", p2)
		suitetest.CheckErr(t, "PutPart(2 again)", err, nil)
		if replaced == nil {
			t.Errorf("PutPart(2 again) replaced nil, want the first part 2")
		} else {
			check(t, "PutPart(2 again) replaced", *replaced, suitetest.FullPart(2, "b"), normPart)
		}
		got, err := b.GetUpload(t.Context(), testBucket, "k", "id-1")
		suitetest.CheckErr(t, "GetUpload", err, nil)
		want := []backend.Part{suitetest.FullPart(1, "b"), p2, suitetest.FullPart(3, "b"), suitetest.FullPart(10000, "b")}
		check(t, "GetUpload parts", got.Parts, want, normParts)
	})

	t.Run("PutPartMissing", func(t suitetest.T) {
		b := s.recordsWithBucket(t)
		mustCreateUpload(t, b, suitetest.FullUpload(testBucket, "k", "id-1", suitetest.T0))
		_, err := b.PutPart(t.Context(), testBucket, "k", "id-2", suitetest.FullPart(1, "b"))
		suitetest.CheckErr(t, "PutPart(missing upload)", err, backend.ErrUploadNotFound)
		_, err = b.PutPart(t.Context(), testBucket, "other", "id-1", suitetest.FullPart(1, "b"))
		suitetest.CheckErr(t, "PutPart(upload ID under another key)", err, backend.ErrUploadNotFound)
	})

	t.Run("Delete", func(t suitetest.T) {
		b := s.recordsWithBucket(t)
		u := suitetest.FullUpload(testBucket, "k", "id-1", suitetest.T0)
		mustCreateUpload(t, b, u)
		mustCreateUpload(t, b, suitetest.FullUpload(testBucket, "k", "id-2", suitetest.T0))
		for _, n := range []int{2, 1} {
			mustPutPart(t, b, u, suitetest.FullPart(n, "b"))
		}
		got, err := b.DeleteUpload(t.Context(), testBucket, "k", "id-1")
		suitetest.CheckErr(t, "DeleteUpload", err, nil)
		u.Parts = []backend.Part{suitetest.FullPart(1, "b"), suitetest.FullPart(2, "b")}
		check(t, "DeleteUpload", got, u, normUpload)
		checkUploadGone(t, b, "k", "id-1", "deleted")
		if _, err := b.GetUpload(t.Context(), testBucket, "k", "id-2"); err != nil {
			t.Errorf("GetUpload(id-2) = %v after deleting id-1", err)
		}
	})

	t.Run("List", func(t suitetest.T) {
		b := s.recordsWithBucket(t)
		t1, t2 := suitetest.T0.Add(time.Second), suitetest.T0.Add(time.Nanosecond)
		// In the order ListUploads must return: key, then initiation, then ID.
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
			mustCreateUpload(t, b, want[i])
			mustPutPart(t, b, want[i], suitetest.FullPart(1, "b"))
		}
		mustCreateBucket(t, b, "other")
		mustCreateUpload(t, b, suitetest.FullUpload("other", "a", "other", suitetest.T0))
		got, err := b.ListUploads(t.Context(), testBucket)
		suitetest.CheckErr(t, "ListUploads", err, nil)
		check(t, "ListUploads", got, want, normUploads)

		b2 := s.recordsWithBucket(t)
		got, err = b2.ListUploads(t.Context(), testBucket)
		suitetest.CheckErr(t, "ListUploads(no uploads)", err, nil)
		check(t, "ListUploads(no uploads)", got, nil, normUploads)
	})

	t.Run("Copies", func(t suitetest.T) {
		b := s.recordsWithBucket(t)
		want := suitetest.FullUpload(testBucket, "k", "id-1", suitetest.T0)
		in := suitetest.FullUpload(testBucket, "k", "id-1", suitetest.T0)
		mustCreateUpload(t, b, in)
		mustPutPart(t, b, want, suitetest.FullPart(1, "b"))
		want.Parts = []backend.Part{suitetest.FullPart(1, "b")}
		in.Metadata["owner"] = "mutated"
		in.Tags["stage"] = "mutated"
		in.ACL[0] = '!'

		got, _ := b.GetUpload(t.Context(), testBucket, "k", "id-1")
		got.Metadata["owner"] = "mutated"
		got.Tags["stage"] = "mutated"
		got.ACL[0] = '!'
		got.Metadata["added"] = "mutated"
		if len(got.Parts) > 0 {
			got.Parts[0].ETag = "mutated"
		}
		list, _ := b.ListUploads(t.Context(), testBucket)
		for _, u := range list {
			if u.Metadata != nil {
				u.Metadata["owner"] = "mutated"
			}
		}

		got, err := b.GetUpload(t.Context(), testBucket, "k", "id-1")
		suitetest.CheckErr(t, "GetUpload", err, nil)
		check(t, "GetUpload after mutating values passed in and returned", got, want, normUpload)
	})

	s.testComplete(t)
}

// testComplete checks CompleteUpload: one atomic step that stores the
// object and removes the upload, refused whole when a part changed.
func (s suite) testComplete(t suitetest.T) {
	t.Run("Complete", func(t suitetest.T) {
		b := s.recordsWithBucket(t)
		u := suitetest.FullUpload(testBucket, "k", "id-1", suitetest.T0)
		mustCreateUpload(t, b, u)
		mustCreateUpload(t, b, suitetest.FullUpload(testBucket, "k", "id-2", suitetest.T0))
		for _, n := range []int{1, 2, 3} {
			mustPutPart(t, b, u, suitetest.FullPart(n, backend.BlobID(fmt.Sprint("b", n))))
		}
		old := fullObject("k")
		mustPut(t, b, testBucket, old)
		obj := completed("k", suitetest.FullPart(1, "b1"), suitetest.FullPart(3, "b3"))
		replaced, done, err := b.CompleteUpload(t.Context(), testBucket, "id-1", obj, backend.Condition{})
		suitetest.CheckErr(t, "CompleteUpload", err, nil)
		if replaced == nil {
			t.Errorf("CompleteUpload replaced nil, want the previous record")
		} else {
			check(t, "CompleteUpload replaced", *replaced, old, normObject)
		}
		u.Parts = []backend.Part{suitetest.FullPart(1, "b1"), suitetest.FullPart(2, "b2"), suitetest.FullPart(3, "b3")}
		check(t, "CompleteUpload upload", done, u, normUpload)
		got, err := b.GetObject(t.Context(), testBucket, "k", "")
		suitetest.CheckErr(t, "GetObject", err, nil)
		check(t, "GetObject after CompleteUpload", got, obj, normObject)
		checkUploadGone(t, b, "k", "id-1", "completed")
		_, _, err = b.CompleteUpload(t.Context(), testBucket, "id-1", obj, backend.Condition{})
		suitetest.CheckErr(t, "CompleteUpload(completed)", err, backend.ErrUploadNotFound)
		if _, err := b.GetUpload(t.Context(), testBucket, "k", "id-2"); err != nil {
			t.Errorf("GetUpload(id-2) = %v after completing id-1", err)
		}
	})

	// A refused CompleteUpload changes nothing: not the object, not the
	// upload.
	t.Run("CompleteRefused", func(t suitetest.T) {
		tests := []struct {
			name  string
			id    string
			parts []backend.Part
			cond  backend.Condition
			want  error
		}{
			{"missing upload", "id-2", []backend.Part{suitetest.FullPart(1, "b1")}, backend.Condition{}, backend.ErrUploadNotFound},
			{"part uploaded again", "id-1", []backend.Part{suitetest.FullPart(1, "b1"), suitetest.FullPart(2, "b2-old")}, backend.Condition{}, backend.ErrUploadChanged},
			{"part never uploaded", "id-1", []backend.Part{suitetest.FullPart(4, "b4")}, backend.Condition{}, backend.ErrUploadChanged},
			{"IfNoneMatch", "id-1", []backend.Part{suitetest.FullPart(1, "b1")}, backend.Condition{IfNoneMatch: true}, backend.ErrPreconditionFailed},
			{"IfMatch", "id-1", []backend.Part{suitetest.FullPart(1, "b1")}, backend.Condition{IfMatch: `"other"`}, backend.ErrPreconditionFailed},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t suitetest.T) {
				b := s.recordsWithBucket(t)
				u := suitetest.FullUpload(testBucket, "k", "id-1", suitetest.T0)
				mustCreateUpload(t, b, u)
				mustPutPart(t, b, u, suitetest.FullPart(1, "b1"))
				mustPutPart(t, b, u, suitetest.FullPart(2, "b2-old"))
				mustPutPart(t, b, u, suitetest.FullPart(2, "b2"))
				old := fullObject("k")
				mustPut(t, b, testBucket, old)
				_, _, err := b.CompleteUpload(t.Context(), testBucket, tt.id, completed("k", tt.parts...), tt.cond)
				suitetest.CheckErr(t, "CompleteUpload", err, tt.want)
				got, err := b.GetObject(t.Context(), testBucket, "k", "")
				suitetest.CheckErr(t, "GetObject", err, nil)
				check(t, "GetObject after a refused CompleteUpload", got, old, normObject)
				up, err := b.GetUpload(t.Context(), testBucket, "k", "id-1")
				suitetest.CheckErr(t, "GetUpload after a refused CompleteUpload", err, nil)
				check(t, "GetUpload parts", up.Parts, []backend.Part{suitetest.FullPart(1, "b1"), suitetest.FullPart(2, "b2")}, normParts)
			})
		}
	})

	t.Run("CompleteCondition", func(t suitetest.T) {
		b := s.recordsWithBucket(t)
		u := suitetest.FullUpload(testBucket, "k", "id-1", suitetest.T0)
		mustCreateUpload(t, b, u)
		mustPutPart(t, b, u, suitetest.FullPart(1, "b1"))
		old := fullObject("k")
		mustPut(t, b, testBucket, old)
		obj := completed("k", suitetest.FullPart(1, "b1"))
		replaced, _, err := b.CompleteUpload(t.Context(), testBucket, "id-1", obj, backend.Condition{IfMatch: old.ETag})
		suitetest.CheckErr(t, "CompleteUpload(IfMatch the current ETag)", err, nil)
		if replaced == nil {
			t.Errorf("CompleteUpload replaced nil, want the record its condition named")
		}
	})
}

// completed returns the record CompleteUpload stores for parts of key.
func completed(key string, parts ...backend.Part) backend.Object {
	o := backend.Object{Key: key, ETag: fmt.Sprintf(`"done-%d"`, len(parts)), LastModified: suitetest.T0, Multipart: true, Parts: parts}
	for _, p := range parts {
		o.Size += p.Size
	}
	return o
}

// checkUploadGone checks that the upload, deleted or completed as how says,
// can no longer be read, deleted or written to.
func checkUploadGone(t suitetest.T, b backend.Records, key, id, how string) {
	t.Helper()
	_, err := b.GetUpload(t.Context(), testBucket, key, id)
	suitetest.CheckErr(t, "GetUpload("+how+")", err, backend.ErrUploadNotFound)
	_, err = b.DeleteUpload(t.Context(), testBucket, key, id)
	suitetest.CheckErr(t, "DeleteUpload("+how+")", err, backend.ErrUploadNotFound)
	_, err = b.PutPart(t.Context(), testBucket, key, id, suitetest.FullPart(3, "late"))
	suitetest.CheckErr(t, "PutPart("+how+")", err, backend.ErrUploadNotFound)
}
