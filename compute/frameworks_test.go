package compute

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// Elementwise functions against docs/kl_div.md §7 rows 1–16 (scipy rel_entr,
// scipy kl_div and keras term columns; gonum has no framework here). The
// table gives 4 to 10 significant digits, hence the tolerances.
func TestFrameworkElementwise(t *testing.T) {
	tests := []struct {
		row             int
		p, q            float64
		relEntr, klDiv  float64
		tolR, tolK      float64
		keras, tolKeras float64
	}{
		// Row 1 also gives the full value 0.34657359027997264 (= 0.5·ln 2).
		{1, 0.5, 0.25, 0.34657359027997264, 0.096573590, 0, 1e-8, 0.346573590, 1e-6},
		{2, 0.25, 0.5, -0.173286795, 0.076713205, 1e-8, 1e-8, -0.1732868, 1e-6},
		{3, 0, 0.3, 0, 0.3, 0, 0, -1.4914e-06, 1e-4},
		{4, 0, 0, 0, 0, 0, 0, 0, 0},
		{5, 0.3, 0, inf, inf, 0, 0, 4.474236854, 1e-6},
		{6, 1, 1, 0, 0, 0, 0, 0, 0},
		{7, -0.1, 0.5, inf, inf, 0, 0, -1.5425e-06, 1e-4},
		{8, 2, 0.5, 2.772588722, 1.272588722, 1e-9, 1e-9, 0.693147181, 1e-6},
		{9, 0.5, 2, -0.6931472, 0.806852819, 1e-7, 1e-9, -0.346573590, 1e-6},
		{10, nan, 0.5, nan, nan, 0, 0, nan, 0}, // keras NaN through clip: assumed, §7 footnote
		{11, 0.5, nan, nan, nan, 0, 0, nan, 0},
		{12, 0, nan, nan, nan, 0, 0, nan, 0},
		{13, inf, 0.5, inf, nan, 0, 0, 0.693147181, 1e-6},
		{14, 0.5, inf, -inf, nan, 0, 0, -0.346573590, 1e-6},
		{15, 0, inf, 0, inf, 0, 0, -1.6118e-06, 1e-4},
		// x/y underflows to 0: SciPy 1.10.1's x·log(x/y) is −Inf for both
		// (rel_entr(1e-300, 1e300) and kl_div(1e-300, 1e300) print -inf with
		// /usr/bin/python3); §7's −1.38155e-297 is the x·(log x − log y)
		// branch SciPy 1.15 added.
		{16, 1e-300, 1e300, -inf, -inf, 0, 0, -1.6118e-06, 1e-4},
	}
	for _, tt := range tests {
		if got := relEntr(tt.p, tt.q); !close(got, tt.relEntr, tt.tolR) {
			t.Errorf("row %d: rel_entr(%g, %g) = %v, want %v", tt.row, tt.p, tt.q, got, tt.relEntr)
		}
		if got := scipyKLDiv(tt.p, tt.q); !close(got, tt.klDiv, tt.tolK) {
			t.Errorf("row %d: kl_div(%g, %g) = %v, want %v", tt.row, tt.p, tt.q, got, tt.klDiv)
		}
		if got := kerasTerm(tt.p, tt.q); !close(got, tt.keras, tt.tolKeras) {
			t.Errorf("row %d: keras term(%g, %g) = %v, want %v", tt.row, tt.p, tt.q, got, tt.keras)
		}
	}
}

// rel_entr and kl_div are SciPy 1.10.1's: x·log(x/y) with glibc's log and
// no other branch, bit for bit. The values are what /usr/bin/python3 (Debian's
// SciPy 1.10.1) prints for scipy.special.rel_entr(x, y) and kl_div(x, y);
// SciPy 1.15's log1p branch gives 0.12163953243244931 for (0.3, 0.2), and its
// log-difference branch a finite 1.38e303 for (1e300, 1e-300).
func TestFrameworkRelEntrSciPy110(t *testing.T) {
	tests := []struct{ x, y, relEntr, klDiv float64 }{
		{0.3, 0.2, 0.12163953243244927, 0.021639532432449288},
		{0.9, 0.1, 1.9775021196025977, 1.1775021196025977},
		{0.5, 0.25, 0.34657359027997264, 0.09657359027997264},
		{0.7, 0.6999999, 1.0000000710417847e-07, 7.105427357601002e-15},
		{1e300, 1e-300, inf, inf},
		{1e-300, 1e300, -inf, -inf},
	}
	for _, tt := range tests {
		if got := relEntr(tt.x, tt.y); !alike(got, tt.relEntr) {
			t.Errorf("rel_entr(%g, %g) = %v, SciPy 1.10.1 %v", tt.x, tt.y, got, tt.relEntr)
		}
		if got := scipyKLDiv(tt.x, tt.y); !alike(got, tt.klDiv) {
			t.Errorf("kl_div(%g, %g) = %v, SciPy 1.10.1 %v", tt.x, tt.y, got, tt.klDiv)
		}
	}
}

