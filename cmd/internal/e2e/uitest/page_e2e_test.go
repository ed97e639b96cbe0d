//go:build !js

package uitest

// End-to-end tests of the page: the real server over a real built site,
// in headless Chromium. They run only when KLCALC_E2E_SITE names a site
// folder built with -base / and KLCALC_BIN the klcalc binary (make
// test-e2e sets both after make site), so that a plain go test ./...
// stays fast and needs no browser.

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/klcalc/klcalc/cmd/internal/e2e"
)

func TestE2ERootSite(t *testing.T) {
	dir := e2e.SiteDir(t)
	srv := e2e.Serve(t, dir, "/")
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
	dir := e2e.BuildSite(t, e2e.SiteDir(t), "/kl/", "", 4)
	log := &requestLog{}
	srv := httptest.NewServer(log.wrap(proxy(e2e.Serve(t, dir, "/kl/"))))
	t.Cleanup(srv.Close)
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
// and never pass it. Each case has an origin of its own (so that the
// service worker of one does not serve the other): the real server's, and
// a proxy's in front of it that drops the header.
func TestE2ELoadingProgress(t *testing.T) {
	dir := e2e.SiteDir(t)
	server := e2e.Serve(t, dir, "/")
	b := e2e.NewBrowser(t)
	for name, start := range map[string]func(t *testing.T) string{
		"with header": func(t *testing.T) string { return server.URL },
		"without header": func(t *testing.T) string {
			srv := httptest.NewServer(withoutHeader(proxy(server), wasmLengthHeader))
			t.Cleanup(srv.Close)
			return srv.URL
		},
	} {
		t.Run(name, func(t *testing.T) {
			origin := start(t)
			p := b.Open(t)
			p.AddScript(t, progressProbe)
			p.Navigate(t, origin+"/")
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
			checkCleanPage(t, p, origin)
		})
	}
}

// TestE2EDetectsProblems checks the checkers: a page that breaks the CSP
// and asks another origin must be reported.
func TestE2EDetectsProblems(t *testing.T) {
	e2e.SiteDir(t)
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
	srv := e2e.Serve(t, dir, "/")
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
