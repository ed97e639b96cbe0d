package compute

import "math"

// FormClue is what GuessForm read in the values.
type FormClue int

const (
	ClueNone      FormClue = iota // the values can be probabilities
	ClueLogSumExp                 // every value ≤ 0 and every row's exp sums to 1: log-probabilities
	ClueNegative                  // a value is negative: logits
	ClueAboveOne                  // a value exceeds 1 and not all are whole: logits
	ClueWhole                     // whole numbers ≥ 0, one above 1: counts
)

var clueNames = [...]string{
	ClueNone:      "ClueNone",
	ClueLogSumExp: "ClueLogSumExp",
	ClueNegative:  "ClueNegative",
	ClueAboveOne:  "ClueAboveOne",
	ClueWhole:     "ClueWhole",
}

func (c FormClue) String() string {
	if c >= 0 && int(c) < len(clueNames) {
		return clueNames[c]
	}
	return "FormClue(?)"
}

// GuessTolerance is how far from 1 the exponentials of a row may sum for
// GuessForm to call it log-probabilities. A PyTorch printout rounds to
// four decimals, so a row of log-probabilities pasted from one sums to 1
// only within about 1e-4 per class.
const GuessTolerance = 1e-3

// GuessForm reads the form from the values of pasted rows, for a side
// given as probabilities: what else the values can only be.
//
// Special cases are:
//
//	GuessForm(rows with a NaN or ±Inf) = FormProb, ClueNone (a special value says nothing)
//	GuessForm(all in [0, 1])          = FormProb, ClueNone (even when a row does not sum to 1: it may be unnormalised or multi-label, which WarnRowSum then reports)
//	GuessForm(all ≤ 0, |Σ exp(row) − 1| ≤ GuessTolerance for every row) = FormLog, ClueLogSumExp
//	GuessForm(a value < 0 otherwise)  = FormLogits, ClueNegative
//	GuessForm(all whole, ≥ 0, one > 1) = FormCounts, ClueWhole
//	GuessForm(a value > 1 otherwise)  = FormLogits, ClueAboveOne
//	GuessForm(no values)              = FormProb, ClueNone
func GuessForm(rows [][]float64) (Form, FormClue) {
	var neg, above, whole, any bool
	whole = true
	for _, r := range rows {
		for _, v := range r {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return FormProb, ClueNone
			}
			any = true
			neg = neg || v < 0
			above = above || v > 1
			whole = whole && v == math.Trunc(v)
		}
	}
	switch {
	case !any || (!neg && !above):
		return FormProb, ClueNone
	case neg && logRows(rows):
		return FormLog, ClueLogSumExp
	case neg:
		return FormLogits, ClueNegative
	case whole:
		return FormCounts, ClueWhole
	}
	return FormLogits, ClueAboveOne
}

// logRows reports whether every value is ≤ 0 and every row's
// exponentials sum to 1 within GuessTolerance.
func logRows(rows [][]float64) bool {
	for _, r := range rows {
		s := 0.0
		for _, v := range r {
			if v > 0 {
				return false
			}
			s += math.Exp(v)
		}
		if math.Abs(s-1) > GuessTolerance {
			return false
		}
	}
	return true
}
