// Package bucketconfig reads, validates and writes the configuration
// documents S3 keeps beside buckets and objects: tagging, CORS, website,
// lifecycle, default encryption, logging, request payment, accelerate,
// ownership controls, public access block, ACLs and bucket policies.
//
// Each Parse function takes a request body as the client sent it and
// answers either the configuration or the *s3err.Error S3 answers for it
// (code, status and message). Each configuration has an Encode method that
// writes it in one canonical form, the form the gateway stores and serves
// back, so that parsing an encoded document gives the same configuration.
//
// The element names, limits and messages follow the AWS S3 API Reference
// (https://docs.aws.amazon.com/AmazonS3/latest/API/) and, where it is
// silent, answers recorded from S3 itself.
package bucketconfig
