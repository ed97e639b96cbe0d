package app

// The RL mode's part of the catalogue (uiText.RL), and the sentences of its
// input errors, written from RLError's code and data.

import (
	"errors"
	"fmt"
)

// rlText holds every string the RL mode shows, in one language: uiText.RL,
// so that TestTextsComplete checks that none is empty.
type rlText struct {
	Title, Lede                                      string
	LabelLogP, LabelRef, LabelMask, LabelSeq, Hint   string
	PresetLegend                                     string
	PolicyRef, OldNew                                string
	EstK1, EstK2, EstK3, EstAbs, EstK3Plus           string
	Reduced, Alternatives, PerToken, PerSeq          string // Reduced: the preset's name
	ColToken, ColSeq, ColCounted, ColLogRatio        string
	ColTokens, Yes, No, Clamped, NotOffered          string
	NegK1, NoNegK1                                   string // NegK1: count, total, percent
	CtlTitle, CtlBeta, CtlTarget, CtlSteps           string
	CtlHorizon, CtlStep, CtlUnit, CtlFed             string
	Snippet, ShownTokens                             string
	ErrValue, ErrLength, ErrEmpty, ErrMask, ErrSeq   string
	FieldNames                                       [7]string
	LabelPi, LabelPiRef, ExactTitle, Exact, ExactErr string
	ExactHint, ErrRows, ColExact                     string
	PasteLabel, FileLabel, ErrColumns                string
}

func rlEN() rlText {
	return rlText{
		Title:        "KL from sampled tokens: PPO, RLHF, GRPO",
		Lede:         "RL trainers do not call F.kl_div over whole distributions: they estimate the KL from the log-probabilities of the tokens they sampled, and every framework does it differently. Paste the two log-probability columns to see each estimator per token, per sequence, and reduced as the framework logs it.",
		LabelLogP:    "log π(x): the policy's log-probability of each sampled token",
		LabelRef:     "log π_ref(x): the reference policy's (the old policy's for CleanRL and SB3)",
		LabelMask:    "Mask: 1 counts a token, 0 is padding (optional)",
		LabelSeq:     "Sequence id of each token (optional; sequences may have different lengths)",
		Hint:         "One value per token, separated by commas, spaces or line breaks.",
		PresetLegend: "Framework",
		PolicyRef:    "estimates KL(π ‖ π_ref), with samples from π",
		OldNew:       "estimates KL(π_old ‖ π_new), with samples from π_old",
		EstK1:        "k1 = −log r: unbiased, high variance, negative on about half the samples",
		EstK2:        "k2 = ½(log r)²: biased, lower variance",
		EstK3:        "k3 = (r − 1) − log r: unbiased and never negative",
		EstAbs:       "abs = |log r|",
		EstK3Plus:    "k3+: k3's value with k2's gradient (verl's straight-through variant)",
		Reduced:      "As %s logs it",
		Alternatives: "Other reductions",
		PerToken:     "Per token",
		PerSeq:       "Per sequence",
		ColToken:     "token",
		ColSeq:       "seq",
		ColCounted:   "counted",
		ColLogRatio:  "log r",
		ColTokens:    "tokens",
		Yes:          "yes",
		No:           "no",
		Clamped:      "clamped",
		NotOffered:   "not offered by this framework",
		NegK1:        "k1 < 0 on %d of %d counted tokens (%s): it is an unbiased estimate, so single tokens, and even a batch's mean, can be negative, while the true KL is ≥ 0. k3 is never negative (in float32, rounding can leave it a few 1e-8 below 0).",
		NoNegK1:      "k1 is not negative on any counted token here.",
		CtlTitle:     "Adaptive KL controller (Ziegler et al., 2019)",
		CtlBeta:      "β, the KL coefficient now",
		CtlTarget:    "target KL",
		CtlSteps:     "n_steps of this update",
		CtlHorizon:   "horizon",
		CtlStep:      "e = clip(KL / target − 1, −0.2, 0.2) = %s; β ← β·(1 + e·n_steps / horizon) = %s",
		CtlUnit:      "%s feeds the controller %s. The same KL is %s as a per-token mean and %s as a per-sequence sum here, so a target of one framework means something else in another.",
		CtlFed:       "the KL it logs",
		Snippet:      "The same in PyTorch",
		ShownTokens:  "The first %d of %d tokens are shown; the sums use all of them.",
		ErrValue:     "%s, value %d: %q is not a number.",
		ErrLength:    "%s has %d values; it needs %d, one per token.",
		ErrEmpty:     "%s is empty: paste one log-probability per sampled token.",
		ErrMask:      "Mask, value %d: %q must be 1 or 0.",
		ErrSeq:       "Sequence ids, value %d: %q is not a whole number.",
		FieldNames:   [7]string{"log π", "log π_ref", "The mask", "The sequence ids", "The controller", "π's logits", "π_ref's logits"},
		LabelPi:      "π's logits (or log-probabilities) at each position, one row per token (optional)",
		LabelPiRef:   "π_ref's logits at each position, one row per token",
		ExactHint:    "With both, the page computes the exact KL(π ‖ π_ref) per token, F.kl_div(log_softmax(π_ref), log_softmax(π), log_target=True) summed over the vocabulary, and each estimate's error against it. Rows separated by ';' or line breaks.",
		ExactTitle:   "Exact KL(π ‖ π_ref), reduced as %s does: ",
		Exact:        "error against the exact KL: %s",
		ExactErr:     "%s has %d rows; it needs %d, one per token.",
		ErrRows:      "%s: %s",
		ColExact:     "exact",
		PasteLabel:   "Paste columns, one row per token: CSV or TSV with a header (logp, ref, mask, seq) or in that order; or drop a file here",
		FileLabel:    "or choose a file:",
		ErrColumns:   "The pasted text has %d column(s): it needs at least logp and ref (a header names them; without one they come first).",
	}
}

