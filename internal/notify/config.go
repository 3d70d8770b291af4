// Package notify is S3 event notifications: the bucket notification
// configuration document of
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketNotificationConfiguration.html
// (parsed, validated, matched against events) and the event messages of
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
// that the queue delivers.
package notify

import (
	"crypto/md5"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"

	"github.com/mocks3/mocks3/internal/s3err"
)

// Kind is the bucket configuration kind notification documents are stored
// under.
const Kind = "notification"

// Configuration is a bucket's NotificationConfiguration.
type Configuration struct {
	XMLName     xml.Name  `xml:"NotificationConfiguration"`
	Xmlns       string    `xml:"xmlns,attr,omitempty"`
	Topics      []Target  `xml:"TopicConfiguration"`
	Queues      []Target  `xml:"QueueConfiguration"`
	Functions   []Target  `xml:"CloudFunctionConfiguration"` // LambdaFunctionConfigurations
	EventBridge *struct{} `xml:"EventBridgeConfiguration"`
}

// Target is one configuration: where the events it selects go. Exactly
// one of Topic, Queue and Function is set, by the list it is in.
type Target struct {
	ID       string   `xml:"Id,omitempty"`
	Topic    string   `xml:"Topic,omitempty"`
	Queue    string   `xml:"Queue,omitempty"`
	Function string   `xml:"CloudFunction,omitempty"`
	Events   []string `xml:"Event"`
	Filter   *Filter  `xml:"Filter,omitempty"`
}

// Filter selects keys by prefix and suffix.
type Filter struct {
	Rules []FilterRule `xml:"S3Key>FilterRule"`
}

// FilterRule is a prefix or suffix rule.
type FilterRule struct {
	Name  string `xml:"Name"`
	Value string `xml:"Value"`
}

// Destination is the ARN of the target's queue, topic or function.
func (t *Target) Destination() string { return t.Topic + t.Queue + t.Function }

// rule returns the value of the target's prefix or suffix rule, or "".
func (t *Target) rule(name string) string {
	if t.Filter == nil {
		return ""
	}
	for _, r := range t.Filter.Rules {
		if strings.EqualFold(r.Name, name) {
			return r.Value
		}
	}
	return ""
}

// events are the event types a configuration may name: the Event enum of
// the API reference. mocks3 emits the ObjectCreated and ObjectRemoved ones.
var events = map[string]bool{
	"s3:ReducedRedundancyLostObject": true,
	"s3:ObjectCreated:*":             true, "s3:ObjectCreated:Put": true, "s3:ObjectCreated:Post": true,
	"s3:ObjectCreated:Copy": true, "s3:ObjectCreated:CompleteMultipartUpload": true,
	"s3:ObjectRemoved:*": true, "s3:ObjectRemoved:Delete": true, "s3:ObjectRemoved:DeleteMarkerCreated": true,
	"s3:ObjectRestore:*": true, "s3:ObjectRestore:Post": true, "s3:ObjectRestore:Completed": true,
	"s3:ObjectRestore:Delete": true,
	"s3:Replication:*":        true, "s3:Replication:OperationFailedReplication": true,
	"s3:Replication:OperationNotTracked": true, "s3:Replication:OperationMissedThreshold": true,
	"s3:Replication:OperationReplicatedAfterThreshold": true,
	"s3:LifecycleExpiration:*":                         true, "s3:LifecycleExpiration:Delete": true,
	"s3:LifecycleExpiration:DeleteMarkerCreated": true, "s3:LifecycleTransition": true,
	"s3:IntelligentTiering": true,
	"s3:ObjectTagging:*":    true, "s3:ObjectTagging:Put": true, "s3:ObjectTagging:Delete": true,
	"s3:ObjectAcl:Put": true,
}

// arnService is the service whose ARNs each list holds.
var arnService = map[string]string{"Topic": "sns", "Queue": "sqs", "CloudFunction": "lambda"}

func invalid(format string, args ...any) error {
	return &s3err.Error{Code: s3err.InvalidArgument, Message: fmt.Sprintf(format, args...)}
}

// Parse decodes and validates a NotificationConfiguration as S3 does, and
// gives every configuration without an Id one derived from its content.
func Parse(body []byte) (Configuration, error) {
	var c Configuration
	if err := xml.Unmarshal(body, &c); err != nil || c.XMLName.Local != "NotificationConfiguration" {
		return Configuration{}, &s3err.Error{Code: s3err.MalformedXML}
	}
	c.XMLName, c.Xmlns = xml.Name{}, ""
	all := c.targets()
	for i, t := range all {
		kind, arn := t.field()
		if err := t.validate(kind, arn); err != nil {
			return Configuration{}, err
		}
		if t.ID == "" {
			sum := md5.Sum([]byte(strconv.Itoa(i) + "\x00" + arn + "\x00" + strings.Join(t.Events, ",")))
			t.ID = base64.RawURLEncoding.EncodeToString(sum[:])
		}
		if len(t.ID) > 255 {
			return Configuration{}, invalid("The Id of a notification configuration must be at most 255 characters long.")
		}
		for _, u := range all[:i] {
			if u.ID == t.ID {
				return Configuration{}, invalid("Duplicate Id %q in the notification configuration.", t.ID)
			}
			if overlap(t, u) {
				return Configuration{}, invalid("Configurations overlap. Configurations on the same bucket cannot share a common event type.")
			}
		}
	}
	return c, nil
}

