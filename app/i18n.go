package app

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"

	"github.com/klcalc/klcalc/compute"
	"github.com/klcalc/klcalc/compute/textparse"
)

// lang is a language of the interface.
type lang int

const (
	langEN lang = iota
	langKO
)

// String returns the BCP 47 tag used in the URL and in <html lang>.
func (l lang) String() string {
	if l == langKO {
		return "ko"
	}
	return "en"
}

// parseLang reads "en" or "ko" (also "ko-KR" and the like).
func parseLang(s string) (lang, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch {
	case s == "ko" || strings.HasPrefix(s, "ko-"):
		return langKO, true
	case s == "en" || strings.HasPrefix(s, "en-"):
		return langEN, true
	}
	return langEN, false
}

// uiText holds every string the interface shows, in one language. It is a
// struct rather than a map so that a missing translation is a compile
// error, and TestTextsComplete checks that none is empty.
type uiText struct {
	Title, Lede, CopyLink, Copied, Loading, Footer, Language   string
	CopyRefused, CopyNoLink, SaveState                         string
	LossTooLong, LossTooManyValues                             string // LossTooLong: size MB, limit MB; LossTooManyValues: side, count, limit
	LossTooLongAtLeast                                         string // limit MB
	TargetTitle, InputTitle                                    string
	GivenAs                                                    string // "%s is given as"
	FormProb, FormLog, FormLogits, FormCounts                  string
	Temperature                                                string
	AddRow, RemoveRow, AddCol, RemoveCol                       string
	AddRowLabel, RemoveRowLabel, AddColLabel, RemoveColLabel   string // "%s" = side
	PasteSummary, PasteLabel, PasteApply                       string // "%s" = side
	FileLabel, DropHint                                        string
	RowHeader, CellLabel                                       string // CellLabel: "%s row %d, class %d"
	Reduction, DType, Shape, Units                             string
	RedNone, RedSum, RedMean, RedBatchMean                     string
	Float32Default, Shape1D, Shape2D                           string
	Nats, Bits, Hartleys                                       string
	Result, FullPrecision, InFloat64, EveryReduction           string
	AccurateValue                                              string
	SumDivided                                                 string // "%s ÷ %s = %s (%s)"
	ColReduction, ColSum, ColDivisor, ColValue                 string
	ShowingValues                                              string // "%d of %d"
	Breakdown, FormulaProb, FormulaLog, ShowingTerms           string
	TopHeading, TopHeadingShort, TopSummary, TopRows, ColShare string
	StorageHeading, StorageSum, StorageSums, StorageStored     string // dtype; Sum: side, dtype, sum; Sums: side, dtype, lo, hi; Stored: dtype, value
	StorageGiven, StorageSmall, StorageNegative                string // Given: value; the verdicts: dtype
	StorageShifted, StorageArith, AllTerms                     string
	StorageBoth                                                string // storage's shift, dtype, the arithmetic's shift
	NoResult                                                   string
	HistTitle, HistLabel, HistBin, HistAxis                    string // HistTitle: zeros, non-finite; HistLabel: bins; HistBin: count, sign, from, to
	HistPositive, HistNegative                                 string // TopHeading: k, n; TopSummary: Σ+, n+, Σ−, n−, share; TopRows: k, rows
	ColRow, ColClass, ColLogQ, ColTerm, ColNote                string
	RowSums, RowN, RowNamed, TotalLine                         string // RowN "row %d"; RowNamed "row %s"; TotalLine "%s; %s"
	Related, RelatedHelp, Total, Mean                          string
	MoreCells                                                  string // "%d"
	ShareLinkError                                             string
	InternalError                                              string
	CellNotNumber, CellEmpty                                   string // "%s row %d, column %d: %q …"
	Code, CopyCode, Copied2                                    string
	UpdateReady, Reload                                        string
	LinkTooLong                                                string
	PrevTerms, NextTerms                                       string
	SnippetTooBig                                              string
	GridWindow, PrevRows, NextRows, PrevCols, NextCols         string
	ModeLabel, ModeDiscrete, ModeGauss, ModeRL                 string
	ViewsLabel, TabBreakdown, TabCharts, TabRelated            string
	TabLibraries, TabCode, InputsLabel, ToolsLabel             string
	Quantity, TableOf, OutputLabel                             string // TableOf: "%s" = the table's name
	SwapPQ, LinkClasses                                        string
	SevError, SevWarning, SevInfo                              string
	PointwiseLoss, DownloadTerms, DownloadRows                 string
	CopyPython, CopyPythonLabel, CopyPythonInvalid             string    // CopyPythonLabel: "%s" = side
	Detected                                                   [4]string // by compute.FormClue − 1 (ClueNone switches nothing): "%s" = side, then the form's name
	DetectUndo, DetectUndoLabel                                string    // DetectUndoLabel: "%s" = side, then the form's name
	FileTooBig, FileUnreadable                                 string    // "%s" file name; FileTooBig: "%.1f" MB, "%d" limit in MB
	FixLogits, FixProb, FixRenormalise                         string    // "%s" = side
	FixTwoD, FixBatchMean, FixSmooth, FixSmoothGives           string    // FixSmoothGives: "%s" = the value
	Gauss                                                      gaussText // i18n_gauss.go
	Chart                                                      chartText // i18n_chart.go
	Grad                                                       gradText  // i18n_grad.go
	Files                                                      fileText  // i18n_files.go
	TabGradient, TabDistill                                    string
	Distill                                                    distillText // i18n_distill.go
	RL                                                         rlText      // i18n_rl.go
	Compare, ColLibrary, ColWhy, Raises                        string
	CompareLarge                                               string
	Examples, DistillNote                                      string // DistillNote: "%s" T², "%s" value
	ScaleT2, Unscaled                                          string // ScaleT2: "%s" T²; Unscaled: "%s" kl_div's value, "%s" T²
	Specials                                                   [11]string
	Divisors                                                   [6]string
	WarnTitles                                                 [13]string // by compute.WarningCode: a warning's one-line headline; "%s" = the side, where the code has one
}

// texts returns the interface strings of a language, shared and never
// written to: building them took 4.7 µs and 9.4 KB natively, and a render
// asks for them dozens of times.
func texts(l lang) *uiText {
	if l == langKO {
		return koTexts()
	}
	return enTexts()
}

var (
	enTexts = sync.OnceValue(enText)
	koTexts = sync.OnceValue(koText)
)