func rlKO() rlText {
	return rlText{
		Title:        "샘플 토큰으로 추정하는 KL: PPO, RLHF, GRPO",
		Lede:         "RL 학습기는 전체 분포에 F.kl_div를 쓰지 않고, 샘플한 토큰의 로그 확률로 KL을 추정합니다. 그 방식은 프레임워크마다 다릅니다. 두 로그 확률 열을 붙여 넣으면 추정량마다 토큰별, 시퀀스별 값과 프레임워크가 기록하는 방식으로 줄인 값을 보여 줍니다.",
		LabelLogP:    "log π(x): 샘플한 각 토큰의 정책 로그 확률",
		LabelRef:     "log π_ref(x): 참조 정책의 로그 확률 (CleanRL·SB3에서는 이전 정책)",
		LabelMask:    "마스크: 1은 포함, 0은 패딩 (선택)",
		LabelSeq:     "토큰마다의 시퀀스 id (선택, 시퀀스 길이는 달라도 됩니다)",
		Hint:         "토큰마다 값 하나씩, 쉼표·공백·줄바꿈으로 구분합니다.",
		PresetLegend: "프레임워크",
		PolicyRef:    "π에서 뽑은 샘플로 KL(π ‖ π_ref)을 추정합니다",
		OldNew:       "π_old에서 뽑은 샘플로 KL(π_old ‖ π_new)을 추정합니다",
		EstK1:        "k1 = −log r: 비편향, 분산이 크고 샘플의 절반쯤에서 음수",
		EstK2:        "k2 = ½(log r)²: 편향, 분산이 작음",
		EstK3:        "k3 = (r − 1) − log r: 비편향이고 음수가 되지 않음",
		EstAbs:       "abs = |log r|",
		EstK3Plus:    "k3+: 값은 k3, 기울기는 k2 (verl의 straight-through 변형)",
		Reduced:      "%s 기록 방식",
		Alternatives: "다른 축약 방식",
		PerToken:     "토큰별",
		PerSeq:       "시퀀스별",
		ColToken:     "토큰",
		ColSeq:       "시퀀스",
		ColCounted:   "포함",
		ColLogRatio:  "log r",
		ColTokens:    "토큰 수",
		Yes:          "예",
		No:           "아니오",
		Clamped:      "잘림",
		NotOffered:   "이 프레임워크에는 없음",
		NegK1:        "포함된 토큰 %[2]d개 중 %[1]d개(%[3]s)에서 k1 < 0입니다. k1은 비편향 추정량이라 토큰 하나하나, 심지어 배치 평균도 음수일 수 있지만 실제 KL은 0 이상입니다. k3는 음수가 되지 않습니다(float32에서는 반올림으로 0보다 1e-8 정도 작을 수 있습니다).",
		NoNegK1:      "여기서는 포함된 토큰 중 k1이 음수인 것이 없습니다.",
		CtlTitle:     "적응형 KL 조절기 (Ziegler 외, 2019)",
		CtlBeta:      "지금의 KL 계수 β",
		CtlTarget:    "목표 KL",
		CtlSteps:     "이번 업데이트의 n_steps",
		CtlHorizon:   "horizon",
		CtlStep:      "e = clip(KL / 목표 − 1, −0.2, 0.2) = %s, β ← β·(1 + e·n_steps / horizon) = %s",
		CtlUnit:      "%s에서 조절기에 들어가는 값: %s. 여기서 같은 KL이 토큰 평균으로는 %s, 시퀀스 합으로는 %s이므로, 한 프레임워크의 목표값은 다른 프레임워크에서 다른 뜻이 됩니다.",
		CtlFed:       "기록하는 KL",
		Snippet:      "PyTorch로 같은 계산",
		ShownTokens:  "토큰 %[2]d개 중 처음 %[1]d개를 보여 줍니다. 합계는 모두 사용합니다.",
		ErrValue:     "%s의 %d번째 값 %q: 수가 아닙니다.",
		ErrLength:    "%s의 값은 %d개인데, 토큰마다 하나씩 %d개가 있어야 합니다.",
		ErrEmpty:     "%s 열이 비어 있습니다. 샘플한 토큰마다 로그 확률을 하나씩 붙여 넣으세요.",
		ErrMask:      "마스크의 %d번째 값 %q: 1이나 0이어야 합니다.",
		ErrSeq:       "시퀀스 id의 %d번째 값 %q: 정수가 아닙니다.",
		FieldNames:   [7]string{"log π", "log π_ref", "마스크", "시퀀스 id", "조절기", "π 로짓", "π_ref 로짓"},
		LabelPi:      "위치마다의 π 로짓(또는 로그 확률), 토큰마다 한 행 (선택)",
		LabelPiRef:   "위치마다의 π_ref 로짓, 토큰마다 한 행",
		ExactHint:    "둘 다 주면 토큰마다 정확한 KL(π ‖ π_ref), 곧 어휘 전체에 걸쳐 더한 F.kl_div(log_softmax(π_ref), log_softmax(π), log_target=True)와 각 추정값의 오차를 계산합니다. 행은 ';'이나 줄바꿈으로 구분합니다.",
		ExactTitle:   "정확한 KL(π ‖ π_ref), %s 방식으로 축약: ",
		Exact:        "정확한 KL과의 오차: %s",
		ExactErr:     "%s의 행은 %d개인데, 토큰마다 한 행씩 %d개가 있어야 합니다.",
		ErrRows:      "%s: %s",
		ColExact:     "정확값",
		PasteLabel:   "열 붙여넣기, 토큰마다 한 행: 헤더(logp, ref, mask, seq)가 있는 CSV·TSV 또는 그 순서의 열. 파일을 여기에 끌어다 놓아도 됩니다",
		FileLabel:    "또는 파일 선택:",
		ErrColumns:   "붙여 넣은 텍스트의 열은 %d개입니다. logp와 ref 열이 있어야 합니다(헤더로 이름을 붙이거나, 헤더가 없으면 맨 앞에 둡니다).",
	}
}

