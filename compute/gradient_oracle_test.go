package compute

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"testing"
)

// The gradient oracle: testdata/gradient/cases.jsonl.gz holds, for the
// value oracle's case families, the .grad that PyTorch 1.13.1's autograd
// leaves on kl_div's input and target and on the logits
// (testdata/gradient/gen.py wrote it). TestGradientOracle compares
// Gradients with every element, with the budgets of the value oracle.

type gradRecord struct {
	Bits   string `json:"bits"`
	Sample []int  `json:"sample"`
	SHA256 string `json:"sha256"`
}

type gradCase struct {
	ID    string                           `json:"id"`
	DType string                           `json:"dtype"`
	P     oracleSide                       `json:"p"`
	Q     oracleSide                       `json:"q"`
	Grad  map[string]map[string]gradRecord `json:"grad"`
	Error string                           `json:"error"` // PyTorch's RuntimeError (float16 without a kernel)
}

func TestGradientOracle(t *testing.T) {
	checkGradientOracle(t, "testdata/gradient/cases.jsonl.gz", []DType{DTypeFloat32, DTypeFloat64}, 1000)
}

// TestGradientOracle16 is TestGradientOracle for bfloat16 and float16:
// testdata/oracle/grad16.jsonl.gz, written by testdata/oracle/gen.py from
// its 16-bit case families.
func TestGradientOracle16(t *testing.T) {
	checkGradientOracle(t, "testdata/oracle/grad16.jsonl.gz", []DType{DTypeBFloat16, DTypeFloat16}, 500)
}

