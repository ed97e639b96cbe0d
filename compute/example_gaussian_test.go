package compute_test

import (
	"errors"
	"fmt"
	"math"

	"github.com/klcalc/klcalc/compute"
)

func ExampleKLNormal() {
	p := compute.Normal{Mu: 1, Sigma: 2}
	q := compute.Normal{Mu: 0, Sigma: 1}
	// torch.distributions.kl_divergence(Normal(1, 2), Normal(0, 1)) = 2 − ln 2.
	fmt.Println(compute.KLNormal(p, q))
	// The divergence is asymmetric: the reverse is ln 2 − ¼.
	fmt.Println(compute.KLNormal(q, p))
	fmt.Println(compute.KLNormal(p, p))

	// Scales a part in 10⁹ apart: KL ≈ (σp/σq − 1)² ≈ 1e-18. The formula as
	// written keeps only about half of these digits.
	near := compute.Normal{Mu: 0, Sigma: 1 + 1e-9}
	fmt.Printf("%.6g\n", compute.KLNormal(q, near))

	fmt.Println(compute.KLNormal(compute.Normal{Mu: 0, Sigma: -1}, q))
	fmt.Println(compute.KLNormal(compute.Normal{Mu: math.Inf(1), Sigma: 1}, q))
	// Output:
	// 1.3068528194400546
	// 0.4431471805599453
	// 0
	// 1e-18
	// NaN
	// +Inf
}

func ExampleVAEKL() {
	// Encoder outputs for a batch of two with two latent dimensions, as in
	// pytorch/examples vae/main.py: KLD = −½ Σ (1 + logvar − μ² − e^logvar).
	mu := [][]float64{{1, 0}, {0.5, -0.5}}
	logvar := [][]float64{{math.Log(4), 0}, {0, -1}}
	res, err := compute.VAEKL(mu, logvar)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("row col      μ   logvar  σ²=VarRatio  MeanTerm        KL")
	for _, t := range res.Terms {
		fmt.Printf("%3d %3d %6.3g %8.4g %12.6g %9.4g %9.6g\n",
			t.Row, t.Col, t.P.Mu, t.LogTerm, t.VarRatio, t.MeanTerm, t.KL)
	}
	// The total is summed over the batch too, not averaged.
	fmt.Printf("KLD = %.6g\n", res.Total)

	// Ragged input is an error that names the row.
	_, err = compute.VAEKL([][]float64{{0, 0}, {0}}, [][]float64{{0, 0}, {0}})
	fmt.Println(err)
	fmt.Println(errors.Is(err, compute.ErrGaussianLength))
	// Output:
	// row col      μ   logvar  σ²=VarRatio  MeanTerm        KL
	//   0   0      1    1.386            4         1   1.30685
	//   0   1      0        0            1         0         0
	//   1   0    0.5        0            1      0.25     0.125
	//   1   1   -0.5       -1     0.367879      0.25   0.30894
	// KLD = 1.74079
	// compute: VAEKL: row 1: len(mu[1]) = 1, want 2 as in row 0: dimension mismatch
	// true
}

func ExampleKLDiagNormal() {
	// torch Independent(Normal(loc, scale), 1): the sum over dimensions.
	p := []compute.Normal{{Mu: 1, Sigma: 2}, {Mu: 0, Sigma: 1}}
	q := []compute.Normal{{Mu: 0, Sigma: 1}, {Mu: 0, Sigma: 2}}
	res, err := compute.KLDiagNormal(p, q)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, t := range res.Terms {
		fmt.Printf("dim %d: KL(N(%g, %g²) ‖ N(%g, %g²)) = %.6g\n", t.Index, t.P.Mu, t.P.Sigma, t.Q.Mu, t.Q.Sigma, t.KL)
	}
	fmt.Printf("total = %.6g\n", res.Total)

	// torch raises ValueError for a scale ≤ 0; KLDiagNormal returns an error.
	_, err = compute.KLDiagNormal(p, []compute.Normal{{Mu: 0, Sigma: 1}, {Mu: 0, Sigma: 0}})
	fmt.Println(err)
	// Output:
	// dim 0: KL(N(1, 2²) ‖ N(0, 1²)) = 1.30685
	// dim 1: KL(N(0, 1²) ‖ N(0, 2²)) = 0.318147
	// total = 1.625
	// compute: KLDiagNormal: q[1].Sigma = 0: scale must be positive
}
