// Website: https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketWebsite.html,
// API_WebsiteConfiguration.html, API_RoutingRule.html, API_Redirect.html,
// API_Condition.html, API_RedirectAllRequestsTo.html.

package bucketconfig

import (
	"encoding/xml"
	"strconv"
	"strings"

	"github.com/mocks3/mocks3/internal/s3err"
)

const maxRoutingRules = 50

// Website is a bucket's website configuration.
type Website struct {
	IndexSuffix  string // IndexDocument's Suffix
	ErrorKey     string // ErrorDocument's Key
	RedirectAll  *RedirectAll
	RoutingRules []RoutingRule
}

// RedirectAll sends every request to another host.
type RedirectAll struct {
	HostName string
	Protocol string
}

// RoutingRule redirects requests that meet its condition.
type RoutingRule struct {
	Condition *RoutingCondition
	Redirect  Redirect
}

// RoutingCondition is when a routing rule applies.
type RoutingCondition struct {
	HTTPErrorCodeReturnedEquals string
	KeyPrefixEquals             string
}

// Redirect is where a routing rule sends a request.
type Redirect struct {
	HostName             string
	HTTPRedirectCode     string
	Protocol             string
	ReplaceKeyPrefixWith string
	ReplaceKeyWith       string
}

type websiteXML struct {
	XMLName xml.Name `xml:"WebsiteConfiguration"`
	rootXML
	RedirectAll  *redirectAllXML `xml:"RedirectAllRequestsTo,omitempty"`
	Index        *indexXML       `xml:"IndexDocument,omitempty"`
	Error        *errorDocXML    `xml:"ErrorDocument,omitempty"`
	RoutingRules *routingXML     `xml:"RoutingRules,omitempty"`
}

type redirectAllXML struct {
	HostName *string `xml:"HostName"`
	Protocol string  `xml:"Protocol,omitempty"`
	strictXML
}

type indexXML struct {
	Suffix *string `xml:"Suffix"`
	strictXML
}

type errorDocXML struct {
	Key *string `xml:"Key"`
	strictXML
}

type routingXML struct {
	Rules []routingRuleXML `xml:"RoutingRule"`
	strictXML
}

type routingRuleXML struct {
	Condition *conditionXML `xml:"Condition,omitempty"`
	Redirect  *redirectXML  `xml:"Redirect"`
	strictXML
}

type conditionXML struct {
	HTTPErrorCodeReturnedEquals string `xml:"HttpErrorCodeReturnedEquals,omitempty"`
	KeyPrefixEquals             string `xml:"KeyPrefixEquals,omitempty"`
	strictXML
}

type redirectXML struct {
	HostName             string `xml:"HostName,omitempty"`
	HTTPRedirectCode     string `xml:"HttpRedirectCode,omitempty"`
	Protocol             string `xml:"Protocol,omitempty"`
	ReplaceKeyPrefixWith string `xml:"ReplaceKeyPrefixWith,omitempty"`
	ReplaceKeyWith       string `xml:"ReplaceKeyWith,omitempty"`
	strictXML
}

func checkProtocol(p string) error {
	if p != "" && p != "http" && p != "https" {
		return invalidArgument("Invalid protocol, protocol can be http or https. If not defined the protocol will be selected automatically.", "Protocol", p)
	}
	return nil
}

// ParseWebsite reads PutBucketWebsite's WebsiteConfiguration document.
func ParseWebsite(body []byte) (*Website, error) {
	var doc websiteXML
	if err := decodeXML(body, &doc); err != nil {
		return nil, err
	}
	w := &Website{}
	if doc.RedirectAll != nil {
		if doc.Index != nil || doc.Error != nil || doc.RoutingRules != nil {
			return nil, errorf(s3err.InvalidArgument, "RedirectAllRequestsTo cannot be provided in conjunction with other Routing Rules.")
		}
		if doc.RedirectAll.HostName == nil || *doc.RedirectAll.HostName == "" {
			return nil, malformedXML()
		}
		if err := checkProtocol(doc.RedirectAll.Protocol); err != nil {
			return nil, err
		}
		w.RedirectAll = &RedirectAll{HostName: *doc.RedirectAll.HostName, Protocol: doc.RedirectAll.Protocol}
		return w, nil
	}
	if doc.Index == nil {
		return nil, invalidArgument("A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty", "IndexDocument", "")
	}
	if doc.Index.Suffix == nil || *doc.Index.Suffix == "" || strings.Contains(*doc.Index.Suffix, "/") {
		return nil, invalidArgument("The IndexDocument Suffix is not well formed", "IndexDocument", deref(doc.Index.Suffix))
	}
	w.IndexSuffix = *doc.Index.Suffix
	if doc.Error != nil {
		if doc.Error.Key == nil || *doc.Error.Key == "" {
			return nil, invalidArgument("The ErrorDocument Key is not well formed", "ErrorDocument", deref(doc.Error.Key))
		}
		w.ErrorKey = *doc.Error.Key
	}
	if doc.RoutingRules != nil {
		if len(doc.RoutingRules.Rules) == 0 || len(doc.RoutingRules.Rules) > maxRoutingRules {
			return nil, malformedXML()
		}
		for _, r := range doc.RoutingRules.Rules {
			rule, err := parseRoutingRule(r)
			if err != nil {
				return nil, err
			}
			w.RoutingRules = append(w.RoutingRules, rule)
		}
	}
	return w, nil
}

