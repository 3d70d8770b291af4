// Object lock:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectLockConfiguration.html,
// API_GetObjectLockConfiguration.html, API_PutObjectRetention.html,
// API_GetObjectRetention.html, API_PutObjectLegalHold.html,
// API_GetObjectLegalHold.html; the lock headers of PutObject, CopyObject and
// CreateMultipartUpload; the rules in
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html

package gateway

import (
	"context"
	"encoding/xml"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/mocks3/mocks3/internal/s3err"
	"github.com/mocks3/mocks3/internal/s3op"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/objects"
)

// lockRoutes are the object lock operations.
var lockRoutes = []route{
	{http.MethodPut, onBucket, "object-lock", s3op.PutObjectLockConfiguration, nil, (*Handler).putObjectLockConfiguration},
	{http.MethodGet, onBucket, "object-lock", s3op.GetObjectLockConfiguration, nil, (*Handler).getObjectLockConfiguration},
	{http.MethodPut, onObject, "retention", s3op.PutObjectRetention, nil, (*Handler).putObjectRetention},
	{http.MethodGet, onObject, "retention", s3op.GetObjectRetention, nil, (*Handler).getObjectRetention},
	{http.MethodPut, onObject, "legal-hold", s3op.PutObjectLegalHold, nil, (*Handler).putObjectLegalHold},
	{http.MethodGet, onObject, "legal-hold", s3op.GetObjectLegalHold, nil, (*Handler).getObjectLegalHold},
}

// lockConfigKind is the bucket configuration holding the lock configuration.
const lockConfigKind = "object-lock"

// Limits S3 puts on a default retention period.
const (
	maxRetentionDays  = 36500
	maxRetentionYears = 100
)

type objectLockConfiguration struct {
	XMLName           xml.Name        `xml:"ObjectLockConfiguration"`
	Xmlns             string          `xml:"xmlns,attr,omitempty"`
	ObjectLockEnabled string          `xml:",omitempty"`
	Rule              *objectLockRule `xml:",omitempty"`
}

type objectLockRule struct {
	DefaultRetention *defaultRetention
}

type defaultRetention struct {
	Mode  string
	Days  *int `xml:",omitempty"`
	Years *int `xml:",omitempty"`
}

type retentionXML struct {
	XMLName         xml.Name `xml:"Retention"`
	Xmlns           string   `xml:"xmlns,attr,omitempty"`
	Mode            string   `xml:",omitempty"`
	RetainUntilDate string   `xml:",omitempty"`
}

type legalHoldXML struct {
	XMLName xml.Name `xml:"LegalHold"`
	Xmlns   string   `xml:"xmlns,attr,omitempty"`
	Status  string
}

func (x *legalHoldXML) wellFormed() bool { return x.Status == "ON" || x.Status == "OFF" }

// S3 words the missing lock configuration differently on object writes
// and on the lock operations.
const (
	noLockOnWrite = "Bucket is missing ObjectLockConfiguration"
	noLockOnOp    = "Bucket is missing Object Lock Configuration"
)

func validMode(m string) bool { return m == objects.Governance || m == objects.Compliance }

// parseLockConfiguration decodes and validates a PutObjectLockConfiguration
// body.
func parseLockConfiguration(body []byte) (objectLockConfiguration, error) {
	var c objectLockConfiguration
	if err := xml.Unmarshal(body, &c); err != nil || c.ObjectLockEnabled != "Enabled" {
		return c, newError(s3err.MalformedXML)
	}
	if c.Rule == nil {
		return c, nil
	}
	d := c.Rule.DefaultRetention
	if d == nil || !validMode(d.Mode) || (d.Days == nil) == (d.Years == nil) {
		return c, newError(s3err.MalformedXML)
	}
	n, limit := d.Days, maxRetentionDays
	if d.Years != nil {
		n, limit = d.Years, maxRetentionYears
	}
	if *n <= 0 {
		return c, errorf(s3err.InvalidArgument, "Default retention period must be a positive integer value.")
	}
	if *n > limit {
		return c, errorf(s3err.InvalidArgument, "Default retention period too large.")
	}
	return c, nil
}