func fwByName(t *testing.T, vals []FrameworkValue, f Framework) FrameworkValue {
	t.Helper()
	for _, v := range vals {
		if v.Framework == f {
			return v
		}
	}
	t.Fatalf("no %v in the result", f)
	return FrameworkValue{}
}

func compareProbs(t *testing.T, p, q Tensor, red Reduction, dt DType) []FrameworkValue {
	t.Helper()
	r := mustCalc(t, Side{Data: p}, Side{Data: q}, Options{Reduction: red, DType: dt})
	vals := CompareFrameworks(p, q, r)
	if len(vals) != len(Frameworks()) {
		t.Fatalf("%d values, want %d", len(vals), len(Frameworks()))
	}
	for i, v := range vals {
		if v.Framework != Frameworks()[i] {
			t.Errorf("value %d is %v, want %v", i, v.Framework, Frameworks()[i])
		}
		checkNote(t, v)
	}
	return vals
}

// checkNote: every value is explained, by known kinds, each at most once.
// (app's tests check the words.)
func checkNote(t *testing.T, v FrameworkValue) {
	t.Helper()
	if len(v.Notes) == 0 {
		t.Errorf("%v: no notes", v.Framework)
	}
	seen := map[NoteKind]bool{}
	for _, n := range v.Notes {
		if n.Kind < NoteShapes || n.Kind > NoteReduction || seen[n.Kind] {
			t.Errorf("%v: notes %+v: kind %d unknown or repeated", v.Framework, v.Notes, n.Kind)
		}
		seen[n.Kind] = true
	}
	if v.Err != "" && !math.IsNaN(v.Value) {
		t.Errorf("%v: Err %q with Value %v, want NaN", v.Framework, v.Err, v.Value)
	}
}

