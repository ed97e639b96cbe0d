//go:build !js

package uitest

// Tensor files (issue 13 §1): .safetensors and .npy dropped on a side or
// anywhere on the page, the tensors put where their names say, a picker
// to change that, and a damaged file refused with nothing else changed.

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/klcalc/klcalc/cmd/internal/e2e"
	"github.com/klcalc/klcalc/compute"
	"github.com/klcalc/klcalc/compute/tensorfile"
)

// dropBytes drops a file of the given bytes on the element with id target
// (or on document.body for ""), as a drag from the desktop does.
func dropBytes(t *testing.T, s *uiSession, target, name string, data []byte) {
	t.Helper()
	if _, err := chromedp.Run(s.p.Ctx, chromedp.Evaluate[any](`((target, name, b64) => {
	  const bin = atob(b64), u8 = new Uint8Array(bin.length);
	  for (let i = 0; i < bin.length; i++) u8[i] = bin.charCodeAt(i);
	  const dt = new DataTransfer();
	  dt.items.add(new File([u8], name));
	  const el = target ? document.getElementById(target) : document.querySelector("header") ?? document.body;
	  el.dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));
	})(`+jsLit(target)+`, `+jsLit(name)+`, `+jsLit(base64.StdEncoding.EncodeToString(data))+`)`)); err != nil {
		t.Fatal(err)
	}
}

