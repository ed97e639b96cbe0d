//go:build !js

package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"sort"
	"strings"
	"sync"
	"time"
)

// siteServer is a "klcalc serve" process serving one site folder.
type siteServer struct {
	URL         string // "http://127.0.0.1:port/"
	klcalc, dir string
	cmd         *exec.Cmd
	stderr      bytes.Buffer
	done        chan struct{}
}

// startServe runs "klcalc serve -addr 127.0.0.1:0 -dir dir" and reads the
// URL it prints.
func startServe(klcalc, dir string) (*siteServer, error) {
	s := &siteServer{klcalc: klcalc, dir: dir, done: make(chan struct{})}
	s.cmd = exec.Command(klcalc, "serve", "-addr", "127.0.0.1:0", "-dir", dir)
	s.cmd.Stderr = &s.stderr
	out, err := s.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	go func() { s.cmd.Wait(); close(s.done) }()
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "serving "); ok {
				urls <- strings.TrimSpace(u)
			}
		}
	}()
	select {
	case s.URL = <-urls:
		return s, nil
	case <-s.done:
		return nil, fmt.Errorf("%s serve -dir %s exited: %s", klcalc, dir, strings.TrimSpace(s.stderr.String()))
	case <-time.After(30 * time.Second):
		s.stop()
		return nil, fmt.Errorf("%s serve -dir %s printed no URL in 30 s", klcalc, dir)
	}
}

// exited reports whether the server has ended, and how.
func (s *siteServer) exited() (bool, string) {
	select {
	case <-s.done:
	default:
		return false, ""
	}
	why := fmt.Sprintf("klcalc serve -dir %s (%s) ended: %v", s.dir, s.URL, s.cmd.ProcessState)
	if e := strings.TrimSpace(s.stderr.String()); e != "" {
		why += ": " + short(e, 300)
	}
	return true, why
}

// stop ends the server gracefully (SIGINT), or kills it after 10 s.
func (s *siteServer) stop() {
	if s == nil || s.cmd.Process == nil {
		return
	}
	s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
	}
}

// fetch is one response the counting proxy passed to the browser.
type fetch struct {
	Path     string
	Status   int
	Encoding string // Content-Encoding: br, gzip or "" (identity)
	Dest     string // Sec-Fetch-Dest: document, script, empty (fetch, including the service worker's) ...
	Bytes    int64  // body bytes sent, as encoded
}

// countingProxy is a reverse proxy in front of a siteServer that counts
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

// newCountingProxy proxies to the URL that target returns, asked for each
// request (a restarted server has a new port).
func newCountingProxy(target func() string) (*countingProxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &countingProxy{URL: "http://" + ln.Addr().String() + "/"}
	rp := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			if u, err := url.Parse(target()); err == nil {
				pr.SetURL(u)
			}
		},
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
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, ", ")
}