// Whole-vector cases, each citing its source.
func TestCompareFrameworksCases(t *testing.T) {
	type want struct {
		f    Framework
		v    float64
		tol  float64 // relative; 0 means exactly (alike)
		rows []float64
		err  string          // substring of Err
		note func(Note) bool // true for one of Notes
	}
	tests := []struct {
		name string
		p, q Tensor
		red  Reduction
		dt   DType
		want []want
	}{
		{
			// docs/kl_div.md §7 row 22: per-sample [0.9162892, −3.08e-06] → 0.45814306 (f32).
			name: "keras row 22",
			p:    mat(t, []float64{0, 1}, []float64{0, 0}),
			q:    mat(t, []float64{0.6, 0.4}, []float64{0.4, 0.6}),
			red:  ReductionBatchMean, dt: DTypeFloat32,
			want: []want{
				{f: FrameworkKeras, v: float64(float32(0.45814306)), rows: []float64{float64(float32(0.9162892)), -3.08e-06},
					note: func(n Note) bool { return n.Kind == NoteReduction && n.Batched && n.Count == 2 && n.Same }},
				// validate_args: P's row 2 sums to 0, 0/0 = NaN fails Simplex() (docs/libraries.md §2.1).
				{f: FrameworkTorchDistributions, v: nan, err: "Simplex()", note: func(n Note) bool {
					return n.Kind == NoteInvalid && n.Operand == OperandP && n.Row == 1 && n.Fault == FaultZeroSum
				}},
				// entropy normalises row 2 of P: 0/0 = NaN (§7 row 26, ([0,0],[1,1]) → NaN).
				{f: FrameworkScipyEntropy, v: nan, note: func(n Note) bool { return n.Kind == NoteRowSum && n.Operand == OperandP && n.Row == 1 && n.Sum == 0 }},
			},
		},
		{
			// docs/kl_div.md §7 row 23: ln(1/1e-7) + 1e-7·ln(1e-7) = 16.118093 (f32).
			name: "keras row 23",
			p:    vec(1, 0), q: vec(0, 1),
			red: ReductionSum, dt: DTypeFloat32,
			want: []want{
				{f: FrameworkKeras, v: float64(float32(16.118093)), note: func(n Note) bool {
					return n.Kind == NoteMismatch && n.X == 1 && n.Y == float64(float32(1e-7)) && n.Torch == inf
				}},
				{f: FrameworkTorchKLDiv, v: inf},
				{f: FrameworkScipyRelEntr, v: inf},
				// t[q == 0] = inf (docs/libraries.md §2.1).
				{f: FrameworkTorchDistributions, v: inf},
			},
		},
		{
			// docs/kl_div.md §7 row 25: entropy([1,1],[9,1]) = 0.5108256237659906 (normalised, nats),
			// but SciPy 1.10.1 returns 0.5108256237659907, 1 ulp above (gen.py's case e124 of
			// testdata/frameworks; /usr/bin/python3 prints the same), and 0.5108256237659906 is
			// not what it returns; the unnormalised rel_entr sum is 1·ln(1/9) + 1·ln(1/1) = −ln 9.
			name: "entropy row 25",
			p:    vec(1, 1), q: vec(9, 1),
			red: ReductionSum, dt: DTypeFloat64,
			want: []want{
				{f: FrameworkScipyEntropy, v: 0.5108256237659907, note: func(n Note) bool { return n.Kind == NoteRowSum && n.Operand == OperandP && n.Row == -1 && n.Sum == 2 }},
				{f: FrameworkScipyRelEntr, v: -math.Log(9), tol: 1e-15},
				// Categorical normalises too: the same value up to rounding (docs/libraries.md §2.1).
				{f: FrameworkTorchDistributions, v: 0.5108256237659906, tol: 1e-15, note: func(n Note) bool { return n.Kind == NoteRowSum && n.Operand == OperandP && n.Row == -1 && n.Sum == 2 }},
				// kl_div convex: −ln 9 − Σp + Σq = −ln 9 − 2 + 10.
				{f: FrameworkScipyKLDiv, v: -math.Log(9) + 8, tol: 1e-15, note: func(n Note) bool {
					return n.Kind == NoteConvexGains && n.Row == -1 && n.X == 2 && n.Y == 10 && n.Term == 8
				}},
			},
		},
		{
			// docs/libraries.md §3.2 docstring: entropy([1/2,1/2], [9/10,1/10], base=2) =
			// 0.7369655941662062 (doctest rtol 4e-16); base 2 is nats / ln 2.
			name: "entropy docstring",
			p:    vec(0.5, 0.5), q: vec(0.9, 0.1),
			red: ReductionSum, dt: DTypeFloat64,
			want: []want{
				{f: FrameworkScipyEntropy, v: 0.7369655941662062 * math.Ln2, tol: 1e-15},
				// docs/kl_div.md §7 row 30: Bernoulli(0.5)‖Bernoulli(0.9) = 0.5108256237659907 is
				// the same distribution pair as Categorical([.5,.5]‖[.9,.1]).
				{f: FrameworkTorchDistributions, v: 0.5108256237659907, tol: 1e-15},
			},
		},
		{
			// docs/kl_div.md §7 row 26: entropy([1,0],[.5,.5]) = 0.6931471805599453.
			name: "entropy row 26a",
			p:    vec(1, 0), q: vec(0.5, 0.5),
			red: ReductionSum, dt: DTypeFloat64,
			want: []want{
				{f: FrameworkScipyEntropy, v: 0.6931471805599453},
				// §7 row 30 analogue: Bernoulli(0‖0.5) = 0.6931471805599451, the
				// p = 1 entry using log(1 − 2⁻⁵²) = −2⁻⁵²: ln 2 − 2.2e-16.
				{f: FrameworkTorchDistributions, v: 0.6931471805599451, note: func(n Note) bool {
					return n.Kind == NoteClamp && n.Upper && n.Operand == OperandP && n.DType == DTypeFloat64
				}},
			},
		},
		{
			// docs/libraries.md §2: KL([1,0]‖[.5,.5]) in float32 ≈ ln 2 − 1.19e-7.
			name: "categorical float32 clamp",
			p:    vec(1, 0), q: vec(0.5, 0.5),
			red: ReductionSum, dt: DTypeFloat32,
			want: []want{
				{f: FrameworkTorchDistributions, v: math.Ln2 - 0x1p-23, tol: 1e-7, note: func(n Note) bool { return n.Kind == NoteClamp && n.Upper && n.DType == DTypeFloat32 }},
			},
		},
		{
			// docs/kl_div.md §7 row 26: entropy([.5,.5],[1,0]) = inf; §7 row 30 analogue Bernoulli(0.5‖0) = inf.
			name: "entropy row 26b",
			p:    vec(0.5, 0.5), q: vec(1, 0),
			red: ReductionSum, dt: DTypeFloat64,
			want: []want{
				{f: FrameworkScipyEntropy, v: inf},
				{f: FrameworkTorchDistributions, v: inf},
			},
		},
		{
			// docs/kl_div.md §7 row 26: ([0,0],[1,1]) → NaN (0/0); Categorical rejects the zero sum.
			name: "entropy row 26c",
			p:    vec(0, 0), q: vec(1, 1),
			red: ReductionSum, dt: DTypeFloat64,
			want: []want{
				{f: FrameworkScipyEntropy, v: nan, note: func(n Note) bool { return n.Kind == NoteRowSum && n.Sum == 0 && n.Row == -1 }},
				{f: FrameworkTorchDistributions, v: nan, err: "Categorical(probs: torch.Size([2]))"},
				{f: FrameworkScipyRelEntr, v: 0},
				// kl_div(0, 1) = 1 twice (docs/libraries.md §3.1: x = 0, y ≥ 0 gives y).
				{f: FrameworkScipyKLDiv, v: 2},
			},
		},
		{
			// docs/kl_div.md §7 row 26: ([2,-1],[.5,.5]) → inf (rel_entr of −1).
			name: "entropy row 26d",
			p:    vec(2, -1), q: vec(0.5, 0.5),
			red: ReductionSum, dt: DTypeFloat64,
			want: []want{
				{f: FrameworkScipyEntropy, v: inf, note: func(n Note) bool {
					return n.Kind == NoteMismatch && n.X == -1 && n.Y == 0.5 && n.Term == inf && n.Special == SpecialNegativeTarget
				}},
				{f: FrameworkTorchKLDiv, v: nan},
				// docs/libraries.md §2.1: probs off the simplex (negative) raise ValueError.
				{f: FrameworkTorchDistributions, v: nan, err: "ValueError: Expected parameter probs", note: func(n Note) bool { return n.Kind == NoteInvalid && n.Fault == FaultNegative && n.Operand == OperandP }},
				// Keras clips −1 to 1e-7 and 2 to 1: 1·ln(1/.5) + 1e-7·ln(1e-7/.5) (§7 rows 7, 8).
				{f: FrameworkKeras, v: math.Ln2 + 1e-7*math.Log(1e-7/0.5), tol: 1e-6},
			},
		},
		{
			// §7 row 30 analogue (0‖0) = 0: t[p == 0] = 0 is applied after t[q == 0] = inf.
			name: "categorical zero pair",
			p:    vec(1, 0), q: vec(1, 0),
			red: ReductionSum, dt: DTypeFloat64,
			want: []want{
				{f: FrameworkTorchDistributions, v: 0, note: func(n Note) bool { return n.Kind == NoteMismatch && n.X == 0 && n.Term == 0 && n.Pos == [2]int{0, 1} }},
				// §7 row 4: F.kl_div gives NaN at p = q = 0; rel_entr and kl_div give 0.
				{f: FrameworkTorchKLDiv, v: nan},
				{f: FrameworkScipyRelEntr, v: 0, note: func(n Note) bool {
					return n.Kind == NoteMismatch && n.X == 0 && n.Y == 0 && n.Term == 0 && math.IsNaN(n.Torch)
				}},
				{f: FrameworkScipyKLDiv, v: 0},
				{f: FrameworkScipyEntropy, v: 0},
			},
		},
		{
			// Negative rows normalise to positive ones: [-1,-1]/(−2) = [.5,.5] passes Simplex().
			name: "categorical negative sum",
			p:    vec(-1, -1), q: vec(0.5, 0.5),
			red: ReductionSum, dt: DTypeFloat64,
			want: []want{
				{f: FrameworkTorchDistributions, v: 0},
				{f: FrameworkScipyEntropy, v: 0},
			},
		},
		{
			name: "categorical NaN",
			p:    vec(0.5, 0.5), q: vec(nan, 0.5),
			red: ReductionSum, dt: DTypeFloat64,
			want: []want{
				{f: FrameworkTorchDistributions, v: nan, err: "Simplex()", note: func(n Note) bool { return n.Kind == NoteInvalid && n.Operand == OperandQ && n.Fault == FaultNaN }},
				{f: FrameworkScipyRelEntr, v: nan},
			},
		},
		{
			// docs/kl_div.md §7 row 17: target=[[.5,.5],[.9,.1]], q=[[.25,.75],[.5,.5]]:
			// sum 0.5119052433943876, batchmean 0.2559526216971938; the per-row
			// libraries' mean over the 2 rows is batchmean.
			name: "row 17 batchmean",
			p:    mat(t, []float64{0.5, 0.5}, []float64{0.9, 0.1}),
			q:    mat(t, []float64{0.25, 0.75}, []float64{0.5, 0.5}),
			red:  ReductionBatchMean, dt: DTypeFloat64,
			want: []want{
				// PyTorch's own float64 sum (oracle case row17_64; docs/kl_div.md §2), 1 ulp above the correctly rounded one.
				{f: FrameworkTorchKLDiv, v: 0.2559526216971938, tol: 3e-16},
				{f: FrameworkScipyRelEntr, v: 0.2559526216971938, tol: 1e-15, note: func(n Note) bool {
					return n.Kind == NoteReduction && n.Same && n.Batched && n.Reduction == ReductionBatchMean
				}},
				{f: FrameworkScipyEntropy, v: 0.2559526216971938, tol: 1e-15, note: func(n Note) bool { return n.Kind == NoteAxis }},
				{f: FrameworkScipyKLDiv, v: 0.2559526216971938, tol: 1e-15},
				{f: FrameworkTorchDistributions, v: 0.2559526216971938, tol: 1e-15},
				{f: FrameworkKeras, v: 0.2559526216971938, tol: 1e-6},
			},
		},
		{
			// §7 row 17 with 'sum': the per-row mean is half of it.
			name: "row 17 sum",
			p:    mat(t, []float64{0.5, 0.5}, []float64{0.9, 0.1}),
			q:    mat(t, []float64{0.25, 0.75}, []float64{0.5, 0.5}),
			red:  ReductionSum, dt: DTypeFloat64,
			want: []want{
				{f: FrameworkTorchKLDiv, v: 0.5119052433943876, tol: 3e-16},
				{f: FrameworkScipyRelEntr, v: 0.2559526216971938, tol: 1e-15, note: func(n Note) bool {
					return n.Kind == NoteReduction && !n.Same && n.Reduction == ReductionSum && n.Divisor == 1
				}},
			},
		},
		{
			// §7 row 17 with 'none': the torch row is the sum of the pointwise tensor.
			name: "row 17 none",
			p:    mat(t, []float64{0.5, 0.5}, []float64{0.9, 0.1}),
			q:    mat(t, []float64{0.25, 0.75}, []float64{0.5, 0.5}),
			red:  ReductionNone, dt: DTypeFloat64,
			want: []want{
				{f: FrameworkTorchKLDiv, v: 0.5119052433943876, tol: 3e-16, note: func(n Note) bool { return n.Kind == NoteTorchReduction && n.Reduction == ReductionNone }},
			},
		},
		{
			// The classic 1-D case (example_test.go): 'batchmean' divides by C = 3,
			// the libraries return the sum 0.0458 (= KL).
			name: "1-D batchmean",
			p:    vec(0.1, 0.4, 0.5), q: vec(0.2, 0.3, 0.5),
			red: ReductionBatchMean, dt: DTypeFloat64,
			want: []want{
				{f: FrameworkTorchKLDiv, v: KL([]float64{0.1, 0.4, 0.5}, []float64{0.2, 0.3, 0.5}) / 3, tol: 1e-15},
				{f: FrameworkScipyRelEntr, v: KL([]float64{0.1, 0.4, 0.5}, []float64{0.2, 0.3, 0.5}), tol: 1e-15, note: func(n Note) bool {
					return n.Kind == NoteReduction && n.Reason == DivisorBatch1D && n.Divisor == 3 && !n.Same
				}},
				{f: FrameworkKeras, v: KL([]float64{0.1, 0.4, 0.5}, []float64{0.2, 0.3, 0.5}), tol: 1e-6, note: func(n Note) bool {
					return n.Kind == NoteReduction && !n.Batched && !n.Same && n.Reason == DivisorBatch1D
				}},
			},
		},
		{
			// Broadcasting: P (3,) against Q (2, 3) gives 2 rows; entropy normalises
			// the broadcast rows, Categorical its own rows (both already sum to 1).
			name: "broadcast",
			p:    vec(0.1, 0.4, 0.5),
			q:    mat(t, []float64{0.2, 0.3, 0.5}, []float64{0.3, 0.3, 0.4}),
			red:  ReductionBatchMean, dt: DTypeFloat64,
			want: []want{
				{f: FrameworkScipyRelEntr, v: (KL([]float64{0.1, 0.4, 0.5}, []float64{0.2, 0.3, 0.5}) + KL([]float64{0.1, 0.4, 0.5}, []float64{0.3, 0.3, 0.4})) / 2, tol: 1e-15,
					rows: []float64{KL([]float64{0.1, 0.4, 0.5}, []float64{0.2, 0.3, 0.5}), KL([]float64{0.1, 0.4, 0.5}, []float64{0.3, 0.3, 0.4})}},
				{f: FrameworkTorchDistributions, v: (KL([]float64{0.1, 0.4, 0.5}, []float64{0.2, 0.3, 0.5}) + KL([]float64{0.1, 0.4, 0.5}, []float64{0.3, 0.3, 0.4})) / 2, tol: 1e-14},
			},
		},
		{
			// A 0-D pair: the libraries see [0.5] and [0.25]; Categorical needs a dimension.
			name: "0-D",
			p:    Scalar(0.5), q: Scalar(0.25),
			red: ReductionBatchMean, dt: DTypeFloat64,
			want: []want{
				{f: FrameworkTorchKLDiv, v: 0.34657359027997264},                    // §7 row 1
				{f: FrameworkScipyRelEntr, v: 0.34657359027997264},                  // §7 row 1
				{f: FrameworkScipyEntropy, v: 0},                                    // [1] against [1]
				{f: FrameworkScipyKLDiv, v: 0.34657359027997264 - 0.25, tol: 1e-15}, // §7 row 1: 0.096573590
				{f: FrameworkTorchDistributions, v: nan, err: "at least one-dimensional"},
			},
		},
	}
	for _, tt := range tests {
		vals := compareProbs(t, tt.p, tt.q, tt.red, tt.dt)
		for _, w := range tt.want {
			got := fwByName(t, vals, w.f)
			ok := alike(got.Value, w.v)
			if w.tol > 0 {
				ok = close(got.Value, w.v, w.tol)
			}
			if !ok {
				t.Errorf("%s: %v = %v, want %v", tt.name, w.f, got.Value, w.v)
			}
			if w.rows != nil {
				if len(got.Rows) != len(w.rows) {
					t.Errorf("%s: %v rows %v, want %v", tt.name, w.f, got.Rows, w.rows)
				} else {
					for i := range w.rows {
						if !close(got.Rows[i], w.rows[i], 1e-6) && !(math.Abs(got.Rows[i]-w.rows[i]) < 1e-9) {
							t.Errorf("%s: %v row %d = %v, want %v", tt.name, w.f, i, got.Rows[i], w.rows[i])
						}
					}
				}
			}
			if (w.err == "") != (got.Err == "") || !strings.Contains(got.Err, w.err) {
				t.Errorf("%s: %v Err = %q, want %q", tt.name, w.f, got.Err, w.err)
			}
			if w.note != nil && !slices.ContainsFunc(got.Notes, w.note) {
				t.Errorf("%s: %v Notes = %+v, want the one described in the table", tt.name, w.f, got.Notes)
			}
		}
	}
}

