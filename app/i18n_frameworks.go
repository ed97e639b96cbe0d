package app

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/klcalc/klcalc/compute"
)

// This file writes compute's notes on the other libraries (why each
// library's value is what it is) in English and Korean, from the same
// codes and data.

// frameworkNote writes a library's notes as the reader's language joins
// them: English as one sentence of clauses, Korean as short sentences.
func frameworkNote(l lang, fv compute.FrameworkValue) string {
	if l == langKO {
		var b strings.Builder
		for _, n := range fv.Notes {
			s := noteKO(fv.Framework, n)
			if s == "" {
				continue
			}
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(s)
			if !strings.HasSuffix(s, ".") {
				b.WriteByte('.')
			}
		}
		return b.String()
	}
	var kept []string
	for _, n := range fv.Notes {
		if s := noteEN(fv.Framework, n); s != "" {
			kept = append(kept, s)
		}
	}
	s := strings.Join(kept, "; ")
	if r, n := utf8.DecodeRuneInString(s); n > 0 {
		s = string(unicode.ToUpper(r)) + s[n:]
	}
	return s + "."
}

// short formats a library's number with 4 significant digits, as the
// notes quote them.
func fwShort(x float64) string { return strconv.FormatFloat(x, 'g', 4, 64) }

// epsName is finfo(dt).eps as the notes print it.
func epsName(dt compute.DType) string {
	if dt == compute.DTypeFloat32 {
		return "1.19e-07"
	}
	return "2.22e-16"
}

// where names a row of a side, or the side of a 1-D pair.
func whereEN(op compute.Operand, row int) string {
	if row < 0 {
		return op.String()
	}
	return fmt.Sprintf("row %d of %s", row+1, op)
}

func whereKO(op compute.Operand, row int) string {
	if row < 0 {
		return op.String()
	}
	return fmt.Sprintf("%s의 %d행", op, row+1)
}

