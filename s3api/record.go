package s3api

import "time"

// Record is a served request, as the request journal keeps it.
type Record struct {
	Time      time.Time
	Operation Operation
	Method    string
	Bucket    string
	Key       string
	// Status is the response status; 0 if the connection was dropped
	// before a response.
	Status   int
	Duration time.Duration
	BytesIn  int64
	BytesOut int64
	// Attempt is the SDK's attempt number (amz-sdk-request), 0 if absent.
	Attempt   int
	RequestID string
	// Faults lists the IDs of the fault rules that triggered for the
	// request, at the gateway and in the role calls made for it, in the
	// order they triggered; the IDs are those of events and stats.
	Faults []string
}
