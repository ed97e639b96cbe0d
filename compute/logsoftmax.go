package compute

import "math"

// LogSoftmax returns log_softmax(x / T) of one row, computed the stable way
// PyTorch does:
//
//	m = max_i z_i,  z = x / T
//	log_softmax(z)_i = z_i − (m + log Σ_j exp(z_j − m))
//
// Subtracting the maximum means logits such as [1000, 0, −1000] give
// [0, −1000, −2000] instead of overflowing. T ≤ 0 or NaN is treated as an
// error by the caller; here T = 0 means 1.
//
// Special cases are:
//
//	a NaN anywhere in the row makes the whole row NaN
//	+Inf anywhere in the row makes the whole row NaN (Inf − Inf, then a NaN sum)
//	every entry −Inf: the whole row is NaN (−Inf − (−Inf))
//	an empty row gives an empty row
func LogSoftmax(x []float64, T float64) []float64 {
	return logSoftmax(x, T, DTypeFloat64)
}

func logSoftmax(x []float64, T float64, dt DType) []float64 {
	if T == 0 {
		T = 1
	}
	rnd := func(v float64) float64 { return v }
	if dt == DTypeFloat32 {
		rnd = r32
	}
	out := make([]float64, len(x))
	if len(x) == 0 {
		return out
	}
	m := math.Inf(-1)
	nan := false
	for i, v := range x {
		z := v
		if T != 1 {
			z = rnd(v / T)
		}
		out[i] = z
		if math.IsNaN(z) {
			nan = true
		}
		if z > m {
			m = z
		}
	}
	if nan {
		for i := range out {
			out[i] = math.NaN()
		}
		return out
	}
	var s accumulator
	for _, z := range out {
		s.add(rnd(exp(rnd(z - m))))
	}
	c := rnd(m + rnd(ln(rnd(s.value()))))
	for i, z := range out {
		out[i] = rnd(z - c)
	}
	return out
}
