//go:build !js

package main

import (
	"fmt"
	"math"
	"time"
)

// budgetColdLoad is the budget of row 2: × the hello world's time.
const budgetColdLoad = 1.25

// loadTimes are the timings of the cold loads of one site, a pair at each
// index (NaN where a load failed).
type loadTimes struct {
	ready, wasmEnd, longest []float64
}

func (l *loadTimes) add(ready, wasmEnd, longest float64) {
	l.ready, l.wasmEnd, l.longest = append(l.ready, ready), append(l.wasmEnd, wasmEnd), append(l.longest, longest)
}

func (b *bench) rowColdLoad() {
	b.logf("row 2: cold load (%d per site, interleaved, fresh profile each)", b.n.ColdPairs)
	row := summaryRow{ID: "2", What: rowTitles["2"], Baseline: "—", Ratio: "—", Budget: "≤ 1.25× hello world", Verdict: verdictError}
	defer func() { b.rep.Rows = append(b.rep.Rows, row) }()
	urls := [2]string{b.app.URL + "/", b.hello.URL + "/"}
	var times [2]loadTimes // of the calculator, of the hello world
	for i := range b.n.ColdPairs {
		for _, s := range pairOrder(i) {
			ps, err := b.coldLoad(urls[s], 120*time.Second)
			if err != nil {
				b.problem("row 2, %s, load %d: %v", sites[s], i+1, err)
				times[s].add(math.NaN(), math.NaN(), math.NaN())
				continue
			}
			d, _ := ps.longest()
			times[s].add(ps.Ready, ps.WasmEnd, d)
			b.vlogf("  %s: ready %.0f ms, wasm downloaded %.0f ms, longest task %.0f ms", sites[s], ps.Ready, ps.WasmEnd, d)
		}
	}
	a, h := times[0], times[1]
	am, hm := median(a.ready), median(h.ready)
	b.appCold = am
	r := ratio(am, hm)
	row.Figure, row.Baseline, row.Ratio = fmtMs(am), fmtMs(hm)+" (hello world → h1)", fmtRatio(r)
	row.Verdict = atMost(r, budgetColdLoad)
	paired := median(pairedRatios(a.ready, h.ready))
	switch row.Verdict {
	case verdictError:
		row.Note = "no successful loads (see Problems)"
	case verdictFail:
		row.Note = fmt.Sprintf("%s (median of the paired ratios %s). The calculator's wasm is downloaded at %s against the hello world's %s; "+
			"from there to the first result takes %s against %s: compiling and instantiating the larger wasm, starting Go and go-app, "+
			"then reading the link, computing and rendering the whole page.",
			ratioGap(r, budgetColdLoad), fmtRatio(paired), fmtMs(median(a.wasmEnd)), fmtMs(median(h.wasmEnd)),
			fmtMs(median(diff(a.ready, a.wasmEnd))), fmtMs(median(diff(h.ready, h.wasmEnd))))
	}
	sec := section{Title: "2. Cold load", Method: fmt.Sprintf(`
Each load is a new Chromium process with a fresh profile (no HTTP cache, no service worker) against `+"`klcalc serve`"+`
(loopback, brotli). A script injected before the page's own (Page.addScriptToEvaluateOnNewDocument) records with
performance.now(), i.e. from the start of the navigation: *ready*, when #result first has a data-value (the
calculator, default link) or #klbench-hello exists (the hello world's h1); *wasm downloaded*, the Resource
Timing responseEnd of the .wasm; and the longest main-thread task (PerformanceObserver "longtask"). %d loads per site, in pairs
whose order alternates (AB, BA, …); medians. Ratio: median over median (median of the per-pair ratios: %s).`, b.n.ColdPairs, fmtRatio(paired))}
	var rows [][]string
	for i := range a.ready {
		rows = append(rows, []string{fmt.Sprint(i + 1), fmtMs(a.ready[i]), fmtMs(a.wasmEnd[i]), fmtMs(a.longest[i]),
			fmtMs(h.ready[i]), fmtMs(h.wasmEnd[i]), fmtMs(h.longest[i]), fmtRatio(ratio(a.ready[i], h.ready[i]))})
	}
	rows = append(rows, []string{"**median**", "**" + fmtMs(am) + "**", fmtMs(median(a.wasmEnd)), fmtMs(median(a.longest)),
		"**" + fmtMs(hm) + "**", fmtMs(median(h.wasmEnd)), fmtMs(median(h.longest)), "**" + fmtRatio(r) + "**"})
	sec.Lines = table([]string{"pair", "calculator ready", "wasm downloaded", "longest task", "hello ready", "wasm downloaded", "longest task", "ratio"}, rows)
	b.rep.Sections = append(b.rep.Sections, sec)
}

// diff returns a[i] − b[i].
func diff(a, b []float64) []float64 {
	out := make([]float64, min(len(a), len(b)))
	for i := range out {
		out[i] = a[i] - b[i]
	}
	return out
}
