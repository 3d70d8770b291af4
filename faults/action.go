package faults

import (
	"fmt"
	"time"

	"github.com/mocks3/mocks3/internal/faultname"

	"github.com/mocks3/mocks3/s3api"
)

// Action is what a triggered rule does. Build one with the constructors
// (ErrorCode, Delay, TruncateBody, …) or as a literal.
type Action struct {
	// Kind is what the action does, one of the seed's action types:
	//
	//	http_error      answer with an S3 error (Status, Code, Message, Header, Body)
	//	delay           wait Delay, or a random time in [Delay, MaxDelay], before
	//	                the response (before its body with BeforeBody); the
	//	                request then goes on
	//	timeout         hold the request until the client gives up or the server
	//	                closes (see Hang)
	//	disconnect      close the connection before any response
	//	network_error   reset the connection (TCP RST) before any response
	//	truncate        send the headers and the first Bytes bytes of the body,
	//	                then close: the client sees Content-Length unmet
	//	corruption      flip bits in the response body from byte Bytes on,
	//	                deterministically, for a client's checksums to catch
	//	slow_body       send the response body at BytesPerSecond
	//	slow_close      send all of the response but its last byte, then wait
	//	                Delay before ending it
	//
	// and, for role calls:
	//
	//	storage_error   fail a storage write (500 InternalError); nothing of it
	//	                becomes visible. It and database_error fail any role
	//	                call, as http_error does
	//	database_error  fail a role call
	//	lose_write      (storage, metadata) acknowledge a write that never
	//	                becomes visible: readers keep seeing the previous object
	//	corrupt_stored  (storage) store a write with flipped bits, while its
	//	                ETag and checksums describe what the client sent
	//	stale_read      (storage, metadata) serve the previous version of an
	//	                object (see StaleRead)
	//
	// The connection kinds (disconnect to slow_close) act on the gateway
	// only; role rules take http_error, delay, timeout and their own kinds.
	Kind string
	// Status, Code, Message, Header and Body describe an error response
	// (http_error, and the error a failed role call turns into). Code
	// defaults from Status; Status from Code.
	Status  int
	Code    s3api.ErrorCode
	Message string
	Header  map[string]string
	Body    string
	// Delay is the wait of delay and slow_close; with MaxDelay the
	// wait is uniform in [Delay, MaxDelay].
	Delay, MaxDelay time.Duration
	// BeforeBody delays after the headers are sent, before the body.
	BeforeBody bool
	// Bytes is where truncate cuts the body and where corruption starts
	// flipping (0: the first byte).
	Bytes int64
	// BytesPerSecond is the rate of slow_body.
	BytesPerSecond int64
}

func (a Action) validate(svc Service) error {
	switch a.Kind {
	case faultname.KindError, faultname.KindFailWrite, faultname.KindDatabaseError:
		if a.Status != 0 && (a.Status < 300 || a.Status > 599) {
			return fmt.Errorf("http_code: %d is not an error status", a.Status)
		}
		if a.Status == 0 && a.Code != "" && a.Code.Message() == "" {
			return fmt.Errorf("code: %q is not in S3's error table (such as \"SlowDown\"); set the status too for a code of your own", a.Code)
		}
	case faultname.KindDelay, faultname.KindSlowClose:
		if a.Delay < 0 || a.MaxDelay != 0 && a.MaxDelay < a.Delay {
			return fmt.Errorf("delay: bad range %v-%v", a.Delay, a.MaxDelay)
		}
	case faultname.KindHang:
	case faultname.KindClose, faultname.KindReset, faultname.KindTruncate, faultname.KindCorrupt, faultname.KindSlowBody:
		if svc != faultname.Gateway {
			return fmt.Errorf("type %s acts on connections: use it on the gateway service", a.Kind)
		}
		if a.Kind == faultname.KindSlowBody && a.BytesPerSecond <= 0 {
			return fmt.Errorf("bytes_per_second: must be positive for slow_body")
		}
		if a.Bytes < 0 {
			return fmt.Errorf("bytes: %d is negative", a.Bytes)
		}
	case faultname.KindLoseWrite, faultname.KindCorruptStored, faultname.KindStaleRead:
		if svc != faultname.Storage && svc != faultname.Metadata {
			return fmt.Errorf("type %s acts on stored data: use it on the storage or metadata service", a.Kind)
		}
	case "":
		return fmt.Errorf("type: missing")
	default:
		return fmt.Errorf("type: unknown action %q", a.Kind)
	}
	return nil
}

