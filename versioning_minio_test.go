package mocks3_test

// Versioning through minio-go, whose calls differ from the AWS SDK's: a
// versioning configuration without a namespace, listings that always ask
// for encoding-type=url, delete markers read from the headers of 404 and
// 405 answers, and DeleteObjects built from listing entries.

import (
	"bytes"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/minio/minio-go/v7"

	"github.com/mocks3/mocks3"
)

func TestMinioVersioning(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		srv := newServer(t, mocks3.WithBucket(testBucket))
		mc := newMinio(t, srv, false)
		ctx := t.Context()
		if err := mc.EnableVersioning(ctx, testBucket); err != nil {
			t.Fatalf("EnableVersioning = %v", err)
		}
		conf, err := mc.GetBucketVersioning(ctx, testBucket)
		if err != nil || !conf.Enabled() {
			t.Fatalf("GetBucketVersioning = %+v, %v; want enabled", conf, err)
		}
		const key = "dir/a b+ü.txt"
		put := func(body string) string {
			t.Helper()
			info, err := mc.PutObject(ctx, testBucket, key, bytes.NewReader([]byte(body)), int64(len(body)), minio.PutObjectOptions{})
			if err != nil || info.VersionID == "" {
				t.Fatalf("PutObject = %+v, %v; want a version ID", info, err)
			}
			return info.VersionID
		}
		v1, v2 := put("one"), put("two")
		if got := readMinio(t, mc, testBucket, key, minio.GetObjectOptions{VersionID: v1}); string(got) != "one" {
			t.Errorf("GetObject(%s) = %q, want one", v1, got)
		}
		if st, err := mc.StatObject(ctx, testBucket, key, minio.StatObjectOptions{VersionID: v2}); err != nil || st.VersionID != v2 || st.Size != 3 {
			t.Errorf("StatObject(%s) = %+v, %v", v2, st, err)
		}

		// RemoveObject without a version makes a delete marker: a HEAD of
		// the key is then a 404 and a HEAD of the marker a 405. (minio-go
		// v7.2 reports both as errors without the delete marker headers.)
		if err := mc.RemoveObject(ctx, testBucket, key, minio.RemoveObjectOptions{}); err != nil {
			t.Fatalf("RemoveObject = %v", err)
		}
		_, err = mc.StatObject(ctx, testBucket, key, minio.StatObjectOptions{})
		if e := minio.ToErrorResponse(err); e.StatusCode != http.StatusNotFound || e.Code != "NoSuchKey" {
			t.Fatalf("StatObject(deleted) = %v, want 404 NoSuchKey", err)
		}
		var marker string
		for o := range mc.ListObjects(ctx, testBucket, minio.ListObjectsOptions{WithVersions: true, Recursive: true}) {
			if o.IsDeleteMarker {
				marker = o.VersionID
			}
		}
		_, err = mc.StatObject(ctx, testBucket, key, minio.StatObjectOptions{VersionID: marker})
		if minio.ToErrorResponse(err).StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("StatObject(marker %q) = %v, want 405", marker, err)
		}

		type entry struct {
			Key, Version   string
			Latest, Marker bool
		}
		var got []entry
		for o := range mc.ListObjects(ctx, testBucket, minio.ListObjectsOptions{WithVersions: true, Recursive: true}) {
			if o.Err != nil {
				t.Fatalf("ListObjects(WithVersions) = %v", o.Err)
			}
			got = append(got, entry{o.Key, o.VersionID, o.IsLatest, o.IsDeleteMarker})
		}
		want := []entry{{key, marker, true, true}, {key, v2, false, false}, {key, v1, false, false}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("ListObjects(WithVersions) (-want +got):\n%s", diff)
		}

		// Copy a version back, then remove every version in one request.
		if _, err := mc.CopyObject(ctx, minio.CopyDestOptions{Bucket: testBucket, Object: "restored"},
			minio.CopySrcOptions{Bucket: testBucket, Object: key, VersionID: v1}); err != nil {
			t.Fatalf("CopyObject(version %s) = %v", v1, err)
		}
		if got := readMinio(t, mc, testBucket, "restored", minio.GetObjectOptions{}); string(got) != "one" {
			t.Errorf("GetObject(restored) = %q, want one", got)
		}
		objs := make(chan minio.ObjectInfo)
		go func() {
			defer close(objs)
			for o := range mc.ListObjects(ctx, testBucket, minio.ListObjectsOptions{WithVersions: true, Recursive: true}) {
				objs <- o
			}
		}()
		removed := 0
		for r := range mc.RemoveObjectsWithResult(ctx, testBucket, objs, minio.RemoveObjectsOptions{}) {
			if r.Err != nil {
				t.Errorf("RemoveObjects(%s, %s) = %v", r.ObjectName, r.ObjectVersionID, r.Err)
			}
			if r.ObjectVersionID == marker && (!r.DeleteMarker || r.DeleteMarkerVersionID != marker) {
				t.Errorf("RemoveObjects result for the marker = %+v, want DeleteMarker with its version", r)
			}
			removed++
		}
		if removed != 4 {
			t.Errorf("RemoveObjects removed %d versions, want 4", removed)
		}
		if err := mc.RemoveBucket(ctx, testBucket); err != nil {
			t.Errorf("RemoveBucket(emptied) = %v", err)
		}

		if err := mc.SuspendVersioning(ctx, "no-such-bucket"); minio.ToErrorResponse(err).Code != "NoSuchBucket" {
			t.Errorf("SuspendVersioning(missing bucket) = %v, want NoSuchBucket", err)
		}
	})
}
