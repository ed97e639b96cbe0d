//go:build !js

package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/andybalholm/brotli"
)

// contentSecurityPolicy allows only the site itself. Go's wasm needs
// 'wasm-unsafe-eval' (WebAssembly.instantiateStreaming); nothing needs
// 'unsafe-eval' or 'unsafe-inline': go-app has no inline scripts, and its
// loader is styled by classes in app.css. The UI must style with classes
// too: go-app's Style() sets a style attribute, which this policy blocks.
const contentSecurityPolicy = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; " +
	"img-src 'self' data:; connect-src 'self'; worker-src 'self'; manifest-src 'self'; " +
	"object-src 'none'; base-uri 'self'; form-action 'none'; frame-ancestors 'none'"

// securityHeaders are sent with every response.
var securityHeaders = map[string]string{
	"Content-Security-Policy":    contentSecurityPolicy,
	"X-Content-Type-Options":     "nosniff",
	"X-Frame-Options":            "DENY",
	"Referrer-Policy":            "no-referrer",
	"Cross-Origin-Opener-Policy": "same-origin",
}

const (
	cacheImmutable  = "public, max-age=31536000, immutable"
	cacheRevalidate = "no-cache"
	maxURILength    = 2048
)

// contentTypes is the fixed table of the types the site uses, so that the
// answer does not depend on the host's mime.types.
var contentTypes = map[string]string{
	".html":        "text/html; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".wasm":        "application/wasm",
	".webmanifest": "application/manifest+json",
	".json":        "application/json",
	".svg":         "image/svg+xml",
	".png":         "image/png",
	".ico":         "image/x-icon",
	".txt":         "text/plain; charset=utf-8",
	".xml":         "application/xml",
	".woff2":       "font/woff2",
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("klcalc serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8000", "`host:port` to listen on (port 0 picks a free port)")
	dir := fs.String("dir", "build/site", "site `folder` made by klcalc site")
	base := fs.String("base", "/", "URL `path` to serve the site under; must match the -base of klcalc site")
	maxConns := fs.Int("max-conns", 1024, "`connections` served at once; when full, the longest idle keep-alive connection is closed")
	grace := fs.Duration("shutdown-timeout", 30*time.Second, "on SIGINT or SIGTERM, how long transfers in flight may take to finish")
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	h, err := newSiteHandler(*dir, *base)
	if err != nil {
		return err
	}
	if *maxConns < 1 {
		return fmt.Errorf("-max-conns %d: at least 1", *maxConns)
	}
	tcp, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	ln := newLimitListener(tcp, *maxConns)
	b, _ := normalizeBase(*base) // validated by newSiteHandler
	fmt.Fprintf(stdout, "serving %s\n", listenURL(ln.Addr(), b))

	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      5 * time.Minute, // a 7 MB wasm on a slow link
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ConnState:         ln.connState,
		// OPTIONS * reaches the handler, which adds the security headers.
		DisableGeneralOptionsHandler: true,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	fmt.Fprintf(stderr, "shutting down: transfers in flight have %v to finish\n", *grace)
	sctx, cancel := context.WithTimeout(context.Background(), *grace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		// The bound passed: what is still running is cut. Stopping on a
		// signal is the expected end, so it is not a failure.
		srv.Close()
		fmt.Fprintf(stderr, "shutdown: transfers still running after %v were closed\n", *grace)
		return nil
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// listenURL is the URL to open for a listener: an unspecified host (":8000",
// "0.0.0.0:8000") is shown as 127.0.0.1.
func listenURL(a net.Addr, base string) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return "http://" + a.String() + base
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + base
}

// siteHandler serves the files of one generated site from memory.
type siteHandler struct {
	base     string
	files    map[string]*siteEntry // by slash path relative to the site, "index.html"
	notFound []byte                // 404.html, or nil
}

// siteEntry is one file and its precompressed representations.
type siteEntry struct {
	contentType string
	cache       string
	wasmLength  string // for .wasm: the uncompressed size, for go-app's progress
	identity    *representation
	br, gz      *representation
}

type representation struct {
	data     []byte
	etag     string
	encoding string // "", "br" or "gzip"
}

func newRepresentation(data []byte, encoding string) *representation {
	sum := sha256.Sum256(data)
	return &representation{data: data, etag: `"` + hex.EncodeToString(sum[:16]) + `"`, encoding: encoding}
}

// hashedName matches a content-hashed file name such as app.0123456789ab.wasm.
var hashedName = regexp.MustCompile(`^[^.]+\.([0-9a-f]{12})\.[a-z0-9]+$`)

// newSiteHandler loads the site folder dir into memory and returns a handler
// that serves it under base (normalized like klcalc site's -base).
//
// The folder is walked once: only regular files are indexed, dotfiles and
// dot-folders are skipped, symlinks are not followed, and name.br / name.gz
// become the brotli and gzip representations of name (they must decode to
// it, or loading fails: a stale sibling would serve old content). Nothing
// else is ever served: there is no directory listing and no file system
// access after start-up.
func newSiteHandler(dir, base string) (http.Handler, error) {
	b, err := normalizeBase(base)
	if err != nil {
		return nil, err
	}
	// A -dir that is a symlink (a "current" release link) is followed once,
	// here; links inside the site are still never followed.
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real
	}
	raw, err := readTree(dir, func(string, fs.DirEntry) bool { return false })
	if err != nil {
		return nil, fmt.Errorf("loading site: %w", err)
	}
	if _, ok := raw["index.html"]; !ok {
		return nil, fmt.Errorf("loading site: %s has no index.html; build it with klcalc site", dir)
	}

	h := &siteHandler{base: b, files: make(map[string]*siteEntry), notFound: raw["404.html"]}
	for rel, data := range raw {
		ext := path.Ext(rel)
		if ext == ".br" || ext == ".gz" {
			continue
		}
		e := &siteEntry{
			contentType: contentTypes[ext],
			cache:       cacheRevalidate,
			identity:    newRepresentation(data, ""),
		}
		if e.contentType == "" {
			e.contentType = "application/octet-stream"
		}
		if m := hashedName.FindStringSubmatch(path.Base(rel)); m != nil {
			// Long caching only when the name really is the content hash.
			if sum := sha256.Sum256(data); hex.EncodeToString(sum[:])[:12] == m[1] {
				e.cache = cacheImmutable
			}
		}
		if ext == ".wasm" {
			e.wasmLength = strconv.Itoa(len(data))
		}
		if c, ok := raw[rel+".br"]; ok {
			if err := sameContent(data, c, "br"); err != nil {
				return nil, fmt.Errorf("loading site: %s.br: %w", rel, err)
			}
			e.br = newRepresentation(c, "br")
		}
		if c, ok := raw[rel+".gz"]; ok {
			if err := sameContent(data, c, "gzip"); err != nil {
				return nil, fmt.Errorf("loading site: %s.gz: %w", rel, err)
			}
			e.gz = newRepresentation(c, "gzip")
		}
		h.files[rel] = e
	}
	return h, nil
}

