// Package serverext carries the settings of a mocks3 server that only the
// mocks3 binary sets: observers of finished requests, extra routes on the
// admin API, a wrapper for the stack's services, the stack's fixed
// addresses or remote services, the admin token, connection limits and the
// memory limit. No test author sets them, so they are not options of the
// public API: the binary passes them to mocks3.NewServer as options of
// package internal/cmdserver, which NewServer recognizes by the Option
// interface below.
package serverext

import (
	"net/http"
	"time"

	"github.com/mocks3/mocks3/s3api"
)

// Settings are the binary's settings of a server.
type Settings struct {
	// Observers are called with the record of every finished S3 request,
	// on the request's goroutine.
	Observers []func(s3api.Record)
	// AdminRoutes are served under /_mocks3/<name>/, behind the admin
	// API's checks.
	AdminRoutes map[string]http.Handler
	// ServiceWrapper wraps the handler of each stack-mode service
	// ("metadata", "storage-1", "queue", "third-party", "mock-error").
	ServiceWrapper func(service string, h http.Handler) http.Handler
	// StackAddrs are the stack's listening addresses: metadata, the first
	// storage node, queue, third-party and the fault API, in that order
	// ("" for a random port). Setting them implies stack mode.
	StackAddrs []string
	// Endpoints, if set, are role services running elsewhere: the server
	// is then only the S3 gateway in front of them.
	Endpoints *StackEndpoints
	// AdminToken, if set, is required as "Authorization: Bearer <token>"
	// on the admin API (the fault REST API, AdminRoutes, and the fault
	// service in stack mode); GET /health stays open.
	AdminToken string
	// Limits bound what one client can hold of the S3 port's connections.
	Limits ConnLimits
	// MemoryLimit caps the object bytes a memory-backed server keeps, per
	// storage node; 0 is no limit.
	MemoryLimit int64
	// Addr is the S3 port's listening address; "" is a random loopback
	// port.
	Addr string
	// BaseDomains are domains under which "bucket.<domain>" addresses a
	// bucket, besides localhost; the server answers only for these host
	// names, IP addresses, localhost and Addr's host.
	BaseDomains []string
}

// StackEndpoints are the URLs of role services running elsewhere (for
// example started with "mocks3 service"). Storage lists one URL per
// storage node. ThirdParty is optional.
type StackEndpoints struct {
	Metadata   string
	Storage    []string
	Queue      string
	ThirdParty string
}

// ConnLimits bound what one client can hold of the server's connections, as
// production S3 servers do: a client that sends its headers too slowly, sits
// idle between requests, or stops sending a request body is cut off, and
// the number of open connections stays below the process's file limit, so
// that slow or hostile clients cannot lock out the others. A zero field
// sets no limit. They apply to the S3 port, not to the stack's services,
// which only the gateway calls.
type ConnLimits struct {
	// ReadHeaderTimeout bounds the time to read a request's headers.
	ReadHeaderTimeout time.Duration
	// IdleTimeout bounds how long a kept-alive connection waits for its
	// next request.
	IdleTimeout time.Duration
	// BodyTimeout bounds how long a request body may send nothing; the
	// request then gets 400 RequestTimeout, as S3 answers a stalled upload.
	BodyTimeout time.Duration
	// MaxConns caps the connections open at once; further clients wait to
	// be accepted until one closes.
	MaxConns int
}

// Option sets Settings; NewServer applies the options that implement it
// to the server's Settings.
type Option interface {
	ApplySettings(*Settings) error
}

// RefuseBrowsers guards a role service, which only gateways call: a
// request that carries an Origin header comes from a browser.
func RefuseBrowsers(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Origin") != "" {
			http.Error(w, "mocks3 role services do not serve browsers", http.StatusForbidden)
			return
		}
		h.ServeHTTP(w, r)
	})
}
