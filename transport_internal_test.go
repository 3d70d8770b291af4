package mocks3

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"
)

func TestTransportPipeListener(t *testing.T) {
	l := newPipeListener(inMemoryHost)
	accepted := make(chan net.Conn)
	acceptErr := make(chan error, 1)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				acceptErr <- err
				return
			}
			accepted <- c
		}
	}()

	c, err := l.DialContext(t.Context(), "tcp", "mocks3.test:80")
	if err != nil {
		t.Fatalf("DialContext(mocks3.test:80): %v", err)
	}
	s := <-accepted
	if got, want := s.LocalAddr().String(), "mocks3.test:80"; got != want {
		t.Errorf("server end LocalAddr = %s, want %s", got, want)
	}
	if got := s.RemoteAddr().String(); !strings.HasPrefix(got, "127.0.0.1:") || got != c.LocalAddr().String() {
		t.Errorf("server end RemoteAddr = %s, want 127.0.0.1:port, the client end's LocalAddr %s", got, c.LocalAddr())
	}
	go c.Write([]byte("hi"))
	buf := make([]byte, 2)
	if _, err := io.ReadFull(s, buf); err != nil || string(buf) != "hi" {
		t.Errorf("server end read %q, %v; want \"hi\"", buf, err)
	}
	c.Close()
	s.Close()

	if c, err := l.DialContext(t.Context(), "tcp", "bucket.mocks3.test:443"); err != nil {
		t.Errorf("DialContext(bucket.mocks3.test:443): %v", err)
	} else {
		c.Close()
		(<-accepted).Close()
	}

	var dnsErr *net.DNSError
	if _, err := l.DialContext(t.Context(), "tcp", "example.com:80"); !errors.As(err, &dnsErr) || !dnsErr.IsNotFound {
		t.Errorf("DialContext(example.com:80) = %v, want a not-found DNS error", err)
	}

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := l.DialContext(ctx, "tcp", "mocks3.test:80"); !errors.Is(err, context.Canceled) {
		// The accept loop may win the race with a done context; either is fine.
		if err == nil {
			(<-accepted).Close()
		} else {
			t.Errorf("DialContext with a cancelled context = %v, want context.Canceled", err)
		}
	}

	l.Close()
	if err := <-acceptErr; !errors.Is(err, net.ErrClosed) {
		t.Errorf("Accept after Close = %v, want net.ErrClosed", err)
	}
	if _, err := l.DialContext(t.Context(), "tcp", "mocks3.test:80"); !errors.Is(err, errConnRefused) {
		t.Errorf("DialContext after Close = %v, want connection refused", err)
	}
	if err := l.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}
}

func TestTransportPipeConnErrors(t *testing.T) {
	tests := []struct {
		name      string
		close     func(client, server *pipeConn)
		readErr   error // from the client end's Read
		writeErr  error // from the client end's Write
		notReadOp bool  // readErr is not wrapped in a *net.OpError (io.EOF)
	}{
		{
			name:      "server closes",
			close:     func(_, s *pipeConn) { s.Close() },
			readErr:   io.EOF,
			writeErr:  errConnReset,
			notReadOp: true,
		},
		{
			name:     "server resets",
			close:    func(_, s *pipeConn) { s.SetLinger(0); s.Close() },
			readErr:  errConnReset,
			writeErr: errConnReset,
		},
		{
			name:     "client closes",
			close:    func(c, _ *pipeConn) { c.Close() },
			readErr:  net.ErrClosed,
			writeErr: net.ErrClosed,
		},
		{
			name:     "server resets, then client closes",
			close:    func(c, s *pipeConn) { s.SetLinger(0); s.Close(); c.Close() },
			readErr:  net.ErrClosed,
			writeErr: errConnReset,
		},
		{
			name:      "linger restored",
			close:     func(_, s *pipeConn) { s.SetLinger(0); s.SetLinger(-1); s.Close() },
			readErr:   io.EOF,
			writeErr:  errConnReset,
			notReadOp: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, s := newPipe(pipeAddr("127.0.0.1:49152"), pipeAddr("mocks3.test:80"))
			tt.close(c, s)
			_, err := c.Read(make([]byte, 1))
			if !errors.Is(err, tt.readErr) {
				t.Errorf("Read = %v, want %v", err, tt.readErr)
			}
			var oe *net.OpError
			if isOp := errors.As(err, &oe); isOp == tt.notReadOp {
				t.Errorf("Read = %#v; *net.OpError: %v, want %v", err, isOp, !tt.notReadOp)
			}
			if _, err := c.Write([]byte("x")); !errors.Is(err, tt.writeErr) {
				t.Errorf("Write = %v, want %v", err, tt.writeErr)
			}
			c.Close()
			s.Close()
		})
	}

	t.Run("deadline", func(t *testing.T) {
		c, s := newPipe(pipeAddr("127.0.0.1:49152"), pipeAddr("mocks3.test:80"))
		defer s.Close()
		defer c.Close()
		c.SetReadDeadline(time.Now().Add(-time.Second))
		_, err := c.Read(make([]byte, 1))
		var ne net.Error
		if !errors.Is(err, context.DeadlineExceeded) && !(errors.As(err, &ne) && ne.Timeout()) {
			t.Errorf("Read past the deadline = %v, want a timeout", err)
		}
	})
}

