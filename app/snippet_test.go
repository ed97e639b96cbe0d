package app

import (
	"encoding/json"
	"fmt"
	"math"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/klcalc/klcalc/compute"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// snippetValues are cells for each form, three rows of three classes.
// The third row of counts sums to 1.1 only after rounding, and NumPy adds in
// order where compute compensates, so its normalised values may differ by
// an ulp: none of them equals a probability of the other side, which would
// turn an exact 0 term into 1e-16 and fail the relative comparison.
var snippetValues = map[compute.Form][][]string{
	compute.FormProb:   {{"0.1", "0.4", "0.5"}, {"0.2", "0.3", "0.5"}, {"0.25", "0.25", "0.5"}},
	compute.FormLog:    {{"-2.3", "-0.9", "-0.7"}, {"-1.6094379124341003", "-1.2", "-0.6"}, {"-1", "-1", "-1.5"}},
	compute.FormLogits: {{"1", "2.5", "-3"}, {"0", "0", "0.5"}, {"10", "-1e3", "7"}},
	compute.FormCounts: {{"1", "4", "5"}, {"3", "0", "7.5"}, {"0.1", "0.7", "0.3"}},
}

// snippetSpecial are cells with zeros, NaN, infinities, signed zero and
// extreme magnitudes, which hit every special case of the kernel.
var snippetSpecial = [][]string{
	{"0", "nan", "0.5", "-0", "1e-300"},
	{"0", "0.5", "inf", "3e-308", "-inf"},
	{"1e308", "-0.5", "2", "0", "0.125"},
}

// snippetShapes are the layouts of the rows: both one row, both batches,
// a single Q row against a P batch, and a single P row against a Q batch.
var snippetShapes = []struct {
	name   string
	pi, qi []int // which rows of the values each side takes
}{
	{"single", []int{0}, []int{1}},
	{"batch", []int{0, 1}, []int{1, 2}},
	{"qrow", []int{0, 1, 2}, []int{2}},
	{"prow", []int{1}, []int{0, 2}},
}

func pickRows(rows [][]string, idx []int) [][]string {
	out := make([][]string, len(idx))
	for i, k := range idx {
		out[i] = append([]string(nil), rows[k]...)
	}
	return out
}

// snippetMatrix returns every combination of forms, reductions, dtypes,
// dims, shapes and temperatures, with ordinary values, and then the same
// with special values.
func snippetMatrix() []State {
	var states []State
	temps := [][2]string{{"", ""}, {"2.5", "2.5"}, {"2.5", ""}}
	for _, special := range []bool{false, true} {
		for _, pf := range compute.Forms() {
			for _, qf := range compute.Forms() {
				for _, red := range compute.Reductions() {
					for _, dt := range []compute.DType{compute.DTypeFloat32, compute.DTypeFloat64} {
						for _, dims := range []int{0, 1, 2} {
							for _, sh := range snippetShapes {
								for _, tp := range temps {
									pv, qv := snippetValues[pf], snippetValues[qf]
									if special {
										pv, qv = snippetSpecial, snippetSpecial
									}
									states = append(states, State{
										P: pickRows(pv, sh.pi), Q: pickRows(qv, sh.qi),
										PForm: pf, QForm: qf, PTemp: tp[0], QTemp: tp[1],
										Reduction: red, DType: dt, Dims: dims,
									})
								}
							}
						}
					}
				}
			}
		}
	}
	return states
}

// python returns a python3 that runs here, or skips the test. With
// numpy, it looks further than PATH: Debian's python3-numpy installs for
// /usr/bin/python3, which a python3 earlier on PATH (pyenv) may not see.
func python(t *testing.T, numpy bool) string {
	t.Helper()
	if runtime.GOOS == "js" {
		t.Skip("no subprocesses under GOOS=js")
	}
	var candidates []string
	if p, err := exec.LookPath("python3"); err == nil {
		candidates = append(candidates, p)
	}
	if numpy {
		candidates = append(candidates, "/usr/bin/python3")
	}
	for _, c := range candidates {
		if !numpy {
			return c
		}
		if exec.Command(c, "-c", "import numpy").Run() == nil {
			return c
		}
	}
	if numpy {
		t.Skip("no python3 with numpy")
	}
	t.Skip("no python3")
	return ""
}

// runPython runs a Python driver that reads a JSON value on stdin and
// writes one on stdout, into out.
func runPython(t *testing.T, py, driver string, in, out any) {
	t.Helper()
	data, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(py, "-c", driver)
	cmd.Stdin = strings.NewReader(string(data))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	res, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", py, err, stderr.String())
	}
	if err := json.Unmarshal(res, out); err != nil {
		t.Fatalf("python output: %v\n%.2000s", err, res)
	}
}

// parseDriver is ast.parse(sys.stdin.read()) for many snippets at once,
// since starting Python once per snippet would take minutes.
const parseDriver = `
import ast, json, sys
errs = []
for src in json.load(sys.stdin):
    try:
        ast.parse(src)
        errs.append("")
    except SyntaxError as e:
        errs.append(repr(e))
json.dump(errs, sys.stdout)
`

