package app

// The distillation tab's part of the catalogue (uiText.Distill), and the
// sentences of compute/distill's note codes.

import (
	"fmt"

	"github.com/klcalc/klcalc/compute/distill"
)

// distillText holds every string the distillation tab shows, in one
// language: uiText.Distill, so that TestTextsComplete checks that none is
// empty. Names and Differs are indexed by distill.Flavor.
type distillText struct {
	Heading, Lede, Float64Note                   string
	LabelBeta, LabelMask, MaskHint, FlavorLegend string
	ColFlavor, ColValue, ColDivisor, ColTokens   string
	Names, Differs                               [7]string
	Source, SourceCommit, Definition, HowDiffers string // Source: project version, file, function
	Converted, NotConverted                      string // NotConverted: T
	ErrShape, ErrMaskCount, ErrMaskValue         string
	ErrBeta                                      string
	NoteNoRows, NoteAllMasked, NoteMaskIgnored   string
	NoteDividesByClasses, NoteOmitsEntropy       string // NoteOmitsEntropy: the entropy
	NoteInfMasked, NoteBetaEndpoint, NoteTemp    string
	Snippet, NotDivided                          string
}

func distillEN() distillText {
	return distillText{
		Heading:      "Distillation losses that libraries call “KL”",
		Lede:         "The same teacher (P) and student (Q) logits, as each library's loss computes them. Pick one for its definition, how it differs from F.kl_div, and its code.",
		Float64Note:  "Computed in float64. torchtune and Liger compute in float32 and TRL in the logits' dtype, so a training run can differ in the last digits.",
		LabelBeta:    "β, GKD's mixture weight (0: forward KL, 1: reverse KL; TRL's default 0.5)",
		LabelMask:    "Token mask: one 1 (counted) or 0 (a label of −100, ignored) per row",
		MaskHint:     "Empty: every row counts.",
		FlavorLegend: "Flavour",
		ColFlavor:    "flavour",
		ColValue:     "value (nats)",
		ColDivisor:   "divided by",
		ColTokens:    "tokens",
		Names: [7]string{
			distill.KLDiv:        "PyTorch F.kl_div, batchmean",
			distill.Hinton:       "Hinton's soft loss, × T²",
			distill.TorchtuneFKL: "torchtune ForwardKLLoss",
			distill.TorchtuneRKL: "torchtune ReverseKLLoss",
			distill.GKD:          "TRL GKD, generalized JSD(β)",
			distill.MaskedFKL:    "forward KL, token mask",
			distill.MaskedRKL:    "reverse KL, token mask",
		},
		Differs: [7]string{
			distill.KLDiv:        "The reference. 'batchmean' divides by input.size(0): the rows, or the classes for a single 1-D row. It ignores the mask.",
			distill.Hinton:       "kl_div times T², so that the soft loss keeps its gradient's size as T changes. TRL and Liger do not multiply by T².",
			distill.TorchtuneFKL: "Not a KL: the cross-entropy H(p_t, q_s), larger than the forward KL by the teacher's entropy. The student's gradient is the same. Averaged over unmasked tokens; 0 when all are masked.",
			distill.TorchtuneRKL: "The reverse KL(q_s ‖ p_t) per unmasked token, except that a term with an infinite logit is 0: a class the teacher rules out (−∞) but the student keeps gives a finite value, even a negative one.",
			distill.GKD:          "The generalized Jensen–Shannon divergence between teacher and student, per unmasked token: its 'batchmean' divides by tokens, not rows. β = 0 and 1 switch to the forward and reverse KL; between them it is smaller than either. Liger's LigerJSD computes the same.",
			distill.MaskedFKL:    "KL(p_t ‖ q_s) summed over each token's classes and averaged over the tokens whose label is not −100: what a training loop with ignore_index means by KL per token.",
			distill.MaskedRKL:    "KL(q_s ‖ p_t) per counted token: the mode-seeking direction, as MiniLLM and on-policy distillation use it.",
		},
		Source:               "Definition read from %s",
		SourceCommit:         "commit %s",
		Definition:           "Definition",
		HowDiffers:           "How it differs",
		Converted:            "P and Q are not both logits at one temperature, so their log-probabilities are passed as the logits, at T = 1 (log_softmax gives log-probabilities back unchanged).",
		NotConverted:         "P is the teacher's logits and Q the student's, both divided by T = %s.",
		ErrShape:             "The flavours take P (teacher) and Q (student) of the same shape, one row per token: P is %s, Q is %s.",
		ErrMaskCount:         "The mask has %d values for %d rows: give one 0 or 1 per row.",
		ErrMaskValue:         "Mask value %d is %q: use 1 (counted) or 0 (ignored).",
		ErrBeta:              "β must be a number from 0 to 1, not %q.",
		NoteNoRows:           "There is no row to average over.",
		NoteAllMasked:        "The mask counts no token.",
		NoteMaskIgnored:      "This loss ignores the mask: every row counts.",
		NoteDividesByClasses: "A single 1-D row: 'batchmean' divides by its length, the number of classes. Give P and Q as one row of a 2-D tensor (dims=2) to divide by 1.",
		NoteOmitsEntropy:     "It includes the teacher's entropy H(p_t) = %s nats per token, which a KL divergence does not.",
		NoteInfMasked:        "An infinite logit's term was set to 0 (torchtune's masked_fill).",
		NoteBetaEndpoint:     "β = 0 or 1: the plain forward or reverse KL, not the limit of the mixture, which tends to 0.",
		NoteTemp:             "The temperature is 0, negative or not finite: computed as given, as PyTorch does.",
		Snippet:              "The same in PyTorch",
		NotDivided:           "not divided",
	}
}

