package gateway

import (
	"reflect"

	"github.com/mocks3/mocks3/backend"
)

// checksumXML is how checksums appear in XML bodies: one element per
// algorithm.
type checksumXML struct {
	ChecksumCRC32     string `xml:",omitempty"`
	ChecksumCRC32C    string `xml:",omitempty"`
	ChecksumCRC64NVME string `xml:",omitempty"`
	ChecksumSHA1      string `xml:",omitempty"`
	ChecksumSHA256    string `xml:",omitempty"`
	ChecksumSHA512    string `xml:",omitempty"`
	ChecksumMD5       string `xml:",omitempty"`
	ChecksumXXHASH64  string `xml:",omitempty"`
	ChecksumXXHASH3   string `xml:",omitempty"`
	ChecksumXXHASH128 string `xml:",omitempty"`
}

func toChecksumXML(c backend.Checksum) checksumXML {
	var x checksumXML
	if p := x.field(checksumAlgorithm(c.Algorithm)); p != nil {
		*p = c.Value
	}
	return x
}

// field returns the element of a's value: each is named Checksum and the
// algorithm's name. nil for an algorithm S3 does not know.
func (x *checksumXML) field(a checksumAlgorithm) *string {
	if _, ok := algorithmSpecs[a]; !ok {
		return nil
	}
	return reflect.ValueOf(x).Elem().FieldByName("Checksum" + string(a)).Addr().Interface().(*string)
}

// get returns the value given for a, or "".
func (x checksumXML) get(a checksumAlgorithm) string {
	if p := x.field(a); p != nil {
		return *p
	}
	return ""
}
