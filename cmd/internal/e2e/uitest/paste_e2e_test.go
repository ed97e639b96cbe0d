//go:build !js

package uitest

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/klcalc/klcalc/cmd/internal/e2e"
	"github.com/klcalc/klcalc/compute"
)

// pasteText puts text into a side's paste area and applies it, as a
// reader pasting and pressing the button does.
func (s *uiSession) pasteText(side, text string) {
	s.t.Helper()
	e2e.Eval[any](s.t, s.p, `(() => {
	  document.querySelectorAll("details").forEach(d => d.open = true);
	  const ta = document.getElementById("`+side+`-paste");
	  ta.value = `+jsLit(text)+`;
	  ta.dispatchEvent(new Event("input", {bubbles: true}));
	  document.getElementById("`+side+`-paste-apply").click();
	})()`)
}

// TestE2EPasteInSteps: a paste of 300 000 values is more than is
// computed at once (formatInSteps): its values go on the side as numbers,
// the page says it is computing the result (issue 14 §4), and the result
// is the value compute gives for the same cells; the cells show the
// pasted numbers.
func TestE2EPasteInSteps(t *testing.T) {
	dir := e2e.SiteDir(t)
	srv := e2e.Serve(t, dir, "/")
	b := e2e.NewBrowser(t)
	s := newUISession(t, b, srv.URL+"/")
	s.open(classicFragment)
	s.value()
	const n = 300_000
	text := func(mul int) (string, []string) {
		cells := make([]string, n)
		for i := range cells {
			cells[i] = strconv.FormatFloat(float64((i*mul)%1000+1)/1000, 'g', -1, 64)
		}
		return strings.Join(cells, ", "), cells
	}
	pText, pCells := text(7)
	qText, qCells := text(13)
	for _, side := range []struct{ id, text string }{{"P", pText}, {"Q", qText}} {
		e2e.Eval[any](t, s.p, `(() => {
		  window.__seen = false;
		  const obs = new MutationObserver(() => { if (document.querySelector("#file-progress.busy")) { window.__seen = true; obs.disconnect(); } });
		  obs.observe(document.body, {subtree: true, childList: true, attributes: true});
		})()`)
		s.pasteText(side.id, side.text)
		s.waitFor(side.id+"'s cells", `window.__seen && !document.querySelector("#file-progress.busy") && document.getElementById("`+side.id+`-r0-c1")?.value === `+jsLit(map[string]string{"P": pCells[1], "Q": qCells[1]}[side.id]))
	}
	forms := e2e.Eval[[]bool](t, s.p, `[document.querySelector("#P-panel input[value=prob]").checked, document.querySelector("#Q-panel input[value=prob]").checked]`)
	if !forms[0] || !forms[1] {
		t.Fatalf("the pastes changed the forms: prob %v", forms)
	}
	want := klCase{p: [][]string{pCells}, q: [][]string{qCells}, red: compute.ReductionBatchMean, dt: compute.DTypeFloat32}.want(t).Value
	s.waitFor("the result", `document.getElementById("result")?.getAttribute("data-value") === `+jsLit(compute.FormatFloat(want)))
	checkCleanPage(t, s.p, srv.URL)
}

// TestE2EPaste3D: pasted printouts of (2, 2, 2) tensors keep their shape
// in the grid's row names and in the link (p_shape, q_shape), and
// batchmean divides by size(0) = 2. The expected value is compute's, whose
// N-D cases the PyTorch oracle checks (compute/testdata/oracle).
func TestE2EPaste3D(t *testing.T) {
	dir := e2e.SiteDir(t)
	srv := e2e.Serve(t, dir, "/")
	b := e2e.NewBrowser(t)
	s := newUISession(t, b, srv.URL+"/")
	s.open(classicFragment)
	s.value()
	s.pasteText("P", "tensor([[[0.1, 0.9],\n         [0.5, 0.5]],\n\n        [[0.2, 0.8],\n         [0.3, 0.7]]])")
	s.pasteText("Q", "[[[0.2, 0.8], [0.4, 0.6]], [[0.5, 0.5], [0.1, 0.9]]]")
	shape := []int{2, 2, 2}
	p := compute.Side{Data: compute.Tensor{Shape: shape, Data: []float64{0.1, 0.9, 0.5, 0.5, 0.2, 0.8, 0.3, 0.7}}}
	q := compute.Side{Data: compute.Tensor{Shape: shape, Data: []float64{0.2, 0.8, 0.4, 0.6, 0.5, 0.5, 0.1, 0.9}}}
	r, err := compute.CalculateValue(p, q, compute.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.waitFor("the 3-D result", `document.getElementById("result")?.getAttribute("data-value") === `+jsLit(compute.FormatFloat(r.Value)))
	if h := s.hash(); !strings.Contains(h, "p_shape=2,2,2") || !strings.Contains(h, "q_shape=2,2,2") {
		t.Errorf("the link does not keep the shapes: %q", h)
	}
	if r.Divisor != 2 {
		t.Errorf("compute divided by %v, want size(0) = 2", r.Divisor)
	}
	checkCleanPage(t, s.p, srv.URL)
}

// TestE2EPasteLarge: a paste of 1 000 000 values, one a line, into P's
// paste area is applied at once and never shown in the area, whose layout
// took Chromium 48 s at 1.5 M lines (issue 14 §4); the grid holds the
// values, and no task of the page takes a second.
func TestE2EPasteLarge(t *testing.T) {
	dir := e2e.SiteDir(t)
	srv := e2e.Serve(t, dir, "/")
	b := e2e.NewBrowser(t)
	s := newUISession(t, b, srv.URL+"/")
	s.open(classicFragment)
	s.value()
	const n = 1_000_000
	var text strings.Builder
	for i := range n {
		text.WriteString(strconv.FormatFloat(float64(i%1000+1)/1e6, 'g', -1, 64))
		text.WriteByte('\n')
	}
	// The text is made in a task of its own, before the tasks are watched.
	e2e.Eval[any](t, s.p, `(() => { window.__text = `+jsLit(text.String())+`; document.querySelectorAll("details").forEach(d => d.open = true); })()`)
	time.Sleep(300 * time.Millisecond)
	e2e.Eval[any](t, s.p, `(() => {
	  window.__long = 0;
	  new PerformanceObserver((l) => l.getEntries().forEach((e) => { window.__long = Math.max(window.__long, e.duration); })).observe({type: "longtask"});
	})()`)
	e2e.Eval[any](t, s.p, `(() => {
	  const dt = new DataTransfer();
	  dt.setData("text/plain", window.__text);
	  const ta = document.getElementById("P-paste");
	  ta.focus();
	  window.__notCancelled = ta.dispatchEvent(new ClipboardEvent("paste", {clipboardData: dt, bubbles: true, cancelable: true}));
	})()`)
	s.waitFor("P's pasted cells", `!document.querySelector("#file-progress.busy") && document.getElementById("P-r0-c9")?.value === "1e-05"`)
	if got := e2e.Eval[[]any](t, s.p, `[document.getElementById("P-paste").value.length, window.__notCancelled, document.getElementById("P-r0-c0").value]`); got[0] != 0.0 || got[1] != false || got[2] != "1e-06" {
		t.Errorf("the paste area holds %v characters, the paste's default ran: %v, P's first cell %v", got[0], got[1], got[2])
	}
	long := e2e.Eval[float64](t, s.p, `window.__long`)
	t.Logf("the longest task: %.0f ms", long)
	if long > 500 {
		t.Errorf("a task took %.0f ms", long)
	}
}
