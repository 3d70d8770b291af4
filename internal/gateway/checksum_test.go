package gateway

import (
	"crypto/md5"
	"errors"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"

	"github.com/mocks3/mocks3/internal/suitetest"
)

func TestParseChecksumAlgorithm(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		want   checksumAlgorithm
		wantOK bool
	}{
		{"CRC32", "CRC32", checksumCRC32, true},
		{"lower case", "crc32", checksumCRC32, true},
		{"mixed case CRC32C", "Crc32c", checksumCRC32C, true},
		{"CRC64NVME", "crc64nvme", checksumCRC64NVME, true},
		{"SHA1", "sha1", checksumSHA1, true},
		{"SHA256", "Sha256", checksumSHA256, true},
		{"SHA512", "sha512", checksumSHA512, true},
		{"MD5", "md5", checksumMD5, true},
		{"XXHASH64", "xxhash64", checksumXXHASH64, true},
		{"XXHASH3", "XxHash3", checksumXXHASH3, true},
		{"XXHASH128", "XXHASH128", checksumXXHASH128, true},
		{"empty", "", "", false},
		{"XXH3", "XXH3", "", false},
		{"SHA384", "SHA384", "", false},
		{"prefix", "CRC", "", false},
		{"hyphenated", "SHA-256", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := parseChecksumAlgorithm(tt.in)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("parseChecksumAlgorithm(%q) = %q, %v, want %q, %v", tt.in, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestChecksumAlgorithmHeader(t *testing.T) {
	tests := []struct {
		alg  checksumAlgorithm
		want string
	}{
		{checksumCRC32, "x-amz-checksum-crc32"},
		{checksumCRC32C, "x-amz-checksum-crc32c"},
		{checksumCRC64NVME, "x-amz-checksum-crc64nvme"},
		{checksumSHA1, "x-amz-checksum-sha1"},
		{checksumSHA256, "x-amz-checksum-sha256"},
		{checksumSHA512, "x-amz-checksum-sha512"},
		{checksumMD5, "x-amz-checksum-md5"},
		{checksumXXHASH64, "x-amz-checksum-xxhash64"},
		{checksumXXHASH3, "x-amz-checksum-xxhash3"},
		{checksumXXHASH128, "x-amz-checksum-xxhash128"},
		{"SHA384", ""},
	}
	for _, tt := range tests {
		t.Run(string(tt.alg), func(t *testing.T) {
			if got := tt.alg.header(); got != tt.want {
				t.Errorf("checksumAlgorithm(%q).header() = %q, want %q", tt.alg, got, tt.want)
			}
		})
	}
}

// TestNewHash checks each hash against the vectors the AWS SDK tests its own
// hashes with (service/internal/checksum algorithms_test.go, "hello world"),
// CRC-64/NVME against the CRC catalogue's check value, and the xxHash
// family against the reference implementation's digests of "hello world"
// (XXH64 45ab6734b21e6968, XXH3-64 d447b1ea40e6988b, XXH128
// df8d09e93f874900a99b8775cc15b6c7), in canonical big-endian order.
func TestNewHash(t *testing.T) {
	tests := []struct {
		alg  checksumAlgorithm
		in   string
		want string
	}{
		{checksumCRC32, "hello world", "DUoRhQ=="},
		{checksumCRC32C, "hello world", "yZRlqg=="},
		{checksumCRC64NVME, "hello world", "jSnVw/bqjr4="},
		{checksumSHA1, "hello world", "Kq5sNclPz7QV2+lfQIuc6R7oRu0="},
		{checksumSHA256, "hello world", "uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek="},
		{checksumSHA512, "hello world", "MJ7MSJwS1utMxA9QyQLytNDtd+5RGnx6m808qG1M2G+YndNbxf9JlnDaNCVbRbDP2DDoH2Bdz33FVC6TrpzXbw=="},
		{checksumMD5, "hello world", "XrY7u+Ae7tCTyyK7j1rNww=="},
		{checksumXXHASH64, "hello world", "RatnNLIeaWg="},
		{checksumXXHASH3, "hello world", "1Eex6kDmmIs="},
		{checksumXXHASH128, "hello world", "340J6T+HSQCpm4d1zBW2xw=="},
		{checksumCRC32, "", "AAAAAA=="},
		{checksumCRC64NVME, "", "AAAAAAAAAAA="},
		// CRC-64/NVME check value 0xae8b14860a799888.
		{checksumCRC64NVME, "123456789", "rosUhgp5mIg="},
	}
	for _, tt := range tests {
		t.Run(string(tt.alg)+"/"+tt.in, func(t *testing.T) {
			h := tt.alg.newHash()
			h.Write([]byte(tt.in))
			if got := encodeChecksum(h.Sum(nil)); got != tt.want {
				t.Errorf("%s(%q) = %q, want %q", tt.alg, tt.in, got, tt.want)
			}
			if got, want := h.Size(), tt.alg.size(); got != want {
				t.Errorf("%s Size() = %d, want %d", tt.alg, got, want)
			}
			h.Reset()
			h.Write([]byte(tt.in))
			if got := encodeChecksum(h.Sum(nil)); got != tt.want {
				t.Errorf("%s(%q) after Reset = %q, want %q", tt.alg, tt.in, got, tt.want)
			}
		})
	}
	if h := checksumAlgorithm("SHA384").newHash(); h != nil {
		t.Errorf("checksumAlgorithm(%q).newHash() = %T, want nil", "SHA384", h)
	}
}

func TestRequestChecksum(t *testing.T) {
	const (
		multiple = "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed."
		badCRC32 = "Value for x-amz-checksum-crc32 header is invalid."
	)
	tests := []struct {
		name      string
		header    map[string][]string // keys as given to Header.Add
		wantAlg   checksumAlgorithm
		wantValue string
		wantErr   string
	}{
		{name: "none"},
		{
			name:   "only algorithm, type and mode",
			header: map[string][]string{"x-amz-checksum-algorithm": {"CRC32"}, "x-amz-checksum-type": {"FULL_OBJECT"}, "x-amz-checksum-mode": {"ENABLED"}},
		},
		{
			name:   "algorithm S3 does not define here",
			header: map[string][]string{"x-amz-checksum-sha384": {"abc"}},
		},
		{
			name:    "bad SHA512",
			header:  map[string][]string{"x-amz-checksum-sha512": {"abc"}},
			wantErr: "Value for x-amz-checksum-sha512 header is invalid.",
		},
		{
			name:      "XXHASH128",
			header:    map[string][]string{"X-Amz-Checksum-Xxhash128": {"340J6T+HSQCpm4d1zBW2xw=="}},
			wantAlg:   checksumXXHASH128,
			wantValue: "340J6T+HSQCpm4d1zBW2xw==",
		},
		{
			name:    "MD5 and XXHASH64",
			header:  map[string][]string{"x-amz-checksum-md5": {"XrY7u+Ae7tCTyyK7j1rNww=="}, "x-amz-checksum-xxhash64": {"RatnNLIeaWg="}},
			wantErr: multiple,
		},
		{
			name:      "CRC32",
			header:    map[string][]string{"x-amz-checksum-crc32": {"i4HiUA=="}},
			wantAlg:   checksumCRC32,
			wantValue: "i4HiUA==",
		},
		{
			name:      "CRC32C with algorithm header",
			header:    map[string][]string{"x-amz-checksum-crc32c": {"yZRlqg=="}, "x-amz-sdk-checksum-algorithm": {"CRC32C"}},
			wantAlg:   checksumCRC32C,
			wantValue: "yZRlqg==",
		},
		{
			name:      "CRC64NVME",
			header:    map[string][]string{"X-Amz-Checksum-Crc64nvme": {"jSnVw/bqjr4="}},
			wantAlg:   checksumCRC64NVME,
			wantValue: "jSnVw/bqjr4=",
		},
		{
			name:      "SHA1",
			header:    map[string][]string{"x-amz-checksum-sha1": {"Kq5sNclPz7QV2+lfQIuc6R7oRu0="}},
			wantAlg:   checksumSHA1,
			wantValue: "Kq5sNclPz7QV2+lfQIuc6R7oRu0=",
		},
		{
			name:      "SHA256",
			header:    map[string][]string{"x-amz-checksum-sha256": {"uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek="}},
			wantAlg:   checksumSHA256,
			wantValue: "uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=",
		},
		{
			name:    "two algorithms",
			header:  map[string][]string{"x-amz-checksum-crc32": {"i4HiUA=="}, "x-amz-checksum-sha1": {"Kq5sNclPz7QV2+lfQIuc6R7oRu0="}},
			wantErr: multiple,
		},
		{
			name:    "two empty algorithms",
			header:  map[string][]string{"x-amz-checksum-crc32": {""}, "x-amz-checksum-crc32c": {""}},
			wantErr: multiple,
		},
		{
			name:    "one header twice",
			header:  map[string][]string{"x-amz-checksum-crc32": {"i4HiUA==", "i4HiUA=="}},
			wantErr: multiple,
		},
		{name: "empty value", header: map[string][]string{"x-amz-checksum-crc32": {""}}, wantErr: badCRC32},
		{name: "not base64", header: map[string][]string{"x-amz-checksum-crc32": {"i4HiUA!="}}, wantErr: badCRC32},
		{name: "no padding", header: map[string][]string{"x-amz-checksum-crc32": {"i4HiUA"}}, wantErr: badCRC32},
		{name: "non-zero padding bits", header: map[string][]string{"x-amz-checksum-crc32": {"i4HiUB=="}}, wantErr: badCRC32},
		{name: "SHA1 length", header: map[string][]string{"x-amz-checksum-crc32": {"Kq5sNclPz7QV2+lfQIuc6R7oRu0="}}, wantErr: badCRC32},
		{name: "hex", header: map[string][]string{"x-amz-checksum-crc32": {"8b81e250"}}, wantErr: badCRC32},
		{
			name:    "SHA256 too short",
			header:  map[string][]string{"x-amz-checksum-sha256": {"Kq5sNclPz7QV2+lfQIuc6R7oRu0="}},
			wantErr: "Value for x-amz-checksum-sha256 header is invalid.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for k, vs := range tt.header {
				for _, v := range vs {
					h.Add(k, v)
				}
			}
			alg, value, err := requestChecksum(h)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr || !errors.Is(err, errInvalidChecksumHeader) {
					t.Fatalf("requestChecksum(%v) error = %v, want %q matching errInvalidChecksumHeader", tt.header, err, tt.wantErr)
				}
				if alg != "" || value != "" {
					t.Errorf("requestChecksum(%v) = %q, %q with an error, want empty", tt.header, alg, value)
				}
				return
			}
			if err != nil || alg != tt.wantAlg || value != tt.wantValue {
				t.Errorf("requestChecksum(%v) = %q, %q, %v, want %q, %q, nil", tt.header, alg, value, err, tt.wantAlg, tt.wantValue)
			}
		})
	}
}

