package app

// The Gaussian mode's part of the catalogue (uiText.Gauss), and the
// sentences of its input errors, written from GaussError's code and data.

import (
	"errors"
	"fmt"
)

// gaussText holds every string the Gaussian mode shows, in one language:
// uiText.Gauss, so that TestTextsComplete checks that none is empty.
type gaussText struct {
	Title, Lede                                  string
	CaseLegend, CaseNormal, CaseDiag, CaseVAE    string
	PTitle, QTitle                               string // "p = N(μ₁, σ₁²)"
	LabelMu1, LabelSigma1, LabelMu2, LabelSigma2 string
	ListHint                                     string
	LabelMu, LabelLogVar, MatrixHint             string
	Formula, Result, Nats, FullPrecision         string
	SumNote, VAENote                             string
	Breakdown, ColIndex, ShowingTerms, TotalRow  string // ShowingTerms "%d of %d"
	Snippet, SnippetInvalid                      string
	PlotCaption, PlotLabel, PlotUndrawable       string // PlotLabel: p μ, σ, q μ, σ
	FieldValue, FieldRowCol                      string // "%s value %d", "%s row %d, column %d"
	ErrEmpty, ErrEmptyValue, ErrNotNumber        string
	ErrSingle, ErrNotList, ErrParse              string
	ErrScale, ErrLoc, ErrLength, ErrShape        string
}

func gaussEN() gaussText {
	return gaussText{
		Title:          "Gaussian KL divergence",
		Lede:           "The closed form PyTorch uses in torch.distributions.kl_divergence for normal distributions, and the KL term of a variational autoencoder.",
		CaseLegend:     "Compare",
		CaseNormal:     "two univariate normals N(μ₁, σ₁²) ‖ N(μ₂, σ₂²)",
		CaseDiag:       "diagonal multivariate normals, Independent(Normal(μ, σ), 1)",
		CaseVAE:        "the VAE regulariser: N(μ, exp(log σ²)) ‖ N(0, I)",
		PTitle:         "p = N(μ₁, σ₁²)",
		QTitle:         "q = N(μ₂, σ₂²)",
		LabelMu1:       "μ₁, mean of p",
		LabelSigma1:    "σ₁, standard deviation of p (not the variance)",
		LabelMu2:       "μ₂, mean of q",
		LabelSigma2:    "σ₂, standard deviation of q (not the variance)",
		ListHint:       "One value per dimension, separated by commas.",
		LabelMu:        "μ: encoder means, one row per sample",
		LabelLogVar:    "log σ²: encoder log-variances, the same shape",
		MatrixHint:     "Rows on separate lines or separated by ';', values by ','. PyTorch and NumPy printouts work too.",
		Formula:        "Formula",
		Result:         "KL(p ‖ q)",
		Nats:           "nats",
		FullPrecision:  "full precision:",
		SumNote:        "The sum of the per-dimension divergences, as Independent(…, 1) computes it.",
		VAENote:        "Summed over the batch and the latent dimensions, as pytorch/examples vae/main.py does; divide by the batch size for a per-sample value.",
		Breakdown:      "Per-dimension breakdown",
		ColIndex:       "dimension",
		ShowingTerms:   "showing the first %d of %d dimensions; the total uses all of them",
		TotalRow:       "total",
		Snippet:        "The same in PyTorch",
		SnippetInvalid: "# Fix the input above to get the code.",
		PlotCaption:    "Densities of p (solid) and q (dashed)",
		PlotLabel:      "Density plot: p = N(%s, %s²), solid line; q = N(%s, %s²), dashed line",
		PlotUndrawable: "The densities cannot be drawn at this scale.",
		FieldValue:     "%s value %d",
		FieldRowCol:    "%s row %d, column %d",
		ErrEmpty:       "%s is empty",
		ErrEmptyValue:  "%s: empty value (two commas in a row?)",
		ErrNotNumber:   "%s: %q is not a number",
		ErrSingle:      "%s: %d values, but the univariate case takes one number; choose the diagonal case for vectors",
		ErrNotList:     "%s: %d rows of %d values; give one list of values",
		ErrParse:       "%s: %s",
		ErrScale:       "%s = %s: a standard deviation must be positive (PyTorch raises ValueError)",
		ErrLoc:         "%s is NaN (PyTorch raises ValueError)",
		ErrLength:      "%s has %d values but %s has %d; every parameter needs one value per dimension",
		ErrShape:       "μ has shape %s but log σ² has shape %s; they must match",
	}
}

