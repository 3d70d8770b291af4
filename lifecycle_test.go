package mocks3_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/require"

	"github.com/mocks3/mocks3"
	"github.com/mocks3/mocks3/faults"
)

// lcT0 is mid-morning, so that a 1-day rule falls due at the second
// midnight after it (S3 rounds expirations up to midnight UTC).
var lcT0 = time.Date(2030, 3, 4, 10, 0, 0, 0, time.UTC)

// newLifecycleServer starts a server on a movable clock with bucket "lcb"
// under a rule expiring keys under "tmp/" one day after their creation.
func newLifecycleServer(t *testing.T, newServer newServerFunc, versioned bool) (*s3.Client, *movableClock) {
	t.Helper()
	clock := newMovableClock(lcT0)
	srv := newServer(t, mocks3.WithClock(clock.now))
	c := srv.Client()
	newLifecycleBucket(t, c, "lcb", versioned, types.LifecycleRule{
		ID:                             aws.String("tmp-1d"),
		Status:                         types.ExpirationStatusEnabled,
		Filter:                         &types.LifecycleRuleFilter{Prefix: aws.String("tmp/")},
		Expiration:                     &types.LifecycleExpiration{Days: aws.Int32(1)},
		AbortIncompleteMultipartUpload: &types.AbortIncompleteMultipartUpload{DaysAfterInitiation: aws.Int32(2)},
	})
	return c, clock
}

// newLifecycleBucket creates bucket, with versioning enabled if versioned,
// under the lifecycle rules.
func newLifecycleBucket(t *testing.T, c *s3.Client, bucket string, versioned bool, rules ...types.LifecycleRule) {
	t.Helper()
	mustCreateBucket(t, c, bucket)
	if versioned {
		setVersioning(t, c, bucket, types.BucketVersioningStatusEnabled)
	}
	if _, err := c.PutBucketLifecycleConfiguration(t.Context(), &s3.PutBucketLifecycleConfigurationInput{
		Bucket: aws.String(bucket), LifecycleConfiguration: &types.BucketLifecycleConfiguration{Rules: rules},
	}); err != nil {
		t.Fatalf("PutBucketLifecycleConfiguration = %v", err)
	}
}

func lifecycleKeys(t *testing.T, c *s3.Client, bucket string) []string {
	t.Helper()
	out, err := c.ListObjectsV2(t.Context(), &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
	if err != nil {
		t.Fatalf("ListObjectsV2 = %v", err)
	}
	var keys []string
	for _, o := range out.Contents {
		keys = append(keys, aws.ToString(o.Key))
	}
	return keys
}

func TestLifecycleExpiresUnversioned(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) { testLifecycleExpiresUnversioned(t, newServer) })
}

func testLifecycleExpiresUnversioned(t *testing.T, newServer newServerFunc) {
	c, clock := newLifecycleServer(t, newServer, false)
	mustPut(t, c, "lcb", "tmp/a", []byte("a"))
	mustPut(t, c, "lcb", "keep/b", []byte("b"))
	if _, err := c.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String("lcb"), Key: aws.String("tmp/a")}); err != nil {
		t.Fatalf("GetObject(tmp/a) before expiry = %v, want success", err)
	}
	clock.advance(25 * time.Hour) // 11:00 the next day: not yet due (midnight after)
	if _, err := c.HeadObject(t.Context(), &s3.HeadObjectInput{Bucket: aws.String("lcb"), Key: aws.String("tmp/a")}); err != nil {
		t.Fatalf("HeadObject(tmp/a) 25 h later, before the midnight it falls due = %v, want success", err)
	}
	clock.advance(14 * time.Hour) // past 2030-03-06 00:00
	if got := lifecycleKeys(t, c, "lcb"); len(got) != 1 || got[0] != "keep/b" {
		t.Errorf("ListObjectsV2 after expiry = %q, want [keep/b]", got)
	}
	_, err := c.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String("lcb"), Key: aws.String("tmp/a")})
	var nsk *types.NoSuchKey
	if !errors.As(err, &nsk) {
		t.Errorf("GetObject(tmp/a) after expiry = %v, want NoSuchKey", err)
	}
	if _, err := c.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String("lcb"), Key: aws.String("keep/b")}); err != nil {
		t.Errorf("GetObject(keep/b), outside the rule's prefix = %v, want success", err)
	}
}

