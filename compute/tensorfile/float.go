package tensorfile

import "math"

// The conversions below work on bits rather than through the hardware,
// because WebAssembly does not specify which NaN f64.promote_f32 and
// f32.demote_f64 return: a NaN's payload must come back from a file the
// same in the browser as natively.

// Float16ToFloat64 returns the float64 of the IEEE 754 binary16 value with
// bits h. Every binary16 value is a float64 value, so the result is exact.
//
// Special cases are:
//
//	Float16ToFloat64(0x8000) = -0
//	Float16ToFloat64(0x7c00) = +Inf
//	Float16ToFloat64(0x0001) = 2^-24 (the smallest subnormal)
//	Float16ToFloat64(NaN) = NaN with the same sign and payload, shifted
//	to the top of float64's fraction
func Float16ToFloat64(h uint16) float64 {
	sign := uint64(h>>15) << 63
	exp := uint64(h>>10) & 0x1f
	frac := uint64(h & 0x3ff)
	switch exp {
	case 0:
		// Zero or subnormal: frac × 2^-24, a normal float64 (or zero).
		return math.Float64frombits(math.Float64bits(float64(frac)*0x1p-24) | sign)
	case 0x1f:
		return math.Float64frombits(sign | 0x7ff<<52 | frac<<42)
	}
	return math.Float64frombits(sign | (exp-15+1023)<<52 | frac<<42)
}

// BFloat16ToFloat64 returns the float64 of the bfloat16 value with bits
// h, which are the top 16 bits of a float32. The result is exact.
//
// Special cases are as for [Float32ToFloat64].
func BFloat16ToFloat64(h uint16) float64 { return Float32ToFloat64(uint32(h) << 16) }

// Float32ToFloat64 returns the float64 of the float32 value with bits b,
// exactly.
//
// Special cases are:
//
//	Float32ToFloat64(NaN) = NaN with the same sign and payload (a
//	signalling NaN stays signalling)
func Float32ToFloat64(b uint32) float64 {
	if b&0x7f800000 == 0x7f800000 && b&0x7fffff != 0 {
		return math.Float64frombits(uint64(b>>31)<<63 | 0x7ff<<52 | uint64(b&0x7fffff)<<29)
	}
	return float64(math.Float32frombits(b))
}

// Float64ToFloat16 returns the bits of x rounded to binary16, to nearest
// with ties to even, as NumPy's astype(np.float16) does.
//
// Special cases are:
//
//	Float64ToFloat16(±0) = ±0
//	Float64ToFloat16(x) = ±Inf for |x| ≥ 65520 (65504 + half an ulp)
//	Float64ToFloat16(x) = ±0 for |x| ≤ 2^-25 (half the smallest subnormal)
//	Float64ToFloat16(NaN) = NaN keeping the sign and the top 10 bits of
//	the payload; if those are all zero, the lowest is set, so that the
//	result is still a NaN (NumPy's rule)
func Float64ToFloat16(x float64) uint16 { return uint16(narrow(x, 5, 10)) }

// Float64ToBFloat16 returns the bits of x rounded to bfloat16, to nearest
// with ties to even, in one step. PyTorch rounds a float64 to float32
// first and then to bfloat16, which can differ when the first rounding
// makes a tie (1 + 2^-8 + 2^-30 is 1 in PyTorch, 1 + 2^-7 here).
//
// Special cases are as for [Float64ToFloat16], with the limits of
// bfloat16's range, and NaN keeping the top 7 bits of the payload.
func Float64ToBFloat16(x float64) uint16 { return uint16(narrow(x, 8, 7)) }

// Float64ToFloat32 returns the bits of float32(x), rounded to nearest with
// ties to even.
//
// Special cases are:
//
//	Float64ToFloat32(NaN) = NaN keeping the sign and the top 23 bits of
//	the payload, the lowest set if those are all zero; a signalling NaN
//	stays signalling
func Float64ToFloat32(x float64) uint32 { return uint32(narrow(x, 8, 23)) }

// narrow rounds x to the binary format with ebits exponent bits and mbits
// fraction bits (mbits < 52), to nearest with ties to even, and returns
// its bits. One rounding step from float64, never two: going through
// float32 would round twice.
func narrow(x float64, ebits, mbits uint) uint64 {
	b := math.Float64bits(x)
	sign := b >> 63 << (ebits + mbits)
	exp := int(b>>52) & 0x7ff
	frac := b & (1<<52 - 1)
	inf := (uint64(1)<<ebits - 1) << mbits
	switch exp {
	case 0x7ff:
		if frac == 0 {
			return sign | inf
		}
		f := frac >> (52 - mbits)
		if f == 0 {
			f = 1
		}
		return sign | inf | f
	case 0:
		// Zero or a float64 subnormal, below 2^-1022: far less than half
		// the smallest subnormal of any narrower format.
		return sign
	}
	bias := 1<<(ebits-1) - 1
	e := exp - 1023
	sig := frac | 1<<52
	shift := uint(52 - mbits)
	subnormal := e < 1-bias
	if subnormal {
		shift += uint(1 - bias - e)
		if shift > 60 {
			return sign // below half the smallest subnormal
		}
	}
	q := sig >> shift
	rem := sig & (1<<shift - 1)
	half := uint64(1) << (shift - 1)
	if rem > half || rem == half && q&1 == 1 {
		q++
	}
	var r uint64
	if subnormal {
		// q ≤ 2^mbits; q = 2^mbits is the smallest normal, whose bits
		// are just that.
		r = q
	} else {
		// q holds the implicit bit, which adds 1 to the exponent field;
		// a carry out of rounding (q = 2^(mbits+1)) adds another.
		r = uint64(e+bias-1)<<mbits + q
	}
	if r >= inf {
		return sign | inf
	}
	return sign | r
}
