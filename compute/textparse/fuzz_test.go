package textparse_test

import (
	"errors"
	"testing"

	"github.com/klcalc/klcalc/compute"
	"github.com/klcalc/klcalc/compute/textparse"
)

// fuzzSeeds cover every input format Parse accepts, and some it
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

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := textparse.Parse(s)
		if err != nil {
			var pe *textparse.Error
			if !errors.As(err, &pe) {
				t.Fatalf("Parse(%q) error %T is not a *Error", s, err)
			}
			_ = pe.Error()
			if pe.Err != textparse.ErrEmpty && (pe.Row < 1 || pe.Col < 0 || pe.Line < 1 || pe.Column < 1) {
				t.Fatalf("Parse(%q) error has a bad position: %+v", s, *pe)
			}
			return
		}
		if len(m.Rows) == 0 || len(m.Rows[0]) == 0 {
			t.Fatalf("Parse(%q) = %v: no values", s, m)
		}
		for i, row := range m.Rows {
			if len(row) != len(m.Rows[0]) {
				t.Fatalf("Parse(%q) = %v: row %d has %d values, row 1 has %d", s, m, i+1, len(row), len(m.Rows[0]))
			}
		}
		lead := 1
		for _, d := range m.Shape[:max(len(m.Shape)-1, 0)] {
			lead *= d
		}
		switch {
		case m.Dims < 0 || m.Dims > 4,
			m.Dims == 0 && (len(m.Rows) != 1 || len(m.Rows[0]) != 1),
			m.Dims == 1 && len(m.Rows) != 1,
			m.Dims <= 2 && m.Shape != nil,
			m.Dims >= 3 && (len(m.Shape) != m.Dims || lead != len(m.Rows) || m.Shape[m.Dims-1] != len(m.Rows[0])):
			t.Fatalf("Parse(%q) = %v: Dims %d does not fit the shape", s, m, m.Dims)
		}
		if m.Header != nil && len(m.Header) != len(m.Rows[0]) {
			t.Fatalf("Parse(%q) = %v: header has %d cells, rows %d values", s, m, len(m.Header), len(m.Rows[0]))
		}
		for _, format := range []func([][]float64) string{compute.FormatRows, compute.FormatRowsPretty} {
			out := format(m.Rows)
			m2, err := textparse.Parse(out)
			if err != nil || !rowsAlike(m2.Rows, m.Rows) {
				t.Fatalf("Parse(%q) = %v, which formats as %q, which parses as %v, %v", s, m.Rows, out, m2.Rows, err)
			}
		}
	})
}
