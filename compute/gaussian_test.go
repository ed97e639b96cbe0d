package compute

import (
	"errors"
	"math"
	"math/big"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
)

// Helpers in this file carry a gauss prefix so that they cannot clash with
// the helpers of the other test files in package compute.

// gaussAlike reports whether a and b are the same value: NaN matches NaN and
// the sign of zero matters, as alike in math/all_test.go.
func gaussAlike(a, b float64) bool {
	switch {
	case math.IsNaN(a) && math.IsNaN(b):
		return true
	case a == b:
		return math.Signbit(a) == math.Signbit(b)
	}
	return false
}

// gaussClose reports whether got is want, or within tol relative of it.
func gaussClose(got, want, tol float64) bool {
	if gaussAlike(got, want) {
		return true
	}
	if math.IsNaN(got) || math.IsNaN(want) || math.IsInf(want, 0) {
		return false
	}
	return math.Abs(got-want) <= tol*math.Abs(want)
}

var (
	gaussNaN = math.NaN()
	gaussInf = math.Inf(1)
)

func TestKLNormal(t *testing.T) {
	ln2, ln10 := math.Ln2, math.Ln10
	tests := []struct {
		p, q Normal
		want float64
	}{
		// docs/kl_div.md §7 row 29: torch.distributions.kl_divergence(Normal(1, 2), Normal(0, 1)),
		// = ½[4 + 1 − 1 − ln 4] = 2 − ln 2.
		{Normal{1, 2}, Normal{0, 1}, 1.3068528194400546},
		// The reverse: ½[¼ + ¼ − 1 + ln 4] = ln 2 − ¼ (asymmetry).
		{Normal{0, 1}, Normal{1, 2}, ln2 - 0.25},
		// Equal scales leave only the mean term ½((μp−μq)/σ)².
		{Normal{0, 1}, Normal{1, 1}, 0.5},
		{Normal{5, 4}, Normal{-3, 4}, 2},
		// Equal means leave only the variance term: ½[4 − 1 − ln 4] = 3/2 − ln 2
		// and ½[¼ − 1 + ln 4] = ln 2 − 3/8.
		{Normal{0, 2}, Normal{0, 1}, 1.5 - ln2},
		{Normal{0, 1}, Normal{0, 2}, ln2 - 0.375},
		// KL(p‖p) = 0 exactly.
		{Normal{3, 1.5}, Normal{3, 1.5}, 0},
		{Normal{-1e300, 1e-300}, Normal{-1e300, 1e-300}, 0},
		// σp/σq = 1e-600 underflows, but ln of it does not:
		// ½[1e-1200 − 1 + 1200 ln 10] = 600 ln 10 − ½.
		{Normal{0, 1e-300}, Normal{0, 1e300}, 600*ln10 - 0.5},
		// σp/σq = 1e600: the true value ≈ ½·1e1200 overflows.
		{Normal{0, 1e300}, Normal{0, 1e-300}, gaussInf},
		// μp−μq = 2e308 overflows, (μp−μq)/σq = 2e8 does not: ½(2e8)² = 2e16.
		{Normal{1e308, 1e300}, Normal{-1e308, 1e300}, 2e16},

		// Special cases.
		{Normal{gaussNaN, 1}, Normal{0, 1}, gaussNaN},
		{Normal{0, gaussNaN}, Normal{0, 1}, gaussNaN},
		{Normal{0, 1}, Normal{gaussNaN, 1}, gaussNaN},
		{Normal{0, 1}, Normal{0, gaussNaN}, gaussNaN},
		{Normal{gaussInf, 1}, Normal{0, gaussNaN}, gaussNaN},
		{Normal{0, 0}, Normal{0, 1}, gaussNaN},
		{Normal{0, 1}, Normal{0, 0}, gaussNaN},
		{Normal{0, -1}, Normal{0, 1}, gaussNaN},
		{Normal{0, 1}, Normal{0, -2}, gaussNaN},
		{Normal{0, math.Copysign(0, -1)}, Normal{0, 1}, gaussNaN},
		{Normal{0, -gaussInf}, Normal{0, 1}, gaussNaN},
		{Normal{0, -1}, Normal{gaussInf, 1}, gaussNaN},
		{Normal{gaussInf, 1}, Normal{gaussInf, 1}, gaussNaN},
		{Normal{-gaussInf, 1}, Normal{-gaussInf, 2}, gaussNaN},
		{Normal{gaussInf, gaussInf}, Normal{gaussInf, 1}, gaussNaN},
		{Normal{0, gaussInf}, Normal{0, gaussInf}, gaussNaN},
		{Normal{gaussInf, gaussInf}, Normal{0, gaussInf}, gaussNaN},
		{Normal{gaussInf, 1}, Normal{0, 1}, gaussInf},
		{Normal{0, 1}, Normal{-gaussInf, 1}, gaussInf},
		{Normal{gaussInf, 1}, Normal{-gaussInf, 1}, gaussInf},
		{Normal{0, gaussInf}, Normal{0, 1}, gaussInf}, // torch: ∞ − ∞ = NaN
		{Normal{0, 1}, Normal{0, gaussInf}, gaussInf}, // torch: −ln 0 = +Inf
		{Normal{gaussInf, 1}, Normal{0, gaussInf}, gaussInf},
		{Normal{gaussInf, gaussInf}, Normal{0, 1}, gaussInf},
	}
	for _, tt := range tests {
		if got := KLNormal(tt.p, tt.q); !gaussClose(got, tt.want, 1e-15) {
			t.Errorf("KLNormal(%v, %v) = %g, want %g", tt.p, tt.q, got, tt.want)
		}
	}
}

