//go:build !js

package uitest

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/klcalc/klcalc/cmd/internal/e2e"
)

// The RL mode (issue 12): a share link, the presets, the clamp badges,
// errors in words, and the link that keeps the choice. Expected values:
// verl's kl_penalty("low_var_kl") and TRL GRPO's per-token KL with their
// logged reductions, written from their source in torch 1.13.1, float32
// (compute/rl/testdata/gen.py).
func TestE2ERL(t *testing.T) {
	dir := e2e.SiteDir(t)
	srv := e2e.Serve(t, dir, "/")
	b := e2e.NewBrowser(t)
	s := newUISession(t, b, srv.URL+"/")
	value := func(id string) string {
		t.Helper()
		s.waitFor("#"+id, `!!document.getElementById(`+jsLit(id)+`)?.dataset.value`)
		return e2e.Eval[string](t, s.p, `document.getElementById(`+jsLit(id)+`).dataset.value`)
	}
	s.open("mode=rl&logp=-0.5,-30,-1&ref=-0.4,-1,-1.2&rl=verl")
	// log r = 29 on the second token: verl clamps k3 to 10, with a badge.
	if v := value("rl-k3"); v != "3.3413007259368896" {
		t.Errorf("verl k3 = %s, torch 3.3413007259368896", v)
	}
	if n := e2e.Eval[int](t, s.p, `document.querySelectorAll('#rl-tokens [data-est="k3"][data-clamped]').length`); n != 1 {
		t.Errorf("%d clamped k3 tokens, want 1", n)
	}
	if txt := e2e.Eval[string](t, s.p, `document.getElementById("rl-direction").innerText`); !strings.Contains(txt, "KL(π ‖ π_ref)") {
		t.Errorf("direction %q", txt)
	}
	// TRL GRPO has no clamp: exp(29) stays.
	if err := chromedp.Do(s.p.Ctx, chromedp.Click(chromedp.ID("rl-preset-trl-grpo"))); err != nil {
		t.Fatal(err)
	}
	s.waitFor("GRPO's value", `parseFloat(document.getElementById("rl-k3")?.dataset.value) === 1310444748800`)
	if n := e2e.Eval[int](t, s.p, `document.querySelectorAll("#rl-k1, #rl-k2, #rl-abs").length`); n != 0 {
		t.Errorf("GRPO shows %d estimators it does not compute", n)
	}
	if h := s.hash(); !strings.Contains(h, "mode=rl") || !strings.Contains(h, "rl=trl-grpo") || !strings.Contains(h, "logp=-0.5,-30,-1") {
		t.Errorf("the link %q", h)
	}
	// A bad value is said in words; the rest of the page keeps working.
	e2e.Eval[any](t, s.p, `(el => { el.value = "-0.5, oops, -1"; el.dispatchEvent(new Event("change", {bubbles: true})) })(document.getElementById("rl-logp"))`)
	s.waitFor("the error", `(document.getElementById("error")?.innerText ?? "").includes('value 2: "oops" is not a number')`)
	e2e.Eval[any](t, s.p, `(el => { el.value = "-0.5, -30, -1"; el.dispatchEvent(new Event("change", {bubbles: true})) })(document.getElementById("rl-logp"))`)
	s.waitFor("the value back", `parseFloat(document.getElementById("rl-k3")?.dataset.value) === 1310444748800`)
	// Columns pasted with a header, then a file dropped: the fields fill and
	// the link follows.
	s.open("mode=rl&rl=verl")
	e2e.Eval[any](t, s.p, `(el => { el.value = "seq,ref,logp,mask\n0,-0.4,-0.5,1\n0,-1,-30,1\n1,-1.2,-1,1"; el.dispatchEvent(new Event("change", {bubbles: true})) })(document.getElementById("rl-paste"))`)
	s.waitFor("the pasted columns", `document.getElementById("rl-logp")?.value === "-0.5, -30, -1" && document.getElementById("rl-seq")?.value === "0, 0, 1"`)
	// verl: per-sequence masked means of low_var_kl, then their mean, over
	// the padded [2, 2] batch (torch 1.13.1, float32).
	if v := value("rl-k3"); v != "2.510658025741577" {
		t.Errorf("verl k3 after the paste = %s, torch 2.510658025741577", v)
	}
	if h := s.hash(); !strings.Contains(h, "logp=-0.5,-30,-1") || !strings.Contains(h, "seq=0,0,1") {
		t.Errorf("the link after the paste %q", h)
	}
	e2e.Eval[any](t, s.p, `(() => { const dt = new DataTransfer(); dt.items.add(new File(["logp\tref\n-1\t-2\n-3\t-1\n"], "lp.tsv", {type: "text/tab-separated-values"}));
		document.querySelector(".rl-drop").dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true})) })()`)
	s.waitFor("the dropped file", `document.getElementById("rl-logp")?.value === "-1, -3"`)
	// Full distributions per token: the exact KL beside the estimates
	// (PyTorch 1.13.1, float32: F.kl_div(log_softmax(ref), log_softmax(pi),
	// reduction='none', log_target=True).sum(-1) = [0.057245366275310516,
	// 0.024676885455846786]; their mean in float64).
	s.open("mode=rl&logp=-0.3,-1.2&ref=-0.5,-1.0&pi=2,0.5,-1;0.1,0.2,0.3&pi_ref=1.5,0.7,-0.5;0,0.5,0.1")
	if v := value("rl-exact"); v != "0.04096112586557865" {
		t.Errorf("exact KL %s, want 0.04096112586557865", v)
	}
	if n := e2e.Eval[int](t, s.p, `document.querySelectorAll("#rl-tokens [data-exact]").length`); n != 2 {
		t.Errorf("%d exact cells, want 2", n)
	}
	checkCleanPage(t, s.p, srv.URL)
}
