package metadata

import (
	"context"
	"errors"
	"strings"

	"github.com/mocks3/mocks3/backend"
)

// statsPage is how many records ComputeStats lists at a time.
const statsPage = 1000

// Stats counts what a metadata role holds, like the seed's metadata service
// statistics. Multipart uploads in progress are not counted.
type Stats struct {
	Buckets int   `json:"buckets"`
	Objects int64 `json:"objects"`
	Bytes   int64 `json:"bytes"` // sum of the objects' sizes
	// ByBucket has an entry for every bucket, empty ones included.
	ByBucket map[string]BucketStats `json:"by_bucket"`
	// ByContentType is keyed by media type: lower case, without parameters
	// ("text/plain; charset=utf-8" counts as "text/plain"); objects stored
	// without a Content-Type count under "".
	ByContentType map[string]ContentTypeStats `json:"by_content_type"`
}

// BucketStats counts the objects of one bucket.
type BucketStats struct {
	Objects int64 `json:"objects"`
	Bytes   int64 `json:"bytes"`
}

// ContentTypeStats counts the objects of one content type, in all buckets.
type ContentTypeStats struct {
	Objects int64 `json:"objects"`
	Bytes   int64 `json:"bytes"`
}

// ComputeStats walks s's buckets and objects (pages of 1000 records) and
// counts them. The walk is not a snapshot: writes made meanwhile may or may
// not be counted, and a bucket deleted meanwhile is left out.
func ComputeStats(ctx context.Context, s backend.Records) (Stats, error) {
	buckets, err := s.ListBuckets(ctx)
	if err != nil {
		return Stats{}, err
	}
	st := Stats{
		ByBucket:      make(map[string]BucketStats, len(buckets)),
		ByContentType: make(map[string]ContentTypeStats),
	}
	for _, b := range buckets {
		bs, err := bucketStats(ctx, s, b.Name, st.ByContentType)
		if errors.Is(err, backend.ErrBucketNotFound) {
			continue
		}
		if err != nil {
			return Stats{}, err
		}
		st.Buckets++
		st.Objects += bs.Objects
		st.Bytes += bs.Bytes
		st.ByBucket[b.Name] = bs
	}
	return st, nil
}

// bucketStats counts one bucket's objects, adding them to byType too.
func bucketStats(ctx context.Context, s backend.Records, bucket string, byType map[string]ContentTypeStats) (BucketStats, error) {
	var bs BucketStats
	// Content-type counts go to byType only once the bucket is fully
	// listed, so that a bucket that vanishes midway is left out entirely.
	types := make(map[string]ContentTypeStats)
	from := ""
	for {
		page, err := s.ListObjects(ctx, bucket, from, statsPage)
		if err != nil {
			return BucketStats{}, err
		}
		for _, o := range page {
			bs.Objects++
			bs.Bytes += o.Size
			ct := mediaType(o.Headers.ContentType)
			c := types[ct]
			c.Objects++
			c.Bytes += o.Size
			types[ct] = c
		}
		if len(page) < statsPage {
			break
		}
		from = page[len(page)-1].Key + "\x00" // the least key after the last one
	}
	for ct, c := range types {
		t := byType[ct]
		t.Objects += c.Objects
		t.Bytes += c.Bytes
		byType[ct] = t
	}
	return bs, nil
}

// mediaType returns a Content-Type's media type, lower case and without
// parameters.
func mediaType(ct string) string {
	ct, _, _ = strings.Cut(ct, ";")
	return strings.ToLower(strings.TrimSpace(ct))
}
