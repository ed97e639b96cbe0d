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

	"github.com/klcalc/klcalc/cmd/internal/e2e"
)

// chromeBrowser is a headless Chromium with a fresh profile (a new temporary
// user-data folder), so nothing is cached and no service worker is
// registered: every page load is a first visit. Every document it loads
// runs instrumentScript first.
type chromeBrowser struct {
	ctx    context.Context // chromedp context of the first tab
	cancel func()
	dir    string // the profile: names this browser's processes in /proc

	mu      sync.Mutex
	encoded map[network.RequestID]float64 // CDP encodedDataLength per finished request of the tab
}

// newChrome starts Chromium with the options of the end-to-end tests
// (e2e.AllocatorOptions).
func newChrome(parent context.Context, chrome string) (*chromeBrowser, error) {
	dir, err := os.MkdirTemp("", "klbench-profile-*")
	if err != nil {
		return nil, err
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(parent, e2e.AllocatorOptions(chrome, dir)...)
	b := &chromeBrowser{encoded: map[network.RequestID]float64{}, dir: dir}
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
		// chromedp enables DevTools' CSS and DOM agents, which track every
		// DOM change; a user's browser does not run them.
		if _, err := cdp.Call(ctx, tg, css.Disable, cdp.Empty{}); err != nil {
			return err
		}
		if _, err := cdp.Call(ctx, tg, dom.Disable, cdp.Empty{}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: instrumentScript})
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
	if ev, ok := ev.(*network.EventLoadingFinished); ok {
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

// evalJS evaluates a JavaScript expression (awaiting a promise) within timeout.
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
//   - longTasks: the PerformanceObserver "longtask" entries (main-thread
//     tasks over 50 ms), as [start, duration];
//   - maxGap: the longest time between two requestAnimationFrame callbacks.
//
// window.__klbEdit(id, value, timeoutMs) sets the value of an input,
// dispatches an "input" event, and resolves with the time until #result's
// data-value changed, seen by a MutationObserver (or {timeout: true}).
const instrumentScript = `(() => {
  if (window.__klb) return;
  const k = window.__klb = {ready: -1, longTasks: [], maxGap: 0, longTaskError: ""};
  const mo = new MutationObserver(() => {
    if (document.querySelector("#result[data-value], #klbench-hello")) { k.ready = performance.now(); mo.disconnect(); }
  });
  mo.observe(document, {subtree: true, childList: true, attributes: true, attributeFilter: ["data-value", "id"]});
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) k.longTasks.push([e.startTime, e.duration]);
    }).observe({type: "longtask", buffered: true});
  } catch (e) { k.longTaskError = String(e); }
  let last = -1;
  const frame = () => {
    const now = performance.now();
    if (last >= 0) k.maxGap = Math.max(k.maxGap, now - last);
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
      if (v !== null && v !== before) { obs.disconnect(); clearTimeout(timer); resolve({ms: performance.now() - t0}); }
    });
    obs.observe(document.body, {subtree: true, childList: true, attributes: true, attributeFilter: ["data-value"]});
    timer = setTimeout(() => { obs.disconnect(); resolve({timeout: true, ms: performance.now() - t0}); }, timeoutMs);
    el.value = value;
    el.dispatchEvent(new Event("input", {bubbles: true}));
  });
})();`

// pageStats is window.__klb, with the Resource Timing of the .wasm.
type pageStats struct {
	Ready         float64      `json:"ready"`
	LongTasks     [][2]float64 `json:"longTasks"`
	MaxGap        float64      `json:"maxGap"`
	LongTaskError string       `json:"longTaskError"`
	WasmEnd       float64      `json:"wasmEnd"` // responseEnd of the .wasm: downloaded
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
  return w ? {wasmEnd: w.responseEnd} : {};
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

// loadAndWait navigates to url and waits until the page is ready (see
// instrumentScript) or timeout passes. It returns the page's own timings.
func (b *chromeBrowser) loadAndWait(url string, timeout time.Duration) (pageStats, error) {
	deadline := time.Now().Add(timeout)
	// Navigate without waiting for any event: the page measures itself.
	ctx, cancel := context.WithTimeout(b.ctx, timeout)
	defer cancel()
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		res, err := cdp.Call(ctx, tg, page.Navigate, page.NavigateParams{URL: url})
		if err == nil && res.ErrorText != "" {
			err = errors.New(res.ErrorText)
		}
		return err
	}))
	if err != nil {
		return pageStats{}, fmt.Errorf("navigating: %w", err)
	}
	var lastErr error
	for time.Now().Before(deadline) {
		v, err := evalJS[float64](b, `window.__klb ? window.__klb.ready : -1`, min(time.Until(deadline), 30*time.Second))
		switch {
		case err == nil && v >= 0:
			return b.stats(30 * time.Second)
		case err != nil:
			lastErr = err // e.g. the execution context was replaced by the navigation
		}
		time.Sleep(50 * time.Millisecond)
	}
	ps, _ := b.stats(10 * time.Second)
	says, _ := evalJS[string](b, `["error", "app-wasm-loader-label"].map((id) => { const e = document.getElementById(id); return (e && e.innerText) || ""; }).join(" ").trim()`, 10*time.Second)
	msg := fmt.Sprintf("timed out: not ready after %v", timeout)
	if says != "" {
		msg += "; the page says: " + short(says, 200)
	}
	if lastErr != nil && !strings.Contains(lastErr.Error(), "deadline") {
		msg += "; last error: " + lastErr.Error()
	}
	return ps, errors.New(msg)
}

// edit types value into the input with the id and returns the time until
// #result's data-value changed, in milliseconds.
func (b *chromeBrowser) edit(id, value string, timeout time.Duration) (float64, error) {
	args, _ := json.Marshal([]any{id, value, timeout.Milliseconds()})
	r, err := evalJS[struct {
		Ms      float64 `json:"ms"`
		Timeout bool    `json:"timeout"`
		Error   string  `json:"error"`
	}](b, "window.__klbEdit(..."+string(args)+")", timeout+30*time.Second)
	switch {
	case err != nil:
		return 0, err
	case r.Error != "":
		return 0, errors.New(r.Error)
	case r.Timeout:
		return 0, fmt.Errorf("timed out: the result did not change within %v", timeout)
	}
	return r.Ms, nil
}

// settle waits for two animation frames, then pause, then one more frame
// (which waits for any task still running), so that the next edit starts
// on a quiet page, after the work an edit defers.
func (b *chromeBrowser) settle(pause, timeout time.Duration) error {
	expr := fmt.Sprintf(`new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => requestAnimationFrame(() => r(true)), %d))))`, pause.Milliseconds())
	_, err := evalJS[bool](b, expr, timeout)
	return err
}

// coldLoad loads url in a new browser with a fresh profile.
func (b *bench) coldLoad(url string, timeout time.Duration) (pageStats, error) {
	br, err := newChrome(b.ctx, b.cfg.Chrome)
	if err != nil {
		return pageStats{}, err
	}
	defer br.close()
	return br.loadAndWait(url, timeout)
}

func short(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
