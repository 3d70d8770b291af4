package mocks3_test

import (
	"bufio"
	"crypto/tls"
	"encoding/xml"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/mocks3/mocks3"
	"github.com/mocks3/mocks3/internal/badinput"
)

// rawExchange writes req (with "%[1]s" standing for the host) on a fresh
// connection to srv, half-closes it if asked to (which ends a body early,
// and cancels the request's context as a hang-up does), and reads the
// response.
func rawExchange(t *testing.T, srv *mocks3.Server, req string, halfClose bool) (*http.Response, []byte) {
	t.Helper()
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	// Dial as the server's own client does: over TCP, or with the
	// in-memory transport's dialer.
	tr := srv.HTTPClient().Transport.(*http.Transport)
	dial := tr.DialContext
	if dial == nil {
		dial = (&net.Dialer{}).DialContext
	}
	addr := u.Host
	if u.Port() == "" {
		addr = net.JoinHostPort(u.Hostname(), map[string]string{"http": "80", "https": "443"}[u.Scheme])
	}
	raw, err := dial(t.Context(), "tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	// Closing raw rather than a TLS conn sends no close_notify.
	defer raw.Close()
	conn := raw
	if u.Scheme == "https" {
		cfg := tr.TLSClientConfig.Clone()
		if cfg.ServerName == "" {
			cfg.ServerName = u.Hostname()
		}
		tc := tls.Client(raw, cfg)
		if err := tc.HandshakeContext(t.Context()); err != nil {
			t.Fatal(err)
		}
		conn = tc
	}
	cw, canHalfClose := conn.(interface{ CloseWrite() error })
	if halfClose && !canHalfClose {
		t.Skipf("a %T connection cannot half-close", conn)
	}
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	// Write while reading: the server may answer before it has read the
	// whole request, and a body larger than the connection's buffer would
	// leave a writer alone waiting for the deadline.
	written := make(chan error, 1)
	go func() {
		_, err := io.WriteString(conn, fmt.Sprintf(req, u.Host))
		if err == nil && halfClose {
			err = cw.CloseWrite()
		}
		written <- err
	}()
	var writeErr error
	stopWriting := sync.OnceFunc(func() { raw.Close(); writeErr = <-written })
	defer stopWriting()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		stopWriting()
		t.Fatalf("reading the response: %v (writing the request: %v)", err, writeErr)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatalf("reading the response body: %v", err)
	}
	return resp, body
}

const awsChunkedHeaders = "Content-Encoding: aws-chunked\r\nX-Amz-Content-Sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER\r\n"