// snippetOf is the code the page shows for s: written from the problem
// recompute parsed, or "" with the reason when recompute found none.
func snippetOf(s State, lang snippetLang) (string, error) {
	c := newCalculator()
	c.state = s
	c.guard(c.recompute)
	if c.result == nil {
		return "", fmt.Errorf("no result: %q %v", c.inputErr, c.cellErrs)
	}
	return c.kl.snippet(lang)
}

func mustSnippet(t *testing.T, s State, lang snippetLang) string {
	t.Helper()
	code, err := snippetOf(s, lang)
	if err != nil {
		t.Fatalf("snippet(%+v, %v): %v", s, lang, err)
	}
	return code
}

func TestSnippetMatrixContent(t *testing.T) {
	for _, s := range snippetMatrix() {
		p, q, _, _, err := s.problem()
		if err != nil {
			t.Fatal(err)
		}
		for _, lang := range snippetLangs() {
			code := mustSnippet(t, s, lang)
			fail := func(format string, args ...any) {
				t.Helper()
				t.Errorf("%v snippet for %s: %s\n%s", lang, s.Encode(), fmt.Sprintf(format, args...), code)
			}
			for _, side := range []compute.Side{p, q} {
				for _, v := range side.Data.Data {
					if !strings.Contains(code, pyFloat(v)) {
						fail("lacks value %s", pyFloat(v))
					}
				}
			}
			dtype := "dtype=np." + s.DType.String()
			if lang == snippetPyTorch {
				dtype = "dtype=torch." + s.DType.String()
			}
			if strings.Count(code, dtype) < 2 {
				fail("lacks %s for both sides", dtype)
			}
			if want := "reduction='" + s.Reduction.String() + "'"; !strings.Contains(code, want) {
				fail("lacks %s", want)
			}
			lt := "log_target=" + map[bool]string{true: "True", false: "False"}[s.PForm == compute.FormLog || s.PForm == compute.FormLogits]
			if !strings.Contains(code, lt) {
				fail("lacks %s", lt)
			}
			qOneD := len(q.Data.Shape) == 1
			note := qOneD && s.Reduction == compute.ReductionBatchMean
			if strings.Contains(code, "number of classes C") != note {
				fail("1-D batchmean note: want %v", note)
			}
			if lang == snippetPyTorch && strings.Contains(code, ".unsqueeze(0)") != note {
				fail(".unsqueeze(0): want %v", note)
			}
			logits := s.PForm == compute.FormLogits || s.QForm == compute.FormLogits
			sm := "log_softmax"
			if lang == snippetSciPy {
				sm = "softmax"
			}
			if strings.Contains(code, sm) != logits {
				fail("%s: want %v", sm, logits)
			}
			hot := (s.PForm == compute.FormLogits && s.PTemp == "2.5") || (s.QForm == compute.FormLogits && s.QTemp == "2.5")
			if strings.Contains(code, "/ 2.5") != hot {
				fail("/ 2.5: want %v", hot)
			}
			kd := s.PForm == compute.FormLogits && s.QForm == compute.FormLogits && s.PTemp == "2.5" && s.QTemp == "2.5"
			if strings.Contains(code, "T**2") != kd {
				fail("distillation note: want %v", kd)
			}
			for name, side := range map[string]compute.Side{"p": p, "q": q} {
				norm := fmt.Sprintf("%s = %s / %s.sum(axis=-1, keepdims=True)", name, name, name)
				switch {
				case lang == snippetPyTorch:
					norm = fmt.Sprintf("%s = %s / %s.sum(-1, keepdim=True)", name, name, name)
				case len(side.Data.Shape) == 0:
					norm = fmt.Sprintf("%s = %s / %s.sum()", name, name, name)
				}
				counts := side.Form == compute.FormCounts
				if strings.Contains(code, norm) != counts {
					fail("%s: want %v", norm, counts)
				}
				if strings.Contains(code, "counts ->") != (s.PForm == compute.FormCounts || s.QForm == compute.FormCounts) {
					fail("counts comment")
				}
				if lang == snippetSciPy && counts && !strings.Contains(code, "scipy.stats.entropy would do this itself") {
					fail("no note that scipy.stats.entropy normalises")
				}
			}
			if lang != snippetSciPy && s.QForm == compute.FormCounts {
				// The log comes after the division.
				norm := strings.Index(code, "q = q / q.sum(")
				log := strings.Index(code, "input = ")
				if norm < 0 || log < norm || !strings.Contains(code[log:], "log(q)") {
					fail("Q's counts are not normalised before the log")
				}
			}
			switch lang {
			case snippetPyTorch:
				for _, want := range []string{"import torch\n", "import torch.nn.functional as F\n", "loss = F.kl_div(input, target, ", "print(loss)"} {
					if !strings.Contains(code, want) {
						fail("lacks %q", want)
					}
				}
				for name, side := range map[string]compute.Side{"p": p, "q": q} {
					want := fmt.Sprintf("%s = torch.tensor([", name)
					switch {
					case len(side.Data.Shape) == 2 && side.Data.Shape[0] > 1:
						want += "\n    ["
					case len(side.Data.Shape) == 2:
						want += "["
					}
					if !strings.Contains(code, want) {
						fail("%s of shape %v: lacks %q", name, side.Data.Shape, want)
					}
				}
			case snippetSciPy:
				for _, want := range []string{"import numpy as np\n", "from scipy.special import rel_entr\n", "from scipy.stats import entropy\n", "rel_entr(p, q).sum(axis=-1)", "entropy(p, q, axis=-1)"} {
					if !strings.Contains(code, want) {
						fail("lacks %q", want)
					}
				}
			case snippetNumPy:
				if strings.Contains(code, "torch") || strings.Contains(code, "scipy") {
					fail("imports more than numpy")
				}
				want := "np.where(target == 0, 0.0, target * np.log(target))"
				if s.PForm == compute.FormLog || s.PForm == compute.FormLogits {
					want = "np.exp(target) * (target - input)"
				}
				if !strings.Contains(code, want) || !strings.Contains(code, "np.errstate(divide='ignore', invalid='ignore'") {
					fail("lacks %q in np.errstate", want)
				}
			}
		}
	}
}

