// S3 error responses, as listed in
// https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html

package s3api

import (
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"

	"github.com/mocks3/mocks3/internal/s3xml"
)

// ErrorCode is an S3 error code such as "NoSuchKey".
type ErrorCode string

// The S3 error codes mocks3 answers with. Each is declared once, with its
// status and default message, in errorTable.
const (
	ErrAccessDenied                       ErrorCode = "AccessDenied"
	ErrAuthorizationHeaderMalformed       ErrorCode = "AuthorizationHeaderMalformed"
	ErrAuthorizationQueryParametersError  ErrorCode = "AuthorizationQueryParametersError"
	ErrBadDigest                          ErrorCode = "BadDigest"
	ErrBucketAlreadyExists                ErrorCode = "BucketAlreadyExists"
	ErrBucketAlreadyOwnedByYou            ErrorCode = "BucketAlreadyOwnedByYou"
	ErrBucketNotEmpty                     ErrorCode = "BucketNotEmpty"
	ErrEntityTooLarge                     ErrorCode = "EntityTooLarge"
	ErrEntityTooSmall                     ErrorCode = "EntityTooSmall"
	ErrIncompleteBody                     ErrorCode = "IncompleteBody"
	ErrInternalError                      ErrorCode = "InternalError"
	ErrInvalidAccessKeyID                 ErrorCode = "InvalidAccessKeyId"
	ErrInvalidArgument                    ErrorCode = "InvalidArgument"
	ErrInvalidBucketName                  ErrorCode = "InvalidBucketName"
	ErrInvalidDigest                      ErrorCode = "InvalidDigest"
	ErrInvalidLocationConstraint          ErrorCode = "InvalidLocationConstraint"
	ErrInvalidPart                        ErrorCode = "InvalidPart"
	ErrInvalidPartOrder                   ErrorCode = "InvalidPartOrder"
	ErrInvalidPartNumber                  ErrorCode = "InvalidPartNumber"
	ErrInvalidPolicyDocument              ErrorCode = "InvalidPolicyDocument"
	ErrInvalidRange                       ErrorCode = "InvalidRange"
	ErrInvalidRedirectLocation            ErrorCode = "InvalidRedirectLocation"
	ErrInvalidRequest                     ErrorCode = "InvalidRequest"
	ErrInvalidStorageClass                ErrorCode = "InvalidStorageClass"
	ErrInvalidToken                       ErrorCode = "InvalidToken"
	ErrInvalidURI                         ErrorCode = "InvalidURI"
	ErrKeyTooLong                         ErrorCode = "KeyTooLongError"
	ErrMalformedPOSTRequest               ErrorCode = "MalformedPOSTRequest"
	ErrMalformedXML                       ErrorCode = "MalformedXML"
	ErrMaxPostPreDataLengthExceeded       ErrorCode = "MaxPostPreDataLengthExceeded"
	ErrMetadataTooLarge                   ErrorCode = "MetadataTooLarge"
	ErrMethodNotAllowed                   ErrorCode = "MethodNotAllowed"
	ErrMissingContentLength               ErrorCode = "MissingContentLength"
	ErrNoSuchBucket                       ErrorCode = "NoSuchBucket"
	ErrNoSuchKey                          ErrorCode = "NoSuchKey"
	ErrNoSuchUpload                       ErrorCode = "NoSuchUpload"
	ErrNoSuchBucketPolicy                 ErrorCode = "NoSuchBucketPolicy"
	ErrNoSuchTagSet                       ErrorCode = "NoSuchTagSet"
	ErrNoSuchCORSConfiguration            ErrorCode = "NoSuchCORSConfiguration"
	ErrNoSuchLifecycleConfiguration       ErrorCode = "NoSuchLifecycleConfiguration"
	ErrNotImplemented                     ErrorCode = "NotImplemented"
	ErrNotModified                        ErrorCode = "NotModified"
	ErrPreconditionFailed                 ErrorCode = "PreconditionFailed"
	ErrRequestHeaderSectionTooLarge       ErrorCode = "RequestHeaderSectionTooLarge"
	ErrRequestTimeout                     ErrorCode = "RequestTimeout"
	ErrRequestTimeTooSkewed               ErrorCode = "RequestTimeTooSkewed"
	ErrServiceUnavailable                 ErrorCode = "ServiceUnavailable"
	ErrSignatureDoesNotMatch              ErrorCode = "SignatureDoesNotMatch"
	ErrSlowDown                           ErrorCode = "SlowDown"
	ErrXAmzContentSHA256Mismatch          ErrorCode = "XAmzContentSHA256Mismatch"
	ErrIllegalLocationConstraintException ErrorCode = "IllegalLocationConstraintException"
	ErrConditionalRequestConflict         ErrorCode = "ConditionalRequestConflict"
	// Versioning.
	ErrNoSuchVersion                  ErrorCode = "NoSuchVersion"
	ErrIllegalVersioningConfiguration ErrorCode = "IllegalVersioningConfigurationException"
	ErrInvalidBucketState             ErrorCode = "InvalidBucketState"
	// ErrStorageFull answers a write the server has no room for (a memory
	// limit). S3 has no such error: this is MinIO's code and status, the
	// one S3 tools already know. 507 Insufficient Storage says what
	// happened, and no SDK retries it (they retry 500, 502, 503 and 504),
	// which is right: a retry would fail the same way. 503 SlowDown would
	// be retried, and 400 EntityTooLarge would blame the object's size
	// when a one-byte write is refused.
	ErrStorageFull ErrorCode = "XMinioStorageFull"

	// Bucket and object configuration documents.
	ErrAccessControlListNotSupported       ErrorCode = "AccessControlListNotSupported"
	ErrAccessForbidden                     ErrorCode = "AccessForbidden"
	ErrBadRequest                          ErrorCode = "BadRequest"
	ErrInvalidBucketAclWithObjectOwnership ErrorCode = "InvalidBucketAclWithObjectOwnership"
	ErrInvalidTag                          ErrorCode = "InvalidTag"
	ErrInvalidTargetBucketForLogging       ErrorCode = "InvalidTargetBucketForLogging"
	ErrMalformedACLError                   ErrorCode = "MalformedACLError"
	ErrMalformedPolicy                     ErrorCode = "MalformedPolicy"
	ErrNoSuchPublicAccessBlock             ErrorCode = "NoSuchPublicAccessBlockConfiguration"
	ErrNoSuchWebsiteConfiguration          ErrorCode = "NoSuchWebsiteConfiguration"
	ErrOwnershipControlsNotFound           ErrorCode = "OwnershipControlsNotFoundError"
	ErrSSEConfigurationNotFound            ErrorCode = "ServerSideEncryptionConfigurationNotFoundError"

	// Object lock.
	ErrObjectLockConfigurationNotFound ErrorCode = "ObjectLockConfigurationNotFoundError"
	ErrNoSuchObjectLockConfiguration   ErrorCode = "NoSuchObjectLockConfiguration"
)

