package mocks3

import "errors"

// Plan 9's syscall package has no errno values.
var (
	errConnReset   = errors.New("connection reset by peer")
	errConnRefused = errors.New("connection refused")
	errBrokenPipe  = errors.New("broken pipe")
)
