package compute

import (
	"fmt"
	"math"
	"strconv"
	"strings"
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

// Warning is one diagnostic with the data behind it, so that a UI can
// present it in another language.
type Warning struct {
	Code      WarningCode
	Side      string    // "P", "Q" or "" when it concerns both
	Message   string    // one or two English sentences
	Positions [][2]int  // 0-based (row, col) of the offending elements, at most maxPositions
	Count     int       // how many elements or rows are affected in total
	Rows      []int     // 0-based offending rows (WarnRowSum); rows summing to 0, whose terms are NaN (WarnCountsNormalised)
	Sums      []float64 // every row's sum (WarnRowSum); every row's divisor, in the dtype (WarnCountsNormalised)
	Value     float64   // the value that would have been right: batchmean for 'mean', the sum for 1-D batchmean, the float64 value
	Special   Special   // the special case of the first offending term (WarnNaNResult, WarnInfResult)
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

func diagnose(p, q Side, res *Result) []Warning {
	var ws []Warning
	for _, s := range []struct {
		name string
		side Side
	}{{"P", p}, {"Q", q}} {
		ws = append(ws, sideWarnings(s.name, s.side, res.Options.DType)...)
	}
	if w, ok := qZeroWarning(res); ok {
		ws = append(ws, w)
	}
	switch res.Reduction {
	case ReductionMean:
		bm := res.All[2].Value
		ws = append(ws, Warning{Code: WarnMeanReduction, Value: bm,
			Message: fmt.Sprintf("PyTorch warns: %q With 'batchmean' the result would be %s.", PyTorchMeanWarning, FormatFloat(bm))})
	case ReductionBatchMean:
		switch res.Reason {
		case DivisorBatch1D:
			ws = append(ws, Warning{Code: WarnBatchMean1D, Value: res.Sum,
				Message: fmt.Sprintf("'batchmean' on a 1-D input divides by size(0) = %s, the number of classes, not by a batch size, so it equals 'mean'. "+
					"For the KL divergence of one distribution, pass input.unsqueeze(0) and target.unsqueeze(0) (or use 'sum'): that gives %s.",
					FormatFloat(res.Divisor), FormatFloat(res.Sum))})
		case DivisorBatchBroadcast:
			ws = append(ws, Warning{Code: WarnBatchMeanBroadcast, Value: res.Sum / float64(res.Shape[0]),
				Message: fmt.Sprintf("the target broadcast the batch to %d rows, but 'batchmean' divides by input.size(0) = %s.",
					res.Shape[0], FormatFloat(res.Divisor))})
		}
	}
	if res.Reduction != ReductionNone {
		v := res.Value
		switch {
		case math.IsNaN(v):
			ws = append(ws, nonFiniteWarning(WarnNaNResult, "NaN", res, func(x float64) bool { return math.IsNaN(x) }))
		case math.IsInf(v, 0):
			ws = append(ws, nonFiniteWarning(WarnInfResult, FormatFloat(v), res, func(x float64) bool { return math.IsInf(x, 0) }))
		case v < 0:
			msg := "the result is negative. A KL divergence of distributions that each sum to 1 is ≥ 0; only single terms may be negative. "
			if res.Options.DType == DTypeFloat32 && res.Float64 >= 0 && math.Abs(v) < 1e-5 {
				msg += fmt.Sprintf("Here it is float32 rounding: in float64 the value is %s.", FormatFloat(res.Float64))
			} else {
				msg += "Check that Q is given in the form you chose (PyTorch's input must be log-probabilities) and that rows sum to 1."
			}
			ws = append(ws, Warning{Code: WarnNegativeResult, Message: msg, Value: res.Float64})
		}
		if res.Options.DType == DTypeFloat32 && float32Disagrees(v, res.Float64, res.absSum) {
			ws = append(ws, Warning{Code: WarnDTypeDisagree, Value: res.Float64,
				Message: fmt.Sprintf("float32 gives %s but float64 gives %s: more apart than float32 rounding of well-conditioned terms explains, so precision matters here.",
					FormatFloat(v), FormatFloat(res.Float64))})
		}
	}
	return ws
}

// sideWarnings checks one side's own values; dt is the dtype the counts
// are normalised in.
func sideWarnings(name string, s Side, dt DType) []Warning {
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
			hint := "PyTorch's input must be log-probabilities: torch.log(q) or F.log_softmax(logits, dim=-1)"
			if name == "P" {
				hint = "with log_target=True the target must be log-probabilities; for probabilities use log_target=False"
			}
			ws = append(ws, Warning{Code: WarnLooksLikeProbabilities, Side: name,
				Message: fmt.Sprintf("%s is marked as log-probabilities but every value is in [0, 1]: these look like probabilities. %s.", name, hint)})
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
		if n > 0 && s.Form == FormCounts {
			ws = append(ws, Warning{Code: WarnNegativeProbability, Side: name, Positions: pos, Count: n,
				Message: fmt.Sprintf("%s has %d negative count%s, at %s. Counts are divided by their row's sum like the others, which leaves negative probabilities in the row, and their terms are NaN. "+
					"Counts must be ≥ 0; if these are log-probabilities or logits, choose that form.", name, n, plural(n, "", "s"), positions(pos, n))})
		} else if n > 0 {
			hint := ""
			if name == "P" {
				hint = " If these are log-probabilities, choose the log form (log_target=True)."
			} else {
				hint = " If these are log-probabilities, choose the log form: PyTorch's input is log q."
			}
			ws = append(ws, Warning{Code: WarnNegativeProbability, Side: name, Positions: pos, Count: n,
				Message: fmt.Sprintf("%s has %d negative probabilit%s, at %s; their terms are NaN.%s", name, n, plural(n, "y", "ies"), positions(pos, n), hint)})
		}
	}
	switch s.Form {
	case FormLogits:
		if w, ok := temperatureWarning(name, s.Temperature, dt); ok {
			ws = append(ws, w)
		}
		return ws // log_softmax rows always sum to 1
	case FormCounts:
		return append(ws, countsWarning(name, s, dt)) // normalised: rows sum to 1 by construction
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
		what := "sum"
		if s.Form == FormLog {
			what = "exp sum"
		}
		var parts []string
		for _, i := range bad[:min(len(bad), maxPositions)] {
			parts = append(parts, fmt.Sprintf("row %d: %s", i+1, FormatFloat(sums[i])))
		}
		if len(bad) > maxPositions {
			parts = append(parts, "…")
		}
		ws = append(ws, Warning{Code: WarnRowSum, Side: name, Rows: bad, Sums: sums, Count: len(bad),
			Message: fmt.Sprintf("%d row%s of %s do%s not %s to 1 (%s). kl_div does not normalise, so the result is not a KL divergence of distributions.",
				len(bad), plural(len(bad), "", "s"), name, plural(len(bad), "es", ""), what, strings.Join(parts, "; "))})
	}
	return ws
}

// temperatureWarning explains a temperature PyTorch accepts but that is
// not a softening: T = 0 (also a T that rounds to 0 in float32), T < 0,
// ±Inf and NaN.
func temperatureWarning(name string, T float64, dt DType) (Warning, bool) {
	t := T
	if dt == DTypeFloat32 {
		t = r32(T)
	}
	var msg string
	switch {
	case math.IsNaN(t):
		msg = "is NaN: every logit divided by it is NaN, so the whole side is NaN."
	case t == 0 && T != 0:
		msg = fmt.Sprintf("%s rounds to 0 in float32: logits / T are ±∞ (0/0 = NaN), so log_softmax is NaN for every row. Use float64 or a temperature ≥ 1e-38.", FormatFloat(T))
	case t == 0:
		msg = "is 0: logits / 0 are ±∞ (0/0 = NaN), so log_softmax is NaN for every row. The limit T → 0⁺ is the one-hot argmax, which division cannot reach."
	case math.IsInf(t, 0):
		msg = "is infinite: logits / T are 0, so every row is uniform (log p = −log C) whatever the logits."
	case t < 0:
		msg = fmt.Sprintf("%s is negative: dividing by it reverses the order of the logits, so the most likely class becomes the least likely. Temperatures are positive; use %s.", FormatFloat(T), FormatFloat(-T))
	default:
		return Warning{}, false
	}
	return Warning{Code: WarnTemperature, Side: name, Value: T, Message: name + "'s temperature " + msg}, true
}

// countsWarning shows the sums a counts side is divided by, and names the
// rows that sum to 0 (0/0 makes their terms NaN).
func countsWarning(name string, s Side, dt DType) Warning {
	src := s.Data
	if dt == DTypeFloat32 {
		src = round32(src)
	}
	sums := countSums(src, arithOf(dt))
	var parts []string
	var zero []int
	cancel := false // a row sums to 0 but holds non-zero (negative) counts
	rows := src.Rows()
	for i, v := range sums {
		if i < maxPositions {
			parts = append(parts, fmt.Sprintf("row %d: %s", i+1, FormatFloat(v)))
		} else if i == maxPositions {
			parts = append(parts, "…")
		}
		if v == 0 && len(rows[i]) > 0 {
			zero = append(zero, i)
			for _, x := range rows[i] {
				cancel = cancel || x != 0
			}
		}
	}
	msg := fmt.Sprintf("%s is counts: each row is divided by its sum (SciPy's convention)", name)
	if len(parts) > 0 && len(rows[0]) > 0 {
		msg += ": " + strings.Join(parts, "; ")
	}
	msg += "."
	if len(zero) > 0 {
		its := plural(len(zero), "its", "their")
		if cancel {
			msg += fmt.Sprintf(" %s sum%s to 0: dividing by 0 makes %s probabilities NaN (0/0) or ±∞ (x/0), and %s terms NaN or ±∞.",
				rowList(zero), plural(len(zero), "s", ""), its, its)
		} else {
			msg += fmt.Sprintf(" %s sum%s to 0: dividing by 0 makes %s probabilities NaN (0/0), so %s terms are NaN.",
				rowList(zero), plural(len(zero), "s", ""), its, its)
		}
	}
	return Warning{Code: WarnCountsNormalised, Side: name, Sums: sums, Rows: zero, Count: len(sums), Message: msg}
}

// rowList names 0-based rows 1-based: "Row 3", "Rows 1, 4 and 2 more".
func rowList(rows []int) string {
	var b strings.Builder
	b.WriteString(plural(len(rows), "Row ", "Rows "))
	for i, r := range rows[:min(len(rows), maxPositions)] {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Itoa(r + 1))
	}
	if len(rows) > maxPositions {
		fmt.Fprintf(&b, " and %d more", len(rows)-maxPositions)
	}
	return b.String()
}

