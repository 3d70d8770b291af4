// Package cmdserver is what cmd/mocks3 needs of a server beyond the public
// API: options no test author sets (request observers, admin routes, the
// stack's service wrapper, fixed addresses and remote services, the admin
// token, connection and memory limits) and the role services that
// "mocks3 service NAME" runs.
package cmdserver

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/mocks3/mocks3"
	"github.com/mocks3/mocks3/backend"
	"github.com/mocks3/mocks3/backend/disk"
	"github.com/mocks3/mocks3/backend/memory"
	"github.com/mocks3/mocks3/internal/metadata"
	"github.com/mocks3/mocks3/internal/queue"
	"github.com/mocks3/mocks3/internal/serverext"
	"github.com/mocks3/mocks3/internal/storage"
	"github.com/mocks3/mocks3/internal/thirdparty"
	"github.com/mocks3/mocks3/s3api"
)

// option is a server option of the binary. mocks3.Option is sealed (its
// method is unexported), so an option from outside the root package cannot
// implement it: option embeds the interface, nil, only so that it can be
// passed to mocks3.NewServer with the public options. NewServer recognizes
// it as a serverext.Option and calls ApplySettings, never the embedded
// Option's method.
type option struct {
	mocks3.Option
	set func(*serverext.Settings) error
}

func (o option) ApplySettings(s *serverext.Settings) error { return o.set(s) }

// Observer calls fn with the record of every finished S3 request, for
// metrics. fn runs on the request's goroutine and must be quick.
func Observer(fn func(s3api.Record)) mocks3.Option {
	return option{set: func(s *serverext.Settings) error {
		if fn == nil {
			return errors.New("Observer: nil function")
		}
		s.Observers = append(s.Observers, fn)
		return nil
	}}
}

// AdminHandler serves h under /_mocks3/<name>/ on the S3 port, next to the
// fault API (for example a metrics endpoint). Requests reach it through the
// admin API's checks: JSON bodies only, no foreign Origin, and the
// AdminToken token when set.
func AdminHandler(name string, h http.Handler) mocks3.Option {
	return option{set: func(s *serverext.Settings) error {
		if name == "" || name == "api" || name == "health" || strings.Contains(name, "/") {
			return fmt.Errorf("AdminHandler: bad name %q", name)
		}
		if s.AdminRoutes == nil {
			s.AdminRoutes = map[string]http.Handler{}
		}
		s.AdminRoutes[name] = h
		return nil
	}}
}

// ServiceWrapper wraps the handler of each stack-mode service (named
// "metadata", "storage-1", "queue", "third-party", "mock-error"), for
// example to add a /metrics endpoint.
func ServiceWrapper(wrap func(service string, h http.Handler) http.Handler) mocks3.Option {
	return option{set: func(s *serverext.Settings) error {
		s.ServiceWrapper = wrap
		return nil
	}}
}

// StackAddrs runs the stack's services on fixed addresses: metadata, the
// first storage node, queue, third-party and the fault API, in that order
// ("" for a random port). It implies mocks3.WithStack.
func StackAddrs(addrs ...string) mocks3.Option {
	return option{set: func(s *serverext.Settings) error {
		if len(addrs) > 5 {
			return fmt.Errorf("StackAddrs: %d addresses, want at most 5", len(addrs))
		}
		s.StackAddrs = addrs
		return nil
	}}
}

// StackEndpoints fronts role services that run elsewhere (for example
// started with "mocks3 service"): the server is then only the S3 gateway.
func StackEndpoints(ep serverext.StackEndpoints) mocks3.Option {
	return option{set: func(s *serverext.Settings) error {
		if ep.Metadata == "" || len(ep.Storage) == 0 || ep.Queue == "" {
			return errors.New("StackEndpoints: metadata, storage and queue endpoints are required")
		}
		s.Endpoints = &ep
		return nil
	}}
}

// AdminToken requires token on every request to the admin API (the fault
// REST API and the routes under /_mocks3/, and the fault service in stack
// mode), sent as "Authorization: Bearer <token>"; GET /health stays open
// for health checks. The S3 API is not affected.
func AdminToken(token string) mocks3.Option {
	return option{set: func(s *serverext.Settings) error {
		if strings.TrimSpace(token) == "" || strings.ContainsAny(token, " \t\r\n") {
			return errors.New("AdminToken: empty token, or one with spaces")
		}
		s.AdminToken = token
		return nil
	}}
}

