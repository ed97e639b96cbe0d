package compute

import (
	"fmt"
	"math"
)

// KLDiv is torch.nn.functional.kl_div(input, target, reduction=reduction,
// log_target=logTarget) computed in the given dtype.
//
// input holds log q. target holds p, or log p when logTarget is true. The
// pointwise loss is Pointwise(t, x) or PointwiseLogTarget(t, x); input and
// target broadcast as in PyTorch (shapes aligned on the right, sizes equal
// or 1). The result is the pointwise tensor for ReductionNone and a 0-D
// tensor otherwise:
//
//	sum       = Σ loss
//	mean      = Σ loss / loss.numel()    (numel of the broadcast output)
//	batchmean = Σ loss / input.size(0)   (size(0) of the input, even if
//	                                      broadcasting enlarged the batch)
//
// The values are PyTorch 1.13's bits on x86-64 with AVX2 and one thread:
// Σ is torch.sum's cascade order (torchcpu.Sum32, torchcpu.Sum64), and each
// division is one operation in the dtype by the divisor rounded to it, as
// loss.mean() and F.kl_div's `reduced / input.size()[0]` are.
//
// In bfloat16 and float16 every operation is computed in float32 and
// rounded to the dtype (see DTypeBFloat16), Σ accumulates in float32 and
// is rounded once (torchcpu.SumBFloat16, torchcpu.SumFloat16), and the
// divisor is rounded to the dtype, so that a count such as 257 divides as
// 256 in bfloat16, and 65520 or more as +Inf in float16.
//
// Special cases are:
//
//	float16 with logTarget: a *DTypeError (PyTorch has no float16 exp)
//	batchmean of a 0-D input is not divided
//	batchmean of a 1-D input divides by C, the same as mean
//	batchmean of a 2-D, 3-D or 4-D input divides by input.size(0) only,
//	    not by the product of the leading sizes: (B, H, C) divides Σ by B
//	batchmean where the output's size(0) differs from the input's (a
//	    target (4, 3, C) for an input (3, C), or (B, C) for (1, C)): still
//	    input.size(0), reason DivisorBatchBroadcast
//	an empty input: sum = 0, mean = NaN, batchmean = NaN (0/0)
//	shapes that do not broadcast: an error naming both shapes
func KLDiv(input, target Tensor, reduction Reduction, logTarget bool, dt DType) (Tensor, error) {
	if err := input.validate("input"); err != nil {
		return Tensor{}, err
	}
	if err := target.validate("target"); err != nil {
		return Tensor{}, err
	}
	if !dt.valid() {
		return Tensor{}, fmt.Errorf("compute: unknown dtype %d", dt)
	}
	if logTarget {
		if err := logTargetError(dt); err != nil {
			return Tensor{}, err
		}
	}
	a := arithOf(dt)
	input, target = a.roundTensor(input), a.roundTensor(target)
	pw, err := pointwiseTensor(input, target, logTarget, a, nil)
	if err != nil {
		return Tensor{}, err
	}
	if reduction == ReductionNone {
		return Tensor{Shape: pw.shape, Data: pw.terms}, nil
	}
	rv := reduce(pw.terms, pw.shape, input.Shape, reduction, a)
	return Scalar(rv.Value), nil
}

// pointwiseResult is the broadcast pointwise loss.
type pointwiseResult struct {
	shape      []int
	rows, cols int
	in, tg     broadcastIndex
	terms      []float64
}