func TestSnippetMatrixParses(t *testing.T) {
	py := python(t, false)
	var codes []string
	for _, s := range snippetMatrix() {
		for _, lang := range snippetLangs() {
			codes = append(codes, mustSnippet(t, s, lang))
		}
	}
	var errs []string
	runPython(t, py, parseDriver, codes, &errs)
	if len(errs) != len(codes) {
		t.Fatalf("%d results for %d snippets", len(errs), len(codes))
	}
	bad := 0
	for i, e := range errs {
		if e != "" {
			if bad++; bad <= 3 {
				t.Errorf("snippet does not parse: %s\n%s", e, codes[i])
			}
		}
	}
	if bad > 3 {
		t.Errorf("... %d snippets in all do not parse", bad)
	}
}

// runDriver execs each NumPy snippet in a fresh namespace, and returns
// what it printed and the variable loss, flattened, as repr strings.
const runDriver = `
import contextlib, io, json, sys, traceback
import numpy as np
out = []
for src in json.load(sys.stdin):
    buf, ns = io.StringIO(), {}
    try:
        with contextlib.redirect_stdout(buf):
            exec(src, ns)
        loss = ns["loss"]
        if hasattr(loss, "detach"):  # a PyTorch tensor that requires grad
            loss = loss.detach()
        loss = np.asarray(loss, dtype=np.float64).ravel()
        out.append({"stdout": buf.getvalue(), "loss": [repr(float(x)) for x in loss]})
    except Exception:
        out.append({"err": traceback.format_exc()})
json.dump(out, sys.stdout)
`

type runResult struct {
	Stdout string
	Loss   []string
	Err    string
}

// logSubnormalBroken is true where Go's math.Log is wrong for subnormal
// arguments: its amd64 assembly gives math.Log(5e-324) = -709.09 instead
// of -744.44, so the native calculator disagrees with NumPy there (the
// wasm build uses the pure Go math.Log, which is right).
var logSubnormalBroken = math.Abs(math.Log(5e-324)+744.4400719213812) > 1e-9

// near reports whether got is want within rel relative error; NaN equals
// NaN and an infinity only itself.
func near(got, want, rel float64) bool {
	switch {
	case math.IsNaN(want) || math.IsNaN(got):
		return math.IsNaN(want) && math.IsNaN(got)
	case math.IsInf(want, 0) || math.IsInf(got, 0):
		return got == want
	}
	return math.Abs(got-want) <= rel*math.Max(math.Abs(got), math.Abs(want))
}

