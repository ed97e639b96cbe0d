package compute

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// Side is one of the two distributions, P (target) or Q (model), as the
// user gave it.
type Side struct {
	Data Tensor
	Form Form
	// Temperature divides logits (FormLogits only): log_softmax(logits / T).
	// Set it to 1 for plain logits: like PyTorch, 0 divides by zero, and
	// negative, infinite and NaN temperatures are computed as given.
	Temperature float64
}

// Options are the choices that are not part of the data.
type Options struct {
	Reduction Reduction
	DType     DType
	Unit      Unit // of Result.Related; PyTorch's value is always in nats
}

// Term is one element of the worked breakdown, at a position of the
// broadcast output.
type Term struct {
	Row, Col int     // 0-based position in the output (Row is 0 for 0-D and 1-D; for 3-D and 4-D the flat row of the leading dimensions, see Tensor.RowIndex)
	P, Q     float64 // the probabilities (exp of the logs for log and logits forms, normalised counts for counts)
	LogP     float64 // log p: PyTorch's target when log_target=True, else log(target) as xlogy uses it
	LogQ     float64 // log q: PyTorch's input
	Target   float64 // the value passed to kl_div as target (p, or log p)
	Value    float64 // the pointwise loss
	Special  Special
}

// Result is a complete, explained kl_div computation.
type Result struct {
	Options   Options
	LogTarget bool // the log_target argument PyTorch is called with

	InputShape, TargetShape, Shape []int  // Shape is the broadcast output shape
	Input, Target                  Tensor // what PyTorch receives (in the dtype)

	Terms   Terms     // row-major over Shape
	RowSums []float64 // Σ of each output row's terms, in the dtype (one row for 0-D and 1-D)
	Reduced           // the chosen reduction (Value is NaN for 'none')
	Output  Tensor    // what PyTorch returns: 0-D, or the pointwise tensor for 'none'

	// All holds sum, mean and batchmean side by side, in the dtype.
	All []Reduced
	// Float64 is the chosen reduction computed in float64 (equal to Value
	// when DType is float64), so a float32 result can be compared with it.
	Float64 float64

	Related  Related
	Warnings []Warning

	absSum float64 // Σ|term| / divisor in float64: the scale of the rounding errors of Value
	src    *source // what Details needs; nil once Terms and Related are there

	// What WithReduction needs: the pointwise terms in the dtype, the
	// float64 reference's Σterm and Σ|term| (undivided; hasExact is false
	// for 'none', which does not compute them) and the warnings that do
	// not depend on the reduction.
	terms              []float64
	sides              [2]Side // P and Q as given, for the reference
	hasTerms           bool    // Terms are there (WithTerms), and src too until Details
	pace               *pacer  // CalculateDTypeYield's, shared by the copies
	exactSum, exactAbs float64
	hasExact           bool
	dataWarnings       []Warning
}

// source is what CalculateValue keeps for Details: the sides as given and
// the pointwise terms with their positions.
type source struct {
	p, q  Side
	pw    pointwiseResult
	qProb Tensor // the q typed, rounded to the dtype, normalised for counts
}

// special is the special case of the term at index k of the output.
func (s *source) special(k int, input, target Tensor, logTarget bool) Special {
	i, j := k/max(s.pw.cols, 1), k%max(s.pw.cols, 1)
	return classify(target.Data[s.pw.tg.at(i, j)], input.Data[s.pw.in.at(i, j)], logTarget, s.pw.terms[k])
}

// Calculate converts P and Q to PyTorch's target and input, computes
// kl_div(input, target, reduction, log_target) in the chosen dtype, and
// explains it: the pointwise terms with their special cases, the row sums,
// the divisor, every reduction, the related quantities and the warnings.
//
// The conversions are:
//
//	Q prob:   input = log q                      P prob:   target = p,      log_target=False
//	Q log:    input = q as given                 P log:    target = log p,  log_target=True
//	Q logits: input = log_softmax(q / T, -1)     P logits: target = log_softmax(p / T, -1), log_target=True
//	Q counts: input = log(q / q.sum(-1))         P counts: target = p / p.sum(-1), log_target=False
//
// Counts are normalised row by row as scipy.stats.entropy does (see
// FormCounts for the special cases of the division); the breakdown's Term.P
// and Term.Q are then the normalised probabilities.
func Calculate(p, q Side, opt Options) (*Result, error) {
	r, err := CalculateValue(p, q, opt)
	if err != nil {
		return nil, err
	}
	return r.Details(), nil
}

