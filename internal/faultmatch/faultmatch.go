// Package faultmatch holds the matching syntax of fault rules, shared by
// the faults package, which validates rules, and the engine, which matches
// them: globs and client IPs.
package faultmatch

import (
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"path"
	"strings"
)

// Glob reports whether s matches pattern, where * matches any run of
// characters including "/" and ? one character. An empty pattern matches
// everything.
func Glob(pattern, s string) bool {
	if pattern == "" || pattern == "*" {
		return true
	}
	// Most patterns are literals or prefixes: skip path.Match for them.
	switch i := wildcard(pattern); {
	case i < 0:
		return pattern == s
	case i == len(pattern)-1 && pattern[i] == '*':
		return strings.HasPrefix(s, pattern[:i])
	}
	// path.Match stops * at "/": hide slashes from it.
	ok, _ := path.Match(strings.ReplaceAll(pattern, "/", "\x00"), strings.ReplaceAll(s, "/", "\x00"))
	return ok
}

// ValidGlob reports whether Glob accepts pattern.
func ValidGlob(pattern string) bool {
	_, err := path.Match(strings.ReplaceAll(pattern, "/", "\x00"), "")
	return err == nil
}

// wildcard returns the index of the first glob metacharacter in p, or -1.
func wildcard(p string) int {
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '*', '?', '[', '\\':
			return i
		}
	}
	return -1
}

// ParseIP parses a rule's client IP match: an IP, or a CIDR.
func ParseIP(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		return netip.ParsePrefix(s)
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// ClientIP returns the IP of a request's RemoteAddr (host:port, or a bare
// host).
func ClientIP(remoteAddr string) (netip.Addr, bool) {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		host = remoteAddr
	}
	a, err := netip.ParseAddr(host)
	return a.Unmap(), err == nil
}

// AccessKey returns the access key ID a request is signed with: from its
// Authorization header (SigV4 "Credential=AK/…", SigV2 "AWS AK:…") or its
// presigned query (X-Amz-Credential, AWSAccessKeyId); "" if unsigned. The
// signature is not checked: a fault rule only needs to know whom the
// request claims to come from.
func AccessKey(h http.Header, q url.Values) string {
	auth := h.Get("Authorization")
	if i := strings.Index(auth, "Credential="); i >= 0 {
		ak, _, _ := strings.Cut(auth[i+len("Credential="):], "/")
		return ak
	}
	if rest, ok := strings.CutPrefix(auth, "AWS "); ok {
		ak, _, _ := strings.Cut(rest, ":")
		return ak
	}
	if c := q.Get("X-Amz-Credential"); c != "" {
		ak, _, _ := strings.Cut(c, "/")
		return ak
	}
	return q.Get("AWSAccessKeyId")
}