// A GET is the first request after the clock moves: it alone must expire.
func TestLifecycleExpiresOnGet(t *testing.T) {
	c, clock := newLifecycleServer(t, embedded, false)
	mustPut(t, c, "lcb", "tmp/a", []byte("a"))
	clock.advance(48 * time.Hour)
	_, err := c.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String("lcb"), Key: aws.String("tmp/a")})
	var nsk *types.NoSuchKey
	if !errors.As(err, &nsk) {
		t.Errorf("GetObject(tmp/a) 48 h later = %v, want NoSuchKey", err)
	}
	_, err = c.GetObjectAttributes(t.Context(), &s3.GetObjectAttributesInput{Bucket: aws.String("lcb"), Key: aws.String("tmp/a"),
		ObjectAttributes: []types.ObjectAttributes{types.ObjectAttributesEtag}})
	if !errors.As(err, &nsk) {
		t.Errorf("GetObjectAttributes(tmp/a) after expiry = %v, want NoSuchKey", err)
	}
}

// A stale read (a fault serving the key's previous record) whose record
// lifecycle would expire must not expire the current version, which is
// not due: lifecycle decides on the current record, read past the faults.
func TestLifecycleStaleReadKeepsCurrent(t *testing.T) {
	for _, op := range []string{"GetObject", "HeadObject", "GetObjectAttributes"} {
		t.Run(op, func(t *testing.T) {
			clock := newMovableClock(lcT0)
			srv := mocks3.New(t, mocks3.WithClock(clock.now))
			c := srv.Client()
			newLifecycleBucket(t, c, "lcb", false, types.LifecycleRule{ID: aws.String("tmp-1d"), Status: types.ExpirationStatusEnabled,
				Filter: &types.LifecycleRuleFilter{Prefix: aws.String("tmp/")}, Expiration: &types.LifecycleExpiration{Days: aws.Int32(1)}})
			mustPut(t, c, "lcb", "tmp/a", []byte("old"))
			clock.advance(72 * time.Hour)
			mustPut(t, c, "lcb", "tmp/a", []byte("new")) // due at the second midnight from now
			h := srv.Faults().AddT(t, faults.Rule{Service: "metadata", RoleOp: "GetObject", Action: faults.StaleRead()})[0]
			in := &s3.HeadObjectInput{Bucket: aws.String("lcb"), Key: aws.String("tmp/a")}
			var err error
			switch op {
			case "GetObject":
				_, err = getBody(t.Context(), c, "lcb", "tmp/a")
			case "HeadObject":
				_, err = c.HeadObject(t.Context(), in)
			default:
				_, err = c.GetObjectAttributes(t.Context(), &s3.GetObjectAttributesInput{Bucket: in.Bucket, Key: in.Key,
					ObjectAttributes: []types.ObjectAttributes{types.ObjectAttributesEtag}})
			}
			require.NoError(t, err, "%s with a stale read", op)
			require.Positive(t, h.Hits(), "the stale read rule never fired")
			h.Remove()
			got, err := getBody(t.Context(), c, "lcb", "tmp/a")
			if err != nil || string(got) != "new" {
				t.Errorf("GetObject(tmp/a) after the stale %s = %q, %v; want \"new\", not yet due", op, got, err)
			}
		})
	}
}

