package bucketconfig

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mocks3/mocks3/internal/s3err"
)

func lcDoc(rules ...string) string { return xmlDoc("LifecycleConfiguration", rules...) }

func lcRuleDoc(id, filter, actions string) string {
	r := "<Rule>"
	if id != "" {
		r += "<ID>" + id + "</ID>"
	}
	return r + filter + "<Status>Enabled</Status>" + actions + "</Rule>"
}

const exp1 = "<Expiration><Days>1</Days></Expiration>"

func TestParseLifecycle(t *testing.T) {
	tests := []parseCase{
		{"prefix filter", lcDoc(lcRuleDoc("r", "<Filter><Prefix>logs/</Prefix></Filter>", exp1)), "", ""},
		{"empty filter", lcDoc(lcRuleDoc("r", "<Filter/>", exp1)), "", ""},
		{"v1 prefix", lcDoc(lcRuleDoc("r", "<Prefix></Prefix>", exp1)), "", ""},
		{"and", lcDoc(lcRuleDoc("r", "<Filter><And><Prefix>a/</Prefix><Tag><Key>k</Key><Value>v</Value></Tag></And></Filter>", exp1)), "", ""},
		{"and of empty prefix and a size", lcDoc(lcRuleDoc("r", "<Filter><And><Prefix></Prefix><ObjectSizeGreaterThan>10</ObjectSizeGreaterThan></And></Filter>", exp1)), "", ""},
		{"date", lcDoc(lcRuleDoc("r", "<Filter/>", "<Expiration><Date>2030-01-01T00:00:00Z</Date></Expiration>")), "", ""},
		{"all actions", lcDoc(lcRuleDoc("r", "<Filter><Prefix>a</Prefix></Filter>",
			"<Expiration><Days>365</Days></Expiration><Transition><Days>30</Days><StorageClass>STANDARD_IA</StorageClass></Transition>"+
				"<NoncurrentVersionTransition><NoncurrentDays>0</NoncurrentDays><StorageClass>GLACIER</StorageClass></NoncurrentVersionTransition>"+
				"<NoncurrentVersionExpiration><NoncurrentDays>5</NoncurrentDays><NewerNoncurrentVersions>2</NewerNoncurrentVersions></NoncurrentVersionExpiration>"+
				"<AbortIncompleteMultipartUpload><DaysAfterInitiation>7</DaysAfterInitiation></AbortIncompleteMultipartUpload>")), "", ""},
		{"no rules", lcDoc(), s3err.MalformedXML, ""},
		{"no filter", lcDoc(lcRuleDoc("r", "", exp1)), s3err.MalformedXML, ""},
		{"filter and prefix", lcDoc(lcRuleDoc("r", "<Prefix/><Filter/>", exp1)), s3err.MalformedXML, ""},
		{"bad status", lcDoc(`<Rule><Filter/><Status>enabled</Status>` + exp1 + `</Rule>`), s3err.MalformedXML, ""},
		{"no action", lcDoc(lcRuleDoc("r", "<Filter/>", "")), s3err.InvalidRequest, "At least one action needs to be specified in a rule"},
		{"long id", lcDoc(lcRuleDoc(strings.Repeat("i", 256), "<Filter/>", exp1)), s3err.InvalidArgument, "ID length should not exceed allowed limit of 255"},
		{"same id", lcDoc(lcRuleDoc("r", "<Filter/>", exp1), lcRuleDoc("r", "<Filter/>", exp1)), s3err.InvalidArgument, "Rule ID must be unique"},
		{"v1 then v2", lcDoc(lcRuleDoc("a", "<Prefix>x</Prefix>", exp1), lcRuleDoc("b", "<Filter/>", exp1)), s3err.InvalidRequest, "Filter element can only be used in Lifecycle V2."},
		{"v2 then v1", lcDoc(lcRuleDoc("a", "<Filter/>", exp1), lcRuleDoc("b", "<Prefix>x</Prefix>", exp1)), s3err.InvalidRequest, "Base level prefix cannot be used in Lifecycle V2"},
		{"two predicates", lcDoc(lcRuleDoc("r", "<Filter><Prefix>a</Prefix><ObjectSizeGreaterThan>1</ObjectSizeGreaterThan></Filter>", exp1)), s3err.MalformedXML, ""},
		{"and of one prefix", lcDoc(lcRuleDoc("r", "<Filter><And><Prefix>a</Prefix></And></Filter>", exp1)), s3err.MalformedXML, ""},
		{"duplicate tag keys", lcDoc(lcRuleDoc("r", "<Filter><And><Tag><Key>k</Key><Value>1</Value></Tag><Tag><Key>k</Key><Value>2</Value></Tag></And></Filter>", exp1)), s3err.InvalidRequest, "Duplicate Tag Keys are not allowed."},
		{"size less than 0", lcDoc(lcRuleDoc("r", "<Filter><ObjectSizeLessThan>0</ObjectSizeLessThan></Filter>", exp1)), s3err.InvalidRequest, "'ObjectSizeLessThan' should be between 1 and 1099511627776000."},
		{"size range empty", lcDoc(lcRuleDoc("r", "<Filter><And><ObjectSizeGreaterThan>5</ObjectSizeGreaterThan><ObjectSizeLessThan>5</ObjectSizeLessThan></And></Filter>", exp1)), s3err.InvalidRequest, "has to be a value greater than"},
		{"days 0", lcDoc(lcRuleDoc("r", "<Filter/>", "<Expiration><Days>0</Days></Expiration>")), s3err.InvalidArgument, "'Days' for Expiration action must be a positive integer"},
		{"date not midnight", lcDoc(lcRuleDoc("r", "<Filter/>", "<Expiration><Date>2030-01-01T10:00:00Z</Date></Expiration>")), s3err.InvalidArgument, "'Date' must be at midnight GMT"},
		{"date not a date", lcDoc(lcRuleDoc("r", "<Filter/>", "<Expiration><Date>Fri, 01 Jan 2016 00:00:00 GMT</Date></Expiration>")), s3err.MalformedXML, ""},
		{"delete marker and days", lcDoc(lcRuleDoc("r", "<Filter/>", "<Expiration><Days>1</Days><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>")), s3err.MalformedXML, ""},
		{"empty expiration", lcDoc(lcRuleDoc("r", "<Filter/>", "<Expiration></Expiration>")), s3err.MalformedXML, ""},
		{"abort with tags", lcDoc(lcRuleDoc("r", "<Filter><Tag><Key>k</Key><Value>v</Value></Tag></Filter>", "<AbortIncompleteMultipartUpload><DaysAfterInitiation>1</DaysAfterInitiation></AbortIncompleteMultipartUpload>")), s3err.InvalidRequest, "AbortIncompleteMultipartUpload cannot be specified with Tags."},
		{"delete marker with size", lcDoc(lcRuleDoc("r", "<Filter><ObjectSizeGreaterThan>1</ObjectSizeGreaterThan></Filter>", "<Expiration><ExpiredObjectDeleteMarker>false</ExpiredObjectDeleteMarker></Expiration>")), s3err.InvalidRequest, "ExpiredObjectDeleteMarker cannot be specified with Object Size."},
		{"noncurrent days 0", lcDoc(lcRuleDoc("r", "<Filter/>", "<NoncurrentVersionExpiration><NoncurrentDays>0</NoncurrentDays></NoncurrentVersionExpiration>")), s3err.InvalidArgument, "'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer"},
		{"noncurrent without days", lcDoc(lcRuleDoc("r", "<Filter/>", "<NoncurrentVersionExpiration><NewerNoncurrentVersions>1</NewerNoncurrentVersions></NoncurrentVersionExpiration>")), s3err.MalformedXML, ""},
		{"newer noncurrent in v1", lcDoc(lcRuleDoc("r", "<Prefix/>", "<NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays><NewerNoncurrentVersions>1</NewerNoncurrentVersions></NoncurrentVersionExpiration>")), s3err.InvalidRequest, "NewerNoncurrentVersions element can only be used in Lifecycle V2."},
		{"transition too soon", lcDoc(lcRuleDoc("r", "<Filter/>", "<Transition><Days>29</Days><StorageClass>ONEZONE_IA</StorageClass></Transition>")), s3err.InvalidArgument, "'Days' in Transition action must be greater than or equal to 30 for storageClass 'ONEZONE_IA'"},
		{"transition class", lcDoc(lcRuleDoc("r", "<Filter/>", "<Transition><Days>30</Days><StorageClass>STANDARD</StorageClass></Transition>")), s3err.MalformedXML, ""},
		{"abort days 0", lcDoc(lcRuleDoc("r", "<Filter/>", "<AbortIncompleteMultipartUpload><DaysAfterInitiation>0</DaysAfterInitiation></AbortIncompleteMultipartUpload>")), s3err.InvalidArgument, "DaysAfterInitiation"},
		{"unknown element", lcDoc(lcRuleDoc("r", "<Filter/>", exp1+"<Bogus/>")), s3err.MalformedXML, ""},
		{"1001 rules", lcDoc(func() string {
			var b strings.Builder
			for i := range 1001 {
				b.WriteString(lcRuleDoc(fmt.Sprint(i), "<Filter/>", exp1))
			}
			return b.String()
		}()), s3err.InvalidRequest, "must not exceed the allowed limit of 1000 rules"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := ParseLifecycle([]byte(tt.body), nil)
			checkErr(t, err, tt.wantCode, tt.wantMsg)
			if err != nil {
				return
			}
			if _, err := ParseLifecycle(l.Encode(), nil); err != nil {
				t.Errorf("ParseLifecycle(Encode()) = %v\n%s", err, l.Encode())
			}
		})
	}
}

