package mocks3_test

import (
	"bytes"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/google/go-cmp/cmp"

	"github.com/mocks3/mocks3"
	"github.com/mocks3/mocks3/faults"
	"github.com/mocks3/mocks3/s3api"
)

// lockT0 is when the lock tests' clocks start.
var lockT0 = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

// movableClock is a server clock a test moves forward, to see retention
// expire without sleeping.
type movableClock struct{ ns atomic.Int64 }

func newMovableClock(t0 time.Time) *movableClock {
	c := &movableClock{}
	c.ns.Store(t0.UnixNano())
	return c
}

func (c *movableClock) now() time.Time          { return time.Unix(0, c.ns.Load()).UTC() }
func (c *movableClock) advance(d time.Duration) { c.ns.Add(int64(d)) }

// newLockServer starts a server on a movable clock with bucket "lock",
// created with object lock, and bucket "plain", created without.
func newLockServer(t *testing.T, newServer newServerFunc) (*mocks3.Server, *s3.Client, *movableClock) {
	t.Helper()
	clock := newMovableClock(lockT0)
	srv := newServer(t, mocks3.WithClock(clock.now))
	c := srv.Client()
	if _, err := c.CreateBucket(t.Context(), &s3.CreateBucketInput{Bucket: aws.String("lock"),
		ObjectLockEnabledForBucket: aws.Bool(true)}); err != nil {
		t.Fatalf("CreateBucket(lock, ObjectLockEnabledForBucket) = %v, want success", err)
	}
	mustCreateBucket(t, c, "plain")
	return srv, c, clock
}

func lockConfig(mode types.ObjectLockRetentionMode, days, years int32) *types.ObjectLockConfiguration {
	c := &types.ObjectLockConfiguration{ObjectLockEnabled: types.ObjectLockEnabledEnabled}
	if mode != "" || days != 0 || years != 0 {
		d := &types.DefaultRetention{Mode: mode}
		if days != 0 {
			d.Days = aws.Int32(days)
		}
		if years != 0 {
			d.Years = aws.Int32(years)
		}
		c.Rule = &types.ObjectLockRule{DefaultRetention: d}
	}
	return c
}

func TestObjectLockConfiguration(t *testing.T) {
	tests := []struct {
		name       string
		bucket     string
		conf       *types.ObjectLockConfiguration
		wantCode   string
		wantStatus int
	}{
		{"days", "lock", lockConfig(types.ObjectLockRetentionModeGovernance, 30, 0), "", 200},
		{"years", "lock", lockConfig(types.ObjectLockRetentionModeCompliance, 0, 2), "", 200},
		{"no rule", "lock", lockConfig("", 0, 0), "", 200},
		{"days and years", "lock", lockConfig(types.ObjectLockRetentionModeGovernance, 1, 1), "MalformedXML", 400},
		{"no period", "lock", lockConfig(types.ObjectLockRetentionModeGovernance, 0, 0), "MalformedXML", 400},
		{"no mode", "lock", lockConfig("", 1, 0), "MalformedXML", 400},
		{"bad mode", "lock", lockConfig("FOREVER", 1, 0), "MalformedXML", 400},
		{"negative days", "lock", lockConfig(types.ObjectLockRetentionModeGovernance, -1, 0), "InvalidArgument", 400},
		{"too many years", "lock", lockConfig(types.ObjectLockRetentionModeGovernance, 0, 101), "InvalidArgument", 400},
		{"not enabled", "lock", &types.ObjectLockConfiguration{}, "MalformedXML", 400},
		{"bucket without versioning", "plain", lockConfig(types.ObjectLockRetentionModeGovernance, 1, 0), "InvalidBucketState", 409},
		{"no such bucket", "missing", lockConfig(types.ObjectLockRetentionModeGovernance, 1, 0), "NoSuchBucket", 404},
	}
	_, c, _ := newLockServer(t, embedded)
	ctx := t.Context()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.PutObjectLockConfiguration(ctx, &s3.PutObjectLockConfigurationInput{
				Bucket: aws.String(tt.bucket), ObjectLockConfiguration: tt.conf})
			if tt.wantCode != "" {
				checkErr(t, "PutObjectLockConfiguration", err, tt.wantCode, tt.wantStatus)
				return
			}
			if err != nil {
				t.Fatalf("PutObjectLockConfiguration = %v, want success", err)
			}
			out, err := c.GetObjectLockConfiguration(ctx, &s3.GetObjectLockConfigurationInput{Bucket: aws.String(tt.bucket)})
			if err != nil {
				t.Fatalf("GetObjectLockConfiguration = %v, want success", err)
			}
			if diff := cmp.Diff(tt.conf, out.ObjectLockConfiguration, cmpSDK); diff != "" {
				t.Errorf("GetObjectLockConfiguration (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("get on a bucket without lock", func(t *testing.T) {
		_, err := c.GetObjectLockConfiguration(ctx, &s3.GetObjectLockConfigurationInput{Bucket: aws.String("plain")})
		checkErr(t, "GetObjectLockConfiguration(plain)", err, "ObjectLockConfigurationNotFoundError", 404)
	})
}

