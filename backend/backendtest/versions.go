package backendtest

import (
	"fmt"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/suitetest"
)

// version returns a small record of key with version ID id ("" for the
// null version) and an ETag naming both, so that lists are easy to read.
func version(key, id string) backend.Object {
	return backend.Object{Key: key, VersionID: id, Size: 1, ETag: fmt.Sprintf(`"%s@%s"`, key, id), LastModified: suitetest.T0}
}

// marker returns a delete marker of key with version ID id.
func marker(key, id string) backend.Object {
	return backend.Object{Key: key, VersionID: id, DeleteMarker: true, LastModified: suitetest.T0}
}

// latest returns o with IsLatest set, as ListVersions reports it.
func latest(o backend.Object) backend.Object {
	o.IsLatest = true
	return o
}

// mustVersions puts each record of os in order.
func mustVersions(t suitetest.T, b backend.Records, os ...backend.Object) {
	t.Helper()
	for _, o := range os {
		mustPut(t, b, testBucket, o)
	}
}

// checkVersions compares the whole of ListVersions with want.
func checkVersions(t suitetest.T, b backend.Records, when string, want []backend.Object) {
	t.Helper()
	got, err := b.ListVersions(t.Context(), testBucket, "", "", 1000)
	suitetest.CheckErr(t, "ListVersions "+when, err, nil)
	check(t, "ListVersions "+when, got, want, normObjects)
}

func (s suite) testVersions(t suitetest.T) {
	t.Run("NullReplace", func(t suitetest.T) {
		b := s.recordsWithBucket(t)
		first := version("k", "")
		mustPut(t, b, testBucket, first)
		second := version("k", "")
		second.ETag = `"second"`
		replaced, err := b.PutObject(t.Context(), testBucket, second, backend.Condition{})
		suitetest.CheckErr(t, "PutObject(null again)", err, nil)
		if replaced == nil {
			t.Fatalf("PutObject(null again) replaced nothing, want the first null version")
		}
		check(t, "PutObject(null again) replaced", *replaced, first, normObject)
		checkVersions(t, b, "after replacing the null version", []backend.Object{latest(second)})
		// NullVersion names the null version, stored as "".
		got, err := b.GetObject(t.Context(), testBucket, "k", backend.NullVersion)
		suitetest.CheckErr(t, "GetObject(null)", err, nil)
		check(t, "GetObject(null)", got, second, normObject)
	})

	t.Run("EnabledAccumulate", func(t suitetest.T) {
		b := s.recordsWithBucket(t)
		v1, v2, v3 := version("k", "v1"), version("k", "v2"), version("k", "v3")
		for _, v := range []backend.Object{v1, v2, v3} {
			replaced, err := b.PutObject(t.Context(), testBucket, v, backend.Condition{})
			suitetest.CheckErr(t, "PutObject("+v.VersionID+")", err, nil)
			if replaced != nil {
				t.Errorf("PutObject(%s) replaced %+v, want nil: a new version ID replaces nothing", v.VersionID, *replaced)
			}
		}
		checkVersions(t, b, "after three versions", []backend.Object{latest(v3), v2, v1})
		got, err := b.GetObject(t.Context(), testBucket, "k", "")
		suitetest.CheckErr(t, "GetObject(current)", err, nil)
		check(t, "GetObject(current)", got, v3, normObject)
		for _, v := range []backend.Object{v1, v2, v3} {
			got, err := b.GetObject(t.Context(), testBucket, "k", v.VersionID)
			suitetest.CheckErr(t, "GetObject("+v.VersionID+")", err, nil)
			check(t, "GetObject("+v.VersionID+")", got, v, normObject)
		}
		objs, err := b.ListObjects(t.Context(), testBucket, "", 10)
		suitetest.CheckErr(t, "ListObjects", err, nil)
		check(t, "ListObjects", objs, []backend.Object{v3}, normObjects)
	})

	t.Run("SuspendedNullReplace", func(t suitetest.T) {
		b := s.recordsWithBucket(t)
		n1, v1, n2, v2, n3 := version("k", ""), version("k", "v1"), version("k", ""), version("k", "v2"), version("k", "")
		n2.ETag, n3.ETag = `"n2"`, `"n3"`
		mustVersions(t, b, n1, v1)
		replaced, err := b.PutObject(t.Context(), testBucket, n2, backend.Condition{})
		suitetest.CheckErr(t, "PutObject(null, suspended)", err, nil)
		if replaced == nil || replaced.ETag != n1.ETag {
			t.Errorf("PutObject(null, suspended) replaced %+v, want the older null version %s", replaced, n1.ETag)
		}
		checkVersions(t, b, "after a suspended write", []backend.Object{latest(n2), v1})
		mustVersions(t, b, v2, n3)
		checkVersions(t, b, "after another suspended write", []backend.Object{latest(n3), v2, v1})
	})

	t.Run("GetMissing", func(t suitetest.T) {
		b := s.recordsWithBucket(t)
		mustVersions(t, b, version("k", "v1"))
		tests := []struct {
			key, id string
			want    error
		}{
			{"missing", "", backend.ErrObjectNotFound},
			{"missing", "v1", backend.ErrObjectNotFound},
			{"k", "v2", backend.ErrVersionNotFound},
			{"k", backend.NullVersion, backend.ErrVersionNotFound},
		}
		for _, tt := range tests {
			call := fmt.Sprintf("(%q, %q)", tt.key, tt.id)
			_, err := b.GetObject(t.Context(), testBucket, tt.key, tt.id)
			suitetest.CheckErr(t, "GetObject"+call, err, tt.want)
			_, err = b.DeleteObject(t.Context(), testBucket, tt.key, tt.id)
			suitetest.CheckErr(t, "DeleteObject"+call, err, tt.want)
		}
		// DeleteObject's "" is the null version, which k lacks.
		_, err := b.DeleteObject(t.Context(), testBucket, "k", "")
		suitetest.CheckErr(t, `DeleteObject("k", "")`, err, backend.ErrVersionNotFound)
		checkVersions(t, b, "after failed deletes", []backend.Object{latest(version("k", "v1"))})
	})
	s.testVersionDeletes(t)
	s.testVersionListing(t)
}

