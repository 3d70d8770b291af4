package mocks3_test

import (
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"github.com/mocks3/mocks3"
)

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
