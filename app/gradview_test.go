package app

import (
	"regexp"
	"strings"
	"testing"

	"github.com/klcalc/klcalc/compute"
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// gradPage draws the gradient tab of a state, as the calculator does.
func gradPage(t *testing.T, s State) string {
	t.Helper()
	s.View = viewGradient
	c := newCalculator()
	c.state = s
	c.guard(c.recompute)
	if c.result == nil {
		t.Fatalf("no result: %q %v", c.inputErr, c.cellErrs)
	}
	return app.HTMLString(c.renderView())
}

// TestGradViewHooks: each gradient's table holds one [data-value] per
// value, row-major, in Go's shortest round-trip text of compute's value;
// the logits tables appear only for a side given as logits.
func TestGradViewHooks(t *testing.T) {
	s := defaultState()
	s.P, s.Q = [][]string{{"0", "1", "0"}, {"0.5", "0.5", "0"}}, [][]string{{"2", "1", "0"}, {"0", "1", "2"}}
	s.QForm, s.QTemp = compute.FormLogits, "2"
	page := gradPage(t, s)
	p, q, opt, _, err := s.problem()
	if err != nil {
		t.Fatal(err)
	}
	g, err := compute.Gradients(p, q, opt)
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]compute.Tensor{"grad-input": g.Input, "grad-target": g.Target, "grad-logits-q": g.QLogits} {
		m := regexp.MustCompile(`(?s)<table[^>]*id="` + id + `".*?</table>`).FindString(page)
		if m == "" {
			t.Fatalf("no #%s in:\n%.3000s", id, page)
		}
		var got []string
		for _, v := range regexp.MustCompile(`data-value="([^"]*)"`).FindAllStringSubmatch(m, -1) {
			got = append(got, v[1])
		}
		if len(got) != len(want.Data) {
			t.Fatalf("#%s has %d values, want %d", id, len(got), len(want.Data))
		}
		for i, x := range want.Data {
			if got[i] != compute.FormatFloat(x) {
				t.Errorf("#%s value %d = %s, want %s", id, i, got[i], compute.FormatFloat(x))
			}
		}
	}
	if strings.Contains(page, `id="grad-logits-p"`) {
		t.Error("#grad-logits-p for P given as probabilities")
	}
	// p = 0 at four places: ∂L/∂target is NaN there, and 1.12 differed.
	if tag := regexp.MustCompile(`<li[^>]*id="grad-112"[^>]*>`).FindString(page); !strings.Contains(tag, `data-count="3"`) {
		t.Errorf("#grad-112 is %q, want data-count=3", tag)
	}
	for _, want := range []string{`data-note="GradNoteTargetZero"`, "pytorch#89558", `id="grad-sweep"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the tab lacks %s", want)
		}
	}
}

// TestGradViewT2: with both sides logits at T = 4 and the switch on, the
// gradients are those of loss * 16, and the tab says so.
func TestGradViewT2(t *testing.T) {
	s := defaultState()
	s.P, s.Q = [][]string{{"3.2", "-1", "0.5", "7.7"}}, [][]string{{"2.9", "-0.4", "0.1", "6"}}
	s.PForm, s.QForm, s.PTemp, s.QTemp = compute.FormLogits, compute.FormLogits, "4", "4"
	off := gradPage(t, s)
	s.ScaleT2 = true
	on := gradPage(t, s)
	// go-app prints attributes in map order, and false as checked="false".
	checked := func(page string) bool {
		tag := regexp.MustCompile(`<input[^>]*id="grad-t2"[^>]*>`).FindString(page)
		return strings.Contains(tag, " checked") && !strings.Contains(tag, `checked="false"`)
	}
	if !checked(on) || checked(off) {
		t.Error("the switch does not follow ScaleT2")
	}
	if !strings.Contains(on, "multiplied by T² = 16") {
		t.Error("the scale line does not mention T²")
	}
	p, q, opt, _, _ := s.problem()
	g, _ := compute.GradientsOf(p, q, opt, 16)
	if want := `data-value="` + compute.FormatFloat(g.QLogits.Data[0]) + `"`; !strings.Contains(on, want) {
		t.Errorf("the scaled tab lacks %s", want)
	}
}
