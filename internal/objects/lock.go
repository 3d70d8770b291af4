// Object lock: what retention and legal holds allow,
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html

package objects

import (
	"context"
	"time"

	"github.com/mocks3/mocks3/internal/s3err"

	"github.com/mocks3/mocks3/backend"
)

// Retention modes.
const (
	Governance = "GOVERNANCE"
	Compliance = "COMPLIANCE"
)

// errLocked is S3's refusal to remove a version under retention or legal
// hold.
func errLocked() error {
	return &s3err.Error{Code: s3err.AccessDenied, Message: "Access Denied because object protected by object lock."}
}

// Protected reports whether obj's retention is in force at now.
func Protected(r backend.Retention, now time.Time) bool {
	return r.Mode != "" && r.Until.After(now)
}

// CheckRemovable returns AccessDenied if obj may not be deleted at now: it
// is under legal hold, under COMPLIANCE retention, or under GOVERNANCE
// retention without bypass.
func CheckRemovable(obj backend.Object, now time.Time, bypass bool) error {
	switch {
	case obj.DeleteMarker:
		return nil
	case obj.LegalHold:
		return errLocked()
	case !Protected(obj.Retention, now):
		return nil
	case obj.Retention.Mode == Governance && bypass:
		return nil
	}
	return errLocked()
}

// CheckRetentionChange returns AccessDenied if a version whose retention
// is cur may not take next at now. A retention in force may always be
// extended in its own mode; anything else (shortening, removing, changing
// the mode) needs a GOVERNANCE retention and bypass, and a COMPLIANCE one
// never allows it.
func CheckRetentionChange(cur, next backend.Retention, now time.Time, bypass bool) error {
	if !Protected(cur, now) {
		return nil
	}
	if next.Mode == cur.Mode && !next.Until.Before(cur.Until) {
		return nil
	}
	if cur.Mode == Governance && bypass {
		return nil
	}
	return &s3err.Error{Code: s3err.AccessDenied}
}

// SetRetention gives a version retention r if its current retention allows
// it (CheckRetentionChange). Changes to one Store's locks are serialised,
// so two requests cannot both pass the check against the same old value.
func (s *Store) SetRetention(ctx context.Context, bucket, key, versionID string, r backend.Retention, bypass bool) error {
	s.lockMu.Lock()
	defer s.lockMu.Unlock()
	obj, err := s.meta.GetObject(ctx, bucket, key, versionID)
	if err != nil {
		return err
	}
	if err := CheckRetentionChange(obj.Retention, r, s.now(), bypass); err != nil {
		return err
	}
	_, err = s.meta.UpdateObject(ctx, bucket, key, versionID, backend.ObjectUpdate{Retention: &r})
	return err
}

// SetLegalHold turns a version's legal hold on or off.
func (s *Store) SetLegalHold(ctx context.Context, bucket, key, versionID string, on bool) error {
	s.lockMu.Lock()
	defer s.lockMu.Unlock()
	_, err := s.meta.UpdateObject(ctx, bucket, key, versionID, backend.ObjectUpdate{LegalHold: &on})
	return err
}

// CheckDelete returns AccessDenied if deleting a version (versionID as for
// HeadVersion) would remove bytes object lock protects; a missing version is
// left for the delete to report.
func (s *Store) CheckDelete(ctx context.Context, bucket, key, versionID string, bypass bool) error {
	obj, err := s.meta.GetObject(ctx, bucket, key, versionID)
	if err != nil {
		return nil
	}
	return CheckRemovable(obj, s.now(), bypass)
}
