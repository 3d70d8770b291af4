package faultengine

import (
	"context"
	"net"
	"net/http"
	"time"

	"github.com/mocks3/mocks3/faults"
	"github.com/mocks3/mocks3/internal/faultname"
	"github.com/mocks3/mocks3/internal/faulttrace"
	"github.com/mocks3/mocks3/internal/s3err"
	"github.com/mocks3/mocks3/internal/s3op"
)

// Intercept applies gateway rules to one S3 request; it has the signature
// of the gateway's Intercept hook. Rules are evaluated before the request reaches
// any storage.
func (e *Engine) Intercept(w http.ResponseWriter, r *http.Request, req *s3op.Request, serve http.HandlerFunc) {
	if e.active.Load() == 0 {
		serve(w, r)
		return
	}
	fs := e.evaluate(&Request{
		Service: faultname.Gateway, Operation: req.Operation, Method: r.Method, Bucket: req.Bucket, Key: req.Key,
		Header: r.Header, RawQuery: r.URL.RawQuery, RemoteAddr: r.RemoteAddr, RequestID: req.ID, Attempt: req.Attempt,
	}, nil)
	if len(fs) == 0 {
		serve(w, r)
		return
	}
	ctx := r.Context()
	var slowClose time.Duration
	var held *holdLastWriter
	for _, f := range fs {
		faulttrace.Add(ctx, f.id)
		a := f.action
		switch a.Kind {
		case faultname.KindDelay:
			if a.BeforeBody {
				w = &bodyDelayWriter{ResponseWriter: w, ctx: ctx, delay: f.delay}
			} else if !sleep(ctx, f.delay) {
				panic(http.ErrAbortHandler) // the client gave up or the server is closing
			}
		case faultname.KindTruncate:
			w = &truncatingWriter{ResponseWriter: w, left: a.Bytes}
		case faultname.KindCorrupt:
			w = &corruptingWriter{ResponseWriter: w, from: a.Bytes}
		case faultname.KindSlowBody:
			w = &slowWriter{ResponseWriter: w, ctx: ctx, rate: a.BytesPerSecond}
		case faultname.KindSlowClose:
			slowClose += f.delay
		case faultname.KindError, faultname.KindFailWrite, faultname.KindDatabaseError:
			writeErrorAction(w, r, a)
			return
		case faultname.KindHang:
			<-ctx.Done()
			panic(http.ErrAbortHandler) // no response at all, not an empty 200
		case faultname.KindClose:
			panic(http.ErrAbortHandler) // net/http closes the connection, says nothing
		case faultname.KindReset:
			reset(w)
			return
		}
	}
	if slowClose > 0 {
		held = &holdLastWriter{ResponseWriter: w}
		w = held
	}
	serve(w, r)
	if held != nil {
		// Everything but the last byte goes now; the last after the wait,
		// so the client sees the response end late.
		http.NewResponseController(held.ResponseWriter).Flush()
		if !sleep(ctx, slowClose) {
			panic(http.ErrAbortHandler)
		}
		held.release()
	}
}

// holdLastWriter keeps back the last byte written, for release to send.
type holdLastWriter struct {
	http.ResponseWriter
	last    [1]byte
	holding bool
}

func (w *holdLastWriter) Write(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if w.holding {
		if _, err := w.ResponseWriter.Write(w.last[:]); err != nil {
			return 0, err
		}
	}
	if _, err := w.ResponseWriter.Write(p[:len(p)-1]); err != nil {
		return 0, err
	}
	w.last[0], w.holding = p[len(p)-1], true
	return len(p), nil
}

func (w *holdLastWriter) release() {
	if w.holding {
		w.ResponseWriter.Write(w.last[:])
		w.holding = false
	}
}