// ConnLimits sets the S3 port's connection limits (see
// serverext.ConnLimits). A server without them sets none; the binary sets
// all four.
func ConnLimits(l serverext.ConnLimits) mocks3.Option {
	return option{set: func(s *serverext.Settings) error {
		if l.ReadHeaderTimeout < 0 || l.IdleTimeout < 0 || l.BodyTimeout < 0 || l.MaxConns < 0 {
			return errors.New("ConnLimits: negative limit")
		}
		s.Limits = l
		return nil
	}}
}

// MemoryLimit caps the object bytes a server without WithDir keeps in
// memory, per storage node. Memory mode costs about one byte of RAM per
// stored byte (parts of multipart uploads in progress included), plus a few
// hundred bytes per object record; past the limit, a write is refused with
// 507 XMinioStorageFull before its body is read (or, when its size is not
// known, as soon as it outgrows the room left), where without one the
// process would die of running out of memory. The bytes of deleted and
// overwritten objects are freed by the queue, within moments (WaitIdle
// waits for it); so, under a limit, a stale-read fault serves the previous
// version only of objects overwritten while a stale-read rule existed. A
// server sets no limit unless given one; the binary sets half the
// machine's memory. It has no effect with WithDir or WithBackend.
func MemoryLimit(bytes int64) mocks3.Option {
	return option{set: func(s *serverext.Settings) error {
		if bytes < 0 {
			return fmt.Errorf("MemoryLimit: %d is negative", bytes)
		}
		s.MemoryLimit = bytes
		return nil
	}}
}

// Addr listens on addr (such as "127.0.0.1:8080") instead of a random
// loopback port.
func Addr(addr string) mocks3.Option {
	return option{set: func(s *serverext.Settings) error {
		if addr == "" {
			return errors.New("Addr: empty address")
		}
		s.Addr = addr
		return nil
	}}
}

// BaseDomain adds a domain under which "bucket.<domain>" addresses a
// bucket in virtual-hosted style; "localhost" always does. The server
// answers requests for IP addresses, localhost, its Addr host and its
// base domains (and their subdomains) only: other Host names get 400
// InvalidRequest, so that a web page cannot reach it through DNS rebinding.
// Add the names clients use, such as a docker-compose service name.
func BaseDomain(domain string) mocks3.Option {
	return option{set: func(s *serverext.Settings) error {
		if domain == "" {
			return errors.New("BaseDomain: empty domain")
		}
		s.BaseDomains = append(s.BaseDomains, domain)
		return nil
	}}
}

// RoleService returns the HTTP handler of one role service, as
// "mocks3 service NAME" runs it, and a function that releases what it holds.
// name is metadata, storage, queue or third-party; dir, if set, keeps the
// metadata or storage role's data on disk; originURL is the third-party
// role's origin. Only gateways call a role service, so the handler refuses
// requests that carry an Origin header: they come from a web page.
func RoleService(name, dir, originURL string) (http.Handler, func(), error) {
	open := func() (backend.Backend, error) {
		if dir != "" {
			return disk.Open(dir)
		}
		return memory.New(), nil
	}
	switch name {
	case "metadata", "storage":
		b, err := open()
		if err != nil {
			return nil, nil, err
		}
		closeFn := func() { b.Close() }
		if name == "metadata" {
			return serverext.RefuseBrowsers(metadata.NewHandler(b)), closeFn, nil
		}
		return serverext.RefuseBrowsers(storage.NewHandler(b)), closeFn, nil
	case "queue":
		q := queue.NewLocal(nil)
		return serverext.RefuseBrowsers(queue.NewHandler(q)), q.Close, nil
	case "third-party":
		if originURL == "" {
			return nil, nil, fmt.Errorf("the third-party service needs an origin URL")
		}
		c := thirdparty.NewCounting(thirdparty.HTTPOrigin(originURL, nil))
		return serverext.RefuseBrowsers(thirdparty.NewHandler(c, c.Stats)), func() {}, nil
	}
	return nil, nil, fmt.Errorf("unknown role %q (want metadata, storage, queue or third-party)", name)
}
