// Package s3api is the vocabulary of the Amazon S3 REST API
// (https://docs.aws.amazon.com/AmazonS3/latest/API/Welcome.html) that a
// test author names: operations (a fault rule's Operation, a journal
// record's), error codes with their status and message (a fault's
// ErrorCode action), and the journal's record of a served request.
//
// It depends on the standard library only. The server that speaks the
// protocol lives in the module's internal packages.
package s3api
