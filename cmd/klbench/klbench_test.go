//go:build !js

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/klcalc/klcalc/app"
	"github.com/klcalc/klcalc/compute"
	"github.com/klcalc/klcalc/compute/textparse"
)

// These tests cover the parts of the harness that need no browser: the
// generated links, the statistics, the results file, the counting proxy,
// and (when Node.js is installed) the JavaScript baseline's agreement with
// package compute.

func TestFormatUnits(t *testing.T) {
	for _, c := range []struct {
		k    int64
		d    int
		want string
	}{
		{1234, 8, "1234e-8"},
		{3333, 4, "0.3333"},
		{1000, 8, "1e-5"},
		{10000, 4, "1"},
		{5, 1, "0.5"},
		{12, 1, "1.2"},
		{0, 3, "0"},
		{1500, 6, "15e-4"},
		{15, 3, "0.015"},
		{15, 5, "15e-5"},
	} {
		if got := formatUnits(c.k, c.d); got != c.want {
			t.Errorf("formatUnits(%d, %d) = %q, want %q", c.k, c.d, got, c.want)
		}
		// Whatever the form, it is the number k·10^-d.
		got, ok := new(big.Rat).SetString(formatUnits(c.k, c.d))
		want := new(big.Rat).SetFrac(big.NewInt(c.k), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(c.d)), nil))
		if !ok || got.Cmp(want) != 0 {
			t.Errorf("formatUnits(%d, %d) = %q is not %v", c.k, c.d, formatUnits(c.k, c.d), want)
		}
	}
}

func TestUnitDigits(t *testing.T) {
	for cols, want := range map[int]int{1: 3, 3: 4, 10: 4, 11: 5, 1000: 6, 100_000: 8} {
		if got := unitDigits(cols); got != want {
			t.Errorf("unitDigits(%d) = %d, want %d", cols, got, want)
		}
	}
}

// Every row of a generated input sums to exactly 1 in decimal, with
// positive, short cells.
func TestDecimalRowsSumToOne(t *testing.T) {
	for _, l := range []layout{{1, 3}, {100, 10}, {1, 1000}, {1, 100_000}} {
		in := newBenchInput(l, 5)
		maxLen := 0
		for _, rows := range [][][]string{in.State.P, in.State.Q} {
			if len(rows) != l.Rows {
				t.Fatalf("%v: %d rows", l, len(rows))
			}
			for i, r := range rows {
				if len(r) != l.Cols {
					t.Fatalf("%v: row %d has %d cells", l, i, len(r))
				}
				sum := new(big.Rat)
				for _, c := range r {
					v, ok := new(big.Rat).SetString(c)
					if !ok || v.Sign() <= 0 {
						t.Fatalf("%v: cell %q is not a positive number", l, c)
					}
					sum.Add(sum, v)
					maxLen = max(maxLen, len(c))
				}
				if sum.Cmp(big.NewRat(1, 1)) != 0 {
					t.Errorf("%v: row %d sums to %s", l, i, sum.FloatString(12))
				}
			}
		}
		if maxLen > 7 {
			t.Errorf("%v: cells up to %d characters, want ≤ 7", l, maxLen)
		}
	}
}

func TestInputsAreReproducible(t *testing.T) {
	a, b := newBenchInput(layout{100, 10}, 5), newBenchInput(layout{100, 10}, 5)
	if a.Link != b.Link {
		t.Error("the same seed gave two different links")
	}
	if c := newBenchInput(layout{100, 10}, 6); c.Link == a.Link {
		t.Error("another seed gave the same link")
	}
}

