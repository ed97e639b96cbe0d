//go:build !js

package main

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/klcalc/klcalc/compute/tensorfile"
)

// The budgets of issue 13 for two 8 × 128 000 float32 tensors in one
// .safetensors file dropped onto the page.
const (
	dropRows, dropCols = 8, 128_000
	budgetDropMs       = 1500.0 // drop → result on screen
	budgetDropTaskMs   = 200.0  // the longest main-thread task meanwhile
	budgetChangeMs     = 200.0  // a reduction change → the new result
	budgetDropMB       = 400.0  // the tab's memory (the renderer's private footprint)
)

// dropRun is one browser's drop of the file.
type dropRun struct {
	ResultMs, LongestMs, ChangeMs, ChangeLongestMs float64
	RSSMB, PrivateMB, IdlePrivateMB                float64 // the renderer's memory after the change, and before the drop
	Err                                            string
}

// dropFile is the file of row 7: a teacher's and a student's logits.
func dropFile() []byte {
	t, s := make([]float64, dropRows*dropCols), make([]float64, dropRows*dropCols)
	for i := range t {
		t[i] = float64(float32(3 * math.Sin(float64(i)*0.731)))
		s[i] = float64(float32(t[i] + 0.8*math.Cos(float64(i)*1.37)))
	}
	var b bytes.Buffer
	tensorfile.WriteSafetensors(&b, []tensorfile.Tensor{
		{Name: "teacher_logits", DType: tensorfile.Float32, Shape: []int{dropRows, dropCols}, Data: t},
		{Name: "student_logits", DType: tensorfile.Float32, Shape: []int{dropRows, dropCols}, Data: s},
	}, nil)
	return b.Bytes()
}

// dropArmScript makes window.__klbDrop resolve with the time from the
// drop event (seen first, by a capture listener on the document) until
// the file box and a new #result are on screen, and returns the point of
// Q's panel to drop on.
const dropArmScript = `(() => {
  const current = () => { const r = document.getElementById("result"); return r ? r.getAttribute("data-value") : null; };
  const before = current();
  let t0 = -1;
  document.addEventListener("drop", () => { t0 = performance.now(); }, {capture: true, once: true});
  window.__klbDrop = new Promise((resolve) => {
    const done = () => t0 >= 0 && document.getElementById("tensor-file-name") && current() !== null && current() !== before;
    const obs = new MutationObserver(() => { if (done()) { obs.disconnect(); resolve({t0: t0, ms: performance.now() - t0}); } });
    obs.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
    setTimeout(() => { obs.disconnect(); resolve({t0: t0, ms: -1}); }, 120000);
  });
  const r = document.getElementById("Q-panel").getBoundingClientRect();
  return [r.x + r.width / 2, r.y + Math.min(20, r.height / 2)];
})()`

// changeScript picks the reduction 'sum' and resolves with the time until
// the result changed.
const changeScript = `new Promise((resolve) => {
  const current = () => { const r = document.getElementById("result"); return r ? r.getAttribute("data-value") : null; };
  const before = current(), t0 = performance.now();
  const obs = new MutationObserver(() => { const v = current(); if (v !== null && v !== before) { obs.disconnect(); resolve({t0: t0, ms: performance.now() - t0}); } });
  obs.observe(document.body, {subtree: true, childList: true, attributes: true});
  setTimeout(() => { obs.disconnect(); resolve({t0: t0, ms: -1}); }, 60000);
  document.querySelector("input[name=reduction][value=sum]").click();
})`

