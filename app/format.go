package app

import (
	"math"
	"strconv"
	"strings"
)

// show formats a number for reading: up to 6 significant digits, ∞ and NaN
// spelled as a mathematician would.
func show(x float64) string {
	switch {
	case math.IsNaN(x):
		return "NaN"
	case math.IsInf(x, 1):
		return "+∞"
	case math.IsInf(x, -1):
		return "−∞"
	}
	s := strconv.FormatFloat(x, 'g', 6, 64)
	if s[0] == '-' {
		s = "−" + s[1:] // U+2212, the typographic minus
	}
	return s
}

// showParen is show with negative numbers in parentheses, for formulas.
func showParen(x float64) string {
	s := show(x)
	if strings.HasPrefix(s, "−") {
		return "(" + s + ")"
	}
	return s
}

// specialClass is the CSS class of a cell holding x.
func specialClass(x float64) string {
	switch {
	case math.IsNaN(x):
		return "nan"
	case math.IsInf(x, 0):
		return "inf"
	}
	return ""
}

// asciiNumbers spells the page's numbers as Python reads them: U+2212 as
// "-", "+∞" and "∞" as "inf" ("−∞" becomes "-inf").
func asciiNumbers(s string) string {
	s = strings.ReplaceAll(s, "\u2212", "-")
	s = strings.ReplaceAll(s, "+∞", "inf")
	return strings.ReplaceAll(s, "∞", "inf")
}
