package compute

import (
	"fmt"
	"math"

	"github.com/klcalc/klcalc/compute/internal/torchcpu"
)

// Gradient is what loss.backward() leaves in .grad for kl_div's two
// arguments and, where a side is given as logits, for those logits.
type Gradient struct {
	Options   Options
	LogTarget bool

	// Scale is ∂L/∂term, the gradient the reduction sends to each pointwise
	// term, in the dtype: 1 for 'sum' and 'none' (loss.backward(ones)),
	// 1/numel for 'mean', 1/input.size(0) for 'batchmean' (1 for a 0-D
	// input); times the factor of GradientsOf.
	Scale float64

	Input  Tensor // ∂L/∂input, in the input's shape
	Target Tensor // ∂L/∂target, in the target's shape
	// QLogits and PLogits are ∂L/∂z for the side given as logits z, through
	// log_softmax(z / T); Data is nil for a side in another form.
	QLogits, PLogits Tensor

	// InputNotes and TargetNotes give the special case behind each element
	// of Input and Target (GradNoteNone for an ordinary one).
	InputNotes, TargetNotes []GradNote
}

// GradNote names why one gradient element is what it is, where that is
// not the ordinary formula.
type GradNote uint8

const (
	GradNoteNone GradNote = iota
	// GradNoteTargetZero: p = 0 with log_target=False. ∂L/∂target is NaN
	// in PyTorch ≥ 1.13, from xlogy's backward g·t/t = 0/0
	// (pytorch#89558); PyTorch 1.12 returned 0. ∂L/∂input is −0.
	GradNoteTargetZero
	// GradNoteLossNaN: the term itself is NaN (p = 0 with log q = ±Inf, or
	// log p = −Inf with log_target=True, or a NaN log q), yet ∂L/∂input is
	// −p·g, finite: a NaN loss does not show in the input's gradient.
	GradNoteLossNaN
	// GradNoteInfinite: log q = ∓Inf where p > 0, so the term is ±Inf;
	// ∂L/∂target = log p + 1 − log q is ±Inf, while ∂L/∂input = −p·g is
	// finite.
	GradNoteInfinite
	// GradNoteNegativeTarget: p < 0. ∂L/∂input = −p·g is positive in
	// PyTorch ≥ 1.13; PyTorch 1.12 returned 0 (its kernel tested p > 0).
	// ∂L/∂target is NaN (log of a negative number).
	GradNoteNegativeTarget
	// GradNoteNaN: a NaN in the target, or a target of +Inf, reaches this
	// element.
	GradNoteNaN
	// GradNoteRowSpread (logits only): ∂L/∂z_i = G_i − softmax_i·ΣG over
	// the row, so one NaN or ±Inf in the row's G makes the whole row NaN.
	GradNoteRowSpread
)

var gradNoteNames = [...]string{
	GradNoteNone:           "GradNoteNone",
	GradNoteTargetZero:     "GradNoteTargetZero",
	GradNoteLossNaN:        "GradNoteLossNaN",
	GradNoteInfinite:       "GradNoteInfinite",
	GradNoteNegativeTarget: "GradNoteNegativeTarget",
	GradNoteNaN:            "GradNoteNaN",
	GradNoteRowSpread:      "GradNoteRowSpread",
}

// String returns the constant's name; the app explains each in words.
func (n GradNote) String() string {
	if int(n) < len(gradNoteNames) {
		return gradNoteNames[n]
	}
	return fmt.Sprintf("GradNote(%d)", int(n))
}

// Differs112 reports whether PyTorch 1.12's kl_div backward (a kernel of
// its own, before kl_div became composite in 1.13, pytorch#80334) gave a
// different value for an element with this note: 0 where ≥ 1.13 gives NaN
// (target = 0) or a positive input gradient (target < 0).
func (n GradNote) Differs112() bool {
	return n == GradNoteTargetZero || n == GradNoteNegativeTarget
}

