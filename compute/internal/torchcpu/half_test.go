package torchcpu

import (
	"math"
	"math/rand/v2"
	"testing"
)

// halfRounding rows: a float32 (its bits) and the 16 bits PyTorch 1.13.1
// (Debian's python3-torch, x86-64 AVX2) stores for it, from
//
//	torch.tensor(np.array([in], np.uint32).view(np.float32)).to(dtype).view(torch.int16)
//
// except the NaN rows, whose 16 bits differ between c10's scalar
// constructor and the vectorized .to(): the scalar c10::BFloat16(float)
// (torch.tensor([nan], dtype=torch.bfloat16)) gives 0x7fc0, which is what
// BFloat16 returns; .to() gives 0xffff. Only NaN-ness is compared there.
var halfRounding = []struct {
	name    string
	bf16    bool // else float16
	in      uint32
	out     uint16
	derived string // how the row follows, for the reader
}{
	{"bf16 tie down to even", true, 0x3f808000, 0x3f80, "1 + 2^-8: the tie between 1 and 1 + 2^-7 goes to the even 1"},
	{"bf16 above tie", true, 0x3f808001, 0x3f81, ""},
	{"bf16 below tie", true, 0x3f807fff, 0x3f80, ""},
	{"bf16 tie up to even", true, 0x3f818000, 0x3f82, "the tie between 0x3f81 and 0x3f82 goes to the even 0x3f82"},
	{"bf16 below odd tie", true, 0x3f817fff, 0x3f81, ""},
	{"bf16 subnormal tie to 0", true, 0x00008000, 0x0000, "half the least subnormal bfloat16 2^-133"},
	{"bf16 subnormal above tie", true, 0x00008001, 0x0001, ""},
	{"bf16 subnormal tie up", true, 0x00018000, 0x0002, ""},
	{"bf16 least float32 subnormal", true, 0x00000001, 0x0000, ""},
	{"bf16 largest subnormal rounds to normal", true, 0x007fffff, 0x0080, ""},
	{"bf16 below overflow tie", true, 0x7f7f7fff, 0x7f7f, "rounds to the largest finite 3.3895314e+38"},
	{"bf16 overflow tie", true, 0x7f7f8000, 0x7f80, "the tie with 2^128 rounds to even: +Inf"},
	{"bf16 max float32", true, 0x7f7fffff, 0x7f80, ""},
	{"bf16 negative overflow tie", true, 0xff7f8000, 0xff80, ""},
	{"bf16 -subnormal tie", true, 0x80008000, 0x8000, "-0 keeps its sign"},
	{"bf16 -subnormal above tie", true, 0x80008001, 0x8001, ""},
	{"bf16 +Inf", true, 0x7f800000, 0x7f80, ""},
	{"bf16 -Inf", true, 0xff800000, 0xff80, ""},
	{"bf16 NaN payload", true, 0x7fc00001, 0x7fc0, "NaN"},
	{"bf16 -NaN", true, 0xffc00000, 0x7fc0, "NaN"},
	{"bf16 sNaN", true, 0x7f800001, 0x7fc0, "NaN"},
	{"bf16 +0", true, 0x00000000, 0x0000, ""},
	{"bf16 -0", true, 0x80000000, 0x8000, ""},
	{"bf16 0.1", true, 0x3dcccccd, 0x3dcd, ""},
	{"bf16 -1/3", true, 0xbeaaaaab, 0xbeab, ""},
	{"fp16 tie down to even", false, 0x3f801000, 0x3c00, "1 + 2^-11: the tie goes to the even 1"},
	{"fp16 above tie", false, 0x3f801001, 0x3c01, ""},
	{"fp16 below tie", false, 0x3f800fff, 0x3c00, ""},
	{"fp16 tie up to even", false, 0x3f803000, 0x3c02, ""},
	{"fp16 max finite", false, 0x477fe000, 0x7bff, "65504"},
	{"fp16 below max", false, 0x477fdfff, 0x7bff, ""},
	{"fp16 above max", false, 0x477fe001, 0x7bff, ""},
	{"fp16 below overflow tie", false, 0x477fefff, 0x7bff, "65519.996"},
	{"fp16 overflow tie", false, 0x477ff000, 0x7c00, "65520, the tie with 2^16, rounds to even: +Inf"},
	{"fp16 negative overflow tie", false, 0xc77ff000, 0xfc00, ""},
	{"fp16 least normal", false, 0x38800000, 0x0400, "2^-14"},
	{"fp16 below least normal", false, 0x387fffff, 0x0400, ""},
	{"fp16 subnormal 2^-15", false, 0x38000000, 0x0200, ""},
	{"fp16 above 2^-15", false, 0x38000001, 0x0200, ""},
	{"fp16 least subnormal", false, 0x33800000, 0x0001, "2^-24"},
	{"fp16 tie to 0", false, 0x33000000, 0x0000, "2^-25, half the least subnormal"},
	{"fp16 above tie to 0", false, 0x33000001, 0x0001, ""},
	{"fp16 subnormal tie up", false, 0x33c00000, 0x0002, "1.5·2^-24 rounds to the even 2·2^-24"},
	{"fp16 below tie to 0", false, 0x32ffffff, 0x0000, ""},
	{"fp16 -above tie to 0", false, 0xb3000001, 0x8001, ""},
	{"fp16 +Inf", false, 0x7f800000, 0x7c00, ""},
	{"fp16 -Inf", false, 0xff800000, 0xfc00, ""},
	{"fp16 NaN", false, 0x7fc00001, 0x7e00, "NaN"},
	{"fp16 -NaN", false, 0xffc00000, 0xfe00, "NaN, the sign kept"},
	{"fp16 +0", false, 0x00000000, 0x0000, ""},
	{"fp16 -0", false, 0x80000000, 0x8000, ""},
	{"fp16 least float32 subnormal", false, 0x00000001, 0x0000, ""},
	{"fp16 max float32", false, 0x7f7fffff, 0x7c00, ""},
	{"fp16 0.1", false, 0x3dcccccd, 0x2e66, ""},
	{"fp16 -1/3", false, 0xbeaaaaab, 0xb555, ""},
	{"fp16 carry into the next binade", false, 0x38ffffff, 0x0800, ""},
	{"fp16 subnormal rounds to least normal", false, 0x387fe000, 0x0400, ""},
	{"fp16 subnormal tie to least normal", false, 0x387ff000, 0x0400, ""},
}

