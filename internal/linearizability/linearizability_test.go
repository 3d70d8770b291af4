package linearizability

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
	"go.uber.org/goleak"

	"github.com/mocks3/mocks3"
	"github.com/mocks3/mocks3/faults"
	"github.com/mocks3/mocks3/internal/faultname"
	"github.com/mocks3/mocks3/internal/suitetest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const bucket = "lin"

// kind is what an operation did to one key.
type kind int

const (
	opPut         kind = iota // PutObject
	opPutIfAbsent             // PutObject with If-None-Match: *
	opComplete                // CompleteMultipartUpload (its Abort rival is not a write)
	opDelete                  // DeleteObject
	opGet                     // GetObject
	opExists                  // the key's presence in a ListObjectsV2 page
)

// outcome is what the client learnt.
type outcome int

const (
	done     outcome = iota // acknowledged
	refused                 // a definite answer that nothing changed (412, NoSuchUpload)
	unknown                 // a transport error or 5xx: it may or may not have happened
	notFound                // GET: NoSuchKey; exists: absent
)

type input struct {
	key   string
	kind  kind
	value int // the version a write stores (0: none)
}

type output struct {
	outcome outcome
	value   int // the version a GET read
}

// model is S3 for one key: the state is the version stored, 0 for none.
var model = porcupine.NondeterministicModel{
	Partition: func(h []porcupine.Operation) [][]porcupine.Operation {
		byKey := map[string][]porcupine.Operation{}
		var keys []string
		for _, op := range h {
			k := op.Input.(input).key
			if _, ok := byKey[k]; !ok {
				keys = append(keys, k)
			}
			byKey[k] = append(byKey[k], op)
		}
		out := make([][]porcupine.Operation, 0, len(keys))
		for _, k := range keys {
			out = append(out, byKey[k])
		}
		return out
	},
	Init: func() []any { return []any{0} },
	Step: func(state, in, out any) []any {
		cur, i, o := state.(int), in.(input), out.(output)
		both := func(next int) []any {
			if next == cur {
				return []any{cur}
			}
			return []any{cur, next}
		}
		switch i.kind {
		case opPut, opComplete:
			switch o.outcome {
			case done:
				return []any{i.value}
			case refused:
				return []any{cur}
			}
			return both(i.value)
		case opPutIfAbsent:
			switch o.outcome {
			case done:
				if cur == 0 {
					return []any{i.value}
				}
			case refused:
				if cur != 0 {
					return []any{cur}
				}
			case unknown:
				if cur == 0 {
					return both(i.value)
				}
				return []any{cur}
			}
			return nil
		case opDelete:
			if o.outcome == done {
				return []any{0}
			}
			return both(0)
		case opGet:
			if (o.outcome == notFound && cur == 0) || (o.outcome == done && o.value == cur) {
				return []any{cur}
			}
			return nil
		case opExists:
			if (o.outcome == notFound) == (cur == 0) {
				return []any{cur}
			}
			return nil
		}
		return nil
	},
	DescribeOperation: func(in, out any) string {
		i, o := in.(input), out.(output)
		return fmt.Sprintf("%s %d %d -> %d %d", i.key, i.kind, i.value, o.outcome, o.value)
	},
}

// recorder collects a history; clocks are nanoseconds since start.
type recorder struct {
	start time.Time
	mu    sync.Mutex // guards ops
	ops   []porcupine.Operation
}

func (r *recorder) now() int64 { return int64(time.Since(r.start)) }

func (r *recorder) add(client int, in input, out output, call, ret int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ops = append(r.ops, porcupine.Operation{ClientId: client, Input: in, Output: out, Call: call, Return: ret})
}

