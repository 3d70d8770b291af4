// CORS: https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketCors.html,
// API_CORSConfiguration.html, API_CORSRule.html; evaluation from
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html and
// https://docs.aws.amazon.com/AmazonS3/latest/developerguide/RESTOPTIONSobject.html.

package bucketconfig

import (
	"encoding/xml"
	"slices"
	"strconv"
	"strings"

	"github.com/mocks3/mocks3/internal/s3err"
)

const (
	maxCORSSize  = 64 << 10
	maxCORSRules = 100
	maxRuleID    = 255
)

// corsMethods are the methods a CORS rule may allow.
var corsMethods = []string{"GET", "PUT", "HEAD", "POST", "DELETE"}

// CORS is a bucket's CORS configuration.
type CORS struct {
	Rules []CORSRule
}

// CORSRule is one rule; the first rule that matches a request applies.
type CORSRule struct {
	ID             string
	AllowedHeaders []string
	AllowedMethods []string
	AllowedOrigins []string
	ExposeHeaders  []string
	MaxAgeSeconds  *int
}

type corsXML struct {
	XMLName xml.Name `xml:"CORSConfiguration"`
	rootXML
	Rules []corsRuleXML `xml:"CORSRule"`
}

type corsRuleXML struct {
	ID             string   `xml:"ID,omitempty"`
	AllowedHeaders []string `xml:"AllowedHeader"`
	AllowedMethods []string `xml:"AllowedMethod"`
	AllowedOrigins []string `xml:"AllowedOrigin"`
	ExposeHeaders  []string `xml:"ExposeHeader"`
	MaxAgeSeconds  []string `xml:"MaxAgeSeconds"`
	strictXML
}

// ParseCORS reads PutBucketCors's CORSConfiguration document.
func ParseCORS(body []byte) (*CORS, error) {
	if len(body) > maxCORSSize {
		return nil, malformedXML()
	}
	var doc corsXML
	if err := decodeXML(body, &doc); err != nil {
		return nil, err
	}
	if len(doc.Rules) == 0 || len(doc.Rules) > maxCORSRules {
		return nil, malformedXML()
	}
	c := &CORS{}
	for _, r := range doc.Rules {
		rule := CORSRule{ID: r.ID, AllowedHeaders: r.AllowedHeaders, AllowedMethods: r.AllowedMethods,
			AllowedOrigins: r.AllowedOrigins, ExposeHeaders: r.ExposeHeaders}
		if len(r.AllowedMethods) == 0 || len(r.AllowedOrigins) == 0 || len(r.MaxAgeSeconds) > 1 {
			return nil, malformedXML()
		}
		if len(r.MaxAgeSeconds) == 1 {
			n, ok := parseInt(r.MaxAgeSeconds[0])
			if !ok || n < 0 || n > 1<<31-1 {
				return nil, malformedXML()
			}
			age := int(n)
			rule.MaxAgeSeconds = &age
		}
		if len(r.ID) > maxRuleID {
			return nil, errorf(s3err.InvalidArgument, "ID length should not exceed allowed limit of 255")
		}
		for _, m := range r.AllowedMethods {
			if !slices.Contains(corsMethods, m) {
				return nil, errorf(s3err.InvalidRequest, "Found unsupported HTTP method in CORS config. Unsupported method is %s", m)
			}
		}
		for _, o := range r.AllowedOrigins {
			if strings.Count(o, "*") > 1 {
				return nil, errorf(s3err.InvalidRequest, "AllowedOrigin %q can not have more than one wildcard.", o)
			}
		}
		for _, h := range r.AllowedHeaders {
			if strings.Count(h, "*") > 1 {
				return nil, errorf(s3err.InvalidRequest, "AllowedHeader %q can not have more than one wildcard.", h)
			}
		}
		for _, h := range r.ExposeHeaders {
			if strings.Contains(h, "*") {
				return nil, errorf(s3err.InvalidRequest, "ExposeHeader %q contains wildcard. We currently do not support wildcard for ExposeHeader.", h)
			}
		}
		c.Rules = append(c.Rules, rule)
	}
	return c, nil
}

// Encode writes c as a CORSConfiguration document, rules and values in
// the order they were given, as S3 answers them.
func (c *CORS) Encode() []byte {
	doc := corsXML{}
	for _, r := range c.Rules {
		x := corsRuleXML{ID: r.ID, AllowedHeaders: r.AllowedHeaders, AllowedMethods: r.AllowedMethods,
			AllowedOrigins: r.AllowedOrigins, ExposeHeaders: r.ExposeHeaders}
		if r.MaxAgeSeconds != nil {
			x.MaxAgeSeconds = []string{strconv.Itoa(*r.MaxAgeSeconds)}
		}
		doc.Rules = append(doc.Rules, x)
	}
	return encodeXML(&doc)
}