// checksumOf returns the base64 checksum of data.
func checksumOf(a checksumAlgorithm, data []byte) string {
	h := a.newHash()
	h.Write(data)
	return encodeChecksum(h.Sum(nil))
}

// splitParts cuts data into n parts of random sizes, some of them empty.
func splitParts(r *rand.Rand, data []byte, n int) [][]byte {
	cuts := make([]int, n-1)
	for i := range cuts {
		cuts[i] = r.IntN(len(data) + 1)
	}
	for i := range cuts { // sort; n is small
		for j := i + 1; j < len(cuts); j++ {
			if cuts[j] < cuts[i] {
				cuts[i], cuts[j] = cuts[j], cuts[i]
			}
		}
	}
	parts := make([][]byte, 0, n)
	prev := 0
	for _, c := range cuts {
		parts = append(parts, data[prev:c])
		prev = c
	}
	return append(parts, data[prev:])
}

func TestCompositeChecksum(t *testing.T) {
	data := suitetest.Content(12, 10000)
	parts := splitParts(rand.New(rand.NewPCG(13, 13)), data, 4)
	for _, a := range checksumAlgorithms {
		t.Run(string(a), func(t *testing.T) {
			var sums []string
			var raw []byte
			for _, p := range parts {
				sums = append(sums, checksumOf(a, p))
				h := a.newHash()
				h.Write(p)
				raw = h.Sum(raw)
			}
			want := checksumOf(a, raw) + "-4"
			got, err := compositeChecksum(a, sums)
			if err != nil || got != want {
				t.Errorf("compositeChecksum(%s, %q) = %q, %v, want %q, nil", a, sums, got, err, want)
			}
		})
	}
	// A one-part upload still gets its part count.
	if got, err := compositeChecksum(checksumCRC32, []string{"DUoRhQ=="}); err != nil || !strings.HasSuffix(got, "-1") {
		t.Errorf("compositeChecksum(CRC32, one part) = %q, %v, want a \"-1\" suffix", got, err)
	}
}

