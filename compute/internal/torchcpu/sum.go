package torchcpu

// Lanes of the AVX2 vectors PyTorch's kernels work on: 8 float32 or 4
// float64 in a 256-bit register.
const (
	Lanes32 = 8
	Lanes64 = 4
)

// Sum64 returns torch.sum of a contiguous float64 tensor holding x, in the
// order PyTorch 1.13's CPU kernel (aten/src/ATen/native/cpu/SumKernel.cpp,
// cascade_sum) adds on one thread with AVX2: the same order serves a full
// reduction and a reduction over the last dimension of a contiguous tensor.
//
//   - n < 4 lanes: one cascade sum (rowSum) over x.
//   - otherwise x is read as n/4 vectors; each lane is cascade-summed on
//     its own (element l, l+4, l+8, …), the n mod 4 trailing elements are
//     added one by one to 0, then the four lane sums are added in order.
//   - the result is added to the output, which starts at +0.
//
// Special cases are:
//
//	Sum64() = +0
//	Sum64(-0, -0, …) = +0 (the output starts at +0)
//	Sum64(x) = NaN if any x is NaN, or +Inf and −Inf both occur
//	Sum64(x) = ±Inf if a term is ±Inf, or the running sums overflow
func Sum64(x []float64) float64 {
	return 0 + vectorSum(x, Lanes64, func(a, b float64) float64 { return a + b })
}

// Sum32 is Sum64 for a float32 tensor: 8 lanes, every addition rounded to
// float32 (PyTorch accumulates float32 sums in float32).
func Sum32(x []float32) float32 {
	s := vectorSum(x, Lanes32, func(a, b float32) float32 { return a + b })
	return 0 + s
}

// vectorSum is vectorized_inner_sum (n ≥ lanes) or the scalar row_sum.
func vectorSum[T float32 | float64](x []T, lanes int, add func(a, b T) T) T {
	n := len(x)
	if n < lanes {
		return rowSum(n, func(i int) T { return x[i] }, add)
	}
	nv := n / lanes
	var acc T
	for k := nv * lanes; k < n; k++ {
		acc = add(acc, x[k])
	}
	for l := 0; l < lanes; l++ {
		acc = add(acc, rowSum(nv, func(v int) T { return x[v*lanes+l] }, add))
	}
	return acc
}

// rowSum is SumKernel.cpp's row_sum: the sequence is read as rows of 4
// (instruction-level parallelism), the 4 columns are cascade-summed
// together by multiRowSum, the size mod 4 trailing elements are added to
// column 0, then columns 1, 2 and 3 are added to it in order.
func rowSum[T float32 | float64](size int, at func(int) T, add func(a, b T) T) T {
	const ilp = 4
	rows := size / ilp
	ps := multiRowSum(rows, func(i, k int) T { return at(i*ilp + k) }, add)
	for i := rows * ilp; i < size; i++ {
		ps[0] = add(ps[0], at(i))
	}
	for k := 1; k < ilp; k++ {
		ps[0] = add(ps[0], ps[k])
	}
	return ps[0]
}

// multiRowSum is SumKernel.cpp's multi_row_sum for 4 columns: a cascade of
// 4 levels of accumulators. Level 0 takes 2^p consecutive elements
// (p = max(4, ⌈log2 size⌉/4)); after each such block, level j is folded into
// level j+1 until a level is not yet full, so that only partial sums of
// similar size meet. The remainder goes into level 0, and the levels are
// folded into level 0 at the end.
func multiRowSum[T float32 | float64](size int, at func(i, k int) T, add func(a, b T) T) [4]T {
	const levels, cols = 4, 4
	power := ceilLog2(size) / levels
	if power < 4 {
		power = 4
	}
	step := 1 << power
	mask := step - 1
	var acc [levels][cols]T
	i := 0
	for i+step <= size {
		for j := 0; j < step; j, i = j+1, i+1 {
			for k := 0; k < cols; k++ {
				acc[0][k] = add(acc[0][k], at(i, k))
			}
		}
		for j := 1; j < levels; j++ {
			for k := 0; k < cols; k++ {
				acc[j][k] = add(acc[j][k], acc[j-1][k])
				acc[j-1][k] = 0
			}
			if i&(mask<<(j*power)) != 0 {
				break
			}
		}
	}
	for ; i < size; i++ {
		for k := 0; k < cols; k++ {
			acc[0][k] = add(acc[0][k], at(i, k))
		}
	}
	for j := 1; j < levels; j++ {
		for k := 0; k < cols; k++ {
			acc[0][k] = add(acc[0][k], acc[j][k])
		}
	}
	return acc[0]
}

// ceilLog2 is ATen's utils::CeilLog2: ⌈log2 x⌉, and 1 for x ≤ 2.
func ceilLog2(x int) int {
	if x <= 2 {
		return 1
	}
	n := 0
	for v := uint64(x - 1); v != 0; v >>= 1 {
		n++
	}
	return n
}

// OuterSum64 returns the column sums of the contiguous rows × cols float64
// matrix x, as x.sum(0) adds them in PyTorch 1.13 on one thread with AVX2
// (SumKernel.cpp, cascade_sum): the columns are taken in blocks of 4
// vectors (16 columns; blocks of 4 columns, scalar_outer_sum, when cols < 4),
// each column of a block summed over the rows by the cascade of
// multi_row_sum; the columns after the last whole block are summed by
// row_sum, which reads the rows in groups of 4. Each sum is then added to
// the output, which starts at +0.
func OuterSum64(x []float64, rows, cols int) []float64 {
	return outerSum(x, rows, cols, Lanes64, func(a, b float64) float64 { return a + b })
}