// TestSnippetNumPyRuns runs every NumPy snippet of the matrix and checks
// that it prints the calculator's number: within 1e-12 relative in
// float64, where only the order of summation differs, and within a few
// float32 roundings in float32, where NumPy's log, exp and pairwise sums
// round differently from the calculator's emulation of PyTorch.
func TestSnippetNumPyRuns(t *testing.T) {
	py := python(t, true)
	states := append(snippetMatrix(),
		State{P: [][]string{{}}, Q: [][]string{{}}, Reduction: compute.ReductionBatchMean, DType: compute.DTypeFloat64},
		State{P: [][]string{{}}, Q: [][]string{{}}, Reduction: compute.ReductionSum, DType: compute.DTypeFloat64},
	)
	if logSubnormalBroken {
		t.Log("not comparing subnormal values: Go's math.Log is wrong for them on " + runtime.GOARCH)
	} else {
		for _, pf := range compute.Forms() {
			for _, red := range compute.Reductions() {
				states = append(states, State{
					P: [][]string{{"5e-324", "0.5", "1e-310"}}, Q: [][]string{{"0.5", "5e-324", "1e-310"}},
					PForm: pf, QForm: compute.FormProb, Reduction: red, DType: compute.DTypeFloat64,
				})
			}
		}
	}
	var codes []string
	for _, s := range states {
		codes = append(codes, mustSnippet(t, s, snippetNumPy))
	}
	var res []runResult
	runPython(t, py, runDriver, codes, &res)
	if len(res) != len(codes) {
		t.Fatalf("%d results for %d snippets", len(res), len(codes))
	}
	bad := 0
	for i, s := range states {
		fail := func(format string, args ...any) {
			t.Helper()
			switch bad++; {
			case bad <= 3:
				t.Errorf("NumPy snippet for %s: %s\n%s", s.Encode(), fmt.Sprintf(format, args...), codes[i])
			case bad <= 30:
				t.Errorf("NumPy snippet for %s: %s", s.Encode(), fmt.Sprintf(format, args...))
			}
		}
		r := res[i]
		if r.Err != "" {
			fail("raised %s", r.Err)
			continue
		}
		p, q, opt, _, err := s.problem()
		if err != nil {
			t.Fatal(err)
		}
		want, err := compute.Calculate(p, q, opt)
		if err != nil {
			t.Fatal(err)
		}
		rel := 1e-12
		if s.DType == compute.DTypeFloat32 {
			rel = 1e-5
		}
		got := make([]float64, len(r.Loss))
		for j, l := range r.Loss {
			if got[j], err = strconv.ParseFloat(l, 64); err != nil {
				t.Fatal(err)
			}
		}
		if s.Reduction == compute.ReductionNone {
			if len(got) != len(want.Output.Data) {
				fail("%d values, want %d", len(got), len(want.Output.Data))
				continue
			}
			for j, w := range want.Output.Data {
				if !near(got[j], w, rel) {
					fail("element %d = %v, want %v", j, got[j], w)
				}
			}
			continue
		}
		printed, err := strconv.ParseFloat(strings.TrimSpace(r.Stdout), 64)
		if err != nil {
			fail("prints %q, not a number", r.Stdout)
			continue
		}
		if s.DType == compute.DTypeFloat32 {
			// Rounding errors scale with the terms, not with their sum,
			// which cancels when P and Q are close.
			var abs float64
			for _, tm := range want.Terms.All() {
				abs += math.Abs(tm.Value)
			}
			if d := want.Divisor; d > 0 && math.Abs(printed-want.Value) <= 1e-6*abs/d {
				continue
			}
		}
		if !near(printed, want.Value, rel) {
			fail("prints %v, the calculator gives %v", printed, want.Value)
		}
	}
	if bad > 30 {
		t.Errorf("... %d mismatches in all", bad)
	}
}

// TestSnippetPyFloatRoundTrips checks that Python reads each literal back
// as exactly the float64 it spells.
func TestSnippetPyFloatRoundTrips(t *testing.T) {
	values := []float64{0, math.Copysign(0, -1), 1, -3, 0.1, 1e-300, 5e-324, math.MaxFloat64, 1e21, 123456789012345680000,
		math.SmallestNonzeroFloat64, 2.5, -1.6094379124341003, math.Inf(1), math.Inf(-1), math.NaN()}
	for _, v := range values {
		lit := pyFloat(v)
		if s := compute.FormatFloat(v); !math.IsNaN(v) && !math.IsInf(v, 0) && !strings.HasPrefix(lit, s) {
			t.Errorf("pyFloat(%v) = %q does not start with FormatFloat's %q", v, lit, s)
		}
	}
	if got, want := pyFloat(math.Copysign(0, -1)), "-0.0"; got != want {
		t.Errorf("pyFloat(-0) = %q, want %q (Python's -0 is the int 0)", got, want)
	}
	py := python(t, false)
	var lits []string
	for _, v := range values {
		lits = append(lits, pyFloat(v))
	}
	var back []string
	runPython(t, py, `
import json, struct, sys
json.dump([struct.pack(">d", eval(l, {"__builtins__": {"float": float}})).hex() for l in json.load(sys.stdin)], sys.stdout)
`, lits, &back)
	for i, v := range values {
		want := fmt.Sprintf("%016x", math.Float64bits(v))
		if math.IsNaN(v) {
			want = "7ff8000000000000"
		}
		if back[i] != want {
			t.Errorf("Python reads %s as bits %s, want %s", lits[i], back[i], want)
		}
	}
}

func TestSnippetDefaultState(t *testing.T) {
	code := mustSnippet(t, defaultState(), snippetPyTorch)
	for _, want := range []string{
		"p = torch.tensor([0.1, 0.4, 0.5], dtype=torch.float32, requires_grad=True)",
		"q = torch.tensor([0.2, 0.3, 0.5], dtype=torch.float32, requires_grad=True)",
		"input = torch.log(q)",
		"target = p",
		"loss = F.kl_div(input, target, reduction='batchmean', log_target=False)\n",
		"#   loss = F.kl_div(input.unsqueeze(0), target.unsqueeze(0), reduction='batchmean', log_target=False)",
		"C = 3",
		"\nloss.backward()\n",
		"print('dL/dinput', input.grad)",
	} {
		if !strings.Contains(code, want) {
			t.Errorf("lacks %q:\n%s", want, code)
		}
	}
}