// CalculateValue is Calculate without the two parts that only explain the
// value: the per-term breakdown (Terms) and the related quantities
// (Related). At 100 000 values they are about 45 % of Calculate's time; an
// interactive caller can show the value first and call Details in a
// moment of its own. Every other field, the warnings included, is
// Calculate's.
func CalculateValue(p, q Side, opt Options) (*Result, error) {
	res, err := CalculateDType(p, q, opt)
	if err != nil {
		return nil, err
	}
	res.reference()
	return res, nil
}

// CalculateDType is CalculateValue without the float64 reference, which
// takes about as long again: Float64 is NaN, and of the warnings that
// compare the value with it, WarnDTypeDisagree is missing and
// WarnNegativeResult's Value is NaN and its Rounding false. Reference
// adds them; an interactive caller can show the value first.
func CalculateDType(p, q Side, opt Options) (*Result, error) {
	return CalculateDTypeYield(p, q, opt, nil, 0)
}

// CalculateDTypeYield is CalculateDType, calling yield, unless nil, once
// every has passed since the last call (or the start), at the next of the
// points it checks, about every 16 384 values of work; the same in the
// result's Reference, WithTerms and Details. A caller on the browser's one
// thread can so let the page run in between (at 2 × 1 024 000 float32
// logits the value took 500 ms of wasm at once). The results are
// CalculateDType's.
//
// A yield that returns false stops the computation, which then returns
// nil, ErrCanceled: a page can so let its user cancel. Once
// CalculateDTypeYield has returned, its result's steps (Reference,
// WithTerms, Details) still yield but cannot be stopped, having no error
// to return.
func CalculateDTypeYield(p, q Side, opt Options, yield func() bool, every time.Duration) (res *Result, err error) {
	if err := validate(p, q, opt); err != nil {
		return nil, err
	}
	defer catchStop(&err)
	r := &Result{
		Options:     opt,
		LogTarget:   p.Form.logTarget(),
		InputShape:  q.Data.Shape,
		TargetShape: p.Data.Shape,
	}
	if yield != nil {
		r.pace = &pacer{yield: yield, every: every, last: time.Now(), cancel: true}
	}
	if err := calculateDType(r, p, q, opt); err != nil {
		return nil, err
	}
	if r.pace != nil {
		r.pace.cancel = false // the result's own steps cannot fail
	}
	return r, nil
}

// calculateDType is CalculateDTypeYield's computation, into res.
func calculateDType(res *Result, p, q Side, opt Options) error {
	a, pc := arithOf(opt.DType), res.pace
	res.Input = toInput(q, a, pc)
	res.Target = toTarget(p, a, pc)
	pw, err := pointwiseTensor(res.Input, res.Target, res.LogTarget, a, pc)
	if err != nil {
		return err
	}
	res.Shape = pw.shape
	qProb := a.roundTensorPaced(q.Data, pc)
	if q.Form == FormCounts {
		qProb = normaliseCounts(qProb, a)
	}
	res.RowSums = rowSums(pw, a)
	sum := a.sum(pw.terms)
	for _, r := range []Reduction{ReductionSum, ReductionMean, ReductionBatchMean} {
		res.All = append(res.All, reduceSum(sum, len(pw.terms), pw.shape, res.InputShape, r, a))
	}
	res.terms, res.sides = pw.terms, [2]Side{p, q}
	res.reduceBy(opt.Reduction)
	res.src = &source{p: p, q: q, pw: pw, qProb: qProb}
	res.dataWarnings = dataWarnings(p, q, res)
	res.Warnings = append(slices.Clone(res.dataWarnings), reductionWarnings(res)...)
	return nil
}

// HasReference reports whether r has its float64 reference: it came from
// Calculate, CalculateValue or Reference, or its reduction is 'none',
// which has none.
func (r *Result) HasReference() bool { return r.hasExact || r.Reduction == ReductionNone }

