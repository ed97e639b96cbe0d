package compute_test

import (
	"errors"
	"math"
	"testing"

	"github.com/klcalc/klcalc/compute"
)

// fuzzSeeds cover every input format ParseMatrix accepts, and some it
// rejects, so that the fuzzer starts from each branch of the parser.
var fuzzSeeds = []string{
	"0.1,0.9;0.5,0.5",
	"0.1 0.4 0.5\n0.2 0.3 0.5\r\n",
	"0.1\t0.9\n",
	"[[0.1, 0.9], [0.5, 0.5]]",
	"[0.1, 0.9]\n[0.5, 0.5]",
	"[(1, 2), (3, 4),]",
	`["0.5", NaN, Infinity, -Infinity]`,
	"tensor([[0.1, 0.9],\n        [0.5, 0.5]], dtype=torch.float64)",
	"tensor(0.0153, grad_fn=<KlDivBackward0>)",
	"tensor([-inf, nan, inf], device='cuda:0', requires_grad=True)",
	"tensor([1., 2.], size=(2,), names=('N',))",
	"Parameter containing:\ntensor([0.5], requires_grad=True)",
	"tensor([0.1000, 0.2000,  ..., 0.9000])",
	"array([[0.1, 0.9],\n       [0.5, 0.5]],\n      dtype=float32)",
	"[[0.1 0.9]\n [0.5 0.5]]",
	"[ 1.  0. -0.]",
	"np.float64(0.5)",
	"a,b,c\n0.1,0.4,0.5",
	"\"class 0\",\"class 1\"\n\"0.5\",\"0.5\"",
	"\ufeffx\ty\n1e-3\t1E+5",
	"\u22120.5 \u20131 1e\u22123 .5 5. +2 -0",
	"5e-324 1.7976931348623157e+308 1e400",
	"1,,2",
	"[[1, 2], [3]]",
	"[[[1]]]",
	"[1, 2",
	"１ <script> 0x1p-2 1_0 1..2 1e",
}

func FuzzParseMatrix(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := compute.ParseMatrix(s)
		if err != nil {
			var pe *compute.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("ParseMatrix(%q) error %T is not a *ParseError", s, err)
			}
			_ = pe.Error()
			if pe.Err != compute.ErrEmpty && (pe.Row < 1 || pe.Col < 0 || pe.Line < 1 || pe.Column < 1) {
				t.Fatalf("ParseMatrix(%q) error has a bad position: %+v", s, *pe)
			}
			return
		}
		if len(m.Rows) == 0 || len(m.Rows[0]) == 0 {
			t.Fatalf("ParseMatrix(%q) = %v: no values", s, m)
		}
		for i, row := range m.Rows {
			if len(row) != len(m.Rows[0]) {
				t.Fatalf("ParseMatrix(%q) = %v: row %d has %d values, row 1 has %d", s, m, i+1, len(row), len(m.Rows[0]))
			}
		}
		switch {
		case m.Dims < 0 || m.Dims > 2,
			m.Dims == 0 && (len(m.Rows) != 1 || len(m.Rows[0]) != 1),
			m.Dims == 1 && len(m.Rows) != 1:
			t.Fatalf("ParseMatrix(%q) = %v: Dims %d does not fit the shape", s, m, m.Dims)
		}
		if m.Header != nil && len(m.Header) != len(m.Rows[0]) {
			t.Fatalf("ParseMatrix(%q) = %v: header has %d cells, rows %d values", s, m, len(m.Header), len(m.Rows[0]))
		}
		for _, format := range []func([][]float64) string{compute.FormatRows, compute.FormatRowsPretty} {
			out := format(m.Rows)
			m2, err := compute.ParseMatrix(out)
			if err != nil || !rowsAlike(m2.Rows, m.Rows) {
				t.Fatalf("ParseMatrix(%q) = %v, which formats as %q, which parses as %v, %v", s, m.Rows, out, m2.Rows, err)
			}
		}
	})
}

func FuzzFormatRoundTrip(f *testing.F) {
	for _, x := range specialFloats {
		f.Add(math.Float64bits(x))
	}
	f.Fuzz(func(t *testing.T, bits uint64) {
		x := math.Float64frombits(bits)
		s := compute.FormatFloat(x)
		got, err := compute.ParseFloat(s)
		if err != nil || !alike(got, x) {
			t.Fatalf("ParseFloat(FormatFloat(%#016x)) = ParseFloat(%q) = %v, %v; want %v", bits, s, got, err, x)
		}
		rows := [][]float64{{x, -x}, {0.5, x}}
		m, err := compute.ParseMatrix(compute.FormatRows(rows))
		if err != nil || !rowsAlike(m.Rows, rows) || m.Dims != 2 {
			t.Fatalf("ParseMatrix(FormatRows(%v)) = %v, %v", rows, m, err)
		}
	})
}
