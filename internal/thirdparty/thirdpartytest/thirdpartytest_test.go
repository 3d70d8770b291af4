package thirdpartytest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/mocks3/mocks3/internal/suitetest"
	"github.com/mocks3/mocks3/internal/thirdparty"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// seedOrigin is a correct origin: it serves its seed, attributes and all.
type seedOrigin Seed

func (o seedOrigin) Fetch(ctx context.Context, bucket, key string) (thirdparty.Object, error) {
	if err := ctx.Err(); err != nil {
		return thirdparty.Object{}, err
	}
	obj, ok := o[Key{bucket, key}]
	if !ok {
		return thirdparty.Object{}, fmt.Errorf("%w: %s/%s", thirdparty.ErrNotFound, bucket, key)
	}
	return thirdparty.Object{
		Body:        io.NopCloser(bytes.NewReader(obj.Data)),
		Size:        int64(len(obj.Data)),
		ContentType: obj.ContentType,
		Metadata:    obj.Metadata,
	}, nil
}

// runSuite runs the group of the suite named only against
// wrap(seedOrigin(seed)) and returns the failures.
func runSuite(t *testing.T, only string, wrap func(thirdparty.Origin) thirdparty.Origin, opts ...Option) []string {
	return suitetest.Record(t, only, func(t suitetest.T) {
		run(t, func(t suitetest.T, seed Seed) thirdparty.Origin { return wrap(seedOrigin(seed)) }, opts...)
	})
}

func same(o thirdparty.Origin) thirdparty.Origin { return o }

func TestSuitePassesSeedOrigin(t *testing.T) {
	if failures := runSuite(t, "", same); len(failures) > 0 {
		t.Errorf("suite failed a correct origin:\n%s", strings.Join(failures, "\n"))
	}
}

func TestSuitePassesBytesOnly(t *testing.T) {
	if failures := runSuite(t, "", func(o thirdparty.Origin) thirdparty.Origin { return dropsAttributes{o} }, BytesOnly()); len(failures) > 0 {
		t.Errorf("suite failed a correct bytes-only origin:\n%s", strings.Join(failures, "\n"))
	}
}

// TestSuiteCatches feeds the suite origins with one defect each and checks
// that the group meant to catch it fails.
func TestSuiteCatches(t *testing.T) {
	tests := []struct {
		name  string
		wrap  func(thirdparty.Origin) thirdparty.Origin
		group string
		opts  []Option
	}{
		{"TruncatesBody", func(o thirdparty.Origin) thirdparty.Origin { return truncates{o} }, "Fetch", nil},
		{"TruncatesLargeBody", func(o thirdparty.Origin) thirdparty.Origin { return truncates{o} }, "Large", nil},
		{"WrongSize", func(o thirdparty.Origin) thirdparty.Origin { return wrongSize{o} }, "Fetch", nil},
		{"PlainNotFoundError", func(o thirdparty.Origin) thirdparty.Origin { return plainNotFound{o} }, "NotFound", nil},
		{"DropsMetadata", func(o thirdparty.Origin) thirdparty.Origin { return dropsMetadata{o} }, "Fetch", nil},
		{"DropsAttributesUnannounced", func(o thirdparty.Origin) thirdparty.Origin { return dropsAttributes{o} }, "Fetch", nil},
		{"InventsDefaultContentType", func(o thirdparty.Origin) thirdparty.Origin { return defaultType{o} }, "Fetch", nil},
		{"EmptyIsMissing", func(o thirdparty.Origin) thirdparty.Origin { return emptyIsMissing{o} }, "Empty", nil},
		{"CleansKeys", func(o thirdparty.Origin) thirdparty.Origin { return cleansKeys{o} }, "Keys", nil},
		{"UnescapesKeys", func(o thirdparty.Origin) thirdparty.Origin { return unescapesKeys{o} }, "Keys", nil},
		{"IgnoresContext", func(o thirdparty.Origin) thirdparty.Origin { return ignoresContext{o} }, "Context", nil},
		{"SharedState", func(o thirdparty.Origin) thirdparty.Origin { return &sharedState{o: o} }, "Concurrency", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			failures := runSuite(t, tt.group, tt.wrap, tt.opts...)
			if len(failures) == 0 {
				t.Errorf("suite group %s passed an origin that %s", tt.group, tt.name)
				return
			}
			t.Logf("caught by %d failures, the first: %s", len(failures), failures[0])
		})
	}
}

// truncates drops the last byte of every non-empty body.
type truncates struct{ thirdparty.Origin }