// testVersionDeletes runs the Versions subtests that delete versions and
// leave delete markers.
func (s suite) testVersionDeletes(t suitetest.T) {
	t.Run("DeleteVersion", func(t suitetest.T) {
		b := s.recordsWithBucket(t)
		n, v1, v2, v3 := version("k", ""), version("k", "v1"), version("k", "v2"), version("k", "v3")
		mustVersions(t, b, n, v1, v2, v3)

		got, err := b.DeleteObject(t.Context(), testBucket, "k", "v2")
		suitetest.CheckErr(t, "DeleteObject(v2)", err, nil)
		check(t, "DeleteObject(v2)", got, v2, normObject)
		checkVersions(t, b, "after deleting a middle version", []backend.Object{latest(v3), v1, n})

		got, err = b.DeleteObject(t.Context(), testBucket, "k", "v3")
		suitetest.CheckErr(t, "DeleteObject(v3)", err, nil)
		check(t, "DeleteObject(v3)", got, v3, normObject)
		cur, err := b.GetObject(t.Context(), testBucket, "k", "")
		suitetest.CheckErr(t, "GetObject(current)", err, nil)
		check(t, "GetObject(current) after deleting the current version", cur, v1, normObject)

		got, err = b.DeleteObject(t.Context(), testBucket, "k", "")
		suitetest.CheckErr(t, `DeleteObject("")`, err, nil)
		check(t, `DeleteObject("")`, got, n, normObject)
		checkVersions(t, b, "after deleting the null version", []backend.Object{latest(v1)})

		_, err = b.DeleteObject(t.Context(), testBucket, "k", "v1")
		suitetest.CheckErr(t, "DeleteObject(last version)", err, nil)
		_, err = b.GetObject(t.Context(), testBucket, "k", "")
		suitetest.CheckErr(t, "GetObject after deleting every version", err, backend.ErrObjectNotFound)
		checkVersions(t, b, "after deleting every version", nil)
		suitetest.CheckErr(t, "DeleteBucket(emptied)", b.DeleteBucket(t.Context(), testBucket), nil)
	})

	t.Run("DeleteMarkers", func(t suitetest.T) {
		b := s.recordsWithBucket(t)
		a1, am, b1, cm := version("a", "a1"), marker("a", "am"), version("b", "b1"), marker("c", "cm")
		mustVersions(t, b, a1, am, b1, cm)

		objs, err := b.ListObjects(t.Context(), testBucket, "", 10)
		suitetest.CheckErr(t, "ListObjects", err, nil)
		check(t, "ListObjects with delete markers", objs, []backend.Object{b1}, normObjects)
		objs, err = b.ListObjects(t.Context(), testBucket, "", 1)
		suitetest.CheckErr(t, "ListObjects(limit 1)", err, nil)
		check(t, "ListObjects(limit 1) with a delete marker first", objs, []backend.Object{b1}, normObjects)
		checkVersions(t, b, "with delete markers", []backend.Object{latest(am), a1, latest(b1), latest(cm)})

		got, err := b.GetObject(t.Context(), testBucket, "a", "")
		suitetest.CheckErr(t, "GetObject(a, current)", err, nil)
		check(t, "GetObject(a, current)", got, am, normObject)
		got, err = b.GetObject(t.Context(), testBucket, "a", "a1")
		suitetest.CheckErr(t, "GetObject(a, a1)", err, nil)
		check(t, "GetObject(a, a1)", got, a1, normObject)

		// A delete marker counts as absent for conditions.
		_, err = b.PutObject(t.Context(), testBucket, version("c", "c1"), backend.Condition{IfMatch: "*"})
		suitetest.CheckErr(t, "PutObject(If-Match *, over a delete marker)", err, backend.ErrObjectNotFound)
		_, err = b.PutObject(t.Context(), testBucket, version("c", "c1"), backend.Condition{IfNoneMatch: true})
		suitetest.CheckErr(t, "PutObject(If-None-Match, over a delete marker)", err, nil)

		suitetest.CheckErr(t, "DeleteBucket(with delete markers)", b.DeleteBucket(t.Context(), testBucket), backend.ErrBucketNotEmpty)

		// Deleting the marker brings the version below it back.
		_, err = b.DeleteObject(t.Context(), testBucket, "a", "am")
		suitetest.CheckErr(t, "DeleteObject(marker)", err, nil)
		objs, err = b.ListObjects(t.Context(), testBucket, "", 10)
		suitetest.CheckErr(t, "ListObjects", err, nil)
		check(t, "ListObjects after deleting a marker", objs, []backend.Object{a1, b1, version("c", "c1")}, normObjects)
	})

	t.Run("OnlyMarkers", func(t suitetest.T) {
		b := s.recordsWithBucket(t)
		mustVersions(t, b, marker("m", "m1"))
		suitetest.CheckErr(t, "DeleteBucket(only a delete marker)", b.DeleteBucket(t.Context(), testBucket), backend.ErrBucketNotEmpty)
		if _, err := b.DeleteObject(t.Context(), testBucket, "m", "m1"); err != nil {
			t.Fatalf("DeleteObject(marker) = %v", err)
		}
		suitetest.CheckErr(t, "DeleteBucket(emptied)", b.DeleteBucket(t.Context(), testBucket), nil)
	})
}