// For normalised P and Q without zeros every library computes the same KL
// divergence: exactly the same formula up to rounding for SciPy and
// torch.distributions in float64 (whose eps clamp touches nothing here and
// whose normalisation moves values by ~1e-16), and within float32 rounding
// for Keras.
func TestFrameworksAgree(t *testing.T) {
	rng := newRand(11)
	for iter := 0; iter < 500; iter++ {
		n := 1 + rng.IntN(12)
		p, q := randomDist(rng, n, false), randomDist(rng, n, false)
		pt, qt := mat(t, p), mat(t, q) // one-row batch: 'batchmean' is the sum
		vals := compareProbs(t, pt, qt, ReductionBatchMean, DTypeFloat64)
		ref := fwByName(t, vals, FrameworkTorchKLDiv).Value
		var scale float64 // Σ|term|: the size of what cancelled
		for i := range p {
			scale += math.Abs(p[i] * math.Log(p[i]/q[i]))
		}
		for _, v := range vals {
			tol := 1e-12 * math.Max(scale, 1e-3)
			if v.Framework == FrameworkKeras {
				tol = 1e-6 * math.Max(scale, 1)
			}
			if v.Err != "" || math.Abs(v.Value-ref) > tol {
				t.Fatalf("%v = %v (err %q), F.kl_div = %v, |Δ| = %g > %g\np = %v\nq = %v",
					v.Framework, v.Value, v.Err, ref, math.Abs(v.Value-ref), tol, p, q)
			}
			if len(v.Rows) != 0 && (v.Framework == FrameworkTorchKLDiv || len(v.Rows) != 1 || v.Rows[0] != v.Value) {
				t.Fatalf("%v: rows %v with value %v", v.Framework, v.Rows, v.Value)
			}
		}
	}
}

