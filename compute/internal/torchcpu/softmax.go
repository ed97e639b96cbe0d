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
func LogSoftmax32(dst, x []float32) { logSoftmax(dst, x, Lanes32, true, SleefExpf, SleefLogf) }

// LogSoftmax64 is LogSoftmax32 for float64 (SleefExp, SleefLog), with 4
// lanes whose sums are added left to right (ATen has no float64 tree
// reduction), as are the elements of a row shorter than 4.
//
// Special cases are those of LogSoftmax32.
func LogSoftmax64(dst, x []float64) { logSoftmax(dst, x, Lanes64, false, SleefExp, SleefLog) }

// logSoftmax is _vec_log_softmax_lastdim for one row of lanes-wide vectors:
// the lane sums are combined by a tree (lane i with i+lanes/2, …) or left
// to right.
func logSoftmax[T float32 | float64](dst, x []T, lanes int, tree bool, exp, log func(T) T) {
	n := len(x)
	if n == 0 {
		return
	}
	m := rowMax(x)
	var s T
	if n < lanes {
		s = exp(x[0] - m)
		for _, v := range x[1:] {
			s += exp(v - m)
		}
	} else {
		var buf [Lanes32]T
		acc := buf[:lanes]
		for l := range acc {
			acc[l] = exp(x[l] - m)
		}
		for d := lanes; d < n; d += lanes {
			for l := 0; l < lanes && d+l < n; l++ {
				acc[l] += exp(x[d+l] - m)
			}
		}
		if tree {
			for w := lanes / 2; w >= 1; w /= 2 {
				for l := 0; l < w; l++ {
					acc[l] += acc[l+w]
				}
			}
			s = acc[0]
		} else {
			s = acc[0]
			for _, a := range acc[1:] {
				s += a
			}
		}
	}
	ls := log(s)
	for i, v := range x {
		dst[i] = (v - m) - ls
	}
}

