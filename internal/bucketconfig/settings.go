// The small bucket settings:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketEncryption.html,
// API_PutBucketLogging.html, API_PutBucketRequestPayment.html,
// API_PutBucketAccelerateConfiguration.html,
// API_PutBucketOwnershipControls.html, API_PutPublicAccessBlock.html.

package bucketconfig

import (
	"encoding/xml"
	"slices"
	"strconv"
	"strings"

	"github.com/mocks3/mocks3/internal/s3err"
)

// Encryption is a bucket's default server-side encryption.
type Encryption struct {
	Algorithm      string // AES256, aws:kms or aws:kms:dsse
	KMSMasterKeyID string
	BucketKey      *bool
}

type encryptionXML struct {
	XMLName xml.Name `xml:"ServerSideEncryptionConfiguration"`
	rootXML
	Rules []encryptRuleXML `xml:"Rule"`
}

type encryptRuleXML struct {
	Default   *sseDefaultXML `xml:"ApplyServerSideEncryptionByDefault"`
	BucketKey string         `xml:"BucketKeyEnabled,omitempty"`
	strictXML
}

type sseDefaultXML struct {
	Algorithm string `xml:"SSEAlgorithm"`
	KeyID     string `xml:"KMSMasterKeyID,omitempty"`
	strictXML
}

var sseAlgorithms = []string{"AES256", "aws:kms", "aws:kms:dsse"}

// ParseEncryption reads PutBucketEncryption's
// ServerSideEncryptionConfiguration document: one rule.
func ParseEncryption(body []byte) (*Encryption, error) {
	var doc encryptionXML
	if err := decodeXML(body, &doc); err != nil {
		return nil, err
	}
	if len(doc.Rules) != 1 || doc.Rules[0].Default == nil {
		return nil, malformedXML()
	}
	r := doc.Rules[0]
	e := &Encryption{Algorithm: r.Default.Algorithm, KMSMasterKeyID: r.Default.KeyID}
	if !slices.Contains(sseAlgorithms, e.Algorithm) {
		return nil, malformedXML()
	}
	if e.KMSMasterKeyID != "" && e.Algorithm == "AES256" {
		return nil, invalidArgument("a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse", "ApplyServerSideEncryptionByDefault", "")
	}
	if r.BucketKey != "" {
		b, ok := parseBool(r.BucketKey)
		if !ok {
			return nil, malformedXML()
		}
		e.BucketKey = &b
	}
	return e, nil
}

// Encode writes e as a ServerSideEncryptionConfiguration document.
func (e *Encryption) Encode() []byte {
	r := encryptRuleXML{Default: &sseDefaultXML{Algorithm: e.Algorithm, KeyID: e.KMSMasterKeyID}}
	if e.BucketKey != nil {
		r.BucketKey = strconv.FormatBool(*e.BucketKey)
	}
	return encodeXML(&encryptionXML{Rules: []encryptRuleXML{r}})
}

// DefaultEncryption is what GetBucketEncryption answers for a bucket
// never configured: since January 2023 every bucket encrypts new objects
// with SSE-S3 by default.
func DefaultEncryption() *Encryption {
	f := false
	return &Encryption{Algorithm: "AES256", BucketKey: &f}
}

// Logging is a bucket's server access logging target.
type Logging struct {
	TargetBucket string
	TargetPrefix string
	// TargetGrants and TargetObjectKeyFormat hold those elements'
	// content as sent, nil when absent.
	TargetGrants          []byte
	TargetObjectKeyFormat []byte
}

// innerXML keeps an element's content verbatim.
type innerXML struct {
	Inner []byte `xml:",innerxml"`
}

type loggingXML struct {
	XMLName xml.Name `xml:"BucketLoggingStatus"`
	rootXML
	Enabled *loggingEnabledXML `xml:"LoggingEnabled,omitempty"`
}

type loggingEnabledXML struct {
	TargetBucket          *string   `xml:"TargetBucket"`
	TargetPrefix          *string   `xml:"TargetPrefix"`
	TargetGrants          *innerXML `xml:"TargetGrants,omitempty"`
	TargetObjectKeyFormat *innerXML `xml:"TargetObjectKeyFormat,omitempty"`
	strictXML
}

