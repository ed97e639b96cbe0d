//go:build !js

package main

import (
	"fmt"
	"math"
	"time"
)

// Budgets of row 3 (issue 10), in milliseconds.
const (
	budgetEdit1k  = 16.0  // p95 at 3 and at 1 000 values: one frame
	budgetEdit10k = 50.0  // p95 at 10 000 values
	budgetFreeze  = 200.0 // longest main-thread task during the load at 100 000 values
	budgetAfter   = 100.0 // longest main-thread task after the first result at 100 000 values
)

// editPause is the quiet time between two edits: longer than the 400 ms
// for which the calculator defers writing the link of a large state, so
// that the work an edit defers runs before the next edit (as for a user who
// edits, then reads), and is seen by the longest-task figure.
const editPause = 600 * time.Millisecond

// editSizes are the numbers of values per side of row 3.
var editSizes = []int{3, 1_000, 10_000, 100_000}

// editLayouts are the inputs of row 3, in order.
func editLayouts() []layout {
	var ls []layout
	for _, n := range editSizes {
		ls = append(ls, layoutsFor(n)...)
	}
	return ls
}

// editCase is the measurement of one size and layout.
type editCase struct {
	Layout       layout
	LinkBytes    int
	LoadMs       float64 // navigation → #result
	Times        []float64
	Err          string    // why the case stopped early, if it did
	Note         string    // e.g. fewer edits than asked, within the time limit
	AppCompute   []float64 // the app's own "kl-compute" performance measures of the timed edits, if it leaves them
	AppEdit      []float64 // and its "kl-edit" measures (through the re-render)
	Longest      float64   // longest task of the page's life
	LongestAt    float64   // its start
	LoadLongest  float64   // longest task that started before the result first showed
	AfterLongest float64   // longest task that started after it
	MaxGap       float64
	LongTaskErr  string
}

// editTimeouts are the timeouts of a size: loading the link, one edit, all
// the edits.
func editTimeouts(n int) (load, edit, total time.Duration) {
	switch {
	case n >= 100_000:
		return 180 * time.Second, 60 * time.Second, 240 * time.Second
	case n >= 10_000:
		return 90 * time.Second, 30 * time.Second, 120 * time.Second
	}
	return 60 * time.Second, 15 * time.Second, 60 * time.Second
}

// input returns the generated input of a layout (the same for every row).
func (b *bench) input(l layout) benchInput {
	if b.inputs == nil {
		b.inputs = map[layout]benchInput{}
	}
	in, ok := b.inputs[l]
	if !ok {
		in = newBenchInput(l, b.cfg.Seed)
		b.inputs[l] = in
	}
	return in
}

