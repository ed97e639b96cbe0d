//go:build !js

package uitest

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/klcalc/klcalc/cmd/internal/e2e"
)

// The training view (issue 11): the gradient tab, its T² switch and its
// share keys, against values of PyTorch 1.13.1.
func TestE2ETraining(t *testing.T) {
	dir := e2e.SiteDir(t)
	srv := e2e.Serve(t, dir, "/")
	b := e2e.NewBrowser(t)
	root := srv.URL + "/"
	// Teacher and student logits at T = 4, float32, 'batchmean' over one
	// row: F.kl_div(F.log_softmax(q / 4, -1), F.log_softmax(p / 4, -1),
	// reduction='batchmean', log_target=True), and that times 4.0**2, then
	// .backward(), in PyTorch 1.13.1 (Debian's python3-torch).
	const distill = "p=3.2,-1,0.5,7.7&q=2.9,-0.4,0.1,6&p_as=logits&q_as=logits&p_temp=4&q_temp=4&dims=2"
	qGrad := []string{"0.010280881077051163", "0.008974548429250717", "0.004469055682420731", "-0.023724466562271118"}
	pGrad := []string{"-0.010370923206210136", "-0.007614349015057087", "-0.004636157304048538", "0.022621432319283485"}
	qGradT2 := []string{"0.1644940972328186", "0.14359277486801147", "0.07150489091873169", "-0.3795914649963379"}
	values := func(s *uiSession, id string) []string {
		s.t.Helper()
		s.waitFor("#"+id, `document.querySelectorAll("#`+id+` [data-value]").length > 0`)
		return e2e.Eval[[]string](s.t, s.p, `[...document.querySelectorAll("#`+id+` [data-value]")].map(e => e.dataset.value)`)
	}
	same := func(t *testing.T, what string, got, want []string) {
		t.Helper()
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s = %v, PyTorch %v", what, got, want)
		}
	}

	t.Run("GradientTab", func(t *testing.T) {
		s := newUISession(t, b, root)
		s.open(distill + "&tab=gradient")
		if v := s.value(); v != "0.01998113840818405" {
			t.Errorf("kl_div = %s, PyTorch 0.01998113840818405", v)
		}
		same(t, "#grad-logits-q", values(s, "grad-logits-q"), qGrad)
		same(t, "#grad-logits-p", values(s, "grad-logits-p"), pGrad)
		if n := len(values(s, "grad-input")); n != 4 {
			t.Errorf("#grad-input has %d values", n)
		}
		s.waitFor("the sweep plot", `!!document.querySelector("#chart-sweep path[data-c~=line-t2]")`)

		// The tab's switch scales the loss and the gradients, and the link keeps it.
		if err := chromedp.Do(s.p.Ctx, chromedp.Click(chromedp.ID("grad-t2"))); err != nil {
			t.Fatal(err)
		}
		s.waitFor("the scaled gradients", `document.querySelector("#grad-logits-q [data-value]")?.dataset.value === `+jsLit(qGradT2[0]))
		same(t, "#grad-logits-q × T²", values(s, "grad-logits-q"), qGradT2)
		if v := s.value(); v != "0.3196982145309448" {
			t.Errorf("kl_div × 16 = %s, PyTorch 0.3196982145309448", v)
		}
		if h := s.hash(); !strings.Contains(h, "t2=1") || !strings.Contains(h, "tab=gradient") {
			t.Errorf("the link %q lacks t2=1 or tab=gradient", h)
		}
		// Reopening the written link gives the same tab.
		written := e2e.Eval[string](t, s.p, `location.hash.slice(1)`)
		s.open(written)
		same(t, "#grad-logits-q reopened", values(s, "grad-logits-q"), qGradT2)
		checkCleanPage(t, s.p, srv.URL)
	})

	t.Run("OpenTabAndEdit", func(t *testing.T) {
		s := newUISession(t, b, root)
		s.open("p=0,1,0&q=0.2,0.3,0.5&reduction=sum&dtype=float64")
		s.value()
		if err := chromedp.Do(s.p.Ctx, chromedp.Click(chromedp.ID("tab-gradient"))); err != nil {
			t.Fatal(err)
		}
		// sum, float64: ∂L/∂input = −p; ∂L/∂target = log p + 1 − log q,
		// NaN where p = 0 (PyTorch ≥ 1.13).
		same(t, "#grad-input", values(s, "grad-input"), []string{"-0", "-1", "-0"})
		tg := values(s, "grad-target")
		if len(tg) != 3 || tg[0] != "NaN" || tg[2] != "NaN" || tg[1] != "2.203972804325936" {
			t.Errorf("#grad-target = %v, want [NaN 2.203972804325936 NaN]", tg)
		}
		if note := e2e.Eval[string](t, s.p, `document.getElementById("grad-notes")?.innerText ?? ""`); !strings.Contains(note, "pytorch#89558") {
			t.Errorf("the notes say %q", note)
		}
		if h := s.hash(); !strings.Contains(h, "tab=gradient") {
			t.Errorf("the link %q does not keep the tab", h)
		}
		// An edit updates the open tab.
		s.typeInto("P-r0-c0", "0.5")
		s.waitFor("the edited gradient", `document.querySelector("#grad-input [data-value]")?.dataset.value === "-0.5"`)
		checkCleanPage(t, s.p, srv.URL)
	})
}