// noteEN writes one clause in English, lower-case, without a full stop.
func noteEN(f compute.Framework, n compute.Note) string {
	pos := positionsEN([][2]int{n.Pos}, max(n.Count, 1))
	switch n.Kind {
	case compute.NoteShapes:
		return "P and Q cannot be compared because their shapes do not fit together"
	case compute.NoteNoResult:
		return "no PyTorch result was given, so kl_div's value is not known here"
	case compute.NoteReference:
		form := "xlogy(p, p) − p·log q"
		if n.LogTarget {
			form = "exp(log p)·(log p − log q) (log_target=True)"
		}
		return fmt.Sprintf("the reference, computed in %s from the terms %s", n.DType, form)
	case compute.NoteTorchReduction:
		switch n.Reduction {
		case compute.ReductionNone:
			return "reduction='none' returns the pointwise tensor, and the value shown is its sum"
		case compute.ReductionSum:
			return "reduction='sum' adds the pointwise terms"
		case compute.ReductionMean:
			return fmt.Sprintf("reduction='mean' divides the sum of the terms by all %s elements", compute.FormatFloat(n.Divisor))
		}
		return texts(langEN).divisor(n.Reason)
	case compute.NoteTorchTerm:
		return fmt.Sprintf("its term at %s is %s (%s)", pos, compute.FormatFloat(n.Torch), torchReasonEN(n.Special))
	case compute.NoteAxis:
		return "SciPy's default axis=0 would normalise the columns, so this uses axis=-1, one value per row"
	case compute.NoteRowSum:
		what := whereEN(n.Operand, n.Row)
		switch {
		case n.Sum == 0:
			return what + " sums to 0, so normalising it gives 0/0 = NaN"
		case f == compute.FrameworkScipyEntropy:
			return fmt.Sprintf("%s sums to %s, and entropy divides P and Q by their sums along the axis first", what, fwShort(n.Sum))
		}
		return fmt.Sprintf("%s sums to %s, and Categorical divides each row by its sum", what, fwShort(n.Sum))
	case compute.NoteMismatch:
		reason := torchReasonEN(n.Special)
		if reason != "" {
			reason = " (" + reason + ")"
		}
		return fmt.Sprintf("at %s, %s, where F.kl_div's term is %s%s", pos, mismatchEN(f, n), compute.FormatFloat(n.Torch), reason)
	case compute.NoteNormalised:
		return "the rows of P and Q already sum to 1, so normalising changes nothing and the terms are F.kl_div's"
	case compute.NotePromoted:
		return "NumPy promotes the 0-D float32 P to float64 in entropy's 1.0*pk, so SciPy computes in float64 here"
	case compute.NoteFloat32Terms:
		return "with float32 arrays, SciPy's ufunc computes each term in float64 and rounds it to float32, and NumPy sums the float32 terms in float32"
	case compute.NoteSameTerms:
		return "the same terms p·log(p/q) as F.kl_div, without normalising"
	case compute.NoteConvex, compute.NoteConvexCancels, compute.NoteConvexGains:
		const convex = "its convex form x·log(x/y) − x + y adds q − p to every term"
		switch n.Kind {
		case compute.NoteConvexCancels:
			return convex + ", which cancels here because each row of P and Q has the same sum"
		case compute.NoteConvexGains:
			where := "the sum"
			if n.Row >= 0 {
				where = fmt.Sprintf("row %d", n.Row+1)
			}
			return fmt.Sprintf("%s, so %s gains Σq − Σp = %s − %s = %s", convex, where, fwShort(n.Y), fwShort(n.X), fwShort(n.Term))
		}
		return convex
	case compute.NoteClipped:
		torch := "?"
		if n.HasTorch {
			torch = fwShort(n.Torch)
		}
		return fmt.Sprintf("both sides are clipped to [1e-7, 1], which changes %d value%s, first at %s (p = %s, q = %s, term %s instead of F.kl_div's %s)",
			n.Count, pluralEN(n.Count, "", "s"), positionsEN([][2]int{n.Pos}, 1), fwShort(n.X), fwShort(n.Y), fwShort(n.Term), torch)
	case compute.NoteUnclipped:
		if n.DType == compute.DTypeFloat32 {
			return "no value is clipped to [1e-7, 1] here, and like F.kl_div it computes in float32, but as p·log(p/q), so only the last digits differ"
		}
		return "no value is clipped to [1e-7, 1] here, but Keras computes in float32 (its floatx) where F.kl_div used float64"
	case compute.NoteScalar:
		return fmt.Sprintf("Categorical(probs=%s) needs at least one dimension, and %s is 0-D", strings.ToLower(n.Operand.String()), n.Operand)
	case compute.NoteInvalid:
		var why string
		switch n.Fault {
		case compute.FaultNaN:
			why = "contains NaN"
		case compute.FaultZeroSum:
			why = "sums to 0, so probs / probs.sum(-1) is 0/0 = NaN"
		case compute.FaultInfiniteSum:
			why = "has an infinite sum, so normalising gives NaN"
		case compute.FaultNegative:
			why = "has a negative entry after normalising"
		default:
			why = fmt.Sprintf("sums to %s after normalising", fwShort(n.Sum))
		}
		return fmt.Sprintf("Categorical(probs=%s) validates its argument by default (validate_args), and %s %s, which fails the Simplex() check, so kl_divergence is never reached",
			strings.ToLower(n.Operand.String()), whereEN(n.Operand, n.Row), why)
	case compute.NoteClamp:
		bound := "eps"
		if n.Upper {
			bound = "1 − eps"
		}
		return fmt.Sprintf("its logits clamp the probabilities to [eps, 1 − eps] with eps = finfo(%s).eps = %s, so %s = %s at %s uses log(%s) = %s instead of %s",
			n.DType, epsName(n.DType), strings.ToLower(n.Operand.String()), fwShort(n.X), positionsEN([][2]int{n.Pos}, 1), bound, fwShort(n.Term), fwShort(n.Torch))
	case compute.NoteCategorical:
		return fmt.Sprintf("the rows already sum to 1 and no probability is moved by the [eps, 1 − eps] clamp, so the terms are F.kl_div's, in %s", n.DType)
	case compute.NoteReduction:
		return reductionEN(f, n)
	}
	return ""
}