// The links are the app's own, in its readable form (what it writes
// before compressing), and are what it reads: DecodeState returns the
// cells, without error, and a 100 000-value link fits Chromium's URL limit.
func TestReadableLink(t *testing.T) {
	for _, l := range []layout{{1, 3}, {100, 10}, {1, 100_000}, {100, 1000}} {
		in := newBenchInput(l, 5)
		want := "p=" + strings.Join(in.State.P[0], ",")
		if !strings.HasPrefix(in.Link, want) || !strings.Contains(in.Link, "&q=") || !strings.HasSuffix(in.Link, "&reduction=batchmean&p_as=prob&q_as=prob&dtype=float32&dims="+fmt.Sprint(min(l.Rows, 2))) {
			t.Errorf("%v: link %.60q…%q", l, in.Link, in.Link[max(0, len(in.Link)-70):])
		}
		enc := in.State.Encode()
		if l.N() == 3 && enc != in.Link {
			t.Errorf("%v: the app writes %q, the readable link is %q", l, enc, in.Link)
		}
		if l.N() > 3 && (!strings.HasPrefix(enc, "z=1") || len(enc) >= len(in.Link)) {
			t.Errorf("%v: the app's link %.20q… (%d bytes) is not compressed from %d", l, enc, len(enc), len(in.Link))
		}
		for _, link := range []string{in.Link, enc} {
			st, err := app.DecodeState(link)
			if err != nil {
				t.Fatalf("%v: DecodeState: %v", l, err)
			}
			if !sameCells(st.P, in.State.P) || !sameCells(st.Q, in.State.Q) {
				t.Errorf("%v: decoded cells differ", l)
			}
		}
		if n := len("http://127.0.0.1:65535/#" + in.Link); n > chromeURLMax {
			t.Errorf("%v: URL of %d bytes, over Chromium's %d", l, n, chromeURLMax)
		}
	}
}

func TestLayouts(t *testing.T) {
	if got := layoutsFor(3); len(got) != 1 || got[0] != (layout{1, 3}) {
		t.Errorf("layoutsFor(3) = %v", got)
	}
	got := layoutsFor(1000)
	if len(got) != 2 || got[0] != (layout{1, 1000}) || got[1] != (layout{100, 10}) {
		t.Errorf("layoutsFor(1000) = %v", got)
	}
	if s := (layout{100, 1000}).String(); s != "100 rows of 1 000" {
		t.Errorf("String = %q", s)
	}
	if s := (layout{1, 100_000}).String(); s != "1 row of 100 000" {
		t.Errorf("String = %q", s)
	}
}

func TestEditValues(t *testing.T) {
	vs, err := editValues("1234e-8", 5)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"6.17e-06", "2.468e-05", "6.17e-06", "2.468e-05", "6.17e-06"}
	for i := range want {
		if vs[i] != want[i] {
			t.Errorf("editValues = %q, want %q", vs, want)
			break
		}
	}
	for i := 1; i < len(vs); i++ {
		if vs[i] == vs[i-1] {
			t.Errorf("edits %d and %d are equal: %q", i, i+1, vs[i])
		}
	}
	for _, bad := range []string{"0", "-1", "x", "inf"} {
		if _, err := editValues(bad, 2); err == nil {
			t.Errorf("editValues(%q) did not fail", bad)
		}
	}
}

