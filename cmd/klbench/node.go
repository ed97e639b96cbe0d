//go:build !js

package main

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// nodeJS is the Node.js harness and the plain-JavaScript baseline.
//
//go:embed js/kldiv.cjs js/nodebench.cjs
var nodeJS embed.FS

// budgetWasmVsJS is the budget of row 4: × the JavaScript time.
const budgetWasmVsJS = 1.0

// nodeResult is what nodebench.cjs prints.
type nodeResult struct {
	N        int                      `json:"n"`
	Reps     int                      `json:"reps"`
	Warmup   int                      `json:"warmup"`
	Cases    map[string]nodeCase      `json:"cases"`
	Decode   map[string]nodeDecode    `json:"decode"`
	EditCost map[string][]editCostRun `json:"editCost"`
}

type nodeCase struct {
	Wasm      []float64 `json:"wasm"`
	JS        []float64 `json:"js"`
	WasmValue float64   `json:"wasmValue"`
	JSValue   float64   `json:"jsValue"`
}

type nodeDecode struct {
	Ms    []float64 `json:"ms"`
	Cells int       `json:"cells"`
	Err   string    `json:"err"`
}

// editCostRun is one run of wasmbench's editCost, in milliseconds.
type editCostRun struct {
	Parse      float64 `json:"parse"`
	Calculate  float64 `json:"calculate"`
	Frameworks float64 `json:"frameworks"`
	Eager      bool    `json:"eager"` // the app compares the libraries on an edit at this size (else on demand)
	Encode     float64 `json:"encode"`
	Err        string  `json:"err"`
}

// compute is the time of the recomputation of an edit, and what it is.
func (e editCostRun) compute() (float64, string) {
	if e.Eager {
		return e.Parse + e.Calculate + e.Frameworks, "parse, Calculate, CompareFrameworks"
	}
	return e.Parse + e.Calculate, "parse, Calculate"
}

// total is the non-UI work of an edit: recomputing, and writing the link.
func (e editCostRun) total() float64 {
	c, _ := e.compute()
	return c + e.Encode
}

// medianEditCost is the median of each part over the runs without an error.
func medianEditCost(runs []editCostRun) editCostRun {
	var out editCostRun
	var parse, calc, fw, enc []float64
	for _, r := range runs {
		if r.Err != "" {
			out.Err = r.Err
			continue
		}
		parse, calc, fw, enc = append(parse, r.Parse), append(calc, r.Calculate), append(fw, r.Frameworks), append(enc, r.Encode)
		out.Eager = r.Eager
	}
	out.Parse, out.Calculate, out.Frameworks, out.Encode = median(parse), median(calc), median(fw), median(enc)
	return out
}

// runNode builds cmd/klbench/wasmbench and runs the Node.js harness once:
// the compute cases of row 4, the decode times of row 5 and the edit costs
// that explain row 3.
func (b *bench) runNode() {
	b.logf("Node.js: building cmd/klbench/wasmbench and timing it against plain JavaScript")
	res, err := b.nodeBench()
	if err != nil {
		b.nodeErr = err.Error()
		return
	}
	b.node = res
	b.editCost = map[string]editCostRun{}
	for name, runs := range res.EditCost {
		b.editCost[name] = medianEditCost(runs)
	}
	b.logf("  done")
}

// nodeBench writes the harness, its configuration and the wasm to a
// folder, runs it and reads what it prints.
func (b *bench) nodeBench() (*nodeResult, error) {
	dir := filepath.Join(b.work, "node")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	for _, name := range []string{"kldiv.cjs", "nodebench.cjs"} {
		data, _ := nodeJS.ReadFile("js/" + name)
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return nil, err
		}
	}
	wasm := filepath.Join(dir, "wasmbench.wasm")
	if err := b.wasmBuild(wasm, "github.com/klcalc/klcalc/cmd/klbench/wasmbench"); err != nil {
		return nil, err
	}
	type link struct {
		Name     string `json:"name"`
		Fragment string `json:"fragment"`
	}
	cfg := struct {
		N            int    `json:"n"`
		Reps         int    `json:"reps"`
		Warmup       int    `json:"warmup"`
		DecodeReps   int    `json:"decodeReps"`
		EditCostReps int    `json:"editCostReps"`
		Decode       []link `json:"decode"`
		EditCost     []link `json:"editCost"`
	}{N: b.n.ComputeN, Reps: b.n.NodeReps, Warmup: b.n.NodeWarmup, DecodeReps: b.n.DecodeReps, EditCostReps: b.n.EditCostRep}
	if b.runs("5") {
		for _, f := range b.largeForms() {
			cfg.Decode = append(cfg.Decode, link{f.Name, f.Link})
		}
	}
	if b.runs("3") {
		for _, l := range editLayouts() {
			cfg.EditCost = append(cfg.EditCost, link{l.String(), b.input(l).Link})
		}
	}
	cj, _ := json.Marshal(cfg)
	cfgPath := filepath.Join(dir, "config.json")
	if err := os.WriteFile(cfgPath, cj, 0o644); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, b.cfg.Node, "nodebench.cjs", b.cfg.WasmExec, wasm, cfgPath)
	cmd.Dir = dir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("node nodebench.cjs: %v: %s", err, short(stderr.String(), 500))
	}
	var res nodeResult
	if err := json.Unmarshal(out, &res); err != nil {
		return nil, fmt.Errorf("reading the output of nodebench.cjs: %v", err)
	}
	return &res, nil
}

// ---- Row 4: compute throughput ----

