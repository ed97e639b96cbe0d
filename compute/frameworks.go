package compute

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/klcalc/klcalc/compute/internal/torchcpu"
)

// Framework identifies a library's KL computation, as a snippet calling
// that library on the same P and Q would evaluate it.
type Framework int

const (
	// FrameworkTorchKLDiv is torch.nn.functional.kl_div with the chosen
	// reduction and dtype: Result.Value (the sum of the terms for
	// reduction='none').
	FrameworkTorchKLDiv Framework = iota
	// FrameworkScipyEntropy is scipy.stats.entropy(p, q, axis=-1) (SciPy
	// 1.10.1): both rows are divided by their sums, then the rel_entr terms
	// are summed.
	FrameworkScipyEntropy
	// FrameworkScipyRelEntr is scipy.special.rel_entr(p, q).sum(axis=-1)
	// (SciPy 1.10.1).
	FrameworkScipyRelEntr
	// FrameworkScipyKLDiv is scipy.special.kl_div(p, q).sum(axis=-1)
	// (SciPy 1.10.1), the convex form x·log(x/y) − x + y.
	FrameworkScipyKLDiv
	// FrameworkKeras is keras.losses.KLDivergence()(p, q): both sides
	// clipped to [1e-7, 1], float32, Σ over the last axis, then the mean
	// over the batch ("sum_over_batch_size"); a 1-D input's per-sample loss
	// is returned as is.
	FrameworkKeras
	// FrameworkTorchDistributions is
	// torch.distributions.kl_divergence(Categorical(probs=p), Categorical(probs=q))
	// (PyTorch 1.13) in the dtype of the PyTorch result: rows normalised,
	// log of the probabilities clamped to [eps, 1 − eps], t[q == 0] = inf,
	// then t[p == 0] = 0, summed over the last dimension.
	FrameworkTorchDistributions
)

var frameworkNames = [...]string{
	FrameworkTorchKLDiv:         "torch.nn.functional.kl_div",
	FrameworkScipyEntropy:       "scipy.stats.entropy",
	FrameworkScipyRelEntr:       "scipy.special.rel_entr",
	FrameworkScipyKLDiv:         "scipy.special.kl_div",
	FrameworkKeras:              "keras.losses.KLDivergence",
	FrameworkTorchDistributions: "torch.distributions.kl_divergence",
}

var frameworkCalls = [...]string{
	FrameworkTorchKLDiv:         "F.kl_div(input, target, reduction=…, log_target=…)",
	FrameworkScipyEntropy:       "scipy.stats.entropy(p, q, axis=-1)",
	FrameworkScipyRelEntr:       "scipy.special.rel_entr(p, q).sum(axis=-1)",
	FrameworkScipyKLDiv:         "scipy.special.kl_div(p, q).sum(axis=-1)",
	FrameworkKeras:              "keras.losses.KLDivergence()(p, q)",
	FrameworkTorchDistributions: "kl_divergence(Categorical(probs=p), Categorical(probs=q))",
}

// Frameworks lists every framework, in the order CompareFrameworks
// returns them.
func Frameworks() []Framework {
	return []Framework{FrameworkTorchKLDiv, FrameworkScipyEntropy, FrameworkScipyRelEntr,
		FrameworkScipyKLDiv, FrameworkKeras, FrameworkTorchDistributions}
}

// String returns the library's name of the function, e.g.
// "torch.nn.functional.kl_div" or "scipy.stats.entropy".
func (f Framework) String() string {
	if f >= 0 && int(f) < len(frameworkNames) {
		return frameworkNames[f]
	}
	return fmt.Sprintf("Framework(%d)", int(f))
}

// Call returns the expression whose value CompareFrameworks reports, e.g.
// "scipy.special.rel_entr(p, q).sum(axis=-1)".
func (f Framework) Call() string {
	if f >= 0 && int(f) < len(frameworkCalls) {
		return frameworkCalls[f]
	}
	return f.String()
}

// FrameworkValue is what one library returns for P and Q.
type FrameworkValue struct {
	Framework Framework
	// Rows holds one value per row of a 2-D pair, where the library
	// computes one per row: the per-row results of SciPy and
	// torch.distributions, and Keras's per-sample losses before its batch
	// mean. It is nil for a 0-D or 1-D pair and for kl_div.
	Rows []float64
	// Value is the scalar to compare: the library's own reduction
	// (kl_div, Keras, and every library on a 1-D pair), or the mean of
	// Rows for the per-row libraries on a 2-D pair, as the library's
	// rows.mean() gives it (NumPy's for SciPy, torch's for
	// torch.distributions). Notes say which.
	Value float64
	// Notes explain, clause by clause, why the value differs from kl_div's
	// for this input, or why it does not. The app writes them as one
	// sentence.
	Notes []Note
	// Err is the exception the library raises instead of returning a
	// value, as Python prints it (Value is then NaN), or "".
	Err string
}

