//go:build !js

package main

// End-to-end tests: the real server over a real built site, in headless
// Chromium. They run only when KLCALC_E2E_SITE names a site folder built
// with -base / (make test sets it after make site), so that a plain
// go test ./... stays fast and needs no browser.

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/andybalholm/brotli"

	"github.com/klcalc/klcalc/cmd/internal/e2e"
)

// bootTimeout bounds the wasm download, compile and start (a few seconds on
// a laptop; CI machines with two busy cores are slower).
const bootTimeout = 90 * time.Second

// e2eSite returns the folder of the built site, or skips the test.
func e2eSite(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("KLCALC_E2E_SITE")
	if dir == "" {
		t.Skip("KLCALC_E2E_SITE is not set (make test sets it after building the site)")
	}
	if _, err := os.Stat(filepath.Join(dir, "index.html")); err != nil {
		t.Fatalf("KLCALC_E2E_SITE=%s: %v", dir, err)
	}
	return dir
}

// requestLog records the paths that reach the server, including the
// service worker's precache fetches, which the page's network events do not
// show.
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

// startSite serves dir under base with the real handler on 127.0.0.1:0.
func startSite(t testing.TB, dir, base string) (*httptest.Server, *requestLog) {
	t.Helper()
	h, err := newSiteHandler(dir, base)
	if err != nil {
		t.Fatal(err)
	}
	log := &requestLog{}
	srv := httptest.NewServer(log.wrap(h))
	t.Cleanup(srv.Close)
	return srv, log
}

