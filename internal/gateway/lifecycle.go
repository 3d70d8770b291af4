// Lifecycle expiration on the server's clock, applied lazily: a request
// that reads or lists a bucket first removes what the bucket's lifecycle
// rules have expired, as S3's lifecycle would have by then
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-expire-general-considerations.html),
// so a test that moves the clock sees the objects gone.

package gateway

import (
	"context"
	"errors"
	"net/http"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/bucketconfig"
	"github.com/mocks3/mocks3/internal/faulttrace"
	"github.com/mocks3/mocks3/internal/objects"
)

// lifecycleOf returns bucket's lifecycle configuration, nil if it has none
// (or the bucket does not exist: the request itself reports that). The
// lookup is bookkeeping, not part of the request fault rules match.
func (h *Handler) lifecycleOf(ctx context.Context, bucket string) *bucketconfig.Lifecycle {
	doc, err := h.store.Records().GetBucketConfig(faulttrace.Bypass(ctx), bucket, "lifecycle")
	if err != nil {
		return nil
	}
	lc, err := h.lifecycles.Parse(bucket, doc)
	if err != nil {
		return nil
	}
	return lc
}

func lifecycleObject(o *backend.Object) bucketconfig.LifecycleObject {
	return bucketconfig.LifecycleObject{Key: o.Key, Size: o.Size, Tags: o.Tags, LastModified: o.LastModified}
}

// expireCurrent removes obj, the current version of its key, if lc has
// expired it: an unversioned bucket loses it, a versioned one gets a
// delete marker in its place. It reports whether it did.
func (h *Handler) expireCurrent(ctx context.Context, lc *bucketconfig.Lifecycle, bucket string, obj *backend.Object) (bool, error) {
	if !h.expired(lc, obj) {
		return false, nil
	}
	ctx = objects.Lifecycle(faulttrace.Bypass(ctx))
	b, err := h.store.Records().GetBucket(ctx, bucket)
	if err != nil {
		return false, err
	}
	in := objects.DeleteInput{Key: obj.Key, Versioning: b.Versioning}
	if in.MarkerID, err = h.versionFor(ctx, b, obj.Key); err != nil {
		return false, err
	}
	if _, err := h.store.DeleteVersion(ctx, bucket, in); err != nil {
		return false, err
	}
	return true, nil
}

// expireKey applies lc to the current version of key before a request
// reads it, and to the other versions too when the request names one.
func (h *Handler) expireKey(ctx context.Context, lc *bucketconfig.Lifecycle, bucket, key, versionID string) error {
	if lc == nil {
		return nil
	}
	if versionID != "" {
		if _, err := h.expireVersions(ctx, lc, bucket, key); err != nil {
			return s3Error(err, bucket, key)
		}
	}
	_, err := h.expireCurrentKey(ctx, lc, bucket, key)
	return err
}

// expired reports whether lc has expired obj, a current version.
func (h *Handler) expired(lc *bucketconfig.Lifecycle, obj *backend.Object) bool {
	return lc != nil && !obj.DeleteMarker && lc.Expired(lifecycleObject(obj), h.now())
}

// expireRead applies lc to obj, what a read of key's current version
// returned, and reports whether the version went, so that the caller reads
// what is current now (past the fault rules, which saw its first read).
// Only a record that looks expired costs more reads: the fault-free one
// that decides, as a fault may have served a stale record.
func (h *Handler) expireRead(ctx context.Context, lc *bucketconfig.Lifecycle, bucket, key string, obj *backend.Object) (bool, error) {
	if !h.expired(lc, obj) {
		return false, nil
	}
	return h.expireCurrentKey(ctx, lc, bucket, key)
}

// expireCurrentKey applies lc to the current version of key, read past the
// fault rules: a fault's stale record must not decide what is removed. It
// reports whether it removed the version.
func (h *Handler) expireCurrentKey(ctx context.Context, lc *bucketconfig.Lifecycle, bucket, key string) (bool, error) {
	obj, err := h.store.HeadVersion(faulttrace.Bypass(ctx), bucket, key, "")
	if errors.Is(err, backend.ErrObjectNotFound) || errors.Is(err, backend.ErrBucketNotFound) {
		return false, nil
	}
	if err != nil {
		return false, s3Error(err, bucket, key)
	}
	gone, err := h.expireCurrent(ctx, lc, bucket, &obj)
	return gone, s3Error(err, bucket, key)
}