func enText() *uiText {
	return &uiText{
		Title:              "KL divergence calculator",
		Lede:               "PyTorch's F.kl_div / nn.KLDivLoss, exactly, with every term explained. Runs in your browser; the link holds the whole calculation.",
		CopyLink:           "Copy link",
		Copied:             "Link copied",
		CopyRefused:        "Not copied: the browser refused the clipboard. Select the text and press Ctrl+C (⌘C).",
		CopyNoLink:         "Not copied: this calculation does not fit in a link. Save it as a file instead.",
		SaveState:          "Save as a file that reopens it",
		LossTooLong:        "This calculation does not fit in a link: it needs %.1f MB, and browsers open links of up to %.1f MB. The address bar no longer holds it, so a reload or a copied address would lose it.",
		LossTooLongAtLeast: "This calculation does not fit in a link: it needs more than the %.1f MB browsers open. The address bar no longer holds it, so a reload or a copied address would lose it.",
		LossTooManyValues:  "This calculation does not fit in a link: %s holds %d values, and a link holds up to %d per side. The address bar no longer holds it, so a reload or a copied address would lose it.",
		Loading:            "Loading the calculator…",
		Footer:             "Nothing you type leaves this page. PyTorch ≥ 1.13 semantics (xlogy: target 0 gives 0, 0·(−∞) gives NaN).",
		Language:           "Language",
		TargetTitle:        "Target P (the data)",
		InputTitle:         "Input Q (the model)",
		GivenAs:            "%s is given as",
		FormProb:           "probabilities",
		FormLog:            "log-probabilities",
		FormLogits:         "logits",
		FormCounts:         "counts (normalised)",
		Temperature:        "Temperature T",
		AddRow:             "+ row",
		RemoveRow:          "− row",
		AddCol:             "+ class",
		RemoveCol:          "− class",
		AddRowLabel:        "Add a row to %s",
		RemoveRowLabel:     "Remove the last row of %s",
		AddColLabel:        "Add a class (column) to %s",
		RemoveColLabel:     "Remove the last class (column) of %s",
		PasteSummary:       "Paste %s (CSV, JSON, PyTorch or NumPy printout)",
		PasteLabel:         "Text to paste into %s",
		PasteApply:         "Use pasted values",
		FileLabel:          "Open a CSV, TSV or JSON file for %s",
		DropHint:           "or drop a file here",
		RowHeader:          "row",
		CellLabel:          "%s row %d, class %d",
		Reduction:          "reduction",
		DType:              "dtype",
		Shape:              "shape",
		Units:              "units",
		RedNone:            "the pointwise loss, no reduction",
		RedSum:             "loss.sum()",
		RedMean:            "loss.sum() / numel (PyTorch's default; not the KL divergence)",
		RedBatchMean:       "loss.sum() / input.size(0): the KL divergence per batch row",
		Float32Default:     "float32 (PyTorch default)",
		Shape1D:            "1-D (C,)",
		Shape2D:            "2-D (1, C)",
		Nats:               "nats",
		Bits:               "bits",
		Hartleys:           "hartleys",
		Result:             "Result",
		FullPrecision:      "full precision:",
		InFloat64:          "In float64:",
		AccurateValue:      "Accurately rounded (the same terms, compensated sum):",
		EveryReduction:     "Every reduction of the same terms",
		SumDivided:         "sum of the terms %s ÷ %s = %s",
		ColReduction:       "reduction",
		ColSum:             "sum",
		ColDivisor:         "divisor",
		ColValue:           "value",
		ShowingValues:      "showing %d of %d values",
		Breakdown:          "Worked breakdown",
		FormulaProb:        "term = xlogy(p, p) − p·log q = p·(log p − log q), with xlogy(0, ·) = 0",
		FormulaLog:         "term = exp(log p)·(log p − log q)",
		ShowingTerms:       "terms %d–%d of %d; the sums use all of them",
		TopHeading:         "The %d largest terms of %d",
		TopHeadingShort:    "Largest terms",
		TopSummary:         "Positive terms add up to %s (%d of them), negative ones to %s (%d); the terms listed carry %s of Σ|term|.",
		TopRows:            "The %d rows with the largest KL, of %d",
		ColShare:           "share of Σ|term|",
		AllTerms:           "Every term, in order",
		NoResult:           "No result",
		HistTitle:          "The terms by size: positive above the line, negative below (%d terms are 0, %d NaN or infinite and not drawn).",
		HistLabel:          "Histogram of the terms by |term|, %d bins of half a decade; positive terms up, negative down",
		HistBin:            "%d %s terms with |term| from %s to %s",
		HistAxis:           "|term|",
		HistPositive:       "positive",
		HistNegative:       "negative",
		StorageBoth:        "Both move it: storage by %s (the exact KL of the stored values against the given ones), and the arithmetic in %s by %s more.",
		StorageHeading:     "What storing the inputs in %s did",
		StorageSum:         "%s's rows, stored in %s, sum to %s.",
		StorageSums:        "%s's rows, stored in %s, sum to between %s and %s.",
		StorageStored:      "The KL computed exactly (float64) from the %s values: %s.",
		StorageGiven:       "The KL of the values as given, exactly: %s.",
		StorageSmall:       "Rounding to %s changed little here: the result's error is PyTorch's arithmetic in that type.",
		StorageNegative:    "The negative KL comes from storage, not arithmetic: rounded to %s, the rows no longer sum to 1, and KL(P‖Q) ≥ 0 holds only for distributions that do. Keep log-probabilities in float32 (or renormalise after the cast).",
		StorageShifted:     "Most of the shift comes from storage: the exact KL of the %s values is already off, whatever the arithmetic. Keep the inputs in float32 (or renormalise after the cast).",
		StorageArith:       "The stored values give nearly the KL of the given ones: the difference is PyTorch's arithmetic in %s (its rounding at each step and in the sum).",
		PrevTerms:          "Show the previous terms",
		NextTerms:          "Show the next terms",
		ColRow:             "row",
		ColClass:           "class",
		ColLogQ:            "log q (input)",
		ColTerm:            "term",
		ColNote:            "note",
		RowSums:            "Row sums (Σ over classes)",
		RowN:               "row %d",
		RowNamed:           "row %s",
		TotalLine:          "total Σ = %s; %s",
		Related:            "Related quantities (%s)",
		RelatedHelp:        "Mathematical definitions in float64 (0·log 0 = 0), independent of the reduction: H(P,Q) = H(P) + KL(P‖Q).",
		Total:              "total",
		Mean:               "mean",
		MoreCells:          "… and %d more invalid cells",
		ShareLinkError:     "Share link: %s",
		InternalError:      "internal error: %v (please report it with the link)",
		CellNotNumber:      "%s row %d, column %d: %q is not a number",
		CellEmpty:          "%s row %d, column %d: empty",
		Compare:            "Other libraries on the same input",
		CompareLarge:       "Compute what SciPy, Keras and torch.distributions return (a large input: not redone on every edit)",
		ColLibrary:         "library call",
		ColWhy:             "why it differs",
		Raises:             "raises an error",
		ModeLabel:          "Mode",
		ViewsLabel:         "Details",
		TabBreakdown:       "Breakdown",
		TabCharts:          "Charts",
		TabRelated:         "Related",
		TabLibraries:       "Other libraries",
		TabCode:            "Code",
		InputsLabel:        "Inputs",
		ToolsLabel:         "Tools",
		Quantity:           "Row",
		TableOf:            "%s (table)",
		OutputLabel:        "Result and details",
		SwapPQ:             "Swap P and Q",
		LinkClasses:        "+ class and − class change P and Q together",
		SevError:           "Error",
		PointwiseLoss:      "The pointwise loss, in the output's shape",
		DownloadTerms:      "Terms as CSV",
		DownloadRows:       "Per-row values as CSV",
		CopyPython:         "Copy as a Python list",
		CopyPythonLabel:    "Copy as a Python list (%s)",
		CopyPythonInvalid:  "Fix the marked cells first",
		WarnTitles: [13]string{
			compute.WarnLooksLikeProbabilities: "%s looks like probabilities, not log-probabilities",
			compute.WarnRowSum:                 "%s's rows do not sum to 1",
			compute.WarnNegativeProbability:    "%s has negative values",
			compute.WarnQZeroWherePPositive:    "Q = 0 where P > 0: the KL is +∞",
			compute.WarnMeanReduction:          "'mean' is not the KL divergence",
			compute.WarnBatchMean1D:            "1-D 'batchmean' divides by the number of classes",
			compute.WarnBatchMeanBroadcast:     "'batchmean' divides by input.size(0), not the broadcast batch",
			compute.WarnDTypeDisagree:          "float32 and float64 disagree",
			compute.WarnNegativeResult:         "The result is negative",
			compute.WarnNaNResult:              "The result is NaN",
			compute.WarnInfResult:              "The result is infinite",
			compute.WarnCountsNormalised:       "%s's counts are divided by their row sums",
			compute.WarnTemperature:            "%s's temperature is not a positive number",
		},
		Detected: [4]string{
			compute.ClueLogSumExp - 1: "%s is now read as %s: every pasted value is ≤ 0 and each row's exponentials sum to 1.",
			compute.ClueNegative - 1:  "%s is now read as %s: the pasted values include negatives, which no probability is.",
			compute.ClueAboveOne - 1:  "%s is now read as %s: the pasted values include values above 1, which no probability is.",
			compute.ClueWhole - 1:     "%s is now read as %s: the pasted values are whole numbers, some above 1.",
		},
		DetectUndo:      "Undo",
		DetectUndoLabel: "Read %s as probabilities again, not %s",
		FileTooBig:      "%s is %.1f MB: the calculator reads files of up to %d MB",
		FileUnreadable:  "%s could not be read",
		SevWarning:      "Warning",
		SevInfo:         "Note",
		FixLogits:       "Treat %s as logits",
		FixProb:         "Treat %s as probabilities",
		FixRenormalise:  "Divide %s's rows by their sums",
		FixTwoD:         "Make it a batch of one, shape (1, C)",
		FixBatchMean:    "Use 'batchmean'",
		FixSmooth:       "Smooth Q's zeros with ε = 1e-6",
		FixSmoothGives:  "Smooth Q's zeros with ε = 1e-6 (gives %s)",
		ModeDiscrete:    "Discrete: F.kl_div",
		ModeGauss:       "Gaussians: closed form",
		ModeRL:          "RL: sampled tokens",
		Gauss:           gaussEN(),
		Chart:           chartEN(),
		Grad:            gradEN(),
		Files:           filesEN(),
		TabGradient:     "Gradient",
		TabDistill:      "Distillation",
		Distill:         distillEN(),
		RL:              rlEN(),
		GridWindow:      "rows %d–%d of %d, classes %d–%d of %d",
		PrevRows:        "Show the previous rows",
		NextRows:        "Show the next rows",
		PrevCols:        "Show the previous classes",
		NextCols:        "Show the next classes",
		SnippetTooBig:   "# %d values: more than the %d this page writes into code.\n# Load your arrays from a file (np.loadtxt, torch.load) and call F.kl_div as the result above shows.",
		UpdateReady:     "A new version of the calculator is ready; the link keeps your calculation.",
		Reload:          "Reload",
		LinkTooLong:     "This calculation is too large for a link (%.1f MB; browsers open at most 2 MB), so the address does not hold it.",
		Code:            "Code that reproduces this number",
		CopyCode:        "Copy code",
		Copied2:         "Code copied",
		Examples:        "Examples",
		ScaleT2:         "Show the loss × T² = %s (distillation)",
		Unscaled:        "F.kl_div itself returns %s; the value above is that times T² = %s, as Hinton et al. (2015) scale the soft loss.",
		DistillNote:     "Knowledge distillation (Hinton et al., 2015) multiplies this loss by T² = %s so that its gradients keep their size as T changes: %s.",
		Specials: [...]string{
			compute.SpecialNone:           "",
			compute.SpecialTargetZero:     "target 0: xlogy(0, 0) = 0, so the term is 0",
			compute.SpecialZeroTimesInf:   "target 0 and input ±∞: PyTorch gives NaN (0·(−∞))",
			compute.SpecialLogTargetZero:  "log-target −∞ (p = 0) with log_target=True: PyTorch gives NaN (exp(−∞)·(−∞ − input) = 0·(−∞))",
			compute.SpecialQZero:          "q = 0 where p > 0: +∞",
			compute.SpecialInputPosInf:    "input +∞ (log q = +∞) where p > 0: −∞",
			compute.SpecialNegativeTarget: "negative target: log p is NaN, so the term is NaN",
			compute.SpecialNaNTarget:      "target is NaN: the term is NaN",
			compute.SpecialNaNInput:       "input is NaN: the term is NaN",
			compute.SpecialInfTarget:      "target +∞: the term is ±∞, or NaN where ∞ − ∞ or ∞·0 occurs",
			compute.SpecialOverflow:       "finite inputs, but the term overflowed",
		},
		Divisors: [...]string{
			compute.DivisorNone:           "no division",
			compute.DivisorNumel:          "'mean' divides by numel, the number of elements (batch size × classes)",
			compute.DivisorBatch:          "'batchmean' divides by input.size(0), the batch size",
			compute.DivisorBatch1D:        "'batchmean' on a 1-D input divides by input.size(0), which is the number of classes C, not a batch size: the same as 'mean'",
			compute.DivisorScalar:         "'batchmean' does not divide a 0-D input",
			compute.DivisorBatchBroadcast: "'batchmean' divides by input.size(0) even though broadcasting with the target made the output batch larger",
		},
	}
}