func TestLifecycleExpiresVersionedWithDeleteMarker(t *testing.T) {
	c, clock := newLifecycleServer(t, embedded, true)
	put := mustPut(t, c, "lcb", "tmp/a", []byte("a"))
	clock.advance(48 * time.Hour)
	if _, err := c.HeadObject(t.Context(), &s3.HeadObjectInput{Bucket: aws.String("lcb"), Key: aws.String("tmp/a")}); err == nil {
		t.Fatalf("HeadObject(tmp/a) after expiry succeeded, want 404 (a delete marker)")
	}
	out, err := c.ListObjectVersions(t.Context(), &s3.ListObjectVersionsInput{Bucket: aws.String("lcb")})
	if err != nil {
		t.Fatalf("ListObjectVersions = %v", err)
	}
	if len(out.DeleteMarkers) != 1 || !aws.ToBool(out.DeleteMarkers[0].IsLatest) {
		t.Errorf("DeleteMarkers = %+v, want one, latest", out.DeleteMarkers)
	}
	if len(out.Versions) != 1 || aws.ToString(out.Versions[0].VersionId) != aws.ToString(put.VersionId) || aws.ToBool(out.Versions[0].IsLatest) {
		t.Errorf("Versions = %+v, want the put version %s, noncurrent", out.Versions, aws.ToString(put.VersionId))
	}
	got, err := c.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String("lcb"), Key: aws.String("tmp/a"), VersionId: put.VersionId})
	if err != nil {
		t.Fatalf("GetObject(tmp/a, versionId) after expiry = %v, want the noncurrent version", err)
	}
	got.Body.Close()
}

// The first request after the clock moves is ListObjectVersions.
func TestLifecycleExpiresOnListVersions(t *testing.T) {
	c, clock := newLifecycleServer(t, embedded, true)
	mustPut(t, c, "lcb", "tmp/a", []byte("a"))
	clock.advance(48 * time.Hour)
	out, err := c.ListObjectVersions(t.Context(), &s3.ListObjectVersionsInput{Bucket: aws.String("lcb")})
	if err != nil {
		t.Fatalf("ListObjectVersions = %v", err)
	}
	if len(out.DeleteMarkers) != 1 || len(out.Versions) != 1 || aws.ToBool(out.Versions[0].IsLatest) {
		t.Errorf("ListObjectVersions after expiry: %d markers, versions %+v; want a current marker over a noncurrent version",
			len(out.DeleteMarkers), out.Versions)
	}
}

func TestLifecycleHeaders(t *testing.T) {
	c, _ := newLifecycleServer(t, embedded, false)
	const want = `expiry-date="Wed, 06 Mar 2030 00:00:00 GMT", rule-id="tmp-1d"`
	put := mustPut(t, c, "lcb", "tmp/a", []byte("a"))
	if got := aws.ToString(put.Expiration); got != want {
		t.Errorf("PutObject Expiration = %q, want %q", got, want)
	}
	head, err := c.HeadObject(t.Context(), &s3.HeadObjectInput{Bucket: aws.String("lcb"), Key: aws.String("tmp/a")})
	if err != nil {
		t.Fatalf("HeadObject = %v", err)
	}
	if got := aws.ToString(head.Expiration); got != want {
		t.Errorf("HeadObject Expiration = %q, want %q", got, want)
	}
	get, err := c.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String("lcb"), Key: aws.String("tmp/a")})
	if err != nil {
		t.Fatalf("GetObject = %v", err)
	}
	get.Body.Close()
	if got := aws.ToString(get.Expiration); got != want {
		t.Errorf("GetObject Expiration = %q, want %q", got, want)
	}
	other := mustPut(t, c, "lcb", "keep/b", []byte("b"))
	if other.Expiration != nil {
		t.Errorf("PutObject(keep/b) Expiration = %q, want none (outside the rule)", aws.ToString(other.Expiration))
	}

	mp, err := c.CreateMultipartUpload(t.Context(), &s3.CreateMultipartUploadInput{Bucket: aws.String("lcb"), Key: aws.String("tmp/m")})
	if err != nil {
		t.Fatalf("CreateMultipartUpload = %v", err)
	}
	if got, want := aws.ToTime(mp.AbortDate), time.Date(2030, 3, 7, 0, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("AbortDate = %v, want %v", got, want)
	}
	if got := aws.ToString(mp.AbortRuleId); got != "tmp-1d" {
		t.Errorf("AbortRuleId = %q, want tmp-1d", got)
	}
	mp2, err := c.CreateMultipartUpload(t.Context(), &s3.CreateMultipartUploadInput{Bucket: aws.String("lcb"), Key: aws.String("keep/m")})
	if err != nil {
		t.Fatalf("CreateMultipartUpload(keep/m) = %v", err)
	}
	if mp2.AbortDate != nil || mp2.AbortRuleId != nil {
		t.Errorf("CreateMultipartUpload(keep/m) abort = %v %v, want none", mp2.AbortDate, mp2.AbortRuleId)
	}
}

