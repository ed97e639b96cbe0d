//go:build !js

package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/klcalc/klcalc/app"
)

// layout is the shape of a benchmark input: rows × cols values per side.
type layout struct {
	Rows, Cols int
}

// N is the number of values of one side.
func (l layout) N() int { return l.Rows * l.Cols }

func (l layout) String() string {
	if l.Rows == 1 {
		return "1 row of " + group(l.Cols)
	}
	return fmt.Sprintf("%d rows of %s", l.Rows, group(l.Cols))
}

// layoutsFor returns the layouts measured for n values per side: one row,
// and 100 rows of n/100 when n is a multiple of 100.
func layoutsFor(n int) []layout {
	ls := []layout{{1, n}}
	if n >= 100 && n%100 == 0 {
		ls = append(ls, layout{100, n / 100})
	}
	return ls
}

// benchInput is one generated P, Q pair and its readable share link.
type benchInput struct {
	Layout layout
	State  app.State // P and Q, default options
	Link   string    // the fragment (without '#'), readable
}

// newBenchInput generates the P and Q of a layout from a seed, so that every
// run measures the same numbers.
func newBenchInput(l layout, seed uint64) benchInput {
	rng := rand.New(rand.NewPCG(seed, uint64(l.Rows)<<32|uint64(l.Cols)))
	st := app.State{P: decimalRows(rng, l.Rows, l.Cols), Q: decimalRows(rng, l.Rows, l.Cols)}
	return benchInput{Layout: l, State: st, Link: st.EncodeReadable()}
}

// decimalRows returns rows × cols cells of random probabilities, each row
// summing to exactly 1 in decimal: every value is an integer number of units
// of 10^-d, with d chosen so that a value is about 1000 units, and the units
// of a row add up to 10^d. The row sums are therefore 1 to within float64
// rounding, far inside the calculator's 1e-6 row-sum check, and the cells
// stay short (3 to 5 significant digits, "1234e-8" or "0.3333"), which
// keeps a 100 000-value link under Chromium's 2 MiB URL limit.
func decimalRows(rng *rand.Rand, rows, cols int) [][]string {
	d := unitDigits(cols)
	total := int64(math.Pow10(d))
	k := make([]int64, cols)
	return randomRows(rng, rows, cols, func(w []float64, sw float64) []string {
		var sk int64
		for j := range k {
			k[j] = int64(w[j] / sw * float64(total))
			sk += k[j]
		}
		for j := 0; sk < total; j = (j + 1) % cols {
			k[j]++
			sk++
		}
		row := make([]string, cols)
		for j := range row {
			row[j] = formatUnits(k[j], d)
		}
		return row
	})
}

// fullPrecisionRows returns rows × cols random probabilities normalised in
// float64 and written in Go's shortest round-trip format (about 19
// characters each), as the calculator writes a pasted float64 tensor.
func fullPrecisionRows(rng *rand.Rand, rows, cols int) [][]string {
	return randomRows(rng, rows, cols, func(w []float64, sw float64) []string {
		row := make([]string, cols)
		for j := range row {
			row[j] = strconv.FormatFloat(w[j]/sw, 'g', -1, 64)
		}
		return row
	})
}

// randomRows draws rows of weights in [0.5, 1.5) and writes each row with
// format, given the weights and their sum.
func randomRows(rng *rand.Rand, rows, cols int, format func(w []float64, sum float64) []string) [][]string {
	out := make([][]string, rows)
	w := make([]float64, cols)
	for i := range out {
		var sw float64
		for j := range w {
			w[j] = 0.5 + rng.Float64()
			sw += w[j]
		}
		out[i] = format(w, sw)
	}
	return out
}

// unitDigits is the d of decimalRows: the least d ≥ 1 with 10^d ≥ 1000·cols.
func unitDigits(cols int) int {
	d := 1
	for p := int64(10); p < 1000*int64(max(cols, 1)); p *= 10 {
		d++
	}
	return d
}

// formatUnits writes k·10^-d in the shorter of plain decimal ("0.0123") and
// exponent form ("123e-4"). Both are Go float syntax, which the calculator
// reads.
func formatUnits(k int64, d int) string {
	if k == 0 {
		return "0"
	}
	digits := strconv.FormatInt(k, 10)
	var dec string
	if len(digits) > d {
		dec = digits[:len(digits)-d] + "." + digits[len(digits)-d:]
	} else {
		dec = "0." + strings.Repeat("0", d-len(digits)) + digits
	}
	dec = strings.TrimSuffix(strings.TrimRight(dec, "0"), ".")
	// Exponent form without trailing zeros in the mantissa.
	e := d
	for len(digits) > 1 && digits[len(digits)-1] == '0' {
		digits = digits[:len(digits)-1]
		e--
	}
	exp := digits
	if e > 0 {
		exp = digits + "e-" + strconv.Itoa(e)
	}
	if len(exp) < len(dec) {
		return exp
	}
	return dec
}

// editValues returns the values an edit benchmark types into a cell whose
// text is cell: half and twice its value, alternately, so that every edit
// changes the result (its term changes by p·log 4) and no two consecutive
// edits are equal.
func editValues(cell string, n int) ([]string, error) {
	v, err := strconv.ParseFloat(cell, 64)
	if err != nil || !(v > 0) || math.IsInf(v, 0) {
		return nil, fmt.Errorf("cell %q is not a positive number", cell)
	}
	halfTwice := [2]string{strconv.FormatFloat(v/2, 'g', -1, 64), strconv.FormatFloat(v*2, 'g', -1, 64)}
	out := make([]string, n)
	for i := range out {
		out[i] = halfTwice[i%2]
	}
	return out, nil
}

// group writes n with thin groups of three digits: 100 000.
func group(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + " " + s[i:]
	}
	return s
}