// TestKLNormalFormulas checks KLNormal against the closed forms of
// torch.distributions (_kl_normal_normal) and of gonum
// (distuv.KullbackLeibler.DistNormal), both quoted in docs/libraries.md §2 and §6,
// where those are accurate: when p and q are not close, nothing cancels.
func TestKLNormalFormulas(t *testing.T) {
	torch := func(p, q Normal) float64 {
		varRatio := math.Pow(p.Sigma/q.Sigma, 2)
		t1 := math.Pow((p.Mu-q.Mu)/q.Sigma, 2)
		return 0.5 * (varRatio + t1 - 1 - math.Log(varRatio))
	}
	gonum := func(l, r Normal) float64 {
		// D_KL(l || r) = log(σ_r / σ_l) + (σ_l^2 + (μ_l-μ_r)^2)/(2 * σ_r^2) - 0.5
		d := l.Mu - r.Mu
		v := (l.Sigma*l.Sigma + d*d) / (2 * r.Sigma * r.Sigma)
		return math.Log(r.Sigma) - math.Log(l.Sigma) + v - 0.5
	}
	rng := rand.New(rand.NewPCG(2, 29))
	for range 2000 {
		p := Normal{gaussLogUniform(rng, -2, 2) * gaussSign(rng), gaussLogUniform(rng, -3, 3)}
		q := Normal{gaussLogUniform(rng, -2, 2) * gaussSign(rng), gaussLogUniform(rng, -3, 3)}
		if r := p.Sigma / q.Sigma; r > 0.7 && r < 1.4 {
			continue // the two formulas cancel here; see TestKLNormalCancellation
		}
		got := KLNormal(p, q)
		if want := torch(p, q); !gaussClose(got, want, 1e-12) {
			t.Errorf("KLNormal(%v, %v) = %g, want %g (torch formula)", p, q, got, want)
		}
		if want := gonum(p, q); !gaussClose(got, want, 1e-12) {
			t.Errorf("KLNormal(%v, %v) = %g, want %g (gonum formula)", p, q, got, want)
		}
	}
}

func TestKLNormalProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 7))
	for range 2000 {
		p := gaussRandomNormal(rng)
		q := gaussNear(rng, p)
		if rng.IntN(2) == 0 {
			q = gaussRandomNormal(rng)
		}
		// KL(p‖p) = 0 exactly, not merely close.
		if got := KLNormal(p, p); got != 0 || math.Signbit(got) {
			t.Errorf("KLNormal(%v, %v) = %g, want 0", p, p, got)
		}
		// Gibbs' inequality: KL ≥ 0, even for nearly equal p and q.
		if got := KLNormal(p, q); !(got >= 0) {
			t.Errorf("KLNormal(%v, %v) = %g, want ≥ 0", p, q, got)
		}
		// With equal scales the divergence is ½((μp−μq)/σ)², the same both ways.
		q2 := Normal{q.Mu, p.Sigma}
		if a, b := KLNormal(p, q2), KLNormal(q2, p); a != b {
			t.Errorf("KLNormal(%v, %v) = %g, want %g = KLNormal(%v, %v)", p, q2, a, b, q2, p)
		}
	}
	// With unequal scales it is asymmetric (rows 1 and 2 of TestKLNormal).
	p, q := Normal{0, 1}, Normal{0, 2}
	if a, b := KLNormal(p, q), KLNormal(q, p); a == b {
		t.Errorf("KLNormal(%v, %v) = %g = KLNormal(%v, %v), want them to differ", p, q, a, q, p)
	}
}

// TestKLNormalAccuracy compares KLNormal with the exact divergence of its
// float64 arguments, computed with math/big at 320 bits.
func TestKLNormalAccuracy(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	var cases [][2]Normal
	// Hand-picked: ulp neighbours, the series boundary |w| = 1/8 (that is
	// σp/σq = 9/7) and the overflow/underflow paths.
	one := 1.0
	cases = append(cases, [][2]Normal{
		{{0, 1}, {0, math.Nextafter(one, 2)}},
		{{0, math.Nextafter(one, 2)}, {0, 1}},
		{{0, math.Nextafter(one, 0)}, {0, 1}},
		{{1, 1}, {math.Nextafter(one, 2), 1}},
		{{0, 9}, {0, 7}},
		{{0, 7}, {0, 9}},
		{{0, 9}, {0, math.Nextafter(7, 8)}},
		{{0, 9}, {0, math.Nextafter(7, 6)}},
		{{0, 1e-300}, {0, 1e300}},
		{{0, 3e-170}, {0, 2e150}},
		{{0, 3e150}, {0, 2e-150}},
		{{1e308, 1e300}, {-1e308, 1.1e300}},
		{{0, 1.5e308}, {0, 1.6e308}},
		{{0, 5e-324}, {0, 1e-323}},
		{{0, 1e-310}, {0, math.Nextafter(1e-310, 1)}},
	}...)
	for range 3000 {
		p := gaussRandomNormal(rng)
		switch rng.IntN(3) {
		case 0:
			cases = append(cases, [2]Normal{p, gaussRandomNormal(rng)})
		default:
			cases = append(cases, [2]Normal{p, gaussNear(rng, p)})
		}
	}
	var worst float64
	for _, c := range cases {
		p, q := c[0], c[1]
		got := KLNormal(p, q)
		exact := gaussExactKLNormal(p, q)
		e := gaussRelErr(got, exact)
		worst = max(worst, e)
		if !(e <= 1e-12) {
			t.Errorf("KLNormal(%v, %v) = %g, want %s (relative error %.3g)", p, q, got, exact.Text('g', 20), e)
		}
	}
	t.Logf("%d cases, max relative error %.3g (%.2f ulp)", len(cases), worst, worst/0x1p-53)
}

