package compute

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// The library oracle: testdata/frameworks/cases.jsonl.gz holds seeded P, Q
// pairs with what SciPy 1.10.1 (scipy.stats.entropy, rel_entr(...).sum(-1),
// kl_div(...).sum(-1)), NumPy 1.24.2 and PyTorch 1.13.1
// (kl_divergence(Categorical(probs=p), Categorical(probs=q))) returned for
// them on Debian's x86-64 build, one thread; testdata/frameworks/gen.py
// wrote it (/usr/bin/python3 compute/testdata/frameworks/gen.py).
// TestFrameworksOracle compares CompareFrameworks with every value (each
// row of a 2-D pair, and Value) in ulps of the result's dtype, logs a table
// by library and dtype, and asserts: NaN, ±Inf and ±0 identical; at least
// fwOracleExactBudget of the values bit-identical per library and dtype; an
// Err exactly where the library raises, worded as its message's first
// line. Keras is not installed there and is not compared.

type fwOracleSide struct {
	Shape []int  `json:"shape"`
	Data  string `json:"data"`
}

type fwOracleLib struct {
	Rows  *string `json:"rows"` // nil for a 0-D or 1-D pair
	Value string  `json:"value"`
	Err   string  `json:"err"`
}

type fwOracleCase struct {
	ID    string                 `json:"id"`
	DType string                 `json:"dtype"`
	P     fwOracleSide           `json:"p"`
	Q     fwOracleSide           `json:"q"`
	Lib   map[string]fwOracleLib `json:"lib"`
}

// fwSumCase is one np.sum check: a 1-D array ("1d"), the rows of a
// C-contiguous 2-D array ("2d"), or rows that are one value broadcast with
// stride 0 ("col": Data holds one value per row), each summed over axis -1.
type fwSumCase struct {
	ID     string `json:"id"`
	DType  string `json:"dtype"`
	Layout string `json:"layout"`
	Shape  []int  `json:"shape"`
	Data   string `json:"data"`
	Gen    *struct {
		Seed   uint64  `json:"seed"`
		Scale  float64 `json:"scale"`
		Offset float64 `json:"offset"`
	} `json:"gen"`
	Want string `json:"want"`
}

var fwOracleLibs = []struct {
	key string
	f   Framework
}{
	{"entropy", FrameworkScipyEntropy},
	{"rel_entr", FrameworkScipyRelEntr},
	{"kl_div", FrameworkScipyKLDiv},
	{"categorical", FrameworkTorchDistributions},
}

func readFwOracle(t testing.TB) (header string, cases []fwOracleCase, sums []fwSumCase) {
	header = readLines(t, "testdata/frameworks/cases.jsonl.gz", func(b []byte) {
		if strings.HasPrefix(string(b), `{"id":"s`) {
			var c fwSumCase
			if err := json.Unmarshal(b, &c); err != nil {
				t.Fatalf("sum %d: %v", len(sums)+1, err)
			}
			sums = append(sums, c)
			return
		}
		var c fwOracleCase
		if err := json.Unmarshal(b, &c); err != nil {
			t.Fatalf("case %d: %v", len(cases)+1, err)
		}
		cases = append(cases, c)
	})
	return header, cases, sums
}

func (s fwOracleSide) tensor(t testing.TB) Tensor {
	data := []float64{}
	for _, f := range strings.Fields(s.Data) {
		v, err := strconv.ParseFloat(f, 64)
		if err != nil {
			t.Fatal(err)
		}
		data = append(data, v)
	}
	return Tensor{Shape: append([]int{}, s.Shape...), Data: data}
}

// fwBits decodes a value of the oracle, widened to float64, and its dtype:
// 8 hex digits are a float32, 16 a float64.
func fwBits(t testing.TB, h string) (float64, DType) {
	dt := DTypeFloat64
	if len(h) == 8 {
		dt = DTypeFloat32
	}
	return torchBits(t, h, dt), dt
}

type fwTally struct {
	n, exact, le1, le2, le4, gt4, specialBad, errs, errBad, errText int
}

func (o *fwTally) add(got, want float64, dt DType) (ulps float64, ok bool) {
	o.n++
	if !sameSpecial(got, want) {
		o.specialBad++
		return math.Inf(1), false
	}
	if !isFinite(want) || want == 0 {
		o.exact++
		return 0, true
	}
	u := ulpDist(got, want, dt)
	switch {
	case u == 0:
		o.exact++
	case u <= 1:
		o.le1++
	case u <= 2:
		o.le2++
	case u <= 4:
		o.le4++
	default:
		o.gt4++
	}
	return u, u == 0
}

