package distill

import (
	"errors"
	"fmt"
	"math"

	"github.com/klcalc/klcalc/compute"
)

// Input is one distillation batch: the teacher's and the student's logits
// for the same tokens.
type Input struct {
	// Teacher and Student are logits of equal shape: [N, V] (N tokens of V
	// classes) or [V] (one token).
	Teacher, Student compute.Tensor
	// Mask has one entry per row (N, or 1 for a [V] row); true means the
	// row is counted. It is labels != -100. A nil Mask counts every row.
	Mask []bool
	// Beta is GKD's mixture weight, in [0, 1]; TRL's default is 0.5. Only
	// GKD uses it.
	Beta float64
	// T is the temperature: every flavour divides the logits by T first
	// (T = 1 leaves them as they are). T ≤ 0 is not an error; see Compute.
	T float64
}

// Value is one flavour's loss on an Input.
type Value struct {
	Flavor  Flavor
	Value   float64 // the loss, in nats
	Tokens  int     // the rows counted: Σ mask, or every row for KLDiv and Hinton
	Divisor float64 // what the sum was divided by; 0 when it was not divided
	Note    Note    // the special cases that apply
	// Entropy is, for TorchtuneFKL, the teacher entropy H(p_t) per counted
	// token that its cross-entropy includes and a KL divergence would not:
	// Value − Entropy is the forward KL. It is 0 for the other flavours.
	Entropy float64
}

// ErrBeta is wrapped by the error Compute returns for β outside [0, 1].
var ErrBeta = errors.New("beta out of range")

// Compute returns every flavour's loss on in, in the order of Flavors.
// Everything is computed in float64: the log-softmax is
// compute.LogSoftmax (PyTorch's float64 bits) and sums are compensated.
//
// It returns an error, wrapping compute.ErrShape, if the shapes differ,
// are not [N, V] or [V], do not match their data, or the mask's length is
// not the number of rows; and one wrapping ErrBeta if β is outside [0, 1]
// or NaN.
//
// The temperature is used as given, as PyTorch does: T < 0 reverses the
// ranking of the classes, T = 0 or NaN makes every row NaN, T = ±Inf makes
// every row uniform (see compute.LogSoftmax); each sets NoteTemperature.
//
// Special cases common to the flavours are:
//
//	N = 0:              KLDiv and Hinton NaN (0/0); TorchtuneFKL, TorchtuneRKL and GKD 0;
//	                    MaskedFKL and MaskedRKL NaN (NoteNoRows)
//	nothing counted:    as N = 0, except that KLDiv and Hinton count every row (NoteAllMasked)
//	V = 0:              every row's sum is 0
//
// Each flavour's own special cases are in its doc comment.
func Compute(in Input) ([]Value, error) {
	b, err := prepare(in)
	if err != nil {
		return nil, err
	}
	out := make([]Value, 0, numFlavors)
	for _, f := range Flavors() {
		v := b.value(f)
		v.Flavor = f
		if b.badT {
			v.Note |= NoteTemperature
		}
		out = append(out, v)
	}
	return out, nil
}

// batch is an Input checked and turned into log-probabilities.
type batch struct {
	in         Input
	rows, cols int
	size0      int         // PyTorch's input.size(0)
	counted    []bool      // the mask, with nil made explicit
	tokens     int         // Σ counted
	s, t       [][]float64 // log_softmax(student / T), log_softmax(teacher / T)
	zs, zt     [][]float64 // student / T, teacher / T: what torchtune's isinf sees
	maskIgnore bool        // some row is not counted
	badT       bool
}

