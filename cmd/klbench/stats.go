//go:build !js

package main

import (
	"math"
	"slices"
)

// percentile returns the p-th percentile (0 ≤ p ≤ 100) of xs, interpolated
// linearly between the closest ranks (the "R-7" definition of R, NumPy and
// spreadsheets): the median of an even count is the mean of the middle two.
// It returns NaN for no values. NaN values are ignored.
func percentile(xs []float64, p float64) float64 {
	s := make([]float64, 0, len(xs))
	for _, x := range xs {
		if !math.IsNaN(x) {
			s = append(s, x)
		}
	}
	if len(s) == 0 || math.IsNaN(p) {
		return math.NaN()
	}
	slices.Sort(s)
	p = min(max(p, 0), 100)
	h := p / 100 * float64(len(s)-1)
	lo := int(math.Floor(h))
	hi := min(lo+1, len(s)-1)
	return s[lo] + (h-float64(lo))*(s[hi]-s[lo])
}

func median(xs []float64) float64 { return percentile(xs, 50) }

// maxOf returns the largest value, or NaN for none.
func maxOf(xs []float64) float64 {
	m := math.NaN()
	for _, x := range xs {
		if math.IsNaN(m) || x > m {
			m = x
		}
	}
	return m
}

// ratio is a/b, NaN when either is missing or b is not positive.
func ratio(a, b float64) float64 {
	if math.IsNaN(a) || math.IsNaN(b) || !(b > 0) {
		return math.NaN()
	}
	return a / b
}

// pairedRatios returns a[i]/b[i] for the pairs measured next to each other.
func pairedRatios(a, b []float64) []float64 {
	n := min(len(a), len(b))
	out := make([]float64, n)
	for i := range out {
		out[i] = ratio(a[i], b[i])
	}
	return out
}
