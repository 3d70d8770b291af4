//go:build unix

package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestSlowlorisUnderFileLimit runs the command with a 64-file limit and
// opens 100 connections that send their headers slowly and never finish.
// Without a cap on connections, the server runs out of file descriptors
// and accepts no one else; without a header timeout, the slots stay taken.
// With the defaults (half the file limit) and a short header timeout, a
// well-behaved client is served.
func TestSlowlorisUnderFileLimit(t *testing.T) {
	cmd := exec.Command("/bin/sh", "-c", `ulimit -n 64 && exec "$0" "$@"`, os.Args[0],
		"-addr", "127.0.0.1:0", "-bucket", "bkt", "-read-header-timeout", "200ms")
	cmd.Env = append(os.Environ(), "MOCKS3_RUN_MAIN=1")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var logs strings.Builder
	urls := make(chan string, 1)
	logDone := make(chan struct{})
	go func() {
		defer close(logDone)
		sc := bufio.NewScanner(stderr)
		re := regexp.MustCompile(`msg="mocks3 listening".* url=(\S+)`)
		for sc.Scan() {
			logs.WriteString(sc.Text() + "\n")
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				urls <- m[1]
			}
		}
		close(urls)
	}()
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
		<-logDone
	}()
	base, ok := <-urls
	if !ok {
		cmd.Wait()
		<-logDone
		t.Fatalf("the command did not start:\n%s", logs.String())
	}
	u, _ := url.Parse(base)

	stop := make(chan struct{})
	var wg sync.WaitGroup
	defer wg.Wait()
	defer close(stop)
	for i := range 100 {
		c, err := net.Dial("tcp", u.Host)
		if err != nil {
			t.Fatalf("slowloris connection %d: %v", i, err)
		}
		wg.Add(2)
		go func() {
			defer wg.Done()
			<-stop
			c.Close()
		}()
		go func() {
			defer wg.Done()
			fmt.Fprintf(c, "GET /bkt/ HTTP/1.1\r\nHost: %s\r\nX-Slow: ", u.Host)
			io.Copy(io.Discard, c) // until the server or stop closes it
		}()
	}

	client := &http.Client{}
	defer client.CloseIdleConnections()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second) // a bound, not an expectation
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "PUT", base+"/bkt/k", strings.NewReader("served"))
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("PUT behind 100 slowloris connections: %v", err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("PUT behind 100 slowloris connections = %d, want 200", resp.StatusCode)
	}
}
