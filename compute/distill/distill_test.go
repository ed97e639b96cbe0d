package distill

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/klcalc/klcalc/compute"
)

var (
	inf  = math.Inf(1)
	nan  = math.NaN()
	ln2  = math.Ln2
	ln3  = math.Log(3)
	ninf = math.Inf(-1)
)

// The two-class pair of the hand-derived rows: teacher logits [0, 0] give
// p = [1/2, 1/2]; student logits [0, ln 3] give q = [1/4, 3/4].
//
//	KL(p‖q) = ½ln(½/¼) + ½ln(½/¾)         = ½ln(4/3)
//	KL(q‖p) = ¼ln(¼/½) + ¾ln(¾/½)         = ¾ln(3/2) − ¼ln 2
//	H(p)    = ln 2;  H(p, q) = KL(p‖q) + H(p) = ½ln(16/3)
//	m = (p + q)/2 = [3/8, 5/8]
//	JSD(½) = ½KL(p‖m) + ½KL(q‖m)
//	       = ½(½ln(4/3) + ½ln(4/5)) + ½(¼ln(2/3) + ¾ln(6/5))
var (
	pairT   = []float64{0, 0}
	pairS   = []float64{0, ln3}
	pairFKL = 0.5 * math.Log(4.0/3)
	pairRKL = 0.75*math.Log(1.5) - 0.25*ln2
	pairCE  = 0.5 * math.Log(16.0/3)
	pairJSD = 0.5*(0.5*math.Log(4.0/3)+0.5*math.Log(0.8)) + 0.5*(0.25*math.Log(2.0/3)+0.75*math.Log(1.2))
)

func matrix(rows ...[]float64) compute.Tensor {
	t, err := compute.NewMatrix(rows)
	if err != nil {
		panic(err)
	}
	return t
}

// want is one flavour's expected value in a table row.
type want struct {
	f       Flavor
	value   float64
	tokens  int
	divisor float64
	note    Note
}