// cmpSDK ignores the SDK's unexported no-copy fields.
var cmpSDK = cmp.FilterPath(func(p cmp.Path) bool {
	sf, ok := p.Last().(cmp.StructField)
	return ok && sf.Name() == "noSmithyDocumentSerde"
}, cmp.Ignore())

// TestObjectLockRetention walks one version through S3's retention rules
// on every mode: GOVERNANCE shortened only with bypass, COMPLIANCE only
// extended, and both lifted by time.
func TestObjectLockRetention(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		_, c, clock := newLockServer(t, newServer)
		ctx := t.Context()
		day := 24 * time.Hour
		put := mustPut(t, c, "lock", "k", []byte("locked"), func(in *s3.PutObjectInput) {
			in.ObjectLockMode = types.ObjectLockModeGovernance
			in.ObjectLockRetainUntilDate = aws.Time(lockT0.Add(2 * day))
		})
		vid := put.VersionId
		head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("lock"), Key: aws.String("k")})
		if err != nil {
			t.Fatalf("HeadObject = %v", err)
		}
		if head.ObjectLockMode != types.ObjectLockModeGovernance || !aws.ToTime(head.ObjectLockRetainUntilDate).Equal(lockT0.Add(2*day)) {
			t.Errorf("HeadObject lock = %s until %v, want GOVERNANCE until %v", head.ObjectLockMode, head.ObjectLockRetainUntilDate, lockT0.Add(2*day))
		}

		steps := []struct {
			name     string
			mode     types.ObjectLockRetentionMode
			until    time.Time
			bypass   bool
			advance  time.Duration // the clock moves first
			wantCode string        // "" for success
		}{
			{"extend governance", types.ObjectLockRetentionModeGovernance, lockT0.Add(3 * day), false, 0, ""},
			{"shorten governance", types.ObjectLockRetentionModeGovernance, lockT0.Add(1 * day), false, 0, "AccessDenied"},
			{"shorten governance with bypass", types.ObjectLockRetentionModeGovernance, lockT0.Add(1 * day), true, 0, ""},
			{"governance to compliance", types.ObjectLockRetentionModeCompliance, lockT0.Add(1 * day), false, 0, "AccessDenied"},
			{"governance to compliance with bypass", types.ObjectLockRetentionModeCompliance, lockT0.Add(4 * day), true, 0, ""},
			{"extend compliance", types.ObjectLockRetentionModeCompliance, lockT0.Add(5 * day), false, 0, ""},
			{"shorten compliance with bypass", types.ObjectLockRetentionModeCompliance, lockT0.Add(4 * day), true, 0, "AccessDenied"},
			{"compliance to governance with bypass", types.ObjectLockRetentionModeGovernance, lockT0.Add(6 * day), true, 0, "AccessDenied"},
			{"remove compliance with bypass", "", time.Time{}, true, 0, "AccessDenied"},
			{"past date", types.ObjectLockRetentionModeCompliance, lockT0.Add(-day), false, 0, "InvalidArgument"},
			{"bad mode", "FOREVER", lockT0.Add(9 * day), false, 0, "MalformedXML"},
			// Five days and a second later the compliance retention is over.
			{"shorten expired compliance", types.ObjectLockRetentionModeGovernance, lockT0.Add(6 * day), false, 5*day + time.Second, ""},
			{"remove governance", "", time.Time{}, false, 0, "AccessDenied"},
			{"remove governance with bypass", "", time.Time{}, true, 0, ""},
		}
		for _, s := range steps {
			clock.advance(s.advance)
			in := &s3.PutObjectRetentionInput{Bucket: aws.String("lock"), Key: aws.String("k"), VersionId: vid,
				Retention: &types.ObjectLockRetention{Mode: s.mode}}
			if !s.until.IsZero() {
				in.Retention.RetainUntilDate = aws.Time(s.until)
			}
			if s.bypass {
				in.BypassGovernanceRetention = aws.Bool(true)
			}
			_, err := c.PutObjectRetention(ctx, in)
			if s.wantCode != "" {
				status := 403
				if s.wantCode != "AccessDenied" {
					status = 400
				}
				checkErr(t, "PutObjectRetention("+s.name+")", err, s.wantCode, status)
				continue
			}
			if err != nil {
				t.Fatalf("PutObjectRetention(%s) = %v, want success", s.name, err)
			}
			got, err := c.GetObjectRetention(ctx, &s3.GetObjectRetentionInput{Bucket: aws.String("lock"), Key: aws.String("k"), VersionId: vid})
			if s.mode == "" {
				checkErr(t, "GetObjectRetention after "+s.name, err, "NoSuchObjectLockConfiguration", 400)
				continue
			}
			if err != nil {
				t.Fatalf("GetObjectRetention after %s = %v", s.name, err)
			}
			if got.Retention.Mode != s.mode || !aws.ToTime(got.Retention.RetainUntilDate).Equal(s.until) {
				t.Errorf("GetObjectRetention after %s = %s until %v, want %s until %v", s.name,
					got.Retention.Mode, got.Retention.RetainUntilDate, s.mode, s.until)
			}
		}
	})
}

