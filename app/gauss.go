package app

// The Gaussian mode: the KL divergence between normal distributions, in
// closed form, as torch.distributions.kl_divergence computes it, and the
// regulariser of a variational autoencoder. This file holds the state, its
// share-link codec, the glue to compute, the PyTorch snippet and the
// texts; gaussview.go draws it and gaussplot.go plots the densities.

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/klcalc/klcalc/compute"
	"github.com/klcalc/klcalc/compute/textparse"
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

// decodeGauss reads the Gaussian keys of a fragment written by encode (or
// by hand); other keys, mode= included, are left to DecodeState. Missing
// keys take the defaults of the case. Like DecodeState, it returns the
// state it could read together with an error wrapping ErrURL that
// describes the first problem. Numbers are not validated here: compute
// reports them by field and position.
func decodeGauss(fragment string) (GaussState, error) {
	g := defaultGauss()
	fragment = strings.TrimPrefix(fragment, "#")
	if len(fragment) > maxFragment {
		return g, fmt.Errorf("the link is %d bytes, more than the %d this calculator reads: %w", len(fragment), maxFragment, ErrURL)
	}
	var errs []error
	vals := map[string]string{}
	for _, part := range strings.Split(fragment, "&") {
		k, v, _ := strings.Cut(part, "=")
		switch k {
		case keyGaussCase, keyGaussMu1, keyGaussSigma1, keyGaussMu2, keyGaussSigma2, keyGaussMu, keyGaussLogVar:
		default:
			continue
		}
		if _, dup := vals[k]; dup {
			errs = append(errs, fmt.Errorf("key %q appears twice; the first is used: %w", k, ErrURL))
			continue
		}
		vals[k] = v
	}
	if v, ok := vals[keyGaussCase]; ok {
		c, ok := parseGaussCase(unescape(v))
		if !ok {
			errs = append(errs, fmt.Errorf("%s: must be normal, diag or vae, not %q (%w)", keyGaussCase, short(unescape(v)), ErrURL))
		}
		g = gaussDefaults(c)
	}
	for _, f := range []struct {
		key    string
		dst    *string
		matrix bool
	}{
		{keyGaussMu1, &g.Mu1, false}, {keyGaussSigma1, &g.Sigma1, false},
		{keyGaussMu2, &g.Mu2, false}, {keyGaussSigma2, &g.Sigma2, false},
		{keyGaussMu, &g.Mu, true}, {keyGaussLogVar, &g.LogVar, true},
	} {
		v, ok := vals[f.key]
		if !ok {
			continue
		}
		if n := strings.Count(v, ",") + strings.Count(v, ";") + 1; n > maxCells {
			errs = append(errs, fmt.Errorf("%s: more than %d values (%w)", f.key, maxCells, ErrURL))
			*f.dst = ""
			continue
		}
		*f.dst = unescapeGaussText(v, f.matrix)
	}
	if len(errs) > 0 {
		return g, errs[0]
	}
	return g, nil
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

// Errors of the Gaussian mode's input, besides compute's ErrGaussianScale,
// ErrGaussianLoc and ErrGaussianLength and its *textparse.Error.
var (
	errGaussEmpty     = errors.New("empty")
	errGaussNotNumber = errors.New("not a number")
	errGaussSingle    = errors.New("more than one number")
	errGaussNotList   = errors.New("not a list")
)

// GaussError is an invalid input of the Gaussian mode, naming the field and
// the position. Err is errGaussEmpty, errGaussNotNumber, errGaussSingle,
// errGaussNotList, a *textparse.Error, or an error from compute wrapping
// ErrGaussianScale, ErrGaussianLoc or ErrGaussianLength; test with errors.Is.
type GaussError struct {
	Field gaussField
	Err   error
	text  func(l lang) string // the message in language l
}

// Error returns the message in English, such as
// `σ₁ value 2: "abc" is not a number`.
func (e *GaussError) Error() string { return e.text(langEN) }

func (e *GaussError) Unwrap() error { return e.Err }

// message returns the message in language l.
func (e *GaussError) message(l lang) string { return e.text(l) }

// gaussErr builds a GaussError whose message text formats from the
// strings of the language asked for.
func gaussErr(f gaussField, err error, text func(t *gaussText) string) *GaussError {
	return &GaussError{Field: f, Err: err, text: func(l lang) string { return text(gaussTexts(l)) }}
}

// gaussPos names a value of a field: "σ₁" for a single number (i = 0),
// "σ₁ value 2" in a list, "μ row 1, column 2" in a matrix (row > 0).
type gaussPos struct {
	f        gaussField
	i        int // 1-based value of a list, or 0
	row, col int // 1-based position in a matrix, or 0
}

func (p gaussPos) text(t *gaussText) string {
	switch {
	case p.row > 0:
		return fmt.Sprintf(t.FieldRowCol, p.f, p.row, p.col)
	case p.i > 0:
		return fmt.Sprintf(t.FieldValue, p.f, p.i)
	}
	return p.f.String()
}

// gaussMessages formats err, which may join several errors, in language
// l: one message per error.
func gaussMessages(l lang, err error) []string {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var msgs []string
		for _, e := range j.Unwrap() {
			msgs = append(msgs, gaussMessages(l, e)...)
		}
		return msgs
	}
	var ge *GaussError
	if errors.As(err, &ge) {
		return []string{ge.message(l)}
	}
	return []string{err.Error()}
}