func (b *bench) rowEdits() {
	b.logf("row 3: edit → result (%d edits per size after %d warm-up)", b.n.Edits, b.n.EditWarmup)
	sec := section{Title: "3. Edit to result", Method: fmt.Sprintf(`
For each size the calculator is opened in a fresh profile from the readable share link of the README's URL format,
as the app writes it before compressing (`+"`#p=…&q=…&reduction=batchmean&…`"+`, rows joined by ';', values by ',';
random probabilities with 3 to 5 significant digits whose rows sum to 1 exactly in decimal, so no warning; default
options: batchmean, float32). Then, in the page,
window.__klbEdit sets the first Q cell (#Q-r0-c0) to half or twice its value, alternately, dispatches an
"input" event and resolves when a MutationObserver sees #result's data-value change; the time is
performance.now() after minus before. %d warm-up edits, then %d timed ones; between two edits the page gets two
animation frames, %v of quiet and one more frame (longer than the 400 ms for which the app defers writing a large
link, so that deferred work runs between edits, as for a user who edits and then reads). A size whose load or edit
times out is reported as such. The longest main-thread task (PerformanceObserver "longtask") and the longest gap
between requestAnimationFrame callbacks cover the whole life of the page: load, edits and their deferred work.
DevTools' DOM and CSS agents, which chromedp enables and which track every DOM change, are disabled, as in a
user's browser; the same for every size.`, b.n.EditWarmup, b.n.Edits, editPause)}
	var rows [][]string
	for _, l := range editLayouts() {
		if b.ctx.Err() != nil {
			return
		}
		if len(b.cfg.Sizes) > 0 && !b.cfg.Sizes[l.N()] {
			continue
		}
		c := b.editCase(l)
		p50, p95 := percentile(c.Times, 50), percentile(c.Times, 95)
		if l.N() == 3 {
			b.editFloor = p50
		}
		b.rep.Rows = append(b.rep.Rows, b.editRow(c))
		status := "ok"
		if c.Note != "" {
			status = c.Note
		}
		if c.Err != "" {
			status = c.Err
		}
		rows = append(rows, []string{l.String(), group(c.LinkBytes), fmtMs(c.LoadMs), fmt.Sprint(len(c.Times)),
			fmtMs(p50), fmtMs(p95), fmtMs(maxOf(c.Times)), fmtMs(median(c.AppCompute)), fmtMs(median(c.AppEdit)),
			fmtMs(c.LoadLongest), fmtMs(c.Longest), fmtMs(c.MaxGap), status})
		b.logf("  %s: load %s, %d edits p50 %s p95 %s, longest task %s %s", l, fmtMs(c.LoadMs), len(c.Times), fmtMs(p50), fmtMs(p95), fmtMs(c.Longest), c.Err)
	}
	sec.Lines = table([]string{"input", "link bytes", "load → #result", "edits", "p50", "p95", "max", "app's kl-compute p50", "app's kl-edit p50",
		"longest task, load", "longest task, whole life", "longest frame gap", "status"}, rows)
	sec.Lines = append(sec.Lines, "", "*kl-compute* and *kl-edit* are the performance measures the app leaves in the page, when it does: "+
		"the computation of an edit, and the edit through the re-render (— when the app leaves none).")
	if len(b.editCost) > 0 {
		sec.Lines = append(sec.Lines, "", "The non-UI work of one edit at each size, in the same wasm run by Node.js (cmd/klbench/wasmbench editCost, medians): "+
			"parsing every cell (when a state is opened; an edit parses only the cells it changed), compute.Calculate (above 20 000 values an edit "+
			"computes compute.CalculateValue and the details, about 45 % of it, in a task of its own), compute.CompareFrameworks (above its threshold "+
			"of values the app compares the libraries only on demand, so that figure is not part of an edit and not in the total) and State.Encode "+
			"(the link it writes back, at once, or for a large state after a pause and in slices). The rest of an edit's time is go-app's update and the DOM.", "")
		var cr [][]string
		for _, l := range editLayouts() {
			if ec, ok := b.editCost[l.String()]; ok {
				fw := fmtMs(ec.Frameworks)
				if !ec.Eager {
					fw += " (on demand)"
				}
				cr = append(cr, []string{l.String(), fmtMs(ec.Parse), fmtMs(ec.Calculate), fw, fmtMs(ec.Encode), fmtMs(ec.total()), ec.Err})
			}
		}
		sec.Lines = append(sec.Lines, table([]string{"input", "parse cells", "Calculate", "CompareFrameworks", "Encode (URL)", "total", "error"}, cr)...)
	}
	b.rep.Sections = append(b.rep.Sections, sec)
}

