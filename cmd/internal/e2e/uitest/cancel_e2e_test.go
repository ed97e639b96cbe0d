//go:build !js

package uitest

// Cancel (issue 13 §5): a large file or paste is read and computed on the
// UI goroutine in slices, and its notice's Cancel stops it at the next
// slice and undoes it: the sides, the result, the link and the tensor
// picker are as they were.

import (
	"strconv"
	"strings"
	"testing"

	"github.com/klcalc/klcalc/cmd/internal/e2e"
	"github.com/klcalc/klcalc/compute"
	"github.com/klcalc/klcalc/compute/tensorfile"
)

// pageSnapshot is what a canceled write must leave as it was.
const pageSnapshot = `JSON.stringify([location.hash, document.getElementById("result")?.getAttribute("data-value"),
  [...document.querySelectorAll("#calculator input[id^='P-r'], #calculator input[id^='Q-r']")].map(e => e.id + "=" + e.value).join(","),
  !!document.getElementById("tensor-file"),
  [...document.querySelectorAll("input[type=radio]:checked")].map(e => e.id).join(",")])`

// armCancel makes the page click Cancel (or press Escape, if escape),
// once its notice shows when (a JavaScript condition on the label's text
// l and the number of edits begun since, e), and record when, and when
// the canceled notice came.
func armCancel(t *testing.T, s *uiSession, when string, escape bool) {
	t.Helper()
	e2e.Eval[any](t, s.p, `(() => {
	  window.__clicked = 0; window.__undone = 0;
	  const e0 = performance.getEntriesByName("kl-edit-start").length;
	  const iv = setInterval(() => {
	    const btn = document.getElementById("file-progress-cancel");
	    if (!window.__clicked) {
	      if (!btn) return;
	      const l = document.querySelector("#file-progress label")?.textContent ?? "";
	      const e = performance.getEntriesByName("kl-edit-start").length - e0;
	      if (!(`+when+`)) return;
	      window.__clicked = performance.now();
	      if (`+strconv.FormatBool(escape)+`) document.activeElement.dispatchEvent(new KeyboardEvent("keydown", {key: "Escape", bubbles: true}));
	      else btn.click();
	      return;
	    }
	    if (document.querySelector("#write-canceled p")) {
	      window.__undone = performance.now();
	      clearInterval(iv);
	    }
	  }, 1);
	})()`)
}

