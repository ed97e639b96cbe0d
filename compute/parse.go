package compute

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Errors reported in [ParseError.Err]. Test for them with [errors.Is].
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
	ErrNesting = errors.New("brackets nested deeper than 2 levels")

	// ErrBrackets reports a bracket without its partner, or a ']' closing
	// a '(' and vice versa.
	ErrBrackets = errors.New("unbalanced brackets")

	// ErrAbbreviated reports the "..." with which PyTorch and NumPy
	// summarise large arrays: the elided values cannot be recovered.
	ErrAbbreviated = errors.New("printout is abbreviated with an ellipsis")
)

// abbreviatedHint tells the user how to get a printout that can be parsed.
const abbreviatedHint = `; print it in full after torch.set_printoptions(profile="full") or np.set_printoptions(threshold=sys.maxsize)`

// maxTokenRunes bounds [ParseError.Token], so that an error message
// stays readable when the offending token is megabytes long.
const maxTokenRunes = 40

// A ParseError records a failed parse. Positions are 1-based; they are
// zero when they do not apply, as for [ErrEmpty].
type ParseError struct {
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

	// For ErrRagged: the row that set the expected length ("row 1" or
	// "header") and that length, or mixed for a list mixing numbers and
	// lists. Unexported so that Error still works on a ParseError built
	// by hand.
	ref    string
	refLen int
	mixed  bool
}

