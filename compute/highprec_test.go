package compute

import (
	"math"
	"math/big"
	"testing"
)

// An independent high-precision reference: natural log and exp on big.Float
// at 256 bits, by argument reduction and series. It shares no code with the
// package and is checked against published constants below.

const hpPrec = 256

func hpFloat(x float64) *big.Float { return new(big.Float).SetPrec(hpPrec).SetFloat64(x) }

// hpAtanhSeries returns 2·atanh(z) = 2 Σ z^(2k+1)/(2k+1) for |z| ≤ 1/3.
func hpAtanhSeries(z *big.Float) *big.Float {
	sum := new(big.Float).SetPrec(hpPrec)
	z2 := new(big.Float).SetPrec(hpPrec).Mul(z, z)
	pow := new(big.Float).SetPrec(hpPrec).Set(z)
	eps := new(big.Float).SetPrec(hpPrec).SetMantExp(big.NewFloat(1), -hpPrec-8)
	for k := 1; ; k += 2 {
		term := new(big.Float).SetPrec(hpPrec).Quo(pow, new(big.Float).SetPrec(hpPrec).SetInt64(int64(k)))
		sum.Add(sum, term)
		if term.Abs(term).Cmp(eps) < 0 {
			break
		}
		pow.Mul(pow, z2)
	}
	return sum.Mul(sum, big.NewFloat(2))
}

// hpLn2 = 2·atanh(1/3).
func hpLn2() *big.Float {
	third := new(big.Float).SetPrec(hpPrec).Quo(hpFloat(1), hpFloat(3))
	return hpAtanhSeries(third)
}

// hpLog returns ln x for x > 0: x = m·2^e with m in [0.5, 1), ln m = 2 atanh((m−1)/(m+1)).
func hpLog(x *big.Float) *big.Float {
	m := new(big.Float).SetPrec(hpPrec)
	e := x.MantExp(m)
	num := new(big.Float).SetPrec(hpPrec).Sub(m, hpFloat(1))
	den := new(big.Float).SetPrec(hpPrec).Add(m, hpFloat(1))
	r := hpAtanhSeries(num.Quo(num, den))
	l2 := hpLn2()
	return r.Add(r, l2.Mul(l2, new(big.Float).SetPrec(hpPrec).SetInt64(int64(e))))
}

// hpExp returns e^x: x = k·ln2 + r, |r| ≤ ln2/2, Taylor series for e^r.
func hpExp(x *big.Float) *big.Float {
	l2 := hpLn2()
	kf, _ := new(big.Float).Quo(x, l2).Float64()
	k := int64(math.Round(kf))
	r := new(big.Float).SetPrec(hpPrec).Sub(x, new(big.Float).SetPrec(hpPrec).Mul(l2, new(big.Float).SetPrec(hpPrec).SetInt64(k)))
	sum, term := hpFloat(1), hpFloat(1)
	eps := new(big.Float).SetPrec(hpPrec).SetMantExp(big.NewFloat(1), -hpPrec-8)
	for n := int64(1); n < 1000; n++ {
		term.Mul(term, r)
		term.Quo(term, new(big.Float).SetPrec(hpPrec).SetInt64(n))
		sum.Add(sum, term)
		if new(big.Float).Abs(term).Cmp(eps) < 0 {
			break
		}
	}
	return sum.SetMantExp(sum, int(k))
}

func TestHighPrecisionReference(t *testing.T) {
	// ln 2 and e to 36 digits (OEIS A002162, A001113).
	ln2, _ := new(big.Float).SetPrec(hpPrec).SetString("0.693147180559945309417232121458176568")
	e, _ := new(big.Float).SetPrec(hpPrec).SetString("2.71828182845904523536028747135266250")
	tol, _ := new(big.Float).SetString("1e-35")
	if d := new(big.Float).Sub(hpLn2(), ln2); d.Abs(d).Cmp(tol) > 0 {
		t.Errorf("hpLn2 off by %g", d)
	}
	if d := new(big.Float).Sub(hpExp(hpFloat(1)), e); d.Abs(d).Cmp(tol) > 0 {
		t.Errorf("hpExp(1) off by %g", d)
	}
	// ln 10 (OEIS A002392).
	ln10, _ := new(big.Float).SetPrec(hpPrec).SetString("2.30258509299404568401799145468436421")
	if d := new(big.Float).Sub(hpLog(hpFloat(10)), ln10); d.Abs(d).Cmp(tol) > 0 {
		t.Errorf("hpLog(10) off by %g", d)
	}
}

// hpKL is the exact Σ p (ln p − ln q) (log_target=False) or
// Σ e^t (t − x) (log_target=True) of the float64 inputs, p > 0, q > 0.
func hpKL(target, input []float64, logTarget bool) *big.Float {
	sum := new(big.Float).SetPrec(hpPrec)
	for i, t := range target {
		x := hpFloat(input[i])
		var term *big.Float
		if logTarget {
			tt := hpFloat(t)
			term = new(big.Float).SetPrec(hpPrec).Sub(tt, x)
			term.Mul(term, hpExp(tt))
		} else {
			tt := hpFloat(t)
			term = new(big.Float).SetPrec(hpPrec).Sub(hpLog(tt), x)
			term.Mul(term, tt)
		}
		sum.Add(sum, term)
	}
	return sum
}

