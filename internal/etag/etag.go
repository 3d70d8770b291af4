// Package etag compares ETags as S3's conditional headers do.
package etag

import "strings"

// Matches reports whether an If-Match style list names etag; "*" matches
// any, and quotes and a weak "W/" prefix are ignored.
func Matches(list, etag string) bool {
	for _, v := range strings.Split(list, ",") {
		v = strings.TrimPrefix(strings.TrimSpace(v), "W/")
		if v == "*" || strings.Trim(v, `"`) == strings.Trim(etag, `"`) {
			return true
		}
	}
	return false
}
