package notify

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/mocks3/mocks3/internal/s3err"

	"github.com/google/go-cmp/cmp"

	"github.com/mocks3/mocks3/s3api"
)

const queueARN = "arn:aws:sqs:us-east-1:123456789012:q"

func queueDoc(inner ...string) string {
	var b strings.Builder
	b.WriteString("<NotificationConfiguration>")
	for _, s := range inner {
		b.WriteString("<QueueConfiguration>" + s + "</QueueConfiguration>")
	}
	b.WriteString("</NotificationConfiguration>")
	return b.String()
}

func filter(rules ...string) string {
	s := "<Filter><S3Key>"
	for i := 0; i+1 < len(rules); i += 2 {
		s += "<FilterRule><Name>" + rules[i] + "</Name><Value>" + rules[i+1] + "</Value></FilterRule>"
	}
	return s + "</S3Key></Filter>"
}

func TestParseErrors(t *testing.T) {
	q := "<Queue>" + queueARN + "</Queue>"
	created := "<Event>s3:ObjectCreated:*</Event>"
	tests := []struct {
		name string
		doc  string
		code s3api.ErrorCode
		msg  string
	}{
		{"not XML", "<Notif", s3err.MalformedXML, ""},
		{"wrong root", "<Tagging></Tagging>", s3err.MalformedXML, ""},
		{"no event", queueDoc(q), s3err.MalformedXML, ""},
		{"queue and topic", queueDoc(q + "<Topic>arn:aws:sns:us-east-1:1:t</Topic>" + created), s3err.MalformedXML, ""},
		{"unknown event", queueDoc(q + "<Event>s3:ObjectCreated:Paste</Event>"), s3err.InvalidArgument, "The event is not supported for notifications"},
		{"bad rule", queueDoc(q + created + filter("middle", "x")), s3err.InvalidArgument, "filter rule name must be either prefix or suffix"},
		{"two suffixes", queueDoc(q + created + filter("suffix", "a", "Suffix", "b")), s3err.InvalidArgument, "Cannot specify more than one suffix rule in a filter."},
		{"sns ARN for a queue", queueDoc("<Queue>arn:aws:sns:us-east-1:1:t</Queue>" + created), s3err.InvalidArgument, "Unable to validate the following destination configurations"},
		{"short ARN", queueDoc("<Queue>arn:aws:sqs:q</Queue>" + created), s3err.InvalidArgument, "Unable to validate the following destination configurations"},
		{"duplicate Id", queueDoc("<Id>a</Id>"+q+created+filter("prefix", "x/"), "<Id>a</Id>"+q+created+filter("prefix", "y/")),
			s3err.InvalidArgument, `Duplicate Id "a" in the notification configuration.`},
		{"overlap by wildcard", queueDoc(q+created, q+"<Event>s3:ObjectCreated:Copy</Event>"), s3err.InvalidArgument,
			"Configurations overlap. Configurations on the same bucket cannot share a common event type."},
		{"overlap by suffix", queueDoc(q+created+filter("suffix", ".jpg"), q+created+filter("suffix", "a.jpg", "prefix", "in/")), s3err.InvalidArgument,
			"Configurations overlap. Configurations on the same bucket cannot share a common event type."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.doc))
			var e *s3err.Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse() = %v, want an S3 error %s", err, tt.code)
			}
			if e.Code != tt.code || tt.msg != "" && e.Message != tt.msg {
				t.Errorf("Parse() = %s %q, want %s %q", e.Code, e.Message, tt.code, tt.msg)
			}
		})
	}
}

func TestParseAccepts(t *testing.T) {
	q := "<Queue>" + queueARN + "</Queue>"
	tests := []struct {
		name string
		doc  string
	}{
		{"empty", "<NotificationConfiguration/>"},
		{"namespace", `<NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></NotificationConfiguration>`},
		{"disjoint prefixes", queueDoc(q+"<Event>s3:ObjectCreated:*</Event>"+filter("prefix", "a/"), q+"<Event>s3:ObjectCreated:*</Event>"+filter("prefix", "b/"))},
		{"disjoint suffixes", queueDoc(q+"<Event>s3:ObjectCreated:*</Event>"+filter("suffix", ".jpg"), q+"<Event>s3:ObjectCreated:*</Event>"+filter("suffix", ".png"))},
		{"disjoint events", queueDoc(q+"<Event>s3:ObjectCreated:*</Event>", q+"<Event>s3:ObjectRemoved:*</Event>")},
		{"lambda and eventbridge", "<NotificationConfiguration><CloudFunctionConfiguration><CloudFunction>arn:aws:lambda:us-east-1:1:function:f</CloudFunction>" +
			"<Event>s3:ObjectTagging:*</Event></CloudFunctionConfiguration><EventBridgeConfiguration/></NotificationConfiguration>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse([]byte(tt.doc))
			if err != nil {
				t.Fatalf("Parse() = %v", err)
			}
			again, err := Parse(c.Marshal())
			if err != nil {
				t.Fatalf("Parse(Marshal()) = %v", err)
			}
			if diff := cmp.Diff(c, again); diff != "" {
				t.Errorf("Parse(Marshal()) (-first +again):\n%s", diff)
			}
		})
	}
}

