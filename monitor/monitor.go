// Package monitor serves the admin listener: Prometheus metrics on
// /metrics, liveness on /healthz and readiness on /readyz. It binds to
// loopback by default; metrics carry no personal data (no addresses, no
// subjects, only counts and outcomes).
package monitor

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Check reports whether one dependency is ready; nil means ready.
type Check func(ctx context.Context) error

// Server is the admin HTTP server.
type Server struct {
	srv *http.Server
	ln  net.Listener
	log *slog.Logger

	mu     sync.Mutex
	checks map[string]Check
}

// Listen opens addr and serves in the background. With profiling set,
// Go's pprof handlers are served under /debug/pprof/ too (stacks and
// timings only, no message data; keep the listener on loopback).
func Listen(addr string, g prometheus.Gatherer, profiling bool, log *slog.Logger) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("monitor: listen %s: %w", addr, err)
	}
	s := &Server{ln: ln, log: log, checks: map[string]Check{}}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(g, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", s.ready)
	if profiling {
		mux.HandleFunc("GET /debug/pprof/", pprof.Index)
		mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
		mux.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
	}
	s.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("admin listener stopped", "err", err)
		}
	}()
	log.Info("admin listening", "addr", ln.Addr().String())
	return s, nil
}

// SetCheck adds or replaces a readiness check; a nil check removes it.
func (s *Server) SetCheck(name string, c Check) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c == nil {
		delete(s.checks, name)
		return
	}
	s.checks[name] = c
}

func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	checks := make(map[string]Check, len(s.checks))
	for k, v := range s.checks {
		checks[k] = v
	}
	s.mu.Unlock()
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	status, body := http.StatusOK, ""
	for name, c := range checks {
		if err := c(ctx); err != nil {
			status = http.StatusServiceUnavailable
			body += name + ": " + err.Error() + "\n"
		}
	}
	if body == "" {
		body = "ready\n"
	}
	w.WriteHeader(status)
	w.Write([]byte(body))
}

// Addr is the listening address.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// Close stops the server.
func (s *Server) Close() error { return s.srv.Close() }
