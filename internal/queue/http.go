package queue

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// The queue service's HTTP API (stack mode). Bodies are JSON; a Task is
// encoded as its struct tags say (Payload in base64).
//
//	POST /v1/tasks               {"type","payload"}  → 201 {"id"}
//	POST /v1/dequeue             long-poll           → 200 Task, or 204 when the request ends first
//	POST /v1/tasks/{id}/ack                          → 204
//	POST /v1/tasks/{id}/nack     {"reason"}          → 204
//	POST /v1/tasks/{id}/release                      → 204
//	POST /v1/wait-idle           blocks until idle   → 204
//	GET  /v1/stats                                   → 200 Stats
//	GET  /v1/dead-letters                            → 200 [Task]
//	GET  /health                                     → 200 {"status":"healthy","service":"queue"}
//
// Errors are {"code","message"} with a status: ErrNoTask is 404 NoSuchTask,
// ErrClosed is 503 QueueClosed, a bad request 400 BadRequest, anything else
// 500 InternalError.

// maxRequestBody bounds a request body (a task payload is a small JSON
// document, not object bytes).
const maxRequestBody = 16 << 20

const (
	codeNoSuchTask    = "NoSuchTask"
	codeQueueClosed   = "QueueClosed"
	codeBadRequest    = "BadRequest"
	codeInternalError = "InternalError"
	codeRequestEnded  = "RequestEnded"
)

type enqueueRequest struct {
	Type    string `json:"type"`
	Payload []byte `json:"payload"`
}

type enqueueResponse struct {
	ID string `json:"id"`
}

type nackRequest struct {
	Reason string `json:"reason"`
}

type errorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// NewHandler returns the queue service's HTTP handler for q. A Dequeue
// whose request ends after it has taken a lease gives the task back when q
// implements Releaser, so an abandoned long-poll never strands a task.
func NewHandler(q Queue) http.Handler {
	h := &handler{q: q}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/tasks", h.enqueue)
	mux.HandleFunc("POST /v1/dequeue", h.dequeue)
	mux.HandleFunc("POST /v1/tasks/{id}/ack", h.ack)
	mux.HandleFunc("POST /v1/tasks/{id}/nack", h.nack)
	mux.HandleFunc("POST /v1/tasks/{id}/release", h.release)
	mux.HandleFunc("POST /v1/wait-idle", h.waitIdle)
	mux.HandleFunc("GET /v1/stats", h.stats)
	mux.HandleFunc("GET /v1/dead-letters", h.deadLetters)
	mux.HandleFunc("GET /health", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "healthy", "service": "queue"})
	})
	return mux
}

type handler struct {
	q Queue
}

