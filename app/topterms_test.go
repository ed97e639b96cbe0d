package app

import (
	"github.com/klcalc/klcalc/compute"
	"math"
	"slices"
	"testing"
)

// TestRankTerms: the k largest |term| by a one-pass heap are what a full
// sort gives (a derivation: both order by termKey, ties by index), NaN
// and ±Inf rank first, and the totals split by sign.
func TestRankTerms(t *testing.T) {
	vals := []float64{0.1, -0.5, 0.02, math.NaN(), 0.3, -0.01, 0, 0.7, -0.7, 0.05, math.Inf(1), 0.2}
	s := rankTerms(vals, []float64{0.4, -0.1, 1.2}, 5)
	want := []int{3, 10, 7, 8, 1} // NaN, +Inf (by index), then 0.7, −0.7 (by index), −0.5
	if !slices.Equal(s.Top, want) {
		t.Errorf("top = %v, want %v", s.Top, want)
	}
	if s.PosCount != 7 || s.NegCnt != 3 || math.Abs(s.NegSum - -1.21) > 1e-15 || !math.IsInf(s.PosSum, 1) {
		t.Errorf("sums: %+v", s)
	}
	if math.Abs(s.AbsSum-2.58) > 1e-12 || math.Abs(s.TopAbs-1.9) > 1e-12 {
		t.Errorf("|term| sums: %v %v", s.AbsSum, s.TopAbs)
	}
	if !slices.Equal(s.Rows, []int{2, 0, 1}) {
		t.Errorf("rows = %v", s.Rows)
	}
	// Against a sort, on many terms.
	vals = nil
	for i := range 5000 {
		vals = append(vals, math.Sin(float64(i)*1.7)*float64(i%97))
	}
	idx := make([]int, len(vals))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		ka, kb := termKey(vals[a]), termKey(vals[b])
		switch {
		case ka > kb:
			return -1
		case ka < kb:
			return 1
		}
		return 0
	})
	if got := rankTerms(vals, nil, 10).Top; !slices.Equal(got, idx[:10]) {
		t.Errorf("heap %v, sort %v", got, idx[:10])
	}
}

// TestHistogram: terms binned by log10|term| in half decades (a
// derivation: 0.3 has log10 −0.52, in the bin [−1, −0.5); 0.05 has
// −1.30, in [−1.5, −1)), zeros and non-finite terms counted apart.
func TestHistogram(t *testing.T) {
	h := histogram([]float64{0.3, -0.3, 0.05, 0.2, 0, math.NaN(), math.Inf(-1), 1e-40})
	if h.Zero != 1 || h.NonFinite != 2 {
		t.Errorf("zero %d, non-finite %d", h.Zero, h.NonFinite)
	}
	// 1e-40 is 39 decades below 0.3: the first bins are merged into the
	// first of 40.
	if len(h.Bins) != 40 || h.Bins[39].Lo != -1 || h.Bins[39].Pos != 2 || h.Bins[39].Neg != 1 || h.Bins[38].Pos != 1 || h.Bins[0].Pos != 1 {
		t.Errorf("bins: %d, last %+v, before %+v, first %+v", len(h.Bins), h.Bins[39], h.Bins[38], h.Bins[0])
	}
	if h.Max != 2 {
		t.Errorf("max %d", h.Max)
	}
	if h := histogram([]float64{0, math.NaN()}); len(h.Bins) != 0 {
		t.Errorf("no finite nonzero terms: %d bins", len(h.Bins))
	}
	// The bins by edges are the bins by floor(log10|v| / step), the
	// definition, over magnitudes from 1e-9 to 1e3 (none at an edge).
	var vals []float64
	for i := range 20000 {
		vals = append(vals, math.Copysign(math.Pow(10, -9+12*math.Mod(float64(i)*0.6180339887, 1)), math.Sin(float64(i))))
	}
	h = histogram(vals)
	pos, neg := make([]int, len(h.Bins)), make([]int, len(h.Bins))
	for _, v := range vals {
		i := min(max(int(math.Floor((math.Log10(math.Abs(v))-h.Bins[0].Lo)/histStep)), 0), len(h.Bins)-1)
		if v > 0 {
			pos[i]++
		} else {
			neg[i]++
		}
	}
	for i, b := range h.Bins {
		if b.Pos != pos[i] || b.Neg != neg[i] {
			t.Errorf("bin %d (from 10^%v): %d+ %d−, want %d+ %d−", i, b.Lo, b.Pos, b.Neg, pos[i], neg[i])
		}
	}
}

// TestTermSummaryKey: a summary belongs to the terms it was made from, so
// another reduction of them (WithReduction keeps the terms) uses it, and
// other terms do not.
func TestTermSummaryKey(t *testing.T) {
	p := compute.Side{Data: compute.Tensor{Shape: []int{2, 3}, Data: []float64{0.2, 0.3, 0.5, 0.1, 0.1, 0.8}}, Form: compute.FormProb}
	q := compute.Side{Data: compute.Tensor{Shape: []int{2, 3}, Data: []float64{0.3, 0.3, 0.4, 0.2, 0.2, 0.6}}, Form: compute.FormProb}
	r, err := compute.Calculate(p, q, compute.Options{Reduction: compute.ReductionBatchMean, DType: compute.DTypeFloat32})
	if err != nil {
		t.Fatal(err)
	}
	s := summarize(r)
	sum, ok := r.WithReduction(compute.ReductionSum)
	if !ok || !s.of(r) || !s.of(sum) {
		t.Errorf("the summary of r: of r %v, of its sum %v (%v)", s.of(r), s.of(sum), ok)
	}
	other, _ := compute.Calculate(q, p, r.Options)
	if s.of(other) || (*termSummary)(nil).of(r) {
		t.Error("a summary is of other terms, or nil is of r")
	}
	if len(s.stats.Top) != 6 || s.stats.PosCount+s.stats.NegCnt != 5 { // p = q = 0.3 gives a zero term
		t.Errorf("stats %+v", s.stats)
	}
}
