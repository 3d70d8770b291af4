package gateway

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"strconv"
	"sync"
)

// Listing pages are the largest XML documents mocks3 writes, on its hottest
// read path; encoding/xml's reflection was half of a page's server time.
// marshal writes exactly what xml.Marshal would (a test holds it to that).

var xmlBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func (res *listBucketResult) write(w http.ResponseWriter) {
	b := xmlBuffers.Get().(*bytes.Buffer)
	defer xmlBuffers.Put(b)
	b.Reset()
	b.WriteString(xml.Header)
	res.marshal(b)
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("Content-Length", strconv.Itoa(b.Len()))
	w.WriteHeader(http.StatusOK)
	w.Write(b.Bytes())
}

func (res *listBucketResult) marshal(b *bytes.Buffer) {
	b.WriteString(`<ListBucketResult xmlns="`)
	xml.EscapeText(b, []byte(res.Xmlns))
	b.WriteString(`">`)
	elem(b, "Name", res.Name)
	elem(b, "Prefix", res.Prefix)
	if res.Marker != nil {
		elem(b, "Marker", *res.Marker)
	}
	elemOmit(b, "ContinuationToken", res.ContinuationToken)
	elemOmit(b, "StartAfter", res.StartAfter)
	if res.KeyCount != nil {
		elem(b, "KeyCount", strconv.Itoa(*res.KeyCount))
	}
	elem(b, "MaxKeys", strconv.Itoa(res.MaxKeys))
	elemOmit(b, "Delimiter", res.Delimiter)
	elemOmit(b, "EncodingType", res.EncodingType)
	elem(b, "IsTruncated", strconv.FormatBool(res.IsTruncated))
	elemOmit(b, "NextMarker", res.NextMarker)
	elemOmit(b, "NextContinuationToken", res.NextContinuationToken)
	for i := range res.Contents {
		o := &res.Contents[i]
		b.WriteString("<Contents>")
		elem(b, "Key", o.Key)
		elem(b, "LastModified", o.LastModified)
		elem(b, "ETag", o.ETag)
		elem(b, "Size", strconv.FormatInt(o.Size, 10))
		elemOmit(b, "ChecksumAlgorithm", o.ChecksumAlgorithm)
		elemOmit(b, "ChecksumType", o.ChecksumType)
		if o.Owner != nil {
			b.WriteString("<Owner>")
			elem(b, "ID", o.Owner.ID)
			elem(b, "DisplayName", o.Owner.DisplayName)
			b.WriteString("</Owner>")
		}
		elem(b, "StorageClass", o.StorageClass)
		b.WriteString("</Contents>")
	}
	for _, p := range res.CommonPrefixes {
		b.WriteString("<CommonPrefixes>")
		elem(b, "Prefix", p.Prefix)
		b.WriteString("</CommonPrefixes>")
	}
	b.WriteString("</ListBucketResult>")
}

func elem(b *bytes.Buffer, name, value string) {
	b.WriteByte('<')
	b.WriteString(name)
	b.WriteByte('>')
	xml.EscapeText(b, []byte(value))
	b.WriteString("</")
	b.WriteString(name)
	b.WriteByte('>')
}

func elemOmit(b *bytes.Buffer, name, value string) {
	if value != "" {
		elem(b, name, value)
	}
}