func TestHalfRounding(t *testing.T) {
	for _, c := range halfRounding {
		in := math.Float32frombits(c.in)
		var got float32
		var bits uint16
		if c.bf16 {
			got = BFloat16(in)
			bits = BFloat16Bits(got)
		} else {
			got = Float16(in)
			bits = Float16Bits(got)
		}
		if c.derived == "NaN" || c.derived == "NaN, the sign kept" {
			if got == got {
				t.Errorf("%s: %#08x gives %v, want NaN", c.name, c.in, got)
			}
			if !c.bf16 && bits != c.out {
				t.Errorf("%s: %#08x gives bits %#04x, want %#04x", c.name, c.in, bits, c.out)
			}
			continue
		}
		if bits != c.out {
			t.Errorf("%s: %#08x gives %#04x, want %#04x (PyTorch)", c.name, c.in, bits, c.out)
		}
	}
}

// f16FromFP32 is c10's fp16_ieee_from_fp32_value (c10/util/Half.h, from
// FP16 by Marat Dukhan), transcribed: an independent derivation of
// Float16's bits by float32 arithmetic on scaled values.
func f16FromFP32(f float32) uint16 {
	const scaleToInf, scaleToZero = float32(0x1p112), float32(0x1p-110)
	base := float32(float32(abs32(f)*scaleToInf) * scaleToZero)
	w := math.Float32bits(f)
	shl1 := w + w
	sign := w & 0x80000000
	bias := shl1 & 0xff000000
	if bias < 0x71000000 {
		bias = 0x71000000
	}
	base = math.Float32frombits(bias>>1+0x07800000) + base
	b := math.Float32bits(base)
	nonsign := (b>>13)&0x7c00 + b&0x0fff
	if shl1 > 0xff000000 {
		nonsign = 0x7e00
	}
	return uint16(sign>>16) | uint16(nonsign)
}

func abs32(f float32) float32 { return math.Float32frombits(math.Float32bits(f) &^ (1 << 31)) }

// bf16RoundArith is bfloat16 rounding derived by float64 arithmetic: 8
// significant bits above 2^-126, a fixed spacing of 2^-133 below, ±Inf
// from 0x1.ff8p127 on.
func bf16RoundArith(f float32) float32 {
	x := float64(f)
	a := math.Abs(x)
	if a == 0 || math.IsInf(x, 0) || x != x {
		return f
	}
	if a >= 0x1.ff8p127 {
		return float32(math.Copysign(math.Inf(1), x))
	}
	_, e := math.Frexp(a)
	s := math.Ldexp(1, max(e-1, -126)-7)
	return float32(math.RoundToEven(x/s) * s)
}

