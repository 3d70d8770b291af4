package mocks3

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/mocks3/mocks3/internal/notify"
)

// Event is an S3 event notification as the server delivered it to a
// destination of a bucket's notification configuration (see WithEvents).
type Event struct {
	// Name is the event's name without the "s3:" prefix, as the message's
	// eventName: "ObjectCreated:Put", "ObjectCreated:Copy",
	// "ObjectCreated:CompleteMultipartUpload", "ObjectRemoved:Delete"...
	Name   string
	Bucket string
	// Key is the object's key, decoded (the message carries it
	// URL-encoded).
	Key string
	// Size and ETag (without quotes) are set for ObjectCreated events.
	Size int64
	ETag string
	// VersionID is the version written or removed, "" for the null
	// version.
	VersionID string
	// Sequencer orders the events of one key: a later write has a
	// greater one (compare as strings).
	Sequencer string
	Time      time.Time
	// ConfigurationID is the Id of the configuration that selected the
	// event, and Destination its Queue, Topic or CloudFunction ARN.
	ConfigurationID string
	Destination     string
	// Message is the JSON message exactly as a webhook receives it:
	// {"Records":[...]} in S3's event message format, version 2.1.
	Message []byte
}

// webhookTimeout bounds one webhook call; a slower webhook counts as a
// failed delivery and is retried.
const webhookTimeout = 10 * time.Second

// deliverer delivers the queue's notify tasks to the webhooks and
// functions of WithWebhook and WithEvents.
type deliverer struct {
	client   *http.Client
	webhooks map[string]string
	funcs    []func(Event)
}

func (s *Server) newDeliverer() *deliverer {
	tr := &http.Transport{Proxy: nil, MaxIdleConnsPerHost: 4, IdleConnTimeout: 30 * time.Second}
	s.onClose(tr.CloseIdleConnections)
	return &deliverer{client: &http.Client{Transport: tr}, webhooks: s.cfg.webhooks, funcs: s.cfg.eventFuncs}
}

func (d *deliverer) deliver(ctx context.Context, dl notify.Delivery) error {
	if u, ok := d.webhooks[dl.Destination]; ok {
		if err := d.post(ctx, u, dl.Message); err != nil {
			return err
		}
	}
	if len(d.funcs) == 0 {
		return nil
	}
	ev, err := decodeEvent(dl)
	if err != nil {
		return err
	}
	for _, fn := range d.funcs {
		fn(ev)
	}
	return nil
}

func (d *deliverer) post(ctx context.Context, u string, msg []byte) error {
	ctx, cancel := context.WithTimeout(ctx, webhookTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(msg))
	if err != nil {
		return fmt.Errorf("webhook %s: %w", u, err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := d.client.Do(req)
	if err != nil {
		return fmt.Errorf("webhook: %w", err)
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // so the connection is reused
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("webhook %s: %s", u, resp.Status)
	}
	return nil
}

// decodeEvent reads an Event back from the message a delivery carries.
func decodeEvent(dl notify.Delivery) (Event, error) {
	var m notify.Message
	if err := json.Unmarshal(dl.Message, &m); err != nil || len(m.Records) != 1 {
		return Event{}, fmt.Errorf("notify: bad message %q", dl.Message)
	}
	r := m.Records[0]
	key, err := url.QueryUnescape(r.S3.Object.Key)
	if err != nil {
		return Event{}, fmt.Errorf("notify: bad key %q", r.S3.Object.Key)
	}
	t, _ := time.Parse("2006-01-02T15:04:05.000Z", r.EventTime)
	ev := Event{Name: r.EventName, Bucket: r.S3.Bucket.Name, Key: key, ETag: r.S3.Object.ETag,
		VersionID: r.S3.Object.VersionID, Sequencer: r.S3.Object.Sequencer, Time: t,
		ConfigurationID: r.S3.ConfigurationID, Destination: dl.Destination, Message: bytes.Clone(dl.Message)}
	if r.S3.Object.Size != nil {
		ev.Size = *r.S3.Object.Size
	}
	return ev, nil
}
