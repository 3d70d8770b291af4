package gateway

import (
	"bytes"
	"encoding/xml"
	"math/rand/v2"
	"testing"
)

// TestListXMLMatchesEncodingXML holds the hand-written listing encoder to
// what encoding/xml writes for the same value.
func TestListXMLMatchesEncodingXML(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	str := func() string {
		alphabet := []string{"", "a", "<", "&", "\"", "'", "é", "\t", "\n", "\r", "]]>", " ", "\U0001F600", "x/y"}
		var s string
		for range rng.IntN(4) {
			s += alphabet[rng.IntN(len(alphabet))]
		}
		return s
	}
	for i := range 500 {
		res := listBucketResult{Xmlns: s3Namespace, Name: str(), Prefix: str(), ContinuationToken: str(), StartAfter: str(),
			MaxKeys: rng.IntN(1001), Delimiter: str(), EncodingType: str(), IsTruncated: rng.IntN(2) == 0,
			NextMarker: str(), NextContinuationToken: str()}
		if rng.IntN(2) == 0 {
			m := str()
			res.Marker = &m
		}
		if rng.IntN(2) == 0 {
			n := rng.IntN(1000)
			res.KeyCount = &n
		}
		for range rng.IntN(4) {
			o := listObject{Key: str(), LastModified: str(), ETag: str(), Size: rng.Int64(), ChecksumAlgorithm: str(),
				ChecksumType: str(), StorageClass: str()}
			if rng.IntN(2) == 0 {
				o.Owner = &owner{ID: str(), DisplayName: str()}
			}
			res.Contents = append(res.Contents, o)
		}
		for range rng.IntN(3) {
			res.CommonPrefixes = append(res.CommonPrefixes, commonPrefix{str()})
		}
		want, err := xml.Marshal(res)
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		res.marshal(&got)
		if !bytes.Equal(got.Bytes(), want) {
			t.Fatalf("case %d: marshal =\n%s\nwant\n%s", i, got.Bytes(), want)
		}
	}
}
