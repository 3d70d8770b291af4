// Package clientmatrix drives real S3 clients (the aws CLI, boto3, s3cmd,
// rclone and the AWS SDK for JavaScript v3) against mocks3, with
// authentication off and on, in-process and through the cmd/mocks3 binary.
// Its tests need those clients installed and run only with the
// clientmatrix build tag: `bash .ci/clients` installs what is missing and
// runs them. minio-go, a Go module, is covered by the root package's tests.
package clientmatrix
