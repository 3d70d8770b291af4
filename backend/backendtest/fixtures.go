package backendtest

import (
	"maps"
	"reflect"
	"strings"
	"time"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/suitetest"
)

// oddKeys are keys that break a backend using keys as paths, or mangling them.
var oddKeys = []string{
	"..", "../x", "a/../b", "/", "//", "/leading", "trailing/", ".", "a\\b",
	"C:\\x", "%2F", "a b\tc\nd", "con", "x.json", "日本語/ファイル", strings.Repeat("k", 1024),
	strings.Repeat("é", 512),
}

func fullObject(key string) backend.Object {
	return backend.Object{
		Key:          key,
		Size:         11,
		ETag:         `"etag-1"`,
		LastModified: suitetest.T0,
		Headers: backend.Headers{
			ContentType:        "text/plain; charset=utf-8",
			ContentEncoding:    "gzip",
			ContentDisposition: `attachment; filename="x.txt"`,
			ContentLanguage:    "en",
			CacheControl:       "no-cache",
			Expires:            "Wed, 21 Oct 2015 07:28:00 GMT",
		},
		Metadata: map[string]string{"a": "1", "long-name": "two words", "utf8": "é"},
		Checksum: backend.Checksum{Algorithm: "CRC32", Value: "AAAAAA==-2", Type: "COMPOSITE"},
		Parts: []backend.Part{
			suitetest.FullPart(1, "blob-1"),
			suitetest.FullPart(2, "blob-2"),
		},
		Multipart: true,
		UploadID:  "upload-1",
		Tags:      map[string]string{"project": "x", "empty": "", "utf8": "日本"},
		ACL:       []byte(`<AccessControlPolicy><Owner><ID>o</ID></Owner></AccessControlPolicy>`),
		Retention: backend.Retention{Mode: "GOVERNANCE", Until: suitetest.T0.Add(24 * time.Hour)},
		LegalHold: true,
		SSE:       backend.SSE{Algorithm: "aws:kms", KMSKeyID: "arn:aws:kms:us-east-1:111122223333:key/clé", Context: "e30=", BucketKey: true},
	}
}

// Values are compared after normalising what the contract leaves open: a
// time's location and monotonic reading (only the instant matters), and nil
// versus empty maps and slices.

func normTime(t time.Time) time.Time { return t.UTC().Round(0) }

func normMap(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	return maps.Clone(m)
}

func normSlice[T any](s []T, norm func(T) T) []T {
	if len(s) == 0 {
		return nil
	}
	out := make([]T, len(s))
	for i, v := range s {
		out[i] = norm(v)
	}
	return out
}

func normBucket(b backend.Bucket) backend.Bucket {
	b.Created = normTime(b.Created)
	return b
}

func normPart(p backend.Part) backend.Part {
	p.LastModified = normTime(p.LastModified)
	return p
}

func normObject(o backend.Object) backend.Object {
	o.LastModified = normTime(o.LastModified)
	o.Metadata = normMap(o.Metadata)
	o.Parts = normSlice(o.Parts, normPart)
	o.Tags = normMap(o.Tags)
	o.ACL = normSlice(o.ACL, func(b byte) byte { return b })
	o.Retention.Until = normTime(o.Retention.Until)
	return o
}

func normUpload(u backend.Upload) backend.Upload {
	u.Initiated = normTime(u.Initiated)
	u.Metadata = normMap(u.Metadata)
	u.Parts = normSlice(u.Parts, normPart)
	return u
}

func normBuckets(bs []backend.Bucket) []backend.Bucket { return normSlice(bs, normBucket) }
func normObjects(os []backend.Object) []backend.Object { return normSlice(os, normObject) }
func normUploads(us []backend.Upload) []backend.Upload { return normSlice(us, normUpload) }
func normParts(ps []backend.Part) []backend.Part       { return normSlice(ps, normPart) }

// check reports an error unless got equals want after normalisation; call
// describes the call that produced got, as in "GetObject(k)".
func check[T any](t suitetest.T, call string, got, want T, norm func(T) T) bool {
	t.Helper()
	g, w := norm(got), norm(want)
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s = %+v\nwant %+v", call, g, w)
		return false
	}
	return true
}

func keysOf(os []backend.Object) []string {
	keys := make([]string, len(os))
	for i, o := range os {
		keys[i] = o.Key
	}
	return keys
}