func (b *bench) rowTensorDrop() {
	b.logf("row 7: a 2 × %d × %s float32 .safetensors dropped (%d browsers)", dropRows, group(dropCols), b.n.Drops)
	file := dropFile()
	path := filepath.Join(b.work, "llm.safetensors")
	if err := os.WriteFile(path, file, 0o644); err != nil {
		b.problem("row 7: %v", err)
		return
	}
	var runs []dropRun
	for i := range b.n.Drops {
		r := b.dropOnce(path)
		if r.Err != "" {
			b.problem("row 7, drop %d: %s", i+1, r.Err)
		}
		b.vlogf("  drop %d: %+v", i+1, r)
		runs = append(runs, r)
	}
	col := func(f func(dropRun) float64) []float64 {
		var xs []float64
		for _, r := range runs {
			if r.Err == "" {
				xs = append(xs, f(r))
			}
		}
		return xs
	}
	res, long := col(func(r dropRun) float64 { return r.ResultMs }), col(func(r dropRun) float64 { return r.LongestMs })
	chg, chgLong := col(func(r dropRun) float64 { return r.ChangeMs }), col(func(r dropRun) float64 { return r.ChangeLongestMs })
	private := col(func(r dropRun) float64 { return r.PrivateMB })
	mk := func(id, what, budget string, xs []float64, limit float64, unit func(float64) string, note string) summaryRow {
		row := summaryRow{ID: id, What: what, Baseline: "—", Ratio: "—", Budget: budget, Verdict: verdictError, Figure: "—"}
		if len(xs) > 0 {
			row.Figure = fmt.Sprintf("%s (median of %d)", unit(median(xs)), len(xs))
			row.Verdict = atMost(median(xs), limit)
			if row.Verdict == verdictFail {
				row.Note = note
			}
		} else {
			row.Note = "no successful drops (see Problems)"
		}
		return row
	}
	mb := func(x float64) string { return fmt.Sprintf("%.0f MB", x) }
	cause := "The file's values become the grids' text (a cell per value, written by FormatFloat) and the link is encoded, " +
		"all in one task on the main thread; decoding the file itself takes about 10 ms (compute/tensorfile's benchmark)."
	b.rep.Rows = append(b.rep.Rows,
		mk("7a", "Tensor file dropped → result on screen", "≤ "+fmtMs(budgetDropMs), res, budgetDropMs, fmtMs, cause),
		mk("7b", "Longest main-thread task meanwhile", "≤ "+fmtMs(budgetDropTaskMs), long, budgetDropTaskMs, fmtMs, cause),
		mk("7c", "Reduction changed → new result", "≤ "+fmtMs(budgetChangeMs), chg, budgetChangeMs, fmtMs,
			fmt.Sprintf("An edit of 2 × 1 024 000 values recomputes the whole state and rewrites the link in one task (longest task %s).", fmtMs(median(chgLong)))),
		mk("7d", "The tab's memory (renderer private footprint)", "≤ "+mb(budgetDropMB), private, budgetDropMB, mb,
			"The wasm memory (about 140 MB after the drop: the values, the result's tensors and the collector's slack at GOGC=100, which a state of more than 200 000 values runs at) comes on top of the page at rest."),
	)
	sec := section{Title: "7. A tensor file dropped", Method: fmt.Sprintf(`
A fresh Chromium loads the default link; the file (two float32 tensors %d × %d, teacher_logits and student_logits,
%s bytes, written by compute/tensorfile) is written to a file on disk and dragged onto Q as from the desktop
(CDP Input.dispatchDragEvent with the file's path: the page reads it from disk). *Result*: from the drop event to the file box and a new #result data-value (MutationObserver).
*Longest task*: the longest "longtask" entry that starts after the drop. *Change*: the reduction 'sum' clicked, until
#result changes. *Memory*: the private footprint of the page's renderer after the change, as Chromium's task manager counts a tab's
memory on Linux (RssAnon + VmSwap in /proc/PID/status); its resident set (VmRSS) adds about 125 MB of Chromium's own
file-backed pages, which every renderer shares, and is listed too, with the footprint of the page before the drop.
%d browsers; medians.`, dropRows, dropCols, group(len(file)), b.n.Drops)}
	var rows [][]string
	for i, r := range runs {
		if r.Err != "" {
			rows = append(rows, []string{strconv.Itoa(i + 1), "error: " + short(r.Err, 80), "", "", "", "", "", ""})
			continue
		}
		rows = append(rows, []string{strconv.Itoa(i + 1), fmtMs(r.ResultMs), fmtMs(r.LongestMs), fmtMs(r.ChangeMs), fmtMs(r.ChangeLongestMs), mb(r.PrivateMB), mb(r.IdlePrivateMB), mb(r.RSSMB)})
	}
	sec.Lines = table([]string{"drop", "result", "longest task", "change", "its longest task", "private footprint", "before the drop", "resident set"}, rows)
	b.rep.Sections = append(b.rep.Sections, sec)
}

