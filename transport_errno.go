//go:build !plan9

package mocks3

import "syscall"

// The errors a TCP peer's reset and a closed port give, so that
// errors.Is(err, syscall.ECONNRESET) holds over the in-memory transport too.
var (
	errConnReset   error = syscall.ECONNRESET
	errConnRefused error = syscall.ECONNREFUSED
	errBrokenPipe  error = syscall.EPIPE
)
