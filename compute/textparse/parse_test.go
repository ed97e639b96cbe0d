package textparse_test

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/klcalc/klcalc/compute"
	"github.com/klcalc/klcalc/compute/textparse"
)

var (
	inf    = math.Inf(1)
	nan    = math.NaN()
	negZer = math.Copysign(0, -1)
)

// alike reports whether a and b are the same float64: NaN matches NaN, and
// the sign of zero matters.
func alike(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return a == b && math.Signbit(a) == math.Signbit(b)
}

func rowsAlike(a, b [][]float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if !alike(a[i][j], b[i][j]) {
				return false
			}
		}
	}
	return true
}

func headersEqual(a, b []string) bool {
	if (a == nil) != (b == nil) || len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func matricesAlike(a, b textparse.Matrix) bool {
	return a.Dims == b.Dims && rowsAlike(a.Rows, b.Rows) && headersEqual(a.Header, b.Header) && slices.Equal(a.Shape, b.Shape)
}

// shaped builds a Matrix of lists nested 3 or 4 levels deep.
func shaped(shape []int, rows ...[]float64) textparse.Matrix {
	return textparse.Matrix{Rows: rows, Dims: len(shape), Shape: shape}
}

// m builds a Matrix for the table below.
func m(dims int, rows ...[]float64) textparse.Matrix {
	return textparse.Matrix{Rows: rows, Dims: dims}
}

func r(v ...float64) []float64 { return v }

var parseMatrixTests = []struct {
	in   string
	want textparse.Matrix
}{
	// Plain text: values by commas, spaces and tabs; rows by ';' and line breaks.
	{"0.5", m(1, r(0.5))},
	// Lists nested 3 or 4 levels deep keep their shape: a printout of
	// torch.arange(8.).reshape(2, 2, 2) by PyTorch 1.13, then of
	// np.arange(4.).reshape(1, 2, 1, 2) by NumPy 1.24.
	{"tensor([[[0., 1.],\n         [2., 3.]],\n\n        [[4., 5.],\n         [6., 7.]]])",
		shaped([]int{2, 2, 2}, r(0, 1), r(2, 3), r(4, 5), r(6, 7))},
	{"array([[[[0., 1.]],\n\n        [[2., 3.]]]])", shaped([]int{1, 2, 1, 2}, r(0, 1), r(2, 3))},
	{"[[[1]]]", shaped([]int{1, 1, 1}, r(1))},
	{"[[[0.1, 0.9]], [[0.5, 0.5]], [[1, 0]]]", shaped([]int{3, 1, 2}, r(0.1, 0.9), r(0.5, 0.5), r(1, 0))},
	{"0.1,0.4,0.5", m(1, r(0.1, 0.4, 0.5))},
	{"0.1, 0.4, 0.5", m(1, r(0.1, 0.4, 0.5))},
	{"0.1 0.4   0.5", m(1, r(0.1, 0.4, 0.5))},
	{"0.1\t0.4\t0.5", m(1, r(0.1, 0.4, 0.5))},
	{"0.1,0.9;0.5,0.5", m(2, r(0.1, 0.9), r(0.5, 0.5))},
	{"0.1,0.9;0.5,0.5;", m(2, r(0.1, 0.9), r(0.5, 0.5))},
	{"0.1,0.9\n0.5,0.5", m(2, r(0.1, 0.9), r(0.5, 0.5))},
	{"0.1,0.9\r\n0.5,0.5\r\n", m(2, r(0.1, 0.9), r(0.5, 0.5))},
	{"0.1,0.9\r0.5,0.5", m(2, r(0.1, 0.9), r(0.5, 0.5))},
	{"\n\n  0.1 , 0.9 \n\n\n 0.5 ,0.5\n\n", m(2, r(0.1, 0.9), r(0.5, 0.5))},
	{"0.1,0.9;;0.5,0.5", m(2, r(0.1, 0.9), r(0.5, 0.5))},
	{"0.1,0.9,\n0.5,0.5,", m(2, r(0.1, 0.9), r(0.5, 0.5))},
	{"0.1;0.9", m(2, r(0.1), r(0.9))},
	{"1 2, 3", m(1, r(1, 2, 3))},
	{"1\u00a02", m(1, r(1, 2))},                // no-break space, as pasted from web pages
	{"\ufeff1,2\n3,4", m(2, r(1, 2), r(3, 4))}, // byte-order mark
	{`"0.5","0.5"`, m(1, r(0.5, 0.5))},
	{`" 0.5 ";"1"`, m(2, r(0.5), r(1))},

	// Number syntax.
	{"1e-3 1E+5 .5 5. -0. +2 1.e-01", m(1, r(0.001, 1e5, 0.5, 5, negZer, 2, 0.1))},
	{"inf -inf +inf infinity -Infinity INF", m(1, r(inf, -inf, inf, inf, -inf, inf))},
	{"nan NaN NAN -nan +Inf -Inf", m(1, r(nan, nan, nan, nan, inf, -inf))},
	{"0 -0 +0", m(1, r(0, negZer, 0))},
	{"5e-324 -5e-324 1.7976931348623157e+308 2.2250738585072014e-308", m(1, r(5e-324, -5e-324, math.MaxFloat64, 2.2250738585072014e-308))},
	{"1e400 -1e400 1e-400 -1e-400", m(1, r(inf, -inf, 0, negZer))}, // as Python's float()
	{"0.1000000000000000055511151231257827021181583404541015625", m(1, r(0.1))},
	{"\u22120.5 \u20131 1e\u22123 \u2212inf", m(1, r(-0.5, -1, 0.001, -inf))},
	{"007 0.10", m(1, r(7, 0.1))},

	// Brackets and JSON.
	{"[0.1, 0.9]", m(1, r(0.1, 0.9))},
	{"[0.5]", m(1, r(0.5))},
	{"[0.1, 0.9,]", m(1, r(0.1, 0.9))},
	{"[[0.1, 0.9], [0.5, 0.5]]", m(2, r(0.1, 0.9), r(0.5, 0.5))},
	{"[[0.1,0.9],[0.5,0.5],]", m(2, r(0.1, 0.9), r(0.5, 0.5))},
	{"[[0.1, 0.9]]", m(2, r(0.1, 0.9))},
	{"[[0.5]]", m(2, r(0.5))},
	{"[\n  [\n    0.1,\n    0.9\n  ]\n]\n", m(2, r(0.1, 0.9))},
	{"(0.1, 0.9)", m(1, r(0.1, 0.9))},
	{"[(0.1, 0.9), (0.5, 0.5)]", m(2, r(0.1, 0.9), r(0.5, 0.5))},
	{"[0.1, 0.9]\n[0.5, 0.5]", m(2, r(0.1, 0.9), r(0.5, 0.5))},
	{"[0.1, 0.9], [0.5, 0.5]", m(2, r(0.1, 0.9), r(0.5, 0.5))},
	{"[0.1, 0.9];[0.5, 0.5];", m(2, r(0.1, 0.9), r(0.5, 0.5))},
	{`["0.1", "0.9"]`, m(1, r(0.1, 0.9))},
	{"[NaN, Infinity, -Infinity]", m(1, r(nan, inf, -inf))}, // Python's json.dumps

	// PyTorch printouts.
	{"tensor([0.1000, 0.4000, 0.5000])", m(1, r(0.1, 0.4, 0.5))},
	{"tensor([[0.1, 0.9],\n        [0.5, 0.5]], dtype=torch.float64)", m(2, r(0.1, 0.9), r(0.5, 0.5))},
	{"tensor(0.0153)", m(0, r(0.0153))},
	{"tensor(0.0153, grad_fn=<KlDivBackward0>)", m(0, r(0.0153))},
	{"tensor(nan)", m(0, r(nan))},
	{"tensor([0.1000, 0.9000], requires_grad=True)", m(1, r(0.1, 0.9))},
	{"tensor([[-inf, 0.0000],\n        [nan, inf]], device='cuda:0', grad_fn=<LogSoftmaxBackward0>)", m(2, r(-inf, 0), r(nan, inf))},
	{"tensor([1.0000e-01, 9.0000e-01], device='cuda:0', dtype=torch.float16)", m(1, r(0.1, 0.9))},
	{"tensor([1., 2.], size=(2,), names=('N',))", m(1, r(1, 2))},
	{"tensor([1, 2],)", m(1, r(1, 2))},
	{"tensor ([1, 2])", m(1, r(1, 2))},
	{"torch.tensor([0.5, 0.5])", m(1, r(0.5, 0.5))},
	{"\n  tensor([0.5, 0.5])\n\n", m(1, r(0.5, 0.5))},
	{"Parameter containing:\ntensor([[0.1, 0.9]], requires_grad=True)", m(2, r(0.1, 0.9))},
	{"tensor([0.1000, 0.2000, 0.3000, 0.4000, 0.5000, 0.6000, 0.7000, 0.8000, 0.9000,\n        1.0000])",
		m(1, r(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1))},

	// NumPy printouts.
	{"array([0.1, 0.4, 0.5])", m(1, r(0.1, 0.4, 0.5))},
	{"array([[0.1, 0.9], [0.5, 0.5]], dtype=float32)", m(2, r(0.1, 0.9), r(0.5, 0.5))},
	{"array([[0.1, 0.9],\n       [0.5, 0.5]],\n      dtype=float32)", m(2, r(0.1, 0.9), r(0.5, 0.5))},
	{"[[0.1 0.9]\n [0.5 0.5]]", m(2, r(0.1, 0.9), r(0.5, 0.5))},
	{"[0.1 0.4 0.5]", m(1, r(0.1, 0.4, 0.5))},
	{"[ 1.  0. -0.]", m(1, r(1, 0, negZer))},
	{"array([ 1.e-01, -inf,  nan])", m(1, r(0.1, -inf, nan))},
	{"array(0.5)", m(0, r(0.5))},
	{"np.float64(0.5)", m(0, r(0.5))},
	{"np.float32(-inf)", m(0, r(-inf))},
	{"np.array([1, 2])", m(1, r(1, 2))},

	// CSV and TSV with a header.
	{"a,b,c\n0.1,0.4,0.5", textparse.Matrix{Rows: [][]float64{{0.1, 0.4, 0.5}}, Dims: 1, Header: []string{"a", "b", "c"}}},
	{"a,b\n1,2\n3,4\n", textparse.Matrix{Rows: [][]float64{{1, 2}, {3, 4}}, Dims: 2, Header: []string{"a", "b"}}},
	{"\ufeff\n\n a , b,\n1,2", textparse.Matrix{Rows: [][]float64{{1, 2}}, Dims: 1, Header: []string{"a", "b"}}},
	{"\"class 0\",\"class 1\"\n\"0.5\",\"0.5\"", textparse.Matrix{Rows: [][]float64{{0.5, 0.5}}, Dims: 1, Header: []string{"class 0", "class 1"}}},
	{"\"a,b\",\"say \"\"hi\"\"\"\n1,2", textparse.Matrix{Rows: [][]float64{{1, 2}}, Dims: 1, Header: []string{"a,b", `say "hi"`}}},
	{"p\tq\r\n0.25\t0.75\r\n", textparse.Matrix{Rows: [][]float64{{0.25, 0.75}}, Dims: 1, Header: []string{"p", "q"}}},
	{"sepal length,sepal width\n5.1,3.5", textparse.Matrix{Rows: [][]float64{{5.1, 3.5}}, Dims: 1, Header: []string{"sepal length", "sepal width"}}},
	{"x y\n1 2", textparse.Matrix{Rows: [][]float64{{1, 2}}, Dims: 1, Header: []string{"x", "y"}}},
	{"\"p(x)\", \"q(x)\"\n0.5, 0.5", textparse.Matrix{Rows: [][]float64{{0.5, 0.5}}, Dims: 1, Header: []string{"p(x)", "q(x)"}}},
	{"p\n0.5\n0.5", textparse.Matrix{Rows: [][]float64{{0.5}, {0.5}}, Dims: 2, Header: []string{"p"}}},
	{"\"0\",\"1\"\n2,3", m(2, r(0, 1), r(2, 3))}, // numeric "header" cells are data
}

func TestParse(t *testing.T) {
	for _, tt := range parseMatrixTests {
		got, err := textparse.Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q) error: %v", tt.in, err)
			continue
		}
		if !matricesAlike(got, tt.want) {
			t.Errorf("Parse(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// TestParseRowsIndependent checks that the rows, which share one
// backing array, cannot overwrite each other when a caller appends.
func TestParseRowsIndependent(t *testing.T) {
	got, err := textparse.Parse("1,2;3,4")
	if err != nil {
		t.Fatal(err)
	}
	_ = append(got.Rows[0], 99)
	if got.Rows[1][0] != 3 {
		t.Errorf("appending to row 1 changed row 2 to %v", got.Rows[1])
	}
}

var parseMatrixErrorTests = []struct {
	in                     string
	err                    error
	row, col, line, column int
	token                  string
}{
	// Junk.
	{"abc", textparse.ErrSyntax, 1, 1, 1, 1, "abc"},
	{"<script>alert(1)</script>", textparse.ErrSyntax, 1, 1, 1, 1, "<script>alert"},
	{"1e", textparse.ErrSyntax, 1, 1, 1, 1, "1e"},
	{"0x", textparse.ErrSyntax, 1, 1, 1, 1, "0x"},
	{"1..2", textparse.ErrSyntax, 1, 1, 1, 1, "1..2"},
	{"0.1, 0.2, 1e+", textparse.ErrSyntax, 1, 3, 1, 11, "1e+"},
	{"0.1,0.9\n0.5,abc", textparse.ErrSyntax, 2, 2, 2, 5, "abc"},
	{"0.1,0.9;0.5,0.5;x", textparse.ErrSyntax, 3, 1, 1, 17, "x"},
	{"0x1p-2", textparse.ErrSyntax, 1, 1, 1, 1, "0x1p-2"}, // hex floats are rejected
	{"1_000", textparse.ErrSyntax, 1, 1, 1, 1, "1_000"},   // so are underscores
	{"0x10", textparse.ErrSyntax, 1, 1, 1, 1, "0x10"},
	{"- 1", textparse.ErrSyntax, 1, 1, 1, 1, "-"},
	{"+", textparse.ErrSyntax, 1, 1, 1, 1, "+"},
	{".", textparse.ErrSyntax, 1, 1, 1, 1, "."},
	{"1e5.5", textparse.ErrSyntax, 1, 1, 1, 1, "1e5.5"},
	{"infinit", textparse.ErrSyntax, 1, 1, 1, 1, "infinit"},
	{"nan1", textparse.ErrSyntax, 1, 1, 1, 1, "nan1"},
	{"0.5f", textparse.ErrSyntax, 1, 1, 1, 1, "0.5f"},
	{"null", textparse.ErrSyntax, 1, 1, 1, 1, "null"},
	{"true", textparse.ErrSyntax, 1, 1, 1, 1, "true"},
	{"１.５", textparse.ErrSyntax, 1, 1, 1, 1, "１.５"}, // full-width digits
	{"0.5 ٣", textparse.ErrSyntax, 1, 2, 1, 5, "٣"}, // Arabic-Indic digit
	{"−−1", textparse.ErrSyntax, 1, 1, 1, 1, "−−1"},
	{"1\ufeff", textparse.ErrSyntax, 1, 1, 1, 1, "1\ufeff"}, // a BOM only counts at the start
	{"\ufeffé, x", textparse.ErrSyntax, 1, 1, 1, 1, "é"},    // columns do not count the BOM
	{"é, x", textparse.ErrSyntax, 1, 1, 1, 1, "é"},
	{"0.5, é", textparse.ErrSyntax, 1, 2, 1, 6, "é"}, // columns count runes
	{"αβ 1", textparse.ErrSyntax, 1, 1, 1, 1, "αβ"},
	{"1\r\n2\r\nx", textparse.ErrSyntax, 3, 1, 3, 1, "x"},
	{"1\r2\rx", textparse.ErrSyntax, 3, 1, 3, 1, "x"},
	{`"abc"`, textparse.ErrSyntax, 1, 1, 1, 1, `"abc"`},
	{`1, "2`, textparse.ErrSyntax, 1, 2, 1, 4, `"2`},
	{"\xff", textparse.ErrSyntax, 1, 1, 1, 1, "\xff"},
	{"tensor", textparse.ErrSyntax, 1, 1, 1, 1, "tensor"},
	{"foo(1)", textparse.ErrSyntax, 1, 1, 1, 1, "foo"},
	{"tensor(1, 2)", textparse.ErrSyntax, 1, 2, 1, 11, "2"},
	{"tensor([1]) 2", textparse.ErrSyntax, 2, 1, 1, 13, "2"},
	{"tensor([1]), tensor([2])", textparse.ErrSyntax, 2, 1, 1, 12, ","},
	{"tensor([1], 9=x)", textparse.ErrSyntax, 2, 1, 1, 13, "9=x"},
	{"tensor([1], size=;)", textparse.ErrSyntax, 2, 1, 1, 18, ";"},
	{"[tensor(1)]", textparse.ErrSyntax, 1, 1, 1, 2, "tensor"},
	{"[1; 2]", textparse.ErrSyntax, 1, 2, 1, 3, ";"}, // MATLAB rows are not supported
	{"a,b\n[1,2]", textparse.ErrSyntax, 1, 1, 1, 1, "a"},
	{"a,b\ntensor([1,2])", textparse.ErrSyntax, 1, 1, 1, 1, "a"},
	{"a,b\n", textparse.ErrSyntax, 1, 1, 1, 1, "a"},      // a header needs data after it
	{"a,1\n2,3", textparse.ErrSyntax, 1, 1, 1, 1, "a"},   // not a header: 1 is a number
	{"a,inf\n2,3", textparse.ErrSyntax, 1, 1, 1, 1, "a"}, // so is inf
	{",a,b\n0,1,2", textparse.ErrSyntax, 1, 1, 1, 1, ""}, // pandas' index column: empty cell
	{"<b>,c\n1,2", textparse.ErrSyntax, 1, 1, 1, 1, "<b>"},
	{"p(x),q(x)\n1,2", textparse.ErrSyntax, 1, 1, 1, 1, "p"},
	{"\"\xff\"\n1", textparse.ErrSyntax, 1, 1, 1, 1, "\"\xff\""}, // header cells must be valid UTF-8
	{"\"a\tb\"\n1", textparse.ErrSyntax, 1, 1, 1, 1, "\"a\tb\""},
	{"\"a\";\"b\"\n1;2", textparse.ErrSyntax, 1, 1, 1, 1, "\"a\""},
	{"x\n\n0.5\nnull", textparse.ErrSyntax, 2, 1, 4, 1, "null"}, // rows do not count the header

	// Empty values.
	{"1,,2", textparse.ErrSyntax, 1, 2, 1, 3, ""},
	{"1, ,2", textparse.ErrSyntax, 1, 2, 1, 4, ""},
	{",1", textparse.ErrSyntax, 1, 1, 1, 1, ""},
	{"1,2\n,3,4", textparse.ErrSyntax, 2, 1, 2, 1, ""},
	{"1,2,,", textparse.ErrSyntax, 1, 3, 1, 5, ""},
	{"[1,,2]", textparse.ErrSyntax, 1, 2, 1, 4, ""},
	{"[,]", textparse.ErrSyntax, 1, 1, 1, 2, ""},
	{"[[1],,[2]]", textparse.ErrSyntax, 2, 1, 1, 6, ""},
	{"[1],,[2]", textparse.ErrSyntax, 2, 1, 1, 5, ""},
	{"tensor(,1)", textparse.ErrSyntax, 1, 1, 1, 8, ""},

	// Abbreviated printouts.
	{"tensor([0.1000, 0.2000, 0.3000,  ..., 0.7000, 0.8000, 0.9000])", textparse.ErrAbbreviated, 1, 4, 1, 34, "..."},
	{"[[0 1 ... 8 9]\n [10 11 ... 18 19]]", textparse.ErrAbbreviated, 1, 3, 1, 7, "..."},
	{"array([[ 0,  1,  2],\n       ...,\n       [ 7,  8,  9]])", textparse.ErrAbbreviated, 2, 1, 2, 8, "..."},
	{"0.1 … 0.9", textparse.ErrAbbreviated, 1, 2, 1, 5, "…"},
	{"1, ...", textparse.ErrAbbreviated, 1, 2, 1, 4, "..."},
	{"tensor([1], ...)", textparse.ErrAbbreviated, 2, 1, 1, 13, "..."},

	// Ragged rows: Col is the length of the offending row, and Line and
	// Column point at its first extra value, or its last value if short.
	{"1,2,3\n4,5", textparse.ErrRagged, 2, 2, 2, 3, "5"},
	{"1,2\n3,4,5", textparse.ErrRagged, 2, 3, 2, 5, "5"},
	{"1,2\n3,4\n5,6,7,8", textparse.ErrRagged, 3, 4, 3, 5, "7"},
	{"1;2,3", textparse.ErrRagged, 2, 2, 1, 5, "3"},
	{"[[0.1, 0.9], [0.5]]", textparse.ErrRagged, 2, 1, 1, 15, "0.5"},
	{"[[0.1, 0.9], []]", textparse.ErrRagged, 2, 0, 1, 14, "["},
	{"[[], [1]]", textparse.ErrRagged, 2, 1, 1, 7, "1"},
	{"[1, 2]\n[3]", textparse.ErrRagged, 2, 1, 2, 2, "3"},
	{"a,b,c\n1,2", textparse.ErrRagged, 1, 2, 2, 3, "2"},
	{"a,b\n1,2,3", textparse.ErrRagged, 1, 3, 2, 5, "3"},
	{"tensor([[1, 2], [3, 4, 5]])", textparse.ErrRagged, 2, 3, 1, 24, "5"},
	// Lists mixing numbers and lists have no shape either.
	{"[1, [2]]", textparse.ErrRagged, 1, 2, 1, 5, "["},
	{"[[1], 2]", textparse.ErrRagged, 2, 1, 1, 7, "2"},
	{"1 [2]", textparse.ErrRagged, 1, 2, 1, 3, "["},
	{"[1] 2", textparse.ErrRagged, 2, 1, 1, 5, "2"},

	// Nesting: four levels at most, and every block of one size.
	{"[[[[[1]]]]]", textparse.ErrNesting, 1, 1, 1, 5, "["},
	{"[[1, 2], [[3]]]", textparse.ErrRagged, 2, 1, 1, 11, "["},
	{"[[[1, 2]], [[3, 4], [5, 6]]]", textparse.ErrRagged, 4, 1, 1, 27, "]"},
	{"[[1]] [[2]]", textparse.ErrNesting, 2, 1, 1, 7, "["},
	{"[1] [[2]]", textparse.ErrNesting, 2, 1, 1, 6, "["},
	{"tensor([[[[[1.]]]]])", textparse.ErrNesting, 1, 1, 1, 12, "["},
	{"tensor([1], size=(((1))))", textparse.ErrNesting, 2, 1, 1, 20, "("},
	{strings.Repeat("[", 100000), textparse.ErrNesting, 1, 1, 1, 5, "["},
	{"tensor(" + strings.Repeat("(", 100000), textparse.ErrNesting, 1, 1, 1, 12, "("},

	// Unbalanced brackets.
	{"[1, 2", textparse.ErrBrackets, 1, 3, 1, 1, "["},
	{"[[1, 2], [3, 4]", textparse.ErrBrackets, 3, 1, 1, 1, "["},
	{"[[1, 2], [3, 4", textparse.ErrBrackets, 2, 3, 1, 10, "["},
	{"[1, 2]]", textparse.ErrBrackets, 2, 1, 1, 7, "]"},
	{"1, 2)", textparse.ErrBrackets, 1, 3, 1, 5, ")"},
	{"]", textparse.ErrBrackets, 1, 1, 1, 1, "]"},
	{"[1, 2)", textparse.ErrBrackets, 1, 3, 1, 6, ")"},
	{"[(1, 2]]", textparse.ErrBrackets, 1, 3, 1, 7, "]"},
	{"tensor([1, 2]", textparse.ErrBrackets, 2, 1, 1, 7, "("},
	{"tensor([1, 2]]", textparse.ErrBrackets, 2, 1, 1, 14, "]"},
	{"tensor(0.5]", textparse.ErrBrackets, 1, 2, 1, 11, "]"},
	{"tensor(", textparse.ErrBrackets, 1, 1, 1, 7, "("},
	{"tensor(]", textparse.ErrBrackets, 1, 1, 1, 8, "]"},
	{"tensor([1], size=(2,)", textparse.ErrBrackets, 2, 1, 1, 7, "("},
	{"tensor([1], size=(2,]", textparse.ErrBrackets, 2, 1, 1, 21, "]"},
	{"tensor([1],", textparse.ErrBrackets, 2, 1, 1, 7, "("},
	{"tensor([1], size=", textparse.ErrBrackets, 2, 1, 1, 7, "("},
}

func TestParseErrors(t *testing.T) {
	for _, tt := range parseMatrixErrorTests {
		got, err := textparse.Parse(tt.in)
		in := tt.in
		if len(in) > 60 {
			in = in[:60] + "..."
		}
		if err == nil {
			t.Errorf("Parse(%q) = %v, want error %v", in, got, tt.err)
			continue
		}
		if !errors.Is(err, tt.err) {
			t.Errorf("Parse(%q) error = %v, want %v", in, err, tt.err)
			continue
		}
		var pe *textparse.Error
		if !errors.As(err, &pe) {
			t.Errorf("Parse(%q) error %T is not a *Error", in, err)
			continue
		}
		if pe.Row != tt.row || pe.Col != tt.col || pe.Line != tt.line || pe.Column != tt.column || pe.Token != tt.token {
			t.Errorf("Parse(%q) error at row %d, col %d, line %d, column %d, token %q; want %d, %d, %d, %d, %q",
				in, pe.Row, pe.Col, pe.Line, pe.Column, pe.Token, tt.row, tt.col, tt.line, tt.column, tt.token)
		}
	}
}

func TestParseEmpty(t *testing.T) {
	for _, in := range []string{
		"", " ", "\n\n", "\ufeff", ";;", "[]", "[[]]", "[[], []]", "[] []", "()", "tensor([])", "tensor([], size=(0, 3))",
		"tensor()", "array([], dtype=float64)", "a,b\n;", "Parameter containing:",
	} {
		got, err := textparse.Parse(in)
		if !errors.Is(err, textparse.ErrEmpty) {
			t.Errorf("Parse(%q) = %v, %v; want ErrEmpty", in, got, err)
			continue
		}
		var pe *textparse.Error
		if errors.As(err, &pe) && (pe.Row != 0 || pe.Line != 0) {
			t.Errorf("Parse(%q) error has a position: %+v", in, *pe)
		}
	}
}

var errorStringTests = []struct {
	in, want string
}{
	{"0.1,0.9\n0.5,0.5,1e", `textparse: row 2, column 3: "1e": invalid number`},
	{"1,2,3\n4,5", `textparse: row 2 has 2 values, row 1 has 3: rows have different lengths`},
	{"1\n2,3", `textparse: row 2 has 2 values, row 1 has 1: rows have different lengths`},
	{"a,b\n1", `textparse: row 1 has 1 value, header has 2: rows have different lengths`},
	{"[1, [2]]", `textparse: row 1, column 2: "[": list mixes numbers and lists: rows have different lengths`},
	{"1,,2", `textparse: row 1, column 2: empty value`},
	{"", `textparse: no numbers`},
	{"[[[[[1]]]]]", `textparse: row 1, column 1: "[": brackets nested deeper than 4 levels`},
	{"[1", `textparse: row 1, column 2: "[": unbalanced brackets`},
	{"[1, ..., 3]", `textparse: row 1, column 2: "...": printout is abbreviated with an ellipsis; print it in full after torch.set_printoptions(profile="full") or np.set_printoptions(threshold=sys.maxsize)`},
	{"\"\n", `textparse: row 1, column 1: "\"\n": invalid number`},
	{strings.Repeat("x", 100), `textparse: row 1, column 1: "` + strings.Repeat("x", 40) + `…": invalid number`},
	{"1 " + strings.Repeat("é", 41), `textparse: row 1, column 2: "` + strings.Repeat("é", 40) + `…": invalid number`},
	{strings.Repeat("é", 40), `textparse: row 1, column 1: "` + strings.Repeat("é", 40) + `": invalid number`},
}

func TestParseErrorString(t *testing.T) {
	for _, tt := range errorStringTests {
		_, err := textparse.Parse(tt.in)
		if err == nil || err.Error() != tt.want {
			t.Errorf("Parse(%q) error = %v, want %s", tt.in, err, tt.want)
		}
	}
	// A Error built by hand lacks the unexported detail of ErrRagged.
	e := &textparse.Error{Row: 3, Col: 1, Err: textparse.ErrRagged}
	if got, want := e.Error(), "textparse: row 3 has 1 value: rows have different lengths"; got != want {
		t.Errorf("%#v.Error() = %q, want %q", e, got, want)
	}
	if got, want := (&textparse.Error{}).Error(), "textparse: <nil>"; got != want {
		t.Errorf("zero Error.Error() = %q, want %q", got, want)
	}
	if got := errors.Unwrap(e); got != textparse.ErrRagged {
		t.Errorf("Unwrap() = %v, want %v", got, textparse.ErrRagged)
	}
}

var parseFloatTests = []struct {
	in   string
	want float64
}{
	{"0.5", 0.5},
	{" 0.5\n", 0.5},
	{"1e-3", 0.001},
	{"1E+5", 1e5},
	{".5", 0.5},
	{"5.", 5},
	{"-.5e-1", -0.05},
	{"+2", 2},
	{"-0", negZer},
	{"-0.", negZer},
	{"0", 0},
	{"inf", inf},
	{"+Inf", inf},
	{"-Inf", -inf},
	{"Infinity", inf},
	{"-INFINITY", -inf},
	{"NaN", nan},
	{"nan", nan},
	{"-nan", nan},
	{"\u22121", -1},
	{"\u20131", -1},
	{"\u2212inf", -inf},
	{"\u22120", negZer},
	{"2e\u22121", 0.2},
	{"2e\u20131", 0.2},
	{"5e-324", 5e-324},
	{"4e-324", 5e-324},
	{"2e-324", 0},
	{"1.7976931348623157e308", math.MaxFloat64},
	{"1.7976931348623159e308", inf},
	{"1e999999999999999999999", inf},
	{"-1e400", -inf},
	{"1e-99999999999999999999", 0},
	{"0." + strings.Repeat("0", 10000) + "1e10000", 0.1},
	{strings.Repeat("9", 400), inf},
}

func TestParseFloat(t *testing.T) {
	for _, tt := range parseFloatTests {
		got, err := textparse.ParseFloat(tt.in)
		in := tt.in
		if len(in) > 60 {
			in = in[:60] + "..."
		}
		if err != nil || !alike(got, tt.want) {
			t.Errorf("ParseFloat(%q) = %v, %v; want %v", in, got, err, tt.want)
		}
	}
}

var parseFloatErrorTests = []struct {
	in     string
	column int
	token  string
}{
	{"", 1, ""},
	{"  ", 3, ""},
	{"1e", 1, "1e"},
	{" 1 2 ", 2, "1 2"},
	{"\t\tabc", 3, "abc"},
	{"0x1p-2", 1, "0x1p-2"},
	{"1_0", 1, "1_0"},
	{"1,5", 1, "1,5"},
	{"[1]", 1, "[1]"},
	{`"1"`, 1, `"1"`},
	{"...", 1, "..."},
	{"--1", 1, "--1"},
	{"+-1", 1, "+-1"},
	{"1e+-1", 1, "1e+-1"},
	{"1e\u2212", 1, "1e\u2212"},
	{"\u2212", 1, "\u2212"},
	{"\u2014" + "1", 1, "\u2014" + "1"}, // an em dash is not a minus
	{"－1", 1, "－1"},                     // nor is a full-width hyphen-minus
	{"１", 1, "１"},
	{"inf inity", 1, "inf inity"},
	{"\u0131nf", 1, "\u0131nf"}, // dotless i
	{"\ufeff1", 1, "\ufeff1"},
	{strings.Repeat("7", 39) + "x", 1, strings.Repeat("7", 39) + "x"},
	{strings.Repeat("7", 40) + "x", 1, strings.Repeat("7", 40) + "…"},
}

func TestParseFloatErrors(t *testing.T) {
	for _, tt := range parseFloatErrorTests {
		got, err := textparse.ParseFloat(tt.in)
		var pe *textparse.Error
		if !errors.As(err, &pe) || !errors.Is(err, textparse.ErrSyntax) {
			t.Errorf("ParseFloat(%q) = %v, %v; want ErrSyntax", tt.in, got, err)
			continue
		}
		if pe.Row != 1 || pe.Col != 1 || pe.Line != 1 || pe.Column != tt.column || pe.Token != tt.token {
			t.Errorf("ParseFloat(%q) error = %+v; want row 1, col 1, line 1, column %d, token %q", tt.in, *pe, tt.column, tt.token)
		}
	}
}

// TestParseHuge checks that Parse copes with 10 MB of input in
// time linear in its size; a quadratic algorithm would take minutes.
func TestParseHuge(t *testing.T) {
	if testing.Short() {
		t.Skip("slow in -short mode")
	}
	const rows, cols = 1000, 1000
	var b strings.Builder
	for i := range rows {
		for j := range cols {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString(compute.FormatFloat(float64(i*cols+j) + 0.125))
		}
		b.WriteString("\n")
	}
	in := b.String()
	got, err := textparse.Parse(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Rows) != rows || len(got.Rows[0]) != cols || got.Rows[rows-1][cols-1] != rows*cols-1+0.125 {
		t.Fatalf("Parse(%d bytes) = %d rows of %d, want %d of %d", len(in), len(got.Rows), len(got.Rows[0]), rows, cols)
	}

	// An error near the end is still found, and its position computed.
	_, err = textparse.Parse(in + "1e")
	var pe *textparse.Error
	if !errors.As(err, &pe) || pe.Line != rows+1 || pe.Row != rows+1 || pe.Token != "1e" {
		t.Errorf("Parse(huge + \"1e\") error = %v", err)
	}

	for _, in := range []string{
		strings.Repeat("[", 1e7),
		strings.Repeat("(", 1e7),
		"[1,[2," + strings.Repeat("]", 1e7),
		strings.Repeat("]", 1e7),
		strings.Repeat(",", 1e7),
		strings.Repeat("x", 1e7),
		strings.Repeat("é", 1e7),
		strings.Repeat("\"", 1e7),
		strings.Repeat("\"", 1e7-1),
		strings.Repeat("1", 1e7),
		strings.Repeat(" ", 1e7),
		strings.Repeat("\n", 1e7),
		strings.Repeat("a,", 1e6) + "\n" + strings.Repeat("1,", 1e6),
		"tensor([1], size=" + strings.Repeat("(1,", 1e6),
	} {
		// Only the absence of a hang or crash matters here.
		textparse.Parse(in)
	}
}

func BenchmarkParse(b *testing.B) {
	rows := make([][]float64, 1000)
	for i := range rows {
		rows[i] = make([]float64, 100)
		for j := range rows[i] {
			rows[i][j] = 1 / float64(i*100+j+1)
		}
	}
	in := compute.FormatRowsPretty(rows)
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		if _, err := textparse.Parse(in); err != nil {
			b.Fatal(err)
		}
	}
}

// TestParseYield checks that yielding changes nothing (the identity with
// Parse, over the tables above and a large paste) and that a large paste
// yields.
func TestParseYield(t *testing.T) {
	var ins []string
	for _, tt := range parseMatrixTests {
		ins = append(ins, tt.in)
	}
	for _, tt := range parseMatrixErrorTests {
		ins = append(ins, tt.in)
	}
	var big strings.Builder
	for i := range 100_000 {
		fmt.Fprintf(&big, "%d.%d\n", i%7, i%1000)
	}
	ins = append(ins, big.String(), "["+strings.ReplaceAll(big.String(), "\n", ", ")+"]")
	for _, in := range ins {
		n := 0
		got, gotErr := textparse.ParseYield(in, func() bool { n++; return true }, 0)
		want, wantErr := textparse.Parse(in)
		if !matricesAlike(got, want) || fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
			t.Errorf("ParseYield(%.40q) = %v, %v; Parse gives %v, %v", in, got, gotErr, want, wantErr)
		}
		if wantErr == nil && len(want.Rows)*len(want.Rows[0]) >= 100_000 && n < 5 {
			t.Errorf("ParseYield of %d values yielded %d times", len(want.Rows)*len(want.Rows[0]), n)
		}
	}
}

// TestParseYieldCancel checks that a yield returning false stops the
// parse at that yield with ErrCanceled, whatever the rest of the input
// holds, and that an input too short to yield is parsed whatever yield
// says.
func TestParseYieldCancel(t *testing.T) {
	var big strings.Builder
	for i := range 100_000 {
		fmt.Fprintf(&big, "%d.%d\n", i%7, i%1000)
	}
	text := big.String()
	for _, in := range []string{
		text,
		"[" + strings.ReplaceAll(text, "\n", ", ") + "]",
		"tensor([" + strings.ReplaceAll(text, "\n", ", ") + "])",
		text + "oops\n", // an error after the stop is not reported
	} {
		for _, at := range []int{1, 3} {
			n := 0
			m, err := textparse.ParseYield(in, func() bool { n++; return n < at }, 0)
			if !errors.Is(err, textparse.ErrCanceled) || m.Rows != nil {
				t.Errorf("ParseYield(%.30q), stopped at yield %d: got %d rows, %v; want ErrCanceled", in, at, len(m.Rows), err)
			}
			if n != at {
				t.Errorf("ParseYield(%.30q), stopped at yield %d: yielded %d times", in, at, n)
			}
		}
	}
	m, err := textparse.ParseYield("0.1, 0.9", func() bool { return false }, 0)
	if err != nil || len(m.Rows) != 1 {
		t.Errorf("ParseYield of 2 values, yield says stop: got %v, %v; want the row", m, err)
	}
}