func TestLinearizable(t *testing.T) {
	ops := suitetest.EnvCount(t, "MOCKS3_LIN_OPS", 300)
	faulty := []faults.Rule{
		{Name: "slow", Probability: 0.1, Action: faults.Jitter(0, 3*time.Millisecond)},
		{Name: "dropped", Probability: 0.03, Action: faults.CloseConnection()},
		{Name: "cut", Operation: "CompleteMultipartUpload", Probability: 0.2, Action: faults.TruncateBody(0)}, // applied, but the client never hears it
	}
	modes := []struct {
		name string
		opts func(t *testing.T) []mocks3.Option
	}{
		{"memory", func(*testing.T) []mocks3.Option { return nil }},
		{"disk", func(t *testing.T) []mocks3.Option { return []mocks3.Option{mocks3.WithDir(t.TempDir())} }},
		{"stack", func(*testing.T) []mocks3.Option {
			return []mocks3.Option{mocks3.WithStack(), mocks3.WithStorageNodes(2), mocks3.WithFaults(
				faults.Rule{Name: "node down", Service: faultname.Storage, Node: "storage-2", Probability: 0.3, Action: faults.ErrorCode("ServiceUnavailable")})}
		}},
	}
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			srv := mocks3.New(t, append(m.opts(t), mocks3.WithBucket(bucket), mocks3.WithMinPartSize(1), mocks3.WithSeed(1))...)
			for _, r := range faulty {
				srv.Faults().AddT(t, r)
			}
			// One attempt per operation: what the client learns is one answer.
			c := srv.Client(func(o *s3.Options) { o.RetryMaxAttempts = 1 })
			rec := &recorder{start: time.Now()}
			const clients = 5
			var next atomic.Int64
			var wg sync.WaitGroup
			for id := range clients {
				wg.Go(func() {
					rng := rand.New(rand.NewPCG(uint64(id), 99))
					for range ops / clients {
						step(t.Context(), c, rec, id, rng, &next)
					}
				})
			}
			wg.Wait()
			fired := map[string]int{}
			for _, r := range srv.Faults().Rules() {
				fired[r.Rule.Name] += r.Triggers
			}
			if fired["dropped"] == 0 || fired["cut"] == 0 {
				t.Errorf("fault triggers %v: the history was not made under dropped and cut responses", fired)
			}
			res, info := porcupine.CheckOperationsVerbose(model.ToModel(), rec.ops, time.Minute)
			switch res {
			case porcupine.Ok:
				t.Logf("%d operations on %d keys, faults fired %v: linearizable", len(rec.ops), len(keys), fired)
			case porcupine.Illegal:
				if f, err := os.CreateTemp("", "mocks3-lin-*.html"); err == nil {
					porcupine.Visualize(model.ToModel(), info, f)
					f.Close()
					t.Logf("visualisation: %s", f.Name())
				}
				t.Errorf("history of %d operations is not linearizable", len(rec.ops))
			default:
				t.Errorf("checking %d operations timed out: make the history shorter", len(rec.ops))
			}
		})
	}
}

var keys = []string{"k0", "k1", "dir/k2"}

// step runs one random operation and records it.
func step(ctx context.Context, c *s3.Client, rec *recorder, client int, rng *rand.Rand, next *atomic.Int64) {
	key := keys[rng.IntN(len(keys))]
	v := int(next.Add(1))
	body := func() io.Reader { return strings.NewReader("v" + strconv.Itoa(v)) }
	call := rec.now()
	switch r := rng.IntN(20); {
	case r < 7:
		_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: body()})
		rec.add(client, input{key, opPut, v}, writeOutcome(err), call, rec.now())
	case r < 9:
		_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: body(), IfNoneMatch: aws.String("*")})
		rec.add(client, input{key, opPutIfAbsent, v}, writeOutcome(err), call, rec.now())
	case r < 11:
		_, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
		rec.add(client, input{key, opDelete, 0}, writeOutcome(err), call, rec.now())
	case r < 13:
		multipartRace(ctx, c, rec, client, key, v, rng.IntN(2) == 0)
	case r < 18:
		out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
		var o output
		switch {
		case err == nil:
			data, rerr := io.ReadAll(out.Body)
			out.Body.Close()
			n, perr := strconv.Atoi(strings.TrimPrefix(string(data), "v"))
			if rerr != nil || perr != nil {
				return // a cut body says nothing about the state
			}
			o = output{outcome: done, value: n}
		case isCode(err, "NoSuchKey"):
			o = output{outcome: notFound}
		default:
			return
		}
		rec.add(client, input{key, opGet, 0}, o, call, rec.now())
	default:
		out, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
		if err != nil {
			return
		}
		ret := rec.now()
		listed := map[string]bool{}
		for _, o := range out.Contents {
			listed[aws.ToString(o.Key)] = true
		}
		for _, k := range keys {
			o := output{outcome: done}
			if !listed[k] {
				o.outcome = notFound
			}
			rec.add(client, input{k, opExists, 0}, o, call, ret)
		}
	}
}

