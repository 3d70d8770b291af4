//go:build unix

package main

import "syscall"

// openFileLimit returns the process's open-file limit (Go raises the soft
// limit to the hard one at start-up).
func openFileLimit() int {
	var r syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &r); err != nil || r.Cur > 1<<20 {
		return 1 << 20
	}
	return int(r.Cur)
}
