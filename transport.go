package mocks3

// The in-memory transport (WithInMemoryTransport): the server accepts the
// server ends of net.Pipe pairs, and the HTTP client behind Client,
// HTTPClient and AWSConfig dials by making such a pair. No file descriptor,
// no port and no kernel buffer is involved, so a server and its clients can
// run entirely inside a testing/synctest bubble.

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// inMemoryHost is the host name of an in-memory server. Names under .test
// never resolve (RFC 2606, RFC 6761), so no other client can reach anything there by
// mistake.
const inMemoryHost = "mocks3.test"

// pipeListener is a net.Listener whose connections come from its own
// DialContext. It starts no goroutine.
type pipeListener struct {
	host  string        // the host DialContext reaches, with its subdomains
	conns chan net.Conn // server ends, from DialContext to Accept
	done  chan struct{} // closed by Close

	closeOnce sync.Once
	dials     atomic.Uint32 // numbers the client ends' ports
}

var _ net.Listener = (*pipeListener)(nil)

func newPipeListener(host string) *pipeListener {
	return &pipeListener{
		host:  host,
		conns: make(chan net.Conn),
		done:  make(chan struct{}),
	}
}

// Addr returns the host name alone, so that httptest.Server's URL is
// "http://mocks3.test".
func (l *pipeListener) Addr() net.Addr { return pipeAddr(l.host) }

// Accept waits for a connection from DialContext, or for Close.
func (l *pipeListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		select {
		case <-l.done: // closed meanwhile: once Close returns, nothing is accepted
			c.Close()
		default:
			return c, nil
		}
	case <-l.done:
	}
	return nil, &net.OpError{Op: "accept", Net: "pipe", Addr: l.Addr(), Err: net.ErrClosed}
}

// Close makes Accept return net.ErrClosed and DialContext fail. Connections
// already accepted stay open: their owner, the http.Server, closes them.
func (l *pipeListener) Close() error {
	l.closeOnce.Do(func() { close(l.done) })
	return nil
}

// DialContext connects to the listener as net.Dialer.DialContext connects
// to a TCP listener: it returns when Accept has taken the server end, and
// fails as a TCP dial would when the host is not the listener's (no such
// host) or the listener is closed (connection refused).
func (l *pipeListener) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, &net.OpError{Op: "dial", Net: network, Err: err}
	}
	host = strings.ToLower(host)
	if host != l.host && !strings.HasSuffix(host, "."+l.host) {
		return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{
			Err:        fmt.Sprintf("no such host (the in-memory transport of mocks3 reaches %s only)", l.host),
			Name:       host,
			IsNotFound: true,
		}}
	}
	remote := pipeAddr(addr)
	refused := &net.OpError{Op: "dial", Net: network, Addr: remote,
		Err: &os.SyscallError{Syscall: "connect", Err: errConnRefused}}
	select {
	case <-l.done:
		return nil, refused
	default:
	}
	// The client end gets a loopback address with an ephemeral port, so the
	// server sees r.RemoteAddr as it would over TCP, and rules on client IPs
	// behave the same with either transport.
	port := 49152 + int(l.dials.Add(1)%16384)
	local := pipeAddr(net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	client, server := newPipe(local, remote)
	select {
	case l.conns <- server:
		return client, nil
	case <-l.done:
		err = refused
	case <-ctx.Done():
		err = &net.OpError{Op: "dial", Net: network, Addr: remote, Err: ctx.Err()}
	}
	client.Close()
	server.Close()
	return nil, err
}

// client returns an HTTP client that reaches the listener. cert, if not
// nil, is the server's TLS certificate, which the client trusts.
func (l *pipeListener) client(cert *x509.Certificate) *http.Client {
	tr := &http.Transport{DialContext: l.DialContext}
	if cert != nil {
		pool := x509.NewCertPool()
		pool.AddCert(cert)
		// httptest's certificate names example.com, not mocks3.test: verify
		// it under a name it holds rather than not at all.
		var name string
		if len(cert.DNSNames) > 0 {
			name = cert.DNSNames[0]
		}
		tr.TLSClientConfig = &tls.Config{RootCAs: pool, ServerName: name}
	}
	return &http.Client{Transport: tr}
}

// pipeAddr is the address of either end of a pipe.
type pipeAddr string

func (pipeAddr) Network() string  { return "pipe" }
func (a pipeAddr) String() string { return string(a) }

// pipeConn is one end of a net.Pipe, with addresses, errors shaped as a
// TCP connection's, and SetLinger as on *net.TCPConn:
//
//   - after the other end closes, reads return io.EOF, and writes fail
//     with ECONNRESET: over TCP, closing with unread data sends a reset,
//     and on a pipe a blocked writer is exactly unread data;
//   - after the other end calls SetLinger(0) and closes, reads fail with
//     ECONNRESET too;
//   - after this end closes, reads and writes fail with net.ErrClosed.
//
// Fault actions reset a connection through SetLinger on the hijacked
// connection (tls.Conn.NetConn over TLS), as they would a TCP one.
type pipeConn struct {
	net.Conn
	local, remote net.Addr
	peer          *pipeConn
	closes        *atomic.Int32 // shared by both ends: numbers their Close calls
	closedAt      atomic.Int32  // this end's number from closes; 0 while open
	abort         atomic.Bool   // SetLinger(0) was called
	reset         atomic.Bool   // closed after SetLinger(0)
}

// newPipe returns the two ends of a net.Pipe.
func newPipe(clientAddr, serverAddr net.Addr) (client, server *pipeConn) {
	cc, sc := net.Pipe()
	closes := new(atomic.Int32)
	client = &pipeConn{Conn: cc, local: clientAddr, remote: serverAddr, closes: closes}
	server = &pipeConn{Conn: sc, local: serverAddr, remote: clientAddr, closes: closes}
	client.peer, server.peer = server, client
	return client, server
}

func (c *pipeConn) LocalAddr() net.Addr  { return c.local }
func (c *pipeConn) RemoteAddr() net.Addr { return c.remote }

func (c *pipeConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	return n, c.mapErr("read", err)
}

func (c *pipeConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	return n, c.mapErr("write", err)
}

// SetLinger is *net.TCPConn's: sec == 0 makes Close a reset; any other
// value makes it orderly again.
func (c *pipeConn) SetLinger(sec int) error {
	c.abort.Store(sec == 0)
	return nil
}

func (c *pipeConn) Close() error {
	if c.closedAt.Load() == 0 {
		c.reset.Store(c.abort.Load())
		c.closedAt.CompareAndSwap(0, c.closes.Add(1))
	}
	return c.Conn.Close()
}

// mapErr turns the errors of net.Pipe into those of TCP.
func (c *pipeConn) mapErr(op string, err error) error {
	switch {
	case err == nil, err == io.EOF && !c.peer.reset.Load():
		return err
	case err == io.EOF, err == io.ErrClosedPipe:
		// io.ErrClosedPipe stands for either end's Close: the first to
		// close is the cause.
		mine, theirs := c.closedAt.Load(), c.peer.closedAt.Load()
		if err == io.ErrClosedPipe && mine != 0 && (op == "read" || theirs == 0 || mine < theirs) {
			err = net.ErrClosed
		} else {
			err = &os.SyscallError{Syscall: op, Err: errConnReset}
		}
	}
	return &net.OpError{Op: op, Net: "pipe", Source: c.local, Addr: c.remote, Err: err}
}
