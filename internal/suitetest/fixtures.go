package suitetest

import (
	"fmt"
	"time"

	"github.com/mocks3/mocks3/backend"
)

// T0 is a fixed time with nanoseconds and a non-UTC zone, so that an
// implementation or transport that truncates or shifts instants is caught.
var T0 = time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.FixedZone("UTC+2", 2*60*60))

// SortedKeys are object keys in ascending byte order, chosen where byte
// order differs from other plausible orders: prefixes before extensions,
// '/' among punctuation, upper before lower case, and UTF-8 order (U+FF5E
// before U+1F600) unlike UTF-16 order.
var SortedKeys = []string{
	"0", "B", "a", "a b", "a-", "a.", "a/", "a/b", "a0", "a\x7f", "b",
	"~", "é", "ü", "日本", "～", "😀",
}

// FullPart returns part n, stored in blob, with every field set.
func FullPart(n int, blob backend.BlobID) backend.Part {
	return backend.Part{
		Number:       n,
		Size:         int64(n) * 5,
		ETag:         fmt.Sprintf(`"part-%d"`, n),
		Checksum:     backend.Checksum{Algorithm: "SHA256", Value: "qqqq", Type: "FULL_OBJECT"},
		LastModified: T0.Add(time.Duration(n) * time.Second),
		Blob:         blob,
	}
}

// FullUpload returns an upload without parts with every other field set.
func FullUpload(bucket, key, id string, initiated time.Time) backend.Upload {
	return backend.Upload{
		Bucket:            bucket,
		Key:               key,
		ID:                id,
		Initiated:         initiated,
		Headers:           backend.Headers{ContentType: "image/png", CacheControl: "max-age=60"},
		Metadata:          map[string]string{"owner": "me"},
		ChecksumAlgorithm: "CRC32C",
		ChecksumType:      "COMPOSITE",
		Tags:              map[string]string{"stage": "raw"},
		ACL:               []byte("<AccessControlPolicy/>"),
		Retention:         backend.Retention{Mode: "GOVERNANCE", Until: initiated.UTC().Add(24 * time.Hour)},
		LegalHold:         true,
		SSE:               backend.SSE{CustomerKeyMD5: "zZ5FnqNMzFAb/hOvrlcH0A=="},
	}
}