func (b *bench) dropOnce(path string) dropRun {
	r := dropRun{}
	br, err := newChrome(b.ctx, b.cfg.Chrome)
	if err != nil {
		r.Err = err.Error()
		return r
	}
	defer br.close()
	if _, err := br.loadAndWait(b.app.URL+"/", 120*time.Second); err != nil {
		r.Err = "load: " + err.Error()
		return r
	}
	if err := br.settle(500*time.Millisecond, 30*time.Second); err != nil {
		r.Err = err.Error()
		return r
	}
	_, r.IdlePrivateMB = rendererMemory(br.dir)
	type timed struct {
		T0 float64 `json:"t0"`
		Ms float64 `json:"ms"`
	}
	xy, err := evalJS[[]float64](br, dropArmScript, 30*time.Second)
	if err != nil || len(xy) != 2 {
		r.Err = fmt.Sprintf("preparing the drop: %v", err)
		return r
	}
	// A drag of the file from the desktop, as Chromium gets it from the
	// window system: the page reads it from disk, and nothing of it is
	// made in the page's own JavaScript (a File built there from base64
	// cost the tab about 100 MB more).
	data := &input.DragData{Items: []*input.DragDataItem{}, Files: []string{path}, DragOperationsMask: 1}
	for _, typ := range []input.DispatchDragEventType{input.DispatchDragEventTypeDragEnter, input.DispatchDragEventTypeDragOver, input.DispatchDragEventTypeDrop} {
		ctx, cancel := context.WithTimeout(br.ctx, 30*time.Second)
		_, err := chromedp.Call(ctx, input.DispatchDragEvent, input.DispatchDragEventParams{Type: typ, X: xy[0], Y: xy[1], Data: data})
		cancel()
		if err != nil {
			r.Err = fmt.Sprintf("drop (%s): %v", typ, err)
			return r
		}
	}
	d, err := evalJS[timed](br, "window.__klbDrop", 150*time.Second)
	if err != nil || d.Ms < 0 {
		r.Err = fmt.Sprintf("drop: no result (%v)", err)
		return r
	}
	r.ResultMs = d.Ms
	if err := br.settle(1000*time.Millisecond, 60*time.Second); err != nil {
		r.Err = err.Error()
		return r
	}
	c, err := evalJS[timed](br, changeScript, 90*time.Second)
	if err != nil || c.Ms < 0 {
		r.Err = fmt.Sprintf("reduction change: no new result (%v)", err)
		return r
	}
	r.ChangeMs = c.Ms
	if err := br.settle(1000*time.Millisecond, 60*time.Second); err != nil {
		r.Err = err.Error()
		return r
	}
	ps, err := br.stats(30 * time.Second)
	if err != nil {
		r.Err = err.Error()
		return r
	}
	for _, t := range ps.LongTasks {
		switch {
		case t[0] >= c.T0:
			r.ChangeLongestMs = max(r.ChangeLongestMs, t[1])
		case t[0] >= d.T0:
			r.LongestMs = max(r.LongestMs, t[1])
		}
	}
	r.RSSMB, r.PrivateMB = rendererMemory(br.dir)
	return r
}

// rendererMemory is the memory, in MB, of the largest renderer process of
// the Chromium whose profile is dir (the page's; wasm memory included): its
// resident set (VmRSS) and its private footprint, RssAnon + VmSwap, which
// is what Chromium's task manager shows as a tab's memory on Linux. NaN if
// none is found.
func rendererMemory(dir string) (rss, private float64) {
	rss, private = math.NaN(), math.NaN()
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, p := range procs {
		cmd, err := os.ReadFile(p)
		if err != nil || !bytes.Contains(cmd, []byte("--type=renderer")) || !bytes.Contains(cmd, []byte(dir)) {
			continue
		}
		status, err := os.ReadFile(filepath.Join(filepath.Dir(p), "status"))
		if err != nil {
			continue
		}
		fields := map[string]float64{}
		for _, line := range strings.Split(string(status), "\n") {
			k, v, ok := strings.Cut(line, ":")
			if !ok {
				continue
			}
			if kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64); err == nil {
				fields[k] = kb / 1024
			}
		}
		if m, ok := fields["VmRSS"]; ok && (math.IsNaN(rss) || m > rss) {
			rss, private = m, fields["RssAnon"]+fields["VmSwap"]
		}
	}
	return rss, private
}
