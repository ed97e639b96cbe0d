package tensorfile

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
)

// An .npy header is read by NumPy with ast.literal_eval. pyParser reads
// the part of Python's literal syntax that a header can use: dicts,
// tuples and lists, strings (with prefixes, escapes, implicit
// concatenation and triple quotes), integers (decimal, 0x, 0o, 0b, with
// underscores and one sign), floats, True, False and None, with
// whitespace, comments and backslash continuations between tokens.
// Anything else is ErrHeaderSyntax. It works on bytes: all of Python's
// punctuation is ASCII, and non-ASCII bytes may only occur inside strings
// and comments, which are decoded as Latin-1 (versions 1 and 2) or UTF-8
// (version 3).

type pyKind int

const (
	pyDict pyKind = iota + 1
	pyTuple
	pyList
	pyStr
	pyBytes
	pyInt
	pyFloat
	pyBool
	pyNone
)

type pyValue struct {
	kind       pyKind
	start, end int // byte span in the header
	str        string
	u          uint64 // magnitude of an int
	neg, big   bool   // a negative int; one beyond uint64
	b          bool
	keys       []pyValue // a dict's, parallel to items
	items      []pyValue // a dict's values, a tuple's or list's elements
}

// maxNesting bounds how deeply brackets nest; a header needs 2.
const maxNesting = 32

type pyParser struct {
	s      []byte
	i      int
	depth  int
	utf    bool // strings are UTF-8, not Latin-1
	legacy bool // versions 1 and 2: NumPy drops Python 2's "L" suffix of ints
	tensor string
	base   int64
}

var errPy = errors.New("syntax")

// errAt returns ErrHeaderSyntax (or code) at byte i of the header, with the
// text there as Detail.
func (p *pyParser) errAt(code ErrorCode, i int) *Error {
	return newError(code, p.tensor, p.base+int64(i), p.text(i, min(len(p.s), i+16)))
}

// text decodes s[i:j] for an error's Detail or a string's value.
func (p *pyParser) text(i, j int) string {
	b := p.s[i:j]
	if p.utf {
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	return latin1(b)
}

func latin1(b []byte) string {
	ascii := true
	for _, c := range b {
		if c >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return string(b)
	}
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

// parse parses the whole header: one value, then only whitespace. Any
// failure is reported at the furthest byte reached.
func (p *pyParser) parse() (pyValue, error) {
	v, err := p.value()
	if err == nil {
		p.space()
		if p.i < len(p.s) {
			err = errPy
		}
	}
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			return v, e
		}
		return v, p.errAt(ErrHeaderSyntax, min(p.i, len(p.s)))
	}
	return v, nil
}

// space skips whitespace, comments and line continuations.
func (p *pyParser) space() {
	for p.i < len(p.s) {
		switch c := p.s[p.i]; c {
		case ' ', '\t', '\n', '\r', '\f':
			p.i++
		case '#':
			for p.i < len(p.s) && p.s[p.i] != '\n' && p.s[p.i] != '\r' {
				p.i++
			}
		case '\\':
			if p.i+1 < len(p.s) && (p.s[p.i+1] == '\n' || p.s[p.i+1] == '\r') {
				p.i += 2
				continue
			}
			return
		default:
			return
		}
	}
}

func (p *pyParser) peek() byte {
	if p.i < len(p.s) {
		return p.s[p.i]
	}
	return 0
}

func (p *pyParser) value() (pyValue, error) {
	p.space()
	start := p.i
	var v pyValue
	var err error
	switch c := p.peek(); {
	case c == '{' || c == '(' || c == '[':
		if p.depth++; p.depth > maxNesting {
			return v, errPy
		}
		v, err = p.container(c)
		p.depth--
	case c == '\'' || c == '"':
		v, err = p.strings()
	case c >= '0' && c <= '9' || c == '.' && p.i+1 < len(p.s) && isDigit(p.s[p.i+1]):
		v, err = p.number(false)
	case c == '-' || c == '+':
		p.i++
		p.space()
		if c := p.peek(); !(isDigit(c) || c == '.') {
			return v, errPy
		}
		v, err = p.number(c == '-')
	case isNameStart(c):
		j := p.i
		for j < len(p.s) && (isNameStart(p.s[j]) || isDigit(p.s[j])) {
			j++
		}
		word := string(p.s[p.i:j])
		if j < len(p.s) && (p.s[j] == '\'' || p.s[j] == '"') && len(word) <= 2 && isStrPrefix(word) {
			v, err = p.strings()
			break
		}
		p.i = j
		switch word {
		case "True", "False":
			v = pyValue{kind: pyBool, b: word == "True"}
		case "None":
			v = pyValue{kind: pyNone}
		default:
			p.i = start
			return v, errPy
		}
	default:
		return v, errPy
	}
	v.start, v.end = start, p.i
	return v, err
}