func TestSnippetForms(t *testing.T) {
	s := State{
		P: [][]string{{"1", "2", "3"}}, Q: [][]string{{"3", "2", "1"}},
		PForm: compute.FormLogits, QForm: compute.FormLogits, PTemp: "2.5", QTemp: "1",
		Reduction: compute.ReductionSum, DType: compute.DTypeFloat64,
	}
	code := mustSnippet(t, s, snippetPyTorch)
	for _, want := range []string{
		"input = F.log_softmax(q, dim=-1)",
		"target = F.log_softmax(p / 2.5, dim=-1)",
		"log_target=True",
		"dtype=torch.float64",
	} {
		if !strings.Contains(code, want) {
			t.Errorf("lacks %q:\n%s", want, code)
		}
	}
	if strings.Contains(code, "T**2") {
		t.Errorf("distillation note with different temperatures:\n%s", code)
	}
	s.PForm, s.QForm = compute.FormLog, compute.FormLog
	code = mustSnippet(t, s, snippetPyTorch)
	if !strings.Contains(code, "input = q ") || !strings.Contains(code, "target = p ") || !strings.Contains(code, "log_target=True") {
		t.Errorf("log forms:\n%s", code)
	}
	code = mustSnippet(t, s, snippetSciPy)
	if !strings.Contains(code, "p = np.exp(p)") || !strings.Contains(code, "q = np.exp(q)") {
		t.Errorf("SciPy log forms are not exponentiated:\n%s", code)
	}
}

// TestSnippetCounts: counts are divided by their row sums before the log
// (Q) or as the target (P), with log_target=False, in every language.
func TestSnippetCounts(t *testing.T) {
	s := State{
		P: [][]string{{"1", "1"}}, Q: [][]string{{"9", "1"}},
		PForm: compute.FormCounts, QForm: compute.FormCounts,
		Reduction: compute.ReductionSum, DType: compute.DTypeFloat64,
	}
	want := map[snippetLang][]string{
		snippetPyTorch: {
			"# P (target): counts, shape (2,)",
			"q = q / q.sum(-1, keepdim=True)  # Q's counts -> probabilities: each row divided by its sum\ninput = torch.log(q)",
			"p = p / p.sum(-1, keepdim=True)  # P's counts -> probabilities: each row divided by its sum\ntarget = p  # P's probabilities, so log_target=False",
			"loss = F.kl_div(input, target, reduction='sum', log_target=False)",
		},
		snippetSciPy: {
			"p = p / p.sum(axis=-1, keepdims=True)  # P's counts -> probabilities: each row divided by its sum (scipy.stats.entropy would do this itself)",
			"q = q / q.sum(axis=-1, keepdims=True)  # Q's counts",
			"kl = rel_entr(p, q).sum(axis=-1)",
		},
		snippetNumPy: {
			"    q = q / q.sum(axis=-1, keepdims=True)  # Q's counts -> probabilities: each row divided by its sum\n    input = np.log(q)",
			"    p = p / p.sum(axis=-1, keepdims=True)  # P's counts -> probabilities: each row divided by its sum\n    target = p",
			"np.where(target == 0, 0.0, target * np.log(target)) - target * input",
		},
	}
	for lang, ws := range want {
		code := mustSnippet(t, s, lang)
		for _, w := range ws {
			if !strings.Contains(code, w) {
				t.Errorf("%v: lacks %q:\n%s", lang, w, code)
			}
		}
	}
	// A 0-D array has no axis -1 in NumPy: it is divided by its sum, itself.
	code := counts0D().numpy()
	for _, w := range []string{"q = q / q.sum()  # Q's counts", "p = p / p.sum()  # P's counts", "q = np.array(2.0, dtype=np.float32)"} {
		if !strings.Contains(code, w) {
			t.Errorf("0-D: lacks %q:\n%s", w, code)
		}
	}
	if code := counts0D().pytorch(); !strings.Contains(code, "q = q / q.sum(-1, keepdim=True)") {
		t.Errorf("0-D PyTorch: %s", code)
	}
}

// counts0D is a 0-D pair of counts, which a state cannot give but compute
// accepts: 3 against 2, both normalised to 1.
func counts0D() klProblem {
	return klProblem{
		p:   compute.Side{Data: compute.Scalar(3), Form: compute.FormCounts},
		q:   compute.Side{Data: compute.Scalar(2), Form: compute.FormCounts},
		opt: compute.Options{Reduction: compute.ReductionSum, DType: compute.DTypeFloat32},
		out: []int{},
	}
}