// testVersionListing runs the Versions subtests that list versions and
// write them by upload and copy.
func (s suite) testVersionListing(t suitetest.T) {
	t.Run("ListVersionsPaging", func(t suitetest.T) {
		b := s.recordsWithBucket(t)
		all := []backend.Object{
			version("a", "a1"), version("a", "a2"), marker("a", "a3"),
			version("b", ""),
			version("c", ""), version("c", "c1"),
			marker("d", "d1"),
		}
		mustVersions(t, b, all...)
		want := []backend.Object{
			latest(all[2]), all[1], all[0],
			latest(all[3]),
			latest(all[5]), all[4],
			latest(all[6]),
		}
		checkVersions(t, b, "", want)

		for limit := 1; limit <= len(want)+1; limit++ {
			var got []backend.Object
			key, id := "", ""
			for range len(want) + 2 {
				page, err := b.ListVersions(t.Context(), testBucket, key, id, limit)
				suitetest.CheckErr(t, "ListVersions", err, nil)
				if len(page) > limit {
					t.Fatalf("ListVersions(limit %d) returned %d versions", limit, len(page))
				}
				got = append(got, page...)
				if len(page) < limit {
					break
				}
				last := page[len(page)-1]
				key, id = last.Key, last.VersionID
				if id == "" {
					id = backend.NullVersion
				}
			}
			check(t, fmt.Sprintf("ListVersions paged by %d", limit), got, want, normObjects)
		}

		tests := []struct {
			name          string
			fromKey, from string
			limit         int
			want          []backend.Object
		}{
			{"FromKey", "b", "", 10, want[3:]},
			{"FromKeyBetween", "bb", "", 10, want[4:]},
			{"AfterVersion", "a", "a2", 10, want[2:]},
			{"AfterLatest", "a", "a3", 2, want[1:3]},
			{"AfterNull", "c", backend.NullVersion, 10, want[6:]},
			{"AfterNullLatest", "b", backend.NullVersion, 10, want[4:]},
			{"GoneVersion", "a", "gone", 10, want[3:]},
			{"ZeroLimit", "", "", 0, nil},
			{"PastEnd", "e", "", 10, nil},
		}
		for _, tt := range tests {
			got, err := b.ListVersions(t.Context(), testBucket, tt.fromKey, tt.from, tt.limit)
			suitetest.CheckErr(t, "ListVersions "+tt.name, err, nil)
			check(t, fmt.Sprintf("ListVersions(%q, %q, %d)", tt.fromKey, tt.from, tt.limit), got, tt.want, normObjects)
		}
	})

	t.Run("CompleteUpload", func(t suitetest.T) {
		b := s.recordsWithBucket(t)
		v1 := version("k", "v1")
		mustVersions(t, b, v1)
		u := suitetest.FullUpload(testBucket, "k", "u1", suitetest.T0)
		mustCreateUpload(t, b, u)
		mustPutPart(t, b, u, suitetest.FullPart(1, "p1"))
		done := completed("k", suitetest.FullPart(1, "p1"))
		done.VersionID = "v2"
		replaced, _, err := b.CompleteUpload(t.Context(), testBucket, "u1", done, backend.Condition{})
		suitetest.CheckErr(t, "CompleteUpload(new version)", err, nil)
		if replaced != nil {
			t.Errorf("CompleteUpload(new version) replaced %+v, want nil", *replaced)
		}
		checkVersions(t, b, "after CompleteUpload", []backend.Object{latest(done), v1})

		u = suitetest.FullUpload(testBucket, "k", "u2", suitetest.T0)
		mustCreateUpload(t, b, u)
		mustPutPart(t, b, u, suitetest.FullPart(1, "p2"))
		again := completed("k", suitetest.FullPart(1, "p2"))
		again.VersionID = "v1"
		replaced, _, err = b.CompleteUpload(t.Context(), testBucket, "u2", again, backend.Condition{})
		suitetest.CheckErr(t, "CompleteUpload(existing version ID)", err, nil)
		if replaced == nil || replaced.ETag != v1.ETag {
			t.Errorf("CompleteUpload(existing version ID) replaced %+v, want %s", replaced, v1.ETag)
		}
		checkVersions(t, b, "after a CompleteUpload replacing a version", []backend.Object{latest(again), done})
	})

	t.Run("Copies", func(t suitetest.T) {
		b := s.recordsWithBucket(t)
		o := fullObject("k")
		o.VersionID = "v1"
		mustPut(t, b, testBucket, o)
		list, err := b.ListVersions(t.Context(), testBucket, "", "", 10)
		suitetest.CheckErr(t, "ListVersions", err, nil)
		if len(list) != 1 {
			t.Fatalf("ListVersions = %d versions, want 1", len(list))
		}
		list[0].Tags["new"] = "x"
		list[0].ACL[0] = 'X'
		list[0].Metadata["a"] = "changed"
		got, err := b.GetObject(t.Context(), testBucket, "k", "v1")
		suitetest.CheckErr(t, "GetObject", err, nil)
		check(t, "GetObject after mutating ListVersions' result", got, o, normObject)
	})
}

