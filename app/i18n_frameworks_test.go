package app

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/klcalc/klcalc/compute"
)

func fwValues(t *testing.T, p, q compute.Tensor, red compute.Reduction, dt compute.DType) []compute.FrameworkValue {
	t.Helper()
	r, err := compute.Calculate(compute.Side{Data: p}, compute.Side{Data: q}, compute.Options{Reduction: red, DType: dt})
	if err != nil {
		t.Fatal(err)
	}
	return compute.CompareFrameworks(p, q, r)
}

// fwMatrix is a 2-D tensor of equal-length rows.
func fwMatrix(rows ...[]float64) compute.Tensor {
	t := compute.Tensor{Shape: []int{len(rows), len(rows[0])}}
	for _, r := range rows {
		t.Data = append(t.Data, r...)
	}
	return t
}

// The notes in words, for the cases of compute's TestCompareFrameworksCases
// (which checks their codes and data against docs/kl_div.md §7 and
// docs/libraries.md): the English is the text the page showed before the
// notes became codes; the Korean says the same input-specific fact.
func TestFrameworkNotesText(t *testing.T) {
	vec := compute.Vector
	nan, inf := math.NaN(), math.Inf(1)
	tests := []struct {
		name   string
		p, q   compute.Tensor
		red    compute.Reduction
		dt     compute.DType
		f      compute.Framework
		en, ko string // substrings
	}{
		{"keras row 22", fwMatrix([]float64{0, 1}, []float64{0, 0}), fwMatrix([]float64{0.6, 0.4}, []float64{0.4, 0.6}), compute.ReductionBatchMean, compute.DTypeFloat32,
			compute.FrameworkKeras, "sum_over_batch_size divides the sum of the 2 per-sample losses by 2, as PyTorch's 'batchmean' is.", "샘플별 손실 2개의 합을 2로 나눕니다."},
		{"categorical zero row", fwMatrix([]float64{0, 1}, []float64{0, 0}), fwMatrix([]float64{0.6, 0.4}, []float64{0.4, 0.6}), compute.ReductionBatchMean, compute.DTypeFloat32,
			compute.FrameworkTorchDistributions, "and row 2 of P sums to 0, so probs / probs.sum(-1) is 0/0 = NaN, which fails the Simplex() check", "P의 2행은 합이 0이라"},
		{"entropy zero row", fwMatrix([]float64{0, 1}, []float64{0, 0}), fwMatrix([]float64{0.6, 0.4}, []float64{0.4, 0.6}), compute.ReductionBatchMean, compute.DTypeFloat32,
			compute.FrameworkScipyEntropy, "row 2 of P sums to 0, so normalising it gives 0/0 = NaN", "P의 2행은 합이 0이라 정규화하면 0/0 = NaN이 됩니다."},
		{"keras clip", vec([]float64{1, 0}), vec([]float64{0, 1}), compute.ReductionSum, compute.DTypeFloat32,
			compute.FrameworkKeras, "At (1, 1), clipping to [1e-7, 1] makes the term 1·log(1/1e-07) = 16.12, where F.kl_div's term is +Inf (q = 0 where p > 0)", "(1, 1) 위치에서 [1e-7, 1]로 잘라낸 항이 1·log(1/1e-07) = 16.12인데, F.kl_div의 항은 +Inf입니다 (p > 0인데 q = 0)."},
		{"entropy sum 2", vec([]float64{1, 1}), vec([]float64{9, 1}), compute.ReductionSum, compute.DTypeFloat64,
			compute.FrameworkScipyEntropy, "P sums to 2, and entropy divides P and Q by their sums along the axis first", "P는 합이 2이며, entropy는"},
		{"categorical sum 2", vec([]float64{1, 1}), vec([]float64{9, 1}), compute.ReductionSum, compute.DTypeFloat64,
			compute.FrameworkTorchDistributions, "P sums to 2, and Categorical divides each row by its sum", "Categorical은 각 행을 그 합으로 나눕니다."},
		{"convex gains", vec([]float64{1, 1}), vec([]float64{9, 1}), compute.ReductionSum, compute.DTypeFloat64,
			compute.FrameworkScipyKLDiv, "Its convex form x·log(x/y) − x + y adds q − p to every term, so the sum gains Σq − Σp = 10 − 2 = 8", "합에 Σq − Σp = 10 − 2 = 8이 더해집니다."},
		{"clamp 1 − eps", vec([]float64{1, 0}), vec([]float64{0.5, 0.5}), compute.ReductionSum, compute.DTypeFloat64,
			compute.FrameworkTorchDistributions, "with eps = finfo(float64).eps = 2.22e-16, so p = 1 at (1, 1) uses log(1 − eps) = -2.22e-16 instead of 0", "(1, 1) 위치의 p = 1에는 0 대신 log(1 − eps) = -2.22e-16이 쓰입니다."},
		{"clamp float32", vec([]float64{1, 0}), vec([]float64{0.5, 0.5}), compute.ReductionSum, compute.DTypeFloat32,
			compute.FrameworkTorchDistributions, "eps = finfo(float32).eps = 1.19e-07", "finfo(float32).eps = 1.19e-07"},
		{"entropy 0/0", vec([]float64{0, 0}), vec([]float64{1, 1}), compute.ReductionSum, compute.DTypeFloat64,
			compute.FrameworkScipyEntropy, "P sums to 0, so normalising it gives 0/0 = NaN", "P는 합이 0이라"},
		{"rel_entr of −1", vec([]float64{2, -1}), vec([]float64{0.5, 0.5}), compute.ReductionSum, compute.DTypeFloat64,
			compute.FrameworkScipyEntropy, "rel_entr(-1, 0.5) = +Inf after normalising, where F.kl_div's term is NaN (log of a negative p)", "정규화한 뒤 rel_entr(-1, 0.5) = +Inf인데, F.kl_div의 항은 NaN입니다 (음수 p의 로그)."},
		{"categorical negative", vec([]float64{2, -1}), vec([]float64{0.5, 0.5}), compute.ReductionSum, compute.DTypeFloat64,
			compute.FrameworkTorchDistributions, "P has a negative entry after normalising, which fails the Simplex() check, so kl_divergence is never reached", "P는 정규화한 뒤 음수 항목이 있어 Simplex() 검사에 실패하므로"},
		{"categorical mask", vec([]float64{1, 0}), vec([]float64{1, 0}), compute.ReductionSum, compute.DTypeFloat64,
			compute.FrameworkTorchDistributions, "At (1, 2), t[p == 0] = 0, applied last, makes the term 0, where F.kl_div's term is NaN", "마지막에 적용되는 t[p == 0] = 0 때문에 항이 0인데"},
		{"rel_entr(0, 0)", vec([]float64{1, 0}), vec([]float64{1, 0}), compute.ReductionSum, compute.DTypeFloat64,
			compute.FrameworkScipyRelEntr, "At (1, 2), rel_entr(0, 0) = 0, where F.kl_div's term is NaN (p = 0 and log q = ±∞: 0·∞ is NaN)", "(1, 2) 위치에서 rel_entr(0, 0) = 0인데"},
		{"categorical NaN", vec([]float64{0.5, 0.5}), vec([]float64{nan, 0.5}), compute.ReductionSum, compute.DTypeFloat64,
			compute.FrameworkTorchDistributions, "Categorical(probs=q) validates its argument by default (validate_args), and Q contains NaN", "Q는 NaN을 포함하여"},
		{"row 17 batchmean", fwMatrix([]float64{0.5, 0.5}, []float64{0.9, 0.1}), fwMatrix([]float64{0.25, 0.75}, []float64{0.5, 0.5}), compute.ReductionBatchMean, compute.DTypeFloat64,
			compute.FrameworkScipyRelEntr, "the value shown is the mean of the 2 per-row values, as PyTorch's 'batchmean' is.", "보이는 값은 행별 값 2개의 평균입니다. PyTorch의 'batchmean'은 같은 수로 나눕니다."},
		{"row 17 axis", fwMatrix([]float64{0.5, 0.5}, []float64{0.9, 0.1}), fwMatrix([]float64{0.25, 0.75}, []float64{0.5, 0.5}), compute.ReductionBatchMean, compute.DTypeFloat64,
			compute.FrameworkScipyEntropy, "SciPy's default axis=0 would normalise the columns, so this uses axis=-1", "axis=-1로 계산합니다"},
		{"row 17 sum", fwMatrix([]float64{0.5, 0.5}, []float64{0.9, 0.1}), fwMatrix([]float64{0.25, 0.75}, []float64{0.5, 0.5}), compute.ReductionSum, compute.DTypeFloat64,
			compute.FrameworkScipyRelEntr, "whereas PyTorch's 'sum' adds the rows", "반면 PyTorch의 'sum'은 행을 모두 더합니다."},
		{"row 17 none", fwMatrix([]float64{0.5, 0.5}, []float64{0.9, 0.1}), fwMatrix([]float64{0.25, 0.75}, []float64{0.5, 0.5}), compute.ReductionNone, compute.DTypeFloat64,
			compute.FrameworkTorchKLDiv, "The reference, computed in float64 from the terms xlogy(p, p) − p·log q; reduction='none' returns the pointwise tensor, and the value shown is its sum.", "reduction='none'은 항별 텐서를 돌려주며"},
		{"1-D batchmean", vec([]float64{0.1, 0.4, 0.5}), vec([]float64{0.2, 0.3, 0.5}), compute.ReductionBatchMean, compute.DTypeFloat64,
			compute.FrameworkScipyRelEntr, "the value is the sum over the classes, whereas PyTorch's 'batchmean' divides by size(0) = 3, the number of classes of a 1-D input", "반면 PyTorch의 'batchmean'은 1차원 입력의 클래스 수인 size(0) = 3으로 나눕니다."},
		{"keras 1-D", vec([]float64{0.1, 0.4, 0.5}), vec([]float64{0.2, 0.3, 0.5}), compute.ReductionBatchMean, compute.DTypeFloat64,
			compute.FrameworkKeras, "No value is clipped to [1e-7, 1] here, but Keras computes in float32 (its floatx) where F.kl_div used float64; the per-sample loss of a 1-D input is returned undivided", "1차원 입력의 샘플별 손실은 나누지 않고 그대로 돌려줍니다."},
		{"0-D", compute.Scalar(0.5), compute.Scalar(0.25), compute.ReductionBatchMean, compute.DTypeFloat64,
			compute.FrameworkTorchDistributions, "Categorical(probs=p) needs at least one dimension, and P is 0-D.", "Categorical(probs=p)에는 차원이 하나 이상 필요한데 P는 0차원입니다."},
		{"+Inf term", vec([]float64{0.5, 0.5}), vec([]float64{1, 0}), compute.ReductionSum, compute.DTypeFloat64,
			compute.FrameworkTorchKLDiv, "its term at (1, 2) is +Inf (q = 0 where p > 0)", "(1, 2) 위치의 항은 +Inf입니다 (p > 0인데 q = 0)."},
		{"inf", vec([]float64{inf, 0.5}), vec([]float64{0.5, 0.5}), compute.ReductionSum, compute.DTypeFloat64,
			compute.FrameworkTorchDistributions, "has an infinite sum, so normalising gives NaN", "합이 무한대라"},
	}
	for _, tt := range tests {
		var fv *compute.FrameworkValue
		vals := fwValues(t, tt.p, tt.q, tt.red, tt.dt)
		for i := range vals {
			if vals[i].Framework == tt.f {
				fv = &vals[i]
			}
		}
		if en := frameworkNote(langEN, *fv); !strings.Contains(en, tt.en) {
			t.Errorf("%s: %v English\n%q\nwant it to contain\n%q", tt.name, tt.f, en, tt.en)
		}
		if ko := frameworkNote(langKO, *fv); !strings.Contains(ko, tt.ko) {
			t.Errorf("%s: %v Korean\n%q\nwant it to contain\n%q", tt.name, tt.f, ko, tt.ko)
		}
	}
}

