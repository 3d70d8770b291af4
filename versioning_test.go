package mocks3_test

// Versioning through the SDK:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketVersioning.html,
// API_GetBucketVersioning.html and the versionId parameters of the object
// operations; https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/mocks3/mocks3"
	"github.com/mocks3/mocks3/faults"
	"github.com/mocks3/mocks3/s3api"
)

// setVersioning sets bucket's versioning status, which must succeed.
func setVersioning(t *testing.T, c *s3.Client, bucket string, status types.BucketVersioningStatus) {
	t.Helper()
	_, err := c.PutBucketVersioning(t.Context(), &s3.PutBucketVersioningInput{Bucket: aws.String(bucket),
		VersioningConfiguration: &types.VersioningConfiguration{Status: status}})
	if err != nil {
		t.Fatalf("PutBucketVersioning(%s) = %v, want success", status, err)
	}
}

// startVersioned starts a server holding testBucket with versioning
// enabled, and returns it with its client.
func startVersioned(t *testing.T, newServer newServerFunc, opts ...mocks3.Option) (*mocks3.Server, *s3.Client) {
	t.Helper()
	srv, c := startBucket(t, newServer, opts...)
	setVersioning(t, c, testBucket, types.BucketVersioningStatusEnabled)
	return srv, c
}

// versionOf returns what the x-amz-version-id header said.
func versionOf(p *string) string { return aws.ToString(p) }

// responseHeader returns a header of the response behind an SDK error.
func responseHeader(err error, name string) string {
	var re *awshttp.ResponseError
	if errors.As(err, &re) && re.Response != nil {
		return re.Response.Header.Get(name)
	}
	return ""
}

func TestBucketVersioningConfiguration(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		_, c := startBucket(t, newServer)
		ctx := t.Context()

		got, err := c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: aws.String(testBucket)})
		if err != nil || got.Status != "" || got.MFADelete != "" {
			t.Fatalf("GetBucketVersioning(never versioned) = %+v, %v; want no status", got, err)
		}

		tests := []struct {
			name       string
			bucket     string
			conf       types.VersioningConfiguration
			wantCode   string
			wantStatus int
			want       types.BucketVersioningStatus // the status GetBucketVersioning reports next
		}{
			{name: "enable", conf: types.VersioningConfiguration{Status: types.BucketVersioningStatusEnabled},
				want: types.BucketVersioningStatusEnabled},
			{name: "suspend", conf: types.VersioningConfiguration{Status: types.BucketVersioningStatusSuspended},
				want: types.BucketVersioningStatusSuspended},
			{name: "MFA delete disabled is accepted", conf: types.VersioningConfiguration{Status: types.BucketVersioningStatusEnabled, MFADelete: types.MFADeleteDisabled},
				want: types.BucketVersioningStatusEnabled},
			{name: "MFA delete enabled needs MFA", conf: types.VersioningConfiguration{Status: types.BucketVersioningStatusSuspended, MFADelete: types.MFADeleteEnabled},
				wantCode: "AccessDenied", wantStatus: 403, want: types.BucketVersioningStatusEnabled},
			{name: "no status", conf: types.VersioningConfiguration{},
				wantCode: "IllegalVersioningConfigurationException", wantStatus: 400, want: types.BucketVersioningStatusEnabled},
			{name: "unknown status", conf: types.VersioningConfiguration{Status: "Disabled"},
				wantCode: "IllegalVersioningConfigurationException", wantStatus: 400, want: types.BucketVersioningStatusEnabled},
			{name: "missing bucket", bucket: "no-such-bucket", conf: types.VersioningConfiguration{Status: types.BucketVersioningStatusEnabled},
				wantCode: "NoSuchBucket", wantStatus: 404, want: types.BucketVersioningStatusEnabled},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				bucket := testBucket
				if tt.bucket != "" {
					bucket = tt.bucket
				}
				_, err := c.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String(bucket), VersioningConfiguration: &tt.conf})
				if tt.wantCode != "" {
					checkErr(t, "PutBucketVersioning", err, tt.wantCode, tt.wantStatus)
				} else if err != nil {
					t.Fatalf("PutBucketVersioning = %v, want success", err)
				}
				got, err := c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: aws.String(testBucket)})
				if err != nil {
					t.Fatalf("GetBucketVersioning = %v", err)
				}
				if got.Status != tt.want {
					t.Errorf("GetBucketVersioning().Status = %q, want %q", got.Status, tt.want)
				}
			})
		}

		_, err = c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: aws.String("no-such-bucket")})
		checkErr(t, "GetBucketVersioning(missing bucket)", err, "NoSuchBucket", 404)
	})
}

