// Package sigv4 verifies the signatures of S3 requests: AWS Signature
// Version 4 in the Authorization header
// (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html),
// in a presigned query string
// (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html),
// over streaming bodies chunk by chunk
// (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html),
// and, when allowed, Signature Version 2
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/RESTAuthentication.html).
//
// Errors are *s3err.Error values with the codes, messages and extra
// elements real S3 answers with, so that a client's own error handling and
// a user debugging a signer see what S3 would show them. Only the standard
// library is used: the AWS SDK is what the tests check the verifier against.
package sigv4

import (
	"crypto/hmac"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mocks3/mocks3/internal/s3err"
)

// Verifier checks request signatures. Its fields are read-only once it
// verifies requests.
type Verifier struct {
	// Region is the only region credentials may be scoped to; default
	// us-east-1.
	Region string
	// Now is the server's clock, for skew and expiry; default time.Now.
	Now func() time.Time
	// Secret returns the secret key of a (permanent) access key, and
	// whether the key exists.
	Secret func(accessKey string) (secret string, ok bool)
	// AllowV2 accepts Signature Version 2, header and query. Without it a
	// V2 request is refused as S3 refuses it in regions that never had V2.
	AllowV2 bool
	// HostBucket returns the bucket a virtual-hosted-style request names in
	// its Host, or "": SigV2 signs the bucket whatever the addressing.
	HostBucket func(r *http.Request) string
}

// Result is what a verified request is.
type Result struct {
	// AccessKey is the access key the request was signed with, or "" for
	// a request that carries no signature at all (anonymous).
	AccessKey string
	// Chunks, for a body signed chunk by chunk, verifies those signatures
	// as an aws-chunked decoder reads the body. Nil otherwise.
	Chunks *ChunkVerifier
}

func (v *Verifier) now() time.Time {
	if v.Now == nil {
		return time.Now()
	}
	return v.Now()
}

func (v *Verifier) region() string {
	if v.Region == "" {
		return "us-east-1"
	}
	return v.Region
}

func (v *Verifier) secret(accessKey string) (string, bool) {
	if v.Secret == nil {
		return "", false
	}
	return v.Secret(accessKey)
}

// Verify checks r's signature. A request with no signature is anonymous:
// Result.AccessKey is empty and the caller decides what it may do. When
// the payload hash is a SHA-256, Verify replaces r.Body with a reader that
// fails at EOF (XAmzContentSHA256Mismatch) if the body does not match it.
func (v *Verifier) Verify(r *http.Request) (Result, error) {
	// A pair that does not decode is skipped here; the canonical query
	// reports it.
	q := r.URL.Query()
	authz := r.Header.Get("Authorization")
	presigned, v2Query := q.Has("X-Amz-Algorithm"), q.Has("Signature")
	switch {
	case authz != "":
		if presigned || v2Query {
			return Result{}, invalidArgument(msgOneMechanism, "Authorization", authz)
		}
		return v.verifyHeader(r, authz)
	case presigned:
		if v2Query {
			return Result{}, invalidArgument(msgOneMechanism, "Authorization", "")
		}
		return v.verifyQuery(r, q)
	case v2Query:
		if !v.AllowV2 {
			return Result{}, authError(s3err.InvalidRequest, msgMechanism)
		}
		return v.verifyV2Query(r, q)
	}
	return Result{}, nil
}

// authorization is the parsed part of a SigV4 Authorization header after
// its algorithm.
type authorization struct {
	Credential    string
	SignedHeaders string
	Signature     string
}

// parseAuthorization parses "Credential=..., SignedHeaders=...,
// Signature=...": each component once, in any order, commas between them,
// spaces around them ignored.
func parseAuthorization(s string) (authorization, bool) {
	var a authorization
	var seen [3]bool
	for part := range strings.SplitSeq(s, ",") {
		name, value, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || value == "" {
			return authorization{}, false
		}
		var i int
		switch name {
		case "Credential":
			i, a.Credential = 0, value
		case "SignedHeaders":
			i, a.SignedHeaders = 1, value
		case "Signature":
			i, a.Signature = 2, value
		default:
			return authorization{}, false
		}
		if seen[i] {
			return authorization{}, false
		}
		seen[i] = true
	}
	return a, seen[0] && seen[1] && seen[2]
}

// credential is a parsed credential scope, AKID/date/region/s3/aws4_request.
type credential struct {
	accessKey, date, region string
}

func (c credential) scope() string {
	return c.date + "/" + c.region + "/" + service + "/" + terminal
}