// ParseLogging reads PutBucketLogging's BucketLoggingStatus document; an
// empty one turns logging off (a nil result).
func ParseLogging(body []byte) (*Logging, error) {
	var doc loggingXML
	if err := decodeXML(body, &doc); err != nil {
		return nil, err
	}
	if doc.Enabled == nil {
		return nil, nil
	}
	en := doc.Enabled
	if en.TargetBucket == nil || en.TargetPrefix == nil || *en.TargetBucket == "" {
		return nil, malformedXML()
	}
	l := &Logging{TargetBucket: *en.TargetBucket, TargetPrefix: *en.TargetPrefix}
	if en.TargetGrants != nil {
		l.TargetGrants = append([]byte{}, en.TargetGrants.Inner...)
	}
	if en.TargetObjectKeyFormat != nil {
		l.TargetObjectKeyFormat = append([]byte{}, en.TargetObjectKeyFormat.Inner...)
	}
	return l, nil
}

// EncodeLogging writes l as a BucketLoggingStatus document; nil writes
// the empty status of a bucket that does not log.
func EncodeLogging(l *Logging) []byte {
	var doc loggingXML
	if l != nil {
		b, p := l.TargetBucket, l.TargetPrefix
		doc.Enabled = &loggingEnabledXML{TargetBucket: &b, TargetPrefix: &p}
		if l.TargetGrants != nil {
			doc.Enabled.TargetGrants = &innerXML{Inner: l.TargetGrants}
		}
		if l.TargetObjectKeyFormat != nil {
			doc.Enabled.TargetObjectKeyFormat = &innerXML{Inner: l.TargetObjectKeyFormat}
		}
	}
	return encodeXML(&doc)
}

// oneValue is a document of one required enumerated element, such as
// RequestPaymentConfiguration's Payer.
type oneValue struct {
	root, elem string
	values     []string
}

func (o oneValue) parse(body []byte) (string, error) {
	// The root and element names vary, so any are read and then checked.
	var raw struct {
		XMLName xml.Name
		Inner   []struct {
			XMLName xml.Name
			Value   string `xml:",chardata"`
			strictXML
		} `xml:",any"`
	}
	if err := decodeXML(body, &raw); err != nil {
		return "", err
	}
	if raw.XMLName.Local != o.root || len(raw.Inner) != 1 || raw.Inner[0].XMLName.Local != o.elem {
		return "", malformedXML()
	}
	v := strings.TrimSpace(raw.Inner[0].Value)
	if !slices.Contains(o.values, v) {
		return "", malformedXML()
	}
	return v, nil
}

func (o oneValue) encode(v string) []byte {
	type elem struct {
		XMLName xml.Name
		Value   string `xml:",chardata"`
	}
	doc := struct {
		XMLName xml.Name
		rootXML
		Elems []elem
	}{XMLName: xml.Name{Local: o.root}}
	if v != "" {
		doc.Elems = []elem{{XMLName: xml.Name{Local: o.elem}, Value: v}}
	}
	return encodeXML(&doc)
}

var (
	requestPayment = oneValue{"RequestPaymentConfiguration", "Payer", []string{"Requester", "BucketOwner"}}
	accelerate     = oneValue{"AccelerateConfiguration", "Status", []string{"Enabled", "Suspended"}}
	ownership      = oneValue{"Rule", "ObjectOwnership", []string{"BucketOwnerPreferred", "ObjectWriter", "BucketOwnerEnforced"}}
)

// ParseRequestPayment reads PutBucketRequestPayment's document and
// returns its Payer (Requester or BucketOwner).
func ParseRequestPayment(body []byte) (string, error) { return requestPayment.parse(body) }

// EncodeRequestPayment writes a RequestPaymentConfiguration document.
func EncodeRequestPayment(payer string) []byte { return requestPayment.encode(payer) }

// ParseAccelerate reads PutBucketAccelerateConfiguration's document and
// returns its Status (Enabled or Suspended).
func ParseAccelerate(body []byte) (string, error) { return accelerate.parse(body) }