// checkNoteText: the English is one sentence; the Korean is Korean
// sentences; neither has a formatting error or an unknown kind's gap.
func checkNoteText(t *testing.T, fv compute.FrameworkValue) {
	t.Helper()
	en, ko := frameworkNote(langEN, fv), frameworkNote(langKO, fv)
	r, _ := utf8.DecodeRuneInString(en)
	if !unicode.IsUpper(r) || !strings.HasSuffix(en, ".") || strings.Contains(strings.TrimSuffix(en, "."), ". ") || strings.Contains(en, "; ;") {
		t.Errorf("%v %+v: English is not one sentence: %q", fv.Framework, fv.Notes, en)
	}
	if !hasHangul(ko) || !strings.HasSuffix(ko, ".") || strings.Contains(ko, "..") {
		t.Errorf("%v %+v: Korean %q", fv.Framework, fv.Notes, ko)
	}
	for _, s := range []string{en, ko} {
		if strings.Contains(s, "%!") || strings.Contains(s, "  ") {
			t.Errorf("%v: %q", fv.Framework, s)
		}
	}
	for _, n := range fv.Notes {
		if noteEN(fv.Framework, n) == "" || noteKO(fv.Framework, n) == "" {
			t.Errorf("%v: note %+v has no words in one language", fv.Framework, n)
		}
	}
}

