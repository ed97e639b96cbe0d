package app

import (
	"errors"
	"strings"
)

// ErrURL is wrapped by every error about a share link.
var ErrURL = errors.New("invalid share link")

// linkProblem names what is wrong with a share link. The catalogue
// (i18n_errors.go) writes it in words.
type linkProblem int

const (
	linkTooLong       linkProblem = iota // Size bytes, more than Limit
	linkNested                           // a compressed link inside a compressed link
	linkVersion                          // a compressed link of an unknown version
	linkDamaged                          // a compressed link that does not decode
	linkExpands                          // a compressed link that expands beyond Limit bytes
	linkRepeated                         // Key appears twice; the first is used
	linkUnknownKey                       // Key is none of the calculator's, and ignored
	linkBadValue                         // Key's Value is none of Valid
	linkTooManyValues                    // Key holds more than Limit values
	linkBadShape                         // Key's Value is not 3 or 4 positive sizes
)

// LinkError is one problem with a share link. DecodeState joins one per
// problem (errors.Join), and the page lists them all.
type LinkError struct {
	Problem linkProblem
	Key     string   // the key concerned, shortened
	Value   string   // the value given, shortened
	Valid   []string // the values Key accepts (linkBadValue)
	Size    int      // the link's length in bytes (linkTooLong)
	Limit   int      // the limit exceeded
}

// Error is the English text, for Go callers and logs.
func (e *LinkError) Error() string { return linkErrorEN(e) }

func (e *LinkError) Unwrap() error { return ErrURL }

// linkErr returns a LinkError for key with its value, both shortened.
func linkErr(p linkProblem, key, value string) *LinkError {
	return &LinkError{Problem: p, Key: short(key), Value: short(value)}
}

// inputProblem names what keeps the discrete mode's valid cells from
// making a problem compute can take.
type inputProblem int

const (
	inputRagged      inputProblem = iota // Side's Row has Got values, row 1 has Want
	inputTemperature                     // Side's temperature Text is not a number
	inputShape                           // Side's shape Text needs Want rows of WantCols values; it has Got rows of GotCols
)

// InputError is one such problem.
type InputError struct {
	Problem   inputProblem
	Side      side
	Row       int // 0-based
	Got, Want int
	// GotCols and WantCols are the values per row of an inputShape
	// problem (Got and Want are then rows).
	GotCols, WantCols int
	Text              string // shortened
}

// Error is the English text, for Go callers and logs.
func (e *InputError) Error() string { return inputErrorEN(e) }

// orList joins names as "a, b or c".
func orList(names []string, or string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " " + or + " " + names[len(names)-1]
}