// multipartRace completes a one-part upload, racing an Abort of it when
// abort is set; only the Complete is a write.
func multipartRace(ctx context.Context, c *s3.Client, rec *recorder, client int, key string, v int, abort bool) {
	up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		return
	}
	part, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String(bucket), Key: aws.String(key), UploadId: up.UploadId,
		PartNumber: aws.Int32(1), Body: bytes.NewReader([]byte("v" + strconv.Itoa(v)))})
	if err != nil {
		c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String(key), UploadId: up.UploadId})
		return
	}
	var wg sync.WaitGroup
	if abort {
		wg.Go(func() {
			c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String(key), UploadId: up.UploadId})
		})
	}
	call := rec.now()
	_, err = c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String(key),
		UploadId: up.UploadId, MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{{PartNumber: aws.Int32(1), ETag: part.ETag}}}})
	o := writeOutcome(err)
	if isCode(err, "NoSuchUpload") {
		o = output{outcome: refused}
	}
	rec.add(client, input{key, opComplete, v}, o, call, rec.now())
	wg.Wait()
}

// writeOutcome classifies a write's error: 412 is a definite refusal; any
// other failure may have happened after the write took effect (a cut
// response) or before (a fault at the gateway), so it is unknown.
func writeOutcome(err error) output {
	switch {
	case err == nil:
		return output{outcome: done}
	case isCode(err, "PreconditionFailed"):
		return output{outcome: refused}
	}
	return output{outcome: unknown}
}

func isCode(err error, code string) bool {
	var ae smithy.APIError
	return errors.As(err, &ae) && ae.ErrorCode() == code
}

// TestModelCatches feeds the model histories that break S3's promises, so
// that TestLinearizable passing means something.
func TestModelCatches(t *testing.T) {
	op := func(kind kind, value int, o output, call, ret int64) porcupine.Operation {
		return porcupine.Operation{Input: input{"k", kind, value}, Output: o, Call: call, Return: ret}
	}
	ok := output{outcome: done}
	tests := []struct {
		name    string
		history []porcupine.Operation
	}{
		{"stale read after an acknowledged write", []porcupine.Operation{
			op(opPut, 1, ok, 0, 1), op(opPut, 2, ok, 2, 3), op(opGet, 0, output{outcome: done, value: 1}, 4, 5)}},
		{"lost acknowledged write", []porcupine.Operation{
			op(opPut, 1, ok, 0, 1), op(opGet, 0, output{outcome: notFound}, 2, 3)}},
		{"deleted object comes back", []porcupine.Operation{
			op(opPut, 1, ok, 0, 1), op(opDelete, 0, ok, 2, 3), op(opGet, 0, output{outcome: done, value: 1}, 4, 5)}},
		{"two creates both win", []porcupine.Operation{
			op(opPutIfAbsent, 1, ok, 0, 1), op(opPutIfAbsent, 2, ok, 2, 3)}},
		{"refused Complete took effect", []porcupine.Operation{
			op(opComplete, 1, output{outcome: refused}, 0, 1), op(opGet, 0, output{outcome: done, value: 1}, 2, 3)}},
		{"listing misses an acknowledged write", []porcupine.Operation{
			op(opPut, 1, ok, 0, 1), op(opExists, 0, output{outcome: notFound}, 2, 3)}},
		{"torn value", []porcupine.Operation{
			op(opPut, 1, ok, 0, 1), op(opGet, 0, output{outcome: done, value: 7}, 2, 3)}},
	}
	for _, tt := range tests {
		if porcupine.CheckOperations(model.ToModel(), tt.history) {
			t.Errorf("%s: the model accepts it", tt.name)
		}
	}
	// And accepts what S3 allows: an unknown write seen or not.
	for _, seen := range []output{{outcome: done, value: 1}, {outcome: notFound}} {
		h := []porcupine.Operation{op(opPut, 1, output{outcome: unknown}, 0, 1), op(opGet, 0, seen, 2, 3)}
		if !porcupine.CheckOperations(model.ToModel(), h) {
			t.Errorf("an unknown write followed by a read of %+v: the model refuses it", seen)
		}
	}
}
