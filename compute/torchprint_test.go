package compute

import (
	"strings"
	"testing"

	"github.com/klcalc/klcalc/compute/textparse"
)

// Expected strings follow torch/_tensor_str.py (PyTorch 2.x, default print
// options), derived by hand; the first rows are printouts quoted in
// docs/kl_div.md and PyTorch's documentation.
func TestFormatTorch(t *testing.T) {
	tests := []struct {
		t    Tensor
		dt   DType
		want string
	}{
		{Scalar(0.01525270938873291), DTypeFloat32, "tensor(0.0153)"},
		{Scalar(0.0458), DTypeFloat64, "tensor(0.0458, dtype=torch.float64)"},
		{Scalar(nan), DTypeFloat32, "tensor(nan)"},
		{Scalar(inf), DTypeFloat32, "tensor(inf)"},
		{Scalar(-inf), DTypeFloat32, "tensor(-inf)"},
		{Scalar(2), DTypeFloat32, "tensor(2.)"},
		{Scalar(0), DTypeFloat32, "tensor(0.)"},
		{Scalar(1e-5), DTypeFloat32, "tensor(1.0000e-05)"},
		{Scalar(123456789), DTypeFloat32, "tensor(1.2346e+08)"},
		{Scalar(-0.5), DTypeFloat32, "tensor(-0.5000)"},
		{vec(0.34657359, -0.20273255, 0.529008, -0.16094379), DTypeFloat32, "tensor([ 0.3466, -0.2027,  0.5290, -0.1609])"},
		{vec(0, 1, nan), DTypeFloat32, "tensor([0., 1., nan])"},
		{vec(0.5, inf), DTypeFloat32, "tensor([0.5000,    inf])"},
		{vec(1e-5, 1), DTypeFloat32, "tensor([1.0000e-05, 1.0000e+00])"},
		{Tensor{Shape: []int{2, 2}, Data: []float64{0.1, 0.9, 0.5, 0.5}}, DTypeFloat32, "tensor([[0.1000, 0.9000],\n        [0.5000, 0.5000]])"},
		{Tensor{Shape: []int{0, 3}}, DTypeFloat32, "tensor([], size=(0, 3))"},
		{Tensor{Shape: []int{0}}, DTypeFloat32, "tensor([])"},
		{Tensor{Shape: []int{0}}, DTypeFloat64, "tensor([], dtype=torch.float64)"},
		// 16-bit rows: repr(torch.tensor(values, dtype=...)) in PyTorch 1.13.1
		// (Debian's python3-torch), the values rounded to the dtype first.
		{Scalar(roundBF16(0.0488)), DTypeBFloat16, "tensor(0.0488, dtype=torch.bfloat16)"},
		{vec(1, 2, -3), DTypeBFloat16, "tensor([ 1.,  2., -3.], dtype=torch.bfloat16)"},
		{vec(roundBF16(0.1), roundBF16(1e-5), 300), DTypeBFloat16, "tensor([1.0010e-01, 1.0014e-05, 3.0000e+02], dtype=torch.bfloat16)"},
		{vec(inf, nan, 0.5), DTypeBFloat16, "tensor([   inf,    nan, 0.5000], dtype=torch.bfloat16)"},
		{Tensor{Shape: []int{0}}, DTypeBFloat16, "tensor([], dtype=torch.bfloat16)"},
		{Scalar(roundF16(0.0488)), DTypeFloat16, "tensor(0.0488, dtype=torch.float16)"},
		{vec(roundF16(0.1), roundF16(1e-5), 300), DTypeFloat16, "tensor([9.9976e-02, 1.0014e-05, 3.0000e+02], dtype=torch.float16)"},
		{vec(inf, nan, 0.5), DTypeFloat16, "tensor([   inf,    nan, 0.5000], dtype=torch.float16)"},
	}
	for _, tt := range tests {
		if got := FormatTorch(tt.t, tt.dt); got != tt.want {
			t.Errorf("FormatTorch(%v %v) = %q, want %q", tt.t.Shape, tt.t.Data, got, tt.want)
		}
	}
}

func TestFormatTorchWrapsAndSummarises(t *testing.T) {
	// 12 values of width 6: (80 − 7) / 8 = 9 per line.
	d := make([]float64, 12)
	for i := range d {
		d[i] = 0.25
	}
	got := FormatTorch(Vector(d), DTypeFloat32)
	want := "tensor([0.2500, 0.2500, 0.2500, 0.2500, 0.2500, 0.2500, 0.2500, 0.2500, 0.2500,\n        0.2500, 0.2500, 0.2500])"
	if got != want {
		t.Errorf("wrapped:\n%s\nwant\n%s", got, want)
	}
	big := make([]float64, 2000)
	for i := range big {
		big[i] = float64(100 + i)
	}
	got = FormatTorch(Vector(big), DTypeFloat32)
	if want := "tensor([ 100.,  101.,  102.,  ..., 2097., 2098., 2099.])"; got != want {
		t.Errorf("summarised = %q, want %q", got, want)
	}
	// Integers spanning more than a factor 1000 switch to scientific
	// notation, and " ..." counts as an element when wrapping.
	for i := range big {
		big[i] = float64(i)
	}
	got = FormatTorch(Vector(big), DTypeFloat32)
	if want := "tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n        1.9990e+03])"; got != want {
		t.Errorf("summarised = %q, want %q", got, want)
	}
	m := Tensor{Shape: []int{1000, 2}, Data: make([]float64, 2000)}
	got = FormatTorch(m, DTypeFloat64)
	if !strings.Contains(got, "\n        ...,\n") || !strings.HasSuffix(got, "dtype=torch.float64)") {
		t.Errorf("summarised matrix = %q", got)
	}
}

// What FormatTorch prints, textparse.Parse reads back with the same shape, so
// a user can paste a printout copied from this page or from PyTorch.
func TestFormatTorchParses(t *testing.T) {
	rng := newRand(9)
	for iter := 0; iter < 500; iter++ {
		var tn Tensor
		switch iter % 3 {
		case 0:
			tn = Scalar(rng.NormFloat64())
		case 1:
			tn = Vector(randomDist(rng, 1+rng.IntN(30), true))
		default:
			tn = randomBatch(rng, 1+rng.IntN(8), 1+rng.IntN(12))
		}
		for _, dt := range []DType{DTypeFloat32, DTypeFloat64} {
			s := FormatTorch(tn, dt)
			m, err := textparse.Parse(s)
			if err != nil {
				t.Fatalf("Parse(%q): %v", s, err)
			}
			r, c := tn.rowsCols()
			if m.Dims != tn.Dims() || len(m.Rows) != r || len(m.Rows[0]) != c {
				t.Fatalf("Parse(%q) = %d×%d Dims %d, want %v", s, len(m.Rows), len(m.Rows[0]), m.Dims, tn.Shape)
			}
		}
	}
}