// TestPutBucketVersioningMalformed sends what the SDK cannot: bodies that
// are not a versioning configuration.
func TestPutBucketVersioningMalformed(t *testing.T) {
	srv := mocks3.New(t, mocks3.WithBucket(testBucket))
	tests := []struct {
		name, body string
		wantCode   string
		wantStatus int
	}{
		{"not XML", "Enabled", "MalformedXML", 400},
		{"empty body", "", "MalformedXML", 400},
		{"wrong root element", "<Versioning><Status>Enabled</Status></Versioning>", "MalformedXML", 400},
		{"lower-case status", "<VersioningConfiguration><Status>enabled</Status></VersioningConfiguration>", "IllegalVersioningConfigurationException", 400},
		{"unknown MFA delete value", "<VersioningConfiguration><Status>Enabled</Status><MfaDelete>Yes</MfaDelete></VersioningConfiguration>",
			"IllegalVersioningConfigurationException", 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := rawRequest(t, srv, "PUT", "/"+testBucket+"?versioning", nil, []byte(tt.body))
			if resp.StatusCode != tt.wantStatus || !strings.Contains(string(body), "<Code>"+tt.wantCode+"</Code>") {
				t.Errorf("PUT ?versioning %q = %d %s, want %d %s", tt.body, resp.StatusCode, body, tt.wantStatus, tt.wantCode)
			}
		})
	}
	got, err := srv.Client().GetBucketVersioning(t.Context(), &s3.GetBucketVersioningInput{Bucket: aws.String(testBucket)})
	if err != nil || got.Status != "" {
		t.Errorf("GetBucketVersioning after refused configurations = %+v, %v; want no status", got, err)
	}
}

