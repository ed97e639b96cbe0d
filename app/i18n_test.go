package app

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode"

	"github.com/klcalc/klcalc/compute"
	"github.com/klcalc/klcalc/compute/textparse"
)

// Every visible string exists in both languages, the parts of the
// catalogue (Gauss, Chart) included.
func TestTextsComplete(t *testing.T) {
	var check func(l lang, name string, v reflect.Value)
	check = func(l lang, name string, v reflect.Value) {
		switch v.Kind() {
		case reflect.String:
			if v.String() == "" && name != "Specials[0]" { // compute.SpecialNone has no text
				t.Errorf("%v: %s is empty", l, name)
			}
		case reflect.Array:
			for j := 0; j < v.Len(); j++ {
				check(l, fmt.Sprintf("%s[%d]", name, j), v.Index(j))
			}
		case reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				f := v.Type().Field(i)
				if !f.IsExported() {
					continue
				}
				check(l, strings.TrimPrefix(name+"."+f.Name, "."), v.Field(i))
			}
		}
	}
	if compute.SpecialNone != 0 {
		t.Fatal("Specials[0] is no longer SpecialNone")
	}
	for _, l := range []lang{langEN, langKO} {
		check(l, "", reflect.ValueOf(*texts(l)))
		if got := texts(l).Chart.lang; got != l {
			t.Errorf("%v: the charts' texts are for %v", l, got)
		}
	}
	// The Korean texts are translations, not copies.
	en, ko := *texts(langEN), *texts(langKO)
	if en.Title == ko.Title || en.Breakdown == ko.Breakdown || en.Divisors[compute.DivisorBatch1D] == ko.Divisors[compute.DivisorBatch1D] ||
		en.Gauss.Title == ko.Gauss.Title || en.Chart.Heading == ko.Chart.Heading {
		t.Error("Korean texts copy the English ones")
	}
}

func hasHangul(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Hangul, r) }) >= 0
}

// Every warning compute can give is written in Korean from its data.
func TestKoreanWarnings(t *testing.T) {
	cases := []struct {
		p, q   string
		red    compute.Reduction
		dt     compute.DType
		pf, qf compute.Form
	}{
		{"0.1,0.4,0.6", "0.2,0.3,0.5", compute.ReductionMean, compute.DTypeFloat32, compute.FormProb, compute.FormProb},
		{"0,1", "0,1", compute.ReductionSum, compute.DTypeFloat32, compute.FormProb, compute.FormProb},
		{"0.5,0.5", "1,0", compute.ReductionBatchMean, compute.DTypeFloat32, compute.FormProb, compute.FormProb},
		{"0.5,0.5", "-0.5,1.5", compute.ReductionSum, compute.DTypeFloat64, compute.FormProb, compute.FormProb},
		{"1e-9,0.999999999", "1e-12,0.999999999999", compute.ReductionSum, compute.DTypeFloat32, compute.FormProb, compute.FormProb},
		{"1,9", "0,0", compute.ReductionSum, compute.DTypeFloat32, compute.FormCounts, compute.FormCounts},
		{"3,-1,2", "1,1,2", compute.ReductionSum, compute.DTypeFloat64, compute.FormCounts, compute.FormProb},
	}
	seen := map[compute.WarningCode]bool{}
	for _, c := range cases {
		s := defaultState()
		s.P, s.Q = [][]string{strings.Split(c.p, ",")}, [][]string{strings.Split(c.q, ",")}
		s.Reduction, s.DType, s.PForm, s.QForm = c.red, c.dt, c.pf, c.qf
		p, q, opt, cellErrs, err := s.problem()
		if err != nil || len(cellErrs) > 0 {
			t.Fatal(err, cellErrs)
		}
		r, err := compute.Calculate(p, q, opt)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range r.Warnings {
			seen[w.Code] = true
			msg := texts(langKO).warning(langKO, w, r)
			if !hasHangul(msg) {
				t.Errorf("warning %d in Korean: %q", w.Code, msg)
			}
			if en := texts(langEN).warning(langEN, w, r); en == "" || en == w.Code.String() || hasHangul(en) {
				t.Errorf("warning %v in English: %q", w.Code, en)
			}
		}
	}
	if len(seen) < 6 || !seen[compute.WarnCountsNormalised] {
		t.Errorf("only %d warning codes exercised: %v", len(seen), seen)
	}
	// Every code, including any compute adds, has a sentence in both
	// languages.
	r, err := compute.Calculate(compute.Side{Data: compute.Vector([]float64{0.5, 0.5})}, compute.Side{Data: compute.Vector([]float64{0.5, 0.5})},
		compute.Options{Reduction: compute.ReductionSum})
	if err != nil {
		t.Fatal(err)
	}
	r.Shape = []int{2, 2}
	for _, c := range compute.Warnings() {
		w := compute.Warning{Code: c, Operand: compute.OperandP, Count: 1, Rows: []int{0}, Sums: []float64{1}, Classes: 2}
		if msg := texts(langKO).warning(langKO, w, r); !hasHangul(msg) {
			t.Errorf("warning code %v has no Korean: %q", c, msg)
		}
		if msg := texts(langEN).warning(langEN, w, r); msg == c.String() || hasHangul(msg) {
			t.Errorf("warning code %v has no English: %q", c, msg)
		}
	}
}