// gaussInput is a state's parsed numbers.
type gaussInput struct {
	c          gaussCase
	p, q       []compute.Normal // gaussNormal (one each) and gaussDiag
	mu, logvar [][]float64      // gaussVAE
}

// compute parses the state and computes the divergence with its
// breakdown, in nats.
func (g GaussState) compute() (compute.GaussianResult, error) {
	in, err := g.parse()
	if err != nil {
		return compute.GaussianResult{}, err
	}
	return in.compute()
}

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
			pos := gaussPos{f: c.f}
			if in.c == gaussDiag {
				pos.i = i + 1
			}
			x := c.x
			if c.e == compute.ErrGaussianScale {
				return r, gaussErr(c.f, err, func(t *gaussText) string {
					return fmt.Sprintf(t.ErrScale, pos.text(t), show(x))
				})
			}
			return r, gaussErr(c.f, err, func(t *gaussText) string { return fmt.Sprintf(t.ErrLoc, pos.text(t)) })
		}
	}
	return r, err
}

// parse reads the numbers of the state's case. Every field is parsed and
// every field's first error is returned, joined.
func (g GaussState) parse() (gaussInput, error) {
	in := gaussInput{c: g.Case}
	if g.Case == gaussVAE {
		mu, err1 := parseGaussMatrix(gaussFieldMu, g.Mu)
		lv, err2 := parseGaussMatrix(gaussFieldLogVar, g.LogVar)
		if err := errors.Join(err1, err2); err != nil {
			return in, err
		}
		if len(mu) != len(lv) || len(mu[0]) != len(lv[0]) {
			ms, ls := gaussShape(mu), gaussShape(lv)
			return in, gaussErr(gaussFieldLogVar, compute.ErrGaussianLength, func(t *gaussText) string {
				return fmt.Sprintf(t.ErrShape, ms, ls)
			})
		}
		in.mu, in.logvar = mu, lv
		return in, nil
	}
	fields := [4]struct {
		f    gaussField
		text string
	}{{gaussFieldMu1, g.Mu1}, {gaussFieldSigma1, g.Sigma1}, {gaussFieldMu2, g.Mu2}, {gaussFieldSigma2, g.Sigma2}}
	var vals [4][]float64
	var errs []error
	for i, f := range fields {
		var err error
		if g.Case == gaussNormal {
			var x float64
			x, err = parseGaussScalar(f.f, f.text)
			vals[i] = []float64{x}
		} else {
			vals[i], err = parseGaussList(f.f, f.text)
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return in, errors.Join(errs...)
	}
	for i := 1; i < 4; i++ {
		if n, n0 := len(vals[i]), len(vals[0]); n != n0 {
			f, f0 := fields[i].f, fields[0].f
			errs = append(errs, gaussErr(f, compute.ErrGaussianLength, func(t *gaussText) string {
				return fmt.Sprintf(t.ErrLength, f, n, f0, n0)
			}))
		}
	}
	if len(errs) > 0 {
		return in, errors.Join(errs...)
	}
	in.p, in.q = make([]compute.Normal, len(vals[0])), make([]compute.Normal, len(vals[0]))
	for i := range in.p {
		in.p[i] = compute.Normal{Mu: vals[0][i], Sigma: vals[1][i]}
		in.q[i] = compute.Normal{Mu: vals[2][i], Sigma: vals[3][i]}
	}
	return in, nil
}

// gaussShape spells a matrix's shape as PyTorch prints it: (2, 3).
func gaussShape(m [][]float64) string { return fmt.Sprintf("(%d, %d)", len(m), len(m[0])) }

// parseGaussScalar reads one number with textparse.ParseFloat. A single value
// in brackets or a printout, such as [2] or tensor(2.), is accepted too.
func parseGaussScalar(f gaussField, text string) (float64, error) {
	if strings.TrimSpace(text) == "" {
		return 0, gaussErr(f, errGaussEmpty, func(t *gaussText) string { return fmt.Sprintf(t.ErrEmpty, f) })
	}
	x, err := textparse.ParseFloat(text)
	if err == nil {
		return x, nil
	}
	if m, merr := textparse.Parse(text); merr == nil {
		n := len(m.Rows) * len(m.Rows[0])
		if n == 1 {
			return m.Rows[0][0], nil
		}
		return 0, gaussErr(f, errGaussSingle, func(t *gaussText) string { return fmt.Sprintf(t.ErrSingle, f, n) })
	}
	tok := short(strings.TrimSpace(text))
	return 0, gaussErr(f, fmt.Errorf("%w: %w", errGaussNotNumber, err), func(t *gaussText) string {
		return fmt.Sprintf(t.ErrNotNumber, f, tok)
	})
}

// parseGaussList reads a vector with textparse.Parse: one row, or one
// column (values on separate lines).
func parseGaussList(f gaussField, text string) ([]float64, error) {
	if strings.TrimSpace(text) == "" {
		return nil, gaussErr(f, errGaussEmpty, func(t *gaussText) string { return fmt.Sprintf(t.ErrEmpty, f) })
	}
	m, err := textparse.Parse(text)
	if err != nil {
		return nil, gaussParseError(f, err, true)
	}
	switch {
	case len(m.Rows) == 1:
		return m.Rows[0], nil
	case len(m.Rows[0]) == 1:
		col := make([]float64, len(m.Rows))
		for i, r := range m.Rows {
			col[i] = r[0]
		}
		return col, nil
	}
	rows, cols := len(m.Rows), len(m.Rows[0])
	return nil, gaussErr(f, errGaussNotList, func(t *gaussText) string { return fmt.Sprintf(t.ErrNotList, f, rows, cols) })
}

// parseGaussMatrix reads a matrix with textparse.Parse.
func parseGaussMatrix(f gaussField, text string) ([][]float64, error) {
	if strings.TrimSpace(text) == "" {
		return nil, gaussErr(f, errGaussEmpty, func(t *gaussText) string { return fmt.Sprintf(t.ErrEmpty, f) })
	}
	m, err := textparse.Parse(text)
	if err != nil {
		return nil, gaussParseError(f, err, false)
	}
	return m.Rows, nil
}

// gaussParseError names the field and the value of a parse error: "value i"
// in a list, "row r, column c" in a matrix.
func gaussParseError(f gaussField, err error, list bool) error {
	var pe *textparse.Error
	if !errors.As(err, &pe) {
		return gaussErr(f, err, func(t *gaussText) string { return fmt.Sprintf(t.ErrParse, f, err.Error()) })
	}
	if pe.Err != textparse.ErrSyntax || pe.Row == 0 {
		return &GaussError{Field: f, Err: err, text: func(l lang) string {
			return fmt.Sprintf(gaussTexts(l).ErrParse, f, texts(l).pasteError(l, err))
		}}
	}
	pos := gaussPos{f: f, row: pe.Row, col: pe.Col}
	if list && pe.Row == 1 {
		pos = gaussPos{f: f, i: pe.Col}
	} else if list && pe.Col == 1 {
		pos = gaussPos{f: f, i: pe.Row}
	}
	tok := pe.Token
	if tok == "" {
		return gaussErr(f, err, func(t *gaussText) string { return fmt.Sprintf(t.ErrEmptyValue, pos.text(t)) })
	}
	return gaussErr(f, fmt.Errorf("%w: %w", errGaussNotNumber, err), func(t *gaussText) string {
		return fmt.Sprintf(t.ErrNotNumber, pos.text(t), tok)
	})
}

// Snippet.

// snippet is a complete Python program computing the same divergence
// with PyTorch, in float64, the precision of the calculator. Only parsed
// numbers reach it, never the text of a field.
func (in gaussInput) snippet(total float64) string {
	var w pyWriter
	n := 4 * len(in.p)
	if in.c == gaussVAE {
		n = 2 * len(in.mu) * len(in.mu[0])
	}
	tooMany := n > gaussMaxSnippetValues
	switch in.c {
	case gaussVAE:
		w.line("# The KL term of a VAE, as pytorch/examples vae/main.py (loss_function) computes it:")
		w.line("# KL(N(mu, exp(logvar)) || N(0, I)), summed over the batch and the latent dimensions.")
		w.line("import torch")
		w.line("")
		if tooMany {
			shape := gaussShape(in.mu)
			w.line("# %d values are too many to write out: use your encoder's outputs.", n)
			w.line("mu = ...  # shape %s", shape)
			w.line("logvar = ...  # shape %s", shape)
		} else {
			w.line("mu = %s", gaussPyTensor2(in.mu))
			w.line("logvar = %s", gaussPyTensor2(in.logvar))
		}
		w.line("")
		w.line("KLD = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())")
		w.line("print(KLD.item())  # the calculator: %s", compute.FormatFloat(total))
		w.line("# Per sample, as many training scripts report it: KLD / mu.size(0)")
	case gaussDiag:
		mu1, s1, mu2, s2 := gaussSplit(in.p, in.q)
		w.line("# KL(p || q) between normal distributions with diagonal covariance.")
		w.line("# Independent(..., 1) sums the per-dimension divergences over the last dimension.")
		w.line("import torch")
		w.line("from torch.distributions import Independent, Normal, kl_divergence")
		w.line("")
		if tooMany {
			w.line("# %d values are too many to write out: use your tensors of shape (%d,).", n, len(mu1))
			w.line("mu1, s1, mu2, s2 = ...  # s1 and s2 are standard deviations, not variances")
		} else {
			w.line("mu1 = %s", gaussPyTensor1(mu1))
			w.line("s1 = %s  # standard deviations, not variances", gaussPyTensor1(s1))
			w.line("mu2 = %s", gaussPyTensor1(mu2))
			w.line("s2 = %s", gaussPyTensor1(s2))
		}
		w.line("")
		w.line("p = Independent(Normal(mu1, s1), 1)")
		w.line("q = Independent(Normal(mu2, s2), 1)")
		w.line("kl = kl_divergence(p, q)")
		w.line("print(kl.item())  # the calculator: %s", compute.FormatFloat(total))
		w.line("# Per dimension: kl_divergence(Normal(mu1, s1), Normal(mu2, s2))")
	default:
		p, q := in.p[0], in.q[0]
		w.line("# KL(p || q) between two univariate normal distributions, in nats.")
		w.line("import torch")
		w.line("from torch.distributions import Normal")
		w.line("")
		w.line("kl = torch.distributions.kl_divergence(")
		w.line("    Normal(%s, %s),  # p: loc mu1, scale sigma1 (not the variance)", gaussPyTensor0(p.Mu), gaussPyTensor0(p.Sigma))
		w.line("    Normal(%s, %s),  # q", gaussPyTensor0(q.Mu), gaussPyTensor0(q.Sigma))
		w.line(")")
		w.line("print(kl.item())  # the calculator: %s", compute.FormatFloat(total))
	}
	if math.IsInf(total, 1) && in.hasInf() {
		w.line("# With infinite parameters the calculator gives the limit, inf; PyTorch's")
		w.line("# expression can give nan instead (inf - inf or inf / inf).")
	}
	return w.String()
}

// gaussMaxSnippetValues bounds the numbers written into a snippet.
const gaussMaxSnippetValues = 10000

// hasInf reports whether some parameter is infinite.
func (in gaussInput) hasInf() bool {
	for i := range in.p {
		for _, x := range []float64{in.p[i].Mu, in.p[i].Sigma, in.q[i].Mu, in.q[i].Sigma} {
			if math.IsInf(x, 0) {
				return true
			}
		}
	}
	for _, m := range [][][]float64{in.mu, in.logvar} {
		for _, r := range m {
			for _, x := range r {
				if math.IsInf(x, 0) {
					return true
				}
			}
		}
	}
	return false
}

func gaussSplit(p, q []compute.Normal) (mu1, s1, mu2, s2 []float64) {
	for i := range p {
		mu1, s1 = append(mu1, p[i].Mu), append(s1, p[i].Sigma)
		mu2, s2 = append(mu2, q[i].Mu), append(s2, q[i].Sigma)
	}
	return
}

func gaussPyTensor0(x float64) string {
	return "torch.tensor(" + pyFloat(x) + ", dtype=torch.float64)"
}

func gaussPyTensor1(xs []float64) string {
	var b strings.Builder
	b.WriteString("torch.tensor(")
	gaussPyList(&b, xs)
	b.WriteString(", dtype=torch.float64)")
	return b.String()
}

func gaussPyTensor2(rows [][]float64) string {
	var b strings.Builder
	b.WriteString("torch.tensor([")
	for i, r := range rows {
		if len(rows) > 1 {
			b.WriteString("\n    ")
		}
		gaussPyList(&b, r)
		if len(rows) > 1 || i < len(rows)-1 {
			b.WriteByte(',')
		}
	}
	if len(rows) > 1 {
		b.WriteByte('\n')
	}
	b.WriteString("], dtype=torch.float64)")
	return b.String()
}

func gaussPyList(b *strings.Builder, xs []float64) {
	b.WriteByte('[')
	for i, x := range xs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(pyFloat(x))
	}
	b.WriteByte(']')
}

