package bucketconfig

import (
	"strings"
	"testing"

	"github.com/mocks3/mocks3/internal/s3err"

	"github.com/google/go-cmp/cmp"
)

func corsDoc(rules ...string) string { return xmlDoc("CORSConfiguration", rules...) }

func TestParseCORS(t *testing.T) {
	tests := []parseCase{
		{"minimal", corsDoc(`<CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>*</AllowedOrigin></CORSRule>`), "", ""},
		{"full", corsDoc(`<CORSRule><ID>r1</ID><AllowedHeader>x-amz-*</AllowedHeader><AllowedMethod>PUT</AllowedMethod>` +
			`<AllowedMethod>POST</AllowedMethod><AllowedOrigin>https://*.example.com</AllowedOrigin>` +
			`<ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>3000</MaxAgeSeconds></CORSRule>`), "", ""},
		{"empty origin", corsDoc(`<CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin></AllowedOrigin></CORSRule>`), "", ""},
		{"no rules", corsDoc(), s3err.MalformedXML, ""},
		{"101 rules", corsDoc(strings.Repeat(`<CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>*</AllowedOrigin></CORSRule>`, 101)), s3err.MalformedXML, ""},
		{"no origin", corsDoc(`<CORSRule><AllowedMethod>GET</AllowedMethod></CORSRule>`), s3err.MalformedXML, ""},
		{"no method", corsDoc(`<CORSRule><AllowedOrigin>*</AllowedOrigin></CORSRule>`), s3err.MalformedXML, ""},
		{"bad method", corsDoc(`<CORSRule><AllowedMethod>MYMETHOD</AllowedMethod><AllowedOrigin>*</AllowedOrigin></CORSRule>`),
			s3err.InvalidRequest, "Found unsupported HTTP method in CORS config. Unsupported method is MYMETHOD"},
		{"options method", corsDoc(`<CORSRule><AllowedMethod>OPTIONS</AllowedMethod><AllowedOrigin>*</AllowedOrigin></CORSRule>`),
			s3err.InvalidRequest, "Unsupported method is OPTIONS"},
		{"lower-case method", corsDoc(`<CORSRule><AllowedMethod>get</AllowedMethod><AllowedOrigin>*</AllowedOrigin></CORSRule>`),
			s3err.InvalidRequest, "Unsupported method is get"},
		{"two origin wildcards", corsDoc(`<CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>*example*.com</AllowedOrigin></CORSRule>`),
			s3err.InvalidRequest, `AllowedOrigin "*example*.com" can not have more than one wildcard.`},
		{"two header wildcards", corsDoc(`<CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>*</AllowedOrigin><AllowedHeader>*a*</AllowedHeader></CORSRule>`),
			s3err.InvalidRequest, `AllowedHeader "*a*" can not have more than one wildcard.`},
		{"expose wildcard", corsDoc(`<CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>*</AllowedOrigin><ExposeHeader>*</ExposeHeader></CORSRule>`),
			s3err.InvalidRequest, "We currently do not support wildcard for ExposeHeader."},
		{"bad max age", corsDoc(`<CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>*</AllowedOrigin><MaxAgeSeconds>soon</MaxAgeSeconds></CORSRule>`), s3err.MalformedXML, ""},
		{"two max ages", corsDoc(`<CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>*</AllowedOrigin><MaxAgeSeconds>1</MaxAgeSeconds><MaxAgeSeconds>2</MaxAgeSeconds></CORSRule>`), s3err.MalformedXML, ""},
		{"long id", corsDoc(`<CORSRule><ID>` + strings.Repeat("i", 256) + `</ID><AllowedMethod>GET</AllowedMethod><AllowedOrigin>*</AllowedOrigin></CORSRule>`), s3err.InvalidArgument, "255"},
		{"unknown element", corsDoc(`<CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>*</AllowedOrigin><Bogus/></CORSRule>`), s3err.MalformedXML, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkParse(t, tt.body, tt.wantCode, tt.wantMsg, ParseCORS, (*CORS).Encode)
		})
	}
}

