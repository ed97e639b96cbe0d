package app

// The Gaussian mode: the KL divergence between normal distributions, in
// closed form, as torch.distributions.kl_divergence computes it, and the
// regulariser of a variational autoencoder. This file holds the state and
// its share-link keys (DecodeState in state.go reads them); gauss_parse.go
// reads the numbers, gauss_compute.go computes, gauss_snippet.go writes the
// PyTorch code, i18n_gauss.go the texts, gaussview.go draws the mode and
// gaussplot.go plots the densities.

import (
	"fmt"
	"strings"
)

// gaussCase is what the Gaussian mode compares.
type gaussCase int

const (
	gaussNormal gaussCase = iota // univariate: N(μ₁, σ₁²) ‖ N(μ₂, σ₂²)
	gaussDiag                    // diagonal multivariate: Independent(Normal(μ, σ), 1), vectors of equal length
	gaussVAE                     // VAE regulariser: rows of μ and log σ² against N(0, I), summed
)

var gaussCaseNames = [...]string{gaussNormal: "normal", gaussDiag: "diag", gaussVAE: "vae"}

// gaussCases lists every case, in the order the selector shows them.
func gaussCases() []gaussCase { return []gaussCase{gaussNormal, gaussDiag, gaussVAE} }

// String returns the case's name in the URL: "normal", "diag" or "vae".
func (c gaussCase) String() string {
	if c >= 0 && int(c) < len(gaussCaseNames) {
		return gaussCaseNames[c]
	}
	return fmt.Sprintf("gaussCase(%d)", int(c))
}

// parseGaussCase reads a name written by String.
func parseGaussCase(s string) (gaussCase, bool) {
	for _, c := range gaussCases() {
		if s == c.String() {
			return c, true
		}
	}
	return gaussNormal, false
}

// GaussState is everything the Gaussian mode shows, and everything its
// share link holds. Fields keep the text the user typed.
type GaussState struct {
	Case gaussCase

	// Parameters of p = N(μ₁, σ₁²) and q = N(μ₂, σ₂²): one number each for
	// gaussNormal, comma-separated lists of equal length for gaussDiag.
	// σ is the standard deviation (PyTorch's scale), not the variance.
	Mu1, Sigma1, Mu2, Sigma2 string

	// Encoder outputs for gaussVAE, parsed with textparse.Parse: rows
	// (the batch) separated by ';' or line breaks, values (the latent
	// dimensions) by ','.
	Mu, LogVar string
}

// Default texts of each case. The univariate default is docs/kl_div.md §7
// row 29: KL(N(1, 2²) ‖ N(0, 1)) = 1.3068528194400546, which is also the
// VAE term of μ = 1, log σ² = ln 4 (the first element of the VAE default).
const (
	gaussDefaultMu1, gaussDefaultSigma1, gaussDefaultMu2, gaussDefaultSigma2 = "1", "2", "0", "1"

	gaussDiagMu1, gaussDiagSigma1, gaussDiagMu2, gaussDiagSigma2 = "1,0,-1", "2,1,0.5", "0,0,0", "1,1,1"

	gaussDefaultMu     = "1,0\n0.5,-0.5"
	gaussDefaultLogVar = "1.3862943611198906,0\n-1,0.5"
)

// defaultGauss is the state of a link without Gaussian keys: the
// univariate default, with the VAE fields ready for a switch of case.
func defaultGauss() GaussState { return gaussDefaults(gaussNormal) }

// gaussDefaults is the default state of a case.
func gaussDefaults(c gaussCase) GaussState {
	g := GaussState{
		Case: c,
		Mu1:  gaussDefaultMu1, Sigma1: gaussDefaultSigma1, Mu2: gaussDefaultMu2, Sigma2: gaussDefaultSigma2,
		Mu: gaussDefaultMu, LogVar: gaussDefaultLogVar,
	}
	if c == gaussDiag {
		g.Mu1, g.Sigma1, g.Mu2, g.Sigma2 = gaussDiagMu1, gaussDiagSigma1, gaussDiagMu2, gaussDiagSigma2
	}
	return g
}

// withCase switches to case c. Untouched defaults are replaced by the new
// case's defaults, so that the diagonal case opens on vectors; text the
// user typed is kept (a univariate text is a valid one-dimensional vector).
func (g GaussState) withCase(c gaussCase) GaussState {
	if c != gaussVAE {
		for _, d := range []GaussState{gaussDefaults(gaussNormal), gaussDefaults(gaussDiag)} {
			if g.Mu1 == d.Mu1 && g.Sigma1 == d.Sigma1 && g.Mu2 == d.Mu2 && g.Sigma2 == d.Sigma2 {
				n := gaussDefaults(c)
				g.Mu1, g.Sigma1, g.Mu2, g.Sigma2 = n.Mu1, n.Sigma1, n.Mu2, n.Sigma2
				break
			}
		}
	}
	g.Case = c
	return g
}

