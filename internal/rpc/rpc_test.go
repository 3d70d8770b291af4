package rpc_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/rpc"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

var errRole = errors.New("role: its own sentinel")

// proto carries every backend sentinel and one of a role's own.
var proto = &rpc.Protocol{
	Service: "test",
	Sentinels: []rpc.Sentinel{
		{Err: backend.ErrBucketNotFound, Status: 404, Code: "BucketNotFound"},
		{Err: backend.ErrObjectNotFound, Status: 404, Code: "ObjectNotFound"},
		{Err: backend.ErrUploadNotFound, Status: 404, Code: "UploadNotFound"},
		{Err: backend.ErrUploadChanged, Status: 409, Code: "UploadChanged"},
		{Err: backend.ErrBucketExists, Status: 409, Code: "BucketExists"},
		{Err: backend.ErrBucketNotEmpty, Status: 409, Code: "BucketNotEmpty"},
		{Err: backend.ErrUploadExists, Status: 409, Code: "UploadExists"},
		{Err: backend.ErrPreconditionFailed, Status: 412, Code: "PreconditionFailed"},
		{Err: backend.ErrBlobNotFound, Status: 404, Code: "NoSuchBlob"},
		{Err: backend.ErrClosed, Status: 503, Code: "Closed"},
		{Err: backend.ErrInsufficientStorage, Status: 507, Code: "StorageFull"},
		{Err: errRole, Status: 500, Code: "RoleError"},
	},
}

// serveErr serves a handler answering err to every call, and returns a
// client for it.
func serveErr(t *testing.T, err error) *rpc.Client {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		proto.WriteError(w, r, err)
	}))
	t.Cleanup(srv.Close)
	return proto.NewClient(srv.URL, srv.Client())
}

// serve serves h and returns a client for it.
func serve(t *testing.T, h http.HandlerFunc) *rpc.Client {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return proto.NewClient(srv.URL+"/", srv.Client())
}

// remote returns err's *RemoteError, failing the test if there is none.
func remote(t *testing.T, err error) rpc.RemoteError {
	t.Helper()
	var re *rpc.RemoteError
	if !errors.As(err, &re) {
		t.Fatalf("Call() = %#v, want one errors.As finds as a *RemoteError", err)
	}
	return *re
}

// TestSentinels sends every sentinel, wrapped, through the envelope: the
// wire carries its status and code, and the client's error is that
// sentinel and no other, a *RemoteError, and reads as the service's error.
func TestSentinels(t *testing.T) {
	for _, s := range proto.Sentinels {
		t.Run(s.Code, func(t *testing.T) {
			sent := fmt.Errorf("node 2: %w", s.Err)

			rec := httptest.NewRecorder()
			proto.WriteError(rec, httptest.NewRequest("POST", "/", nil), sent)
			if got, want := rec.Body.String(), fmt.Sprintf(`{"code":%q,"message":%q}`+"\n", s.Code, sent.Error()); rec.Code != s.Status || got != want {
				t.Errorf("WriteError(%v) = %d %s, want %d %s", sent, rec.Code, got, s.Status, want)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
				t.Errorf("WriteError: Content-Type = %q, want application/json", ct)
			}

			err := serveErr(t, sent).Call(t.Context(), "Op", "POST", "/op", struct{}{}, nil)
			for _, other := range proto.Sentinels {
				if got := errors.Is(err, other.Err); got != (other.Err == s.Err) {
					t.Errorf("errors.Is(%v, %v) = %t", err, other.Err, got)
				}
			}
			want := rpc.RemoteError{Status: s.Status, Code: s.Code, Message: sent.Error()}
			if d := cmp.Diff(want, remote(t, err)); d != "" {
				t.Errorf("Call() RemoteError mismatch (-want +got):\n%s", d)
			}
			if err.Error() != sent.Error() {
				t.Errorf("Call() = %q, want the service's message %q", err, sent)
			}
		})
	}
}

// TestSentinelNoMessage checks that a sentinel's answer without a message
// reads as the sentinel.
func TestSentinelNoMessage(t *testing.T) {
	c := serve(t, func(w http.ResponseWriter, r *http.Request) {
		rpc.WriteCode(w, 409, "BucketExists", "")
	})
	err := c.Call(t.Context(), "Op", "GET", "/", nil, nil)
	if !errors.Is(err, backend.ErrBucketExists) || err.Error() != backend.ErrBucketExists.Error() {
		t.Errorf("Call() = %v, want %v", err, backend.ErrBucketExists)
	}
}

