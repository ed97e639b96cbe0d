package compute

// NumPy's summation, for the SciPy values of CompareFrameworks.

const (
	// npBufSize is NumPy's default ufunc buffer size (NPY_BUFSIZE), in
	// elements: np.add.reduce hands its inner loop at most this many
	// elements of a row at a time.
	npBufSize = 8192
	// npPWBlockSize is PW_BLOCKSIZE of numpy/core/src/umath/loops_utils.h.src:
	// blocks up to this size are summed with 8 accumulators.
	npPWBlockSize = 128
)

// npSum returns np.sum(x) of a float64 array, or one row of np.sum(a,
// axis=-1), in the order NumPy 1.24 adds on x86-64. In float32 (dt) x is
// rounded to float32 and every addition is rounded to float32, as NumPy
// accumulates a float32 sum in float32.
//
// The reduction starts from the identity +0 and adds the pairwise sum
// (npPairwise) of each chunk of npBufSize elements in turn. This order
// holds for a 1-D array and for each row of a reduction over the last axis
// of a 2-D array, contiguous or broadcast (a stride-0 row is summed the same
// way): TestFrameworksNpSum checks it bit for bit against np.sum for
// lengths 0 to 20000 in both dtypes (testdata/frameworks/gen.py), and
// TestFrameworksOracle through the SciPy values.
//
// Special cases are:
//
//	npSum() = +0
//	npSum(−0, −0, …) = +0 (the identity is +0)
//	npSum(x) = NaN if any x is NaN, or +Inf and −Inf both occur
//	npSum(x) = ±Inf if a term is ±Inf, or a partial sum overflows
func npSum(x []float64, dt DType) float64 {
	if dt == DTypeFloat32 {
		f := make([]float32, len(x))
		for i, v := range x {
			f[i] = float32(v)
		}
		var s float32
		for len(f) > 0 {
			n := min(len(f), npBufSize)
			s += npPairwise(f[:n])
			f = f[n:]
		}
		return float64(s)
	}
	var s float64
	for len(x) > 0 {
		n := min(len(x), npBufSize)
		s += npPairwise(x[:n])
		x = x[n:]
	}
	return s
}

// npPairwise is NumPy's pairwise_sum (loops_utils.h.src):
//
//   - n < 8: a plain loop from +0;
//   - n ≤ 128: eight accumulators start at x[0..7] and take every eighth
//     element, are combined as ((r0+r1)+(r2+r3)) + ((r4+r5)+(r6+r7)), and
//     the n mod 8 trailing elements are added one by one;
//   - otherwise the first n2 = ⌊n/2⌋ rounded down to a multiple of 8
//     elements and the rest are summed recursively and added.
func npPairwise[T float32 | float64](x []T) T {
	n := len(x)
	switch {
	case n < 8:
		var res T
		for _, v := range x {
			res += v
		}
		return res
	case n <= npPWBlockSize:
		var r [8]T
		copy(r[:], x[:8])
		i := 8
		for ; i < n-n%8; i += 8 {
			for k := range r {
				r[k] += x[i+k]
			}
		}
		res := ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
		for ; i < n; i++ {
			res += x[i]
		}
		return res
	}
	n2 := n / 2
	n2 -= n2 % 8
	return npPairwise(x[:n2]) + npPairwise(x[n2:])
}

// npMean is np.mean of a float64 or float32 (dt) array: its np.sum divided
// by the count, rounded to the dtype (NumPy divides the float32 sum in
// float64 and rounds back, which is the same correctly rounded quotient).
// The mean of no values is NaN.
func npMean(x []float64, dt DType) float64 {
	s := npSum(x, dt) / float64(len(x))
	if dt == DTypeFloat32 {
		return r32(s)
	}
	return s
}
