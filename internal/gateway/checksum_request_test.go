package gateway

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/mocks3/mocks3/internal/s3err"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/suitetest"
	"github.com/mocks3/mocks3/s3api"
)

func TestChecksumAlgorithmOf(t *testing.T) {
	const (
		crc32Hello  = "DUoRhQ==" // CRC32("hello world")
		invalidSDK  = "Value for x-amz-sdk-checksum-algorithm header is invalid."
		sdkNoSum    = "x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found."
		multiple    = "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed."
		badTrailer  = "The value specified in the x-amz-trailer header is not supported"
		xxh64Hello  = "RatnNLIeaWg="
		sha512Hello = "MJ7MSJwS1utMxA9QyQLytNDtd+5RGnx6m808qG1M2G+YndNbxf9JlnDaNCVbRbDP2DDoH2Bdz33FVC6TrpzXbw=="
	)
	tests := []struct {
		name    string
		header  http.Header
		want    checksumAlgorithm
		wantErr string
	}{
		{name: "none", header: http.Header{}},
		{name: "header", header: http.Header{"X-Amz-Checksum-Crc32": {crc32Hello}}, want: checksumCRC32},
		{name: "XXHASH64 header", header: http.Header{"X-Amz-Checksum-Xxhash64": {xxh64Hello}}, want: checksumXXHASH64},
		{name: "trailer", header: http.Header{"X-Amz-Trailer": {"x-amz-checksum-sha512"}}, want: checksumSHA512},
		{name: "trailer of unknown algorithm", header: http.Header{"X-Amz-Trailer": {"x-amz-checksum-sha384"}}, wantErr: badTrailer},
		{name: "algorithm and header agree", header: http.Header{"X-Amz-Checksum-Crc32": {crc32Hello}, "X-Amz-Sdk-Checksum-Algorithm": {"crc32"}}, want: checksumCRC32},
		{name: "algorithm and trailer agree", header: http.Header{"X-Amz-Trailer": {"x-amz-checksum-xxhash3"}, "X-Amz-Sdk-Checksum-Algorithm": {"XXHASH3"}}, want: checksumXXHASH3},
		{name: "algorithm and header disagree", header: http.Header{"X-Amz-Checksum-Sha512": {sha512Hello}, "X-Amz-Sdk-Checksum-Algorithm": {"CRC32"}}, wantErr: invalidSDK},
		{name: "algorithm and trailer disagree", header: http.Header{"X-Amz-Trailer": {"x-amz-checksum-crc64nvme"}, "X-Amz-Sdk-Checksum-Algorithm": {"SHA1"}}, wantErr: invalidSDK},
		{name: "unknown algorithm", header: http.Header{"X-Amz-Checksum-Crc32": {crc32Hello}, "X-Amz-Sdk-Checksum-Algorithm": {"SHA384"}}, wantErr: invalidSDK},
		{name: "algorithm alone", header: http.Header{"X-Amz-Sdk-Checksum-Algorithm": {"CRC32"}}, wantErr: sdkNoSum},
		{name: "two checksums", header: http.Header{"X-Amz-Checksum-Crc32": {crc32Hello}, "X-Amz-Checksum-Xxhash64": {xxh64Hello}}, wantErr: multiple},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &http.Request{Header: tt.header}
			got, err := checksumAlgorithmOf(r)
			if tt.wantErr != "" {
				var e *s3err.Error
				if !errors.As(err, &e) || e.Code != s3err.InvalidRequest || e.Message != tt.wantErr {
					t.Fatalf("checksumAlgorithmOf(%v) = %q, %v, want InvalidRequest %q", tt.header, got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("checksumAlgorithmOf(%v) = %q, %v, want %q, nil", tt.header, got, err, tt.want)
			}
		})
	}
}

func TestChecksumAllowsType(t *testing.T) {
	for _, a := range checksumAlgorithms {
		crc := a == checksumCRC32 || a == checksumCRC32C || a == checksumCRC64NVME
		if got := a.allowsType(checksumFullObject); got != crc {
			t.Errorf("%s.allowsType(FULL_OBJECT) = %v, want %v", a, got, crc)
		}
		if got, want := a.allowsType(checksumComposite), a != checksumCRC64NVME; got != want {
			t.Errorf("%s.allowsType(COMPOSITE) = %v, want %v", a, got, want)
		}
		if a.allowsType("full_object") || a.allowsType("") {
			t.Errorf("%s allows a type that is not FULL_OBJECT or COMPOSITE", a)
		}
		wantDefault := checksumComposite
		if a == checksumCRC64NVME {
			wantDefault = checksumFullObject
		}
		if got := a.defaultType(); got != wantDefault {
			t.Errorf("%s.defaultType() = %q, want %q", a, got, wantDefault)
		}
	}
	if checksumAlgorithm("SHA384").allowsType(checksumComposite) {
		t.Errorf("an unknown algorithm allows COMPOSITE")
	}
}