// TestKLNormalCancellation shows why KLNormal evaluates neither the formula
// as written nor x − log1p(x) with x = r²−1: when σp ≈ σq the result ≈ x²/2
// is the difference of two numbers ≈ x, so both lose about log₁₀(1/|x|)
// digits to the rounding of the logarithm (all of them when σp and σq are
// neighbouring floats).
func TestKLNormalCancellation(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	var worstNaive, worstLog1p, worst float64
	for range 200 {
		sp := 1 + rng.Float64()
		sq := sp * (1 + (rng.Float64()-0.5)*1e-6)
		p, q := Normal{0, sp}, Normal{0, sq}
		exact := gaussExactKLNormal(p, q)
		r2 := (sp / sq) * (sp / sq)
		naive := 0.5 * (r2 - 1 - math.Log(r2))
		x := (sp - sq) * (sp + sq) / (sq * sq)
		viaLog1p := 0.5 * (x - math.Log1p(x))
		worstNaive = max(worstNaive, gaussRelErr(naive, exact))
		worstLog1p = max(worstLog1p, gaussRelErr(viaLog1p, exact))
		worst = max(worst, gaussRelErr(KLNormal(p, q), exact))
	}
	t.Logf("max relative error: formula as written %.3g, x−log1p(x) %.3g, KLNormal %.3g", worstNaive, worstLog1p, worst)
	if worstNaive < 1e-9 || worstLog1p < 1e-9 || worst > 1e-14 {
		t.Errorf("max relative error: formula %.3g, x−log1p(x) %.3g, KLNormal %.3g; want ≥ 1e-9, ≥ 1e-9, ≤ 1e-14",
			worstNaive, worstLog1p, worst)
	}
}

func TestKLDiagNormal(t *testing.T) {
	p := []Normal{{1, 2}, {0, 1}, {0, 2}, {3, 1.5}, {0.25, 1}}
	q := []Normal{{0, 1}, {1, 2}, {0, 1}, {3, 1.5}, {0.25, 1 + 1e-9}}
	res, err := KLDiagNormal(p, q)
	if err != nil {
		t.Fatalf("KLDiagNormal(%v, %v): %v", p, q, err)
	}
	if len(res.Terms) != len(p) {
		t.Fatalf("KLDiagNormal(%v, %v) has %d terms, want %d", p, q, len(res.Terms), len(p))
	}
	// The diagonal divergence is the sum of the univariate ones
	// (torch _kl_independent_independent: _sum_rightmost of the Normal KL).
	var exact big.Float
	exact.SetPrec(320)
	for i, term := range res.Terms {
		want := KLNormal(p[i], q[i])
		if term.KL != want {
			t.Errorf("KLDiagNormal term %d: KL = %g, want %g = KLNormal(%v, %v)", i, term.KL, want, p[i], q[i])
		}
		if term.Index != i || term.Row != 0 || term.Col != i || term.P != p[i] || term.Q != q[i] {
			t.Errorf("KLDiagNormal term %d = %+v, want Index %d, Row 0, Col %d, P %v, Q %v", i, term, i, i, p[i], q[i])
		}
		// LogTerm is accurate where math.Log(r*r) is not (r ≈ 1), so
		// compare it by absolute error.
		r := p[i].Sigma / q[i].Sigma
		z := (p[i].Mu - q[i].Mu) / q[i].Sigma
		if !gaussClose(term.VarRatio, r*r, 1e-15) || !gaussClose(term.MeanTerm, z*z, 1e-15) ||
			math.Abs(term.LogTerm-math.Log(r*r)) > 1e-15 {
			t.Errorf("KLDiagNormal term %d = %+v, want VarRatio %g, MeanTerm %g, LogTerm %g", i, term, r*r, z*z, math.Log(r*r))
		}
		exact.Add(&exact, gaussExactKLNormal(p[i], q[i]))
	}
	if e := gaussRelErr(res.Total, &exact); e > 1e-15 {
		t.Errorf("KLDiagNormal(%v, %v).Total = %g, want %s", p, q, res.Total, exact.Text('g', 20))
	}
	// Hand sum: (2 − ln 2) + (ln 2 − ¼) + (3/2 − ln 2) + 0 + ≈1e-18.
	if want := 3.25 - math.Ln2; !gaussClose(res.Total, want, 1e-15) {
		t.Errorf("KLDiagNormal(%v, %v).Total = %g, want %g", p, q, res.Total, want)
	}

	// Infinite parameters pass validation (torch accepts them) and give
	// the special values of KLNormal.
	res, err = KLDiagNormal([]Normal{{0, 1}, {gaussInf, 1}}, []Normal{{0, 1}, {0, 1}})
	if err != nil || !math.IsInf(res.Total, 1) {
		t.Errorf("KLDiagNormal with μ = +Inf = %g, %v, want +Inf, nil", res.Total, err)
	}
	res, err = KLDiagNormal([]Normal{{0, gaussInf}, {gaussInf, 1}}, []Normal{{0, gaussInf}, {0, 1}})
	if err != nil || !math.IsNaN(res.Total) {
		t.Errorf("KLDiagNormal with σp = σq = +Inf = %g, %v, want NaN, nil", res.Total, err)
	}
}

