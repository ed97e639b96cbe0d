package textparse

// The grammar of Parse: rows of bare numbers, bracketed lists, and
// printouts such as tensor(...) with their keyword arguments.

import (
	"strings"
	"time"
)

// wrappers are the printout constructors whose parentheses are not part of
// the data.
var wrappers = func() map[string]bool {
	m := map[string]bool{
		"tensor": true, "torch.tensor": true,
		"array": true, "np.array": true, "numpy.array": true,
		"matrix": true, "np.matrix": true, "numpy.matrix": true,
	}
	// NumPy 2 prints scalars as np.float64(0.5).
	for _, t := range []string{
		"float16", "float32", "float64", "float96", "float128", "longdouble", "half", "single", "double",
		"int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
	} {
		m["np."+t] = true
		m["numpy."+t] = true
	}
	return m
}()

type parser struct {
	s   string
	pos int // byte offset of the next token
	bom int // length of a leading byte-order mark, which has no column

	// The rows: row i is vals[rowEnds[i-1]:rowEnds[i]].
	vals    []float64
	rowEnds []int

	width           int   // the length every row must have, or -1 until known
	widthFromHeader bool  // the header, not row 1, set width
	last            token // the last value of the current row, or its opening bracket
	extra           token // the value that made the current row longer than width

	header    []string
	headerTok token // first header cell, blamed if brackets follow the header

	shape []int // of a list nested 3 or 4 levels deep (see list)

	// ParseYield's pauses: yield, unless nil, once every has passed since
	// paused, looked at every paceEvery values (n since the last look);
	// stopped once a yield has returned false.
	yield   func() bool
	every   time.Duration
	paused  time.Time
	n       int
	stopped bool
}

// paceEvery is how many values the parser reads between two looks at the
// clock: well under a millisecond of wasm.
const paceEvery = 1 << 14

func (p *parser) rowLen() int {
	if len(p.rowEnds) == 0 {
		return len(p.vals)
	}
	return len(p.vals) - p.rowEnds[len(p.rowEnds)-1]
}

func (p *parser) add(t token, v float64) {
	if p.yield != nil {
		if p.n++; p.n >= paceEvery {
			p.n = 0
			if time.Since(p.paused) >= p.every {
				more := p.yield()
				p.paused = time.Now()
				if !more {
					// The rest reads as the end of the input, so the
					// parse ends at once; ParseYield reports the stop.
					p.stopped, p.pos = true, len(p.s)
				}
			}
		}
	}
	p.vals = append(p.vals, v)
	if p.rowLen() == p.width+1 {
		p.extra = t
	}
	p.last = t
}

// endRow closes the current row, which the first row or the header
// gives its length.
func (p *parser) endRow() error {
	n := p.rowLen()
	if p.width < 0 {
		p.width = n
		p.widthFromHeader = false
	} else if n != p.width {
		blame := p.last
		if n > p.width {
			blame = p.extra
		}
		e := p.errAt(blame, ErrRagged)
		e.Col = n
		e.RefHeader = p.widthFromHeader
		e.RefLen = p.width
		return e
	}
	p.rowEnds = append(p.rowEnds, len(p.vals))
	return nil
}

// value parses a word or quoted cell as a number.
func (p *parser) value(t token) (float64, error) {
	s := p.text(t)
	switch t.kind {
	case tokQuoted:
		s = strings.TrimSpace(s[1 : len(s)-1])
	case tokBadQuote:
		return 0, p.errAt(t, ErrSyntax)
	}
	if v, ok := parseNumber(s); ok {
		return v, nil
	}
	if s == "..." || s == "…" {
		return 0, p.errAt(t, ErrAbbreviated)
	}
	return 0, p.errAt(t, ErrSyntax)
}