func (b *bench) rowCompute() {
	b.logf("row 4: compute throughput (from the Node.js run)")
	if b.node == nil {
		msg := "the Node.js harness did not run"
		if b.nodeErr != "" {
			msg = b.nodeErr
		}
		b.problem("row 4: %s", msg)
		b.rep.Rows = append(b.rep.Rows, summaryRow{ID: "4", What: rowTitles["4"], Figure: "—", Baseline: "plain JS", Ratio: "—",
			Budget: "wasm ≤ 1.0× JS", Verdict: verdictError, Note: msg})
		return
	}
	res := b.node
	caseRatio := func(key string) float64 { c := res.Cases[key]; return ratio(median(c.Wasm), median(c.JS)) }
	cases := []struct {
		id, key, what string
		budget        bool
	}{
		{"4a", "klDiv", "compute.KLDiv, 10⁶ float64, input = log q, 'sum' (wasm in Node.js)", true},
		{"4b", "probLog", "probabilities → log q → KLDiv, 10⁶ float64 (wasm in Node.js)", true},
		{"4c", "fused", "the same sum as one plain Go loop, 10⁶ float64 (diagnostic)", false},
		{"4d", "logSum", "Σ log q alone, 10⁶ float64 (diagnostic: PyTorch's log as compute reproduces it, against Math.log)", false},
	}
	var lines [][]string
	for _, c := range cases {
		nc, ok := res.Cases[c.key]
		row := summaryRow{ID: c.id, What: c.what, Baseline: "—", Ratio: "—", Budget: "—", Verdict: verdictInfo}
		if c.budget {
			row.Budget = "wasm ≤ 1.0× JS"
		}
		if !ok {
			row.Verdict, row.Note = verdictError, "no result"
			b.rep.Rows = append(b.rep.Rows, row)
			continue
		}
		wm, jm := median(nc.Wasm), median(nc.JS)
		r := ratio(wm, jm)
		paired := median(pairedRatios(nc.Wasm, nc.JS))
		row.Figure = fmtMs(wm) + " wasm"
		row.Baseline = fmtMs(jm) + " plain JS"
		row.Ratio = fmtRatio(r) + fmt.Sprintf(" (JS/wasm %s)", fmtRatio(1/r))
		if c.budget {
			row.Verdict = atMost(r, budgetWasmVsJS)
		}
		if row.Verdict == verdictFail {
			row.Note = fmt.Sprintf("wasm %s against JavaScript's %s (median of the paired ratios %s): %s.", fmtMs(wm), fmtMs(jm), fmtRatio(paired), ratioGap(r, budgetWasmVsJS))
			row.Note += fmt.Sprintf(" Diagnostics of the same run: the same sum as one plain Go loop takes %s of JavaScript's time, "+
				"and a loop of logarithms alone %s (compute reproduces glibc's log bit for bit, with fused multiply-adds that wasm has to emulate; V8's Math.log is native code)",
				fmtRatio(caseRatio("fused")), fmtRatio(caseRatio("logSum")))
			if kr := ratio(median(res.Cases["fused"].Wasm), wm); !math.IsNaN(kr) && kr < 1 {
				row.Note += fmt.Sprintf("; KLDiv's own structure (validation, a function call per element, the 10⁶ terms stored, then summed in a second pass) is %.0f %% of its time", (1-kr)*100)
			}
			row.Note += ". So most of the gap is Go's wasm code against V8's JIT for the same loop, not the algorithm."
		}
		b.rep.Rows = append(b.rep.Rows, row)
		rel := math.Abs(nc.WasmValue-nc.JSValue) / math.Abs(nc.JSValue)
		lines = append(lines, []string{c.key, fmtMs(wm), fmtMs(jm), fmtRatio(r), fmtRatio(paired), fmtMsList(nc.Wasm), fmtMsList(nc.JS), fmt.Sprintf("%.1e", rel)})
	}
	sec := section{Title: "4. Compute throughput (wasm against plain JavaScript)", Method: fmt.Sprintf(`
One Node.js process (cmd/klbench/js/nodebench.cjs) loads the Go wasm cmd/klbench/wasmbench (built like the app:
GOOS=js GOARCH=wasm, -trimpath -ldflags="-s -w", the toolchain's wasm_exec.js) and the plain JavaScript baseline
cmd/klbench/js/kldiv.cjs: PyTorch's pointwise term xlogy(p, p) − p·log q with compute's special cases and the
same Neumaier compensated sum (non-finite terms summed apart), as one loop over Float64Arrays. Both get the same
%s random probabilities (p, q; log q precomputed for the kernel), copied into Go once. *klDiv* is
compute.KLDiv(input = log q, target = p, 'sum', float64); *probLog* computes log q from q first with compute's
own logarithm (what Calculate does for probabilities, without its explanations), against the same in JavaScript
with Math.log; *fused* is the JavaScript loop written in Go (with compute.Xlogy), to tell Go's wasm code from
KLDiv's structure; *logSum* is Σ log q alone (PyTorch's log as compute reproduces it, against Math.log). %d warm-up calls each, then %d timed calls of each,
alternating wasm and JavaScript and which goes first (ABBA…), timed with performance.now() around the call.
Ratio: median wasm time over median JavaScript time (budget: ≤ 1.0).`, group(res.N), res.Warmup, res.Reps)}
	sec.Lines = table([]string{"case", "wasm (median)", "JS (median)", "wasm/JS", "paired median", "wasm samples (ms)", "JS samples (ms)", "relative difference of the sums"}, lines)
	b.rep.Sections = append(b.rep.Sections, sec)
}
