package compute

import (
	"errors"
	"fmt"
	"math"
)

// Errors returned by KLDiagNormal and VAEKL. They are wrapped with the
// function name and the offending index or row; test for them with errors.Is.
var (
	ErrGaussianEmpty  = errors.New("no dimensions")          // nothing to sum over
	ErrGaussianLength = errors.New("dimension mismatch")     // p and q, or mu and logvar, differ in shape
	ErrGaussianScale  = errors.New("scale must be positive") // σ ≤ 0 or NaN (torch: ValueError)
	ErrGaussianLoc    = errors.New("loc must not be NaN")    // μ is NaN (torch: ValueError)
)

// Normal is a univariate normal distribution N(Mu, Sigma²); Sigma is the
// standard deviation, not the variance.
type Normal struct{ Mu, Sigma float64 }

// GaussianTerm is one dimension of a diagonal Gaussian KL divergence: the
// pieces of the closed form, so that a caller can show the working.
type GaussianTerm struct {
	Index    int     // position in the flattened input (row*latent + col for VAEKL)
	Row, Col int     // VAEKL: batch row and latent column; KLDiagNormal: 0 and Index
	P, Q     Normal  // the two distributions of this dimension
	VarRatio float64 // (σp/σq)²
	MeanTerm float64 // ((μp−μq)/σq)²
	LogTerm  float64 // ln((σp/σq)²)
	KL       float64 // ½(VarRatio + MeanTerm − 1 − LogTerm), computed accurately
}

// GaussianResult is a diagonal Gaussian KL divergence with its breakdown.
type GaussianResult struct {
	Terms []GaussianTerm
	Total float64 // compensated (Neumaier) sum of Terms[i].KL, in nats
}

// KLNormal returns the Kullback-Leibler divergence KL(p‖q), in nats, between
// the univariate normal distributions p and q, as
// torch.distributions.kl_divergence computes it for two Normal distributions
// (_kl_normal_normal):
//
//	KL(p‖q) = ½[(σp/σq)² + ((μp−μq)/σq)² − 1 − ln((σp/σq)²)]
//
// The divergence is asymmetric: KLNormal(p, q) ≠ KLNormal(q, p) unless
// σp = σq. The result stays accurate to a few ulps when p and q are nearly
// equal, where evaluating the formula as written loses up to every digit.
//
// Special cases are:
//
//	KLNormal(p, q) = NaN if any parameter is NaN
//	KLNormal(p, q) = NaN if p.Sigma ≤ 0 or q.Sigma ≤ 0
//	KLNormal(p, q) = NaN if p.Mu and q.Mu are the same infinity
//	KLNormal(p, q) = NaN if p.Sigma = q.Sigma = +Inf
//	KLNormal(p, q) = +Inf if, otherwise, any parameter is infinite
//	KLNormal(p, p) = 0 if p is finite and p.Sigma > 0
//
// PyTorch raises ValueError where the second row gives NaN (so does
// KLDiagNormal). The NaN rows are the ones where μp−μq or σp/σq has no
// value. In the +Inf row the formula splits into two non-negative parts,
// (σp/σq)² − 1 − ln((σp/σq)²) and ((μp−μq)/σq)², and one of them is +Inf.
// There PyTorch's expression gives NaN (∞ − ∞, or ∞/∞) for p.Sigma = +Inf,
// and for q.Sigma = +Inf with an infinite mean, but +Inf is the limit.
func KLNormal(p, q Normal) float64 {
	return normalTerm(p, q).KL
}

