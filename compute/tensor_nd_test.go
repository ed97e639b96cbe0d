package compute

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// flatIndex is the flat index of the output index idx in a row-major
// tensor of shape s (aligned on the right),
// each index reduced modulo a size of 1 (PyTorch's broadcasting).
func flatIndex(s []int, idx []int) int {
	off := len(idx) - len(s)
	f := 0
	for d, n := range s {
		i := idx[off+d]
		if n == 1 {
			i = 0
		}
		f = f*n + i
	}
	return f
}

func TestIndexer(t *testing.T) {
	for _, c := range []struct {
		src      string // where the expected mapping comes from
		t, out   []int
		offsets  []int // rowOff, or nil for the ≤2-D stride path
		row, col int   // the strides of the ≤2-D path
	}{
		{"same 2-D shape: torch.broadcast_shapes((2,3),(2,3))", []int{2, 3}, []int{2, 3}, nil, 3, 1},
		{"(3,) against (2,3): a vector repeats on every row", []int{3}, []int{2, 3}, nil, 0, 1},
		{"(2,1) against (2,3): a column repeats along the row", []int{2, 1}, []int{2, 3}, nil, 1, 0},
		{"0-D against (2,3)", []int{}, []int{2, 3}, nil, 0, 0},
		{"the brief's (2,1,5) with (3,5) -> (2,3,5): (2,1,5)'s rows", []int{2, 1, 5}, []int{2, 3, 5}, []int{0, 0, 0, 5, 5, 5}, 0, 1},
		{"the brief's (2,1,5) with (3,5) -> (2,3,5): (3,5)'s rows", []int{3, 5}, []int{2, 3, 5}, []int{0, 5, 10, 0, 5, 10}, 0, 1},
		{"(1,3,1) against (2,3,4): P broadcast over batch and classes", []int{1, 3, 1}, []int{2, 3, 4}, []int{0, 1, 2, 0, 1, 2}, 0, 0},
		{"(2,1,1,4) against (2,2,3,4)", []int{2, 1, 1, 4}, []int{2, 2, 3, 4}, []int{0, 0, 0, 0, 0, 0, 4, 4, 4, 4, 4, 4}, 0, 1},
		{"(1,2,1,4) against (2,2,3,4)", []int{1, 2, 1, 4}, []int{2, 2, 3, 4}, []int{0, 0, 0, 4, 4, 4, 0, 0, 0, 4, 4, 4}, 0, 1},
		{"a leading size 0: no rows", []int{2, 0, 3}, []int{2, 0, 3}, []int{}, 0, 1},
	} {
		tn := Tensor{Shape: c.t}
		bi := indexer(tn, c.out)
		if c.offsets != nil {
			if !reflect.DeepEqual(bi.rowOff, c.offsets) {
				t.Errorf("%s: rowOff %v, want %v", c.src, bi.rowOff, c.offsets)
			}
		} else if bi.rowOff != nil || bi.rowStride != c.row {
			t.Errorf("%s: rowStride %d rowOff %v, want %d and nil", c.src, bi.rowStride, bi.rowOff, c.row)
		}
		if bi.colStride != c.col {
			t.Errorf("%s: colStride %d, want %d", c.src, bi.colStride, c.col)
		}
		// Every element against the definition of broadcasting.
		rows, cols := Tensor{Shape: c.out}.rowsCols()
		idx := make([]int, len(c.out))
		for i := range rows {
			for j := range cols {
				k := i*cols + j
				for d := len(c.out) - 1; d >= 0; d-- {
					idx[d] = k % c.out[d]
					k /= c.out[d]
				}
				if got, want := bi.at(i, j), flatIndex(c.t, idx); got != want {
					t.Errorf("%s: at(%d, %d) = %d, want %d", c.src, i, j, got, want)
				}
			}
		}
	}
}

func TestRowIndex(t *testing.T) {
	for _, c := range []struct {
		src   string
		shape []int
		r     int
		want  []int
	}{
		{"the brief: shape (2,3,4), row 5", []int{2, 3, 4}, 5, []int{1, 2}},
		{"(2,3,4), row 0", []int{2, 3, 4}, 0, []int{0, 0}},
		{"(2,3,4), row 3: the second batch", []int{2, 3, 4}, 3, []int{1, 0}},
		{"4-D (2,3,4,5), row 23 = 1·12 + 2·4 + 3", []int{2, 3, 4, 5}, 23, []int{1, 2, 3}},
		{"2-D: the row itself", []int{3, 2}, 2, []int{2}},
		{"1-D: one row without a leading index", []int{4}, 0, []int{}},
		{"0-D: one row without a leading index", []int{}, 0, []int{}},
		{"out of range", []int{2, 3, 4}, 6, nil},
		{"negative", []int{2, 3, 4}, -1, nil},
	} {
		if got := (Tensor{Shape: c.shape}).RowIndex(c.r); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: RowIndex(%d) = %v, want %v", c.src, c.r, got, c.want)
		}
	}
}

func TestValidateDims(t *testing.T) {
	ok := Tensor{Shape: []int{1, 2, 1, 2}, Data: make([]float64, 4)}
	if err := ok.validate("input"); err != nil {
		t.Errorf("4-D: %v", err)
	}
	bad := Tensor{Shape: []int{1, 1, 1, 1, 2}, Data: make([]float64, 2)}
	err := bad.validate("input")
	if !errors.Is(err, ErrShape) || !strings.Contains(err.Error(), "at most 4") {
		t.Errorf("5-D: %v, want an ErrShape saying at most 4", err)
	}
}

// TestKLDivND checks the divisors of 'batchmean' and 'mean' for 3-D and
// 4-D inputs (PyTorch 1.13: F.kl_div's `reduced / input.size()[0]`, and
// loss.mean() over the broadcast output).
func TestKLDivND(t *testing.T) {
	for _, c := range []struct {
		src          string
		in, tg       []int
		reason       DivisorReason
		batch, numel float64
	}{
		{"(2,3,4) with itself: batchmean divides by 2, not 6", []int{2, 3, 4}, []int{2, 3, 4}, DivisorBatch, 2, 24},
		{"input (3,4), target (2,3,4): size(0) of the input, 3", []int{3, 4}, []int{2, 3, 4}, DivisorBatchBroadcast, 3, 24},
		{"input (1,3,4), target (2,3,4)", []int{1, 3, 4}, []int{2, 3, 4}, DivisorBatchBroadcast, 1, 24},
		{"input (2,1,2,4), target (3,1,4): output (2,3,2,4)", []int{2, 1, 2, 4}, []int{3, 1, 4}, DivisorBatch, 2, 48},
		{"input (4,), target (2,3,4): 1-D input divides by C", []int{4}, []int{2, 3, 4}, DivisorBatch1D, 4, 24},
	} {
		out, _ := BroadcastShapes(c.in, c.tg)
		n := Tensor{Shape: out}.Numel()
		rv := reduceSum(float64(n), n, out, c.in, ReductionBatchMean, arithTorch64)
		if rv.Reason != c.reason || rv.Divisor != c.batch {
			t.Errorf("%s: batchmean %v / %v, want %v / %v", c.src, rv.Reason, rv.Divisor, c.reason, c.batch)
		}
		rm := reduceSum(float64(n), n, out, c.in, ReductionMean, arithTorch64)
		if rm.Divisor != c.numel {
			t.Errorf("%s: mean divides by %v, want %v", c.src, rm.Divisor, c.numel)
		}
	}
}
