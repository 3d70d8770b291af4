//go:build clientmatrix

package clientmatrix

import "testing"

// TestBinary runs every client against the cmd/mocks3 binary started with
// -auth, a -user key pair and -sigv2, the clients keeping their default
// signing configuration (SigV2 presigned URLs where that is their default).
func TestBinary(t *testing.T) {
	tg := startBinary(t, "-auth", "-user", accessKey+":"+secretKey, "-sigv2")
	f := writeFiles(t)
	for _, c := range clients {
		t.Run(c.name, func(t *testing.T) { runMatrix(t, tg, "bin-"+c.name, c.newDriver, f) })
	}
}
