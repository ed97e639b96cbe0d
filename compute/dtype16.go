package compute

import (
	"fmt"

	"github.com/klcalc/klcalc/compute/internal/torchcpu"
)

// DTypeError reports a computation that PyTorch 1.13 cannot run on the CPU
// in the dtype: it raises RuntimeError: "<Kernel>" not implemented for
// '<type>'. Only DTypeFloat16 has such gaps (PyTorch 1.13.1, Debian's
// python3-torch, x86-64):
//
//	torch.log(q)              "log_vml_cpu" not implemented for 'Half'
//	torch.exp (log_target)    "exp_vml_cpu" not implemented for 'Half'
//	F.log_softmax(z, dim=-1)  "log_softmax_lastdim_kernel_impl" not implemented for 'Half'
//
// while xlogy, +, −, ·, /, torch.sum and torch.mean have float16 kernels.
type DTypeError struct {
	DType   DType
	Operand Operand // the side whose conversion needs the kernel; OperandNone for kl_div's own exp
	Op      string  // the PyTorch call: "torch.log", "torch.exp" or "F.log_softmax"
	Kernel  string  // the kernel PyTorch names in its message
}

func (e *DTypeError) Error() string {
	side := "kl_div(log_target=True)"
	if e.Operand != OperandNone {
		side = e.Operand.String()
	}
	return fmt.Sprintf("compute: %s: PyTorch 1.13 has no %s CPU kernel for %s (%s): RuntimeError: %q not implemented for '%s'",
		side, e.DType, e.Op, side, e.Kernel, torchTypeName(e.DType))
}

// torchTypeName is the name PyTorch's messages give the dtype's scalar
// type: "Float", "Double", "BFloat16" or "Half".
func torchTypeName(dt DType) string {
	switch dt {
	case DTypeFloat32:
		return "Float"
	case DTypeFloat64:
		return "Double"
	case DTypeBFloat16:
		return "BFloat16"
	case DTypeFloat16:
		return "Half"
	}
	return dt.String()
}

// Supported reports whether PyTorch 1.13 can compute kl_div on the CPU in
// the dtype with P and Q given in these forms, and if not, the error
// Calculate and Gradients return. The operations run in the snippet's
// order, Q's conversion first, then P's, then kl_div, and the first
// missing kernel is the one reported.
//
// Special cases are:
//
//	float32, float64, bfloat16: every form is supported
//	float16, Q as log q: supported with P as probabilities or counts
//	float16, Q as probabilities or counts: torch.log ("log_vml_cpu")
//	float16, Q as logits: F.log_softmax ("log_softmax_lastdim_kernel_impl")
//	float16, P as logits: F.log_softmax
//	float16, P as log p: kl_div's exp(target) ("exp_vml_cpu")
func Supported(pForm, qForm Form, dt DType) error {
	if dt != DTypeFloat16 {
		return nil
	}
	switch qForm {
	case FormProb, FormCounts:
		return &DTypeError{DType: dt, Operand: OperandQ, Op: "torch.log", Kernel: "log_vml_cpu"}
	case FormLogits:
		return &DTypeError{DType: dt, Operand: OperandQ, Op: "F.log_softmax", Kernel: "log_softmax_lastdim_kernel_impl"}
	}
	switch pForm {
	case FormLogits:
		return &DTypeError{DType: dt, Operand: OperandP, Op: "F.log_softmax", Kernel: "log_softmax_lastdim_kernel_impl"}
	case FormLog:
		return logTargetError(dt)
	}
	return nil
}

// logTargetError is the error of kl_div(log_target=True) in a dtype
// without torch.exp, or nil.
func logTargetError(dt DType) error {
	if dt != DTypeFloat16 {
		return nil
	}
	return &DTypeError{DType: dt, Op: "torch.exp", Kernel: "exp_vml_cpu"}
}

// Round rounds x to d as PyTorch converts a Python float to a tensor or a
// scalar operand of dtype d: to float32 first for the 16-bit types, then
// to d, each to nearest with ties to even. float64 is x itself.
func (d DType) Round(x float64) float64 {
	switch d {
	case DTypeFloat32:
		return float64(float32(x))
	case DTypeBFloat16:
		return float64(torchcpu.BFloat16(float32(x)))
	case DTypeFloat16:
		return float64(torchcpu.Float16(float32(x)))
	}
	return x
}