// Gradients computes the gradients of kl_div that autograd computes, in the
// dtype, with the conversions of Calculate. Since PyTorch 1.13, kl_div is
// composite (pytorch#80334), and autograd differentiates its formula
// operation by operation, with g = Scale:
//
//	log_target=False: L = xlogy(t, t) − t·x
//	  ∂L/∂x = (−g)·t
//	  ∂L/∂t = xlogy(g, t) [0 where t = 0]  +  (g·t)/t  +  (−g)·x
//	                  = g·(log t + 1 − x)
//	log_target=True:  L = exp(t)·(t − x)
//	  ∂L/∂x = −(g·exp(t))
//	  ∂L/∂t = (g·(t − x))·exp(t)  +  g·exp(t)
//	                  = g·exp(t)·(t − x + 1)
//	logits z at temperature T, y = log_softmax(z / T), G = ∂L/∂y:
//	  ∂L/∂z = (G − exp(y)·ΣG) / T       (the sum over the row; no / T at T = 1)
//
// For 'batchmean' with both sides logits at one T this is the familiar
// (softmax(z/T) − p)/(T·N). The three parts of ∂L/∂t (the xlogy's two
// arguments and the product's) are added in the order autograd accumulates
// them, and a side that broadcasting enlarged gets its gradient summed over
// the enlarged dimensions (any of up to 4), part by part, as autograd's
// sum_to does (see sumTo for the order). Input,
// Target, QLogits and PLogits are PyTorch 1.13's bits (the gradient oracle,
// testdata/gradient, checks them), except where noted there.
//
// In bfloat16 and float16 every operation above is computed in float32 and
// rounded to the dtype, with the sums of sum_to in float32 rounded once
// (torchcpu.OuterSumBFloat16, torchcpu.SumBFloat16 and their float16
// twins); log_softmax's backward rounds ΣG to bfloat16, then forms
// G − exp(y)·ΣG in one float32 fused multiply-add, rounded once
// (torchcpu.LogSoftmaxBackwardBFloat16). testdata/oracle/grad16.jsonl.gz
// checks them. A float16 problem PyTorch cannot run (see Supported) is a
// *DTypeError.
//
// Special cases are (see GradNote for each):
//
//	t = 0, finite x:        ∂L/∂x = −0,  ∂L/∂t = NaN   (1.12: 0)
//	t = 0, x = ±Inf:        the term is NaN; ∂L/∂x = −0, ∂L/∂t = NaN
//	t > 0, x = −Inf (q = 0): the term is +Inf; ∂L/∂x = −t·g, ∂L/∂t = +Inf
//	t < 0:                  ∂L/∂x = −t·g > 0 (1.12: 0), ∂L/∂t = NaN
//	log_target, t = −Inf:   the term is NaN; ∂L/∂x = −0, ∂L/∂t = NaN
//	NaN in t:               NaN in both; NaN in x: ∂L/∂x = −t·g, ∂L/∂t = NaN
//	a NaN or ±Inf anywhere in a row of G: that row of ∂L/∂z is NaN
//	counts: ∂L/∂target is for the normalised target p / p.sum(-1), as the
//	  snippet's target tensor holds it; ∂L/∂input for log(q / q.sum(-1))
func Gradients(p, q Side, opt Options) (*Gradient, error) {
	return GradientsOf(p, q, opt, 1)
}

// GradientsOf is Gradients for (loss * factor).backward(): the factor, a
// Python float such as T**2, is rounded to the dtype, and each term then
// receives factor/divisor, one division in the dtype, instead of 1/divisor.
// Gradients is GradientsOf with factor 1.
func GradientsOf(p, q Side, opt Options, factor float64) (*Gradient, error) {
	if err := validate(p, q, opt); err != nil {
		return nil, err
	}
	return gradients(p, q, opt, factor, arithOf(opt.DType)), nil
}

