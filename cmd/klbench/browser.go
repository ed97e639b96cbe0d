//go:build !js

package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/css"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// chromeBrowser is a headless Chromium with a fresh profile (a new temporary
// user-data folder), so nothing is cached and no service worker is
// registered: every page load is a first visit.
type chromeBrowser struct {
	ctx     context.Context // chromedp context of the first tab
	cancel  func()
	dataDir string

	mu          sync.Mutex
	encoded     map[network.RequestID]float64 // CDP encodedDataLength per finished request of the tab
	encodedURLs map[network.RequestID]string
}

// newChrome starts Chromium with the flags of cmd/internal/e2e (no
// background networking, component updates, sync or QUIC, no first-run
// UI). script is evaluated in every document before the page's own scripts.
func newChrome(parent context.Context, chrome, script string) (*chromeBrowser, error) {
	dir, err := os.MkdirTemp("", "klbench-profile-*")
	if err != nil {
		return nil, err
	}
	opts := []chromedp.ExecAllocatorOption{
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
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(dir),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(parent, opts...)
	b := &chromeBrowser{dataDir: dir, encoded: map[network.RequestID]float64{}, encodedURLs: map[network.RequestID]string{}}
	ctx, cancel := chromedp.NewContext(allocCtx, chromedp.WithListener(b.listen),
		chromedp.WithErrorf(func(string, ...any) {}), chromedp.WithLogf(func(string, ...any) {}))
	b.ctx = ctx
	b.cancel = func() {
		cancel()
		cancelAlloc()
		os.RemoveAll(dir)
	}
	// The first action starts the browser, which lives as long as the
	// context of that action: so it gets ctx itself, and a timer ends a
	// start that hangs.
	hung := time.AfterFunc(60*time.Second, cancel)
	defer hung.Stop()
	err = chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if os.Getenv("KLBENCH_DEVTOOLS_DOM") == "" {
			// chromedp enables DevTools' CSS and DOM agents, which track
			// every DOM change; a user's browser does not run them.
			if _, err := cdp.Call(ctx, tg, css.Disable, cdp.Empty{}); err != nil {
				return err
			}
			if _, err := cdp.Call(ctx, tg, dom.Disable, cdp.Empty{}); err != nil {
				return err
			}
		}
		if script == "" {
			return nil
		}
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: script})
		return err
	}))
	if err != nil {
		b.cancel()
		return nil, fmt.Errorf("starting %s: %w", chrome, err)
	}
	return b, nil
}

func (b *chromeBrowser) close() { b.cancel() }

// listen records the encoded (on-the-wire) length of every request of the
// tab; it runs on chromedp's event loop, so it only takes a lock.
func (b *chromeBrowser) listen(ev any) {
	switch ev := ev.(type) {
	case *network.EventResponseReceived:
		b.mu.Lock()
		b.encodedURLs[ev.RequestID] = ev.Response.URL
		b.mu.Unlock()
	case *network.EventLoadingFinished:
		b.mu.Lock()
		b.encoded[ev.RequestID] = ev.EncodedDataLength
		b.mu.Unlock()
	}
}

// encodedTotal returns the sum of CDP's encodedDataLength (bytes received,
// headers included) of the tab's finished requests, and their number.
func (b *chromeBrowser) encodedTotal() (float64, int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	var s float64
	for _, v := range b.encoded {
		s += v
	}
	return s, len(b.encoded)
}

// version returns the browser's product string, e.g. "HeadlessChrome/131.0.6778.85".
func (b *chromeBrowser) version() (string, error) {
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.CallBrowser(ctx, browser.GetVersion, cdp.Empty{})
	if err != nil {
		return "", err
	}
	return v.Product, nil
}

// navigate starts loading url without waiting for any event: the page
// measures itself (see instrumentScript).
func (b *chromeBrowser) navigate(url string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(b.ctx, timeout)
	defer cancel()
	return chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		res, err := cdp.Call(ctx, tg, page.Navigate, page.NavigateParams{URL: url})
		if err == nil && res.ErrorText != "" {
			err = errors.New(res.ErrorText)
		}
		return err
	}))
}

