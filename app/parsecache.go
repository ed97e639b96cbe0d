package app

import "slices"

// parseCache keeps both sides' parsed cells between edits, so that an edit
// of one cell parses that cell: at 100 000 values per side, parsing every
// cell again took 34 ms of wasm per keystroke. Its result is always what
// parseGrid returns for the same rows (TestParseCache).
type parseCache struct {
	sides [2]gridParse // by side
}

// gridParse is one side's cells as last parsed. Its text rows are copies
// of its own, or rows given to seed; like a state's rows (see
// State.detach), none is ever changed in place, so a row that is the same
// slice as one of them holds the same text.
type gridParse struct {
	text [][]string
	vals [][]float64    // never modified once returned: a change clones the row
	errs [][]*CellError // per row, in column order
}

// parse returns parseGrid(sd, rows), parsing only the cells that differ
// from the last call's at the same row and column.
func (pc *parseCache) parse(sd side, rows [][]string) ([][]float64, []*CellError) {
	if sd != sideP && sd != sideQ {
		return parseGrid(sd, rows)
	}
	return pc.sides[sd].parse(sd, rows)
}

func (g *gridParse) parse(sd side, rows [][]string) ([][]float64, []*CellError) {
	text := make([][]string, len(rows))
	vals := make([][]float64, len(rows))
	errs := make([][]*CellError, len(rows))
	for i, r := range rows {
		if i < len(g.text) && sameSlice(g.text[i], r) {
			text[i], vals[i], errs[i] = g.text[i], g.vals[i], g.errs[i]
			continue
		}
		if i < len(g.text) && len(g.text[i]) == len(r) {
			text[i], vals[i], errs[i] = g.patch(sd, i, r)
			continue
		}
		text[i] = slices.Clone(r)
		vals[i], errs[i] = parseRow(sd, i, r)
	}
	g.text, g.vals, g.errs = text, vals, errs
	var all []*CellError
	for _, e := range errs {
		all = append(all, e...)
	}
	return vals, all
}

// patch reparses the cells of row i that changed since the last parse.
func (g *gridParse) patch(sd side, i int, r []string) ([]string, []float64, []*CellError) {
	text, vals, errs := g.text[i], g.vals[i], g.errs[i]
	cloned := false
	for j, c := range r {
		if c == text[j] {
			continue
		}
		if !cloned {
			text, vals, errs = slices.Clone(text), slices.Clone(vals), slices.Clone(errs)
			cloned = true
		}
		text[j] = c
		v, err := parseCell(c)
		vals[j] = v
		// Drop the cell's old error, then insert its new one in column order.
		errs = slices.DeleteFunc(errs, func(e *CellError) bool { return e.Col == j })
		if err != nil {
			vals[j] = 0
			k, _ := slices.BinarySearchFunc(errs, j, func(e *CellError, col int) int { return e.Col - col })
			errs = slices.Insert(errs, k, &CellError{Side: sd, Row: i, Col: j, Err: err})
		}
	}
	return text, vals, errs
}

// parseRow parses row i of side sd.
func parseRow(sd side, i int, r []string) ([]float64, []*CellError) {
	vals := make([]float64, len(r))
	var errs []*CellError
	for j, c := range r {
		v, err := parseCell(c)
		if err != nil {
			errs = append(errs, &CellError{Side: sd, Row: i, Col: j, Err: err})
			continue
		}
		vals[j] = v
	}
	return vals, errs
}

// seed records rows whose values are known exactly, as a side's values
// written as text are (calculator.materialize): vals[i][j] must be what
// parseCell(text[i][j]) gives (text written by compute.FormatFloat, which
// round-trips). The rows are kept, not
// copied, and must never change in place, as a state's never do. The next
// parse of the same rows then parses and compares nothing: at 2 × 1 024 000
// values, copying and comparing them took 160 ms of wasm.
func (pc *parseCache) seed(sd side, text [][]string, vals [][]float64) {
	if sd != sideP && sd != sideQ {
		return
	}
	pc.sides[sd] = gridParse{text: slices.Clone(text), vals: vals, errs: make([][]*CellError, len(text))}
}

// sameSlice reports whether a and b are the same slice: the same length
// and, unless empty, the same first element.
func sameSlice[T any](a, b []T) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}
