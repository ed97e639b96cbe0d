package compute

// A NoteKind names one clause of the explanation that comes with a
// FrameworkValue: why the library's value is what it is, and how it
// relates to kl_div's. compute gives the kind and its data; the app writes
// the words, in the reader's language. The fields of Note each kind uses
// are listed beside it.
type NoteKind int

const (
	// NoteShapes: P and Q do not broadcast, so nothing is compared.
	NoteShapes NoteKind = iota
	// NoteNoResult: no kl_div result was given, so its value is unknown.
	NoteNoResult
	// NoteReference: kl_div is the reference, computed in DType from the
	// terms xlogy(p, p) − p·log q, or exp(log p)·(log p − log q) when
	// LogTarget.
	NoteReference
	// NoteTorchReduction: what kl_div's Reduction does; Divisor for
	// 'mean', Reason for 'batchmean'.
	NoteTorchReduction
	// NoteTorchTerm: kl_div's term at Pos is Torch because of Special;
	// Count terms are non-finite.
	NoteTorchTerm
	// NoteAxis: SciPy's entropy defaults to axis=0, the columns, so a 2-D
	// pair is computed with axis=-1, one value per row.
	NoteAxis
	// NoteRowSum: Operand (at Row, −1 for a 1-D tensor) sums to Sum, not
	// 1, and the library normalises it first (0/0 = NaN when Sum is 0).
	NoteRowSum
	// NoteMismatch: at Pos (and Count − 1 more) the library's term Term,
	// of its operands X and Y (after normalising for entropy, after
	// clipping for Keras), is of another kind (finite, ±Inf, NaN) than
	// kl_div's term Torch, whose special case is Special.
	NoteMismatch
	// NoteNormalised: the rows of P and Q already sum to 1, so entropy's
	// normalising changes nothing.
	NoteNormalised
	// NotePromoted: NumPy promotes a 0-D float32 P to float64 in entropy's
	// 1.0*pk, so SciPy computes in float64.
	NotePromoted
	// NoteFloat32Terms: with float32 arrays, SciPy's ufunc computes each
	// term in float64 and rounds it to float32, and NumPy sums in float32.
	NoteFloat32Terms
	// NoteSameTerms: rel_entr has kl_div's terms p·log(p/q), unnormalised.
	NoteSameTerms
	// NoteConvex: special.kl_div's convex form adds q − p to every term.
	NoteConvex
	// NoteConvexCancels: as NoteConvex, but each row of P and Q has the
	// same sum, so the additions cancel.
	NoteConvexCancels
	// NoteConvexGains: as NoteConvex; Row (−1 for 1-D) gains Y − X, where
	// X = Σp and Y = Σq, and Term = Y − X.
	NoteConvexGains
	// NoteClipped: Keras clips both sides to [1e-7, 1], which changes Count
	// values, the first at Pos, with p = X and q = Y: its term is Term
	// where kl_div's is Torch (NaN without a result).
	NoteClipped
	// NoteUnclipped: Keras clips nothing here; it computes in float32, as
	// kl_div did when DType is float32 (so only the last digits differ),
	// and unlike kl_div's float64 otherwise.
	NoteUnclipped
	// NoteScalar: Categorical needs at least one dimension, and Operand is
	// 0-D.
	NoteScalar
	// NoteInvalid: Categorical validates its argument, and Operand (at
	// Row, −1 for 1-D) fails the Simplex() check because of Fault (with
	// the normalised sum Sum for FaultSum), so kl_divergence is never
	// reached.
	NoteInvalid
	// NoteClamp: Categorical's logits clamp probabilities to [eps, 1 −
	// eps] with eps = finfo(DType).eps: Operand's probability X at Pos is
	// below eps, or above 1 − eps when Upper, so its log is Term instead
	// of Torch = log X.
	NoteClamp
	// NoteCategorical: the rows sum to 1 and the clamp moves nothing, so
	// the terms are kl_div's, in DType.
	NoteCategorical
	// NoteReduction: how the library reduces: the mean of Count rows
	// (Batched), the sum over the classes, Keras's sum_over_batch_size or
	// its undivided 1-D loss; and, with a kl_div result, whether kl_div's
	// Reduction divides the same way (Same) or else by Divisor for
	// Reason. HasTorch is false without a result.
	NoteReduction
)

// CategoricalFault says why a row fails Categorical's Simplex() check.
type CategoricalFault int

const (
	FaultNaN         CategoricalFault = iota // the row contains NaN
	FaultZeroSum                             // the row sums to 0: probs / probs.sum(-1) is 0/0 = NaN
	FaultInfiniteSum                         // the row's sum is infinite, so normalising gives NaN
	FaultNegative                            // an entry is negative after normalising
	FaultSum                                 // the normalised row sums to Note.Sum, off by more than 1e-6
)

// Note is one clause of a FrameworkValue's explanation: a kind and the
// data that kind uses (see NoteKind). Positions and rows are 0-based.
type Note struct {
	Kind    NoteKind
	Operand Operand
	Row     int    // a row of a 2-D tensor, or −1 for a 1-D one
	Pos     [2]int // (row, class) of the first element concerned
	Count   int    // elements concerned, or rows for NoteReduction

	X, Y    float64 // the library's operands at Pos, or Σp and Σq
	Term    float64 // the library's term (or log) at Pos
	Torch   float64 // kl_div's term (or the exact log) at Pos
	Sum     float64 // a row's sum
	Special Special // the special case behind Torch

	DType     DType
	LogTarget bool
	Upper     bool // NoteClamp: clamped at 1 − eps, not eps
	Fault     CategoricalFault

	Reduction Reduction
	Reason    DivisorReason
	Divisor   float64
	Batched   bool // the pair is 2-D: one value per row
	HasTorch  bool // NoteReduction, NoteClipped: a kl_div result was given (else Torch is unknown)
	Same      bool // NoteReduction: kl_div divides by the same number of rows
}
