package compute

import (
	"fmt"
	"math"
)

// Xlogy returns x·log(y) with torch.xlogy's rules, in PyTorch's float64
// bits (log is glibc's, as PyTorch's scalar xlogy kernel calls std::log).
//
// Special cases are (in this order, as in PyTorch's CPU kernel):
//
//	Xlogy(x, NaN) = NaN
//	Xlogy(0, y) = 0      for every other y, including 0, ±Inf and y < 0
//	Xlogy(x, y) = x·log(y) otherwise (so y < 0 gives NaN, y = 0 gives ∓Inf)
func Xlogy(x, y float64) float64 { return arithTorch64.xlogy(x, y) }

// Pointwise returns PyTorch's float64 kl_div loss for one element with
// log_target=False: the target t is a probability, the input x is log q.
//
//	Pointwise(t, x) = xlogy(t, t) − t·x
//
// Each of xlogy, · and − is a tensor operation of its own, rounded on its
// own. It is KL's term p·(log p − log q) except at the special cases, which
// follow from xlogy's rules and IEEE arithmetic. Special cases are:
//
//	Pointwise(NaN, x) = NaN
//	Pointwise(t, NaN) = NaN
//	Pointwise(0, x) = 0         for finite x (xlogy(0, 0) = 0)
//	Pointwise(0, ±Inf) = NaN    (0·(∓Inf) is NaN; PyTorch ≤ 1.12 gave 0)
//	Pointwise(t < 0, x) = NaN   (log of a negative number; PyTorch ≤ 1.12 gave 0)
//	Pointwise(t > 0, -Inf) = +Inf   (q = 0 where p > 0)
//	Pointwise(t > 0, +Inf) = -Inf
//	Pointwise(+Inf, x) = +Inf for x < 0, NaN for x ≥ 0 (Inf − Inf, or Inf·0)
//	Pointwise(t > 1, x) is computed without complaint, as PyTorch does.
func Pointwise(t, x float64) float64 { return arithTorch64.pointwise(t, x) }

// PointwiseLogTarget returns PyTorch's float64 kl_div loss for one element
// with log_target=True: the target t is log p, the input x is log q.
//
//	PointwiseLogTarget(t, x) = exp(t)·(t − x)
//
// exp(t) and t − x are formed first, then multiplied, each rounded on its
// own. Special cases are:
//
//	PointwiseLogTarget(NaN, x) = NaN
//	PointwiseLogTarget(t, NaN) = NaN
//	PointwiseLogTarget(-Inf, x) = NaN   (p = 0: exp(−Inf)·(−Inf − x) is 0·(−Inf);
//	                                     unlike log_target=False, which gives 0)
//	PointwiseLogTarget(t, -Inf) = +Inf  for finite t (q = 0 where p > 0)
//	PointwiseLogTarget(t, +Inf) = -Inf  for finite t
//	PointwiseLogTarget(+Inf, x) = +Inf  for x < +Inf; NaN for x = +Inf
func PointwiseLogTarget(t, x float64) float64 { return arithTorch64.pointwiseLogTarget(t, x) }

// pointwise is xlogy(t, t) − t·x on the path a; t and x are already in its
// dtype. float64(t*x) keeps the product from being fused into the
// subtraction, which PyTorch does not do either.
func (a arith) pointwise(t, x float64) float64 {
	return a.round(a.xlogy(t, t) - a.round(float64(t*x)))
}

// pointwiseLogTarget is exp(t)·(t − x) on the path a.
func (a arith) pointwiseLogTarget(t, x float64) float64 {
	return a.round(a.exp(t) * a.round(t-x))
}

// r32 rounds to the nearest float32 (overflowing to ±Inf as float32 does).
func r32(x float64) float64 { return float64(float32(x)) }

// Special names the special case, if any, behind one pointwise term.
type Special int

const (
	SpecialNone           Special = iota // an ordinary term p·(log p − log q)
	SpecialTargetZero                    // p = 0 with finite log q: xlogy(0, 0) = 0, the term is 0
	SpecialZeroTimesInf                  // p = 0 with log q = ±Inf: 0·(∓Inf) is NaN
	SpecialLogTargetZero                 // log p = −Inf (p = 0) with log_target=True: exp(−Inf)·(−Inf − x) = 0·(−Inf) is NaN
	SpecialQZero                         // q = 0 (log q = −Inf) where p > 0: +Inf
	SpecialInputPosInf                   // log q = +Inf where p > 0: −Inf
	SpecialNegativeTarget                // p < 0: log p is NaN
	SpecialNaNTarget                     // the target is NaN
	SpecialNaNInput                      // the input (log q) is NaN
	SpecialInfTarget                     // p = +Inf (or log p = +Inf): the term is ±Inf or NaN
	SpecialOverflow                      // finite inputs whose term overflowed to ±Inf
)

var specialNames = [...]string{
	SpecialNone:           "SpecialNone",
	SpecialTargetZero:     "SpecialTargetZero",
	SpecialZeroTimesInf:   "SpecialZeroTimesInf",
	SpecialLogTargetZero:  "SpecialLogTargetZero",
	SpecialQZero:          "SpecialQZero",
	SpecialInputPosInf:    "SpecialInputPosInf",
	SpecialNegativeTarget: "SpecialNegativeTarget",
	SpecialNaNTarget:      "SpecialNaNTarget",
	SpecialNaNInput:       "SpecialNaNInput",
	SpecialInfTarget:      "SpecialInfTarget",
	SpecialOverflow:       "SpecialOverflow",
}

// String returns the constant's name, for Go callers and test output;
// the app explains each case in words.
func (s Special) String() string {
	if s >= 0 && int(s) < len(specialNames) {
		return specialNames[s]
	}
	return fmt.Sprintf("Special(%d)", int(s))
}

// classify returns the special case behind the term v = kl_div(t, x).
func classify(t, x float64, logTarget bool, v float64) Special {
	switch {
	case math.IsNaN(t):
		return SpecialNaNTarget
	case math.IsNaN(x):
		return SpecialNaNInput
	}
	if logTarget {
		switch {
		case math.IsInf(t, -1):
			return SpecialLogTargetZero
		case math.IsInf(t, 1):
			return SpecialInfTarget
		}
	} else {
		switch {
		case t < 0:
			return SpecialNegativeTarget
		case t == 0 && math.IsInf(x, 0):
			return SpecialZeroTimesInf
		case t == 0:
			return SpecialTargetZero
		case math.IsInf(t, 1):
			return SpecialInfTarget
		}
	}
	switch {
	case math.IsInf(x, -1):
		return SpecialQZero
	case math.IsInf(x, 1):
		return SpecialInputPosInf
	case math.IsInf(v, 0) || math.IsNaN(v):
		return SpecialOverflow
	}
	return SpecialNone
}