func TestOtherErrors(t *testing.T) {
	tests := []struct {
		name string
		err  error // what the handler answers
		want rpc.RemoteError
	}{
		{"Plain", errors.New("disk on fire"), rpc.RemoteError{Status: 500, Code: "InternalError", Message: "disk on fire"}},
		{"Remote", &rpc.RemoteError{Status: 507, Code: "Full", Message: "no room"}, rpc.RemoteError{Status: 507, Code: "Full", Message: "no room"}},
		{"WrappedRemote", fmt.Errorf("node 1: %w", &rpc.RemoteError{Status: 400, Code: "BadRequest", Message: "bad"}),
			rpc.RemoteError{Status: 400, Code: "BadRequest", Message: "node 1: bad"}},
		// A foreign error without a code, or with a success status, is no
		// status to pass on.
		{"RemoteNoCode", &rpc.RemoteError{Status: 502, Message: "upstream down"},
			rpc.RemoteError{Status: 500, Code: "InternalError", Message: "service answered 502 Bad Gateway: upstream down"}},
		{"RemoteNoStatus", &rpc.RemoteError{Status: 200, Code: "Odd", Message: "odd"}, rpc.RemoteError{Status: 500, Code: "InternalError", Message: "odd"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := serveErr(t, tt.err).Call(t.Context(), "Op", "POST", "/op", nil, nil)
			if d := cmp.Diff(tt.want, remote(t, err)); d != "" {
				t.Errorf("Call() RemoteError mismatch (-want +got):\n%s", d)
			}
			for _, s := range proto.Sentinels {
				if errors.Is(err, s.Err) {
					t.Errorf("Call() = %v, matches sentinel %v", err, s.Err)
				}
			}
		})
	}
}

// TestRequestEnded checks that an error of a request whose caller went away
// is not reported as the service's failure.
func TestRequestEnded(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	rec := httptest.NewRecorder()
	proto.WriteError(rec, httptest.NewRequest("POST", "/", nil).WithContext(ctx), ctx.Err())
	var env struct{ Code string }
	if json.Unmarshal(rec.Body.Bytes(), &env); rec.Code != 503 || env.Code != rpc.CodeRequestEnded {
		t.Errorf("WriteError(ended request) = %d %s, want 503 %s", rec.Code, rec.Body, rpc.CodeRequestEnded)
	}
}

// TestUnknownCode checks an envelope whose code no sentinel has.
func TestUnknownCode(t *testing.T) {
	c := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(429)
		io.WriteString(w, `{"code":"SlowDown","message":"Please reduce your request rate."}`)
	})
	err := c.Call(t.Context(), "Op", "GET", "/", nil, nil)
	want := rpc.RemoteError{Status: 429, Code: "SlowDown", Message: "Please reduce your request rate."}
	if d := cmp.Diff(want, remote(t, err)); d != "" {
		t.Errorf("Call() mismatch (-want +got):\n%s", d)
	}
	if err.Error() != want.Message {
		t.Errorf("Call() = %q, want %q", err, want.Message)
	}
}

// TestForeignBodies checks answers that are not the envelope, as a proxy
// or a fault on the hop would send them.
func TestForeignBodies(t *testing.T) {
	tests := []struct {
		name      string
		h         http.HandlerFunc
		want      rpc.RemoteError
		wantError string
	}{
		{"PlainText", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "upstream down", http.StatusBadGateway)
		}, rpc.RemoteError{Status: 502, Message: "upstream down"}, "service answered 502 Bad Gateway: upstream down"},
		{"XML", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(503)
			io.WriteString(w, "<Error><Code>SlowDown</Code></Error>")
		}, rpc.RemoteError{Status: 503, Message: "<Error><Code>SlowDown</Code></Error>"},
			"service answered 503 Service Unavailable: <Error><Code>SlowDown</Code></Error>"},
		{"JSONWithoutCode", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(500)
			io.WriteString(w, `{"message":"m"}`)
		}, rpc.RemoteError{Status: 500, Message: `{"message":"m"}`}, `service answered 500 Internal Server Error: {"message":"m"}`},
		{"Empty", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusTeapot)
		}, rpc.RemoteError{Status: 418}, "service answered 418 I'm a teapot"},
		{"Redirect", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(304)
		}, rpc.RemoteError{Status: 304}, "service answered 304 Not Modified"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := serve(t, tt.h).Call(t.Context(), "Op", "GET", "/", nil, nil)
			if d := cmp.Diff(tt.want, remote(t, err)); d != "" {
				t.Errorf("Call() mismatch (-want +got):\n%s", d)
			}
			if err.Error() != tt.wantError {
				t.Errorf("Call() = %q, want %q", err, tt.wantError)
			}
		})
	}
}

