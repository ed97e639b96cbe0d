package app

import (
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/klcalc/klcalc/compute"
)

// valsState is float32State with both sides as a tensor file's values
// (State.PVals), and the same state as cell text.
func valsState(seed uint64, rows, cols int) (vals, text State) {
	text = float32State(seed, rows, cols)
	vals = text
	for _, sd := range []side{sideP, sideQ} {
		v, errs := parseGrid(sd, *text.rows(sd))
		if len(errs) > 0 {
			panic(errs[0])
		}
		vals.setVals(sd, v)
	}
	return vals, text
}

// TestValsAreTheirText: a side held as values is the same state as its
// cells' text (FormatFloat's, which parses back to the same float64): the
// same compute inputs, the same readable link, and a link of either that
// opens with the same bits; a large one's link is the binary one.
func TestValsAreTheirText(t *testing.T) {
	for _, c := range []struct{ rows, cols int }{{1, 5}, {3, 7}, {8, 2000}} {
		vals, text := valsState(uint64(c.rows*c.cols), c.rows, c.cols)
		if vals.P != nil || vals.size() != text.size() || vals.numRows(sideQ) != c.rows || vals.numCols(sideQ) != c.cols {
			t.Fatalf("%v: P %v, size %d (text %d), Q %d × %d", c, vals.P, vals.size(), text.size(), vals.numRows(sideQ), vals.numCols(sideQ))
		}
		if !reflect.DeepEqual(vals.textRows(sideP), text.P) {
			t.Fatalf("%v: textRows differs from the text", c)
		}
		p1, q1, opt1, _, err1 := vals.problem()
		p2, q2, opt2, _, err2 := text.problem()
		if err1 != nil || err2 != nil || !reflect.DeepEqual(p1, p2) || !reflect.DeepEqual(q1, q2) || opt1 != opt2 {
			t.Fatalf("%v: problem differs: %v %v", c, err1, err2)
		}
		if r1, r2 := vals.EncodeReadable(), text.EncodeReadable(); r1 != r2 {
			t.Fatalf("%v: readable links differ:\n%.200s\n%.200s", c, r1, r2)
		}
		for _, s := range []State{vals, text} {
			enc := s.Encode()
			got, err := DecodeState(enc)
			if err != nil {
				t.Fatalf("%v: %v", c, err)
			}
			assertSameBits(t, text, got)
			if s.PVals != nil && c.rows*c.cols*2 > binaryFirstAbove {
				// Over a limit, the binary link's length is the answer:
				// the values' text is not written to try it.
				enc, over, ok := s.encodeWithin(nil, len(enc)/2)
				if !ok || enc != "" || over <= 0 {
					t.Errorf("%v: over the limit, encodeWithin gave %.10q, over %d, %v", c, enc, over, ok)
				}
			}
			if big := c.rows*c.cols*2 > binaryFirstAbove; big && s.PVals != nil && !strings.HasPrefix(enc, keyBinary+"=1") {
				t.Errorf("%v: a tensor file's link is %.10s…, want the binary one", c, enc)
			}
		}
	}
}

// TestValsEdits: an edit of a side's cells makes its values text first
// (materialize), keeping every other value; a fix maps the values and
// keeps them numbers; a swap exchanges them; the rows of the state before
// the edit are left as they were.
func TestValsEdits(t *testing.T) {
	vals, text := valsState(7, 2, 3)
	before := slices.Clone(vals.PVals[0])

	s := vals
	s.detach()
	s.setCell(sideP, 1, 2, "0.5")
	want := text
	want.detach()
	want.setCell(sideP, 1, 2, "0.5")
	if s.PVals != nil || !reflect.DeepEqual(s.P, want.P) || s.QVals == nil {
		t.Errorf("setCell: P %v PVals %v, want P %v and Q still values", s.P, s.PVals, want.P)
	}

	s = vals
	s.detach()
	s.resize(sideQ, addCol) // both sides have 3 classes: both grow
	if s.PVals != nil || s.QVals != nil || len(s.P[0]) != 4 || len(s.Q[1]) != 4 || s.Q[1][3] != "0" || s.Q[1][0] != text.Q[1][0] {
		t.Errorf("resize: P %v, Q %v", s.P, s.Q)
	}

	s = vals
	s.detach()
	fixAction{Kind: fixRenormalise, Side: sideQ}.apply(&s)
	if s.QVals == nil {
		t.Fatal("renormalise: Q is no longer values")
	}
	for i, r := range s.QVals {
		sum := 0.0
		for _, v := range r {
			sum += v
		}
		if math.Abs(sum-1) > 1e-15 || r[0] != vals.QVals[i][0]/(vals.QVals[i][0]+vals.QVals[i][1]+vals.QVals[i][2]) {
			t.Errorf("renormalise: row %d %v sums to %v", i, r, sum)
		}
	}

	s = vals
	s.swap()
	if !sameSlice(s.PVals, vals.QVals) || !sameSlice(s.QVals, vals.PVals) {
		t.Error("swap: the values did not change sides")
	}
	if !slices.Equal(vals.PVals[0], before) {
		t.Error("an edit wrote into the values of the state before it")
	}
	if !vals.sameInputs(vals) || vals.sameInputs(text) {
		t.Error("sameInputs: values are the same inputs only as the same slices")
	}
}

// TestGridOfVals: a grid of values shows the text of the cells in its
// window, FormatFloat's, and sizes itself from the values.
func TestGridOfVals(t *testing.T) {
	v := [][]float64{{0.25, math.Inf(-1), 1e-7}, {float64(float32(0.1)), 2, math.NaN()}}
	g := newGrid().Vals(v)
	if r, c := g.size(); r != 2 || c != 3 || g.rowLen(1) != 3 {
		t.Fatalf("size %d × %d", r, c)
	}
	want := []string{compute.FormatFloat(float64(float32(0.1))), "2", "NaN"}
	if got := g.cells(1, 0, 10); !slices.Equal(got, want) {
		t.Errorf("cells(1, 0, 10) = %q, want %q", got, want)
	}
	if got := g.cells(0, 1, 2); !slices.Equal(got, []string{"-Inf"}) {
		t.Errorf("cells(0, 1, 2) = %q", got)
	}
}
