package tensorfile

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"
)

func TestFloat16Table(t *testing.T) {
	// Derivations from the binary16 layout (IEEE 754-2008, 3.6): sign,
	// 5-bit exponent with bias 15, 10-bit fraction.
	for _, c := range []struct {
		h    uint16
		want uint64
	}{
		{0x0000, 0x0000000000000000},               // +0
		{0x8000, 0x8000000000000000},               // -0
		{0x3c00, math.Float64bits(1)},              // 1
		{0xc000, math.Float64bits(-2)},             // -2
		{0x7bff, math.Float64bits(65504)},          // max
		{0x0400, math.Float64bits(0x1p-14)},        // min normal
		{0x0001, math.Float64bits(0x1p-24)},        // min subnormal
		{0x03ff, math.Float64bits(1023 * 0x1p-24)}, // max subnormal
		{0x8001, math.Float64bits(-0x1p-24)},       // negative subnormal
		{0x7c00, math.Float64bits(math.Inf(1))},    // +Inf
		{0xfc00, math.Float64bits(math.Inf(-1))},   // -Inf
		{0x7e00, 0x7ff8000000000000},               // quiet NaN
		{0x7c01, 0x7ff0040000000000},               // signalling NaN, payload 1 kept
		{0xfe01, 0xfff8040000000000},               // negative NaN with payload
		{0x3555, math.Float64bits(0x1.554p-2)},     // float16(1/3)
	} {
		if got := math.Float64bits(Float16ToFloat64(c.h)); got != c.want {
			t.Errorf("Float16ToFloat64(%#04x) = %#016x, want %#016x", c.h, got, c.want)
		}
	}
	// float32 and bfloat16: the payload moves to the top of the fraction.
	for _, c := range []struct {
		b    uint32
		want uint64
	}{
		{0x7f800001, 0x7ff0000020000000}, // signalling NaN stays signalling (the FPU would quiet it)
		{0xffc00001, 0xfff8000020000000},
		{0x00000001, math.Float64bits(0x1p-149)},
		{0x80000000, 0x8000000000000000},
	} {
		if got := math.Float64bits(Float32ToFloat64(c.b)); got != c.want {
			t.Errorf("Float32ToFloat64(%#08x) = %#016x, want %#016x", c.b, got, c.want)
		}
	}
	if got := math.Float64bits(BFloat16ToFloat64(0xffff)); got != 0xffffe00000000000 {
		t.Errorf("BFloat16ToFloat64(0xffff) = %#016x", got)
	}
}

// TestHalfRoundTrip: every one of the 2^16 float16 and bfloat16 values
// widens and narrows back to the same bits, NaNs included.
func TestHalfRoundTrip(t *testing.T) {
	for i := 0; i < 1<<16; i++ {
		h := uint16(i)
		if got := Float64ToFloat16(Float16ToFloat64(h)); got != h {
			t.Fatalf("float16 %#04x came back as %#04x", h, got)
		}
		if got := Float64ToBFloat16(BFloat16ToFloat64(h)); got != h {
			t.Fatalf("bfloat16 %#04x came back as %#04x", h, got)
		}
		// bfloat16 is the top half of a float32, through either path.
		if got := Float64ToFloat32(BFloat16ToFloat64(h)); got != uint32(h)<<16 {
			t.Fatalf("bfloat16 %#04x as float32 %#08x", h, got)
		}
	}
}

// nearest is a reference rounding by brute force: among the finite values
// of a 16-bit format (widen), sorted, it finds the nearest to x, ties to
// the even bit pattern, and overflows as IEEE 754 does (to Inf from half an
// ulp above the maximum).
type nearest struct {
	vals []float64
	bits []uint16
	inf  uint16
}

func newNearest(widen func(uint16) float64) *nearest {
	n := &nearest{}
	for i := 0; i < 1<<15; i++ {
		v := widen(uint16(i))
		if math.IsInf(v, 0) {
			n.inf = uint16(i)
			continue
		}
		if !math.IsNaN(v) {
			n.vals = append(n.vals, v)
			n.bits = append(n.bits, uint16(i))
		}
	}
	sort.Sort(n)
	return n
}

