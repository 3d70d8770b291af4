// Lifecycle: https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLifecycleConfiguration.html,
// API_LifecycleRule.html, API_LifecycleRuleFilter.html,
// API_LifecycleRuleAndOperator.html, API_LifecycleExpiration.html; when
// actions fall due from
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/intro-lifecycle-rules.html.

package bucketconfig

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/mocks3/mocks3/internal/s3err"
)

const (
	maxLifecycleRules = 1000
	maxFilterSize     = 1099511627776000 // 1000 TiB, the bound S3 names
)

var transitionClasses = []string{"GLACIER", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "DEEP_ARCHIVE", "GLACIER_IR"}

// Lifecycle is a bucket's validated lifecycle configuration. It keeps the
// rules as sent, so that GetBucketLifecycleConfiguration gives them back.
type Lifecycle struct {
	doc   lifecycleXML
	rules []lcRule // parsed, in document order
}

type lifecycleXML struct {
	XMLName xml.Name `xml:"LifecycleConfiguration"`
	rootXML
	Rules []lcRuleXML `xml:"Rule"`
}

type lcRuleXML struct {
	ID                           string              `xml:"ID,omitempty"`
	Filter                       *lcFilterXML        `xml:"Filter"`
	Prefix                       []string            `xml:"Prefix"`
	Status                       string              `xml:"Status"`
	Expiration                   *lcExpirationXML    `xml:"Expiration"`
	Transitions                  []lcTransitionXML   `xml:"Transition"`
	NoncurrentVersionTransitions []lcNCTransitionXML `xml:"NoncurrentVersionTransition"`
	NoncurrentVersionExpiration  *lcNCExpirationXML  `xml:"NoncurrentVersionExpiration"`
	AbortIncompleteMultipart     *lcAbortXML         `xml:"AbortIncompleteMultipartUpload"`
	strictXML
}

// lcFilterXML is a Filter: one condition of those an And joins, or an
// And.
type lcFilterXML struct {
	lcAndXML
	And []lcAndXML `xml:"And"`
}

type lcAndXML struct {
	Prefix      []string `xml:"Prefix"`
	Tags        []tagXML `xml:"Tag"`
	SizeGreater []string `xml:"ObjectSizeGreaterThan"`
	SizeLess    []string `xml:"ObjectSizeLessThan"`
	strictXML
}

type lcExpirationXML struct {
	Date                      string `xml:"Date,omitempty"`
	Days                      string `xml:"Days,omitempty"`
	ExpiredObjectDeleteMarker string `xml:"ExpiredObjectDeleteMarker,omitempty"`
	strictXML
}

type lcTransitionXML struct {
	Date         string `xml:"Date,omitempty"`
	Days         string `xml:"Days,omitempty"`
	StorageClass string `xml:"StorageClass"`
	strictXML
}

type lcNCTransitionXML struct {
	NoncurrentDays          string `xml:"NoncurrentDays,omitempty"`
	NewerNoncurrentVersions string `xml:"NewerNoncurrentVersions,omitempty"`
	StorageClass            string `xml:"StorageClass"`
	strictXML
}

type lcNCExpirationXML struct {
	NoncurrentDays          string `xml:"NoncurrentDays,omitempty"`
	NewerNoncurrentVersions string `xml:"NewerNoncurrentVersions,omitempty"`
	strictXML
}

type lcAbortXML struct {
	DaysAfterInitiation string `xml:"DaysAfterInitiation"`
	strictXML
}

// lcRule is a rule's meaning: which objects, and when they expire.
type lcRule struct {
	id          string
	enabled     bool
	prefix      string
	tags        map[string]string
	sizeGreater *int64
	sizeLess    *int64
	expireDays  int64
	expireDate  time.Time
	abortDays   int64
	// ncDays and ncNewer are NoncurrentVersionExpiration's NoncurrentDays
	// and NewerNoncurrentVersions; expireMarkers is
	// ExpiredObjectDeleteMarker.
	ncDays, ncNewer int64
	expireMarkers   bool
}

func invalidRequest(format string, args ...any) error {
	return errorf(s3err.InvalidRequest, format, args...)
}

func positiveDays(v, what string) (int64, error) {
	n, ok := parseInt(v)
	if !ok {
		return 0, malformedXML()
	}
	if n <= 0 || n > 1<<31-1 {
		name, _, _ := strings.Cut(strings.TrimPrefix(what, "'"), "'")
		return 0, invalidArgument(what+" must be a positive integer", name, v)
	}
	return n, nil
}

