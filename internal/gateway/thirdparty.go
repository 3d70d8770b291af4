// The third-party origin: a GET or HEAD that misses locally is answered from
// the origin, and the object is backfilled through the queue; and the
// queue's other task, reclaiming the bytes of replaced and deleted objects.

package gateway

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/queue"
	"github.com/mocks3/mocks3/internal/thirdparty"
	"github.com/mocks3/mocks3/s3api"
)

type backfillTask struct {
	Bucket string `json:"bucket"`
	Key    string `json:"key"`
}

// serveFromOrigin answers a GET or HEAD of a missing object from the
// origin. It reports false when the origin has no such object either.
func (h *Handler) serveFromOrigin(w http.ResponseWriter, r *http.Request, req *request) (bool, error) {
	ctx := r.Context()
	o, err := h.cfg.ThirdParty.Fetch(ctx, req.bucket, req.key)
	if errors.Is(err, thirdparty.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		if isS3Error(err) {
			return true, err
		}
		return true, errorf(s3api.ErrServiceUnavailable, "The third-party origin failed: %v", err)
	}
	defer o.Body.Close()
	h.enqueue(ctx, queue.TypeBackfill, backfillTask{Bucket: req.bucket, Key: req.key})

	hdr := w.Header()
	ctype := o.ContentType
	if ctype == "" {
		ctype = defaultContentType
	}
	hdr.Set("Content-Type", ctype)
	hdr.Set("Last-Modified", h.now().Format(http.TimeFormat))
	for k, v := range o.Metadata {
		hdr["x-amz-meta-"+k] = []string{v}
	}
	status, start, length := http.StatusOK, int64(0), o.Size
	if rh := r.Header.Get("Range"); rh != "" && o.Size >= 0 {
		rg, ok, err := parseRange(rh, o.Size)
		if err != nil {
			return true, newError(s3api.ErrInvalidRange)
		}
		if ok {
			status, start, length = http.StatusPartialContent, rg.start, rg.length
			hdr.Set("Content-Range", rg.contentRange(o.Size))
		}
	}
	if length >= 0 {
		hdr.Set("Content-Length", strconv.FormatInt(length, 10))
	}
	hdr.Set("Accept-Ranges", "bytes")
	w.WriteHeader(status)
	if r.Method == http.MethodHead {
		return true, nil
	}
	if _, err := io.CopyN(io.Discard, o.Body, start); err != nil {
		return true, err
	}
	body := io.Reader(o.Body)
	if length >= 0 {
		body = io.LimitReader(o.Body, length)
	}
	_, err = io.Copy(w, body)
	return true, err
}

// enqueue adds a task, or runs it at once when there is no queue. A task
// that cannot be queued is run at once too, so no work is lost.
func (h *Handler) enqueue(ctx context.Context, taskType string, payload any) {
	b, err := json.Marshal(payload)
	if err != nil {
		return
	}
	ctx = context.WithoutCancel(ctx)
	if h.cfg.Queue != nil {
		if _, err := h.cfg.Queue.Enqueue(ctx, taskType, b); err == nil {
			return
		}
	}
	_ = h.RunTask(ctx, queue.Task{Type: taskType, Payload: b})
}

// RunTask runs one of the gateway's queue tasks: backfill and cleanup.
func (h *Handler) RunTask(ctx context.Context, t queue.Task) error {
	switch t.Type {
	case queue.TypeBackfill:
		return h.backfill(ctx, t.Payload)
	case queue.TypeCleanup:
		return h.cleanup(ctx, t.Payload)
	}
	return fmt.Errorf("s3api: unknown task type %q", t.Type)
}

// backfill stores an object fetched from the origin, unless a local write
// got there first.
func (h *Handler) backfill(ctx context.Context, payload []byte) error {
	var t backfillTask
	if err := json.Unmarshal(payload, &t); err != nil {
		return fmt.Errorf("backfill: bad payload: %w", err)
	}
	if h.cfg.ThirdParty == nil {
		return nil
	}
	o, err := h.cfg.ThirdParty.Fetch(ctx, t.Bucket, t.Key)
	if errors.Is(err, thirdparty.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("backfill %s/%s: %w", t.Bucket, t.Key, err)
	}
	defer o.Body.Close()
	hasher := newObjectHasher("")
	id, n, err := h.store.data.WriteBlob(ctx, io.TeeReader(o.Body, hasher), o.Size)
	if err != nil {
		return fmt.Errorf("backfill %s/%s: %w", t.Bucket, t.Key, err)
	}
	s := stored{blob: id, size: n, md5: hasher.md5Sum()}
	obj := s.object(t.Key, h.now(), backend.Headers{ContentType: o.ContentType}, o.Metadata)
	_, err = h.store.commit(ctx, t.Bucket, obj, backend.Condition{IfNoneMatch: true}, true)
	var e *s3api.Error
	if errors.As(err, &e) && e.Code == s3api.ErrPreconditionFailed {
		return nil // written locally meanwhile: the local object wins
	}
	return err
}

// scheduleCleanup adds blobs no object references any more to the batch the
// next cleanup task deletes, queueing that task if none is queued.
func (h *Handler) scheduleCleanup(ctx context.Context, ids []backend.BlobID) {
	h.cleanupMu.Lock()
	h.orphans = append(h.orphans, ids...)
	queued := h.cleanupQueued
	h.cleanupQueued = true
	h.cleanupMu.Unlock()
	if !queued {
		h.enqueue(ctx, queue.TypeCleanup, nil)
	}
}

// cleanup deletes the blobs a task lists, or, for a task without a list, the
// batch scheduleCleanup gathered.
func (h *Handler) cleanup(ctx context.Context, payload []byte) error {
	var ids []backend.BlobID
	if err := json.Unmarshal(payload, &ids); err != nil {
		return fmt.Errorf("cleanup: bad payload: %w", err)
	}
	if ids == nil {
		h.cleanupMu.Lock()
		ids, h.orphans, h.cleanupQueued = h.orphans, nil, false
		h.cleanupMu.Unlock()
	}
	var errs []error
	for _, id := range ids {
		if err := h.store.data.DeleteBlob(ctx, id); err != nil && !errors.Is(err, backend.ErrBlobNotFound) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