// Texts.

// gaussText holds every string the Gaussian mode shows, in one language.
// It is a struct, like uiText, so that a missing translation is a compile
// error; TestGaussTextsComplete checks that none is empty.
type gaussText struct {
	Title, Lede                                  string
	CaseLegend, CaseNormal, CaseDiag, CaseVAE    string
	PTitle, QTitle                               string // "p = N(μ₁, σ₁²)"
	LabelMu1, LabelSigma1, LabelMu2, LabelSigma2 string
	ListHint                                     string
	LabelMu, LabelLogVar, MatrixHint             string
	Formula, Result, Nats, FullPrecision         string
	SumNote, VAENote                             string
	Breakdown, ColIndex, ShowingTerms, TotalRow  string // ShowingTerms "%d of %d"
	Snippet, SnippetInvalid                      string
	PlotCaption, PlotLabel, PlotUndrawable       string // PlotLabel: p μ, σ, q μ, σ
	FieldValue, FieldRowCol                      string // "%s value %d", "%s row %d, column %d"
	ErrEmpty, ErrEmptyValue, ErrNotNumber        string
	ErrSingle, ErrNotList, ErrParse              string
	ErrScale, ErrLoc, ErrLength, ErrShape        string
}

func gaussEN() *gaussText {
	return &gaussText{
		Title:          "Gaussian KL divergence",
		Lede:           "The closed form PyTorch uses in torch.distributions.kl_divergence for normal distributions, and the KL term of a variational autoencoder.",
		CaseLegend:     "Compare",
		CaseNormal:     "two univariate normals N(μ₁, σ₁²) ‖ N(μ₂, σ₂²)",
		CaseDiag:       "diagonal multivariate normals, Independent(Normal(μ, σ), 1)",
		CaseVAE:        "the VAE regulariser: N(μ, exp(log σ²)) ‖ N(0, I)",
		PTitle:         "p = N(μ₁, σ₁²)",
		QTitle:         "q = N(μ₂, σ₂²)",
		LabelMu1:       "μ₁, mean of p",
		LabelSigma1:    "σ₁, standard deviation of p (not the variance)",
		LabelMu2:       "μ₂, mean of q",
		LabelSigma2:    "σ₂, standard deviation of q (not the variance)",
		ListHint:       "One value per dimension, separated by commas.",
		LabelMu:        "μ: encoder means, one row per sample",
		LabelLogVar:    "log σ²: encoder log-variances, the same shape",
		MatrixHint:     "Rows on separate lines or separated by ';', values by ','. PyTorch and NumPy printouts work too.",
		Formula:        "Formula",
		Result:         "KL(p ‖ q)",
		Nats:           "nats",
		FullPrecision:  "full precision:",
		SumNote:        "The sum of the per-dimension divergences, as Independent(…, 1) computes it.",
		VAENote:        "Summed over the batch and the latent dimensions, as pytorch/examples vae/main.py does; divide by the batch size for a per-sample value.",
		Breakdown:      "Per-dimension breakdown",
		ColIndex:       "dimension",
		ShowingTerms:   "showing the first %d of %d dimensions; the total uses all of them",
		TotalRow:       "total",
		Snippet:        "The same in PyTorch",
		SnippetInvalid: "# Fix the input above to get the code.",
		PlotCaption:    "Densities of p (solid) and q (dashed)",
		PlotLabel:      "Density plot: p = N(%s, %s²), solid line; q = N(%s, %s²), dashed line",
		PlotUndrawable: "The densities cannot be drawn at this scale.",
		FieldValue:     "%s value %d",
		FieldRowCol:    "%s row %d, column %d",
		ErrEmpty:       "%s is empty",
		ErrEmptyValue:  "%s: empty value (two commas in a row?)",
		ErrNotNumber:   "%s: %q is not a number",
		ErrSingle:      "%s: %d values, but the univariate case takes one number; choose the diagonal case for vectors",
		ErrNotList:     "%s: %d rows of %d values; give one list of values",
		ErrParse:       "%s: %s",
		ErrScale:       "%s = %s: a standard deviation must be positive (PyTorch raises ValueError)",
		ErrLoc:         "%s is NaN (PyTorch raises ValueError)",
		ErrLength:      "%s has %d values but %s has %d; every parameter needs one value per dimension",
		ErrShape:       "μ has shape %s but log σ² has shape %s; they must match",
	}
}

