//go:build !js

package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/klcalc/klcalc/app"
)

// largeN is the number of values per side of row 5.
const largeN = 100_000

// largeForm is one way of writing a 100 000-value share link.
type largeForm struct {
	Name     string
	Fragment string
	P, Q     [][]string // the cells it holds
}

// largeForms returns the links of row 5: the readable format of the README
// as one row and as 100 rows, and the links the app itself writes (State.Encode,
// which may compress) for the short cells and for full-precision cells.
func (b *bench) largeForms() []largeForm {
	if b.forms != nil {
		return b.forms
	}
	one := b.input(layout{1, largeN})
	batch := b.input(layout{100, largeN / 100})
	forms := []largeForm{
		{Name: "readable, 1 row of 100 000", Fragment: one.Fragment, P: one.P, Q: one.Q},
		{Name: "readable, 100 rows of 1 000", Fragment: batch.Fragment, P: batch.P, Q: batch.Q},
	}
	if st, err := app.DecodeState(one.Fragment); err == nil {
		if enc := st.Encode(); enc != one.Fragment {
			forms = append(forms, largeForm{Name: "written by the app (State.Encode), 1 row of 100 000", Fragment: enc, P: one.P, Q: one.Q})
		}
	} else {
		b.problem("row 5: decoding the generated link: %v", err)
	}
	rng := rand.New(rand.NewPCG(b.cfg.Seed, 17))
	fp, fq := fullPrecisionRows(rng, 1, largeN), fullPrecisionRows(rng, 1, largeN)
	full := shareFragment(fp, fq)
	if st, err := app.DecodeState(full); err == nil {
		forms = append(forms, largeForm{Name: "written by the app, full-precision cells, 1 row of 100 000", Fragment: st.Encode(), P: fp, Q: fq})
	}
	b.forms = forms
	return forms
}

func (b *bench) rowLargeShares() {
	b.logf("row 5: large shares (%d values per side)", largeN)
	forms := b.largeForms()

	// Native decode, interleaved over the forms.
	native := make([][]float64, len(forms))
	decodeErr := make([]string, len(forms))
	for r := 0; r < b.n.DecodeReps; r++ {
		for i, f := range forms {
			t0 := time.Now()
			st, err := app.DecodeState(f.Fragment)
			native[i] = append(native[i], float64(time.Since(t0).Nanoseconds())/1e6)
			if err != nil {
				decodeErr[i] = err.Error()
			} else if !sameCells(st.P, f.P) || !sameCells(st.Q, f.Q) {
				decodeErr[i] = "the decoded cells differ from the link's"
			}
		}
	}

	// Browser loads, in a fresh profile each, the order rotating.
	loads := make([][]float64, len(forms))
	longest := make([][]float64, len(forms))
	loadErr := make([]string, len(forms))
	for r := 0; r < b.n.LargeLoads; r++ {
		for k := range forms {
			i := (k + r) % len(forms)
			f := forms[i]
			b.alive(&b.app)
			url := b.app.URL + "#" + f.Fragment
			if len(url) > chromeURLMax {
				loadErr[i] = fmt.Sprintf("the URL is %s bytes, over Chromium's limit of %s: it cannot be opened", group(len(url)), group(chromeURLMax))
				continue
			}
			ps, err := b.coldLoad(url, 180*time.Second)
			if err != nil {
				loadErr[i] = err.Error()
				b.problem("row 5, %s, load %d: %v", f.Name, r+1, err)
				continue
			}
			d, _ := ps.longest()
			loads[i] = append(loads[i], ps.Ready)
			longest[i] = append(longest[i], d)
			b.vlogf("  %s: %.0f ms, longest task %.0f ms", f.Name, ps.Ready, d)
		}
	}

	// Wasm decode, from the Node.js run.
	wasmMs := make([]float64, len(forms))
	wasmErr := make([]string, len(forms))
	for i, f := range forms {
		wasmMs[i] = math.NaN()
		if b.node == nil {
			wasmErr[i] = "the Node.js harness did not run: " + b.nodeErr
			continue
		}
		d, ok := b.node.Decode[f.Name]
		switch {
		case !ok:
			wasmErr[i] = "no result"
		case d.Err != "":
			wasmErr[i] = d.Err
		case d.Cells != 2*largeN:
			wasmErr[i] = fmt.Sprintf("decoded %d cells, not %d", d.Cells, 2*largeN)
		}
		if ok {
			wasmMs[i] = median(d.Ms)
		}
	}

	// Summary rows: the decode budget for the readable and the app's link.
	for i, f := range forms {
		if i == 1 || strings.Contains(f.Name, "full-precision") {
			continue // in the details
		}
		id := "5a"
		if i > 0 {
			id = "5b"
		}
		row := summaryRow{ID: id, What: "Decode a 100 000-value link, " + f.Name + ": app.DecodeState in wasm (Node.js)",
			Figure: fmtMs(wasmMs[i]), Baseline: fmtMs(median(native[i])) + " native (Go, amd64)", Ratio: "—", Budget: "≤ 1 s"}
		row.Verdict = atMost(wasmMs[i], budgetDecodeMs)
		if wasmErr[i] != "" {
			row.Verdict, row.Note = verdictError, wasmErr[i]
		} else if row.Verdict == verdictFail {
			row.Note = msGap(wasmMs[i], budgetDecodeMs)
		}
		b.rep.Rows = append(b.rep.Rows, row)
	}
	for i, f := range forms {
		if i == 1 || strings.Contains(f.Name, "full-precision") {
			continue
		}
		id := "5c"
		if i > 0 {
			id = "5d"
		}
		m := median(loads[i])
		row := summaryRow{ID: id, What: "Navigation → #result, 100 000-value link, " + f.Name, Figure: fmtMs(m) + fmt.Sprintf(" (longest task %s)", fmtMs(median(longest[i]))),
			Baseline: "—", Ratio: "—", Budget: "—", Verdict: verdictInfo}
		if !math.IsNaN(b.appCold) {
			row.Baseline = fmtMs(b.appCold) + " (default link, row 2)"
			row.Ratio = fmtRatio(ratio(m, b.appCold))
		}
		if len(loads[i]) == 0 {
			row.Verdict, row.Note = verdictError, loadErr[i]
		}
		b.rep.Rows = append(b.rep.Rows, row)
	}
	b.rep.Rows = append(b.rep.Rows, b.roundTrip(forms[0]))
	for i, f := range forms {
		if strings.Contains(f.Name, "full-precision") && len(b.app.URL)+1+len(f.Fragment) > chromeURLMax {
			b.rep.Rows = append(b.rep.Rows, summaryRow{ID: "5f", What: "Link the app writes for 100 000 full-precision values",
				Figure: group(len(f.Fragment)) + " bytes", Baseline: group(chromeURLMax) + " (Chromium's URL limit)",
				Ratio: fmtRatio(ratio(float64(len(f.Fragment)), chromeURLMax)), Budget: "—", Verdict: verdictInfo,
				Note: loadErr[i]})
		}
	}

	sec := section{Title: "5. Large shares", Method: fmt.Sprintf(`
Links of %s values per side (P and Q): the readable format of the README (cells of 3 to 5 significant digits,
as in row 3) as one row and as 100 rows, and the link the app itself writes for that state (app.State.Encode,
which compresses long links), also for full-precision cells (Go's shortest float64 text, ~19 characters, as the
app writes pasted numbers). *Decode* is app.DecodeState timed natively in this process and in the wasm of row 4
run by Node.js (inside Go, %d runs each, interleaved; medians); the decoded cells are checked against the link's.
*Load* is a fresh Chromium profile navigating to the link, until #result has a data-value (%d per link; medians).
*Round trip*: after the readable 1-row link loaded, one Q cell is edited; the fragment the app then writes
(location.hash) is decoded natively and must hold every other cell unchanged.`, group(largeN), b.n.DecodeReps, b.n.LargeLoads)}
	var rows [][]string
	for i, f := range forms {
		load := fmtMs(median(loads[i]))
		if loadErr[i] != "" && len(loads[i]) == 0 {
			load = "— (" + loadErr[i] + ")"
		}
		nat := fmtMs(median(native[i]))
		if decodeErr[i] != "" {
			nat += " (" + decodeErr[i] + ")"
		}
		wm := fmtMs(wasmMs[i])
		if wasmErr[i] != "" {
			wm += " (" + wasmErr[i] + ")"
		}
		rows = append(rows, []string{f.Name, group(len(f.Fragment)), nat, wm, load, fmtMs(median(longest[i]))})
	}
	sec.Lines = table([]string{"link", "fragment bytes", "decode, native", "decode, wasm (Node.js)", "navigation → #result", "longest task"}, rows)
	b.rep.Sections = append(b.rep.Sections, sec)
}