func (h *handler) enqueue(w http.ResponseWriter, r *http.Request) {
	var req enqueueRequest
	if !readJSON(w, r, &req) {
		return
	}
	if req.Type == "" {
		writeError(w, http.StatusBadRequest, codeBadRequest, "queue: task type is empty")
		return
	}
	id, err := h.q.Enqueue(r.Context(), req.Type, req.Payload)
	if err != nil {
		writeErr(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, enqueueResponse{ID: id})
}

func (h *handler) dequeue(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	t, err := h.q.Dequeue(ctx)
	if err != nil {
		if ctx.Err() != nil {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		writeErr(w, r, err)
		return
	}
	body, err := json.Marshal(t)
	if err != nil {
		h.giveBack(ctx, t.ID)
		writeError(w, http.StatusInternalServerError, codeInternalError, fmt.Sprintf("queue: encoding task %s: %v", t.ID, err))
		return
	}
	if ctx.Err() != nil {
		h.giveBack(ctx, t.ID)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if _, err := w.Write(body); err != nil {
		h.giveBack(ctx, t.ID)
		return
	}
	if err := http.NewResponseController(w).Flush(); err != nil {
		// The task never left this process.
		h.giveBack(ctx, t.ID)
	}
}

// giveBack releases a lease whose caller is gone (it would never be
// settled), if the queue can.
func (h *handler) giveBack(ctx context.Context, id string) {
	if rel, ok := h.q.(Releaser); ok {
		rel.Release(context.WithoutCancel(ctx), id)
	}
}

func (h *handler) ack(w http.ResponseWriter, r *http.Request) {
	if err := h.q.Ack(r.Context(), r.PathValue("id")); err != nil {
		writeErr(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *handler) nack(w http.ResponseWriter, r *http.Request) {
	var req nackRequest
	if !readJSON(w, r, &req) {
		return
	}
	if err := h.q.Nack(r.Context(), r.PathValue("id"), req.Reason); err != nil {
		writeErr(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *handler) release(w http.ResponseWriter, r *http.Request) {
	rel, ok := h.q.(Releaser)
	if !ok {
		writeError(w, http.StatusNotImplemented, "NotImplemented", "queue: this queue cannot release tasks")
		return
	}
	if err := rel.Release(r.Context(), r.PathValue("id")); err != nil {
		writeErr(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *handler) waitIdle(w http.ResponseWriter, r *http.Request) {
	if err := h.q.WaitIdle(r.Context()); err != nil {
		writeErr(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *handler) stats(w http.ResponseWriter, r *http.Request) {
	st, err := h.q.Stats(r.Context())
	if err != nil {
		writeErr(w, r, err)
		return
	}
	if st.ByType == nil {
		st.ByType = map[string]TypeStats{}
	}
	writeJSON(w, http.StatusOK, st)
}

func (h *handler) deadLetters(w http.ResponseWriter, r *http.Request) {
	ts, err := h.q.DeadLetters(r.Context())
	if err != nil {
		writeErr(w, r, err)
		return
	}
	if ts == nil {
		ts = []Task{}
	}
	writeJSON(w, http.StatusOK, ts)
}

// readJSON decodes the request body into v; on failure it writes a 400 and
// returns false.
func readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxRequestBody))
	if err := dec.Decode(v); err != nil && !errors.Is(err, io.EOF) {
		writeError(w, http.StatusBadRequest, codeBadRequest, "queue: bad request body: "+err.Error())
		return false
	}
	return true
}

// writeErr writes err with the status and code that the Client maps back.
func writeErr(w http.ResponseWriter, r *http.Request, err error) {
	var re *RemoteError
	switch {
	case errors.Is(err, ErrNoTask):
		writeError(w, http.StatusNotFound, codeNoSuchTask, err.Error())
	case errors.Is(err, ErrClosed):
		writeError(w, http.StatusServiceUnavailable, codeQueueClosed, err.Error())
	case errors.As(err, &re):
		writeError(w, re.Status, re.Code, re.Message)
	case r.Context().Err() != nil:
		// Nobody reads this: the caller has gone.
		writeError(w, http.StatusServiceUnavailable, codeRequestEnded, err.Error())
	default:
		writeError(w, http.StatusInternalServerError, codeInternalError, err.Error())
	}
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, errorBody{Code: code, Message: msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		body, _ = json.Marshal(errorBody{Code: codeInternalError, Message: err.Error()})
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

// RemoteError is an error reported by the queue service that has no
// sentinel of its own (ErrClosed and ErrNoTask come back as themselves).
type RemoteError struct {
	Status  int    // HTTP status
	Code    string // e.g. "InternalError", "BadRequest"
	Message string
}

func (e *RemoteError) Error() string {
	return fmt.Sprintf("queue: service answered %d %s: %s", e.Status, e.Code, e.Message)
}

// Client is a Queue that calls a queue service over HTTP.
//
// Dequeue and WaitIdle are long-polls, so hc should have no Timeout: they
// end with their context instead. A Dequeue whose context ends just as the
// service hands out a task either returns the task (the lease is the
// caller's) or leaves the service to release it.
type Client struct {
	base string
	hc   *http.Client
}

var (
	_ Queue    = (*Client)(nil)
	_ Releaser = (*Client)(nil)
)

// NewClient returns a Client for the queue service at baseURL (such as
// "http://127.0.0.1:8083"), using hc (http.DefaultClient if nil).
func NewClient(baseURL string, hc *http.Client) *Client {
	if hc == nil {
		hc = http.DefaultClient
	}
	return &Client{base: strings.TrimRight(baseURL, "/"), hc: hc}
}

// Enqueue implements Queue.
func (c *Client) Enqueue(ctx context.Context, taskType string, payload []byte) (string, error) {
	var out enqueueResponse
	if err := c.call(ctx, http.MethodPost, "/v1/tasks", enqueueRequest{Type: taskType, Payload: payload}, &out); err != nil {
		return "", err
	}
	return out.ID, nil
}

// Dequeue implements Queue.
func (c *Client) Dequeue(ctx context.Context) (Task, error) {
	if err := ctx.Err(); err != nil {
		return Task{}, err
	}
	// The request gets its own context, cancelled when ctx ends only until
	// the response arrives: once the service has sent a task, reading it
	// must not be cut short, or the lease would be lost.
	rctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	stop := context.AfterFunc(ctx, cancel)
	req, err := c.newRequest(rctx, http.MethodPost, "/v1/dequeue", nil)
	if err != nil {
		stop()
		return Task{}, err
	}
	resp, err := c.hc.Do(req)
	stop()
	if err != nil {
		return Task{}, c.transportError(ctx, req, err)
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
		var t Task
		if err := json.NewDecoder(resp.Body).Decode(&t); err != nil {
			if ctx.Err() != nil {
				return Task{}, ctx.Err()
			}
			return Task{}, fmt.Errorf("queue: decoding dequeued task: %w", err)
		}
		return t, nil
	case http.StatusNoContent:
		if err := ctx.Err(); err != nil {
			return Task{}, err
		}
		return Task{}, &RemoteError{Status: resp.StatusCode, Code: codeRequestEnded, Message: "dequeue ended without a task"}
	default:
		return Task{}, decodeError(resp)
	}
}

// Ack implements Queue.
func (c *Client) Ack(ctx context.Context, id string) error {
	return c.call(ctx, http.MethodPost, "/v1/tasks/"+url.PathEscape(id)+"/ack", nil, nil)
}

// Nack implements Queue.
func (c *Client) Nack(ctx context.Context, id string, reason string) error {
	return c.call(ctx, http.MethodPost, "/v1/tasks/"+url.PathEscape(id)+"/nack", nackRequest{Reason: reason}, nil)
}

// Release implements Releaser.
func (c *Client) Release(ctx context.Context, id string) error {
	return c.call(ctx, http.MethodPost, "/v1/tasks/"+url.PathEscape(id)+"/release", nil, nil)
}

// WaitIdle implements Queue.
func (c *Client) WaitIdle(ctx context.Context) error {
	return c.call(ctx, http.MethodPost, "/v1/wait-idle", nil, nil)
}

// Stats implements Queue.
func (c *Client) Stats(ctx context.Context) (Stats, error) {
	var st Stats
	err := c.call(ctx, http.MethodGet, "/v1/stats", nil, &st)
	return st, err
}

// DeadLetters implements Queue.
func (c *Client) DeadLetters(ctx context.Context) ([]Task, error) {
	var ts []Task
	if err := c.call(ctx, http.MethodGet, "/v1/dead-letters", nil, &ts); err != nil {
		return nil, err
	}
	return ts, nil
}

func (c *Client) newRequest(ctx context.Context, method, path string, in any) (*http.Request, error) {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return nil, fmt.Errorf("queue: encoding request: %w", err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req, nil
}

// call sends a request and decodes a 2xx JSON answer into out (if not nil).
func (c *Client) call(ctx context.Context, method, path string, in, out any) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	req, err := c.newRequest(ctx, method, path, in)
	if err != nil {
		return err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return c.transportError(ctx, req, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return decodeError(resp)
	}
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("queue: decoding %s %s answer: %w", method, path, err)
		}
	}
	return nil
}

// transportError reports a failed round trip: ctx's own error if ctx has
// ended, so callers can test it with errors.Is.
func (c *Client) transportError(ctx context.Context, req *http.Request, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return fmt.Errorf("queue: %s %s: %w", req.Method, req.URL.Path, err)
}

// decodeError maps an error answer back to ErrNoTask, ErrClosed or a
// *RemoteError.
func decodeError(resp *http.Response) error {
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	var eb errorBody
	if json.Unmarshal(b, &eb) != nil || eb.Code == "" {
		eb = errorBody{Code: http.StatusText(resp.StatusCode), Message: strings.TrimSpace(string(b))}
	}
	switch eb.Code {
	case codeNoSuchTask:
		return ErrNoTask
	case codeQueueClosed:
		return ErrClosed
	}
	return &RemoteError{Status: resp.StatusCode, Code: eb.Code, Message: eb.Message}
}