func koText() *uiText {
	return &uiText{
		Title:              "KL 발산 계산기",
		Lede:               "PyTorch의 F.kl_div / nn.KLDivLoss를 그대로 재현하고, 모든 항을 설명합니다. 브라우저 안에서만 계산하며, 링크에 계산 전체가 담깁니다.",
		CopyLink:           "링크 복사",
		Copied:             "링크를 복사했습니다",
		CopyRefused:        "복사하지 못했습니다. 브라우저가 클립보드 사용을 허락하지 않았습니다. 텍스트를 선택하고 Ctrl+C(⌘C)를 누르세요.",
		CopyNoLink:         "복사하지 못했습니다. 이 계산은 링크에 담기지 않으니 파일로 저장하세요.",
		SaveState:          "다시 열 수 있는 파일로 저장",
		LossTooLong:        "이 계산은 링크에 담기지 않습니다. 링크가 %.1f MB 필요한데 브라우저는 %.1f MB까지의 링크만 엽니다. 주소창에는 더 이상 이 계산이 없으므로, 새로 고치거나 주소를 복사하면 잃게 됩니다.",
		LossTooLongAtLeast: "이 계산은 링크에 담기지 않습니다. 브라우저가 여는 최대 크기인 %.1f MB보다 링크가 깁니다. 주소창에는 더 이상 이 계산이 없으므로, 새로 고치거나 주소를 복사하면 잃게 됩니다.",
		LossTooManyValues:  "이 계산은 링크에 담기지 않습니다. %s에 값이 %d개 있는데 링크에는 한쪽에 %d개까지만 담깁니다. 주소창에는 더 이상 이 계산이 없으므로, 새로 고치거나 주소를 복사하면 잃게 됩니다.",
		Loading:            "계산기를 불러오는 중…",
		Footer:             "입력한 내용은 이 페이지 밖으로 나가지 않습니다. PyTorch 1.13 이상의 규칙(xlogy: 타깃 0이면 0, 0·(−∞)는 NaN)을 따릅니다.",
		Language:           "언어",
		TargetTitle:        "타깃 P (데이터)",
		InputTitle:         "입력 Q (모델)",
		GivenAs:            "%s의 형식",
		FormProb:           "확률",
		FormLog:            "로그 확률",
		FormLogits:         "로짓",
		FormCounts:         "빈도 (행 정규화)",
		Temperature:        "온도 T",
		AddRow:             "+ 행",
		RemoveRow:          "− 행",
		AddCol:             "+ 클래스",
		RemoveCol:          "− 클래스",
		AddRowLabel:        "%s에 행 추가",
		RemoveRowLabel:     "%s의 마지막 행 삭제",
		AddColLabel:        "%s에 클래스(열) 추가",
		RemoveColLabel:     "%s의 마지막 클래스(열) 삭제",
		PasteSummary:       "%s 붙여넣기 (CSV, JSON, PyTorch·NumPy 출력)",
		PasteLabel:         "%s에 붙여넣을 텍스트",
		PasteApply:         "붙여넣은 값 사용",
		FileLabel:          "%s에 CSV, TSV, JSON 파일 열기",
		DropHint:           "또는 파일을 여기에 끌어다 놓기",
		RowHeader:          "행",
		CellLabel:          "%s %d행, 클래스 %d",
		Reduction:          "reduction (축약)",
		DType:              "dtype (자료형)",
		Shape:              "모양",
		Units:              "단위",
		RedNone:            "항별 손실, 축약 없음",
		RedSum:             "loss.sum()",
		RedMean:            "loss.sum() / numel (PyTorch 기본값; KL 발산이 아님)",
		RedBatchMean:       "loss.sum() / input.size(0): 배치 행당 KL 발산",
		Float32Default:     "float32 (PyTorch 기본값)",
		Shape1D:            "1차원 (C,)",
		Shape2D:            "2차원 (1, C)",
		Nats:               "내트(nats)",
		Bits:               "비트(bits)",
		Hartleys:           "하틀리(hartleys)",
		Result:             "결과",
		FullPrecision:      "전체 정밀도:",
		InFloat64:          "float64에서는:",
		AccurateValue:      "정확히 반올림한 값 (같은 항, 보정 합):",
		EveryReduction:     "같은 항에 대한 모든 reduction",
		SumDivided:         "항의 합 %s ÷ %s = %s",
		ColReduction:       "reduction",
		ColSum:             "합",
		ColDivisor:         "나누는 수",
		ColValue:           "값",
		ShowingValues:      "값 %[2]d개 중 %[1]d개 표시",
		Breakdown:          "계산 과정",
		FormulaProb:        "항 = xlogy(p, p) − p·log q = p·(log p − log q), xlogy(0, ·) = 0",
		FormulaLog:         "항 = exp(log p)·(log p − log q)",
		ShowingTerms:       "항 %d–%d / %d; 합계는 모든 항으로 계산",
		TopHeading:         "가장 큰 항 %d개 (전체 %d개 중)",
		TopHeadingShort:    "가장 큰 항",
		TopSummary:         "양수 항의 합: %s (%d개), 음수 항의 합: %s (%d개). 위 항들이 Σ|항|의 %s 차지합니다.",
		TopRows:            "KL이 가장 큰 행 %d개 (전체 %d행 중)",
		ColShare:           "Σ|항| 중 비율",
		AllTerms:           "모든 항 (순서대로)",
		NoResult:           "결과 없음",
		HistTitle:          "크기별 항 분포: 양수 항은 선 위, 음수 항은 선 아래 (0인 항 %d개, NaN·무한대 항 %d개는 그리지 않음)",
		HistLabel:          "|항| 기준 항 히스토그램, 반 자릿수 구간 %d개, 양수 항은 위, 음수 항은 아래",
		HistBin:            "%d개의 %s 항: |항| %s–%s",
		HistAxis:           "|항|",
		HistPositive:       "양수",
		HistNegative:       "음수",
		StorageBoth:        "둘 다 영향을 줍니다. 저장에 따른 변화: %s (저장된 값과 주어진 값의 정확한 KL 차이), %s 타입 연산에 따른 추가 변화: %s",
		StorageHeading:     "입력을 %s 타입으로 저장한 영향",
		StorageSum:         "%s의 행을 %s 타입으로 저장하면 합이 %s입니다.",
		StorageSums:        "%s의 행을 %s 타입으로 저장하면 합이 %s에서 %s 사이입니다.",
		StorageStored:      "%s 타입 값으로 정확히(float64) 계산한 KL: %s",
		StorageGiven:       "주어진 값 그대로 정확히 계산한 KL: %s",
		StorageSmall:       "%s 타입으로 반올림해도 값은 거의 변하지 않았습니다. 결과의 오차는 그 타입에서의 PyTorch 연산 오차입니다.",
		StorageNegative:    "음수 KL은 연산이 아니라 저장 때문입니다. %s 타입으로 반올림하면 행의 합이 더는 1이 아니고, KL(P‖Q) ≥ 0은 합이 1인 분포에서만 성립합니다. 로그 확률은 float32로 두거나 변환 뒤 다시 정규화하세요.",
		StorageShifted:     "차이의 대부분은 저장 때문입니다. %s 타입 값으로 정확히 계산한 KL부터 이미 어긋나 있습니다. 입력은 float32로 두거나 변환 뒤 다시 정규화하세요.",
		StorageArith:       "저장한 값의 KL은 주어진 값의 KL과 거의 같습니다. 차이는 %s 타입에서의 PyTorch 연산(단계마다의 반올림과 합산) 때문입니다.",
		PrevTerms:          "이전 항 보기",
		NextTerms:          "다음 항 보기",
		ColRow:             "행",
		ColClass:           "클래스",
		ColLogQ:            "log q (입력)",
		ColTerm:            "항",
		ColNote:            "설명",
		RowSums:            "행별 합 (클래스에 대한 Σ)",
		RowN:               "%d행",
		RowNamed:           "%s행",
		TotalLine:          "전체 Σ = %s; %s",
		Related:            "관련 값 (%s)",
		RelatedHelp:        "float64로 계산한 수학적 정의(0·log 0 = 0)이며 reduction과 무관합니다: H(P,Q) = H(P) + KL(P‖Q).",
		Total:              "합계",
		Mean:               "평균",
		MoreCells:          "… 잘못된 칸이 %d개 더 있습니다",
		ShareLinkError:     "공유 링크: %s",
		InternalError:      "내부 오류: %v (링크와 함께 알려 주세요)",
		CellNotNumber:      "%s %d행 %d열: %q: 숫자가 아닙니다",
		CellEmpty:          "%s %d행 %d열: 비어 있습니다",
		Compare:            "같은 입력에 대한 다른 라이브러리",
		CompareLarge:       "SciPy, Keras, torch.distributions의 값 계산 (입력이 커서 편집할 때마다 다시 계산하지 않음)",
		ColLibrary:         "라이브러리 호출",
		ColWhy:             "다른 이유",
		Raises:             "오류 발생",
		ModeLabel:          "모드",
		ViewsLabel:         "자세히",
		TabBreakdown:       "항별 분석",
		TabCharts:          "차트",
		TabRelated:         "관련 값",
		TabLibraries:       "다른 라이브러리",
		TabCode:            "코드",
		InputsLabel:        "입력",
		ToolsLabel:         "도구",
		Quantity:           "행",
		TableOf:            "%s (표)",
		OutputLabel:        "결과와 자세히",
		SwapPQ:             "P와 Q 바꾸기",
		LinkClasses:        "클래스 추가·삭제를 P와 Q에 함께 적용",
		SevError:           "오류",
		PointwiseLoss:      "출력 모양 그대로의 항별 손실",
		DownloadTerms:      "항 CSV로 받기",
		DownloadRows:       "행별 값 CSV로 받기",
		CopyPython:         "파이썬 리스트로 복사",
		CopyPythonLabel:    "파이썬 리스트로 복사 (%s)",
		CopyPythonInvalid:  "표시된 칸을 먼저 고치세요",
		WarnTitles: [13]string{
			compute.WarnLooksLikeProbabilities: "%s 값이 로그 확률이 아니라 확률로 보입니다",
			compute.WarnRowSum:                 "%s의 행 합이 1이 아닙니다",
			compute.WarnNegativeProbability:    "%s에 음수 값이 있습니다",
			compute.WarnQZeroWherePPositive:    "P > 0인 곳에서 Q = 0: KL은 +∞입니다",
			compute.WarnMeanReduction:          "'mean'은 KL 발산이 아닙니다",
			compute.WarnBatchMean1D:            "1차원 입력의 'batchmean'은 클래스 수로 나눕니다",
			compute.WarnBatchMeanBroadcast:     "'batchmean'은 브로드캐스트된 배치가 아니라 input.size(0)으로 나눕니다",
			compute.WarnDTypeDisagree:          "float32와 float64의 값이 다릅니다",
			compute.WarnNegativeResult:         "결과가 음수입니다",
			compute.WarnNaNResult:              "결과가 NaN입니다",
			compute.WarnInfResult:              "결과가 무한대입니다",
			compute.WarnCountsNormalised:       "%s의 빈도를 행 합으로 나눴습니다",
			compute.WarnTemperature:            "%s의 온도가 양수가 아닙니다",
		},
		Detected: [4]string{
			compute.ClueLogSumExp - 1: "붙여 넣은 값이 모두 0 이하이고 행마다 지수의 합이 1이어서 %s %s 읽습니다.",
			compute.ClueNegative - 1:  "붙여 넣은 값에 음수가 있어 %s %s 읽습니다. 확률은 음수일 수 없습니다.",
			compute.ClueAboveOne - 1:  "붙여 넣은 값에 1보다 큰 값이 있어 %s %s 읽습니다. 확률은 1을 넘을 수 없습니다.",
			compute.ClueWhole - 1:     "붙여 넣은 값이 1보다 큰 값을 포함한 정수여서 %s %s 읽습니다.",
		},
		DetectUndo:      "되돌리기",
		DetectUndoLabel: "%s %s 아닌 확률로 다시 읽기",
		FileTooBig:      "%s 파일은 %.1f MB입니다. 이 계산기는 %d MB까지의 파일을 읽습니다",
		FileUnreadable:  "%s 파일을 읽을 수 없습니다",
		SevWarning:      "경고",
		SevInfo:         "참고",
		FixLogits:       "%s 로짓으로 보기",
		FixProb:         "%s 확률로 보기",
		FixRenormalise:  "%s의 각 행을 행의 합으로 나누기",
		FixTwoD:         "크기 1인 배치 (1, C)로 바꾸기",
		FixBatchMean:    "'batchmean' 쓰기",
		FixSmooth:       "Q의 0을 ε = 1e-6으로 평활화",
		FixSmoothGives:  "Q의 0을 ε = 1e-6으로 평활화 (결과 %s)",
		ModeDiscrete:    "이산: F.kl_div",
		ModeGauss:       "가우시안: 닫힌 형식",
		ModeRL:          "RL: 샘플 토큰",
		Gauss:           gaussKO(),
		Chart:           chartKO(),
		Grad:            gradKO(),
		Files:           filesKO(),
		TabGradient:     "기울기",
		TabDistill:      "증류",
		Distill:         distillKO(),
		RL:              rlKO(),
		GridWindow:      "행 %d–%d / %d, 클래스 %d–%d / %d",
		PrevRows:        "이전 행 보기",
		NextRows:        "다음 행 보기",
		PrevCols:        "이전 클래스 보기",
		NextCols:        "다음 클래스 보기",
		SnippetTooBig:   "# 값이 %d개로, 이 페이지가 코드에 쓰는 %d개보다 많습니다.\n# 배열은 파일에서 읽고(np.loadtxt, torch.load) 위 결과처럼 F.kl_div를 호출하세요.",
		UpdateReady:     "계산기의 새 버전이 준비되었습니다. 링크에 계산이 그대로 남습니다.",
		Reload:          "새로고침",
		LinkTooLong:     "이 계산은 링크에 담기에 너무 큽니다 (%.1f MB; 브라우저는 최대 2 MB까지 엽니다). 주소에 저장되지 않습니다.",
		Code:            "이 값을 재현하는 코드",
		CopyCode:        "코드 복사",
		Copied2:         "코드를 복사했습니다",
		Examples:        "예제",
		ScaleT2:         "손실 × T²(= %s) 보기(지식 증류)",
		Unscaled:        "F.kl_div 자체의 값은 %s입니다. 위의 값은 Hinton 외(2015)처럼 소프트 손실에 T²(= %s)을 곱한 값입니다.",
		DistillNote:     "지식 증류(Hinton 외, 2015)에서는 T가 바뀌어도 그래디언트 크기가 유지되도록 이 손실에 T²(= %s)을 곱합니다: %s.",
		Specials: [...]string{
			compute.SpecialNone:           "",
			compute.SpecialTargetZero:     "타깃 0: xlogy(0, 0) = 0이므로 항은 0",
			compute.SpecialZeroTimesInf:   "타깃 0이고 입력이 ±∞: PyTorch는 NaN (0·(−∞))",
			compute.SpecialLogTargetZero:  "log_target=True에서 로그 타깃 −∞ (p = 0): PyTorch는 NaN (exp(−∞)·(−∞ − 입력) = 0·(−∞))",
			compute.SpecialQZero:          "p > 0인데 q = 0: +∞",
			compute.SpecialInputPosInf:    "p > 0인데 입력(log q)이 +∞: −∞",
			compute.SpecialNegativeTarget: "음수 타깃: log p가 NaN이므로 항은 NaN",
			compute.SpecialNaNTarget:      "타깃이 NaN: 항은 NaN",
			compute.SpecialNaNInput:       "입력(log q)이 NaN: 항은 NaN",
			compute.SpecialInfTarget:      "타깃 +∞: 항은 ±∞, ∞ − ∞ 또는 ∞·0이 생기면 NaN",
			compute.SpecialOverflow:       "입력은 유한하지만 항이 넘쳤습니다(overflow)",
		},
		Divisors: [...]string{
			compute.DivisorNone:           "나누지 않음",
			compute.DivisorNumel:          "'mean'은 원소 수(numel, 배치 크기 × 클래스 수)로 나눕니다",
			compute.DivisorBatch:          "'batchmean'은 input.size(0), 즉 배치 크기로 나눕니다",
			compute.DivisorBatch1D:        "1차원 입력의 'batchmean'은 input.size(0), 즉 배치 크기가 아닌 클래스 수 C로 나눕니다: 'mean'과 같습니다",
			compute.DivisorScalar:         "0차원 입력에는 'batchmean'이 나누지 않습니다",
			compute.DivisorBatchBroadcast: "타깃과의 브로드캐스팅으로 출력 배치가 커졌어도 'batchmean'은 input.size(0)으로 나눕니다",
		},
	}
}

