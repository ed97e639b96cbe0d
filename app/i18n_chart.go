package app

// The charts' part of the catalogue (uiText.Chart).

import (
	"strconv"

	"github.com/klcalc/klcalc/compute"
)

// chartText holds the charts' strings in one language: uiText.Chart,
// so that TestTextsComplete checks that none is empty.
type chartText struct {
	Heading, Where, RowN, RowDrawn, Shown, NotDrawn, SeeBreakdown string
	ClassPQ, ClassTerm                                            string
	PQLabel, OffScale, PQTitle, LegendP, LegendQ, LegendClamped   string
	TermsLabel, InfTerms, NaNTerms, TermsTitle                    string
	LegendPos, LegendNeg, LegendInf                               string
	SavePQ, SaveTerms                                             string
	lang                                                          lang
}

// count is "1 term", "2 terms" in English and the bare number in Korean,
// whose sentences carry the counter themselves.
func (ct *chartText) count(n int, noun string) string {
	if ct.lang == langKO {
		return strconv.Itoa(n)
	}
	return plural(n, noun)
}

// Special names a special case in the chart's language.
func (ct *chartText) Special(s compute.Special) string { return texts(ct.lang).special(s) }

func chartEN() chartText {
	return chartText{
		lang:          langEN,
		Heading:       "Charts",
		Where:         ", row %d",
		RowN:          "row %d",
		RowDrawn:      "Row drawn (of %d): ",
		Shown:         "The charts show classes 1–%d of %d.",
		NotDrawn:      " Not drawn: %s of ±∞ or NaN.",
		SeeBreakdown:  " The worked breakdown has the values.",
		ClassPQ:       "class %d: %s = %s, %s = %s",
		ClassTerm:     "class %d: term = %s (%s)",
		PQLabel:       "P (target) and Q (model) per class%s: %d classes, scale %s to %s",
		OffScale:      "; %s off the scale marked",
		PQTitle:       "P and Q per class",
		LegendP:       "P (target)",
		LegendQ:       "Q (model)",
		LegendClamped: "dashed: off the scale (∞, NaN or negative), drawn at the edge",
		TermsLabel:    "Signed contribution of each term%s: %d classes, scale %s to %s",
		InfTerms:      "; %s drawn to the edge",
		NaNTerms:      "; %s",
		TermsTitle:    "Contribution of each term",
		LegendPos:     "term > 0 (adds to the divergence)",
		LegendNeg:     "term < 0",
		LegendInf:     "±∞, drawn to the edge",
		SavePQ:        "P and Q",
		SaveTerms:     "Terms",
	}
}

func chartKO() chartText {
	return chartText{
		lang:          langKO,
		Heading:       "차트",
		Where:         ", %d행",
		RowN:          "%d행",
		RowDrawn:      "그릴 행 (전체 %d행): ",
		Shown:         "차트는 클래스 %[2]d개 중 1–%[1]d번 클래스를 보여 줍니다.",
		NotDrawn:      " 그리지 않은 ±∞ 또는 NaN 항: %s개.",
		SeeBreakdown:  " 값은 계산 과정 표에 있습니다.",
		ClassPQ:       "클래스 %d: %s = %s, %s = %s",
		ClassTerm:     "클래스 %d: 항 = %s (%s)",
		PQLabel:       "클래스별 P(타깃)와 Q(모델)%s: 클래스 %d개, 눈금 %s – %s",
		OffScale:      "; 눈금 밖 값 %s개 표시",
		PQTitle:       "클래스별 P와 Q",
		LegendP:       "P (타깃)",
		LegendQ:       "Q (모델)",
		LegendClamped: "점선: 눈금 밖 (∞, NaN, 음수), 가장자리에 그림",
		TermsLabel:    "각 항의 부호 있는 기여%s: 클래스 %d개, 눈금 %s – %s",
		InfTerms:      "; 무한대 항 %s개를 가장자리까지 그림",
		NaNTerms:      "; NaN 항 %s개",
		TermsTitle:    "각 항의 기여",
		LegendPos:     "항 > 0 (발산을 늘림)",
		LegendNeg:     "항 < 0",
		LegendInf:     "±∞, 가장자리까지 그림",
		SavePQ:        "P와 Q",
		SaveTerms:     "항",
	}
}
