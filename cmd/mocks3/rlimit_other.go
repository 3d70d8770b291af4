//go:build !unix

package main

// openFileLimit returns a limit for systems without RLIMIT_NOFILE.
func openFileLimit() int { return 1 << 14 }
