// S3 additional checksums (x-amz-checksum-*), including the COMPOSITE and
// FULL_OBJECT checksums of multipart uploads:
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html

package gateway

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"net/http"
	"strconv"
	"strings"

	"github.com/cespare/xxhash/v2"
	"github.com/zeebo/xxh3"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/crc64nvme"
)

// checksumAlgorithm is an S3 checksum algorithm, spelled as S3 spells it in
// x-amz-checksum-algorithm and ChecksumAlgorithm elements.
type checksumAlgorithm string

const (
	checksumCRC32     checksumAlgorithm = "CRC32"
	checksumCRC32C    checksumAlgorithm = "CRC32C"
	checksumCRC64NVME checksumAlgorithm = "CRC64NVME"
	checksumSHA1      checksumAlgorithm = "SHA1"
	checksumSHA256    checksumAlgorithm = "SHA256"
	checksumSHA512    checksumAlgorithm = "SHA512"
	checksumMD5       checksumAlgorithm = "MD5"
	checksumXXHASH64  checksumAlgorithm = "XXHASH64"
	checksumXXHASH3   checksumAlgorithm = "XXHASH3"
	checksumXXHASH128 checksumAlgorithm = "XXHASH128"
)

// defaultChecksum is what S3 computes for an object written without a
// checksum (its default data-integrity protection since 2025).
const defaultChecksum = checksumCRC64NVME

// checksumAlgorithms is every supported algorithm, in the order of the
// SDK's ChecksumAlgorithm enum.
var checksumAlgorithms = [...]checksumAlgorithm{
	checksumCRC32, checksumCRC32C, checksumSHA1, checksumSHA256, checksumCRC64NVME,
	checksumSHA512, checksumMD5, checksumXXHASH64, checksumXXHASH3, checksumXXHASH128,
}

// algorithmSpec is what the gateway knows of an algorithm.
type algorithmSpec struct {
	header  string // the header that carries a value
	size    int    // of the raw digest
	newHash func() hash.Hash
	// crcPoly is the reversed polynomial of a CRC algorithm, whose
	// multipart checksum can be FULL_OBJECT; 0 for the others.
	crcPoly uint64
	// fullOnly marks an algorithm whose multipart checksum is FULL_OBJECT
	// only (CRC64NVME).
	fullOnly bool
}

var algorithmSpecs = map[checksumAlgorithm]algorithmSpec{
	checksumCRC32:     {"x-amz-checksum-crc32", crc32.Size, func() hash.Hash { return crc32.NewIEEE() }, crc32.IEEE, false},
	checksumCRC32C:    {"x-amz-checksum-crc32c", crc32.Size, newCRC32C, crc32.Castagnoli, false},
	checksumCRC64NVME: {"x-amz-checksum-crc64nvme", 8, func() hash.Hash { return crc64nvme.New() }, crc64nvme.Poly, true},
	checksumSHA1:      {"x-amz-checksum-sha1", sha1.Size, sha1.New, 0, false},
	checksumSHA256:    {"x-amz-checksum-sha256", sha256.Size, sha256.New, 0, false},
	checksumSHA512:    {"x-amz-checksum-sha512", sha512.Size, sha512.New, 0, false},
	checksumMD5:       {"x-amz-checksum-md5", md5.Size, md5.New, 0, false},
	checksumXXHASH64:  {"x-amz-checksum-xxhash64", 8, func() hash.Hash { return xxhash.New() }, 0, false},
	checksumXXHASH3:   {"x-amz-checksum-xxhash3", 8, func() hash.Hash { return xxh3.New() }, 0, false},
	checksumXXHASH128: {"x-amz-checksum-xxhash128", 16, func() hash.Hash { return &xxh128{xxh3.New()} }, 0, false},
}

// newCRC32C returns a CRC-32C hash. MakeTable caches the Castagnoli table,
// and crc32 uses the CPU's CRC32 instruction for it.
func newCRC32C() hash.Hash { return crc32.New(crc32.MakeTable(crc32.Castagnoli)) }

// xxh128 is XXH3-128 as a hash.Hash, its digest in the canonical
// (big-endian) byte order, as xxh3's own Sum is for XXH3-64.
type xxh128 struct{ h *xxh3.Hasher }

func (d *xxh128) Write(p []byte) (int, error) { return d.h.Write(p) }
func (d *xxh128) Reset()                      { d.h.Reset() }
func (d *xxh128) Size() int                   { return 16 }
func (d *xxh128) BlockSize() int              { return d.h.BlockSize() }

func (d *xxh128) Sum(b []byte) []byte {
	s := d.h.Sum128().Bytes()
	return append(b, s[:]...)
}

// errInvalidChecksumHeader is matched by every error requestChecksum
// returns. Their Error() is the message S3 sends with InvalidRequest.
var errInvalidChecksumHeader = errors.New("invalid x-amz-checksum- header")

// errInvalidChecksum wraps errors about a malformed checksum value given to
// compositeChecksum or combineFullObjectCRC.
var errInvalidChecksum = errors.New("invalid checksum value")