func TestMatch(t *testing.T) {
	c, err := Parse([]byte(`<NotificationConfiguration>` +
		`<QueueConfiguration><Id>jpg</Id><Queue>` + queueARN + `</Queue><Event>s3:ObjectCreated:*</Event>` + filter("prefix", "in/", "suffix", ".jpg") + `</QueueConfiguration>` +
		`<TopicConfiguration><Id>markers</Id><Topic>arn:aws:sns:us-east-1:1:t</Topic><Event>s3:ObjectRemoved:DeleteMarkerCreated</Event></TopicConfiguration>` +
		`<CloudFunctionConfiguration><Id>put</Id><CloudFunction>arn:aws:lambda:us-east-1:1:function:f</CloudFunction><Event>s3:ObjectCreated:Put</Event>` +
		filter("prefix", "out/") + `</CloudFunctionConfiguration></NotificationConfiguration>`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		event, key string
		want       []string
	}{
		{"s3:ObjectCreated:Put", "in/a.jpg", []string{"jpg"}},
		{"s3:ObjectCreated:Copy", "in/a.jpg", []string{"jpg"}},
		{"s3:ObjectCreated:Put", "in/a.png", nil},
		{"s3:ObjectCreated:Put", "x/in/a.jpg", nil},
		{"s3:ObjectCreated:Put", "out/a", []string{"put"}},
		{"s3:ObjectCreated:Copy", "out/a", nil},
		{"s3:ObjectRemoved:Delete", "in/a.jpg", nil},
		{"s3:ObjectRemoved:DeleteMarkerCreated", "anything", []string{"markers"}},
	}
	for _, tt := range tests {
		var got []string
		for _, m := range c.Match(tt.event, tt.key) {
			got = append(got, m.ID)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Match(%s, %s) (-want +got):\n%s", tt.event, tt.key, diff)
		}
	}
}

func TestNewRecord(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 678e6, time.UTC)
	ev := Event{Name: "s3:ObjectCreated:Put", Region: "eu-west-1", Time: at, RequestID: "R1", SourceIP: "192.0.2.1", Bucket: "b",
		Key: "dir/a b+c=ü.txt", Size: 3, ETag: `"abc"`, VersionID: "v1", Sequencer: "0000000000000001"}
	b, err := json.Marshal(Message{Records: []Record{NewRecord(ev, "cfg")}})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"eu-west-1",` +
		`"eventTime":"2026-01-02T03:04:05.678Z","eventName":"ObjectCreated:Put","userIdentity":{"principalId":"` + Owner + `"},` +
		`"requestParameters":{"sourceIPAddress":"192.0.2.1"},"responseElements":{"x-amz-id-2":"R1","x-amz-request-id":"R1"},` +
		`"s3":{"s3SchemaVersion":"1.0","configurationId":"cfg","bucket":{"name":"b","ownerIdentity":{"principalId":"` + Owner + `"},` +
		`"arn":"arn:aws:s3:::b"},"object":{"key":"dir/a+b%2Bc%3D%C3%BC.txt","size":3,"eTag":"abc","versionId":"v1",` +
		`"sequencer":"0000000000000001"}}}]}`
	if string(b) != want {
		t.Errorf("message =\n%s\nwant\n%s", b, want)
	}
	ev.Name = "s3:ObjectRemoved:Delete"
	obj := NewRecord(ev, "cfg").S3.Object
	if obj.Size != nil || obj.ETag != "" {
		t.Errorf("removal record object = %+v, want no size or ETag", obj)
	}
}

// FuzzParse checks that Parse never panics and that what it accepts
// survives being stored and read back.
func FuzzParse(f *testing.F) {
	f.Add([]byte(queueDoc("<Queue>" + queueARN + "</Queue><Event>s3:ObjectCreated:*</Event>" + filter("prefix", "a", "suffix", "b"))))
	f.Add([]byte("<NotificationConfiguration><TopicConfiguration><Topic>arn:aws:sns:r:1:t</Topic><Event>s3:ObjectRemoved:*</Event></TopicConfiguration></NotificationConfiguration>"))
	f.Add([]byte("<NotificationConfiguration/>"))
	f.Fuzz(func(t *testing.T, doc []byte) {
		c, err := Parse(doc)
		if err != nil {
			var e *s3err.Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse() = %v, want an S3 error", err)
			}
			return
		}
		again, err := Parse(c.Marshal())
		if err != nil {
			t.Fatalf("Parse(Marshal()) = %v for %s", err, c.Marshal())
		}
		if diff := cmp.Diff(c, again); diff != "" {
			t.Fatalf("Parse(Marshal()) (-first +again):\n%s", diff)
		}
	})
}