// withField sets the text of field f.
func (g GaussState) withField(f gaussField, text string) GaussState {
	switch f {
	case gaussFieldMu1:
		g.Mu1 = text
	case gaussFieldSigma1:
		g.Sigma1 = text
	case gaussFieldMu2:
		g.Mu2 = text
	case gaussFieldSigma2:
		g.Sigma2 = text
	case gaussFieldMu:
		g.Mu = text
	case gaussFieldLogVar:
		g.LogVar = text
	}
	return g
}

// Share-link keys of the Gaussian mode (the README copies this list). The
// calculator writes mode=gauss first; then come
//
//	g=normal|diag|vae   the case; default normal
//	mu1, s1, mu2, s2    μ₁, σ₁, μ₂, σ₂ of p = N(μ₁, σ₁²) and q = N(μ₂, σ₂²)
//	                    (g=normal and g=diag); values separated by ','
//	mu, logvar          the VAE encoder outputs μ and log σ² (g=vae);
//	                    rows separated by ';', values by ','
//
// for example #mode=gauss&g=normal&mu1=1&s1=2&mu2=0&s2=1 or
// #mode=gauss&g=vae&mu=1,0;0.5,-0.5&logvar=1.3862943611198906,0;-1,0.5.
// Only the keys of the chosen case are written; a missing key takes the
// case's default. Values are the text as typed, percent-encoded as in the
// p and q keys (letters, digits, "+-._~" and the separators stay readable):
// in mu and logvar a line break is written ';' and a literal ';' is %3B.
const (
	keyGaussCase   = "g"
	keyGaussMu1    = "mu1"
	keyGaussSigma1 = "s1"
	keyGaussMu2    = "mu2"
	keyGaussSigma2 = "s2"
	keyGaussMu     = "mu"
	keyGaussLogVar = "logvar"
)

// encode writes the state's part of a URL fragment, without mode= and
// without '#', e.g. "g=normal&mu1=1&s1=2&mu2=0&s2=1".
func (g GaussState) encode() string {
	parts := []string{keyGaussCase + "=" + g.Case.String()}
	if g.Case == gaussVAE {
		parts = append(parts,
			keyGaussMu+"="+escapeGaussText(g.Mu, true),
			keyGaussLogVar+"="+escapeGaussText(g.LogVar, true))
	} else {
		parts = append(parts,
			keyGaussMu1+"="+escapeGaussText(g.Mu1, false),
			keyGaussSigma1+"="+escapeGaussText(g.Sigma1, false),
			keyGaussMu2+"="+escapeGaussText(g.Mu2, false),
			keyGaussSigma2+"="+escapeGaussText(g.Sigma2, false))
	}
	return strings.Join(parts, "&")
}

// escapeGaussText percent-encodes a field's text with escapeCell, keeping
// ',' as it is and, for a matrix, writing line breaks as ';'.
func escapeGaussText(s string, matrix bool) string {
	lines := []string{s}
	if matrix {
		lines = strings.Split(s, "\n")
	}
	for i, l := range lines {
		vals := strings.Split(l, ",")
		for j, v := range vals {
			vals[j] = escapeCell(v)
		}
		lines[i] = strings.Join(vals, ",")
	}
	return strings.Join(lines, ";")
}

// unescapeGaussText reverses escapeGaussText. Malformed escapes are kept as
// text, and the field then reports an invalid number.
func unescapeGaussText(v string, matrix bool) string {
	if matrix {
		v = strings.ReplaceAll(v, ";", "\n")
	}
	return unescape(v)
}

// gaussField is an input of the Gaussian mode.
type gaussField int

const (
	gaussFieldMu1 gaussField = iota
	gaussFieldSigma1
	gaussFieldMu2
	gaussFieldSigma2
	gaussFieldMu
	gaussFieldLogVar
)

// gaussFieldNames are the fields' symbols, the same in every language.
var gaussFieldNames = [...]string{
	gaussFieldMu1: "μ₁", gaussFieldSigma1: "σ₁", gaussFieldMu2: "μ₂", gaussFieldSigma2: "σ₂",
	gaussFieldMu: "μ", gaussFieldLogVar: "log σ²",
}

func (f gaussField) String() string {
	if f >= 0 && int(f) < len(gaussFieldNames) {
		return gaussFieldNames[f]
	}
	return fmt.Sprintf("gaussField(%d)", int(f))
}
