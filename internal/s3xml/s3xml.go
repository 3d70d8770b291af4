// Package s3xml writes S3's XML response bodies, for the gateway's answers
// and for the error responses package s3api writes.
package s3xml

import (
	"encoding/xml"
	"io"
	"net/http"
	"strconv"
)

// Write answers with status and v marshalled as an XML document. A value
// that cannot be marshalled is a bug in the caller: it answers 500.
func Write(w http.ResponseWriter, status int, v any) {
	b, err := xml.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("Content-Length", strconv.Itoa(len(xml.Header)+len(b)))
	w.WriteHeader(status)
	io.WriteString(w, xml.Header)
	w.Write(b)
}