func (h *Handler) putObjectLockConfiguration(w http.ResponseWriter, r *http.Request, req *request) error {
	ctx := r.Context()
	b, err := h.bucket(ctx, req.bucket)
	if err != nil {
		return err
	}
	body, err := readSmallBody(r, 64<<10)
	if err != nil {
		return err
	}
	c, err := parseLockConfiguration(body)
	if err != nil {
		return err
	}
	if !b.ObjectLock {
		// S3 enables object lock on an existing bucket only if it is
		// versioned.
		if b.Versioning != "Enabled" {
			return errorf(s3err.InvalidBucketState, "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration")
		}
		b.ObjectLock = true
		if err := h.store.Records().UpdateBucket(ctx, b); err != nil {
			return s3Error(err, req.bucket, "")
		}
	}
	c.Xmlns = s3Namespace
	doc, err := xml.Marshal(c)
	if err != nil {
		return err
	}
	if err := h.store.Records().PutBucketConfig(ctx, req.bucket, lockConfigKind, doc); err != nil {
		return s3Error(err, req.bucket, "")
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

// lockConfiguration returns a lock bucket's configuration: what was put,
// or just "Enabled".
func (h *Handler) lockConfiguration(ctx context.Context, bucket string) (objectLockConfiguration, error) {
	c := objectLockConfiguration{Xmlns: s3Namespace, ObjectLockEnabled: "Enabled"}
	doc, err := h.store.Records().GetBucketConfig(ctx, bucket, lockConfigKind)
	if errors.Is(err, backend.ErrConfigNotFound) {
		return c, nil
	}
	if err != nil {
		return c, s3Error(err, bucket, "")
	}
	if err := xml.Unmarshal(doc, &c); err != nil {
		return c, err
	}
	return c, nil
}

func (h *Handler) getObjectLockConfiguration(w http.ResponseWriter, r *http.Request, req *request) error {
	b, err := h.bucket(r.Context(), req.bucket)
	if err != nil {
		return err
	}
	if !b.ObjectLock {
		return newError(s3err.ObjectLockConfigurationNotFound, extra("BucketName", req.bucket))
	}
	c, err := h.lockConfiguration(r.Context(), req.bucket)
	if err != nil {
		return err
	}
	writeXML(w, http.StatusOK, c)
	return nil
}

// lockTarget reads the bucket and the version a retention or legal hold
// request addresses.
func (h *Handler) lockTarget(w http.ResponseWriter, r *http.Request, req *request) (backend.Object, string, error) {
	ctx := r.Context()
	b, err := h.store.Records().GetBucket(ctx, req.bucket)
	if err != nil {
		return backend.Object{}, "", s3Error(err, req.bucket, "")
	}
	if !b.ObjectLock {
		return backend.Object{}, "", errorf(s3err.InvalidRequest, noLockOnOp)
	}
	versionID, err := versionParam(r.URL.Query())
	if err != nil {
		return backend.Object{}, "", err
	}
	obj, err := h.store.HeadVersion(ctx, req.bucket, req.key, versionID)
	if err != nil {
		return obj, "", versionError(err, req.bucket, req.key, versionID)
	}
	if obj.DeleteMarker {
		return obj, "", deleteMarkerError(w, r, &obj, versionID != "")
	}
	return obj, versionID, nil
}

func (h *Handler) getObjectRetention(w http.ResponseWriter, r *http.Request, req *request) error {
	obj, _, err := h.lockTarget(w, r, req)
	if err != nil {
		return err
	}
	if obj.Retention.Mode == "" {
		return newError(s3err.NoSuchObjectLockConfiguration)
	}
	writeXML(w, http.StatusOK, retentionXML{Xmlns: s3Namespace, Mode: obj.Retention.Mode,
		RetainUntilDate: formatTime(obj.Retention.Until)})
	return nil
}

// bypassGovernance reports whether a request asks to override GOVERNANCE
// retention.
func bypassGovernance(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("x-amz-bypass-governance-retention"), "true")
}

// readLockUpdate finds the version a PutObjectRetention or
// PutObjectLegalHold changes, then reads the request's document into doc.
func (h *Handler) readLockUpdate(w http.ResponseWriter, r *http.Request, req *request, doc any) (versionID string, err error) {
	if _, versionID, err = h.lockTarget(w, r, req); err != nil {
		return "", err
	}
	return versionID, readXML(r, 64<<10, doc)
}

func (h *Handler) putObjectRetention(w http.ResponseWriter, r *http.Request, req *request) error {
	var x retentionXML
	versionID, err := h.readLockUpdate(w, r, req, &x)
	if err != nil {
		return err
	}
	var ret backend.Retention
	// An empty Retention removes the retention, which only bypass allows
	// while it is in force.
	if x.Mode != "" || x.RetainUntilDate != "" {
		until, err := time.Parse(time.RFC3339Nano, x.RetainUntilDate)
		if !validMode(x.Mode) || err != nil {
			return newError(s3err.MalformedXML)
		}
		if !until.After(h.now()) {
			return errorf(s3err.InvalidArgument, "The retain until date must be in the future!")
		}
		ret = backend.Retention{Mode: x.Mode, Until: until.UTC()}
	}
	err = h.store.SetRetention(r.Context(), req.bucket, req.key, versionID, ret, bypassGovernance(r))
	if err != nil {
		return s3Error(err, req.bucket, req.key)
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

func (h *Handler) getObjectLegalHold(w http.ResponseWriter, r *http.Request, req *request) error {
	obj, _, err := h.lockTarget(w, r, req)
	if err != nil {
		return err
	}
	status := "OFF"
	if obj.LegalHold {
		status = "ON"
	}
	writeXML(w, http.StatusOK, legalHoldXML{Xmlns: s3Namespace, Status: status})
	return nil
}

func (h *Handler) putObjectLegalHold(w http.ResponseWriter, r *http.Request, req *request) error {
	var x legalHoldXML
	versionID, err := h.readLockUpdate(w, r, req, &x)
	if err != nil {
		return err
	}
	if err := h.store.SetLegalHold(r.Context(), req.bucket, req.key, versionID, x.Status == "ON"); err != nil {
		return s3Error(err, req.bucket, req.key)
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

// writeLock is the object lock state a write asks for in its headers.
type writeLock struct {
	retention backend.Retention
	legalHold bool
	// asked reports whether any lock header was sent.
	asked bool
}

// parseLockHeaders reads and validates the lock headers of PutObject,
// CopyObject and CreateMultipartUpload.
func parseLockHeaders(hd http.Header, now time.Time) (writeLock, error) {
	mode, date, hold := hd.Get("x-amz-object-lock-mode"), hd.Get("x-amz-object-lock-retain-until-date"),
		hd.Get("x-amz-object-lock-legal-hold")
	l := writeLock{asked: mode != "" || date != "" || hold != ""}
	if mode != "" || date != "" {
		if mode == "" || date == "" {
			return l, errorf(s3err.InvalidArgument, "x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied")
		}
		if !validMode(mode) {
			return l, errorf(s3err.InvalidArgument, "Unknown wormMode directive.")
		}
		until, err := time.Parse(time.RFC3339Nano, date)
		if err != nil {
			return l, errorf(s3err.InvalidArgument, "The retain until date must be an ISO 8601 date-time, such as 2030-01-02T03:04:05Z.")
		}
		if !until.After(now) {
			return l, errorf(s3err.InvalidArgument, "The retain until date must be in the future!")
		}
		l.retention = backend.Retention{Mode: mode, Until: until.UTC()}
	}
	switch hold {
	case "", "OFF":
	case "ON":
		l.legalHold = true
	default:
		return l, errorf(s3err.InvalidArgument, "Legal Hold must be either of 'ON' or 'OFF'")
	}
	return l, nil
}

// writeBucket returns the bucket a write goes to and the lock state of
// the version it writes.
func (h *Handler) writeBucket(ctx context.Context, r *http.Request, req *request) (backend.Bucket, writeLock, error) {
	b, err := h.bucket(ctx, req.bucket)
	if err != nil {
		return b, writeLock{}, err
	}
	lock, err := h.lockForWrite(ctx, r.Header, b)
	return b, lock, err
}

// lockForWrite decides the lock state of a new version in bucket b: what
// hdr (the request's headers, or a form's) asks for, else the bucket's
// default retention. Lock headers on a bucket without object lock are
// refused.
func (h *Handler) lockForWrite(ctx context.Context, hdr http.Header, b backend.Bucket) (writeLock, error) {
	if !b.ObjectLock {
		if lockHeaderSent(hdr) {
			return writeLock{}, errorf(s3err.InvalidRequest, noLockOnWrite)
		}
		return writeLock{}, nil
	}
	now := h.now()
	l, err := parseLockHeaders(hdr, now)
	if err != nil || l.retention.Mode != "" {
		return l, err
	}
	c, err := h.lockConfiguration(ctx, b.Name)
	if err != nil || c.Rule == nil || c.Rule.DefaultRetention == nil {
		return l, err
	}
	d := c.Rule.DefaultRetention
	until := now
	if d.Days != nil {
		until = now.AddDate(0, 0, *d.Days)
	} else if d.Years != nil {
		until = now.AddDate(*d.Years, 0, 0)
	}
	l.retention = backend.Retention{Mode: d.Mode, Until: until}
	return l, nil
}

func lockHeaderSent(hd http.Header) bool {
	for _, k := range []string{"x-amz-object-lock-mode", "x-amz-object-lock-retain-until-date", "x-amz-object-lock-legal-hold"} {
		if len(hd.Values(k)) > 0 {
			return true
		}
	}
	return false
}

// checkLockIntegrity enforces S3's rule that a PutObject which locks the
// object carries Content-MD5 or an x-amz-checksum value (header or
// trailer).
func checkLockIntegrity(r *http.Request, l writeLock) error {
	if !l.asked && l.retention.Mode == "" {
		return nil
	}
	if r.Header.Get("Content-Md5") != "" {
		return nil
	}
	for k := range r.Header {
		if name, ok := cutPrefixFold(k, "x-amz-checksum-"); ok && !strings.EqualFold(name, "algorithm") && !strings.EqualFold(name, "type") && !strings.EqualFold(name, "mode") {
			return nil
		}
	}
	if _, ok := cutPrefixFold(strings.TrimSpace(r.Header.Get("x-amz-trailer")), "x-amz-checksum-"); ok {
		return nil
	}
	return errorf(s3err.InvalidRequest, "Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters")
}

// writeLockHeaders sets the lock headers GetObject and HeadObject return.
func writeLockHeaders(hdr http.Header, obj *backend.Object) {
	if obj.Retention.Mode != "" {
		hdr["x-amz-object-lock-mode"] = []string{obj.Retention.Mode}
		hdr["x-amz-object-lock-retain-until-date"] = []string{formatTime(obj.Retention.Until)}
	}
	if obj.LegalHold {
		hdr["x-amz-object-lock-legal-hold"] = []string{"ON"}
	}
}

// checkDeletable refuses the removal of a version object lock protects
// (versionID as for Store.HeadVersion), in a bucket with object lock.
func (h *Handler) checkDeletable(ctx context.Context, r *http.Request, b backend.Bucket, key, versionID string) error {
	if !b.ObjectLock || !removesVersion(b, versionID) {
		return nil
	}
	return h.store.CheckDelete(ctx, b.Name, key, versionID, bypassGovernance(r))
}

// removesVersion reports whether a delete removes a version rather than
// adding a delete marker: it names one, or the bucket is not versioned and
// the delete removes the null version.
func removesVersion(b backend.Bucket, versionID string) bool {
	return versionID != "" || b.Versioning != objects.VersioningEnabled
}
