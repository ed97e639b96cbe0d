package textparse

// What Parse reads before the data: the first line of a printed
// torch.nn.Parameter, and the header line of a CSV or TSV file.

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

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
	p.widthFromHeader = true
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