// gradients is GradientsOf on the path a.
func gradients(p, q Side, opt Options, factor float64, a arith) *Gradient {
	input, target := toInput(q, a, nil), toTarget(p, a, nil)
	lt := p.Form.logTarget()
	shape, _ := BroadcastShapes(input.Shape, target.Shape)
	out := Tensor{Shape: shape}
	rows, cols := out.rowsCols()
	in, tg := indexer(input, shape), indexer(target, shape)

	gr := &Gradient{Options: opt, LogTarget: lt, Scale: gradScale(opt.Reduction, shape, input.Shape, a.round(factor), a)}
	g := gr.Scale
	n := rows * cols
	dx := make([]float64, n) // ∂L/∂x per output element, before sum_to
	dt := make([]float64, n) // the part of ∂L/∂t formed in the output's shape
	inNotes := make([]GradNote, len(input.Data))
	tgNotes := make([]GradNote, len(target.Data))
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			k := i*cols + j
			ii, ti := in.at(i, j), tg.at(i, j)
			x, t := input.Data[ii], target.Data[ti]
			if lt {
				// exp(t)·(t − x): MulBackward sends g·(t − x) to exp(t)
				// and g·exp(t) to t − x, whose SubBackward passes it to t
				// and its negation to x.
				dx[k] = -a.round(g * a.exp(t))
				dt[k] = a.round(g * a.round(t-x))
			} else {
				// xlogy(t, t) − t·x: SubBackward sends −g to t·x, whose
				// MulBackward gives (−g)·t to x and (−g)·x to t.
				dx[k] = a.round(-g * t)
				dt[k] = a.round(-g * x)
			}
			inN, tgN := gradNotes(classify(t, x, lt, math.NaN()))
			inNotes[ii] = worse(inNotes[ii], inN)
			tgNotes[ti] = worse(tgNotes[ti], tgN)
		}
	}
	gr.Input = sumTo(dx, shape, input, false, a)
	gr.Target = Tensor{Shape: target.Shape, Data: make([]float64, len(target.Data))}
	if lt {
		// ExpBackward multiplies the summed g·(t − x) by exp(t); the
		// g·exp(t) that reaches t through t − x is summed on its own.
		part0 := sumTo(dt, shape, target, false, a)
		for k := range dt {
			i, j := k/cols, k%cols
			dt[k] = a.round(g * a.exp(target.Data[tg.at(i, j)]))
		}
		part1 := sumTo(dt, shape, target, false, a)
		for i, t := range target.Data {
			gr.Target.Data[i] = a.round(a.round(part0.Data[i]*a.exp(t)) + part1.Data[i])
		}
	} else {
		// xlogy(t, t) is computed in the target's shape, so its backward
		// sees g summed over what broadcasting added: self gets
		// xlogy(G, t), masked to 0 where self = 0 and other ≤ 0, and other
		// gets G·self/other.
		for k := range dx {
			dx[k] = g
		}
		// SubBackward passes the reduction's gradient on as it is: for
		// 'sum' and 'batchmean' grad.expand(shape) (SumBackward), whose
		// stride-0 elements sum_to reads in an order of their own; 'mean'
		// divides the expanded tensor (contiguous) and 'none' is ones_like.
		G := sumTo(dx, shape, target, opt.Reduction == ReductionSum || opt.Reduction == ReductionBatchMean, a)
		mul := sumTo(dt, shape, target, false, a)
		for i, t := range target.Data {
			var self float64
			if t != 0 {
				self = a.xlogy(G.Data[i], t)
			}
			other := a.div(a.round(G.Data[i]*t), t)
			gr.Target.Data[i] = a.round(a.round(self+other) + mul.Data[i])
		}
	}
	gr.InputNotes, gr.TargetNotes = inNotes, tgNotes
	if q.Form == FormLogits {
		gr.QLogits = logitsGrad(gr.Input, input, q.Temperature, a)
	}
	if p.Form == FormLogits {
		gr.PLogits = logitsGrad(gr.Target, target, p.Temperature, a)
	}
	return gr
}

