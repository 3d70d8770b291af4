package gateway

import (
	"encoding/xml"
	"testing"

	"github.com/mocks3/mocks3/backend"
)

// TestChecksumXMLElements: every algorithm has its own element, written
// and read back under S3's name for it.
func TestChecksumXMLElements(t *testing.T) {
	for _, alg := range checksumAlgorithms {
		x := toChecksumXML(backend.Checksum{Algorithm: string(alg), Value: "v-" + string(alg)})
		b, err := xml.Marshal(struct {
			XMLName xml.Name `xml:"Part"`
			checksumXML
		}{checksumXML: x})
		if err != nil {
			t.Fatal(err)
		}
		want := "<Checksum" + string(alg) + ">v-" + string(alg) + "</Checksum" + string(alg) + ">"
		if got := string(b); got != "<Part>"+want+"</Part>" {
			t.Errorf("toChecksumXML(%s) marshals to %s, want only %s", alg, got, want)
		}
		for _, other := range checksumAlgorithms {
			if got, wantV := x.get(other), map[bool]string{true: "v-" + string(alg)}[other == alg]; got != wantV {
				t.Errorf("toChecksumXML(%s).get(%s) = %q, want %q", alg, other, got, wantV)
			}
		}
	}
	if got := (checksumXML{}).get("CRC16"); got != "" {
		t.Errorf("get(CRC16) = %q, want \"\"", got)
	}
	if x := toChecksumXML(backend.Checksum{Algorithm: "CRC16", Value: "v"}); x != (checksumXML{}) {
		t.Errorf("toChecksumXML(CRC16) = %+v, want no element", x)
	}
}
