// Tagging: https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectTagging.html,
// API_PutBucketTagging.html, API_Tagging.html, API_Tag.html; limits from
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-tagging.html
// and https://docs.aws.amazon.com/AmazonS3/latest/userguide/CostAllocTagging.html.

package bucketconfig

import (
	"encoding/xml"
	"maps"
	"net/url"
	"slices"
	"strings"
	"unicode"
	"unicode/utf16"

	"github.com/mocks3/mocks3/internal/s3err"
)

// The tag limits of S3.
const (
	MaxObjectTags  = 10
	MaxBucketTags  = 50
	maxTagKeyLen   = 128 // UTF-16 code units: S3 stores tags as UTF-16
	maxTagValueLen = 256
)

// Tag is one key and value of a tag set.
type Tag struct {
	Key   string
	Value string
}

type taggingXML struct {
	XMLName xml.Name `xml:"Tagging"`
	rootXML
	TagSet *tagSetXML `xml:"TagSet"`
}

type tagSetXML struct {
	Tags []tagXML `xml:"Tag"`
	strictXML
}

type tagXML struct {
	Key   *string `xml:"Key"`
	Value *string `xml:"Value"`
	strictXML
}

// ParseObjectTagging reads PutObjectTagging's Tagging document.
func ParseObjectTagging(body []byte) (map[string]string, error) {
	return parseTagging(body, MaxObjectTags)
}

// ParseBucketTagging reads PutBucketTagging's Tagging document.
func ParseBucketTagging(body []byte) (map[string]string, error) {
	return parseTagging(body, MaxBucketTags)
}

func parseTagging(body []byte, max int) (map[string]string, error) {
	var doc taggingXML
	if err := decodeXML(body, &doc); err != nil {
		return nil, err
	}
	if doc.TagSet == nil {
		return nil, malformedXML()
	}
	tags := make([]Tag, 0, len(doc.TagSet.Tags))
	for _, t := range doc.TagSet.Tags {
		if t.Key == nil || t.Value == nil {
			return nil, malformedXML()
		}
		tags = append(tags, Tag{Key: *t.Key, Value: *t.Value})
	}
	return checkTags(tags, max)
}

// CheckBucketTags validates tags given in another document, such as
// CreateBucket's configuration, against the bucket tag limits.
func CheckBucketTags(tags []Tag) (map[string]string, error) {
	return checkTags(tags, MaxBucketTags)
}

// checkTags validates tags one by one, then their number, the order in
// which S3 reports faults.
func checkTags(tags []Tag, max int) (map[string]string, error) {
	m := make(map[string]string, len(tags))
	for _, t := range tags {
		if err := checkTag(t.Key, t.Value); err != nil {
			return nil, err
		}
		if _, dup := m[t.Key]; dup {
			return nil, errorf(s3err.InvalidTag, "Cannot provide multiple Tags with the same key")
		}
		m[t.Key] = t.Value
	}
	if len(m) > max {
		if max == MaxObjectTags {
			return nil, errorf(s3err.BadRequest, "Object tags cannot be greater than 10")
		}
		// No recorded S3 answer for a bucket; modelled on the object's.
		return nil, errorf(s3err.BadRequest, "Bucket tag count cannot be greater than 50")
	}
	return m, nil
}

func checkTag(key, value string) error {
	if key == "" || utf16Len(key) > maxTagKeyLen || !tagChars(key) {
		return errorf(s3err.InvalidTag, "The TagKey you have provided is invalid")
	}
	if utf16Len(value) > maxTagValueLen || !tagChars(value) {
		return errorf(s3err.InvalidTag, "The TagValue you have provided is invalid")
	}
	if strings.HasPrefix(strings.ToLower(key), "aws:") {
		return errorf(s3err.InvalidTag, "Your TagKey cannot be prefixed with aws:")
	}
	return nil
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// tagChars reports whether s holds only what a tag may: Unicode letters,
// numbers and separators, and _ . : / = + - @.
func tagChars(s string) bool {
	for _, r := range s {
		switch {
		case unicode.IsLetter(r), unicode.IsNumber(r), unicode.Is(unicode.Z, r):
		case strings.ContainsRune("_.:/=+-@", r):
		default:
			return false
		}
	}
	return true
}

// errTaggingHeader is S3's answer to an x-amz-tagging header it cannot
// read as URL query parameters.
func errTaggingHeader() error {
	return errorf(s3err.InvalidArgument, "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.")
}

// ParseTaggingHeader reads the x-amz-tagging header of PutObject,
// CopyObject and CreateMultipartUpload ("k1=v1&k2=v2", URL-encoded). A
// key without "=" has the empty value.
func ParseTaggingHeader(v string) (map[string]string, error) {
	tags := []Tag{}
	seen := map[string]bool{}
	for pair := range strings.SplitSeq(v, "&") {
		if pair == "" {
			continue
		}
		k, val, _ := strings.Cut(pair, "=")
		if strings.Contains(val, "=") {
			return nil, errTaggingHeader()
		}
		key, err1 := url.QueryUnescape(k)
		value, err2 := url.QueryUnescape(val)
		if err1 != nil || err2 != nil || key == "" || seen[key] {
			return nil, errTaggingHeader()
		}
		seen[key] = true
		tags = append(tags, Tag{Key: key, Value: value})
	}
	return checkTags(tags, MaxObjectTags)
}

// EncodeTagging writes tags as a Tagging document, sorted by key as S3
// answers them.
func EncodeTagging(tags map[string]string) []byte {
	doc := taggingXML{TagSet: &tagSetXML{Tags: []tagXML{}}}
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		v := tags[k]
		doc.TagSet.Tags = append(doc.TagSet.Tags, tagXML{Key: &k, Value: &v})
	}
	return encodeXML(&doc)
}

// EncodeTaggingHeader writes tags in x-amz-tagging's form, sorted by key.
func EncodeTaggingHeader(tags map[string]string) string {
	q := url.Values{}
	for k, v := range tags {
		q.Set(k, v)
	}
	return q.Encode()
}
