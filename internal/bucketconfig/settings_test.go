package bucketconfig

import (
	"strings"
	"testing"

	"github.com/mocks3/mocks3/internal/s3err"

	"github.com/google/go-cmp/cmp"
	"github.com/mocks3/mocks3/s3api"
)

func TestParseEncryption(t *testing.T) {
	doc := func(inner string) string { return xmlDoc("ServerSideEncryptionConfiguration", inner) }
	tests := []struct {
		name     string
		body     string
		wantCode s3api.ErrorCode
	}{
		{"sse-s3", doc(`<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule>`), ""},
		{"kms", doc(`<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm><KMSMasterKeyID>arn:aws:kms:us-east-1:1:key/k</KMSMasterKeyID></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>true</BucketKeyEnabled></Rule>`), ""},
		{"no rule", doc(``), s3err.MalformedXML},
		{"two rules", doc(strings.Repeat(`<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule>`, 2)), s3err.MalformedXML},
		{"bad algorithm", doc(`<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>DES</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule>`), s3err.MalformedXML},
		{"key with AES256", doc(`<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm><KMSMasterKeyID>k</KMSMasterKeyID></ApplyServerSideEncryptionByDefault></Rule>`), s3err.InvalidArgument},
		{"bad bucket key", doc(`<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>yes</BucketKeyEnabled></Rule>`), s3err.MalformedXML},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkParse(t, tt.body, tt.wantCode, "", ParseEncryption, (*Encryption).Encode)
		})
	}
	if _, err := ParseEncryption(DefaultEncryption().Encode()); err != nil {
		t.Errorf("DefaultEncryption does not parse: %v", err)
	}
}

func TestParseLogging(t *testing.T) {
	l, err := ParseLogging([]byte(`<BucketLoggingStatus xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>`))
	if err != nil || l != nil {
		t.Fatalf("ParseLogging(empty) = %v, %v; want nil, nil", l, err)
	}
	body := `<BucketLoggingStatus><LoggingEnabled><TargetBucket>logs</TargetBucket><TargetPrefix>b/</TargetPrefix>` +
		`<TargetGrants><Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group"><URI>http://acs.amazonaws.com/groups/global/AllUsers</URI></Grantee><Permission>READ</Permission></Grant></TargetGrants>` +
		`</LoggingEnabled></BucketLoggingStatus>`
	l, err = ParseLogging([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if l.TargetBucket != "logs" || l.TargetPrefix != "b/" || !strings.Contains(string(l.TargetGrants), "AllUsers") {
		t.Errorf("ParseLogging = %+v", l)
	}
	again, err := ParseLogging(EncodeLogging(l))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(l, again); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	for _, bad := range []string{
		`<BucketLoggingStatus><LoggingEnabled><TargetPrefix>p</TargetPrefix></LoggingEnabled></BucketLoggingStatus>`,
		`<BucketLoggingStatus><LoggingEnabled><TargetBucket>b</TargetBucket></LoggingEnabled></BucketLoggingStatus>`,
		`<BucketLogging/>`,
	} {
		_, err := ParseLogging([]byte(bad))
		checkErr(t, err, s3err.MalformedXML, "")
	}
}

func TestOneValueSettings(t *testing.T) {
	tests := []struct {
		name     string
		parse    func([]byte) (string, error)
		body     string
		want     string
		wantCode s3api.ErrorCode
	}{
		{"payer", ParseRequestPayment, `<RequestPaymentConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Payer>Requester</Payer></RequestPaymentConfiguration>`, "Requester", ""},
		{"bad payer", ParseRequestPayment, `<RequestPaymentConfiguration><Payer>Nobody</Payer></RequestPaymentConfiguration>`, "", s3err.MalformedXML},
		{"no payer", ParseRequestPayment, `<RequestPaymentConfiguration/>`, "", s3err.MalformedXML},
		{"wrong root", ParseRequestPayment, `<AccelerateConfiguration><Payer>Requester</Payer></AccelerateConfiguration>`, "", s3err.MalformedXML},
		{"accelerate", ParseAccelerate, `<AccelerateConfiguration><Status>Suspended</Status></AccelerateConfiguration>`, "Suspended", ""},
		{"bad status", ParseAccelerate, `<AccelerateConfiguration><Status>enabled</Status></AccelerateConfiguration>`, "", s3err.MalformedXML},
		{"extra element", ParseAccelerate, `<AccelerateConfiguration><Status>Enabled</Status><Status>Enabled</Status></AccelerateConfiguration>`, "", s3err.MalformedXML},
		{"ownership", ParseOwnershipControls, `<OwnershipControls xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule><ObjectOwnership>BucketOwnerEnforced</ObjectOwnership></Rule></OwnershipControls>`, BucketOwnerEnforced, ""},
		{"two rules", ParseOwnershipControls, `<OwnershipControls><Rule><ObjectOwnership>ObjectWriter</ObjectOwnership></Rule><Rule><ObjectOwnership>ObjectWriter</ObjectOwnership></Rule></OwnershipControls>`, "", s3err.MalformedXML},
		{"bad ownership", ParseOwnershipControls, `<OwnershipControls><Rule><ObjectOwnership>Me</ObjectOwnership></Rule></OwnershipControls>`, "", s3err.MalformedXML},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.parse([]byte(tt.body))
			checkErr(t, err, tt.wantCode, "")
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	for _, round := range []struct {
		parse func([]byte) (string, error)
		doc   []byte
		want  string
	}{
		{ParseRequestPayment, EncodeRequestPayment("BucketOwner"), "BucketOwner"},
		{ParseAccelerate, EncodeAccelerate("Enabled"), "Enabled"},
		{ParseOwnershipControls, EncodeOwnershipControls(ObjectWriter), ObjectWriter},
	} {
		if got, err := round.parse(round.doc); err != nil || got != round.want {
			t.Errorf("parse(%s) = %q, %v; want %q", round.doc, got, err, round.want)
		}
	}
	if got := string(EncodeAccelerate("")); !strings.HasSuffix(got, `<AccelerateConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></AccelerateConfiguration>`) {
		t.Errorf("EncodeAccelerate(\"\") = %s", got)
	}
	checkErr(t, CheckAccelerateBucket("a.b"), s3err.InvalidRequest, "periods")
	checkErr(t, CheckAccelerateBucket("ab"), "", "")
	checkErr(t, CheckObjectOwnership("ObjectWriter"), "", "")
	checkErr(t, CheckObjectOwnership("Mine"), s3err.InvalidArgument, "")
}

func TestParsePublicAccessBlock(t *testing.T) {
	p, err := ParsePublicAccessBlock([]byte(`<PublicAccessBlockConfiguration><BlockPublicAcls>true</BlockPublicAcls><RestrictPublicBuckets>1</RestrictPublicBuckets></PublicAccessBlockConfiguration>`))
	if err != nil {
		t.Fatal(err)
	}
	want := &PublicAccessBlock{BlockPublicAcls: true, RestrictPublicBuckets: true}
	if diff := cmp.Diff(want, p); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	again, err := ParsePublicAccessBlock(p.Encode())
	if err != nil || *again != *p {
		t.Errorf("round trip = %+v, %v", again, err)
	}
	if !strings.Contains(string(p.Encode()), "<IgnorePublicAcls>false</IgnorePublicAcls>") {
		t.Errorf("Encode() leaves out a false setting: %s", p.Encode())
	}
	_, err = ParsePublicAccessBlock([]byte(`<PublicAccessBlockConfiguration><BlockPublicAcls>maybe</BlockPublicAcls></PublicAccessBlockConfiguration>`))
	checkErr(t, err, s3err.MalformedXML, "")
}
