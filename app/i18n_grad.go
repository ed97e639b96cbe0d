package app

// The gradient tab's part of the catalogue (uiText.Grad), and the
// sentences of its special-case codes (compute.GradNote).

import (
	"fmt"

	"github.com/klcalc/klcalc/compute"
)

// gradText holds every string the gradient tab shows, in one language:
// uiText.Grad, so that TestTextsComplete checks that none is empty.
type gradText struct {
	Heading, Lede                               string // Lede: dtype
	ScaleSum, ScaleMean, ScaleBatch, ScaleNone  string // the g each term receives: value, divisor
	ScaleT2                                     string // " × T² = %s"
	InputTitle, TargetProb, TargetLog           string
	QLogitsTitle, PLogitsTitle                  string // T
	RowNorm, Norm, Shown, Download, Invalid     string
	NoteTargetZero, NoteLossNaN, NoteInfinite   string // counts
	NoteNegTarget, NoteNaN, NoteRowSpread       string
	Differs112, Same112                         string
	ChartTitle, ChartGrad, ChartDiff, ChartNote string
	ChartLabel, ClassGrad, ClassDiff, TooMany   string
	SweepTitle, SweepPlain, SweepT2, SweepNote  string
	SweepLabel, SweepNow, SweepPOther           string
	Switch                                      string
}

func gradEN() gradText {
	return gradText{
		Heading:        "Gradients",
		Lede:           "What loss.backward() sends back through F.kl_div, element by element, in %s: PyTorch 1.13's bits, checked against its autograd.",
		ScaleSum:       "Each term receives ∂L/∂term = %s: 'sum' passes 1 on.",
		ScaleMean:      "Each term receives ∂L/∂term = %s: 'mean' divides by numel = %s.",
		ScaleBatch:     "Each term receives ∂L/∂term = %s: 'batchmean' divides by input.size(0) = %s.",
		ScaleNone:      "'none' has no single loss: these are the gradients of loss.sum(), as loss.backward(torch.ones_like(loss)) gives (∂L/∂term = %s).",
		ScaleT2:        " The loss is multiplied by T² = %s, and so is every gradient.",
		InputTitle:     "∂L/∂input (input = log Q)",
		TargetProb:     "∂L/∂target (target = P)",
		TargetLog:      "∂L/∂target (target = log P, log_target=True)",
		QLogitsTitle:   "∂L/∂logits of Q, through log_softmax(q / %s)",
		PLogitsTitle:   "∂L/∂logits of P, through log_softmax(p / %s)",
		RowNorm:        "‖row‖",
		Norm:           "‖∇‖ over all values: %s",
		Shown:          "The first %d of %d values are shown; the CSV has all of them.",
		Download:       "Gradients (CSV)",
		Invalid:        "Fix the input to see the gradients.",
		NoteTargetZero: "∂L/∂target is NaN where p = 0 (%s): xlogy's backward divides p by p. PyTorch 1.12 returned 0 here (pytorch#89558). It matters only when the target requires grad, as a teacher being trained does.",
		NoteLossNaN:    "The loss is NaN at %s (0·∞), yet ∂L/∂input there is −0: a NaN loss does not reach the input's gradient, so an optimiser takes a finite step while the logged loss is NaN.",
		NoteInfinite:   "q = 0 where p > 0 (%s): the loss is +∞ and ∂L/∂target is ±∞, but ∂L/∂input = −p·g stays finite.",
		NoteNegTarget:  "p < 0 (%s): ∂L/∂input = −p·g is positive, where PyTorch 1.12 returned 0; ∂L/∂target is NaN.",
		NoteNaN:        "A NaN, or a target of +∞, reaches %s.",
		NoteRowSpread:  "∂L/∂logits = G − softmax·ΣG over each row, so one NaN or ±∞ makes its whole row NaN (%s).",
		Differs112:     "PyTorch 1.12 gives a different value at %s: it had a kernel of its own for kl_div's backward; since 1.13 autograd differentiates the formula (pytorch#80334).",
		Same112:        "PyTorch 1.12 gives the same values here.",
		ChartTitle:     "Per class%s: the gradient next to P − Q",
		ChartGrad:      "%s per class",
		ChartDiff:      "P − Q per class",
		ChartNote:      "Through log_softmax the gradient is (Q − P)·g/T per class: P − Q turned over and scaled. Where Q is above P the logit is pushed down.",
		ChartLabel:     "%s per class%s: %d classes, scale %s to %s",
		ClassGrad:      "class %d: gradient %s",
		ClassDiff:      "class %d: P − Q = %s",
		TooMany:        "The per-class chart draws up to %d classes; this row has %d. The tables and the CSV have every value.",
		SweepTitle:     "‖∂L/∂z‖ against the temperature",
		SweepPlain:     "F.kl_div alone",
		SweepT2:        "× T² (Hinton et al., 2015)",
		SweepNote:      "With Q's logits (and P's, when they are logits) divided by T from 1 to 20: without T² the gradient shrinks like 1/T²; multiplied by T² it stays level, which is why distillation scales the soft loss.",
		SweepLabel:     "Gradient norm against the temperature, log scale: %s at T = 1, %s at T = 20; with T²: %s at T = 20",
		SweepNow:       "now T = %s",
		SweepPOther:    "P is not logits, so only Q's temperature varies.",
		Switch:         "Multiply the loss by T² = %s (Hinton et al., 2015)",
	}
}