func distillKO() distillText {
	return distillText{
		Heading:      "라이브러리들이 “KL”이라 부르는 증류 손실",
		Lede:         "같은 교사(P)와 학생(Q) 로짓을 라이브러리마다의 손실로 계산합니다. 하나를 고르면 정의, F.kl_div와 다른 점, 코드를 보여 줍니다.",
		Float64Note:  "float64로 계산합니다. torchtune과 Liger는 float32, TRL은 로짓의 dtype으로 계산하므로 실제 학습 값은 마지막 자릿수가 다를 수 있습니다.",
		LabelBeta:    "β, GKD의 혼합 가중치 (0: 순방향 KL, 1: 역방향 KL, TRL 기본값 0.5)",
		LabelMask:    "토큰 마스크: 행마다 1(포함) 또는 0(라벨 −100, 무시) 하나씩",
		MaskHint:     "비워 두면 모든 행을 셉니다.",
		FlavorLegend: "손실 종류",
		ColFlavor:    "종류",
		ColValue:     "값 (nats)",
		ColDivisor:   "나눈 수",
		ColTokens:    "토큰 수",
		Names: [7]string{
			distill.KLDiv:        "PyTorch F.kl_div, batchmean",
			distill.Hinton:       "Hinton의 소프트 손실, × T²",
			distill.TorchtuneFKL: "torchtune ForwardKLLoss",
			distill.TorchtuneRKL: "torchtune ReverseKLLoss",
			distill.GKD:          "TRL GKD, 일반화 JSD(β)",
			distill.MaskedFKL:    "순방향 KL, 토큰 마스크",
			distill.MaskedRKL:    "역방향 KL, 토큰 마스크",
		},
		Differs: [7]string{
			distill.KLDiv:        "기준값입니다. 'batchmean'은 input.size(0), 곧 행 수(1차원 한 행이면 클래스 수)로 나눕니다. 마스크는 무시합니다.",
			distill.Hinton:       "kl_div에 T²를 곱해, T가 바뀌어도 소프트 손실의 기울기 크기가 유지되게 합니다. TRL과 Liger는 T²를 곱하지 않습니다.",
			distill.TorchtuneFKL: "KL이 아니라 교차 엔트로피 H(p_t, q_s)입니다. 순방향 KL보다 교사의 엔트로피만큼 큽니다. 학생의 기울기는 같습니다. 마스크되지 않은 토큰으로 평균하며, 모두 마스크되면 0입니다.",
			distill.TorchtuneRKL: "마스크되지 않은 토큰마다의 역방향 KL(q_s ‖ p_t)입니다. 다만 로짓이 무한대인 항은 0이 되므로, 교사가 배제한(−∞) 클래스에 학생이 확률을 두면 유한한 값, 심지어 음수가 나옵니다.",
			distill.GKD:          "교사와 학생 사이의 일반화 젠슨–섀넌 발산을 마스크되지 않은 토큰마다 평균합니다. 'batchmean'이 행이 아니라 토큰 수로 나눕니다. β = 0과 1에서는 순방향·역방향 KL로 바뀌고, 그 사이에서는 두 KL보다 작습니다. Liger의 LigerJSD도 같은 값을 계산합니다.",
			distill.MaskedFKL:    "토큰마다 클래스에 걸쳐 더한 KL(p_t ‖ q_s)을 라벨이 −100이 아닌 토큰으로 평균합니다. ignore_index를 쓰는 학습 루프가 말하는 토큰당 KL입니다.",
			distill.MaskedRKL:    "포함된 토큰마다의 KL(q_s ‖ p_t)입니다. MiniLLM과 온폴리시 증류가 쓰는, 최빈값을 좇는 방향입니다.",
		},
		Source:               "정의 출처: %s",
		SourceCommit:         "커밋 %s",
		Definition:           "정의",
		HowDiffers:           "다른 점",
		Converted:            "P와 Q가 같은 온도의 로짓이 아니므로 로그 확률을 로짓 자리에 넣고 T = 1로 계산합니다(로그 확률의 log_softmax는 그대로입니다).",
		NotConverted:         "P는 교사, Q는 학생의 로짓이며 둘 다 온도 T(= %s)로 나눕니다.",
		ErrShape:             "증류 손실은 모양이 같은 P(교사)와 Q(학생)를 토큰마다 한 행씩 받습니다. P는 %s, Q는 %s입니다.",
		ErrMaskCount:         "마스크 값은 %d개인데 행은 %d개입니다. 행마다 0이나 1을 하나씩 주세요.",
		ErrMaskValue:         "마스크의 %d번째 값 %q: 1(포함)이나 0(무시)을 쓰세요.",
		ErrBeta:              "β는 0에서 1 사이의 수여야 합니다. 입력: %q",
		NoteNoRows:           "평균할 행이 없습니다.",
		NoteAllMasked:        "마스크가 토큰을 하나도 세지 않습니다.",
		NoteMaskIgnored:      "이 손실은 마스크를 무시하고 모든 행을 셉니다.",
		NoteDividesByClasses: "1차원 한 행입니다. 'batchmean'은 그 길이, 곧 클래스 수로 나눕니다. 1로 나누려면 P와 Q를 2차원 텐서의 한 행으로 주세요(dims=2).",
		NoteOmitsEntropy:     "KL 발산에는 없는 교사의 엔트로피 H(p_t) = 토큰당 %s nats가 들어 있습니다.",
		NoteInfMasked:        "무한대 로짓의 항을 0으로 바꿨습니다(torchtune의 masked_fill).",
		NoteBetaEndpoint:     "β = 0 또는 1: 혼합식의 극한(0으로 감)이 아니라 순방향·역방향 KL 그대로입니다.",
		NoteTemp:             "온도가 0, 음수이거나 유한하지 않습니다. PyTorch처럼 주어진 대로 계산합니다.",
		Snippet:              "PyTorch로 같은 계산",
		NotDivided:           "나누지 않음",
	}
}

// note is the sentence of one distill note code.
func (d *distillText) note(n distill.Note, v distill.Value) string {
	switch n {
	case distill.NoteNoRows:
		return d.NoteNoRows
	case distill.NoteAllMasked:
		return d.NoteAllMasked
	case distill.NoteMaskIgnored:
		return d.NoteMaskIgnored
	case distill.NoteDividesByClasses:
		return d.NoteDividesByClasses
	case distill.NoteOmitsEntropy:
		return fmt.Sprintf(d.NoteOmitsEntropy, show(v.Entropy))
	case distill.NoteInfMasked:
		return d.NoteInfMasked
	case distill.NoteBetaEndpoint:
		return d.NoteBetaEndpoint
	case distill.NoteTemperature:
		return d.NoteTemp
	}
	return ""
}