// EncodeAccelerate writes an AccelerateConfiguration document; status ""
// writes the empty document of a bucket never configured.
func EncodeAccelerate(status string) []byte { return accelerate.encode(status) }

// CheckAccelerateBucket refuses buckets S3 cannot accelerate: those with
// periods in their names.
func CheckAccelerateBucket(bucket string) error {
	if strings.Contains(bucket, ".") {
		return errorf(s3err.InvalidRequest, "S3 Transfer Acceleration is not supported for buckets with periods (.) in their names")
	}
	return nil
}

type ownershipXML struct {
	XMLName xml.Name `xml:"OwnershipControls"`
	rootXML
	Rules []innerXML `xml:"Rule"`
}

// Object ownership settings.
const (
	BucketOwnerEnforced  = "BucketOwnerEnforced"
	BucketOwnerPreferred = "BucketOwnerPreferred"
	ObjectWriter         = "ObjectWriter"
)

// ParseOwnershipControls reads PutBucketOwnershipControls's document and
// returns its one rule's ObjectOwnership.
func ParseOwnershipControls(body []byte) (string, error) {
	var doc ownershipXML
	if err := decodeXML(body, &doc); err != nil {
		return "", err
	}
	if len(doc.Rules) != 1 {
		return "", malformedXML()
	}
	return ownership.parse(append(append([]byte("<Rule>"), doc.Rules[0].Inner...), "</Rule>"...))
}

// CheckObjectOwnership validates CreateBucket's x-amz-object-ownership.
func CheckObjectOwnership(v string) error {
	if !slices.Contains(ownership.values, v) {
		return invalidArgument("Invalid x-amz-object-ownership header: "+v, "x-amz-object-ownership", v)
	}
	return nil
}

// EncodeOwnershipControls writes an OwnershipControls document.
func EncodeOwnershipControls(objectOwnership string) []byte {
	type rule struct {
		ObjectOwnership string
	}
	return encodeXML(&struct {
		XMLName xml.Name `xml:"OwnershipControls"`
		rootXML
		Rule rule
	}{Rule: rule{objectOwnership}})
}

// PublicAccessBlock is a bucket's public access block configuration.
type PublicAccessBlock struct {
	BlockPublicAcls       bool
	IgnorePublicAcls      bool
	BlockPublicPolicy     bool
	RestrictPublicBuckets bool
}

type pabXML struct {
	XMLName xml.Name `xml:"PublicAccessBlockConfiguration"`
	rootXML
	BlockPublicAcls       *string `xml:"BlockPublicAcls"`
	IgnorePublicAcls      *string `xml:"IgnorePublicAcls"`
	BlockPublicPolicy     *string `xml:"BlockPublicPolicy"`
	RestrictPublicBuckets *string `xml:"RestrictPublicBuckets"`
}

// ParsePublicAccessBlock reads PutPublicAccessBlock's document; an
// element left out is false.
func ParsePublicAccessBlock(body []byte) (*PublicAccessBlock, error) {
	var doc pabXML
	if err := decodeXML(body, &doc); err != nil {
		return nil, err
	}
	p := &PublicAccessBlock{}
	for _, f := range []struct {
		v   *string
		dst *bool
	}{
		{doc.BlockPublicAcls, &p.BlockPublicAcls}, {doc.IgnorePublicAcls, &p.IgnorePublicAcls},
		{doc.BlockPublicPolicy, &p.BlockPublicPolicy}, {doc.RestrictPublicBuckets, &p.RestrictPublicBuckets},
	} {
		if f.v == nil {
			continue
		}
		b, ok := parseBool(*f.v)
		if !ok {
			return nil, malformedXML()
		}
		*f.dst = b
	}
	return p, nil
}

// Encode writes p as a PublicAccessBlockConfiguration document, all four
// settings spelled out.
func (p *PublicAccessBlock) Encode() []byte {
	s := func(b bool) *string { v := strconv.FormatBool(b); return &v }
	return encodeXML(&pabXML{BlockPublicAcls: s(p.BlockPublicAcls), IgnorePublicAcls: s(p.IgnorePublicAcls),
		BlockPublicPolicy: s(p.BlockPublicPolicy), RestrictPublicBuckets: s(p.RestrictPublicBuckets)})
}