func TestVersionedObjects(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		_, c := startVersioned(t, newServer)
		ctx := t.Context()

		v1 := versionOf(mustPut(t, c, testBucket, "k", []byte("one")).VersionId)
		v2 := versionOf(mustPut(t, c, testBucket, "k", []byte("two")).VersionId)
		if v1 == "" || v2 == "" || v1 == v2 || v1 == "null" {
			t.Fatalf("PutObject version IDs = %q, %q; want two distinct IDs", v1, v2)
		}
		del, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(testBucket), Key: aws.String("k")})
		if err != nil {
			t.Fatalf("DeleteObject = %v", err)
		}
		marker := versionOf(del.VersionId)
		if !aws.ToBool(del.DeleteMarker) || marker == "" || marker == v2 {
			t.Fatalf("DeleteObject = marker %v, version %q; want a new delete marker", del.DeleteMarker, marker)
		}

		// Reads by version ID, and of the current version (the marker).
		tests := []struct {
			name       string
			version    string
			want       string
			wantCode   string
			wantStatus int
			wantMarker bool // x-amz-delete-marker: true
		}{
			{name: "first version", version: v1, want: "one"},
			{name: "second version", version: v2, want: "two"},
			{name: "current is a delete marker", wantCode: "NoSuchKey", wantStatus: 404, wantMarker: true},
			{name: "delete marker by ID", version: marker, wantCode: "MethodNotAllowed", wantStatus: 405, wantMarker: true},
			{name: "unknown version", version: strings.Repeat("x", 32), wantCode: "NoSuchVersion", wantStatus: 404},
			{name: "no null version", version: "null", wantCode: "NoSuchVersion", wantStatus: 404},
			{name: "malformed version ID", version: "v1", wantCode: "InvalidArgument", wantStatus: 400},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				var vid *string
				if tt.version != "" {
					vid = aws.String(tt.version)
				}
				in := &s3.GetObjectInput{Bucket: aws.String(testBucket), Key: aws.String("k"), VersionId: vid}
				head, herr := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: in.Bucket, Key: in.Key, VersionId: vid})
				if tt.wantCode != "" {
					err := getErr(ctx, c, in)
					checkErr(t, "GetObject", err, tt.wantCode, tt.wantStatus)
					checkErr(t, "HeadObject", herr, "", tt.wantStatus)
					if got := responseHeader(err, "x-amz-delete-marker") == "true"; got != tt.wantMarker {
						t.Errorf("GetObject x-amz-delete-marker = %v, want %v", got, tt.wantMarker)
					}
					if got := responseHeader(herr, "x-amz-delete-marker") == "true"; got != tt.wantMarker {
						t.Errorf("HeadObject x-amz-delete-marker = %v, want %v", got, tt.wantMarker)
					}
					if tt.wantMarker && responseHeader(err, "x-amz-version-id") != marker {
						t.Errorf("GetObject x-amz-version-id = %q, want the marker's %q", responseHeader(err, "x-amz-version-id"), marker)
					}
					return
				}
				out, body := mustGet(t, c, testBucket, "k", func(g *s3.GetObjectInput) { g.VersionId = vid })
				if string(body) != tt.want || versionOf(out.VersionId) != tt.version {
					t.Errorf("GetObject(version %s) = %q, version %q; want %q", tt.version, body, versionOf(out.VersionId), tt.want)
				}
				if herr != nil || versionOf(head.VersionId) != tt.version || aws.ToInt64(head.ContentLength) != int64(len(tt.want)) {
					t.Errorf("HeadObject(version %s) = %+v, %v", tt.version, head, herr)
				}
			})
		}

		list, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(testBucket)})
		if err != nil || len(list.Contents) != 0 {
			t.Fatalf("ListObjectsV2 with k deleted = %v, %v; want no objects", list, err)
		}

		// Deleting the marker brings v2 back; deleting v2 for good leaves v1.
		for _, step := range []struct {
			version    string
			wantMarker bool
			want       string
		}{{marker, true, "two"}, {v2, false, "one"}} {
			out, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(testBucket), Key: aws.String("k"), VersionId: aws.String(step.version)})
			if err != nil || versionOf(out.VersionId) != step.version || aws.ToBool(out.DeleteMarker) != step.wantMarker {
				t.Fatalf("DeleteObject(version %s) = %+v, %v; want version echoed, delete marker %v", step.version, out, err, step.wantMarker)
			}
			if _, body := mustGet(t, c, testBucket, "k"); string(body) != step.want {
				t.Errorf("GetObject after deleting version %s = %q, want %q", step.version, body, step.want)
			}
		}
		err = getErr(ctx, c, &s3.GetObjectInput{Bucket: aws.String(testBucket), Key: aws.String("k"), VersionId: aws.String(v2)})
		checkErr(t, "GetObject(deleted version)", err, "NoSuchVersion", 404)

		// Deletes are idempotent: an unknown version is no error.
		out, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(testBucket), Key: aws.String("k"), VersionId: aws.String(v2)})
		if err != nil || versionOf(out.VersionId) != v2 {
			t.Errorf("DeleteObject(deleted version) = %+v, %v; want success", out, err)
		}
		_, err = c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(testBucket), Key: aws.String("k"), VersionId: aws.String("bad")})
		checkErr(t, "DeleteObject(malformed version)", err, "InvalidArgument", 400)
	})
}

