package mocks3

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/mocks3/mocks3/internal/gateway"
)

// identities lists the server's identities, the one Client signs as first:
// WithCredentials' (or the default keys when there is no WithUser), then
// each WithUser.
func identities(cfg *config) ([]gateway.Identity, error) {
	var ids []gateway.Identity
	if cfg.credentials || len(cfg.users) == 0 {
		ids = append(ids, gateway.Identity{Name: cfg.accessKey, AccessKey: cfg.accessKey, SecretKey: cfg.secretKey})
	}
	for _, u := range cfg.users {
		for _, id := range ids {
			if id.Name == u.name || id.AccessKey == u.accessKey {
				return nil, fmt.Errorf("WithUser: user %q or access key %q given twice (by WithUser or WithCredentials)", u.name, u.accessKey)
			}
		}
		ids = append(ids, gateway.Identity{Name: u.name, AccessKey: u.accessKey, SecretKey: u.secretKey})
	}
	return ids, nil
}

// authConfig is the gateway's authentication settings, nil without
// WithAuth.
func authConfig(cfg *config, ids []gateway.Identity) *gateway.AuthConfig {
	if !cfg.auth {
		return nil
	}
	return &gateway.AuthConfig{Identities: ids, AllowV2: cfg.sigV2}
}

// ClientFor returns an S3 client like Client's that signs as the identity
// named user (see WithUser; WithCredentials' identity is named by its
// access key). It panics if there is no such identity, a mistake in the
// test itself.
func (s *Server) ClientFor(user string, optFns ...func(*s3.Options)) *s3.Client {
	id := s.identity("ClientFor", user)
	signAs := func(o *s3.Options) {
		o.Credentials = credentials.NewStaticCredentialsProvider(id.AccessKey, id.SecretKey, "")
	}
	return s.Client(append([]func(*s3.Options){signAs}, optFns...)...)
}

// UserARN returns the ARN a bucket policy names the identity user by
// (see WithUser): arn:aws:iam::ACCOUNT:user/NAME, where each identity is
// an account of its own with a 12-digit ID fixed by its name. A policy
// may also name the account by its ID or as arn:aws:iam::ACCOUNT:root, and
// "*" names everyone, unsigned requests included. It panics if there is no
// such identity.
func (s *Server) UserARN(user string) string {
	return gateway.UserARN(s.identity("UserARN", user).Name)
}

// identity returns the identity named user, or panics naming the caller.
func (s *Server) identity(caller, user string) gateway.Identity {
	for _, id := range s.identities {
		if id.Name == user {
			return id
		}
	}
	panic(fmt.Sprintf("mocks3: %s(%q): no such user", caller, user))
}
