package app

import (
	"errors"
	"fmt"
	"math"

	"github.com/klcalc/klcalc/compute"
)

// compute computes the divergence of the parsed input with its breakdown,
// in nats. compute's refusal of a parameter (σ ≤ 0, μ NaN) becomes a
// GaussError naming it, as parse names the others.
func (in gaussInput) compute() (compute.GaussianResult, error) {
	if in.c == gaussVAE {
		r, err := compute.VAEKL(in.mu, in.logvar)
		if err != nil { // parse checked the shapes; this is a bug
			return r, fmt.Errorf("internal error: %w", err)
		}
		return r, nil
	}
	r, err := compute.KLDiagNormal(in.p, in.q)
	if err == nil {
		return r, nil
	}
	// Name the parameter compute refused, checking in compute's order.
	for i := range in.p {
		for _, c := range []struct {
			f gaussField
			x float64
			e error
		}{
			{gaussFieldSigma1, in.p[i].Sigma, compute.ErrGaussianScale},
			{gaussFieldMu1, in.p[i].Mu, compute.ErrGaussianLoc},
			{gaussFieldSigma2, in.q[i].Sigma, compute.ErrGaussianScale},
			{gaussFieldMu2, in.q[i].Mu, compute.ErrGaussianLoc},
		} {
			bad := c.e == compute.ErrGaussianScale && !(c.x > 0) || c.e == compute.ErrGaussianLoc && math.IsNaN(c.x)
			if !bad || !errors.Is(err, c.e) {
				continue
			}
			ge := GaussError{Code: gaussErrLoc, Field: c.f, Err: err}
			if in.c == gaussDiag {
				ge.At.I = i + 1
			}
			if c.e == compute.ErrGaussianScale {
				ge.Code, ge.Value = gaussErrScale, c.x
			}
			return r, ge
		}
	}
	return r, err
}