func (o fwTally) row(name string) string {
	pct := func(k int) string { return fmt.Sprintf("%7.2f%%", 100*float64(k)/float64(max(o.n, 1))) }
	return fmt.Sprintf("%-44s %6d %s %s %s %s %s %6d %6d/%d %4d", name, o.n,
		pct(o.exact), pct(o.le1), pct(o.le2), pct(o.le4), pct(o.gt4), o.specialBad, o.errBad, o.errs, o.errText)
}

type fwMiss struct {
	id, what        string
	dt              DType
	got, want       float64
	ulps            float64
	errOurs, errLib float64 // ulps from the high-precision value, NaN without one
	hp              func() float64
}

func TestFrameworksOracle(t *testing.T) {
	header, cases, _ := readFwOracle(t)
	if len(cases) < 600 {
		t.Fatalf("%d cases, want at least 600", len(cases))
	}
	t.Logf("oracle: %s", header)
	tallies := map[string]*fwTally{}
	var misses []fwMiss
	for _, c := range cases {
		dt, err := ParseDType(c.DType)
		if err != nil {
			t.Fatal(err)
		}
		p, q := c.P.tensor(t), c.Q.tensor(t)
		r, err := Calculate(Side{Data: p}, Side{Data: q}, Options{Reduction: ReductionSum, DType: dt})
		if err != nil {
			t.Errorf("%s: Calculate: %v", c.ID, err)
			continue
		}
		vals := CompareFrameworks(p, q, r)
		for _, lib := range fwOracleLibs {
			want, ok := c.Lib[lib.key]
			if !ok {
				t.Fatalf("%s: no %s in the oracle", c.ID, lib.key)
			}
			key := fmt.Sprintf("%s %s", lib.f, dt)
			if tallies[key] == nil {
				tallies[key] = &fwTally{}
			}
			o := tallies[key]
			got := fwByName(t, vals, lib.f)
			if want.Err != "" || got.Err != "" {
				if want.Err != "" {
					o.errs++
				}
				switch {
				case want.Err == "":
					o.errBad++
					t.Errorf("%s %v: Err %q, but the library returns a value", c.ID, lib.f, got.Err)
				case got.Err == "":
					o.errBad++
					t.Errorf("%s %v: value %v, but the library raises %q", c.ID, lib.f, got.Value, want.Err)
				case got.Err != want.Err:
					o.errText++
					t.Errorf("%s %v: Err %q,\nthe library's %q", c.ID, lib.f, got.Err, want.Err)
				}
				continue
			}
			check := func(what string, g float64, w string, hp func() float64) {
				wv, vdt := fwBits(t, w)
				if vdt == DTypeFloat32 && isFinite(g) && r32(g) != g {
					t.Errorf("%s %v %s: %v is not a float32, the library's result is", c.ID, lib.f, what, g)
				}
				u, ok := o.add(g, wv, vdt)
				if !ok {
					misses = append(misses, fwMiss{id: c.ID, what: fmt.Sprintf("%v %s", lib.f, what), dt: vdt,
						got: g, want: wv, ulps: u, errOurs: math.NaN(), errLib: math.NaN(), hp: hp})
				}
			}
			hpRow := func(i int) func() float64 {
				return func() float64 { return hpFrameworkRow(lib.f, p, q, dt, i) }
			}
			if want.Rows != nil || got.Rows != nil {
				var rows []string
				if want.Rows != nil {
					rows = strings.Fields(*want.Rows)
				}
				if want.Rows == nil || len(rows) != len(got.Rows) {
					t.Errorf("%s %v: %d rows, the library %d", c.ID, lib.f, len(got.Rows), len(rows))
					continue
				}
				for i, w := range rows {
					check(fmt.Sprintf("row %d", i), got.Rows[i], w, hpRow(i))
				}
				check("mean", got.Value, want.Value, func() float64 {
					if len(rows) == 0 {
						return math.NaN()
					}
					s := new(big.Float).SetPrec(hpPrec)
					for i := range rows {
						x := hpFrameworkRow(lib.f, p, q, dt, i)
						if !isFinite(x) {
							return math.NaN()
						}
						s.Add(s, hpFloat(x))
					}
					v, _ := s.Quo(s, hpFloat(float64(len(rows)))).Float64()
					return v
				})
				continue
			}
			check("value", got.Value, want.Value, hpRow(0))
		}
	}

	var b strings.Builder
	fmt.Fprintf(&b, "\n%-44s %6s %8s %8s %8s %8s %8s %6s %6s %4s\n", "", "values", "exact", "≤1 ulp", "≤2 ulp", "≤4 ulp", ">4 ulp",
		"special", "errors", "text")
	keys := make([]string, 0, len(tallies))
	for k := range tallies {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintln(&b, tallies[k].row(k))
	}
	fmt.Fprintf(&b, "(special: values differing in NaN, ±Inf or the sign of 0; errors: Err predicted wrongly / raised by the library; text: Err worded differently)")
	t.Log(b.String())

	// The values that are not the library's bits: those differing in a
	// special value first, then the largest finite differences, with how
	// far each side is from the high-precision value of the formula.
	var special, finite []fwMiss
	for _, m := range misses {
		if math.IsInf(m.ulps, 1) {
			special = append(special, m)
		} else {
			finite = append(finite, m)
		}
	}
	for i, m := range special {
		if i == 10 {
			t.Logf("… and %d more values differing in NaN, ±Inf or the sign of 0", len(special)-i)
			break
		}
		t.Logf("%s %s (%s): ours %v, the library's %v", m.id, m.what, m.dt, m.got, m.want)
	}
	sort.SliceStable(finite, func(i, j int) bool { return finite[i].ulps > finite[j].ulps })
	for i, m := range finite {
		if i == 30 {
			t.Logf("… and %d more values off by at most %g ulp", len(finite)-i, m.ulps)
			break
		}
		if x := m.hp(); isFinite(x) {
			m.errOurs, m.errLib = ulpDist(m.got, x, m.dt), ulpDist(m.want, x, m.dt)
		}
		t.Logf("%s %s (%s): ours %v, the library's %v: %g ulp apart; from the exact value: ours %g ulp, the library's %g ulp",
			m.id, m.what, m.dt, m.got, m.want, m.ulps, m.errOurs, m.errLib)
	}
	for _, k := range keys {
		o := tallies[k]
		if o.specialBad != 0 {
			t.Errorf("%s: %d values differ from the library's in NaN, ±Inf or the sign of 0", k, o.specialBad)
		}
		if share := float64(o.exact) / float64(max(o.n, 1)); share < fwOracleExactBudget {
			t.Errorf("%s: %.2f%% of the values are the library's bits, want ≥ %.0f%%", k, 100*share, 100*fwOracleExactBudget)
		}
	}
}