func TestGroup(t *testing.T) {
	for n, want := range map[int]string{0: "0", 3: "3", 999: "999", 1000: "1 000", 10_000: "10 000", 100_000: "100 000", 1_234_567: "1 234 567", -1000: "-1 000", -100: "-100"} {
		if got := group(n); got != want {
			t.Errorf("group(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestPercentile(t *testing.T) {
	xs := []float64{10, 1, 9, 2, 8, 3, 7, 4, 6, 5}
	for _, c := range []struct{ p, want float64 }{{0, 1}, {50, 5.5}, {95, 9.55}, {100, 10}, {25, 3.25}} {
		if got := percentile(xs, c.p); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("percentile(%v) = %v, want %v", c.p, got, c.want)
		}
	}
	if xs[0] != 10 {
		t.Error("percentile sorted its argument")
	}
	if got := median([]float64{3, 1, 2}); got != 2 {
		t.Errorf("median = %v", got)
	}
	if got := median([]float64{math.NaN(), 4, 2}); got != 3 {
		t.Errorf("median ignoring NaN = %v", got)
	}
	if !math.IsNaN(median(nil)) || !math.IsNaN(percentile([]float64{math.NaN()}, 95)) {
		t.Error("median of nothing is not NaN")
	}
	if got := percentile([]float64{7}, 95); got != 7 {
		t.Errorf("percentile of one value = %v", got)
	}
}

func TestRatio(t *testing.T) {
	if got := ratio(3, 2); got != 1.5 {
		t.Errorf("ratio = %v", got)
	}
	for _, c := range [][2]float64{{1, 0}, {math.NaN(), 1}, {1, math.NaN()}, {1, -1}} {
		if !math.IsNaN(ratio(c[0], c[1])) {
			t.Errorf("ratio(%v, %v) is not NaN", c[0], c[1])
		}
	}
	got := pairedRatios([]float64{2, 6, 9}, []float64{1, 3})
	if len(got) != 2 || got[0] != 2 || got[1] != 2 {
		t.Errorf("pairedRatios = %v", got)
	}
	if got := maxOf([]float64{1, 5, 2}); got != 5 {
		t.Errorf("maxOf = %v", got)
	}
	if d := diff([]float64{5, 7}, []float64{1, 2, 3}); len(d) != 2 || d[0] != 4 || d[1] != 5 {
		t.Errorf("diff = %v", d)
	}
}

func TestAtMost(t *testing.T) {
	if atMost(1.1, 1.1) != verdictPass || atMost(1.11, 1.1) != verdictFail || atMost(math.NaN(), 1) != verdictError {
		t.Error("atMost")
	}
}

func TestFormatting(t *testing.T) {
	for _, c := range []struct {
		got, want string
	}{
		{fmtMs(math.NaN()), "—"},
		{fmtMs(3.14159), "3.14 ms"},
		{fmtMs(16.04), "16.0 ms"},
		{fmtMs(123.4), "123 ms"},
		{fmtMs(12345), "12.3 s"},
		{fmtBytes(999), "999 B"},
		{fmtBytes(1_643_210), "1 643 210 B (1.64 MB)"},
		{fmtBytes(2087), "2 087 B (2.1 kB)"},
		{fmtRatio(1.1534), "1.15×"},
		{fmtRatio(math.NaN()), "—"},
		{fmtMsList([]float64{1.25, 250, math.NaN()}), "1.2, 250, timeout"},
		{ratioGap(1.15, 1.1), "1.15× against ≤ 1.10×: 4.5 % over the budget"},
		{msGap(32, 16), "32.0 ms against ≤ 16.0 ms (2.0× the budget)"},
		{cell("a|b\nc"), `a\|b c`},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

func TestReportMarkdown(t *testing.T) {
	r := &report{
		Date:    time.Date(2026, 1, 2, 3, 4, 0, 0, time.UTC),
		Quick:   true,
		Command: "go run ./cmd/klbench -quick",
		Elapsed: 95 * time.Second,
		Machine: machine{CPU: "Test CPU", Cores: 2, OS: "Linux 6", Go: "go1.26.8", Chromium: "Chromium 150", Node: "v20"},
		Rows: []summaryRow{
			{ID: "1", What: "Transfer", Figure: "1.8 MB", Baseline: "1.4 MB", Ratio: "1.26×", Budget: "≤ 1.10×", Verdict: verdictFail, Note: "the wasm | is bigger"},
			{ID: "2", What: "Cold load", Figure: "1 s", Baseline: "0.9 s", Ratio: "1.1×", Budget: "≤ 1.25×", Verdict: verdictPass},
			{ID: "3a", What: "Edit, 3", Figure: "p95 20 ms", Baseline: "—", Ratio: "—", Budget: "—", Verdict: verdictInfo},
			{ID: "3f", What: "Edit, 100 000", Figure: "—", Budget: "no freeze", Verdict: verdictError, Note: "load timed out"},
			{ID: "4", What: "Compute", Verdict: verdictSkipped},
		},
		Sections: []section{{Title: "1. Transfer", Method: "How.\n", Lines: table([]string{"a", "b"}, [][]string{{"x|y", "z"}})}},
		Problems: []string{"something | failed"},
	}
	md := r.markdown()
	for _, want := range []string{
		"# Performance results (issue 5)",
		"`go run ./cmd/klbench -quick`",
		"- Date: 2026-01-02 03:04 UTC",
		"**quick**",
		"Test CPU, 2 logical cores, Linux 6",
		"go1.26.8 · Chromium 150 · Node.js v20",
		"| # | What | Measured | Baseline (same run) | Ratio | Budget | Result |",
		"| 1 | Transfer | 1.8 MB | 1.4 MB | 1.26× | ≤ 1.10× | **FAIL** |",
		"| 2 | Cold load | 1 s | 0.9 s | 1.1× | ≤ 1.25× | PASS |",
		"| 3a | Edit, 3 | p95 20 ms | — | — | — | info |",
		"| 4 | Compute |",
		"not run |",
		"### Budgets missed",
		"- **#1 Transfer**: the wasm | is bigger",
		"### Not measured",
		"- **#3f Edit, 100 000**: load timed out",
		"## 1. Transfer\n\nHow.\n\n| a | b |\n|---|---|\n| x\\|y | z |\n",
		"## Problems during the run\n\n- something \\| failed",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	r.Rows = r.Rows[1:3]
	if md := r.markdown(); !strings.Contains(md, "Every measured figure is within its budget.") || strings.Contains(md, "Budgets missed") {
		t.Errorf("a run without a miss:\n%s", md)
	}
}

func TestSummarize(t *testing.T) {
	s := summarize([]fetch{
		{Path: "/", Status: 200, Encoding: "br", Dest: "document", Bytes: 2000},
		{Path: "/web/app.1.wasm", Status: 200, Encoding: "br", Dest: "empty", Bytes: 1_000_000},
		{Path: "/", Status: 304, Dest: "empty"},
		{Path: "/web/icon.png", Status: 200, Dest: "image", Bytes: 500},
		{Path: "/web/icon.png", Status: 200, Dest: "empty", Bytes: 500},
	})
	if s.Total != 1_003_000 || s.Requests != 5 || len(s.Files) != 3 {
		t.Fatalf("summarize = %+v", s)
	}
	if f := s.Files[0]; f.Path != "/" || f.Fetches != 2 || f.Bodies != 1 || f.Encodings != "304, br" || f.Dests != "document, empty" {
		t.Errorf("index: %+v", f)
	}
	if f := s.Files[2]; f.Encodings != "identity" || f.Bodies != 2 {
		t.Errorf("icon: %+v", f)
	}
	if got := wasmBytes(s); got != 1_000_000 {
		t.Errorf("wasmBytes = %d", got)
	}
	if got := duplicated(s); got != 500 {
		t.Errorf("duplicated = %d", got)
	}
	lines := fileTable(s, s)
	if !strings.Contains(strings.Join(lines, "\n"), "`/web/app.<hash>.wasm`") {
		t.Errorf("fileTable:\n%s", strings.Join(lines, "\n"))
	}
}

// The counting proxy passes responses through unchanged (compressed
// bodies stay compressed) and counts their bytes.
func TestCountingProxy(t *testing.T) {
	body := strings.Repeat("x", 1234)
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Accept-Encoding") != "br" {
			t.Errorf("Accept-Encoding %q reached the server", r.Header.Get("Accept-Encoding"))
		}
		w.Header().Set("Content-Encoding", "br")
		io.WriteString(w, body)
	}))
	defer backend.Close()
	p, err := newCountingProxy(backend.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer p.close()
	req, _ := http.NewRequest("GET", p.URL+"web/x.js", nil)
	req.Header.Set("Accept-Encoding", "br")
	req.Header.Set("Sec-Fetch-Dest", "script")
	res, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if string(got) != body || res.Header.Get("Content-Encoding") != "br" {
		t.Errorf("body of %d bytes, Content-Encoding %q", len(got), res.Header.Get("Content-Encoding"))
	}
	p.waitIdle(0, time.Second)
	fs := p.snapshot()
	if len(fs) != 1 || fs[0] != (fetch{Path: "/web/x.js", Status: 200, Encoding: "br", Dest: "script", Bytes: 1234}) {
		t.Errorf("fetches = %+v", fs)
	}
	p.reset()
	if len(p.snapshot()) != 0 {
		t.Error("reset kept fetches")
	}
}

func TestMedianEditCost(t *testing.T) {
	got := medianEditCost([]editCostRun{
		{Parse: 1, Calculate: 10, Frameworks: 3, Encode: 5, Eager: true},
		{Parse: 3, Calculate: 30, Frameworks: 1, Encode: 4, Eager: true},
		{Parse: 2, Calculate: 20, Frameworks: 2, Encode: 6, Eager: true},
		{Err: "broken"},
	})
	if got.Parse != 2 || got.Calculate != 20 || got.Frameworks != 2 || got.Encode != 5 || !got.Eager || got.total() != 29 || got.Err != "broken" {
		t.Errorf("medianEditCost = %+v", got)
	}
	// Above the app's threshold the libraries are compared on demand, not
	// on an edit.
	got.Eager = false
	if c, what := got.compute(); c != 22 || got.total() != 27 || strings.Contains(what, "CompareFrameworks") {
		t.Errorf("not eager: compute %v (%s), total %v", c, what, got.total())
	}
}

func TestParseConfig(t *testing.T) {
	c, err := parseConfig([]string{"-quick", "-only", "1, 4"}, io.Discard)
	if err != nil || !c.Quick || !c.Only["1"] || !c.Only["4"] || len(c.Only) != 2 {
		t.Errorf("parseConfig = %+v, %v", c, err)
	}
	for _, bad := range [][]string{{"-only", "8"}, {"-only", "12"}, {"extra"}, {"-nope"}} {
		if _, err := parseConfig(bad, io.Discard); err != errUsage {
			t.Errorf("parseConfig(%q) = %v, want a usage error", bad, err)
		}
	}
	q, f := countsFor(true), countsFor(false)
	if f.ColdPairs < 5 || f.NodeReps < 7 || f.Edits < 30 || q.Edits >= f.Edits {
		t.Errorf("counts: quick %+v, full %+v", q, f)
	}
}

// The JavaScript baseline computes what compute.KLDiv computes, special
// values included. It runs only when Node.js is installed.
func TestJSBaselineMatchesCompute(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not found")
	}
	dir := t.TempDir()
	src, err := nodeJS.ReadFile("js/kldiv.cjs")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "kldiv.cjs"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ p, q []float64 }{
		{[]float64{0.1, 0.4, 0.5}, []float64{0.2, 0.3, 0.5}},
		{[]float64{0, 1}, []float64{0.5, 0.5}},
		{[]float64{0.5, 0.5}, []float64{0, 1}},      // q = 0 where p > 0: +Inf
		{[]float64{0, 1}, []float64{0, 1}},          // p = 0 with log q = −Inf: NaN
		{[]float64{-0.1, 1.1}, []float64{0.5, 0.5}}, // negative target: NaN
		{[]float64{1e-300, 1 - 1e-300}, []float64{1e-310, 1}},
	}
	rng := newBenchInput(layout{1, 1000}, 9).State
	p, q := make([]float64, 1000), make([]float64, 1000)
	for i := range p {
		p[i], _ = textparse.ParseFloat(rng.P[0][i])
		q[i], _ = textparse.ParseFloat(rng.Q[0][i])
	}
	cases = append(cases, struct{ p, q []float64 }{p, q})
	// JSON has no NaN or Inf: send log q as strings.
	type jcase struct {
		P    []float64 `json:"p"`
		LogQ []string  `json:"logq"`
	}
	var in []jcase
	for _, c := range cases {
		jc := jcase{P: c.p}
		for _, v := range c.q {
			jc.LogQ = append(jc.LogQ, fmtJS(math.Log(v)))
		}
		in = append(in, jc)
	}
	data, _ := json.Marshal(in)
	script := `const {klDivSum} = require("./kldiv.cjs");
const cases = JSON.parse(require("fs").readFileSync(0, "utf8"));
console.log(JSON.stringify(cases.map((c) => String(klDivSum(Float64Array.from(c.logq.map(Number)), Float64Array.from(c.p))))));`
	cmd := exec.Command(node, "-e", script)
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(string(data))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}
	var got []string
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("node printed %q: %v", out, err)
	}
	for i, c := range cases {
		logq := make([]float64, len(c.q))
		for j, v := range c.q {
			logq[j] = math.Log(v)
		}
		res, err := compute.KLDiv(compute.Vector(logq), compute.Vector(c.p), compute.ReductionSum, false, compute.DTypeFloat64)
		if err != nil {
			t.Fatal(err)
		}
		want := res.Data[0]
		g := parseJS(got[i])
		switch {
		case math.IsNaN(want) || math.IsInf(want, 0) || want == 0:
			if fmtJS(g) != fmtJS(want) {
				t.Errorf("case %d: JavaScript %v, compute %v", i, g, want)
			}
		case math.Abs(g-want) > 1e-14*math.Abs(want):
			t.Errorf("case %d: JavaScript %v, compute %v", i, g, want)
		}
	}
}

