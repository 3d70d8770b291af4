// Access decisions for requests by someone other than the bucket owner:
// "How Amazon S3 authorizes a request"
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/how-s3-evaluates-access-control.html),
// the action names of
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html
// and the ACL permissions of
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#permissions.

package gateway

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/bucketconfig"
	"github.com/mocks3/mocks3/internal/s3op"
	"github.com/mocks3/mocks3/s3api"
)

// access is what an operation needs in a policy and in ACLs.
type access struct {
	action string // S3 action; with a versionId, versionAction if set
	// versionAction is the action on a given version (s3:GetObjectVersion).
	versionAction string
	object        bool // acts on an object: the resource is bucket/key
	// perm is the ACL permission that grants it, "" when no ACL does;
	// objectACL says it is the object's ACL that grants it, else the
	// bucket's.
	perm      string
	objectACL bool
}

// accessTable maps each operation a non-owner may be granted to its S3
// action. An operation missing here is the bucket owner's alone: S3
// grants bucket configuration to the owner account. A copy is also
// decided on its source (openCopySource) and DeleteObjects key by key
// (deleteObjects).
var accessTable = map[s3api.Operation]access{
	s3op.ListObjects:             {action: "s3:ListBucket", perm: "READ"},
	s3op.ListObjectsV2:           {action: "s3:ListBucket", perm: "READ"},
	s3op.HeadBucket:              {action: "s3:ListBucket", perm: "READ"},
	s3op.ListObjectVersions:      {action: "s3:ListBucketVersions", perm: "READ"},
	s3op.ListMultipartUploads:    {action: "s3:ListBucketMultipartUploads", perm: "READ"},
	s3op.GetBucketLocation:       {action: "s3:GetBucketLocation"},
	s3op.GetBucketAcl:            {action: "s3:GetBucketAcl", perm: "READ_ACP"},
	s3op.PutBucketAcl:            {action: "s3:PutBucketAcl", perm: "WRITE_ACP"},
	s3op.GetObject:               {action: "s3:GetObject", versionAction: "s3:GetObjectVersion", object: true, perm: "READ", objectACL: true},
	s3op.HeadObject:              {action: "s3:GetObject", versionAction: "s3:GetObjectVersion", object: true, perm: "READ", objectACL: true},
	s3op.GetObjectAttributes:     {action: "s3:GetObjectAttributes", versionAction: "s3:GetObjectVersionAttributes", object: true},
	s3op.GetObjectAcl:            {action: "s3:GetObjectAcl", versionAction: "s3:GetObjectVersionAcl", object: true, perm: "READ_ACP", objectACL: true},
	s3op.PutObjectAcl:            {action: "s3:PutObjectAcl", versionAction: "s3:PutObjectVersionAcl", object: true, perm: "WRITE_ACP", objectACL: true},
	s3op.GetObjectTagging:        {action: "s3:GetObjectTagging", versionAction: "s3:GetObjectVersionTagging", object: true},
	s3op.PutObjectTagging:        {action: "s3:PutObjectTagging", versionAction: "s3:PutObjectVersionTagging", object: true},
	s3op.DeleteObjectTagging:     {action: "s3:DeleteObjectTagging", versionAction: "s3:DeleteObjectVersionTagging", object: true},
	s3op.PutObject:               {action: "s3:PutObject", object: true, perm: "WRITE"},
	s3op.CreateMultipartUpload:   {action: "s3:PutObject", object: true, perm: "WRITE"},
	s3op.UploadPart:              {action: "s3:PutObject", object: true, perm: "WRITE"},
	s3op.CompleteMultipartUpload: {action: "s3:PutObject", object: true, perm: "WRITE"},
	s3op.PostObject:              {action: "s3:PutObject", object: true, perm: "WRITE"},
	s3op.AbortMultipartUpload:    {action: "s3:AbortMultipartUpload", object: true, perm: "WRITE"},
	s3op.ListParts:               {action: "s3:ListMultipartUploadParts", object: true},
	s3op.DeleteObject:            {action: "s3:DeleteObject", versionAction: "s3:DeleteObjectVersion", object: true, perm: "WRITE"},
	s3op.CopyObject:              {action: "s3:PutObject", object: true, perm: "WRITE"},
	s3op.UploadPartCopy:          {action: "s3:PutObject", object: true, perm: "WRITE"},
}

// subject is what an access decision is about: an operation on a bucket,
// or on one version of an object ("" for the current one).
type subject struct {
	op                     s3api.Operation
	bucket, key, versionID string
}

// subjectOf is what req itself acts on.
func subjectOf(r *http.Request, req *request) subject {
	return subject{op: req.op, bucket: req.bucket, key: req.key, versionID: versionOf(r)}
}