func parseMidnight(v string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(v))
	if err != nil {
		return time.Time{}, malformedXML()
	}
	if t = t.UTC(); !t.Equal(t.Truncate(24 * time.Hour)) {
		return time.Time{}, invalidArgument("'Date' must be at midnight GMT", "Date", v)
	}
	return t, nil
}

// ParseLifecycle reads PutBucketLifecycleConfiguration's
// LifecycleConfiguration document. Rules sent without an ID get one from
// newID, as S3 names them.
func ParseLifecycle(body []byte, newID func() string) (*Lifecycle, error) {
	var doc lifecycleXML
	if err := decodeXML(body, &doc); err != nil {
		return nil, err
	}
	if len(doc.Rules) == 0 {
		return nil, malformedXML()
	}
	if len(doc.Rules) > maxLifecycleRules {
		return nil, invalidRequest("The number of lifecycle rules must not exceed the allowed limit of 1000 rules.")
	}
	l := &Lifecycle{}
	ids := map[string]bool{}
	v1, v2 := false, false
	for i := range doc.Rules {
		x := &doc.Rules[i]
		if x.ID == "" && newID != nil {
			x.ID = newID()
		}
		if len(x.ID) > maxRuleID {
			return nil, invalidArgument("ID length should not exceed allowed limit of 255", "ID", x.ID)
		}
		if ids[x.ID] {
			return nil, invalidArgument("Rule ID must be unique. Found same ID for more than one rule", "ID", x.ID)
		}
		ids[x.ID] = true
		switch {
		case x.Filter != nil && x.Prefix != nil, x.Filter == nil && x.Prefix == nil, len(x.Prefix) > 1:
			return nil, malformedXML()
		case x.Prefix != nil:
			if v2 {
				return nil, invalidRequest("Base level prefix cannot be used in Lifecycle V2, prefixes are only supported in the Filter.")
			}
			v1 = true
		default:
			if v1 {
				return nil, invalidRequest("Filter element can only be used in Lifecycle V2.")
			}
			v2 = true
		}
		r, err := parseLCRule(x, v1)
		if err != nil {
			return nil, err
		}
		l.rules = append(l.rules, r)
	}
	l.doc = doc
	return l, nil
}

func parseLCRule(x *lcRuleXML, v1 bool) (lcRule, error) {
	r := lcRule{id: x.ID, enabled: x.Status == "Enabled"}
	if x.Status != "Enabled" && x.Status != "Disabled" {
		return r, malformedXML()
	}
	if v1 {
		r.prefix = x.Prefix[0]
	} else if err := r.parseFilter(x.Filter); err != nil {
		return r, err
	}
	hasTags, hasSize := len(r.tags) > 0, r.sizeGreater != nil || r.sizeLess != nil
	if x.Expiration == nil && x.Transitions == nil && x.NoncurrentVersionTransitions == nil &&
		x.NoncurrentVersionExpiration == nil && x.AbortIncompleteMultipart == nil {
		return r, invalidRequest("At least one action needs to be specified in a rule")
	}
	if e := x.Expiration; e != nil {
		n := 0
		for _, v := range []string{e.Date, e.Days, e.ExpiredObjectDeleteMarker} {
			if v != "" {
				n++
			}
		}
		if n != 1 {
			return r, malformedXML()
		}
		var err error
		switch {
		case e.Days != "":
			r.expireDays, err = positiveDays(e.Days, "'Days' for Expiration action")
		case e.Date != "":
			r.expireDate, err = parseMidnight(e.Date)
		default:
			var ok bool
			if r.expireMarkers, ok = parseBool(e.ExpiredObjectDeleteMarker); !ok {
				return r, malformedXML()
			}
			if hasTags {
				return r, invalidRequest("ExpiredObjectDeleteMarker cannot be specified with Tags.")
			}
			if hasSize {
				return r, invalidRequest("ExpiredObjectDeleteMarker cannot be specified with Object Size.")
			}
		}
		if err != nil {
			return r, err
		}
	}
	if e := x.NoncurrentVersionExpiration; e != nil {
		if e.NoncurrentDays == "" {
			return r, malformedXML()
		}
		var err error
		if r.ncDays, err = positiveDays(e.NoncurrentDays, "'NoncurrentDays' for NoncurrentVersionExpiration action"); err != nil {
			return r, err
		}
		if e.NewerNoncurrentVersions != "" {
			if v1 {
				return r, invalidRequest("NewerNoncurrentVersions element can only be used in Lifecycle V2.")
			}
			if r.ncNewer, err = positiveDays(e.NewerNoncurrentVersions, "'NewerNoncurrentVersions' for NoncurrentVersionExpiration action"); err != nil {
				return r, err
			}
		}
	}
	for _, t := range x.Transitions {
		if err := checkTransition(t.StorageClass, t.Days, t.Date, "Days"); err != nil {
			return r, err
		}
	}
	for _, t := range x.NoncurrentVersionTransitions {
		if t.NoncurrentDays == "" {
			return r, malformedXML()
		}
		if err := checkTransition(t.StorageClass, t.NoncurrentDays, "", "NoncurrentDays"); err != nil {
			return r, err
		}
	}
	if a := x.AbortIncompleteMultipart; a != nil {
		if hasTags {
			return r, invalidRequest("AbortIncompleteMultipartUpload cannot be specified with Tags.")
		}
		if hasSize {
			return r, invalidRequest("AbortIncompleteMultipartUpload cannot be specified with Object Size.")
		}
		var err error
		if r.abortDays, err = positiveDays(a.DaysAfterInitiation, "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action"); err != nil {
			return r, err
		}
	}
	return r, nil
}

