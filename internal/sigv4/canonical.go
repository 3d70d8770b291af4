// Canonical requests and strings to sign, as specified in
// https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
// and, for S3, https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html

package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

const (
	algorithm      = "AWS4-HMAC-SHA256"
	algorithmV4a   = "AWS4-ECDSA-P256-SHA256"
	terminal       = "aws4_request"
	service        = "s3"
	amzDateLayout  = "20060102T150405Z"
	dateLayout     = "20060102"
	emptySHA256    = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	maxSignedNames = 256 // more signed headers than any request carries
)

var errBadEncoding = errors.New("invalid percent-encoding in the query string")

// canonicalInput is what the canonical request is built from.
type canonicalInput struct {
	method        string
	path          string // the path as sent on the wire, still escaped
	rawQuery      string
	header        http.Header
	host          string
	contentLength int64
	signedHeaders []string // lower-case, in the order the client listed them
	payloadHash   string
	// skipQuery names a query parameter left out (X-Amz-Signature when
	// presigned).
	skipQuery string
}

// canonicalRequest builds the canonical request. It fails only on a query
// string that cannot be decoded.
func canonicalRequest(in canonicalInput) (string, error) {
	q, err := canonicalQuery(in.rawQuery, in.skipQuery)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString(in.method)
	b.WriteByte('\n')
	b.WriteString(canonicalURI(in.path))
	b.WriteByte('\n')
	b.WriteString(q)
	b.WriteByte('\n')
	for _, name := range in.signedHeaders {
		b.WriteString(name)
		b.WriteByte(':')
		b.WriteString(headerValue(in, name))
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	b.WriteString(strings.Join(in.signedHeaders, ";"))
	b.WriteByte('\n')
	b.WriteString(in.payloadHash)
	return b.String(), nil
}

// canonicalURI is the path as the client sent it: S3 signs the path
// encoded once, which is what S3 clients put on the wire.
func canonicalURI(path string) string {
	if path == "" {
		return "/"
	}
	return path
}

// headerValue is a signed header's canonical value: every value of the
// header, trimmed, inner runs of spaces folded, joined by commas. Host and
// Content-Length are not in a server request's Header map.
func headerValue(in canonicalInput, name string) string {
	switch name {
	case "host":
		return in.host
	case "content-length":
		if vs := in.header.Values(name); len(vs) > 0 {
			return trimAll(vs[0])
		}
		if in.contentLength < 0 {
			return ""
		}
		return strconv.FormatInt(in.contentLength, 10)
	}
	return joinTrimmed(in.header.Values(name))
}

// joinTrimmed is a header's values as both signature versions sign them:
// each trimmed by trimAll, joined by commas.
func joinTrimmed(vs []string) string {
	if len(vs) == 1 {
		return trimAll(vs[0])
	}
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = trimAll(v)
	}
	return strings.Join(out, ",")
}

// trimAll trims s and folds each run of spaces into one. Only spaces fold:
// signers (the AWS SDKs among them) leave a tab inside a value as it is.
func trimAll(s string) string {
	s = strings.TrimSpace(s)
	if !strings.Contains(s, "  ") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' && i > 0 && s[i-1] == ' ' {
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// canonicalQuery decodes the raw query and re-encodes it the SigV4 way:
// each name and value URI-encoded, sorted by name then value. A '+' is a
// space, as the AWS SDKs and minio-go read it when they sign.
func canonicalQuery(raw, skip string) (string, error) {
	if raw == "" {
		return "", nil
	}
	type pair struct{ k, v string }
	var pairs []pair
	for part := range strings.SplitSeq(raw, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		dk, err := url.QueryUnescape(k)
		if err != nil {
			return "", errBadEncoding
		}
		if dk == skip {
			continue
		}
		dv, err := url.QueryUnescape(v)
		if err != nil {
			return "", errBadEncoding
		}
		pairs = append(pairs, pair{uriEncode(dk), uriEncode(dv)})
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].k != pairs[j].k {
			return pairs[i].k < pairs[j].k
		}
		return pairs[i].v < pairs[j].v
	})
	var b strings.Builder
	for i, p := range pairs {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.k)
		b.WriteByte('=')
		b.WriteString(p.v)
	}
	return b.String(), nil
}

// uriEncode percent-encodes every byte but the unreserved characters
// (A-Z a-z 0-9 - _ . ~), in upper-case hex.
func uriEncode(s string) string {
	const hexUpper = "0123456789ABCDEF"
	n := 0
	for i := 0; i < len(s); i++ {
		if !unreserved(s[i]) {
			n++
		}
	}
	if n == 0 {
		return s
	}
	b := make([]byte, 0, len(s)+2*n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			b = append(b, c)
			continue
		}
		b = append(b, '%', hexUpper[c>>4], hexUpper[c&15])
	}
	return string(b)
}

func unreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '~'
}

// stringToSign is the string a SigV4 signature is the HMAC of.
func stringToSign(amzDate, scope, canonical string) string {
	return algorithm + "\n" + amzDate + "\n" + scope + "\n" + hexSHA256([]byte(canonical))
}

// signingKey derives the key of one day, region and service.
func signingKey(secret, date, region, svc string) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), date)
	k = hmacSHA256(k, region)
	k = hmacSHA256(k, svc)
	return hmacSHA256(k, terminal)
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

func hexSHA256(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// hexBytes spells s as S3 does in StringToSignBytes: two hex digits per
// byte, separated by spaces.
func hexBytes(s string) string {
	const digits = "0123456789abcdef"
	if s == "" {
		return ""
	}
	b := make([]byte, 0, 3*len(s)-1)
	for i := 0; i < len(s); i++ {
		if i > 0 {
			b = append(b, ' ')
		}
		b = append(b, digits[s[i]>>4], digits[s[i]&15])
	}
	return string(b)
}