// mismatchEN is the library's side of a NoteMismatch.
func mismatchEN(f compute.Framework, n compute.Note) string {
	x, y, t := fwShort(n.X), fwShort(n.Y), fwShort(n.Term)
	switch f {
	case compute.FrameworkScipyEntropy:
		return fmt.Sprintf("rel_entr(%s, %s) = %s after normalising", x, y, t)
	case compute.FrameworkScipyRelEntr:
		return fmt.Sprintf("rel_entr(%s, %s) = %s", x, y, t)
	case compute.FrameworkScipyKLDiv:
		return fmt.Sprintf("special.kl_div(%s, %s) = %s", x, y, t)
	case compute.FrameworkKeras:
		return fmt.Sprintf("clipping to [1e-7, 1] makes the term %s·log(%s/%s) = %s", x, x, y, t)
	}
	switch {
	case n.X == 0:
		return "t[p == 0] = 0, applied last, makes the term 0"
	case n.Y == 0:
		return "t[q == 0] = inf makes the term +Inf"
	}
	return "the term is " + t
}

// reductionEN says how the library reduces, and whether kl_div divides
// the same way.
func reductionEN(f compute.Framework, n compute.Note) string {
	var own string
	switch {
	case f == compute.FrameworkKeras && n.Batched:
		own = fmt.Sprintf("sum_over_batch_size divides the sum of the %d per-sample losses by %d", n.Count, n.Count)
	case f == compute.FrameworkKeras:
		own = "the per-sample loss of a 1-D input is returned undivided"
	case n.Batched:
		own = fmt.Sprintf("the value shown is the mean of the %d per-row values", n.Count)
	default:
		own = "the value is the sum over the classes"
	}
	if !n.HasTorch || (n.Same && !n.Batched) {
		return own
	}
	red := "'" + n.Reduction.String() + "'"
	if n.Same {
		return own + ", as PyTorch's " + red + " is"
	}
	d := compute.FormatFloat(n.Divisor)
	var how string
	switch {
	case n.Reduction == compute.ReductionNone:
		how = "adds the rows (summed 'none' output)"
	case n.Reduction == compute.ReductionSum:
		how = "adds the rows"
	case n.Reduction == compute.ReductionMean:
		how = fmt.Sprintf("divides by all %s elements", d)
	case n.Reason == compute.DivisorBatch1D:
		how = fmt.Sprintf("divides by size(0) = %s, the number of classes of a 1-D input", d)
	case n.Reason == compute.DivisorBatchBroadcast:
		how = fmt.Sprintf("divides by input.size(0) = %s although the target broadcast the batch to %d rows", d, n.Count)
	case n.Reason == compute.DivisorScalar:
		how = "does not divide a 0-D input"
	default:
		how = fmt.Sprintf("divides by input.size(0) = %s", d)
	}
	return own + ", whereas PyTorch's " + red + " " + how
}

// torchReasonEN is a short reason for a kl_div term's special case.
func torchReasonEN(s compute.Special) string {
	switch s {
	case compute.SpecialTargetZero:
		return "xlogy(0, 0) = 0"
	case compute.SpecialZeroTimesInf:
		return "p = 0 and log q = ±∞: 0·∞ is NaN"
	case compute.SpecialLogTargetZero:
		return "with log_target=True, p = 0 gives exp(−∞)·(−∞ − log q) = 0·(−∞)"
	case compute.SpecialQZero:
		return "q = 0 where p > 0"
	case compute.SpecialInputPosInf:
		return "log q = +∞"
	case compute.SpecialNegativeTarget:
		return "log of a negative p"
	case compute.SpecialNaNTarget:
		return "p is NaN"
	case compute.SpecialNaNInput:
		return "log q is NaN: q is negative or NaN"
	case compute.SpecialInfTarget:
		return "p = +∞"
	case compute.SpecialOverflow:
		return "the term overflowed"
	}
	return ""
}