// TestSnippetCounts0DRuns: the 0-D NumPy and SciPy programs run (NumPy's
// sum(axis=-1) would raise for them) and give the calculator's 0.
func TestSnippetCounts0DRuns(t *testing.T) {
	py := python(t, true)
	sn := counts0D()
	var res []runResult
	runPython(t, py, runDriver, []string{sn.numpy()}, &res)
	r, err := compute.Calculate(sn.p, sn.q, sn.opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || res[0].Err != "" || strings.TrimSpace(res[0].Stdout) != "0.0" || r.Value != 0 {
		t.Errorf("0-D counts: NumPy %+v, calculator %v", res, r.Value)
	}
}

// TestSnippetBroadcastNotes: a single Q row against a P batch stays the
// shape the calculator gives it, and the note says what batchmean divides by.
func TestSnippetBroadcastNotes(t *testing.T) {
	s := State{
		P: [][]string{{"0.5", "0.5"}, {"0.9", "0.1"}, {"0.2", "0.8"}}, Q: [][]string{{"0.3", "0.7"}},
		Reduction: compute.ReductionBatchMean, Dims: 1,
	}
	code := mustSnippet(t, s, snippetPyTorch)
	for _, want := range []string{"q = torch.tensor([0.3, 0.7], dtype=", "broadcast to (3, 2)", "C = 2", "not the 3 rows", "input.unsqueeze(0).expand_as(target)"} {
		if !strings.Contains(code, want) {
			t.Errorf("dims=1: lacks %q:\n%s", want, code)
		}
	}
	s.Dims = 2
	code = mustSnippet(t, s, snippetPyTorch)
	for _, want := range []string{"q = torch.tensor([[0.3, 0.7]], dtype=", "input.size(0) = 1, not by the 3 rows", "input.expand_as(target)"} {
		if !strings.Contains(code, want) {
			t.Errorf("dims=2: lacks %q:\n%s", want, code)
		}
	}
}

// TestSnippetOnlyNumbers: cells reach the snippet as parsed numbers, never
// as their text.
func TestSnippetOnlyNumbers(t *testing.T) {
	s := State{P: [][]string{{" 1E-3 ", "\u22120.5", "INF", " .5"}}, Q: [][]string{{"Infinity", "-NaN", "2e+0", "1e400"}}, DType: compute.DTypeFloat64}
	for _, lang := range snippetLangs() {
		code := mustSnippet(t, s, lang)
		for _, want := range []string{"[0.001, -0.5, float('inf'), 0.5]", "[float('inf'), float('nan'), 2.0, float('inf')]"} {
			if !strings.Contains(code, want) {
				t.Errorf("%v: lacks %q:\n%s", lang, want, code)
			}
		}
		for _, raw := range []string{"1E-3", "\u2212", "INF", "Infinity", "NaN", "1e400"} {
			if strings.Contains(code, raw) {
				t.Errorf("%v: raw cell text %q in the snippet:\n%s", lang, raw, code)
			}
		}
	}
}

// Invalid input has no result, so no problem to write code from and no
// snippet on the page: a cell cannot inject code.
func TestSnippetRejectsInvalidInput(t *testing.T) {
	ok := func() State {
		return State{P: [][]string{{"0.5", "0.5"}}, Q: [][]string{{"0.5", "0.5"}}, PForm: compute.FormLogits}
	}
	inject := "__import__('os').system('echo pwned')"
	tests := []struct {
		name   string
		mutate func(*State)
		cells  int // the invalid cells reported
	}{
		{"code in P", func(s *State) { s.P[0][1] = inject }, 1},
		{"code in Q", func(s *State) { s.Q[0][0] = "0.5); import os #" }, 1},
		{"empty cell", func(s *State) { s.Q[0][1] = " " }, 1},
		{"two cells", func(s *State) { s.P[0][0], s.Q[0][1] = "x", "y" }, 2},
		{"code as temperature", func(s *State) { s.PTemp = inject }, 0},
		{"temperature not a number", func(s *State) { s.PTemp = "0x" }, 0},
		{"ragged", func(s *State) { s.P = [][]string{{"0.5", "0.5"}, {"1"}} }, 0},
		{"no broadcast", func(s *State) { s.Q = [][]string{{"0.2", "0.3", "0.5"}} }, 0},
	}
	for _, tt := range tests {
		c := newCalculator()
		c.state, c.ready = ok(), true
		c.state.View = viewCode
		tt.mutate(&c.state)
		c.guard(c.recompute)
		if c.result != nil || len(c.cellErrs) != tt.cells || len(c.cellErrs) == 0 && len(c.inputErr) == 0 {
			t.Errorf("%s: result %v, cell errors %v, errors %q", tt.name, c.result, c.cellErrs, c.inputErr)
		}
		if page := app.HTMLString(c); strings.Contains(page, `id="snippet"`) {
			t.Errorf("%s: the page shows a snippet", tt.name)
		}
	}
	// The valid state does show one, in its tab.
	c := newCalculator()
	c.state, c.ready = ok(), true
	c.state.View = viewCode
	c.guard(c.recompute)
	if page := app.HTMLString(c); !strings.Contains(page, `id="snippet"`) {
		t.Error("no snippet for a valid state")
	}
}

func TestSnippetLangString(t *testing.T) {
	for l, want := range map[snippetLang]string{snippetPyTorch: "PyTorch", snippetSciPy: "SciPy", snippetNumPy: "NumPy", 7: "snippetLang(7)"} {
		if got := l.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", int(l), got, want)
		}
	}
	if _, err := snippetOf(defaultState(), 7); err == nil {
		t.Error("unknown language: no error")
	}
}