// parse parses the top level and returns Dims.
func (p *parser) parse() (int, error) {
	const (
		modeNone  = iota
		modeText  // bare numbers: ';' and line breaks end rows
		modeLists // bracketed lists
		modeDone  // after a printout such as tensor(...): nothing may follow
	)
	mode := modeNone
	dims := 0
	lists := 0         // top-level lists so far
	levels := 0        // the first top-level list's (see list)
	prevValue := false // whether a value precedes, so that a comma is not an empty cell
	for {
		t := p.next()
		switch t.kind {
		case tokEOF:
			switch mode {
			case modeText:
				if p.rowLen() > 0 {
					if err := p.endRow(); err != nil {
						return 0, err
					}
				}
				dims = 2
				if len(p.rowEnds) == 1 {
					dims = 1
				}
			case modeLists:
				dims = 1
				if levels >= 2 || lists > 1 {
					dims = max(2, levels)
				}
			}
			return dims, nil
		case tokNewline, tokSemicolon:
			if mode == modeText && p.rowLen() > 0 {
				if err := p.endRow(); err != nil {
					return 0, err
				}
			}
			prevValue = false
		case tokComma:
			if mode == modeDone {
				return 0, p.errAt(t, ErrSyntax)
			}
			if !prevValue {
				return 0, p.errEmptyValue(t)
			}
			prevValue = false
		case tokClose:
			return 0, p.errAt(t, ErrBrackets)
		case tokOpen:
			switch {
			case p.header != nil:
				return 0, p.errHeader()
			case mode == modeText:
				return 0, p.errMixed(t)
			case mode == modeDone:
				return 0, p.errAt(t, ErrSyntax)
			case lists > 0 && levels >= 2:
				// A second list of lists would add a dimension.
				return 0, p.errAt(t, ErrNesting)
			}
			mode = modeLists
			lists++
			n, err := p.list(t, lists == 1)
			if err != nil {
				return 0, err
			}
			if lists == 1 {
				levels = n
			}
			prevValue = true
		default: // a word or quoted cell
			if mode == modeNone && t.kind == tokWord && wrappers[p.text(t)] {
				save := p.pos
				if open := p.next(); open.kind == tokOpen && p.s[open.start] == '(' {
					if p.header != nil {
						return 0, p.errHeader()
					}
					d, err := p.wrapper(open)
					if err != nil {
						return 0, err
					}
					mode, dims = modeDone, d
					continue
				}
				p.pos = save
			}
			v, err := p.value(t)
			if err != nil {
				return 0, err
			}
			switch mode {
			case modeLists:
				return 0, p.errMixed(t)
			case modeDone:
				return 0, p.errAt(t, ErrSyntax)
			}
			mode = modeText
			p.add(t, v)
			prevValue = true
		}
	}
}

// maxLevels is how deeply lists may nest: four levels, a 4-D tensor.
const maxLevels = 4

// list parses a bracketed list after its opening bracket, appending its
// rows, and returns its levels: 1 for a flat list (one row), 2 for a list
// of lists (a row each), 3 or 4 for deeper ones, whose innermost lists are
// the rows and whose shape it records (parser.shape). The lists at each
// level must have as many elements. It loops rather than recurses, and
// stops past maxLevels, so deep nesting costs neither stack nor time. Only
// the first top-level list may hold lists (allowNested): "[1,2] [3,4]" is
// two rows, but "[[1]] [[2]]" would add a dimension.
func (p *parser) list(open token, allowNested bool) (int, error) {
	var opens [maxLevels]token
	var count [maxLevels]int // elements so far of the open list at each depth
	var shape [maxLevels]int // elements of every list at each depth, once one closed
	opens[0] = open
	depth := 1
	leaf := 0 // the depth of the lists that hold numbers; 0 until known
	prevValue := false
	p.last = open
	for {
		t := p.nextToken()
		switch t.kind {
		case tokEOF:
			return 0, p.errAt(opens[depth-1], ErrBrackets)
		case tokSemicolon:
			return 0, p.errAt(t, ErrSyntax)
		case tokComma:
			if !prevValue {
				return 0, p.errEmptyValue(t)
			}
			prevValue = false
		case tokOpen:
			if depth == maxLevels || !allowNested {
				return 0, p.errAt(t, ErrNesting)
			}
			if leaf != 0 && leaf <= depth {
				return 0, p.errMixed(t)
			}
			count[depth-1]++
			opens[depth], count[depth] = t, 0
			depth++
			p.last = t
			prevValue = false
		case tokClose:
			if !p.matches(opens[depth-1], t) {
				return 0, p.errAt(t, ErrBrackets)
			}
			if leaf == 0 {
				leaf = depth // an empty list: a row of nothing
			}
			switch {
			case depth == leaf:
				// An innermost list is a row.
				if err := p.endRow(); err != nil {
					return 0, err
				}
			case depth > 1 && shape[depth-1] == 0:
				shape[depth-1] = count[depth-1]
			case depth > 1 && shape[depth-1] != count[depth-1]:
				// A block of another size: (2, 3, 4) cannot hold it.
				return 0, p.errAt(t, ErrRagged)
			}
			if depth == 1 {
				if leaf >= 3 {
					p.shape = append([]int{count[0]}, shape[1:leaf-1]...)
					p.shape = append(p.shape, p.width)
				}
				return leaf, nil
			}
			depth--
			prevValue = true
		default: // a word or quoted cell
			v, err := p.value(t)
			if err != nil {
				return 0, err
			}
			if leaf == 0 {
				leaf = depth
			} else if leaf != depth {
				return 0, p.errMixed(t)
			}
			p.add(t, v)
			prevValue = true
		}
	}
}