func TestLifecycleIDs(t *testing.T) {
	n := 0
	newID := func() string { n++; return fmt.Sprint("gen", n) }
	l, err := ParseLifecycle([]byte(lcDoc(lcRuleDoc("", "<Filter/>", exp1), lcRuleDoc("mine", "<Filter><Prefix>a</Prefix></Filter>", exp1))), newID)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(l.Encode())
	if !strings.Contains(doc, "<ID>gen1</ID>") || !strings.Contains(doc, "<ID>mine</ID>") || n != 1 {
		t.Errorf("Encode() = %s, want the IDs gen1 and mine", doc)
	}
	if !strings.Contains(doc, `<Rule><ID>gen1</ID><Filter>`) {
		t.Errorf("Encode() = %s, want ID, Filter, Status order", doc)
	}
}

func TestLifecycleExpiration(t *testing.T) {
	l, err := ParseLifecycle([]byte(lcDoc(
		lcRuleDoc("logs", "<Filter><Prefix>logs/</Prefix></Filter>", "<Expiration><Days>3</Days></Expiration>"),
		lcRuleDoc("tmp", "<Filter><And><Prefix>logs/</Prefix><Tag><Key>tmp</Key><Value>yes</Value></Tag></And></Filter>", "<Expiration><Days>1</Days></Expiration>"),
		lcRuleDoc("big", "<Filter><ObjectSizeGreaterThan>100</ObjectSizeGreaterThan></Filter>", "<Expiration><Date>2014-02-01T00:00:00Z</Date></Expiration>"),
		lcRuleDoc("uploads", "<Filter><Prefix>up/</Prefix></Filter>", "<AbortIncompleteMultipartUpload><DaysAfterInitiation>2</DaysAfterInitiation></AbortIncompleteMultipartUpload>"),
		`<Rule><ID>off</ID><Filter/><Status>Disabled</Status><Expiration><Days>1</Days></Expiration></Rule>`,
	)), nil)
	if err != nil {
		t.Fatal(err)
	}
	// The user guide's example: created 1/15/2014 10:30 UTC, 3 days, due
	// 1/19/2014 00:00 UTC.
	created := time.Date(2014, 1, 15, 10, 30, 0, 0, time.UTC)
	day := func(d int) time.Time { return time.Date(2014, 1, d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		name   string
		obj    LifecycleObject
		wantAt time.Time
		wantID string
	}{
		{"days rounded up to midnight", LifecycleObject{Key: "logs/a", Size: 1, LastModified: created}, day(19), "logs"},
		{"shorter rule wins", LifecycleObject{Key: "logs/a", Size: 1, Tags: map[string]string{"tmp": "yes", "x": "y"}, LastModified: created}, day(17), "tmp"},
		{"tag value must match", LifecycleObject{Key: "logs/a", Size: 1, Tags: map[string]string{"tmp": "no"}, LastModified: created}, day(19), "logs"},
		{"date rule", LifecycleObject{Key: "data/x", Size: 101, LastModified: created}, time.Date(2014, 2, 1, 0, 0, 0, 0, time.UTC), "big"},
		{"size is exclusive", LifecycleObject{Key: "data/x", Size: 100, LastModified: created}, time.Time{}, ""},
		{"midnight stays", LifecycleObject{Key: "logs/a", LastModified: day(15)}, day(18), "logs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at, id, ok := l.Expiration(tt.obj)
			if ok != !tt.wantAt.IsZero() || !at.Equal(tt.wantAt) || id != tt.wantID {
				t.Errorf("Expiration = %v, %q, %v; want %v, %q", at, id, ok, tt.wantAt, tt.wantID)
			}
			if ok {
				if l.Expired(tt.obj, at.Add(-time.Nanosecond)) || !l.Expired(tt.obj, at) {
					t.Errorf("Expired around %v is wrong", at)
				}
			}
		})
	}
	at, id, ok := l.AbortDate("up/big.bin", created)
	if !ok || !at.Equal(day(18)) || id != "uploads" {
		t.Errorf("AbortDate = %v, %q, %v; want %v, uploads", at, id, ok, day(18))
	}
	if _, _, ok := l.AbortDate("logs/x", created); ok {
		t.Error("AbortDate(logs/x) found a rule")
	}
	if got, want := ExpirationHeader(day(19), "logs rule"), `expiry-date="Sun, 19 Jan 2014 00:00:00 GMT", rule-id="logs rule"`; got != want {
		t.Errorf("ExpirationHeader = %s, want %s", got, want)
	}
}