// scipy kl_div's convex form equals rel_entr's sum plus Σq − Σp (docs/libraries.md
// §3.1), also for unnormalised inputs.
func TestFrameworkScipyKLDivConvex(t *testing.T) {
	rng := newRand(12)
	for iter := 0; iter < 200; iter++ {
		n := 1 + rng.IntN(8)
		p, q := randomDist(rng, n, true), randomDist(rng, n, false)
		s := 0.5 + rng.Float64()
		for i := range q {
			q[i] *= s
		}
		vals := compareProbs(t, Vector(p), Vector(q), ReductionSum, DTypeFloat64)
		rel := fwByName(t, vals, FrameworkScipyRelEntr).Value
		kld := fwByName(t, vals, FrameworkScipyKLDiv).Value
		want := rel + Sum(q) - Sum(p)
		if math.Abs(kld-want) > 1e-14 {
			t.Fatalf("kl_div sum %v, rel_entr sum + Σq − Σp = %v (p %v q %v)", kld, want, p, q)
		}
	}
}

func TestCompareFrameworksShapes(t *testing.T) {
	p, q := vec(0.5, 0.5), vec(0.2, 0.3, 0.5)
	r := mustCalc(t, Side{Data: vec(0.5, 0.5)}, Side{Data: vec(0.5, 0.5)}, Options{})
	vals := CompareFrameworks(p, q, r)
	if len(vals) != len(Frameworks()) {
		t.Fatalf("%d values", len(vals))
	}
	for _, v := range vals {
		if !math.IsNaN(v.Value) || v.Err != "" || len(v.Notes) != 1 || v.Notes[0].Kind != NoteShapes {
			t.Errorf("%v: value %v err %q notes %+v, want NaN and NoteShapes", v.Framework, v.Value, v.Err, v.Notes)
		}
	}
	// Without a PyTorch result the other libraries are still computed (in float64).
	vals = CompareFrameworks(vec(0.5, 0.5), vec(0.25, 0.75), nil)
	if v := vals[0]; len(v.Notes) != 1 || v.Notes[0].Kind != NoteNoResult || !math.IsNaN(v.Value) {
		t.Errorf("torch row without r: %+v", v)
	}
	if v := fwByName(t, vals, FrameworkScipyRelEntr); !close(v.Value, KL([]float64{0.5, 0.5}, []float64{0.25, 0.75}), 1e-15) {
		t.Errorf("rel_entr without r = %v", v.Value)
	}
	for _, v := range vals {
		checkNote(t, v)
	}
	// An empty batch: the mean of no rows is NaN; Keras returns its empty per-sample tensor.
	empty := Tensor{Shape: []int{0, 3}, Data: []float64{}}
	for _, v := range compareProbs(t, empty, empty, ReductionSum, DTypeFloat64) {
		want := nan
		if v.Framework == FrameworkTorchKLDiv {
			want = 0 // §7 row 20: sum of an empty tensor is 0
		}
		if !alike(v.Value, want) || v.Err != "" {
			t.Errorf("empty: %v = %v (err %q), want %v", v.Framework, v.Value, v.Err, want)
		}
	}
}