// noteKO writes one clause in Korean as a sentence.
func noteKO(f compute.Framework, n compute.Note) string {
	pos := positionsText([][2]int{n.Pos}, max(n.Count, 1))
	switch n.Kind {
	case compute.NoteShapes:
		return "P와 Q의 모양이 서로 맞지 않아 비교할 수 없습니다."
	case compute.NoteNoResult:
		return "PyTorch 결과가 없어 kl_div의 값을 알 수 없습니다."
	case compute.NoteReference:
		form := "xlogy(p, p) − p·log q"
		if n.LogTarget {
			form = "exp(log p)·(log p − log q) (log_target=True)"
		}
		return fmt.Sprintf("기준값입니다. 각 항 %s %s에서 계산합니다.", josa(form, "을"), n.DType)
	case compute.NoteTorchReduction:
		switch n.Reduction {
		case compute.ReductionNone:
			return "reduction='none'은 항별 텐서를 돌려주며, 여기 보이는 값은 그 합입니다."
		case compute.ReductionSum:
			return "reduction='sum'은 항을 모두 더합니다."
		case compute.ReductionMean:
			return fmt.Sprintf("reduction='mean'은 항의 합을 전체 원소 수 %s 나눕니다.", josa(compute.FormatFloat(n.Divisor), "으로"))
		}
		return texts(langKO).divisor(n.Reason) + "."
	case compute.NoteTorchTerm:
		return fmt.Sprintf("%s 위치의 항은 %s입니다 (%s).", pos, compute.FormatFloat(n.Torch), torchReasonKO(n.Special))
	case compute.NoteAxis:
		return "SciPy의 기본 축 axis=0은 열을 정규화하므로, 여기서는 행마다 값을 하나씩 내는 axis=-1로 계산합니다."
	case compute.NoteRowSum:
		what := josa(whereKO(n.Operand, n.Row), "은")
		switch {
		case n.Sum == 0:
			return what + " 합이 0이라 정규화하면 0/0 = NaN이 됩니다."
		case f == compute.FrameworkScipyEntropy:
			return fmt.Sprintf("%s 합이 %s이며, entropy는 먼저 P와 Q를 축을 따라 각자의 합으로 나눕니다.", what, fwShort(n.Sum))
		}
		return fmt.Sprintf("%s 합이 %s이며, Categorical은 각 행을 그 합으로 나눕니다.", what, fwShort(n.Sum))
	case compute.NoteMismatch:
		reason := torchReasonKO(n.Special)
		if reason != "" {
			reason = " (" + reason + ")"
		}
		return fmt.Sprintf("%s 위치에서 %s인데, F.kl_div의 항은 %s입니다%s.", pos, mismatchKO(f, n), compute.FormatFloat(n.Torch), reason)
	case compute.NoteNormalised:
		return "P와 Q의 행 합이 이미 1이므로 정규화해도 달라지지 않고, 항은 F.kl_div와 같습니다."
	case compute.NotePromoted:
		return "NumPy가 entropy의 1.0*pk에서 0차원 float32 P를 float64로 올리므로, 여기서 SciPy는 float64로 계산합니다."
	case compute.NoteFloat32Terms:
		return "float32 배열이면 SciPy의 ufunc는 각 항을 float64로 계산해 float32로 반올림하고, NumPy는 float32 항을 float32로 더합니다."
	case compute.NoteSameTerms:
		return "정규화 없이 F.kl_div와 같은 항 p·log(p/q)를 더합니다."
	case compute.NoteConvex, compute.NoteConvexCancels, compute.NoteConvexGains:
		const convex = "볼록 형태 x·log(x/y) − x + y는 모든 항에 q − p를 더합니다."
		switch n.Kind {
		case compute.NoteConvexCancels:
			return convex + " 여기서는 P와 Q의 각 행 합이 같아 서로 상쇄됩니다."
		case compute.NoteConvexGains:
			where := "합"
			if n.Row >= 0 {
				where = fmt.Sprintf("%d행", n.Row+1)
			}
			return fmt.Sprintf("%s 그래서 %s에 Σq − Σp = %s − %s = %s 더해집니다.", convex, where, fwShort(n.Y), fwShort(n.X), josa(fwShort(n.Term), "이"))
		}
		return convex
	case compute.NoteClipped:
		torch := "?"
		if n.HasTorch {
			torch = fwShort(n.Torch)
		}
		return fmt.Sprintf("두 입력을 [1e-7, 1]로 잘라내어 값 %d개가 바뀝니다. 첫 위치는 %s입니다 (p = %s, q = %s, 항 %s, F.kl_div의 항 %s).",
			n.Count, positionsText([][2]int{n.Pos}, 1), fwShort(n.X), fwShort(n.Y), fwShort(n.Term), torch)
	case compute.NoteUnclipped:
		if n.DType == compute.DTypeFloat32 {
			return "[1e-7, 1]로 잘리는 값은 없고 F.kl_div처럼 float32로 계산하지만, p·log(p/q) 형태라 마지막 자릿수만 다릅니다."
		}
		return "[1e-7, 1]로 잘리는 값은 없지만, Keras는 float32(floatx)로 계산하고 F.kl_div는 float64로 계산했습니다."
	case compute.NoteScalar:
		return fmt.Sprintf("Categorical(probs=%s)에는 차원이 하나 이상 필요한데 %s 0차원입니다.", strings.ToLower(n.Operand.String()), josa(n.Operand.String(), "은"))
	case compute.NoteInvalid:
		var why string
		switch n.Fault {
		case compute.FaultNaN:
			why = "NaN을 포함하여"
		case compute.FaultZeroSum:
			why = "합이 0이라 probs / probs.sum(-1)이 0/0 = NaN이 되어"
		case compute.FaultInfiniteSum:
			why = "합이 무한대라 정규화하면 NaN이 되어"
		case compute.FaultNegative:
			why = "정규화한 뒤 음수 항목이 있어"
		default:
			why = fmt.Sprintf("정규화한 뒤 합이 %s이어서", fwShort(n.Sum))
		}
		cat := fmt.Sprintf("Categorical(probs=%s)", strings.ToLower(n.Operand.String()))
		return fmt.Sprintf("%s 기본적으로 인자를 검사합니다(validate_args). %s %s Simplex() 검사에 실패하므로 kl_divergence까지 가지 못합니다.",
			josa(cat, "은"), josa(whereKO(n.Operand, n.Row), "은"), why)
	case compute.NoteClamp:
		bound := "eps"
		if n.Upper {
			bound = "1 − eps"
		}
		return fmt.Sprintf("logits는 확률을 [eps, 1 − eps]로 제한하며 eps = finfo(%s).eps = %s입니다. 그래서 %s 위치의 %s = %s에는 %s 대신 log(%s) = %s 쓰입니다.",
			n.DType, epsName(n.DType), positionsText([][2]int{n.Pos}, 1), strings.ToLower(n.Operand.String()), fwShort(n.X), fwShort(n.Torch), bound, josa(fwShort(n.Term), "이"))
	case compute.NoteCategorical:
		return fmt.Sprintf("행 합이 이미 1이고 [eps, 1 − eps] 제한으로 바뀌는 확률도 없어, 항은 %s에서 계산한 F.kl_div의 항과 같습니다.", n.DType)
	case compute.NoteReduction:
		return reductionKO(f, n)
	}
	return ""
}

