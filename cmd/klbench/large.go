//go:build !js

package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/klcalc/klcalc/app"
)

const (
	largeN         = 100_000 // values per side of row 5
	budgetDecodeMs = 1000.0  // of app.DecodeState in wasm, row 5
	chromeURLMax   = 2 << 20 // Chromium's url::kMaxURLChars
)

// largeForm is one way of writing a 100 000-value share link.
type largeForm struct {
	Name   string
	Link   string
	P, Q   [][]string // the cells it holds
	decode string     // its summary rows: the decode (5a, 5b) and the load (5c, 5d), or "" for the details only
	load   string
}

// largeForms returns the links of row 5: the readable format of the README
// as one row and as 100 rows, and the links the app itself writes
// (State.Encode, which compresses long links) for those short cells and
// for full-precision cells.
func (b *bench) largeForms() []largeForm {
	if b.forms != nil {
		return b.forms
	}
	one := b.input(layout{1, largeN})
	batch := b.input(layout{100, largeN / 100})
	rng := rand.New(rand.NewPCG(b.cfg.Seed, 17))
	full := app.State{P: fullPrecisionRows(rng, 1, largeN), Q: fullPrecisionRows(rng, 1, largeN)}
	b.forms = []largeForm{
		{Name: "readable, " + one.Layout.String(), Link: one.Link, P: one.State.P, Q: one.State.Q, decode: "5a", load: "5c"},
		{Name: "readable, " + batch.Layout.String(), Link: batch.Link, P: batch.State.P, Q: batch.State.Q},
		{Name: "written by the app (State.Encode), 1 row of 100 000", Link: one.State.Encode(), P: one.State.P, Q: one.State.Q, decode: "5b", load: "5d"},
		{Name: "written by the app, full-precision cells, 1 row of 100 000", Link: full.Encode(), P: full.P, Q: full.Q},
	}
	return b.forms
}

// sameCells reports whether two grids hold the same text.
func sameCells(a, b [][]string) bool { return slices.EqualFunc(a, b, slices.Equal[[]string]) }

func (b *bench) rowLargeShares() {
	b.logf("row 5: large shares (%s values per side)", group(largeN))
	forms := b.largeForms()
	full := forms[len(forms)-1]

	// Native decode, interleaved over the forms.
	native := make([][]float64, len(forms))
	decodeErr := make([]string, len(forms))
	for range b.n.DecodeReps {
		for i, f := range forms {
			t0 := time.Now()
			st, err := app.DecodeState(f.Link)
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
	for r := range b.n.LargeLoads {
		for k := range forms {
			i := (k + r) % len(forms)
			url := b.app.URL + "/#" + forms[i].Link
			if len(url) > chromeURLMax {
				loadErr[i] = fmt.Sprintf("the URL is %s bytes, over Chromium's limit of %s: it cannot be opened", group(len(url)), group(chromeURLMax))
				continue
			}
			ps, err := b.coldLoad(url, 180*time.Second)
			if err != nil {
				loadErr[i] = err.Error()
				b.problem("row 5, %s, load %d: %v", forms[i].Name, r+1, err)
				continue
			}
			d, _ := ps.longest()
			loads[i] = append(loads[i], ps.Ready)
			longest[i] = append(longest[i], d)
			b.vlogf("  %s: %.0f ms, longest task %.0f ms", forms[i].Name, ps.Ready, d)
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

	// Summary rows: the decode budget and the load of the readable link and
	// the app's, the round trip, and the size of the full-precision link.
	var decodeRows, loadRows []summaryRow
	for i, f := range forms {
		if f.decode == "" {
			continue
		}
		row := summaryRow{ID: f.decode, What: "Decode a 100 000-value link, " + f.Name + ": app.DecodeState in wasm (Node.js)",
			Figure: fmtMs(wasmMs[i]), Baseline: fmtMs(median(native[i])) + " native (Go, amd64)", Ratio: "—", Budget: "≤ 1 s",
			Verdict: atMost(wasmMs[i], budgetDecodeMs)}
		if wasmErr[i] != "" {
			row.Verdict, row.Note = verdictError, wasmErr[i]
		} else if row.Verdict == verdictFail {
			row.Note = msGap(wasmMs[i], budgetDecodeMs)
		}
		decodeRows = append(decodeRows, row)
		m := median(loads[i])
		row = summaryRow{ID: f.load, What: "Navigation → #result, 100 000-value link, " + f.Name, Figure: fmtMs(m) + fmt.Sprintf(" (longest task %s)", fmtMs(median(longest[i]))),
			Baseline: "—", Ratio: "—", Budget: "—", Verdict: verdictInfo}
		if !math.IsNaN(b.appCold) {
			row.Baseline = fmtMs(b.appCold) + " (default link, row 2)"
			row.Ratio = fmtRatio(ratio(m, b.appCold))
		}
		if len(loads[i]) == 0 {
			row.Verdict, row.Note = verdictError, loadErr[i]
		}
		loadRows = append(loadRows, row)
	}
	b.rep.Rows = append(b.rep.Rows, decodeRows...)
	b.rep.Rows = append(b.rep.Rows, loadRows...)
	b.rep.Rows = append(b.rep.Rows, b.roundTrip(forms[0]), summaryRow{ID: "5f", What: "Link the app writes for 100 000 full-precision values",
		Figure: group(len(full.Link)) + " bytes", Baseline: group(chromeURLMax) + " (Chromium's URL limit)",
		Ratio: fmtRatio(ratio(float64(len(full.Link)), chromeURLMax)), Budget: "—", Verdict: verdictInfo})

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
		rows = append(rows, []string{f.Name, group(len(f.Link)), nat, wm, load, fmtMs(median(longest[i]))})
	}
	sec.Lines = table([]string{"link", "fragment bytes", "decode, native", "decode, wasm (Node.js)", "navigation → #result", "longest task"}, rows)
	b.rep.Sections = append(b.rep.Sections, sec)
}

// roundTrip opens the link, edits one cell and checks that the link the app
// writes holds the same state.
func (b *bench) roundTrip(f largeForm) summaryRow {
	row := summaryRow{ID: "5e", What: "Round trip of a 100 000-value state through the URL the app writes", Figure: "—", Baseline: "—", Ratio: "—",
		Budget: "identical cells", Verdict: verdictError}
	br, err := newChrome(b.ctx, b.cfg.Chrome)
	if err != nil {
		row.Note = err.Error()
		return row
	}
	defer br.close()
	if _, err := br.loadAndWait(b.app.URL+"/#"+f.Link, 180*time.Second); err != nil {
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
		if hash != f.Link {
			break
		}
		if time.Now().After(deadline) {
			row.Verdict = verdictFail
			row.Note = "the app did not rewrite the link within 60 s of the edit"
			return row
		}
		time.Sleep(100 * time.Millisecond)
	}
	row.Verdict = verdictFail
	st, err := app.DecodeState(hash)
	if err != nil {
		row.Note = fmt.Sprintf("the app's link (%s bytes) does not decode: %v", group(len(hash)), err)
		return row
	}
	want := slices.Clone(f.Q[0])
	want[0] = vals[0]
	row.Figure = fmt.Sprintf("the app's link: %s bytes", group(len(hash)))
	if !sameCells(st.P, f.P) || !sameCells(st.Q, [][]string{want}) {
		row.Note = fmt.Sprintf("the state decoded from the app's link differs: P %d×%d, Q %d×%d", len(st.P), len(st.P[0]), len(st.Q), len(st.Q[0]))
		return row
	}
	row.Verdict = verdictPass
	row.Figure += ", all 200 000 cells identical"
	return row
}
