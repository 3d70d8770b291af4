package backendtest

import (
	"fmt"
	"time"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/suitetest"
)

func (s suite) testBuckets(t suitetest.T) {
	// A bucket reads back as created, from the zero record to every field.
	for _, tt := range []struct {
		name string
		want backend.Bucket
	}{
		{"ZeroRecord", backend.Bucket{Name: "zero"}},
		{"CreateGet", backend.Bucket{Name: "my-bucket", Region: "eu-west-1", Created: suitetest.T0}},
		{"Fields", backend.Bucket{Name: "locked", Region: "eu-west-1", Created: suitetest.T0,
			Owner: "owner-id", Versioning: "Enabled", ObjectLock: true}},
	} {
		t.Run(tt.name, func(t suitetest.T) {
			b := s.records(t)
			suitetest.CheckErr(t, "CreateBucket", b.CreateBucket(t.Context(), tt.want), nil)
			got, err := b.GetBucket(t.Context(), tt.want.Name)
			suitetest.CheckErr(t, "GetBucket", err, nil)
			check(t, "GetBucket", got, tt.want, normBucket)
			list, err := b.ListBuckets(t.Context())
			suitetest.CheckErr(t, "ListBuckets", err, nil)
			check(t, "ListBuckets", list, []backend.Bucket{tt.want}, normBuckets)
		})
	}

	t.Run("CreateExists", func(t suitetest.T) {
		b := s.records(t)
		first := backend.Bucket{Name: "x", Region: "us-east-1", Created: suitetest.T0}
		suitetest.CheckErr(t, "CreateBucket", b.CreateBucket(t.Context(), first), nil)
		err := b.CreateBucket(t.Context(), backend.Bucket{Name: "x", Region: "eu-west-1", Created: suitetest.T0.Add(time.Hour)})
		suitetest.CheckErr(t, "CreateBucket(existing)", err, backend.ErrBucketExists)
		got, err := b.GetBucket(t.Context(), "x")
		suitetest.CheckErr(t, "GetBucket", err, nil)
		check(t, "GetBucket after a failed CreateBucket", got, first, normBucket)
	})

	t.Run("Update", func(t suitetest.T) {
		b := s.records(t)
		orig := backend.Bucket{Name: "v", Region: "eu-west-1", Created: suitetest.T0, Owner: "owner-id"}
		suitetest.CheckErr(t, "CreateBucket", b.CreateBucket(t.Context(), orig), nil)
		// Only Versioning and ObjectLock change; the rest of the argument is ignored.
		err := b.UpdateBucket(t.Context(), backend.Bucket{Name: "v", Region: "other", Created: suitetest.T0.Add(time.Hour),
			Owner: "someone-else", Versioning: "Suspended", ObjectLock: true})
		suitetest.CheckErr(t, "UpdateBucket", err, nil)
		want := orig
		want.Versioning, want.ObjectLock = "Suspended", true
		got, err := b.GetBucket(t.Context(), "v")
		suitetest.CheckErr(t, "GetBucket", err, nil)
		check(t, "GetBucket after UpdateBucket", got, want, normBucket)
		suitetest.CheckErr(t, "UpdateBucket", b.UpdateBucket(t.Context(), backend.Bucket{Name: "v", Versioning: "Enabled"}), nil)
		want.Versioning, want.ObjectLock = "Enabled", false
		got, err = b.GetBucket(t.Context(), "v")
		suitetest.CheckErr(t, "GetBucket", err, nil)
		check(t, "GetBucket after a second UpdateBucket", got, want, normBucket)
	})

	t.Run("GetMissing", func(t suitetest.T) {
		b := s.records(t)
		_, err := b.GetBucket(t.Context(), "missing")
		suitetest.CheckErr(t, "GetBucket(missing)", err, backend.ErrBucketNotFound)
	})

	t.Run("ListSorted", func(t suitetest.T) {
		b := s.records(t)
		got, err := b.ListBuckets(t.Context())
		suitetest.CheckErr(t, "ListBuckets", err, nil)
		if len(got) != 0 {
			t.Errorf("ListBuckets on a new backend = %+v, want none", got)
		}
		sorted := []string{"a", "a-b", "a.b", "a0", "ab", "b", "m", "z"}
		var want []backend.Bucket
		for i, name := range sorted {
			want = append(want, backend.Bucket{Name: name, Region: fmt.Sprint("r", i), Created: suitetest.T0.Add(time.Duration(i) * time.Minute)})
		}
		for _, i := range []int{6, 1, 7, 0, 3, 5, 2, 4} {
			suitetest.CheckErr(t, "CreateBucket", b.CreateBucket(t.Context(), want[i]), nil)
		}
		got, err = b.ListBuckets(t.Context())
		suitetest.CheckErr(t, "ListBuckets", err, nil)
		check(t, "ListBuckets", got, want, normBuckets)
	})

	t.Run("Delete", func(t suitetest.T) {
		b := s.records(t)
		mustCreateBucket(t, b, "keep")
		mustCreateBucket(t, b, "x")
		suitetest.CheckErr(t, "DeleteBucket", b.DeleteBucket(t.Context(), "x"), nil)
		_, err := b.GetBucket(t.Context(), "x")
		suitetest.CheckErr(t, "GetBucket(deleted)", err, backend.ErrBucketNotFound)
		suitetest.CheckErr(t, "DeleteBucket(deleted)", b.DeleteBucket(t.Context(), "x"), backend.ErrBucketNotFound)
		got, err := b.ListBuckets(t.Context())
		suitetest.CheckErr(t, "ListBuckets", err, nil)
		check(t, "ListBuckets", got, []backend.Bucket{{Name: "keep", Region: "us-east-1", Created: suitetest.T0}}, normBuckets)
		// The name is free again, and the new bucket starts empty.
		mustCreateBucket(t, b, "x")
		objs, err := b.ListObjects(t.Context(), "x", "", 10)
		suitetest.CheckErr(t, "ListObjects(recreated)", err, nil)
		check(t, "ListObjects(recreated)", objs, nil, normObjects)
	})

	t.Run("DeleteNotEmpty", func(t suitetest.T) {
		b := s.recordsWithBucket(t)
		mustPut(t, b, testBucket, fullObject("k"))
		suitetest.CheckErr(t, "DeleteBucket(with object)", b.DeleteBucket(t.Context(), testBucket), backend.ErrBucketNotEmpty)
		if _, err := b.DeleteObject(t.Context(), testBucket, "k", ""); err != nil {
			t.Fatalf("DeleteObject = %v", err)
		}
		u := suitetest.FullUpload(testBucket, "k", "u1", suitetest.T0)
		mustCreateUpload(t, b, u)
		suitetest.CheckErr(t, "DeleteBucket(with upload)", b.DeleteBucket(t.Context(), testBucket), backend.ErrBucketNotEmpty)
		if _, err := b.GetBucket(t.Context(), testBucket); err != nil {
			t.Errorf("GetBucket after a refused DeleteBucket = %v, want nil", err)
		}
		if _, err := b.DeleteUpload(t.Context(), testBucket, u.Key, u.ID); err != nil {
			t.Fatalf("DeleteUpload = %v", err)
		}
		suitetest.CheckErr(t, "DeleteBucket(emptied)", b.DeleteBucket(t.Context(), testBucket), nil)
	})

	t.Run("MissingBucket", func(t suitetest.T) {
		b := s.records(t)
		ctx := t.Context()
		const m = "missing"
		for _, c := range recordCalls(ctx, b, m) {
			if c.name == "CreateBucket" || c.name == "ListBuckets" {
				continue // they name no existing bucket
			}
			suitetest.CheckErr(t, c.name+"(missing bucket)", c.call(), backend.ErrBucketNotFound)
		}
		if _, err := b.GetBucket(ctx, m); err == nil {
			t.Errorf("GetBucket(%q) = nil error after writes to it; a write created the bucket", m)
		}
	})
}
