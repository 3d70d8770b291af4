// Event notifications: after a write commits, the events it makes are
// matched against the bucket's notification configuration, and one
// delivery per matching configuration is queued.

package objects

import (
	"context"
	"encoding/json"
	"fmt"
	"net"

	"github.com/mocks3/mocks3/internal/s3op"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/faulttrace"
	"github.com/mocks3/mocks3/internal/notify"
	"github.com/mocks3/mocks3/internal/queue"
	"github.com/mocks3/mocks3/s3api"
)

// eventNames are the events an S3 operation's successful write makes; the
// direct API and the queue's own tasks make none.
var eventNames = map[s3api.Operation]string{
	s3op.PutObject:               "s3:ObjectCreated:Put",
	s3op.CopyObject:              "s3:ObjectCreated:Copy",
	s3op.CompleteMultipartUpload: "s3:ObjectCreated:CompleteMultipartUpload",
	s3op.PostObject:              "s3:ObjectCreated:Post",
	s3op.DeleteObject:            "s3:ObjectRemoved:Delete",
	s3op.DeleteObjects:           "s3:ObjectRemoved:Delete",
}

type lifecycleKey struct{}

// Lifecycle marks ctx as lifecycle expiration's: what a write does under
// it makes S3's LifecycleExpiration events, whatever request it happens
// in.
func Lifecycle(ctx context.Context) context.Context {
	return context.WithValue(ctx, lifecycleKey{}, true)
}

// emit queues the notifications of a committed write of obj, for the S3
// request ctx serves. A failure to read the configuration loses the
// event, never the write, which has happened.
func (s *Store) emit(ctx context.Context, bucket string, obj backend.Object) {
	req := faulttrace.Request(ctx)
	if req == nil {
		return
	}
	name, ok := eventNames[req.Operation]
	switch {
	case ctx.Value(lifecycleKey{}) != nil && obj.DeleteMarker:
		name = "s3:LifecycleExpiration:DeleteMarkerCreated"
	case ctx.Value(lifecycleKey{}) != nil:
		name = "s3:LifecycleExpiration:Delete"
	case !ok:
		return
	case obj.DeleteMarker:
		name = "s3:ObjectRemoved:DeleteMarkerCreated"
	}
	// The lookup is bookkeeping, not part of the request that fault
	// rules are written against.
	doc, err := s.meta.GetBucketConfig(faulttrace.Bypass(ctx), bucket, notify.Kind)
	if err != nil {
		return
	}
	cfg, err := s.notifications.Parse(bucket, doc)
	if err != nil {
		return
	}
	targets := cfg.Match(name, obj.Key)
	if len(targets) == 0 {
		return
	}
	ip := faulttrace.RemoteAddr(ctx)
	if host, _, err := net.SplitHostPort(ip); err == nil {
		ip = host
	}
	ev := notify.Event{Name: name, Region: s.region, Time: s.now(), RequestID: req.ID, SourceIP: ip, Bucket: bucket,
		Key: obj.Key, Size: obj.Size, ETag: obj.ETag, VersionID: obj.VersionID, Sequencer: s.sequencer()}
	for _, t := range targets {
		msg, err := json.Marshal(notify.Message{Records: []notify.Record{notify.NewRecord(ev, t.ID)}})
		if err != nil {
			continue
		}
		s.enqueue(ctx, queue.TypeNotify, notify.Delivery{Destination: t.Destination(), Message: msg})
	}
}

// sequencer returns the next event sequencer: hexadecimal, of one length,
// increasing, so that the events of a key sort in the order of its writes
// as S3's do. It starts from the clock, so a restarted server goes on
// increasing.
func (s *Store) sequencer() string {
	now := uint64(s.clock().UnixNano())
	s.mu.Lock()
	s.seq = max(s.seq+1, now)
	n := s.seq
	s.mu.Unlock()
	return fmt.Sprintf("%016X", n)
}

// deliver runs a notification task.
func (s *Store) deliver(ctx context.Context, payload []byte) error {
	var d notify.Delivery
	if err := json.Unmarshal(payload, &d); err != nil {
		return fmt.Errorf("notify: bad payload: %w", err)
	}
	if s.deliverFn == nil {
		return nil
	}
	return s.deliverFn(ctx, d)
}