func parseRoutingRule(r routingRuleXML) (RoutingRule, error) {
	var rule RoutingRule
	if r.Redirect == nil {
		return rule, malformedXML()
	}
	if c := r.Condition; c != nil {
		if c.HTTPErrorCodeReturnedEquals == "" && c.KeyPrefixEquals == "" {
			return rule, errorf(s3err.InvalidArgument, "Condition cannot be empty. To redirect all requests without a condition, the condition element shouldn't be present.")
		}
		if code := c.HTTPErrorCodeReturnedEquals; code != "" {
			n, err := strconv.Atoi(code)
			if err != nil || n < 400 || n > 599 {
				return rule, invalidArgument("The provided HTTP error code ("+code+") is not valid. Valid codes are 4XX or 5XX.", "HttpErrorCodeReturnedEquals", code)
			}
		}
		rule.Condition = &RoutingCondition{HTTPErrorCodeReturnedEquals: c.HTTPErrorCodeReturnedEquals, KeyPrefixEquals: c.KeyPrefixEquals}
	}
	rd := r.Redirect
	if rd.ReplaceKeyPrefixWith != "" && rd.ReplaceKeyWith != "" {
		return rule, errorf(s3err.InvalidArgument, "You can only define ReplaceKeyPrefix or ReplaceKey but not both.")
	}
	if code := rd.HTTPRedirectCode; code != "" {
		n, err := strconv.Atoi(code)
		if err != nil || n < 301 || n > 399 {
			return rule, invalidArgument("The provided HTTP redirect code ("+code+") is not valid. Valid codes are 3XX except 300.", "HttpRedirectCode", code)
		}
	}
	if err := checkProtocol(rd.Protocol); err != nil {
		return rule, err
	}
	rule.Redirect = Redirect{HostName: rd.HostName, HTTPRedirectCode: rd.HTTPRedirectCode, Protocol: rd.Protocol,
		ReplaceKeyPrefixWith: rd.ReplaceKeyPrefixWith, ReplaceKeyWith: rd.ReplaceKeyWith}
	return rule, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// Encode writes w as a WebsiteConfiguration document.
func (w *Website) Encode() []byte {
	var doc websiteXML
	if w.RedirectAll != nil {
		h := w.RedirectAll.HostName
		doc.RedirectAll = &redirectAllXML{HostName: &h, Protocol: w.RedirectAll.Protocol}
		return encodeXML(&doc)
	}
	suffix := w.IndexSuffix
	doc.Index = &indexXML{Suffix: &suffix}
	if w.ErrorKey != "" {
		key := w.ErrorKey
		doc.Error = &errorDocXML{Key: &key}
	}
	if len(w.RoutingRules) > 0 {
		doc.RoutingRules = &routingXML{}
		for _, r := range w.RoutingRules {
			x := routingRuleXML{Redirect: &redirectXML{HostName: r.Redirect.HostName, HTTPRedirectCode: r.Redirect.HTTPRedirectCode,
				Protocol: r.Redirect.Protocol, ReplaceKeyPrefixWith: r.Redirect.ReplaceKeyPrefixWith, ReplaceKeyWith: r.Redirect.ReplaceKeyWith}}
			if c := r.Condition; c != nil {
				x.Condition = &conditionXML{HTTPErrorCodeReturnedEquals: c.HTTPErrorCodeReturnedEquals, KeyPrefixEquals: c.KeyPrefixEquals}
			}
			doc.RoutingRules.Rules = append(doc.RoutingRules.Rules, x)
		}
	}
	return encodeXML(&doc)
}
