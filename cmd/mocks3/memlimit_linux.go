package main

import (
	"os"
	"strconv"
	"strings"
	"syscall"
)

// machineMemory returns the memory this process may use: the machine's,
// or its cgroup's limit (a container's) when lower; 0 if unknown.
func machineMemory() int64 {
	var info syscall.Sysinfo_t
	var total int64
	if syscall.Sysinfo(&info) == nil {
		total = int64(info.Totalram) * int64(info.Unit)
	}
	for _, f := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		if n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64); err == nil && n > 0 && (total == 0 || n < total) {
			total = n
		}
	}
	return total
}