// rowMax is the row maximum with NaN propagating, as vec::maximum does.
func rowMax[T float32 | float64](x []T) T {
	m := T(math.Inf(-1))
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

// LogSoftmaxBackward32 writes into dst the gradient that log_softmax's
// backward sends to its input, given the gradient g at its output y, as
// PyTorch 1.13's _vec_host_softmax_backward_lastdim computes one row of a
// contiguous float32 tensor with AVX2:
//
//	s = Σ g              (vec::reduce_all: 8 lane sums, then a tree)
//	dst_i = g_i − exp(y_i)·s   (SleefExpf; the product and the difference
//	                            rounded on their own, not fused)
//
// Special cases are:
//
//	a NaN or ±Inf in g: s is NaN or ±Inf, and so is every element of the row
//	y_i = −Inf (a class of probability 0): exp(y_i)·s = 0, dst_i = g_i
//	dst, g and y may alias; they must have the same length
func LogSoftmaxBackward32(dst, g, y []float32) {
	logSoftmaxBackward(dst, g, y, Lanes32, true, SleefExpf, FMA32)
}

// LogSoftmaxBackward64 is LogSoftmaxBackward32 for float64 (SleefExp), with
// 4 lanes added left to right.
//
// Special cases are those of LogSoftmaxBackward32.
func LogSoftmaxBackward64(dst, g, y []float64) {
	logSoftmaxBackward(dst, g, y, Lanes64, false, SleefExp, FMA)
}

func logSoftmaxBackward[T float32 | float64](dst, g, y []T, lanes int, tree bool, exp func(T) T, fma func(a, b, c T) T) {
	s := reduceAllSum(g, lanes, tree)
	for i := range g {
		dst[i] = fma(-exp(y[i]), s, g[i])
	}
}

// reduceAllSum is vec::reduce_all with +: a row shorter than lanes is added
// left to right; otherwise the first vector is the accumulator, each full
// vector after it is added lane by lane, the tail to the lanes it fills, and
// the lanes are combined by a tree (lane i with i+lanes/2, …) or left to
// right.
func reduceAllSum[T float32 | float64](x []T, lanes int, tree bool) T {
	n := len(x)
	if n == 0 {
		return 0
	}
	if n < lanes {
		s := x[0]
		for _, v := range x[1:] {
			s += v
		}
		return s
	}
	var buf [Lanes32]T
	acc := buf[:lanes]
	copy(acc, x[:lanes])
	for d := lanes; d < n; d += lanes {
		for l := 0; l < lanes && d+l < n; l++ {
			acc[l] += x[d+l]
		}
	}
	if tree {
		for w := lanes / 2; w >= 1; w /= 2 {
			for l := 0; l < w; l++ {
				acc[l] += acc[l+w]
			}
		}
		return acc[0]
	}
	s := acc[0]
	for _, a := range acc[1:] {
		s += a
	}
	return s
}

// LogSoftmaxBFloat16 writes into dst the log_softmax of the bfloat16 row x
// (bfloat16 values widened to float32), as F.log_softmax(x, dim=-1)
// computes each row of a contiguous bfloat16 tensor in PyTorch 1.13
// (_vec_log_softmax_lastdim with the bfloat16 overloads of vec::reduce_all,
// vec::map_reduce_all and vec::map, which compute in Vectorized<float>):
//
//	m  = max x
//	s  = Σ exp(x − m)               in float32 (SleefExpf, reduceAll16's
//	                                order), then rounded to bfloat16: the
//	                                sum is stored in a scalar_t buffer
//	ls = bfloat16(SleefLogf(s))     the log is mapped over that buffer
//	y  = bfloat16((x − m) − ls)     in float32, rounded once
//
// Special cases are those of LogSoftmax32; a sum that rounds to +Inf in
// bfloat16 cannot occur (s is at most the number of elements).
func LogSoftmaxBFloat16(dst, x []float32) {
	n := len(x)
	if n == 0 {
		return
	}
	m := rowMax(x)
	s := reduceAll16(n, func(i int) float32 { return SleefExpf(x[i] - m) })
	ls := BFloat16(SleefLogf(BFloat16(s)))
	for i, v := range x {
		dst[i] = BFloat16((v - m) - ls)
	}
}

// LogSoftmaxBackwardBFloat16 is LogSoftmaxBackward32 for a bfloat16 row
// (_vec_host_softmax_backward_lastdim computing in Vectorized<float>):
//
//	s = bfloat16(Σ g)                     in float32 in reduceAll16's order,
//	                                      rounded: the sum is a scalar_t
//	dst_i = bfloat16(g_i − exp(y_i)·s)    SleefExpf, a fused multiply-add in
//	                                      float32, rounded once
//
// Special cases are those of LogSoftmaxBackward32.
func LogSoftmaxBackwardBFloat16(dst, g, y []float32) {
	n := len(g)
	if n == 0 {
		return
	}
	s := BFloat16(reduceAll16(n, func(i int) float32 { return g[i] }))
	for i := range g {
		dst[i] = BFloat16(FMA32(-SleefExpf(y[i]), s, g[i]))
	}
}

// reduceAll16 is the float32 sum of at(0), …, at(n−1) (n ≥ 1) in the order
// of vec::map_reduce_all for a row of a 16-bit type (functional_bfloat16.h):
// the row is read as vectors of 16, each converted to two float32 vectors;
// the first 16 values start two accumulators of 8 lanes (elements 0–7 and
// 8–15), each further 16 add to them lane by lane, and a tail of r < 16
// adds to the first r lanes of the pair; the two are added lane by lane and
// the 8 lanes combined by the AVX2 tree (lane i with i+4, i+2, i+1). A row
// of 9 to 15 adds elements 8… to lanes 0… of the first 8 and takes the
// tree; a row of at most 8 is added left to right.
func reduceAll16(n int, at func(i int) float32) float32 {
	var acc [2][Lanes32]float32
	switch {
	case n <= Lanes32:
		s := at(0)
		for i := 1; i < n; i++ {
			s += at(i)
		}
		return s
	case n < Lanes16:
		for l := range acc[0] {
			acc[0][l] = at(l)
		}
		for l := 0; l < n-Lanes32; l++ {
			acc[0][l] += at(Lanes32 + l)
		}
		return tree8(acc[0])
	}
	for l := range Lanes32 {
		acc[0][l], acc[1][l] = at(l), at(Lanes32+l)
	}
	d := Lanes16
	for ; d+Lanes16 <= n; d += Lanes16 {
		for l := range Lanes32 {
			acc[0][l] += at(d + l)
			acc[1][l] += at(d + Lanes32 + l)
		}
	}
	for i := d; i < n; i++ {
		k := i - d
		acc[k/Lanes32][k%Lanes32] += at(i)
	}
	for l := range Lanes32 {
		acc[0][l] += acc[1][l]
	}
	return tree8(acc[0])
}

// tree8 is vec_reduce_all's AVX2 tree over 8 float32 lanes.
func tree8(a [Lanes32]float32) float32 {
	for w := Lanes32 / 2; w >= 1; w /= 2 {
		for l := 0; l < w; l++ {
			a[l] += a[l+w]
		}
	}
	return a[0]
}
