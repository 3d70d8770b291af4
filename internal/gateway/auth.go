// Authentication: who signed a request, verified by internal/sigv4.

package gateway

import (
	"context"
	"net/http"

	"github.com/mocks3/mocks3/internal/sigv4"
	"github.com/mocks3/mocks3/s3api"
)

// Identity is a user requests may be signed as.
type Identity struct {
	Name      string
	AccessKey string
	SecretKey string
}

// AuthConfig turns signature verification on.
type AuthConfig struct {
	// Identities are the users. The first owns the buckets created
	// without a signed request (seeding).
	Identities []Identity
	// AllowV2 accepts Signature Version 2, header and query.
	AllowV2 bool
}

// auth is a handler's verification state; read-only once built.
type auth struct {
	verifier sigv4.Verifier
	byKey    map[string]Identity
	first    string // name of the first identity
}

// newAuth returns the verification state for cfg, or nil when cfg turns
// nothing on. With no identity every signed request is refused.
func newAuth(h *Handler, cfg *AuthConfig) *auth {
	if cfg == nil {
		return nil
	}
	a := &auth{byKey: make(map[string]Identity, len(cfg.Identities))}
	if len(cfg.Identities) > 0 {
		a.first = cfg.Identities[0].Name
	}
	for _, id := range cfg.Identities {
		a.byKey[id.AccessKey] = id
	}
	a.verifier = sigv4.Verifier{
		Region:  h.cfg.Region,
		Now:     h.cfg.Now,
		AllowV2: cfg.AllowV2,
		Secret: func(accessKey string) (string, bool) {
			id, ok := a.byKey[accessKey]
			return id.SecretKey, ok
		},
		HostBucket: h.hostBucket,
	}
	return a
}

type chunkVerifierKey struct{}

// chunkVerifierFrom returns the verifier of r's signed aws-chunked body,
// or nil.
func chunkVerifierFrom(ctx context.Context) chunkVerifier {
	v, _ := ctx.Value(chunkVerifierKey{}).(*sigv4.ChunkVerifier)
	if v == nil {
		return nil
	}
	return v
}

// authenticate verifies r's signature and returns who signed it, with the
// request to serve: its body now checks the payload the client signed.
// A request without a signature is refused; anonymous access by ACL or
// policy is not offered.
func (h *Handler) authenticate(r *http.Request) (*http.Request, Identity, error) {
	res, err := h.auth.verifier.Verify(r)
	if err != nil {
		return r, Identity{}, err
	}
	if res.AccessKey == "" {
		return r, Identity{}, newError(s3api.ErrAccessDenied)
	}
	id := h.auth.byKey[res.AccessKey]
	if res.Chunks != nil {
		r = r.WithContext(context.WithValue(r.Context(), chunkVerifierKey{}, res.Chunks))
	}
	return r, id, nil
}