// TestHalfRoundingSweep compares Float16 with c10's own algorithm and
// BFloat16 with the arithmetic derivation on every 2^-11th float32 bit
// pattern and its neighbours (which include every tie and every binade
// edge of both types), and on random patterns.
func TestHalfRoundingSweep(t *testing.T) {
	step := uint64(1 << 11)
	if testing.Short() {
		step = 1 << 14
	}
	check := func(u uint32) {
		f := math.Float32frombits(u)
		if got, want := Float16Bits(Float16(f)), f16FromFP32(f); got != want {
			t.Fatalf("Float16(%#08x) = %#04x, c10 gives %#04x", u, got, want)
		}
		if f != f {
			return
		}
		if got, want := BFloat16(f), bf16RoundArith(f); math.Float32bits(got) != math.Float32bits(want) {
			t.Fatalf("BFloat16(%#08x) = %#08x, want %#08x", u, math.Float32bits(got), math.Float32bits(want))
		}
	}
	for u := uint64(0); u < 1<<32; u += step {
		for d := uint32(0); d < 3; d++ {
			check(uint32(u) - 1 + d)
			check(uint32(u) + 0x1000 - 1 + d) // the fp16 ties: 13 dropped bits
			check(uint32(u) + 0x8000 - 1 + d) // the bf16 ties: 16 dropped bits
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 1 << 16 {
		check(r.Uint32())
	}
}

// TestHalfBitsRoundTrip: every 16-bit pattern widens to a float32 that the
// rounding keeps, and back to the same bits (NaNs to a NaN).
func TestHalfBitsRoundTrip(t *testing.T) {
	for h := range 1 << 16 {
		h := uint16(h)
		f := Float16FromBits(h)
		if f != f {
			if h&0x7c00 != 0x7c00 || h&0x3ff == 0 {
				t.Fatalf("Float16FromBits(%#04x) = NaN", h)
			}
			continue
		}
		if Float16(f) != f || Float16Bits(f) != h {
			t.Fatalf("float16 %#04x: widened %v, rounded %v, bits %#04x", h, f, Float16(f), Float16Bits(f))
		}
		if got := f16FromFP32(f); got != h {
			t.Fatalf("c10 gives %#04x for %#04x", got, h)
		}
		b := BFloat16FromBits(h)
		if b != b {
			continue
		}
		if BFloat16(b) != b || BFloat16Bits(b) != h {
			t.Fatalf("bfloat16 %#04x: widened %v, rounded %v", h, b, BFloat16(b))
		}
	}
}

// sum16Rows: torch.tensor(x, dtype=...).sum() in PyTorch 1.13.1 (Debian's
// python3-torch, AVX2, one thread). The rows of 16 were found by a search
// for sums whose order matters: float32 cannot hold 2^30 + 215 (bfloat16)
// or 60000 + 0.1 (float16) exactly, so the lane pairing shows.
var sum16Rows = []struct {
	name string
	bf16 bool
	x    []float32
	want float32
	// other is the sum with the other type's lane pairing (or, for rows
	// shorter than 16, with bfloat16 accumulators), which PyTorch does
	// not give; 0 when the row does not tell them apart.
	other float32
}{
	{"bf16 300 ones: float32 accumulators", true, repeat(1, 300), 300, 256},
	{"fp16 3000 ones", false, repeat(1, 3000), 3000, 0},
	{"bf16 pairs l and l+8", true, []float32{-1073741824.0, 215.0, 44.0, 284.0, -1073741824.0, 1073741824.0, 109.0, 116.0, 216.0, 171.0, 1073741824.0, 268.0, 139.0, 80.0, 246.0, 1.75}, 1880, -1},
	{"bf16 pairs l and l+8 (2)", true, []float32{-1073741824.0, 49.25, 120.5, 74.0, 264.0, 274.0, 268.0, 94.0, 1073741824.0, 32.25, 28.75, 44.25, 148.0, 123.0, 59.25, 274.0}, 1856, -1},
	{"fp16 pairs 2l and 2l+1", false, []float32{0.1087646484375, 0.2230224609375, 0.176025390625, 0.89501953125, -60000.0, 0.5712890625, -60000.0, 0.7763671875, 60000.0, 0.564453125, 0.68896484375, 0.8681640625, 60000.0, 0.10296630859375, 0.053619384765625, 0.313232421875}, 5.33984375, -1},
	{"fp16 pairs 2l and 2l+1 (2)", false, []float32{0.36474609375, 0.37060546875, 0.65966796875, 0.489501953125, 0.47119140625, 0.6826171875, 60000.0, 0.09893798828125, -60000.0, 60000.0, 0.167236328125, 0.443359375, 0.0228729248046875, -60000.0, 60000.0, -60000.0}, 3.76953125, 0}, // left to right gives 3.7734375
	{"empty", true, nil, 0, 0},
	{"-0 sums to +0", false, []float32{float32(math.Copysign(0, -1))}, 0, 0},
}

func repeat(v float32, n int) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = v
	}
	return x
}