// warnTitle is w's one-line headline: the result bar shows it, and the
// warning's full sentence unfolds under it.
func (t *uiText) warnTitle(w compute.Warning) string {
	if w.Code < 0 || int(w.Code) >= len(t.WarnTitles) || t.WarnTitles[w.Code] == "" {
		return w.Code.String() // a code without a title: TestWarnTitles fails
	}
	title := t.WarnTitles[w.Code]
	if strings.Contains(title, "%s") {
		return fmt.Sprintf(title, w.Operand)
	}
	return title
}

// detected says why a paste switched side sd to form f.
func (t *uiText) detected(l lang, sd side, f compute.Form, clue compute.FormClue) string {
	if clue <= compute.ClueNone || int(clue) > len(t.Detected) {
		return ""
	}
	s, name := sd.String(), t.formName(f)
	if l == langKO {
		s, name = josa(s, "을"), josa(name, "으로")
	}
	return fmt.Sprintf(t.Detected[clue-1], s, name)
}

// detectUndoLabel is the accessible name of the undo button of detected.
func (t *uiText) detectUndoLabel(l lang, sd side, f compute.Form) string {
	s, name := sd.String(), t.formName(f)
	if l == langKO {
		s, name = josa(s, "을"), josa(name, "이")
	}
	return fmt.Sprintf(t.DetectUndoLabel, s, name)
}

