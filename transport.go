package mocks3

// The in-memory transport (WithInMemoryTransport): the server accepts the
// server ends of in-memory connections, and the HTTP client behind Client,
// HTTPClient and AWSConfig dials by making such a pair. No file descriptor
// and no port is involved, so a server and its clients can
// run entirely inside a testing/synctest bubble.

import (
	"bytes"
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
	"time"
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

// pipeBuffer is what each direction of a pipe holds before a write blocks,
// as a socket buffer would: over TCP a server can answer and close while the
// client is still sending, and a TLS close_notify never waits for the peer
// to read.
const pipeBuffer = 256 << 10

// pipeConn is one end of an in-memory connection, with addresses, buffers,
// deadlines and errors shaped as a TCP connection's, and SetLinger as on
// *net.TCPConn:
//
//   - after the other end closes, reads return what it wrote, then io.EOF,
//     and writes fail with ECONNRESET: over TCP, closing with unread data
//     sends a reset;
//   - after the other end calls SetLinger(0) and closes, reads fail with
//     ECONNRESET at once, as a reset discards what was in flight;
//   - after this end closes, reads and writes fail with net.ErrClosed.
//
// Fault actions reset a connection through SetLinger on the hijacked
// connection (tls.Conn.NetConn over TLS), as they would a TCP one.
type pipeConn struct {
	local, remote net.Addr
	in, out       *pipeHalf // in: what the peer wrote; out: what this end writes
	peer          *pipeConn
	closes        *atomic.Int32 // shared by both ends: numbers their Close calls
	closedAt      atomic.Int32  // this end's number from closes; 0 while open
	abort         atomic.Bool   // SetLinger(0) was called
	reset         atomic.Bool   // closed after SetLinger(0)
	shut          atomic.Bool   // CloseWrite was called
	done          chan struct{} // closed by Close
	closeOnce     sync.Once
	readDeadline  pipeDeadline
	writeDeadline pipeDeadline
}

// pipeHalf is one direction of a pipe.
type pipeHalf struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	changed chan struct{} // closed and replaced whenever buf shrinks or grows
}

// wake tells the waiters on h that it changed; h.mu must be held.
func (h *pipeHalf) wake() {
	close(h.changed)
	h.changed = make(chan struct{})
}

// newPipe returns the two ends of an in-memory connection.
func newPipe(clientAddr, serverAddr net.Addr) (client, server *pipeConn) {
	up := &pipeHalf{changed: make(chan struct{})}
	down := &pipeHalf{changed: make(chan struct{})}
	closes := new(atomic.Int32)
	client = &pipeConn{local: clientAddr, remote: serverAddr, in: down, out: up, closes: closes}
	server = &pipeConn{local: serverAddr, remote: clientAddr, in: up, out: down, closes: closes}
	for _, c := range []*pipeConn{client, server} {
		c.done = make(chan struct{})
		c.readDeadline = newPipeDeadline()
		c.writeDeadline = newPipeDeadline()
	}
	client.peer, server.peer = server, client
	return client, server
}

func (c *pipeConn) LocalAddr() net.Addr  { return c.local }
func (c *pipeConn) RemoteAddr() net.Addr { return c.remote }

func (c *pipeConn) Read(p []byte) (int, error) {
	for {
		if isClosed(c.readDeadline.wait()) {
			return 0, c.opErr("read", os.ErrDeadlineExceeded)
		}
		if c.closedAt.Load() != 0 {
			return 0, c.opErr("read", net.ErrClosed)
		}
		if c.peer.reset.Load() {
			return 0, c.opErr("read", &os.SyscallError{Syscall: "read", Err: errConnReset})
		}
		// Loaded before the buffer: the peer's writes precede its Close,
		// so once it is seen closed, the buffer holds all it wrote.
		peerClosed := c.peer.closedAt.Load() != 0 || c.peer.shut.Load()
		h := c.in
		h.mu.Lock()
		if h.buf.Len() > 0 || len(p) == 0 {
			n, _ := h.buf.Read(p)
			h.wake()
			h.mu.Unlock()
			return n, nil
		}
		changed := h.changed
		h.mu.Unlock()
		if peerClosed {
			return 0, io.EOF
		}
		select {
		case <-changed:
		case <-c.done:
		case <-c.peer.done:
		case <-c.readDeadline.wait():
		}
	}
}

