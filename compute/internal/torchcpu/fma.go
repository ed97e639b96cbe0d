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
	if math.IsInf(s, 0) || math.IsNaN(s) || s == 0 {
		return float32(s)
	}
	// Rounding s again to float32 can only go wrong if s landed exactly on
	// a midpoint between two float32 (its 29 bits below float32's last bit
	// are 1000…0): rounding to float64 is monotonic and keeps midpoints,
	// so otherwise s and the exact sum round to the same float32. Below
	// float32's normal range the midpoints sit elsewhere: the slow path.
	if bits := math.Float64bits(s); bits&(1<<29-1) != 1<<28 && math.Abs(s) >= 0x1p-126 {
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
	// Safe range: |a|, |b| in [2^-450, 2^450] keep the split and ul exact;
	// |c| below 2^960 keeps TwoSum from overflowing; zeros are exact.
	const lo, hi = 0x1p-450, 0x1p450
	aa, ab := math.Abs(a), math.Abs(b)
	if !(aa >= lo && aa <= hi && ab >= lo && ab <= hi) || !(math.Abs(c) < 0x1p960) || (c != 0 && math.Abs(c) < 0x1p-900) {
		return math.FMA(a, b, c)
	}
	uh, ul := twoProd(a, b)
	th, tl := twoSum(c, uh)
	return th + roundOdd(tl, ul)
}

// twoProd returns p = fl(a·b) and e = a·b − p exactly (Dekker).
func twoProd(a, b float64) (p, e float64) {
	p = float64(a * b)
	ah, al := split(a)
	bh, bl := split(b)
	e = float64(ah*bh) - p
	e += float64(ah * bl)
	e += float64(al * bh)
	e += float64(al * bl)
	return p, e
}

// split returns x = hi + lo with hi holding the top 26 bits (Veltkamp).
func split(x float64) (hi, lo float64) {
	const factor = 1<<27 + 1
	t := float64(factor * x)
	hi = t - (t - x)
	return hi, x - hi
}

// twoSum returns s = fl(a + b) and a + b − s exactly (Knuth).
func twoSum(a, b float64) (s, e float64) {
	s = a + b
	bb := s - a
	e = (a - (s - bb)) + (b - bb)
	return s, e
}

// roundOdd returns a + b rounded to odd: the exact sum if it is a float64,
// else whichever neighbour has an odd last bit.
func roundOdd(a, b float64) float64 {
	s, e := twoSum(a, b)
	if e == 0 || math.IsInf(s, 0) {
		return s
	}
	bits := math.Float64bits(s)
	if bits&1 == 0 {
		if (e > 0) == (s > 0) {
			bits++
		} else {
			bits--
		}
		s = math.Float64frombits(bits)
	}
	return s
}