// parseCredential checks a credential in S3's order: its five parts, the
// region, the service, the terminal. On failure it returns S3's message
// (without the header or query prefix) and the extra elements.
func (v *Verifier) parseCredential(s string) (credential, string, []s3err.ExtraElement) {
	parts := strings.Split(s, "/")
	if len(parts) != 5 {
		return credential{}, msgCredentialShape, nil
	}
	c := credential{accessKey: parts[0], date: parts[1], region: parts[2]}
	switch want := v.region(); {
	case c.region == "":
		return credential{}, msgEmptyRegion, nil
	case c.region != want:
		return credential{}, fmt.Sprintf("the region '%s' is wrong; expecting '%s'", c.region, want),
			[]s3err.ExtraElement{el("Region", want)}
	case parts[3] != service:
		return credential{}, fmt.Sprintf(`incorrect service "%s". This endpoint belongs to "%s".`, parts[3], service), nil
	case parts[4] != terminal:
		return credential{}, fmt.Sprintf(`incorrect terminal "%s". This endpoint uses "%s".`, parts[4], terminal), nil
	case c.accessKey == "":
		return credential{}, msgEmptyAccessKey, nil
	}
	return c, "", nil
}

// parseSignedHeaders splits "host;x-amz-date" into its names.
func parseSignedHeaders(s string) ([]string, bool) {
	names := strings.Split(s, ";")
	if len(names) > maxSignedNames {
		return nil, false
	}
	for _, n := range names {
		if n == "" || n != strings.ToLower(n) {
			return nil, false
		}
	}
	return names, true
}

// parseAmzDate parses an ISO 8601 basic timestamp, 20060102T150405Z.
func parseAmzDate(s string) (time.Time, bool) {
	if len(s) != len(amzDateLayout) {
		return time.Time{}, false
	}
	t, err := time.Parse(amzDateLayout, s)
	return t, err == nil
}

func skewed(t, now time.Time) bool {
	d := t.Sub(now)
	return d > maxSkew || d < -maxSkew
}

func (v *Verifier) verifyHeader(r *http.Request, authz string) (Result, error) {
	scheme, rest, ok := strings.Cut(authz, " ")
	if !ok {
		return Result{}, invalidArgument(msgNoSpace, "Authorization", authz)
	}
	switch strings.ToUpper(scheme) {
	case "AWS":
		if !v.AllowV2 {
			return Result{}, authError(s3err.InvalidRequest, msgMechanism)
		}
		return v.verifyV2Header(r, rest, authz)
	case algorithmV4a:
		return Result{}, authError(s3err.InvalidRequest, msgMechanism)
	case algorithm:
	default:
		return Result{}, invalidArgument(msgUnsupportedType, "Authorization", authz)
	}
	amzDate, t, ok := requestDate(r.Header)
	if !ok {
		return Result{}, accessDenied(msgNoDate)
	}
	now := v.now()
	if skewed(t, now) {
		return Result{}, tooSkewed(amzDate, now)
	}
	a, ok := parseAuthorization(rest)
	if !ok {
		return Result{}, headerMalformed(msgComponents)
	}
	cred, msg, extra := v.parseCredential(a.Credential)
	if msg != "" {
		return Result{}, headerMalformed(msg, extra...)
	}
	if cred.date != amzDate[:len(dateLayout)] {
		return Result{}, headerMalformed(msgHeaderDate)
	}
	signed, ok := parseSignedHeaders(a.SignedHeaders)
	if !ok {
		return Result{}, headerMalformed(msgComponents)
	}
	secret, ok := v.secret(cred.accessKey)
	if !ok {
		return Result{}, unknownKey(cred.accessKey)
	}
	if tok := r.Header.Get("X-Amz-Security-Token"); tok != "" {
		// Every identity here is permanent: S3 refuses a session token
		// that goes with none.
		return Result{}, invalidToken(tok)
	}
	payload := r.Header.Get("X-Amz-Content-Sha256")
	if payload == "" {
		return Result{}, authError(s3err.InvalidRequest, msgMissingSHA256)
	}
	if err := checkPayloadHash(payload); err != nil {
		return Result{}, err
	}
	return v.finish(r, cred, secret, amzDate, signed, payload, a.Signature, "")
}

// requestDate returns a SigV4 request's time: X-Amz-Date, or else Date.
func requestDate(h http.Header) (string, time.Time, bool) {
	if s := h.Get("X-Amz-Date"); s != "" {
		t, ok := parseAmzDate(s)
		return s, t, ok
	}
	t, err := http.ParseTime(h.Get("Date"))
	if err != nil {
		return "", time.Time{}, false
	}
	return t.UTC().Format(amzDateLayout), t, true
}