func TestKLDiagNormalErrors(t *testing.T) {
	ok := []Normal{{0, 1}, {1, 2}}
	tests := []struct {
		p, q    []Normal
		want    error
		wantMsg string
	}{
		{nil, nil, ErrGaussianEmpty, "compute: KLDiagNormal: no dimensions"},
		{[]Normal{}, []Normal{}, ErrGaussianEmpty, "compute: KLDiagNormal: no dimensions"},
		{ok, ok[:1], ErrGaussianLength, "compute: KLDiagNormal: len(p) = 2, len(q) = 1: dimension mismatch"},
		{nil, ok, ErrGaussianLength, "compute: KLDiagNormal: len(p) = 0, len(q) = 2: dimension mismatch"},
		// torch validate_args: scale must be > 0, loc must not be NaN.
		{ok, []Normal{{0, 1}, {0, 0}}, ErrGaussianScale, "compute: KLDiagNormal: q[1].Sigma = 0: scale must be positive"},
		{[]Normal{{0, -1}, {0, 1}}, ok, ErrGaussianScale, "compute: KLDiagNormal: p[0].Sigma = -1: scale must be positive"},
		{ok, []Normal{{0, gaussNaN}, {0, 1}}, ErrGaussianScale, "compute: KLDiagNormal: q[0].Sigma = NaN: scale must be positive"},
		{[]Normal{{0, 1}, {0, -gaussInf}}, ok, ErrGaussianScale, "compute: KLDiagNormal: p[1].Sigma = -Inf: scale must be positive"},
		{[]Normal{{0, 1}, {gaussNaN, 1}}, ok, ErrGaussianLoc, "compute: KLDiagNormal: p[1].Mu = NaN: loc must not be NaN"},
	}
	for _, tt := range tests {
		res, err := KLDiagNormal(tt.p, tt.q)
		if !errors.Is(err, tt.want) || err.Error() != tt.wantMsg {
			t.Errorf("KLDiagNormal(%v, %v) error = %v, want %q (%v)", tt.p, tt.q, err, tt.wantMsg, tt.want)
		}
		if res.Terms != nil || res.Total != 0 {
			t.Errorf("KLDiagNormal(%v, %v) = %+v with error, want zero result", tt.p, tt.q, res)
		}
	}
}

func TestVAEKL(t *testing.T) {
	// docs/kl_div.md §7 row 29: pytorch/examples vae/main.py with μ = 1,
	// logvar = ln 4 equals kl_divergence(Normal(1, 2), Normal(0, 1)).
	res, err := VAEKL([][]float64{{1}}, [][]float64{{math.Log(4)}})
	if err != nil {
		t.Fatal(err)
	}
	if want := 1.3068528194400546; !gaussClose(res.Total, want, 1e-15) {
		t.Errorf("VAEKL([[1]], [[ln 4]]) = %g, want %g", res.Total, want)
	}

	mu := [][]float64{{1, 0, -0.5}, {0.25, 2, 0}}
	lv := [][]float64{{math.Log(4), 0, -1}, {1e-9, 0.3, -3}}
	res, err = VAEKL(mu, lv)
	if err != nil {
		t.Fatal(err)
	}
	var torch, exact big.Float
	exact.SetPrec(320)
	for i := range mu {
		for j := range mu[i] {
			k := i*3 + j
			term := res.Terms[k]
			if term.Index != k || term.Row != i || term.Col != j {
				t.Errorf("VAEKL term %d has Index %d, Row %d, Col %d, want %d, %d, %d", k, term.Index, term.Row, term.Col, k, i, j)
			}
			wantP := Normal{mu[i][j], math.Exp(lv[i][j] / 2)}
			if term.P != wantP || term.Q != (Normal{0, 1}) || term.LogTerm != lv[i][j] ||
				term.VarRatio != math.Exp(lv[i][j]) || term.MeanTerm != mu[i][j]*mu[i][j] {
				t.Errorf("VAEKL term %d = %+v, want P %v, Q {0 1}, VarRatio %g, MeanTerm %g, LogTerm %g",
					k, term, wantP, math.Exp(lv[i][j]), mu[i][j]*mu[i][j], lv[i][j])
			}
			// Each element is KL(N(μ, e^logvar) ‖ N(0, 1)).
			if want := KLNormal(wantP, Normal{0, 1}); !gaussClose(term.KL, want, 1e-6) {
				t.Errorf("VAEKL term %d: KL = %g, want %g = KLNormal(%v, {0 1})", k, term.KL, want, wantP)
			}
			e := gaussExactVAE(mu[i][j], lv[i][j])
			if r := gaussRelErr(term.KL, e); r > 1e-12 {
				t.Errorf("VAEKL term %d: KL = %g, want %s", k, term.KL, e.Text('g', 20))
			}
			exact.Add(&exact, e)
			// pytorch/examples: 1 + logvar − μ² − exp(logvar), summed, times −½.
			torch.Add(&torch, big.NewFloat(1+lv[i][j]-mu[i][j]*mu[i][j]-math.Exp(lv[i][j])))
		}
	}
	torch.Mul(&torch, big.NewFloat(-0.5))
	if e := gaussRelErr(res.Total, &exact); e > 1e-15 {
		t.Errorf("VAEKL(%v, %v) = %g, want %s", mu, lv, res.Total, exact.Text('g', 20))
	}
	// Summed over the batch and the latent dimensions, not averaged.
	if want, _ := torch.Float64(); !gaussClose(res.Total, want, 1e-14) {
		t.Errorf("VAEKL(%v, %v) = %g, want %g (torch expression)", mu, lv, res.Total, want)
	}
}