// policyOps may be called by the owner whatever the policy denies, as
// S3 lets the owner account's root user fix a policy that locks it out.
var policyOps = map[s3api.Operation]bool{
	s3op.GetBucketPolicy: true, s3op.PutBucketPolicy: true, s3op.DeleteBucketPolicy: true,
}

// accountID is an identity's 12-digit AWS account ID, stable for a name:
// each identity is an account of its own, so that a policy names it as
// arn:aws:iam::<account>:user/<name>, the account ID or
// arn:aws:iam::<account>:root.
func accountID(name string) string {
	sum := sha256.Sum256([]byte("mocks3 account " + name))
	return fmt.Sprintf("%012d", binary.BigEndian.Uint64(sum[:8])%1_000_000_000_000)
}

// UserARN is the IAM user ARN of the identity named name.
func UserARN(name string) string {
	return "arn:aws:iam::" + accountID(name) + ":user/" + name
}

// requester describes user's request r on t for access evaluation.
func (h *Handler) requester(r *http.Request, user Identity, t subject, acc access) bucketconfig.Requester {
	rq := bucketconfig.Requester{
		Action:          acc.action,
		Resource:        "arn:aws:s3:::" + t.bucket,
		Anonymous:       user.AccessKey == "",
		SecureTransport: r.TLS != nil,
	}
	if acc.object {
		rq.Resource += "/" + t.key
	}
	if acc.versionAction != "" && t.versionID != "" {
		rq.Action = acc.versionAction
	}
	if !rq.Anonymous {
		rq.Account = accountID(user.Name)
		rq.ARN = UserARN(user.Name)
		rq.CanonicalID = h.auth.ids[user.Name]
	}
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		rq.SourceIP, _ = netip.ParseAddr(host)
	}
	h.conditionKeys(&rq, r, user, t)
	return rq
}

// allowed decides user's request r on t: an explicit Deny in the bucket
// policy refuses it (the owner's policy calls excepted); else the owner,
// a policy Allow or an ACL grant lets it in. The public access block
// ignores public ACLs (IgnorePublicAcls) and keeps a public policy to the
// owner's account (RestrictPublicBuckets); ACLs count only when the
// bucket's Object Ownership is not BucketOwnerEnforced.
func (h *Handler) allowed(ctx context.Context, r *http.Request, user Identity, t subject, owner bool) (bool, error) {
	acc, ok := accessTable[t.op]
	if !ok {
		acc = access{action: "s3:" + string(t.op)}
	}
	doc, err := h.bucketConfig(ctx, t.bucket, "policy")
	if err != nil {
		return false, err
	}
	var policy *bucketconfig.Policy
	if doc != nil {
		if policy, err = h.auth.policies.Parse(t.bucket, doc); err != nil {
			return false, err
		}
	}
	if owner && (policyOps[t.op] || policy == nil) {
		return true, nil
	}
	if !owner && !ok {
		return false, nil
	}
	rq := h.requester(r, user, t, acc)
	if owner {
		return policy.Evaluate(rq, true) != bucketconfig.Denied, nil
	}
	pab, err := h.publicAccessBlock(ctx, t.bucket)
	if err != nil {
		return false, err
	}
	if policy != nil {
		switch policy.Evaluate(rq, !pab.RestrictPublicBuckets || !policy.IsPublic()) {
		case bucketconfig.Denied:
			return false, nil
		case bucketconfig.Allowed:
			return true, nil
		}
	}
	if acc.perm == "" {
		return false, nil
	}
	own, err := h.objectOwnership(ctx, t.bucket)
	if err != nil || own == bucketconfig.BucketOwnerEnforced {
		return false, err
	}
	a, err := h.grantingACL(ctx, t, acc)
	if err != nil || a == nil {
		return false, err
	}
	return a.Allows(acc.perm, rq, pab.IgnorePublicAcls), nil
}

// grantingACL returns the ACL that may grant acc: the object's (nil when
// the object is missing, so the request is refused as S3 refuses it to a
// caller without s3:ListBucket) or the bucket's.
func (h *Handler) grantingACL(ctx context.Context, t subject, acc access) (*bucketconfig.ACL, error) {
	var doc []byte
	if acc.objectACL {
		obj, err := h.store.Records().GetObject(ctx, t.bucket, t.key, t.versionID)
		if errors.Is(err, backend.ErrObjectNotFound) || errors.Is(err, backend.ErrVersionNotFound) || (err == nil && obj.DeleteMarker) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		doc = obj.ACL
	} else {
		var err error
		if doc, err = h.bucketConfig(ctx, t.bucket, "acl"); err != nil {
			return nil, err
		}
	}
	if doc == nil {
		return nil, nil
	}
	return bucketconfig.ParseACL(doc)
}