func TestObjectLockWriteHeaders(t *testing.T) {
	future := lockT0.Add(time.Hour)
	tests := []struct {
		name       string
		bucket     string
		mode       types.ObjectLockMode
		until      time.Time
		hold       types.ObjectLockLegalHoldStatus
		wantCode   string
		wantStatus int
	}{
		{"retention", "lock", types.ObjectLockModeCompliance, future, "", "", 200},
		{"legal hold", "lock", "", time.Time{}, types.ObjectLockLegalHoldStatusOn, "", 200},
		{"both", "lock", types.ObjectLockModeGovernance, future, types.ObjectLockLegalHoldStatusOn, "", 200},
		{"mode only", "lock", types.ObjectLockModeGovernance, time.Time{}, "", "InvalidArgument", 400},
		{"date only", "lock", "", future, "", "InvalidArgument", 400},
		{"bad mode", "lock", "governance", future, "", "InvalidArgument", 400},
		{"past date", "lock", types.ObjectLockModeGovernance, lockT0.Add(-time.Second), "", "InvalidArgument", 400},
		{"bad legal hold", "lock", "", time.Time{}, "YES", "InvalidArgument", 400},
		{"bucket without lock", "plain", types.ObjectLockModeGovernance, future, "", "InvalidRequest", 400},
		{"legal hold in a bucket without lock", "plain", "", time.Time{}, types.ObjectLockLegalHoldStatusOn, "InvalidRequest", 400},
	}
	_, c, _ := newLockServer(t, embedded)
	ctx := t.Context()
	mustPut(t, c, "plain", "src", []byte("source"))
	for _, tt := range tests {
		var until *time.Time
		if !tt.until.IsZero() {
			until = aws.Time(tt.until)
		}
		calls := map[string]func(key string) error{
			"PutObject": func(key string) error {
				_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(tt.bucket), Key: aws.String(key),
					Body: bytes.NewReader([]byte("x")), ObjectLockMode: tt.mode, ObjectLockRetainUntilDate: until, ObjectLockLegalHoldStatus: tt.hold})
				return err
			},
			"CopyObject": func(key string) error {
				_, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String(tt.bucket), Key: aws.String(key),
					CopySource: aws.String("plain/src"), ObjectLockMode: tt.mode, ObjectLockRetainUntilDate: until, ObjectLockLegalHoldStatus: tt.hold})
				return err
			},
			"CreateMultipartUpload": func(key string) error {
				up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(tt.bucket), Key: aws.String(key),
					ObjectLockMode: tt.mode, ObjectLockRetainUntilDate: until, ObjectLockLegalHoldStatus: tt.hold})
				if err != nil {
					return err
				}
				part, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String(tt.bucket), Key: aws.String(key),
					UploadId: up.UploadId, PartNumber: aws.Int32(1), Body: bytes.NewReader([]byte("x"))})
				if err != nil {
					return err
				}
				_, err = c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String(tt.bucket), Key: aws.String(key),
					UploadId: up.UploadId, MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{
						{PartNumber: aws.Int32(1), ETag: part.ETag, ChecksumCRC32: part.ChecksumCRC32}}}})
				return err
			},
		}
		for op, call := range calls {
			t.Run(op+"/"+tt.name, func(t *testing.T) {
				key := op + "/" + tt.name
				err := call(key)
				if tt.wantCode != "" {
					checkErr(t, op, err, tt.wantCode, tt.wantStatus)
					return
				}
				if err != nil {
					t.Fatalf("%s = %v, want success", op, err)
				}
				for _, read := range []string{"GetObject", "HeadObject"} {
					var mode types.ObjectLockMode
					var gotUntil *time.Time
					var hold types.ObjectLockLegalHoldStatus
					if read == "GetObject" {
						out, _ := mustGet(t, c, tt.bucket, key)
						mode, gotUntil, hold = out.ObjectLockMode, out.ObjectLockRetainUntilDate, out.ObjectLockLegalHoldStatus
					} else {
						out, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(tt.bucket), Key: aws.String(key)})
						if err != nil {
							t.Fatalf("HeadObject = %v", err)
						}
						mode, gotUntil, hold = out.ObjectLockMode, out.ObjectLockRetainUntilDate, out.ObjectLockLegalHoldStatus
					}
					if mode != tt.mode || !aws.ToTime(gotUntil).Equal(tt.until) || hold != tt.hold {
						t.Errorf("%s lock = %q until %v hold %q, want %q until %v hold %q", read,
							mode, aws.ToTime(gotUntil), hold, tt.mode, tt.until, tt.hold)
					}
				}
			})
		}
	}
}

