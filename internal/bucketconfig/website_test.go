package bucketconfig

import (
	"testing"

	"github.com/mocks3/mocks3/internal/s3err"
)

func TestParseWebsite(t *testing.T) {
	const rule = `<RoutingRule><Condition><KeyPrefixEquals>docs/</KeyPrefixEquals></Condition><Redirect><ReplaceKeyPrefixWith>documents/</ReplaceKeyPrefixWith></Redirect></RoutingRule>`
	tests := []parseCase{
		{"index and error", `<WebsiteConfiguration><IndexDocument><Suffix>index.html</Suffix></IndexDocument><ErrorDocument><Key>error.html</Key></ErrorDocument></WebsiteConfiguration>`, "", ""},
		{"routing rules", `<WebsiteConfiguration><IndexDocument><Suffix>index.html</Suffix></IndexDocument><RoutingRules>` + rule +
			`<RoutingRule><Condition><HttpErrorCodeReturnedEquals>404</HttpErrorCodeReturnedEquals></Condition><Redirect><HostName>example.com</HostName><Protocol>https</Protocol><HttpRedirectCode>302</HttpRedirectCode><ReplaceKeyWith>404.html</ReplaceKeyWith></Redirect></RoutingRule></RoutingRules></WebsiteConfiguration>`, "", ""},
		{"redirect all", `<WebsiteConfiguration><RedirectAllRequestsTo><HostName>example.com</HostName><Protocol>https</Protocol></RedirectAllRequestsTo></WebsiteConfiguration>`, "", ""},
		{"nothing", `<WebsiteConfiguration></WebsiteConfiguration>`, s3err.InvalidArgument, "A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty"},
		{"empty suffix", `<WebsiteConfiguration><IndexDocument><Suffix></Suffix></IndexDocument></WebsiteConfiguration>`, s3err.InvalidArgument, "The IndexDocument Suffix is not well formed"},
		{"slash in suffix", `<WebsiteConfiguration><IndexDocument><Suffix>a/index.html</Suffix></IndexDocument></WebsiteConfiguration>`, s3err.InvalidArgument, "Suffix is not well formed"},
		{"empty error key", `<WebsiteConfiguration><IndexDocument><Suffix>i</Suffix></IndexDocument><ErrorDocument><Key></Key></ErrorDocument></WebsiteConfiguration>`, s3err.InvalidArgument, "ErrorDocument Key"},
		{"redirect all and index", `<WebsiteConfiguration><RedirectAllRequestsTo><HostName>x</HostName></RedirectAllRequestsTo><IndexDocument><Suffix>i</Suffix></IndexDocument></WebsiteConfiguration>`, s3err.InvalidArgument, "RedirectAllRequestsTo cannot be provided in conjunction"},
		{"redirect all without host", `<WebsiteConfiguration><RedirectAllRequestsTo><Protocol>http</Protocol></RedirectAllRequestsTo></WebsiteConfiguration>`, s3err.MalformedXML, ""},
		{"bad protocol", `<WebsiteConfiguration><RedirectAllRequestsTo><HostName>x</HostName><Protocol>ftp</Protocol></RedirectAllRequestsTo></WebsiteConfiguration>`, s3err.InvalidArgument, "Invalid protocol"},
		{"rule without redirect", `<WebsiteConfiguration><IndexDocument><Suffix>i</Suffix></IndexDocument><RoutingRules><RoutingRule><Condition><KeyPrefixEquals>a</KeyPrefixEquals></Condition></RoutingRule></RoutingRules></WebsiteConfiguration>`, s3err.MalformedXML, ""},
		{"both replacements", `<WebsiteConfiguration><IndexDocument><Suffix>i</Suffix></IndexDocument><RoutingRules><RoutingRule><Redirect><ReplaceKeyWith>a</ReplaceKeyWith><ReplaceKeyPrefixWith>b</ReplaceKeyPrefixWith></Redirect></RoutingRule></RoutingRules></WebsiteConfiguration>`, s3err.InvalidArgument, "ReplaceKeyPrefix or ReplaceKey but not both"},
		{"redirect code 300", `<WebsiteConfiguration><IndexDocument><Suffix>i</Suffix></IndexDocument><RoutingRules><RoutingRule><Redirect><HttpRedirectCode>300</HttpRedirectCode></Redirect></RoutingRule></RoutingRules></WebsiteConfiguration>`, s3err.InvalidArgument, "3XX except 300"},
		{"error code 200", `<WebsiteConfiguration><IndexDocument><Suffix>i</Suffix></IndexDocument><RoutingRules><RoutingRule><Condition><HttpErrorCodeReturnedEquals>200</HttpErrorCodeReturnedEquals></Condition><Redirect><HostName>x</HostName></Redirect></RoutingRule></RoutingRules></WebsiteConfiguration>`, s3err.InvalidArgument, "4XX or 5XX"},
		{"empty condition", `<WebsiteConfiguration><IndexDocument><Suffix>i</Suffix></IndexDocument><RoutingRules><RoutingRule><Condition></Condition><Redirect><HostName>x</HostName></Redirect></RoutingRule></RoutingRules></WebsiteConfiguration>`, s3err.InvalidArgument, "Condition cannot be empty"},
		{"unknown element", `<WebsiteConfiguration><IndexDocument><Suffix>i</Suffix><Prefix/></IndexDocument></WebsiteConfiguration>`, s3err.MalformedXML, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkParse(t, tt.body, tt.wantCode, tt.wantMsg, ParseWebsite, (*Website).Encode)
		})
	}
}
