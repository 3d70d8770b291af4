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

	"github.com/mocks3/mocks3/s3api"
)

// ConnLimits bound what one client can hold of the server's connections, as
// production S3 servers do: a client that sends its headers too slowly, sits
// idle between requests, or stops sending a request body is cut off, and
// the number of open connections stays below the process's file limit, so
// that slow or hostile clients cannot lock out the others. A zero field
// sets no limit. New and NewServer set none; cmd/mocks3 sets all four.
type ConnLimits struct {
	// ReadHeaderTimeout bounds the time to read a request's headers.
	ReadHeaderTimeout time.Duration
	// IdleTimeout bounds how long a kept-alive connection waits for its
	// next request.
	IdleTimeout time.Duration
	// BodyTimeout bounds how long a request body may send nothing; the
	// request then gets 400 RequestTimeout, as S3 answers a stalled upload.
	BodyTimeout time.Duration
	// MaxConns caps the connections open at once; further clients wait to
	// be accepted until one closes.
	MaxConns int
}

// WithConnLimits sets the server's connection limits (see ConnLimits).
// They apply to the S3 port, not to the services of WithStack, which only
// the gateway calls.
func WithConnLimits(l ConnLimits) Option {
	return optionFunc(func(c *config) error {
		if l.ReadHeaderTimeout < 0 || l.IdleTimeout < 0 || l.BodyTimeout < 0 || l.MaxConns < 0 {
			return errors.New("WithConnLimits: negative limit")
		}
		c.limits = l
		return nil
	})
}

// maxHeaderBytes is the S3 port's http.Server.MaxHeaderBytes. S3 refuses a
// header section over 8 KB with an XML RequestHeaderSectionTooLarge, which
// the gateway sends; past MaxHeaderBytes Go answers a plain-text 431 no
// handler sees, so the limit sits far above what clients send by mistake.
const maxHeaderBytes = 8 << 20

// applyLimits sets the limits on the server before it starts.
func (s *Server) applyLimits() {
	s.ts.Config.MaxHeaderBytes = maxHeaderBytes
	l := s.cfg.limits
	s.ts.Config.ReadHeaderTimeout = l.ReadHeaderTimeout
	s.ts.Config.IdleTimeout = l.IdleTimeout
	if l.MaxConns > 0 {
		s.ts.Listener = &limitListener{Listener: s.ts.Listener, sem: make(chan struct{}, l.MaxConns), done: make(chan struct{})}
	}
}

// limitBody makes a read of r's body that waits longer than the body
// timeout fail with RequestTimeout.
func (s *Server) limitBody(w http.ResponseWriter, r *http.Request) {
	d := s.cfg.limits.BodyTimeout
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
		return n, &s3api.Error{Code: s3err.RequestTimeout}
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
