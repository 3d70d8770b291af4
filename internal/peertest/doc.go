// Package peertest compares mocks3 with gofakes3
// (github.com/johannesboyne/gofakes3), its closest peer: the same sequence
// of requests goes to both servers through aws-sdk-go-v2, and their status
// codes and parsed responses are compared with go-cmp.
//
// Where the two differ, the tests check that mocks3 answers as the Amazon
// S3 API reference documents, and that gofakes3 still answers otherwise, so
// the list of differences (knownDifferences, and DIFFERENCES.md) stays
// honest. The package holds only tests.
package peertest
