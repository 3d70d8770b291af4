// Versions: what DeleteObject, GET by version and ListObjectVersions mean in
// terms of the records contract, following
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html

package objects

import (
	"context"
	"errors"

	"github.com/mocks3/mocks3/backend"
)

// Bucket versioning states, as S3 spells them in VersioningConfiguration.
const (
	VersioningEnabled   = "Enabled"
	VersioningSuspended = "Suspended"
)

// VersionName is a version ID as S3 writes it on the wire: the null
// version, stored as "", is "null".
func VersionName(id string) string {
	if id == "" {
		return backend.NullVersion
	}
	return id
}

// HeadVersion returns the record of one version of an object: versionID ""
// is the current version (a delete marker included), NullVersion the null
// version.
func (s *Store) HeadVersion(ctx context.Context, bucket, key, versionID string) (backend.Object, error) {
	return s.meta.GetObject(ctx, bucket, key, versionID)
}

// OpenVersion is Open for one version of an object (versionID as for
// HeadVersion). A delete marker comes back with a reader over no bytes.
func (s *Store) OpenVersion(ctx context.Context, bucket, key, versionID string) (backend.Object, *Reader, error) {
	if versionID == "" {
		return s.Open(ctx, bucket, key)
	}
	// A version named by its ID is never replaced, only deleted: no retry.
	obj, err := s.meta.GetObject(ctx, bucket, key, versionID)
	if err != nil {
		return backend.Object{}, nil, err
	}
	rd, err := s.openParts(ctx, obj.Parts)
	if err != nil {
		return backend.Object{}, nil, err
	}
	return obj, rd, nil
}

// DeleteInput says what a DeleteObject removes.
type DeleteInput struct {
	Key string
	// VersionID, if set, names the one version to remove for good
	// (backend.NullVersion for the null version).
	VersionID string
	// Versioning is the bucket's versioning state. Without a VersionID, an
	// enabled bucket gets a delete marker with MarkerID, a suspended one a
	// null delete marker in place of its null version; an unversioned
	// bucket loses the object.
	Versioning string
	MarkerID   string
}

// Deleted is what a DeleteObject did, for its response.
type Deleted struct {
	// VersionID is the version removed or the delete marker created, as
	// the wire names it ("null" for the null version); "" when an
	// unversioned bucket's object was deleted.
	VersionID string
	// DeleteMarker reports that a delete marker was created, or that the
	// version removed was one.
	DeleteMarker bool
}

// DeleteVersion carries out a DeleteObject as S3 does in each versioning
// state, and reclaims the bytes of what it removes for good. Removing a
// version or key that does not exist succeeds: S3's deletes are idempotent.
func (s *Store) DeleteVersion(ctx context.Context, bucket string, in DeleteInput) (Deleted, error) {
	if in.VersionID != "" {
		old, err := s.meta.DeleteObject(ctx, bucket, in.Key, in.VersionID)
		if errors.Is(err, backend.ErrObjectNotFound) || errors.Is(err, backend.ErrVersionNotFound) {
			return Deleted{VersionID: in.VersionID}, nil
		}
		if err != nil {
			return Deleted{}, err
		}
		s.deleteBlobs(ctx, old.Parts, nil)
		s.emit(ctx, bucket, backend.Object{Key: in.Key, VersionID: old.VersionID})
		return Deleted{VersionID: in.VersionID, DeleteMarker: old.DeleteMarker}, nil
	}
	var marker backend.Object
	switch in.Versioning {
	case VersioningEnabled:
		marker = backend.Object{Key: in.Key, VersionID: in.MarkerID, DeleteMarker: true, LastModified: s.now()}
	case VersioningSuspended:
		marker = backend.Object{Key: in.Key, DeleteMarker: true, LastModified: s.now()}
	default:
		return Deleted{}, s.Delete(ctx, bucket, in.Key)
	}
	if _, err := s.Put(ctx, bucket, marker, backend.Condition{}); err != nil {
		return Deleted{}, err
	}
	return Deleted{VersionID: VersionName(marker.VersionID), DeleteMarker: true}, nil
}

// VersionListInput selects one page of ListObjectVersions.
type VersionListInput struct {
	Prefix, Delimiter string
	// KeyMarker and VersionIDMarker: the page starts after this version,
	// or after every version of KeyMarker if VersionIDMarker is "".
	KeyMarker, VersionIDMarker string
	Max                        int
}

// VersionPage is one page of ListObjectVersions.
type VersionPage struct {
	// Versions are versions and delete markers, by key, newest first,
	// with IsLatest set on each key's current version.
	Versions  []backend.Object
	Prefixes  []string // CommonPrefixes
	Truncated bool
	// NextKeyMarker and NextVersionIDMarker continue a truncated page;
	// NextVersionIDMarker is "" when the page ends with a common prefix.
	NextKeyMarker, NextVersionIDMarker string
}

// ListVersions returns one page of ListObjectVersions. Like List, it seeks
// in the sorted index, so a page's cost does not grow with the bucket.
func (s *Store) ListVersions(ctx context.Context, bucket string, in VersionListInput) (VersionPage, error) {
	var out VersionPage
	fromKey, fromVer := in.Prefix, ""
	if in.KeyMarker != "" {
		if in.VersionIDMarker != "" {
			fromKey, fromVer = in.KeyMarker, in.VersionIDMarker
			// Cleanup routines delete each page before they ask for the
			// next: if the marker version is gone, resume at the key's
			// remaining versions rather than skip them.
			_, err := s.meta.GetObject(ctx, bucket, in.KeyMarker, in.VersionIDMarker)
			if errors.Is(err, backend.ErrVersionNotFound) || errors.Is(err, backend.ErrObjectNotFound) {
				fromVer = ""
			} else if err != nil {
				return out, err
			}
		} else {
			fromKey = in.KeyMarker + "\x00"
		}
		if fromKey < in.Prefix {
			fromKey, fromVer = in.Prefix, ""
		}
	}
	sc := scanner{prefix: in.Prefix, delimiter: in.Delimiter, after: in.KeyMarker, max: in.Max}
	for {
		batch, err := s.meta.ListVersions(ctx, bucket, fromKey, fromVer, sc.limit())
		if err != nil {
			return out, err
		}
		if len(batch) == 0 {
			return out, nil
		}
		last := &batch[len(batch)-1]
		fromKey, fromVer = last.Key, VersionName(last.VersionID)
		cp, rolled, done := sc.scan(batch, func(cp string) {
			out.Prefixes = append(out.Prefixes, cp)
			out.NextKeyMarker, out.NextVersionIDMarker = cp, ""
		}, func(o *backend.Object) {
			out.Versions = append(out.Versions, *o)
			out.NextKeyMarker, out.NextVersionIDMarker = o.Key, VersionName(o.VersionID)
		})
		out.Truncated = sc.truncated
		if done {
			return out, nil
		}
		if rolled {
			fromKey, fromVer = successor(cp), ""
		}
		if fromKey == "" {
			return out, nil
		}
	}
}