func TestComputeTable(t *testing.T) {
	tests := []struct {
		name string // and where its numbers come from
		in   Input
		want []want
		// entropy is TorchtuneFKL's Entropy.
		entropy float64
	}{
		{
			name: "pair [1,2]: the formulas above",
			in:   Input{Teacher: matrix(pairT), Student: matrix(pairS), Beta: 0.5, T: 1},
			want: []want{
				{KLDiv, pairFKL, 1, 1, 0},
				{Hinton, pairFKL, 1, 1, 0},
				{TorchtuneFKL, pairCE, 1, 1, NoteOmitsEntropy},
				{TorchtuneRKL, pairRKL, 1, 1, 0},
				{GKD, pairJSD, 1, 1, 0},
				{MaskedFKL, pairFKL, 1, 1, 0},
				{MaskedRKL, pairRKL, 1, 1, 0},
			},
			entropy: ln2,
		},
		{
			name: "pair as a [2] row: batchmean divides by size(0) = V = 2 (torch/nn/functional.py)",
			in:   Input{Teacher: compute.Vector(pairT), Student: compute.Vector(pairS), Beta: 0.5, T: 1},
			want: []want{
				{KLDiv, pairFKL / 2, 1, 2, NoteDividesByClasses},
				{MaskedFKL, pairFKL, 1, 1, 0},
				{GKD, pairJSD, 1, 1, 0},
			},
			entropy: ln2,
		},
		{
			name: "pair at T = 2, logits doubled: same distributions, Hinton multiplies by T² = 4",
			in:   Input{Teacher: matrix(pairT), Student: matrix([]float64{0, 2 * ln3}), Beta: 0.5, T: 2},
			want: []want{
				{KLDiv, pairFKL, 1, 1, 0},
				{Hinton, 4 * pairFKL, 1, 1, 0},
				{TorchtuneRKL, pairRKL, 1, 1, 0},
			},
			entropy: ln2,
		},
		{
			name:    "β = 0 and β = 1 are the forward and reverse KL (gkd_trainer.py's special cases)",
			in:      Input{Teacher: matrix(pairT), Student: matrix(pairS), Beta: 0, T: 1},
			want:    []want{{GKD, pairFKL, 1, 1, NoteBetaEndpoint}},
			entropy: ln2,
		},
		{
			name:    "β = 1",
			in:      Input{Teacher: matrix(pairT), Student: matrix(pairS), Beta: 1, T: 1},
			want:    []want{{GKD, pairRKL, 1, 1, NoteBetaEndpoint}},
			entropy: ln2,
		},
		{
			name: "a second row, identical (KL 0) and masked: kl_div still counts it and divides by 2",
			in: Input{
				Teacher: matrix(pairT, []float64{1, 2}), Student: matrix(pairS, []float64{1, 2}),
				Mask: []bool{true, false}, Beta: 0.5, T: 1,
			},
			want: []want{
				{KLDiv, pairFKL / 2, 2, 2, NoteMaskIgnored},
				{TorchtuneFKL, pairCE, 1, 1, NoteOmitsEntropy},
				{GKD, pairJSD, 1, 1, 0},
				{MaskedFKL, pairFKL, 1, 1, 0},
				{MaskedRKL, pairRKL, 1, 1, 0},
			},
			entropy: ln2,
		},
		{
			name: "every row masked: torchtune returns 0, GKD 0/clamp_min(1) = 0, the plain mean 0/0",
			in: Input{
				Teacher: matrix(pairT, pairS), Student: matrix(pairS, pairT),
				Mask: []bool{false, false}, Beta: 0.5, T: 1,
			},
			want: []want{
				{KLDiv, pairFKL/2 + pairRKL/2, 2, 2, NoteMaskIgnored},
				{TorchtuneFKL, 0, 0, 0, NoteAllMasked | NoteOmitsEntropy},
				{TorchtuneRKL, 0, 0, 0, NoteAllMasked},
				{GKD, 0, 0, 1, NoteAllMasked},
				{MaskedFKL, nan, 0, 0, NoteAllMasked},
				{MaskedRKL, nan, 0, 0, NoteAllMasked},
			},
		},
		{
			name: "a NaN in a masked row: torchtune multiplies by the mask (NaN·0 = NaN), the others drop the row",
			in: Input{
				Teacher: matrix(pairT, []float64{nan, 0}), Student: matrix(pairS, pairS),
				Mask: []bool{true, false}, Beta: 0.5, T: 1,
			},
			want: []want{
				{KLDiv, nan, 2, 2, NoteMaskIgnored},
				{TorchtuneFKL, nan, 1, 1, NoteOmitsEntropy},
				{TorchtuneRKL, nan, 1, 1, 0},
				{GKD, pairJSD, 1, 1, 0},
				{MaskedFKL, pairFKL, 1, 1, 0},
			},
			entropy: ln2,
		},
		{
			// p = [1, 0], q = [½, ½]. KL(p‖q) = ln 2 but kl_div's log_target
			// term for p = 0 is exp(−Inf)·(−Inf − s) = 0·(−Inf) = NaN.
			// torchtune forward: −(1·ln ½ + 0·ln ½) = ln 2 (H(p) = 0).
			// torchtune reverse masks index 1 (the teacher is −Inf):
			// x = ½·(0 − ln ½) = ½ln 2, loss = −x = −½ln 2 < 0, where the
			// true KL(q‖p) = +Inf.
			name: "teacher −Inf where the student has mass: derivation in the comment",
			in:   Input{Teacher: matrix([]float64{0, ninf}), Student: matrix([]float64{0, 0}), Beta: 0.5, T: 1},
			want: []want{
				{KLDiv, nan, 1, 1, 0},
				{TorchtuneFKL, ln2, 1, 1, NoteOmitsEntropy},
				{TorchtuneRKL, -ln2 / 2, 1, 1, NoteInfMasked},
				{GKD, nan, 1, 1, 0},
				{MaskedFKL, nan, 1, 1, 0},
				{MaskedRKL, inf, 1, 1, 0},
			},
			entropy: 0,
		},
		{
			// p = [½, ½], q = [1, 0]. torchtune forward masks index 1 (the
			// student is −Inf): −½·ln 1 = 0, where H(p, q) = +Inf.
			// Reverse: KL(q‖p) = 1·ln(1/½) = ln 2, and torchtune masks the
			// q = 0 term. The plain reverse term exp(−Inf)·(−Inf − t) is NaN.
			name: "student −Inf: derivation in the comment",
			in:   Input{Teacher: matrix([]float64{0, 0}), Student: matrix([]float64{0, ninf}), Beta: 0, T: 1},
			want: []want{
				{KLDiv, inf, 1, 1, 0},
				{TorchtuneFKL, 0, 1, 1, NoteOmitsEntropy | NoteInfMasked},
				{TorchtuneRKL, ln2, 1, 1, NoteInfMasked},
				{GKD, inf, 1, 1, NoteBetaEndpoint},
				{MaskedFKL, inf, 1, 1, 0},
				{MaskedRKL, nan, 1, 1, 0},
			},
			entropy: ln2,
		},
		{
			name: "N = 0: batchmean is 0/0; torchtune returns 0; GKD 0/1",
			in:   Input{Teacher: compute.Tensor{Shape: []int{0, 3}}, Student: compute.Tensor{Shape: []int{0, 3}}, Beta: 0.5, T: 1},
			want: []want{
				{KLDiv, nan, 0, 0, NoteNoRows},
				{Hinton, nan, 0, 0, NoteNoRows},
				{TorchtuneFKL, 0, 0, 0, NoteNoRows | NoteOmitsEntropy},
				{TorchtuneRKL, 0, 0, 0, NoteNoRows},
				{GKD, 0, 0, 1, NoteNoRows},
				{MaskedFKL, nan, 0, 0, NoteNoRows},
			},
		},
		{
			name: "V = 0: every row sums to 0",
			in:   Input{Teacher: compute.Tensor{Shape: []int{2, 0}}, Student: compute.Tensor{Shape: []int{2, 0}}, Beta: 0.5, T: 1},
			want: []want{
				{KLDiv, 0, 2, 2, 0},
				{TorchtuneFKL, 0, 2, 2, NoteOmitsEntropy},
				{GKD, 0, 2, 2, 0},
				{MaskedRKL, 0, 2, 2, 0},
			},
		},
		{
			name: "T = 0: x/0 is ±Inf, so log_softmax is NaN; torchtune masks every student term",
			in:   Input{Teacher: matrix([]float64{1, 2}), Student: matrix([]float64{2, 1}), Beta: 0.5, T: 0},
			want: []want{
				{KLDiv, nan, 1, 1, NoteTemperature},
				{Hinton, nan, 1, 1, NoteTemperature},
				{TorchtuneFKL, 0, 1, 1, NoteTemperature | NoteOmitsEntropy | NoteInfMasked},
				{GKD, nan, 1, 1, NoteTemperature},
			},
			entropy: nan,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Compute(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(Flavors()) {
				t.Fatalf("Compute returned %d values, want %d", len(got), len(Flavors()))
			}
			for i, v := range got {
				if v.Flavor != Flavor(i) {
					t.Errorf("value %d is %v, want %v", i, v.Flavor, Flavor(i))
				}
			}
			for _, w := range tt.want {
				v := got[w.f]
				if !alike(v.Value, w.value, 2e-15) {
					t.Errorf("%v = %v, want %v", w.f, v.Value, w.value)
				}
				if v.Tokens != w.tokens || v.Divisor != w.divisor || v.Note != w.note {
					t.Errorf("%v: Tokens %d, Divisor %v, Note %q; want %d, %v, %q",
						w.f, v.Tokens, v.Divisor, v.Note, w.tokens, w.divisor, w.note)
				}
			}
			if e := got[TorchtuneFKL].Entropy; !alike(e, tt.entropy, 2e-15) {
				t.Errorf("TorchtuneFKL Entropy = %v, want %v", e, tt.entropy)
			}
		})
	}
}

