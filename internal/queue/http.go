package queue

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/mocks3/mocks3/internal/rpc"
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

// protocol is the service's error envelope (see package rpc).
var protocol = &rpc.Protocol{
	Service: "queue",
	Sentinels: []rpc.Sentinel{
		{Err: ErrNoTask, Status: http.StatusNotFound, Code: "NoSuchTask"},
		{Err: ErrClosed, Status: http.StatusServiceUnavailable, Code: "QueueClosed"},
	},
}

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
	mux.HandleFunc("GET /health", protocol.Health)
	return mux
}

type handler struct {
	q Queue
}

func (h *handler) enqueue(w http.ResponseWriter, r *http.Request) {
	var req enqueueRequest
	if !protocol.ReadJSON(w, r, &req, maxRequestBody) {
		return
	}
	if req.Type == "" {
		rpc.WriteCode(w, http.StatusBadRequest, rpc.CodeBadRequest, "queue: task type is empty")
		return
	}
	id, err := h.q.Enqueue(r.Context(), req.Type, req.Payload)
	if err != nil {
		protocol.WriteError(w, r, err)
		return
	}
	rpc.WriteJSON(w, http.StatusCreated, enqueueResponse{ID: id})
}

func (h *handler) dequeue(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	t, err := h.q.Dequeue(ctx)
	if err != nil {
		if ctx.Err() != nil {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		protocol.WriteError(w, r, err)
		return
	}
	body, err := json.Marshal(t)
	if err != nil {
		h.giveBack(ctx, t.ID)
		rpc.WriteCode(w, http.StatusInternalServerError, rpc.CodeInternal, fmt.Sprintf("queue: encoding task %s: %v", t.ID, err))
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
		protocol.WriteError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *handler) nack(w http.ResponseWriter, r *http.Request) {
	var req nackRequest
	if !protocol.ReadJSON(w, r, &req, maxRequestBody) {
		return
	}
	if err := h.q.Nack(r.Context(), r.PathValue("id"), req.Reason); err != nil {
		protocol.WriteError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *handler) release(w http.ResponseWriter, r *http.Request) {
	rel, ok := h.q.(Releaser)
	if !ok {
		rpc.WriteCode(w, http.StatusNotImplemented, "NotImplemented", "queue: this queue cannot release tasks")
		return
	}
	if err := rel.Release(r.Context(), r.PathValue("id")); err != nil {
		protocol.WriteError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *handler) waitIdle(w http.ResponseWriter, r *http.Request) {
	if err := h.q.WaitIdle(r.Context()); err != nil {
		protocol.WriteError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *handler) stats(w http.ResponseWriter, r *http.Request) {
	st, err := h.q.Stats(r.Context())
	if err != nil {
		protocol.WriteError(w, r, err)
		return
	}
	if st.ByType == nil {
		st.ByType = map[string]TypeStats{}
	}
	rpc.WriteJSON(w, http.StatusOK, st)
}

func (h *handler) deadLetters(w http.ResponseWriter, r *http.Request) {
	ts, err := h.q.DeadLetters(r.Context())
	if err != nil {
		protocol.WriteError(w, r, err)
		return
	}
	if ts == nil {
		ts = []Task{}
	}
	rpc.WriteJSON(w, http.StatusOK, ts)
}

// RemoteError is an error reported by the queue service that has no
// sentinel of its own (ErrClosed and ErrNoTask come back as errors that
// errors.Is matches).
type RemoteError = rpc.RemoteError

// Client is a Queue that calls a queue service over HTTP.
//
// Dequeue and WaitIdle are long-polls, so hc should have no Timeout: they
// end with their context instead. A Dequeue whose context ends just as the
// service hands out a task either returns the task (the lease is the
// caller's) or leaves the service to release it.
type Client struct{ rpc *rpc.Client }

var (
	_ Queue    = (*Client)(nil)
	_ Releaser = (*Client)(nil)
)

// NewClient returns a Client for the queue service at baseURL (such as
// "http://127.0.0.1:8083"), using hc (http.DefaultClient if nil).
func NewClient(baseURL string, hc *http.Client) *Client {
	return &Client{protocol.NewClient(baseURL, hc)}
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
	resp, err := c.rpc.Do(rctx, "Dequeue", http.MethodPost, "/v1/dequeue", nil)
	stop()
	if err != nil {
		if ctx.Err() != nil {
			return Task{}, ctx.Err()
		}
		return Task{}, err
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
		return Task{}, &RemoteError{Status: resp.StatusCode, Code: rpc.CodeRequestEnded, Message: "dequeue ended without a task"}
	default:
		return Task{}, fmt.Errorf("queue: Dequeue: unexpected %s", resp.Status)
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

// call calls the service and decodes a 2xx JSON answer into out (if not nil).
func (c *Client) call(ctx context.Context, method, path string, in, out any) error {
	return c.rpc.Call(ctx, method+" "+path, method, path, in, out)
}