// editRow is the summary row of a case.
func (b *bench) editRow(c editCase) summaryRow {
	n := c.Layout.N()
	id := map[int][2]string{3: {"3a"}, 1_000: {"3b", "3c"}, 10_000: {"3d", "3e"}, 100_000: {"3f", "3g"}}[n][min(c.Layout.Rows-1, 1)]
	p50, p95 := percentile(c.Times, 50), percentile(c.Times, 95)
	row := summaryRow{ID: id, What: fmt.Sprintf("Edit → result, %s values (%s)", group(n), c.Layout), Baseline: "—", Ratio: "—"}
	row.Figure = fmt.Sprintf("p95 %s (p50 %s, %d edits)", fmtMs(p95), fmtMs(p50), len(c.Times))
	ec, haveCost := b.editCost[c.Layout.String()]
	haveCost = haveCost && ec.Err == ""
	var cause string
	if haveCost {
		fw := ""
		if !ec.Eager {
			fw = " (on demand at this size, not on an edit)"
		}
		cause = fmt.Sprintf(" The computing at this size, timed in the same wasm in Node.js: parsing every cell %s (once, when the state opens), Calculate %s (an edit above 20 000 values computes about 55 %% of it at once, the rest in a later task), CompareFrameworks %s%s; writing the link (State.Encode, in slices after a pause for large states) %s.",
			fmtMs(ec.Parse), fmtMs(ec.Calculate), fmtMs(ec.Frameworks), fw, fmtMs(ec.Encode))
	}
	if len(c.AppCompute) > 0 {
		ac, ae := median(c.AppCompute), median(c.AppEdit)
		cause += fmt.Sprintf(" The app's own measures in the page: kl-compute p50 %s, kl-edit p50 %s", fmtMs(ac), fmtMs(ae))
		if ae > 0 && ac <= ae {
			cause += fmt.Sprintf(": the computing is %.0f %% of an edit, go-app's update (its frame tick and the re-render) the rest", ac/ae*100)
		}
		cause += "."
	}
	if !math.IsNaN(b.editFloor) && n > 3 {
		cause += fmt.Sprintf(" At 3 values the same edit takes p50 %s.", fmtMs(b.editFloor))
	}
	switch n {
	case 3, 1_000, 10_000:
		limit := budgetEdit1k
		if n == 10_000 {
			limit = budgetEdit10k
		}
		row.Budget = "p95 ≤ " + fmtMs(limit)
		row.Verdict = atMost(p95, limit)
		if row.Verdict == verdictFail {
			row.Note = "p95 " + msGap(p95, limit) + "." + cause
		}
	case 100_000:
		row.Figure = fmt.Sprintf("longest task after the first result %s, during the load %s; edit p95 %s (p50 %s, %d edits); load %s",
			fmtMs(c.AfterLongest), fmtMs(c.LoadLongest), fmtMs(p95), fmtMs(p50), len(c.Times), fmtMs(c.LoadMs))
		row.Budget = "tasks ≤ 100 ms after the result, ≤ 200 ms in the load"
		row.Verdict = atMost(c.AfterLongest, budgetAfter)
		if v := atMost(c.LoadLongest, budgetFreeze); v == verdictFail {
			row.Verdict = v
		}
		if c.LongTaskErr != "" && !math.IsNaN(c.MaxGap) {
			row.Figure = fmt.Sprintf("longest frame gap %s (no longtask API: %s)", fmtMs(c.MaxGap), c.LongTaskErr)
			row.Verdict = atMost(c.MaxGap, budgetFreeze)
		}
		if row.Verdict == verdictFail {
			row.Note = fmt.Sprintf("the main thread was blocked for %s at once, %.1f s after the navigation (%s); the longest task of the load was %s; the load took %s and an edit p50 %s, p95 %s.%s",
				fmtMs(c.Longest), c.LongestAt/1000, whenTask(c), fmtMs(c.LoadLongest), fmtMs(c.LoadMs), fmtMs(p50), fmtMs(p95), cause)
			row.Note += b.freezeCause(c, ec, haveCost)
		}
	}
	if c.Note != "" {
		row.Figure += " (" + c.Note + ")"
	}
	if c.Err != "" {
		if row.Verdict == verdictPass || row.Verdict == verdictInfo || (len(c.Times) == 0 && n != 100_000) {
			row.Verdict = verdictError
		}
		if row.Note != "" {
			row.Note += " "
		}
		row.Note += "Stopped: " + c.Err + "."
		if row.Verdict == verdictError && n == 100_000 && c.Longest > budgetFreeze {
			row.Verdict = verdictFail
		}
	}
	return row
}