// TestBadInput sends malformed requests as raw HTTP and checks that each
// gets S3's error as XML, with a 4xx status clients do not retry, that
// nothing is stored, and that the server keeps serving.
func TestBadInput(t *testing.T) {
	chunk := "5\r\nhello\r\n0\r\n\r\n"
	tenKB := strings.Repeat("a", 10<<10)
	tests := []struct {
		name       string
		req        string
		halfClose  bool
		wantStatus int
		wantCode   string
		gone       string // a bucket or bucket/key that must not exist afterwards
	}{
		{"aws-chunked PUT without x-amz-decoded-content-length",
			"PUT /bkt/nolen HTTP/1.1\r\nHost: %[1]s\r\n" + awsChunkedHeaders + fmt.Sprintf("Content-Length: %d\r\n\r\n", len(chunk)) + chunk,
			false, 411, "MissingContentLength", "bkt/nolen"},
		{"aws-chunked PUT of unknown length",
			"PUT /bkt/nolen HTTP/1.1\r\nHost: %[1]s\r\n" + awsChunkedHeaders + "Transfer-Encoding: chunked\r\n\r\n" + fmt.Sprintf("%x\r\n%s\r\n0\r\n\r\n", len(chunk), chunk),
			false, 411, "MissingContentLength", "bkt/nolen"},
		{"aws-chunked PUT with x-amz-decoded-content-length abc",
			"PUT /bkt/nolen HTTP/1.1\r\nHost: %[1]s\r\n" + awsChunkedHeaders + "X-Amz-Decoded-Content-Length: abc\r\n" + fmt.Sprintf("Content-Length: %d\r\n\r\n", len(chunk)) + chunk,
			false, 411, "MissingContentLength", "bkt/nolen"},
		{"aws-chunked PUT in a malformed HTTP chunked body",
			"PUT /bkt/badchunk HTTP/1.1\r\nHost: %[1]s\r\n" + awsChunkedHeaders + "X-Amz-Decoded-Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n" + chunk + "\r\n0\r\n\r\n",
			false, 400, "InvalidRequest", "bkt/badchunk"},
		{"PUT in a malformed HTTP chunked body",
			"PUT /bkt/badchunk HTTP/1.1\r\nHost: %[1]s\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
			false, 411, "MissingContentLength", "bkt/badchunk"},
		{"DeleteObjects in a malformed HTTP chunked body",
			"POST /bkt?delete HTTP/1.1\r\nHost: %[1]s\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n<Dele\r\nzz\r\nte>\r\n0\r\n\r\n",
			false, 400, "MalformedXML", ""},
		{"DeleteObjects in a truncated HTTP chunked body",
			"POST /bkt?delete HTTP/1.1\r\nHost: %[1]s\r\nTransfer-Encoding: chunked\r\n\r\n40\r\n<Delete><Object><Key>obj</Key>",
			true, 400, "IncompleteBody", ""},
		{"CompleteMultipartUpload in a malformed HTTP chunked body",
			"POST /bkt/obj?uploadId=x HTTP/1.1\r\nHost: %[1]s\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n<CompleteMultipartUpload/>\r\n0\r\n\r\n",
			false, 400, "MalformedXML", ""},
		{"CreateBucket in a malformed HTTP chunked body",
			"PUT /new-bucket HTTP/1.1\r\nHost: %[1]s\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000000000\r\n<CreateBucketConfiguration/>\r\n0\r\n\r\n",
			false, 400, "MalformedXML", "new-bucket"},
		{"PUT //etc/passwd",
			"PUT //etc/passwd HTTP/1.1\r\nHost: %[1]s\r\nContent-Length: 4\r\n\r\nroot",
			false, 400, "InvalidBucketName", ""},
		{"GET //etc/passwd",
			"GET //etc/passwd HTTP/1.1\r\nHost: %[1]s\r\n\r\n",
			false, 400, "InvalidBucketName", ""},
		{"empty x-amz-copy-source",
			"PUT /bkt/copy HTTP/1.1\r\nHost: %[1]s\r\nX-Amz-Copy-Source: \r\nContent-Length: 0\r\n\r\n",
			false, 400, "InvalidArgument", "bkt/copy"},
		{"10 KB LocationConstraint",
			"PUT /new-bucket HTTP/1.1\r\nHost: %[1]s\r\n" + xmlBody("<CreateBucketConfiguration><LocationConstraint>eu-"+tenKB+"-1</LocationConstraint></CreateBucketConfiguration>"),
			false, 400, "InvalidLocationConstraint", "new-bucket"},
		{"region-shaped unknown LocationConstraint",
			"PUT /new-bucket HTTP/1.1\r\nHost: %[1]s\r\n" + xmlBody("<CreateBucketConfiguration><LocationConstraint>xx-nowhere-1</LocationConstraint></CreateBucketConfiguration>"),
			false, 400, "InvalidLocationConstraint", "new-bucket"},
		// S3 caps the header section at 8 KB (TestLargeHeaderSection tests
		// larger ones).
		{"9 KB header section",
			"PUT /bkt/padded HTTP/1.1\r\nHost: %[1]s\r\nX-Padding: " + strings.Repeat("p", 9<<10) + "\r\nContent-Length: 1\r\n\r\nx",
			false, 400, "RequestHeaderSectionTooLarge", "bkt/padded"},
		{"1 MiB CreateBucket body",
			"PUT /new-bucket HTTP/1.1\r\nHost: %[1]s\r\n" + xmlBody("<CreateBucketConfiguration><LocationConstraint>eu-west-1</LocationConstraint>"+strings.Repeat(" ", 1<<20)+"</CreateBucketConfiguration>"),
			false, 400, "MalformedXML", "new-bucket"},
	}
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		srv := newServer(t, mocks3.WithObject("bkt", "obj", []byte("data")))
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				resp, body := rawExchange(t, srv, tt.req, tt.halfClose)
				if resp.StatusCode != tt.wantStatus {
					t.Errorf("status = %d, want %d; body %q", resp.StatusCode, tt.wantStatus, body)
				}
				if ct := resp.Header.Get("Content-Type"); ct != "application/xml" {
					t.Errorf("Content-Type = %q, want application/xml", ct)
				}
				var e s3ErrorBody
				if err := xml.Unmarshal(body, &e); err != nil {
					t.Fatalf("body %q is not an S3 error: %v", body, err)
				}
				if e.Code != tt.wantCode || e.Message == "" || e.RequestID == "" {
					t.Errorf("error = %+v, want code %s with a message and a request ID", e, tt.wantCode)
				}
				if bucket, key, ok := strings.Cut(tt.gone, "/"); ok {
					srv.CheckNoObject(t, bucket, key)
				} else if tt.gone != "" {
					if _, err := srv.Client().HeadBucket(t.Context(), &s3.HeadBucketInput{Bucket: aws.String(tt.gone)}); err == nil {
						t.Errorf("bucket %s exists after a refused CreateBucket", tt.gone)
					}
				}
			})
		}
		srv.CheckObject(t, "bkt", "obj", []byte("data"))
		mustPut(t, srv.Client(), "bkt", "after", []byte("still serving"))
	})
}