// CompareFrameworks computes what each library returns for the
// probabilities p and q: P is the target, the data distribution, and Q the
// model. p and q are float64 probabilities (convert log-probabilities and
// logits first, e.g. with Side.Probabilities); they broadcast as in
// Calculate. r is PyTorch's result for the same P and Q: it gives the
// kl_div row, the dtype of torch.distributions and of the SciPy arrays,
// and the terms the notes compare with.
//
// Each library is reproduced from its source, for the versions Debian 12
// ships (SciPy 1.10.1, NumPy 1.24.2, PyTorch 1.13.1) on x86-64 with AVX2
// and FMA, in the library's own order of operations, so that the values
// are the library's bits (TestFrameworksOracle compares them with the real
// libraries; Keras, not installed there, is reproduced from its source
// only):
//
//	scipy rel_entr(x, y):  NaN if x or y is NaN; x·log(x/y) if x, y > 0;
//	                       0 if x = 0 and y ≥ 0; +Inf otherwise (so
//	                       −Inf where x/y underflows to 0, +Inf where it
//	                       overflows)
//	scipy kl_div(x, y):    NaN if x or y is NaN; x·log(x/y) − x + y if
//	                       x, y > 0; y if x = 0 and y ≥ 0; +Inf otherwise
//	scipy entropy:         p/Σp on P's own rows, then P and Q broadcast,
//	                       then q/Σq along the broadcast rows (a Q whose
//	                       class dimension is 1 is repeated first), then
//	                       Σ rel_entr per row
//	Keras:                 float32; p, q clipped to [1e-7, 1] (NaN stays
//	                       NaN, as np.clip gives); Σ p·log(p/q) per row;
//	                       the mean over the rows of a 2-D pair, the row
//	                       itself for a 1-D pair; sums are compensated
//	                       and rounded to float32 once, not in Keras's
//	                       order
//	Categorical:           p/Σp, q/Σq on each side's own rows, in the
//	                       dtype of r; Σ p·(log clamp(p) − log clamp(q)),
//	                       clamp to [eps, 1 − eps], eps = finfo(dtype).eps;
//	                       +Inf where q = 0, then 0 where p = 0;
//	                       validate_args rejects a side whose normalised
//	                       rows have a negative or NaN entry or whose sum
//	                       (torch.sum) is not within 1e-6 of 1 (a zero or
//	                       infinite sum gives NaN); P is built, and
//	                       checked, before Q
//
// SciPy 1.10's rel_entr is the plain x·log(x/y): SciPy 1.15.0 added the
// branches x·log1p((x−y)/y) for 0.5 < x/y < 2 and x·(log x − log y) where
// x/y underflows or overflows (scipy/scipy#20816, for #20710), which give
// other values near x = y and a finite value where 1.10 gives ±Inf. The
// arithmetic is:
//
//	SciPy:  arrays of the dtype of r, as the calculator's SciPy snippet
//	        writes them; each term in float64 with glibc 2.36's log (the
//	        float32 loops of rel_entr and kl_div widen to float64 and
//	        round the result to float32); p/Σp in the dtype; NumPy 1.24's
//	        pairwise np.sum in the dtype (see npSum); the mean of the rows
//	        is np.mean
//	torch:  torch.sum's cascade order, torch.log by SLEEF, every operation
//	        rounded to the dtype (package torchcpu); the mean of the rows
//	        is torch.mean, the sum divided by the count
//
// Special cases are:
//
//	a 0-D pair is evaluated as the one-element rows [p] and [q], as NumPy
//	    reduces a 0-D array over axis −1; torch.distributions reports its
//	    "at least one-dimensional" ValueError
//	an empty 2-D pair gives Value NaN (the mean of no rows)
//	shapes that do not broadcast give every value NaN and the note NoteShapes
func CompareFrameworks(p, q Tensor, r *Result) []FrameworkValue {
	pr, err := newFwPair(p, q, r)
	if err != nil {
		var out []FrameworkValue
		for _, f := range Frameworks() {
			out = append(out, FrameworkValue{Framework: f, Value: math.NaN(), Notes: []Note{{Kind: NoteShapes}}})
		}
		return out
	}
	return []FrameworkValue{
		pr.torchValue(),
		pr.entropyValue(),
		pr.relEntrValue(),
		pr.scipyKLDivValue(),
		pr.kerasValue(),
		pr.categoricalValue(),
	}
}

// Probabilities returns P and Q as probabilities, in float64: the numbers
// typed for the prob form, exp of the log-probabilities for the log form,
// softmax(x / T) for logits, and each row divided by its sum for counts.
func (s Side) Probabilities() Tensor {
	p, _ := probsAndLogs(s, nil)
	return p
}

