// Browser-form uploads (POST Object) carry their signature in form fields:
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-authentication-HTTPPOST.html
// and, for Signature Version 2,
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/HTTPPOSTForms.html.
// What is signed is the policy field as sent.

package sigv4

import (
	"crypto/hmac"
	"encoding/hex"

	"github.com/mocks3/mocks3/internal/s3err"
)

// The fields of a signed form, spelled as S3 names them when one is
// missing, in the order S3 asks for them.
var (
	postFieldsV4 = []string{"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Signature"}
	postFieldsV2 = []string{"AWSAccessKeyId", "Signature"}
)

// missingField is S3's answer to a signed form that lacks one of the
// fields its signature needs.
func missingField(name string) error {
	return authError(s3err.InvalidArgument, "Bucket POST must contain a field named '"+name+"'.  If it is specified, please check the order of the fields.",
		el("ArgumentName", name), el("ArgumentValue", ""))
}

// VerifyPOST checks the signature of a POST Object form, whose fields
// field returns by name, in any case. A form without signature fields is
// anonymous: the access key is "" and the caller decides. The policy's
// own conditions are the caller's to check.
func (v *Verifier) VerifyPOST(field func(name string) (string, bool)) (accessKey string, err error) {
	present := func(names []string) bool {
		for _, n := range names {
			if _, ok := field(n); ok {
				return true
			}
		}
		return false
	}
	require := func(names ...string) error {
		for _, n := range names {
			if _, ok := field(n); !ok {
				return missingField(n)
			}
		}
		return nil
	}
	switch {
	case present(postFieldsV4):
		if err := require(append(postFieldsV4, "policy")...); err != nil {
			return "", err
		}
		return v.verifyPOSTV4(field)
	case present(postFieldsV2):
		if err := require(append(postFieldsV2, "policy")...); err != nil {
			return "", err
		}
		if !v.AllowV2 {
			return "", authError(s3err.InvalidRequest, msgMechanism)
		}
		return v.verifyPOSTV2(field)
	}
	return "", nil
}

func (v *Verifier) verifyPOSTV4(field func(string) (string, bool)) (string, error) {
	get := func(name string) string { s, _ := field(name); return s }
	switch alg := get("X-Amz-Algorithm"); alg {
	case algorithm:
	case algorithmV4a:
		return "", authError(s3err.InvalidRequest, msgMechanism)
	default:
		return "", invalidArgument(msgQueryAlgorithm, "X-Amz-Algorithm", alg)
	}
	rawCred := get("X-Amz-Credential")
	cred, msg, extra := v.parseCredential(rawCred)
	if msg != "" {
		e := invalidArgument(msg, "X-Amz-Credential", rawCred)
		e.Extra = append(e.Extra, extra...)
		return "", e
	}
	if date := get("X-Amz-Date"); !validAmzDate(date) {
		// S3's spelling.
		return "", invalidArgument("X-Amz-Date must be formated via ISO8601 Long format", "X-Amz-Date", date)
	}
	secret, ok := v.secret(cred.accessKey)
	if !ok {
		return "", unknownKey(cred.accessKey)
	}
	if tok, ok := field("X-Amz-Security-Token"); ok {
		return "", invalidToken(tok)
	}
	policy := get("policy")
	provided := get("X-Amz-Signature")
	want := hex.EncodeToString(hmacSHA256(signingKey(secret, cred.date, cred.region, service), policy))
	if !hmac.Equal([]byte(want), []byte(provided)) {
		return "", mismatch(cred.accessKey, policy, provided, "")
	}
	return cred.accessKey, nil
}

func validAmzDate(s string) bool {
	_, ok := parseAmzDate(s)
	return ok
}

func (v *Verifier) verifyPOSTV2(field func(string) (string, bool)) (string, error) {
	get := func(name string) string { s, _ := field(name); return s }
	accessKey := get("AWSAccessKeyId")
	tok, tokSent := field("X-Amz-Security-Token")
	if err := v.verifyV2(accessKey, get("policy"), get("Signature"), tok, tokSent); err != nil {
		return "", err
	}
	return accessKey, nil
}
