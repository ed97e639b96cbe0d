//go:build !js

// Package e2e drives a headless Chromium (through chromedp) against the
// calculator's built site, for end-to-end tests.
//
// A test starts a browser once with [NewBrowser], opens a tab with
// [Browser.Open], navigates, waits for go-app's wasm with [Page.WaitBooted],
// interacts, and checks [Page.Problems] (console errors, uncaught
// exceptions, Content-Security-Policy violations, Go panics) and
// [Page.ForeignRequests] (anything that left the page's origin).
//
// [SiteDir] gives the built site ($KLCALC_E2E_SITE) and skips the test
// without one; [Serve] runs the real server on it, the klcalc binary
// ($KLCALC_BIN) as "klcalc serve" in its own process; [BuildSite] builds
// variants of it (another base or service-worker version) with that binary.
//
// The browser is found in $CHROME, else chromium, chromium-browser,
// google-chrome in $PATH, else /usr/bin/chromium; [NewBrowser] fails the
// test when there is none, since e2e tests only run when asked for.
package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// ChromePath returns the browser to use: $CHROME, or the first of chromium,
// chromium-browser, google-chrome, google-chrome-stable in $PATH, or
// /usr/bin/chromium if it exists.
func ChromePath() (string, error) {
	if c := os.Getenv("CHROME"); c != "" {
		return c, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium", nil
	}
	return "", fmt.Errorf("no Chromium found: install it (sudo apt-get install chromium) or set CHROME=/path/to/chrome")
}

// Browser is a headless Chromium with a fresh profile.
type Browser struct {
	ctx context.Context // the chromedp context of the browser's first tab
}

// AllocatorOptions are the options [NewBrowser] starts Chromium with:
// headless, with its profile in userDataDir, and kept from talking to
// Google (no background networking, component updates, sync or QUIC), so
// that [Page.ForeignRequests] only sees what the page asked for. A tool
// that must run the browser as the tests do (cmd/klbench) uses them too.
func AllocatorOptions(chrome, userDataDir string) []chromedp.ExecAllocatorOption {
	return []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chrome),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true), // small /dev/shm in containers
		chromedp.UserDataDir(userDataDir),
	}
}

// HeadlessFlags are AllocatorOptions' switches as command-line flags, for
// a tool that starts Chromium itself with a profile of its own
// (Lighthouse's --chrome-flags in cmd/klbench).
func HeadlessFlags() []string {
	return []string{"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic", "--disable-dev-shm-usage"}
}

// NewBrowser starts Chromium for the test with [AllocatorOptions] and a
// fresh profile, and stops it in t.Cleanup. A start that fails is tried
// again, twice, each time with a profile of its own: on a loaded machine
// Chromium has exited at start-up, once in a CI run, before it opened its
// DevTools socket.
func NewBrowser(t testing.TB) *Browser {
	t.Helper()
	chrome, err := ChromePath()
	if err != nil {
		t.Fatal(err)
	}
	const attempts = 3
	for i := 1; ; i++ {
		allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), AllocatorOptions(chrome, t.TempDir())...)
		ctx, cancel := chromedp.NewContext(allocCtx, chromedp.WithLogf(t.Logf))
		start := time.Now()
		err := chromedp.Do(ctx)
		if err == nil {
			t.Cleanup(func() {
				cancel()
				cancelAlloc()
			})
			t.Logf("started %s in %v", chrome, time.Since(start).Round(time.Millisecond))
			return &Browser{ctx: ctx}
		}
		cancel()
		cancelAlloc()
		if i == attempts {
			t.Fatalf("starting %s (%d attempts): %v", chrome, attempts, err)
		}
		t.Logf("starting %s, attempt %d of %d: %v", chrome, i, attempts, err)
		time.Sleep(time.Second)
	}
}

// Request is a request that a page made, as the browser reported it.
type Request struct {
	URL  string
	Type string // resource type: Document, Script, Fetch, ...
}

// Response is a response that a page received.
type Response struct {
	URL      string
	Status   int64
	MimeType string
	Headers  map[string]string // lower-case names
}

// Page is a browser tab with recorders for requests, responses and
// problems. Its methods are safe for concurrent use.
type Page struct {
	Ctx context.Context // chromedp context of the tab, for chromedp.Run/Do

	mu        sync.Mutex
	requests  []Request
	responses []Response
	problems  []string
	console   []string
}

// cspProbe runs in every document before its scripts, and records
// Content-Security-Policy violations, which are checked in Problems.
const cspProbe = `document.addEventListener("securitypolicyviolation", (e) => {
  (window.__e2eCSP = window.__e2eCSP || []).push(e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " at " + e.sourceFile + ":" + e.lineNumber);
});`

// Open opens a new tab. It is closed in t.Cleanup.
func (b *Browser) Open(t testing.TB) *Page {
	t.Helper()
	p := &Page{}
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithListener(p.listen))
	t.Cleanup(cancel)
	p.Ctx = ctx
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspProbe})
		return err
	}))
	if err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	return p
}

// AddScript makes the tab run source in every document it loads from now
// on, before the document's own scripts (e.g. to install observers).
func (p *Page) AddScript(t testing.TB, source string) {
	t.Helper()
	err := chromedp.Do(p.Ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: source})
		return err
	}))
	if err != nil {
		t.Fatalf("adding a script: %v", err)
	}
}