func prepare(in Input) (*batch, error) {
	ts, ss := in.Teacher.Shape, in.Student.Shape
	if err := checkShape("teacher", in.Teacher); err != nil {
		return nil, err
	}
	if err := checkShape("student", in.Student); err != nil {
		return nil, err
	}
	if !equalShapes(ts, ss) {
		return nil, fmt.Errorf("distill: teacher of shape %s and student of shape %s differ: %w",
			compute.ShapeString(ts), compute.ShapeString(ss), compute.ErrShape)
	}
	if !(in.Beta >= 0 && in.Beta <= 1) {
		return nil, fmt.Errorf("distill: beta = %v is not in [0, 1]: %w", in.Beta, ErrBeta)
	}
	b := &batch{in: in, size0: ts[0]}
	if len(ts) == 1 {
		b.rows, b.cols = 1, ts[0]
	} else {
		b.rows, b.cols = ts[0], ts[1]
	}
	switch {
	case in.Mask == nil:
		b.counted = make([]bool, b.rows)
		for i := range b.counted {
			b.counted[i] = true
		}
	case len(in.Mask) != b.rows:
		return nil, fmt.Errorf("distill: mask has %d entries for %d rows: %w", len(in.Mask), b.rows, compute.ErrShape)
	default:
		b.counted = in.Mask
	}
	for _, c := range b.counted {
		if c {
			b.tokens++
		} else {
			b.maskIgnore = true
		}
	}
	b.badT = !(in.T > 0) || math.IsInf(in.T, 1)
	b.s, b.zs = logProbs(in.Student.Data, b.rows, b.cols, in.T)
	b.t, b.zt = logProbs(in.Teacher.Data, b.rows, b.cols, in.T)
	return b, nil
}

func checkShape(name string, x compute.Tensor) error {
	if n := len(x.Shape); n != 1 && n != 2 {
		return fmt.Errorf("distill: %s has shape %s: want [N, V] or [V]: %w", name, compute.ShapeString(x.Shape), compute.ErrShape)
	}
	for _, d := range x.Shape {
		if d < 0 {
			return fmt.Errorf("distill: %s has shape %s: %w", name, compute.ShapeString(x.Shape), compute.ErrShape)
		}
	}
	if x.Numel() != len(x.Data) {
		return fmt.Errorf("distill: %s has shape %s but %d values: %w", name, compute.ShapeString(x.Shape), len(x.Data), compute.ErrShape)
	}
	return nil
}

