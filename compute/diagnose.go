package compute

import (
	"fmt"
	"math"
)

// WarningCode identifies a diagnostic. Warnings never stop the computation:
// they point at the mistakes people make with kl_div.
type WarningCode int

const (
	WarnLooksLikeProbabilities WarningCode = iota // a log-probability side holds values in [0, 1]
	WarnRowSum                                    // rows of P or Q do not sum to 1
	WarnNegativeProbability                       // a probability (or a count) is negative
	WarnQZeroWherePPositive                       // q = 0 where p > 0: +Inf terms
	WarnMeanReduction                             // 'mean' is not the KL divergence (PyTorch's own warning)
	WarnBatchMean1D                               // 'batchmean' on a 1-D input divides by C
	WarnBatchMeanBroadcast                        // 'batchmean' divides by input.size(0) though the target enlarged the batch
	WarnDTypeDisagree                             // float32 and float64 differ by more than a few ulps
	WarnNegativeResult                            // the reduced value is negative
	WarnNaNResult                                 // the result contains NaN
	WarnInfResult                                 // the result is ±Inf
	WarnCountsNormalised                          // a counts side is divided by its row sums (not a mistake: it shows the sums)
	WarnTemperature                               // a logits side's temperature is 0, negative, infinite or NaN (Value holds T)
)

// Warning is one diagnostic: a code and the data behind it, from which a
// UI writes its sentence in the reader's language. compute writes no
// sentences.
type Warning struct {
	Code      WarningCode
	Operand   Operand   // the side concerned, or OperandNone when it concerns both
	Form      Form      // the side's form (WarnRowSum: log sums exp; WarnNegativeProbability: counts or probabilities)
	Positions [][2]int  // 0-based (row, col) of the offending elements, at most maxPositions; row is flat for 3-D and 4-D (Tensor.RowIndex)
	Count     int       // how many elements or rows are affected in total (WarnBatchMeanBroadcast: the broadcast batch)
	Rows      []int     // 0-based offending rows of the last dimension, flat for 3-D and 4-D (WarnRowSum); rows summing to 0, whose terms are NaN (WarnCountsNormalised)
	Sums      []float64 // every row's sum (WarnRowSum); every row's divisor, in the dtype (WarnCountsNormalised)
	Classes   int       // the number of classes of the side (WarnCountsNormalised)
	Cancel    bool      // WarnCountsNormalised: a row summing to 0 holds non-zero counts, so x/0 gives ±Inf too
	Rounding  bool      // WarnNegativeResult: the float32 value is negative only by rounding (Value ≥ 0)
	Value     float64   // the value that would have been right: batchmean for 'mean', the sum for 1-D batchmean, the float64 value; T for WarnTemperature
	Got       float64   // the value computed (WarnDTypeDisagree: float32; WarnNaNResult, WarnInfResult: the result)
	Divisor   float64   // the divisor of the reduction (WarnBatchMean1D, WarnBatchMeanBroadcast)
	Special   Special   // the special case of the first offending term (WarnNaNResult, WarnInfResult)
}

var warningNames = [...]string{
	WarnLooksLikeProbabilities: "WarnLooksLikeProbabilities",
	WarnRowSum:                 "WarnRowSum",
	WarnNegativeProbability:    "WarnNegativeProbability",
	WarnQZeroWherePPositive:    "WarnQZeroWherePPositive",
	WarnMeanReduction:          "WarnMeanReduction",
	WarnBatchMean1D:            "WarnBatchMean1D",
	WarnBatchMeanBroadcast:     "WarnBatchMeanBroadcast",
	WarnDTypeDisagree:          "WarnDTypeDisagree",
	WarnNegativeResult:         "WarnNegativeResult",
	WarnNaNResult:              "WarnNaNResult",
	WarnInfResult:              "WarnInfResult",
	WarnCountsNormalised:       "WarnCountsNormalised",
	WarnTemperature:            "WarnTemperature",
}

// Warnings lists every warning code, so that a UI can check it has a
// sentence for each.
func Warnings() []WarningCode {
	ws := make([]WarningCode, len(warningNames))
	for i := range ws {
		ws[i] = WarningCode(i)
	}
	return ws
}

// String returns the code's Go name, e.g. "WarnRowSum".
func (c WarningCode) String() string {
	if c >= 0 && int(c) < len(warningNames) {
		return warningNames[c]
	}
	return fmt.Sprintf("WarningCode(%d)", int(c))
}

// PyTorchMeanWarning is the UserWarning torch.nn.functional.kl_div emits for
// reduction='mean', verbatim (its three literals are joined without spaces).
const PyTorchMeanWarning = "reduction: 'mean' divides the total loss by both the batch size and the support size." +
	"'batchmean' divides only by the batch size, and aligns with the KL div math definition." +
	"'mean' will be changed to behave the same as 'batchmean' in the next major release."

