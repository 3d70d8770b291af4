// Listing: https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
// and API_ListObjects.html. Pages are built by seeking in the sorted index,
// so a page costs the same however many keys the bucket holds.

package gateway

import (
	"context"
	"encoding/base64"
	"encoding/xml"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/s3api"
)

type listInput struct {
	prefix, delimiter string
	after             string // return keys and prefixes strictly after this
	max               int
}

type listOutput struct {
	objects   []backend.Object
	prefixes  []string
	truncated bool
	last      string // the last key or prefix returned
}

// successor returns the smallest string greater than every string that
// starts with p, or "" if there is none.
func successor(p string) string {
	b := []byte(p)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < 0xff {
			b[i]++
			return string(b[:i+1])
		}
	}
	return ""
}

// list returns one page of a bucket listing.
func (s *objectStore) list(ctx context.Context, bucket string, in listInput) (listOutput, error) {
	var out listOutput
	from := in.prefix
	if in.after != "" && in.after >= from {
		from = in.after + "\x00"
	}
	count := 0
	for {
		batch, err := s.meta.ListObjects(ctx, bucket, from, min(in.max-count+1, 1000))
		if err != nil {
			return out, err
		}
		if len(batch) == 0 {
			return out, nil
		}
		next := batch[len(batch)-1].Key + "\x00"
	scan:
		for i := range batch {
			o := &batch[i]
			if !strings.HasPrefix(o.Key, in.prefix) {
				return out, nil
			}
			if in.delimiter != "" {
				rest := o.Key[len(in.prefix):]
				if j := strings.Index(rest, in.delimiter); j >= 0 {
					cp := in.prefix + rest[:j+len(in.delimiter)]
					next = successor(cp)
					if cp <= in.after {
						break scan // returned on an earlier page
					}
					if count == in.max {
						out.truncated = true
						return out, nil
					}
					out.prefixes = append(out.prefixes, cp)
					out.last = cp
					count++
					break scan
				}
			}
			if count == in.max {
				out.truncated = true
				return out, nil
			}
			out.objects = append(out.objects, *o)
			out.last = o.Key
			count++
		}
		if next == "" {
			return out, nil
		}
		from = next
	}
}

type listObject struct {
	Key               string
	LastModified      string
	ETag              string
	Size              int64
	ChecksumAlgorithm string `xml:",omitempty"`
	ChecksumType      string `xml:",omitempty"`
	Owner             *owner `xml:",omitempty"`
	StorageClass      string
}

type commonPrefix struct {
	Prefix string
}

type listBucketResult struct {
	XMLName               xml.Name `xml:"ListBucketResult"`
	Xmlns                 string   `xml:"xmlns,attr"`
	Name                  string
	Prefix                string
	Marker                *string `xml:",omitempty"`
	ContinuationToken     string  `xml:",omitempty"`
	StartAfter            string  `xml:",omitempty"`
	KeyCount              *int    `xml:",omitempty"`
	MaxKeys               int
	Delimiter             string `xml:",omitempty"`
	EncodingType          string `xml:",omitempty"`
	IsTruncated           bool
	NextMarker            string         `xml:",omitempty"`
	NextContinuationToken string         `xml:",omitempty"`
	Contents              []listObject   `xml:"Contents"`
	CommonPrefixes        []commonPrefix `xml:"CommonPrefixes"`
}

// parseMaxKeys reads a max-keys style parameter, capped at 1000.
func parseMaxKeys(q url.Values, name string) (int, error) {
	v := q.Get(name)
	if v == "" {
		return 1000, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, errorf(s3api.ErrInvalidArgument, "Provided %s not an integer or within integer range", name)
	}
	return min(n, 1000), nil
}

// encodeKey applies encoding-type=url, which lets XML carry any key.
func encodeKey(enc bool, s string) string {
	if !enc || s == "" {
		return s
	}
	return strings.ReplaceAll(url.PathEscape(s), "+", "%2B")
}

func listParams(q url.Values) (in listInput, enc bool, err error) {
	in.prefix, in.delimiter = q.Get("prefix"), q.Get("delimiter")
	switch e := q.Get("encoding-type"); e {
	case "":
	case "url":
		enc = true
	default:
		return in, false, errorf(s3api.ErrInvalidArgument, "Invalid Encoding Method specified in Request")
	}
	in.max, err = parseMaxKeys(q, "max-keys")
	return in, enc, err
}

func (h *Handler) listPage(r *http.Request, bucket string, in listInput, enc bool, owners bool) (listBucketResult, listOutput, error) {
	out, err := h.store.list(r.Context(), bucket, in)
	if err != nil {
		return listBucketResult{}, out, s3Error(err, bucket, "")
	}
	res := listBucketResult{
		Xmlns: s3Namespace, Name: bucket, Prefix: encodeKey(enc, in.prefix), MaxKeys: in.max,
		Delimiter: encodeKey(enc, in.delimiter), IsTruncated: out.truncated,
	}
	if enc {
		res.EncodingType = "url"
	}
	for i := range out.objects {
		o := &out.objects[i]
		lo := listObject{Key: encodeKey(enc, o.Key), LastModified: formatTime(o.LastModified), ETag: o.ETag,
			Size: o.Size, StorageClass: "STANDARD", ChecksumAlgorithm: o.Checksum.Algorithm, ChecksumType: o.Checksum.Type}
		if owners {
			lo.Owner = &defaultOwner
		}
		res.Contents = append(res.Contents, lo)
	}
	for _, p := range out.prefixes {
		res.CommonPrefixes = append(res.CommonPrefixes, commonPrefix{encodeKey(enc, p)})
	}
	return res, out, nil
}

func (h *Handler) listObjectsV1(w http.ResponseWriter, r *http.Request, req *request) error {
	q := r.URL.Query()
	in, enc, err := listParams(q)
	if err != nil {
		return err
	}
	in.after = q.Get("marker")
	res, out, err := h.listPage(r, req.bucket, in, enc, true)
	if err != nil {
		return err
	}
	marker := encodeKey(enc, in.after)
	res.Marker = &marker
	if out.truncated && in.delimiter != "" {
		res.NextMarker = encodeKey(enc, out.last)
	}
	res.write(w)
	return nil
}

func (h *Handler) listObjectsV2(w http.ResponseWriter, r *http.Request, req *request) error {
	q := r.URL.Query()
	in, enc, err := listParams(q)
	if err != nil {
		return err
	}
	in.after = q.Get("start-after")
	token := q.Get("continuation-token")
	if q.Has("continuation-token") {
		after, err := base64.RawURLEncoding.DecodeString(token)
		if err != nil || token == "" {
			return errorf(s3api.ErrInvalidArgument, "The continuation token provided is incorrect")
		}
		in.after = string(after)
	}
	res, out, err := h.listPage(r, req.bucket, in, enc, q.Get("fetch-owner") == "true")
	if err != nil {
		return err
	}
	res.StartAfter = encodeKey(enc, q.Get("start-after"))
	res.ContinuationToken = token
	n := len(res.Contents) + len(res.CommonPrefixes)
	res.KeyCount = &n
	if out.truncated {
		res.NextContinuationToken = base64.RawURLEncoding.EncodeToString([]byte(out.last))
	}
	res.write(w)
	return nil
}