func TestCORSMatch(t *testing.T) {
	c, err := ParseCORS([]byte(corsDoc(
		`<CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>*suffix</AllowedOrigin></CORSRule>`,
		`<CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>start*end</AllowedOrigin></CORSRule>`,
		`<CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>prefix*</AllowedOrigin></CORSRule>`,
		`<CORSRule><AllowedMethod>PUT</AllowedMethod><AllowedOrigin>*.put</AllowedOrigin></CORSRule>`,
		`<CORSRule><AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod><AllowedOrigin>https://app.example</AllowedOrigin>`+
			`<AllowedHeader>x-amz-*</AllowedHeader><AllowedHeader>Content-Type</AllowedHeader><ExposeHeader>ETag</ExposeHeader>`+
			`<ExposeHeader>x-amz-version-id</ExposeHeader><MaxAgeSeconds>3000</MaxAgeSeconds></CORSRule>`,
		`<CORSRule><AllowedMethod>DELETE</AllowedMethod><AllowedOrigin>*</AllowedOrigin></CORSRule>`,
	)))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		req  CORSRequest
		want *CORSHeaders
	}{
		// ceph s3-tests' test_cors_origin_response.
		{"suffix", CORSRequest{Origin: "foo.suffix", Method: "GET"}, &CORSHeaders{AllowOrigin: "foo.suffix", AllowMethods: "GET", AllowCredentials: "true"}},
		{"wildcard matches nothing", CORSRequest{Origin: "startend", Method: "GET"}, &CORSHeaders{AllowOrigin: "startend", AllowMethods: "GET", AllowCredentials: "true"}},
		{"start and end", CORSRequest{Origin: "start12end", Method: "GET"}, &CORSHeaders{AllowOrigin: "start12end", AllowMethods: "GET", AllowCredentials: "true"}},
		{"prefix", CORSRequest{Origin: "prefix.suffix", Method: "GET"}, &CORSHeaders{AllowOrigin: "prefix.suffix", AllowMethods: "GET", AllowCredentials: "true"}},
		{"anchored at the end", CORSRequest{Origin: "foo.suffix.get", Method: "GET"}, nil},
		{"anchored at the start", CORSRequest{Origin: "0start12end", Method: "GET"}, nil},
		{"not a prefix", CORSRequest{Origin: "bla.prefix", Method: "GET"}, nil},
		{"method not allowed", CORSRequest{Origin: "foo.suffix", Method: "PUT"}, nil},
		{"put rule", CORSRequest{Origin: "foo.put", Method: "PUT"}, &CORSHeaders{AllowOrigin: "foo.put", AllowMethods: "PUT", AllowCredentials: "true"}},
		{"headers, expose and max age", CORSRequest{Origin: "https://app.example", Method: "PUT", Headers: []string{"X-AMZ-Meta-A", "content-type"}},
			&CORSHeaders{AllowOrigin: "https://app.example", AllowMethods: "GET, PUT", AllowCredentials: "true",
				AllowHeaders: "x-amz-meta-a, content-type", ExposeHeaders: "ETag, x-amz-version-id", MaxAge: "3000"}},
		{"header not allowed", CORSRequest{Origin: "https://app.example", Method: "PUT", Headers: []string{"authorization"}}, nil},
		{"scheme must match", CORSRequest{Origin: "http://app.example", Method: "GET"}, nil},
		{"trailing slash", CORSRequest{Origin: "https://app.example/", Method: "GET"}, nil},
		{"star origin", CORSRequest{Origin: "http://random:1234", Method: "DELETE"}, &CORSHeaders{AllowOrigin: "*", AllowMethods: "DELETE"}},
		{"star rule allows no header", CORSRequest{Origin: "http://random:1234", Method: "DELETE", Headers: []string{"x"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := c.Match(tt.req)
			if tt.want == nil {
				if ok {
					t.Fatalf("Match(%+v) = %+v, want no match", tt.req, got)
				}
				return
			}
			tt.want.Vary = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method"
			if !ok {
				t.Fatalf("Match(%+v) found no rule", tt.req)
			}
			if diff := cmp.Diff(*tt.want, got); diff != "" {
				t.Errorf("Match(%+v) (-want +got):\n%s", tt.req, diff)
			}
		})
	}
}

func TestSplitHeaderList(t *testing.T) {
	got := SplitHeaderList(" a, ,b,c ,")
	if diff := cmp.Diff([]string{"a", "b", "c"}, got); diff != "" {
		t.Errorf("SplitHeaderList (-want +got):\n%s", diff)
	}
}

func TestPreflightErrors(t *testing.T) {
	checkErr(t, ErrPreflightNoOrigin(), s3err.BadRequest, "Origin request header needed")
	checkErr(t, ErrCORSNotEnabled("PUT", "BUCKET"), s3err.AccessForbidden, "CORS is not enabled for this bucket.")
	checkErr(t, ErrCORSNotAllowed("PUT", "OBJECT"), s3err.AccessForbidden, "This CORS request is not allowed.")
}
