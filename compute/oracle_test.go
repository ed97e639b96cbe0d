package compute

import (
	"bufio"
	"compress/gzip"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/klcalc/klcalc/compute/internal/torchcpu"
)

// The PyTorch oracle: testdata/oracle/cases.jsonl.gz holds seeded kl_div
// problems with the values PyTorch 1.13.1 (Debian's python3-torch, AVX2, one
// thread) returned for them; testdata/oracle/gen.py wrote it (make oracle).
// TestOracle compares Calculate with every value, in ulps of the dtype.

type oracleSide struct {
	Form  string `json:"form"`
	Shape []int  `json:"shape"`
	Data  string `json:"data"`
	T     string `json:"t"`
	Gen   *struct {
		Seed   uint64  `json:"seed"`
		Scale  float64 `json:"scale"`
		Offset float64 `json:"offset"`
		// Set lists [position, value] pairs written over the generated
		// values (the 16-bit cases' injected specials), the value as a
		// Python repr ("nan", "-inf", "65504.0").
		Set [][2]json.RawMessage `json:"set"`
	} `json:"gen"`
}

type oracleCase struct {
	ID    string     `json:"id"`
	DType string     `json:"dtype"`
	P     oracleSide `json:"p"`
	Q     oracleSide `json:"q"`
	Torch struct {
		Sum, Mean, BatchMean string
		Shape                []int
		None                 string
		Sample               []int
		SHA256               string
		Error                string // PyTorch's RuntimeError (float16 cases without a kernel)
	} `json:"torch"`
}

// readLines calls line for every line after the first of a gzipped file of
// JSON lines, as the generators write them, and returns the first, their
// header.
func readLines(t testing.TB, path string, line func(b []byte)) (header string) {
	f, err := os.Open(path)
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
		line(sc.Bytes())
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return header
}

// readOracle reads the cases; the first line is the generator's header.
func readOracle(t testing.TB) (header string, cases []oracleCase) {
	header = readLines(t, "testdata/oracle/cases.jsonl.gz", func(b []byte) {
		var c oracleCase
		if err := json.Unmarshal(b, &c); err != nil {
			t.Fatalf("case %d: %v", len(cases)+1, err)
		}
		cases = append(cases, c)
	})
	return header, cases
}

// splitmix regenerates gen.py's large inputs: u·scale + offset with u from
// SplitMix64.
func splitmix(seed uint64, n int, scale, offset float64) []float64 {
	out := make([]float64, n)
	x := seed
	for i := range out {
		x += 0x9E3779B97F4A7C15
		z := x
		z = (z ^ z>>30) * 0xBF58476D1CE4E5B9
		z = (z ^ z>>27) * 0x94D049BB133111EB
		z ^= z >> 31
		u := float64(z>>11) * 0x1p-53
		out[i] = float64(u*scale) + offset
	}
	return out
}

func (s oracleSide) side(t testing.TB, dt DType) Side {
	var data []float64
	if s.Gen != nil {
		n := 1
		for _, d := range s.Shape {
			n *= d
		}
		data = splitmix(s.Gen.Seed, n, s.Gen.Scale, s.Gen.Offset)
		if dt == DTypeFloat32 {
			data = round32(Tensor{Data: data}).Data
		}
		for _, pv := range s.Gen.Set {
			var pos int
			var val string
			if err := json.Unmarshal(pv[0], &pos); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(pv[1], &val); err != nil {
				t.Fatal(err)
			}
			v, err := strconv.ParseFloat(val, 64)
			if err != nil {
				t.Fatal(err)
			}
			data[pos] = v
		}
	} else {
		for _, f := range strings.Fields(s.Data) {
			v, err := strconv.ParseFloat(f, 64)
			if err != nil {
				t.Fatal(err)
			}
			data = append(data, v)
		}
	}
	form, err := ParseForm(s.Form)
	if err != nil {
		t.Fatal(err)
	}
	T := 1.0
	if s.T != "" {
		T, err = strconv.ParseFloat(s.T, 64)
		if err != nil {
			t.Fatal(err)
		}
	}
	return Side{Data: Tensor{Shape: append([]int{}, s.Shape...), Data: data}, Form: form, Temperature: T}
}

// torchBits decodes one value of the oracle, widened to float64.
func torchBits(t testing.TB, h string, dt DType) float64 {
	u, err := strconv.ParseUint(h, 16, 64)
	if err != nil {
		t.Fatal(err)
	}
	switch dt {
	case DTypeFloat32:
		return float64(math.Float32frombits(uint32(u)))
	case DTypeBFloat16:
		return float64(torchcpu.BFloat16FromBits(uint16(u)))
	case DTypeFloat16:
		return float64(torchcpu.Float16FromBits(uint16(u)))
	}
	return math.Float64frombits(u)
}

