//go:build !js

package uitest

// End-to-end tests of the calculator itself: share URLs, typing into
// cells, every reduction, logits, input errors, history and the sub-path
// export, in headless Chromium against the real server and built site.
// Expected values either cite PyTorch (semantics.md) or come from the
// compute package, so the browser must show exactly what compute gives.

import (
	"context"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/klcalc/klcalc/cmd/internal/e2e"
	"github.com/klcalc/klcalc/compute"
)

// classicFragment is the README's example: PyTorch prints tensor(0.0153).
const classicFragment = "p=0.1,0.4,0.5&q=0.2,0.3,0.5&reduction=batchmean&p_as=prob&q_as=prob&dtype=float32&dims=1"

// uiSession is one browser tab on the calculator.
type uiSession struct {
	t   *testing.T
	p   *e2e.Page
	url string // the site's root, e.g. http://127.0.0.1:1234/
}

func newUISession(t *testing.T, b *e2e.Browser, root string) *uiSession {
	return &uiSession{t: t, p: b.Open(t), url: root}
}

// open loads the calculator with a fragment and waits for the wasm. It
// leaves the page first: navigating to another fragment of the same page
// would not load it again (that case is tested on its own).
func (s *uiSession) open(fragment string) {
	s.t.Helper()
	s.p.Navigate(s.t, "about:blank")
	target := s.url
	if fragment != "" {
		target += "#" + fragment
	}
	s.p.Navigate(s.t, target)
	s.waitFor("the calculator to apply the URL", `!document.getElementById("app-wasm-loader") && !document.getElementById("loading")`)
}

// waitFor polls a JavaScript condition.
func (s *uiSession) waitFor(what, cond string) {
	s.t.Helper()
	deadline := time.Now().Add(bootTimeout)
	var ok bool
	var err error
	for time.Now().Before(deadline) {
		// A navigation can replace the execution context under the poll:
		// retry until the deadline.
		ctx, cancel := context.WithTimeout(s.p.Ctx, time.Until(deadline))
		ok, err = chromedp.Run(ctx, chromedp.Poll[bool](cond, chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(time.Until(deadline))))
		cancel()
		if err == nil && ok {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.t.Fatalf("waiting for %s (%s): ok=%v err=%v; error box %q; console %q", what, cond, ok, err, s.errorText(), s.p.Console())
}

// value waits for #result and returns its data-value.
func (s *uiSession) value() string {
	s.t.Helper()
	s.waitFor("#result", `!!document.querySelector("#result[data-value], #result [data-value]")`)
	return e2e.Eval[string](s.t, s.p, `document.getElementById("result").getAttribute("data-value") ?? ""`)
}

func (s *uiSession) noneValues() []string {
	s.t.Helper()
	s.waitFor("#result values", `document.querySelectorAll("#result [data-value]").length > 0`)
	return e2e.Eval[[]string](s.t, s.p, `[...document.querySelectorAll("#result [data-value]")].map(e => e.dataset.value)`)
}

func (s *uiSession) errorText() string {
	v, _ := chromedp.Run(s.p.Ctx, chromedp.Evaluate[string](`document.getElementById("error")?.innerText ?? ""`))
	return v
}

func (s *uiSession) hash() string {
	return e2e.Eval[string](s.t, s.p, `decodeURIComponent(location.hash)`)
}

// typeInto replaces a cell's text by typing, as a user does.
func (s *uiSession) typeInto(id, text string) {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(s.p.Ctx, 20*time.Second)
	defer cancel()
	err := chromedp.Do(ctx, chromedp.Focus(chromedp.ID(id)))
	if err == nil {
		_, err = chromedp.Run(ctx, chromedp.Evaluate[any](`document.getElementById(`+jsLit(id)+`).select()`))
	}
	if err == nil {
		err = chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID(id), text))
	}
	if err != nil {
		s.t.Fatalf("typing %q into #%s: %v", text, id, err)
	}
}

// sameValue reports whether a data-value equals want to within 4 ulps:
// the test binary runs natively, where Go's math.Log and math.Exp use
// assembly that can differ from the pure-Go versions in wasm by an ulp.
func sameValue(got string, want float64) bool {
	v, err := strconv.ParseFloat(got, 64)
	if err != nil {
		return false
	}
	if v == want || math.IsNaN(v) && math.IsNaN(want) {
		return true
	}
	return math.Abs(v-want) <= 4*math.Abs(math.Nextafter(want, math.Inf(1))-want)
}

