package compute

import (
	"math"

	"github.com/klcalc/klcalc/compute/internal/torchcpu"
)

// arith is one way of evaluating kl_div's formulas. The dtype paths
// reproduce PyTorch's CPU kernels bit for bit; the exact path is the
// accurate float64 reference the page shows beside them.
type arith int

const (
	// arithTorch32 is PyTorch's float32 kernels: every operation rounded to
	// float32, torch.log and torch.exp by SLEEF, xlogy by glibc's logf,
	// sums in PyTorch's cascade order.
	arithTorch32 arith = iota
	// arithTorch64 is PyTorch's float64 kernels.
	arithTorch64
	// arithExact is float64 with compute's own ln (within 1 ulp), and
	// compensated sums rounded once: about 1e-15 relative to the exact
	// value of the formula.
	arithExact
	// arithTorchBF16 is PyTorch's bfloat16 kernels: every operation in
	// float32, its result rounded to bfloat16 (torch.log, torch.exp and
	// log_softmax by SLEEF's float32 routines, xlogy by glibc's logf with
	// the log rounded to bfloat16 before the product), sums accumulated in
	// float32 and rounded once.
	arithTorchBF16
	// arithTorchF16 is PyTorch's float16 kernels: as arithTorchBF16, but
	// xlogy's product is formed from the float32 log, and PyTorch 1.13 has
	// no float16 CPU kernel for torch.log, torch.exp or log_softmax (see
	// DTypeFloat16), which this path never reaches.
	arithTorchF16
)

// arithOf returns the PyTorch path of a dtype.
func arithOf(dt DType) arith {
	switch dt {
	case DTypeFloat32:
		return arithTorch32
	case DTypeBFloat16:
		return arithTorchBF16
	case DTypeFloat16:
		return arithTorchF16
	}
	return arithTorch64
}

// half reports whether the path is one of the 16-bit types.
func (a arith) half() bool { return a == arithTorchBF16 || a == arithTorchF16 }

// round rounds x to the dtype of the path. A 16-bit path rounds to float32
// first, as PyTorch does both when it stores a Python float in a tensor
// (c10::BFloat16 and c10::Half are built from a float) and when a kernel
// rounds its float32 result; see roundBF16 and roundF16.
func (a arith) round(x float64) float64 {
	switch a {
	case arithTorch32:
		return r32(x)
	case arithTorchBF16:
		return roundBF16(x)
	case arithTorchF16:
		return roundF16(x)
	}
	return x
}

// roundTensor is t with every value rounded to the dtype of the path (t
// itself on the float64 paths).
func (a arith) roundTensor(t Tensor) Tensor { return a.roundTensorPaced(t, nil) }

// roundTensorPaced is roundTensor, pausing as pc says.
func (a arith) roundTensorPaced(t Tensor, pc *pacer) Tensor {
	if a != arithTorch32 && !a.half() {
		return t
	}
	d := make([]float64, len(t.Data))
	for i, v := range t.Data {
		d[i] = a.round(v)
		if i%paceChunk == paceChunk-1 {
			pc.tick(paceChunk)
		}
	}
	return Tensor{Shape: t.Shape, Data: d}
}

// f32s returns x as float32 (each already a float32 value or rounder).
func f32s(x []float64) []float32 {
	f := make([]float32, len(x))
	for i, v := range x {
		f[i] = float32(v)
	}
	return f
}

// f64s widens f into dst, or a new slice when dst is nil.
func f64s(dst []float64, f []float32) []float64 {
	if dst == nil {
		dst = make([]float64, len(f))
	}
	for i, v := range f {
		dst[i] = float64(v)
	}
	return dst
}

// log is torch.log of one element.
func (a arith) log(x float64) float64 {
	switch a {
	case arithTorch32:
		return float64(torchcpu.SleefLogf(float32(x)))
	case arithTorchBF16, arithTorchF16:
		return a.round(float64(torchcpu.SleefLogf(float32(x))))
	case arithTorch64:
		return torchcpu.SleefLog(x)
	}
	return ln(x)
}

// exp is torch.exp of one element.
func (a arith) exp(x float64) float64 {
	switch a {
	case arithTorch32:
		return float64(torchcpu.SleefExpf(float32(x)))
	case arithTorchBF16, arithTorchF16:
		return a.round(float64(torchcpu.SleefExpf(float32(x))))
	case arithTorch64:
		return torchcpu.SleefExp(x)
	}
	return exp(x)
}

// xlogy is torch.xlogy(x, y); see Xlogy for the special cases. In
// bfloat16 the scalar kernel's std::log(y) is c10's overload for
// c10::BFloat16, which returns a BFloat16, so the log is rounded before the
// product; c10::Half has no such overload in 1.13 and converts to float,
// so in float16 the product is of the float32 log. Each product is rounded
// to float32 and then to the dtype.
func (a arith) xlogy(x, y float64) float64 {
	switch {
	case math.IsNaN(y):
		return math.NaN()
	case x == 0:
		return 0
	}
	switch a {
	case arithTorch32:
		return float64(float32(x) * torchcpu.LibmLogf(float32(y)))
	case arithTorchBF16:
		return roundBF16(float64(float32(x) * float32(roundBF16(float64(torchcpu.LibmLogf(float32(y)))))))
	case arithTorchF16:
		return roundF16(float64(float32(x) * torchcpu.LibmLogf(float32(y))))
	case arithTorch64:
		return float64(x * torchcpu.LibmLog(y)) // never fused with what follows
	}
	return float64(x * ln(y))
}

// div is x / y in the dtype, y already rounded to it.
func (a arith) div(x, y float64) float64 { return a.round(x / y) }