func TestCombineFullObjectCRC(t *testing.T) {
	data := suitetest.Content(14, 100000)
	r := rand.New(rand.NewPCG(15, 15))
	for _, a := range []checksumAlgorithm{checksumCRC32, checksumCRC32C, checksumCRC64NVME} {
		for _, n := range []int{1, 2, 3, 10, 50} {
			parts := splitParts(r, data, n)
			crcParts := make([]crcPart, len(parts))
			for i, p := range parts {
				crcParts[i] = crcPart{sum: checksumOf(a, p), size: int64(len(p))}
			}
			want := checksumOf(a, data)
			got, err := combineFullObjectCRC(a, crcParts)
			if err != nil || got != want {
				t.Errorf("combineFullObjectCRC(%s, %d parts) = %q, %v, want %q (CRC of the whole object)", a, n, got, err, want)
			}
		}
		if got, err := combineFullObjectCRC(a, nil); err != nil || got != checksumOf(a, nil) {
			t.Errorf("combineFullObjectCRC(%s, no parts) = %q, %v, want %q", a, got, err, checksumOf(a, nil))
		}
	}
	// A part past 4 GiB takes the square-and-multiply beyond 32 bits of
	// length: "a" then one 5 GiB part of zeros must combine like "a" then
	// 5120 parts of 1 MiB of zeros.
	for _, a := range []checksumAlgorithm{checksumCRC32, checksumCRC32C, checksumCRC64NVME} {
		zeros := make([]byte, 1<<20)
		mib := crcPart{sum: checksumOf(a, zeros), size: 1 << 20}
		parts := []crcPart{{sum: checksumOf(a, []byte("a")), size: 1}}
		for range 5 << 10 {
			parts = append(parts, mib)
		}
		want, err := combineFullObjectCRC(a, parts)
		if err != nil {
			t.Fatal(err)
		}
		zeroSum, err := combineFullObjectCRC(a, parts[1:])
		if err != nil {
			t.Fatal(err)
		}
		got, err := combineFullObjectCRC(a, []crcPart{parts[0], {sum: zeroSum, size: 5 << 30}})
		if err != nil || got != want {
			t.Errorf("combineFullObjectCRC(%s, \"a\" + 5 GiB part) = %q, %v, want %q from 5120 1 MiB parts", a, got, err, want)
		}
	}
}

