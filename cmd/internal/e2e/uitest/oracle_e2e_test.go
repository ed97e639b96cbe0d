//go:build !js

package uitest

// TestE2EOracle sends a deterministic sample of the PyTorch oracle
// (compute/testdata/oracle/cases.jsonl.gz, written by gen.py and checked
// against compute by compute/oracle_test.go) through share links to the
// real built site in headless Chromium, and checks that the page shows
// PyTorch's value, bit for bit: the whole path from the link's text through
// the URL parser, the cell parser, compute and the result view.

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/klcalc/klcalc/cmd/internal/e2e"
	"github.com/klcalc/klcalc/compute"
	"github.com/klcalc/klcalc/compute/tensorfile"
)

// oracleFile is the oracle, relative to this package's folder.
const oracleFile = "../../../../compute/testdata/oracle/cases.jsonl.gz"

// oracleEvery takes every oracleEvery-th case: odd, so that the sample
// runs through all 32 combinations of dtype (i%2) and P, Q forms
// ((i/2)%16) of gen.py's make_case, and 13 so that it also holds the
// special indices (multiples of 53: 0-D, of 61: a few hundred classes, of
// 97: one class) and about 185 cases.
const oracleEvery = 13

// oracleE2EExactBudget is compute/oracle_test.go's oracleExactBudget: the
// share of values that must be PyTorch's bits.
const oracleE2EExactBudget = 0.99

type e2eOracleSide struct {
	Form  string          `json:"form"`
	Shape []int           `json:"shape"`
	Data  string          `json:"data"`
	T     string          `json:"t"`
	Gen   json.RawMessage `json:"gen"`
}

type e2eOracleCase struct {
	ID    string        `json:"id"`
	DType string        `json:"dtype"`
	P     e2eOracleSide `json:"p"`
	Q     e2eOracleSide `json:"q"`
	Torch struct {
		Sum       string `json:"sum"`
		Mean      string `json:"mean"`
		BatchMean string `json:"batchmean"`
		Shape     []int  `json:"shape"`
		None      string `json:"none"`
		Sample    []int  `json:"sample"`
		Error     string `json:"error"` // PyTorch raised (float16 without a CPU kernel)
	} `json:"torch"`
}

