package torchcpu

// The pieces of cascade_sum (SumKernel.cpp) that a reduction over several
// dimensions at once combines: TensorIterator hands the kernel's 2-D loop
// one block of the reduced and kept dimensions at a time, and each block's
// sums are added to the output (CastStoreAccumulate). The functions below
// return a block's sums before that addition, in float32 for the 16-bit
// types: CastStoreAccumulate casts each to the dtype, then adds it to the
// output in float32 and rounds again (PyTorch 1.13 on AVX2, checked
// against x.sum(dims) for shapes up to 4-D).

// InnerSum64 is vectorized_inner_sum (or row_sum, under 4 elements) of one
// contiguous float64 row, before it is added to the output.
func InnerSum64(x []float64) float64 {
	return vectorSum(x, Lanes64, func(a, b float64) float64 { return a + b })
}

// InnerSum32 is InnerSum64 for float32: 8 lanes.
func InnerSum32(x []float32) float32 {
	return vectorSum(x, Lanes32, func(a, b float32) float32 { return a + b })
}

// InnerSumBFloat16 is the float32 sum SumBFloat16 rounds.
func InnerSumBFloat16(x []float32) float32 {
	return sum16(x, func(v, l int) float32 { return x[v*Lanes16+l] + x[v*Lanes16+l+Lanes32] })
}

// InnerSumFloat16 is the float32 sum SumFloat16 rounds.
func InnerSumFloat16(x []float32) float32 {
	return sum16(x, func(v, l int) float32 { return (0 + x[v*Lanes16+2*l]) + x[v*Lanes16+2*l+1] })
}

// RowSum64 is row_sum: the scalar cascade of scalar_inner_sum, which
// serves a reduced dimension that is not contiguous (x holds its elements
// gathered in order).
func RowSum64(x []float64) float64 {
	return rowSum(len(x), func(i int) float64 { return x[i] }, func(a, b float64) float64 { return a + b })
}

// RowSum32 is RowSum64 in float32 (also the float32 accumulation of the
// 16-bit types).
func RowSum32(x []float32) float32 {
	return rowSum(len(x), func(i int) float32 { return x[i] }, func(a, b float32) float32 { return a + b })
}

// ColumnSums64 returns the column sums of the rows × cols float64 matrix x
// (gathered contiguous), before they are added to the output:
// vectorized_outer_sum when vectorized (the kept dimension is contiguous
// and holds a vector), else scalar_outer_sum.
func ColumnSums64(x []float64, rows, cols int, vectorized bool) []float64 {
	return columnSums(x, rows, cols, vectorized, 4*Lanes64, func(a, b float64) float64 { return a + b })
}

// ColumnSums32 is ColumnSums64 for float32.
func ColumnSums32(x []float32, rows, cols int, vectorized bool) []float32 {
	return columnSums(x, rows, cols, vectorized, 4*Lanes32, func(a, b float32) float32 { return a + b })
}

// ColumnSums16 is ColumnSums32 for bfloat16 and float16 in float32 (blocks
// of 32 columns, as OuterSumBFloat16).
func ColumnSums16(x []float32, rows, cols int, vectorized bool) []float32 {
	return columnSums(x, rows, cols, vectorized, 4*Lanes32, func(a, b float32) float32 { return a + b })
}

func columnSums[T float32 | float64](x []T, rows, cols int, vectorized bool, block int, add func(a, b T) T) []T {
	if !vectorized {
		block = 4
	}
	out := make([]T, cols)
	whole := cols / block * block
	for j := range cols {
		if j < whole {
			out[j] = multiRowSum(rows, func(i, k int) T {
				if k != 0 {
					return 0
				}
				return x[i*cols+j]
			}, add)[0]
		} else {
			out[j] = rowSum(rows, func(i int) T { return x[i*cols+j] }, add)
		}
	}
	return out
}
