package metadatatest

import (
	"fmt"
	"time"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/suitetest"
)

func (s suite) testBuckets(t suitetest.T) {
	t.Run("CreateGet", func(t suitetest.T) {
		st := s.open(t)
		want := backend.Bucket{Name: "my-bucket", Region: "eu-west-1", Created: suitetest.T0}
		suitetest.CheckErr(t, "CreateBucket", st.CreateBucket(t.Context(), want), nil)
		got, err := st.GetBucket(t.Context(), want.Name)
		if suitetest.CheckErr(t, "GetBucket", err, nil) {
			checkDiff(t, "GetBucket", want, got)
		}
	})

	t.Run("ZeroRecord", func(t suitetest.T) {
		st := s.open(t)
		want := backend.Bucket{Name: "zero"}
		suitetest.CheckErr(t, "CreateBucket", st.CreateBucket(t.Context(), want), nil)
		got, err := st.GetBucket(t.Context(), want.Name)
		if suitetest.CheckErr(t, "GetBucket", err, nil) {
			checkDiff(t, "GetBucket", want, got)
		}
	})

	t.Run("CreateExists", func(t suitetest.T) {
		st := s.open(t)
		first := backend.Bucket{Name: "x", Region: "us-east-1", Created: suitetest.T0}
		suitetest.CheckErr(t, "CreateBucket", st.CreateBucket(t.Context(), first), nil)
		err := st.CreateBucket(t.Context(), backend.Bucket{Name: "x", Region: "eu-west-1", Created: suitetest.T0.Add(time.Hour)})
		suitetest.CheckErr(t, "CreateBucket(existing)", err, backend.ErrBucketExists)
		got, err := st.GetBucket(t.Context(), "x")
		if suitetest.CheckErr(t, "GetBucket", err, nil) {
			checkDiff(t, "GetBucket after a failed CreateBucket", first, got)
		}
	})

	t.Run("GetMissing", func(t suitetest.T) {
		st := s.open(t)
		mustCreateBucket(t, st, "present")
		for _, name := range []string{"missing", "Present", "present ", ""} {
			_, err := st.GetBucket(t.Context(), name)
			suitetest.CheckErr(t, fmt.Sprintf("GetBucket(%q)", name), err, backend.ErrBucketNotFound)
		}
	})

	t.Run("ListSorted", func(t suitetest.T) {
		st := s.open(t)
		got, err := st.ListBuckets(t.Context())
		suitetest.CheckErr(t, "ListBuckets", err, nil)
		if len(got) != 0 {
			t.Errorf("ListBuckets on a new store = %+v, want none", got)
		}
		sorted := []string{"a", "a-b", "a.b", "a0", "ab", "b", "m", "z"}
		var want []backend.Bucket
		for i, name := range sorted {
			want = append(want, backend.Bucket{Name: name, Region: fmt.Sprint("r", i), Created: suitetest.T0.Add(time.Duration(i) * time.Minute)})
		}
		for _, i := range []int{6, 1, 7, 0, 3, 5, 2, 4} {
			suitetest.CheckErr(t, "CreateBucket", st.CreateBucket(t.Context(), want[i]), nil)
		}
		got, err = st.ListBuckets(t.Context())
		if suitetest.CheckErr(t, "ListBuckets", err, nil) {
			checkDiff(t, "ListBuckets", want, got)
		}
	})

	t.Run("Delete", func(t suitetest.T) {
		st := s.open(t)
		mustCreateBucket(t, st, "keep")
		mustCreateBucket(t, st, "x")
		suitetest.CheckErr(t, "DeleteBucket", st.DeleteBucket(t.Context(), "x"), nil)
		_, err := st.GetBucket(t.Context(), "x")
		suitetest.CheckErr(t, "GetBucket(deleted)", err, backend.ErrBucketNotFound)
		suitetest.CheckErr(t, "DeleteBucket(deleted)", st.DeleteBucket(t.Context(), "x"), backend.ErrBucketNotFound)
		got, err := st.ListBuckets(t.Context())
		if suitetest.CheckErr(t, "ListBuckets", err, nil) {
			checkDiff(t, "ListBuckets", []backend.Bucket{{Name: "keep", Region: "us-east-1", Created: suitetest.T0}}, got)
		}
		// The name is free again, and the new bucket starts empty.
		mustCreateBucket(t, st, "x")
		objs, err := st.ListObjects(t.Context(), "x", "", 10)
		suitetest.CheckErr(t, "ListObjects(recreated)", err, nil)
		checkKeys(t, "ListObjects(recreated)", nil, objs)
	})

	t.Run("DeleteNotEmpty", func(t suitetest.T) {
		st := s.openWithBucket(t)
		mustPut(t, st, testBucket, fullObject("k"))
		suitetest.CheckErr(t, "DeleteBucket(with object)", st.DeleteBucket(t.Context(), testBucket), backend.ErrBucketNotEmpty)
		if _, err := st.DeleteObject(t.Context(), testBucket, "k"); err != nil {
			t.Fatalf("DeleteObject = %v", err)
		}
		u := suitetest.FullUpload(testBucket, "k", "u1", suitetest.T0)
		mustCreateUpload(t, st, u)
		suitetest.CheckErr(t, "DeleteBucket(with upload)", st.DeleteBucket(t.Context(), testBucket), backend.ErrBucketNotEmpty)
		if _, err := st.GetBucket(t.Context(), testBucket); err != nil {
			t.Errorf("GetBucket after a refused DeleteBucket = %v, want nil", err)
		}
		if _, err := st.DeleteUpload(t.Context(), testBucket, u.Key, u.ID); err != nil {
			t.Fatalf("DeleteUpload = %v", err)
		}
		suitetest.CheckErr(t, "DeleteBucket(emptied)", st.DeleteBucket(t.Context(), testBucket), nil)
	})
}

// testMissingBucket checks that every method naming a bucket fails with
// backend.ErrBucketNotFound when it does not exist, and creates nothing.
func (s suite) testMissingBucket(t suitetest.T) {
	st := s.open(t)
	ctx := t.Context()
	const m = "missing"
	for _, c := range calls(m, st) {
		if c.name == "CreateBucket" || c.name == "ListBuckets" {
			continue
		}
		suitetest.CheckErr(t, c.name+"(missing bucket)", c.call(ctx), backend.ErrBucketNotFound)
	}
	if _, err := st.GetBucket(ctx, m); err == nil {
		t.Errorf("GetBucket(%q) = nil error after writes to it; a write created the bucket", m)
	}
}
