package queue_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/mocks3/mocks3/internal/queue"
)

// FuzzHandler sends arbitrary bodies and task IDs to the queue service's
// non-blocking endpoints: bad input must get a 4xx, never a panic or a 5xx.
func FuzzHandler(f *testing.F) {
	f.Add("tasks", []byte(`{"type":"cleanup","payload":"WyJhIl0="}`))
	f.Add("tasks", []byte(`{"type":"","payload":"!!"}`))
	f.Add("tasks/1/nack", []byte(`{"reason":"x"}`))
	f.Add("tasks/zz/ack", []byte(``))
	f.Add("tasks/1/release", []byte(`[`))
	q := queue.NewLocal(nil)
	f.Cleanup(q.Close)
	h := queue.NewHandler(q)
	f.Fuzz(func(t *testing.T, path string, body []byte) {
		if path == "dequeue" || path == "wait-idle" {
			return // long-polls: they block by design
		}
		req, err := http.NewRequest(http.MethodPost, "/v1/"+path, bytes.NewReader(body))
		if err != nil {
			return // not a URL a client could send
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("POST /v1/%s %q = %d %s, want < 500", path, body, w.Code, w.Body)
		}
	})
}
