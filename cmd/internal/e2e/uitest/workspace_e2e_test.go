//go:build !js

package uitest

import (
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/klcalc/klcalc/cmd/internal/e2e"
	"github.com/klcalc/klcalc/compute"
)

// The workspace (issue 10): the result beside the inputs and in view, the
// tabs, linked classes, swap, Enter adding a row, ASCII copies.
func TestE2EWorkspace(t *testing.T) {
	dir := e2e.SiteDir(t)
	srv := e2e.Serve(t, dir, "/")
	b := e2e.NewBrowser(t)
	root := srv.URL + "/"

	// Without JavaScript the page says what it needs, in both languages.
	t.Run("NoScript", func(t *testing.T) {
		resp, err := http.Get(root)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if !regexp.MustCompile(`(?s)<noscript>.*needs JavaScript.*JavaScript를 켜 주세요`).Match(body) {
			t.Errorf("the page has no bilingual <noscript> message:\n%.2000s", body)
		}
	})

	t.Run("ResultInView", func(t *testing.T) {
		s := newUISession(t, b, root)
		if err := chromedp.Do(s.p.Ctx, chromedp.EmulateViewport(1280, 800)); err != nil {
			t.Fatal(err)
		}
		s.open(classicFragment)
		s.value()
		// The printed value, the divisor line and the warnings without
		// scrolling; the page no taller than 1 100 px.
		for _, id := range []string{"result", "divisor", "warnings"} {
			if bottom := e2e.Eval[float64](t, s.p, `document.getElementById(`+jsLit(id)+`).getBoundingClientRect().bottom`); bottom > 800 {
				t.Errorf("#%s ends at y = %.0f, below the 800-px screen", id, bottom)
			}
		}
		if h := e2e.Eval[float64](t, s.p, `document.documentElement.scrollHeight`); h > 1100 {
			t.Errorf("the default page is %.0f px tall, more than 1 100", h)
		}
		// A tall batch: after scrolling to its last row, the result is still on screen.
		s.open("p=" + strings.Repeat("0.5,0.5;", 39) + "0.5,0.5&q=0.25,0.75&reduction=batchmean")
		s.value()
		e2e.Eval[any](t, s.p, `document.getElementById("P-r39-c0")?.scrollIntoView() ?? window.scrollTo(0, document.body.scrollHeight)`)
		if top := e2e.Eval[float64](t, s.p, `document.getElementById("result").getBoundingClientRect().top`); top < 0 || top > 800 {
			t.Errorf("after scrolling the grid, #result is at y = %.0f", top)
		}
		// On a phone, the result bar stays at the top while the inputs scroll.
		if err := chromedp.Do(s.p.Ctx, chromedp.EmulateViewport(390, 844)); err != nil {
			t.Fatal(err)
		}
		s.open(classicFragment)
		s.value()
		e2e.Eval[any](t, s.p, `window.scrollTo(0, 600)`)
		s.waitFor("the result bar at the top", `(r => r.top >= 0 && r.top < 5 && r.height > 0)(document.querySelector(".result-bar").getBoundingClientRect())`)
		if bar := e2e.Eval[string](t, s.p, `document.querySelector(".result-bar").innerText`); !strings.Contains(bar, "tensor(0.0153)") {
			t.Errorf("result bar %q", bar)
		}
	})

	t.Run("LinkedClassesSwapEnter", func(t *testing.T) {
		s := newUISession(t, b, root)
		s.open(classicFragment)
		s.value()
		cells := func(side string) int {
			return e2e.Eval[int](t, s.p, `document.querySelectorAll("input[id^='`+side+`-r0-c']").length`)
		}
		if err := chromedp.Do(s.p.Ctx, chromedp.Click(chromedp.ID("P-add-col"))); err != nil {
			t.Fatal(err)
		}
		s.waitFor("a class on both sides", `document.querySelectorAll("input[id^='Q-r0-c']").length === 4`)
		if p := cells("P"); p != 4 {
			t.Errorf("P has %d classes", p)
		}
		s.value() // still broadcasts: a result
		// Unlinked, + class changes one side.
		if err := chromedp.Do(s.p.Ctx, chromedp.Click(chromedp.ID("linked"))); err != nil {
			t.Fatal(err)
		}
		s.waitFor("linked=0 in the link", `location.hash.includes("linked=0")`)
		if err := chromedp.Do(s.p.Ctx, chromedp.Click(chromedp.ID("Q-remove-col"))); err != nil {
			t.Fatal(err)
		}
		s.waitFor("Q alone shrinks", `document.querySelectorAll("input[id^='Q-r0-c']").length === 3`)
		if p := cells("P"); p != 4 {
			t.Errorf("unlinked: P has %d classes", p)
		}
		// Swap: P gets Q's three classes.
		if err := chromedp.Do(s.p.Ctx, chromedp.Click(chromedp.ID("swap"))); err != nil {
			t.Fatal(err)
		}
		s.waitFor("swapped", `document.querySelectorAll("input[id^='P-r0-c']").length === 3 && document.querySelectorAll("input[id^='Q-r0-c']").length === 4`)
		if h := s.hash(); !strings.Contains(h, "p=0.2,0.3,0.5") {
			t.Errorf("after the swap the link is %q", h)
		}
		// Enter on the last row adds a row and moves into it.
		if err := chromedp.Do(s.p.Ctx, chromedp.Focus(chromedp.ID("P-r0-c1")), chromedp.KeyEvent(kb.Enter)); err != nil {
			t.Fatal(err)
		}
		s.waitFor("a new row, focused", `!!document.getElementById("P-r1-c1") && document.activeElement?.id === "P-r1-c1"`)
		// An invalid cell does not move while its message shows.
		x0 := e2e.Eval[float64](t, s.p, `document.getElementById("P-r0-c2").getBoundingClientRect().left`)
		s.typeInto("P-r0-c1", "1e")
		s.waitFor("the cell marked invalid", `document.getElementById("P-r0-c1").getAttribute("aria-invalid") === "true"`)
		if x1 := e2e.Eval[float64](t, s.p, `document.getElementById("P-r0-c2").getBoundingClientRect().left`); x1 != x0 {
			t.Errorf("the next cell moved from x = %.1f to %.1f when the message appeared", x0, x1)
		}
		s.typeInto("P-r0-c1", "0.3")
		// The paste area stays open while it shows an error, which names
		// the line and column of the pasted text.
		e2e.Eval[any](t, s.p, `document.querySelector("#P-panel details.paste").open = true`)
		s.typeInto("P-paste", "0.1, 0.2\n0.3, 1e")
		if err := chromedp.Do(s.p.Ctx, chromedp.Click(chromedp.ID("P-paste-apply"))); err != nil {
			t.Fatal(err)
		}
		s.waitFor("the paste error", `(document.getElementById("P-paste-error")?.innerText ?? "").includes("line 2, column 6 of the pasted text")`)
		if !e2e.Eval[bool](t, s.p, `document.querySelector("#P-panel details.paste").open`) {
			t.Error("the paste area closed when its error appeared")
		}
		// A file over 20 MB dropped after dragging over the panel gets a
		// message (a drag-over used to stop the panel's renders).
		e2e.Eval[any](t, s.p, `(() => {
  const panel = document.getElementById("Q-panel"), dt = new DataTransfer();
  dt.items.add(new File([new Uint8Array(21 << 20)], "logits.csv", {type: "text/csv"}));
  panel.dispatchEvent(new DragEvent("dragover", {dataTransfer: dt, bubbles: true, cancelable: true}));
  panel.dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));
})()`)
		s.waitFor("the size message", `(document.getElementById("Q-paste-error")?.innerText ?? "").includes("logits.csv is 21.0 MB")`)
		// Tab from P's last control reaches Q.

		e2e.Eval[any](t, s.p, `document.getElementById("P-remove-col").focus()`)
		for i := 0; i < 6 && !e2e.Eval[bool](t, s.p, `document.activeElement?.id?.startsWith("Q-")`); i++ {
			if err := chromedp.Do(s.p.Ctx, chromedp.KeyEvent("\t")); err != nil {
				t.Fatal(err)
			}
		}
		if id := e2e.Eval[string](t, s.p, `document.activeElement?.id ?? ""`); !strings.HasPrefix(id, "Q-") {
			t.Errorf("Tab from P's last button goes to %q, not Q", id)
		}
		checkCleanPage(t, s.p, srv.URL)
	})

	t.Run("FormDetection", func(t *testing.T) {
		s := newUISession(t, b, root)
		s.open(classicFragment)
		s.value()
		// Logits pasted into a cell, as from a spreadsheet: Q is read as
		// logits, says why, and the link records it.
		e2e.Eval[any](t, s.p, `(() => {
  const dt = new DataTransfer(); dt.setData("text/plain", "2.1\t-0.3\t0.4");
  document.getElementById("Q-r0-c0").dispatchEvent(new ClipboardEvent("paste", {clipboardData: dt, bubbles: true, cancelable: true}));
})()`)
		s.waitFor("Q read as logits", `document.getElementById("Q-form-logits")?.checked === true`)
		// The open tab follows the result a frame later (it once stayed on
		// the old result when the paste rebuilt the grid).
		s.waitFor("the tab on the new result", `document.getElementById("view").dataset.value === document.getElementById("result").dataset.value`)
		note := e2e.Eval[string](t, s.p, `document.getElementById("Q-detected").innerText`)
		if !strings.Contains(note, "Q is now read as logits: the pasted values include negatives") {
			t.Errorf("the note says %q", note)
		}
		if h := s.hash(); !strings.Contains(h, "q_as=logits") || !strings.Contains(h, "q=2.1,-0.3,0.4") {
			t.Errorf("after the paste the link is %q", h)
		}
		logits := s.value()
		// Undo reads Q as probabilities again; the note goes.
		if err := chromedp.Do(s.p.Ctx, chromedp.Click(chromedp.ID("Q-detected-undo"))); err != nil {
			t.Fatal(err)
		}
		s.waitFor("Q read as probabilities", `document.getElementById("Q-form-prob")?.checked === true && document.getElementById("Q-detected").innerText === ""`)
		if h := s.hash(); !strings.Contains(h, "q_as=prob") {
			t.Errorf("after the undo the link is %q", h)
		}
		if v := s.value(); v == logits {
			t.Errorf("the value stayed %s after the undo", v)
		}
		// Printed log-probabilities through the paste area: read as such.
		e2e.Eval[any](t, s.p, `document.querySelector("#P-panel details.paste").open = true`)
		s.typeInto("P-paste", "tensor([-2.3026, -1.6094, -0.3567])")
		if err := chromedp.Do(s.p.Ctx, chromedp.Click(chromedp.ID("P-paste-apply"))); err != nil {
			t.Fatal(err)
		}
		s.waitFor("P read as log-probabilities", `document.getElementById("P-form-log")?.checked === true`)
		if note := e2e.Eval[string](t, s.p, `document.getElementById("P-detected").innerText`); !strings.Contains(note, "each row's exponentials sum to 1") {
			t.Errorf("the note says %q", note)
		}
		// Any other edit ends the note.
		s.typeInto("Q-r0-c0", "0.2")
		s.waitFor("the note gone", `document.getElementById("P-detected").innerText === ""`)
		checkCleanPage(t, s.p, srv.URL)
	})

	t.Run("T2Switch", func(t *testing.T) {
		s := newUISession(t, b, root)
		// Values of PyTorch 1.13.1 (app.TestScaleT2Headline): kl_div and
		// kl_div * T**2 in float32 at T = 2.
		s.open("p=2,0.5,-1&q=1,1,0.3&p_as=logits&q_as=logits&p_temp=2&q_temp=2&dims=2")
		if v := s.value(); v != "0.10671837627887726" {
			t.Errorf("kl_div = %s", v)
		}
		if err := chromedp.Do(s.p.Ctx, chromedp.Click(chromedp.ID("t2"))); err != nil {
			t.Fatal(err)
		}
		s.waitFor("the scaled headline", `document.getElementById("result").dataset.value === "0.42687350511550903"`)
		if h := s.hash(); !strings.Contains(h, "t2=1") {
			t.Errorf("the link %q does not keep the switch", h)
		}
		if txt := e2e.Eval[string](t, s.p, `document.getElementById("distill").innerText`); !strings.Contains(txt, "F.kl_div itself returns 0.10671837627887726") {
			t.Errorf("the note says %q", txt)
		}
		checkCleanPage(t, s.p, srv.URL)
	})

	t.Run("WarningFixes", func(t *testing.T) {
		s := newUISession(t, b, root)
		// A zero in Q: the error comes first, with its fix and the value it gives.
		s.open("p=0.5,0.5&q=1,0&reduction=sum")
		if v := s.value(); v != "+Inf" {
			t.Fatalf("value %s", v)
		}
		first := e2e.Eval[string](t, s.p, `document.querySelector("#warnings li").className`)
		if !strings.Contains(first, "sev-error") {
			t.Errorf("the first warning is %q, not the error", first)
		}
		label := e2e.Eval[string](t, s.p, `document.querySelector("#warnings li .fix")?.innerText ?? ""`)
		if !strings.Contains(label, "ε = 1e-6") || !strings.Contains(label, "gives") {
			t.Errorf("fix label %q", label)
		}
		if err := chromedp.Do(s.p.Ctx, chromedp.Click(chromedp.CSS("#warnings li .fix"))); err != nil {
			t.Fatal(err)
		}
		s.waitFor("a finite value", `(v => v && v !== "+Inf")(document.getElementById("result")?.dataset.value)`)
		if got, want := s.value(), strings.TrimSuffix(strings.TrimPrefix(label[strings.Index(label, "gives ")+len("gives "):], ""), ")"); got != want {
			t.Errorf("after the fix the value is %s, the button said %s", got, want)
		}
		if h := s.hash(); strings.Contains(h, "q=1,0&") {
			t.Errorf("the link did not record the fix: %q", h)
		}
		// Back undoes it.
		e2e.Eval[any](t, s.p, `history.back()`)
		s.waitFor("+Inf again", `document.getElementById("result")?.dataset.value === "+Inf"`)
		// 'mean' → 'batchmean'; 1-D batchmean → a batch of one.
		s.open("p=0.5,0.5;0.9,0.1&q=0.25,0.75;0.5,0.5&reduction=mean")
		s.value()
		if err := chromedp.Do(s.p.Ctx, chromedp.Click(chromedp.CSS(`#warnings li[data-code="4"] .fix`))); err != nil {
			t.Fatal(err)
		}
		s.waitFor("batchmean", `document.getElementById("reduction-batchmean").checked && location.hash.includes("reduction=batchmean")`)
		s.open(classicFragment)
		s.value()
		if err := chromedp.Do(s.p.Ctx, chromedp.Click(chromedp.CSS(`#warnings li[data-code="5"] .fix`))); err != nil {
			t.Fatal(err)
		}
		s.waitFor("2-D", `location.hash.includes("dims=2") && document.getElementById("result")?.dataset.value === "0.04575812816619873"`)
		checkCleanPage(t, s.p, srv.URL)
	})

	// The take-away files are made in the page: the test catches the blob
	// each button hands to the download.
	t.Run("Downloads", func(t *testing.T) {
		s := newUISession(t, b, root)
		s.p.AddScript(t, `window.__blobs = []; const mk = URL.createObjectURL; URL.createObjectURL = b => { window.__blobs.push(b); return mk(b); };`)
		s.open("p=0.5,0.5;0.9,0.1&q=1,0;0.5,0.5&reduction=sum")
		s.value()
		take := func(button string) (string, int) {
			t.Helper()
			n := e2e.Eval[int](t, s.p, `window.__blobs.length`)
			if err := chromedp.Do(s.p.Ctx, chromedp.Click(chromedp.ID(button))); err != nil {
				t.Fatal(err)
			}
			s.waitFor("the file of "+button, `window.__blobs.length > `+fmt.Sprint(n))
			return e2e.Eval[string](t, s.p, `window.__blobs.at(-1).type`), e2e.Eval[int](t, s.p, `window.__blobs.at(-1).size`)
		}
		text := func() string { return e2e.Eval[string](t, s.p, `window.__blobs.at(-1).text()`) }
		if typ, _ := take("download-terms"); typ != "text/csv" || !strings.Contains(text(), "1,2,0.5,0,-0.6931471805599453,-inf,inf,SpecialQZero") {
			t.Errorf("terms CSV (%s):\n%s", typ, text())
		}
		take("download-rows")
		if !strings.HasPrefix(text(), "row,sum_of_terms\n1,inf\n") {
			t.Errorf("rows CSV:\n%s", text())
		}
		if err := chromedp.Do(s.p.Ctx, chromedp.Click(chromedp.ID("tab-charts"))); err != nil {
			t.Fatal(err)
		}
		s.waitFor("the charts", `!!document.getElementById("chart-pq")`)
		if typ, _ := take("save-chart-pq-svg"); typ != "image/svg+xml" || !strings.Contains(text(), `xmlns="http://www.w3.org/2000/svg"`) || !strings.Contains(text(), `fill="rgb(`) {
			t.Errorf("SVG (%s) lacks its namespace or its colours: %.300s", typ, text())
		}
		if typ, size := take("save-chart-terms-png"); typ != "image/png" || size < 1000 {
			t.Errorf("PNG: %s, %d bytes", typ, size)
		}
		checkCleanPage(t, s.p, srv.URL)
	})

	t.Run("ASCIICopy", func(t *testing.T) {
		s := newUISession(t, b, root)
		s.open("p=0.5,0.5&q=1,0&reduction=sum")
		s.value()
		// Copy the breakdown table as a user selecting it would.
		got := e2e.Eval[string](t, s.p, `(() => {
  const r = document.createRange();
  r.selectNodeContents(document.getElementById("terms"));
  const sel = getSelection(); sel.removeAllRanges(); sel.addRange(r);
  const dt = new DataTransfer();
  document.dispatchEvent(new ClipboardEvent("copy", {clipboardData: dt, bubbles: true, cancelable: true}));
  return dt.getData("text/plain");
})()`)
		if strings.ContainsAny(got, "−∞") || !strings.Contains(got, "inf") || !strings.Contains(got, "-0.693147") {
			t.Errorf("copied breakdown is not plain ASCII for Python:\n%s", got)
		}
	})

	// A link of 2 × 30 000 values (over 200 KB) opens in steps: the result
	// is PyTorch's, the breakdown tab follows it, an edit updates both,
	// and the link the app then writes, compressed, opens to the same state.
	t.Run("LargeLink", func(t *testing.T) {
		s := newUISession(t, b, root)
		const n = 30_000
		p, q := make([]string, n), make([]string, n)
		for i := range n {
			p[i] = fmt.Sprintf("%.6g", float64(1+i%7)/(4*n))
			q[i] = fmt.Sprintf("%.6g", float64(1+i%5)/(3*n))
		}
		link := "p=" + strings.Join(p, ",") + "&q=" + strings.Join(q, ",") + "&reduction=sum&dtype=float64"
		s.open(link)
		want := klCase{p: [][]string{p}, q: [][]string{q}, red: compute.ReductionSum, dt: compute.DTypeFloat64}.want(t).Value
		if got := s.value(); !sameValue(got, want) {
			t.Fatalf("value %s, want %v", got, want)
		}
		s.waitFor("the breakdown of this result", `!!document.querySelector("#view .terms") && document.getElementById("view").dataset.value === document.getElementById("result").dataset.value`)
		q[0] = "0.5"
		s.typeInto("Q-r0-c0", "0.5")
		want = klCase{p: [][]string{p}, q: [][]string{q}, red: compute.ReductionSum, dt: compute.DTypeFloat64}.want(t).Value
		s.waitFor("the edited value", `(v => v && Math.abs(parseFloat(v) - `+fmt.Sprint(want)+`) <= 1e-12 * Math.abs(`+fmt.Sprint(want)+`))(document.getElementById("result")?.dataset.value)`)
		s.waitFor("the tab to follow", `document.getElementById("view").dataset.value === document.getElementById("result").dataset.value`)
		s.waitFor("the compressed link", `location.hash.startsWith("#z=1")`)
		edited := s.value()
		written := e2e.Eval[string](t, s.p, `location.hash.slice(1)`)
		s.open(written)
		if got := s.value(); got != edited {
			t.Errorf("the written link opens to %s, the page showed %s", got, edited)
		}
		// A navigation while a large link is still opening abandons its
		// steps: the small link's result shows, and no "Loading" stays.
		small := klCase{p: [][]string{{"0.5", "0.5"}}, q: [][]string{{"0.25", "0.75"}}, red: compute.ReductionSum, dt: compute.DTypeFloat32}.want(t).Value
		e2e.Eval[any](t, s.p, `location.hash = `+jsLit(link)+`; setTimeout(() => { location.hash = "p=0.5,0.5&q=0.25,0.75&reduction=sum"; }, 20)`)
		s.waitFor("the small link's result", `!document.getElementById("loading") && document.getElementById("result")?.dataset.value === `+jsLit(compute.FormatFloat(small)))
		checkCleanPage(t, s.p, srv.URL)
	})
}
