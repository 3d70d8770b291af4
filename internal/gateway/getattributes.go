// GetObjectAttributes, as
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectAttributes.html
// documents it: the attributes named in x-amz-object-attributes, with
// ObjectParts paged by x-amz-max-parts and x-amz-part-number-marker.

package gateway

import (
	"encoding/xml"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/mocks3/mocks3/internal/faulttrace"
	"github.com/mocks3/mocks3/internal/s3err"

	"github.com/mocks3/mocks3/backend"
)

type objectAttributesResult struct {
	XMLName      xml.Name               `xml:"GetObjectAttributesResponse"`
	Xmlns        string                 `xml:"xmlns,attr"`
	ETag         string                 `xml:",omitempty"`
	Checksum     *attributesChecksum    `xml:",omitempty"`
	ObjectParts  *objectAttributesParts `xml:",omitempty"`
	StorageClass string                 `xml:",omitempty"`
	ObjectSize   *int64                 `xml:",omitempty"`
}

type attributesChecksum struct {
	checksumXML
	ChecksumType string `xml:",omitempty"`
}

type objectAttributesParts struct {
	IsTruncated          bool
	MaxParts             int
	NextPartNumberMarker int
	PartNumberMarker     int
	Parts                []attributesPart `xml:"Part"`
	PartsCount           int
}

type attributesPart struct {
	checksumXML
	PartNumber int
	Size       int64
}

// objectAttributeNames are the values x-amz-object-attributes may list.
var objectAttributeNames = map[string]bool{
	"ETag": true, "Checksum": true, "ObjectParts": true, "StorageClass": true, "ObjectSize": true,
}

// parseObjectAttributes reads x-amz-object-attributes, which the SDKs send
// as one header per attribute and other clients as one comma-separated
// list.
func parseObjectAttributes(h http.Header) (map[string]bool, error) {
	want := map[string]bool{}
	for _, v := range h.Values("x-amz-object-attributes") {
		for a := range strings.SplitSeq(v, ",") {
			a = strings.TrimSpace(a)
			if a == "" {
				continue
			}
			if !objectAttributeNames[a] {
				return nil, errorf(s3err.InvalidArgument, "Invalid attribute name specified.")
			}
			want[a] = true
		}
	}
	if len(want) == 0 {
		return nil, errorf(s3err.InvalidRequest, "The x-amz-object-attributes header specifying the attributes to be retrieved is either missing or empty")
	}
	return want, nil
}

// partsPaging reads x-amz-max-parts (default and limit 1000, as ListParts)
// and x-amz-part-number-marker.
func partsPaging(h http.Header) (maxParts, marker int, err error) {
	maxParts = 1000
	if v := h.Get("x-amz-max-parts"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return 0, 0, errorf(s3err.InvalidArgument, "Provided max-parts not an integer or within integer range")
		}
		maxParts = min(n, 1000)
	}
	if v := h.Get("x-amz-part-number-marker"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return 0, 0, errorf(s3err.InvalidArgument, "Provided part-number-marker not an integer or within integer range")
		}
		marker = n
	}
	return maxParts, marker, nil
}

func (h *Handler) getObjectAttributes(w http.ResponseWriter, r *http.Request, req *request) error {
	want, err := parseObjectAttributes(r.Header)
	if err != nil {
		return err
	}
	maxParts, marker, err := partsPaging(r.Header)
	if err != nil {
		return err
	}
	ctx := r.Context()
	versionID := r.URL.Query().Get("versionId")
	lc := h.lifecycleOf(ctx, req.bucket)
	if versionID != "" {
		if err := h.expireKey(ctx, lc, req.bucket, req.key, versionID); err != nil {
			return err
		}
	}
	obj, err := h.store.Records().GetObject(ctx, req.bucket, req.key, versionID)
	if versionID == "" && err == nil {
		gone, xerr := h.expireRead(ctx, lc, req.bucket, req.key, &obj)
		if xerr != nil {
			return xerr
		}
		if gone {
			obj, err = h.store.Records().GetObject(faulttrace.Bypass(ctx), req.bucket, req.key, "")
		}
	}
	switch {
	case errors.Is(err, backend.ErrVersionNotFound):
		return newError(s3err.NoSuchVersion, extra("Key", req.key), extra("VersionId", versionID))
	case err != nil:
		return s3Error(err, req.bucket, req.key)
	}
	hdr := w.Header()
	if obj.VersionID != "" {
		hdr["x-amz-version-id"] = []string{obj.VersionID}
	}
	if obj.DeleteMarker {
		// As GET and HEAD: a delete marker is no object, and one named
		// by its version ID cannot be asked for attributes.
		hdr["x-amz-delete-marker"] = []string{"true"}
		if versionID != "" {
			hdr.Set("Last-Modified", obj.LastModified.UTC().Format(http.TimeFormat))
			return newError(s3err.MethodNotAllowed, extra("Method", r.Method), extra("ResourceType", "DeleteMarker"))
		}
		return newError(s3err.NoSuchKey, extra("Key", req.key))
	}
	hdr.Set("Last-Modified", obj.LastModified.UTC().Format(http.TimeFormat))

	res := objectAttributesResult{Xmlns: s3Namespace}
	if want["ETag"] {
		res.ETag = strings.Trim(obj.ETag, `"`) // unquoted, unlike the header
	}
	if want["Checksum"] && obj.Checksum.Algorithm != "" {
		res.Checksum = &attributesChecksum{checksumXML: toChecksumXML(obj.Checksum), ChecksumType: obj.Checksum.Type}
	}
	if want["ObjectParts"] && obj.Multipart {
		res.ObjectParts = objectParts(obj, maxParts, marker)
	}
	if want["StorageClass"] {
		res.StorageClass = storageClassOf(obj.StorageClass)
	}
	if want["ObjectSize"] {
		res.ObjectSize = &obj.Size
	}
	writeXML(w, http.StatusOK, res)
	return nil
}

// objectParts pages a multipart object's parts. S3 lists the parts
// themselves only for an object whose checksum was computed per part
// (COMPOSITE); otherwise it gives their count alone.
func objectParts(obj backend.Object, maxParts, marker int) *objectAttributesParts {
	op := &objectAttributesParts{MaxParts: maxParts, PartNumberMarker: marker, PartsCount: len(obj.Parts)}
	listed := obj.Checksum.Type == "COMPOSITE"
	n := 0
	for _, p := range obj.Parts {
		if p.Number <= marker {
			continue
		}
		if n == maxParts {
			op.IsTruncated = true
			break
		}
		n++
		op.NextPartNumberMarker = p.Number
		if listed {
			op.Parts = append(op.Parts, attributesPart{checksumXML: toChecksumXML(p.Checksum), PartNumber: p.Number, Size: p.Size})
		}
	}
	return op
}