func (n *nearest) Len() int           { return len(n.vals) }
func (n *nearest) Less(i, j int) bool { return n.vals[i] < n.vals[j] }
func (n *nearest) Swap(i, j int) {
	n.vals[i], n.vals[j] = n.vals[j], n.vals[i]
	n.bits[i], n.bits[j] = n.bits[j], n.bits[i]
}

func (n *nearest) round(x float64) uint16 {
	sign := uint16(0)
	if math.Signbit(x) {
		sign, x = 0x8000, -x
	}
	last := len(n.vals) - 1
	max, ulp := n.vals[last], n.vals[last]-n.vals[last-1]
	if x >= max+ulp/2 {
		return sign | n.inf
	}
	i := sort.SearchFloat64s(n.vals, x)
	if i > last {
		return sign | n.bits[last]
	}
	if n.vals[i] == x || i == 0 {
		return sign | n.bits[i]
	}
	lo, hi := n.vals[i-1], n.vals[i]
	switch {
	case x-lo < hi-x:
		return sign | n.bits[i-1]
	case x-lo > hi-x:
		return sign | n.bits[i]
	case n.bits[i-1]&1 == 0:
		return sign | n.bits[i-1]
	}
	return sign | n.bits[i]
}

// TestNarrowReference checks the rounding to float16 and bfloat16 against
// a brute-force nearest search, and to float32 against Go's conversion,
// on random float64s across every exponent, and on the midpoints between
// neighbouring values, where ties to even decide.
func TestNarrowReference(t *testing.T) {
	h16 := newNearest(Float16ToFloat64)
	b16 := newNearest(BFloat16ToFloat64)
	r := rand.New(rand.NewPCG(1, 2))
	var xs []float64
	for i := 0; i < 200000; i++ {
		xs = append(xs, math.Float64frombits(r.Uint64()))
		// Exponents near the 16-bit ranges, where the work is.
		xs = append(xs, math.Ldexp(1+r.Float64(), r.IntN(300)-150)*float64(1-2*r.IntN(2)))
	}
	for _, n := range []*nearest{h16, b16} {
		for i := 1; i < len(n.vals); i++ {
			mid := n.vals[i-1] + (n.vals[i]-n.vals[i-1])/2
			xs = append(xs, mid, math.Nextafter(mid, 0), math.Nextafter(mid, math.Inf(1)), -mid)
		}
	}
	xs = append(xs, 65520, math.Nextafter(65520, 0), 0x1p-25, math.Nextafter(0x1p-25, 1), 0x1p-150, 3*0x1p-150)
	for _, x := range xs {
		if math.IsNaN(x) {
			continue
		}
		if got, want := Float64ToFloat16(x), h16.round(x); got != want {
			t.Fatalf("Float64ToFloat16(%v) = %#04x, want %#04x", x, got, want)
		}
		if got, want := Float64ToBFloat16(x), b16.round(x); got != want {
			t.Fatalf("Float64ToBFloat16(%v) = %#04x, want %#04x", x, got, want)
		}
		if got, want := Float64ToFloat32(x), math.Float32bits(float32(x)); got != want {
			t.Fatalf("Float64ToFloat32(%v) = %#08x, want %#08x", x, got, want)
		}
	}
}

func TestNarrowNaN(t *testing.T) {
	// Derivations: the payload's top bits are kept; if none survive, the
	// lowest is set so that the result is still a NaN (NumPy's float16 rule).
	for _, c := range []struct {
		x    uint64
		f16  uint16
		bf16 uint16
		f32  uint32
	}{
		{0x7ff8000000000000, 0x7e00, 0x7fc0, 0x7fc00000},
		{0x7ff0000000000001, 0x7c01, 0x7f81, 0x7f800001},
		{0xfff8080000000000, 0xfe02, 0xffc0, 0xffc04000},
	} {
		x := math.Float64frombits(c.x)
		if got := Float64ToFloat16(x); got != c.f16 {
			t.Errorf("Float64ToFloat16(%#016x) = %#04x, want %#04x", c.x, got, c.f16)
		}
		if got := Float64ToBFloat16(x); got != c.bf16 {
			t.Errorf("Float64ToBFloat16(%#016x) = %#04x, want %#04x", c.x, got, c.bf16)
		}
		if got := Float64ToFloat32(x); got != c.f32 {
			t.Errorf("Float64ToFloat32(%#016x) = %#08x, want %#08x", c.x, got, c.f32)
		}
	}
}