func TestLifecycleNoncurrentExpired(t *testing.T) {
	l, err := ParseLifecycle([]byte(lcDoc(
		lcRuleDoc("nc", "<Filter><Prefix>a/</Prefix></Filter>",
			"<NoncurrentVersionExpiration><NoncurrentDays>2</NoncurrentDays><NewerNoncurrentVersions>1</NewerNoncurrentVersions></NoncurrentVersionExpiration>"),
		lcRuleDoc("dm", "<Filter><Prefix>m/</Prefix></Filter>", "<Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>"),
	)), nil)
	if err != nil {
		t.Fatal(err)
	}
	since := time.Date(2030, 1, 1, 10, 0, 0, 0, time.UTC)
	due := time.Date(2030, 1, 4, 0, 0, 0, 0, time.UTC) // 2 days after, rounded up to midnight
	tests := []struct {
		key   string
		newer int
		now   time.Time
		want  bool
	}{
		{"a/x", 1, due, true},
		{"a/x", 1, due.Add(-time.Millisecond), false},
		{"a/x", 0, due.Add(time.Hour), false}, // the newest noncurrent version is kept
		{"b/x", 1, due, false},                // outside the filter
	}
	for _, tt := range tests {
		if got := l.NoncurrentExpired(LifecycleObject{Key: tt.key}, since, tt.newer, tt.now); got != tt.want {
			t.Errorf("NoncurrentExpired(%s, newer %d, %v) = %v, want %v", tt.key, tt.newer, tt.now, got, tt.want)
		}
	}
	if !l.ExpiresDeleteMarker("m/k") || l.ExpiresDeleteMarker("a/k") {
		t.Errorf("ExpiresDeleteMarker(m/k, a/k) = %v, %v; want true, false", l.ExpiresDeleteMarker("m/k"), l.ExpiresDeleteMarker("a/k"))
	}
	for key, want := range map[string]bool{"a/k": true, "m/k": true, "b/k": false} {
		if got := l.ExpiresVersions(key); got != want {
			t.Errorf("ExpiresVersions(%s) = %v, want %v", key, got, want)
		}
	}
}
