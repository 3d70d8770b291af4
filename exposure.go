package mocks3

// What a web page in the developer's browser must not be able to do to a
// local mocks3: drive the admin API with a cross-origin "simple" request
// (text/plain or form POSTs need no CORS preflight), or read and write
// through a name it controls that resolves to 127.0.0.1 (DNS rebinding).
// See the README's "Exposure" section.

import (
	"crypto/subtle"
	"encoding/json"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"

	"github.com/mocks3/mocks3/internal/s3err"
)

// hostAllowed reports whether a request addressed to host (a Host header,
// with or without port) is one the server serves: an IP address,
// localhost and its subdomains, a base domain and its subdomains, or the
// host of the binary's listening address. An IP literal cannot be rebound, and a browser
// that sends one reached the server by address, so every IP passes; a
// request without Host (HTTP/1.0) passes too, since browsers always send
// one.
func (c *config) hostAllowed(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
	if host == "" {
		return true
	}
	if _, err := netip.ParseAddr(host); err == nil {
		return true
	}
	for _, d := range c.hostNames() {
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	return false
}

// hostNames are the names (not addresses) the server answers to.
func (c *config) hostNames() []string {
	names := []string{"localhost"}
	if c.inMemory {
		names = append(names, inMemoryHost)
	}
	for _, d := range c.ext.BaseDomains {
		names = append(names, strings.TrimSuffix(strings.ToLower(d), "."))
	}
	for _, a := range append([]string{c.ext.Addr}, c.ext.StackAddrs...) {
		if h, _, err := net.SplitHostPort(a); err == nil && h != "" {
			names = append(names, strings.ToLower(h))
		}
	}
	return names
}

// checkHost answers a request for a foreign host with 400 InvalidRequest
// and reports whether it did. 400 rather than 403 AccessDenied: nothing is
// wrong with the caller's credentials, the request names a host this
// server does not serve, and the message says how to add it. A HEAD
// answer has no body, and "Bad Request" then still points at the request
// rather than at permissions.
func (s *Server) checkHost(w http.ResponseWriter, r *http.Request) bool {
	if s.cfg.hostAllowed(r.Host) {
		return true
	}
	s.refused(r, "foreign host")
	s3err.WriteError(w, r, &s3err.Error{Code: s3err.InvalidRequest, Message: "mocks3 does not serve the host " +
		r.Host + ": address it by IP or localhost, or start mocks3 with -domain NAME. " +
		"Other names are refused so that a web page cannot reach the server through DNS rebinding."})
	return false
}

// checkCrossOriginPost refuses an S3 POST sent by a page of another origin.
// POST is the one S3 method a page may send cross-origin without a CORS
// preflight (DeleteObjects, CompleteMultipartUpload); mocks3 answers a
// preflight only as a bucket's CORS rules allow, and setting them takes a
// PUT, which needs a preflight, so other cross-origin writes reach it only
// where the rules say. A POST the bucket's rules allow passes too, as it
// reaches S3. SDKs and tools send no Origin header.
func (s *Server) checkCrossOriginPost(w http.ResponseWriter, r *http.Request) bool {
	if r.Method != http.MethodPost || !foreignOrigin(r) || s.handler.CORSAllows(r) {
		return true
	}
	s.refused(r, "cross-origin POST")
	s3err.WriteError(w, r, &s3err.Error{Code: s3err.AccessDenied,
		Message: "Cross-origin POST refused: the Origin " + r.Header.Get("Origin") + " is not this server's."})
	return false
}

// foreignOrigin reports whether r carries an Origin header that is not the
// origin r was sent to. Browsers send Origin on every cross-origin request
// that can change state; "null" (a sandboxed or privacy-sensitive
// context) is foreign.
func foreignOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" {
		return false
	}
	u, err := url.Parse(o)
	if err != nil || u.Host == "" {
		return true
	}
	return !strings.EqualFold(withPort(u.Host, u.Scheme), withPort(r.Host, requestScheme(r)))
}

func requestScheme(r *http.Request) string {
	if r.TLS != nil {
		return "https"
	}
	return "http"
}

// withPort adds the scheme's default port to a host that has none.
func withPort(host, scheme string) string {
	if _, _, err := net.SplitHostPort(host); err == nil {
		return host
	}
	port := "80"
	if scheme == "https" {
		port = "443"
	}
	return net.JoinHostPort(strings.Trim(host, "[]"), port)
}

// guardAdmin lets through only admin requests a web page cannot forge:
// the right host, no foreign Origin, JSON bodies only (a page can send
// text/plain and form bodies cross-origin without preflight, not JSON),
// and the admin token when one is set. GET /health needs no token, so
// health checks keep working.
func (s *Server) guardAdmin(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.checkHost(w, r) {
			return
		}
		if foreignOrigin(r) {
			s.refused(r, "admin request with a foreign Origin")
			adminError(w, http.StatusForbidden, "cross-origin request refused: the Origin "+
				r.Header.Get("Origin")+" is not this server's")
			return
		}
		if hasBody(r) {
			if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
				s.refused(r, "admin request body not JSON")
				adminError(w, http.StatusUnsupportedMediaType, "the admin API takes JSON bodies: send Content-Type: application/json")
				return
			}
		}
		if s.cfg.ext.AdminToken != "" && !isHealthCheck(r) && !tokenMatches(r, s.cfg.ext.AdminToken) {
			s.refused(r, "admin request without the admin token")
			w.Header().Set("WWW-Authenticate", `Bearer realm="mocks3"`)
			adminError(w, http.StatusUnauthorized, "the admin API needs the admin token: send Authorization: Bearer <token>")
			return
		}
		h.ServeHTTP(w, r)
	})
}

func hasBody(r *http.Request) bool {
	return r.ContentLength > 0 || (r.ContentLength < 0 && r.Body != nil && r.Body != http.NoBody)
}

func isHealthCheck(r *http.Request) bool {
	return (r.Method == http.MethodGet || r.Method == http.MethodHead) &&
		(r.URL.Path == "/health" || r.URL.Path == adminPrefix+"/health")
}

func tokenMatches(r *http.Request, token string) bool {
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), []byte(token)) == 1
}

// adminError answers as the fault REST API does: {"error": "…"}.
func adminError(w http.ResponseWriter, status int, msg string) {
	b, _ := json.Marshal(map[string]string{"error": msg})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

func (s *Server) refused(r *http.Request, why string) {
	if s.cfg.logger != nil {
		s.cfg.logger.Warn("request refused", "why", why, "method", r.Method, "host", r.Host,
			"path", r.URL.Path, "origin", r.Header.Get("Origin"), "remote", r.RemoteAddr)
	}
}