// TestVersioningNullVersions follows one key through a bucket that was
// never versioned, then enabled, then suspended: the object written before
// versioning is the null version, and writes while suspended replace it.
func TestVersioningNullVersions(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		_, c := startBucket(t, newServer)
		ctx := t.Context()

		if v := mustPut(t, c, testBucket, "k", []byte("before")).VersionId; v != nil {
			t.Errorf("PutObject(never versioned) version = %q, want none", *v)
		}
		if out, _ := mustGet(t, c, testBucket, "k"); out.VersionId != nil {
			t.Errorf("GetObject(never versioned) version = %q, want none", *out.VersionId)
		}
		if _, body := mustGet(t, c, testBucket, "k", func(g *s3.GetObjectInput) { g.VersionId = aws.String("null") }); string(body) != "before" {
			t.Errorf("GetObject(version null) = %q, want before", body)
		}
		setVersioning(t, c, testBucket, types.BucketVersioningStatusEnabled)
		v1 := versionOf(mustPut(t, c, testBucket, "k", []byte("enabled")).VersionId)
		setVersioning(t, c, testBucket, types.BucketVersioningStatusSuspended)
		if v := versionOf(mustPut(t, c, testBucket, "k", []byte("suspended")).VersionId); v != "null" {
			t.Errorf("PutObject(suspended) version = %q, want null", v)
		}

		type entry struct {
			Version string
			Marker  bool
			Latest  bool
		}
		versions := func() []entry {
			t.Helper()
			out, err := c.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String(testBucket)})
			if err != nil {
				t.Fatalf("ListObjectVersions = %v", err)
			}
			var got []entry
			for _, v := range out.Versions {
				got = append(got, entry{aws.ToString(v.VersionId), false, aws.ToBool(v.IsLatest)})
			}
			for _, m := range out.DeleteMarkers {
				got = append(got, entry{aws.ToString(m.VersionId), true, aws.ToBool(m.IsLatest)})
			}
			return got
		}
		// The suspended write replaced the null version written before
		// versioning; the enabled one stays.
		if diff := cmp.Diff([]entry{{"null", false, true}, {v1, false, false}}, versions()); diff != "" {
			t.Errorf("versions after a suspended write (-want +got):\n%s", diff)
		}
		if _, body := mustGet(t, c, testBucket, "k", func(g *s3.GetObjectInput) { g.VersionId = aws.String("null") }); string(body) != "suspended" {
			t.Errorf("GetObject(version null) = %q, want suspended", body)
		}

		// A delete while suspended makes a null delete marker in place of
		// the null version.
		del, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(testBucket), Key: aws.String("k")})
		if err != nil || !aws.ToBool(del.DeleteMarker) || versionOf(del.VersionId) != "null" {
			t.Fatalf("DeleteObject(suspended) = %+v, %v; want a null delete marker", del, err)
		}
		if diff := cmp.Diff([]entry{{v1, false, false}, {"null", true, true}}, versions()); diff != "" {
			t.Errorf("versions after a suspended delete (-want +got):\n%s", diff)
		}
		if _, body := mustGet(t, c, testBucket, "k", func(g *s3.GetObjectInput) { g.VersionId = aws.String(v1) }); string(body) != "enabled" {
			t.Errorf("GetObject(%s) = %q, want enabled", v1, body)
		}
	})
}

// TestVersionIDsRepeatable: with a seed, the same requests give the same
// version IDs, as they give the same upload IDs.
func TestVersionIDsRepeatable(t *testing.T) {
	run := func() []string {
		_, c := startVersioned(t, embedded, mocks3.WithSeed(42))
		var ids []string
		for _, k := range []string{"a", "a", "b"} {
			ids = append(ids, versionOf(mustPut(t, c, testBucket, k, []byte(k)).VersionId))
		}
		return ids
	}
	a, b := run(), run()
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("version IDs differ between two seeded runs (-first +second):\n%s", diff)
	}
	if a[0] == a[1] {
		t.Errorf("two versions of a share the ID %q", a[0])
	}
}

