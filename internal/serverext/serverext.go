// Package serverext carries the settings of a mocks3 server that only the
// mocks3 binary sets: observers of finished requests, extra routes on the
// admin API, a wrapper for the stack's services and the stack's fixed
// addresses. No test author sets them, so they are not options of the
// public API: the binary passes them to mocks3.NewServer as options of
// package internal/cmdserver, which NewServer recognizes by the Option
// interface below.
package serverext

import (
	"net/http"

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