// alike reports whether got is want within rel relative error, with NaN
// equal to NaN, and 0 and the infinities exact. The hand-derived values
// are themselves a few roundings from the exact numbers (½ln(4/3) is a
// log and a product), hence rel = 2e-15 in the table, about 9 ulp.
func alike(got, want, rel float64) bool {
	switch {
	case math.IsNaN(want):
		return math.IsNaN(got)
	case math.IsInf(want, 0) || want == 0:
		return got == want
	}
	return math.Abs(got-want) <= rel*math.Abs(want)
}

func TestComputeErrors(t *testing.T) {
	v2 := compute.Vector([]float64{1, 2})
	m := matrix([]float64{1, 2}, []float64{3, 4})
	tests := []struct {
		name string
		in   Input
		is   error
	}{
		{"shapes differ", Input{Teacher: v2, Student: m, T: 1}, compute.ErrShape},
		{"0-D", Input{Teacher: compute.Scalar(1), Student: compute.Scalar(1), T: 1}, compute.ErrShape},
		{"3-D", Input{Teacher: compute.Tensor{Shape: []int{1, 1, 2}, Data: []float64{1, 2}},
			Student: compute.Tensor{Shape: []int{1, 1, 2}, Data: []float64{1, 2}}, T: 1}, compute.ErrShape},
		{"data short", Input{Teacher: compute.Tensor{Shape: []int{2, 2}, Data: []float64{1, 2}}, Student: m, T: 1}, compute.ErrShape},
		{"negative size", Input{Teacher: compute.Tensor{Shape: []int{-1, 0}}, Student: compute.Tensor{Shape: []int{-1, 0}}, T: 1}, compute.ErrShape},
		{"mask too short", Input{Teacher: m, Student: m, Mask: []bool{true}, T: 1}, compute.ErrShape},
		{"mask on a row", Input{Teacher: v2, Student: v2, Mask: []bool{true, true}, T: 1}, compute.ErrShape},
		{"beta < 0", Input{Teacher: m, Student: m, Beta: -0.1, T: 1}, ErrBeta},
		{"beta > 1", Input{Teacher: m, Student: m, Beta: 1.1, T: 1}, ErrBeta},
		{"beta NaN", Input{Teacher: m, Student: m, Beta: nan, T: 1}, ErrBeta},
	}
	for _, tt := range tests {
		_, err := Compute(tt.in)
		if !errors.Is(err, tt.is) {
			t.Errorf("%s: Compute error %v, want one wrapping %v", tt.name, err, tt.is)
		}
		if err != nil && err.Error()[:8] != "distill:" {
			t.Errorf("%s: error %q does not start with \"distill:\"", tt.name, err)
		}
	}
	// A [V] row takes a mask of one entry.
	if _, err := Compute(Input{Teacher: v2, Student: v2, Mask: []bool{false}, T: 1}); err != nil {
		t.Errorf("a one-entry mask on a [V] row: %v", err)
	}
}

