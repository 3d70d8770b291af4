package mocks3_test

import (
	"context"
	"fmt"
	"log"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/mocks3/mocks3"
	"github.com/mocks3/mocks3/faults"
)

// AddT adds a rule for the rest of a test or subtest. Here the SDK's retries
// absorb two throttled attempts, the request journal shows them, and the
// rule is gone once the test ends. t is a stand-in; in a test, pass the
// test's (or subtest's) t.
func ExampleFaults_AddT() {
	srv, err := mocks3.NewServer(mocks3.WithBucket("photos"))
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	t := &exampleT{}
	srv.Faults().AddT(t, faults.Rule{Name: "throttle twice", Operation: "PutObject", Times: 2, Action: faults.ErrorCode("SlowDown")})

	_, err = srv.Client().PutObject(context.Background(), &s3.PutObjectInput{
		Bucket: aws.String("photos"), Key: aws.String("a.jpg"), Body: strings.NewReader("data"),
	})
	fmt.Println("PutObject:", err)
	for _, r := range srv.Requests() {
		fmt.Println(r.Operation, "attempt", r.Attempt, r.Status)
	}
	fmt.Println("triggers:", srv.Faults().Stats().Total.Faults)

	t.end()
	fmt.Println("rules after the test:", len(srv.Faults().Rules()))
	// Output:
	// PutObject: <nil>
	// PutObject attempt 1 503
	// PutObject attempt 2 503
	// PutObject attempt 3 200
	// triggers: 2
	// rules after the test: 0
}