// gradScale is the gradient that the reduction sends to every term:
// MeanBackward's 1/numel and batchmean's DivBackward 1/size(0), each one
// division in the dtype.
func gradScale(red Reduction, out, inputShape []int, seed float64, a arith) float64 {
	if red == ReductionNone {
		return seed
	}
	return reduceSum(seed, Tensor{Shape: out}.Numel(), out, inputShape, red, a).Value
}

// gradNotes maps the special case of a term to the notes of its input's
// and its target's gradient.
func gradNotes(s Special) (in, tg GradNote) {
	switch s {
	case SpecialTargetZero:
		return GradNoteNone, GradNoteTargetZero
	case SpecialZeroTimesInf, SpecialLogTargetZero, SpecialNaNInput:
		return GradNoteLossNaN, GradNoteLossNaN
	case SpecialQZero, SpecialInputPosInf:
		return GradNoteInfinite, GradNoteInfinite
	case SpecialNegativeTarget:
		return GradNoteNegativeTarget, GradNoteNegativeTarget
	case SpecialNaNTarget, SpecialInfTarget:
		return GradNoteNaN, GradNoteNaN
	}
	return GradNoteNone, GradNoteNone
}

// worse keeps the first special note an element of a broadcast side gets.
func worse(old, n GradNote) GradNote {
	if old != GradNoteNone {
		return old
	}
	return n
}