// fwOracleExactBudget is the share of values that must be the library's bits,
// per library and dtype.
const fwOracleExactBudget = 0.99

// hpFrameworkRow is the value of row i of library f's formula in exact
// arithmetic on P and Q rounded to the dtype (the input the library sees):
// Σ x·ln(x/y) for rel_entr, plus Σ(y − x) for kl_div; the same on
// normalised rows for entropy (P's own rows, then Q's broadcast rows, as
// SciPy normalises them) and for Categorical (each side's own rows, with the
// [eps, 1 − eps] clamp in the logs). It is NaN where an input is not finite
// or negative, or a log's argument is 0, where "exact" has no meaning to
// compare with.
func hpFrameworkRow(f Framework, p, q Tensor, dt DType, i int) float64 {
	shape, ok := BroadcastShapes(q.Shape, p.Shape)
	if !ok {
		return math.NaN()
	}
	_, cols := Tensor{Shape: shape}.rowsCols()
	rnd := func(x float64) float64 {
		if dt == DTypeFloat32 {
			return r32(x)
		}
		return x
	}
	// ownSum is the exact sum of the row of t (as given) holding element k.
	ownSum := func(t Tensor, k int) *big.Float {
		_, c := t.rowsCols()
		s := new(big.Float).SetPrec(hpPrec)
		for j := k / max(c, 1) * c; j < (k/max(c, 1)+1)*c; j++ {
			s.Add(s, hpFloat(rnd(t.Data[j])))
		}
		return s
	}
	pi, qi := indexer(p, shape), indexer(q, shape)
	x, y := make([]*big.Float, cols), make([]*big.Float, cols)
	qsum := new(big.Float).SetPrec(hpPrec)
	for j := 0; j < cols; j++ {
		a, b := rnd(p.Data[pi.at(i, j)]), rnd(q.Data[qi.at(i, j)])
		if !isFinite(a) || !isFinite(b) || a < 0 || b < 0 {
			return math.NaN()
		}
		x[j], y[j] = hpFloat(a), hpFloat(b)
		qsum.Add(qsum, y[j])
	}
	div := func(v, s *big.Float) (*big.Float, bool) {
		if s.Sign() == 0 {
			return nil, false
		}
		return new(big.Float).SetPrec(hpPrec).Quo(v, s), true
	}
	for j := 0; j < cols && (f == FrameworkScipyEntropy || f == FrameworkTorchDistributions); j++ {
		var okP, okQ bool
		x[j], okP = div(x[j], ownSum(p, pi.at(i, j)))
		if f == FrameworkScipyEntropy {
			y[j], okQ = div(y[j], qsum)
		} else {
			y[j], okQ = div(y[j], ownSum(q, qi.at(i, j)))
		}
		if !okP || !okQ {
			return math.NaN()
		}
	}
	eps := 0x1p-52
	if dt == DTypeFloat32 {
		eps = 0x1p-23
	}
	clamp := func(v *big.Float) *big.Float {
		if f != FrameworkTorchDistributions {
			return v
		}
		if v.Cmp(hpFloat(eps)) < 0 {
			return hpFloat(eps)
		}
		if v.Cmp(hpFloat(1-eps)) > 0 {
			return hpFloat(1 - eps)
		}
		return v
	}
	sum := new(big.Float).SetPrec(hpPrec)
	for j := range x {
		if x[j].Sign() == 0 {
			if f == FrameworkScipyKLDiv {
				sum.Add(sum, y[j])
			}
			continue
		}
		if y[j].Sign() == 0 {
			return math.NaN()
		}
		l := new(big.Float).SetPrec(hpPrec).Sub(hpLog(clamp(x[j])), hpLog(clamp(y[j])))
		sum.Add(sum, l.Mul(l, x[j]))
		if f == FrameworkScipyKLDiv {
			sum.Add(sum, new(big.Float).SetPrec(hpPrec).Sub(y[j], x[j]))
		}
	}
	v, _ := sum.Float64()
	return v
}

