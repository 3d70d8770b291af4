// Package rpc is the JSON-over-HTTP layer the role services share in stack
// mode: one error envelope mapped to each role's sentinel errors, the
// /health endpoint, bounded JSON bodies, and the client's call.
//
// An error answer is a status and the envelope {"code": "...", "message":
// "..."}. A role lists the errors that cross the wire as themselves in its
// Protocol; the client turns their codes back into errors that errors.Is
// matches against the sentinel and errors.As against *RemoteError, keeping
// the service's message. Any other error answer is a *RemoteError.
package rpc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// MaxErrorBody bounds how much of an error answer a client reads.
const MaxErrorBody = 64 << 10

// Codes of the envelope that no role's table declares.
const (
	CodeInternal     = "InternalError" // an error with no code of its own
	CodeBadRequest   = "BadRequest"    // a malformed request
	CodeRequestEnded = "RequestEnded"  // the caller went away; nobody reads it
)

// Sentinel is an error that crosses the wire as itself, with its status
// and code. Statuses may repeat (several roles' "not found" are 404): the
// code tells sentinels apart.
type Sentinel struct {
	Err    error
	Status int
	Code   string
}

// Protocol is one role service's wire protocol: its name and the errors
// its answers carry as themselves.
type Protocol struct {
	Service   string // names the service in /health and in client errors
	Sentinels []Sentinel
}

// envelope is the body of every error answer.
type envelope struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// RemoteError is an error answer that is not one of the protocol's
// sentinels. A handler may also return one to choose the status and code
// its error is answered with.
type RemoteError struct {
	Status  int    // HTTP status
	Code    string // the envelope's code; empty if the body was not an envelope
	Message string // the envelope's message, or the start of a foreign body
}

func (e *RemoteError) Error() string {
	if e.Code != "" && e.Message != "" {
		return e.Message // as the service's error read
	}
	s := fmt.Sprintf("service answered %d %s", e.Status, http.StatusText(e.Status))
	if e.Code != "" {
		s += " " + e.Code
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// sentinelError is a sentinel's error answer: it is the sentinel for
// errors.Is, the answer for errors.As, and reads as the service's message.
type sentinelError struct {
	remote RemoteError
	err    error
}

func (e *sentinelError) Error() string {
	if e.remote.Message == "" {
		return e.err.Error()
	}
	return e.remote.Message
}

func (e *sentinelError) Unwrap() error { return e.err }

// As lets errors.As find the answer as a *RemoteError.
func (e *sentinelError) As(target any) bool {
	p, ok := target.(**RemoteError)
	if ok {
		re := e.remote
		*p = &re
	}
	return ok
}

// classify returns the status and code err is answered with: its
// sentinel's, or a *RemoteError's own, or 500 InternalError.
func (p *Protocol) classify(r *http.Request, err error) (int, string) {
	for _, s := range p.Sentinels {
		if errors.Is(err, s.Err) {
			return s.Status, s.Code
		}
	}
	var re *RemoteError
	switch {
	case errors.As(err, &re) && re.Status >= 400 && re.Code != "":
		// A handler in front of a Client passes a remote error on.
		return re.Status, re.Code
	case r != nil && r.Context().Err() != nil:
		return http.StatusServiceUnavailable, CodeRequestEnded
	}
	return http.StatusInternalServerError, CodeInternal
}

// WriteError answers err with its status and code (see Sentinel and
// RemoteError); the message is err's, so the client's error reads the same.
func (p *Protocol) WriteError(w http.ResponseWriter, r *http.Request, err error) {
	status, code := p.classify(r, err)
	WriteJSON(w, status, envelope{code, err.Error()})
}

// WriteCode answers with an error of the given status and code.
func WriteCode(w http.ResponseWriter, status int, code, message string) {
	WriteJSON(w, status, envelope{code, message})
}

// WriteJSON answers v as JSON with a Content-Length.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		body, _ = json.Marshal(envelope{CodeInternal, "encoding the response: " + err.Error()})
	}
	body = append(body, '\n')
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

// ReadJSON decodes the request's body, of at most limit bytes, into v; an
// empty body leaves v as it is. On failure it answers 400 BadRequest and
// returns false.
func (p *Protocol) ReadJSON(w http.ResponseWriter, r *http.Request, v any, limit int64) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, limit))
	if err := dec.Decode(v); err != nil && err != io.EOF {
		WriteCode(w, http.StatusBadRequest, CodeBadRequest,
			fmt.Sprintf("%s: %s %s: bad request body: %v", p.Service, r.Method, r.URL.Path, err))
		return false
	}
	return true
}

