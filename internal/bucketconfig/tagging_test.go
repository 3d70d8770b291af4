package bucketconfig

import (
	"strings"
	"testing"

	"github.com/mocks3/mocks3/internal/s3err"

	"github.com/google/go-cmp/cmp"
	"github.com/mocks3/mocks3/s3api"
)

func taggingDoc(tags ...string) string {
	var b strings.Builder
	b.WriteString(`<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet>`)
	for i := 0; i+1 < len(tags); i += 2 {
		b.WriteString("<Tag><Key>" + tags[i] + "</Key><Value>" + tags[i+1] + "</Value></Tag>")
	}
	b.WriteString("</TagSet></Tagging>")
	return b.String()
}

func manyTags(n int) []string {
	var tags []string
	for i := range n {
		tags = append(tags, "k"+strings.Repeat("x", i), "v")
	}
	return tags
}

func TestParseTagging(t *testing.T) {
	tests := []struct {
		name     string
		body     string
		bucket   bool
		want     map[string]string
		wantCode s3api.ErrorCode
		wantMsg  string
	}{
		{"one", taggingDoc("a", "1"), false, map[string]string{"a": "1"}, "", ""},
		{"no namespace", `<Tagging><TagSet><Tag><Key>a</Key><Value></Value></Tag></TagSet></Tagging>`, false, map[string]string{"a": ""}, "", ""},
		{"empty set", taggingDoc(), false, map[string]string{}, "", ""},
		{"unicode and symbols", taggingDoc("Ünïcode key 1", "_.:/=+-@ x"), false, map[string]string{"Ünïcode key 1": "_.:/=+-@ x"}, "", ""},
		{"ten object tags", taggingDoc(manyTags(10)...), false, nil, "", ""},
		{"eleven object tags", taggingDoc(manyTags(11)...), false, nil, s3err.BadRequest, "Object tags cannot be greater than 10"},
		{"fifty bucket tags", taggingDoc(manyTags(50)...), true, nil, "", ""},
		{"fifty-one bucket tags", taggingDoc(manyTags(51)...), true, nil, s3err.BadRequest, "cannot be greater than 50"},
		{"duplicate key", taggingDoc("a", "1", "a", "2"), false, nil, s3err.InvalidTag, "Cannot provide multiple Tags with the same key"},
		{"empty key", taggingDoc("", "1"), false, nil, s3err.InvalidTag, "The TagKey you have provided is invalid"},
		{"key of 128", taggingDoc(strings.Repeat("k", 128), "1"), false, nil, "", ""},
		{"key of 129", taggingDoc(strings.Repeat("k", 129), "1"), false, nil, s3err.InvalidTag, "TagKey"},
		{"value of 256", taggingDoc("k", strings.Repeat("v", 256)), false, nil, "", ""},
		{"value of 257", taggingDoc("k", strings.Repeat("v", 257)), false, nil, s3err.InvalidTag, "The TagValue you have provided is invalid"},
		// U+1F600 takes two UTF-16 code units: 64 of them are 128.
		{"astral key of 128 units", taggingDoc(strings.Repeat("😀", 64), "1"), false, nil, s3err.InvalidTag, "TagKey"},
		{"bad key character", taggingDoc("a&amp;b", "1"), false, nil, s3err.InvalidTag, "TagKey"},
		{"bad value character", taggingDoc("a", "x;y"), false, nil, s3err.InvalidTag, "TagValue"},
		{"aws prefix", taggingDoc("aws:x", "1"), false, nil, s3err.InvalidTag, "aws:"},
		{"per-tag faults before the count", taggingDoc(append(manyTags(11), "", "x")...), false, nil, s3err.InvalidTag, "TagKey"},
		{"missing value", `<Tagging><TagSet><Tag><Key>a</Key></Tag></TagSet></Tagging>`, false, nil, s3err.MalformedXML, ""},
		{"missing tag set", `<Tagging></Tagging>`, false, nil, s3err.MalformedXML, ""},
		{"wrong root", `<Tags><TagSet/></Tags>`, false, nil, s3err.MalformedXML, ""},
		{"unknown element", `<Tagging><TagSet/><Extra/></Tagging>`, false, nil, s3err.MalformedXML, ""},
		{"not xml", `{"TagSet":[]}`, false, nil, s3err.MalformedXML, ""},
		{"trailing element", `<Tagging><TagSet/></Tagging><Tagging/>`, false, nil, s3err.MalformedXML, ""},
		{"empty body", ``, false, nil, s3err.MalformedXML, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parse := ParseObjectTagging
			if tt.bucket {
				parse = ParseBucketTagging
			}
			got, err := parse([]byte(tt.body))
			checkErr(t, err, tt.wantCode, tt.wantMsg)
			if tt.want != nil {
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("tags (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestParseTaggingHeader(t *testing.T) {
	tests := []struct {
		header   string
		want     map[string]string
		wantCode s3api.ErrorCode
		wantMsg  string
	}{
		{"", map[string]string{}, "", ""},
		{"a=1&b=2", map[string]string{"a": "1", "b": "2"}, "", ""},
		{"foo=bar&bar", map[string]string{"foo": "bar", "bar": ""}, "", ""},
		{"k%20x=v+y", map[string]string{"k x": "v y"}, "", ""},
		{"a=1&&b=2", map[string]string{"a": "1", "b": "2"}, "", ""},
		{"a=1&a=2", nil, s3err.InvalidArgument, "without tag name duplicates"},
		{"=", nil, s3err.InvalidArgument, "x-amz-tagging"},
		{"TagSet=[{Key=string,Value=string}]", nil, s3err.InvalidArgument, "x-amz-tagging"},
		{"a=%zz", nil, s3err.InvalidArgument, "x-amz-tagging"},
		{"TagSet%3D%5B%7BKey%3Dstring%2CValue%3Dstring%7D%5D", nil, s3err.InvalidTag, "TagKey"},
		{"a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9&j=10&k=11", nil, s3err.BadRequest, "greater than 10"},
	}
	for _, tt := range tests {
		t.Run(tt.header, func(t *testing.T) {
			got, err := ParseTaggingHeader(tt.header)
			checkErr(t, err, tt.wantCode, tt.wantMsg)
			if tt.want != nil {
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("ParseTaggingHeader(%q) (-want +got):\n%s", tt.header, diff)
				}
			}
		})
	}
}

func TestEncodeTagging(t *testing.T) {
	tags := map[string]string{"b": "2", "a": "<&>", "c": ""}
	doc := EncodeTagging(tags)
	want := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet>` +
		`<Tag><Key>a</Key><Value>&lt;&amp;&gt;</Value></Tag><Tag><Key>b</Key><Value>2</Value></Tag><Tag><Key>c</Key><Value></Value></Tag>` +
		`</TagSet></Tagging>`
	if string(doc) != want {
		t.Errorf("EncodeTagging = %s, want %s", doc, want)
	}
	if got := string(EncodeTagging(nil)); !strings.Contains(got, "<TagSet></TagSet>") {
		t.Errorf("EncodeTagging(nil) = %s, want an empty TagSet", got)
	}
	if got, want := EncodeTaggingHeader(map[string]string{"k x": "v&", "a": ""}), "a=&k+x=v%26"; got != want {
		t.Errorf("EncodeTaggingHeader = %q, want %q", got, want)
	}
}

func TestCheckBucketTags(t *testing.T) {
	if _, err := CheckBucketTags([]Tag{{"a", "1"}, {"a", "2"}}); err == nil {
		t.Error("CheckBucketTags(duplicates) = nil, want InvalidTag")
	}
	got, err := CheckBucketTags([]Tag{{"a", "1"}})
	checkErr(t, err, "", "")
	if got["a"] != "1" {
		t.Errorf("CheckBucketTags = %v", got)
	}
}