// sumTo reduces a gradient d over the broadcast output (of shape out,
// contiguous) to the shape of the operand t, as autograd's sum_to does
// (at::sum_to, then torch.sum over the dimensions broadcasting added or
// enlarged, keepdim=True, in one reduction), in the order PyTorch 1.13's
// TensorIterator and cascade_sum add the elements on one thread:
//
//   - the reduced dimensions go innermost, the one of the smallest stride
//     first, then the kept ones; neighbours in that order that are
//     neighbours in memory too are coalesced into one;
//   - the kernel's 2-D loop gets the first two of those dimensions, once
//     for each index of the others (the third fastest), and adds its sums
//     to the output, which starts at +0: each sum is cast to the dtype,
//     then added (CastStoreAccumulate), so that in bfloat16 and float16 a
//     sum that is added to a non-zero output is rounded twice (the
//     addition is in float32, rounded once more);
//   - in that loop, the first (reduced) dimension is summed by
//     vectorized_inner_sum if it is the contiguous last dimension and
//     holds a vector (torch.sum's order of a row: arith.sum), by
//     vectorized_outer_sum if the second is contiguous and holds a vector,
//     else by scalar_inner_sum (row_sum of each strided row) or
//     scalar_outer_sum (4 columns at a time), whichever stride is smaller.
//
// Special cases are:
//
//	t of out's shape: d as it is (nothing is reduced)
//	t of out's numel but fewer dimensions, (C,) for (1, C): a sum over
//	    the size-1 leading dimensions all the same, which turns −0 into +0
//	t 0-D, or every size of out > 1 reduced: one torch.sum of d
//	    (the dimensions coalesce into one)
//	out (R, C), t (1, C) or (C,): x.sum(0) (torchcpu.OuterSum64's order)
//	out (R, C), t (R, 1): torch.sum of each row
//	out (A, B, C), t (B, 1) or (1, B, 1): each output element is the
//	    sequential sum, over a, of torch.sum of d[a, b, :]
//	expanded: d is one value broadcast (the stride-0 gradient that 'sum'
//	    and 'batchmean' send back, grad.expand(shape)): every stride is 0,
//	    the dimensions coalesce into at most a reduced and a kept one, and
//	    scalar_outer_sum sums them, 4 output elements at a time
func sumTo(d []float64, out []int, t Tensor, expanded bool, a arith) Tensor {
	res := Tensor{Shape: t.Shape, Data: make([]float64, len(t.Data))}
	if fwSameShape(t.Shape, out) {
		copy(res.Data, d)
		return res
	}
	if len(t.Data) == 0 {
		return res
	}
	n := len(out)
	// The dimensions of out, with d's strides and the output's (0 where
	// reduced), innermost first: reduced ones, then kept ones.
	type dim struct {
		size, in, out int
	}
	inStride := make([]int, n)
	outStride := make([]int, n)
	reduced := make([]bool, n)
	s, so := 1, 1
	for k := n - 1; k >= 0; k-- {
		if !expanded {
			inStride[k] = s
		}
		s *= out[k]
		tk := k - (n - len(t.Shape))
		if tk < 0 || t.Shape[tk] == 1 {
			reduced[k] = out[k] != 1
		}
		if !reduced[k] {
			outStride[k] = so
			so *= out[k]
		}
	}
	var dims []dim
	for _, red := range []bool{true, false} {
		for k := n - 1; k >= 0; k-- {
			if out[k] == 1 || reduced[k] != red {
				continue
			}
			nd := dim{out[k], inStride[k], outStride[k]}
			if m := len(dims); m > 0 {
				p := dims[m-1]
				if nd.in == p.size*p.in && nd.out == p.size*p.out {
					dims[m-1] = dim{p.size * nd.size, p.in, p.out}
					continue
				}
			}
			dims = append(dims, nd)
		}
	}
	if len(dims) == 0 || dims[0].out != 0 {
		// Only size-1 dimensions are reduced: cascade_sum's "not a true
		// reduction", each element added to the output's +0.
		for k, v := range d {
			res.Data[k] = a.round(0 + v)
		}
		return res
	}
	for len(dims) < 2 {
		dims = append(dims, dim{1, 0, 0})
	}
	acc := res.Data // the output, in the dtype; +0 to start
	// CastStoreAccumulate: the block's sum is cast to the dtype, then
	// added to the output (in float32 for the 16-bit types, rounded again).
	store := func(k int, v float64) { acc[k] = a.round(acc[k] + a.round(v)) }
	d0, d1, rest := dims[0], dims[1], dims[2:]
	vec := a.lanes()
	idx := make([]int, len(rest))
	buf := make([]float64, d0.size*d1.size)
	for {
		bi, bo := 0, 0
		for k, r := range rest {
			bi += idx[k] * r.in
			bo += idx[k] * r.out
		}
		switch {
		case d0.in == 1 && d0.size >= vec:
			for j := range d1.size {
				off := bi + j*d1.in
				store(bo+j*d1.out, a.innerSum(d[off:off+d0.size]))
			}
		case d0.in < d1.in:
			row := buf[:d0.size]
			for j := range d1.size {
				for i := range row {
					row[i] = d[bi+i*d0.in+j*d1.in]
				}
				store(bo+j*d1.out, a.rowSum(row))
			}
		default:
			for i := range d0.size {
				for j := range d1.size {
					buf[i*d1.size+j] = d[bi+i*d0.in+j*d1.in]
				}
			}
			cs := a.columnSums(buf, d0.size, d1.size, d1.in == 1 && d1.size >= vec)
			for j, v := range cs {
				store(bo+j*d1.out, v)
			}
		}
		// Advance the outer index, the first of rest fastest.
		k := 0
		for ; k < len(rest); k++ {
			idx[k]++
			if idx[k] < rest[k].size {
				break
			}
			idx[k] = 0
		}
		if k == len(rest) {
			break
		}
	}
	return res
}

// logitsGrad is log_softmax's backward row by row, then the division by T.
func logitsGrad(G, y Tensor, T float64, a arith) Tensor {
	out := Tensor{Shape: G.Shape, Data: make([]float64, len(G.Data))}
	c := 1
	if len(G.Shape) > 0 {
		c = G.Shape[len(G.Shape)-1]
	}
	if c == 0 {
		return out
	}
	tt := a.round(T)
	for r := 0; r*c < len(G.Data); r++ {
		g, yr, dst := G.Data[r*c:(r+1)*c], y.Data[r*c:(r+1)*c], out.Data[r*c:(r+1)*c]
		switch a {
		case arithTorch32:
			g32, y32 := f32s(g), f32s(yr)
			torchcpu.LogSoftmaxBackward32(g32, g32, y32)
			f64s(dst, g32)
		case arithTorchBF16, arithTorchF16: // float16 has no log_softmax: validate refuses logits
			g32, y32 := f32s(g), f32s(yr)
			torchcpu.LogSoftmaxBackwardBFloat16(g32, g32, y32)
			f64s(dst, g32)
		default:
			torchcpu.LogSoftmaxBackward64(dst, g, yr)
		}
		if T != 1 {
			for i, v := range dst {
				dst[i] = a.div(v, tt)
			}
		}
	}
	return out
}