// formName is the label of a form.
func (t *uiText) formName(f compute.Form) string {
	switch f {
	case compute.FormLog:
		return t.FormLog
	case compute.FormLogits:
		return t.FormLogits
	case compute.FormCounts:
		return t.FormCounts
	}
	return t.FormProb
}

func (t *uiText) reductionHelp(r compute.Reduction) string {
	switch r {
	case compute.ReductionNone:
		return t.RedNone
	case compute.ReductionSum:
		return t.RedSum
	case compute.ReductionMean:
		return t.RedMean
	}
	return t.RedBatchMean
}

func (t *uiText) unitName(u compute.Unit) string {
	switch u {
	case compute.Bits:
		return t.Bits
	case compute.Hartleys:
		return t.Hartleys
	}
	return t.Nats
}

func (t *uiText) special(s compute.Special) string {
	if s >= 0 && int(s) < len(t.Specials) {
		return t.Specials[s]
	}
	return ""
}

func (t *uiText) divisor(d compute.DivisorReason) string {
	if d >= 0 && int(d) < len(t.Divisors) {
		return t.Divisors[d]
	}
	return ""
}

// cellError formats an invalid cell.
func (t *uiText) cellError(e *CellError, text string) string {
	if strings.TrimSpace(text) == "" {
		return fmt.Sprintf(t.CellEmpty, e.Side, e.Row+1, e.Col+1)
	}
	return fmt.Sprintf(t.CellNotNumber, e.Side, e.Row+1, e.Col+1, short(strings.TrimSpace(text)))
}