// eval evaluates a JavaScript expression (awaiting a promise) within timeout.
func evalJS[T any](b *chromeBrowser, expr string, timeout time.Duration) (T, error) {
	ctx, cancel := context.WithTimeout(b.ctx, timeout)
	defer cancel()
	return chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
}

// instrumentScript runs in every document before its scripts. It records,
// in window.__klb, with performance.now() (milliseconds since the start of
// the navigation):
//
//   - ready: when the page first shows what it is for: #result with a
//     data-value (the calculator), or #klbench-hello (the hello world);
//   - booted: when go-app removed its #app-wasm-loader (the wasm runs);
//   - longTasks: the PerformanceObserver "longtask" entries (main-thread
//     tasks over 50 ms), as [start, duration];
//   - maxGap, gapAt: the longest time between two requestAnimationFrame
//     callbacks, and when it began.
//
// stats adds the Resource Timing responseEnd of the .wasm (when its
// download ended).
//
// window.__klbEdit(id, value, timeoutMs) sets the value of an input,
// dispatches an "input" event, and resolves with the time until #result's
// data-value changed, seen by a MutationObserver (or {timeout: true}).
const instrumentScript = `(() => {
  if (window.__klb) return;
  const k = window.__klb = {ready: -1, booted: -1, sawLoader: false, longTasks: [], maxGap: 0, gapAt: 0, longTaskError: ""};
  const readySel = "#result[data-value], #klbench-hello";
  let mo = null;
  const check = () => {
    if (document.getElementById("app-wasm-loader")) k.sawLoader = true;
    else if (k.sawLoader && k.booted < 0) k.booted = performance.now();
    if (k.ready < 0 && document.querySelector(readySel)) k.ready = performance.now();
    if (k.ready >= 0 && mo) { mo.disconnect(); mo = null; }
  };
  mo = new MutationObserver(check);
  mo.observe(document, {subtree: true, childList: true, attributes: true, attributeFilter: ["data-value", "id"]});
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) k.longTasks.push([e.startTime, e.duration]);
    }).observe({type: "longtask", buffered: true});
  } catch (e) { k.longTaskError = String(e); }
  let last = -1;
  const frame = () => {
    const now = performance.now();
    if (last >= 0 && now - last > k.maxGap) { k.maxGap = now - last; k.gapAt = last; }
    last = now;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  window.__klbEdit = (id, value, timeoutMs) => new Promise((resolve) => {
    const el = document.getElementById(id);
    if (!el) { resolve({error: "no element #" + id}); return; }
    const current = () => { const r = document.getElementById("result"); return r ? r.getAttribute("data-value") : null; };
    const before = current();
    let timer = 0;
    const t0 = performance.now();
    const obs = new MutationObserver(() => {
      const v = current();
      if (v !== null && v !== before) { obs.disconnect(); clearTimeout(timer); resolve({ms: performance.now() - t0, value: v}); }
    });
    obs.observe(document.body, {subtree: true, childList: true, attributes: true, attributeFilter: ["data-value"]});
    timer = setTimeout(() => { obs.disconnect(); resolve({timeout: true, ms: performance.now() - t0}); }, timeoutMs);
    el.value = value;
    el.dispatchEvent(new Event("input", {bubbles: true}));
  });
})();`

// pageStats is window.__klb.
type pageStats struct {
	Ready         float64      `json:"ready"`
	Booted        float64      `json:"booted"`
	LongTasks     [][2]float64 `json:"longTasks"`
	MaxGap        float64      `json:"maxGap"`
	GapAt         float64      `json:"gapAt"`
	LongTaskError string       `json:"longTaskError"`
	WasmEnd       float64      `json:"wasmEnd"`   // Resource Timing responseEnd of the .wasm: downloaded
	WasmBytes     float64      `json:"wasmBytes"` // its encodedBodySize
}