// TestSnippetT2: with the T² switch on, each snippet scales the loss as
// the headline does, and the PyTorch one run in PyTorch (when
// /usr/bin/python3 has it) prints the headline's value to the last bit;
// with it off, the scaling is only mentioned.
func TestSnippetT2(t *testing.T) {
	s := defaultState()
	s.P, s.Q = [][]string{{"2.1", "-0.3", "0.5"}}, [][]string{{"1.2", "0.4", "-1"}}
	s.PForm, s.QForm, s.PTemp, s.QTemp = compute.FormLogits, compute.FormLogits, "2", "2"
	s.ScaleT2 = true
	want := map[snippetLang]string{
		snippetPyTorch: "loss = loss * 2.0**2",
		snippetSciPy:   "loss = loss * np.float32(2.0**2)",
		snippetNumPy:   "loss = loss * np.float32(2.0**2)",
	}
	codes := map[snippetLang]string{}
	for lang, line := range want {
		codes[lang] = mustSnippet(t, s, lang)
		if !strings.Contains(codes[lang], "\n"+line+"\n") {
			t.Errorf("%v snippet with the T² switch on lacks %q:\n%s", lang, line, codes[lang])
		}
		off := s
		off.ScaleT2 = false
		if code := mustSnippet(t, off, lang); strings.Contains(code, "\nloss = loss *") || !strings.Contains(code, "# comparable across temperatures: loss = loss * 2.0**2") {
			t.Errorf("%v snippet with the switch off:\n%s", lang, code)
		}
	}
	c := newCalculator()
	c.state = s
	c.guard(c.recompute)
	value, _, scaled := headline(c.result, c.distillT2(), true)
	if !scaled {
		t.Fatal("the headline is not scaled")
	}
	py := python(t, true)
	var res []runResult
	runPython(t, py, runDriver, []string{codes[snippetNumPy]}, &res)
	if len(res) != 1 || res[0].Err != "" || len(res[0].Loss) != 1 {
		t.Fatalf("NumPy snippet: %+v", res)
	}
	if got, _ := strconv.ParseFloat(res[0].Loss[0], 64); !near(got, value, 1e-6) {
		t.Errorf("NumPy snippet's loss %v, headline %v", got, value)
	}
	if exec.Command("/usr/bin/python3", "-c", "import torch").Run() != nil {
		t.Skip("no PyTorch in /usr/bin/python3: the PyTorch snippet was not run")
	}
	res = nil
	runPython(t, "/usr/bin/python3", runDriver, []string{codes[snippetPyTorch]}, &res)
	if len(res) != 1 || res[0].Err != "" || len(res[0].Loss) != 1 {
		t.Fatalf("PyTorch snippet: %+v", res)
	}
	if got, _ := strconv.ParseFloat(res[0].Loss[0], 64); got != value {
		t.Errorf("PyTorch snippet's loss %v, headline %v (want the same float32)", got, value)
	}
}

// gradDriver runs each PyTorch snippet and returns the bits of the
// gradients it leaves, as the Gradient tab names them.
const gradDriver = `
import contextlib, io, json, struct, sys, traceback
out = []
for src in json.load(sys.stdin):
    ns = {}
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            exec(src, ns)
        g = {"input": ns["input"].grad, "target": ns["target"].grad}
        if "dL/dlogits of Q" in src:
            g["q_logits"] = ns["q"].grad
        if "dL/dlogits of P" in src:
            g["p_logits"] = ns["p"].grad
        out.append({k: ["%016x" % struct.unpack("<Q", struct.pack("<d", float(x)))[0] for x in v.reshape(-1).tolist()] for k, v in g.items()})
    except Exception:
        out.append({"err": [traceback.format_exc()]})
json.dump(out, sys.stdout)
`