// TestCombineErrors: part checksums that cannot be combined are
// errInvalidChecksum.
func TestCombineErrors(t *testing.T) {
	tests := []struct {
		name    string
		combine func() (string, error)
	}{
		{"composite/no parts", func() (string, error) { return compositeChecksum(checksumCRC32, nil) }},
		{"composite/unknown algorithm", func() (string, error) { return compositeChecksum("MD5", []string{"DUoRhQ=="}) }},
		{"composite/bad part", func() (string, error) { return compositeChecksum(checksumCRC32, []string{"DUoRhQ==", "nope"}) }},
		{"composite/wrong length part", func() (string, error) { return compositeChecksum(checksumSHA256, []string{"DUoRhQ=="}) }},
		{"full/SHA256", func() (string, error) {
			return combineFullObjectCRC(checksumSHA256, []crcPart{{checksumOf(checksumSHA256, nil), 0}})
		}},
		{"full/unknown", func() (string, error) { return combineFullObjectCRC("MD5", nil) }},
		{"full/negative size", func() (string, error) { return combineFullObjectCRC(checksumCRC32, []crcPart{{"DUoRhQ==", -1}}) }},
		{"full/bad sum", func() (string, error) { return combineFullObjectCRC(checksumCRC32, []crcPart{{"DUoRhQ", 11}}) }},
		{"full/CRC64 sum for CRC32", func() (string, error) {
			return combineFullObjectCRC(checksumCRC32, []crcPart{{"jSnVw/bqjr4=", 11}})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, err := tt.combine(); !errors.Is(err, errInvalidChecksum) {
				t.Errorf("%s = %q, %v, want an errInvalidChecksum", tt.name, got, err)
			}
		})
	}
}

func TestObjectHasher(t *testing.T) {
	data := suitetest.Content(16, 70000)
	wantMD5 := md5.Sum(data)
	algs := append([]checksumAlgorithm{""}, checksumAlgorithms[:]...)
	for _, a := range algs {
		t.Run("alg="+string(a), func(t *testing.T) {
			h := newObjectHasher(a)
			for in := data; len(in) > 0; {
				k := min(len(in), 32<<10-1)
				if n, err := h.Write(in[:k]); n != k || err != nil {
					t.Fatalf("Write(%d bytes) = %d, %v", k, n, err)
				}
				in = in[k:]
			}
			if got := h.md5Sum(); string(got) != string(wantMD5[:]) {
				t.Errorf("md5Sum() = %x, want %x", got, wantMD5)
			}
			want := ""
			if a != "" {
				want = checksumOf(a, data)
			}
			if got := h.checksum(a); got != want {
				t.Errorf("checksum(%q) = %q, want %q", a, got, want)
			}
			buf := data[:64<<10]
			if allocs := testing.AllocsPerRun(10, func() { h.Write(buf) }); allocs != 0 {
				t.Errorf("Write(64 KiB) allocates %v times, want 0", allocs)
			}
		})
	}
}

func BenchmarkObjectHasher(b *testing.B) {
	data := suitetest.Content(17, 1<<20)
	algs := append([]checksumAlgorithm{""}, checksumAlgorithms[:]...)
	for _, a := range algs {
		name := string(a)
		if name == "" {
			name = "MD5only"
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				h := newObjectHasher(a)
				h.Write(data)
				h.md5Sum()
				h.checksum(a)
			}
		})
	}
}