// roundTrip opens the link, edits one cell and checks that the link the app
// writes holds the same state.
func (b *bench) roundTrip(f largeForm) summaryRow {
	row := summaryRow{ID: "5e", What: "Round trip of a 100 000-value state through the URL the app writes", Figure: "—", Baseline: "—", Ratio: "—",
		Budget: "identical cells", Verdict: verdictError}
	b.alive(&b.app)
	br, err := newChrome(b.ctx, b.chrome, instrumentScript)
	if err != nil {
		row.Note = err.Error()
		return row
	}
	defer br.close()
	if _, err := br.loadAndWait(b.app.URL+"#"+f.Fragment, 180*time.Second); err != nil {
		row.Note = "load: " + err.Error()
		return row
	}
	vals, err := editValues(f.Q[0][0], 1)
	if err != nil {
		row.Note = err.Error()
		return row
	}
	if _, err := br.edit("Q-r0-c0", vals[0], 60*time.Second); err != nil {
		row.Note = "edit: " + err.Error()
		return row
	}
	// The app may write the link of a large state a moment later: wait
	// for the fragment to change.
	var hash string
	deadline := time.Now().Add(60 * time.Second)
	for {
		hash, err = evalJS[string](br, `location.hash.slice(1)`, 60*time.Second)
		if err != nil {
			row.Note = "reading location.hash: " + err.Error()
			return row
		}
		if hash != f.Fragment {
			break
		}
		if time.Now().After(deadline) {
			row.Verdict = verdictFail
			row.Note = "the app did not rewrite the link within 60 s of the edit"
			return row
		}
		time.Sleep(100 * time.Millisecond)
	}
	st, err := app.DecodeState(hash)
	if err != nil {
		row.Note = fmt.Sprintf("the app's link (%s bytes) does not decode: %v", group(len(hash)), err)
		row.Verdict = verdictFail
		return row
	}
	want := slices.Clone(f.Q[0])
	want[0] = vals[0]
	row.Figure = fmt.Sprintf("the app's link: %s bytes", group(len(hash)))
	if sameCells(st.P, f.P) && sameCells(st.Q, [][]string{want}) {
		row.Verdict = verdictPass
		row.Figure += ", all 200 000 cells identical"
		return row
	}
	row.Verdict = verdictFail
	row.Note = fmt.Sprintf("the state decoded from the app's link differs: P %d×%d, Q %d×%d", len(st.P), lenRow(st.P), len(st.Q), lenRow(st.Q))
	return row
}

func lenRow(rows [][]string) int {
	if len(rows) == 0 {
		return 0
	}
	return len(rows[0])
}

func sameCells(a, b [][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !slices.Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}