type errorInfo struct {
	status  int
	message string
}

var errorTable = map[ErrorCode]errorInfo{
	ErrAccessDenied:                       {http.StatusForbidden, "Access Denied"},
	ErrAuthorizationHeaderMalformed:       {http.StatusBadRequest, "The authorization header is malformed."},
	ErrAuthorizationQueryParametersError:  {http.StatusBadRequest, "Error parsing the query-string authentication parameters."},
	ErrBadDigest:                          {http.StatusBadRequest, "The Content-MD5 or checksum value that you specified did not match what the server received."},
	ErrBucketAlreadyExists:                {http.StatusConflict, "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again."},
	ErrBucketAlreadyOwnedByYou:            {http.StatusConflict, "Your previous request to create the named bucket succeeded and you already own it."},
	ErrBucketNotEmpty:                     {http.StatusConflict, "The bucket you tried to delete is not empty"},
	ErrEntityTooLarge:                     {http.StatusBadRequest, "Your proposed upload exceeds the maximum allowed size"},
	ErrEntityTooSmall:                     {http.StatusBadRequest, "Your proposed upload is smaller than the minimum allowed object size."},
	ErrIncompleteBody:                     {http.StatusBadRequest, "You did not provide the number of bytes specified by the Content-Length HTTP header."},
	ErrInternalError:                      {http.StatusInternalServerError, "We encountered an internal error. Please try again."},
	ErrInvalidAccessKeyID:                 {http.StatusForbidden, "The AWS Access Key Id you provided does not exist in our records."},
	ErrInvalidArgument:                    {http.StatusBadRequest, "Invalid Argument"},
	ErrInvalidBucketName:                  {http.StatusBadRequest, "The specified bucket is not valid."},
	ErrInvalidDigest:                      {http.StatusBadRequest, "The Content-MD5 you specified is not valid."},
	ErrInvalidLocationConstraint:          {http.StatusBadRequest, "The specified location-constraint is not valid"},
	ErrInvalidPart:                        {http.StatusBadRequest, "One or more of the specified parts could not be found. The part might not have been uploaded, or the specified entity tag might not have matched the part's entity tag."},
	ErrInvalidPartOrder:                   {http.StatusBadRequest, "The list of parts was not in ascending order. The parts list must be specified in order by part number."},
	ErrInvalidPartNumber:                  {http.StatusRequestedRangeNotSatisfiable, "The requested partnumber is not satisfiable"},
	ErrInvalidPolicyDocument:              {http.StatusBadRequest, "The content of the form does not meet the conditions specified in the policy document."},
	ErrInvalidRange:                       {http.StatusRequestedRangeNotSatisfiable, "The requested range is not satisfiable"},
	ErrInvalidRequest:                     {http.StatusBadRequest, "Invalid Request"},
	ErrInvalidStorageClass:                {http.StatusBadRequest, "The storage class you specified is not valid"},
	ErrInvalidRedirectLocation:            {http.StatusBadRequest, "The website redirect location must have a prefix of 'http://' or 'https://' or '/'."},
	ErrInvalidToken:                       {http.StatusBadRequest, "The provided token is malformed or otherwise invalid."},
	ErrInvalidURI:                         {http.StatusBadRequest, "Couldn't parse the specified URI."},
	ErrKeyTooLong:                         {http.StatusBadRequest, "Your key is too long"},
	ErrMalformedPOSTRequest:               {http.StatusBadRequest, "The body of your POST request is not well-formed multipart/form-data."},
	ErrMaxPostPreDataLengthExceeded:       {http.StatusBadRequest, "Your POST request fields preceeding the upload file was too large."}, // code and message as S3 sends them, not as its docs spell them
	ErrMalformedXML:                       {http.StatusBadRequest, "The XML you provided was not well-formed or did not validate against our published schema"},
	ErrMetadataTooLarge:                   {http.StatusBadRequest, "Your metadata headers exceed the maximum allowed metadata size"},
	ErrMethodNotAllowed:                   {http.StatusMethodNotAllowed, "The specified method is not allowed against this resource."},
	ErrMissingContentLength:               {http.StatusLengthRequired, "You must provide the Content-Length HTTP header."},
	ErrNoSuchBucket:                       {http.StatusNotFound, "The specified bucket does not exist"},
	ErrNoSuchKey:                          {http.StatusNotFound, "The specified key does not exist."},
	ErrNoSuchUpload:                       {http.StatusNotFound, "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed."},
	ErrNoSuchBucketPolicy:                 {http.StatusNotFound, "The bucket policy does not exist"},
	ErrNoSuchTagSet:                       {http.StatusNotFound, "The TagSet does not exist"},
	ErrNoSuchCORSConfiguration:            {http.StatusNotFound, "The CORS configuration does not exist"},
	ErrNoSuchLifecycleConfiguration:       {http.StatusNotFound, "The lifecycle configuration does not exist"},
	ErrNotImplemented:                     {http.StatusNotImplemented, "A header you provided implies functionality that is not implemented"},
	ErrNotModified:                        {http.StatusNotModified, "Not Modified"},
	ErrPreconditionFailed:                 {http.StatusPreconditionFailed, "At least one of the pre-conditions you specified did not hold"},
	ErrRequestHeaderSectionTooLarge:       {http.StatusBadRequest, "Your request header section exceeds the maximum allowed size."},
	ErrRequestTimeout:                     {http.StatusBadRequest, "Your socket connection to the server was not read from or written to within the timeout period."},
	ErrRequestTimeTooSkewed:               {http.StatusForbidden, "The difference between the request time and the current time is too large."},
	ErrServiceUnavailable:                 {http.StatusServiceUnavailable, "Please reduce your request rate."},
	ErrSignatureDoesNotMatch:              {http.StatusForbidden, "The request signature we calculated does not match the signature you provided. Check your key and signing method."},
	ErrSlowDown:                           {http.StatusServiceUnavailable, "Please reduce your request rate."},
	ErrXAmzContentSHA256Mismatch:          {http.StatusBadRequest, "The provided 'x-amz-content-sha256' header does not match what was computed."},
	ErrIllegalLocationConstraintException: {http.StatusBadRequest, "The unspecified location constraint is incompatible for the region specific endpoint this request was sent to."},
	ErrConditionalRequestConflict:         {http.StatusConflict, "A conflicting conditional operation is currently in progress against this resource. Please try again."},
	ErrStorageFull:                        {http.StatusInsufficientStorage, "The server has no room left for this write: delete objects, or raise its memory limit (mocks3 -memory-limit, WithMemoryLimit)."},

	// Bucket and object configuration documents.
	ErrAccessControlListNotSupported:       {http.StatusBadRequest, "The bucket does not allow ACLs"},
	ErrAccessForbidden:                     {http.StatusForbidden, "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec."},
	ErrBadRequest:                          {http.StatusBadRequest, "Bad Request"},
	ErrInvalidBucketAclWithObjectOwnership: {http.StatusBadRequest, "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting"},
	ErrInvalidTag:                          {http.StatusBadRequest, "The TagKey you have provided is invalid"},
	ErrInvalidTargetBucketForLogging:       {http.StatusBadRequest, "The target bucket for logging does not exist"},
	ErrMalformedACLError:                   {http.StatusBadRequest, "The XML you provided was not well-formed or did not validate against our published schema"},
	ErrMalformedPolicy:                     {http.StatusBadRequest, "Policies must be valid JSON and the first byte must be '{'"},
	ErrNoSuchPublicAccessBlock:             {http.StatusNotFound, "The public access block configuration was not found"},
	ErrNoSuchWebsiteConfiguration:          {http.StatusNotFound, "The specified bucket does not have a website configuration"},
	ErrOwnershipControlsNotFound:           {http.StatusNotFound, "The bucket ownership controls were not found"},
	ErrSSEConfigurationNotFound:            {http.StatusNotFound, "The server side encryption configuration was not found"},

	// Versioning.
	ErrNoSuchVersion:                  {http.StatusNotFound, "The specified version does not exist."},
	ErrIllegalVersioningConfiguration: {http.StatusBadRequest, "The versioning configuration specified in the request is invalid."},
	ErrInvalidBucketState:             {http.StatusConflict, "The request is not valid with the current state of the bucket."},

	// Object lock.
	ErrObjectLockConfigurationNotFound: {http.StatusNotFound, "Object Lock configuration does not exist for this bucket"},
	ErrNoSuchObjectLockConfiguration:   {http.StatusBadRequest, "The specified object does not have a ObjectLock configuration"},
}