// RowNorms returns the Euclidean norm of each row of the last dimension of
// t (one row for 0-D and 1-D), in float64: √Σ v², with compensated sums.
//
// Special cases are:
//
//	a NaN in the row: NaN
//	±Inf in the row (and no NaN): +Inf
//	an empty row: 0
func RowNorms(t Tensor) []float64 {
	rows := t.Rows()
	out := make([]float64, len(rows))
	for i, row := range rows {
		out[i] = norm(row)
	}
	return out
}

// Norm is the Euclidean (Frobenius) norm of all of t's values, with the
// special cases of RowNorms.
func Norm(t Tensor) float64 { return norm(t.Data) }

func norm(x []float64) float64 {
	var acc accumulator
	inf := false
	for _, v := range x {
		switch {
		case math.IsNaN(v):
			return math.NaN()
		case math.IsInf(v, 0):
			inf = true
		}
		acc.add(v * v)
	}
	if inf {
		return math.Inf(1)
	}
	return math.Sqrt(acc.value())
}

// SweepPoint is kl_div and the norm of its gradient to Q's logits at one
// temperature.
type SweepPoint struct {
	T        float64
	Loss     float64 // the reduced loss (the Σ for 'none'), without T²
	GradNorm float64 // ‖∂L/∂z‖ over every element of Q's logits, without T²
}

// TemperatureSweep computes, for Q given as logits z, the loss and the norm
// of ∂L/∂z at each temperature: Q becomes log_softmax(z / T) and, when P is
// logits too, P becomes log_softmax(z_p / T) (distillation divides both by
// the same T); a P in another form is left as it is. It runs on compute's
// accurate float64 path, since it shows a trend rather than PyTorch's bits.
//
// At high T the gradient shrinks like 1/T² (Hinton et al., 2015):
// softmax(z/T) − softmax(v/T) ≈ (z − v)/(C·T) for centred logits, and the
// log_softmax backward divides by T once more. Multiplying the loss by T²
// keeps ‖∂(T²·L)/∂z‖ roughly constant.
//
// Special cases are:
//
//	Q not in the logits form: an error (the sweep has no temperature to vary)
//	a T ≤ 0, ±Inf or NaN in temps: the point is computed as given (NaN)
func TemperatureSweep(p, q Side, red Reduction, temps []float64) ([]SweepPoint, error) {
	if q.Form != FormLogits {
		return nil, fmt.Errorf("compute: a temperature sweep needs Q as logits, not %s", q.Form)
	}
	opt := Options{Reduction: red, DType: DTypeFloat64}
	if err := validate(p, q, opt); err != nil {
		return nil, err
	}
	out := make([]SweepPoint, len(temps))
	for i, T := range temps {
		pt, qt := p, q
		qt.Temperature = T
		if p.Form == FormLogits {
			pt.Temperature = T
		}
		g := gradients(pt, qt, opt, 1, arithExact)
		ex := arithExact
		pw, err := pointwiseTensor(toInput(qt, ex, nil), toTarget(pt, ex, nil), pt.Form.logTarget(), ex, nil)
		if err != nil {
			return nil, err
		}
		r := red
		if r == ReductionNone {
			r = ReductionSum
		}
		out[i] = SweepPoint{T: T, Loss: reduce(pw.terms, pw.shape, q.Data.Shape, r, ex).Value, GradNorm: Norm(g.QLogits)}
	}
	return out, nil
}
