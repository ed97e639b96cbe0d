package rl

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
// testdata/gen.py: each framework's code reimplemented with torch
// 1.13.1's ops in the case's dtype.
type oracleCase struct {
	Name   string                    `json:"name"`
	LogP   []string                  `json:"logp"`
	Ref    []string                  `json:"ref"`
	Mask   []bool                    `json:"mask"`
	Seq    []int                     `json:"seq"`
	DType  string                    `json:"dtype"`
	MaxLen int                       `json:"max_len"`
	Want   map[string]map[string]any `json:"want"` // "preset.estimator" → "token"/"seq" lists, "value" and alternatives
}

// Budgets: NaN and ±Inf must match exactly; at least 99 % of all values
// bit for bit; the rest within maxULP ulp of the dtype.
const (
	minExact = 0.99
	maxULP   = 4
)

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
		Presets []string `json:"presets"`
		Cases   int      `json:"cases"`
	}
	if err := json.Unmarshal(sc.Bytes(), &header); err != nil {
		t.Fatal(err)
	}
	type stat struct{ values, exact, special, off, maxULP int }
	stats := make([]stat, numPresets)
	n := 0
	for sc.Scan() {
		var c oracleCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		n++
		in := c.input(t)
		for _, p := range Presets() {
			res, err := Compute(in, p)
			if err != nil {
				t.Fatalf("%s %v: %v", c.Name, p, err)
			}
			st := &stats[p]
			check := func(what string, got float64, hex string) {
				u, err := strconv.ParseUint(hex, 16, 64)
				if err != nil {
					t.Fatal(err)
				}
				want := math.Float64frombits(u)
				st.values++
				switch {
				case got == want && math.Signbit(got) == math.Signbit(want) || math.IsNaN(got) && math.IsNaN(want):
					st.exact++
					if math.IsNaN(want) || math.IsInf(want, 0) {
						st.special++
					}
					return
				case math.IsNaN(want) || math.IsInf(want, 0) || math.IsNaN(got) || math.IsInf(got, 0):
					t.Errorf("%s %v %s = %v, want %v", c.Name, p, what, got, want)
					return
				}
				st.off++
				d := ulps(got, want, res.DType)
				st.maxULP = max(st.maxULP, d)
				if d > maxULP {
					t.Errorf("%s %v %s = %v, want %v (%d ulp)", c.Name, p, what, got, want, d)
				}
			}
			for _, e := range Estimators() {
				key := p.String() + "." + e.String()
				w, ok := c.Want[key]
				est := res.Estimate(e)
				if ok != (est != nil) {
					t.Fatalf("%s: %s in oracle %v, computed %v", c.Name, key, ok, est != nil)
				}
				if !ok {
					continue
				}
				for i, h := range w["token"].([]any) {
					check(key+".token["+strconv.Itoa(i)+"]", est.Tokens[i], h.(string))
				}
				for i, h := range w["seq"].([]any) {
					check(key+".seq["+strconv.Itoa(i)+"]", est.Seq[i], h.(string))
				}
				check(key+".value", est.Value, w["value"].(string))
				for _, alt := range est.Alt {
					check(key+"."+alt.Name, alt.Value, w[alt.Name].(string))
				}
				if len(w) != 3+len(est.Alt) {
					t.Errorf("%s: oracle has %d entries, computed %d", key, len(w), 3+len(est.Alt))
				}
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n != header.Cases {
		t.Errorf("read %d cases, the header says %d", n, header.Cases)
	}
	t.Logf("oracle: %d cases from torch %s; budget ≥ %.0f%% bit-identical, the rest ≤ %d ulp", n, header.Torch, 100*minExact, maxULP)
	t.Logf("%-9s %7s %7s %8s %5s %8s", "preset", "values", "exact", "NaN/Inf", "off", "max ulp")
	for p, st := range stats {
		t.Logf("%-9s %7d %7d %8d %5d %8d", Preset(p), st.values, st.exact, st.special, st.off, st.maxULP)
		if float64(st.exact) < minExact*float64(st.values) {
			t.Errorf("%v: %d of %d values bit-identical, want ≥ %.0f%%", Preset(p), st.exact, st.values, 100*minExact)
		}
	}
}

// ulps is the distance between two finite values in units in the last
// place of the dtype.
func ulps(a, b float64, dt compute.DType) int {
	if dt == compute.DTypeFloat32 {
		return int(absDiff(ord32(float32(a)), ord32(float32(b))))
	}
	return int(min(absDiff(ord64(a), ord64(b)), math.MaxInt32))
}

func ord32(x float32) int64 {
	u := int64(math.Float32bits(x))
	if u>>31 != 0 {
		return -(u & 0x7fffffff)
	}
	return u
}

func ord64(x float64) int64 {
	u := math.Float64bits(x)
	if u>>63 != 0 {
		return -int64(u & (1<<63 - 1))
	}
	return int64(u)
}

func absDiff(a, b int64) int64 {
	if a > b {
		return a - b
	}
	return b - a
}

func (c *oracleCase) input(t *testing.T) Input {
	dt, err := compute.ParseDType(c.DType)
	if err != nil {
		t.Fatal(err)
	}
	return Input{LogP: parseFloats(t, c.LogP), LogRef: parseFloats(t, c.Ref), Mask: c.Mask, Seq: c.Seq, DType: dt, MaxCompletionLength: c.MaxLen}
}

func parseFloats(t *testing.T, s []string) []float64 {
	out := make([]float64, len(s))
	for i, v := range s {
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			switch v { // Python's repr of the special values
			case "inf":
				x = math.Inf(1)
			case "-inf":
				x = math.Inf(-1)
			case "nan":
				x = math.NaN()
			default:
				t.Fatal(err)
			}
		}
		out[i] = x
	}
	return out
}