// randomInput returns finite logits of shape [n, v] (or [v] when n = 0)
// and a random mask; kind 1 gives a peaked teacher, 2 a student close to
// its teacher.
func randomInput(r *rand.Rand, n, v, kind int) Input {
	rows := max(n, 1)
	t := make([]float64, rows*v)
	s := make([]float64, rows*v)
	for i := range t {
		t[i] = 2 * r.NormFloat64()
		switch kind {
		case 1:
			t[i] *= 6
			s[i] = 2 * r.NormFloat64()
		case 2:
			s[i] = t[i] + 0.01*r.NormFloat64()
		default:
			s[i] = 2 * r.NormFloat64()
		}
	}
	shape := []int{n, v}
	if n == 0 {
		shape = []int{v}
	}
	var mask []bool
	if r.IntN(3) > 0 {
		mask = make([]bool, rows)
		for i := range mask {
			mask[i] = r.IntN(3) > 0
		}
	}
	betas := []float64{0, 0.1, 0.5, 0.9, 1}
	temps := []float64{1, 2, 4, 0.5}
	return Input{
		Teacher: compute.Tensor{Shape: shape, Data: t},
		Student: compute.Tensor{Shape: shape, Data: s},
		Mask:    mask,
		Beta:    betas[r.IntN(len(betas))],
		T:       temps[r.IntN(len(temps))],
	}
}

