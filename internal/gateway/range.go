// The Range header of GetObject and HeadObject:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
// https://www.rfc-editor.org/rfc/rfc9110#section-14

package gateway

import (
	"errors"
	"strconv"
	"strings"
)

// errInvalidRange is a Range that is well-formed but selects no byte of the
// object: S3 answers 416 InvalidRange.
var errInvalidRange = errors.New("the requested range is not satisfiable")

// byteRange is a satisfiable byte range of an object: length >= 1 bytes
// from offset start.
type byteRange struct {
	start, length int64
}

// parseRange resolves a Range header against an object of size bytes, the
// way S3 does:
//
//   - One range of unit "bytes": "bytes=a-b", "bytes=a-" or "bytes=-n".
//     A last-byte-pos at or past the end is clamped to the end, and a suffix
//     longer than the object selects all of it (RFC 9110 §14.1.2).
//   - A first-byte-pos at or past the end, or a zero-length suffix, selects
//     nothing: err is errInvalidRange (416 InvalidRange). That holds for an
//     empty object too: S3 answers "bytes=0-" on a 0-byte object with 416
//     (AWS's reply is quoted in minio/minio#6557 and minio/minio-java#638).
//   - A suffix range on an empty object is ignored: S3 answers 200 with an
//     empty body (apache/arrow-rs-object-store#846), since RFC 9110 §14.1.1
//     calls a non-zero suffix satisfiable yet no byte exists to send.
//   - Anything else is ignored and the whole object is served (ok is false,
//     err is nil), as RFC 9110 §14.2 allows: no header, another unit, a
//     syntax error, last-byte-pos before first-byte-pos, and several
//     ranges. S3 does not serve multipart/byteranges: GetObject's reference
//     says it "doesn't support retrieving multiple ranges of data per GET
//     request", and it answers "bytes=0-499,500-502" with 200 and the whole
//     object (awslabs/aws-c-s3#257).
//
// Positions too large for an int64 are clamped to the largest int64, which
// lies past the end of any object.
func parseRange(h string, size int64) (r byteRange, ok bool, err error) {
	unit, set, found := strings.Cut(h, "=")
	if !found || !strings.EqualFold(unit, "bytes") {
		return byteRange{}, false, nil
	}
	first, last, found := strings.Cut(set, "-")
	if !found {
		return byteRange{}, false, nil // also rejects "bytes=a" and ""
	}
	if first == "" { // suffix-range: the last n bytes
		n, ok := parseRangePos(last)
		switch {
		case !ok:
			return byteRange{}, false, nil
		case n == 0:
			return byteRange{}, false, errInvalidRange
		case size == 0:
			return byteRange{}, false, nil
		}
		n = min(n, size)
		return byteRange{start: size - n, length: n}, true, nil
	}
	a, ok := parseRangePos(first)
	if !ok {
		return byteRange{}, false, nil
	}
	b := int64(1<<63 - 1)
	if last != "" {
		if b, ok = parseRangePos(last); !ok || b < a {
			return byteRange{}, false, nil
		}
	}
	if a >= size {
		return byteRange{}, false, errInvalidRange
	}
	b = min(b, size-1)
	return byteRange{start: a, length: b - a + 1}, true, nil
}

// parseRangePos parses a non-empty run of ASCII digits, clamping values
// beyond an int64. It rejects signs, spaces and a comma, so several ranges
// never parse as one.
func parseRangePos(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		d := int64(c - '0')
		if n > (1<<63-1-d)/10 {
			n = 1<<63 - 1
			continue
		}
		n = n*10 + d
	}
	return n, true
}

// contentRange returns the Content-Range header of a 206 response serving r
// from an object of size bytes: "bytes first-last/size".
func (r byteRange) contentRange(size int64) string {
	b := make([]byte, 0, 64)
	b = append(b, "bytes "...)
	b = strconv.AppendInt(b, r.start, 10)
	b = append(b, '-')
	b = strconv.AppendInt(b, r.start+r.length-1, 10)
	b = append(b, '/')
	b = strconv.AppendInt(b, size, 10)
	return string(b)
}