// fmtJS writes a float64 as JavaScript's Number() reads it.
func fmtJS(x float64) string {
	switch {
	case math.IsInf(x, 1):
		return "Infinity"
	case math.IsInf(x, -1):
		return "-Infinity"
	}
	return strconv.FormatFloat(x, 'g', -1, 64) // NaN is "NaN"
}

// parseJS reads JavaScript's String(x); ParseFloat knows "Infinity" and "NaN".
func parseJS(s string) float64 {
	v, _ := strconv.ParseFloat(s, 64)
	return v
}

// The Node.js harness runs the wasm of cmd/klbench/wasmbench and reads back
// what rows 3, 4 and 5 report: the names and fields on both sides of the
// JSON agree, the two implementations compute the same sums, the links
// decode in wasm, and the app compares the libraries on an edit only up to
// its threshold. It needs Node.js, and builds the wasm (not with -short).
func TestNodeHarness(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not found")
	}
	if testing.Short() {
		t.Skip("builds the wasm and runs 10⁶-element kernels")
	}
	ctx := context.Background()
	root, err := output(ctx, "go", "env", "GOROOT")
	if err != nil {
		t.Fatal(err)
	}
	b := &bench{ctx: ctx, work: t.TempDir(), log: io.Discard,
		cfg: config{Go: "go", Node: node, WasmExec: filepath.Join(root, "lib", "wasm", "wasm_exec.js"), Seed: 5, Only: map[string]bool{"3": true, "5": true}},
		n:   counts{NodeReps: 1, DecodeReps: 1, EditCostRep: 1, ComputeN: 1000}}
	b.rep = &report{}
	res, err := b.nodeBench()
	if err != nil {
		t.Fatal(err)
	}
	if res.N != 1000 || res.Reps != 1 || len(res.Cases) != 4 {
		t.Errorf("n %d, reps %d, %d cases", res.N, res.Reps, len(res.Cases))
	}
	for name, c := range res.Cases {
		if len(c.Wasm) != 1 || len(c.JS) != 1 || !(c.Wasm[0] > 0) || math.Abs(c.WasmValue-c.JSValue) > 1e-12*math.Abs(c.JSValue) {
			t.Errorf("case %s: %+v", name, c)
		}
	}
	for _, f := range b.largeForms() {
		if d, ok := res.Decode[f.Name]; !ok || d.Err != "" || d.Cells != 2*largeN || len(d.Ms) != 1 {
			t.Errorf("decode of %s: %+v", f.Name, d)
		}
	}
	for _, l := range editLayouts() {
		runs := res.EditCost[l.String()]
		if len(runs) != 1 {
			t.Errorf("edit cost of %s: %d runs", l, len(runs))
			continue
		}
		r := runs[0]
		eager := 2*l.N() <= app.CompareEagerly
		if r.Err != "" || !(r.Parse > 0) || !(r.Calculate > 0) || !(r.Frameworks > 0) || !(r.Encode > 0) || r.Eager != eager {
			t.Errorf("edit cost of %s: %+v", l, r)
		}
	}
}

// The node of Lighthouse 12's largest-contentful-paint-element audit, in
// the shape its JSON report has (checked on a report of the default page).
func TestLCPElement(t *testing.T) {
	details := []byte(`{"type":"list","items":[{"type":"table","headings":[],"items":[{"node":{"type":"node","selector":"div.value > output#result","nodeLabel":"tensor(0.0851)"}}]},{"type":"table","items":[{"phase":"TTFB"}]}]}`)
	sel, label := lcpElement(details)
	if sel != "div.value > output#result" || label != "tensor(0.0851)" {
		t.Errorf("lcpElement = %q, %q", sel, label)
	}
	if sel, _ := lcpElement([]byte(`{}`)); sel != "" {
		t.Errorf("no node: %q", sel)
	}
}