// normalTerm fills in every field of a GaussianTerm except the indices.
func normalTerm(p, q Normal) GaussianTerm {
	t := GaussianTerm{P: p, Q: q}
	r := p.Sigma / q.Sigma
	z := (p.Mu - q.Mu) / q.Sigma
	t.VarRatio = r * r
	t.MeanTerm = z * z
	t.LogTerm = math.Log(t.VarRatio)

	// special cases
	switch {
	case math.IsNaN(p.Mu) || math.IsNaN(p.Sigma) || math.IsNaN(q.Mu) || math.IsNaN(q.Sigma):
		t.KL = math.NaN()
		return t
	case p.Sigma <= 0 || q.Sigma <= 0:
		t.KL = math.NaN()
		return t
	case math.IsInf(p.Mu, 0) && p.Mu == q.Mu: // μp−μq = ∞−∞
		t.KL = math.NaN()
		return t
	case math.IsInf(p.Sigma, 1) && math.IsInf(q.Sigma, 1): // σp/σq = ∞/∞
		t.KL = math.NaN()
		return t
	case math.IsInf(p.Mu, 0) || math.IsInf(q.Mu, 0) || math.IsInf(p.Sigma, 1) || math.IsInf(q.Sigma, 1):
		t.KL = math.Inf(1)
		return t
	}

	if d := p.Mu - q.Mu; math.IsInf(d, 0) {
		// The difference of two finite means overflowed; halving is exact
		// at this magnitude, and z itself may still be finite.
		z = (p.Mu/2 - q.Mu/2) / q.Sigma * 2
	}
	half, logTerm := normalVarHalf(p.Sigma, q.Sigma)
	t.LogTerm = logTerm
	// (½z)·z rather than ½(z·z): z² can overflow while ½z² does not.
	t.KL = half + (0.5*z)*z
	return t
}

// normalVarHalf returns ½[(σp/σq)² − 1 − ln((σp/σq)²)] and ln((σp/σq)²) for
// finite positive σp, σq.
func normalVarHalf(sp, sq float64) (half, logTerm float64) {
	// With r = σp/σq and w = (r−1)/(r+1) = (σp−σq)/(σp+σq):
	//	r² − 1 = 4w/(1−w)²
	//	ln r²  = 4 atanh(w) = 4(w + w³/3 + w⁵/5 + …)
	// so the variance part is
	//	r² − 1 − ln r² = 4[w²(2−w)/(1−w)² − w³(1/3 + w²/5 + w⁴/7 + …)]
	// in which nothing cancels: the series is at most |w|/6 of the first
	// term, and adds to it when w < 0. Near r = 1 the formula as written
	// subtracts two numbers that agree in all but the last few bits
	// (and so does r²−1 − log1p(r²−1), whose result is ≈ (r²−1)²/2, far
	// below the rounding error of log1p).
	num, den := sp-sq, sp+sq
	if math.IsInf(den, 1) {
		num, den = sp/2-sq/2, sp/2+sq/2 // exact at this magnitude
	}
	w := num / den // σp−σq is exact (Sterbenz) whenever |w| ≤ 1/3
	if math.Abs(w) <= 0.125 {
		y := w * w
		// s = Σ_{k≥1} y^(k−1)/(2k+1); with y ≤ 1/64, ten terms reach
		// far below double precision.
		var s float64
		for k := 10; k >= 1; k-- {
			s = s*y + 1/float64(2*k+1)
		}
		ws := w * y * s
		logTerm = 4 * (w + ws)
		half = 2 * (y*(2-w)/((1-w)*(1-w)) - ws)
		return half, logTerm
	}

	// Away from r = 1 the terms differ by a factor of at most about 12, so
	// the formula as written is accurate. Take ln r from the quotient when
	// it is a normal number (one rounding), and from the two logarithms
	// when the quotient over- or underflowed (then |ln r| > 708 and their
	// rounding errors do not matter).
	r := sp / sq
	var lr float64
	if r >= 0x1p-1022 && r <= math.MaxFloat64 {
		lr = math.Log(r)
	} else {
		lr = math.Log(sp) - math.Log(sq)
	}
	return (0.5*r)*r - 0.5 - lr, 2 * lr
}

