package metadatatest

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/metadata"
	"github.com/mocks3/mocks3/internal/suitetest"
)

// call is one Store call that returns only its error.
type call struct {
	name string
	call func(ctx context.Context) error
}

// calls returns one call of every Store method on bucket, each about key
// "k" and upload "u" where it takes them.
func calls(bucket string, st metadata.Store) []call {
	return []call{
		{"CreateBucket", func(ctx context.Context) error { return st.CreateBucket(ctx, backend.Bucket{Name: "new"}) }},
		{"GetBucket", func(ctx context.Context) error { _, err := st.GetBucket(ctx, bucket); return err }},
		{"ListBuckets", func(ctx context.Context) error { _, err := st.ListBuckets(ctx); return err }},
		{"DeleteBucket", func(ctx context.Context) error { return st.DeleteBucket(ctx, bucket) }},
		{"GetObject", func(ctx context.Context) error { _, err := st.GetObject(ctx, bucket, "k"); return err }},
		{"PutObject", func(ctx context.Context) error {
			_, err := st.PutObject(ctx, bucket, fullObject("k2"), metadata.Condition{IfNoneMatch: true})
			return err
		}},
		{"DeleteObject", func(ctx context.Context) error { _, err := st.DeleteObject(ctx, bucket, "k"); return err }},
		{"ListObjects", func(ctx context.Context) error { _, err := st.ListObjects(ctx, bucket, "", 10); return err }},
		{"CreateUpload", func(ctx context.Context) error {
			return st.CreateUpload(ctx, suitetest.FullUpload(bucket, "k", "u2", suitetest.T0))
		}},
		{"GetUpload", func(ctx context.Context) error { _, err := st.GetUpload(ctx, bucket, "k", "u"); return err }},
		{"PutPart", func(ctx context.Context) error {
			_, err := st.PutPart(ctx, bucket, "k", "u", suitetest.FullPart(1, "b"))
			return err
		}},
		{"DeleteUpload", func(ctx context.Context) error { _, err := st.DeleteUpload(ctx, bucket, "k", "u"); return err }},
		{"CompleteUpload", func(ctx context.Context) error {
			_, _, err := st.CompleteUpload(ctx, bucket, "u", backend.Object{Key: "k"}, metadata.Condition{})
			return err
		}},
		{"ListUploads", func(ctx context.Context) error { _, err := st.ListUploads(ctx, bucket); return err }},
	}
}

// testContext checks that every method fails with the context's error when
// called with a context already cancelled, and changes nothing.
func (s suite) testContext(t suitetest.T) {
	st := s.openWithBucket(t)
	mustPut(t, st, testBucket, fullObject("k"))
	mustCreateUpload(t, st, suitetest.FullUpload(testBucket, "k", "u", suitetest.T0))
	before := snapshot(t, st)

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	for _, c := range calls(testBucket, st) {
		suitetest.CheckErr(t, c.name+"(cancelled context)", c.call(ctx), context.Canceled)
	}
	checkDiff(t, "records after calls with a cancelled context", before, snapshot(t, st))
}

// state is everything a store holds, as the Store shows it.
type state struct {
	Buckets []backend.Bucket
	Objects map[string][]backend.Object
	Uploads map[string][]backend.Upload
}

func snapshot(t suitetest.T, st metadata.Store) state {
	t.Helper()
	ctx := t.Context()
	s := state{Objects: map[string][]backend.Object{}, Uploads: map[string][]backend.Upload{}}
	var err error
	if s.Buckets, err = st.ListBuckets(ctx); err != nil {
		t.Fatalf("ListBuckets = %v", err)
	}
	for _, b := range s.Buckets {
		if s.Objects[b.Name], err = st.ListObjects(ctx, b.Name, "", 1<<20); err != nil {
			t.Fatalf("ListObjects(%q) = %v", b.Name, err)
		}
		if s.Uploads[b.Name], err = st.ListUploads(ctx, b.Name); err != nil {
			t.Fatalf("ListUploads(%q) = %v", b.Name, err)
		}
	}
	return s
}

// testConcurrency checks that conditional writes are atomic: of writers
// racing with the same condition, exactly one wins.
func (s suite) testConcurrency(t suitetest.T) {
	const n = 8
	race := func(t suitetest.T, setup func(metadata.Store), cond func(i int) metadata.Condition) {
		t.Helper()
		st := s.openWithBucket(t)
		setup(st)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				o := fullObject("k")
				o.ETag = fmt.Sprintf(`"writer-%d"`, i)
				_, errs[i] = st.PutObject(t.Context(), testBucket, o, cond(i))
			})
		}
		wg.Wait()
		winner := -1
		for i, err := range errs {
			switch {
			case err == nil && winner >= 0:
				t.Errorf("writers %d and %d both succeeded; want exactly one", winner, i)
			case err == nil:
				winner = i
			case !errors.Is(err, metadata.ErrPreconditionFailed):
				t.Errorf("writer %d: err = %v, want nil or %v", i, err, metadata.ErrPreconditionFailed)
			}
		}
		if winner < 0 {
			t.Fatalf("no writer succeeded; want exactly one")
		}
		got, err := st.GetObject(t.Context(), testBucket, "k")
		if suitetest.CheckErr(t, "GetObject", err, nil) && got.ETag != fmt.Sprintf(`"writer-%d"`, winner) {
			t.Errorf("stored ETag = %s, want the winner's %q", got.ETag, fmt.Sprintf(`"writer-%d"`, winner))
		}
	}

	t.Run("IfNoneMatch", func(t suitetest.T) {
		race(t, func(metadata.Store) {}, func(int) metadata.Condition {
			return metadata.Condition{IfNoneMatch: true}
		})
	})
	t.Run("IfMatch", func(t suitetest.T) {
		// Every writer expects the original; once one replaces it, the
		// others' If-Match fails.
		race(t, func(st metadata.Store) { mustPut(t, st, testBucket, fullObject("k")) }, func(int) metadata.Condition {
			return metadata.Condition{IfMatch: fullObject("k").ETag}
		})
	})
}