// TestObjectLockIntegrityRequired: S3 wants Content-MD5 or a checksum on a
// PutObject that locks its object, by header or by default retention.
func TestObjectLockIntegrityRequired(t *testing.T) {
	srv, c, _ := newLockServer(t, embedded)
	mustCreateBucketWithLock(t, c, "defaults")
	if _, err := c.PutObjectLockConfiguration(t.Context(), &s3.PutObjectLockConfigurationInput{Bucket: aws.String("defaults"),
		ObjectLockConfiguration: lockConfig(types.ObjectLockRetentionModeGovernance, 1, 0)}); err != nil {
		t.Fatal(err)
	}
	lockHeaders := http.Header{"X-Amz-Object-Lock-Mode": {"GOVERNANCE"}, "X-Amz-Object-Lock-Retain-Until-Date": {"2031-01-01T00:00:00Z"}}
	tests := []struct {
		name       string
		path       string
		header     http.Header
		wantStatus int
	}{
		{"lock headers, no digest", "/lock/a", lockHeaders, 400},
		{"legal hold, no digest", "/lock/b", http.Header{"X-Amz-Object-Lock-Legal-Hold": {"ON"}}, 400},
		{"default retention, no digest", "/defaults/c", nil, 400},
		{"lock headers and Content-MD5", "/lock/d", withHeader(lockHeaders, "Content-Md5", "y6hHMLFiJWgFZ2jx/oKJsQ=="), 200},
		{"lock headers and checksum", "/lock/e", withHeader(lockHeaders, "X-Amz-Checksum-Crc32", "u9+FeA=="), 200},
		{"no lock asked", "/lock/f", nil, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := rawRequest(t, srv, "PUT", tt.path, tt.header, []byte("body!"))
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("PUT %s = %d %s, want %d", tt.path, resp.StatusCode, body, tt.wantStatus)
			}
			if tt.wantStatus == 400 && !bytes.Contains(body, []byte("<Code>InvalidRequest</Code>")) {
				t.Errorf("PUT %s body = %s, want InvalidRequest", tt.path, body)
			}
		})
	}
}

func withHeader(h http.Header, k, v string) http.Header {
	h = h.Clone()
	h.Set(k, v)
	return h
}

func mustCreateBucketWithLock(t *testing.T, c *s3.Client, bucket string) {
	t.Helper()
	if _, err := c.CreateBucket(t.Context(), &s3.CreateBucketInput{Bucket: aws.String(bucket),
		ObjectLockEnabledForBucket: aws.Bool(true)}); err != nil {
		t.Fatalf("CreateBucket(%q, lock) = %v", bucket, err)
	}
}

