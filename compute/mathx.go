package compute

import "math"

// ln is the natural logarithm used throughout the package. It is computed
// here rather than by math.Log for two reasons:
//
//   - the same bits on every platform: on amd64 Go's math.Log is assembly
//     that differs from the pure-Go version WebAssembly runs (and treats
//     subnormal arguments as normal: math.Log(5e-324) is −709.09 there,
//     not −744.44), so native tests could not vouch for what the browser
//     shows;
//   - speed in WebAssembly, where math.Log is software: a table lookup and
//     a short polynomial are cheaper than its division and special-case
//     handling.
//
// Method: x = 2^e·m with m in [0.75, 1.5); c = 0.75 + i/256 is the grid
// point nearest m, r = (m − c)/c (m − c is exact), and
//
//	log x = e·ln 2 + log c + log1p(r),  |r| ≤ 1/384,
//
// with log c from a table (as hi + lo) and log1p(r) by its Taylor series to
// r⁷ (truncation below 2⁻⁶⁰·|r|). The sums are compensated, so the result
// is within about one ulp (TestLnAccuracy measures it against math/big).
// Near x = 1, c is 1 and r = m − 1 exactly, so there is no cancellation.
//
// Special cases are:
//
//	ln(+Inf) = +Inf
//	ln(0) = −Inf
//	ln(x < 0) = NaN
//	ln(NaN) = NaN
func ln(x float64) float64 {
	switch {
	case x > 0 && x <= math.MaxFloat64:
	case x == 0:
		return math.Inf(-1)
	case math.IsInf(x, 1):
		return x
	default:
		return math.NaN()
	}
	bits := math.Float64bits(x)
	e := int(bits>>52) - 1023
	if e == -1023 { // subnormal: scale into the normal range
		bits = math.Float64bits(x * 0x1p52)
		e = int(bits>>52) - 1023 - 52
	}
	m := math.Float64frombits(bits&(1<<52-1) | 1023<<52) // [1, 2)
	if m >= 1.5 {
		m *= 0.5
		e++
	}
	i := int((m-0.75)*256 + 0.5)
	t := &logTable[i]
	r := (m - (0.75 + float64(i)*(1.0/256))) * t[0]
	p := r * r * (-0.5 + r*(1.0/3+r*(-0.25+r*(0.2+r*(-1.0/6+r*(1.0/7))))))

	const ln2Hi, ln2Lo = 6.93147180369123816490e-01, 1.90821492927058770002e-10 // as in package math
	ef := float64(e)
	s1, e1 := twoSum(ef*ln2Hi, t[1])
	s2, e2 := twoSum(s1, r)
	return s2 + (e1 + e2 + (ef*ln2Lo + t[2] + p))
}

// twoSum returns s = fl(a + b) and the rounding error a + b − s, exactly
// (Knuth's branch-free TwoSum).
func twoSum(a, b float64) (s, err float64) {
	s = a + b
	bb := s - a
	err = (a - (s - bb)) + (b - bb)
	return s, err
}

// exp is math.Exp, corrected near overflow: on amd64, Go's assembly
// math.Exp returns +Inf from about 709.09 although e^x is finite up to
// 709.78. Above 709 it computes e^(x−1)·e instead (within 2 ulps).
func exp(x float64) float64 {
	if x > 709 && x < 710 {
		return math.Exp(x-1) * math.E
	}
	return math.Exp(x)
}