func gaussKO() gaussText {
	return gaussText{
		Title:          "가우시안 KL 발산",
		Lede:           "PyTorch가 정규분포에 대해 torch.distributions.kl_divergence에서 쓰는 닫힌 형식, 그리고 변분 오토인코더(VAE)의 KL 항입니다.",
		CaseLegend:     "비교할 분포",
		CaseNormal:     "일변량 정규분포 두 개 N(μ₁, σ₁²) ‖ N(μ₂, σ₂²)",
		CaseDiag:       "대각 공분산 다변량 정규분포, Independent(Normal(μ, σ), 1)",
		CaseVAE:        "VAE 정규화 항: N(μ, exp(log σ²)) ‖ N(0, I)",
		PTitle:         "p = N(μ₁, σ₁²)",
		QTitle:         "q = N(μ₂, σ₂²)",
		LabelMu1:       "μ₁, p의 평균",
		LabelSigma1:    "σ₁, p의 표준편차 (분산이 아님)",
		LabelMu2:       "μ₂, q의 평균",
		LabelSigma2:    "σ₂, q의 표준편차 (분산이 아님)",
		ListHint:       "차원마다 값 하나, 쉼표로 구분합니다.",
		LabelMu:        "μ: 인코더 평균, 샘플마다 한 행",
		LabelLogVar:    "log σ²: 인코더 로그 분산, 같은 모양",
		MatrixHint:     "행은 줄을 바꾸거나 ';'로, 값은 ','로 구분합니다. PyTorch·NumPy 출력도 됩니다.",
		Formula:        "공식",
		Result:         "KL(p ‖ q)",
		Nats:           "내트(nats)",
		FullPrecision:  "전체 정밀도:",
		SumNote:        "Independent(…, 1)처럼 차원별 발산을 모두 더한 값입니다.",
		VAENote:        "pytorch/examples vae/main.py처럼 배치와 잠재 차원 전체에 대해 더한 값입니다. 샘플당 값은 배치 크기로 나누세요.",
		Breakdown:      "차원별 계산 과정",
		ColIndex:       "차원",
		ShowingTerms:   "차원 %[2]d개 중 처음 %[1]d개 표시; 합계는 모든 차원으로 계산",
		TotalRow:       "합계",
		Snippet:        "PyTorch 코드",
		SnippetInvalid: "# 위의 입력을 고치면 코드가 나옵니다.",
		PlotCaption:    "p(실선)와 q(점선)의 확률밀도",
		PlotLabel:      "확률밀도 그래프: p = N(%s, %s²) 실선, q = N(%s, %s²) 점선",
		PlotUndrawable: "이 크기에서는 확률밀도를 그릴 수 없습니다.",
		FieldValue:     "%s의 %d번째 값",
		FieldRowCol:    "%s %d행 %d열",
		ErrEmpty:       "%s: 비어 있습니다",
		ErrEmptyValue:  "%s: 빈 값입니다 (쉼표가 두 번 연속?)",
		ErrNotNumber:   "%s: %q: 숫자가 아닙니다",
		ErrSingle:      "%s: 값이 %d개이지만 일변량은 숫자 하나만 받습니다. 벡터는 대각 공분산을 고르세요",
		ErrNotList:     "%s: %d행 %d열입니다. 값 목록 하나를 주세요",
		ErrParse:       "%s: %s",
		ErrScale:       "%s = %s: 표준편차는 양수여야 합니다 (PyTorch는 ValueError를 냅니다)",
		ErrLoc:         "%s = NaN: PyTorch는 ValueError를 냅니다",
		ErrLength:      "%s의 값은 %d개인데 %s의 값은 %d개입니다. 모든 매개변수는 차원마다 값이 하나씩 있어야 합니다",
		ErrShape:       "μ의 모양은 %s인데 log σ²의 모양은 %s입니다. 같아야 합니다",
	}
}

// gaussError writes an invalid Gaussian input in language l.
func (t *uiText) gaussError(l lang, e GaussError) string {
	g := &t.Gauss
	switch e.Code {
	case gaussErrEmpty:
		return fmt.Sprintf(g.ErrEmpty, e.Field)
	case gaussErrEmptyValue:
		return fmt.Sprintf(g.ErrEmptyValue, g.where(e))
	case gaussErrNotNumber:
		return fmt.Sprintf(g.ErrNotNumber, g.where(e), e.Token)
	case gaussErrSingle:
		return fmt.Sprintf(g.ErrSingle, e.Field, e.Count)
	case gaussErrNotList:
		return fmt.Sprintf(g.ErrNotList, e.Field, e.Shape[0], e.Shape[1])
	case gaussErrScale:
		return fmt.Sprintf(g.ErrScale, g.where(e), show(e.Value))
	case gaussErrLoc:
		return fmt.Sprintf(g.ErrLoc, g.where(e))
	case gaussErrLength:
		return fmt.Sprintf(g.ErrLength, e.Field, e.Count, e.Other, e.OtherCount)
	case gaussErrShape:
		return fmt.Sprintf(g.ErrShape, gaussShapeText(e.Shape), gaussShapeText(e.OtherShape))
	}
	// gaussErrParse: textparse's own description of the problem.
	return fmt.Sprintf(g.ErrParse, e.Field, t.pasteError(l, e.Err))
}

// where names the value of an error: "σ₁" for the whole field, "σ₁ value
// 2" in a list, "μ row 1, column 2" in a matrix.
func (g *gaussText) where(e GaussError) string {
	switch {
	case e.At.Row > 0:
		return fmt.Sprintf(g.FieldRowCol, e.Field, e.At.Row, e.At.Col)
	case e.At.I > 0:
		return fmt.Sprintf(g.FieldValue, e.Field, e.At.I)
	}
	return e.Field.String()
}

// gaussShapeText spells a matrix's shape as PyTorch prints it: (2, 3).
func gaussShapeText(s [2]int) string { return fmt.Sprintf("(%d, %d)", s[0], s[1]) }

// gaussMessages writes err, which may join several errors, in language
// l: one message per error. Errors that are not a GaussError (an internal
// error) keep their Go text.
func (t *uiText) gaussMessages(l lang, err error) []string {
	var msgs []string
	for _, e := range splitErrors(err) {
		var ge GaussError
		if errors.As(e, &ge) {
			msgs = append(msgs, t.gaussError(l, ge))
			continue
		}
		msgs = append(msgs, e.Error())
	}
	return msgs
}
