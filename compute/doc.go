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
// # Exactness
//
// Result.Value, Result.Output, KLDiv, Pointwise, PointwiseLogTarget, Xlogy
// and LogSoftmax give PyTorch 1.13's bits for float32 and float64 (and
// bfloat16 and float16; see below), as
// Debian's python3-torch 1.13.1 computes them on x86-64 with its AVX2
// kernels and one thread (PyTorch 1.13 runs its AVX2 kernels on every
// x86-64 CPU with AVX2, AVX-512 ones included, unless
// ATEN_CPU_CAPABILITY=avx512 is set). Every step is PyTorch's
// own operation, in its order, rounded to the dtype:
//
//   - torch.log and torch.exp are SLEEF 3.5's vector routines, and xlogy's
//     log is glibc's scalar log or logf (package internal/torchcpu
//     reproduces all of them bit for bit);
//   - log_softmax(z / T) divides in the dtype first, by T rounded to it,
//     then computes (z − max) − log Σ exp(z − max) with PyTorch's lane
//     order for the sum;
//   - torch.sum is the cascade summation of ATen's SumKernel.cpp, with
//     AVX2's 8 float32 or 4 float64 lanes, in float32 for float32;
//   - 'mean' is sum / numel and 'batchmean' is sum / input.size(0), each
//     one division in the dtype.
//
// bfloat16 and float16 (DTypeBFloat16, DTypeFloat16) are PyTorch 1.13's
// bits too: each operation computes in float32 and rounds its result to
// the 16-bit type (a typed value rounds to float32 first, then to the
// type), torch.sum accumulates in float32 with 16-element vectors read as
// 8 float32 lanes and rounds once, and a divisor is rounded to the type.
// xlogy rounds its log to bfloat16 before the product, but not to float16.
// PyTorch 1.13 has no float16 CPU kernel for torch.log, torch.exp or
// log_softmax: those combinations of forms are a *DTypeError (Supported).
//
// testdata/oracle holds 2 438 float32 and float64 cases and 2 442
// bfloat16 and float16 ones computed by real PyTorch, and TestOracle
// checks every value against them, natively and in WebAssembly;
// testdata/oracle/grad16.jsonl.gz holds the 16-bit gradients
// (TestGradientOracle16).
//
// What changes PyTorch's bits, and so makes them differ from these:
//
//   - more than one thread: torch.sum splits tensors of more than 32 768
//     elements between threads and adds the parts; on the same machine
//     with 2 threads, about half of such sums move by 1–2 ulp;
//   - ATEN_CPU_CAPABILITY=avx512 (16 float32 lanes) or =default (no vector
//     kernels: libm's log and exp), measured to move sums of 1 000 logs by
//     an ulp or more; a CPU without AVX2; Arm
//     (NEON, 4 float32 lanes, and another libm): other lane counts and
//     other log and exp;
//   - CUDA, which sums in another order and uses its own log and exp;
//   - PyTorch ≤ 1.12, whose kl_div kernel was not composite and gave 0
//     where 1.13 gives NaN.
//
// On a well-conditioned sum these orders are a few ulps apart; where the
// terms cancel, as in a KL near 0, the difference grows with the ratio of
// Σ|term| to |Σ term|. Over the oracle's 957 float64 sums, PyTorch's order
// and a correctly rounded sum of the same terms agree on 68.5 %, with a
// median of 0 ulp and a 99th percentile of 131 072 ulp (rows that do not
// sum to 1, whose terms cancel to a small total).
//
// # The accurate value
//
// Result.Float64 is the same formula computed from the float64 inputs with
// compute's own ln (within 1 ulp of the exact logarithm) and compensated
// (Neumaier) summation rounded once: for a well-conditioned result it is
// within about 1e-15 relative of the exact value, and it is what the page
// shows as the accurate value beside PyTorch's. PyTorch's float64 cascade
// sum is itself accurate: TestOracle measures how far both are from a
// 256-bit evaluation wherever they differ from each other.
package compute