// freezeCause explains a long task at 100 000 values with the costs timed
// in Node.js: in the load, what the app computes and decodes; after it, the
// deferred writing of the link.
func (b *bench) freezeCause(c editCase, ec editCostRun, haveCost bool) string {
	if !haveCost {
		return ""
	}
	comp, what := ec.compute()
	switch {
	case c.LongestAt <= c.LoadMs:
		dec := math.NaN()
		if b.node != nil {
			if d, ok := b.node.Decode["readable, "+c.Layout.String()]; ok {
				dec = median(d.Ms)
			}
		}
		return fmt.Sprintf(" In that load task, computing the state takes about %s in wasm (%s, timed in Node.js) and decoding its link %s (row 5): the rest, about %s, is Go and go-app starting and rendering the page.",
			fmtMs(comp), what, fmtMs(dec), fmtMs(c.Longest-comp-max(dec, 0)))
	case ec.Encode > budgetFreeze && ec.Encode > comp:
		return fmt.Sprintf(" Of that work only writing the link takes this long in one piece (State.Encode %s in Node.js), and the app does it in a deferred task after a pause in editing: the freeze after the load is most likely that write.", fmtMs(ec.Encode))
	}
	return ""
}

// whenTask says whether the longest task fell in the load or the edits.
func whenTask(c editCase) string {
	if !math.IsNaN(c.LoadMs) && c.LongestAt <= c.LoadMs {
		return "during the load"
	}
	return "after the load, i.e. during the edits"
}

// editCase measures one layout.
func (b *bench) editCase(l layout) (c editCase) {
	in := b.input(l)
	c = editCase{Layout: l, LinkBytes: len(in.Link), LoadMs: math.NaN(), Longest: math.NaN(), LoadLongest: math.NaN(), AfterLongest: math.NaN(), MaxGap: math.NaN()}
	loadT, editT, totalT := editTimeouts(l.N())
	br, err := newChrome(b.ctx, b.cfg.Chrome)
	if err != nil {
		c.Err = err.Error()
		return c
	}
	defer br.close()
	defer b.finishEditCase(br, &c)
	ps, err := br.loadAndWait(b.app.URL+"/#"+in.Link, loadT)
	if err != nil {
		c.Err = "load: " + err.Error()
		return c
	}
	c.LoadMs = ps.Ready
	values, err := editValues(in.State.Q[0][0], b.n.EditWarmup+b.n.Edits)
	if err != nil {
		c.Err = err.Error()
		return c
	}
	start := time.Now()
	for k, v := range values {
		ms, err := br.edit("Q-r0-c0", v, editT)
		if err != nil {
			c.Err = fmt.Sprintf("edit %d: %v", k+1, err)
			break
		}
		if k >= b.n.EditWarmup {
			c.Times = append(c.Times, ms)
		}
		b.vlogf("  %s edit %d: %.1f ms", l, k+1, ms)
		if err := br.settle(editPause, editT); err != nil {
			c.Err = fmt.Sprintf("after edit %d: %v", k+1, err)
			break
		}
		if time.Since(start) > totalT && k+1 < len(values) {
			c.Note = fmt.Sprintf("time limit of %v for the edits reached after %d of %d", totalT, k+1, len(values))
			break
		}
	}
	return c
}

// finishEditCase reads what the page recorded over its whole life: its long
// tasks and frame gaps, and the app's own measures of the timed edits.
func (b *bench) finishEditCase(br *chromeBrowser, c *editCase) {
	ps, err := br.stats(60 * time.Second)
	if err != nil {
		return
	}
	for _, t := range ps.LongTasks {
		b.vlogf("  %s: long task at %.0f ms: %.0f ms", c.Layout, t[0], t[1])
	}
	if len(ps.LongTasks) > 0 || ps.LongTaskError == "" {
		c.Longest, c.LongestAt = ps.longest()
		c.LoadLongest, c.AfterLongest = 0, 0
		for _, t := range ps.LongTasks {
			if math.IsNaN(c.LoadMs) || t[0] <= c.LoadMs {
				c.LoadLongest = max(c.LoadLongest, t[1])
			} else {
				c.AfterLongest = max(c.AfterLongest, t[1])
			}
		}
	}
	c.MaxGap, c.LongTaskErr = ps.MaxGap, ps.LongTaskError
	marks, err := evalJS[map[string][]float64](br, `(() => {
  const g = (n) => performance.getEntriesByName(n, "measure").map((e) => e.duration);
  return {compute: g("kl-compute"), edit: g("kl-edit")};
})()`, 30*time.Second)
	if err == nil {
		last := func(xs []float64) []float64 { return xs[max(0, len(xs)-len(c.Times)):] }
		c.AppCompute, c.AppEdit = last(marks["compute"]), last(marks["edit"])
	}
}
