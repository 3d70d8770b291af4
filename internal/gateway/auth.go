// Authentication: who signed a request, verified by internal/sigv4.

package gateway

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"

	"github.com/mocks3/mocks3/internal/s3err"
	"github.com/mocks3/mocks3/internal/s3op"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/bucketconfig"
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
	ids      map[string]string // canonical ID by identity name
	names    map[string]string // identity name by canonical ID
	// policies keeps each bucket's parsed policy: every request of an
	// authenticated server consults it.
	policies *bucketconfig.Memo[*bucketconfig.Policy]
	first    string // canonical ID of the first identity
}

// newAuth returns the verification state for cfg, or nil when cfg turns
// nothing on. With no identity every signed request is refused.
func newAuth(h *Handler, cfg *AuthConfig) *auth {
	if cfg == nil {
		return nil
	}
	a := &auth{byKey: make(map[string]Identity, len(cfg.Identities)), ids: make(map[string]string, len(cfg.Identities)),
		names:    make(map[string]string, len(cfg.Identities)),
		policies: bucketconfig.NewMemo(bucketconfig.ParseStoredPolicy)}
	for i, id := range cfg.Identities {
		a.byKey[id.AccessKey] = id
		a.ids[id.Name] = canonicalID(id.Name)
		if i == 0 {
			// The first identity is the account the server has always
			// had: its buckets and listings keep their owner.
			a.ids[id.Name] = defaultOwner.ID
			a.first = defaultOwner.ID
		}
		a.names[a.ids[id.Name]] = id.Name
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
// A request without a signature is anonymous: its Identity is the zero
// one, and authorize decides what it may do.
func (h *Handler) authenticate(r *http.Request) (*http.Request, Identity, error) {
	res, err := h.auth.verifier.Verify(r)
	if err != nil {
		return r, Identity{}, err
	}
	if res.AccessKey == "" {
		return r, Identity{}, nil
	}
	id := h.auth.byKey[res.AccessKey]
	if res.Chunks != nil {
		r = r.WithContext(context.WithValue(r.Context(), chunkVerifierKey{}, res.Chunks))
	}
	return r, id, nil
}

// canonicalID is an identity's S3 canonical user ID: 64 hex digits, stable
// for a name.
func canonicalID(name string) string {
	sum := sha256.Sum256([]byte("mocks3 identity " + name))
	return hex.EncodeToString(sum[:])
}

// ownerID is the canonical ID a bucket created by req belongs to; "" (the
// first identity) when requests are not authenticated.
func (h *Handler) ownerID(req *request) string {
	if h.auth == nil {
		return ""
	}
	return h.auth.ids[req.user.Name]
}

// bucketOwnerID is the canonical ID of b's owner.
func (h *Handler) bucketOwnerID(b backend.Bucket) string {
	switch {
	case h.auth == nil:
		return defaultOwner.ID
	case b.Owner == "":
		return h.auth.first
	}
	return b.Owner
}

// owns reports whether req's identity owns b. Buckets without an owner
// (seeded, or created before authentication was on) are the first
// identity's. Everyone owns everything when requests are not
// authenticated.
func (h *Handler) owns(req *request, b backend.Bucket) bool { return h.ownedBy(req.user, b) }

// ownedBy reports whether user, signed, owns b.
func (h *Handler) ownedBy(user Identity, b backend.Bucket) bool {
	if h.auth == nil {
		return true
	}
	return user.AccessKey != "" && h.bucketOwnerID(b) == h.auth.ids[user.Name]
}

// ownerXML is the Owner element of req's identity: the owner of what it
// creates.
func (h *Handler) ownerXML(req *request) owner {
	if h.auth == nil {
		return defaultOwner
	}
	return owner{ID: h.auth.ids[req.user.Name], DisplayName: req.user.Name}
}

// bucketOwner is the Owner element of bucket's owner, whoever asks. It
// owns the bucket's objects and uploads too, as under S3's default
// Object Ownership (BucketOwnerEnforced): objects do not record a writer.
func (h *Handler) bucketOwner(ctx context.Context, bucket string) (owner, error) {
	if h.auth == nil {
		return defaultOwner, nil
	}
	b, err := h.store.Records().GetBucket(ctx, bucket)
	if err != nil {
		return owner{}, s3Error(err, bucket, "")
	}
	id := h.bucketOwnerID(b)
	return owner{ID: id, DisplayName: h.auth.names[id]}, nil
}

// authorize refuses a request its identity may not make. The bucket owner
// may do anything its bucket policy does not deny; anyone else, anonymous
// included, what the policy or the ACLs grant (see allowed). Without a
// bucket, only a signed request may list its buckets or create one. A
// missing bucket is the operation's to report. DeleteObjects is decided
// key by key, in its result (deleteObjects).
func (h *Handler) authorize(ctx context.Context, r *http.Request, req *request) error {
	if req.bucket == "" || req.op == s3op.CreateBucket {
		if req.user.AccessKey == "" {
			return newError(s3err.AccessDenied)
		}
		return nil
	}
	if req.op == s3op.DeleteObjects {
		return nil
	}
	return h.authorizeOn(ctx, r, req.user, subjectOf(r, req))
}

// authorizeOn refuses user's request r on t when it is not allowed; a
// missing bucket is the operation's to report.
func (h *Handler) authorizeOn(ctx context.Context, r *http.Request, user Identity, t subject) error {
	b, err := h.store.Records().GetBucket(ctx, t.bucket)
	if errors.Is(err, backend.ErrBucketNotFound) {
		return nil
	}
	if err != nil {
		// A failed read decides nothing: the request is refused with it.
		return s3Error(err, t.bucket, "")
	}
	owner := h.ownedBy(user, b)
	ok, err := h.allowed(ctx, r, user, t, owner)
	if err == nil && ok && !owner && revealsMissing[t.op] {
		ok, err = h.mayLearnMissing(ctx, r, user, t)
	}
	if err != nil {
		return err
	}
	if !ok {
		return newError(s3err.AccessDenied)
	}
	return nil
}

// revealsMissing are the reads whose answer for a missing object depends
// on s3:ListBucket: NoSuchKey with it, AccessDenied without, so that a
// caller who may not list cannot learn which keys exist (API_GetObject).
var revealsMissing = map[s3api.Operation]bool{s3op.GetObject: true, s3op.HeadObject: true, s3op.GetObjectAttributes: true}

// mayLearnMissing reports whether user may learn that t's object is
// missing: true when it exists, else whether user may list the bucket
// with the key as prefix.
func (h *Handler) mayLearnMissing(ctx context.Context, r *http.Request, user Identity, t subject) (bool, error) {
	obj, err := h.store.Records().GetObject(ctx, t.bucket, t.key, t.versionID)
	switch {
	case err == nil && !obj.DeleteMarker:
		return true, nil
	case err != nil && !errors.Is(err, backend.ErrObjectNotFound) && !errors.Is(err, backend.ErrVersionNotFound):
		return false, err
	}
	return h.allowed(ctx, r, user, subject{op: s3op.ListObjectsV2, bucket: t.bucket, key: t.key}, false)
}
