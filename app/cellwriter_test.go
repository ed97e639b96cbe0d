package app

import (
	"math"
	"testing"
	"time"

	"github.com/klcalc/klcalc/compute"
)

// TestCellWriter checks that writing in slices gives every cell
// compute.FormatFloat's text, whatever the slices, over rows longer than
// a run, empty rows and two sides, and that progress only grows.
func TestCellWriter(t *testing.T) {
	long := make([]float64, 10_000)
	for i := range long {
		long[i] = math.Sin(float64(i)) * math.Pow(10, float64(i%40-20))
	}
	sides := [][][]float64{
		{long, {}, {math.NaN(), math.Inf(-1), math.Copysign(0, -1), 5e-324}},
		{{0.1, 0.2}, long[:4097]},
	}
	for _, budget := range []time.Duration{0, time.Nanosecond, time.Millisecond} {
		var w cellWriter
		for k, rows := range sides {
			w.add(side(k), rows)
		}
		steps, last := 0, -1
		for !w.write(budget) {
			if w.done <= last {
				t.Fatalf("budget %v: progress %d after %d", budget, w.done, last)
			}
			last = w.done
			if steps++; steps > 100 {
				t.Fatalf("budget %v: not done after %d slices", budget, steps)
			}
		}
		if w.done != w.total || w.total != 10_000+4+2+4097 {
			t.Errorf("budget %v: %d of %d values written", budget, w.done, w.total)
		}
		for k, rows := range sides {
			for i, row := range rows {
				for j, v := range row {
					if got, want := w.sides[k].text[i][j], compute.FormatFloat(v); got != want {
						t.Fatalf("budget %v: side %d row %d col %d: %q, want %q", budget, k, i, j, got, want)
					}
				}
			}
		}
		if budget == time.Nanosecond && steps < 3 {
			t.Errorf("a 1 ns budget wrote everything in %d slices", steps+1)
		}
	}
}
