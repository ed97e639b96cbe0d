package torchcpu

import "math"

// FMA32 returns a·b + c computed exactly and rounded once to float32, as the
// vfmadd instructions of AVX2 do for float lanes.
//
// a·b is exact in float64 (24 + 24 bits < 53). The sum is formed in float64
// with round-to-odd, which makes the final rounding to float32 correct
// (Boldo and Melquiond, "Emulation of FMA and correctly rounded sums:
// proved algorithms using rounding to odd", 2008): a plain float64 sum
// would round twice.
//
// Special cases are those of IEEE fma: NaN in, NaN out; Inf·0 is NaN;
// overflow gives ±Inf.
func FMA32(a, b, c float32) float32 {
	p := float64(a) * float64(b)
	s := p + float64(c)
	// Rounding s again to float32 can only go wrong if s landed exactly on
	// a midpoint between two float32 (its 29 bits below float32's last bit
	// are 1000…0): rounding to float64 is monotonic and keeps midpoints,
	// so otherwise s and the exact sum round to the same float32. Below
	// float32's normal range the midpoints sit elsewhere, and zeros,
	// infinities and NaNs need their own rules: the slow path. The test
	// is on the bits alone: with math.IsInf and math.IsNaN, FMA32 was half
	// of a float32 log_softmax's time.
	bits := math.Float64bits(s)
	if e := bits >> 52 & 0x7ff; bits&(1<<29-1) != 1<<28 && e >= 1023-126 && e != 0x7ff {
		return float32(s)
	}
	if math.IsInf(s, 0) || math.IsNaN(s) || s == 0 {
		return float32(s)
	}
	// The rounding error of s, exactly (Knuth's TwoSum).
	bb := s - p
	e := (p - (s - bb)) + (float64(c) - bb)
	if e != 0 {
		bits := math.Float64bits(s)
		if bits&1 == 0 {
			// s is even: round-to-odd picks the neighbour on e's side.
			if (e > 0) == (s > 0) {
				bits++
			} else {
				bits--
			}
			s = math.Float64frombits(bits)
		}
	}
	return float32(s)
}

// emulatedFMA returns a·b + c rounded once, bit for bit math.FMA, but
// without the 128-bit integer arithmetic of math.FMA's software version,
// which is what WebAssembly runs (34 ns a call there, against 18 ns for
// this; natively math.FMA is one instruction, 2 ns). FMA picks it in
// WebAssembly.
//
// Method (Boldo and Melquiond, 2008, Algorithm 5.4): a·b = uh + ul exactly
// (Dekker's product with Veltkamp's split), c + uh = th + tl exactly
// (TwoSum), and the result is RN(th + RO(tl + ul)), where RO rounds to odd.
// Arguments for which a split or a product could overflow or lose bits to
// underflow go to math.FMA.
func emulatedFMA(a, b, c float64) float64 {
	// Safe range: |a|, |b| in [2^-450, 2^450) keep the split and ul exact;
	// |c| below 2^960 keeps TwoSum from overflowing, and above 2^-900 (or
	// 0) keeps its error exact. Checked on the exponent fields, and written
	// as one flat function: calls are what cost most in WebAssembly.
	ea := int(math.Float64bits(a)>>52&0x7ff) - 1023
	eb := int(math.Float64bits(b)>>52&0x7ff) - 1023
	ec := int(math.Float64bits(c)>>52&0x7ff) - 1023
	if uint(ea+450) >= 900 || uint(eb+450) >= 900 || ec >= 960 || (ec < -900 && c != 0) {
		return math.FMA(a, b, c)
	}
	// a·b = uh + ul exactly.
	uh := float64(a * b)
	ul := dekkerErr(a, b, uh)
	// c + uh = th + tl exactly.
	th := c + uh
	bb := th - c
	tl := (c - (th - bb)) + (uh - bb)
	// v = tl + ul rounded to odd.
	v := tl + ul
	bb = v - tl
	if e := (tl - (v - bb)) + (ul - bb); e != 0 {
		if bits := math.Float64bits(v); bits&1 == 0 {
			if (e > 0) == (v > 0) {
				bits++
			} else {
				bits--
			}
			v = math.Float64frombits(bits)
		}
	}
	return th + v
}

// dekkerErr returns a·b − p exactly for p = fl(a·b), by Dekker's product
// with Veltkamp's split; |a|, |b| must be within 2^±450 so that the split
// and the partial products are exact.
func dekkerErr(a, b, p float64) float64 {
	const factor = 1<<27 + 1
	t := float64(factor * a)
	ah := t - (t - a)
	al := a - ah
	t = float64(factor * b)
	bh := t - (t - b)
	bl := b - bh
	e := float64(ah*bh) - p
	e += float64(ah * bl)
	e += float64(al * bh)
	return e + float64(al*bl)
}