// KLDiagNormal returns the Kullback-Leibler divergence KL(p‖q), in nats,
// between the multivariate normal distributions with diagonal covariance
// whose dimension i is p[i] and q[i], as torch.distributions.kl_divergence
// computes it for Independent(Normal(loc, scale), 1):
//
//	KL(p‖q) = Σ_i KLNormal(p[i], q[i])
//
// Each term is computed as by KLNormal and the terms are added with
// compensated summation. Term i has Index i, Row 0 and Col i.
//
// KLDiagNormal returns an error wrapping ErrGaussianEmpty if p is empty,
// ErrGaussianLength if len(p) ≠ len(q), ErrGaussianScale if some σ is NaN or
// ≤ 0, and ErrGaussianLoc if some μ is NaN: PyTorch's argument validation
// raises ValueError for the last two. Infinite parameters are accepted, as
// PyTorch accepts them, and give the special values listed for KLNormal.
func KLDiagNormal(p, q []Normal) (GaussianResult, error) {
	if len(p) != len(q) {
		return GaussianResult{}, fmt.Errorf("compute: KLDiagNormal: len(p) = %d, len(q) = %d: %w", len(p), len(q), ErrGaussianLength)
	}
	if len(p) == 0 {
		return GaussianResult{}, fmt.Errorf("compute: KLDiagNormal: %w", ErrGaussianEmpty)
	}
	for i := range p {
		if err := checkNormal("p", i, p[i]); err != nil {
			return GaussianResult{}, err
		}
		if err := checkNormal("q", i, q[i]); err != nil {
			return GaussianResult{}, err
		}
	}
	terms := make([]GaussianTerm, len(p))
	for i := range p {
		terms[i] = normalTerm(p[i], q[i])
		terms[i].Index, terms[i].Col = i, i
	}
	return GaussianResult{Terms: terms, Total: gaussSum(terms)}, nil
}

// checkNormal applies torch's constraints: loc is real (not NaN), scale is
// positive (> 0, so NaN fails too).
func checkNormal(name string, i int, n Normal) error {
	if !(n.Sigma > 0) {
		return fmt.Errorf("compute: KLDiagNormal: %s[%d].Sigma = %g: %w", name, i, n.Sigma, ErrGaussianScale)
	}
	if math.IsNaN(n.Mu) {
		return fmt.Errorf("compute: KLDiagNormal: %s[%d].Mu = %g: %w", name, i, n.Mu, ErrGaussianLoc)
	}
	return nil
}

// VAEKL returns the Kullback-Leibler regulariser of a variational
// autoencoder, in nats, as pytorch/examples vae/main.py computes it from the
// encoder outputs mu and logvar, whose rows are the batch and whose columns
// are the latent dimensions:
//
//	KLD = −½ Σ_rows Σ_cols (1 + logvar − μ² − exp(logvar))
//
// Element (i, j) is KL(N(μ, σ²) ‖ N(0, 1)) with σ² = exp(logvar), so its
// term has P = Normal{μ, exp(logvar/2)}, Q = Normal{0, 1}, Index
// i*len(mu[0]) + j, Row i and Col j. The total is a sum over both the batch
// and the latent dimensions, not a mean.
//
// Special cases are, for each element:
//
//	KL = NaN if μ or logvar is NaN
//	KL = +Inf if, otherwise, μ or logvar is ±Inf
//
// For logvar = +Inf the PyTorch expression evaluates ∞ − ∞ = NaN; +Inf is
// its limit. Values are not otherwise checked, as the PyTorch code does not
// check them. VAEKL returns an error wrapping ErrGaussianEmpty if mu has no
// rows or its first row is empty, and ErrGaussianLength, naming the row, if
// logvar has a different shape or the rows differ in length.
func VAEKL(mu, logvar [][]float64) (GaussianResult, error) {
	if len(mu) != len(logvar) {
		return GaussianResult{}, fmt.Errorf("compute: VAEKL: len(mu) = %d rows, len(logvar) = %d rows: %w", len(mu), len(logvar), ErrGaussianLength)
	}
	if len(mu) == 0 {
		return GaussianResult{}, fmt.Errorf("compute: VAEKL: no rows: %w", ErrGaussianEmpty)
	}
	latent := len(mu[0])
	if latent == 0 {
		return GaussianResult{}, fmt.Errorf("compute: VAEKL: row 0: no latent dimensions: %w", ErrGaussianEmpty)
	}
	for i := range mu {
		if len(mu[i]) != latent {
			return GaussianResult{}, fmt.Errorf("compute: VAEKL: row %d: len(mu[%d]) = %d, want %d as in row 0: %w", i, i, len(mu[i]), latent, ErrGaussianLength)
		}
		if len(logvar[i]) != latent {
			return GaussianResult{}, fmt.Errorf("compute: VAEKL: row %d: len(logvar[%d]) = %d, want %d as in mu: %w", i, i, len(logvar[i]), latent, ErrGaussianLength)
		}
	}
	terms := make([]GaussianTerm, 0, len(mu)*latent)
	for i := range mu {
		for j := range latent {
			t := vaeTerm(mu[i][j], logvar[i][j])
			t.Index, t.Row, t.Col = i*latent+j, i, j
			terms = append(terms, t)
		}
	}
	return GaussianResult{Terms: terms, Total: gaussSum(terms)}, nil
}