// Reference returns r with its float64 reference, Float64, and the
// warnings that compare with it, as CalculateValue returns it: a copy when
// r came from CalculateDType (r itself is left as it was), else r itself.
func (r *Result) Reference() *Result {
	if r.HasReference() {
		return r
	}
	d := *r
	d.reference()
	return &d
}

// reference computes the float64 reference of r, which has none, and
// what depends on it.
func (r *Result) reference() {
	if r.Reduction == ReductionNone {
		return
	}
	// The same formulas on the float64 inputs, with compute's own log and
	// compensated sums. The shapes broadcast: the dtype's path checked.
	ex := arithExact
	p, q := r.sides[0], r.sides[1]
	pc := r.pace
	pwx, err := pointwiseTensor(toInput(q, ex, pc), toTarget(p, ex, pc), r.LogTarget, ex, pc)
	if err != nil {
		panic(err)
	}
	var acc accumulator
	for _, v := range pwx.terms {
		acc.add(math.Abs(v))
	}
	r.exactSum, r.exactAbs, r.hasExact = ex.sum(pwx.terms), acc.value(), true
	r.reduceBy(r.Reduction)
	r.Warnings = append(slices.Clone(r.dataWarnings), reductionWarnings(r)...)
}

// reduceBy sets the fields of r that depend on the reduction red, from
// the dtype's and the reference's sums: Options.Reduction, Reduced,
// Output, Float64 and absSum (NaN and 0 without the reference). r.All and
// r.terms must be set.
func (r *Result) reduceBy(red Reduction) {
	r.Options.Reduction = red
	if red == ReductionNone {
		r.Reduced = Reduced{Reduction: ReductionNone, Sum: r.All[0].Sum, Divisor: 1, Value: math.NaN()}
		r.Output = Tensor{Shape: r.Shape, Data: r.terms}
		r.Float64 = math.NaN()
		r.absSum = 0
		return
	}
	r.Reduced = r.All[slices.Index([]Reduction{ReductionSum, ReductionMean, ReductionBatchMean}, red)]
	r.Output = Scalar(r.Value)
	if !r.hasExact {
		r.Float64, r.absSum = math.NaN(), 0
		return
	}
	rv := reduceSum(r.exactSum, len(r.terms), r.Shape, r.InputShape, red, arithExact)
	r.Float64, r.absSum = rv.Value, r.exactAbs/rv.Divisor
}

// WithReduction returns r as CalculateDType would have returned it for
// the same sides and options but the reduction red, without computing the
// terms again: a reduction only divides their sum, which r keeps for
// each. The float64 reference comes along when r has it and red is not
// 'none' (then the result is CalculateValue's); otherwise Reference adds
// it. r keeps its details or the lack of them, and is left as it was.
//
// Special cases are:
//
//	red == r.Reduction: r, true
//	r with 'none' (which computes no reference), red another: a result
//	    without its reference (HasReference is false)
//	red unknown: nil, false
func (r *Result) WithReduction(red Reduction) (*Result, bool) {
	switch {
	case red == r.Reduction:
		return r, true
	case red < ReductionBatchMean || red > ReductionNone:
		return nil, false
	}
	d := *r
	d.reduceBy(red)
	d.Warnings = append(slices.Clone(d.dataWarnings), reductionWarnings(&d)...)
	return &d, true
}

// validate checks what Calculate and Gradients take from a caller.
func validate(p, q Side, opt Options) error {
	if err := p.Data.validate("P"); err != nil {
		return err
	}
	if err := q.Data.validate("Q"); err != nil {
		return err
	}
	for _, s := range []struct {
		name string
		side Side
	}{{"P", p}, {"Q", q}} {
		if s.side.Form < FormProb || s.side.Form > FormCounts {
			return fmt.Errorf("compute: %s: unknown form %d", s.name, s.side.Form)
		}
	}
	if opt.Reduction < ReductionBatchMean || opt.Reduction > ReductionNone {
		return fmt.Errorf("compute: unknown reduction %d", opt.Reduction)
	}
	if !opt.DType.valid() {
		return fmt.Errorf("compute: unknown dtype %d", opt.DType)
	}
	if _, ok := BroadcastShapes(q.Data.Shape, p.Data.Shape); !ok {
		return &BroadcastError{Input: q.Data.Shape, Target: p.Data.Shape}
	}
	return Supported(p.Form, q.Form, opt.DType)
}