// ulps is the distance between two finite values in units in the last
// place of the dtype (the number of representable values between them);
// a value that is not of the dtype is rounded to it first.
func ulpDist(a, b float64, dt DType) float64 {
	ord := func(x float64) int64 {
		var h uint16
		switch dt {
		case DTypeFloat32:
			u := int64(math.Float32bits(float32(x)))
			if u&(1<<31) != 0 {
				return -(u &^ (1 << 31))
			}
			return u
		case DTypeBFloat16:
			h = torchcpu.BFloat16Bits(torchcpu.BFloat16(float32(x)))
		case DTypeFloat16:
			h = torchcpu.Float16Bits(torchcpu.Float16(float32(x)))
		default:
			u := math.Float64bits(x)
			if u&(1<<63) != 0 {
				return -int64(u &^ (1 << 63))
			}
			return int64(u)
		}
		if h&0x8000 != 0 {
			return -int64(h &^ 0x8000)
		}
		return int64(h)
	}
	d := ord(a) - ord(b)
	if d < 0 {
		d = -d
	}
	return float64(d)
}

// sameSpecial reports whether a and b agree on NaN, ±Inf and signed zero.
func sameSpecial(a, b float64) bool {
	switch {
	case math.IsNaN(a) || math.IsNaN(b):
		return math.IsNaN(a) && math.IsNaN(b)
	case math.IsInf(a, 0) || math.IsInf(b, 0) || a == 0 || b == 0:
		return math.Float64bits(a) == math.Float64bits(b)
	}
	return true
}

// oracleTally counts values by their distance from PyTorch's.
type oracleTally struct {
	n, exact, le1, le2, le4, gt4, special, specialBad int
}

