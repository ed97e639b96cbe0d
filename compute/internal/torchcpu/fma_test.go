package torchcpu

import (
	"math"
	"math/big"
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

// FuzzEmulatedFMA checks two identities: emulatedFMA(a, b, c) =
// math.FMA(a, b, c) bit for bit, and FMA32(a, b, c) = a·b + c computed
// exactly with math/big and rounded to float32 once.
func FuzzEmulatedFMA(f *testing.F) {
	f.Add(1.0, 1.0, 1.0)
	f.Add(0.1, 10.0, -1.0)
	f.Add(1e300, 1e10, -1e308)
	f.Add(math.SmallestNonzeroFloat64, 0.5, 0.0)
	f.Add(1+0x1p-52, 1-0x1p-53, -1.0)
	f.Add(1.0000001, 1.0000001, -1.0000002)
	f.Fuzz(func(t *testing.T, a, b, c float64) {
		got, want := emulatedFMA(a, b, c), math.FMA(a, b, c)
		if math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Fatalf("emulatedFMA(%v, %v, %v) = %v, math.FMA %v", a, b, c, got, want)
		}
		a32, b32, c32 := float32(a), float32(b), float32(c)
		if isFinite32(a32) && isFinite32(b32) && isFinite32(c32) {
			x := new(big.Float).SetPrec(200).SetFloat64(float64(a32))
			x.Mul(x, new(big.Float).SetFloat64(float64(b32)))
			x.Add(x, new(big.Float).SetFloat64(float64(c32)))
			w, _ := x.Float32()
			if g := FMA32(a32, b32, c32); g != w && !(g == 0 && w == 0) {
				t.Fatalf("FMA32(%v, %v, %v) = %v, exact %v", a32, b32, c32, g, w)
			}
		}
	})
}

func isFinite32(x float32) bool { return !math.IsInf(float64(x), 0) && x == x }
