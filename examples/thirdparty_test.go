package examples_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/mocks3/mocks3"
	"github.com/mocks3/mocks3/faults"
)

// TestThirdPartyOrigin: an object missing locally is served from an origin,
// appears locally once the queue is idle, and a fault on the origin gives
// the client an error it can act on.
func TestThirdPartyOrigin(t *testing.T) {
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/archive/2019/report.csv" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/csv")
		io.WriteString(w, "year,total\n2019,42\n")
	}))
	defer origin.Close()

	srv := mocks3.New(t, mocks3.WithBucket("archive"), mocks3.WithThirdParty(mocks3.ThirdPartyURL(origin.URL)))
	client := srv.Client()
	get := func(key string) (string, error) {
		out, err := client.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String("archive"), Key: aws.String(key)})
		if err != nil {
			return "", err
		}
		defer out.Body.Close()
		b, err := io.ReadAll(out.Body)
		return string(b), err
	}

	srv.CheckNoObject(t, "archive", "2019/report.csv")
	if got, err := get("2019/report.csv"); err != nil || got != "year,total\n2019,42\n" {
		t.Fatalf("GetObject from the origin = %q, %v", got, err)
	}
	if err := srv.WaitIdle(t.Context()); err != nil {
		t.Fatal(err)
	}
	srv.CheckObject(t, "archive", "2019/report.csv", []byte("year,total\n2019,42\n"))

	var ae smithy.APIError
	if _, err := get("2020/report.csv"); !errors.As(err, &ae) || ae.ErrorCode() != "NoSuchKey" {
		t.Errorf("GetObject missing everywhere = %v, want NoSuchKey", err)
	}

	srv.Faults().AddT(t, faults.Rule{Service: "third-party", Action: faults.ErrorCode("ServiceUnavailable")})
	if _, err := get("2021/report.csv"); !errors.As(err, &ae) || ae.ErrorCode() != "ServiceUnavailable" {
		t.Errorf("GetObject with the origin failing = %v, want ServiceUnavailable", err)
	}
	st, err := srv.RoleStats(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if st.OriginHits < 1 || st.OriginMisses < 1 {
		t.Errorf("third-party stats = %+v, want hits and misses counted", st)
	}
}