// longest returns the longest long task (duration, start), or (0, 0).
func (s pageStats) longest() (dur, start float64) {
	for _, t := range s.LongTasks {
		if t[1] > dur {
			dur, start = t[1], t[0]
		}
	}
	return dur, start
}

// stats reads window.__klb.
func (b *chromeBrowser) stats(timeout time.Duration) (pageStats, error) {
	s, err := evalJS[string](b, `JSON.stringify(window.__klb ? Object.assign({}, window.__klb, (() => {
  const w = performance.getEntriesByType("resource").find((e) => e.name.endsWith(".wasm"));
  return w ? {wasmEnd: w.responseEnd, wasmBytes: w.encodedBodySize} : {};
})()) : null)`, timeout)
	if err != nil {
		return pageStats{}, err
	}
	var ps pageStats
	if s == "null" {
		return ps, errors.New("the page has no instrumentation (window.__klb)")
	}
	err = json.Unmarshal([]byte(s), &ps)
	return ps, err
}

// errTimeout reports a page that did not get ready, or an edit that did
// not update the result, in time.
var errTimeout = errors.New("timed out")

// loadAndWait navigates to url and waits until the page is ready (see
// instrumentScript) or timeout passes. It returns the page's own timings.
func (b *chromeBrowser) loadAndWait(url string, timeout time.Duration) (pageStats, error) {
	deadline := time.Now().Add(timeout)
	if err := b.navigate(url, timeout); err != nil {
		return pageStats{}, fmt.Errorf("navigating: %w", err)
	}
	var lastErr error
	for time.Now().Before(deadline) {
		left := time.Until(deadline)
		v, err := evalJS[float64](b, `window.__klb ? window.__klb.ready : -1`, min(left, 30*time.Second))
		switch {
		case err == nil && v >= 0:
			return b.stats(30 * time.Second)
		case err != nil:
			lastErr = err // e.g. the execution context was replaced by the navigation
		}
		time.Sleep(50 * time.Millisecond)
	}
	ps, _ := b.stats(10 * time.Second)
	problems, _ := evalJS[string](b, `(() => { const e = document.getElementById("error"); const l = document.getElementById("app-wasm-loader-label"); return [(e && e.innerText) || "", (l && l.innerText) || ""].join(" ").trim(); })()`, 10*time.Second)
	msg := fmt.Sprintf("not ready after %v", timeout)
	if problems != "" {
		msg += "; the page says: " + short(problems, 200)
	}
	if lastErr != nil && !strings.Contains(lastErr.Error(), "deadline") {
		msg += "; last error: " + lastErr.Error()
	}
	return ps, fmt.Errorf("%s: %w", msg, errTimeout)
}

// editResult is what window.__klbEdit resolves with.
type editResult struct {
	Ms      float64 `json:"ms"`
	Value   string  `json:"value"`
	Timeout bool    `json:"timeout"`
	Error   string  `json:"error"`
}

// edit types value into the input with the id and returns the time until
// #result's data-value changed.
func (b *chromeBrowser) edit(id, value string, timeout time.Duration) (editResult, error) {
	args, _ := json.Marshal([]any{id, value, timeout.Milliseconds()})
	expr := "window.__klbEdit(..." + string(args) + ")"
	r, err := evalJS[editResult](b, expr, timeout+30*time.Second)
	switch {
	case err != nil:
		return r, err
	case r.Error != "":
		return r, errors.New(r.Error)
	case r.Timeout:
		return r, fmt.Errorf("the result did not change within %v: %w", timeout, errTimeout)
	}
	return r, nil
}

// settle waits for two animation frames, then pause, then one more frame
// (which waits for any task still running), so that the next edit starts
// on a quiet page, after the work an edit defers.
func (b *chromeBrowser) settle(pause, timeout time.Duration) error {
	expr := fmt.Sprintf(`new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => requestAnimationFrame(() => r(true)), %d))))`, pause.Milliseconds())
	_, err := evalJS[bool](b, expr, timeout)
	return err
}

func short(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