// Status returns the HTTP status S3 answers with for c.
func (c ErrorCode) Status() int {
	if info, ok := errorTable[c]; ok {
		return info.status
	}
	return http.StatusInternalServerError
}

// Message returns S3's default message for c.
func (c ErrorCode) Message() string { return errorTable[c].message }

// Error is an S3 error a handler answers with.
type Error struct {
	Code    ErrorCode
	Message string // defaults to Code.Message()
	// Status, if set, overrides the code's usual status.
	Status int
	// Extra holds additional elements of the XML body, such as BucketName
	// or Key, in the order given.
	Extra []ExtraElement
}

// ExtraElement is one additional element of an S3 error body.
type ExtraElement struct{ Name, Value string }

func (e *Error) Error() string {
	return fmt.Sprintf("%s: %s", e.Code, e.message())
}

func (e *Error) message() string {
	if e.Message != "" {
		return e.Message
	}
	return e.Code.Message()
}

func newError(code ErrorCode, extra ...ExtraElement) *Error {
	return &Error{Code: code, Extra: extra}
}

type errorBody struct {
	XMLName   xml.Name `xml:"Error"`
	Code      ErrorCode
	Message   string
	Extra     []extraXML
	Resource  string `xml:",omitempty"`
	RequestID string `xml:"RequestId"`
	HostID    string `xml:"HostId"`
}