// TestErrorBodyBounded checks that the client reads at most MaxErrorBody
// bytes of an error answer, whatever the service sends.
func TestErrorBodyBounded(t *testing.T) {
	huge := strings.Repeat("x", 4*rpc.MaxErrorBody)
	for name, body := range map[string]string{
		"Foreign":  huge,
		"Envelope": `{"code":"RoleError","message":"` + huge + `"}`,
	} {
		t.Run(name, func(t *testing.T) {
			c := serve(t, func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(500)
				io.WriteString(w, body)
			})
			err := c.Call(t.Context(), "Op", "GET", "/", nil, nil)
			var re *rpc.RemoteError
			if !errors.As(err, &re) || re.Status != 500 || re.Code != "" {
				t.Fatalf("Call() = %.100v, want a foreign *RemoteError 500 (the body is cut, so no envelope)", err)
			}
			if len(re.Message) != rpc.MaxErrorBody || !strings.HasPrefix(body, re.Message) {
				t.Errorf("Call(): message of %d bytes, want the body's first %d", len(re.Message), rpc.MaxErrorBody)
			}
			if errors.Is(err, errRole) {
				t.Errorf("Call() matches a sentinel from a cut envelope")
			}
		})
	}
}

func TestCall(t *testing.T) {
	type msg struct{ A string }
	c := serve(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/echo":
			var in msg
			if !proto.ReadJSON(w, r, &in, 1<<10) {
				return
			}
			if r.Method != "POST" || r.Header.Get("Content-Type") != "application/json" {
				rpc.WriteCode(w, 400, "Wrong", r.Method+" "+r.Header.Get("Content-Type"))
				return
			}
			rpc.WriteJSON(w, 200, msg{in.A + "!"})
		case "/none":
			w.WriteHeader(http.StatusNoContent)
		case "/garbage":
			io.WriteString(w, "{")
		}
	})
	var out msg
	if err := c.Call(t.Context(), "Echo", "POST", "/echo", msg{"hi"}, &out); err != nil || out.A != "hi!" {
		t.Errorf("Call(echo) = %+v, %v; want {A:hi!}", out, err)
	}
	if err := c.Call(t.Context(), "None", "POST", "/none", nil, &out); err != nil {
		t.Errorf("Call(204) = %v", err)
	}
	err := c.Call(t.Context(), "Garbage", "GET", "/garbage", nil, &out)
	if err == nil || !strings.Contains(err.Error(), "test: Garbage: decoding the answer") {
		t.Errorf("Call(bad JSON answer) = %v, want a decoding error naming the service and call", err)
	}
	if err := c.Call(t.Context(), "Enc", "POST", "/echo", func() {}, nil); err == nil || !strings.Contains(err.Error(), "test: Enc: encoding the request") {
		t.Errorf("Call(unencodable) = %v, want an encoding error", err)
	}
}

func TestReadJSON(t *testing.T) {
	tests := []struct {
		name, body string
		ok         bool
		want       string
	}{
		{"Object", `{"a":"x"}`, true, "x"},
		{"Empty", ``, true, "kept"},
		{"Malformed", `{`, false, ""},
		{"WrongType", `{"a":1}`, false, ""},
		{"TooLarge", `{"a":"` + strings.Repeat("y", 100) + `"}`, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := struct{ A string }{"kept"}
			rec := httptest.NewRecorder()
			ok := proto.ReadJSON(rec, httptest.NewRequest("POST", "/v1/x", strings.NewReader(tt.body)), &v, 64)
			if ok != tt.ok {
				t.Fatalf("ReadJSON(%q) = %t, want %t (answer %d %s)", tt.body, ok, tt.ok, rec.Code, rec.Body)
			}
			if ok {
				if v.A != tt.want {
					t.Errorf("ReadJSON(%q) decoded %q, want %q", tt.body, v.A, tt.want)
				}
				return
			}
			var env struct{ Code, Message string }
			json.Unmarshal(rec.Body.Bytes(), &env)
			if rec.Code != 400 || env.Code != rpc.CodeBadRequest || !strings.HasPrefix(env.Message, "test: POST /v1/x: bad request body: ") {
				t.Errorf("ReadJSON(%q) answered %d %s, want 400 BadRequest naming the service and path", tt.body, rec.Code, rec.Body)
			}
		})
	}
}

