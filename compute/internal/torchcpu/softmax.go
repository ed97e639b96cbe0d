package torchcpu

import "math"

// LogSoftmax32 writes into dst the log_softmax of the float32 row x, as
// F.log_softmax(x, dim=-1) computes each row of a contiguous tensor in
// PyTorch 1.13 (aten/src/ATen/native/cpu/SoftMaxKernel.cpp,
// _vec_log_softmax_lastdim, AVX2):
//
//	m = max x
//	s = Σ exp(x − m)     (SleefExpf; 8 lane sums, then a tree over the lanes)
//	y = (x − m) − log s  (SleefLogf; m is subtracted first, which keeps the
//	                      small differences of large logits)
//
// A row shorter than 8 is summed left to right. The lane sums of a longer
// row are combined as the AVX2 horizontal reduction does: lane i with lane
// i+4, then i+2, then i+1.
//
// Special cases are:
//
//	a NaN in the row: every element is NaN
//	+Inf in the row: every element is NaN (Inf − Inf)
//	every element −Inf: every element is NaN
//	dst and x may be the same slice; len(dst) must be len(x)
func LogSoftmax32(dst, x []float32) {
	n := len(x)
	if n == 0 {
		return
	}
	m := max32(x)
	var s float32
	if n < Lanes32 {
		s = SleefExpf(x[0] - m)
		for _, v := range x[1:] {
			s += SleefExpf(v - m)
		}
	} else {
		var acc [Lanes32]float32
		for l := range acc {
			acc[l] = SleefExpf(x[l] - m)
		}
		for d := Lanes32; d < n; d += Lanes32 {
			for l := 0; l < Lanes32 && d+l < n; l++ {
				acc[l] += SleefExpf(x[d+l] - m)
			}
		}
		for w := Lanes32 / 2; w >= 1; w /= 2 {
			for l := 0; l < w; l++ {
				acc[l] += acc[l+w]
			}
		}
		s = acc[0]
	}
	ls := SleefLogf(s)
	for i, v := range x {
		dst[i] = (v - m) - ls
	}
}

// LogSoftmax64 is LogSoftmax32 for float64 (SleefExp, SleefLog), with 4
// lanes whose sums are added left to right (ATen has no float64 tree
// reduction), as are the elements of a row shorter than 4.
//
// Special cases are those of LogSoftmax32.
func LogSoftmax64(dst, x []float64) {
	n := len(x)
	if n == 0 {
		return
	}
	m := max64(x)
	var s float64
	if n < Lanes64 {
		s = SleefExp(x[0] - m)
		for _, v := range x[1:] {
			s += SleefExp(v - m)
		}
	} else {
		var acc [Lanes64]float64
		for l := range acc {
			acc[l] = SleefExp(x[l] - m)
		}
		for d := Lanes64; d < n; d += Lanes64 {
			for l := 0; l < Lanes64 && d+l < n; l++ {
				acc[l] += SleefExp(x[d+l] - m)
			}
		}
		s = acc[0]
		for _, a := range acc[1:] {
			s += a
		}
	}
	ls := SleefLog(s)
	for i, v := range x {
		dst[i] = (v - m) - ls
	}
}

// max32 is the row maximum with NaN propagating, as vec::maximum does.
func max32(x []float32) float32 {
	m := float32(math.Inf(-1))
	for _, v := range x {
		if v != v {
			return v
		}
		if v > m {
			m = v
		}
	}
	return m
}

func max64(x []float64) float64 {
	m := math.Inf(-1)
	for _, v := range x {
		if v != v {
			return v
		}
		if v > m {
			m = v
		}
	}
	return m
}