// Error returns a lower-case message in the style of the strconv package,
// such as `compute: row 2, column 3: "1e": invalid number`.
func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString("compute: ")
	switch {
	case e.Err == ErrRagged && !e.mixed && e.Row > 0:
		b.WriteString("row ")
		b.WriteString(strconv.Itoa(e.Row))
		b.WriteString(" has ")
		b.WriteString(values(e.Col))
		if e.ref != "" {
			b.WriteString(", ")
			b.WriteString(e.ref)
			b.WriteString(" has ")
			b.WriteString(strconv.Itoa(e.refLen))
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
		if e.mixed {
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
func (e *ParseError) Unwrap() error { return e.Err }

func values(n int) string {
	if n == 1 {
		return "1 value"
	}
	return strconv.Itoa(n) + " values"
}

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
}

// ParseMatrix parses a matrix of float64 values pasted as plain text,
// CSV or TSV, JSON or Python lists, or a PyTorch or NumPy printout.
//
// Numbers have the syntax of [ParseFloat]. They are separated by commas,
// spaces or tabs. Outside brackets, semicolons and line breaks end rows,
// so "0.1,0.9;0.5,0.5" holds two rows; blank rows are skipped. Inside
// brackets, [ ] or ( ), line breaks are spacing and rows come from the
// brackets: a flat list is one row, a list of lists is one row per inner
// list, and several flat lists in sequence are one row each. Commas are
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
// [[0.1,0.9]] has Dims 2.
//
// The error is a *[ParseError] wrapping ErrSyntax for a token that is not
// a number, ErrAbbreviated for the "..." of a summarised printout,
// ErrRagged for rows of different lengths, ErrNesting for brackets nested
// deeper than 2 levels, ErrBrackets for unbalanced brackets, or ErrEmpty
// for input without numbers. ParseMatrix runs in time linear in len(s).
func ParseMatrix(s string) (Matrix, error) {
	p := parser{s: s, width: -1}
	if strings.HasPrefix(s, "\uFEFF") {
		p.bom = len("\uFEFF")
		p.pos = p.bom
	}
	p.skipParameterPrefix()
	p.readHeader()
	dims, err := p.parse()
	if err != nil {
		return Matrix{}, err
	}
	if len(p.vals) == 0 {
		return Matrix{}, &ParseError{Err: ErrEmpty}
	}
	// One backing array for all rows saves an allocation per row; the
	// capacity limit keeps an append to one row from overwriting the next.
	rows := make([][]float64, len(p.rowEnds))
	start := 0
	for i, end := range p.rowEnds {
		rows[i] = p.vals[start:end:end]
		start = end
	}
	return Matrix{Rows: rows, Dims: dims, Header: p.header}, nil
}

// ParseFloat parses one number with the syntax ParseMatrix accepts:
// a decimal number as accepted by [strconv.ParseFloat], such as 1e-3,
// 1E+5, .5 or 5. (NumPy's trailing dot), with an optional sign; or inf,
// infinity or nan in any case, also signed. A leading U+2212 minus sign or
// U+2013 en dash counts as '-', here and in an exponent, because text
// pasted from papers uses them. Hexadecimal floats and underscores are
// rejected: nobody pastes them, and a narrower syntax makes junk easier
// to spot. Values too large for a float64 become ±Inf, as in Python.
// Surrounding white space is ignored.
//
// The error is a *[ParseError] wrapping ErrSyntax, with Row and Col 1.
func ParseFloat(s string) (float64, error) {
	t := strings.TrimSpace(s)
	if v, ok := parseNumber(t); ok {
		return v, nil
	}
	p := parser{s: s}
	line, col := p.lineCol(len(s) - len(strings.TrimLeftFunc(s, unicode.IsSpace)))
	return 0, &ParseError{Row: 1, Col: 1, Line: line, Column: col, Token: shorten(t), Err: ErrSyntax}
}

// parseNumber is ParseFloat without the error value, so that the hot
// path of ParseMatrix allocates nothing.
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

type tokKind uint8

const (
	tokEOF       tokKind = iota
	tokWord              // a run of other runes: a number, a keyword argument or junk
	tokQuoted            // a double-quoted CSV cell, "" standing for a quote
	tokBadQuote          // a double quote without its partner
	tokOpen              // [ or (
	tokClose             // ] or )
	tokComma             // ,
	tokSemicolon         // ;
	tokNewline           // \n, \r\n or \r
)

type token struct {
	kind       tokKind
	start, end int // byte offsets in parser.s
}

// delim marks the ASCII bytes that end a word.
var delim = [utf8.RuneSelf]bool{
	' ': true, '\t': true, '\v': true, '\f': true, '\r': true, '\n': true,
	',': true, ';': true, '[': true, ']': true, '(': true, ')': true, '"': true,
}

type parser struct {
	s   string
	pos int // byte offset of the next token
	bom int // length of a leading byte-order mark, which has no column

	// The rows: row i is vals[rowEnds[i-1]:rowEnds[i]].
	vals    []float64
	rowEnds []int

	width    int    // the length every row must have, or -1 until known
	widthRef string // what set width: "row 1" or "header"
	last     token  // the last value of the current row, or its opening bracket
	extra    token  // the value that made the current row longer than width

	header    []string
	headerTok token // first header cell, blamed if brackets follow the header
}

func (p *parser) next() token {
	s := p.s
	i := p.pos
	for i < len(s) {
		c := s[i]
		k := tokWord
		n := 1
		switch c {
		case ' ', '\t', '\v', '\f':
			i++
			continue
		case '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
				continue
			}
			k = tokNewline
		case '\n':
			k = tokNewline
		case ',':
			k = tokComma
		case ';':
			k = tokSemicolon
		case '[', '(':
			k = tokOpen
		case ']', ')':
			k = tokClose
		case '"':
			k = tokBadQuote
			for j := i + 1; ; {
				q := strings.IndexByte(s[j:], '"')
				if q < 0 {
					n = len(s) - i
					break
				}
				j += q + 1
				if j < len(s) && s[j] == '"' {
					j++
					continue
				}
				k = tokQuoted
				n = j - i
				break
			}
		default:
			if c >= utf8.RuneSelf {
				if r, size := utf8.DecodeRuneInString(s[i:]); unicode.IsSpace(r) {
					i += size
					continue
				}
			}
			n = p.wordLen(i)
		}
		p.pos = i + n
		return token{k, i, i + n}
	}
	p.pos = len(s)
	return token{tokEOF, len(s), len(s)}
}

func (p *parser) wordLen(i int) int {
	s := p.s
	j := i
	for j < len(s) {
		c := s[j]
		if c < utf8.RuneSelf {
			if delim[c] {
				break
			}
			j++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[j:])
		if unicode.IsSpace(r) {
			break
		}
		j += size
	}
	return j - i
}

// nextToken skips line breaks, which inside brackets are only spacing.
func (p *parser) nextToken() token {
	for {
		if t := p.next(); t.kind != tokNewline {
			return t
		}
	}
}

func (p *parser) text(t token) string { return p.s[t.start:t.end] }

// skipParameterPrefix skips the first line of a printed torch.nn.Parameter.
func (p *parser) skipParameterPrefix() {
	const prefix = "Parameter containing:"
	rest := strings.TrimLeftFunc(p.s[p.pos:], unicode.IsSpace)
	if strings.HasPrefix(rest, prefix) {
		p.pos = len(p.s) - len(rest) + len(prefix)
	}
}

// lineEnd returns the offset of the line break ending the line at i, or len(s).
func lineEnd(s string, i int) int {
	if j := strings.IndexAny(s[i:], "\r\n"); j >= 0 {
		return i + j
	}
	return len(s)
}

// nextLine returns the offset of the line after the line break at i.
func nextLine(s string, i int) int {
	if i < len(s) && s[i] == '\r' && i+1 < len(s) && s[i+1] == '\n' {
		return i + 2
	}
	return min(i+1, len(s))
}

// readHeader consumes a header line, if there is one. It demands a data line
// after the header so that a lone word like "abc" stays a syntax error.
func (p *parser) readHeader() {
	s := p.s
	start := p.pos
	var end int
	for {
		end = lineEnd(s, start)
		if strings.TrimSpace(s[start:end]) != "" {
			break
		}
		if end == len(s) {
			return
		}
		start = nextLine(s, end)
	}
	line := s[start:end]
	if strings.TrimSpace(s[nextLine(s, end):]) == "" {
		return
	}
	cells, first, ok := splitHeader(line)
	if !ok {
		return
	}
	p.header = cells
	p.headerTok = token{tokWord, start + first[0], start + first[1]}
	p.width = len(cells)
	p.widthRef = "header"
	p.pos = nextLine(s, end)
}

// splitHeader splits a header line into cells, by commas or tabs if it has
// any and by spaces otherwise, and reports whether all cells are words.
// first is the byte range of the first cell in line.
func splitHeader(line string) (cells []string, first [2]int, ok bool) {
	sepComma := strings.ContainsAny(line, ",\t")
	isSep := func(c byte) bool {
		if sepComma {
			return c == ',' || c == '\t'
		}
		return c == ' ' || c == '\t' || c == '\v' || c == '\f'
	}
	i := 0
	for i <= len(line) {
		// Find the end of the cell, skipping separators inside quotes.
		j := i
		quoted := false
		for j < len(line) && (quoted || !isSep(line[j])) {
			if line[j] == '"' {
				quoted = !quoted
			}
			j++
		}
		raw := line[i:j]
		cell := strings.TrimSpace(raw)
		if cell == "" && !sepComma {
			// Runs of spaces are one separator.
		} else if cell == "" && j == len(line) && len(cells) > 0 {
			// One trailing comma is tolerated, as in data rows.
		} else {
			c, good := headerCell(cell)
			if !good {
				return nil, first, false
			}
			if cells == nil {
				lead := len(raw) - len(strings.TrimLeftFunc(raw, unicode.IsSpace))
				first = [2]int{i + lead, i + lead + len(cell)}
			}
			cells = append(cells, c)
		}
		i = j + 1
	}
	return cells, first, len(cells) > 0
}

// headerCell unquotes a header cell and reports whether it is a word. Unquoted
// cells are held to a narrow alphabet so that junk such as <script> is
// reported as a syntax error rather than taken for a header.
func headerCell(cell string) (string, bool) {
	if strings.HasPrefix(cell, `"`) {
		if len(cell) < 2 || !strings.HasSuffix(cell, `"`) {
			return "", false
		}
		inner := cell[1 : len(cell)-1]
		if strings.Count(inner, `"`) != 2*strings.Count(inner, `""`) {
			return "", false
		}
		cell = strings.TrimSpace(strings.ReplaceAll(inner, `""`, `"`))
		if cell == "" || !utf8.ValidString(cell) {
			return "", false
		}
		for _, r := range cell {
			if !unicode.IsPrint(r) {
				return "", false
			}
		}
	} else {
		if cell == "" {
			return "", false
		}
		for i, r := range cell {
			switch {
			case unicode.IsLetter(r) || r == '_':
			case i > 0 && (unicode.IsDigit(r) || strings.ContainsRune(" -.:/%#'+*", r)):
			default:
				return "", false
			}
		}
	}
	if _, num := parseNumber(cell); num {
		return "", false
	}
	return cell, true
}

// lineCol converts a byte offset into a 1-based line and rune column. It is
// only called for errors, which keeps line counting out of the hot path.
func (p *parser) lineCol(off int) (line, col int) {
	s := p.s
	line, start := 1, p.bom
	for i := 0; i < off; i++ {
		switch s[i] {
		case '\n':
			line++
			start = i + 1
		case '\r':
			if i+1 >= len(s) || s[i+1] != '\n' {
				line++
				start = i + 1
			}
		}
	}
	return line, utf8.RuneCountInString(s[start:off]) + 1
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

func (p *parser) rowLen() int {
	if len(p.rowEnds) == 0 {
		return len(p.vals)
	}
	return len(p.vals) - p.rowEnds[len(p.rowEnds)-1]
}

// errAt reports err at token t, at the place of the next value in the matrix.
func (p *parser) errAt(t token, err error) *ParseError {
	line, col := p.lineCol(t.start)
	return &ParseError{
		Row: len(p.rowEnds) + 1, Col: p.rowLen() + 1,
		Line: line, Column: col,
		Token: shorten(p.text(t)), Err: err,
	}
}

func (p *parser) errEmptyValue(comma token) *ParseError {
	e := p.errAt(comma, ErrSyntax)
	e.Token = ""
	return e
}

func (p *parser) errMixed(t token) *ParseError {
	e := p.errAt(t, ErrRagged)
	e.mixed = true
	return e
}

func (p *parser) add(t token, v float64) {
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
		p.widthRef = "row 1"
	} else if n != p.width {
		blame := p.last
		if n > p.width {
			blame = p.extra
		}
		e := p.errAt(blame, ErrRagged)
		e.Col = n
		e.ref = p.widthRef
		e.refLen = p.width
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

func matches(open, close byte) bool {
	return open == '[' && close == ']' || open == '(' && close == ')'
}

func (p *parser) matches(open, close token) bool {
	return matches(p.s[open.start], p.s[close.start])
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
	nested := false    // whether the first top-level list holds lists
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
				if nested || lists > 1 {
					dims = 2
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
			case lists > 0 && nested:
				// A second list of lists would make three dimensions.
				return 0, p.errAt(t, ErrNesting)
			}
			mode = modeLists
			lists++
			n, err := p.list(t, lists == 1)
			if err != nil {
				return 0, err
			}
			if lists == 1 {
				nested = n
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

// errHeader blames the header for brackets in what follows it: a header
// line belongs to CSV, so the "header" was junk before a list.
func (p *parser) errHeader() *ParseError {
	line, col := p.lineCol(p.headerTok.start)
	return &ParseError{Row: 1, Col: 1, Line: line, Column: col, Token: shorten(p.text(p.headerTok)), Err: ErrSyntax}
}

// list parses a bracketed list after its opening bracket, appending its
// rows, and reports whether it held lists. It loops rather than recurses,
// and stops at the third level, so deep nesting costs neither stack nor
// time. Only the first top-level list may hold lists (allowNested):
// "[1,2] [3,4]" is two rows, but "[[1]] [[2]]" would be three dimensions.
func (p *parser) list(open token, allowNested bool) (bool, error) {
	const (
		kindEmpty = iota
		kindNumbers
		kindLists
	)
	kind := kindEmpty // of the outer list
	opens := [2]token{open}
	depth := 1
	prevValue := false
	p.last = open
	for {
		t := p.nextToken()
		switch t.kind {
		case tokEOF:
			return false, p.errAt(opens[depth-1], ErrBrackets)
		case tokSemicolon:
			return false, p.errAt(t, ErrSyntax)
		case tokComma:
			if !prevValue {
				return false, p.errEmptyValue(t)
			}
			prevValue = false
		case tokOpen:
			if depth == 2 || !allowNested {
				return false, p.errAt(t, ErrNesting)
			}
			if kind == kindNumbers {
				return false, p.errMixed(t)
			}
			kind = kindLists
			opens[1] = t
			depth = 2
			p.last = t
			prevValue = false
		case tokClose:
			if !p.matches(opens[depth-1], t) {
				return false, p.errAt(t, ErrBrackets)
			}
			if depth == 2 || kind != kindLists {
				// An inner list, or a flat outer list, is a row.
				if err := p.endRow(); err != nil {
					return false, err
				}
			}
			if depth == 1 {
				return kind == kindLists, nil
			}
			depth = 1
			prevValue = true
		default: // a word or quoted cell
			v, err := p.value(t)
			if err != nil {
				return false, err
			}
			if depth == 1 {
				if kind == kindLists {
					return false, p.errMixed(t)
				}
				kind = kindNumbers
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
		nested, err := p.list(t, true)
		if err != nil {
			return 0, err
		}
		dims = 1
		if nested {
			dims = 2
		}
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
