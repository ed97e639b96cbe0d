package textparse

// The tokenizer of Parse: words, quoted cells, brackets, separators
// and line breaks, as byte offsets, and their conversion to line and column.

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

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

func matches(open, close byte) bool {
	return open == '[' && close == ']' || open == '(' && close == ')'
}

func (p *parser) matches(open, close token) bool {
	return matches(p.s[open.start], p.s[close.start])
}
