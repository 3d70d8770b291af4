// S3 error responses, as listed in
// https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html

package s3api

import (
	"net/http"
)

// ErrorCode is an S3 error code such as "NoSuchKey".
type ErrorCode string

type errorInfo struct {
	status  int
	message string
}

var errorTable = map[ErrorCode]errorInfo{
	"AccessDenied":                       {http.StatusForbidden, "Access Denied"},
	"AuthorizationHeaderMalformed":       {http.StatusBadRequest, "The authorization header is malformed."},
	"AuthorizationQueryParametersError":  {http.StatusBadRequest, "Error parsing the query-string authentication parameters."},
	"BadDigest":                          {http.StatusBadRequest, "The Content-MD5 or checksum value that you specified did not match what the server received."},
	"BucketAlreadyExists":                {http.StatusConflict, "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again."},
	"BucketAlreadyOwnedByYou":            {http.StatusConflict, "Your previous request to create the named bucket succeeded and you already own it."},
	"BucketNotEmpty":                     {http.StatusConflict, "The bucket you tried to delete is not empty"},
	"EntityTooLarge":                     {http.StatusBadRequest, "Your proposed upload exceeds the maximum allowed size"},
	"EntityTooSmall":                     {http.StatusBadRequest, "Your proposed upload is smaller than the minimum allowed object size."},
	"IncompleteBody":                     {http.StatusBadRequest, "You did not provide the number of bytes specified by the Content-Length HTTP header."},
	"InternalError":                      {http.StatusInternalServerError, "We encountered an internal error. Please try again."},
	"InvalidAccessKeyId":                 {http.StatusForbidden, "The AWS Access Key Id you provided does not exist in our records."},
	"InvalidArgument":                    {http.StatusBadRequest, "Invalid Argument"},
	"InvalidBucketName":                  {http.StatusBadRequest, "The specified bucket is not valid."},
	"InvalidDigest":                      {http.StatusBadRequest, "The Content-MD5 you specified is not valid."},
	"InvalidLocationConstraint":          {http.StatusBadRequest, "The specified location-constraint is not valid"},
	"InvalidPart":                        {http.StatusBadRequest, "One or more of the specified parts could not be found. The part might not have been uploaded, or the specified entity tag might not have matched the part's entity tag."},
	"InvalidPartOrder":                   {http.StatusBadRequest, "The list of parts was not in ascending order. The parts list must be specified in order by part number."},
	"InvalidPartNumber":                  {http.StatusRequestedRangeNotSatisfiable, "The requested partnumber is not satisfiable"},
	"InvalidPolicyDocument":              {http.StatusBadRequest, "The content of the form does not meet the conditions specified in the policy document."},
	"InvalidRange":                       {http.StatusRequestedRangeNotSatisfiable, "The requested range is not satisfiable"},
	"InvalidRequest":                     {http.StatusBadRequest, "Invalid Request"},
	"InvalidStorageClass":                {http.StatusBadRequest, "The storage class you specified is not valid"},
	"InvalidRedirectLocation":            {http.StatusBadRequest, "The website redirect location must have a prefix of 'http://' or 'https://' or '/'."},
	"InvalidToken":                       {http.StatusBadRequest, "The provided token is malformed or otherwise invalid."},
	"InvalidURI":                         {http.StatusBadRequest, "Couldn't parse the specified URI."},
	"KeyTooLongError":                    {http.StatusBadRequest, "Your key is too long"},
	"MalformedPOSTRequest":               {http.StatusBadRequest, "The body of your POST request is not well-formed multipart/form-data."},
	"MaxPostPreDataLengthExceeded":       {http.StatusBadRequest, "Your POST request fields preceeding the upload file was too large."}, // code and message as S3 sends them, not as its docs spell them
	"MalformedXML":                       {http.StatusBadRequest, "The XML you provided was not well-formed or did not validate against our published schema"},
	"MetadataTooLarge":                   {http.StatusBadRequest, "Your metadata headers exceed the maximum allowed metadata size"},
	"MethodNotAllowed":                   {http.StatusMethodNotAllowed, "The specified method is not allowed against this resource."},
	"MissingContentLength":               {http.StatusLengthRequired, "You must provide the Content-Length HTTP header."},
	"NoSuchBucket":                       {http.StatusNotFound, "The specified bucket does not exist"},
	"NoSuchKey":                          {http.StatusNotFound, "The specified key does not exist."},
	"NoSuchUpload":                       {http.StatusNotFound, "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed."},
	"NoSuchBucketPolicy":                 {http.StatusNotFound, "The bucket policy does not exist"},
	"NoSuchTagSet":                       {http.StatusNotFound, "The TagSet does not exist"},
	"NoSuchCORSConfiguration":            {http.StatusNotFound, "The CORS configuration does not exist"},
	"NoSuchLifecycleConfiguration":       {http.StatusNotFound, "The lifecycle configuration does not exist"},
	"NotImplemented":                     {http.StatusNotImplemented, "A header you provided implies functionality that is not implemented"},
	"NotModified":                        {http.StatusNotModified, "Not Modified"},
	"PreconditionFailed":                 {http.StatusPreconditionFailed, "At least one of the pre-conditions you specified did not hold"},
	"RequestHeaderSectionTooLarge":       {http.StatusBadRequest, "Your request header section exceeds the maximum allowed size."},
	"RequestTimeout":                     {http.StatusBadRequest, "Your socket connection to the server was not read from or written to within the timeout period."},
	"RequestTimeTooSkewed":               {http.StatusForbidden, "The difference between the request time and the current time is too large."},
	"ServiceUnavailable":                 {http.StatusServiceUnavailable, "Please reduce your request rate."},
	"SignatureDoesNotMatch":              {http.StatusForbidden, "The request signature we calculated does not match the signature you provided. Check your key and signing method."},
	"SlowDown":                           {http.StatusServiceUnavailable, "Please reduce your request rate."},
	"XAmzContentSHA256Mismatch":          {http.StatusBadRequest, "The provided 'x-amz-content-sha256' header does not match what was computed."},
	"IllegalLocationConstraintException": {http.StatusBadRequest, "The unspecified location constraint is incompatible for the region specific endpoint this request was sent to."},
	"ConditionalRequestConflict":         {http.StatusConflict, "A conflicting conditional operation is currently in progress against this resource. Please try again."},
	"XMinioStorageFull":                  {http.StatusInsufficientStorage, "The server has no room left for this write: delete objects, or raise its memory limit (mocks3 -memory-limit)."},

	// Bucket and object configuration documents.
	"AccessControlListNotSupported":                  {http.StatusBadRequest, "The bucket does not allow ACLs"},
	"AccessForbidden":                                {http.StatusForbidden, "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec."},
	"BadRequest":                                     {http.StatusBadRequest, "Bad Request"},
	"InvalidBucketAclWithObjectOwnership":            {http.StatusBadRequest, "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting"},
	"InvalidTag":                                     {http.StatusBadRequest, "The TagKey you have provided is invalid"},
	"InvalidTargetBucketForLogging":                  {http.StatusBadRequest, "The target bucket for logging does not exist"},
	"MalformedACLError":                              {http.StatusBadRequest, "The XML you provided was not well-formed or did not validate against our published schema"},
	"MalformedPolicy":                                {http.StatusBadRequest, "Policies must be valid JSON and the first byte must be '{'"},
	"NoSuchPublicAccessBlockConfiguration":           {http.StatusNotFound, "The public access block configuration was not found"},
	"NoSuchWebsiteConfiguration":                     {http.StatusNotFound, "The specified bucket does not have a website configuration"},
	"OwnershipControlsNotFoundError":                 {http.StatusNotFound, "The bucket ownership controls were not found"},
	"ServerSideEncryptionConfigurationNotFoundError": {http.StatusNotFound, "The server side encryption configuration was not found"},

	// Versioning.
	"NoSuchVersion": {http.StatusNotFound, "The specified version does not exist."},
	"IllegalVersioningConfigurationException": {http.StatusBadRequest, "The versioning configuration specified in the request is invalid."},
	"InvalidBucketState":                      {http.StatusConflict, "The request is not valid with the current state of the bucket."},

	// Object lock.
	"ObjectLockConfigurationNotFoundError": {http.StatusNotFound, "Object Lock configuration does not exist for this bucket"},
	"NoSuchObjectLockConfiguration":        {http.StatusBadRequest, "The specified object does not have a ObjectLock configuration"},
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