func checkTransition(class, days, date, daysName string) error {
	if !slices.Contains(transitionClasses, class) || (days == "") == (date == "") {
		return malformedXML()
	}
	if date != "" {
		_, err := parseMidnight(date)
		return err
	}
	n, ok := parseInt(days)
	if !ok {
		return malformedXML()
	}
	if n < 0 {
		return invalidArgument("'"+daysName+"' in Transition action must be nonnegative", daysName, days)
	}
	if (class == "STANDARD_IA" || class == "ONEZONE_IA") && n < 30 {
		return invalidArgument(fmt.Sprintf("'%s' in Transition action must be greater than or equal to 30 for storageClass '%s'", daysName, class), daysName, days)
	}
	return nil
}

// parseFilter reads a V2 Filter: empty (every object), or exactly one of
// Prefix, Tag, ObjectSizeGreaterThan, ObjectSizeLessThan and And.
func (r *lcRule) parseFilter(f *lcFilterXML) error {
	n := len(f.Prefix) + len(f.Tags) + len(f.SizeGreater) + len(f.SizeLess) + len(f.And)
	if n > 1 {
		return malformedXML()
	}
	prefix, tags, gt, lt := f.Prefix, f.Tags, f.SizeGreater, f.SizeLess
	if len(f.And) == 1 {
		a := f.And[0]
		if len(a.Prefix) > 1 || len(a.SizeGreater) > 1 || len(a.SizeLess) > 1 {
			return malformedXML()
		}
		// And joins two predicates or more; an empty Prefix counts as one.
		if len(a.Prefix)+len(a.Tags)+len(a.SizeGreater)+len(a.SizeLess) < 2 {
			return malformedXML()
		}
		prefix, tags, gt, lt = a.Prefix, a.Tags, a.SizeGreater, a.SizeLess
	}
	if len(prefix) == 1 {
		r.prefix = prefix[0]
	}
	if len(tags) > 0 {
		r.tags = map[string]string{}
		for _, t := range tags {
			if t.Key == nil || t.Value == nil {
				return malformedXML()
			}
			if err := checkTag(*t.Key, *t.Value); err != nil {
				return err
			}
			if _, dup := r.tags[*t.Key]; dup {
				return invalidRequest("Duplicate Tag Keys are not allowed.")
			}
			r.tags[*t.Key] = *t.Value
		}
	}
	var err error
	if r.sizeGreater, err = filterSize("ObjectSizeGreaterThan", gt, 0); err != nil {
		return err
	}
	if r.sizeLess, err = filterSize("ObjectSizeLessThan", lt, 1); err != nil {
		return err
	}
	if r.sizeGreater != nil && r.sizeLess != nil && *r.sizeGreater >= *r.sizeLess {
		return invalidRequest("'ObjectSizeLessThan' has to be a value greater than 'ObjectSizeGreaterThan'.")
	}
	return nil
}

// filterSize reads a size bound of a filter, sent at most once: nil if
// not sent.
func filterSize(name string, vals []string, least int64) (*int64, error) {
	if len(vals) == 0 {
		return nil, nil
	}
	v, ok := parseInt(vals[0])
	if !ok {
		return nil, malformedXML()
	}
	if v < least || v > maxFilterSize {
		return nil, invalidRequest("'%s' should be between %d and %d.", name, least, int64(maxFilterSize))
	}
	return &v, nil
}

// Encode writes l as a LifecycleConfiguration document: the rules as
// sent, with the IDs S3 gave those sent without one.
func (l *Lifecycle) Encode() []byte {
	doc := l.doc
	return encodeXML(&doc)
}