func TestVAEKLSpecial(t *testing.T) {
	tests := []struct {
		mu, lv, want float64
	}{
		{0, 0, 0},
		{math.Copysign(0, -1), 0, 0},
		{1, 0, 0.5},
		{-2, 0, 2},
		{0, math.Log(4), 1.5 - math.Ln2}, // ½(4 − 1 − ln 4)
		{gaussNaN, 0, gaussNaN},
		{0, gaussNaN, gaussNaN},
		{gaussNaN, gaussInf, gaussNaN},
		{gaussInf, 0, gaussInf},
		{-gaussInf, 0, gaussInf},
		{0, gaussInf, gaussInf}, // torch: ∞ − ∞ = NaN
		{0, -gaussInf, gaussInf},
		{gaussInf, gaussInf, gaussInf},
		// ½(e⁷¹⁰ − 711) is finite although e⁷¹⁰ is not (Python
		// decimal, 60 digits: 1.11699738308085551562682222905840500E+308).
		{0, 710, 1.1169973830808555e308},
		{0, 711, gaussInf},
		{1e200, 0, gaussInf}, // ½·10⁴⁰⁰ overflows
	}
	for _, tt := range tests {
		res, err := VAEKL([][]float64{{tt.mu}}, [][]float64{{tt.lv}})
		if err != nil {
			t.Errorf("VAEKL([[%g]], [[%g]]): %v", tt.mu, tt.lv, err)
			continue
		}
		if got := res.Total; !gaussClose(got, tt.want, 1e-15) {
			t.Errorf("VAEKL([[%g]], [[%g]]) = %g, want %g", tt.mu, tt.lv, got, tt.want)
		}
	}
}

// TestVAEKLAccuracy compares each VAEKL term with the exact value of
// ½(μ² + e^logvar − 1 − logvar) for its float64 arguments, computed with
// math/big.
func TestVAEKLAccuracy(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	var mu, lv []float64
	for _, x := range []float64{0, 1e-300, -1e-20, 1e-8, 0.5, -0.5, math.Nextafter(0.5, 1), math.Nextafter(-0.5, -1),
		1, -1, 700, math.Nextafter(700, 701), 709.9, 710.4, -750, -1e10} {
		mu, lv = append(mu, 0), append(lv, x)
	}
	for range 3000 {
		m := 0.0
		if rng.IntN(4) != 0 {
			m = gaussSign(rng) * gaussLogUniform(rng, -10, 2)
		}
		x := gaussSign(rng) * gaussLogUniform(rng, -17, 0.5)
		if rng.IntN(5) == 0 {
			x = gaussSign(rng) * gaussLogUniform(rng, 0, 2.8)
		}
		mu, lv = append(mu, m), append(lv, x)
	}
	res, err := VAEKL([][]float64{mu}, [][]float64{lv})
	if err != nil {
		t.Fatal(err)
	}
	var worst float64
	exactTotal := new(big.Float).SetPrec(320)
	for j, term := range res.Terms {
		exact := gaussExactVAE(mu[j], lv[j])
		exactTotal.Add(exactTotal, exact)
		e := gaussRelErr(term.KL, exact)
		worst = max(worst, e)
		if !(e <= 1e-12) {
			t.Errorf("VAEKL term μ = %g, logvar = %g: KL = %g, want %s (relative error %.3g)",
				mu[j], lv[j], term.KL, exact.Text('g', 20), e)
		}
	}
	t.Logf("%d terms, max relative error %.3g (%.2f ulp)", len(res.Terms), worst, worst/0x1p-53)
	if e := gaussRelErr(res.Total, exactTotal); e > 1e-15 {
		t.Errorf("VAEKL total = %g, want %s", res.Total, exactTotal.Text('g', 20))
	}
}