func isDigit(c byte) bool     { return c >= '0' && c <= '9' }
func isNameStart(c byte) bool { return c == '_' || c|0x20 >= 'a' && c|0x20 <= 'z' }

// isStrPrefix reports whether w is a string prefix Python accepts:
// u, r, b, br, rb in any case (f-strings are not literals).
func isStrPrefix(w string) bool {
	switch strings.ToLower(w) {
	case "u", "r", "b", "br", "rb":
		return true
	}
	return false
}

// container parses a dict, a tuple (or a parenthesised value) or a list.
func (p *pyParser) container(open byte) (pyValue, error) {
	close := map[byte]byte{'{': '}', '(': ')', '[': ']'}[open]
	p.i++
	v := pyValue{kind: map[byte]pyKind{'{': pyDict, '(': pyTuple, '[': pyList}[open]}
	commas := 0
	for {
		p.space()
		if p.peek() == close {
			p.i++
			break
		}
		if len(v.items) > commas {
			return v, errPy // two elements without a comma between them
		}
		item, err := p.value()
		if err != nil {
			return v, err
		}
		if open == '{' {
			p.space()
			if p.peek() != ':' {
				return v, errPy
			}
			p.i++
			val, err := p.value()
			if err != nil {
				return v, err
			}
			v.keys = append(v.keys, item)
			item = val
		}
		v.items = append(v.items, item)
		p.space()
		if p.peek() == ',' {
			p.i++
			commas++
		}
	}
	if open == '(' && len(v.items) == 1 && commas == 0 {
		// (x) is x, not a tuple.
		return v.items[0], nil
	}
	return v, nil
}

// strings parses one or more adjacent string literals, which Python
// joins.
func (p *pyParser) strings() (pyValue, error) {
	var sb strings.Builder
	kind := pyKind(0)
	for {
		j := p.i
		for j < len(p.s) && isNameStart(p.s[j]) {
			j++
		}
		prefix := strings.ToLower(string(p.s[p.i:j]))
		if j >= len(p.s) || p.s[j] != '\'' && p.s[j] != '"' || prefix != "" && !isStrPrefix(prefix) {
			break
		}
		k := pyStr
		if strings.Contains(prefix, "b") {
			k = pyBytes
		}
		if kind != 0 && k != kind {
			return pyValue{}, errPy // Python cannot join bytes and str
		}
		kind = k
		p.i = j
		if err := p.stringBody(&sb, strings.Contains(prefix, "r"), k == pyBytes); err != nil {
			return pyValue{}, err
		}
		p.space()
	}
	return pyValue{kind: kind, str: sb.String()}, nil
}

// stringBody parses one quoted literal at p.i into sb.
func (p *pyParser) stringBody(sb *strings.Builder, raw, isBytes bool) error {
	q := p.s[p.i]
	triple := p.i+2 < len(p.s) && p.s[p.i+1] == q && p.s[p.i+2] == q
	if triple {
		p.i += 3
	} else {
		p.i++
	}
	lit := p.i // start of the run of literal bytes
	flush := func(end int) { sb.WriteString(p.text(lit, end)) }
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == q && (!triple || p.i+2 < len(p.s) && p.s[p.i+1] == q && p.s[p.i+2] == q):
			flush(p.i)
			if triple {
				p.i += 3
			} else {
				p.i++
			}
			return nil
		case (c == '\n' || c == '\r') && !triple:
			return errPy
		case isBytes && c >= 0x80:
			return errPy // bytes literals are ASCII
		case c == '\\':
			if p.i+1 >= len(p.s) {
				return errPy
			}
			if raw {
				p.i += 2 // the backslash stays, but the quote after it does not end the string
				continue
			}
			flush(p.i)
			if err := p.escape(sb, isBytes); err != nil {
				return err
			}
			lit = p.i
		default:
			p.i++
		}
	}
	return errPy
}

