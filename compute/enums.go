package compute

import (
	"fmt"
	"strings"
)

// Reduction is how PyTorch's kl_div reduces the pointwise loss tensor.
// The zero value is ReductionBatchMean, the reduction that gives the
// mathematical KL divergence for a batch of distributions (PyTorch's own
// default is ReductionMean, which does not).
type Reduction int

const (
	// ReductionBatchMean is reduction='batchmean': loss.sum() / input.size(0).
	// For a 1-D input, size(0) is the number of classes C, so the result is
	// the same as 'mean'; a 0-D input is not divided.
	ReductionBatchMean Reduction = iota
	// ReductionSum is reduction='sum': loss.sum().
	ReductionSum
	// ReductionMean is reduction='mean' (PyTorch's default): loss.sum() /
	// loss.numel(), the number of elements of the broadcast output. PyTorch
	// warns that this is not the KL divergence.
	ReductionMean
	// ReductionNone is reduction='none': the pointwise loss tensor, in the
	// broadcast shape of input and target.
	ReductionNone
)

var reductionNames = [...]string{
	ReductionBatchMean: "batchmean",
	ReductionSum:       "sum",
	ReductionMean:      "mean",
	ReductionNone:      "none",
}

// Reductions lists every reduction, in the order a menu shows them.
func Reductions() []Reduction {
	return []Reduction{ReductionNone, ReductionSum, ReductionMean, ReductionBatchMean}
}

// String returns PyTorch's name of the reduction, e.g. "batchmean".
func (r Reduction) String() string {
	if r >= 0 && int(r) < len(reductionNames) {
		return reductionNames[r]
	}
	return fmt.Sprintf("Reduction(%d)", int(r))
}

// ParseReduction parses PyTorch's name of a reduction. Like PyTorch it
// accepts "elementwise_mean" as a deprecated spelling of "mean".
func ParseReduction(s string) (Reduction, error) {
	switch s {
	case "elementwise_mean":
		return ReductionMean, nil
	}
	for r, name := range reductionNames {
		if s == name {
			return Reduction(r), nil
		}
	}
	return 0, &EnumError{Kind: "reduction", Value: s, Valid: enumNames(reductionNames[:])}
}

// Form is how one side (P or Q) is given.
type Form int

const (
	// FormProb is probabilities. For Q, PyTorch's input is log q; for P,
	// the target is p with log_target=False.
	FormProb Form = iota
	// FormLog is log-probabilities: Q is PyTorch's input as is; P is the
	// target with log_target=True.
	FormLog
	// FormLogits is unnormalised scores: log_softmax over the last dimension
	// (after dividing by the temperature) gives the log-probabilities. For
	// P this means log_target=True.
	FormLogits
	// FormCounts is non-negative counts (or any unnormalised weights): each
	// row of the last dimension is divided by its sum, as SciPy's
	// scipy.stats.entropy does, and the result is treated like FormProb.
	// For Q, PyTorch's input is log(q / q.sum(-1, keepdim=True)); for P,
	// the target is p / p.sum(-1, keepdim=True) with log_target=False. A
	// 0-D side is divided by itself. In float32 the sum and the division
	// are rounded to float32, as PyTorch computes them.
	//
	// Special cases are:
	//
	//	a row summing to 0 (a row of zeros): 0/0 = NaN for every element
	//	negative counts are divided like the others, leaving negative
	//	    probabilities (and ±Inf where the row sums to 0)
	//	+Inf in a row: the sum is +Inf, so Inf/Inf = NaN and x/Inf = 0
	//	a sum that overflows is +Inf: every finite count becomes 0
	//	NaN in a row, or +Inf and −Inf: the sum is NaN, so is every element
	FormCounts
)

var formNames = [...]string{FormProb: "prob", FormLog: "log", FormLogits: "logits", FormCounts: "counts"}

// Forms lists every form, in the order a menu shows them.
func Forms() []Form { return []Form{FormProb, FormLog, FormLogits, FormCounts} }

// logTarget reports whether PyTorch receives a side of this form as P
// with log_target=True: log-probabilities and logits do, probabilities
// and (normalised) counts do not.
func (f Form) logTarget() bool { return f == FormLog || f == FormLogits }

// String returns the short name used in share URLs: "prob", "log",
// "logits" or "counts".
func (f Form) String() string {
	if f >= 0 && int(f) < len(formNames) {
		return formNames[f]
	}
	return fmt.Sprintf("Form(%d)", int(f))
}

// ParseForm parses "prob", "log", "logits" or "counts".
func ParseForm(s string) (Form, error) {
	for f, name := range formNames {
		if s == name {
			return Form(f), nil
		}
	}
	return 0, &EnumError{Kind: "form", Value: s, Valid: enumNames(formNames[:])}
}

// DType is the floating-point type the computation emulates.
type DType int