// Probabilities returns the probabilities P and Q that PyTorch saw, in the
// shapes of the target and the input, taken from the worked breakdown. In
// float64 they are exactly the numbers typed for the prob form (the
// normalised counts for counts, exp of the logs otherwise); in float32 they
// are those numbers computed in float32.
// Side.Probabilities gives the typed numbers whatever the dtype.
func (r *Result) Probabilities() (p, q Tensor) {
	p = Tensor{Shape: r.TargetShape, Data: make([]float64, Tensor{Shape: r.TargetShape}.Numel())}
	q = Tensor{Shape: r.InputShape, Data: make([]float64, Tensor{Shape: r.InputShape}.Numel())}
	pi, qi := indexer(p, r.Shape), indexer(q, r.Shape)
	for _, t := range r.Terms.All() {
		p.Data[pi.at(t.Row, t.Col)] = t.P
		q.Data[qi.at(t.Row, t.Col)] = t.Q
	}
	return p, q
}

// fwPair is P and Q broadcast to their common shape, viewed as rows.
type fwPair struct {
	p, q       Tensor // as given
	r          *Result
	dt         DType // of r (float64 without r)
	rows, cols int
	twoD       bool
	pb, qb     []float64 // broadcast, row-major
	torch      Terms     // r.Terms when they are at the same positions (hasTorch)
	hasTorch   bool
	logs       []float64 // scipyLogs, once computed
}

func newFwPair(p, q Tensor, r *Result) (*fwPair, error) {
	if err := p.validate("P"); err != nil {
		return nil, err
	}
	if err := q.validate("Q"); err != nil {
		return nil, err
	}
	shape, ok := BroadcastShapes(q.Shape, p.Shape)
	if !ok {
		return nil, &BroadcastError{Input: q.Shape, Target: p.Shape}
	}
	pr := &fwPair{p: p, q: q, r: r, dt: DTypeFloat64, twoD: len(shape) >= 2}
	pr.rows, pr.cols = Tensor{Shape: shape}.rowsCols()
	if r != nil {
		pr.dt = r.Options.DType
		if fwSameShape(r.Shape, shape) && r.Terms.Len() == pr.rows*pr.cols {
			pr.torch, pr.hasTorch = r.Terms, true
		}
	}
	pi, qi := indexer(p, shape), indexer(q, shape)
	n := pr.rows * pr.cols
	pr.pb, pr.qb = make([]float64, n), make([]float64, n)
	for i := 0; i < pr.rows; i++ {
		for j := 0; j < pr.cols; j++ {
			pr.pb[i*pr.cols+j] = p.Data[pi.at(i, j)]
			pr.qb[i*pr.cols+j] = q.Data[qi.at(i, j)]
		}
	}
	return pr, nil
}

