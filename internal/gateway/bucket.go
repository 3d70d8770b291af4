// Bucket operations:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html,
// API_HeadBucket.html, API_DeleteBucket.html, API_ListBuckets.html,
// API_GetBucketLocation.html; naming rules from
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html

package gateway

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mocks3/mocks3/internal/s3err"

	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/internal/bucketconfig"
)

const s3Namespace = "http://s3.amazonaws.com/doc/2006-03-01/"

// timeFormat is how S3 writes timestamps in XML bodies.
const timeFormat = "2006-01-02T15:04:05.000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeFormat) }

// ValidBucketName reports whether name follows S3's rules for new
// general-purpose buckets.
func ValidBucketName(name string) bool { return bucketNameProblem(name) == "" }

// bucketNameRule is S3's naming rule for general-purpose buckets, in short.
const bucketNameRule = "bucket names are 3 to 63 characters: lower-case letters, digits, dots and hyphens, " +
	"beginning and ending with a letter or digit, not shaped like an IP address " +
	"(https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html)"

// bucketNameProblem says which of S3's naming rules name breaks, or "".
func bucketNameProblem(name string) string {
	if n := utf8.RuneCountInString(name); n < 3 || n > 63 {
		return fmt.Sprintf("%q has %d character(s)", name, n)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == '.' || c == '-':
			if i == 0 || i == len(name)-1 {
				return fmt.Sprintf("%q begins or ends with %q", name, c)
			}
			if c == '.' && (name[i-1] == '.' || name[i-1] == '-' || name[i+1] == '-') {
				return fmt.Sprintf("%q has a dot next to a dot or a hyphen", name)
			}
		case c >= 'A' && c <= 'Z':
			return fmt.Sprintf("%q has an upper-case letter", name)
		default:
			return fmt.Sprintf("%q has the character %q", name, rune(c))
		}
	}
	if net.ParseIP(name) != nil {
		return fmt.Sprintf("%q is an IP address", name)
	}
	for _, p := range []string{"xn--", "sthree-", "amzn-s3-demo-"} {
		if strings.HasPrefix(name, p) {
			return fmt.Sprintf("%q begins with the reserved prefix %q", name, p)
		}
	}
	for _, s := range []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"} {
		if strings.HasSuffix(name, s) {
			return fmt.Sprintf("%q ends with the reserved suffix %q", name, s)
		}
	}
	return ""
}

// CheckNewBucketName returns nil if a bucket may be named name, or an
// InvalidBucketName error saying which rule name breaks: the direct API's
// check, more helpful than the wire error, which names no rule.
func CheckNewBucketName(name string) error {
	if ValidBucketName(name) {
		return nil
	}
	return &s3err.Error{Code: s3err.InvalidBucketName, Message: s3err.InvalidBucketName.Message() + " " +
		bucketNameProblem(name) + "; " + bucketNameRule + ".", Extra: []s3err.ExtraElement{extra("BucketName", name)}}
}

// checkBucketName enforces the naming rules on creation. Other operations
// on a name no bucket can have simply find no bucket, except for names S3
// could never route.
func checkBucketName(name string, creating bool) error {
	if creating && !ValidBucketName(name) {
		return newError(s3err.InvalidBucketName, extra("BucketName", name))
	}
	if len(name) > 255 || strings.HasPrefix(name, "_") {
		return newError(s3err.InvalidBucketName, extra("BucketName", name))
	}
	return nil
}

type owner struct {
	ID          string
	DisplayName string
}

var defaultOwner = owner{ID: "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a", DisplayName: "mocks3"}

type listBucketsResult struct {
	XMLName           xml.Name     `xml:"ListAllMyBucketsResult"`
	Xmlns             string       `xml:"xmlns,attr"`
	Owner             owner        `xml:"Owner"`
	Buckets           []bucketInfo `xml:"Buckets>Bucket"`
	ContinuationToken string       `xml:",omitempty"`
	Prefix            string       `xml:",omitempty"`
}

type bucketInfo struct {
	Name         string
	CreationDate string
	BucketRegion string
}

func (h *Handler) listBuckets(w http.ResponseWriter, r *http.Request, req *request) error {
	q := r.URL.Query()
	max := 10000
	if v := q.Get("max-buckets"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 10000 {
			return errorf(s3err.InvalidArgument, "Argument max-buckets must be an integer between 1 and 10000")
		}
		max = n
	}
	prefix, after := q.Get("prefix"), q.Get("continuation-token")
	buckets, err := h.store.Records().ListBuckets(r.Context())
	if err != nil {
		return err
	}
	res := listBucketsResult{Xmlns: s3Namespace, Owner: h.ownerXML(req), Prefix: prefix}
	for _, b := range buckets {
		if !strings.HasPrefix(b.Name, prefix) || b.Name <= after || !h.owns(req, b) {
			continue
		}
		if region := q.Get("bucket-region"); region != "" && region != b.Region {
			continue
		}
		if len(res.Buckets) == max {
			res.ContinuationToken = res.Buckets[max-1].Name
			break
		}
		res.Buckets = append(res.Buckets, bucketInfo{Name: b.Name, CreationDate: formatTime(b.Created), BucketRegion: b.Region})
	}
	writeXML(w, http.StatusOK, res)
	return nil
}

type createBucketConfiguration struct {
	XMLName            xml.Name `xml:"CreateBucketConfiguration"`
	LocationConstraint string
	Tags               []bucketconfig.Tag `xml:"Tags>Tag"`
}