func qZeroWarning(res *Result) (Warning, bool) {
	var pos [][2]int
	n := 0
	for _, t := range res.Terms {
		if t.Special == SpecialQZero {
			n++
			if len(pos) < maxPositions {
				pos = append(pos, [2]int{t.Row, t.Col})
			}
		}
	}
	if n == 0 {
		return Warning{}, false
	}
	return Warning{Code: WarnQZeroWherePPositive, Side: "Q", Positions: pos, Count: n,
		Message: fmt.Sprintf("Q is 0 where P is positive at %s: those terms are +∞, so the KL divergence is +∞. Smooth Q (e.g. add a small ε and renormalise) if a finite value is wanted.", positions(pos, n))}, true
}

func nonFiniteWarning(code WarningCode, what string, res *Result, bad func(float64) bool) Warning {
	var pos [][2]int
	n := 0
	var first Special
	for _, t := range res.Terms {
		if bad(t.Value) {
			if n == 0 {
				first = t.Special
			}
			n++
			if len(pos) < maxPositions {
				pos = append(pos, [2]int{t.Row, t.Col})
			}
		}
	}
	msg := fmt.Sprintf("the result is %s", what)
	if n > 0 {
		msg += fmt.Sprintf(" because %d term%s %s %s, at %s; the first: %s.", n, plural(n, "", "s"), plural(n, "is", "are"), what, positions(pos, n), first)
	} else {
		msg += " because the sum overflowed or mixed +∞ and −∞ terms."
	}
	return Warning{Code: code, Positions: pos, Count: n, Message: msg, Special: first}
}

// positions formats 0-based positions 1-based, as the UI numbers rows and columns.
func positions(pos [][2]int, n int) string {
	var b strings.Builder
	for i, p := range pos {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "(%d, %d)", p[0]+1, p[1]+1)
	}
	if n > len(pos) {
		fmt.Fprintf(&b, " and %d more", n-len(pos))
	}
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
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