func safetensorsOf(t *testing.T, ts ...tensorfile.Tensor) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := tensorfile.WriteSafetensors(&b, ts, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func rowsText(data []float64, cols int) [][]string {
	var rows [][]string
	for i := 0; i < len(data); i += cols {
		r := make([]string, cols)
		for j := range r {
			r[j] = compute.FormatFloat(data[i+j])
		}
		rows = append(rows, r)
	}
	return rows
}

func TestE2ETensorFile(t *testing.T) {
	dir := e2e.SiteDir(t)
	srv := e2e.Serve(t, dir, "/")
	b := e2e.NewBrowser(t)
	s := newUISession(t, b, srv.URL+"/")
	s.open(classicFragment)
	s.value()

	// A teacher's float32 logits and a student's bfloat16 ones (values
	// exact in bfloat16), dropped on Q: the names put them on P and Q,
	// and say they are logits.
	teacher := []float64{2, 0.5, -1, 0.25, 3, -0.5, 1, 1.5, 0, -2}
	student := []float64{1.5, 0.75, -0.5, 0, 2.5, -1, 1.25, 1, 0.5, -1.5}
	file := safetensorsOf(t,
		tensorfile.Tensor{Name: "student_logits", DType: tensorfile.BFloat16, Shape: []int{2, 5}, Data: student},
		tensorfile.Tensor{Name: "teacher_logits", DType: tensorfile.Float32, Shape: []int{2, 5}, Data: teacher},
	)
	dropBytes(t, s, "Q-panel", "distill.safetensors", file)
	want := klCase{p: rowsText(teacher, 5), q: rowsText(student, 5), pForm: compute.FormLogits, qForm: compute.FormLogits,
		red: compute.ReductionBatchMean, dt: compute.DTypeFloat32}.want(t).Value
	s.waitFor("the file's result", `document.getElementById("result")?.getAttribute("data-value") === `+jsLit(compute.FormatFloat(want)))
	s.waitFor("the picker", `document.getElementById("tensor-file-name")?.innerText === "distill.safetensors"`)
	picked := e2e.Eval[[]string](t, s.p, `[document.getElementById("pick-P").selectedOptions[0].innerText, document.getElementById("pick-Q").selectedOptions[0].innerText,
	  String(document.querySelector("#P-panel input[value=logits]").checked),
	  String(document.querySelector("#Q-panel input[value=logits]").checked), String((document.getElementById("tensor-guessed")?.innerText ?? "") !== "")]`)
	t.Logf("picked: %q", picked)
	if !strings.HasPrefix(picked[0], "teacher_logits · float32 · (2, 5)") || !strings.HasPrefix(picked[1], "student_logits · bfloat16 · (2, 5)") ||
		picked[2] != "true" || picked[3] != "true" || picked[4] != "false" {
		t.Errorf("the names did not decide: %q", picked)
	}
	if h := s.hash(); !strings.Contains(h, "q_as=logits") || !strings.Contains(h, "p_as=logits") {
		t.Errorf("the link does not hold the forms: %q", h)
	}

	// The picker puts the teacher on Q as well: KL 0.
	if _, err := chromedp.Run(s.p.Ctx, chromedp.Evaluate[any](`(() => { const el = document.getElementById("pick-Q"); el.value = [...el.options].find(o => o.innerText.startsWith("teacher_logits")).value; el.dispatchEvent(new Event("change", {bubbles: true})); })()`)); err != nil {
		t.Fatal(err)
	}
	s.waitFor("KL of the teacher with itself", `document.getElementById("result")?.getAttribute("data-value") === "0"`)

	// A damaged file: refused with what and where, nothing else changes.
	before := s.hash()
	dropBytes(t, s, "P-panel", "cut.safetensors", file[:len(file)-3])
	s.waitFor("the refusal", `(document.querySelector("#P-panel .paste-error, #P-panel [role=alert]")?.innerText ?? "").includes("cut.safetensors")`)
	msg := e2e.Eval[string](t, s.p, `document.querySelector("#P-panel .paste-error, #P-panel [role=alert]").innerText`)
	t.Logf("damaged file: %q", msg)
	if !strings.Contains(msg, "cut short") || !strings.Contains(msg, "(byte ") {
		t.Errorf("the message does not say what is wrong: %q", msg)
	}
	if v := s.value(); v != "0" || s.hash() != before {
		t.Errorf("a refused file changed the page: value %s, link %q → %q", v, before, s.hash())
	}

	// A lone .npy dropped outside the panels goes to P.
	var npy bytes.Buffer
	if err := tensorfile.WriteNPY(&npy, tensorfile.Tensor{DType: tensorfile.Float64, Shape: []int{2, 5},
		Data: []float64{0.1, 0.2, 0.3, 0.2, 0.2, 0.5, 0.1, 0.1, 0.2, 0.1}}); err != nil {
		t.Fatal(err)
	}
	dropBytes(t, s, "", "p.npy", npy.Bytes())
	s.waitFor("P from the page drop", `document.getElementById("P-r1-c0")?.value === "0.5" && document.querySelector("#P-panel input[value=prob]").checked`)
	s.waitFor("the picker of the new file", `document.getElementById("tensor-file-name")?.innerText === "p.npy"`)

	// A text file too large, dropped outside the panels: said at the top.
	if _, err := chromedp.Run(s.p.Ctx, chromedp.Evaluate[any](`(() => {
	  const dt = new DataTransfer();
	  dt.items.add(new File([new Uint8Array(21 << 20).fill(0x31)], "huge.csv"));
	  document.querySelector("header").dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));
	})()`)); err != nil {
		t.Fatal(err)
	}
	s.waitFor("the refusal at the top", `(document.getElementById("drop-status")?.innerText ?? "").includes("huge.csv")`)
	t.Logf("huge text file: %q", e2e.Eval[string](t, s.p, `document.getElementById("drop-status").innerText`))
	checkCleanPage(t, s.p, srv.URL)
}

// TestE2EHalfDTypes: bfloat16 gives PyTorch's value and the storage
// panel; float16 with probabilities says, in place of the result, that
// PyTorch 1.13 has no float16 log on the CPU. Expected values from
// PyTorch 1.13.1: F.kl_div(q.to(bf16).log(), p.to(bf16), reduction='sum')
// is 0.201171875, and in float64 from the bfloat16 values 0.1982019262823175.
func TestE2EHalfDTypes(t *testing.T) {
	dir := e2e.SiteDir(t)
	srv := e2e.Serve(t, dir, "/")
	b := e2e.NewBrowser(t)
	s := newUISession(t, b, srv.URL+"/")
	s.open("p=0.1,0.2,0.7&q=0.3,0.3,0.4&reduction=sum&dtype=bfloat16&dims=1")
	if v := s.value(); v != "0.201171875" {
		t.Errorf("bfloat16: %s, want PyTorch's 0.201171875", v)
	}
	s.waitFor("the storage panel", `document.getElementById("storage-stored")?.dataset.value === "0.1982019262823175"`)
	if got := e2e.Eval[string](t, s.p, `document.getElementById("dtype").value`); got != "bfloat16" {
		t.Errorf("the dtype menu shows %q", got)
	}
	s.open("p=0.1,0.2,0.7&q=0.3,0.3,0.4&reduction=sum&dtype=float16&dims=1")
	s.waitFor("the float16 refusal", `(document.getElementById("no-result")?.innerText ?? "").includes("log_vml_cpu")`)
	// Q as log-probabilities works in float16: PyTorch gives
	// 0.2025146484375.
	s.open("p=0.1,0.2,0.7&q=-1.2,-1.2,-0.92&q_as=log&reduction=sum&dtype=float16&dims=1")
	if v := s.value(); v != "0.2025146484375" {
		t.Errorf("float16: %s, want PyTorch's 0.2025146484375", v)
	}
	checkCleanPage(t, s.p, srv.URL)
}

// TestE2ETensorFile3D: a (2, 3, 4) teacher and student keep their shape:
// the link holds p_shape and q_shape, the grid names rows by their leading
// indices, and batchmean divides by size(0) = 2. Expected from PyTorch
// 1.13.1: F.kl_div(F.log_softmax(s, -1), F.log_softmax(t, -1),
// reduction='batchmean', log_target=True) = 0.2757321000099182 for the
// values below.
func TestE2ETensorFile3D(t *testing.T) {
	dir := e2e.SiteDir(t)
	srv := e2e.Serve(t, dir, "/")
	b := e2e.NewBrowser(t)
	s := newUISession(t, b, srv.URL+"/")
	s.open(classicFragment)
	s.value()
	tv, sv := make([]float64, 24), make([]float64, 24)
	for i := range tv {
		tv[i] = float64(float32(float64((i*7)%11)/10 - 0.5))
		sv[i] = float64(float32(float64((i*5)%13)/10 - 0.6))
	}
	dropBytes(t, s, "", "attn.safetensors", safetensorsOf(t,
		tensorfile.Tensor{Name: "teacher_logits", DType: tensorfile.Float32, Shape: []int{2, 3, 4}, Data: tv},
		tensorfile.Tensor{Name: "student_logits", DType: tensorfile.Float32, Shape: []int{2, 3, 4}, Data: sv}))
	s.waitFor("the 3-D result", `document.getElementById("result")?.getAttribute("data-value") === "0.2757321000099182"`)
	if h := s.hash(); !strings.Contains(h, "p_shape=2,3,4") || !strings.Contains(h, "q_shape=2,3,4") {
		t.Errorf("the link does not hold the shapes: %q", h)
	}
	label := e2e.Eval[string](t, s.p, `document.querySelector("#P-grid tbody tr:nth-child(6) th").innerText`)
	if label != "[1, 2]" {
		t.Errorf("row 6 of P is labelled %q, want [1, 2]", label)
	}
	// The link alone reopens it.
	s.open(strings.TrimPrefix(s.hash(), "#"))
	if v := s.value(); v != "0.2757321000099182" {
		t.Errorf("reopened: %s", v)
	}
	checkCleanPage(t, s.p, srv.URL)
}

// TestE2ETensorFileInSteps: a file of 2 × 4 × 50 000 float32 logits is
// more than is computed at once (formatInSteps): its values go on the
// sides as numbers, with no cell text written but the cells shown, so
// the page says it is computing the result and never shows a writing
// progress, then gives the file's result. Its link is the binary one, and
// a cell typed makes the side text and gives the new cells' result. The
// expected values are compute's for the same cells.
func TestE2ETensorFileInSteps(t *testing.T) {
	dir := e2e.SiteDir(t)
	srv := e2e.Serve(t, dir, "/")
	b := e2e.NewBrowser(t)
	s := newUISession(t, b, srv.URL+"/")
	s.open(classicFragment)
	s.value()
	const rows, cols = 4, 50_000
	teacher, student := make([]float64, rows*cols), make([]float64, rows*cols)
	for i := range teacher {
		teacher[i] = float64(float32(float64(i%97)/17 - 2))
		student[i] = float64(float32(float64(i%89)/13 - 3))
	}
	file := safetensorsOf(t,
		tensorfile.Tensor{Name: "teacher_logits", DType: tensorfile.Float32, Shape: []int{rows, cols}, Data: teacher},
		tensorfile.Tensor{Name: "student_logits", DType: tensorfile.Float32, Shape: []int{rows, cols}, Data: student},
	)
	e2e.Eval[any](t, s.p, `(() => {
	  window.__writing = false; window.__computing = false;
	  const obs = new MutationObserver(() => {
	    if (!document.querySelector("#file-progress.busy")) return;
	    if (document.getElementById("file-progress-bar").hasAttribute("value")) window.__writing = true;
	    else window.__computing = true;
	  });
	  obs.observe(document.body, {subtree: true, childList: true, attributes: true});
	  window.__stopWatch = () => obs.disconnect();
	})()`)
	dropBytes(t, s, "Q-panel", "big.safetensors", file)
	pText, qText := rowsText(teacher, cols), rowsText(student, cols)
	want := klCase{p: pText, q: qText, pForm: compute.FormLogits, qForm: compute.FormLogits,
		red: compute.ReductionBatchMean, dt: compute.DTypeFloat32}.want(t).Value
	s.waitFor("the file's result", `document.getElementById("result")?.getAttribute("data-value") === `+jsLit(compute.FormatFloat(want)))
	seen := e2e.Eval[[]bool](t, s.p, `(window.__stopWatch(), [window.__computing, window.__writing])`)
	if !seen[0] || seen[1] {
		t.Errorf("the page said it was computing: %v, writing the cells: %v; want true, false", seen[0], seen[1])
	}
	if e2e.Eval[bool](t, s.p, `!!document.querySelector("#file-progress.busy")`) {
		t.Error("the progress stays after the result")
	}
	if got := e2e.Eval[string](t, s.p, `document.getElementById("Q-r0-c0").value`); got != compute.FormatFloat(student[0]) {
		t.Errorf("Q's first cell is %q, want %q", got, compute.FormatFloat(student[0]))
	}
	s.waitFor("the binary link", `location.hash.startsWith("#b=1")`)

	// A cell typed: Q becomes text, every other value as it was.
	s.typeInto("Q-r0-c0", "1.5")
	qText[0][0] = "1.5"
	want = klCase{p: pText, q: qText, pForm: compute.FormLogits, qForm: compute.FormLogits,
		red: compute.ReductionBatchMean, dt: compute.DTypeFloat32}.want(t).Value
	s.waitFor("the edited cells' result", `document.getElementById("result")?.getAttribute("data-value") === `+jsLit(compute.FormatFloat(want)))
	checkCleanPage(t, s.p, srv.URL)
}

// TestE2ETensorFileRefusedFromHeader: a 160 MB .safetensors of 2 × 20 M
// float32 values, more than the page reads, dropped on a side, is refused
// from its header, with the values it claims, and only the header is read
// (Blob.arrayBuffer is watched): a file read into the page stays in its
// memory for good. So is one whose header (100 KB of metadata) is longer
// than the first read. A tensor too large for a side is refused once
// decoded, and the progress notice goes with it. A 1.6 MB file within the
// limits is then read whole and computed. The file is made in the page: no 160 MB goes through CDP.
func TestE2ETensorFileRefusedFromHeader(t *testing.T) {
	dir := e2e.SiteDir(t)
	srv := e2e.Serve(t, dir, "/")
	b := e2e.NewBrowser(t)
	s := newUISession(t, b, srv.URL+"/")
	s.open(classicFragment)
	s.value()
	before := s.hash()
	e2e.Eval[any](t, s.p, `(() => {
	  window.__reads = [];
	  const read = Blob.prototype.arrayBuffer;
	  Blob.prototype.arrayBuffer = function () { window.__reads.push(this.size); return read.call(this); };
	  window.__dropST = (name, header, bytes) => {
	    const hb = new TextEncoder().encode(JSON.stringify(header));
	    const len = new Uint8Array(8);
	    new DataView(len.buffer).setUint32(0, hb.length, true);
	    const dt = new DataTransfer();
	    dt.items.add(new File([len, hb, new Uint8Array(bytes)], name));
	    window.__reads = [];
	    window.__headerEnd = 8 + hb.length;
	    document.getElementById("Q-panel").dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));
	  };
	})()`)
	for _, c := range []struct {
		name, meta string
		reads      string // the sizes read, as JavaScript
	}{
		{"checkpoint.safetensors", "", "[65536]"},
		{"long-header.safetensors", strings.Repeat("m", 100_000), "[65536, window.__headerEnd]"},
	} {
		e2e.Eval[any](t, s.p, `(() => {
		  const n = 20000000, header = {teacher: {dtype: "F32", shape: [n], data_offsets: [0, 4*n]}, student: {dtype: "F32", shape: [n], data_offsets: [4*n, 8*n]}};
		  if (`+jsLit(c.meta)+`) header.__metadata__ = {note: `+jsLit(c.meta)+`};
		  window.__dropST(`+jsLit(c.name)+`, header, 8*n);
		})()`)
		s.waitFor(c.name+" refused", `document.getElementById("Q-paste-error")?.textContent.includes(`+jsLit(c.name)+`)`)
		msg := e2e.Eval[string](t, s.p, `document.getElementById("Q-paste-error").textContent`)
		if !strings.Contains(msg, "8388608 values") {
			t.Errorf("%s: the message is %q; want the limit of 8388608 values", c.name, msg)
		}
		if got := e2e.Eval[[]string](t, s.p, `[JSON.stringify(window.__reads), JSON.stringify(`+c.reads+`)]`); got[0] != got[1] {
			t.Errorf("%s: the page read %s bytes of the file; want %s (its header)", c.name, got[0], got[1])
		}
		if got := s.hash(); got != before {
			t.Errorf("%s: the link changed to %.80q", c.name, got)
		}
	}

	// Within the file's limit but over a side's: read and decoded (20 MB,
	// in slices, with the progress notice), then refused, and the notice
	// goes with the refusal.
	e2e.Eval[any](t, s.p, `window.__dropST("one-big.safetensors", {logits: {dtype: "F32", shape: [5000000], data_offsets: [0, 20000000]}}, 20000000)`)
	s.waitFor("one-big.safetensors refused", `document.getElementById("Q-paste-error")?.textContent.includes("5000000")`)
	if e2e.Eval[bool](t, s.p, `!!document.querySelector("#file-progress.busy")`) {
		t.Error("one-big.safetensors: the progress notice stays after the refusal")
	}
	if got := s.hash(); got != before {
		t.Errorf("one-big.safetensors: the link changed to %.80q", got)
	}

	// Within the limits: read whole after its header.
	const rows, cols = 4, 50_000
	teacher, student := make([]float64, rows*cols), make([]float64, rows*cols)
	for i := range teacher {
		teacher[i] = float64(float32(float64(i%97)/17 - 2))
		student[i] = float64(float32(float64(i%89)/13 - 3))
	}
	file := safetensorsOf(t,
		tensorfile.Tensor{Name: "teacher_logits", DType: tensorfile.Float32, Shape: []int{rows, cols}, Data: teacher},
		tensorfile.Tensor{Name: "student_logits", DType: tensorfile.Float32, Shape: []int{rows, cols}, Data: student},
	)
	e2e.Eval[any](t, s.p, `window.__reads = []`)
	dropBytes(t, s, "Q-panel", "ok.safetensors", file)
	want := klCase{p: rowsText(teacher, cols), q: rowsText(student, cols), pForm: compute.FormLogits, qForm: compute.FormLogits,
		red: compute.ReductionBatchMean, dt: compute.DTypeFloat32}.want(t).Value
	s.waitFor("the file's result", `document.getElementById("result")?.getAttribute("data-value") === `+jsLit(compute.FormatFloat(want)))
	if got, w := e2e.Eval[string](t, s.p, `JSON.stringify(window.__reads)`), fmt.Sprintf("[65536,%d]", len(file)); got != w {
		t.Errorf("the page read %s bytes of the file; want %s (its head, then all of it)", got, w)
	}
	checkCleanPage(t, s.p, srv.URL)
}
