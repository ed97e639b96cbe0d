package compute

import "strconv"

// FormatFloat formats x in the shortest form that [github.com/klcalc/klcalc/compute/textparse.ParseFloat] reads back
// as exactly x: strconv.FormatFloat(x, 'g', -1, 64), giving for example
// "0.1", "1e-300", "5e-324", "-0", "NaN", "+Inf" and "-Inf".
func FormatFloat(x float64) string {
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// AppendFloat appends FormatFloat(x) to dst.
func AppendFloat(dst []byte, x float64) []byte {
	return strconv.AppendFloat(dst, x, 'g', -1, 64)
}

// FormatRow formats a row as its values separated by commas, without
// spaces, as in "0.1,0.4,0.5", so that it can travel in a URL.
func FormatRow(row []float64) string {
	return string(appendRow(make([]byte, 0, 24*len(row)), row, ","))
}

// FormatRows formats rows as [FormatRow] does, separated by semicolons, as
// in "0.1,0.9;0.5,0.5". [github.com/klcalc/klcalc/compute/textparse.Parse] reads the result back bit for bit,
// with Dims 2 if there are several rows, as long as the rows are
// non-empty and of equal length, which is what textparse.Parse returns.
func FormatRows(rows [][]float64) string {
	return formatRows(rows, ",", ";")
}

// FormatRowsPretty formats rows for a text area: one row per line, values
// separated by ", ". Like [FormatRows], it round-trips through
// [github.com/klcalc/klcalc/compute/textparse.Parse].
func FormatRowsPretty(rows [][]float64) string {
	return formatRows(rows, ", ", "\n")
}

func formatRows(rows [][]float64, valueSep, rowSep string) string {
	n := 0
	for _, row := range rows {
		n += len(row)
	}
	b := make([]byte, 0, 24*n+len(rows))
	for i, row := range rows {
		if i > 0 {
			b = append(b, rowSep...)
		}
		b = appendRow(b, row, valueSep)
	}
	return string(b)
}

// appendRow appends to b rather than joining strings, so that formatting a
// large matrix allocates only its result.
func appendRow(b []byte, row []float64, sep string) []byte {
	for i, x := range row {
		if i > 0 {
			b = append(b, sep...)
		}
		b = strconv.AppendFloat(b, x, 'g', -1, 64)
	}
	return b
}