func (w *holdLastWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// writeErrorAction answers with the action's S3 error, its headers and, if
// given, its raw body.
func writeErrorAction(w http.ResponseWriter, r *http.Request, a faults.Action) {
	status, e := s3Error(a)
	for k, v := range a.Header {
		w.Header()[k] = []string{v}
	}
	if a.Body != "" {
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(status)
		if r.Method != http.MethodHead {
			w.Write([]byte(a.Body))
		}
		return
	}
	e.Status = status
	s3err.WriteError(w, r, e)
}

// sleep waits d or until ctx is done, reporting whether the full time passed.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// reset drops the connection with a reset (RST) rather than an orderly
// close. Under TLS it resets the raw connection: closing the TLS one would
// send close_notify, which the client reads as a clean end.
func reset(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if nc, ok := conn.(interface{ NetConn() net.Conn }); ok {
		conn = nc.NetConn()
	}
	if l, ok := conn.(interface{ SetLinger(int) error }); ok {
		l.SetLinger(0)
	}
	conn.Close()
}

// bodyDelayWriter waits before the first body byte.
type bodyDelayWriter struct {
	http.ResponseWriter
	ctx     context.Context
	delay   time.Duration
	started bool
}

func (w *bodyDelayWriter) Write(p []byte) (int, error) {
	if !w.started {
		w.started = true
		http.NewResponseController(w.ResponseWriter).Flush()
		if !sleep(w.ctx, w.delay) {
			return 0, w.ctx.Err()
		}
	}
	return w.ResponseWriter.Write(p)
}

func (w *bodyDelayWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// truncatingWriter lets left body bytes through, then drops the
// connection: the client sees fewer bytes than Content-Length promised.
type truncatingWriter struct {
	http.ResponseWriter
	left int64
}

func (w *truncatingWriter) Write(p []byte) (int, error) {
	if int64(len(p)) <= w.left {
		w.left -= int64(len(p))
		return w.ResponseWriter.Write(p)
	}
	if w.left > 0 {
		w.ResponseWriter.Write(p[:w.left])
	}
	http.NewResponseController(w.ResponseWriter).Flush()
	panic(http.ErrAbortHandler)
}

func (w *truncatingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// corruptingWriter flips the low bit of the byte at offset from and of
// every 4096th byte after it, the same bytes on every run.
type corruptingWriter struct {
	http.ResponseWriter
	from, off int64
	buf       []byte
}

const corruptEvery = 4096

func (w *corruptingWriter) Write(p []byte) (int, error) {
	end := w.off + int64(len(p))
	if end <= w.from {
		w.off = end
		return w.ResponseWriter.Write(p)
	}
	w.buf = append(w.buf[:0], p...)
	first := w.from
	if w.off > w.from {
		first = w.from + (w.off-w.from+corruptEvery-1)/corruptEvery*corruptEvery
	}
	for i := first; i < end; i += corruptEvery {
		w.buf[i-w.off] ^= 1
	}
	w.off = end
	return w.ResponseWriter.Write(w.buf)
}

func (w *corruptingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// slowWriter paces the body at rate bytes per second, in slices of a tenth
// of a second. Each slice is flushed only before the next one, so the last
// leaves with the end of the response, after the request is journalled.
type slowWriter struct {
	http.ResponseWriter
	ctx     context.Context
	rate    int64
	pending bool // a slice was written but not flushed
}

func (w *slowWriter) Write(p []byte) (int, error) {
	step := max(w.rate/10, 1)
	n := 0
	for len(p) > 0 {
		chunk := p[:min(int64(len(p)), step)]
		if w.pending {
			http.NewResponseController(w.ResponseWriter).Flush()
			if !sleep(w.ctx, time.Duration(int64(len(chunk))*int64(time.Second)/w.rate)) {
				return n, w.ctx.Err()
			}
		}
		m, err := w.ResponseWriter.Write(chunk)
		n += m
		w.pending = true
		if err != nil {
			return n, err
		}
		p = p[len(chunk):]
	}
	return n, nil
}

func (w *slowWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
