package compute

import "math"

// LogSoftmax returns F.log_softmax(x / T, dim=-1) of one float64 row, with
// PyTorch's bits (see arith.logSoftmax and torchcpu.LogSoftmax64):
//
//	z = x / T            (skipped when T = 1)
//	m = max z
//	log_softmax(z)_i = (z_i − m) − log Σ_j exp(z_j − m)
//
// Subtracting the maximum first means logits such as [1000, 0, −1000] give
// [0, −1000, −2000] instead of overflowing, and that 1e10 and 1e10 − 20
// keep their difference of 20.
//
// Special cases are:
//
//	a NaN anywhere in the row makes the whole row NaN
//	+Inf anywhere in the row makes the whole row NaN (Inf − Inf, then a NaN sum)
//	every entry −Inf: the whole row is NaN (−Inf − (−Inf))
//	T = 0: every z is ±Inf, or NaN for x = 0 (0/0), so the whole row is NaN
//	T < 0: computed as given; it reverses the ranking of the classes
//	T = ±Inf: z = ±0, a uniform row −log C (NaN where x is ±Inf)
//	z overflowing (a tiny T): ±Inf, so the row is NaN if any z is +Inf
//	an empty row gives an empty row
func LogSoftmax(x []float64, T float64) []float64 {
	out := make([]float64, len(x))
	arithTorch64.logSoftmax(out, x, T)
	return out
}

// exactLogSoftmax is log_softmax in the same order as PyTorch's, with
// compute's own ln and exp and a compensated sum.
func exactLogSoftmax(dst, row []float64, T float64) {
	if len(row) == 0 {
		return
	}
	m := math.Inf(-1)
	for i, v := range row {
		z := v
		if T != 1 {
			z = v / T
		}
		dst[i] = z
		if math.IsNaN(z) || z > m {
			m = z
		}
		if math.IsNaN(m) {
			break
		}
	}
	if math.IsNaN(m) {
		for i := range dst[:len(row)] {
			dst[i] = math.NaN()
		}
		return
	}
	var s accumulator
	for _, z := range dst[:len(row)] {
		s.add(exp(z - m))
	}
	ls := ln(s.value())
	for i, z := range dst[:len(row)] {
		dst[i] = (z - m) - ls
	}
}