// want computes what the page must show, with the compute package.
func want(t *testing.T, p, q []float64, pForm, qForm compute.Form, red compute.Reduction, dt compute.DType, dims int) *compute.Result {
	t.Helper()
	pt, err := compute.FromRows([][]float64{p}, dims)
	if err != nil {
		t.Fatal(err)
	}
	qt, err := compute.FromRows([][]float64{q}, dims)
	if err != nil {
		t.Fatal(err)
	}
	r, err := compute.Calculate(compute.Side{Data: pt, Form: pForm, Temperature: 1}, compute.Side{Data: qt, Form: qForm, Temperature: 1}, compute.Options{Reduction: red, DType: dt})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestE2EUI(t *testing.T) {
	dir := e2e.SiteDir(t)
	srv := e2e.Serve(t, dir, "/")
	b := e2e.NewBrowser(t)
	root := srv.URL + "/"

	t.Run("PreRenderShowsNoResult", func(t *testing.T) {
		// The server cannot see the fragment, so the pre-rendered page must
		// not show a result for another state.
		resp, err := http.Get(root)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.Contains(string(body), `id="result"`) {
			t.Errorf("pre-rendered HTML contains #result")
		}
	})

	t.Run("ClassicExampleByURL", func(t *testing.T) {
		s := newUISession(t, b, root)
		s.open(classicFragment)
		// PyTorch prints tensor(0.0153) (semantics.md §1.4: 1-D batchmean = Σ/C).
		if got := s.value(); got != "0.01525270938873291" {
			t.Errorf("data-value = %s, want 0.01525270938873291 (float32 Σ/3)", got)
		}
		if txt := e2e.Eval[string](t, s.p, `document.getElementById("result").textContent`); txt != "tensor(0.0153)" {
			t.Errorf("#result text = %q, want tensor(0.0153)", txt)
		}
		if e := s.errorText(); e != "" {
			t.Errorf("#error = %q", e)
		}
		warn := e2e.Eval[string](t, s.p, `document.getElementById("warnings").textContent`)
		if !strings.Contains(warn, "unsqueeze(0)") {
			t.Errorf("no 1-D batchmean warning: %q", warn)
		}
		checkCleanPage(t, s.p, srv.URL)
	})

	t.Run("TypeUpdatesResultAndURL", func(t *testing.T) {
		s := newUISession(t, b, root)
		s.open(classicFragment)
		s.value()
		histBefore := e2e.Eval[int](t, s.p, `history.length`)
		s.typeInto("Q-r0-c0", "0.25")
		s.typeInto("Q-r0-c1", "0.25")
		r := want(t, []float64{0.1, 0.4, 0.5}, []float64{0.25, 0.25, 0.5}, compute.FormProb, compute.FormProb, compute.ReductionBatchMean, compute.DTypeFloat32, 1)
		wantV := compute.FormatFloat(r.Value) // float32: rounding hides ulp differences of log
		s.waitFor("the typed value", `document.getElementById("result")?.dataset.value === `+jsLit(wantV))
		h := s.hash()
		if !strings.Contains(h, "q=0.25,0.25,0.5") {
			t.Errorf("URL fragment %q does not hold the edit", h)
		}
		if n := e2e.Eval[int](t, s.p, `history.length`); n != histBefore {
			t.Errorf("history grew from %d to %d while typing", histBefore, n)
		}
		// Reloading the URL gives the same result.
		href := e2e.Eval[string](t, s.p, `location.href`)
		s2 := newUISession(t, b, root)
		s2.p.Navigate(t, href)
		s2.p.WaitBooted(t, bootTimeout)
		if got := s2.value(); got != wantV {
			t.Errorf("reloaded %s: %s, want %s", href, got, wantV)
		}
		// Text with separators in it survives a reload as typed.
		s.typeInto("Q-r0-c2", "1,5 & <b>")
		s.waitFor("escaped cell", `location.hash.includes("1%2C5%20%26%20%3Cb%3E")`)
		href = e2e.Eval[string](t, s.p, `location.href`)
		s3 := newUISession(t, b, root)
		s3.p.Navigate(t, "about:blank")
		s3.p.Navigate(t, href)
		s3.waitFor("the cell", `document.getElementById("Q-r0-c2")?.value === "1,5 & <b>"`)
		s3.waitFor("its error", `document.getElementById("error").innerText.includes("Q row 1, column 3")`)
		checkCleanPage(t, s.p, srv.URL)
	})

	t.Run("KeyboardGrid", func(t *testing.T) {
		s := newUISession(t, b, root)
		s.open("p=0.1,0.9;0.5,0.5&q=0.2,0.8;0.4,0.6")
		s.value()
		active := func() string { return e2e.Eval[string](t, s.p, `document.activeElement.id`) }
		key := func(k string) {
			if err := chromedp.Do(s.p.Ctx, chromedp.KeyEvent(k)); err != nil {
				t.Fatal(err)
			}
		}
		chromedp.Do(s.p.Ctx, chromedp.Focus(chromedp.ID("P-r0-c0")))
		key(kb.Enter) // Enter moves down a row
		if a := active(); a != "P-r1-c0" {
			t.Errorf("after Enter: %q, want P-r1-c0", a)
		}
		key(kb.ArrowUp)
		if a := active(); a != "P-r0-c0" {
			t.Errorf("after ArrowUp: %q, want P-r0-c0", a)
		}
		// The cell's text is selected on arrival; ArrowRight at the end of
		// the text moves to the next cell.
		e2e.Eval[any](t, s.p, `(el => el.setSelectionRange(el.value.length, el.value.length))(document.activeElement)`)
		key(kb.ArrowRight)
		if a := active(); a != "P-r0-c1" {
			t.Errorf("after ArrowRight at the end: %q, want P-r0-c1", a)
		}
		key(kb.Tab)
		if a := active(); a != "P-r1-c0" {
			t.Errorf("after Tab: %q, want P-r1-c0 (document order)", a)
		}
	})

	t.Run("EveryReduction", func(t *testing.T) {
		s := newUISession(t, b, root)
		p, q := []float64{0.1, 0.4, 0.5}, []float64{0.2, 0.3, 0.5}
		for _, red := range compute.Reductions() {
			for _, dt := range []compute.DType{compute.DTypeFloat32, compute.DTypeFloat64} {
				frag := "p=0.1,0.4,0.5&q=0.2,0.3,0.5&reduction=" + red.String() + "&dtype=" + dt.String() + "&dims=2"
				s.open(frag)
				r := want(t, p, q, compute.FormProb, compute.FormProb, red, dt, 2)
				if red == compute.ReductionNone {
					got := s.noneValues()
					if len(got) != 3 {
						t.Fatalf("%s: %d values, want 3", frag, len(got))
					}
					for i, v := range r.Output.Data {
						if !sameValue(got[i], v) {
							t.Errorf("%s: value %d = %s, want %s", frag, i, got[i], compute.FormatFloat(v))
						}
					}
					continue
				}
				if got := s.value(); !sameValue(got, r.Value) {
					t.Errorf("%s: %s, want %s", frag, got, compute.FormatFloat(r.Value))
				}
			}
		}
		// As (1, 3) with batchmean, PyTorch gives the KL itself, 0.0458.
		s.open("p=0.1,0.4,0.5&q=0.2,0.3,0.5&dims=2")
		if txt := e2e.Eval[string](t, s.p, `document.getElementById("result").textContent`); txt != "tensor(0.0458)" {
			t.Errorf("2-D batchmean prints %q, want tensor(0.0458)", txt)
		}
	})

	t.Run("ReductionRadio", func(t *testing.T) {
		s := newUISession(t, b, root)
		s.open(classicFragment)
		s.value()
		if err := chromedp.Do(s.p.Ctx, chromedp.Click(chromedp.ID("reduction-sum"))); err != nil {
			t.Fatal(err)
		}
		s.waitFor("sum", `document.getElementById("result")?.dataset.value === "0.04575812816619873"`)
		if h := s.hash(); !strings.Contains(h, "reduction=sum") {
			t.Errorf("fragment %q after choosing sum", h)
		}
	})

	t.Run("Logits", func(t *testing.T) {
		s := newUISession(t, b, root)
		// A one-hot target against confident logits: log_softmax([1000, 0,
		// −1000]) = [0, −1000, −2000] without overflow, so the KL is 0.
		s.open("p=1,0,0&q=1000,0,-1000&q_as=logits&reduction=sum")
		if got := s.value(); got != "0" {
			t.Errorf("one-hot vs confident logits = %s, want 0", got)
		}
		s.open("p=2,1,0.1&q=0.5,2.5,-1&p_as=logits&q_as=logits&reduction=sum&dtype=float64")
		r := want(t, []float64{2, 1, 0.1}, []float64{0.5, 2.5, -1}, compute.FormLogits, compute.FormLogits, compute.ReductionSum, compute.DTypeFloat64, 1)
		if got := s.value(); !sameValue(got, r.Value) {
			t.Errorf("logits/logits = %s, want %s", got, compute.FormatFloat(r.Value))
		}
		if m := e2e.Eval[string](t, s.p, `document.getElementById("P-mapping").textContent`); !strings.Contains(m, "log_target=True") {
			t.Errorf("P mapping %q", m)
		}
	})

	t.Run("InputErrorAndRecovery", func(t *testing.T) {
		s := newUISession(t, b, root)
		s.open("p=0.1,1e,0.5&q=0.2,0.3,0.5")
		s.waitFor("#error", `document.getElementById("error").innerText.includes("P row 1, column 2")`)
		if role := e2e.Eval[string](t, s.p, `document.getElementById("error").getAttribute("role")`); role != "alert" {
			t.Errorf("#error role = %q", role)
		}
		if has := e2e.Eval[bool](t, s.p, `!!document.getElementById("result")`); has {
			t.Errorf("#result shown despite an invalid cell")
		}
		if inv := e2e.Eval[string](t, s.p, `document.getElementById("P-r0-c1").getAttribute("aria-invalid")`); inv != "true" {
			t.Errorf("invalid cell aria-invalid = %q", inv)
		}
		s.typeInto("P-r0-c1", "0.4")
		// The app handles each keystroke; wait for the last one ("0." gives
		// another value on the way).
		s.waitFor("the fixed value", `document.getElementById("result")?.dataset.value === "0.01525270938873291"`)
		if got := s.value(); got != "0.01525270938873291" {
			t.Errorf("after fixing the cell: %s", got)
		}
		if e := s.errorText(); e != "" {
			t.Errorf("#error still %q", e)
		}
		// Shapes that do not broadcast name both shapes.
		s.open("p=0.5,0.5&q=0.2,0.3,0.5")
		s.waitFor("shape error", `document.getElementById("error").innerText.includes("(3,)") && document.getElementById("error").innerText.includes("(2,)")`)
	})

	t.Run("TamperedAndHostileURL", func(t *testing.T) {
		s := newUISession(t, b, root)
		s.open("p=0.1,0.4,0.5&q=0.2,0.3,0.5&reduction=avg&x=%3Cscript%3Ealert(1)%3C/script%3E")
		s.waitFor("#error", `document.getElementById("error").innerText.includes("reduction must be batchmean, sum, mean or none")`)
		s.open("p=%3Cimg%20src%3Dx%20onerror%3Dwindow.pwned%3D1%3E,0.5&q=0.5,0.5")
		s.waitFor("#error", `document.getElementById("error").innerText.includes("is not a number")`)
		if n := e2e.Eval[int](t, s.p, `document.querySelectorAll("img, script:not([src])").length`); n != 0 {
			t.Errorf("%d injected elements", n)
		}
		if pw := e2e.Eval[bool](t, s.p, `!!window.pwned`); pw {
			t.Error("script injected through the URL ran")
		}
		// The page still works after the bad links.
		s.typeInto("P-r0-c0", "0.5")
		s.value()
		checkCleanPage(t, s.p, srv.URL)
	})

	t.Run("HistoryAndHandEditedFragment", func(t *testing.T) {
		s := newUISession(t, b, root)
		s.open(classicFragment)
		s.value()
		// A hand-edited fragment is a navigation: the page follows it.
		e2e.Eval[any](t, s.p, `location.hash = "#p=0.1,0.4,0.5&q=0.2,0.3,0.5&reduction=sum&dims=1"`)
		s.waitFor("hand-edited sum", `document.getElementById("result")?.dataset.value === "0.04575812816619873"`)
		e2e.Eval[any](t, s.p, `history.back()`)
		s.waitFor("back to batchmean", `document.getElementById("result")?.dataset.value === "0.01525270938873291"`)
		e2e.Eval[any](t, s.p, `history.forward()`)
		s.waitFor("forward to sum", `document.getElementById("result")?.dataset.value === "0.04575812816619873"`)
	})
}

// TestE2EUISubpath checks the calculator under a sub-path: share URL,
// editing keeps the path, no request leaves the origin.
func TestE2EUISubpath(t *testing.T) {
	dir := e2e.BuildSite(t, e2e.SiteDir(t), "/kl/", "", 4)
	srv := e2e.Serve(t, dir, "/kl/")
	b := e2e.NewBrowser(t)
	s := newUISession(t, b, srv.URL+"/kl/")
	s.open(classicFragment)
	if got := s.value(); got != "0.01525270938873291" {
		t.Errorf("under /kl/: %s", got)
	}
	s.typeInto("P-r0-c2", "0.6")
	s.waitFor("edit", `location.hash.includes("p=0.1,0.4,0.6")`)
	if path := e2e.Eval[string](t, s.p, `location.pathname`); path != "/kl/" {
		t.Errorf("path after editing = %q, want /kl/", path)
	}
	checkCleanPage(t, s.p, srv.URL)
}

// unnamedControls lists the visible form controls without an accessible
// name (a <label>, aria-label, aria-labelledby, title, or a button's text).
const unnamedControls = `[...document.querySelectorAll("input, select, textarea, button, a[href], summary")]
  .filter(el => el.offsetParent !== null)
  .filter(el => {
    const named = (el.labels && [...el.labels].some(l => l.innerText.trim())) ||
      (el.getAttribute("aria-label") || "").trim() ||
      (el.getAttribute("aria-labelledby") || "").split(" ").some(id => document.getElementById(id)?.innerText.trim()) ||
      (el.title || "").trim() ||
      (["BUTTON", "A", "SUMMARY"].includes(el.tagName) && el.innerText.trim());
    return !named;
  })
  .map(el => el.id || el.outerHTML.slice(0, 80))`

// tabbable lists the visible controls that Tab must reach: radio groups
// are one stop (the checked radio).
const tabbable = `[...document.querySelectorAll("input, select, textarea, button, a[href], summary, [tabindex]:not([tabindex='-1'])")]
  .filter(el => el.offsetParent !== null && !el.disabled)
  .filter(el => !(el.type === "radio" && !el.checked))
  .filter(el => el.getAttribute("tabindex") !== "-1") // a row of tabs is one stop; the arrows move within it
  .map(el => el.id || el.outerHTML.slice(0, 60))`

func TestE2EAccessibility(t *testing.T) {
	dir := e2e.SiteDir(t)
	srv := e2e.Serve(t, dir, "/")
	b := e2e.NewBrowser(t)
	for _, frag := range []string{classicFragment, "p=0.5,0.5;0.9,0.1&q=0.25,0.75;0.5,0.5&q_as=logits&lang=ko"} {
		s := newUISession(t, b, srv.URL+"/")
		s.open(frag)
		s.value()
		// Open the paste areas so their controls count too.
		e2e.Eval[any](t, s.p, `document.querySelectorAll("details").forEach(d => d.open = true)`)
		if bad := e2e.Eval[[]string](t, s.p, unnamedControls); len(bad) > 0 {
			t.Errorf("%s: controls without an accessible name: %q", frag, bad)
		}
		want := e2e.Eval[[]string](t, s.p, tabbable)
		t.Logf("%s: %d tab stops", frag, len(want))
		e2e.Eval[any](t, s.p, `document.activeElement?.blur(); window.scrollTo(0, 0)`)
		seen := map[string]bool{}
		for i := 0; i < len(want)+10; i++ {
			if err := chromedp.Do(s.p.Ctx, chromedp.KeyEvent("\t")); err != nil {
				t.Fatal(err)
			}
			id := e2e.Eval[string](t, s.p, `(el => el.id || el.outerHTML.slice(0, 60))(document.activeElement)`)
			seen[id] = true
		}
		for _, w := range want {
			if !seen[w] {
				t.Errorf("%s: Tab never reaches %s", frag, w)
			}
		}
		// A visible focus: the focused cell has an outline.
		chromedp.Do(s.p.Ctx, chromedp.Focus(chromedp.ID("P-r0-c0")))
		if o := e2e.Eval[string](t, s.p, `getComputedStyle(document.activeElement).outlineStyle`); o == "none" {
			t.Errorf("%s: no visible focus outline on a cell", frag)
		}
		// Results are announced.
		if live := e2e.Eval[int](t, s.p, `document.querySelectorAll("[aria-live]").length`); live == 0 {
			t.Errorf("%s: nothing is aria-live", frag)
		}
	}
}

// The layout works on a 360-px-wide phone: nothing is wider than the
// screen (wide tables scroll inside their own box).
func TestE2EPhoneLayout(t *testing.T) {
	dir := e2e.SiteDir(t)
	srv := e2e.Serve(t, dir, "/")
	b := e2e.NewBrowser(t)
	s := newUISession(t, b, srv.URL+"/")
	if err := chromedp.Do(s.p.Ctx, chromedp.EmulateViewport(360, 740)); err != nil {
		t.Fatal(err)
	}
	for _, frag := range []string{
		classicFragment,
		"p=0.1,0.2,0.3,0.1,0.1,0.05,0.05,0.02,0.03,0.05;0.1,0.2,0.3,0.1,0.1,0.05,0.05,0.02,0.03,0.05&q=0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1&reduction=none&lang=ko",
		"mode=gauss&g=normal",
		"mode=rl&rl=verl&lang=ko",
	} {
		s.open(frag)
		s.waitFor("the page", `!!document.querySelector("#result, #gauss-result, #rl-reduced")`)
		if w := e2e.Eval[int](t, s.p, `document.documentElement.scrollWidth`); w > 360 {
			wide := e2e.Eval[[]string](t, s.p, `[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > 361 && !e.closest(".grid-wrap, .table-wrap, .chart-wrap, pre")).slice(0, 5).map(e => e.tagName + "#" + e.id + "." + e.className)`)
			t.Errorf("%s: page is %d px wide on a 360-px screen; too wide: %q", frag, w, wide)
		}
	}
}

func TestE2EFeatures(t *testing.T) {
	dir := e2e.SiteDir(t)
	srv := e2e.Serve(t, dir, "/")
	b := e2e.NewBrowser(t)
	root := srv.URL + "/"

	t.Run("ExamplePresets", func(t *testing.T) {
		s := newUISession(t, b, root)
		s.open(classicFragment)
		s.value()
		if err := chromedp.Do(s.p.Ctx, chromedp.Click(chromedp.CSS(".examples summary")), chromedp.Click(chromedp.ID("example-qzero"))); err != nil {
			t.Fatal(err)
		}
		s.waitFor("+Inf", `document.getElementById("result")?.dataset.value === "+Inf"`)
		if h := s.hash(); !strings.Contains(h, "q=1,0") {
			t.Errorf("fragment after the preset: %q", h)
		}
		if err := chromedp.Do(s.p.Ctx, chromedp.Click(chromedp.CSS(".examples summary")), chromedp.Click(chromedp.ID("example-nan"))); err != nil {
			t.Fatal(err)
		}
		s.waitFor("NaN", `document.getElementById("result")?.dataset.value === "NaN"`)
		if note := e2e.Eval[string](t, s.p, `document.querySelector("#terms tbody tr td.note")?.innerText ?? ""`); !strings.Contains(note, "0·(−∞)") {
			t.Errorf("first term's note = %q", note)
		}
		e2e.Eval[any](t, s.p, `history.back()`)
		s.waitFor("back to +Inf", `document.getElementById("result")?.dataset.value === "+Inf"`)
		if err := chromedp.Do(s.p.Ctx, chromedp.Click(chromedp.CSS(".examples summary")), chromedp.Click(chromedp.ID("example-distill"))); err != nil {
			t.Fatal(err)
		}
		s.waitFor("T² note", `(document.getElementById("distill")?.innerText ?? "").includes("16")`)
		checkCleanPage(t, s.p, srv.URL)
	})

	t.Run("ComparisonCodeAndCharts", func(t *testing.T) {
		s := newUISession(t, b, root)
		// semantics.md §7 rows 25–26: scipy.stats.entropy normalises, so an
		// unnormalised P gives a different value from kl_div's.
		s.open("p=1,1&q=0.9,0.1&reduction=sum&dtype=float64")
		s.value()
		// Only the open tab is drawn: the breakdown, by default.
		if n := e2e.Eval[int](t, s.p, `document.querySelectorAll("#compare, #snippet, #chart-pq, #related").length`); n != 0 || !e2e.Eval[bool](t, s.p, `!!document.getElementById("terms")`) {
			t.Errorf("the default tab draws %d elements of other tabs, or no breakdown", n)
		}
		// A tab opens with a click, and the link keeps it.
		if err := chromedp.Do(s.p.Ctx, chromedp.Click(chromedp.ID("tab-libraries"))); err != nil {
			t.Fatal(err)
		}
		s.waitFor("the comparison", `document.querySelectorAll("#compare tbody tr").length === 6`)
		s.waitFor("tab=libraries in the link", `location.hash.includes("tab=libraries")`)
		if n := e2e.Eval[int](t, s.p, `document.querySelectorAll("#terms, #snippet").length`); n != 0 {
			t.Errorf("the libraries tab also draws %d elements of other tabs", n)
		}
		ent := e2e.Eval[string](t, s.p, `document.querySelector("#fw-scipy-entropy .fw-value").dataset.value`)
		if !sameValue(ent, 0.5108256237659906) { // entropy([1,1],[9,1]) = entropy([.5,.5],[.9,.1])
			t.Errorf("scipy.stats.entropy = %s, want 0.5108256237659906", ent)
		}
		torch := e2e.Eval[string](t, s.p, `document.querySelector("#fw-torch .fw-value").dataset.value`)
		if torch != e2e.Eval[string](t, s.p, `document.getElementById("result").dataset.value`) {
			t.Errorf("the kl_div row %s differs from #result", torch)
		}
		if why := e2e.Eval[string](t, s.p, `document.querySelector("#fw-scipy-entropy .note").innerText`); why == "" {
			t.Error("no reason given for scipy.stats.entropy")
		}
		// Code export: the PyTorch snippet carries the numbers and options;
		// the tabs switch to SciPy and NumPy. The arrow keys move between
		// the workspace's tabs.
		if err := chromedp.Do(s.p.Ctx, chromedp.Focus(chromedp.ID("tab-libraries")), chromedp.KeyEvent(kb.ArrowRight)); err != nil {
			t.Fatal(err)
		}
		s.waitFor("the code tab", `!!document.getElementById("snippet") && document.activeElement?.id === "tab-code"`)
		code := e2e.Eval[string](t, s.p, `document.getElementById("snippet").innerText`)
		for _, want := range []string{"torch.float64", "reduction='sum'", "log_target=False", "0.9", "0.1", "F.kl_div"} {
			if !strings.Contains(code, want) {
				t.Errorf("PyTorch snippet lacks %q:\n%s", want, code)
			}
		}
		for _, tab := range []struct{ id, want string }{{"snippet-tab-SciPy", "rel_entr"}, {"snippet-tab-NumPy", "np.where"}} {
			if err := chromedp.Do(s.p.Ctx, chromedp.Click(chromedp.ID(tab.id))); err != nil {
				t.Fatal(err)
			}
			s.waitFor(tab.want, `document.getElementById("snippet").innerText.includes(`+jsLit(tab.want)+`)`)
		}
		// Charts: one focusable, labelled bar group per class and side; the
		// infinite term of a zero in Q is marked.
		s.open("p=0.5,0.3,0.2&q=0.5,0.5,0&reduction=sum&tab=charts")
		s.value()
		s.waitFor("the charts tab", `!!document.getElementById("chart-pq") && document.getElementById("tab-charts").getAttribute("aria-selected") === "true"`)
		if n := e2e.Eval[int](t, s.p, `document.querySelectorAll("#chart-pq g[tabindex='0'][aria-label]").length`); n != 6 {
			t.Errorf("%d P/Q bars, want 6", n)
		}
		label := e2e.Eval[string](t, s.p, `document.querySelectorAll("#chart-terms g[tabindex='0']")[2].getAttribute("aria-label")`)
		if !strings.Contains(label, "∞") {
			t.Errorf("the +∞ term's bar is labelled %q", label)
		}
		if title := e2e.Eval[string](t, s.p, `document.querySelectorAll("#chart-terms g[tabindex='0']")[2].querySelector("title").textContent`); title != label {
			t.Errorf("hover title %q differs from the label %q", title, label)
		}
		if ns := e2e.Eval[string](t, s.p, `document.getElementById("chart-pq").namespaceURI`); ns != "http://www.w3.org/2000/svg" {
			t.Errorf("chart namespace %q", ns)
		}
		checkCleanPage(t, s.p, srv.URL)
	})

	t.Run("GaussianMode", func(t *testing.T) {
		s := newUISession(t, b, root)
		s.open("mode=gauss&g=normal&mu1=1&s1=2&mu2=0&s2=1")
		// semantics.md §7 row 29: kl_divergence(Normal(1, 2), Normal(0, 1)) = 1.3068528194400546.
		s.waitFor("gauss result", `!!document.querySelector("#gauss-result[data-value]")`)
		got := e2e.Eval[string](t, s.p, `document.getElementById("gauss-result").dataset.value`)
		if !sameValue(got, 1.3068528194400546) {
			t.Errorf("KL(N(1,2²)‖N(0,1)) = %s, want 1.3068528194400546", got)
		}
		// KL(N(1,1)‖N(0,1)) = ½ (hand: ln 1 + (1 + 1)/2 − ½).
		s.typeInto("gauss-s1", "1")
		s.waitFor("½", `document.getElementById("gauss-result")?.dataset.value === "0.5"`)
		if h := s.hash(); !strings.Contains(h, "mode=gauss") || !strings.Contains(h, "s1=1") {
			t.Errorf("fragment %q", h)
		}
		// The plot is a tab of its own, which the link keeps; the code tab
		// copies the Gaussian snippet.
		if err := chromedp.Do(s.p.Ctx, chromedp.Click(chromedp.ID("tab-charts"))); err != nil {
			t.Fatal(err)
		}
		s.waitFor("the plot tab", `document.querySelectorAll("#gauss-plot path").length >= 2 && location.hash.includes("tab=charts")`)
		if err := chromedp.Do(s.p.Ctx, chromedp.Click(chromedp.ID("tab-code"))); err != nil {
			t.Fatal(err)
		}
		s.waitFor("the code tab", `(document.getElementById("gauss-snippet")?.textContent ?? "").includes("kl_divergence") && !document.getElementById("gauss-plot")`)
		e2e.Eval[any](t, s.p, `navigator.clipboard.writeText = (text) => { window.__copied = text; return Promise.resolve(); }`)
		if err := chromedp.Do(s.p.Ctx, chromedp.Click(chromedp.ID("copy-gauss-snippet"))); err != nil {
			t.Fatal(err)
		}
		s.waitFor("the copied code", `window.__copied === document.getElementById("gauss-snippet").textContent`)
		// Back to the discrete calculator with the button.
		if err := chromedp.Do(s.p.Ctx, chromedp.Click(chromedp.ID("mode-kl"))); err != nil {
			t.Fatal(err)
		}
		s.value()
		if h := s.hash(); strings.Contains(h, "mode=gauss") {
			t.Errorf("fragment %q after leaving the Gaussian mode", h)
		}
		checkCleanPage(t, s.p, srv.URL)
	})

	t.Run("Korean", func(t *testing.T) {
		s := newUISession(t, b, root)
		s.open(classicFragment + "&lang=ko")
		s.value()
		if h1 := e2e.Eval[string](t, s.p, `document.querySelector("h1").innerText`); h1 != "KL 발산 계산기" {
			t.Errorf("h1 = %q", h1)
		}
		if l := e2e.Eval[string](t, s.p, `document.documentElement.lang`); l != "ko" {
			t.Errorf("html lang = %q", l)
		}
		if w := e2e.Eval[string](t, s.p, `document.getElementById("warnings").innerText`); !strings.Contains(w, "클래스 수") {
			t.Errorf("warnings not in Korean: %q", w)
		}
		if _, err := chromedp.Run(s.p.Ctx, chromedp.Evaluate[any](`(s => { s.value = "en"; s.dispatchEvent(new Event("change", {bubbles: true})); })(document.getElementById("lang"))`)); err != nil {
			t.Fatal(err)
		}
		s.waitFor("English", `document.documentElement.lang === "en" && document.querySelector("h1").innerText === "KL divergence calculator"`)
		if h := s.hash(); !strings.Contains(h, "lang=en") {
			t.Errorf("fragment %q after switching to English", h)
		}
	})

	t.Run("PasteIntoCellAndDropFile", func(t *testing.T) {
		s := newUISession(t, b, root)
		s.open(classicFragment)
		s.value()
		// A row copied from a spreadsheet, pasted into one cell, fills the grid.
		e2e.Eval[any](t, s.p, `(() => {
		  const dt = new DataTransfer(); dt.setData("text/plain", "0.25\t0.25\t0.5");
		  const el = document.getElementById("Q-r0-c0"); el.focus();
		  el.dispatchEvent(new ClipboardEvent("paste", {clipboardData: dt, bubbles: true, cancelable: true}));
		})()`)
		s.waitFor("pasted Q", `location.hash.includes("q=0.25,0.25,0.5")`)
		// A CSV file dropped on P's panel replaces P (two rows now).
		e2e.Eval[any](t, s.p, `(() => {
		  const dt = new DataTransfer();
		  dt.items.add(new File(["a,b,c\n0.2,0.3,0.5\n0.6,0.2,0.2\n"], "p.csv", {type: "text/csv"}));
		  document.getElementById("P-panel").dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));
		})()`)
		s.waitFor("dropped P", `location.hash.includes("p=0.2,0.3,0.5;0.6,0.2,0.2")`)
		// A JSON file through the file picker replaces Q.
		e2e.Eval[any](t, s.p, `(() => {
		  const dt = new DataTransfer();
		  dt.items.add(new File(["[[0.1, 0.1, 0.8], [0.3, 0.3, 0.4]]"], "q.json", {type: "application/json"}));
		  const input = document.getElementById("Q-file"); input.files = dt.files;
		  input.dispatchEvent(new Event("change", {bubbles: true}));
		})()`)
		s.waitFor("picked Q", `location.hash.includes("q=0.1,0.1,0.8;0.3,0.3,0.4")`)
		s.value()
		// A broken file reports where.
		e2e.Eval[any](t, s.p, `(() => {
		  const dt = new DataTransfer();
		  dt.items.add(new File(["0.1,0.2\n0.3"], "bad.csv", {type: "text/csv"}));
		  const input = document.getElementById("Q-file"); input.files = dt.files;
		  input.dispatchEvent(new Event("change", {bubbles: true}));
		})()`)
		s.waitFor("file error", `!!document.getElementById("Q-paste-error")`)
		checkCleanPage(t, s.p, srv.URL)
	})
}