type extraXML struct {
	XMLName xml.Name
	Value   string `xml:",chardata"`
}

// WriteError writes err as an S3 error response for r. Errors that are not
// an *Error become InternalError. HEAD responses carry no body, as in S3.
func WriteError(w http.ResponseWriter, r *http.Request, err error) {
	var e *Error
	if !errors.As(err, &e) {
		e = newError(ErrInternalError)
	}
	status := e.Code.Status()
	if e.Status != 0 {
		status = e.Status
	}
	h := w.Header()
	h.Del("Content-Length")
	if status == http.StatusNotModified {
		// A 304 keeps the validators, as S3's does.
		w.WriteHeader(status)
		return
	}
	delete(h, "ETag")
	h.Del("Last-Modified")
	if r.Method == http.MethodHead {
		w.WriteHeader(status)
		return
	}
	body := errorBody{
		Code:      e.Code,
		Message:   e.message(),
		Resource:  r.URL.Path,
		RequestID: rawHeader(h, "x-amz-request-id"),
		HostID:    rawHeader(h, "x-amz-id-2"),
	}
	for _, x := range e.Extra {
		body.Extra = append(body.Extra, extraXML{XMLName: xml.Name{Local: x.Name}, Value: x.Value})
	}
	s3xml.Write(w, status, body)
}

// rawHeader reads a header that may have been set with S3's lower-case
// spelling, which http.Header.Get does not find.
func rawHeader(h http.Header, name string) string {
	if v, ok := h[name]; ok && len(v) > 0 {
		return v[0]
	}
	return h.Get(name)
}