// sameContent checks that compressed decodes to data.
func sameContent(data, compressed []byte, encoding string) error {
	var r io.Reader
	switch encoding {
	case "br":
		r = brotli.NewReader(bytes.NewReader(compressed))
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(compressed))
		if err != nil {
			return err
		}
		r = zr
	}
	got, err := io.ReadAll(io.LimitReader(r, int64(len(data))+1))
	if err != nil {
		return err
	}
	if !bytes.Equal(got, data) {
		return errors.New("does not decode to the file next to it (stale); rebuild the site")
	}
	return nil
}

// allowed is every method the site answers: it is read-only.
const allowed = "GET, HEAD, OPTIONS"

// allowOptions answers OPTIONS: 204, what is allowed, no body.
func allowOptions(w http.ResponseWriter) {
	w.Header().Set("Allow", allowed)
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(http.StatusNoContent)
}

func (h *siteHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	for k, v := range securityHeaders {
		hdr.Set(k, v)
	}
	options := r.Method == http.MethodOptions
	if options && r.RequestURI == "*" {
		// OPTIONS * asks about the server (RFC 9110 §9.3.7).
		allowOptions(w)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead && !options {
		hdr.Set("Allow", allowed)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if !validRequestPath(r) {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}

	p := r.URL.Path
	if h.base != "/" {
		switch p {
		case prefix(h.base):
			redirect(w, r, h.base, http.StatusMovedPermanently)
			return
		case "/":
			redirect(w, r, h.base, http.StatusFound)
			return
		}
	}
	rel, ok := siteFile(h.base, p)
	if !ok || strings.HasSuffix(rel, "/") {
		h.serveNotFound(w, r)
		return
	}
	e, ok := h.files[rel]
	if !ok && path.Ext(rel) == "" {
		// A go-app route such as /about is exported as about.html.
		e, ok = h.files[rel+".html"]
	}
	if !ok {
		h.serveNotFound(w, r)
		return
	}

	if options {
		allowOptions(w)
		return
	}
	rep := e.identity
	switch negotiateEncoding(r.Header.Values("Accept-Encoding"), e.br != nil, e.gz != nil) {
	case "br":
		rep = e.br
	case "gzip":
		rep = e.gz
	}
	hdr.Set("Content-Type", e.contentType)
	hdr.Set("Cache-Control", e.cache)
	hdr.Set("ETag", rep.etag)
	hdr.Set("Vary", "Accept-Encoding")
	if rep.encoding != "" {
		hdr.Set("Content-Encoding", rep.encoding)
		// ServeContent leaves Content-Length out when Content-Encoding
		// is set (for handlers that compress on the fly); these bytes
		// are final, so set it. A Range request overwrites it.
		hdr.Set("Content-Length", strconv.Itoa(len(rep.data)))
	}
	if e.wasmLength != "" {
		hdr.Set(wasmLengthHeader, e.wasmLength)
	}
	// ServeContent answers If-None-Match (304), If-Range and Range (206,
	// also on a compressed representation: the ranges are then byte ranges
	// of the br/gzip bytes, as RFC 9110 defines them for the selected
	// representation), HEAD, and sets Content-Length. The zero time leaves
	// out Last-Modified: the ETag is the validator.
	fixRange(r, len(rep.data))
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(rep.data))
}

func (h *siteHandler) serveNotFound(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	hdr.Set("Cache-Control", cacheRevalidate)
	if h.notFound == nil {
		http.Error(w, "404 page not found", http.StatusNotFound)
		return
	}
	hdr.Set("Content-Type", contentTypes[".html"])
	hdr.Set("Content-Length", strconv.Itoa(len(h.notFound)))
	w.WriteHeader(http.StatusNotFound)
	if r.Method != http.MethodHead {
		w.Write(h.notFound)
	}
}

// redirect sends a redirect to a local path; the target is built from
// constant parts and the query string only.
func redirect(w http.ResponseWriter, r *http.Request, to string, code int) {
	if q := r.URL.RawQuery; q != "" {
		to += "?" + q
	}
	w.Header().Set("Location", to)
	w.Header().Set("Cache-Control", cacheRevalidate)
	w.WriteHeader(code)
}

// validRequestPath rejects request targets that no link of the site
// produces: too long, not starting with "/", NUL or backslash, encoded
// slashes or NULs, empty segments ("//"), and "." or ".." segments (also
// when sent percent-encoded: the check runs on the decoded path). The
// handler only looks paths up in its in-memory index, so these checks are
// a second line of defence, and they give a clear 400.
func validRequestPath(r *http.Request) bool {
	if len(r.RequestURI) > maxURILength || len(r.URL.Path) > maxURILength {
		return false
	}
	p := r.URL.Path
	if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\x00\\") {
		return false
	}
	if esc := strings.ToLower(r.URL.EscapedPath()); strings.Contains(esc, "%2f") || strings.Contains(esc, "%00") || strings.Contains(esc, "%5c") {
		return false
	}
	segs := strings.Split(p[1:], "/")
	for i, s := range segs {
		switch {
		case s == "." || s == "..":
			return false
		case s == "" && i != len(segs)-1: // "//" (a trailing "/" is fine)
			return false
		}
	}
	return true
}