func gradKO() gradText {
	return gradText{
		Heading:        "기울기",
		Lede:           "loss.backward()가 F.kl_div를 거쳐 돌려보내는 기울기를 원소마다 %s 정밀도로 보여 줍니다. PyTorch 1.13 autograd와 비트까지 같습니다.",
		ScaleSum:       "각 항이 받는 기울기: ∂L/∂항 = %s. 'sum'은 1을 그대로 넘깁니다.",
		ScaleMean:      "각 항이 받는 기울기: ∂L/∂항 = %s. 'mean'은 원소 수(%s)로 나눕니다.",
		ScaleBatch:     "각 항이 받는 기울기: ∂L/∂항 = %s. 'batchmean'은 input.size(0)(= %s)로 나눕니다.",
		ScaleNone:      "'none'에는 하나의 손실이 없으므로, loss.backward(torch.ones_like(loss))처럼 loss.sum()의 기울기를 보여 줍니다(∂L/∂항 = %s).",
		ScaleT2:        " 손실에 T²(= %s)를 곱하므로 모든 기울기도 그만큼 커집니다.",
		InputTitle:     "∂L/∂input (input = log Q)",
		TargetProb:     "∂L/∂target (target = P)",
		TargetLog:      "∂L/∂target (target = log P, log_target=True)",
		QLogitsTitle:   "Q 로짓의 기울기 ∂L/∂logits, log_softmax(q / %s)를 거친 값",
		PLogitsTitle:   "P 로짓의 기울기 ∂L/∂logits, log_softmax(p / %s)를 거친 값",
		RowNorm:        "‖행‖",
		Norm:           "전체 값의 ‖∇‖: %s",
		Shown:          "값 %[2]d개 중 처음 %[1]d개를 보여 줍니다. CSV에는 모두 들어 있습니다.",
		Download:       "기울기 (CSV)",
		Invalid:        "입력을 고치면 기울기가 나타납니다.",
		NoteTargetZero: "p = 0인 곳(%s)에서 ∂L/∂target은 NaN입니다. xlogy의 역전파가 p를 p로 나누기 때문입니다. PyTorch 1.12는 여기서 0을 돌려주었습니다(pytorch#89558). target이 기울기를 받을 때, 예를 들어 교사 모델도 학습할 때만 문제가 됩니다.",
		NoteLossNaN:    "%s에서 손실은 NaN(0·∞)인데 ∂L/∂input은 −0입니다. NaN 손실이 입력의 기울기에 닿지 않으므로, 기록된 손실이 NaN이어도 옵티마이저는 유한한 걸음을 내딛습니다.",
		NoteInfinite:   "p > 0인데 q = 0인 곳(%s): 손실은 +∞, ∂L/∂target은 ±∞이지만 ∂L/∂input = −p·g는 유한합니다.",
		NoteNegTarget:  "p < 0인 곳(%s): ∂L/∂input = −p·g는 양수입니다. PyTorch 1.12는 0을 돌려주었습니다. ∂L/∂target은 NaN입니다.",
		NoteNaN:        "NaN 또는 +∞인 target이 %s에 닿습니다.",
		NoteRowSpread:  "∂L/∂logits = G − softmax·ΣG를 행마다 계산하므로, NaN이나 ±∞ 하나가 그 행 전체를 NaN으로 만듭니다(%s).",
		Differs112:     "PyTorch 1.12는 %s에서 다른 값을 줍니다. 1.12에는 kl_div 역전파 전용 커널이 있었고, 1.13부터는 autograd가 식을 그대로 미분합니다(pytorch#80334).",
		Same112:        "여기서는 PyTorch 1.12도 같은 값을 줍니다.",
		ChartTitle:     "클래스별%s: 기울기와 P − Q",
		ChartGrad:      "클래스별 %s",
		ChartDiff:      "클래스별 P − Q",
		ChartNote:      "log_softmax를 거친 기울기는 클래스마다 (Q − P)·g/T로, P − Q를 뒤집어 축소한 모양입니다. Q가 P보다 큰 클래스의 로짓은 아래로 밀립니다.",
		ChartLabel:     "클래스별 %s%s: 클래스 %d개, 눈금 %s ~ %s",
		ClassGrad:      "클래스 %d: 기울기 %s",
		ClassDiff:      "클래스 %d: P − Q = %s",
		TooMany:        "클래스별 차트는 %d개까지 그립니다. 이 행에는 %d개가 있습니다. 표와 CSV에는 모든 값이 있습니다.",
		SweepTitle:     "온도에 따른 ‖∂L/∂z‖",
		SweepPlain:     "F.kl_div만",
		SweepT2:        "× T² (Hinton 외, 2015)",
		SweepNote:      "Q의 로짓(P도 로짓이면 P의 로짓도)을 T = 1부터 20까지로 나눈 결과입니다. T²를 곱하지 않으면 기울기가 1/T²처럼 줄어들고, T²를 곱하면 거의 일정합니다. 그래서 증류에서는 소프트 손실에 T²를 곱합니다.",
		SweepLabel:     "온도에 따른 기울기 크기(로그 눈금): T = 1에서 %s, T = 20에서 %s, T²를 곱하면 T = 20에서 %s",
		SweepNow:       "현재 T = %s",
		SweepPOther:    "P가 로짓이 아니므로 Q의 온도만 바뀝니다.",
		Switch:         "손실에 T² = %s 곱하기 (Hinton 외, 2015)",
	}
}

// gradNote is the sentence of a gradient special case found at the
// given places.
func (g *gradText) gradNote(n compute.GradNote, where string) string {
	switch n {
	case compute.GradNoteTargetZero:
		return fmt.Sprintf(g.NoteTargetZero, where)
	case compute.GradNoteLossNaN:
		return fmt.Sprintf(g.NoteLossNaN, where)
	case compute.GradNoteInfinite:
		return fmt.Sprintf(g.NoteInfinite, where)
	case compute.GradNoteNegativeTarget:
		return fmt.Sprintf(g.NoteNegTarget, where)
	case compute.GradNoteNaN:
		return fmt.Sprintf(g.NoteNaN, where)
	case compute.GradNoteRowSpread:
		return fmt.Sprintf(g.NoteRowSpread, where)
	}
	return ""
}