// buildSiteFrom builds another site with the same wasm, wasm_exec.js and web
// assets as the built site dir, for another base. Brotli runs at a low
// quality: these tests are about paths, not sizes.
func buildSiteFrom(t *testing.T, dir, base string) string {
	t.Helper()
	wasm, err := filepath.Glob(filepath.Join(dir, "web", "app.*.wasm"))
	if err != nil || len(wasm) != 1 {
		t.Fatalf("hashed wasm in %s/web: %v %v", dir, wasm, err)
	}
	out := filepath.Join(t.TempDir(), "site")
	_, err = buildSite(context.Background(), siteOptions{
		Wasm:          wasm[0],
		Web:           filepath.Join(dir, "web"),
		Out:           out,
		Base:          base,
		WasmExec:      filepath.Join(dir, "wasm_exec.js"),
		BrotliQuality: 4,
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
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

func TestE2ERootSite(t *testing.T) {
	dir := e2eSite(t)
	srv, _ := startSite(t, dir, "/")
	b := e2e.NewBrowser(t)
	p := b.Open(t)
	p.Navigate(t, srv.URL+"/")
	p.WaitBooted(t, bootTimeout)

	if h1 := e2e.Eval[string](t, p, `document.querySelector("h1")?.textContent ?? ""`); strings.TrimSpace(h1) == "" {
		t.Error("no h1 after boot")
	}
	if lang := e2e.Eval[string](t, p, `document.documentElement.lang`); lang != "en" {
		t.Errorf("html lang = %q, want en", lang)
	}
	if vp := e2e.Eval[string](t, p, `document.querySelector('meta[name="viewport"]').content`); strings.Contains(vp, "user-scalable") {
		t.Errorf("viewport %q blocks zoom", vp)
	}
	caches := waitServiceWorker(t, p)
	if !slices.ContainsFunc(caches, func(c string) bool { return strings.HasPrefix(c, "app-") }) {
		t.Errorf("no go-app cache after the service worker started: %q", caches)
	}

	// The wasm arrived compressed, with its uncompressed size for go-app's
	// progress, and nothing came from elsewhere.
	var wasm *e2e.Response
	for _, r := range p.Responses() {
		if strings.HasSuffix(r.URL, ".wasm") {
			wasm = &r
			break
		}
	}
	if wasm == nil {
		t.Fatal("no wasm response seen")
	}
	t.Logf("browser got the wasm as %s, content-encoding %q", wasm.MimeType, wasm.Headers["content-encoding"])
	if wasm.MimeType != "application/wasm" {
		t.Errorf("wasm MIME type %q", wasm.MimeType)
	}
	if enc := wasm.Headers["content-encoding"]; enc != "br" && enc != "gzip" {
		t.Errorf("wasm content-encoding %q, want br or gzip", enc)
	}
	if wasm.Headers[strings.ToLower(wasmLengthHeader)] == "" {
		t.Errorf("no %s header on the wasm", wasmLengthHeader)
	}
	checkCleanPage(t, p, srv.URL)
}

func TestE2ESubpathSite(t *testing.T) {
	dir := buildSiteFrom(t, e2eSite(t), "/kl/")
	srv, log := startSite(t, dir, "/kl/")
	b := e2e.NewBrowser(t)
	p := b.Open(t)
	p.Navigate(t, srv.URL+"/kl/")
	p.WaitBooted(t, bootTimeout)

	if h1 := e2e.Eval[string](t, p, `document.querySelector("h1")?.textContent ?? ""`); strings.TrimSpace(h1) == "" {
		t.Error("no h1 after boot")
	}
	if loc := e2e.Eval[string](t, p, `location.pathname`); loc != "/kl/" {
		t.Errorf("location.pathname = %q after boot, want /kl/", loc)
	}
	waitServiceWorker(t, p)
	checkCleanPage(t, p, srv.URL)

	for _, r := range p.Requests() {
		u, err := url.Parse(r.URL)
		if err == nil && (u.Scheme == "data" || u.Scheme == "blob") {
			continue
		}
		if err != nil || !strings.HasPrefix(u.Path, "/kl/") {
			t.Errorf("page requested %s (%s), outside /kl/", r.URL, r.Type)
		}
	}
	for _, path := range log.Paths() {
		if !strings.HasPrefix(path, "/kl/") {
			t.Errorf("server got a request for %s, outside /kl/", path)
		}
	}
}

// rawTransport neither asks for gzip nor decodes it, so tests see the bytes
// and headers as sent.
var rawTransport = &http.Transport{DisableCompression: true}

func TestE2EWasmEncoding(t *testing.T) {
	dir := e2eSite(t)
	srv, _ := startSite(t, dir, "/")
	appJS, err := os.ReadFile(filepath.Join(dir, "app.js"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`"(/web/app\.[0-9a-f]{12}\.wasm)"`).FindSubmatch(appJS)
	if m == nil {
		t.Fatal("app.js does not load a hashed wasm")
	}
	wasmURL := srv.URL + string(m[1])
	raw, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(string(m[1]))))
	if err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct{ accept, encoding string }{
		{"gzip, deflate, br, zstd", "br"},
		{"gzip", "gzip"},
		{"", ""},
	} {
		req, _ := http.NewRequest(http.MethodGet, wasmURL, nil)
		req.Header.Set("Accept-Encoding", tc.accept)
		res, err := rawTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if got := res.Header.Get("Content-Encoding"); got != tc.encoding {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q, want %q", tc.accept, got, tc.encoding)
		}
		if ct := res.Header.Get("Content-Type"); ct != "application/wasm" {
			t.Errorf("Content-Type %q", ct)
		}
		if n := res.Header.Get(wasmLengthHeader); n != strconv.Itoa(len(raw)) {
			t.Errorf("%s = %q, want %d", wasmLengthHeader, n, len(raw))
		}
		if cl := res.Header.Get("Content-Length"); cl != strconv.Itoa(len(body)) {
			t.Errorf("Content-Length %q for %d bytes", cl, len(body))
		}
		if cc := res.Header.Get("Cache-Control"); cc != cacheImmutable {
			t.Errorf("Cache-Control %q", cc)
		}
		if tc.encoding == "br" {
			dec, err := io.ReadAll(brotli.NewReader(bytes.NewReader(body)))
			if err != nil || !bytes.Equal(dec, raw) {
				t.Errorf("br body does not decode to the wasm (err %v)", err)
			}
			t.Logf("wasm %d bytes, br %d bytes", len(raw), len(body))
		}
	}
}

// withoutHeader hides a response header, like a static host that does not
// send it.
func withoutHeader(h http.Handler, name string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(headerDropper{w, name}, r)
	})
}

type headerDropper struct {
	http.ResponseWriter
	name string
}

func (d headerDropper) WriteHeader(code int) {
	d.Header().Del(d.name)
	d.ResponseWriter.WriteHeader(code)
}

func (d headerDropper) Write(b []byte) (int, error) {
	d.Header().Del(d.name)
	return d.ResponseWriter.Write(b)
}

// progressProbe records every text of go-app's loading label.
const progressProbe = `window.__labels = [];
new MutationObserver(() => {
  const l = document.getElementById("app-wasm-loader-label");
  if (l && window.__labels[window.__labels.length - 1] !== l.textContent) window.__labels.push(l.textContent);
}).observe(document, {childList: true, subtree: true, characterData: true});`