// negotiateEncoding picks the representation for the Accept-Encoding
// header values: br if acceptable (q > 0), else gzip, else identity. When
// both are acceptable the higher q wins, and br wins a tie. "*" gives its q
// to codings not listed; "x-gzip" counts as gzip. A malformed q makes its
// coding unacceptable. Identity is always available, even if the client
// rules it out (RFC 9110 §12.5.3 allows sending it anyway).
func negotiateEncoding(values []string, haveBr, haveGz bool) string {
	q := make(map[string]float64)
	star := -1.0
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			name, params, _ := strings.Cut(part, ";")
			name = strings.ToLower(strings.TrimSpace(name))
			if name == "" {
				continue
			}
			qv := 1.0
			for _, p := range strings.Split(params, ";") {
				k, val, _ := strings.Cut(p, "=")
				if strings.TrimSpace(strings.ToLower(k)) != "q" {
					continue
				}
				f, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
				if err != nil || f < 0 || f > 1 {
					f = 0
				}
				qv = f
			}
			if name == "x-gzip" {
				name = "gzip"
			}
			if name == "*" {
				star = qv
				continue
			}
			if _, dup := q[name]; !dup {
				q[name] = qv
			}
		}
	}
	get := func(name string) float64 {
		if v, ok := q[name]; ok {
			return v
		}
		return max(star, 0)
	}
	best, bestQ := "", 0.0
	if haveBr && get("br") > 0 {
		best, bestQ = "br", get("br")
	}
	if haveGz && get("gzip") > bestQ {
		best = "gzip"
	}
	return best
}