func readE2EOracle(t *testing.T) (header string, cases []e2eOracleCase) {
	t.Helper()
	f, err := os.Open(oracleFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(z)
	sc.Buffer(nil, 1<<26)
	for sc.Scan() {
		if header == "" {
			header = sc.Text()
			continue
		}
		var c e2eOracleCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatalf("%s case %d: %v", oracleFile, len(cases)+1, err)
		}
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return header, cases
}

// oracleLink is a case as a share link.
type oracleLink struct {
	fragment string
	call     string // the page's F.kl_div line: reduction, log_target, dtype and the shapes compute got
}

// linkFor writes case c with reduction red as a share fragment. It returns
// a reason instead when the link format cannot express the case's shapes.
func linkFor(c e2eOracleCase, red string) (oracleLink, string) {
	// A side with one row is 1-D or (1, C) by dims=, which applies to both
	// sides; a side with more rows is (B, C). The format has no 0-D.
	oneRow := map[int]bool{}
	rows := func(s e2eOracleSide) (string, string) {
		var b, c int
		switch len(s.Shape) {
		case 1:
			b, c = 1, s.Shape[0]
			oneRow[1] = true
		case 2:
			b, c = s.Shape[0], s.Shape[1]
			if b == 1 {
				oneRow[2] = true
			}
		default:
			return "", fmt.Sprintf("%d-D side", len(s.Shape))
		}
		toks := strings.Fields(s.Data)
		if len(toks) != b*c || b*c == 0 {
			return "", fmt.Sprintf("%d values for shape %v", len(toks), s.Shape)
		}
		var sb strings.Builder
		for i, tok := range toks {
			if i > 0 {
				if i%c == 0 {
					sb.WriteByte(';')
				} else {
					sb.WriteByte(',')
				}
			}
			sb.WriteString(esc(tok))
		}
		return sb.String(), ""
	}
	p, why := rows(c.P)
	if why != "" {
		return oracleLink{}, why
	}
	q, why := rows(c.Q)
	if why != "" {
		return oracleLink{}, why
	}
	if oneRow[1] && oneRow[2] {
		return oracleLink{}, "one single-row side is 1-D and the other (1, C)"
	}
	dims := 2
	if oneRow[1] {
		dims = 1
	}
	parts := []string{"p=" + p, "q=" + q, "reduction=" + red, "p_as=" + c.P.Form, "q_as=" + c.Q.Form}
	if c.P.Form == "logits" && c.P.T != "" {
		parts = append(parts, "p_temp="+esc(c.P.T))
	}
	if c.Q.Form == "logits" && c.Q.T != "" {
		parts = append(parts, "q_temp="+esc(c.Q.T))
	}
	parts = append(parts, "dtype="+c.DType, "dims="+strconv.Itoa(dims))
	logTarget := "False"
	if c.P.Form == "log" || c.P.Form == "logits" { // gen.py: log_target = P is log or logits
		logTarget = "True"
	}
	call := fmt.Sprintf("F.kl_div(input, target, reduction='%s', log_target=%s)  # %s, input %s, target %s",
		red, logTarget, c.DType, compute.ShapeString(c.Q.Shape), compute.ShapeString(c.P.Shape))
	return oracleLink{fragment: strings.Join(parts, "&"), call: call}, ""
}

// oracleValue decodes one of the oracle's hex bits, widened to float64
// (exactly, for float32).
func oracleValue(h, dtype string) (float64, error) {
	u, err := strconv.ParseUint(h, 16, 64)
	if err != nil {
		return 0, err
	}
	switch dtype {
	case "float32":
		if len(h) != 8 {
			return 0, fmt.Errorf("float32 bits %q", h)
		}
		return float64(math.Float32frombits(uint32(u))), nil
	case "bfloat16", "float16":
		if len(h) != 4 {
			return 0, fmt.Errorf("%s bits %q", dtype, h)
		}
		if dtype == "bfloat16" {
			return tensorfile.BFloat16ToFloat64(uint16(u)), nil
		}
		return tensorfile.Float16ToFloat64(uint16(u)), nil
	}
	if len(h) != 16 {
		return 0, fmt.Errorf("float64 bits %q", h)
	}
	return math.Float64frombits(u), nil
}

// isSpecial: NaN, ±Inf and ±0, which must always match.
func isSpecial(x float64) bool { return math.IsNaN(x) || math.IsInf(x, 0) || x == 0 }

// identical reports whether got is want: both NaN (of any sign or
// payload: PyTorch's NaNs are often negative), or the same bits.
func identical(got, want float64) bool {
	if math.IsNaN(want) || math.IsNaN(got) {
		return math.IsNaN(want) && math.IsNaN(got)
	}
	return math.Float64bits(got) == math.Float64bits(want)
}

// pageResult is what the page shows for a case.
type pageResult struct {
	Call   string   `json:"call"`   // the F.kl_div line
	Err    string   `json:"err"`    // #error's text
	Value  string   `json:"value"`  // #result's data-value (scalar reductions)
	Text   string   `json:"text"`   // #result's text (the tensor(...) print, or the rounded 'none' cells)
	Full   string   `json:"full"`   // #full-value's text
	Shape  string   `json:"shape"`  // #result's data-shape ('none')
	Values []string `json:"values"` // data-value of each 'none' cell
	Texts  []string `json:"texts"`  // the text of each 'none' cell
}

// readResult waits until the page shows a result for reduction red (or an
// error without a result) and returns it. Consecutive cases have different
// reductions, so the F.kl_div line tells an updated result from the last
// case's; the whole result view is rendered in one synchronous go-app
// update, so the values seen with the new line are the new values.
const readResult = `(red) => {
  const err = (document.getElementById("error")?.innerText ?? "").trim();
  const call = document.querySelector("#calculator .result-panel .call code");
  const res = document.getElementById("result");
  if (!call || !res) return !document.getElementById("loading") && err ? {err} : null;
  if (!call.textContent.includes("reduction='" + red + "'")) return null;
  if ((red === "none") !== res.classList.contains("none-values")) return null;
  return {
    call: call.textContent, err,
    value: res.dataset.value ?? "",
    text: res.textContent,
    full: document.getElementById("full-value")?.textContent ?? "",
    shape: res.dataset.shape ?? "",
    values: [...res.querySelectorAll("[data-value]")].map(e => e.dataset.value),
    texts: [...res.querySelectorAll("[data-value]")].map(e => e.textContent),
  };
}`

// oracleE2ETally counts the compared values of a dtype.
type oracleE2ETally struct{ n, same, special, specialBad int }

func TestE2EOracle(t *testing.T) {
	dir := e2e.SiteDir(t)
	start := time.Now()
	header, cases := readE2EOracle(t)
	t.Logf("oracle: %d cases, %s", len(cases), header)

	srv := e2e.Serve(t, dir, "/")
	root := srv.URL + "/"
	s := newUISession(t, e2e.NewBrowser(t), root)
	p := s.p

	reductions := []string{"sum", "mean", "batchmean", "none"}
	tally := map[string]*oracleE2ETally{"float32": {}, "float64": {}, "bfloat16": {}, "float16": {}}
	covered := map[string]int{}
	skipped := map[string]int{}
	var sent, mismatches, j int
	fresh := true // the next case loads the page (at first, and after a case that went wrong)
	var slowest time.Duration
	for i, c := range cases {
		if i%oracleEvery != 0 {
			continue
		}
		if c.P.Gen != nil || c.Q.Gen != nil {
			skipped["generated input (no data)"]++
			continue
		}
		if c.Torch.Error != "" {
			// compute's oracle test checks the refusal, TestE2EHalfDTypes the page's.
			skipped["PyTorch raises"]++
			continue
		}
		// Cycle through the reductions, shifted every 32 cases so that each
		// dtype and form pair meets several reductions; consecutive cases
		// never share one.
		red := reductions[(j+j/32)%4]
		link, why := linkFor(c, red)
		if why != "" {
			skipped[why]++
			t.Logf("%s: skipped, the link format cannot express P %v, Q %v (%s)", c.ID, c.P.Shape, c.Q.Shape, why)
			continue
		}
		j++
		sent++
		covered[fmt.Sprintf("%s %s/%s", c.DType, c.P.Form, c.Q.Form)]++
		covered[red]++
		if slices.Equal(c.P.Shape, c.Q.Shape) {
			covered["equal shapes"]++
		} else {
			covered["broadcast shapes"]++
		}

		t0 := time.Now()
		if fresh {
			s.open(link.fragment) // retries while the first load replaces the page's context
			fresh = false
		} else {
			e2e.Eval[bool](t, p, `(location.hash = `+jsLit("#"+link.fragment)+`, true)`)
		}
		ctx, cancel := context.WithTimeout(p.Ctx, 25*time.Second)
		got, err := chromedp.Run(ctx, chromedp.PollFunction[*pageResult](readResult,
			chromedp.WithPollingArgs(red), chromedp.WithPollingInterval(5*time.Millisecond), chromedp.WithPollingTimeout(20*time.Second)))
		cancel()
		slowest = max(slowest, time.Since(t0))
		href := root + "#" + link.fragment
		if len(href) > 300 {
			href = href[:300] + "…"
		}
		// PyTorch's values for the reduction, in the page's order.
		want := []string{map[string]string{"sum": c.Torch.Sum, "mean": c.Torch.Mean, "batchmean": c.Torch.BatchMean}[red]}
		if red == "none" {
			if c.Torch.Sample != nil {
				t.Fatalf("%s: sampled 'none' in a case with data", c.ID)
			}
			want = strings.Fields(c.Torch.None)
			want = want[:min(len(want), 2000)] // the page draws app's maxNoneValues
		}
		shown := make([]string, len(want)) // "" (not a number) when the page shows none
		switch {
		case err != nil || got == nil:
			t.Errorf("%s (%s): no result: %v\n  link %s\n  console %q", c.ID, red, err, href, p.Console())
			got, fresh = &pageResult{}, true
		case got.Err != "":
			t.Errorf("%s (%s): the page reports %q\n  link %s", c.ID, red, got.Err, href)
			fresh = true // the next case must not see this error
		}
		if got.Call != "" && got.Call != link.call {
			t.Errorf("%s: the page computed\n  %s\nwant\n  %s\n  link %s", c.ID, got.Call, link.call, href)
		}
		switch {
		case got.Call == "":
			// No result: every value is wrong.
		case red == "none":
			if ws := compute.ShapeString(c.Torch.Shape); got.Shape != ws {
				t.Errorf("%s: 'none' shape %s on the page, PyTorch %s\n  link %s", c.ID, got.Shape, ws, href)
			}
			if len(got.Values) != len(want) {
				t.Errorf("%s: %d 'none' values on the page, want %d\n  link %s", c.ID, len(got.Values), len(want), href)
			}
			copy(shown, got.Values)
		default:
			if got.Full != got.Value {
				t.Errorf("%s: full precision %q differs from data-value %q", c.ID, got.Full, got.Value)
			}
			shown[0] = got.Value
		}
		tl, bad := tally[c.DType], 0
		for k, h := range want {
			w, err := oracleValue(h, c.DType)
			if err != nil {
				t.Fatalf("%s: %v", c.ID, err)
			}
			tl.n++
			if isSpecial(w) {
				tl.special++
			}
			what := red
			if red == "none" {
				what = fmt.Sprintf("none[%d]", k)
			}
			v, perr := strconv.ParseFloat(shown[k], 64)
			// For float32 this compares the float64 on the page with
			// PyTorch's float32 widened, which is exact: the page must show
			// a float32 value, and the one PyTorch gives.
			if perr == nil && identical(v, w) {
				tl.same++
				continue
			}
			if isSpecial(w) || perr == nil && isSpecial(v) {
				tl.specialBad++
			}
			mismatches++
			if bad++; bad > 5 {
				continue // reported below
			}
			text := got.Text
			if red == "none" {
				text = ""
				if k < len(got.Texts) {
					text = got.Texts[k]
				}
			}
			seen := "nothing"
			if shown[k] != "" {
				seen = fmt.Sprintf("%q (%s)", shown[k], strings.TrimSpace(text))
			}
			t.Errorf("%s %s: the page shows %s, PyTorch %s (bits %s)\n  link %s",
				c.ID, what, seen, strconv.FormatFloat(w, 'g', -1, 64), h, href)
		}
		if bad > 5 {
			t.Errorf("%s: %d of %d values differ in all", c.ID, bad, len(want))
		}
	}

	t.Logf("sent %d cases (%d skipped: %v) in %v; the slowest took %v", sent, sumCounts(skipped), skipped,
		time.Since(start).Round(time.Millisecond), slowest.Round(time.Millisecond))
	t.Logf("coverage: %v", covered)
	if sent < 120 {
		t.Errorf("only %d cases sent, want at least 120", sent)
	}
	var compared int
	for _, dt := range []string{"float32", "float64", "bfloat16", "float16"} {
		o := tally[dt]
		compared += o.n
		t.Logf("%s: %d values, %d PyTorch's bits (%d special, %d special wrong)", dt, o.n, o.same, o.special, o.specialBad)
		if o.n == 0 {
			t.Errorf("%s: no values compared", dt)
			continue
		}
		if o.specialBad != 0 {
			t.Errorf("%s: %d values differ from PyTorch in NaN, ±Inf or the sign of 0", dt, o.specialBad)
		}
		if share := float64(o.same) / float64(o.n); share < oracleE2EExactBudget {
			t.Errorf("%s: %.3f%% of values are PyTorch's bits, want ≥ %.0f%%", dt, 100*share, 100*oracleE2EExactBudget)
		}
	}
	t.Logf("%d values compared, %d mismatches", compared, mismatches)
	checkCleanPage(t, p, srv.URL)
}

func sumCounts(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
