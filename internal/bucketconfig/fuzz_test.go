package bucketconfig

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/mocks3/mocks3/internal/s3err"
)

// checkFuzzErr fails unless err is nil or an S3 error with a 4xx status:
// bad input must never surface as anything else.
func checkFuzzErr(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var e *s3err.Error
	if !errors.As(err, &e) || e.Code.Status() < 400 || e.Code.Status() > 499 {
		t.Fatalf("err = %v, want an S3 client error", err)
	}
}

func FuzzParseTagging(f *testing.F) {
	f.Add([]byte(taggingDoc("a", "1", "b", "")))
	f.Add([]byte(`<Tagging><TagSet><Tag><Key>a</Key></Tag></TagSet></Tagging>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		fuzzParse(t, body, ParseBucketTagging, EncodeTagging)
	})
}

func FuzzParseTaggingHeader(f *testing.F) {
	for _, s := range []string{"a=1&b=2", "foo=bar&bar", "=", "a=%zz", "k%20x=v+y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		tags, err := ParseTaggingHeader(v)
		checkFuzzErr(t, err)
		if err == nil {
			again, err := ParseTaggingHeader(EncodeTaggingHeader(tags))
			if err != nil || len(again) != len(tags) {
				t.Fatalf("EncodeTaggingHeader(%v) parses as %v, %v", tags, again, err)
			}
		}
	})
}

func FuzzParseCORS(f *testing.F) {
	f.Add([]byte(corsDoc(`<CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>http://*.x</AllowedOrigin><AllowedHeader>*</AllowedHeader><MaxAgeSeconds>5</MaxAgeSeconds></CORSRule>`)), "http://a.x", "GET", "x-amz-date")
	f.Fuzz(func(t *testing.T, body []byte, origin, method, headers string) {
		if c, ok := fuzzParse(t, body, ParseCORS, (*CORS).Encode); ok {
			c.Match(CORSRequest{Origin: origin, Method: method, Headers: SplitHeaderList(headers)})
		}
	})
}

func FuzzParseWebsite(f *testing.F) {
	f.Add([]byte(`<WebsiteConfiguration><IndexDocument><Suffix>index.html</Suffix></IndexDocument><RoutingRules><RoutingRule><Condition><KeyPrefixEquals>a</KeyPrefixEquals></Condition><Redirect><HttpRedirectCode>301</HttpRedirectCode></Redirect></RoutingRule></RoutingRules></WebsiteConfiguration>`))
	f.Add([]byte(`<WebsiteConfiguration><RedirectAllRequestsTo><HostName>x</HostName></RedirectAllRequestsTo></WebsiteConfiguration>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		fuzzParse(t, body, ParseWebsite, (*Website).Encode)
	})
}

func FuzzParseLifecycle(f *testing.F) {
	f.Add([]byte(lcDoc(lcRuleDoc("r", "<Filter><And><Prefix>a</Prefix><Tag><Key>k</Key><Value>v</Value></Tag></And></Filter>", exp1))), "a/b", int64(5))
	f.Add([]byte(lcDoc(lcRuleDoc("", "<Prefix>x</Prefix>", "<AbortIncompleteMultipartUpload><DaysAfterInitiation>1</DaysAfterInitiation></AbortIncompleteMultipartUpload>"))), "x", int64(0))
	f.Fuzz(func(t *testing.T, body []byte, key string, size int64) {
		// The encoding names every rule, so parsing it again draws no ID.
		parse := func(b []byte) (*Lifecycle, error) { return ParseLifecycle(b, func() string { return "generated" }) }
		l, ok := fuzzParse(t, body, parse, (*Lifecycle).Encode)
		if !ok {
			return
		}
		now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
		l.Expiration(LifecycleObject{Key: key, Size: size, Tags: map[string]string{"k": "v"}, LastModified: now})
		l.AbortDate(key, now)
	})
}

func FuzzParseEncryption(f *testing.F) {
	f.Add([]byte(`<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm><KMSMasterKeyID>k</KMSMasterKeyID></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>true</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		fuzzParse(t, body, ParseEncryption, (*Encryption).Encode)
	})
}

func FuzzParseLogging(f *testing.F) {
	f.Add([]byte(`<BucketLoggingStatus><LoggingEnabled><TargetBucket>l</TargetBucket><TargetPrefix>p</TargetPrefix><TargetGrants><Grant/></TargetGrants></LoggingEnabled></BucketLoggingStatus>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		l, err := ParseLogging(body)
		checkFuzzErr(t, err)
		if err == nil {
			if _, err := ParseLogging(EncodeLogging(l)); err != nil {
				t.Fatalf("ParseLogging(EncodeLogging(%+v)) = %v", l, err)
			}
		}
	})
}

// FuzzParseSettings covers the one-value documents and the public access
// block.
func FuzzParseSettings(f *testing.F) {
	f.Add([]byte(`<RequestPaymentConfiguration><Payer>Requester</Payer></RequestPaymentConfiguration>`))
	f.Add([]byte(`<OwnershipControls><Rule><ObjectOwnership>ObjectWriter</ObjectOwnership></Rule></OwnershipControls>`))
	f.Add([]byte(`<PublicAccessBlockConfiguration><BlockPublicAcls>true</BlockPublicAcls></PublicAccessBlockConfiguration>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, parse := range []func([]byte) (string, error){ParseRequestPayment, ParseAccelerate, ParseOwnershipControls} {
			_, err := parse(body)
			checkFuzzErr(t, err)
		}
		p, err := ParsePublicAccessBlock(body)
		checkFuzzErr(t, err)
		if err == nil {
			if again, err := ParsePublicAccessBlock(p.Encode()); err != nil || *again != *p {
				t.Fatalf("public access block round trip: %+v, %v", again, err)
			}
		}
	})
}

func FuzzParseACL(f *testing.F) {
	f.Add([]byte(aclBody))
	f.Fuzz(func(t *testing.T, body []byte) {
		fuzzParse(t, body, ParseACL, (*ACL).Encode)
	})
}

func FuzzACLFromHeaders(f *testing.F) {
	f.Add("", `id="a", uri="http://acs.amazonaws.com/groups/global/AllUsers"`, "emailAddress=x@y")
	f.Add("public-read", "", "")
	f.Fuzz(func(t *testing.T, canned, read, full string) {
		h := http.Header{}
		for name, v := range map[string]string{"x-amz-acl": canned, "x-amz-grant-read": read, "x-amz-grant-full-control": full} {
			if v != "" {
				h.Set(name, v)
			}
		}
		a, err := ACLFromHeaders(h, alice, bob, false)
		if !ACLHeadersSent(h) && (a != nil || err != nil) {
			t.Fatalf("ACLFromHeaders(%v) = %+v, %v although ACLHeadersSent is false", h, a, err)
		}
		checkFuzzErr(t, err)
		if a != nil {
			if _, err := ParseACL(a.Encode()); err != nil {
				t.Fatalf("ParseACL(Encode()) of %+v: %v", a, err)
			}
		}
	})
}

func FuzzParsePolicy(f *testing.F) {
	f.Add([]byte(policyDoc(stmt(""))), "b")
	f.Add([]byte(policyDoc(stmt(`Condition={"IpAddress":{"aws:SourceIp":["1.2.3.4/32"]}}`))), "b")
	f.Fuzz(func(t *testing.T, doc []byte, bucket string) {
		p, err := ParsePolicy(doc, bucket)
		checkFuzzErr(t, err)
		if err == nil {
			p.IsPublic()
			// Evaluation of any valid policy must not panic.
			p.Evaluate(anonGet, true)
			p.Evaluate(bobList, false)
		}
	})
}