func TestSum16(t *testing.T) {
	bfLane := func(x []float32) func(v, l int) float32 {
		return func(v, l int) float32 { return x[v*Lanes16+l] + x[v*Lanes16+l+Lanes32] }
	}
	fpLane := func(x []float32) func(v, l int) float32 {
		return func(v, l int) float32 { return (0 + x[v*Lanes16+2*l]) + x[v*Lanes16+2*l+1] }
	}
	for _, c := range sum16Rows {
		sum, round, otherLane := SumFloat16, Float16, bfLane
		if c.bf16 {
			sum, round, otherLane = SumBFloat16, BFloat16, fpLane
		}
		got := sum(c.x)
		if got != c.want || math.Signbit(float64(got)) {
			t.Errorf("%s: %v, PyTorch %v", c.name, got, c.want)
		}
		switch {
		case c.other == -1:
			if alt := round(sum16(c.x, otherLane(c.x))); alt == c.want {
				t.Errorf("%s: the other lane pairing gives PyTorch's %v too: the row does not tell them apart", c.name, alt)
			}
		case c.other != 0:
			// Accumulating in bfloat16 would stall where x + 1 rounds back to x.
			var acc float32
			for _, v := range c.x {
				acc = BFloat16(acc + v)
			}
			if acc != c.other {
				t.Errorf("%s: a bfloat16 accumulator gives %v, want %v", c.name, acc, c.other)
			}
		}
	}
}

// logSoftmaxBF16Rows: x, y = F.log_softmax(x, dim=-1) and, for an upstream
// gradient g, torch._log_softmax_backward_data(g, y, -1, torch.bfloat16),
// all bfloat16, from PyTorch 1.13.1 (Debian's python3-torch, AVX2, one
// thread): rows of 2 (left to right), 9 (the 9–15 tree) and 17 (two
// accumulators and a tail).
var logSoftmaxBF16Rows = []struct {
	n          int
	x, y, g, d []float32
}{
	{2, []float32{0.1025390625, 4.09375}, []float32{-4.0, -0.0155029296875}, []float32{1.2265625, -0.51171875}, []float32{1.2109375, -1.21875}},
	{9, []float32{-0.89453125, -1.5859375, 1.7109375, -0.16796875, 2.234375, -5.53125, 4.6875, -0.2890625, 2.046875}, []float32{-5.78125, -6.46875, -3.1875, -5.0625, -2.65625, -10.4375, -0.2041015625, -5.1875, -2.84375}, []float32{-0.13671875, -0.37890625, 0.462890625, 0.82421875, -0.2021484375, -0.15234375, 0.6875, -0.87109375, -1.515625}, []float32{-0.1328125, -0.376953125, 0.515625, 0.83203125, -0.1123046875, -0.15234375, 1.734375, -0.86328125, -1.4375}},
	{17, []float32{1.1875, -2.015625, -5.75, -2.4375, -1.40625, -3.578125, -4.46875, 0.10986328125, 2.6875, -0.69921875, -2.234375, 1.15625, 2.15625, -0.8984375, 1.6328125, 3.125, -0.62109375}, []float32{-2.921875, -6.125, -9.875, -6.5625, -5.5, -7.6875, -8.5625, -4.0, -1.421875, -4.8125, -6.34375, -2.953125, -1.953125, -5.0, -2.46875, -0.984375, -4.71875}, []float32{-0.8125, 0.34765625, 0.2470703125, 1.1015625, -1.28125, -0.66015625, -0.83984375, -1.734375, 0.1259765625, 0.52734375, -0.73828125, 1.3828125, 0.8203125, 0.62890625, 0.40234375, 0.95703125, -1.328125}, []float32{-0.765625, 0.349609375, 0.2470703125, 1.1015625, -1.28125, -0.66015625, -0.83984375, -1.71875, 0.33203125, 0.53515625, -0.73828125, 1.4296875, 0.94140625, 0.6328125, 0.474609375, 1.2734375, -1.3203125}},
}

func TestLogSoftmaxBFloat16(t *testing.T) {
	for _, c := range logSoftmaxBF16Rows {
		y := make([]float32, c.n)
		LogSoftmaxBFloat16(y, c.x)
		d := make([]float32, c.n)
		LogSoftmaxBackwardBFloat16(d, c.g, c.y)
		for i := range y {
			if y[i] != c.y[i] {
				t.Errorf("n=%d: log_softmax[%d] = %v, PyTorch %v", c.n, i, y[i], c.y[i])
			}
			if d[i] != c.d[i] {
				t.Errorf("n=%d: backward[%d] = %v, PyTorch %v", c.n, i, d[i], c.d[i])
			}
		}
	}
}