// npSum against np.sum, bit for bit: lengths 0 to 20000 (across the
// 8-accumulator block, the recursion above 128 and the 8192-element
// buffer), as 1-D arrays, rows of 2-D arrays, and stride-0 broadcast rows.
func TestFrameworksNpSum(t *testing.T) {
	_, _, sums := readFwOracle(t)
	if len(sums) < 200 {
		t.Fatalf("%d np.sum checks, want at least 200", len(sums))
	}
	for _, c := range sums {
		dt, err := ParseDType(c.DType)
		if err != nil {
			t.Fatal(err)
		}
		var data []float64
		if c.Gen != nil {
			n := c.Shape[len(c.Shape)-1]
			if c.Layout != "1d" {
				n *= c.Shape[0]
			}
			if c.Layout == "col" {
				n = c.Shape[0]
			}
			data = splitmix(c.Gen.Seed, n, c.Gen.Scale, c.Gen.Offset)
		} else {
			data = fwOracleSide{Data: c.Data}.tensor(t).Data
		}
		if dt == DTypeFloat32 {
			for i := range data {
				data[i] = r32(data[i])
			}
		}
		cols := c.Shape[len(c.Shape)-1]
		var rows [][]float64
		switch c.Layout {
		case "1d":
			rows = [][]float64{data}
		case "2d":
			for i := 0; i < c.Shape[0]; i++ {
				rows = append(rows, data[i*cols:(i+1)*cols])
			}
		case "col":
			for _, v := range data {
				row := make([]float64, cols)
				for j := range row {
					row[j] = v
				}
				rows = append(rows, row)
			}
		}
		want := strings.Fields(c.Want)
		if len(want) != len(rows) {
			t.Fatalf("%s: %d sums, %d rows", c.ID, len(want), len(rows))
		}
		for i, row := range rows {
			got, w := npSum(row, dt), fwBitsOf(t, want[i])
			if math.Float64bits(got) != math.Float64bits(w) {
				t.Errorf("%s (%s %s, %d values) row %d: npSum %v, np.sum %v", c.ID, c.DType, c.Layout, len(row), i, got, w)
			}
		}
	}
}

func fwBitsOf(t testing.TB, h string) float64 {
	v, _ := fwBits(t, h)
	return v
}