// TestIdentities checks the relations between the flavours that follow
// from their definitions, on random finite logits.
func TestIdentities(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for k := range 2000 {
		n, v := r.IntN(6), 2+r.IntN(60)
		in := randomInput(r, n, v, k%3)
		got, err := Compute(in)
		if err != nil {
			t.Fatal(err)
		}
		val := func(f Flavor) float64 { return got[f].Value }
		scale := termScale(in) / math.Max(got[MaskedFKL].Divisor, 1)
		near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-14*math.Max(scale, math.Abs(b)) }
		tok := got[MaskedFKL].Tokens

		// Hinton multiplies by T² (kl * T**2: T² first), one rounding.
		if h, want := val(Hinton), val(KLDiv)*(in.T*in.T); h != want {
			t.Errorf("case %d: Hinton = %v, want T²·KLDiv = %v", k, h, want)
		}
		// With nothing masked on [N, V], the masked mean is batchmean.
		if in.Mask == nil && n > 0 && val(MaskedFKL) != val(KLDiv) {
			t.Errorf("case %d: MaskedFKL = %v, want KLDiv = %v", k, val(MaskedFKL), val(KLDiv))
		}
		if tok > 0 {
			// GKD's endpoints are the plain masked KLs, term by term.
			switch in.Beta {
			case 0:
				if val(GKD) != val(MaskedFKL) {
					t.Errorf("case %d: GKD(β=0) = %v, want MaskedFKL = %v", k, val(GKD), val(MaskedFKL))
				}
			case 1:
				if val(GKD) != val(MaskedRKL) {
					t.Errorf("case %d: GKD(β=1) = %v, want MaskedRKL = %v", k, val(GKD), val(MaskedRKL))
				}
			}
			// Cross-entropy = KL + H.
			if a, b := val(TorchtuneFKL)-got[TorchtuneFKL].Entropy, val(MaskedFKL); !near(a, b) {
				t.Errorf("case %d: TorchtuneFKL − Entropy = %v, want MaskedFKL = %v", k, a, b)
			}
			// torchtune's reverse KL is the true one on finite logits.
			if a, b := val(TorchtuneRKL), val(MaskedRKL); !near(a, b) {
				t.Errorf("case %d: TorchtuneRKL = %v, want MaskedRKL = %v", k, a, b)
			}
		}
		// KL ≥ 0, and 0 ≤ JSD(β) ≤ h(β) = −β ln β − (1−β) ln(1−β), the
		// binary entropy, which is ln 2 at β = ½ (Lin 1991, for the mixture
		// definition; each token's JSD is bounded, so their mean is).
		bound := 0.0
		if b := in.Beta; b > 0 && b < 1 {
			bound = -b*math.Log(b) - (1-b)*math.Log1p(-b)
		}
		for _, f := range []Flavor{KLDiv, MaskedFKL, MaskedRKL, TorchtuneRKL, GKD} {
			if x := val(f); x < -1e-15*scale || math.IsNaN(x) && tok > 0 {
				t.Errorf("case %d: %v = %v, want ≥ 0", k, f, x)
			}
		}
		if b := in.Beta; b > 0 && b < 1 && val(GKD) > bound*(1+1e-15) {
			t.Errorf("case %d: GKD(β=%v) = %v > h(β) = %v", k, b, val(GKD), bound)
		}
		if got[TorchtuneFKL].Entropy < 0 {
			t.Errorf("case %d: Entropy = %v < 0", k, got[TorchtuneFKL].Entropy)
		}
	}
}