// TestObjectLockDefaultRetention: a bucket's default retention locks each
// new version written without lock headers, counted from its creation on
// the server's clock; headers override it.
func TestObjectLockDefaultRetention(t *testing.T) {
	srv, c, clock := newLockServer(t, embedded)
	ctx := t.Context()
	if _, err := c.PutObjectLockConfiguration(ctx, &s3.PutObjectLockConfigurationInput{Bucket: aws.String("lock"),
		ObjectLockConfiguration: lockConfig(types.ObjectLockRetentionModeCompliance, 3, 0)}); err != nil {
		t.Fatalf("PutObjectLockConfiguration = %v", err)
	}
	mustPut(t, c, "lock", "src", []byte("source"))
	clock.advance(time.Hour)
	mustPut(t, c, "lock", "later", []byte("later"))
	mustPut(t, c, "lock", "explicit", []byte("explicit"), func(in *s3.PutObjectInput) {
		in.ObjectLockMode = types.ObjectLockModeGovernance
		in.ObjectLockRetainUntilDate = aws.Time(lockT0.Add(10 * time.Hour))
	})
	if _, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("lock"), Key: aws.String("copy"),
		CopySource: aws.String("lock/explicit")}); err != nil {
		t.Fatalf("CopyObject = %v", err)
	}
	up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("lock"), Key: aws.String("mpu")})
	if err != nil {
		t.Fatalf("CreateMultipartUpload = %v", err)
	}
	part, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("lock"), Key: aws.String("mpu"), UploadId: up.UploadId,
		PartNumber: aws.Int32(1), Body: bytes.NewReader([]byte("part"))})
	if err != nil {
		t.Fatalf("UploadPart = %v", err)
	}
	if _, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("lock"), Key: aws.String("mpu"),
		UploadId: up.UploadId, MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{
			{PartNumber: aws.Int32(1), ETag: part.ETag, ChecksumCRC32: part.ChecksumCRC32}}}}); err != nil {
		t.Fatalf("CompleteMultipartUpload = %v", err)
	}
	if resp, body := postForm(t, srv, "/lock", []field{{"key", "posted"}}, postFile{data: []byte("form")}); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("POST (form upload) = %d %s, want 204", resp.StatusCode, body)
	}
	after := lockT0.Add(time.Hour)
	tests := []struct {
		key   string
		mode  types.ObjectLockRetentionMode
		until time.Time
	}{
		{"src", types.ObjectLockRetentionModeCompliance, lockT0.AddDate(0, 0, 3)},
		{"later", types.ObjectLockRetentionModeCompliance, after.AddDate(0, 0, 3)},
		{"explicit", types.ObjectLockRetentionModeGovernance, lockT0.Add(10 * time.Hour)},
		// A copy does not take its source's lock: the bucket's default applies.
		{"copy", types.ObjectLockRetentionModeCompliance, after.AddDate(0, 0, 3)},
		{"mpu", types.ObjectLockRetentionModeCompliance, after.AddDate(0, 0, 3)},
		{"posted", types.ObjectLockRetentionModeCompliance, after.AddDate(0, 0, 3)},
	}
	for _, tt := range tests {
		got, err := c.GetObjectRetention(ctx, &s3.GetObjectRetentionInput{Bucket: aws.String("lock"), Key: aws.String(tt.key)})
		if err != nil {
			t.Errorf("GetObjectRetention(%s) = %v", tt.key, err)
			continue
		}
		if got.Retention.Mode != tt.mode || !aws.ToTime(got.Retention.RetainUntilDate).Equal(tt.until) {
			t.Errorf("GetObjectRetention(%s) = %s until %v, want %s until %v", tt.key,
				got.Retention.Mode, aws.ToTime(got.Retention.RetainUntilDate), tt.mode, tt.until)
		}
	}
}