// Tag and size filters select which objects a rule expires.
func TestLifecycleTagAndSizeFilter(t *testing.T) {
	clock := newMovableClock(lcT0)
	srv := mocks3.New(t, mocks3.WithClock(clock.now))
	c := srv.Client()
	newLifecycleBucket(t, c, "lcf", false, types.LifecycleRule{
		ID: aws.String("tagged-small"), Status: types.ExpirationStatusEnabled,
		Filter: &types.LifecycleRuleFilter{And: &types.LifecycleRuleAndOperator{
			Tags:               []types.Tag{{Key: aws.String("tmp"), Value: aws.String("yes")}},
			ObjectSizeLessThan: aws.Int64(10),
		}},
		Expiration: &types.LifecycleExpiration{Days: aws.Int32(1)},
	})
	tagged := func(in *s3.PutObjectInput) { in.Tagging = aws.String("tmp=yes") }
	mustPut(t, c, "lcf", "a-tagged-small", []byte("a"), tagged)
	mustPut(t, c, "lcf", "b-tagged-big", []byte("0123456789abcdef"), tagged)
	mustPut(t, c, "lcf", "c-untagged", []byte("c"))
	mustPut(t, c, "lcf", "d-other-tag", []byte("d"), func(in *s3.PutObjectInput) { in.Tagging = aws.String("tmp=no") })
	clock.advance(48 * time.Hour)
	got := lifecycleKeys(t, c, "lcf")
	if want := []string{"b-tagged-big", "c-untagged", "d-other-tag"}; !slices.Equal(got, want) {
		t.Errorf("ListObjectsV2 after expiry = %q, want %q", got, want)
	}
}

// newNoncurrentServer starts a server on a movable clock with the
// versioned bucket "ncv", whose versions expire a day after they become
// noncurrent, and the extra rules.
func newNoncurrentServer(t *testing.T, extra ...types.LifecycleRule) (*s3.Client, *movableClock) {
	t.Helper()
	clock := newMovableClock(lcT0)
	c := mocks3.New(t, mocks3.WithClock(clock.now)).Client()
	newLifecycleBucket(t, c, "ncv", true, append([]types.LifecycleRule{{
		ID: aws.String("nc"), Status: types.ExpirationStatusEnabled, Filter: &types.LifecycleRuleFilter{Prefix: aws.String("")},
		NoncurrentVersionExpiration: &types.NoncurrentVersionExpiration{NoncurrentDays: aws.Int32(1)},
	}}, extra...)...)
	return c, clock
}

// TestLifecycleNoncurrentVersions: NoncurrentVersionExpiration removes a
// version a day (rounded up to midnight) after it became noncurrent, and
// ExpiredObjectDeleteMarker then removes a delete marker left alone.
func TestLifecycleNoncurrentVersions(t *testing.T) {
	c, clock := newNoncurrentServer(t, types.LifecycleRule{
		ID: aws.String("markers"), Status: types.ExpirationStatusEnabled, Filter: &types.LifecycleRuleFilter{Prefix: aws.String("")},
		Expiration: &types.LifecycleExpiration{ExpiredObjectDeleteMarker: aws.Bool(true)},
	})
	v1 := mustPut(t, c, "ncv", "k", []byte("1"))
	mustPut(t, c, "ncv", "d", []byte("d"))
	clock.advance(time.Hour)
	v2 := mustPut(t, c, "ncv", "k", []byte("2")) // v1 noncurrent from 11:00
	if _, err := c.DeleteObject(t.Context(), &s3.DeleteObjectInput{Bucket: aws.String("ncv"), Key: aws.String("d")}); err != nil {
		t.Fatalf("DeleteObject(d) = %v", err)
	}
	versions := func() (ids []string, markers []string) {
		t.Helper()
		out, err := c.ListObjectVersions(t.Context(), &s3.ListObjectVersionsInput{Bucket: aws.String("ncv")})
		if err != nil {
			t.Fatalf("ListObjectVersions = %v", err)
		}
		for _, v := range out.Versions {
			ids = append(ids, aws.ToString(v.Key)+"@"+aws.ToString(v.VersionId))
		}
		for _, m := range out.DeleteMarkers {
			markers = append(markers, aws.ToString(m.Key))
		}
		return ids, markers
	}
	clock.advance(20 * time.Hour) // the next day, 07:00: nothing due yet
	if ids, markers := versions(); len(ids) != 3 || len(markers) != 1 {
		t.Fatalf("before the due date: versions %q, markers %q; want 3 versions and d's marker", ids, markers)
	}
	clock.advance(20 * time.Hour) // past midnight: due
	ids, markers := versions()
	if want := "k@" + aws.ToString(v2.VersionId); len(ids) != 1 || ids[0] != want {
		t.Errorf("after the due date: versions %q, want [%s]", ids, want)
	}
	if len(markers) != 0 {
		t.Errorf("after the due date: delete markers %q, want none (ExpiredObjectDeleteMarker)", markers)
	}
	_, err := c.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String("ncv"), Key: aws.String("k"), VersionId: v1.VersionId})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "NoSuchVersion" {
		t.Errorf("GetObject(k, expired noncurrent version) = %v, want NoSuchVersion", err)
	}
}

