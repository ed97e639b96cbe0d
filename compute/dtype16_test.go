package compute

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/klcalc/klcalc/compute/internal/torchcpu"
)

var negInf = math.Inf(-1)

func TestDTypeNames(t *testing.T) {
	// Derivation: the names are torch.<dtype>'s, in the order of the
	// constants (existing values unchanged).
	for _, c := range []struct {
		dt   DType
		name string
		val  int
	}{
		{DTypeFloat32, "float32", 0},
		{DTypeFloat64, "float64", 1},
		{DTypeBFloat16, "bfloat16", 2},
		{DTypeFloat16, "float16", 3},
	} {
		if c.dt.String() != c.name || int(c.dt) != c.val {
			t.Errorf("%d: String() = %q, want %q (value %d)", int(c.dt), c.dt.String(), c.name, c.val)
		}
		if got, err := ParseDType(c.name); err != nil || got != c.dt {
			t.Errorf("ParseDType(%q) = %v, %v", c.name, got, err)
		}
	}
	_, err := ParseDType("half")
	var e *EnumError
	if !errors.As(err, &e) || strings.Join(e.Valid, ",") != "float32,float64,bfloat16,float16" {
		t.Errorf("ParseDType(\"half\") = %v", err)
	}
	if got := DType(4).String(); got != "DType(4)" {
		t.Errorf("DType(4).String() = %q", got)
	}
}

// TestRoundHalfFromFloat64: a Python float typed into a 16-bit tensor.
// Rows from PyTorch 1.13.1: torch.tensor([x], dtype=...).view(torch.int16).
// The ties show the two roundings (to float32, then to the type).
func TestRoundHalfFromFloat64(t *testing.T) {
	for _, c := range []struct {
		x    float64
		dt   DType
		bits uint16
	}{
		{1.00390625, DTypeBFloat16, 0x3f80},           // the tie 1 + 2^-8 goes to the even 1
		{1.0039062500009095, DTypeBFloat16, 0x3f80},   // nearer 1 + 2^-7, but float32 makes it the tie
		{1.0039062509313226, DTypeBFloat16, 0x3f80},   // + 2^-30: still below float32's half ulp at 1
		{1e-40, DTypeBFloat16, 0x0001},                // subnormal
		{1e-45, DTypeBFloat16, 0x0000},                //
		{6e-08, DTypeBFloat16, 0x3381},                //
		{65504.0, DTypeBFloat16, 0x4780},              // 65536
		{3.39e38, DTypeBFloat16, 0x7f7f},              // the largest finite bfloat16
		{3.3961775292304e38, DTypeBFloat16, 0x7f80},   // the tie with 2^128: +Inf
		{1e-320, DTypeBFloat16, 0x0000},               // float64 subnormal: 0 in float32
		{math.Copysign(0, -1), DTypeBFloat16, 0x8000}, //
		{1.00048828125, DTypeFloat16, 0x3c00},         // the tie 1 + 2^-11 goes to 1
		{1.0004882812509095, DTypeFloat16, 0x3c00},    // double rounding, as for bfloat16
		{6e-08, DTypeFloat16, 0x0001},                 // the least subnormal 2^-24
		{2.98023223876954e-08, DTypeFloat16, 0x0000},  // above 2^-25, but float32 makes it the tie
		{65519.99, DTypeFloat16, 0x7bff},              // 65504
		{65520.0, DTypeFloat16, 0x7c00},               // the tie with 2^16: +Inf
		{1e39, DTypeFloat16, 0x7c00},                  //
		{1e-40, DTypeFloat16, 0x0000},                 //
	} {
		var got uint16
		if c.dt == DTypeBFloat16 {
			got = torchcpu.BFloat16Bits(float32(roundBF16(c.x)))
		} else {
			got = torchcpu.Float16Bits(float32(roundF16(c.x)))
		}
		if got != c.bits {
			t.Errorf("%s %v: %#04x, PyTorch %#04x", c.dt, c.x, got, c.bits)
		}
		if r := arithOf(c.dt).round(c.x); torchBitsOf(r, c.dt) != c.bits {
			t.Errorf("arith.round(%v) in %s = %v", c.x, c.dt, r)
		}
	}
	for _, x := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		for _, dt := range []DType{DTypeBFloat16, DTypeFloat16} {
			if r := arithOf(dt).round(x); !sameSpecial(r, x) {
				t.Errorf("round(%v) in %s = %v", x, dt, r)
			}
		}
	}
}

