package mocks3_test

import (
	"fmt"
	"net"
	"net/url"
	"testing"
	"time"

	"github.com/mocks3/mocks3"
)

// TestAbortedPutLeavesPreviousObject cuts a PUT off mid-body and checks that
// the object it would have replaced is intact, in both backends.
func TestAbortedPutLeavesPreviousObject(t *testing.T) {
	bodies := []struct {
		name    string
		headers string
	}{
		{"plain", "Content-Length: 1000\r\n"},
		{"aws-chunked", "Content-Length: 1000\r\nContent-Encoding: aws-chunked\r\nx-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER\r\nx-amz-decoded-content-length: 900\r\n"},
	}
	for _, b := range backendModes {
		for _, body := range bodies {
			t.Run(b.name+"/"+body.name, func(t *testing.T) {
				srv := mocks3.New(t, append(b.opts(t), mocks3.WithObject("bkt", "k", []byte("old")))...)
				u, _ := url.Parse(srv.URL)
				conn, err := net.Dial("tcp", u.Host)
				if err != nil {
					t.Fatal(err)
				}
				partial := "384\r\n" + string(make([]byte, 100))
				fmt.Fprintf(conn, "PUT /bkt/k HTTP/1.1\r\nHost: %s\r\n%s\r\n%s", u.Host, body.headers, partial)
				conn.(*net.TCPConn).CloseWrite()
				conn.SetReadDeadline(time.Now().Add(5 * time.Second))
				buf := make([]byte, 4096)
				n, _ := conn.Read(buf) // the server answers 400 or just closes
				conn.Close()
				if n > 0 && string(buf[9:12]) == "200" {
					t.Errorf("truncated PUT answered %q, want an error", buf[:n])
				}
				srv.CheckObject(t, "bkt", "k", []byte("old"))
			})
		}
	}
}

// TestFailedDigestLeavesNothing checks that a PUT rejected for a bad
// Content-MD5 leaves no object behind.
func TestFailedDigestLeavesNothing(t *testing.T) {
	srv := mocks3.New(t, mocks3.WithBucket("bkt"))
	u, _ := url.Parse(srv.URL)
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "PUT /bkt/k HTTP/1.1\r\nHost: %s\r\nContent-Length: 5\r\nContent-MD5: 1B2M2Y8AsgTpgAmY7PhCfg==\r\nConnection: close\r\n\r\nhello", u.Host)
	buf := make([]byte, 4096)
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	n, _ := conn.Read(buf)
	if got := string(buf[:n]); len(got) < 12 || got[9:12] != "400" {
		t.Errorf("PUT with wrong Content-MD5 answered %q, want 400 BadDigest", got)
	}
	srv.CheckNoObject(t, "bkt", "k")
}