// health is the body of GET /health.
type health struct {
	Status  string `json:"status"`
	Service string `json:"service"`
}

// Health serves GET /health: 200 {"status":"healthy","service":...}.
func (p *Protocol) Health(w http.ResponseWriter, _ *http.Request) {
	WriteJSON(w, http.StatusOK, health{"healthy", p.Service})
}

// DecodeError turns an error answer into the sentinel its code names
// (wrapped, see the package doc) or a *RemoteError, reading at most
// MaxErrorBody bytes of it; it closes the body.
func (p *Protocol) DecodeError(resp *http.Response) error {
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, MaxErrorBody))
	var env envelope
	if json.Unmarshal(data, &env) != nil || env.Code == "" {
		return &RemoteError{Status: resp.StatusCode, Message: strings.TrimSpace(string(data))}
	}
	re := RemoteError{Status: resp.StatusCode, Code: env.Code, Message: env.Message}
	for _, s := range p.Sentinels {
		if s.Code == env.Code {
			return &sentinelError{re, s.Err}
		}
	}
	return &re
}

// Client calls a service of a Protocol. It is safe for concurrent use.
type Client struct {
	p    *Protocol
	base string
	hc   *http.Client
}

// NewClient returns a Client for p's service at baseURL (such as
// "http://127.0.0.1:8081"), calling it with hc, or http.DefaultClient if hc
// is nil.
func (p *Protocol) NewClient(baseURL string, hc *http.Client) *Client {
	if hc == nil {
		hc = http.DefaultClient
	}
	return &Client{p: p, base: strings.TrimRight(baseURL, "/"), hc: hc}
}

// HTTPClient returns the http.Client c calls with.
func (c *Client) HTTPClient() *http.Client { return c.hc }

// URL returns the URL of path, which starts with "/".
func (c *Client) URL(path string) string { return c.base + path }

// Err reports a failed round trip of the call name, as ctx's error when
// ctx has ended (so errors.Is(err, context.Canceled) works).
func (c *Client) Err(ctx context.Context, name string, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		err = cerr
	}
	return fmt.Errorf("%s: %s: %w", c.p.Service, name, err)
}

// Do sends a request for the call name with in as its JSON body (none if
// in is nil), and returns a 2xx response; any other answer becomes its
// error (DecodeError), a failed round trip Err's.
func (c *Client) Do(ctx context.Context, name, method, path string, in any) (*http.Response, error) {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return nil, fmt.Errorf("%s: %s: encoding the request: %w", c.p.Service, name, err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %w", c.p.Service, name, err)
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, c.Err(ctx, name, err)
	}
	if resp.StatusCode/100 != 2 {
		return nil, c.p.DecodeError(resp)
	}
	return resp, nil
}

// Call is Do, decoding a 2xx answer's JSON body into out unless out is nil
// or the answer is 204 No Content.
func (c *Client) Call(ctx context.Context, name, method, path string, in, out any) error {
	resp, err := c.Do(ctx, name, method, path, in)
	if err != nil {
		return err
	}
	defer func() {
		// Drain a little so the connection can be reused.
		io.Copy(io.Discard, io.LimitReader(resp.Body, MaxErrorBody))
		resp.Body.Close()
	}()
	if out == nil || resp.StatusCode == http.StatusNoContent {
		return nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return c.Err(ctx, name+": decoding the answer", err)
	}
	return nil
}

// Health reports whether the service answers GET /health with 200 and
// status "healthy".
func (c *Client) Health(ctx context.Context) error {
	var h health
	if err := c.Call(ctx, "Health", http.MethodGet, "/health", nil, &h); err != nil {
		return err
	}
	if h.Status != "healthy" {
		return fmt.Errorf("%s: Health: status %q", c.p.Service, h.Status)
	}
	return nil
}