// checkUpdate applies u to the version versionID of key and checks that
// UpdateObject answers want; what names the update in messages.
func checkUpdate(t suitetest.T, b backend.Records, what, key, versionID string, u backend.ObjectUpdate, want backend.Object) {
	t.Helper()
	got, err := b.UpdateObject(t.Context(), testBucket, key, versionID, u)
	suitetest.CheckErr(t, "UpdateObject("+what+")", err, nil)
	check(t, "UpdateObject("+what+")", got, want, normObject)
}

func (s suite) testUpdateObject(t suitetest.T) {
	legal := true
	ret := backend.Retention{Mode: "COMPLIANCE", Until: suitetest.T0.AddDate(1, 0, 0)}
	tags := map[string]string{"new": "tag", "é": "ü"}
	acl := []byte(`<AccessControlPolicy>new</AccessControlPolicy>`)

	t.Run("Fields", func(t suitetest.T) {
		b := s.recordsWithBucket(t)
		v1, v2 := fullObject("k"), version("k", "v2")
		v1.VersionID = "v1"
		mustVersions(t, b, v1, v2)

		want := v1
		want.Tags = tags
		checkUpdate(t, b, "tags", "k", "v1", backend.ObjectUpdate{Tags: &tags}, want)
		want.ACL, want.Retention, want.LegalHold = acl, ret, true
		checkUpdate(t, b, "acl, retention, legal hold", "k", "v1", backend.ObjectUpdate{ACL: &acl, Retention: &ret, LegalHold: &legal}, want)
		checkUpdate(t, b, "nothing", "k", "v1", backend.ObjectUpdate{}, want)

		got, err := b.GetObject(t.Context(), testBucket, "k", "v1")
		suitetest.CheckErr(t, "GetObject(v1)", err, nil)
		check(t, "GetObject(v1) after UpdateObject", got, want, normObject)
		// The version keeps its place; the others are untouched.
		checkVersions(t, b, "after UpdateObject", []backend.Object{latest(v2), want})
	})

	t.Run("Current", func(t suitetest.T) {
		b := s.recordsWithBucket(t)
		v1, v2 := version("k", "v1"), version("k", "v2")
		mustVersions(t, b, v1, v2)
		want := v2
		want.LegalHold = true
		checkUpdate(t, b, "current", "k", "", backend.ObjectUpdate{LegalHold: &legal}, want)
		checkVersions(t, b, "after UpdateObject(current)", []backend.Object{latest(want), v1})

		null := version("n", "")
		mustVersions(t, b, null, version("n", "n1"))
		want = null
		want.Tags = tags
		checkUpdate(t, b, "null", "n", backend.NullVersion, backend.ObjectUpdate{Tags: &tags}, want)
	})

	t.Run("Remove", func(t suitetest.T) {
		b := s.recordsWithBucket(t)
		o := fullObject("k")
		mustVersions(t, b, o)
		var noTags map[string]string
		var noACL []byte
		want := o
		want.Tags, want.ACL = nil, nil
		checkUpdate(t, b, "remove tags and ACL", "k", "", backend.ObjectUpdate{Tags: &noTags, ACL: &noACL}, want)
		got, err := b.GetObject(t.Context(), testBucket, "k", "")
		suitetest.CheckErr(t, "GetObject", err, nil)
		check(t, "GetObject after removing tags and ACL", got, want, normObject)
	})

	t.Run("Missing", func(t suitetest.T) {
		b := s.recordsWithBucket(t)
		mustVersions(t, b, version("k", "v1"))
		_, err := b.UpdateObject(t.Context(), testBucket, "missing", "", backend.ObjectUpdate{LegalHold: &legal})
		suitetest.CheckErr(t, "UpdateObject(missing key)", err, backend.ErrObjectNotFound)
		_, err = b.UpdateObject(t.Context(), testBucket, "k", "v2", backend.ObjectUpdate{LegalHold: &legal})
		suitetest.CheckErr(t, "UpdateObject(missing version)", err, backend.ErrVersionNotFound)
		checkVersions(t, b, "after failed updates", []backend.Object{latest(version("k", "v1"))})
	})

	t.Run("Copies", func(t suitetest.T) {
		b := s.recordsWithBucket(t)
		mustVersions(t, b, version("k", ""))
		in := map[string]string{"a": "1"}
		inACL := []byte("acl")
		got, err := b.UpdateObject(t.Context(), testBucket, "k", "", backend.ObjectUpdate{Tags: &in, ACL: &inACL})
		suitetest.CheckErr(t, "UpdateObject", err, nil)
		in["a"] = "changed"
		inACL[0] = 'X'
		got.Tags["b"] = "2"
		want := version("k", "")
		want.Tags, want.ACL = map[string]string{"a": "1"}, []byte("acl")
		stored, err := b.GetObject(t.Context(), testBucket, "k", "")
		suitetest.CheckErr(t, "GetObject", err, nil)
		check(t, "GetObject after mutating UpdateObject's input and result", stored, want, normObject)
	})
}