// mismatchKO is the library's side of a NoteMismatch.
func mismatchKO(f compute.Framework, n compute.Note) string {
	x, y, t := fwShort(n.X), fwShort(n.Y), fwShort(n.Term)
	switch f {
	case compute.FrameworkScipyEntropy:
		return fmt.Sprintf("정규화한 뒤 rel_entr(%s, %s) = %s", x, y, t)
	case compute.FrameworkScipyRelEntr:
		return fmt.Sprintf("rel_entr(%s, %s) = %s", x, y, t)
	case compute.FrameworkScipyKLDiv:
		return fmt.Sprintf("special.kl_div(%s, %s) = %s", x, y, t)
	case compute.FrameworkKeras:
		return fmt.Sprintf("[1e-7, 1]로 잘라낸 항이 %s·log(%s/%s) = %s", x, x, y, t)
	}
	switch {
	case n.X == 0:
		return "마지막에 적용되는 t[p == 0] = 0 때문에 항이 0"
	case n.Y == 0:
		return "t[q == 0] = inf 때문에 항이 +Inf"
	}
	return "항이 " + t
}

// reductionKO says how the library reduces, and whether kl_div divides
// the same way.
func reductionKO(f compute.Framework, n compute.Note) string {
	var own string
	switch {
	case f == compute.FrameworkKeras && n.Batched:
		own = fmt.Sprintf("sum_over_batch_size는 샘플별 손실 %d개의 합을 %s 나눕니다.", n.Count, josa(strconv.Itoa(n.Count), "으로"))
	case f == compute.FrameworkKeras:
		own = "1차원 입력의 샘플별 손실은 나누지 않고 그대로 돌려줍니다."
	case n.Batched:
		own = fmt.Sprintf("보이는 값은 행별 값 %d개의 평균입니다.", n.Count)
	default:
		own = "값은 클래스에 대한 합입니다."
	}
	if !n.HasTorch || (n.Same && !n.Batched) {
		return own
	}
	red := josa("PyTorch의 '"+n.Reduction.String()+"'", "은")
	if n.Same {
		return own + " " + red + " 같은 수로 나눕니다."
	}
	d := compute.FormatFloat(n.Divisor)
	var how string
	switch {
	case n.Reduction == compute.ReductionNone:
		how = "행을 모두 더합니다('none' 출력의 합)."
	case n.Reduction == compute.ReductionSum:
		how = "행을 모두 더합니다."
	case n.Reduction == compute.ReductionMean:
		how = fmt.Sprintf("전체 원소 수 %s 나눕니다.", josa(d, "으로"))
	case n.Reason == compute.DivisorBatch1D:
		how = fmt.Sprintf("1차원 입력의 클래스 수인 size(0) = %s 나눕니다.", josa(d, "으로"))
	case n.Reason == compute.DivisorBatchBroadcast:
		how = fmt.Sprintf("타깃이 배치를 %d행으로 늘렸는데도 input.size(0) = %s 나눕니다.", n.Count, josa(d, "으로"))
	case n.Reason == compute.DivisorScalar:
		how = "0차원 입력을 나누지 않습니다."
	default:
		how = fmt.Sprintf("input.size(0) = %s 나눕니다.", josa(d, "으로"))
	}
	return own + " 반면 " + red + " " + how
}

// torchReasonKO is torchReasonEN in Korean.
func torchReasonKO(s compute.Special) string {
	switch s {
	case compute.SpecialTargetZero:
		return "xlogy(0, 0) = 0"
	case compute.SpecialZeroTimesInf:
		return "p = 0이고 log q = ±∞이면 0·∞는 NaN"
	case compute.SpecialLogTargetZero:
		return "log_target=True에서 p = 0이면 exp(−∞)·(−∞ − log q) = 0·(−∞)"
	case compute.SpecialQZero:
		return "p > 0인데 q = 0"
	case compute.SpecialInputPosInf:
		return "log q = +∞"
	case compute.SpecialNegativeTarget:
		return "음수 p의 로그"
	case compute.SpecialNaNTarget:
		return "p가 NaN"
	case compute.SpecialNaNInput:
		return "log q가 NaN, 즉 q가 음수이거나 NaN"
	case compute.SpecialInfTarget:
		return "p = +∞"
	case compute.SpecialOverflow:
		return "항이 오버플로"
	}
	return ""
}