func equalShapes(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// logProbs returns log_softmax(x / T) and x / T of each row.
func logProbs(data []float64, rows, cols int, T float64) (ls, z [][]float64) {
	ls = make([][]float64, rows)
	z = make([][]float64, rows)
	for r := range rows {
		row := data[r*cols : (r+1)*cols]
		ls[r] = compute.LogSoftmax(row, T)
		zr := make([]float64, cols)
		for i, v := range row {
			if T != 1 { // as compute.LogSoftmax: T = 1 does not divide
				v /= T
			}
			zr[i] = v
		}
		z[r] = zr
	}
	return ls, z
}

func (b *batch) value(f Flavor) Value {
	switch f {
	case KLDiv:
		return b.klDiv()
	case Hinton:
		v := b.klDiv()
		v.Value *= b.in.T * b.in.T
		return v
	case TorchtuneFKL:
		return b.torchtune(false)
	case TorchtuneRKL:
		return b.torchtune(true)
	case GKD:
		return b.gkd()
	case MaskedFKL:
		return b.masked(false)
	case MaskedRKL:
		return b.masked(true)
	}
	panic("distill: unknown flavor " + f.String())
}

// emptyNote is NoteNoRows or NoteAllMasked when no row is counted.
func (b *batch) emptyNote() Note {
	switch {
	case b.rows == 0:
		return NoteNoRows
	case b.tokens == 0:
		return NoteAllMasked
	}
	return 0
}

// klDiv is F.kl_div(s, t, reduction='batchmean', log_target=True) over
// every row, whatever the mask.
func (b *batch) klDiv() Value {
	terms := make([]float64, 0, b.rows*b.cols)
	for r := range b.rows {
		for i, t := range b.t[r] {
			terms = append(terms, compute.PointwiseLogTarget(t, b.s[r][i]))
		}
	}
	v := Value{Tokens: b.rows, Divisor: float64(b.size0)}
	v.Value = compute.Sum(terms) / v.Divisor // 'batchmean': sum / input.size(0)
	if b.rows == 0 {
		v.Note |= NoteNoRows
	}
	if b.maskIgnore {
		v.Note |= NoteMaskIgnored
	}
	if len(b.in.Teacher.Shape) == 1 {
		v.Note |= NoteDividesByClasses
	}
	return v
}

// masked is Σ_{counted r} Σ_i kl_div(…, reduction='none') / Σ mask, the
// forward KL(p_t ‖ q_s) or, reverse, KL(q_s ‖ p_t).
func (b *batch) masked(reverse bool) Value {
	var terms []float64
	for r := range b.rows {
		if !b.counted[r] {
			continue // kl[mask]: the row is dropped, NaN and all
		}
		for i := range b.t[r] {
			if reverse {
				terms = append(terms, compute.PointwiseLogTarget(b.s[r][i], b.t[r][i]))
			} else {
				terms = append(terms, compute.PointwiseLogTarget(b.t[r][i], b.s[r][i]))
			}
		}
	}
	v := Value{Tokens: b.tokens, Divisor: float64(b.tokens), Note: b.emptyNote()}
	v.Value = compute.Sum(terms) / v.Divisor // 0/0 = NaN when nothing is counted
	return v
}

// torchtune is ForwardKLLoss (the cross-entropy) or, reverse,
// ReverseKLLoss.
func (b *batch) torchtune(reverse bool) Value {
	v := Value{Tokens: b.tokens, Note: b.emptyNote()}
	if !reverse {
		v.Note |= NoteOmitsEntropy
	}
	xs := make([]float64, b.rows) // x_r·mask_r
	var entropy []float64         // p·log p of the counted rows
	row := make([]float64, b.cols)
	for r := range b.rows {
		s, t := b.s[r], b.t[r]
		for i := range row {
			inf := math.IsInf(b.zs[r][i], 0)
			if reverse {
				inf = inf || math.IsInf(b.zt[r][i], 0)
			}
			if inf && b.counted[r] {
				v.Note |= NoteInfMasked
			}
			var prod float64
			if reverse {
				q := math.Exp(s[i]) // softmax(student)
				var a, c float64
				if !inf { // masked_fill(q·t, inf, 0) − masked_fill(q·s, inf, 0)
					a, c = q*t[i], q*s[i]
				}
				prod = a - c
			} else if !inf { // masked_fill(p·s, inf, 0)
				prod = math.Exp(t[i]) * s[i] // softmax(teacher)·log_softmax(student)
			}
			row[i] = prod
		}
		m := 0.0
		if b.counted[r] {
			m = 1
		}
		xs[r] = compute.Sum(row) * m // x·mask multiplies: a NaN row stays NaN when masked
		if !reverse && b.counted[r] {
			for _, t := range t {
				if p := math.Exp(t); p != 0 { // 0·log 0 = 0; a NaN p stays
					entropy = append(entropy, p*t)
				}
			}
		}
	}
	if b.tokens == 0 {
		return v // "if sum_masks == 0: return torch.tensor(0.0)", before any division
	}
	v.Divisor = float64(b.tokens)
	v.Value = -compute.Sum(xs) / v.Divisor
	if !reverse {
		v.Entropy = -compute.Sum(entropy) / v.Divisor
	}
	return v
}

// gkd is TRL's generalized_jsd_loss with reduction='batchmean'.
func (b *batch) gkd() Value {
	beta := b.in.Beta
	v := Value{Tokens: b.tokens, Divisor: math.Max(float64(b.tokens), 1), Note: b.emptyNote()}
	if beta == 0 || beta == 1 {
		v.Note |= NoteBetaEndpoint
	}
	logStudent, logTeacher := math.Log1p(-beta), math.Log(beta)
	var terms []float64
	for r := range b.rows {
		if !b.counted[r] {
			continue // jsd[mask]
		}
		for i := range b.t[r] {
			s, t := b.s[r][i], b.t[r][i]
			var j float64
			switch beta {
			case 0:
				j = compute.PointwiseLogTarget(t, s)
			case 1:
				j = compute.PointwiseLogTarget(s, t)
			default:
				m := logAddExp(s+logStudent, t+logTeacher)
				j = beta*compute.PointwiseLogTarget(t, m) + (1-beta)*compute.PointwiseLogTarget(s, m)
			}
			terms = append(terms, j)
		}
	}
	v.Value = compute.Sum(terms) / v.Divisor // mask.sum().clamp_min(1)
	return v
}

// logAddExp is log(exp(a) + exp(b)) with torch.logsumexp's rules: NaN if
// either is NaN, −Inf if both are −Inf, +Inf if either is +Inf.
func logAddExp(a, b float64) float64 {
	switch {
	case math.IsNaN(a) || math.IsNaN(b):
		return math.NaN()
	case math.IsInf(a, 1) || math.IsInf(b, 1):
		return math.Inf(1)
	case math.IsInf(a, -1):
		return b
	case math.IsInf(b, -1):
		return a
	}
	if a < b {
		a, b = b, a
	}
	return a + math.Log1p(math.Exp(b-a))
}