// TestNegativeTemperature: dividing by −T is dividing −x by T.
func TestNegativeTemperature(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for k := range 200 {
		in := randomInput(r, 1+r.IntN(4), 2+r.IntN(20), 0)
		neg := in
		neg.T = -in.T
		neg.Teacher.Data = negate(in.Teacher.Data)
		neg.Student.Data = negate(in.Student.Data)
		a, _ := Compute(in)
		b, _ := Compute(neg)
		for i := range a {
			if !alike(b[i].Value, a[i].Value, 0) {
				t.Errorf("case %d: %v at T = %v is %v; with −x at −T, %v", k, a[i].Flavor, in.T, a[i].Value, b[i].Value)
			}
			if b[i].Note != a[i].Note|NoteTemperature {
				t.Errorf("case %d: %v note %q at T < 0, want %q", k, a[i].Flavor, b[i].Note, a[i].Note|NoteTemperature)
			}
		}
	}
}

func negate(x []float64) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = -v
	}
	return out
}

// TestComputeKeepsInput: Compute does not write to its input.
func TestComputeKeepsInput(t *testing.T) {
	in := Input{Teacher: matrix([]float64{1, ninf}), Student: matrix([]float64{3, 4}), Mask: []bool{true}, Beta: 0.5, T: 2}
	if _, err := Compute(in); err != nil {
		t.Fatal(err)
	}
	if in.Teacher.Data[0] != 1 || !math.IsInf(in.Teacher.Data[1], -1) || in.Student.Data[0] != 3 || !in.Mask[0] {
		t.Errorf("Compute changed its input: %v %v %v", in.Teacher.Data, in.Student.Data, in.Mask)
	}
}

func TestFlavors(t *testing.T) {
	seen := map[string]bool{}
	for i, f := range Flavors() {
		if int(f) != i {
			t.Errorf("Flavors()[%d] = %d", i, f)
		}
		key := f.String()
		if seen[key] {
			t.Errorf("key %q twice", key)
		}
		seen[key] = true
		g, err := ParseFlavor(key)
		if err != nil || g != f {
			t.Errorf("ParseFlavor(%q) = %v, %v; want %v", key, g, err, f)
		}
		src := f.Source()
		if src.Project == "" || src.File == "" || src.Function == "" || src.URL() == "" {
			t.Errorf("%v: incomplete source %+v (URL %q)", f, src, src.URL())
		}
	}
	if _, err := ParseFlavor("jsd"); !errors.Is(err, ErrFlavor) {
		t.Errorf("ParseFlavor(\"jsd\") error %v, want ErrFlavor", err)
	}
	if s := Flavor(99).String(); s != "Flavor(99)" {
		t.Errorf("Flavor(99).String() = %q", s)
	}
	if got, want := TorchtuneFKL.Source().URL(),
		"https://github.com/pytorch/torchtune/blob/bd2a0fc7c31430972728494fa01aaeeb0ebf1ba1/torchtune/modules/loss/kd_losses.py"; got != want {
		t.Errorf("URL = %q, want %q", got, want)
	}
	if got, want := KLDiv.Source().URL(), "https://github.com/pytorch/pytorch/blob/v1.13.1/torch/nn/functional.py"; got != want {
		t.Errorf("URL = %q, want %q", got, want)
	}
}

func TestNote(t *testing.T) {
	tests := []struct {
		n    Note
		want string
	}{
		{0, ""},
		{NoteAllMasked, "all-masked"},
		{NoteAllMasked | NoteOmitsEntropy, "all-masked+omits-entropy"},
		{NoteTemperature | 1<<15, "temperature+Note(0x8000)"},
	}
	for _, tt := range tests {
		if got := tt.n.String(); got != tt.want {
			t.Errorf("Note(%#x).String() = %q, want %q", uint16(tt.n), got, tt.want)
		}
	}
	n := NoteNoRows | NoteInfMasked
	if c := n.Codes(); len(c) != 2 || c[0] != NoteNoRows || c[1] != NoteInfMasked {
		t.Errorf("Codes() = %v", c)
	}
	if !n.Has(NoteInfMasked) || n.Has(NoteInfMasked|NoteAllMasked) {
		t.Error("Has is wrong")
	}
	for i := range numNotes {
		if noteNames[i] == "" {
			t.Errorf("note %d has no key", i)
		}
	}
}
