package torchcpu

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestFMA checks emulatedFMA against math.FMA (an exact software fused
// multiply-add): random operands of every magnitude, products cancelling
// c, and ties.
func TestFMA(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	rnd := func() float64 {
		switch rng.IntN(4) {
		case 0:
			return math.Float64frombits(rng.Uint64())
		case 1:
			return (rng.Float64() - 0.5) * math.Ldexp(1, rng.IntN(80)-40)
		case 2:
			return float64(rng.IntN(1<<20)) * math.Ldexp(1, rng.IntN(20)-10)
		}
		return 1 + float64(rng.IntN(1<<10))*0x1p-52
	}
	for i := 0; i < 2_000_000; i++ {
		a, b := rnd(), rnd()
		var c float64
		switch rng.IntN(3) {
		case 0:
			c = rnd()
		case 1:
			c = -float64(a * b) // cancellation: the result is the product's rounding error
		default:
			c = -float64(a*b) * (1 + float64(rng.IntN(8))*0x1p-53)
		}
		got, want := emulatedFMA(a, b, c), math.FMA(a, b, c)
		if math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Fatalf("FMA(%v, %v, %v) = %v, want %v", a, b, c, got, want)
		}
	}
	for _, x := range [][3]float64{{0, 0, 0}, {math.Inf(1), 0, 1}, {1, 1, math.NaN()}, {math.Copysign(0, -1), 1, 0}, {1e-320, 1e-5, 1e-320}, {1e300, 1e10, -1e308}} {
		got, want := emulatedFMA(x[0], x[1], x[2]), math.FMA(x[0], x[1], x[2])
		if math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Errorf("FMA(%v) = %v, want %v", x, got, want)
		}
	}
}

func BenchmarkEmulatedFMA(b *testing.B) {
	x := 1.0
	for b.Loop() {
		x = emulatedFMA(x, 1.0000001, -1e-9)
	}
	fmaSink = x
}

func BenchmarkMathFMA(b *testing.B) {
	x := 1.0
	for b.Loop() {
		x = math.FMA(x, 1.0000001, -1e-9)
	}
	fmaSink = x
}

var fmaSink float64
