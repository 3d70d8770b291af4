// Signature Version 2, header and query string:
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/RESTAuthentication.html

package sigv4

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// v2SubResources are the query parameters SigV2 signs as part of the
// resource.
var v2SubResources = map[string]bool{
	"accelerate": true, "acl": true, "analytics": true, "cors": true, "delete": true,
	"encryption": true, "intelligent-tiering": true, "inventory": true, "legal-hold": true,
	"lifecycle": true, "location": true, "logging": true, "metrics": true, "notification": true,
	"object-lock": true, "ownershipControls": true, "partNumber": true, "policy": true,
	"publicAccessBlock": true, "replication": true, "requestPayment": true, "restore": true,
	"retention": true, "select": true, "select-type": true, "tagging": true, "torrent": true,
	"uploadId": true, "uploads": true, "versionId": true, "versioning": true, "versions": true,
	"website":                true,
	"response-cache-control": true, "response-content-disposition": true, "response-content-encoding": true,
	"response-content-language": true, "response-content-type": true, "response-expires": true,
}

func (v *Verifier) verifyV2Header(r *http.Request, rest, authz string) (Result, error) {
	if strings.HasPrefix(rest, " ") {
		return Result{}, invalidArgument(msgNoSpace, "Authorization", authz)
	}
	accessKey, sig, ok := strings.Cut(rest, ":")
	if !ok || sig == "" || strings.Contains(sig, ":") {
		return Result{}, invalidArgument(msgV2Header, "Authorization", authz)
	}
	// With x-amz-date the Date line is empty: the date is signed among
	// the x-amz-* headers.
	raw, dateLine := r.Header.Get("X-Amz-Date"), ""
	if raw == "" {
		raw = r.Header.Get("Date")
		dateLine = raw
	}
	t, ok := parseV2Date(raw)
	if !ok {
		return Result{}, accessDenied(msgNoDate)
	}
	if now := v.now(); skewed(t, now) {
		return Result{}, tooSkewed(raw, now)
	}
	return v.checkV2(r, accessKey, sig, dateLine)
}

func parseV2Date(s string) (time.Time, bool) {
	if t, ok := parseAmzDate(s); ok {
		return t, true
	}
	t, err := http.ParseTime(s)
	return t, err == nil
}

func (v *Verifier) verifyV2Query(r *http.Request, q url.Values) (Result, error) {
	if !q.Has("Expires") || !q.Has("AWSAccessKeyId") {
		return Result{}, accessDenied(msgV2Query)
	}
	raw := q.Get("Expires")
	// S3 reads Expires as seconds since the epoch in 32 bits.
	expires, err := strconv.ParseInt(raw, 10, 32)
	if err != nil {
		return Result{}, accessDenied(fmt.Sprintf(msgV2BadExpiry, raw))
	}
	if now := v.now(); now.Unix() > expires {
		return Result{}, accessDenied(msgExpired, el("Expires", time.Unix(expires, 0).UTC().Format(serverTimeLayout)),
			el("ServerTime", now.UTC().Format(serverTimeLayout)))
	}
	return v.checkV2(r, q.Get("AWSAccessKeyId"), q.Get("Signature"), raw)
}

func (v *Verifier) checkV2(r *http.Request, accessKey, provided, dateLine string) (Result, error) {
	tok := r.Header.Get("X-Amz-Security-Token")
	if err := v.verifyV2(accessKey, v.stringToSignV2(r, dateLine), provided, tok, tok != ""); err != nil {
		return Result{}, err
	}
	return Result{AccessKey: accessKey}, nil
}

// verifyV2 checks provided, accessKey's SigV2 signature of toSign (a
// request's string to sign or a POST policy). A security token sent is
// refused: every identity is permanent.
func (v *Verifier) verifyV2(accessKey, toSign, provided, token string, tokenSent bool) error {
	secret, ok := v.secret(accessKey)
	if !ok {
		return unknownKey(accessKey)
	}
	if tokenSent {
		return invalidToken(token)
	}
	m := hmac.New(sha1.New, []byte(secret))
	m.Write([]byte(toSign))
	want := base64.StdEncoding.EncodeToString(m.Sum(nil))
	if !hmac.Equal([]byte(want), []byte(provided)) {
		return mismatch(accessKey, toSign, provided, "")
	}
	return nil
}

// stringToSignV2 is Method, Content-MD5, Content-Type, the date line, the
// x-amz-* headers and the resource, newline-separated.
func (v *Verifier) stringToSignV2(r *http.Request, dateLine string) string {
	var b strings.Builder
	b.WriteString(r.Method)
	b.WriteByte('\n')
	b.WriteString(r.Header.Get("Content-Md5"))
	b.WriteByte('\n')
	b.WriteString(r.Header.Get("Content-Type"))
	b.WriteByte('\n')
	b.WriteString(dateLine)
	b.WriteByte('\n')
	var names []string
	for name := range r.Header {
		if lower := strings.ToLower(name); strings.HasPrefix(lower, "x-amz-") {
			names = append(names, lower)
		}
	}
	slices.Sort(names)
	for _, n := range names {
		b.WriteString(n)
		b.WriteByte(':')
		b.WriteString(joinTrimmed(r.Header.Values(n)))
		b.WriteByte('\n')
	}
	if v.HostBucket != nil {
		if bucket := v.HostBucket(r); bucket != "" {
			b.WriteString("/" + bucket)
		}
	}
	b.WriteString(canonicalURI(wirePath(r)))
	b.WriteString(v2SubResourceString(r.URL.RawQuery))
	return b.String()
}

// v2SubResourceString is "?name[=value]&..." for the sub-resources in the
// query, sorted by name.
func v2SubResourceString(raw string) string {
	type pair struct {
		k, v     string
		hasValue bool
	}
	var pairs []pair
	for part := range strings.SplitSeq(raw, "&") {
		k, val, has := strings.Cut(part, "=")
		k, err := url.QueryUnescape(k)
		if err != nil || !v2SubResources[k] {
			continue
		}
		if dv, err := url.QueryUnescape(val); err == nil {
			val = dv
		}
		pairs = append(pairs, pair{k, val, has && val != ""})
	}
	if len(pairs) == 0 {
		return ""
	}
	slices.SortStableFunc(pairs, func(a, b pair) int { return strings.Compare(a.k, b.k) })
	var b strings.Builder
	for i, p := range pairs {
		if i == 0 {
			b.WriteByte('?')
		} else {
			b.WriteByte('&')
		}
		b.WriteString(p.k)
		if p.hasValue {
			b.WriteByte('=')
			b.WriteString(p.v)
		}
	}
	return b.String()
}
