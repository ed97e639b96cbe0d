//go:build !js

package uitest

import (
	"math"
	"strconv"
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

	// The distillation tab: flavours from a share link, the mask and β
	// typed, the selector, and the link that keeps them. Expected values:
	// the reimplementation of each library's source in torch 1.13.1
	// (compute/distill/testdata/gen.py), float64.
	t.Run("DistillationTab", func(t *testing.T) {
		s := newUISession(t, b, root)
		link := "p=3.2,-1,0.5,7.7;1,2,0,0;0,0,5,1&q=2.9,-0.4,0.1,6;0,1,0,2;1,1,1,1&p_as=logits&q_as=logits&p_temp=4&q_temp=4&tab=distill&mask=1,1,0"
		s.open(link)
		s.value()
		flavor := func(key string) float64 {
			t.Helper()
			s.waitFor("#flavors "+key, `!!document.querySelector('#flavors [data-flavor="`+key+`"][data-value]')`)
			v := e2e.Eval[string](t, s.p, `document.querySelector('#flavors [data-flavor="`+key+`"]').dataset.value`)
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("%s: data-value %q", key, v)
			}
			return f
		}
		near := func(what string, got, want float64) {
			t.Helper()
			if math.Abs(got-want) > 1e-12*math.Abs(want) {
				t.Errorf("%s = %v, the torch reimplementation %v", what, got, want)
			}
		}
		if n := e2e.Eval[int](t, s.p, `document.querySelectorAll("#flavors [data-flavor][data-value]").length`); n != 7 {
			t.Errorf("%d flavours in #flavors, want 7", n)
		}
		near("kl_div", flavor("kl_div"), 0.07727425568787794)
		near("masked-fkl", flavor("masked-fkl"), 0.033627176010970816)
		near("gkd at β = 0.5", flavor("gkd"), 0.008661480191321472)
		// β typed: GKD follows, and the link keeps it.
		s.typeInto("beta", "0.3")
		e2e.Eval[any](t, s.p, `document.getElementById("beta").dispatchEvent(new Event("change", {bubbles: true}))`)
		s.waitFor("GKD at β = 0.3", `Math.abs(parseFloat(document.querySelector('#flavors [data-flavor="gkd"]').dataset.value) - 0.007180533987140352) < 1e-15`)
		// Choosing a flavour shows its definition and code, and the link keeps it.
		if err := chromedp.Do(s.p.Ctx, chromedp.Click(chromedp.ID("flavor-torchtune-fkl"))); err != nil {
			t.Fatal(err)
		}
		s.waitFor("torchtune's detail", `document.getElementById("flavor-detail")?.dataset.flavor === "torchtune-fkl"`)
		if code := e2e.Eval[string](t, s.p, `document.getElementById("flavor-snippet").textContent`); !strings.Contains(code, "ForwardKLLoss") || !strings.Contains(code, "labels = torch.tensor([0, 0, -100])") {
			t.Errorf("the snippet:\n%s", code)
		}
		h := s.hash()
		for _, kv := range []string{"tab=distill", "flavor=torchtune-fkl", "mask=1,1,0", "beta=0.3"} {
			if !strings.Contains(h, kv) {
				t.Errorf("the link %q lacks %s", h, kv)
			}
		}
		// A mask of the wrong length is said in words; the result stays.
		s.typeInto("mask", "1,0")
		e2e.Eval[any](t, s.p, `document.getElementById("mask").dispatchEvent(new Event("change", {bubbles: true}))`)
		s.waitFor("the mask's error", `(document.getElementById("distill-error")?.innerText ?? "").includes("2 values for 3 rows")`)
		if v := s.value(); v == "" {
			t.Error("the result is gone")
		}
		checkCleanPage(t, s.p, srv.URL)
	})
}