func fwSameShape(a, b []int) bool {
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

func (pr *fwPair) row(v []float64, i int) []float64 { return v[i*pr.cols : (i+1)*pr.cols] }

// finish sets Rows and Value from the per-row values; mean is the
// library's mean of them.
func (pr *fwPair) finish(fv *FrameworkValue, rowVals []float64, mean func([]float64) float64) {
	if !pr.twoD {
		fv.Value = rowVals[0]
		return
	}
	fv.Rows = rowVals
	fv.Value = mean(rowVals)
}

// fwSum is Keras's sum: compensated, rounded once to the dtype.
func fwSum(v []float64, dt DType) float64 {
	s := Sum(v)
	if dt == DTypeFloat32 {
		s = r32(s)
	}
	return s
}

// ---- the libraries' elementwise functions ----

// relEntr is scipy.special.rel_entr in SciPy 1.10.1
// (scipy/special/_convex_analysis.pxd), in float64 with glibc's log:
//
//	NaN if x or y is NaN; x·log(x/y) if x > 0 and y > 0;
//	0 if x = 0 and y ≥ 0; +Inf otherwise
//
// SciPy 1.15.0 added log1p and log-difference branches; 1.10 has none.
func relEntr(x, y float64) float64 { return relEntrLog(x, y, scipyLog(x, y)) }

// scipyLog is log(x/y) as rel_entr and kl_div compute it for x, y > 0, with
// glibc 2.36's log (the __log_fma of x86-64 CPUs with FMA); it is NaN, and
// unused, otherwise.
func scipyLog(x, y float64) float64 {
	if x > 0 && y > 0 {
		return torchcpu.LibmLog(x / y)
	}
	return math.NaN()
}

// relEntrLog is relEntr with l = scipyLog(x, y) given.
func relEntrLog(x, y, l float64) float64 {
	switch {
	case math.IsNaN(x) || math.IsNaN(y):
		return math.NaN()
	case x > 0 && y > 0:
		return float64(x * l)
	case x == 0 && y >= 0:
		return 0
	}
	return math.Inf(1)
}

// scipyKLDiv is scipy.special.kl_div in SciPy 1.10.1, in float64 with
// glibc's log: x·log(x/y) − x + y for x, y > 0, y for x = 0 and y ≥ 0,
// NaN for a NaN argument, +Inf otherwise.
func scipyKLDiv(x, y float64) float64 { return klDivLog(x, y, scipyLog(x, y)) }

// klDivLog is scipyKLDiv with l = scipyLog(x, y) given.
func klDivLog(x, y, l float64) float64 {
	switch {
	case math.IsNaN(x) || math.IsNaN(y):
		return math.NaN()
	case x > 0 && y > 0:
		return float64(x*l) - x + y // the conversion prevents a fused multiply-add
	case x == 0 && y >= 0:
		return y
	}
	return math.Inf(1)
}

// scipyTerm applies a SciPy ufunc to arrays of the dtype: the float32 loop
// ("ff->f") widens both arguments to float64, calls the float64 function
// and rounds its result to float32.
func scipyTerm(f func(x, y float64) float64, x, y float64, dt DType) float64 {
	if dt == DTypeFloat32 {
		return r32(f(r32(x), r32(y)))
	}
	return f(x, y)
}

// scipyLogs returns scipyLog of the broadcast elements of P and Q in the
// dtype of the pair, which rel_entr and kl_div share, computing them once.
func (pr *fwPair) scipyLogs() []float64 {
	if pr.logs == nil {
		pr.logs = make([]float64, len(pr.pb))
		for k := range pr.logs {
			pr.logs[k] = scipyLog(fwRound(pr.pb[k], pr.dt), fwRound(pr.qb[k], pr.dt))
		}
	}
	return pr.logs
}

// scipyTermLog is scipyTerm of relEntrLog or klDivLog with the shared log l.
func scipyTermLog(f func(x, y, l float64) float64, x, y, l float64, dt DType) float64 {
	if dt == DTypeFloat32 {
		return r32(f(r32(x), r32(y), l))
	}
	return f(x, y, l)
}

// kerasEpsilon is keras.backend.epsilon() as a float32.
var kerasEpsilon = r32(1e-7)

// kerasClip is ops.clip(float32(x), 1e-7, 1); NaN stays NaN.
func kerasClip(x float64) float64 {
	return math.Min(math.Max(r32(x), kerasEpsilon), 1)
}

// kerasTerm is y_true·log(y_true/y_pred) after the clip, in float32.
func kerasTerm(p, q float64) float64 {
	yt, yp := kerasClip(p), kerasClip(q)
	return r32(yt * r32(ln(r32(yt/yp))))
}

// ---- the values ----

func (pr *fwPair) torchValue() FrameworkValue {
	fv := FrameworkValue{Framework: FrameworkTorchKLDiv}
	r := pr.r
	if r == nil {
		fv.Value = math.NaN()
		fv.Notes = []Note{{Kind: NoteNoResult}}
		return fv
	}
	fv.Value = r.Value
	if r.Reduction == ReductionNone {
		fv.Value = r.Sum
	}
	fv.Notes = []Note{
		{Kind: NoteReference, DType: r.Options.DType, LogTarget: r.LogTarget},
		{Kind: NoteTorchReduction, Reduction: r.Reduction, Reason: r.Reason, Divisor: r.Divisor},
	}
	for k := range pr.torch.Len() {
		if t := pr.torch.At(k); !isFinite(t.Value) && t.Special != SpecialNone {
			fv.Notes = append(fv.Notes, Note{Kind: NoteTorchTerm, Pos: pr.at(k), Count: pr.countNonFinite(), Torch: t.Value, Special: t.Special})
			break
		}
	}
	return fv
}

func (pr *fwPair) countNonFinite() int {
	n := 0
	for k := range pr.torch.Len() {
		if !isFinite(pr.torch.Value(k)) && pr.torch.At(k).Special != SpecialNone {
			n++
		}
	}
	return n
}

func (pr *fwPair) entropyValue() FrameworkValue {
	fv := FrameworkValue{Framework: FrameworkScipyEntropy}
	// SciPy 1.10's entropy: pk = 1.0*pk / np.sum(pk, axis, keepdims=True)
	// on P as given; pk, qk = np.broadcast_arrays(pk, qk); then the same
	// for the broadcast qk; vec = rel_entr(pk, qk); np.sum(vec, axis).
	// 1.0*pk of a 0-D float32 array is float64 (NumPy 1.24 promotes a 0-D
	// array against a Python float as it does a scalar), and so is then
	// everything computed from it.
	dt := pr.dt
	pdt, qdt := dt, dt
	if pr.p.Dims() == 0 {
		pdt = DTypeFloat64
	}
	if len(pr.shape()) == 0 {
		qdt = DTypeFloat64
	}
	vdt := DTypeFloat32 // of vec, the rows and their mean
	if pdt == DTypeFloat64 || qdt == DTypeFloat64 {
		vdt = DTypeFloat64
	}
	own := npNormalise(pr.p, dt, pdt)
	pi := indexer(pr.p, pr.shape())
	n := len(pr.pb)
	terms, pn, qn := make([]float64, n), make([]float64, n), make([]float64, n)
	qrow := make([]float64, pr.cols)
	rowVals := make([]float64, pr.rows)
	for i := range rowVals {
		for j := range qrow {
			qrow[j] = fwRound(pr.qb[i*pr.cols+j], dt)
		}
		qs := npSum(qrow, dt)
		for j := 0; j < pr.cols; j++ {
			k := i*pr.cols + j
			pn[k], qn[k] = own.Data[pi.at(i, j)], fwRound(qrow[j]/qs, qdt)
			terms[k] = scipyTerm(relEntr, pn[k], qn[k], vdt)
		}
		rowVals[i] = npSum(pr.row(terms, i), vdt)
	}
	pr.finish(&fv, rowVals, func(v []float64) float64 { return npMean(v, vdt) })

	var cl []Note
	if pr.twoD {
		cl = append(cl, Note{Kind: NoteAxis})
	}
	var specific []Note
	if n, ok := rowSumNote(pr.p, OperandP); ok {
		specific = append(specific, n)
	} else if n, ok := rowSumNote(Tensor{Shape: pr.shape(), Data: pr.qb}, OperandQ); ok {
		specific = append(specific, n)
	}
	zeroSum := len(specific) > 0 && specific[0].Sum == 0
	if n, ok := pr.mismatchNote(terms, pn, qn); ok && !zeroSum {
		specific = append(specific, n)
	}
	if len(specific) == 0 {
		specific = append(specific, Note{Kind: NoteNormalised})
	}
	cl = append(cl, specific[0])
	if !pr.twoD && len(specific) > 1 {
		cl = append(cl, specific[1])
	}
	switch {
	case dt == DTypeFloat32 && vdt == DTypeFloat64:
		cl = append(cl, Note{Kind: NotePromoted})
	case dt == DTypeFloat32 && len(cl) < 2:
		cl = append(cl, Note{Kind: NoteFloat32Terms})
	}
	fv.Notes = pr.withReduction(cl, FrameworkScipyEntropy)
	return fv
}

func (pr *fwPair) relEntrValue() FrameworkValue {
	fv := FrameworkValue{Framework: FrameworkScipyRelEntr}
	terms := make([]float64, len(pr.pb))
	logs := pr.scipyLogs()
	for k := range terms {
		terms[k] = scipyTermLog(relEntrLog, pr.pb[k], pr.qb[k], logs[k], pr.dt)
	}
	pr.finish(&fv, pr.npRowSums(terms), pr.npMean)

	var cl []Note
	if n, ok := pr.mismatchNote(terms, pr.pb, pr.qb); ok {
		cl = append(cl, n)
	} else {
		cl = append(cl, Note{Kind: NoteSameTerms})
	}
	if pr.dt == DTypeFloat32 {
		cl = append(cl, Note{Kind: NoteFloat32Terms})
	}
	fv.Notes = pr.withReduction(cl, FrameworkScipyRelEntr)
	return fv
}

func (pr *fwPair) scipyKLDivValue() FrameworkValue {
	fv := FrameworkValue{Framework: FrameworkScipyKLDiv}
	terms := make([]float64, len(pr.pb))
	logs := pr.scipyLogs()
	for k := range terms {
		terms[k] = scipyTermLog(klDivLog, pr.pb[k], pr.qb[k], logs[k], pr.dt)
	}
	pr.finish(&fv, pr.npRowSums(terms), pr.npMean)

	cl := []Note{{Kind: NoteConvexCancels}}
	for i := 0; i < pr.rows; i++ {
		ps, qs := Sum(pr.row(pr.pb, i)), Sum(pr.row(pr.qb, i))
		d := qs - ps
		if !isFinite(d) {
			cl[0] = Note{Kind: NoteConvex}
			continue
		}
		if math.Abs(d) > 1e-12*math.Max(1, math.Abs(ps)) {
			row := -1
			if pr.twoD {
				row = i
			}
			cl[0] = Note{Kind: NoteConvexGains, Row: row, X: ps, Y: qs, Term: d}
			break
		}
	}
	if n, ok := pr.mismatchNote(terms, pr.pb, pr.qb); ok {
		cl = append(cl, n)
	} else if pr.dt == DTypeFloat32 {
		cl = append(cl, Note{Kind: NoteFloat32Terms})
	}
	fv.Notes = pr.withReduction(cl, FrameworkScipyKLDiv)
	return fv
}

func (pr *fwPair) kerasValue() FrameworkValue {
	fv := FrameworkValue{Framework: FrameworkKeras}
	terms := make([]float64, len(pr.pb))
	for k := range terms {
		terms[k] = kerasTerm(pr.pb[k], pr.qb[k])
	}
	perSample := pr.rowSums(terms, DTypeFloat32)
	switch {
	case !pr.twoD:
		fv.Value = perSample[0] // per-sample loss of shape (): returned as is
	case pr.rows == 0:
		fv.Rows, fv.Value = perSample, math.NaN() // shape (0,): the empty tensor is returned as is
	default:
		fv.Rows = perSample
		fv.Value = r32(r32(Sum(perSample)) / float64(pr.rows))
	}

	var cl []Note
	yt, yp := make([]float64, len(terms)), make([]float64, len(terms))
	for k := range terms {
		yt[k], yp[k] = kerasClip(pr.pb[k]), kerasClip(pr.qb[k])
	}
	if n, ok := pr.mismatchNote(terms, yt, yp); ok {
		cl = append(cl, n)
	}
	n, first := 0, -1
	for k := range pr.pb {
		if pr.clipped(k) {
			if first < 0 {
				first = k
			}
			n++
		}
	}
	if n > 0 && len(cl) == 0 {
		cl = append(cl, Note{Kind: NoteClipped, Count: n, Pos: pr.at(first), X: pr.pb[first], Y: pr.qb[first], Term: terms[first], Torch: pr.torchTerm(first), HasTorch: pr.hasTorch})
	}
	if len(cl) == 0 {
		cl = append(cl, Note{Kind: NoteUnclipped, DType: pr.dt})
	}
	fv.Notes = pr.withReduction(cl, FrameworkKeras)
	return fv
}

// clipped reports whether Keras's clip changes element k (beyond the
// rounding to float32).
func (pr *fwPair) clipped(k int) bool {
	for _, v := range []float64{pr.pb[k], pr.qb[k]} {
		if v32 := r32(v); !math.IsNaN(v32) && kerasClip(v) != v32 {
			return true
		}
	}
	return false
}

// catSide is one Categorical(probs=...) as constructed and validated.
type catSide struct {
	probs, logits Tensor // normalised probabilities and their clamped logs
	bad           int    // first row failing the Simplex() check, or -1
	fault         CategoricalFault
	sum           float64 // the normalised sum of row bad, for FaultSum
}

// newCatSide builds Categorical(probs=t) in PyTorch 1.13's operations, in
// the dtype: probs = t / t.sum(-1, keepdim=True), the Simplex() check
// torch.all(probs >= 0, dim=-1) & ((probs.sum(-1) - 1).abs() < 1e-6), and
// logits = torch.log(probs.clamp(eps, 1 − eps)) (probs_to_logits).
func newCatSide(t Tensor, dt DType) catSide {
	a := arithOf(dt)
	eps := finfoEps(dt)
	cs := catSide{bad: -1,
		probs:  Tensor{Shape: t.Shape, Data: make([]float64, len(t.Data))},
		logits: Tensor{Shape: t.Shape, Data: make([]float64, len(t.Data))}}
	rows, cols := t.rowsCols()
	raw := make([]float64, cols)
	for i := 0; i < rows; i++ {
		for j := range raw {
			raw[j] = a.round(t.Data[i*cols+j])
		}
		s := a.sum(raw)
		pn := cs.probs.Data[i*cols : (i+1)*cols]
		nonneg := true
		for j, v := range raw {
			pn[j] = a.div(v, s)
			cs.logits.Data[i*cols+j] = a.log(math.Min(math.Max(pn[j], eps), 1-eps))
			if !(pn[j] >= 0) {
				nonneg = false
			}
		}
		ns := a.sum(pn)
		if cs.bad < 0 && !(nonneg && math.Abs(a.round(ns-1)) < a.round(1e-6)) {
			cs.bad = i
			switch {
			case fwHasNaN(raw):
				cs.fault = FaultNaN
			case s == 0:
				cs.fault = FaultZeroSum
			case math.IsInf(s, 0) || math.IsNaN(s):
				cs.fault = FaultInfiniteSum
			case !nonneg:
				cs.fault = FaultNegative
			default:
				cs.fault, cs.sum = FaultSum, ns
			}
		}
	}
	return cs
}

func fwHasNaN(v []float64) bool {
	for _, x := range v {
		if math.IsNaN(x) {
			return true
		}
	}
	return false
}

func (pr *fwPair) categoricalValue() FrameworkValue {
	fv := FrameworkValue{Framework: FrameworkTorchDistributions, Value: math.NaN()}
	dt := pr.dt
	// Categorical(probs=p) is built, and validated, before Categorical(probs=q).
	var sides [2]catSide
	for n, s := range []struct {
		op Operand
		t  Tensor
	}{{OperandP, pr.p}, {OperandQ, pr.q}} {
		if s.t.Dims() == 0 {
			fv.Err = "ValueError: `probs` parameter must be at least one-dimensional."
			fv.Notes = []Note{{Kind: NoteScalar, Operand: s.op}}
			return fv
		}
		cs := newCatSide(s.t, dt)
		if cs.bad >= 0 {
			fv.Err = fmt.Sprintf("ValueError: Expected parameter probs (Tensor of shape %s) of distribution Categorical(probs: %s) "+
				"to satisfy the constraint Simplex(), but found invalid values", ShapeString(cs.probs.Shape), catRepr(cs.probs, dt))
			row := -1
			if cs.probs.Dims() >= 2 {
				row = cs.bad
			}
			fv.Notes = []Note{{Kind: NoteInvalid, Operand: s.op, Row: row, Fault: cs.fault, Sum: cs.sum}}
			return fv
		}
		sides[n] = cs
	}
	cp, cq := sides[0], sides[1]
	ar := arithOf(dt)
	pi, qi := indexer(pr.p, pr.shape()), indexer(pr.q, pr.shape())
	terms := make([]float64, len(pr.pb))
	pn, qn := make([]float64, len(pr.pb)), make([]float64, len(pr.pb))
	lp, lq := make([]float64, len(pr.pb)), make([]float64, len(pr.pb))
	for i := 0; i < pr.rows; i++ {
		for j := 0; j < pr.cols; j++ {
			k, a, b := i*pr.cols+j, pi.at(i, j), qi.at(i, j)
			pn[k], qn[k] = cp.probs.Data[a], cq.probs.Data[b]
			lp[k], lq[k] = cp.logits.Data[a], cq.logits.Data[b]
			t := ar.round(pn[k] * ar.round(lp[k]-lq[k])) // p.probs * (p.logits - q.logits)
			if qn[k] == 0 {
				t = math.Inf(1)
			}
			if pn[k] == 0 {
				t = 0 // applied last
			}
			terms[k] = t
		}
	}
	rowVals := make([]float64, pr.rows)
	for i := range rowVals {
		rowVals[i] = ar.sum(pr.row(terms, i)) // t.sum(-1)
	}
	pr.finish(&fv, rowVals, func(v []float64) float64 { return ar.div(ar.sum(v), float64(len(v))) }) // torch.mean

	var cl []Note
	if n, ok := pr.mismatchNote(terms, pn, qn); ok {
		cl = append(cl, n)
	}
	if n, ok := rowSumNote(pr.p, OperandP); ok {
		cl = append(cl, n)
	} else if n, ok := rowSumNote(pr.q, OperandQ); ok {
		cl = append(cl, n)
	}
	if len(cl) < 2 && isFinite(fv.Value) {
		if n, ok := pr.clampNote(pn, qn, lp, lq, dt); ok {
			cl = append(cl, n)
		}
	}
	if len(cl) == 0 {
		cl = append(cl, Note{Kind: NoteCategorical, DType: dt})
	}
	fv.Notes = pr.withReduction(cl, FrameworkTorchDistributions)
	return fv
}

// clampNote describes the first probability that clamp_probs moves
// (below eps or above 1 − eps) where the term uses its log.
func (pr *fwPair) clampNote(pn, qn, lp, lq []float64, dt DType) (Note, bool) {
	eps := finfoEps(dt)
	for k := range pn {
		if !(pn[k] > 0) {
			continue // the term is masked to 0
		}
		for _, s := range []struct {
			op    Operand
			v, lg float64
		}{{OperandP, pn[k], lp[k]}, {OperandQ, qn[k], lq[k]}} {
			if s.v > 0 && (s.v < eps || s.v > 1-eps) {
				return Note{Kind: NoteClamp, DType: dt, Operand: s.op, Pos: pr.at(k), X: s.v, Upper: s.v > 1-eps, Term: s.lg, Torch: ln(s.v)}, true
			}
		}
	}
	return Note{}, false
}

// catRepr is how Distribution.__repr__ shows probs: the tensor if it has
// one element, else its size.
func catRepr(probs Tensor, dt DType) string {
	if probs.Numel() == 1 {
		return FormatTorch(probs, dt)
	}
	s := make([]string, len(probs.Shape))
	for i, n := range probs.Shape {
		s[i] = strconv.Itoa(n)
	}
	return "torch.Size([" + strings.Join(s, ", ") + "])"
}

// ---- notes ----

// npRowSums is np.sum(terms, axis=-1) in the dtype of the pair.
func (pr *fwPair) npRowSums(terms []float64) []float64 {
	out := make([]float64, pr.rows)
	for i := range out {
		out[i] = npSum(pr.row(terms, i), pr.dt)
	}
	return out
}

// npMean is np.mean of per-row values in the dtype of the pair.
func (pr *fwPair) npMean(v []float64) float64 { return npMean(v, pr.dt) }

// shape is the broadcast shape of the pair.
func (pr *fwPair) shape() []int {
	shape, _ := BroadcastShapes(pr.q.Shape, pr.p.Shape)
	return shape
}

// npNormalise is 1.0*t / np.sum(t, axis=-1, keepdims=True) for an array t
// of the dtype dt (t's values rounded to it), the quotient in the dtype
// qdt (float64 where NumPy promotes it).
func npNormalise(t Tensor, dt, qdt DType) Tensor {
	out := Tensor{Shape: t.Shape, Data: make([]float64, len(t.Data))}
	rows, cols := t.rowsCols()
	row := make([]float64, cols)
	for i := 0; i < rows; i++ {
		for j := range row {
			row[j] = fwRound(t.Data[i*cols+j], dt)
		}
		s := npSum(row, dt)
		for j, v := range row {
			out.Data[i*cols+j] = fwRound(v/s, qdt)
		}
	}
	return out
}

// fwRound rounds x to the dtype.
func fwRound(x float64, dt DType) float64 {
	if dt == DTypeFloat32 {
		return r32(x)
	}
	return x
}

// rowSums is Keras's Σ over the last axis (fwSum) of each row.
func (pr *fwPair) rowSums(terms []float64, dt DType) []float64 {
	out := make([]float64, pr.rows)
	for i := range out {
		out[i] = fwSum(pr.row(terms, i), dt)
	}
	return out
}

// at is the (row, class) of broadcast element k.
func (pr *fwPair) at(k int) [2]int {
	c := max(pr.cols, 1)
	return [2]int{k / c, k % c}
}

// torchTerm is kl_div's term at element k, or NaN without r.
func (pr *fwPair) torchTerm(k int) float64 {
	if !pr.hasTorch {
		return math.NaN()
	}
	return pr.torch.Value(k)
}

// rowSumNote describes the first row of t (P or Q, as the library
// normalises it: as given, or broadcast) whose sum is not 1 within
// RowSumTolerance, for the libraries that normalise.
func rowSumNote(t Tensor, op Operand) (Note, bool) {
	for i, row := range t.Rows() {
		s := Sum(row)
		if math.Abs(s-1) <= RowSumTolerance {
			continue
		}
		n := Note{Kind: NoteRowSum, Operand: op, Row: -1, Sum: s}
		if t.Dims() >= 2 {
			n.Row = i
		}
		return n, true
	}
	return Note{}, false
}

// fwKind classifies a term: finite, +Inf, −Inf or NaN.
func fwKind(x float64) int {
	switch {
	case math.IsNaN(x):
		return 3
	case math.IsInf(x, 1):
		return 1
	case math.IsInf(x, -1):
		return 2
	}
	return 0
}

// mismatchNote describes the first element where the library's term and
// kl_div's are of different kinds (finite, ±Inf, NaN); x and y are the
// library's operands.
func (pr *fwPair) mismatchNote(terms, x, y []float64) (Note, bool) {
	if !pr.hasTorch {
		return Note{}, false
	}
	first, n := -1, 0
	for k, v := range terms {
		if fwKind(v) != fwKind(pr.torch.Value(k)) {
			if first < 0 {
				first = k
			}
			n++
		}
	}
	if first < 0 {
		return Note{}, false
	}
	t := pr.torch.At(first)
	return Note{Kind: NoteMismatch, Pos: pr.at(first), Count: n, X: x[first], Y: y[first], Term: terms[first], Torch: t.Value, Special: t.Special}, true
}

// withReduction appends how the library reduces and whether kl_div's
// reduction divides the same way. A 1-D pair that kl_div divides as the
// library does needs no clause, except for Keras, which says it does not
// divide.
func (pr *fwPair) withReduction(cl []Note, f Framework) []Note {
	n := Note{Kind: NoteReduction, Count: pr.rows, Batched: pr.twoD}
	if r := pr.r; r != nil {
		n.HasTorch, n.Reduction, n.Reason = true, r.Reduction, r.Reason
		n.Divisor = 1
		if r.Reduction == ReductionMean || r.Reduction == ReductionBatchMean {
			n.Divisor = r.Divisor
		}
		n.Same = n.Divisor == float64(pr.rows)
		if n.Same && !pr.twoD && f != FrameworkKeras {
			return cl
		}
	}
	return append(cl, n)
}

// finfoEps is torch.finfo(dtype).eps, the spacing of the dtype's numbers
// just above 1: 2^-23 for float32, 2^-52 for float64, 2^-7 for bfloat16
// and 2^-10 for float16.
func finfoEps(dt DType) float64 {
	switch dt {
	case DTypeFloat32:
		return 0x1p-23
	case DTypeBFloat16:
		return 0x1p-7
	case DTypeFloat16:
		return 0x1p-10
	}
	return 0x1p-52
}
