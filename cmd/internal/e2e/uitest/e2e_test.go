//go:build !js

package uitest

// What the tests of this package share, beside the real server of
// e2e.Serve: a reverse proxy in front of it, to record the paths it is
// asked for or to change its answers, and the checks of a clean page.

import (
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/klcalc/klcalc/cmd/internal/e2e"
)

// bootTimeout bounds the wasm download, compile and start (a few seconds on
// a laptop; CI machines with two busy cores are slower).
const bootTimeout = 90 * time.Second

// wasmLengthHeader is the header in which klcalc serve sends the size of
// the uncompressed wasm, for go-app's loading progress (cmd/klcalc's
// wasmLengthHeader).
const wasmLengthHeader = "X-Wasm-Content-Length"

// proxyTo is a reverse proxy to the server whose origin target returns,
// asked for each request (a test may switch servers under one origin). It
// passes requests and responses through as they are: it neither asks for
// gzip nor decodes it, and keeps Range, validators and every end-to-end
// header.
func proxyTo(target func() string) http.Handler {
	return &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			u, err := url.Parse(target())
			if err != nil {
				panic(err)
			}
			pr.SetURL(u)
		},
		Transport: &http.Transport{DisableCompression: true},
		ErrorLog:  log.New(io.Discard, "", 0), // a browser that goes away mid-body
	}
}

// proxy is proxyTo(the server s).
func proxy(s *e2e.Server) http.Handler {
	return proxyTo(func() string { return s.URL })
}

// requestLog records the paths that reach the server, including the
// service worker's precache fetches, which the page's network events do not
// show. Put it in front of a proxy to the server.
type requestLog struct {
	mu    sync.Mutex
	paths []string
}

func (l *requestLog) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.mu.Lock()
		l.paths = append(l.paths, r.URL.Path)
		l.mu.Unlock()
		h.ServeHTTP(w, r)
	})
}

func (l *requestLog) Paths() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.paths)
}

// serveOn serves h on a real listener on 127.0.0.1:0 and returns the
// origin and a function that stops the server and closes every
// connection. The origin (host and port) is what the service worker is
// registered for, so a test that reloads offline must not change it.
func serveOn(t *testing.T, h http.Handler) (origin string, stop func()) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("serve: %v", err)
		}
	}()
	var once atomic.Bool
	stop = func() {
		if once.Swap(true) {
			return
		}
		srv.Close()
		<-done
	}
	t.Cleanup(stop)
	return "http://" + ln.Addr().String(), stop
}

// checkCleanPage fails the test on console errors, exceptions, CSP
// violations or requests to another origin.
func checkCleanPage(t *testing.T, p *e2e.Page, origin string) {
	t.Helper()
	if probs := p.Problems(); len(probs) > 0 {
		t.Errorf("problems in the page:\n  %s\nconsole:\n  %s", strings.Join(probs, "\n  "), strings.Join(p.Console(), "\n  "))
	}
	if foreign := p.ForeignRequests(origin); len(foreign) > 0 {
		t.Errorf("requests left the origin %s: %q", origin, foreign)
	}
}

// waitServiceWorker waits until the service worker is active and returns
// the cache names: go-app's install step precaches every listed file with
// cache.addAll, which fails as a whole if one file is missing.
func waitServiceWorker(t *testing.T, p *e2e.Page) []string {
	t.Helper()
	return e2e.Eval[[]string](t, p, `Promise.race([
	  navigator.serviceWorker.ready.then(() => caches.keys()),
	  new Promise((_, reject) => setTimeout(() => reject(new Error("service worker not ready after 30 s")), 30000)),
	])`)
}