func (h *Handler) createBucket(w http.ResponseWriter, r *http.Request, req *request) error {
	region := h.cfg.Region
	var conf createBucketConfiguration
	if err := readXMLOptional(r, &conf); err != nil {
		return err
	}
	switch lc := conf.LocationConstraint; {
	case lc == "" && region != "us-east-1":
		return newError(s3err.IllegalLocationConstraintException)
	case lc == "us-east-1":
		return newError(s3err.InvalidLocationConstraint, extra("LocationConstraint", lc))
	case lc != "":
		if !h.validRegion(lc) {
			return newError(s3err.InvalidLocationConstraint, extra("LocationConstraint", lc))
		}
		region = lc
	}
	applyConfig, err := h.createBucketConfig(r, req, conf.Tags)
	if err != nil {
		return err
	}
	bk := backend.Bucket{Name: req.bucket, Region: region, Created: h.now(), Owner: h.ownerID(req)}
	if strings.EqualFold(r.Header.Get("x-amz-bucket-object-lock-enabled"), "true") {
		bk.ObjectLock, bk.Versioning = true, "Enabled" // object lock implies versioning
	}
	err = h.store.Records().CreateBucket(r.Context(), bk)
	if errors.Is(err, backend.ErrBucketExists) {
		b, gerr := h.store.Records().GetBucket(r.Context(), req.bucket)
		switch {
		case gerr != nil:
		case !h.owns(req, b):
			return newError(s3err.BucketAlreadyExists, extra("BucketName", req.bucket))
		case region == "us-east-1" && b.Region == "us-east-1":
			// S3's legacy behaviour in us-east-1: re-creating a bucket
			// you own there succeeds.
			err = nil
		}
	}
	if err == nil {
		err = applyConfig()
	}
	if err != nil {
		return s3Error(err, req.bucket, "")
	}
	w.Header().Set("Location", "/"+req.bucket)
	w.WriteHeader(http.StatusOK)
	return nil
}

// locationConstraints are the values of LocationConstraint S3 accepts, from
// BucketLocationConstraint in the API reference (us-east-1 is the empty
// constraint).
var locationConstraints = map[string]bool{
	"af-south-1": true, "ap-east-1": true, "ap-east-2": true, "ap-northeast-1": true, "ap-northeast-2": true,
	"ap-northeast-3": true, "ap-south-1": true, "ap-south-2": true, "ap-southeast-1": true, "ap-southeast-2": true,
	"ap-southeast-3": true, "ap-southeast-4": true, "ap-southeast-5": true, "ap-southeast-6": true,
	"ap-southeast-7": true, "ca-central-1": true, "ca-west-1": true, "cn-north-1": true, "cn-northwest-1": true,
	"EU": true, "eu-central-1": true, "eu-central-2": true, "eu-north-1": true, "eu-south-1": true,
	"eu-south-2": true, "eu-west-1": true, "eu-west-2": true, "eu-west-3": true, "il-central-1": true,
	"me-central-1": true, "me-south-1": true, "mx-central-1": true, "sa-east-1": true, "us-east-2": true,
	"us-gov-east-1": true, "us-gov-west-1": true, "us-west-1": true, "us-west-2": true,
}

// validRegion reports whether a bucket may be created in region: one S3
// knows, or the server's own (WithRegion may name any).
func (h *Handler) validRegion(region string) bool {
	return locationConstraints[region] || region == h.cfg.Region
}

// readXMLOptional decodes an optional XML body; an empty body leaves v alone.
func readXMLOptional(r *http.Request, v any) error {
	body, err := readSmallBody(r, 64<<10)
	if err != nil {
		return err
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		return nil
	}
	return decodeXML(body, v)
}

// bucket returns the named bucket's record, NoSuchBucket if there is none.
func (h *Handler) bucket(ctx context.Context, name string) (backend.Bucket, error) {
	b, err := h.store.Records().GetBucket(ctx, name)
	if err != nil {
		return backend.Bucket{}, s3Error(err, name, "")
	}
	return b, nil
}

func (h *Handler) headBucket(w http.ResponseWriter, r *http.Request, req *request) error {
	b, err := h.bucket(r.Context(), req.bucket)
	if err != nil {
		return err
	}
	w.Header().Set("x-amz-bucket-region", b.Region)
	w.WriteHeader(http.StatusOK)
	return nil
}

// deleteBucket deletes an empty bucket. Multipart uploads in progress do
// not keep it alive: S3 discards them, and test suites' teardowns rely on
// it.
func (h *Handler) deleteBucket(w http.ResponseWriter, r *http.Request, req *request) error {
	if err := h.store.DeleteBucket(r.Context(), req.bucket); err != nil {
		return s3Error(err, req.bucket, "")
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type locationConstraint struct {
	XMLName xml.Name `xml:"LocationConstraint"`
	Xmlns   string   `xml:"xmlns,attr"`
	Region  string   `xml:",chardata"`
}

func (h *Handler) getBucketLocation(w http.ResponseWriter, r *http.Request, req *request) error {
	b, err := h.bucket(r.Context(), req.bucket)
	if err != nil {
		return err
	}
	region := b.Region
	if region == "us-east-1" {
		region = "" // S3 reports the original region as an empty constraint
	}
	writeXML(w, http.StatusOK, locationConstraint{Xmlns: s3Namespace, Region: region})
	return nil
}