func pointwiseTensor(input, target Tensor, logTarget bool, a arith, pc *pacer) (pointwiseResult, error) {
	shape, ok := BroadcastShapes(input.Shape, target.Shape)
	if !ok {
		return pointwiseResult{}, &BroadcastError{Input: input.Shape, Target: target.Shape}
	}
	r := pointwiseResult{shape: shape, in: indexer(input, shape), tg: indexer(target, shape)}
	r.rows, r.cols = Tensor{Shape: shape}.rowsCols()
	r.terms = make([]float64, r.rows*r.cols)
	f := a.pointwise
	if logTarget {
		f = a.pointwiseLogTarget
	}
	x, t := input.Data, target.Data
	if r.in.colStride == 1 && r.tg.colStride == 1 {
		// No broadcasting on the columns: the common case, kept tight.
		for i := 0; i < r.rows; i++ {
			xi, ti := x[r.in.row(i):], t[r.tg.row(i):]
			row := r.terms[i*r.cols : (i+1)*r.cols]
			for j := range row {
				row[j] = f(ti[j], xi[j])
				if j%paceChunk == paceChunk-1 {
					pc.tick(paceChunk)
				}
			}
			pc.tick(len(row) % paceChunk)
		}
		return r, nil
	}
	for i := 0; i < r.rows; i++ {
		for j := 0; j < r.cols; j++ {
			r.terms[i*r.cols+j] = f(t[r.tg.at(i, j)], x[r.in.at(i, j)])
		}
		pc.tick(r.cols)
	}
	return r, nil
}

// DivisorReason says why a reduction divides by what it does.
type DivisorReason int

const (
	DivisorNone           DivisorReason = iota // 'none' or 'sum': no division
	DivisorNumel                               // 'mean': the number of elements of the broadcast output
	DivisorBatch                               // 'batchmean' on an input of 2 to 4 dimensions: size(0), the batch size
	DivisorBatch1D                             // 'batchmean' on a 1-D input: size(0) is the number of classes C
	DivisorScalar                              // 'batchmean' on a 0-D input: not divided
	DivisorBatchBroadcast                      // 'batchmean' where the output's size(0) is not the input's (the target enlarged the batch, or added a leading dimension of another size): still input.size(0)
)

var divisorNames = [...]string{
	DivisorNone:           "DivisorNone",
	DivisorNumel:          "DivisorNumel",
	DivisorBatch:          "DivisorBatch",
	DivisorBatch1D:        "DivisorBatch1D",
	DivisorScalar:         "DivisorScalar",
	DivisorBatchBroadcast: "DivisorBatchBroadcast",
}

// String returns the constant's name; the app explains each in words.
func (d DivisorReason) String() string {
	if d >= 0 && int(d) < len(divisorNames) {
		return divisorNames[d]
	}
	return fmt.Sprintf("DivisorReason(%d)", int(d))
}

// Reduced is the result of one reduction.
type Reduced struct {
	Reduction Reduction
	Sum       float64 // Σ of the pointwise terms, in the dtype
	Divisor   float64 // 1 when nothing is divided
	Reason    DivisorReason
	Value     float64 // Sum / Divisor, in the dtype
}

// reduce applies a (non-'none') reduction to the pointwise terms on the
// path a.
func reduce(terms []float64, outShape, inputShape []int, red Reduction, a arith) Reduced {
	return reduceSum(a.sum(terms), len(terms), outShape, inputShape, red, a)
}

// reduceSum divides sum, the Σ of numel terms, as the reduction does.
func reduceSum(sum float64, numel int, outShape, inputShape []int, red Reduction, a arith) Reduced {
	rv := Reduced{Reduction: red, Sum: sum, Divisor: 1, Reason: DivisorNone, Value: sum}
	switch red {
	case ReductionMean:
		rv.Divisor, rv.Reason = float64(numel), DivisorNumel
	case ReductionBatchMean:
		switch {
		case len(inputShape) == 0:
			rv.Reason = DivisorScalar
		case len(inputShape) == 1:
			rv.Divisor, rv.Reason = float64(inputShape[0]), DivisorBatch1D
		case outShape[0] != inputShape[0]:
			rv.Divisor, rv.Reason = float64(inputShape[0]), DivisorBatchBroadcast
		default:
			rv.Divisor, rv.Reason = float64(inputShape[0]), DivisorBatch
		}
	default:
		return rv
	}
	if rv.Reason == DivisorScalar {
		return rv
	}
	rv.Value = a.div(sum, a.round(rv.Divisor))
	return rv
}

func round32(t Tensor) Tensor {
	d := make([]float64, len(t.Data))
	for i, v := range t.Data {
		d[i] = r32(v)
	}
	return Tensor{Shape: t.Shape, Data: d}
}

// isFinite reports whether x is neither ±Inf nor NaN.
func isFinite(x float64) bool { return !math.IsInf(x, 0) && !math.IsNaN(x) }