// setExpiration writes x-amz-expiration for obj when a rule of lc will
// expire it.
func setExpiration(hdr http.Header, lc *bucketconfig.Lifecycle, obj *backend.Object) {
	if lc == nil || obj.DeleteMarker {
		return
	}
	if at, id, ok := lc.Expiration(lifecycleObject(obj)); ok {
		hdr["x-amz-expiration"] = []string{bucketconfig.ExpirationHeader(at, id)}
	}
}

// setAbortDate writes x-amz-abort-date and x-amz-abort-rule-id on
// CreateMultipartUpload when a rule of lc will abort up.
func setAbortDate(hdr http.Header, lc *bucketconfig.Lifecycle, up *backend.Upload) {
	if lc == nil {
		return
	}
	if at, id, ok := lc.AbortDate(up.Key, up.Initiated); ok {
		hdr["x-amz-abort-date"] = []string{at.UTC().Format(http.TimeFormat)}
		hdr["x-amz-abort-rule-id"] = []string{id}
	}
}

// expireListed applies lc to the current versions among objs, a page of a
// listing (of versions, when versions is set: only those marked IsLatest
// are current). It reports whether it removed any.
func (h *Handler) expireListed(ctx context.Context, lc *bucketconfig.Lifecycle, bucket string, objs []backend.Object, versions bool) (bool, error) {
	if lc == nil {
		return false, nil
	}
	removed := false
	for i := range objs {
		if versions && !objs[i].IsLatest {
			continue
		}
		gone, err := h.expireCurrent(ctx, lc, bucket, &objs[i])
		if err != nil {
			return removed, err
		}
		removed = removed || gone
	}
	return removed, nil
}

// expireVersions applies lc's NoncurrentVersionExpiration and
// ExpiredObjectDeleteMarker to the versions of key. Versions under object
// lock stay, as S3's lifecycle leaves them.
func (h *Handler) expireVersions(ctx context.Context, lc *bucketconfig.Lifecycle, bucket, key string) (bool, error) {
	if lc == nil || !lc.ExpiresVersions(key) {
		return false, nil
	}
	ctx = objects.Lifecycle(faulttrace.Bypass(ctx))
	vs, err := h.versionsOf(ctx, bucket, key)
	if err != nil || len(vs) == 0 {
		return false, err
	}
	now := h.now()
	left := []backend.Object{vs[0]}
	removed := false
	for i := 1; i < len(vs); i++ {
		v := &vs[i]
		// Version i became noncurrent when version i-1 was written.
		if !lc.NoncurrentExpired(lifecycleObject(v), vs[i-1].LastModified, i-1, now) || v.LegalHold || objects.Protected(v.Retention, now) {
			left = append(left, *v)
			continue
		}
		if _, err := h.store.DeleteVersion(ctx, bucket, objects.DeleteInput{Key: key, VersionID: objects.VersionName(v.VersionID)}); err != nil {
			return removed, err
		}
		removed = true
	}
	if len(left) == 1 && left[0].DeleteMarker && lc.ExpiresDeleteMarker(key) {
		if _, err := h.store.DeleteVersion(ctx, bucket, objects.DeleteInput{Key: key, VersionID: objects.VersionName(left[0].VersionID)}); err != nil {
			return removed, err
		}
		removed = true
	}
	return removed, nil
}

// versionsOf returns every version of key, newest first.
func (h *Handler) versionsOf(ctx context.Context, bucket, key string) ([]backend.Object, error) {
	var out []backend.Object
	in := objects.VersionListInput{Prefix: key, Max: 1000}
	for {
		page, err := h.store.ListVersions(ctx, bucket, in)
		if err != nil {
			return nil, err
		}
		for _, v := range page.Versions {
			if v.Key != key {
				return out, nil
			}
			out = append(out, v)
		}
		if !page.Truncated {
			return out, nil
		}
		in.KeyMarker, in.VersionIDMarker = page.NextKeyMarker, page.NextVersionIDMarker
	}
}