// checksumHeaderError is an InvalidRequest error whose text is S3's message.
type checksumHeaderError string

func (e checksumHeaderError) Error() string        { return string(e) }
func (e checksumHeaderError) Is(target error) bool { return target == errInvalidChecksumHeader }

// parseChecksumAlgorithm parses an algorithm name in any case.
func parseChecksumAlgorithm(s string) (checksumAlgorithm, bool) {
	for _, a := range checksumAlgorithms {
		if strings.EqualFold(s, string(a)) {
			return a, true
		}
	}
	return "", false
}

// header returns the header that carries a's checksum, or "" if a is not a
// supported algorithm.
func (a checksumAlgorithm) header() string { return algorithmSpecs[a].header }

// size returns the length of a's raw digest, or 0 for an unknown algorithm.
func (a checksumAlgorithm) size() int { return algorithmSpecs[a].size }

// newHash returns a new hash for a, or nil for an unknown algorithm.
func (a checksumAlgorithm) newHash() hash.Hash {
	if s, ok := algorithmSpecs[a]; ok {
		return s.newHash()
	}
	return nil
}

// allowsType reports whether a multipart upload with algorithm a may have
// checksum type t: FULL_OBJECT needs a CRC, whose part values combine, and
// CRC64NVME is FULL_OBJECT only.
func (a checksumAlgorithm) allowsType(t string) bool {
	s := algorithmSpecs[a]
	switch t {
	case checksumFullObject:
		return s.crcPoly != 0
	case checksumComposite:
		return s.newHash != nil && !s.fullOnly
	}
	return false
}

// defaultType is the checksum type of a multipart upload that names
// algorithm a and no type.
func (a checksumAlgorithm) defaultType() string {
	if algorithmSpecs[a].fullOnly {
		return checksumFullObject
	}
	return checksumComposite
}

// The checksum types of x-amz-checksum-type and ChecksumType elements.
const (
	checksumFullObject = "FULL_OBJECT"
	checksumComposite  = "COMPOSITE"
)

// encodeChecksum encodes a raw digest as S3 sends it: standard base64.
func encodeChecksum(sum []byte) string {
	return base64.StdEncoding.EncodeToString(sum)
}

// decodeChecksum decodes a base64 checksum of algorithm a, requiring the
// canonical encoding of a digest of the right length.
func decodeChecksum(a checksumAlgorithm, s string) ([]byte, error) {
	n := a.size()
	if n == 0 {
		return nil, fmt.Errorf("%w: unknown algorithm %q", errInvalidChecksum, a)
	}
	if len(s) != base64.StdEncoding.EncodedLen(n) {
		return nil, fmt.Errorf("%w: %s checksum %q", errInvalidChecksum, a, s)
	}
	sum, err := base64.StdEncoding.Strict().DecodeString(s)
	if err != nil || len(sum) != n {
		return nil, fmt.Errorf("%w: %s checksum %q", errInvalidChecksum, a, s)
	}
	return sum, nil
}

// requestChecksum returns the checksum a request carries in its one
// x-amz-checksum-<algorithm> header, or "", "", nil if it carries none.
// x-amz-checksum-algorithm, -type and -mode are not checksum values and are
// ignored, as are headers for algorithms S3 does not define here. Two
// checksum headers, even empty ones, or a value that is not the base64 of a
// digest of the algorithm's length is an InvalidRequest error, worded as S3
// words it.
func requestChecksum(h http.Header) (alg checksumAlgorithm, value string, err error) {
	for _, a := range checksumAlgorithms {
		vs := h.Values(a.header())
		if len(vs) == 0 {
			continue
		}
		if alg != "" || len(vs) > 1 {
			return "", "", checksumHeaderError("Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.")
		}
		alg, value = a, vs[0]
	}
	if alg == "" {
		return "", "", nil
	}
	if _, err := decodeChecksum(alg, value); err != nil {
		return "", "", checksumHeaderError("Value for " + alg.header() + " header is invalid.")
	}
	return alg, value, nil
}

// compositeChecksum returns the COMPOSITE checksum of a multipart upload:
// the checksum of the concatenated raw part checksums, then "-" and the part
// count, as S3 reports it.
func compositeChecksum(a checksumAlgorithm, partSums []string) (string, error) {
	h := a.newHash()
	if h == nil {
		return "", fmt.Errorf("%w: unknown algorithm %q", errInvalidChecksum, a)
	}
	if len(partSums) == 0 {
		return "", fmt.Errorf("%w: no parts", errInvalidChecksum)
	}
	for i, s := range partSums {
		sum, err := decodeChecksum(a, s)
		if err != nil {
			return "", fmt.Errorf("part %d: %w", i+1, err)
		}
		h.Write(sum)
	}
	var buf [sha512.Size]byte
	return encodeChecksum(h.Sum(buf[:0])) + "-" + strconv.Itoa(len(partSums)), nil
}

// crcPart is one part of a FULL_OBJECT multipart checksum: the part's
// base64 CRC and its length in bytes.
type crcPart struct {
	sum  string
	size int64
}