func (o truncates) Fetch(ctx context.Context, bucket, key string) (thirdparty.Object, error) {
	obj, err := o.Origin.Fetch(ctx, bucket, key)
	if err != nil {
		return obj, err
	}
	b, _ := io.ReadAll(obj.Body)
	obj.Body.Close()
	if len(b) > 0 {
		b = b[:len(b)-1]
	}
	obj.Body = io.NopCloser(bytes.NewReader(b))
	return obj, nil
}

// wrongSize counts one byte too many.
type wrongSize struct{ thirdparty.Origin }

func (o wrongSize) Fetch(ctx context.Context, bucket, key string) (thirdparty.Object, error) {
	obj, err := o.Origin.Fetch(ctx, bucket, key)
	obj.Size++
	return obj, err
}

// plainNotFound reports a miss with an error of its own.
type plainNotFound struct{ thirdparty.Origin }

func (o plainNotFound) Fetch(ctx context.Context, bucket, key string) (thirdparty.Object, error) {
	obj, err := o.Origin.Fetch(ctx, bucket, key)
	if errors.Is(err, thirdparty.ErrNotFound) {
		return obj, errors.New("object not found")
	}
	return obj, err
}

type dropsMetadata struct{ thirdparty.Origin }

func (o dropsMetadata) Fetch(ctx context.Context, bucket, key string) (thirdparty.Object, error) {
	obj, err := o.Origin.Fetch(ctx, bucket, key)
	obj.Metadata = nil
	return obj, err
}

// dropsAttributes is correct for BytesOnly, and wrong without it.
type dropsAttributes struct{ thirdparty.Origin }

func (o dropsAttributes) Fetch(ctx context.Context, bucket, key string) (thirdparty.Object, error) {
	obj, err := o.Origin.Fetch(ctx, bucket, key)
	obj.Metadata, obj.ContentType = nil, ""
	return obj, err
}

// defaultType gives objects without a content type one.
type defaultType struct{ thirdparty.Origin }

func (o defaultType) Fetch(ctx context.Context, bucket, key string) (thirdparty.Object, error) {
	obj, err := o.Origin.Fetch(ctx, bucket, key)
	if err == nil && obj.ContentType == "" {
		obj.ContentType = "application/octet-stream"
	}
	return obj, err
}

// emptyIsMissing treats an empty object as a miss.
type emptyIsMissing struct{ thirdparty.Origin }

func (o emptyIsMissing) Fetch(ctx context.Context, bucket, key string) (thirdparty.Object, error) {
	obj, err := o.Origin.Fetch(ctx, bucket, key)
	if err == nil && obj.Size == 0 {
		obj.Body.Close()
		return thirdparty.Object{}, thirdparty.ErrNotFound
	}
	return obj, err
}

// cleansKeys fetches path.Clean(key), as a ServeMux would.
type cleansKeys struct{ thirdparty.Origin }

func (o cleansKeys) Fetch(ctx context.Context, bucket, key string) (thirdparty.Object, error) {
	return o.Origin.Fetch(ctx, bucket, strings.TrimPrefix(path.Clean("/"+key), "/"))
}

// unescapesKeys unescapes keys once too often, and turns '+' into a space,
// as a query decoder would.
type unescapesKeys struct{ thirdparty.Origin }

func (o unescapesKeys) Fetch(ctx context.Context, bucket, key string) (thirdparty.Object, error) {
	if k, err := url.QueryUnescape(key); err == nil {
		key = k
	}
	return o.Origin.Fetch(ctx, bucket, key)
}

// ignoresContext fetches with a context that is never cancelled.
type ignoresContext struct{ thirdparty.Origin }

func (o ignoresContext) Fetch(ctx context.Context, bucket, key string) (thirdparty.Object, error) {
	return o.Origin.Fetch(context.WithoutCancel(ctx), bucket, key)
}

// sharedState keeps the key being fetched in one field for all callers,
// so concurrent fetches get each other's objects.
type sharedState struct {
	o   thirdparty.Origin
	mu  sync.Mutex
	cur Key
}

func (o *sharedState) Fetch(ctx context.Context, bucket, key string) (thirdparty.Object, error) {
	o.mu.Lock()
	o.cur = Key{bucket, key}
	o.mu.Unlock()
	time.Sleep(100 * time.Microsecond)
	o.mu.Lock()
	k := o.cur
	o.mu.Unlock()
	return o.o.Fetch(ctx, k.Bucket, k.Key)
}