func TestObjectLockLegalHold(t *testing.T) {
	_, c, _ := newLockServer(t, embedded)
	ctx := t.Context()
	mustPut(t, c, "lock", "k", []byte("x"))
	mustPut(t, c, "plain", "k", []byte("x"))
	tests := []struct {
		name       string
		bucket     string
		key        string
		status     types.ObjectLockLegalHoldStatus
		wantCode   string
		wantStatus int
	}{
		{"on", "lock", "k", types.ObjectLockLegalHoldStatusOn, "", 200},
		{"off", "lock", "k", types.ObjectLockLegalHoldStatusOff, "", 200},
		{"bad status", "lock", "k", "on", "MalformedXML", 400},
		{"no such key", "lock", "missing", types.ObjectLockLegalHoldStatusOn, "NoSuchKey", 404},
		{"bucket without lock", "plain", "k", types.ObjectLockLegalHoldStatusOn, "InvalidRequest", 400},
		{"no such bucket", "missing", "k", types.ObjectLockLegalHoldStatusOn, "NoSuchBucket", 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.PutObjectLegalHold(ctx, &s3.PutObjectLegalHoldInput{Bucket: aws.String(tt.bucket), Key: aws.String(tt.key),
				LegalHold: &types.ObjectLockLegalHold{Status: tt.status}})
			if tt.wantCode != "" {
				checkErr(t, "PutObjectLegalHold", err, tt.wantCode, tt.wantStatus)
				_, err = c.GetObjectLegalHold(ctx, &s3.GetObjectLegalHoldInput{Bucket: aws.String(tt.bucket), Key: aws.String(tt.key)})
				if tt.wantCode != "MalformedXML" {
					checkErr(t, "GetObjectLegalHold", err, tt.wantCode, tt.wantStatus)
				}
				return
			}
			if err != nil {
				t.Fatalf("PutObjectLegalHold = %v, want success", err)
			}
			got, err := c.GetObjectLegalHold(ctx, &s3.GetObjectLegalHoldInput{Bucket: aws.String(tt.bucket), Key: aws.String(tt.key)})
			if err != nil || got.LegalHold.Status != tt.status {
				t.Errorf("GetObjectLegalHold = %v, %v; want %s", got, err, tt.status)
			}
		})
	}
	t.Run("retention on a bucket without lock", func(t *testing.T) {
		_, err := c.GetObjectRetention(ctx, &s3.GetObjectRetentionInput{Bucket: aws.String("plain"), Key: aws.String("k")})
		checkErr(t, "GetObjectRetention(plain)", err, "InvalidRequest", 400)
		_, err = c.PutObjectRetention(ctx, &s3.PutObjectRetentionInput{Bucket: aws.String("plain"), Key: aws.String("k"),
			Retention: &types.ObjectLockRetention{Mode: types.ObjectLockRetentionModeGovernance, RetainUntilDate: aws.Time(lockT0.Add(time.Hour))}})
		checkErr(t, "PutObjectRetention(plain)", err, "InvalidRequest", 400)
	})
}

// TestObjectLockDelete: removing a protected version is refused, by
// DeleteObject and in DeleteObjects, until the legal hold is off and the
// retention over (or bypassed, for GOVERNANCE).
func TestObjectLockDelete(t *testing.T) {
	type lock struct {
		mode  types.ObjectLockMode
		until time.Duration // from lockT0
		hold  bool
	}
	tests := []struct {
		name    string
		lock    lock
		bypass  bool
		advance time.Duration
		denied  bool
	}{
		{"unlocked", lock{}, false, 0, false},
		{"legal hold", lock{hold: true}, false, 0, true},
		{"legal hold with bypass", lock{hold: true}, true, 0, true},
		{"governance", lock{mode: types.ObjectLockModeGovernance, until: time.Hour}, false, 0, true},
		{"governance with bypass", lock{mode: types.ObjectLockModeGovernance, until: time.Hour}, true, 0, false},
		{"compliance", lock{mode: types.ObjectLockModeCompliance, until: time.Hour}, false, 0, true},
		{"compliance with bypass", lock{mode: types.ObjectLockModeCompliance, until: time.Hour}, true, 0, true},
		{"compliance expired", lock{mode: types.ObjectLockModeCompliance, until: time.Hour}, false, time.Hour + time.Millisecond, false},
	}
	for _, batch := range []bool{false, true} {
		op := "DeleteObject"
		if batch {
			op = "DeleteObjects"
		}
		for _, tt := range tests {
			t.Run(op+"/"+tt.name, func(t *testing.T) {
				_, c, clock := newLockServer(t, embedded)
				ctx := t.Context()
				put := mustPut(t, c, "lock", "k", []byte("x"), func(in *s3.PutObjectInput) {
					in.ObjectLockMode = tt.lock.mode
					if tt.lock.mode != "" {
						in.ObjectLockRetainUntilDate = aws.Time(lockT0.Add(tt.lock.until))
					}
					if tt.lock.hold {
						in.ObjectLockLegalHoldStatus = types.ObjectLockLegalHoldStatusOn
					}
				})
				clock.advance(tt.advance)
				vid := put.VersionId
				var bypass *bool
				if tt.bypass {
					bypass = aws.Bool(true)
				}
				if !batch {
					_, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("lock"), Key: aws.String("k"),
						VersionId: vid, BypassGovernanceRetention: bypass})
					if tt.denied {
						checkErr(t, "DeleteObject", err, "AccessDenied", 403)
					} else if err != nil {
						t.Fatalf("DeleteObject = %v, want success", err)
					}
				} else {
					out, err := c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("lock"), BypassGovernanceRetention: bypass,
						Delete: &types.Delete{Objects: []types.ObjectIdentifier{{Key: aws.String("k"), VersionId: vid}}}})
					if err != nil {
						t.Fatalf("DeleteObjects = %v", err)
					}
					denied := len(out.Errors) == 1 && aws.ToString(out.Errors[0].Code) == "AccessDenied"
					if denied != tt.denied || len(out.Errors)+len(out.Deleted) != 1 {
						t.Fatalf("DeleteObjects = %d deleted, errors %+v; want denied %v", len(out.Deleted), out.Errors, tt.denied)
					}
				}
				_, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("lock"), Key: aws.String("k"), VersionId: vid})
				if tt.denied && err != nil {
					t.Errorf("HeadObject after a refused delete = %v, want the version kept", err)
				}
				if !tt.denied && err == nil {
					t.Errorf("HeadObject after the delete = success, want the version gone")
				}
			})
		}
	}
}

