package textparse

import (
	"strings"
	"time"
	"unicode"
)

// Matrix is parsed numeric data: rows of equal length.
type Matrix struct {
	// Rows holds at least one row, and all rows have the same,
	// non-zero length.
	Rows [][]float64

	// Dims is the number of dimensions the input was written with, so
	// that a caller can echo the user's shape: 0 for a scalar printout
	// such as tensor(0.5); 1 for a flat list or a single line; 2 for
	// nested lists or several rows. Rows is always two-dimensional.
	Dims int

	// Header holds the cells of a CSV or TSV header line, or nil if the
	// input has none.
	Header []string

	// Shape is the shape of lists nested 3 or 4 levels deep, such as
	// [2, 3, 4] for a printout of a (2, 3, 4) tensor: Rows then holds the
	// rows of its last dimension, row-major over the others. nil for
	// fewer dimensions.
	Shape []int
}

// Parse parses a matrix of float64 values pasted as plain text,
// CSV or TSV, JSON or Python lists, or a PyTorch or NumPy printout.
//
// Numbers have the syntax of [ParseFloat]. They are separated by commas,
// spaces or tabs. Outside brackets, semicolons and line breaks end rows,
// so "0.1,0.9;0.5,0.5" holds two rows; blank rows are skipped. Inside
// brackets, [ ] or ( ), line breaks are spacing and rows come from the
// brackets: a flat list is one row, a list of lists is one row per inner
// list, and several flat lists in sequence are one row each. Lists nested
// 3 or 4 levels deep, as a printout of a 3-D or 4-D tensor, keep their
// shape in Matrix.Shape; their innermost lists are the rows, and the lists
// at each level must have as many elements. Commas are
// optional, as in NumPy printouts, but two commas with nothing between
// them are an error, since the user has likely lost a value; one
// trailing comma is fine.
//
// A printout may be wrapped as tensor(...), array(...), np.float64(...)
// and the like, with keyword arguments such as dtype=torch.float64,
// requires_grad=True, grad_fn=<KlDivBackward0> or device='cuda:0', which
// are ignored, and may be preceded by "Parameter containing:". A leading
// byte-order mark is ignored. Values may be double-quoted, as in CSV.
//
// A first line made only of words, such as a,b,c or "class 0","class 1",
// and followed by data lines is a header: its cells, split at commas or
// tabs if it has any and at spaces otherwise, are returned in
// Matrix.Header, and every row must have as many values. Unquoted header
// cells must start with a letter, so that a lone junk line is an error.
// Brackets cannot follow a header.
//
// Dims is 0 for a scalar printout such as tensor(0.5); 1 for a bare number,
// a flat list or a single line; 2 for nested lists or several rows, so
// [[0.1,0.9]] has Dims 2; 3 or 4 for lists nested that deep.
//
// The error is a *[Error] wrapping ErrSyntax for a token that is not
// a number, ErrAbbreviated for the "..." of a summarised printout,
// ErrRagged for rows of different lengths (or blocks of a 3-D or 4-D list
// of different sizes), ErrNesting for brackets nested deeper than 4 levels, ErrBrackets for unbalanced brackets, or ErrEmpty
// for input without numbers. Parse runs in time linear in len(s).
func Parse(s string) (Matrix, error) { return ParseYield(s, nil, 0) }

// ParseYield is Parse, calling yield, unless nil, once every has passed
// since the start or the last call, at the next of the points it checks
// (about every 16 384 values), so that a caller on the browser's one
// thread can let the page run in between: 1 500 000 values (8.8 MB) took
// 830 ms of wasm at once. The result is Parse's, unless a call of yield
// returns false: the parse then stops there and returns ErrCanceled.
func ParseYield(s string, yield func() bool, every time.Duration) (Matrix, error) {
	p := parser{s: s, width: -1, yield: yield, every: every, paused: time.Now()}
	if strings.HasPrefix(s, "\uFEFF") {
		p.bom = len("\uFEFF")
		p.pos = p.bom
	}
	p.skipParameterPrefix()
	p.readHeader()
	dims, err := p.parse()
	if p.stopped {
		return Matrix{}, ErrCanceled
	}
	if err != nil {
		return Matrix{}, err
	}
	if len(p.vals) == 0 {
		return Matrix{}, &Error{Err: ErrEmpty}
	}
	// One backing array for all rows saves an allocation per row; the
	// capacity limit keeps an append to one row from overwriting the next.
	rows := make([][]float64, len(p.rowEnds))
	start := 0
	for i, end := range p.rowEnds {
		rows[i] = p.vals[start:end:end]
		start = end
	}
	return Matrix{Rows: rows, Dims: dims, Header: p.header, Shape: p.shape}, nil
}

// ParseFloat parses one number with the syntax Parse accepts:
// a decimal number as accepted by [strconv.ParseFloat], such as 1e-3,
// 1E+5, .5 or 5. (NumPy's trailing dot), with an optional sign; or inf,
// infinity or nan in any case, also signed. A leading U+2212 minus sign or
// U+2013 en dash counts as '-', here and in an exponent, because text
// pasted from papers uses them. Hexadecimal floats and underscores are
// rejected: nobody pastes them, and a narrower syntax makes junk easier
// to spot. Values too large for a float64 become ±Inf, as in Python.
// Surrounding white space is ignored.
//
// The error is a *[Error] wrapping ErrSyntax, with Row and Col 1.
func ParseFloat(s string) (float64, error) {
	t := strings.TrimSpace(s)
	if v, ok := parseNumber(t); ok {
		return v, nil
	}
	p := parser{s: s}
	line, col := p.lineCol(len(s) - len(strings.TrimLeftFunc(s, unicode.IsSpace)))
	return 0, &Error{Row: 1, Col: 1, Line: line, Column: col, Token: shorten(t), Err: ErrSyntax}
}