func (s suite) testBucketConfigs(t suitetest.T) {
	t.Run("PutGet", func(t suitetest.T) {
		b := s.recordsWithBucket(t)
		_, err := b.GetBucketConfig(t.Context(), testBucket, "cors")
		suitetest.CheckErr(t, "GetBucketConfig(none)", err, backend.ErrConfigNotFound)
		docs := map[string]string{"cors": "<CORSConfiguration/>", "policy": `{"Version":"2012-10-17"}`, "tagging": "\x00binary\xff"}
		for kind, doc := range docs {
			suitetest.CheckErr(t, "PutBucketConfig("+kind+")", b.PutBucketConfig(t.Context(), testBucket, kind, []byte(doc)), nil)
		}
		suitetest.CheckErr(t, "PutBucketConfig(cors again)", b.PutBucketConfig(t.Context(), testBucket, "cors", []byte("replaced")), nil)
		docs["cors"] = "replaced"
		for kind, doc := range docs {
			got, err := b.GetBucketConfig(t.Context(), testBucket, kind)
			suitetest.CheckErr(t, "GetBucketConfig("+kind+")", err, nil)
			if string(got) != doc {
				t.Errorf("GetBucketConfig(%s) = %q, want %q", kind, got, doc)
			}
		}
		_, err = b.GetBucketConfig(t.Context(), testBucket, "website")
		suitetest.CheckErr(t, "GetBucketConfig(other kind)", err, backend.ErrConfigNotFound)
		mustCreateBucket(t, b, "other")
		_, err = b.GetBucketConfig(t.Context(), "other", "cors")
		suitetest.CheckErr(t, "GetBucketConfig(other bucket)", err, backend.ErrConfigNotFound)
	})

	t.Run("Empty", func(t suitetest.T) {
		b := s.recordsWithBucket(t)
		suitetest.CheckErr(t, "PutBucketConfig(empty)", b.PutBucketConfig(t.Context(), testBucket, "cors", nil), nil)
		got, err := b.GetBucketConfig(t.Context(), testBucket, "cors")
		suitetest.CheckErr(t, "GetBucketConfig(empty)", err, nil)
		if len(got) != 0 {
			t.Errorf("GetBucketConfig(empty) = %q, want empty", got)
		}
	})

	t.Run("Delete", func(t suitetest.T) {
		b := s.recordsWithBucket(t)
		suitetest.CheckErr(t, "DeleteBucketConfig(none)", b.DeleteBucketConfig(t.Context(), testBucket, "cors"), nil)
		suitetest.CheckErr(t, "PutBucketConfig", b.PutBucketConfig(t.Context(), testBucket, "cors", []byte("c")), nil)
		suitetest.CheckErr(t, "PutBucketConfig", b.PutBucketConfig(t.Context(), testBucket, "policy", []byte("p")), nil)
		suitetest.CheckErr(t, "DeleteBucketConfig", b.DeleteBucketConfig(t.Context(), testBucket, "cors"), nil)
		_, err := b.GetBucketConfig(t.Context(), testBucket, "cors")
		suitetest.CheckErr(t, "GetBucketConfig(deleted)", err, backend.ErrConfigNotFound)
		suitetest.CheckErr(t, "DeleteBucketConfig(again)", b.DeleteBucketConfig(t.Context(), testBucket, "cors"), nil)
		if got, err := b.GetBucketConfig(t.Context(), testBucket, "policy"); err != nil || string(got) != "p" {
			t.Errorf("GetBucketConfig(policy) = %q, %v after deleting cors, want \"p\", nil", got, err)
		}
	})

	t.Run("DeletedWithBucket", func(t suitetest.T) {
		b := s.recordsWithBucket(t)
		suitetest.CheckErr(t, "PutBucketConfig", b.PutBucketConfig(t.Context(), testBucket, "cors", []byte("c")), nil)
		suitetest.CheckErr(t, "DeleteBucket(with a configuration)", b.DeleteBucket(t.Context(), testBucket), nil)
		_, err := b.GetBucketConfig(t.Context(), testBucket, "cors")
		suitetest.CheckErr(t, "GetBucketConfig(deleted bucket)", err, backend.ErrBucketNotFound)
		mustCreateBucket(t, b, testBucket)
		_, err = b.GetBucketConfig(t.Context(), testBucket, "cors")
		suitetest.CheckErr(t, "GetBucketConfig(recreated bucket)", err, backend.ErrConfigNotFound)
	})

	t.Run("Copies", func(t suitetest.T) {
		b := s.recordsWithBucket(t)
		in := []byte("doc")
		suitetest.CheckErr(t, "PutBucketConfig", b.PutBucketConfig(t.Context(), testBucket, "cors", in), nil)
		in[0] = 'X'
		got, err := b.GetBucketConfig(t.Context(), testBucket, "cors")
		suitetest.CheckErr(t, "GetBucketConfig", err, nil)
		got[1] = 'X'
		got, err = b.GetBucketConfig(t.Context(), testBucket, "cors")
		suitetest.CheckErr(t, "GetBucketConfig", err, nil)
		if string(got) != "doc" {
			t.Errorf("GetBucketConfig = %q after mutating the input and an earlier result, want \"doc\"", got)
		}
	})
}
