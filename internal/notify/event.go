package notify

import (
	"encoding/json"
	"net/url"
	"strings"
	"time"
)

// Message is an event message as S3 sends it to a destination.
type Message struct {
	Records []Record `json:"Records"`
}

// Record is one event of a message, in the structure (version 2.1) of
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
type Record struct {
	EventVersion      string            `json:"eventVersion"`
	EventSource       string            `json:"eventSource"`
	AWSRegion         string            `json:"awsRegion"`
	EventTime         string            `json:"eventTime"`
	EventName         string            `json:"eventName"`
	UserIdentity      Identity          `json:"userIdentity"`
	RequestParameters map[string]string `json:"requestParameters"`
	ResponseElements  map[string]string `json:"responseElements"`
	S3                Entity            `json:"s3"`
}

// Identity is a principal.
type Identity struct {
	PrincipalID string `json:"principalId"`
}

// Entity says which configuration, bucket and object the event is about.
type Entity struct {
	SchemaVersion   string       `json:"s3SchemaVersion"`
	ConfigurationID string       `json:"configurationId"`
	Bucket          BucketEntity `json:"bucket"`
	Object          ObjectEntity `json:"object"`
}

// BucketEntity is the bucket of an event.
type BucketEntity struct {
	Name          string   `json:"name"`
	OwnerIdentity Identity `json:"ownerIdentity"`
	ARN           string   `json:"arn"`
}

// ObjectEntity is the object of an event. Key is URL-encoded as S3 sends
// it; size and eTag are absent from removal events.
type ObjectEntity struct {
	Key       string `json:"key"`
	Size      *int64 `json:"size,omitempty"`
	ETag      string `json:"eTag,omitempty"`
	VersionID string `json:"versionId,omitempty"`
	Sequencer string `json:"sequencer"`
}

// Owner is the principal of mocks3's one account, as event messages name
// it.
const Owner = "A3MOCKS3OWNER"

// Event is what happened, for NewRecord.
type Event struct {
	Name      string // "s3:ObjectCreated:Put"
	Region    string
	Time      time.Time
	RequestID string
	SourceIP  string
	Bucket    string
	Key       string
	Size      int64 // for ObjectCreated events
	ETag      string
	VersionID string
	Sequencer string
}

// NewRecord returns the record of e for the configuration with id.
func NewRecord(e Event, id string) Record {
	obj := ObjectEntity{Key: EncodeKey(e.Key), VersionID: e.VersionID, Sequencer: e.Sequencer}
	if strings.HasPrefix(e.Name, "s3:ObjectCreated:") {
		size := e.Size
		obj.Size = &size
		obj.ETag = strings.Trim(e.ETag, `"`)
	}
	return Record{
		EventVersion: "2.1", EventSource: "aws:s3", AWSRegion: e.Region,
		EventTime:         e.Time.UTC().Format("2006-01-02T15:04:05.000Z"),
		EventName:         strings.TrimPrefix(e.Name, "s3:"),
		UserIdentity:      Identity{PrincipalID: Owner},
		RequestParameters: map[string]string{"sourceIPAddress": e.SourceIP},
		ResponseElements:  map[string]string{"x-amz-request-id": e.RequestID, "x-amz-id-2": e.RequestID},
		S3: Entity{SchemaVersion: "1.0", ConfigurationID: id,
			Bucket: BucketEntity{Name: e.Bucket, OwnerIdentity: Identity{PrincipalID: Owner}, ARN: "arn:aws:s3:::" + e.Bucket},
			Object: obj},
	}
}

// EncodeKey encodes a key as event messages carry it: form-encoded, so a
// space is "+", with the slashes left as they are, as S3 does.
func EncodeKey(key string) string { return strings.ReplaceAll(url.QueryEscape(key), "%2F", "/") }

// Delivery is the queue task that carries one message to one destination.
type Delivery struct {
	// Destination is the ARN of the configuration's queue, topic or
	// function.
	Destination string          `json:"destination"`
	Message     json.RawMessage `json:"message"`
}
