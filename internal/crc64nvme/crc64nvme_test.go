package crc64nvme

import (
	"encoding/base64"
	"fmt"
	"hash/crc64"
	"math/rand/v2"
	"testing"
)

func randomBytes(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// TestVectors: the CRC catalogue's check value, and the SDK's own test
// vector for "hello world".
func TestVectors(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", "AAAAAAAAAAA="},
		{"123456789", "rosUhgp5mIg="}, // 0xae8b14860a799888
		{"hello world", "jSnVw/bqjr4="},
	} {
		d := New()
		d.Write([]byte(tt.in))
		if got := base64.StdEncoding.EncodeToString(d.Sum(nil)); got != tt.want {
			t.Errorf("CRC-64/NVME(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

// TestMatchesStdlib compares the slicing-by-8 CRC-64/NVME with what the SDK
// computes: crc64 with the SDK's table.
func TestMatchesStdlib(t *testing.T) {
	table := crc64.MakeTable(Poly)
	data := randomBytes(10, 5000)
	r := rand.New(rand.NewPCG(11, 11))
	for range 300 {
		n := r.IntN(len(data))
		in := data[:n]
		h := New()
		for len(in) > 0 { // uneven writes exercise the tail loop
			k := min(len(in), 1+r.IntN(100))
			h.Write(in[:k])
			in = in[k:]
		}
		if got, want := h.Sum64(), crc64.Checksum(data[:n], table); got != want {
			t.Fatalf("CRC-64/NVME of %d bytes = %#x, want %#x", n, got, want)
		}
	}
}

// BenchmarkCRC64NVME compares Digest with what the SDK uses, hash/crc64
// with a custom table, at a few write sizes.
func BenchmarkCRC64NVME(b *testing.B) {
	for _, n := range []int{512, 4 << 10, 32 << 10} {
		data := randomBytes(18, n)
		b.Run(fmt.Sprintf("hash-crc64/%d", n), func(b *testing.B) {
			h := crc64.New(crc64.MakeTable(Poly))
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for b.Loop() {
				h.Write(data)
			}
		})
		b.Run(fmt.Sprintf("Digest/%d", n), func(b *testing.B) {
			h := New()
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for b.Loop() {
				h.Write(data)
			}
		})
	}
}
