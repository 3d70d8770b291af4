// Package mocks3 is an S3-compatible server for Go tests, with a ready
// aws-sdk-go-v2 client.
//
// # Quick start
//
//	func TestUpload(t *testing.T) {
//		srv := mocks3.New(t, mocks3.WithBucket("photos")) // closed when the test ends
//		client := srv.Client()                          // *s3.Client, SDK defaults on
//		_, err := client.PutObject(t.Context(), &s3.PutObjectInput{
//			Bucket: aws.String("photos"), Key: aws.String("a.jpg"), Body: strings.NewReader("data"),
//		})
//		if err != nil {
//			t.Fatal(err)
//		}
//		srv.CheckObject(t, "photos", "a.jpg", []byte("data"))
//	}
//
// Data lives in memory unless WithDir (or WithBackend) says otherwise.
//
// # Supported operations
//
// Every operation s3api.Operations lists, as the AWS S3 API Reference
// documents them. Buckets: ListBuckets, CreateBucket (with tags, object
// lock, ACL), HeadBucket, DeleteBucket, GetBucketLocation. Objects:
// PutObject, PostObject (browser forms, their POST policy checked),
// GetObject, HeadObject, DeleteObject, DeleteObjects, CopyObject,
// GetObjectAttributes. Listing: ListObjects, ListObjectsV2,
// ListObjectVersions. Multipart: CreateMultipartUpload, UploadPart,
// UploadPartCopy, CompleteMultipartUpload, AbortMultipartUpload, ListParts,
// ListMultipartUploads. Versioning: Put/GetBucketVersioning, versionId on
// reads, deletes and copy sources, delete markers, and version IDs on
// every write (repeatable with WithSeed). Tagging: Put/Get/DeleteObjectTagging,
// Put/Get/DeleteBucketTagging, x-amz-tagging. Object lock:
// Put/GetObjectLockConfiguration, Put/GetObjectRetention,
// Put/GetObjectLegalHold, the lock headers of writes. Access:
// Put/GetBucketAcl, Put/GetObjectAcl, Put/Get/DeleteBucketPolicy,
// GetBucketPolicyStatus, Put/Get/DeletePublicAccessBlock,
// Put/Get/DeleteBucketOwnershipControls. Configurations: CORS (with
// OPTIONS preflights), website, lifecycle (applied on the server's clock),
// encryption, logging, request payment, accelerate and notification. With
// them: ranges, partNumber reads, conditional reads and writes, user
// metadata, Content-MD5, the ten additional checksums of the SDK
// (full-object and composite, and S3's default CRC64NVME), storage classes,
// website redirect locations, x-amz-expected-bucket-owner, aws-chunked
// bodies (signed and unsigned, with trailers), path-style and
// virtual-hosted-style addressing, HTTP and HTTPS.
//
// Any other S3 action (analytics, inventory, metrics, replication and
// intelligent-tiering configurations, RestoreObject, SelectObjectContent...)
// answers 501 NotImplemented naming the action; a method S3 does not allow
// on a resource answers 405 MethodNotAllowed.
//
// # Event notifications
//
// A bucket's notification configuration selects events (s3:ObjectCreated:*,
// s3:ObjectRemoved:Delete..., with prefix and suffix filters); each write
// it selects queues one delivery per configuration, after the write has
// committed, in S3's event message format. WithEvents hands the events to
// a Go function, and WithWebhook POSTs those of one destination ARN to a
// URL, with the queue's retries; WaitIdle waits for the deliveries.
//
// # Faults
//
// Faults returns the server's fault rules (package faults): rules that make
// S3 throttle, fail, stall, drop or reset connections, truncate, corrupt or
// slow bodies, and lose, corrupt or go back on stored data. Requests returns
// the request journal, so a test can assert what its client did; after a
// fault that drops or holds a request, WaitRequests waits for it to be
// journaled. With
// WithInMemoryTransport a whole test can run inside a testing/synctest
// bubble, where delays and retries cost no wall time.
//
// # Roles and stack mode
//
// Behind the S3 gateway are the original MockS3 services as roles:
// metadata, storage (optionally several nodes, WithStorageNodes), queue
// (WaitIdle) and a third-party origin (WithThirdParty). WithStack runs each
// as its own HTTP service.
//
// # Differences from Amazon S3
//
//   - Signatures are not verified unless WithAuth is given; by default any
//     credentials, or none, are accepted. With WithAuth, requests are
//     verified as S3 verifies AWS Signature Version 4 (header, presigned
//     URL, chunk and trailer signatures, x-amz-content-sha256), SigV2 only
//     with WithSignatureV2; SigV4a (AWS4-ECDSA-P256-SHA256) is not enabled
//     and is answered InvalidRequest, as S3 answers a mechanism it does not
//     take; an unsigned request is anonymous, AccessDenied unless a bucket
//     policy or ACL grants it; every identity is permanent, so a session
//     token is InvalidToken.
//   - Without WithAuth there is one account: every bucket belongs to it, so
//     creating an existing bucket is always BucketAlreadyOwnedByYou. With
//     it, each identity is an account of its own (UserARN names it in a
//     policy) and owns the buckets it creates; another identity gets
//     AccessDenied on them, unless their policy or ACLs grant it, and
//     BucketAlreadyExists for the name. A bucket's owner owns its objects
//     and uploads, as under S3's default Object Ownership
//     (BucketOwnerEnforced): listings and ACLs name it whoever asks, and
//     an object another identity writes into an ObjectWriter bucket is
//     not recorded as that writer's, nor is an upload's initiator (its
//     Initiator is the bucket's owner too). x-amz-expected-bucket-owner
//     must name the owner ID ListBuckets reports (S3 takes the 12-digit
//     account ID).
//   - Storage classes are recorded and reported only: an object in GLACIER
//     or DEEP_ARCHIVE reads at once, where S3 answers InvalidObjectState
//     until it is restored.
//   - GetObjectLegalHold answers OFF for a version whose legal hold was
//     never set, where S3 answers NoSuchObjectLockConfiguration.
//   - Version IDs are 32 characters of [0-9A-Za-z._]; any other versionId
//     but "null" is InvalidArgument. MFA delete cannot be enabled (403
//     AccessDenied, as S3 answers without a valid x-amz-mfa). GET and HEAD
//     send x-amz-version-id for versions with an ID, and for "null" only
//     when the request named it. Objects seeded directly (PutObject,
//     WithObject, third-party backfills) are null versions.
//   - Bucket configurations (tagging, CORS, website, lifecycle, encryption,
//     logging, request payment, accelerate, ownership controls, public
//     access block, policy) and ACLs are validated, stored and served back,
//     and CORS rules answer preflights and add CORS headers. Under
//     WithAuth, policies, ACLs and the public access block decide what
//     other identities and anonymous requests may do, and a policy's Deny
//     binds the owner too. A copy needs s3:GetObject (s3:GetObjectVersion)
//     on its source and s3:PutObject on its destination; DeleteObjects
//     decides each key on its own and reports a refused one as an
//     AccessDenied entry. Policy conditions take every IAM operator and
//     qualifier and read aws:SecureTransport, aws:SourceIp, aws:Referer,
//     aws:UserAgent, aws:PrincipalArn, aws:PrincipalAccount,
//     aws:PrincipalType, aws:username, aws:CurrentTime and aws:EpochTime
//     (on the server's clock), s3:prefix, s3:delimiter, s3:max-keys, the
//     request headers S3 names (s3:x-amz-acl, s3:x-amz-server-side-encryption,
//     s3:x-amz-copy-source...), s3:ExistingObjectTag/<key>,
//     s3:RequestObjectTag/<key> and s3:RequestObjectTagKeys (from
//     x-amz-tagging), s3:VersionId, s3:signatureversion, s3:authType,
//     s3:x-amz-content-sha256 and s3:TlsVersion, with policy variables
//     (${aws:username}) under Version 2012-10-17; any other aws: key is
//     absent from every request. Another identity allowed to read a
//     missing object gets NoSuchKey only if it may also list the bucket,
//     else AccessDenied. A write's ACL and tagging headers need no
//     s3:PutObjectAcl or s3:PutObjectTagging of their own, and the tags of
//     a PutObjectTagging body are not s3:RequestObjectTag keys. An upload
//     or copy into a BucketOwnerEnforced bucket may carry x-amz-acl:
//     private (rclone sends it by default) from any identity; S3 takes it
//     from the bucket owner's account only. A website
//     configuration serves no website.
//   - Notification destinations are not checked beyond the form of their
//     ARN, and no s3:TestEvent is sent. Only ObjectCreated (Put, Copy,
//     CompleteMultipartUpload, Post), ObjectRemoved and
//     LifecycleExpiration events are emitted;
//     the other event types are accepted and stored; EventBridge is
//     stored, never called.
//   - Lifecycle rules act lazily: a read or listing of a bucket first
//     removes what its Expiration, NoncurrentVersionExpiration and
//     ExpiredObjectDeleteMarker rules have expired by the server's clock
//     (WithClock); a listing with a delimiter does not look inside common
//     prefixes. Transitions change nothing and incomplete uploads are not
//     aborted, though CreateMultipartUpload reports the abort date.
//   - x-amz-content-sha256 is checked against the payload only with
//     WithAuth.
//   - Go's HTTP server answers some bad requests itself, in plain text, before
//     mocks3 sees them: 417 for an Expect other than 100-continue, 400 for a
//     malformed request line or header, 501 for an unknown
//     Transfer-Encoding, and 431 for a header section over 8 MiB; one
//     between S3's 8 KB limit and that gets S3's XML
//     RequestHeaderSectionTooLarge.
//   - Requests for a host name other than localhost, an IP address or a
//     base domain (the binary's -domain) get 400 InvalidRequest, and an S3 POST
//     from a web page of another origin 403 AccessDenied, so that a page in
//     a browser cannot use a local server (see the README's "Exposure").
//   - Under cmd/mocks3's -memory-limit, a write the limit has no room for gets
//     507 XMinioStorageFull, MinIO's answer for a full server.
package mocks3
