//go:build !js

package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"maps"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// fetch is one response the counting proxy passed to the browser.
type fetch struct {
	Path     string
	Status   int
	Encoding string // Content-Encoding: br, gzip or "" (identity)
	Dest     string // Sec-Fetch-Dest: document, script, empty (fetch, including the service worker's) ...
	Bytes    int64  // body bytes sent, as encoded
}

// countingProxy is a reverse proxy in front of "klcalc serve" that counts
// the body bytes of every response, whichever part of the browser asked
// (the page, or its service worker precaching), which CDP events of the
// page alone do not show.
type countingProxy struct {
	URL string
	srv *http.Server

	mu      sync.Mutex
	fetches []fetch
	last    time.Time
}

// newCountingProxy proxies to the origin target.
func newCountingProxy(target string) (*countingProxy, error) {
	u, err := url.Parse(target)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &countingProxy{URL: "http://" + ln.Addr().String() + "/"}
	rp := &httputil.ReverseProxy{
		Rewrite:  func(pr *httputil.ProxyRequest) { pr.SetURL(u) },
		ErrorLog: log.New(io.Discard, "", 0),
	}
	p.srv = &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			cw := &countingWriter{ResponseWriter: w}
			rp.ServeHTTP(cw, r)
			p.mu.Lock()
			p.fetches = append(p.fetches, fetch{
				Path:     r.URL.Path,
				Status:   cw.status,
				Encoding: w.Header().Get("Content-Encoding"),
				Dest:     r.Header.Get("Sec-Fetch-Dest"),
				Bytes:    cw.n,
			})
			p.last = time.Now()
			p.mu.Unlock()
		}),
		ReadHeaderTimeout: 10 * time.Second,
	}
	go p.srv.Serve(ln)
	return p, nil
}

func (p *countingProxy) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	p.srv.Shutdown(ctx)
}

// reset forgets the fetches so far.
func (p *countingProxy) reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.fetches, p.last = nil, time.Now()
}

// waitIdle waits until no response has completed for quiet, or max passed.
func (p *countingProxy) waitIdle(quiet, max time.Duration) {
	end := time.Now().Add(max)
	for time.Now().Before(end) {
		p.mu.Lock()
		idle := time.Since(p.last)
		p.mu.Unlock()
		if idle >= quiet {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// snapshot returns the fetches so far, in order.
func (p *countingProxy) snapshot() []fetch {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]fetch(nil), p.fetches...)
}

type countingWriter struct {
	http.ResponseWriter
	status int
	n      int64
}

func (w *countingWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *countingWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.n += int64(n)
	return n, err
}

func (w *countingWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// transferSummary is the total of a first visit and its files.
type transferSummary struct {
	Total    int64
	Requests int
	Files    []fileTransfer // by path, in the order first fetched
}

// fileTransfer is what one path cost, over all its fetches.
type fileTransfer struct {
	Path      string
	Fetches   int
	Bodies    int   // fetches that downloaded the body (not a 304)
	First     int64 // bytes of the first body
	Bytes     int64
	Encodings string // e.g. "br", "br, 304"
	Dests     string
}

// summarize groups fetches by path.
func summarize(fs []fetch) transferSummary {
	var s transferSummary
	idx := map[string]int{}
	encs := map[string]map[string]bool{}
	dests := map[string]map[string]bool{}
	for _, f := range fs {
		s.Total += f.Bytes
		s.Requests++
		i, ok := idx[f.Path]
		if !ok {
			i = len(s.Files)
			idx[f.Path] = i
			s.Files = append(s.Files, fileTransfer{Path: f.Path})
			encs[f.Path], dests[f.Path] = map[string]bool{}, map[string]bool{}
		}
		s.Files[i].Fetches++
		s.Files[i].Bytes += f.Bytes
		if f.Bytes > 0 {
			if s.Files[i].Bodies == 0 {
				s.Files[i].First = f.Bytes
			}
			s.Files[i].Bodies++
		}
		e := f.Encoding
		switch {
		case f.Status == http.StatusNotModified:
			e = "304"
		case f.Status != http.StatusOK:
			e = fmt.Sprint(f.Status)
		case e == "":
			e = "identity"
		}
		encs[f.Path][e] = true
		if f.Dest != "" {
			dests[f.Path][f.Dest] = true
		}
	}
	for i := range s.Files {
		s.Files[i].Encodings = joinKeys(encs[s.Files[i].Path])
		s.Files[i].Dests = joinKeys(dests[s.Files[i].Path])
	}
	return s
}

func joinKeys(m map[string]bool) string {
	return strings.Join(slices.Sorted(maps.Keys(m)), ", ")
}
