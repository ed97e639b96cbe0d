package app

import (
	"math"
	"slices"
	"testing"

	"github.com/klcalc/klcalc/compute"
)

// TestRankTerms: the k largest |term| by a one-pass heap are what a full
// sort gives (a derivation: both order by termKey, ties by index), NaN
// and ±Inf rank first, and the totals split by sign.
func TestRankTerms(t *testing.T) {
	vals := []float64{0.1, -0.5, 0.02, math.NaN(), 0.3, -0.01, 0, 0.7, -0.7, 0.05, math.Inf(1), 0.2}
	r := &compute.Result{RowSums: []float64{0.4, -0.1, 1.2}}
	for i, v := range vals {
		r.Terms = append(r.Terms, compute.Term{Row: i / 4, Col: i % 4, Value: v})
	}
	s := rankTerms(r, 5)
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
	r.Terms = nil
	for i := range 5000 {
		r.Terms = append(r.Terms, compute.Term{Value: math.Sin(float64(i)*1.7) * float64(i%97)})
	}
	idx := make([]int, len(r.Terms))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		ka, kb := termKey(r.Terms[a].Value), termKey(r.Terms[b].Value)
		switch {
		case ka > kb:
			return -1
		case ka < kb:
			return 1
		}
		return 0
	})
	if got := rankTerms(r, 10).Top; !slices.Equal(got, idx[:10]) {
		t.Errorf("heap %v, sort %v", got, idx[:10])
	}
}