// escape decodes the escape sequence at p.i (a backslash) into sb.
func (p *pyParser) escape(sb *strings.Builder, isBytes bool) error {
	c := p.s[p.i+1]
	p.i += 2
	simple := map[byte]string{'\\': `\`, '\'': `'`, '"': `"`, 'a': "\a", 'b': "\b", 'f': "\f", 'n': "\n", 'r': "\r", 't': "\t", 'v': "\v", '\n': "", '\r': ""}
	if s, ok := simple[c]; ok {
		if c == '\r' && p.peek() == '\n' {
			p.i++
		}
		sb.WriteString(s)
		return nil
	}
	hex := func(n int) (uint64, error) {
		if p.i+n > len(p.s) {
			return 0, errPy
		}
		v, err := strconv.ParseUint(string(p.s[p.i:p.i+n]), 16, 32)
		if err != nil {
			return 0, errPy
		}
		p.i += n
		return v, nil
	}
	switch {
	case c >= '0' && c <= '7':
		v := uint64(c - '0')
		for k := 0; k < 2 && p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '7'; k++ {
			v = v*8 + uint64(p.s[p.i]-'0')
			p.i++
		}
		sb.WriteRune(rune(v))
	case c == 'x':
		v, err := hex(2)
		if err != nil {
			return err
		}
		sb.WriteRune(rune(v))
	case (c == 'u' || c == 'U') && !isBytes:
		v, err := hex(map[byte]int{'u': 4, 'U': 8}[c])
		if err != nil || v > utf8.MaxRune {
			return errPy
		}
		sb.WriteRune(rune(v))
	case c == 'N' && !isBytes:
		return errPy // named characters: not worth a table of Unicode names
	default:
		// Python keeps an unknown escape as it is.
		sb.WriteByte('\\')
		p.i--
	}
	return nil
}

// number parses an int or float literal at p.i; neg is a sign already
// consumed.
func (p *pyParser) number(neg bool) (pyValue, error) {
	j := p.i
	isFloat := false
	if p.s[j] == '0' && j+1 < len(p.s) && strings.IndexByte("xXoObB", p.s[j+1]) >= 0 {
		j += 2
		for j < len(p.s) && (isHex(p.s[j]) || p.s[j] == '_') {
			j++
		}
	} else {
		for j < len(p.s) && (isDigit(p.s[j]) || p.s[j] == '_') {
			j++
		}
		if j < len(p.s) && p.s[j] == '.' {
			isFloat = true
			j++
			for j < len(p.s) && (isDigit(p.s[j]) || p.s[j] == '_') {
				j++
			}
		}
		if j < len(p.s) && (p.s[j] == 'e' || p.s[j] == 'E') {
			isFloat = true
			j++
			if j < len(p.s) && (p.s[j] == '+' || p.s[j] == '-') {
				j++
			}
			for j < len(p.s) && (isDigit(p.s[j]) || p.s[j] == '_') {
				j++
			}
		}
	}
	text := string(p.s[p.i:j])
	if j < len(p.s) && (isNameStart(p.s[j]) || isDigit(p.s[j])) {
		if !(p.legacy && !isFloat && p.s[j] == 'L' && (j+1 == len(p.s) || !isNameStart(p.s[j+1]) && !isDigit(p.s[j+1]))) {
			return pyValue{}, errPy // 1j, 1x, ...
		}
		j++ // Python 2's long suffix, which NumPy's reader removes
	}
	p.i = j
	if isFloat {
		if _, err := strconv.ParseFloat(strings.ReplaceAll(text, "_", ""), 64); err != nil && !errors.Is(err, strconv.ErrRange) {
			return pyValue{}, errPy
		}
		return pyValue{kind: pyFloat, neg: neg}, nil
	}
	// Python 3 has no octal "017"; "00" is zero.
	if len(text) > 1 && text[0] == '0' && (isDigit(text[1]) || text[1] == '_') && strings.Trim(text, "0_") != "" {
		return pyValue{}, errPy
	}
	u, err := strconv.ParseUint(text, 0, 64)
	switch {
	case errors.Is(err, strconv.ErrRange):
		return pyValue{kind: pyInt, neg: neg, big: true}, nil
	case err != nil:
		return pyValue{}, errPy
	}
	return pyValue{kind: pyInt, neg: neg, u: u}, nil
}

func isHex(c byte) bool { return isDigit(c) || c|0x20 >= 'a' && c|0x20 <= 'f' }