// TestAccuracyFloat64 proves the float64 results are within 1e-12 (in fact
// about 1e-15) of the exact value of PyTorch's formula on the same float64
// inputs, for well-conditioned inputs: random distributions whose KL is not
// tiny compared with its terms.
func TestAccuracyFloat64(t *testing.T) {
	rng := newRand(7)
	worst := 0.0
	for iter := 0; iter < 300; iter++ {
		n := 2 + rng.IntN(60)
		p, q := randomDist(rng, n, false), randomDist(rng, n, false)
		logTarget := iter%2 == 1
		target := p
		if logTarget {
			target = make([]float64, n)
			for i, v := range p {
				target[i] = math.Log(v)
			}
		}
		input := make([]float64, n)
		for i, v := range q {
			input[i] = math.Log(v)
		}
		got, err := KLDiv(Vector(input), Vector(target), ReductionSum, logTarget, DTypeFloat64)
		if err != nil {
			t.Fatal(err)
		}
		exact, _ := hpKL(target, input, logTarget).Float64()
		rel := math.Abs(got.Data[0]-exact) / math.Abs(exact)
		worst = max(worst, rel)
		if rel > 1e-12 {
			t.Errorf("KL of %d elements (logTarget=%v) = %.17g, exact %.17g: relative error %g", n, logTarget, got.Data[0], exact, rel)
		}
	}
	t.Logf("worst relative error over 300 random cases: %.3g", worst)
}

// docs/kl_div.md §7 row 17: KLDiv gives PyTorch's sum, 0.5119052433943876
// (the table's figure, and what torch 1.13.1 prints), 1 ulp above the exact
// value; Calculate's accurate Float64 is the exact value rounded.
func TestAccuracyKnownCases(t *testing.T) {
	in := []float64{math.Log(.25), math.Log(.75), math.Log(.5), math.Log(.5)}
	tg := []float64{.5, .5, .9, .1}
	got, _ := KLDiv(Vector(in), Vector(tg), ReductionSum, false, DTypeFloat64)
	if got.Data[0] != 0.5119052433943876 {
		t.Errorf("row 17 sum = %.17g, PyTorch 0.5119052433943876", got.Data[0])
	}
	exact, _ := hpKL(tg, in, false).Float64()
	r := mustCalc(t, Side{Data: Vector(tg)}, Side{Data: Vector(in), Form: FormLog}, Options{Reduction: ReductionSum, DType: DTypeFloat64})
	if r.Value != got.Data[0] || r.Float64 != exact {
		t.Errorf("row 17: Calculate %.17g (accurate %.17g), want PyTorch's %.17g and exact %.17g", r.Value, r.Float64, got.Data[0], exact)
	}
}

// ln and exp are right where Go's amd64 assembly is not: subnormal
// arguments and the last 0.7 before overflow. Exact values from the big.Float
// reference above.
func TestLnExpEdges(t *testing.T) {
	for _, x := range []float64{5e-324, 1e-310, 2.2250738585072e-308, 0x1p-1022, 3e-300, 0.5, 1, 1e300} {
		want, _ := hpLog(hpFloat(x)).Float64()
		if got := ln(x); !close(got, want, 4e-16) {
			t.Errorf("ln(%g) = %.17g, want %.17g", x, got, want)
		}
	}
	for _, x := range []float64{709.0, 709.1, 709.5, 709.78, -745, -740, 1} {
		want, _ := hpExp(hpFloat(x)).Float64()
		if got := exp(x); !close(got, want, 5e-16) {
			t.Errorf("exp(%g) = %.17g, want %.17g", x, got, want)
		}
	}
	if got := exp(709.79); !math.IsInf(got, 1) {
		t.Errorf("exp(709.79) = %g, want +Inf", got)
	}
}

// TestLnAccuracy measures ln against the big.Float reference over random
// arguments across the whole range, near 1, and at the table's grid points.
func TestLnAccuracy(t *testing.T) {
	rng := newRand(13)
	var xs []float64
	for i := 0; i < 4000; i++ {
		xs = append(xs, math.Float64frombits(rng.Uint64()&^(1<<63))) // any positive bit pattern
		xs = append(xs, 1+(rng.Float64()-0.5)*0x1p-10)               // near 1
		xs = append(xs, rng.Float64())                               // probabilities
	}
	for i := 0; i <= 192; i++ {
		c := 0.75 + float64(i)/256
		xs = append(xs, c, math.Nextafter(c, 0), math.Nextafter(c, 2), c+1.0/512, c*0x1p-30)
	}
	worst := 0.0
	for _, x := range xs {
		if math.IsInf(x, 0) || math.IsNaN(x) || x == 0 {
			continue
		}
		want, _ := hpLog(hpFloat(x)).Float64()
		got := ln(x)
		ulp := math.Abs(math.Nextafter(want, math.Inf(1)) - want)
		if d := math.Abs(got-want) / ulp; d > worst {
			worst = d
		}
		if math.Abs(got-want) > ulp {
			t.Fatalf("ln(%v) = %.17g, want %.17g (%.2f ulp)", x, got, want, math.Abs(got-want)/ulp)
		}
	}
	t.Logf("worst error over %d arguments: %.3f ulp", len(xs), worst)
	for _, tt := range []struct{ x, want float64 }{
		{0, math.Inf(-1)}, {math.Inf(1), math.Inf(1)}, {-1, nan}, {nan, nan}, {1, 0}, {math.Copysign(0, -1), math.Inf(-1)},
	} {
		if got := ln(tt.x); !alike(got, tt.want) {
			t.Errorf("ln(%v) = %v, want %v", tt.x, got, tt.want)
		}
	}
}