// The English sentences, written from compute's data (they were compute's
// own messages before compute stopped writing sentences).
func TestEnglishWarnings(t *testing.T) {
	calc := func(p, q compute.Side, opt compute.Options) *compute.Result {
		t.Helper()
		r, err := compute.Calculate(p, q, opt)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	mat := func(rows ...[]float64) compute.Tensor {
		m, err := compute.NewMatrix(rows)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	en := func(r *compute.Result, code compute.WarningCode, side string) string {
		t.Helper()
		for _, w := range r.Warnings {
			if w.Code == code && (side == "" || w.Operand.String() == side) {
				return texts(langEN).warning(langEN, w, r)
			}
		}
		t.Fatalf("no %v for %q in %+v", code, side, r.Warnings)
		return ""
	}
	counts := func(m compute.Tensor) compute.Side { return compute.Side{Data: m, Form: compute.FormCounts} }
	vec := func(v ...float64) compute.Tensor { return compute.Vector(v) }

	r := calc(counts(mat([]float64{1, 9}, []float64{3, 4})), counts(mat([]float64{2, 2}, []float64{0.5, 0.25})), compute.Options{DType: compute.DTypeFloat64})
	if got, want := en(r, compute.WarnCountsNormalised, "P"), "P is counts: each row is divided by its sum (SciPy's convention): row 1: 10; row 2: 7."; got != want {
		t.Errorf("counts: %q, want %q", got, want)
	}
	if got := en(r, compute.WarnCountsNormalised, "Q"); !strings.Contains(got, "row 2: 0.75.") {
		t.Errorf("Q's counts: %q", got)
	}
	rows := make([][]float64, 25)
	for i := range rows {
		rows[i] = []float64{float64(i), 1}
	}
	r = calc(counts(mat(rows...)), compute.Side{Data: vec(1, 1)}, compute.Options{DType: compute.DTypeFloat64})
	if got := en(r, compute.WarnCountsNormalised, "P"); !strings.Contains(got, "row 20: 20; …") || strings.Contains(got, "row 21") {
		t.Errorf("25 rows: %q", got)
	}
	r = calc(counts(mat([]float64{0, 0}, []float64{1, 1})), counts(mat([]float64{1, 3}, []float64{0, 0})), compute.Options{Reduction: compute.ReductionNone, DType: compute.DTypeFloat64})
	for side, row := range map[string]string{"P": "Row 1", "Q": "Row 2"} {
		if got := en(r, compute.WarnCountsNormalised, side); !strings.Contains(got, row+" sums to 0") || !strings.Contains(got, "terms are NaN") {
			t.Errorf("%s's zero row: %q", side, got)
		}
	}
	r = calc(counts(vec(1, -1)), compute.Side{Data: vec(1, 1)}, compute.Options{DType: compute.DTypeFloat64})
	if got := en(r, compute.WarnCountsNormalised, "P"); !strings.Contains(got, "±∞") {
		t.Errorf("cancelling row: %q", got)
	}
	if got := en(r, compute.WarnNegativeProbability, "P"); !strings.Contains(got, "negative count") {
		t.Errorf("negative count: %q", got)
	}
	r = calc(counts(compute.Tensor{Shape: []int{0}, Data: []float64{}}), counts(compute.Tensor{Shape: []int{0}, Data: []float64{}}), compute.Options{Reduction: compute.ReductionSum})
	if got, want := en(r, compute.WarnCountsNormalised, "P"), "P is counts: each row is divided by its sum (SciPy's convention)."; got != want {
		t.Errorf("empty counts: %q, want %q", got, want)
	}
	r = calc(compute.Side{Data: vec(0.5, 0.5)}, compute.Side{Data: vec(1, 0)}, compute.Options{Reduction: compute.ReductionSum, DType: compute.DTypeFloat64})
	if got, want := en(r, compute.WarnQZeroWherePPositive, "Q"), "Q is 0 where P is positive at (1, 2): those terms are +∞, so the KL divergence is +∞. Smooth Q (e.g. add a small ε and renormalise) if a finite value is wanted."; got != want {
		t.Errorf("q = 0: %q, want %q", got, want)
	}
	if got, want := en(r, compute.WarnInfResult, ""), "The result is +Inf because 1 term is +Inf, at (1, 2); the first: q = 0 where p > 0: +∞."; got != want {
		t.Errorf("+Inf: %q, want %q", got, want)
	}
	q := compute.Side{Data: vec(1, 2), Form: compute.FormLogits, Temperature: 0}
	r = calc(compute.Side{Data: vec(0.2, 0.8)}, q, compute.Options{Reduction: compute.ReductionSum})
	if got := en(r, compute.WarnTemperature, "Q"); !strings.HasPrefix(got, "Q's temperature is 0: logits / 0 are ±∞") {
		t.Errorf("T = 0: %q", got)
	}
	q.Temperature = 1e-50
	r = calc(compute.Side{Data: vec(0.2, 0.8)}, q, compute.Options{Reduction: compute.ReductionSum, DType: compute.DTypeFloat32})
	if got := en(r, compute.WarnTemperature, "Q"); !strings.Contains(got, "1e-50 rounds to 0 in float32") {
		t.Errorf("T = 1e-50 in float32: %q", got)
	}
}

// The counts warning lists the sums in Korean, and says that a zero-sum
// row is NaN; negative counts are called counts.
func TestKoreanCountsWarnings(t *testing.T) {
	s := defaultState()
	s.P, s.Q = [][]string{{"1", "9"}, {"0", "0"}}, [][]string{{"3", "-1"}}
	s.PForm, s.QForm = compute.FormCounts, compute.FormCounts
	p, q, opt, cellErrs, err := s.problem()
	if err != nil || len(cellErrs) > 0 {
		t.Fatal(err, cellErrs)
	}
	r, err := compute.Calculate(p, q, opt)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range r.Warnings {
		switch {
		case w.Code == compute.WarnCountsNormalised && w.Operand == compute.OperandP:
			msg := texts(langKO).warning(langKO, w, r)
			for _, want := range []string{"P는 빈도입니다", "1행: 10; 2행: 0.", "2행은 합이 0", "NaN"} {
				if !strings.Contains(msg, want) {
					t.Errorf("Korean counts warning lacks %q: %q", want, msg)
				}
			}
			got = append(got, "P sums")
		case w.Code == compute.WarnNegativeProbability && w.Operand == compute.OperandQ:
			if msg := texts(langKO).warning(langKO, w, r); !strings.Contains(msg, "음수 빈도") {
				t.Errorf("Korean negative counts: %q", msg)
			}
			got = append(got, "Q negative")
		}
	}
	if len(got) != 2 {
		t.Errorf("warnings %+v", r.Warnings)
	}
}

func TestParseLang(t *testing.T) {
	for in, want := range map[string]lang{"ko": langKO, "ko-KR": langKO, "en-US": langEN, "EN": langEN} {
		if got, ok := parseLang(in); !ok || got != want {
			t.Errorf("parseLang(%q) = %v, %v", in, got, ok)
		}
	}
	if _, ok := parseLang("fr"); ok {
		t.Error("parseLang(fr) accepted")
	}
	s, err := DecodeState("p=1&q=1&lang=ko")
	if err != nil || s.Lang != "ko" || !strings.Contains(s.Encode(), "lang=ko") {
		t.Errorf("lang=ko: %+v %v", s, err)
	}
	if _, err := DecodeState("lang=fr"); err == nil {
		t.Error("lang=fr accepted")
	}
}

func TestPasteErrorKorean(t *testing.T) {
	for _, in := range []string{"1,2\n3", "1,1e,2", "", "[[[[[1]]]]]", "[1,2", "tensor([0.1, ..., 0.2])"} {
		_, err := textparse.Parse(in)
		if err == nil {
			t.Fatalf("Parse(%q) accepted", in)
		}
		if msg := texts(langKO).pasteError(langKO, err); !hasHangul(msg) {
			t.Errorf("Korean paste error for %q: %q", in, msg)
		}
		if msg := texts(langEN).pasteError(langEN, err); strings.HasPrefix(msg, "compute:") || msg == "" {
			t.Errorf("English paste error for %q: %q", in, msg)
		}
	}
}

// compute's errors reach the page written by app from their data: the
// English is the text Go callers get, without the package prefix, and
// every case has Korean.
func TestComputeErrors(t *testing.T) {
	for _, in := range []string{"1e", "1,,2", "1,2\n3", "[[1,2],[3]]", "[[[[[1]]]]]", "[1,2", "[1, ..., 3]", "a,b\n1,2,3", "[[1,2],3]", ""} {
		_, err := textparse.Parse(in)
		var pe *textparse.Error
		if !errors.As(err, &pe) {
			t.Errorf("Parse(%q) = %v, not a *textparse.Error", in, err)
			continue
		}
		if got, want := texts(langEN).computeError(langEN, err), strings.TrimPrefix(err.Error(), "textparse: "); got != want {
			t.Errorf("%q: English %q, want %q", in, got, want)
		}
		if ko := texts(langKO).computeError(langKO, err); !hasHangul(ko) {
			t.Errorf("%q: Korean %q", in, ko)
		}
	}
	_, err := compute.Calculate(compute.Side{Data: compute.Vector([]float64{0.5, 0.5})}, compute.Side{Data: compute.Vector([]float64{0.2, 0.3, 0.5})}, compute.Options{})
	if got := texts(langEN).computeError(langEN, err); !strings.HasPrefix(got, "Q (input) of shape (3,) and P (target) of shape (2,) do not broadcast") {
		t.Errorf("broadcast, English: %q", got)
	}
	if got := texts(langKO).computeError(langKO, err); !hasHangul(got) || !strings.Contains(got, "(3,)") || !strings.Contains(got, "(2,)") {
		t.Errorf("broadcast, Korean: %q", got)
	}
}

// TestWarnTitles: every warning code has a one-line headline in both
// languages, short enough for the phone's result bar to show most of it,
// and a side only where the warning names one.
func TestWarnTitles(t *testing.T) {
	for _, c := range compute.Warnings() {
		for _, l := range []lang{langEN, langKO} {
			w := compute.Warning{Code: c, Operand: compute.OperandQ}
			got := texts(l).warnTitle(w)
			if got == c.String() || strings.Contains(got, "%!") {
				t.Errorf("%v %s: no title, or a bad format: %q", l, c, got)
			}
			if l == langKO && !hasHangul(got) {
				t.Errorf("%s: the Korean title %q has no Hangul", c, got)
			}
			if n := len([]rune(got)); n > 64 {
				t.Errorf("%v %s: title of %d runes (at most 64): %q", l, c, n, got)
			}
		}
	}
}

// TestTextsShared checks that rendering never writes into the shared
// texts (texts returns one copy per language).
func TestTextsShared(t *testing.T) {
	for _, frag := range []string{"", "lang=ko", "p=0.1,abc&q=1,0&lang=ko", "mode=gauss&g=vae", "mode=rl", "p=0.5,0.5&q=0.25,0.75&tab=libraries"} {
		renderPage(t, frag)
	}
	if !reflect.DeepEqual(texts(langEN), enText()) || !reflect.DeepEqual(texts(langKO), koText()) {
		t.Error("the shared texts changed while pages rendered")
	}
}