func TestVAEKLErrors(t *testing.T) {
	row := []float64{0, 1}
	tests := []struct {
		mu, lv  [][]float64
		want    error
		wantMsg string
	}{
		{nil, nil, ErrGaussianEmpty, "compute: VAEKL: no rows: no dimensions"},
		{[][]float64{{}}, [][]float64{{}}, ErrGaussianEmpty, "compute: VAEKL: row 0: no latent dimensions: no dimensions"},
		{[][]float64{row}, [][]float64{row, row}, ErrGaussianLength,
			"compute: VAEKL: len(mu) = 1 rows, len(logvar) = 2 rows: dimension mismatch"},
		{[][]float64{row, row, {0}}, [][]float64{row, row, row}, ErrGaussianLength,
			"compute: VAEKL: row 2: len(mu[2]) = 1, want 2 as in row 0: dimension mismatch"},
		{[][]float64{row, row}, [][]float64{row, {0, 1, 2}}, ErrGaussianLength,
			"compute: VAEKL: row 1: len(logvar[1]) = 3, want 2 as in mu: dimension mismatch"},
	}
	for _, tt := range tests {
		res, err := VAEKL(tt.mu, tt.lv)
		if !errors.Is(err, tt.want) || err.Error() != tt.wantMsg {
			t.Errorf("VAEKL(%v, %v) error = %v, want %q (%v)", tt.mu, tt.lv, err, tt.wantMsg, tt.want)
		}
		if res.Terms != nil {
			t.Errorf("VAEKL(%v, %v) = %+v with error, want zero result", tt.mu, tt.lv, res)
		}
	}
}

func TestGaussSum(t *testing.T) {
	tests := []struct {
		kl   []float64
		want float64
	}{
		{nil, 0},
		{[]float64{1, 2}, 3},
		// 1e16 + 1 rounds back to 1e16 twice in a plain loop; the
		// compensation keeps both ones.
		{[]float64{1e16, 1, 1}, 1e16 + 2},
		{[]float64{1, 1e100, 1, -1e100}, 2},
		// Compensation must not turn an infinite sum into ∞ − ∞ = NaN.
		{[]float64{1, gaussInf}, gaussInf},
		{[]float64{gaussInf, 1, 2}, gaussInf},
		{[]float64{math.MaxFloat64, math.MaxFloat64}, gaussInf},
		{[]float64{1, gaussNaN, 2}, gaussNaN},
		{[]float64{gaussInf, -gaussInf}, gaussNaN},
	}
	for _, tt := range tests {
		terms := make([]GaussianTerm, len(tt.kl))
		for i, x := range tt.kl {
			terms[i].KL = x
		}
		if got := gaussSum(terms); !gaussAlike(got, tt.want) {
			t.Errorf("gaussSum(%v) = %g, want %g", tt.kl, got, tt.want)
		}
	}
}

// Random inputs.

func gaussSign(rng *rand.Rand) float64 {
	if rng.IntN(2) == 0 {
		return -1
	}
	return 1
}

// gaussLogUniform returns 10^u for u uniform in [lo, hi).
func gaussLogUniform(rng *rand.Rand, lo, hi float64) float64 {
	return math.Pow(10, lo+(hi-lo)*rng.Float64())
}

// gaussRandomNormal returns a normal distribution with parameters spread over
// many orders of magnitude, mostly moderate ones.
func gaussRandomNormal(rng *rand.Rand) Normal {
	if rng.IntN(10) == 0 {
		return Normal{gaussSign(rng) * gaussLogUniform(rng, -300, 300), gaussLogUniform(rng, -300, 300)}
	}
	mu := 0.0
	if rng.IntN(5) != 0 {
		mu = gaussSign(rng) * gaussLogUniform(rng, -4, 4)
	}
	return Normal{mu, gaussLogUniform(rng, -4, 4)}
}

// gaussNear returns a distribution close to p: the hard case, in which the
// two parts of the formula nearly cancel.
func gaussNear(rng *rand.Rand, p Normal) Normal {
	q := p
	switch rng.IntN(4) {
	case 0: // a few ulps away
		for range 1 + rng.IntN(4) {
			q.Sigma = math.Nextafter(q.Sigma, gaussSign(rng)*gaussInf)
		}
	default:
		q.Sigma = p.Sigma * (1 + gaussSign(rng)*gaussLogUniform(rng, -15, -0.5))
	}
	switch rng.IntN(3) {
	case 0: // same mean
	case 1:
		q.Mu = p.Mu + gaussSign(rng)*p.Sigma*gaussLogUniform(rng, -15, -1)
	default:
		q.Mu = p.Mu + gaussSign(rng)*p.Sigma*gaussLogUniform(rng, -1, 1)
	}
	if rng.IntN(2) == 0 {
		p, q = q, p
	}
	return q
}

// Exact values with math/big.