func torchBitsOf(x float64, dt DType) uint16 {
	if dt == DTypeBFloat16 {
		return torchcpu.BFloat16Bits(float32(x))
	}
	return torchcpu.Float16Bits(float32(x))
}

// halfPointwise rows: F.kl_div(x, t, reduction='none', log_target=lt) of
// one element in PyTorch 1.13.1 (Debian's python3-torch, AVX2), the inputs
// typed as Python floats; the wanted 16 bits (NaN rows compare NaN-ness).
var halfPointwise = []struct {
	dt   DType
	lt   bool
	t, x float64
	want uint16
}{
	{DTypeBFloat16, false, 0.3, -1.2, 0x0000},     // 0.0
	{DTypeBFloat16, false, 0.0, -2.0, 0x0000},     // 0.0
	{DTypeBFloat16, false, 0.0, negInf, 0x7fc0},   // nan
	{DTypeBFloat16, false, 0.0, inf, 0x7fc0},      // nan
	{DTypeBFloat16, false, -0.5, -1.0, 0x7fc0},    // nan
	{DTypeBFloat16, false, 0.5, negInf, 0x7f80},   // inf
	{DTypeBFloat16, false, 0.5, inf, 0xff80},      // negInf
	{DTypeBFloat16, false, inf, -1.0, 0x7f80},     // inf
	{DTypeBFloat16, false, inf, 1.0, 0x7fc0},      // nan
	{DTypeBFloat16, false, nan, -1.0, 0x7fc0},     // nan
	{DTypeBFloat16, false, 0.5, nan, 0x7fc0},      // nan
	{DTypeBFloat16, false, 300.0, -300.0, 0x47b3}, // 91648.0
	{DTypeBFloat16, false, 1e-08, -17.0, 0xb270},  // -1.3969838619232178e-08
	{DTypeBFloat16, false, 6e-05, -9.7, 0xb680},   // -3.814697265625e-06
	{DTypeBFloat16, false, 0.1, -2.3, 0x0000},     // 0.0
	{DTypeBFloat16, false, 0.7, -0.35, 0xbbc0},    // -0.005859375
	{DTypeBFloat16, false, 2.0, 1.5, 0xbfcf},      // -1.6171875
	{DTypeBFloat16, false, 1e-40, -90.0, 0x8002},  // -1.8367099231598242e-40
	{DTypeBFloat16, true, -1.2, -0.7, 0xbe1b},     // -0.1513671875
	{DTypeBFloat16, true, negInf, -1.0, 0x7fc0},   // nan
	{DTypeBFloat16, true, -1.0, negInf, 0x7f80},   // inf
	{DTypeBFloat16, true, -1.0, inf, 0xff80},      // negInf
	{DTypeBFloat16, true, inf, 0.0, 0x7f80},       // inf
	{DTypeBFloat16, true, inf, inf, 0x7fc0},       // nan
	{DTypeBFloat16, true, nan, 0.0, 0x7fc0},       // nan
	{DTypeBFloat16, true, 0.0, nan, 0x7fc0},       // nan
	{DTypeBFloat16, true, -100.0, -3.0, 0x8000},   // -0.0
	{DTypeBFloat16, true, 2.0, -80.0, 0x4417},     // 604.0
	{DTypeFloat16, false, 0.3, -1.2, 0x9400},      // -0.0009765625
	{DTypeFloat16, false, 0.0, -2.0, 0x0000},      // 0.0
	{DTypeFloat16, false, 0.0, negInf, 0xfe00},    // nan
	{DTypeFloat16, false, 0.0, inf, 0xfe00},       // nan
	{DTypeFloat16, false, -0.5, -1.0, 0xfe00},     // nan
	{DTypeFloat16, false, 0.5, negInf, 0x7c00},    // inf
	{DTypeFloat16, false, 0.5, inf, 0xfc00},       // negInf
	{DTypeFloat16, false, inf, -1.0, 0x7c00},      // inf
	{DTypeFloat16, false, inf, 1.0, 0xfe00},       // nan
	{DTypeFloat16, false, nan, -1.0, 0x7e00},      // nan
	{DTypeFloat16, false, 0.5, nan, 0x7e00},       // nan
	{DTypeFloat16, false, 300.0, -300.0, 0x7c00},  // inf
	{DTypeFloat16, false, 1e-08, -17.0, 0x0000},   // 0.0
	{DTypeFloat16, false, 6e-05, -9.7, 0x8018},    // -1.430511474609375e-06
	{DTypeFloat16, false, 0.1, -2.3, 0x8c00},      // -0.000244140625
	{DTypeFloat16, false, 0.7, -0.35, 0x9c80},     // -0.00439453125
	{DTypeFloat16, false, 2.0, 1.5, 0xbe74},       // -1.61328125
	{DTypeFloat16, false, 1e-40, -90.0, 0x0000},   // 0.0
}