func (o *oracleTally) add(got, want float64, dt DType) (ulp float64, ok bool) {
	o.n++
	if !sameSpecial(got, want) {
		o.specialBad++
		return math.Inf(1), false
	}
	if math.IsNaN(want) || math.IsInf(want, 0) || want == 0 {
		o.special++
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

func (o oracleTally) row(name string) string {
	pct := func(k int) string { return fmt.Sprintf("%6.2f%%", 100*float64(k)/float64(max(o.n, 1))) }
	return fmt.Sprintf("%-28s %7d  %s  %s  %s  %s  %s   %d/%d", name, o.n,
		pct(o.exact), pct(o.le1), pct(o.le2), pct(o.le4), pct(o.gt4), o.specialBad, o.special)
}

// oracleMiss is one value that is not PyTorch's bits.
type oracleMiss struct {
	id, what        string
	got, want       float64
	ulps            float64
	errOurs, errPyT float64 // ulps from the high-precision value (NaN if it has none)
}

func TestOracle(t *testing.T) {
	header, cases := readOracle(t)
	if len(cases) < 2000 {
		t.Fatalf("%d oracle cases, want at least 2000", len(cases))
	}
	t.Logf("oracle: %s", header)
	byDType := map[DType]*oracleTally{}
	for _, dt := range DTypes() {
		byDType[dt] = &oracleTally{}
	}
	dtypeErrors := map[DType]int{}
	byForm := map[string]*oracleTally{}
	var misses []oracleMiss
	var apart []float64 // float64 'sum': ulps between PyTorch's cascade sum and the accurate sum of the same terms
	for _, c := range cases {
		dt, err := ParseDType(c.DType)
		if err != nil {
			t.Fatal(err)
		}
		p, q := c.P.side(t, dt), c.Q.side(t, dt)
		res, err := Calculate(p, q, Options{Reduction: ReductionNone, DType: dt})
		if c.Torch.Error != "" {
			// PyTorch raised RuntimeError: "<kernel>" not implemented for '<type>'.
			var de *DTypeError
			if !errors.As(err, &de) || fmt.Sprintf("%q not implemented for '%s'", de.Kernel, torchTypeName(dt)) != c.Torch.Error {
				t.Errorf("%s: PyTorch raises %q, Calculate returns %v", c.ID, c.Torch.Error, err)
			}
			dtypeErrors[dt]++
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.ID, err)
			continue
		}
		form := fmt.Sprintf("%s P %s, Q %s", c.DType, c.P.Form, c.Q.Form)
		if byForm[form] == nil {
			byForm[form] = &oracleTally{}
		}
		check := func(what string, got float64, want string, exact func() float64) {
			w := torchBits(t, want, dt)
			u, ok := byDType[dt].add(got, w, dt)
			byForm[form].add(got, w, dt)
			if !ok {
				m := oracleMiss{id: c.ID, what: what, got: got, want: w, ulps: u, errOurs: math.NaN(), errPyT: math.NaN()}
				if x := exact(); isFinite(x) && isFinite(got) && isFinite(w) {
					m.errOurs, m.errPyT = ulpDist(got, x, dt), ulpDist(w, x, dt)
				}
				misses = append(misses, m)
			}
		}
		// The high-precision values, computed once per case at its first
		// miss.
		var exact *hpResult
		hp := func(r Reduction, k int) func() float64 {
			return func() float64 {
				if exact == nil {
					exact = hpPipeline(p, q, dt)
				}
				return exact.at(r, k)
			}
		}
		check("sum", res.All[0].Value, c.Torch.Sum, hp(ReductionSum, -1))
		if acc := Sum(res.Output.Data); dt == DTypeFloat64 && isFinite(acc) && isFinite(res.All[0].Value) {
			apart = append(apart, ulpDist(acc, res.All[0].Value, dt))
		}
		check("mean", res.All[1].Value, c.Torch.Mean, hp(ReductionMean, -1))
		check("batchmean", res.All[2].Value, c.Torch.BatchMean, hp(ReductionBatchMean, -1))
		want := strings.Fields(c.Torch.None)
		pos := c.Torch.Sample
		if pos == nil {
			if len(want) != len(res.Output.Data) {
				t.Errorf("%s: 'none' has %d values, PyTorch %d", c.ID, len(res.Output.Data), len(want))
				continue
			}
			pos = make([]int, len(want))
			for i := range pos {
				pos[i] = i
			}
		} else {
			h := sha256.New()
			for _, v := range res.Output.Data {
				b := math.Float64bits(v)
				if (dt == DTypeBFloat16 || dt == DTypeFloat16) && v != v {
					b = 0x7ff8000000000000 // gen.py hashes every 16-bit NaN so
				}
				h.Write(binary.LittleEndian.AppendUint64(nil, b))
			}
			if got := fmt.Sprintf("%x", h.Sum(nil)); got != c.Torch.SHA256 {
				t.Logf("%s: the %d 'none' values are not all PyTorch's bits (SHA-256 differs); the sample is checked", c.ID, len(res.Output.Data))
			}
		}
		for i, k := range pos {
			check(fmt.Sprintf("none[%d]", k), res.Output.Data[k], want[i], hp(ReductionNone, k))
		}
	}

	var b strings.Builder
	fmt.Fprintf(&b, "\n%-28s %7s  %7s  %7s  %7s  %7s  %7s   %s\n", "", "values", "exact", "≤1 ulp", "≤2 ulp", "≤4 ulp", ">4 ulp", "special wrong/all")
	for _, dt := range DTypes() {
		fmt.Fprintln(&b, byDType[dt].row(dt.String()))
	}
	forms := make([]string, 0, len(byForm))
	for f := range byForm {
		forms = append(forms, f)
	}
	sort.Strings(forms)
	for _, f := range forms {
		fmt.Fprintln(&b, byForm[f].row(f))
	}
	sort.Float64s(apart)
	fmt.Fprintf(&b, "float64 sums, PyTorch's order against the compensated sum of the same terms: %d sums, %.1f%% equal, median %g ulp, 99th percentile %g ulp, worst %g ulp\n",
		len(apart), 100*float64(sort.SearchFloat64s(apart, 0.5))/float64(len(apart)), apart[len(apart)/2], apart[len(apart)*99/100], apart[len(apart)-1])
	for _, dt := range DTypes() {
		if n := dtypeErrors[dt]; n > 0 {
			fmt.Fprintf(&b, "%s: %d cases where PyTorch raises RuntimeError (no kernel), and so does Calculate (*DTypeError)\n", dt, n)
		}
	}
	t.Log(b.String())

	// The values that are not PyTorch's bits, with how far each side is
	// from the high-precision value of the same formula.
	sort.Slice(misses, func(i, j int) bool { return misses[i].ulps > misses[j].ulps })
	var exceptions int
	for i, m := range misses {
		verdict := ""
		switch {
		case math.IsNaN(m.errOurs):
			verdict = "no high-precision value"
		case m.errOurs < m.errPyT:
			verdict = "ours is closer to the exact value"
		case m.errOurs > m.errPyT:
			verdict = "PyTorch's is closer"
		default:
			verdict = "equally far"
		}
		if i < 40 {
			t.Logf("%s %s: ours %v, PyTorch %v: %g ulp apart; from the exact value: ours %g ulp, PyTorch %g ulp (%s)",
				m.id, m.what, m.got, m.want, m.ulps, m.errOurs, m.errPyT, verdict)
		}
		if m.ulps > 4 {
			if m.errPyT > 4 {
				exceptions++
				t.Logf("exception: %s %s: PyTorch is %g ulp from the exact value", m.id, m.what, m.errPyT)
			} else {
				t.Errorf("%s %s: ours %v, PyTorch %v: %g ulp apart (PyTorch %g ulp from exact, ours %g)",
					m.id, m.what, m.got, m.want, m.ulps, m.errPyT, m.errOurs)
			}
		}
	}
	// The budgets of issue 8, for every dtype.
	for _, dt := range DTypes() {
		o := byDType[dt]
		if o.n == 0 {
			t.Errorf("%s: no oracle values", dt)
			continue
		}
		if o.specialBad != 0 {
			t.Errorf("%s: %d values differ from PyTorch in NaN, ±Inf or the sign of 0", dt, o.specialBad)
		}
		if share := float64(o.exact) / float64(o.n); share < oracleExactBudget {
			t.Errorf("%s: %.3f%% of values are PyTorch's bits, want ≥ %.0f%%", dt, 100*share, 100*oracleExactBudget)
		}
	}
}

// oracleExactBudget is the share of values that must be PyTorch's bits.
const oracleExactBudget = 0.99

// hpResult is kl_div computed with exact arithmetic: the terms and the
// three reductions, each rounded once to the dtype at the end. ok is false
// where an intermediate is not finite or a probability is not positive,
// where "exact" has no meaning to compare with.
type hpResult struct {
	ok                   bool
	terms                []float64
	sum, mean, batchmean float64
}

func (h *hpResult) at(r Reduction, k int) float64 {
	switch {
	case !h.ok:
		return math.NaN()
	case r == ReductionNone:
		return h.terms[k]
	case r == ReductionSum:
		return h.sum
	case r == ReductionMean:
		return h.mean
	}
	return h.batchmean
}

// hpPipeline evaluates PyTorch's formula at 256 bits on the same
// dtype-rounded inputs.
func hpPipeline(p, q Side, dt DType) *hpResult {
	a := arithOf(dt)
	logs := func(s Side) ([]*big.Float, bool) {
		src := a.roundTensor(s.Data)
		_, cols := src.rowsCols()
		out := make([]*big.Float, len(src.Data))
		for i0 := 0; i0 < len(src.Data); i0 += max(cols, 1) {
			row := src.Data[i0 : i0+cols]
			switch s.Form {
			case FormProb, FormLog:
				for j, v := range row {
					if !isFinite(v) || s.Form == FormProb && !(v > 0) {
						return nil, false
					}
					if s.Form == FormLog {
						out[i0+j] = hpFloat(v)
					} else {
						out[i0+j] = hpLog(hpFloat(v))
					}
				}
			case FormCounts:
				sum := hpFloat(0)
				for _, v := range row {
					if !(v > 0) || !isFinite(v) {
						return nil, false
					}
					sum.Add(sum, hpFloat(v))
				}
				ls := hpLog(sum)
				for j, v := range row {
					out[i0+j] = new(big.Float).SetPrec(hpPrec).Sub(hpLog(hpFloat(v)), ls)
				}
			case FormLogits:
				T := a.round(s.Temperature)
				if !(T > 0) || !isFinite(T) {
					return nil, false
				}
				z := make([]*big.Float, len(row))
				var m *big.Float
				for j, v := range row {
					if !isFinite(v) {
						return nil, false
					}
					z[j] = new(big.Float).SetPrec(hpPrec).Quo(hpFloat(v), hpFloat(T))
					if m == nil || z[j].Cmp(m) > 0 {
						m = z[j]
					}
				}
				sum := hpFloat(0)
				for _, zj := range z {
					sum.Add(sum, hpExp(new(big.Float).SetPrec(hpPrec).Sub(zj, m)))
				}
				lse := new(big.Float).SetPrec(hpPrec).Add(m, hpLog(sum))
				for j := range z {
					out[i0+j] = new(big.Float).SetPrec(hpPrec).Sub(z[j], lse)
				}
			}
		}
		return out, true
	}
	lp, ok1 := logs(p)
	lq, ok2 := logs(q)
	if !ok1 || !ok2 {
		return &hpResult{}
	}
	shape, _ := BroadcastShapes(q.Data.Shape, p.Data.Shape)
	rows, cols := Tensor{Shape: shape}.rowsCols()
	ip, iq := indexer(p.Data, shape), indexer(q.Data, shape)
	h := &hpResult{ok: true, terms: make([]float64, rows*cols)}
	total := hpFloat(0)
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			lpv := lp[ip.at(i, j)]
			d := new(big.Float).SetPrec(hpPrec).Sub(lpv, lq[iq.at(i, j)])
			term := d.Mul(d, hpExp(lpv))
			f, _ := term.Float64()
			h.terms[i*cols+j] = a.round(f)
			total.Add(total, term)
		}
	}
	div := func(d float64) float64 {
		f, _ := new(big.Float).SetPrec(hpPrec).Quo(total, hpFloat(d)).Float64()
		return a.round(f)
	}
	h.sum, h.mean, h.batchmean = div(1), div(float64(rows*cols)), div(1)
	if len(q.Data.Shape) > 0 {
		h.batchmean = div(float64(q.Data.Shape[0]))
	}
	return h
}