// warningEN writes a diagnostic in English.
func warningEN(w compute.Warning, r *compute.Result) string {
	pos := positionsEN(w.Positions, w.Count)
	switch w.Code {
	case compute.WarnLooksLikeProbabilities:
		hint := "PyTorch's input must be log-probabilities: torch.log(q) or F.log_softmax(logits, dim=-1)"
		if w.Operand == compute.OperandP {
			hint = "with log_target=True the target must be log-probabilities; for probabilities use log_target=False"
		}
		return fmt.Sprintf("%s is marked as log-probabilities but every value is in [0, 1]: these look like probabilities. %s.", w.Operand, hint)
	case compute.WarnRowSum:
		what := "sum"
		if w.Form == compute.FormLog {
			what = "exp sum"
		}
		var parts []string
		for i, row := range w.Rows {
			if i == maxListed {
				parts = append(parts, "…")
				break
			}
			parts = append(parts, fmt.Sprintf("row %d: %s", row+1, compute.FormatFloat(w.Sums[row])))
		}
		n := len(w.Rows)
		return fmt.Sprintf("%d row%s of %s do%s not %s to 1 (%s). kl_div does not normalise, so the result is not a KL divergence of distributions.",
			n, pluralEN(n, "", "s"), w.Operand, pluralEN(n, "es", ""), what, strings.Join(parts, "; "))
	case compute.WarnNegativeProbability:
		n := w.Count
		if w.Form == compute.FormCounts {
			return fmt.Sprintf("%s has %d negative count%s, at %s. Counts are divided by their row's sum like the others, which leaves negative probabilities in the row, and their terms are NaN. "+
				"Counts must be ≥ 0; if these are log-probabilities or logits, choose that form.", w.Operand, n, pluralEN(n, "", "s"), pos)
		}
		hint := " If these are log-probabilities, choose the log form: PyTorch's input is log q."
		if w.Operand == compute.OperandP {
			hint = " If these are log-probabilities, choose the log form (log_target=True)."
		}
		return fmt.Sprintf("%s has %d negative probabilit%s, at %s; their terms are NaN.%s", w.Operand, n, pluralEN(n, "y", "ies"), pos, hint)
	case compute.WarnCountsNormalised:
		msg := fmt.Sprintf("%s is counts: each row is divided by its sum (SciPy's convention)", w.Operand)
		if w.Classes > 0 && len(w.Sums) > 0 {
			var parts []string
			for i, sum := range w.Sums {
				if i == maxListed {
					parts = append(parts, "…")
					break
				}
				parts = append(parts, fmt.Sprintf("row %d: %s", i+1, compute.FormatFloat(sum)))
			}
			msg += ": " + strings.Join(parts, "; ")
		}
		msg += "."
		if n := len(w.Rows); n > 0 {
			its := pluralEN(n, "its", "their")
			if w.Cancel {
				msg += fmt.Sprintf(" %s sum%s to 0: dividing by 0 makes %s probabilities NaN (0/0) or ±∞ (x/0), and %s terms NaN or ±∞.",
					rowListEN(w.Rows), pluralEN(n, "s", ""), its, its)
			} else {
				msg += fmt.Sprintf(" %s sum%s to 0: dividing by 0 makes %s probabilities NaN (0/0), so %s terms are NaN.",
					rowListEN(w.Rows), pluralEN(n, "s", ""), its, its)
			}
		}
		return msg
	case compute.WarnQZeroWherePPositive:
		return fmt.Sprintf("Q is 0 where P is positive at %s: those terms are +∞, so the KL divergence is +∞. Smooth Q (e.g. add a small ε and renormalise) if a finite value is wanted.", pos)
	case compute.WarnMeanReduction:
		return fmt.Sprintf("PyTorch warns: %q With 'batchmean' the result would be %s.", compute.PyTorchMeanWarning, compute.FormatFloat(w.Value))
	case compute.WarnBatchMean1D:
		return fmt.Sprintf("'batchmean' on a 1-D input divides by size(0) = %s, the number of classes, not by a batch size, so it equals 'mean'. "+
			"For the KL divergence of one distribution, pass input.unsqueeze(0) and target.unsqueeze(0) (or use 'sum'): that gives %s.",
			compute.FormatFloat(w.Divisor), compute.FormatFloat(w.Value))
	case compute.WarnBatchMeanBroadcast:
		return fmt.Sprintf("The target broadcast the batch to %d rows, but 'batchmean' divides by input.size(0) = %s.", w.Count, compute.FormatFloat(w.Divisor))
	case compute.WarnDTypeDisagree:
		return fmt.Sprintf("float32 gives %s but float64 gives %s: more apart than float32 rounding of well-conditioned terms explains, so precision matters here.",
			compute.FormatFloat(w.Got), compute.FormatFloat(w.Value))
	case compute.WarnNegativeResult:
		msg := "The result is negative. A KL divergence of distributions that each sum to 1 is ≥ 0; only single terms may be negative. "
		if w.Rounding {
			return msg + fmt.Sprintf("Here it is float32 rounding: in float64 the value is %s.", compute.FormatFloat(w.Value))
		}
		return msg + "Check that Q is given in the form you chose (PyTorch's input must be log-probabilities) and that rows sum to 1."
	case compute.WarnNaNResult, compute.WarnInfResult:
		what := "NaN"
		if w.Code == compute.WarnInfResult {
			what = compute.FormatFloat(w.Got)
		}
		if w.Count == 0 {
			return fmt.Sprintf("The result is %s because the sum overflowed or mixed +∞ and −∞ terms.", what)
		}
		n := w.Count
		return fmt.Sprintf("The result is %s because %d term%s %s %s, at %s; the first: %s.", what, n, pluralEN(n, "", "s"), pluralEN(n, "is", "are"), what, pos, texts(langEN).special(w.Special))
	case compute.WarnTemperature:
		T := w.Value
		t32 := T
		if r != nil && r.Options.DType == compute.DTypeFloat32 {
			t32 = float64(float32(T))
		}
		var msg string
		switch {
		case math.IsNaN(T):
			msg = "is NaN: every logit divided by it is NaN, so the whole side is NaN."
		case t32 == 0 && T != 0:
			msg = fmt.Sprintf("%s rounds to 0 in float32: logits / T are ±∞ (0/0 = NaN), so log_softmax is NaN for every row. Use float64 or a temperature ≥ 1e-38.", compute.FormatFloat(T))
		case T == 0:
			msg = "is 0: logits / 0 are ±∞ (0/0 = NaN), so log_softmax is NaN for every row. The limit T → 0⁺ is the one-hot argmax, which division cannot reach."
		case math.IsInf(T, 0):
			msg = "is infinite: logits / T are 0, so every row is uniform (log p = −log C) whatever the logits."
		default:
			msg = fmt.Sprintf("%s is negative: dividing by it reverses the order of the logits, so the most likely class becomes the least likely. Temperatures are positive; use %s.", compute.FormatFloat(T), compute.FormatFloat(-T))
		}
		return w.Operand.String() + "'s temperature " + msg
	}
	return w.Code.String()
}