// gaussExactKLNormal returns ½[r² + z² − 1 − ln r²] for r = σp/σq and
// z = (μp−μq)/σq, with 320-bit arithmetic. For distinct float64 scales
// |r − 1| ≳ 2⁻⁵³, so r² − 1 − ln r² ≳ 2⁻¹⁰⁵ and at most about 110 bits cancel,
// leaving over 200 correct bits.
func gaussExactKLNormal(p, q Normal) *big.Float {
	const prec = 320
	f := func(x float64) *big.Float { return new(big.Float).SetPrec(prec).SetFloat64(x) }
	r := new(big.Float).SetPrec(prec).Quo(f(p.Sigma), f(q.Sigma))
	r2 := new(big.Float).SetPrec(prec).Mul(r, r)
	z := new(big.Float).SetPrec(prec).Sub(f(p.Mu), f(q.Mu))
	z.Quo(z, f(q.Sigma))
	kl := new(big.Float).SetPrec(prec).Mul(z, z)
	kl.Add(kl, r2)
	kl.Sub(kl, f(1))
	kl.Sub(kl, gaussBigLog(r2, prec))
	return kl.Quo(kl, f(2))
}

// gaussExactVAE returns ½(μ² + eˣ − 1 − x) for x = logvar. eˣ − 1 − x ≈ x²/2
// cancels about 2·log₂(1/|x|) bits, so the precision grows with that.
func gaussExactVAE(mu, x float64) *big.Float {
	prec := uint(320)
	if x != 0 {
		if e := math.Ilogb(x); e < 0 {
			prec += uint(-2 * e)
		}
	}
	f := func(v float64) *big.Float { return new(big.Float).SetPrec(prec).SetFloat64(v) }
	kl := new(big.Float).SetPrec(prec).Mul(f(mu), f(mu))
	kl.Add(kl, gaussBigExp(f(x), prec))
	kl.Sub(kl, f(1))
	kl.Sub(kl, f(x))
	return kl.Quo(kl, f(2))
}

// gaussRelErr returns |got − exact| / max(|exact|, 2⁻¹⁰⁰⁰). The floor makes
// results at the bottom of the float64 range, where no relative accuracy is
// possible, count by absolute error: a 1e-12 bound then means an absolute
// error below 1e-313, and exact = 0 needs |got| ≤ 1e-313. An exact value
// beyond the float64 range must come out as +Inf.
func gaussRelErr(got float64, exact *big.Float) float64 {
	if ex, _ := exact.Float64(); math.IsInf(ex, 1) && math.IsInf(got, 1) {
		return 0
	}
	if math.IsNaN(got) || math.IsInf(got, 0) {
		return gaussInf
	}
	d := new(big.Float).SetPrec(exact.Prec()).SetFloat64(got)
	d.Sub(d, exact)
	den := new(big.Float).Abs(exact)
	if floor := big.NewFloat(0x1p-1000); den.Cmp(floor) < 0 {
		den = floor
	}
	d.Quo(d, den)
	v, _ := d.Float64()
	return math.Abs(v)
}

// gaussBigAtanh returns atanh(s) = s + s³/3 + s⁵/5 + … to prec bits, for
// |s| ≤ 1/3.
func gaussBigAtanh(s *big.Float, prec uint) *big.Float {
	sum := new(big.Float).SetPrec(prec).Set(s)
	if s.Sign() == 0 {
		return sum
	}
	s2 := new(big.Float).SetPrec(prec).Mul(s, s)
	pow := new(big.Float).SetPrec(prec).Set(s)
	term := new(big.Float).SetPrec(prec)
	for k := int64(3); ; k += 2 {
		pow.Mul(pow, s2)
		term.Quo(pow, new(big.Float).SetInt64(k))
		if term.Sign() == 0 || term.MantExp(nil) < sum.MantExp(nil)-int(prec)-8 {
			return sum
		}
		sum.Add(sum, term)
	}
}

const gaussBigMaxPrec = 4096

// gaussBigLn2 returns ln 2 = 2 atanh(1/3) to gaussBigMaxPrec bits.
var gaussBigLn2 = sync.OnceValue(func() *big.Float {
	const prec = gaussBigMaxPrec + 64
	third := new(big.Float).SetPrec(prec).Quo(big.NewFloat(1), big.NewFloat(3))
	ln2 := gaussBigAtanh(third, prec)
	return ln2.Mul(ln2, big.NewFloat(2))
})

// gaussBigLog returns ln x for x > 0 to about prec bits: x = m·2ᵉ with m in
// [1/√2, √2), ln x = e·ln 2 + 2 atanh((m−1)/(m+1)), |(m−1)/(m+1)| < 0.172.
func gaussBigLog(x *big.Float, prec uint) *big.Float {
	if x.Sign() <= 0 || prec > gaussBigMaxPrec {
		panic("gaussBigLog: bad argument")
	}
	wp := prec + 64
	m := new(big.Float).SetPrec(wp)
	e := x.MantExp(m) // m in [½, 1)
	if m.Cmp(big.NewFloat(math.Sqrt2/2)) < 0 {
		m.SetMantExp(m, 1)
		e--
	}
	one := big.NewFloat(1)
	num := new(big.Float).SetPrec(wp).Sub(m, one)
	den := new(big.Float).SetPrec(wp).Add(m, one)
	lnm := gaussBigAtanh(num.Quo(num, den), wp)
	lnm.Mul(lnm, big.NewFloat(2))
	res := new(big.Float).SetPrec(wp).Mul(gaussBigLn2(), new(big.Float).SetInt64(int64(e)))
	return res.Add(res, lnm).SetPrec(prec)
}