// sum is torch.sum of x (a contiguous tensor, or one row of its last
// dimension).
func (a arith) sum(x []float64) float64 {
	switch a {
	case arithTorch32:
		return float64(torchcpu.Sum32(f32s(x)))
	case arithTorchBF16:
		return float64(torchcpu.SumBFloat16(f32s(x)))
	case arithTorchF16:
		return float64(torchcpu.SumFloat16(f32s(x)))
	case arithTorch64:
		return torchcpu.Sum64(x)
	}
	return Sum(x)
}

// logSoftmax writes F.log_softmax(row / T, dim=-1) into dst. The division
// is a tensor operation of its own, in the dtype (T rounded to it first),
// as `row / T` is in PyTorch; T = 1 divides by nothing. float16 has no
// log_softmax kernel (validate refuses it before).
func (a arith) logSoftmax(dst, row []float64, T float64) {
	switch a {
	case arithTorchBF16, arithTorchF16:
		f := make([]float32, len(row))
		t := a.round(T)
		for i, v := range row {
			f[i] = float32(a.round(v))
			if T != 1 {
				f[i] = float32(a.div(float64(f[i]), t))
			}
		}
		torchcpu.LogSoftmaxBFloat16(f, f)
		f64s(dst, f)
	case arithTorch32:
		f := make([]float32, len(row))
		t := float32(T)
		for i, v := range row {
			f[i] = float32(v)
			if T != 1 {
				f[i] /= t
			}
		}
		torchcpu.LogSoftmax32(f, f)
		for i, v := range f {
			dst[i] = float64(v)
		}
	case arithTorch64:
		for i, v := range row {
			dst[i] = v
			if T != 1 {
				dst[i] = v / T
			}
		}
		torchcpu.LogSoftmax64(dst, dst)
	default:
		exactLogSoftmax(dst, row, T)
	}
}

// roundBF16 rounds x to bfloat16 as PyTorch does: to float32 first, then
// to the nearest bfloat16, ties to even (torchcpu.BFloat16). The two
// roundings can differ from one: 1 + 2^-8 + 2^-40 rounds to float32's
// 1 + 2^-8, a tie that goes to 1, although x is nearer 1 + 2^-7
// (torch.tensor([1.0039062500009095], dtype=torch.bfloat16) is 1).
//
// Special cases are:
//
//	roundBF16(±Inf) = ±Inf
//	roundBF16(NaN) = NaN
//	roundBF16(|x| ≥ 0x1.ff8p127) = ±Inf (3.3961775e+38; the largest
//	    bfloat16 is 3.3895314e+38)
//	roundBF16(|x| ≤ 2^-134) = ±0 (the least subnormal is 2^-133)
func roundBF16(x float64) float64 { return float64(torchcpu.BFloat16(float32(x))) }

// roundF16 rounds x to float16 as PyTorch does: to float32 first, then to
// the nearest IEEE binary16, ties to even (torchcpu.Float16).
//
// Special cases are:
//
//	roundF16(±Inf) = ±Inf
//	roundF16(NaN) = NaN
//	roundF16(|x| ≥ 65520) = ±Inf (the largest float16 is 65504)
//	roundF16(|x| ≤ 2^-25) = ±0 (the least subnormal is 2^-24 ≈ 5.96e-8;
//	    the smallest normal 2^-14 ≈ 6.1e-5)
func roundF16(x float64) float64 { return float64(torchcpu.Float16(float32(x))) }

// The pieces of a reduction over several dimensions (sumTo): each returns
// sums before they are added to the output (in float32 for the 16-bit
// paths, which the caller rounds to the dtype with every addition).

// lanes is Vectorized<scalar_t>::size(), the length from which a
// contiguous dimension is summed by the vectorized loops.
func (a arith) lanes() int {
	switch a {
	case arithTorch32:
		return torchcpu.Lanes32
	case arithTorchBF16, arithTorchF16:
		return torchcpu.Lanes16
	}
	return torchcpu.Lanes64
}

// innerSum is vectorized_inner_sum of one contiguous row.
func (a arith) innerSum(x []float64) float64 {
	switch a {
	case arithTorch32:
		return float64(torchcpu.InnerSum32(f32s(x)))
	case arithTorchBF16:
		return float64(torchcpu.InnerSumBFloat16(f32s(x)))
	case arithTorchF16:
		return float64(torchcpu.InnerSumFloat16(f32s(x)))
	case arithTorch64:
		return torchcpu.InnerSum64(x)
	}
	return Sum(x)
}

// rowSum is row_sum of a strided row, gathered in x.
func (a arith) rowSum(x []float64) float64 {
	switch a {
	case arithTorch32, arithTorchBF16, arithTorchF16:
		return float64(torchcpu.RowSum32(f32s(x)))
	case arithTorch64:
		return torchcpu.RowSum64(x)
	}
	return Sum(x)
}

// columnSums is vectorized_outer_sum (vectorized) or scalar_outer_sum of
// the rows × cols matrix x.
func (a arith) columnSums(x []float64, rows, cols int, vectorized bool) []float64 {
	switch a {
	case arithTorch32:
		return f64s(nil, torchcpu.ColumnSums32(f32s(x), rows, cols, vectorized))
	case arithTorchBF16, arithTorchF16:
		return f64s(nil, torchcpu.ColumnSums16(f32s(x), rows, cols, vectorized))
	case arithTorch64:
		return torchcpu.ColumnSums64(x, rows, cols, vectorized)
	}
	out := make([]float64, cols)
	col := make([]float64, rows)
	for j := range out {
		for i := range col {
			col[i] = x[i*cols+j]
		}
		out[j] = Sum(col)
	}
	return out
}