// ErrorCode answers with an S3 error code from S3's error table
// ("SlowDown", "InternalError", "ServiceUnavailable", "RequestTimeout",
// "AccessDenied", "NoSuchKey", …) and the status S3 sends with it. SlowDown,
// S3's throttling answer, also carries a retry hint: x-amz-retry-after in
// milliseconds, which the AWS SDKs honour, and Retry-After in seconds. A
// code that is not in the table is refused when the rule is added; for a
// code of your own, set Status too in an Action literal.
func ErrorCode(code s3api.ErrorCode) Action {
	a := Action{Kind: faultname.KindError, Status: code.Status(), Code: code}
	if code.Message() == "" {
		a.Status = 0 // not in the table: validate says so
	}
	if code == "SlowDown" {
		a.Header = map[string]string{"x-amz-retry-after": "10", "Retry-After": "1"}
	}
	return a
}

// HTTPError answers with any status and message. The code is the S3 code
// that usually comes with the status (503 ServiceUnavailable, 404
// NoSuchKey, …), or one spelt from the status text for a status S3 does
// not use (418 ImATeapot). To choose the code, set the Action's Code.
func HTTPError(status int, message string) Action {
	return Action{Kind: faultname.KindError, Status: status, Message: message}
}

// Delay waits d before the response.
func Delay(d time.Duration) Action { return Action{Kind: faultname.KindDelay, Delay: d} }

// Jitter waits a random time in [min, max] before the response, drawn from
// the engine's seeded source.
func Jitter(min, max time.Duration) Action {
	return Action{Kind: faultname.KindDelay, Delay: min, MaxDelay: max}
}

// Hang holds the request until the client gives up or the server closes.
// A client without a timeout never gives up: the test then blocks until
// it times out itself (go test -timeout, 10 minutes by default). Give the
// call a context with a deadline, or the SDK client an HTTP timeout.
func Hang() Action { return Action{Kind: faultname.KindHang} }

// CloseConnection closes the connection before any response.
func CloseConnection() Action { return Action{Kind: faultname.KindClose} }

// ResetConnection resets the connection before any response.
func ResetConnection() Action { return Action{Kind: faultname.KindReset} }

// TruncateBody sends only the first n bytes of the body, then closes.
func TruncateBody(n int64) Action { return Action{Kind: faultname.KindTruncate, Bytes: n} }

// CorruptBody flips bits in the response body from byte offset on.
func CorruptBody(offset int64) Action { return Action{Kind: faultname.KindCorrupt, Bytes: offset} }

// SlowBody sends the body at bytesPerSecond.
func SlowBody(bytesPerSecond int64) Action {
	return Action{Kind: faultname.KindSlowBody, BytesPerSecond: bytesPerSecond}
}

// SlowClose holds the response's last byte back for d, so the client sees
// it end late.
func SlowClose(d time.Duration) Action { return Action{Kind: faultname.KindSlowClose, Delay: d} }

// FailWrite makes a storage write fail with 500 InternalError; nothing of it
// becomes visible.
func FailWrite() Action { return Action{Kind: faultname.KindFailWrite} }

// LoseWrite acknowledges a write that never becomes visible.
func LoseWrite() Action { return Action{Kind: faultname.KindLoseWrite} }

// CorruptStored stores a write with flipped bits.
func CorruptStored() Action { return Action{Kind: faultname.KindCorruptStored} }

// StaleRead serves the previous version of an object: the one its last
// overwrite replaced or its delete removed, kept whether or not the rule
// existed then (under the binary's -memory-limit, which frees overwritten
// bytes at once, only if a stale-read rule existed then). Write,
// overwrite, then add the rule, and reads see the first write. An object written once
// and never deleted has no previous version, and reads as NoSuchKey.
func StaleRead() Action { return Action{Kind: faultname.KindStaleRead} }