// vaeTerm returns KL(N(mu, exp(lv)) ‖ N(0, 1)) with its breakdown.
func vaeTerm(mu, lv float64) GaussianTerm {
	sigma := math.Exp(lv / 2)
	t := GaussianTerm{
		P:        Normal{Mu: mu, Sigma: sigma},
		Q:        Normal{Mu: 0, Sigma: 1},
		VarRatio: math.Exp(lv),
		MeanTerm: mu * mu,
		LogTerm:  lv,
	}
	if lv > 700 {
		// math.Exp overflows early on some platforms (amd64: from about
		// 709.1, not 709.78), and the value shown must not depend on it.
		t.VarRatio = sigma * sigma
	}
	// special cases
	switch {
	case math.IsNaN(mu) || math.IsNaN(lv):
		t.KL = math.NaN()
	case math.IsInf(mu, 0) || math.IsInf(lv, 0):
		t.KL = math.Inf(1)
	default:
		t.KL = expm1MinusHalf(lv) + (0.5*mu)*mu
	}
	return t
}

// expm1MinusHalf returns ½(eˣ − 1 − x) for finite x.
func expm1MinusHalf(x float64) float64 {
	switch {
	case math.Abs(x) <= 0.5:
		// expm1(x) − x ≈ x²/2 cancels just as r²−1 − ln r² does, so sum
		// the Taylor series instead:
		//	eˣ − 1 − x = x²/2 · (1 + x/3·(1 + x/4·(1 + x/5·(…))))
		// Through x¹⁷/17! the truncation is below 2⁻⁶⁰ relative.
		s := 1.0
		for n := 17; n >= 3; n-- {
			s = 1 + x/float64(n)*s
		}
		return (0.25 * x) * x * s
	case x > 700:
		// eˣ overflows beyond x ≈ 709.78 but ½eˣ only beyond 710.48.
		e := math.Exp(x / 2)
		return (0.5*e)*e - 0.5*(1+x)
	}
	// For |x| > ½ the two terms differ by a factor of at most about 5.
	return 0.5 * (math.Expm1(x) - x)
}

// gaussSum returns the sum of terms[i].KL by Neumaier's compensated
// summation. An infinite or NaN sum is returned as is: the compensation
// would turn ∞ into NaN.
func gaussSum(terms []GaussianTerm) float64 {
	var sum, c float64
	for _, t := range terms {
		x := t.KL
		s := sum + x
		if math.Abs(sum) >= math.Abs(x) {
			c += (sum - s) + x
		} else {
			c += (x - s) + sum
		}
		sum = s
	}
	if math.IsInf(sum, 0) || math.IsNaN(sum) {
		return sum
	}
	return sum + c
}