// checkGradientOracle compares Gradients with every gradient of the
// oracle at path, whose cases are of the dtypes dts, with the budgets of
// the value oracle.
func checkGradientOracle(t *testing.T, path string, dts []DType, minCases int) {
	var cases []gradCase
	header := readLines(t, path, func(b []byte) {
		var c gradCase
		if err := json.Unmarshal(b, &c); err != nil {
			t.Fatalf("case %d: %v", len(cases)+1, err)
		}
		cases = append(cases, c)
	})
	if len(cases) < minCases {
		t.Fatalf("%d gradient cases, want at least %d", len(cases), minCases)
	}
	t.Logf("gradient oracle: %s", header)
	byDType := map[DType]*oracleTally{}
	for _, dt := range dts {
		byDType[dt] = &oracleTally{}
	}
	byWhat := map[string]*oracleTally{}
	var misses []oracleMiss
	errorCases := 0
	for _, c := range cases {
		dt, err := ParseDType(c.DType)
		if err != nil {
			t.Fatal(err)
		}
		p, q := c.P.side(t, dt), c.Q.side(t, dt)
		if c.Error != "" {
			var de *DTypeError
			_, err := Gradients(p, q, Options{DType: dt})
			if !errors.As(err, &de) || fmt.Sprintf("%q not implemented for '%s'", de.Kernel, torchTypeName(dt)) != c.Error {
				t.Errorf("%s: PyTorch raises %q, Gradients returns %v", c.ID, c.Error, err)
			}
			errorCases++
			continue
		}
		var exact map[string]*Gradient // compute's accurate path on the dtype-rounded inputs, for the misses
		for rname, recs := range c.Grad {
			factor := 1.0
			name, scaled := strings.CutSuffix(rname, "*T**2")
			if scaled {
				factor = p.Temperature * p.Temperature
			}
			red, err := ParseReduction(name)
			if err != nil {
				t.Fatal(err)
			}
			g, err := GradientsOf(p, q, Options{Reduction: red, DType: dt}, factor)
			if err != nil {
				t.Errorf("%s: %v", c.ID, err)
				continue
			}
			for what, rec := range recs {
				got := map[string]Tensor{"input": g.Input, "target": g.Target, "q_logits": g.QLogits, "p_logits": g.PLogits}[what]
				key := fmt.Sprintf("%s %s", c.DType, what)
				if byWhat[key] == nil {
					byWhat[key] = &oracleTally{}
				}
				want := strings.Fields(rec.Bits)
				pos := rec.Sample
				if pos == nil {
					if len(want) != len(got.Data) {
						t.Errorf("%s %s %s: %d values, PyTorch %d", c.ID, rname, what, len(got.Data), len(want))
						continue
					}
					pos = make([]int, len(want))
					for i := range pos {
						pos[i] = i
					}
				} else {
					h := sha256.New()
					for _, v := range got.Data {
						b := math.Float64bits(v)
						if (dt == DTypeBFloat16 || dt == DTypeFloat16) && v != v {
							b = 0x7ff8000000000000 // gen.py hashes every 16-bit NaN so
						}
						h.Write(binary.LittleEndian.AppendUint64(nil, b))
					}
					if fmt.Sprintf("%x", h.Sum(nil)) != rec.SHA256 {
						t.Logf("%s %s %s: the %d values are not all PyTorch's bits (SHA-256 differs); the sample is checked", c.ID, rname, what, len(got.Data))
					}
				}
				for i, k := range pos {
					w := torchBits(t, want[i], dt)
					u, ok := byDType[dt].add(got.Data[k], w, dt)
					byWhat[key].add(got.Data[k], w, dt)
					if ok {
						continue
					}
					if exact == nil {
						exact = map[string]*Gradient{}
					}
					if exact[rname] == nil {
						rp, rq := p, q
						a := arithOf(dt)
						rp.Data, rq.Data = a.roundTensor(p.Data), a.roundTensor(q.Data)
						exact[rname] = gradients(rp, rq, Options{Reduction: red, DType: dt}, factor, arithExact)
					}
					ex := exact[rname]
					x := map[string]Tensor{"input": ex.Input, "target": ex.Target, "q_logits": ex.QLogits, "p_logits": ex.PLogits}[what].Data[k]
					m := oracleMiss{id: c.ID, what: fmt.Sprintf("%s %s[%d]", rname, what, k), got: got.Data[k], want: w, ulps: u, errOurs: math.NaN(), errPyT: math.NaN()}
					if x = a32(x, dt); isFinite(x) && isFinite(got.Data[k]) && isFinite(w) {
						m.errOurs, m.errPyT = ulpDist(got.Data[k], x, dt), ulpDist(w, x, dt)
					}
					misses = append(misses, m)
				}
			}
		}
	}

	var b strings.Builder
	fmt.Fprintf(&b, "\n%-28s %7s  %7s  %7s  %7s  %7s  %7s   %s\n", "", "values", "exact", "≤1 ulp", "≤2 ulp", "≤4 ulp", ">4 ulp", "special wrong/all")
	for _, dt := range dts {
		fmt.Fprintln(&b, byDType[dt].row(dt.String()))
	}
	if errorCases > 0 {
		fmt.Fprintf(&b, "%d cases where PyTorch raises RuntimeError (no kernel), and so does Gradients (*DTypeError)\n", errorCases)
	}
	keys := make([]string, 0, len(byWhat))
	for k := range byWhat {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintln(&b, byWhat[k].row(k))
	}
	t.Log(b.String())

	sort.Slice(misses, func(i, j int) bool { return misses[i].ulps > misses[j].ulps })
	for i, m := range misses {
		if i < 30 {
			t.Logf("%s %s: ours %v, PyTorch %v: %g ulp apart; from the accurate value: ours %g ulp, PyTorch %g ulp", m.id, m.what, m.got, m.want, m.ulps, m.errOurs, m.errPyT)
		}
		if m.ulps > 4 {
			if m.errPyT > 4 {
				t.Logf("exception: %s %s: PyTorch is %g ulp from the accurate value", m.id, m.what, m.errPyT)
			} else {
				t.Errorf("%s %s: ours %v, PyTorch %v: %g ulp apart (PyTorch %g ulp from accurate, ours %g)", m.id, m.what, m.got, m.want, m.ulps, m.errPyT, m.errOurs)
			}
		}
	}
	for _, dt := range dts {
		o := byDType[dt]
		if o.n == 0 {
			t.Errorf("%s: no gradient values", dt)
			continue
		}
		if o.specialBad != 0 {
			t.Errorf("%s: %d gradient values differ from PyTorch in NaN, ±Inf or the sign of 0", dt, o.specialBad)
		}
		if share := float64(o.exact) / float64(o.n); share < oracleExactBudget {
			t.Errorf("%s: %.3f%% of gradient values are PyTorch's bits, want ≥ %.0f%%", dt, 100*share, 100*oracleExactBudget)
		}
	}
}

// a32 rounds an accurate reference to the dtype it is compared in.
func a32(x float64, dt DType) float64 { return arithOf(dt).round(x) }