// TestTransportReset resets connections from a handler, as the fault engine
// does, and checks what an HTTP client sees: ECONNRESET over HTTP and over
// HTTPS alike, provided the reset closes the connection under TLS.
func TestTransportReset(t *testing.T) {
	for _, useTLS := range []bool{false, true} {
		name := "http"
		if useTLS {
			name = "https"
		}
		t.Run(name, func(t *testing.T) {
			l := newPipeListener(inMemoryHost)
			ts := &httptest.Server{Listener: l, Config: &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				conn, _, err := http.NewResponseController(w).Hijack()
				if err != nil {
					panic(http.ErrAbortHandler)
				}
				if tc, ok := conn.(*tls.Conn); ok {
					conn = tc.NetConn() // no close_notify: a reset says nothing
				}
				conn.(interface{ SetLinger(int) error }).SetLinger(0)
				conn.Close()
			})}}
			if useTLS {
				ts.StartTLS()
			} else {
				ts.Start()
			}
			defer ts.Close()
			hc := l.client(ts.Certificate())
			defer hc.CloseIdleConnections()
			_, err := hc.Get(ts.URL)
			if !errors.Is(err, errConnReset) || !strings.Contains(err.Error(), "connection reset by peer") {
				t.Errorf("GET from a resetting handler = %v, want ECONNRESET", err)
			}
		})
	}
}

// TestTransportPipeBuffers checks that each direction buffers as a socket
// does: a server may answer and close before it has read the request, and
// the client still writes its body and reads the whole answer.
func TestTransportPipeBuffers(t *testing.T) {
	c, s := newPipe(pipeAddr("127.0.0.1:49152"), pipeAddr("mocks3.test:80"))
	defer c.Close()
	if _, err := s.Write([]byte("HTTP/1.1 400 Bad Request\r\n\r\n")); err != nil {
		t.Fatalf("server Write = %v", err)
	}
	s.Close()
	if _, err := c.Write(make([]byte, 1024)); !errors.Is(err, errConnReset) {
		t.Errorf("client Write after the server closed = %v, want ECONNRESET", err)
	}
	got, err := io.ReadAll(c)
	if err != nil || string(got) != "HTTP/1.1 400 Bad Request\r\n\r\n" {
		t.Errorf("client read %q, %v; want the whole answer, then EOF", got, err)
	}

	c, s = newPipe(pipeAddr("127.0.0.1:49153"), pipeAddr("mocks3.test:80"))
	defer s.Close()
	body := make([]byte, pipeBuffer)
	if n, err := c.Write(body); n != len(body) || err != nil {
		t.Fatalf("Write of a buffer's worth nobody reads = %d, %v; want it buffered", n, err)
	}
	c.SetWriteDeadline(time.Now().Add(-time.Second))
	if _, err := c.Write([]byte("x")); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("Write to a full buffer past the deadline = %v, want a timeout", err)
	}
	if err := c.CloseWrite(); err != nil {
		t.Fatalf("CloseWrite = %v", err)
	}
	got, err = io.ReadAll(s)
	if err != nil || len(got) != len(body) {
		t.Errorf("server read %d bytes, %v; want %d, then EOF after the half-close", len(got), err, len(body))
	}
	if _, err := s.Write([]byte("still open")); err != nil {
		t.Errorf("server Write after the client's half-close = %v", err)
	}
}

// TestTransportTLSCloseNeverWaits closes a TLS server connection whose
// client reads nothing: close_notify goes into the buffer, so Close
// succeeds instead of failing after tls's 5 s write timeout.
func TestTransportTLSCloseNeverWaits(t *testing.T) {
	ts := httptest.NewUnstartedServer(http.NotFoundHandler())
	ts.StartTLS()
	defer ts.Close()
	cfg := ts.TLS.Clone()
	c, s := newPipe(pipeAddr("127.0.0.1:49152"), pipeAddr("mocks3.test:443"))
	defer c.Close()
	pool := x509.NewCertPool()
	pool.AddCert(ts.Certificate())
	client := tls.Client(c, &tls.Config{RootCAs: pool, ServerName: ts.Certificate().DNSNames[0]})
	server := tls.Server(s, cfg)
	errc := make(chan error, 1)
	go func() { errc <- client.HandshakeContext(t.Context()) }()
	if err := server.HandshakeContext(t.Context()); err != nil {
		t.Fatalf("server handshake = %v", err)
	}
	if err := <-errc; err != nil {
		t.Fatalf("client handshake = %v", err)
	}
	if err := server.Close(); err != nil {
		t.Errorf("server Close with a client that reads nothing = %v, want nil", err)
	}
}