// maxListed bounds the rows and positions a warning lists.
const maxListed = 20

// positionsEN formats 0-based positions 1-based, as the page numbers rows
// and columns: "(1, 2), (2, 1) and 3 more".
func positionsEN(pos [][2]int, n int) string { return positionList(pos, n, " and %d more") }

// rowListEN names 0-based rows 1-based: "Row 3", "Rows 1, 4 and 2 more".
func rowListEN(rows []int) string {
	var b strings.Builder
	b.WriteString(pluralEN(len(rows), "Row ", "Rows "))
	for i, r := range rows[:min(len(rows), maxListed)] {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%d", r+1)
	}
	if len(rows) > maxListed {
		fmt.Fprintf(&b, " and %d more", len(rows)-maxListed)
	}
	return b.String()
}

// pluralEN picks the English singular or plural ending for n.
func pluralEN(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// warning writes a diagnostic in the reader's language from compute's
// code and data.
func (t *uiText) warning(l lang, w compute.Warning, r *compute.Result) string {
	if l != langKO {
		return warningEN(w, r)
	}
	pos := positionsText(w.Positions, w.Count)
	switch w.Code {
	case compute.WarnLooksLikeProbabilities:
		if w.Operand == compute.OperandP {
			return "P를 로그 확률로 지정했지만 모든 값이 [0, 1] 안에 있어 확률로 보입니다. log_target=True이면 타깃은 로그 확률이어야 합니다. 확률이라면 log_target=False(확률 형식)를 고르세요."
		}
		return "Q를 로그 확률로 지정했지만 모든 값이 [0, 1] 안에 있어 확률로 보입니다. PyTorch의 input은 로그 확률이어야 합니다: torch.log(q) 또는 F.log_softmax(logits, dim=-1)."
	case compute.WarnRowSum:
		var parts []string
		for i, row := range w.Rows {
			if i == 20 {
				parts = append(parts, "…")
				break
			}
			parts = append(parts, fmt.Sprintf("%d행: %s", row+1, compute.FormatFloat(w.Sums[row])))
		}
		return fmt.Sprintf("%s의 %d개 행의 합이 1이 아닙니다 (%s). kl_div는 정규화하지 않으므로, 결과는 확률분포 사이의 KL 발산이 아닙니다.", w.Operand, w.Count, strings.Join(parts, "; "))
	case compute.WarnNegativeProbability:
		if w.Form == compute.FormCounts {
			return fmt.Sprintf("%s에 음수 빈도가 %d개 있습니다 (위치 %s). 빈도도 다른 값처럼 행의 합으로 나누므로 행에 음수 확률이 남고, 그 항은 NaN입니다. 빈도는 0 이상이어야 합니다. 로그 확률이나 로짓이라면 그 형식을 고르세요.", w.Operand, w.Count, pos)
		}
		return fmt.Sprintf("%s에 음수 확률이 %d개 있습니다 (위치 %s). 그 항은 NaN입니다. 로그 확률이라면 로그 확률 형식을 고르세요.", w.Operand, w.Count, pos)
	case compute.WarnCountsNormalised:
		var parts []string
		for i, sum := range w.Sums {
			if i == 20 {
				parts = append(parts, "…")
				break
			}
			parts = append(parts, fmt.Sprintf("%d행: %s", i+1, compute.FormatFloat(sum)))
		}
		msg := josa(w.Operand.String(), "은") + " 빈도입니다: 각 행을 그 합으로 나눕니다(SciPy 방식)"
		if len(parts) > 0 && w.Classes > 0 {
			msg += ": " + strings.Join(parts, "; ")
		}
		msg += "."
		if len(w.Rows) > 0 {
			var rows []string
			for i, row := range w.Rows {
				if i == 20 {
					rows = append(rows, fmt.Sprintf("외 %d개", len(w.Rows)-20))
					break
				}
				rows = append(rows, fmt.Sprintf("%d", row+1))
			}
			if w.Cancel {
				msg += fmt.Sprintf(" %s행은 합이 0이어서 0으로 나누면 확률이 NaN(0/0)이나 ±∞(x/0)가 되고, 그 항도 NaN이나 ±∞입니다.", strings.Join(rows, ", "))
			} else {
				msg += fmt.Sprintf(" %s행은 합이 0이어서 0으로 나누면 확률이 NaN(0/0)이 되고, 그 항도 NaN입니다.", strings.Join(rows, ", "))
			}
		}
		return msg
	case compute.WarnQZeroWherePPositive:
		return fmt.Sprintf("P가 양수인 곳에서 Q가 0입니다 (위치 %s). 그 항은 +∞이므로 KL 발산도 +∞입니다. 유한한 값이 필요하면 Q를 평활화하세요(작은 ε을 더하고 다시 정규화).", pos)
	case compute.WarnMeanReduction:
		return fmt.Sprintf("PyTorch 경고: %q 'batchmean'이었다면 결과는 %s입니다.", compute.PyTorchMeanWarning, compute.FormatFloat(w.Value))
	case compute.WarnBatchMean1D:
		return fmt.Sprintf("1차원 입력의 'batchmean'은 배치 크기가 아닌 클래스 수 size(0) = %s 나누므로 'mean'과 같습니다. 분포 하나의 KL 발산을 원하면 input.unsqueeze(0), target.unsqueeze(0)을 넘기거나 'sum'을 쓰세요: %s.", josa(compute.FormatFloat(w.Divisor), "으로"), compute.FormatFloat(w.Value))
	case compute.WarnBatchMeanBroadcast:
		return fmt.Sprintf("타깃이 배치를 %d행으로 브로드캐스트했지만 'batchmean'은 input.size(0) = %s 나눕니다.", w.Count, josa(compute.FormatFloat(w.Divisor), "으로"))
	case compute.WarnDTypeDisagree:
		return fmt.Sprintf("float32는 %s, float64는 %s입니다. 잘 조건화된 항의 float32 반올림으로 설명되는 것보다 차이가 커서 정밀도가 중요합니다.", compute.FormatFloat(w.Got), compute.FormatFloat(w.Value))
	case compute.WarnNegativeResult:
		msg := "결과가 음수입니다. 각각 합이 1인 분포 사이의 KL 발산은 0 이상이며, 개별 항만 음수일 수 있습니다. "
		if w.Rounding {
			return msg + fmt.Sprintf("여기서는 float32 반올림 때문입니다: float64 값은 %s입니다.", compute.FormatFloat(w.Value))
		}
		return msg + "Q를 고른 형식대로 입력했는지(PyTorch의 input은 로그 확률), 행의 합이 1인지 확인하세요."
	case compute.WarnTemperature:
		T := w.Value
		t32 := T
		if r.Options.DType == compute.DTypeFloat32 {
			t32 = float64(float32(T))
		}
		switch {
		case math.IsNaN(T):
			return fmt.Sprintf("%s의 온도가 NaN입니다: 로짓을 나누면 모두 NaN이 되어 %s 전체가 NaN입니다.", w.Operand, w.Operand)
		case t32 == 0 && T != 0:
			return fmt.Sprintf("%s의 온도(%s)는 float32에서 0으로 반올림됩니다: 로짓 / T가 ±∞(0/0은 NaN)이 되어 모든 행의 log_softmax가 NaN입니다. float64를 쓰거나 1e-38 이상의 온도를 쓰세요.", w.Operand, compute.FormatFloat(T))
		case T == 0:
			return fmt.Sprintf("%s의 온도가 0입니다: 로짓 / 0은 ±∞(0/0은 NaN)이므로 모든 행의 log_softmax가 NaN입니다. T → 0⁺의 극한은 원-핫 argmax이지만 나눗셈으로는 얻을 수 없습니다.", w.Operand)
		case math.IsInf(T, 0):
			return fmt.Sprintf("%s의 온도가 무한대입니다: 로짓 / T가 0이 되어 로짓과 상관없이 모든 행이 균등분포(log p = −log C)입니다.", w.Operand)
		default:
			return fmt.Sprintf("%s의 온도(%s)가 음수입니다: 나누면 로짓의 순서가 뒤집혀 가장 가능성 높은 클래스가 가장 낮아집니다. 온도는 양수여야 합니다(예: %s).", w.Operand, compute.FormatFloat(T), compute.FormatFloat(-T))
		}
	case compute.WarnNaNResult, compute.WarnInfResult:
		what := "NaN"
		if w.Code == compute.WarnInfResult {
			what = compute.FormatFloat(w.Got)
		}
		if w.Count == 0 {
			return fmt.Sprintf("결과가 %s입니다. 합이 넘쳤거나 +∞와 −∞ 항이 섞였습니다.", what)
		}
		return fmt.Sprintf("결과가 %s입니다. %s인 항이 %d개 있습니다 (위치 %s). 첫 번째: %s.", what, what, w.Count, pos, t.special(w.Special))
	}
	return warningEN(w, r) // a code without a Korean sentence: TestKoreanWarnings fails
}

func positionsText(pos [][2]int, n int) string { return positionList(pos, n, " 외 %d개") }

// positionList writes 0-based positions 1-based, "(1, 2), (2, 1)", and
// more, a format for the count of those not listed.
func positionList(pos [][2]int, n int, more string) string {
	var b strings.Builder
	for i, p := range pos {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "(%d, %d)", p[0]+1, p[1]+1)
	}
	if n > len(pos) {
		fmt.Fprintf(&b, more, n-len(pos))
	}
	return b.String()
}