// TestSnippetGradients runs the PyTorch snippet of several states in
// PyTorch (Debian's /usr/bin/python3) and checks that the gradients it
// leaves are, bit for bit, the ones the Gradient tab shows.
func TestSnippetGradients(t *testing.T) {
	if exec.Command("/usr/bin/python3", "-c", "import torch").Run() != nil {
		t.Skip("no PyTorch in /usr/bin/python3")
	}
	var states []State
	add := func(f func(s *State)) {
		s := defaultState()
		f(&s)
		states = append(states, s)
	}
	add(func(s *State) {})
	add(func(s *State) {
		s.P, s.Q = [][]string{{"0", "1", "0"}, {"0.5", "0.5", "0"}}, [][]string{{"0.2", "0.3", "0.5"}, {"0", "0.5", "0.5"}}
	})
	add(func(s *State) {
		s.P, s.Q = [][]string{{"2.1", "-0.3", "0.5"}, {"1", "2", "3"}}, [][]string{{"1.2", "0.4", "-1"}, {"0", "0", "1"}}
		s.PForm, s.QForm, s.PTemp, s.QTemp, s.ScaleT2 = compute.FormLogits, compute.FormLogits, "4", "4", true
	})
	add(func(s *State) {
		s.P, s.Q = [][]string{{"3", "1", "0"}}, [][]string{{"-1.5", "-0.5", "-2"}, {"-1", "-1", "-1.2"}}
		s.PForm, s.QForm, s.DType, s.Reduction = compute.FormCounts, compute.FormLog, compute.DTypeFloat64, compute.ReductionMean
	})
	add(func(s *State) {
		s.P, s.Q = [][]string{{"-0.1", "-2", "-inf"}}, [][]string{{"5", "1", "0.5"}}
		s.PForm, s.QForm, s.QTemp, s.Reduction = compute.FormLog, compute.FormLogits, "0.5", compute.ReductionNone
	})
	var codes []string
	var want []map[string][]string
	for _, s := range states {
		codes = append(codes, mustSnippet(t, s, snippetPyTorch))
		c := newCalculator()
		c.state = s
		c.guard(c.recompute)
		d := newGradData(c.kl, c.distillT2())
		if d.G == nil {
			t.Fatalf("%+v: no gradients: %s", s, d.Err)
		}
		w := map[string][]string{}
		for name, tn := range map[string]compute.Tensor{"input": d.G.Input, "target": d.G.Target, "q_logits": d.G.QLogits, "p_logits": d.G.PLogits} {
			if tn.Data == nil {
				continue
			}
			for _, x := range tn.Data {
				w[name] = append(w[name], fmt.Sprintf("%016x", math.Float64bits(x)))
			}
		}
		want = append(want, w)
	}
	var got []map[string][]string
	runPython(t, "/usr/bin/python3", gradDriver, codes, &got)
	for i := range states {
		if e := got[i]["err"]; e != nil {
			t.Fatalf("state %d: %s\n%s", i, e[0], codes[i])
		}
		if len(got[i]) != len(want[i]) {
			t.Errorf("state %d: PyTorch has gradients %v, the tab %v", i, keys(got[i]), keys(want[i]))
		}
		for name, w := range want[i] {
			if !slices.Equal(got[i][name], w) {
				t.Errorf("state %d %s: PyTorch %v, the tab %v", i, name, got[i][name], w)
			}
		}
	}
}

func keys(m map[string][]string) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// TestSnippetNumPyRunsHalf: the NumPy program of a bfloat16 state (float32
// arrays: NumPy has no bfloat16) and of a float16 one runs, and comes
// within a few units of the type's last place of Σ|term| / divisor of
// PyTorch's value (bfloat16 keeps 8 significant bits, float16 11).
func TestSnippetNumPyRunsHalf(t *testing.T) {
	py := python(t, true)
	states := []State{
		{P: [][]string{{"0.1", "0.2", "0.7"}}, Q: [][]string{{"0.3", "0.3", "0.4"}}, Reduction: compute.ReductionSum, DType: compute.DTypeBFloat16},
		{P: [][]string{{"0.1", "0.9"}, {"0.5", "0.5"}}, Q: [][]string{{"0.2", "0.8"}, {"0.4", "0.6"}}, Reduction: compute.ReductionBatchMean, DType: compute.DTypeBFloat16},
		{P: [][]string{{"0.1", "0.2", "0.7"}}, Q: [][]string{{"-1.2", "-1.2", "-0.92"}}, QForm: compute.FormLog, Reduction: compute.ReductionMean, DType: compute.DTypeFloat16},
	}
	var codes []string
	for _, s := range states {
		code := mustSnippet(t, s, snippetNumPy)
		if strings.Contains(code, "np.bfloat16") {
			t.Errorf("%s: NumPy has no bfloat16:\n%s", s.Encode(), code)
		}
		codes = append(codes, code)
	}
	var res []runResult
	runPython(t, py, runDriver, codes, &res)
	for i, s := range states {
		if res[i].Err != "" {
			t.Errorf("%s: raised %s\n%s", s.Encode(), res[i].Err, codes[i])
			continue
		}
		p, q, opt, _, err := s.problem()
		if err != nil {
			t.Fatal(err)
		}
		want, err := compute.Calculate(p, q, opt)
		if err != nil {
			t.Fatal(err)
		}
		got, err := strconv.ParseFloat(strings.TrimSpace(res[i].Stdout), 64)
		// Rounding errors scale with the terms, which cancel in the sum:
		// a few units of the type's last place of Σ|term| / divisor.
		ulp := math.Ldexp(1, -8)
		if s.DType == compute.DTypeFloat16 {
			ulp = math.Ldexp(1, -11)
		}
		var abs float64
		for _, tm := range want.Terms.All() {
			abs += math.Abs(tm.Value)
		}
		if err != nil || math.Abs(got-want.Value) > 8*ulp*abs/want.Divisor {
			t.Errorf("%s: prints %q, PyTorch's %s value is %v", s.Encode(), res[i].Stdout, s.DType, want.Value)
		}
	}
}