// TestE2ECancel: Cancel during a dropped file's computation, during the
// frame before it, during a paste's parsing and during a file's decoding,
// and Escape during the computation, each put the page back as it was and
// say so; the page then computes the same file to its result, and a
// second file canceled leaves the first open. The file is 2 × 8 × 64 000
// float32 logits: about half a second of wasm to its first result.
func TestE2ECancel(t *testing.T) {
	dir := e2e.SiteDir(t)
	srv := e2e.Serve(t, dir, "/")
	b := e2e.NewBrowser(t)
	s := newUISession(t, b, srv.URL+"/")
	s.open(classicFragment)
	s.value()
	s.waitFor("the link", `location.hash.length > 1`)
	before := e2e.Eval[string](t, s.p, pageSnapshot)

	const rows, cols = 8, 64_000
	teacher, student := make([]float64, rows*cols), make([]float64, rows*cols)
	for i := range teacher {
		teacher[i] = float64(float32(float64(i%97)/17 - 2))
		student[i] = float64(float32(float64(i%89)/13 - 3))
	}
	file := safetensorsOf(t,
		tensorfile.Tensor{Name: "teacher_logits", DType: tensorfile.Float32, Shape: []int{rows, cols}, Data: teacher},
		tensorfile.Tensor{Name: "student_logits", DType: tensorfile.Float32, Shape: []int{rows, cols}, Data: student},
	)
	undone := func(what string) {
		t.Helper()
		s.waitFor(what+": the canceled notice", `!!document.querySelector("#write-canceled p") && !document.querySelector("#file-progress.busy") && window.__undone > 0`)
		if got := e2e.Eval[string](t, s.p, pageSnapshot); got != before {
			t.Errorf("%s: after Cancel the page is\n %s\nwant as before\n %s", what, got, before)
		}
		ms := e2e.Eval[float64](t, s.p, `window.__undone - window.__clicked`)
		t.Logf("%s: Cancel → the page as it was: %.0f ms (polled every 1 ms)", what, ms)
		if ms > 500 {
			t.Errorf("%s: Cancel took %.0f ms to undo", what, ms)
		}
		if focus := e2e.Eval[string](t, s.p, `document.activeElement?.id ?? ""`); focus != "write-canceled-dismiss" && focus != "P-paste" {
			t.Errorf("%s: focus is on %q; want the notice's Dismiss (or the paste area, where the paste was)", what, focus)
		}
		e2e.Eval[any](t, s.p, `document.getElementById("write-canceled-dismiss").click()`)
		s.waitFor(what+": the notice dismissed", `!document.querySelector("#write-canceled p")`)
	}

	// Escape with nothing under way does nothing.
	e2e.Eval[any](t, s.p, `document.dispatchEvent(new KeyboardEvent("keydown", {key: "Escape", bubbles: true}))`)
	// During the computation: the file's edit has begun.
	armCancel(t, s, `e > 0`, false)
	dropBytes(t, s, "Q-panel", "big.safetensors", file)
	undone("during the computation")
	// During the frame before it: as soon as the notice shows.
	armCancel(t, s, `true`, false)
	dropBytes(t, s, "Q-panel", "big.safetensors", file)
	undone("as the notice shows")
	// Escape does what Cancel does.
	armCancel(t, s, `e > 0`, true)
	dropBytes(t, s, "Q-panel", "big.safetensors", file)
	undone("Escape during the computation")

	// A paste of 1 000 000 values, canceled while it is read.
	var text strings.Builder
	for i := range 1_000_000 {
		text.WriteString(strconv.FormatFloat(float64(i%1000+1)/1e6, 'g', -1, 64))
		text.WriteByte('\n')
	}
	e2e.Eval[any](t, s.p, `(() => { window.__text = `+jsLit(text.String())+`; document.querySelectorAll("details").forEach(d => d.open = true); })()`)
	armCancel(t, s, `l.startsWith("Reading")`, false)
	e2e.Eval[any](t, s.p, `(() => {
	  const dt = new DataTransfer();
	  dt.setData("text/plain", window.__text);
	  const ta = document.getElementById("P-paste");
	  ta.focus();
	  ta.dispatchEvent(new ClipboardEvent("paste", {clipboardData: dt, bubbles: true, cancelable: true}));
	})()`)
	undone("while the paste is read")

	// A 32 MB file (2 × 4 × 500 000 float64), canceled while it is
	// decoded; made in the page, as no 32 MB need go through CDP.
	armCancel(t, s, `l.startsWith("Reading")`, false)
	e2e.Eval[any](t, s.p, `(() => {
	  const n = 2000000, header = {teacher: {dtype: "F64", shape: [4, 500000], data_offsets: [0, 8*n]}, student: {dtype: "F64", shape: [4, 500000], data_offsets: [8*n, 16*n]}};
	  const hb = new TextEncoder().encode(JSON.stringify(header));
	  const len = new Uint8Array(8);
	  new DataView(len.buffer).setUint32(0, hb.length, true);
	  const dt = new DataTransfer();
	  dt.items.add(new File([len, hb, new Uint8Array(16*n)], "decoded.safetensors"));
	  document.getElementById("Q-panel").dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));
	})()`)
	undone("while the file is decoded")

	// Not canceled, the same file gives its result.
	e2e.Eval[any](t, s.p, `window.__text = ""`)
	dropBytes(t, s, "Q-panel", "big.safetensors", file)
	want := klCase{p: rowsText(teacher, cols), q: rowsText(student, cols), pForm: compute.FormLogits, qForm: compute.FormLogits,
		red: compute.ReductionBatchMean, dt: compute.DTypeFloat32}.want(t).Value
	s.waitFor("the file's result", `document.getElementById("result")?.getAttribute("data-value") === `+jsLit(compute.FormatFloat(want)))
	s.waitFor("the file's link", `location.hash.startsWith("#b=1")`)

	// Another file, canceled: the first stays open in the picker, its
	// values and result on the page.
	s.waitFor("the file's link written", `!!document.getElementById("tensor-file-name")`)
	before = e2e.Eval[string](t, s.p, pageSnapshot)
	armCancel(t, s, `e > 0`, false)
	dropBytes(t, s, "Q-panel", "other.safetensors", file)
	undone("another file")
	if got := e2e.Eval[string](t, s.p, `document.getElementById("tensor-file-name").textContent`); got != "big.safetensors" {
		t.Errorf("after Cancel the picker shows %q, want big.safetensors", got)
	}
	checkCleanPage(t, s.p, srv.URL)
}