func gaussKO() *gaussText {
	return &gaussText{
		Title:          "가우시안 KL 발산",
		Lede:           "PyTorch가 정규분포에 대해 torch.distributions.kl_divergence에서 쓰는 닫힌 형식, 그리고 변분 오토인코더(VAE)의 KL 항입니다.",
		CaseLegend:     "비교할 분포",
		CaseNormal:     "일변량 정규분포 두 개 N(μ₁, σ₁²) ‖ N(μ₂, σ₂²)",
		CaseDiag:       "대각 공분산 다변량 정규분포, Independent(Normal(μ, σ), 1)",
		CaseVAE:        "VAE 정규화 항: N(μ, exp(log σ²)) ‖ N(0, I)",
		PTitle:         "p = N(μ₁, σ₁²)",
		QTitle:         "q = N(μ₂, σ₂²)",
		LabelMu1:       "μ₁, p의 평균",
		LabelSigma1:    "σ₁, p의 표준편차 (분산이 아님)",
		LabelMu2:       "μ₂, q의 평균",
		LabelSigma2:    "σ₂, q의 표준편차 (분산이 아님)",
		ListHint:       "차원마다 값 하나, 쉼표로 구분합니다.",
		LabelMu:        "μ: 인코더 평균, 샘플마다 한 행",
		LabelLogVar:    "log σ²: 인코더 로그 분산, 같은 모양",
		MatrixHint:     "행은 줄을 바꾸거나 ';'로, 값은 ','로 구분합니다. PyTorch·NumPy 출력도 됩니다.",
		Formula:        "공식",
		Result:         "KL(p ‖ q)",
		Nats:           "내트(nats)",
		FullPrecision:  "전체 정밀도:",
		SumNote:        "Independent(…, 1)처럼 차원별 발산을 모두 더한 값입니다.",
		VAENote:        "pytorch/examples vae/main.py처럼 배치와 잠재 차원 전체에 대해 더한 값입니다. 샘플당 값은 배치 크기로 나누세요.",
		Breakdown:      "차원별 계산 과정",
		ColIndex:       "차원",
		ShowingTerms:   "차원 %[2]d개 중 처음 %[1]d개 표시; 합계는 모든 차원으로 계산",
		TotalRow:       "합계",
		Snippet:        "PyTorch 코드",
		SnippetInvalid: "# 위의 입력을 고치면 코드가 나옵니다.",
		PlotCaption:    "p(실선)와 q(점선)의 확률밀도",
		PlotLabel:      "확률밀도 그래프: p = N(%s, %s²) 실선, q = N(%s, %s²) 점선",
		PlotUndrawable: "이 크기에서는 확률밀도를 그릴 수 없습니다.",
		FieldValue:     "%s의 %d번째 값",
		FieldRowCol:    "%s %d행 %d열",
		ErrEmpty:       "%s: 비어 있습니다",
		ErrEmptyValue:  "%s: 빈 값입니다 (쉼표가 두 번 연속?)",
		ErrNotNumber:   "%s: %q: 숫자가 아닙니다",
		ErrSingle:      "%s: 값이 %d개이지만 일변량은 숫자 하나만 받습니다. 벡터는 대각 공분산을 고르세요",
		ErrNotList:     "%s: %d행 %d열입니다. 값 목록 하나를 주세요",
		ErrParse:       "%s: %s",
		ErrScale:       "%s = %s: 표준편차는 양수여야 합니다 (PyTorch는 ValueError를 냅니다)",
		ErrLoc:         "%s = NaN: PyTorch는 ValueError를 냅니다",
		ErrLength:      "%s의 값은 %d개인데 %s의 값은 %d개입니다. 모든 매개변수는 차원마다 값이 하나씩 있어야 합니다",
		ErrShape:       "μ의 모양은 %s인데 log σ²의 모양은 %s입니다. 같아야 합니다",
	}
}

// gaussTexts returns the Gaussian mode's strings in language l.
func gaussTexts(l lang) *gaussText {
	if l == langKO {
		return gaussKO()
	}
	return gaussEN()
}