// rlError is the sentence of one RLError.
func (r *rlText) rlError(e *RLError) string {
	name := r.FieldNames[e.Field]
	switch {
	case e.Field == rlFieldMask && e.Index >= 0:
		return fmt.Sprintf(r.ErrMask, e.Index+1, e.Text)
	case e.Field == rlFieldSeq && e.Index >= 0:
		return fmt.Sprintf(r.ErrSeq, e.Index+1, e.Text)
	case e.Index >= 0:
		return fmt.Sprintf(r.ErrValue, name, e.Index+1, e.Text)
	case e.Want == 1 && e.Count == 0:
		return fmt.Sprintf(r.ErrEmpty, name)
	}
	if e.Field == rlFieldPi || e.Field == rlFieldPiRef {
		if e.Text != "" { // the parser's message, already in the reader's language
			return fmt.Sprintf(r.ErrRows, name, e.Text)
		}
		return fmt.Sprintf(r.ExactErr, name, e.Count, e.Want)
	}
	return fmt.Sprintf(r.ErrLength, name, e.Count, e.Want)
}

// columnsError is the sentence of a refused paste of columns.
func (r *rlText) columnsError(l lang, err error) string {
	var ce *rlColumnsError
	if errors.As(err, &ce) {
		return fmt.Sprintf(r.ErrColumns, ce.Found)
	}
	return texts(l).pastedTextError(l, err)
}
