package app

import (
	"math"
	"testing"

	"github.com/klcalc/klcalc/compute"
)

// TestFormatRows checks that every cell gets compute.FormatFloat's text,
// over rows longer than a run, an empty row and special values.
func TestFormatRows(t *testing.T) {
	long := make([]float64, 10_000)
	for i := range long {
		long[i] = math.Sin(float64(i)) * math.Pow(10, float64(i%40-20))
	}
	rows := [][]float64{long, {}, {math.NaN(), math.Inf(-1), math.Copysign(0, -1), 5e-324}, {0.1, 0.2}, long[:4097]}
	text := formatRows(rows)
	if len(text) != len(rows) {
		t.Fatalf("%d rows, want %d", len(text), len(rows))
	}
	for i, row := range rows {
		if len(text[i]) != len(row) {
			t.Fatalf("row %d: %d cells, want %d", i, len(text[i]), len(row))
		}
		for j, v := range row {
			if got, want := text[i][j], compute.FormatFloat(v); got != want {
				t.Fatalf("row %d col %d: %q, want %q", i, j, got, want)
			}
		}
	}
}
