//go:build !js

package main

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/klcalc/klcalc/cmd/internal/e2e"
)

// budgetTransfer is the budget of row 1: × the hello world's bytes.
const budgetTransfer = 1.10

// sites names the two sites of rows 1 and 2, by their index in a pair.
var sites = [2]string{"calculator", "hello world"}

// pairOrder alternates which of two things goes first: AB, BA, AB, ...
func pairOrder(i int) [2]int {
	if i%2 == 0 {
		return [2]int{0, 1}
	}
	return [2]int{1, 0}
}

type visit struct {
	sum  transferSummary
	cdp  float64 // CDP encodedDataLength of the page's requests (headers included)
	cdpN int
}

func (b *bench) rowTransfer() {
	b.logf("row 1: transfer size of a first visit (%d per site, interleaved)", b.n.Transfer)
	row := summaryRow{ID: "1", What: rowTitles["1"], Baseline: "—", Ratio: "—", Budget: "≤ 1.10× hello world", Verdict: verdictError}
	defer func() { b.rep.Rows = append(b.rep.Rows, row) }()
	var proxies [2]*countingProxy
	for s, srv := range [2]*e2e.Server{b.app, b.hello} {
		p, err := newCountingProxy(srv.URL)
		if err != nil {
			row.Note = err.Error()
			return
		}
		defer p.close()
		proxies[s] = p
	}
	var visits [2][]visit // of the calculator, of the hello world
	for i := range b.n.Transfer {
		for _, s := range pairOrder(i) {
			v, err := b.firstVisit(proxies[s])
			if err != nil {
				b.problem("row 1, %s, visit %d: %v", sites[s], i+1, err)
				continue
			}
			b.vlogf("  %s: %d B in %d responses (CDP %0.f B)", sites[s], v.sum.Total, v.sum.Requests, v.cdp)
			visits[s] = append(visits[s], v)
		}
	}
	av, hv := visits[0], visits[1]
	if len(av) == 0 || len(hv) == 0 {
		row.Note = "no complete first visit of both sites (see Problems)"
		return
	}
	am, hm := median(totals(av)), median(totals(hv))
	r := ratio(am, hm)
	row.Figure = fmtBytes(int64(am))
	row.Baseline = fmtBytes(int64(hm)) + " (hello world)"
	row.Ratio = fmtRatio(r)
	row.Verdict = atMost(r, budgetTransfer)
	a, h := av[len(av)-1].sum, hv[len(hv)-1].sum
	aw, hw := wasmBytes(a), wasmBytes(h)
	if row.Verdict == verdictFail {
		row.Note = fmt.Sprintf("%s; the first visit must lose %s to meet it. The wasm is %s of the difference of %s "+
			"(%s against the hello world's %s, brotli); the other files differ by %+d B.",
			ratioGap(r, budgetTransfer), fmtBytes(int64(am-budgetTransfer*hm)), fmtBytes(aw-hw), fmtBytes(int64(am-hm)), fmtBytes(aw), fmtBytes(hw),
			(int64(am)-aw)-(int64(hm)-hw))
		if d := duplicated(a); d > 0 {
			row.Note += fmt.Sprintf(" %s of it is downloaded twice (the page and the service worker's precache).", fmtBytes(d))
		}
		row.Note += fmt.Sprintf(" Uncompressed: the calculator's wasm is %s, the hello world's %s.",
			fmtBytes(wasmFileSize(b.cfg.Site)), fmtBytes(wasmFileSize(b.helloSite())))
	}
	sec := section{Title: "1. Transfer size of a first visit", Method: fmt.Sprintf(`
Each visit is a fresh Chromium profile (headless, the flags of cmd/internal/e2e) loading the site's root
through a counting reverse proxy in front of `+"`klcalc serve`"+`, until the page is ready (#result has a
data-value; the hello world's h1), its service worker is active (navigator.serviceWorker.ready) and no
response has completed for 2 s. The figure is the sum of the response bodies as sent (brotli where the
site has a .br sibling, else identity; a 304 counts 0), over every request of the browser, the service
worker's precache included, which the page's own CDP events do not show. CDP's encodedDataLength of the
page's requests (headers included) is given as a cross-check. Baseline: go-app v9's hello world
(cmd/klbench/hello), built with the same flags and toolchain
(`+"`CGO_ENABLED=0 GOOS=js GOARCH=wasm go build -trimpath -ldflags=\"-s -w\"`"+`) and made into a site by
the same `+"`klcalc site -web web -base / -wasm-exec …`"+` (so it gets the same pre-rendered index.html,
app.js, service worker, manifest, icons and css). %d visit(s) per site, interleaved; medians.`, b.n.Transfer)}
	var runs [][]string
	for i := range max(len(av), len(hv)) {
		cells := []string{fmt.Sprint(i + 1)}
		for _, vs := range visits {
			if i >= len(vs) {
				cells = append(cells, "—", "—")
				continue
			}
			cells = append(cells, fmtBytes(vs[i].sum.Total)+fmt.Sprintf(", %d responses", vs[i].sum.Requests),
				fmt.Sprintf("%s B in %d requests", group(int(vs[i].cdp)), vs[i].cdpN))
		}
		runs = append(runs, cells)
	}
	sec.Lines = append(table([]string{"visit", "calculator (proxy)", "calculator (CDP, page only)", "hello world (proxy)", "hello world (CDP, page only)"}, runs),
		"", "Files of the last visit of each site (bytes as sent; the wasm names carry a content hash):", "")
	sec.Lines = append(sec.Lines, fileTable(a, h)...)
	b.rep.Sections = append(b.rep.Sections, sec)
}