// HasDetails reports whether r has Terms and Related: it came from
// Calculate or Details.
func (r *Result) HasDetails() bool { return r.src == nil }

// Details returns r with Terms and Related, as Calculate returns it: a
// copy when r came from CalculateValue (r itself is left as it was), else
// r itself.
func (r *Result) Details() *Result {
	if r.src == nil {
		return r
	}
	d := *r.WithTerms()
	d.Related = relatedFromSides(r.src.p, r.src.q, d.Options.Unit, r.pace)
	d.src = nil
	return &d
}

// WithTerms returns r with Terms, the first part of Details: a copy when r
// has no Terms (r itself is left as it was), else r itself. It takes no
// time (Terms is a view of what r holds), while Related, the rest of
// Details, passes over every value.
func (r *Result) WithTerms() *Result {
	if r.src == nil || r.hasTerms {
		return r
	}
	d := *r
	s := r.src
	d.Terms = newTerms(s.pw, d.Input, d.Target, s.qProb, s.q.Form, d.LogTarget)
	d.hasTerms = true
	return &d
}

// toInput converts Q to PyTorch's input, log q, on the path a.
func toInput(q Side, a arith, pc *pacer) Tensor {
	src := a.roundTensorPaced(q.Data, pc)
	switch q.Form {
	case FormLog:
		return src
	case FormLogits:
		return logSoftmaxTensor(src, q.Temperature, a, pc)
	case FormCounts:
		src = normaliseCounts(src, a)
	}
	d := make([]float64, len(src.Data))
	for i, v := range src.Data {
		d[i] = a.log(v)
		if i%paceChunk == paceChunk-1 {
			pc.tick(paceChunk)
		}
	}
	return Tensor{Shape: src.Shape, Data: d}
}

// toTarget converts P to PyTorch's target (p, or log p for log_target=True).
func toTarget(p Side, a arith, pc *pacer) Tensor {
	src := a.roundTensorPaced(p.Data, pc)
	switch p.Form {
	case FormLogits:
		return logSoftmaxTensor(src, p.Temperature, a, pc)
	case FormCounts:
		return normaliseCounts(src, a)
	}
	return src
}

// normaliseCounts divides each row of the last dimension by its sum, as
// t / t.sum(-1, keepdim=True) does; a 0-D tensor is divided by itself. On
// a PyTorch path the sum is torch.sum's and each quotient is rounded to the
// dtype. See FormCounts for the special cases.
func normaliseCounts(t Tensor, a arith) Tensor {
	out := Tensor{Shape: t.Shape, Data: make([]float64, 0, len(t.Data))}
	sums := countSums(t, a)
	for i, row := range t.Rows() {
		for _, v := range row {
			out.Data = append(out.Data, a.div(v, sums[i]))
		}
	}
	return out
}

// countSums returns the sum of each row of the last dimension (one row for
// 0-D and 1-D), on the path a: what FormCounts divides by.
func countSums(t Tensor, a arith) []float64 {
	rows := t.Rows()
	sums := make([]float64, len(rows))
	for i, row := range rows {
		sums[i] = a.sum(row)
		if a == arithExact && math.IsNaN(sums[i]) {
			// A finite sum that overflows is ±Inf, as PyTorch's sum gives
			// (the compensation term can turn it into Inf − Inf).
			plain := 0.0
			for _, v := range row {
				plain += v
			}
			if !math.IsNaN(plain) {
				sums[i] = plain
			}
		}
	}
	return sums
}

func logSoftmaxTensor(t Tensor, T float64, a arith, pc *pacer) Tensor {
	out := Tensor{Shape: t.Shape, Data: make([]float64, len(t.Data))}
	if len(t.Shape) == 0 {
		// PyTorch's log_softmax of a 0-D tensor is that of one class.
		a.logSoftmax(out.Data, t.Data, T)
		return out
	}
	_, c := t.rowsCols()
	for i, row := range t.Rows() {
		a.logSoftmax(out.Data[i*c:(i+1)*c], row, T)
		pc.tick(c)
	}
	return out
}

func rowSums(pw pointwiseResult, a arith) []float64 {
	sums := make([]float64, pw.rows)
	for i := range sums {
		sums[i] = a.sum(pw.terms[i*pw.cols : (i+1)*pw.cols])
	}
	return sums
}
