package app

// Reading the Gaussian mode's fields: GaussState.parse turns the typed
// text into numbers, or into a GaussError per invalid field. The
// sentences are written by the catalogue (gaussError in i18n_gauss.go).

import (
	"errors"
	"strings"

	"github.com/klcalc/klcalc/compute"
	"github.com/klcalc/klcalc/compute/textparse"
)

// gaussErrCode is what is wrong with a field of the Gaussian mode.
type gaussErrCode int

const (
	gaussErrEmpty      gaussErrCode = iota // the field is empty
	gaussErrEmptyValue                     // At: an empty value between separators
	gaussErrNotNumber                      // At: Token is not a number
	gaussErrSingle                         // the univariate case got Count values
	gaussErrNotList                        // a list got a matrix of Shape
	gaussErrParse                          // textparse's Err, other than a bad number
	gaussErrScale                          // At: the standard deviation Value is not positive
	gaussErrLoc                            // At: the mean is NaN
	gaussErrLength                         // Count values, but Other has OtherCount
	gaussErrShape                          // μ has Shape, log σ² has OtherShape
)

// GaussError is an invalid input of the Gaussian mode: a code and its data,
// naming the field and the position. It holds no text; the catalogue
// writes it in the reader's language (uiText.gaussError) and Error in
// English. Err is the cause when there is one: a *textparse.Error, or
// compute's error wrapping ErrGaussianScale, ErrGaussianLoc or
// ErrGaussianLength; test with errors.Is.
type GaussError struct {
	Code  gaussErrCode
	Field gaussField
	At    gaussPos // the value within the field; zero for the whole field
	Token string   // gaussErrNotNumber: the text
	Value float64  // gaussErrScale: the standard deviation
	Count int      // gaussErrSingle, gaussErrLength: the field's values

	Other      gaussField // gaussErrLength: the field whose length is expected
	OtherCount int        // gaussErrLength: Other's values
	Shape      [2]int     // gaussErrNotList: rows, columns; gaussErrShape: μ's
	OtherShape [2]int     // gaussErrShape: log σ²'s

	Err error
}

// Error returns the message in English, such as
// `σ₁ value 2: "abc" is not a number`.
func (e GaussError) Error() string { return texts(langEN).gaussError(langEN, e) }

func (e GaussError) Unwrap() error { return e.Err }

// gaussPos is a value of a field: the whole field (zero), the i-th value
// of a list, or a row and column of a matrix; all 1-based.
type gaussPos struct {
	I        int
	Row, Col int
}

// gaussInput is a state's parsed numbers.
type gaussInput struct {
	c          gaussCase
	p, q       []compute.Normal // gaussNormal (one each) and gaussDiag
	mu, logvar [][]float64      // gaussVAE
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
			return in, GaussError{Code: gaussErrShape, Field: gaussFieldLogVar, Err: compute.ErrGaussianLength,
				Shape: gaussShape(mu), OtherShape: gaussShape(lv)}
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
			errs = append(errs, GaussError{Code: gaussErrLength, Field: fields[i].f, Err: compute.ErrGaussianLength,
				Count: n, Other: fields[0].f, OtherCount: n0})
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

// gaussShape is a matrix's rows and columns.
func gaussShape(m [][]float64) [2]int { return [2]int{len(m), len(m[0])} }

// parseGaussScalar reads one number with textparse.ParseFloat. A single value
// in brackets or a printout, such as [2] or tensor(2.), is accepted too.
func parseGaussScalar(f gaussField, text string) (float64, error) {
	if strings.TrimSpace(text) == "" {
		return 0, GaussError{Code: gaussErrEmpty, Field: f}
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
		return 0, GaussError{Code: gaussErrSingle, Field: f, Count: n}
	}
	return 0, GaussError{Code: gaussErrNotNumber, Field: f, Token: short(strings.TrimSpace(text)), Err: err}
}

// parseGaussList reads a vector with textparse.Parse: one row, or one
// column (values on separate lines).
func parseGaussList(f gaussField, text string) ([]float64, error) {
	if strings.TrimSpace(text) == "" {
		return nil, GaussError{Code: gaussErrEmpty, Field: f}
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
	return nil, GaussError{Code: gaussErrNotList, Field: f, Shape: gaussShape(m.Rows)}
}

// parseGaussMatrix reads a matrix with textparse.Parse.
func parseGaussMatrix(f gaussField, text string) ([][]float64, error) {
	if strings.TrimSpace(text) == "" {
		return nil, GaussError{Code: gaussErrEmpty, Field: f}
	}
	m, err := textparse.Parse(text)
	if err != nil {
		return nil, gaussParseError(f, err, false)
	}
	return m.Rows, nil
}

// gaussParseError names the field and the value of a parse error: "value i"
// in a list, "row r, column c" in a matrix. Errors other than a bad number
// keep textparse's own description (gaussErrParse).
func gaussParseError(f gaussField, err error, list bool) error {
	var pe *textparse.Error
	if !errors.As(err, &pe) || pe.Err != textparse.ErrSyntax || pe.Row == 0 {
		return GaussError{Code: gaussErrParse, Field: f, Err: err}
	}
	at := gaussPos{Row: pe.Row, Col: pe.Col}
	if list && pe.Row == 1 {
		at = gaussPos{I: pe.Col}
	} else if list && pe.Col == 1 {
		at = gaussPos{I: pe.Row}
	}
	if pe.Token == "" {
		return GaussError{Code: gaussErrEmptyValue, Field: f, At: at, Err: err}
	}
	return GaussError{Code: gaussErrNotNumber, Field: f, At: at, Token: pe.Token, Err: err}
}

// splitErrors lists the errors joined in err (errors.Join), in order: one
// per invalid field.
func splitErrors(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, splitErrors(e)...)
		}
		return out
	}
	return []error{err}
}