// Awkward inputs in every shape, form, reduction and dtype: every note has
// words in both languages, and between them the inputs reach every kind.
func TestFrameworkNotesBothLanguages(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	pick := []float64{0, 0, 0.25, 0.5, 1, 2, -0.5, math.NaN(), math.Inf(1), 1e-300, 1e-9}
	seen := map[compute.NoteKind]bool{}
	check := func(vals []compute.FrameworkValue) {
		for _, v := range vals {
			checkNoteText(t, v)
			for _, n := range v.Notes {
				seen[n.Kind] = true
			}
		}
	}
	for iter := 0; iter < 3000 && !t.Failed(); iter++ {
		rows, cols := rng.IntN(4), rng.IntN(4)
		shapes := [][]int{{}, {cols}, {rows, cols}, {1, cols}}
		ps, qs := shapes[rng.IntN(4)], shapes[rng.IntN(4)]
		if _, ok := compute.BroadcastShapes(qs, ps); !ok {
			continue
		}
		fill := func(shape []int) compute.Tensor {
			tn := compute.Tensor{Shape: shape}
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
		sp := compute.Side{Data: p, Form: compute.Forms()[rng.IntN(3)]}
		opt := compute.Options{Reduction: compute.Reductions()[rng.IntN(4)], DType: compute.DType(rng.IntN(2))}
		r, err := compute.Calculate(sp, compute.Side{Data: q}, opt)
		if err != nil {
			t.Fatalf("Calculate(%v, %v): %v", p, q, err)
		}
		check(compute.CompareFrameworks(sp.Probabilities(), q, r))
	}
	// The kinds random inputs rarely reach: shapes that do not broadcast,
	// no result, and a broadcast batch.
	check(compute.CompareFrameworks(compute.Vector([]float64{0.5, 0.5}), compute.Vector([]float64{0.2, 0.3, 0.5}), nil))
	check(compute.CompareFrameworks(compute.Vector([]float64{0.5, 0.5}), compute.Vector([]float64{0.25, 0.75}), nil))
	check(fwValues(t, fwMatrix([]float64{0.5, 0.5}, []float64{0.9, 0.1}), fwMatrix([]float64{0.25, 0.75}), compute.ReductionBatchMean, compute.DTypeFloat64))
	check(fwValues(t, compute.Scalar(0.5), compute.Vector([]float64{0.25, 0.75}), compute.ReductionBatchMean, compute.DTypeFloat32))
	for k := compute.NoteShapes; k <= compute.NoteReduction; k++ {
		if !seen[k] {
			t.Errorf("no input reached note kind %d", k)
		}
	}
}