func xmlBody(s string) string {
	return fmt.Sprintf("Content-Type: application/xml\r\nContent-Length: %d\r\n\r\n%s", len(s), s)
}

// TestBadInputSDK sends the same bad input through the SDK.
func TestBadInputSDK(t *testing.T) {
	forEachMode(t, func(t *testing.T, newServer newServerFunc) {
		srv := newServer(t, mocks3.WithObject("bkt", "obj", []byte("data")))
		c := srv.Client()
		ctx := t.Context()

		t.Run("CopyObject with an empty source", func(t *testing.T) {
			_, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("bkt"), Key: aws.String("copy"), CopySource: aws.String("")})
			checkErr(t, "CopyObject(source \"\")", err, "InvalidArgument", 400)
			srv.CheckNoObject(t, "bkt", "copy")
		})
		t.Run("UploadPartCopy with an empty source", func(t *testing.T) {
			up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("bkt"), Key: aws.String("mp")})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.UploadPartCopy(ctx, &s3.UploadPartCopyInput{Bucket: aws.String("bkt"), Key: aws.String("mp"),
				UploadId: up.UploadId, PartNumber: aws.Int32(1), CopySource: aws.String("")})
			checkErr(t, "UploadPartCopy(source \"\")", err, "InvalidArgument", 400)
			parts, err := c.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String("bkt"), Key: aws.String("mp"), UploadId: up.UploadId})
			if err != nil {
				t.Fatal(err)
			}
			if len(parts.Parts) != 0 {
				t.Errorf("ListParts after a refused UploadPartCopy = %d parts, want 0", len(parts.Parts))
			}
		})
		t.Run("CreateBucket with a 10 KB LocationConstraint", func(t *testing.T) {
			_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("huge-location"),
				CreateBucketConfiguration: &types.CreateBucketConfiguration{
					LocationConstraint: types.BucketLocationConstraint(strings.Repeat("eu-west-", 1300) + "1")}})
			checkErr(t, "CreateBucket(10 KB location)", err, "InvalidLocationConstraint", 400)
		})
		t.Run("CreateBucket in every known region", func(t *testing.T) {
			for i, lc := range types.BucketLocationConstraint("").Values() {
				bucket := fmt.Sprintf("region-%d", i)
				_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket),
					CreateBucketConfiguration: &types.CreateBucketConfiguration{LocationConstraint: lc}})
				if err != nil {
					t.Errorf("CreateBucket(%s, %s) = %v, want success", bucket, lc, err)
				}
			}
		})
		if strings.HasPrefix(srv.URL, "https://") {
			// Over TLS the SDK sends an unseekable body aws-chunked, with
			// no length: S3 refuses it.
			t.Run("PutObject of unknown length", func(t *testing.T) {
				_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bkt"), Key: aws.String("stream"),
					Body: struct{ io.Reader }{strings.NewReader("streamed")}})
				checkErr(t, "PutObject(unseekable body)", err, "MissingContentLength", 411)
				srv.CheckNoObject(t, "bkt", "stream")
			})
		}
	})
}

// TestBadInputCorpus replays testdata/badinput against the embedded server,
// over http and https, in memory and on disk; cmd/mocks3 replays it against
// the standalone server.
func TestBadInputCorpus(t *testing.T) {
	cases, err := badinput.Load("testdata/badinput")
	if err != nil {
		t.Fatal(err)
	}
	modes := []struct {
		name string
		opts []mocks3.Option
	}{
		{"memory/http", nil},
		{"disk/https", []mocks3.Option{mocks3.WithDir(t.TempDir()), mocks3.WithTLS()}},
	}
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			srv := mocks3.New(t, append(m.opts, mocks3.WithBucket("bkt"))...)
			badinput.Run(t, srv.URL, srv.HTTPClient().Transport.(*http.Transport).TLSClientConfig, cases)
		})
	}
}
