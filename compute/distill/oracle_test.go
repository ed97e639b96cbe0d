package distill

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"math"
	"os"
	"strconv"
	"testing"

	"github.com/klcalc/klcalc/compute"
)

// oracleCase is one line of testdata/cases.jsonl.gz, written by
// testdata/gen.py: the libraries' functions reimplemented with torch
// 1.13.1's float64 ops.
type oracleCase struct {
	Name    string            `json:"name"`
	Shape   []int             `json:"shape"`
	Teacher json.RawMessage   `json:"teacher"`
	Student json.RawMessage   `json:"student"`
	Mask    []bool            `json:"mask"`
	Beta    string            `json:"beta"`
	T       string            `json:"T"`
	Want    map[string]string `json:"want"` // flavour key → hex of the float64 bits
}

// oracleTol is the largest error allowed against the oracle, relative to
// the magnitude of the terms that are summed (termScale divided by the
// flavour's divisor), or to the value where that is larger. PyTorch's
// float64 log, exp and logsumexp are each within a few ulp, its sum is a
// cascade whose error is at most about log2(n)·ε·Σ|term| ≈ 1.3e-15·Σ|term|
// for the n ≤ 2 400 terms here, and this package's sum is compensated; so
// a correct implementation stays within a few 1e-16 of the scale (the
// largest seen is 1.0e-15, for the entropy), and 1e-14 leaves a margin of
// 10 while any wrong term, sign or divisor is off by far more. Relative
// to the value alone the error can be much larger where the terms cancel
// (a student close to its teacher, a peaked teacher's entropy), which is
// why the scale is the reference. NaN must meet NaN and ±Inf the same
// infinity.
const oracleTol = 1e-14

func TestOracle(t *testing.T) {
	f, err := os.Open("testdata/cases.jsonl.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(z)
	sc.Buffer(nil, 1<<24)
	if !sc.Scan() {
		t.Fatal("empty case file")
	}
	var header struct {
		Torch   string   `json:"torch"`
		Flavors []string `json:"flavors"`
		Cases   int      `json:"cases"`
	}
	if err := json.Unmarshal(sc.Bytes(), &header); err != nil {
		t.Fatal(err)
	}
	for i, f := range Flavors() {
		if i >= len(header.Flavors) || header.Flavors[i] != f.String() {
			t.Fatalf("case file flavours %v, want the order of Flavors()", header.Flavors)
		}
	}

	type stat struct {
		cases, exact, special int
		maxScaled, maxRel     float64
		worst                 string
	}
	stats := make([]stat, numFlavors+1) // the last one is TorchtuneFKL's Entropy
	n := 0
	for sc.Scan() {
		var c oracleCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		n++
		in := c.input(t)
		got, err := Compute(in)
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		scale := termScale(in)
		check := func(k int, key string, g float64, sc float64) {
			want := c.want(t, key)
			st := &stats[k]
			st.cases++
			switch {
			case g == want || math.IsNaN(g) && math.IsNaN(want):
				st.exact++
				if math.IsNaN(want) || math.IsInf(want, 0) {
					st.special++
				}
				return
			case math.IsNaN(want) || math.IsInf(want, 0) || math.IsNaN(g) || math.IsInf(g, 0):
				t.Errorf("%s %s = %v, want %v", c.Name, key, g, want)
				return
			}
			d := math.Abs(g - want)
			rel := d / math.Abs(want)
			scaled := d / math.Max(math.Abs(want), sc)
			if scaled > st.maxScaled {
				st.maxScaled, st.worst = scaled, c.Name
			}
			st.maxRel = math.Max(st.maxRel, rel)
			if scaled > oracleTol {
				t.Errorf("%s %s = %v, want %v (error %.3g of the scale %.3g)", c.Name, key, g, want, scaled, sc)
			}
		}
		for k, v := range got {
			sc := scale / v.Divisor
			if v.Flavor == Hinton {
				sc *= in.T * in.T
			}
			check(k, v.Flavor.String(), v.Value, sc)
		}
		e := got[TorchtuneFKL]
		check(int(numFlavors), "torchtune-fkl.entropy", e.Entropy, scale/e.Divisor)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n != header.Cases {
		t.Errorf("read %d cases, the header says %d", n, header.Cases)
	}
	t.Logf("oracle: %d cases from torch %s (float64); tolerance %.0e of the term scale", n, header.Torch, oracleTol)
	t.Logf("%-22s %6s %6s %8s %12s %12s  %s", "flavour", "cases", "exact", "NaN/Inf", "max scaled", "max rel", "worst (scaled)")
	for k, st := range stats {
		name := "torchtune-fkl.entropy"
		if k < int(numFlavors) {
			name = Flavor(k).String()
		}
		t.Logf("%-22s %6d %6d %8d %12.3g %12.3g  %s", name, st.cases, st.exact, st.special, st.maxScaled, st.maxRel, st.worst)
	}
}

// termScale is Σ (p + q)·(|log p| + |log q|) over every element
// whose terms are finite: a bound on the magnitude of the products that
// every flavour sums (each is a probability, or a mixture of two, times a
// log-probability or a difference of two), so the rounding error of a
// correct implementation is a small multiple of ε times it.
func termScale(in Input) float64 {
	b, err := prepare(in)
	if err != nil {
		return math.NaN()
	}
	var terms []float64
	for r := range b.rows {
		for i, t := range b.t[r] {
			s := b.s[r][i]
			x := (math.Exp(t) + math.Exp(s)) * (math.Abs(t) + math.Abs(s))
			if !math.IsNaN(x) && !math.IsInf(x, 0) {
				terms = append(terms, x)
			}
		}
	}
	return compute.Sum(terms)
}

func (c *oracleCase) input(t *testing.T) Input {
	in := Input{
		Teacher: compute.Tensor{Shape: c.Shape, Data: parseNested(t, c.Teacher)},
		Student: compute.Tensor{Shape: c.Shape, Data: parseNested(t, c.Student)},
		Mask:    c.Mask,
		Beta:    parseFloat(t, c.Beta),
		T:       parseFloat(t, c.T),
	}
	return in
}

func (c *oracleCase) want(t *testing.T, key string) float64 {
	h, ok := c.Want[key]
	if !ok {
		t.Fatalf("%s: no value for %s", c.Name, key)
	}
	u, err := strconv.ParseUint(h, 16, 64)
	if err != nil {
		t.Fatalf("%s: %s: %v", c.Name, key, err)
	}
	return math.Float64frombits(u)
}

// parseNested reads a list, or a list of lists, of Python reprs.
func parseNested(t *testing.T, raw json.RawMessage) []float64 {
	var flat []string
	if err := json.Unmarshal(raw, &flat); err == nil {
		out := make([]float64, len(flat))
		for i, s := range flat {
			out[i] = parseFloat(t, s)
		}
		return out
	}
	var rows [][]string
	if err := json.Unmarshal(raw, &rows); err != nil {
		t.Fatal(err)
	}
	var out []float64
	for _, r := range rows {
		for _, s := range r {
			out = append(out, parseFloat(t, s))
		}
	}
	return out
}

func parseFloat(t *testing.T, s string) float64 {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