func (v *Verifier) verifyQuery(r *http.Request, q url.Values) (Result, error) {
	switch q.Get("X-Amz-Algorithm") {
	case algorithm:
	case algorithmV4a:
		return Result{}, authError(s3err.InvalidRequest, msgMechanism)
	default:
		return Result{}, queryError(msgQueryAlgorithm)
	}
	for _, p := range []string{"X-Amz-Credential", "X-Amz-Signature", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Expires"} {
		if !q.Has(p) {
			return Result{}, queryError(msgQueryParams)
		}
	}
	amzDate := q.Get("X-Amz-Date")
	t, ok := parseAmzDate(amzDate)
	if !ok {
		return Result{}, queryError(msgQueryDateFormat)
	}
	rawExpires := q.Get("X-Amz-Expires")
	expires, err := strconv.ParseInt(rawExpires, 10, 64)
	switch {
	case err != nil && !strings.HasPrefix(rawExpires, "-"):
		return Result{}, queryError(msgExpiresNumber)
	case err != nil || expires < 0:
		return Result{}, queryError(msgExpiresNegative)
	case expires > maxExpires:
		return Result{}, queryError(msgExpiresWeek)
	}
	now := v.now()
	expiry := t.Add(time.Duration(expires) * time.Second)
	switch {
	case t.Sub(now) > maxSkew:
		return Result{}, accessDenied(msgNotYetValid, el("X-Amz-Date", strconv.FormatInt(t.UnixMilli(), 10)),
			el("Expires", expiry.Format(serverTimeLayout)), el("ServerTime", now.UTC().Format(serverTimeLayout)))
	case now.After(expiry):
		return Result{}, accessDenied(msgExpired, el("X-Amz-Expires", rawExpires),
			el("Expires", expiry.Format(serverTimeLayout)), el("ServerTime", now.UTC().Format(serverTimeLayout)))
	}
	cred, msg, extra := v.parseCredential(q.Get("X-Amz-Credential"))
	if msg != "" {
		return Result{}, queryError(msgQueryCredential+msg, extra...)
	}
	if day := amzDate[:len(dateLayout)]; cred.date != day {
		return Result{}, queryError(fmt.Sprintf(`Invalid credential date "%s". This date is not the same as X-Amz-Date: "%s".`, cred.date, day))
	}
	signed, ok := parseSignedHeaders(q.Get("X-Amz-SignedHeaders"))
	if !ok {
		return Result{}, queryError(msgQueryParams)
	}
	secret, ok := v.secret(cred.accessKey)
	if !ok {
		return Result{}, unknownKey(cred.accessKey)
	}
	tok := q.Get("X-Amz-Security-Token")
	if tok == "" {
		tok = r.Header.Get("X-Amz-Security-Token")
	}
	if tok != "" {
		return Result{}, invalidToken(tok)
	}
	// A presigned URL leaves the payload unsigned unless the signer put
	// its hash in the header or the query.
	payload := r.Header.Get("X-Amz-Content-Sha256")
	if payload == "" {
		payload = q.Get("X-Amz-Content-Sha256")
	}
	if payload == "" {
		payload = unsignedPayload
	}
	if err := checkPayloadHash(payload); err != nil {
		return Result{}, err
	}
	return v.finish(r, cred, secret, amzDate, signed, payload, q.Get("X-Amz-Signature"), "X-Amz-Signature")
}

// finish computes the signature, compares it with the one provided, checks
// that every x-amz-* header was signed, and arms the payload checks.
func (v *Verifier) finish(r *http.Request, cred credential, secret, amzDate string, signed []string,
	payload, provided, skipQuery string) (Result, error) {
	canonical, err := canonicalRequest(canonicalInput{
		method: r.Method, path: wirePath(r), rawQuery: r.URL.RawQuery, header: r.Header,
		host: r.Host, contentLength: r.ContentLength, signedHeaders: signed,
		payloadHash: payload, skipQuery: skipQuery,
	})
	if err != nil {
		return Result{}, authError(s3err.InvalidRequest, msgBadQuery)
	}
	toSign := stringToSign(amzDate, cred.scope(), canonical)
	key := signingKey(secret, cred.date, cred.region, service)
	want := hex.EncodeToString(hmacSHA256(key, toSign))
	if !hmac.Equal([]byte(want), []byte(provided)) {
		return Result{}, mismatch(cred.accessKey, toSign, provided, canonical)
	}
	if names := unsignedHeaders(r.Header, signed); names != "" {
		return Result{}, accessDenied(msgUnsigned, el("HeadersNotSigned", names))
	}
	res := Result{AccessKey: cred.accessKey}
	switch payload {
	case unsignedPayload, streamingUnsignedTrailer:
	case streamingPayload, streamingPayloadTrailer:
		res.Chunks = newChunkVerifier(key, amzDate, cred.scope(), want, payload == streamingPayloadTrailer)
	default:
		if err := armSHA256(r, payload); err != nil {
			return Result{}, err
		}
	}
	return res, nil
}

// wirePath is the request's path as the client sent it, still escaped.
func wirePath(r *http.Request) string {
	if r.RequestURI != "" && r.RequestURI[0] == '/' {
		p, _, _ := strings.Cut(r.RequestURI, "?")
		return p
	}
	return r.URL.EscapedPath()
}

// unsignedHeaders lists, comma-separated, the x-amz-* headers of h that
// are not among the signed ones: S3 refuses them, since anyone on the path
// could have added them.
func unsignedHeaders(h http.Header, signed []string) string {
	var out []string
	for name := range h {
		lower := strings.ToLower(name)
		if !strings.HasPrefix(lower, "x-amz-") {
			continue
		}
		if !slices.Contains(signed, lower) {
			out = append(out, lower)
		}
	}
	slices.Sort(out)
	return strings.Join(out, ", ")
}