func TestHalfPointwise(t *testing.T) {
	for _, c := range halfPointwise {
		out, err := KLDiv(Vector([]float64{c.x}), Vector([]float64{c.t}), ReductionNone, c.lt, c.dt)
		if err != nil {
			t.Fatal(err)
		}
		got := out.Data[0]
		want := float64(torchcpu.BFloat16FromBits(c.want))
		if c.dt == DTypeFloat16 {
			want = float64(torchcpu.Float16FromBits(c.want))
		}
		if !sameSpecial(got, want) || (!math.IsNaN(want) && got != want) {
			t.Errorf("%s kl_div(%v, %v, log_target=%v) = %v, PyTorch %v", c.dt, c.x, c.t, c.lt, got, want)
		}
	}
}

// TestHalfXlogy: the log is rounded to bfloat16 before the product, and
// not to float16. Rows from PyTorch 1.13.1: torch.xlogy(x, y) with x, y of
// the dtype.
func TestHalfXlogy(t *testing.T) {
	for _, c := range []struct {
		dt   DType
		x, y float64
		want float64
	}{
		{DTypeBFloat16, 0.1, 0.1, -0.2294921875},
		{DTypeBFloat16, 0.2, 0.2, -0.322265625},
		{DTypeBFloat16, 0.7, 0.7, -0.25},
		{DTypeFloat16, 0.1, 0.1, -0.230224609375},
		{DTypeFloat16, 0.2, 0.2, -0.32177734375},
		{DTypeFloat16, 0.7, 0.7, -0.24951171875},
	} {
		a := arithOf(c.dt)
		if got := a.xlogy(a.round(c.x), a.round(c.y)); got != c.want {
			t.Errorf("%s xlogy(%v, %v) = %v, PyTorch %v", c.dt, c.x, c.y, got, c.want)
		}
	}
}

// TestSupported: float16 combinations of forms and the RuntimeError
// PyTorch 1.13.1 raises for them (torch.log, torch.exp and
// F.log_softmax on a torch.float16 CPU tensor, run on Debian's
// python3-torch); every other dtype supports every form.
func TestSupported(t *testing.T) {
	for _, c := range []struct {
		p, q   Form
		kernel string // "" when supported
	}{
		{FormProb, FormLog, ""},
		{FormCounts, FormLog, ""},
		{FormLog, FormLog, "exp_vml_cpu"},
		{FormLogits, FormLog, "log_softmax_lastdim_kernel_impl"},
		{FormProb, FormProb, "log_vml_cpu"},
		{FormProb, FormCounts, "log_vml_cpu"},
		{FormLog, FormProb, "log_vml_cpu"}, // Q's torch.log runs first
		{FormProb, FormLogits, "log_softmax_lastdim_kernel_impl"},
	} {
		err := Supported(c.p, c.q, DTypeFloat16)
		var de *DTypeError
		switch {
		case c.kernel == "" && err != nil:
			t.Errorf("P %s, Q %s: %v", c.p, c.q, err)
		case c.kernel != "" && (!errors.As(err, &de) || de.Kernel != c.kernel):
			t.Errorf("P %s, Q %s: %v, want kernel %s", c.p, c.q, err, c.kernel)
		case c.kernel != "" && !strings.Contains(err.Error(), "not implemented for 'Half'"):
			t.Errorf("P %s, Q %s: message %q", c.p, c.q, err)
		}
		for _, dt := range []DType{DTypeFloat32, DTypeFloat64, DTypeBFloat16} {
			if err := Supported(c.p, c.q, dt); err != nil {
				t.Errorf("%s: %v", dt, err)
			}
		}
		p := Side{Data: Vector([]float64{0.5, 0.5}), Form: c.p, Temperature: 1}
		q := Side{Data: Vector([]float64{0.5, 0.5}), Form: c.q, Temperature: 1}
		_, errC := Calculate(p, q, Options{DType: DTypeFloat16})
		_, errG := Gradients(p, q, Options{DType: DTypeFloat16})
		if (errC == nil) != (c.kernel == "") || (errG == nil) != (c.kernel == "") {
			t.Errorf("P %s, Q %s: Calculate %v, Gradients %v", c.p, c.q, errC, errG)
		}
	}
	if _, err := KLDiv(Vector([]float64{-1}), Vector([]float64{-1}), ReductionSum, true, DTypeFloat16); err == nil {
		t.Error("float16 KLDiv with log_target: no error")
	}
}

