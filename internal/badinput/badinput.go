// Package badinput replays the bad-input corpus (testdata/badinput at the
// module root) against a running server: raw HTTP requests that clients
// should never send, each with the S3 error it must get. The embedded
// server's tests and the standalone binary's run the same corpus.
//
// A corpus file is one request, exactly as sent, after a header of lines
// starting with "#":
//
//	# want: 400 MalformedXML
//	# halfclose
//
// "want" is the status and S3 error code; "halfclose" ends the request by
// half-closing the connection (a body cut short). In the request, {{HOST}}
// stands for the server's host:port.
package badinput

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"encoding/xml"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Case is one corpus file.
type Case struct {
	Name      string
	Request   []byte // with {{HOST}}
	HalfClose bool
	Status    int
	Code      string
}

// Load reads every file of dir.
func Load(dir string) ([]Case, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var cases []Case
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		c, err := parse(e.Name(), data)
		if err != nil {
			return nil, err
		}
		cases = append(cases, c)
	}
	if len(cases) == 0 {
		return nil, fmt.Errorf("badinput: no cases in %s", dir)
	}
	return cases, nil
}

func parse(name string, data []byte) (Case, error) {
	c := Case{Name: name}
	for bytes.HasPrefix(data, []byte("#")) {
		line, rest, _ := bytes.Cut(data, []byte("\n"))
		data = rest
		f := strings.Fields(strings.TrimPrefix(strings.TrimSpace(string(line)), "#"))
		switch {
		case len(f) == 3 && f[0] == "want:":
			n, err := strconv.Atoi(f[1])
			if err != nil {
				return c, fmt.Errorf("badinput: %s: bad status %q", name, f[1])
			}
			c.Status, c.Code = n, f[2]
		case len(f) == 1 && f[0] == "halfclose":
			c.HalfClose = true
		default:
			return c, fmt.Errorf("badinput: %s: unknown header line %q", name, line)
		}
	}
	if c.Status == 0 {
		return c, fmt.Errorf("badinput: %s: no \"# want:\" line", name)
	}
	c.Request = data
	return c, nil
}

// Run sends every case to the server at base (http:// or https://, with
// tlsConfig for the latter) and checks the answer: the wanted status and
// code in an S3 XML error body, never a 5xx, and a server that still
// answers a well-formed request afterwards.
func Run(t *testing.T, base string, tlsConfig *tls.Config, cases []Case) {
	t.Helper()
	scheme, host, ok := strings.Cut(base, "://")
	if !ok {
		t.Fatalf("badinput: base %q is not a URL", base)
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			status, body := exchange(t, scheme, host, tlsConfig, bytes.ReplaceAll(c.Request, []byte("{{HOST}}"), []byte(host)), c.HalfClose)
			var e struct {
				XMLName xml.Name `xml:"Error"`
				Code    string
			}
			if err := xml.Unmarshal(body, &e); err != nil {
				t.Errorf("status %d, body %q: not an S3 XML error (%v)", status, body, err)
			}
			if status != c.Status || e.Code != c.Code {
				t.Errorf("got %d %s, want %d %s; body %s", status, e.Code, c.Status, c.Code, body)
			}
			if status >= 500 {
				t.Errorf("status %d: bad input must get a 4xx, which clients do not retry", status)
			}
			if status, _ := exchange(t, scheme, host, tlsConfig, []byte("GET / HTTP/1.1\r\nHost: "+host+"\r\nConnection: close\r\n\r\n"), false); status != http.StatusOK {
				t.Errorf("ListBuckets after the bad request = %d, want 200: the server stopped serving", status)
			}
		})
	}
}

// exchange writes req on a new connection and reads the response.
func exchange(t *testing.T, scheme, host string, tlsConfig *tls.Config, req []byte, halfClose bool) (int, []byte) {
	t.Helper()
	var conn net.Conn
	var err error
	if scheme == "https" {
		conn, err = tls.Dial("tcp", host, tlsConfig)
	} else {
		conn, err = net.Dial("tcp", host)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := conn.Write(req); err != nil {
		t.Fatal(err)
	}
	if c, ok := conn.(interface{ CloseWrite() error }); ok && halfClose {
		c.CloseWrite()
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("reading the response: %v", err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatalf("reading the response body: %v", err)
	}
	return resp.StatusCode, body
}