// combineFullObjectCRC returns the FULL_OBJECT checksum of a multipart
// upload: the CRC of the concatenated parts, computed from the parts' CRCs
// and sizes without the data. Only the CRC algorithms can be combined.
func combineFullObjectCRC(a checksumAlgorithm, parts []crcPart) (string, error) {
	poly := algorithmSpecs[a].crcPoly
	if poly == 0 {
		return "", fmt.Errorf("%w: %q checksums cannot be combined", errInvalidChecksum, a)
	}
	width := a.size()
	top := uint64(1) << (8*width - 1) // x^0 in the reflected representation
	var crc uint64                    // the CRC of no bytes
	for i, p := range parts {
		sum, err := decodeChecksum(a, p.sum)
		if err != nil {
			return "", fmt.Errorf("part %d: %w", i+1, err)
		}
		if p.size < 0 {
			return "", fmt.Errorf("%w: part %d has size %d", errInvalidChecksum, i+1, p.size)
		}
		var v uint64
		if width == 4 {
			v = uint64(binary.BigEndian.Uint32(sum))
		} else {
			v = binary.BigEndian.Uint64(sum)
		}
		crc = crcCombine(crc, v, uint64(p.size), poly, top)
	}
	var buf [8]byte
	binary.BigEndian.PutUint64(buf[:], crc)
	return encodeChecksum(buf[8-width:]), nil
}

// crcCombine returns CRC(A‖B) from crc1 = CRC(A), crc2 = CRC(B) and len2 =
// len(B), for a reflected CRC with all-ones initial value and final XOR
// (CRC-32, CRC-32C and CRC-64/NVME all are): CRC(A‖B) = CRC(A)·x^(8·len2) +
// CRC(B) over GF(2) modulo the polynomial. This is zlib's crc32_combine,
// with x^(8·len2) found by square-and-multiply and widened to 64 bits.
func crcCombine(crc1, crc2, len2, poly, top uint64) uint64 {
	return crcMulMod(crcXPow8n(len2, poly, top), crc1, poly, top) ^ crc2
}

// crcMulMod multiplies a and b modulo the polynomial, both in the reflected
// representation where top is x^0.
func crcMulMod(a, b, poly, top uint64) uint64 {
	var p uint64
	for m := top; m != 0; m >>= 1 {
		if a&m != 0 {
			p ^= b
		}
		if b&1 != 0 {
			b = b>>1 ^ poly
		} else {
			b >>= 1
		}
	}
	return p
}

// crcXPow8n returns x^(8n) modulo the polynomial.
func crcXPow8n(n, poly, top uint64) uint64 {
	r, b := top, top>>8 // x^0, x^8
	for ; n != 0; n >>= 1 {
		if n&1 != 0 {
			r = crcMulMod(r, b, poly, top)
		}
		b = crcMulMod(b, b, poly, top)
	}
	return r
}

// objectHasher computes an object's MD5 (for its ETag) and up to two
// additional checksums in a single pass, as an io.Writer: the one a request
// carries, to verify it, and the one stored when that is another (a part
// of an upload without an algorithm keeps the default CRC64NVME whatever
// the client sent).
type objectHasher struct {
	md5  hash.Hash
	algs [2]checksumAlgorithm
	sums [2]hash.Hash // nil where algs is "" or MD5, which md5 computes
}

// newObjectHasher returns a hasher for MD5 and each algorithm of algs that
// is not "" (at most two). Each must be a supported algorithm.
func newObjectHasher(algs ...checksumAlgorithm) *objectHasher {
	h := &objectHasher{md5: md5.New()}
	n := 0
	for _, a := range algs {
		if a == "" || a == h.algs[0] || a == h.algs[1] {
			continue
		}
		h.algs[n] = a
		if a != checksumMD5 {
			h.sums[n] = a.newHash()
		}
		n++
	}
	return h
}

// Write never fails.
func (h *objectHasher) Write(p []byte) (int, error) {
	h.md5.Write(p)
	for _, s := range h.sums {
		if s != nil {
			s.Write(p)
		}
	}
	return len(p), nil
}

// md5Sum returns the raw MD5 of what was written.
func (h *objectHasher) md5Sum() []byte {
	return h.md5.Sum(make([]byte, 0, md5.Size))
}

// checksum returns the base64 a checksum of what was written, or "" if the
// hasher does not compute a.
func (h *objectHasher) checksum(a checksumAlgorithm) string {
	for i, b := range h.algs {
		if a == "" || a != b {
			continue
		}
		if h.sums[i] == nil {
			return encodeChecksum(h.md5Sum())
		}
		var buf [sha512.Size]byte
		return encodeChecksum(h.sums[i].Sum(buf[:0]))
	}
	return ""
}

// fullObject returns the checksum of algorithm a of what was written, as a
// single-part object's; the zero Checksum if the hasher does not compute a.
func (h *objectHasher) fullObject(a checksumAlgorithm) backend.Checksum {
	v := h.checksum(a)
	if v == "" {
		return backend.Checksum{}
	}
	return backend.Checksum{Algorithm: string(a), Value: v, Type: checksumFullObject}
}
