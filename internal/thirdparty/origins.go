package thirdparty

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
)

// StatusError is a fetch answered with an unexpected HTTP status.
type StatusError struct {
	StatusCode int
	Message    string // the status text, or the start of the answer's body
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("thirdparty: origin answered %d: %s", e.StatusCode, e.Message)
}

// maxErrorBody bounds how much of an error answer's body is read for its
// message.
const maxErrorBody = 4 << 10

// HTTPOrigin returns an origin that GETs {baseURL}/{bucket}/{key}, each
// path segment of the key escaped on its own (so "a/b c" is "a/b%20c").
// A 404 is ErrNotFound; any other non-2xx status a *StatusError. The
// answer's Content-Length, Content-Type and X-Amz-Meta-* headers become
// the object's Size, ContentType and Metadata. hc is http.DefaultClient if
// nil.
func HTTPOrigin(baseURL string, hc *http.Client) Origin {
	if hc == nil {
		hc = http.DefaultClient
	}
	return &httpOrigin{base: strings.TrimRight(baseURL, "/"), hc: hc}
}

type httpOrigin struct {
	base string
	hc   *http.Client
}

func (o *httpOrigin) Fetch(ctx context.Context, bucket, key string) (Object, error) {
	return fetchHTTP(ctx, o.hc, o.base+"/"+url.PathEscape(bucket)+"/"+escapeKey(key), func(resp *http.Response) error {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		msg := resp.Status
		if s := strings.TrimSpace(string(b)); s != "" {
			msg += ": " + s
		}
		return &StatusError{StatusCode: resp.StatusCode, Message: msg}
	})
}

// escapeKey escapes each "/"-separated segment of key, keeping the
// slashes (empty segments too: "a//b" stays "a//b"). The dot segments "."
// and ".." are escaped too, so that nothing on the way resolves them.
func escapeKey(key string) string {
	segs := strings.Split(key, "/")
	for i, s := range segs {
		switch s {
		case ".":
			segs[i] = "%2E"
		case "..":
			segs[i] = "%2E%2E"
		default:
			segs[i] = url.PathEscape(s)
		}
	}
	return strings.Join(segs, "/")
}

// fetchHTTP GETs u and turns a 2xx answer into an Object, a 404 into
// ErrNotFound, and any other answer into statusErr's error.
func fetchHTTP(ctx context.Context, hc *http.Client, u string, statusErr func(*http.Response) error) (Object, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return Object{}, fmt.Errorf("thirdparty: %w", err)
	}
	resp, err := hc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return Object{}, fmt.Errorf("thirdparty: GET %s: %w", u, ctx.Err())
		}
		return Object{}, fmt.Errorf("thirdparty: %w", err)
	}
	if resp.StatusCode/100 == 2 {
		return Object{
			Body:        resp.Body,
			Size:        resp.ContentLength,
			ContentType: resp.Header.Get("Content-Type"),
			Metadata:    metadataFromHeader(resp.Header),
		}, nil
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBody)) // keep the connection
		return Object{}, fmt.Errorf("%w: GET %s", ErrNotFound, u)
	}
	return Object{}, statusErr(resp)
}

const metaPrefix = "X-Amz-Meta-"

// metadataFromHeader returns the X-Amz-Meta-* headers with the prefix cut
// and the names lower-cased, or nil if there are none.
func metadataFromHeader(h http.Header) map[string]string {
	var md map[string]string
	for name, vs := range h {
		if len(name) > len(metaPrefix) && strings.EqualFold(name[:len(metaPrefix)], metaPrefix) && len(vs) > 0 {
			if md == nil {
				md = make(map[string]string)
			}
			md[strings.ToLower(name[len(metaPrefix):])] = vs[0]
		}
	}
	return md
}

// S3Origin returns an origin that reads objects with client's GetObject
// (another S3 endpoint, with its own credentials and region). NoSuchKey,
// NotFound and NoSuchBucket are ErrNotFound: an origin without the bucket
// does not have the object either.
func S3Origin(client *s3.Client) Origin {
	return s3Origin{client}
}

type s3Origin struct {
	client *s3.Client
}

func (o s3Origin) Fetch(ctx context.Context, bucket, key string) (Object, error) {
	out, err := o.client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		// The typed errors (types.NoSuchKey, types.NotFound for HEAD-like
		// answers, types.NoSuchBucket) all carry their code.
		var apiErr smithy.APIError
		if errors.As(err, &apiErr) {
			switch apiErr.ErrorCode() {
			case "NoSuchKey", "NotFound", "NoSuchBucket":
				return Object{}, fmt.Errorf("%w: s3://%s/%s", ErrNotFound, bucket, key)
			}
		}
		return Object{}, fmt.Errorf("thirdparty: GetObject s3://%s/%s: %w", bucket, key, err)
	}
	size := int64(-1)
	if out.ContentLength != nil {
		size = *out.ContentLength
	}
	var md map[string]string
	if len(out.Metadata) > 0 {
		md = make(map[string]string, len(out.Metadata))
		for k, v := range out.Metadata {
			md[strings.ToLower(k)] = v
		}
	}
	return Object{Body: out.Body, Size: size, ContentType: aws.ToString(out.ContentType), Metadata: md}, nil
}

// FuncOrigin returns an origin that calls fn. fn reports a miss by
// returning ErrNotFound (or an error wrapping it); any other error is a
// failed fetch and is returned as is. A nil slice with a nil error is an
// empty object, not a miss. The object has no content type or metadata.
func FuncOrigin(fn func(ctx context.Context, bucket, key string) ([]byte, error)) Origin {
	return funcOrigin(fn)
}

type funcOrigin func(ctx context.Context, bucket, key string) ([]byte, error)

func (f funcOrigin) Fetch(ctx context.Context, bucket, key string) (Object, error) {
	b, err := f(ctx, bucket, key)
	if err != nil {
		return Object{}, err
	}
	return Object{Body: io.NopCloser(bytes.NewReader(b)), Size: int64(len(b))}, nil
}

// Counting is an Origin that counts its fetches: each Fetch is one hit
// (an object was returned), one miss (ErrNotFound) or one fetch error
// (anything else, a cancelled context included).
type Counting struct {
	origin                    Origin
	hits, misses, fetchErrors atomic.Int64
}

var _ Origin = (*Counting)(nil)

// NewCounting returns a Counting that fetches from o.
func NewCounting(o Origin) *Counting {
	return &Counting{origin: o}
}

// Fetch implements Origin.
func (c *Counting) Fetch(ctx context.Context, bucket, key string) (Object, error) {
	obj, err := c.origin.Fetch(ctx, bucket, key)
	switch {
	case err == nil:
		c.hits.Add(1)
	case errors.Is(err, ErrNotFound):
		c.misses.Add(1)
	default:
		c.fetchErrors.Add(1)
	}
	return obj, err
}

// Stats returns the counters so far.
func (c *Counting) Stats() Stats {
	return Stats{Hits: c.hits.Load(), Misses: c.misses.Load(), FetchErrors: c.fetchErrors.Load()}
}