// targets returns pointers to every configuration, topics first.
func (c *Configuration) targets() []*Target {
	var all []*Target
	for _, list := range [][]Target{c.Topics, c.Queues, c.Functions} {
		for i := range list {
			all = append(all, &list[i])
		}
	}
	return all
}

// field names the element that holds t's ARN, and the ARN.
func (t *Target) field() (string, string) {
	switch {
	case t.Topic != "":
		return "Topic", t.Topic
	case t.Queue != "":
		return "Queue", t.Queue
	}
	return "CloudFunction", t.Function
}

func (t *Target) validate(kind, arn string) error {
	if t.Topic != "" && t.Queue != "" || t.Function != "" && t.Topic+t.Queue != "" {
		return &s3err.Error{Code: s3err.MalformedXML}
	}
	// arn:aws:sqs:region:account:name, as S3 checks it before asking the
	// service whether the destination exists.
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[1] == "" || parts[2] != arnService[kind] || parts[5] == "" {
		return &s3err.Error{Code: s3err.InvalidArgument, Message: "Unable to validate the following destination configurations",
			Extra: []s3err.ExtraElement{{Name: "ArgumentName1", Value: arn}, {Name: "ArgumentValue1", Value: "The destination ARN is not valid"}}}
	}
	if len(t.Events) == 0 {
		return &s3err.Error{Code: s3err.MalformedXML}
	}
	for _, e := range t.Events {
		if !events[e] {
			return invalid("The event is not supported for notifications")
		}
	}
	if t.Filter != nil {
		seen := map[string]bool{}
		for i, r := range t.Filter.Rules {
			name := strings.ToLower(r.Name)
			if name != "prefix" && name != "suffix" {
				return invalid("filter rule name must be either prefix or suffix")
			}
			if seen[name] {
				return invalid("Cannot specify more than one %s rule in a filter.", name)
			}
			if len(r.Value) > 1024 {
				return invalid("The filter rule value must be at most 1024 characters long.")
			}
			seen[name] = true
			// S3 returns the names capitalised, whatever was sent.
			t.Filter.Rules[i].Name = strings.ToUpper(name[:1]) + name[1:]
		}
		if len(t.Filter.Rules) == 0 {
			t.Filter = nil
		}
	}
	return nil
}

// overlap reports whether two configurations could select the same event:
// a common event type, and prefixes and suffixes that do not rule each
// other out. S3 refuses such a pair.
func overlap(a, b *Target) bool {
	common := false
	for _, x := range a.Events {
		for _, y := range b.Events {
			if eventMatches(x, y) || eventMatches(y, x) {
				common = true
			}
		}
	}
	if !common {
		return false
	}
	pa, pb := a.rule("prefix"), b.rule("prefix")
	sa, sb := a.rule("suffix"), b.rule("suffix")
	return (strings.HasPrefix(pa, pb) || strings.HasPrefix(pb, pa)) &&
		(strings.HasSuffix(sa, sb) || strings.HasSuffix(sb, sa))
}

// eventMatches reports whether configured, an event type of a
// configuration ("s3:ObjectCreated:*"), selects event ("s3:ObjectCreated:Put").
func eventMatches(configured, event string) bool {
	if configured == event {
		return true
	}
	family, ok := strings.CutSuffix(configured, "*")
	return ok && strings.HasPrefix(event, family)
}

// Empty reports whether c configures nothing: S3 then removes the bucket's
// configuration.
func (c *Configuration) Empty() bool {
	return len(c.Topics)+len(c.Queues)+len(c.Functions) == 0 && c.EventBridge == nil
}

// Marshal encodes c as S3 returns it, with its namespace.
func (c Configuration) Marshal() []byte {
	c.Xmlns = "http://s3.amazonaws.com/doc/2006-03-01/"
	b, err := xml.Marshal(c)
	if err != nil {
		panic("notify: marshalling a configuration: " + err.Error()) // strings and slices only
	}
	return b
}

// Match returns the configurations that select event (such as
// "s3:ObjectCreated:Put") on key.
func (c *Configuration) Match(event, key string) []Target {
	var out []Target
	for _, t := range c.targets() {
		if !strings.HasPrefix(key, t.rule("prefix")) || !strings.HasSuffix(key, t.rule("suffix")) {
			continue
		}
		for _, e := range t.Events {
			if eventMatches(e, event) {
				out = append(out, *t)
				break
			}
		}
	}
	return out
}