// maxPositions bounds the positions a warning lists.
const maxPositions = 20

// RowSumTolerance is how far from 1 a row's sum may be before WarnRowSum
// (torch.distributions' simplex check uses the same 1e-6).
const RowSumTolerance = 1e-6

// dataWarnings are the warnings of the sides' values and of the terms:
// those that do not depend on the reduction.
func dataWarnings(p, q Side, res *Result) []Warning {
	var ws []Warning
	for _, s := range []struct {
		op   Operand
		side Side
	}{{OperandP, p}, {OperandQ, q}} {
		ws = append(ws, sideWarnings(s.op, s.side, res.Options.DType)...)
	}
	if w, ok := qZeroWarning(res); ok {
		ws = append(ws, w)
	}
	return ws
}

// reductionWarnings are the warnings of the chosen reduction and of the
// value it gives.
func reductionWarnings(res *Result) []Warning {
	var ws []Warning
	switch res.Reduction {
	case ReductionMean:
		bm := res.All[2].Value
		ws = append(ws, Warning{Code: WarnMeanReduction, Value: bm})
	case ReductionBatchMean:
		switch res.Reason {
		case DivisorBatch1D:
			ws = append(ws, Warning{Code: WarnBatchMean1D, Value: res.Sum, Divisor: res.Divisor})
		case DivisorBatchBroadcast:
			ws = append(ws, Warning{Code: WarnBatchMeanBroadcast, Value: res.Sum / float64(res.Shape[0]),
				Count: res.Shape[0], Divisor: res.Divisor})
		}
	}
	if res.Reduction != ReductionNone {
		v := res.Value
		switch {
		case math.IsNaN(v):
			ws = append(ws, nonFiniteWarning(WarnNaNResult, res, func(x float64) bool { return math.IsNaN(x) }))
		case math.IsInf(v, 0):
			ws = append(ws, nonFiniteWarning(WarnInfResult, res, func(x float64) bool { return math.IsInf(x, 0) }))
		case v < 0:
			ws = append(ws, Warning{Code: WarnNegativeResult, Value: res.Float64, Got: v,
				Rounding: res.Options.DType == DTypeFloat32 && res.Float64 >= 0 && math.Abs(v) < 1e-5})
		}
		if res.Options.DType == DTypeFloat32 && res.hasExact && float32Disagrees(v, res.Float64, res.absSum) {
			ws = append(ws, Warning{Code: WarnDTypeDisagree, Value: res.Float64, Got: v})
		}
	}
	return ws
}

// sideWarnings checks one side's own values; dt is the dtype the counts
// are normalised in.
func sideWarnings(op Operand, s Side, dt DType) []Warning {
	var ws []Warning
	d := s.Data.Data
	switch s.Form {
	case FormLog:
		allUnit, anyPos := len(d) > 0, false
		for _, v := range d {
			if !(v >= 0 && v <= 1) {
				allUnit = false
				break
			}
			if v > 0 {
				anyPos = true
			}
		}
		if allUnit && anyPos {
			ws = append(ws, Warning{Code: WarnLooksLikeProbabilities, Operand: op, Form: s.Form})
		}
	case FormProb, FormCounts:
		var pos [][2]int
		n := 0
		_, cols := s.Data.rowsCols()
		for i, v := range d {
			if v < 0 {
				n++
				if len(pos) < maxPositions {
					pos = append(pos, [2]int{i / max(cols, 1), i % max(cols, 1)})
				}
			}
		}
		if n > 0 {
			ws = append(ws, Warning{Code: WarnNegativeProbability, Operand: op, Form: s.Form, Positions: pos, Count: n})
		}
	}
	switch s.Form {
	case FormLogits:
		if w, ok := temperatureWarning(op, s.Temperature, dt); ok {
			ws = append(ws, w)
		}
		return ws // log_softmax rows always sum to 1
	case FormCounts:
		return append(ws, countsWarning(op, s, dt)) // normalised: rows sum to 1 by construction
	}
	rows := s.Data.Rows()
	sums := make([]float64, len(rows))
	var bad []int
	for i, r := range rows {
		var a accumulator
		for _, v := range r {
			if s.Form == FormLog {
				v = exp(v)
			}
			a.add(v)
		}
		sums[i] = a.value()
		if !(math.Abs(sums[i]-1) <= RowSumTolerance) {
			bad = append(bad, i)
		}
	}
	if len(bad) > 0 {
		ws = append(ws, Warning{Code: WarnRowSum, Operand: op, Form: s.Form, Rows: bad, Sums: sums, Count: len(bad)})
	}
	return ws
}

