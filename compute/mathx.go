package compute

import "math"

// ln is math.Log, corrected for subnormal arguments: on amd64, Go's
// assembly math.Log treats them as if they were normal and returns about
// −709 for 5e-324 instead of −744.44 (the pure-Go version used in
// WebAssembly is right). Scaling by 2⁵² first makes the result correct on
// every platform, so native tests and the browser agree.
func ln(x float64) float64 {
	if x > 0 && x < 0x1p-1022 {
		return math.Log(x*0x1p52) - 52*math.Ln2
	}
	return math.Log(x)
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