const (
	// DTypeFloat32 is torch.float32, PyTorch's default dtype.
	DTypeFloat32 DType = iota
	// DTypeFloat64 is torch.float64.
	DTypeFloat64
	// DTypeBFloat16 is torch.bfloat16: 8 significant bits and float32's
	// exponent range. PyTorch 1.13's CPU kernels compute every operation
	// in float32 and round its result to bfloat16 (see roundBF16):
	//
	//	a Python float becomes float32, then bfloat16 (two roundings)
	//	torch.log, torch.exp: SLEEF's float32 routines, rounded
	//	xlogy(x, y) = bf16(x · bf16(logf(y))): glibc's logf, its result
	//	    rounded to bfloat16 before the product (c10's std::log overload)
	//	a − b, a · b, a / b: in float32, rounded (a Python float divisor such
	//	    as T or input.size(0) is rounded to bfloat16 first: 257 is 256)
	//	torch.sum: float32 accumulators in the cascade order, one rounding
	//	    at the end (torchcpu.SumBFloat16)
	//	mean = bf16(sum / bf16(numel)); batchmean = bf16(sum / bf16(size(0)))
	//	log_softmax: max, Σ exp in float32; the sum and its log each
	//	    rounded to bfloat16; (x − max) − log Σ rounded once
	//	    (torchcpu.LogSoftmaxBFloat16)
	DTypeBFloat16
	// DTypeFloat16 is torch.float16 (IEEE binary16: 11 significant bits,
	// largest finite 65504), computed as DTypeBFloat16 is, except that
	// xlogy(x, y) = f16(x · logf(y)) with the float32 log. PyTorch 1.13
	// has no float16 CPU kernel for torch.log ("log_vml_cpu" not
	// implemented for 'Half'), torch.exp ("exp_vml_cpu") or log_softmax
	// ("log_softmax_lastdim_kernel_impl"), so only Q given as log q and P
	// as probabilities or counts (log_target=False) can be computed;
	// Calculate, Gradients and KLDiv return a *DTypeError otherwise.
	//
	// Special cases are:
	//
	//	a divisor of 65520 or more rounds to +Inf: 'mean' over 65520 or more
	//	    elements, and 'batchmean' with size(0) ≥ 65520, give sum/Inf = ±0
	//	    (NaN for an infinite or NaN sum)
	//	a value of 65520 or more, typed or computed, is ±Inf
	DTypeFloat16
)

var dtypeNames = [...]string{DTypeFloat32: "float32", DTypeFloat64: "float64", DTypeBFloat16: "bfloat16", DTypeFloat16: "float16"}

// DTypes lists every dtype, in the order a menu shows them.
func DTypes() []DType { return []DType{DTypeFloat32, DTypeFloat64, DTypeBFloat16, DTypeFloat16} }

// valid reports whether d is one of the constants.
func (d DType) valid() bool { return d >= DTypeFloat32 && d <= DTypeFloat16 }

// String returns "float32", "float64", "bfloat16" or "float16".
func (d DType) String() string {
	if d >= 0 && int(d) < len(dtypeNames) {
		return dtypeNames[d]
	}
	return fmt.Sprintf("DType(%d)", int(d))
}

// ParseDType parses "float32", "float64", "bfloat16" or "float16".
func ParseDType(s string) (DType, error) {
	for d, name := range dtypeNames {
		if s == name {
			return DType(d), nil
		}
	}
	return 0, &EnumError{Kind: "dtype", Value: s, Valid: enumNames(dtypeNames[:])}
}

// Unit is the unit of information of the related quantities.
type Unit int

const (
	Nats     Unit = iota // natural logarithm (PyTorch's unit)
	Bits                 // base-2 logarithm
	Hartleys             // base-10 logarithm
)

var unitNames = [...]string{Nats: "nats", Bits: "bits", Hartleys: "hartleys"}

// String returns "nats", "bits" or "hartleys".
func (u Unit) String() string {
	if u >= 0 && int(u) < len(unitNames) {
		return unitNames[u]
	}
	return fmt.Sprintf("Unit(%d)", int(u))
}

// ParseUnit parses "nats", "bits" or "hartleys".
func ParseUnit(s string) (Unit, error) {
	for u, name := range unitNames {
		if s == name {
			return Unit(u), nil
		}
	}
	return 0, &EnumError{Kind: "unit", Value: s, Valid: enumNames(unitNames[:])}
}

// EnumError reports a name that is not one of an enumeration's values.
type EnumError struct {
	Kind  string   // "reduction", "form", "dtype" or "unit"
	Value string   // what was given
	Valid []string // the accepted names
}

func (e *EnumError) Error() string {
	v := e.Value
	if len(v) > 40 {
		v = v[:40] + "…"
	}
	return fmt.Sprintf("compute: %q is not a valid %s (want one of %s)", v, e.Kind, strings.Join(e.Valid, ", "))
}

func enumNames(names []string) []string { return append([]string(nil), names...) }

// Operand names a side of the pair.
type Operand int

const (
	OperandNone Operand = iota // both sides, or neither
	OperandP                   // the target P
	OperandQ                   // the input Q
)

// String returns "P", "Q" or "".
func (o Operand) String() string {
	switch o {
	case OperandP:
		return "P"
	case OperandQ:
		return "Q"
	}
	return ""
}