// TestHalfReductions: the divisor is rounded to the dtype. Rows from
// PyTorch 1.13.1 runs: n elements of target 0.5 against input −0.7 (the
// oracle's b257 cases, shape [257, 2], and
// F.kl_div(torch.full((n,), -0.7, dtype=torch.float16),
// torch.full((n,), 0.5, dtype=torch.float16), reduction=r)).
func TestHalfReductions(t *testing.T) {
	for _, c := range []struct {
		dt                   DType
		shape                []int
		sum, mean, batchmean uint16
		why                  string
	}{
		{DTypeBFloat16, []int{257, 2}, 0x4000, 0x3b80, 0x3c00, "2/bf16(514) = 2/512, 2/bf16(257) = 2/256"},
		{DTypeFloat16, []int{257, 2}, 0x3f07, 0x1b00, 0x1f00, "float16 holds 257 and 514"},
		{DTypeFloat16, []int{65504}, 0x5aff, 0x1b00, 0x1b00, "65504, the largest float16"},
		{DTypeFloat16, []int{65519}, 0x5b00, 0x1b01, 0x1b01, "65519 rounds to 65504"},
		{DTypeFloat16, []int{70000}, 0x5b7a, 0x0000, 0x0000, "70000 rounds to +Inf: sum/Inf = 0"},
	} {
		n := 1
		for _, d := range c.shape {
			n *= d
		}
		p, q := make([]float64, n), make([]float64, n)
		for i := range p {
			p[i], q[i] = 0.5, -0.7
		}
		in, tg := Tensor{Shape: c.shape, Data: q}, Tensor{Shape: c.shape, Data: p}
		for _, r := range []struct {
			red  Reduction
			want uint16
		}{{ReductionSum, c.sum}, {ReductionMean, c.mean}, {ReductionBatchMean, c.batchmean}} {
			out, err := KLDiv(in, tg, r.red, false, c.dt)
			if err != nil {
				t.Fatal(err)
			}
			if got := torchBitsOf(out.Data[0], c.dt); got != r.want {
				t.Errorf("%s %v %s: %#04x, PyTorch %#04x (%s)", c.dt, c.shape, r.red, got, r.want, c.why)
			}
		}
	}
}

// TestDTypeRound: a Python float becomes float32, then the 16-bit type
// (the double rounding helper runs of PyTorch 1.13 showed:
// torch.tensor(1.0039062500009095, dtype=torch.bfloat16) is 1.0).
func TestDTypeRound(t *testing.T) {
	for _, tc := range []struct {
		dt   DType
		x    float64
		want float64
	}{
		{DTypeFloat64, 0.1, 0.1},
		{DTypeFloat32, 0.1, float64(float32(0.1))},
		{DTypeBFloat16, 1.0039062500009095, 1}, // via float32: 1 + 2⁻⁸ exactly, a tie, to even
		{DTypeBFloat16, 0.1, 0.10009765625},    // 0x3dcd
		{DTypeFloat16, 0.1, 0.0999755859375},   // 0x2e66
		{DTypeFloat16, 65520, math.Inf(1)},     // past the largest finite, 65504
		{DTypeBFloat16, 257, 256},              // 8 significant bits: a tie, to even
	} {
		if got := tc.dt.Round(tc.x); got != tc.want {
			t.Errorf("%v.Round(%v) = %v, want %v", tc.dt, tc.x, got, tc.want)
		}
	}
}
