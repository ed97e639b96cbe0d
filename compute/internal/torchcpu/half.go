package torchcpu

import "math"

// The 16-bit types of PyTorch 1.13's CPU kernels, torch.bfloat16
// (c10::BFloat16: 1 sign, 8 exponent and 7 fraction bits, float32's range)
// and torch.float16 (c10::Half: 1 sign, 5 exponent and 10 fraction bits),
// are held here as the float32 they widen to, exactly. Every kernel that
// this package follows computes them in float32 and rounds its result to
// the 16-bit type once, with c10's conversions, which these functions are.

// Bit patterns of the NaNs the conversions produce, widened to float32:
// c10::BFloat16(float) gives 0x7fc0 for every NaN (the sign is dropped),
// c10::Half(float) (fp16_ieee_from_fp32_value) gives 0x7e00 with the sign
// kept.
const (
	bf16NaN32 = 0x7fc00000
	f16NaN32  = 0x7fc00000 // 0x7e00 widened; the sign bit is copied from the input
)

// BFloat16 returns f rounded to the nearest bfloat16, ties to even, as
// c10::BFloat16(float) does (round_to_nearest_even: the upper 16 bits of
// f's bits plus 0x7fff plus the lowest kept bit). Subnormal bfloat16
// values are float32's subnormals with 16 zero low bits, so they round the
// same way and are neither flushed nor treated as zero.
//
// Special cases are:
//
//	BFloat16(±Inf) = ±Inf
//	BFloat16(NaN) = +NaN (0x7fc0: any payload and sign are dropped)
//	BFloat16(±0) = ±0
//	BFloat16(|f| ≥ 0x1.ff8p127) = ±Inf (the midpoint 3.3961775e+38 to
//	    2^128 rounds to even, which is Inf; 0x1.fep127 = 3.3895314e+38 is
//	    the largest finite bfloat16)
//	BFloat16(|f| ≤ 2^-134) = ±0 (half of the least subnormal 2^-133;
//	    the tie rounds to even, 0)
func BFloat16(f float32) float32 {
	if f != f {
		return math.Float32frombits(bf16NaN32)
	}
	u := math.Float32bits(f)
	u += 0x7fff + (u>>16)&1
	return math.Float32frombits(u &^ 0xffff)
}

// Float16 returns f rounded to the nearest IEEE binary16 value, ties to
// even, as c10::Half(float) (fp16_ieee_from_fp32_value) does: 11
// significant bits for |f| ≥ 2^-14, a fixed spacing of 2^-24 below that
// (the subnormals), and ±Inf from 65520 on (the midpoint between 65504,
// the largest finite value, and 2^16 rounds to even, which is Inf).
//
// Special cases are:
//
//	Float16(±Inf) = ±Inf
//	Float16(NaN) = NaN with f's sign (0x7e00 or 0xfe00)
//	Float16(±0) = ±0
//	Float16(|f| ≥ 65520) = ±Inf
//	Float16(|f| ≤ 2^-25) = ±0 (half of the least subnormal 2^-24; the
//	    tie rounds to even, 0)
func Float16(f float32) float32 {
	if f != f {
		return math.Float32frombits(math.Float32bits(f)&(1<<31) | f16NaN32)
	}
	x := float64(f)
	a := math.Abs(x)
	switch {
	case math.IsInf(x, 0) || a == 0:
		return f
	case a >= 65520:
		return float32(math.Copysign(math.Inf(1), x))
	}
	// The spacing of binary16 values at |x|: 2^(e−10) for the normal
	// 2^e ≤ |x| < 2^(e+1), 2^-24 for the subnormals. x/spacing is exact in
	// float64 (x has 24 significant bits), and so is the product back.
	_, e := math.Frexp(a) // a = m·2^e with m in [0.5, 1)
	exp := max(e-1, -14)
	spacing := math.Ldexp(1, exp-10)
	return float32(math.RoundToEven(x/spacing) * spacing)
}

// Float16Bits returns the IEEE binary16 bits of f, which must be a
// float16 value (Float16's result); NaN gives 0x7e00 or 0xfe00.
func Float16Bits(f float32) uint16 {
	u := math.Float32bits(f)
	sign := uint16(u>>16) & 0x8000
	a := math.Abs(float64(f))
	switch {
	case f != f:
		return sign | 0x7e00
	case math.IsInf(a, 0):
		return sign | 0x7c00
	case a < 0x1p-14:
		return sign | uint16(a*0x1p24)
	}
	_, e := math.Frexp(a)
	m := uint16(math.Ldexp(a, 11-e)) & 0x3ff // the 10 fraction bits
	return sign | uint16(e-1+15)<<10 | m
}

// Float16FromBits returns the binary16 value of the bits h, widened to
// float32 exactly.
func Float16FromBits(h uint16) float32 {
	sign := 1.0
	if h&0x8000 != 0 {
		sign = -1
	}
	e, m := int(h>>10)&0x1f, float64(h&0x3ff)
	switch e {
	case 0x1f:
		if m != 0 {
			return math.Float32frombits(uint32(h&0x8000)<<16 | f16NaN32)
		}
		return float32(math.Copysign(math.Inf(1), sign))
	case 0:
		return float32(sign * m * 0x1p-24)
	}
	return float32(sign * math.Ldexp(1+m/1024, e-15))
}

// BFloat16Bits returns the 16 bits of the bfloat16 value f (BFloat16's
// result): the upper half of its float32 bits.
func BFloat16Bits(f float32) uint16 { return uint16(math.Float32bits(f) >> 16) }

// BFloat16FromBits returns the bfloat16 value of the bits h, widened to
// float32 exactly.
func BFloat16FromBits(h uint16) float32 { return math.Float32frombits(uint32(h) << 16) }
