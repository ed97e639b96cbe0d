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
)

// arithOf returns the PyTorch path of a dtype.
func arithOf(dt DType) arith {
	if dt == DTypeFloat32 {
		return arithTorch32
	}
	return arithTorch64
}

// round rounds x to the dtype of the path.
func (a arith) round(x float64) float64 {
	if a == arithTorch32 {
		return r32(x)
	}
	return x
}

// log is torch.log of one element.
func (a arith) log(x float64) float64 {
	switch a {
	case arithTorch32:
		return float64(torchcpu.SleefLogf(float32(x)))
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
	case arithTorch64:
		return torchcpu.SleefExp(x)
	}
	return exp(x)
}

// xlogy is torch.xlogy(x, y); see Xlogy for the special cases.
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
		f := make([]float32, len(x))
		for i, v := range x {
			f[i] = float32(v)
		}
		return float64(torchcpu.Sum32(f))
	case arithTorch64:
		return torchcpu.Sum64(x)
	}
	return Sum(x)
}

// logSoftmax writes F.log_softmax(row / T, dim=-1) into dst. The division
// is a tensor operation of its own, in the dtype (T rounded to it first),
// as `row / T` is in PyTorch; T = 1 divides by nothing.
func (a arith) logSoftmax(dst, row []float64, T float64) {
	switch a {
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

// outerSum is x.sum(0) of a contiguous rows × cols matrix on the path a.
func (a arith) outerSum(x []float64, rows, cols int) []float64 {
	switch a {
	case arithTorch32:
		f := make([]float32, len(x))
		for i, v := range x {
			f[i] = float32(v)
		}
		s := torchcpu.OuterSum32(f, rows, cols)
		out := make([]float64, cols)
		for j, v := range s {
			out[j] = float64(v)
		}
		return out
	case arithTorch64:
		return torchcpu.OuterSum64(x, rows, cols)
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