func TestWriteJSONUnencodable(t *testing.T) {
	rec := httptest.NewRecorder()
	rpc.WriteJSON(rec, 200, func() {})
	var env struct{ Code string }
	if json.Unmarshal(rec.Body.Bytes(), &env); rec.Code != 500 || env.Code != rpc.CodeInternal {
		t.Errorf("WriteJSON(func) = %d %s, want 500 InternalError", rec.Code, rec.Body)
	}
}

func TestHealth(t *testing.T) {
	c := serve(t, proto.Health)
	if err := c.Health(t.Context()); err != nil {
		t.Errorf("Health() = %v", err)
	}
	rec := httptest.NewRecorder()
	proto.Health(rec, httptest.NewRequest("GET", "/health", nil))
	if got, want := rec.Body.String(), `{"status":"healthy","service":"test"}`+"\n"; rec.Code != 200 || got != want {
		t.Errorf("GET /health = %d %s, want 200 %s", rec.Code, got, want)
	}

	sick := serve(t, func(w http.ResponseWriter, r *http.Request) {
		rpc.WriteJSON(w, 200, map[string]string{"status": "starting"})
	})
	if err := sick.Health(t.Context()); err == nil || !strings.Contains(err.Error(), `"starting"`) {
		t.Errorf("Health() of a starting service = %v, want an error with its status", err)
	}
}

// TestCancel checks that ending a call's context ends the call at once,
// with the context's error.
func TestCancel(t *testing.T) {
	started := make(chan struct{}, 1)
	c := serve(t, func(w http.ResponseWriter, r *http.Request) {
		started <- struct{}{}
		<-r.Context().Done()
	})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- c.Call(ctx, "Block", "POST", "/", nil, nil) }()
	<-started
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) || !strings.HasPrefix(err.Error(), "test: Block: ") {
			t.Errorf("Call() after cancel = %v, want context.Canceled naming the service and call", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Call() did not return within 10s of its context being cancelled")
	}

	ctx, cancel = context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer cancel()
	if err := c.Call(ctx, "Block", "POST", "/", nil, nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Call() past its deadline = %v, want context.DeadlineExceeded", err)
	}
}

func TestUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	err := proto.NewClient(srv.URL, nil).Call(t.Context(), "Op", "GET", "/", nil, nil)
	var re *rpc.RemoteError
	if err == nil || errors.As(err, &re) || !strings.HasPrefix(err.Error(), "test: Op: ") {
		t.Errorf("Call() on a closed server = %v, want a transport error naming the service and call", err)
	}
}

// FuzzDecodeError feeds DecodeError any status and body: it never panics,
// and its error is a sentinel's only for that sentinel's code.
func FuzzDecodeError(f *testing.F) {
	f.Add(404, []byte(`{"code":"NoSuchBlob","message":"gone"}`))
	f.Add(500, []byte(`{"code":"","message":"x"}`))
	f.Add(502, []byte("upstream down\n"))
	f.Add(409, []byte(`{"code":"BucketExists"`))
	f.Add(200, []byte(`null`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		resp := &http.Response{StatusCode: status, Body: io.NopCloser(strings.NewReader(string(body)))}
		err := proto.DecodeError(resp)
		var re *rpc.RemoteError
		if !errors.As(err, &re) || re.Status != status || len(re.Message) > rpc.MaxErrorBody {
			t.Fatalf("DecodeError(%d, %q) = %#v, want a *RemoteError with the status", status, body, err)
		}
		for _, s := range proto.Sentinels {
			if errors.Is(err, s.Err) != (re.Code == s.Code) {
				t.Errorf("DecodeError(%d, %q) = %v: errors.Is(%v) = %t with code %q", status, body, err, s.Err, errors.Is(err, s.Err), re.Code)
			}
		}
		_ = err.Error()
	})
}