// gaussBigExp returns eˣ to about prec bits: x = k·ln 2 + r with |r| ≤ ln 2/2,
// then e^r = (e^(r/2¹⁶))^(2¹⁶) with the Taylor series for the inner power.
func gaussBigExp(x *big.Float, prec uint) *big.Float {
	if prec > gaussBigMaxPrec-128 {
		panic("gaussBigExp: precision too high")
	}
	const halvings = 16
	wp := prec + 64 + halvings
	ln2 := gaussBigLn2()
	kf := new(big.Float).SetPrec(wp).Quo(x, ln2)
	kf64, _ := kf.Float64()
	k := math.Round(kf64)
	r := new(big.Float).SetPrec(wp+64).Mul(ln2, big.NewFloat(k))
	r.Sub(x, r)
	r.SetPrec(wp)
	r.SetMantExp(r, -halvings)
	sum := new(big.Float).SetPrec(wp).SetInt64(1)
	term := new(big.Float).SetPrec(wp).SetInt64(1)
	for n := int64(1); ; n++ {
		term.Mul(term, r)
		term.Quo(term, new(big.Float).SetInt64(n))
		if term.Sign() == 0 || term.MantExp(nil) < -int(wp)-8 {
			break
		}
		sum.Add(sum, term)
	}
	for range halvings {
		sum.Mul(sum, sum)
	}
	return sum.SetMantExp(sum, int(k)).SetPrec(prec)
}

// TestGaussBigMath validates the math/big reference functions above against
// published constants, so that the accuracy tests measure KLNormal and
// VAEKL, not the reference.
func TestGaussBigMath(t *testing.T) {
	const prec = 256
	parse := func(s string) *big.Float {
		f, _, err := big.ParseFloat(s, 10, prec+64, big.ToNearestEven)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	check := func(name string, got, want *big.Float, digits int) {
		t.Helper()
		d := new(big.Float).SetPrec(prec+64).Sub(got, want)
		d.Quo(d, want)
		if v, _ := d.Float64(); math.Abs(v) > math.Pow(10, -float64(digits)) {
			t.Errorf("%s = %s, want %s", name, got.Text('g', digits+5), want.Text('g', digits+5))
		}
	}
	bf := func(x float64) *big.Float { return new(big.Float).SetPrec(prec).SetFloat64(x) }
	// Constants to 36 digits: OEIS A002162 (ln 2), A002391 (ln 3),
	// A002392 (ln 10), A001113 (e).
	check("ln 2", gaussBigLog(bf(2), prec), parse("0.693147180559945309417232121458176568"), 35)
	check("ln 3", gaussBigLog(bf(3), prec), parse("1.09861228866810969139524523692252570"), 35)
	check("ln 10", gaussBigLog(bf(10), prec), parse("2.30258509299404568401799145468436421"), 35)
	check("ln 0.1", gaussBigLog(bf(0.1), prec), new(big.Float).Neg(parse("2.30258509299404568401799145468436421")), 15)
	check("e", gaussBigExp(bf(1), prec), parse("2.71828182845904523536028747135266250"), 35)
	check("1/e", gaussBigExp(bf(-1), prec), parse("0.367879441171442321595523770161460867"), 35)
	// ln 1 = 0 exactly, and the functions invert each other to ~prec bits.
	if z := gaussBigLog(bf(1), prec); z.Sign() != 0 {
		t.Errorf("ln 1 = %s, want 0", z.Text('g', 20))
	}
	for _, x := range []float64{1e-300, 1e-9, 0.3, 1 + 0x1p-52, 2.5, 1e300, 1.7e308} {
		bx := bf(x)
		check("exp(ln x)", gaussBigExp(gaussBigLog(bx, prec), prec), bx, 70) // e^y is well conditioned in ln x
		if l, _ := gaussBigLog(bx, prec).Float64(); !gaussClose(l, math.Log(x), 0x1p-52) {
			t.Errorf("ln %g = %g, want %g (math.Log)", x, l, math.Log(x))
		}
	}
	// ln(e^x) loses log₁₀(1/|x|) digits for small x, as the accuracy tests
	// would; 256 bits leave 40 of them at x = 1e-30. (math.Exp on amd64
	// overflows from x ≈ 709.1, below the true limit 709.78, so the last
	// comparison stops at 709.)
	for _, x := range []float64{-745, -3.5, 1e-30, 0.7, 709} {
		bx := bf(x)
		check("ln(exp x)", gaussBigLog(gaussBigExp(bx, prec), prec), bx, 40)
		if e, _ := gaussBigExp(bx, prec).Float64(); !gaussClose(e, math.Exp(x), 0x1p-52) {
			t.Errorf("exp %g = %g, want %g (math.Exp)", x, e, math.Exp(x))
		}
	}
	if !strings.HasPrefix(gaussBigLn2().Text('f', 40), "0.6931471805599453094172321214581765680755") {
		t.Errorf("gaussBigLn2 = %s", gaussBigLn2().Text('f', 40))
	}
}