// computeError writes an error of compute's in the reader's language from
// its data: a shape that does not broadcast, or a parse error. Others (an
// internal error, which the UI prevents) keep their Go text.
func (t *uiText) computeError(l lang, err error) string {
	var be *compute.BroadcastError
	if errors.As(err, &be) {
		in, tg := compute.ShapeString(be.Input), compute.ShapeString(be.Target)
		if l == langKO {
			return fmt.Sprintf("Q(input)의 모양 %s P(target)의 모양 %s 브로드캐스트되지 않습니다. 클래스 수를 같게 하고, 행 수를 같게 하거나 한 행으로 하세요.", josa(in, "과"), josa(tg, "은"))
		}
		return fmt.Sprintf("Q (input) of shape %s and P (target) of shape %s do not broadcast; give them the same number of classes, and either the same number of rows or one row", in, tg)
	}
	var de *compute.DTypeError
	if errors.As(err, &de) {
		return dtypeErrorText(l, de)
	}
	var pe *textparse.Error
	if errors.As(err, &pe) {
		if l == langKO {
			return t.pasteError(l, err)
		}
		return parseErrorEN(pe)
	}
	return err.Error()
}

// parseErrorEN is compute's ParseError in English, without the package
// prefix that Go callers see.
func parseErrorEN(pe *textparse.Error) string {
	what := map[error]string{
		textparse.ErrSyntax:      "invalid number",
		textparse.ErrRagged:      "rows have different lengths",
		textparse.ErrEmpty:       "no numbers",
		textparse.ErrNesting:     "brackets nested deeper than 4 levels",
		textparse.ErrBrackets:    "unbalanced brackets",
		textparse.ErrAbbreviated: `printout is abbreviated with an ellipsis; print it in full after torch.set_printoptions(profile="full") or np.set_printoptions(threshold=sys.maxsize)`,
	}[pe.Err]
	if what == "" && pe.Err != nil {
		what = pe.Err.Error()
	}
	values := func(n int) string { return fmt.Sprintf("%d value%s", n, pluralEN(n, "", "s")) }
	switch {
	case pe.Err == textparse.ErrRagged && !pe.Mixed && pe.Row > 0:
		msg := fmt.Sprintf("row %d has %s", pe.Row, values(pe.Col))
		if pe.RefLen > 0 {
			ref := "row 1"
			if pe.RefHeader {
				ref = "header"
			}
			msg += fmt.Sprintf(", %s has %d", ref, pe.RefLen)
		}
		return msg + ": " + what
	case pe.Row > 0 && pe.Token == "" && pe.Err == textparse.ErrSyntax:
		return fmt.Sprintf("row %d, column %d: empty value", pe.Row, pe.Col)
	case pe.Row > 0:
		mixed := ""
		if pe.Mixed {
			mixed = "list mixes numbers and lists: "
		}
		return fmt.Sprintf("row %d, column %d: %q: %s%s", pe.Row, pe.Col, pe.Token, mixed, what)
	}
	return what
}

// pastedTextError formats a parse error of the paste area or a file: in
// English it names the line and column of the text too (the Korean
// message always does).
func (t *uiText) pastedTextError(l lang, err error) string {
	var pe *textparse.Error
	if l != langKO && errors.As(err, &pe) && pe.Line > 0 {
		return fmt.Sprintf("line %d, column %d of the pasted text: %s", pe.Line, pe.Column, parseErrorEN(pe))
	}
	return t.pasteError(l, err)
}

// pasteError formats a parse error of pasted text.
func (t *uiText) pasteError(l lang, err error) string {
	var pe *textparse.Error
	if !errors.As(err, &pe) {
		return err.Error()
	}
	if l != langKO {
		return parseErrorEN(pe)
	}
	what := map[error]string{
		textparse.ErrSyntax:      "잘못된 숫자",
		textparse.ErrRagged:      "행의 길이가 서로 다릅니다",
		textparse.ErrEmpty:       "숫자가 없습니다",
		textparse.ErrNesting:     "괄호가 4단계보다 깊습니다",
		textparse.ErrBrackets:    "괄호 짝이 맞지 않습니다",
		textparse.ErrAbbreviated: "'...'로 줄인 출력입니다: torch.set_printoptions(profile=\"full\") 또는 np.set_printoptions(threshold=sys.maxsize)로 전체를 출력하세요",
	}[pe.Err]
	if what == "" {
		return parseErrorEN(pe)
	}
	switch {
	case pe.Err == textparse.ErrRagged && pe.Row > 0:
		return fmt.Sprintf("%d행에 값이 %d개: %s", pe.Row, pe.Col, what)
	case pe.Row > 0 && pe.Token != "":
		return fmt.Sprintf("%d행 %d열 (%d번째 줄, %d번째 글자) %q: %s", pe.Row, pe.Col, pe.Line, pe.Column, short(pe.Token), what)
	case pe.Line > 0:
		return fmt.Sprintf("%d번째 줄, %d번째 글자: %s", pe.Line, pe.Column, what)
	}
	return what
}

// dtypeErrorText says that PyTorch 1.13 has no CPU kernel for a step in a
// dtype (float16's log, exp and log_softmax), what PyTorch raises, and
// what works instead.
func dtypeErrorText(l lang, e *compute.DTypeError) string {
	where := "kl_div(log_target=True)"
	if e.Operand != compute.OperandNone {
		where = e.Operand.String()
	}
	raise := fmt.Sprintf("RuntimeError: \"%s\" not implemented for 'Half'", e.Kernel)
	if l == langKO {
		return fmt.Sprintf("PyTorch 1.13 CPU에는 %s용 %s 커널이 없어서 %s 계산에서 %s 오류가 납니다. float16에서는 Q를 log q로, P를 확률이나 개수로 주거나, bfloat16 또는 float32를 고르세요.", e.DType, e.Op, where, raise)
	}
	return fmt.Sprintf("PyTorch 1.13 has no %s CPU kernel for %s, so %s raises %s. In float16, give Q as log q and P as probabilities or counts, or choose bfloat16 or float32.", e.DType, e.Op, where, raise)
}