func TestDeleteObjectsVersions(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		_, c := startBucket(t, newServer)
		ctx := t.Context()
		mustPut(t, c, testBucket, "old", []byte("null version"))
		setVersioning(t, c, testBucket, types.BucketVersioningStatusEnabled)
		va := versionOf(mustPut(t, c, testBucket, "a", []byte("a")).VersionId)
		del, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(testBucket), Key: aws.String("gone")})
		if err != nil {
			t.Fatal(err)
		}
		goneMarker := versionOf(del.VersionId)

		out, err := c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String(testBucket), Delete: &types.Delete{Objects: []types.ObjectIdentifier{
			{Key: aws.String("a")}, // a new delete marker
			{Key: aws.String("a"), VersionId: aws.String(va)},
			{Key: aws.String("old"), VersionId: aws.String("null")},
			{Key: aws.String("gone"), VersionId: aws.String(goneMarker)}, // removing a delete marker
			{Key: aws.String("bad"), VersionId: aws.String("not-a-version")},
		}}})
		if err != nil {
			t.Fatalf("DeleteObjects = %v", err)
		}
		type deleted struct {
			Key, Version, MarkerVersion string
			Marker                      bool
		}
		var got []deleted
		for _, d := range out.Deleted {
			got = append(got, deleted{aws.ToString(d.Key), aws.ToString(d.VersionId), aws.ToString(d.DeleteMarkerVersionId), aws.ToBool(d.DeleteMarker)})
		}
		if len(got) != 4 || got[0].Key != "a" || !got[0].Marker || got[0].MarkerVersion == "" || got[0].Version != "" {
			t.Fatalf("DeleteObjects Deleted[0] = %+v, want a new delete marker of a", got)
		}
		want := []deleted{
			{"a", "", got[0].MarkerVersion, true},
			{"a", va, "", false},
			{"old", "null", "", false},
			{"gone", goneMarker, goneMarker, true},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("DeleteObjects Deleted (-want +got):\n%s", diff)
		}
		if len(out.Errors) != 1 || aws.ToString(out.Errors[0].Code) != "InvalidArgument" || aws.ToString(out.Errors[0].VersionId) != "not-a-version" {
			t.Errorf("DeleteObjects Errors = %+v, want one InvalidArgument for the malformed version", out.Errors)
		}
		// What is left: a's delete marker only.
		lv, err := c.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String(testBucket)})
		if err != nil || len(lv.Versions) != 0 || len(lv.DeleteMarkers) != 1 || aws.ToString(lv.DeleteMarkers[0].VersionId) != got[0].MarkerVersion {
			t.Errorf("ListObjectVersions after DeleteObjects = %+v, %v; want a's delete marker only", lv, err)
		}
	})
}

// TestEmptyVersionedBucketThenDelete is the teardown test suites run after
// each test: list every version and delete marker, delete them in batches,
// then delete the bucket.
func TestEmptyVersionedBucketThenDelete(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		_, c := startBucket(t, newServer)
		ctx := t.Context()
		mustPut(t, c, testBucket, "unversioned", []byte("x"))
		setVersioning(t, c, testBucket, types.BucketVersioningStatusEnabled)
		for i := range 7 {
			key := []string{"a", "dir/b", "dir/sub/c"}[i%3]
			mustPut(t, c, testBucket, key, []byte{byte(i)})
			if i%2 == 0 {
				if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(testBucket), Key: aws.String(key)}); err != nil {
					t.Fatal(err)
				}
			}
		}
		if _, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(testBucket), Key: aws.String("upload")}); err != nil {
			t.Fatal(err)
		}

		_, err := c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(testBucket)})
		checkErr(t, "DeleteBucket(with versions)", err, "BucketNotEmpty", 409)

		// Small pages so that the walk crosses keys and versions of one key.
		removed := 0
		p := s3.NewListObjectVersionsPaginator(c, &s3.ListObjectVersionsInput{Bucket: aws.String(testBucket), MaxKeys: aws.Int32(3)})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				t.Fatalf("ListObjectVersions page = %v", err)
			}
			var ids []types.ObjectIdentifier
			for _, v := range page.Versions {
				ids = append(ids, types.ObjectIdentifier{Key: v.Key, VersionId: v.VersionId})
			}
			for _, m := range page.DeleteMarkers {
				ids = append(ids, types.ObjectIdentifier{Key: m.Key, VersionId: m.VersionId})
			}
			if len(ids) == 0 {
				continue
			}
			out, err := c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String(testBucket), Delete: &types.Delete{Objects: ids, Quiet: aws.Bool(true)}})
			if err != nil || len(out.Errors) > 0 {
				t.Fatalf("DeleteObjects = %+v, %v", out, err)
			}
			removed += len(ids)
		}
		if want := 1 + 7 + 4; removed != want {
			t.Errorf("the walk removed %d versions and markers, want %d", removed, want)
		}
		if _, err := c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(testBucket)}); err != nil {
			t.Fatalf("DeleteBucket(emptied) = %v, want success", err)
		}
		_, err = c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(testBucket)})
		checkErr(t, "HeadBucket(deleted)", err, "", http.StatusNotFound)
	})
}

