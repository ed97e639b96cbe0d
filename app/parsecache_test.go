package app

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/klcalc/klcalc/compute"
)

// sameBits reports whether a and b hold the same floats, bit for bit (NaN
// included).
func sameBits(a, b [][]float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if math.Float64bits(a[i][j]) != math.Float64bits(b[i][j]) {
				return false
			}
		}
	}
	return true
}

// TestParseCache: after every step of random edits (cells made valid,
// invalid or empty, rows and columns added and removed, the sides
// replaced), the cache returns what parseGrid returns for the same rows.
// The source is the definition: parseCache.parse must equal parseGrid.
func TestParseCache(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	cells := []string{"0.1", "0.25", "", "x", "1e-3", " 0.5 ", "nan", "-inf", "0x1p-2", "1,5"}
	cell := func() string { return cells[r.IntN(len(cells))] }
	for run := range 20 {
		var pc parseCache
		rows := [][]string{{"0.2", "0.3", "0.5"}}
		for step := range 60 {
			k := r.IntN(10)
			if k < 9 {
				rows = cloneRows(rows) // a fresh copy of every row
			}
			switch {
			case k < 6 && len(rows) > 0 && len(rows[0]) > 0: // one cell, as typing does
				i := r.IntN(len(rows))
				rows[i][r.IntN(len(rows[i]))] = cell()
			case k == 6: // a row added
				row := make([]string, 1+r.IntN(4))
				for j := range row {
					row[j] = cell()
				}
				rows = append(rows, row)
			case k == 7 && len(rows) > 1: // a row removed
				rows = append(rows[:0:0], rows[1:]...)
			case k == 8 && len(rows) > 0: // a column added to one row
				i := r.IntN(len(rows))
				rows[i] = append(rows[i], cell())
			default: // in place, without a copy: the cache must not share it
				if len(rows) > 0 && len(rows[0]) > 0 {
					rows[0][0] = cell()
				}
			}
			for _, sd := range []side{sideP, sideQ} {
				gotV, gotE := pc.parse(sd, rows)
				wantV, wantE := parseGrid(sd, rows)
				if !sameBits(gotV, wantV) || fmt.Sprint(gotE) != fmt.Sprint(wantE) {
					t.Fatalf("run %d step %d %v: rows %q\ncache %v %v\nparseGrid %v %v", run, step, sd, rows, gotV, gotE, wantV, wantE)
				}
			}
		}
	}
}

func cloneRows(rows [][]string) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = slices.Clone(r)
	}
	return out
}

// TestParseCacheSeed: seeded rows written by FormatFloat parse to what
// parseGrid gives, specials included.
func TestParseCacheSeed(t *testing.T) {
	vals := [][]float64{{0.1, math.Copysign(0, -1), math.Inf(1), math.NaN(), 1e-310, float64(float32(0.7))}}
	text := [][]string{make([]string, len(vals[0]))}
	for j, v := range vals[0] {
		text[0][j] = compute.FormatFloat(v)
	}
	var pc parseCache
	pc.seed(sideQ, text, vals)
	got, errs := pc.parse(sideQ, text)
	want, werrs := parseGrid(sideQ, text)
	if len(errs) != 0 || len(werrs) != 0 {
		t.Fatalf("errors: %v %v", errs, werrs)
	}
	for j := range want[0] {
		if math.Float64bits(got[0][j]) != math.Float64bits(want[0][j]) && !(math.IsNaN(got[0][j]) && math.IsNaN(want[0][j])) {
			t.Errorf("[%d] seeded %v, parsed %v", j, got[0][j], want[0][j])
		}
	}
}