// TestE2ELoadingProgress checks go-app's loading percentage with and without
// X-Wasm-Content-Length, while the wasm comes brotli-compressed (so
// Content-Length is about a fifth of the real size): it must end at 100 %
// and never pass it.
func TestE2ELoadingProgress(t *testing.T) {
	dir := e2eSite(t)
	h, err := newSiteHandler(dir, "/")
	if err != nil {
		t.Fatal(err)
	}
	b := e2e.NewBrowser(t)
	for name, handler := range map[string]http.Handler{
		"with header":    h,
		"without header": withoutHeader(h, wasmLengthHeader),
	} {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(handler)
			defer srv.Close()
			p := b.Open(t)
			p.AddScript(t, progressProbe)
			p.Navigate(t, srv.URL+"/")
			p.WaitBooted(t, bootTimeout)
			labels := e2e.Eval[[]string](t, p, `window.__labels`)
			t.Logf("labels: %q", labels)
			re := regexp.MustCompile(`(\d+)%$`)
			last := -1
			for _, l := range labels {
				m := re.FindStringSubmatch(l)
				if m == nil {
					t.Errorf("label %q has no percentage", l)
					continue
				}
				n, _ := strconv.Atoi(m[1])
				if n > 100 {
					t.Errorf("progress %d%% > 100%%", n)
				}
				last = n
			}
			if last != 100 {
				t.Errorf("progress ended at %d%%, want 100%%", last)
			}
			checkCleanPage(t, p, srv.URL)
		})
	}
}

// TestE2EDetectsProblems checks the checkers: a page that breaks the CSP
// and asks another origin must be reported.
func TestE2EDetectsProblems(t *testing.T) {
	e2eSite(t)
	dir := t.TempDir()
	page := `<!DOCTYPE html><html lang="en"><head><title>bad</title></head><body>
<p style="color: red">inline style</p>
<script>document.title = "inline script ran";</script>
<img src="http://example.invalid/x.png">
<script>console.error("boom")</script>
</body></html>`
	if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	srv, _ := startSite(t, dir, "/")
	b := e2e.NewBrowser(t)
	p := b.Open(t)
	p.Navigate(t, srv.URL+"/")
	probs := strings.Join(p.Problems(), "\n")
	for _, want := range []string{"script-src", "style-src", "img-src"} {
		if !strings.Contains(probs, want) {
			t.Errorf("the %s violation was not reported; got:\n%s", want, probs)
		}
	}
	if strings.Contains(probs, "boom") {
		t.Errorf("an inline script ran despite the CSP")
	}
	t.Logf("reported:\n%s\nforeign requests: %q", probs, p.ForeignRequests(srv.URL))
}

// TestExportedSite checks the built site's files (the exporter's rules, on
// the real build).
func TestExportedSite(t *testing.T) {
	dir := e2eSite(t)
	files, err := listFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	external := regexp.MustCompile(`(?i)https?://[^\s"'<>)]*|raw\.githubusercontent`)
	for _, rel := range files {
		if !isText(rel) {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, rel))
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range external.FindAll(data, -1) {
			switch {
			case strings.HasSuffix(rel, ".svg") && string(u) == "http://www.w3.org/2000/svg": // XML namespace name
			case rel == "wasm_exec.js" && string(u) == "https://github.com/golang/go/issues/28975": // comment in Go's file
			default:
				t.Errorf("%s: external URL %s", rel, u)
			}
		}
		if bytes.Contains(data, []byte("127.0.0.1")) {
			t.Errorf("%s mentions 127.0.0.1 (the export's test server)", rel)
		}
	}

	index, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(index, []byte("og:url")) {
		t.Error("index.html still has og:url")
	}
	if bytes.Contains(index, []byte("user-scalable")) || bytes.Contains(index, []byte("maximum-scale")) {
		t.Error("index.html viewport blocks zoom")
	}
	if !bytes.Contains(index, []byte(`<meta content="width=device-width, initial-scale=1" name="viewport">`)) {
		t.Error("index.html has no zoomable viewport")
	}

	worker, err := os.ReadFile(filepath.Join(dir, "app-worker.js"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`const resourcesToCache = (\[.*\]);`).FindSubmatch(worker)
	if m == nil {
		t.Fatal("no resourcesToCache in app-worker.js")
	}
	var list []string
	if err := json.Unmarshal(m[1], &list); err != nil {
		t.Fatal(err)
	}
	if len(list) < 8 {
		t.Errorf("precache list looks too short: %q", list)
	}
	for _, u := range list {
		rel := strings.TrimPrefix(u, "/")
		if rel == "" {
			rel = "index.html"
		}
		if _, err := os.Stat(filepath.Join(dir, rel)); err != nil {
			t.Errorf("precached %s does not exist: %v", u, err)
		}
	}
	if !bytes.Contains(worker, []byte(`const cacheName = "app-" + "`)) || bytes.Contains(worker, []byte(versionPlaceholder)) {
		t.Error("app-worker.js has no real version")
	}
}