// TestObjectLockOverwrite: a new write to a protected object's key never
// loses the protected version: it is either kept below the new one
// (versioning) or the write is refused.
func TestObjectLockOverwrite(t *testing.T) {
	_, c, _ := newLockServer(t, embedded)
	ctx := t.Context()
	put := mustPut(t, c, "lock", "k", []byte("kept"), func(in *s3.PutObjectInput) {
		in.ObjectLockLegalHoldStatus = types.ObjectLockLegalHoldStatusOn
	})
	vid := put.VersionId
	mustPut(t, c, "plain", "src", []byte("source"))
	writes := map[string]func() error{
		"PutObject":  callErr(ctx, c.PutObject, &s3.PutObjectInput{Bucket: aws.String("lock"), Key: aws.String("k"), Body: bytes.NewReader([]byte("new"))}),
		"CopyObject": callErr(ctx, c.CopyObject, &s3.CopyObjectInput{Bucket: aws.String("lock"), Key: aws.String("k"), CopySource: aws.String("plain/src")}),
		"CompleteMultipartUpload": func() error {
			up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("lock"), Key: aws.String("k")})
			if err != nil {
				return err
			}
			part, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("lock"), Key: aws.String("k"), UploadId: up.UploadId,
				PartNumber: aws.Int32(1), Body: bytes.NewReader([]byte("part"))})
			if err != nil {
				return err
			}
			_, err = c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("lock"), Key: aws.String("k"),
				UploadId: up.UploadId, MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{
					{PartNumber: aws.Int32(1), ETag: part.ETag, ChecksumCRC32: part.ChecksumCRC32}}}})
			return err
		},
	}
	for op, write := range writes {
		t.Run(op, func(t *testing.T) {
			if err := write(); err != nil {
				checkErr(t, op, err, "AccessDenied", 403)
			}
			_, body := mustGet(t, c, "lock", "k", func(in *s3.GetObjectInput) { in.VersionId = vid })
			if string(body) != "kept" {
				t.Errorf("GetObject(k, version %s) after %s = %q, want %q", aws.ToString(vid), op, body, "kept")
			}
		})
	}
}

// TestObjectLockFaults: fault rules name the object lock operations, in
// every mode, and the SDK's retry gets each call through.
func TestObjectLockFaults(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		srv, c, _ := newLockServer(t, newServer)
		ctx := t.Context()
		mustPut(t, c, "lock", "k", []byte("x"))
		calls := []struct {
			op   s3api.Operation
			call func() error
		}{
			{"PutObjectLockConfiguration", callErr(ctx, c.PutObjectLockConfiguration, &s3.PutObjectLockConfigurationInput{Bucket: aws.String("lock"),
				ObjectLockConfiguration: lockConfig(types.ObjectLockRetentionModeGovernance, 1, 0)})},
			{"GetObjectLockConfiguration", callErr(ctx, c.GetObjectLockConfiguration, &s3.GetObjectLockConfigurationInput{Bucket: aws.String("lock")})},
			{"PutObjectRetention", callErr(ctx, c.PutObjectRetention, &s3.PutObjectRetentionInput{Bucket: aws.String("lock"), Key: aws.String("k"),
				Retention: &types.ObjectLockRetention{Mode: types.ObjectLockRetentionModeGovernance, RetainUntilDate: aws.Time(lockT0.Add(time.Hour))}})},
			{"GetObjectRetention", callErr(ctx, c.GetObjectRetention, &s3.GetObjectRetentionInput{Bucket: aws.String("lock"), Key: aws.String("k")})},
			{"PutObjectLegalHold", callErr(ctx, c.PutObjectLegalHold, &s3.PutObjectLegalHoldInput{Bucket: aws.String("lock"), Key: aws.String("k"),
				LegalHold: &types.ObjectLockLegalHold{Status: types.ObjectLockLegalHoldStatusOff}})},
			{"GetObjectLegalHold", callErr(ctx, c.GetObjectLegalHold, &s3.GetObjectLegalHoldInput{Bucket: aws.String("lock"), Key: aws.String("k")})},
		}
		for _, tt := range calls {
			srv.Faults().AddT(t, faults.Rule{Operation: tt.op, Times: 1, Action: faults.ErrorCode("InternalError")})
			if err := tt.call(); err != nil {
				t.Errorf("%s after one fault: %v", tt.op, err)
			}
			if n, statuses := attempts(srv, tt.op); n != 2 || statuses[0] != 500 || statuses[1] != 200 {
				t.Errorf("%s attempts = %d %v, want a 500 then a 200", tt.op, n, statuses)
			}
		}
	})
}