// wrapper parses a printout such as tensor(...) after its '(' and returns
// Dims: the single positional argument is the data, and keyword arguments
// such as dtype=torch.float64 are skipped.
func (p *parser) wrapper(open token) (int, error) {
	dims := 0
	t := p.nextToken()
	switch t.kind {
	case tokEOF:
		return 0, p.errAt(open, ErrBrackets)
	case tokClose:
		if !p.matches(open, t) {
			return 0, p.errAt(t, ErrBrackets)
		}
		return 0, nil // tensor(): no numbers
	case tokComma:
		return 0, p.errEmptyValue(t)
	case tokSemicolon:
		return 0, p.errAt(t, ErrSyntax)
	case tokOpen:
		levels, err := p.list(t, true)
		if err != nil {
			return 0, err
		}
		dims = max(1, levels)
	default:
		v, err := p.value(t)
		if err != nil {
			return 0, err
		}
		// The row ends at the ')', so that in tensor(1, 2) the 2 is
		// reported as row 1, column 2.
		p.add(t, v)
	}
	for {
		t := p.nextToken()
		switch t.kind {
		case tokEOF:
			return 0, p.errAt(open, ErrBrackets)
		case tokClose:
			if !p.matches(open, t) {
				return 0, p.errAt(t, ErrBrackets)
			}
			if dims == 0 {
				return 0, p.endRow()
			}
			return dims, nil
		case tokComma:
			if err := p.keyword(open); err != nil {
				return 0, err
			}
		default:
			return 0, p.errAt(t, ErrSyntax)
		}
	}
}

// keyword skips a keyword argument after its comma. It leaves a closing
// parenthesis, which may follow a trailing comma, to the caller.
func (p *parser) keyword(open token) error {
	save := p.pos
	t := p.nextToken()
	if t.kind == tokClose {
		p.pos = save
		return nil
	}
	if t.kind != tokWord {
		if t.kind == tokEOF {
			return p.errAt(open, ErrBrackets)
		}
		return p.errAt(t, ErrSyntax)
	}
	name, value, ok := strings.Cut(p.text(t), "=")
	if !ok || !isIdentifier(name) {
		// Most likely a second positional value, as in tensor(1, 2), or
		// an abbreviation, which deserves its own error.
		if _, err := p.value(t); err != nil {
			return err
		}
		return p.errAt(t, ErrSyntax)
	}
	if value != "" {
		return nil // dtype=torch.float64, grad_fn=<KlDivBackward0>, ...
	}
	// The value follows as a separate token: size=(2, 3), dtype="float32".
	t = p.nextToken()
	switch t.kind {
	case tokWord, tokQuoted:
		return nil
	case tokOpen:
		return p.skipGroup(t)
	case tokEOF:
		return p.errAt(open, ErrBrackets)
	}
	return p.errAt(t, ErrSyntax)
}

// skipGroup skips a bracketed keyword value such as (2, 3) after its
// opening bracket, with the same depth limit as data.
func (p *parser) skipGroup(open token) error {
	opens := [2]token{open}
	depth := 1
	for depth > 0 {
		t := p.next()
		switch t.kind {
		case tokEOF:
			return p.errAt(opens[depth-1], ErrBrackets)
		case tokOpen:
			if depth == len(opens) {
				return p.errAt(t, ErrNesting)
			}
			opens[depth] = t
			depth++
		case tokClose:
			if !p.matches(opens[depth-1], t) {
				return p.errAt(t, ErrBrackets)
			}
			depth--
		}
	}
	return nil
}

func isIdentifier(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || i > 0 && '0' <= c && c <= '9') {
			return false
		}
	}
	return s != ""
}
