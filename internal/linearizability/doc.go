// Package linearizability checks that mocks3 behaves as one linearizable S3
// store: concurrent clients PUT, GET, DELETE, conditionally PUT, complete
// and abort multipart uploads and list a prefix while fault rules fire, and
// each key's history is checked with porcupine against a model of S3
// (read-after-write, atomic replacement, a delete is final).
//
// Its only code is its test, kept out of the root package so that a module
// importing mocks3 never downloads the checker. CI runs a short history per
// mode; a long one is
//
//	MOCKS3_LIN_OPS=10000 go test -run TestLinearizable -v ./internal/linearizability
package linearizability
