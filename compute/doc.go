// Package compute reproduces PyTorch's torch.nn.functional.kl_div (and
// nn.KLDivLoss) exactly, and explains its result: every pointwise term, the
// divisor of the reduction, the special cases that produce 0, ±Inf or NaN,
// and the mistakes people make when calling it.
//
// PyTorch's argument order is the reverse of the mathematical notation:
//
//	F.kl_div(input, target) = KL(target ‖ input distribution)
//	input  = log q  (the model's log-probabilities)
//	target = p      (probabilities), or log p when log_target=True
//
// This package names the two sides P (the target, the data) and Q (the
// model) and converts whatever form they were given in (probabilities,
// log-probabilities, logits, or counts that are normalised per row) to
// PyTorch's input and target.
//
// KL divergence is not a distance: it is asymmetric, KL(P‖Q) ≠ KL(Q‖P).
// Values are in nats (natural logarithm) unless a Unit says otherwise.
//
// # Errors and panics
//
// Anything that can come from a user (text to parse, shapes that do not
// broadcast, an unknown reduction name) is reported as an error value whose
// message starts with "compute:" and names what and where. Panics are kept
// for programmer errors inside the package. Numerical special cases are not
// errors: they give ±Inf or NaN exactly as PyTorch does, and the breakdown
// says why.
//
// # Precision
//
// DTypeFloat64 computes every term in float64 and sums them with compensated
// (Neumaier) summation, so a well-conditioned result is within about 1e-15
// relative of the exact value of the same formula on the same inputs.
//
// DTypeFloat32 emulates PyTorch's default dtype: the inputs are rounded to
// float32 and every elementwise operation (log, exp, multiply, subtract,
// divide) is rounded to float32, as PyTorch does. Two differences remain,
// both within a few float32 ulps of the result:
//
//   - log and exp are computed in float64 and rounded once, which is
//     correctly rounded in all but rare double-rounding cases. PyTorch's CPU
//     kernels use SLEEF or libm float32 routines with errors up to 1 ulp, so
//     a single term can differ from PyTorch's by 1 ulp.
//   - sums are accumulated exactly (compensated, in float64) and rounded to
//     float32 once, whereas PyTorch accumulates in float32 with a cascade
//     (pairwise-like) summation whose error grows like O(log n)·ulp. Our sum
//     is the correctly rounded sum of the float32 terms; PyTorch's is within
//     its own error bound of it.
//
// For the short vectors people paste, the four decimals PyTorch prints
// (tensor(0.0153)) agree; the full-precision values agree to a few ulps of
// float32 (about 1e-7 relative).
package compute