func TestFrameworkString(t *testing.T) {
	want := []string{"torch.nn.functional.kl_div", "scipy.stats.entropy", "scipy.special.rel_entr",
		"scipy.special.kl_div", "keras.losses.KLDivergence", "torch.distributions.kl_divergence"}
	for i, f := range Frameworks() {
		if f.String() != want[i] {
			t.Errorf("%d: %q, want %q", i, f.String(), want[i])
		}
		if f.Call() == "" {
			t.Errorf("%v: empty Call", f)
		}
	}
	if s := Framework(99).String(); s != "Framework(99)" {
		t.Errorf("Framework(99) = %q", s)
	}
}

func TestFrameworkProbabilities(t *testing.T) {
	// Prob form in float64: exactly the typed numbers, in their shapes.
	p, q := vec(0.1, 0.2, 0.7), mat(t, []float64{0.3, 0.3, 0.4}, []float64{0.1, 0.1, 0.8})
	r := mustCalc(t, Side{Data: p}, Side{Data: q}, Options{DType: DTypeFloat64})
	gp, gq := r.Probabilities()
	if !fwSameShape(gp.Shape, p.Shape) || !fwSameShape(gq.Shape, q.Shape) {
		t.Fatalf("shapes %v %v", gp.Shape, gq.Shape)
	}
	for i := range p.Data {
		if gp.Data[i] != p.Data[i] {
			t.Errorf("p[%d] = %v, want %v", i, gp.Data[i], p.Data[i])
		}
	}
	for i := range q.Data {
		if gq.Data[i] != q.Data[i] {
			t.Errorf("q[%d] = %v, want %v", i, gq.Data[i], q.Data[i])
		}
	}
	// Float32: the numbers PyTorch saw, rounded to float32; Side.Probabilities keeps them typed.
	r = mustCalc(t, Side{Data: p}, Side{Data: q}, Options{DType: DTypeFloat32})
	gp, _ = r.Probabilities()
	if gp.Data[0] != float64(float32(0.1)) {
		t.Errorf("float32 p[0] = %v", gp.Data[0])
	}
	if got := (Side{Data: p}).Probabilities(); got.Data[0] != 0.1 {
		t.Errorf("Side.Probabilities p[0] = %v", got.Data[0])
	}
	// Log form: exp of the logs.
	lq := Side{Data: vec(math.Log(0.25), math.Log(0.75)), Form: FormLog}
	r = mustCalc(t, Side{Data: vec(0.5, 0.5)}, lq, Options{DType: DTypeFloat64})
	_, gq = r.Probabilities()
	if !close(gq.Data[0], 0.25, 1e-15) || !close(gq.Data[1], 0.75, 1e-15) {
		t.Errorf("log form q = %v", gq.Data)
	}
	// Logits: softmax.
	if got := (Side{Data: vec(0, 0), Form: FormLogits, Temperature: 1}).Probabilities(); got.Data[0] != 0.5 || got.Data[1] != 0.5 {
		t.Errorf("softmax of [0 0] = %v", got.Data)
	}
}

