package sigv4

import (
	"fmt"
	"time"

	"github.com/mocks3/mocks3/internal/s3err"
	"github.com/mocks3/mocks3/s3api"
)

// S3's messages, as real S3 sends them (recorded responses), not as the
// error table of the documentation words them.
const (
	msgOneMechanism = "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, " +
		"Signature query string parameter or the Authorization header should be specified"
	msgNoSpace         = "Authorization header is invalid -- one and only one ' ' (space) required"
	msgUnsupportedType = "Unsupported Authorization Type"
	msgNoDate          = "AWS authentication requires a valid Date or x-amz-date header"
	msgMechanism       = "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256."
	msgHeaderMalformed = "The authorization header is malformed; "
	msgComponents      = "the authorization header requires three components: Credential, SignedHeaders, and Signature."
	msgQueryCredential = "Error parsing the X-Amz-Credential parameter; "
	msgCredentialShape = `the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`
	msgEmptyRegion     = "a non-empty region must be provided in the credential."
	msgEmptyAccessKey  = "a non-empty Access Key (AKID) must be provided in the credential."
	msgHeaderDate      = "Invalid credential date. Date is not the same as X-Amz-Date."
	msgQueryAlgorithm  = `X-Amz-Algorithm only supports "AWS4-HMAC-SHA256 and AWS4-ECDSA-P256-SHA256"`
	msgQueryParams     = "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, " +
		"X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters."
	msgQueryDateFormat = `X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`
	msgExpiresNumber   = "X-Amz-Expires should be a number"
	msgExpiresNegative = "X-Amz-Expires must be non-negative"
	msgExpiresWeek     = "X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds"
	msgExpired         = "Request has expired"
	msgNotYetValid     = "Request is not yet valid"
	msgUnsigned        = "There were headers present in the request which were not signed"
	msgMissingSHA256   = "Missing required header for this request: x-amz-content-sha256"
	msgBadSHA256       = "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, " +
		"STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, " +
		"STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER or a valid sha256 value."
	msgV2Header    = "AWS authorization header is invalid.  Expected AwsAccessKeyId:signature"
	msgV2Query     = "Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters"
	msgV2BadExpiry = "Invalid date (should be seconds since epoch): %s"
	msgBadQuery    = "The query string is not valid percent-encoding."
)

// serverTimeLayout is how S3 writes ServerTime and Expires in error bodies.
const serverTimeLayout = "2006-01-02T15:04:05Z"

// maxSkew is how far a request's time may be from the server's.
const maxSkew = 15 * time.Minute

// maxExpires is the longest X-Amz-Expires S3 takes: seven days.
const maxExpires = 7 * 24 * 60 * 60

func authError(code s3api.ErrorCode, msg string, extra ...s3err.ExtraElement) *s3err.Error {
	return &s3err.Error{Code: code, Message: msg, Extra: extra}
}

func el(name, value string) s3err.ExtraElement { return s3err.ExtraElement{Name: name, Value: value} }

func headerMalformed(msg string, extra ...s3err.ExtraElement) *s3err.Error {
	return authError(s3err.AuthorizationHeaderMalformed, msgHeaderMalformed+msg, extra...)
}

func queryError(msg string, extra ...s3err.ExtraElement) *s3err.Error {
	return authError(s3err.AuthorizationQueryParametersError, msg, extra...)
}

func invalidArgument(msg, name, value string) *s3err.Error {
	if value == "" {
		return authError(s3err.InvalidArgument, msg, el("ArgumentName", name))
	}
	return authError(s3err.InvalidArgument, msg, el("ArgumentName", name), el("ArgumentValue", value))
}

func accessDenied(msg string, extra ...s3err.ExtraElement) *s3err.Error {
	return authError(s3err.AccessDenied, msg, extra...)
}

func unknownKey(accessKey string) *s3err.Error {
	return authError(s3err.InvalidAccessKeyID, s3err.InvalidAccessKeyID.Message(), el("AWSAccessKeyId", accessKey))
}

func invalidToken(token string) *s3err.Error {
	return authError(s3err.InvalidToken, s3err.InvalidToken.Message(), el("Token-0", token))
}

func tooSkewed(requestTime string, now time.Time) *s3err.Error {
	return authError(s3err.RequestTimeTooSkewed, s3err.RequestTimeTooSkewed.Message(),
		el("RequestTime", requestTime), el("ServerTime", now.UTC().Format(serverTimeLayout)),
		el("MaxAllowedSkewMilliseconds", fmt.Sprint(maxSkew.Milliseconds())))
}

// mismatch is SignatureDoesNotMatch with what S3 adds for debugging a
// signer: the string it signed and, for SigV4, the canonical request.
func mismatch(accessKey, toSign, provided, canonical string) *s3err.Error {
	e := authError(s3err.SignatureDoesNotMatch, s3err.SignatureDoesNotMatch.Message(),
		el("AWSAccessKeyId", accessKey), el("StringToSign", toSign), el("SignatureProvided", provided),
		el("StringToSignBytes", hexBytes(toSign)))
	if canonical != "" {
		e.Extra = append(e.Extra, el("CanonicalRequest", canonical), el("CanonicalRequestBytes", hexBytes(canonical)))
	}
	return e
}

// chunkMismatch is SignatureDoesNotMatch for a chunk or trailer of a
// streaming body.
func chunkMismatch(toSign, provided string) *s3err.Error {
	return authError(s3err.SignatureDoesNotMatch, s3err.SignatureDoesNotMatch.Message(),
		el("StringToSign", toSign), el("SignatureProvided", provided), el("StringToSignBytes", hexBytes(toSign)))
}

func sha256Mismatch(client, computed string) *s3err.Error {
	return authError(s3err.XAmzContentSHA256Mismatch, s3err.XAmzContentSHA256Mismatch.Message(),
		el("ClientComputedContentSHA256", client), el("S3ComputedContentSHA256", computed))
}
