package mocks3

import (
	"net/http"
	"strings"
	"sync"
)

// adminPrefix is the reserved path on the S3 port for mocks3's own API; no
// bucket name can start with "_".
const adminPrefix = "/_mocks3"

// topHandler sends the reserved admin prefix to the admin API and
// everything else to S3. Only a path-style request reaches the admin API: in
// a virtual-hosted-style one the path is a key, and "_mocks3/..." is a valid
// key.
func (s *Server) topHandler() http.Handler {
	// Built on first use: most servers never see an admin request, and
	// building the mux is half of a server's start-up time.
	admin := sync.OnceValue(func() http.Handler {
		return s.guardAdmin(http.StripPrefix(adminPrefix, s.adminHandler()))
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.limitBody(w, r)
		if (r.URL.Path == adminPrefix || strings.HasPrefix(r.URL.Path, adminPrefix+"/")) &&
			"/"+s.handler.Identify(r).Bucket == adminPrefix {
			admin().ServeHTTP(w, r)
			return
		}
		if s.checkHost(w, r) && s.checkCrossOriginPost(w, r) {
			s.journal.begin()
			defer s.journal.end()
			s.handler.ServeHTTP(w, r)
		}
	})
}

// adminHandler serves the seed's REST API: /api/v1/rules, /api/v1/stats,
// /api/v1/events and /health; see faultengine.Engine.APIHandler.
// The binary's admin routes (internal/cmdserver.AdminHandler) answer under
// their own names.
func (s *Server) adminHandler() http.Handler {
	api := s.faults.APIHandler()
	if len(s.cfg.ext.AdminRoutes) == 0 {
		return api
	}
	mux := http.NewServeMux()
	mux.Handle("/", api)
	for name, h := range s.cfg.ext.AdminRoutes {
		mux.Handle("/"+name, h)
		mux.Handle("/"+name+"/", h)
	}
	return mux
}