// Awkward inputs in every shape, form, reduction and dtype: no panic, and
// every note is one sentence.
func TestFrameworkNotesRandom(t *testing.T) {
	rng := newRand(13)
	pick := []float64{0, 0, 0.25, 0.5, 1, 2, -0.5, nan, inf, 1e-300, 1e-9}
	for iter := 0; iter < 2000; iter++ {
		rows, cols := rng.IntN(4), rng.IntN(4)
		shapes := [][]int{{}, {cols}, {rows, cols}, {1, cols}}
		ps, qs := shapes[rng.IntN(4)], shapes[rng.IntN(4)]
		if _, ok := BroadcastShapes(qs, ps); !ok {
			continue
		}
		fill := func(shape []int) Tensor {
			tn := Tensor{Shape: shape}
			tn.Data = make([]float64, tn.Numel())
			for i := range tn.Data {
				if rng.IntN(3) == 0 {
					tn.Data[i] = pick[rng.IntN(len(pick))]
				} else {
					tn.Data[i] = rng.Float64()
				}
			}
			return tn
		}
		p, q := fill(ps), fill(qs)
		form := Forms()[rng.IntN(3)]
		sp := Side{Data: p, Form: form}
		opt := Options{Reduction: Reductions()[rng.IntN(4)], DType: DType(rng.IntN(2))}
		r, err := Calculate(sp, Side{Data: q}, opt)
		if err != nil {
			t.Fatalf("Calculate(%v, %v): %v", p, q, err)
		}
		vals := CompareFrameworks(sp.Probabilities(), q, r)
		if len(vals) != len(Frameworks()) {
			t.Fatalf("%d values", len(vals))
		}
		for _, v := range vals {
			checkNote(t, v)
			if t.Failed() {
				t.Fatalf("p %v (%v) q %v %+v", p, form, q, opt)
			}
		}
	}
}
