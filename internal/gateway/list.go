// Listing: https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
// and API_ListObjects.html. The pages come from objects.Store.List.

package gateway

import (
	"encoding/base64"
	"encoding/xml"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/mocks3/mocks3/internal/s3err"

	"github.com/mocks3/mocks3/internal/objects"
)

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
		return 0, errorf(s3err.InvalidArgument, "Provided %s not an integer or within integer range", name)
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

func listParams(q url.Values) (in objects.ListInput, enc bool, err error) {
	in.Prefix, in.Delimiter = q.Get("prefix"), q.Get("delimiter")
	switch e := q.Get("encoding-type"); e {
	case "":
	case "url":
		enc = true
	default:
		return in, false, errorf(s3err.InvalidArgument, "Invalid Encoding Method specified in Request")
	}
	in.Max, err = parseMaxKeys(q, "max-keys")
	return in, enc, err
}

// listPage lists a page of bucket; each object names owner, when not nil.
func (h *Handler) listPage(r *http.Request, bucket string, in objects.ListInput, enc bool, owner *owner) (listBucketResult, objects.ListPage, error) {
	lc := h.lifecycleOf(r.Context(), bucket)
	var out objects.ListPage
	for {
		var err error
		if out, err = h.store.List(r.Context(), bucket, in); err != nil {
			return listBucketResult{}, out, s3Error(err, bucket, "")
		}
		// List again once expired objects are gone: each pass removes
		// one at least, so this ends.
		if expired, err := h.expireListed(r.Context(), lc, bucket, out.Objects, false); err != nil || !expired {
			if err != nil {
				return listBucketResult{}, out, s3Error(err, bucket, "")
			}
			break
		}
	}
	res := listBucketResult{
		Xmlns: s3Namespace, Name: bucket, Prefix: encodeKey(enc, in.Prefix), MaxKeys: in.Max,
		Delimiter: encodeKey(enc, in.Delimiter), IsTruncated: out.Truncated,
	}
	if enc {
		res.EncodingType = "url"
	}
	for i := range out.Objects {
		o := &out.Objects[i]
		lo := listObject{Key: encodeKey(enc, o.Key), LastModified: formatTime(o.LastModified), ETag: o.ETag,
			Size: o.Size, StorageClass: storageClassOf(o.StorageClass), ChecksumAlgorithm: o.Checksum.Algorithm, ChecksumType: o.Checksum.Type}
		lo.Owner = owner
		res.Contents = append(res.Contents, lo)
	}
	for _, p := range out.Prefixes {
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
	in.After = q.Get("marker")
	o, err := h.bucketOwner(r.Context(), req.bucket)
	if err != nil {
		return err
	}
	res, out, err := h.listPage(r, req.bucket, in, enc, &o)
	if err != nil {
		return err
	}
	marker := encodeKey(enc, in.After)
	res.Marker = &marker
	if out.Truncated && in.Delimiter != "" {
		res.NextMarker = encodeKey(enc, out.Last)
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
	in.After = q.Get("start-after")
	token := q.Get("continuation-token")
	if q.Has("continuation-token") {
		after, err := base64.RawURLEncoding.DecodeString(token)
		if err != nil || token == "" {
			return errorf(s3err.InvalidArgument, "The continuation token provided is incorrect")
		}
		in.After = string(after)
	}
	var o *owner
	if q.Get("fetch-owner") == "true" {
		bo, err := h.bucketOwner(r.Context(), req.bucket)
		if err != nil {
			return err
		}
		o = &bo
	}
	res, out, err := h.listPage(r, req.bucket, in, enc, o)
	if err != nil {
		return err
	}
	res.StartAfter = encodeKey(enc, q.Get("start-after"))
	res.ContinuationToken = token
	n := len(res.Contents) + len(res.CommonPrefixes)
	res.KeyCount = &n
	if out.Truncated {
		res.NextContinuationToken = base64.RawURLEncoding.EncodeToString([]byte(out.Last))
	}
	res.write(w)
	return nil
}