// temperatureWarning explains a temperature PyTorch accepts but that is
// not a softening: T = 0 (also a T that rounds to 0 in the dtype: at most
// 2^-150 in float32, 2^-134 in bfloat16, 2^-25 in float16), T < 0,
// ±Inf and NaN.
func temperatureWarning(op Operand, T float64, dt DType) (Warning, bool) {
	t := arithOf(dt).round(T)
	if t > 0 && !math.IsInf(t, 0) {
		return Warning{}, false
	}
	return Warning{Code: WarnTemperature, Operand: op, Value: T}, true
}

// countsWarning shows the sums a counts side is divided by, and names the
// rows that sum to 0 (0/0 makes their terms NaN).
func countsWarning(op Operand, s Side, dt DType) Warning {
	a := arithOf(dt)
	src := a.roundTensor(s.Data)
	sums := countSums(src, a)
	var zero []int
	cancel := false // a row sums to 0 but holds non-zero (negative) counts
	rows := src.Rows()
	for i, v := range sums {
		if v == 0 && len(rows[i]) > 0 {
			zero = append(zero, i)
			for _, x := range rows[i] {
				cancel = cancel || x != 0
			}
		}
	}
	_, classes := src.rowsCols()
	return Warning{Code: WarnCountsNormalised, Operand: op, Form: FormCounts, Sums: sums, Rows: zero, Count: len(sums), Classes: classes, Cancel: cancel}
}

func qZeroWarning(res *Result) (Warning, bool) {
	var pos [][2]int
	n := 0
	for k := range res.numTerms() {
		// A term of q = 0 where p > 0 is p·(log p − (−∞)) or
		// exp(log p)·(log p − (−∞)): +∞, or NaN where exp(log p) rounds
		// to 0. A finite term is never one, and classifying every term
		// was a quarter of CalculateDType's time.
		if isFinite(res.valueAt(k)) {
			continue
		}
		if res.specialAt(k) == SpecialQZero {
			n++
			if len(pos) < maxPositions {
				pos = append(pos, res.positionAt(k))
			}
		}
	}
	if n == 0 {
		return Warning{}, false
	}
	return Warning{Code: WarnQZeroWherePPositive, Operand: OperandQ, Positions: pos, Count: n}, true
}

func nonFiniteWarning(code WarningCode, res *Result, bad func(float64) bool) Warning {
	var pos [][2]int
	n := 0
	var first Special
	for k := range res.numTerms() {
		if bad(res.valueAt(k)) {
			if n == 0 {
				first = res.specialAt(k)
			}
			n++
			if len(pos) < maxPositions {
				pos = append(pos, res.positionAt(k))
			}
		}
	}
	return Warning{Code: code, Positions: pos, Count: n, Special: first, Got: res.Value}
}

// The terms of the output in row-major order, from Terms or, before
// Details, from the pointwise terms (the special case then computed).

func (res *Result) numTerms() int {
	if res.src == nil {
		return res.Terms.Len()
	}
	return len(res.src.pw.terms)
}

func (res *Result) valueAt(k int) float64 {
	if res.src == nil {
		return res.Terms.Value(k)
	}
	return res.src.pw.terms[k]
}

func (res *Result) positionAt(k int) [2]int {
	if res.src == nil {
		t := res.Terms.At(k)
		return [2]int{t.Row, t.Col}
	}
	cols := max(res.src.pw.cols, 1)
	return [2]int{k / cols, k % cols}
}

func (res *Result) specialAt(k int) Special {
	if res.src == nil {
		return res.Terms.At(k).Special
	}
	return res.src.special(k, res.Input, res.Target, res.LogTarget)
}

// float32Disagrees reports whether a float32 result v32 is further from the
// float64 result v64 than rounding explains: 4 ulps of the result plus 4
// float32 epsilons of absSum = Σ|term| / divisor, the size of the terms that
// cancelled (rounding the inputs to float32 alone moves each term by about
// one epsilon of its size).
func float32Disagrees(v32, v64, absSum float64) bool {
	if math.IsNaN(v32) != math.IsNaN(v64) {
		return true
	}
	if !isFinite(v32) || !isFinite(v64) {
		return v32 != v64 && !(math.IsNaN(v32) && math.IsNaN(v64))
	}
	tol := 4 * ulp32(v64)
	if isFinite(absSum) {
		tol += 4 * 0x1p-24 * absSum
	}
	return math.Abs(v32-v64) > tol
}

// ulp32 is the spacing of float32 numbers at |x|.
func ulp32(x float64) float64 {
	f := float32(math.Abs(x))
	if math.IsInf(float64(f), 0) {
		return math.Inf(1)
	}
	return float64(math.Nextafter32(f, float32(math.Inf(1))) - f)
}
