package textparse

// The number syntax of ParseFloat, which Parse applies to every value.

import (
	"math"
	"strconv"
	"strings"
)

// parseNumber is ParseFloat without the error value, so that the hot
// path of Parse allocates nothing.
func parseNumber(t string) (float64, bool) {
	neg := false
	switch {
	case t == "":
		return 0, false
	case t[0] == '+' || t[0] == '-':
		neg = t[0] == '-'
		t = t[1:]
	case strings.HasPrefix(t, "\u2212"), strings.HasPrefix(t, "\u2013"):
		neg = true
		t = t[len("\u2212"):]
	}
	if t == "" {
		return 0, false
	}
	var v float64
	if c := t[0]; c != '.' && (c < '0' || c > '9') {
		switch {
		case equalFoldASCII(t, "inf"), equalFoldASCII(t, "infinity"):
			v = math.Inf(1)
		case equalFoldASCII(t, "nan"):
			return math.NaN(), true // the sign of a NaN means nothing
		default:
			return 0, false
		}
	} else {
		i, digits := 0, 0
		for i < len(t) && '0' <= t[i] && t[i] <= '9' {
			i++
			digits++
		}
		if i < len(t) && t[i] == '.' {
			i++
			for i < len(t) && '0' <= t[i] && t[i] <= '9' {
				i++
				digits++
			}
		}
		if digits == 0 {
			return 0, false
		}
		if i < len(t) && (t[i] == 'e' || t[i] == 'E') {
			i++
			if i < len(t) && (t[i] == '+' || t[i] == '-') {
				i++
			} else if rest := t[i:]; strings.HasPrefix(rest, "\u2212") || strings.HasPrefix(rest, "\u2013") {
				t = t[:i] + "-" + rest[len("\u2212"):]
				i++
			}
			start := i
			for i < len(t) && '0' <= t[i] && t[i] <= '9' {
				i++
			}
			if i == start {
				return 0, false
			}
		}
		if i != len(t) {
			return 0, false
		}
		var err error
		v, err = strconv.ParseFloat(t, 64)
		// The syntax is checked above, so err can only be ErrRange, for
		// overflow, where v is already +Inf as Python's float() gives.
		_ = err
	}
	if neg {
		v = -v // exact, and turns 0 into -0 as wanted
	}
	return v, true
}

// equalFoldASCII is strings.EqualFold restricted to ASCII, so that no
// Unicode case folding lets a non-ASCII token pass for a number.
func equalFoldASCII(s, lower string) bool {
	if len(s) != len(lower) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i]|0x20 != lower[i] {
			return false
		}
	}
	return true
}
