package textparse

import (
	"errors"
	"strconv"
	"strings"
)

// Errors reported in [Error.Err]. Test for them with [errors.Is].
var (
	// ErrSyntax reports a token that is not a number, or an empty
	// value between two commas.
	ErrSyntax = errors.New("invalid number")

	// ErrRagged reports rows of different lengths, or a list that mixes
	// numbers and lists, which has no rectangular shape either.
	ErrRagged = errors.New("rows have different lengths")

	// ErrEmpty reports input that holds no numbers at all.
	ErrEmpty = errors.New("no numbers")

	// ErrNesting reports brackets nested deeper than a matrix needs.
	ErrNesting = errors.New("brackets nested deeper than 4 levels")

	// ErrBrackets reports a bracket without its partner, or a ']' closing
	// a '(' and vice versa.
	ErrBrackets = errors.New("unbalanced brackets")

	// ErrAbbreviated reports the "..." with which PyTorch and NumPy
	// summarise large arrays: the elided values cannot be recovered.
	ErrAbbreviated = errors.New("printout is abbreviated with an ellipsis")
)

// ErrCanceled is returned, as it is and not in an [Error], by a
// [ParseYield] whose yield asked it to stop: it says nothing of the input.
var ErrCanceled = errors.New("textparse: canceled")

// abbreviatedHint tells the user how to get a printout that can be parsed.
const abbreviatedHint = `; print it in full after torch.set_printoptions(profile="full") or np.set_printoptions(threshold=sys.maxsize)`

// maxTokenRunes bounds [Error.Token], so that an error message
// stays readable when the offending token is megabytes long.
const maxTokenRunes = 40

// A Error records a failed parse. Positions are 1-based; they are
// zero when they do not apply, as for [ErrEmpty].
type Error struct {
	// Row and Col locate the offending value in the matrix, counting data
	// rows only (not the header). For ErrRagged, Row is the offending row
	// and Col its length, except for a list mixing numbers and lists,
	// where they locate the first element out of place. For a bracket
	// error they are where the next value would have gone.
	Row, Col int

	// Line and Column locate the offending token in the text, with
	// Column counted in runes, so that a user interface can highlight it.
	Line, Column int

	// Token is the offending token, shortened to about 40 runes.
	Token string

	// Err is ErrSyntax, ErrRagged, ErrEmpty, ErrNesting, ErrBrackets or
	// ErrAbbreviated.
	Err error

	// For ErrRagged: RefLen is the length the rows must have (0 if no row
	// set one yet), set by the header if RefHeader, else by row 1; Mixed
	// reports a list that mixes numbers and lists.
	RefLen    int
	RefHeader bool
	Mixed     bool
}

// Error returns a lower-case message in the style of the strconv package,
// such as `textparse: row 2, column 3: "1e": invalid number`.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("textparse: ")
	switch {
	case e.Err == ErrRagged && !e.Mixed && e.Row > 0:
		b.WriteString("row ")
		b.WriteString(strconv.Itoa(e.Row))
		b.WriteString(" has ")
		b.WriteString(values(e.Col))
		if e.RefLen > 0 {
			if e.RefHeader {
				b.WriteString(", header has ")
			} else {
				b.WriteString(", row 1 has ")
			}
			b.WriteString(strconv.Itoa(e.RefLen))
		}
		b.WriteString(": ")
	case e.Row > 0:
		b.WriteString("row ")
		b.WriteString(strconv.Itoa(e.Row))
		b.WriteString(", column ")
		b.WriteString(strconv.Itoa(e.Col))
		b.WriteString(": ")
		if e.Token == "" && e.Err == ErrSyntax {
			// Only an empty cell ("1,,2") has an empty token.
			b.WriteString("empty value")
			return b.String()
		}
		b.WriteString(strconv.Quote(e.Token))
		b.WriteString(": ")
		if e.Mixed {
			b.WriteString("list mixes numbers and lists: ")
		}
	}
	if e.Err == nil {
		b.WriteString("<nil>")
	} else {
		b.WriteString(e.Err.Error())
	}
	if e.Err == ErrAbbreviated {
		b.WriteString(abbreviatedHint)
	}
	return b.String()
}

// Unwrap returns e.Err, so that [errors.Is] sees the sentinel.
func (e *Error) Unwrap() error { return e.Err }

func values(n int) string {
	if n == 1 {
		return "1 value"
	}
	return strconv.Itoa(n) + " values"
}

// shorten truncates a token to maxTokenRunes runes.
func shorten(t string) string {
	n := 0
	for i := range t {
		if n == maxTokenRunes {
			return t[:i] + "…"
		}
		n++
	}
	return t
}

// errAt reports err at token t, at the place of the next value in the matrix.
func (p *parser) errAt(t token, err error) *Error {
	line, col := p.lineCol(t.start)
	return &Error{
		Row: len(p.rowEnds) + 1, Col: p.rowLen() + 1,
		Line: line, Column: col,
		Token: shorten(p.text(t)), Err: err,
	}
}

func (p *parser) errEmptyValue(comma token) *Error {
	e := p.errAt(comma, ErrSyntax)
	e.Token = ""
	return e
}

func (p *parser) errMixed(t token) *Error {
	e := p.errAt(t, ErrRagged)
	e.Mixed = true
	return e
}

// errHeader blames the header for brackets in what follows it: a header
// line belongs to CSV, so the "header" was junk before a list.
func (p *parser) errHeader() *Error {
	line, col := p.lineCol(p.headerTok.start)
	return &Error{Row: 1, Col: 1, Line: line, Column: col, Token: shorten(p.text(p.headerTok)), Err: ErrSyntax}
}