// TestDirectAPISeesDeleteMarkers: the direct API reads the current
// version, and a delete marker there is a deleted object.
func TestDirectAPISeesDeleteMarkers(t *testing.T) {
	srv, c := startVersioned(t, embedded)
	mustPut(t, c, testBucket, "k", []byte("v"))
	if _, err := c.DeleteObject(t.Context(), &s3.DeleteObjectInput{Bucket: aws.String(testBucket), Key: aws.String("k")}); err != nil {
		t.Fatal(err)
	}
	srv.CheckNoObject(t, testBucket, "k")
	var e smithy.APIError
	if _, err := srv.GetObject(testBucket, "k"); !errors.As(err, &e) || e.ErrorCode() != "NoSuchKey" {
		t.Errorf("GetObject(deleted) = %v, want NoSuchKey", err)
	}
	if keys, err := srv.Keys(testBucket, ""); err != nil || len(keys) != 0 {
		t.Errorf("Keys() = %q, %v; want none", keys, err)
	}
}

// TestVersioningFaults: fault rules name the versioning operations.
func TestVersioningFaults(t *testing.T) {
	srv, c := startBucket(t, embedded)
	for _, op := range []s3api.Operation{"PutBucketVersioning", "ListObjectVersions"} {
		if _, err := srv.Faults().Add(faults.Rule{Operation: op, Times: 1, Action: faults.ErrorCode("AccessDenied")}); err != nil {
			t.Fatalf("Faults().Add(%s) = %v", op, err)
		}
	}
	_, err := c.PutBucketVersioning(t.Context(), &s3.PutBucketVersioningInput{Bucket: aws.String(testBucket),
		VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusEnabled}})
	checkErr(t, "PutBucketVersioning(fault)", err, "AccessDenied", 403)
	_, err = c.ListObjectVersions(t.Context(), &s3.ListObjectVersionsInput{Bucket: aws.String(testBucket)})
	checkErr(t, "ListObjectVersions(fault)", err, "AccessDenied", 403)
	setVersioning(t, c, testBucket, types.BucketVersioningStatusEnabled) // the rules fired once
	for _, op := range []s3api.Operation{"PutBucketVersioning", "ListObjectVersions"} {
		if n, _ := attempts(srv, op); n == 0 {
			t.Errorf("the journal has no %s request", op)
		}
	}
}

// TestSeededRestartKeepsVersions: a server reopened on the same directory
// with the same seed draws the same version IDs again; a write must still
// add a version, never replace the one that has the ID.
func TestSeededRestartKeepsVersions(t *testing.T) {
	dir := t.TempDir()
	var ids []string
	for run := range 2 {
		srv, c := startVersioned(t, embedded, mocks3.WithDir(dir), mocks3.WithSeed(3))
		ids = append(ids, versionOf(mustPut(t, c, testBucket, "k", []byte{byte('a' + run)}).VersionId))
		srv.Close()
	}
	if ids[0] == ids[1] {
		t.Fatalf("both runs gave version %q", ids[0])
	}
	srv := mocks3.New(t, mocks3.WithDir(dir))
	c := srv.Client()
	for i, id := range ids {
		if _, body := mustGet(t, c, testBucket, "k", func(g *s3.GetObjectInput) { g.VersionId = aws.String(id) }); string(body) != string(rune('a'+i)) {
			t.Errorf("GetObject(k, %s) = %q, want %q", id, body, string(rune('a'+i)))
		}
	}
}

// TestRestartKeepsOlderVersions: reopening a WithDir directory sweeps
// bytes no record references; those of older versions and of versions
// under a delete marker are referenced.
func TestRestartKeepsOlderVersions(t *testing.T) {
	dir := t.TempDir()
	srv, c := startVersioned(t, embedded, mocks3.WithDir(dir))
	want := map[string]string{}
	for _, body := range []string{"one", "two"} {
		want[versionOf(mustPut(t, c, testBucket, "k", []byte(body)).VersionId)] = body
	}
	if _, err := c.DeleteObject(t.Context(), &s3.DeleteObjectInput{Bucket: aws.String(testBucket), Key: aws.String("k")}); err != nil {
		t.Fatal(err)
	}
	srv.Close()

	c = mocks3.New(t, mocks3.WithDir(dir)).Client()
	for id, body := range want {
		if _, got := mustGet(t, c, testBucket, "k", func(g *s3.GetObjectInput) { g.VersionId = aws.String(id) }); string(got) != body {
			t.Errorf("GetObject(k, %s) after a restart = %q, want %q", id, got, body)
		}
	}
}