// OuterSum32 is OuterSum64 for float32, with 8 lanes (blocks of 32
// columns), every addition rounded to float32.
func OuterSum32(x []float32, rows, cols int) []float32 {
	return outerSum(x, rows, cols, Lanes32, func(a, b float32) float32 { return a + b })
}

func outerSum[T float32 | float64](x []T, rows, cols, lanes int, add func(a, b T) T) []T {
	return outerSumBlocks(x, rows, cols, lanes, 4*lanes, add)
}

// outerSumBlocks is outerSum where a row must hold vec elements for the
// vectorized loop, whose blocks are of block columns.
func outerSumBlocks[T float32 | float64](x []T, rows, cols, vec, block int, add func(a, b T) T) []T {
	out := make([]T, cols)
	// vectorized_outer_sum when a row holds a vector, else scalar_outer_sum,
	// which takes the columns in blocks of 4.
	if cols < vec {
		block = 4
	}
	whole := cols / block * block
	for j := range cols {
		var s T
		if j < whole {
			s = multiRowSum(rows, func(i, k int) T {
				if k != 0 {
					return 0
				}
				return x[i*cols+j]
			}, add)[0]
		} else {
			s = rowSum(rows, func(i int) T { return x[i*cols+j] }, add)
		}
		out[j] = add(0, s)
	}
	return out
}

// Lanes16 is the number of bfloat16 or float16 elements in a 256-bit
// Vectorized<BFloat16> or Vectorized<Half>; the sums of both accumulate in
// Vectorized<float>, of Lanes32 lanes.
const Lanes16 = 16

// SumBFloat16 returns torch.sum of a contiguous bfloat16 tensor holding x
// (each a bfloat16 value widened to float32), as PyTorch 1.13's
// cascade_sum adds it on one thread with AVX2: in float32 throughout
// (acc_type<BFloat16> is float; CastLoadPolicy and InnerSumCastLoadPolicy),
// rounded to bfloat16 once at the end.
//
//   - n < 16: one cascade sum (rowSum) over x, in float32.
//   - otherwise x is read as n/16 vectors of 16; InnerSumCastLoadPolicy
//     turns each into 8 float32 lanes, lane l holding x[16v+l] + x[16v+l+8]
//     (load_fp32_from_bf16 gives the low and the high 8 elements as two
//     float vectors, which are added); each lane is cascade-summed on its
//     own over the vectors, the n mod 16 trailing elements are added one by
//     one to 0, then the 8 lane sums are added in order (Sum32's order).
//   - the float32 sum is added to the bfloat16 output, which starts at +0:
//     one rounding (CastStoreAccumulate).
//
// Special cases are:
//
//	SumBFloat16() = +0
//	SumBFloat16(-0, -0, …) = +0
//	SumBFloat16(x) = NaN if any x is NaN, or +Inf and −Inf both occur
//	SumBFloat16(x) = ±Inf if a term is ±Inf, the float32 running sums
//	    overflow, or the float32 sum rounds past the largest bfloat16
//	    (|sum| ≥ 0x1.ff8p127)
func SumBFloat16(x []float32) float32 {
	return BFloat16(0 + sum16(x, func(v, l int) float32 { return x[v*Lanes16+l] + x[v*Lanes16+l+Lanes32] }))
}

// SumFloat16 is SumBFloat16 for a float16 tensor, with the lanes of the
// generic InnerSumCastLoadPolicy (load_reduce_vec: Vectorized<Half> has no
// AVX2 specialisation in 1.13), where float32 lane l of vector v holds
// (0 + x[16v+2l]) + x[16v+2l+1], and one rounding to float16 at the end.
//
// Special cases are those of SumBFloat16, except that the sum overflows to
// ±Inf from |sum| ≥ 65520 on (float32 does not overflow first: at most
// 2^31 terms of at most 65504 each).
func SumFloat16(x []float32) float32 {
	return Float16(0 + sum16(x, func(v, l int) float32 { return (0 + x[v*Lanes16+2*l]) + x[v*Lanes16+2*l+1] }))
}

// sum16 is vectorized_inner_sum for a 16-bit type whose vector v gives the
// float32 lane l as lane(v, l), or the scalar row_sum below 16 elements.
func sum16(x []float32, lane func(v, l int) float32) float32 {
	add := func(a, b float32) float32 { return a + b }
	n := len(x)
	if n < Lanes16 {
		return rowSum(n, func(i int) float32 { return x[i] }, add)
	}
	nv := n / Lanes16
	var acc float32
	for k := nv * Lanes16; k < n; k++ {
		acc += x[k]
	}
	for l := 0; l < Lanes32; l++ {
		acc += rowSum(nv, func(v int) float32 { return lane(v, l) }, add)
	}
	return acc
}

// OuterSumBFloat16 returns the column sums of the contiguous rows × cols
// bfloat16 matrix x, as x.sum(0) adds them (OuterSum32's order in float32,
// with the vectorized loop from 16 columns on, a row then holding a whole
// Vectorized<BFloat16>), each rounded to bfloat16 once.
func OuterSumBFloat16(x []float32, rows, cols int) []float32 {
	return outerSum16(x, rows, cols, BFloat16)
}

// OuterSumFloat16 is OuterSumBFloat16 for float16.
func OuterSumFloat16(x []float32, rows, cols int) []float32 {
	return outerSum16(x, rows, cols, Float16)
}

func outerSum16(x []float32, rows, cols int, round func(float32) float32) []float32 {
	out := outerSumBlocks(x, rows, cols, Lanes16, 4*Lanes32, func(a, b float32) float32 { return a + b })
	for j, v := range out {
		out[j] = round(v)
	}
	return out
}