// A GET by version ID is the first request after the clock moves.
func TestLifecycleNoncurrentOnGetVersion(t *testing.T) {
	c, clock := newNoncurrentServer(t)
	v1 := mustPut(t, c, "ncv", "k", []byte("1"))
	mustPut(t, c, "ncv", "k", []byte("2"))
	clock.advance(48 * time.Hour)
	_, err := c.HeadObject(t.Context(), &s3.HeadObjectInput{Bucket: aws.String("ncv"), Key: aws.String("k"), VersionId: v1.VersionId})
	var ae smithy.APIError
	if !errors.As(err, &ae) || (ae.ErrorCode() != "NotFound" && ae.ErrorCode() != "NoSuchVersion") {
		t.Errorf("HeadObject(k, expired noncurrent version) = %v, want 404", err)
	}
	if _, err := c.HeadObject(t.Context(), &s3.HeadObjectInput{Bucket: aws.String("ncv"), Key: aws.String("k")}); err != nil {
		t.Errorf("HeadObject(k) = %v, want the current version", err)
	}
}

// Lifecycle expiration makes S3's LifecycleExpiration events, not
// ObjectRemoved ones.
func TestLifecycleEvents(t *testing.T) {
	for _, versioned := range []bool{false, true} {
		t.Run(map[bool]string{false: "unversioned", true: "versioned"}[versioned], func(t *testing.T) {
			var (
				log eventLog
				srv *mocks3.Server
			)
			c, clock := newLifecycleServer(t, func(t *testing.T, opts ...mocks3.Option) *mocks3.Server {
				srv = mocks3.New(t, append(opts, mocks3.WithEvents(log.add))...)
				return srv
			}, versioned)
			if _, err := c.PutBucketNotificationConfiguration(t.Context(), &s3.PutBucketNotificationConfigurationInput{
				Bucket: aws.String("lcb"), NotificationConfiguration: &types.NotificationConfiguration{
					QueueConfigurations: []types.QueueConfiguration{{Id: aws.String("lc"), QueueArn: aws.String(queueARN),
						Events: []types.Event{"s3:LifecycleExpiration:*", types.EventS3ObjectRemoved}}},
				}}); err != nil {
				t.Fatalf("PutBucketNotificationConfiguration = %v", err)
			}
			mustPut(t, c, "lcb", "tmp/a", []byte("a"))
			clock.advance(48 * time.Hour)
			lifecycleKeys(t, c, "lcb")
			want := "LifecycleExpiration:Delete"
			if versioned {
				want = "LifecycleExpiration:DeleteMarkerCreated"
			}
			if err := srv.WaitIdle(t.Context()); err != nil {
				t.Fatal(err)
			}
			evs := log.sorted()
			if len(evs) != 1 || evs[0].Name != want || evs[0].Key != "tmp/a" {
				t.Errorf("events = %+v, want one %s of tmp/a", evs, want)
			}
		})
	}
}
