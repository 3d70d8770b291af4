package mocks3_test

import (
	"bufio"
	"bytes"
	"context"
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

	"github.com/mocks3/mocks3"
	"github.com/mocks3/mocks3/faults"
	"github.com/mocks3/mocks3/internal/cmdserver"
	"github.com/mocks3/mocks3/internal/serverext"
)

// slowloris opens n connections to addr that send a request's headers one
// line every 20 ms, for at most 250 lines, and then hold the connection
// until stop is closed or the server drops them. It returns once every connection is open (accepted
// or waiting in the kernel's backlog) and a function that waits for them
// to finish.
func slowloris(t *testing.T, addr string, n int, stop <-chan struct{}) (wait func()) {
	t.Helper()
	var wg sync.WaitGroup
	for i := range n {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatalf("slowloris connection %d: %v", i, err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer c.Close()
			if _, err := fmt.Fprintf(c, "GET /bkt/ HTTP/1.1\r\nHost: %s\r\n", addr); err != nil {
				return
			}
			tick := time.NewTicker(20 * time.Millisecond)
			defer tick.Stop()
			for range 250 {
				select {
				case <-stop:
					return
				case <-tick.C:
				}
				if _, err := io.WriteString(c, "X-Slow: x\r\n"); err != nil {
					return // the server gave up on us
				}
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-stop
				c.Close()
			}()
			io.Copy(io.Discard, c) // until the server or stop closes it
		}()
	}
	return wg.Wait
}

// TestSlowlorisCannotStarve fills every connection slot of a server with
// clients that send their headers slowly and checks that a well-behaved
// client still gets its requests served: the header timeout frees the
// slots, and the waiting connections are accepted in turn.
func TestSlowlorisCannotStarve(t *testing.T) {
	srv := mocks3.New(t, mocks3.WithBucket("bkt"), cmdserver.ConnLimits(serverext.ConnLimits{
		ReadHeaderTimeout: 100 * time.Millisecond, IdleTimeout: time.Second, MaxConns: 4,
	}))
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	wait := slowloris(t, u.Host, 16, stop)
	defer wait()
	defer close(stop)

	// Without the header timeout each slot is held for 5 s, and the
	// client's 16 predecessors keep it out for 20 s.
	ctx, cancel := context.WithTimeout(t.Context(), 15*time.Second)
	defer cancel()
	client := srv.Client()
	if _, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bkt"), Key: aws.String("k"),
		Body: bytes.NewReader([]byte("served"))}); err != nil {
		t.Fatalf("PutObject behind a slowloris = %v, want success", err)
	}
	srv.CheckObject(t, "bkt", "k", []byte("served"))
}

// TestBodyStallRequestTimeout sends part of a body and stops: the server
// answers S3's 400 RequestTimeout and stores nothing.
func TestBodyStallRequestTimeout(t *testing.T) {
	for _, mode := range roleModes {
		t.Run(mode.name, func(t *testing.T) {
			srv := mocks3.New(t, append(mode.opts(t), mocks3.WithBucket("bkt"),
				cmdserver.ConnLimits(serverext.ConnLimits{BodyTimeout: time.Second}))...)
			u, err := url.Parse(srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			c, err := net.Dial("tcp", u.Host)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			fmt.Fprintf(c, "PUT /bkt/stalled HTTP/1.1\r\nHost: %s\r\nContent-Length: 100\r\n\r\n0123456789", u.Host)
			c.SetReadDeadline(time.Now().Add(20 * time.Second)) // only so that a failure cannot hang the test
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err != nil {
				t.Fatalf("reading the answer to a stalled body: %v", err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			want := "<Message>Your socket connection to the server was not read from or written to within the timeout period.</Message>"
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "<Code>RequestTimeout</Code>") ||
				!strings.Contains(string(body), want) {
				t.Errorf("stalled PUT = %d %s, want 400 RequestTimeout", resp.StatusCode, body)
			}
			_, err = srv.Client().HeadObject(t.Context(), &s3.HeadObjectInput{Bucket: aws.String("bkt"), Key: aws.String("stalled")})
			checkErr(t, "HeadObject(stalled)", err, "NotFound", http.StatusNotFound)

			// A body that keeps coming, however slowly (every 50 ms against a 1 s
			// timeout, a margin that holds on a loaded machine), is not cut off; nor is
			// a handler that works longer than the timeout after the body.
			// The metadata role commits the record after the body has arrived.
			srv.Faults().AddT(t, faults.Rule{Service: "metadata", Operation: "PutObject", Action: faults.Delay(1500 * time.Millisecond)})
			pr, pw := io.Pipe()
			go func() {
				for i := range 5 {
					time.Sleep(50 * time.Millisecond)
					fmt.Fprintf(pw, "%02d", i)
				}
				pw.Close()
			}()
			req, _ := http.NewRequestWithContext(t.Context(), "PUT", srv.URL+"/bkt/slow", pr)
			req.ContentLength = 10
			resp, err = srv.HTTPClient().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("slow but steady PUT = %d, want 200", resp.StatusCode)
			}
			srv.CheckObject(t, "bkt", "slow", []byte("0001020304"))
		})
	}
}
