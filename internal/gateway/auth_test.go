package gateway

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"hash"
	"hash/crc32"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7/pkg/signer"

	"github.com/mocks3/mocks3/backend/memory"
	"github.com/mocks3/mocks3/internal/objects"
)

const (
	authKey    = "AKIDGATEWAY"
	authSecret = "gateway-secret"
	authHost   = "127.0.0.1:9000"
)

var authTime = time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)

// newAuthHandler returns a handler that authenticates requests against
// one identity, with its clock stopped at authTime and a bucket "bkt", and
// its object store.
func newAuthHandler(tb testing.TB) (*Handler, *objects.Store) {
	tb.Helper()
	b := memory.New()
	tb.Cleanup(func() { b.Close() })
	store := objects.New(objects.Config{Metadata: b, Storage: b})
	h := New(Config{Objects: store, MinPartSize: 1, Now: func() time.Time { return authTime },
		Auth: &AuthConfig{Identities: []Identity{{Name: "alice", AccessKey: authKey, SecretKey: authSecret}}}})
	if err := store.EnsureBucket(context.Background(), "bkt"); err != nil {
		tb.Fatal(err)
	}
	return h, store
}

// sha256Hasher gives minio-go's streaming signer the standard library's
// SHA-256.
type sha256Hasher struct{ hash.Hash }

func (sha256Hasher) Close() {}

// minioStreaming returns the wire bytes and headers of a PUT signed chunk
// by chunk by minio-go (64 KiB chunks), with a signed CRC32 trailer if
// trailer is set.
func minioStreaming(t testing.TB, key string, body []byte, trailer bool) (http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest("PUT", "http://"+authHost+"/bkt/"+key, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if trailer {
		sum := binary.BigEndian.AppendUint32(nil, crc32.ChecksumIEEE(body))
		req.Trailer = http.Header{"x-amz-checksum-crc32": {base64.StdEncoding.EncodeToString(sum)}}
	}
	req = signer.StreamingSignV4(req, authKey, authSecret, "", "us-east-1", int64(len(body)), authTime, sha256Hasher{sha256.New()})
	wire, err := io.ReadAll(req.Body)
	if err != nil {
		t.Fatal(err)
	}
	return req.Header, wire
}

func serveSigned(h *Handler, key string, hdr http.Header, wire []byte) *httptest.ResponseRecorder {
	r := httptest.NewRequest("PUT", "/bkt/"+key, bytes.NewReader(wire))
	r.Host = authHost
	for k, v := range hdr {
		r.Header[k] = v
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// TestSignedChunks: minio-go's chunk-signed uploads, with and without a
// signed trailer, are stored; tampering with a chunk, a chunk signature,
// the trailer or its signature is SignatureDoesNotMatch and stores
// nothing.
func TestSignedChunks(t *testing.T) {
	body := bytes.Repeat([]byte("0123456789abcdef"), 10000) // three chunks
	tests := []struct {
		name    string
		trailer bool
		tamper  func(wire []byte) []byte
		status  int
	}{
		{"signed", false, nil, 200},
		{"signed trailer", true, nil, 200},
		{"data byte", false, func(w []byte) []byte { i := bytes.Index(w, []byte("\r\n")) + 100; w[i] ^= 1; return w }, 403},
		{"last chunk data", true, func(w []byte) []byte { i := bytes.LastIndex(w, []byte("0123")); w[i] = 'x'; return w }, 403},
		{"chunk signature", false, func(w []byte) []byte {
			i := bytes.Index(w, []byte("chunk-signature=")) + len("chunk-signature=")
			w[i] = flipHex(w[i])
			return w
		}, 403},
		{"chunk without signature", false, func(w []byte) []byte {
			i := bytes.Index(w, []byte(";chunk-signature="))
			return append(w[:i:i], w[i+len(";chunk-signature=")+64:]...)
		}, 403},
		{"trailer value", true, func(w []byte) []byte {
			return bytes.Replace(w, []byte("x-amz-checksum-crc32:"), []byte("x-amz-checksum-crc32:A"), 1)
		}, 403},
		{"trailer signature", true, func(w []byte) []byte {
			i := bytes.Index(w, []byte("x-amz-trailer-signature:")) + len("x-amz-trailer-signature:")
			w[i] = flipHex(w[i])
			return w
		}, 403},
		{"trailer signature missing", true, func(w []byte) []byte {
			i := bytes.Index(w, []byte("x-amz-trailer-signature:"))
			return append(w[:i:i], "\r\n"...)
		}, 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, store := newAuthHandler(t)
			hdr, wire := minioStreaming(t, "k", body, tt.trailer)
			if tt.tamper != nil {
				wire = tt.tamper(wire)
			}
			w := serveSigned(h, "k", hdr, wire)
			if w.Code != tt.status {
				t.Fatalf("PUT = %d %s, want %d", w.Code, w.Body, tt.status)
			}
			_, got, err := store.ReadObject(context.Background(), "bkt", "k")
			if tt.status == 200 {
				if err != nil || !bytes.Equal(got, body) {
					t.Errorf("GetObject = %d bytes, %v; want the %d bytes sent", len(got), err, len(body))
				}
				return
			}
			if err == nil {
				t.Errorf("GetObject found an object after a refused PUT")
			}
			if tt.status == 403 && !strings.Contains(w.Body.String(), "<Code>SignatureDoesNotMatch</Code>") {
				t.Errorf("body = %s, want SignatureDoesNotMatch", w.Body)
			}
		})
	}
}

func flipHex(c byte) byte {
	if c == '0' {
		return '1'
	}
	return '0'
}

// TestAuthAnonymous: with authentication on, a request without a
// signature is AccessDenied.
func TestAuthAnonymous(t *testing.T) {
	h, _ := newAuthHandler(t)
	w := serve(h, "GET", "/bkt/k", nil)
	if w.Code != 403 || !strings.Contains(w.Body.String(), "<Code>AccessDenied</Code>") {
		t.Errorf("anonymous GET = %d %s, want 403 AccessDenied", w.Code, w.Body)
	}
}

// FuzzSignedChunkedReader: whatever the body of a chunk-signed request,
// the decoder with its verifier never panics and never accepts bytes that
// were not signed.
func FuzzSignedChunkedReader(f *testing.F) {
	h, _ := newAuthHandler(f)
	body := []byte("hello, signed world")
	hdr, wire := minioStreaming(f, "k", body, false)
	f.Add(wire)
	thdr, twire := minioStreaming(f, "k", body, true)
	f.Add(twire)
	f.Add([]byte("0;chunk-signature=" + strings.Repeat("a", 64) + "\r\n\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, hd := range []http.Header{hdr, thdr} {
			r := httptest.NewRequest("PUT", "/bkt/k", bytes.NewReader(data))
			r.Host = authHost
			for k, v := range hd {
				r.Header[k] = v
			}
			r, _, err := h.authenticate(r)
			if err != nil {
				t.Fatal(err)
			}
			cr := newChunkedReader(r.Body)
			cr.verify = chunkVerifierFrom(r.Context())
			got, err := io.ReadAll(cr)
			if err == nil && !bytes.Equal(got, body) {
				t.Fatalf("decoded %q without error, want only the signed %q", got, body)
			}
		}
	})
}