// TestObjectLockVersioning: object lock lives on versions. A lock bucket
// is versioned for good; a plain DELETE only adds a delete marker over a
// protected version; a versioned bucket can take object lock later.
func TestObjectLockVersioning(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		_, c, _ := newLockServer(t, newServer)
		ctx := t.Context()
		v, err := c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: aws.String("lock")})
		if err != nil || v.Status != types.BucketVersioningStatusEnabled {
			t.Errorf("GetBucketVersioning(lock) = %+v, %v; want Enabled", v, err)
		}
		_, err = c.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String("lock"),
			VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusSuspended}})
		checkErr(t, "PutBucketVersioning(lock, Suspended)", err, "InvalidBucketState", 409)

		put := mustPut(t, c, "lock", "k", []byte("kept"), func(in *s3.PutObjectInput) {
			in.ObjectLockMode = types.ObjectLockModeCompliance
			in.ObjectLockRetainUntilDate = aws.Time(lockT0.Add(time.Hour))
		})
		del, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("lock"), Key: aws.String("k")})
		if err != nil || !aws.ToBool(del.DeleteMarker) {
			t.Fatalf("DeleteObject(k) = %+v, %v; want a delete marker", del, err)
		}
		_, body := mustGet(t, c, "lock", "k", func(in *s3.GetObjectInput) { in.VersionId = put.VersionId })
		if string(body) != "kept" {
			t.Errorf("GetObject(k, locked version) = %q, want %q", body, "kept")
		}
		ret, err := c.GetObjectRetention(ctx, &s3.GetObjectRetentionInput{Bucket: aws.String("lock"), Key: aws.String("k"), VersionId: put.VersionId})
		if err != nil || ret.Retention.Mode != types.ObjectLockRetentionModeCompliance {
			t.Errorf("GetObjectRetention(k, locked version) = %+v, %v; want COMPLIANCE", ret, err)
		}
		_, err = c.GetObjectRetention(ctx, &s3.GetObjectRetentionInput{Bucket: aws.String("lock"), Key: aws.String("k")})
		checkErr(t, "GetObjectRetention(k) under a delete marker", err, "NoSuchKey", 404)
		_, err = c.GetObjectLegalHold(ctx, &s3.GetObjectLegalHoldInput{Bucket: aws.String("lock"), Key: aws.String("k"), VersionId: del.VersionId})
		checkErr(t, "GetObjectLegalHold(delete marker)", err, "MethodNotAllowed", 405)
		_, err = c.GetObjectRetention(ctx, &s3.GetObjectRetentionInput{Bucket: aws.String("lock"), Key: aws.String("k"),
			VersionId: aws.String("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")})
		checkErr(t, "GetObjectRetention(no such version)", err, "NoSuchVersion", 404)
		if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("lock"), Key: aws.String("k"), VersionId: del.VersionId}); err != nil {
			t.Errorf("DeleteObject(delete marker) = %v, want success", err)
		}
		_, err = c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("lock"), Key: aws.String("k"), VersionId: put.VersionId})
		checkErr(t, "DeleteObject(locked version)", err, "AccessDenied", 403)

		// A versioned bucket takes object lock through its configuration.
		setVersioning(t, c, "plain", types.BucketVersioningStatusEnabled)
		if _, err := c.PutObjectLockConfiguration(ctx, &s3.PutObjectLockConfigurationInput{Bucket: aws.String("plain"),
			ObjectLockConfiguration: lockConfig(types.ObjectLockRetentionModeGovernance, 1, 0)}); err != nil {
			t.Fatalf("PutObjectLockConfiguration(versioned bucket) = %v, want success", err)
		}
		later := mustPut(t, c, "plain", "new", []byte("x"))
		_, err = c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("plain"), Key: aws.String("new"), VersionId: later.VersionId})
		checkErr(t, "DeleteObject(version under default retention)", err, "AccessDenied", 403)
	})
}
