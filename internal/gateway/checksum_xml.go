package gateway

import (
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

// field returns the element of a's value; nil for an algorithm S3 does
// not know.
func (x *checksumXML) field(a checksumAlgorithm) *string {
	switch a {
	case checksumCRC32:
		return &x.ChecksumCRC32
	case checksumCRC32C:
		return &x.ChecksumCRC32C
	case checksumCRC64NVME:
		return &x.ChecksumCRC64NVME
	case checksumSHA1:
		return &x.ChecksumSHA1
	case checksumSHA256:
		return &x.ChecksumSHA256
	case checksumSHA512:
		return &x.ChecksumSHA512
	case checksumMD5:
		return &x.ChecksumMD5
	case checksumXXHASH64:
		return &x.ChecksumXXHASH64
	case checksumXXHASH3:
		return &x.ChecksumXXHASH3
	case checksumXXHASH128:
		return &x.ChecksumXXHASH128
	}
	return nil
}

// get returns the value given for a, or "".
func (x checksumXML) get(a checksumAlgorithm) string {
	if p := x.field(a); p != nil {
		return *p
	}
	return ""
}