// CORSRequest is what a cross-origin request asks for: its Origin, the
// method (Access-Control-Request-Method if sent, else the request's own)
// and the header names of Access-Control-Request-Headers.
type CORSRequest struct {
	Origin  string
	Method  string
	Headers []string
}

// CORSHeaders are the response headers of a request a rule allows, each
// "" when not sent.
type CORSHeaders struct {
	AllowOrigin      string
	AllowMethods     string
	AllowHeaders     string
	ExposeHeaders    string
	MaxAge           string
	AllowCredentials string
	Vary             string
}

// Match evaluates req against the rules: the first rule whose origins,
// methods and allowed headers all admit the request applies, and its
// response headers are returned. ok is false when no rule matches.
func (c *CORS) Match(req CORSRequest) (h CORSHeaders, ok bool) {
	for _, r := range c.Rules {
		if !slices.Contains(r.AllowedMethods, req.Method) {
			continue
		}
		i := slices.IndexFunc(r.AllowedOrigins, func(o string) bool { return wildcardMatch(o, req.Origin, false) })
		if i < 0 {
			continue
		}
		if !allHeadersAllowed(r.AllowedHeaders, req.Headers) {
			continue
		}
		h = CORSHeaders{
			AllowMethods: strings.Join(r.AllowedMethods, ", "),
			Vary:         "Origin, Access-Control-Request-Headers, Access-Control-Request-Method",
		}
		if r.AllowedOrigins[i] == "*" {
			h.AllowOrigin = "*"
		} else {
			h.AllowOrigin, h.AllowCredentials = req.Origin, "true"
		}
		if len(req.Headers) > 0 {
			lower := make([]string, len(req.Headers))
			for i, name := range req.Headers {
				lower[i] = strings.ToLower(name)
			}
			h.AllowHeaders = strings.Join(lower, ", ")
		}
		h.ExposeHeaders = strings.Join(r.ExposeHeaders, ", ")
		if r.MaxAgeSeconds != nil {
			h.MaxAge = strconv.Itoa(*r.MaxAgeSeconds)
		}
		return h, true
	}
	return CORSHeaders{}, false
}

func allHeadersAllowed(allowed, requested []string) bool {
	for _, name := range requested {
		if !slices.ContainsFunc(allowed, func(p string) bool { return wildcardMatch(p, name, true) }) {
			return false
		}
	}
	return true
}

// wildcardMatch matches s against pattern, in which one "*" stands for
// any run of characters, the empty one included; the match is anchored at
// both ends.
func wildcardMatch(pattern, s string, foldCase bool) bool {
	if foldCase {
		pattern, s = strings.ToLower(pattern), strings.ToLower(s)
	}
	prefix, suffix, wild := strings.Cut(pattern, "*")
	if !wild {
		return pattern == s
	}
	return len(s) >= len(prefix)+len(suffix) && strings.HasPrefix(s, prefix) && strings.HasSuffix(s, suffix)
}

// SplitHeaderList splits an Access-Control-Request-Headers value into
// names, dropping empty elements as RFC 9110 asks.
func SplitHeaderList(v string) []string {
	var names []string
	for f := range strings.SplitSeq(v, ",") {
		if f = strings.TrimSpace(f); f != "" {
			names = append(names, f)
		}
	}
	return names
}

// Preflight errors, as S3 writes them. resourceType is "BUCKET" or
// "OBJECT".

// ErrPreflightNoOrigin answers an OPTIONS request without Origin.
func ErrPreflightNoOrigin() error {
	return errorf(s3err.BadRequest, "Insufficient information. Origin request header needed.")
}

// ErrCORSNotEnabled answers a preflight to a bucket without CORS rules.
func ErrCORSNotEnabled(method, resourceType string) error {
	return &s3err.Error{Code: s3err.AccessForbidden, Message: "CORSResponse: CORS is not enabled for this bucket.",
		Extra: []s3err.ExtraElement{{Name: "Method", Value: method}, {Name: "ResourceType", Value: resourceType}}}
}

// ErrCORSNotAllowed answers a preflight no rule allows.
func ErrCORSNotAllowed(method, resourceType string) error {
	return newError(s3err.AccessForbidden, s3err.ExtraElement{Name: "Method", Value: method},
		s3err.ExtraElement{Name: "ResourceType", Value: resourceType})
}