// TestObjectHasherTwoAlgorithms: a part of an upload without an algorithm
// verifies what the client sent and keeps the default checksum.
func TestObjectHasherTwoAlgorithms(t *testing.T) {
	data := suitetest.Content(19, 40000)
	for _, pair := range [][2]checksumAlgorithm{
		{checksumCRC32, defaultChecksum}, {checksumXXHASH128, defaultChecksum}, {checksumMD5, defaultChecksum},
		{defaultChecksum, defaultChecksum}, {"", defaultChecksum},
	} {
		h := newObjectHasher(pair[0], pair[1])
		h.Write(data[:1000])
		h.Write(data[1000:])
		for _, a := range pair {
			want := ""
			if a != "" {
				want = checksumOf(a, data)
			}
			if got := h.checksum(a); got != want {
				t.Errorf("newObjectHasher(%q, %q).checksum(%q) = %q, want %q", pair[0], pair[1], a, got, want)
			}
		}
		if got := h.checksum(checksumSHA1); got != "" {
			t.Errorf("newObjectHasher(%q, %q).checksum(SHA1) = %q, want none", pair[0], pair[1], got)
		}
	}
}

func TestCheckCompleteChecksum(t *testing.T) {
	full := backend.Upload{ChecksumAlgorithm: "CRC32", ChecksumType: checksumFullObject}
	composite := backend.Upload{ChecksumAlgorithm: "SHA256", ChecksumType: checksumComposite}
	fullSum := backend.Checksum{Algorithm: "CRC32", Value: "DUoRhQ==", Type: checksumFullObject}
	compSum := backend.Checksum{Algorithm: "SHA256", Value: "uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=-2", Type: checksumComposite}
	defSum := backend.Checksum{Algorithm: "CRC64NVME", Value: "jSnVw/bqjr4=", Type: checksumFullObject}
	tests := []struct {
		name     string
		header   http.Header
		up       backend.Upload
		sum      backend.Checksum
		wantCode s3api.ErrorCode // "" for none
	}{
		{"nothing asserted", http.Header{}, full, fullSum, ""},
		{"same type", http.Header{"X-Amz-Checksum-Type": {"FULL_OBJECT"}}, full, fullSum, ""},
		{"other type", http.Header{"X-Amz-Checksum-Type": {"COMPOSITE"}}, full, fullSum, s3err.InvalidRequest},
		{"implicit upload is FULL_OBJECT", http.Header{"X-Amz-Checksum-Type": {"FULL_OBJECT"}}, backend.Upload{}, defSum, ""},
		{"implicit upload is not COMPOSITE", http.Header{"X-Amz-Checksum-Type": {"COMPOSITE"}}, backend.Upload{}, defSum, s3err.InvalidRequest},
		{"right value", http.Header{"X-Amz-Checksum-Crc32": {"DUoRhQ=="}}, full, fullSum, ""},
		{"wrong value", http.Header{"X-Amz-Checksum-Crc32": {"AAAAAA=="}}, full, fullSum, s3err.BadDigest},
		{"other algorithm's header ignored", http.Header{"X-Amz-Checksum-Sha1": {"AAAA"}}, full, fullSum, ""},
		{"composite with suffix", http.Header{"X-Amz-Checksum-Sha256": {compSum.Value}}, composite, compSum, ""},
		{"composite without suffix", http.Header{"X-Amz-Checksum-Sha256": {strings.TrimSuffix(compSum.Value, "-2")}}, composite, compSum, ""},
		{"composite wrong", http.Header{"X-Amz-Checksum-Sha256": {"AAAA-2"}}, composite, compSum, s3err.BadDigest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkCompleteChecksum(tt.header, tt.up, tt.sum)
			var e *s3err.Error
			switch {
			case tt.wantCode == "" && err != nil:
				t.Errorf("checkCompleteChecksum(%v) = %v, want nil", tt.header, err)
			case tt.wantCode != "" && (!errors.As(err, &e) || e.Code != tt.wantCode):
				t.Errorf("checkCompleteChecksum(%v) = %v, want %s", tt.header, err, tt.wantCode)
			}
		})
	}
}

// FuzzChecksumHeaders feeds arbitrary checksum headers to the header
// parsers: each answers an algorithm it supports or an InvalidRequest,
// never a panic.
func FuzzChecksumHeaders(f *testing.F) {
	f.Add("x-amz-checksum-crc32", "DUoRhQ==", "CRC32", "")
	f.Add("x-amz-checksum-xxhash128", "340J6T+HSQCpm4d1zBW2xw==", "", "")
	f.Add("x-amz-checksum-sha512", "abc", "SHA512", "")
	f.Add("", "", "crc64nvme", "x-amz-checksum-crc64nvme")
	f.Add("x-amz-checksum-md5", "", "md5", "x-amz-checksum-md5, x-amz-checksum-sha1")
	f.Fuzz(func(t *testing.T, name, value, sdkAlg, trailer string) {
		h := http.Header{}
		if name != "" {
			h[http.CanonicalHeaderKey(name)] = []string{value}
		}
		if sdkAlg != "" {
			h.Set("X-Amz-Sdk-Checksum-Algorithm", sdkAlg)
		}
		if trailer != "" {
			h.Set("X-Amz-Trailer", trailer)
		}
		a, err := checksumAlgorithmOf(&http.Request{Header: h})
		if err != nil {
			var e *s3err.Error
			if !errors.As(err, &e) || e.Code != s3err.InvalidRequest {
				t.Fatalf("checksumAlgorithmOf(%v) = %v, want an InvalidRequest", h, err)
			}
			return
		}
		if a != "" && a.newHash() == nil {
			t.Fatalf("checksumAlgorithmOf(%v) = unsupported %q", h, a)
		}
		_ = checkCompleteChecksum(h, backend.Upload{ChecksumAlgorithm: string(a), ChecksumType: checksumFullObject},
			backend.Checksum{Algorithm: string(a), Value: value})
	})
}