// firstVisit loads the site behind p in a fresh profile and returns what
// the browser downloaded.
func (b *bench) firstVisit(p *countingProxy) (visit, error) {
	br, err := newChrome(b.ctx, b.cfg.Chrome)
	if err != nil {
		return visit{}, err
	}
	defer br.close()
	p.reset()
	if _, err := br.loadAndWait(p.URL, 120*time.Second); err != nil {
		return visit{}, err
	}
	ok, err := evalJS[bool](br, `navigator.serviceWorker ? navigator.serviceWorker.ready.then(() => true) : false`, 60*time.Second)
	if err != nil || !ok {
		b.problem("row 1: no active service worker at %s (%v); counting what was fetched", p.URL, err)
	}
	p.waitIdle(2*time.Second, 60*time.Second)
	cdp, n := br.encodedTotal()
	return visit{sum: summarize(p.snapshot()), cdp: cdp, cdpN: n}, nil
}

func totals(vs []visit) []float64 {
	out := make([]float64, len(vs))
	for i, v := range vs {
		out[i] = float64(v.sum.Total)
	}
	return out
}

// wasmBytes is what the .wasm files cost.
func wasmBytes(s transferSummary) int64 {
	var n int64
	for _, f := range s.Files {
		if strings.HasSuffix(f.Path, ".wasm") {
			n += f.Bytes
		}
	}
	return n
}

// duplicated is the bytes of the second and later downloads of a path.
func duplicated(s transferSummary) int64 {
	var n int64
	for _, f := range s.Files {
		if f.Bodies > 1 {
			n += f.Bytes - f.First
		}
	}
	return n
}

// wasmFileSize is the size of a site's hashed wasm on disk, or -1.
func wasmFileSize(site string) int64 {
	m, _ := filepath.Glob(filepath.Join(site, "web", "app.*.wasm"))
	if len(m) != 1 {
		return -1
	}
	st, err := os.Stat(m[0])
	if err != nil {
		return -1
	}
	return st.Size()
}

// fileTable lists the files of one visit of each site side by side, by
// their path with the wasm hash removed.
func fileTable(a, h transferSummary) []string {
	norm := func(p string) string {
		if strings.HasSuffix(p, ".wasm") {
			return path.Dir(p) + "/app.<hash>.wasm"
		}
		return p
	}
	var order []string
	bySite := [2]map[string]fileTransfer{{}, {}}
	for s, sum := range [2]transferSummary{a, h} {
		for _, f := range sum.Files {
			k := norm(f.Path)
			if _, seen := bySite[0][k]; !seen {
				if _, seen := bySite[1][k]; !seen {
					order = append(order, k)
				}
			}
			bySite[s][k] = f
		}
	}
	var rows [][]string
	for _, k := range order {
		cells := []string{"`" + k + "`", ""}
		for _, m := range bySite {
			f, ok := m[k]
			if !ok {
				cells = append(cells, "—")
				continue
			}
			if cells[1] == "" {
				cells[1] = f.Dests
			}
			d := fmtBytes(f.Bytes) + " " + f.Encodings
			if f.Fetches > 1 {
				d += fmt.Sprintf(", %d fetches", f.Fetches)
			}
			cells = append(cells, d)
		}
		rows = append(rows, cells)
	}
	rows = append(rows, []string{"**total**", "", fmt.Sprintf("**%s**, %d responses", fmtBytes(a.Total), a.Requests),
		fmt.Sprintf("**%s**, %d responses", fmtBytes(h.Total), h.Requests)})
	return table([]string{"path", "Sec-Fetch-Dest", "calculator", "hello world"}, rows)
}
