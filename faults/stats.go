package faults

import "time"

// Counts are requests, triggered faults and error responses.
type Counts struct {
	Requests int64 `json:"requests"`
	Faults   int64 `json:"faults"`
	Errors   int64 `json:"errors"`
}

// Stats is a snapshot of the engine's counters, in the shape of the seed's
// ErrorStats: totals, per rule, per service and per operation.
//
// Total counts S3 requests (the gateway service); Roles counts the role
// calls made while serving them, which are many per request (a GET reads
// the bucket, the record and the bytes). A request counts as faulted when
// any rule fired for it, at the gateway or in one of its role calls.
// ByRule is keyed by rule ID, as events and the request journal name rules.
type Stats struct {
	Total       Counts
	Roles       Counts
	ByRule      map[string]RuleInfo
	ByService   map[Service]Counts
	ByOperation map[string]Counts
}

// Event records one trigger.
type Event struct {
	Seq       int64     `json:"seq"`
	Time      time.Time `json:"timestamp"`
	RuleID    string    `json:"rule_id"`
	RuleName  string    `json:"rule_name"`
	Service   Service   `json:"service"`
	Operation string    `json:"operation"`
	Bucket    string    `json:"bucket,omitempty"`
	Key       string    `json:"key,omitempty"`
	Action    string    `json:"action"` // the rule's Action.Kind ("http_error", "delay", …)
	RequestID string    `json:"request_id,omitempty"`
}

// RuleInfo is a rule with its ID and counters: how many requests it
// matched, and how many of those it triggered on.
type RuleInfo struct {
	ID       string
	Rule     Rule
	Matches  int
	Triggers int
}
