package mocks3

import (
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/mocks3/mocks3/internal/s3err"
)

// maxHeaderBytes is the S3 port's http.Server.MaxHeaderBytes. S3 refuses a
// header section over 8 KB with an XML RequestHeaderSectionTooLarge, which
// the gateway sends; past MaxHeaderBytes Go answers a plain-text 431 no
// handler sees, so the limit sits far above what clients send by mistake.
const maxHeaderBytes = 8 << 20

// applyLimits sets the limits on the server before it starts.
func (s *Server) applyLimits() {
	s.ts.Config.MaxHeaderBytes = maxHeaderBytes
	l := s.cfg.ext.Limits
	s.ts.Config.ReadHeaderTimeout = l.ReadHeaderTimeout
	s.ts.Config.IdleTimeout = l.IdleTimeout
	if l.MaxConns > 0 {
		s.ts.Listener = &limitListener{Listener: s.ts.Listener, sem: make(chan struct{}, l.MaxConns), done: make(chan struct{})}
	}
}

// limitBody makes a read of r's body that waits longer than the body
// timeout fail with RequestTimeout.
func (s *Server) limitBody(w http.ResponseWriter, r *http.Request) {
	d := s.cfg.ext.Limits.BodyTimeout
	if d <= 0 || r.Body == nil || r.Body == http.NoBody {
		return
	}
	r.Body = &stallReader{ReadCloser: r.Body, rc: http.NewResponseController(w), timeout: d}
}

// stallReader sets a read deadline before each read of a request body, and
// none once the body has ended: net/http then starts its own read of the
// connection, which a deadline set now would cut short while the handler
// still works, cancelling the request's context.
type stallReader struct {
	io.ReadCloser
	rc      *http.ResponseController
	timeout time.Duration
	done    bool
}

func (b *stallReader) Read(p []byte) (int, error) {
	if b.done {
		return b.ReadCloser.Read(p)
	}
	b.rc.SetReadDeadline(time.Now().Add(b.timeout))
	n, err := b.ReadCloser.Read(p)
	if err == nil {
		return n, nil
	}
	b.done = true
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return n, &s3err.Error{Code: s3err.RequestTimeout}
	}
	b.rc.SetReadDeadline(time.Time{})
	return n, err
}

// limitListener accepts at most cap(sem) connections at a time; Accept
// waits for one to close. Waiting clients stay in the kernel's backlog and
// hold no file descriptor of ours.
type limitListener struct {
	net.Listener
	sem  chan struct{}
	done chan struct{} // closed by Close

	closeOnce sync.Once
}

func (l *limitListener) Accept() (net.Conn, error) {
	select {
	case l.sem <- struct{}{}:
	case <-l.done:
		return nil, &net.OpError{Op: "accept", Net: "tcp", Addr: l.Addr(), Err: net.ErrClosed}
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.sem
		return nil, err
	}
	return &limitConn{Conn: c, release: sync.OnceFunc(func() { <-l.sem })}, nil
}

func (l *limitListener) Close() error {
	l.closeOnce.Do(func() { close(l.done) })
	return l.Listener.Close()
}

type limitConn struct {
	net.Conn
	release func()
}

func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.release()
	return err
}

// CloseWrite lets net/http half-close the connection before closing it, so
// that a client still sending a body reads the error response rather than
// a reset.
func (c *limitConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}
