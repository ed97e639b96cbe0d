package app

// resizeOp is a change of a grid's shape.
type resizeOp int

const (
	addRow resizeOp = iota
	removeRow
	addCol
	removeCol
)

// resize returns rows with a row or column added (empty cells: "0") or
// removed; a grid always keeps at least one row and one column.
func resize(rows [][]string, op resizeOp) [][]string {
	cols := 1
	if len(rows) > 0 {
		cols = len(rows[0])
	}
	switch op {
	case addRow:
		r := make([]string, cols)
		for i := range r {
			r[i] = "0"
		}
		return append(rows, r)
	case removeRow:
		if len(rows) > 1 {
			return rows[:len(rows)-1]
		}
	case addCol:
		for i := range rows {
			rows[i] = append(rows[i], "0")
		}
	case removeCol:
		for i := range rows {
			if len(rows[i]) > 1 {
				rows[i] = rows[i][:len(rows[i])-1]
			}
		}
	}
	return rows
}