// listen runs on chromedp's event loop: it must be quick and not call back.
func (p *Page) listen(ev any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		p.requests = append(p.requests, Request{URL: ev.Request.URL, Type: string(ev.Type)})
	case *network.EventResponseReceived:
		r := Response{URL: ev.Response.URL, Status: ev.Response.Status, MimeType: ev.Response.MimeType, Headers: map[string]string{}}
		for k, v := range ev.Response.Headers {
			r.Headers[strings.ToLower(k)] = fmt.Sprint(v)
		}
		p.responses = append(p.responses, r)
	case *network.EventLoadingFailed:
		if ev.BlockedReason != "" {
			p.problems = append(p.problems, fmt.Sprintf("request blocked (%s): %s", ev.BlockedReason, ev.ErrorText))
		}
	case *runtime.EventConsoleAPICalled:
		text := consoleText(ev.Args)
		p.console = append(p.console, string(ev.Type)+": "+text)
		switch {
		case ev.Type == runtime.ConsoleAPICalledTypeError, ev.Type == runtime.ConsoleAPICalledTypeAssert:
			p.problems = append(p.problems, "console."+string(ev.Type)+": "+text)
		case isGoCrash(text):
			p.problems = append(p.problems, "go: "+text)
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		text := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			text += " " + d.Exception.Description
		}
		p.problems = append(p.problems, fmt.Sprintf("uncaught exception at %s:%d: %s", d.URL, d.LineNumber, text))
	case *log.EventEntryAdded:
		e := ev.Entry
		p.console = append(p.console, "log "+string(e.Source)+" "+string(e.Level)+": "+e.Text)
		if e.Level == log.EntryLevelError || strings.Contains(e.Text, "Content Security Policy") {
			p.problems = append(p.problems, fmt.Sprintf("browser log (%s, %s): %s %s", e.Source, e.Level, e.Text, e.URL))
		}
	}
}

// isGoCrash reports Go runtime failures, which wasm_exec.js prints with
// console.log.
func isGoCrash(s string) bool {
	return strings.HasPrefix(s, "panic: ") || strings.HasPrefix(s, "fatal error: ") ||
		strings.Contains(s, "Go program has already exited")
}

func consoleText(args []*runtime.RemoteObject) string {
	parts := make([]string, 0, len(args))
	for _, a := range args {
		switch {
		case len(a.Value) > 0:
			var s string
			if json.Unmarshal(a.Value, &s) == nil {
				parts = append(parts, s)
			} else {
				parts = append(parts, string(a.Value))
			}
		case a.Description != "":
			parts = append(parts, a.Description)
		default:
			parts = append(parts, string(a.Type))
		}
	}
	return strings.Join(parts, " ")
}

// Navigate loads url in the tab and waits for its load event.
func (p *Page) Navigate(t testing.TB, url string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(p.Ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("navigating to %s: %v", url, err)
	}
}

// bootState is a JavaScript expression for Poll: go-app's app.js removes
// the #app-wasm-loader element once go.run has started the wasm; on failure
// it keeps the loader, stops the spinning icon and shows the error.
const bootState = `(() => {
  const loader = document.getElementById("app-wasm-loader");
  if (!loader) return "booted";
  const icon = document.getElementById("app-wasm-loader-icon");
  if (icon && !icon.classList.contains("goapp-spin")) {
    const label = document.getElementById("app-wasm-loader-label");
    return "failed: " + (label ? label.innerText : "");
  }
  return false;
})()`

// WaitBooted waits until the go-app wasm has started, and fails the test if
// loading failed or took longer than timeout.
func (p *Page) WaitBooted(t testing.TB, timeout time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(p.Ctx, timeout+5*time.Second)
	defer cancel()
	start := time.Now()
	state, err := chromedp.Run(ctx, chromedp.Poll[string](bootState,
		chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(timeout)))
	if err != nil || state != "booted" {
		t.Fatalf("wasm did not boot (state %q, err %v); problems: %q; console: %q", state, err, p.Problems(), p.Console())
	}
	t.Logf("wasm booted in %v", time.Since(start).Round(time.Millisecond))
}

// Eval evaluates a JavaScript expression (promises are awaited) and decodes
// its value into T.
func Eval[T any](t testing.TB, p *Page, expr string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(p.Ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// Requests returns the requests made so far.
func (p *Page) Requests() []Request {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.requests)
}

// Responses returns the responses received so far.
func (p *Page) Responses() []Response {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.responses)
}

// Console returns everything the page logged so far, for failure messages.
func (p *Page) Console() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.console)
}

// ForeignRequests returns the requests whose origin is not origin (such as
// "http://127.0.0.1:1234"). data: and blob: URLs are local and allowed.
func (p *Page) ForeignRequests(origin string) []string {
	var out []string
	for _, r := range p.Requests() {
		u, err := url.Parse(r.URL)
		if err != nil {
			out = append(out, r.URL)
			continue
		}
		if u.Scheme == "data" || u.Scheme == "blob" {
			continue
		}
		if u.Scheme+"://"+u.Host != origin {
			out = append(out, r.URL)
		}
	}
	return out
}

// Problems returns the console errors, uncaught exceptions, Go crashes,
// blocked requests and CSP violations seen so far. It asks the page for the
// violations its probe recorded, so call it while the tab is open.
func (p *Page) Problems() []string {
	ctx, cancel := context.WithTimeout(p.Ctx, 10*time.Second)
	defer cancel()
	csp, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.__e2eCSP || []`))
	p.mu.Lock()
	defer p.mu.Unlock()
	out := slices.Clone(p.problems)
	if err != nil {
		out = append(out, "reading CSP violations: "+err.Error())
	}
	for _, v := range csp {
		out = append(out, "CSP violation: "+v)
	}
	return out
}