// LifecycleObject is what lifecycle rules look at in an object.
type LifecycleObject struct {
	Key          string
	Size         int64
	Tags         map[string]string
	LastModified time.Time
}

func (r *lcRule) matches(o LifecycleObject) bool {
	if !r.enabled || !strings.HasPrefix(o.Key, r.prefix) {
		return false
	}
	for k, v := range r.tags {
		if got, ok := o.Tags[k]; !ok || got != v {
			return false
		}
	}
	return (r.sizeGreater == nil || o.Size > *r.sizeGreater) && (r.sizeLess == nil || o.Size < *r.sizeLess)
}

// nextMidnight rounds t up to the next midnight UTC, as S3 rounds the
// times its lifecycle actions fall due.
func nextMidnight(t time.Time) time.Time {
	t = t.UTC()
	d := t.Truncate(24 * time.Hour)
	if d.Before(t) {
		d = d.Add(24 * time.Hour)
	}
	return d
}

// Expiration returns when the current version o expires and which rule
// expires it: of the enabled rules that match o, the one that expires it
// first (S3 honours the shorter of overlapping expirations), the first
// listed on a tie. ok is false when no rule expires o.
func (l *Lifecycle) Expiration(o LifecycleObject) (at time.Time, ruleID string, ok bool) {
	for i := range l.rules {
		r := &l.rules[i]
		if !r.matches(o) {
			continue
		}
		var t time.Time
		switch {
		case r.expireDays > 0:
			t = nextMidnight(o.LastModified.AddDate(0, 0, int(r.expireDays)))
		case !r.expireDate.IsZero():
			t = r.expireDate
		default:
			continue
		}
		if !ok || t.Before(at) {
			at, ruleID, ok = t, r.id, true
		}
	}
	return at, ruleID, ok
}

// Expired reports whether o has expired at now.
func (l *Lifecycle) Expired(o LifecycleObject, now time.Time) bool {
	at, _, ok := l.Expiration(o)
	return ok && !now.Before(at)
}

// NoncurrentExpired reports whether NoncurrentVersionExpiration has
// removed the noncurrent version o by now: o became noncurrent at since,
// and newer noncurrent versions of its key are newer than it (a rule's
// NewerNoncurrentVersions keeps that many).
func (l *Lifecycle) NoncurrentExpired(o LifecycleObject, since time.Time, newer int, now time.Time) bool {
	for i := range l.rules {
		r := &l.rules[i]
		if r.ncDays == 0 || int64(newer) < r.ncNewer || !r.matches(o) {
			continue
		}
		if !now.Before(nextMidnight(since.AddDate(0, 0, int(r.ncDays)))) {
			return true
		}
	}
	return false
}

// ExpiresDeleteMarker reports whether a rule removes the delete marker of
// key once it is the key's only version (ExpiredObjectDeleteMarker).
func (l *Lifecycle) ExpiresDeleteMarker(key string) bool {
	for i := range l.rules {
		r := &l.rules[i]
		if r.enabled && r.expireMarkers && strings.HasPrefix(key, r.prefix) {
			return true
		}
	}
	return false
}

// ExpiresVersions reports whether a rule may remove versions of key other
// than its current one (NoncurrentVersionExpiration or
// ExpiredObjectDeleteMarker), so that a bucket whose rules cannot spares
// the listing of every version.
func (l *Lifecycle) ExpiresVersions(key string) bool {
	for i := range l.rules {
		r := &l.rules[i]
		if r.enabled && (r.ncDays > 0 || r.expireMarkers) && strings.HasPrefix(key, r.prefix) {
			return true
		}
	}
	return false
}

// AbortDate returns when an incomplete multipart upload of key, initiated
// at initiated, is aborted, and by which rule.
func (l *Lifecycle) AbortDate(key string, initiated time.Time) (at time.Time, ruleID string, ok bool) {
	for i := range l.rules {
		r := &l.rules[i]
		if !r.enabled || r.abortDays == 0 || len(r.tags) > 0 || !strings.HasPrefix(key, r.prefix) {
			continue
		}
		t := nextMidnight(initiated.AddDate(0, 0, int(r.abortDays)))
		if !ok || t.Before(at) {
			at, ruleID, ok = t, r.id, true
		}
	}
	return at, ruleID, ok
}

// ExpirationHeader writes x-amz-expiration's value.
func ExpirationHeader(at time.Time, ruleID string) string {
	return fmt.Sprintf("expiry-date=%q, rule-id=%q", at.UTC().Format(http.TimeFormat), ruleID)
}
