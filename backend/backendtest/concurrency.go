package backendtest

import (
	"errors"
	"fmt"
	"strconv"
	"sync"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/suitetest"
)

// parallel runs f(0), …, f(n-1) concurrently and waits for them. f may call
// t.Errorf but not t.Fatalf.
func parallel(n int, f func(g int)) {
	var wg sync.WaitGroup
	for g := range n {
		wg.Go(func() { f(g) })
	}
	wg.Wait()
}

func (s suite) testConcurrency(t suitetest.T) {
	t.Run("SameKey", func(t suitetest.T) {
		b := s.recordsWithBucket(t)
		ctx := t.Context()
		parallel(8, func(g int) {
			for i := range 50 {
				o := fullObject("k")
				o.ETag = fmt.Sprintf(`"%d-%d"`, g, i)
				if _, err := b.PutObject(ctx, testBucket, o, backend.Condition{}); err != nil {
					t.Errorf("PutObject = %v", err)
					return
				}
				got, err := b.GetObject(ctx, testBucket, "k", "")
				if err != nil {
					t.Errorf("GetObject after PutObject = %v", err)
					return
				}
				if got.Metadata != nil {
					got.Metadata["g"] = "mutated" // must not race with other readers
				}
				if _, err := b.ListObjects(ctx, testBucket, "", 10); err != nil {
					t.Errorf("ListObjects = %v", err)
					return
				}
			}
		})
	})

	// Counter increments one record from several goroutines with
	// compare-and-swap through a Condition; an increment is lost unless the
	// condition and the write are serialised with other writes to the key.
	t.Run("Counter", func(t suitetest.T) {
		b := s.recordsWithBucket(t)
		ctx := t.Context()
		const workers, increments = 4, 25
		parallel(workers, func(g int) {
			for i := 0; i < increments; {
				var n int
				var seen string // ETag of the record read; "" if none
				cur, err := b.GetObject(ctx, testBucket, "counter", "")
				switch {
				case err == nil:
					n, _ = strconv.Atoi(cur.Metadata["n"])
					seen = cur.ETag
				case !errors.Is(err, backend.ErrObjectNotFound):
					t.Errorf("GetObject = %v", err)
					return
				}
				next := backend.Object{
					Key:      "counter",
					ETag:     fmt.Sprintf(`"%d-%d"`, g, i),
					Metadata: map[string]string{"n": strconv.Itoa(n + 1)},
				}
				cond := backend.Condition{IfMatch: seen}
				if seen == "" {
					cond = backend.Condition{IfNoneMatch: true}
				}
				replaced, err := b.PutObject(ctx, testBucket, next, cond)
				if errors.Is(err, backend.ErrPreconditionFailed) {
					continue
				}
				if err != nil {
					t.Errorf("PutObject = %v", err)
					return
				}
				var was string
				if replaced != nil {
					was = replaced.ETag
				}
				if was != seen {
					t.Errorf("PutObject replaced %q, but its condition named %q", was, seen)
				}
				i++
			}
		})
		got, err := b.GetObject(ctx, testBucket, "counter", "")
		suitetest.CheckErr(t, "GetObject(counter)", err, nil)
		if want := strconv.Itoa(workers * increments); got.Metadata["n"] != want {
			t.Errorf("counter = %s after %d increments by compare-and-swap, want %s", got.Metadata["n"], workers*increments, want)
		}
	})

	// ConditionRace: of writers racing with the same condition, exactly one
	// wins.
	t.Run("ConditionRace", func(t suitetest.T) {
		tests := []struct {
			name   string
			exists bool
			cond   backend.Condition
		}{
			{"IfNoneMatch", false, backend.Condition{IfNoneMatch: true}},
			{"IfMatch", true, backend.Condition{IfMatch: fullObject("k").ETag}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t suitetest.T) {
				b := s.recordsWithBucket(t)
				if tt.exists {
					mustPut(t, b, testBucket, fullObject("k"))
				}
				const n = 8
				errs := make([]error, n)
				parallel(n, func(i int) {
					o := fullObject("k")
					o.ETag = fmt.Sprintf(`"writer-%d"`, i)
					_, errs[i] = b.PutObject(t.Context(), testBucket, o, tt.cond)
				})
				winner := -1
				for i, err := range errs {
					switch {
					case err == nil && winner >= 0:
						t.Errorf("writers %d and %d both succeeded; want exactly one", winner, i)
					case err == nil:
						winner = i
					case !errors.Is(err, backend.ErrPreconditionFailed):
						t.Errorf("writer %d: err = %v, want nil or %v", i, err, backend.ErrPreconditionFailed)
					}
				}
				if winner < 0 {
					t.Fatalf("no writer succeeded; want exactly one")
				}
				got, err := b.GetObject(t.Context(), testBucket, "k", "")
				suitetest.CheckErr(t, "GetObject", err, nil)
				if want := fmt.Sprintf(`"writer-%d"`, winner); got.ETag != want {
					t.Errorf("stored ETag = %s, want the winner's %s", got.ETag, want)
				}
			})
		}
	})

	t.Run("CreateBucket", func(t suitetest.T) {
		b := s.records(t)
		var mu sync.Mutex
		created := 0
		parallel(8, func(int) {
			err := b.CreateBucket(t.Context(), backend.Bucket{Name: "x", Created: suitetest.T0})
			switch {
			case err == nil:
				mu.Lock()
				created++
				mu.Unlock()
			case !errors.Is(err, backend.ErrBucketExists):
				t.Errorf("CreateBucket = %v, want nil or ErrBucketExists", err)
			}
		})
		if created != 1 {
			t.Errorf("%d concurrent CreateBucket calls for one name succeeded, want 1", created)
		}
	})

	t.Run("Parts", func(t suitetest.T) {
		b := s.recordsWithBucket(t)
		u := suitetest.FullUpload(testBucket, "k", "id", suitetest.T0)
		mustCreateUpload(t, b, u)
		parallel(4, func(g int) {
			for i := range 10 {
				if _, err := b.PutPart(t.Context(), testBucket, "k", "id", suitetest.FullPart(g*10+i+1, "b")); err != nil {
					t.Errorf("PutPart = %v", err)
				}
				if _, err := b.GetUpload(t.Context(), testBucket, "k", "id"); err != nil {
					t.Errorf("GetUpload = %v", err)
				}
			}
		})
		got, err := b.GetUpload(t.Context(), testBucket, "k", "id")
		suitetest.CheckErr(t, "GetUpload", err, nil)
		var want []backend.Part
		for n := 1; n <= 40; n++ {
			want = append(want, suitetest.FullPart(n, "b"))
		}
		check(t, "GetUpload parts after concurrent PutPart", got.Parts, want, normParts)
	})
}

func (s suite) testBlobsConcurrency(t suitetest.T) {
	t.Run("Writes", func(t suitetest.T) {
		b := s.blobs(t)
		var mu sync.Mutex
		ids := map[backend.BlobID]uint64{}
		parallel(4, func(g int) {
			for i := range 8 {
				seed := uint64(g*100 + i)
				id, _, err := b.WriteBlob(t.Context(), byteReader(suitetest.Content(seed, 64<<10+i)), -1)
				if err != nil {
					t.Errorf("WriteBlob = %v", err)
					return
				}
				mu.Lock()
				if _, ok := ids[id]; ok {
					t.Errorf("concurrent WriteBlob calls returned the same ID %q", id)
				}
				ids[id] = seed
				mu.Unlock()
			}
		})
		for id, seed := range ids {
			checkBlob(t, b, id, suitetest.Content(seed, 64<<10+int(seed%100)))
		}
	})
}