func (c *pipeConn) Write(p []byte) (int, error) {
	written := 0
	for {
		if isClosed(c.writeDeadline.wait()) {
			return written, c.opErr("write", os.ErrDeadlineExceeded)
		}
		// The first to close is the cause: this end's Close, or the
		// peer's, which over TCP answers further data with a reset.
		mine, theirs := c.closedAt.Load(), c.peer.closedAt.Load()
		if mine != 0 && (theirs == 0 || mine < theirs) {
			return written, c.opErr("write", net.ErrClosed)
		}
		if theirs != 0 {
			return written, c.opErr("write", &os.SyscallError{Syscall: "write", Err: errConnReset})
		}
		if c.shut.Load() {
			return written, c.opErr("write", &os.SyscallError{Syscall: "write", Err: errBrokenPipe})
		}
		h := c.out
		h.mu.Lock()
		if room := pipeBuffer - h.buf.Len(); room > 0 {
			n := min(room, len(p)-written)
			h.buf.Write(p[written : written+n])
			written += n
			h.wake()
		}
		changed := h.changed
		h.mu.Unlock()
		if written == len(p) {
			return written, nil
		}
		select {
		case <-changed:
		case <-c.done:
		case <-c.peer.done:
		case <-c.writeDeadline.wait():
		}
	}
}

// SetLinger is *net.TCPConn's: sec == 0 makes Close a reset; any other
// value makes it orderly again.
func (c *pipeConn) SetLinger(sec int) error {
	c.abort.Store(sec == 0)
	return nil
}

func (c *pipeConn) Close() error {
	err := c.opErr("close", net.ErrClosed)
	c.closeOnce.Do(func() {
		c.reset.Store(c.abort.Load())
		c.closedAt.Store(c.closes.Add(1))
		close(c.done)
		err = nil
	})
	return err
}

// CloseWrite is *net.TCPConn's half-close: the peer reads io.EOF once it
// has read everything written before, while this end can still read.
func (c *pipeConn) CloseWrite() error {
	if c.closedAt.Load() != 0 {
		return c.opErr("close", net.ErrClosed)
	}
	c.shut.Store(true)
	h := c.out
	h.mu.Lock()
	h.wake()
	h.mu.Unlock()
	return nil
}

func (c *pipeConn) SetDeadline(t time.Time) error {
	c.readDeadline.set(t)
	c.writeDeadline.set(t)
	return nil
}

func (c *pipeConn) SetReadDeadline(t time.Time) error {
	c.readDeadline.set(t)
	return nil
}

func (c *pipeConn) SetWriteDeadline(t time.Time) error {
	c.writeDeadline.set(t)
	return nil
}

func (c *pipeConn) opErr(op string, err error) error {
	return &net.OpError{Op: op, Net: "pipe", Source: c.local, Addr: c.remote, Err: err}
}

// pipeDeadline is a deadline whose passing closes a channel.
type pipeDeadline struct {
	mu     sync.Mutex // guards timer and cancel
	timer  *time.Timer
	cancel chan struct{} // closed once the deadline has passed
}

func newPipeDeadline() pipeDeadline { return pipeDeadline{cancel: make(chan struct{})} }

// set sets the deadline; the zero time clears it.
func (d *pipeDeadline) set(t time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.timer != nil && !d.timer.Stop() {
		<-d.cancel // the timer fired: wait for it to close cancel
	}
	d.timer = nil
	closed := isClosed(d.cancel)
	if t.IsZero() {
		if closed {
			d.cancel = make(chan struct{})
		}
		return
	}
	if dur := time.Until(t); dur > 0 {
		if closed {
			d.cancel = make(chan struct{})
		}
		cancel := d.cancel
		d.timer = time.AfterFunc(dur, func() { close(cancel) })
		return
	}
	if !closed {
		close(d.cancel)
	}
}

// wait returns a channel closed when the deadline passes.
func (d *pipeDeadline) wait() chan struct{} {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.cancel
}

func isClosed(c chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}
