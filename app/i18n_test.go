package app

import (
	"reflect"
	"strings"
	"testing"
	"unicode"

	"github.com/klcalc/klcalc/compute"
)

// Every visible string exists in both languages.
func TestTextsComplete(t *testing.T) {
	for _, l := range []lang{langEN, langKO} {
		v := reflect.ValueOf(*texts(l))
		for i := 0; i < v.NumField(); i++ {
			f, name := v.Field(i), v.Type().Field(i).Name
			switch f.Kind() {
			case reflect.String:
				if f.String() == "" {
					t.Errorf("%v: %s is empty", l, name)
				}
			case reflect.Array:
				for j := 0; j < f.Len(); j++ {
					if f.Index(j).String() == "" && !(name == "Specials" && j == int(compute.SpecialNone)) {
						t.Errorf("%v: %s[%d] is empty", l, name, j)
					}
				}
			}
		}
	}
	// The Korean texts are translations, not copies.
	en, ko := *texts(langEN), *texts(langKO)
	if en.Title == ko.Title || en.Breakdown == ko.Breakdown || en.Divisors[compute.DivisorBatch1D] == ko.Divisors[compute.DivisorBatch1D] {
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
			if en := texts(langEN).warning(langEN, w, r); en != w.Message {
				t.Errorf("English warning %q, want compute's %q", en, w.Message)
			}
		}
	}
	if len(seen) < 6 || !seen[compute.WarnCountsNormalised] {
		t.Errorf("only %d warning codes exercised: %v", len(seen), seen)
	}
	// Every code, including any compute adds, has its own Korean sentence
	// rather than the English message.
	r, err := compute.Calculate(compute.Side{Data: compute.Vector([]float64{0.5, 0.5})}, compute.Side{Data: compute.Vector([]float64{0.5, 0.5})},
		compute.Options{Reduction: compute.ReductionSum})
	if err != nil {
		t.Fatal(err)
	}
	r.Shape = []int{2, 2}
	for c := compute.WarnLooksLikeProbabilities; c <= compute.WarnTemperature; c++ {
		w := compute.Warning{Code: c, Side: "P", Message: "English", Count: 1, Rows: []int{0}, Sums: []float64{1}}
		if msg := texts(langKO).warning(langKO, w, r); !hasHangul(msg) {
			t.Errorf("warning code %d has no Korean: %q", c, msg)
		}
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
		case w.Code == compute.WarnCountsNormalised && w.Side == "P":
			msg := texts(langKO).warning(langKO, w, r)
			for _, want := range []string{"P는 빈도입니다", "1행: 10; 2행: 0.", "2행은 합이 0", "NaN"} {
				if !strings.Contains(msg, want) {
					t.Errorf("Korean counts warning lacks %q: %q", want, msg)
				}
			}
			got = append(got, "P sums")
		case w.Code == compute.WarnNegativeProbability && w.Side == "Q":
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
	for _, in := range []string{"1,2\n3", "1,1e,2", "", "[[[1]]]", "[1,2", "tensor([0.1, ..., 0.2])"} {
		_, err := compute.ParseMatrix(in)
		if err == nil {
			t.Fatalf("ParseMatrix(%q) accepted", in)
		}
		if msg := texts(langKO).pasteError(langKO, err); !hasHangul(msg) {
			t.Errorf("Korean paste error for %q: %q", in, msg)
		}
		if msg := texts(langEN).pasteError(langEN, err); strings.HasPrefix(msg, "compute:") || msg == "" {
			t.Errorf("English paste error for %q: %q", in, msg)
		}
	}
}
